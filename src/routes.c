/*
 * routes.c: realised chains (SPEC 3).
 *
 * Depth-first over entities, from every (shipper, consignee) group of the
 * item entry. The state at depth d is the forward set F[d]: the shipments
 * on hop d that end a realised prefix. Extending by a group G, a shipment s
 * of G joins F[d+1] when some p in F[d] has date(p) <= date(s) <=
 * date(p) + window; both lists are date-ordered, so one merge pass decides
 * all of G. The cost of a chain is linear in the shipments on it, not in
 * the number of shipment combinations, which is what keeps heavy hubs
 * cheap. Buffers are allocated once per search and reused at every depth.
 */
#include "divert/routes.h"

#include <stdlib.h>
#include <string.h>

static inline int32_t date_of(const dv_dataset *ds, uint32_t s) { return ds->shipments[s].date; }

/* Shipments of cand (date-ordered) that follow some shipment of prev
 * within the window; written to out, count returned. */
static size_t follow(const dv_dataset *ds, int window, const uint32_t *prev, size_t n_prev,
                     const uint32_t *cand, size_t n_cand, uint32_t *out)
{
    size_t j = 0, n = 0;
    for (size_t i = 0; i < n_cand; i++) {
        int32_t d = date_of(ds, cand[i]);
        while (j < n_prev && date_of(ds, prev[j]) < d - window) j++;
        if (j == n_prev) break;
        if (date_of(ds, prev[j]) <= d) out[n++] = cand[i];
    }
    return n;
}

/* Shipments of cur that some shipment of next follows within the window. */
static size_t precede(const dv_dataset *ds, int window, const uint32_t *cur, size_t n_cur,
                      const uint32_t *next, size_t n_next, uint32_t *out)
{
    size_t j = 0, n = 0;
    for (size_t i = 0; i < n_cur; i++) {
        int32_t d = date_of(ds, cur[i]);
        while (j < n_next && date_of(ds, next[j]) < d) j++;
        if (j == n_next) break;
        if (date_of(ds, next[j]) <= d + window) out[n++] = cur[i];
    }
    return n;
}

typedef struct search {
    const dv_dataset *ds;
    const dv_item_graph *ig;
    int window, max_hops;
    dv_route_prune prune;
    dv_chain_fn fn;
    void *ctx;
    dv_route_stats *stats;
    uint32_t path[DV_MAX_HOPS + 1];
    uint32_t *buf[DV_MAX_HOPS];   /* forward set storage per depth */
    dv_hopsets fwd;
} search;

static bool on_path(const search *S, int hops, uint32_t e)
{
    for (int i = 0; i <= hops; i++)
        if (S->path[i] == e) return true;
    return false;
}

/* Is entity e a weak transit of another country than the origin's? */
static bool weak_other(const search *S, uint32_t e)
{
    return S->prune.weak && S->prune.weak[e] &&
           dv_country_key(&S->ds->entities[e]) != dv_country_key(&S->ds->entities[S->path[0]]);
}

/* Can a chain whose transits so far hold no weak entity of another country
 * than its origin's (weak_seen false) and whose next entity is `next`,
 * with `left` hops possible after it, still get one? next itself, or an
 * entity it reaches, must be weak, of another country, and then ship on:
 * that entity d hops past next needs d + 1 <= left. */
static bool weak_reachable(const search *S, bool weak_seen, uint32_t next, int left)
{
    const dv_weak_reach *r = S->prune.reach;
    if (weak_seen || !r || !S->prune.weak) return true;
    uint16_t origin = dv_country_key(&S->ds->entities[S->path[0]]);
    int d = r->c1[next] != origin ? r->d1[next] : r->d2[next];
    return left > 0 && d <= left - 1;
}

/* Extend the chain of `hops` hops ending at path[hops]; free: no goal
 * pruning; weak_seen: one of path[1..hops] is weak. */
static int extend(search *S, int hops, bool free, bool weak_seen)
{
    size_t first, last;
    dv_item_graph_out(S->ig, S->path[hops], &first, &last);
    int left = S->max_hops - (hops + 1);  /* hops still possible after this one */
    if (weak_other(S, S->path[hops])) weak_seen = true;
    for (size_t g = first; g < last; g++) {
        const dv_group *grp = &S->ig->groups[g];
        uint32_t next = grp->consignee;
        if (on_path(S, hops, next)) continue;
        if ((!free && S->prune.to_goal && S->prune.to_goal[next] > left) ||
            !weak_reachable(S, weak_seen, next, left)) {
            S->stats->pruned++;
            continue;
        }
        S->stats->extensions++;
        size_t n = follow(S->ds, S->window, S->fwd.ship[hops - 1], S->fwd.n[hops - 1],
                          S->ig->ship + grp->start, grp->end - grp->start, S->buf[hops]);
        if (!n) continue;
        S->path[hops + 1] = next;
        S->fwd.ship[hops] = S->buf[hops];
        S->fwd.n[hops] = n;
        S->fwd.hops = hops + 1;
        S->stats->chains++;
        int rc = S->fn(S->ctx, S->ig, S->path, hops + 1, &S->fwd);
        if (rc < 0) return rc;
        if (rc != DV_ROUTE_STOP && left > 0) {
            rc = extend(S, hops + 1, free || rc == DV_ROUTE_FREE, weak_seen);
            if (rc < 0) return rc;
        }
    }
    return 0;
}

int dv_route_search(const dv_dataset *ds, const dv_item_graph *ig, int window_days,
                    int max_hops, const dv_route_prune *prune, dv_chain_fn fn, void *ctx,
                    dv_route_stats *stats)
{
    dv_route_stats local = {0, 0, 0};
    search S = {0};
    S.ds = ds;
    S.ig = ig;
    S.window = window_days;
    S.max_hops = max_hops > DV_MAX_HOPS ? DV_MAX_HOPS : max_hops;
    if (prune) S.prune = *prune;
    S.fn = fn;
    S.ctx = ctx;
    S.stats = stats ? stats : &local;
    /* a forward set at any depth is a subset of one group: n_ship bounds it */
    for (int d = 1; d < S.max_hops; d++)
        S.buf[d] = dv_xmalloc((ig->n_ship ? ig->n_ship : 1) * sizeof(uint32_t));
    int rc = 0;
    for (size_t g = 0; g < ig->n_groups && rc >= 0; g++) {
        const dv_group *grp = &ig->groups[g];
        S.path[0] = grp->shipper;
        S.path[1] = grp->consignee;
        S.fwd.ship[0] = ig->ship + grp->start;
        S.fwd.n[0] = grp->end - grp->start;
        S.fwd.hops = 1;
        rc = fn(ctx, ig, S.path, 1, &S.fwd);
        if (rc < 0 || rc == DV_ROUTE_STOP) continue;
        /* the consignee is position 1: a transit if the chain goes on */
        if ((rc == DV_ROUTE_GO_ON && S.prune.to_goal &&
             S.prune.to_goal[grp->consignee] > S.max_hops - 1) ||
            !weak_reachable(&S, false, grp->consignee, S.max_hops - 1)) {
            S.stats->pruned++;
            continue;
        }
        rc = extend(&S, 1, rc == DV_ROUTE_FREE, false);
    }
    for (int d = 1; d < S.max_hops; d++) free(S.buf[d]);
    return rc < 0 ? rc : 0;
}

void dv_route_distances(const dv_dataset *ds, const dv_item_graph *ig, const bool *target,
                        bool ships_on, int max_hops, uint8_t *out)
{
    /* Breadth-first from the targets, backwards over the item's edges, one
     * scan of the groups a level: at most max_hops scans, cheap next to
     * the search they save. */
    for (size_t e = 0; e < ds->n_entities; e++) out[e] = DV_ROUTE_FAR;
    for (size_t g = 0; g < ig->n_groups; g++) {
        const dv_group *grp = &ig->groups[g];
        if (target[grp->consignee] && !ships_on) out[grp->consignee] = 0;
        if (target[grp->shipper]) out[grp->shipper] = 0;
    }
    for (int d = 1; d <= max_hops; d++) {
        bool grew = false;
        for (size_t g = 0; g < ig->n_groups; g++) {
            const dv_group *grp = &ig->groups[g];
            if (out[grp->consignee] == d - 1 && out[grp->shipper] == DV_ROUTE_FAR) {
                out[grp->shipper] = (uint8_t)d;
                grew = true;
            }
        }
        if (!grew) break;
    }
}

/* Offer the label (d, c) to entity v's two nearest of distinct countries;
 * true when it took it. */
static bool offer(const dv_weak_reach *r, uint32_t v, uint8_t d, uint16_t c)
{
    if (d >= r->d2[v] && c != r->c1[v]) return false;
    if (c == r->c1[v]) {
        if (d >= r->d1[v]) return false;
        r->d1[v] = d;
        return true;
    }
    if (d < r->d1[v]) { /* a new nearest: the old one becomes the second */
        r->d2[v] = r->d1[v], r->c2[v] = r->c1[v];
        r->d1[v] = d, r->c1[v] = c;
        return true;
    }
    if (d < r->d2[v]) {
        r->d2[v] = d, r->c2[v] = c;
        return true;
    }
    return false;
}

void dv_route_weak_reach(const dv_dataset *ds, const dv_item_graph *ig, const bool *weak,
                         int max_hops, dv_weak_reach *r)
{
    /* Two labels a vertex, relaxed backwards over the item's edges one
     * level at a time (as dv_route_distances), at most max_hops scans. A
     * country key of 0 is no country: every real key has two letters. */
    for (size_t e = 0; e < ds->n_entities; e++) {
        r->d1[e] = r->d2[e] = DV_ROUTE_FAR;
        r->c1[e] = r->c2[e] = 0;
    }
    for (size_t g = 0; g < ig->n_groups; g++) {
        uint32_t s = ig->groups[g].shipper;
        if (weak[s]) offer(r, s, 0, dv_country_key(&ds->entities[s]));
    }
    for (int d = 1; d <= max_hops; d++) {
        bool grew = false;
        for (size_t g = 0; g < ig->n_groups; g++) {
            const dv_group *grp = &ig->groups[g];
            uint32_t c = grp->consignee, s = grp->shipper;
            if (r->d1[c] == d - 1) grew |= offer(r, s, (uint8_t)d, r->c1[c]);
            if (r->d2[c] == d - 1) grew |= offer(r, s, (uint8_t)d, r->c2[c]);
        }
        if (!grew) break;
    }
}

void dv_route_feasible(const dv_dataset *ds, int window_days, const dv_hopsets *fwd,
                       dv_hopsets *out, uint32_t *buf)
{
    int k = fwd->hops;
    out->hops = k;
    size_t used = 0;
    /* last hop: every forward shipment completes a realisation */
    memcpy(buf, fwd->ship[k - 1], fwd->n[k - 1] * sizeof *buf);
    out->ship[k - 1] = buf;
    out->n[k - 1] = fwd->n[k - 1];
    used = fwd->n[k - 1];
    for (int h = k - 2; h >= 0; h--) {
        uint32_t *dst = buf + used;
        out->n[h] = precede(ds, window_days, fwd->ship[h], fwd->n[h], out->ship[h + 1],
                            out->n[h + 1], dst);
        out->ship[h] = dst;
        used += out->n[h];
    }
}

int dv_route_forward(const dv_dataset *ds, const dv_item_graph *ig, int window_days,
                     const uint32_t *path, int hops, dv_hopsets *fwd, uint32_t *buf)
{
    size_t used = 0;
    fwd->hops = hops;
    for (int h = 0; h < hops; h++) {
        size_t first, last, g;
        dv_item_graph_out(ig, path[h], &first, &last);
        for (g = first; g < last && ig->groups[g].consignee != path[h + 1]; g++) {
        }
        if (g == last) return 0;
        const uint32_t *cand = ig->ship + ig->groups[g].start;
        size_t n_cand = ig->groups[g].end - ig->groups[g].start;
        uint32_t *dst = buf + used;
        size_t n;
        if (h == 0) {
            memcpy(dst, cand, n_cand * sizeof *dst);
            n = n_cand;
        } else {
            n = follow(ds, window_days, fwd->ship[h - 1], fwd->n[h - 1], cand, n_cand, dst);
        }
        if (!n) return 0;
        fwd->ship[h] = dst;
        fwd->n[h] = n;
        used += n;
    }
    return 1;
}

typedef struct examples {
    const dv_dataset *ds;
    int window;
    const dv_hopsets *set;
    size_t max, count;
    uint32_t *out;
    uint32_t current[DV_MAX_HOPS];
} examples;

static void walk(examples *E, int h)
{
    const dv_hopsets *set = E->set;
    if (h == set->hops) {
        memcpy(E->out + E->count * (size_t)set->hops, E->current, (size_t)set->hops * sizeof(uint32_t));
        E->count++;
        return;
    }
    for (size_t i = 0; i < set->n[h] && E->count < E->max; i++) {
        uint32_t s = set->ship[h][i];
        if (h > 0) {
            int32_t prev = date_of(E->ds, E->current[h - 1]), d = date_of(E->ds, s);
            if (d < prev) continue;
            if (d > prev + E->window) break;
        }
        E->current[h] = s;
        walk(E, h + 1);
    }
}

size_t dv_route_examples(const dv_dataset *ds, int window_days, const dv_hopsets *feasible,
                         size_t max, uint32_t *out)
{
    examples E = {ds, window_days, feasible, max, 0, out, {0}};
    if (max) walk(&E, 0);
    return E.count;
}
