/*
 * score.c: the scoring of a reported chain (SPEC 5), rule by rule of the
 * catalogue (rules.h).
 *
 * Each rule measures a strength from 0 to 1 and adds weight x strength
 * points; the score is the rounded sum, capped at 100. Rules that add
 * nothing are not listed. Each hit carries a one-line reason with the
 * figures that triggered it, and the explanation is those reasons in
 * catalogue order followed by what would clear the alert.
 */
#include "divert/score.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- medians ---- */

enum { MIN_PRICED = 3 };  /* fewer priced shipments give no median */

void dv_scorer_init(dv_scorer *s, const dv_dataset *ds, const dv_config *cfg,
                    const dv_flagger *flagger)
{
    s->ds = ds;
    s->cfg = cfg;
    s->flagger = flagger;
    size_t ni = ds->n_items ? ds->n_items : 1;
    s->median_unit_value = dv_xmalloc(ni * sizeof(double));
    size_t *count = dv_xcalloc(ni, sizeof *count), *start = dv_xcalloc(ni + 1, sizeof *start);
    for (size_t i = 0; i < ds->n_shipments; i++) {
        const dv_shipment *sh = &ds->shipments[i];
        if (sh->item_idx != DV_NONE && sh->quantity > 0 && !isnan(sh->value)) count[sh->item_idx]++;
    }
    for (size_t i = 0; i < ds->n_items; i++) start[i + 1] = start[i] + count[i];
    double *values = dv_xmalloc((start[ds->n_items] ? start[ds->n_items] : 1) * sizeof *values);
    memset(count, 0, ni * sizeof *count);
    for (size_t i = 0; i < ds->n_shipments; i++) {
        const dv_shipment *sh = &ds->shipments[i];
        if (sh->item_idx != DV_NONE && sh->quantity > 0 && !isnan(sh->value))
            values[start[sh->item_idx] + count[sh->item_idx]++] = sh->value / sh->quantity;
    }
    for (size_t i = 0; i < ds->n_items; i++) {
        double *v = values + start[i];
        size_t n = count[i];
        if (n < MIN_PRICED) {
            s->median_unit_value[i] = NAN;
            continue;
        }
        s->median_unit_value[i] = dv_median(v, n);
    }
    free(values);
    free(count);
    free(start);
}

void dv_scorer_free(dv_scorer *s)
{
    if (!s) return;
    free(s->median_unit_value);
    memset(s, 0, sizeof *s);
}

/* ---- helpers ---- */

int dv_min_dwell(const dv_dataset *ds, int window_days, const dv_hopsets *feasible, int h)
{
    const uint32_t *in = feasible->ship[h - 1], *out = feasible->ship[h];
    size_t n_in = feasible->n[h - 1], n_out = feasible->n[h];
    int best = -1;
    size_t j = 0;
    /* for each departure, the latest arrival not after it */
    for (size_t i = 0; i < n_out; i++) {
        int32_t d = ds->shipments[out[i]].date;
        while (j + 1 < n_in && ds->shipments[in[j + 1]].date <= d) j++;
        if (!n_in || ds->shipments[in[j]].date > d) continue;
        int dwell = d - ds->shipments[in[j]].date;
        if (dwell <= window_days && (best < 0 || dwell < best)) best = dwell;
    }
    return best;
}

static double hop_quantity(const dv_dataset *ds, const dv_hopsets *f, int h)
{
    double q = 0;
    for (size_t i = 0; i < f->n[h]; i++) q += ds->shipments[f->ship[h][i]].quantity;
    return q;
}

typedef struct scoring {
    const dv_scorer *s;
    dv_alert *a;
    size_t cap;
} scoring;

static void hit(scoring *S, dv_rule_id rule, double strength, dv_buf *reason)
{
    if (strength > 1) strength = 1;
    double points = S->s->cfg->rule_weight[rule] * strength;
    if (!(points > 0)) {
        dv_buf_free(reason);
        return;
    }
    dv_rule_hit h = {rule, points, reason->data ? reason->data : dv_xstrdup("")};
    reason->data = NULL;
    reason->len = reason->cap = 0;
    DV_PUSH(S->a->hits, S->a->n_hits, S->cap, h);
}

static const char *eid(const dv_dataset *ds, uint32_t e) { return ds->entities[e].id; }
static const char *ecountry(const dv_dataset *ds, uint32_t e) { return ds->entities[e].country; }

/* Two parties whose address hashes agree: do the normalised addresses? */
static bool same_address(const dv_entity *x, const dv_entity *y)
{
    char a[1024], b[1024];
    size_t na = dv_address_key(x->address, strlen(x->address), a, sizeof a);
    size_t nb = dv_address_key(y->address, strlen(y->address), b, sizeof b);
    return na && na == nb && memcmp(a, b, na) == 0;
}

/* `[ROLE ]ID "name" matches watchlist entry "entry" (source id), score S`
 * for an entity that matches the watchlist. */
static void describe_match(dv_buf *b, const dv_flagger *f, const char *role, uint32_t entity)
{
    const dv_match *m = dv_screening_best(f->screening, entity);
    const dv_watch *w = &f->ds->watchlist[m->watch];
    dv_buf_printf(b, "%s%s%s \"%s\" matches watchlist entry \"%s\"", role ? role : "",
                  role ? " " : "", f->ds->entities[entity].id, m->entity_name, m->list_name);
    if (w->id || w->source)
        dv_buf_printf(b, " (%s%s%s)", w->source ? w->source : "", w->id && w->source ? " " : "",
                      w->id ? w->id : "");
    dv_buf_printf(b, ", score %.2f", m->score);
}

dv_track dv_track_of(const dv_flagger *f, const dv_alert *a, bool end_use_mismatch, dv_buf *why)
{
    const dv_dataset *ds = f->ds;
    const dv_entity *fe = &ds->entities[a->path[a->hops]];
    bool listed = a->concerns & DV_CONCERN_WATCHLIST, hr = a->concerns & DV_CONCERN_HUMAN_RIGHTS;
    if (listed || hr || end_use_mismatch) {
        const char *reason[3];
        int n = 0;
        if (listed) reason[n++] = "a watchlist match";
        if (hr) reason[n++] = "a human-rights risk";
        if (end_use_mismatch) reason[n++] = "an end use the licence does not allow";
        dv_buf_puts(why, ". Review track priority: ");
        for (int i = 0; i < n; i++)
            dv_buf_printf(why, "%s%s", i == 0 ? "" : i == n - 1 ? " and " : ", ", reason[i]);
        return DV_TRACK_PRIORITY;
    }
    bool humanitarian = f->cfg->humanitarian_sectors & DV_SECTOR_BIT(fe->sector);
    int listed_at = -1; /* the origin is not a concern (b), but it bars the fast track */
    for (int h = 0; h <= a->hops && listed_at < 0; h++)
        if (f->listed[a->path[h]]) listed_at = h;
    if (humanitarian && a->concerns == DV_CONCERN_DESTINATION && listed_at < 0) {
        const dv_country *c = &ds->countries[fe->country_idx];
        dv_buf_printf(why,
                      ". Review track expedited: %s is in the %s sector and its country's %s "
                      "status is the only concern; review it quickly and document the decision",
                      fe->id, dv_sector_names[fe->sector],
                      c->destination == DV_DEST_EMBARGOED ? "embargoed" : "elevated");
        return DV_TRACK_EXPEDITED;
    }
    dv_buf_puts(why, ". Review track standard");
    if (!humanitarian) dv_buf_puts(why, ": no watchlist match, human-rights risk or end use mismatch");
    else {
        dv_buf_printf(why, ": %s is in the %s sector, but ", fe->id, dv_sector_names[fe->sector]);
        if (listed_at >= 0) {
            /* not concern (b), so no WATCHLIST rule names it: the evidence here */
            describe_match(why, f, listed_at == 0 ? "the origin" : NULL, a->path[listed_at]);
        }
        else
            dv_buf_puts(why, "the declared end user differs");
    }
    return DV_TRACK_STANDARD;
}

void dv_score_alert(const dv_scorer *sc, dv_alert *a, const dv_flag_result *fr,
                    const dv_hopsets *feasible)
{
    const dv_dataset *ds = sc->ds;
    const dv_config *cfg = sc->cfg;
    scoring S = {sc, a, 0};
    const uint32_t *path = a->path;
    int hops = a->hops;
    uint32_t final = path[hops];
    bool ab_open = !fr->covered; /* a licence would clear (a) and (b) */
    bool ab_hit = ab_open && (fr->concerns & (DV_CONCERN_DESTINATION | DV_CONCERN_WATCHLIST));
    bool hr_hit = (fr->concerns & DV_CONCERN_HUMAN_RIGHTS) && !fr->covered_hr;
    dv_buf r = {0};

    /* weak transit and hub */
    double weakest = 0;
    bool any_hub = false;
    dv_buf hubs = {0};
    for (int h = 1; h < hops; h++) {
        if (!(fr->weak_transits & (1u << h))) continue;
        const dv_entity *t = &ds->entities[path[h]];
        const dv_country *c = t->country_idx == DV_NONE ? NULL : &ds->countries[t->country_idx];
        double sg = c ? sc->flagger->safeguard[t->country_idx] : 0;
        if (1 - sg > weakest) weakest = 1 - sg;
        dv_buf_printf(&r, "%stransit %s (%s): safeguard %.2f%s", r.len ? "; " : "", t->country,
                      t->id, sg, c ? "" : " (country not in the countries table)");
        if (c && c->hub) {
            any_hub = true;
            if (!strstr(hubs.data ? hubs.data : "", t->country))
                dv_buf_printf(&hubs, "%s%s", hubs.len ? ", " : "", t->country);
        }
    }
    hit(&S, DV_RULE_WEAK_TRANSIT, weakest < 0.05 ? 0.05 : weakest, &r);
    if (any_hub) {
        bool several = strchr(hubs.data, ',') != NULL;
        dv_buf_printf(&r, "%s named as %stransshipment hub%s", hubs.data, several ? "" : "a ",
                      several ? "s" : "");
        hit(&S, DV_RULE_NAMED_HUB, 1, &r);
    }
    dv_buf_free(&hubs);

    /* destination concerns */
    const dv_entity *fe = &ds->entities[final];
    if ((fr->concerns & DV_CONCERN_DESTINATION) && ab_open) {
        const dv_country *c = &ds->countries[fe->country_idx];
        bool embargoed = c->destination == DV_DEST_EMBARGOED;
        dv_buf_printf(&r, "final consignee %s in %s (%s destination), no licence covers it", fe->id,
                      fe->country, embargoed ? "embargoed" : "elevated");
        hit(&S, embargoed ? DV_RULE_EMBARGOED_DEST : DV_RULE_ELEVATED_DEST, 1, &r);
    }
    if ((fr->concerns & DV_CONCERN_WATCHLIST) && ab_open) {
        for (int h = 1; h <= hops; h++) {
            const dv_match *m = dv_screening_best(sc->flagger->screening, path[h]);
            if (!m) continue;
            if (r.len) dv_buf_puts(&r, "; ");
            describe_match(&r, sc->flagger, h == hops ? "final consignee" : "transit", path[h]);
            dv_buf_printf(&r, " (%s)", m->explanation ? m->explanation : "");
        }
        hit(&S, DV_RULE_WATCHLIST, 1, &r);
    }
    if (hr_hit) {
        const dv_item *it = &ds->items[a->item];
        double cl = dv_entity_civil_liberties(ds, final);
        bool known = fe->country_idx != DV_NONE && !isnan(ds->countries[fe->country_idx].civil_liberties);
        dv_buf_printf(&r, "final consignee %s (%s sector) in %s, civil liberties %.2f%s below "
                          "hr_threshold %.2f, receives item %s",
                      fe->id, dv_sector_names[fe->sector], fe->country, cl,
                      known ? "" : " (not given, counts as 0)", cfg->hr_threshold, it->code);
        if (it->controlled)
            dv_buf_printf(&r, " (%s), controlled for human rights; ", it->control);
        else /* the EU catch-all reaches it by its end use, not by a list */
            dv_buf_puts(&r, ", not listed but marked human_rights; ");
        /* a licence that covers the destination, but not this end use */
        uint32_t base = fr->licence_base;
        if (base != DV_NONE)
            dv_buf_printf(&r, "licence %s covers the destination but names neither %s nor its sector",
                          ds->licences[base].id, fe->id);
        else /* (a licence may name it with sectors that exclude it: END_USE_MISMATCH) */
            dv_buf_puts(&r, "no licence covers this end user (one for this item, destination "
                            "and dates that names it or its sector)");
        hit(&S, DV_RULE_HUMAN_RIGHTS, 1 - cl / (2 * cfg->hr_threshold), &r);
    }
    uint32_t declared = DV_NONE;
    if (fr->concerns & DV_CONCERN_END_USER) {
        for (size_t i = 0; i < feasible->n[0]; i++) {
            const dv_shipment *s = &ds->shipments[feasible->ship[0][i]];
            if (s->declared_end_user == DV_NONE || s->declared_end_user == final) continue;
            declared = s->declared_end_user;
            if (s->declared_by_licence)
                dv_buf_printf(&r, "shipment %s cites licence %s for end user %s (%s) but the goods "
                                  "reached %s (%s)",
                              s->id, s->licence_id, eid(ds, declared), ecountry(ds, declared),
                              fe->id, fe->country);
            else
                dv_buf_printf(&r, "shipment %s declares end user %s (%s) but the goods reached %s (%s)",
                              s->id, eid(ds, declared), ecountry(ds, declared), fe->id,
                              fe->country);
            break;
        }
        hit(&S, DV_RULE_END_USER_DIFFERS, 1, &r);
    }

    /* rapid re-export and pass-through, per transit */
    int rapid_best = -1, rapid_at = 0;
    double pass_best = 0;
    int pass_at = 0;
    double pass_in = 0, pass_out = 0;
    for (int h = 1; h < hops; h++) {
        int dwell = dv_min_dwell(ds, cfg->window_days, feasible, h);
        if (dwell >= 0 && (rapid_best < 0 || dwell < rapid_best)) rapid_best = dwell, rapid_at = h;
        double qin = hop_quantity(ds, feasible, h - 1), qout = hop_quantity(ds, feasible, h);
        if (qin > 0 && qout / qin >= cfg->pass_through_ratio && qout / qin > pass_best)
            pass_best = qout / qin, pass_at = h, pass_in = qin, pass_out = qout;
    }
    if (rapid_best >= 0 && rapid_best < cfg->rapid_days) {
        if (rapid_best == 0)
            dv_buf_printf(&r, "%s (%s) re-shipped the same day it received", eid(ds, path[rapid_at]),
                          ecountry(ds, path[rapid_at]));
        else
            dv_buf_printf(&r, "%s (%s) re-shipped %d day%s after receiving", eid(ds, path[rapid_at]),
                          ecountry(ds, path[rapid_at]), rapid_best, rapid_best == 1 ? "" : "s");
        hit(&S, DV_RULE_RAPID_REEXPORT, 1.0 - (double)rapid_best / cfg->rapid_days, &r);
    }
    if (pass_at) {
        char qi[48], qo[48];
        dv_format_number(pass_in, qi);
        dv_format_number(pass_out, qo);
        dv_buf_printf(&r, "%s re-shipped %s of the %s units it received (%.0f%%)",
                      eid(ds, path[pass_at]), qo, qi, 100 * pass_best);
        hit(&S, DV_RULE_PASS_THROUGH, 1, &r);
    }

    /* roles */
    double broker = 0;
    for (int h = 1; h <= hops; h++) {
        dv_role role = ds->entities[path[h]].role;
        if (role != DV_ROLE_INTERMEDIARY && role != DV_ROLE_FREIGHT_FORWARDER) continue;
        dv_buf_printf(&r, "%s%s %s is a%s %s", r.len ? "; " : "",
                      h == hops ? "final consignee" : "transit", eid(ds, path[h]),
                      role == DV_ROLE_INTERMEDIARY ? "n" : "", role == DV_ROLE_INTERMEDIARY
                                                                   ? "intermediary"
                                                                   : "freight forwarder");
        double strength = h == hops ? 1.0 : 0.5;
        if (strength > broker) broker = strength;
    }
    hit(&S, DV_RULE_BROKER_ROLE, broker, &r);

    /* young transits */
    for (int h = 1; h < hops; h++) {
        const dv_entity *t = &ds->entities[path[h]];
        if (t->registered == DV_NO_DATE || t->first_trade == DV_NO_DATE) continue;
        int age = t->first_trade - t->registered;
        if (age < 0 || age > cfg->new_entity_days) continue;
        char reg[11];
        dv_format_date(t->registered, reg);
        dv_buf_printf(&r, "%s%s registered %s, %d days before its first shipment",
                      r.len ? "; " : "", t->id, reg, age);
    }
    if (r.len) hit(&S, DV_RULE_NEW_ENTITY, 1, &r);

    /* shared addresses */
    for (int i = 0; i <= hops && !r.len; i++)
        for (int j = i + 1; j <= hops && !r.len; j++) {
            const dv_entity *x = &ds->entities[path[i]], *y = &ds->entities[path[j]];
            if (x->address_hash && x->address_hash == y->address_hash && same_address(x, y))
                dv_buf_printf(&r, "%s and %s share the address \"%s\"", x->id, y->id, x->address);
        }
    if (r.len) hit(&S, DV_RULE_SHARED_ADDRESS, 1, &r);

    /* unit value of the first leg against the item's median */
    double median = sc->median_unit_value[a->item];
    double qty = 0, val = 0;
    for (size_t i = 0; i < feasible->n[0]; i++) {
        const dv_shipment *s = &ds->shipments[feasible->ship[0][i]];
        if (isnan(s->value) || s->quantity <= 0) continue;
        qty += s->quantity;
        val += s->value;
    }
    if (!isnan(median) && median > 0 && qty > 0) {
        double unit = val / qty, ratio = unit / median;
        if (ratio >= cfg->unit_value_factor || ratio <= 1.0 / cfg->unit_value_factor) {
            char u[48], m[48];
            dv_format_number(round(unit * 100) / 100, u);
            dv_format_number(round(median * 100) / 100, m);
            dv_buf_printf(&r, "first-leg unit value %s against the item's median %s (%.1fx)", u, m,
                          ratio);
            hit(&S, DV_RULE_UNIT_VALUE, 1, &r);
        }
    }

    /* split first leg: the most first-leg shipments within split_days */
    size_t best = 0, lo = 0;
    int32_t best_span = 0;
    for (size_t i = 0; i < feasible->n[0]; i++) {
        int32_t d = ds->shipments[feasible->ship[0][i]].date;
        while (ds->shipments[feasible->ship[0][lo]].date < d - cfg->split_days) lo++;
        int32_t span = d - ds->shipments[feasible->ship[0][lo]].date;
        if (i - lo + 1 > best || (i - lo + 1 == best && span < best_span))
            best = i - lo + 1, best_span = span;
    }
    if ((int)best >= cfg->split_min_shipments) {
        if (best_span == 0)
            dv_buf_printf(&r, "first leg split into %zu shipments on one day", best);
        else
            dv_buf_printf(&r, "first leg split into %zu shipments over %d day%s", best, best_span,
                          best_span == 1 ? "" : "s");
        hit(&S, DV_RULE_SPLIT_SHIPMENTS, 1, &r);
    }

    /* a licence with the right terms but the wrong dates */
    if (ab_hit || hr_hit) {
        size_t first, last;
        dv_flag_licences_of(sc->flagger, path[0], &first, &last);
        for (size_t k = first; k < last && !r.len; k++) {
            const dv_licence *l = &ds->licences[sc->flagger->by_exporter[k]];
            const dv_shipment *s = &ds->shipments[feasible->ship[0][0]];
            if (!dv_licence_terms_match(ds, l, s, final, true)) continue;
            if (!ab_hit && !dv_licence_names_end_use(ds, l, final)) continue;
            char from[11], to[11], d[11];
            dv_format_date(l->valid_from, from);
            dv_format_date(l->valid_to, to);
            dv_format_date(s->date, d);
            dv_buf_printf(&r, "licence %s (valid %s to %s) does not cover the first-leg shipment of %s",
                          l->id, from[0] ? from : "open", to[0] ? to : "open", d);
        }
        if (r.len) hit(&S, DV_RULE_LICENCE_EXPIRED, 1, &r);
    }

    /* a licence that would cover but for its end use (SPEC 5) */
    bool mismatch = false;
    if (ab_hit || hr_hit) {
        size_t first, last;
        dv_flag_licences_of(sc->flagger, path[0], &first, &last);
        for (size_t k = first; k < last && !r.len; k++) {
            const dv_licence *l = &ds->licences[sc->flagger->by_exporter[k]];
            if (!l->sectors || (l->sectors & DV_SECTOR_BIT(fe->sector))) continue;
            for (size_t i = 0; i < feasible->n[0]; i++) {
                const dv_shipment *s = &ds->shipments[feasible->ship[0][i]];
                if (!dv_licence_valid_on(l, s->date) ||
                    !dv_licence_terms_match(ds, l, s, final, false))
                    continue;
                char allowed[256];
                dv_sector_set_text(l->sectors, allowed, sizeof allowed);
                dv_buf_printf(&r, "licence %s", l->id);
                if (l->end_use) dv_buf_printf(&r, " (end use \"%s\")", l->end_use);
                dv_buf_printf(&r, " allows the sectors %s, but the final consignee %s is %s",
                              allowed, fe->id, dv_sector_names[fe->sector]);
                break;
            }
        }
        mismatch = r.len > 0;
        if (mismatch) hit(&S, DV_RULE_END_USE_MISMATCH, 1, &r);
    }

    /* the item itself */
    const dv_item *it = &ds->items[a->item];
    if (it->control && strcmp(it->control, it->code) != 0)
        dv_buf_printf(&r, "item %s (%s) sensitivity %.2f", it->code, it->control, it->sensitivity);
    else
        dv_buf_printf(&r, "item %s sensitivity %.2f", it->code, it->sensitivity);
    hit(&S, DV_RULE_ITEM_SENSITIVITY, it->sensitivity, &r);
    dv_buf_free(&r);

    double total = 0;
    for (size_t i = 0; i < a->n_hits; i++) total += a->hits[i].points;
    a->score = total >= 100 ? 100 : (int)floor(total + 0.5);
    a->severity = dv_severity_of(a->score);

    /* explanation: the reasons, then what would clear it */
    dv_buf ex = {0};
    for (size_t i = 0; i < a->n_hits; i++)
        dv_buf_printf(&ex, "%s%s", i ? "; " : "", a->hits[i].reason);
    const char *first_transit = eid(ds, path[1]);
    /* the licence that would clear what is open */
    char *licence_needed = hr_hit ? dv_xasprintf("a licence covering the final destination that "
                                                 "names %s or its sector (%s)",
                                                 fe->id, dv_sector_names[fe->sector])
                           : ab_hit ? dv_xstrdup("a licence covering the final destination")
                                    : NULL;
    if (declared != DV_NONE && declared == path[hops - 1])
        dv_buf_printf(&ex, ". To clear: why %s, the declared end user, shipped the goods on to %s%s%s",
                      eid(ds, declared), fe->id, licence_needed ? "; and " : "",
                      licence_needed ? licence_needed : "");
    else if (declared != DV_NONE)
        dv_buf_printf(&ex, ". To clear: %s's confirmation that it received the goods as the declared "
                           "end user, and why %s shipped them on to %s%s%s",
                      eid(ds, declared), eid(ds, path[hops - 1]), fe->id,
                      licence_needed ? "; and " : "", licence_needed ? licence_needed : "");
    else
        dv_buf_printf(&ex, ". To clear: %s's end-user statement and evidence of local use "
                           "(installation, service contracts)%s%s",
                      first_transit, licence_needed ? ", or " : "",
                      licence_needed ? licence_needed : "");
    free(licence_needed);
    a->track = dv_track_of(sc->flagger, a, mismatch, &ex);
    a->explanation = ex.data;
}
