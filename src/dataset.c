/*
 * dataset.c: loading a dataset (SPEC 1), and what is derived from it.
 *
 * The tables load in an order that lets references resolve as they are
 * read (entities first), each through its descriptor (loader.h: the SPEC
 * tables in tables.c, the list files in lists.c); tables a dataset lacks
 * fall back to the embedded reference tables (reference.h) or are left
 * empty. After the load: the rejects sorted, and the derived per-row data
 * (each entity's country row and first trade, each shipment's item entry,
 * address keys).
 */
#define _POSIX_C_SOURCE 200809L
#include "divert/dataset.h"
#include "divert/shard.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "divert/loader.h"

const char *const dv_table_names[DV_T_COUNT] = {
    [DV_T_ENTITIES] = "entities", [DV_T_SHIPMENTS] = "shipments", [DV_T_ITEMS] = "items",
    [DV_T_COUNTRIES] = "countries", [DV_T_LICENCES] = "licenses", [DV_T_WATCHLIST] = "watchlist"};

/* How each table is found: in load order, entities before everything that
 * refers to them. */
typedef struct table_load {
    const dv_table_def *def;
    bool required;           /* a dataset without it is an input error */
    bool reference;          /* absent, it is the embedded reference table */
} table_load;

static const table_load load_order[] = {
    {&dv_entities_def, true, false},   {&dv_countries_def, false, true},
    {&dv_items_def, false, true},      {&dv_licences_def, false, false},
    {&dv_watchlist_def, false, false}, {&dv_shipments_def, true, false},
};

static int load_one(dv_dataset *ds, const dv_load_options *opt, const table_load *t, dv_error *err)
{
    const char *name = dv_table_names[t->def->id];
    char *path = NULL;
    int rc = dv_find_table(ds->dir, name, &path, err);
    if (rc) return rc;
    if (!path && t->required)
        return dv_fail(err, DV_EXIT_INPUT, "%s: missing table %s.csv (or %s.csv.gz)", ds->dir,
                       name, name);
    if (!path && !t->reference) return 0;
    const char *format;
    rc = dv_load_table(ds, opt, t->def, path, NULL, &format, err);
    free(path);
    return rc;
}

/* ---- lookups ---- */

uint32_t dv_entity_find(const dv_dataset *ds, const char *id)
{
    uint32_t v;
    return dv_map_get(&ds->entity_by_id, id, strlen(id), &v) ? v : DV_NONE;
}

uint32_t dv_shipment_find(const dv_dataset *ds, const char *id)
{
    for (size_t i = 0; i < ds->n_shipments; i++)
        if (!strcmp(ds->shipments[i].id, id)) return (uint32_t)i;
    return DV_NONE;
}

uint32_t dv_country_find(const dv_dataset *ds, const char *code)
{
    size_t lo = 0, hi = ds->n_countries;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(ds->countries[mid].code, code);
        if (!c) return (uint32_t)mid;
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return DV_NONE;
}

static uint32_t item_exact(const dv_dataset *ds, const char *code, size_t len)
{
    size_t lo = 0, hi = ds->n_items;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const char *c = ds->items[mid].code;
        int r = strncmp(c, code, len);
        if (!r && c[len]) r = 1;
        if (!r) return (uint32_t)mid;
        if (r < 0) lo = mid + 1;
        else hi = mid;
    }
    return DV_NONE;
}

uint32_t dv_item_lookup(const dv_dataset *ds, const char *code)
{
    for (size_t len = strlen(code); len > 0; len--) {
        uint32_t i = item_exact(ds, code, len);
        if (i != DV_NONE) return i;
    }
    return DV_NONE;
}

/* ---- derived attributes ---- */

static bool ascii_alnum_at(const char *s, size_t len, size_t i)
{
    return i < len && (unsigned char)s[i] < 128 && isalnum((unsigned char)s[i]);
}

/* Upper-case ASCII, keep other bytes (UTF-8 letters), and turn ASCII
 * punctuation and space into separators; the tokens, joined by one space,
 * go to out. Single letters joined by dots are one token, so "P.O. Box 7"
 * is PO BOX 7. */
size_t dv_address_key(const char *s, size_t len, char *out, size_t cap)
{
    size_t n = 0, i = 0;
    char tok[256];
    while (i < len) {
        size_t t = 0, seg = 0;
        while (i < len) {
            unsigned char c = (unsigned char)s[i];
            if (c == '.' && seg == 1 && ascii_alnum_at(s, len, i + 1) &&
                !ascii_alnum_at(s, len, i + 2)) {
                i++, seg = 0; /* "L.L": the dot joins two single letters */
                continue;
            }
            if (c < 128 && !isalnum(c)) break;
            if (t < sizeof tok - 1) tok[t++] = (char)(c < 128 ? toupper(c) : c);
            seg++;
            i++;
        }
        if (t && n + t + 2 <= cap) {
            if (n) out[n++] = ' ';
            memcpy(out + n, tok, t);
            n += t;
        }
        /* separators (punctuation, white space) end the token; "A.B.C."
         * gives three one-letter tokens */
        while (i < len && (unsigned char)s[i] < 128 && !isalnum((unsigned char)s[i])) i++;
    }
    if (cap) out[n < cap ? n : cap - 1] = '\0';
    return n;
}

static void note_country(char (**list)[3], size_t *n, const char code[3])
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp((*list)[i], code)) return;
    size_t cap = *n;
    dv_grow((void **)list, &cap, *n + 1, sizeof **list);
    memcpy((*list)[*n], code, 3);
    (*n)++;
}

static int cmp_code(const void *a, const void *b) { return strcmp(a, b); }

static void derive(dv_dataset *ds)
{
    char buf[1024];
    for (size_t i = 0; i < ds->n_entities; i++) {
        dv_entity *e = &ds->entities[i];
        e->country_idx = dv_country_find(ds, e->country);
        if (e->country_idx == DV_NONE) {
            note_country(&ds->absent_countries, &ds->n_absent, e->country);
        } else {
            const dv_country *c = &ds->countries[e->country_idx];
            if (isnan(c->rule_of_law) || isnan(c->data_protection) || isnan(c->civil_liberties))
                note_country(&ds->incomplete_countries, &ds->n_incomplete, c->code);
        }
        /* a hash, not an interned key: a million addresses, nearly all
         * different, would fill the string table for a comparison made
         * only along flagged chains */
        size_t n;
        if (e->address && (n = dv_address_key(e->address, strlen(e->address), buf, sizeof buf)))
            e->address_hash = dv_hash_fast(buf, n) | 1;
    }
    dv_qsort(ds->absent_countries, ds->n_absent, 3, cmp_code);
    dv_qsort(ds->incomplete_countries, ds->n_incomplete, 3, cmp_code);
    /* item entries, licences and the end users licences name were found
     * while the shipments loaded; each party's first trade is kept in an
     * array of its own, small enough to stay in cache over ten million
     * shipments */
    int32_t *first = dv_xmalloc((ds->n_entities ? ds->n_entities : 1) * sizeof *first);
    for (size_t i = 0; i < ds->n_entities; i++) first[i] = INT32_MAX;
    for (size_t i = 0; i < ds->n_shipments; i++) {
        const dv_shipment *s = &ds->shipments[i];
        /* a licence number on the papers that the register lacks is a
         * question for the reviewer: counted for the summary */
        if (s->licence_id && !s->licence_known) ds->n_unknown_licence_refs++;
        if (s->date < first[s->shipper]) first[s->shipper] = s->date;
        if (s->date < first[s->consignee]) first[s->consignee] = s->date;
    }
    for (size_t i = 0; i < ds->n_entities; i++)
        ds->entities[i].first_trade = first[i] == INT32_MAX ? DV_NO_DATE : first[i];
    free(first);
}

static int cmp_reject(const void *a, const void *b)
{
    const dv_reject *x = a, *y = b;
    int c = strcmp(x->table, y->table);
    if (c) return c;
    if (x->line != y->line) return (x->line > y->line) - (x->line < y->line);
    c = strcmp(x->column, y->column);
    if (c) return c;
    return strcmp(x->detail, y->detail);
}

int dv_dataset_load(dv_dataset *ds, const char *dir, const dv_load_options *opt, dv_error *err)
{
    memset(ds, 0, sizeof *ds);
    ds->strings.arena = &ds->arena;
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/') dl--;
    ds->dir = dv_xstrndup(dir, dl);
    struct stat st;
    if (stat(ds->dir, &st) != 0)
        return dv_fail(err, DV_EXIT_INPUT, "%s: cannot open the dataset: %s", ds->dir, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return dv_fail(err, DV_EXIT_INPUT, "%s: is not a directory (a dataset is a directory of tables)",
                       ds->dir);
    /* entities before everything that refers to them */
    for (size_t i = 0; i < sizeof load_order / sizeof load_order[0]; i++) {
        const table_load *t = &load_order[i];
        if (t->def == &dv_shipments_def && opt->no_shipments) continue;
        int rc = t->def == &dv_watchlist_def ? dv_load_lists(ds, opt, err) : load_one(ds, opt, t, err);
        if (rc) return rc;
    }
    int rc = dv_fill_records(ds, opt, err);
    if (rc) return rc;
    dv_qsort(ds->rejects, ds->n_rejects, sizeof *ds->rejects, cmp_reject);
    derive(ds);
    /* a shard of `divert shard`: the parties' first trades over the whole dataset */
    return dv_shard_apply_first_trades(ds, opt, err);
}

void dv_dataset_free(dv_dataset *ds)
{
    if (!ds) return;
    for (size_t i = 0; i < ds->n_rejects; i++) {
        free(ds->rejects[i].detail);
        free(ds->rejects[i].record);
    }
    for (int t = 0; t < DV_T_COUNT; t++) {
        for (size_t i = 0; i < ds->tables[t].n_unknown; i++) free(ds->tables[t].unknown_columns[i]);
        free(ds->tables[t].unknown_columns);
    }
    free(ds->rejects);
    free(ds->entities);
    free(ds->shipments);
    free(ds->items);
    free(ds->countries);
    free(ds->licences);
    free(ds->watchlist);
    free(ds->lists);
    free(ds->absent_countries);
    free(ds->incomplete_countries);
    free(ds->dir);
    dv_map_free(&ds->entity_by_id);
    dv_map_free(&ds->licence_by_id);
    dv_intern_free(&ds->strings);
    dv_arena_free(&ds->arena);
    memset(ds, 0, sizeof *ds);
}
