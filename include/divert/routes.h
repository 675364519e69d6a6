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
 *
 * Pruning (dv_route_prune), both optional:
 * - to_goal, the fewest hops from each entity to a goal entity
 *   (dv_route_distances computes it): a branch whose last entity cannot
 *   reach a goal within the hops left is not extended, unless the callback
 *   said the branch is wanted whatever its end (DV_ROUTE_FREE);
 * - weak and reach, for callers that only want chains with a transit in a
 *   weak-safeguard country other than the origin's (a third-country
 *   transit is in neither the origin's country nor the final consignee's):
 *   a branch with no such entity among its transits so far, and none it
 *   can still reach early enough to be a transit, is not extended,
 *   whatever the callback said. Without the origin's country in the test,
 *   a ring of parties in one weak country searched from one of them would
 *   be walked in full for chains that can never be flagged.
 */
#ifndef DIVERT_ROUTES_H
#define DIVERT_ROUTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "divert/config.h"
#include "divert/graph.h"

/* Shipment sets per hop: hop h (0-based) holds n[h] shipment rows, sorted
 * by (date, id). The arrays belong to whoever filled the struct. */
typedef struct dv_hopsets {
    int hops;
    const uint32_t *ship[DV_MAX_HOPS];
    size_t n[DV_MAX_HOPS];
} dv_hopsets;

/* What a chain callback returns. */
enum {
    DV_ROUTE_GO_ON = 0,   /* extend it, pruned by to_goal */
    DV_ROUTE_STOP = 1,    /* do not extend this chain */
    DV_ROUTE_FREE = 2     /* extend it and all its extensions without pruning */
};

/* Called for each realised chain: path has hops+1 entities, fwd the
 * forward sets. Called also for the one-hop start of every chain (hops =
 * 1), which is not itself a chain but may be stopped or freed. Return a
 * DV_ROUTE_* value, or a negative value to stop the search. */
typedef int (*dv_chain_fn)(void *ctx, const dv_item_graph *ig, const uint32_t *path, int hops,
                           const dv_hopsets *fwd);

/* No path to a goal within the hop limit. */
#define DV_ROUTE_FAR 255

typedef struct dv_route_stats {
    unsigned long long chains;     /* realised chains visited (>= 2 hops) */
    unsigned long long extensions; /* groups tried */
    unsigned long long pruned;     /* extensions skipped: no goal, or no weak
                                      transit, within reach */
} dv_route_stats;

/* The nearest weak entities that ship the item on, by country: for each
 * entity, the fewest hops to one (d1, in country c1) and to one in another
 * country (d2, c2), DV_ROUTE_FAR for none within the hop limit. The
 * arrays are the caller's, indexed by entity row; countries are packed
 * codes (dv_country_key). */
typedef struct dv_weak_reach {
    uint8_t *d1, *d2;
    uint16_t *c1, *c2;
} dv_weak_reach;

/* What the search may prune by; any pointer may be NULL (no such pruning).
 * Arrays are indexed by entity row. */
typedef struct dv_route_prune {
    const uint8_t *to_goal;   /* hops to a goal entity */
    const bool *weak;         /* the entity is in a weak-safeguard country */
    const dv_weak_reach *reach; /* weak entities within reach (dv_route_weak_reach) */
} dv_route_prune;

/* An entity's country as a number, for comparing countries cheaply. */
static inline uint16_t dv_country_key(const dv_entity *e)
{
    return (uint16_t)((unsigned char)e->country[0] << 8 | (unsigned char)e->country[1]);
}

/* Visit the realised chains of one item entry. Returns 0, or the negative
 * value a callback returned. */
int dv_route_search(const dv_dataset *ds, const dv_item_graph *ig, int window_days,
                    int max_hops, const dv_route_prune *prune, dv_chain_fn fn, void *ctx,
                    dv_route_stats *stats);

/* Fewest hops from each entity to a target entity (target[e] true) along
 * the item entry's shipments, ignoring dates; DV_ROUTE_FAR beyond
 * max_hops. With ships_on, only targets that ship this item on count. out
 * has room for ds->n_entities. */
void dv_route_distances(const dv_dataset *ds, const dv_item_graph *ig, const bool *target,
                        bool ships_on, int max_hops, uint8_t *out);

/* Fill reach (arrays of ds->n_entities, the caller's) for the item entry's
 * weak entities that ship on. */
void dv_route_weak_reach(const dv_dataset *ds, const dv_item_graph *ig, const bool *weak,
                         int max_hops, dv_weak_reach *reach);

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
