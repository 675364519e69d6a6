/*
 * dataset.c: rows to typed tables (SPEC 1), and the rows that were not
 * loaded.
 *
 * Each table is read in one pass: the header is matched by name to a
 * table's column specs, then every row is parsed into a staging array or
 * rejected with the column and the reason. References to entities are
 * resolved during the pass (entities load first). After the pass comes the
 * check that needs the whole table (duplicate ids), then the sort by key
 * that makes everything downstream independent of row order.
 *
 * A rejected row's record is the row as written. Rows rejected during the
 * pass get it at once; rows rejected later (duplicates) get it from a
 * second read of just those lines at the end, so no row text is kept in
 * memory for the rows that load.
 */
#define _POSIX_C_SOURCE 200809L
#include "divert/dataset.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <dirent.h>
#include <sys/stat.h>
#include <stdarg.h>

#include "divert/csvread.h"

extern const unsigned char dv_reference_countries[];
extern const unsigned long dv_reference_countries_len;
extern const unsigned char dv_reference_items[];
extern const unsigned long dv_reference_items_len;

const char *const dv_role_names[DV_ROLE_COUNT] = {
    "manufacturer", "subcontractor", "distributor", "intermediary",
    "freight_forwarder", "end_user", "other"};

const char *const dv_table_names[DV_T_COUNT] = {"entities", "shipments", "items",
                                                "countries", "licenses", "watchlist"};

/* ---- column specs ---- */

enum { MAX_COLS = 12 };

typedef struct col_spec {
    const char *name;
    bool required;
} col_spec;

static const col_spec entity_cols[] = {{"id", true}, {"name", true}, {"role", true},
                                       {"country", true}, {"registered", false},
                                       {"address", false}, {"aliases", false}, {NULL, false}};
enum { E_ID, E_NAME, E_ROLE, E_COUNTRY, E_REGISTERED, E_ADDRESS, E_ALIASES };

static const col_spec shipment_cols[] = {
    {"id", true},      {"date", true},  {"shipper_id", true},
    {"consignee_id", true}, {"item", true}, {"quantity", true},
    {"value", false},  {"declared_end_user_id", false}, {"license_id", false}, {NULL, false}};
enum { S_ID, S_DATE, S_SHIPPER, S_CONSIGNEE, S_ITEM, S_QUANTITY, S_VALUE, S_DECLARED, S_LICENCE };

static const col_spec item_cols[] = {{"code", true}, {"description", false}, {"control", false},
                                     {"category", false}, {"sensitivity", false}, {NULL, false}};
enum { I_CODE, I_DESCRIPTION, I_CONTROL, I_CATEGORY, I_SENSITIVITY };

static const col_spec country_cols[] = {
    {"code", true}, {"name", false}, {"rule_of_law", false}, {"data_protection", false},
    {"civil_liberties", false}, {"regimes", false}, {"hub", false}, {"destination", false},
    {NULL, false}};
enum { C_CODE, C_NAME, C_ROL, C_DP, C_CL, C_REGIMES, C_HUB, C_DEST };

static const col_spec licence_cols[] = {
    {"id", true}, {"exporter_id", true}, {"item", true}, {"destination", true},
    {"end_user_id", false}, {"valid_from", false}, {"valid_to", false}, {"end_use", false},
    {"quantity", false}, {NULL, false}};
enum { L_ID, L_EXPORTER, L_ITEM, L_DEST, L_END_USER, L_FROM, L_TO, L_END_USE, L_QUANTITY };

static const col_spec watch_cols[] = {{"name", true}, {"id", false}, {"aliases", false},
                                      {"country", false}, {"source", false}, {NULL, false}};
enum { W_NAME, W_ID, W_ALIASES, W_COUNTRY, W_SOURCE, W_KIND, W_PLACES };
/* The same columns in OpenSanctions' targets.simple.csv (W_KIND: schema)
 * and in the US Consolidated Screening List (W_KIND: type; W_PLACES:
 * addresses, whose last element is a country code). Told apart by the
 * header: "schema" is OpenSanctions', "alt_names" the CSL's. */
static const col_spec opensanctions_cols[] = {
    {"name", true}, {"id", false}, {"aliases", false}, {"countries", false}, {"dataset", false},
    {"schema", true}, {NULL, false}};
static const col_spec csl_cols[] = {
    {"name", true}, {"_id", false}, {"alt_names", false}, {"nationalities", false},
    {"source", false}, {"type", false}, {"addresses", false}, {NULL, false}};

static const col_spec *const table_cols[DV_T_COUNT] = {entity_cols, shipment_cols, item_cols,
                                                       country_cols, licence_cols, watch_cols};

/* ---- staging: rows parsed but not yet checked against the table ---- */

typedef struct staged {
    uint32_t row;          /* index into the typed array */
    long line;
    uint64_t rec_hash;     /* hash of the raw fields: identical copies match */
    uint64_t key_hash;     /* hash of the id: the sort key */
    const char *key;       /* id */
} staged;

typedef struct loader {
    dv_dataset *ds;
    const dv_load_options *opt;
    dv_table_id table;
    const col_spec *cols;        /* the table's columns (a list's, by format) */
    const char *label;           /* the table as rejects.csv names it */
    const char *format;          /* a watchlist file's: "spec", "opensanctions", "csl" */
    const char *name;            /* file name for messages */
    int col[MAX_COLS];           /* spec column -> field index, -1 if absent */
    size_t header_fields;
    char **header;               /* the header's names, heap */
    bool have_header;

    staged *stage;
    size_t n_stage, cap_stage;

    /* item codes repeat on millions of rows: the last few seen, as written,
     * with their interned text and normalised code */
    struct {
        const char *given, *code;
    } item_cache[64];
    size_t cap_rows;             /* capacity of the table's typed array */
} loader;

/* The name of a spec column of the table being read. */
#define COL(spec) (L->cols[(spec)].name)

/* One field of the current row by spec column: trimmed, "" if absent. */
typedef struct field {
    const char *s;
    size_t len;
} field;

static field get(const loader *L, const dv_csv_row *row, int spec)
{
    field f = {"", 0};
    int idx = L->col[spec];
    if (idx < 0 || (size_t)idx >= row->nfields) return f;
    f.len = row->lens[idx];
    f.s = dv_trim(row->fields[idx], &f.len);
    return f;
}

static void record_text(const dv_csv_row *row, dv_buf *b)
{
    for (size_t i = 0; i < row->nfields; i++) {
        if (i) dv_buf_add(b, ",", 1);
        const char *s = row->fields[i];
        size_t n = row->lens[i];
        if (strpbrk(s, ",\"\r\n") || (n && (s[0] == ' ' || s[n - 1] == ' '))) {
            dv_buf_add(b, "\"", 1);
            for (size_t k = 0; k < n; k++) {
                if (s[k] == '"') dv_buf_add(b, "\"", 1);
                dv_buf_add(b, s + k, 1);
            }
            dv_buf_add(b, "\"", 1);
        } else {
            dv_buf_add(b, s, n);
        }
    }
}

static dv_reject *add_reject(dv_dataset *ds, dv_table_id t, const char *label, long line,
                             const char *column, const char *code, char *detail, char *record)
{
    dv_reject r = {label ? label : dv_table_names[t], line, column ? column : "", code, detail,
                   record};
    DV_PUSH(ds->rejects, ds->n_rejects, ds->cap_rejects, r);
    ds->tables[t].rows_rejected++;
    return &ds->rejects[ds->n_rejects - 1];
}

/* Reject the row being read, naming the spec column at fault. */
static int reject_row(loader *L, const dv_csv_row *row, const char *column, const char *code,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int reject_row(loader *L, const dv_csv_row *row, const char *column, const char *code,
                      const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *detail = dv_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(detail, (size_t)n + 1, fmt, ap);
    va_end(ap);
    dv_buf rec = {0};
    record_text(row, &rec);
    if (!rec.data) dv_buf_add(&rec, "", 0);
    if (!dv_utf8_valid(rec.data, rec.len)) {
        /* the record goes into rejects.csv, which stays valid UTF-8 */
        dv_buf clean = {0};
        dv_utf8_sanitize(rec.data, rec.len, &clean);
        dv_buf_free(&rec);
        rec = clean;
    }
    add_reject(L->ds, L->table, L->label, row->line, column, code, detail, rec.data);
    return 1;
}

static const char *intern(loader *L, field f)
{
    return f.len ? dv_intern_str(&L->ds->strings, f.s, f.len) : NULL;
}

static uint64_t row_hash(const dv_csv_row *row)
{
    uint64_t h = 0;
    for (size_t i = 0; i < row->nfields; i++) {
        size_t n = row->lens[i];
        const char *s = dv_trim(row->fields[i], &n);
        h = h * 0x9E3779B97F4A7C15ULL ^ dv_hash64(s, n);
    }
    return h;
}

static void stage(loader *L, const dv_csv_row *row, uint32_t index, const char *key)
{
    staged s = {index, row->line, row_hash(row), dv_hash64(key, strlen(key)), key};
    DV_PUSH(L->stage, L->n_stage, L->cap_stage, s);
}

/* ---- value helpers: each either fills *out or rejects the row ---- */

static bool need(loader *L, const dv_csv_row *row, int spec, field f)
{
    if (f.len) return true;
    reject_row(L, row, COL(spec), "missing_value", "%s is empty", L->cols[spec].name);
    return false;
}

static bool opt_date(loader *L, const dv_csv_row *row, int spec, int32_t *out)
{
    field f = get(L, row, spec);
    *out = DV_NO_DATE;
    if (!f.len) return true;
    const char *why;
    if (dv_parse_date(f.s, f.len, out, &why)) return true;
    reject_row(L, row, COL(spec), "bad_date", "%s \"%.*s\" %s", L->cols[spec].name,
               (int)(f.len > 64 ? 64 : f.len), f.s, why);
    return false;
}

static bool opt_number(loader *L, const dv_csv_row *row, int spec, double lo, double hi,
                       double *out, double missing)
{
    field f = get(L, row, spec);
    *out = missing;
    if (!f.len) return true;
    const char *why;
    if (dv_parse_nonneg(f.s, f.len, out, &why)) {
        if (*out >= lo && *out <= hi) return true;
        reject_row(L, row, COL(spec), "out_of_range", "%s %.*s is outside %g to %g",
                   L->cols[spec].name, (int)f.len, f.s, lo, hi);
        return false;
    }
    const char *code = strcmp(why, "is negative") == 0 ? "negative_number" : "bad_number";
    reject_row(L, row, COL(spec), code, "%s \"%.*s\" %s", L->cols[spec].name,
               (int)(f.len > 64 ? 64 : f.len), f.s, why);
    return false;
}

static bool country_code(loader *L, const dv_csv_row *row, int spec, field f, char out[3])
{
    if (f.len == 2 && isalpha((unsigned char)f.s[0]) && isalpha((unsigned char)f.s[1])) {
        out[0] = (char)toupper((unsigned char)f.s[0]);
        out[1] = (char)toupper((unsigned char)f.s[1]);
        out[2] = '\0';
        return true;
    }
    reject_row(L, row, COL(spec), "bad_country", "%s \"%.*s\" is not an ISO 3166 alpha-2 code",
               L->cols[spec].name, (int)(f.len > 64 ? 64 : f.len), f.s);
    return false;
}

/* Split a ;-separated list into interned strings in the arena. */
static const char **split_list(loader *L, field f, uint32_t *n)
{
    *n = 0;
    if (!f.len) return NULL;
    size_t count = 1;
    for (size_t i = 0; i < f.len; i++) count += f.s[i] == ';';
    const char **out = dv_arena_alloc(&L->ds->arena, count * sizeof *out);
    size_t start = 0;
    for (size_t i = 0; i <= f.len; i++) {
        if (i < f.len && f.s[i] != ';') continue;
        size_t len = i - start;
        const char *p = dv_trim(f.s + start, &len);
        if (len) out[(*n)++] = dv_intern_str(&L->ds->strings, p, len);
        start = i + 1;
    }
    return out;
}

static void *grow_rows(loader *L, void **rows, size_t n, size_t elem)
{
    dv_grow(rows, &L->cap_rows, n + 1, elem);
    return (char *)*rows + n * elem;
}

/* ---- one parser a table ---- */

static int parse_entity(loader *L, const dv_csv_row *row)
{
    dv_dataset *ds = L->ds;
    field id = get(L, row, E_ID), name = get(L, row, E_NAME), role = get(L, row, E_ROLE),
          country = get(L, row, E_COUNTRY);
    if (!need(L, row, E_ID, id) || !need(L, row, E_NAME, name) || !need(L, row, E_ROLE, role) ||
        !need(L, row, E_COUNTRY, country))
        return 0;
    int r = -1;
    for (int k = 0; k < DV_ROLE_COUNT; k++)
        if (dv_ieq(role.s, role.len, dv_role_names[k])) r = k;
    if (r < 0) {
        reject_row(L, row, COL(E_ROLE), "bad_role",
                   "role \"%.*s\" is not one of manufacturer, subcontractor, distributor, "
                   "intermediary, freight_forwarder, end_user, other",
                   (int)(role.len > 64 ? 64 : role.len), role.s);
        return 0;
    }
    dv_entity e = {0};
    if (!country_code(L, row, E_COUNTRY, country, e.country)) return 0;
    if (!opt_date(L, row, E_REGISTERED, &e.registered)) return 0;
    e.id = intern(L, id);
    e.name = intern(L, name);
    e.role = (dv_role)r;
    e.address = intern(L, get(L, row, E_ADDRESS));
    e.aliases = split_list(L, get(L, row, E_ALIASES), &e.naliases);
    e.line = row->line;
    e.country_idx = DV_NONE;
    e.first_trade = DV_NO_DATE;
    *(dv_entity *)grow_rows(L, (void **)&ds->entities, ds->n_entities, sizeof e) = e;
    stage(L, row, (uint32_t)ds->n_entities++, e.id);
    return 0;
}

/* Resolve an entity id of the row being read; an empty field is DV_NONE.
 * An id that is not a loaded entity rejects the row. */
static bool ref_entity(loader *L, const dv_csv_row *row, int spec, field f, uint32_t *out)
{
    *out = DV_NONE;
    if (!f.len) return true;
    if (dv_map_get(&L->ds->entity_by_id, f.s, f.len, out)) return true;
    reject_row(L, row, COL(spec), "unknown_entity",
               "%s \"%.*s\" is not in entities (or was rejected there)", COL(spec),
               (int)(f.len > 64 ? 64 : f.len), f.s);
    return false;
}

static int parse_shipment(loader *L, const dv_csv_row *row)
{
    dv_dataset *ds = L->ds;
    field id = get(L, row, S_ID), date = get(L, row, S_DATE), shipper = get(L, row, S_SHIPPER),
          consignee = get(L, row, S_CONSIGNEE), item = get(L, row, S_ITEM),
          quantity = get(L, row, S_QUANTITY);
    if (!need(L, row, S_ID, id) || !need(L, row, S_DATE, date) ||
        !need(L, row, S_SHIPPER, shipper) || !need(L, row, S_CONSIGNEE, consignee) ||
        !need(L, row, S_ITEM, item) || !need(L, row, S_QUANTITY, quantity))
        return 0;
    dv_shipment s = {0};
    const char *why;
    if (!dv_parse_date(date.s, date.len, &s.date, &why)) {
        reject_row(L, row, COL(S_DATE), "bad_date", "date \"%.*s\" %s",
                   (int)(date.len > 64 ? 64 : date.len), date.s, why);
        return 0;
    }
    if (!opt_number(L, row, S_QUANTITY, 0, DV_MAX_NUMBER, &s.quantity, 0)) return 0;
    if (!opt_number(L, row, S_VALUE, 0, DV_MAX_NUMBER, &s.value, NAN)) return 0;
    unsigned slot = (unsigned)(item.len * 31 + (unsigned char)item.s[0] * 7 +
                               (unsigned char)item.s[item.len - 1]) % 64;
    const char *given = L->item_cache[slot].given, *item_code;
    if (given && strlen(given) == item.len && memcmp(given, item.s, item.len) == 0) {
        item_code = L->item_cache[slot].code;
    } else {
        char code[256];
        if (item.len >= sizeof code || dv_normalise_code(item.s, item.len, code) == 0) {
            reject_row(L, row, COL(S_ITEM), "bad_code",
                       "item \"%.*s\" has no letters or digits, or is too long",
                       (int)(item.len > 64 ? 64 : item.len), item.s);
            return 0;
        }
        given = intern(L, item);
        item_code = dv_intern_str(&ds->strings, code, strlen(code));
        L->item_cache[slot].given = given;
        L->item_cache[slot].code = item_code;
    }
    if (shipper.len == consignee.len && memcmp(shipper.s, consignee.s, shipper.len) == 0) {
        reject_row(L, row, COL(S_CONSIGNEE), "self_shipment",
                   "shipper_id and consignee_id are both \"%.*s\"", (int)shipper.len, shipper.s);
        return 0;
    }
    /* references resolve now: entities are loaded before shipments */
    if (!ref_entity(L, row, S_SHIPPER, shipper, &s.shipper) ||
        !ref_entity(L, row, S_CONSIGNEE, consignee, &s.consignee) ||
        !ref_entity(L, row, S_DECLARED, get(L, row, S_DECLARED), &s.declared_end_user))
        return 0;
    /* shipment ids are unique: a plain copy, not worth interning */
    s.id = dv_arena_strndup(&ds->arena, id.s, id.len);
    s.item = given;
    s.item_code = item_code;
    s.licence_id = intern(L, get(L, row, S_LICENCE));
    s.line = row->line;
    s.item_idx = DV_NONE;
    *(dv_shipment *)grow_rows(L, (void **)&ds->shipments, ds->n_shipments, sizeof s) = s;
    stage(L, row, (uint32_t)ds->n_shipments++, s.id);
    return 0;
}

static bool not_controlled(const char *control)
{
    if (!control) return true;
    size_t n = strlen(control);
    return dv_ieq(control, n, "EAR99") || dv_ieq(control, n, "NONE");
}

static int parse_item(loader *L, const dv_csv_row *row)
{
    dv_dataset *ds = L->ds;
    field code = get(L, row, I_CODE);
    if (!need(L, row, I_CODE, code)) return 0;
    char norm[256];
    if (code.len >= sizeof norm || dv_normalise_code(code.s, code.len, norm) == 0) {
        reject_row(L, row, COL(I_CODE), "bad_code", "code \"%.*s\" has no letters or digits, or is too long",
                   (int)(code.len > 64 ? 64 : code.len), code.s);
        return 0;
    }
    dv_item it = {0};
    if (!opt_number(L, row, I_SENSITIVITY, 0, 1, &it.sensitivity, 0.5)) return 0;
    it.code = dv_intern_str(&ds->strings, norm, strlen(norm));
    it.code_given = intern(L, code);
    it.description = intern(L, get(L, row, I_DESCRIPTION));
    it.control = intern(L, get(L, row, I_CONTROL));
    it.category = intern(L, get(L, row, I_CATEGORY));
    it.controlled = !not_controlled(it.control);
    it.line = row->line;
    *(dv_item *)grow_rows(L, (void **)&ds->items, ds->n_items, sizeof it) = it;
    stage(L, row, (uint32_t)ds->n_items++, it.code);
    return 0;
}

static int parse_country(loader *L, const dv_csv_row *row)
{
    dv_dataset *ds = L->ds;
    field code = get(L, row, C_CODE);
    if (!need(L, row, C_CODE, code)) return 0;
    dv_country c = {0};
    if (!country_code(L, row, C_CODE, code, c.code)) return 0;
    if (!opt_number(L, row, C_ROL, 0, 1, &c.rule_of_law, NAN) ||
        !opt_number(L, row, C_DP, 0, 1, &c.data_protection, NAN) ||
        !opt_number(L, row, C_CL, 0, 1, &c.civil_liberties, NAN))
        return 0;
    field regimes = get(L, row, C_REGIMES);
    static const char *const regime_names[] = {"WA", "AG", "NSG", "MTCR"};
    size_t start = 0;
    for (size_t i = 0; i <= regimes.len; i++) {
        if (i < regimes.len && regimes.s[i] != ';') continue;
        size_t len = i - start;
        const char *tok = dv_trim(regimes.s + start, &len);
        start = i + 1;
        if (!len) continue;
        int k = 0;
        while (k < 4 && !dv_ieq(tok, len, regime_names[k])) k++;
        if (k == 4) {
            reject_row(L, row, COL(C_REGIMES), "bad_regime",
                       "regime \"%.*s\" is not one of WA, AG, NSG, MTCR", (int)(len > 64 ? 64 : len), tok);
            return 0;
        }
        if (!(c.regimes & (1u << k))) c.nregimes++;
        c.regimes |= 1u << k;
    }
    field hub = get(L, row, C_HUB);
    if (hub.len && !(hub.len == 1 && (hub.s[0] == '0' || hub.s[0] == '1'))) {
        reject_row(L, row, COL(C_HUB), "bad_flag", "hub \"%.*s\" is not 0 or 1",
                   (int)(hub.len > 64 ? 64 : hub.len), hub.s);
        return 0;
    }
    c.hub = hub.len && hub.s[0] == '1';
    field dest = get(L, row, C_DEST);
    if (!dest.len || dv_ieq(dest.s, dest.len, "none")) c.destination = DV_DEST_NONE;
    else if (dv_ieq(dest.s, dest.len, "elevated")) c.destination = DV_DEST_ELEVATED;
    else if (dv_ieq(dest.s, dest.len, "embargoed")) c.destination = DV_DEST_EMBARGOED;
    else {
        reject_row(L, row, COL(C_DEST), "bad_destination",
                   "destination \"%.*s\" is not none, elevated or embargoed",
                   (int)(dest.len > 64 ? 64 : dest.len), dest.s);
        return 0;
    }
    c.name = intern(L, get(L, row, C_NAME));
    c.line = row->line;
    *(dv_country *)grow_rows(L, (void **)&ds->countries, ds->n_countries, sizeof c) = c;
    stage(L, row, (uint32_t)ds->n_countries++, dv_intern_str(&ds->strings, c.code, 2));
    return 0;
}

static int parse_licence(loader *L, const dv_csv_row *row)
{
    dv_dataset *ds = L->ds;
    field id = get(L, row, L_ID), exporter = get(L, row, L_EXPORTER), item = get(L, row, L_ITEM),
          dest = get(L, row, L_DEST);
    if (!need(L, row, L_ID, id) || !need(L, row, L_EXPORTER, exporter) ||
        !need(L, row, L_ITEM, item) || !need(L, row, L_DEST, dest))
        return 0;
    dv_licence l = {0};
    if (!country_code(L, row, L_DEST, dest, l.destination)) return 0;
    char norm[256];
    if (item.len >= sizeof norm || dv_normalise_code(item.s, item.len, norm) == 0) {
        reject_row(L, row, COL(L_ITEM), "bad_code", "item \"%.*s\" has no letters or digits, or is too long",
                   (int)(item.len > 64 ? 64 : item.len), item.s);
        return 0;
    }
    if (!opt_date(L, row, L_FROM, &l.valid_from) || !opt_date(L, row, L_TO, &l.valid_to)) return 0;
    if (l.valid_from != DV_NO_DATE && l.valid_to != DV_NO_DATE && l.valid_from > l.valid_to) {
        reject_row(L, row, COL(L_TO), "bad_date_order", "valid_to is before valid_from");
        return 0;
    }
    if (!opt_number(L, row, L_QUANTITY, 0, DV_MAX_NUMBER, &l.quantity, NAN)) return 0;
    if (!ref_entity(L, row, L_EXPORTER, exporter, &l.exporter) ||
        !ref_entity(L, row, L_END_USER, get(L, row, L_END_USER), &l.end_user))
        return 0;
    l.id = intern(L, id);
    l.item_code = dv_intern_str(&ds->strings, norm, strlen(norm));
    l.end_use = intern(L, get(L, row, L_END_USE));
    l.line = row->line;
    *(dv_licence *)grow_rows(L, (void **)&ds->licences, ds->n_licences, sizeof l) = l;
    stage(L, row, (uint32_t)ds->n_licences++, l.id);
    return 0;
}

/* A ';'-separated list written as a CSV row of its own, as OpenSanctions'
 * exporter writes its multi-valued cells: a value holding ';' or a quote
 * is quoted, with its quotes doubled. */
static const char **split_quoted_list(loader *L, field f, uint32_t *n)
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
static field first_of(field f)
{
    const char *semi = memchr(f.s, ';', f.len);
    if (semi) f.len = (size_t)(semi - f.s);
    f.s = dv_trim(f.s, &f.len);
    return f;
}

/* A CSL address's country: its last comma-separated element, when that
 * is a two-letter code ("Komitas 26/114, Yerevan, Armenia, AM"). */
static field address_country(field f)
{
    field first = first_of(f), none = {"", 0};
    const char *comma = NULL;
    for (size_t i = 0; i < first.len; i++)
        if (first.s[i] == ',') comma = first.s + i;
    if (!comma) return none;
    field c = {comma + 1, (size_t)(first.s + first.len - comma - 1)};
    c.s = dv_trim(c.s, &c.len);
    return c.len == 2 && isalpha((unsigned char)c.s[0]) && isalpha((unsigned char)c.s[1]) ? c : none;
}

static int parse_watch(loader *L, const dv_csv_row *row)
{
    dv_dataset *ds = L->ds;
    field name = get(L, row, W_NAME);
    if (!need(L, row, W_NAME, name)) return 0;
    field country = get(L, row, W_COUNTRY);
    if (L->cols == opensanctions_cols) {
        /* only parties apply to entities: not vessels, aircraft, securities */
        field schema = get(L, row, W_KIND);
        if (!dv_ieq(schema.s, schema.len, "Company") && !dv_ieq(schema.s, schema.len, "Organization") &&
            !dv_ieq(schema.s, schema.len, "LegalEntity") && !dv_ieq(schema.s, schema.len, "Person")) {
            reject_row(L, row, "schema", "not_a_party",
                       "schema \"%.*s\" is not a party (Company, Organization, LegalEntity, Person)",
                       (int)(schema.len > 64 ? 64 : schema.len), schema.s);
            return 0;
        }
    } else if (L->cols == csl_cols) {
        field kind = get(L, row, W_KIND);
        if (dv_ieq(kind.s, kind.len, "Vessel") || dv_ieq(kind.s, kind.len, "Aircraft")) {
            reject_row(L, row, "type", "not_a_party", "type \"%.*s\" is not a party",
                       (int)kind.len, kind.s);
            return 0;
        }
        /* "Sinobright Import and Export Company; and any successor, ..." */
        const char *tail = NULL;
        for (size_t i = 0; i + 12 <= name.len && !tail; i++)
            if (!strncasecmp(name.s + i, "; and any ", 10)) tail = name.s + i;
        if (tail) name.len = (size_t)(tail - name.s);
        if (!first_of(country).len) country = address_country(get(L, row, W_PLACES));
    }
    /* every country the entry names ("cn;kp"), as upper-case codes joined
     * by ';'; one that is not a two-letter code is not a reason to drop a
     * listed party: it is left out of the comparison (docs/screening.md) */
    char codes[64];
    size_t nc = 0;
    for (size_t i = 0; i < country.len;) {
        size_t j = i;
        while (j < country.len && country.s[j] != ';') j++;
        field c = {country.s + i, j - i};
        c.s = dv_trim(c.s, &c.len);
        if (c.len == 2 && isalpha((unsigned char)c.s[0]) && isalpha((unsigned char)c.s[1]) &&
            nc + 3 < sizeof codes) {
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
    dv_watch w = {0};
    w.name = intern(L, name);
    w.id = intern(L, get(L, row, W_ID));
    w.aliases = L->cols == opensanctions_cols
                    ? split_quoted_list(L, get(L, row, W_ALIASES), &w.naliases)
                    : split_list(L, get(L, row, W_ALIASES), &w.naliases);
    w.country = nc ? dv_intern_str(&ds->strings, codes, nc) : NULL;
    w.source = intern(L, get(L, row, W_SOURCE));
    w.list = L->label;
    w.line = row->line;
    *(dv_watch *)grow_rows(L, (void **)&ds->watchlist, ds->n_watch, sizeof w) = w;
    ds->n_watch++;
    return 0;
}

typedef int (*row_parser)(loader *L, const dv_csv_row *row);
static const row_parser parsers[DV_T_COUNT] = {parse_entity, parse_shipment, parse_item,
                                               parse_country, parse_licence, parse_watch};

/* ---- the header and the row callback ---- */

static int on_header(loader *L, const dv_csv_row *row, dv_error *err)
{
    if (L->table == DV_T_WATCHLIST) {
        /* a list's format, by its header */
        bool schema = false, alt_names = false;
        for (size_t i = 0; i < row->nfields; i++) {
            size_t len = row->lens[i];
            const char *h = dv_trim(row->fields[i], &len);
            schema |= dv_ieq(h, len, "schema");
            alt_names |= dv_ieq(h, len, "alt_names");
        }
        L->cols = schema ? opensanctions_cols : alt_names ? csl_cols : watch_cols;
        L->format = schema ? "opensanctions" : alt_names ? "csl" : "spec";
    }
    const col_spec *cols = L->cols;
    dv_table_info *info = &L->ds->tables[L->table];
    for (int k = 0; k < MAX_COLS; k++) L->col[k] = -1;
    for (size_t i = 0; i < row->nfields; i++) {
        size_t len = row->lens[i];
        const char *h = dv_trim(row->fields[i], &len);
        for (size_t j = 0; j < i; j++) {
            size_t len2 = row->lens[j];
            const char *h2 = dv_trim(row->fields[j], &len2);
            if (len && len2 == len && strncasecmp(h, h2, len) == 0)
                return dv_fail(err, DV_EXIT_INPUT,
                               "%s:%ld: column \"%.*s\" appears twice in the header", L->name,
                               row->line, (int)len, h);
        }
        int found = -1;
        for (int k = 0; cols[k].name; k++)
            if (dv_ieq(h, len, cols[k].name)) found = k;
        if (found >= 0) {
            L->col[found] = (int)i;
        } else if (!info->reference) {
            char *name = len ? dv_xstrndup(h, len) : dv_xstrdup("(empty)");
            info->unknown_columns = dv_xrealloc(info->unknown_columns,
                                                (info->n_unknown + 1) * sizeof(char *));
            info->unknown_columns[info->n_unknown++] = name;
        }
    }
    for (int k = 0; cols[k].name; k++)
        if (cols[k].required && L->col[k] < 0)
            return dv_fail(err, DV_EXIT_INPUT, "%s:%ld: missing required column \"%s\"", L->name,
                           row->line, cols[k].name);
    L->header_fields = row->nfields;
    L->header = dv_xcalloc(row->nfields ? row->nfields : 1, sizeof *L->header);
    for (size_t i = 0; i < row->nfields; i++) {
        size_t len = row->lens[i];
        const char *h = dv_trim(row->fields[i], &len);
        L->header[i] = dv_xstrndup(h, len);
    }
    L->have_header = true;
    return 0;
}

static int on_row(void *ctx, const dv_csv_row *row, dv_error *err)
{
    loader *L = ctx;
    if (!L->have_header) return on_header(L, row, err);
    dv_table_info *info = &L->ds->tables[L->table];
    if (info->rows_read >= DV_MAX_ROWS)
        return dv_fail(err, DV_EXIT_INPUT,
                       "%s:%ld: more than %lu rows in one table (rows are counted in 32 bits); "
                       "split the dataset by item entry",
                       L->name, row->line, (unsigned long)DV_MAX_ROWS);
    info->rows_read++;
    if (row->nfields != L->header_fields) {
        reject_row(L, row, "", "ragged_row", "the row has %zu fields, the header has %zu",
                   row->nfields, L->header_fields);
        return 0;
    }
    if (row->invalid_utf8) {
        /* the column name outlives the header: intern it */
        size_t i = row->invalid_utf8 - 1;
        const char *h = L->header[i];
        const char *column =
            dv_utf8_valid(h, strlen(h)) ? dv_intern_str(&L->ds->strings, h, strlen(h)) : "";
        reject_row(L, row, column, "invalid_utf8",
                   "field %zu is not valid UTF-8 (is the file Latin-1? convert it with "
                   "iconv -f LATIN1 -t UTF-8)",
                   i + 1);
        return 0;
    }
    return parsers[L->table](L, row);
}

/* ---- whole-table checks ---- */

static int cmp_staged_key(const void *a, const void *b)
{
    const staged *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c) return c;
    return (x->line > y->line) - (x->line < y->line);
}

/* Reject a row after the pass; its record is filled in by fill_records. */
static void reject_later(dv_dataset *ds, dv_table_id t, long line, const char *column,
                         const char *code, char *detail)
{
    add_reject(ds, t, NULL, line, column, code, detail, NULL);
}

/* Resolve duplicated keys: identical copies keep the first line, differing
 * copies are all rejected. Marks removed rows in dead[].
 *
 * A radix sort of (hash of the key, staging position) brings the copies of
 * a key together without a string comparison per row; only the rare runs
 * of equal hashes (copies of one key, or keys that collide) are looked at,
 * by key and then line, so the outcome never depends on the input order. */
static void resolve_duplicates(loader *L, bool *dead)
{
    dv_dataset *ds = L->ds;
    size_t n = L->n_stage;
    dv_keyed *k = dv_xmalloc((n ? n : 1) * sizeof *k);
    for (size_t i = 0; i < n; i++) k[i] = (dv_keyed){L->stage[i].key_hash, (uint32_t)i, 0};
    dv_sort_keyed(k, n);
    const char *keyname = L->cols[0].name;
    staged *run = NULL;
    size_t run_cap = 0;
    for (size_t a = 0; a < n;) {
        size_t b = a + 1;
        while (b < n && k[b].key == k[a].key) b++;
        if (b - a > 1) {
            size_t m = 0;
            for (size_t x = a; x < b; x++) DV_PUSH(run, m, run_cap, L->stage[k[x].row]);
            dv_qsort(run, m, sizeof *run, cmp_staged_key);
            for (size_t i = 0; i < m;) {
                size_t j = i + 1;
                while (j < m && strcmp(run[j].key, run[i].key) == 0) j++;
                if (j - i > 1) {
                    bool identical = true;
                    for (size_t x = i + 1; x < j; x++)
                        if (run[x].rec_hash != run[i].rec_hash) identical = false;
                    for (size_t x = identical ? i + 1 : i; x < j; x++) {
                        staged *st = &run[x];
                        dead[st->row] = true;
                        long other = x == i ? run[i + 1].line : run[i].line;
                        if (identical)
                            reject_later(ds, L->table, st->line, keyname, "duplicate_row",
                                         dv_xasprintf("%s \"%s\": the same row is on line %ld",
                                                      keyname, st->key, other));
                        else
                            reject_later(ds, L->table, st->line, keyname, "duplicate_id",
                                         dv_xasprintf("%s \"%s\" is also on line %ld with other "
                                                      "values (all %zu rows with this %s are "
                                                      "rejected)",
                                                      keyname, st->key, other, j - i, keyname));
                    }
                }
                i = j;
            }
        }
        a = b;
    }
    free(run);
    free(k);
}

/* Drop dead rows from a typed array, keeping the order of the others. */
static size_t compact(void *rows, size_t n, size_t elem, const bool *dead)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (dead[i]) continue;
        if (m != i) memmove((char *)rows + m * elem, (char *)rows + i * elem, elem);
        m++;
    }
    return m;
}

/* ---- sorting by key ---- */

static int cmp_entity(const void *a, const void *b)
{
    return strcmp(((const dv_entity *)a)->id, ((const dv_entity *)b)->id);
}
static int cmp_item(const void *a, const void *b)
{
    return strcmp(((const dv_item *)a)->code, ((const dv_item *)b)->code);
}
static int cmp_country(const void *a, const void *b)
{
    return strcmp(((const dv_country *)a)->code, ((const dv_country *)b)->code);
}
static int cmp_licence(const void *a, const void *b)
{
    return strcmp(((const dv_licence *)a)->id, ((const dv_licence *)b)->id);
}
static int strcmp_null(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}
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

/* ---- finding and reading a table ---- */

static int find_table(const char *dir, const char *name, char **path, dv_error *err)
{
    *path = NULL;
    char *plain = dv_xasprintf("%s/%s.csv", dir, name);
    char *gz = dv_xasprintf("%s/%s.csv.gz", dir, name);
    /* lstat: a broken symbolic link is a table that cannot be opened, not
     * a missing one */
    struct stat st;
    bool has_plain = lstat(plain, &st) == 0, has_gz = lstat(gz, &st) == 0;
    int rc = 0;
    if (has_plain && has_gz)
        rc = dv_fail(err, DV_EXIT_INPUT, "%s: both %s.csv and %s.csv.gz exist; keep one", dir,
                     name, name);
    else if (has_plain)
        *path = plain, plain = NULL;
    else if (has_gz)
        *path = gz, gz = NULL;
    free(plain);
    free(gz);
    return rc;
}

static int read_table(dv_dataset *ds, loader *L, dv_table_id t, const char *path,
                      bool reference, dv_error *err)
{
    dv_table_info *info = &ds->tables[t];
    L->ds = ds;
    L->table = t;
    info->present = true;
    info->reference = reference;
    dv_csv_options copt = {L->opt->cfg->max_field_bytes, L->opt->progress, L->opt->progress_ctx};
    int rc;
    if (reference) {
        info->path = "(reference)";
        L->name = t == DV_T_COUNTRIES ? "(reference) countries.csv" : "(reference) items.csv";
        const unsigned char *data = t == DV_T_COUNTRIES ? dv_reference_countries : dv_reference_items;
        unsigned long len = t == DV_T_COUNTRIES ? dv_reference_countries_len : dv_reference_items_len;
        rc = dv_csv_read_mem((const char *)data, len, L->name, &copt, on_row, L, err);
    } else {
        info->path = dv_arena_strndup(&ds->arena, path, strlen(path));
        L->name = info->path;
        rc = dv_csv_read_file(path, L->name, &copt, on_row, L, err);
    }
    if (!rc && !L->have_header)
        rc = dv_fail(err, DV_EXIT_INPUT, "%s:1: the file is empty (a header row is needed)", L->name);
    return rc;
}

/* ---- records of rows rejected after the pass ---- */

typedef struct fill_ctx {
    dv_dataset *ds;
    dv_table_id table;
    size_t *want;      /* reject indices wanting a record, sorted by line */
    size_t n_want, next;
    bool header_seen;
} fill_ctx;

static int fill_row(void *ctx, const dv_csv_row *row, dv_error *err)
{
    (void)err;
    fill_ctx *f = ctx;
    if (!f->header_seen) {
        f->header_seen = true;
        return 0;
    }
    while (f->next < f->n_want && f->ds->rejects[f->want[f->next]].line == row->line) {
        dv_buf rec = {0};
        record_text(row, &rec);
        if (!rec.data) dv_buf_add(&rec, "", 0);
        f->ds->rejects[f->want[f->next]].record = rec.data;
        f->next++;
    }
    return 0;
}

static const dv_dataset *sort_ds;
static int cmp_want(const void *a, const void *b)
{
    long x = sort_ds->rejects[*(const size_t *)a].line, y = sort_ds->rejects[*(const size_t *)b].line;
    return (x > y) - (x < y);
}

static int fill_records(dv_dataset *ds, const dv_load_options *opt, dv_error *err)
{
    for (int t = 0; t < DV_T_COUNT; t++) {
        fill_ctx f = {ds, (dv_table_id)t, NULL, 0, 0, false};
        size_t cap = 0;
        for (size_t i = 0; i < ds->n_rejects; i++)
            if (!ds->rejects[i].record && ds->rejects[i].table == dv_table_names[t])
                DV_PUSH(f.want, f.n_want, cap, i);
        if (!f.n_want) continue;
        sort_ds = ds;
        dv_qsort(f.want, f.n_want, sizeof *f.want, cmp_want);
        dv_table_info *info = &ds->tables[t];
        dv_csv_options copt = {opt->cfg->max_field_bytes, NULL, NULL};
        int rc;
        if (info->reference) {
            const unsigned char *data = t == DV_T_COUNTRIES ? dv_reference_countries : dv_reference_items;
            unsigned long len = t == DV_T_COUNTRIES ? dv_reference_countries_len : dv_reference_items_len;
            rc = dv_csv_read_mem((const char *)data, len, info->path, &copt, fill_row, &f, err);
        } else {
            rc = dv_csv_read_file(info->path, info->path, &copt, fill_row, &f, err);
        }
        for (size_t i = 0; i < f.n_want; i++)
            if (!ds->rejects[f.want[i]].record) ds->rejects[f.want[i]].record = dv_xstrdup("");
        free(f.want);
        if (rc) return rc;
    }
    return 0;
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

/* ---- names and addresses ---- */

/* Legal-form words, as whole tokens after upper-casing. Cyrillic forms are
 * upper-case UTF-8. Fuzzy screening (a later stage) keeps them as an
 * attribute; equality matching just drops them. */
static const char *const legal_forms[] = {
    "LLC", "LTD", "LIMITED", "OOO", "GMBH", "INC", "INCORPORATED", "CORP", "CORPORATION",
    "CO", "COMPANY", "JSC", "AO", "PAO", "ZAO", "OAO", "PJSC", "CJSC", "OJSC", "SA", "AG",
    "BV", "NV", "FZE", "FZCO", "FZC", "FZ", "PLC", "LLP", "LP", "SRL", "SARL", "SAS", "SPA",
    "PTE", "PTY", "SDN", "BHD", "KG", "OY", "AB", "AS", "KFT", "SP", "ZOO", "DOO", "AD",
    "EOOD", "OOD", "TOO", "LTDA", "SL", "\xD0\x9E\xD0\x9E\xD0\x9E", /* ООО */
    "\xD0\x90\xD0\x9E",                                            /* АО */
    "\xD0\x9F\xD0\x90\xD0\x9E",                                    /* ПАО */
    "\xD0\x97\xD0\x90\xD0\x9E",                                    /* ЗАО */
    "\xD0\x9E\xD0\x90\xD0\x9E",                                    /* ОАО */
    NULL};

static bool is_legal_form(const char *tok, size_t len)
{
    for (int i = 0; legal_forms[i]; i++)
        if (strlen(legal_forms[i]) == len && memcmp(legal_forms[i], tok, len) == 0) return true;
    return false;
}

static bool ascii_alnum_at(const char *s, size_t len, size_t i)
{
    return i < len && (unsigned char)s[i] < 128 && isalnum((unsigned char)s[i]);
}

/* Upper-case ASCII, keep other bytes (UTF-8 letters), and turn ASCII
 * punctuation and space into separators; the tokens, joined by one space,
 * go to out (dropping legal forms when asked). Single letters joined by
 * dots are one token, so "L.L.C." is LLC and "A.B.C. Trading" is ABC
 * TRADING. */
static size_t tokens_key(const char *s, size_t len, char *out, size_t cap, bool drop_forms)
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
        if (t && !(drop_forms && is_legal_form(tok, t)) && n + t + 2 <= cap) {
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

size_t dv_watch_key(const char *name, size_t len, char *out, size_t cap)
{
    /* Upper-case Cyrillic (U+0430..U+045F to U+0410..U+042F and
     * U+0400..U+040F) so that legal forms and names compare in any case. */
    char tmp[1024];
    size_t n = 0;
    for (size_t i = 0; i < len && n + 2 < sizeof tmp; i++) {
        unsigned char c = (unsigned char)name[i];
        unsigned char d = i + 1 < len ? (unsigned char)name[i + 1] : 0;
        if (c == 0xD0 && d >= 0xB0 && d <= 0xBF) {          /* а..п */
            tmp[n++] = (char)0xD0;
            tmp[n++] = (char)(d - 0x20);
            i++;
        } else if (c == 0xD1 && d >= 0x80 && d <= 0x8F) {   /* р..я */
            tmp[n++] = (char)0xD0;
            tmp[n++] = (char)(d + 0x20);
            i++;
        } else if (c == 0xD1 && d >= 0x90 && d <= 0x9F) {   /* ѐ..џ */
            tmp[n++] = (char)0xD0;
            tmp[n++] = (char)(d - 0x10);
            i++;
        } else {
            tmp[n++] = (char)c;
        }
    }
    return tokens_key(tmp, n, out, cap, true);
}

size_t dv_address_key(const char *addr, size_t len, char *out, size_t cap)
{
    return tokens_key(addr, len, out, cap, false);
}

/* ---- derived attributes ---- */

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
        if (e->address && dv_address_key(e->address, strlen(e->address), buf, sizeof buf))
            e->address_key = dv_intern_str(&ds->strings, buf, strlen(buf));
    }
    dv_qsort(ds->absent_countries, ds->n_absent, 3, cmp_code);
    dv_qsort(ds->incomplete_countries, ds->n_incomplete, 3, cmp_code);
    /* few distinct item codes, many shipments: look each code up once */
    dv_map item_of_code = {0};
    for (size_t i = 0; i < ds->n_shipments; i++) {
        dv_shipment *s = &ds->shipments[i];
        uint32_t idx;
        if (!dv_map_get(&item_of_code, s->item_code, strlen(s->item_code), &idx)) {
            idx = dv_item_lookup(ds, s->item_code);
            dv_map_put(&item_of_code, s->item_code, idx, NULL);
        }
        s->item_idx = idx;
        int32_t *ft[2] = {&ds->entities[s->shipper].first_trade,
                          &ds->entities[s->consignee].first_trade};
        for (int k = 0; k < 2; k++)
            if (*ft[k] == DV_NO_DATE || s->date < *ft[k]) *ft[k] = s->date;
    }
    dv_map_free(&item_of_code);
}

/* Load, check and sort one table. */
static int load_path(dv_dataset *ds, const dv_load_options *opt, dv_table_id t, const char *path,
                     const char *label, bool reference, const char **format, dv_error *err);

static int load_one(dv_dataset *ds, const dv_load_options *opt, dv_table_id t, bool required,
                    dv_error *err)
{
    char *path = NULL;
    int rc = find_table(ds->dir, dv_table_names[t], &path, err);
    if (rc) return rc;
    bool reference = false;
    if (!path) {
        if (t == DV_T_COUNTRIES || t == DV_T_ITEMS) reference = true;
        else if (required)
            return dv_fail(err, DV_EXIT_INPUT, "%s: missing table %s.csv (or %s.csv.gz)", ds->dir,
                           dv_table_names[t], dv_table_names[t]);
        else
            return 0;
    }
    const char *format = NULL;
    rc = load_path(ds, opt, t, path, dv_table_names[t], reference, &format, err);
    free(path);
    return rc;
}

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every watchlist file: watchlist.csv and any watchlist*.csv (or .csv.gz),
 * in name order, each in the format its header shows. A file's rejects
 * carry its name without the extension as their table. */
static int load_lists(dv_dataset *ds, const dv_load_options *opt, dv_error *err)
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
    if (n) qsort(names, n, sizeof *names, cmp_cstr);
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
        rc = load_path(ds, opt, DV_T_WATCHLIST, path, label, false, &format, err);
        if (!rc) {
            dv_list_file lf = {dv_arena_strndup(&ds->arena, path, strlen(path)), label, format,
                               info->rows_read - read0, (long)ds->n_watch - loaded0,
                               info->rows_rejected - rejected0};
            DV_PUSH(ds->lists, ds->n_lists, ds->cap_lists, lf);
        }
        free(path);
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    return rc;
}

static int load_path(dv_dataset *ds, const dv_load_options *opt, dv_table_id t, const char *path,
                     const char *label, bool reference, const char **format, dv_error *err)
{
    loader L = {0};
    L.opt = opt;
    L.cols = table_cols[t];
    L.label = label;
    int rc = read_table(ds, &L, t, path, reference, err);
    *format = L.format;
    for (size_t i = 0; L.header && i < L.header_fields; i++) free(L.header[i]);
    free(L.header);
    if (rc) {
        free(L.stage);
        return rc;
    }

    dv_table_info *info = &ds->tables[t];
    size_t n = t == DV_T_ENTITIES ? ds->n_entities : t == DV_T_SHIPMENTS ? ds->n_shipments
             : t == DV_T_ITEMS ? ds->n_items : t == DV_T_COUNTRIES ? ds->n_countries
             : t == DV_T_LICENCES ? ds->n_licences : ds->n_watch;
    bool *dead = dv_xcalloc(n ? n : 1, sizeof *dead);

    if (t != DV_T_WATCHLIST) resolve_duplicates(&L, dead);

    switch (t) {
    case DV_T_ENTITIES:
        ds->n_entities = compact(ds->entities, n, sizeof *ds->entities, dead);
        dv_qsort(ds->entities, ds->n_entities, sizeof *ds->entities, cmp_entity);
        for (size_t i = 0; i < ds->n_entities; i++)
            dv_map_put(&ds->entity_by_id, ds->entities[i].id, (uint32_t)i, NULL);
        info->rows_loaded = (long)ds->n_entities;
        break;
    case DV_T_SHIPMENTS:
        /* millions of rows stay in input order: whatever depends on their
         * order sorts them by (date, id) itself (graph.c, detect.c), so no
         * string sort and no shuffling of ten million records here */
        ds->n_shipments = compact(ds->shipments, n, sizeof *ds->shipments, dead);
        info->rows_loaded = (long)ds->n_shipments;
        break;
    case DV_T_ITEMS:
        ds->n_items = compact(ds->items, n, sizeof *ds->items, dead);
        dv_qsort(ds->items, ds->n_items, sizeof *ds->items, cmp_item);
        info->rows_loaded = (long)ds->n_items;
        break;
    case DV_T_COUNTRIES:
        ds->n_countries = compact(ds->countries, n, sizeof *ds->countries, dead);
        dv_qsort(ds->countries, ds->n_countries, sizeof *ds->countries, cmp_country);
        info->rows_loaded = (long)ds->n_countries;
        break;
    case DV_T_LICENCES:
        ds->n_licences = compact(ds->licences, n, sizeof *ds->licences, dead);
        dv_qsort(ds->licences, ds->n_licences, sizeof *ds->licences, cmp_licence);
        info->rows_loaded = (long)ds->n_licences;
        break;
    case DV_T_WATCHLIST:
        dv_qsort(ds->watchlist, ds->n_watch, sizeof *ds->watchlist, cmp_watch);
        info->rows_loaded = (long)ds->n_watch;
        break;
    default:
        break;
    }
    free(dead);
    free(L.stage);
    if (info->rows_read != info->rows_loaded + info->rows_rejected)
        return dv_fail(err, DV_EXIT_INTERNAL,
                       "%s: internal accounting error: %ld rows read, %ld loaded, %ld rejected",
                       info->path, info->rows_read, info->rows_loaded, info->rows_rejected);
    return 0;
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
    static const dv_table_id order[] = {DV_T_ENTITIES, DV_T_COUNTRIES, DV_T_ITEMS,
                                        DV_T_LICENCES, DV_T_WATCHLIST, DV_T_SHIPMENTS};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        dv_table_id t = order[i];
        if (t == DV_T_SHIPMENTS && opt->no_shipments) continue;
        int rc = t == DV_T_WATCHLIST ? load_lists(ds, opt, err)
                                     : load_one(ds, opt, t, t == DV_T_ENTITIES || t == DV_T_SHIPMENTS, err);
        if (rc) return rc;
    }
    int rc = fill_records(ds, opt, err);
    if (rc) return rc;
    dv_qsort(ds->rejects, ds->n_rejects, sizeof *ds->rejects, cmp_reject);
    derive(ds);
    return 0;
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
    dv_intern_free(&ds->strings);
    dv_arena_free(&ds->arena);
    memset(ds, 0, sizeof *ds);
}
