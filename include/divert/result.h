/*
 * result.h: the result of a scan, as plain data.
 *
 * Every writer (CSV, JSON, later HTML and the case store) reads a
 * dv_result and the dataset it refers to; none of them recomputes
 * anything. A dv_result owns its alerts and everything they point to, and
 * refers to dataset rows by index.
 */
#ifndef DIVERT_RESULT_H
#define DIVERT_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "divert/config.h"
#include "divert/rules.h"

typedef struct dv_rule_hit {
    dv_rule_id rule;
    double points;               /* weight x strength */
    char *reason;                /* owned: one line with the figures */
} dv_rule_hit;

typedef struct dv_alert {
    char id[17];                 /* 16 hex digits of hash("ITEM|e0>...>ek") */
    int score;                   /* 0..100 */
    dv_severity severity;
    uint32_t item;               /* item entry row */
    int hops;
    uint32_t path[DV_MAX_HOPS + 1];  /* entity rows */
    unsigned concerns;           /* DV_CONCERN_* of flag.h */
    uint32_t licence;            /* licence covering (a)/(b), DV_NONE if none */

    uint32_t *evidence;          /* owned: shipment rows in a realisation, by (date, id) */
    size_t n_evidence;
    int32_t first_date, last_date;
    double quantity, value;      /* of the first-leg evidence */
    bool has_value;              /* some first-leg shipment has a value */

    dv_rule_hit *hits;           /* owned: in catalogue order */
    size_t n_hits;
    char *explanation;           /* owned */

    uint32_t *examples;          /* owned: n_examples x hops shipment rows */
    size_t n_examples;
} dv_alert;

typedef struct dv_result {
    dv_alert *alerts;            /* owned: by score descending, then id */
    size_t n_alerts;
    size_t by_severity[DV_SEV_COUNT];
    /* what the search did, for the summary */
    size_t items_analysed;
    unsigned long long chains_visited;
    unsigned long long extensions_pruned;  /* branches cut: no concern within reach */
    unsigned long long chains_flagged;
    unsigned long long chains_contained;   /* flagged, but part of a longer flagged chain */
} dv_result;

void dv_result_free(dv_result *r);

#endif
