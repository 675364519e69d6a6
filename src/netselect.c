/*
 * netselect.c: which parties and shipments a network export holds
 * (netexport.h, docs/exports.md).
 *
 * The selection works on shipment and entity rows: an export filters the
 * shipments; a neighbourhood walks outward from its centre, level by
 * level, over an index of each party's shipments (either direction), and
 * each party it expands keeps its strongest ties only: counterparties
 * ranked by the number of shipments between them that are evidence of an
 * alert, then by the value of those shipments, then by id. The edges are
 * the shipments of the ties kept. netexport.c writes what is selected.
 */
#define _POSIX_C_SOURCE 200809L
#include "divert/netexport.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- selection ---- */

typedef struct id_row {
    const char *id;
    uint32_t row;
} id_row;

static int cmp_id_row(const void *a, const void *b)
{
    return strcmp(((const id_row *)a)->id, ((const id_row *)b)->id);
}

/* Each shipment's alerts, by alert id. */
static void index_alerts(dv_net *net)
{
    const dv_dataset *ds = &net->p->ds;
    const dv_result *r = &net->p->result;
    net->alert_start = dv_xcalloc(ds->n_shipments + 1, sizeof *net->alert_start);
    id_row *order = dv_xmalloc((r->n_alerts ? r->n_alerts : 1) * sizeof *order);
    for (size_t a = 0; a < r->n_alerts; a++) {
        order[a] = (id_row){r->alerts[a].id, (uint32_t)a};
        for (size_t k = 0; k < r->alerts[a].n_evidence; k++)
            net->alert_start[r->alerts[a].evidence[k] + 1]++;
    }
    dv_qsort(order, r->n_alerts, sizeof *order, cmp_id_row);
    for (size_t s = 0; s < ds->n_shipments; s++) net->alert_start[s + 1] += net->alert_start[s];
    size_t total = net->alert_start[ds->n_shipments];
    net->alerts = dv_xmalloc((total ? total : 1) * sizeof *net->alerts);
    uint32_t *fill = dv_xmalloc((ds->n_shipments ? ds->n_shipments : 1) * sizeof *fill);
    memcpy(fill, net->alert_start, ds->n_shipments * sizeof *fill);
    for (size_t k = 0; k < r->n_alerts; k++) {
        const dv_alert *a = &r->alerts[order[k].row];
        for (size_t e = 0; e < a->n_evidence; e++) net->alerts[fill[a->evidence[e]]++] = order[k].row;
    }
    free(fill);
    free(order);
}

static size_t n_alerts_of(const dv_net *net, uint32_t ship)
{
    return net->alert_start[ship + 1] - net->alert_start[ship];
}

static bool in_query(const dv_net *net, uint32_t ship)
{
    const dv_shipment *s = &net->p->ds.shipments[ship];
    if (net->q.item != DV_NONE && s->item_idx != net->q.item) return false;
    if (net->q.flagged_only && !n_alerts_of(net, ship)) return false;
    return true;
}

/* Put the selected shipments (rows in edges) in id order. */
static void sort_edges(dv_net *net)
{
    id_row *k = dv_xmalloc((net->n_edges ? net->n_edges : 1) * sizeof *k);
    for (size_t i = 0; i < net->n_edges; i++)
        k[i] = (id_row){net->p->ds.shipments[net->edges[i]].id, net->edges[i]};
    dv_sort_by_string(k, net->n_edges, sizeof *k, offsetof(id_row, id), cmp_id_row);
    for (size_t i = 0; i < net->n_edges; i++) net->edges[i] = k[i].row;
    free(k);
}

/* Nodes from a mark by entity row. */
static void nodes_from_marks(dv_net *net, const bool *mark)
{
    size_t n_ent = net->p->ds.n_entities;
    net->nodes = dv_xmalloc((n_ent ? n_ent : 1) * sizeof *net->nodes);
    for (size_t e = 0; e < n_ent; e++)
        if (mark[e]) net->nodes[net->n_nodes++] = (uint32_t)e;
}

static void select_export(dv_net *net)
{
    const dv_dataset *ds = &net->p->ds;
    net->edges = dv_xmalloc((ds->n_shipments ? ds->n_shipments : 1) * sizeof *net->edges);
    bool filtered = net->q.item != DV_NONE || net->q.flagged_only;
    bool *mark = dv_xcalloc(ds->n_entities ? ds->n_entities : 1, sizeof *mark);
    for (size_t s = 0; s < ds->n_shipments; s++) {
        if (!in_query(net, (uint32_t)s)) continue;
        net->edges[net->n_edges++] = (uint32_t)s;
        mark[ds->shipments[s].shipper] = mark[ds->shipments[s].consignee] = true;
    }
    /* the whole graph holds every party, traded or not */
    if (!filtered)
        for (size_t e = 0; e < ds->n_entities; e++) mark[e] = true;
    nodes_from_marks(net, mark);
    free(mark);
    sort_edges(net);
}

/* One counterparty of a party, with the strength of their tie. */
typedef struct tie {
    uint32_t other;              /* entity row */
    uint32_t alert_shipments;    /* shipments between them that are evidence */
    double value;                /* their value, missing values as 0 */
} tie;

static int cmp_tie_other(const void *a, const void *b)
{
    const tie *x = a, *y = b;
    return x->other < y->other ? -1 : x->other > y->other;
}

/* Strongest first: alert involvement, then value, then id (row order is
 * id order). */
static int cmp_tie_strength(const void *a, const void *b)
{
    const tie *x = a, *y = b;
    if (x->alert_shipments != y->alert_shipments)
        return x->alert_shipments > y->alert_shipments ? -1 : 1;
    if (x->value != y->value) return x->value > y->value ? -1 : 1;
    return cmp_tie_other(a, b);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static uint64_t pair_key(uint32_t a, uint32_t b)
{
    return a < b ? (uint64_t)a << 32 | b : (uint64_t)b << 32 | a;
}

/* The counterparties of u over its shipments inc[0..n), merged, into
 * *ties (grown as needed); returns how many. */
static size_t ties_of(const dv_net *net, uint32_t u, const uint32_t *inc, size_t n, tie **ties,
                       size_t *cap)
{
    const dv_dataset *ds = &net->p->ds;
    if (*cap < n) {
        *cap = n;
        *ties = dv_xrealloc(*ties, *cap * sizeof **ties);
    }
    tie *l = *ties;
    size_t m = 0;
    for (size_t k = 0; k < n; k++) {
        const dv_shipment *s = &ds->shipments[inc[k]];
        uint32_t other = s->shipper == u ? s->consignee : s->shipper;
        if (other == u) continue;
        l[m++] = (tie){other, n_alerts_of(net, inc[k]) ? 1u : 0u,
                        isnan(s->value) ? 0 : s->value};
    }
    dv_qsort(l, m, sizeof *l, cmp_tie_other);
    size_t out = 0;
    for (size_t k = 0; k < m; k++) {
        if (out && l[out - 1].other == l[k].other) {
            l[out - 1].alert_shipments += l[k].alert_shipments;
            l[out - 1].value += l[k].value;
        } else l[out++] = l[k];
    }
    return out;
}

static void select_neighbourhood(dv_net *net)
{
    const dv_dataset *ds = &net->p->ds;
    size_t n_ent = ds->n_entities;
    /* each party's shipments of the query, either direction */
    uint32_t *start = dv_xcalloc(n_ent + 1, sizeof *start);
    for (size_t s = 0; s < ds->n_shipments; s++) {
        if (!in_query(net, (uint32_t)s)) continue;
        start[ds->shipments[s].shipper + 1]++;
        if (ds->shipments[s].consignee != ds->shipments[s].shipper)
            start[ds->shipments[s].consignee + 1]++;
    }
    for (size_t e = 0; e < n_ent; e++) start[e + 1] += start[e];
    uint32_t *inc = dv_xmalloc((start[n_ent] ? start[n_ent] : 1) * sizeof *inc);
    uint32_t *fill = dv_xmalloc((n_ent ? n_ent : 1) * sizeof *fill);
    memcpy(fill, start, n_ent * sizeof *fill);
    for (size_t s = 0; s < ds->n_shipments; s++) {
        if (!in_query(net, (uint32_t)s)) continue;
        const dv_shipment *sh = &ds->shipments[s];
        inc[fill[sh->shipper]++] = (uint32_t)s;
        if (sh->consignee != sh->shipper) inc[fill[sh->consignee]++] = (uint32_t)s;
    }
    free(fill);

    int *dist = dv_xmalloc((n_ent ? n_ent : 1) * sizeof *dist);
    for (size_t e = 0; e < n_ent; e++) dist[e] = -1;
    uint32_t *level = dv_xmalloc(sizeof *level), *next = NULL;
    size_t n_level = 1, cap_level = 1, n_next = 0, cap_next = 0;
    level[0] = net->q.centre;
    dist[net->q.centre] = 0;
    uint64_t *kept = NULL;
    size_t n_kept = 0, cap_kept = 0;
    tie *ties = NULL;
    size_t cap_ties = 0;
    for (int d = 0; d < net->q.hops && n_level; d++) {
        n_next = 0;
        for (size_t k = 0; k < n_level; k++) {
            uint32_t u = level[k];
            size_t m = ties_of(net, u, inc + start[u], start[u + 1] - start[u], &ties, &cap_ties);
            dv_qsort(ties, m, sizeof *ties, cmp_tie_strength);
            if (m > net->q.max_neighbours) m = net->q.max_neighbours;
            for (size_t j = 0; j < m; j++) {
                DV_PUSH(kept, n_kept, cap_kept, pair_key(u, ties[j].other));
                if (dist[ties[j].other] < 0) {
                    dist[ties[j].other] = d + 1;
                    DV_PUSH(next, n_next, cap_next, ties[j].other);
                }
            }
        }
        /* the next level in id order, whatever order it was reached in */
        dv_qsort(next, n_next, sizeof *next, cmp_u32);
        uint32_t *t = level;
        size_t cap_t = cap_level;
        level = next;
        cap_level = cap_next;
        n_level = n_next;
        next = t;
        cap_next = cap_t;
    }
    dv_qsort(kept, n_kept, sizeof *kept, cmp_u64);

    bool *mark = dv_xcalloc(n_ent ? n_ent : 1, sizeof *mark);
    for (size_t e = 0; e < n_ent; e++) mark[e] = dist[e] >= 0;
    nodes_from_marks(net, mark);
    free(mark);
    net->more = dv_xcalloc(net->n_nodes ? net->n_nodes : 1, sizeof *net->more);
    size_t cap_edges = 0;
    for (size_t i = 0; i < net->n_nodes; i++) {
        uint32_t u = net->nodes[i];
        for (uint32_t k = start[u]; k < start[u + 1]; k++) {
            const dv_shipment *s = &ds->shipments[inc[k]];
            if (s->shipper != u || dist[s->consignee] < 0) continue;
            uint64_t key = pair_key(s->shipper, s->consignee);
            if (s->consignee == u || bsearch(&key, kept, n_kept, sizeof *kept, cmp_u64))
                DV_PUSH(net->edges, net->n_edges, cap_edges, inc[k]);
        }
        size_t m = ties_of(net, u, inc + start[u], start[u + 1] - start[u], &ties, &cap_ties);
        for (size_t j = 0; j < m; j++) {
            uint64_t key = pair_key(u, ties[j].other);
            if (!bsearch(&key, kept, n_kept, sizeof *kept, cmp_u64)) net->more[i]++;
        }
    }
    free(ties);
    free(kept);
    free(level);
    free(next);
    free(dist);
    free(inc);
    free(start);
    sort_edges(net);
}

void dv_net_select(dv_net *net, const dv_pipeline *p, const dv_net_query *q)
{
    memset(net, 0, sizeof *net);
    net->p = p;
    net->q = *q;
    index_alerts(net);
    if (q->centre == DV_NONE) select_export(net);
    else select_neighbourhood(net);
}

void dv_net_free(dv_net *net)
{
    if (!net) return;
    free(net->nodes);
    free(net->more);
    free(net->edges);
    free(net->alert_start);
    free(net->alerts);
    memset(net, 0, sizeof *net);
}
