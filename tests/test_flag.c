/*
 * test_flag.c: the flag predicate (SPEC 4), through whole scans of tiny
 * datasets so that what is asserted is what a user would see.
 */
#include <math.h>
#include <stdio.h>
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

/* ---- human-rights risk and end use (concern (d), issue #12) ---- */

#define HR_SHIP "id,date,shipper_id,consignee_id,item,quantity,value,declared_end_user_id,license_id\n"
#define HR_LIC "id,exporter_id,item,destination,end_user_id,valid_from,valid_to,end_use,sectors\n"

/* What explain shows of the flag: the safeguard score's four terms add up
 * to it, and a licence's failing terms are named one by one, the same
 * terms dv_licence_terms_match decides by. */
static void safeguard_parts_add_up_and_licence_misfits_name_each_term(void **state)
{
    (void)state;
    char *dir = dvt_dataset("entities.csv", "id,name,role,country,sector\n"
                                            "M,Maker,manufacturer,DE,\n"
                                            "R,Securtech,end_user,RU,police\n"
                                            "C,Sino,end_user,CN,\n",
                            "shipments.csv", SHIP_HDR "S1,2024-03-01,M,R,3A981,10,1000,\n",
                            "licenses.csv",
                            HR_LIC "L1,M,3A981,RU,,2024-01-01,2024-12-31,,\n"
                                   "L2,M,3A,CN,C,,,,health\n"
                                   "L3,M,5A002,RU,R,,,,police\n",
                            "countries.csv", dvt_countries_csv, "items.csv", dvt_items_csv, NULL);
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);
    dv_config cfg;
    dv_config_defaults(&cfg);
    for (size_t c = 0; c < ds.n_countries; c++) {
        double value[DV_SG_COUNT], points[DV_SG_COUNT];
        dv_safeguard_parts(&ds.countries[c], &cfg, value, points);
        double sum = points[0] + points[1] + points[2] + points[3];
        assert_true(fabs(sum - dv_safeguard_score(&ds.countries[c], &cfg)) < 1e-12);
        assert_true(fabs(value[DV_SG_REGIMES] - ds.countries[c].nregimes / 4.0) < 1e-12);
    }
    const dv_shipment *s = &ds.shipments[0];
    uint32_t r = dv_entity_find(&ds, "R");
    const dv_licence *l1 = &ds.licences[0], *l2 = &ds.licences[1], *l3 = &ds.licences[2];
    assert_string_equal(l2->id, "L2");
    assert_int_equal(dv_licence_misfit(&ds, l1, s, r), 0);
    assert_int_equal(dv_licence_misfit(&ds, l2, s, r),
                     DV_LICENCE_DESTINATION | DV_LICENCE_END_USER | DV_LICENCE_SECTORS);
    assert_int_equal(dv_licence_misfit(&ds, l3, s, r), DV_LICENCE_ITEM);
    assert_true(dv_licence_terms_match(&ds, l1, s, r, true));
    assert_false(dv_licence_terms_match(&ds, l2, s, r, false));
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

/* M (DE) -> H (AE, weak hub) -> final, item `item`: is the chain reported? */
static bool hr_reported(const char *item, const char *final, const char *licences,
                        const dv_config *cfg)
{
    char ship[512], path[64];
    snprintf(ship, sizeof ship, HR_SHIP "S1,2024-03-01,M,H,%s,10,1000,,\nS2,2024-03-20,H,%s,%s,10,1000,,\n",
             item, final, item);
    snprintf(path, sizeof path, "M>H>%s", final);
    dv_pipeline scan;
    dvt_hr_scan(&scan, ship, licences, NULL, cfg);
    bool found = dvt_find(&scan, path) != NULL;
    dvt_scan_free(&scan);
    return found;
}

static void hr_item_to_security_end_user_where_liberties_are_poor_is_flagged(void **state)
{
    (void)state;
    /* KZ: civil liberties 0.23, no embargo, nobody listed: (d) alone */
    assert_true(hr_reported("3A981", "PK", NULL, NULL));
    /* each condition of (d) on its other side */
    assert_false(hr_reported("3A981", "HK", NULL, NULL)); /* a hospital */
    assert_false(hr_reported("5A002", "PK", NULL, NULL)); /* control not for human rights */
    assert_false(hr_reported("3A981", "PS", NULL, NULL)); /* RS: civil liberties 0.62 */
    /* a country the table lacks counts as 0, as in SPEC 2 */
    assert_true(hr_reported("3A981", "QP", NULL, NULL));
}

static void an_unlisted_item_marked_human_rights_is_analysed(void **state)
{
    (void)state;
    assert_true(hr_reported("852589", "PK", NULL, NULL));  /* EAR99, human_rights 1 */
    assert_false(hr_reported("847190", "PK", NULL, NULL)); /* EAR99, human_rights 0 */
}

static void hr_threshold_and_security_sectors_are_settings(void **state)
{
    (void)state;
    dv_config cfg;
    dv_config_defaults(&cfg);
    cfg.hr_threshold = 0.23; /* below, strictly: KZ's 0.23 is not */
    assert_false(hr_reported("3A981", "PK", NULL, &cfg));
    cfg.hr_threshold = 0.24;
    assert_true(hr_reported("3A981", "PK", NULL, &cfg));
    dv_config_defaults(&cfg);
    cfg.security_sectors = DV_SECTOR_BIT(DV_SECTOR_MILITARY);
    assert_false(hr_reported("3A981", "PK", NULL, &cfg));
    cfg.humanitarian_sectors = 0;
    cfg.security_sectors = DV_SECTOR_BIT(DV_SECTOR_HEALTH); /* whatever a team decides */
    assert_true(hr_reported("3A981", "HK", NULL, &cfg));
}

static void only_a_licence_naming_the_end_user_or_its_sector_covers_d(void **state)
{
    (void)state;
    /* generic: no end user, no sectors; it would cover (a) or (b) */
    assert_true(hr_reported("3A981", "PK", HR_LIC "L1,M,3A981,KZ,,,,,\n", NULL));
    /* names the end user; lists its sector */
    assert_false(hr_reported("3A981", "PK", HR_LIC "L1,M,3A981,KZ,PK,,,,\n", NULL));
    assert_false(hr_reported("3A981", "PK", HR_LIC "L1,M,3A981,KZ,,,,Booking stations,police\n",
                             NULL));
    /* a benign end use is no proxy: its sectors lack the end user's */
    assert_true(hr_reported("3A981", "PK",
                            HR_LIC "L1,M,3A981,KZ,,,,Patient identification,health\n", NULL));
    assert_true(hr_reported("3A981", "PK",
                            HR_LIC "L1,M,3A981,KZ,PK,,,Patient identification,health\n", NULL));
    /* the other terms still hold: dates, destination, item */
    assert_true(hr_reported("3A981", "PK", HR_LIC "L1,M,3A981,KZ,PK,2023-01-01,2023-12-31,,\n",
                            NULL));
    assert_true(hr_reported("3A981", "PK", HR_LIC "L1,M,3A981,RS,PK,,,,\n", NULL));
    assert_true(hr_reported("3A981", "PK", HR_LIC "L1,M,3D980,KZ,PK,,,,\n", NULL));
}

static void licence_sectors_decide_the_coverage_of_a_and_b_too(void **state)
{
    (void)state;
    /* RU is embargoed: (a); a clinic is no security sector: no (d) */
    assert_true(hr_reported("3A981", "RH", NULL, NULL));
    assert_false(hr_reported("3A981", "RH", HR_LIC "L1,M,3A981,RU,,,,,\n", NULL));
    assert_false(hr_reported("3A981", "RH", HR_LIC "L1,M,3A981,RU,,,,,health;research\n", NULL));
    assert_true(hr_reported("3A981", "RH", HR_LIC "L1,M,3A981,RU,,,,,police\n", NULL));
    /* police in RU: (a) and (d); a generic licence covers (a) only */
    assert_true(hr_reported("3A981", "RP", HR_LIC "L1,M,3A981,RU,,,,,\n", NULL));
    assert_false(hr_reported("3A981", "RP", HR_LIC "L1,M,3A981,RU,RP,,,,\n", NULL));
    /* one licence for (a), another naming the sector for (d) */
    assert_false(hr_reported("3A981", "RP",
                             HR_LIC "L1,M,3A981,RU,,,,,\nL2,M,3A981,RU,,,,Forensics,police\n",
                             NULL));
}

/* SPEC 1: the licensed end user of a shipment that names none must not
 * pass the goods on. */
static void the_licensed_end_user_passing_the_goods_on_is_concern_c(void **state)
{
    (void)state;
    static const char *lic = HR_LIC "L1,M,3A981,AE,H,,,Airport enrolment,\n";
    dv_pipeline scan;
    dvt_hr_scan(&scan,
                HR_SHIP "S1,2024-03-01,M,H,3A981,10,1000,,L1\nS2,2024-03-20,H,B,3A981,10,1000,,\n",
                lic, NULL, NULL);
    const dv_alert *a = dvt_find(&scan, "M>H>B");
    assert_non_null(a);
    assert_int_equal(a->concerns, DV_CONCERN_END_USER);
    dvt_scan_free(&scan);
    /* without the licence cited, B (RS, no concern) is not flagged */
    dvt_hr_scan(&scan,
                HR_SHIP "S1,2024-03-01,M,H,3A981,10,1000,,\nS2,2024-03-20,H,B,3A981,10,1000,,\n",
                lic, NULL, NULL);
    assert_null(dvt_find(&scan, "M>H>B"));
    dvt_scan_free(&scan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(safeguard_score_follows_spec_2),
        cmocka_unit_test(safeguard_parts_add_up_and_licence_misfits_name_each_term),
        cmocka_unit_test(hr_item_to_security_end_user_where_liberties_are_poor_is_flagged),
        cmocka_unit_test(an_unlisted_item_marked_human_rights_is_analysed),
        cmocka_unit_test(hr_threshold_and_security_sectors_are_settings),
        cmocka_unit_test(only_a_licence_naming_the_end_user_or_its_sector_covers_d),
        cmocka_unit_test(licence_sectors_decide_the_coverage_of_a_and_b_too),
        cmocka_unit_test(the_licensed_end_user_passing_the_goods_on_is_concern_c),
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
