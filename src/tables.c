/*
 * tables.c: the SPEC tables (SPEC 1): entities, shipments, items,
 * countries and licences, each as its columns, a row parser and a
 * descriptor for loader.c. The watchlist formats are in lists.c.
 *
 * A parser checks every value of a row and either pushes one typed record
 * or rejects the row with the column and the reason; references to
 * entities resolve during the pass (entities load first).
 */
#include <ctype.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "divert/loader.h"
#include "divert/screen.h"

/* ---- entities ---- */

enum { E_ID, E_NAME, E_ROLE, E_COUNTRY, E_REGISTERED, E_ADDRESS, E_ALIASES, E_SECTOR, E_COUNT };
_Static_assert(E_COUNT <= DV_MAX_COLS, "entities has more columns than a loader holds");
static const dv_col_spec entity_cols[E_COUNT] = {
    [E_ID] = {"id", true},           [E_NAME] = {"name", true},
    [E_ROLE] = {"role", true},       [E_COUNTRY] = {"country", true},
    [E_REGISTERED] = {"registered", false}, [E_ADDRESS] = {"address", false},
    [E_ALIASES] = {"aliases", false}, [E_SECTOR] = {"sector", false}};

const char *const dv_role_names[DV_ROLE_COUNT] = {
    [DV_ROLE_MANUFACTURER] = "manufacturer", [DV_ROLE_SUBCONTRACTOR] = "subcontractor",
    [DV_ROLE_DISTRIBUTOR] = "distributor",   [DV_ROLE_INTERMEDIARY] = "intermediary",
    [DV_ROLE_FREIGHT_FORWARDER] = "freight_forwarder", [DV_ROLE_END_USER] = "end_user",
    [DV_ROLE_OTHER] = "other"};

const char *const dv_sector_names[DV_SECTOR_COUNT] = {
    [DV_SECTOR_UNKNOWN] = "unknown",       [DV_SECTOR_HEALTH] = "health",
    [DV_SECTOR_HUMANITARIAN] = "humanitarian", [DV_SECTOR_RESEARCH] = "research",
    [DV_SECTOR_EDUCATION] = "education",   [DV_SECTOR_COMMERCIAL] = "commercial",
    [DV_SECTOR_FINANCE] = "finance",       [DV_SECTOR_TRANSPORT] = "transport",
    [DV_SECTOR_GOVERNMENT] = "government", [DV_SECTOR_BORDER] = "border",
    [DV_SECTOR_POLICE] = "police",         [DV_SECTOR_SECURITY] = "security",
    [DV_SECTOR_INTELLIGENCE] = "intelligence", [DV_SECTOR_MILITARY] = "military"};

#define SECTOR_LIST                                                                            \
    "health, humanitarian, research, education, commercial, finance, transport, government, "  \
    "border, police, security, intelligence, military, unknown"

/* The next non-empty item of a `;`-separated list s[0..len) from *pos
 * on, trimmed: false when there is none. */
static bool next_item(const char *s, size_t len, size_t *pos, dv_field *item)
{
    while (*pos <= len) {
        size_t start = *pos, end = start;
        while (end < len && s[end] != ';') end++;
        *pos = end + 1;
        *item = (dv_field){s + start, end - start, 0};
        item->s = dv_trim(item->s, &item->len);
        if (item->len) return true;
    }
    return false;
}

int dv_sector_find(const char *s, size_t len)
{
    s = dv_trim(s, &len);
    if (!len) return DV_SECTOR_UNKNOWN;
    for (int k = 0; k < DV_SECTOR_COUNT; k++)
        if (dv_ieq(s, len, dv_sector_names[k])) return k;
    return -1;
}

bool dv_sector_set(const char *s, size_t len, unsigned *set, const char **bad, size_t *bad_len)
{
    *set = 0;
    size_t pos = 0;
    dv_field tok;
    while (next_item(s, len, &pos, &tok)) {
        int k = dv_sector_find(tok.s, tok.len);
        if (k < 0) {
            *bad = tok.s;
            *bad_len = tok.len;
            return false;
        }
        *set |= DV_SECTOR_BIT(k);
    }
    return true;
}

void dv_sector_set_text(unsigned set, char *out, size_t cap)
{
    size_t n = 0;
    if (cap) out[0] = '\0';
    for (int k = 0; k < DV_SECTOR_COUNT; k++) {
        if (!(set & DV_SECTOR_BIT(k))) continue;
        int w = snprintf(out + n, n < cap ? cap - n : 0, "%s%s", n ? ";" : "", dv_sector_names[k]);
        if (w > 0) n += (size_t)w;
    }
}

static int parse_entity(dv_loader *L, const dv_csv_row *row)
{
    dv_field id = dv_loader_get(L, row, E_ID), name = dv_loader_get(L, row, E_NAME),
             role = dv_loader_get(L, row, E_ROLE), country = dv_loader_get(L, row, E_COUNTRY);
    if (!dv_need(L, row, E_ID, id) || !dv_need(L, row, E_NAME, name) ||
        !dv_need(L, row, E_ROLE, role) || !dv_need(L, row, E_COUNTRY, country))
        return 0;
    int r = -1;
    for (int k = 0; k < DV_ROLE_COUNT; k++)
        if (dv_ieq(role.s, role.len, dv_role_names[k])) r = k;
    if (r < 0)
        return dv_loader_reject(L, row, DV_COL(L, E_ROLE), "bad_role",
                                "role \"%.*s\" is not one of manufacturer, subcontractor, "
                                "distributor, intermediary, freight_forwarder, end_user, other",
                                DV_SHOWN(role));
    dv_field sector = dv_loader_get(L, row, E_SECTOR);
    int sec = dv_sector_find(sector.s, sector.len);
    if (sec < 0)
        return dv_loader_reject(L, row, DV_COL(L, E_SECTOR), "bad_sector",
                                "sector \"%.*s\" is not one of " SECTOR_LIST, DV_SHOWN(sector));
    dv_entity *e = dv_loader_next(L);
    *e = (dv_entity){0};
    e->sector = (dv_sector)sec;
    if (!dv_country_code(L, row, E_COUNTRY, country, e->country)) return 0;
    if (!dv_opt_date(L, row, E_REGISTERED, &e->registered)) return 0;
    e->id = dv_loader_copy(L, id);
    e->name = dv_loader_copy(L, name);
    e->role = (dv_role)r;
    e->address = dv_loader_copy(L, dv_loader_get(L, row, E_ADDRESS));
    e->aliases = dv_loader_list(L, dv_loader_get(L, row, E_ALIASES), &e->naliases);
    /* every alias is a name to screen: a row's work is bounded */
    if (e->naliases > DV_SCREEN_MAX_ALIASES)
        return dv_loader_reject(L, row, DV_COL(L, E_ALIASES), "too_many_aliases",
                                "%u aliases, more than the %d a row may have",
                                (unsigned)e->naliases, DV_SCREEN_MAX_ALIASES);
    e->line = row->line;
    e->country_idx = DV_NONE;
    e->first_trade = DV_NO_DATE;
    dv_loader_keep_hashed(L, row, id.hash);
    return 0;
}

static int cmp_entity(const void *a, const void *b)
{
    return strcmp(((const dv_entity *)a)->id, ((const dv_entity *)b)->id);
}

static void index_entities(dv_dataset *ds)
{
    dv_map_index(&ds->entity_by_id, ds->entities, ds->n_entities, sizeof *ds->entities,
                 offsetof(dv_entity, id));
}

static const char *entity_key(const void *rec) { return ((const dv_entity *)rec)->id; }

const dv_table_def dv_entities_def = {
    .id = DV_T_ENTITIES,
    .cols = entity_cols,
    .n_cols = E_COUNT,
    .parse = parse_entity,
    .row_size = sizeof(dv_entity),
    .rows_offset = offsetof(dv_dataset, entities),
    .count_offset = offsetof(dv_dataset, n_entities),
    .cmp = cmp_entity,
    .cmp_is_key = true,
    .key_offset = offsetof(dv_entity, id),
    .unique_key = true,
    .key_of = entity_key,
    .line_offset = offsetof(dv_entity, line),
    .loaded = index_entities,
};

/* ---- shipments ---- */

enum {
    S_ID, S_DATE, S_SHIPPER, S_CONSIGNEE, S_ITEM, S_QUANTITY, S_VALUE, S_DECLARED, S_LICENCE,
    S_COUNT
};
_Static_assert(S_COUNT <= DV_MAX_COLS, "shipments has more columns than a loader holds");
static const dv_col_spec shipment_cols[S_COUNT] = {
    [S_ID] = {"id", true},
    [S_DATE] = {"date", true},
    [S_SHIPPER] = {"shipper_id", true},
    [S_CONSIGNEE] = {"consignee_id", true},
    [S_ITEM] = {"item", true},
    [S_QUANTITY] = {"quantity", true},
    [S_VALUE] = {"value", false},
    [S_DECLARED] = {"declared_end_user_id", false},
    [S_LICENCE] = {"license_id", false}};

/* Item spellings repeat on millions of rows, but real extracts hold a
 * hundred thousand and more of them (`8471.30.0100`, `847130 01` ...):
 * a map from each spelling as written to its interned text and its
 * normalised code, so that a row costs one probe. */
typedef struct item_spellings {
    dv_map map;                   /* spelling -> index below */
    struct spelling {
        const char *given, *code;
        uint32_t item_idx;        /* its item entry (the items table loads first) */
    } *of;
    size_t n, cap;
} item_spellings;

static void item_spellings_free(void *p)
{
    item_spellings *sp = p;
    dv_map_free(&sp->map);
    free(sp->of);
    free(sp);
}

static int parse_shipment(dv_loader *L, const dv_csv_row *row)
{
    dv_dataset *ds = L->ds;
    dv_field id = dv_loader_get(L, row, S_ID), date = dv_loader_get(L, row, S_DATE),
             shipper = dv_loader_get(L, row, S_SHIPPER),
             consignee = dv_loader_get(L, row, S_CONSIGNEE), item = dv_loader_get(L, row, S_ITEM),
             quantity = dv_loader_get(L, row, S_QUANTITY);
    if (!dv_need(L, row, S_ID, id) || !dv_need(L, row, S_DATE, date) ||
        !dv_need(L, row, S_SHIPPER, shipper) || !dv_need(L, row, S_CONSIGNEE, consignee) ||
        !dv_need(L, row, S_ITEM, item) || !dv_need(L, row, S_QUANTITY, quantity))
        return 0;
    dv_shipment *s = dv_loader_next(L);
    *s = (dv_shipment){0};
    const char *why;
    if (!dv_parse_date(date.s, date.len, &s->date, &why))
        return dv_loader_reject(L, row, DV_COL(L, S_DATE), "bad_date", "date \"%.*s\" %s",
                                DV_SHOWN(date), why);
    if (!dv_opt_number(L, row, S_QUANTITY, 0, DV_MAX_NUMBER, &s->quantity, 0)) return 0;
    if (!dv_opt_number(L, row, S_VALUE, 0, DV_MAX_NUMBER, &s->value, NAN)) return 0;
    if (!L->scratch) {
        L->scratch = dv_xcalloc(1, sizeof(item_spellings));
        L->free_scratch = item_spellings_free;
    }
    item_spellings *sp = L->scratch;
    uint32_t k;
    if (!dv_map_get_hashed(&sp->map, item.s, item.len,
                           item.hash ? item.hash : dv_hash_fast(item.s, item.len), &k)) {
        char code[256];
        if (!dv_item_code(L, row, S_ITEM, item, code)) return 0;
        const char *given = dv_loader_intern(L, item);
        const char *item_code = dv_intern_str(&ds->strings, code, strlen(code));
        struct spelling one = {given, item_code, dv_item_lookup(ds, item_code)};
        k = (uint32_t)sp->n;
        dv_map_put(&sp->map, given, k, NULL);
        DV_PUSH(sp->of, sp->n, sp->cap, one);
    }
    if (shipper.len == consignee.len && memcmp(shipper.s, consignee.s, shipper.len) == 0)
        return dv_loader_reject(L, row, DV_COL(L, S_CONSIGNEE), "self_shipment",
                                "shipper_id and consignee_id are both \"%.*s\"", (int)shipper.len,
                                shipper.s);
    /* references resolve now: entities are loaded before shipments */
    if (!dv_ref_entity(L, row, S_SHIPPER, shipper, &s->shipper) ||
        !dv_ref_entity(L, row, S_CONSIGNEE, consignee, &s->consignee) ||
        !dv_ref_entity(L, row, S_DECLARED, dv_loader_get(L, row, S_DECLARED), &s->declared_end_user))
        return 0;
    /* shipment ids are unique: a plain copy, not worth interning */
    s->id = dv_arena_strndup(&ds->arena, id.s, id.len);
    s->item = sp->of[k].given;
    s->item_code = sp->of[k].code;
    s->item_idx = sp->of[k].item_idx;
    /* licences are loaded before shipments: the licence cited is found
     * now, and where the papers name no end user, the licence's is the
     * declared one (SPEC 1) */
    dv_field lic = dv_loader_get(L, row, S_LICENCE);
    uint32_t li;
    if (!lic.len) {
        s->licence_id = NULL;
    } else if (dv_map_get_hashed(&ds->licence_by_id, lic.s, lic.len, lic.hash, &li)) {
        const dv_licence *l = &ds->licences[li];
        s->licence_id = l->id;
        s->licence_known = true;
        if (s->declared_end_user == DV_NONE && l->end_user != DV_NONE) {
            s->declared_end_user = l->end_user;
            s->declared_by_licence = true;
        }
    } else {
        s->licence_id = dv_loader_intern(L, lic); /* counted in the summary (dataset.c) */
    }
    s->line = row->line;
    dv_loader_keep_hashed(L, row, id.hash);
    return 0;
}

/* Millions of rows stay in input order: whatever depends on their order
 * sorts them by (date, id) itself (graph.c, detect.c), so no string sort
 * and no shuffling of ten million records here. */
static const int shipment_refs[] = {S_SHIPPER, S_CONSIGNEE, S_DECLARED, -1};

static const char *shipment_key(const void *rec) { return ((const dv_shipment *)rec)->id; }

const dv_table_def dv_shipments_def = {
    .id = DV_T_SHIPMENTS,
    .entity_refs = shipment_refs,
    .cols = shipment_cols,
    .n_cols = S_COUNT,
    .parse = parse_shipment,
    .row_size = sizeof(dv_shipment),
    .rows_offset = offsetof(dv_dataset, shipments),
    .count_offset = offsetof(dv_dataset, n_shipments),
    .cmp = NULL,
    .unique_key = true,
    .key_of = shipment_key,
    .line_offset = offsetof(dv_shipment, line),
};

/* ---- items ---- */

enum { I_CODE, I_DESCRIPTION, I_CONTROL, I_CATEGORY, I_SENSITIVITY, I_HUMAN_RIGHTS, I_COUNT };
_Static_assert(I_COUNT <= DV_MAX_COLS, "items has more columns than a loader holds");
static const dv_col_spec item_cols[I_COUNT] = {
    [I_CODE] = {"code", true},         [I_DESCRIPTION] = {"description", false},
    [I_CONTROL] = {"control", false},  [I_CATEGORY] = {"category", false},
    [I_SENSITIVITY] = {"sensitivity", false}, [I_HUMAN_RIGHTS] = {"human_rights", false}};

static bool not_controlled(const char *control)
{
    if (!control) return true;
    size_t n = strlen(control);
    return dv_ieq(control, n, "EAR99") || dv_ieq(control, n, "NONE");
}

static int parse_item(dv_loader *L, const dv_csv_row *row)
{
    dv_dataset *ds = L->ds;
    dv_field code = dv_loader_get(L, row, I_CODE);
    if (!dv_need(L, row, I_CODE, code)) return 0;
    char norm[256];
    if (!dv_item_code(L, row, I_CODE, code, norm)) return 0;
    dv_item *it = dv_loader_next(L);
    *it = (dv_item){0};
    if (!dv_opt_number(L, row, I_SENSITIVITY, 0, 1, &it->sensitivity, 0.5)) return 0;
    dv_field hr = dv_loader_get(L, row, I_HUMAN_RIGHTS);
    if (hr.len && !(hr.len == 1 && (hr.s[0] == '0' || hr.s[0] == '1')))
        return dv_loader_reject(L, row, DV_COL(L, I_HUMAN_RIGHTS), "bad_flag",
                                "human_rights \"%.*s\" is not 0 or 1", DV_SHOWN(hr));
    it->human_rights = hr.len && hr.s[0] == '1';
    it->code = dv_intern_str(&ds->strings, norm, strlen(norm));
    it->code_given = dv_loader_intern(L, code);
    it->description = dv_loader_intern(L, dv_loader_get(L, row, I_DESCRIPTION));
    it->control = dv_loader_intern(L, dv_loader_get(L, row, I_CONTROL));
    it->category = dv_loader_intern(L, dv_loader_get(L, row, I_CATEGORY));
    it->controlled = !not_controlled(it->control);
    it->analysed = it->controlled || it->human_rights; /* SPEC 3: the EU catch-all */
    it->line = row->line;
    dv_loader_keep(L, row, it->code);
    return 0;
}

static int cmp_item(const void *a, const void *b)
{
    return strcmp(((const dv_item *)a)->code, ((const dv_item *)b)->code);
}

static const char *item_key(const void *rec) { return ((const dv_item *)rec)->code; }

const dv_table_def dv_items_def = {
    .id = DV_T_ITEMS,
    .cols = item_cols,
    .n_cols = I_COUNT,
    .parse = parse_item,
    .row_size = sizeof(dv_item),
    .rows_offset = offsetof(dv_dataset, items),
    .count_offset = offsetof(dv_dataset, n_items),
    .cmp = cmp_item,
    .unique_key = true,
    .key_of = item_key,
    .line_offset = offsetof(dv_item, line),
};

/* ---- countries ---- */

enum { C_CODE, C_NAME, C_ROL, C_DP, C_CL, C_REGIMES, C_HUB, C_DEST, C_COUNT };
_Static_assert(C_COUNT <= DV_MAX_COLS, "countries has more columns than a loader holds");
static const dv_col_spec country_cols[C_COUNT] = {
    [C_CODE] = {"code", true},
    [C_NAME] = {"name", false},
    [C_ROL] = {"rule_of_law", false},
    [C_DP] = {"data_protection", false},
    [C_CL] = {"civil_liberties", false},
    [C_REGIMES] = {"regimes", false},
    [C_HUB] = {"hub", false},
    [C_DEST] = {"destination", false}};

static int parse_country(dv_loader *L, const dv_csv_row *row)
{
    dv_dataset *ds = L->ds;
    dv_field code = dv_loader_get(L, row, C_CODE);
    if (!dv_need(L, row, C_CODE, code)) return 0;
    dv_country *c = dv_loader_next(L);
    *c = (dv_country){0};
    if (!dv_country_code(L, row, C_CODE, code, c->code)) return 0;
    if (!dv_opt_number(L, row, C_ROL, 0, 1, &c->rule_of_law, NAN) ||
        !dv_opt_number(L, row, C_DP, 0, 1, &c->data_protection, NAN) ||
        !dv_opt_number(L, row, C_CL, 0, 1, &c->civil_liberties, NAN))
        return 0;
    dv_field regimes = dv_loader_get(L, row, C_REGIMES);
    static const char *const regime_names[] = {"WA", "AG", "NSG", "MTCR"};
    size_t pos = 0;
    dv_field tok;
    while (next_item(regimes.s, regimes.len, &pos, &tok)) {
        int k = 0;
        while (k < 4 && !dv_ieq(tok.s, tok.len, regime_names[k])) k++;
        if (k == 4)
            return dv_loader_reject(L, row, DV_COL(L, C_REGIMES), "bad_regime",
                                    "regime \"%.*s\" is not one of WA, AG, NSG, MTCR",
                                    DV_SHOWN(tok));
        if (!(c->regimes & (1u << k))) c->nregimes++;
        c->regimes |= 1u << k;
    }
    dv_field hub = dv_loader_get(L, row, C_HUB);
    if (hub.len && !(hub.len == 1 && (hub.s[0] == '0' || hub.s[0] == '1')))
        return dv_loader_reject(L, row, DV_COL(L, C_HUB), "bad_flag", "hub \"%.*s\" is not 0 or 1",
                                DV_SHOWN(hub));
    c->hub = hub.len && hub.s[0] == '1';
    dv_field dest = dv_loader_get(L, row, C_DEST);
    if (!dest.len || dv_ieq(dest.s, dest.len, "none")) c->destination = DV_DEST_NONE;
    else if (dv_ieq(dest.s, dest.len, "elevated")) c->destination = DV_DEST_ELEVATED;
    else if (dv_ieq(dest.s, dest.len, "embargoed")) c->destination = DV_DEST_EMBARGOED;
    else
        return dv_loader_reject(L, row, DV_COL(L, C_DEST), "bad_destination",
                                "destination \"%.*s\" is not none, elevated or embargoed",
                                DV_SHOWN(dest));
    c->name = dv_loader_intern(L, dv_loader_get(L, row, C_NAME));
    c->line = row->line;
    dv_loader_keep(L, row, dv_intern_str(&ds->strings, c->code, 2));
    return 0;
}

static int cmp_country(const void *a, const void *b)
{
    return strcmp(((const dv_country *)a)->code, ((const dv_country *)b)->code);
}

static const char *country_key(const void *rec) { return ((const dv_country *)rec)->code; }

const dv_table_def dv_countries_def = {
    .id = DV_T_COUNTRIES,
    .cols = country_cols,
    .n_cols = C_COUNT,
    .parse = parse_country,
    .row_size = sizeof(dv_country),
    .rows_offset = offsetof(dv_dataset, countries),
    .count_offset = offsetof(dv_dataset, n_countries),
    .cmp = cmp_country,
    .unique_key = true,
    .key_of = country_key,
    .line_offset = offsetof(dv_country, line),
};

/* ---- licences ---- */

enum {
    L_ID, L_EXPORTER, L_ITEM, L_DEST, L_END_USER, L_FROM, L_TO, L_END_USE, L_QUANTITY, L_SECTORS,
    L_COUNT
};
_Static_assert(L_COUNT <= DV_MAX_COLS, "licenses has more columns than a loader holds");
static const dv_col_spec licence_cols[L_COUNT] = {
    [L_ID] = {"id", true},
    [L_EXPORTER] = {"exporter_id", true},
    [L_ITEM] = {"item", true},
    [L_DEST] = {"destination", true},
    [L_END_USER] = {"end_user_id", false},
    [L_FROM] = {"valid_from", false},
    [L_TO] = {"valid_to", false},
    [L_END_USE] = {"end_use", false},
    [L_QUANTITY] = {"quantity", false},
    [L_SECTORS] = {"sectors", false}};

static int parse_licence(dv_loader *L, const dv_csv_row *row)
{
    dv_dataset *ds = L->ds;
    dv_field id = dv_loader_get(L, row, L_ID), exporter = dv_loader_get(L, row, L_EXPORTER),
             item = dv_loader_get(L, row, L_ITEM), dest = dv_loader_get(L, row, L_DEST);
    if (!dv_need(L, row, L_ID, id) || !dv_need(L, row, L_EXPORTER, exporter) ||
        !dv_need(L, row, L_ITEM, item) || !dv_need(L, row, L_DEST, dest))
        return 0;
    dv_licence *l = dv_loader_next(L);
    *l = (dv_licence){0};
    if (!dv_country_code(L, row, L_DEST, dest, l->destination)) return 0;
    char norm[256];
    if (!dv_item_code(L, row, L_ITEM, item, norm)) return 0;
    if (!dv_opt_date(L, row, L_FROM, &l->valid_from) || !dv_opt_date(L, row, L_TO, &l->valid_to))
        return 0;
    if (l->valid_from != DV_NO_DATE && l->valid_to != DV_NO_DATE && l->valid_from > l->valid_to)
        return dv_loader_reject(L, row, DV_COL(L, L_TO), "bad_date_order",
                                "valid_to is before valid_from");
    if (!dv_opt_number(L, row, L_QUANTITY, 0, DV_MAX_NUMBER, &l->quantity, NAN)) return 0;
    dv_field sectors = dv_loader_get(L, row, L_SECTORS);
    dv_field bad;
    if (!dv_sector_set(sectors.s, sectors.len, &l->sectors, &bad.s, &bad.len))
        return dv_loader_reject(L, row, DV_COL(L, L_SECTORS), "bad_sector",
                                "sector \"%.*s\" is not one of " SECTOR_LIST, DV_SHOWN(bad));
    if (!dv_ref_entity(L, row, L_EXPORTER, exporter, &l->exporter) ||
        !dv_ref_entity(L, row, L_END_USER, dv_loader_get(L, row, L_END_USER), &l->end_user))
        return 0;
    l->id = dv_loader_copy(L, id);
    l->item_code = dv_intern_str(&ds->strings, norm, strlen(norm));
    l->end_use = dv_loader_intern(L, dv_loader_get(L, row, L_END_USE));
    l->line = row->line;
    dv_loader_keep_hashed(L, row, id.hash);
    return 0;
}

static int cmp_licence(const void *a, const void *b)
{
    return strcmp(((const dv_licence *)a)->id, ((const dv_licence *)b)->id);
}

/* for the shipments, which cite licences by id */
static void index_licences(dv_dataset *ds)
{
    dv_map_index(&ds->licence_by_id, ds->licences, ds->n_licences, sizeof *ds->licences,
                 offsetof(dv_licence, id));
}

static const char *licence_key(const void *rec) { return ((const dv_licence *)rec)->id; }

const dv_table_def dv_licences_def = {
    .id = DV_T_LICENCES,
    .cols = licence_cols,
    .n_cols = L_COUNT,
    .parse = parse_licence,
    .row_size = sizeof(dv_licence),
    .rows_offset = offsetof(dv_dataset, licences),
    .count_offset = offsetof(dv_dataset, n_licences),
    .cmp = cmp_licence,
    .cmp_is_key = true,
    .key_offset = offsetof(dv_licence, id),
    .unique_key = true,
    .key_of = licence_key,
    .line_offset = offsetof(dv_licence, line),
    .loaded = index_licences,
};
