/*
 * store.c: the case store's file: open, create, migrate, transactions
 * (store.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "divert/store.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "divert/audit.h"
#include "divert/digest.h"

struct dv_store {
    sqlite3 *db;
    char *path;
    int opened_version;
    int wait_ms;
};

/* The schema, one step a version: step k takes a store of version k to
 * k + 1 (step 0 creates it). Steps are never edited once released: a
 * change is a new step. */
static const char *const schema_steps[DV_STORE_SCHEMA] = {
    /* version 1: runs, alerts, decisions, the audit log */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE runs(run_id INTEGER PRIMARY KEY, started TEXT NOT NULL, finished TEXT NOT NULL,"
    " version TEXT NOT NULL, dataset TEXT NOT NULL, out TEXT NOT NULL, config TEXT NOT NULL,"
    " rows_read INTEGER NOT NULL, rows_loaded INTEGER NOT NULL, rows_rejected INTEGER NOT NULL,"
    " shipments INTEGER NOT NULL, alerts INTEGER NOT NULL, new INTEGER NOT NULL,"
    " reopened INTEGER NOT NULL, resolved INTEGER NOT NULL, audit_seq INTEGER NOT NULL);"
    "CREATE TABLE run_inputs(run_id INTEGER NOT NULL REFERENCES runs, file TEXT NOT NULL,"
    " size INTEGER NOT NULL, sha256 TEXT NOT NULL, rows INTEGER NOT NULL,"
    " PRIMARY KEY(run_id, file));"
    "CREATE TABLE alerts(alert_id TEXT PRIMARY KEY, item TEXT NOT NULL, origin_id TEXT NOT NULL,"
    " final_id TEXT NOT NULL, path TEXT NOT NULL, first_run INTEGER NOT NULL,"
    " last_run INTEGER NOT NULL, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,"
    " present INTEGER NOT NULL, status TEXT NOT NULL, reason TEXT, until TEXT,"
    " score INTEGER NOT NULL, severity TEXT NOT NULL, rules TEXT NOT NULL, digest TEXT NOT NULL,"
    " evidence TEXT NOT NULL, matches TEXT NOT NULL);"
    "CREATE TABLE alert_history(alert_id TEXT NOT NULL, run_id INTEGER NOT NULL REFERENCES runs,"
    " score INTEGER NOT NULL, digest TEXT NOT NULL, status TEXT NOT NULL,"
    " PRIMARY KEY(alert_id, run_id));"
    "CREATE TABLE decisions(decision_id INTEGER PRIMARY KEY, time TEXT NOT NULL,"
    " alert_id TEXT NOT NULL, action TEXT NOT NULL, reason TEXT NOT NULL, by TEXT NOT NULL,"
    " until TEXT, audit_seq INTEGER NOT NULL);"
    "CREATE INDEX decisions_alert ON decisions(alert_id, decision_id);"
    "CREATE TABLE audit(seq INTEGER PRIMARY KEY, time TEXT NOT NULL, actor TEXT NOT NULL,"
    " action TEXT NOT NULL, subject TEXT NOT NULL, detail TEXT NOT NULL, prev TEXT NOT NULL,"
    " hash TEXT NOT NULL);",
    /* version 2: screening decisions and what the last run saw of the lists */
    "CREATE TABLE entity_matches(entity_id TEXT NOT NULL, list_id TEXT NOT NULL,"
    " list TEXT NOT NULL, score REAL NOT NULL, entity_name TEXT NOT NULL,"
    " list_name TEXT NOT NULL, entity_fp TEXT NOT NULL, entry_fp TEXT NOT NULL,"
    " PRIMARY KEY(entity_id, list_id));"
    "CREATE TABLE match_decisions(entity_id TEXT NOT NULL, list_id TEXT NOT NULL,"
    " verdict TEXT NOT NULL, reason TEXT NOT NULL, by TEXT NOT NULL, time TEXT NOT NULL,"
    " entity_fp TEXT NOT NULL, entry_fp TEXT NOT NULL, audit_seq INTEGER NOT NULL,"
    " PRIMARY KEY(entity_id, list_id));"
    "CREATE TABLE list_files(file TEXT PRIMARY KEY, size INTEGER NOT NULL, sha256 TEXT NOT NULL);"
    "CREATE TABLE list_entries(list TEXT NOT NULL, list_id TEXT NOT NULL, name TEXT NOT NULL,"
    " country TEXT, fp TEXT NOT NULL, PRIMARY KEY(list, list_id));",
};

sqlite3 *dv_store_db(dv_store *s) { return s->db; }
const char *dv_store_path(const dv_store *s) { return s->path; }
int dv_store_opened_version(const dv_store *s) { return s->opened_version; }

int dv_store_fail(dv_store *s, dv_error *err, const char *doing)
{
    int ec = sqlite3_extended_errcode(s->db);
    int code = (ec & 0xff) == SQLITE_BUSY || (ec & 0xff) == SQLITE_LOCKED ? DV_EXIT_INPUT
               : (ec & 0xff) == SQLITE_CORRUPT || (ec & 0xff) == SQLITE_NOTADB ? DV_EXIT_INPUT
               : (ec & 0xff) == SQLITE_READONLY || (ec & 0xff) == SQLITE_CANTOPEN ? DV_EXIT_INPUT
                                                                                   : DV_EXIT_INTERNAL;
    if ((ec & 0xff) == SQLITE_BUSY || (ec & 0xff) == SQLITE_LOCKED) {
        if (!s->wait_ms)
            return dv_fail(err, code,
                           "%s: the case store is in use by another divert (while %s; --no-wait "
                           "is set); try again when it has finished",
                           s->path, doing);
        return dv_fail(err, code,
                       "%s: the case store is in use by another divert (waited %d s while %s); "
                       "try again when it has finished",
                       s->path, s->wait_ms / 1000, doing);
    }
    return dv_fail(err, code, "%s: case store: %s: %s", s->path, doing, sqlite3_errmsg(s->db));
}

int dv_store_exec(dv_store *s, const char *sql, dv_error *err)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        sqlite3_free(msg);
        return dv_store_fail(s, err, "writing");
    }
    return 0;
}

int dv_store_begin(dv_store *s, dv_error *err)
{
    if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return dv_store_fail(s, err, "taking the write lock");
    return 0;
}

int dv_store_commit(dv_store *s, dv_error *err)
{
    if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        int rc = dv_store_fail(s, err, "committing");
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    return 0;
}

void dv_store_rollback(dv_store *s)
{
    if (!sqlite3_get_autocommit(s->db)) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

static time_t now_seconds(void)
{
    const char *e = getenv("SOURCE_DATE_EPOCH");
    if (e && *e) {
        char *end;
        long long v = strtoll(e, &end, 10);
        if (!*end && v >= 0) return (time_t)v;
    }
    return time(NULL);
}

void dv_store_now(char out[21])
{
    time_t t = now_seconds();
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void dv_store_today(char out[11])
{
    time_t t = now_seconds();
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}


void dv_sha256_hex(const void *data, size_t n, char out[65])
{
    dv_sha256 *h = dv_sha256_new();
    dv_sha256_update(h, data, n);
    dv_sha256_final_hex(h, out);
}

int dv_sha256_file(const char *path, char out[65], long long *size, dv_error *err)
{
    int fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return dv_fail(err, DV_EXIT_INPUT, "%s: cannot open: %s", path, strerror(errno));
    dv_sha256 *h = dv_sha256_new();
    static __thread unsigned char buf[1 << 16];
    long long total = 0;
    for (;;) {
        ssize_t got = read(fd, buf, sizeof buf);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            int e = errno;
            close(fd);
            dv_sha256_free(h);
            return dv_fail(err, DV_EXIT_INPUT, "%s: cannot read: %s", path, strerror(e));
        }
        if (got == 0) break;
        dv_sha256_update(h, buf, (size_t)got);
        total += got;
    }
    close(fd);
    dv_sha256_final_hex(h, out);
    if (size) *size = total;
    return 0;
}

static int pragma_int(dv_store *s, const char *sql, int *out)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) *out = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

/* Take the schema from version `from` to DV_STORE_SCHEMA, in one
 * transaction, with an audit entry for a migration. */
static int upgrade(dv_store *s, int from, dv_error *err)
{
    if (dv_store_begin(s, err)) return -1;
    /* another divert may have done it while we waited for the lock */
    int now;
    if (pragma_int(s, "PRAGMA user_version", &now)) {
        dv_store_rollback(s);
        return dv_store_fail(s, err, "reading the schema version");
    }
    if (now >= DV_STORE_SCHEMA) {
        dv_store_rollback(s);
        return 0;
    }
    from = now;
    for (int v = from; v < DV_STORE_SCHEMA; v++)
        if (dv_store_exec(s, schema_steps[v], err)) goto fail;
    char stamp[21], sql[128];
    dv_store_now(stamp);
    if (from == 0) {
        char *meta = sqlite3_mprintf("INSERT INTO meta VALUES('created', %Q), ('created_by', %Q);"
                                     "PRAGMA application_id = %d;",
                                     stamp, "divert " DIVERT_VERSION, DV_STORE_APP_ID);
        int rc = dv_store_exec(s, meta, err);
        sqlite3_free(meta);
        if (rc) goto fail;
    } else {
        char detail[160];
        snprintf(detail, sizeof detail, "{\"from\":%d,\"to\":%d,\"by\":\"divert %s\"}", from,
                 DV_STORE_SCHEMA, DIVERT_VERSION);
        if (dv_audit_append(s, "divert", "migrate", "schema", detail, NULL, err)) goto fail;
    }
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", DV_STORE_SCHEMA);
    if (dv_store_exec(s, sql, err)) goto fail;
    return dv_store_commit(s, err);
fail:
    dv_store_rollback(s);
    return err->code ? err->code : DV_EXIT_INTERNAL;
}

dv_store *dv_store_open(const char *path, bool create, dv_error *err)
{
    struct stat st;
    bool exists = stat(path, &st) == 0;
    if (!exists && !create) {
        dv_fail(err, DV_EXIT_INPUT, "%s: no such case store (a scan with --state %s makes it)",
                path, path);
        return NULL;
    }
    if (exists && !S_ISREG(st.st_mode)) {
        dv_fail(err, DV_EXIT_INPUT, "%s: the case store is not a regular file", path);
        return NULL;
    }
    if (!exists) { /* the store holds names and decisions: the owner's alone */
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0 && errno != EEXIST) {
            dv_fail(err, DV_EXIT_INPUT, "%s: cannot create the case store: %s", path,
                    strerror(errno));
            return NULL;
        }
        if (fd >= 0) close(fd);
    }
    dv_store *s = dv_xcalloc(1, sizeof *s);
    s->path = dv_xstrdup(path);
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOFOLLOW;
    if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
        dv_fail(err, DV_EXIT_INPUT, "%s: cannot open the case store: %s", path,
                s->db ? sqlite3_errmsg(s->db) : "out of memory");
        dv_store_close(s);
        return NULL;
    }
    s->wait_ms = DV_STORE_WAIT_MS;
    sqlite3_busy_timeout(s->db, DV_STORE_WAIT_MS);
    sqlite3_extended_result_codes(s->db, 1);
    int version = 0, app = 0;
    /* the three in one statement, so one snapshot: another divert may be
     * creating this store at this moment (seen by check-store's two scans
     * on one new store: read apart, the tables could appear between the
     * reads, and the store looked foreign) */
    int tables = 0;
    sqlite3_stmt *hd = NULL;
    int src = sqlite3_prepare_v2(s->db,
                                 "SELECT (SELECT user_version FROM pragma_user_version), "
                                 "(SELECT application_id FROM pragma_application_id), "
                                 "(SELECT count(*) FROM sqlite_master)",
                                 -1, &hd, NULL);
    if (src == SQLITE_OK) src = sqlite3_step(hd);
    if (src == SQLITE_ROW) {
        version = sqlite3_column_int(hd, 0);
        app = sqlite3_column_int(hd, 1);
        tables = sqlite3_column_int(hd, 2);
    }
    sqlite3_finalize(hd);
    if (src != SQLITE_ROW) {
        dv_fail(err, DV_EXIT_INPUT, "%s: not a divert case store (SQLite says: %s)", path,
                sqlite3_errmsg(s->db));
        dv_store_close(s);
        return NULL;
    }
    if (app != DV_STORE_APP_ID && (version != 0 || tables != 0)) {
        dv_fail(err, DV_EXIT_INPUT,
                "%s: not a divert case store (a SQLite file of another program); name a new "
                "file or a store a scan made",
                path);
        dv_store_close(s);
        return NULL;
    }
    if (version > DV_STORE_SCHEMA) {
        dv_fail(err, DV_EXIT_INPUT,
                "%s: the case store has schema version %d, made by a newer divert; this divert "
                "(%s) reads versions up to %d: use the newer divert",
                path, version, DIVERT_VERSION, DV_STORE_SCHEMA);
        dv_store_close(s);
        return NULL;
    }
    s->opened_version = version;
    /* durable commits; the rollback journal keeps the store one file
     * between runs */
    if (dv_store_exec(s, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON", err) ||
        (version < DV_STORE_SCHEMA && upgrade(s, version, err))) {
        dv_store_close(s);
        return NULL;
    }
    return s;
}

void dv_store_set_wait(dv_store *s, int ms)
{
    s->wait_ms = ms;
    sqlite3_busy_timeout(s->db, ms);
}

void dv_store_close(dv_store *s)
{
    if (!s) return;
    if (s->db) sqlite3_close_v2(s->db);
    free(s->path);
    free(s);
}
