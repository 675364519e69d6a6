/*
 * fuzz_table.c: arbitrary bytes as one table of a dataset, through the
 * whole loader (dv_dataset_load).
 *
 * The first byte picks the table (its value modulo six, in the order of
 * dv_table_id: entities, shipments, items, countries, licenses,
 * watchlist); the rest is that table's file. The other five tables are
 * small valid ones that refer to each other, so a fuzzed shipments table
 * meets real entities and a fuzzed entities table meets shipments that
 * name them. The dataset directory is made once a process; each input
 * overwrites one file and puts the fixed table back afterwards.
 *
 * Checked after each load:
 * - the status is success or an input error, never an internal one (the
 *   loader's own accounting check is an internal error);
 * - every table present, and every watchlist file, has rows_read =
 *   rows_loaded + rows_rejected + rows_skipped + rows_joined (the last two
 *   only ever in lists), and each table as many rejects listed as it
 *   counts;
 * - every reject has a reason and a record, and the record is valid
 *   UTF-8 (rejects.csv stays valid UTF-8); rejects are sorted by table
 *   and line;
 * - entities, items, countries and licences are sorted by key with no key
 *   twice, and every reference between rows points at a row.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>

#include "divert/config.h"
#include "divert/dataset.h"
#include "fuzz_support.h"

static const char *const fixed_tables[DV_T_COUNT] = {
    /* entities */
    "id,name,role,country,registered,address,aliases\n"
    "M-DE,Livescan Systeme GmbH,manufacturer,DE,1998-05-04,\"Industriestr. 4, Jena\",LSS\n"
    "H-AE,Gulf Bridge Trading FZE,intermediary,AE,2024-01-15,\"Office 12, JAFZA One, Dubai\",\n"
    "K-KZ,Steppe Logistics LLP,freight_forwarder,KZ,2019-03-01,,\n"
    "E-RU,Securtech OOO,end_user,RU,2005-01-01,,Sekurtekh;SECURTECH\n"
    "E-CN,Sino Vision Ltd,end_user,CN,2010-06-01,,\n"
    "S-CH,Alpine Distribution AG,distributor,CH,2001-01-01,,\n",
    /* shipments */
    "id,date,shipper_id,consignee_id,item,quantity,value,declared_end_user_id,license_id\n"
    "S01,2024-03-03,M-DE,H-AE,3A981.a,40,120000,,\n"
    "S02,2024-03-21,H-AE,K-KZ,3A981,40,124000,,\n"
    "S03,2024-04-02,K-KZ,E-RU,3A981,39,130000,,\n"
    "S04,2024-05-02,M-DE,H-AE,3A981,10,30000,E-CN,L-1\n"
    "S05,2024-05-10,H-AE,E-CN,3A981,10,31000,,\n"
    "S06,2024-06-01,M-DE,S-CH,852589,5,15000,,\n",
    /* items */
    "code,description,control,category,sensitivity\n"
    "3A981,fingerprint booking stations,3A981,fingerprint,0.9\n"
    "852589,face capture camera,EAR99,camera,0.2\n",
    /* countries */
    "code,name,rule_of_law,data_protection,civil_liberties,regimes,hub,destination\n"
    "DE,Germany,0.90,1,0.94,WA;AG;NSG;MTCR,0,none\n"
    "CH,Switzerland,0.90,1,0.96,WA;AG;NSG;MTCR,0,none\n"
    "AE,United Arab Emirates,0.774,1,0.18,,1,none\n"
    "KZ,Kazakhstan,0.40,1,0.23,,1,none\n"
    "RU,Russia,0.20,1,0.16,,0,embargoed\n"
    "CN,China,0.50,1,0.09,NSG,1,elevated\n",
    /* licenses */
    "id,exporter_id,item,destination,end_user_id,valid_from,valid_to,end_use,quantity\n"
    "L-1,M-DE,3A981,CN,E-CN,2024-01-01,2024-12-31,border control,100\n",
    /* watchlist */
    "name,id,aliases,country,source\n"
    "SECURTECH LLC,WL-1,SEKURTEKH,RU,test list\n"
    "\"Gulf Bridge Trading, L.L.C.\",WL-2,,AE,test list\n",
};

static char *table_path[DV_T_COUNT];
static dv_config cfg;

static void setup(void)
{
    dv_config_defaults(&cfg);
    cfg.max_field_bytes = 1024; /* small enough for inputs to reach it */
    cfg.max_fields = 64;        /* and this */
    for (int t = 0; t < DV_T_COUNT; t++) {
        char *name = dv_xasprintf("%s.csv", dv_table_names[t]);
        table_path[t] = fuzz_path(name);
        free(name);
        fuzz_write(table_path[t], fixed_tables[t], strlen(fixed_tables[t]));
    }
}

static void check_sorted(const char *what, const char *prev, const char *key)
{
    FUZZ_CHECK(strcmp(prev, key) < 0, "%s \"%s\" follows \"%s\"", what, key, prev);
}

static void check(const dv_dataset *ds)
{
    for (int t = 0; t < DV_T_COUNT; t++) {
        const dv_table_info *info = &ds->tables[t];
        if (!info->present) continue;
        FUZZ_CHECK(info->rows_read == info->rows_loaded + info->rows_rejected + info->rows_skipped +
                                          info->rows_joined,
                   "%s: %ld rows read, %ld loaded, %ld rejected, %ld skipped, %ld joined",
                   dv_table_names[t], info->rows_read, info->rows_loaded, info->rows_rejected,
                   info->rows_skipped, info->rows_joined);
        long listed = 0;
        for (size_t i = 0; i < ds->n_rejects; i++) listed += !strcmp(ds->rejects[i].table, dv_table_names[t]);
        FUZZ_CHECK(listed == info->rows_rejected, "%s: %ld rejects listed, %ld counted",
                   dv_table_names[t], listed, info->rows_rejected);
    }
    for (size_t i = 0; i < ds->n_lists; i++) {
        const dv_list_file *f = &ds->lists[i];
        FUZZ_CHECK(f->rows_read == f->rows_loaded + f->rows_rejected + f->rows_skipped + f->rows_joined,
                   "%s: %ld rows read, %ld loaded, %ld rejected, %ld skipped, %ld joined", f->label,
                   f->rows_read, f->rows_loaded, f->rows_rejected, f->rows_skipped, f->rows_joined);
    }
    for (size_t i = 0; i < ds->n_rejects; i++) {
        const dv_reject *r = &ds->rejects[i];
        FUZZ_CHECK(r->table && r->column && r->code && r->detail && r->record, "reject %zu incomplete", i);
        FUZZ_CHECK(r->line >= 1, "reject on line %ld", r->line);
        FUZZ_CHECK(dv_utf8_valid(r->record, strlen(r->record)), "record of %s:%ld is not UTF-8",
                   r->table, r->line);
        if (i) {
            const dv_reject *p = &ds->rejects[i - 1];
            int c = strcmp(p->table, r->table);
            FUZZ_CHECK(c < 0 || (c == 0 && p->line <= r->line), "rejects out of order at %zu", i);
        }
    }
    for (size_t i = 1; i < ds->n_entities; i++)
        check_sorted("entity", ds->entities[i - 1].id, ds->entities[i].id);
    for (size_t i = 1; i < ds->n_items; i++) check_sorted("item", ds->items[i - 1].code, ds->items[i].code);
    for (size_t i = 1; i < ds->n_countries; i++)
        check_sorted("country", ds->countries[i - 1].code, ds->countries[i].code);
    for (size_t i = 1; i < ds->n_licences; i++)
        check_sorted("licence", ds->licences[i - 1].id, ds->licences[i].id);
    for (size_t i = 0; i < ds->n_entities; i++) {
        const dv_entity *e = &ds->entities[i];
        FUZZ_CHECK(e->country_idx == DV_NONE || e->country_idx < ds->n_countries, "entity country");
        FUZZ_CHECK(dv_entity_find(ds, e->id) == i, "entity %s not found by id", e->id);
    }
    for (size_t i = 0; i < ds->n_shipments; i++) {
        const dv_shipment *s = &ds->shipments[i];
        FUZZ_CHECK(s->shipper < ds->n_entities && s->consignee < ds->n_entities &&
                       s->shipper != s->consignee,
                   "shipment %s: shipper %u, consignee %u", s->id, s->shipper, s->consignee);
        FUZZ_CHECK(s->declared_end_user == DV_NONE || s->declared_end_user < ds->n_entities,
                   "shipment %s: declared end user", s->id);
        FUZZ_CHECK(s->item_idx == DV_NONE || s->item_idx < ds->n_items, "shipment %s: item", s->id);
        FUZZ_CHECK(s->quantity >= 0 && s->quantity <= DV_MAX_NUMBER, "shipment %s: quantity", s->id);
    }
    for (size_t i = 0; i < ds->n_licences; i++) {
        const dv_licence *l = &ds->licences[i];
        FUZZ_CHECK(l->exporter < ds->n_entities, "licence %s: exporter", l->id);
        FUZZ_CHECK(l->end_user == DV_NONE || l->end_user < ds->n_entities, "licence %s: end user", l->id);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!table_path[0]) setup();
    if (size < 1) return 0;
    int t = data[0] % DV_T_COUNT;
    fuzz_write(table_path[t], data + 1, size - 1);

    dv_load_options opt = {.max_field_bytes = cfg.max_field_bytes, .max_fields = cfg.max_fields};
    dv_dataset ds;
    dv_error err = {0};
    int rc = dv_dataset_load(&ds, fuzz_scratch_dir(), &opt, &err);
    FUZZ_CHECK(rc == 0 || rc == DV_EXIT_INPUT, "status %d: %s", rc, err.msg);
    if (rc == 0) check(&ds);
    else FUZZ_CHECK(err.code == rc && err.msg[0], "status %d with no message", rc);
    dv_dataset_free(&ds);

    fuzz_write(table_path[t], fixed_tables[t], strlen(fixed_tables[t]));
    return 0;
}
