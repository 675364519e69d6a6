/*
 * names.c: normalising party names, and the Jaro-Winkler similarity.
 *
 * The order of the steps matters: ICU first (NFKC with case folding, then
 * transliteration to ASCII), so that full-width letters, ligatures, Greek,
 * Cyrillic, Han ... all arrive as ASCII; then tokens; then legal forms,
 * which are listed here in their ASCII spelling (the Russian forms in
 * BGN/PCGN, as divert transliterates Russian, "obshchestvo s
 * ogranichennoy otvetstvennostyu", and in the other romanisations lists
 * use).
 */
#include "divert/names.h"

#include "divert/name_tables.h"
#include "divert/romanise.h"
#include "divert/tokensim.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

enum { CHAIN_LATIN, CHAIN_RUSSIAN, CHAIN_UKRAINIAN, CHAIN_BELARUSIAN, CHAIN_KAZAKH,
       CHAIN_ACCENTS, N_CHAINS };

struct dv_namer {
    UTransliterator *trans[N_CHAINS]; /* to ASCII, by chain_of */
    const UNormalizer2 *nfkc_cf;
    const UNormalizer2 *nfkd;       /* for strip_accents */
    UChar *u;                   /* UTF-16 work buffers */
    int32_t u_cap;
    UChar *v;
    dv_buf ascii;               /* the name in ASCII, before tokens */
    dv_name_marks marks;        /* of the last name normalised */
    bool han;                   /* the last name had Han ideographs */
    bool romanised;             /* n->ascii holds romanise.h's marks (abjad_to_ascii) */
};

dv_namer *dv_namer_new(dv_error *err)
{
    (void)err; /* ICU opens at the first name that needs it (icu_open) */
    return dv_xcalloc(1, sizeof(dv_namer));
}

void dv_namer_free(dv_namer *n)
{
    if (!n) return;
    for (int c = 0; c < N_CHAINS; c++)
        if (n->trans[c]) utrans_close(n->trans[c]);
    free(n->u);
    free(n->v);
    dv_buf_free(&n->ascii);
    free(n);
}

static UErrorCode icu_failure;

static void warn_icu(void)
{
    fprintf(stderr,
            "divert: ICU cannot open its transliterator (%s); names in other scripts than "
            "Latin are compared as written\n",
            u_errorName(icu_failure));
}

/* The transliterations, as ICU rules. Lists write names in the
 * romanisations of BGN/PCGN (US and UK) and UNGEGN, so where ICU has
 * one for a language divert uses it rather than ICU's own scholarly
 * transliteration: Armenian and Georgian in BGN/PCGN, Greek in UNGEGN
 * (ELOT 743: Naftiliaki, not Nautiliake); then ICU's transliteration of
 * every other script, and Latin to ASCII. Cyrillic depends on the
 * language, told by its letters: Russian (Chernomorskaya, not
 * Cernomorskaa), Ukrainian, Belarusian and Kazakh each in their BGN/PCGN
 * system, without the separators it puts between letters (Ot·sek);
 * other Cyrillic (Serbian ...) as ICU writes it. */
#define LATIN_RULES                                                                            \
    ":: Armenian-Latin/BGN; :: Georgian-Latin/BGN; :: Greek-Latin/UNGEGN; :: Any-Latin; "      \
    ":: Latin-ASCII;"
#define CYRILLIC_RULES(lang) ":: " lang "-Latin/BGN; [\\u00B7\\u02B9\\u02BA] > ; " LATIN_RULES
static const char *const chain_rules[N_CHAINS] = {
    LATIN_RULES, CYRILLIC_RULES("Russian"), CYRILLIC_RULES("Ukrainian"),
    CYRILLIC_RULES("Belarusian"), CYRILLIC_RULES("Kazakh"),
    NULL /* CHAIN_ACCENTS: strip_accents, no transliterator */};

static UTransliterator *open_rules(const char *rules, UErrorCode *st)
{
    UChar id[16], r[256];
    u_uastrcpy(id, "divert");
    u_uastrncpy(r, rules, 255);
    r[255] = 0;
    UParseError pe;
    return utrans_openU(id, -1, UTRANS_FORWARD, r, -1, &pe, st);
}

/* ICU is opened at the first name that needs it: building a
 * transliterator from its rules costs about a tenth of a second, and most
 * datasets are ASCII. Each chain is built once a process, under a lock,
 * and each namer (one a thread) works on its own clone, which is cheap. */
static UTransliterator *built[N_CHAINS];
static pthread_mutex_t built_lock = PTHREAD_MUTEX_INITIALIZER;

static bool icu_open(dv_namer *n, int chain)
{
    UErrorCode st = U_ZERO_ERROR;
    UTransliterator **t = &n->trans[chain];
    if (*t) return true;
    pthread_mutex_lock(&built_lock);
    if (!built[chain]) built[chain] = open_rules(chain_rules[chain], &st);
    if (U_SUCCESS(st) && built[chain]) *t = utrans_clone(built[chain], &st);
    pthread_mutex_unlock(&built_lock);
    if (U_FAILURE(st) || !*t) {
        /* said once a process; names then compare as written */
        static pthread_once_t once = PTHREAD_ONCE_INIT;
        icu_failure = U_FAILURE(st) ? st : U_MEMORY_ALLOCATION_ERROR;
        pthread_once(&once, warn_icu);
        if (*t) utrans_close(*t);
        *t = NULL;
        return false;
    }
    return true;
}

void dv_names_cleanup(void)
{
    dv_rom_cleanup();
    pthread_mutex_lock(&built_lock);
    for (int c = 0; c < N_CHAINS; c++)
        if (built[c]) utrans_close(built[c]), built[c] = NULL;
    pthread_mutex_unlock(&built_lock);
}

/* The transliteration for a (case-folded) text: a Cyrillic language by
 * the letters only it has, Russian when it has no other. */
static int chain_of(const UChar *v, int32_t len)
{
    bool cyrillic = false, other = false, kazakh = false, ukrainian = false, belarusian = false,
         i_dotted = false, only_latin = true;
    for (int32_t i = 0; i < len; i++) {
        UChar c = v[i];
        /* Latin-1, Latin Extended A and B, combining accents, Latin
         * Extended Additional, general punctuation */
        only_latin &= c < 0x0250 || (c >= 0x0300 && c < 0x0370) || (c >= 0x1E00 && c < 0x1F00) ||
                      (c >= 0x2000 && c < 0x2070);
        if (c < 0x0400 || c > 0x052F) continue;
        cyrillic = true;
        if ((c >= 0x0430 && c <= 0x044F) || c == 0x0451) continue;
        switch (c) {
        case 0x04D9: case 0x0493: case 0x049B: case 0x04A3: /* ә ғ қ ң */
        case 0x04E9: case 0x04B1: case 0x04AF: case 0x04BB: /* ө ұ ү һ */
            kazakh = true;
            break;
        case 0x0454: case 0x0457: case 0x0491: /* є ї ґ */
            ukrainian = true;
            break;
        case 0x045E: /* ў */
            belarusian = true;
            break;
        case 0x0456: /* і: Ukrainian, Belarusian and Kazakh */
            i_dotted = true;
            break;
        default:
            other = true;
        }
    }
    if (!cyrillic) return only_latin ? CHAIN_ACCENTS : CHAIN_LATIN;
    if (kazakh) return CHAIN_KAZAKH;
    if (ukrainian) return CHAIN_UKRAINIAN;
    if (belarusian) return CHAIN_BELARUSIAN;
    if (i_dotted) return CHAIN_UKRAINIAN;
    return other ? CHAIN_LATIN : CHAIN_RUSSIAN;
}

/* Latin with accents (n->v, case-folded) -> n->ascii: what ICU's
 * Latin-ASCII gives, without building that transliterator (a tenth of a
 * second): the letters decomposed (NFKD) and their accents dropped, the
 * letters that do not decompose spelt out, quotes and dashes kept. */
static bool strip_accents(dv_namer *n, int32_t vlen, int32_t cap)
{
    static const struct {
        UChar c;
        const char *ascii;
    } spelt[] = {{0x00DF, "ss"}, {0x00E6, "ae"}, {0x00F8, "o"}, {0x0153, "oe"}, {0x0111, "d"},
                 {0x00F0, "d"},  {0x0142, "l"},  {0x0131, "i"}, {0x00FE, "th"}, {0x0127, "h"},
                 {0x0167, "t"},  {0x014B, "n"},  {0x0138, "k"}, {0x017F, "s"},  {0x0180, "b"},
                 {0x01A5, "p"},  {0x0188, "c"},  {0x0257, "d"}, {0x0192, "f"}};
    UErrorCode st = U_ZERO_ERROR;
    if (!n->nfkd) n->nfkd = unorm2_getNFKDInstance(&st);
    if (U_FAILURE(st) || !n->nfkd) return false;
    int32_t ulen = unorm2_normalize(n->nfkd, n->v, vlen, n->u, cap, &st);
    if (U_FAILURE(st)) return false;
    n->ascii.len = 0;
    for (int32_t i = 0; i < ulen; i++) {
        UChar c = n->u[i];
        if (c < 0x80) {
            char b = (char)c;
            dv_buf_add(&n->ascii, &b, 1);
            continue;
        }
        if (c >= 0x0300 && c < 0x0370) continue; /* an accent */
        const char *out = " ";                    /* anything else separates */
        if (c == 0x2018 || c == 0x2019 || c == 0x201B || c == 0x02BC) out = "'";
        else if (c >= 0x2010 && c <= 0x2015) out = "-";
        for (size_t k = 0; k < sizeof spelt / sizeof spelt[0]; k++)
            if (spelt[k].c == c) out = spelt[k].ascii;
        dv_buf_puts(&n->ascii, out);
    }
    return true;
}

/* The scripts divert romanises itself (romanise.h): a letter's test, and
 * the word it starts romanised. */
static const struct {
    bool (*is)(uint16_t c);
    size_t (*word)(const uint16_t *v, int32_t n, int32_t *i, char *out, size_t len, size_t cap);
} own_scripts[] = {{dv_rom_is_hangul, dv_rom_hangul},
                   {dv_rom_is_burmese, dv_rom_burmese},
                   {dv_rom_is_abjad, dv_rom_abjad}};

/* Which of own_scripts the letter c is in, or -1. */
static int own_script(uint16_t c)
{
    for (size_t r = 0; r < sizeof own_scripts / sizeof own_scripts[0]; r++)
        if (own_scripts[r].is(c)) return (int)r;
    return -1;
}

/* A name with Hebrew, Arabic or Persian letters or Hangul (n->v,
 * case-folded) -> n->ascii: its abjad words and Hangul romanised by divert
 * (romanise.h: tokens after DV_ROM_MARK or DV_ROM_MARK_SYL), every other
 * run of text through ICU's transliteration of its script. */
static bool abjad_to_ascii(dv_namer *n, int32_t vlen, int32_t cap)
{
    n->ascii.len = 0;
    n->romanised = true;
    for (int32_t i = 0; i < vlen;) {
        int r = own_script(n->v[i]);
        if (r >= 0) {
            char w[400];
            w[0] = '\0';
            size_t wl = own_scripts[r].word((const uint16_t *)n->v, vlen, &i, w, 0, sizeof w);
            dv_buf_add(&n->ascii, w, wl);
            continue;
        }
        int32_t j = i + 1; /* the run ICU transliterates: to the next letter of those scripts */
        while (j < vlen && own_script(n->v[j]) < 0) j++;
        /* the run in n->u, transliterated there */
        int32_t rl = j - i, rcap = cap, limit = rl;
        memcpy(n->u, n->v + i, (size_t)rl * sizeof *n->u);
        int chain = chain_of(n->u, rl);
        UErrorCode st = U_ZERO_ERROR;
        bool ok = chain != CHAIN_ACCENTS && icu_open(n, chain);
        if (ok) utrans_transUChars(n->trans[chain], n->u, &rl, rcap, 0, &limit, &st);
        for (int32_t k = 0; k < rl && ok && U_SUCCESS(st) && rl <= rcap; k++) {
            char b = n->u[k] < 0x80 && n->u[k] >= 0x20 ? (char)n->u[k] : ' '; /* no mark */
            dv_buf_add(&n->ascii, &b, 1);
        }
        if (!ok || U_FAILURE(st) || rl > rcap) /* Latin, or no ICU: ASCII as it is */
            for (int32_t k = i; k < j; k++) {
                char b = n->v[k] < 0x80 && n->v[k] >= 0x20 ? (char)n->v[k] : ' ';
                dv_buf_add(&n->ascii, &b, 1);
            }
        i = j;
    }
    dv_buf_add(&n->ascii, "", 0);
    return true;
}

/* name -> n->ascii, through ICU; false if ICU failed (then the bytes are
 * used as they are, non-ASCII bytes separating tokens). */
static bool icu_to_ascii(dv_namer *n, const char *name, size_t len)
{
    UErrorCode st = U_ZERO_ERROR;
    if (!n->nfkc_cf) n->nfkc_cf = unorm2_getNFKCCasefoldInstance(&st);
    if (U_FAILURE(st) || !n->nfkc_cf) return false;
    int32_t need = (int32_t)len + 1; /* UTF-16 units never outnumber UTF-8 bytes */
    if (len > INT32_MAX / 8) return false;
    /* normalisation and transliteration grow text: room for four times */
    int32_t cap = need * 4 + 64;
    if (cap > n->u_cap) {
        n->u = dv_xrealloc(n->u, (size_t)cap * sizeof *n->u);
        n->v = dv_xrealloc(n->v, (size_t)cap * sizeof *n->v);
        n->u_cap = cap;
    }
    int32_t ulen = 0;
    u_strFromUTF8WithSub(n->u, cap, &ulen, name, (int32_t)len, 0xFFFD, NULL, &st);
    if (U_FAILURE(st)) return false;
    int32_t vlen = unorm2_normalize(n->nfkc_cf, n->u, ulen, n->v, cap, &st);
    if (U_FAILURE(st)) return false;
    int32_t limit = vlen;
    for (int32_t i = 0; i < vlen; i++) {
        n->han |= n->v[i] >= 0x4E00 && n->v[i] <= 0x9FFF;
    }
    if (dv_rom_is_japanese((const uint16_t *)n->v, vlen)) { /* kana, or a Japanese form */
        char *j = dv_xmalloc(8 * (size_t)vlen + 64);
        size_t jl = dv_rom_japanese((const uint16_t *)n->v, vlen, j, 8 * (size_t)vlen + 64);
        if (jl) {
            n->ascii.len = 0;
            dv_buf_add(&n->ascii, j, jl);
        }
        free(j);
        if (jl) return true;
    }
    for (int32_t i = 0; i < vlen; i++)
        if (own_script(n->v[i]) >= 0) return abjad_to_ascii(n, vlen, cap);
    int chain = chain_of(n->v, vlen);
    if (chain == CHAIN_ACCENTS) return strip_accents(n, vlen, cap);
    if (!icu_open(n, chain)) return false;
    utrans_transUChars(n->trans[chain], n->v, &vlen, cap, 0, &limit, &st);
    if (U_FAILURE(st) || vlen > cap) return false;
    n->ascii.len = 0;
    for (int32_t i = 0; i < vlen; i++) {
        UChar c = n->v[i];
        char b = c < 0x80 ? (char)c : ' '; /* what ICU left outside ASCII separates */
        dv_buf_add(&n->ascii, &b, 1);
    }
    return true;
}

/* ---- the tables as tokens, made once a process ---- */

static bool is_alnum(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'); }

typedef struct tok {
    const char *s;
    size_t len;
} tok;

enum { MAX_FORM_WORDS = 10, N_BUCKETS = 512, JURIS_WORDS = (26 * 26 + 63) / 64 };
typedef struct form_def {
    bool at_start;              /* '^': also at the start */
    size_t words;
    tok w[MAX_FORM_WORDS];
    char text[80];              /* the form's tokens, as the explanation shows them */
    const char *where;          /* its row's jurisdictions */
    uint64_t juris[JURIS_WORDS]; /* the same as bits (juris_bit); none: any */
    bool any;                   /* no jurisdiction */
} form_def;
typedef struct word_def {
    size_t words, to_words;
    tok w[4], to[4];
} word_def;
enum { N_FORMS = DV_NAME_MAX_FORMS, N_WORDS = DV_NAME_MAX_WORDS };
static form_def form_defs[N_FORMS];
static size_t n_form_defs;
static word_def word_defs[N_WORDS];
static size_t n_word_defs;
/* forms by the bucket of their last word, and of their first (those that
 * may stand first); words by their first: longest first in each */
static uint16_t form_last_at[N_BUCKETS + 1], form_last[N_FORMS];
static uint16_t form_first_at[N_BUCKETS + 1], form_first[N_FORMS];
static uint16_t word_at[N_BUCKETS + 1], word_first[N_WORDS];
/* the one-token words again, by the bucket of their folded form
 * (dv_tok_fold), which they are found by too: a romanisation the table
 * does not spell (TECHNOLOGIANER, TEKHNOLOGIANER) */
static uint16_t fold_at[N_BUCKETS + 1], fold_first[N_WORDS];
static tok word_fold[N_WORDS];
static char table_text[32768];  /* the tables' words, single letters joined (about 11 KB) */
static size_t table_used;
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static size_t bucket(const char *s, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h % N_BUCKETS;
}

static int juris_bit(const char *code)
{
    if (code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z') return -1;
    return (code[0] - 'A') * 26 + (code[1] - 'A');
}

/* Join runs of single letters or digits (S A -> SA, Z O O -> ZOO), in
 * place: the tables and the names read alike. */
static size_t join_letters(tok *t, size_t n)
{
    size_t out = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        /* a letter from an abjad (lower case: romanise.h) joins none of
         * another script */
        while (j < n && t[j].len == 1 && !islower((unsigned char)t[j].s[0]) ==
                                             !islower((unsigned char)t[i].s[0]))
            j++;
        if (j - i >= 2) {
            char *dst = (char *)t[i].s; /* the run's text, written over with its letters */
            for (size_t k = i; k < j; k++) dst[k - i] = t[k].s[0];
            t[out++] = (tok){dst, j - i};
            i = j;
        } else {
            t[out++] = t[i++];
        }
    }
    return out;
}

/* s's words into w (at most max), single letters joined, their text in
 * table_text */
static size_t table_words(const char *s, tok *w, size_t max)
{
    size_t len = strlen(s);
    if (table_used + len + 1 > sizeof table_text) abort(); /* the tables outgrew table_text */
    char *copy = table_text + table_used;
    memcpy(copy, s, len + 1);
    table_used += len + 1;
    size_t n = 0;
    for (char *p = copy; *p && n < max;) {
        size_t l = strcspn(p, " ");
        w[n++] = (tok){p, l};
        p += l + (p[l] == ' ');
    }
    return join_letters(w, n);
}

/* Sort ids by bucket (key), longest (more words) first within one, into
 * at[] and out[]: a counting sort, stable. A key of N_BUCKETS leaves its
 * id out. */
static void index_by(uint16_t *at, uint16_t *out, size_t n, const size_t *key, const size_t *words)
{
    memset(at, 0, (N_BUCKETS + 1) * sizeof *at);
    for (size_t i = 0; i < n; i++)
        if (key[i] < N_BUCKETS) at[key[i] + 1]++;
    for (size_t b = 0; b < N_BUCKETS; b++) at[b + 1] += at[b];
    uint16_t fill[N_BUCKETS];
    memcpy(fill, at, sizeof fill);
    for (size_t len = MAX_FORM_WORDS; len >= 1; len--)
        for (size_t i = 0; i < n; i++)
            if (key[i] < N_BUCKETS && words[i] == len) out[fill[key[i]]++] = (uint16_t)i;
}

static void tables_init(void)
{
    static size_t key[N_FORMS > N_WORDS ? N_FORMS : N_WORDS], words[N_FORMS > N_WORDS ? N_FORMS : N_WORDS];
    for (size_t f = 0; dv_legal_forms[f].form; f++) {
        form_def *d = &form_defs[n_form_defs++];
        const char *p = dv_legal_forms[f].form;
        d->at_start = *p == '^';
        d->words = table_words(p + d->at_start, d->w, MAX_FORM_WORDS);
        size_t tl = 0;
        for (size_t w = 0; w < d->words && tl + d->w[w].len + 2 < sizeof d->text; w++) {
            if (w) d->text[tl++] = ' ';
            memcpy(d->text + tl, d->w[w].s, d->w[w].len);
            tl += d->w[w].len;
        }
        d->text[tl] = '\0';
        d->where = dv_legal_forms[f].where;
        d->any = true;
        for (const char *c = d->where; c[0] && c[1]; c += 2 + (c[2] == ' ')) {
            int b = juris_bit(c);
            if (b >= 0) d->juris[b / 64] |= 1ULL << (b % 64), d->any = false;
            if (!c[2]) break;
        }
    }
    for (size_t f = 0; f < n_form_defs; f++) {
        key[f] = bucket(form_defs[f].w[form_defs[f].words - 1].s, form_defs[f].w[form_defs[f].words - 1].len);
        words[f] = form_defs[f].words;
    }
    index_by(form_last_at, form_last, n_form_defs, key, words);
    for (size_t f = 0; f < n_form_defs; f++)
        key[f] = form_defs[f].at_start ? bucket(form_defs[f].w[0].s, form_defs[f].w[0].len) : N_BUCKETS;
    index_by(form_first_at, form_first, n_form_defs, key, words);
    for (size_t i = 0; dv_business_words[i].from; i++) {
        word_def *d = &word_defs[n_word_defs++];
        d->words = table_words(dv_business_words[i].from, d->w, 4);
        d->to_words = table_words(dv_business_words[i].to, d->to, 4);
        key[i] = bucket(d->w[0].s, d->w[0].len);
        words[i] = d->words;
    }
    index_by(word_at, word_first, n_word_defs, key, words);
    for (size_t i = 0; i < n_word_defs; i++) {
        const word_def *d = &word_defs[i];
        key[i] = N_BUCKETS;
        if (d->words != 1 || d->w[0].len < 5) continue;
        char f[64];
        size_t fl = dv_tok_fold(d->w[0].s, d->w[0].len, f);
        if (table_used + fl + 1 > sizeof table_text) abort(); /* as table_words */
        memcpy(table_text + table_used, f, fl + 1);
        word_fold[i] = (tok){table_text + table_used, fl};
        table_used += fl + 1;
        key[i] = bucket(f, fl);
    }
    index_by(fold_at, fold_first, n_word_defs, key, words);
}

static bool tok_eq(const tok *a, const tok *b)
{
    return a->len == b->len && a->s[0] == b->s[0] && !memcmp(a->s, b->s, a->len);
}

/* The form that the last tokens of t[0..n) are (backwards: t points at
 * the last) or its first are: its index, its length in *words; -1 if none. */
static int form_at(const tok *t, size_t n, bool backwards, size_t *words)
{
    size_t b = bucket(t->s, t->len);
    const uint16_t *at = backwards ? form_last_at : form_first_at;
    const uint16_t *ids = backwards ? form_last : form_first;
    for (size_t k = at[b]; k < at[b + 1]; k++) {
        const form_def *d = &form_defs[ids[k]];
        if (d->words > n) continue;
        const tok *first = backwards ? t - (d->words - 1) : t;
        bool ok = true;
        for (size_t w = 0; w < d->words && ok; w++) ok = tok_eq(&d->w[w], &first[w]);
        if (ok) {
            *words = d->words;
            return ids[k];
        }
    }
    return -1;
}

bool dv_name_minor_word(const char *t, size_t len)
{
    pthread_once(&tables_once, tables_init);
    tok x = {t, len};
    size_t b = bucket(t, len);
    for (size_t k = form_last_at[b]; k < form_last_at[b + 1]; k++) {
        const form_def *d = &form_defs[form_last[k]];
        if (d->words == 1 && tok_eq(&d->w[0], &x)) return true;
    }
    static const char *const patronymic[] = {"OVICH", "EVICH", "OVNA", "EVNA", "ICHNA", "INICHNA",
                                            "OGLU", "KYZY", NULL};
    for (int i = 0; patronymic[i]; i++) {
        size_t pl = strlen(patronymic[i]);
        if (len > pl + 2 && !memcmp(t + len - pl, patronymic[i], pl)) return true;
    }
    return false;
}

const char *dv_name_form(int form, const char **where)
{
    pthread_once(&tables_once, tables_init);
    if (form < 0 || (size_t)form >= n_form_defs) return NULL;
    if (where) *where = form_defs[form].where;
    return form_defs[form].text;
}

bool dv_name_forms_apart(const dv_name_marks *a, const dv_name_marks *b)
{
    pthread_once(&tables_once, tables_init);
    if (a->form[0] < 0 || b->form[0] < 0) return false;
    for (int i = 0; i < DV_NAME_FORMS && a->form[i] >= 0; i++)
        for (int j = 0; j < DV_NAME_FORMS && b->form[j] >= 0; j++) {
            const form_def *x = &form_defs[a->form[i]], *y = &form_defs[b->form[j]];
            for (int w = 0; w < JURIS_WORDS; w++)
                if (x->juris[w] & y->juris[w]) return false;
        }
    return true;
}

/* The country a parenthesised group of tokens names, or NULL. */
static const char *country_named(const tok *t, size_t n)
{
    if (!n) return NULL;
    for (int c = 0; dv_paren_countries[c].code; c++) {
        for (const char *p = dv_paren_countries[c].names;;) {
            size_t l = strcspn(p, "|");
            /* compare the tokens, joined by spaces, with p[0..l) */
            size_t at = 0;
            bool ok = true;
            for (size_t k = 0; k < n && ok; k++) {
                if (k) ok = at < l && p[at++] == ' ';
                ok = ok && at + t[k].len <= l && !memcmp(p + at, t[k].s, t[k].len);
                at += t[k].len;
            }
            if (ok && at == l) return dv_paren_countries[c].code;
            if (!p[l]) break;
            p += l + 1;
        }
    }
    return NULL;
}

bool dv_name_paren_is_country(const char *s, size_t len)
{
    pthread_once(&tables_once, tables_init);
    char buf[64];
    tok t[8];
    size_t n = 0, nt = 0, start = 0;
    for (size_t i = 0; i <= len; i++) {
        unsigned char c = i < len ? (unsigned char)s[i] : ' ';
        if (c >= 0x80 || n + 1 >= sizeof buf) return false;
        char u = (char)toupper(c);
        if (is_alnum(u)) {
            buf[n++] = u;
        } else if (c != '.' && n > start) { /* U.S.A. is one word */
            if (nt == 8) return false;
            t[nt++] = (tok){buf + start, n - start};
            buf[n++] = ' ';
            start = n;
        } else if (c != '.') {
            start = n;
        }
    }
    nt = join_letters(t, nt);
    return country_named(t, nt) != NULL;
}

const dv_name_marks *dv_namer_marks(const dv_namer *n) { return &n->marks; }

bool dv_name_country_in(const char *code, const char *const *t, const size_t *len, size_t n)
{
    tok x[MAX_FORM_WORDS];
    for (size_t i = 0; i < n; i++)
        for (size_t k = 1; k <= 3 && i + k <= n; k++) {
            for (size_t j = 0; j < k; j++) x[j] = (tok){t[i + j], len[i + j]};
            const char *c = country_named(x, k);
            if (c && !strcmp(c, code)) return true;
        }
    return false;
}

/* The business word that t[0..n) starts with: its row, its length in
 * *words; NULL if none. */
static const word_def *word_at_tok(const tok *t, size_t n, size_t *words)
{
    size_t b = bucket(t->s, t->len);
    for (size_t k = word_at[b]; k < word_at[b + 1]; k++) {
        const word_def *d = &word_defs[word_first[k]];
        if (d->words > n) continue;
        bool ok = true;
        for (size_t w = 0; w < d->words && ok; w++) ok = tok_eq(&d->w[w], &t[w]);
        if (ok) {
            *words = d->words;
            return d;
        }
    }
    if (t->len < 5 || t->len > DV_MAX_TOKEN_LEN) return NULL;
    char f[64];
    tok x = {f, dv_tok_fold(t->s, t->len, f)};
    b = bucket(x.s, x.len);
    for (size_t k = fold_at[b]; k < fold_at[b + 1]; k++)
        if (tok_eq(&word_fold[fold_first[k]], &x)) {
            *words = 1;
            return &word_defs[fold_first[k]];
        }
    return NULL;
}

/* ---- tokens ---- */

static void note_form(dv_name_marks *m, int form)
{
    if (form_defs[form].any) return;
    for (int i = 0; i < DV_NAME_FORMS; i++) {
        if (m->form[i] == form) return;
        if (m->form[i] < 0) {
            m->form[i] = (int16_t)form;
            return;
        }
    }
}

/* Legal forms at either end of t[*lo..*hi), as long as a name token is
 * left: moved out of the range, noted in m. */
static void strip_forms(tok *t, size_t *lo, size_t *hi, dv_name_marks *m)
{
    for (;;) {
        size_t w = 0;
        int f = *hi - *lo > 1 ? form_at(t + *lo, *hi - *lo - 1, false, &w) : -1;
        if (f < 0) break;
        note_form(m, f);
        *lo += w;
    }
    for (;;) {
        size_t w = 0;
        int f = *hi - *lo > 1 ? form_at(t + *hi - 1, *hi - *lo - 1, true, &w) : -1;
        if (f < 0) break;
        note_form(m, f);
        *hi -= w;
    }
}

static void put_toks(dv_buf *out, const tok *t, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        if (out->len) dv_buf_add(out, " ", 1);
        dv_buf_add(out, t[i].s, t[i].len);
    }
}

void dv_name_normalise(dv_namer *n, const char *name, size_t len, dv_buf *tokens, dv_buf *forms)
{
    pthread_once(&tables_once, tables_init);
    tokens->len = forms->len = 0;
    if (tokens->data) tokens->data[0] = '\0';
    if (forms->data) forms->data[0] = '\0';
    dv_name_marks *m = &n->marks;
    for (int i = 0; i < DV_NAME_FORMS; i++) m->form[i] = -1;
    m->sub[0] = '\0';
    m->family = 0;
    n->han = n->romanised = false;
    bool ascii = true;
    for (size_t i = 0; i < len && ascii; i++) ascii = (unsigned char)name[i] < 0x80;
    const char *s = name;
    size_t sl = len;
    if (!ascii && icu_to_ascii(n, name, len)) {
        s = n->ascii.data ? n->ascii.data : "";
        sl = n->ascii.len;
    }
    /* upper-case letters and digits; apostrophes inside words vanish;
     * single letters joined by dots make one token; parentheses stand as
     * tokens of their own until the groups are read */
    char *up = dv_xmalloc(3 * sl + 1);
    size_t ul = 0, tok_len = 0;
    size_t commas = 0, comma_ul = 0, digits = 0; /* FAMILY, Given (marks.family) */
    bool initials = false; /* the token so far is single letters joined by dots */
    bool abjad = false;    /* the token so far came from an abjad: kept in lower case */
    bool hangul = false;   /* from Hangul: its first letter upper case, the rest lower */
    for (size_t i = 0; i < sl; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) c = ' ';
        if (n->romanised && (c == DV_ROM_MARK || c == DV_ROM_MARK_SYL)) {
            if (ul && up[ul - 1] != ' ') up[ul++] = ' ';
            tok_len = 0, initials = false;
            abjad = c == DV_ROM_MARK, hangul = c == DV_ROM_MARK_SYL;
            continue;
        }
        if (c == ',' && !commas++) comma_ul = ul;
        digits += c >= '0' && c <= '9';
        char u = (abjad || (hangul && tok_len)) && islower(c) ? (char)c : (char)toupper(c);
        if (is_alnum(u) || ((abjad || hangul) && islower(c))) {
            up[ul++] = u;
            tok_len++;
        } else if ((c == '\'' || c == '`') && tok_len && i + 1 < sl &&
                   isalnum((unsigned char)s[i + 1])) {
            continue; /* O'Brien, otvetstvennost'u */
        } else if (c == '.' && (tok_len == 1 || initials) && i + 1 < sl &&
                   isalpha((unsigned char)s[i + 1]) &&
                   (i + 2 >= sl || !isalnum((unsigned char)s[i + 2]))) {
            initials = true; /* L.L.C. */
        } else {
            if (ul && up[ul - 1] != ' ') up[ul++] = ' ';
            if (c == '(' || c == ')') up[ul++] = (char)c, up[ul++] = ' ';
            tok_len = 0;
            initials = false;
            abjad = hangul = false;
        }
    }
    while (ul && up[ul - 1] == ' ') ul--;
    /* the tokens; a group in parentheses that names a country marks a
     * subsidiary (and stays in the name); the parentheses go */
    tok *t = NULL;
    size_t nt = 0, cap = 0, open_at = SIZE_MAX;
    for (size_t i = 0; i < ul;) {
        while (i < ul && up[i] == ' ') i++;
        size_t j = i;
        while (j < ul && up[j] != ' ') j++;
        if (j == i + 1 && up[i] == '(') {
            open_at = nt;
        } else if (j == i + 1 && up[i] == ')') {
            if (open_at != SIZE_MAX && nt > open_at) {
                size_t g = join_letters(t + open_at, nt - open_at);
                const char *code = !m->sub[0] && open_at > 0 ? country_named(t + open_at, g) : NULL;
                nt = open_at + g;
                if (code) memcpy(m->sub, code, 3);
            }
            open_at = SIZE_MAX;
        } else if (j > i) {
            tok x = {up + i, j - i};
            DV_PUSH(t, nt, cap, x);
        }
        i = j;
    }
    nt = join_letters(t, nt);
    /* A Chinese company's registered name opens with its place and the
     * kind of division (深圳市, Shenzhen city; 广东省, Guangdong province:
     * administrative division, trade name, industry, form, as China's
     * rules on enterprise names have it), which its English name leaves
     * out: after a place of two syllables, the division word goes. */
    if (n->han && nt >= 4) {
        static const char *const division[] = {"SHI", "SHENG", "XIAN", "QU", NULL};
        for (int d = 0; division[d]; d++)
            if (t[2].len == strlen(division[d]) && !memcmp(t[2].s, division[d], t[2].len)) {
                memmove(t + 2, t + 3, (nt - 3) * sizeof *t);
                nt--;
                break;
            }
    }
    /* legal forms at either end, then the business words read as one
     * spelling, then the forms that reading reveals (Kumpane Lemitaat:
     * COMPANY) */
    size_t lo = 0, hi = nt;
    strip_forms(t, &lo, &hi, m);
    /* a token becomes at most a row's four words */
    tok *w = dv_xmalloc((4 * (hi - lo) + 1) * sizeof *w);
    size_t nw = 0;
    for (size_t i = lo; i < hi;) {
        size_t k = 0;
        const word_def *d = word_at_tok(t + i, hi - i, &k);
        if (!d) {
            w[nw++] = t[i++];
            continue;
        }
        for (size_t r = 0; r < d->to_words; r++) w[nw++] = d->to[r];
        i += k;
    }
    size_t wlo = 0, whi = nw;
    strip_forms(w, &wlo, &whi, m);
    /* FAMILY, Given: the tokens before the comma, when every token is the
     * text's own (no business word read into another spelling) */
    if (commas == 1 && !digits && lo == 0 && hi == nt && wlo == 0 && whi == nw) {
        size_t before = 0;
        bool own = true;
        uintptr_t u0 = (uintptr_t)up; /* as addresses: a table's word is not in up */
        for (size_t k = 0; k < nw; k++) {
            uintptr_t at = (uintptr_t)w[k].s;
            own &= at >= u0 && at < u0 + ul;
            before += own && at < u0 + comma_ul;
        }
        if (own && before >= 1 && before <= 3 && nw - before >= 1 && nw - before <= 4)
            m->family = (uint8_t)before;
    }
    put_toks(forms, t, 0, lo);
    put_toks(forms, w, 0, wlo);
    put_toks(tokens, w, wlo, whi);
    put_toks(forms, w, whi, nw);
    put_toks(forms, t, hi, nt);
    if (!tokens->data) dv_buf_add(tokens, "", 0);
    if (!forms->data) dv_buf_add(forms, "", 0);
    free(w);
    free(t);
    free(up);
}

/* ---- Jaro-Winkler ---- */

/* UTF-8 to code points (invalid bytes as U+FFFD); returns the count. */
static size_t code_points(const char *s, size_t len, uint32_t *out)
{
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        uint32_t cp = 0xFFFD;
        size_t k = 1;
        if (c < 0x80) cp = c;
        else if (c >= 0xC2 && c <= 0xDF) k = 2, cp = c & 0x1F;
        else if (c >= 0xE0 && c <= 0xEF) k = 3, cp = c & 0x0F;
        else if (c >= 0xF0 && c <= 0xF4) k = 4, cp = c & 0x07;
        if (k > 1) {
            bool ok = i + k <= len;
            for (size_t m = 1; ok && m < k; m++) {
                ok = ((unsigned char)s[i + m] & 0xC0) == 0x80;
                cp = (cp << 6) | ((unsigned char)s[i + m] & 0x3F);
            }
            if (!ok) cp = 0xFFFD, k = 1;
        }
        out[n++] = cp;
        i += k;
    }
    return n;
}

/* Jaro-Winkler of two code-point arrays. */
static double jaro_winkler_cp(const uint32_t *sa, size_t na, const uint32_t *sb, size_t nb)
{
    if (!na || !nb) return 0;
    size_t range = (na > nb ? na : nb) / 2;
    range = range ? range - 1 : 0;
    bool fa_buf[64], fb_buf[64];
    bool *fa = na <= 64 ? fa_buf : dv_xmalloc(na), *fb = nb <= 64 ? fb_buf : dv_xmalloc(nb);
    memset(fa, 0, na);
    memset(fb, 0, nb);
    size_t common = 0;
    for (size_t i = 0; i < na; i++) {
        size_t lo = i > range ? i - range : 0, hi = i + range < nb - 1 ? i + range : nb - 1;
        for (size_t j = lo; j <= hi; j++)
            if (!fb[j] && sb[j] == sa[i]) {
                fa[i] = fb[j] = true;
                common++;
                break;
            }
    }
    double result = 0;
    if (common) {
        size_t k = 0, trans = 0;
        for (size_t i = 0; i < na; i++) {
            if (!fa[i]) continue;
            while (!fb[k]) k++;
            if (sa[i] != sb[k]) trans++;
            k++;
        }
        double m = (double)common;
        double jaro = (m / (double)na + m / (double)nb + (m - (double)(trans / 2)) / m) / 3;
        if (jaro > 0.7) {
            size_t prefix = 0, lim = na < nb ? na : nb;
            if (lim > 4) lim = 4;
            while (prefix < lim && sa[prefix] == sb[prefix]) prefix++;
            jaro += (double)prefix * 0.1 * (1 - jaro);
        }
        result = jaro;
    }
    if (fa != fa_buf) free(fa);
    if (fb != fb_buf) free(fb);
    return result;
}

/* Bytes to code points: ASCII as it is (tokens are ASCII, the common
 * case), the rest decoded. */
static size_t to_code_points(const char *s, size_t len, uint32_t *out)
{
    bool ascii = true;
    for (size_t i = 0; ascii && i < len; i++) ascii = (unsigned char)s[i] < 0x80;
    if (!ascii) return code_points(s, len, out);
    for (size_t i = 0; i < len; i++) out[i] = (unsigned char)s[i];
    return len;
}

double dv_jaro_winkler(const char *a, size_t la, const char *b, size_t lb)
{
    uint32_t sa_buf[64], sb_buf[64];
    uint32_t *sa = la <= 64 ? sa_buf : dv_xmalloc(la * sizeof *sa);
    uint32_t *sb = lb <= 64 ? sb_buf : dv_xmalloc(lb * sizeof *sb);
    double result = jaro_winkler_cp(sa, to_code_points(a, la, sa), sb, to_code_points(b, lb, sb));
    if (sa != sa_buf) free(sa);
    if (sb != sb_buf) free(sb);
    return result;
}
