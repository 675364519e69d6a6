/*
 * routes.h: realised entity chains (SPEC 3).
 *
 * For one item entry, dv_route_search visits every realised entity chain
 * e0 -> ... -> ek (2 <= k <= max_hops, distinct entities) once. A chain is
 * realised when shipments s1..sk exist along it with
 * date(s[i-1]) <= date(s[i]) <= date(s[i-1]) + window.
 *
 * The search never enumerates combinations of shipments. It carries, hop
 * by hop, the set of shipments that end some realised prefix (the forward
 * set); a chain is realised exactly when its last forward set is non-empty.
 * dv_route_feasible narrows forward sets to the shipments that take part
 * in at least one full realisation (the evidence).
 */
#ifndef DIVERT_ROUTES_H
#define DIVERT_ROUTES_H

#include <stddef.h>
#include <stdint.h>

#include "divert/graph.h"

#define DV_MAX_HOPS 12

/* Shipment sets per hop: hop h (0-based) holds n[h] shipment rows, sorted
 * by (date, id). The arrays belong to whoever filled the struct. */
typedef struct dv_hopsets {
    int hops;
    const uint32_t *ship[DV_MAX_HOPS];
    size_t n[DV_MAX_HOPS];
} dv_hopsets;

/* Called for each realised chain: path has hops+1 entities, fwd the
 * forward sets. Return 0 to go on, 1 to not extend this chain further,
 * or a negative value to stop the search. */
typedef int (*dv_chain_fn)(void *ctx, const dv_item_graph *ig, const uint32_t *path, int hops,
                           const dv_hopsets *fwd);

typedef struct dv_route_stats {
    unsigned long long chains;     /* realised chains visited */
    unsigned long long extensions; /* groups tried */
} dv_route_stats;

/* Visit the realised chains of one item entry. Returns 0, or the negative
 * value a callback returned. */
int dv_route_search(const dv_dataset *ds, const dv_item_graph *ig, int window_days,
                    int max_hops, dv_chain_fn fn, void *ctx, dv_route_stats *stats);

/* Reduce forward sets to the shipments of full realisations. out's arrays
 * are written into buf (room for the sum of fwd->n); out->hops = fwd->hops. */
void dv_route_feasible(const dv_dataset *ds, int window_days, const dv_hopsets *fwd,
                       dv_hopsets *out, uint32_t *buf);

/* Forward sets of one given chain (for re-deriving the evidence of a
 * reported chain). buf needs room for ig->n_ship entries. Returns 0 when
 * the chain is not realised. */
int dv_route_forward(const dv_dataset *ds, const dv_item_graph *ig, int window_days,
                     const uint32_t *path, int hops, dv_hopsets *fwd, uint32_t *buf);

/* Up to max example realisations, earliest first (lexicographic by date
 * and shipment id, hop by hop), from feasible sets. Writes max*hops
 * shipment rows into out; returns how many realisations it wrote. */
size_t dv_route_examples(const dv_dataset *ds, int window_days, const dv_hopsets *feasible,
                         size_t max, uint32_t *out);

#endif
