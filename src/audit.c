/*
 * audit.c: the hash chain of the store's audit log (audit.h).
 */
#include "divert/audit.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "divert/digest.h"
#include "divert/report.h"
#include "divert/triage.h"

static const char zero_hash[65] =
    "0000000000000000000000000000000000000000000000000000000000000000";

static void feed(dv_sha256 *h, const char *field)
{
    char len[24];
    size_t n = field ? strlen(field) : 0;
    int k = snprintf(len, sizeof len, "%zu:", n);
    dv_sha256_update(h, len, (size_t)k);
    dv_sha256_update(h, field, n);
    dv_sha256_update(h, "\n", 1);
}

void dv_audit_hash(long long seq, const char *time, const char *actor, const char *action,
                   const char *subject, const char *detail, const char *prev, char out[65])
{
    static const char tag[] = "divert-audit-1\n";
    dv_sha256 *h = dv_sha256_new();
    dv_sha256_update(h, tag, sizeof tag - 1);
    char num[24];
    snprintf(num, sizeof num, "%lld", seq);
    const char *fields[] = {num, time, actor, action, subject, detail, prev};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) feed(h, fields[i]);
    dv_sha256_final_hex(h, out);
}

/* The head the meta table keeps: seq 0 and zeros for an empty log. */
static int read_head(dv_store *s, long long *seq, char hash[65], dv_error *err)
{
    sqlite3 *db = dv_store_db(s);
    sqlite3_stmt *st;
    *seq = 0;
    memcpy(hash, zero_hash, 65);
    if (sqlite3_prepare_v2(db, "SELECT key, value FROM meta WHERE key IN ('audit_head_seq', 'audit_head')",
                           -1, &st, NULL) != SQLITE_OK)
        return dv_store_fail(s, err, "reading the audit head");
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        const char *v = (const char *)sqlite3_column_text(st, 1);
        if (!k || !v) continue;
        if (!strcmp(k, "audit_head_seq")) *seq = sqlite3_column_int64(st, 1);
        else if (strlen(v) == 64) memcpy(hash, v, 65);
    }
    sqlite3_finalize(st);
    return 0;
}

int dv_audit_append(dv_store *s, const char *actor, const char *action, const char *subject,
                    const char *detail, long long *seq_out, dv_error *err)
{
    long long seq;
    char prev[65], time[21], hash[65];
    if (read_head(s, &seq, prev, err)) return err->code;
    seq++;
    dv_store_now(time);
    dv_audit_hash(seq, time, actor, action, subject, detail, prev, hash);
    sqlite3 *db = dv_store_db(s);
    char *sql = sqlite3_mprintf(
        "INSERT INTO audit(seq, time, actor, action, subject, detail, prev, hash) "
        "VALUES(%lld, %Q, %Q, %Q, %Q, %Q, %Q, %Q);"
        "INSERT OR REPLACE INTO meta VALUES('audit_head_seq', '%lld'), ('audit_head', %Q);",
        seq, time, actor, action, subject, detail, prev, hash, seq, hash);
    int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_free(sql);
    if (rc != SQLITE_OK) return dv_store_fail(s, err, "appending to the audit log");
    if (seq_out) *seq_out = seq;
    return 0;
}

int dv_audit_verify(dv_store *s, dv_audit_check *chk, dv_error *err)
{
    memset(chk, 0, sizeof *chk);
    memcpy(chk->head, zero_hash, 65);
    long long meta_seq;
    char meta_head[65];
    if (read_head(s, &meta_seq, meta_head, err)) return err->code;
    sqlite3 *db = dv_store_db(s);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT seq, time, actor, action, subject, detail, prev, hash FROM audit "
                           "ORDER BY seq",
                           -1, &st, NULL) != SQLITE_OK)
        return dv_store_fail(s, err, "reading the audit log");
    char prev[65];
    memcpy(prev, zero_hash, 65);
    long long expect = 1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long seq = sqlite3_column_int64(st, 0);
        const char *f[7];
        for (int i = 0; i < 7; i++) f[i] = (const char *)sqlite3_column_text(st, i + 1);
        chk->entries++;
        char want[65];
        if (seq != expect) {
            chk->bad_seq = seq;
            if (seq == expect + 1)
                snprintf(chk->why, sizeof chk->why, "entry %lld is missing before it", expect);
            else
                snprintf(chk->why, sizeof chk->why,
                         seq > expect ? "entries %lld to %lld are missing before it"
                                      : "its number repeats or goes back (expected %lld)",
                         expect, seq - 1);
            break;
        }
        if (!f[5] || strcmp(f[5], prev)) {
            chk->bad_seq = seq;
            snprintf(chk->why, sizeof chk->why,
                     "its link to the entry before does not match that entry's hash (an entry "
                     "before it was changed, removed or inserted)");
            break;
        }
        dv_audit_hash(seq, f[0], f[1], f[2], f[3], f[4], f[5], want);
        if (!f[6] || strcmp(f[6], want)) {
            chk->bad_seq = seq;
            snprintf(chk->why, sizeof chk->why,
                     "its content does not match its hash (the entry was altered)");
            break;
        }
        memcpy(prev, want, 65);
        chk->head_seq = seq;
        memcpy(chk->head, want, 65);
        expect = seq + 1;
    }
    bool read_all = rc == SQLITE_DONE || chk->bad_seq;
    sqlite3_finalize(st);
    if (!read_all) return dv_store_fail(s, err, "reading the audit log");
    if (!chk->bad_seq && (meta_seq != chk->head_seq || strcmp(meta_head, chk->head))) {
        chk->bad_seq = meta_seq > chk->head_seq ? chk->head_seq + 1 : meta_seq ? meta_seq : 1;
        snprintf(chk->why, sizeof chk->why,
                 meta_seq > chk->head_seq
                     ? "the store's head says the log runs to entry %lld, but it ends at %lld "
                       "(the newest entries were removed)"
                     : "the store's head (entry %lld) does not match the log's last entry %lld",
                 meta_seq, chk->head_seq);
    }
    return 0;
}

/* ---- reading details: JSON syntax, and an object's top-level members ---- */

enum { JSON_MAX_DEPTH = 64 };

static void json_ws(const char **p)
{
    while (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r') (*p)++;
}

static bool json_literal(const char **p, const char *word)
{
    size_t n = strlen(word);
    if (strncmp(*p, word, n)) return false;
    *p += n;
    return true;
}

static bool json_string_syntax(const char **p)
{
    if (**p != '"') return false;
    (*p)++;
    for (;;) {
        unsigned char c = (unsigned char)**p;
        if (!c || c < 0x20) return false;
        (*p)++;
        if (c == '"') return true;
        if (c != '\\') continue;
        c = (unsigned char)**p;
        if (!c) return false;
        (*p)++;
        if (c == 'u') {
            for (int i = 0; i < 4; i++, (*p)++)
                if (!strchr("0123456789abcdefABCDEF", **p) || !**p) return false;
        } else if (!strchr("\"\\/bfnrt", c)) {
            return false;
        }
    }
}

static bool json_digits(const char **p)
{
    const char *start = *p;
    while (**p >= '0' && **p <= '9') (*p)++;
    return *p > start;
}

static bool json_number_syntax(const char **p)
{
    if (**p == '-') (*p)++;
    if (**p == '0') (*p)++;
    else if (!json_digits(p)) return false;
    if (**p == '.') {
        (*p)++;
        if (!json_digits(p)) return false;
    }
    if (**p == 'e' || **p == 'E') {
        (*p)++;
        if (**p == '+' || **p == '-') (*p)++;
        if (!json_digits(p)) return false;
    }
    return true;
}

/* One value at *p (after white space); at depth 0 an object's member
 * named by want (a quoted key, or NULL) is reported in *value, *len. */
static bool json_value(const char **p, int depth, const char *want, const char **value,
                       size_t *len)
{
    if (depth > JSON_MAX_DEPTH) return false;
    json_ws(p);
    char c = **p;
    if (c == '"') return json_string_syntax(p);
    if (c == 't') return json_literal(p, "true");
    if (c == 'f') return json_literal(p, "false");
    if (c == 'n') return json_literal(p, "null");
    if (c != '{' && c != '[') return json_number_syntax(p);
    char close = c == '{' ? '}' : ']';
    (*p)++;
    json_ws(p);
    if (**p == close) {
        (*p)++;
        return true;
    }
    for (;;) {
        json_ws(p);
        if (c == '{') {
            const char *key = *p;
            if (!json_string_syntax(p)) return false;
            size_t klen = (size_t)(*p - key);
            json_ws(p);
            if (**p != ':') return false;
            (*p)++;
            json_ws(p);
            const char *start = *p;
            if (!json_value(p, depth + 1, NULL, NULL, NULL)) return false;
            if (want && depth == 0 && strlen(want) == klen && !strncmp(key, want, klen)) {
                *value = start;
                *len = (size_t)(*p - start);
            }
        } else if (!json_value(p, depth + 1, NULL, NULL, NULL)) {
            return false;
        }
        json_ws(p);
        if (**p == close) {
            (*p)++;
            return true;
        }
        if (**p != ',') return false;
        (*p)++;
    }
}

bool dv_json_object_member(const char *text, const char *key, const char **value, size_t *len)
{
    if (!text || !dv_utf8_valid(text, strlen(text))) return false;
    const char *p = text;
    json_ws(&p);
    if (*p != '{') return false;
    char *want = key ? dv_xasprintf("\"%s\"", key) : NULL;
    const char *found = NULL;
    size_t n = 0;
    bool ok = json_value(&p, 0, want, &found, &n);
    free(want);
    json_ws(&p);
    if (!ok || *p) return false;
    if (!key) return true;
    if (!found) return false;
    *value = found;
    *len = n;
    return true;
}

/* ---- the tables against the chain ---- */

/* The first top-level member of want (the detail a row renders to) that
 * the stored detail lacks or holds otherwise, or NULL when none. */
static const char *member_differs(const char *stored, const char *want, char name[64])
{
    const char *p = want;
    if (*p++ != '{') return "detail";
    while (*p == '"') {
        const char *key = p;
        json_string_syntax(&p);
        snprintf(name, 64, "%.*s", (int)(p - key - 2), key + 1);
        p++; /* ':' */
        const char *v = p;
        json_value(&p, 1, NULL, NULL, NULL);
        const char *sv;
        size_t sn;
        if (!dv_json_object_member(stored, name, &sv, &sn) || sn != (size_t)(p - v) ||
            strncmp(sv, v, sn))
            return name;
        if (*p == ',') p++;
    }
    return NULL;
}

static const char *col(sqlite3_stmt *st, int i)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    return t ? t : NULL;
}

static bool same(const char *a, const char *b)
{
    return a && b ? !strcmp(a, b) : a == b;
}

/* An entry as the checks read it. */
typedef struct entry {
    long long seq;
    const char *time, *actor, *action, *subject, *detail;
} entry;

static void entry_bad(dv_audit_check *chk, const entry *e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void entry_bad(dv_audit_check *chk, const entry *e, const char *fmt, ...)
{
    chk->bad_seq = e->seq;
    int k = snprintf(chk->why, sizeof chk->why, "%s of %s by %s: ", e->action, e->subject,
                     e->actor);
    if (k < 0 || (size_t)k >= sizeof chk->why) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(chk->why + k, sizeof chk->why - (size_t)k, fmt, ap);
    va_end(ap);
}

/* Compare a row with its entry: actor, subject, time and the detail the
 * row renders to. Says what differs into chk, naming row (e.g.
 * "decisions row 4"). */
static bool row_agrees(dv_audit_check *chk, const entry *e, const char *row, const char *by,
                       const char *subject, const char *time, const char *detail)
{
    char name[64];
    const char *what = !same(e->actor, by)           ? "its author (by)"
                       : !same(e->subject, subject) ? "what it is about"
                       : !same(e->time, time)       ? "its time"
                       : same(e->detail, detail)    ? NULL
                                                    : member_differs(e->detail, detail, name);
    if (!what && !same(e->detail, detail)) what = "the layout of the detail";
    if (!what) return true;
    entry_bad(chk, e,
              "%s does not agree: %s%s differs (the row or the entry was altered behind "
              "divert's back)",
              row, what == name ? "the detail's " : "", what);
    return false;
}

typedef struct checker {
    dv_store *s;
    sqlite3_stmt *decision, *match, *match_pair, *run;
} checker;

static int check_decision_entry(checker *c, const entry *e, dv_audit_check *chk)
{
    sqlite3_stmt *st = c->decision;
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, e->seq);
    int rows = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        rows++;
        dv_decision d = {.decision_id = sqlite3_column_int64(st, 0), .alert_id = col(st, 2),
                         .action = col(st, 3), .reason = col(st, 4), .by = col(st, 5),
                         .until = col(st, 6)};
        char *detail = dv_decision_detail(&d);
        char row[64];
        snprintf(row, sizeof row, "decisions row %lld", d.decision_id);
        bool ok = same(d.action, e->action) &&
                  row_agrees(chk, e, row, d.by, d.alert_id, col(st, 1), detail);
        if (!chk->bad_seq && !ok)
            entry_bad(chk, e, "%s does not agree: its action is %s", row, d.action);
        free(detail);
        if (chk->bad_seq) return 0;
    }
    if (rc != SQLITE_DONE) return -1;
    if (!rows) entry_bad(chk, e, "no decisions row records it (audit_seq %lld): the row was deleted, or the entry forged", e->seq);
    return 0;
}

static int check_match_entry(checker *c, const entry *e, dv_audit_check *chk)
{
    sqlite3_stmt *st = c->match;
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, e->seq);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        dv_match_decision m = {.entity_id = col(st, 0), .list_id = col(st, 1),
                               .verdict = col(st, 2), .reason = col(st, 3), .by = col(st, 4),
                               .entity_fp = col(st, 6), .entry_fp = col(st, 7)};
        char *detail = dv_match_detail(&m);
        char *subject = dv_xasprintf("%s %s", m.entity_id ? m.entity_id : "",
                                     m.list_id ? m.list_id : "");
        char row[64];
        snprintf(row, sizeof row, "its match_decisions row");
        bool ok = same(m.verdict, e->action) &&
                  row_agrees(chk, e, row, m.by, subject, col(st, 5), detail);
        if (!chk->bad_seq && !ok)
            entry_bad(chk, e, "%s does not agree: its verdict is %s", row, m.verdict);
        free(detail);
        free(subject);
        return 0;
    }
    if (rc != SQLITE_DONE) return -1;
    /* a later decision on the same pair replaces the row; the subject is
     * "ENTITY_ID LIST_ID" */
    sqlite3_stmt *q = c->match_pair;
    sqlite3_reset(q);
    sqlite3_bind_text(q, 1, e->subject, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 2, e->seq);
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) return 0;
    if (rc != SQLITE_DONE) return -1;
    entry_bad(chk, e,
              "no match_decisions row records it (audit_seq %lld), nor a later decision on the "
              "pair: the row was deleted, or the entry forged",
              e->seq);
    return 0;
}

static int check_run_entry(checker *c, const entry *e, dv_audit_check *chk)
{
    sqlite3_stmt *st = c->run;
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, e->seq);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        entry_bad(chk, e, "no runs row records it (audit_seq %lld): the row was deleted, or the entry forged", e->seq);
        return 0;
    }
    if (rc != SQLITE_ROW) return -1;
    long long run = sqlite3_column_int64(st, 0);
    char subject[40], id[24];
    snprintf(subject, sizeof subject, "run %lld", run);
    snprintf(id, sizeof id, "%lld", run);
    const char *v;
    size_t n;
    if (strcmp(e->subject, subject))
        entry_bad(chk, e, "runs row %lld, which names it, is another run", run);
    else if (!dv_json_object_member(e->detail, "run_id", &v, &n) || n != strlen(id) ||
             strncmp(v, id, n))
        entry_bad(chk, e, "runs row %lld does not agree: the detail's run_id differs", run);
    return 0;
}

/* Rows whose audit_seq names no entry of their kind. */
static const struct orphan_query {
    const char *table;
    const char *sql;            /* the first such row: its description */
} orphan_queries[] = {
    {"decisions",
     "SELECT 'decisions row ' || d.decision_id || ' (' || d.action || ' of ' || d.alert_id || "
     "' by ' || d.by || ')', d.audit_seq FROM decisions d LEFT JOIN audit a ON a.seq = "
     "d.audit_seq AND a.action = d.action WHERE a.seq IS NULL ORDER BY d.decision_id LIMIT 1"},
    {"match_decisions",
     "SELECT 'match_decisions row ' || d.entity_id || ' ' || d.list_id || ' (' || d.verdict || "
     "' by ' || d.by || ')', d.audit_seq FROM match_decisions d LEFT JOIN audit a ON a.seq = "
     "d.audit_seq AND a.action = d.verdict WHERE a.seq IS NULL ORDER BY d.audit_seq, "
     "d.entity_id, d.list_id LIMIT 1"},
    {"runs",
     "SELECT 'runs row ' || r.run_id, r.audit_seq FROM runs r LEFT JOIN audit a ON a.seq = "
     "r.audit_seq AND a.action = 'scan' WHERE a.seq IS NULL ORDER BY r.run_id LIMIT 1"},
};

int dv_audit_check_rows(dv_store *s, dv_audit_check *chk, dv_error *err)
{
    sqlite3 *db = dv_store_db(s);
    checker c = {.s = s};
    sqlite3_stmt *entries = NULL;
    int rc = 0;
    chk->row[0] = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT decision_id, time, alert_id, action, reason, by, until FROM "
                           "decisions WHERE audit_seq = ?1 ORDER BY decision_id",
                           -1, &c.decision, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "SELECT entity_id, list_id, verdict, reason, by, time, entity_fp, "
                           "entry_fp FROM match_decisions WHERE audit_seq = ?1",
                           -1, &c.match, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "SELECT audit_seq FROM match_decisions WHERE entity_id || ' ' || "
                           "list_id = ?1 AND audit_seq > ?2",
                           -1, &c.match_pair, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT run_id FROM runs WHERE audit_seq = ?1", -1, &c.run,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "SELECT seq, time, actor, action, subject, detail FROM audit ORDER BY "
                           "seq",
                           -1, &entries, NULL) != SQLITE_OK) {
        rc = dv_store_fail(s, err, "checking the decisions against the audit log");
        goto done;
    }
    int step;
    while (!chk->bad_seq && (step = sqlite3_step(entries)) == SQLITE_ROW) {
        entry e = {.seq = sqlite3_column_int64(entries, 0), .time = col(entries, 1),
                   .actor = col(entries, 2), .action = col(entries, 3),
                   .subject = col(entries, 4), .detail = col(entries, 5)};
        if (!e.time || !e.actor || !e.action || !e.subject || !e.detail) continue;
        int a = dv_action_find(e.action), r = 0;
        if (a >= 0 && !dv_actions[a].on_match) r = check_decision_entry(&c, &e, chk);
        else if (a >= 0) r = check_match_entry(&c, &e, chk);
        else if (!strcmp(e.action, "scan")) r = check_run_entry(&c, &e, chk);
        if (r) {
            rc = dv_store_fail(s, err, "checking the decisions against the audit log");
            goto done;
        }
    }
    if (!chk->bad_seq && step != SQLITE_DONE) {
        rc = dv_store_fail(s, err, "checking the decisions against the audit log");
        goto done;
    }
    for (size_t i = 0; !chk->bad_seq && i < sizeof orphan_queries / sizeof orphan_queries[0]; i++) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, orphan_queries[i].sql, -1, &st, NULL) != SQLITE_OK) {
            rc = dv_store_fail(s, err, "checking the decisions against the audit log");
            goto done;
        }
        if (sqlite3_step(st) == SQLITE_ROW) {
            snprintf(chk->row, sizeof chk->row, "%s", col(st, 0) ? col(st, 0) : orphan_queries[i].table);
            snprintf(chk->why, sizeof chk->why,
                     "its audit entry %lld is not in the log or records something else (the row "
                     "was inserted or altered behind divert's back)",
                     sqlite3_column_int64(st, 1));
            sqlite3_finalize(st);
            break;
        }
        sqlite3_finalize(st);
    }
done:
    sqlite3_finalize(c.decision);
    sqlite3_finalize(c.match);
    sqlite3_finalize(c.match_pair);
    sqlite3_finalize(c.run);
    sqlite3_finalize(entries);
    return rc;
}

int dv_audit_find(dv_store *s, const char *hash, long long *seq, dv_error *err)
{
    sqlite3_stmt *st;
    *seq = 0;
    if (sqlite3_prepare_v2(dv_store_db(s), "SELECT seq FROM audit WHERE hash = ?1 ORDER BY seq",
                           -1, &st, NULL) != SQLITE_OK)
        return dv_store_fail(s, err, "reading the audit log");
    sqlite3_bind_text(st, 1, hash, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) *seq = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : dv_store_fail(s, err, "reading the audit log");
}

/* ---- export ---- */

static void export_member(FILE *f, const char *key, const char *value)
{
    fputc(',', f);
    dv_json_string(f, key);
    fputc(':', f);
    dv_json_string(f, value ? value : "");
}

int dv_audit_export(dv_store *s, FILE *f, const dv_audit_check *chk, long long *entries,
                    dv_error *err)
{
    sqlite3_stmt *st;
    *entries = 0;
    if (sqlite3_prepare_v2(dv_store_db(s),
                           "SELECT seq, time, actor, action, subject, detail, prev, hash FROM audit "
                           "ORDER BY seq",
                           -1, &st, NULL) != SQLITE_OK)
        return dv_store_fail(s, err, "reading the audit log");
    long long last = 0;
    char head[65];
    memcpy(head, zero_hash, 65);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        last = sqlite3_column_int64(st, 0);
        const char *detail = col(st, 5), *hash = col(st, 7);
        fprintf(f, "{\"seq\":%lld", last);
        export_member(f, "time", col(st, 1));
        export_member(f, "actor", col(st, 2));
        export_member(f, "action", col(st, 3));
        export_member(f, "subject", col(st, 4));
        fputs(",\"detail\":", f);
        if (dv_json_object_member(detail, NULL, NULL, NULL)) fputs(detail, f);
        else dv_json_string(f, detail ? detail : "");
        export_member(f, "prev", col(st, 6));
        export_member(f, "hash", hash);
        fputs("}\n", f);
        snprintf(head, sizeof head, "%s", hash ? hash : "");
        (*entries)++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return dv_store_fail(s, err, "reading the audit log");
    fprintf(f, "{\"head\":{\"seq\":%lld,\"hash\":", last);
    dv_json_string(f, head);
    fprintf(f, ",\"verified\":%s}}\n", !chk->bad_seq && !chk->row[0] ? "true" : "false");
    if (ferror(f)) return dv_fail(err, DV_EXIT_INPUT, "cannot write: %s", strerror(errno ? errno : EIO));
    return 0;
}
