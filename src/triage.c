/*
 * triage.c: the analysts' decisions, recorded with their audit entries
 * (triage.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "divert/triage.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "divert/audit.h"
#include "divert/report.h"

const dv_action_row dv_actions[DV_ACT_COUNT] = {
    [DV_ACT_DISMISS] = {"dismiss", "--dismiss", false, "dismissed"},
    [DV_ACT_ESCALATE] = {"escalate", "--escalate", false, "escalated"},
    [DV_ACT_REOPEN] = {"reopen", "--reopen", false, "reopened"},
    [DV_ACT_NOTE] = {"note", "--note", false, NULL},
    [DV_ACT_NOT_A_MATCH] = {"not_a_match", "--not-a-match", true, NULL},
    [DV_ACT_CONFIRMED] = {"confirmed", "--confirmed", true, NULL},
};

int dv_action_find(const char *name)
{
    for (int i = 0; i < DV_ACT_COUNT; i++)
        if (name && !strcmp(dv_actions[i].name, name)) return i;
    return -1;
}

/* The length of the UTF-8 sequence at p (n bytes left) when it is valid
 * and not a control character (C1 is U+0080..U+009F), else 0. */
static size_t printable_char(const unsigned char *p, size_t n)
{
    if (p[0] < 0x80) return p[0] >= 0x20 && p[0] != 0x7f;
    size_t len = p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 : 2;
    if (p[0] < 0xc2 || p[0] > 0xf4 || len > n || !dv_utf8_valid((const char *)p, len)) return 0;
    if (p[0] == 0xc2 && p[1] < 0xa0) return 0; /* C1 controls */
    return len;
}

int dv_triage_check_text(const char *what, const char *s, size_t max, dv_error *err)
{
    if (!s) return dv_fail(err, DV_EXIT_INPUT, "%s is missing", what);
    size_t n = strlen(s);
    bool blank = true;
    for (size_t i = 0; i < n;) {
        size_t k = printable_char((const unsigned char *)s + i, n - i);
        if (!k) {
            const unsigned char *c = (const unsigned char *)s + i;
            if (c[0] < 0x80 || (c[0] == 0xc2 && i + 1 < n && c[1] >= 0x80 && c[1] < 0xa0))
                return dv_fail(err, DV_EXIT_INPUT,
                               "%s: holds a control character (byte %zu); write it on one line "
                               "without tabs or escapes",
                               what, i + 1);
            return dv_fail(err, DV_EXIT_INPUT, "%s: not valid UTF-8 (byte %zu)", what, i + 1);
        }
        if (!(k == 1 && s[i] == ' ')) blank = false;
        i += k;
    }
    if (blank) return dv_fail(err, DV_EXIT_INPUT, "%s is empty", what);
    if (n > max)
        return dv_fail(err, DV_EXIT_INPUT, "%s is %zu bytes long; at most %zu are kept", what, n,
                       max);
    return 0;
}

int dv_triage_check_until(const char *until, const char *today, dv_error *err)
{
    int32_t days;
    const char *why = NULL;
    if (!dv_parse_date(until, strlen(until), &days, &why))
        return dv_fail(err, DV_EXIT_INPUT, "--until \"%s\": not a date YYYY-MM-DD (%s)", until,
                       why ? why : "bad date");
    char canon[11];
    dv_format_date(days, canon);
    if (strcmp(canon, today) <= 0)
        return dv_fail(err, DV_EXIT_INPUT,
                       "--until %s: the date must be after today (%s); the alert comes back the "
                       "day after it",
                       canon, today);
    return 0;
}

/* ---- canonical details ---- */

typedef struct json_out {
    char *text;
    size_t len;
    FILE *f;
} json_out;

static void json_open(json_out *j)
{
    j->text = NULL;
    j->len = 0;
    j->f = open_memstream(&j->text, &j->len);
    if (!j->f) dv_out_of_memory(0);
    fputc('{', j->f);
}

static void json_member(json_out *j, bool first, const char *key, const char *value)
{
    if (!first) fputc(',', j->f);
    dv_json_string(j->f, key);
    fputc(':', j->f);
    if (value) dv_json_string(j->f, value);
    else fputs("null", j->f);
}

static char *json_close(json_out *j)
{
    fputc('}', j->f);
    if (fclose(j->f) != 0 || !j->text) dv_out_of_memory(j->len);
    return j->text;
}

char *dv_decision_detail(const dv_decision *d)
{
    json_out j;
    json_open(&j);
    fprintf(j.f, "\"decision_id\":%lld", d->decision_id);
    json_member(&j, false, "alert_id", d->alert_id);
    json_member(&j, false, "action", d->action);
    json_member(&j, false, "reason", d->reason);
    json_member(&j, false, "by", d->by);
    json_member(&j, false, "until", d->until);
    return json_close(&j);
}

char *dv_match_detail(const dv_match_decision *m)
{
    json_out j;
    json_open(&j);
    json_member(&j, true, "entity_id", m->entity_id);
    json_member(&j, false, "list_id", m->list_id);
    json_member(&j, false, "verdict", m->verdict);
    json_member(&j, false, "reason", m->reason);
    json_member(&j, false, "by", m->by);
    json_member(&j, false, "entity_fp", m->entity_fp);
    json_member(&j, false, "entry_fp", m->entry_fp);
    return json_close(&j);
}

/* ---- recording ---- */

/* Bind text parameters 1..n (NULL binds NULL). */
static sqlite3_stmt *prepare(dv_store *s, const char *sql, int n, const char *const *texts)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(dv_store_db(s), sql, -1, &st, NULL) != SQLITE_OK) return NULL;
    for (int i = 0; i < n; i++)
        sqlite3_bind_text(st, i + 1, texts[i], -1, SQLITE_TRANSIENT);
    return st;
}

static int run(dv_store *s, const char *sql, int n, const char *const *texts, dv_error *err)
{
    sqlite3_stmt *st = prepare(s, sql, n, texts);
    if (!st) return dv_store_fail(s, err, "writing a decision");
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : dv_store_fail(s, err, "writing a decision");
}

int dv_triage_alert(dv_store *s, dv_decision *d, dv_triage_result *res, dv_error *err)
{
    memset(res, 0, sizeof *res);
    int a = dv_action_find(d->action);
    if (a < 0 || dv_actions[a].on_match)
        return dv_fail(err, DV_EXIT_INTERNAL, "not a decision on an alert: %s", d->action);
    if (dv_store_begin(s, err)) return err->code;
    sqlite3 *db = dv_store_db(s);
    char *detail = NULL, *reason = NULL;
    int rc = 0;
    sqlite3_stmt *st = prepare(s, "SELECT status FROM alerts WHERE alert_id = ?1", 1,
                               (const char *[]){d->alert_id});
    if (!st) {
        rc = dv_store_fail(s, err, "reading the alert");
        goto done;
    }
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        const char *old = (const char *)sqlite3_column_text(st, 0);
        snprintf(res->old_status, sizeof res->old_status, "%s", old ? old : "");
    }
    sqlite3_finalize(st);
    if (step == SQLITE_DONE) {
        rc = dv_fail(err, DV_EXIT_INPUT, "%s: no alert of that id in the case store %s",
                     d->alert_id, dv_store_path(s));
        goto done;
    }
    if (step != SQLITE_ROW) {
        rc = dv_store_fail(s, err, "reading the alert");
        goto done;
    }
    if (a == DV_ACT_REOPEN && strcmp(res->old_status, "dismissed") &&
        strcmp(res->old_status, "escalated")) {
        rc = dv_fail(err, DV_EXIT_INPUT,
                     "%s: the case is %s, neither dismissed nor escalated: there is nothing to "
                     "reopen (--note records a remark)",
                     d->alert_id, res->old_status);
        goto done;
    }
    if (a != DV_ACT_DISMISS) d->until = NULL;
    if ((rc = run(s,
                  "INSERT INTO decisions(time, alert_id, action, reason, by, until, audit_seq) "
                  "VALUES('', ?1, ?2, ?3, ?4, ?5, 0)",
                  5, (const char *[]){d->alert_id, d->action, d->reason, d->by, d->until}, err)))
        goto done;
    d->decision_id = sqlite3_last_insert_rowid(db);
    res->decision_id = d->decision_id;
    detail = dv_decision_detail(d);
    if ((rc = dv_audit_append(s, d->by, d->action, d->alert_id, detail, &res->audit_seq, err)))
        goto done;
    char ids[2][24];
    snprintf(ids[0], sizeof ids[0], "%lld", res->audit_seq);
    snprintf(ids[1], sizeof ids[1], "%lld", d->decision_id);
    /* the row's time is its audit entry's */
    if ((rc = run(s,
                  "UPDATE decisions SET audit_seq = ?1, time = (SELECT time FROM audit WHERE seq "
                  "= ?1) WHERE decision_id = ?2",
                  2, (const char *[]){ids[0], ids[1]}, err)))
        goto done;
    const char *status = dv_actions[a].status;
    if (status) {
        reason = a == DV_ACT_REOPEN ? dv_xasprintf("reopened by %s: %s", d->by, d->reason)
                                    : dv_xstrdup(d->reason);
        if ((rc = run(s,
                      "UPDATE alerts SET status = ?1, reason = ?2, until = ?3 WHERE alert_id = ?4",
                      4, (const char *[]){status, reason, d->until, d->alert_id}, err)))
            goto done;
    }
    rc = dv_store_commit(s, err);
done:
    if (rc) dv_store_rollback(s);
    free(detail);
    free(reason);
    return rc;
}

int dv_triage_match(dv_store *s, dv_match_decision *m, dv_triage_result *res, dv_error *err)
{
    memset(res, 0, sizeof *res);
    int a = dv_action_find(m->verdict);
    if (a < 0 || !dv_actions[a].on_match)
        return dv_fail(err, DV_EXIT_INTERNAL, "not a decision on a match: %s", m->verdict);
    if (dv_store_begin(s, err)) return err->code;
    char *fps[2] = {NULL, NULL}, *detail = NULL;
    int rc = 0;
    const char *const pair[2] = {m->entity_id, m->list_id};
    sqlite3_stmt *st = prepare(s,
                               "SELECT entity_fp, entry_fp, (SELECT count(*) FROM match_decisions d "
                               "WHERE d.entity_id = ?1 AND d.list_id = ?2) FROM entity_matches "
                               "WHERE entity_id = ?1 AND list_id = ?2",
                               2, pair);
    if (!st) {
        rc = dv_store_fail(s, err, "reading the matches");
        goto done;
    }
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        for (int i = 0; i < 2; i++) {
            const char *fp = (const char *)sqlite3_column_text(st, i);
            fps[i] = dv_xstrdup(fp ? fp : "");
        }
        res->replaced = sqlite3_column_int(st, 2) > 0;
    }
    sqlite3_finalize(st);
    if (step == SQLITE_DONE) {
        rc = dv_fail(err, DV_EXIT_INPUT,
                     "%s %s: the last scan recorded in the case store %s matched no such pair "
                     "(divert screen lists the matches: ENTITY_ID then LIST_ID)",
                     m->entity_id, m->list_id, dv_store_path(s));
        goto done;
    }
    if (step != SQLITE_ROW) {
        rc = dv_store_fail(s, err, "reading the matches");
        goto done;
    }
    m->entity_fp = fps[0];
    m->entry_fp = fps[1];
    detail = dv_match_detail(m);
    char *subject = dv_xasprintf("%s %s", m->entity_id, m->list_id);
    rc = dv_audit_append(s, m->by, m->verdict, subject, detail, &res->audit_seq, err);
    free(subject);
    if (rc) goto done;
    char seq[24];
    snprintf(seq, sizeof seq, "%lld", res->audit_seq);
    if ((rc = run(s,
                  "INSERT OR REPLACE INTO match_decisions(entity_id, list_id, verdict, reason, by, "
                  "time, entity_fp, entry_fp, audit_seq) VALUES(?1, ?2, ?3, ?4, ?5, (SELECT time "
                  "FROM audit WHERE seq = ?8), ?6, ?7, ?8)",
                  8,
                  (const char *[]){m->entity_id, m->list_id, m->verdict, m->reason, m->by, fps[0],
                                   fps[1], seq},
                  err)))
        goto done;
    rc = dv_store_commit(s, err);
done:
    if (rc) dv_store_rollback(s);
    m->entity_fp = m->entry_fp = NULL; /* they were this call's */
    free(fps[0]);
    free(fps[1]);
    free(detail);
    return rc;
}
