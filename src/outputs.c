/*
 * outputs.c: the output sets, as rows of {file name, writer} (report.h).
 *
 * A new output of a command is one row here and its writer; the commit,
 * the recovery of killed runs, the closing summary, `divert help` and the
 * tests read these rows.
 */
#include "divert/report.h"

#include "divert/merge.h"

#define FILES(rows) rows, sizeof rows / sizeof rows[0]

static const dv_output scan_files[] = {
    {"alerts.csv", dv_write_alerts_csv, NULL, NULL},
    {"routes.csv", dv_write_routes_csv, NULL, NULL},
    {"rejects.csv", dv_write_rejects_csv, NULL, NULL},
    {"changes.csv", dv_write_changes_csv, dv_cases_left_out, "--state"},
    {"watchlist_changes.csv", dv_write_watchlist_changes_csv, dv_cases_left_out, "--state"},
    {"alerts.json", dv_write_alerts_json, NULL, NULL},
    {"report.html", dv_write_report_html, dv_report_left_out, NULL},
    /* last: it reports the time spent writing the others */
    {"summary.json", dv_write_summary_json, NULL, NULL},
};

static const dv_output screen_files[] = {
    {"matches.csv", dv_write_matches_csv, NULL, NULL},
};

static const dv_output stats_files[] = {
    {"corridors.csv", dv_write_corridors_csv, NULL, NULL},
    {"brokers.csv", dv_write_brokers_csv, dv_stats_full_left_out, NULL},
    {"communities.csv", dv_write_communities_csv, dv_stats_full_left_out, NULL},
    {"trends.csv", dv_write_trends_csv, NULL, NULL},
    {"stats.json", dv_write_stats_json, dv_stats_full_left_out, NULL},
    {"publish.json", dv_write_publish_json, dv_publish_left_out, "--publish"},
    {"research.html", dv_write_research_html, dv_research_left_out, NULL},
};

/* the scan's files, in the scan's order, from divert merge's texts */
static const dv_output merge_files[] = {
    {"alerts.csv", dv_write_merged_alerts_csv, NULL, NULL},
    {"routes.csv", dv_write_merged_routes_csv, NULL, NULL},
    {"rejects.csv", dv_write_merged_rejects_csv, NULL, NULL},
    {"alerts.json", dv_write_merged_alerts_json, NULL, NULL},
    {"report.html", dv_write_merged_report_html, dv_merged_report_left_out, NULL},
    {"summary.json", dv_write_merged_summary_json, NULL, NULL},
};

const dv_output_set dv_output_sets[DV_OUTPUTS_COUNT] = {
    [DV_OUTPUTS_SCAN] = {"a scan", FILES(scan_files)},
    [DV_OUTPUTS_SCREEN] = {"a screening", FILES(screen_files)},
    [DV_OUTPUTS_STATS] = {"a stats run", FILES(stats_files)},
    [DV_OUTPUTS_MERGE] = {"a merge", FILES(merge_files)},
};
