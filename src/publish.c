/*
 * publish.c: the rule of divert stats --publish (publish.h).
 *
 * Both tables go through one function over generic cells. It runs twice:
 * the first pass finds the periods in which each table suppresses value,
 * the second withholds, from the other table, the periods in which only
 * one of them does, and builds the rows.
 */
#include "divert/publish.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "divert/util.h"

dv_publish_verdict dv_publish_judge(const dv_party_share *parties, size_t n, double value,
                                    unsigned long long chains, unsigned k)
{
    if (n < k) return DV_PUBLISH_FEW;
    for (size_t i = 0; i < n; i++) {
        double share = value > 0 ? parties[i].value / value
                       : chains  ? (double)parties[i].chains / (double)chains
                                 : 1;
        if (share > DV_PUBLISH_DOMINANCE) return DV_PUBLISH_DOMINATED;
    }
    return DV_PUBLISH_OK;
}

unsigned long long dv_publish_count(unsigned long long n)
{
    if (!n) return 0;
    unsigned long long b = DV_PUBLISH_COUNT_BASE, r = (n + b / 2) / b * b;
    return r < b ? b : r;
}

double dv_publish_value(double v)
{
    if (isnan(v) || v == 0) return v;
    double scale = pow(10, floor(log10(fabs(v))) - (DV_PUBLISH_DIGITS - 1));
    return round(v / scale) * scale;
}

void dv_publish_band(double part, double whole, char out[32])
{
    if (!(part > 0) || !(whole > 0)) {
        snprintf(out, 32, "0%%");
        return;
    }
    double share = part / whole;
    int band = share >= 1 ? 100 / DV_PUBLISH_SHARE_BAND - 1
                          : (int)floor(share * 100 / DV_PUBLISH_SHARE_BAND);
    if (band >= 100 / DV_PUBLISH_SHARE_BAND) band = 100 / DV_PUBLISH_SHARE_BAND - 1;
    if (!band) snprintf(out, 32, "under %d%%", DV_PUBLISH_SHARE_BAND);
    else snprintf(out, 32, "%d-%d%%", band * DV_PUBLISH_SHARE_BAND,
                  (band + 1) * DV_PUBLISH_SHARE_BAND);
}

typedef struct cell {
    int period;
    const char *key;
    const char *transit;
    unsigned long long chains, flagged;
    double value, flagged_value, unflagged_value;
    const dv_party_share *parties;
    size_t n_parties;
} cell;

typedef struct periods {
    int *p;
    size_t n, cap;
} periods;

static bool holds(const periods *s, int period)
{
    for (size_t i = 0; s && i < s->n; i++)
        if (s->p[i] == period) return true;
    return false;
}

static dv_pub_row row_of(const cell *c, const char *key, bool other)
{
    dv_pub_row r = {0};
    r.period = c->period;
    r.key = key;
    r.other = other;
    snprintf(r.transit, sizeof r.transit, "%s", other ? "" : c->transit);
    r.chains = dv_publish_count(c->chains);
    r.flagged = dv_publish_count(c->flagged);
    r.value = dv_publish_value(c->value);
    r.flagged_value = dv_publish_value(c->flagged_value);
    r.unflagged_value = dv_publish_value(c->unflagged_value);
    return r;
}

/* One table: cells sorted by period. withhold: periods left out whole
 * (NULL: none). supp: the periods in which value is suppressed. */
static void build(const cell *cells, size_t n, unsigned k, const periods *withhold,
                  dv_pub_row **rows, size_t *n_rows, dv_pub_tally *t, periods *supp)
{
    size_t cap = 0;
    memset(t, 0, sizeof *t);
    t->cells = n;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && cells[j].period == cells[i].period) j++;
        if (holds(withhold, cells[i].period)) {
            t->withheld_periods++;
            for (size_t x = i; x < j; x++) {
                t->suppressed++;
                t->suppressed_value += cells[x].value;
                t->value += cells[x].value;
            }
            i = j;
            continue;
        }
        cell other = {.period = cells[i].period, .key = "other", .transit = ""};
        dv_party_share *parties = NULL;
        size_t np = 0, cap_p = 0, failed = 0;
        for (size_t x = i; x < j; x++) {
            const cell *c = &cells[x];
            t->value += c->value;
            if (dv_publish_judge(c->parties, c->n_parties, c->value, c->chains, k) ==
                DV_PUBLISH_OK) {
                DV_PUSH(*rows, *n_rows, cap, row_of(c, c->key, false));
                t->published++;
                continue;
            }
            failed++;
            other.chains += c->chains;
            other.flagged += c->flagged;
            other.value += c->value;
            other.flagged_value += c->flagged_value;
            other.unflagged_value += c->unflagged_value;
            for (size_t q = 0; q < c->n_parties; q++) DV_PUSH(parties, np, cap_p, c->parties[q]);
        }
        if (failed) {
            np = dv_party_shares_merge(parties, np);
            if (dv_publish_judge(parties, np, other.value, other.chains, k) == DV_PUBLISH_OK) {
                DV_PUSH(*rows, *n_rows, cap, row_of(&other, "other", true));
                t->merged += failed;
                t->merged_value += other.value;
            } else {
                t->suppressed += failed;
                t->suppressed_value += other.value;
                if (supp) DV_PUSH(supp->p, supp->n, supp->cap, other.period);
            }
        }
        free(parties);
        i = j;
    }
}

/* The periods of a that b lacks. */
static void minus(const periods *a, const periods *b, periods *out)
{
    for (size_t i = 0; i < a->n; i++)
        if (!holds(b, a->p[i])) DV_PUSH(out->p, out->n, out->cap, a->p[i]);
}

void dv_publish_compute(const dv_stats *st, unsigned k, dv_publish *pub)
{
    pub->k = k;
    cell *cc = dv_xcalloc(st->n_corridors + 1, sizeof *cc);
    for (size_t i = 0; i < st->n_corridors; i++) {
        const dv_corridor *c = &st->corridors[i];
        cc[i] = (cell){c->period, c->path, "", c->chains, c->flagged, c->value, 0, 0,
                       c->parties, c->n_parties};
    }
    cell *tc = dv_xcalloc(st->n_trends + 1, sizeof *tc);
    for (size_t i = 0; i < st->n_trends; i++) {
        const dv_trend *t = &st->trends[i];
        tc[i] = (cell){t->period, t->category, t->transit, t->chains, t->flagged,
                       t->flagged_value + t->unflagged_value, t->flagged_value,
                       t->unflagged_value, t->parties, t->n_parties};
    }
    /* first pass: where each table suppresses value */
    periods sc = {0}, stt = {0}, wc = {0}, wt = {0};
    build(cc, st->n_corridors, k, NULL, &pub->corridors, &pub->n_corridors, &pub->corridor_tally,
          &sc);
    build(tc, st->n_trends, k, NULL, &pub->trends, &pub->n_trends, &pub->trend_tally, &stt);
    free(pub->corridors), free(pub->trends);
    pub->corridors = pub->trends = NULL;
    pub->n_corridors = pub->n_trends = 0;
    /* second pass: a period suppressed in one table alone is withheld from the other */
    minus(&sc, &stt, &wt);
    minus(&stt, &sc, &wc);
    build(cc, st->n_corridors, k, &wc, &pub->corridors, &pub->n_corridors, &pub->corridor_tally,
          NULL);
    build(tc, st->n_trends, k, &wt, &pub->trends, &pub->n_trends, &pub->trend_tally, NULL);
    free(sc.p), free(stt.p), free(wc.p), free(wt.p);
    free(cc), free(tc);
}

void dv_publish_free(dv_publish *pub)
{
    if (!pub) return;
    free(pub->corridors);
    free(pub->trends);
    memset(pub, 0, sizeof *pub);
}
