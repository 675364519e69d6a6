/*
 * graph.c: tables to the igraph graph and the per-item indexes.
 *
 * Each item entry's shipments are sorted by (shipper, consignee, date, id).
 * When entity rows fit in 24 bits and the dates span less than 2^16 days,
 * the first three pack into one 64-bit key for a radix sort (linear, no
 * comparator); otherwise, or for the runs of equal keys, a comparison sort
 * finishes the job. Either way the order depends on the data only, never
 * on the input order.
 */
#include "divert/graph.h"

#include <igraph.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct dv_whole_graph {
    pthread_mutex_t lock;          /* guards the one-time build of g */
    bool built;
    igraph_t g;                    /* valid once built */
};

/* A shipment with its sort key, so that the comparator reads only its
 * arguments (threads may sort at the same time). */
typedef struct ship_key {
    uint32_t shipper, consignee;
    int32_t date;
    uint32_t row;
    const char *id;
} ship_key;

static int cmp_ship_key(const void *a, const void *b)
{
    const ship_key *x = a, *y = b;
    if (x->shipper != y->shipper) return x->shipper < y->shipper ? -1 : 1;
    if (x->consignee != y->consignee) return x->consignee < y->consignee ? -1 : 1;
    if (x->date != y->date) return x->date < y->date ? -1 : 1;
    return strcmp(x->id, y->id);
}

/* Sort ship[0..n) by (shipper, consignee, date, id) with a comparison sort. */
static void sort_compared(const dv_dataset *ds, uint32_t *ship, size_t n)
{
    ship_key *k = dv_xmalloc((n ? n : 1) * sizeof *k);
    for (size_t i = 0; i < n; i++) {
        const dv_shipment *s = &ds->shipments[ship[i]];
        k[i] = (ship_key){s->shipper, s->consignee, s->date, ship[i], s->id};
    }
    dv_qsort(k, n, sizeof *k, cmp_ship_key);
    for (size_t i = 0; i < n; i++) ship[i] = k[i].row;
    free(k);
}

/* Sort ship[0..n) by (shipper, consignee, date, id). */
static void sort_item(const dv_dataset *ds, uint32_t *ship, size_t n, int32_t min_date,
                      bool packable)
{
    if (!packable) {
        sort_compared(ds, ship, n);
        return;
    }
    dv_keyed *k = dv_xmalloc((n ? n : 1) * sizeof *k);
    for (size_t i = 0; i < n; i++) {
        const dv_shipment *s = &ds->shipments[ship[i]];
        k[i].key = (uint64_t)s->shipper << 40 | (uint64_t)s->consignee << 16 |
                   (uint64_t)(s->date - min_date);
        k[i].row = ship[i];
    }
    dv_sort_keyed(k, n);
    for (size_t i = 0; i < n; i++) ship[i] = k[i].row;
    /* the same shipper, consignee and date: by id */
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && k[j].key == k[i].key) j++;
        if (j - i > 1) sort_compared(ds, ship + i, j - i);
        i = j;
    }
    free(k);
}

int dv_graph_build(dv_graph *graph, const dv_dataset *ds, const bool *only_items, dv_error *err)
{
    (void)err;
    memset(graph, 0, sizeof *graph);
    graph->ds = ds;
    graph->whole = dv_xcalloc(1, sizeof *graph->whole);
    pthread_mutex_init(&graph->whole->lock, NULL);

    /* slot of each item entry among the analysed ones, by items row */
    uint32_t *slot = dv_xmalloc((ds->n_items ? ds->n_items : 1) * sizeof *slot);
    size_t *count = dv_xcalloc(ds->n_items ? ds->n_items : 1, sizeof *count);
    int32_t min_date = INT32_MAX, max_date = INT32_MIN;
    for (size_t i = 0; i < ds->n_shipments; i++) {
        const dv_shipment *s = &ds->shipments[i];
        uint32_t it = s->item_idx;
        if (it == DV_NONE) graph->n_unclassified++;
        else if (!ds->items[it].analysed) graph->n_uncontrolled++;
        else {
            if (ds->items[it].controlled) graph->n_controlled++;
            else graph->n_human_rights_only++;
            count[it]++;
            if (only_items && !only_items[it]) continue;
            if (s->date < min_date) min_date = s->date;
            if (s->date > max_date) max_date = s->date;
        }
    }
    for (size_t it = 0; it < ds->n_items; it++) {
        slot[it] = DV_NONE;
        if (!count[it] || (only_items && !only_items[it])) continue;
        slot[it] = (uint32_t)graph->n_items++;
    }
    graph->items = dv_xcalloc(graph->n_items ? graph->n_items : 1, sizeof *graph->items);
    for (size_t it = 0; it < ds->n_items; it++) {
        if (slot[it] == DV_NONE) continue;
        dv_item_graph *ig = &graph->items[slot[it]];
        ig->item = (uint32_t)it;
        ig->ship = dv_xmalloc(count[it] * sizeof *ig->ship);
    }
    for (size_t i = 0; i < ds->n_shipments; i++) {
        uint32_t it = ds->shipments[i].item_idx;
        if (it == DV_NONE || slot[it] == DV_NONE) continue;
        dv_item_graph *ig = &graph->items[slot[it]];
        ig->ship[ig->n_ship++] = (uint32_t)i;
    }
    free(slot);
    free(count);

    bool packable = ds->n_entities < (1u << 24) &&
                    (graph->n_controlled + graph->n_human_rights_only == 0 || (int64_t)max_date - min_date < (1 << 16));
    for (size_t i = 0; i < graph->n_items; i++) {
        dv_item_graph *ig = &graph->items[i];
        sort_item(ds, ig->ship, ig->n_ship, min_date, packable);
        size_t cap = 0;
        for (size_t k = 0; k < ig->n_ship;) {
            const dv_shipment *s = &ds->shipments[ig->ship[k]];
            size_t j = k + 1;
            while (j < ig->n_ship && ds->shipments[ig->ship[j]].shipper == s->shipper &&
                   ds->shipments[ig->ship[j]].consignee == s->consignee)
                j++;
            dv_group g = {s->shipper, s->consignee, (uint32_t)k, (uint32_t)j};
            DV_PUSH(ig->groups, ig->n_groups, cap, g);
            k = j;
        }
    }
    return 0;
}

int dv_graph_igraph(dv_graph *graph, const struct igraph_s **out, dv_error *err)
{
    dv_whole_graph *w = graph->whole;
    pthread_mutex_lock(&w->lock);
    igraph_error_t rc = IGRAPH_SUCCESS;
    if (!w->built) {
        const dv_dataset *ds = graph->ds;
        igraph_vector_int_t edges;
        rc = igraph_vector_int_init(&edges, (igraph_integer_t)ds->n_shipments * 2);
        if (rc == IGRAPH_SUCCESS) {
            for (size_t i = 0; i < ds->n_shipments; i++) {
                VECTOR(edges)[2 * i] = ds->shipments[i].shipper;
                VECTOR(edges)[2 * i + 1] = ds->shipments[i].consignee;
            }
            rc = igraph_create(&w->g, &edges, (igraph_integer_t)ds->n_entities, IGRAPH_DIRECTED);
            igraph_vector_int_destroy(&edges);
            w->built = rc == IGRAPH_SUCCESS;
        }
    }
    pthread_mutex_unlock(&w->lock);
    if (rc != IGRAPH_SUCCESS)
        return dv_fail(err, DV_EXIT_INTERNAL, "igraph: cannot build the graph (%s)",
                       igraph_strerror(rc));
    *out = &w->g;
    return 0;
}

bool dv_graph_has_igraph(const dv_graph *graph)
{
    return graph->whole && graph->whole->built;
}

void dv_graph_free(dv_graph *graph)
{
    if (!graph || !graph->ds) return;
    if (graph->whole->built) igraph_destroy(&graph->whole->g);
    pthread_mutex_destroy(&graph->whole->lock);
    free(graph->whole);
    for (size_t i = 0; i < graph->n_items; i++) {
        free(graph->items[i].ship);
        free(graph->items[i].groups);
    }
    free(graph->items);
    memset(graph, 0, sizeof *graph);
}

void dv_item_graph_out(const dv_item_graph *ig, uint32_t shipper, size_t *first, size_t *last)
{
    size_t lo = 0, hi = ig->n_groups;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (ig->groups[mid].shipper < shipper) lo = mid + 1;
        else hi = mid;
    }
    *first = lo;
    while (lo < ig->n_groups && ig->groups[lo].shipper == shipper) lo++;
    *last = lo;
}

void dv_item_dense_group(const dv_dataset *ds, const dv_item_graph *ig, uint32_t **members,
                         size_t *n, int *k)
{
    *members = NULL;
    *n = 0;
    *k = 0;
    /* the undirected edges, once each: (smaller row, larger row) */
    size_t ne = 0;
    dv_keyed *edges = dv_xmalloc((ig->n_groups ? ig->n_groups : 1) * sizeof *edges);
    /* only parties that both receive and ship the item: the transits, where
     * chains multiply (an origin selling to a whole ring is not of it) */
    uint8_t *role = dv_xcalloc(ds->n_entities ? ds->n_entities : 1, 1); /* 1 ships, 2 receives */
    for (size_t g = 0; g < ig->n_groups; g++) {
        role[ig->groups[g].shipper] |= 1;
        role[ig->groups[g].consignee] |= 2;
    }
    for (size_t g = 0; g < ig->n_groups; g++) {
        uint32_t a = ig->groups[g].shipper, b = ig->groups[g].consignee;
        if (role[a] != 3 || role[b] != 3) continue;
        uint32_t lo = a < b ? a : b, hi = a < b ? b : a;
        edges[ne++] = (dv_keyed){(uint64_t)lo << 32 | hi, 0, 0};
    }
    dv_sort_keyed(edges, ne);
    size_t m = 0;
    for (size_t i = 0; i < ne; i++)
        if (!m || edges[i].key != edges[m - 1].key) edges[m++] = edges[i];
    /* the vertices: the rows the edges name, sorted, each with a local id */
    dv_keyed *ends = dv_xmalloc((2 * m + 1) * sizeof *ends);
    for (size_t i = 0; i < m; i++) {
        ends[2 * i] = (dv_keyed){edges[i].key >> 32, (uint32_t)i, 0};
        ends[2 * i + 1] = (dv_keyed){edges[i].key & 0xFFFFFFFFu, (uint32_t)i, 1};
    }
    dv_sort_keyed(ends, 2 * m);
    uint32_t *row = dv_xmalloc((2 * m + 1) * sizeof *row);  /* local id -> entity row */
    uint32_t (*end_id)[2] = dv_xmalloc((m ? m : 1) * sizeof *end_id); /* edge -> local ids */
    size_t nv = 0;
    for (size_t i = 0; i < 2 * m; i++) {
        if (!nv || row[nv - 1] != (uint32_t)ends[i].key) row[nv++] = (uint32_t)ends[i].key;
        end_id[ends[i].row][ends[i].aux] = (uint32_t)(nv - 1);
    }
    /* adjacency in one array, then cores by peeling the lowest degree
     * (Batagelj and Zaversnik's bucket order, linear in the edges) */
    size_t *start = dv_xcalloc(nv + 1, sizeof *start);
    for (size_t i = 0; i < m; i++) start[end_id[i][0] + 1]++, start[end_id[i][1] + 1]++;
    for (size_t v = 0; v < nv; v++) start[v + 1] += start[v];
    uint32_t *adj = dv_xmalloc((2 * m + 1) * sizeof *adj);
    size_t *fill = dv_xmalloc((nv ? nv : 1) * sizeof *fill);
    memcpy(fill, start, nv * sizeof *fill);
    for (size_t i = 0; i < m; i++) {
        adj[fill[end_id[i][0]]++] = end_id[i][1];
        adj[fill[end_id[i][1]]++] = end_id[i][0];
    }
    size_t *deg = dv_xmalloc((nv ? nv : 1) * sizeof *deg), maxdeg = 0;
    for (size_t v = 0; v < nv; v++) {
        deg[v] = start[v + 1] - start[v];
        if (deg[v] > maxdeg) maxdeg = deg[v];
    }
    size_t *bin = dv_xcalloc(maxdeg + 2, sizeof *bin), *pos = dv_xmalloc((nv ? nv : 1) * sizeof *pos);
    size_t *vert = dv_xmalloc((nv ? nv : 1) * sizeof *vert);
    for (size_t v = 0; v < nv; v++) bin[deg[v]]++;
    for (size_t d = 0, s = 0; d <= maxdeg; d++) {
        size_t c = bin[d];
        bin[d] = s;
        s += c;
    }
    for (size_t v = 0; v < nv; v++) {
        pos[v] = bin[deg[v]];
        vert[pos[v]] = v;
        bin[deg[v]]++;
    }
    for (size_t d = maxdeg; d > 0; d--) bin[d] = bin[d - 1];
    bin[0] = 0;
    for (size_t i = 0; i < nv; i++) {
        size_t v = vert[i];
        for (size_t j = start[v]; j < start[v + 1]; j++) {
            size_t u = adj[j];
            if (deg[u] <= deg[v]) continue;
            size_t du = deg[u], pu = pos[u], pw = bin[du], w = vert[pw];
            if (u != w) {
                pos[u] = pw, vert[pu] = w;
                pos[w] = pu, vert[pw] = u;
            }
            bin[du]++;
            deg[u]--;
        }
    }
    /* deg[v] is now v's core number: the group is the highest core */
    size_t top = 0;
    for (size_t v = 0; v < nv; v++)
        if (deg[v] > top) top = deg[v];
    if (nv) {
        *members = dv_xmalloc(nv * sizeof **members);
        for (size_t v = 0; v < nv; v++)
            if (deg[v] == top) (*members)[(*n)++] = row[v];
        *k = (int)top;
    }
    free(role);
    free(edges);
    free(ends);
    free(row);
    free(end_id);
    free(start);
    free(adj);
    free(fill);
    free(deg);
    free(bin);
    free(pos);
    free(vert);
}
