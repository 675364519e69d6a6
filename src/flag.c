/*
 * flag.c: the flag predicate (SPEC 4).
 */
#include "divert/flag.h"

#include <stdlib.h>
#include <string.h>

static const dv_dataset *sort_ds;

static int cmp_by_exporter(const void *a, const void *b)
{
    const dv_licence *x = &sort_ds->licences[*(const uint32_t *)a];
    const dv_licence *y = &sort_ds->licences[*(const uint32_t *)b];
    if (x->exporter != y->exporter) return x->exporter < y->exporter ? -1 : 1;
    return strcmp(x->id, y->id);
}

void dv_flagger_init(dv_flagger *f, const dv_dataset *ds, const dv_config *cfg)
{
    f->ds = ds;
    f->cfg = cfg;
    f->by_exporter = dv_xmalloc((ds->n_licences ? ds->n_licences : 1) * sizeof *f->by_exporter);
    for (size_t i = 0; i < ds->n_licences; i++) f->by_exporter[i] = (uint32_t)i;
    sort_ds = ds;
    dv_qsort(f->by_exporter, ds->n_licences, sizeof *f->by_exporter, cmp_by_exporter);
}

void dv_flagger_free(dv_flagger *f)
{
    if (!f) return;
    free(f->by_exporter);
    f->by_exporter = NULL;
}

bool dv_entity_weak(const dv_flagger *f, uint32_t entity)
{
    const dv_entity *e = &f->ds->entities[entity];
    if (e->country_idx == DV_NONE) return 0.0 < f->cfg->weak_threshold;
    return f->ds->countries[e->country_idx].weak;
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

bool dv_licence_terms_match(const dv_dataset *ds, const dv_licence *l, const dv_shipment *s,
                            uint32_t final)
{
    const dv_entity *fe = &ds->entities[final];
    if (strcmp(l->destination, fe->country) != 0) return false;
    if (l->end_user != DV_NONE && l->end_user != final) return false;
    size_t n = strlen(l->item_code);
    return strncmp(l->item_code, s->item_code, n) == 0;
}

static bool licence_valid_on(const dv_licence *l, int32_t date)
{
    return (l->valid_from == DV_NO_DATE || l->valid_from <= date) &&
           (l->valid_to == DV_NO_DATE || date <= l->valid_to);
}

void dv_flag_chain(const dv_flagger *f, const uint32_t *path, int hops,
                   const dv_hopsets *feasible, dv_flag_result *out)
{
    const dv_dataset *ds = f->ds;
    memset(out, 0, sizeof *out);
    out->licence = DV_NONE;
    out->weak_transits = dv_flag_weak_transits(f, path, hops);
    if (!out->weak_transits) return;

    uint32_t final = path[hops];
    const dv_entity *fe = &ds->entities[final];
    if (fe->country_idx != DV_NONE && ds->countries[fe->country_idx].destination != DV_DEST_NONE)
        out->concerns |= DV_CONCERN_DESTINATION;
    for (int h = 1; h <= hops; h++)
        if (ds->entities[path[h]].watch_idx != DV_NONE) out->concerns |= DV_CONCERN_WATCHLIST;
    for (size_t i = 0; i < feasible->n[0]; i++) {
        uint32_t declared = ds->shipments[feasible->ship[0][i]].declared_end_user;
        if (declared != DV_NONE && declared != final) {
            out->concerns |= DV_CONCERN_END_USER;
            break;
        }
    }
    if (out->concerns & (DV_CONCERN_DESTINATION | DV_CONCERN_WATCHLIST)) {
        size_t first, last;
        dv_flag_licences_of(f, path[0], &first, &last);
        for (size_t k = first; k < last && !out->covered; k++) {
            const dv_licence *l = &ds->licences[f->by_exporter[k]];
            for (size_t i = 0; i < feasible->n[0]; i++) {
                const dv_shipment *s = &ds->shipments[feasible->ship[0][i]];
                if (licence_valid_on(l, s->date) && dv_licence_terms_match(ds, l, s, final)) {
                    out->covered = true;
                    out->licence = f->by_exporter[k];
                    break;
                }
            }
        }
    }
    bool open_ab = (out->concerns & (DV_CONCERN_DESTINATION | DV_CONCERN_WATCHLIST)) && !out->covered;
    out->flagged = open_ab || (out->concerns & DV_CONCERN_END_USER);
}
