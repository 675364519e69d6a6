/*
 * cmd_validate.c: divert validate DATASET: load only, list every rejected
 * row and the counts of each table, write nothing; exit 2 when any row is
 * rejected.
 */
#include <stdint.h>
#include <stdio.h>

#include "divert/cli.h"
#include "divert/msgs.h"

int dv_cmd_validate(dv_invocation *inv)
{
    dv_term_progress tp;
    dv_pipeline p;
    int rc = dv_cmd_start(inv, &p, &tp, NULL);
    if (rc) return rc;
    dv_error err = {0, ""};
    rc = dv_pipeline_run(&p, inv->args[0], DV_STAGE_LOAD, &err);
    if (rc) {
        dv_msg("%s", err.msg);
        dv_pipeline_free(&p);
        return rc;
    }
    dv_print_rejects(&p.ds, SIZE_MAX);
    dv_print_skipped(&p.ds);
    long read, loaded, rejected;
    if (!inv->quiet) dv_say(stdout, "divert: validated %s", p.ds.dir);
    dv_table_counts(inv->quiet ? NULL : stdout, &p.ds, &read, &loaded, &rejected);
    const dv_table_info *lists = &p.ds.tables[DV_T_WATCHLIST];
    if (!inv->quiet)
        printf("%ld rows read, %ld loaded, %ld rejected%s", read, loaded, rejected,
               rejected ? " (listed above)" : "");
    /* list rows that are neither: not parties, or more names of an entry */
    if (!inv->quiet && lists->rows_skipped) printf(", %ld skipped", lists->rows_skipped);
    if (!inv->quiet && lists->rows_joined)
        printf(", %ld joined to the entry of an earlier row", lists->rows_joined);
    if (!inv->quiet) printf("\n");
    dv_pipeline_free(&p);
    return rejected ? DV_EXIT_INPUT : DV_EXIT_OK;
}
