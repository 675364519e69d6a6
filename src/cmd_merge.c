/*
 * cmd_merge.c: divert merge OUTDIR... --out DIR: the scans of a shard set
 * merged into the whole dataset's scan (merge.h, docs/cluster.md),
 * committed as the scan's output set is.
 */
#include <stdio.h>

#include "divert/cli.h"
#include "divert/merge.h"
#include "divert/msgs.h"
#include "divert/outdir.h"

int dv_cmd_merge(dv_invocation *inv)
{
    dv_outdir out;
    dv_term_progress tp;
    dv_pipeline p;
    int rc = dv_cmd_start(inv, &p, &tp, &out);
    if (rc) return rc;
    dv_error err = {0, ""};
    dv_merged m;
    double t0 = dv_now();
    rc = dv_merge_outputs(inv->args, inv->n_args, &m, &err);
    if (!rc) {
        p.merged = &m;
        rc = dv_outdir_commit(&out, &dv_output_sets[DV_OUTPUTS_MERGE], &p, &err);
    }
    if (rc) dv_msg("%s", err.msg);
    else if (!inv->quiet)
        printf("divert: merged %d scan%s of %s: %zu alert%s. Results in %s/ (%.1f s).\n",
               inv->n_args, inv->n_args == 1 ? "" : "s", m.dataset, m.n_alerts,
               m.n_alerts == 1 ? "" : "s", out.path, dv_now() - t0);
    dv_outdir_close(&out);
    dv_pipeline_free(&p);
    dv_merged_free(&m);
    return rc;
}
