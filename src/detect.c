/*
 * detect.c: the detection pipeline for each controlled item entry.
 *
 * 1. dv_route_search visits the realised chains that could be flagged:
 *    branches that can reach no destination concern within the hop limit
 *    are pruned (on_chain explains when). Chains without a weak
 *    third-country transit are dismissed at once (no shipment is looked
 *    at); the others get their feasible sets and the full flag predicate.
 * 2. Flagged chains of the item entry go into a set; a flagged chain is
 *    reported unless it is a contiguous piece of another flagged chain
 *    (SPEC 4). Each flagged chain marks its pieces, so this is a pass over
 *    the set rather than a comparison of every pair.
 * 3. Each reported chain is realised again to gather its evidence and its
 *    earliest example realisations, then scored.
 *
 * Bounds (SPEC 5): the search of an item entry stops after chain_budget
 * realised chains, and of its reported chains the alert_budget strongest
 * (by score, then alert id) are kept, in a heap of that size, so time and
 * memory stay bounded whatever the data. The search order depends on the
 * data only, so a partial result is the same in every run. An item entry
 * that reached a budget is reported with the densely connected group of
 * parties that made it explode (graph.h) and with what was left out.
 */
#include "divert/detect.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "divert/flag.h"
#include "divert/routes.h"
#include "divert/score.h"

void dv_alert_free(dv_alert *a)
{
    if (!a) return;
    for (size_t k = 0; k < a->n_hits; k++) free(a->hits[k].reason);
    free(a->hits);
    free(a->evidence);
    free(a->examples);
    free(a->explanation);
    memset(a, 0, sizeof *a);
}

void dv_result_free(dv_result *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->n_alerts; i++) dv_alert_free(&r->alerts[i]);
    free(r->alerts);
    for (size_t i = 0; i < r->n_partial; i++) free(r->partial[i].group);
    free(r->partial);
    memset(r, 0, sizeof *r);
}

void dv_alert_id(const dv_dataset *ds, uint32_t item, const uint32_t *path, int hops,
                 char out[17])
{
    dv_buf key = {0};
    dv_buf_printf(&key, "%s|", ds->items[item].code);
    for (int h = 0; h <= hops; h++) dv_buf_printf(&key, "%s%s", h ? ">" : "", ds->entities[path[h]].id);
    snprintf(out, 17, "%016llx", (unsigned long long)dv_hash64(key.data, key.len));
    dv_buf_free(&key);
}

/* ---- the set of flagged chains of one item entry ---- */

typedef struct chain {
    int hops;
    bool contained;
    uint32_t path[DV_MAX_HOPS + 1];
} chain;

typedef struct chain_set {
    chain *chains;
    size_t n, cap;
    uint32_t *table;       /* open addressing: chain index + 1, 0 = empty */
    size_t table_cap;
} chain_set;

static uint64_t chain_hash(const uint32_t *path, int hops)
{
    return dv_hash64(path, (size_t)(hops + 1) * sizeof *path);
}

static size_t chain_slot(const chain_set *cs, const uint32_t *path, int hops, bool *found)
{
    size_t mask = cs->table_cap - 1, i = (size_t)chain_hash(path, hops) & mask;
    for (;;) {
        uint32_t v = cs->table[i];
        if (!v) {
            *found = false;
            return i;
        }
        const chain *c = &cs->chains[v - 1];
        if (c->hops == hops && memcmp(c->path, path, (size_t)(hops + 1) * sizeof *path) == 0) {
            *found = true;
            return i;
        }
        i = (i + 1) & mask;
    }
}

static void chain_set_add(chain_set *cs, const uint32_t *path, int hops)
{
    if ((cs->n + 1) * 2 > cs->table_cap) {
        size_t ncap = cs->table_cap ? cs->table_cap * 2 : 64;
        free(cs->table);
        cs->table = dv_xcalloc(ncap, sizeof *cs->table);
        cs->table_cap = ncap;
        for (size_t i = 0; i < cs->n; i++) {
            bool found;
            size_t slot = chain_slot(cs, cs->chains[i].path, cs->chains[i].hops, &found);
            cs->table[slot] = (uint32_t)i + 1;
        }
    }
    bool found;
    size_t slot = chain_slot(cs, path, hops, &found);
    if (found) return;
    chain c = {hops, false, {0}};
    memcpy(c.path, path, (size_t)(hops + 1) * sizeof *path);
    DV_PUSH(cs->chains, cs->n, cs->cap, c);
    cs->table[slot] = (uint32_t)cs->n;
}

/* Mark every contiguous piece (>= 2 hops) of every chain that is itself in
 * the set. */
static unsigned long long mark_contained(chain_set *cs)
{
    unsigned long long marked = 0;
    for (size_t i = 0; i < cs->n; i++) {
        const chain *c = &cs->chains[i];
        for (int start = 0; start <= c->hops - 2; start++)
            for (int len = 2; start + len <= c->hops; len++) {
                if (len == c->hops) continue;
                bool found;
                size_t slot = chain_slot(cs, c->path + start, len, &found);
                if (!found) continue;
                chain *piece = &cs->chains[cs->table[slot] - 1];
                if (!piece->contained) marked++;
                piece->contained = true;
            }
    }
    return marked;
}

static void chain_set_clear(chain_set *cs)
{
    cs->n = 0;
    if (cs->table) memset(cs->table, 0, cs->table_cap * sizeof *cs->table);
}

/* ---- search visitor ---- */

typedef struct visit {
    const dv_dataset *ds;
    const dv_config *cfg;
    const dv_flagger *flagger;
    const bool *is_goal;         /* entity is a destination concern of its own */
    chain_set *flagged;
    uint32_t *feasible_buf;
    bool declared_on_first_leg;  /* of the chain start being searched */
    unsigned long long examined; /* realised chains so far */
    unsigned long long budget;   /* chain_budget */
    bool cut;                    /* the search stopped at the budget */
} visit;

/* The search calls this for every chain start (hops = 1) and every
 * realised chain. A chain can only be flagged with a concern: (a), (b) or
 * (d) at its final consignee (a goal entity), (b) at a transit, or (c) from a
 * declared end user on the first leg. Branches with a concern already
 * certain for every extension ((b) at a transit, or a declaration that (c)
 * may turn into a concern) are searched in full; the others are pruned by
 * the distance to the nearest goal entity. */
static int on_chain(void *ctx, const dv_item_graph *ig, const uint32_t *path, int hops,
                    const dv_hopsets *fwd)
{
    (void)ig;
    visit *V = ctx;
    const dv_dataset *ds = V->ds;
    if (hops == 1) {
        V->declared_on_first_leg = false;
        for (size_t i = 0; i < fwd->n[0] && !V->declared_on_first_leg; i++)
            V->declared_on_first_leg = ds->shipments[fwd->ship[0][i]].declared_end_user != DV_NONE;
        bool listed = V->flagger->listed[path[1]];
        return V->declared_on_first_leg || listed ? DV_ROUTE_FREE : DV_ROUTE_GO_ON;
    }
    if (++V->examined > V->budget) {
        V->cut = true;
        return -1; /* the budget is spent: the search stops here */
    }
    bool listed_transit = false;
    for (int h = 1; h < hops; h++)
        if (V->flagger->listed[path[h]]) listed_transit = true;
    bool concern_possible = V->declared_on_first_leg || listed_transit || V->is_goal[path[hops]];
    int next = V->declared_on_first_leg || listed_transit ||
                       V->flagger->listed[path[hops]]
                   ? DV_ROUTE_FREE
                   : DV_ROUTE_GO_ON;
    if (!concern_possible || !dv_flag_weak_transits(V->flagger, path, hops)) return next;
    dv_hopsets feasible;
    dv_route_feasible(ds, V->cfg->window_days, fwd, &feasible, V->feasible_buf);
    dv_flag_result fr;
    dv_flag_chain(V->flagger, path, hops, &feasible, &fr);
    if (fr.flagged) chain_set_add(V->flagged, path, hops);
    return next;
}

/* Evidence is sorted by (date, shipment id) through triples, so that no
 * comparator needs a global and threads can sort at the same time. */
typedef struct dated {
    int32_t date;
    uint32_t row;
    const char *id;
} dated;

static int cmp_dated(const void *a, const void *b)
{
    const dated *x = a, *y = b;
    if (x->date != y->date) return x->date < y->date ? -1 : 1;
    return strcmp(x->id, y->id);
}

static int cmp_alert(const void *a, const void *b)
{
    const dv_alert *x = a, *y = b;
    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    return strcmp(x->id, y->id);
}

/* Build the alert of a reported chain. */
static void make_alert(const dv_dataset *ds, const dv_config *cfg, const dv_flagger *flagger,
                       const dv_scorer *scorer, const dv_item_graph *ig, const chain *c,
                       uint32_t *fwd_buf, uint32_t *feasible_buf, dv_alert *a)
{
    memset(a, 0, sizeof *a);
    a->item = ig->item;
    a->hops = c->hops;
    memcpy(a->path, c->path, (size_t)(c->hops + 1) * sizeof *c->path);
    dv_alert_id(ds, ig->item, c->path, c->hops, a->id);

    dv_hopsets fwd, feasible;
    dv_route_forward(ds, ig, cfg->window_days, c->path, c->hops, &fwd, fwd_buf);
    dv_route_feasible(ds, cfg->window_days, &fwd, &feasible, feasible_buf);
    dv_flag_result fr;
    dv_flag_chain(flagger, c->path, c->hops, &feasible, &fr);
    a->concerns = fr.concerns;
    a->licence = fr.licence;

    size_t total = 0;
    for (int h = 0; h < c->hops; h++) total += feasible.n[h];
    a->evidence = dv_xmalloc(total * sizeof *a->evidence);
    a->first_date = INT32_MAX;
    a->last_date = INT32_MIN;
    for (int h = 0; h < c->hops; h++)
        for (size_t i = 0; i < feasible.n[h]; i++) {
            uint32_t s = feasible.ship[h][i];
            const dv_shipment *sh = &ds->shipments[s];
            a->evidence[a->n_evidence++] = s;
            if (sh->date < a->first_date) a->first_date = sh->date;
            if (sh->date > a->last_date) a->last_date = sh->date;
            if (h == 0) {
                a->quantity += sh->quantity;
                if (!isnan(sh->value)) a->value += sh->value, a->has_value = true;
            }
        }
    dated *order = dv_xmalloc((a->n_evidence ? a->n_evidence : 1) * sizeof *order);
    for (size_t i = 0; i < a->n_evidence; i++)
        order[i] = (dated){ds->shipments[a->evidence[i]].date, a->evidence[i],
                           ds->shipments[a->evidence[i]].id};
    dv_qsort(order, a->n_evidence, sizeof *order, cmp_dated);
    for (size_t i = 0; i < a->n_evidence; i++) a->evidence[i] = order[i].row;
    free(order);

    size_t max = (size_t)cfg->max_examples;
    a->examples = dv_xmalloc((max ? max : 1) * (size_t)c->hops * sizeof *a->examples);
    a->n_examples = dv_route_examples(ds, cfg->window_days, &feasible, max, a->examples);
    dv_score_alert(scorer, a, &fr, &feasible);
}

/* ---- workers ---- */

/* What one item entry produced; merged in item order, so the result does
 * not depend on which thread did what. */
typedef struct item_out {
    dv_alert *alerts;
    size_t n_alerts;
    dv_route_stats stats;
    unsigned long long flagged, contained;
    bool partial;
    dv_partial part;             /* when partial */
} item_out;

/* x is weaker than y: a lower score, or the same and a later id. */
static bool weaker(const dv_alert *x, const dv_alert *y)
{
    if (x->score != y->score) return x->score < y->score;
    return strcmp(x->id, y->id) > 0;
}

/* The weakest of a min-heap of alerts at [0]: restore it from i down. */
static void sift_down(dv_alert *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && weaker(&h[l], &h[m])) m = l;
        if (r < n && weaker(&h[r], &h[m])) m = r;
        if (m == i) return;
        dv_alert t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

/* Keep a, of the item entry's reported chains, if it is among the
 * alert_budget strongest so far (a heap of them once full). */
static void keep_alert(item_out *out, size_t *cap, size_t budget, dv_alert *a)
{
    if (out->n_alerts < budget) {
        DV_PUSH(out->alerts, out->n_alerts, *cap, *a);
        if (out->n_alerts == budget)
            for (size_t i = budget / 2; i-- > 0;) sift_down(out->alerts, out->n_alerts, i);
        return;
    }
    if (weaker(a, &out->alerts[0])) {
        dv_alert_free(a);
        return;
    }
    dv_alert_free(&out->alerts[0]);
    out->alerts[0] = *a;
    sift_down(out->alerts, out->n_alerts, 0);
}

/* What a partial item entry's alerts say of it, after their explanation. */
static void note_partial(const dv_dataset *ds, const dv_partial *p, dv_alert *a)
{
    dv_buf b = {0};
    dv_buf_printf(&b, "%s. Partial result for item %s: ", a->explanation, ds->items[p->item].code);
    if (p->n_group > 1) {
        dv_buf_printf(&b, "a dense group of %zu parties trades it among themselves (each with %d "
                          "others of the group:",
                      p->n_group, p->group_k);
        for (size_t i = 0; i < p->n_group && i < 10; i++)
            dv_buf_printf(&b, " %s", ds->entities[p->group[i]].id);
        if (p->n_group > 10) dv_buf_printf(&b, " and %zu more", p->n_group - 10);
        dv_buf_printf(&b, "), %llu flagged routes found through it; ", p->through);
    }
    if (p->chains_cut) dv_buf_printf(&b, "the search stopped at %llu routes (chain_budget)", p->chains);
    if (p->chains_cut && p->kept < p->found) dv_buf_puts(&b, "; ");
    if (p->kept < p->found)
        dv_buf_printf(&b, "the %zu strongest of %zu alerts are reported (alert_budget)", p->kept,
                      p->found);
    free(a->explanation);
    a->explanation = b.data;
}

typedef struct shared {
    const dv_dataset *ds;
    const dv_graph *graph;
    const dv_config *cfg;
    const dv_flagger *flagger;
    const dv_scorer *scorer;
    const bool *is_goal;           /* a final consignee there has concern (a) or (b) */
    const bool *is_goal_hr;        /* ... or (d), for an item controlled for human rights */
    const bool *weak;              /* entity in a weak-safeguard country */
    item_out *out;                 /* by item entry */
    size_t max_ship;
    pthread_mutex_t lock;          /* guards next and done */
    size_t next, done;
    const dv_detect_options *opt;
} shared;

static void detect_item(shared *S, size_t i, uint32_t *fwd_buf, uint32_t *feasible_buf,
                        uint8_t *to_goal, dv_weak_reach *reach, chain_set *flagged)
{
    const dv_dataset *ds = S->ds;
    const dv_item_graph *ig = &S->graph->items[i];
    item_out *out = &S->out[i];
    chain_set_clear(flagged);
    const bool *goal = ds->items[ig->item].human_rights ? S->is_goal_hr : S->is_goal;
    visit V = {ds, S->cfg, S->flagger, goal, flagged, feasible_buf, false, 0,
               S->cfg->chain_budget, false};
    dv_route_distances(ds, ig, goal, false, S->cfg->max_hops, to_goal);
    dv_route_weak_reach(ds, ig, S->weak, S->cfg->max_hops, reach);
    dv_route_prune prune = {to_goal, S->weak, reach};
    dv_route_search(ds, ig, S->cfg->window_days, S->cfg->max_hops,
                    S->opt->exhaustive ? NULL : &prune, on_chain, &V, &out->stats);
    if (V.cut) out->stats.chains = V.budget; /* the chain that spent it was not examined */
    out->flagged = flagged->n;
    out->contained = mark_contained(flagged);
    size_t cap = 0, found = 0;
    for (size_t k = 0; k < flagged->n; k++) {
        const chain *c = &flagged->chains[k];
        if (c->contained) continue;
        dv_alert a;
        make_alert(ds, S->cfg, S->flagger, S->scorer, ig, c, fwd_buf, feasible_buf, &a);
        keep_alert(out, &cap, S->cfg->alert_budget, &a);
        found++;
    }
    if (!V.cut && found <= out->n_alerts) return;
    /* partial: say what was left out, and which parties caused it */
    out->partial = true;
    dv_partial *p = &out->part;
    *p = (dv_partial){ig->item, out->stats.chains, V.cut, found, out->n_alerts, NULL, 0, 0, 0};
    dv_item_dense_group(ds, ig, &p->group, &p->n_group, &p->group_k);
    bool *in_group = dv_xcalloc(ds->n_entities ? ds->n_entities : 1, sizeof *in_group);
    for (size_t m = 0; m < p->n_group; m++) in_group[p->group[m]] = true;
    for (size_t k = 0; k < flagged->n; k++) {
        const chain *c = &flagged->chains[k];
        bool through = false;
        for (int h = 1; h < c->hops && !through; h++) through = in_group[c->path[h]];
        p->through += through;
    }
    free(in_group);
    for (size_t k = 0; k < out->n_alerts; k++) note_partial(ds, p, &out->alerts[k]);
}

static void *worker(void *arg)
{
    shared *S = arg;
    /* forward and feasible sets of a chain hold at most all of its item's
     * shipments, once per hop */
    uint32_t *fwd_buf = dv_xmalloc(S->max_ship * sizeof *fwd_buf);
    uint32_t *feasible_buf = dv_xmalloc(S->max_ship * sizeof *feasible_buf);
    uint8_t *to_goal = dv_xmalloc(S->ds->n_entities ? S->ds->n_entities : 1);
    size_t ne = S->ds->n_entities ? S->ds->n_entities : 1;
    dv_weak_reach reach = {dv_xmalloc(ne), dv_xmalloc(ne), dv_xmalloc(ne * sizeof(uint16_t)),
                           dv_xmalloc(ne * sizeof(uint16_t))};
    chain_set flagged = {0};
    for (;;) {
        pthread_mutex_lock(&S->lock);
        size_t i = S->next++;
        pthread_mutex_unlock(&S->lock);
        if (i >= S->graph->n_items) break;
        detect_item(S, i, fwd_buf, feasible_buf, to_goal, &reach, &flagged);
        pthread_mutex_lock(&S->lock);
        size_t done = ++S->done;
        /* progress goes to the terminal from whichever thread finishes */
        if (S->opt->progress) S->opt->progress(S->opt->progress_ctx, done, S->graph->n_items);
        pthread_mutex_unlock(&S->lock);
    }
    free(fwd_buf);
    free(feasible_buf);
    free(to_goal);
    free(reach.d1);
    free(reach.d2);
    free(reach.c1);
    free(reach.c2);
    free(flagged.chains);
    free(flagged.table);
    return NULL;
}

int dv_detect(const dv_dataset *ds, const dv_screening *screening, const dv_graph *graph,
              const dv_detect_options *opt, dv_result *result, dv_error *err)
{
    const dv_config *cfg = opt->cfg;
    dv_flagger flagger;
    dv_flagger_init(&flagger, ds, cfg, screening);
    dv_scorer scorer;
    dv_scorer_init(&scorer, ds, cfg, &flagger);

    /* goal entities: a final consignee there has concern (a) or (b), or,
     * for an item controlled for human rights, (d) */
    size_t ne = ds->n_entities ? ds->n_entities : 1;
    bool *is_goal = dv_xcalloc(ne, sizeof *is_goal);
    bool *is_goal_hr = dv_xcalloc(ne, sizeof *is_goal_hr);
    /* weak entities: a flagged chain needs one of them as a transit */
    bool *weak = dv_xcalloc(ne, sizeof *weak);
    for (size_t e = 0; e < ds->n_entities; e++) {
        const dv_entity *en = &ds->entities[e];
        is_goal[e] = flagger.listed[e] ||
                     (en->country_idx != DV_NONE &&
                      ds->countries[en->country_idx].destination != DV_DEST_NONE);
        is_goal_hr[e] = is_goal[e] || flagger.hr_risk[e];
        weak[e] = dv_entity_weak(&flagger, (uint32_t)e);
    }

    shared S = {0};
    S.ds = ds;
    S.graph = graph;
    S.cfg = cfg;
    S.flagger = &flagger;
    S.scorer = &scorer;
    S.is_goal = is_goal;
    S.is_goal_hr = is_goal_hr;
    S.weak = weak;
    S.opt = opt;
    S.out = dv_xcalloc(graph->n_items ? graph->n_items : 1, sizeof *S.out);
    S.max_ship = 1;
    for (size_t i = 0; i < graph->n_items; i++)
        if (graph->items[i].n_ship > S.max_ship) S.max_ship = graph->items[i].n_ship;
    pthread_mutex_init(&S.lock, NULL);

    /* item entries are independent: spread them over the threads */
    int threads = dv_config_threads(cfg);
    if ((size_t)threads > graph->n_items) threads = graph->n_items ? (int)graph->n_items : 1;
    pthread_t tid[DV_MAX_THREADS];
    int started = 0;
    for (int t = 1; t < threads; t++) {
        /* a thread that cannot start leaves its share to the others */
        if (pthread_create(&tid[t], NULL, worker, &S) != 0) break;
        started++;
    }
    worker(&S);
    for (int t = 1; t <= started; t++) pthread_join(tid[t], NULL);
    pthread_mutex_destroy(&S.lock);

    size_t cap = 0;
    for (size_t i = 0; i < graph->n_items; i++) {
        item_out *o = &S.out[i];
        result->items_analysed++;
        result->chains_visited += o->stats.chains;
        result->extensions_pruned += o->stats.pruned;
        result->chains_flagged += o->flagged;
        result->chains_contained += o->contained;
        dv_grow((void **)&result->alerts, &cap, result->n_alerts + o->n_alerts, sizeof *result->alerts);
        if (o->n_alerts)
            memcpy(result->alerts + result->n_alerts, o->alerts, o->n_alerts * sizeof *o->alerts);
        result->n_alerts += o->n_alerts;
        free(o->alerts);
        if (o->partial) {
            size_t pcap = result->n_partial;
            DV_PUSH(result->partial, result->n_partial, pcap, o->part);
        }
    }
    free(S.out);
    dv_qsort(result->alerts, result->n_alerts, sizeof *result->alerts, cmp_alert);
    for (size_t i = 0; i < result->n_alerts; i++) {
        result->by_severity[result->alerts[i].severity]++;
        result->by_track[result->alerts[i].track]++;
    }

    free(is_goal);
    free(is_goal_hr);
    free(weak);
    dv_scorer_free(&scorer);
    dv_flagger_free(&flagger);
    (void)err;
    return 0;
}
