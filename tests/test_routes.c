/*
 * test_routes.c: realised chains (SPEC 3), feasible sets and examples.
 */
#include <igraph.h>
#include <stdlib.h>
#include <string.h>

#include "divert/routes.h"
#include "support.h"

static const char *entities =
    "id,name,role,country\n"
    "A,Alpha,manufacturer,DE\n"
    "B,Beta,intermediary,AE\n"
    "C,Gamma,end_user,RU\n"
    "D,Delta,intermediary,KZ\n"
    "E,Epsilon,end_user,RU\n";

/* Collects the chains a search visits as "A>B>C" strings. */
typedef struct seen {
    char chains[64][64];
    int n;
    const dv_dataset *ds;
} seen;

static int collect(void *ctx, const dv_item_graph *ig, const uint32_t *path, int hops,
                   const dv_hopsets *fwd)
{
    (void)ig;
    (void)fwd;
    seen *s = ctx;
    if (hops < 2) return DV_ROUTE_GO_ON; /* a chain start, not a chain */
    char *out = s->chains[s->n++];
    out[0] = '\0';
    for (int h = 0; h <= hops; h++) {
        if (h) strcat(out, ">");
        strcat(out, s->ds->entities[path[h]].id);
    }
    return 0;
}

static bool has(const seen *s, const char *chain)
{
    for (int i = 0; i < s->n; i++)
        if (!strcmp(s->chains[i], chain)) return true;
    return false;
}

static void search(const char *shipments, int window, int max_hops, seen *out, dv_pipeline *scan)
{
    char *dir = dvt_dataset("entities.csv", entities, "shipments.csv", shipments, "countries.csv",
                            dvt_countries_csv, "items.csv", dvt_items_csv, NULL);
    dv_config cfg;
    dv_config_defaults(&cfg);
    cfg.window_days = window;
    cfg.max_hops = max_hops;
    dvt_scan_run(scan, dir, &cfg);
    dvt_remove(dir);
    memset(out, 0, sizeof *out);
    out->ds = &scan->ds;
    for (size_t i = 0; i < scan->graph.n_items; i++)
        dv_route_search(&scan->ds, &scan->graph.items[i], window, max_hops, NULL, collect, out, NULL);
}

static int collect_free(void *ctx, const dv_item_graph *ig, const uint32_t *path, int hops,
                        const dv_hopsets *fwd)
{
    collect(ctx, ig, path, hops, fwd);
    return DV_ROUTE_FREE; /* as for a declared end user: no goal pruning */
}

/* Weak-transit pruning: with B the only weak entity, a branch that has no
 * weak transit and cannot reach B early enough to make it one is not
 * extended, even when the callback asks for every extension. */
static void branches_without_a_possible_weak_transit_are_pruned(void **state)
{
    (void)state;
    for (int max_hops = 2; max_hops <= 6; max_hops += 4) {
        dv_pipeline scan;
        seen all, pruned;
        search("id,date,shipper_id,consignee_id,item,quantity\n"
               "S1,2024-03-01,A,C,3A981,1\nS2,2024-03-05,C,E,3A981,1\n"
               "S3,2024-03-01,A,B,3A981,1\nS4,2024-03-05,B,E,3A981,1\n"
               "S5,2024-03-06,C,B,3A981,1\nS6,2024-03-10,B,D,3A981,1\n",
               120, max_hops, &all, &scan);
        const dv_dataset *ds = &scan.ds;
        bool *weak = dv_xcalloc(ds->n_entities, sizeof *weak);
        size_t ne = ds->n_entities;
        dv_weak_reach reach = {dv_xmalloc(ne), dv_xmalloc(ne), dv_xmalloc(ne * 2), dv_xmalloc(ne * 2)};
        weak[dv_entity_find(ds, "B")] = true;
        memset(&pruned, 0, sizeof pruned);
        pruned.ds = ds;
        dv_route_stats stats = {0, 0, 0};
        for (size_t i = 0; i < scan.graph.n_items; i++) {
            const dv_item_graph *ig = &scan.graph.items[i];
            dv_route_weak_reach(ds, ig, weak, max_hops, &reach);
            assert_int_equal(reach.d1[dv_entity_find(ds, "B")], 0);
            assert_int_equal(reach.d1[dv_entity_find(ds, "C")], 1);
            assert_int_equal(reach.d1[dv_entity_find(ds, "E")], DV_ROUTE_FAR); /* ships nothing */
            assert_int_equal(reach.d2[dv_entity_find(ds, "C")], DV_ROUTE_FAR); /* one country */
            dv_route_prune prune = {NULL, weak, &reach};
            dv_route_search(ds, ig, 120, max_hops, &prune, collect_free, &pruned, &stats);
        }
        /* the unpruned search saw these and more */
        assert_true(has(&all, "A>C>E"));
        assert_false(has(&pruned, "A>C>E"));
        assert_true(has(&pruned, "A>B>E"));
        assert_true(has(&pruned, "A>B>D"));
        assert_true(has(&pruned, "C>B>D"));
        if (max_hops == 2) {
            assert_false(has(&pruned, "A>C>B")); /* B would be final: no transit left */
            assert_int_equal(pruned.n, 3);
        } else {
            assert_true(has(&pruned, "A>C>B"));  /* B may still become a transit */
            assert_true(has(&pruned, "A>C>B>D"));
            assert_int_equal(pruned.n, 5);
        }
        assert_true(stats.pruned > 0);
        free(weak);
        free(reach.d1);
        free(reach.d2);
        free(reach.c1);
        free(reach.c2);
        dvt_scan_free(&scan);
    }
}

/* The igraph view, built on demand: one vertex per entity, edge i is
 * shipment row i, and the per-item index agrees with it. */
static void igraph_view_holds_every_shipment_as_an_edge(void **state)
{
    (void)state;
    dv_pipeline scan;
    seen s;
    search("id,date,shipper_id,consignee_id,item,quantity\n"
           "S1,2024-03-01,A,B,3A981,1\nS2,2024-03-05,B,C,3A981,1\n"
           "S3,2024-03-06,A,B,852589,1\nS4,2024-03-07,B,A,3A981,1\n",
           120, 6, &s, &scan);
    assert_true(has(&s, "A>B>C"));
    assert_false(dv_graph_has_igraph(&scan.graph));
    const igraph_t *g = NULL, *again = NULL;
    dv_error err = {0, ""};
    assert_int_equal(dv_graph_igraph(&scan.graph, &g, &err), 0);
    assert_int_equal(dv_graph_igraph(&scan.graph, &again, &err), 0); /* once only */
    assert_ptr_equal(g, again);
    assert_true(dv_graph_has_igraph(&scan.graph));
    assert_int_equal(igraph_vcount(g), scan.ds.n_entities);
    assert_int_equal(igraph_ecount(g), scan.ds.n_shipments);
    for (size_t i = 0; i < scan.ds.n_shipments; i++) {
        igraph_integer_t from, to;
        assert_int_equal(igraph_edge(g, (igraph_integer_t)i, &from, &to), IGRAPH_SUCCESS);
        assert_int_equal(from, scan.ds.shipments[i].shipper);
        assert_int_equal(to, scan.ds.shipments[i].consignee);
    }
    dvt_scan_free(&scan);
}

static void realises_two_hops_in_date_order(void **state)
{
    (void)state;
    seen s;
    dv_pipeline scan;
    search("id,date,shipper_id,consignee_id,item,quantity\n"
           "S1,2024-03-01,A,B,3A981,10\n"
           "S2,2024-03-20,B,C,3A981,10\n",
           120, 6, &s, &scan);
    assert_int_equal(s.n, 1);
    assert_true(has(&s, "A>B>C"));
    dvt_scan_free(&scan);
}

static void same_day_counts_and_window_is_inclusive(void **state)
{
    (void)state;
    seen s;
    dv_pipeline scan;
    search("id,date,shipper_id,consignee_id,item,quantity\n"
           "S1,2024-03-01,A,B,3A981,10\n"
           "S2,2024-03-01,B,C,3A981,10\n"
           "S3,2024-03-01,A,D,3A981,10\n"
           "S4,2024-03-11,D,E,3A981,10\n",
           10, 6, &s, &scan);
    assert_true(has(&s, "A>B>C"));  /* same day */
    assert_true(has(&s, "A>D>E"));  /* exactly window days later */
    assert_int_equal(s.n, 2);
    dvt_scan_free(&scan);
}

static void rejects_time_inverted_and_late_legs(void **state)
{
    (void)state;
    seen s;
    dv_pipeline scan;
    search("id,date,shipper_id,consignee_id,item,quantity\n"
           "S1,2024-03-10,A,B,3A981,10\n"
           "S2,2024-03-09,B,C,3A981,10\n"   /* before the inbound */
           "S3,2024-03-01,A,D,3A981,10\n"
           "S4,2024-03-12,D,E,3A981,10\n",  /* 11 days: over a 10-day window */
           10, 6, &s, &scan);
    assert_int_equal(s.n, 0);
    dvt_scan_free(&scan);
}

static void item_entries_do_not_mix(void **state)
{
    (void)state;
    seen s;
    dv_pipeline scan;
    search("id,date,shipper_id,consignee_id,item,quantity\n"
           "S1,2024-03-01,A,B,3A981,10\n"
           "S2,2024-03-05,B,C,3D980,10\n",
           120, 6, &s, &scan);
    assert_int_equal(s.n, 0);
    dvt_scan_free(&scan);
}

static void uncontrolled_items_are_not_searched(void **state)
{
    (void)state;
    seen s;
    dv_pipeline scan;
    search("id,date,shipper_id,consignee_id,item,quantity\n"
           "S1,2024-03-01,A,B,8525.89,10\n"
           "S2,2024-03-05,B,C,8525.89,10\n",
           120, 6, &s, &scan);
    assert_int_equal(s.n, 0);
    assert_int_equal(scan.graph.n_uncontrolled, 2);
    dvt_scan_free(&scan);
}

static void longer_chains_and_their_pieces_are_all_visited(void **state)
{
    (void)state;
    seen s;
    dv_pipeline scan;
    search("id,date,shipper_id,consignee_id,item,quantity\n"
           "S1,2024-03-01,A,B,3A981,10\n"
           "S2,2024-03-05,B,D,3A981,10\n"
           "S3,2024-03-09,D,C,3A981,10\n",
           120, 6, &s, &scan);
    assert_int_equal(s.n, 3);
    assert_true(has(&s, "A>B>D"));
    assert_true(has(&s, "B>D>C"));
    assert_true(has(&s, "A>B>D>C"));
    dvt_scan_free(&scan);
}

static void max_hops_limits_the_chain(void **state)
{
    (void)state;
    seen s;
    dv_pipeline scan;
    search("id,date,shipper_id,consignee_id,item,quantity\n"
           "S1,2024-03-01,A,B,3A981,10\n"
           "S2,2024-03-05,B,D,3A981,10\n"
           "S3,2024-03-09,D,C,3A981,10\n",
           120, 2, &s, &scan);
    assert_int_equal(s.n, 2);
    assert_false(has(&s, "A>B>D>C"));
    dvt_scan_free(&scan);
}

static void cycles_do_not_revisit_an_entity(void **state)
{
    (void)state;
    seen s;
    dv_pipeline scan;
    search("id,date,shipper_id,consignee_id,item,quantity\n"
           "S1,2024-03-01,A,B,3A981,10\n"
           "S2,2024-03-02,B,A,3A981,10\n"
           "S3,2024-03-03,A,B,3A981,10\n",
           120, 6, &s, &scan);
    /* A>B>A is not simple; B>A>B neither */
    assert_int_equal(s.n, 0);
    dvt_scan_free(&scan);
}

/* A later inbound cannot feed an earlier outbound: the feasible set of the
 * first hop keeps only shipments with a successor. */
static void feasible_sets_keep_only_shipments_of_full_realisations(void **state)
{
    (void)state;
    dv_pipeline scan;
    seen s;
    search("id,date,shipper_id,consignee_id,item,quantity\n"
           "S1,2024-01-01,A,B,3A981,10\n"   /* too early for S4 with a 30-day window */
           "S2,2024-03-01,A,B,3A981,10\n"
           "S3,2024-04-20,A,B,3A981,10\n"   /* after S4 */
           "S4,2024-03-15,B,C,3A981,10\n"
           "S5,2024-06-30,B,C,3A981,10\n",  /* nothing inbound within 30 days before */
           30, 6, &s, &scan);
    const dv_item_graph *ig = &scan.graph.items[0];
    uint32_t path[3] = {dv_entity_find(&scan.ds, "A"), dv_entity_find(&scan.ds, "B"),
                        dv_entity_find(&scan.ds, "C")};
    uint32_t fbuf[16], ebuf[16];
    dv_hopsets fwd, feasible;
    assert_int_equal(dv_route_forward(&scan.ds, ig, 30, path, 2, &fwd, fbuf), 1);
    assert_int_equal(fwd.n[0], 3);
    assert_int_equal(fwd.n[1], 1); /* S4 only: S5 has no inbound within 30 days */
    dv_route_feasible(&scan.ds, 30, &fwd, &feasible, ebuf);
    assert_int_equal(feasible.n[0], 1);
    assert_string_equal(scan.ds.shipments[feasible.ship[0][0]].id, "S2");
    assert_string_equal(scan.ds.shipments[feasible.ship[1][0]].id, "S4");
    dvt_scan_free(&scan);
}

static void examples_are_earliest_first_and_capped(void **state)
{
    (void)state;
    dv_pipeline scan;
    seen s;
    search("id,date,shipper_id,consignee_id,item,quantity\n"
           "S1,2024-03-02,A,B,3A981,10\n"
           "S2,2024-03-01,A,B,3A981,10\n"
           "S3,2024-03-10,B,C,3A981,10\n"
           "S4,2024-03-05,B,C,3A981,10\n",
           120, 6, &s, &scan);
    const dv_item_graph *ig = &scan.graph.items[0];
    uint32_t path[3] = {dv_entity_find(&scan.ds, "A"), dv_entity_find(&scan.ds, "B"),
                        dv_entity_find(&scan.ds, "C")};
    uint32_t fbuf[16], ebuf[16], ex[16];
    dv_hopsets fwd, feasible;
    assert_int_equal(dv_route_forward(&scan.ds, ig, 120, path, 2, &fwd, fbuf), 1);
    dv_route_feasible(&scan.ds, 120, &fwd, &feasible, ebuf);
    size_t n = dv_route_examples(&scan.ds, 120, &feasible, 3, ex);
    assert_int_equal(n, 3);
    const char *expect[3][2] = {{"S2", "S4"}, {"S2", "S3"}, {"S1", "S4"}};
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(scan.ds.shipments[ex[2 * i]].id, expect[i][0]);
        assert_string_equal(scan.ds.shipments[ex[2 * i + 1]].id, expect[i][1]);
    }
    dvt_scan_free(&scan);
}

/* A transit only counts as weak when its country is not the origin's (a
 * third-country transit): a search from inside a ring of parties of one
 * weak country does not walk the ring for chains that can never be
 * flagged (issue #11: 18 such parties spent the whole chain budget). */
static void weak_transits_of_the_origins_own_country_do_not_keep_a_branch(void **state)
{
    (void)state;
    char *dir = dvt_dataset(
        "entities.csv",
        "id,name,role,country\nA,Alpha,manufacturer,DE\nB,Beta,intermediary,AE\n"
        "B2,Beta Two,intermediary,AE\nK,Kappa,intermediary,KZ\nR,Rho,end_user,RU\n",
        "shipments.csv",
        "id,date,shipper_id,consignee_id,item,quantity\n"
        "S1,2024-03-01,A,B,3A981,1\nS2,2024-03-02,B,B2,3A981,1\nS3,2024-03-03,B2,R,3A981,1\n"
        "S4,2024-03-02,B,K,3A981,1\nS5,2024-03-03,K,R,3A981,1\n",
        "countries.csv", dvt_countries_csv, "items.csv", dvt_items_csv, NULL);
    dv_config cfg;
    dv_config_defaults(&cfg);
    cfg.max_hops = 3;
    dv_pipeline scan;
    dvt_scan_run(&scan, dir, &cfg);
    dvt_remove(dir);
    const dv_dataset *ds = &scan.ds;
    size_t ne = ds->n_entities;
    bool *weak = dv_xcalloc(ne, sizeof *weak);
    dv_weak_reach reach = {dv_xmalloc(ne), dv_xmalloc(ne), dv_xmalloc(ne * 2), dv_xmalloc(ne * 2)};
    weak[dv_entity_find(ds, "B")] = weak[dv_entity_find(ds, "B2")] = weak[dv_entity_find(ds, "K")] = true;
    const dv_item_graph *ig = &scan.graph.items[0];
    dv_route_weak_reach(ds, ig, weak, cfg.max_hops, &reach);
    uint32_t a = dv_entity_find(ds, "A"), b = dv_entity_find(ds, "B"), b2 = dv_entity_find(ds, "B2");
    assert_int_equal(reach.d1[b2], 0);
    assert_int_equal(reach.d2[b2], DV_ROUTE_FAR); /* only AE within reach */
    assert_int_equal(reach.d1[b], 0);
    assert_int_equal(reach.d2[b], 1);              /* K, in KZ */
    assert_int_equal(reach.d1[a], 1);
    assert_int_equal(reach.d2[a], 2);
    seen found;
    memset(&found, 0, sizeof found);
    found.ds = ds;
    dv_route_prune prune = {NULL, weak, &reach};
    dv_route_search(ds, ig, cfg.window_days, cfg.max_hops, &prune, collect_free, &found, NULL);
    assert_true(has(&found, "B>K>R"));
    assert_false(has(&found, "B>B2>R"));  /* B2 is in B's country */
    assert_true(has(&found, "A>B>B2>R")); /* from A, B and B2 are third-country */
    free(weak);
    free(reach.d1);
    free(reach.d2);
    free(reach.c1);
    free(reach.c2);
    dvt_scan_free(&scan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(weak_transits_of_the_origins_own_country_do_not_keep_a_branch),
        cmocka_unit_test(igraph_view_holds_every_shipment_as_an_edge),
        cmocka_unit_test(branches_without_a_possible_weak_transit_are_pruned),
        cmocka_unit_test(realises_two_hops_in_date_order),
        cmocka_unit_test(same_day_counts_and_window_is_inclusive),
        cmocka_unit_test(rejects_time_inverted_and_late_legs),
        cmocka_unit_test(item_entries_do_not_mix),
        cmocka_unit_test(uncontrolled_items_are_not_searched),
        cmocka_unit_test(longer_chains_and_their_pieces_are_all_visited),
        cmocka_unit_test(max_hops_limits_the_chain),
        cmocka_unit_test(cycles_do_not_revisit_an_entity),
        cmocka_unit_test(feasible_sets_keep_only_shipments_of_full_realisations),
        cmocka_unit_test(examples_are_earliest_first_and_capped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
