/*
 * cmd_stats.c: divert stats DATASET [--by month|quarter|year]
 * [--item CODE] [--baseline FROM:TO] [--out DIR]: the researchers'
 * statistics (stats.h, docs/research.md), committed into --out as one
 * output set (corridors.csv, brokers.csv, communities.csv, trends.csv,
 * stats.json). With --publish, the set holds corridors.csv and trends.csv
 * of the published cells (publish.h) and publish.json, and the run
 * removes brokers.csv, communities.csv and stats.json from --out.
 *
 * The pipeline runs up to detection, as a scan does (the alerts are what
 * brokers and communities count); with --item, the graph and detection
 * cover that item entry alone, whose alerts are the scan's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "divert/cli.h"
#include "divert/investigate.h"
#include "divert/msgs.h"
#include "divert/outdir.h"
#include "divert/publish.h"
#include "divert/stats.h"

/* The options that need no dataset; 0 or DV_EXIT_INPUT. */
static int check_options(const dv_invocation *inv, dv_stats_options *opt, unsigned *k)
{
    *k = DV_PUBLISH_K_DEFAULT;
    if (inv->k) {
        const char *s = inv->k;
        size_t n = strspn(s, "0123456789");
        unsigned long v = n && !s[n] && n <= 4 ? strtoul(s, NULL, 10) : 0;
        if (v < DV_PUBLISH_K_MIN || v > DV_PUBLISH_K_MAX) {
            dv_msg("stats: --k \"%s\" is not a whole number from %d to %d", s, DV_PUBLISH_K_MIN,
                   DV_PUBLISH_K_MAX);
            return DV_EXIT_INPUT;
        }
        if (!inv->publish) {
            dv_msg("stats: --k needs --publish");
            return DV_EXIT_INPUT;
        }
        *k = (unsigned)v;
    }
    opt->by = DV_BY_MONTH;
    opt->item = DV_NONE;
    if (inv->period && !dv_stats_parse_by(inv->period, &opt->by)) {
        dv_msg("stats: --by \"%s\": the period is month, quarter or year", inv->period);
        return DV_EXIT_INPUT;
    }
    if (inv->baseline) {
        const char *why = "";
        if (!dv_stats_parse_baseline(inv->baseline, &opt->baseline_from, &opt->baseline_to,
                                     &why)) {
            dv_msg("stats: --baseline \"%s\": %s (e.g. --baseline 2017-01:2021-12)",
                   inv->baseline, why);
            return DV_EXIT_INPUT;
        }
        opt->has_baseline = true;
    }
    return 0;
}

int dv_cmd_stats(dv_invocation *inv)
{
    dv_stats_options opt = {0};
    unsigned k = 0;
    int rc = check_options(inv, &opt, &k);
    if (rc) return rc;
    dv_outdir out;
    dv_term_progress tp;
    dv_pipeline p;
    rc = dv_cmd_start(inv, &p, &tp, &out);
    if (rc) return rc;
    dv_error err = {0, ""};
    dv_stats st = {0};
    dv_publish pub = {0};
    bool *only = NULL;
    /* the load on its own first: a first run that stops at the screening
     * loads no shipments */
    rc = dv_pipeline_run(&p, inv->args[0], DV_STAGE_LOAD, &err);
    if (!rc) rc = dv_pipeline_run(&p, inv->args[0], DV_STAGE_SCREEN, &err);
    if (rc) {
        dv_msg("%s", err.msg);
        goto done;
    }
    if (inv->item) {
        opt.item = dv_inv_item("stats", &p.ds, inv->item);
        if (opt.item == DV_NONE) {
            rc = DV_EXIT_INPUT;
            goto done;
        }
        only = dv_xcalloc(p.ds.n_items, sizeof *only);
        only[opt.item] = true;
        p.only_items = only;
    }
    rc = dv_pipeline_run(&p, inv->args[0], DV_STAGE_DETECT, &err);
    if (!rc) rc = dv_stats_compute(&p, &opt, &st, &err);
    if (!rc && inv->publish) {
        dv_publish_compute(&st, k, &pub);
        st.publish = &pub;
    }
    if (!rc) {
        p.stats = &st;
        rc = dv_outdir_commit(&out, &dv_output_sets[DV_OUTPUTS_STATS], &p, &err);
    }
    if (rc) {
        dv_msg("%s", err.msg);
        goto done;
    }
    {
        /* said even with --quiet: those rows count nowhere */
        long read, loaded, rejected;
        dv_table_counts(NULL, &p.ds, &read, &loaded, &rejected);
        if (rejected) {
            dv_msg("%ld row%s rejected and not counted:", rejected,
                   rejected == 1 ? " was" : "s were");
            dv_print_rejects(&p.ds, 20);
        }
    }
    /* said even with --quiet: the figures of these item entries are partial */
    for (size_t i = 0; i < st.n_partial; i++)
        dv_msg("stats: item %s reached chain_budget (%zu chains): its figures are partial",
               p.ds.items[st.partial[i].item].code, p.cfg.chain_budget);
    if (st.betweenness_sources < st.n_brokers)
        dv_msg("stats: betweenness estimated from %zu of %zu parties as sources (the graph is "
               "too large for the exact measure): the first ranks hold, the others are rough "
               "(docs/research.md)",
               st.betweenness_sources, st.n_brokers);
    if (!inv->quiet && inv->publish) {
        const dv_pub_tally *c = &pub.corridor_tally, *t = &pub.trend_tally;
        dv_buf b = {0};
        dv_buf_printf(&b,
                      "divert: published with k = %u: corridor cells %zu of %zu as they are, "
                      "%zu merged into \"other\", %zu suppressed; trend cells %zu of %zu, %zu "
                      "merged, %zu suppressed. Results in %s/corridors.csv, trends.csv, "
                      "publish.json",
                      k, c->published, c->cells, c->merged, c->suppressed, t->published, t->cells,
                      t->merged, t->suppressed, out.path);
        dv_buf_printf(&b, ". %.1f s.", dv_pipeline_seconds(&p));
        dv_print_wrapped(stdout, b.data, 78);
        dv_buf_free(&b);
    } else if (!inv->quiet) {
        dv_buf b = {0};
        dv_buf_printf(&b,
                      "divert: %llu realised chain%s, in %llu chain-period%s (%llu flagged); "
                      "%zu corridor row%s, %zu part%s, %zu communit%s. Results in %s/",
                      st.chains, st.chains == 1 ? "" : "s", st.chain_periods,
                      st.chain_periods == 1 ? "" : "s", st.flagged, st.n_corridors,
                      st.n_corridors == 1 ? "" : "s", st.n_brokers,
                      st.n_brokers == 1 ? "y" : "ies", st.n_communities,
                      st.n_communities == 1 ? "y" : "ies", out.path);
        dv_output_names(&dv_output_sets[DV_OUTPUTS_STATS], NULL, ", ", &b);
        dv_buf_printf(&b, ". %.1f s.", dv_pipeline_seconds(&p));
        dv_print_wrapped(stdout, b.data, 78);
        dv_buf_free(&b);
    }

done:
    dv_outdir_close(&out);
    p.stats = NULL;
    st.publish = NULL;
    dv_publish_free(&pub);
    dv_stats_free(&st);
    p.only_items = NULL;
    free(only);
    dv_pipeline_free(&p);
    return rc;
}
