/*
 * report_csv.c: the CSV outputs: alerts.csv, routes.csv, rejects.csv
 * (SPEC 6) and matches.csv (divert screen).
 *
 * Each file is one column list: a column's name (its header) and the
 * function that writes its cell for one row, so the header and the cells
 * cannot get out of step and a new column is one row of its list. All of
 * them are byte-identical for the same inputs and configuration: rows
 * come from the sorted result, the sorted rejects and the sorted matches,
 * numbers go through dv_format_number, and nothing depends on time or
 * memory addresses.
 */
#include "divert/report.h"

#include "divert/cases.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A character a spreadsheet reads as the start of a formula. */
static bool formula_start(char c)
{
    return c && strchr("=+-@\t\r", c) != NULL;
}

void dv_csv_cell(FILE *f, const char *s, bool guard)
{
    if (!s) return;
    size_t n = strlen(s);
    if (!dv_utf8_valid(s, n)) {
        /* outputs are UTF-8 whatever the input held (file names included) */
        dv_buf clean = {0};
        dv_utf8_sanitize(s, n, &clean);
        dv_csv_cell(f, clean.data, guard);
        dv_buf_free(&clean);
        return;
    }
    bool formula = guard && formula_start(s[0]);
    bool quote = strpbrk(s, ",\"\r\n") || (n && (s[0] == ' ' || s[n - 1] == ' ')) || formula;
    if (quote) fputc('"', f);
    if (formula) fputc('\'', f);
    /* runs between the characters that need a second one: a doubled
     * quote, or a ';' that a spreadsheet splitting on ';' would start a
     * cell after */
    const char *run = s;
    for (const char *p = s; *p; p++) {
        bool twice = *p == '"' && quote, after = guard && *p == ';' && formula_start(p[1]);
        if (!twice && !after) continue;
        fwrite(run, 1, (size_t)(p - run + 1), f);
        fputc(twice ? '"' : '\'', f);
        run = p + 1;
    }
    fputs(run, f);
    if (quote) fputc('"', f);
}

/* ---- columns ---- */

/* Where a cell goes, and what the rows of a file share. */
typedef struct cell_out {
    FILE *f;
    bool guard;                  /* csv_formula_guard */
    const dv_dataset *ds;
    dv_buf buf;                  /* scratch for a cell built from parts */
    const dv_pipeline *p;
} cell_out;

typedef struct csv_column {
    const char *name;
    void (*cell)(cell_out *o, const void *row);
} csv_column;

static void text(cell_out *o, const char *s)
{
    dv_csv_cell(o->f, s, o->guard);
}

static void number(cell_out *o, double v)
{
    char buf[48];
    dv_format_number(v, buf);
    fputs(buf, o->f);
}

static void date(cell_out *o, int32_t d)
{
    char buf[11];
    dv_format_date(d, buf);
    fputs(buf, o->f);
}

static void write_csv_header(FILE *f, const csv_column *cols, size_t n)
{
    for (size_t i = 0; i < n; i++) fprintf(f, "%s%s", i ? "," : "", cols[i].name);
    fputc('\n', f);
}

static void write_csv_row(cell_out *o, const csv_column *cols, size_t n, const void *row)
{
    for (size_t i = 0; i < n; i++) {
        if (i) fputc(',', o->f);
        cols[i].cell(o, row);
    }
    fputc('\n', o->f);
}

static cell_out cells_of(FILE *f, const dv_pipeline *p)
{
    cell_out o = {f, p->cfg.csv_formula_guard, &p->ds, {0}, p};
    return o;
}

static int cells_done(cell_out *o)
{
    dv_buf_free(&o->buf);
    return ferror(o->f) ? DV_EXIT_INTERNAL : 0;
}

#define N_COLS(cols) (sizeof(cols) / sizeof((cols)[0]))

/* ---- alerts.csv: one row an alert ---- */

static const dv_entity *hop_entity(const cell_out *o, const dv_alert *a, int h)
{
    return &o->ds->entities[a->path[h]];
}

static void a_id(cell_out *o, const void *r) { text(o, ((const dv_alert *)r)->id); }
static void a_score(cell_out *o, const void *r) { fprintf(o->f, "%d", ((const dv_alert *)r)->score); }
static void a_severity(cell_out *o, const void *r)
{
    text(o, dv_severity_names[((const dv_alert *)r)->severity]);
}
static void a_item(cell_out *o, const void *r) { text(o, o->ds->items[((const dv_alert *)r)->item].code); }
static void a_control(cell_out *o, const void *r)
{
    text(o, o->ds->items[((const dv_alert *)r)->item].control);
}
static void a_origin(cell_out *o, const void *r) { text(o, hop_entity(o, r, 0)->id); }
static void a_final(cell_out *o, const void *r)
{
    text(o, hop_entity(o, r, ((const dv_alert *)r)->hops)->id);
}
static void a_path(cell_out *o, const void *r)
{
    const dv_alert *a = r;
    o->buf.len = 0;
    for (int h = 0; h <= a->hops; h++) dv_buf_printf(&o->buf, "%s%s", h ? ">" : "", hop_entity(o, a, h)->id);
    text(o, o->buf.data);
}
static void a_countries(cell_out *o, const void *r)
{
    const dv_alert *a = r;
    o->buf.len = 0;
    for (int h = 0; h <= a->hops; h++)
        dv_buf_printf(&o->buf, "%s%s", h ? ">" : "", hop_entity(o, a, h)->country);
    text(o, o->buf.data);
}
static void a_first(cell_out *o, const void *r) { date(o, ((const dv_alert *)r)->first_date); }
static void a_last(cell_out *o, const void *r) { date(o, ((const dv_alert *)r)->last_date); }
static void a_shipments(cell_out *o, const void *r)
{
    fprintf(o->f, "%zu", ((const dv_alert *)r)->n_evidence);
}
static void a_quantity(cell_out *o, const void *r) { number(o, ((const dv_alert *)r)->quantity); }
static void a_value(cell_out *o, const void *r)
{
    const dv_alert *a = r;
    if (a->has_value) number(o, a->value);
}
static void a_rules(cell_out *o, const void *r)
{
    const dv_alert *a = r;
    o->buf.len = 0;
    dv_buf_add(&o->buf, "", 0);
    for (size_t k = 0; k < a->n_hits; k++)
        dv_buf_printf(&o->buf, "%s%s", k ? ";" : "", dv_rules[a->hits[k].rule].id);
    text(o, o->buf.data);
}
static void a_explanation(cell_out *o, const void *r) { text(o, ((const dv_alert *)r)->explanation); }
static void a_track(cell_out *o, const void *r) { text(o, dv_track_names[((const dv_alert *)r)->track]); }

/* new without a case store: a scan without memory has seen nothing before */
static void a_status(cell_out *o, const void *r)
{
    const dv_cases *c = o->p->cases;
    size_t i = (size_t)((const dv_alert *)r - o->p->result.alerts);
    text(o, c && c->on ? dv_case_status_names[c->status[i]] : dv_case_status_names[DV_CASE_NEW]);
}

static const csv_column alert_columns[] = {
    {"alert_id", a_id},       {"score", a_score},       {"severity", a_severity},
    {"item", a_item},         {"control", a_control},   {"origin_id", a_origin},
    {"final_id", a_final},    {"path", a_path},         {"countries", a_countries},
    {"first_date", a_first},  {"last_date", a_last},    {"shipments", a_shipments},
    {"quantity", a_quantity}, {"value", a_value},       {"rules", a_rules},
    {"explanation", a_explanation},
    {"track", a_track},       {"status", a_status},
};

int dv_write_alerts_csv(FILE *f, const dv_pipeline *p)
{
    cell_out o = cells_of(f, p);
    write_csv_header(f, alert_columns, N_COLS(alert_columns));
    for (size_t i = 0; i < p->result.n_alerts; i++)
        write_csv_row(&o, alert_columns, N_COLS(alert_columns), &p->result.alerts[i]);
    return cells_done(&o);
}

/* ---- routes.csv: one row a shipment of an example realisation ---- */

typedef struct route_row {
    const dv_alert *alert;
    size_t example;              /* 1-based */
    int hop;                     /* 1-based */
    const dv_shipment *s;
} route_row;

static void r_alert(cell_out *o, const void *r) { text(o, ((const route_row *)r)->alert->id); }
static void r_route(cell_out *o, const void *r) { fprintf(o->f, "%zu", ((const route_row *)r)->example); }
static void r_hop(cell_out *o, const void *r) { fprintf(o->f, "%d", ((const route_row *)r)->hop); }
static void r_shipment(cell_out *o, const void *r) { text(o, ((const route_row *)r)->s->id); }
static void r_date(cell_out *o, const void *r) { date(o, ((const route_row *)r)->s->date); }
static void r_shipper(cell_out *o, const void *r)
{
    text(o, o->ds->entities[((const route_row *)r)->s->shipper].id);
}
static void r_consignee(cell_out *o, const void *r)
{
    text(o, o->ds->entities[((const route_row *)r)->s->consignee].id);
}
static void r_item(cell_out *o, const void *r) { text(o, ((const route_row *)r)->s->item); }
static void r_quantity(cell_out *o, const void *r) { number(o, ((const route_row *)r)->s->quantity); }
static void r_value(cell_out *o, const void *r)
{
    const dv_shipment *s = ((const route_row *)r)->s;
    if (!isnan(s->value)) number(o, s->value);
}

static const csv_column route_columns[] = {
    {"alert_id", r_alert},         {"route", r_route},       {"hop", r_hop},
    {"shipment_id", r_shipment},   {"date", r_date},         {"shipper_id", r_shipper},
    {"consignee_id", r_consignee}, {"item", r_item},         {"quantity", r_quantity},
    {"value", r_value},
};

int dv_write_routes_csv(FILE *f, const dv_pipeline *p)
{
    cell_out o = cells_of(f, p);
    write_csv_header(f, route_columns, N_COLS(route_columns));
    for (size_t i = 0; i < p->result.n_alerts; i++) {
        const dv_alert *a = &p->result.alerts[i];
        for (size_t x = 0; x < a->n_examples; x++)
            for (int h = 0; h < a->hops; h++) {
                route_row row = {a, x + 1, h + 1,
                                 &p->ds.shipments[a->examples[x * (size_t)a->hops + (size_t)h]]};
                write_csv_row(&o, route_columns, N_COLS(route_columns), &row);
            }
    }
    return cells_done(&o);
}

/* ---- rejects.csv: one row a rejected input row ---- */

static void j_table(cell_out *o, const void *r) { text(o, ((const dv_reject *)r)->table); }
static void j_line(cell_out *o, const void *r) { fprintf(o->f, "%ld", ((const dv_reject *)r)->line); }
static void j_column(cell_out *o, const void *r) { text(o, ((const dv_reject *)r)->column); }
static void j_reason(cell_out *o, const void *r)
{
    const dv_reject *j = r;
    o->buf.len = 0;
    dv_buf_printf(&o->buf, "%s: %s", j->code, j->detail);
    text(o, o->buf.data);
}
static void j_record(cell_out *o, const void *r) { text(o, ((const dv_reject *)r)->record); }

static const csv_column reject_columns[] = {
    {"table", j_table},   {"line", j_line},     {"column", j_column},
    {"reason", j_reason}, {"record", j_record},
};

int dv_write_rejects_csv(FILE *f, const dv_pipeline *p)
{
    cell_out o = cells_of(f, p);
    write_csv_header(f, reject_columns, N_COLS(reject_columns));
    for (size_t i = 0; i < p->ds.n_rejects; i++)
        write_csv_row(&o, reject_columns, N_COLS(reject_columns), &p->ds.rejects[i]);
    return cells_done(&o);
}

/* ---- matches.csv: one row an entity and list entry that match ---- */

static const dv_watch *entry_of(const cell_out *o, const void *r)
{
    return &o->ds->watchlist[((const dv_match *)r)->watch];
}
static void m_entity(cell_out *o, const void *r)
{
    text(o, o->ds->entities[((const dv_match *)r)->entity].id);
}
static void m_entity_name(cell_out *o, const void *r) { text(o, ((const dv_match *)r)->entity_name); }
static void m_list_id(cell_out *o, const void *r) { text(o, entry_of(o, r)->id); }
static void m_list_name(cell_out *o, const void *r) { text(o, ((const dv_match *)r)->list_name); }
static void m_source(cell_out *o, const void *r) { text(o, entry_of(o, r)->source); }
static void m_score(cell_out *o, const void *r) { fprintf(o->f, "%.3f", ((const dv_match *)r)->score); }
static void m_explanation(cell_out *o, const void *r) { text(o, ((const dv_match *)r)->explanation); }
/* "match" raises the watchlist concern; "review" is a pair of the review
 * band, for a person to decide */
static void m_decision(cell_out *o, const void *r)
{
    text(o, dv_match_in_review(&o->p->screening, r) ? "review" : "match");
}

static const csv_column match_columns[] = {
    {"entity_id", m_entity}, {"entity_name", m_entity_name}, {"list_id", m_list_id},
    {"list_name", m_list_name}, {"source", m_source},         {"score", m_score},
    {"explanation", m_explanation}, {"decision", m_decision},
};

int dv_write_matches_csv(FILE *f, const dv_pipeline *p)
{
    cell_out o = cells_of(f, p);
    write_csv_header(f, match_columns, N_COLS(match_columns));
    for (size_t i = 0; i < p->screening.all.n; i++)
        write_csv_row(&o, match_columns, N_COLS(match_columns), &p->screening.all.m[i]);
    return cells_done(&o);
}

/* ---- changes.csv: what changed since the store's last run ---- */

static void c_alert(cell_out *o, const void *r) { text(o, ((const dv_change *)r)->alert_id); }
static void c_change(cell_out *o, const void *r) { text(o, dv_change_names[((const dv_change *)r)->kind]); }
static void c_score(cell_out *o, int v)
{
    if (v >= 0) fprintf(o->f, "%d", v);
}
static void c_old(cell_out *o, const void *r) { c_score(o, ((const dv_change *)r)->old_score); }
static void c_new(cell_out *o, const void *r) { c_score(o, ((const dv_change *)r)->new_score); }
static void c_what(cell_out *o, const void *r) { text(o, ((const dv_change *)r)->what); }

static const csv_column change_columns[] = {
    {"alert_id", c_alert}, {"change", c_change}, {"old_score", c_old},
    {"new_score", c_new},  {"what", c_what},
};

int dv_write_changes_csv(FILE *f, const dv_pipeline *p)
{
    cell_out o = cells_of(f, p);
    write_csv_header(f, change_columns, N_COLS(change_columns));
    for (size_t i = 0; p->cases && i < p->cases->n_changes; i++)
        write_csv_row(&o, change_columns, N_COLS(change_columns), &p->cases->changes[i]);
    return cells_done(&o);
}

/* ---- watchlist_changes.csv: list entries and matches since the last run ---- */

static const dv_list_change *lc_of(const void *r) { return r; }
static void l_change(cell_out *o, const void *r) { text(o, dv_list_change_names[lc_of(r)->kind]); }
static void l_list(cell_out *o, const void *r) { text(o, lc_of(r)->list); }
static void l_list_id(cell_out *o, const void *r) { text(o, lc_of(r)->list_id); }
static void l_list_name(cell_out *o, const void *r) { text(o, lc_of(r)->list_name); }
static void l_entity(cell_out *o, const void *r) { text(o, lc_of(r)->entity_id); }
static void l_entity_name(cell_out *o, const void *r) { text(o, lc_of(r)->entity_name); }
static void l_score(cell_out *o, const void *r)
{
    if (lc_of(r)->entity_id) fprintf(o->f, "%.3f", lc_of(r)->score);
}

static const csv_column list_change_columns[] = {
    {"change", l_change},       {"list", l_list},           {"list_id", l_list_id},
    {"list_name", l_list_name}, {"entity_id", l_entity},    {"entity_name", l_entity_name},
    {"score", l_score},
};

int dv_write_watchlist_changes_csv(FILE *f, const dv_pipeline *p)
{
    cell_out o = cells_of(f, p);
    write_csv_header(f, list_change_columns, N_COLS(list_change_columns));
    for (size_t i = 0; p->cases && i < p->cases->n_list_changes; i++)
        write_csv_row(&o, list_change_columns, N_COLS(list_change_columns),
                      &p->cases->list_changes[i]);
    return cells_done(&o);
}

bool dv_cases_left_out(const dv_pipeline *p) { return !p->cases || !p->cases->on; }
