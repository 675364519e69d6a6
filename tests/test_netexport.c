/*
 * test_netexport.c: the network exports (netexport.h): the text the XML
 * and DOT writers are handed, which links a capped neighbourhood keeps,
 * what --flagged-only selects, and the keyed pseudonyms (pseudonym.h) and
 * their key files.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "divert/netexport.h"
#include "divert/pseudonym.h"
#include "support.h"

/* ---- dv_net_text ---- */

static void net_text_makes_what_xml_and_dot_accept(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"", ""},
        {"plain", "plain"},
        /* the writers escape these themselves */
        {"A <b> & \"c\" 'd' \\e", "A <b> & \"c\" 'd' \\e"},
        {"two\nlines", "two\nlines"},
        {"tab\there", "tab\there"},
        {"dos\r\nline", "dos\nline"},
        {"old\rmac", "old\nmac"},
        {"bell\x07 esc\x1b", "bell\xEF\xBF\xBD esc\xEF\xBF\xBD"},
        {"bad \xff byte", "bad \xEF\xBF\xBD byte"},
        {"cut \xC3", "cut \xEF\xBF\xBD"},
        {"nonchar \xEF\xBF\xBE \xEF\xBF\xBF", "nonchar \xEF\xBF\xBD \xEF\xBF\xBD"},
        {"Biom\xC3\xA9trie \xE2\x80\x94 ok", "Biom\xC3\xA9trie \xE2\x80\x94 ok"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        dv_buf b = {0};
        dv_net_text(cases[i].in, &b);
        assert_non_null(b.data);
        if (strcmp(b.data, cases[i].out) != 0)
            fail_msg("case %zu: \"%s\" gave \"%s\", expected \"%s\"", i, cases[i].in, b.data,
                     cases[i].out);
        dv_buf_free(&b);
    }
}

/* ---- selections ---- */

static const char *entities =
    "id,name,role,country,address\n"
    "A,Alpha Handel GmbH,distributor,DE,\"Hafenstr. 1, Hamburg\"\n"
    "B,Beta Handel GmbH,distributor,DE,\n"
    "C,Gamma Handel GmbH,distributor,DE,\n"
    "H,Hub Trading FZE,intermediary,AE,\"Office 9, Dubai\"\n"
    "M,Maker GmbH,manufacturer,DE,\n"
    "R,Securtech,end_user,RU,\n";

/* H receives a controlled item from M and ships it on to Russia (an
 * alert, small values), and trades much more with A, B and C. */
static const char *shipments =
    "id,date,shipper_id,consignee_id,item,quantity,value\n"
    "S1,2024-03-01,M,H,3A981,10,10\n"
    "S2,2024-03-10,H,R,3A981,10,10\n"
    "S3,2024-04-01,H,A,3A981,5,900000\n"
    "S4,2024-04-01,H,B,3A981,5,700000\n"
    "S5,2024-04-02,C,H,3A981,5,700000\n";

static void scan_hub(dv_pipeline *scan)
{
    char *dir = dvt_dataset("entities.csv", entities, "shipments.csv", shipments, "countries.csv",
                            dvt_countries_csv, "items.csv", dvt_items_csv, NULL);
    dvt_scan_run(scan, dir, NULL);
    dvt_remove(dir);
}

static const char *node_id(const dv_net *net, size_t i)
{
    return net->p->ds.entities[net->nodes[i]].id;
}

static void capped_neighbourhood_keeps_alert_links_first_then_value_then_id(void **state)
{
    (void)state;
    dv_pipeline scan;
    scan_hub(&scan);
    assert_true(scan.result.n_alerts >= 1);
    dv_net net;
    dv_net_query q = {.item = DV_NONE, .centre = dv_entity_find(&scan.ds, "H"), .hops = 1,
                      .max_neighbours = 3};
    dv_net_select(&net, &scan, &q);
    /* M and R carry the alert; of A, B, C, A has the highest value, and B
     * and C tie on value: by id, B */
    assert_int_equal(net.n_nodes, 4);
    const char *want[] = {"A", "H", "M", "R"};
    for (size_t i = 0; i < 4; i++) assert_string_equal(node_id(&net, i), want[i]);
    assert_int_equal(net.more[1], 2); /* H: B and C left out */
    assert_int_equal(net.more[0], 0); /* A trades with H alone */
    assert_int_equal(net.n_edges, 3);
    dv_net_free(&net);

    q.max_neighbours = 4;
    dv_net_select(&net, &scan, &q);
    assert_int_equal(net.n_nodes, 5);
    assert_string_equal(node_id(&net, 1), "B");
    assert_int_equal(net.more[2], 1); /* H: C */
    dv_net_free(&net);
    dvt_scan_free(&scan);
}

static void two_hops_reach_the_counterparties_of_counterparties(void **state)
{
    (void)state;
    dv_pipeline scan;
    scan_hub(&scan);
    dv_net net;
    dv_net_query q = {.item = DV_NONE, .centre = dv_entity_find(&scan.ds, "M"), .hops = 1,
                      .max_neighbours = 25};
    dv_net_select(&net, &scan, &q);
    assert_int_equal(net.n_nodes, 2);
    assert_int_equal(net.n_edges, 1);
    /* H, at the edge, has four counterparties the graph does not show */
    assert_string_equal(node_id(&net, 0), "H");
    assert_int_equal(net.more[0], 4);
    dv_net_free(&net);
    q.hops = 2;
    dv_net_select(&net, &scan, &q);
    assert_int_equal(net.n_nodes, 6);
    assert_int_equal(net.n_edges, 5);
    dv_net_free(&net);
    dvt_scan_free(&scan);
}

static void flagged_only_keeps_the_evidence_and_its_parties(void **state)
{
    (void)state;
    dv_pipeline scan;
    scan_hub(&scan);
    dv_net net;
    dv_net_query q = {.item = DV_NONE, .centre = DV_NONE, .flagged_only = true};
    dv_net_select(&net, &scan, &q);
    assert_int_equal(net.n_edges, 2);
    assert_string_equal(scan.ds.shipments[net.edges[0]].id, "S1");
    assert_string_equal(scan.ds.shipments[net.edges[1]].id, "S2");
    assert_int_equal(net.n_nodes, 3);
    dv_net_free(&net);
    q.flagged_only = false;
    dv_net_select(&net, &scan, &q);
    assert_int_equal(net.n_edges, 5);
    assert_int_equal(net.n_nodes, 6);
    dv_net_free(&net);
    dvt_scan_free(&scan);
}

static void dot_quotes_what_igraph_leaves_bare_and_graphviz_rejects(void **state)
{
    (void)state;
    dv_pipeline scan;
    char *dir = dvt_dataset("entities.csv", entities, "shipments.csv",
                            "id,date,shipper_id,consignee_id,item,quantity,value\n"
                            "S1,2024-03-01,M,H,8542.39.00,0.00001,1234567890123\n"
                            "S2,2024-03-02,M,H,3A981,2.5,\n",
                            "countries.csv", dvt_countries_csv, "items.csv", dvt_items_csv, NULL);
    dvt_scan_run(&scan, dir, NULL);
    dvt_remove(dir);
    dv_net net;
    dv_net_query q = {.item = DV_NONE, .centre = DV_NONE, .flagged_only = false};
    dv_net_select(&net, &scan, &q);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    dv_error err = {0, ""};
    assert_int_equal(dv_net_write(f, &net, DV_NET_DOT, NULL, &err), 0);
    fclose(f);
    /* an HS code is no number, and 1e-05 no DOT numeral */
    assert_non_null(strstr(text, "    item=\"8542.39.00\"\n"));
    assert_null(strstr(text, "=8542.39.00"));
    assert_non_null(strstr(text, "    quantity=\"1e-05\"\n"));
    /* numbers exact (igraph's own writer would print 1.23457e+12) */
    assert_non_null(strstr(text, "    value=1234567890123\n"));
    assert_non_null(strstr(text, "    value=\"\"\n")); /* S2 has none */
    /* what is bare and valid stays bare: a numeral, an identifier */
    assert_non_null(strstr(text, "    quantity=2.5\n"));
    assert_non_null(strstr(text, "    country=DE\n"));
    assert_non_null(strstr(text, "    weak=false\n"));
    free(text);
    dv_net_free(&net);
    dvt_scan_free(&scan);
}

/* ---- writing: failures and the file put in place ---- */

/* A full disk is the user's to fix (exit 2), in every format, with the
 * reason; not igraph's internal error (exit 3). */
static void a_full_disk_is_an_input_error_in_every_format(void **state)
{
    (void)state;
    FILE *probe = fopen("/dev/full", "w");
    if (!probe) skip();
    fclose(probe);
    dv_pipeline scan;
    scan_hub(&scan);
    dv_net net;
    dv_net_query q = {.item = DV_NONE, .centre = DV_NONE};
    dv_net_select(&net, &scan, &q);
    for (int fmt = 0; fmt < DV_NET_FORMAT_COUNT; fmt++) {
        FILE *f = fopen("/dev/full", "w");
        assert_non_null(f);
        dv_error err = {0, ""};
        int rc = dv_net_write(f, &net, (dv_net_format)fmt, NULL, &err);
        fclose(f);
        if (rc != DV_EXIT_INPUT || strcmp(err.msg, "cannot write: No space left on device") != 0)
            fail_msg("%s to /dev/full: exit %d, \"%s\"", dv_net_format_names[fmt], rc, err.msg);
    }
    dv_net_free(&net);
    dvt_scan_free(&scan);
}

static unsigned mode_of(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return (unsigned)(st.st_mode & 0777);
}

/* A replaced file keeps its permissions (a 0600 file stays private); a
 * new one gets the umask's default. */
static void out_file_keeps_the_mode_of_the_file_it_replaces(void **state)
{
    (void)state;
    dv_pipeline scan;
    scan_hub(&scan);
    dv_net net;
    dv_net_query q = {.item = DV_NONE, .centre = DV_NONE};
    dv_net_select(&net, &scan, &q);
    char *dir = dvt_dataset(NULL);
    char *path = dv_xasprintf("%s/net.json", dir);
    dvt_write(dir, "net.json", "x\n", 2);
    assert_int_equal(chmod(path, 0600), 0);
    dv_error err = {0, ""};
    mode_t old = umask(022);
    assert_int_equal(dv_net_write_file(path, &net, DV_NET_JSON, NULL, &err), 0);
    assert_int_equal(mode_of(path), 0600);
    assert_int_equal(chmod(path, 0640), 0);
    assert_int_equal(dv_net_write_file(path, &net, DV_NET_GRAPHML, NULL, &err), 0);
    assert_int_equal(mode_of(path), 0640);
    assert_int_equal(unlink(path), 0);
    umask(027);
    assert_int_equal(dv_net_write_file(path, &net, DV_NET_DOT, NULL, &err), 0);
    assert_int_equal(mode_of(path), 0640);
    umask(old);
    free(path);
    dvt_remove(dir);
    dv_net_free(&net);
    dvt_scan_free(&scan);
}

/* --out may not be a file the run reads: by name, by another spelling,
 * by a hard link; before the load (the dataset directory's table files)
 * and after it (the files the load read); the key file too. */
static void out_file_may_not_be_an_input(void **state)
{
    (void)state;
    char *dir = dvt_dataset("entities.csv", entities, "shipments.csv", shipments, "countries.csv",
                            dvt_countries_csv, "items.csv", dvt_items_csv, "watchlist-extra.csv",
                            "name,id\nNobody,W1\n", "notes.csv", "a\n", NULL);
    dv_pipeline scan;
    dvt_scan_run(&scan, dir, NULL);
    dv_error err = {0, ""};
    char *ents = dv_xasprintf("%s/entities.csv", dir);
    char *other = dv_xasprintf("%s/./shipments.csv", dir);
    char *list = dv_xasprintf("%s/watchlist-extra.csv", dir);
    char *hard = dv_xasprintf("%s/../%s-link.csv", dir, strrchr(dir, '/') + 1);
    char *notes = dv_xasprintf("%s/notes.csv", dir);
    char *fresh = dv_xasprintf("%s/new.graphml", dir);
    assert_int_equal(link(ents, hard), 0);
    const char *inputs[] = {ents, other, list, hard};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        assert_int_equal(dv_net_check_inputs(inputs[i], dir, NULL, NULL, &err), DV_EXIT_INPUT);
        assert_non_null(strstr(err.msg, "this run reads"));
        assert_int_equal(dv_net_check_inputs(inputs[i], NULL, &scan.ds, NULL, &err), DV_EXIT_INPUT);
    }
    assert_int_equal(dv_net_check_inputs(notes, dir, NULL, NULL, &err), 0);
    assert_int_equal(dv_net_check_inputs(notes, NULL, &scan.ds, NULL, &err), 0);
    assert_int_equal(dv_net_check_inputs(fresh, dir, NULL, NULL, &err), 0);
    assert_int_equal(dv_net_check_inputs(notes, dir, NULL, notes, &err), DV_EXIT_INPUT);
    unlink(hard);
    free(ents), free(other), free(list), free(hard), free(notes), free(fresh);
    dvt_scan_free(&scan);
    dvt_remove(dir);
}

/* ---- pseudonyms ---- */

static char *key_file(const char *dir, const char *name, size_t bytes)
{
    char *data = malloc(bytes + 1);
    for (size_t i = 0; i < bytes; i++) data[i] = (char)(i * 7 + 1);
    dvt_write(dir, name, data, bytes);
    free(data);
    char *path = malloc(strlen(dir) + strlen(name) + 2);
    sprintf(path, "%s/%s", dir, name);
    return path;
}

static void key_files_outside_16_to_64_bytes_are_refused(void **state)
{
    (void)state;
    char *dir = dvt_dataset(NULL);
    static const struct {
        size_t bytes;
        int status;
        const char *says;
    } cases[] = {
        {0, DV_EXIT_INPUT, "holds 0 bytes; a key is 16 to 64 bytes"},
        {15, DV_EXIT_INPUT, "holds 15 bytes; a key is 16 to 64 bytes"},
        {16, 0, NULL},
        {64, 0, NULL},
        {65, DV_EXIT_INPUT, "holds more than 64 bytes"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char name[16];
        snprintf(name, sizeof name, "key%zu", cases[i].bytes);
        char *path = key_file(dir, name, cases[i].bytes);
        dv_pseudonymizer ps;
        dv_error err = {0, ""};
        assert_int_equal(dv_pseudonymizer_load(&ps, path, &err), cases[i].status);
        if (cases[i].says && !strstr(err.msg, cases[i].says))
            fail_msg("%zu bytes: \"%s\" does not say \"%s\"", cases[i].bytes, err.msg, cases[i].says);
        if (!cases[i].says) assert_int_equal(ps.key_len, cases[i].bytes);
        dv_pseudonymizer_free(&ps);
        free(path);
    }
    char *missing = malloc(strlen(dir) + 16);
    sprintf(missing, "%s/no-such-key", dir);
    dv_pseudonymizer ps;
    dv_error err = {0, ""};
    assert_int_equal(dv_pseudonymizer_load(&ps, missing, &err), DV_EXIT_INPUT);
    assert_non_null(strstr(err.msg, "cannot open the key file"));
    assert_int_equal(dv_pseudonymizer_load(&ps, dir, &err), DV_EXIT_INPUT);
    assert_non_null(strstr(err.msg, "not a regular file"));
    free(missing);
    dvt_remove(dir);
}

static void pseudonyms_are_stable_per_key_and_kind(void **state)
{
    (void)state;
    char *dir = dvt_dataset(NULL);
    char *k1 = key_file(dir, "k1", 32);
    dvt_write(dir, "k2", "another key of 32 bytes, at last", 32);
    char *k2 = malloc(strlen(dir) + 4);
    sprintf(k2, "%s/k2", dir);
    dv_pseudonymizer a, b, c;
    dv_error err = {0, ""};
    assert_int_equal(dv_pseudonymizer_load(&a, k1, &err), 0);
    assert_int_equal(dv_pseudonymizer_load(&b, k1, &err), 0);
    assert_int_equal(dv_pseudonymizer_load(&c, k2, &err), 0);
    char pa[DV_PSEUDONYM_SIZE], pb[DV_PSEUDONYM_SIZE], pc[DV_PSEUDONYM_SIZE], pn[DV_PSEUDONYM_SIZE];
    dv_pseudonym(&a, DV_PSEUDO_ENTITY, "M-DE-LIVESCAN", pa);
    dv_pseudonym(&b, DV_PSEUDO_ENTITY, "M-DE-LIVESCAN", pb);
    dv_pseudonym(&c, DV_PSEUDO_ENTITY, "M-DE-LIVESCAN", pc);
    dv_pseudonym(&a, DV_PSEUDO_NAME, "M-DE-LIVESCAN", pn);
    assert_int_equal(strlen(pa), 18);
    assert_true(pa[0] == 'E' && pa[1] == '-');
    assert_int_equal(strspn(pa + 2, "0123456789abcdef"), 16);
    assert_string_equal(pa, pb);
    assert_string_not_equal(pa, pc);
    assert_true(pn[0] == 'N');
    assert_string_not_equal(pa + 2, pn + 2);
    dv_pseudonymizer_free(&a);
    dv_pseudonymizer_free(&b);
    dv_pseudonymizer_free(&c);
    free(k1);
    free(k2);
    dvt_remove(dir);
}

static void pseudonymised_json_holds_no_name_id_or_address(void **state)
{
    (void)state;
    dv_pipeline scan;
    scan_hub(&scan);
    char *dir = dvt_dataset(NULL);
    char *k = key_file(dir, "k", 32);
    dv_pseudonymizer ps;
    dv_error err = {0, ""};
    assert_int_equal(dv_pseudonymizer_load(&ps, k, &err), 0);
    dv_net net;
    dv_net_query q = {.item = DV_NONE, .centre = DV_NONE};
    dv_net_select(&net, &scan, &q);
    for (int fmt = 0; fmt < DV_NET_FORMAT_COUNT; fmt++) {
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        assert_int_equal(dv_net_write(f, &net, (dv_net_format)fmt, &ps, &err), 0);
        fclose(f);
        static const char *const secrets[] = {"Alpha", "Hub Trading", "Hafenstr", "Dubai",
                                              "Securtech", "\"S1\"", "\"H\"", "=H\n", ">H<"};
        for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++)
            if (strstr(text, secrets[i]))
                fail_msg("%s output holds %s", dv_net_format_names[fmt], secrets[i]);
        for (size_t i = 0; i < scan.result.n_alerts; i++)
            assert_null(strstr(text, scan.result.alerts[i].id));
        /* countries and items stay */
        assert_non_null(strstr(text, "AE"));
        assert_non_null(strstr(text, "3A981"));
        free(text);
    }
    dv_net_free(&net);
    dv_pseudonymizer_free(&ps);
    free(k);
    dvt_remove(dir);
    dvt_scan_free(&scan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(net_text_makes_what_xml_and_dot_accept),
        cmocka_unit_test(capped_neighbourhood_keeps_alert_links_first_then_value_then_id),
        cmocka_unit_test(two_hops_reach_the_counterparties_of_counterparties),
        cmocka_unit_test(flagged_only_keeps_the_evidence_and_its_parties),
        cmocka_unit_test(dot_quotes_what_igraph_leaves_bare_and_graphviz_rejects),
        cmocka_unit_test(a_full_disk_is_an_input_error_in_every_format),
        cmocka_unit_test(out_file_keeps_the_mode_of_the_file_it_replaces),
        cmocka_unit_test(out_file_may_not_be_an_input),
        cmocka_unit_test(key_files_outside_16_to_64_bytes_are_refused),
        cmocka_unit_test(pseudonyms_are_stable_per_key_and_kind),
        cmocka_unit_test(pseudonymised_json_holds_no_name_id_or_address),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
