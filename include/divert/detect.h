/*
 * detect.h: from graph to result: search, flag, keep the longest chains,
 * gather evidence and examples, score.
 *
 * This is the one place that strings the detection stages together; each
 * stage stays usable on its own (routes.h, flag.h, score.h).
 */
#ifndef DIVERT_DETECT_H
#define DIVERT_DETECT_H

#include "divert/config.h"
#include "divert/dataset.h"
#include "divert/graph.h"
#include "divert/result.h"
#include "divert/screen.h"

typedef struct dv_detect_options {
    const dv_config *cfg;
    /* called after each item entry with (done, total), or NULL */
    void (*progress)(void *ctx, size_t done, size_t total);
    void *progress_ctx;
    /* for tests: search without pruning, which must report the same */
    bool exhaustive;
} dv_detect_options;

/* Fill result (zeroed by the caller) with the alerts of the dataset, whose
 * entities' watchlist matches are in screening (NULL: none). */
int dv_detect(const dv_dataset *ds, const dv_screening *screening, const dv_graph *graph,
              const dv_detect_options *opt, dv_result *result, dv_error *err);

/* The alert id of a chain: 16 hex digits of hash("ITEMCODE|e0>e1>...>ek"). */
void dv_alert_id(const dv_dataset *ds, uint32_t item, const uint32_t *path, int hops,
                 char out[17]);

#endif
