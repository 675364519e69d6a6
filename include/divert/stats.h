/*
 * stats.h: the statistics of divert stats, for researchers
 * (docs/research.md).
 *
 * dv_stats_compute reads a pipeline that has run up to detection and
 * fills a dv_stats: corridors (the country paths of realised chains, per
 * period, with growth against a baseline and the roundabout signal),
 * brokers (parties by the origin-destination pairs whose realised chains
 * pass through them, beside static betweenness), communities (groups of
 * parties that trade the analysed items as one) and trends (flagged and
 * unflagged value per period, item category and transit country). The
 * writers (report_stats.c) only read the result.
 *
 * Every realised chain (SPEC 3) of the analysed item entries (or of
 * --item's) is visited once, by routes.h's search without pruning, and
 * judged by flag.h's predicate. A chain counts in each period in which it
 * is realised, that is in which one of its realisations has its first
 * shipment; there its figures are those of these realisations' feasible
 * shipments (quantity and value: of their first legs), and the flag
 * verdict is taken on them. The brokers' figures take each chain once,
 * with all its evidence. An item entry whose
 * search reaches chain_budget is cut there and named in `partial`.
 *
 * Each corridor and trend row keeps the distinct parties of its chains,
 * with the value each is on, for the publish rule (publish.h).
 *
 * The network measures come from netstats.h, the only part that uses
 * igraph. Everything is deterministic: rows are sorted by stable keys,
 * the community detection is seeded, and nothing depends on threads.
 *
 * Ownership: a dv_stats owns its arrays and the strings they point to
 * (from its arena), and refers to dataset rows by index; it must not
 * outlive the dataset.
 */
#ifndef DIVERT_STATS_H
#define DIVERT_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "divert/pipeline.h"

typedef enum dv_period_kind { DV_BY_MONTH, DV_BY_QUARTER, DV_BY_YEAR, DV_BY_COUNT } dv_period_kind;
extern const char *const dv_period_names[DV_BY_COUNT]; /* "month", "quarter", "year" */

/* A transit country's imports and exports "grow" in a period when each
 * is more than this many times its baseline average per period (or is
 * above 0 where that average is 0). */
#define DV_STATS_GROWTH_FACTOR 1.5

/* Exact betweenness costs about one breadth-first search of the graph
 * from each party. Above this many edge visits (parties times trading
 * pairs) it is estimated from a sample of sources instead: the parties
 * whose ids hash lowest, as many as the budget allows (at least
 * DV_STATS_BETWEENNESS_MIN_SOURCES), their sum scaled by parties over
 * sources (Brandes and Pich's estimator; docs/research.md). */
#define DV_STATS_BETWEENNESS_WORK 5e10
#define DV_STATS_BETWEENNESS_MIN_SOURCES 100

/* research.html draws the first this many communities (by value) ... */
#define DV_STATS_DRAWN 12
/* ... that have at most this many members */
#define DV_STATS_DRAW_MAX 120

typedef struct dv_stats_options {
    dv_period_kind by;
    uint32_t item;               /* items row of --item, DV_NONE: every analysed item entry */
    bool has_baseline;
    int baseline_from, baseline_to; /* month numbers (year*12 + month-1), inclusive */
} dv_stats_options;

/* A party of a cell (a corridor or trend row): the value and number of
 * the cell's chains it is on. The publish rule (publish.h) reads these;
 * no writer does. */
typedef struct dv_party_share {
    uint32_t entity;             /* entity row */
    double value;
    unsigned long long chains;
} dv_party_share;

/* Sort a list of shares by entity and add up those of one entity;
 * returns the new length. */
size_t dv_party_shares_merge(dv_party_share *l, size_t n);

/* One row of corridors.csv: a country path in one period. */
typedef struct dv_corridor {
    int period;                  /* period number (dv_stats_period_label) */
    const char *path;            /* "DE>AM>RU": the parties' countries, repeats in a row
                                    merged */
    unsigned long long chains, flagged; /* chains realised in the period, flagged there */
    unsigned long long shipments; /* evidence shipments, summed over the chains */
    double quantity, value;      /* of the first legs, summed over the chains */
    /* with a baseline: the average per period of the corridor's value in
     * the baseline months, and growth = value / that - 1 (NAN when 0) */
    double baseline_value, growth;
    const char *roundabout;      /* transit countries showing the signal, ";"-joined, "" none */
    dv_party_share *parties;     /* owned: the distinct parties of its chains, by entity */
    size_t n_parties;
} dv_corridor;

typedef struct dv_broker {
    uint32_t entity;             /* entity row */
    size_t pairs;                /* distinct (origin party, final consignee) pairs of the
                                    realised chains it is a transit of */
    double value;                /* value of the distinct first-leg shipments of those chains */
    size_t origins, destinations; /* distinct origin parties, final consignees */
    double throughput;           /* sum over item entries of min(received, shipped) quantity,
                                    over the quantity received; NAN if it received none */
    double median_dwell;         /* days from an arrival to its shipment on, NAN if none */
    size_t alerts;               /* alerts whose chain it is on */
    double betweenness;
    size_t rank, betweenness_rank; /* 1-based */
} dv_broker;

typedef struct dv_community {
    size_t id;                   /* 1-based, in the order of the rows */
    uint32_t *members;           /* owned: entity rows in id order */
    size_t size;
    const char *countries;       /* ";"-joined, sorted */
    double value;                /* of the analysed shipments between two members */
    size_t shipments;
    size_t shared_addresses;     /* addresses held by two or more members */
    size_t alerts;               /* alerts whose parties are all members */
    /* the drawing, for the first DV_STATS_DRAWN communities of 2 to
     * DV_STATS_DRAW_MAX members (NULL and 0 otherwise): the pairs of
     * members that trade (indices into members, each pair once, the value
     * both ways), and each member's position from netstats.h's layout */
    uint32_t *edges;             /* owned: 2 * n_edges */
    double *edge_value;          /* owned */
    size_t n_edges;
    double *xy;                  /* owned: 2 * size */
} dv_community;

typedef struct dv_trend {
    int period;
    const char *category;        /* the item entry's category, "" when none */
    char transit[3];             /* a transit country of the corridor */
    unsigned long long chains, flagged;
    double flagged_value, unflagged_value;
    dv_party_share *parties;     /* owned: the distinct parties of its chains, by entity */
    size_t n_parties;
} dv_trend;

typedef struct dv_stats_partial {
    uint32_t item;               /* items row whose search reached chain_budget */
    unsigned long long chains;   /* chains counted before the cut */
} dv_stats_partial;

typedef struct dv_stats {
    dv_stats_options opt;
    dv_arena arena;              /* the strings below */
    dv_intern strings;
    unsigned long long chains;   /* realised chains */
    unsigned long long chain_periods, flagged; /* (chain, period) in which it is realised,
                                                  and those flagged */
    size_t betweenness_sources;  /* parties whose paths betweenness counts: all of
                                    them when exact, the sample's size otherwise */
    dv_corridor *corridors;  size_t n_corridors;  /* by period, then path */
    dv_broker *brokers;      size_t n_brokers;    /* by rank */
    dv_community *communities; size_t n_communities; /* by value desc, size desc, first id */
    dv_trend *trends;        size_t n_trends;     /* by period, category, transit */
    dv_stats_partial *partial; size_t n_partial;  /* by item */
    /* borrowed: with --publish, the published cells (publish.h) that the
     * writers write instead; NULL otherwise */
    const struct dv_publish *publish;
} dv_stats;

/* --by's word as a kind; false for any other word. */
bool dv_stats_parse_by(const char *s, dv_period_kind *out);
/* --baseline's YYYY-MM:YYYY-MM as month numbers, FROM not after TO;
 * false with *why set otherwise. */
bool dv_stats_parse_baseline(const char *s, int *from, int *to, const char **why);
/* The period (of kind by) of a date in days, and of a month number. */
int dv_stats_period_of(int32_t days, dv_period_kind by);
int dv_stats_period_of_month(int month, dv_period_kind by);
/* A date's month number (year * 12 + month - 1), the first month of a
 * period, and the months in a period of kind by (periods.c). */
int dv_stats_month_of(int32_t days);
int dv_stats_first_month(int period, dv_period_kind by);
int dv_stats_months_per(dv_period_kind by);
/* "2024-03", "2024-Q1" or "2024" (out holds 16 bytes). */
void dv_stats_period_label(int period, dv_period_kind by, char out[16]);

/* Fill st (zeroed by the caller) from p, which has run up to detection.
 * Returns 0, or DV_EXIT_INTERNAL with err set. */
int dv_stats_compute(const dv_pipeline *p, const dv_stats_options *opt, dv_stats *st,
                     dv_error *err);
void dv_stats_free(dv_stats *st);

#endif
