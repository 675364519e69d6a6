/*
 * test_flag.c: the flag predicate (SPEC 4), through whole scans of tiny
 * datasets so that what is asserted is what a user would see.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "divert/flag.h"
#include "support.h"

static const char *entities =
    "id,name,role,country\n"
    "M,Maker GmbH,manufacturer,DE\n"
    "M2,Second Maker,manufacturer,DE\n"
    "H,Hub Trading FZE,intermediary,AE\n"
    "H2,Hub Two,intermediary,AE\n"
    "S,Swiss Dist,distributor,CH\n"
    "K,Steppe LLP,intermediary,KZ\n"
    "R,Securtech,end_user,RU\n"
    "C,Sino Vision,end_user,CN\n"
    "B,Belgrade Systems,end_user,RS\n"
    "G,German Police,end_user,DE\n"
    "W,Watch Listed Ltd,end_user,CH\n"
    "Q,Nowhere Co,intermediary,QQ\n";

/* Scan shipments (and optional licences and watchlist) and return whether
 * the path is reported. */
static bool reported(const char *shipments, const char *licences, const char *watchlist,
                     const char *path)
{
    char *dir = dvt_dataset("entities.csv", entities, "shipments.csv", shipments,
                            "countries.csv", dvt_countries_csv, "items.csv", dvt_items_csv, NULL);
    if (licences) dvt_write(dir, "licenses.csv", licences, strlen(licences));
    if (watchlist) dvt_write(dir, "watchlist.csv", watchlist, strlen(watchlist));
    dv_pipeline scan;
    dvt_scan_run(&scan, dir, NULL);
    bool found = dvt_find(&scan, path) != NULL;
    dvt_scan_free(&scan);
    dvt_remove(dir);
    return found;
}

#define SHIP_HDR "id,date,shipper_id,consignee_id,item,quantity,value,declared_end_user_id\n"
#define LIC_HDR "id,exporter_id,item,destination,end_user_id,valid_from,valid_to\n"

static void flags_weak_hub_transit_to_embargoed_destination(void **state)
{
    (void)state;
    assert_true(reported(SHIP_HDR "S1,2024-03-01,M,H,3A981,10,1000,\n"
                                  "S2,2024-03-20,H,R,3A981,10,1000,\n",
                         NULL, NULL, "M>H>R"));
}

static void strong_transit_is_not_flagged(void **state)
{
    (void)state;
    assert_false(reported(SHIP_HDR "S1,2024-03-01,M,S,3A981,10,1000,\n"
                                   "S2,2024-03-20,S,R,3A981,10,1000,\n",
                          NULL, NULL, "M>S>R"));
}

static void weak_transit_without_concern_is_not_flagged(void **state)
{
    (void)state;
    assert_false(reported(SHIP_HDR "S1,2024-03-01,M,H,3A981,10,1000,\n"
                                   "S2,2024-03-20,H,B,3A981,10,1000,\n",
                          NULL, NULL, "M>H>B"));
}

static void transit_in_origin_country_is_not_third_country(void **state)
{
    (void)state;
    /* H (AE) -> H2 (AE) -> R: the transit shares the origin's country */
    assert_false(reported(SHIP_HDR "S1,2024-03-01,H,H2,3A981,10,1000,\n"
                                   "S2,2024-03-20,H2,R,3A981,10,1000,\n",
                          NULL, NULL, "H>H2>R"));
}

static void country_absent_from_table_counts_as_weak(void **state)
{
    (void)state;
    assert_true(reported(SHIP_HDR "S1,2024-03-01,M,Q,3A981,10,1000,\n"
                                  "S2,2024-03-20,Q,R,3A981,10,1000,\n",
                         NULL, NULL, "M>Q>R"));
}

static void valid_licence_covers_elevated_destination(void **state)
{
    (void)state;
    const char *ships = SHIP_HDR "S1,2024-03-01,M,H,3A981.a,10,1000,\n"
                                 "S2,2024-03-20,H,C,3A981.a,10,1000,\n";
    assert_true(reported(ships, NULL, NULL, "M>H>C"));
    assert_false(reported(ships, LIC_HDR "L1,M,3A981,CN,,2024-01-01,2024-12-31\n", NULL, "M>H>C"));
    /* also with the end user named */
    assert_false(reported(ships, LIC_HDR "L1,M,3A981,CN,C,2024-01-01,2024-12-31\n", NULL, "M>H>C"));
}

static void licence_that_does_not_fit_leaves_the_flag(void **state)
{
    (void)state;
    const char *ships = SHIP_HDR "S1,2024-03-01,M,H,3A981.a,10,1000,\n"
                                 "S2,2024-03-20,H,C,3A981.a,10,1000,\n";
    const char *lics[] = {
        LIC_HDR "L1,M,3A981,CN,,2023-01-01,2023-12-31\n", /* expired before the first leg */
        LIC_HDR "L1,M,3A981,CN,,2024-03-02,2024-12-31\n", /* starts the day after */
        LIC_HDR "L1,M,3A981,RU,,2024-01-01,2024-12-31\n", /* other destination */
        LIC_HDR "L1,M,3D980,CN,,2024-01-01,2024-12-31\n", /* other item */
        LIC_HDR "L1,M,3A981,CN,G,2024-01-01,2024-12-31\n", /* other end user */
        LIC_HDR "L1,M2,3A981,CN,,2024-01-01,2024-12-31\n", /* held by someone else */
    };
    for (size_t i = 0; i < sizeof lics / sizeof lics[0]; i++)
        if (!reported(ships, lics[i], NULL, "M>H>C")) fail_msg("licence case %zu covered", i);
}

static void licence_validity_includes_its_last_day(void **state)
{
    (void)state;
    const char *ships = SHIP_HDR "S1,2024-03-01,M,H,3A981,10,1000,\n"
                                 "S2,2024-03-20,H,C,3A981,10,1000,\n";
    assert_false(reported(ships, LIC_HDR "L1,M,3A981,CN,,2024-03-01,2024-03-01\n", NULL, "M>H>C"));
}

static void declared_end_user_differs_is_flagged_and_never_covered(void **state)
{
    (void)state;
    const char *ships = SHIP_HDR "S1,2024-03-01,M,H,3A981,10,1000,G\n"
                                 "S2,2024-03-20,H,B,3A981,10,1000,\n";
    assert_true(reported(ships, NULL, NULL, "M>H>B"));
    assert_true(reported(ships, LIC_HDR "L1,M,3A981,RS,,2024-01-01,2024-12-31\n", NULL, "M>H>B"));
}

static void declared_end_user_equal_to_final_is_no_concern(void **state)
{
    (void)state;
    assert_false(reported(SHIP_HDR "S1,2024-03-01,M,H,3A981,10,1000,B\n"
                                   "S2,2024-03-20,H,B,3A981,10,1000,\n",
                          NULL, NULL, "M>H>B"));
}

/* Concern (c) counts only first-leg shipments that take part in the chain:
 * a declaration on a shipment with no onward leg in the window is not it. */
static void declared_end_user_counts_only_on_evidence(void **state)
{
    (void)state;
    assert_false(reported(SHIP_HDR "S0,2023-01-01,M,H,3A981,10,1000,G\n"
                                   "S1,2024-03-01,M,H,3A981,10,1000,\n"
                                   "S2,2024-03-20,H,B,3A981,10,1000,\n",
                          NULL, NULL, "M>H>B"));
}

static void watchlisted_final_consignee_is_flagged(void **state)
{
    (void)state;
    const char *ships = SHIP_HDR "S1,2024-03-01,M,H,3A981,10,1000,\n"
                                 "S2,2024-03-20,H,W,3A981,10,1000,\n";
    assert_false(reported(ships, NULL, NULL, "M>H>W"));
    assert_true(reported(ships, NULL, "name,id,source\nWATCH LISTED LIMITED,EL-1,Entity List\n",
                         "M>H>W"));
}

static void watchlisted_transit_is_flagged(void **state)
{
    (void)state;
    assert_true(reported(SHIP_HDR "S1,2024-03-01,M,H,3A981,10,1000,\n"
                                  "S2,2024-03-20,H,B,3A981,10,1000,\n",
                         NULL, "name,aliases\nSomething Else,Hub Trading LLC\n", "M>H>B"));
}

/* SPEC 2 with the default weights, over the shared countries table; a
 * named hub is weak whatever its score. */
static void safeguard_score_follows_spec_2(void **state)
{
    (void)state;
    char *dir = dvt_dataset("entities.csv", entities, "shipments.csv", SHIP_HDR, "countries.csv",
                            dvt_countries_csv, "items.csv", dvt_items_csv, NULL);
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);
    dv_config cfg;
    dv_config_defaults(&cfg);
    dv_flagger f;
    dv_flagger_init(&f, &ds, &cfg, NULL);
    static const struct {
        const char *code;
        double score;
        bool weak;
    } cases[] = {{"DE", 0.953, false}, {"AE", 0.4569, true}, {"RS", 0.449, true},
                 {"RU", 0.252, true},  {"CN", 0.418, true},  {"CH", 0.957, false},
                 {"KZ", 0.336, true}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint32_t c = dv_country_find(&ds, cases[i].code);
        if (fabs(f.safeguard[c] - cases[i].score) > 1e-9)
            fail_msg("%s scores %.6f, expected %.6f", cases[i].code, f.safeguard[c], cases[i].score);
        if (f.weak[c] != cases[i].weak) fail_msg("%s weak is %d", cases[i].code, f.weak[c]);
    }
    /* an entity in a country the table lacks (QQ) scores 0: weak */
    assert_true(dv_entity_weak(&f, dv_entity_find(&ds, "Q")));
    assert_false(dv_entity_weak(&f, dv_entity_find(&ds, "M")));
    dv_flagger_free(&f);
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(safeguard_score_follows_spec_2),
        cmocka_unit_test(flags_weak_hub_transit_to_embargoed_destination),
        cmocka_unit_test(strong_transit_is_not_flagged),
        cmocka_unit_test(weak_transit_without_concern_is_not_flagged),
        cmocka_unit_test(transit_in_origin_country_is_not_third_country),
        cmocka_unit_test(country_absent_from_table_counts_as_weak),
        cmocka_unit_test(valid_licence_covers_elevated_destination),
        cmocka_unit_test(licence_that_does_not_fit_leaves_the_flag),
        cmocka_unit_test(licence_validity_includes_its_last_day),
        cmocka_unit_test(declared_end_user_differs_is_flagged_and_never_covered),
        cmocka_unit_test(declared_end_user_equal_to_final_is_no_concern),
        cmocka_unit_test(declared_end_user_counts_only_on_evidence),
        cmocka_unit_test(watchlisted_final_consignee_is_flagged),
        cmocka_unit_test(watchlisted_transit_is_flagged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
