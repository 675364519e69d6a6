/*
 * screen_index.h: the watchlist index that screening searches, shared by
 * the screening modules only (screen_index.c builds it, screen_score.c
 * and screen.c read it); everyone else sees dv_screener as screen.h's
 * opaque type.
 *
 * The index owns everything it points to but the dataset: its arrays are
 * its own heap blocks, freed by dv_screener_free, and the strings it keeps
 * (tokens, their folded forms, list names and their parts) are in its
 * arena, so they go with it. Once dv_screener_new returns, nothing in it
 * changes: the worker threads read it without a lock.
 *
 * The types, constants and inline functions here keep the short names
 * they had inside screen.c, as no module outside screening includes this
 * header; the functions with external linkage are dv_ names.
 */
#ifndef DIVERT_SCREEN_INDEX_H
#define DIVERT_SCREEN_INDEX_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "divert/dataset.h"
#include "divert/names.h"
#include "divert/screen.h"
#include "divert/util.h"

enum { MAX_TOKENS = 32 };           /* tokens of one name that take part */
enum { MAX_POSTINGS = 32 };         /* a list token in more names is not followed
                                       (docs/screening.md, Blocking) */
#define COMMON_FACTOR 0.3           /* weight of a common business word */

/* One name of a list entry as the index holds it: a name, an alias, or
 * what one gives in parentheses (or the rest without it). */
typedef struct lname {
    uint32_t watch;                 /* watchlist row */
    const char *text;               /* the name as the list gives it (the part
                                       of one, kept apart, or a name it gives
                                       as its own once cleaned): in s->arena */
    const char *source;             /* the list's name or alias it came from:
                                       borrowed from the dataset */
    uint32_t first, n;              /* its token ids in s->toks */
    const char *cat, *fcat;         /* its tokens run together, and folded: in
                                       s->arena */
    uint32_t cat_len, fcat_len;
    double weight;                  /* of its tokens */
    dv_name_marks marks;            /* its legal forms and subsidiary mark */
    bool branch;                    /* cleaning set a branch aside from the list's
                                       name: its country is not compared */
} lname;

typedef struct slot {
    uint64_t key;                   /* 0: empty */
    uint32_t start, count;          /* its values: multimap.values[start..start+count) */
} slot;

/* A hash multimap from (key, value) pairs: the slots, by open addressing,
 * and the values of each key, once each, in *values. Owns both arrays. */
typedef struct multimap {
    slot *slots;                    /* owned; cap of them, a power of two */
    size_t cap;
    uint32_t *values;               /* owned */
} multimap;

/* The slot of key: its own, or the empty one where it would be (key 0).
 * Inline: the workers look up every entity token's keys. */
static inline const slot *multimap_find(const multimap *m, uint64_t key)
{
    size_t mask = m->cap - 1;
    for (size_t i = (size_t)key & mask;; i = (i + 1) & mask)
        if (m->slots[i].key == key || !m->slots[i].key) return &m->slots[i];
}

/* Every array below is owned (heap, freed by dv_screener_free) unless its
 * comment says otherwise; "by id" arrays have n_vocab entries, "by name"
 * ones n_names. */
struct dv_screener {
    const dv_dataset *ds;           /* borrowed: the screener must not outlive it */
    dv_arena arena;                 /* owns the strings below said to be in it */
    dv_map vocab;                   /* token -> id; its keys are tok's strings */
    const char **tok;               /* by id; the strings in arena */
    uint32_t *tok_len, *df;
    bool *common;
    double *weight;                 /* by id, once the list is read */
    const char **tok_fold;          /* by id: folded (dv_tok_fold); the strings
                                       in arena */
    uint32_t *tok_flen;
    size_t n_vocab, cap_vocab;
    lname *names;
    size_t n_names, cap_names;
    uint32_t *toks;                 /* the names' token ids, lname.first on */
    size_t n_toks, cap_toks;
    uint32_t *tok_names_at;         /* by id: its names, tok_names[at[id]..at[id+1]) */
    uint32_t *tok_names;
    uint32_t *rest_at;              /* by id, when in too many names to follow: the */
    uint32_t *rest;                 /* names that have no token to follow and have it
                                       among their two rarest, rest[at[id]..] */
    uint32_t *rest_distinct_at;     /* by id, when not common either: the names */
    uint32_t *rest_distinct;        /* that have no token to follow and have it,
                                       rest_distinct[at[id]..] */
    double *name_weight;            /* by name, a copy of lname.weight kept close */
    multimap tok_keys;              /* blocking key -> tokens */
    multimap cat_keys;              /* tokens run together -> names */
    multimap join_keys;             /* two neighbouring tokens joined -> names */
    double max_weight;              /* of a token no list name has */
    bool any_abjad;                 /* a list token came from an abjad (romanise.h):
                                       Latin entity tokens look up their skeletons */
    bool any_syllabic;              /* and from Hangul or Burmese: their Korean folds */
    /* the Latin list tokens by their skeletons and Korean folds
     * (romanise.h), which abjad, Hangul and Burmese entity tokens look up:
     * built at the first such token (dv_screener_script_keys), under
     * script_lock, so that a dataset without them pays nothing */
    multimap script_keys;
    bool script_built;
    pthread_mutex_t script_lock;
};

/* s->script_keys, built on the first call (thread-safe). */
const multimap *dv_screener_script_keys(dv_screener *s);

/* The length of a list name without the US lists' boilerplate "...; and
 * any successor, sub-unit, or subsidiary thereof", which the index leaves
 * out and pair scoring (dv_screen_pair) must too. */
size_t dv_screen_name_core(const char *name);

#endif
