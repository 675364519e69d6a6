/*
 * screen_index.c: the watchlist index (screen_index.h): every list name
 * normalised into tokens, the tokens' weights, and the tables that lead
 * from an entity token to the list names worth scoring.
 */
#include "divert/screen_index.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "divert/nameclean.h"
#include "divert/names.h"
#include "divert/tokensim.h"

static uint32_t vocab_id(dv_screener *s, const char *t, size_t len)
{
    uint32_t id;
    if (dv_map_get(&s->vocab, t, len, &id)) return id;
    char *copy = dv_arena_strndup(&s->arena, t, len);
    id = (uint32_t)s->n_vocab;
    dv_map_put(&s->vocab, copy, id, NULL);
    if (s->n_vocab == s->cap_vocab) {
        size_t cap = s->cap_vocab ? s->cap_vocab * 2 : 1024;
        s->tok = dv_xrealloc(s->tok, cap * sizeof *s->tok);
        s->tok_len = dv_xrealloc(s->tok_len, cap * sizeof *s->tok_len);
        s->df = dv_xrealloc(s->df, cap * sizeof *s->df);
        s->common = dv_xrealloc(s->common, cap * sizeof *s->common);
        s->cap_vocab = cap;
    }
    s->tok[id] = copy;
    s->tok_len[id] = (uint32_t)len;
    s->df[id] = 0;
    s->common[id] = dv_tok_is_common(t, len);
    s->n_vocab++;
    return id;
}

static void add_name_part(dv_screener *s, dv_namer *namer, uint32_t watch, const char *source,
                          const char *text, size_t len, dv_buf *tokens, dv_buf *forms);

size_t dv_screen_name_core(const char *name)
{
    size_t len = strlen(name);
    for (size_t i = 0; i + 10 <= len; i++)
        if (!strncasecmp(name + i, "; and any ", 10)) return i;
    return len;
}

/* One name of a list entry once cleaned, and what it gives in
 * parentheses as a name of its own: "Academy of Aerospace Solid
 * Propulsion Technology (AASPT)" is also "AASPT", and the rest without
 * it (dv_screen_pair_parts reads a name the same way). */
static void add_cleaned_name(dv_screener *s, dv_namer *namer, uint32_t watch, const char *source,
                             const char *text, dv_buf *tokens, dv_buf *forms)
{
    const char *open = strchr(text, '('), *close = open ? strchr(open, ')') : NULL;
    /* a country in parentheses marks a subsidiary (names.h): one name */
    if (!open || !close || close - open < 2 ||
        dv_name_paren_is_country(open + 1, (size_t)(close - open - 1))) {
        add_name_part(s, namer, watch, source, text, dv_screen_name_core(text), tokens, forms);
        return;
    }
    add_name_part(s, namer, watch, source, open + 1, (size_t)(close - open - 1), tokens, forms);
    dv_buf rest = {0};
    dv_buf_add(&rest, text, (size_t)(open - text));
    dv_buf_puts(&rest, close + 1);
    add_name_part(s, namer, watch, source, rest.data, rest.len, tokens, forms);
    dv_buf_free(&rest);
}

/* A list name or alias: cleaned (nameclean.h), the name and each former
 * or other name it gives are names of the entry (dv_screen_pair cleans
 * the same way). */
static void add_name(dv_screener *s, dv_namer *namer, dv_cleaner *cl, uint32_t watch,
                     const char *text, dv_buf *tokens, dv_buf *forms)
{
    size_t n = dv_name_clean(cl, text, strlen(text)), first = s->n_names;
    for (size_t i = 0; i < n; i++)
        add_cleaned_name(s, namer, watch, text, dv_clean_name(cl, i, NULL), tokens, forms);
    if (dv_clean_found(cl, DV_CLEAN_BRANCH))
        for (size_t k = first; k < s->n_names; k++) s->names[k].branch = true;
}

static void add_name_part(dv_screener *s, dv_namer *namer, uint32_t watch, const char *source,
                          const char *text, size_t len, dv_buf *tokens, dv_buf *forms)
{
    dv_name_normalise(namer, text, len, tokens, forms);
    if (!tokens->len) return;
    const char *kept = dv_arena_strndup(&s->arena, text, len);
    lname ln = {watch, kept, source, (uint32_t)s->n_toks, 0, NULL, NULL, 0, 0, 0, *dv_namer_marks(namer),
                false};
    const char *p = tokens->data;
    while (*p && ln.n < MAX_TOKENS) {
        size_t l = strcspn(p, " ");
        uint32_t id = vocab_id(s, p, l);
        bool seen = false; /* a token counts once a name for df */
        for (uint32_t k = 0; k < ln.n; k++) seen |= s->toks[ln.first + k] == id;
        if (!seen) s->df[id]++;
        DV_PUSH(s->toks, s->n_toks, s->cap_toks, id);
        ln.n++;
        p += l + (p[l] == ' ');
    }
    DV_PUSH(s->names, s->n_names, s->cap_names, ln);
}

/* keyed pairs (token, name), the names of each token in ascending order
 * -> the start of each token's names (by id, n_vocab + 1 of them) and the
 * names, in *at and *values (both heap, the caller's); each token's names
 * lightest first (name_weight), then in order: the order in which a name
 * whose budget runs short takes them (screen.c) */
static void postings_of(const dv_screener *s, dv_keyed *pairs, size_t n, size_t nv, uint32_t **at,
                        uint32_t **values)
{
    dv_sort_keyed(pairs, n);
    *at = dv_xcalloc(nv + 1, sizeof **at);
    *values = dv_xmalloc((n ? n : 1) * sizeof **values);
    for (size_t k = 0; k < n; k++) (*at)[pairs[k].key + 1]++;
    for (size_t id = 0; id < nv; id++) (*at)[id + 1] += (*at)[id];
    for (size_t k = 0; k < n;) {
        size_t end = k;
        while (end < n && pairs[end].key == pairs[k].key) end++;
        /* a weight is not negative: the order of its bits is its order */
        for (size_t j = k; j < end; j++) {
            double w = s->name_weight[pairs[j].row];
            memcpy(&pairs[j].key, &w, sizeof w);
        }
        dv_sort_keyed(pairs + k, end - k); /* stable: then in order */
        for (size_t j = k; j < end; j++) (*values)[j] = pairs[j].row;
        k = end;
    }
}

/* token -> the names it is in, each once; and for the names whose every
 * token is in too many names to follow (MAX_POSTINGS), their two rarest
 * tokens -> those names (rest), and each of their distinctive tokens ->
 * those names (rest_distinct) */
static void index_names(dv_screener *s)
{
    size_t nv = s->n_vocab;
    s->tok_names_at = dv_xcalloc(nv + 1, sizeof *s->tok_names_at);
    s->tok_names = dv_xmalloc((s->n_toks ? s->n_toks : 1) * sizeof *s->tok_names);
    for (size_t id = 0; id < nv; id++) s->tok_names_at[id + 1] = s->tok_names_at[id] + s->df[id];
    uint32_t *fill = dv_xmalloc((nv ? nv : 1) * sizeof *fill);
    memcpy(fill, s->tok_names_at, nv * sizeof *fill);
    dv_keyed *rest = NULL, *distinct = NULL;
    size_t n_rest = 0, cap_rest = 0, n_distinct = 0, cap_distinct = 0;
    s->name_weight = dv_xmalloc((s->n_names ? s->n_names : 1) * sizeof *s->name_weight);
    for (size_t i = 0; i < s->n_names; i++) {
        const lname *ln = &s->names[i];
        s->name_weight[i] = ln->weight;
        uint32_t rare[2] = {UINT32_MAX, UINT32_MAX};
        bool followed = false;
        for (uint32_t k = 0; k < ln->n; k++) {
            uint32_t id = s->toks[ln->first + k];
            bool seen = false;
            for (uint32_t m = 0; m < k; m++) seen |= s->toks[ln->first + m] == id;
            if (seen) continue;
            s->tok_names[fill[id]++] = (uint32_t)i;
            followed |= s->df[id] <= MAX_POSTINGS;
            if (rare[0] == UINT32_MAX || s->df[id] < s->df[rare[0]])
                rare[1] = rare[0], rare[0] = id;
            else if (rare[1] == UINT32_MAX || s->df[id] < s->df[rare[1]])
                rare[1] = id;
        }
        if (followed) continue;
        for (int r = 0; r < 2; r++)
            if (rare[r] != UINT32_MAX) {
                dv_keyed x = {rare[r], (uint32_t)i, 0};
                DV_PUSH(rest, n_rest, cap_rest, x);
            }
        for (uint32_t k = 0; k < ln->n; k++) {
            uint32_t id = s->toks[ln->first + k];
            bool seen = false;
            for (uint32_t m = 0; m < k; m++) seen |= s->toks[ln->first + m] == id;
            if (seen || s->common[id]) continue;
            dv_keyed x = {id, (uint32_t)i, 0};
            DV_PUSH(distinct, n_distinct, cap_distinct, x);
        }
    }
    free(fill);
    postings_of(s, rest, n_rest, nv, &s->rest_at, &s->rest);
    postings_of(s, distinct, n_distinct, nv, &s->rest_distinct_at, &s->rest_distinct);
    free(rest);
    free(distinct);
}

static void multimap_build(multimap *m, dv_keyed *pairs, size_t n_pairs)
{
    dv_sort_keyed(pairs, n_pairs);
    m->values = dv_xmalloc((n_pairs ? n_pairs : 1) * sizeof *m->values);
    size_t distinct = 0;
    for (size_t i = 0; i < n_pairs; i++) distinct += !i || pairs[i].key != pairs[i - 1].key;
    m->cap = 64;
    while (m->cap < distinct * 2) m->cap *= 2;
    m->slots = dv_xcalloc(m->cap, sizeof *m->slots);
    size_t np = 0;
    for (size_t i = 0; i < n_pairs;) {
        size_t j = i;
        slot *sl = (slot *)multimap_find(m, pairs[i].key);
        sl->key = pairs[i].key;
        sl->start = (uint32_t)np;
        for (; j < n_pairs && pairs[j].key == pairs[i].key; j++)
            if (j == i || pairs[j].row != pairs[j - 1].row) m->values[np++] = pairs[j].row;
        sl->count = (uint32_t)(np - sl->start);
        i = j;
    }
}

static void multimap_free(multimap *m)
{
    free(m->slots);
    free(m->values);
}

/* blocking key -> the tokens that have it; a name's tokens run together,
 * as written and folded -> the names (for the rule of words run together) */
static void index_keys(dv_screener *s)
{
    dv_keyed *pairs = NULL;
    size_t n_pairs = 0, cap_pairs = 0;
    uint64_t keys[DV_TOK_MAX_KEYS + DV_ROM_MAX_KEYS + 1];
    for (size_t id = 0; id < s->n_vocab; id++) {
        size_t nk = dv_tok_keys(s->tok[id], s->tok_len[id], keys);
        /* an abjad token by its skeleton, a Hangul or Burmese one by its
         * Korean fold, which Latin entity tokens look up (the Latin list
         * tokens' own are in script_keys) */
        bool abjad = dv_rom_is_abjad_token(s->tok[id], s->tok_len[id]),
             syllabic = dv_rom_is_syllabic_token(s->tok[id], s->tok_len[id]);
        if (abjad) nk += dv_rom_keys(s->tok[id], s->tok_len[id], false, keys + nk);
        if (syllabic) nk += dv_rom_korean_keys(s->tok[id], s->tok_len[id], false, keys + nk);
        s->any_abjad |= abjad;
        s->any_syllabic |= syllabic;
        for (size_t j = 0; j < nk; j++) {
            dv_keyed p = {keys[j], (uint32_t)id, 0};
            DV_PUSH(pairs, n_pairs, cap_pairs, p);
        }
    }
    multimap_build(&s->tok_keys, pairs, n_pairs);
    n_pairs = 0;
    for (size_t i = 0; i < s->n_names; i++) {
        const lname *ln = &s->names[i];
        dv_keyed a = {dv_tok_hash(ln->cat, ln->cat_len, DV_TOK_WHOLE), (uint32_t)i, 0};
        dv_keyed b = {dv_tok_hash(ln->fcat, ln->fcat_len, DV_TOK_WHOLE), (uint32_t)i, 0};
        DV_PUSH(pairs, n_pairs, cap_pairs, a);
        DV_PUSH(pairs, n_pairs, cap_pairs, b);
    }
    multimap_build(&s->cat_keys, pairs, n_pairs);
    n_pairs = 0;
    for (size_t i = 0; i < s->n_names; i++) {
        const lname *ln = &s->names[i];
        for (uint32_t k = 0; k + 1 < ln->n; k++) {
            uint32_t a = s->toks[ln->first + k], b = s->toks[ln->first + k + 1];
            size_t la = s->tok_len[a], lb = s->tok_len[b];
            if (la + lb > DV_MAX_TOKEN_LEN) continue;
            char j[64], fj[64];
            memcpy(j, s->tok[a], la);
            memcpy(j + la, s->tok[b], lb);
            size_t fl = dv_tok_fold(j, la + lb, fj);
            dv_keyed x = {dv_tok_hash(j, la + lb, DV_TOK_WHOLE), (uint32_t)i, 0};
            dv_keyed y = {dv_tok_hash(fj, fl, DV_TOK_WHOLE), (uint32_t)i, 0};
            DV_PUSH(pairs, n_pairs, cap_pairs, x);
            DV_PUSH(pairs, n_pairs, cap_pairs, y);
        }
    }
    multimap_build(&s->join_keys, pairs, n_pairs);
    free(pairs);
}

const multimap *dv_screener_script_keys(dv_screener *s)
{
    pthread_mutex_lock(&s->script_lock);
    if (!s->script_built) {
        dv_keyed *pairs = NULL;
        size_t n_pairs = 0, cap_pairs = 0;
        uint64_t keys[DV_ROM_MAX_KEYS + 1];
        for (size_t id = 0; id < s->n_vocab; id++) {
            const char *t = s->tok[id];
            size_t len = s->tok_len[id];
            if (dv_rom_is_abjad_token(t, len) || dv_rom_is_syllabic_token(t, len)) continue;
            size_t nk = dv_rom_keys(t, len, false, keys);
            nk += dv_rom_korean_keys(t, len, false, keys + nk);
            for (size_t j = 0; j < nk; j++) {
                dv_keyed p = {keys[j], (uint32_t)id, 0};
                DV_PUSH(pairs, n_pairs, cap_pairs, p);
            }
        }
        multimap_build(&s->script_keys, pairs, n_pairs);
        free(pairs);
        s->script_built = true;
    }
    pthread_mutex_unlock(&s->script_lock);
    return &s->script_keys;
}

dv_screener *dv_screener_new(const dv_dataset *ds, dv_error *err)
{
    dv_namer *namer = dv_namer_new(err);
    if (!namer) return NULL;
    dv_screener *s = dv_xcalloc(1, sizeof *s);
    pthread_mutex_init(&s->script_lock, NULL);
    s->ds = ds;
    dv_buf tokens = {0}, forms = {0};
    dv_cleaner *cl = dv_cleaner_new();
    for (size_t w = 0; w < ds->n_watch; w++) {
        const dv_watch *e = &ds->watchlist[w];
        add_name(s, namer, cl, (uint32_t)w, e->name, &tokens, &forms);
        /* the parsers reject a row with more (too_many_aliases) */
        for (uint32_t a = 0; a < e->naliases && a < DV_SCREEN_MAX_ALIASES; a++)
            add_name(s, namer, cl, (uint32_t)w, e->aliases[a], &tokens, &forms);
    }
    dv_cleaner_free(cl);
    dv_buf_free(&tokens);
    dv_buf_free(&forms);
    dv_namer_free(namer);
    s->max_weight = log(1.0 + (double)(s->n_names ? s->n_names : 1));
    /* a word in more than 0.5% of the names, and in 25 at least, is common
     * too (a small list naming one network's companies repeats their
     * distinctive word without making it common) */
    for (size_t id = 0; id < s->n_vocab; id++)
        if (s->df[id] >= 25 && (double)s->df[id] > 0.005 * (double)s->n_names) s->common[id] = true;
    size_t nv = s->n_vocab ? s->n_vocab : 1;
    s->tok_fold = dv_xmalloc(nv * sizeof *s->tok_fold);
    s->tok_flen = dv_xmalloc(nv * sizeof *s->tok_flen);
    s->weight = dv_xmalloc(nv * sizeof *s->weight);
    for (size_t id = 0; id < s->n_vocab; id++) {
        char f[64];
        size_t fl = dv_tok_fold(s->tok[id], s->tok_len[id], f);
        s->tok_fold[id] = dv_arena_strndup(&s->arena, f, fl);
        s->tok_flen[id] = (uint32_t)fl;
        s->weight[id] = log(1.0 + (double)s->n_names / (double)s->df[id]) *
                        (s->common[id] ? COMMON_FACTOR : 1.0);
    }
    for (size_t i = 0; i < s->n_names; i++) {
        lname *ln = &s->names[i];
        char cat[512], fcat[64];
        size_t n = 0;
        for (uint32_t k = 0; k < ln->n; k++) {
            uint32_t id = s->toks[ln->first + k];
            ln->weight += s->weight[id];
            for (uint32_t c = 0; c < s->tok_len[id] && n + 1 < sizeof cat; c++) cat[n++] = s->tok[id][c];
        }
        /* as dv_qname_concat does */
        size_t fl = dv_tok_fold(cat, n, fcat);
        ln->cat = dv_arena_strndup(&s->arena, cat, n);
        ln->cat_len = (uint32_t)n;
        ln->fcat = dv_arena_strndup(&s->arena, fcat, fl);
        ln->fcat_len = (uint32_t)fl;
    }
    index_names(s);
    index_keys(s);
    return s;
}

void dv_screener_free(dv_screener *s)
{
    if (!s) return;
    free(s->names);
    free(s->toks);
    free(s->tok);
    free(s->tok_len);
    free(s->df);
    free(s->common);
    free(s->weight);
    free(s->tok_fold);
    free(s->tok_flen);
    free(s->tok_names_at);
    free(s->rest_at);
    free(s->rest);
    free(s->rest_distinct_at);
    free(s->rest_distinct);
    free(s->name_weight);
    free(s->tok_names);
    multimap_free(&s->tok_keys);
    multimap_free(&s->cat_keys);
    multimap_free(&s->join_keys);
    if (s->script_built) multimap_free(&s->script_keys);
    pthread_mutex_destroy(&s->script_lock);
    dv_map_free(&s->vocab);
    dv_arena_free(&s->arena);
    free(s);
}
