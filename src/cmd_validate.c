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
    long read, loaded, rejected;
    if (!inv->quiet) dv_say(stdout, "divert: validated %s", p.ds.dir);
    dv_table_counts(inv->quiet ? NULL : stdout, &p.ds, &read, &loaded, &rejected);
    if (!inv->quiet)
        printf("%ld rows read, %ld loaded, %ld rejected%s\n", read, loaded, rejected,
               rejected ? " (listed above)" : "");
    dv_pipeline_free(&p);
    return rejected ? DV_EXIT_INPUT : DV_EXIT_OK;
}
