/*
 * cmd_explain.c: divert explain DATASET ALERT_ID: one alert of a scan,
 * explained on stdout as text or JSON (docs/investigating.md).
 *
 * The alert id does not say its item entry, so the item entries are
 * searched one at a time (the pipeline's only_items), in code order, and
 * the search stops at the one whose detection reports the alert; with
 * --item, only that one. An item entry's alerts depend on it alone, so
 * the alert is the scan's, byte for byte. Everything shown is computed by
 * the modules the scan runs: the chain's shipments by routes.h, the flag
 * verdict and licence coverage by flag.h, the rules and the track by
 * score.h; this file only lays them out.
 */
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
#include "divert/score.h"

enum { FORMAT_TEXT, FORMAT_JSON };
static const char *const formats[] = {"text", "json", NULL};

static const char *const indicator_names[DV_SG_COUNT] = {
    [DV_SG_RULE_OF_LAW] = "rule_of_law",
    [DV_SG_DATA_PROTECTION] = "data_protection",
    [DV_SG_CIVIL_LIBERTIES] = "civil_liberties",
    [DV_SG_REGIMES] = "regimes"};

/* Everything the account shows, computed once and read by both writers. */
typedef struct account {
    const dv_pipeline *p;
    const dv_alert *a;
    dv_flagger flagger; /* the scan's predicate, on the same config */
    const dv_item_graph *ig;
    dv_hopsets feasible;              /* each hop's evidence (routes.h) */
    uint32_t *fwd_buf, *feasible_buf; /* owned: what feasible points into */
    dv_flag_result fr;
    bool mismatch;      /* END_USE_MISMATCH fired */
    char *track_why;    /* owned: dv_track_of's reason */
    uint32_t *licences; /* owned: licence rows considered (dv_route_licences) */
    size_t n_licences;
    dv_route_licence_ctx lc; /* what explaining each licence reads (flag.h) */
} account;

static const char *chain_role(int h, int hops)
{
    return h == 0 ? "origin" : h == hops ? "final consignee" : "transit";
}

/* The latest feasible arrival at transit h (1..hops-1) on or before
 * departure shipment s within the window: the dwell before s, or -1. */
static int dwell_before(const account *A, int h, uint32_t s, uint32_t *arrival)
{
    const dv_dataset *ds = &A->p->ds;
    int32_t d = ds->shipments[s].date;
    int best = -1;
    for (size_t i = 0; i < A->feasible.n[h - 1]; i++) {
        uint32_t in = A->feasible.ship[h - 1][i];
        int32_t di = ds->shipments[in].date;
        if (di > d) break;
        if (d - di <= A->p->cfg.window_days) {
            best = d - di; /* sets are date-ordered: the last one is the latest */
            *arrival = in;
        }
    }
    return best;
}

/* The low indicators of a country (value below weak_threshold, or
 * missing), joined into out. */
static void low_indicators(const account *A, const dv_country *c, dv_buf *out)
{
    double value[DV_SG_COUNT], points[DV_SG_COUNT];
    dv_safeguard_parts(c, &A->p->cfg, value, points);
    bool missing[DV_SG_COUNT] = {isnan(c->rule_of_law), isnan(c->data_protection),
                                 isnan(c->civil_liberties), false};
    for (int k = 0; k < DV_SG_COUNT; k++) {
        if (!missing[k] && value[k] >= A->p->cfg.weak_threshold) continue;
        if (out->len) dv_buf_puts(out, ", ");
        if (k == DV_SG_REGIMES)
            dv_buf_printf(out, "regimes %d of 4", c->nregimes);
        else if (missing[k])
            dv_buf_printf(out, "%s missing (counts as 0)", indicator_names[k]);
        else
            dv_buf_printf(out, "%s %.2f", indicator_names[k], value[k]);
    }
}

/* ---- text ---- */

/* A line on stdout, with the data's control characters shown, not obeyed. */
#define say(...) dv_say(stdout, __VA_ARGS__)

static void text_party(const account *A, int h)
{
    const dv_dataset *ds = &A->p->ds;
    const dv_alert *a = A->a;
    const dv_entity *e = &ds->entities[a->path[h]];
    say("  %-15s %s \"%s\": %s, %s sector, %s", chain_role(h, a->hops), e->id, e->name,
        dv_role_names[e->role], dv_sector_names[e->sector], e->country);
    if (e->country_idx == DV_NONE) {
        say("                  %s is not in the countries table: safeguard 0, weak", e->country);
    } else {
        const dv_country *c = &ds->countries[e->country_idx];
        double value[DV_SG_COUNT], points[DV_SG_COUNT];
        dv_safeguard_parts(c, &A->p->cfg, value, points);
        double sg = A->flagger.safeguard[e->country_idx];
        bool weak = A->flagger.weak[e->country_idx];
        double th = A->p->cfg.weak_threshold;
        dv_buf why = {0};
        if (sg < th)
            dv_buf_printf(&why, "weak: below %.2f%s", th, c->hub ? ", and a named hub" : "");
        else if (weak)
            dv_buf_printf(&why, "weak: a named transshipment hub (score not below %.2f)", th);
        else
            dv_buf_printf(&why, "not weak: %.2f or more, not a named hub", th);
        dv_buf low = {0};
        low_indicators(A, c, &low);
        say("                  %s safeguard %.2f (rule of law %.2f, data protection %.2f, civil "
            "liberties %.2f, %d of 4 regimes) %s; low: %s",
            c->code, sg, value[DV_SG_RULE_OF_LAW], value[DV_SG_DATA_PROTECTION],
            value[DV_SG_CIVIL_LIBERTIES], c->nregimes, why.data, low.len ? low.data : "none");
        dv_buf_free(&why);
        dv_buf_free(&low);
    }
    if (A->fr.weak_transits & (1u << h))
        say("                  a weak third-country transit (condition 1)");
}

static void text_shipment(const account *A, int h, uint32_t s)
{
    const dv_dataset *ds = &A->p->ds;
    const dv_shipment *sh = &ds->shipments[s];
    char date[11], q[48], v[48];
    dv_format_date(sh->date, date);
    dv_format_number(sh->quantity, q);
    if (isnan(sh->value))
        strcpy(v, "-");
    else
        dv_format_number(sh->value, v);
    dv_buf line = {0};
    dv_buf_printf(&line, "    %s  %s  quantity %s  value %s", sh->id, date, q, v);
    if (h > 0) {
        uint32_t arrival = DV_NONE;
        int dwell = dwell_before(A, h, s, &arrival);
        if (dwell >= 0)
            dv_buf_printf(&line, "  dwell %d day%s after %s", dwell, dwell == 1 ? "" : "s",
                          ds->shipments[arrival].id);
    }
    if (sh->declared_end_user != DV_NONE)
        dv_buf_printf(&line, "  declares end user %s%s", ds->entities[sh->declared_end_user].id,
                      sh->declared_by_licence ? " (by its licence)" : "");
    if (sh->licence_id) dv_buf_printf(&line, "  cites licence %s", sh->licence_id);
    say("%s", line.data);
    dv_buf_free(&line);
}

static void write_text(const account *A)
{
    const dv_dataset *ds = &A->p->ds;
    const dv_alert *a = A->a;
    const dv_item *it = &ds->items[a->item];
    const dv_config *cfg = &A->p->cfg;
    say("Alert %s: score %d (%s), review track %s", a->id, a->score, dv_severity_names[a->severity],
        dv_track_names[a->track]);
    say("Item %s%s%s%s, sensitivity %.2f%s", it->code, it->control ? " (control " : "",
        it->control ? it->control : "", it->control ? ")" : "", it->sensitivity,
        it->human_rights ? ", controlled for human rights" : "");
    dv_buf chain = {0}, countries = {0};
    for (int h = 0; h <= a->hops; h++) {
        dv_buf_printf(&chain, "%s%s", h ? " > " : "", ds->entities[a->path[h]].id);
        dv_buf_printf(&countries, "%s%s", h ? " > " : "", ds->entities[a->path[h]].country);
    }
    char first[11], last[11], q[48], v[48];
    dv_format_date(a->first_date, first);
    dv_format_date(a->last_date, last);
    dv_format_number(a->quantity, q);
    dv_format_number(a->value, v);
    say("Chain %s (%s), %d hops; %zu evidence shipments %s to %s; first leg quantity %s, value %s",
        chain.data, countries.data, a->hops, a->n_evidence, first, last, q, a->has_value ? v : "-");
    dv_buf_free(&chain);
    dv_buf_free(&countries);

    say("%s", "");
    say("Parties (safeguard score, SPEC 2: weak below weak_threshold %.2f, or a named hub)",
        cfg->weak_threshold);
    for (int h = 0; h <= a->hops; h++) text_party(A, h);

    say("%s", "");
    say("Shipments of each hop (the evidence: those in at least one realisation)");
    for (int h = 0; h < a->hops; h++) {
        dv_buf head = {0};
        dv_buf_printf(&head, "  hop %d: %s -> %s, %zu shipment%s", h + 1,
                      ds->entities[a->path[h]].id, ds->entities[a->path[h + 1]].id,
                      A->feasible.n[h], A->feasible.n[h] == 1 ? "" : "s");
        if (h > 0) {
            int dwell = dv_min_dwell(ds, cfg->window_days, &A->feasible, h);
            if (dwell >= 0)
                dv_buf_printf(&head, "; shortest dwell at %s %d day%s", ds->entities[a->path[h]].id,
                              dwell, dwell == 1 ? "" : "s");
        }
        say("%s", head.data);
        dv_buf_free(&head);
        for (size_t i = 0; i < A->feasible.n[h]; i++) text_shipment(A, h, A->feasible.ship[h][i]);
    }

    say("%s", "");
    say("Flag conditions (SPEC 4)");
    dv_buf weak = {0};
    for (int h = 1; h < a->hops; h++)
        if (A->fr.weak_transits & (1u << h))
            dv_buf_printf(&weak, "%s%s (%s)", weak.len ? ", " : "", ds->entities[a->path[h]].id,
                          ds->entities[a->path[h]].country);
    say("  1. weak third-country transit: %s", weak.len ? weak.data : "none");
    dv_buf_free(&weak);
    unsigned c = A->fr.concerns;
    say("  2. concerns: (a) destination %s; (b) watchlist %s; (c) declared end user %s; (d) "
        "human-rights risk %s",
        c & DV_CONCERN_DESTINATION ? "holds" : "no", c & DV_CONCERN_WATCHLIST ? "holds" : "no",
        c & DV_CONCERN_END_USER ? "holds" : "no", c & DV_CONCERN_HUMAN_RIGHTS ? "holds" : "no");
    dv_buf cover = {0};
    if (c & (DV_CONCERN_DESTINATION | DV_CONCERN_WATCHLIST))
        dv_buf_printf(&cover, "(a)/(b) %s", A->fr.covered ? "covered by licence " : "not covered");
    if (A->fr.covered) dv_buf_puts(&cover, ds->licences[A->fr.licence].id);
    if (c & DV_CONCERN_HUMAN_RIGHTS)
        dv_buf_printf(&cover, "%s(d) %s", cover.len ? "; " : "",
                      A->fr.covered_hr ? "covered" : "not covered");
    if (c & DV_CONCERN_END_USER)
        dv_buf_printf(&cover, "%s(c) never covered", cover.len ? "; " : "");
    say("  3. licences: %s; flagged: %s", cover.data, A->fr.flagged ? "yes" : "no");
    dv_buf_free(&cover);

    say("%s", "");
    say("Rules (points = weight x strength)");
    double total = 0;
    for (size_t i = 0; i < a->n_hits; i++) {
        const dv_rule_hit *r = &a->hits[i];
        double w = cfg->rule_weight[r->rule];
        total += r->points;
        say("  %-17s %5.2f = %g x %.2f  %s", dv_rules[r->rule].id, r->points, w,
            w > 0 ? r->points / w : 0, r->reason);
    }
    say("  total %.2f, rounded%s: score %d, %s (critical from 80, high from 60, medium from 40)",
        total, total >= 100 ? " and capped at 100" : "", a->score, dv_severity_names[a->severity]);

    say("%s", "");
    say("Licences of the origin for this item");
    if (!A->n_licences)
        say("  none: %s holds no licence whose item begins the shipped code",
            ds->entities[a->path[0]].id);
    for (size_t k = 0; k < A->n_licences; k++) {
        const dv_licence *l = &ds->licences[A->licences[k]];
        char from[11], to[11], sectors[256];
        dv_format_date(l->valid_from, from);
        dv_format_date(l->valid_to, to);
        dv_sector_set_text(l->sectors, sectors, sizeof sectors);
        dv_buf why = {0};
        bool covers = dv_route_licence_why(&A->lc, A->licences[k], &why);
        say("  %s: item %s, destination %s, end user %s, sectors %s, valid %s to %s%s%s%s: %s: %s",
            l->id, l->item_code, l->destination,
            l->end_user == DV_NONE ? "any" : ds->entities[l->end_user].id,
            l->sectors ? sectors : "any", from[0] ? from : "open", to[0] ? to : "open",
            l->end_use ? ", end use \"" : "", l->end_use ? l->end_use : "", l->end_use ? "\"" : "",
            covers ? "covers" : "does not cover", why.data);
        dv_buf_free(&why);
    }

    say("%s", "");
    say("Watchlist matches of the chain's parties (screen_threshold %.2f)", cfg->screen_threshold);
    size_t shown = 0;
    for (int h = 0; h <= a->hops; h++)
        for (size_t i = 0; i < A->p->screening.all.n; i++) {
            const dv_match *m = &A->p->screening.all.m[i];
            if (m->entity != a->path[h]) continue;
            const dv_watch *w = &ds->watchlist[m->watch];
            say("  %s %s \"%s\" ~ \"%s\"%s%s%s%s%s, score %.2f: %s", chain_role(h, a->hops),
                ds->entities[m->entity].id, m->entity_name, m->list_name,
                w->source || w->id ? " (" : "", w->source ? w->source : "",
                w->source && w->id ? " " : "", w->id ? w->id : "", w->source || w->id ? ")" : "",
                m->score, m->explanation ? m->explanation : "");
            shown++;
        }
    if (!shown) say("  none");

    say("%s", "");
    say("Review track: %s", A->track_why);
}

/* ---- JSON ---- */


static void json_party(FILE *f, const account *A, int h)
{
    const dv_dataset *ds = &A->p->ds;
    const dv_entity *e = &ds->entities[A->a->path[h]];
    fputs("{", f);
    dv_json_key(f, "position"), fprintf(f, "%d, ", h);
    dv_json_key(f, "place"), dv_json_string(f, chain_role(h, A->a->hops)), fputs(", ", f);
    dv_json_key(f, "id"), dv_json_string(f, e->id), fputs(", ", f);
    dv_json_key(f, "name"), dv_json_string(f, e->name), fputs(", ", f);
    dv_json_key(f, "role"), dv_json_string(f, dv_role_names[e->role]), fputs(", ", f);
    dv_json_key(f, "sector"), dv_json_string(f, dv_sector_names[e->sector]), fputs(", ", f);
    dv_json_key(f, "country"), dv_json_string(f, e->country), fputs(", ", f);
    dv_json_key(f, "weak_third_country_transit");
    fputs(A->fr.weak_transits & (1u << h) ? "true" : "false", f);
    fputs(", ", f);
    dv_json_key(f, "safeguard");
    if (e->country_idx == DV_NONE) {
        fputs("{\"in_countries_table\": false, \"score\": 0, \"weak\": true, \"hub\": false, "
              "\"indicators\": null}}",
              f);
        return;
    }
    const dv_country *c = &ds->countries[e->country_idx];
    double value[DV_SG_COUNT], points[DV_SG_COUNT];
    dv_safeguard_parts(c, &A->p->cfg, value, points);
    const double weight[DV_SG_COUNT] = {A->p->cfg.w_rule_of_law, A->p->cfg.w_data_protection,
                                        A->p->cfg.w_civil_liberties, A->p->cfg.w_regimes};
    bool missing[DV_SG_COUNT] = {isnan(c->rule_of_law), isnan(c->data_protection),
                                 isnan(c->civil_liberties), false};
    fputs("{\"in_countries_table\": true, ", f);
    dv_json_key(f, "score"), dv_json_number(f, A->flagger.safeguard[e->country_idx]), fputs(", ", f);
    dv_json_key(f, "weak"), fputs(A->flagger.weak[e->country_idx] ? "true, " : "false, ", f);
    dv_json_key(f, "below_threshold");
    fputs(A->flagger.safeguard[e->country_idx] < A->p->cfg.weak_threshold ? "true, " : "false, ",
          f);
    dv_json_key(f, "hub"), fputs(c->hub ? "true, " : "false, ", f);
    dv_json_key(f, "indicators"), fputs("{", f);
    for (int k = 0; k < DV_SG_COUNT; k++) {
        fprintf(f, "%s", k ? ", " : "");
        dv_json_key(f, indicator_names[k]);
        fputs("{\"value\": ", f);
        dv_json_number(f, value[k]);
        fprintf(f, ", \"missing\": %s, \"weight\": ", missing[k] ? "true" : "false");
        dv_json_number(f, weight[k]);
        fputs(", \"points\": ", f);
        dv_json_number(f, points[k]);
        fprintf(f, ", \"low\": %s}",
                missing[k] || value[k] < A->p->cfg.weak_threshold ? "true" : "false");
    }
    fputs("}}}", f);
}

static void write_json(const account *A)
{
    FILE *f = stdout;
    const dv_dataset *ds = &A->p->ds;
    const dv_alert *a = A->a;
    const dv_item *it = &ds->items[a->item];
    const dv_config *cfg = &A->p->cfg;
    fputs("{\n  ", f);
    dv_json_key(f, "alert_id"), dv_json_string(f, a->id), fputs(",\n  ", f);
    dv_json_key(f, "dataset"), dv_json_string(f, ds->dir), fputs(",\n  ", f);
    dv_json_key(f, "score"), fprintf(f, "%d,\n  ", a->score);
    dv_json_key(f, "severity"), dv_json_string(f, dv_severity_names[a->severity]), fputs(",\n  ", f);
    dv_json_key(f, "track"), dv_json_string(f, dv_track_names[a->track]), fputs(",\n  ", f);
    dv_json_key(f, "track_reason"), dv_json_string(f, A->track_why), fputs(",\n  ", f);
    dv_json_key(f, "item");
    fputs("{", f);
    dv_json_key(f, "code"), dv_json_string(f, it->code), fputs(", ", f);
    dv_json_key(f, "control"), dv_json_string_or_null(f, it->control), fputs(", ", f);
    dv_json_key(f, "description"), dv_json_string_or_null(f, it->description), fputs(", ", f);
    dv_json_key(f, "sensitivity"), dv_json_number(f, it->sensitivity), fputs(", ", f);
    dv_json_key(f, "human_rights"), fputs(it->human_rights ? "true" : "false", f);
    fputs("},\n  ", f);
    dv_json_key(f, "path");
    fputs("[", f);
    for (int h = 0; h <= a->hops; h++) {
        if (h) fputs(", ", f);
        dv_json_string(f, ds->entities[a->path[h]].id);
    }
    fputs("],\n  ", f);
    dv_json_key(f, "first_date"), dv_json_date(f, a->first_date), fputs(", ", f);
    dv_json_key(f, "last_date"), dv_json_date(f, a->last_date), fputs(", ", f);
    dv_json_key(f, "shipments"), fprintf(f, "%zu, ", a->n_evidence);
    dv_json_key(f, "quantity"), dv_json_number(f, a->quantity), fputs(", ", f);
    dv_json_key(f, "value");
    if (a->has_value)
        dv_json_number(f, a->value);
    else
        fputs("null", f);
    fputs(",\n  ", f);
    dv_json_key(f, "parties");
    fputs("[\n", f);
    for (int h = 0; h <= a->hops; h++) {
        fputs("    ", f);
        json_party(f, A, h);
        fputs(h < a->hops ? ",\n" : "\n", f);
    }
    fputs("  ],\n  ", f);
    dv_json_key(f, "hops");
    fputs("[\n", f);
    for (int h = 0; h < a->hops; h++) {
        fprintf(f, "    {\"hop\": %d, ", h + 1);
        dv_json_key(f, "shipper"), dv_json_string(f, ds->entities[a->path[h]].id), fputs(", ", f);
        dv_json_key(f, "consignee"), dv_json_string(f, ds->entities[a->path[h + 1]].id), fputs(", ", f);
        dv_json_key(f, "min_dwell_days");
        int md = h ? dv_min_dwell(ds, cfg->window_days, &A->feasible, h) : -1;
        if (md >= 0)
            fprintf(f, "%d", md);
        else
            fputs("null", f);
        fputs(", ", f);
        dv_json_key(f, "shipments");
        fputs("[", f);
        for (size_t i = 0; i < A->feasible.n[h]; i++) {
            uint32_t s = A->feasible.ship[h][i];
            const dv_shipment *sh = &ds->shipments[s];
            fputs(i ? ",\n      {" : "\n      {", f);
            dv_json_key(f, "id"), dv_json_string(f, sh->id), fputs(", ", f);
            dv_json_key(f, "date"), dv_json_date(f, sh->date), fputs(", ", f);
            dv_json_key(f, "quantity"), dv_json_number(f, sh->quantity), fputs(", ", f);
            dv_json_key(f, "value"), dv_json_number(f, sh->value), fputs(", ", f);
            uint32_t arrival = DV_NONE;
            int dwell = h ? dwell_before(A, h, s, &arrival) : -1;
            dv_json_key(f, "dwell_days");
            if (dwell >= 0)
                fprintf(f, "%d", dwell);
            else
                fputs("null", f);
            fputs(", ", f);
            dv_json_key(f, "received_with");
            dv_json_string_or_null(f, dwell >= 0 ? ds->shipments[arrival].id : NULL);
            fputs(", ", f);
            dv_json_key(f, "declared_end_user");
            dv_json_string_or_null(f, sh->declared_end_user != DV_NONE
                                          ? ds->entities[sh->declared_end_user].id
                                          : NULL);
            fputs(", ", f);
            dv_json_key(f, "licence_id"), dv_json_string_or_null(f, sh->licence_id);
            fputs("}", f);
        }
        fputs(A->feasible.n[h] ? "\n    ]}" : "]}", f);
        fputs(h + 1 < a->hops ? ",\n" : "\n", f);
    }
    fputs("  ],\n  ", f);
    dv_json_key(f, "flag");
    fputs("{", f);
    dv_json_flag_fields(f, ds, a->path, a->hops, &A->fr);
    fputs("},\n  ", f);
    dv_json_key(f, "rules");
    fputs("[\n", f);
    double total = 0;
    for (size_t i = 0; i < a->n_hits; i++) {
        const dv_rule_hit *r = &a->hits[i];
        double w = cfg->rule_weight[r->rule];
        total += r->points;
        fputs("    {", f);
        dv_json_key(f, "rule"), dv_json_string(f, dv_rules[r->rule].id), fputs(", ", f);
        dv_json_key(f, "weight"), dv_json_number(f, w), fputs(", ", f);
        dv_json_key(f, "strength"), dv_json_number(f, w > 0 ? r->points / w : 0), fputs(", ", f);
        dv_json_key(f, "points"), dv_json_number(f, r->points), fputs(", ", f);
        dv_json_key(f, "reason"), dv_json_string(f, r->reason);
        fputs(i + 1 < a->n_hits ? "},\n" : "}\n", f);
    }
    fputs("  ],\n  ", f);
    dv_json_key(f, "points_total"), dv_json_number(f, total), fputs(",\n  ", f);
    dv_json_key(f, "licences");
    fputs("[", f);
    for (size_t k = 0; k < A->n_licences; k++) {
        const dv_licence *l = &ds->licences[A->licences[k]];
        unsigned misfit = dv_route_licence_misfit(&A->lc, l);
        char sectors[256];
        dv_sector_set_text(l->sectors, sectors, sizeof sectors);
        dv_buf why = {0};
        bool covers = dv_route_licence_why(&A->lc, A->licences[k], &why);
        fputs(k ? ",\n    {" : "\n    {", f);
        dv_json_key(f, "id"), dv_json_string(f, l->id), fputs(", ", f);
        dv_json_key(f, "item"), dv_json_string(f, l->item_code), fputs(", ", f);
        dv_json_key(f, "destination"), dv_json_string(f, l->destination), fputs(", ", f);
        dv_json_key(f, "end_user");
        dv_json_string_or_null(f, l->end_user == DV_NONE ? NULL : ds->entities[l->end_user].id);
        fputs(", ", f);
        dv_json_key(f, "sectors"), dv_json_string_or_null(f, l->sectors ? sectors : NULL), fputs(", ", f);
        dv_json_key(f, "end_use"), dv_json_string_or_null(f, l->end_use), fputs(", ", f);
        dv_json_key(f, "valid_from"), dv_json_date(f, l->valid_from), fputs(", ", f);
        dv_json_key(f, "valid_to"), dv_json_date(f, l->valid_to), fputs(", ", f);
        dv_json_key(f, "quantity"), dv_json_number(f, l->quantity), fputs(", ", f);
        fprintf(f,
                "\"item_fits\": %s, \"destination_fits\": %s, \"end_user_fits\": %s, "
                "\"sectors_fit\": %s, ",
                misfit & DV_LICENCE_ITEM ? "false" : "true",
                misfit & DV_LICENCE_DESTINATION ? "false" : "true",
                misfit & DV_LICENCE_END_USER ? "false" : "true",
                misfit & DV_LICENCE_SECTORS ? "false" : "true");
        fprintf(f, "\"valid_first_leg_shipments\": %zu, \"first_leg_shipments\": %zu, ",
                dv_route_licence_valid_legs(&A->lc, l), A->feasible.n[0]);
        fprintf(f, "\"names_end_use\": %s, \"covers\": %s, ",
                dv_licence_names_end_use(ds, l, a->path[a->hops]) ? "true" : "false",
                covers ? "true" : "false");
        dv_json_key(f, "why"), dv_json_string(f, why.data);
        fputs("}", f);
        dv_buf_free(&why);
    }
    fputs(A->n_licences ? "\n  ],\n  " : "],\n  ", f);
    dv_json_key(f, "watchlist");
    fputs("[", f);
    size_t shown = 0;
    for (int h = 0; h <= a->hops; h++)
        for (size_t i = 0; i < A->p->screening.all.n; i++) {
            const dv_match *m = &A->p->screening.all.m[i];
            if (m->entity != a->path[h]) continue;
            const dv_watch *w = &ds->watchlist[m->watch];
            fputs(shown ? ",\n    {" : "\n    {", f);
            dv_json_key(f, "entity"), dv_json_string(f, ds->entities[m->entity].id), fputs(", ", f);
            dv_json_key(f, "position"), fprintf(f, "%d, ", h);
            dv_json_key(f, "entity_name"), dv_json_string(f, m->entity_name), fputs(", ", f);
            dv_json_key(f, "list_name"), dv_json_string(f, m->list_name), fputs(", ", f);
            dv_json_key(f, "list_id"), dv_json_string_or_null(f, w->id), fputs(", ", f);
            dv_json_key(f, "source"), dv_json_string_or_null(f, w->source), fputs(", ", f);
            dv_json_key(f, "score"), dv_json_number(f, m->score), fputs(", ", f);
            dv_json_key(f, "explanation"), dv_json_string_or_null(f, m->explanation);
            fputs("}", f);
            shown++;
        }
    fputs(shown ? "\n  ],\n  " : "],\n  ", f);
    dv_json_key(f, "explanation"), dv_json_string(f, a->explanation);
    fputs("\n}\n", f);
}

/* ---- finding the alert ---- */

/* Run graph and detection over the item entries one at a time (or only
 * `item`), until one reports alert `id`; NULL if none does. */
static const dv_alert *find_alert(dv_pipeline *p, const char *id, uint32_t item, int *rc,
                                  dv_error *err)
{
    const dv_dataset *ds = &p->ds;
    size_t ni = ds->n_items ? ds->n_items : 1;
    bool *only = dv_xcalloc(ni, sizeof *only);
    bool *traded = dv_xcalloc(ni, sizeof *traded);
    for (size_t i = 0; i < ds->n_shipments; i++)
        if (ds->shipments[i].item_idx != DV_NONE) traded[ds->shipments[i].item_idx] = true;
    p->only_items = only;
    const dv_alert *found = NULL;
    for (size_t it = 0; it < ds->n_items && !found && !*rc; it++) {
        if (item != DV_NONE && it != item) continue;
        if (!ds->items[it].analysed || !traded[it]) continue;
        only[it] = true;
        dv_pipeline_rewind(p, DV_STAGE_GRAPH);
        *rc = dv_pipeline_run(p, ds->dir, DV_STAGE_DETECT, err);
        for (size_t k = 0; !*rc && k < p->result.n_alerts && !found; k++)
            if (!strcmp(p->result.alerts[k].id, id)) found = &p->result.alerts[k];
        only[it] = false;
    }
    free(traded);
    /* only_items is read by the graph stage alone, which is over; keep it
     * valid for the pipeline's life anyway */
    p->only_items = NULL;
    free(only);
    return found;
}

int dv_cmd_explain(dv_invocation *inv)
{
    int format = dv_inv_format("explain", inv->format, formats);
    if (format < 0) return DV_EXIT_INPUT;
    dv_term_progress tp;
    dv_pipeline p;
    int rc = dv_cmd_start(inv, &p, &tp, NULL);
    if (rc) return rc;
    dv_error err = {0, ""};
    const char *id = inv->args[1];
    account A = {0};
    /* the load on its own first: a run that stops at the screening would
     * load no shipments */
    rc = dv_pipeline_run(&p, inv->args[0], DV_STAGE_LOAD, &err);
    if (!rc) rc = dv_pipeline_run(&p, inv->args[0], DV_STAGE_SCREEN, &err);
    uint32_t item = DV_NONE;
    if (!rc && inv->item) {
        item = dv_inv_item("explain", &p.ds, inv->item);
        if (item == DV_NONE) {
            rc = DV_EXIT_INPUT;
            goto done;
        }
    }
    const dv_alert *a = rc ? NULL : find_alert(&p, id, item, &rc, &err);
    if (rc) {
        dv_msg("%s", err.msg);
        goto done;
    }
    if (!a) {
        if (item != DV_NONE)
            dv_msg("explain: no alert %s in %s for item %s (a scan with these options reports no "
                   "such alert id)",
                   id, p.ds.dir, p.ds.items[item].code);
        else
            dv_msg(
                "explain: no alert %s in %s (a scan with these options reports no such alert id)",
                id, p.ds.dir);
        rc = DV_EXIT_INPUT;
        goto done;
    }

    const dv_dataset *ds = &p.ds;
    A.p = &p;
    A.a = a;
    dv_flagger_init(&A.flagger, ds, &p.cfg, &p.screening);
    for (size_t i = 0; i < p.graph.n_items; i++)
        if (p.graph.items[i].item == a->item) A.ig = &p.graph.items[i];
    A.fwd_buf = dv_xmalloc((A.ig->n_ship ? A.ig->n_ship : 1) * sizeof *A.fwd_buf);
    A.feasible_buf = dv_xmalloc((A.ig->n_ship * (size_t)a->hops + 1) * sizeof *A.feasible_buf);
    dv_hopsets fwd;
    if (!dv_route_forward(ds, A.ig, p.cfg.window_days, a->path, a->hops, &fwd, A.fwd_buf)) {
        dv_msg("explain: alert %s: its chain is not realised again (internal error)", id);
        rc = DV_EXIT_INTERNAL;
        goto done;
    }
    dv_route_feasible(ds, p.cfg.window_days, &fwd, &A.feasible, A.feasible_buf);
    dv_flag_chain(&A.flagger, a->path, a->hops, &A.feasible, &A.fr);
    for (size_t i = 0; i < a->n_hits; i++)
        if (a->hits[i].rule == DV_RULE_END_USE_MISMATCH) A.mismatch = true;
    dv_buf why = {0};
    dv_track_of(&A.flagger, a, A.mismatch, &why);
    /* dv_track_of writes ". Review track T: reason", to follow the explanation */
    const char *t = why.data ? why.data : "";
    if (!strncmp(t, ". Review track ", 15)) t += 15;
    A.track_why = dv_xstrdup(t);
    dv_buf_free(&why);
    /* the origin's licences whose item begins some first-leg shipment's code */
    A.lc = (dv_route_licence_ctx){ds, A.feasible.ship[0], A.feasible.n[0], a->path[a->hops],
                                  A.fr.concerns, A.fr.licence, a->quantity};
    A.n_licences = dv_route_licences(&A.flagger, a->path[0], &A.lc, &A.licences);
    if (format == FORMAT_JSON)
        write_json(&A);
    else
        write_text(&A);

done:
    free(A.fwd_buf);
    free(A.feasible_buf);
    free(A.track_why);
    free(A.licences);
    dv_flagger_free(&A.flagger);
    dv_pipeline_free(&p);
    return rc;
}
