/*
 * cmd_shard.c: divert shard DATASET --shards N --out DIR: the dataset
 * split by item entry into shard datasets (shard.h, docs/cluster.md).
 */
#include <stdio.h>
#include <stdlib.h>

#include "divert/cli.h"
#include "divert/msgs.h"
#include "divert/shard.h"

int dv_cmd_shard(dv_invocation *inv)
{
    if (!inv->shards) {
        dv_msg("shard needs --shards N (how many shard datasets); try divert help shard");
        return DV_EXIT_INPUT;
    }
    char *end;
    long n = strtol(inv->shards, &end, 10);
    if (*end || end == inv->shards || n < 1 || n > DV_SHARD_MAX) {
        dv_msg("--shards \"%s\": not a whole number from 1 to %d", inv->shards, DV_SHARD_MAX);
        return DV_EXIT_INPUT;
    }
    if (!inv->out) {
        dv_msg("shard needs --out DIR (where the shard datasets go); try divert help shard");
        return DV_EXIT_INPUT;
    }
    dv_shard_options opt = {.shards = (int)n,
                            .max_field_bytes = inv->cfg.max_field_bytes,
                            .max_fields = inv->cfg.max_fields,
                            .quiet = inv->quiet};
    dv_error err = {0, ""};
    double t0 = dv_now();
    int rc = dv_shard_dataset(inv->args[0], inv->out, &opt, &err);
    if (rc) {
        dv_msg("%s", err.msg);
        return rc;
    }
    if (!inv->quiet)
        printf("divert: split %s into %ld shard%s in %s/ (see %s/%s) in %.1f s.\n", inv->args[0], n,
               n == 1 ? "" : "s", inv->out, inv->out, DV_SHARD_MANIFEST, dv_now() - t0);
    return 0;
}
