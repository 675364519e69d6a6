/*
 * outdir.h: the output directory, and the atomic commit of an output set.
 *
 * Every file of a set (report.h) is written to a hidden temporary file in
 * the output directory, flushed and fsync'd; only when all are complete
 * are they renamed over the old ones, so a command that fails or is killed
 * leaves the previous set in place, complete. outdir.c says how a kill
 * between two renames is undone.
 */
#ifndef DIVERT_OUTDIR_H
#define DIVERT_OUTDIR_H

#include "divert/pipeline.h"
#include "divert/report.h"

/* Create dir if missing and check that divert can write into it, so that a
 * command fails before the load rather than after it (exit 2, naming
 * dir); then clean up after runs into dir that were killed. */
int dv_prepare_outdir(const char *dir, dv_error *err);

/* Write every file of set from p into dir (created if missing): either
 * all are replaced or none is. The time spent writing goes to
 * p->seconds[DV_STAGE_WRITE], kept up to date before each writer runs (so
 * that summary.json, written last, reports the time spent on the others)
 * and set in full once the set is in place. */
int dv_commit_outputs(const char *dir, const dv_output_set *set, dv_pipeline *p, dv_error *err);

#endif
