/*
 * graph.h: the supply-chain graph and the per-item shipment indexes.
 *
 * Entities are the vertices of a directed igraph multigraph and shipments
 * its edges (edge i is shipment row i): the whole graph, for the analyses
 * that take it as a graph (dv_graph_igraph). The route search does not walk
 * it shipment by shipment; it works on one dv_item_graph per analysed
 * item entry (SPEC 3: shipments grouped by item entry), where the
 * shipments of each (shipper, consignee) pair form a date-ordered run.
 *
 * The graph borrows the dataset: it must not outlive it.
 */
#ifndef DIVERT_GRAPH_H
#define DIVERT_GRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "divert/dataset.h"

/* The shipments of one item entry from one shipper to one consignee. */
typedef struct dv_group {
    uint32_t shipper, consignee;   /* entity rows */
    uint32_t start, end;           /* range of dv_item_graph.ship */
} dv_group;

typedef struct dv_item_graph {
    uint32_t item;                 /* item entry (items row) */
    uint32_t *ship;                /* owned: shipment rows by (shipper, consignee, date, id) */
    size_t n_ship;
    dv_group *groups;              /* owned: by (shipper, consignee) */
    size_t n_groups;
} dv_item_graph;

struct igraph_s;                   /* igraph_t, for the modules that include igraph.h */
typedef struct dv_whole_graph dv_whole_graph;

typedef struct dv_graph {
    const dv_dataset *ds;          /* borrowed */
    dv_whole_graph *whole;         /* owned: the igraph graph, built on demand (graph.c) */
    dv_item_graph *items;          /* owned: analysed item entries (controlled, or controlled
                                      for human rights) that have shipments, by code */
    size_t n_items;
    size_t n_controlled;           /* shipments of controlled item entries */
    size_t n_human_rights_only;    /* of item entries not controlled but flagged human_rights
                                      (SPEC 3: the EU catch-all), analysed too */
    size_t n_uncontrolled;         /* of item entries that are not analysed */
    size_t n_unclassified;         /* of no item entry */
} dv_graph;

/* Build the per-item indexes the route search runs on. With only_items
 * (by items row), only the item entries it marks get an index, so that
 * detection searches those alone (an investigator's command that needs one
 * item entry); the shipment counts above cover every item entry either
 * way. NULL: every analysed item entry. */
int dv_graph_build(dv_graph *graph, const dv_dataset *ds, const bool *only_items, dv_error *err);
/* The whole graph as an igraph graph (vertex i is entity row i, edge i is
 * shipment row i), built the first time an analysis asks for it (safe to
 * call from several threads); *out stays valid until dv_graph_free. The
 * scan itself does not ask: at ten million shipments the igraph edge index
 * costs seconds and half a gigabyte that the route search, working on the
 * per-item indexes, has no use for. */
int dv_graph_igraph(dv_graph *graph, const struct igraph_s **out, dv_error *err);
/* Whether the igraph graph has been built (for tests). */
bool dv_graph_has_igraph(const dv_graph *graph);
void dv_graph_free(dv_graph *graph);

/* The densely connected group of an item entry's parties: in the graph of
 * the parties that both receive and ship the item (the possible transits;
 * an edge between two that ship it to one another, either way), the
 * k-core with the largest k, so that each member trades the item with at
 * least *k other members. A ring of parties
 * trading among themselves is such a group, and it is what makes the
 * number of chains explode. *members (heap, the caller's to free) holds
 * their entity rows, in id order; *n may be 0 for an item without trade. */
void dv_item_dense_group(const dv_dataset *ds, const dv_item_graph *ig, uint32_t **members,
                         size_t *n, int *k);

/* The groups whose shipper is the entity: [*first, *last). */
void dv_item_graph_out(const dv_item_graph *ig, uint32_t shipper, size_t *first, size_t *last);

#endif
