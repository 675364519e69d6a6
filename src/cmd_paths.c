/*
 * cmd_paths.c: divert paths DATASET --from ENTITY: every realised chain
 * (SPEC 3) that starts at a party, or with --reverse ends at it, flagged
 * or not, with the flag verdict condition by condition and the alert id
 * when the scan reports it (docs/investigating.md).
 *
 * The chains come from routes.h's search, pruned only toward the chains
 * asked for (the start, the end party or country); each is judged by
 * flag.h's predicate, and detection (restricted to the item entries the
 * party trades) says which are reported. Order: alerts, then the other
 * flagged chains, then the rest; within each, by item code, then the
 * parties' ids hop by hop (a chain before its extensions). At most
 * --limit are shown, and how many were left out is said.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "divert/cli.h"
#include "divert/detect.h"
#include "divert/flag.h"
#include "divert/investigate.h"
#include "divert/msgs.h"
#include "divert/pipeline.h"
#include "divert/report.h"
#include "divert/routes.h"

enum { FORMAT_TEXT, FORMAT_CSV, FORMAT_JSON };
static const char *const formats[] = {"text", "csv", "json", NULL};
enum { DEFAULT_LIMIT = 50 };

/* What the verdict of a chain is, in the order they are listed. */
enum { RANK_ALERT, RANK_FLAGGED, RANK_NOT_FLAGGED };

typedef struct found_chain {
    int rank;
    uint32_t item; /* items row */
    int hops;
    uint32_t path[DV_MAX_HOPS + 1];
    dv_flag_result fr;
    size_t n_evidence;
    int32_t first_date, last_date;
    char id[17];              /* its alert id, whether reported or not */
    const dv_alert *reported; /* the alert that is this chain, or that holds it as a
                                 contiguous piece; NULL */
    const dv_dataset *ds;     /* for the comparator (read only) */
} found_chain;

typedef struct collect {
    const dv_dataset *ds;
    const dv_config *cfg;
    const dv_flagger *flagger;
    uint32_t from, to;      /* entity rows; to DV_NONE: any */
    const char *to_country; /* upper case, or NULL */
    bool reverse;
    uint32_t *feasible_buf;
    found_chain *chains;
    size_t n, cap;
    unsigned long long examined; /* chains visited in this item entry */
    bool cut;                    /* some item entry reached chain_budget */
} collect;

static bool other_end_fits(const collect *C, uint32_t e)
{
    if (C->to != DV_NONE) return e == C->to;
    if (C->to_country) return !strcmp(C->ds->entities[e].country, C->to_country);
    return true;
}

static int on_chain(void *ctx, const dv_item_graph *ig, const uint32_t *path, int hops,
                    const dv_hopsets *fwd)
{
    collect *C = ctx;
    if (hops == 1) {
        if (!C->reverse) return path[0] == C->from ? DV_ROUTE_GO_ON : DV_ROUTE_STOP;
        if (path[1] == C->from || !other_end_fits(C, path[0])) return DV_ROUTE_STOP;
        return DV_ROUTE_GO_ON;
    }
    if (++C->examined > C->cfg->chain_budget) {
        C->cut = true;
        return -1;
    }
    bool wanted = C->reverse ? path[hops] == C->from : other_end_fits(C, path[hops]);
    /* with --reverse the chain ends at --from; with --to, at that party */
    int next = (C->reverse && path[hops] == C->from) || (C->to != DV_NONE && path[hops] == C->to)
                   ? DV_ROUTE_STOP
                   : DV_ROUTE_GO_ON;
    if (!wanted) return next;
    const dv_dataset *ds = C->ds;
    found_chain c = {0};
    c.item = ig->item;
    c.hops = hops;
    c.ds = ds;
    memcpy(c.path, path, (size_t)(hops + 1) * sizeof *path);
    dv_hopsets feasible;
    dv_route_feasible(ds, C->cfg->window_days, fwd, &feasible, C->feasible_buf);
    dv_flag_chain(C->flagger, path, hops, &feasible, &c.fr);
    c.first_date = INT32_MAX;
    c.last_date = INT32_MIN;
    for (int h = 0; h < hops; h++)
        for (size_t i = 0; i < feasible.n[h]; i++) {
            int32_t d = ds->shipments[feasible.ship[h][i]].date;
            if (d < c.first_date) c.first_date = d;
            if (d > c.last_date) c.last_date = d;
            c.n_evidence++;
        }
    dv_alert_id(ds, ig->item, path, hops, c.id);
    DV_PUSH(C->chains, C->n, C->cap, c);
    return next;
}

/* Is path[0..hops] a contiguous piece of the alert's chain? */
static bool piece_of(const dv_alert *a, const uint32_t *path, int hops)
{
    for (int start = 0; start + hops <= a->hops; start++)
        if (!memcmp(a->path + start, path, (size_t)(hops + 1) * sizeof *path)) return true;
    return false;
}

static int cmp_chain(const void *x, const void *y)
{
    const found_chain *a = x, *b = y;
    if (a->rank != b->rank) return a->rank < b->rank ? -1 : 1;
    int c = strcmp(a->ds->items[a->item].code, b->ds->items[b->item].code);
    if (c) return c;
    for (int h = 0; h <= a->hops && h <= b->hops; h++) {
        c = strcmp(a->ds->entities[a->path[h]].id, b->ds->entities[b->path[h]].id);
        if (c) return c;
    }
    return a->hops - b->hops;
}

/* ---- what each chain shows ---- */

static void chain_text(const dv_dataset *ds, const found_chain *c, const char *sep, dv_buf *ids,
                       dv_buf *countries)
{
    for (int h = 0; h <= c->hops; h++) {
        dv_buf_printf(ids, "%s%s", h ? sep : "", ds->entities[c->path[h]].id);
        dv_buf_printf(countries, "%s%s", h ? sep : "", ds->entities[c->path[h]].country);
    }
}

static void verdict_text(const found_chain *c, dv_buf *out)
{
    if (c->rank == RANK_ALERT)
        dv_buf_printf(out, "alert %s", c->id);
    else if (c->rank == RANK_FLAGGED && c->reported)
        dv_buf_printf(out, "flagged, reported as part of alert %s", c->reported->id);
    else if (c->rank == RANK_FLAGGED)
        dv_buf_puts(out, "flagged, not reported (beyond alert_budget)");
    else
        dv_buf_puts(out, "not flagged");
}

static void weak_text(const dv_dataset *ds, const found_chain *c, dv_buf *out)
{
    for (int h = 1; h < c->hops; h++)
        if (c->fr.weak_transits & (1u << h))
            dv_buf_printf(out, "%s%s (%s)", out->len ? ";" : "", ds->entities[c->path[h]].id,
                          ds->entities[c->path[h]].country);
}

static void concerns_text(unsigned concerns, const char *sep, dv_buf *out)
{
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = {{DV_CONCERN_DESTINATION, "destination"},
                 {DV_CONCERN_WATCHLIST, "watchlist"},
                 {DV_CONCERN_END_USER, "end_user"},
                 {DV_CONCERN_HUMAN_RIGHTS, "human_rights"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (concerns & names[i].bit) dv_buf_printf(out, "%s%s", out->len ? sep : "", names[i].name);
}

/* Condition (3): what a licence covers of the concerns that hold. */
static void cover_text(const dv_dataset *ds, const found_chain *c, dv_buf *out)
{
    unsigned k = c->fr.concerns;
    if (!k) {
        dv_buf_puts(out, "nothing to cover");
        return;
    }
    if (k & (DV_CONCERN_DESTINATION | DV_CONCERN_WATCHLIST)) {
        if (c->fr.covered)
            dv_buf_printf(out, "(a)/(b) covered by %s", ds->licences[c->fr.licence].id);
        else
            dv_buf_puts(out, "(a)/(b) uncovered");
    }
    if (k & DV_CONCERN_HUMAN_RIGHTS)
        dv_buf_printf(out, "%s(d) %s", out->len ? ", " : "",
                      c->fr.covered_hr ? "covered" : "uncovered");
    if (k & DV_CONCERN_END_USER) dv_buf_printf(out, "%s(c) never covered", out->len ? ", " : "");
}

static void write_text(const dv_dataset *ds, const found_chain *c, size_t n, size_t shown,
                       const char *from, bool reverse, bool cut, const char *limit_text)
{
    dv_say(stdout, "Chains %s %s in %s: %zu found, %zu shown%s", reverse ? "into" : "from", from,
           ds->dir, n, shown, cut ? " (partial: an item entry reached chain_budget)" : "");
    for (size_t i = 0; i < shown; i++) {
        dv_buf ids = {0}, countries = {0}, v = {0}, weak = {0}, concerns = {0}, cover = {0};
        chain_text(ds, &c[i], " > ", &ids, &countries);
        verdict_text(&c[i], &v);
        weak_text(ds, &c[i], &weak);
        concerns_text(c[i].fr.concerns, ", ", &concerns);
        cover_text(ds, &c[i], &cover);
        char first[11], last[11];
        dv_format_date(c[i].first_date, first);
        dv_format_date(c[i].last_date, last);
        dv_say(stdout, "%3zu. %s  %s (%s), %s to %s, %zu shipment%s: %s", i + 1,
               ds->items[c[i].item].code, ids.data, countries.data, first, last, c[i].n_evidence,
               c[i].n_evidence == 1 ? "" : "s", v.data);
        dv_say(stdout,
               "     (1) weak third-country transit: %s; (2) concerns: %s; (3) licences: %s",
               weak.len ? weak.data : "none", concerns.len ? concerns.data : "none", cover.data);
        dv_buf_free(&ids), dv_buf_free(&countries), dv_buf_free(&v);
        dv_buf_free(&weak), dv_buf_free(&concerns), dv_buf_free(&cover);
    }
    dv_say(stdout, "%zu chain%s left out%s", n - shown, n - shown == 1 ? "" : "s",
           n > shown ? limit_text : "");
}

static const char *const csv_header[] = {"rank",       "verdict",    "chain_id",  "alert_id",
                                         "item",       "hops",       "path",      "countries",
                                         "first_date", "last_date",  "shipments", "weak_transits",
                                         "concerns",   "covered_by", NULL};

static void write_csv(const dv_dataset *ds, const found_chain *c, size_t shown)
{
    FILE *f = stdout;
    for (int k = 0; csv_header[k]; k++) fprintf(f, "%s%s", k ? "," : "", csv_header[k]);
    fputc('\n', f);
    static const char *const rank_names[] = {"alert", "flagged", "not_flagged"};
    for (size_t i = 0; i < shown; i++) {
        dv_buf ids = {0}, countries = {0}, weak = {0}, concerns = {0};
        chain_text(ds, &c[i], ">", &ids, &countries);
        weak_text(ds, &c[i], &weak);
        concerns_text(c[i].fr.concerns, ";", &concerns);
        char first[11], last[11], num[32];
        dv_format_date(c[i].first_date, first);
        dv_format_date(c[i].last_date, last);
        snprintf(num, sizeof num, "%zu", i + 1);
        dv_csv_cell(f, num, true);
        fputc(',', f), dv_csv_cell(f, rank_names[c[i].rank], true);
        fputc(',', f), dv_csv_cell(f, c[i].id, true);
        fputc(',', f), dv_csv_cell(f, c[i].reported ? c[i].reported->id : "", true);
        fputc(',', f), dv_csv_cell(f, ds->items[c[i].item].code, true);
        snprintf(num, sizeof num, "%d", c[i].hops);
        fputc(',', f), dv_csv_cell(f, num, true);
        fputc(',', f), dv_csv_cell(f, ids.data, true);
        fputc(',', f), dv_csv_cell(f, countries.data, true);
        fputc(',', f), dv_csv_cell(f, first, true);
        fputc(',', f), dv_csv_cell(f, last, true);
        snprintf(num, sizeof num, "%zu", c[i].n_evidence);
        fputc(',', f), dv_csv_cell(f, num, true);
        fputc(',', f), dv_csv_cell(f, weak.data ? weak.data : "", true);
        fputc(',', f), dv_csv_cell(f, concerns.data ? concerns.data : "", true);
        fputc(',', f),
            dv_csv_cell(f, c[i].fr.covered ? ds->licences[c[i].fr.licence].id : "", true);
        fputc('\n', f);
        dv_buf_free(&ids), dv_buf_free(&countries), dv_buf_free(&weak), dv_buf_free(&concerns);
    }
}


static void write_json(const dv_dataset *ds, const found_chain *c, size_t n, size_t shown,
                       const dv_invocation *inv, size_t limit, bool cut)
{
    FILE *f = stdout;
    fputs("{\n  ", f);
    dv_json_key(f, "dataset"), dv_json_string(f, ds->dir), fputs(",\n  ", f);
    dv_json_key(f, "from"), dv_json_string(f, inv->from), fputs(",\n  ", f);
    dv_json_key(f, "reverse"), fputs(inv->reverse ? "true" : "false", f), fputs(",\n  ", f);
    dv_json_key(f, "to"), dv_json_string_or_null(f, inv->to), fputs(",\n  ", f);
    dv_json_key(f, "to_country"), dv_json_string_or_null(f, inv->to_country), fputs(",\n  ", f);
    dv_json_key(f, "item"), dv_json_string_or_null(f, inv->item), fputs(",\n  ", f);
    dv_json_key(f, "limit"), fprintf(f, "%zu,\n  ", limit);
    dv_json_key(f, "found"), fprintf(f, "%zu,\n  ", n);
    dv_json_key(f, "shown"), fprintf(f, "%zu,\n  ", shown);
    dv_json_key(f, "left_out"), fprintf(f, "%zu,\n  ", n - shown);
    dv_json_key(f, "partial"), fputs(cut ? "true" : "false", f), fputs(",\n  ", f);
    dv_json_key(f, "chains");
    fputs("[", f);
    static const char *const rank_names[] = {"alert", "flagged", "not_flagged"};
    for (size_t i = 0; i < shown; i++) {
        const found_chain *x = &c[i];
        fputs(i ? ",\n    {" : "\n    {", f);
        dv_json_key(f, "verdict"), dv_json_string(f, rank_names[x->rank]), fputs(", ", f);
        dv_json_key(f, "chain_id"), dv_json_string(f, x->id), fputs(", ", f);
        dv_json_key(f, "alert_id"), dv_json_string_or_null(f, x->reported ? x->reported->id : NULL);
        fputs(", ", f);
        dv_json_key(f, "item"), dv_json_string(f, ds->items[x->item].code), fputs(", ", f);
        dv_json_key(f, "path"), fputs("[", f);
        for (int h = 0; h <= x->hops; h++) {
            if (h) fputs(", ", f);
            dv_json_string(f, ds->entities[x->path[h]].id);
        }
        fputs("], ", f);
        dv_json_key(f, "countries"), fputs("[", f);
        for (int h = 0; h <= x->hops; h++) {
            if (h) fputs(", ", f);
            dv_json_string(f, ds->entities[x->path[h]].country);
        }
        fputs("], ", f);
        dv_json_key(f, "first_date"), dv_json_date(f, x->first_date), fputs(", ", f);
        dv_json_key(f, "last_date"), dv_json_date(f, x->last_date), fputs(", ", f);
        dv_json_key(f, "shipments"), fprintf(f, "%zu, ", x->n_evidence);
        dv_json_flag_fields(f, ds, x->path, x->hops, &x->fr);
        fputs("}", f);
    }
    fputs(shown ? "\n  ]\n}\n" : "]\n}\n", f);
}

/* ---- the command ---- */

/* Check the options that need no dataset; 0 or DV_EXIT_INPUT. */
static int check_options(const dv_invocation *inv, size_t *limit)
{
    if (!inv->from) {
        dv_msg("paths needs --from ENTITY, the party whose chains to list");
        return DV_EXIT_INPUT;
    }
    if (inv->to && inv->to_country) {
        dv_msg("paths: --to and --to-country cannot be given together: choose one end");
        return DV_EXIT_INPUT;
    }
    if (inv->to_country &&
        (strlen(inv->to_country) != 2 || !isalpha((unsigned char)inv->to_country[0]) ||
         !isalpha((unsigned char)inv->to_country[1]))) {
        dv_msg("paths: --to-country \"%s\" is not a two-letter country code", inv->to_country);
        return DV_EXIT_INPUT;
    }
    *limit = DEFAULT_LIMIT;
    if (inv->limit) {
        const char *s = inv->limit;
        size_t n = strspn(s, "0123456789");
        if (!n || s[n] || n > 9) {
            dv_msg("paths: --limit \"%s\" is not a whole number from 0 to 999999999", s);
            return DV_EXIT_INPUT;
        }
        *limit = (size_t)strtoul(s, NULL, 10);
    }
    return 0;
}

int dv_cmd_paths(dv_invocation *inv)
{
    int format = dv_inv_format("paths", inv->format, formats);
    if (format < 0) return DV_EXIT_INPUT;
    size_t limit;
    int rc = check_options(inv, &limit);
    if (rc) return rc;
    dv_term_progress tp;
    dv_pipeline p;
    rc = dv_cmd_start(inv, &p, &tp, NULL);
    if (rc) return rc;
    dv_error err = {0, ""};
    collect C = {0};
    bool *only = NULL, *target = NULL;
    uint8_t *to_goal = NULL;
    dv_flagger flagger = {0};
    char cc[3] = "";
    /* the load on its own first: a run that stops at the screening loads no shipments */
    rc = dv_pipeline_run(&p, inv->args[0], DV_STAGE_LOAD, &err);
    if (!rc) rc = dv_pipeline_run(&p, inv->args[0], DV_STAGE_SCREEN, &err);
    if (rc) {
        dv_msg("%s", err.msg);
        goto done;
    }
    const dv_dataset *ds = &p.ds;
    rc = DV_EXIT_INPUT;
    uint32_t from = dv_entity_find(ds, inv->from), to = DV_NONE, item = DV_NONE;
    if (from == DV_NONE) {
        dv_msg("paths: --from %s: no entity %s in %s", inv->from, inv->from, ds->dir);
        goto done;
    }
    if (inv->to && (to = dv_entity_find(ds, inv->to)) == DV_NONE) {
        dv_msg("paths: --to %s: no entity %s in %s", inv->to, inv->to, ds->dir);
        goto done;
    }
    if (inv->to_country) {
        cc[0] = (char)toupper((unsigned char)inv->to_country[0]);
        cc[1] = (char)toupper((unsigned char)inv->to_country[1]);
        bool known = dv_country_find(ds, cc) != DV_NONE;
        for (size_t e = 0; e < ds->n_entities && !known; e++)
            known = !strcmp(ds->entities[e].country, cc);
        if (!known) {
            dv_msg("paths: --to-country %s: no country %s in %s (neither in the countries table "
                   "nor any entity's)",
                   inv->to_country, cc, ds->dir);
            goto done;
        }
    }
    if (inv->item && (item = dv_inv_item("paths", ds, inv->item)) == DV_NONE) goto done;

    /* the item entries the party trades (and --item): graph and detection
     * cover those alone */
    size_t ni = ds->n_items ? ds->n_items : 1;
    only = dv_xcalloc(ni, sizeof *only);
    for (size_t i = 0; i < ds->n_shipments; i++) {
        const dv_shipment *s = &ds->shipments[i];
        if (s->item_idx == DV_NONE || (item != DV_NONE && s->item_idx != item)) continue;
        if (s->shipper == from || s->consignee == from) only[s->item_idx] = true;
    }
    p.only_items = only;
    rc = dv_pipeline_run(&p, inv->args[0], DV_STAGE_DETECT, &err);
    if (rc) {
        dv_msg("%s", err.msg);
        goto done;
    }

    dv_flagger_init(&flagger, ds, &p.cfg, &p.screening);
    C.ds = ds;
    C.cfg = &p.cfg;
    C.flagger = &flagger;
    C.from = from;
    C.to = to;
    C.to_country = cc[0] ? cc : NULL;
    C.reverse = inv->reverse;
    size_t ne = ds->n_entities ? ds->n_entities : 1;
    target = dv_xcalloc(ne, sizeof *target);
    to_goal = dv_xmalloc(ne);
    /* prune toward the fixed end: --from with --reverse, else --to or --to-country */
    bool has_goal = inv->reverse || to != DV_NONE || cc[0];
    for (size_t e = 0; e < ds->n_entities; e++)
        target[e] = inv->reverse    ? e == from
                    : to != DV_NONE ? e == to
                                    : cc[0] && !strcmp(ds->entities[e].country, cc);
    for (size_t g = 0; g < p.graph.n_items; g++) {
        const dv_item_graph *ig = &p.graph.items[g];
        C.feasible_buf =
            dv_xmalloc((ig->n_ship * (size_t)p.cfg.max_hops + 1) * sizeof *C.feasible_buf);
        C.examined = 0;
        dv_route_prune prune = {NULL, NULL, NULL};
        if (has_goal) {
            dv_route_distances(ds, ig, target, false, p.cfg.max_hops, to_goal);
            prune.to_goal = to_goal;
        }
        dv_route_search(ds, ig, p.cfg.window_days, p.cfg.max_hops, &prune, on_chain, &C, NULL);
        free(C.feasible_buf);
        C.feasible_buf = NULL;
    }
    /* which are reported: the alert itself, or an alert holding the chain */
    for (size_t i = 0; i < C.n; i++) {
        found_chain *c = &C.chains[i];
        c->rank = c->fr.flagged ? RANK_FLAGGED : RANK_NOT_FLAGGED;
        for (size_t k = 0; k < p.result.n_alerts && c->fr.flagged; k++) {
            const dv_alert *a = &p.result.alerts[k];
            if (a->item != c->item) continue;
            if (!strcmp(a->id, c->id)) {
                c->rank = RANK_ALERT;
                c->reported = a;
                break;
            }
            if (!c->reported && piece_of(a, c->path, c->hops)) c->reported = a;
        }
    }
    dv_qsort(C.chains, C.n, sizeof *C.chains, cmp_chain);
    size_t shown = limit && limit < C.n ? limit : C.n;
    char limit_text[64];
    snprintf(limit_text, sizeof limit_text, " (--limit %zu)", limit);
    if (format == FORMAT_JSON)
        write_json(ds, C.chains, C.n, shown, inv, limit, C.cut);
    else if (format == FORMAT_CSV) {
        write_csv(ds, C.chains, shown);
        if (C.n > shown)
            dv_msg("paths: %zu chain%s left out (--limit %zu)", C.n - shown,
                   C.n - shown == 1 ? "" : "s", limit);
    } else
        write_text(ds, C.chains, C.n, shown, inv->from, inv->reverse, C.cut, limit_text);
    if (C.cut)
        dv_msg("paths: an item entry reached chain_budget (%zu chains): the list is partial",
               p.cfg.chain_budget);
    rc = 0;

done:
    free(C.chains);
    free(target);
    free(to_goal);
    dv_flagger_free(&flagger);
    p.only_items = NULL;
    free(only);
    dv_pipeline_free(&p);
    return rc;
}
