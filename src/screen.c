/*
 * screen.c: the screening stage: every entity's names against the index
 * (screen_index.c) on worker threads, each finding the list names worth
 * scoring from its tokens' blocking keys and scoring them (screen_score.c);
 * the matches sorted, and each entity's best (screen.h describes the
 * method).
 */
#include "divert/screen.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "divert/config.h"
#include "divert/nameclean.h"
#include "divert/screen_index.h"
#include "divert/screen_score.h"
#include "divert/tokensim.h"

/* ---- screening every entity ---- */

typedef struct etok {               /* an entity token, as a worker met it */
    uint32_t first, n;              /* the list tokens alike, in worker.alike */
    uint32_t jfirst, jn;            /* the list names with two words that join
                                       into it, in worker.joined */
    uint32_t jskipped;              /* or how many they are, when more than a
                                       name may gather (jn 0) */
    const char *f;                  /* folded (dv_tok_fold): in the worker's arena */
    uint32_t flen;
    double w;
    bool common;
} etok;

typedef struct alike_tok {
    uint32_t id;                    /* list token */
    double sim;
} alike_tok;

/* What the workers share: the index they read, and the next rows to take. */
typedef struct job {
    dv_screener *s;                 /* borrowed: dv_screen_all's caller's */
    double threshold;
    bool common_reach;              /* a pair of names with only common words in
                                       common can reach the threshold */
    size_t next;                    /* next entity row to take, under lock */
    pthread_mutex_t lock;
    int status;
    dv_error err;
} job;

/* One thread's state. Its arrays and buffers are its own heap blocks,
 * freed when the thread ends (screen_worker), but found, whose matches
 * dv_screen_all takes over; nothing in it is shared with another worker. */
typedef struct worker {
    job *J;                         /* borrowed: dv_screen_all's */
    dv_screener *s;                 /* borrowed: J->s */
    dv_namer *namer;                /* owned: a namer is not for two threads */
    dv_cleaner *cleaner;            /* owned: the same */
    dv_map seen;                    /* entity token -> etok; its keys in arena */
    dv_arena arena;                 /* owns the entity tokens, for seen, and
                                       their folded forms (etok.f) */
    etok *etoks;                    /* owned, as the arrays below */
    size_t n_etoks, cap_etoks;
    alike_tok *alike;
    size_t n_alike, cap_alike;
    uint32_t *joined;
    size_t n_joined, cap_joined;
    uint32_t *tok_stamp, tok_gen;   /* by list token: met for this entity token */
    uint32_t *stamp, gen;           /* by list name: a candidate of this name */
    uint32_t *tok_mark;             /* by list token: == gen when it pairs with a
                                       token of this name and neither is common */
    double *acc;                    /* by list name: its score's upper bound, in part */
    uint8_t *found_by;              /* by list name: FOUND_* */
    struct posting *posts;          /* what this name may gather */
    size_t n_posts, cap_posts, posts_total;
    double heaviest[2 * MAX_TOKENS];/* by token of this name, then by pair of
                                       neighbours joined: the heaviest of its
                                       pairs not followed */
    uint32_t *cand;                 /* this name's candidates, as gathered: at
                                       most DV_SCREEN_MAX_GATHERED */
    size_t n_cand;
    struct passed *passed;          /* those to score (DV_SCREEN_MAX_GATHERED) */
    struct passed *best_heap;       /* room to choose them (DV_SCREEN_MAX_SCORED) */
    bool capped;                    /* this name met a bound */
    dv_screen_stats stats;          /* this worker's */
    dv_buf tokens, forms;           /* owned: the name being screened, normalised */
    dv_matches found;               /* this worker's, owned with their strings
                                       until dv_screen_all merges them */
} worker;

enum { CHUNK = 1024 };

/* An entity token: its weight, and the list tokens it pairs with (found
 * from its blocking keys and compared once for all the names it is in). */
static uint32_t entity_token(worker *W, const char *t, size_t len)
{
    uint32_t x;
    if (dv_map_get(&W->seen, t, len, &x)) return x;
    const dv_screener *s = W->s;
    etok e = {(uint32_t)W->n_alike, 0, (uint32_t)W->n_joined, 0, 0, NULL, 0, 0, false};
    uint32_t id;
    e.w = dv_token_weight(s, t, len, &e.common, &id);
    char f[64];
    size_t fl = dv_tok_fold(t, len, f);
    e.f = dv_arena_strndup(&W->arena, f, fl);
    e.flen = (uint32_t)fl;
    uint64_t keys[DV_TOK_MAX_KEYS + DV_ROM_MAX_KEYS + 1];
    size_t nk = dv_tok_keys(t, len, keys), n_main = nk;
    /* an abjad token and a Latin one meet by their skeletons, a Hangul or
     * Burmese one and a Latin one by their Korean folds (romanise.h): a
     * Latin token looks up the list's abjad and syllabic tokens in
     * tok_keys, such a token the list's Latin ones in script_keys */
    const multimap *script = NULL;
    if (dv_rom_is_abjad_token(t, len) || dv_rom_is_syllabic_token(t, len)) {
        script = dv_screener_script_keys((dv_screener *)s); /* built once, locked */
        nk += dv_rom_keys(t, len, true, keys + nk);
        nk += dv_rom_korean_keys(t, len, true, keys + nk);
    } else {
        if (s->any_abjad) nk += dv_rom_keys(t, len, true, keys + nk);
        if (s->any_syllabic) nk += dv_rom_korean_keys(t, len, true, keys + nk);
        n_main = nk;
    }
    if (++W->tok_gen == 0) {
        memset(W->tok_stamp, 0, (s->n_vocab ? s->n_vocab : 1) * sizeof *W->tok_stamp);
        W->tok_gen = 1;
    }
    for (size_t k = 0; k < nk; k++) {
        const multimap *m = k < n_main ? &s->tok_keys : script;
        const slot *sl = multimap_find(m, keys[k]);
        for (uint32_t p = 0; sl->key && p < sl->count; p++) {
            uint32_t b = m->values[sl->start + p];
            if (W->tok_stamp[b] == W->tok_gen) continue;
            W->tok_stamp[b] = W->tok_gen;
            double sim = dv_tok_sim(t, len, f, fl, s->tok[b], s->tok_len[b], s->tok_fold[b],
                                    s->tok_flen[b]);
            if (sim < DV_TOKEN_SIM) continue;
            alike_tok a = {b, sim};
            DV_PUSH(W->alike, W->n_alike, W->cap_alike, a);
            e.n++;
        }
    }
    if (len >= 4 && len <= DV_MAX_TOKEN_LEN) {
        /* the names of the key as written, then those of the folded key
         * not among them: a key's names are in ascending order, so one
         * pass over both finds them */
        uint64_t key = dv_tok_hash(t, len, DV_TOK_WHOLE), fkey = dv_tok_hash(f, fl, DV_TOK_WHOLE);
        const slot *a = multimap_find(&s->join_keys, key);
        const slot *b = fkey != key ? multimap_find(&s->join_keys, fkey) : NULL;
        uint32_t na = a->key ? a->count : 0, nb = b && b->key ? b->count : 0;
        const uint32_t *va = s->join_keys.values + (na ? a->start : 0),
                       *vb = s->join_keys.values + (nb ? b->start : 0);
        if ((size_t)na + nb > DV_SCREEN_MAX_GATHERED) {
            e.jskipped = na + nb;
        } else {
            for (uint32_t p = 0; p < na; p++) DV_PUSH(W->joined, W->n_joined, W->cap_joined, va[p]);
            for (uint32_t p = 0, q = 0; p < nb; p++) {
                while (q < na && va[q] < vb[p]) q++;
                if (q < na && va[q] == vb[p]) continue;
                DV_PUSH(W->joined, W->n_joined, W->cap_joined, vb[p]);
            }
            e.jn = (uint32_t)(W->n_joined - e.jfirst);
        }
    }
    x = (uint32_t)W->n_etoks;
    DV_PUSH(W->etoks, W->n_etoks, W->cap_etoks, e);
    dv_map_put(&W->seen, dv_arena_strndup(&W->arena, t, len), x, NULL);
    return x;
}

typedef struct best {               /* the best pair of names for a list entry */
    uint32_t watch, lname;
    double score;
    const char *ename;              /* the entity's name: borrowed from the dataset */
} best;

enum { MAX_FOUND = 64 };            /* list entries kept for one entity */

/* How a candidate was found besides the pairs of tokens that its bound
 * counts: what may make a pair of names distinctive without a pair of
 * tokens that are not common (dv_score_sims). */
enum {
    FOUND_RUN_TOGETHER = 1,         /* its tokens run together are this name's */
    FOUND_JOINED = 2,               /* two of its words join into a token of this
                                       name that is not common */
};

/* List name li is a candidate; c is added to its bound (FORCED: scored
 * whatever its bound). */
#define FORCED 1e300
static void candidate(worker *W, uint32_t li, double c, uint8_t found_by)
{
    if (W->stamp[li] != W->gen) {
        W->stamp[li] = W->gen;
        W->acc[li] = 0;
        W->found_by[li] = 0;
        W->cand[W->n_cand++] = li;
    }
    W->acc[li] += c;
    W->found_by[li] |= found_by;
}

/* The names of one list token (or of one key) that the name being
 * screened may gather as candidates. */
typedef struct posting {
    const uint32_t *names;          /* borrowed: the index's */
    uint32_t n;
    uint32_t order;                 /* its place among the name's postings */
    double c;                       /* added to their bounds */
    int heavy;                      /* the heaviest[] that takes c if they are not
                                       all gathered; -1: none (FORCED, or c is
                                       there already) */
    uint8_t found_by;               /* FOUND_* */
} posting;

static void offer(worker *W, const uint32_t *names, uint32_t n, double c, int heavy,
                  uint8_t found_by)
{
    if (!n) return;
    posting p = {names, n, (uint32_t)W->n_posts, c, heavy, found_by};
    DV_PUSH(W->posts, W->n_posts, W->cap_posts, p);
    W->posts_total += n;
}

/* The names of list token b may be candidates, c added to their bounds. A
 * token in too many names to follow leads only to the names that have no
 * rarer token: when a pair of names with only common words in common can
 * reach the threshold, those that have it among their two rarest tokens;
 * above that threshold, when the pair is distinctive (neither token
 * common), those that have it, and otherwise none, since a candidate
 * needs a distinctive pair to score above COMMON_ONLY_CAP. Either way c
 * goes to heaviest[heavy] instead if larger, which every bound counts. */
static void follow(worker *W, uint32_t b, double c, bool distinctive, int heavy)
{
    const dv_screener *s = W->s;
    if (s->df[b] <= MAX_POSTINGS) {
        uint32_t from = s->tok_names_at[b];
        offer(W, s->tok_names + from, s->tok_names_at[b + 1] - from, c, heavy, 0);
        return;
    }
    if (c > W->heaviest[heavy]) W->heaviest[heavy] = c;
    if (W->J->common_reach)
        offer(W, s->rest + s->rest_at[b], s->rest_at[b + 1] - s->rest_at[b], c, -1, 0);
    else if (distinctive)
        offer(W, s->rest_distinct + s->rest_distinct_at[b],
              s->rest_distinct_at[b + 1] - s->rest_distinct_at[b], c, -1, 0);
}

/* Shortest first, then in the order offered. */
static int cmp_posting(const void *a, const void *b)
{
    const posting *x = a, *y = b;
    if (x->n != y->n) return x->n < y->n ? -1 : 1;
    return (x->order > y->order) - (x->order < y->order);
}

/* The names of the postings offered become candidates: all of them, in
 * the order offered, when the name can gather that many
 * (DV_SCREEN_MAX_GATHERED); otherwise the shortest postings first (the
 * rarest tokens, which say the most), each token's names lightest first
 * (the index keeps them so), until the budget is spent. The c of a
 * posting not gathered whole goes to its heaviest: the names left out do
 * not have it in their bounds, even those that are candidates. */
static void gather(worker *W)
{
    if (W->posts_total > DV_SCREEN_MAX_GATHERED)
        dv_qsort(W->posts, W->n_posts, sizeof *W->posts, cmp_posting);
    for (size_t i = 0; i < W->n_posts; i++) {
        const posting *p = &W->posts[i];
        uint32_t k = 0;
        for (; k < p->n && W->n_cand < DV_SCREEN_MAX_GATHERED; k++)
            candidate(W, p->names[k], p->c, p->found_by);
        if (k == p->n) continue;
        W->stats.ungathered += p->n - k;
        W->capped = true;
        if (p->heavy >= 0 && p->c > W->heaviest[p->heavy]) W->heaviest[p->heavy] = p->c;
    }
}

/* A candidate of name q to score: its bound. */
typedef struct passed {
    double bound;
    uint32_t lname;
} passed;

/* Highest bound first, then the list's first name. */
static int cmp_passed(const void *a, const void *b)
{
    const passed *x = a, *y = b;
    if (x->bound != y->bound) return x->bound > y->bound ? -1 : 1;
    return (x->lname > y->lname) - (x->lname < y->lname);
}

/* Whether candidate li of name q can score above COMMON_ONLY_CAP: it has
 * a token that pairs with one of q's with neither common, or two words
 * that join into one of q's that is not common, or its words run
 * together are q's in another number of words (dv_score_sims). */
static bool may_be_distinctive(const worker *W, const qname *q, uint32_t li)
{
    const dv_screener *s = W->s;
    const lname *ln = &s->names[li];
    uint8_t by = W->found_by[li];
    if ((by & FOUND_JOINED) || ((by & FOUND_RUN_TOGETHER) && ln->n != q->n)) return true;
    for (uint32_t k = 0; k < ln->n; k++)
        if (W->tok_mark[s->toks[ln->first + k]] == W->gen) return true;
    return false;
}

/* Of heap[0..n), a heap whose top is the last in cmp_passed's order,
 * restore the heap below i. */
static void sift_down(passed *heap, size_t n, size_t i)
{
    for (;;) {
        size_t last = i, l = 2 * i + 1, r = l + 1;
        if (l < n && cmp_passed(&heap[l], &heap[last]) > 0) last = l;
        if (r < n && cmp_passed(&heap[r], &heap[last]) > 0) last = r;
        if (last == i) return;
        passed t = heap[i];
        heap[i] = heap[last], heap[last] = t;
        i = last;
    }
}

/* Keep of the n candidates in p the DV_SCREEN_MAX_SCORED of highest bound
 * (then the list's first names: cmp_passed's order, which is total, so
 * the choice depends on nothing else), in their order; heap has room for
 * DV_SCREEN_MAX_SCORED. Returns how many are kept. */
static size_t keep_best(passed *p, size_t n, passed *heap)
{
    enum { K = DV_SCREEN_MAX_SCORED };
    if (n <= K) return n;
    /* the K first in order, the K-th of them on top: n log K */
    memcpy(heap, p, K * sizeof *heap);
    for (size_t i = K / 2; i-- > 0;) sift_down(heap, K, i);
    for (size_t i = K; i < n; i++)
        if (cmp_passed(&p[i], &heap[0]) < 0) {
            heap[0] = p[i];
            sift_down(heap, K, 0);
        }
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
        if (cmp_passed(&p[i], &heap[0]) <= 0) p[kept++] = p[i];
    return kept;
}

/* One name of an entity against the list (text: the name, or a name of
 * its own it gives, once cleaned; name: the entity's name or alias it
 * came from, which the match records): the candidates are the list
 * names with a token alike one of its tokens; each gets an upper bound of
 * its score from those tokens (the pairs' weights as if each paired, and
 * for tokens in too many names to follow, their heaviest pair), and only
 * a candidate whose bound reaches the threshold, or that could match with
 * its words run together, is scored; above COMMON_ONLY_CAP, only one that
 * may have a distinctive pair; and at most DV_SCREEN_MAX_SCORED of them,
 * those of highest bound. */
static void screen_name(worker *W, const dv_entity *en, const char *name, const char *text,
                        size_t text_len, bool branch, double threshold, best *found,
                        size_t *n_found)
{
    const dv_screener *s = W->s;
    dv_name_normalise(W->namer, text, text_len, &W->tokens, &W->forms);
    if (!W->tokens.len) return;
    qname q;
    uint32_t et[MAX_TOKENS];
    q.n = 0;
    double we = 0;
    for (const char *p = W->tokens.data; *p && q.n < MAX_TOKENS;) {
        size_t l = strcspn(p, " ");
        et[q.n] = entity_token(W, p, l);
        const etok *E = &W->etoks[et[q.n]];
        q.t[q.n] = p, q.len[q.n] = l, q.w[q.n] = E->w, q.common[q.n] = E->common;
        q.f[q.n] = E->f, q.flen[q.n] = E->flen, q.id[q.n] = UINT32_MAX;
        we += E->w;
        q.n++;
        p += l + (p[l] == ' ');
    }
    dv_qname_concat(&q);
    q.marks = *dv_namer_marks(W->namer);
    if (++W->gen == 0) {
        memset(W->stamp, 0, (s->n_names ? s->n_names : 1) * sizeof *W->stamp);
        memset(W->tok_mark, 0, (s->n_vocab ? s->n_vocab : 1) * sizeof *W->tok_mark);
        W->gen = 1;
    }
    W->n_cand = 0;
    W->n_posts = 0;
    W->posts_total = 0;
    W->capped = false;
    /* heaviest[i]: of token i's pairs, the heaviest not followed; heaviest[q.n
     * + i]: the same of tokens i and i + 1 joined */
    for (size_t i = 0; i < 2 * q.n; i++) W->heaviest[i] = 0;
    for (size_t i = 0; i < q.n; i++) {
        const etok *E = &W->etoks[et[i]];
        for (uint32_t a = 0; a < E->n; a++) {
            const alike_tok *A = &W->alike[E->first + a];
            bool distinctive = !E->common && !s->common[A->id];
            if (distinctive) W->tok_mark[A->id] = W->gen;
            follow(W, A->id, A->sim * (E->w + s->weight[A->id]), distinctive, (int)i);
        }
        /* list names with two words that join into this one */
        if (E->jskipped) {
            W->stats.ungathered += E->jskipped;
            W->capped = true;
        }
        if (E->jn) offer(W, W->joined + E->jfirst, E->jn, FORCED, -1, E->common ? 0 : FOUND_JOINED);
    }
    /* two neighbouring words of this name joined, against list tokens */
    for (size_t i = 0; i + 1 < q.n; i++) {
        size_t la = q.len[i], lb = q.len[i + 1];
        /* dv_tok_join_sim: the list token has four letters or more */
        if (la + lb > DV_MAX_TOKEN_LEN) continue;
        char j[64], fj[64];
        memcpy(j, q.t[i], la);
        memcpy(j + la, q.t[i + 1], lb);
        size_t fl = dv_tok_fold(j, la + lb, fj);
        uint64_t keys[2] = {dv_tok_hash(j, la + lb, DV_TOK_WHOLE),
                            dv_tok_hash(fj, fl, DV_TOK_WHOLE)};
        for (int k = 0; k < 2; k++) {
            const slot *sl = multimap_find(&s->tok_keys, keys[k]);
            for (uint32_t p = 0; sl->key && p < sl->count; p++) {
                uint32_t b = s->tok_keys.values[sl->start + p];
                double js = dv_tok_join_sim(q.t[i], la, q.t[i + 1], lb, s->tok[b],
                                            s->tok_len[b], s->tok_fold[b], s->tok_flen[b]);
                if (js < DV_TOKEN_SIM || (k == 1 && keys[1] == keys[0])) continue;
                /* distinctive when the list's token is not common */
                if (!s->common[b]) W->tok_mark[b] = W->gen;
                follow(W, b, js * (q.w[i] + q.w[i + 1] + s->weight[b]), !s->common[b],
                       (int)(q.n + i));
            }
        }
    }
    /* the names that are this one with its words run together */
    uint64_t cat_keys[2] = {dv_tok_hash(q.cat, q.cat_len, DV_TOK_WHOLE),
                            dv_tok_hash(q.fcat, q.fcat_len, DV_TOK_WHOLE)};
    for (int k = 0; k < 2; k++) {
        const slot *sl = multimap_find(&s->cat_keys, cat_keys[k]);
        if (sl->key)
            offer(W, s->cat_keys.values + sl->start, sl->count, FORCED, -1, FOUND_RUN_TOGETHER);
    }
    gather(W);
    double unfollowed = 0;
    for (size_t i = 0; i < 2 * q.n; i++) unfollowed += W->heaviest[i];
    size_t n_passed = 0;
    for (size_t c = 0; c < W->n_cand; c++) {
        uint32_t li = W->cand[c];
        double bound = (W->acc[li] + unfollowed) / (we + s->name_weight[li]);
        if (bound < threshold - 1e-9) continue;
        if (!W->J->common_reach && !may_be_distinctive(W, &q, li)) continue;
        W->passed[n_passed++] = (passed){bound, li};
    }
    size_t n_scored = keep_best(W->passed, n_passed, W->best_heap);
    if (n_scored < n_passed) {
        W->stats.unscored += n_passed - n_scored;
        W->capped = true;
    }
    dv_screen_stats *st = &W->stats;
    st->gathered += W->n_cand;
    st->scored += n_scored;
    st->names_capped += W->capped;
    if (W->n_cand > st->most_gathered) st->most_gathered = (uint32_t)W->n_cand;
    if (n_scored > st->most_scored) st->most_scored = (uint32_t)n_scored;
    for (size_t c = 0; c < n_scored; c++) {
        uint32_t li = W->passed[c].lname;
        const lname *ln = &s->names[li];
        qname l;
        qname_of_list(s, ln, &l);
        sim_table sim;
        for (size_t i = 0; i < q.n; i++) {
            const etok *E = &W->etoks[et[i]];
            for (size_t j = 0; j < l.n; j++) {
                sim[i][j] = 0;
                for (uint32_t a = 0; a < E->n; a++)
                    if (W->alike[E->first + a].id == l.id[j]) sim[i][j] = W->alike[E->first + a].sim;
            }
        }
        const dv_watch *w = &s->ds->watchlist[ln->watch];
        /* a branch (either side's) abroad: its countries are not counted */
        bool waive = (branch || ln->branch) && dv_screen_countries_differ(en->country, w->country);
        double sc = dv_score_sims(&q, &l, sim, waive ? NULL : en->country, waive ? NULL : w->country,
                                  NULL);
        if (sc < threshold) continue;
        size_t f = 0;
        while (f < *n_found && found[f].watch != ln->watch) f++;
        if (f == *n_found) {
            if (*n_found == MAX_FOUND) continue;
            (*n_found)++;
            found[f].score = -1;
        }
        /* ties: the entity's first name, then the list's first */
        if (sc > found[f].score || (sc == found[f].score && found[f].ename == name && li < found[f].lname))
            found[f] = (best){ln->watch, li, sc, name};
    }
}

static void screen_entity(worker *W, double threshold, uint32_t e)
{
    const dv_screener *s = W->s;
    const dv_entity *en = &s->ds->entities[e];
    best found[MAX_FOUND];
    size_t n_found = 0;
    uint32_t naliases = en->naliases < DV_SCREEN_MAX_ALIASES ? en->naliases : DV_SCREEN_MAX_ALIASES;
    for (uint32_t a = 0; a <= naliases; a++) {
        const char *name = a ? en->aliases[a - 1] : en->name;
        W->stats.names++;
        /* the name cleaned, and the names of its own it gives: each
         * screened, the match recording the name they came from */
        size_t n = dv_name_clean(W->cleaner, name, strlen(name));
        bool branch = dv_clean_found(W->cleaner, DV_CLEAN_BRANCH);
        for (size_t i = 0; i < n; i++) {
            size_t len;
            const char *text = dv_clean_name(W->cleaner, i, &len);
            screen_name(W, en, name, text, len, branch, threshold, found, &n_found);
        }
    }
    for (size_t f = 0; f < n_found; f++) {
        const lname *ln = &s->names[found[f].lname];
        const dv_watch *w = &s->ds->watchlist[ln->watch];
        dv_buf expl = {0};
        /* the list's name as given: its explanation says what cleaning
         * set aside */
        dv_screen_pair(W->s, W->namer, found[f].ename, en->country, ln->source, w->country, &expl);
        /* the list name may be a part of one, in the index's memory: copied */
        dv_match m = {e, ln->watch, found[f].score, found[f].ename, dv_xstrdup(ln->text), expl.data};
        DV_PUSH(W->found.m, W->found.n, W->found.cap, m);
    }
}

static void *screen_worker(void *arg)
{
    worker *W = arg;
    job *J = W->J;
    dv_screener *s = J->s;
    dv_error err = {0, ""};
    W->s = s;
    W->namer = dv_namer_new(&err);
    W->cleaner = dv_cleaner_new();
    if (!W->namer) {
        dv_cleaner_free(W->cleaner);
        pthread_mutex_lock(&J->lock);
        if (!J->status) J->status = err.code, J->err = err;
        pthread_mutex_unlock(&J->lock);
        return NULL;
    }
    size_t n_names = s->n_names ? s->n_names : 1, n_vocab = s->n_vocab ? s->n_vocab : 1;
    size_t most = n_names < DV_SCREEN_MAX_GATHERED ? n_names : DV_SCREEN_MAX_GATHERED;
    W->stamp = dv_xcalloc(n_names, sizeof *W->stamp);
    W->acc = dv_xmalloc(n_names * sizeof *W->acc);
    W->found_by = dv_xmalloc(n_names * sizeof *W->found_by);
    W->cand = dv_xmalloc(most * sizeof *W->cand);
    W->passed = dv_xmalloc(most * sizeof *W->passed);
    W->best_heap = dv_xmalloc(DV_SCREEN_MAX_SCORED * sizeof *W->best_heap);
    W->tok_stamp = dv_xcalloc(n_vocab, sizeof *W->tok_stamp);
    W->tok_mark = dv_xcalloc(n_vocab, sizeof *W->tok_mark);
    for (;;) {
        pthread_mutex_lock(&J->lock);
        size_t first = J->next;
        J->next += CHUNK;
        pthread_mutex_unlock(&J->lock);
        if (first >= s->ds->n_entities) break;
        size_t last = first + CHUNK < s->ds->n_entities ? first + CHUNK : s->ds->n_entities;
        for (size_t e = first; e < last; e++) screen_entity(W, J->threshold, (uint32_t)e);
    }
    dv_buf_free(&W->tokens);
    dv_buf_free(&W->forms);
    free(W->stamp);
    free(W->acc);
    free(W->found_by);
    free(W->cand);
    free(W->passed);
    free(W->best_heap);
    free(W->tok_stamp);
    free(W->tok_mark);
    free(W->posts);
    free(W->etoks);
    free(W->alike);
    free(W->joined);
    dv_map_free(&W->seen);
    dv_arena_free(&W->arena);
    dv_namer_free(W->namer);
    dv_cleaner_free(W->cleaner);
    return NULL;
}

/* One side's cleaning in an explanation: "; entity: label ... set aside" */
static void explain_cleaning(const dv_cleaner *c, const char *side, const char *name, size_t used,
                             dv_buf *expl)
{
    const dv_clean_part *parts;
    if (!dv_clean_parts(c, &parts)) return;
    dv_buf_printf(expl, "; %s: ", side);
    dv_clean_explain(c, name, used, expl);
}

double dv_screen_pair(dv_screener *s, dv_namer *namer, const char *entity_name,
                      const char *entity_country, const char *list_name, const char *list_country,
                      dv_buf *expl)
{
    /* both names cleaned as the index and the workers clean them: the
     * best of every name the one gives against every name the other
     * gives */
    dv_cleaner *ce = dv_cleaner_new(), *cl = dv_cleaner_new();
    size_t ne = dv_name_clean(ce, entity_name, strlen(entity_name));
    size_t nl = dv_name_clean(cl, list_name, strlen(list_name));
    /* a branch (either side's) abroad: its countries are not counted */
    bool waive = (dv_clean_found(ce, DV_CLEAN_BRANCH) || dv_clean_found(cl, DV_CLEAN_BRANCH)) &&
                 dv_screen_countries_differ(entity_country, list_country);
    const char *ec = entity_country, *lc = list_country;
    if (waive) entity_country = list_country = NULL;
    double top = -1;
    size_t bi = 0, bj = 0;
    for (size_t i = 0; i < ne; i++)
        for (size_t j = 0; j < nl; j++) {
            double sc = dv_screen_pair_parts(s, namer, dv_clean_name(ce, i, NULL), entity_country,
                                             dv_clean_name(cl, j, NULL), list_country, NULL);
            if (sc > top) top = sc, bi = i, bj = j;
        }
    if (expl) {
        dv_screen_pair_parts(s, namer, dv_clean_name(ce, bi, NULL), entity_country,
                             dv_clean_name(cl, bj, NULL), list_country, expl);
        if (waive) dv_buf_printf(expl, "; countries differ (%s, %s), not counted: a branch", ec, lc);
        explain_cleaning(ce, "entity", entity_name, bi, expl);
        explain_cleaning(cl, "list", list_name, bj, expl);
    }
    dv_cleaner_free(ce);
    dv_cleaner_free(cl);
    return top;
}

/* A match's sort key, carrying all it is compared by, so that the
 * comparator needs nothing but its arguments. */
typedef struct match_key {
    double score;
    const char *id;                 /* the entity's: borrowed from the dataset */
    uint32_t watch, entity;
    size_t at;                      /* where the match is, unsorted */
} match_key;

static int cmp_match_key(const void *a, const void *b)
{
    const match_key *x = a, *y = b;
    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    int c = strcmp(x->id, y->id);
    if (c) return c;
    if (x->watch != y->watch) return x->watch < y->watch ? -1 : 1;
    /* entity ids are unique in a loaded dataset; should two be equal, the
     * order still does not depend on which worker found what */
    return (x->entity > y->entity) - (x->entity < y->entity);
}

/* Sort by score (descending), entity id, list row: the keys are sorted,
 * then the matches moved into their order. */
static void sort_matches(dv_matches *m, const dv_dataset *ds)
{
    if (m->n < 2) return;
    match_key *k = dv_xmalloc(m->n * sizeof *k);
    for (size_t i = 0; i < m->n; i++) {
        const dv_match *x = &m->m[i];
        k[i] = (match_key){x->score, ds->entities[x->entity].id, x->watch, x->entity, i};
    }
    dv_qsort(k, m->n, sizeof *k, cmp_match_key);
    dv_match *sorted = dv_xmalloc(m->n * sizeof *sorted);
    for (size_t i = 0; i < m->n; i++) sorted[i] = m->m[k[i].at];
    free(k);
    free(m->m);
    m->m = sorted;
    m->cap = m->n;
}

int dv_screen_all(dv_screener *s, double threshold, int threads, dv_matches *out,
                  dv_screen_stats *stats, dv_error *err)
{
    memset(out, 0, sizeof *out);
    if (stats) memset(stats, 0, sizeof *stats);
    if (threads < 1) threads = 1;
    if (threads > DV_MAX_THREADS) threads = DV_MAX_THREADS;
    job J = {s, threshold, threshold <= COMMON_ONLY_CAP, 0, PTHREAD_MUTEX_INITIALIZER, 0,
             {0, ""}};
    worker *args = dv_xcalloc((size_t)threads, sizeof *args);
    pthread_t tid[DV_MAX_THREADS];
    int started = 0;
    for (int t = 0; t < threads; t++) args[t].J = &J;
    for (int t = 1; t < threads; t++) {
        if (pthread_create(&tid[t], NULL, screen_worker, &args[t]) != 0) break;
        started++;
    }
    screen_worker(&args[0]);
    for (int t = 1; t <= started; t++) pthread_join(tid[t], NULL);
    for (int t = 0; t < threads; t++) {
        dv_matches *f = &args[t].found;
        for (size_t i = 0; i < f->n; i++) DV_PUSH(out->m, out->n, out->cap, f->m[i]);
        free(f->m);
        const dv_screen_stats *w = &args[t].stats;
        if (!stats) continue;
        stats->names += w->names;
        stats->gathered += w->gathered;
        stats->scored += w->scored;
        stats->unscored += w->unscored;
        stats->ungathered += w->ungathered;
        stats->names_capped += w->names_capped;
        if (w->most_gathered > stats->most_gathered) stats->most_gathered = w->most_gathered;
        if (w->most_scored > stats->most_scored) stats->most_scored = w->most_scored;
    }
    free(args);
    if (J.status) {
        *err = J.err;
        return J.status;
    }
    sort_matches(out, s->ds);
    return 0;
}

void dv_matches_free(dv_matches *m)
{
    if (!m) return;
    for (size_t i = 0; i < m->n; i++) {
        free(m->m[i].explanation);
        free(m->m[i].list_name);
    }
    free(m->m);
    memset(m, 0, sizeof *m);
}

/* Each entity's best match at or above the threshold: the matches are
 * sorted by score, so an entity's first one is its best, and a review pair
 * (below the threshold) comes after every match. */
static void find_best(dv_screening *s, size_t n_entities)
{
    for (size_t e = 0; e < n_entities; e++) s->best[e] = DV_NONE;
    for (size_t i = s->all.n; i-- > 0;)
        if (!dv_match_in_review(s, &s->all.m[i])) s->best[s->all.m[i].entity] = (uint32_t)i;
}

bool dv_match_in_review(const dv_screening *s, const dv_match *m)
{
    return m->score < s->threshold;
}

int dv_screen_dataset_band(const dv_dataset *ds, double threshold, double review_from,
                           int threads, dv_screening *out, dv_error *err)
{
    memset(out, 0, sizeof *out);
    out->threshold = threshold;
    if (!ds->n_watch) return 0;
    dv_screener *s = dv_screener_new(ds, err);
    if (!s) return err->code;
    /* the index finds what scores at or above the band's lower end */
    double lowest = review_from < threshold ? review_from : threshold;
    int rc = dv_screen_all(s, lowest, threads, &out->all, &out->stats, err);
    dv_screener_free(s);
    if (rc) return rc;
    out->best = dv_xmalloc((ds->n_entities ? ds->n_entities : 1) * sizeof *out->best);
    find_best(out, ds->n_entities);
    return 0;
}

int dv_screen_dataset(const dv_dataset *ds, double threshold, int threads, dv_screening *out,
                      dv_error *err)
{
    return dv_screen_dataset_band(ds, threshold, threshold, threads, out, err);
}

size_t dv_screening_drop(dv_screening *s, const dv_dataset *ds,
                         bool (*drop)(const void *ctx, const dv_dataset *ds, uint32_t entity,
                                      uint32_t watch),
                         const void *ctx)
{
    size_t kept = 0, before = s->dropped.n;
    for (size_t i = 0; i < s->all.n; i++) {
        dv_match *m = &s->all.m[i];
        if (drop(ctx, ds, m->entity, m->watch)) DV_PUSH(s->dropped.m, s->dropped.n, s->dropped.cap, *m);
        else s->all.m[kept++] = *m;
    }
    s->all.n = kept;
    if (s->best) find_best(s, ds->n_entities);
    return s->dropped.n - before;
}

const dv_match *dv_screening_best(const dv_screening *s, uint32_t entity)
{
    if (!s->best || s->best[entity] == DV_NONE) return NULL;
    return &s->all.m[s->best[entity]];
}

size_t dv_screening_matched(const dv_screening *s, size_t n_entities)
{
    size_t n = 0;
    for (size_t e = 0; s->best && e < n_entities; e++) n += s->best[e] != DV_NONE;
    return n;
}

void dv_screening_free(dv_screening *s)
{
    if (!s) return;
    dv_matches_free(&s->all);
    dv_matches_free(&s->dropped);
    free(s->best);
    s->best = NULL;
}
