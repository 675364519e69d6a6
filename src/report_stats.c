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
#include <string.h>

#include "divert/investigate.h"
#include "divert/publish.h"
#include "divert/stats.h"

typedef struct cell_out {
    FILE *f;
    bool json;
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
    if (o->json) dv_json_string(o->f, s ? s : "");
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
static void p_origin(cell_out *o, const void *r)
{
    if (PUB(r)->other) text(o, "");
    else c_origin(o, &(dv_corridor){.path = PUB(r)->key});
}
static void p_transits(cell_out *o, const void *r)
{
    if (PUB(r)->other) text(o, "");
    else c_transits(o, &(dv_corridor){.path = PUB(r)->key});
}
static void p_destination(cell_out *o, const void *r)
{
    if (PUB(r)->other) text(o, "");
    else c_destination(o, &(dv_corridor){.path = PUB(r)->key});
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

/* The rows of a table as JSON, under its key. */
static void json_table(FILE *f, cell_out *o, const table *tb)
{
    dv_json_key(f, tb->name);
    fputs("[", f);
    size_t n = 0, size = 0;
    const char *rows = tb->rows(o->st, &n, &size);
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ",\n    {" : "\n    {", f);
        for (size_t k = 0; k < tb->n_cols; k++) {
            if (k) fputs(", ", f);
            dv_json_key(f, tb->cols[k].name);
            tb->cols[k].cell(o, rows + i * size);
        }
        fputs("}", f);
    }
    fputs(n ? "\n  ]" : "]", f);
}

static cell_out cells_of(FILE *f, const dv_pipeline *p, bool json)
{
    cell_out o = {f, json, p->cfg.csv_formula_guard, &p->ds, p->stats, {0}};
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
        json_table(f, &o, &tables[t]);
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
    json_table(f, &o, &tables[T_PUB_CORRIDORS]);
    fputs(",\n  ", f);
    json_table(f, &o, &tables[T_PUB_TRENDS]);
    fputs("\n}\n", f);
    dv_buf_free(&o.buf);
    return ferror(f) ? DV_EXIT_INTERNAL : 0;
}
