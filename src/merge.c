/*
 * merge.c: the scans of a shard set combined into one scan's files
 * (merge.h). CSV files are cut into records by the reader's line numbers
 * and re-sorted as bytes; the JSON summaries are merged line by line, each
 * differing line's one-line value parsed into a small tree, merged by the
 * rule of its key, and printed back in the writers' inline style.
 */
#define _POSIX_C_SOURCE 200809L
#include "divert/merge.h"
#include "divert/merge_json.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "divert/csvread.h"
#include "divert/report.h"
#include "divert/shard.h"

/* ---- one shard's files ---- */

typedef struct shard_scan {
    const char *outdir;
    dv_buf file[DV_MERGED_COUNT];
    bool has[DV_MERGED_COUNT];
    dv_shard_info info;
    char *shard_dataset;         /* the dataset its scan was given */
} shard_scan;

static const char *const file_names[DV_MERGED_COUNT] = {
    [DV_MERGED_ALERTS_CSV] = "alerts.csv",   [DV_MERGED_ROUTES_CSV] = "routes.csv",
    [DV_MERGED_REJECTS_CSV] = "rejects.csv", [DV_MERGED_ALERTS_JSON] = "alerts.json",
    [DV_MERGED_REPORT_HTML] = "report.html", [DV_MERGED_SUMMARY_JSON] = "summary.json"};

static int read_whole(const char *path, dv_buf *b, bool *found, dv_error *err)
{
    FILE *f = fopen(path, "rb");
    *found = f != NULL;
    if (!f) {
        if (errno == ENOENT) return 0;
        return dv_fail(err, DV_EXIT_INPUT, "%s: cannot read: %s", path, strerror(errno));
    }
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) dv_buf_add(b, buf, n);
    if (!b->data) dv_buf_add(b, "", 0);
    bool bad = ferror(f);
    fclose(f);
    return bad ? dv_fail(err, DV_EXIT_INPUT, "%s: cannot read", path) : 0;
}

/* Replace every occurrence of from with to in b. */
static void replace_all(dv_buf *b, const char *from, const char *to)
{
    size_t fl = strlen(from);
    if (!fl || !b->data || !strstr(b->data, from)) return;
    dv_buf out = {0};
    const char *p = b->data, *q;
    while ((q = strstr(p, from))) {
        dv_buf_add(&out, p, (size_t)(q - p));
        dv_buf_puts(&out, to);
        p = q + fl;
    }
    dv_buf_puts(&out, p);
    dv_buf_free(b);
    *b = out;
}

/* s as one of the writers would quote it: JSON, JSON in a script, HTML. */
enum { AS_JSON, AS_SCRIPT, AS_HTML };
static char *quoted(const char *s, int as)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) abort();
    if (as == AS_JSON) dv_json_string(f, s);
    else if (as == AS_SCRIPT) dv_json_script_string(f, s);
    else dv_html_text(f, s);
    fclose(f);
    return text;
}

/* The shard's paths, as each file quotes them, put back to the original's. */
static void unshard_paths(shard_scan *s, dv_buf *b, int as)
{
    for (size_t i = 0; i < s->info.n_files; i++) {
        char *from = quoted(s->info.file_shard[i], as), *to = quoted(s->info.file_orig[i], as);
        replace_all(b, from, to);
        free(from);
        free(to);
    }
    char *from = quoted(s->shard_dataset, as), *to = quoted(s->info.dataset, as);
    if (as == AS_HTML) { /* the page names it bare: "scan of <span ...>DIR</span>" */
        char *a = dv_xasprintf("\">%s</span>", from), *b2 = dv_xasprintf("\">%s</span>", to);
        replace_all(b, a, b2);
        free(a);
        free(b2);
        a = dv_xasprintf("title=\"%s\"", from);
        b2 = dv_xasprintf("title=\"%s\"", to);
        replace_all(b, a, b2);
        free(a);
        free(b2);
        a = dv_xasprintf("report: %s</title>", from);
        b2 = dv_xasprintf("report: %s</title>", to);
        replace_all(b, a, b2);
        free(a);
        free(b2);
    } else {
        replace_all(b, from, to);
    }
    free(from);
    free(to);
}

/* The JSON string after `"key": ` on a line of text, unescaped, or NULL. */
static char *json_field(const char *text, const char *key)
{
    char *pat = dv_xasprintf("\"%s\": \"", key);
    const char *p = strstr(text, pat);
    free(pat);
    if (!p) return NULL;
    p = strchr(p, ':') + 3;
    dv_buf v = {0};
    for (; *p && *p != '"'; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            char c = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p == 'r' ? '\r' : *p;
            if (*p == 'u' && p[1] && p[2] && p[3] && p[4]) {
                char hex[5] = {p[1], p[2], p[3], p[4], 0};
                c = (char)strtol(hex, NULL, 16);
                p += 4;
            }
            dv_buf_add(&v, &c, 1);
        } else {
            dv_buf_add(&v, p, 1);
        }
    }
    if (!v.data) dv_buf_add(&v, "", 0);
    return v.data;
}

/* ---- CSV records as bytes ---- */

typedef struct record {
    const char *text;            /* its bytes in the shard's file, to the next record */
    size_t len;
    int shard;
    size_t seq;                  /* its place in the shard's file */
    long num;                    /* alerts: score; rejects: line */
    char *key;                   /* alerts, routes: alert_id; rejects: table (heap) */
    long rank;                   /* routes: its alert's place in the merged alerts */
    char *code;                  /* rejects: the reason's code (heap) */
} record;

typedef struct cutter {
    const char *data;
    size_t len;
    size_t *line_at;             /* offset of each line, 1-based */
    size_t n_lines;
    int kind, shard;
    record *recs;
    size_t n, cap;
    size_t header_end;
    bool header;
} cutter;

static int on_record(void *ctx, const dv_csv_row *row, dv_error *err)
{
    (void)err;
    cutter *c = ctx;
    size_t start = row->line <= (long)c->n_lines ? c->line_at[row->line] : c->len;
    if (!c->header) {
        c->header = true;
        return 0;
    }
    if (c->n) { /* the record before ends where this one starts */
        record *prev = &c->recs[c->n - 1];
        prev->len = (size_t)(c->data + start - prev->text);
    } else {
        c->header_end = start;
    }
    record r = {c->data + start, 0, c->shard, c->n, 0, NULL, 0, NULL};
    const char *f0 = row->nfields > 0 ? row->fields[0] : "";
    if (c->kind == DV_MERGED_ALERTS_CSV) {
        r.key = dv_xstrdup(f0);
        r.num = row->nfields > 1 ? atol(row->fields[1]) : 0;
    } else if (c->kind == DV_MERGED_ROUTES_CSV) {
        r.key = dv_xstrdup(f0);
    } else {
        r.key = dv_xstrdup(f0);
        r.num = row->nfields > 1 ? atol(row->fields[1]) : 0;
        const char *reason = row->nfields > 3 ? row->fields[3] : "";
        r.code = dv_xstrndup(reason, strcspn(reason, ":"));
    }
    DV_PUSH(c->recs, c->n, c->cap, r);
    return 0;
}

/* The records of one CSV file of a shard, appended to *all; *header is
 * the file's header line. */
static int cut_csv(const shard_scan *s, int kind, int shard, record **all, size_t *n_all,
                   size_t *cap_all, dv_buf *header, dv_error *err)
{
    const dv_buf *b = &s->file[kind];
    cutter c = {b->data, b->len, NULL, 0, kind, shard, NULL, 0, 0, b->len, false};
    size_t cap = 0;
    size_t zero = 0;
    DV_PUSH(c.line_at, c.n_lines, cap, zero); /* line 0: none */
    DV_PUSH(c.line_at, c.n_lines, cap, zero);
    for (size_t i = 0; i < b->len; i++)
        if (b->data[i] == '\n') {
            size_t at = i + 1;
            DV_PUSH(c.line_at, c.n_lines, cap, at);
        }
    c.n_lines--; /* line_at[n_lines] exists */
    char *name = dv_xasprintf("%s/%s", s->outdir, file_names[kind]);
    dv_csv_options copt = {.max_field_bytes = 1 << 24};
    int rc = dv_csv_read_mem(b->data, b->len, name, &copt, on_record, &c, err);
    free(name);
    if (!rc && c.n) c.recs[c.n - 1].len = (size_t)(b->data + b->len - c.recs[c.n - 1].text);
    if (!rc) {
        dv_buf h = {0};
        dv_buf_add(&h, b->data, c.header_end);
        if (!header->data) *header = h;
        else {
            if (strcmp(header->data, h.data))
                rc = dv_fail(err, DV_EXIT_INPUT, "%s/%s: its header is not the other scans'",
                             s->outdir, file_names[kind]);
            dv_buf_free(&h);
        }
    }
    for (size_t i = 0; i < c.n; i++) DV_PUSH(*all, *n_all, *cap_all, c.recs[i]);
    free(c.recs);
    free(c.line_at);
    return rc;
}

static int cmp_alert_rec(const void *a, const void *b)
{
    const record *x = a, *y = b;
    if (x->num != y->num) return x->num > y->num ? -1 : 1;
    return strcmp(x->key, y->key);
}

static int cmp_route_rec(const void *a, const void *b)
{
    const record *x = a, *y = b;
    if (x->rank != y->rank) return x->rank < y->rank ? -1 : 1;
    if (x->shard != y->shard) return x->shard < y->shard ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int cmp_reject_rec(const void *a, const void *b)
{
    const record *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c) return c;
    if (x->num != y->num) return x->num < y->num ? -1 : 1;
    if (x->shard != y->shard) return x->shard < y->shard ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void free_records(record *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(r[i].key);
        free(r[i].code);
    }
    free(r);
}

/* ---- the alerts document (alerts.json, report.html's copy) ---- */

typedef struct doc_parts {
    const char *head;            /* to the summary */
    size_t head_len;
    const char *summary;         /* its lines, "  \"summary\": {" to "  },\n" */
    size_t summary_len;
    const char **alert;          /* each alert object */
    size_t *alert_len;
    char **alert_id;
    size_t n_alerts;
    const char *tail;            /* after the last alert: "\n  ]\n}\n" or "]\n}\n" */
} doc_parts;

static bool cut_doc(const char *text, size_t len, doc_parts *d)
{
    memset(d, 0, sizeof *d);
    const char *s = strstr(text, "\n  \"summary\": {\n");
    if (!s) return false;
    const char *a = strstr(s, "\n  \"alerts\": [");
    if (!a) return false;
    d->head = text;
    d->head_len = (size_t)(s + 1 - text);
    d->summary = s + 1;
    d->summary_len = (size_t)(a + 1 - d->summary);
    const char *p = a + strlen("\n  \"alerts\": [");
    const char *end = text + len;
    size_t cap = 0, cap_l = 0, cap_i = 0, n_l = 0, n_i = 0;
    static const char start[] = "\n    {\"id\": \"";
    while (p < end && !strncmp(p, start, strlen(start))) {
        const char *obj = p + 1;
        const char *next = strstr(obj, "},\n    {\"id\": \"");
        const char *last = strstr(obj, "}\n  ]\n}");
        const char *stop = next && (!last || next < last) ? next + 1 : last ? last + 1 : NULL;
        if (!stop) return false;
        DV_PUSH(d->alert, d->n_alerts, cap, obj);
        size_t l = (size_t)(stop - obj);
        DV_PUSH(d->alert_len, n_l, cap_l, l);
        const char *id = obj + strlen(start) - 1;
        char *idt = dv_xstrndup(id, strcspn(id, "\""));
        DV_PUSH(d->alert_id, n_i, cap_i, idt);
        p = stop;
        if (*p == ',') p++;
    }
    d->tail = p;
    return true;
}

static void free_doc(doc_parts *d)
{
    for (size_t i = 0; i < d->n_alerts; i++) free(d->alert_id[i]);
    free(d->alert);
    free(d->alert_len);
    free(d->alert_id);
}

typedef struct doc_alert {
    const char *text;
    size_t len;
    long rank;
} doc_alert;

static int cmp_doc_alert(const void *a, const void *b)
{
    const doc_alert *x = a, *y = b;
    return (x->rank > y->rank) - (x->rank < y->rank);
}

/* The merged document of the kind's files into out; ids gives each
 * alert's place. */
static int merge_doc(shard_scan *scans, const char *const *outdirs, int n, int kind,
                     const dv_map *rank_of, const dv_jv *more_reasons, dv_buf *out, dv_error *err)
{
    doc_parts *d = dv_xcalloc((size_t)n, sizeof *d);
    dv_summary_lines *sl = dv_xcalloc((size_t)n, sizeof *sl);
    int rc = 0;
    const char *pre = NULL; /* report.html: the page before the document, and after */
    size_t pre_len = 0;
    const char *post = NULL;
    for (int s = 0; s < n && !rc; s++) {
        const dv_buf *b = &scans[s].file[kind];
        const char *text = b->data;
        size_t len = b->len;
        if (kind == DV_MERGED_REPORT_HTML) {
            static const char open[] = "<script type=\"application/json\" id=\"divert-data\">\n";
            const char *o = strstr(text, open), *c = o ? strstr(o, "</script>") : NULL;
            if (!c) {
                rc = dv_fail(err, DV_EXIT_INPUT, "%s/report.html: no alerts document in it",
                             scans[s].outdir);
                break;
            }
            if (s == 0) {
                pre = text;
                pre_len = (size_t)(o + strlen(open) - text);
                post = c;
            }
            text = o + strlen(open);
            len = (size_t)(c - text);
        }
        if (!cut_doc(text, len, &d[s])) {
            rc = dv_fail(err, DV_EXIT_INPUT, "%s/%s: not the alerts document of a scan",
                         scans[s].outdir, file_names[kind]);
            break;
        }
        dv_summary_split(d[s].summary, d[s].summary_len, &sl[s]);
    }
    if (!rc) {
        doc_alert *all = NULL;
        size_t n_all = 0, cap = 0;
        for (int s = 0; s < n; s++)
            for (size_t i = 0; i < d[s].n_alerts; i++) {
                uint32_t r = UINT32_MAX;
                dv_map_get(rank_of, d[s].alert_id[i], strlen(d[s].alert_id[i]), &r);
                doc_alert one = {d[s].alert[i], d[s].alert_len[i], r};
                DV_PUSH(all, n_all, cap, one);
            }
        dv_qsort(all, n_all, sizeof *all, cmp_doc_alert);
        if (kind == DV_MERGED_REPORT_HTML) {
            /* the page's count of alerts: "</span>: N alerts.</p>" */
            dv_buf page = {0};
            dv_buf_add(&page, pre, pre_len);
            char *c = strstr(page.data, "</span>: ");
            char *e = c ? strstr(c, ".</p>") : NULL;
            if (c && e) {
                dv_buf_add(out, page.data, (size_t)(c - page.data));
                dv_buf_printf(out, "</span>: %zu alert%s", n_all, n_all == 1 ? "" : "s");
                dv_buf_puts(out, e);
            } else {
                dv_buf_puts(out, page.data);
            }
            dv_buf_free(&page);
        }
        dv_buf_add(out, d[0].head, d[0].head_len);
        rc = dv_summaries_merge(outdirs, sl, n, file_names[kind], more_reasons, out, err);
        dv_buf_puts(out, "  \"alerts\": [");
        for (size_t i = 0; i < n_all; i++) {
            dv_buf_puts(out, i ? ",\n" : "\n");
            dv_buf_add(out, all[i].text, all[i].len);
        }
        dv_buf_puts(out, n_all ? "\n  ]\n}\n" : "]\n}\n");
        if (post) dv_buf_puts(out, post);
        free(all);
    }
    for (int s = 0; s < n; s++) {
        free_doc(&d[s]);
        dv_summary_free(&sl[s]);
    }
    free(d);
    free(sl);
    return rc;
}

/* ---- the whole ---- */

static int load_scan(const char *outdir, shard_scan *s, dv_error *err)
{
    s->outdir = outdir;
    for (int k = 0; k < DV_MERGED_COUNT; k++) {
        char *p = dv_xasprintf("%s/%s", outdir, file_names[k]);
        int rc = read_whole(p, &s->file[k], &s->has[k], err);
        free(p);
        if (rc) return rc;
        if (!s->has[k] && k != DV_MERGED_REPORT_HTML)
            return dv_fail(err, DV_EXIT_INPUT, "%s: no %s: not the output of a divert scan", outdir,
                           file_names[k]);
    }
    const char *sum = s->file[DV_MERGED_SUMMARY_JSON].data;
    char *version = json_field(sum, "divert_version");
    bool same = version && !strcmp(version, DIVERT_VERSION);
    char *v = version;
    if (!same) {
        int rc = dv_fail(err, DV_EXIT_INPUT,
                         "%s: written by divert %s, this is divert %s: merge the scans of one "
                         "version",
                         outdir, v ? v : "(unknown)", DIVERT_VERSION);
        free(v);
        return rc;
    }
    free(v);
    s->shard_dataset = json_field(sum, "dataset");
    if (!s->shard_dataset)
        return dv_fail(err, DV_EXIT_INPUT, "%s/summary.json: names no dataset", outdir);
    int rc = dv_shard_read_info(s->shard_dataset, &s->info, err);
    if (rc) {
        char msg[sizeof err->msg];
        snprintf(msg, sizeof msg, "%s", err->msg);
        return dv_fail(err, rc, "%s: scanned %s, which is not a shard: %s", outdir,
                       s->shard_dataset, msg);
    }
    return 0;
}

/* The configuration block of a summary.json, for the check. */
static char *config_of(const char *sum)
{
    const char *a = strstr(sum, "\n  \"config\": {");
    const char *b = a ? strstr(a + 1, "\n  },\n") : NULL;
    const char *st = strstr(sum, "\n  \"strict\": ");
    if (!a || !b) return dv_xstrdup("");
    size_t sl = st ? strcspn(st + 1, "\n") : 0;
    return dv_xasprintf("%.*s%.*s", (int)(b - a), a, (int)sl, st ? st + 1 : "");
}

int dv_merge_outputs(const char *const *dirs, int n, dv_merged *m, dv_error *err)
{
    memset(m, 0, sizeof *m);
    shard_scan *scans = dv_xcalloc((size_t)n, sizeof *scans);
    record *alerts = NULL, *routes = NULL, *rejects = NULL;
    size_t n_alerts = 0, n_routes = 0, n_rejects = 0, ca = 0, cr = 0, cj = 0;
    dv_buf head[3] = {{0}};
    dv_map rank_of = {0};
    char *config0 = NULL;
    dv_jv reasons = {0};
    const char **outdirs = NULL; /* the scans' directories, in the order of the shards */
    int rc = 0;
    for (int s = 0; s < n && !rc; s++) rc = load_scan(dirs[s], &scans[s], err);
    if (rc) goto done;

    /* one set, one configuration, every shard once */
    config0 = config_of(scans[0].file[DV_MERGED_SUMMARY_JSON].data);
    int shards = scans[0].info.shards;
    int *seen = dv_xcalloc((size_t)shards + 1, sizeof *seen);
    for (int s = 0; s < n && !rc; s++) {
        const dv_shard_info *in = &scans[s].info;
        char *config = config_of(scans[s].file[DV_MERGED_SUMMARY_JSON].data);
        if (strcmp(in->set, scans[0].info.set) || in->shards != shards)
            rc = dv_fail(err, DV_EXIT_INPUT,
                         "%s scanned a shard of set %s, %s one of set %s: merge the scans of one "
                         "shard set",
                         dirs[s], in->set, dirs[0], scans[0].info.set);
        else if (strcmp(config, config0))
            rc = dv_fail(err, DV_EXIT_INPUT,
                         "%s was scanned with another configuration than %s (their summary.json "
                         "config differ): scan every shard with the same options",
                         dirs[s], dirs[0]);
        else if (seen[in->shard])
            rc = dv_fail(err, DV_EXIT_INPUT, "shard %d of %d twice: %s and %s", in->shard, shards,
                         dirs[seen[in->shard] - 1], dirs[s]);
        else if (scans[s].has[DV_MERGED_REPORT_HTML] != scans[0].has[DV_MERGED_REPORT_HTML])
            rc = dv_fail(err, DV_EXIT_INPUT,
                         "%s has a report.html and %s none: scan every shard with or every one "
                         "without --no-report",
                         scans[s].has[DV_MERGED_REPORT_HTML] ? dirs[s] : dirs[0],
                         scans[s].has[DV_MERGED_REPORT_HTML] ? dirs[0] : dirs[s]);
        else if (!strstr(scans[s].file[DV_MERGED_SUMMARY_JSON].data, "\n  \"cases\": null,"))
            rc = dv_fail(err, DV_EXIT_INPUT,
                         "%s: scanned with --state: merge scans without the case store, then "
                         "scan the whole dataset with it",
                         dirs[s]);
        else seen[in->shard] = s + 1;
        free(config);
    }
    for (int k = 1; k <= shards && !rc; k++)
        if (!seen[k])
            rc = dv_fail(err, DV_EXIT_INPUT,
                         "shard %d of %d is missing: no output directory given holds its scan "
                         "(rerun that shard's scan, then merge all %d)",
                         k, shards, shards);
    free(seen);
    if (rc) goto done;
    /* in the order of the shards, whatever the order given */
    {
        shard_scan *ordered = dv_xcalloc((size_t)n, sizeof *ordered);
        for (int s = 0; s < n; s++) ordered[scans[s].info.shard - 1] = scans[s];
        free(scans);
        scans = ordered;
    }
    outdirs = dv_xmalloc((size_t)n * sizeof *outdirs);
    for (int s = 0; s < n; s++) outdirs[s] = scans[s].outdir;
    for (int s = 0; s < n; s++) {
        unshard_paths(&scans[s], &scans[s].file[DV_MERGED_SUMMARY_JSON], AS_JSON);
        unshard_paths(&scans[s], &scans[s].file[DV_MERGED_ALERTS_JSON], AS_JSON);
        if (scans[s].has[DV_MERGED_REPORT_HTML]) {
            unshard_paths(&scans[s], &scans[s].file[DV_MERGED_REPORT_HTML], AS_SCRIPT);
            unshard_paths(&scans[s], &scans[s].file[DV_MERGED_REPORT_HTML], AS_HTML);
        }
    }

    /* alerts.csv */
    for (int s = 0; s < n && !rc; s++)
        rc = cut_csv(&scans[s], DV_MERGED_ALERTS_CSV, s, &alerts, &n_alerts, &ca, &head[0], err);
    if (rc) goto done;
    dv_qsort(alerts, n_alerts, sizeof *alerts, cmp_alert_rec);
    dv_buf *out = &m->text[DV_MERGED_ALERTS_CSV];
    dv_buf_puts(out, head[0].data);
    for (size_t i = 0; i < n_alerts; i++) {
        dv_buf_add(out, alerts[i].text, alerts[i].len);
        dv_map_put(&rank_of, alerts[i].key, (uint32_t)i, NULL);
    }
    m->n_alerts = n_alerts;

    /* routes.csv: each alert's rows, in the alerts' order */
    for (int s = 0; s < n && !rc; s++)
        rc = cut_csv(&scans[s], DV_MERGED_ROUTES_CSV, s, &routes, &n_routes, &cr, &head[1], err);
    if (rc) goto done;
    for (size_t i = 0; i < n_routes; i++) {
        uint32_t r = UINT32_MAX;
        dv_map_get(&rank_of, routes[i].key, strlen(routes[i].key), &r);
        routes[i].rank = r;
    }
    dv_qsort(routes, n_routes, sizeof *routes, cmp_route_rec);
    out = &m->text[DV_MERGED_ROUTES_CSV];
    dv_buf_puts(out, head[1].data);
    for (size_t i = 0; i < n_routes; i++) dv_buf_add(out, routes[i].text, routes[i].len);

    /* rejects.csv: the shared tables' from the first shard, every shard's shipments */
    for (int s = 0; s < n && !rc; s++) {
        size_t before = n_rejects;
        rc = cut_csv(&scans[s], DV_MERGED_REJECTS_CSV, s, &rejects, &n_rejects, &cj, &head[2], err);
        if (s == 0) continue;
        size_t kept = before;
        for (size_t i = before; i < n_rejects; i++) {
            if (!strcmp(rejects[i].key, "shipments")) rejects[kept++] = rejects[i];
            else {
                free(rejects[i].key);
                free(rejects[i].code);
            }
        }
        n_rejects = kept;
    }
    if (rc) goto done;
    dv_qsort(rejects, n_rejects, sizeof *rejects, cmp_reject_rec);
    reasons.type = 'o';
    for (size_t i = 0; i < n_rejects; i++) {
        if (!rejects[i].shard || strcmp(rejects[i].key, "shipments")) continue;
        dv_jv one = {.type = 'o'};
        one.keys = dv_xmalloc(sizeof *one.keys);
        one.items = dv_xcalloc(1, sizeof *one.items);
        one.keys[0] = dv_xasprintf("\"%s\"", rejects[i].code);
        one.items[0].type = 'n';
        one.items[0].raw = dv_xstrdup("1");
        one.n = 1;
        dv_jv_add(&reasons, &one, true);
        dv_jv_free(&one);
    }
    out = &m->text[DV_MERGED_REJECTS_CSV];
    dv_buf_puts(out, head[2].data);
    for (size_t i = 0; i < n_rejects; i++) dv_buf_add(out, rejects[i].text, rejects[i].len);

    /* summary.json */
    dv_summary_lines *sl = dv_xcalloc((size_t)n, sizeof *sl);
    for (int s = 0; s < n; s++)
        dv_summary_split(scans[s].file[DV_MERGED_SUMMARY_JSON].data,
                      scans[s].file[DV_MERGED_SUMMARY_JSON].len, &sl[s]);
    rc = dv_summaries_merge(outdirs, sl, n, "summary.json", &reasons,
                            &m->text[DV_MERGED_SUMMARY_JSON], err);
    for (int s = 0; s < n; s++) dv_summary_free(&sl[s]);
    free(sl);
    if (rc) goto done;

    /* alerts.json and report.html */
    rc = merge_doc(scans, outdirs, n, DV_MERGED_ALERTS_JSON, &rank_of, &reasons, &m->text[DV_MERGED_ALERTS_JSON], err);
    m->has_report = scans[0].has[DV_MERGED_REPORT_HTML];
    if (!rc && m->has_report)
        rc = merge_doc(scans, outdirs, n, DV_MERGED_REPORT_HTML, &rank_of, &reasons, &m->text[DV_MERGED_REPORT_HTML],
                       err);
    m->dataset = dv_xstrdup(scans[0].info.dataset);
    for (int k = 0; k < DV_MERGED_COUNT; k++)
        if (!m->text[k].data) dv_buf_add(&m->text[k], "", 0);

done:
    dv_jv_free(&reasons);
    free(config0);
    free_records(alerts, n_alerts);
    free_records(routes, n_routes);
    free_records(rejects, n_rejects);
    for (int k = 0; k < 3; k++) dv_buf_free(&head[k]);
    dv_map_free(&rank_of);
    for (int s = 0; s < n; s++) {
        for (int k = 0; k < DV_MERGED_COUNT; k++) dv_buf_free(&scans[s].file[k]);
        dv_shard_info_free(&scans[s].info);
        free(scans[s].shard_dataset);
    }
    free(scans);
    free(outdirs);
    return rc;
}

void dv_merged_free(dv_merged *m)
{
    if (!m) return;
    for (int k = 0; k < DV_MERGED_COUNT; k++) dv_buf_free(&m->text[k]);
    free(m->dataset);
    memset(m, 0, sizeof *m);
}

/* ---- the writers ---- */

static int put(FILE *f, const dv_pipeline *p, dv_merged_file k)
{
    const dv_buf *b = &p->merged->text[k];
    if (b->len) fwrite(b->data, 1, b->len, f);
    return ferror(f) ? DV_EXIT_INTERNAL : 0;
}

int dv_write_merged_alerts_csv(FILE *f, const dv_pipeline *p) { return put(f, p, DV_MERGED_ALERTS_CSV); }
int dv_write_merged_routes_csv(FILE *f, const dv_pipeline *p) { return put(f, p, DV_MERGED_ROUTES_CSV); }
int dv_write_merged_rejects_csv(FILE *f, const dv_pipeline *p) { return put(f, p, DV_MERGED_REJECTS_CSV); }
int dv_write_merged_alerts_json(FILE *f, const dv_pipeline *p) { return put(f, p, DV_MERGED_ALERTS_JSON); }
int dv_write_merged_report_html(FILE *f, const dv_pipeline *p) { return put(f, p, DV_MERGED_REPORT_HTML); }
int dv_write_merged_summary_json(FILE *f, const dv_pipeline *p) { return put(f, p, DV_MERGED_SUMMARY_JSON); }

bool dv_merged_report_left_out(const dv_pipeline *p) { return !p->merged || !p->merged->has_report; }
