/*
 * cmd_screen.c: divert screen DATASET: load the entities and the lists,
 * screen, commit matches.csv into --out, and say what was found. With
 * --state, the pairs an analyst cleared as not a match in the case store
 * are left out, as a scan leaves them out (cases.h).
 */
#include <stdio.h>

#include "divert/cases.h"
#include "divert/cli.h"
#include "divert/msgs.h"
#include "divert/outdir.h"

int dv_cmd_screen(dv_invocation *inv)
{
    dv_outdir out;
    dv_term_progress tp;
    dv_pipeline p;
    int rc = dv_cmd_start(inv, &p, &tp, &out);
    if (rc) return rc;
    dv_error err = {0, ""};
    dv_store *store = NULL;
    dv_cases cases = {0};
    p.review_band = true; /* matches.csv shows the review band too */
    if (inv->state) { /* read only the decisions: a screening records no run */
        store = dv_store_open(inv->state, false, &err);
        if (store && inv->no_wait) dv_store_set_wait(store, 0);
        rc = store ? dv_cases_prepare(&cases, store, &err) : err.code;
        p.drop_match = dv_cases_cleared;
        p.drop_ctx = &cases;
    }
    /* a run that ends with the screening loads no shipments */
    if (!rc) rc = dv_pipeline_run(&p, inv->args[0], DV_STAGE_SCREEN, &err);
    if (!rc && !p.ds.n_lists)
        rc = dv_fail(&err, DV_EXIT_INPUT,
                     "%s: no watchlist.csv or watchlist*.csv (or .csv.gz): nothing to screen against",
                     p.ds.dir);
    if (!rc) rc = dv_outdir_commit(&out, &dv_output_sets[DV_OUTPUTS_SCREEN], &p, &err);
    if (rc) {
        dv_msg("%s", err.msg);
    } else {
        /* said even with --quiet: those rows were not screened */
        long read, loaded, rejected;
        dv_table_counts(NULL, &p.ds, &read, &loaded, &rejected);
        if (rejected) {
            dv_msg("%ld row%s rejected and not screened:", rejected, rejected == 1 ? " was" : "s were");
            dv_print_rejects(&p.ds, 20);
        }
        dv_print_skipped(&p.ds);
    }
    if (!rc && !inv->quiet) {
        const dv_dataset *ds = &p.ds;
        size_t names = 0, matched = dv_screening_matched(&p.screening, ds->n_entities);
        size_t n = 0, review = 0;
        for (size_t i = 0; i < p.screening.all.n; i++)
            *(dv_match_in_review(&p.screening, &p.screening.all.m[i]) ? &review : &n) += 1;
        for (size_t i = 0; i < ds->n_watch; i++) names += 1 + ds->watchlist[i].naliases;
        dv_buf b = {0};
        dv_buf_printf(&b,
                      "divert: screened %zu entit%s against %zu watchlist entr%s (%zu names): "
                      "%zu match%s at %.2f or more, %zu entit%s matched",
                      ds->n_entities, ds->n_entities == 1 ? "y" : "ies", ds->n_watch,
                      ds->n_watch == 1 ? "y" : "ies", names, n, n == 1 ? "" : "es",
                      p.cfg.screen_threshold, matched, matched == 1 ? "y" : "ies");
        if (p.cfg.screen_review_from < p.cfg.screen_threshold)
            dv_buf_printf(&b, "; %zu pair%s to review (%.2f to %.2f)", review,
                          review == 1 ? "" : "s", p.cfg.screen_review_from, p.cfg.screen_threshold);
        dv_buf_printf(&b, ". Results in %s/", out.path);
        dv_output_names(&dv_output_sets[DV_OUTPUTS_SCREEN], NULL, ", ", &b);
        const dv_screen_stats *ss = &p.screening.stats;
        if (p.screening.dropped.n)
            dv_buf_printf(&b, ". %zu match%s cleared by analysts as not a match (%s) left out",
                          p.screening.dropped.n, p.screening.dropped.n == 1 ? "" : "es",
                          inv->state);
        if (ss->names_capped)
            dv_buf_printf(&b, ". %llu entity name%s reached the bounds on candidates: %llu "
                              "candidates not gathered, %llu not scored (docs/screening.md)",
                          (unsigned long long)ss->names_capped, ss->names_capped == 1 ? "" : "s",
                          (unsigned long long)ss->ungathered, (unsigned long long)ss->unscored);
        dv_buf_printf(&b, ". %.1f s.", dv_pipeline_seconds(&p));
        dv_print_wrapped(stdout, b.data, 78);
        dv_buf_free(&b);
    }
    dv_outdir_close(&out);
    dv_pipeline_free(&p);
    dv_cases_free(&cases);
    dv_store_close(store);
    return rc;
}
