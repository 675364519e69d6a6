/*
 * graph.c: tables to the igraph graph and the per-item indexes.
 *
 * The per-item indexes are filled from igraph's out-incidence lists, vertex
 * by vertex, then each item's shipments are sorted by (shipper, consignee,
 * date, shipment id). Shipment rows are already in id order, so the row
 * index is the tie-break and the order does not depend on input order.
 */
#include "divert/graph.h"

#include <stdlib.h>
#include <string.h>

static const dv_dataset *sort_ds;

static int cmp_ship(const void *a, const void *b)
{
    const dv_shipment *x = &sort_ds->shipments[*(const uint32_t *)a];
    const dv_shipment *y = &sort_ds->shipments[*(const uint32_t *)b];
    if (x->shipper != y->shipper) return x->shipper < y->shipper ? -1 : 1;
    if (x->consignee != y->consignee) return x->consignee < y->consignee ? -1 : 1;
    if (x->date != y->date) return x->date < y->date ? -1 : 1;
    uint32_t ia = *(const uint32_t *)a, ib = *(const uint32_t *)b;
    return (ia > ib) - (ia < ib);
}

int dv_graph_build(dv_graph *graph, const dv_dataset *ds, dv_error *err)
{
    memset(graph, 0, sizeof *graph);
    graph->ds = ds;

    igraph_vector_int_t edges;
    if (igraph_vector_int_init(&edges, (igraph_integer_t)ds->n_shipments * 2))
        return dv_fail(err, DV_EXIT_INTERNAL, "igraph: cannot allocate the edge list");
    for (size_t i = 0; i < ds->n_shipments; i++) {
        VECTOR(edges)[2 * i] = ds->shipments[i].shipper;
        VECTOR(edges)[2 * i + 1] = ds->shipments[i].consignee;
    }
    igraph_error_t rc = igraph_create(&graph->g, &edges, (igraph_integer_t)ds->n_entities,
                                      IGRAPH_DIRECTED);
    igraph_vector_int_destroy(&edges);
    if (rc != IGRAPH_SUCCESS)
        return dv_fail(err, DV_EXIT_INTERNAL, "igraph: cannot build the graph (%s)",
                       igraph_strerror(rc));
    graph->has_g = true;

    /* slot of each item entry among the analysed ones, by items row */
    uint32_t *slot = dv_xmalloc((ds->n_items ? ds->n_items : 1) * sizeof *slot);
    size_t *count = dv_xcalloc(ds->n_items ? ds->n_items : 1, sizeof *count);
    for (size_t i = 0; i < ds->n_shipments; i++) {
        uint32_t it = ds->shipments[i].item_idx;
        if (it == DV_NONE) graph->n_unclassified++;
        else if (!ds->items[it].controlled) graph->n_uncontrolled++;
        else {
            graph->n_controlled++;
            count[it]++;
        }
    }
    for (size_t it = 0; it < ds->n_items; it++) {
        slot[it] = DV_NONE;
        if (!count[it]) continue;
        slot[it] = (uint32_t)graph->n_items++;
    }
    graph->items = dv_xcalloc(graph->n_items ? graph->n_items : 1, sizeof *graph->items);
    for (size_t it = 0; it < ds->n_items; it++) {
        if (slot[it] == DV_NONE) continue;
        dv_item_graph *ig = &graph->items[slot[it]];
        ig->item = (uint32_t)it;
        ig->ship = dv_xmalloc(count[it] * sizeof *ig->ship);
    }

    igraph_vector_int_t eids;
    if (igraph_vector_int_init(&eids, 0)) {
        free(slot);
        free(count);
        return dv_fail(err, DV_EXIT_INTERNAL, "igraph: out of memory");
    }
    for (size_t v = 0; v < ds->n_entities; v++) {
        rc = igraph_incident(&graph->g, &eids, (igraph_integer_t)v, IGRAPH_OUT);
        if (rc != IGRAPH_SUCCESS) break;
        for (igraph_integer_t k = 0; k < igraph_vector_int_size(&eids); k++) {
            uint32_t s = (uint32_t)VECTOR(eids)[k];
            uint32_t it = ds->shipments[s].item_idx;
            if (it == DV_NONE || slot[it] == DV_NONE) continue;
            dv_item_graph *ig = &graph->items[slot[it]];
            ig->ship[ig->n_ship++] = s;
        }
    }
    igraph_vector_int_destroy(&eids);
    free(slot);
    free(count);
    if (rc != IGRAPH_SUCCESS)
        return dv_fail(err, DV_EXIT_INTERNAL, "igraph: %s", igraph_strerror(rc));

    sort_ds = ds;
    for (size_t i = 0; i < graph->n_items; i++) {
        dv_item_graph *ig = &graph->items[i];
        dv_qsort(ig->ship, ig->n_ship, sizeof *ig->ship, cmp_ship);
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

void dv_graph_free(dv_graph *graph)
{
    if (!graph) return;
    if (graph->has_g) igraph_destroy(&graph->g);
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
