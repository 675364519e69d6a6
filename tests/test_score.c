/*
 * test_score.c: the rule catalogue, rule reasons, scores and severity
 * bands (SPEC 5).
 */
#include <math.h>
#include <stdio.h>
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

/* ---- human-rights risk, end use and review tracks (issue #12) ---- */

#define HR_SHIP "id,date,shipper_id,consignee_id,item,quantity,value,declared_end_user_id,license_id\n"
#define HR_LIC "id,exporter_id,item,destination,end_user_id,valid_from,valid_to,end_use,sectors\n"
#define WATCH "name,id,aliases,country,source\n"

/* M -> H (AE) -> final, 3A981, scanned with the human-rights fixture. */
static void hr_route(dv_pipeline *scan, const char *final, const char *declared,
                     const char *licences, const char *watchlist, const dv_config *cfg)
{
    char ship[512];
    snprintf(ship, sizeof ship,
             HR_SHIP "S1,2024-03-01,M,H,3A981,10,1000,%s,\nS2,2024-03-20,H,%s,3A981,10,1000,,\n",
             declared ? declared : "", final);
    dvt_hr_scan(scan, ship, licences, watchlist, cfg);
}

static const dv_alert *only_alert(const dv_pipeline *scan, const char *path)
{
    const dv_alert *a = dvt_find(scan, path);
    if (!a) fail_msg("%s is not reported", path);
    return a;
}

static void human_rights_rule_gives_the_figures(void **state)
{
    (void)state;
    dv_pipeline scan;
    hr_route(&scan, "PK", NULL, NULL, NULL, NULL);
    const dv_alert *a = only_alert(&scan, "M>H>PK");
    const dv_rule_hit *h = find_hit(a, DV_RULE_HUMAN_RIGHTS);
    assert_non_null(h);
    assert_string_equal(h->reason, "final consignee PK (police sector) in KZ, civil liberties 0.23 "
                                   "below hr_threshold 0.40, receives item 3A981 (3A981), "
                                   "controlled for human rights; no licence covers this end user "
                                   "(one for this item, destination and dates that names it or "
                                   "its sector)");
    /* strength 1 - 0.23 / 0.8 */
    assert_true(fabs(h->points - 30 * (1 - 0.23 / 0.8)) < 1e-9);
    assert_null(find_hit(a, DV_RULE_END_USE_MISMATCH));
    assert_int_equal(a->track, DV_TRACK_PRIORITY);
    assert_non_null(strstr(a->explanation, "or a licence covering the final destination that names "
                                           "PK or its sector (police). Review track priority: a "
                                           "human-rights risk"));
    dvt_scan_free(&scan);
    /* a generic licence covers the destination, not the end use */
    hr_route(&scan, "PK", NULL, HR_LIC "L1,M,3A981,KZ,,,,,\n", NULL, NULL);
    h = find_hit(only_alert(&scan, "M>H>PK"), DV_RULE_HUMAN_RIGHTS);
    assert_non_null(h);
    assert_non_null(strstr(h->reason, "; licence L1 covers the destination but names neither PK nor "
                                      "its sector"));
    dvt_scan_free(&scan);
    /* where it is covered, (a) carries the alert and the rule is silent,
     * but the track stays priority: (d) holds, covered or not */
    hr_route(&scan, "RP", NULL, HR_LIC "L1,M,3A981,RU,,,,,\nL2,M,3A981,RU,,,,Booking,police\n",
             NULL, NULL);
    assert_null(dvt_find(&scan, "M>H>RP"));
    dvt_scan_free(&scan);
}

static void end_use_mismatch_names_the_licence_its_end_use_and_the_sector(void **state)
{
    (void)state;
    dv_pipeline scan;
    hr_route(&scan, "PK", NULL,
             HR_LIC "L1,M,3A981,KZ,,2024-01-01,2025-12-31,Patient identification,health;research\n",
             NULL, NULL);
    const dv_alert *a = only_alert(&scan, "M>H>PK");
    const dv_rule_hit *h = find_hit(a, DV_RULE_END_USE_MISMATCH);
    assert_non_null(h);
    assert_string_equal(h->reason, "licence L1 (end use \"Patient identification\") allows the "
                                   "sectors health;research, but the final consignee PK is police");
    assert_true(fabs(h->points - 20) < 1e-9);
    assert_int_equal(a->track, DV_TRACK_PRIORITY);
    assert_non_null(strstr(a->explanation, "Review track priority: a human-rights risk and an end "
                                           "use the licence does not allow"));
    dvt_scan_free(&scan);
    /* its other conditions: a licence out of date, or for another
     * destination, is no mismatch */
    hr_route(&scan, "PK", NULL, HR_LIC "L1,M,3A981,KZ,,2023-01-01,2023-12-31,Patients,health\n",
             NULL, NULL);
    assert_null(find_hit(only_alert(&scan, "M>H>PK"), DV_RULE_END_USE_MISMATCH));
    dvt_scan_free(&scan);
    hr_route(&scan, "PK", NULL, HR_LIC "L1,M,3A981,RS,,,,Patients,health\n", NULL, NULL);
    assert_null(find_hit(only_alert(&scan, "M>H>PK"), DV_RULE_END_USE_MISMATCH));
    dvt_scan_free(&scan);
    /* with (a) uncovered and no (d): a clinic licence, a police end user
     * in an embargoed country; PS in RS has no (d), so use RP minus (d) */
    dv_config cfg;
    dv_config_defaults(&cfg);
    cfg.hr_threshold = 0; /* no (d) anywhere */
    hr_route(&scan, "RP", NULL, HR_LIC "L1,M,3A981,RU,,,,Clinic enrolment,health\n", NULL, &cfg);
    a = only_alert(&scan, "M>H>RP");
    assert_null(find_hit(a, DV_RULE_HUMAN_RIGHTS));
    assert_non_null(find_hit(a, DV_RULE_END_USE_MISMATCH));
    assert_int_equal(a->track, DV_TRACK_PRIORITY);
    dvt_scan_free(&scan);
}

static void a_humanitarian_end_user_with_the_destination_alone_is_expedited(void **state)
{
    (void)state;
    dv_pipeline scan;
    hr_route(&scan, "RH", NULL, NULL, NULL, NULL);
    const dv_alert *a = only_alert(&scan, "M>H>RH");
    int score = a->score;
    assert_int_equal(a->track, DV_TRACK_EXPEDITED);
    assert_non_null(strstr(a->explanation, ". Review track expedited: RH is in the health sector "
                                           "and its country's embargoed status is the only "
                                           "concern; review it quickly and document the "
                                           "decision"));
    assert_non_null(find_hit(a, DV_RULE_EMBARGOED_DEST)); /* flagged all the same */
    dvt_scan_free(&scan);
    /* the track never changes the score */
    dv_config cfg;
    dv_config_defaults(&cfg);
    cfg.humanitarian_sectors = 0;
    hr_route(&scan, "RH", NULL, NULL, NULL, &cfg);
    a = only_alert(&scan, "M>H>RH");
    assert_int_equal(a->track, DV_TRACK_STANDARD);
    assert_int_equal(a->score, score);
    dvt_scan_free(&scan);
}

static void the_fast_track_needs_the_destination_alone_and_nobody_listed(void **state)
{
    (void)state;
    dv_pipeline scan;
    /* (c) as well: standard */
    hr_route(&scan, "RH", "HK", NULL, NULL, NULL);
    const dv_alert *a = only_alert(&scan, "M>H>RH");
    assert_int_equal(a->track, DV_TRACK_STANDARD);
    assert_non_null(strstr(a->explanation, ". Review track standard: RH is in the health sector, "
                                           "but the declared end user differs"));
    dvt_scan_free(&scan);
    /* the origin on the watchlist (not concern (b), which is about the
     * transits and the final consignee): standard */
    hr_route(&scan, "RH", NULL, NULL, WATCH "Maker GmbH,X1,,DE,test\n", NULL);
    a = only_alert(&scan, "M>H>RH");
    assert_int_equal(a->track, DV_TRACK_STANDARD);
    /* the match is the evidence, as no rule names it (reviewer, issue #12) */
    assert_non_null(strstr(a->explanation, "but the origin M \"Maker GmbH\" matches watchlist "
                                           "entry \"Maker GmbH\" (test X1), score 1.00"));
    dvt_scan_free(&scan);
    /* a transit on the watchlist is (b): priority */
    hr_route(&scan, "RH", NULL, NULL, WATCH "Hub Trading FZE,X2,,AE,test\n", NULL);
    a = only_alert(&scan, "M>H>RH");
    assert_int_equal(a->track, DV_TRACK_PRIORITY);
    assert_non_null(strstr(a->explanation, "Review track priority: a watchlist match"));
    dvt_scan_free(&scan);
    /* a commercial end user in the same place: standard */
    hr_route(&scan, "B", "HK", NULL, NULL, NULL);
    a = only_alert(&scan, "M>H>B");
    assert_int_equal(a->track, DV_TRACK_STANDARD);
    assert_non_null(strstr(a->explanation, ". Review track standard: no watchlist match, "
                                           "human-rights risk or end use mismatch"));
    dvt_scan_free(&scan);
}

/* A reviewer could state the wrong legal basis (reviewer, issue #12): an
 * item without a control code is not "controlled". */
static void an_unlisted_item_is_not_called_controlled(void **state)
{
    (void)state;
    dv_pipeline scan;
    dvt_hr_scan(&scan,
                HR_SHIP "S1,2024-03-01,M,H,852589,10,1000,,\nS2,2024-03-20,H,PK,852589,10,1000,,\n",
                NULL, NULL, NULL);
    const dv_rule_hit *h = find_hit(only_alert(&scan, "M>H>PK"), DV_RULE_HUMAN_RIGHTS);
    assert_non_null(h);
    assert_non_null(strstr(h->reason, "receives item 852589, not listed but marked human_rights; "));
    assert_null(strstr(h->reason, "controlled"));
    dvt_scan_free(&scan);
}

static void a_licence_supplied_end_user_is_named_with_its_licence(void **state)
{
    (void)state;
    dv_pipeline scan;
    dvt_hr_scan(&scan,
                HR_SHIP "S1,2024-03-01,M,H,3A981,10,1000,,L1\nS2,2024-03-20,H,B,3A981,10,1000,,\n",
                HR_LIC "L1,M,3A981,AE,H,,,Airport enrolment,\n", NULL, NULL);
    const dv_alert *a = only_alert(&scan, "M>H>B");
    const dv_rule_hit *h = find_hit(a, DV_RULE_END_USER_DIFFERS);
    assert_non_null(h);
    assert_string_equal(h->reason, "shipment S1 cites licence L1 for end user H (AE) but the goods "
                                   "reached B (RS)");
    dvt_scan_free(&scan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(human_rights_rule_gives_the_figures),
        cmocka_unit_test(end_use_mismatch_names_the_licence_its_end_use_and_the_sector),
        cmocka_unit_test(a_humanitarian_end_user_with_the_destination_alone_is_expedited),
        cmocka_unit_test(the_fast_track_needs_the_destination_alone_and_nobody_listed),
        cmocka_unit_test(a_licence_supplied_end_user_is_named_with_its_licence),
        cmocka_unit_test(an_unlisted_item_is_not_called_controlled),
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
