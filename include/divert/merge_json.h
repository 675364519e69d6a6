/*
 * merge_json.h: the JSON summaries of a shard set's scans (summary.json,
 * and the summary at the head of alerts.json and report.html's document)
 * merged line by line, as divert merge needs them (merge.h).
 *
 * The writers print a summary one key to a line, each value inline, so two
 * scans of one shard set with one configuration have the same lines in the
 * same order. A line equal in every scan is kept; a line that differs has
 * its value parsed into a small tree (dv_jv) and merged by the rule of its
 * key: counts summed, maps of counts summed key by key, the shipments table
 * summed and the shared tables kept once, lists of ids sorted together,
 * rejects by reason with the other shards' shipment rejects added; any
 * other difference means the scans are not of one set and one
 * configuration, and is an error naming the two directories and the key.
 */
#ifndef DIVERT_MERGE_JSON_H
#define DIVERT_MERGE_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "divert/util.h"

/* A one-line JSON value. */
typedef struct dv_jv {
    char type;                   /* 'o' object, 'a' array, 'n' number, 's' other scalar */
    char *raw;                   /* a scalar's text as written */
    char **keys;                 /* an object's keys, as written (quoted) */
    struct dv_jv *items;         /* an object's values, an array's items */
    size_t n;
} dv_jv;

void dv_jv_free(dv_jv *v);

/* acc += v: numbers summed, objects key by key (keys acc lacks appended,
 * and the keys sorted when sorted), anything else must be equal; false on
 * a disagreement. */
bool dv_jv_add(dv_jv *acc, const dv_jv *v, bool sorted);

/* A summary's lines (without their newlines), and summary.json's
 * "partial" entries apart. */
typedef struct dv_summary_lines {
    char **lines;
    size_t n;
    char **partial;
    size_t n_partial;
} dv_summary_lines;

void dv_summary_split(const char *text, size_t len, dv_summary_lines *s);
void dv_summary_free(dv_summary_lines *s);

/* Merge the lines of n summaries of one layout (what: the file's name,
 * outdirs: the scans' directories, for messages) into out. more_reasons:
 * the rejects of every shard's shipments after the first, by reason (the
 * first shard's rejects_by_reason counts the shared tables' once), or
 * NULL. 0, or DV_EXIT_INPUT with err set. */
int dv_summaries_merge(const char *const *outdirs, dv_summary_lines *sl, int n, const char *what,
                       const dv_jv *more_reasons, dv_buf *out, dv_error *err);

#endif
