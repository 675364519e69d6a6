/*
 * test_detect.c: which flagged chains are reported (SPEC 4, last rule),
 * their evidence and totals (SPEC 5), ids and order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "divert/detect.h"
#include "divert/flag.h"
#include "divert/routes.h"
#include "support.h"

static const char *entities =
    "id,name,role,country\n"
    "M,Maker GmbH,manufacturer,DE\n"
    "S,Swiss Dist,distributor,CH\n"
    "H,Hub Trading FZE,intermediary,AE\n"
    "K,Steppe LLP,intermediary,KZ\n"
    "R,Securtech,end_user,RU\n"
    "C,Sino Vision,end_user,CN\n";

static void scan_of(dv_pipeline *scan, const char *shipments)
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
    dv_pipeline scan;
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
    dv_pipeline scan;
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
    dv_pipeline scan;
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
    dv_pipeline scan;
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

/* Shipments on one date are ordered by id, whether the item index is
 * sorted by packed keys (dates within 2^16 days of each other) or by the
 * comparison sort (a shipment dated 2210 widens the span past that). */
static void same_day_shipments_are_ordered_by_id_on_either_sort_path(void **state)
{
    (void)state;
    const char *rows = HDR "S9,2024-03-01,M,H,3A981,10,1000\n"
                           "S10,2024-03-01,M,H,3A981,10,1000\n"
                           "S08,2024-03-01,M,H,3A981,10,1000\n"
                           "S11,2024-03-20,H,R,3A981,30,3000\n";
    for (int wide = 0; wide < 2; wide++) {
        dv_buf text = {0};
        dv_buf_puts(&text, rows);
        if (wide) dv_buf_puts(&text, "S99,2210-01-01,S,C,3D980,1,1\n");
        dv_pipeline scan;
        scan_of(&scan, text.data);
        dv_buf_free(&text);
        const dv_alert *a = dvt_find(&scan, "M>H>R");
        assert_non_null(a);
        assert_int_equal(a->n_evidence, 4);
        static const char *const want[] = {"S08", "S10", "S9", "S11"};
        for (size_t i = 0; i < 4; i++)
            assert_string_equal(scan.ds.shipments[a->evidence[i]].id, want[i]);
        assert_string_equal(scan.ds.shipments[a->examples[0]].id, "S08");
        dvt_scan_free(&scan);
    }
}

static void alert_id_is_the_hash_of_item_and_path(void **state)
{
    (void)state;
    dv_pipeline scan;
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
        dv_pipeline scan;
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
    dv_pipeline scan;
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

/* ---- pruning never changes the result ---- */

/* Every chain the exhaustive search flags, as "ITEM|A>B>C" strings. */
typedef struct exhaustive {
    const dv_dataset *ds;
    dv_flagger flagger;
    const dv_config *cfg;
    char **flagged;
    size_t n, cap;
    uint32_t buf[4096];
} exhaustive;

static int exhaustive_visit(void *ctx, const dv_item_graph *ig, const uint32_t *path, int hops,
                            const dv_hopsets *fwd)
{
    exhaustive *X = ctx;
    if (hops < 2) return DV_ROUTE_GO_ON;
    dv_hopsets feasible;
    dv_route_feasible(X->ds, X->cfg->window_days, fwd, &feasible, X->buf);
    dv_flag_result fr;
    dv_flag_chain(&X->flagger, path, hops, &feasible, &fr);
    if (!fr.flagged) return DV_ROUTE_GO_ON;
    dv_buf b = {0};
    dv_buf_printf(&b, "%s|", X->ds->items[ig->item].code);
    for (int h = 0; h <= hops; h++) dv_buf_printf(&b, "%s%s", h ? ">" : "", X->ds->entities[path[h]].id);
    DV_PUSH(X->flagged, X->n, X->cap, b.data);
    return DV_ROUTE_GO_ON;
}

/* Is chain a contiguous piece of other (both "ITEM|A>B>C")? */
static bool piece_of(const char *chain, const char *other)
{
    const char *bar = strchr(chain, '|');
    size_t item_len = (size_t)(bar - chain);
    if (strncmp(chain, other, item_len + 1) != 0 || !strcmp(chain, other)) return false;
    const char *path = bar + 1, *opath = other + item_len + 1;
    size_t len = strlen(path);
    for (const char *p = strstr(opath, path); p; p = strstr(p + 1, path)) {
        bool starts = p == opath || p[-1] == '>';
        bool ends = p[len] == '\0' || p[len] == '>';
        if (starts && ends) return true;
    }
    return false;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void pruned_search_reports_what_exhaustive_search_reports(void **state)
{
    (void)state;
    /* a tangle of 40 entities in strong, weak and concern countries, with
     * declared end users and a listed party, from a fixed pseudo-random
     * sequence */
    static const char *countries[] = {"DE", "CH", "FR", "AE", "KZ", "RS", "RU", "DE", "AE", "FR", "KZ", "CH"};
    dv_buf ents = {0}, ships = {0};
    dv_buf_puts(&ents, "id,name,role,country\n");
    for (int e = 0; e < 40; e++)
        dv_buf_printf(&ents, "N%02d,%s %d,intermediary,%s\n", e, e == 7 ? "Listed Party" : "Party",
                      e, countries[(e * 5 + 3) % 12]);
    dv_buf_puts(&ships, "id,date,shipper_id,consignee_id,item,quantity,value,declared_end_user_id\n");
    unsigned long x = 12345;
    for (int i = 0; i < 240; i++) {
        x = x * 6364136223846793005UL + 1442695040888963407UL;
        int a = (int)((x >> 33) % 40), b = (int)((x >> 40) % 40);
        if (a == b) b = (b + 1) % 40;
        int day = (int)((x >> 20) % 200);
        const char *item = (x >> 50) % 3 ? "3A981" : "3D980";
        char declared[8] = "";
        if ((x >> 55) % 9 == 0) snprintf(declared, sizeof declared, "N%02d", (int)((x >> 12) % 40));
        dv_buf_printf(&ships, "S%03d,2024-%02d-%02d,N%02d,N%02d,%s,%d,%d,%s\n", i, 1 + day / 28,
                      1 + day % 28, a, b, item, 1 + (int)((x >> 8) % 50), 100, declared);
    }
    char *dir = dvt_dataset("entities.csv", ents.data, "shipments.csv", ships.data, "countries.csv",
                            dvt_countries_csv, "items.csv", dvt_items_csv, "watchlist.csv",
                            "name\nLISTED PARTY 7 LLC\n", NULL);
    dv_buf_free(&ents);
    dv_buf_free(&ships);
    dv_config cfg;
    dv_config_defaults(&cfg);
    cfg.max_hops = 4;
    dv_pipeline scan;
    dvt_scan_run(&scan, dir, &cfg);
    dvt_remove(dir);

    exhaustive X = {0};
    X.ds = &scan.ds;
    X.cfg = &cfg;
    dv_flagger_init(&X.flagger, &scan.ds, &cfg, &scan.screening);
    for (size_t i = 0; i < scan.graph.n_items; i++) {
        assert_true(scan.graph.items[i].n_ship <= 4096);
        dv_route_search(&scan.ds, &scan.graph.items[i], cfg.window_days, cfg.max_hops, NULL,
                        exhaustive_visit, &X, NULL);
    }
    dv_flagger_free(&X.flagger);
    /* reported: flagged and not a piece of another flagged chain */
    char **expected = NULL;
    size_t n_expected = 0, cap = 0;
    for (size_t i = 0; i < X.n; i++) {
        bool contained = false;
        for (size_t j = 0; j < X.n && !contained; j++) contained = piece_of(X.flagged[i], X.flagged[j]);
        if (!contained) DV_PUSH(expected, n_expected, cap, X.flagged[i]);
    }
    qsort(expected, n_expected, sizeof *expected, cmp_str);

    char **got = dv_xcalloc(scan.result.n_alerts + 1, sizeof *got);
    for (size_t i = 0; i < scan.result.n_alerts; i++) {
        const dv_alert *a = &scan.result.alerts[i];
        got[i] = dv_xasprintf("%s|%s", scan.ds.items[a->item].code, dvt_path(&scan, a));
    }
    qsort(got, scan.result.n_alerts, sizeof *got, cmp_str);
    /* the tangle must be rich enough to mean something */
    assert_true(n_expected >= 10);
    assert_true(scan.result.extensions_pruned > 0);
    assert_int_equal(scan.result.n_alerts, n_expected);
    for (size_t i = 0; i < n_expected; i++) assert_string_equal(got[i], expected[i]);
    assert_int_equal(scan.result.chains_flagged, X.n);

    for (size_t i = 0; i < scan.result.n_alerts; i++) free(got[i]);
    free(got);
    for (size_t i = 0; i < X.n; i++) free(X.flagged[i]);
    free(X.flagged);
    free(expected);
    dvt_scan_free(&scan);
}

/* ---- budgets (SPEC 5, Bounds) ---- */

/* A ring: M (DE) sells to n intermediaries in AE, which all trade among
 * themselves on one day and each sell on to R (RU), and every transit has
 * a different registration date, so that scores differ. */
static char *ring_dataset(int n)
{
    dv_buf ents = {0}, ships = {0};
    dv_buf_puts(&ents, "id,name,role,country,registered\nM,Maker,manufacturer,DE,\nR,End,end_user,RU,\n");
    for (int i = 0; i < n; i++)
        dv_buf_printf(&ents, "H%02d,Ring %d,%s,AE,%s\n", i, i, i % 3 ? "intermediary" : "distributor",
                      i % 4 ? "" : "2024-01-15");
    dv_buf_puts(&ships, HDR);
    int k = 0;
    for (int i = 0; i < n; i++) dv_buf_printf(&ships, "S%04d,2024-03-01,M,H%02d,3A981,1,100\n", k++, i);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            if (i != j) dv_buf_printf(&ships, "S%04d,2024-03-01,H%02d,H%02d,3A981,1,100\n", k++, i, j);
    for (int i = 0; i < n; i++) dv_buf_printf(&ships, "S%04d,2024-03-01,H%02d,R,3A981,1,100\n", k++, i);
    char *dir = dvt_dataset("entities.csv", ents.data, "shipments.csv", ships.data, "countries.csv",
                            dvt_countries_csv, "items.csv", dvt_items_csv, NULL);
    dv_buf_free(&ents);
    dv_buf_free(&ships);
    return dir;
}

/* Under the alert budget, the alerts kept are the strongest of those the
 * unbounded run reports, by score then id; the item entry says it is
 * partial, and by how much. */
static void alert_budget_keeps_the_strongest(void **state)
{
    (void)state;
    char *dir = ring_dataset(5);
    dv_config cfg;
    dv_config_defaults(&cfg);
    dv_pipeline all, some;
    dvt_scan_run(&all, dir, &cfg);
    assert_int_equal(all.result.n_partial, 0);
    size_t n = all.result.n_alerts;
    assert_true(n > 20);
    cfg.alert_budget = 7;
    dvt_scan_run(&some, dir, &cfg);
    assert_int_equal(some.result.n_alerts, 7);
    for (size_t i = 0; i < 7; i++) {
        assert_string_equal(some.result.alerts[i].id, all.result.alerts[i].id);
        assert_int_equal(some.result.alerts[i].score, all.result.alerts[i].score);
        assert_non_null(strstr(some.result.alerts[i].explanation, "Partial result for item 3A981"));
    }
    assert_int_equal(some.result.n_partial, 1);
    const dv_partial *p = &some.result.partial[0];
    assert_false(p->chains_cut);
    assert_int_equal(p->found, n);
    assert_int_equal(p->kept, 7);
    assert_int_equal(p->n_group, 5); /* the ring, without M and R */
    assert_int_equal(p->group_k, 4);
    dvt_scan_free(&all);
    dvt_scan_free(&some);
    dvt_remove(dir);
}

/* The chain budget stops the search where it is spent, the same in every
 * run and on any number of threads: 18 parties in a ring (13 KB) gave 1.1
 * million alerts, 1.4 GB and 58 s before issue #11. */
static void chain_budget_stops_the_search_of_a_ring(void **state)
{
    (void)state;
    char *dir = ring_dataset(18);
    dv_config cfg;
    dv_config_defaults(&cfg);
    cfg.chain_budget = 2000;
    cfg.alert_budget = 50;
    dv_pipeline a, b;
    cfg.threads = 1;
    dvt_scan_run(&a, dir, &cfg);
    cfg.threads = 3;
    dvt_scan_run(&b, dir, &cfg);
    assert_int_equal(a.result.chains_visited, 2000);
    assert_int_equal(a.result.n_partial, 1);
    const dv_partial *p = &a.result.partial[0];
    assert_true(p->chains_cut);
    assert_int_equal(p->chains, 2000);
    assert_true(p->found > 50);
    assert_int_equal(p->kept, 50);
    assert_int_equal(p->n_group, 18);
    assert_int_equal(p->group_k, 17);
    assert_string_equal(a.ds.entities[p->group[0]].id, "H00");
    assert_int_equal(a.result.n_alerts, b.result.n_alerts);
    for (size_t i = 0; i < a.result.n_alerts; i++) {
        assert_string_equal(a.result.alerts[i].id, b.result.alerts[i].id);
        assert_string_equal(a.result.alerts[i].explanation, b.result.alerts[i].explanation);
    }
    dvt_scan_free(&a);
    dvt_scan_free(&b);
    dvt_remove(dir);
}

/* The pipeline restricted to one item entry at a time (only_items, then
 * dv_pipeline_rewind to the graph, as explain does) reports exactly the
 * full scan's alerts of that item entry, and builds no other index. */
static void restricting_to_item_entries_keeps_their_alerts(void **state)
{
    (void)state;
    const char *data = getenv("DIVERT_TEST_DATA");
    assert_non_null(data);
    char *demo = dv_xasprintf("%s/../../datasets/demo", data);
    dv_pipeline full, one;
    dvt_scan_run(&full, demo, NULL);
    assert_true(full.result.n_alerts > 0);
    dv_config cfg;
    dv_config_defaults(&cfg);
    dv_pipeline_init(&one, &cfg, NULL);
    dv_error err = {0, ""};
    assert_int_equal(dv_pipeline_run(&one, demo, DV_STAGE_LOAD, &err), 0);
    bool *only = dv_xcalloc(one.ds.n_items, sizeof *only);
    one.only_items = only;
    size_t seen = 0, items_with_alerts = 0;
    for (size_t it = 0; it < one.ds.n_items; it++) {
        only[it] = true;
        dv_pipeline_rewind(&one, DV_STAGE_GRAPH);
        assert_int_equal(dv_pipeline_run(&one, demo, DV_STAGE_DETECT, &err), 0);
        assert_true(one.graph.n_items <= 1);
        if (one.graph.n_items) assert_int_equal(one.graph.items[0].item, it);
        /* the counts still cover every item entry */
        assert_int_equal(one.graph.n_controlled, full.graph.n_controlled);
        size_t k = 0;
        for (size_t i = 0; i < full.result.n_alerts; i++) {
            const dv_alert *a = &full.result.alerts[i];
            if (a->item != it) continue;
            assert_true(k < one.result.n_alerts);
            const dv_alert *b = &one.result.alerts[k++];
            assert_string_equal(a->id, b->id);
            assert_int_equal(a->score, b->score);
            assert_int_equal(a->n_evidence, b->n_evidence);
            assert_string_equal(a->explanation, b->explanation);
        }
        assert_int_equal(k, one.result.n_alerts);
        seen += k;
        items_with_alerts += k > 0;
        only[it] = false;
    }
    assert_int_equal(seen, full.result.n_alerts);
    assert_true(items_with_alerts > 1); /* the demo has alerts of several item entries */
    one.only_items = NULL;
    free(only);
    dv_pipeline_free(&one);
    dvt_scan_free(&full);
    free(demo);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(suffix_of_a_longer_flagged_chain_is_not_reported),
        cmocka_unit_test(prefix_and_middle_pieces_are_not_reported),
        cmocka_unit_test(pieces_of_another_item_entry_are_reported),
        cmocka_unit_test(evidence_totals_follow_the_first_leg),
        cmocka_unit_test(same_day_shipments_are_ordered_by_id_on_either_sort_path),
        cmocka_unit_test(alert_id_is_the_hash_of_item_and_path),
        cmocka_unit_test(results_do_not_depend_on_row_order),
        cmocka_unit_test(alerts_are_sorted_by_score_then_id),
        cmocka_unit_test(pruned_search_reports_what_exhaustive_search_reports),
        cmocka_unit_test(alert_budget_keeps_the_strongest),
        cmocka_unit_test(chain_budget_stops_the_search_of_a_ring),
        cmocka_unit_test(restricting_to_item_entries_keeps_their_alerts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
