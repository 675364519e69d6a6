/*
 * stats.c: corridors, brokers, communities and trends (stats.h).
 *
 * One walk over the realised chains of the analysed item entries gathers
 * what each table needs as flat records (one a chain; one a transit and
 * origin-destination pair; one a transit and first-leg shipment; one a
 * transit and outbound shipment with its dwell); each table is then a
 * sort and a merge of its records, so nothing depends on hash order. The
 * flows between countries (the roundabout signal) and the quantities
 * each party receives and ships (throughput) come from the shipments
 * themselves, chains or not. Betweenness and communities are netstats.h's.
 */
#include "divert/stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "divert/flag.h"
#include "divert/netstats.h"
#include "divert/routes.h"

/* ---- what the walk gathers ---- */

typedef struct chain_rec {
    int period, month;
    const char *path;            /* interned */
    const char *category;
    char origin[3], destination[3];
    char transits[DV_MAX_HOPS][3]; /* distinct countries between origin and destination */
    int n_transits;
    bool flagged;
    unsigned shipments;
    double quantity, value;
    uint32_t parties[DV_MAX_HOPS + 1]; /* the distinct parties of the chain */
    int n_parties;
} chain_rec;

typedef struct pair_rec {
    uint32_t party, origin, destination;
} pair_rec;

typedef struct ship_rec {
    uint32_t party, ship;
    int32_t dwell;               /* days, for dwell records */
} ship_rec;

typedef struct walk {
    const dv_dataset *ds;
    const dv_config *cfg;
    const dv_flagger *flagger;
    dv_stats *st;
    uint32_t *feasible_buf;
    uint32_t *period_fwd, *period_buf; /* one period's forward and feasible sets */
    const char *category;
    unsigned long long examined;
    bool cut;
    chain_rec *chains; size_t n_chains, cap_chains;
    pair_rec *pairs; size_t n_pairs, cap_pairs;
    ship_rec *firsts; size_t n_firsts, cap_firsts;
    ship_rec *dwells; size_t n_dwells, cap_dwells;
    size_t firsts_limit, dwells_limit; /* compact() past these */
    /* the covered shipments' rows in id order: the sums over shipments
     * run in this order, so that they do not depend on the input's */
    uint32_t *rows; size_t n_rows;
} walk;

static void add_sum(double *sum, double v)
{
    if (!isnan(v)) *sum += v;
}

static int cmp_ship(const void *x, const void *y);

/* Sort the records and keep the first of each (party, shipment): the
 * shortest dwell. The walk calls it when its records double, so that a
 * shipment that starts many chains through one party is held once. */
static size_t compact(ship_rec *r, size_t n)
{
    dv_qsort(r, n, sizeof *r, cmp_ship);
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        if (!w || r[w - 1].party != r[i].party || r[w - 1].ship != r[i].ship) r[w++] = r[i];
    return w;
}

enum { COMPACT_MIN = 1 << 16 };

static int on_chain(void *ctx, const dv_item_graph *ig, const uint32_t *path, int hops,
                    const dv_hopsets *fwd)
{
    (void)ig;
    walk *W = ctx;
    if (hops == 1) return DV_ROUTE_GO_ON;
    if (++W->examined > W->cfg->chain_budget) {
        W->cut = true;
        return -1;
    }
    W->st->chains++;
    const dv_dataset *ds = W->ds;
    dv_hopsets feasible;
    dv_route_feasible(ds, W->cfg->window_days, fwd, &feasible, W->feasible_buf);
    chain_rec c = {0};
    c.category = W->category;
    for (int h = 0; h <= hops; h++) {
        bool seen = false;
        for (int k = 0; k < c.n_parties && !seen; k++) seen = c.parties[k] == path[h];
        if (!seen) c.parties[c.n_parties++] = path[h];
    }
    /* the country path, repeats in a row merged */
    char countries[DV_MAX_HOPS + 1][3];
    int m = 0;
    for (int h = 0; h <= hops; h++) {
        const char *cc = ds->entities[path[h]].country;
        if (m && !strcmp(countries[m - 1], cc)) continue;
        memcpy(countries[m++], cc, 3);
    }
    char text[(DV_MAX_HOPS + 1) * 3 + 1];
    size_t len = 0;
    for (int i = 0; i < m; i++)
        len += (size_t)snprintf(text + len, sizeof text - len, "%s%s", i ? ">" : "", countries[i]);
    c.path = dv_intern_str(&W->st->strings, text, len);
    memcpy(c.origin, countries[0], 3);
    memcpy(c.destination, countries[m - 1], 3);
    for (int i = 1; i + 1 < m; i++) {
        bool seen = false;
        for (int k = 0; k < c.n_transits && !seen; k++) seen = !strcmp(c.transits[k], countries[i]);
        if (!seen) memcpy(c.transits[c.n_transits++], countries[i], 3);
    }
    /* one record a period in which the chain is realised: the realisations
     * whose first shipment falls in it (the first-leg evidence is sorted by
     * date, so a period's first legs are a run of it) */
    const uint32_t *first = feasible.ship[0];
    for (size_t i = 0; i < feasible.n[0];) {
        int month = dv_stats_month_of(ds->shipments[first[i]].date);
        int period = dv_stats_period_of_month(month, W->st->opt.by);
        size_t j = i + 1;
        while (j < feasible.n[0] &&
               dv_stats_period_of_month(dv_stats_month_of(ds->shipments[first[j]].date), W->st->opt.by) == period)
            j++;
        dv_hopsets fw = {.hops = hops}, pf;
        fw.ship[0] = first + i;
        fw.n[0] = j - i;
        uint32_t *o = W->period_fwd;
        for (int h = 1; h < hops; h++) {
            /* forward: a shipment with a predecessor kept at the hop before, no
             * earlier than it and within the window */
            const uint32_t *prev = fw.ship[h - 1];
            size_t k = 0, n = 0;
            fw.ship[h] = o;
            for (size_t x = 0; x < feasible.n[h] && fw.n[h - 1]; x++) {
                int32_t d = ds->shipments[feasible.ship[h][x]].date;
                while (k + 1 < fw.n[h - 1] && ds->shipments[prev[k + 1]].date <= d) k++;
                int32_t pd = ds->shipments[prev[k]].date;
                if (pd <= d && d - pd <= W->cfg->window_days) o[n++] = feasible.ship[h][x];
            }
            fw.n[h] = n;
            o += n;
        }
        dv_route_feasible(ds, W->cfg->window_days, &fw, &pf, W->period_buf);
        dv_flag_result fr;
        dv_flag_chain(W->flagger, path, hops, &pf, &fr);
        c.flagged = fr.flagged;
        c.month = month;
        c.period = period;
        c.shipments = 0;
        c.quantity = c.value = 0;
        for (int h = 0; h < hops; h++) c.shipments += (unsigned)pf.n[h];
        for (size_t x = 0; x < pf.n[0]; x++) {
            const dv_shipment *s = &ds->shipments[pf.ship[0][x]];
            c.quantity += s->quantity;
            add_sum(&c.value, s->value);
        }
        DV_PUSH(W->chains, W->n_chains, W->cap_chains, c);
        i = j;
    }

    /* the brokers' records: each transit party */
    for (int h = 1; h < hops; h++) {
        pair_rec pr = {path[h], path[0], path[hops]};
        DV_PUSH(W->pairs, W->n_pairs, W->cap_pairs, pr);
        for (size_t i = 0; i < feasible.n[0]; i++) {
            ship_rec fs = {path[h], feasible.ship[0][i], 0};
            DV_PUSH(W->firsts, W->n_firsts, W->cap_firsts, fs);
        }
        /* dwell: each outbound shipment after the latest arrival before it */
        const uint32_t *in = feasible.ship[h - 1], *out = feasible.ship[h];
        size_t k = 0;
        for (size_t i = 0; i < feasible.n[h]; i++) {
            int32_t d = ds->shipments[out[i]].date;
            while (k + 1 < feasible.n[h - 1] && ds->shipments[in[k + 1]].date <= d) k++;
            if (ds->shipments[in[k]].date > d) continue;
            ship_rec dw = {path[h], out[i], d - ds->shipments[in[k]].date};
            DV_PUSH(W->dwells, W->n_dwells, W->cap_dwells, dw);
        }
    }
    if (W->n_firsts > W->firsts_limit) {
        W->n_firsts = compact(W->firsts, W->n_firsts);
        W->firsts_limit = 2 * W->n_firsts > COMPACT_MIN ? 2 * W->n_firsts : COMPACT_MIN;
    }
    if (W->n_dwells > W->dwells_limit) {
        W->n_dwells = compact(W->dwells, W->n_dwells);
        W->dwells_limit = 2 * W->n_dwells > COMPACT_MIN ? 2 * W->n_dwells : COMPACT_MIN;
    }
    return DV_ROUTE_GO_ON;
}

/* ---- the parties of a cell ---- */

static int cmp_share(const void *x, const void *y)
{
    const dv_party_share *a = x, *b = y;
    return a->entity < b->entity ? -1 : a->entity > b->entity;
}

size_t dv_party_shares_merge(dv_party_share *l, size_t n)
{
    dv_qsort(l, n, sizeof *l, cmp_share);
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        if (w && l[w - 1].entity == l[i].entity) {
            l[w - 1].value += l[i].value;
            l[w - 1].chains += l[i].chains;
        } else
            l[w++] = l[i];
    }
    return w;
}

/* Add the parties of chain r to a cell's list (merged later). */
static void add_parties(dv_party_share **l, size_t *n, size_t *cap, const chain_rec *r)
{
    for (int k = 0; k < r->n_parties; k++) {
        dv_party_share s = {r->parties[k], isnan(r->value) ? 0 : r->value, 1};
        DV_PUSH(*l, *n, *cap, s);
    }
}

/* ---- corridors ---- */

static int cmp_chain(const void *x, const void *y)
{
    const chain_rec *a = x, *b = y;
    if (a->period != b->period) return a->period < b->period ? -1 : 1;
    return strcmp(a->path, b->path);
}

typedef struct flow {
    int period;                  /* period, or -1 for the baseline's total */
    char from[3], to[3];
    double value;
} flow;

static int cmp_flow(const void *x, const void *y)
{
    const flow *a = x, *b = y;
    if (a->period != b->period) return a->period < b->period ? -1 : 1;
    int c = strcmp(a->from, b->from);
    return c ? c : strcmp(a->to, b->to);
}

static double flow_value(const flow *f, size_t n, int period, const char *from, const char *to)
{
    flow key = {period, "", "", 0};
    memcpy(key.from, from, 3);
    memcpy(key.to, to, 3);
    const flow *hit = bsearch(&key, f, n, sizeof *f, cmp_flow);
    return hit ? hit->value : 0;
}

/* Do flows from -> to grow in period against the baseline? */
static bool grows(const flow *f, size_t n, int period, const char *from, const char *to,
                  double per_period)
{
    double v = flow_value(f, n, period, from, to);
    double base = flow_value(f, n, -1, from, to) * per_period;
    return base > 0 ? v > DV_STATS_GROWTH_FACTOR * base : v > 0;
}

/* Is the shipment of an item entry the statistics cover? */
static bool covered(const dv_dataset *ds, const dv_stats *st, const dv_shipment *s)
{
    if (s->item_idx == DV_NONE || !ds->items[s->item_idx].analysed) return false;
    return st->opt.item == DV_NONE || s->item_idx == st->opt.item;
}

typedef struct path_total {
    const char *path;
    double value;
} path_total;

static int cmp_path(const void *x, const void *y)
{
    return strcmp(((const path_total *)x)->path, ((const path_total *)y)->path);
}

static void corridors(const dv_dataset *ds, dv_stats *st, walk *W)
{
    const dv_stats_options *o = &st->opt;
    dv_qsort(W->chains, W->n_chains, sizeof *W->chains, cmp_chain);
    /* the flows between countries: per period, and the baseline's total (-1) */
    flow *flows = NULL;
    size_t n_flows = 0, cap_flows = 0;
    if (o->has_baseline)
        for (size_t i = 0; i < W->n_rows; i++) {
            const dv_shipment *s = &ds->shipments[W->rows[i]];
            if (isnan(s->value)) continue;
            flow f = {0, "", "", s->value};
            memcpy(f.from, ds->entities[s->shipper].country, 3);
            memcpy(f.to, ds->entities[s->consignee].country, 3);
            int month = dv_stats_month_of(s->date);
            f.period = dv_stats_period_of_month(month, o->by);
            DV_PUSH(flows, n_flows, cap_flows, f);
            if (month >= o->baseline_from && month <= o->baseline_to) {
                f.period = -1;
                DV_PUSH(flows, n_flows, cap_flows, f);
            }
        }
    dv_qsort(flows, n_flows, sizeof *flows, cmp_flow);
    size_t w = 0;
    for (size_t i = 0; i < n_flows; i++) {
        if (w && !cmp_flow(&flows[w - 1], &flows[i])) flows[w - 1].value += flows[i].value;
        else flows[w++] = flows[i];
    }
    n_flows = w;
    /* a baseline total times this is its average per period */
    double per_period = o->has_baseline ? (double)dv_stats_months_per(o->by) /
                                              (double)(o->baseline_to - o->baseline_from + 1)
                                        : 0;
    /* each corridor's value in the baseline months */
    path_total *bases = NULL;
    size_t n_bases = 0, cap_bases = 0;
    for (size_t i = 0; o->has_baseline && i < W->n_chains; i++) {
        const chain_rec *r = &W->chains[i];
        if (r->month < o->baseline_from || r->month > o->baseline_to) continue;
        path_total t = {r->path, r->value};
        DV_PUSH(bases, n_bases, cap_bases, t);
    }
    dv_qsort(bases, n_bases, sizeof *bases, cmp_path);
    w = 0;
    for (size_t i = 0; i < n_bases; i++) {
        if (w && !cmp_path(&bases[w - 1], &bases[i])) bases[w - 1].value += bases[i].value;
        else bases[w++] = bases[i];
    }
    n_bases = w;
    size_t cap = 0;
    for (size_t i = 0; i < W->n_chains;) {
        size_t j = i;
        dv_corridor c = {0};
        c.period = W->chains[i].period;
        c.path = W->chains[i].path;
        size_t cap_parties = 0;
        for (; j < W->n_chains && !cmp_chain(&W->chains[i], &W->chains[j]); j++) {
            const chain_rec *r = &W->chains[j];
            add_parties(&c.parties, &c.n_parties, &cap_parties, r);
            c.chains++;
            c.flagged += r->flagged;
            c.shipments += r->shipments;
            c.quantity += r->quantity;
            c.value += r->value;
        }
        c.n_parties = dv_party_shares_merge(c.parties, c.n_parties);
        c.baseline_value = NAN;
        c.growth = NAN;
        c.roundabout = "";
        if (o->has_baseline) {
            const path_total key = {c.path, 0};
            const path_total *base = bsearch(&key, bases, n_bases, sizeof *bases, cmp_path);
            c.baseline_value = (base ? base->value : 0) * per_period;
            if (c.baseline_value > 0) c.growth = c.value / c.baseline_value - 1;
            const chain_rec *r = &W->chains[i];
            if (dv_stats_first_month(c.period, o->by) > o->baseline_to) {
                char text[DV_MAX_HOPS * 3 + 1] = "";
                size_t len = 0;
                for (int t = 0; t < r->n_transits; t++)
                    if (grows(flows, n_flows, c.period, r->origin, r->transits[t], per_period) &&
                        grows(flows, n_flows, c.period, r->transits[t], r->destination,
                              per_period))
                        len += (size_t)snprintf(text + len, sizeof text - len, "%s%s",
                                                len ? ";" : "", r->transits[t]);
                c.roundabout = dv_intern_str(&st->strings, text, len);
            }
        }
        DV_PUSH(st->corridors, st->n_corridors, cap, c);
        i = j;
    }
    free(flows);
    free(bases);
}

/* ---- trends ---- */

static int cmp_trend(const void *x, const void *y)
{
    const dv_trend *a = x, *b = y;
    if (a->period != b->period) return a->period < b->period ? -1 : 1;
    int c = strcmp(a->category, b->category);
    return c ? c : strcmp(a->transit, b->transit);
}

typedef struct trend_rec {
    dv_trend t;
    size_t chain;                /* W->chains index */
} trend_rec;

static int cmp_trend_rec(const void *x, const void *y)
{
    const trend_rec *a = x, *b = y;
    int c = cmp_trend(&a->t, &b->t);
    if (c) return c;
    return a->chain < b->chain ? -1 : a->chain > b->chain;
}

static void trends(dv_stats *st, const walk *W)
{
    trend_rec *t = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < W->n_chains; i++) {
        const chain_rec *r = &W->chains[i];
        for (int k = 0; k < r->n_transits; k++) {
            trend_rec x = {{0}, i};
            x.t.period = r->period;
            x.t.category = r->category;
            memcpy(x.t.transit, r->transits[k], 3);
            x.t.chains = 1;
            x.t.flagged = r->flagged;
            if (r->flagged) x.t.flagged_value = r->value;
            else x.t.unflagged_value = r->value;
            DV_PUSH(t, n, cap, x);
        }
    }
    dv_qsort(t, n, sizeof *t, cmp_trend_rec);
    dv_trend *out = NULL;
    size_t w = 0, cap_out = 0, cap_parties = 0;
    for (size_t i = 0; i < n; i++) {
        if (w && !cmp_trend(&out[w - 1], &t[i].t)) {
            out[w - 1].chains += t[i].t.chains;
            out[w - 1].flagged += t[i].t.flagged;
            out[w - 1].flagged_value += t[i].t.flagged_value;
            out[w - 1].unflagged_value += t[i].t.unflagged_value;
        } else {
            if (w) out[w - 1].n_parties = dv_party_shares_merge(out[w - 1].parties,
                                                                out[w - 1].n_parties);
            DV_PUSH(out, w, cap_out, t[i].t);
            cap_parties = 0;
        }
        add_parties(&out[w - 1].parties, &out[w - 1].n_parties, &cap_parties,
                    &W->chains[t[i].chain]);
    }
    if (w) out[w - 1].n_parties = dv_party_shares_merge(out[w - 1].parties, out[w - 1].n_parties);
    free(t);
    st->trends = out;
    st->n_trends = w;
}

/* ---- brokers ---- */

static int cmp_pair(const void *x, const void *y)
{
    const pair_rec *a = x, *b = y;
    if (a->party != b->party) return a->party < b->party ? -1 : 1;
    if (a->origin != b->origin) return a->origin < b->origin ? -1 : 1;
    return a->destination < b->destination ? -1 : a->destination > b->destination;
}

static int cmp_ship(const void *x, const void *y)
{
    const ship_rec *a = x, *b = y;
    if (a->party != b->party) return a->party < b->party ? -1 : 1;
    if (a->ship != b->ship) return a->ship < b->ship ? -1 : 1;
    return a->dwell < b->dwell ? -1 : a->dwell > b->dwell;
}

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return a < b ? -1 : a > b;
}

static int cmp_broker(const void *x, const void *y)
{
    const dv_broker *a = x, *b = y;
    if (a->pairs != b->pairs) return a->pairs > b->pairs ? -1 : 1;
    if (a->value != b->value) return a->value > b->value ? -1 : 1;
    return a->entity < b->entity ? -1 : a->entity > b->entity;
}

static int cmp_betweenness(const void *x, const void *y)
{
    const dv_broker *a = x, *b = y;
    if (a->betweenness != b->betweenness) return a->betweenness > b->betweenness ? -1 : 1;
    return a->entity < b->entity ? -1 : a->entity > b->entity;
}

/* The graph of the covered shipments: vertex v is party active[v] (entity
 * rows in order), edges the distinct (shipper, consignee) pairs, with the
 * value between them. */
typedef struct trade_graph {
    uint32_t *parties;  size_t n;  /* vertex -> entity row */
    uint32_t *vertex;              /* entity row -> vertex, DV_NONE outside */
    uint32_t *ends;     size_t n_edges; /* directed, distinct */
    double *value;                 /* by directed edge */
    const uint32_t *rows;          /* borrowed: the covered shipments, by id */
    size_t n_rows;
} trade_graph;

typedef struct edge_rec {
    uint32_t a, b;
    double value;
} edge_rec;

static int cmp_edge(const void *x, const void *y)
{
    const edge_rec *p = x, *q = y;
    if (p->a != q->a) return p->a < q->a ? -1 : 1;
    return p->b < q->b ? -1 : p->b > q->b;
}

static void trade_graph_build(const dv_dataset *ds, const walk *W, trade_graph *g)
{
    g->rows = W->rows;
    g->n_rows = W->n_rows;
    g->vertex = dv_xmalloc((ds->n_entities ? ds->n_entities : 1) * sizeof *g->vertex);
    for (size_t e = 0; e < ds->n_entities; e++) g->vertex[e] = DV_NONE;
    edge_rec *edges = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < g->n_rows; i++) {
        const dv_shipment *s = &ds->shipments[g->rows[i]];
        g->vertex[s->shipper] = g->vertex[s->consignee] = 0;
        edge_rec e = {s->shipper, s->consignee, isnan(s->value) ? 0 : s->value};
        DV_PUSH(edges, n, cap, e);
    }
    size_t cap_p = 0;
    for (size_t e = 0; e < ds->n_entities; e++)
        if (g->vertex[e] != DV_NONE) {
            g->vertex[e] = (uint32_t)g->n;
            DV_PUSH(g->parties, g->n, cap_p, (uint32_t)e);
        }
    dv_qsort(edges, n, sizeof *edges, cmp_edge);
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        if (w && !cmp_edge(&edges[w - 1], &edges[i])) edges[w - 1].value += edges[i].value;
        else edges[w++] = edges[i];
    }
    g->n_edges = w;
    g->ends = dv_xmalloc((2 * w + 1) * sizeof *g->ends);
    g->value = dv_xmalloc((w + 1) * sizeof *g->value);
    for (size_t i = 0; i < w; i++) {
        g->ends[2 * i] = g->vertex[edges[i].a];
        g->ends[2 * i + 1] = g->vertex[edges[i].b];
        g->value[i] = edges[i].value;
    }
    free(edges);
}

static void trade_graph_free(trade_graph *g)
{
    free(g->parties), free(g->vertex), free(g->ends), free(g->value);
}

typedef struct keyed_vertex {
    uint64_t key;
    const char *id;
    uint32_t v;
} keyed_vertex;

static int cmp_keyed_vertex(const void *x, const void *y)
{
    const keyed_vertex *a = x, *b = y;
    if (a->key != b->key) return a->key < b->key ? -1 : 1;
    return strcmp(a->id, b->id);
}

/* The number of sources betweenness is computed from (stats.h): every
 * vertex while the work is within DV_STATS_BETWEENNESS_WORK. With out,
 * write the sample: the vertices whose entity ids hash lowest, so that
 * the same parties are chosen whatever the order of the rows. */
static size_t betweenness_sample(const dv_dataset *ds, const trade_graph *g, uint32_t *out)
{
    size_t n = g->n, edges = g->n_edges ? g->n_edges : 1;
    if ((double)n * (double)edges <= DV_STATS_BETWEENNESS_WORK) return n;
    size_t k = (size_t)(DV_STATS_BETWEENNESS_WORK / (double)edges);
    if (k < DV_STATS_BETWEENNESS_MIN_SOURCES) k = DV_STATS_BETWEENNESS_MIN_SOURCES;
    if (k > n) k = n;
    if (!out) return k;
    keyed_vertex *kv = dv_xmalloc(n * sizeof *kv);
    for (size_t v = 0; v < n; v++) {
        const char *id = ds->entities[g->parties[v]].id;
        kv[v] = (keyed_vertex){dv_hash64(id, strlen(id)), id, (uint32_t)v};
    }
    dv_qsort(kv, n, sizeof *kv, cmp_keyed_vertex);
    for (size_t i = 0; i < k; i++) out[i] = kv[i].v;
    free(kv);
    return k;
}

static int brokers(const dv_pipeline *p, dv_stats *st, walk *W, const trade_graph *g,
                   dv_error *err)
{
    const dv_dataset *ds = &p->ds;
    size_t n = g->n;
    dv_broker *b = dv_xcalloc(n ? n : 1, sizeof *b);
    double *received = dv_xcalloc(n ? n : 1, sizeof *received);
    double *kept = dv_xcalloc(n ? n : 1, sizeof *kept);
    for (size_t v = 0; v < n; v++) {
        b[v].entity = g->parties[v];
        b[v].throughput = NAN;
        b[v].median_dwell = NAN;
    }
    /* throughput, item entry by item entry */
    double *in = dv_xcalloc(n ? n : 1, sizeof *in), *out = dv_xcalloc(n ? n : 1, sizeof *out);
    for (size_t k = 0; k < p->graph.n_items; k++) {
        const dv_item_graph *ig = &p->graph.items[k];
        if (st->opt.item != DV_NONE && ig->item != st->opt.item) continue;
        for (size_t i = 0; i < ig->n_ship; i++) {
            const dv_shipment *s = &ds->shipments[ig->ship[i]];
            in[g->vertex[s->consignee]] += s->quantity;
            out[g->vertex[s->shipper]] += s->quantity;
        }
        for (size_t i = 0; i < ig->n_ship; i++) {
            const dv_shipment *s = &ds->shipments[ig->ship[i]];
            uint32_t v = g->vertex[s->consignee];
            if (in[v] == 0) continue;
            received[v] += in[v];
            kept[v] += in[v] < out[v] ? in[v] : out[v];
            in[v] = 0; /* counted once */
        }
        for (size_t i = 0; i < ig->n_ship; i++) {
            const dv_shipment *s = &ds->shipments[ig->ship[i]];
            in[g->vertex[s->consignee]] = out[g->vertex[s->shipper]] = 0;
        }
    }
    for (size_t v = 0; v < n; v++)
        if (received[v] > 0) b[v].throughput = kept[v] / received[v];
    free(in), free(out), free(received), free(kept);

    /* pairs, origins and destinations: each party's records are a run */
    dv_qsort(W->pairs, W->n_pairs, sizeof *W->pairs, cmp_pair);
    uint32_t *origins = NULL, *dests = NULL;
    size_t cap_o = 0, cap_ds = 0;
    for (size_t i = 0; i < W->n_pairs;) {
        uint32_t party = W->pairs[i].party;
        dv_broker *x = &b[g->vertex[party]];
        size_t n_o = 0, n_d = 0;
        for (; i < W->n_pairs && W->pairs[i].party == party; i++) {
            if (n_o && !cmp_pair(&W->pairs[i - 1], &W->pairs[i])) continue;
            x->pairs++;
            DV_PUSH(origins, n_o, cap_o, W->pairs[i].origin);
            DV_PUSH(dests, n_d, cap_ds, W->pairs[i].destination);
        }
        dv_qsort(origins, n_o, sizeof *origins, cmp_u32);
        dv_qsort(dests, n_d, sizeof *dests, cmp_u32);
        for (size_t k = 0; k < n_o; k++) x->origins += !k || origins[k] != origins[k - 1];
        for (size_t k = 0; k < n_d; k++) x->destinations += !k || dests[k] != dests[k - 1];
    }
    free(origins), free(dests);
    /* value of the distinct first-leg shipments */
    dv_qsort(W->firsts, W->n_firsts, sizeof *W->firsts, cmp_ship);
    for (size_t i = 0; i < W->n_firsts; i++) {
        if (i && W->firsts[i].party == W->firsts[i - 1].party &&
            W->firsts[i].ship == W->firsts[i - 1].ship)
            continue;
        add_sum(&b[g->vertex[W->firsts[i].party]].value, ds->shipments[W->firsts[i].ship].value);
    }
    /* median dwell: each (party, outbound shipment) once, its shortest dwell */
    dv_qsort(W->dwells, W->n_dwells, sizeof *W->dwells, cmp_ship);
    double *d = NULL;
    size_t cap_d = 0;
    for (size_t i = 0; i < W->n_dwells;) {
        uint32_t party = W->dwells[i].party;
        size_t n_d = 0;
        for (; i < W->n_dwells && W->dwells[i].party == party; i++) {
            if (i && W->dwells[i - 1].party == party && W->dwells[i - 1].ship == W->dwells[i].ship)
                continue;
            DV_PUSH(d, n_d, cap_d, (double)W->dwells[i].dwell);
        }
        b[g->vertex[party]].median_dwell = dv_median(d, n_d);
    }
    free(d);
    /* alerts */
    for (size_t a = 0; a < p->result.n_alerts; a++) {
        const dv_alert *al = &p->result.alerts[a];
        for (int h = 0; h <= al->hops; h++)
            if (g->vertex[al->path[h]] != DV_NONE) b[g->vertex[al->path[h]]].alerts++;
    }
    /* betweenness, exact or estimated from a sample, and the two rankings */
    double *bw = dv_xcalloc(n ? n : 1, sizeof *bw);
    size_t k = betweenness_sample(ds, g, NULL);
    uint32_t *sources = NULL;
    if (k < n) {
        sources = dv_xmalloc(k * sizeof *sources);
        betweenness_sample(ds, g, sources);
    }
    int rc = dv_net_betweenness(n, g->ends, g->n_edges, sources, k, bw, err);
    for (size_t v = 0; v < n; v++) b[v].betweenness = k < n ? bw[v] * (double)n / (double)k : bw[v];
    st->betweenness_sources = k;
    free(bw), free(sources);
    dv_qsort(b, n, sizeof *b, cmp_betweenness);
    for (size_t v = 0; v < n; v++) b[v].betweenness_rank = v + 1;
    dv_qsort(b, n, sizeof *b, cmp_broker);
    for (size_t v = 0; v < n; v++) b[v].rank = v + 1;
    st->brokers = b;
    st->n_brokers = n;
    return rc;
}

/* ---- communities ---- */

typedef struct member_rec {
    uint32_t community, entity;
} member_rec;

static int cmp_member(const void *x, const void *y)
{
    const member_rec *a = x, *b = y;
    if (a->community != b->community) return a->community < b->community ? -1 : 1;
    return a->entity < b->entity ? -1 : a->entity > b->entity;
}

static int cmp_community(const void *x, const void *y)
{
    const dv_community *a = x, *b = y;
    if (a->value != b->value) return a->value > b->value ? -1 : 1;
    if (a->size != b->size) return a->size > b->size ? -1 : 1;
    return a->members[0] < b->members[0] ? -1 : a->members[0] > b->members[0];
}

static int cmp_keyed_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The drawings of the first communities (stats.h): the pairs of members
 * that trade, from the undirected edges und[0..n_und) of g's vertices,
 * and their layout. */
static int draw_communities(dv_stats *st, const trade_graph *g, const edge_rec *und,
                            size_t n_und, dv_error *err)
{
    /* a vertex's community (as ordered now) and its index among the
     * members, for the communities drawn; DV_NONE for the others */
    uint32_t *drawn = dv_xmalloc(g->n * sizeof *drawn), *index = dv_xmalloc(g->n * sizeof *index);
    for (size_t v = 0; v < g->n; v++) drawn[v] = DV_NONE;
    size_t n_drawn = 0;
    for (size_t k = 0; k < st->n_communities && n_drawn < DV_STATS_DRAWN; k++) {
        dv_community *c = &st->communities[k];
        if (c->size < 2 || c->size > DV_STATS_DRAW_MAX) continue;
        n_drawn++;
        for (size_t i = 0; i < c->size; i++) {
            uint32_t v = g->vertex[c->members[i]];
            drawn[v] = (uint32_t)k, index[v] = (uint32_t)i;
        }
        c->edges = dv_xmalloc(2 * c->size * sizeof *c->edges);
        c->edge_value = dv_xmalloc(c->size * sizeof *c->edge_value);
        c->xy = dv_xmalloc(2 * c->size * sizeof *c->xy);
    }
    size_t *cap = dv_xcalloc(st->n_communities + 1, sizeof *cap);
    for (size_t i = 0; i < n_und; i++) {
        uint32_t k = drawn[und[i].a];
        if (k == DV_NONE || drawn[und[i].b] != k) continue;
        dv_community *c = &st->communities[k];
        if (!cap[k]) cap[k] = c->size;
        if (c->n_edges == cap[k]) {
            cap[k] *= 2;
            c->edges = dv_xrealloc(c->edges, 2 * cap[k] * sizeof *c->edges);
            c->edge_value = dv_xrealloc(c->edge_value, cap[k] * sizeof *c->edge_value);
        }
        c->edges[2 * c->n_edges] = index[und[i].a];
        c->edges[2 * c->n_edges + 1] = index[und[i].b];
        c->edge_value[c->n_edges++] = und[i].value;
    }
    free(cap), free(drawn), free(index);
    int rc = 0;
    for (size_t k = 0; k < st->n_communities && !rc; k++) {
        dv_community *c = &st->communities[k];
        if (c->xy) rc = dv_net_layout(c->size, c->edges, c->n_edges, c->xy, err);
    }
    return rc;
}

static int communities(const dv_pipeline *p, dv_stats *st, const trade_graph *g, dv_error *err)
{
    const dv_dataset *ds = &p->ds;
    size_t n = g->n;
    if (!n) return 0;
    /* undirected: each unordered pair once, its value both ways */
    edge_rec *und = dv_xmalloc((g->n_edges + 1) * sizeof *und);
    for (size_t i = 0; i < g->n_edges; i++) {
        uint32_t a = g->ends[2 * i], b = g->ends[2 * i + 1];
        und[i] = (edge_rec){a < b ? a : b, a < b ? b : a, g->value[i]};
    }
    dv_qsort(und, g->n_edges, sizeof *und, cmp_edge);
    size_t w = 0;
    for (size_t i = 0; i < g->n_edges; i++) {
        if (w && !cmp_edge(&und[w - 1], &und[i])) und[w - 1].value += und[i].value;
        else und[w++] = und[i];
    }
    uint32_t *ends = dv_xmalloc((2 * w + 1) * sizeof *ends);
    double *weight = dv_xmalloc((w + 1) * sizeof *weight);
    for (size_t i = 0; i < w; i++) {
        ends[2 * i] = und[i].a;
        ends[2 * i + 1] = und[i].b;
        /* a pair with no value, or less than one unit, weighs one unit */
        weight[i] = und[i].value < 1 ? 1 : und[i].value;
    }
    uint32_t *membership = dv_xmalloc(n * sizeof *membership);
    int rc = dv_net_communities(n, ends, weight, w, membership, err);
    free(ends), free(weight);
    if (rc) {
        free(membership), free(und);
        return rc;
    }
    member_rec *m = dv_xmalloc(n * sizeof *m);
    for (size_t v = 0; v < n; v++) m[v] = (member_rec){membership[v], g->parties[v]};
    dv_qsort(m, n, sizeof *m, cmp_member);
    size_t cap = 0;
    uint64_t *hashes = NULL;
    size_t cap_h = 0;
    const char **cc = NULL;
    size_t cap_c = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && m[j].community == m[i].community) j++;
        dv_community c = {0};
        c.size = j - i;
        c.members = dv_xmalloc(c.size * sizeof *c.members);
        size_t n_h = 0, n_c = 0;
        for (size_t k = i; k < j; k++) {
            const dv_entity *e = &ds->entities[m[k].entity];
            c.members[k - i] = m[k].entity;
            if (e->address_hash) DV_PUSH(hashes, n_h, cap_h, e->address_hash);
            DV_PUSH(cc, n_c, cap_c, e->country);
        }
        dv_qsort(hashes, n_h, sizeof *hashes, cmp_keyed_u64);
        for (size_t k = 1; k < n_h; k++)
            if (hashes[k] == hashes[k - 1] && (k < 2 || hashes[k - 2] != hashes[k]))
                c.shared_addresses++;
        dv_qsort(cc, n_c, sizeof *cc, cmp_str);
        dv_buf text = {0};
        for (size_t k = 0; k < n_c; k++)
            if (!k || strcmp(cc[k], cc[k - 1])) dv_buf_printf(&text, "%s%s", text.len ? ";" : "", cc[k]);
        c.countries = dv_intern_str(&st->strings, text.data ? text.data : "", text.len);
        dv_buf_free(&text);
        /* membership again, by the community's number, for the sums below */
        c.id = m[i].community;
        DV_PUSH(st->communities, st->n_communities, cap, c);
        i = j;
    }
    free(hashes), free(cc), free(m);
    /* index of each igraph community in st->communities (numbered in order) */
    size_t n_igraph = 0;
    for (size_t k = 0; k < st->n_communities; k++)
        if (st->communities[k].id + 1 > n_igraph) n_igraph = st->communities[k].id + 1;
    size_t *slot = dv_xmalloc((n_igraph + 1) * sizeof *slot);
    for (size_t k = 0; k < st->n_communities; k++) slot[st->communities[k].id] = k;
    for (size_t i = 0; i < g->n_rows; i++) {
        const dv_shipment *s = &ds->shipments[g->rows[i]];
        uint32_t a = membership[g->vertex[s->shipper]], b = membership[g->vertex[s->consignee]];
        if (a != b) continue;
        dv_community *c = &st->communities[slot[a]];
        c->shipments++;
        add_sum(&c->value, s->value);
    }
    for (size_t k = 0; k < p->result.n_alerts; k++) {
        const dv_alert *al = &p->result.alerts[k];
        uint32_t v0 = g->vertex[al->path[0]];
        bool inside = v0 != DV_NONE;
        for (int h = 1; h <= al->hops && inside; h++) {
            uint32_t v = g->vertex[al->path[h]];
            inside = v != DV_NONE && membership[v] == membership[v0];
        }
        if (inside) st->communities[slot[membership[v0]]].alerts++;
    }
    free(slot);
    dv_qsort(st->communities, st->n_communities, sizeof *st->communities, cmp_community);
    for (size_t k = 0; k < st->n_communities; k++) st->communities[k].id = k + 1;
    rc = draw_communities(st, g, und, w, err);
    free(membership), free(und);
    return rc;
}

/* ---- the whole ---- */

typedef struct id_row {
    const char *id;
    uint32_t row;
} id_row;

static int cmp_id_row(const void *x, const void *y)
{
    return strcmp(((const id_row *)x)->id, ((const id_row *)y)->id);
}

int dv_stats_compute(const dv_pipeline *p, const dv_stats_options *opt, dv_stats *st,
                     dv_error *err)
{
    const dv_dataset *ds = &p->ds;
    st->opt = *opt;
    st->strings.arena = &st->arena;
    dv_flagger flagger = {0};
    dv_flagger_init(&flagger, ds, &p->cfg, &p->screening);
    walk W = {0};
    W.ds = ds;
    W.cfg = &p->cfg;
    W.flagger = &flagger;
    W.st = st;
    W.firsts_limit = W.dwells_limit = COMPACT_MIN;
    size_t cap_partial = 0;
    for (size_t k = 0; k < p->graph.n_items; k++) {
        const dv_item_graph *ig = &p->graph.items[k];
        if (opt->item != DV_NONE && ig->item != opt->item) continue;
        const char *category = ds->items[ig->item].category;
        W.category = category ? category : "";
        size_t room = (ig->n_ship * (size_t)p->cfg.max_hops + 1) * sizeof *W.feasible_buf;
        W.feasible_buf = dv_xmalloc(room);
        W.period_fwd = dv_xmalloc(room);
        W.period_buf = dv_xmalloc(room);
        W.examined = 0;
        W.cut = false;
        dv_route_search(ds, ig, p->cfg.window_days, p->cfg.max_hops, NULL, on_chain, &W, NULL);
        free(W.feasible_buf), free(W.period_fwd), free(W.period_buf);
        W.feasible_buf = W.period_fwd = W.period_buf = NULL;
        if (W.cut) {
            dv_stats_partial part = {ig->item, W.examined - 1}; /* the last one was cut */
            DV_PUSH(st->partial, st->n_partial, cap_partial, part);
        }
    }
    dv_flagger_free(&flagger);
    st->chain_periods = W.n_chains;
    for (size_t i = 0; i < W.n_chains; i++) st->flagged += W.chains[i].flagged;
    id_row *by_id = NULL;
    size_t cap_rows = 0;
    for (size_t i = 0; i < ds->n_shipments; i++)
        if (covered(ds, st, &ds->shipments[i])) {
            id_row r = {ds->shipments[i].id, (uint32_t)i};
            DV_PUSH(by_id, W.n_rows, cap_rows, r);
        }
    dv_qsort(by_id, W.n_rows, sizeof *by_id, cmp_id_row);
    W.rows = dv_xmalloc((W.n_rows + 1) * sizeof *W.rows);
    for (size_t i = 0; i < W.n_rows; i++) W.rows[i] = by_id[i].row;
    free(by_id);
    corridors(ds, st, &W);
    trends(st, &W);
    trade_graph g = {0};
    trade_graph_build(ds, &W, &g);
    int rc = brokers(p, st, &W, &g, err);
    if (!rc) rc = communities(p, st, &g, err);
    trade_graph_free(&g);
    free(W.chains), free(W.pairs), free(W.firsts), free(W.dwells), free(W.rows);
    return rc;
}

void dv_stats_free(dv_stats *st)
{
    if (!st) return;
    for (size_t k = 0; k < st->n_communities; k++) {
        dv_community *c = &st->communities[k];
        free(c->members), free(c->edges), free(c->edge_value), free(c->xy);
    }
    free(st->communities);
    for (size_t k = 0; k < st->n_corridors; k++) free(st->corridors[k].parties);
    free(st->corridors);
    free(st->brokers);
    for (size_t k = 0; k < st->n_trends; k++) free(st->trends[k].parties);
    free(st->trends);
    free(st->partial);
    dv_intern_free(&st->strings);
    dv_arena_free(&st->arena);
    memset(st, 0, sizeof *st);
}
