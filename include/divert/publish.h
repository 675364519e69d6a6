/*
 * publish.h: the rule of divert stats --publish, the transparency report
 * that can be handed out as it is (docs/research.md, "Publishing").
 *
 * dv_publish_compute reads the corridor and trend rows of a dv_stats
 * (each with the distinct parties of its chains and the value each is on)
 * and keeps a cell only when it passes both tests:
 *   - threshold: at least k distinct parties are on its chains;
 *   - dominance: no party is on chains carrying more than
 *     DV_PUBLISH_DOMINANCE of the cell's value (of its chains, where the
 *     cell's value is 0).
 * The cells of a period that fail are merged into one "other" row of that
 * period and table, published only if it passes in turn; else its figures
 * are suppressed. A period whose suppressed figures could be read off the
 * other table (one table suppresses value in the period, the other none:
 * its rows would add up to the period's total) is withheld from that
 * other table. Published counts are rounded to DV_PUBLISH_COUNT_BASE,
 * values to DV_PUBLISH_DIGITS significant digits. No party's id or name
 * is in the result.
 */
#ifndef DIVERT_PUBLISH_H
#define DIVERT_PUBLISH_H

#include <stdbool.h>
#include <stddef.h>

#include "divert/stats.h"

#define DV_PUBLISH_K_DEFAULT 5
#define DV_PUBLISH_K_MIN 2
#define DV_PUBLISH_K_MAX 1000
#define DV_PUBLISH_DOMINANCE 0.5 /* the largest party's share of a cell, at most */
#define DV_PUBLISH_COUNT_BASE 5  /* counts to the nearest multiple of this (5 at least) */
#define DV_PUBLISH_DIGITS 2      /* values to this many significant digits */
#define DV_PUBLISH_SHARE_BAND 10 /* the share of value left out, in bands of this many % */

typedef enum dv_publish_verdict { DV_PUBLISH_OK, DV_PUBLISH_FEW, DV_PUBLISH_DOMINATED } dv_publish_verdict;

/* The verdict on a cell of these parties (any order, one entry a party)
 * whose value is value and that counts chains chains (judged by chains
 * where value is 0). */
dv_publish_verdict dv_publish_judge(const dv_party_share *parties, size_t n, double value,
                                    unsigned long long chains, unsigned k);
/* A count as published: 0 stays 0, others to the nearest multiple of
 * DV_PUBLISH_COUNT_BASE, and DV_PUBLISH_COUNT_BASE at least. */
unsigned long long dv_publish_count(unsigned long long n);
/* A value as published: DV_PUBLISH_DIGITS significant digits. */
double dv_publish_value(double v);

/* One published row: a corridor (key = path, transit "") or a trend
 * (key = category, transit); key is "other" for a period's merged row. */
typedef struct dv_pub_row {
    int period;
    const char *key;             /* borrowed from the dv_stats, or "other" */
    char transit[8];
    bool other;
    unsigned long long chains, flagged; /* rounded */
    double value, flagged_value, unflagged_value; /* rounded */
} dv_pub_row;

/* What one table left out. */
typedef struct dv_pub_tally {
    size_t cells;                /* cells of the full table */
    size_t published;            /* published as they are */
    size_t merged;               /* merged into an "other" row that is published */
    size_t suppressed;           /* suppressed: in an "other" row that failed, or in a
                                    withheld period */
    size_t withheld_periods;     /* periods withheld whole (see above) */
    double merged_value, suppressed_value, value; /* unrounded; published as bands only */
} dv_pub_tally;

typedef struct dv_publish {
    unsigned k;
    dv_pub_row *corridors; size_t n_corridors; /* by period, then key ("other" last) */
    dv_pub_row *trends;    size_t n_trends;
    dv_pub_tally corridor_tally, trend_tally;
} dv_publish;

/* The band of a share of value left out, as published: "0%", "under 10%",
 * "10-20%", ... (out holds 32 bytes). */
void dv_publish_band(double part, double whole, char out[32]);

/* Fill pub (zeroed by the caller) from st. */
void dv_publish_compute(const dv_stats *st, unsigned k, dv_publish *pub);
void dv_publish_free(dv_publish *pub);

#endif
