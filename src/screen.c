/*
 * screen.c: the watchlist index, name scoring and the screening of every
 * entity (screen.h describes the method).
 */
#include "divert/screen.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "divert/config.h"

enum { MAX_TOKENS = 32 };           /* tokens of one name that take part */
enum { MAX_POSTINGS = 256 };        /* longest posting list a lookup reads */
#define TOKEN_SIM 0.88              /* two tokens this alike pair up */
#define CONCAT_SIM 0.95             /* names alike once spaces go (ZHONG GUO, ZHONGGUO) */
#define COMMON_FACTOR 0.3           /* weight of a common business word */
#define COUNTRY_FACTOR 0.8          /* both countries given, and different */
#define COMMON_ONLY_CAP 0.5         /* only common words in common */

/* Words in so many company names that sharing them says little. */
static const char *const common_words[] = {
    "TRADING", "TRADE", "GROUP", "INTERNATIONAL", "INTL", "GLOBAL", "GENERAL", "IMPORT",
    "EXPORT", "TECHNOLOGY", "TECHNOLOGIES", "TECH", "INDUSTRIES", "INDUSTRIAL", "INDUSTRY",
    "HOLDING", "HOLDINGS", "ENTERPRISE", "ENTERPRISES", "SERVICES", "SERVICE", "SOLUTIONS",
    "SYSTEMS", "SYSTEM", "ELECTRONICS", "ELECTRONIC", "ENGINEERING", "MANUFACTURING",
    "LOGISTICS", "COMMERCIAL", "DEVELOPMENT", "INVESTMENT", "INVESTMENTS", "PARTNERS",
    "ASSOCIATES", "SUPPLY", "EQUIPMENT", "MACHINERY", "SECURITY", "SCIENTIFIC", "RESEARCH",
    "AND", "OF", "THE", "FOR", "DE", "DI", "DU", "LA", "LE", "ET", "Y", "VE", "SANAYI",
    "TICARET", NULL};

typedef struct lname {
    uint32_t watch;                 /* watchlist row */
    const char *text;               /* the name as the list gives it */
    uint32_t first, n;              /* its token ids in s->toks */
    char *forms;                    /* its legal forms */
} lname;

typedef struct slot {
    uint64_t key;
    uint32_t start, count;          /* range of s->post */
} slot;

struct dv_screener {
    const dv_dataset *ds;
    dv_arena arena;
    dv_map vocab;                   /* token -> id */
    const char **tok;               /* by id */
    uint32_t *tok_len, *df;
    bool *common;
    double *weight;                 /* by id, once the list is read */
    const char **tok_fold;          /* by id: folded (fold) */
    uint32_t *tok_flen;
    size_t n_vocab, cap_vocab;
    lname *names;
    size_t n_names, cap_names;
    uint32_t *toks;
    size_t n_toks, cap_toks;
    slot *index;                    /* open addressing, power of two */
    size_t index_cap;
    uint32_t *post;
    double max_weight;              /* of a token no list name has */
};

static uint64_t hash_skip(const char *s, size_t len, size_t skip)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < len; i++) {
        if (i == skip) continue;
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h ? h : 1; /* 0 marks an empty slot */
}

static bool is_common(const char *t, size_t len)
{
    for (int i = 0; common_words[i]; i++)
        if (strlen(common_words[i]) == len && !memcmp(common_words[i], t, len)) return true;
    /* a legal form inside a name (Trading Company Al Noor), a patronymic */
    return dv_name_minor_word(t, len);
}


/* ---- building the index ---- */

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
    s->common[id] = is_common(t, len);
    s->n_vocab++;
    return id;
}

static void add_name_part(dv_screener *s, dv_namer *namer, uint32_t watch, const char *text,
                          size_t len, dv_buf *tokens, dv_buf *forms);

/* The name without the US lists' boilerplate "...; and any successor,
 * sub-unit, or subsidiary thereof". */
static size_t name_core(const char *name)
{
    size_t len = strlen(name);
    for (size_t i = 0; i + 10 <= len; i++)
        if (!strncasecmp(name + i, "; and any ", 10)) return i;
    return len;
}

/* A list name, and what it gives in parentheses as a name of its own:
 * "Academy of Aerospace Solid Propulsion Technology (AASPT)" is also
 * "AASPT", and the rest without it. */
static void add_name(dv_screener *s, dv_namer *namer, uint32_t watch, const char *text,
                     dv_buf *tokens, dv_buf *forms)
{
    const char *open = strchr(text, '('), *close = open ? strchr(open, ')') : NULL;
    if (!open || !close || close - open < 2) {
        add_name_part(s, namer, watch, text, name_core(text), tokens, forms);
        return;
    }
    add_name_part(s, namer, watch, open + 1, (size_t)(close - open - 1), tokens, forms);
    dv_buf rest = {0};
    dv_buf_add(&rest, text, (size_t)(open - text));
    dv_buf_puts(&rest, close + 1);
    add_name_part(s, namer, watch, rest.data, rest.len, tokens, forms);
    dv_buf_free(&rest);
}

static void add_name_part(dv_screener *s, dv_namer *namer, uint32_t watch, const char *text,
                          size_t len, dv_buf *tokens, dv_buf *forms)
{
    dv_name_normalise(namer, text, len, tokens, forms);
    if (!tokens->len) return;
    const char *kept = dv_arena_strndup(&s->arena, text, len);
    lname ln = {watch, kept, (uint32_t)s->n_toks, 0, forms->len ? dv_xstrdup(forms->data) : NULL};
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

static size_t fold(const char *t, size_t len, char *out);

enum { MAX_KEYS = 130 };

/* the blocking keys of one token: itself, and from four letters on every
 * way of deleting one letter; the same of its folded form (fold), so that
 * romanisations that differ in several letters still meet */
static size_t token_keys(const char *t, size_t len, uint64_t *keys)
{
    size_t n = 0;
    keys[n++] = hash_skip(t, len, (size_t)-1);
    if (len >= 4)
        for (size_t i = 0; i < len && n < 64; i++) keys[n++] = hash_skip(t, len, i);
    if (len >= 4) {
        char f[64];
        size_t fl = fold(t, len, f);
        if (fl >= 3 && (fl != len || memcmp(f, t, len) != 0)) {
            keys[n++] = hash_skip(f, fl, (size_t)-1);
            for (size_t i = 0; i < fl && n < MAX_KEYS; i++) keys[n++] = hash_skip(f, fl, i);
        }
    }
    return n;
}

static slot *index_find(const dv_screener *s, uint64_t key)
{
    size_t mask = s->index_cap - 1;
    for (size_t i = (size_t)key & mask;; i = (i + 1) & mask)
        if (s->index[i].key == key || !s->index[i].key) return &s->index[i];
}

dv_screener *dv_screener_new(const dv_dataset *ds, dv_error *err)
{
    dv_namer *namer = dv_namer_new(err);
    if (!namer) return NULL;
    dv_screener *s = dv_xcalloc(1, sizeof *s);
    s->ds = ds;
    dv_buf tokens = {0}, forms = {0};
    for (size_t w = 0; w < ds->n_watch; w++) {
        const dv_watch *e = &ds->watchlist[w];
        add_name(s, namer, (uint32_t)w, e->name, &tokens, &forms);
        for (uint32_t a = 0; a < e->naliases; a++)
            add_name(s, namer, (uint32_t)w, e->aliases[a], &tokens, &forms);
    }
    dv_buf_free(&tokens);
    dv_buf_free(&forms);
    dv_namer_free(namer);
    s->max_weight = log(1.0 + (double)(s->n_names ? s->n_names : 1));
    /* a word in more than 0.5% of the names, and in 25 at least, is common
     * too (a small list naming one network's companies repeats their
     * distinctive word without making it common) */
    for (size_t id = 0; id < s->n_vocab; id++)
        if (s->df[id] >= 25 && (double)s->df[id] > 0.005 * (double)s->n_names) s->common[id] = true;
    s->tok_fold = dv_xmalloc((s->n_vocab ? s->n_vocab : 1) * sizeof *s->tok_fold);
    s->tok_flen = dv_xmalloc((s->n_vocab ? s->n_vocab : 1) * sizeof *s->tok_flen);
    for (size_t id = 0; id < s->n_vocab; id++) {
        char f[64];
        size_t fl = fold(s->tok[id], s->tok_len[id], f);
        s->tok_fold[id] = dv_arena_strndup(&s->arena, f, fl);
        s->tok_flen[id] = (uint32_t)fl;
    }
    s->weight = dv_xmalloc((s->n_vocab ? s->n_vocab : 1) * sizeof *s->weight);
    for (size_t id = 0; id < s->n_vocab; id++)
        s->weight[id] = log(1.0 + (double)s->n_names / (double)s->df[id]) *
                        (s->common[id] ? COMMON_FACTOR : 1.0);

    /* (key, name) pairs: the rare tokens of each name, or all its tokens
     * when it has no rare one, so that every name can be found */
    dv_keyed *pairs = NULL;
    size_t n_pairs = 0, cap_pairs = 0;
    uint64_t keys[MAX_KEYS];
    for (size_t i = 0; i < s->n_names; i++) {
        const lname *ln = &s->names[i];
        bool any_rare = false;
        for (uint32_t k = 0; k < ln->n; k++) any_rare |= !s->common[s->toks[ln->first + k]];
        for (uint32_t k = 0; k < ln->n; k++) {
            uint32_t id = s->toks[ln->first + k];
            if (any_rare && s->common[id]) continue;
            size_t nk = token_keys(s->tok[id], s->tok_len[id], keys);
            for (size_t j = 0; j < nk; j++) {
                dv_keyed p = {keys[j], (uint32_t)i, 0};
                DV_PUSH(pairs, n_pairs, cap_pairs, p);
            }
        }
    }
    dv_sort_keyed(pairs, n_pairs);
    s->post = dv_xmalloc((n_pairs ? n_pairs : 1) * sizeof *s->post);
    size_t distinct = 0;
    for (size_t i = 0; i < n_pairs; i++) distinct += !i || pairs[i].key != pairs[i - 1].key;
    s->index_cap = 64;
    while (s->index_cap < distinct * 2) s->index_cap *= 2;
    s->index = dv_xcalloc(s->index_cap, sizeof *s->index);
    size_t np = 0;
    for (size_t i = 0; i < n_pairs;) {
        size_t j = i;
        slot *sl = index_find(s, pairs[i].key);
        sl->key = pairs[i].key;
        sl->start = (uint32_t)np;
        for (; j < n_pairs && pairs[j].key == pairs[i].key; j++)
            if (j == i || pairs[j].row != pairs[j - 1].row) s->post[np++] = pairs[j].row;
        sl->count = (uint32_t)(np - sl->start);
        i = j;
    }
    free(pairs);
    return s;
}

void dv_screener_free(dv_screener *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->n_names; i++) free(s->names[i].forms);
    free(s->names);
    free(s->toks);
    free(s->tok);
    free(s->tok_len);
    free(s->df);
    free(s->common);
    free(s->weight);
    free(s->tok_fold);
    free(s->tok_flen);
    free(s->index);
    free(s->post);
    dv_map_free(&s->vocab);
    dv_arena_free(&s->arena);
    free(s);
}

/* ---- scoring ---- */

typedef struct qname {             /* a name being scored: its tokens */
    const char *t[MAX_TOKENS];
    size_t len[MAX_TOKENS];
    const char *f[MAX_TOKENS];      /* folded (fold) */
    size_t flen[MAX_TOKENS];
    bool folds[MAX_TOKENS];         /* folding changed the token */
    uint32_t id[MAX_TOKENS];        /* list tokens: vocabulary id */
    char fbuf[MAX_TOKENS][64];
    double w[MAX_TOKENS];
    bool common[MAX_TOKENS];
    size_t n;
} qname;

static void qname_of_tokens(const dv_screener *s, const char *tokens, qname *q)
{
    q->n = 0;
    for (const char *p = tokens; *p && q->n < MAX_TOKENS;) {
        size_t l = strcspn(p, " ");
        q->t[q->n] = p;
        q->len[q->n] = l;
        uint32_t id;
        q->flen[q->n] = fold(p, l, q->fbuf[q->n]);
        q->f[q->n] = q->fbuf[q->n];
        q->folds[q->n] = q->flen[q->n] != l || memcmp(q->fbuf[q->n], p, l) != 0;
        q->id[q->n] = UINT32_MAX;
        if (dv_map_get(&s->vocab, p, l, &id)) {
            q->w[q->n] = s->weight[id];
            q->common[q->n] = s->common[id];
        } else {
            q->common[q->n] = is_common(p, l);
            q->w[q->n] = q->common[q->n] ? s->max_weight * COMMON_FACTOR : s->max_weight;
        }
        q->n++;
        p += l + (p[l] == ' ');
    }
}

static void qname_of_list(const dv_screener *s, const lname *ln, qname *q)
{
    q->n = ln->n;
    for (uint32_t k = 0; k < ln->n; k++) {
        uint32_t id = s->toks[ln->first + k];
        q->t[k] = s->tok[id];
        q->len[k] = s->tok_len[id];
        q->w[k] = s->weight[id];
        q->common[k] = s->common[id];
        q->f[k] = s->tok_fold[id];
        q->flen[k] = s->tok_flen[id];
        q->folds[k] = q->flen[k] != q->len[k] || memcmp(q->f[k], q->t[k], q->len[k]) != 0;
        q->id[k] = id;
    }
}

/* Levenshtein distance, for tokens (at most 64 letters compared). */
static size_t edits(const char *a, size_t la, const char *b, size_t lb)
{
    if (la > 64) la = 64;
    if (lb > 64) lb = 64;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++) row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            if (up + 1 < best) best = up + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* A token with the usual differences between romanisations folded away
 * (Shchit, Schtschit, Sit; Tsifrovyye, Cifrovye; Glazovsky, Glasowski):
 * SHCH-like runs and SCH, SH, ZH, Z to S; KH to H; TS, TZ, C and Q to K;
 * X to KS; W to V; PH to F; Y and J to I; doubled letters once. Both tokens of a
 * pair are folded alike. Returns the length written (out has 64 bytes). */
static size_t fold(const char *t, size_t len, char *out)
{
    static const char *const from[] = {"SCHTSCH", "SHTCH", "SHCH", "STSCH", "TSCH", "SCH", "SH",
                                       "ZH", "KH", "TS", "TZ", "PH", NULL};
    static const char to[] = {'S', 'S', 'S', 'S', 'C', 'S', 'S', 'S', 'H', 'K', 'K', 'F'};
    size_t n = 0;
    static const unsigned char from_len[] = {7, 5, 4, 5, 4, 3, 2, 2, 2, 2, 2, 2};
    for (size_t i = 0; i < len && n < 63;) {
        int r = 0;
        size_t rl = 0;
        char c0 = t[i];
        if (c0 == 'S' || c0 == 'T' || c0 == 'Z' || c0 == 'K' || c0 == 'P') {
            for (; from[r]; r++) {
                rl = from_len[r];
                if (from[r][0] == c0 && rl <= len - i && !memcmp(t + i, from[r], rl)) break;
            }
        } else {
            r = 12; /* no rule starts with this letter */
        }
        char c;
        if (from[r]) {
            c = to[r];
            i += rl;
        } else {
            c = t[i++];
            if (c == 'Z') c = 'S';
            else if (c == 'C' || c == 'Q') c = 'K';
            else if (c == 'W') c = 'V';
            else if (c == 'Y' || c == 'J') c = 'I';
            else if (c == 'X' && n < 62) { /* OPTRONIX, OPTRONICS */
                if (!n || out[n - 1] != 'K') out[n++] = 'K';
                c = 'S';
            }
        }
        if (n && out[n - 1] == c) continue;
        out[n++] = c;
    }
    out[n] = '\0';
    return n;
}

/* Two tokens alike: Jaro-Winkler, which forgives a changed letter or two,
 * but also within a quarter of the longer one's letters by edit distance,
 * so that a shared stem (TEKHNOPRIBOR, TEKHNOPROM; IVANOV, IVANENKO) is
 * not taken for the same word. */
static double alike(const char *a, size_t la, const char *b, size_t lb);

/* token i of e against token j of l */
static double token_sim(const qname *e, size_t i, const qname *l, size_t j)
{
    const char *a = e->t[i], *b = l->t[j];
    size_t la = e->len[i], lb = l->len[j];
    if (la == lb && !memcmp(a, b, la)) return 1.0;
    if (la < 4 || lb < 4) return 0.0; /* AB and ABC are different initials */
    double raw = alike(a, la, b, lb);
    if (raw >= TOKEN_SIM) return raw;
    size_t na = e->flen[i], nb = l->flen[j];
    if (na < 3 || nb < 3 || (!e->folds[i] && !l->folds[j])) return 0.0;
    /* alike once folded: a little less than alike as written */
    const char *fa = e->f[i], *fb = l->f[j];
    return na == nb && !memcmp(fa, fb, na) ? 0.97 : 0.97 * alike(fa, na, fb, nb);
}

/* Jaro-Winkler and edit distance agree that two tokens are alike: their
 * similarity, or 0 */
static double alike(const char *a, size_t la, const char *b, size_t lb)
{
    size_t longer = la > lb ? la : lb, shorter = la > lb ? lb : la;
    if ((double)(longer - shorter) > 0.2 * (double)longer) return 0.0; /* edits would say no */
    double jw = dv_jaro_winkler(a, la, b, lb);
    if (jw < TOKEN_SIM) return 0.0;
    /* ELEKTROPULS, ELEKTROPULSAR: a word and a longer one built on it */
    if (longer - shorter >= 2 && !memcmp(a, b, shorter)) return 0.0;
    return (double)edits(a, la, b, lb) <= 0.2 * (double)longer ? jw : 0.0;
}

static void concat(const qname *q, char *out, size_t cap, size_t *len)
{
    size_t n = 0;
    for (size_t i = 0; i < q->n; i++)
        for (size_t k = 0; k < q->len[i] && n + 1 < cap; k++) out[n++] = q->t[i][k];
    out[n] = '\0';
    *len = n;
}

/* Token similarities of one entity name against list tokens, remembered
 * while its candidates are scored: list names share many tokens. */
enum { SIM_SLOTS = 1024 };
typedef struct sim_cache {
    uint32_t gen[SIM_SLOTS], key_id[SIM_SLOTS];
    uint8_t key_tok[SIM_SLOTS];
    double sim[SIM_SLOTS];
    uint32_t now;
} sim_cache;

static double cached_sim(sim_cache *c, const qname *e, size_t i, const qname *l, size_t j)
{
    if (!c || l->id[j] == UINT32_MAX) return token_sim(e, i, l, j);
    uint32_t h = (l->id[j] * 2654435761u + (uint32_t)i * 40503u) & (SIM_SLOTS - 1);
    for (int probe = 0; probe < 4; probe++, h = (h + 1) & (SIM_SLOTS - 1)) {
        if (c->gen[h] != c->now) {
            double v = token_sim(e, i, l, j);
            c->gen[h] = c->now, c->key_id[h] = l->id[j], c->key_tok[h] = (uint8_t)i;
            c->sim[h] = v;
            return v;
        }
        if (c->key_id[h] == l->id[j] && c->key_tok[h] == i) return c->sim[h];
    }
    return token_sim(e, i, l, j);
}

/* Score E against L; the explanation of the pairs goes to expl if given. */
static double score_names_c(sim_cache *cache, const qname *e, const qname *l,
                            const char *e_country, const char *l_country, dv_buf *expl)
{
    double sim[MAX_TOKENS][MAX_TOKENS];
    bool e_used[MAX_TOKENS] = {false}, l_used[MAX_TOKENS] = {false};
    for (size_t i = 0; i < e->n; i++)
        for (size_t j = 0; j < l->n; j++) sim[i][j] = cached_sim(cache, e, i, l, j);
    double we = 0, wl = 0, covered = 0;
    for (size_t i = 0; i < e->n; i++) we += e->w[i];
    for (size_t j = 0; j < l->n; j++) wl += l->w[j];
    bool distinctive = false;
    size_t pairs = 0;
    for (;;) { /* greedy: the most alike pair left, each token once */
        double best = TOKEN_SIM;
        size_t bi = 0, bj = 0;
        bool found = false;
        for (size_t i = 0; i < e->n; i++) {
            if (e_used[i]) continue;
            for (size_t j = 0; j < l->n; j++)
                if (!l_used[j] && sim[i][j] >= best && (!found || sim[i][j] > best)) {
                    best = sim[i][j], bi = i, bj = j, found = true;
                }
        }
        if (!found) break;
        e_used[bi] = l_used[bj] = true;
        covered += best * (e->w[bi] + l->w[bj]);
        if (!l->common[bj] && !e->common[bi]) distinctive = true;
        if (expl) {
            if (best == 1.0)
                dv_buf_printf(expl, "%s%.*s", pairs ? ", " : "", (int)e->len[bi], e->t[bi]);
            else
                dv_buf_printf(expl, "%s%.*s~%.*s %.2f", pairs ? ", " : "", (int)e->len[bi], e->t[bi],
                              (int)l->len[bj], l->t[bj], best);
        }
        pairs++;
    }
    /* Words left on both sides make a different name (United Electronics
     * Trading, United Logistics Trading): the common ones among them then
     * count in full. */
    bool e_left = false, l_left = false;
    for (size_t i = 0; i < e->n; i++) e_left |= !e_used[i];
    for (size_t j = 0; j < l->n; j++) l_left |= !l_used[j];
    if (e_left && l_left) {
        for (size_t i = 0; i < e->n; i++)
            if (!e_used[i] && e->common[i]) we += e->w[i] * (1 / COMMON_FACTOR - 1);
        for (size_t j = 0; j < l->n; j++)
            if (!l_used[j] && l->common[j]) wl += l->w[j] * (1 / COMMON_FACTOR - 1);
    }
    double score = we + wl > 0 ? covered / (we + wl) : 0;
    if (!distinctive && score > COMMON_ONLY_CAP) score = COMMON_ONLY_CAP;
    /* one side's words run together on the other (ZHONGGUO, ZHONG GUO) */
    if (e->n != l->n) {
        char a[512], b[512];
        size_t la, lb;
        concat(e, a, sizeof a, &la);
        concat(l, b, sizeof b, &lb);
        /* the same letters, split differently: lengths within 10% (a
         * longer name is not the same one with its words run together) */
        size_t lmax = la > lb ? la : lb, lmin = la > lb ? lb : la;
        if (lmin >= 6 && (double)lmin >= 0.9 * (double)lmax) {
            double c = dv_jaro_winkler(a, la, b, lb);
            if (c >= CONCAT_SIM && c > score) {
                score = c;
                if (expl) dv_buf_printf(expl, "%swords run together %s~%s %.2f", pairs ? "; " : "", a, b, c);
            }
        }
    }
    if (expl) {
        if (!pairs && !expl->len) dv_buf_puts(expl, "no token in common");
        size_t unmatched = 0;
        for (size_t i = 0; i < e->n; i++)
            if (!e_used[i]) {
                dv_buf_printf(expl, "%s%.*s", unmatched++ ? " " : "; unmatched: ", (int)e->len[i], e->t[i]);
            }
        for (size_t j = 0; j < l->n; j++)
            if (!l_used[j]) {
                dv_buf_printf(expl, "%s%.*s", unmatched++ ? " " : "; unmatched: ", (int)l->len[j], l->t[j]);
            }
    }
    if (e_country && l_country && *e_country && *l_country && strcmp(e_country, l_country) != 0) {
        score *= COUNTRY_FACTOR;
        if (expl) dv_buf_printf(expl, "; countries differ (%s, %s)", e_country, l_country);
    } else if (expl && e_country && l_country && *e_country && !strcmp(e_country, l_country)) {
        dv_buf_printf(expl, "; country %s", e_country);
    }
    return score > 1 ? 1 : score;
}

static double score_names(const qname *e, const qname *l, const char *e_country,
                          const char *l_country, dv_buf *expl)
{
    return score_names_c(NULL, e, l, e_country, l_country, expl);
}

static double screen_pair_whole(dv_screener *s, dv_namer *namer, const char *entity_name,
                                const char *entity_country, const char *list_name,
                                const char *list_country, dv_buf *expl);

double dv_screen_pair(dv_screener *s, dv_namer *namer, const char *entity_name,
                      const char *entity_country, const char *list_name, const char *list_country,
                      dv_buf *expl)
{
    /* as the index does (add_name): what the list name gives in
     * parentheses is a name of its own, and so is the rest */
    const char *open = strchr(list_name, '('), *close = open ? strchr(open, ')') : NULL;
    if (!open || !close || close - open < 2) {
        char *core = dv_xstrndup(list_name, name_core(list_name));
        double sc = screen_pair_whole(s, namer, entity_name, entity_country, core, list_country, expl);
        free(core);
        return sc;
    }
    char *inner = dv_xstrndup(open + 1, (size_t)(close - open - 1));
    dv_buf rest = {0};
    dv_buf_add(&rest, list_name, (size_t)(open - list_name));
    dv_buf_puts(&rest, close + 1);
    double a = screen_pair_whole(s, namer, entity_name, entity_country, inner, list_country, NULL);
    double b = screen_pair_whole(s, namer, entity_name, entity_country, rest.data, list_country, NULL);
    double best = a > b ? a : b;
    if (expl) screen_pair_whole(s, namer, entity_name, entity_country, a > b ? inner : rest.data,
                                list_country, expl);
    free(inner);
    dv_buf_free(&rest);
    return best;
}

static double screen_pair_whole(dv_screener *s, dv_namer *namer, const char *entity_name,
                                const char *entity_country, const char *list_name,
                                const char *list_country, dv_buf *expl)
{
    dv_buf et = {0}, ef = {0}, lt = {0}, lf = {0};
    dv_name_normalise(namer, entity_name, strlen(entity_name), &et, &ef);
    dv_name_normalise(namer, list_name, strlen(list_name), &lt, &lf);
    qname e, l;
    qname_of_tokens(s, et.data, &e);
    qname_of_tokens(s, lt.data, &l);
    double score = score_names(&e, &l, entity_country, list_country, expl);
    if (expl && (ef.len || lf.len))
        dv_buf_printf(expl, "; legal form %s / %s", ef.len ? ef.data : "none", lf.len ? lf.data : "none");
    dv_buf_free(&et);
    dv_buf_free(&ef);
    dv_buf_free(&lt);
    dv_buf_free(&lf);
    return score;
}

/* ---- screening every entity ---- */

typedef struct job {
    dv_screener *s;
    double threshold;
    size_t next;                    /* next entity row to take, under lock */
    pthread_mutex_t lock;
    int status;
    dv_error err;
} job;

typedef struct worker_arg {
    job *J;
    dv_matches found;               /* this worker's, merged at the end */
} worker_arg;

enum { CHUNK = 1024 };

static void screen_entity(dv_screener *s, dv_namer *namer, sim_cache *cache, double threshold,
                          uint32_t e, uint32_t *stamp, uint32_t *stamp_gen, dv_buf *et,
                          dv_buf *ef, dv_matches *out)
{
    const dv_dataset *ds = s->ds;
    const dv_entity *en = &ds->entities[e];
    /* the best pair of names for each list entry met */
    typedef struct best {
        uint32_t watch, lname;
        double score;
        const char *ename;
    } best;
    best found[64];
    size_t n_found = 0;
    uint64_t keys[MAX_KEYS];
    for (uint32_t a = 0; a <= en->naliases; a++) {
        const char *name = a ? en->aliases[a - 1] : en->name;
        dv_name_normalise(namer, name, strlen(name), et, ef);
        if (!et->len) continue;
        qname q;
        qname_of_tokens(s, et->data, &q);
        if (++cache->now == 0) { /* wrapped: forget everything */
            memset(cache->gen, 0, sizeof cache->gen);
            cache->now = 1;
        }
        if (++*stamp_gen == 0) { /* wrapped: clear the stamps */
            memset(stamp, 0, s->n_names * sizeof *stamp);
            *stamp_gen = 1;
        }
        for (size_t t = 0; t < q.n; t++) {
            size_t nk = token_keys(q.t[t], q.len[t], keys);
            for (size_t k = 0; k < nk; k++) {
                const slot *sl = index_find(s, keys[k]);
                /* a key shared by hundreds of list names picks nobody out:
                 * the name's rarer keys find what it leads to */
                if (!sl->key || sl->count > MAX_POSTINGS) continue;
                for (uint32_t p = 0; p < sl->count; p++) {
                    uint32_t li = s->post[sl->start + p];
                    if (stamp[li] == *stamp_gen) continue;
                    stamp[li] = *stamp_gen;
                    const lname *ln = &s->names[li];
                    qname l;
                    qname_of_list(s, ln, &l);
                    const dv_watch *w = &ds->watchlist[ln->watch];
                    double sc = score_names_c(cache, &q, &l, en->country, w->country, NULL);
                    if (sc < threshold) continue;
                    size_t f = 0;
                    while (f < n_found && found[f].watch != ln->watch) f++;
                    if (f == n_found) {
                        if (n_found == 64) continue;
                        n_found++;
                        found[f].score = -1;
                    }
                    if (sc > found[f].score) found[f] = (best){ln->watch, li, sc, name};
                }
            }
        }
    }
    for (size_t f = 0; f < n_found; f++) {
        const lname *ln = &s->names[found[f].lname];
        const dv_watch *w = &ds->watchlist[ln->watch];
        dv_buf expl = {0};
        dv_screen_pair(s, namer, found[f].ename, en->country, ln->text, w->country, &expl);
        /* the list name may be a part of one, in the index's memory: copied */
        dv_match m = {e, ln->watch, found[f].score, found[f].ename, dv_xstrdup(ln->text), expl.data};
        DV_PUSH(out->m, out->n, out->cap, m);
    }
}

static void *screen_worker(void *arg)
{
    worker_arg *A = arg;
    job *J = A->J;
    dv_screener *s = J->s;
    dv_error err = {0, ""};
    dv_namer *namer = dv_namer_new(&err);
    if (!namer) {
        pthread_mutex_lock(&J->lock);
        if (!J->status) J->status = err.code, J->err = err;
        pthread_mutex_unlock(&J->lock);
        return NULL;
    }
    uint32_t *stamp = dv_xcalloc(s->n_names ? s->n_names : 1, sizeof *stamp);
    sim_cache *cache = dv_xcalloc(1, sizeof *cache);
    uint32_t gen = 0;
    dv_buf et = {0}, ef = {0};
    for (;;) {
        pthread_mutex_lock(&J->lock);
        size_t first = J->next;
        J->next += CHUNK;
        pthread_mutex_unlock(&J->lock);
        if (first >= s->ds->n_entities) break;
        size_t last = first + CHUNK < s->ds->n_entities ? first + CHUNK : s->ds->n_entities;
        for (size_t e = first; e < last; e++)
            screen_entity(s, namer, cache, J->threshold, (uint32_t)e, stamp, &gen, &et, &ef,
                          &A->found);
    }
    dv_buf_free(&et);
    dv_buf_free(&ef);
    free(stamp);
    free(cache);
    dv_namer_free(namer);
    return NULL;
}

static const dv_dataset *cmp_ds;

static int cmp_match(const void *a, const void *b)
{
    const dv_match *x = a, *y = b;
    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    int c = strcmp(cmp_ds->entities[x->entity].id, cmp_ds->entities[y->entity].id);
    if (c) return c;
    return (x->watch > y->watch) - (x->watch < y->watch);
}

int dv_screen_all(dv_screener *s, double threshold, int threads, dv_matches *out, dv_error *err)
{
    memset(out, 0, sizeof *out);
    if (threads < 1) threads = 1;
    if (threads > DV_MAX_THREADS) threads = DV_MAX_THREADS;
    job J = {s, threshold, 0, PTHREAD_MUTEX_INITIALIZER, 0, {0, ""}};
    worker_arg *args = dv_xcalloc((size_t)threads, sizeof *args);
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
    }
    free(args);
    if (J.status) {
        *err = J.err;
        return J.status;
    }
    cmp_ds = s->ds;
    dv_qsort(out->m, out->n, sizeof *out->m, cmp_match);
    return 0;
}

void dv_matches_free(dv_matches *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->m[i].explanation);
        free((char *)m->m[i].list_name);
    }
    free(m->m);
    memset(m, 0, sizeof *m);
}

int dv_screen_dataset(dv_dataset *ds, double threshold, int threads, dv_matches *out,
                      dv_error *err)
{
    memset(out, 0, sizeof *out);
    if (!ds->n_watch) return 0;
    dv_screener *s = dv_screener_new(ds, err);
    if (!s) return err->code;
    int rc = dv_screen_all(s, threshold, threads, out, err);
    dv_screener_free(s);
    if (rc) return rc;
    /* sorted by score: an entity's first match is its best */
    for (size_t i = 0; i < out->n; i++) {
        const dv_match *m = &out->m[i];
        dv_entity *e = &ds->entities[m->entity];
        if (e->watch_idx != DV_NONE) continue;
        e->watch_idx = m->watch;
        e->watch_name = m->entity_name;
        e->watch_list_name = m->list_name;
        e->watch_score = m->score;
        e->watch_why = m->explanation;
    }
    return 0;
}
