/*
 * report_csv.c: alerts.csv, routes.csv and rejects.csv (SPEC 6).
 *
 * All three are byte-identical for the same inputs and configuration: rows
 * come from the sorted result and the sorted rejects, numbers go through
 * dv_format_number, and nothing depends on time or memory addresses.
 */
#include "divert/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void dv_csv_cell(FILE *f, const char *s, bool guard)
{
    if (!s) return;
    size_t n = strlen(s);
    bool formula = guard && n && strchr("=+-@\t\r", s[0]);
    bool quote = strpbrk(s, ",\"\r\n") || (n && (s[0] == ' ' || s[n - 1] == ' ')) || formula;
    if (!quote) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    if (formula) fputc('\'', f);
    for (const char *p = s; *p; p++) {
        if (*p == '"') fputc('"', f);
        fputc(*p, f);
    }
    fputc('"', f);
}

static void num_cell(FILE *f, double v)
{
    char buf[48];
    dv_format_number(v, buf);
    fputs(buf, f);
}

static void date_cell(FILE *f, int32_t d)
{
    char buf[11];
    dv_format_date(d, buf);
    fputs(buf, f);
}

int dv_write_alerts_csv(FILE *f, const dv_dataset *ds, const dv_result *r, const dv_config *cfg)
{
    bool g = cfg->csv_formula_guard;
    fputs("alert_id,score,severity,item,control,origin_id,final_id,path,countries,first_date,"
          "last_date,shipments,quantity,value,rules,explanation\n",
          f);
    dv_buf path = {0}, countries = {0}, rules = {0};
    for (size_t i = 0; i < r->n_alerts; i++) {
        const dv_alert *a = &r->alerts[i];
        const dv_item *it = &ds->items[a->item];
        path.len = countries.len = rules.len = 0;
        for (int h = 0; h <= a->hops; h++) {
            const dv_entity *e = &ds->entities[a->path[h]];
            dv_buf_printf(&path, "%s%s", h ? ">" : "", e->id);
            dv_buf_printf(&countries, "%s%s", h ? ">" : "", e->country);
        }
        for (size_t k = 0; k < a->n_hits; k++)
            dv_buf_printf(&rules, "%s%s", k ? ";" : "", dv_rules[a->hits[k].rule].id);
        fprintf(f, "%s,%d,%s,", a->id, a->score, dv_severity_names[a->severity]);
        dv_csv_cell(f, it->code, g);
        fputc(',', f);
        dv_csv_cell(f, it->control, g);
        fputc(',', f);
        dv_csv_cell(f, ds->entities[a->path[0]].id, g);
        fputc(',', f);
        dv_csv_cell(f, ds->entities[a->path[a->hops]].id, g);
        fputc(',', f);
        dv_csv_cell(f, path.data, g);
        fputc(',', f);
        dv_csv_cell(f, countries.data, g);
        fputc(',', f);
        date_cell(f, a->first_date);
        fputc(',', f);
        date_cell(f, a->last_date);
        fprintf(f, ",%zu,", a->n_evidence);
        num_cell(f, a->quantity);
        fputc(',', f);
        if (a->has_value) num_cell(f, a->value);
        fputc(',', f);
        dv_csv_cell(f, rules.data, g);
        fputc(',', f);
        dv_csv_cell(f, a->explanation, g);
        fputc('\n', f);
    }
    dv_buf_free(&path);
    dv_buf_free(&countries);
    dv_buf_free(&rules);
    return ferror(f) ? DV_EXIT_INTERNAL : 0;
}

int dv_write_routes_csv(FILE *f, const dv_dataset *ds, const dv_result *r, const dv_config *cfg)
{
    bool g = cfg->csv_formula_guard;
    fputs("alert_id,route,hop,shipment_id,date,shipper_id,consignee_id,item,quantity,value\n", f);
    for (size_t i = 0; i < r->n_alerts; i++) {
        const dv_alert *a = &r->alerts[i];
        for (size_t x = 0; x < a->n_examples; x++)
            for (int h = 0; h < a->hops; h++) {
                const dv_shipment *s = &ds->shipments[a->examples[x * (size_t)a->hops + (size_t)h]];
                fprintf(f, "%s,%zu,%d,", a->id, x + 1, h + 1);
                dv_csv_cell(f, s->id, g);
                fputc(',', f);
                date_cell(f, s->date);
                fputc(',', f);
                dv_csv_cell(f, ds->entities[s->shipper].id, g);
                fputc(',', f);
                dv_csv_cell(f, ds->entities[s->consignee].id, g);
                fputc(',', f);
                dv_csv_cell(f, s->item, g);
                fputc(',', f);
                num_cell(f, s->quantity);
                fputc(',', f);
                if (!isnan(s->value)) num_cell(f, s->value);
                fputc('\n', f);
            }
    }
    return ferror(f) ? DV_EXIT_INTERNAL : 0;
}

int dv_write_rejects_csv(FILE *f, const dv_dataset *ds, const dv_config *cfg)
{
    bool g = cfg->csv_formula_guard;
    fputs("table,line,column,reason,record\n", f);
    for (size_t i = 0; i < ds->n_rejects; i++) {
        const dv_reject *rj = &ds->rejects[i];
        fprintf(f, "%s,%ld,", rj->table, rj->line);
        dv_csv_cell(f, rj->column, g);
        fputc(',', f);
        char *reason = dv_xasprintf("%s: %s", rj->code, rj->detail);
        dv_csv_cell(f, reason, g);
        free(reason);
        fputc(',', f);
        dv_csv_cell(f, rj->record, g);
        fputc('\n', f);
    }
    return ferror(f) ? DV_EXIT_INTERNAL : 0;
}
