/*
 * test_detect.c: which flagged chains are reported (SPEC 4, last rule),
 * their evidence and totals (SPEC 5), ids and order.
 */
#include <stdlib.h>
#include <string.h>

#include "divert/detect.h"
#include "support.h"

static const char *entities =
    "id,name,role,country\n"
    "M,Maker GmbH,manufacturer,DE\n"
    "S,Swiss Dist,distributor,CH\n"
    "H,Hub Trading FZE,intermediary,AE\n"
    "K,Steppe LLP,intermediary,KZ\n"
    "R,Securtech,end_user,RU\n"
    "C,Sino Vision,end_user,CN\n";

static void scan_of(dvt_scan *scan, const char *shipments)
{
    char *dir = dvt_dataset("entities.csv", entities, "shipments.csv", shipments,
                            "countries.csv", dvt_countries_csv, "items.csv", dvt_items_csv, NULL);
    dvt_scan_run(scan, dir, NULL);
    dvt_remove(dir);
}

#define HDR "id,date,shipper_id,consignee_id,item,quantity,value\n"

static void suffix_of_a_longer_flagged_chain_is_not_reported(void **state)
{
    (void)state;
    dvt_scan scan;
    scan_of(&scan, HDR "S1,2024-03-01,M,H,3A981,10,1000\n"
                       "S2,2024-03-10,H,K,3A981,10,1000\n"
                       "S3,2024-03-20,K,R,3A981,10,1000\n");
    /* flagged: H>K>R and M>H>K>R; M>H>K has no concern */
    assert_int_equal(scan.result.chains_flagged, 2);
    assert_int_equal(scan.result.n_alerts, 1);
    assert_non_null(dvt_find(&scan, "M>H>K>R"));
    assert_null(dvt_find(&scan, "H>K>R"));
    dvt_scan_free(&scan);
}

static void prefix_and_middle_pieces_are_not_reported(void **state)
{
    (void)state;
    dvt_scan scan;
    scan_of(&scan, HDR "S1,2024-03-01,M,S,3A981,10,1000\n"
                       "S2,2024-03-05,S,H,3A981,10,1000\n"
                       "S3,2024-03-10,H,R,3A981,10,1000\n"
                       "S4,2024-03-20,R,C,3A981,10,1000\n");
    /* S>H>R is a middle piece, M>S>H>R a prefix, H>R>C a suffix */
    assert_int_equal(scan.result.n_alerts, 1);
    assert_non_null(dvt_find(&scan, "M>S>H>R>C"));
    assert_int_equal(scan.result.chains_contained, scan.result.chains_flagged - 1);
    dvt_scan_free(&scan);
}

static void pieces_of_another_item_entry_are_reported(void **state)
{
    (void)state;
    dvt_scan scan;
    scan_of(&scan, HDR "S1,2024-03-01,M,H,3A981,10,1000\n"
                       "S2,2024-03-10,H,K,3A981,10,1000\n"
                       "S3,2024-03-20,K,R,3A981,10,1000\n"
                       "T1,2024-03-10,H,K,3D980,1,500\n"
                       "T2,2024-03-20,K,R,3D980,1,500\n");
    assert_int_equal(scan.result.n_alerts, 2);
    assert_non_null(dvt_find(&scan, "M>H>K>R"));
    const dv_alert *a = dvt_find(&scan, "H>K>R");
    assert_non_null(a);
    assert_string_equal(scan.ds.items[a->item].code, "3D980");
    dvt_scan_free(&scan);
}

static void evidence_totals_follow_the_first_leg(void **state)
{
    (void)state;
    dvt_scan scan;
    scan_of(&scan, HDR "S1,2024-03-01,M,H,3A981,100,30000\n"
                       "S2,2024-03-04,M,H,3A981,50,15000\n"
                       "S3,2023-01-01,M,H,3A981,999,1\n"   /* out of the window: not evidence */
                       "S4,2024-03-20,H,R,3A981,140,50000\n"
                       "S5,2024-04-02,H,R,3A981,10,4000\n");
    const dv_alert *a = dvt_find(&scan, "M>H>R");
    assert_non_null(a);
    assert_int_equal(a->n_evidence, 4);
    assert_true(a->quantity == 150);
    assert_true(a->has_value && a->value == 45000);
    char d[11];
    dv_format_date(a->first_date, d);
    assert_string_equal(d, "2024-03-01");
    dv_format_date(a->last_date, d);
    assert_string_equal(d, "2024-04-02");
    /* realisations: S1/S2 x S4/S5 = 4, earliest first */
    assert_int_equal(a->n_examples, 4);
    assert_string_equal(scan.ds.shipments[a->examples[0]].id, "S1");
    assert_string_equal(scan.ds.shipments[a->examples[1]].id, "S4");
    dvt_scan_free(&scan);
}

static void alert_id_is_the_hash_of_item_and_path(void **state)
{
    (void)state;
    dvt_scan scan;
    scan_of(&scan, HDR "S1,2024-03-01,M,H,3A981.a.1,10,1000\n"
                       "S2,2024-03-20,H,R,3A981,10,1000\n");
    const dv_alert *a = dvt_find(&scan, "M>H>R");
    assert_non_null(a);
    /* FNV-1a 64 of "3A981|M>H>R", computed outside divert */
    assert_string_equal(a->id, "1b599d60c2156566");
    dvt_scan_free(&scan);
}

static void results_do_not_depend_on_row_order(void **state)
{
    (void)state;
    const char *rows[] = {"S1,2024-03-01,M,S,3A981,10,1000\n", "S2,2024-03-05,S,H,3A981,10,1000\n",
                          "S3,2024-03-10,H,R,3A981,10,1000\n", "S4,2024-03-20,R,C,3A981,10,1000\n",
                          "S5,2024-03-02,M,H,3A981,7,700\n",   "S6,2024-03-15,H,K,3A981,7,700\n",
                          "S7,2024-03-25,K,C,3A981,7,700\n"};
    const int orders[2][7] = {{0, 1, 2, 3, 4, 5, 6}, {6, 4, 2, 0, 5, 3, 1}};
    char first[4096] = "";
    for (int o = 0; o < 2; o++) {
        dv_buf text = {0};
        dv_buf_puts(&text, HDR);
        for (int i = 0; i < 7; i++) dv_buf_puts(&text, rows[orders[o][i]]);
        dvt_scan scan;
        scan_of(&scan, text.data);
        dv_buf_free(&text);
        char got[4096] = "";
        for (size_t i = 0; i < scan.result.n_alerts; i++) {
            const dv_alert *a = &scan.result.alerts[i];
            char line[256];
            snprintf(line, sizeof line, "%s %d %zu|", a->id, a->score, a->n_evidence);
            strcat(got, line);
        }
        assert_true(scan.result.n_alerts >= 2);
        if (o == 0) strcpy(first, got);
        else assert_string_equal(first, got);
        dvt_scan_free(&scan);
    }
}

static void alerts_are_sorted_by_score_then_id(void **state)
{
    (void)state;
    dvt_scan scan;
    scan_of(&scan, HDR "S1,2024-03-01,M,H,3A981,10,1000\n"
                       "S2,2024-03-20,H,R,3A981,10,1000\n"
                       "S3,2024-03-01,M,K,3A981,10,1000\n"
                       "S4,2024-03-20,K,C,3A981,10,1000\n"
                       "S5,2024-03-01,S,H,3D980,10,1000\n"
                       "S6,2024-03-20,H,C,3D980,10,1000\n");
    assert_int_equal(scan.result.n_alerts, 3);
    for (size_t i = 1; i < scan.result.n_alerts; i++) {
        const dv_alert *a = &scan.result.alerts[i - 1], *b = &scan.result.alerts[i];
        assert_true(a->score > b->score || (a->score == b->score && strcmp(a->id, b->id) < 0));
    }
    size_t total = 0;
    for (int s = 0; s < DV_SEV_COUNT; s++) total += scan.result.by_severity[s];
    assert_int_equal(total, 3);
    dvt_scan_free(&scan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(suffix_of_a_longer_flagged_chain_is_not_reported),
        cmocka_unit_test(prefix_and_middle_pieces_are_not_reported),
        cmocka_unit_test(pieces_of_another_item_entry_are_reported),
        cmocka_unit_test(evidence_totals_follow_the_first_leg),
        cmocka_unit_test(alert_id_is_the_hash_of_item_and_path),
        cmocka_unit_test(results_do_not_depend_on_row_order),
        cmocka_unit_test(alerts_are_sorted_by_score_then_id),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
