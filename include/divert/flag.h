/*
 * flag.h: when a realised chain is flagged (SPEC 4).
 *
 * A chain is flagged when (1) a third-country transit is in a weak-safeguard
 * country, (2) there is a destination concern: (a) the final consignee's
 * country is elevated or embargoed, (b) the final consignee or a transit is
 * on the watchlist, (c) a first-leg shipment of the evidence declares an end
 * user other than the final consignee; and (3) the concern is not covered by
 * a licence of the origin ((c) never is).
 *
 * dv_flagger holds what the predicate reads besides the chain: each
 * country's safeguard score and weakness (SPEC 2, with the configured
 * weights), each entity's watchlist match (from the screening stage), and
 * the licences indexed by exporter. It borrows the dataset, the config and
 * the screening, and owns its arrays.
 */
#ifndef DIVERT_FLAG_H
#define DIVERT_FLAG_H

#include <stdbool.h>
#include <stdint.h>

#include "divert/config.h"
#include "divert/dataset.h"
#include "divert/routes.h"
#include "divert/screen.h"

enum {
    DV_CONCERN_DESTINATION = 1,  /* (a) */
    DV_CONCERN_WATCHLIST = 2,    /* (b) */
    DV_CONCERN_END_USER = 4      /* (c) */
};

typedef struct dv_flag_result {
    bool flagged;
    unsigned concerns;           /* DV_CONCERN_* present */
    bool covered;                /* (a)/(b) covered by a licence */
    uint32_t licence;            /* the covering licence row, DV_NONE if none */
    unsigned weak_transits;      /* bit h set: path[h] is a weak third-country transit */
} dv_flag_result;

typedef struct dv_flagger {
    const dv_dataset *ds;
    const dv_config *cfg;
    const dv_screening *screening;
    double *safeguard;           /* owned: by country row, SPEC 2's score */
    bool *weak;                  /* owned: by country row, a weak-safeguard country */
    bool *listed;                /* owned: by entity row, it matches the watchlist */
    uint32_t *by_exporter;       /* owned: licence rows sorted by (exporter, id) */
} dv_flagger;

/* screening may be NULL: no entity is listed. */
void dv_flagger_init(dv_flagger *f, const dv_dataset *ds, const dv_config *cfg,
                     const dv_screening *screening);
void dv_flagger_free(dv_flagger *f);

/* Safeguard score of a country row (SPEC 2) with the configured weights;
 * a missing indicator counts as 0. */
double dv_safeguard_score(const dv_country *c, const dv_config *cfg);

/* Is the entity's country weak (SPEC 2)? An absent country scores 0. */
bool dv_entity_weak(const dv_flagger *f, uint32_t entity);

/* Condition (1) alone: the weak third-country transits, as a bit mask
 * over path positions (0 when there is none). Cheap: no shipments. */
unsigned dv_flag_weak_transits(const dv_flagger *f, const uint32_t *path, int hops);

/* The whole predicate, given the feasible shipments of each hop. */
void dv_flag_chain(const dv_flagger *f, const uint32_t *path, int hops,
                   const dv_hopsets *feasible, dv_flag_result *out);

/* Licence rows held by an exporter: [*first, *last) of f->by_exporter. */
void dv_flag_licences_of(const dv_flagger *f, uint32_t exporter, size_t *first, size_t *last);

/* Does licence l match shipment s toward final consignee `final` in every
 * term but its dates? (item prefix, destination country, end user) */
bool dv_licence_terms_match(const dv_dataset *ds, const dv_licence *l, const dv_shipment *s,
                            uint32_t final);

#endif
