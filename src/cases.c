/*
 * cases.c: a scan against the case store: statuses, what changed, the
 * watchlists' changes, the run recorded with its audit entry (cases.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "divert/cases.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "divert/audit.h"
#include "divert/digest.h"
#include "divert/msgs.h"
#include "divert/pipeline.h"
#include "divert/report.h"

const char *const dv_case_status_names[DV_CASE_COUNT] = {
    [DV_CASE_NEW] = "new",           [DV_CASE_OPEN] = "open",
    [DV_CASE_REOPENED] = "reopened", [DV_CASE_DISMISSED] = "dismissed",
    [DV_CASE_ESCALATED] = "escalated"};

const char *const dv_change_names[DV_CHANGE_COUNT] = {
    [DV_CHANGE_NEW] = "new",
    [DV_CHANGE_REOPENED] = "reopened",
    [DV_CHANGE_RESOLVED] = "resolved",
    [DV_CHANGE_SCORE] = "score_changed",
    [DV_CHANGE_EVIDENCE] = "evidence_changed"};

const char *const dv_list_change_names[DV_LIST_CHANGE_COUNT] = {
    [DV_LIST_ENTRY_ADDED] = "entry_added",
    [DV_LIST_ENTRY_REMOVED] = "entry_removed",
    [DV_LIST_MATCH_ADDED] = "match_added",
    [DV_LIST_MATCH_REMOVED] = "match_removed"};

/* ---- fingerprints ---- */

static void fingerprint(const char *name, const char *const *aliases, size_t n_aliases,
                        const char *country, char out[33])
{
    dv_sha256 *h = dv_sha256_new();
    /* each part ends with a separator no name holds */
    const char *parts[2] = {name, country};
    for (int k = 0; k < 2; k++) {
        const char *v = parts[k] ? parts[k] : "";
        dv_sha256_update(h, v, strlen(v));
        dv_sha256_update(h, "\x1e", 1);
    }
    for (size_t i = 0; i < n_aliases; i++) {
        dv_sha256_update(h, aliases[i], strlen(aliases[i]));
        dv_sha256_update(h, "\x1f", 1);
    }
    char hex[65];
    dv_sha256_final_hex(h, hex);
    memcpy(out, hex, 32); /* the first 16 bytes */
    out[32] = 0;
}

void dv_entity_fp(const dv_entity *e, char out[33])
{
    fingerprint(e->name, e->aliases, e->naliases, e->country, out);
}

void dv_watch_fp(const dv_watch *w, char out[33])
{
    fingerprint(w->name, w->aliases, w->naliases, w->country, out);
}

/* ---- the decisions a scan honours ---- */

static int cleared_cmp(const void *a, const void *b)
{
    const dv_cleared *x = a, *y = b;
    int c = strcmp(x->entity_id, y->entity_id);
    return c ? c : strcmp(x->list_id, y->list_id);
}

int dv_cases_prepare(dv_cases *c, dv_store *s, dv_error *err)
{
    memset(c, 0, sizeof *c);
    c->on = true;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(dv_store_db(s),
                           "SELECT entity_id, list_id, entity_fp, entry_fp, by FROM match_decisions "
                           "WHERE verdict = 'not_a_match'",
                           -1, &st, NULL) != SQLITE_OK)
        return dv_store_fail(s, err, "reading the screening decisions");
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        dv_cleared d = {0};
        d.entity_id = dv_xstrdup((const char *)sqlite3_column_text(st, 0));
        d.list_id = dv_xstrdup((const char *)sqlite3_column_text(st, 1));
        snprintf(d.entity_fp, sizeof d.entity_fp, "%s", (const char *)sqlite3_column_text(st, 2));
        snprintf(d.entry_fp, sizeof d.entry_fp, "%s", (const char *)sqlite3_column_text(st, 3));
        d.by = dv_xstrdup((const char *)sqlite3_column_text(st, 4));
        DV_PUSH(c->cleared, c->n_cleared, cap, d);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return dv_store_fail(s, err, "reading the screening decisions");
    dv_qsort(c->cleared, c->n_cleared, sizeof *c->cleared, cleared_cmp);
    return 0;
}

bool dv_cases_cleared(const void *ctx, const dv_dataset *ds, uint32_t entity, uint32_t watch)
{
    const dv_cases *c = ctx;
    if (!c->n_cleared) return false;
    dv_cleared key = {.entity_id = (char *)ds->entities[entity].id,
                      .list_id = (char *)ds->watchlist[watch].id};
    const dv_cleared *d = bsearch(&key, c->cleared, c->n_cleared, sizeof *c->cleared, cleared_cmp);
    if (!d) return false;
    char efp[33], wfp[33];
    dv_entity_fp(&ds->entities[entity], efp);
    dv_watch_fp(&ds->watchlist[watch], wfp);
    return !strcmp(efp, d->entity_fp) && !strcmp(wfp, d->entry_fp);
}

/* ---- what an alert is made of, as the store keeps it ---- */

typedef struct alert_facts {
    char *rules;      /* ";"-joined rule ids */
    char *evidence;   /* shipment ids, sorted, one a line */
    char *matches;    /* ENTITY_ID<TAB>LIST_ID, sorted, one a line */
    char digest[65];
} alert_facts;

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorted distinct strings joined by '\n', into a new heap string. */
static char *join_sorted(const char **v, size_t n)
{
    dv_qsort(v, n, sizeof *v, str_cmp);
    dv_buf b = {0};
    for (size_t i = 0; i < n; i++) {
        if (i && !strcmp(v[i], v[i - 1])) continue;
        if (b.len) dv_buf_puts(&b, "\n");
        dv_buf_puts(&b, v[i]);
    }
    return b.data ? b.data : dv_xstrdup("");
}

static void facts_of(const dv_pipeline *p, const dv_alert *a, alert_facts *f)
{
    const dv_dataset *ds = &p->ds;
    dv_buf b = {0};
    for (size_t i = 0; i < a->n_hits; i++)
        dv_buf_printf(&b, "%s%s", i ? ";" : "", dv_rules[a->hits[i].rule].id);
    f->rules = b.data ? b.data : dv_xstrdup("");
    const char **ids = dv_xmalloc((a->n_evidence + 1) * sizeof *ids);
    for (size_t i = 0; i < a->n_evidence; i++) ids[i] = ds->shipments[a->evidence[i]].id;
    f->evidence = join_sorted(ids, a->n_evidence);
    free(ids);
    char *pairs[DV_MAX_HOPS + 1];
    size_t n = 0;
    for (int h = 0; h <= a->hops; h++) {
        const dv_match *m = dv_screening_best(&p->screening, a->path[h]);
        if (m)
            pairs[n++] = dv_xasprintf("%s\t%s", ds->entities[a->path[h]].id,
                                      ds->watchlist[m->watch].id);
    }
    f->matches = join_sorted((const char **)pairs, n);
    for (size_t i = 0; i < n; i++) free(pairs[i]);
    dv_buf all = {0};
    dv_buf_printf(&all, "rules\n%s\nevidence\n%s\nmatches\n%s\n", f->rules, f->evidence, f->matches);
    dv_sha256_hex(all.data, all.len, f->digest);
    dv_buf_free(&all);
}

static void facts_free(alert_facts *f)
{
    free(f->rules);
    free(f->evidence);
    free(f->matches);
}

/* A line of a '\n'-joined list: where it starts and how long it is. */
typedef struct line_ref {
    const char *p;
    size_t len;
} line_ref;

static int line_cmp(const void *a, const void *b)
{
    const line_ref *x = a, *y = b;
    int c = memcmp(x->p, y->p, x->len < y->len ? x->len : y->len);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* The lines of text, into a new array (*n of them). */
static line_ref *split_lines(const char *text, size_t *n)
{
    size_t cap = 0;
    line_ref *v = NULL;
    *n = 0;
    for (const char *p = text; *p;) {
        size_t len = strcspn(p, "\n");
        DV_PUSH(v, *n, cap, ((line_ref){p, len}));
        p += len + (p[len] == '\n');
    }
    return v;
}

/* The lines of a that b lacks, as "x, y and N more" into out; how many.
 * b's lines are sorted and searched: an alert's evidence may hold
 * thousands of shipments. */
static size_t lines_missing(const char *a, const char *b, dv_buf *out, const char *sep_in)
{
    size_t n = 0, na, nb;
    line_ref *la = split_lines(a, &na), *lb = split_lines(b, &nb);
    dv_qsort(lb, nb, sizeof *lb, line_cmp);
    for (size_t k = 0; k < na; k++) {
        const line_ref *l = &la[k];
        if (nb && bsearch(l, lb, nb, sizeof *lb, line_cmp)) continue;
        if (n < 5) {
            dv_buf_puts(out, n ? ", " : "");
            for (size_t i = 0; i < l->len; i++) /* a match's tab reads as its words */
                if (l->p[i] == '\t') dv_buf_puts(out, sep_in);
                else dv_buf_add(out, l->p + i, 1);
        }
        n++;
    }
    free(la);
    free(lb);
    if (n > 5) dv_buf_printf(out, " and %zu more", n - 5);
    return n;
}

/* ---- the last run, as the store has it ---- */

typedef struct prev_alert {
    char *id, *status, *reason, *until, *digest, *evidence, *matches, *rules, *last_seen;
    int score;
    bool present, seen;       /* seen: this run reports it too */
    bool analyst_reopened;    /* reopened by a decision since the last run */
} prev_alert;

static int prev_cmp(const void *a, const void *b)
{
    return strcmp(((const prev_alert *)a)->id, ((const prev_alert *)b)->id);
}

/* The stored alert of this id, or NULL. */
static prev_alert *find_prev(prev_alert *prev, size_t n, const char *id)
{
    if (!n) return NULL;
    prev_alert key = {.id = (char *)id};
    return bsearch(&key, prev, n, sizeof *prev, prev_cmp);
}

static char *col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? dv_xstrdup((const char *)t) : NULL;
}

static int read_prev(dv_store *s, prev_alert **out, size_t *n_out, dv_error *err)
{
    sqlite3_stmt *st;
    *out = NULL;
    *n_out = 0;
    /* an analyst's --reopen after the last run: that run's audit entry
     * comes before the decision's */
    if (sqlite3_prepare_v2(
            dv_store_db(s),
            "SELECT a.alert_id, a.status, a.reason, a.until, a.digest, a.evidence, a.matches, "
            "a.rules, a.last_seen, a.score, a.present, EXISTS(SELECT 1 FROM decisions d WHERE "
            "d.alert_id = a.alert_id AND d.action = 'reopen' AND d.audit_seq > "
            "(SELECT coalesce(max(audit_seq), 0) FROM runs)) FROM alerts a ORDER BY a.alert_id",
            -1, &st, NULL) != SQLITE_OK)
        return dv_store_fail(s, err, "reading the alerts");
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        prev_alert a = {0};
        a.id = col_dup(st, 0);
        a.status = col_dup(st, 1);
        a.reason = col_dup(st, 2);
        a.until = col_dup(st, 3);
        a.digest = col_dup(st, 4);
        a.evidence = col_dup(st, 5);
        a.matches = col_dup(st, 6);
        a.rules = col_dup(st, 7);
        a.last_seen = col_dup(st, 8);
        a.score = sqlite3_column_int(st, 9);
        a.present = sqlite3_column_int(st, 10) != 0;
        a.analyst_reopened = sqlite3_column_int(st, 11) != 0;
        if (!a.id || !a.status || !a.digest || !a.evidence || !a.matches || !a.rules) {
            sqlite3_finalize(st);
            free(a.id);
            return dv_fail(err, DV_EXIT_INPUT, "%s: case store: an alert row lacks a value",
                           dv_store_path(s));
        }
        DV_PUSH(*out, *n_out, cap, a);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return dv_store_fail(s, err, "reading the alerts");
    return 0;
}

static void prev_free(prev_alert *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        prev_alert *a = &v[i];
        free(a->id), free(a->status), free(a->reason), free(a->until), free(a->digest);
        free(a->evidence), free(a->matches), free(a->rules), free(a->last_seen);
    }
    free(v);
}

/* ---- changes ---- */

static void add_change(dv_cases *c, size_t *cap, const char *id, dv_change_kind kind, int old_score,
                       int new_score, char *what)
{
    dv_change ch = {.kind = kind, .old_score = old_score, .new_score = new_score, .what = what};
    snprintf(ch.alert_id, sizeof ch.alert_id, "%s", id);
    DV_PUSH(c->changes, c->n_changes, *cap, ch);
    c->by_change[kind]++;
}

static int change_cmp(const void *a, const void *b)
{
    const dv_change *x = a, *y = b;
    if (x->kind != y->kind) return x->kind < y->kind ? -1 : 1;
    return strcmp(x->alert_id, y->alert_id);
}

/* The list entries newly added this run that a match line ("E\tL") names,
 * as "newly listed on LIST: ..." sentences; NULL if none. */
static const dv_list_change *newly_listed(const dv_cases *c, const char *entity_id,
                                          const char *list_id)
{
    for (size_t i = 0; i < c->n_list_changes; i++) {
        const dv_list_change *lc = &c->list_changes[i];
        if (lc->kind == DV_LIST_MATCH_ADDED && !strcmp(lc->entity_id, entity_id) &&
            !strcmp(lc->list_id, list_id)) {
            for (size_t k = 0; k < c->n_list_changes; k++)
                if (c->list_changes[k].kind == DV_LIST_ENTRY_ADDED &&
                    !strcmp(c->list_changes[k].list_id, list_id) &&
                    !strcmp(c->list_changes[k].list, lc->list))
                    return lc;
            return NULL;
        }
    }
    return NULL;
}

/* Why new evidence reopens a dismissed alert, or explains a change:
 * new shipments, new matches (newly listed ones named so), a higher
 * score. Empty when there is none. */
static void new_evidence(const dv_cases *c, const prev_alert *pa, const alert_facts *f,
                         int score, dv_buf *why)
{
    dv_buf ids = {0};
    size_t n = lines_missing(f->evidence, pa->evidence, &ids, "");
    if (n)
        dv_buf_printf(why, "%s%zu new shipment%s on the route (%s)", why->len ? "; " : "", n,
                      n == 1 ? "" : "s", ids.data);
    dv_buf_free(&ids);
    for (const char *p = f->matches; *p;) {
        size_t len = strcspn(p, "\n");
        char line[512];
        snprintf(line, sizeof line, "%.*s", (int)(len < 511 ? len : 511), p);
        p += len + (p[len] == '\n');
        bool had = false;
        for (const char *q = pa->matches; *q;) {
            size_t ql = strcspn(q, "\n");
            if (ql == len && !strncmp(q, line, len)) had = true;
            q += ql + (q[ql] == '\n');
        }
        if (had) continue;
        char *tab = strchr(line, '\t');
        if (!tab) continue;
        *tab = 0;
        const dv_list_change *lc = newly_listed(c, line, tab + 1);
        if (lc)
            dv_buf_printf(why, "%snewly listed on %s: %s matches %s (%s)", why->len ? "; " : "",
                          lc->list, line, tab + 1, lc->list_name);
        else
            dv_buf_printf(why, "%snew watchlist match: %s matches %s", why->len ? "; " : "", line,
                          tab + 1);
    }
    if (score > pa->score)
        dv_buf_printf(why, "%sscore rose from %d to %d", why->len ? "; " : "", pa->score, score);
}

/* What differs between the stored facts and this run's, in words. */
static char *evidence_words(const prev_alert *pa, const alert_facts *f)
{
    dv_buf b = {0}, part = {0};
    size_t n;
    if ((n = lines_missing(f->evidence, pa->evidence, &part, "")))
        dv_buf_printf(&b, "%s%zu shipment%s added (%s)", b.len ? "; " : "", n, n == 1 ? "" : "s",
                      part.data);
    part.len = 0;
    if ((n = lines_missing(pa->evidence, f->evidence, &part, "")))
        dv_buf_printf(&b, "%s%zu shipment%s no longer in the evidence (%s)", b.len ? "; " : "", n,
                      n == 1 ? "" : "s", part.data);
    part.len = 0;
    if ((n = lines_missing(f->matches, pa->matches, &part, " matches ")))
        dv_buf_printf(&b, "%swatchlist match%s added (%s)", b.len ? "; " : "", n == 1 ? "" : "es",
                      part.data);
    part.len = 0;
    if ((n = lines_missing(pa->matches, f->matches, &part, " matches ")))
        dv_buf_printf(&b, "%swatchlist match%s gone (%s)", b.len ? "; " : "", n == 1 ? "" : "es",
                      part.data);
    if (strcmp(pa->rules, f->rules))
        dv_buf_printf(&b, "%srules %s -> %s", b.len ? "; " : "", pa->rules, f->rules);
    dv_buf_free(&part);
    return b.data ? b.data : dv_xstrdup("evidence changed");
}

/* ---- the inputs ---- */

typedef struct input_file {
    const char *name;   /* as the run records it: the file's name in the dataset */
    const char *path;
    long rows;
    long long size;
    char sha256[65];
} input_file;

/* The dataset's files, the tables' first and the watchlists' last, with
 * their sizes and checksums; 0 or an error. */
static int input_files(const dv_dataset *ds, input_file *out, size_t cap, size_t *n_out,
                       dv_error *err)
{
    size_t n = 0;
    for (int t = 0; t < DV_T_COUNT; t++) {
        const dv_table_info *info = &ds->tables[t];
        if (t == DV_T_WATCHLIST || !info->present || info->reference || !info->path) continue;
        if (n < cap) {
            out[n] = (input_file){info->path, info->path, info->rows_read, info->bytes, ""};
            memcpy(out[n++].sha256, info->sha256, 65);
        }
    }
    for (size_t i = 0; i < ds->n_lists; i++)
        if (n < cap) {
            const dv_list_file *lf = &ds->lists[i];
            out[n] = (input_file){lf->path, lf->path, lf->rows_read, lf->bytes, ""};
            memcpy(out[n++].sha256, lf->sha256, 65);
        }
    for (size_t i = 0; i < n; i++) { /* the name without the dataset's directory */
        const char *slash = strrchr(out[i].path, '/');
        out[i].name = slash ? slash + 1 : out[i].path;
        /* the load hashed what it read; a file read otherwise, here */
        if (!out[i].sha256[0] && dv_sha256_file(out[i].path, out[i].sha256, &out[i].size, err))
            return err->code;
    }
    *n_out = n;
    return 0;
}

/* ---- the watchlists ---- */

typedef struct entry_row {
    char *list, *id, *name, *fp;
} entry_row;

static int entry_cmp(const void *a, const void *b)
{
    const entry_row *x = a, *y = b;
    int c = strcmp(x->list, y->list);
    return c ? c : strcmp(x->id, y->id);
}

static void add_list_change(dv_cases *c, size_t *cap, dv_list_change_kind kind, const char *list,
                            const char *id, const char *name, const char *entity_id,
                            const char *entity_name, double score)
{
    dv_list_change lc = {kind,
                         dv_xstrdup(list),
                         dv_xstrdup(id),
                         dv_xstrdup(name ? name : ""),
                         entity_id ? dv_xstrdup(entity_id) : NULL,
                         entity_name ? dv_xstrdup(entity_name) : NULL,
                         score};
    DV_PUSH(c->list_changes, c->n_list_changes, *cap, lc);
    c->by_list_change[kind]++;
}

static int list_change_cmp(const void *a, const void *b)
{
    const dv_list_change *x = a, *y = b;
    if (x->kind != y->kind) return x->kind < y->kind ? -1 : 1;
    int r = strcmp(x->list, y->list);
    if (!r) r = strcmp(x->list_id, y->list_id);
    if (!r && x->entity_id && y->entity_id) r = strcmp(x->entity_id, y->entity_id);
    return r;
}

static int step_done(dv_store *s, sqlite3_stmt *st, dv_error *err, const char *doing)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return dv_store_fail(s, err, doing);
    return 0;
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v) sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(st, i);
}

/* The watchlist files and their entries against the last run's: entries
 * added and removed when a file changed; then the list tables replaced. */
static int compare_lists(dv_cases *c, dv_store *s, const dv_dataset *ds, const input_file *files,
                         bool first, size_t *cap, dv_error *err)
{
    sqlite3 *db = dv_store_db(s);
    sqlite3_stmt *st;
    /* the files: changed when any checksum or the set of files differs */
    size_t stored = 0, same = 0;
    if (sqlite3_prepare_v2(db, "SELECT file, sha256 FROM list_files", -1, &st, NULL) != SQLITE_OK)
        return dv_store_fail(s, err, "reading the list files");
    while (sqlite3_step(st) == SQLITE_ROW) {
        stored++;
        const char *file = (const char *)sqlite3_column_text(st, 0);
        const char *sum = (const char *)sqlite3_column_text(st, 1);
        for (size_t i = 0; file && sum && i < ds->n_lists; i++)
            if (!strcmp(files[i].name, file) && !strcmp(files[i].sha256, sum)) same++;
    }
    sqlite3_finalize(st);
    c->lists_changed = !(stored == ds->n_lists && same == ds->n_lists);
    if (!c->lists_changed) return 0;
    /* this run's entries, sorted */
    entry_row *now = dv_xcalloc(ds->n_watch + 1, sizeof *now);
    for (size_t i = 0; i < ds->n_watch; i++) {
        const dv_watch *w = &ds->watchlist[i];
        char fp[33];
        dv_watch_fp(w, fp);
        now[i] = (entry_row){(char *)w->list, (char *)w->id, (char *)w->name, dv_xstrdup(fp)};
    }
    dv_qsort(now, ds->n_watch, sizeof *now, entry_cmp);
    int rc = 0;
    if (!first) { /* a first run adds no entries: the lists were not watched before */
        if (sqlite3_prepare_v2(db, "SELECT list, list_id, name FROM list_entries ORDER BY list, list_id",
                               -1, &st, NULL) != SQLITE_OK) {
            rc = dv_store_fail(s, err, "reading the list entries");
            goto out;
        }
        bool *kept = dv_xcalloc(ds->n_watch + 1, sizeof *kept);
        while (sqlite3_step(st) == SQLITE_ROW) {
            entry_row key = {(char *)sqlite3_column_text(st, 0), (char *)sqlite3_column_text(st, 1),
                             NULL, NULL};
            if (!key.list || !key.id) continue;
            entry_row *hit = bsearch(&key, now, ds->n_watch, sizeof *now, entry_cmp);
            if (hit) kept[hit - now] = true;
            else
                add_list_change(c, cap, DV_LIST_ENTRY_REMOVED, key.list, key.id,
                                (const char *)sqlite3_column_text(st, 2), NULL, NULL, 0);
        }
        sqlite3_finalize(st);
        for (size_t i = 0; i < ds->n_watch; i++)
            if (!kept[i] && (i == 0 || entry_cmp(&now[i], &now[i - 1])))
                add_list_change(c, cap, DV_LIST_ENTRY_ADDED, now[i].list, now[i].id, now[i].name,
                                NULL, NULL, 0);
        free(kept);
    }
    /* replace the stored files and entries */
    if ((rc = dv_store_exec(s, "DELETE FROM list_files; DELETE FROM list_entries", err))) goto out;
    if (sqlite3_prepare_v2(db, "INSERT INTO list_files VALUES(?, ?, ?)", -1, &st, NULL) != SQLITE_OK) {
        rc = dv_store_fail(s, err, "writing the list files");
        goto out;
    }
    for (size_t i = 0; i < ds->n_lists && !rc; i++) {
        bind_text(st, 1, files[i].name);
        sqlite3_bind_int64(st, 2, files[i].size);
        bind_text(st, 3, files[i].sha256);
        rc = step_done(s, st, err, "writing the list files");
    }
    sqlite3_finalize(st);
    if (rc) goto out;
    if (sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO list_entries VALUES(?, ?, ?, ?, ?)", -1, &st,
                           NULL) != SQLITE_OK) {
        rc = dv_store_fail(s, err, "writing the list entries");
        goto out;
    }
    for (size_t i = 0; i < ds->n_watch && !rc; i++) {
        const dv_watch *w = &ds->watchlist[i];
        char fp[33];
        dv_watch_fp(w, fp);
        bind_text(st, 1, w->list);
        bind_text(st, 2, w->id);
        bind_text(st, 3, w->name);
        bind_text(st, 4, w->country);
        bind_text(st, 5, fp);
        rc = step_done(s, st, err, "writing the list entries");
    }
    sqlite3_finalize(st);
out:
    for (size_t i = 0; i < ds->n_watch; i++) free(now[i].fp);
    free(now);
    return rc;
}

/* This run's matches (all of them, those an analyst cleared too) against
 * the last run's entity_matches: matches added and removed; then the
 * table replaced. */
static int compare_matches(dv_cases *c, dv_store *s, const dv_pipeline *p, bool first, size_t *cap,
                           dv_error *err)
{
    const dv_dataset *ds = &p->ds;
    sqlite3 *db = dv_store_db(s);
    const dv_matches *sets[2] = {&p->screening.all, &p->screening.dropped};
    /* the current pairs that count, sorted: those not cleared */
    size_t n = p->screening.all.n;
    entry_row *now = dv_xcalloc(n + 1, sizeof *now); /* list = entity id, id = list id */
    for (size_t i = 0; i < n; i++) {
        const dv_match *m = &p->screening.all.m[i];
        now[i] = (entry_row){(char *)ds->entities[m->entity].id, (char *)ds->watchlist[m->watch].id,
                             (char *)m, NULL};
    }
    dv_qsort(now, n, sizeof *now, entry_cmp);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT entity_id, list_id, list, list_name, entity_name, score "
                               "FROM entity_matches ORDER BY entity_id, list_id",
                           -1, &st, NULL) != SQLITE_OK) {
        free(now);
        return dv_store_fail(s, err, "reading the matches");
    }
    bool *kept = dv_xcalloc(n + 1, sizeof *kept);
    /* a pair cleared since is not "gone": it is in the dropped set */
    while (sqlite3_step(st) == SQLITE_ROW) {
        entry_row key = {(char *)sqlite3_column_text(st, 0), (char *)sqlite3_column_text(st, 1),
                         NULL, NULL};
        if (!key.list || !key.id) continue;
        entry_row *hit = bsearch(&key, now, n, sizeof *now, entry_cmp);
        if (hit) {
            kept[hit - now] = true;
            continue;
        }
        bool cleared = false;
        for (size_t i = 0; i < p->screening.dropped.n && !cleared; i++) {
            const dv_match *m = &p->screening.dropped.m[i];
            cleared = !strcmp(ds->entities[m->entity].id, key.list) &&
                      !strcmp(ds->watchlist[m->watch].id, key.id);
        }
        if (!cleared)
            add_list_change(c, cap, DV_LIST_MATCH_REMOVED, (const char *)sqlite3_column_text(st, 2),
                            key.id, (const char *)sqlite3_column_text(st, 3), key.list,
                            (const char *)sqlite3_column_text(st, 4), sqlite3_column_double(st, 5));
    }
    sqlite3_finalize(st);
    /* a first run reports no match as new: nothing was watched before */
    for (size_t i = 0; i < n && !first; i++) {
        if (kept[i] || (i && !entry_cmp(&now[i], &now[i - 1]))) continue;
        const dv_match *m = (const dv_match *)now[i].name;
        const dv_watch *w = &ds->watchlist[m->watch];
        add_list_change(c, cap, DV_LIST_MATCH_ADDED, w->list, w->id, m->list_name,
                        ds->entities[m->entity].id, m->entity_name, m->score);
    }
    free(kept);
    free(now);
    int rc = dv_store_exec(s, "DELETE FROM entity_matches", err);
    if (rc) return rc;
    if (sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO entity_matches VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
                           -1, &st, NULL) != SQLITE_OK)
        return dv_store_fail(s, err, "writing the matches");
    for (int k = 0; k < 2 && !rc; k++)
        for (size_t i = 0; i < sets[k]->n && !rc; i++) {
            const dv_match *m = &sets[k]->m[i];
            const dv_entity *e = &ds->entities[m->entity];
            const dv_watch *w = &ds->watchlist[m->watch];
            char efp[33], wfp[33];
            dv_entity_fp(e, efp);
            dv_watch_fp(w, wfp);
            bind_text(st, 1, e->id);
            bind_text(st, 2, w->id);
            bind_text(st, 3, w->list);
            sqlite3_bind_double(st, 4, m->score);
            bind_text(st, 5, m->entity_name);
            bind_text(st, 6, m->list_name);
            bind_text(st, 7, efp);
            bind_text(st, 8, wfp);
            rc = step_done(s, st, err, "writing the matches");
        }
    sqlite3_finalize(st);
    return rc;
}

/* The JSON text of an open_memstream'd detail, or NULL. */
static char *memstream_text(FILE *f, char **buf)
{
    if (fclose(f) != 0) {
        free(*buf);
        return NULL;
    }
    return *buf;
}

int dv_cases_record(dv_cases *c, dv_store *s, const dv_pipeline *p, const char *out_dir,
                    dv_error *err)
{
    const dv_dataset *ds = &p->ds;
    const dv_result *r = &p->result;
    sqlite3 *db = dv_store_db(s);
    char started[21], today[11];
    dv_store_now(started);
    dv_store_today(today);
    size_t change_cap = 0, list_cap = 0;
    prev_alert *prev = NULL;
    size_t n_prev = 0;
    alert_facts *facts = dv_xcalloc(r->n_alerts + 1, sizeof *facts);
    sqlite3_stmt *st = NULL;
    int rc;
    c->n_alerts = r->n_alerts;
    c->status = dv_xcalloc(r->n_alerts + 1, sizeof *c->status);
    c->why = dv_xcalloc(r->n_alerts + 1, sizeof *c->why);

    input_file files[DV_T_COUNT + 64];
    size_t n_files = 0;
    if ((rc = input_files(ds, files, sizeof files / sizeof files[0], &n_files, err))) goto out;
    bool first = true;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM runs", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        first = sqlite3_column_int64(st, 0) == 0;
    sqlite3_finalize(st);
    st = NULL;
    /* the lists and the matches first: the alerts' reasons name what
     * was newly listed */
    if ((rc = compare_lists(c, s, ds, files + n_files - ds->n_lists, first, &list_cap, err))) goto out;
    if ((rc = compare_matches(c, s, p, first, &list_cap, err))) goto out;
    dv_qsort(c->list_changes, c->n_list_changes, sizeof *c->list_changes, list_change_cmp);
    if ((rc = read_prev(s, &prev, &n_prev, err))) goto out;

    /* the run's number: one past the last */
    long long run_id = 1;
    if (sqlite3_prepare_v2(db, "SELECT coalesce(max(run_id), 0) + 1 FROM runs", -1, &st, NULL) ==
            SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        run_id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    c->run_id = run_id;

    /* each alert against the store */
    for (size_t i = 0; i < r->n_alerts; i++) {
        const dv_alert *a = &r->alerts[i];
        alert_facts *f = &facts[i];
        facts_of(p, a, f);
        prev_alert *pa = find_prev(prev, n_prev, a->id);
        dv_case_status status;
        char *why = NULL;
        if (!pa) {
            status = DV_CASE_NEW;
            dv_buf w = {0};
            for (const char *q = f->matches; *q;) { /* newly listed parties */
                size_t len = strcspn(q, "\n");
                char line[512];
                snprintf(line, sizeof line, "%.*s", (int)(len < 511 ? len : 511), q);
                q += len + (q[len] == '\n');
                char *tab = strchr(line, '\t');
                if (!tab) continue;
                *tab = 0;
                const dv_list_change *lc = newly_listed(c, line, tab + 1);
                if (lc)
                    dv_buf_printf(&w, "%snewly listed on %s: %s matches %s (%s)", w.len ? "; " : "",
                                  lc->list, line, tab + 1, lc->list_name);
            }
            add_change(c, &change_cap, a->id, DV_CHANGE_NEW, -1, a->score,
                       w.data ? dv_xasprintf("first seen; %s", w.data)
                              : dv_xstrdup("first seen"));
            why = w.data;
        } else {
            pa->seen = true;
            dv_buf w = {0};
            new_evidence(c, pa, f, a->score, &w);
            bool dismissed = !strcmp(pa->status, "dismissed");
            if (!strcmp(pa->status, "escalated")) {
                status = DV_CASE_ESCALATED;
            } else if (dismissed && pa->until && strcmp(today, pa->until) > 0) {
                status = DV_CASE_REOPENED;
                why = dv_xasprintf("the dismissal ran until %s%s%s", pa->until, w.len ? "; " : "",
                                   w.len ? w.data : "");
            } else if (dismissed && w.len) {
                status = DV_CASE_REOPENED;
                why = dv_xstrdup(w.data);
            } else if (dismissed) {
                status = DV_CASE_DISMISSED;
                why = pa->reason ? dv_xstrdup(pa->reason) : NULL;
            } else if (pa->analyst_reopened) {
                status = DV_CASE_REOPENED;
                why = pa->reason ? dv_xstrdup(pa->reason) : dv_xstrdup("reopened by an analyst");
            } else if (!pa->present) {
                status = DV_CASE_REOPENED;
                why = dv_xasprintf("seen again after it resolved (last seen %.10s)",
                                   pa->last_seen ? pa->last_seen : "?");
            } else {
                status = DV_CASE_OPEN;
            }
            dv_buf_free(&w);
            if (status == DV_CASE_REOPENED)
                add_change(c, &change_cap, a->id, DV_CHANGE_REOPENED, pa->score, a->score,
                           dv_xstrdup(why));
            if (pa->score != a->score)
                add_change(c, &change_cap, a->id, DV_CHANGE_SCORE, pa->score, a->score,
                           dv_xasprintf("score %d -> %d", pa->score, a->score));
            if (strcmp(pa->digest, f->digest))
                add_change(c, &change_cap, a->id, DV_CHANGE_EVIDENCE, pa->score, a->score,
                           evidence_words(pa, f));
        }
        c->status[i] = status;
        c->why[i] = why;
        c->by_status[status]++;
    }
    for (size_t k = 0; k < n_prev; k++)
        if (prev[k].present && !prev[k].seen)
            add_change(c, &change_cap, prev[k].id, DV_CHANGE_RESOLVED, prev[k].score, -1,
                       dv_xasprintf("not reported by this run (last seen %.10s)",
                                    prev[k].last_seen ? prev[k].last_seen : "?"));
    dv_qsort(c->changes, c->n_changes, sizeof *c->changes, change_cmp);

    /* the run */
    st = NULL;
    long read, loaded, rejected;
    dv_table_counts(NULL, ds, &read, &loaded, &rejected);
    char *config = NULL;
    size_t config_len = 0;
    FILE *mf = open_memstream(&config, &config_len);
    if (!mf) dv_out_of_memory(0);
    dv_write_config_object(mf, &p->cfg);
    if (!memstream_text(mf, &config)) dv_out_of_memory(config_len);
    char finished[21];
    dv_store_now(finished);
    char *sql = sqlite3_mprintf(
        "INSERT INTO runs VALUES(%lld, %Q, %Q, %Q, %Q, %Q, %Q, %ld, %ld, %ld, %lld, %lld, %lld, "
        "%lld, %lld, 0)",
        run_id, started, finished, "divert " DIVERT_VERSION, ds->dir, out_dir, config, read, loaded,
        rejected, (long long)ds->n_shipments, (long long)r->n_alerts,
        (long long)c->by_change[DV_CHANGE_NEW], (long long)c->by_change[DV_CHANGE_REOPENED],
        (long long)c->by_change[DV_CHANGE_RESOLVED]);
    free(config);
    rc = dv_store_exec(s, sql, err);
    sqlite3_free(sql);
    if (rc) goto out;

    /* its inputs, with their checksums: the detail of the audit entry too */
    char *detail = NULL;
    size_t detail_len = 0;
    FILE *df = open_memstream(&detail, &detail_len);
    if (!df) dv_out_of_memory(0);
    fprintf(df, "{\"run_id\":%lld,\"version\":\"divert %s\",\"dataset\":", run_id, DIVERT_VERSION);
    dv_json_string(df, ds->dir);
    fputs(",\"inputs\":[", df);
    if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO run_inputs VALUES(?, ?, ?, ?, ?)", -1, &st,
                           NULL) != SQLITE_OK) {
        fclose(df);
        free(detail);
        rc = dv_store_fail(s, err, "writing the run's inputs");
        goto out;
    }
    for (size_t i = 0; i < n_files && !rc; i++) {
        const char *sum = files[i].sha256;
        long long size = files[i].size;
        sqlite3_bind_int64(st, 1, run_id);
        bind_text(st, 2, files[i].name);
        sqlite3_bind_int64(st, 3, size);
        bind_text(st, 4, sum);
        sqlite3_bind_int64(st, 5, files[i].rows);
        rc = step_done(s, st, err, "writing the run's inputs");
        fprintf(df, "%s{\"file\":", i ? "," : "");
        dv_json_string(df, files[i].name);
        fprintf(df, ",\"size\":%lld,\"sha256\":\"%s\",\"rows\":%ld}", size, sum, files[i].rows);
    }
    sqlite3_finalize(st);
    st = NULL;
    fprintf(df, "],\"alerts\":%zu,\"new\":%zu,\"reopened\":%zu,\"resolved\":%zu,\"rejected\":%ld}",
            r->n_alerts, c->by_change[DV_CHANGE_NEW], c->by_change[DV_CHANGE_REOPENED],
            c->by_change[DV_CHANGE_RESOLVED], rejected);
    if (!memstream_text(df, &detail)) dv_out_of_memory(detail_len);
    if (rc) {
        free(detail);
        goto out;
    }

    /* the alerts and their history */
    if (sqlite3_prepare_v2(
            db,
            "INSERT INTO alerts VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?7, 1, ?8, ?9, ?10, ?11, ?12, "
            "?13, ?14, ?15, ?16) ON CONFLICT(alert_id) DO UPDATE SET last_run = ?6, last_seen = ?7, "
            "present = 1, status = ?8, reason = ?9, until = ?10, score = ?11, severity = ?12, "
            "rules = ?13, digest = ?14, evidence = ?15, matches = ?16",
            -1, &st, NULL) != SQLITE_OK) {
        free(detail);
        rc = dv_store_fail(s, err, "writing the alerts");
        goto out;
    }
    for (size_t i = 0; i < r->n_alerts && !rc; i++) {
        const dv_alert *a = &r->alerts[i];
        prev_alert *pa = find_prev(prev, n_prev, a->id);
        dv_buf path = {0};
        for (int h = 0; h <= a->hops; h++)
            dv_buf_printf(&path, "%s%s", h ? ">" : "", ds->entities[a->path[h]].id);
        bind_text(st, 1, a->id);
        bind_text(st, 2, ds->items[a->item].code);
        bind_text(st, 3, ds->entities[a->path[0]].id);
        bind_text(st, 4, ds->entities[a->path[a->hops]].id);
        bind_text(st, 5, path.data);
        sqlite3_bind_int64(st, 6, run_id);
        bind_text(st, 7, started);
        bind_text(st, 8, dv_case_status_names[c->status[i]]);
        bind_text(st, 9, c->status[i] == DV_CASE_OPEN || c->status[i] == DV_CASE_ESCALATED
                             ? (pa ? pa->reason : NULL)
                             : c->why[i]);
        bind_text(st, 10, c->status[i] == DV_CASE_DISMISSED && pa ? pa->until : NULL);
        sqlite3_bind_int(st, 11, a->score);
        bind_text(st, 12, dv_severity_names[a->severity]);
        bind_text(st, 13, facts[i].rules);
        bind_text(st, 14, facts[i].digest);
        bind_text(st, 15, facts[i].evidence);
        bind_text(st, 16, facts[i].matches);
        rc = step_done(s, st, err, "writing the alerts");
        dv_buf_free(&path);
    }
    sqlite3_finalize(st);
    st = NULL;
    if (!rc && sqlite3_prepare_v2(db, "INSERT INTO alert_history VALUES(?, ?, ?, ?, ?)", -1, &st,
                                  NULL) != SQLITE_OK)
        rc = dv_store_fail(s, err, "writing the alerts' history");
    for (size_t i = 0; i < r->n_alerts && !rc; i++) {
        bind_text(st, 1, r->alerts[i].id);
        sqlite3_bind_int64(st, 2, run_id);
        sqlite3_bind_int(st, 3, r->alerts[i].score);
        bind_text(st, 4, facts[i].digest);
        bind_text(st, 5, dv_case_status_names[c->status[i]]);
        rc = step_done(s, st, err, "writing the alerts' history");
    }
    sqlite3_finalize(st);
    st = NULL;
    if (!rc) {
        char *gone = sqlite3_mprintf("UPDATE alerts SET present = 0 WHERE present = 1 AND last_run < %lld",
                                     run_id);
        rc = dv_store_exec(s, gone, err);
        sqlite3_free(gone);
    }
    long long seq = 0;
    if (!rc) {
        char subject[40];
        snprintf(subject, sizeof subject, "run %lld", run_id);
        rc = dv_audit_append(s, "divert", "scan", subject, detail, &seq, err);
    }
    free(detail);
    if (!rc) {
        char *link = sqlite3_mprintf("UPDATE runs SET audit_seq = %lld WHERE run_id = %lld", seq, run_id);
        rc = dv_store_exec(s, link, err);
        sqlite3_free(link);
    }
out:
    if (st) sqlite3_finalize(st);
    for (size_t i = 0; i < r->n_alerts; i++) facts_free(&facts[i]);
    free(facts);
    prev_free(prev, n_prev);
    return rc;
}

void dv_cases_free(dv_cases *c)
{
    if (!c) return;
    free(c->status);
    for (size_t i = 0; c->why && i < c->n_alerts; i++) free(c->why[i]);
    free(c->why);
    for (size_t i = 0; i < c->n_changes; i++) free(c->changes[i].what);
    free(c->changes);
    for (size_t i = 0; i < c->n_list_changes; i++) {
        dv_list_change *lc = &c->list_changes[i];
        free(lc->list), free(lc->list_id), free(lc->list_name), free(lc->entity_id),
            free(lc->entity_name);
    }
    free(c->list_changes);
    for (size_t i = 0; i < c->n_cleared; i++) {
        free(c->cleared[i].entity_id), free(c->cleared[i].list_id), free(c->cleared[i].by);
    }
    free(c->cleared);
    memset(c, 0, sizeof *c);
}
