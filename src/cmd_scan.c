/*
 * cmd_scan.c: divert scan DATASET: every stage of the pipeline, the
 * scan's output set committed into --out, a closing summary, and the exit
 * code of --strict and --fail-on (SPEC 7).
 */
#include <stdio.h>

#include "divert/cases.h"
#include "divert/cli.h"
#include "divert/msgs.h"
#include "divert/outdir.h"

/* The closing summary: what was read, searched and found, in a paragraph. */
static void print_summary(const dv_pipeline *p, const char *out)
{
    const dv_dataset *ds = &p->ds;
    const dv_result *r = &p->result;
    long read, loaded, rejected;
    dv_table_counts(NULL, ds, &read, &loaded, &rejected);
    bool ref_countries = ds->tables[DV_T_COUNTRIES].reference, ref_items = ds->tables[DV_T_ITEMS].reference;
    const char *refs = ref_countries && ref_items ? " (with the reference countries and items)"
                       : ref_countries            ? " (with the reference countries)"
                       : ref_items                ? " (with the reference items)"
                                                  : "";
    dv_buf b = {0};
    dv_buf_printf(&b, "divert: scanned %s%s: %ld rows read, %ld loaded, %ld rejected%s. ", ds->dir,
                  refs, read, loaded, rejected, rejected ? " (see rejects.csv)" : "");
    dv_buf_printf(&b, "%zu shipment%s, %zu of controlled items", ds->n_shipments,
                  ds->n_shipments == 1 ? "" : "s", p->graph.n_controlled);
    if (p->graph.n_human_rights_only)
        dv_buf_printf(&b, " and %zu of unlisted items marked human_rights",
                      p->graph.n_human_rights_only);
    dv_buf_printf(&b, " in %zu item entr%s; %llu realised chain%s examined, %llu flagged. ",
                  p->graph.n_items, p->graph.n_items == 1 ? "y" : "ies", r->chains_visited,
                  r->chains_visited == 1 ? "" : "s", r->chains_flagged);
    if (ds->n_unknown_licence_refs)
        dv_buf_printf(&b, "%zu shipment%s cite%s a licence that licenses.csv does not hold. ",
                      ds->n_unknown_licence_refs, ds->n_unknown_licence_refs == 1 ? "" : "s",
                      ds->n_unknown_licence_refs == 1 ? "s" : "");
    dv_buf_printf(&b, "%zu alert%s: ", r->n_alerts, r->n_alerts == 1 ? "" : "s");
    for (int sev = DV_SEV_COUNT - 1; sev >= 0; sev--)
        dv_buf_printf(&b, "%zu %s%s", r->by_severity[sev], dv_severity_names[sev], sev ? ", " : "");
    if (r->n_alerts)
        dv_buf_printf(&b, "; by review track %zu priority, %zu expedited, %zu standard",
                      r->by_track[DV_TRACK_PRIORITY], r->by_track[DV_TRACK_EXPEDITED],
                      r->by_track[DV_TRACK_STANDARD]);
    dv_buf_puts(&b, ". ");
    for (size_t i = 0; i < r->n_partial; i++) {
        const dv_partial *pt = &r->partial[i];
        dv_buf_printf(&b, "Item entry %s is partial: ", ds->items[pt->item].code);
        if (pt->chains_cut) dv_buf_printf(&b, "the search stopped at %llu chains", pt->chains);
        if (pt->chains_cut && pt->kept < pt->found) dv_buf_puts(&b, ", and ");
        if (pt->kept < pt->found) dv_buf_printf(&b, "%zu of %zu alerts are kept", pt->kept, pt->found);
        if (pt->n_group > 1)
            dv_buf_printf(&b, "; %zu parties trade it densely among themselves (see summary.json)",
                          pt->n_group);
        dv_buf_puts(&b, ". ");
    }
    const dv_screen_stats *ss = &p->screening.stats;
    if (ss->names_capped)
        dv_buf_printf(&b, "Screening: %llu entity name%s reached the bounds on candidates (see "
                          "summary.json). ",
                      (unsigned long long)ss->names_capped, ss->names_capped == 1 ? "" : "s");
    const dv_cases *c = p->cases;
    if (c && c->on) {
        dv_buf_printf(&b, "Case store run %lld: %zu new, %zu reopened, %zu resolved", c->run_id,
                      c->by_change[DV_CHANGE_NEW], c->by_change[DV_CHANGE_REOPENED],
                      c->by_change[DV_CHANGE_RESOLVED]);
        dv_buf_printf(&b, "; %zu open, %zu dismissed, %zu escalated. ", c->by_status[DV_CASE_OPEN],
                      c->by_status[DV_CASE_DISMISSED], c->by_status[DV_CASE_ESCALATED]);
        if (c->n_list_changes)
            dv_buf_printf(&b,
                          "Watchlists: %zu entr%s added, %zu removed; %zu match%s added, %zu "
                          "gone. ",
                          c->by_list_change[DV_LIST_ENTRY_ADDED],
                          c->by_list_change[DV_LIST_ENTRY_ADDED] == 1 ? "y" : "ies",
                          c->by_list_change[DV_LIST_ENTRY_REMOVED],
                          c->by_list_change[DV_LIST_MATCH_ADDED],
                          c->by_list_change[DV_LIST_MATCH_ADDED] == 1 ? "" : "es",
                          c->by_list_change[DV_LIST_MATCH_REMOVED]);
        if (p->screening.dropped.n)
            dv_buf_printf(&b, "%zu watchlist match%s cleared by analysts as not a match left out. ",
                          p->screening.dropped.n, p->screening.dropped.n == 1 ? "" : "es");
    }
    dv_buf_printf(&b, "Results in %s/ (", out);
    const dv_output_set *set = &dv_output_sets[DV_OUTPUTS_SCAN];
    for (size_t i = 0, shown = 0; i < set->n; i++) /* those this run wrote */
        if (!set->files[i].left_out || !set->files[i].left_out(p))
            dv_buf_printf(&b, "%s%s", shown++ ? ", " : "", set->files[i].name);
    dv_buf_puts(&b, "). ");
    double secs = dv_pipeline_seconds(p);
    if (secs < 1) dv_buf_printf(&b, "%.0f ms.", secs * 1000);
    else dv_buf_printf(&b, "%.1f s.", secs);
    dv_print_wrapped(stdout, b.data, 78);
    dv_buf_free(&b);
}

int dv_cmd_scan(dv_invocation *inv)
{
    if (inv->fail_on_new && !inv->state) {
        dv_msg("--fail-on-new needs --state FILE: what is new is what the case store has not seen");
        return DV_EXIT_INPUT;
    }
    dv_outdir out;
    dv_term_progress tp;
    dv_pipeline p;
    int rc = dv_cmd_start(inv, &p, &tp, &out);
    if (rc) return rc;
    dv_error err = {0, ""};
    dv_store *store = NULL;
    dv_cases cases = {0};
    if (inv->state) { /* before the load: a bad store fails at once */
        store = dv_store_open(inv->state, true, &err);
        if (store && inv->no_wait) dv_store_set_wait(store, 0);
        rc = store ? dv_cases_prepare(&cases, store, &err) : err.code;
        p.drop_match = dv_cases_cleared;
        p.drop_ctx = &cases;
        p.cases = &cases;
        p.checksums = true;
    }
    if (!rc) rc = dv_pipeline_run(&p, inv->args[0], DV_STAGE_DETECT, &err);
    /* the store's transaction spans the commit of the outputs and ends
     * after it: a scan killed in between leaves the store as it was */
    if (!rc && store && !(rc = dv_store_begin(store, &err)))
        rc = dv_cases_record(&cases, store, &p, out.path, &err);
    if (!rc) rc = dv_outdir_commit(&out, &dv_output_sets[DV_OUTPUTS_SCAN], &p, &err);
    if (store) {
        if (!rc) rc = dv_store_commit(store, &err);
        else dv_store_rollback(store);
    }
    if (rc) {
        dv_msg("%s", err.msg);
    } else {
        if (!inv->quiet) print_summary(&p, out.path);
        long read, loaded, rejected;
        dv_table_counts(NULL, &p.ds, &read, &loaded, &rejected);
        size_t partial = p.result.n_partial;
        if (p.cfg.strict && rejected) {
            dv_msg("%ld row%s rejected and --strict is set (see %s/rejects.csv)", rejected,
                   rejected == 1 ? "" : "s", out.path);
            rc = DV_EXIT_INPUT;
        } else if (p.cfg.strict && partial) {
            dv_msg("%zu item entr%s reached a budget (partial results) and --strict is set (see "
                   "%s/summary.json)",
                   partial, partial == 1 ? "y" : "ies", out.path);
            rc = DV_EXIT_INPUT;
        } else if (inv->fail_on_new) { /* news only; without --fail-on, any score */
            int at = p.cfg.fail_on >= 0 ? p.cfg.fail_on : 0;
            for (size_t i = 0; i < p.result.n_alerts; i++)
                if (p.result.alerts[i].score >= at &&
                    (cases.status[i] == DV_CASE_NEW || cases.status[i] == DV_CASE_REOPENED))
                    rc = DV_EXIT_ALERT;
        } else if (p.cfg.fail_on >= 0) {
            for (size_t i = 0; i < p.result.n_alerts; i++)
                if (p.result.alerts[i].score >= p.cfg.fail_on) rc = DV_EXIT_ALERT;
        }
    }
    dv_outdir_close(&out);
    dv_pipeline_free(&p);
    dv_cases_free(&cases);
    dv_store_close(store);
    return rc;
}
