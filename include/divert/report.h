/*
 * report.h: the writers of a scan's outputs (SPEC 6), one per format.
 *
 * Writers read the dataset, the graph counts and the dv_result; they
 * compute nothing. Each returns 0 or DV_EXIT_INTERNAL on an I/O error.
 * dv_write_outputs writes the whole set atomically into a directory.
 */
#ifndef DIVERT_REPORT_H
#define DIVERT_REPORT_H

#include <stdio.h>

#include "divert/config.h"
#include "divert/dataset.h"
#include "divert/graph.h"
#include "divert/result.h"

/* One CSV cell: quoted when it holds a comma, quote, CR or LF (or
 * surrounding space); with guard, a cell a spreadsheet would read as a
 * formula (=, +, -, @, tab, CR first) is prefixed with a single quote. */
void dv_csv_cell(FILE *f, const char *s, bool guard);

int dv_write_alerts_csv(FILE *f, const dv_dataset *ds, const dv_result *r, const dv_config *cfg);
int dv_write_routes_csv(FILE *f, const dv_dataset *ds, const dv_result *r, const dv_config *cfg);
int dv_write_rejects_csv(FILE *f, const dv_dataset *ds, const dv_config *cfg);

/* JSON string literal with every control character escaped and invalid
 * UTF-8 replaced by U+FFFD. */
void dv_json_string(FILE *f, const char *s);

int dv_write_summary_json(FILE *f, const dv_dataset *ds, const dv_graph *g, const dv_result *r,
                          const dv_config *cfg);

/* Write matches.csv (screen.h's matches, in their order) into dir,
 * atomically: a temporary file, flushed, renamed into place. */
struct dv_matches;
int dv_write_matches(const char *dir, const dv_dataset *ds, const struct dv_matches *m,
                     const dv_config *cfg, dv_error *err);

/* Create dir if missing and check that divert can write into it, so that a
 * scan fails before the load rather than after it (exit 2, naming dir). */
int dv_prepare_outdir(const char *dir, dv_error *err);

/* Write alerts.csv, routes.csv, rejects.csv and summary.json into dir
 * (created if missing). Either all four are replaced or none is: each is
 * written to a temporary file beside it and flushed to disk; then they are
 * renamed into place, and if one rename fails the others are rolled back. */
int dv_write_outputs(const char *dir, const dv_dataset *ds, const dv_graph *g, dv_result *r,
                     const dv_config *cfg, dv_error *err);

#endif
