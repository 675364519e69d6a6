/*
 * flag.h: when a realised chain is flagged (SPEC 4).
 *
 * A chain is flagged when (1) a third-country transit is in a weak-safeguard
 * country, (2) there is a destination concern: (a) the final consignee's
 * country is elevated or embargoed, (b) the final consignee or a transit is
 * on the watchlist, (c) a first-leg shipment of the evidence declares an end
 * user other than the final consignee, (d) a human-rights risk: the item
 * entry is controlled for human rights, the final consignee is in a
 * security sector, and its country's civil liberties are below
 * hr_threshold; and (3) a concern is not covered by a licence of the
 * origin. A licence covers (a) and (b) when its item, destination, end
 * user, sectors and dates fit; (d) only when it also names the final
 * consignee or lists its sector; (c) never.
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
#include "divert/util.h"

enum {
    DV_CONCERN_DESTINATION = 1,  /* (a) */
    DV_CONCERN_WATCHLIST = 2,    /* (b) */
    DV_CONCERN_END_USER = 4,     /* (c) */
    DV_CONCERN_HUMAN_RIGHTS = 8  /* (d) */
};

typedef struct dv_flag_result {
    bool flagged;
    unsigned concerns;           /* DV_CONCERN_* present */
    bool covered;                /* (a)/(b) covered by a licence */
    uint32_t licence;            /* the licence covering (a)/(b), DV_NONE if none */
    uint32_t licence_base;       /* the first licence whose terms (sectors included)
                                    fit a valid first leg, DV_NONE if none; looked
                                    for when (a), (b) or (d) holds */
    bool covered_hr;             /* (d) covered by such a licence that names the end
                                    user or its sector */
    unsigned weak_transits;      /* bit h set: path[h] is a weak third-country transit */
} dv_flag_result;

typedef struct dv_flagger {
    const dv_dataset *ds;
    const dv_config *cfg;
    const dv_screening *screening;
    double *safeguard;           /* owned: by country row, SPEC 2's score */
    bool *weak;                  /* owned: by country row, a weak-safeguard country */
    bool *listed;                /* owned: by entity row, it matches the watchlist */
    bool *hr_risk;               /* owned: by entity row, a final consignee there has
                                    concern (d) for a human-rights item */
    uint32_t *by_exporter;       /* owned: licence rows sorted by (exporter, id) */
} dv_flagger;

/* screening may be NULL: no entity is listed. */
void dv_flagger_init(dv_flagger *f, const dv_dataset *ds, const dv_config *cfg,
                     const dv_screening *screening);
void dv_flagger_free(dv_flagger *f);

/* Safeguard score of a country row (SPEC 2) with the configured weights;
 * a missing indicator counts as 0. */
double dv_safeguard_score(const dv_country *c, const dv_config *cfg);

/* The four terms of the safeguard score, for explaining it: each
 * indicator's value (missing: 0; regimes: their number / 4) and the
 * points it adds (value x its weight); the points sum to the score. */
enum { DV_SG_RULE_OF_LAW, DV_SG_DATA_PROTECTION, DV_SG_CIVIL_LIBERTIES, DV_SG_REGIMES,
       DV_SG_COUNT };
void dv_safeguard_parts(const dv_country *c, const dv_config *cfg, double value[DV_SG_COUNT],
                        double points[DV_SG_COUNT]);

/* Is the entity's country weak (SPEC 2)? An absent country scores 0. */
bool dv_entity_weak(const dv_flagger *f, uint32_t entity);

/* Condition (1) alone: the weak third-country transits, as a bit mask
 * over path positions (0 when there is none). Cheap: no shipments. */
unsigned dv_flag_weak_transits(const dv_flagger *f, const uint32_t *path, int hops);

/* The whole predicate, given the feasible shipments of each hop. Every
 * condition is measured even when (1) fails (for explaining a chain);
 * the detection asks only about chains that pass (1). */
void dv_flag_chain(const dv_flagger *f, const uint32_t *path, int hops,
                   const dv_hopsets *feasible, dv_flag_result *out);

/* Licence rows held by an exporter: [*first, *last) of f->by_exporter. */
void dv_flag_licences_of(const dv_flagger *f, uint32_t exporter, size_t *first, size_t *last);

/* Civil liberties of an entity's country: a missing figure or an absent
 * country counts as 0, as in the safeguard score (SPEC 2). */
double dv_entity_civil_liberties(const dv_dataset *ds, uint32_t entity);

/* The terms of coverage licence l fails for shipment s toward final
 * consignee `final`, dates aside: a set of DV_LICENCE_* (0: every term
 * fits). dv_licence_terms_match is this set being empty. */
enum {
    DV_LICENCE_ITEM = 1,         /* its item is not a prefix of the shipment's code */
    DV_LICENCE_DESTINATION = 2,  /* its destination is not the final consignee's country */
    DV_LICENCE_END_USER = 4,     /* it names another end user */
    DV_LICENCE_SECTORS = 8       /* its sectors lack the final consignee's */
};
unsigned dv_licence_misfit(const dv_dataset *ds, const dv_licence *l, const dv_shipment *s,
                           uint32_t final);

/* Does licence l match shipment s toward final consignee `final` in every
 * term of coverage but its dates (item prefix, destination country, end
 * user) and, with sectors, its sectors too? */
bool dv_licence_terms_match(const dv_dataset *ds, const dv_licence *l, const dv_shipment *s,
                            uint32_t final, bool sectors);

/* Does a licence whose terms match cover concern (d) too: does it name
 * the final consignee or list its sector? */
bool dv_licence_names_end_use(const dv_dataset *ds, const dv_licence *l, uint32_t final);

/* Is the licence valid on the date (open ends are open)? */
bool dv_licence_valid_on(const dv_licence *l, int32_t date);

/* ---- a route's licences, explained (explain and the report) ---- */

/* What explaining the licences of one alert's route reads: its first-leg
 * shipments (the evidence of hop 1, any order), its final consignee, its
 * concerns and the licence recorded as covering (a)/(b) (dv_alert's
 * concerns and licence), and the first leg's total quantity. */
typedef struct dv_route_licence_ctx {
    const dv_dataset *ds;
    const uint32_t *legs;
    size_t n_legs;
    uint32_t final;
    unsigned concerns;
    uint32_t covering;
    double first_quantity;
} dv_route_licence_ctx;

/* The origin's licences whose item begins some first-leg shipment's code,
 * in (exporter, id) order: a malloc'd array of licence rows into *rows
 * (NULL when none), their number returned. */
size_t dv_route_licences(const dv_flagger *f, uint32_t origin, const dv_route_licence_ctx *c,
                         uint32_t **rows);

/* The terms licence l fails on every first-leg shipment (DV_LICENCE_*;
 * only the item can differ from one shipment to another). */
unsigned dv_route_licence_misfit(const dv_route_licence_ctx *c, const dv_licence *l);

/* First-leg shipments on whose date licence l is valid. */
size_t dv_route_licence_valid_legs(const dv_route_licence_ctx *c, const dv_licence *l);

/* Why licence `row` does or does not cover the route, one clause a
 * reason, joined by "; " and appended to out; returns whether it is the
 * licence covering (a)/(b). */
bool dv_route_licence_why(const dv_route_licence_ctx *c, uint32_t row, dv_buf *out);

#endif
