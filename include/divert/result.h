/*
 * result.h: the result of a scan, as plain data.
 *
 * Every writer (CSV, JSON, later HTML and the case store) reads a
 * dv_result and the dataset it refers to; none of them recomputes
 * anything. A dv_result owns its alerts and everything they point to, and
 * refers to dataset rows by index.
 */
#ifndef DIVERT_RESULT_H
#define DIVERT_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "divert/config.h"
#include "divert/rules.h"

typedef struct dv_rule_hit {
    dv_rule_id rule;
    double points;               /* weight x strength */
    char *reason;                /* owned: one line with the figures */
} dv_rule_hit;

typedef struct dv_alert {
    char id[17];                 /* 16 hex digits of hash("ITEM|e0>...>ek") */
    int score;                   /* 0..100 */
    dv_severity severity;
    uint32_t item;               /* item entry row */
    int hops;
    uint32_t path[DV_MAX_HOPS + 1];  /* entity rows */
    unsigned concerns;           /* DV_CONCERN_* of flag.h */
    uint32_t licence;            /* licence covering (a)/(b), DV_NONE if none */
    dv_track track;              /* review track (SPEC 5) */

    uint32_t *evidence;          /* owned: shipment rows in a realisation, by (date, id) */
    size_t n_evidence;
    int32_t first_date, last_date;
    double quantity, value;      /* of the first-leg evidence */
    bool has_value;              /* some first-leg shipment has a value */

    dv_rule_hit *hits;           /* owned: in catalogue order */
    size_t n_hits;
    char *explanation;           /* owned */

    uint32_t *examples;          /* owned: n_examples x hops shipment rows */
    size_t n_examples;
} dv_alert;

/* An item entry whose work reached a budget (SPEC 5, Bounds): what was
 * examined, what was kept, and the densely connected group of parties
 * that made it explode. */
typedef struct dv_partial {
    uint32_t item;               /* item entry row */
    unsigned long long chains;   /* realised chains examined */
    bool chains_cut;             /* the search stopped at chain_budget */
    size_t found;                /* reported chains found (alerts before alert_budget) */
    size_t kept;                 /* alerts kept: the strongest, by score then id */
    uint32_t *group;             /* owned: entity rows of the dense group, in id order */
    size_t n_group;
    int group_k;                 /* each member trades the item with k others of it */
    unsigned long long through;  /* flagged chains found with a transit in the group */
} dv_partial;

typedef struct dv_result {
    dv_alert *alerts;            /* owned: by score descending, then id */
    size_t n_alerts;
    dv_partial *partial;         /* owned: item entries that reached a budget, by item */
    size_t n_partial;
    size_t by_severity[DV_SEV_COUNT];
    size_t by_track[DV_TRACK_COUNT];
    /* what the search did, for the summary */
    size_t items_analysed;
    unsigned long long chains_visited;
    unsigned long long extensions_pruned;  /* branches cut: no concern within reach */
    unsigned long long chains_flagged;
    unsigned long long chains_contained;   /* flagged, but part of a longer flagged chain */
} dv_result;

/* Free what an alert owns (not the alert itself). */
void dv_alert_free(dv_alert *a);

void dv_result_free(dv_result *r);

#endif
