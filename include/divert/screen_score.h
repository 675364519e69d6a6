/*
 * screen_score.h: scoring one name against another, and explaining the
 * score (screen.h describes the method), for the screening modules only:
 * screen_score.c scores a pair of names as given (dv_screen_pair), the
 * workers in screen.c score the candidates they find with the token
 * similarities they already have.
 *
 * Nothing here allocates what outlives a call, and a qname owns nothing
 * on the heap: it points into its own buffers, into the text it was made
 * from, or into the index (screen_index.h), so it must not outlive them.
 */
#ifndef DIVERT_SCREEN_SCORE_H
#define DIVERT_SCREEN_SCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "divert/screen_index.h"
#include "divert/util.h"

/* The most a pair of names scores when none of its pairs of tokens is
 * distinctive (neither token common), unless its words run together:
 * screen.c skips such candidates when the threshold is above it. */
#define COMMON_ONLY_CAP 0.5

typedef struct qname {             /* a name being scored: its tokens */
    const char *t[MAX_TOKENS];      /* borrowed: from the normalised text, or
                                       s->tok (in s->arena) */
    size_t len[MAX_TOKENS];
    const char *f[MAX_TOKENS];      /* folded (dv_tok_fold): into fbuf, or
                                       borrowed from s->tok_fold or a worker's
                                       arena */
    size_t flen[MAX_TOKENS];
    uint32_t id[MAX_TOKENS];        /* vocabulary id, UINT32_MAX if none */
    char fbuf[MAX_TOKENS][64];
    double w[MAX_TOKENS];
    bool common[MAX_TOKENS];
    size_t n;
    const char *cat, *fcat;         /* the tokens run together, and folded: into
                                       cat_buf and fcat_buf, or borrowed from
                                       the lname (in s->arena) */
    size_t cat_len, fcat_len;
    char cat_buf[512], fcat_buf[64];
    dv_name_marks marks;            /* its legal forms and subsidiary mark */
} qname;

typedef double sim_table[MAX_TOKENS][MAX_TOKENS];

/* The weight of a token, whether it is common, and its vocabulary id
 * (UINT32_MAX if no list name has it). */
double dv_token_weight(const dv_screener *s, const char *t, size_t len, bool *common,
                       uint32_t *id);

/* q's tokens run together (ZHONGGUO), in q->cat, and folded in q->fcat. */
void dv_qname_concat(qname *q);

/* q is list name ln, all borrowed from the index. Inline: the workers
 * make one for every candidate they score. */
static inline void qname_of_list(const dv_screener *s, const lname *ln, qname *q)
{
    q->n = ln->n;
    for (uint32_t k = 0; k < ln->n; k++) {
        uint32_t id = s->toks[ln->first + k];
        q->t[k] = s->tok[id];
        q->len[k] = s->tok_len[id];
        q->w[k] = s->weight[id];
        q->common[k] = s->common[id];
        q->f[k] = s->tok_fold[id];
        q->flen[k] = s->tok_flen[id];
        q->id[k] = id;
    }
    q->cat = ln->cat, q->cat_len = ln->cat_len;
    q->fcat = ln->fcat, q->fcat_len = ln->fcat_len;
    q->marks = ln->marks;
}

/* What counts against a pair of names whatever their tokens share
 * (docs/screening.md, "Precision"): subtracted from the score, never
 * added, so that the index's bounds stay bounds. */
#define FORMS_APART_PENALTY 0.20    /* legal forms of different jurisdictions */
#define SUBSIDIARY_PENALTY 0.20     /* a country in parentheses on one side only, or two */
#define HOLDING_PENALTY 0.10        /* HOLDINGS on one side only */
#define GROUP_PENALTY 0.10          /* GROUP on one side only */
#define OTHER_BUSINESS_PENALTY 0.10 /* a business word left unpaired on each side */
#define COMBINED_FORM_PENALTY 0.20  /* GmbH & Co. KG against GmbH: two legal persons */
#define DESCENT_ORDER_PENALTY 0.20  /* A bin B against B bin A */
#define FAMILY_ORDER_PENALTY 0.20   /* JAMES, Thomas against THOMAS, James */

/* Score one pair of names once cleaned (nameclean.h; dv_screen_pair
 * cleans them and calls this for each name they give): what the list
 * name gives in parentheses is a name of its own, and so is the rest, as
 * the index has them. */
double dv_screen_pair_parts(dv_screener *s, dv_namer *namer, const char *entity_name,
                            const char *entity_country, const char *list_name,
                            const char *list_country, dv_buf *expl);

/* Are both countries given, and the entity's none of the list entry's? A
 * pair of which one side had a branch set aside (nameclean.h) is scored
 * without its countries when they differ: a branch abroad is its head
 * office's legal person. */
bool dv_screen_countries_differ(const char *e_country, const char *l_country);

/* Score E against L from the similarities of their tokens (sim[i][j]: E's
 * token i against L's token j), from 0 to 1; the countries may be NULL.
 * The explanation of the pairs, and of each rule that moved the score,
 * goes to expl if given. */
double dv_score_sims(const qname *e, const qname *l, sim_table sim, const char *e_country,
                     const char *l_country, dv_buf *expl);

#endif
