/*
 * score.h: rules, scores and explanations of reported chains (SPEC 5).
 *
 * dv_scorer precomputes what rules compare against (the median unit value
 * of each item entry) and borrows the dataset and config.
 */
#ifndef DIVERT_SCORE_H
#define DIVERT_SCORE_H

#include "divert/config.h"
#include "divert/dataset.h"
#include "divert/flag.h"
#include "divert/result.h"

typedef struct dv_scorer {
    const dv_dataset *ds;         /* borrowed, as the two below */
    const dv_config *cfg;
    const dv_flagger *flagger;
    double *median_unit_value;   /* owned: by items row; NAN when too few priced shipments */
} dv_scorer;

void dv_scorer_init(dv_scorer *s, const dv_dataset *ds, const dv_config *cfg,
                    const dv_flagger *flagger);
void dv_scorer_free(dv_scorer *s);

/* Fill the alert's rule hits, score, severity and explanation from its
 * chain (path, hops, item), flag result and feasible shipments. */
void dv_score_alert(const dv_scorer *s, dv_alert *a, const dv_flag_result *fr,
                    const dv_hopsets *feasible);

/* The review track of a scored alert (SPEC 5), from its concerns, the
 * sectors of its final consignee, the watchlist matches of its parties
 * and whether END_USE_MISMATCH fired; appends the track and its reason to
 * why (the explanation). */
dv_track dv_track_of(const dv_flagger *f, const dv_alert *a, bool end_use_mismatch, dv_buf *why);

/* Minimum dwell in days at transit h (1..hops-1): the shortest time from
 * a feasible arrival to a feasible departure within the window; -1 if none. */
int dv_min_dwell(const dv_dataset *ds, int window_days, const dv_hopsets *feasible, int h);

#endif
