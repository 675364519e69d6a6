/*
 * audit.h: the store's audit log, a hash chain (docs/operations.md).
 *
 * Every run and every decision appends one entry to the table audit(seq,
 * time, actor, action, subject, detail, prev, hash) of the store, in the
 * transaction that makes the change. hash is the SHA-256 (hex) of
 *
 *   "divert-audit-1\n" and then, for seq (decimal), time, actor, action,
 *   subject, detail (JSON) and prev in that order: LENGTH ":" BYTES "\n"
 *
 * and prev is the hash of the entry before (64 zeros for the first). The
 * store's meta table keeps the head (audit_head_seq, audit_head) in the
 * same transaction. Changing, deleting or inserting an entry breaks the
 * chain at that entry; deleting the newest entries leaves the head
 * pointing past the end; rewriting the whole chain and the head is caught
 * by comparing the head with one exported before (dv_audit_export).
 */
#ifndef DIVERT_AUDIT_H
#define DIVERT_AUDIT_H

#include <stdio.h>

#include "divert/store.h"

/* Append an entry now, inside the caller's transaction; *seq (may be
 * NULL) gets its number. detail is a JSON object. */
int dv_audit_append(dv_store *s, const char *actor, const char *action, const char *subject,
                    const char *detail, long long *seq, dv_error *err);

/* The hash of one entry, as defined above. */
void dv_audit_hash(long long seq, const char *time, const char *actor, const char *action,
                   const char *subject, const char *detail, const char *prev, char out[65]);

typedef struct dv_audit_check {
    long long entries;          /* entries read */
    long long bad_seq;          /* the first entry that does not verify; 0: none */
    char why[512];              /* what is wrong with it */
    long long head_seq;         /* the last entry's number and hash */
    char head[65];
    char row[200];              /* dv_audit_check_rows: the table row that disagrees
                                   with the chain ("decisions row 4"), or "" when
                                   the problem is told by bad_seq */
} dv_audit_check;

/* Check the whole chain and the head kept in meta. Returns 0 when the
 * store could be read (chk says whether the chain holds: bad_seq == 0),
 * or an error. */
int dv_audit_verify(dv_store *s, dv_audit_check *chk, dv_error *err);

/* Check that the tables agree with an intact chain (after dv_audit_verify
 * found bad_seq == 0), entry by entry and then row by row:
 *   - each entry of a decision on an alert (dismiss, escalate, reopen,
 *     note) has its decisions row (audit_seq = its seq) and the row agrees
 *     with it: action, alert id as subject, by as actor, time, and the
 *     detail dv_decision_detail renders from the row (triage.h);
 *   - each not_a_match or confirmed entry has its match_decisions row
 *     agreeing likewise (dv_match_detail), unless a later decision on the
 *     same pair replaced it;
 *   - each scan entry has its runs row: subject "run N", detail's run_id N;
 *   - every decisions, match_decisions and runs row names an entry of its
 *     kind in audit_seq.
 * The first disagreement goes into chk (bad_seq and why for an entry, row
 * and why for a row no entry accounts for). Returns 0 when the store
 * could be read. */
int dv_audit_check_rows(dv_store *s, dv_audit_check *chk, dv_error *err);

/* The number of the entry whose hash is hash (64 hex digits), or 0 into
 * *seq when the log holds none. */
int dv_audit_find(dv_store *s, const char *hash, long long *seq, dv_error *err);

/* Write the log to f as JSON Lines, one object an entry in seq order:
 *   {"seq":N,"time":S,"actor":S,"action":S,"subject":S,"detail":D,"prev":S,"hash":S}
 * D is the stored detail itself when it is a JSON object, else the text as
 * a JSON string; then a last line
 *   {"head":{"seq":N,"hash":S,"verified":true|false}}
 * with the last entry's number and stored hash (0 and 64 zeros for an
 * empty log) and whether chk (dv_audit_verify's, and dv_audit_check_rows')
 * found the store intact. *entries gets the number of entries written.
 * Returns 0, DV_EXIT_INPUT on a write error (err: "cannot write: ..."),
 * or a store error. */
int dv_audit_export(dv_store *s, FILE *f, const dv_audit_check *chk, long long *entries,
                    dv_error *err);

/* Is text one JSON object (and valid UTF-8)? With key, the raw text of its
 * top-level member of that name goes into *value and *len (false when
 * there is none). For details, which are JSON objects. */
bool dv_json_object_member(const char *text, const char *key, const char **value, size_t *len);

#endif
