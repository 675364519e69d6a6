/*
 * merge_json.c: the JSON summaries of a shard set's scans merged line by
 * line (merge_json.h): each line that differs between the scans has its
 * one-line value parsed into a small tree, merged by the rule of its key
 * (equal, summed, summed by key, the shipments table summed and the others
 * shared, rows, sorted list, rejects by reason) and printed back in the
 * writers' inline style.
 */
#define _POSIX_C_SOURCE 200809L
#include "divert/merge_json.h"

#include <stdlib.h>
#include <string.h>

/* ---- one-line JSON values ---- */

void dv_jv_free(dv_jv *v)
{
    for (size_t i = 0; i < v->n; i++) {
        if (v->keys) free(v->keys[i]);
        dv_jv_free(&v->items[i]);
    }
    free(v->keys);
    free(v->items);
    free(v->raw);
    memset(v, 0, sizeof *v);
}

static const char *skip_ws(const char *p)
{
    while (*p == ' ') p++;
    return p;
}

static const char *scan_string(const char *p)
{
    for (p++; *p && *p != '"'; p++)
        if (*p == '\\' && p[1]) p++;
    return *p ? p + 1 : NULL;
}

/* Parse one value at p; returns the end, or NULL. */
static const char *jv_parse(const char *p, dv_jv *v)
{
    memset(v, 0, sizeof *v);
    p = skip_ws(p);
    if (*p == '{' || *p == '[') {
        bool obj = *p == '{';
        char close = obj ? '}' : ']';
        v->type = obj ? 'o' : 'a';
        p = skip_ws(p + 1);
        if (*p == close) return p + 1;
        for (;;) {
            v->items = dv_xrealloc(v->items, (v->n + 1) * sizeof *v->items);
            if (obj) {
                v->keys = dv_xrealloc(v->keys, (v->n + 1) * sizeof *v->keys);
                if (*p != '"') return NULL;
                const char *e = scan_string(p);
                if (!e) return NULL;
                v->keys[v->n] = dv_xstrndup(p, (size_t)(e - p));
                p = skip_ws(e);
                if (*p != ':') {
                    v->items[v->n++] = (dv_jv){0};
                    return NULL;
                }
                p++;
            }
            p = jv_parse(p, &v->items[v->n++]);
            if (!p) return NULL;
            p = skip_ws(p);
            if (*p == ',') {
                p = skip_ws(p + 1);
                continue;
            }
            if (*p == close) return p + 1;
            return NULL;
        }
    }
    const char *e = p;
    if (*p == '"') {
        e = scan_string(p);
        if (!e) return NULL;
        v->type = 's';
    } else {
        while (*e && *e != ',' && *e != '}' && *e != ']' && *e != ' ') e++;
        v->type = (*p == '-' || (*p >= '0' && *p <= '9')) ? 'n' : 's';
    }
    if (e == p) return NULL;
    v->raw = dv_xstrndup(p, (size_t)(e - p));
    return e;
}

static void jv_print(dv_buf *b, const dv_jv *v)
{
    if (v->type == 'o' || v->type == 'a') {
        dv_buf_puts(b, v->type == 'o' ? "{" : "[");
        for (size_t i = 0; i < v->n; i++) {
            if (i) dv_buf_puts(b, ", ");
            if (v->type == 'o') dv_buf_printf(b, "%s: ", v->keys[i]);
            jv_print(b, &v->items[i]);
        }
        dv_buf_puts(b, v->type == 'o' ? "}" : "]");
    } else {
        dv_buf_puts(b, v->raw);
    }
}

static bool jv_equal(const dv_jv *a, const dv_jv *b)
{
    dv_buf x = {0}, y = {0};
    jv_print(&x, a);
    jv_print(&y, b);
    bool eq = !strcmp(x.data, y.data);
    dv_buf_free(&x);
    dv_buf_free(&y);
    return eq;
}

static void jv_copy(dv_jv *to, const dv_jv *from)
{
    dv_buf b = {0};
    jv_print(&b, from);
    jv_parse(b.data, to);
    dv_buf_free(&b);
}

static int cmp_key_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* acc += v: numbers summed, objects by key (new keys appended; sorted
 * when sorted), anything else equal. Returns false on a disagreement. */
bool dv_jv_add(dv_jv *acc, const dv_jv *v, bool sorted)
{
    if (acc->type == 'n' && v->type == 'n') {
        if (strchr(acc->raw, '.') || strchr(v->raw, '.')) {
            char *t = dv_xasprintf("%.3f", atof(acc->raw) + atof(v->raw));
            free(acc->raw);
            acc->raw = t;
        } else {
            char *t = dv_xasprintf("%lld", atoll(acc->raw) + atoll(v->raw));
            free(acc->raw);
            acc->raw = t;
        }
        return true;
    }
    if (acc->type == 'o' && v->type == 'o') {
        for (size_t i = 0; i < v->n; i++) {
            size_t k = 0;
            while (k < acc->n && strcmp(acc->keys[k], v->keys[i])) k++;
            if (k == acc->n) {
                acc->keys = dv_xrealloc(acc->keys, (acc->n + 1) * sizeof *acc->keys);
                acc->items = dv_xrealloc(acc->items, (acc->n + 1) * sizeof *acc->items);
                acc->keys[acc->n] = dv_xstrdup(v->keys[i]);
                jv_copy(&acc->items[acc->n++], &v->items[i]);
            } else if (!dv_jv_add(&acc->items[k], &v->items[i], false)) {
                return false;
            }
        }
        if (sorted && acc->n) { /* a map: keys in order, values along */
            size_t *idx = dv_xmalloc((acc->n ? acc->n : 1) * sizeof *idx);
            char **keys = dv_xmalloc((acc->n ? acc->n : 1) * sizeof *keys);
            memcpy(keys, acc->keys, acc->n * sizeof *keys);
            dv_qsort(keys, acc->n, sizeof *keys, cmp_key_text);
            dv_jv *items = dv_xmalloc((acc->n ? acc->n : 1) * sizeof *items);
            for (size_t i = 0; i < acc->n; i++) {
                size_t k = 0;
                while (acc->keys[k] != keys[i]) k++;
                items[i] = acc->items[k];
                idx[i] = k;
            }
            memcpy(acc->keys, keys, acc->n * sizeof *keys);
            memcpy(acc->items, items, acc->n * sizeof *items);
            free(idx);
            free(keys);
            free(items);
        }
        return true;
    }
    return jv_equal(acc, v);
}

/* ---- the summaries, line by line ---- */

/* How a line's value merges, by its key. */
typedef enum rule { EQUAL, SUM, MAP_SUM, TABLES, ROWS, FIRST, SORTED_LIST, REASONS } rule;

static rule rule_of(const char *key)
{
    static const struct {
        const char *key;
        rule r;
    } rules[] = {
        {"\"shipments\"", SUM},         {"\"search\"", SUM},
        {"\"alerts\"", SUM},            {"\"alerts_by_track\"", SUM},
        {"\"timings_seconds\"", SUM},   {"\"rejects_by_reason\"", REASONS},
        {"\"alerts_by_item\"", MAP_SUM}, {"\"alerts_by_transit_country\"", MAP_SUM},
        {"\"tables\"", TABLES},         {"\"rows\"", ROWS},
        {"\"threads\"", FIRST},         {"\"partial_items\"", SORTED_LIST},
    };
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        if (!strcmp(rules[i].key, key)) return rules[i].r;
    return EQUAL;
}

typedef struct line_parts {
    size_t indent;
    char *key;                   /* quoted, or NULL: a line without a key */
    const char *value;           /* after ": " */
    size_t value_len;            /* without the trailing comma */
    bool comma;
} line_parts;

static bool split_line(const char *line, size_t len, line_parts *lp)
{
    memset(lp, 0, sizeof *lp);
    size_t i = 0;
    while (i < len && line[i] == ' ') i++;
    lp->indent = i;
    if (i >= len || line[i] != '"') return false;
    const char *e = scan_string(line + i);
    if (!e || (size_t)(e - line) + 2 > len || e[0] != ':' || e[1] != ' ') return false;
    lp->key = dv_xstrndup(line + i, (size_t)(e - line - i));
    lp->value = e + 2;
    lp->value_len = len - (size_t)(lp->value - line);
    lp->comma = lp->value_len && lp->value[lp->value_len - 1] == ',';
    if (lp->comma) lp->value_len--;
    return true;
}

/* The rows of the shipments table a shard's summary gives (read,
 * loaded, rejected), from its lines. */
static void shipment_rows(char **lines, size_t n, long long out[3])
{
    out[0] = out[1] = out[2] = 0;
    static const char *const names[3] = {"\"rows_read\"", "\"rows_loaded\"", "\"rows_rejected\""};
    for (size_t i = 0; i < n; i++) {
        line_parts lp;
        if (!split_line(lines[i], strlen(lines[i]), &lp)) continue;
        dv_jv v = {0}, *t = NULL;
        char *text = dv_xstrndup(lp.value, lp.value_len);
        if (jv_parse(text, &v)) {
            if (!strcmp(lp.key, "\"tables\"") && v.type == 'o') {
                for (size_t k = 0; k < v.n; k++)
                    if (!strcmp(v.keys[k], "\"shipments\"")) t = &v.items[k];
            } else if (!strcmp(lp.key, "\"shipments\"") && v.type == 'o' && v.n &&
                       !strcmp(v.keys[0], "\"file\"")) {
                t = &v;
            }
        }
        for (size_t k = 0; t && k < t->n; k++)
            for (int j = 0; j < 3; j++)
                if (!strcmp(t->keys[k], names[j])) out[j] = atoll(t->items[k].raw);
        dv_jv_free(&v);
        free(text);
        free(lp.key);
    }
}

void dv_summary_split(const char *text, size_t len, dv_summary_lines *s)
{
    memset(s, 0, sizeof *s);
    size_t cap = 0, cap_p = 0;
    bool in_partial = false;
    for (size_t a = 0; a < len;) {
        const char *nl = memchr(text + a, '\n', len - a);
        size_t b = nl ? (size_t)(nl - text) : len;
        char *line = dv_xstrndup(text + a, b - a);
        a = b + 1;
        if (in_partial) {
            if (!strcmp(line, "  ],")) {
                in_partial = false;
                free(line);
                continue;
            }
            size_t l = strlen(line);
            if (l && line[l - 1] == ',') line[l - 1] = '\0';
            DV_PUSH(s->partial, s->n_partial, cap_p, line);
            continue;
        }
        if (!strcmp(line, "  \"partial\": [],")) line[strlen(line) - 2] = '\0';
        else if (!strcmp(line, "  \"partial\": [")) in_partial = true;
        DV_PUSH(s->lines, s->n, cap, line);
    }
}

void dv_summary_free(dv_summary_lines *s)
{
    for (size_t i = 0; i < s->n; i++) free(s->lines[i]);
    for (size_t i = 0; i < s->n_partial; i++) free(s->partial[i]);
    free(s->lines);
    free(s->partial);
}

static int cmp_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int dv_summaries_merge(const char *const *outdirs, dv_summary_lines *sl, int n, const char *what,
                       const dv_jv *more_reasons, dv_buf *out, dv_error *err)
{
    for (int s = 1; s < n; s++)
        if (sl[s].n != sl[0].n)
            return dv_fail(err, DV_EXIT_INPUT, "%s/%s and %s/%s differ in layout", outdirs[0],
                           what, outdirs[s], what);
    long long ship[3] = {0}, first_ship[3];
    shipment_rows(sl[0].lines, sl[0].n, first_ship);
    for (int s = 1; s < n; s++) {
        long long r[3];
        shipment_rows(sl[s].lines, sl[s].n, r);
        for (int j = 0; j < 3; j++) ship[j] += r[j];
    }
    int rc = 0;
    for (size_t i = 0; i < sl[0].n && !rc; i++) {
        const char *l0 = sl[0].lines[i];
        if (!strcmp(l0, "  \"partial\": [")) { /* summary.json: every shard's, by item */
            char **all = NULL;
            size_t n_all = 0, cap = 0;
            for (int s = 0; s < n; s++)
                for (size_t k = 0; k < sl[s].n_partial; k++) DV_PUSH(all, n_all, cap, sl[s].partial[k]);
            dv_qsort(all, n_all, sizeof *all, cmp_text);
            dv_buf_puts(out, l0);
            for (size_t k = 0; k < n_all; k++) dv_buf_printf(out, "%s\n%s", k ? "," : "", all[k]);
            dv_buf_puts(out, n_all ? "\n  ],\n" : "],\n");
            free(all);
            continue;
        }
        bool same = true;
        for (int s = 1; s < n; s++) same &= !strcmp(sl[s].lines[i], l0);
        line_parts lp = {0};
        bool keyed = split_line(l0, strlen(l0), &lp);
        rule r = keyed ? rule_of(lp.key) : EQUAL;
        /* a block's opening line ("tables": {) holds nothing to merge */
        if (keyed && lp.value_len == 1 && (lp.value[0] == '{' || lp.value[0] == '[')) r = EQUAL;
        /* a key summed within a table line of summary.json */
        if (keyed && lp.indent == 4 && !strcmp(lp.key, "\"shipments\"")) r = SUM;
        else if (keyed && lp.indent == 4 && r == SUM && strcmp(what, "summary.json") == 0)
            r = EQUAL; /* a table named like a summed key: none is, but be exact */
        if (same && r != ROWS && r != REASONS && !(r == SUM && n > 1) && !(r == MAP_SUM && n > 1) &&
            !(r == TABLES && n > 1) && r != SORTED_LIST) {
            dv_buf_printf(out, "%s\n", l0);
            free(lp.key);
            continue;
        }
        if (!keyed) {
            rc = dv_fail(err, DV_EXIT_INPUT, "%s/%s and %s/%s differ on line %zu", outdirs[0],
                         what, outdirs[1], what, i + 1);
            break;
        }
        dv_jv acc = {0};
        char *text = dv_xstrndup(lp.value, lp.value_len);
        bool ok = jv_parse(text, &acc) != NULL;
        free(text);
        int at = 1; /* the scan that disagrees */
        for (int s = 1; s < n && ok; s++) {
            at = s;
            line_parts lq;
            if (!split_line(sl[s].lines[i], strlen(sl[s].lines[i]), &lq) || strcmp(lq.key, lp.key)) {
                free(lq.key);
                ok = false;
                break;
            }
            dv_jv v = {0};
            text = dv_xstrndup(lq.value, lq.value_len);
            ok = jv_parse(text, &v) != NULL;
            free(text);
            free(lq.key);
            if (!ok) break;
            switch (r) {
            case SUM: ok = dv_jv_add(&acc, &v, false); break;
            case MAP_SUM: ok = dv_jv_add(&acc, &v, true); break;
            case TABLES: /* the shipments table summed, the others shared */
                for (size_t k = 0; ok && k < acc.n && k < v.n; k++) {
                    if (strcmp(acc.keys[k], v.keys[k])) ok = false;
                    else if (!strcmp(acc.keys[k], "\"shipments\""))
                        ok = dv_jv_add(&acc.items[k], &v.items[k], false);
                    else ok = jv_equal(&acc.items[k], &v.items[k]);
                }
                break;
            case SORTED_LIST:
                if (acc.type != 'a' || v.type != 'a') {
                    ok = false;
                    break;
                }
                acc.items = dv_xrealloc(acc.items, (acc.n + v.n + 1) * sizeof *acc.items);
                for (size_t k = 0; k < v.n; k++) jv_copy(&acc.items[acc.n++], &v.items[k]);
                break;
            case FIRST: break;
            case ROWS: break;
            case REASONS: break;
            default: ok = jv_equal(&acc, &v); break;
            }
            dv_jv_free(&v);
        }
        if (ok && r == ROWS && acc.type == 'o') /* the shared tables once, the shards' shipments all */
            for (size_t k = 0; k < acc.n && k < 3; k++) {
                char *t = dv_xasprintf("%lld", atoll(acc.items[k].raw) + ship[k]);
                free(acc.items[k].raw);
                acc.items[k].raw = t;
            }
        if (ok && r == REASONS && more_reasons) ok = dv_jv_add(&acc, more_reasons, true);
        if (ok && r == SORTED_LIST) {
            char **texts = dv_xmalloc((acc.n ? acc.n : 1) * sizeof *texts);
            for (size_t k = 0; k < acc.n; k++) texts[k] = acc.items[k].raw;
            dv_qsort(texts, acc.n, sizeof *texts, cmp_text);
            for (size_t k = 0; k < acc.n; k++) acc.items[k].raw = texts[k];
            free(texts);
        }
        if (!ok) {
            rc = dv_fail(err, DV_EXIT_INPUT,
                         "%s/%s disagrees with %s/%s on %s: not scans of one shard set with one "
                         "configuration",
                         outdirs[at < n ? at : 1], what, outdirs[0], what, lp.key);
        } else {
            dv_buf_printf(out, "%.*s%s: ", (int)lp.indent, l0, lp.key);
            jv_print(out, &acc);
            dv_buf_printf(out, "%s\n", lp.comma ? "," : "");
        }
        dv_jv_free(&acc);
        free(lp.key);
    }
    return rc;
}
