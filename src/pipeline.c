/*
 * pipeline.c: the stages of a run in order, each timed (pipeline.h).
 */
#include "divert/pipeline.h"

#include <string.h>

#include "divert/detect.h"

const char *const dv_stage_names[DV_STAGE_COUNT] = {
    [DV_STAGE_LOAD] = "load",     [DV_STAGE_SCREEN] = "screen", [DV_STAGE_GRAPH] = "graph",
    [DV_STAGE_DETECT] = "detect", [DV_STAGE_WRITE] = "write"};

void dv_pipeline_init(dv_pipeline *p, const dv_config *cfg, const dv_progress *progress)
{
    memset(p, 0, sizeof *p);
    p->cfg = *cfg;
    if (progress) p->progress = *progress;
    p->next = DV_STAGE_LOAD;
}

static void stage_over(dv_pipeline *p)
{
    if (p->progress.done) p->progress.done(p->progress.ctx);
}

static int run_stage(dv_pipeline *p, const char *dir, dv_stage stage, dv_stage last, dv_error *err)
{
    switch (stage) {
    case DV_STAGE_LOAD: {
        p->no_shipments = last == DV_STAGE_SCREEN;
        dv_load_options opt = {.max_field_bytes = p->cfg.max_field_bytes,
                               .max_fields = p->cfg.max_fields,
                               .no_shipments = p->no_shipments,
                               .checksums = p->checksums,
                               .progress = p->progress.reading,
                               .progress_ctx = p->progress.ctx};
        int rc = dv_dataset_load(&p->ds, dir, &opt, err);
        stage_over(p);
        return rc;
    }
    case DV_STAGE_SCREEN: {
        double threshold = p->cfg.screen_threshold;
        double review_from = p->review_band ? p->cfg.screen_review_from : threshold;
        int rc = dv_screen_dataset_band(&p->ds, threshold, review_from,
                                        dv_config_threads(&p->cfg), &p->screening, err);
        if (!rc && p->drop_match) dv_screening_drop(&p->screening, &p->ds, p->drop_match, p->drop_ctx);
        return rc;
    }
    case DV_STAGE_GRAPH:
        if (p->no_shipments)
            return dv_fail(err, DV_EXIT_INTERNAL, "%s: loaded without shipments, no graph to build",
                           p->ds.dir);
        return dv_graph_build(&p->graph, &p->ds, p->only_items, err);
    case DV_STAGE_DETECT: {
        dv_detect_options opt = {&p->cfg, p->progress.searching, p->progress.ctx, p->exhaustive};
        int rc = dv_detect(&p->ds, &p->screening, &p->graph, &opt, &p->result, err);
        stage_over(p);
        return rc;
    }
    default:
        return 0; /* writing is the commit's (outdir.h) */
    }
}

int dv_pipeline_run(dv_pipeline *p, const char *dir, dv_stage last, dv_error *err)
{
    while (p->next <= last && p->next < DV_STAGE_WRITE) {
        dv_stage stage = p->next;
        double t0 = dv_now();
        int rc = run_stage(p, dir, stage, last, err);
        p->seconds[stage] = dv_now() - t0;
        p->next = stage + 1;
        if (rc) return rc;
    }
    return 0;
}

void dv_pipeline_rewind(dv_pipeline *p, dv_stage stage)
{
    if (stage <= DV_STAGE_DETECT) dv_result_free(&p->result);
    if (stage <= DV_STAGE_GRAPH) dv_graph_free(&p->graph);
    if (stage <= DV_STAGE_SCREEN) dv_screening_free(&p->screening);
    if (stage <= DV_STAGE_LOAD) dv_dataset_free(&p->ds);
    for (int s = stage; s < DV_STAGE_COUNT; s++) p->seconds[s] = 0;
    if (p->next > stage) p->next = stage;
}

double dv_pipeline_seconds(const dv_pipeline *p)
{
    double s = 0;
    for (int i = 0; i < DV_STAGE_COUNT; i++) s += p->seconds[i];
    return s;
}

void dv_pipeline_free(dv_pipeline *p)
{
    if (!p) return;
    dv_result_free(&p->result);
    dv_graph_free(&p->graph);
    dv_screening_free(&p->screening);
    dv_dataset_free(&p->ds);
    memset(p, 0, sizeof *p);
}
