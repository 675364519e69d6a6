/*
 * pipeline.h: one run of divert over a dataset, stage by stage.
 *
 *   load ──> screen ──> graph ──> detect ──> (the writers, report.h)
 *
 * Each stage reads what the stages before it produced and returns its own
 * result into the pipeline: the dataset (dataset.h), the watchlist matches
 * (screen.h), the per-item indexes (graph.h), the alerts (result.h). A
 * command runs the stages it needs (scan: all; screen: load and screen;
 * validate: load), then hands the pipeline to the writers of its output
 * set (outdir.h), which only read it.
 *
 * Ownership: the pipeline owns every stage's result and its own copy of
 * the configuration; dv_pipeline_free frees them all, in reverse order.
 */
#ifndef DIVERT_PIPELINE_H
#define DIVERT_PIPELINE_H

#include <stdbool.h>

#include "divert/config.h"
#include "divert/dataset.h"
#include "divert/graph.h"
#include "divert/result.h"
#include "divert/screen.h"

typedef enum dv_stage {
    DV_STAGE_LOAD,
    DV_STAGE_SCREEN,
    DV_STAGE_GRAPH,
    DV_STAGE_DETECT,
    DV_STAGE_WRITE,               /* the writers' time, kept by the commit */
    DV_STAGE_COUNT
} dv_stage;
extern const char *const dv_stage_names[DV_STAGE_COUNT];

/* Progress on a terminal, or NULL members for none. */
typedef struct dv_progress {
    void (*reading)(void *ctx, const char *file, unsigned long long bytes);
    void (*searching)(void *ctx, size_t done, size_t total);
    void (*done)(void *ctx);      /* a stage that showed progress is over */
    void *ctx;                    /* borrowed: the caller's, for as long as it runs */
} dv_progress;

typedef struct dv_pipeline {
    dv_config cfg;                /* the run's configuration, a copy */
    dv_progress progress;
    dv_dataset ds;                /* load */
    dv_screening screening;       /* screen */
    dv_graph graph;               /* graph */
    dv_result result;             /* detect */
    double seconds[DV_STAGE_COUNT];
    dv_stage next;                /* the first stage not yet run */
    bool no_shipments;            /* loaded for the screening alone */
    bool exhaustive;              /* for tests: the search without pruning */
    bool checksums;               /* the load computes each file's SHA-256 (a case store) */
    bool review_band;             /* screening keeps the pairs of the review band too
                                     (cfg.screen_review_from): divert screen's */
    /* screening: pairs of entity and list row to take out of the matches
     * (an analyst's "not a match", cases.h), or NULL */
    bool (*drop_match)(const void *ctx, const dv_dataset *ds, uint32_t entity, uint32_t watch);
    const void *drop_ctx;         /* borrowed */
    struct dv_cases *cases;       /* borrowed: the scan's case store results
                                     (cases.h), or NULL without --state */
    const bool *only_items;       /* borrowed, by items row: the graph and detection
                                     cover only these item entries (an item entry's
                                     alerts depend on it alone, so they are the
                                     scan's); NULL: all */
    const struct dv_stats *stats; /* borrowed: divert stats' statistics (stats.h) for its
                                     writers, or NULL */
    const struct dv_merged *merged; /* borrowed: divert merge's texts (merge.h) for its
                                       writers, or NULL */
} dv_pipeline;

/* Ready to run with cfg; progress may be NULL. */
void dv_pipeline_init(dv_pipeline *p, const dv_config *cfg, const dv_progress *progress);

/* Run the stages from p->next up to and including last on the dataset in
 * dir. A first run that stops at the screening loads no shipments, and
 * the pipeline then refuses to build the graph (an internal error: the
 * caller asked for less than it then used). Returns 0, or the status of
 * the stage that failed (err set); the stages that ran keep their results
 * either way. */
int dv_pipeline_run(dv_pipeline *p, const char *dir, dv_stage last, dv_error *err);

/* Drop the results of stage and of every stage after it, so that the
 * next dv_pipeline_run runs them again (with another only_items, say);
 * the earlier stages keep theirs. */
void dv_pipeline_rewind(dv_pipeline *p, dv_stage stage);

/* Seconds from the first stage to the end of the last one run (writing
 * included once the commit has kept its time). */
double dv_pipeline_seconds(const dv_pipeline *p);

void dv_pipeline_free(dv_pipeline *p);

#endif
