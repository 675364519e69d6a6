/*
 * test_lists.c: the list formats of issue #17 (UK OFSI's ConList.csv, the
 * EU's consolidated financial sanctions file, OFAC's legacy SDN files) on
 * the samples in tests/data/screening/lists, their malformed rows, the
 * rows that are not parties (skipped, not rejected), and the review band
 * of screening.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "divert/screen.h"
#include "support.h"

static const char *const entities_csv = "id,name,role,country\nE1,Placeholder,intermediary,RU\n";
static const char *const shipments_csv = "id,date,shipper_id,consignee_id,item,quantity\n";

static char *read_sample(const char *name, size_t *len)
{
    char *rel = dv_xasprintf("screening/lists/%s", name);
    char *path = dvt_data(rel);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = dv_xmalloc((size_t)n + 1);
    assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
    data[n] = '\0';
    fclose(f);
    free(path);
    free(rel);
    *len = (size_t)n;
    return data;
}

/* A dataset of one entity and the given sample files, each copied under
 * its name in the dataset (pairs of sample, name, ending with NULL). */
static char *dataset_with(const char *sample, ...)
{
    char *dir = dvt_dataset("entities.csv", entities_csv, "shipments.csv", shipments_csv, NULL);
    va_list ap;
    va_start(ap, sample);
    for (const char *s = sample; s; s = va_arg(ap, const char *)) {
        const char *as = va_arg(ap, const char *);
        size_t len;
        char *data = read_sample(s, &len);
        dvt_write(dir, as, data, len);
        free(data);
    }
    va_end(ap);
    return dir;
}

static const dv_watch *entry_named(const dv_dataset *ds, const char *name)
{
    for (size_t i = 0; i < ds->n_watch; i++)
        if (!strcmp(ds->watchlist[i].name, name)) return &ds->watchlist[i];
    fail_msg("no list entry \"%s\"", name);
    return NULL;
}

static bool has_alias(const dv_watch *w, const char *alias)
{
    for (uint32_t i = 0; i < w->naliases; i++)
        if (!strcmp(w->aliases[i], alias)) return true;
    return false;
}

static const dv_list_file *list_file(const dv_dataset *ds, const char *label)
{
    for (size_t i = 0; i < ds->n_lists; i++)
        if (!strcmp(ds->lists[i].label, label)) return &ds->lists[i];
    fail_msg("no list file \"%s\"", label);
    return NULL;
}

static const dv_reject *reject_at(const dv_dataset *ds, const char *table, long line)
{
    for (size_t i = 0; i < ds->n_rejects; i++)
        if (!strcmp(ds->rejects[i].table, table) && ds->rejects[i].line == line) return &ds->rejects[i];
    fail_msg("no reject of %s at line %ld", table, line);
    return NULL;
}

static void counts_are(const dv_list_file *lf, const char *format, long read, long loaded,
                       long rejected, long skipped, long joined)
{
    assert_string_equal(lf->format, format);
    assert_int_equal(lf->rows_read, read);
    assert_int_equal(lf->rows_loaded, loaded);
    assert_int_equal(lf->rows_rejected, rejected);
    assert_int_equal(lf->rows_skipped, skipped);
    assert_int_equal(lf->rows_joined, joined);
}

/* ---- UK OFSI ConList.csv ---- */

/* The sample: 77 rows of 41 groups, one entry a Group ID, the "Prime
 * Alias" row's name the entry's (the group's first row's when none is),
 * names in six parts with the given names first, nationalities and
 * address countries by name, Windows-1252 bytes in Other Information that
 * no longer reject their rows. */
static void ofsi_conlist_sample_gives_one_entry_a_group(void **state)
{
    (void)state;
    char *dir = dataset_with("ofsi-conlist-sample.csv", "watchlist-uk.csv", NULL);
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);
    counts_are(list_file(&ds, "watchlist-uk"), "ofsi", 77, 41, 0, 0, 36);
    assert_int_equal(ds.n_rejects, 0);
    /* five spellings, one "Prime Alias" (its 28th row) */
    const dv_watch *w = entry_named(&ds, "Yasser Aziz ABBAS");
    assert_string_equal(w->id, "13814");
    assert_string_equal(w->country, "SY");
    assert_int_equal(w->naliases, 5);
    assert_true(has_alias(w, "Yaser Aziz ABAS"));
    assert_true(has_alias(w, "Yasr Aziz ABBAS"));
    assert_false(has_alias(w, "Yasser Aziz ABBAS"));
    assert_int_equal(w->line, 20); /* the group's first row */
    /* no primary row: the first row's name; two rows, one name */
    w = entry_named(&ds, "Sheikh Farooq AL-QAHTANI");
    assert_int_equal(w->naliases, 0);
    assert_string_equal(w->country, "SA;QA;AF"); /* "1) Saudi Arabia 2) Qatar", "Afghanistan (since 2009)" */
    assert_string_equal(w->source, "The ISIL (Da'esh) and Al-Qaida organisations");
    /* an entity: Name 6 alone, an AKA after its primary name */
    w = entry_named(&ds, "3M MIZAN MACHINERY MANUFACTURING");
    assert_string_equal(w->country, "IR"); /* "Iran": the countries table's name before " (" */
    assert_int_equal(w->naliases, 1);
    assert_string_equal(w->aliases[0], "3MG");
    /* "(1) Central African Republic (2) Sudan", and four given names */
    w = entry_named(&ds, "Mohamed Adam Brema ABDALLAH");
    assert_string_equal(w->country, "CF;SD");
    /* "(1) German (2) Moroccan" */
    w = entry_named(&ds, "Mohamed ABBATTAY");
    assert_string_equal(w->country, "DE;MA");
    /* a nationality that names no country the tables know: left out */
    w = entry_named(&ds, "Hajji 'ABD AL-NASIR");
    assert_string_equal(w->country, "IQ;SY");
    assert_int_equal(w->naliases, 1);
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

/* The official download opens with a "Last Updated" line; its bytes are
 * Windows-1252; ships are skipped; a row without a name or a group is
 * rejected with its line. */
static void ofsi_title_line_windows_1252_ships_and_bad_rows(void **state)
{
    (void)state;
    static const char file[] =
        "Last Updated,05/12/2026\r\n"
        "Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,Title,Nationality,Country,Group Type,"
        "Alias Type,Regime,Group ID,Name Non-Latin Script\r\n"
        "CAF\xC9 NOIR TRADING,,,,,,,,France,Entity,Prime Alias,Test,9001,\r\n"   /* line 3 */
        "O\x92" "BRIEN,S\xE9" "amus,,,,,,Irish,,Individual,Prime Alias,Test,9002,\r\n"
        "NORTHERN \x80 STAR,,,,,,,,,Ship,Prime Alias,Test,9003,\r\n"           /* line 5 */
        ",,,,,,Mr,,,Individual,AKA,Test,9004,\r\n"                             /* line 6 */
        "EMPTY GROUP,,,,,,,,,Entity,AKA,Test,,\r\n"                             /* line 7 */
        "NORTHERN STAR II,,,,,,,,,Ship,AKA,Test,9003,\r\n"                      /* line 8 */
        /* the name in its own script is one more name: UTF-8 already */
        "CAFE NOIR,,,,,,,,,Entity,AKA,Test,9001,\xD0\x9A\xD0\x90\xD0\xA4\xD0\x95\r\n";
    char *dir = dvt_dataset("entities.csv", entities_csv, "shipments.csv", shipments_csv, NULL);
    dvt_write(dir, "watchlist-uk.csv", file, sizeof file - 1);
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);
    const dv_list_file *lf = list_file(&ds, "watchlist-uk");
    counts_are(lf, "ofsi", 7, 2, 2, 2, 1);
    assert_string_equal(lf->skipped_why, "ships are not parties (Group Type Ship)");
    const dv_watch *w = entry_named(&ds, "CAF\xC3\x89 NOIR TRADING");
    assert_string_equal(w->country, "FR");
    assert_int_equal(w->naliases, 2);
    assert_string_equal(w->aliases[0], "CAFE NOIR");
    assert_string_equal(w->aliases[1], "\xD0\x9A\xD0\x90\xD0\xA4\xD0\x95");
    w = entry_named(&ds, "S\xC3\xA9" "amus O\xE2\x80\x99" "BRIEN");
    assert_null(w->country); /* "Irish" is not in the table of nationalities */
    const dv_reject *r = reject_at(&ds, "watchlist-uk", 6);
    assert_string_equal(r->code, "missing_value");
    assert_string_equal(r->column, "Name 6");
    r = reject_at(&ds, "watchlist-uk", 7);
    assert_string_equal(r->code, "missing_value");
    assert_string_equal(r->column, "Group ID");
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

/* ---- the UK Sanctions List (FCDO), which replaced OFSI's list ---- */

/* The sample (tests/data/screening/lists/PROVENANCE-uksl.md): a "Report
 * Date:" line above the header, one entry a Unique ID, the "Primary Name"
 * row's name the entry's, "Primary Name Variation" and "Alias" rows and
 * the names in their own script its aliases, a name repeated on another
 * address row said once, ships skipped, nationalities and address
 * countries by name. */
static void uk_sanctions_list_sample_gives_one_entry_a_unique_id(void **state)
{
    (void)state;
    char *dir = dataset_with("uk-sanctions-list-sample.csv", "watchlist-uksl.csv", NULL);
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);
    /* 14 rows: 6 parties, 2 ship rows skipped, 6 rows joined to a party */
    counts_are(list_file(&ds, "watchlist-uksl"), "uksl", 14, 6, 0, 2, 6);
    assert_int_equal(ds.n_rejects, 0);
    assert_string_equal(list_file(&ds, "watchlist-uksl")->skipped_why,
                        "ships are not parties (Designation Type Ship)");
    const dv_watch *w = entry_named(&ds, "KORVANTA MACHINE TOOLS LLC");
    assert_string_equal(w->id, "RUS9101");
    assert_string_equal(w->country, "RU");
    assert_string_equal(w->source, "Russia");
    assert_int_equal(w->naliases, 3);
    assert_true(has_alias(w, "KORVANTA MACHINE-TOOLS"));
    assert_true(has_alias(w, "KMT-URAL"));
    assert_true(has_alias(w, "\xD0\x9E\xD0\x9E\xD0\x9E \xC2\xAB\xD0\x9A\xD0\xBE\xD1\x80\xD0\xB2\xD0\xB0\xD0\xBD"
                             "\xD1\x82\xD0\xB0 \xD0\xA1\xD1\x82\xD0\xB0\xD0\xBD\xD0\xBA\xD0\xB8\xC2\xBB"));
    assert_int_equal(w->line, 3); /* the party's first row, under the header */
    /* a person: the given names first, then Name 6 */
    w = entry_named(&ds, "Arkadiy Pavlovich SEMENKOV");
    assert_string_equal(w->country, "RU");
    assert_true(has_alias(w, "Arkady SEMENKOV"));
    /* no "Primary Name" row: the first row's name */
    w = entry_named(&ds, "PARS NAVID ELECTRONIC COMPANY");
    assert_string_equal(w->country, "IR");
    assert_int_equal(w->naliases, 1);
    w = entry_named(&ds, "Khalid Abdullah AL-RASHIDI");
    assert_string_equal(w->country, "SY;IQ");
    w = entry_named(&ds, "TAIMING INDUSTRIAL (HONG KONG) LIMITED");
    assert_string_equal(w->country, "HK");
    w = entry_named(&ds, "RYUGYONG TRADING CORPORATION");
    assert_true(has_alias(w, "RYUGYONG TRADING CORP"));
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

/* The column of what a row is goes by two names in the copies described
 * publicly: "Designation Type" and "Individual, Entity, Ship"; either
 * tells a ship. A row without a Unique ID is rejected with its line. */
static void uk_sanctions_list_other_kind_column_and_bad_rows(void **state)
{
    (void)state;
    static const char file[] =
        "Report Date: 02-Dec-2026\n"
        "Unique ID,Name 6,Name 1,Name type,\"Individual, Entity, Ship\",Address Country\n"
        "GBR9201,NORTHWIND LOGISTICS LTD,,Primary Name,Entity,United Kingdom\n" /* line 3 */
        "GBR9202,SEA FALCON,,Primary Name,Ship,\n"                               /* line 4 */
        ",LOST ROW,,Primary Name,Entity,\n"                                       /* line 5 */
        "GBR9203,,,Primary Name,Individual,\n";                                   /* line 6 */
    char *dir = dvt_dataset("entities.csv", entities_csv, "shipments.csv", shipments_csv,
                            "watchlist-uksl.csv", file, NULL);
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);
    const dv_list_file *lf = list_file(&ds, "watchlist-uksl");
    counts_are(lf, "uksl", 4, 1, 2, 1, 0);
    assert_string_equal(entry_named(&ds, "NORTHWIND LOGISTICS LTD")->country, "GB");
    const dv_reject *r = reject_at(&ds, "watchlist-uksl", 5);
    assert_string_equal(r->code, "missing_value");
    assert_string_equal(r->column, "Unique ID");
    r = reject_at(&ds, "watchlist-uksl", 6);
    assert_string_equal(r->code, "missing_value");
    assert_string_equal(r->column, "Name 6");
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

/* A second title line where the header should be is an input error. */
static void ofsi_two_title_lines_are_an_input_error(void **state)
{
    (void)state;
    static const char file[] = "Last Updated,05/12/2026\nLast Updated,05/12/2026\nName 6,Group ID\n";
    char *dir = dvt_dataset("entities.csv", entities_csv, "shipments.csv", shipments_csv,
                            "watchlist-uk.csv", file, NULL);
    dv_dataset ds;
    dv_error err = {0, ""};
    dvt_load(&ds, dir, NULL, DV_EXIT_INPUT, &err);
    assert_non_null(strstr(err.msg, "watchlist-uk.csv:2: a second title line where the header should be"));
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

/* ---- the EU's file ---- */

/* ';' between fields (told by the header), rows of a party joined by
 * Entity_LogicalId, the first row's name the entry's, every country code
 * of citizenship and address, a class other than person and enterprise
 * skipped. */
static void eu_file_is_read_with_semicolons_and_joined_by_logical_id(void **state)
{
    (void)state;
    char *dir = dataset_with("eu-fsf-sample.csv", "watchlist-eu.csv", NULL);
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);
    const dv_list_file *lf = list_file(&ds, "watchlist-eu");
    counts_are(lf, "eu", 8, 3, 0, 1, 4);
    assert_string_equal(lf->skipped_why, "not a person or an enterprise (vessels and others)");
    const dv_watch *w = entry_named(&ds, "Korvanta Machine Tools LLC");
    assert_string_equal(w->id, "EU.9001.01");
    assert_string_equal(w->source, "RUS");
    assert_string_equal(w->country, "RU;BY");
    assert_int_equal(w->naliases, 1); /* the Cyrillic name; the third row repeats the first's */
    assert_string_equal(w->aliases[0], "\xD0\x9E\xD0\x9E\xD0\x9E \xC2\xAB\xD0\x9A\xD0\xBE\xD1\x80"
                                       "\xD0\xB2\xD0\xB0\xD0\xBD\xD1\x82\xD0\xB0 \xD0\xA1\xD1\x82"
                                       "\xD0\xB0\xD0\xBD\xD0\xBA\xD0\xB8\xC2\xBB");
    w = entry_named(&ds, "Anatoly Borisovich KREMNEV");
    assert_string_equal(w->country, "RU;BY");
    assert_true(has_alias(w, "Anatolii KREMNEV"));
    /* its rows are apart in the file */
    w = entry_named(&ds, "Sepahan Aero Parts Trading Company");
    assert_string_equal(w->country, "IR");
    assert_true(has_alias(w, "SAPT Co."));
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

/* A row without a logical id is rejected, and so is a party's first row
 * without a name; a later row without one (another address) joins. */
static void eu_rows_without_a_name_or_an_id_are_rejected(void **state)
{
    (void)state;
    static const char file[] =
        "Entity_LogicalId;NameAlias_WholeName;Entity_SubjectType_ClassificationCode;"
        "Address_CountryIso2Code\n"
        "1;Alpha Widgets GmbH;enterprise;DE\n"
        ";Beta Widgets GmbH;enterprise;\n" /* line 3 */
        "1;;enterprise;AT\n"               /* line 4: joins 1 */
        "3;;person;\n"                     /* line 5 */
        "2;Gamma;person;extra;x\n";        /* line 6 */
    char *dir = dvt_dataset("entities.csv", entities_csv, "shipments.csv", shipments_csv,
                            "watchlist-eu.csv", file, NULL);
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);
    counts_are(list_file(&ds, "watchlist-eu"), "eu", 5, 1, 3, 0, 1);
    const dv_reject *r = reject_at(&ds, "watchlist-eu", 3);
    assert_string_equal(r->column, "Entity_LogicalId");
    assert_string_equal(r->code, "missing_value");
    r = reject_at(&ds, "watchlist-eu", 5);
    assert_string_equal(r->column, "NameAlias_WholeName");
    r = reject_at(&ds, "watchlist-eu", 6);
    assert_string_equal(r->code, "ragged_row");
    const dv_watch *w = entry_named(&ds, "Alpha Widgets GmbH");
    assert_string_equal(w->country, "DE;AT");
    assert_int_equal(w->naliases, 0);
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

/* ---- OFAC's legacy files ---- */

static void ofac_sdn_alt_and_add_join_by_ent_num(void **state)
{
    (void)state;
    char *dir = dataset_with("ofac-sdn.csv", "sdn.csv", "ofac-alt.csv", "alt.csv", "ofac-add.csv",
                             "add.csv", NULL);
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);
    /* 17 entries, 4 vessels and 2 aircraft */
    const dv_list_file *sdn = list_file(&ds, "sdn");
    counts_are(sdn, "ofac-sdn", 17, 11, 0, 6, 0);
    assert_null(sdn->note);
    assert_string_equal(sdn->skipped_why, "vessels and aircraft are not parties (SDN_Type)");
    /* the sample is an extract: rows of entries it does not hold are
     * rejected, rows of its vessels skipped */
    const dv_list_file *alt = list_file(&ds, "alt");
    counts_are(alt, "ofac-alt", 18, 0, 5, alt->rows_skipped, 13 - alt->rows_skipped);
    const dv_list_file *add = list_file(&ds, "add");
    counts_are(add, "ofac-add", 28, 0, 4, add->rows_skipped, 24 - add->rows_skipped);
    const dv_reject *r = reject_at(&ds, "alt", 1);
    assert_string_equal(r->code, "unknown_entry");
    assert_string_equal(r->detail, "ent_num 10416 is not an entry of sdn.csv (or was rejected there)");
    const dv_watch *w = entry_named(&ds, "IRAN AIRCRAFT MANUFACTURING INDUSTRIAL COMPANY");
    assert_string_equal(w->id, "11195");
    assert_string_equal(w->source, "OFAC SDN [NPWMD] [IFSR] [IRAN-CON-ARMS-EO]");
    assert_string_equal(w->country, "IR");
    assert_true(has_alias(w, "HESA TRADE CENTER"));
    assert_true(has_alias(w, "KARKHANEJATE SANAYE HAVAPAYMAIE IRAN"));
    w = entry_named(&ds, "GADDAFI INTERNATIONAL CHARITY AND DEVELOPMENT FOUNDATION");
    assert_string_equal(w->country, "LY;CH");
    /* "-0-" is empty: no programme, no title */
    w = entry_named(&ds, "LOGAN MOREY, Elvis Angus");
    assert_string_equal(w->source, "OFAC SDN [SDNT]");
    assert_null(w->country); /* its one address is "-0-" */
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

/* Without alt.csv and add.csv the entries load with a note; alt.csv
 * without sdn.csv is an input error. */
static void ofac_files_missing_beside_sdn(void **state)
{
    (void)state;
    char *dir = dataset_with("ofac-sdn.csv", "sdn.csv", NULL);
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);
    const dv_list_file *sdn = list_file(&ds, "sdn");
    assert_int_equal(sdn->rows_loaded, 11);
    assert_string_equal(sdn->note, "no alt.csv beside it: its entries have no aliases; no add.csv "
                                   "beside it: its entries have no country");
    for (size_t i = 0; i < ds.n_watch; i++) assert_int_equal(ds.watchlist[i].naliases, 0);
    dv_dataset_free(&ds);
    dvt_remove(dir);

    dir = dataset_with("ofac-alt.csv", "alt.csv", NULL);
    dv_error err = {0, ""};
    dvt_load(&ds, dir, NULL, DV_EXIT_INPUT, &err);
    assert_non_null(strstr(err.msg, "/alt.csv: OFAC's alt.csv without its sdn.csv"));
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

static void ofac_malformed_rows_are_rejected_with_their_lines(void **state)
{
    (void)state;
    static const char sdn[] =
        "1,\"ALPHA TRADING LLC\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n"
        "X2,\"BETA LLC\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n"  /* line 2 */
        "1,\"ALPHA AGAIN\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n" /* line 3 */
        "3,-0- ,-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n"           /* line 4 */
        "4,\"GAMMA\",-0- ,\"SDGT\"\n"                                                 /* line 5 */
        "\x1a\n"; /* the end-of-file mark OFAC's files end with: no row */
    static const char alt[] = "1,10,\"aka\",\"ALPHA TRD\",-0- \n"
                              "3,11,\"aka\",\"NAMELESS\",-0- \n" /* line 2: rejected entry */
                              "1,12,\"aka\",-0- ,-0- \n";        /* line 3 */
    char *dir = dvt_dataset("entities.csv", entities_csv, "shipments.csv", shipments_csv,
                            "sdn.csv", sdn, "alt.csv", alt, NULL);
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);
    counts_are(list_file(&ds, "sdn"), "ofac-sdn", 5, 1, 4, 0, 0);
    const dv_reject *r = reject_at(&ds, "sdn", 2);
    assert_string_equal(r->code, "bad_ent_num");
    assert_string_equal(r->detail, "ent_num \"X2\" is not a number");
    r = reject_at(&ds, "sdn", 3);
    assert_string_equal(r->code, "duplicate_id");
    r = reject_at(&ds, "sdn", 4);
    assert_string_equal(r->code, "missing_value");
    assert_string_equal(r->column, "SDN_Name");
    r = reject_at(&ds, "sdn", 5);
    assert_string_equal(r->code, "ragged_row");
    counts_are(list_file(&ds, "alt"), "ofac-alt", 3, 0, 2, 0, 1);
    assert_string_equal(reject_at(&ds, "alt", 2)->code, "unknown_entry");
    assert_string_equal(reject_at(&ds, "alt", 3)->column, "alt_name");
    assert_true(has_alias(entry_named(&ds, "ALPHA TRADING LLC"), "ALPHA TRD"));
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

/* ---- the formats of before: non-parties are skipped now ---- */

static void vessels_of_the_csl_and_opensanctions_are_skipped_not_rejected(void **state)
{
    (void)state;
    char *dir = dataset_with("watchlist-opensanctions.csv", "watchlist-os.csv", "watchlist-csl.csv",
                             "watchlist-csl.csv", NULL);
    static const char csl_vessel[] = "_id,name,type,alt_names\nv1,OCEAN STAR,Vessel,\n";
    dvt_write(dir, "watchlist-csl2.csv", csl_vessel, sizeof csl_vessel - 1);
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);
    counts_are(list_file(&ds, "watchlist-os"), "opensanctions", 18, 14, 0, 4, 0);
    counts_are(list_file(&ds, "watchlist-csl2"), "csl", 1, 0, 0, 1, 0);
    assert_string_equal(list_file(&ds, "watchlist-csl2")->skipped_why,
                        "vessels and aircraft are not parties (type)");
    assert_int_equal(ds.n_rejects, 0);
    const dv_table_info *info = &ds.tables[DV_T_WATCHLIST];
    assert_int_equal(info->rows_read,
                     info->rows_loaded + info->rows_rejected + info->rows_skipped + info->rows_joined);
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

/* ---- the review band ---- */

/* One list entry; E1 is it (1.0: a match), E2 the same name in another
 * country (0.8: in the band from 0.75), E3 a name that scores below the
 * band and above 0.5 (0.67). */
static char *band_dataset(void)
{
    return dvt_dataset("entities.csv",
                       "id,name,role,country\n"
                       "E1,Korvanta Machine Tools,intermediary,RU\n"
                       "E2,Korvanta Machine Tools,intermediary,DE\n"
                       "E3,Korvanta Tools Trading,intermediary,RU\n",
                       "shipments.csv", shipments_csv, "watchlist.csv",
                       "name,id,country\nKorvanta Machine Tools LLC,L1,RU\n", NULL);
}

static const dv_match *match_of(const dv_screening *s, const dv_dataset *ds, const char *entity)
{
    uint32_t e = dv_entity_find(ds, entity);
    for (size_t i = 0; i < s->all.n; i++)
        if (s->all.m[i].entity == e) return &s->all.m[i];
    return NULL;
}

static void review_band_keeps_pairs_below_the_threshold_apart(void **state)
{
    (void)state;
    char *dir = band_dataset();
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);
    dv_error err = {0, ""};
    dv_screening sc;
    assert_int_equal(dv_screen_dataset_band(&ds, 0.85, 0.75, 1, &sc, &err), 0);
    const dv_match *m1 = match_of(&sc, &ds, "E1"), *m2 = match_of(&sc, &ds, "E2");
    assert_non_null(m1);
    assert_non_null(m2);
    assert_false(dv_match_in_review(&sc, m1));
    assert_true(dv_match_in_review(&sc, m2));
    assert_float_equal(m2->score, 0.8, 0.001);
    assert_null(match_of(&sc, &ds, "E3")); /* below the band */
    /* a review pair raises no concern: it is no entity's best match */
    assert_non_null(dv_screening_best(&sc, dv_entity_find(&ds, "E1")));
    assert_null(dv_screening_best(&sc, dv_entity_find(&ds, "E2")));
    assert_int_equal(dv_screening_matched(&sc, ds.n_entities), 1);
    assert_int_equal(sc.all.n, 2);
    /* match first, then review: sorted by score */
    assert_ptr_equal(&sc.all.m[0], m1);
    dv_screening_free(&sc);

    /* a lower band finds E3 too; no band finds E1 alone */
    assert_int_equal(dv_screen_dataset_band(&ds, 0.85, 0.5, 1, &sc, &err), 0);
    const dv_match *m3 = match_of(&sc, &ds, "E3");
    assert_non_null(m3);
    assert_true(m3->score < 0.75);
    assert_true(dv_match_in_review(&sc, m3));
    dv_screening_free(&sc);
    assert_int_equal(dv_screen_dataset_band(&ds, 0.85, 0.9, 1, &sc, &err), 0);
    assert_int_equal(sc.all.n, 1);
    dv_screening_free(&sc);
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

/* The scan's alerts do not depend on the band: the demo scanned through
 * a pipeline with the band on, and a low one, gives the same alerts. */
static void review_band_leaves_the_scan_alerts_unchanged(void **state)
{
    (void)state;
    char *demo = dvt_data("../../datasets/demo");
    dv_config cfg;
    dv_config_defaults(&cfg);
    dv_pipeline a, b;
    dvt_scan_run(&a, demo, &cfg);
    cfg.screen_review_from = 0.3;
    dv_pipeline_init(&b, &cfg, NULL);
    b.review_band = true;
    dv_error err = {0, ""};
    assert_int_equal(dv_pipeline_run(&b, demo, DV_STAGE_DETECT, &err), 0);
    assert_true(b.screening.all.n > a.screening.all.n); /* the band holds pairs */
    assert_int_equal(a.result.n_alerts, b.result.n_alerts);
    for (size_t i = 0; i < a.result.n_alerts; i++) {
        assert_string_equal(a.result.alerts[i].id, b.result.alerts[i].id);
        assert_int_equal(a.result.alerts[i].score, b.result.alerts[i].score);
    }
    dvt_scan_free(&a);
    dv_pipeline_free(&b);
    free(demo);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ofsi_conlist_sample_gives_one_entry_a_group),
        cmocka_unit_test(ofsi_title_line_windows_1252_ships_and_bad_rows),
        cmocka_unit_test(ofsi_two_title_lines_are_an_input_error),
        cmocka_unit_test(uk_sanctions_list_sample_gives_one_entry_a_unique_id),
        cmocka_unit_test(uk_sanctions_list_other_kind_column_and_bad_rows),
        cmocka_unit_test(eu_file_is_read_with_semicolons_and_joined_by_logical_id),
        cmocka_unit_test(eu_rows_without_a_name_or_an_id_are_rejected),
        cmocka_unit_test(ofac_sdn_alt_and_add_join_by_ent_num),
        cmocka_unit_test(ofac_files_missing_beside_sdn),
        cmocka_unit_test(ofac_malformed_rows_are_rejected_with_their_lines),
        cmocka_unit_test(vessels_of_the_csl_and_opensanctions_are_skipped_not_rejected),
        cmocka_unit_test(review_band_keeps_pairs_below_the_threshold_apart),
        cmocka_unit_test(review_band_leaves_the_scan_alerts_unchanged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
