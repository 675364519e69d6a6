/*
 * lists.c: the watchlist files of a dataset and their formats.
 *
 * A dataset may hold several lists: watchlist.csv and any watchlist*.csv
 * (or .csv.gz), read in name order into one watchlist table, then OFAC's
 * legacy files by OFAC's own names (sdn.csv, alt.csv, add.csv). A
 * watchlist* file's format is told by its header:
 *
 * - the SPEC's (name, id, aliases, country, source);
 * - OpenSanctions' targets.simple.csv ("schema" column): aliases and
 *   countries are CSV within CSV, and only parties (Company,
 *   Organization, LegalEntity, Person) are screened;
 * - the US Consolidated Screening List ("alt_names" column): vessels and
 *   aircraft are not parties, and a name's "; and any successor ..."
 *   boilerplate is cut;
 * - UK OFSI's ConList.csv ("Group ID"): Windows-1252, a title line above
 *   the header, a name in six parts on each row, the rows of one party
 *   joined by their Group ID; ships are not parties;
 * - the UK Sanctions List ("Unique ID"), which replaced OFSI's in 2026:
 *   UTF-8, a "Report Date:" line above the header, names in six parts as
 *   OFSI's, the rows of one party joined by their Unique ID; ships are not
 *   parties;
 * - the EU's consolidated financial sanctions file ("Entity_LogicalId",
 *   fields apart at ';'): the rows of one party joined by its logical id.
 *
 * OFAC's sdn.csv has no header: its fields are found by position, and its
 * alt.csv (other names) and add.csv (addresses, for their countries) join
 * its entries by ent_num.
 *
 * Rows that are not parties (vessels, aircraft) are skipped, not rejected
 * (dv_loader_skip); rows that give another name of a party met on an
 * earlier row are joined to its entry (dv_loader_joined, finish_groups).
 * All formats share one column enum, so one parser reads them all.
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
#include "divert/listtext.h"
#include "divert/screen.h"

/* The columns of every list format, one enum: a format uses those it has. */
enum {
    W_NAME,       /* the name (OFSI: Name 6, the surname or the entity's name) */
    W_ID,
    W_ALIASES,
    W_COUNTRY,    /* codes, or (OFSI) nationalities by name */
    W_SOURCE,
    W_KIND,       /* what the row is: only parties are screened */
    W_PLACES,     /* CSL: addresses */
    W_PART1,      /* OFSI: Name 1 to Name 5, the given names, before Name 6 */
    W_PART2,
    W_PART3,
    W_PART4,
    W_PART5,
    W_GROUP,      /* the key that joins the rows of one party (OFSI, EU) */
    W_NAME_TYPE,  /* OFSI: the primary name or an alias */
    W_COUNTRY2,   /* an address's country (OFSI: by name; EU: a code) */
    W_SCRIPT,     /* OFSI: the name in its own script, another name of the party */
    W_KIND2,      /* the UK Sanctions List: what the row is, under the column's other name */
    W_COUNT
};
_Static_assert(W_COUNT <= DV_MAX_COLS, "a list format has more columns than a loader holds");
static const dv_col_spec spec_cols[W_COUNT] = {
    [W_NAME] = {"name", true},        [W_ID] = {"id", false},
    [W_ALIASES] = {"aliases", false}, [W_COUNTRY] = {"country", false},
    [W_SOURCE] = {"source", false}};
/* W_KIND: schema */
static const dv_col_spec opensanctions_cols[W_COUNT] = {
    [W_NAME] = {"name", true},        [W_ID] = {"id", false},
    [W_ALIASES] = {"aliases", false}, [W_COUNTRY] = {"countries", false},
    [W_SOURCE] = {"dataset", false},  [W_KIND] = {"schema", true}};
/* W_KIND: type; W_PLACES: addresses, whose last element is a country code */
static const dv_col_spec csl_cols[W_COUNT] = {
    [W_NAME] = {"name", true},         [W_ID] = {"_id", false},
    [W_ALIASES] = {"alt_names", false}, [W_COUNTRY] = {"nationalities", false},
    [W_SOURCE] = {"source", false},    [W_KIND] = {"type", false},
    [W_PLACES] = {"addresses", false}};
/* HM Treasury OFSI's ConList.csv: one row a name, rows of one party share
 * a Group ID; countries by name */
static const dv_col_spec ofsi_cols[W_COUNT] = {
    [W_NAME] = {"Name 6", true},          [W_PART1] = {"Name 1", false},
    [W_PART2] = {"Name 2", false},        [W_PART3] = {"Name 3", false},
    [W_PART4] = {"Name 4", false},        [W_PART5] = {"Name 5", false},
    [W_GROUP] = {"Group ID", true},       [W_NAME_TYPE] = {"Alias Type", false},
    [W_KIND] = {"Group Type", false},     [W_COUNTRY] = {"Nationality", false},
    [W_COUNTRY2] = {"Country", false},    [W_SOURCE] = {"Regime", false},
    [W_SCRIPT] = {"Name Non-Latin Script", false}};
/* the UK Sanctions List (the FCDO's UK-Sanctions-List.csv, which replaced
 * OFSI's list when that closed on 28 January 2026): one row a name, the
 * rows of one party share a Unique ID; the name in six parts as OFSI's;
 * "Designation Type" (Individual, Entity, Ship), in some copies headed
 * "Individual, Entity, Ship"; countries by name */
static const dv_col_spec uksl_cols[W_COUNT] = {
    [W_NAME] = {"Name 6", true},          [W_PART1] = {"Name 1", false},
    [W_PART2] = {"Name 2", false},        [W_PART3] = {"Name 3", false},
    [W_PART4] = {"Name 4", false},        [W_PART5] = {"Name 5", false},
    [W_GROUP] = {"Unique ID", true},      [W_NAME_TYPE] = {"Name type", false},
    [W_KIND] = {"Designation Type", false}, [W_KIND2] = {"Individual, Entity, Ship", false},
    [W_COUNTRY] = {"Nationality(/ies)", false}, [W_COUNTRY2] = {"Address Country", false},
    [W_SOURCE] = {"Regime Name", false},  [W_SCRIPT] = {"Name non-latin script", false}};
/* the EU's consolidated financial sanctions file (CSV, ';'): one row a
 * name (and address, birth date ...), rows of one party share
 * Entity_LogicalId; countries as codes */
static const dv_col_spec eu_cols[W_COUNT] = {
    [W_NAME] = {"NameAlias_WholeName", true},
    [W_GROUP] = {"Entity_LogicalId", true},
    [W_ID] = {"Entity_EU_ReferenceNumber", false},
    [W_KIND] = {"Entity_SubjectType_ClassificationCode", false},
    [W_SOURCE] = {"Entity_Regulation_Programme", false},
    [W_COUNTRY] = {"Citizenship_CountryIso2Code", false},
    [W_COUNTRY2] = {"Address_CountryIso2Code", false}};
/* OFAC's legacy sdn.csv, without a header: the names are for messages,
 * the positions below say where each field is */
static const dv_col_spec sdn_cols[W_COUNT] = {
    [W_ID] = {"ent_num", true},   [W_NAME] = {"SDN_Name", true},
    [W_KIND] = {"SDN_Type", false}, [W_SOURCE] = {"Program", false}};
static const int sdn_positions[W_COUNT] = {
    [W_ID] = 0, [W_NAME] = 1, [W_KIND] = 2, [W_SOURCE] = 3, [W_ALIASES] = -1,
    [W_COUNTRY] = -1, [W_PLACES] = -1, [W_PART1] = -1, [W_PART2] = -1, [W_PART3] = -1,
    [W_PART4] = -1, [W_PART5] = -1, [W_GROUP] = -1, [W_NAME_TYPE] = -1, [W_COUNTRY2] = -1, [W_SCRIPT] = -1,
    [W_KIND2] = -1};
/* alt.csv: ent_num, alt_num, alt_type, alt_name, alt_remarks */
static const dv_col_spec alt_cols[W_COUNT] = {
    [W_GROUP] = {"ent_num", true}, [W_NAME] = {"alt_name", true}, [W_KIND] = {"alt_type", false}};
static const int alt_positions[W_COUNT] = {
    [W_GROUP] = 0, [W_KIND] = 2, [W_NAME] = 3, [W_ID] = -1, [W_ALIASES] = -1, [W_COUNTRY] = -1,
    [W_SOURCE] = -1, [W_PLACES] = -1, [W_PART1] = -1, [W_PART2] = -1, [W_PART3] = -1,
    [W_PART4] = -1, [W_PART5] = -1, [W_NAME_TYPE] = -1, [W_COUNTRY2] = -1, [W_SCRIPT] = -1,
    [W_KIND2] = -1};
/* add.csv: ent_num, add_num, address, city, country, add_remarks */
static const dv_col_spec add_cols[W_COUNT] = {
    [W_GROUP] = {"ent_num", true}, [W_COUNTRY2] = {"Country", false}};
static const int add_positions[W_COUNT] = {
    [W_GROUP] = 0, [W_COUNTRY2] = 4, [W_ID] = -1, [W_NAME] = -1, [W_ALIASES] = -1,
    [W_COUNTRY] = -1, [W_SOURCE] = -1, [W_KIND] = -1, [W_PLACES] = -1, [W_PART1] = -1,
    [W_PART2] = -1, [W_PART3] = -1, [W_PART4] = -1, [W_PART5] = -1, [W_NAME_TYPE] = -1, [W_SCRIPT] = -1,
    [W_KIND2] = -1};

/* The formats told by a header, by a column only they have; the first
 * that matches. A file with none of these columns is in the SPEC's. */
static const struct header_format {
    const char *column;
    const char *name;
    const dv_col_spec *cols;
    bool windows_1252;
} header_formats[] = {
    {"schema", "opensanctions", opensanctions_cols, false},
    {"alt_names", "csl", csl_cols, false},
    {"Group ID", "ofsi", ofsi_cols, true},
    {"Unique ID", "uksl", uksl_cols, false},
    {"Entity_LogicalId", "eu", eu_cols, false},
};

static void format_of(const dv_csv_row *header, dv_format *f)
{
    /* OFSI's download opens with "Last Updated,DD/MM/YYYY" above the
     * header, the UK Sanctions List's with "Report Date: DD-Mon-YYYY" */
    if (header->nfields && header->nfields <= 2) {
        size_t len = header->lens[0];
        const char *h = dv_trim(header->fields[0], &len);
        if (dv_ieq(h, len, "Last Updated") || (len >= 12 && !strncasecmp(h, "Report Date:", 12))) {
            f->title_line = true;
            return;
        }
    }
    f->cols = spec_cols;
    f->n_cols = W_COUNT;
    f->name = "spec";
    for (size_t k = 0; k < sizeof header_formats / sizeof header_formats[0]; k++)
        for (size_t i = 0; i < header->nfields; i++) {
            size_t len = header->lens[i];
            const char *h = dv_trim(header->fields[i], &len);
            if (!dv_ieq(h, len, header_formats[k].column)) continue;
            f->cols = header_formats[k].cols;
            f->name = header_formats[k].name;
            f->windows_1252 = header_formats[k].windows_1252;
            return;
        }
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

/* ---- the rows of one party (OFSI, EU, OFAC's alt.csv and add.csv) ---- */

/* A name or countries a row gives to a record made from an earlier row. */
typedef struct extra {
    uint32_t rec;                 /* watchlist row */
    uint32_t seq;                 /* in file order */
    const char *name;             /* interned, or NULL */
    bool primary;                 /* the list's primary name of the party */
    const char *codes;            /* interned country codes, or NULL */
} extra;

/* A parser's state across the rows of one file (dv_loader.scratch). */
typedef struct groups {
    dv_map by_key;                /* group key (Group ID, ent_num) -> watchlist row,
                                     or DV_NONE for a party skipped or rejected */
    size_t first;                 /* the file's first record */
    bool *primary;                /* by record - first: its own name is primary */
    uint32_t *names;              /* by record - first: its distinct names */
    size_t cap_rec;
    dv_map seen;                  /* (record, name) pairs met, for the count */
    extra *extras;
    size_t n_extras, cap_extras;
    const char *main_label;       /* alt.csv and add.csv: their sdn.csv's label */
} groups;

static void groups_free(void *p)
{
    groups *g = p;
    if (!g) return;
    dv_map_free(&g->by_key);
    dv_map_free(&g->seen);
    free(g->primary);
    free(g->names);
    free(g->extras);
    free(g);
}

static groups *groups_of(dv_loader *L)
{
    if (!L->scratch) {
        groups *g = dv_xcalloc(1, sizeof *g);
        g->first = L->ds->n_watch;
        L->scratch = g;
        L->free_scratch = groups_free;
    }
    return L->scratch;
}

/* The record index's slot in the per-record arrays. */
static size_t rec_slot(groups *g, uint32_t rec)
{
    size_t k = rec - g->first;
    if (k >= g->cap_rec) {
        size_t old = g->cap_rec;
        size_t cap = old;
        dv_grow((void **)&g->primary, &cap, k + 1, sizeof *g->primary);
        cap = old;
        dv_grow((void **)&g->names, &cap, k + 1, sizeof *g->names);
        g->cap_rec = cap;
        memset(g->primary + old, 0, (cap - old) * sizeof *g->primary);
        memset(g->names + old, 0, (cap - old) * sizeof *g->names);
    }
    return k;
}

/* Whether the record has met this name before; counts it if not. */
static bool name_seen(dv_loader *L, groups *g, uint32_t rec, const char *name)
{
    char key[4 + sizeof name];
    memcpy(key, &rec, 4);
    memcpy(key + 4, &name, sizeof name);
    const char *kept;
    uint32_t found;
    return dv_map_get_or_put(&g->seen, key, sizeof key, 0, &L->ds->arena, &kept, &found);
}

static void push_extra(groups *g, uint32_t rec, const char *name, bool primary, const char *codes)
{
    extra x = {rec, (uint32_t)g->n_extras, name, primary, codes};
    DV_PUSH(g->extras, g->n_extras, g->cap_extras, x);
}

static int cmp_extra(const void *a, const void *b)
{
    const extra *x = a, *y = b;
    if (x->rec != y->rec) return x->rec < y->rec ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* The names and countries the later rows of each party gave, into its
 * record: its name is its first primary name (its first name when none
 * is primary), every other name once an alias, its countries all of
 * theirs. */
static int finish_groups(dv_loader *L, dv_error *err)
{
    (void)err;
    groups *g = L->scratch;
    if (!g || !g->n_extras) return 0;
    dv_dataset *ds = L->ds;
    dv_qsort(g->extras, g->n_extras, sizeof *g->extras, cmp_extra);
    const char **names = NULL;
    size_t cap = 0;
    for (size_t a = 0; a < g->n_extras;) {
        size_t b = a;
        while (b < g->n_extras && g->extras[b].rec == g->extras[a].rec) b++;
        dv_watch *w = &ds->watchlist[g->extras[a].rec];
        bool own_primary = g->extras[a].rec >= g->first && g->extras[a].rec - g->first < g->cap_rec &&
                           g->primary[g->extras[a].rec - g->first];
        /* the names in file order: the record's own, its aliases, the rows' */
        size_t n = 0;
        DV_PUSH(names, n, cap, w->name);
        for (uint32_t k = 0; k < w->naliases; k++) DV_PUSH(names, n, cap, w->aliases[k]);
        const char *name = w->name;
        bool have_primary = own_primary;
        char codes[64];
        size_t nc = w->country ? strlen(w->country) : 0;
        if (nc >= sizeof codes) nc = 0;
        if (nc) memcpy(codes, w->country, nc);
        for (size_t x = a; x < b; x++) {
            const extra *e = &g->extras[x];
            if (e->name) {
                DV_PUSH(names, n, cap, e->name);
                if (e->primary && !have_primary) name = e->name, have_primary = true;
            }
            if (e->codes) {
                char merged[130];
                size_t m = nc;
                memcpy(merged, codes, nc);
                if (m) merged[m++] = ';';
                size_t cl = strlen(e->codes);
                if (m + cl < sizeof merged) {
                    memcpy(merged + m, e->codes, cl);
                    dv_field all = {merged, m + cl, 0};
                    nc = dv_list_country_codes(all, codes);
                }
            }
        }
        size_t na = 0;
        const char **aliases = dv_arena_alloc(&ds->arena, n * sizeof *aliases);
        for (size_t i = 0; i < n; i++) {
            bool dup = names[i] == name; /* interned: one pointer a string */
            for (size_t j = 0; j < na && !dup; j++) dup = aliases[j] == names[i];
            if (!dup) aliases[na++] = names[i];
        }
        w->name = name;
        w->aliases = na ? aliases : NULL;
        w->naliases = (uint32_t)na;
        w->country = nc ? dv_intern_str(&ds->strings, codes, nc) : NULL;
        a = b;
    }
    free(names);
    return 0;
}

/* ---- the row parsers ---- */

/* A field of OFAC's legacy files: "-0-" is their empty value. */
static dv_field sdn_get(const dv_loader *L, const dv_csv_row *row, int col)
{
    dv_field f = dv_loader_get(L, row, col);
    if (f.len == 3 && !memcmp(f.s, "-0-", 3)) f.len = 0;
    return f;
}

static bool all_digits(dv_field f)
{
    for (size_t i = 0; i < f.len; i++)
        if (!isdigit((unsigned char)f.s[i])) return false;
    return f.len > 0;
}

/* Make a record of the row's party (the fields already checked). */
static dv_watch *new_record(dv_loader *L, const dv_csv_row *row, const char *name, dv_field id,
                            const char *codes, size_t nc, dv_field source)
{
    dv_watch *w = dv_loader_next(L);
    *w = (dv_watch){0};
    w->name = name;
    w->id = dv_loader_intern(L, id);
    w->country = nc ? dv_intern_str(&L->ds->strings, codes, nc) : NULL;
    w->source = dv_loader_intern(L, source);
    w->list = L->label;
    w->line = row->line;
    return w;
}

/* One row of a list whose rows are names of parties joined by a key
 * (OFSI, EU): a new party's record, or another name of one met before. */
static int parse_grouped(dv_loader *L, const dv_csv_row *row)
{
    dv_dataset *ds = L->ds;
    groups *g = groups_of(L);
    /* the UK's lists (OFSI's, and the UK Sanctions List that replaced it):
     * names in six parts, a row's kind, primary names; else the EU's */
    bool uksl = L->cols == uksl_cols, uk = L->cols == ofsi_cols || uksl;
    dv_field key = dv_loader_get(L, row, W_GROUP);
    if (!dv_need(L, row, W_GROUP, key)) return 0;
    dv_field kind = dv_loader_get(L, row, W_KIND);
    if (uksl && !kind.len) kind = dv_loader_get(L, row, W_KIND2);
    if (uk ? dv_ieq(kind.s, kind.len, "Ship")
           : kind.len && !dv_ieq(kind.s, kind.len, "person") &&
                 !dv_ieq(kind.s, kind.len, "enterprise") && !dv_ieq(kind.s, kind.len, "P") &&
                 !dv_ieq(kind.s, kind.len, "E"))
        return dv_loader_skip(L, uksl ? "ships are not parties (Designation Type Ship)"
                                 : uk ? "ships are not parties (Group Type Ship)"
                                      : "not a person or an enterprise (vessels and others)");
    /* the name: OFSI's in six parts, given names first (Name 1 to 5), then
     * Name 6, the surname or the entity's name */
    dv_buf nb = {0};
    if (uk) {
        static const int parts[] = {W_PART1, W_PART2, W_PART3, W_PART4, W_PART5, W_NAME};
        for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++) {
            dv_field f = dv_loader_get(L, row, parts[k]);
            if (!f.len) continue;
            if (nb.len) dv_buf_add(&nb, " ", 1);
            dv_buf_add(&nb, f.s, f.len);
        }
        if (!nb.len) {
            dv_buf_free(&nb);
            return dv_loader_reject(L, row, DV_COL(L, W_NAME), "missing_value",
                                    "Name 1 to Name 6 are all empty");
        }
    } else {
        dv_field f = dv_loader_get(L, row, W_NAME);
        dv_buf_add(&nb, f.s, f.len);
    }
    const char *name = nb.len ? dv_intern_str(&ds->strings, nb.data, nb.len) : NULL;
    dv_buf_free(&nb);
    dv_field script = dv_loader_get(L, row, W_SCRIPT);
    const char *script_name = script.len ? dv_loader_intern(L, script) : NULL;
    dv_field type = dv_loader_get(L, row, W_NAME_TYPE);
    /* OFSI: "Prime Alias" (the UK list's "Primary name"); an EU row has no
     * such mark, and its party's first row gives the name */
    bool primary = uk && (dv_ieq(type.s, type.len, "Prime Alias") ||
                            dv_ieq(type.s, type.len, "Primary name"));
    char codes[64];
    size_t nc;
    if (uk) {
        nc = dv_list_add_country_names(ds, dv_loader_get(L, row, W_COUNTRY), codes, 0);
        nc = dv_list_add_country_names(ds, dv_loader_get(L, row, W_COUNTRY2), codes, nc);
    } else {
        dv_field c1 = dv_loader_get(L, row, W_COUNTRY), c2 = dv_loader_get(L, row, W_COUNTRY2);
        char both[64];
        size_t bl = 0;
        if (c1.len && c1.len < 30) memcpy(both, c1.s, c1.len), bl = c1.len;
        if (c2.len && c2.len < 30) {
            if (bl) both[bl++] = ';';
            memcpy(both + bl, c2.s, c2.len);
            bl += c2.len;
        }
        dv_field f = {both, bl, 0};
        nc = dv_list_country_codes(f, codes);
    }
    const char *kept;
    uint32_t rec;
    uint32_t next = (uint32_t)ds->n_watch;
    bool known = dv_map_get(&g->by_key, key.s, key.len, &rec);
    /* an EU row without a name (another address of a party) adds to a
     * party met before; a party's first row must name it */
    if (!name && (!known || uk)) return dv_missing(L, row, W_NAME);
    if (!known) {
        dv_map_get_or_put(&g->by_key, key.s, key.len, next, &ds->arena, &kept, &rec);
        dv_field id = uk ? key : dv_loader_get(L, row, W_ID);
        if (!id.len) id = key;
        new_record(L, row, name, id, codes, nc, dv_loader_get(L, row, W_SOURCE));
        size_t k = rec_slot(g, next);
        g->primary[k] = primary;
        g->names[k] = 1;
        name_seen(L, g, next, name);
        if (script_name && !name_seen(L, g, next, script_name)) {
            g->names[k]++;
            push_extra(g, next, script_name, false, NULL);
        }
        dv_loader_keep(L, row, NULL);
        return 0;
    }
    /* another name of the party (or two: OFSI's in its own script); every
     * alias is a name to screen, so a party's work is bounded as a row's is */
    size_t k = rec_slot(g, rec);
    const char *names[2] = {name, script_name};
    bool fresh[2] = {false, false};
    uint32_t more = 0;
    for (int i = 0; i < 2; i++)
        if (names[i]) more += fresh[i] = !name_seen(L, g, rec, names[i]);
    if (more && g->names[k] + more > DV_SCREEN_MAX_ALIASES + 1)
        return dv_loader_reject(L, row, DV_COL(L, W_NAME), "too_many_aliases",
                                "%s \"%.*s\" has more than the %d aliases a party may have",
                                DV_COL(L, W_GROUP), DV_SHOWN(key), DV_SCREEN_MAX_ALIASES);
    g->names[k] += more;
    push_extra(g, rec, name && (fresh[0] || primary) ? name : NULL, primary,
               nc ? dv_intern_str(&ds->strings, codes, nc) : NULL);
    if (fresh[1]) push_extra(g, rec, script_name, false, NULL);
    dv_loader_joined(L);
    return 0;
}

/* What the files of one list share while they load (dv_load_options'
 * parser_ctx): the ent_nums of the sdn.csv rows skipped as vessels and
 * aircraft, whose alt.csv and add.csv rows are skipped too. */
typedef struct list_ctx {
    dv_map skipped;
} list_ctx;

/* One row of OFAC's sdn.csv: ent_num, SDN_Name, SDN_Type, Program, and
 * eight more fields that are not names. */
static int parse_sdn(dv_loader *L, const dv_csv_row *row)
{
    dv_dataset *ds = L->ds;
    groups *g = groups_of(L);
    list_ctx *ctx = L->opt->parser_ctx;
    dv_field id = sdn_get(L, row, W_ID), name = sdn_get(L, row, W_NAME);
    if (!all_digits(id))
        return dv_loader_reject(L, row, DV_COL(L, W_ID), "bad_ent_num",
                                "ent_num \"%.*s\" is not a number", DV_SHOWN(id));
    const char *kept;
    uint32_t other;
    dv_field kind = sdn_get(L, row, W_KIND);
    bool party = !dv_ieq(kind.s, kind.len, "vessel") && !dv_ieq(kind.s, kind.len, "aircraft");
    if (dv_map_get_or_put(&g->by_key, id.s, id.len, 0, &ds->arena, &kept, &other))
        return dv_loader_reject(L, row, DV_COL(L, W_ID), "duplicate_id",
                                "ent_num %.*s is on an earlier line too", DV_SHOWN(id));
    if (!party) {
        if (ctx) dv_map_put(&ctx->skipped, kept, 0, &other);
        return dv_loader_skip(L, "vessels and aircraft are not parties (SDN_Type)");
    }
    if (!name.len) return dv_missing(L, row, W_NAME);
    /* "SDGT] [IFSR": the programmes, written as if inside brackets */
    dv_buf src = {0};
    dv_field prog = sdn_get(L, row, W_SOURCE);
    dv_buf_printf(&src, "OFAC SDN%s%.*s%s", prog.len ? " [" : "", (int)prog.len, prog.s,
                  prog.len ? "]" : "");
    dv_field source = {src.data, src.len, 0};
    new_record(L, row, dv_loader_intern(L, name), id, NULL, 0, source);
    dv_buf_free(&src);
    dv_loader_keep(L, row, NULL);
    return 0;
}

static const char *main_label_of(const dv_loader *L);

/* One row of OFAC's alt.csv (another name of an SDN entry) or add.csv
 * (one of its addresses, whose country is the entry's too). */
static int parse_joined(dv_loader *L, const dv_csv_row *row)
{
    dv_dataset *ds = L->ds;
    groups *g = groups_of(L);
    list_ctx *ctx = L->opt->parser_ctx;
    if (!g->main_label) { /* the sdn.csv's entries by ent_num, once */
        g->main_label = main_label_of(L);
        g->first = 0;
        for (size_t i = 0; i < ds->n_watch; i++) {
            const dv_watch *w = &ds->watchlist[i];
            uint32_t old;
            if (w->list == g->main_label && w->id) dv_map_put(&g->by_key, w->id, (uint32_t)i, &old);
        }
    }
    dv_field id = sdn_get(L, row, W_GROUP);
    if (!all_digits(id))
        return dv_loader_reject(L, row, DV_COL(L, W_GROUP), "bad_ent_num",
                                "ent_num \"%.*s\" is not a number", DV_SHOWN(id));
    uint32_t rec;
    if (!dv_map_get(&g->by_key, id.s, id.len, &rec)) {
        if (ctx && dv_map_get(&ctx->skipped, id.s, id.len, &rec))
            return dv_loader_skip(L, "rows of vessels and aircraft skipped in sdn.csv");
        return dv_loader_reject(L, row, DV_COL(L, W_GROUP), "unknown_entry",
                                "ent_num %.*s is not an entry of %s.csv (or was rejected there)",
                                DV_SHOWN(id), g->main_label);
    }
    if (L->cols == alt_cols) {
        dv_field name = sdn_get(L, row, W_NAME);
        if (!name.len) return dv_missing(L, row, W_NAME);
        const char *nm = dv_loader_intern(L, name);
        size_t k = rec_slot(g, rec);
        if (!g->names[k]) g->names[k] = 1; /* the entry's own name */
        if (!name_seen(L, g, rec, nm)) {
            /* every alias is a name to screen: an entry's work is bounded */
            if (g->names[k] > DV_SCREEN_MAX_ALIASES)
                return dv_loader_reject(L, row, DV_COL(L, W_NAME), "too_many_aliases",
                                        "ent_num %.*s has more than the %d aliases an entry may "
                                        "have",
                                        DV_SHOWN(id), DV_SCREEN_MAX_ALIASES);
            g->names[k]++;
            push_extra(g, rec, nm, false, NULL);
        }
    } else {
        char codes[64];
        size_t nc = dv_list_add_country_names(ds, sdn_get(L, row, W_COUNTRY2), codes, 0);
        if (nc) push_extra(g, rec, NULL, false, dv_intern_str(&ds->strings, codes, nc));
    }
    dv_loader_joined(L);
    return 0;
}

static int parse_row(dv_loader *L, const dv_csv_row *row)
{
    dv_dataset *ds = L->ds;
    if (L->cols == ofsi_cols || L->cols == uksl_cols || L->cols == eu_cols)
        return parse_grouped(L, row);
    if (L->cols == sdn_cols) return parse_sdn(L, row);
    if (L->cols == alt_cols || L->cols == add_cols) return parse_joined(L, row);
    dv_field name = dv_loader_get(L, row, W_NAME);
    if (!dv_need(L, row, W_NAME, name)) return 0;
    dv_field country = dv_loader_get(L, row, W_COUNTRY);
    if (L->cols == opensanctions_cols) {
        /* only parties apply to entities: not vessels, aircraft, securities */
        dv_field schema = dv_loader_get(L, row, W_KIND);
        if (!dv_ieq(schema.s, schema.len, "Company") && !dv_ieq(schema.s, schema.len, "Organization") &&
            !dv_ieq(schema.s, schema.len, "LegalEntity") && !dv_ieq(schema.s, schema.len, "Person"))
            return dv_loader_skip(L, "schema not a party (not Company, Organization, LegalEntity "
                                     "or Person: vessels, aircraft, securities)");
    } else if (L->cols == csl_cols) {
        dv_field kind = dv_loader_get(L, row, W_KIND);
        if (dv_ieq(kind.s, kind.len, "Vessel") || dv_ieq(kind.s, kind.len, "Aircraft"))
            return dv_loader_skip(L, "vessels and aircraft are not parties (type)");
        /* "Sinobright Import and Export Company; and any successor, ..." */
        const char *tail = NULL;
        for (size_t i = 0; i + 12 <= name.len && !tail; i++)
            if (!strncasecmp(name.s + i, "; and any ", 10)) tail = name.s + i;
        if (tail) name.len = (size_t)(tail - name.s);
        if (!dv_list_first_of(country).len) country = dv_list_address_country(dv_loader_get(L, row, W_PLACES));
    }
    char codes[64];
    size_t nc = dv_list_country_codes(country, codes);
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

static int parse_watch(dv_loader *L, const dv_csv_row *row)
{
    dv_conv_row c;
    if (!L->windows_1252 || !dv_list_row_to_utf8(row, &c)) return parse_row(L, row);
    int rc = parse_row(L, &c.row);
    dv_conv_row_free(&c);
    return rc;
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
    .n_cols = W_COUNT,
    .parse = parse_watch,
    .row_size = sizeof(dv_watch),
    .rows_offset = offsetof(dv_dataset, watchlist),
    .count_offset = offsetof(dv_dataset, n_watch),
    .cmp = cmp_watch,
    .unique_key = false,
    .format_of = format_of,
    .finish = finish_groups,
};

/* ---- OFAC's legacy files: no header, fixed names ---- */

static void sdn_format(const dv_csv_row *first, dv_format *f)
{
    (void)first;
    *f = (dv_format){sdn_cols, W_COUNT, "ofac-sdn", false, false, sdn_positions, 12};
}
static void alt_format(const dv_csv_row *first, dv_format *f)
{
    (void)first;
    *f = (dv_format){alt_cols, W_COUNT, "ofac-alt", false, false, alt_positions, 5};
}
static void add_format(const dv_csv_row *first, dv_format *f)
{
    (void)first;
    *f = (dv_format){add_cols, W_COUNT, "ofac-add", false, false, add_positions, 6};
}

/* The watchlist table's descriptor with another way to read its files. */
#define OFAC_DEF(fmt)                                                                    \
    {.id = DV_T_WATCHLIST, .cols = spec_cols, .n_cols = W_COUNT, .parse = parse_watch,   \
     .row_size = sizeof(dv_watch), .rows_offset = offsetof(dv_dataset, watchlist),       \
     .count_offset = offsetof(dv_dataset, n_watch), .cmp = cmp_watch, .format_of = fmt, \
     .finish = finish_groups}
static const dv_table_def sdn_def = OFAC_DEF(sdn_format), alt_def = OFAC_DEF(alt_format),
                          add_def = OFAC_DEF(add_format);

/* OFAC's legacy lists, as OFAC names their files: the SDN list and the
 * consolidated (non-SDN) list, each a file of entries and two that join
 * it by ent_num, of their other names and their addresses. */
static const struct ofac_list {
    const char *main, *alt, *add;
} ofac_lists[] = {
    {"sdn", "alt", "add"},
    {"cons_prim", "cons_alt", "cons_add"},
};

static const char *main_label_of(const dv_loader *L)
{
    for (size_t k = 0; k < sizeof ofac_lists / sizeof ofac_lists[0]; k++)
        if (!strcmp(L->label, ofac_lists[k].alt) || !strcmp(L->label, ofac_lists[k].add))
            return dv_intern_str(&L->ds->strings, ofac_lists[k].main, strlen(ofac_lists[k].main));
    return "";
}

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- finding and loading the files ---- */

enum { SNIFFED = 1000 }; /* the sniffer's own status: the first row was read */

static int sniff_row(void *ctx, const dv_csv_row *row, dv_error *err)
{
    (void)err;
    bool *eu = ctx;
    for (size_t i = 0; row->nfields > 1 && i < row->nfields; i++) {
        size_t len = row->lens[i];
        const char *h = dv_trim(row->fields[i], &len);
        if (dv_ieq(h, len, "Entity_LogicalId")) *eu = true;
    }
    return SNIFFED;
}

/* Whether the file's first row, read with ';' between fields, is the EU
 * file's header: the only list format whose fields are apart at ';'. */
static bool semicolon_header(const char *path, const dv_load_options *opt)
{
    bool eu = false;
    dv_error err = {0, ""};
    dv_csv_options copt = {.max_field_bytes = opt->max_field_bytes,
                           .max_fields = opt->max_fields,
                           .delimiter = ';'};
    (void)dv_csv_read_file(path, path, &copt, sniff_row, &eu, &err);
    return eu;
}

/* Load one list file into the watchlist table and record it in
 * ds->lists. */
static int load_list_file(dv_dataset *ds, const dv_load_options *opt, const dv_table_def *def,
                          const char *path, const char *label, const char *note, dv_error *err)
{
    dv_table_info *info = &ds->tables[DV_T_WATCHLIST];
    long read0 = info->rows_read, loaded0 = (long)ds->n_watch, rejected0 = info->rows_rejected,
         skipped0 = info->rows_skipped, joined0 = info->rows_joined;
    info->skipped_why = NULL;
    dv_load_options o = *opt;
    if (def == &dv_watchlist_def && semicolon_header(path, opt)) o.delimiter = ';';
    const char *format = NULL;
    /* interned: records name their list by this pointer */
    const char *interned = dv_intern_str(&ds->strings, label, strlen(label));
    int rc = dv_load_table(ds, &o, def, path, interned, &format, err);
    if (rc) return rc;
    dv_list_file lf = {.path = dv_arena_strndup(&ds->arena, path, strlen(path)),
                       .label = interned,
                       .format = format,
                       .rows_read = info->rows_read - read0,
                       .rows_loaded = (long)ds->n_watch - loaded0,
                       .rows_rejected = info->rows_rejected - rejected0,
                       .rows_skipped = info->rows_skipped - skipped0,
                       .skipped_why = info->skipped_why,
                       .rows_joined = info->rows_joined - joined0,
                       .note = note,
                       .bytes = info->bytes};
    memcpy(lf.sha256, info->sha256, sizeof lf.sha256);
    DV_PUSH(ds->lists, ds->n_lists, ds->cap_lists, lf);
    return 0;
}

/* OFAC's legacy files in the dataset's directory: FILE.csv (or .csv.gz)
 * by the names of ofac_lists. The file of entries is read first; its
 * alt and add files are optional (a note says what the entries lack). */
static int load_ofac(dv_dataset *ds, const dv_load_options *opt, dv_error *err)
{
    int rc = 0;
    for (size_t k = 0; k < sizeof ofac_lists / sizeof ofac_lists[0] && !rc; k++) {
        const struct ofac_list *ol = &ofac_lists[k];
        char *main = NULL, *alt = NULL, *add = NULL;
        if ((rc = dv_find_table(ds->dir, ol->main, &main, err)) ||
            (rc = dv_find_table(ds->dir, ol->alt, &alt, err)) ||
            (rc = dv_find_table(ds->dir, ol->add, &add, err)))
            goto next;
        if (!main && (alt || add)) {
            rc = dv_fail(err, DV_EXIT_INPUT,
                         "%s: OFAC's %s without its %s.csv: its rows join the entries of %s.csv "
                         "by ent_num, and cannot be read alone",
                         alt ? alt : add, alt ? "alt.csv" : "add.csv", ol->main, ol->main);
            goto next;
        }
        if (!main) goto next;
        dv_buf b = {0};
        if (!alt) dv_buf_printf(&b, "no %s.csv beside it: its entries have no aliases", ol->alt);
        if (!add)
            dv_buf_printf(&b, "%sno %s.csv beside it: its entries have no country", b.len ? "; " : "",
                          ol->add);
        const char *note = b.len ? dv_arena_strndup(&ds->arena, b.data, b.len) : NULL;
        dv_buf_free(&b);
        list_ctx ctx = {0};
        dv_load_options o = *opt;
        o.parser_ctx = &ctx;
        rc = load_list_file(ds, &o, &sdn_def, main, ol->main, note, err);
        if (!rc && alt) rc = load_list_file(ds, &o, &alt_def, alt, ol->alt, NULL, err);
        if (!rc && add) rc = load_list_file(ds, &o, &add_def, add, ol->add, NULL, err);
        dv_map_free(&ctx.skipped);
    next:
        free(main);
        free(alt);
        free(add);
    }
    return rc;
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
        char *label = dv_xstrndup(names[i], stem);
        rc = load_list_file(ds, opt, &dv_watchlist_def, path, label, NULL, err);
        free(label);
        free(path);
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    if (!rc) rc = load_ofac(ds, opt, err);
    return rc;
}
