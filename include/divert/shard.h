/*
 * shard.h: a dataset split by item entry into shard datasets that are
 * scanned apart and merged into the whole scan's outputs (merge.h,
 * docs/cluster.md).
 *
 * Routes never cross item entries (SPEC 3), so the shipments of each item
 * entry can go to one shard. dv_shard_dataset reads shipments.csv twice,
 * streaming: a first pass counts the rows of each item entry and sorts
 * out the ids whose copies differ (in temporary files, one bucket of ids
 * at a time: they are rejected in every copy, so all go to one shard);
 * entries are assigned largest first to the lightest shard (an entry
 * above the fair share takes a shard alone); a second pass writes each row
 * to its shard's gzip stream and finds each party's first trade. No
 * shipment is held in memory. Every shard holds the other tables whole.
 *
 * What a shard carries besides its tables, in its file divert-shard.csv
 * (kind,name,value):
 *   - meta: set (the shard set's id), shard, shards, dataset (the
 *     original directory as `divert shard` was given it);
 *   - file: a shard file's name and the original file it comes from;
 *   - first_trade: each party's first trade over the whole dataset, which
 *     a shard's own shipments may not reach (the NEW_ENTITY rule reads it).
 * Line numbers: a shipment row stays on the physical line it had in the
 * original (blank lines, which the reader skips and counts, fill the
 * gaps), so rejects keep their original line numbers with no mapping.
 *
 * Ownership: a dv_shard_info owns its strings; dv_shard_info_free.
 */
#ifndef DIVERT_SHARD_H
#define DIVERT_SHARD_H

#include <stdbool.h>
#include <stddef.h>

#include "divert/dataset.h"
#include "divert/util.h"

#define DV_SHARD_FILE "divert-shard.csv"   /* in each shard directory */
#define DV_SHARD_MANIFEST "manifest.json"  /* in the shard set's directory */
#define DV_SHARD_MAX 10000                 /* --shards at most */

typedef struct dv_shard_options {
    int shards;                  /* N >= 1 */
    size_t max_field_bytes, max_fields;
    bool quiet;                  /* no notes on stderr */
} dv_shard_options;

/* Split the dataset in dir into opt->shards shard datasets under out
 * (out/shard-001 ... and out/manifest.json), written into a temporary
 * directory and renamed into place; an earlier shard set in out is
 * replaced, any other non-empty out refused. Returns 0 or an exit status
 * with err set. */
int dv_shard_dataset(const char *dir, const char *out, const dv_shard_options *opt,
                     dv_error *err);

/* What a shard's divert-shard.csv says of it (first trades aside). */
typedef struct dv_shard_info {
    char *set;                   /* the shard set's id */
    int shard, shards;           /* 1-based index, and their number */
    char *dataset;               /* the original dataset directory */
    char **file_shard, **file_orig; /* n_files pairs: shard path (under the shard
                                       directory given) -> original path */
    size_t n_files;
} dv_shard_info;

/* Read shard_dir/divert-shard.csv. Returns 0, DV_EXIT_INPUT (err set)
 * when it is absent or malformed. */
int dv_shard_read_info(const char *shard_dir, dv_shard_info *info, dv_error *err);
void dv_shard_info_free(dv_shard_info *info);

/* For the load: when ds->dir holds divert-shard.csv, each party's first
 * trade becomes the earlier of its own and the whole dataset's. Returns 0,
 * or an exit status (err set) for a malformed file. */
int dv_shard_apply_first_trades(dv_dataset *ds, const dv_load_options *opt, dv_error *err);

#endif
