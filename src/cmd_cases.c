/*
 * cmd_cases.c: divert cases --state FILE.db (every case, one a row) and
 * divert case --state FILE.db ALERT_ID (one case's whole history), read
 * from the case store (store.h); they change nothing. The two share this
 * module: the same store, the same statuses, the same writers of values.
 */
#define _POSIX_C_SOURCE 200809L
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "divert/cli.h"
#include "divert/investigate.h"
#include "divert/msgs.h"
#include "divert/report.h"
#include "divert/store.h"
#include "divert/triage.h"

/* The statuses a case is shown with: an alert's own, or resolved when the
 * last scan no longer reported it (present = 0). */
static const char *const statuses[] = {"new",       "open",      "reopened",
                                       "dismissed", "escalated", "resolved"};
enum { N_STATUSES = sizeof statuses / sizeof statuses[0] };

#define SHOWN_STATUS "CASE WHEN a.present = 0 THEN 'resolved' ELSE a.status END"

static const char *text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

/* The store, opened for reading (an old one is migrated first), or NULL
 * after a message. */
static dv_store *open_store(const dv_invocation *inv)
{
    if (!inv->state || !inv->state[0]) {
        dv_msg("%s needs --state FILE: the case store the scans keep", inv->command);
        return NULL;
    }
    dv_error err = {0, ""};
    dv_store *s = dv_store_open(inv->state, false, &err);
    if (!s) dv_msg("%s", err.msg);
    return s;
}

static int store_error(dv_store *s, const char *doing)
{
    dv_error err = {0, ""};
    int rc = dv_store_fail(s, &err, doing);
    dv_msg("%s", err.msg);
    dv_store_close(s);
    return rc;
}

/* ---- text columns ---- */

/* Characters a terminal shows for s once escaped (UTF-8 sequences count
 * one). */
static size_t shown_width(const char *s)
{
    size_t n = 0;
    for (; *s; s++) n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

/* A table of escaped cells, printed with every column but the last padded
 * to its widest cell. */
typedef struct grid {
    size_t cols, rows, cap, notes_cap;
    char **cells;               /* rows x cols, owned */
    char **notes;               /* by row: a line printed under it, indented, or NULL */
    size_t *width;
} grid;

static void grid_add(grid *g, const char *const *cells)
{
    dv_grow((void **)&g->cells, &g->cap, (g->rows + 1) * g->cols, sizeof *g->cells);
    if (!g->width) g->width = dv_xcalloc(g->cols, sizeof *g->width);
    for (size_t c = 0; c < g->cols; c++) {
        const char *s = cells[c] ? cells[c] : "";
        dv_buf b = {0};
        dv_escape_text(s, strlen(s), &b);
        char *cell = b.data ? b.data : dv_xstrdup("");
        g->cells[g->rows * g->cols + c] = cell;
        size_t w = shown_width(cell);
        if (w > g->width[c]) g->width[c] = w;
    }
    dv_grow((void **)&g->notes, &g->notes_cap, g->rows + 1, sizeof *g->notes);
    g->notes[g->rows] = NULL;
    g->rows++;
}

/* A line under the last row added (escaped as cells are). */
static void grid_note(grid *g, const char *note)
{
    dv_buf b = {0};
    dv_escape_text(note, strlen(note), &b);
    free(g->notes[g->rows - 1]);
    g->notes[g->rows - 1] = b.data;
}

static void grid_free(grid *g)
{
    for (size_t i = 0; i < g->rows * g->cols; i++) free(g->cells[i]);
    for (size_t i = 0; i < g->rows; i++) free(g->notes[i]);
    free(g->cells);
    free(g->notes);
    free(g->width);
}

static void grid_print(FILE *f, grid *g)
{
    for (size_t r = 0; r < g->rows; r++) {
        for (size_t c = 0; c < g->cols; c++) {
            const char *cell = g->cells[r * g->cols + c];
            if (c + 1 == g->cols) fprintf(f, "%s\n", cell);
            else fprintf(f, "%s%*s", cell, (int)(g->width[c] - shown_width(cell) + 2), "");
        }
        if (g->notes[r]) fprintf(f, "  %s\n", g->notes[r]);
    }
    grid_free(g);
}

/* ---- divert cases ---- */

enum { CASES_TEXT, CASES_CSV, CASES_JSON };
static const char *const cases_formats[] = {"text", "csv", "json", NULL};

/* The columns of a case row, in the query's order: csv and json write
 * these names. */
static const char *const case_columns[] = {
    "alert_id",  "status",     "score",       "severity",   "item",     "path",
    "first_seen", "last_seen", "until",       "decisions",  "last_action", "last_by",
    "last_time", "last_reason",
};
enum { N_CASE_COLUMNS = sizeof case_columns / sizeof case_columns[0] };
enum { COL_SCORE = 2, COL_DECISIONS = 9 };

static const char cases_sql[] =
    "SELECT a.alert_id, " SHOWN_STATUS ", a.score, a.severity, a.item, a.path, a.first_seen,"
    " a.last_seen, a.until,"
    " (SELECT count(*) FROM decisions c WHERE c.alert_id = a.alert_id),"
    " d.action, d.by, d.time, d.reason"
    " FROM alerts a LEFT JOIN decisions d ON d.decision_id ="
    " (SELECT max(decision_id) FROM decisions l WHERE l.alert_id = a.alert_id)"
    " WHERE ?1 IS NULL OR " SHOWN_STATUS " = ?1"
    " ORDER BY a.score DESC, a.alert_id";

static void cases_json_row(FILE *f, sqlite3_stmt *st)
{
    fputs("    {", f);
    for (int c = 0; c < N_CASE_COLUMNS; c++) {
        if (c) fputs(", ", f);
        dv_json_key(f, case_columns[c]);
        if (c == COL_SCORE || c == COL_DECISIONS) fprintf(f, "%lld", sqlite3_column_int64(st, c));
        else dv_json_string_or_null(f, text(st, c));
    }
    fputc('}', f);
}

int dv_cmd_cases(dv_invocation *inv)
{
    int format = dv_inv_format("cases", inv->format, cases_formats);
    if (format < 0) return DV_EXIT_INPUT;
    if (inv->status) {
        int k = 0;
        while (k < N_STATUSES && strcmp(statuses[k], inv->status)) k++;
        if (k == N_STATUSES) {
            dv_msg("--status \"%s\": not a status; the statuses are new, open, reopened, "
                   "dismissed, escalated and resolved",
                   inv->status);
            return DV_EXIT_INPUT;
        }
    }
    dv_store *s = open_store(inv);
    if (!s) return DV_EXIT_INPUT;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(dv_store_db(s), cases_sql, -1, &st, NULL) != SQLITE_OK)
        return store_error(s, "reading the cases");
    if (inv->status) sqlite3_bind_text(st, 1, inv->status, -1, SQLITE_STATIC);
    FILE *f = stdout;
    grid g = {.cols = 10};
    if (format == CASES_TEXT)
        grid_add(&g, (const char *[]){"ALERT", "STATUS", "SCORE", "SEVERITY", "ITEM", "FIRST SEEN",
                                      "LAST SEEN", "UNTIL", "DECISIONS", "PATH"});
    else if (format == CASES_CSV)
        for (int c = 0; c < N_CASE_COLUMNS; c++) {
            if (c) fputc(',', f);
            dv_csv_cell(f, case_columns[c], true);
        }
    if (format == CASES_CSV) fputc('\n', f);
    if (format == CASES_JSON) {
        fputs("{\n  ", f);
        dv_json_key(f, "status");
        dv_json_string_or_null(f, inv->status);
        fputs(",\n  \"cases\": [", f);
    }
    long long n = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (format == CASES_CSV) {
            for (int c = 0; c < N_CASE_COLUMNS; c++) {
                if (c) fputc(',', f);
                dv_csv_cell(f, text(st, c) ? text(st, c) : "", true);
            }
            fputc('\n', f);
        } else if (format == CASES_JSON) {
            fputs(n ? ",\n" : "\n", f);
            cases_json_row(f, st);
        } else {
            /* the times as dates, the route last; the latest decision on a
             * line of its own under the row */
            char first[11], last[11];
            snprintf(first, sizeof first, "%s", text(st, 6) ? text(st, 6) : "");
            snprintf(last, sizeof last, "%s", text(st, 7) ? text(st, 7) : "");
            char count[24];
            snprintf(count, sizeof count, "%lld", sqlite3_column_int64(st, COL_DECISIONS));
            grid_add(&g, (const char *[]){text(st, 0), text(st, 1), text(st, 2), text(st, 3),
                                          text(st, 4), first, last, text(st, 8), count,
                                          text(st, 5)});
            if (text(st, 10)) {
                char *note = dv_xasprintf("last decision: %s by %s at %s: %s", text(st, 10),
                                          text(st, 11), text(st, 12),
                                          text(st, 13) ? text(st, 13) : "");
                grid_note(&g, note);
                free(note);
            }
        }
        n++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        grid_free(&g);
        return store_error(s, "reading the cases");
    }
    if (format == CASES_JSON) fprintf(f, "%s],\n  \"count\": %lld\n}\n", n ? "\n  " : "", n);
    if (format == CASES_TEXT) {
        if (n) grid_print(f, &g);
        else grid_free(&g);
        dv_say(f, "%lld case%s%s%s in %s", n, n == 1 ? "" : "s",
               inv->status ? " of status " : "", inv->status ? inv->status : "", inv->state);
    }
    dv_store_close(s);
    return DV_EXIT_OK;
}

/* ---- divert case ---- */

enum { CASE_TEXT, CASE_JSON };
static const char *const case_formats[] = {"text", "json", NULL};

static const char case_sql[] =
    "SELECT a.alert_id, " SHOWN_STATUS ", a.status, a.present, a.reason, a.until, a.score,"
    " a.severity, a.item, a.origin_id, a.final_id, a.path, a.first_run, a.last_run,"
    " a.first_seen, a.last_seen, a.rules, a.digest, a.evidence, a.matches"
    " FROM alerts a WHERE a.alert_id = ?1";
/* their names, for json */
static const char *const case_fields[] = {
    "alert_id", "status",    "store_status", "present",    "reason",    "until",    "score",
    "severity", "item",      "origin_id",    "final_id",   "path",      "first_run", "last_run",
    "first_seen", "last_seen", "rules",      "digest",     "evidence",  "matches",
};
enum { F_PRESENT = 3, F_SCORE = 6, F_FIRST_RUN = 12, F_LAST_RUN = 13, F_EVIDENCE = 18,
       F_MATCHES = 19, N_CASE_FIELDS = 20 };
_Static_assert(sizeof case_fields / sizeof case_fields[0] == N_CASE_FIELDS, "one name a field");

/* Every run the alert was seen in, with whether its digest changed from
 * the run before it was seen in. */
static const char runs_sql[] =
    "SELECT h.run_id, r.started, h.score, h.status, h.digest,"
    " (SELECT p.digest FROM alert_history p WHERE p.alert_id = h.alert_id AND p.run_id < h.run_id"
    "  ORDER BY p.run_id DESC LIMIT 1)"
    " FROM alert_history h LEFT JOIN runs r ON r.run_id = h.run_id WHERE h.alert_id = ?1"
    " ORDER BY h.run_id";
static const char decisions_sql[] =
    "SELECT decision_id, time, by, action, reason, until, audit_seq FROM decisions"
    " WHERE alert_id = ?1 ORDER BY decision_id";

/* One event of the history, for the text's merged timeline. */
typedef struct event {
    char *time;
    int kind;                   /* 0 a run, 1 a decision: runs first at the same time */
    long long id;
    char *line;
} event;

static int event_cmp(const void *a, const void *b)
{
    const event *x = a, *y = b;
    int c = strcmp(x->time, y->time);
    if (c) return c;
    if (x->kind != y->kind) return x->kind - y->kind;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* A stored list, one item a line, as a JSON array (matches: pairs split at
 * the tab into objects). */
static void json_lines(FILE *f, const char *s, bool pairs)
{
    fputc('[', f);
    bool first = true;
    while (s && *s) {
        size_t len = strcspn(s, "\n");
        char *item = dv_xstrndup(s, len);
        if (len) {
            fputs(first ? "" : ", ", f);
            first = false;
            char *tab = pairs ? strchr(item, '\t') : NULL;
            if (tab) {
                *tab = 0;
                fputc('{', f);
                dv_json_key(f, "entity_id");
                dv_json_string(f, item);
                fputs(", ", f);
                dv_json_key(f, "list_id");
                dv_json_string(f, tab + 1);
                fputc('}', f);
            } else {
                dv_json_string(f, item);
            }
        }
        free(item);
        s += len + (s[len] == '\n');
    }
    fputc(']', f);
}

/* The same list on one line for text: "a, b" (pairs as "ENTITY on LIST"). */
static char *text_lines(const char *s, bool pairs)
{
    dv_buf b = {0};
    while (s && *s) {
        size_t len = strcspn(s, "\n");
        if (len) {
            char *item = dv_xstrndup(s, len);
            char *tab = pairs ? strchr(item, '\t') : NULL;
            if (tab) *tab = 0;
            dv_buf_printf(&b, "%s%s%s%s", b.len ? ", " : "", item, tab ? " on " : "",
                          tab ? tab + 1 : "");
            free(item);
        }
        s += len + (s[len] == '\n');
    }
    return b.data ? b.data : dv_xstrdup("none");
}

static void case_text(FILE *f, sqlite3_stmt *a, event *events, size_t n_events)
{
    dv_say(f, "case %s", text(a, 0));
    grid g = {.cols = 2};
    char *status = !sqlite3_column_int(a, F_PRESENT)
                       ? dv_xasprintf("resolved: the last scan did not report it (it was %s)",
                                      text(a, 2))
                       : dv_xstrdup(text(a, 1));
    char *until = text(a, 5) ? dv_xasprintf("%s, until %s", status, text(a, 5)) : NULL;
    grid_add(&g, (const char *[]){"  status", until ? until : status});
    if (text(a, 4)) grid_add(&g, (const char *[]){"  why", text(a, 4)});
    char *score = dv_xasprintf("%lld (%s)", sqlite3_column_int64(a, F_SCORE), text(a, 7));
    grid_add(&g, (const char *[]){"  score", score});
    grid_add(&g, (const char *[]){"  item", text(a, 8)});
    grid_add(&g, (const char *[]){"  route", text(a, 11)});
    char *first = dv_xasprintf("%s (run %lld)", text(a, 14), sqlite3_column_int64(a, F_FIRST_RUN));
    char *last = dv_xasprintf("%s (run %lld)", text(a, 15), sqlite3_column_int64(a, F_LAST_RUN));
    grid_add(&g, (const char *[]){"  first seen", first});
    grid_add(&g, (const char *[]){"  last seen", last});
    grid_add(&g, (const char *[]){"  rules", text(a, 16)});
    char *evidence = text_lines(text(a, F_EVIDENCE), false);
    char *matches = text_lines(text(a, F_MATCHES), true);
    grid_add(&g, (const char *[]){"  evidence", evidence});
    grid_add(&g, (const char *[]){"  matches", matches});
    grid_add(&g, (const char *[]){"  digest", text(a, 17)});
    grid_print(f, &g);
    free(status);
    free(until);
    free(score);
    free(first);
    free(last);
    free(evidence);
    free(matches);
    fputs("history:\n", f);
    grid h = {.cols = 2};
    for (size_t i = 0; i < n_events; i++) {
        char *time = dv_xasprintf("  %s", events[i].time);
        grid_add(&h, (const char *[]){time, events[i].line});
        free(time);
    }
    if (n_events) grid_print(f, &h);
    else fputs("  nothing recorded\n", f);
}

int dv_cmd_case(dv_invocation *inv)
{
    int format = dv_inv_format("case", inv->format, case_formats);
    if (format < 0) return DV_EXIT_INPUT;
    if (inv->n_args != 1) {
        dv_msg("case takes one ALERT_ID at a time; %d given", inv->n_args);
        return DV_EXIT_INPUT;
    }
    const char *id = inv->args[0];
    dv_store *s = open_store(inv);
    if (!s) return DV_EXIT_INPUT;
    sqlite3 *db = dv_store_db(s);
    sqlite3_stmt *a = NULL, *runs = NULL, *dec = NULL;
    if (sqlite3_prepare_v2(db, case_sql, -1, &a, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, runs_sql, -1, &runs, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, decisions_sql, -1, &dec, NULL) != SQLITE_OK) {
        sqlite3_finalize(a);
        sqlite3_finalize(runs);
        sqlite3_finalize(dec);
        return store_error(s, "reading the case");
    }
    sqlite3_bind_text(a, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(runs, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(dec, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(a);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(a);
        sqlite3_finalize(runs);
        sqlite3_finalize(dec);
        if (rc != SQLITE_DONE) return store_error(s, "reading the case");
        dv_msg("%s: no alert of that id in the case store %s", id, inv->state);
        dv_store_close(s);
        return DV_EXIT_INPUT;
    }
    FILE *f = stdout;
    event *events = NULL;
    size_t n_events = 0, cap = 0;
    if (format == CASE_JSON) {
        fputs("{\n", f);
        for (int c = 0; c < N_CASE_FIELDS; c++) {
            fputs("  ", f);
            dv_json_key(f, case_fields[c]);
            if (c == F_PRESENT) fputs(sqlite3_column_int(a, c) ? "true" : "false", f);
            else if (c == F_SCORE || c == F_FIRST_RUN || c == F_LAST_RUN)
                fprintf(f, "%lld", sqlite3_column_int64(a, c));
            else if (c == F_EVIDENCE || c == F_MATCHES) json_lines(f, text(a, c), c == F_MATCHES);
            else dv_json_string_or_null(f, text(a, c));
            fputs(",\n", f);
        }
        fputs("  \"runs\": [", f);
    }
    long long n = 0;
    while ((rc = sqlite3_step(runs)) == SQLITE_ROW) {
        const char *digest = text(runs, 4), *before = text(runs, 5);
        bool changed = before && digest && strcmp(before, digest);
        if (format == CASE_JSON) {
            fputs(n++ ? ",\n    {" : "\n    {", f);
            fprintf(f, "\"run_id\": %lld, ", sqlite3_column_int64(runs, 0));
            dv_json_key(f, "time");
            dv_json_string_or_null(f, text(runs, 1));
            fprintf(f, ", \"score\": %lld, ", sqlite3_column_int64(runs, 2));
            dv_json_key(f, "status");
            dv_json_string_or_null(f, text(runs, 3));
            fputs(", ", f);
            dv_json_key(f, "digest");
            dv_json_string_or_null(f, digest);
            fprintf(f, ", \"evidence_changed\": %s}", changed ? "true" : "false");
            continue;
        }
        event e = {.time = dv_xstrdup(text(runs, 1) ? text(runs, 1) : "?"), .kind = 0,
                   .id = sqlite3_column_int64(runs, 0)};
        e.line = dv_xasprintf("run %lld: reported, score %lld, status %s, %s", e.id,
                              sqlite3_column_int64(runs, 2), text(runs, 3) ? text(runs, 3) : "?",
                              !before ? "first seen" : changed ? "evidence changed"
                                                               : "evidence unchanged");
        DV_PUSH(events, n_events, cap, e);
    }
    if (rc == SQLITE_DONE) {
        if (format == CASE_JSON) fputs(n ? "\n  ],\n  \"decisions\": [" : "],\n  \"decisions\": [", f);
        n = 0;
        while ((rc = sqlite3_step(dec)) == SQLITE_ROW) {
            if (format == CASE_JSON) {
                fputs(n++ ? ",\n    {" : "\n    {", f);
                fprintf(f, "\"decision_id\": %lld", sqlite3_column_int64(dec, 0));
                static const char *const names[] = {NULL, "time", "by", "action", "reason",
                                                    "until"};
                for (int c = 1; c <= 5; c++) {
                    fputs(", ", f);
                    dv_json_key(f, names[c]);
                    dv_json_string_or_null(f, text(dec, c));
                }
                fprintf(f, ", \"audit_seq\": %lld}", sqlite3_column_int64(dec, 6));
                continue;
            }
            event e = {.time = dv_xstrdup(text(dec, 1) ? text(dec, 1) : "?"), .kind = 1,
                       .id = sqlite3_column_int64(dec, 0)};
            e.line = dv_xasprintf("decision %lld: %s by %s%s%s: %s (audit entry %lld)", e.id,
                                  text(dec, 3), text(dec, 2), text(dec, 5) ? " until " : "",
                                  text(dec, 5) ? text(dec, 5) : "", text(dec, 4),
                                  sqlite3_column_int64(dec, 6));
            DV_PUSH(events, n_events, cap, e);
        }
    }
    int status = DV_EXIT_OK;
    if (rc != SQLITE_DONE) {
        dv_error err = {0, ""};
        status = dv_store_fail(s, &err, "reading the case");
        dv_msg("%s", err.msg);
    } else if (format == CASE_JSON) {
        fputs(n ? "\n  ]\n}\n" : "]\n}\n", f);
    } else {
        dv_qsort(events, n_events, sizeof *events, event_cmp);
        case_text(f, a, events, n_events);
    }
    for (size_t i = 0; i < n_events; i++) {
        free(events[i].time);
        free(events[i].line);
    }
    free(events);
    sqlite3_finalize(a);
    sqlite3_finalize(runs);
    sqlite3_finalize(dec);
    dv_store_close(s);
    return status;
}
