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
} dv_audit_check;

/* Check the whole chain and the head kept in meta. Returns 0 when the
 * store could be read (chk says whether the chain holds: bad_seq == 0),
 * or an error. */
int dv_audit_verify(dv_store *s, dv_audit_check *chk, dv_error *err);

#endif
