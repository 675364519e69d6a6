/*
 * lists.c: the watchlist files of a dataset and their formats.
 *
 * A dataset may hold several lists: watchlist.csv and any watchlist*.csv
 * (or .csv.gz), read in name order into one watchlist table. Each file is
 * in one of three formats, told apart by its header:
 *
 * - the SPEC's (name, id, aliases, country, source);
 * - OpenSanctions' targets.simple.csv ("schema" column): aliases and
 *   countries are CSV within CSV, and only parties (Company,
 *   Organization, LegalEntity, Person) are screened;
 * - the US Consolidated Screening List ("alt_names" column): vessels and
 *   aircraft are not parties, and a name's "; and any successor ..."
 *   boilerplate is cut.
 *
 * The three share one column enum, so one parser reads them all.
 */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "divert/loader.h"
#include "divert/screen.h"

enum { W_NAME, W_ID, W_ALIASES, W_COUNTRY, W_SOURCE, W_KIND, W_PLACES, W_COUNT };
_Static_assert(W_COUNT <= DV_MAX_COLS, "a list format has more columns than a loader holds");
static const dv_col_spec spec_cols[W_COUNT - 2] = {
    [W_NAME] = {"name", true},        [W_ID] = {"id", false},
    [W_ALIASES] = {"aliases", false}, [W_COUNTRY] = {"country", false},
    [W_SOURCE] = {"source", false}};
/* W_KIND: schema */
static const dv_col_spec opensanctions_cols[W_COUNT - 1] = {
    [W_NAME] = {"name", true},        [W_ID] = {"id", false},
    [W_ALIASES] = {"aliases", false}, [W_COUNTRY] = {"countries", false},
    [W_SOURCE] = {"dataset", false},  [W_KIND] = {"schema", true}};
/* W_KIND: type; W_PLACES: addresses, whose last element is a country code */
static const dv_col_spec csl_cols[W_COUNT] = {
    [W_NAME] = {"name", true},         [W_ID] = {"_id", false},
    [W_ALIASES] = {"alt_names", false}, [W_COUNTRY] = {"nationalities", false},
    [W_SOURCE] = {"source", false},    [W_KIND] = {"type", false},
    [W_PLACES] = {"addresses", false}};

static const dv_col_spec *format_of(const dv_csv_row *header, int *n_cols, const char **format)
{
    bool schema = false, alt_names = false;
    for (size_t i = 0; i < header->nfields; i++) {
        size_t len = header->lens[i];
        const char *h = dv_trim(header->fields[i], &len);
        schema |= dv_ieq(h, len, "schema");
        alt_names |= dv_ieq(h, len, "alt_names");
    }
    if (schema) {
        *n_cols = W_COUNT - 1;
        *format = "opensanctions";
        return opensanctions_cols;
    }
    if (alt_names) {
        *n_cols = W_COUNT;
        *format = "csl";
        return csl_cols;
    }
    *n_cols = W_COUNT - 2;
    *format = "spec";
    return spec_cols;
}

/* A ';'-separated list written as a CSV row of its own, as OpenSanctions'
 * exporter writes its multi-valued cells: a value holding ';' or a quote
 * is quoted, with its quotes doubled. */
static const char **split_quoted_list(dv_loader *L, dv_field f, uint32_t *n)
{
    *n = 0;
    if (!f.len) return NULL;
    size_t count = 1;
    for (size_t i = 0; i < f.len; i++) count += f.s[i] == ';';
    const char **out = dv_arena_alloc(&L->ds->arena, count * sizeof *out);
    char *value = dv_xmalloc(f.len + 1);
    size_t i = 0;
    while (i <= f.len && *n < count) {
        size_t vl = 0;
        while (i < f.len && f.s[i] == ' ') i++;
        if (i < f.len && f.s[i] == '"') { /* quoted: to the closing quote */
            for (i++; i < f.len; i++) {
                if (f.s[i] == '"' && i + 1 < f.len && f.s[i + 1] == '"') {
                    value[vl++] = '"';
                    i++;
                } else if (f.s[i] == '"') {
                    i++;
                    break;
                } else {
                    value[vl++] = f.s[i];
                }
            }
            while (i < f.len && f.s[i] != ';') i++; /* anything after the quote */
        } else {
            while (i < f.len && f.s[i] != ';') value[vl++] = f.s[i++];
        }
        const char *p = dv_trim(value, &vl);
        if (vl) out[(*n)++] = dv_intern_str(&L->ds->strings, p, vl);
        i++; /* past the ';' or the end */
    }
    free(value);
    return out;
}

/* The first element of a ';'-separated list. */
static dv_field first_of(dv_field f)
{
    const char *semi = memchr(f.s, ';', f.len);
    if (semi) f.len = (size_t)(semi - f.s);
    f.s = dv_trim(f.s, &f.len);
    return f;
}

static bool two_letters(dv_field c)
{
    return c.len == 2 && isalpha((unsigned char)c.s[0]) && isalpha((unsigned char)c.s[1]);
}

/* A CSL address's country: its last comma-separated element, when that
 * is a two-letter code ("Komitas 26/114, Yerevan, Armenia, AM"). */
static dv_field address_country(dv_field f)
{
    dv_field first = first_of(f), none = {"", 0, 0};
    const char *comma = NULL;
    for (size_t i = 0; i < first.len; i++)
        if (first.s[i] == ',') comma = first.s + i;
    if (!comma) return none;
    dv_field c = {comma + 1, (size_t)(first.s + first.len - comma - 1), 0};
    c.s = dv_trim(c.s, &c.len);
    return two_letters(c) ? c : none;
}

/* Every country an entry names ("cn;kp"), as upper-case codes joined by
 * ';', once each, into codes (64 bytes); returns the length. One that is
 * not a two-letter code is not a reason to drop a listed party: it is left
 * out of the comparison (docs/screening.md). */
static size_t country_codes(dv_field country, char codes[64])
{
    size_t nc = 0;
    for (size_t i = 0; i < country.len;) {
        size_t j = i;
        while (j < country.len && country.s[j] != ';') j++;
        dv_field c = {country.s + i, j - i, 0};
        c.s = dv_trim(c.s, &c.len);
        if (two_letters(c) && nc + 3 < 64) {
            char up[2] = {(char)toupper((unsigned char)c.s[0]), (char)toupper((unsigned char)c.s[1])};
            bool seen = false;
            for (size_t k = 0; k < nc && !seen; k += 3) seen = codes[k] == up[0] && codes[k + 1] == up[1];
            if (!seen) {
                if (nc) codes[nc++] = ';';
                codes[nc++] = up[0];
                codes[nc++] = up[1];
            }
        }
        i = j + 1;
    }
    return nc;
}

static int parse_watch(dv_loader *L, const dv_csv_row *row)
{
    dv_dataset *ds = L->ds;
    dv_field name = dv_loader_get(L, row, W_NAME);
    if (!dv_need(L, row, W_NAME, name)) return 0;
    dv_field country = dv_loader_get(L, row, W_COUNTRY);
    if (L->cols == opensanctions_cols) {
        /* only parties apply to entities: not vessels, aircraft, securities */
        dv_field schema = dv_loader_get(L, row, W_KIND);
        if (!dv_ieq(schema.s, schema.len, "Company") && !dv_ieq(schema.s, schema.len, "Organization") &&
            !dv_ieq(schema.s, schema.len, "LegalEntity") && !dv_ieq(schema.s, schema.len, "Person"))
            return dv_loader_reject(
                L, row, "schema", "not_a_party",
                "schema \"%.*s\" is not a party (Company, Organization, LegalEntity, Person)",
                DV_SHOWN(schema));
    } else if (L->cols == csl_cols) {
        dv_field kind = dv_loader_get(L, row, W_KIND);
        if (dv_ieq(kind.s, kind.len, "Vessel") || dv_ieq(kind.s, kind.len, "Aircraft"))
            return dv_loader_reject(L, row, "type", "not_a_party", "type \"%.*s\" is not a party",
                                    (int)kind.len, kind.s);
        /* "Sinobright Import and Export Company; and any successor, ..." */
        const char *tail = NULL;
        for (size_t i = 0; i + 12 <= name.len && !tail; i++)
            if (!strncasecmp(name.s + i, "; and any ", 10)) tail = name.s + i;
        if (tail) name.len = (size_t)(tail - name.s);
        if (!first_of(country).len) country = address_country(dv_loader_get(L, row, W_PLACES));
    }
    char codes[64];
    size_t nc = country_codes(country, codes);
    dv_watch *w = dv_loader_next(L);
    *w = (dv_watch){0};
    w->name = dv_loader_intern(L, name);
    w->id = dv_loader_intern(L, dv_loader_get(L, row, W_ID));
    w->aliases = L->cols == opensanctions_cols
                    ? split_quoted_list(L, dv_loader_get(L, row, W_ALIASES), &w->naliases)
                    : dv_loader_list(L, dv_loader_get(L, row, W_ALIASES), &w->naliases);
    /* every alias is a name to screen: a row's work is bounded */
    if (w->naliases > DV_SCREEN_MAX_ALIASES)
        return dv_loader_reject(L, row, DV_COL(L, W_ALIASES), "too_many_aliases",
                                "%u aliases, more than the %d a row may have",
                                (unsigned)w->naliases, DV_SCREEN_MAX_ALIASES);
    w->country = nc ? dv_intern_str(&ds->strings, codes, nc) : NULL;
    w->source = dv_loader_intern(L, dv_loader_get(L, row, W_SOURCE));
    w->list = L->label;
    w->line = row->line;
    dv_loader_keep(L, row, NULL);
    return 0;
}

static int strcmp_null(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

/* Entries of several files, and identical names within one, in an order
 * that depends on their content only: name, id, country, source, then the
 * line. */
static int cmp_watch(const void *a, const void *b)
{
    const dv_watch *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (!c) c = strcmp_null(x->id, y->id);
    if (!c) c = strcmp_null(x->country, y->country);
    if (!c) c = strcmp_null(x->source, y->source);
    if (!c) c = (x->line > y->line) - (x->line < y->line);
    return c;
}

/* No duplicate resolution: a list may name one party twice (two
 * programmes, two spellings), and screening reports each entry. */
const dv_table_def dv_watchlist_def = {
    .id = DV_T_WATCHLIST,
    .cols = spec_cols,
    .n_cols = W_COUNT - 2,
    .parse = parse_watch,
    .row_size = sizeof(dv_watch),
    .rows_offset = offsetof(dv_dataset, watchlist),
    .count_offset = offsetof(dv_dataset, n_watch),
    .cmp = cmp_watch,
    .unique_key = false,
    .format_of = format_of,
};

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int dv_load_lists(dv_dataset *ds, const dv_load_options *opt, dv_error *err)
{
    DIR *d = opendir(ds->dir);
    if (!d) return dv_fail(err, DV_EXIT_INPUT, "%s: cannot list: %s", ds->dir, strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *nm = e->d_name;
        size_t len = strlen(nm);
        bool csv = len > 4 && !strcmp(nm + len - 4, ".csv"),
             gz = len > 7 && !strcmp(nm + len - 7, ".csv.gz");
        if (strncmp(nm, "watchlist", 9) != 0 || (!csv && !gz)) continue;
        char *x = dv_xstrdup(nm);
        DV_PUSH(names, n, cap, x);
    }
    closedir(d);
    dv_qsort(names, n, sizeof *names, cmp_cstr);
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        size_t stem = strlen(names[i]) - (strstr(names[i], ".csv.gz") ? 7 : 4);
        /* NAME.csv and NAME.csv.gz both: one table written twice */
        if (i + 1 < n && !strncmp(names[i], names[i + 1], stem) && names[i + 1][stem] == '.' &&
            strlen(names[i + 1]) != strlen(names[i]))
            rc = dv_fail(err, DV_EXIT_INPUT, "%s: both %.*s.csv and %.*s.csv.gz exist; keep one",
                         ds->dir, (int)stem, names[i], (int)stem, names[i]);
        if (rc) break;
        char *path = dv_xasprintf("%s/%s", ds->dir, names[i]);
        const char *label = dv_intern_str(&ds->strings, names[i], stem);
        dv_table_info *info = &ds->tables[DV_T_WATCHLIST];
        long read0 = info->rows_read, loaded0 = (long)ds->n_watch, rejected0 = info->rows_rejected;
        const char *format = NULL;
        rc = dv_load_table(ds, opt, &dv_watchlist_def, path, label, &format, err);
        if (!rc) {
            dv_list_file lf = {dv_arena_strndup(&ds->arena, path, strlen(path)), label, format,
                               info->rows_read - read0, (long)ds->n_watch - loaded0,
                               info->rows_rejected - rejected0, "", info->bytes};
            memcpy(lf.sha256, info->sha256, sizeof lf.sha256);
            DV_PUSH(ds->lists, ds->n_lists, ds->cap_lists, lf);
        }
        free(path);
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    return rc;
}
