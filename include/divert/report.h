/*
 * report.h: the output files of the commands, and their writers.
 *
 * An output set is the files one command writes, declared once as rows of
 * {file name, writer} (outputs.c): the atomic commit and its recovery
 * (outdir.h), the closing summary, `divert help COMMAND` and through it
 * the tests all read the set, so a new output is one row and its writer
 * (declared below).
 * Writers read a pipeline (pipeline.h) and compute nothing; each returns
 * 0, or DV_EXIT_INTERNAL on an I/O error. A CSV file's header and cells
 * come from one column list (report_csv.c).
 */
#ifndef DIVERT_REPORT_H
#define DIVERT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "divert/pipeline.h"

typedef int (*dv_writer)(FILE *f, const dv_pipeline *p);

typedef struct dv_output {
    const char *name;            /* file name in the output directory */
    dv_writer write;
    /* NULL, or true when this run is to leave the file out (report.html
     * under --no-report): it is not written, and a file of that name from
     * an earlier run goes in the same commit, so that the directory never
     * holds an output that disagrees with the others */
    bool (*left_out)(const dv_pipeline *p);
    /* NULL for a file every run writes (unless left_out); else the option
     * that asks for it ("--state"): help lists it apart */
    const char *needs;
} dv_output;

typedef struct dv_output_set {
    const char *run;             /* what writes it, for messages: "a scan" */
    const dv_output *files;      /* written, then renamed into place, in this order */
    size_t n;
} dv_output_set;

typedef enum dv_output_set_id {
    DV_OUTPUTS_SCAN,             /* alerts.csv, routes.csv, rejects.csv, alerts.json,
                                    report.html, summary.json (SPEC 6, docs/report.md) */
    DV_OUTPUTS_SCREEN,           /* matches.csv */
    DV_OUTPUTS_STATS,            /* corridors.csv, brokers.csv, communities.csv,
                                    trends.csv, stats.json; with --publish corridors.csv,
                                    trends.csv, publish.json (docs/research.md) */
    DV_OUTPUTS_MERGE,            /* the scan's files, merged from the scans of a shard
                                    set (merge.h, docs/cluster.md) */
    DV_OUTPUTS_COUNT
} dv_output_set_id;

/* Every set, by id: a command's row names its set, and the recovery of
 * killed runs removes what any of them left behind. */
extern const dv_output_set dv_output_sets[DV_OUTPUTS_COUNT];

/* The writers (SPEC 6 for the scan's). */
int dv_write_alerts_csv(FILE *f, const dv_pipeline *p);
int dv_write_routes_csv(FILE *f, const dv_pipeline *p);
int dv_write_rejects_csv(FILE *f, const dv_pipeline *p);
int dv_write_matches_csv(FILE *f, const dv_pipeline *p);
/* With a case store (cases.h): what changed, and the watchlists' changes. */
int dv_write_changes_csv(FILE *f, const dv_pipeline *p);
int dv_write_watchlist_changes_csv(FILE *f, const dv_pipeline *p);
/* Left out of a scan without --state. */
bool dv_cases_left_out(const dv_pipeline *p);
int dv_write_summary_json(FILE *f, const dv_pipeline *p);
/* Every setting of cfg as a JSON object (summary.json's "config"). */
void dv_write_config_object(FILE *f, const dv_config *cfg);
/* alerts.json and report.html (docs/report.md): report_alerts.c and
 * report_html.c */
int dv_write_alerts_json(FILE *f, const dv_pipeline *p);
int dv_write_report_html(FILE *f, const dv_pipeline *p);
/* Is report.html left out of this run (--no-report)? */
bool dv_report_left_out(const dv_pipeline *p);

/* The document of alerts.json, which report.html carries too: how it is
 * written. */
typedef struct dv_report_doc_opts {
    bool in_script;              /* escaped for an HTML <script> element */
    bool layout;                 /* each alert's drawing coordinates (igraph) */
    size_t max_evidence;         /* evidence rows an alert, 0: all */
} dv_report_doc_opts;
/* Evidence rows an alert that report.html holds (alerts.json holds all). */
#define DV_REPORT_MAX_EVIDENCE 100
int dv_write_report_doc(FILE *f, const dv_pipeline *p, const dv_report_doc_opts *o);

/* divert stats' tables (report_stats.c), from p->stats (stats.h). */
int dv_write_corridors_csv(FILE *f, const dv_pipeline *p);
int dv_write_brokers_csv(FILE *f, const dv_pipeline *p);
int dv_write_communities_csv(FILE *f, const dv_pipeline *p);
int dv_write_trends_csv(FILE *f, const dv_pipeline *p);
int dv_write_stats_json(FILE *f, const dv_pipeline *p);
/* divert stats --publish (publish.h): publish.json; brokers.csv,
 * communities.csv and stats.json are left out of such a run (and removed
 * from the directory), publish.json out of any other */
int dv_write_publish_json(FILE *f, const dv_pipeline *p);
bool dv_stats_full_left_out(const dv_pipeline *p);
bool dv_publish_left_out(const dv_pipeline *p);

/* research.html (docs/research.md): stats' figures drawn as charts on one
 * offline page like report.html; left out with --no-report. Under
 * --publish it draws only the published cells. */
int dv_write_research_html(FILE *f, const dv_pipeline *p);
bool dv_research_left_out(const dv_pipeline *p);
/* research.html's data (report_stats.c): the tables stats.json holds (the
 * published ones under --publish), the period axis, the first brokers and
 * the drawings of the first communities, escaped for a <script> element */
int dv_write_research_doc(FILE *f, const dv_pipeline *p);

/* The two pages' common parts (report_html.c): the head (a
 * Content-Security-Policy admitting only the script whose SHA-256 is
 * js_sha256, 64 hex digits; the title, title then dataset; the style
 * sheets), and text escaped for HTML content and attribute values. */
void dv_html_head(FILE *f, const char *title, const char *dataset, const char *js_sha256,
                  const char *const *css, size_t n_css);
void dv_html_text(FILE *f, const char *s);

/* One CSV cell, the only way a cell is written: invalid UTF-8 replaced by
 * U+FFFD; quoted when it holds a comma, quote, CR or LF (or surrounding
 * space); with guard, a cell a spreadsheet would read as a formula (=, +,
 * -, @, tab, CR first) is prefixed with a single quote, and so is any part
 * after a ';' that would start one in a spreadsheet splitting on ';'. */
void dv_csv_cell(FILE *f, const char *s, bool guard);

/* JSON string literal with every control character escaped and invalid
 * UTF-8 replaced by U+FFFD. */
void dv_json_string(FILE *f, const char *s);

/* The same, for a JSON document inside an HTML <script> element: '<', '>',
 * '&' and U+2028/U+2029 are written as \uXXXX too, so that no text of the
 * data can close the element or open a comment there. */
void dv_json_script_string(FILE *f, const char *s);

#endif
