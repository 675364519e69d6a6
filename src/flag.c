/*
 * flag.c: the flag predicate (SPEC 4).
 */
#include "divert/flag.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void dv_safeguard_parts(const dv_country *c, const dv_config *cfg, double value[DV_SG_COUNT],
                        double points[DV_SG_COUNT])
{
    value[DV_SG_RULE_OF_LAW] = isnan(c->rule_of_law) ? 0 : c->rule_of_law;
    value[DV_SG_DATA_PROTECTION] = isnan(c->data_protection) ? 0 : c->data_protection;
    value[DV_SG_CIVIL_LIBERTIES] = isnan(c->civil_liberties) ? 0 : c->civil_liberties;
    value[DV_SG_REGIMES] = c->nregimes / 4.0;
    points[DV_SG_RULE_OF_LAW] = cfg->w_rule_of_law * value[DV_SG_RULE_OF_LAW];
    points[DV_SG_DATA_PROTECTION] = cfg->w_data_protection * value[DV_SG_DATA_PROTECTION];
    points[DV_SG_CIVIL_LIBERTIES] = cfg->w_civil_liberties * value[DV_SG_CIVIL_LIBERTIES];
    points[DV_SG_REGIMES] = cfg->w_regimes * value[DV_SG_REGIMES];
}

double dv_safeguard_score(const dv_country *c, const dv_config *cfg)
{
    double value[DV_SG_COUNT], points[DV_SG_COUNT];
    dv_safeguard_parts(c, cfg, value, points);
    return points[DV_SG_RULE_OF_LAW] + points[DV_SG_DATA_PROTECTION] +
           points[DV_SG_CIVIL_LIBERTIES] + points[DV_SG_REGIMES];
}

void dv_flagger_init(dv_flagger *f, const dv_dataset *ds, const dv_config *cfg,
                     const dv_screening *screening)
{
    f->ds = ds;
    f->cfg = cfg;
    f->screening = screening;
    size_t nc = ds->n_countries ? ds->n_countries : 1;
    f->safeguard = dv_xmalloc(nc * sizeof *f->safeguard);
    f->weak = dv_xmalloc(nc * sizeof *f->weak);
    for (size_t i = 0; i < ds->n_countries; i++) {
        const dv_country *c = &ds->countries[i];
        f->safeguard[i] = dv_safeguard_score(c, cfg);
        f->weak[i] = f->safeguard[i] < cfg->weak_threshold || c->hub;
    }
    f->listed = dv_xcalloc(ds->n_entities ? ds->n_entities : 1, sizeof *f->listed);
    for (size_t e = 0; screening && e < ds->n_entities; e++)
        f->listed[e] = dv_screening_best(screening, (uint32_t)e) != NULL;
    f->hr_risk = dv_xcalloc(ds->n_entities ? ds->n_entities : 1, sizeof *f->hr_risk);
    for (size_t e = 0; e < ds->n_entities; e++)
        f->hr_risk[e] = (cfg->security_sectors & DV_SECTOR_BIT(ds->entities[e].sector)) &&
                        dv_entity_civil_liberties(ds, (uint32_t)e) < cfg->hr_threshold;
    /* licences by (exporter, id): the dataset keeps licences in id order,
     * so (exporter, row) is that order, and sorts as one 64-bit key */
    dv_keyed *k = dv_xmalloc((ds->n_licences ? ds->n_licences : 1) * sizeof *k);
    for (size_t i = 0; i < ds->n_licences; i++)
        k[i] = (dv_keyed){(uint64_t)ds->licences[i].exporter << 32 | i, (uint32_t)i, 0};
    dv_sort_keyed(k, ds->n_licences);
    f->by_exporter = dv_xmalloc((ds->n_licences ? ds->n_licences : 1) * sizeof *f->by_exporter);
    for (size_t i = 0; i < ds->n_licences; i++) f->by_exporter[i] = k[i].row;
    free(k);
}

void dv_flagger_free(dv_flagger *f)
{
    if (!f) return;
    free(f->safeguard);
    free(f->weak);
    free(f->listed);
    free(f->hr_risk);
    free(f->by_exporter);
    memset(f, 0, sizeof *f);
}

bool dv_entity_weak(const dv_flagger *f, uint32_t entity)
{
    const dv_entity *e = &f->ds->entities[entity];
    if (e->country_idx == DV_NONE) return 0.0 < f->cfg->weak_threshold;
    return f->weak[e->country_idx];
}

unsigned dv_flag_weak_transits(const dv_flagger *f, const uint32_t *path, int hops)
{
    const dv_entity *origin = &f->ds->entities[path[0]];
    const dv_entity *final = &f->ds->entities[path[hops]];
    unsigned mask = 0;
    for (int h = 1; h < hops; h++) {
        const dv_entity *t = &f->ds->entities[path[h]];
        bool third = strcmp(t->country, origin->country) != 0 &&
                     strcmp(t->country, final->country) != 0;
        if (third && dv_entity_weak(f, path[h])) mask |= 1u << h;
    }
    return mask;
}

void dv_flag_licences_of(const dv_flagger *f, uint32_t exporter, size_t *first, size_t *last)
{
    size_t lo = 0, hi = f->ds->n_licences;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (f->ds->licences[f->by_exporter[mid]].exporter < exporter) lo = mid + 1;
        else hi = mid;
    }
    *first = lo;
    while (lo < f->ds->n_licences && f->ds->licences[f->by_exporter[lo]].exporter == exporter) lo++;
    *last = lo;
}

double dv_entity_civil_liberties(const dv_dataset *ds, uint32_t entity)
{
    uint32_t c = ds->entities[entity].country_idx;
    if (c == DV_NONE || isnan(ds->countries[c].civil_liberties)) return 0;
    return ds->countries[c].civil_liberties;
}

unsigned dv_licence_misfit(const dv_dataset *ds, const dv_licence *l, const dv_shipment *s,
                           uint32_t final)
{
    const dv_entity *fe = &ds->entities[final];
    unsigned misfit = 0;
    if (strcmp(l->destination, fe->country) != 0) misfit |= DV_LICENCE_DESTINATION;
    if (l->end_user != DV_NONE && l->end_user != final) misfit |= DV_LICENCE_END_USER;
    if (l->sectors && !(l->sectors & DV_SECTOR_BIT(fe->sector))) misfit |= DV_LICENCE_SECTORS;
    if (strncmp(l->item_code, s->item_code, strlen(l->item_code)) != 0) misfit |= DV_LICENCE_ITEM;
    return misfit;
}

bool dv_licence_terms_match(const dv_dataset *ds, const dv_licence *l, const dv_shipment *s,
                            uint32_t final, bool sectors)
{
    unsigned misfit = dv_licence_misfit(ds, l, s, final);
    if (!sectors) misfit &= ~(unsigned)DV_LICENCE_SECTORS;
    return misfit == 0;
}

bool dv_licence_names_end_use(const dv_dataset *ds, const dv_licence *l, uint32_t final)
{
    return l->end_user == final || (l->sectors & DV_SECTOR_BIT(ds->entities[final].sector));
}

bool dv_licence_valid_on(const dv_licence *l, int32_t date)
{
    return (l->valid_from == DV_NO_DATE || l->valid_from <= date) &&
           (l->valid_to == DV_NO_DATE || date <= l->valid_to);
}

void dv_flag_chain(const dv_flagger *f, const uint32_t *path, int hops,
                   const dv_hopsets *feasible, dv_flag_result *out)
{
    const dv_dataset *ds = f->ds;
    memset(out, 0, sizeof *out);
    out->licence = out->licence_base = DV_NONE;
    out->weak_transits = dv_flag_weak_transits(f, path, hops);

    uint32_t final = path[hops];
    const dv_entity *fe = &ds->entities[final];
    if (fe->country_idx != DV_NONE && ds->countries[fe->country_idx].destination != DV_DEST_NONE)
        out->concerns |= DV_CONCERN_DESTINATION;
    for (int h = 1; h <= hops; h++)
        if (f->listed[path[h]]) out->concerns |= DV_CONCERN_WATCHLIST;
    for (size_t i = 0; i < feasible->n[0]; i++) {
        uint32_t declared = ds->shipments[feasible->ship[0][i]].declared_end_user;
        if (declared != DV_NONE && declared != final) {
            out->concerns |= DV_CONCERN_END_USER;
            break;
        }
    }
    if (feasible->n[0] && ds->items[ds->shipments[feasible->ship[0][0]].item_idx].human_rights &&
        f->hr_risk[final])
        out->concerns |= DV_CONCERN_HUMAN_RIGHTS;
    bool want_ab = out->concerns & (DV_CONCERN_DESTINATION | DV_CONCERN_WATCHLIST);
    bool want_hr = out->concerns & DV_CONCERN_HUMAN_RIGHTS;
    /* the first licence (by id) whose terms fit a valid first leg, and
     * whether one of them also names the end use, as (d) needs */
    size_t first = 0, last = 0;
    if (want_ab || want_hr) dv_flag_licences_of(f, path[0], &first, &last);
    for (size_t k = first; k < last; k++) {
        if (out->licence_base != DV_NONE && (!want_hr || out->covered_hr)) break;
        uint32_t row = f->by_exporter[k];
        const dv_licence *l = &ds->licences[row];
        for (size_t i = 0; i < feasible->n[0]; i++) {
            const dv_shipment *s = &ds->shipments[feasible->ship[0][i]];
            if (!dv_licence_valid_on(l, s->date) || !dv_licence_terms_match(ds, l, s, final, true))
                continue;
            if (out->licence_base == DV_NONE) out->licence_base = row;
            if (want_hr && dv_licence_names_end_use(ds, l, final)) out->covered_hr = true;
            break;
        }
    }
    out->covered = want_ab && out->licence_base != DV_NONE;
    if (out->covered) out->licence = out->licence_base;
    /* condition (1), then a concern left uncovered: (2) and (3) */
    out->flagged = out->weak_transits &&
                   ((want_ab && !out->covered) || (want_hr && !out->covered_hr) ||
                    (out->concerns & DV_CONCERN_END_USER));
}

/* ---- a route's licences, explained ---- */

size_t dv_route_licences(const dv_flagger *f, uint32_t origin, const dv_route_licence_ctx *c,
                         uint32_t **rows)
{
    size_t first, last, n = 0, cap = 0;
    *rows = NULL;
    dv_flag_licences_of(f, origin, &first, &last);
    for (size_t k = first; k < last; k++) {
        uint32_t row = f->by_exporter[k];
        bool item_fits = false;
        for (size_t i = 0; i < c->n_legs && !item_fits; i++)
            item_fits = !(dv_licence_misfit(c->ds, &c->ds->licences[row],
                                            &c->ds->shipments[c->legs[i]], c->final) &
                          DV_LICENCE_ITEM);
        if (item_fits) DV_PUSH(*rows, n, cap, row);
    }
    return n;
}

unsigned dv_route_licence_misfit(const dv_route_licence_ctx *c, const dv_licence *l)
{
    unsigned misfit = ~0u;
    for (size_t i = 0; i < c->n_legs; i++)
        misfit &= dv_licence_misfit(c->ds, l, &c->ds->shipments[c->legs[i]], c->final);
    return misfit;
}

size_t dv_route_licence_valid_legs(const dv_route_licence_ctx *c, const dv_licence *l)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n_legs; i++)
        n += dv_licence_valid_on(l, c->ds->shipments[c->legs[i]].date);
    return n;
}

bool dv_route_licence_why(const dv_route_licence_ctx *c, uint32_t row, dv_buf *out)
{
    const dv_dataset *ds = c->ds;
    const dv_licence *l = &ds->licences[row];
    const dv_entity *fe = &ds->entities[c->final];
    unsigned misfit = dv_route_licence_misfit(c, l);
    size_t valid = dv_route_licence_valid_legs(c, l);
    bool covers = c->covering == row;
    if (misfit & DV_LICENCE_ITEM)
        dv_buf_printf(out, "its item %s does not begin the shipped code", l->item_code);
    if (misfit & DV_LICENCE_DESTINATION)
        dv_buf_printf(out, "%sits destination is %s, not %s", out->len ? "; " : "", l->destination,
                      fe->country);
    if (misfit & DV_LICENCE_END_USER)
        dv_buf_printf(out, "%sit names end user %s, not %s", out->len ? "; " : "",
                      ds->entities[l->end_user].id, fe->id);
    if (misfit & DV_LICENCE_SECTORS) {
        char allowed[256];
        dv_sector_set_text(l->sectors, allowed, sizeof allowed);
        dv_buf_printf(out, "%sits sectors %s lack the final consignee's (%s)",
                      out->len ? "; " : "", allowed, dv_sector_names[fe->sector]);
    }
    if (!valid) {
        char from[11], to[11];
        dv_format_date(l->valid_from, from);
        dv_format_date(l->valid_to, to);
        dv_buf_printf(out, "%sit is valid %s to %s, on none of the %zu first-leg date%s",
                      out->len ? "; " : "", from[0] ? from : "open", to[0] ? to : "open",
                      c->n_legs, c->n_legs == 1 ? "" : "s");
    }
    if (!misfit && valid) {
        dv_buf_printf(out, "every term fits and it is valid on %zu of %zu first-leg date%s", valid,
                      c->n_legs, c->n_legs == 1 ? "" : "s");
        if (covers) dv_buf_puts(out, "; it covers concerns (a) and (b)");
        else if (!(c->concerns & (DV_CONCERN_DESTINATION | DV_CONCERN_WATCHLIST)))
            dv_buf_puts(out, "; there is no concern (a) or (b) for it to cover");
        else dv_buf_puts(out, "; another licence of the origin (lower id) is the one recorded");
        if (c->concerns & DV_CONCERN_HUMAN_RIGHTS)
            dv_buf_printf(out, "; for (d) it %s",
                          dv_licence_names_end_use(ds, l, c->final)
                              ? "names the end user or its sector: covered"
                              : "names neither the end user nor its sector: not covered");
    }
    if (!isnan(l->quantity)) {
        char q[48], first[48];
        dv_format_number(l->quantity, q);
        dv_format_number(c->first_quantity, first);
        dv_buf_printf(out,
                      "%slicensed quantity %s against %s on the first leg (information: not a "
                      "term of coverage)",
                      out->len ? "; " : "", q, first);
    }
    return covers;
}
