/*
 * test_dataset.c: rows to typed tables (SPEC 1). Structural errors, every
 * row-level reject with its reason code and column, duplicate ids, entity
 * references, the record text of rejects, the row accounting, item
 * entries by longest prefix, the reference tables, watchlist matching and
 * the order of rows.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "divert/dataset.h"
#include "divert/loader.h"
#include "support.h"

/* ---- fixtures ---- */

static const char *const entities_csv =
    "id,name,role,country,registered,address,aliases\n"
    "E1,Maker GmbH,manufacturer,DE,2001-05-01,1 Main St,\n"
    "E2,Hub Trading FZE,intermediary,AE,2023-11-01,,Hub Trade\n"
    "E3,Securtech,end_user,RU,,,\n";

static const char *const shipments_csv =
    "id,date,shipper_id,consignee_id,item,quantity,value,declared_end_user_id,license_id\n"
    "S1,2024-03-01,E1,E2,3A981,10,1000,E3,L1\n"
    "S2,2024-03-20,E2,E3,3A981,10,1000,,\n";

static const char *const licences_csv =
    "id,exporter_id,item,destination,end_user_id,valid_from,valid_to,end_use,quantity\n"
    "L1,E1,3A981,AE,,2024-01-01,2024-12-31,,\n";

static const char *const watchlist_csv =
    "name,id,aliases,country,source\n"
    "Nobody Ltd,W1,,XX,test\n";

/* Make a dataset of the base tables, with text appended to one of them
 * (a row and its line end), or NULL. */
static char *base_dataset(dv_table_id extend, const char *extra)
{
    const char *base[DV_T_COUNT] = {entities_csv,      shipments_csv, dvt_items_csv,
                                    dvt_countries_csv, licences_csv,  watchlist_csv};
    char *text[DV_T_COUNT];
    for (int t = 0; t < DV_T_COUNT; t++)
        text[t] = dv_xasprintf("%s%s", base[t], t == (int)extend && extra ? extra : "");
    char *dir = dvt_dataset("entities.csv", text[DV_T_ENTITIES], "shipments.csv",
                            text[DV_T_SHIPMENTS], "items.csv", text[DV_T_ITEMS], "countries.csv",
                            text[DV_T_COUNTRIES], "licenses.csv", text[DV_T_LICENCES],
                            "watchlist.csv", text[DV_T_WATCHLIST], NULL);
    for (int t = 0; t < DV_T_COUNT; t++) free(text[t]);
    return dir;
}

static size_t rejects_of(const dv_dataset *ds, const char *table)
{
    size_t n = 0;
    for (size_t i = 0; i < ds->n_rejects; i++) n += strcmp(ds->rejects[i].table, table) == 0;
    return n;
}

/* The one reject of a table at a line. */
static const dv_reject *reject_at(const dv_dataset *ds, const char *table, long line)
{
    const dv_reject *found = NULL;
    for (size_t i = 0; i < ds->n_rejects; i++) {
        const dv_reject *r = &ds->rejects[i];
        if (strcmp(r->table, table) != 0 || r->line != line) continue;
        if (found) fail_msg("two rejects for %s line %ld", table, line);
        found = r;
    }
    if (!found) {
        for (size_t i = 0; i < ds->n_rejects; i++)
            print_message("  reject: %s:%ld %s %s: %s\n", ds->rejects[i].table,
                          ds->rejects[i].line, ds->rejects[i].column, ds->rejects[i].code,
                          ds->rejects[i].detail);
        fail_msg("no reject for %s line %ld", table, line);
    }
    return found;
}

static void assert_reject(const dv_reject *r, const char *column, const char *code)
{
    if (strcmp(r->column, column) != 0 || strcmp(r->code, code) != 0)
        fail_msg("%s:%ld: column \"%s\" code %s (%s), expected column \"%s\" code %s", r->table,
                 r->line, r->column, r->code, r->detail, column, code);
}

static void assert_accounting(const dv_dataset *ds)
{
    for (int t = 0; t < DV_T_COUNT; t++) {
        const dv_table_info *info = &ds->tables[t];
        if (info->rows_read != info->rows_loaded + info->rows_rejected)
            fail_msg("%s: read %ld, loaded %ld, rejected %ld", dv_table_names[t], info->rows_read,
                     info->rows_loaded, info->rows_rejected);
        if ((size_t)info->rows_rejected != rejects_of(ds, dv_table_names[t]))
            fail_msg("%s: %ld rejected but %zu rejects listed", dv_table_names[t],
                     info->rows_rejected, rejects_of(ds, dv_table_names[t]));
    }
    size_t n[DV_T_COUNT] = {ds->n_entities, ds->n_shipments, ds->n_items,
                            ds->n_countries, ds->n_licences, ds->n_watch};
    for (int t = 0; t < DV_T_COUNT; t++)
        if ((size_t)ds->tables[t].rows_loaded != n[t])
            fail_msg("%s: rows_loaded %ld but %zu rows", dv_table_names[t],
                     ds->tables[t].rows_loaded, n[t]);
}

static void load_error(const char *dir, const char *msg_after_dir)
{
    dv_dataset ds;
    dv_error err = {0, ""};
    dvt_load(&ds, dir, NULL, DV_EXIT_INPUT, &err);
    char *want = dv_xasprintf("%s%s", dir, msg_after_dir);
    assert_int_equal(err.code, DV_EXIT_INPUT);
    if (strcmp(err.msg, want) != 0) fail_msg("\"%s\", expected \"%s\"", err.msg, want);
    free(want);
    dv_dataset_free(&ds);
}

/* ---- loading ---- */

static void valid_dataset_loads_with_exact_counts(void **state)
{
    (void)state;
    char *dir = base_dataset(DV_T_COUNT, NULL);
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);
    assert_int_equal(ds.n_entities, 3);
    assert_int_equal(ds.n_shipments, 2);
    assert_int_equal(ds.n_items, 3);
    assert_int_equal(ds.n_countries, 8);
    assert_int_equal(ds.n_licences, 1);
    assert_int_equal(ds.n_watch, 1);
    assert_int_equal(ds.n_rejects, 0);
    static const long read[DV_T_COUNT] = {3, 2, 3, 8, 1, 1};
    for (int t = 0; t < DV_T_COUNT; t++) {
        assert_true(ds.tables[t].present);
        assert_false(ds.tables[t].reference);
        assert_int_equal(ds.tables[t].rows_read, read[t]);
        assert_int_equal(ds.tables[t].n_unknown, 0);
    }
    assert_accounting(&ds);

    const dv_entity *e1 = &ds.entities[dv_entity_find(&ds, "E1")];
    assert_string_equal(e1->name, "Maker GmbH");
    assert_int_equal(e1->role, DV_ROLE_MANUFACTURER);
    assert_string_equal(e1->country, "DE");
    assert_int_equal(e1->registered, 11443); /* 2001-05-01 */
    assert_string_equal(e1->address, "1 Main St");
    assert_true(e1->address_hash == (dv_hash_fast("1 MAIN ST", 9) | 1));
    assert_int_equal(e1->naliases, 0);
    assert_int_equal(e1->line, 2);
    assert_int_equal(e1->first_trade, 19783); /* 2024-03-01 */
    assert_string_equal(ds.countries[e1->country_idx].code, "DE");
    const dv_entity *e2 = &ds.entities[dv_entity_find(&ds, "E2")];
    assert_int_equal(e2->naliases, 1);
    assert_string_equal(e2->aliases[0], "Hub Trade");
    assert_null(e2->address);
    assert_true(e2->address_hash == 0);
    const dv_entity *e3 = &ds.entities[dv_entity_find(&ds, "E3")];
    assert_int_equal(e3->registered, DV_NO_DATE);
    assert_int_equal(e3->first_trade, 19802); /* 2024-03-20 */
    assert_int_equal(dv_entity_find(&ds, "E4"), DV_NONE);

    assert_int_not_equal(dv_shipment_find(&ds, "S1"), DV_NONE);
    const dv_shipment *s1 = &ds.shipments[dv_shipment_find(&ds, "S1")];
    assert_string_equal(s1->id, "S1");
    assert_int_equal(s1->date, 19783);
    assert_string_equal(ds.entities[s1->shipper].id, "E1");
    assert_string_equal(ds.entities[s1->consignee].id, "E2");
    assert_string_equal(ds.entities[s1->declared_end_user].id, "E3");
    assert_string_equal(s1->licence_id, "L1");
    assert_string_equal(s1->item_code, "3A981");
    assert_string_equal(ds.items[s1->item_idx].code, "3A981");
    assert_true(s1->quantity == 10);
    assert_true(s1->value == 1000);
    assert_int_equal(s1->line, 2);
    assert_int_not_equal(dv_shipment_find(&ds, "S2"), DV_NONE);
    const dv_shipment *s2 = &ds.shipments[dv_shipment_find(&ds, "S2")];
    assert_int_equal(s2->declared_end_user, DV_NONE);
    assert_null(s2->licence_id);
    /* interned: equal strings are one pointer */
    assert_ptr_equal(s1->item_code, s2->item_code);

    const dv_licence *l = &ds.licences[0];
    assert_string_equal(ds.entities[l->exporter].id, "E1");
    assert_string_equal(l->destination, "AE");
    assert_int_equal(l->end_user, DV_NONE);
    assert_true(isnan(l->quantity));
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

static void headers_match_in_any_order_and_case(void **state)
{
    (void)state;
    char *dir = dvt_dataset(
        "entities.csv", "Country,ROLE,Name,Id\nde,Manufacturer,Maker GmbH,E1\nae,END_USER,Hub,E2\n",
        "shipments.csv",
        "Quantity,ITEM,Consignee_ID,Shipper_Id,DATE,ID\n5,3a981,E2,E1,2024-03-01,S1\n",
        "countries.csv", dvt_countries_csv, "items.csv", dvt_items_csv, NULL);
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);
    assert_int_equal(ds.n_rejects, 0);
    assert_int_equal(ds.n_entities, 2);
    assert_string_equal(ds.entities[0].id, "E1");
    assert_string_equal(ds.entities[0].name, "Maker GmbH");
    assert_string_equal(ds.entities[0].country, "DE");
    assert_int_equal(ds.entities[0].role, DV_ROLE_MANUFACTURER);
    assert_int_equal(ds.entities[1].role, DV_ROLE_END_USER);
    assert_int_equal(ds.n_shipments, 1);
    assert_string_equal(ds.entities[ds.shipments[0].shipper].id, "E1");
    assert_string_equal(ds.entities[ds.shipments[0].consignee].id, "E2");
    assert_true(ds.shipments[0].quantity == 5);
    assert_true(isnan(ds.shipments[0].value));
    assert_string_equal(ds.shipments[0].item_code, "3A981");
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

static void unknown_columns_are_listed(void **state)
{
    (void)state;
    char *dir = dvt_dataset("entities.csv", "id,notes,name,role,country,Extra\n"
                                            "E1,hello,Maker,manufacturer,DE,x\n",
                            "shipments.csv", "id,date,shipper_id,consignee_id,item,quantity\n",
                            "countries.csv", dvt_countries_csv, "items.csv", dvt_items_csv, NULL);
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);
    const dv_table_info *info = &ds.tables[DV_T_ENTITIES];
    assert_int_equal(info->n_unknown, 2);
    assert_string_equal(info->unknown_columns[0], "notes");
    assert_string_equal(info->unknown_columns[1], "Extra");
    assert_int_equal(ds.tables[DV_T_SHIPMENTS].n_unknown, 0);
    assert_int_equal(ds.n_entities, 1);
    assert_string_equal(ds.entities[0].name, "Maker");
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

static void missing_required_column_is_an_input_error(void **state)
{
    (void)state;
    char *dir = dvt_dataset("entities.csv", entities_csv, "shipments.csv",
                            "id,shipper_id,consignee_id,item,quantity\n", NULL);
    load_error(dir, "/shipments.csv:1: missing required column \"date\"");
    dvt_remove(dir);
    dir = dvt_dataset("entities.csv", "id,name,country\n", "shipments.csv", shipments_csv, NULL);
    load_error(dir, "/entities.csv:1: missing required column \"role\"");
    dvt_remove(dir);
}

static void duplicate_header_is_an_input_error(void **state)
{
    (void)state;
    char *dir = dvt_dataset("entities.csv", "id,name,role,country,ID\n", "shipments.csv",
                            shipments_csv, NULL);
    load_error(dir, "/entities.csv:1: column \"ID\" appears twice in the header");
    dvt_remove(dir);
}

static void missing_entities_table_is_an_input_error(void **state)
{
    (void)state;
    char *dir = dvt_dataset("shipments.csv", shipments_csv, NULL);
    load_error(dir, ": missing table entities.csv (or entities.csv.gz)");
    dvt_remove(dir);
    dir = dvt_dataset("entities.csv", entities_csv, NULL);
    load_error(dir, ": missing table shipments.csv (or shipments.csv.gz)");
    dvt_remove(dir);
}

static void empty_file_is_an_input_error(void **state)
{
    (void)state;
    char *dir = dvt_dataset("entities.csv", "", "shipments.csv", shipments_csv, NULL);
    load_error(dir, "/entities.csv:1: the file is empty (a header row is needed)");
    dvt_remove(dir);
}

static void dataset_that_is_a_file_is_an_input_error(void **state)
{
    (void)state;
    char *dir = dvt_dataset("entities.csv", entities_csv, NULL);
    char *file = dv_xasprintf("%s/entities.csv", dir);
    load_error(file, ": is not a directory (a dataset is a directory of tables)");
    free(file);
    dvt_remove(dir);
}

static void structural_error_after_good_rows_is_an_input_error(void **state)
{
    (void)state;
    char *dir = dvt_dataset("entities.csv", entities_csv, "shipments.csv",
                            "id,date,shipper_id,consignee_id,item,quantity\n"
                            "S1,2024-03-01,E1,E2,3A981,10\n"
                            "S2,2024-03-01,E1,E2,3A981,1\"0\n"
                            "S3,2024-03-01,E1,E2,3A981,10\n",
                            "countries.csv", dvt_countries_csv, "items.csv", dvt_items_csv, NULL);
    load_error(dir, "/shipments.csv:3: malformed quoting: a quote inside an unquoted field, or "
                    "text after a closing quote");
    dvt_remove(dir);
}

static void header_only_tables_load_no_rows(void **state)
{
    (void)state;
    char *dir = dvt_dataset("entities.csv", "id,name,role,country\n", "shipments.csv",
                            "id,date,shipper_id,consignee_id,item,quantity", /* no line end */
                            "countries.csv", dvt_countries_csv, "items.csv", dvt_items_csv, NULL);
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);
    assert_int_equal(ds.n_entities, 0);
    assert_int_equal(ds.n_shipments, 0);
    assert_int_equal(ds.n_rejects, 0);
    assert_int_equal(ds.tables[DV_T_ENTITIES].rows_read, 0);
    assert_true(ds.tables[DV_T_ENTITIES].present);
    assert_false(ds.tables[DV_T_LICENCES].present);
    assert_int_equal(dv_entity_find(&ds, "E1"), DV_NONE);
    assert_accounting(&ds);
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

/* ---- row-level rejects ---- */

typedef struct reject_case {
    dv_table_id table;      /* the table the row is appended to */
    const char *row;        /* without its line end; also the expected record */
    long line;
    const char *column, *code, *detail;
} reject_case;

#define UTF8_HINT "(is the file Latin-1? convert it with iconv -f LATIN1 -t UTF-8)"
#define COMMA_HINT "is not a number (use '.' for decimals and no thousands separators)"
#define HEADER_AGAIN "the header row again (the header is on line 1)"

static const reject_case reject_cases[] = {
    /* entities: appended on line 5 */
    {DV_T_ENTITIES, "E9,Other Co,manufacturer,DEU,,,", 5, "country", "bad_country",
     "country \"DEU\" is not an ISO 3166 alpha-2 code"},
    {DV_T_ENTITIES, "E9,Other Co,manufacturer,D1,,,", 5, "country", "bad_country",
     "country \"D1\" is not an ISO 3166 alpha-2 code"},
    {DV_T_ENTITIES, "E9,Other Co,broker,DE,,,", 5, "role", "bad_role",
     "role \"broker\" is not one of manufacturer, subcontractor, distributor, intermediary, "
     "freight_forwarder, end_user, other"},
    {DV_T_ENTITIES, "E9,,manufacturer,DE,,,", 5, "name", "missing_value", "name is empty"},
    {DV_T_ENTITIES, ",Other Co,manufacturer,DE,,,", 5, "id", "missing_value", "id is empty"},
    {DV_T_ENTITIES, "E9,Other Co,manufacturer,,,,", 5, "country", "missing_value",
     "country is empty"},
    {DV_T_ENTITIES, "E9,Other Co,manufacturer,DE,2023-02-29,,", 5, "registered", "bad_date",
     "registered \"2023-02-29\" does not exist"},
    {DV_T_ENTITIES, "E9,Caf\xE9 Ltd,manufacturer,DE,,,", 5, "name", "invalid_utf8",
     "field 2 is not valid UTF-8 " UTF8_HINT},
    {DV_T_ENTITIES, "E9,Other Co,manufacturer,DE", 5, "", "ragged_row",
     "the row has 4 fields, the header has 7"},
    /* shipments: line 4 */
    {DV_T_SHIPMENTS, "S9,2024-02-30,E1,E2,3A981,10,1000,,", 4, "date", "bad_date",
     "date \"2024-02-30\" does not exist"},
    {DV_T_SHIPMENTS, "S9,2024-3-1,E1,E2,3A981,10,1000,,", 4, "date", "bad_date",
     "date \"2024-3-1\" is not a date in the form YYYY-MM-DD"},
    {DV_T_SHIPMENTS, "S9,2024-03-01,E1,E2,3A981,\"12,5\",1000,,", 4, "quantity", "bad_number",
     "quantity \"12,5\" " COMMA_HINT},
    {DV_T_SHIPMENTS, "S9,2024-03-01,E1,E2,3A981,-3,1000,,", 4, "quantity", "negative_number",
     "quantity \"-3\" is negative"},
    {DV_T_SHIPMENTS, "S9,2024-03-01,E1,E2,3A981,3,-1000,,", 4, "value", "negative_number",
     "value \"-1000\" is negative"},
    {DV_T_SHIPMENTS, "S9,2024-03-01,E1,E2,3A981,3,1e999,,", 4, "value", "bad_number",
     "value \"1e999\" is out of range"},
    {DV_T_SHIPMENTS, "S9,2024-03-01,E1,E2,3A981,2e15,1000,,", 4, "quantity", "out_of_range",
     "quantity 2e15 is outside 0 to 1e+15"},
    {DV_T_SHIPMENTS, "S9,2024-03-01,E1,E2,3A981,,1000,,", 4, "quantity", "missing_value",
     "quantity is empty"},
    {DV_T_SHIPMENTS, "S9,2024-03-01,E1,E2,...,3,1000,,", 4, "item", "bad_code",
     "item \"...\" has no letters or digits, or is too long"},
    {DV_T_SHIPMENTS, "S9,2024-03-01,X9,E2,3A981,3,1000,,", 4, "shipper_id", "unknown_entity",
     "shipper_id \"X9\" is not in entities (or was rejected there)"},
    {DV_T_SHIPMENTS, "S9,2024-03-01,E1,X9,3A981,3,1000,,", 4, "consignee_id", "unknown_entity",
     "consignee_id \"X9\" is not in entities (or was rejected there)"},
    {DV_T_SHIPMENTS, "S9,2024-03-01,E1,E2,3A981,3,1000,X9,", 4, "declared_end_user_id",
     "unknown_entity", "declared_end_user_id \"X9\" is not in entities (or was rejected there)"},
    {DV_T_SHIPMENTS, "S9,2024-03-01,E1,E1,3A981,3,1000,,", 4, "consignee_id", "self_shipment",
     "shipper_id and consignee_id are both \"E1\""},
    {DV_T_SHIPMENTS, "S9,2024-03-01,E1,E2", 4, "", "ragged_row",
     "the row has 4 fields, the header has 9"},
    {DV_T_SHIPMENTS, "S9,2024-03-01,E1,E2,3A981,3,1000,,,extra", 4, "", "ragged_row",
     "the row has 10 fields, the header has 9"},
    /* items: line 5 */
    {DV_T_ITEMS, "847130,computers,,computer,1.5", 5, "sensitivity", "out_of_range",
     "sensitivity 1.5 is outside 0 to 1"},
    {DV_T_ITEMS, "847130,computers,,computer,high", 5, "sensitivity", "bad_number",
     "sensitivity \"high\" is not a number"},
    {DV_T_ITEMS, "--,computers,,computer,", 5, "code", "bad_code",
     "code \"--\" has no letters or digits, or is too long"},
    /* countries: line 10 */
    {DV_T_COUNTRIES, "XX,Nowhere,0.5,1,0.5,WA;XX,0,none", 10, "regimes", "bad_regime",
     "regime \"XX\" is not one of WA, AG, NSG, MTCR"},
    {DV_T_COUNTRIES, "XX,Nowhere,0.5,1,0.5,,0,banned", 10, "destination", "bad_destination",
     "destination \"banned\" is not none, elevated or embargoed"},
    {DV_T_COUNTRIES, "XX,Nowhere,0.5,1,0.5,,yes,none", 10, "hub", "bad_flag",
     "hub \"yes\" is not 0 or 1"},
    {DV_T_COUNTRIES, "XX,Nowhere,1.2,1,0.5,,0,none", 10, "rule_of_law", "out_of_range",
     "rule_of_law 1.2 is outside 0 to 1"},
    {DV_T_COUNTRIES, "XXX,Nowhere,0.5,1,0.5,,0,none", 10, "code", "bad_country",
     "code \"XXX\" is not an ISO 3166 alpha-2 code"},
    /* licenses: line 3 */
    {DV_T_LICENCES, "L9,E1,3A981,AE,,2024-06-01,2024-01-01,,", 3, "valid_to", "bad_date_order",
     "valid_to is before valid_from"},
    {DV_T_LICENCES, "L9,E1,3A981,AE,,2024-13-01,,,", 3, "valid_from", "bad_date",
     "valid_from \"2024-13-01\" has no such month"},
    {DV_T_LICENCES, "L9,E1,3A981,ARE,,,,,", 3, "destination", "bad_country",
     "destination \"ARE\" is not an ISO 3166 alpha-2 code"},
    {DV_T_LICENCES, "L9,X9,3A981,AE,,,,,", 3, "exporter_id", "unknown_entity",
     "exporter_id \"X9\" is not in entities (or was rejected there)"},
    {DV_T_LICENCES, "L9,E1,3A981,AE,X9,,,,", 3, "end_user_id", "unknown_entity",
     "end_user_id \"X9\" is not in entities (or was rejected there)"},
    /* watchlist: line 3 */
    {DV_T_WATCHLIST, ",W9,,RU,test", 3, "name", "missing_value", "name is empty"},
    /* the header again, as when two exports are joined with cat (issue
     * #11: it loaded as an item called CODE, a party called name ...) */
    {DV_T_ENTITIES, "id,name,role,country,registered,address,aliases", 5, "", "repeated_header",
     HEADER_AGAIN},
    {DV_T_ENTITIES, "\" ID \",Name,ROLE,Country,registered,address,ALIASES", 5, "",
     "repeated_header", HEADER_AGAIN},
    {DV_T_SHIPMENTS,
     "id,date,shipper_id,consignee_id,item,quantity,value,declared_end_user_id,license_id", 4, "",
     "repeated_header", HEADER_AGAIN},
    /* the second file's byte-order mark, joined into the middle */
    {DV_T_SHIPMENTS,
     "\xEF\xBB\xBFid,date,shipper_id,consignee_id,item,quantity,value,declared_end_user_id,"
     "license_id",
     4, "", "repeated_header", HEADER_AGAIN},
    {DV_T_ITEMS, "code,description,control,category,sensitivity", 5, "", "repeated_header",
     HEADER_AGAIN},
    {DV_T_COUNTRIES, "code,name,rule_of_law,data_protection,civil_liberties,regimes,hub,destination",
     10, "", "repeated_header", HEADER_AGAIN},
    {DV_T_LICENCES, "id,exporter_id,item,destination,end_user_id,valid_from,valid_to,end_use,quantity",
     3, "", "repeated_header", HEADER_AGAIN},
    {DV_T_WATCHLIST, "name,id,aliases,country,source", 3, "", "repeated_header", HEADER_AGAIN},
    /* not the header: one field differs, or is empty */
    {DV_T_ENTITIES, "id,name,role,country,registered,address,", 5, "role", "bad_role",
     "role \"role\" is not one of manufacturer, subcontractor, distributor, intermediary, "
     "freight_forwarder, end_user, other"},
};

static void each_bad_row_is_rejected_with_code_column_and_record(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof reject_cases / sizeof reject_cases[0]; i++) {
        const reject_case *c = &reject_cases[i];
        char *extra = dv_xasprintf("%s\n", c->row);
        char *dir = base_dataset(c->table, extra);
        free(extra);
        dv_dataset ds;
        dvt_load(&ds, dir, NULL, 0, NULL);
        const char *table = dv_table_names[c->table];
        if (ds.n_rejects != 1)
            fail_msg("case %zu (%s): %zu rejects, expected 1", i, c->row, ds.n_rejects);
        const dv_reject *r = reject_at(&ds, table, c->line);
        assert_reject(r, c->column, c->code);
        if (strcmp(r->detail, c->detail) != 0)
            fail_msg("case %zu: detail \"%s\", expected \"%s\"", i, r->detail, c->detail);
        if (!r->record) fail_msg("case %zu: no record", i);
        /* the record is the row as written, but rejects.csv stays UTF-8:
         * an invalid byte is written as U+FFFD */
        dv_buf want = {0};
        dv_utf8_sanitize(c->row, strlen(c->row), &want);
        if (strcmp(r->record, want.data) != 0)
            fail_msg("case %zu: record \"%s\", expected \"%s\"", i, r->record, want.data);
        dv_buf_free(&want);
        assert_accounting(&ds);
        /* the base rows all loaded */
        static const size_t base_rows[DV_T_COUNT] = {3, 2, 3, 8, 1, 1};
        size_t n[DV_T_COUNT] = {ds.n_entities, ds.n_shipments, ds.n_items,
                                ds.n_countries, ds.n_licences, ds.n_watch};
        for (int t = 0; t < DV_T_COUNT; t++)
            if (n[t] != base_rows[t])
                fail_msg("case %zu: %s has %zu rows, expected %zu", i, dv_table_names[t], n[t],
                         base_rows[t]);
        dv_dataset_free(&ds);
        dvt_remove(dir);
    }
}

/* The check is the loader's, before any table's parser: the watchlist's
 * other formats (told by their header) reject their header again too. */
static void repeated_header_is_rejected_in_every_list_format(void **state)
{
    (void)state;
    static const char os_header[] = "id,schema,name,aliases,countries,dataset\n";
    static const char csl_header[] = "_id,name,alt_names,nationalities,source,type,addresses\n";
    char *os = dv_xasprintf("%sos-1,Company,Acme Export Ltd,,ru,test\n%s", os_header, os_header);
    char *csl = dv_xasprintf("%sc-1,Bad Co,,,Entity List,Entity,\"1 Road, Moscow, RU\"\n%s",
                             csl_header, csl_header);
    char *dir = dvt_dataset("entities.csv", entities_csv, "shipments.csv", shipments_csv,
                            "watchlist_os.csv", os, "watchlist_csl.csv", csl, NULL);
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);
    assert_int_equal(ds.n_watch, 2);
    static const char *const lists[] = {"watchlist_os", "watchlist_csl"};
    for (size_t i = 0; i < 2; i++) {
        const dv_reject *r = reject_at(&ds, lists[i], 3);
        assert_reject(r, "", "repeated_header");
        assert_string_equal(r->detail, HEADER_AGAIN);
    }
    assert_int_equal(ds.n_rejects, 2);
    dv_dataset_free(&ds);
    dvt_remove(dir);
    free(os);
    free(csl);
}

/* ---- sectors, human_rights and the licence's end user (issue #12) ---- */

static void sectors_and_human_rights_load_and_bad_values_reject(void **state)
{
    (void)state;
    char *dir = dvt_dataset(
        "entities.csv",
        "id,name,role,country,sector\n"
        "M,Maker,manufacturer,DE,Commercial\n"
        "P,Police,end_user,KZ,POLICE\n"
        "U,Unknown Co,end_user,KZ,\n"
        "X,Bad Co,end_user,KZ,polizei\n",
        "shipments.csv", "id,date,shipper_id,consignee_id,item,quantity\n",
        "items.csv",
        "code,control,human_rights\n"
        "3A981,3A981,1\n"
        "852589,EAR99,1\n"
        "847190,EAR99,\n"
        "5A002,5A002,yes\n",
        "licenses.csv",
        "id,exporter_id,item,destination,end_user_id,sectors\n"
        "L1,M,3A981,KZ,,health; Research\n"
        "L2,M,3A981,KZ,,\n"
        "L3,M,3A981,KZ,,health;hospital\n",
        NULL);
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);
    assert_accounting(&ds);
    assert_int_equal(ds.n_entities, 3);
    assert_int_equal(ds.entities[dv_entity_find(&ds, "M")].sector, DV_SECTOR_COMMERCIAL);
    assert_int_equal(ds.entities[dv_entity_find(&ds, "P")].sector, DV_SECTOR_POLICE);
    assert_int_equal(ds.entities[dv_entity_find(&ds, "U")].sector, DV_SECTOR_UNKNOWN);
    const dv_reject *r = reject_at(&ds, "entities", 5);
    assert_reject(r, "sector", "bad_sector");
    assert_string_equal(r->detail, "sector \"polizei\" is not one of health, humanitarian, "
                                   "research, education, commercial, finance, transport, "
                                   "government, border, police, security, intelligence, "
                                   "military, unknown");
    /* human_rights: 1 makes an uncontrolled item analysed (SPEC 3) */
    assert_int_equal(ds.n_items, 3);
    const dv_item *cc = &ds.items[dv_item_lookup(&ds, "3A981")];
    const dv_item *cam = &ds.items[dv_item_lookup(&ds, "852589")];
    const dv_item *iris = &ds.items[dv_item_lookup(&ds, "847190")];
    assert_true(cc->controlled && cc->human_rights && cc->analysed);
    assert_true(!cam->controlled && cam->human_rights && cam->analysed);
    assert_true(!iris->controlled && !iris->human_rights && !iris->analysed);
    r = reject_at(&ds, "items", 5);
    assert_reject(r, "human_rights", "bad_flag");
    assert_string_equal(r->detail, "human_rights \"yes\" is not 0 or 1");
    /* licence sectors: a set, in any case and spacing; empty is any */
    assert_int_equal(ds.n_licences, 2);
    assert_int_equal(ds.licences[0].sectors,
                     DV_SECTOR_BIT(DV_SECTOR_HEALTH) | DV_SECTOR_BIT(DV_SECTOR_RESEARCH));
    assert_int_equal(ds.licences[1].sectors, 0);
    r = reject_at(&ds, "licenses", 4);
    assert_reject(r, "sectors", "bad_sector");
    assert_non_null(strstr(r->detail, "sector \"hospital\" is not one of health, "));
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

/* SPEC 1: where a shipment declares no end user and cites a licence with
 * one, the licence's end user is the declared one; a declared end user
 * stays, and a licence without an end user or not loaded supplies none. */
static void a_cited_licence_supplies_the_declared_end_user(void **state)
{
    (void)state;
    char *dir = dvt_dataset(
        "entities.csv",
        "id,name,role,country\n"
        "M,Maker,manufacturer,DE\nE1,Hospital,end_user,KZ\nE2,Other,end_user,KZ\n",
        "shipments.csv",
        "id,date,shipper_id,consignee_id,item,quantity,declared_end_user_id,license_id\n"
        "S1,2024-01-01,M,E2,3A981,1,,L1\n"
        "S2,2024-01-01,M,E2,3A981,1,E2,L1\n"
        "S3,2024-01-01,M,E2,3A981,1,,L2\n"
        "S4,2024-01-01,M,E2,3A981,1,,L9\n",
        "licenses.csv",
        "id,exporter_id,item,destination,end_user_id\n"
        "L1,M,3A981,KZ,E1\nL2,M,3A981,KZ,\n",
        NULL);
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);
    uint32_t e1 = dv_entity_find(&ds, "E1"), e2 = dv_entity_find(&ds, "E2");
    static const struct {
        const char *id;
        int who; /* 1: E1, 2: E2, 0: none */
        bool by_licence;
    } want[] = {{"S1", 1, true}, {"S2", 2, false}, {"S3", 0, false}, {"S4", 0, false}};
    for (size_t i = 0; i < 4; i++) {
        const dv_shipment *s = &ds.shipments[dv_shipment_find(&ds, want[i].id)];
        uint32_t who = want[i].who == 1 ? e1 : want[i].who == 2 ? e2 : DV_NONE;
        if (s->declared_end_user != who || s->declared_by_licence != want[i].by_licence)
            fail_msg("%s: declared %u (by licence %d)", want[i].id, s->declared_end_user,
                     s->declared_by_licence);
    }
    /* S4 cites L9, which the register lacks: counted for the summary */
    assert_int_equal(ds.n_unknown_licence_refs, 1);
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

static void good_rows_around_a_reject_still_load(void **state)
{
    (void)state;
    char *dir = base_dataset(DV_T_SHIPMENTS, "S3,2024-02-30,E1,E2,3A981,1,1,,\n"
                                             "S4,2024-04-01,E1,E2,3A981,1,1,,\n");
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);
    assert_int_equal(ds.n_shipments, 3);
    uint32_t s4 = dv_shipment_find(&ds, "S4");
    assert_int_not_equal(s4, DV_NONE);
    assert_int_equal(ds.shipments[s4].line, 5);
    assert_int_equal(dv_shipment_find(&ds, "S3"), DV_NONE);
    assert_reject(reject_at(&ds, "shipments", 4), "date", "bad_date");
    assert_accounting(&ds);
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

/* ---- duplicates ---- */

static void identical_duplicate_rows_collapse_into_one(void **state)
{
    (void)state;
    char *dir = base_dataset(DV_T_ENTITIES, "E2,Hub Trading FZE,intermediary,AE,2023-11-01,,Hub Trade\n");
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);
    assert_int_equal(ds.n_entities, 3);
    assert_int_equal(ds.n_rejects, 1);
    const dv_reject *r = reject_at(&ds, "entities", 5);
    assert_reject(r, "id", "duplicate_row");
    assert_string_equal(r->detail, "id \"E2\": the same row is on line 3");
    assert_string_equal(r->record, "E2,Hub Trading FZE,intermediary,AE,2023-11-01,,Hub Trade");
    /* the kept copy is the first, and shipments to it load */
    assert_int_equal(ds.entities[dv_entity_find(&ds, "E2")].line, 3);
    assert_int_equal(ds.n_shipments, 2);
    assert_accounting(&ds);
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

static void differing_duplicates_are_all_rejected(void **state)
{
    (void)state;
    char *dir = base_dataset(DV_T_ENTITIES, "E2,Hub Trading LLC,intermediary,AE,,,\n");
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);
    assert_int_equal(ds.n_entities, 2);
    assert_int_equal(dv_entity_find(&ds, "E2"), DV_NONE);
    const dv_reject *a = reject_at(&ds, "entities", 3);
    const dv_reject *b = reject_at(&ds, "entities", 5);
    assert_reject(a, "id", "duplicate_id");
    assert_reject(b, "id", "duplicate_id");
    assert_string_equal(a->detail,
                        "id \"E2\" is also on line 5 with other values (all 2 rows with this id "
                        "are rejected)");
    assert_string_equal(b->detail,
                        "id \"E2\" is also on line 3 with other values (all 2 rows with this id "
                        "are rejected)");
    assert_string_equal(a->record, "E2,Hub Trading FZE,intermediary,AE,2023-11-01,,Hub Trade");
    assert_string_equal(b->record, "E2,Hub Trading LLC,intermediary,AE,,,");
    /* both shipments touch E2: they go too */
    assert_int_equal(ds.n_shipments, 0);
    assert_reject(reject_at(&ds, "shipments", 2), "consignee_id", "unknown_entity");
    assert_reject(reject_at(&ds, "shipments", 3), "shipper_id", "unknown_entity");
    assert_string_equal(reject_at(&ds, "shipments", 3)->record, "S2,2024-03-20,E2,E3,3A981,10,1000,,");
    assert_accounting(&ds);
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

/* The duplicate check groups keys by 33 bits of their hash (loader.c):
 * two different ids whose hashes agree in those bits must both load, and a
 * real copy among them must still be found. Such ids are searched for
 * here among generated ones. */
static void ids_whose_hashes_collide_in_the_grouping_bits_both_load(void **state)
{
    (void)state;
    enum { N = 400000 };
    dv_keyed *k = dv_xmalloc(N * sizeof *k);
    char id[32];
    for (uint32_t i = 0; i < N; i++) {
        int n = snprintf(id, sizeof id, "P-%u", i);
        k[i] = (dv_keyed){dv_hash_fast(id, (size_t)n) >> 31, i, 0};
    }
    dv_sort_keyed(k, N);
    uint32_t a = UINT32_MAX, b = UINT32_MAX;
    for (size_t i = 1; i < N && a == UINT32_MAX; i++)
        if (k[i].key == k[i - 1].key) a = k[i - 1].row, b = k[i].row;
    free(k);
    assert_true(a != UINT32_MAX); /* some 9 pairs are expected among 400,000 ids */
    char rows[512];
    snprintf(rows, sizeof rows,
             "id,name,role,country,registered,address,aliases\n"
             "P-%u,Alpha Trading,intermediary,AE,,,\n"
             "P-%u,Beta Trading,intermediary,AE,,,\n"
             "P-%u,Alpha Trading,intermediary,AE,,,\n",
             a, b, a);
    char *dir = dvt_dataset("entities.csv", rows, "shipments.csv",
                            "id,date,shipper_id,consignee_id,item,quantity\n", NULL);
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);
    assert_int_equal(ds.n_entities, 2);
    snprintf(id, sizeof id, "P-%u", a);
    assert_string_equal(ds.entities[dv_entity_find(&ds, id)].name, "Alpha Trading");
    snprintf(id, sizeof id, "P-%u", b);
    assert_string_equal(ds.entities[dv_entity_find(&ds, id)].name, "Beta Trading");
    assert_int_equal(ds.n_rejects, 1);
    assert_reject(reject_at(&ds, "entities", 4), "id", "duplicate_row");
    assert_accounting(&ds);
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

static void duplicate_shipments_items_and_countries_follow_the_same_rule(void **state)
{
    (void)state;
    char *dir = dvt_dataset(
        "entities.csv", entities_csv, "shipments.csv",
        "id,date,shipper_id,consignee_id,item,quantity\n"
        "S1,2024-03-01,E1,E2,3A981,10\n"
        "S1,2024-03-01,E1,E2,3A981,10\n"  /* identical */
        "S2,2024-03-01,E1,E2,3A981,10\n"
        "S2,2024-03-02,E1,E2,3A981,10\n", /* differs */
        "items.csv",
        "code,control\n8471.30,5A992\n847130,5A992\n3A981,3A981\n3A981,3A981\n",
        "countries.csv", "code,hub\nDE,0\nde,0\nAE,1\nAE,1\nRU,0\n", NULL);
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);
    assert_int_equal(ds.n_shipments, 1);
    assert_string_equal(ds.shipments[0].id, "S1");
    assert_reject(reject_at(&ds, "shipments", 3), "id", "duplicate_row");
    assert_reject(reject_at(&ds, "shipments", 4), "id", "duplicate_id");
    assert_reject(reject_at(&ds, "shipments", 5), "id", "duplicate_id");
    /* item codes compare normalised: 8471.30 is 847130, with other text */
    assert_int_equal(ds.n_items, 1);
    assert_string_equal(ds.items[0].code, "3A981");
    assert_reject(reject_at(&ds, "items", 2), "code", "duplicate_id");
    assert_reject(reject_at(&ds, "items", 3), "code", "duplicate_id");
    assert_reject(reject_at(&ds, "items", 5), "code", "duplicate_row");
    /* country codes compare upper-cased */
    assert_int_equal(ds.n_countries, 2);
    assert_reject(reject_at(&ds, "countries", 2), "code", "duplicate_id");
    assert_reject(reject_at(&ds, "countries", 3), "code", "duplicate_id");
    assert_reject(reject_at(&ds, "countries", 5), "code", "duplicate_row");
    assert_accounting(&ds);
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

/* Loaded ids and (code, record) of every reject, as one comparable text. */
static char *outcome(const dv_dataset *ds)
{
    dv_buf b = {0};
    for (size_t i = 0; i < ds->n_entities; i++)
        dv_buf_printf(&b, "E %s %s %s\n", ds->entities[i].id, ds->entities[i].name,
                      ds->entities[i].country);
    /* shipments (kept in input order) and rejects (whose lines differ),
     * sorted by their text */
    size_t n = ds->n_shipments + ds->n_rejects;
    char **lines = dv_xcalloc(n + 1, sizeof *lines);
    for (size_t i = 0; i < ds->n_shipments; i++) {
        const dv_shipment *s = &ds->shipments[i];
        lines[i] = dv_xasprintf("S %s %d %s>%s\n", s->id, s->date, ds->entities[s->shipper].id,
                                ds->entities[s->consignee].id);
    }
    for (size_t i = 0; i < ds->n_rejects; i++)
        lines[ds->n_shipments + i] =
            dv_xasprintf("R %s %s %s %s\n", ds->rejects[i].table, ds->rejects[i].column,
                         ds->rejects[i].code, ds->rejects[i].record);
    /* "S" lines before "R" lines, each kind in text order */
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if ((lines[j][0] == lines[i][0] && strcmp(lines[j], lines[i]) < 0) ||
                (lines[j][0] == 'S' && lines[i][0] == 'R')) {
                char *t = lines[i];
                lines[i] = lines[j];
                lines[j] = t;
            }
    for (size_t i = 0; i < n; i++) {
        dv_buf_puts(&b, lines[i]);
        free(lines[i]);
    }
    free(lines);
    if (!b.data) dv_buf_puts(&b, "");
    return b.data;
}

static char *load_outcome(const char *const *entity_rows, const int *eorder, size_t ne,
                          const char *const *ship_rows, const int *sorder, size_t ns)
{
    dv_buf e = {0}, s = {0};
    dv_buf_puts(&e, "id,name,role,country\n");
    for (size_t i = 0; i < ne; i++) dv_buf_printf(&e, "%s\n", entity_rows[eorder[i]]);
    dv_buf_puts(&s, "id,date,shipper_id,consignee_id,item,quantity\n");
    for (size_t i = 0; i < ns; i++) dv_buf_printf(&s, "%s\n", ship_rows[sorder[i]]);
    char *dir = dvt_dataset("entities.csv", e.data, "shipments.csv", s.data, "countries.csv",
                            dvt_countries_csv, "items.csv", dvt_items_csv, NULL);
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);
    assert_accounting(&ds);
    char *out = outcome(&ds);
    dv_dataset_free(&ds);
    dvt_remove(dir);
    dv_buf_free(&e);
    dv_buf_free(&s);
    return out;
}

static void duplicates_resolve_the_same_in_any_row_order(void **state)
{
    (void)state;
    static const char *const ents[] = {
        "E1,Maker GmbH,manufacturer,DE",   "E2,Hub Trading FZE,intermediary,AE",
        "E2,Hub Trading LLC,intermediary,AE", "E3,Securtech,end_user,RU",
        "E3,Securtech,end_user,RU",         "E4,Other,distributor,CH",
    };
    static const char *const ships[] = {
        "S1,2024-03-01,E1,E2,3A981,10", "S2,2024-03-02,E1,E3,3A981,10",
        "S2,2024-03-02,E1,E3,3A981,10", "S3,2024-03-03,E1,E4,3A981,10",
        "S3,2024-03-04,E1,E4,3A981,10", "S4,2024-03-05,E4,E3,3A981,10",
    };
    static const int orders[][6] = {
        {0, 1, 2, 3, 4, 5}, {5, 4, 3, 2, 1, 0}, {2, 0, 4, 1, 5, 3}, {3, 5, 1, 4, 0, 2},
    };
    char *first = load_outcome(ents, orders[0], 6, ships, orders[0], 6);
    /* E2 (differing) goes, E3 collapses; S1 (to E2) unknown, S2 collapses,
     * S3 differs */
    assert_non_null(strstr(first, "E E1 Maker GmbH DE\nE E3 Securtech RU\nE E4 Other CH\n"
                                  "S S2 19784 E1>E3\nS S4 19787 E4>E3\n"));
    assert_null(strstr(first, "E E2"));
    for (size_t o = 1; o < sizeof orders / sizeof orders[0]; o++) {
        char *other = load_outcome(ents, orders[o], 6, ships, orders[(o + 1) % 4], 6);
        if (strcmp(first, other) != 0)
            fail_msg("order %zu gives\n%s\nnot\n%s", o, other, first);
        free(other);
    }
    free(first);
}

/* ---- references and records ---- */

static void shipment_to_a_rejected_entity_is_unknown_entity(void **state)
{
    (void)state;
    char *dir = dvt_dataset("entities.csv",
                            "id,name,role,country\n"
                            "E1,Maker GmbH,manufacturer,DE\n"
                            "E2,Hub,intermediary,UAE\n", /* bad country */
                            "shipments.csv",
                            "id,date,shipper_id,consignee_id,item,quantity,note\n"
                            "S1,2024-03-01,E1,E2,3A981,10,\"a note\non two lines\"\n"
                            "S2,2024-03-02,E1,E3,3A981,5,\"with, comma\"\n"
                            "S3,2024-03-03,E2,E1,3A981,5,\n",
                            "countries.csv", dvt_countries_csv, "items.csv", dvt_items_csv, NULL);
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);
    assert_int_equal(ds.n_entities, 1);
    assert_int_equal(ds.n_shipments, 0);
    assert_reject(reject_at(&ds, "entities", 3), "country", "bad_country");
    const dv_reject *s1 = reject_at(&ds, "shipments", 2);
    const dv_reject *s2 = reject_at(&ds, "shipments", 4);
    const dv_reject *s3 = reject_at(&ds, "shipments", 5);
    assert_reject(s1, "consignee_id", "unknown_entity");
    assert_reject(s2, "consignee_id", "unknown_entity");
    assert_reject(s3, "shipper_id", "unknown_entity");
    /* records of rejects found after the pass are the rows as written */
    assert_string_equal(s1->record, "S1,2024-03-01,E1,E2,3A981,10,\"a note\non two lines\"");
    assert_string_equal(s2->record, "S2,2024-03-02,E1,E3,3A981,5,\"with, comma\"");
    assert_string_equal(s3->record, "S3,2024-03-03,E2,E1,3A981,5,");
    assert_string_equal(s2->detail, "consignee_id \"E3\" is not in entities (or was rejected there)");
    assert_accounting(&ds);
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

/* Issue #11: a reject's record was the whole row, so one row of many
 * megabytes (or of millions of fields, at a raised max_fields) made
 * rejects.csv as big. The record keeps the first DV_RECORD_MAX bytes,
 * ending on a whole character, and says how much it cut; the same for
 * records made after the pass (duplicates). */
static void long_records_are_clipped_with_what_was_cut(void **state)
{
    (void)state;
    enum { LONG = 100000 };
    char *filler = dv_xmalloc(LONG + 1);
    memset(filler, 'x', LONG);
    filler[LONG] = '\0';
    /* an e-acute ("\xC3\xA9") across the 4096th byte: the cut is before it */
    const char *head = "E9,Other Co,manufacturer,DEU,,";
    size_t at = DV_RECORD_MAX - 1 - strlen(head);
    filler[at] = '\xC3';
    filler[at + 1] = '\xA9';
    char *row = dv_xasprintf("%s%s,", head, filler);
    char *dup = dv_xasprintf("E2,Hub Trading FZE,intermediary,AE,2023-11-01,%s,Hub Trade\n", filler);
    char *extra = dv_xasprintf("%s\n%s%s", row, dup, dup);
    char *dir = base_dataset(DV_T_ENTITIES, extra);
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);

    const dv_reject *r = reject_at(&ds, "entities", 5);
    assert_reject(r, "country", "bad_country");
    char *want = dv_xasprintf("%.*s[... %zu more bytes]", DV_RECORD_MAX - 1, row,
                              strlen(row) - (DV_RECORD_MAX - 1));
    assert_string_equal(r->record, want);
    free(want);

    /* E2 is on line 3 with other values, and twice more from line 6 */
    for (long line = 6; line <= 7; line++) {
        const dv_reject *d = reject_at(&ds, "entities", line);
        assert_reject(d, "id", "duplicate_id");
        size_t len = strlen(dup) - 1; /* without its line end */
        char *w = dv_xasprintf("%.*s[... %zu more bytes]", DV_RECORD_MAX, dup, len - DV_RECORD_MAX);
        assert_string_equal(d->record, w);
        free(w);
    }
    assert_accounting(&ds);
    dv_dataset_free(&ds);
    dvt_remove(dir);
    free(extra);
    free(dup);
    free(row);
    free(filler);
}

static void rejects_are_sorted_by_table_and_line(void **state)
{
    (void)state;
    char *dir = dvt_dataset("entities.csv",
                            "id,name,role,country\nE1,M,manufacturer,DE\nE1,N,manufacturer,DE\n"
                            "E2,O,manufacturer,XXX\nE3,P,manufacturer,DE\n",
                            "shipments.csv",
                            "id,date,shipper_id,consignee_id,item,quantity\n"
                            "S1,2024-03-01,E3,E1,3A981,1\n"
                            "S2,2024-02-30,E3,E2,3A981,1\n"
                            "S2,2024-03-01,E3,E9,3A981,1\n",
                            "countries.csv", dvt_countries_csv, "items.csv", dvt_items_csv, NULL);
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);
    static const struct {
        const char *table;
        long line;
    } want[] = {{"entities", 2}, {"entities", 3}, {"entities", 4},
                {"shipments", 2}, {"shipments", 3}, {"shipments", 4}};
    assert_int_equal(ds.n_rejects, 6);
    for (size_t i = 0; i < 6; i++) {
        assert_string_equal(ds.rejects[i].table, want[i].table);
        assert_int_equal(ds.rejects[i].line, want[i].line);
        assert_non_null(ds.rejects[i].record);
        assert_true(strlen(ds.rejects[i].record) > 0);
    }
    assert_accounting(&ds);
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

/* ---- items ---- */

static void item_entry_is_the_longest_code_prefix(void **state)
{
    (void)state;
    char *dir = dvt_dataset("entities.csv", entities_csv, "shipments.csv",
                            "id,date,shipper_id,consignee_id,item,quantity\n"
                            "S1,2024-03-01,E1,E2,8471.90.10,1\n"
                            "S2,2024-03-01,E1,E2,8471.30,1\n"
                            "S3,2024-03-01,E1,E2,9999,1\n"
                            "S4,2024-03-01,E1,E2,847,1\n"
                            "S5,2024-03-01,E1,E2,84,1\n",
                            "items.csv",
                            "code,description,control,category,sensitivity\n"
                            "8471,computers,5A992,computer,0.3\n"
                            "847190,other units,NONE,computer,\n"
                            "847,machines,EAR99,machine,0.1\n",
                            "countries.csv", dvt_countries_csv, NULL);
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);
    static const struct {
        const char *code;
        const char *entry; /* NULL: unclassified */
    } cases[] = {{"84719010", "847190"}, {"847190", "847190"}, {"847130", "8471"},
                 {"8471", "8471"},        {"84711", "8471"},     {"847", "847"},
                 {"8479", "847"},         {"9999", NULL},        {"84", NULL},
                 {"8", NULL},             {"A847", NULL}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint32_t row = dv_item_lookup(&ds, cases[i].code);
        const char *got = row == DV_NONE ? NULL : ds.items[row].code;
        if ((got == NULL) != (cases[i].entry == NULL) ||
            (got && strcmp(got, cases[i].entry) != 0))
            fail_msg("%s -> %s, expected %s", cases[i].code, got ? got : "none",
                     cases[i].entry ? cases[i].entry : "none");
    }
    /* and the shipments got their entries */
    static const char *const entry[] = {"847190", "8471", NULL, "847", NULL};
    for (size_t i = 0; i < 5; i++) {
        char id[8];
        snprintf(id, sizeof id, "S%zu", i + 1);
        const dv_shipment *s = &ds.shipments[dv_shipment_find(&ds, id)];
        if (!entry[i]) assert_int_equal(s->item_idx, DV_NONE);
        else assert_string_equal(ds.items[s->item_idx].code, entry[i]);
    }
    assert_string_equal(ds.shipments[dv_shipment_find(&ds, "S1")].item, "8471.90.10");
    assert_string_equal(ds.shipments[dv_shipment_find(&ds, "S1")].item_code, "84719010");
    /* control: NONE and EAR99 are not controlled; sensitivity default 0.5 */
    const dv_item *i847190 = &ds.items[dv_item_lookup(&ds, "847190")];
    assert_false(i847190->controlled);
    assert_true(i847190->sensitivity == 0.5);
    assert_false(ds.items[dv_item_lookup(&ds, "847")].controlled);
    assert_true(ds.items[dv_item_lookup(&ds, "8471")].controlled);
    assert_string_equal(ds.items[dv_item_lookup(&ds, "8471")].control, "5A992");
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

/* ---- reference tables ---- */

static void missing_countries_and_items_fall_back_to_reference(void **state)
{
    (void)state;
    char *dir = dvt_dataset("entities.csv", entities_csv, "shipments.csv", shipments_csv, NULL);
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);
    for (int t = DV_T_ITEMS; t <= DV_T_COUNTRIES; t++) {
        const dv_table_info *info = &ds.tables[t];
        assert_true(info->reference);
        assert_true(info->present);
        assert_string_equal(info->path, "(reference)");
        assert_true(info->rows_read > 0);
        /* the shipped tables load without a single reject */
        assert_int_equal(info->rows_rejected, 0);
        assert_int_equal(info->n_unknown, 0);
    }
    assert_false(ds.tables[DV_T_ENTITIES].reference);
    assert_true(ds.n_countries > 100);
    uint32_t de = dv_country_find(&ds, "DE");
    assert_int_not_equal(de, DV_NONE);
    assert_false(ds.countries[de].hub);
    assert_int_equal(ds.countries[de].nregimes, 4);
    uint32_t ru = dv_country_find(&ds, "RU");
    assert_int_not_equal(ru, DV_NONE);
    assert_int_equal(ds.countries[ru].destination, DV_DEST_EMBARGOED);
    assert_int_not_equal(dv_item_lookup(&ds, "3A981"), DV_NONE);
    assert_true(ds.items[dv_item_lookup(&ds, "3A981")].controlled);
    assert_string_equal(ds.items[ds.shipments[0].item_idx].code, "3A981");
    assert_string_equal(ds.countries[ds.entities[dv_entity_find(&ds, "E2")].country_idx].code, "AE");
    assert_int_equal(ds.n_absent, 0);
    assert_accounting(&ds);
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

static void given_countries_table_replaces_the_reference(void **state)
{
    (void)state;
    char *dir = dvt_dataset("entities.csv", entities_csv, "shipments.csv", shipments_csv,
                            "countries.csv", "code,rule_of_law\nDE,0.9\n", NULL);
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);
    assert_false(ds.tables[DV_T_COUNTRIES].reference);
    assert_true(ds.tables[DV_T_ITEMS].reference);
    assert_int_equal(ds.n_countries, 1);
    assert_int_equal(dv_country_find(&ds, "RU"), DV_NONE);
    /* AE and RU are named by entities but absent from the table */
    assert_int_equal(ds.n_absent, 2);
    assert_string_equal(ds.absent_countries[0], "AE");
    assert_string_equal(ds.absent_countries[1], "RU");
    /* DE lacks two indicators */
    assert_int_equal(ds.n_incomplete, 1);
    assert_string_equal(ds.incomplete_countries[0], "DE");
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

/* ---- files ---- */

static void write_gz(const char *dir, const char *name, const char *text)
{
    char *path = dv_xasprintf("%s/%s", dir, name);
    gzFile gz = gzopen(path, "wb");
    assert_non_null(gz);
    assert_int_equal(gzwrite(gz, text, (unsigned)strlen(text)), (int)strlen(text));
    assert_int_equal(gzclose(gz), Z_OK);
    free(path);
}

static void both_plain_and_gzip_table_is_an_input_error(void **state)
{
    (void)state;
    char *dir = dvt_dataset("entities.csv", entities_csv, "shipments.csv", shipments_csv, NULL);
    write_gz(dir, "entities.csv.gz", entities_csv);
    load_error(dir, ": both entities.csv and entities.csv.gz exist; keep one");
    dvt_remove(dir);
}

static void gzip_tables_load_like_plain_ones(void **state)
{
    (void)state;
    char *dir = dvt_dataset("countries.csv", dvt_countries_csv, "items.csv", dvt_items_csv, NULL);
    write_gz(dir, "entities.csv.gz", entities_csv);
    /* a reject found after the pass gets its record from the gzip file */
    char *ships = dv_xasprintf("%sS3,2024-03-21,E3,X9,3A981,1,,,\n", shipments_csv);
    write_gz(dir, "shipments.csv.gz", ships);
    free(ships);
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);
    assert_int_equal(ds.n_entities, 3);
    assert_int_equal(ds.n_shipments, 2);
    const dv_reject *r = reject_at(&ds, "shipments", 4);
    assert_reject(r, "consignee_id", "unknown_entity");
    assert_string_equal(r->record, "S3,2024-03-21,E3,X9,3A981,1,,,");
    char *path = dv_xasprintf("%s/entities.csv.gz", dir);
    assert_string_equal(ds.tables[DV_T_ENTITIES].path, path);
    free(path);
    assert_accounting(&ds);
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

/* ---- order ---- */

static void tables_are_in_key_order_whatever_the_input_order(void **state)
{
    (void)state;
    char *dir = dvt_dataset("entities.csv",
                            "id,name,role,country\n"
                            "E3,Securtech,end_user,RU\n"
                            "E1,Maker GmbH,manufacturer,DE\n"
                            "E2,Hub,intermediary,AE\n",
                            "shipments.csv",
                            "id,date,shipper_id,consignee_id,item,quantity\n"
                            "S3,2024-01-01,E1,E2,3A981,1\n"
                            "S10,2024-01-02,E2,E3,3A981,1\n"
                            "S1,2024-01-03,E1,E3,3A981,1\n"
                            "S2,2024-01-04,E2,E1,3A981,1\n",
                            "licenses.csv",
                            "id,exporter_id,item,destination\nL2,E1,3A981,RU\nL1,E1,3A981,AE\n",
                            "countries.csv", dvt_countries_csv, "items.csv", dvt_items_csv, NULL);
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);
    static const char *const eids[] = {"E1", "E2", "E3"};
    static const char *const sids[] = {"S1", "S10", "S2", "S3"};
    static const long slines[] = {4, 3, 5, 2};
    assert_int_equal(ds.n_entities, 3);
    assert_int_equal(ds.n_shipments, 4);
    for (size_t i = 0; i < 3; i++) {
        assert_string_equal(ds.entities[i].id, eids[i]);
        assert_int_equal(dv_entity_find(&ds, eids[i]), i);
    }
    /* shipments stay in input order (dataset.h): each one found */
    for (size_t i = 0; i < 4; i++) {
        uint32_t r = dv_shipment_find(&ds, sids[i]);
        assert_int_not_equal(r, DV_NONE);
        assert_string_equal(ds.shipments[r].id, sids[i]);
        assert_int_equal(ds.shipments[r].line, slines[i]);
    }
    assert_int_equal(dv_shipment_find(&ds, "S4"), DV_NONE);
    /* references point at the sorted rows */
    const dv_shipment *s10 = &ds.shipments[dv_shipment_find(&ds, "S10")];
    assert_string_equal(ds.entities[s10->shipper].id, "E2");
    assert_string_equal(ds.entities[s10->consignee].id, "E3");
    assert_string_equal(ds.licences[0].id, "L1");
    assert_string_equal(ds.licences[1].id, "L2");
    assert_string_equal(ds.entities[ds.licences[1].exporter].id, "E1");
    /* countries and items by code */
    for (size_t i = 1; i < ds.n_countries; i++)
        assert_true(strcmp(ds.countries[i - 1].code, ds.countries[i].code) < 0);
    for (size_t i = 1; i < ds.n_items; i++)
        assert_true(strcmp(ds.items[i - 1].code, ds.items[i].code) < 0);
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_dataset_loads_with_exact_counts),
        cmocka_unit_test(sectors_and_human_rights_load_and_bad_values_reject),
        cmocka_unit_test(a_cited_licence_supplies_the_declared_end_user),
        cmocka_unit_test(headers_match_in_any_order_and_case),
        cmocka_unit_test(unknown_columns_are_listed),
        cmocka_unit_test(missing_required_column_is_an_input_error),
        cmocka_unit_test(duplicate_header_is_an_input_error),
        cmocka_unit_test(missing_entities_table_is_an_input_error),
        cmocka_unit_test(empty_file_is_an_input_error),
        cmocka_unit_test(dataset_that_is_a_file_is_an_input_error),
        cmocka_unit_test(structural_error_after_good_rows_is_an_input_error),
        cmocka_unit_test(header_only_tables_load_no_rows),
        cmocka_unit_test(each_bad_row_is_rejected_with_code_column_and_record),
        cmocka_unit_test(repeated_header_is_rejected_in_every_list_format),
        cmocka_unit_test(good_rows_around_a_reject_still_load),
        cmocka_unit_test(identical_duplicate_rows_collapse_into_one),
        cmocka_unit_test(differing_duplicates_are_all_rejected),
        cmocka_unit_test(duplicate_shipments_items_and_countries_follow_the_same_rule),
        cmocka_unit_test(ids_whose_hashes_collide_in_the_grouping_bits_both_load),
        cmocka_unit_test(duplicates_resolve_the_same_in_any_row_order),
        cmocka_unit_test(shipment_to_a_rejected_entity_is_unknown_entity),
        cmocka_unit_test(rejects_are_sorted_by_table_and_line),
        cmocka_unit_test(long_records_are_clipped_with_what_was_cut),
        cmocka_unit_test(item_entry_is_the_longest_code_prefix),
        cmocka_unit_test(missing_countries_and_items_fall_back_to_reference),
        cmocka_unit_test(given_countries_table_replaces_the_reference),
        cmocka_unit_test(both_plain_and_gzip_table_is_an_input_error),
        cmocka_unit_test(gzip_tables_load_like_plain_ones),
        cmocka_unit_test(tables_are_in_key_order_whatever_the_input_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
