/*
 * report_alerts.c: alerts.json, the alerts for programs, and the same
 * document as report.html carries it (docs/report.md has the schema).
 *
 * One function writes the document, so that the two files cannot say
 * different things: alerts.json holds every alert with its parties,
 * hops, rules, licence, the origin's licences for the item with why each
 * does or does not cover (flag.h's account, explain's) and every
 * evidence shipment, plus the summary
 * counts; report.html's copy is escaped for its <script> element, keeps
 * at most DV_REPORT_MAX_EVIDENCE evidence rows an alert (saying how many
 * there are) and adds the coordinates of each route's drawing, laid out
 * by igraph's layered (Sugiyama) layout.
 *
 * Like every writer it reads the pipeline and recomputes nothing of the
 * detection: weakness and safeguard scores come from a flagger built on
 * the same configuration (flag.h), the watchlist matches from the
 * screening. Bytes are deterministic: alerts in the result's order,
 * counts sorted by key, numbers through dv_format_number or fixed
 * decimals, no time of day. Scores and points are rounded once, here,
 * to the 2 decimals explain shows; the page shows them as they are.
 */
#include "divert/report.h"

#include "divert/cases.h"

#include <igraph.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "divert/flag.h"

/* Declared end users drawn beside a route, at most (the rest are in the
 * evidence table). */
enum { MAX_DECLARED = 4 };

typedef struct doc {
    FILE *f;
    const dv_pipeline *p;
    const dv_flagger *fl;
    const dv_report_doc_opts *o;
} doc;

static void str(const doc *d, const char *s)
{
    if (!s) fputs("null", d->f);
    else if (d->o->in_script) dv_json_script_string(d->f, s);
    else dv_json_string(d->f, s);
}

static void key(const doc *d, const char *k)
{
    str(d, k);
    fputs(": ", d->f);
}

static void num(const doc *d, double v)
{
    if (isnan(v)) {
        fputs("null", d->f);
        return;
    }
    char buf[48];
    dv_format_number(v, buf);
    fputs(buf, d->f);
}

static void date(const doc *d, int32_t day)
{
    if (day == DV_NO_DATE) {
        fputs("null", d->f);
        return;
    }
    char buf[11];
    dv_format_date(day, buf);
    str(d, buf);
}

/* ---- the summary ---- */

/* With a case store: the run, the statuses, and each change since the
 * last run (resolved alerts included: they are in no alert's record). */
static void case_changes(const doc *d)
{
    FILE *f = d->f;
    const dv_cases *c = d->p->cases;
    if (!c || !c->on) {
        fputs("    \"cases\": null,\n", f);
        return;
    }
    fprintf(f, "    \"cases\": {\"run_id\": %lld, \"status\": {", c->run_id);
    for (int k = 0; k < DV_CASE_COUNT; k++)
        fprintf(f, "%s\"%s\": %zu", k ? ", " : "", dv_case_status_names[k], c->by_status[k]);
    fputs("}, \"watchlist_changes\": {", f);
    for (int k = 0; k < DV_LIST_CHANGE_COUNT; k++)
        fprintf(f, "%s\"%s\": %zu", k ? ", " : "", dv_list_change_names[k], c->by_list_change[k]);
    fputs("},\n      \"changes\": [", f);
    for (size_t i = 0; i < c->n_changes; i++) {
        const dv_change *ch = &c->changes[i];
        fputs(i ? ",\n        {" : "\n        {", f);
        key(d, "alert_id");
        str(d, ch->alert_id);
        fputs(", ", f);
        key(d, "change");
        str(d, dv_change_names[ch->kind]);
        fputs(", ", f);
        key(d, "old_score");
        if (ch->old_score >= 0) fprintf(f, "%d", ch->old_score);
        else fputs("null", f);
        fputs(", ", f);
        key(d, "new_score");
        if (ch->new_score >= 0) fprintf(f, "%d", ch->new_score);
        else fputs("null", f);
        fputs(", ", f);
        key(d, "what");
        str(d, ch->what);
        fputs("}", f);
    }
    fputs(c->n_changes ? "\n      ]},\n" : "]},\n", f);
}

typedef struct count {
    const char *key;
    size_t n;
} count;

static int by_key(const void *a, const void *b)
{
    return strcmp(((const count *)a)->key, ((const count *)b)->key);
}

static void counts(const doc *d, count *c, size_t n)
{
    dv_qsort(c, n, sizeof *c, by_key);
    fputc('{', d->f);
    for (size_t i = 0, shown = 0; i < n; i++) {
        if (!c[i].n) continue;
        if (shown++) fputs(", ", d->f);
        key(d, c[i].key);
        fprintf(d->f, "%zu", c[i].n);
    }
    fputc('}', d->f);
}

static void summary(const doc *d)
{
    const dv_dataset *ds = &d->p->ds;
    const dv_result *r = &d->p->result;
    FILE *f = d->f;
    fputs("  \"summary\": {\n    \"tables\": {", f);
    long read = 0, loaded = 0, rejected = 0;
    for (int t = 0; t < DV_T_COUNT; t++) {
        const dv_table_info *info = &ds->tables[t];
        fputs(t ? ", " : "", f);
        key(d, dv_table_names[t]);
        fputs("{\"file\": ", f);
        str(d, info->present ? info->path : NULL);
        /* list rows that are not parties (skipped) or other names of an
         * earlier row's entry (joined): read = loaded + rejected + both */
        fprintf(f, ", \"reference\": %s, \"rows_read\": %ld, \"rows_loaded\": %ld, "
                   "\"rows_rejected\": %ld, \"rows_skipped\": %ld, \"rows_joined\": %ld}",
                info->reference ? "true" : "false", info->rows_read, info->rows_loaded,
                info->rows_rejected, info->rows_skipped, info->rows_joined);
        if (info->reference) continue; /* totals over the dataset's own files, as summary.json */
        read += info->rows_read;
        loaded += info->rows_loaded;
        rejected += info->rows_rejected;
    }
    fprintf(f, "},\n    \"rows\": {\"read\": %ld, \"loaded\": %ld, \"rejected\": %ld},\n", read,
            loaded, rejected);

    /* rejects by reason code */
    count *c = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < ds->n_rejects; i++) {
        size_t k = 0;
        while (k < n && strcmp(c[k].key, ds->rejects[i].code)) k++;
        if (k == n) {
            count one = {ds->rejects[i].code, 0};
            DV_PUSH(c, n, cap, one);
        }
        c[k].n++;
    }
    fputs("    \"rejects_by_reason\": ", f);
    counts(d, c, n);
    free(c);

    fprintf(f, ",\n    \"shipments\": %zu,\n    \"alerts\": {\"total\": %zu", ds->n_shipments,
            r->n_alerts);
    for (int sev = DV_SEV_COUNT - 1; sev >= 0; sev--)
        fprintf(f, ", \"%s\": %zu", dv_severity_names[sev], r->by_severity[sev]);
    fputs("},\n    \"alerts_by_track\": {", f);
    for (int t = 0; t < DV_TRACK_COUNT; t++)
        fprintf(f, "%s\"%s\": %zu", t ? ", " : "", dv_track_names[t], r->by_track[t]);
    fputs("},\n", f);
    case_changes(d);

    /* by item entry, and by transit country (an alert counts once for
     * each country among its transits) */
    c = dv_xcalloc(ds->n_items ? ds->n_items : 1, sizeof *c);
    for (size_t i = 0; i < ds->n_items; i++) c[i].key = ds->items[i].code;
    for (size_t a = 0; a < r->n_alerts; a++) c[r->alerts[a].item].n++;
    fputs("    \"alerts_by_item\": ", f);
    counts(d, c, ds->n_items);
    free(c);
    count *by_country = NULL;
    size_t nc = 0, capc = 0;
    for (size_t a = 0; a < r->n_alerts; a++) {
        const dv_alert *al = &r->alerts[a];
        for (int h = 1; h < al->hops; h++) {
            const char *cc = ds->entities[al->path[h]].country;
            bool seen = false;
            for (int g = 1; g < h; g++)
                seen |= !strcmp(ds->entities[al->path[g]].country, cc);
            if (seen) continue;
            size_t k = 0;
            while (k < nc && strcmp(by_country[k].key, cc)) k++;
            if (k == nc) {
                count one = {cc, 0};
                DV_PUSH(by_country, nc, capc, one);
            }
            by_country[k].n++;
        }
    }
    fputs(",\n    \"alerts_by_transit_country\": ", f);
    counts(d, by_country, nc);
    free(by_country);
    fputs(",\n    \"partial_items\": [", f);
    for (size_t i = 0; i < r->n_partial; i++) {
        fputs(i ? ", " : "", f);
        str(d, ds->items[r->partial[i].item].code);
    }
    fputs("]\n  },\n", f);
}

/* ---- one alert ---- */

/* The parties drawn for an alert: the route's, then up to MAX_DECLARED
 * declared end users of its first-leg evidence that are not on it;
 * `declared` counts all of those (the page says how many it leaves out). */
typedef struct parties {
    uint32_t row[DV_MAX_HOPS + 1 + MAX_DECLARED];
    int n, route;
    size_t declared;
} parties;

static int by_row(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static void parties_of(const dv_dataset *ds, const dv_alert *a, parties *ps)
{
    ps->route = a->hops + 1;
    for (int h = 0; h <= a->hops; h++) ps->row[h] = a->path[h];
    ps->n = ps->route;
    /* every declared end user off the route, counted once (sorted, then
     * distinct); the first MAX_DECLARED in evidence order are drawn */
    uint32_t *all = dv_xmalloc((a->n_evidence ? a->n_evidence : 1) * sizeof *all);
    size_t n_all = 0;
    for (size_t i = 0; i < a->n_evidence; i++) {
        const dv_shipment *s = &ds->shipments[a->evidence[i]];
        if (s->shipper != a->path[0] || s->declared_end_user == DV_NONE) continue;
        bool have = false;
        for (int k = 0; k < ps->route; k++) have |= ps->row[k] == s->declared_end_user;
        if (have) continue;
        all[n_all++] = s->declared_end_user;
        for (int k = ps->route; k < ps->n; k++) have |= ps->row[k] == s->declared_end_user;
        if (!have && ps->n < ps->route + MAX_DECLARED) ps->row[ps->n++] = s->declared_end_user;
    }
    dv_qsort(all, n_all, sizeof *all, by_row);
    ps->declared = 0;
    for (size_t i = 0; i < n_all; i++) ps->declared += !i || all[i] != all[i - 1];
    free(all);
}

static void party(const doc *d, uint32_t row, const char *position)
{
    const dv_dataset *ds = &d->p->ds;
    const dv_entity *e = &ds->entities[row];
    FILE *f = d->f;
    fputs("{", f);
    key(d, "id");
    str(d, e->id);
    fputs(", ", f);
    key(d, "name");
    str(d, e->name);
    fputs(", ", f);
    key(d, "position");
    str(d, position);
    fputs(", ", f);
    key(d, "role");
    str(d, dv_role_names[e->role]);
    fputs(", ", f);
    key(d, "sector");
    str(d, e->sector == DV_SECTOR_UNKNOWN ? NULL : dv_sector_names[e->sector]);
    fputs(", ", f);
    key(d, "country");
    str(d, e->country);
    fputs(", ", f);
    key(d, "country_name");
    const dv_country *c = e->country_idx == DV_NONE ? NULL : &ds->countries[e->country_idx];
    str(d, c ? c->name : NULL);
    /* scores rounded once, here, to explain's 2 decimals: the page shows
     * these texts as they are */
    fprintf(f, ", \"safeguard\": %.2f, \"weak\": %s, \"hub\": %s, \"watchlist\": ",
            c ? d->fl->safeguard[e->country_idx] : 0.0, dv_entity_weak(d->fl, row) ? "true" : "false",
            c && c->hub ? "true" : "false");
    const dv_match *m = dv_screening_best(&d->p->screening, row);
    if (!m) {
        fputs("null}", f);
        return;
    }
    const dv_watch *w = &ds->watchlist[m->watch];
    fputs("{", f);
    key(d, "list_id");
    str(d, w->id);
    fputs(", ", f);
    key(d, "list_name");
    str(d, m->list_name);
    fputs(", ", f);
    key(d, "source");
    str(d, w->source);
    fprintf(f, ", \"score\": %.2f}}", m->score);
}

/* The hop of an evidence shipment: where its shipper stands on the route
 * (the route's parties are distinct). */
static int hop_of(const dv_alert *a, const dv_shipment *s)
{
    for (int h = 0; h < a->hops; h++)
        if (a->path[h] == s->shipper && a->path[h + 1] == s->consignee) return h;
    return -1;
}

static void hops(const doc *d, const dv_alert *a)
{
    const dv_dataset *ds = &d->p->ds;
    FILE *f = d->f;
    fputs("    \"hops\": [", f);
    for (int h = 0; h < a->hops; h++) {
        size_t n = 0;
        int32_t first = DV_NO_DATE, last = DV_NO_DATE;
        double qty = 0;
        for (size_t i = 0; i < a->n_evidence; i++) {
            const dv_shipment *s = &ds->shipments[a->evidence[i]];
            if (hop_of(a, s) != h) continue;
            if (!n++) first = s->date;
            last = s->date; /* evidence is by (date, id) */
            qty += s->quantity;
        }
        fputs(h ? ",\n      {" : "\n      {", f);
        key(d, "from");
        str(d, ds->entities[a->path[h]].id);
        fputs(", ", f);
        key(d, "to");
        str(d, ds->entities[a->path[h + 1]].id);
        fprintf(f, ", \"shipments\": %zu, \"first_date\": ", n);
        date(d, first);
        fputs(", \"last_date\": ", f);
        date(d, last);
        fputs(", \"quantity\": ", f);
        num(d, qty);
        fputs("}", f);
    }
    fputs("],\n", f);
}

/* A licence's members, without the braces: the covering licence names its
 * exporter, the origin's licences (all the origin's) their sectors. */
static void licence_members(const doc *d, const dv_licence *l, bool exporter, bool sectors)
{
    const dv_dataset *ds = &d->p->ds;
    FILE *f = d->f;
    key(d, "id");
    str(d, l->id);
    fputs(", ", f);
    if (exporter) {
        key(d, "exporter");
        str(d, ds->entities[l->exporter].id);
        fputs(", ", f);
    }
    key(d, "item");
    str(d, l->item_code);
    fputs(", ", f);
    key(d, "destination");
    str(d, l->destination);
    fputs(", ", f);
    key(d, "end_user");
    str(d, l->end_user == DV_NONE ? NULL : ds->entities[l->end_user].id);
    if (sectors) {
        char text[256];
        dv_sector_set_text(l->sectors, text, sizeof text);
        fputs(", ", f);
        key(d, "sectors");
        str(d, l->sectors ? text : NULL);
    }
    fputs(", \"valid_from\": ", f);
    date(d, l->valid_from);
    fputs(", \"valid_to\": ", f);
    date(d, l->valid_to);
    fputs(", ", f);
    key(d, "end_use");
    str(d, l->end_use);
    fputs(", \"quantity\": ", f);
    num(d, l->quantity);
}

static void licence(const doc *d, uint32_t row)
{
    if (row == DV_NONE) {
        fputs("null", d->f);
        return;
    }
    fputs("{", d->f);
    licence_members(d, &d->p->ds.licences[row], true, false);
    fputs("}", d->f);
}

/* The origin's licences for the route's item, each with why it does or
 * does not cover (flag.h's account, the one `divert explain` gives). */
static void licences(const doc *d, const dv_alert *a)
{
    const dv_dataset *ds = &d->p->ds;
    FILE *f = d->f;
    uint32_t *legs = dv_xmalloc((a->n_evidence ? a->n_evidence : 1) * sizeof *legs);
    size_t n_legs = 0;
    for (size_t i = 0; i < a->n_evidence; i++)
        if (hop_of(a, &ds->shipments[a->evidence[i]]) == 0) legs[n_legs++] = a->evidence[i];
    dv_route_licence_ctx c = {ds, legs, n_legs, a->path[a->hops], a->concerns, a->licence,
                              a->quantity};
    uint32_t *rows;
    size_t n = dv_route_licences(d->fl, a->path[0], &c, &rows);
    fputs("    \"licences\": [", f);
    for (size_t k = 0; k < n; k++) {
        dv_buf why = {0};
        bool covers = dv_route_licence_why(&c, rows[k], &why);
        fputs(k ? ",\n      {" : "\n      {", f);
        licence_members(d, &ds->licences[rows[k]], false, true);
        fprintf(f, ", \"covers\": %s, ", covers ? "true" : "false");
        key(d, "why");
        str(d, why.data ? why.data : "");
        fputs("}", f);
        dv_buf_free(&why);
    }
    fputs("],\n", f);
    free(rows);
    free(legs);
}

static void evidence(const doc *d, const dv_alert *a)
{
    const dv_dataset *ds = &d->p->ds;
    FILE *f = d->f;
    size_t n = a->n_evidence;
    if (d->o->max_evidence && n > d->o->max_evidence) n = d->o->max_evidence;
    fprintf(f, "    \"evidence_total\": %zu,\n    \"evidence\": [", a->n_evidence);
    for (size_t i = 0; i < n; i++) {
        const dv_shipment *s = &ds->shipments[a->evidence[i]];
        fputs(i ? ",\n      {" : "\n      {", f);
        key(d, "id");
        str(d, s->id);
        fprintf(f, ", \"hop\": %d, \"date\": ", hop_of(a, s) + 1);
        date(d, s->date);
        fputs(", ", f);
        key(d, "shipper");
        str(d, ds->entities[s->shipper].id);
        fputs(", ", f);
        key(d, "consignee");
        str(d, ds->entities[s->consignee].id);
        fputs(", ", f);
        key(d, "item");
        str(d, s->item);
        fputs(", \"quantity\": ", f);
        num(d, s->quantity);
        fputs(", \"value\": ", f);
        num(d, s->value);
        fputs(", ", f);
        key(d, "licence");
        str(d, s->licence_id);
        fputs(", ", f);
        key(d, "declared_end_user");
        str(d, s->declared_end_user == DV_NONE ? NULL : ds->entities[s->declared_end_user].id);
        fputs("}", f);
    }
    fputs("],\n", f);
}

/* The drawing's coordinates: the route and the declared end users as a
 * small directed graph (route hops, and an edge from the origin to each
 * declared end user), laid out in layers by igraph. Coordinates are in
 * units of one box: x within a layer, y the layer. Should igraph fail,
 * the route is drawn straight down, one party a layer. */
static void layout(const doc *d, const parties *ps)
{
    FILE *f = d->f;
    igraph_t g;
    igraph_matrix_t res;
    igraph_vector_int_t edges;
    int n = ps->n;
    bool ok = false;
    if (igraph_vector_int_init(&edges, 0) == IGRAPH_SUCCESS) {
        ok = true;
        for (int h = 0; h + 1 < ps->route && ok; h++)
            ok = !igraph_vector_int_push_back(&edges, h) && !igraph_vector_int_push_back(&edges, h + 1);
        for (int k = ps->route; k < n && ok; k++)
            ok = !igraph_vector_int_push_back(&edges, 0) && !igraph_vector_int_push_back(&edges, k);
        if (ok && igraph_create(&g, &edges, n, IGRAPH_DIRECTED) == IGRAPH_SUCCESS) {
            if (igraph_matrix_init(&res, 0, 0) == IGRAPH_SUCCESS) {
                ok = igraph_layout_sugiyama(&g, &res, NULL, NULL, NULL, 1.0, 1.0, 100, NULL) ==
                         IGRAPH_SUCCESS &&
                     igraph_matrix_nrow(&res) >= n;
                if (ok) {
                    fputs("    \"layout\": [", f);
                    for (int v = 0; v < n; v++)
                        fprintf(f, "%s[%.2f, %.2f]", v ? ", " : "", MATRIX(res, v, 0) + 0.0,
                                MATRIX(res, v, 1) + 0.0);
                    fputs("],\n", f);
                }
                igraph_matrix_destroy(&res);
            } else ok = false;
            igraph_destroy(&g);
        } else ok = false;
        igraph_vector_int_destroy(&edges);
    }
    if (ok) return;
    fputs("    \"layout\": [", f);
    for (int v = 0; v < n; v++)
        fprintf(f, "%s[%d, %d]", v ? ", " : "", v < ps->route ? 0 : 1 + v - ps->route,
                v < ps->route ? v : 1);
    fputs("],\n", f);
}

static void alert(const doc *d, const dv_alert *a)
{
    const dv_dataset *ds = &d->p->ds;
    const dv_item *it = &ds->items[a->item];
    FILE *f = d->f;
    fputs("    {", f);
    key(d, "id");
    str(d, a->id);
    fprintf(f, ", \"score\": %d, ", a->score);
    key(d, "severity");
    str(d, dv_severity_names[a->severity]);
    fputs(", ", f);
    key(d, "track");
    str(d, dv_track_names[a->track]);
    fputs(", ", f);
    /* the case store's status, and why (cases.h); "new" without a store */
    const dv_cases *cs = d->p->cases;
    size_t ai = (size_t)(a - d->p->result.alerts);
    bool stored = cs && cs->on;
    key(d, "status");
    str(d, dv_case_status_names[stored ? cs->status[ai] : DV_CASE_NEW]);
    fputs(", ", f);
    key(d, "status_reason");
    str(d, stored ? cs->why[ai] : NULL);
    fputs(",\n    \"item\": {", f);
    key(d, "code");
    str(d, it->code);
    fputs(", ", f);
    key(d, "control");
    str(d, it->control);
    fputs(", ", f);
    key(d, "description");
    str(d, it->description);
    fputs("},\n    \"first_date\": ", f);
    date(d, a->first_date);
    fputs(", \"last_date\": ", f);
    date(d, a->last_date);
    fprintf(f, ", \"shipments\": %zu, \"quantity\": ", a->n_evidence);
    num(d, a->quantity);
    fputs(", \"value\": ", f);
    num(d, a->has_value ? a->value : NAN);
    fputs(",\n    \"parties\": [", f);
    parties ps;
    parties_of(ds, a, &ps);
    for (int k = 0; k < ps.n; k++) {
        fputs(k ? ",\n      " : "\n      ", f);
        const char *position = k == 0                ? "origin"
                               : k == a->hops        ? "final"
                               : k < ps.route        ? "transit"
                                                     : "declared_end_user";
        party(d, ps.row[k], position);
    }
    fprintf(f, "],\n    \"declared_end_users\": %zu,\n", ps.declared);
    hops(d, a);
    fputs("    \"rules\": [", f);
    for (size_t k = 0; k < a->n_hits; k++) {
        fputs(k ? ",\n      {" : "\n      {", f);
        key(d, "rule");
        str(d, dv_rules[a->hits[k].rule].id);
        /* rounded once, as explain's %.2f: never round() then print */
        fprintf(f, ", \"points\": %.2f", a->hits[k].points);
        fputs(", ", f);
        key(d, "reason");
        str(d, a->hits[k].reason);
        fputs("}", f);
    }
    fputs("],\n    \"licence\": ", f);
    licence(d, a->licence);
    fputs(",\n", f);
    licences(d, a);
    evidence(d, a);
    if (d->o->layout) layout(d, &ps);
    fputs("    ", f);
    key(d, "explanation");
    str(d, a->explanation);
    fputs("}", f);
}

int dv_write_report_doc(FILE *f, const dv_pipeline *p, const dv_report_doc_opts *o)
{
    dv_flagger fl;
    dv_flagger_init(&fl, &p->ds, &p->cfg, &p->screening);
    doc d = {f, p, &fl, o};
    fputs("{\n  \"divert_version\": ", f);
    str(&d, DIVERT_VERSION);
    fputs(",\n  \"dataset\": ", f);
    str(&d, p->ds.dir);
    fputs(",\n", f);
    summary(&d);
    fputs("  \"alerts\": [", f);
    for (size_t i = 0; i < p->result.n_alerts; i++) {
        fputs(i ? ",\n" : "\n", f);
        alert(&d, &p->result.alerts[i]);
    }
    fputs(p->result.n_alerts ? "\n  ]\n}\n" : "]\n}\n", f);
    dv_flagger_free(&fl);
    return ferror(f) ? DV_EXIT_INTERNAL : 0;
}

int dv_write_alerts_json(FILE *f, const dv_pipeline *p)
{
    dv_report_doc_opts o = {.in_script = false, .layout = false, .max_evidence = 0};
    return dv_write_report_doc(f, p, &o);
}
