/*
 * report_stats.c: the writers of divert stats: corridors.csv,
 * brokers.csv, communities.csv, trends.csv and stats.json
 * (docs/research.md).
 *
 * Each table is one column list, as in report_csv.c; a column's cell
 * function writes through text() and number(), which write a CSV cell or
 * a JSON value, so that stats.json holds the same tables with the same
 * names and figures as the CSV files (a missing figure is an empty cell
 * there and null here). The writers read p->stats (stats.h) and compute
 * nothing. Under --publish (p->stats->publish set) corridors.csv and
 * trends.csv hold publish.h's rows instead, with their own columns, and
 * publish.json holds them with the rule and what it left out.
 */
#include "divert/report.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "divert/investigate.h"
#include "divert/publish.h"
#include "divert/stats.h"

typedef struct cell_out {
    FILE *f;
    bool json;
    bool script;                 /* JSON inside an HTML <script> element (research.html) */
    bool guard;                  /* csv_formula_guard */
    const dv_dataset *ds;
    const dv_stats *st;
    dv_buf buf;
} cell_out;

typedef struct column {
    const char *name;
    void (*cell)(cell_out *o, const void *row);
} column;

static void text(cell_out *o, const char *s)
{
    if (o->script) dv_json_script_string(o->f, s ? s : "");
    else if (o->json) dv_json_string(o->f, s ? s : "");
    else dv_csv_cell(o->f, s ? s : "", o->guard);
}

static void number(cell_out *o, double v)
{
    if (o->json) {
        dv_json_number(o->f, v);
        return;
    }
    if (isnan(v)) return;
    char buf[48];
    dv_format_number(v, buf);
    fputs(buf, o->f);
}

static void count(cell_out *o, unsigned long long n)
{
    fprintf(o->f, "%llu", n);
}

static void period(cell_out *o, int p)
{
    char label[16];
    dv_stats_period_label(p, o->st->opt.by, label);
    text(o, label);
}

/* ---- corridors.csv ---- */

#define CORRIDOR(r) ((const dv_corridor *)(r))

static void c_period(cell_out *o, const void *r) { period(o, CORRIDOR(r)->period); }
static void c_corridor(cell_out *o, const void *r) { text(o, CORRIDOR(r)->path); }
static void c_origin(cell_out *o, const void *r)
{
    const char *path = CORRIDOR(r)->path;
    o->buf.len = 0;
    dv_buf_add(&o->buf, path, strcspn(path, ">"));
    text(o, o->buf.data);
}
static void c_transits(cell_out *o, const void *r)
{
    const char *path = CORRIDOR(r)->path, *first = strchr(path, '>'), *last = strrchr(path, '>');
    o->buf.len = 0;
    dv_buf_add(&o->buf, "", 0);
    if (first && last > first) dv_buf_add(&o->buf, first + 1, (size_t)(last - first - 1));
    text(o, o->buf.data);
}
static void c_destination(cell_out *o, const void *r)
{
    const char *path = CORRIDOR(r)->path, *last = strrchr(path, '>');
    text(o, last ? last + 1 : path);
}
static void c_chains(cell_out *o, const void *r) { count(o, CORRIDOR(r)->chains); }
static void c_flagged(cell_out *o, const void *r) { count(o, CORRIDOR(r)->flagged); }
static void c_share(cell_out *o, const void *r)
{
    number(o, (double)CORRIDOR(r)->flagged / (double)CORRIDOR(r)->chains);
}
static void c_shipments(cell_out *o, const void *r) { count(o, CORRIDOR(r)->shipments); }
static void c_quantity(cell_out *o, const void *r) { number(o, CORRIDOR(r)->quantity); }
static void c_value(cell_out *o, const void *r) { number(o, CORRIDOR(r)->value); }
static void c_baseline(cell_out *o, const void *r) { number(o, CORRIDOR(r)->baseline_value); }
static void c_growth(cell_out *o, const void *r) { number(o, CORRIDOR(r)->growth); }
static void c_roundabout(cell_out *o, const void *r)
{
    if (o->json && !o->st->opt.has_baseline) fputs("null", o->f);
    else text(o, CORRIDOR(r)->roundabout);
}

static const column corridor_columns[] = {
    {"period", c_period},         {"corridor", c_corridor},
    {"origin", c_origin},         {"transits", c_transits},
    {"destination", c_destination}, {"chains", c_chains},
    {"flagged_chains", c_flagged}, {"flagged_share", c_share},
    {"shipments", c_shipments},   {"quantity", c_quantity},
    {"value", c_value},           {"baseline_value", c_baseline},
    {"growth", c_growth},         {"roundabout", c_roundabout},
};

/* ---- brokers.csv ---- */

#define BROKER(r) ((const dv_broker *)(r))

static void b_rank(cell_out *o, const void *r) { count(o, BROKER(r)->rank); }
static void b_party(cell_out *o, const void *r) { text(o, o->ds->entities[BROKER(r)->entity].id); }
static void b_name(cell_out *o, const void *r) { text(o, o->ds->entities[BROKER(r)->entity].name); }
static void b_country(cell_out *o, const void *r)
{
    text(o, o->ds->entities[BROKER(r)->entity].country);
}
static void b_pairs(cell_out *o, const void *r) { count(o, BROKER(r)->pairs); }
static void b_value(cell_out *o, const void *r) { number(o, BROKER(r)->value); }
static void b_origins(cell_out *o, const void *r) { count(o, BROKER(r)->origins); }
static void b_destinations(cell_out *o, const void *r) { count(o, BROKER(r)->destinations); }
static void b_throughput(cell_out *o, const void *r) { number(o, BROKER(r)->throughput); }
static void b_dwell(cell_out *o, const void *r) { number(o, BROKER(r)->median_dwell); }
static void b_alerts(cell_out *o, const void *r) { count(o, BROKER(r)->alerts); }
static void b_betweenness(cell_out *o, const void *r) { number(o, BROKER(r)->betweenness); }
static void b_brank(cell_out *o, const void *r) { count(o, BROKER(r)->betweenness_rank); }

static const column broker_columns[] = {
    {"rank", b_rank},
    {"party", b_party},
    {"name", b_name},
    {"country", b_country},
    {"pairs", b_pairs},
    {"pairs_value", b_value},
    {"origins", b_origins},
    {"destinations", b_destinations},
    {"throughput", b_throughput},
    {"median_dwell_days", b_dwell},
    {"alerts", b_alerts},
    {"betweenness", b_betweenness},
    {"betweenness_rank", b_brank},
};

/* ---- communities.csv ---- */

#define COMMUNITY(r) ((const dv_community *)(r))

static void m_id(cell_out *o, const void *r) { count(o, COMMUNITY(r)->id); }
static void m_size(cell_out *o, const void *r) { count(o, COMMUNITY(r)->size); }
static void m_countries(cell_out *o, const void *r) { text(o, COMMUNITY(r)->countries); }
static void m_value(cell_out *o, const void *r) { number(o, COMMUNITY(r)->value); }
static void m_shipments(cell_out *o, const void *r) { count(o, COMMUNITY(r)->shipments); }
static void m_shared(cell_out *o, const void *r) { count(o, COMMUNITY(r)->shared_addresses); }
static void m_alerts(cell_out *o, const void *r) { count(o, COMMUNITY(r)->alerts); }
static void m_members(cell_out *o, const void *r)
{
    const dv_community *c = r;
    o->buf.len = 0;
    dv_buf_add(&o->buf, "", 0);
    for (size_t k = 0; k < c->size; k++)
        dv_buf_printf(&o->buf, "%s%s", k ? ";" : "", o->ds->entities[c->members[k]].id);
    text(o, o->buf.data);
}

static const column community_columns[] = {
    {"community", m_id},   {"size", m_size},
    {"countries", m_countries}, {"value", m_value},
    {"shipments", m_shipments}, {"shared_addresses", m_shared},
    {"alerts", m_alerts},  {"members", m_members},
};

/* ---- trends.csv ---- */

#define TREND(r) ((const dv_trend *)(r))

static void t_period(cell_out *o, const void *r) { period(o, TREND(r)->period); }
static void t_category(cell_out *o, const void *r) { text(o, TREND(r)->category); }
static void t_transit(cell_out *o, const void *r) { text(o, TREND(r)->transit); }
static void t_chains(cell_out *o, const void *r) { count(o, TREND(r)->chains); }
static void t_flagged(cell_out *o, const void *r) { count(o, TREND(r)->flagged); }
static void t_fvalue(cell_out *o, const void *r) { number(o, TREND(r)->flagged_value); }
static void t_uvalue(cell_out *o, const void *r) { number(o, TREND(r)->unflagged_value); }

static const column trend_columns[] = {
    {"period", t_period},         {"category", t_category},
    {"transit_country", t_transit}, {"chains", t_chains},
    {"flagged_chains", t_flagged}, {"flagged_value", t_fvalue},
    {"unflagged_value", t_uvalue},
};

/* ---- under --publish: corridors.csv and trends.csv of publish.h's rows ---- */

#define PUB(r) ((const dv_pub_row *)(r))

static void p_period(cell_out *o, const void *r) { period(o, PUB(r)->period); }
static void p_key(cell_out *o, const void *r) { text(o, PUB(r)->key); }
/* A part of a corridor's path (c_origin, c_transits or c_destination's),
 * empty for an "other" row, which has no countries. */
static void path_part(cell_out *o, const char *path, bool other,
                      void (*part)(cell_out *, const void *))
{
    if (other) text(o, "");
    else part(o, &(dv_corridor){.path = path});
}
static void p_origin(cell_out *o, const void *r) { path_part(o, PUB(r)->key, PUB(r)->other, c_origin); }
static void p_transits(cell_out *o, const void *r)
{
    path_part(o, PUB(r)->key, PUB(r)->other, c_transits);
}
static void p_destination(cell_out *o, const void *r)
{
    path_part(o, PUB(r)->key, PUB(r)->other, c_destination);
}
static void p_transit(cell_out *o, const void *r) { text(o, PUB(r)->transit); }
static void p_chains(cell_out *o, const void *r) { count(o, PUB(r)->chains); }
static void p_flagged(cell_out *o, const void *r) { count(o, PUB(r)->flagged); }
static void p_value(cell_out *o, const void *r) { number(o, PUB(r)->value); }
static void p_fvalue(cell_out *o, const void *r) { number(o, PUB(r)->flagged_value); }
static void p_uvalue(cell_out *o, const void *r) { number(o, PUB(r)->unflagged_value); }

static const column pub_corridor_columns[] = {
    {"period", p_period},         {"corridor", p_key},
    {"origin", p_origin},         {"transits", p_transits},
    {"destination", p_destination}, {"chains", p_chains},
    {"flagged_chains", p_flagged}, {"value", p_value},
};

static const column pub_trend_columns[] = {
    {"period", p_period},         {"category", p_key},
    {"transit_country", p_transit}, {"chains", p_chains},
    {"flagged_chains", p_flagged}, {"flagged_value", p_fvalue},
    {"unflagged_value", p_uvalue},
};

/* ---- the tables ---- */

#define N_COLS(cols) (sizeof(cols) / sizeof((cols)[0]))

typedef struct table {
    const char *name;            /* stats.json's key */
    const column *cols;
    size_t n_cols;
    const void *(*rows)(const dv_stats *st, size_t *n, size_t *size);
} table;

static const void *corridor_rows(const dv_stats *st, size_t *n, size_t *size)
{
    *n = st->n_corridors, *size = sizeof *st->corridors;
    return st->corridors;
}
static const void *broker_rows(const dv_stats *st, size_t *n, size_t *size)
{
    *n = st->n_brokers, *size = sizeof *st->brokers;
    return st->brokers;
}
static const void *community_rows(const dv_stats *st, size_t *n, size_t *size)
{
    *n = st->n_communities, *size = sizeof *st->communities;
    return st->communities;
}
static const void *trend_rows(const dv_stats *st, size_t *n, size_t *size)
{
    *n = st->n_trends, *size = sizeof *st->trends;
    return st->trends;
}

static const void *pub_corridor_rows(const dv_stats *st, size_t *n, size_t *size)
{
    *n = st->publish->n_corridors, *size = sizeof *st->publish->corridors;
    return st->publish->corridors;
}
static const void *pub_trend_rows(const dv_stats *st, size_t *n, size_t *size)
{
    *n = st->publish->n_trends, *size = sizeof *st->publish->trends;
    return st->publish->trends;
}

/* the tables of stats.json (T_COUNT), then those of publish.json */
enum { T_CORRIDORS, T_BROKERS, T_COMMUNITIES, T_TRENDS, T_COUNT, T_PUB_CORRIDORS = T_COUNT,
       T_PUB_TRENDS, T_ALL };
static const table tables[T_ALL] = {
    [T_CORRIDORS] = {"corridors", corridor_columns, N_COLS(corridor_columns), corridor_rows},
    [T_BROKERS] = {"brokers", broker_columns, N_COLS(broker_columns), broker_rows},
    [T_COMMUNITIES] = {"communities", community_columns, N_COLS(community_columns),
                       community_rows},
    [T_TRENDS] = {"trends", trend_columns, N_COLS(trend_columns), trend_rows},
    [T_PUB_CORRIDORS] = {"corridors", pub_corridor_columns, N_COLS(pub_corridor_columns),
                         pub_corridor_rows},
    [T_PUB_TRENDS] = {"trends", pub_trend_columns, N_COLS(pub_trend_columns), pub_trend_rows},
};

/* A table of stats.json or its published form under --publish. */
static int published(const dv_pipeline *p, int t)
{
    if (!p->stats || !p->stats->publish) return t;
    return t == T_CORRIDORS ? T_PUB_CORRIDORS : t == T_TRENDS ? T_PUB_TRENDS : t;
}

/* One row of a table as a JSON object's members, its first n_cols columns. */
static void json_row(FILE *f, cell_out *o, const table *tb, size_t n_cols, const void *row)
{
    for (size_t k = 0; k < n_cols; k++) {
        if (k) fputs(", ", f);
        dv_json_key(f, tb->cols[k].name);
        tb->cols[k].cell(o, row);
    }
}

/* The first limit rows of a table (SIZE_MAX: all) as JSON, under its key. */
static void json_table(FILE *f, cell_out *o, const table *tb, size_t limit)
{
    dv_json_key(f, tb->name);
    fputs("[", f);
    size_t n = 0, size = 0;
    const char *rows = tb->rows(o->st, &n, &size);
    if (n > limit) n = limit;
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ",\n    {" : "\n    {", f);
        json_row(f, o, tb, tb->n_cols, rows + i * size);
        fputs("}", f);
    }
    fputs(n ? "\n  ]" : "]", f);
}

static cell_out cells_of(FILE *f, const dv_pipeline *p, bool json)
{
    cell_out o = {f, json, false, p->cfg.csv_formula_guard, &p->ds, p->stats, {0}};
    return o;
}

static int write_csv(FILE *f, const dv_pipeline *p, int t)
{
    const table *tb = &tables[t];
    cell_out o = cells_of(f, p, false);
    for (size_t k = 0; k < tb->n_cols; k++) fprintf(f, "%s%s", k ? "," : "", tb->cols[k].name);
    fputc('\n', f);
    size_t n = 0, size = 0;
    const char *rows = p->stats ? tb->rows(p->stats, &n, &size) : NULL;
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < tb->n_cols; k++) {
            if (k) fputc(',', f);
            tb->cols[k].cell(&o, rows + i * size);
        }
        fputc('\n', f);
    }
    dv_buf_free(&o.buf);
    return ferror(f) ? DV_EXIT_INTERNAL : 0;
}

int dv_write_corridors_csv(FILE *f, const dv_pipeline *p)
{
    return write_csv(f, p, published(p, T_CORRIDORS));
}
int dv_write_brokers_csv(FILE *f, const dv_pipeline *p) { return write_csv(f, p, T_BROKERS); }
int dv_write_communities_csv(FILE *f, const dv_pipeline *p)
{
    return write_csv(f, p, T_COMMUNITIES);
}
int dv_write_trends_csv(FILE *f, const dv_pipeline *p)
{
    return write_csv(f, p, published(p, T_TRENDS));
}

int dv_write_stats_json(FILE *f, const dv_pipeline *p)
{
    const dv_stats *st = p->stats;
    if (!st) return DV_EXIT_INTERNAL;
    const dv_dataset *ds = &p->ds;
    fputs("{\n  ", f);
    dv_json_key(f, "dataset"), dv_json_string(f, ds->dir), fputs(",\n  ", f);
    dv_json_key(f, "by"), dv_json_string(f, dv_period_names[st->opt.by]), fputs(",\n  ", f);
    dv_json_key(f, "item");
    dv_json_string_or_null(f, st->opt.item == DV_NONE ? NULL : ds->items[st->opt.item].code);
    fputs(",\n  ", f);
    dv_json_key(f, "baseline");
    if (st->opt.has_baseline) {
        char from[16], to[16];
        dv_stats_period_label(st->opt.baseline_from, DV_BY_MONTH, from);
        dv_stats_period_label(st->opt.baseline_to, DV_BY_MONTH, to);
        fputs("{", f), dv_json_key(f, "from"), dv_json_string(f, from);
        fputs(", ", f), dv_json_key(f, "to"), dv_json_string(f, to), fputs("}", f);
    } else
        fputs("null", f);
    fputs(",\n  ", f);
    dv_json_key(f, "growth_factor"), dv_json_number(f, DV_STATS_GROWTH_FACTOR), fputs(",\n  ", f);
    dv_json_key(f, "window_days"), fprintf(f, "%d,\n  ", p->cfg.window_days);
    dv_json_key(f, "max_hops"), fprintf(f, "%d,\n  ", p->cfg.max_hops);
    dv_json_key(f, "chains"), fprintf(f, "%llu,\n  ", st->chains);
    dv_json_key(f, "chain_periods"), fprintf(f, "%llu,\n  ", st->chain_periods);
    dv_json_key(f, "flagged_chain_periods"), fprintf(f, "%llu,\n  ", st->flagged);
    dv_json_key(f, "alerts"), fprintf(f, "%zu,\n  ", p->result.n_alerts);
    dv_json_key(f, "betweenness"), fputs("{", f);
    dv_json_key(f, "parties"), fprintf(f, "%zu, ", st->n_brokers);
    dv_json_key(f, "sources"), fprintf(f, "%zu, ", st->betweenness_sources);
    dv_json_key(f, "exact"), fputs(st->betweenness_sources == st->n_brokers ? "true},\n  " : "false},\n  ", f);
    dv_json_key(f, "partial"), fputs("[", f);
    for (size_t i = 0; i < st->n_partial; i++) {
        fputs(i ? ", {" : "{", f);
        dv_json_key(f, "item"), dv_json_string(f, ds->items[st->partial[i].item].code);
        fputs(", ", f), dv_json_key(f, "chains"), fprintf(f, "%llu}", st->partial[i].chains);
    }
    fputs("]", f);
    cell_out o = cells_of(f, p, true);
    for (int t = 0; t < T_COUNT; t++) {
        fputs(",\n  ", f);
        json_table(f, &o, &tables[t], SIZE_MAX);
    }
    fputs("\n}\n", f);
    dv_buf_free(&o.buf);
    return ferror(f) ? DV_EXIT_INTERNAL : 0;
}

/* ---- publish.json ---- */

bool dv_stats_full_left_out(const dv_pipeline *p) { return p->stats && p->stats->publish; }
bool dv_publish_left_out(const dv_pipeline *p) { return !p->stats || !p->stats->publish; }

static void tally(FILE *f, const char *name, const dv_pub_tally *t)
{
    char merged[32], suppressed[32];
    dv_publish_band(t->merged_value, t->value, merged);
    dv_publish_band(t->suppressed_value, t->value, suppressed);
    fputs(",\n  ", f);
    dv_json_key(f, name);
    fprintf(f, "{\"cells\": %zu, \"published\": %zu, \"merged\": %zu, \"suppressed\": %zu, "
               "\"withheld_periods\": %zu, ",
            t->cells, t->published, t->merged, t->suppressed, t->withheld_periods);
    dv_json_key(f, "merged_value_share"), dv_json_string(f, merged), fputs(", ", f);
    dv_json_key(f, "suppressed_value_share"), dv_json_string(f, suppressed), fputs("}", f);
}

int dv_write_publish_json(FILE *f, const dv_pipeline *p)
{
    const dv_stats *st = p->stats;
    if (!st || !st->publish) return DV_EXIT_INTERNAL;
    const dv_publish *pub = st->publish;
    fputs("{\n  ", f);
    dv_json_key(f, "by"), dv_json_string(f, dv_period_names[st->opt.by]), fputs(",\n  ", f);
    dv_json_key(f, "item");
    dv_json_string_or_null(f, st->opt.item == DV_NONE ? NULL : p->ds.items[st->opt.item].code);
    fputs(",\n  ", f);
    dv_json_key(f, "rule"), fputs("{", f);
    dv_json_key(f, "k"), fprintf(f, "%u, ", pub->k);
    dv_json_key(f, "dominance"), dv_json_number(f, DV_PUBLISH_DOMINANCE), fputs(", ", f);
    dv_json_key(f, "count_base"), fprintf(f, "%d, ", DV_PUBLISH_COUNT_BASE);
    dv_json_key(f, "value_digits"), fprintf(f, "%d, ", DV_PUBLISH_DIGITS);
    dv_json_key(f, "share_band_percent"), fprintf(f, "%d}", DV_PUBLISH_SHARE_BAND);
    tally(f, "corridor_cells", &pub->corridor_tally);
    tally(f, "trend_cells", &pub->trend_tally);
    cell_out o = cells_of(f, p, true);
    fputs(",\n  ", f);
    json_table(f, &o, &tables[T_PUB_CORRIDORS], SIZE_MAX);
    fputs(",\n  ", f);
    json_table(f, &o, &tables[T_PUB_TRENDS], SIZE_MAX);
    fputs("\n}\n", f);
    dv_buf_free(&o.buf);
    return ferror(f) ? DV_EXIT_INTERNAL : 0;
}

/* ---- research.html's data ---- */

/* The brokers research.html ranks, and the most corridors it carries. */
#define RESEARCH_BROKERS 20
#define RESEARCH_CORRIDORS 3000

/* A corridor over all periods: the flow diagram's row. */
typedef struct corridor_total {
    const char *path;            /* "other": --publish's merged cells */
    bool other;
    unsigned long long chains, flagged; /* summed over the periods */
    double value;
} corridor_total;

#define TOTAL(r) ((const corridor_total *)(r))

static void r_path(cell_out *o, const void *r) { text(o, TOTAL(r)->path); }
static void r_origin(cell_out *o, const void *r)
{
    path_part(o, TOTAL(r)->path, TOTAL(r)->other, c_origin);
}
static void r_transits(cell_out *o, const void *r)
{
    path_part(o, TOTAL(r)->path, TOTAL(r)->other, c_transits);
}
static void r_destination(cell_out *o, const void *r)
{
    path_part(o, TOTAL(r)->path, TOTAL(r)->other, c_destination);
}
static void r_value(cell_out *o, const void *r) { number(o, TOTAL(r)->value); }
static void r_chains(cell_out *o, const void *r) { count(o, TOTAL(r)->chains); }
static void r_flagged(cell_out *o, const void *r) { count(o, TOTAL(r)->flagged); }

static const column total_columns[] = {
    {"corridor", r_path},         {"origin", r_origin},
    {"transits", r_transits},     {"destination", r_destination},
    {"value", r_value},           {"chain_periods", r_chains},
    {"flagged_chain_periods", r_flagged},
};

static int cmp_total_path(const void *x, const void *y)
{
    const corridor_total *a = x, *b = y;
    if (a->other != b->other) return a->other ? 1 : -1;
    return strcmp(a->path, b->path);
}

static int cmp_total_value(const void *x, const void *y)
{
    const corridor_total *a = x, *b = y;
    if (a->value != b->value) return a->value > b->value ? -1 : 1;
    return cmp_total_path(a, b);
}

/* The corridors summed over the periods, the largest value first (the
 * published cells under --publish); *n their number. */
static corridor_total *corridor_totals(const dv_stats *st, size_t *n)
{
    size_t rows = st->publish ? st->publish->n_corridors : st->n_corridors;
    corridor_total *t = dv_xmalloc((rows + 1) * sizeof *t);
    for (size_t i = 0; i < rows; i++) {
        if (st->publish) {
            const dv_pub_row *r = &st->publish->corridors[i];
            t[i] = (corridor_total){r->key, r->other, r->chains, r->flagged, r->value};
        } else {
            const dv_corridor *c = &st->corridors[i];
            t[i] = (corridor_total){c->path, false, c->chains, c->flagged, c->value};
        }
    }
    dv_qsort(t, rows, sizeof *t, cmp_total_path);
    size_t w = 0;
    for (size_t i = 0; i < rows; i++) {
        if (w && !cmp_total_path(&t[w - 1], &t[i])) {
            t[w - 1].chains += t[i].chains, t[w - 1].flagged += t[i].flagged;
            t[w - 1].value += t[i].value;
        } else
            t[w++] = t[i];
    }
    dv_qsort(t, w, sizeof *t, cmp_total_value);
    *n = w;
    return t;
}

/* The corridor totals, the first RESEARCH_CORRIDORS of them, and what
 * is left out. */
static void corridor_table(FILE *f, cell_out *o)
{
    size_t n = 0;
    corridor_total *t = corridor_totals(o->st, &n);
    size_t shown = n < RESEARCH_CORRIDORS ? n : RESEARCH_CORRIDORS;
    double rest = 0;
    for (size_t i = shown; i < n; i++) rest += t[i].value;
    table tb = {"corridors", total_columns, N_COLS(total_columns), NULL};
    dv_json_key(f, "corridors");
    fputs("[", f);
    for (size_t i = 0; i < shown; i++) {
        fputs(i ? ",\n    {" : "\n    {", f);
        json_row(f, o, &tb, tb.n_cols, &t[i]);
        fputs("}", f);
    }
    fputs(shown ? "\n  ],\n  " : "],\n  ", f);
    dv_json_key(f, "corridors_total"), fprintf(f, "%zu,\n  ", n);
    dv_json_key(f, "corridors_left_out_value"), dv_json_number(f, rest);
    free(t);
}

/* "label" of a period, or of the period a month falls in. */
static void period_string(FILE *f, int period, dv_period_kind by)
{
    char label[16];
    dv_stats_period_label(period, by, label);
    dv_json_string(f, label);
}

/* The period axis: every period from the first to the last of the
 * corridors, the trends and the baseline, gaps included. */
static void period_axis(FILE *f, const dv_stats *st, int first, int last)
{
    dv_json_key(f, "periods");
    fputs("[", f);
    for (int q = first; q <= last && first != INT32_MAX; q++) {
        if (q > first) fputs(q % 12 ? ", " : ",\n    ", f);
        period_string(f, q, st->opt.by);
    }
    fputs("]", f);
}

/* The drawn communities: communities.csv's columns but the members, and
 * each member's id, name, country and position, and the pairs that trade. */
static void community_drawings(FILE *f, cell_out *o)
{
    const dv_stats *st = o->st;
    const table *tb = &tables[T_COMMUNITIES];
    dv_json_key(f, "communities");
    fputs("[", f);
    size_t n = 0;
    for (size_t k = 0; k < st->n_communities; k++) {
        const dv_community *c = &st->communities[k];
        if (!c->xy) continue;
        fputs(n++ ? ",\n    {" : "\n    {", f);
        json_row(f, o, tb, tb->n_cols - 1, c); /* all but members */
        fputs(",\n     \"nodes\": [", f);
        for (size_t i = 0; i < c->size; i++) {
            const dv_entity *e = &o->ds->entities[c->members[i]];
            fputs(i ? ",\n       {" : "\n       {", f);
            dv_json_key(f, "id"), text(o, e->id);
            fputs(", ", f), dv_json_key(f, "name"), text(o, e->name);
            fputs(", ", f), dv_json_key(f, "country"), text(o, e->country);
            fprintf(f, ", \"x\": %.3f, \"y\": %.3f}", c->xy[2 * i], c->xy[2 * i + 1]);
        }
        fputs("],\n     \"edges\": [", f);
        for (size_t i = 0; i < c->n_edges; i++) {
            fprintf(f, "%s[%u, %u, ", i ? ", " : "", c->edges[2 * i], c->edges[2 * i + 1]);
            dv_json_number(f, c->edge_value[i]);
            fputs("]", f);
        }
        fputs("]}", f);
    }
    fputs(n ? "\n  ]" : "]", f);
}

int dv_write_research_doc(FILE *f, const dv_pipeline *p)
{
    const dv_stats *st = p->stats;
    if (!st) return DV_EXIT_INTERNAL;
    const dv_dataset *ds = &p->ds;
    cell_out o = cells_of(f, p, true);
    o.script = true;
    fputs("{\n  ", f);
    dv_json_key(f, "dataset"), text(&o, ds->dir), fputs(",\n  ", f);
    dv_json_key(f, "generator"), dv_json_string(f, "divert " DIVERT_VERSION), fputs(",\n  ", f);
    dv_json_key(f, "by"), dv_json_string(f, dv_period_names[st->opt.by]), fputs(",\n  ", f);
    dv_json_key(f, "item");
    if (st->opt.item == DV_NONE) fputs("null", f);
    else text(&o, ds->items[st->opt.item].code);
    fputs(",\n  ", f);
    dv_json_key(f, "shipments"), fprintf(f, "%zu,\n  ", ds->n_shipments);
    dv_json_key(f, "chains"), fprintf(f, "%llu,\n  ", st->chains);
    dv_json_key(f, "alerts"), fprintf(f, "%zu,\n  ", p->result.n_alerts);
    /* the period axis spans the rows and the baseline */
    int first = INT32_MAX, last = INT32_MIN;
    size_t n_rows = st->publish ? st->publish->n_corridors : st->n_corridors;
    for (size_t i = 0; i < n_rows; i++) {
        /* under --publish, of the published rows only: the axis tells no more */
        int q = st->publish ? st->publish->corridors[i].period : st->corridors[i].period;
        if (q < first) first = q;
        if (q > last) last = q;
    }
    dv_json_key(f, "baseline");
    if (st->opt.has_baseline) {
        int from = dv_stats_period_of_month(st->opt.baseline_from, st->opt.by);
        int to = dv_stats_period_of_month(st->opt.baseline_to, st->opt.by);
        if (from < first) first = from;
        if (to > last) last = to;
        fputs("{\"from\": ", f), period_string(f, from, st->opt.by);
        fputs(", \"to\": ", f), period_string(f, to, st->opt.by), fputs("}", f);
    } else
        fputs("null", f);
    fputs(",\n  ", f);
    dv_json_key(f, "published");
    if (st->publish) fprintf(f, "{\"k\": %u}", st->publish->k);
    else fputs("null", f);
    fputs(",\n  ", f);
    period_axis(f, st, first, last);
    fputs(",\n  ", f);
    corridor_table(f, &o);
    fputs(",\n  ", f);
    json_table(f, &o, &tables[published(p, T_TRENDS)], SIZE_MAX);
    if (!st->publish) {
        /* parties by name: never under --publish */
        fputs(",\n  ", f);
        dv_json_key(f, "brokers_total"), fprintf(f, "%zu,\n  ", st->n_brokers);
        json_table(f, &o, &tables[T_BROKERS], RESEARCH_BROKERS);
        fputs(",\n  ", f);
        dv_json_key(f, "communities_total"), fprintf(f, "%zu,\n  ", st->n_communities);
        dv_json_key(f, "communities_drawn_max"), fprintf(f, "%d,\n  ", DV_STATS_DRAW_MAX);
        community_drawings(f, &o);
    }
    fputs("\n}\n", f);
    dv_buf_free(&o.buf);
    return ferror(f) ? DV_EXIT_INTERNAL : 0;
}
