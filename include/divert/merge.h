/*
 * merge.h: the scans of the shards of one shard set (shard.h) combined
 * into the outputs of one scan of the whole dataset.
 *
 * Each shard's scan holds the alerts of its own item entries, the
 * rejected rows of its own shipments (on their original lines) and of
 * every other table (the same in every shard), and a summary of its own
 * part. dv_merge_outputs reads the output directories and builds the
 * texts of the whole scan's files: alerts sorted again (score, then id),
 * each alert's routes after it, rejects in order of table and line, and
 * the summaries' counts summed where they count the shard's own part,
 * kept where every shard shares them, the shard's paths put back to the
 * original dataset's. Text in, text out: no row is parsed beyond its sort
 * keys, so a merged file is the bytes a whole scan writes (the timings of
 * summary.json aside: the shards' sums).
 *
 * It refuses output directories of different shard sets, configurations
 * or divert versions, two scans of one shard, and a missing shard.
 *
 * Ownership: a dv_merged owns its texts; dv_merged_free.
 */
#ifndef DIVERT_MERGE_H
#define DIVERT_MERGE_H

#include <stdbool.h>
#include <stdio.h>

#include "divert/pipeline.h"
#include "divert/util.h"

typedef enum dv_merged_file {
    DV_MERGED_ALERTS_CSV,
    DV_MERGED_ROUTES_CSV,
    DV_MERGED_REJECTS_CSV,
    DV_MERGED_ALERTS_JSON,
    DV_MERGED_REPORT_HTML,
    DV_MERGED_SUMMARY_JSON,
    DV_MERGED_COUNT
} dv_merged_file;

typedef struct dv_merged {
    dv_buf text[DV_MERGED_COUNT];
    bool has_report;             /* the scans wrote report.html */
    size_t n_alerts;
    char *dataset;               /* the original dataset, heap */
} dv_merged;

/* Merge the scans in the n output directories dirs. Returns 0, or an exit
 * status with err set. */
int dv_merge_outputs(const char *const *dirs, int n, dv_merged *m, dv_error *err);
void dv_merged_free(dv_merged *m);

/* The merge's output set's writers (outputs.c): each writes its text
 * from p->merged. */
int dv_write_merged_alerts_csv(FILE *f, const dv_pipeline *p);
int dv_write_merged_routes_csv(FILE *f, const dv_pipeline *p);
int dv_write_merged_rejects_csv(FILE *f, const dv_pipeline *p);
int dv_write_merged_alerts_json(FILE *f, const dv_pipeline *p);
int dv_write_merged_report_html(FILE *f, const dv_pipeline *p);
int dv_write_merged_summary_json(FILE *f, const dv_pipeline *p);
bool dv_merged_report_left_out(const dv_pipeline *p);

#endif
