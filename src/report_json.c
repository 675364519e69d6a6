/*
 * report_json.c: summary.json, and the one place that escapes JSON.
 */
#include "divert/report.h"

#include "divert/cases.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A JSON string literal; in_script: as dv_json_script_string. */
static void json_string(FILE *f, const char *s, bool in_script)
{
    fputc('"', f);
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        unsigned char c = *p;
        if (c == '"' || c == '\\') {
            fputc('\\', f);
            fputc(c, f);
            p++;
        } else if (c < 0x20 || c == 0x7F) {
            switch (c) {
            case '\n': fputs("\\n", f); break;
            case '\r': fputs("\\r", f); break;
            case '\t': fputs("\\t", f); break;
            case '\b': fputs("\\b", f); break;
            case '\f': fputs("\\f", f); break;
            default: fprintf(f, "\\u%04x", c);
            }
            p++;
        } else if (in_script && (c == '<' || c == '>' || c == '&')) {
            fprintf(f, "\\u%04x", c);
            p++;
        } else if (c < 0x80) {
            fputc(c, f);
            p++;
        } else {
            /* copy one UTF-8 sequence if it is valid, else U+FFFD */
            size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
            size_t have = 1;
            while (have < n && p[have]) have++;
            if (have == n && in_script && n == 3 && p[0] == 0xE2 && p[1] == 0x80 &&
                (p[2] == 0xA8 || p[2] == 0xA9)) {
                /* U+2028, U+2029: line breaks to older JavaScript */
                fprintf(f, "\\u%04x", 0x2000 | (p[2] - 0x80));
                p += n;
            } else if (have == n && dv_utf8_valid((const char *)p, n)) {
                fwrite(p, 1, n, f);
                p += n;
            } else {
                fputs("\\ufffd", f);
                p++;
            }
        }
    }
    fputc('"', f);
}

void dv_json_string(FILE *f, const char *s)
{
    json_string(f, s, false);
}

void dv_json_script_string(FILE *f, const char *s)
{
    json_string(f, s, true);
}

static void key(FILE *f, int indent, const char *k)
{
    fprintf(f, "%*s", indent, "");
    dv_json_string(f, k);
    fputs(": ", f);
}

static void code_list(FILE *f, char (*codes)[3], size_t n)
{
    fputc('[', f);
    for (size_t i = 0; i < n; i++) {
        if (i) fputs(", ", f);
        dv_json_string(f, codes[i]);
    }
    fputc(']', f);
}

typedef struct reason_count {
    const char *code;
    size_t n;
} reason_count;

static int cmp_reason(const void *a, const void *b)
{
    return strcmp(((const reason_count *)a)->code, ((const reason_count *)b)->code);
}

typedef struct config_out {
    FILE *f;
    size_t n;
} config_out;

/* A setting's value in full: the shortest text that reads back as the
 * same double, so that the config block reproduces the run exactly. */
static void exact_num(FILE *f, double v)
{
    char buf[48];
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, sizeof buf, "%.*g", digits, v);
        if (strtod(buf, NULL) == v) break;
    }
    fputs(buf, f);
}

static void config_entry(void *ctx, const dv_config_value *v)
{
    config_out *co = ctx;
    fputs(co->n++ ? ",\n" : "\n", co->f);
    key(co->f, 4, v->key);
    if (v->kind == DV_VALUE_BOOL) fputs(v->flag ? "true" : "false", co->f);
    else if (v->kind == DV_VALUE_OFF) fputs("null", co->f);
    else if (v->kind == DV_VALUE_SECTORS) { /* as a config file writes them */
        char text[256];
        dv_sector_set_text(v->sectors, text, sizeof text);
        dv_json_string(co->f, text);
    } else exact_num(co->f, v->number);
}

void dv_write_config_object(FILE *f, const dv_config *cfg)
{
    fputs("{", f);
    config_out co = {f, 0};
    dv_config_each(cfg, config_entry, &co);
    fputs("\n  }", f);
}

int dv_write_summary_json(FILE *f, const dv_pipeline *p)
{
    const dv_dataset *ds = &p->ds;
    const dv_graph *g = &p->graph;
    const dv_result *r = &p->result;
    const dv_config *cfg = &p->cfg;
    fputs("{\n", f);
    key(f, 2, "divert_version");
    dv_json_string(f, DIVERT_VERSION);
    fputs(",\n", f);
    key(f, 2, "dataset");
    dv_json_string(f, ds->dir);
    fputs(",\n", f);

    key(f, 2, "tables");
    fputs("{\n", f);
    long total_read = 0, total_loaded = 0, total_rejected = 0, total_skipped = 0, total_joined = 0;
    for (int t = 0; t < DV_T_COUNT; t++) {
        const dv_table_info *info = &ds->tables[t];
        key(f, 4, dv_table_names[t]);
        fputs("{", f);
        fputs("\"file\": ", f);
        if (info->present) dv_json_string(f, info->path);
        else fputs("null", f);
        fprintf(f, ", \"rows_read\": %ld, \"rows_loaded\": %ld, \"rows_rejected\": %ld",
                info->rows_read, info->rows_loaded, info->rows_rejected);
        /* list rows that are not parties, or other names of an earlier row's entry */
        fprintf(f, ", \"rows_skipped\": %ld, \"rows_joined\": %ld", info->rows_skipped,
                info->rows_joined);
        fputs(", \"unknown_columns\": [", f);
        for (size_t i = 0; i < info->n_unknown; i++) {
            if (i) fputs(", ", f);
            dv_json_string(f, info->unknown_columns[i]);
        }
        fprintf(f, "]}%s\n", t + 1 < DV_T_COUNT ? "," : "");
        if (info->reference) continue; /* totals are over the dataset's own files */
        total_read += info->rows_read;
        total_loaded += info->rows_loaded;
        total_rejected += info->rows_rejected;
        total_skipped += info->rows_skipped;
        total_joined += info->rows_joined;
    }
    fputs("  },\n", f);
    /* each watchlist file: the watchlist table above is their sum */
    fputs("  \"watchlists\": [", f);
    for (size_t i = 0; i < ds->n_lists; i++) {
        const dv_list_file *lf = &ds->lists[i];
        fputs(i ? ",\n    {\"file\": " : "\n    {\"file\": ", f);
        dv_json_string(f, lf->path);
        fputs(", \"format\": ", f);
        dv_json_string(f, lf->format ? lf->format : "spec");
        fprintf(f, ", \"rows_read\": %ld, \"rows_loaded\": %ld, \"rows_rejected\": %ld",
                lf->rows_read, lf->rows_loaded, lf->rows_rejected);
        /* rows that are not parties, and rows that gave another name or
         * address of an entry (OFSI, EU, OFAC's alt.csv and add.csv) */
        fprintf(f, ", \"rows_skipped\": %ld, \"skipped_why\": ", lf->rows_skipped);
        if (lf->skipped_why) dv_json_string(f, lf->skipped_why);
        else fputs("null", f);
        fprintf(f, ", \"rows_joined\": %ld, \"note\": ", lf->rows_joined);
        if (lf->note) dv_json_string(f, lf->note);
        else fputs("null", f);
        fputs("}", f);
    }
    fputs(ds->n_lists ? "\n  ],\n" : "],\n", f);
    fprintf(f, "  \"rows\": {\"read\": %ld, \"loaded\": %ld, \"rejected\": %ld},\n", total_read,
            total_loaded, total_rejected);
    /* list rows neither loaded nor rejected: read = loaded + rejected + these */
    fprintf(f, "  \"list_rows\": {\"skipped\": %ld, \"joined\": %ld},\n", total_skipped,
            total_joined);

    /* rejects by reason code, sorted by code */
    reason_count *counts = NULL;
    size_t n_counts = 0, cap = 0;
    for (size_t i = 0; i < ds->n_rejects; i++) {
        size_t k = 0;
        while (k < n_counts && strcmp(counts[k].code, ds->rejects[i].code)) k++;
        if (k == n_counts) {
            reason_count rc = {ds->rejects[i].code, 0};
            DV_PUSH(counts, n_counts, cap, rc);
        }
        counts[k].n++;
    }
    dv_qsort(counts, n_counts, sizeof *counts, cmp_reason);
    key(f, 2, "rejects_by_reason");
    fputs("{", f);
    for (size_t k = 0; k < n_counts; k++)
        fprintf(f, "%s\"%s\": %zu", k ? ", " : "", counts[k].code, counts[k].n);
    fputs("},\n", f);
    free(counts);

    key(f, 2, "countries");
    fputs("{\"absent_from_table\": ", f);
    code_list(f, ds->absent_countries, ds->n_absent);
    fputs(", \"missing_indicators\": ", f);
    code_list(f, ds->incomplete_countries, ds->n_incomplete);
    fputs("},\n", f);

    fprintf(f,
            "  \"shipments\": {\"controlled\": %zu, \"human_rights_unlisted\": %zu, "
            "\"uncontrolled\": %zu, \"unclassified\": %zu, \"citing_unknown_licence\": %zu},\n",
            g->n_controlled, g->n_human_rights_only, g->n_uncontrolled, g->n_unclassified,
            ds->n_unknown_licence_refs);

    /* every setting, as a config file would give it (config.c's table) */
    key(f, 2, "config");
    dv_write_config_object(f, cfg);
    fputs(",\n", f);
    fprintf(f, "  \"threads\": %d,\n  \"strict\": %s,\n", dv_config_threads(cfg),
            cfg->strict ? "true" : "false");

    fprintf(f,
            "  \"search\": {\"item_entries\": %zu, \"chains_visited\": %llu, \"branches_pruned\": "
            "%llu, \"chains_flagged\": %llu, \"chains_contained\": %llu},\n",
            r->items_analysed, r->chains_visited, r->extensions_pruned, r->chains_flagged,
            r->chains_contained);
    /* the screening's work, and what its bounds left out (docs/screening.md) */
    const dv_screen_stats *ss = &p->screening.stats;
    fprintf(f,
            "  \"screening\": {\"names\": %llu, \"candidates_gathered\": %llu, "
            "\"pairs_scored\": %llu, \"names_capped\": %llu, \"candidates_not_gathered\": %llu, "
            "\"candidates_not_scored\": %llu},\n",
            (unsigned long long)ss->names, (unsigned long long)ss->gathered,
            (unsigned long long)ss->scored, (unsigned long long)ss->names_capped,
            (unsigned long long)ss->ungathered, (unsigned long long)ss->unscored);
    /* item entries that reached a budget (SPEC 5, Bounds) */
    fputs("  \"partial\": [", f);
    for (size_t i = 0; i < r->n_partial; i++) {
        const dv_partial *pt = &r->partial[i];
        fputs(i ? ",\n    {\"item\": " : "\n    {\"item\": ", f);
        dv_json_string(f, ds->items[pt->item].code);
        fprintf(f, ", \"chains_examined\": %llu, \"chain_budget_reached\": %s, "
                   "\"alerts_found\": %zu, \"alerts_reported\": %zu, \"dense_group\": {\"k\": %d, "
                   "\"routes_through\": %llu, \"parties\": [",
                pt->chains, pt->chains_cut ? "true" : "false", pt->found, pt->kept, pt->group_k,
                pt->through);
        for (size_t m = 0; m < pt->n_group; m++) {
            if (m) fputs(", ", f);
            dv_json_string(f, ds->entities[pt->group[m]].id);
        }
        fputs("]}}", f);
    }
    fputs(r->n_partial ? "\n  ],\n" : "],\n", f);
    /* by severity, the highest first */
    fprintf(f, "  \"alerts\": {\"total\": %zu", r->n_alerts);
    for (int sev = DV_SEV_COUNT - 1; sev >= 0; sev--)
        fprintf(f, ", \"%s\": %zu", dv_severity_names[sev], r->by_severity[sev]);
    fputs("},\n", f);
    fputs("  \"alerts_by_track\": {", f);
    for (int t = 0; t < DV_TRACK_COUNT; t++)
        fprintf(f, "%s\"%s\": %zu", t ? ", " : "", dv_track_names[t], r->by_track[t]);
    fputs("},\n", f);
    /* with --state: the case store's run and what changed (cases.h) */
    const dv_cases *c = p->cases;
    if (c && c->on) {
        fprintf(f, "  \"cases\": {\"run_id\": %lld, \"status\": {", c->run_id);
        for (int k = 0; k < DV_CASE_COUNT; k++)
            fprintf(f, "%s\"%s\": %zu", k ? ", " : "", dv_case_status_names[k], c->by_status[k]);
        fputs("}, \"changes\": {", f);
        for (int k = 0; k < DV_CHANGE_COUNT; k++)
            fprintf(f, "%s\"%s\": %zu", k ? ", " : "", dv_change_names[k], c->by_change[k]);
        fprintf(f, "}, \"watchlists_changed\": %s, \"watchlist_changes\": {",
                c->lists_changed ? "true" : "false");
        for (int k = 0; k < DV_LIST_CHANGE_COUNT; k++)
            fprintf(f, "%s\"%s\": %zu", k ? ", " : "", dv_list_change_names[k],
                    c->by_list_change[k]);
        fprintf(f, "}, \"matches_cleared\": %zu},\n", p->screening.dropped.n);
    } else {
        fputs("  \"cases\": null,\n", f);
    }
    fputs("  \"timings_seconds\": {", f);
    for (int st = 0; st < DV_STAGE_COUNT; st++)
        fprintf(f, "%s\"%s\": %.3f", st ? ", " : "", dv_stage_names[st], p->seconds[st]);
    fputs("}\n", f);
    fputs("}\n", f);
    return ferror(f) ? DV_EXIT_INTERNAL : 0;
}
