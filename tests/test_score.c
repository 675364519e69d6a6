/*
 * test_score.c: the rule catalogue, rule reasons, scores and severity
 * bands (SPEC 5).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "divert/score.h"
#include "support.h"

static const char *entities =
    "id,name,role,country,registered,address\n"
    "M,Maker GmbH,manufacturer,DE,1990-01-01,\"Hauptstr. 1, Berlin\"\n"
    "H,Hub Trading FZE,intermediary,AE,2024-01-01,\"Office 5, JAFZA, Dubai\"\n"
    "F,Fast Forwarding,freight_forwarder,AE,2010-01-01,\"office 5 jafza dubai\"\n"
    "R,Securtech,end_user,RU,2000-01-01,\n"
    "B,Belgrade Systems,end_user,RS,2000-01-01,\n"
    "G,German Police,end_user,DE,1950-01-01,\n"
    "N,Neutral End,end_user,CH,2000-01-01,\n";

static void scan_of(dv_pipeline *scan, const char *shipments, const char *licences,
                    const dv_config *cfg)
{
    char *dir = dvt_dataset("entities.csv", entities, "shipments.csv", shipments,
                            "countries.csv", dvt_countries_csv, "items.csv", dvt_items_csv, NULL);
    if (licences) dvt_write(dir, "licenses.csv", licences, strlen(licences));
    dvt_scan_run(scan, dir, cfg);
    dvt_remove(dir);
}

static const dv_rule_hit *find_hit(const dv_alert *a, dv_rule_id rule)
{
    for (size_t i = 0; i < a->n_hits; i++)
        if (a->hits[i].rule == rule) return &a->hits[i];
    return NULL;
}

#define HDR "id,date,shipper_id,consignee_id,item,quantity,value,declared_end_user_id\n"

/* A classic route: young intermediary in a weak hub re-ships 98% after
 * 18 days to an embargoed end user. */
static const char *classic = HDR "S1,2024-03-03,M,H,3A981,480,144000,\n"
                                 "S2,2024-03-21,H,R,3A981,470,150000,\n";

static void classic_route_fires_its_rules_with_figures(void **state)
{
    (void)state;
    dv_pipeline scan;
    scan_of(&scan, classic, NULL, NULL);
    const dv_alert *a = dvt_find(&scan, "M>H>R");
    assert_non_null(a);
    const dv_rule_hit *h = find_hit(a, DV_RULE_WEAK_TRANSIT);
    assert_non_null(h);
    assert_string_equal(h->reason, "transit AE (H): safeguard 0.46");
    assert_true(fabs(h->points - 25 * (1 - 0.4569)) < 0.01);
    assert_non_null(find_hit(a, DV_RULE_NAMED_HUB));
    h = find_hit(a, DV_RULE_EMBARGOED_DEST);
    assert_non_null(h);
    assert_string_equal(h->reason, "final consignee R in RU (embargoed destination), no licence covers it");
    h = find_hit(a, DV_RULE_PASS_THROUGH);
    assert_non_null(h);
    assert_string_equal(h->reason, "H re-shipped 470 of the 480 units it received (98%)");
    h = find_hit(a, DV_RULE_NEW_ENTITY);
    assert_non_null(h);
    assert_string_equal(h->reason, "H registered 2024-01-01, 62 days before its first shipment");
    h = find_hit(a, DV_RULE_BROKER_ROLE);
    assert_non_null(h);
    assert_true(h->points == 5); /* transit only: half weight */
    assert_null(find_hit(a, DV_RULE_RAPID_REEXPORT)); /* 18 days */
    assert_null(find_hit(a, DV_RULE_END_USER_DIFFERS));
    assert_null(find_hit(a, DV_RULE_SHARED_ADDRESS));
    h = find_hit(a, DV_RULE_ITEM_SENSITIVITY);
    assert_non_null(h);
    assert_true(fabs(h->points - 9) < 1e-9);
    double sum = 0;
    for (size_t i = 0; i < a->n_hits; i++) sum += a->hits[i].points;
    assert_int_equal(a->score, sum >= 100 ? 100 : (int)floor(sum + 0.5));
    assert_int_equal(a->severity, dv_severity_of(a->score));
    assert_non_null(strstr(a->explanation, "To clear:"));
    dvt_scan_free(&scan);
}

static void rapid_reexport_scales_with_dwell(void **state)
{
    (void)state;
    dv_pipeline scan;
    scan_of(&scan, HDR "S1,2024-03-03,M,H,3A981,10,1000,\n"
                       "S2,2024-03-10,H,R,3A981,10,1000,\n",
            NULL, NULL);
    const dv_alert *a = dvt_find(&scan, "M>H>R");
    const dv_rule_hit *h = find_hit(a, DV_RULE_RAPID_REEXPORT);
    assert_non_null(h);
    assert_string_equal(h->reason, "H (AE) re-shipped 7 days after receiving");
    assert_true(fabs(h->points - 10 * (1 - 7.0 / 14)) < 1e-9);
    dvt_scan_free(&scan);
}

static void declared_end_user_reason_names_both_parties(void **state)
{
    (void)state;
    dv_pipeline scan;
    /* M -> H (AE) -> ... no: final must have a concern; use declared end user */
    scan_of(&scan, HDR "S1,2024-03-03,M,H,3A981,10,1000,G\n"
                       "S2,2024-04-01,H,B,3A981,10,1000,\n"
                       "S3,2024-03-03,M,F,3D980,10,1000,\n"
                       "S4,2024-04-01,F,R,3D980,10,1000,\n",
            NULL, NULL);
    const dv_alert *a = dvt_find(&scan, "M>H>B");
    assert_non_null(a);
    const dv_rule_hit *h = find_hit(a, DV_RULE_END_USER_DIFFERS);
    assert_non_null(h);
    assert_string_equal(h->reason, "shipment S1 declares end user G (DE) but the goods reached B (RS)");
    assert_null(find_hit(a, DV_RULE_EMBARGOED_DEST));
    /* what would clear it asks the declared end user, and the party that
     * shipped on, not the first transit's end-use statement */
    const char *clear = strstr(a->explanation, ". To clear: ");
    assert_non_null(clear);
    assert_string_equal(clear, ". To clear: G's confirmation that it received the goods as the "
                               "declared end user, and why H shipped them on to B. Review track "
                               "standard: no watchlist match, human-rights risk or end use "
                               "mismatch");
    dvt_scan_free(&scan);
}

static void same_day_reexport_by_the_declared_end_user(void **state)
{
    (void)state;
    dv_pipeline scan;
    scan_of(&scan, HDR "S1,2024-03-03,M,H,3A981,10,1000,H\n"
                       "S2,2024-03-03,H,B,3A981,10,1000,\n",
            NULL, NULL);
    const dv_alert *a = dvt_find(&scan, "M>H>B");
    assert_non_null(a);
    const dv_rule_hit *h = find_hit(a, DV_RULE_RAPID_REEXPORT);
    assert_non_null(h);
    assert_string_equal(h->reason, "H (AE) re-shipped the same day it received");
    assert_true(fabs(h->points - 10) < 1e-9);
    const char *clear = strstr(a->explanation, ". To clear: ");
    assert_non_null(clear);
    assert_string_equal(clear, ". To clear: why H, the declared end user, shipped the goods on to B. "
                               "Review track standard: no watchlist match, human-rights risk or "
                               "end use mismatch");
    dvt_scan_free(&scan);
}

static void shared_address_is_found_after_normalising(void **state)
{
    (void)state;
    dv_pipeline scan;
    scan_of(&scan, HDR "S1,2024-03-03,M,H,3A981,10,1000,\n"
                       "S2,2024-03-20,H,F,3A981,10,1000,\n"
                       "S3,2024-04-10,F,R,3A981,10,1000,\n",
            NULL, NULL);
    /* H and F are both in AE: not third countries to each other, but H>F>R
     * has F as transit in origin's country; M>H>F>R has both as transits */
    const dv_alert *a = dvt_find(&scan, "M>H>F>R");
    assert_non_null(a);
    const dv_rule_hit *h = find_hit(a, DV_RULE_SHARED_ADDRESS);
    assert_non_null(h);
    assert_string_equal(h->reason, "H and F share the address \"Office 5, JAFZA, Dubai\"");
    dvt_scan_free(&scan);
}

static void split_first_leg_and_unit_value(void **state)
{
    (void)state;
    dv_pipeline scan;
    scan_of(&scan, HDR "S1,2024-03-01,M,H,3A981,2,2400,\n"
                       "S2,2024-03-04,M,H,3A981,2,2400,\n"
                       "S3,2024-03-09,M,H,3A981,2,2400,\n"
                       "S4,2024-03-20,H,R,3A981,6,60000,\n"
                       "P1,2024-01-01,M,G,3A981,1,1200,\n"
                       "P2,2024-01-02,M,G,3A981,1,1200,\n"
                       "P3,2024-01-03,M,G,3A981,1,1200,\n"
                       "P4,2024-01-04,M,G,3A981,1,1200,\n",
            NULL, NULL);
    const dv_alert *a = dvt_find(&scan, "M>H>R");
    assert_non_null(a);
    const dv_rule_hit *h = find_hit(a, DV_RULE_SPLIT_SHIPMENTS);
    assert_non_null(h);
    assert_string_equal(h->reason, "first leg split into 3 shipments over 8 days");
    /* median unit value over all 3A981 shipments: 1200 (P1-P4 and S1-S3),
     * 10000 for S4; the first leg is at 1200: not far off */
    assert_null(find_hit(a, DV_RULE_UNIT_VALUE));
    dvt_scan_free(&scan);

    scan_of(&scan, HDR "S1,2024-03-01,M,H,3A981,2,24000,\n"
                       "S4,2024-03-20,H,R,3A981,2,24000,\n"
                       "P1,2024-01-01,M,G,3A981,1,1200,\n"
                       "P2,2024-01-02,M,G,3A981,1,1200,\n"
                       "P3,2024-01-03,M,G,3A981,1,1200,\n",
            NULL, NULL);
    a = dvt_find(&scan, "M>H>R");
    h = find_hit(a, DV_RULE_UNIT_VALUE);
    assert_non_null(h);
    assert_string_equal(h->reason, "first-leg unit value 12000 against the item's median 1200 (10.0x)");
    dvt_scan_free(&scan);
}

static void expired_licence_is_named(void **state)
{
    (void)state;
    dv_pipeline scan;
    scan_of(&scan, classic,
            "id,exporter_id,item,destination,end_user_id,valid_from,valid_to\n"
            "L-7,M,3A981,RU,,2022-01-01,2023-12-31\n",
            NULL);
    const dv_alert *a = dvt_find(&scan, "M>H>R");
    assert_non_null(a);
    const dv_rule_hit *h = find_hit(a, DV_RULE_LICENCE_EXPIRED);
    assert_non_null(h);
    assert_string_equal(h->reason,
                        "licence L-7 (valid 2022-01-01 to 2023-12-31) does not cover the first-leg shipment of 2024-03-03");
    dvt_scan_free(&scan);
}

static void zero_weight_removes_a_rule(void **state)
{
    (void)state;
    dv_config cfg;
    dv_config_defaults(&cfg);
    cfg.rule_weight[DV_RULE_NAMED_HUB] = 0;
    dv_pipeline scan;
    scan_of(&scan, classic, NULL, &cfg);
    const dv_alert *a = dvt_find(&scan, "M>H>R");
    assert_non_null(a);
    assert_null(find_hit(a, DV_RULE_NAMED_HUB));
    dvt_scan_free(&scan);
}

static void severity_bands(void **state)
{
    (void)state;
    const struct {
        int score;
        dv_severity sev;
    } cases[] = {{0, DV_SEV_LOW},      {39, DV_SEV_LOW},  {40, DV_SEV_MEDIUM},  {59, DV_SEV_MEDIUM},
                 {60, DV_SEV_HIGH},    {79, DV_SEV_HIGH}, {80, DV_SEV_CRITICAL}, {100, DV_SEV_CRITICAL}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(dv_severity_of(cases[i].score), cases[i].sev);
}

static void rule_ids_are_unique_and_findable(void **state)
{
    (void)state;
    for (int i = 0; i < DV_RULE_COUNT; i++) {
        assert_non_null(dv_rules[i].id);
        assert_true(dv_rules[i].weight > 0);
        assert_int_equal(dv_rule_find(dv_rules[i].id), i);
        for (int j = 0; j < i; j++) assert_string_not_equal(dv_rules[i].id, dv_rules[j].id);
    }
    assert_int_equal(dv_rule_find("weak_transit"), DV_RULE_WEAK_TRANSIT);
    assert_int_equal(dv_rule_find("NO_SUCH_RULE"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(classic_route_fires_its_rules_with_figures),
        cmocka_unit_test(rapid_reexport_scales_with_dwell),
        cmocka_unit_test(declared_end_user_reason_names_both_parties),
        cmocka_unit_test(same_day_reexport_by_the_declared_end_user),
        cmocka_unit_test(shared_address_is_found_after_normalising),
        cmocka_unit_test(split_first_leg_and_unit_value),
        cmocka_unit_test(expired_licence_is_named),
        cmocka_unit_test(zero_weight_removes_a_rule),
        cmocka_unit_test(severity_bands),
        cmocka_unit_test(rule_ids_are_unique_and_findable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
