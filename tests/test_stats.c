/*
 * test_stats.c: divert stats' figures (stats.h, netstats.h) on small
 * hand-made networks whose answers are known: a star, a chain, two
 * cliques joined by one bridge, and a roundabout corridor against a
 * baseline; the parsing of --by and --baseline; and the same stats.json
 * on any number of threads.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "divert/netstats.h"
#include "divert/report.h"
#include "divert/stats.h"
#include "support.h"

#define HDR "id,date,shipper_id,consignee_id,item,quantity,value\n"

typedef struct run {
    dv_pipeline p;
    dv_stats st;
} run;

static void stats_of(run *r, const char *entities, const char *shipments,
                     const dv_stats_options *opt, const dv_config *cfg)
{
    char *dir = dvt_dataset("entities.csv", entities, "shipments.csv", shipments,
                            "countries.csv", dvt_countries_csv, "items.csv", dvt_items_csv, NULL);
    dvt_scan_run(&r->p, dir, cfg);
    dvt_remove(dir);
    dv_stats_options def = {DV_BY_MONTH, DV_NONE, false, 0, 0};
    memset(&r->st, 0, sizeof r->st);
    dv_error err = {0, ""};
    assert_int_equal(dv_stats_compute(&r->p, opt ? opt : &def, &r->st, &err), 0);
    r->p.stats = &r->st;
}

static void run_free(run *r)
{
    r->p.stats = NULL;
    dv_stats_free(&r->st);
    dvt_scan_free(&r->p);
}

static const dv_broker *broker(const run *r, const char *id)
{
    for (size_t i = 0; i < r->st.n_brokers; i++)
        if (!strcmp(r->p.ds.entities[r->st.brokers[i].entity].id, id)) return &r->st.brokers[i];
    fail_msg("no broker row for %s", id);
    return NULL;
}

static const dv_corridor *corridor(const run *r, const char *path, int period)
{
    for (size_t i = 0; i < r->st.n_corridors; i++)
        if (!strcmp(r->st.corridors[i].path, path) && r->st.corridors[i].period == period)
            return &r->st.corridors[i];
    return NULL;
}

/* ---- igraph's measures on plain arrays ---- */

static void betweenness_of_star_chain_and_bridge(void **state)
{
    (void)state;
    double b[8];
    dv_error err = {0, ""};
    /* star: 1 -> 0, 2 -> 0, 0 -> 3, 0 -> 4: the centre is on the 4 paths leaf to leaf */
    const uint32_t star[] = {1, 0, 2, 0, 0, 3, 0, 4};
    assert_int_equal(dv_net_betweenness(5, star, 4, NULL, 0, b, &err), 0);
    assert_true(b[0] == 4 && b[1] == 0 && b[2] == 0 && b[3] == 0 && b[4] == 0);
    /* chain 0 -> 1 -> 2 -> 3: the middle two are on 2 paths each */
    const uint32_t chain[] = {0, 1, 1, 2, 2, 3};
    assert_int_equal(dv_net_betweenness(4, chain, 3, NULL, 0, b, &err), 0);
    assert_true(b[0] == 0 && b[1] == 2 && b[2] == 2 && b[3] == 0);
}

/* Two cliques {0..3} and {4..7}, every edge both ways, and the bridge
 * 0 <-> 4. */
static size_t barbell(uint32_t *ends, double *w)
{
    size_t n = 0;
    for (uint32_t base = 0; base <= 4; base += 4)
        for (uint32_t a = 0; a < 4; a++)
            for (uint32_t b = 0; b < 4; b++)
                if (a != b) ends[2 * n] = base + a, ends[2 * n + 1] = base + b, w[n++] = 1;
    ends[2 * n] = 0, ends[2 * n + 1] = 4, w[n++] = 1;
    ends[2 * n] = 4, ends[2 * n + 1] = 0, w[n++] = 1;
    return n;
}

static void bridge_ends_carry_the_betweenness_and_split_the_communities(void **state)
{
    (void)state;
    uint32_t ends[2 * 32], m[8];
    double w[32], b[8];
    size_t n = barbell(ends, w);
    dv_error err = {0, ""};
    assert_int_equal(dv_net_betweenness(8, ends, n, NULL, 0, b, &err), 0);
    /* 3 x 4 ordered pairs across, each way, through each end of the bridge */
    assert_true(b[0] == 24 && b[4] == 24);
    for (int v = 1; v < 8; v++)
        if (v != 4) assert_true(b[v] == 0);
    /* from the sources 1 and 5 only: 1 reaches 4 pairs across through 0
     * (4, 5, 6, 7) and 3 of them through 4; 5 likewise the other way */
    const uint32_t two[] = {1, 5};
    assert_int_equal(dv_net_betweenness(8, ends, n, two, 2, b, &err), 0);
    assert_true(b[0] == 4 + 3 && b[4] == 4 + 3);
    for (int v = 1; v < 8; v++)
        if (v != 4) assert_true(b[v] == 0);
    assert_int_equal(dv_net_communities(8, ends, w, n, m, &err), 0);
    for (int v = 1; v < 4; v++) assert_int_equal(m[v], m[0]);
    for (int v = 5; v < 8; v++) assert_int_equal(m[v], m[4]);
    assert_int_not_equal(m[0], m[4]);
}

/* ---- the statistics of a scan ---- */

static const char *chain_entities = "id,name,role,country\n"
                                    "A,Alpha,manufacturer,DE\n"
                                    "B,Bravo,intermediary,AE\n"
                                    "C,Charlie,intermediary,KZ\n"
                                    "D,Delta,end_user,RU\n";

static void chain_brokers_count_pairs_dwell_and_throughput(void **state)
{
    (void)state;
    run r;
    stats_of(&r, chain_entities,
             HDR "S1,2024-01-01,A,B,3A981,10,1000\n"
                 "S2,2024-01-11,B,C,3A981,10,1000\n"
                 "S3,2024-01-31,C,D,3A981,5,500\n",
             NULL, NULL);
    /* A>B>C, B>C>D and A>B>C>D */
    assert_int_equal(r.st.chains, 3);
    const dv_broker *b = broker(&r, "B"), *c = broker(&r, "C"), *a = broker(&r, "A");
    assert_int_equal(b->pairs, 2); /* (A,C), (A,D) */
    assert_int_equal(b->origins, 1);
    assert_int_equal(b->destinations, 2);
    assert_true(b->value == 1000); /* S1, once */
    assert_true(b->median_dwell == 10);
    assert_true(b->throughput == 1);
    assert_int_equal(c->pairs, 2); /* (A,D), (B,D) */
    assert_int_equal(c->origins, 2);
    assert_int_equal(c->destinations, 1);
    assert_true(c->value == 2000); /* S1 and S2 */
    assert_true(c->median_dwell == 20);
    assert_true(c->throughput == 0.5);
    assert_int_equal(a->pairs, 0);
    assert_true(isnan(a->throughput) && isnan(a->median_dwell));
    /* equal pairs: C first by value; equal betweenness: B first by id */
    assert_int_equal(c->rank, 1);
    assert_int_equal(b->rank, 2);
    assert_true(b->betweenness == 2 && c->betweenness == 2);
    assert_int_equal(b->betweenness_rank, 1);
    assert_int_equal(c->betweenness_rank, 2);
    /* corridors of January 2024, each chain's value its first leg's */
    int jan = dv_stats_period_of(r.p.ds.shipments[0].date, DV_BY_MONTH);
    const dv_corridor *k = corridor(&r, "DE>AE>KZ>RU", jan);
    assert_non_null(k);
    assert_int_equal(k->chains, 1);
    assert_int_equal(k->shipments, 3);
    assert_true(k->value == 1000 && k->quantity == 10);
    assert_non_null(corridor(&r, "AE>KZ>RU", jan));
    assert_int_equal(r.st.n_corridors, 3);
    /* trends: AE is a transit of A>B>C and A>B>C>D, KZ of B>C>D and A>B>C>D */
    assert_int_equal(r.st.n_trends, 2);
    assert_string_equal(r.st.trends[0].transit, "AE");
    assert_int_equal(r.st.trends[0].chains, 2);
    assert_string_equal(r.st.trends[1].transit, "KZ");
    assert_int_equal(r.st.trends[1].chains, 2);
    assert_true(r.st.trends[1].flagged_value + r.st.trends[1].unflagged_value == 2000);
    run_free(&r);
}

static void chain_budget_cuts_an_item_and_says_so(void **state)
{
    (void)state;
    dv_config cfg;
    dv_config_defaults(&cfg);
    cfg.chain_budget = 2;
    run r;
    stats_of(&r, chain_entities,
             HDR "S1,2024-01-01,A,B,3A981,10,1000\n"
                 "S2,2024-01-11,B,C,3A981,10,1000\n"
                 "S3,2024-01-31,C,D,3A981,5,500\n",
             NULL, &cfg);
    assert_int_equal(r.st.chains, 2);
    assert_int_equal(r.st.n_partial, 1);
    assert_string_equal(r.p.ds.items[r.st.partial[0].item].code, "3A981");
    assert_int_equal(r.st.partial[0].chains, 2);
    run_free(&r);
}

static void star_centre_brokers_every_pair(void **state)
{
    (void)state;
    run r;
    stats_of(&r,
             "id,name,role,country\n"
             "H,Hub,intermediary,AE\n"
             "M1,Maker One,manufacturer,DE\n"
             "M2,Maker Two,manufacturer,FR\n"
             "R,Buyer,end_user,RU\n"
             "Z,Other Buyer,end_user,CN\n",
             HDR "S1,2024-02-01,M1,H,3A981,4,400\n"
                 "S2,2024-02-01,M2,H,3A981,4,400\n"
                 "S3,2024-02-10,H,R,3A981,4,400\n"
                 "S4,2024-02-10,H,Z,3A981,4,400\n",
             NULL, NULL);
    assert_int_equal(r.st.chains, 4);
    const dv_broker *h = broker(&r, "H");
    assert_int_equal(h->pairs, 4);
    assert_int_equal(h->origins, 2);
    assert_int_equal(h->destinations, 2);
    assert_true(h->value == 800);
    assert_true(h->median_dwell == 9);
    assert_true(h->betweenness == 4);
    assert_int_equal(h->rank, 1);
    assert_int_equal(h->betweenness_rank, 1);
    for (size_t i = 0; i < r.st.n_brokers; i++)
        if (r.st.brokers[i].entity != h->entity) assert_int_equal(r.st.brokers[i].pairs, 0);
    run_free(&r);
}

static void two_cliques_and_a_bridge_make_two_communities(void **state)
{
    (void)state;
    dv_buf ents = {0}, ships = {0};
    dv_buf_puts(&ents, "id,name,role,country,address\n");
    for (int g = 0; g < 2; g++)
        for (int i = 1; i <= 4; i++)
            dv_buf_printf(&ents, "%c%d,Party %c%d,distributor,%s,%s\n", "AB"[g], i, "AB"[g], i,
                          g ? "FR" : "DE", g == 0 && (i == 2 || i == 3) ? "1 Same Street" : "");
    dv_buf_puts(&ships, HDR);
    int n = 0;
    for (int g = 0; g < 2; g++)
        for (int i = 1; i <= 4; i++)
            for (int j = 1; j <= 4; j++)
                if (i != j)
                    dv_buf_printf(&ships, "S%d,2024-05-01,%c%d,%c%d,3A981,1,100\n", ++n, "AB"[g], i,
                                  "AB"[g], j);
    dv_buf_printf(&ships, "S%d,2024-05-01,A1,B1,3A981,1,100\n", ++n);
    dv_buf_printf(&ships, "S%d,2024-05-01,B1,A1,3A981,1,100\n", ++n);
    run r;
    stats_of(&r, ents.data, ships.data, NULL, NULL);
    assert_int_equal(r.st.n_communities, 2);
    const dv_community *c1 = &r.st.communities[0], *c2 = &r.st.communities[1];
    assert_int_equal(c1->id, 1);
    assert_int_equal(c1->size, 4);
    assert_int_equal(c2->size, 4);
    for (size_t k = 0; k < 4; k++) {
        assert_int_equal(r.p.ds.entities[c1->members[k]].id[0], 'A');
        assert_int_equal(r.p.ds.entities[c2->members[k]].id[0], 'B');
    }
    assert_string_equal(c1->countries, "DE");
    assert_true(c1->value == 1200 && c1->shipments == 12);
    assert_int_equal(c1->shared_addresses, 1);
    assert_int_equal(c2->shared_addresses, 0);
    /* the ends of the bridge lead the static ranking */
    assert_true(broker(&r, "A1")->betweenness == 24);
    assert_true(broker(&r, "B1")->betweenness == 24);
    assert_int_equal(broker(&r, "A1")->betweenness_rank, 1);
    assert_int_equal(broker(&r, "B1")->betweenness_rank, 2);
    /* research.html's drawings: each clique's six pairs (the bridge is
     * between communities: in neither), each pair once with the value of
     * both directions, and four distinct positions a community */
    for (int k = 0; k < 2; k++) {
        const dv_community *c = &r.st.communities[k];
        assert_non_null(c->xy);
        assert_int_equal(c->n_edges, 6);
        for (size_t e = 0; e < c->n_edges; e++) {
            assert_true(c->edges[2 * e] < c->edges[2 * e + 1] && c->edges[2 * e + 1] < 4);
            assert_true(c->edge_value[e] == 200);
        }
        for (size_t i = 0; i < 4; i++)
            for (size_t j = i + 1; j < 4; j++)
                assert_true(fabs(c->xy[2 * i] - c->xy[2 * j]) + fabs(c->xy[2 * i + 1] - c->xy[2 * j + 1]) >
                            0.1);
    }
    run_free(&r);
    dv_buf_free(&ents), dv_buf_free(&ships);
}

/* A community is drawn only when it has 2 to DV_STATS_DRAW_MAX members:
 * a star of DV_STATS_DRAW_MAX + 1 parties is one community, too large. */
static void too_large_a_community_is_not_drawn(void **state)
{
    (void)state;
    dv_buf ents = {0}, ships = {0};
    dv_buf_puts(&ents, "id,name,role,country\nHUB,Hub,distributor,AE\n");
    dv_buf_puts(&ships, HDR);
    for (int i = 1; i <= DV_STATS_DRAW_MAX; i++) {
        dv_buf_printf(&ents, "P%d,Party %d,distributor,DE\n", i, i);
        dv_buf_printf(&ships, "S%d,2024-05-01,P%d,HUB,3A981,1,100\n", i, i);
    }
    run r;
    stats_of(&r, ents.data, ships.data, NULL, NULL);
    assert_int_equal(r.st.n_communities, 1);
    assert_int_equal(r.st.communities[0].size, DV_STATS_DRAW_MAX + 1);
    assert_null(r.st.communities[0].xy);
    assert_int_equal(r.st.communities[0].n_edges, 0);
    run_free(&r);
    dv_buf_free(&ents), dv_buf_free(&ships);
}

static void corridor_grows_against_baseline_with_roundabout_signal(void **state)
{
    (void)state;
    dv_stats_options opt = {DV_BY_YEAR, DV_NONE, true, 0, 0};
    const char *why = NULL;
    assert_true(dv_stats_parse_baseline("2021-01:2021-12", &opt.baseline_from,
                                        &opt.baseline_to, &why));
    run r;
    stats_of(&r,
             "id,name,role,country\n"
             "X,Exporter,manufacturer,DE\n"
             "T,Transit,intermediary,KZ\n"
             "R,Buyer,end_user,RU\n",
             HDR "S1,2021-06-01,X,T,3A981,1,100\n"
                 "S2,2021-06-20,T,R,3A981,1,100\n"
                 "S3,2023-03-01,X,T,3A981,10,1000\n"
                 "S4,2023-03-20,T,R,3A981,10,1000\n",
             &opt, NULL);
    const dv_corridor *before = corridor(&r, "DE>KZ>RU", 2021), *after = corridor(&r, "DE>KZ>RU", 2023);
    assert_non_null(before);
    assert_non_null(after);
    assert_true(after->baseline_value == 100);
    assert_true(after->growth == 9);
    assert_string_equal(after->roundabout, "KZ");
    assert_string_equal(before->roundabout, ""); /* not after the baseline */
    run_free(&r);
    /* the exports to the destination do not grow: no signal */
    stats_of(&r,
             "id,name,role,country\n"
             "X,Exporter,manufacturer,DE\n"
             "T,Transit,intermediary,KZ\n"
             "R,Buyer,end_user,RU\n",
             HDR "S1,2021-06-01,X,T,3A981,1,100\n"
                 "S2,2021-06-20,T,R,3A981,1,1000\n"
                 "S3,2023-03-01,X,T,3A981,10,1000\n"
                 "S4,2023-03-20,T,R,3A981,10,1000\n",
             &opt, NULL);
    after = corridor(&r, "DE>KZ>RU", 2023);
    assert_non_null(after);
    assert_string_equal(after->roundabout, "");
    run_free(&r);
}

static void by_and_baseline_are_parsed_strictly(void **state)
{
    (void)state;
    dv_period_kind k;
    assert_true(dv_stats_parse_by("quarter", &k) && k == DV_BY_QUARTER);
    assert_false(dv_stats_parse_by("week", &k));
    assert_false(dv_stats_parse_by("Month", &k));
    int from, to;
    const char *why;
    assert_true(dv_stats_parse_baseline("2017-01:2021-12", &from, &to, &why));
    assert_int_equal(from, 2017 * 12);
    assert_int_equal(to, 2021 * 12 + 11);
    const char *bad[] = {"2017-01", "2017-13:2018-01", "2017-1:2018-01", "2019-01:2018-01",
                         "2017-01:2018-01x", ":", "abcd-ef:2018-01"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (dv_stats_parse_baseline(bad[i], &from, &to, &why)) fail_msg("accepted %s", bad[i]);
    char label[16];
    int32_t days;
    assert_true(dv_parse_date("2024-05-31", 10, &days, &why));
    dv_stats_period_label(dv_stats_period_of(days, DV_BY_MONTH), DV_BY_MONTH, label);
    assert_string_equal(label, "2024-05");
    dv_stats_period_label(dv_stats_period_of(days, DV_BY_QUARTER), DV_BY_QUARTER, label);
    assert_string_equal(label, "2024-Q2");
    dv_stats_period_label(dv_stats_period_of(days, DV_BY_YEAR), DV_BY_YEAR, label);
    assert_string_equal(label, "2024");
}

static char *json_of(const run *r)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_int_equal(dv_write_stats_json(f, &r->p), 0);
    fclose(f);
    return text;
}

static void same_stats_json_on_any_number_of_threads(void **state)
{
    (void)state;
    char *dir = dvt_data("cli/stats_golden/input");
    dv_config cfg;
    dv_config_defaults(&cfg);
    char *first = NULL;
    for (int threads = 1; threads <= 4; threads += 3) {
        cfg.threads = threads;
        run r;
        dvt_scan_run(&r.p, dir, &cfg);
        dv_stats_options opt = {DV_BY_QUARTER, DV_NONE, true, 2024 * 12, 2024 * 12 + 2};
        memset(&r.st, 0, sizeof r.st);
        dv_error err = {0, ""};
        assert_int_equal(dv_stats_compute(&r.p, &opt, &r.st, &err), 0);
        r.p.stats = &r.st;
        char *text = json_of(&r);
        /* the dataset's path is the same string either way */
        if (!first) first = text;
        else {
            assert_string_equal(text, first);
            free(text);
        }
        run_free(&r);
    }
    free(first);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(betweenness_of_star_chain_and_bridge),
        cmocka_unit_test(bridge_ends_carry_the_betweenness_and_split_the_communities),
        cmocka_unit_test(chain_brokers_count_pairs_dwell_and_throughput),
        cmocka_unit_test(chain_budget_cuts_an_item_and_says_so),
        cmocka_unit_test(star_centre_brokers_every_pair),
        cmocka_unit_test(two_cliques_and_a_bridge_make_two_communities),
        cmocka_unit_test(too_large_a_community_is_not_drawn),
        cmocka_unit_test(corridor_grows_against_baseline_with_roundabout_signal),
        cmocka_unit_test(by_and_baseline_are_parsed_strictly),
        cmocka_unit_test(same_stats_json_on_any_number_of_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
