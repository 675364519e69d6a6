/*
 * store.h: the case store, a SQLite file that gives nightly scans a memory
 * (docs/operations.md).
 *
 * A store holds every run (its inputs with their SHA-256, its counts),
 * every alert seen with its history and status, the analysts' decisions
 * on alerts and on watchlist matches, what the last run saw of the
 * watchlist, and an append-only audit log in which each entry carries the
 * hash of the one before (audit.h). This module opens a store, creates or
 * migrates its schema, and runs transactions; cases.h computes what a scan
 * changes, audit.h keeps the chain, the commands read and write the tables
 * below through dv_store_db.
 *
 * The schema (version DV_STORE_SCHEMA; PRAGMA user_version holds it, and
 * PRAGMA application_id tells a divert store from any other SQLite file):
 *
 *   meta(key, value)                  'created' (time), 'created_by' (version)
 *   runs(run_id, started, finished, version, dataset, out, config,
 *        rows_read, rows_loaded, rows_rejected, shipments, alerts,
 *        new, reopened, resolved, audit_seq)
 *   run_inputs(run_id, file, size, sha256, rows)
 *   alerts(alert_id, item, origin_id, final_id, path, first_run, last_run,
 *          first_seen, last_seen, present, status, reason, until,
 *          score, severity, rules, digest, evidence, matches)
 *        status: new | open | reopened | dismissed | escalated, as of the
 *        last run or decision; present: 1 when the last run reported the
 *        alert (0: resolved); reason: why the status is what it is;
 *        until: the end date of a dismissal (YYYY-MM-DD) or NULL;
 *        evidence: the shipment ids of the last run's evidence, one a
 *        line, sorted; matches: "ENTITY_ID<TAB>LIST_ID" of the path's
 *        parties' watchlist matches, one a line, sorted; digest: SHA-256
 *        (hex) of rules, evidence and matches
 *   alert_history(alert_id, run_id, score, digest, status)
 *   decisions(decision_id, time, alert_id, action, reason, by, until, audit_seq)
 *        action: dismiss | escalate | reopen | note
 *   audit(seq, time, actor, action, subject, detail, prev, hash)  (audit.h)
 *   -- since version 2 --
 *   entity_matches(entity_id, list_id, list, score, entity_name, list_name,
 *                  entity_fp, entry_fp)        the last run's matches, all
 *   match_decisions(entity_id, list_id, verdict, reason, by, time,
 *                   entity_fp, entry_fp, audit_seq)
 *        verdict: not_a_match | confirmed; the fingerprints are those of
 *        entity_matches when the decision was taken: a not_a_match holds
 *        while both are unchanged
 *   list_files(file, size, sha256)            the last run's watchlist files
 *   list_entries(list, list_id, name, country, fp)  their entries
 *
 * Times are UTC, "YYYY-MM-DDTHH:MM:SSZ"; SOURCE_DATE_EPOCH, when set,
 * fixes the clock (tests and reproducible replays).
 */
#ifndef DIVERT_STORE_H
#define DIVERT_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "divert/util.h"

enum {
    DV_STORE_SCHEMA = 2,            /* the version this divert writes */
    DV_STORE_APP_ID = 0x64767274,   /* "dvrt" */
    DV_STORE_WAIT_MS = 30000,       /* how long to wait for another divert's write */
};

typedef struct sqlite3 sqlite3;
typedef struct dv_store dv_store;

/* Open the store at path. create: make it if it does not exist (a scan);
 * otherwise a missing file is an input error naming it. An older schema is
 * migrated (in one transaction, with an audit entry); a newer one, or a
 * file that is not a divert store, is refused with exit 2. NULL with err
 * set on failure. */
dv_store *dv_store_open(const char *path, bool create, dv_error *err);
void dv_store_close(dv_store *s);

/* How long to wait for another divert's write lock (0: fail at once, as
 * --no-wait asks). */
void dv_store_set_wait(dv_store *s, int ms);

sqlite3 *dv_store_db(dv_store *s);
const char *dv_store_path(const dv_store *s);
/* The schema version the file had when opened (before any migration). */
int dv_store_opened_version(const dv_store *s);

/* BEGIN IMMEDIATE: the write lock, waiting up to DV_STORE_WAIT_MS for
 * another divert that holds it, then failing with a clear message. */
int dv_store_begin(dv_store *s, dv_error *err);
int dv_store_commit(dv_store *s, dv_error *err);
void dv_store_rollback(dv_store *s);

/* Fail with the SQLite message of the last statement, naming the store. */
int dv_store_fail(dv_store *s, dv_error *err, const char *doing);

/* Run one statement with no result; 0 or dv_store_fail. */
int dv_store_exec(dv_store *s, const char *sql, dv_error *err);

/* The current time as above, into out (21 bytes), and its date (11 bytes). */
void dv_store_now(char out[21]);
void dv_store_today(char out[11]);

/* SHA-256 of a buffer, as 64 hex digits and a NUL. */
void dv_sha256_hex(const void *data, size_t n, char out[65]);
/* SHA-256 of a file's bytes; 0, or an input error naming it. */
int dv_sha256_file(const char *path, char out[65], long long *size, dv_error *err);

#endif
