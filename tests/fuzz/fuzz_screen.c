/*
 * fuzz_screen.c: name normalisation and watchlist screening on arbitrary
 * names.
 *
 * The input is lines: a line starting with '=' is a list entry, any other
 * an entity; within a line, '|' puts a country after the name and ';'
 * separates aliases ("=Tekhnopribor LLC;ООО Техноприбор|RU"). The first
 * byte chooses the threshold, from 0.50 to 0.99. At most 8 entities and 8
 * list entries are read. Besides not crashing:
 *
 * - normalising a name gives tokens of A-Z and 0-9 separated by single
 *   spaces, and legal forms likewise;
 * - screening on one thread and on three gives the same matches, in the
 *   same order, and does the same work (dv_screen_stats), within the
 *   bounds on candidates gathered and scored for one name;
 * - the index finds exactly what scoring every pair of names finds: for
 *   each entity and list entry, the best dv_screen_pair score over their
 *   names is reported when it reaches the threshold, with that score, and
 *   nothing else is; every score is within [0, 1] and every explanation is
 *   valid UTF-8.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#include "divert/screen.h"
#include "fuzz_support.h"

enum { MAX_ROWS = 8, MAX_NAMES = 4 };

typedef struct row {
    char *names[MAX_NAMES];      /* the name, then its aliases */
    uint32_t n;
    char country[3];
} row;

static dv_namer *namer;

/* A-Z, 0-9 and single inner spaces; a token from an abjad (romanise.h)
 * a-z and 0-9, a letter first; one from Hangul an upper-case letter, then
 * a-z and 0-9 */
static void check_tokens(const char *what, const dv_buf *b)
{
    const char *s = b->data ? b->data : "";
    FUZZ_CHECK(strlen(s) == b->len, "%s: length %zu, buffer says %zu", what, strlen(s), b->len);
    bool lower = false;
    for (size_t i = 0; i < b->len; i++) {
        char c = s[i];
        if (!i || s[i - 1] == ' ') {
            lower = (c >= 'a' && c <= 'z') ||
                    (c >= 'A' && c <= 'Z' && i + 1 < b->len && s[i + 1] >= 'a' && s[i + 1] <= 'z');
            if (c >= 'A' && c <= 'Z') continue; /* a token's first letter */
        }
        bool ok = (!lower && c >= 'A' && c <= 'Z') || (lower && c >= 'a' && c <= 'z') ||
                  (c >= '0' && c <= '9') ||
                  (c == ' ' && i > 0 && i + 1 < b->len && s[i - 1] != ' ');
        FUZZ_CHECK(ok, "%s \"%s\": byte %zu is 0x%02x", what, s, i, (unsigned char)c);
    }
}

static void parse_line(const char *line, size_t len, row *r)
{
    memset(r, 0, sizeof *r);
    const char *bar = memchr(line, '|', len);
    size_t name_len = bar ? (size_t)(bar - line) : len;
    if (bar && len - name_len - 1 == 2 && bar[1] >= 'A' && bar[1] <= 'Z' && bar[2] >= 'A' &&
        bar[2] <= 'Z') {
        r->country[0] = bar[1];
        r->country[1] = bar[2];
    }
    size_t start = 0;
    for (size_t i = 0; i <= name_len && r->n < MAX_NAMES; i++)
        if (i == name_len || line[i] == ';') {
            r->names[r->n++] = dv_xstrndup(line + start, i - start);
            start = i + 1;
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size) return 0;
    dv_error err = {0, ""};
    if (!namer) namer = dv_namer_new(&err);
    double threshold = 0.5 + (double)(data[0] % 50) / 100.0;
    const char *s = (const char *)data + 1;
    size_t n = size - 1;
    row ents[MAX_ROWS], list[MAX_ROWS];
    size_t n_ents = 0, n_list = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && s[j] != '\n') j++;
        bool is_list = j > i && s[i] == '=';
        if (is_list && n_list < MAX_ROWS) parse_line(s + i + 1, j - i - 1, &list[n_list++]);
        else if (!is_list && n_ents < MAX_ROWS) parse_line(s + i, j - i, &ents[n_ents++]);
        i = j + 1;
    }

    /* normalisation */
    dv_buf tokens = {0}, forms = {0};
    for (size_t r = 0; r < n_ents; r++)
        for (uint32_t a = 0; a < ents[r].n; a++) {
            dv_name_normalise(namer, ents[r].names[a], strlen(ents[r].names[a]), &tokens, &forms);
            check_tokens("tokens", &tokens);
            check_tokens("forms", &forms);
        }
    dv_buf_free(&tokens);
    dv_buf_free(&forms);

    /* a dataset of these rows */
    dv_dataset ds;
    memset(&ds, 0, sizeof ds);
    dv_entity entities[MAX_ROWS];
    dv_watch watch[MAX_ROWS];
    char ids[MAX_ROWS][8];
    memset(entities, 0, sizeof entities);
    memset(watch, 0, sizeof watch);
    for (size_t r = 0; r < n_ents; r++) {
        snprintf(ids[r], sizeof ids[r], "E%zu", r);
        entities[r].id = ids[r];
        entities[r].name = ents[r].names[0];
        entities[r].aliases = (const char **)ents[r].names + 1;
        entities[r].naliases = ents[r].n - 1;
        memcpy(entities[r].country, ents[r].country, 3);
    }
    for (size_t r = 0; r < n_list; r++) {
        watch[r].name = list[r].names[0];
        watch[r].aliases = (const char **)list[r].names + 1;
        watch[r].naliases = list[r].n - 1;
        watch[r].country = list[r].country[0] ? list[r].country : NULL;
        watch[r].id = "L";
    }
    ds.entities = entities;
    ds.n_entities = n_ents;
    ds.watchlist = watch;
    ds.n_watch = n_list;

    dv_screener *sc = dv_screener_new(&ds, &err);
    FUZZ_CHECK(sc != NULL, "screener: %s", err.msg);
    dv_matches one, three;
    dv_screen_stats st1, st3;
    FUZZ_CHECK(dv_screen_all(sc, threshold, 1, &one, &st1, &err) == 0, "one thread: %s", err.msg);
    FUZZ_CHECK(dv_screen_all(sc, threshold, 3, &three, &st3, &err) == 0, "three threads: %s",
               err.msg);
    FUZZ_CHECK(one.n == three.n, "%zu matches on one thread, %zu on three", one.n, three.n);
    FUZZ_CHECK(!memcmp(&st1, &st3, sizeof st1), "the work differs between one thread and three");
    uint64_t names = 0;
    for (size_t r = 0; r < n_ents; r++) names += ents[r].n;
    FUZZ_CHECK(st1.names == names, "%llu names screened of %llu", (unsigned long long)st1.names,
               (unsigned long long)names);
    FUZZ_CHECK(st1.most_gathered <= DV_SCREEN_MAX_GATHERED &&
                   st1.most_scored <= DV_SCREEN_MAX_SCORED && st1.scored <= st1.gathered,
               "%u gathered and %u scored for one name, %llu scored of %llu gathered",
               st1.most_gathered, st1.most_scored, (unsigned long long)st1.scored,
               (unsigned long long)st1.gathered);
    for (size_t k = 0; k < one.n; k++) {
        const dv_match *a = &one.m[k], *b = &three.m[k];
        FUZZ_CHECK(a->entity == b->entity && a->watch == b->watch && a->score == b->score &&
                       !strcmp(a->explanation, b->explanation),
                   "match %zu differs between one thread and three", k);
        FUZZ_CHECK(a->score >= threshold && a->score <= 1.0 && isfinite(a->score),
                   "score %.17g (threshold %.2f)", a->score, threshold);
        FUZZ_CHECK(dv_utf8_valid(a->explanation, strlen(a->explanation)), "explanation \"%s\"",
                   a->explanation);
    }
    /* every pair of rows against scoring every pair of their names */
    size_t expected = 0;
    for (size_t e = 0; e < n_ents; e++)
        for (size_t w = 0; w < n_list; w++) {
            double best = 0;
            for (uint32_t a = 0; a < ents[e].n; a++)
                for (uint32_t b = 0; b < list[w].n; b++) {
                    double x = dv_screen_pair(sc, namer, ents[e].names[a],
                                              entities[e].country[0] ? entities[e].country : NULL,
                                              list[w].names[b], watch[w].country, NULL);
                    FUZZ_CHECK(x >= 0 && x <= 1.0 && isfinite(x), "pair score %.17g", x);
                    if (x > best) best = x;
                }
            const dv_match *found = NULL;
            for (size_t k = 0; k < one.n && !found; k++)
                if (one.m[k].entity == e && one.m[k].watch == w) found = &one.m[k];
            if (best >= threshold) {
                expected++;
                FUZZ_CHECK(found, "entity %zu and list entry %zu score %.17g >= %.2f by pairs, "
                                  "but the index did not report them", e, w, best, threshold);
                FUZZ_CHECK(fabs(found->score - best) <= 1e-12,
                           "entity %zu, list entry %zu: index %.17g, pairs %.17g", e, w,
                           found->score, best);
            }
        }
    FUZZ_CHECK(one.n == expected, "the index reported %zu matches, pair scoring %zu", one.n,
               expected);
    dv_matches_free(&one);
    dv_matches_free(&three);
    dv_screener_free(sc);
    for (size_t r = 0; r < n_ents; r++)
        for (uint32_t a = 0; a < ents[r].n; a++) free(ents[r].names[a]);
    for (size_t r = 0; r < n_list; r++)
        for (uint32_t a = 0; a < list[r].n; a++) free(list[r].names[a]);
    return 0;
}
