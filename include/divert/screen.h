/*
 * screen.h: screening party names against watchlists (issue #5).
 *
 * Every name and alias, of the entities and of the list entries, is first
 * cleaned (nameclean.h): labels, addresses, branches ... set aside, and
 * the former and trading names it gives screened as names of their own.
 * Every name and alias of every list entry is normalised (names.h) into
 * tokens. A token's weight is its rarity among the list's names (inverse
 * document frequency), lowered further for the words every company name
 * uses (TRADING, GROUP, INTERNATIONAL ..., and any word in 0.5% of the
 * list's names and 25 at least). An entity name is scored
 * against a list name from the tokens they share, in any order: each
 * entity token is paired with at most one list token, equal, one edit
 * apart and alike by Jaro-Winkler, or equal once the differences between
 * romanisations are folded away (both of four letters or more); the score
 * is the weighted share of both names that the pairs cover, from 0 to 1.
 * A pair of names whose only common tokens are common words scores at most
 * 0.5; countries that are both given and differ take a fifth off; legal
 * forms of different jurisdictions, a subsidiary's country, HOLDINGS or
 * GROUP on one side, and a business word left on each side subtract
 * (screen_score.h, docs/screening.md "Precision").
 *
 * Blocking: every list token is indexed under hashes of itself and of its
 * one-letter deletions (and of its folded form's), which any token it
 * pairs with shares; each distinct entity token is compared with the list
 * tokens it meets once, and an entity name is scored only against the list
 * names holding a token it pairs with whose score bound reaches the
 * threshold (docs/screening.md), never the whole list.
 */
#ifndef DIVERT_SCREEN_H
#define DIVERT_SCREEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "divert/dataset.h"
#include "divert/names.h"

typedef struct dv_screener dv_screener;

/* Bounds on the work of one row and one name, whatever the names hold
 * (docs/screening.md, "Bounds"). */
enum {
    /* aliases of an entity or a list entry: the parsers reject a row with
     * more (too_many_aliases), and screening reads no more */
    DV_SCREEN_MAX_ALIASES = 1000,
    /* list names one entity name gathers as candidates: when its tokens
     * lead to more, the rarest tokens' names first */
    DV_SCREEN_MAX_GATHERED = 2048,
    /* candidates scored for one entity name: those whose bound reaches
     * the threshold, highest bound first */
    DV_SCREEN_MAX_SCORED = 256,
};

/* What screening did, summed over every name screened: the same on any
 * number of threads. */
typedef struct dv_screen_stats {
    uint64_t names;                 /* entity names screened (names and aliases,
                                       those with no word too) */
    uint64_t gathered;              /* candidate list names gathered */
    uint64_t scored;                /* pairs of names scored */
    uint64_t unscored;              /* candidates whose bound reached the threshold
                                       but were beyond DV_SCREEN_MAX_SCORED */
    uint64_t ungathered;            /* list names not gathered, beyond
                                       DV_SCREEN_MAX_GATHERED (once for each
                                       token that led to them) */
    uint64_t names_capped;          /* entity names for which either happened */
    uint32_t most_gathered;         /* by one entity name */
    uint32_t most_scored;
} dv_screen_stats;

/* One entity name against one list entry. */
typedef struct dv_match {
    uint32_t entity;         /* entity row */
    uint32_t watch;          /* watchlist row */
    double score;
    const char *entity_name; /* which of the entity's names matched: borrowed
                                from the dataset */
    char *list_name;         /* which of the entry's names (or the part of one
                                that matched): owned, heap */
    char *explanation;       /* owned, heap: the token pairs, forms and countries */
} dv_match;

/* Matches, owned with their strings; dv_matches_free frees them. */
typedef struct dv_matches {
    dv_match *m;
    size_t n, cap;
} dv_matches;

/* What the screening stage hands the stages after it: every match at or
 * above the threshold, and with a review band the pairs in it below the
 * threshold (for matches.csv), and each entity's best match (for SPEC
 * 4(b) and the WATCHLIST rule), which is never a review pair. It owns its
 * matches; it refers to the dataset's rows by index and borrows the
 * entities' names, so it must not outlive the dataset. */
typedef struct dv_screening {
    dv_matches all;          /* by score (descending), entity id, list row */
    double threshold;        /* a pair of all scoring below it is in the review
                                band: shown for a person to decide, raising no
                                concern (0 when the screening has no band) */
    uint32_t *best;          /* owned: by entity row, the index in all.m of its
                                best match at or above the threshold, DV_NONE if
                                none; NULL: no list */
    dv_screen_stats stats;
    dv_matches dropped;      /* taken out by dv_screening_drop, in the same order */
} dv_screening;

/* Build the index of ds's watchlist. NULL with err set on an ICU failure.
 * The screener borrows ds. */
dv_screener *dv_screener_new(const dv_dataset *ds, dv_error *err);
void dv_screener_free(dv_screener *s);

/* Score one pair of names (for tests and explanations): the entity's
 * country and the list entry's may be NULL. expl, if not NULL, receives the
 * explanation. */
double dv_screen_pair(dv_screener *s, dv_namer *namer, const char *entity_name,
                      const char *entity_country, const char *list_name,
                      const char *list_country, dv_buf *expl);

/* Screen every entity (all its names) against the list on `threads`
 * threads: for each entity and list entry, the best-scoring pair of names
 * at or above threshold. Sorted by score (descending), entity id, list
 * row. stats, if not NULL, receives what it took. Returns 0, or an error
 * status. */
int dv_screen_all(dv_screener *s, double threshold, int threads, dv_matches *out,
                  dv_screen_stats *stats, dv_error *err);

void dv_matches_free(dv_matches *m);

/* The screening stage: ds's entities against its watchlist, into out
 * (caller's struct, filled; free it with dv_screening_free). A dataset
 * without a list screens to nothing. */
int dv_screen_dataset(const dv_dataset *ds, double threshold, int threads, dv_screening *out,
                      dv_error *err);

/* The same with a review band: the pairs scoring from review_from up to
 * the threshold are kept too, as review pairs (dv_match_in_review), and
 * take no part in the best matches. The index blocks on the band's lower
 * end. review_from at or above the threshold: no band. */
int dv_screen_dataset_band(const dv_dataset *ds, double threshold, double review_from,
                           int threads, dv_screening *out, dv_error *err);

/* Whether a match of s is a review pair (below s->threshold). */
bool dv_match_in_review(const dv_screening *s, const dv_match *m);

/* Take out of s->all every match for which drop(ctx, ds, entity, list
 * row) holds (an analyst's "not a match", cases.h), into s->dropped, and
 * make the next match of each entity its best: a dropped pair never hides
 * another. Returns how many were dropped. */
size_t dv_screening_drop(dv_screening *s, const dv_dataset *ds,
                         bool (*drop)(const void *ctx, const dv_dataset *ds, uint32_t entity,
                                      uint32_t watch),
                         const void *ctx);

/* The best match of an entity row, or NULL. */
const dv_match *dv_screening_best(const dv_screening *s, uint32_t entity);

/* How many entities have a match. */
size_t dv_screening_matched(const dv_screening *s, size_t n_entities);

void dv_screening_free(dv_screening *s);

#endif
