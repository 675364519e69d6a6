/*
 * screen_score.c: the score of one name against another and its
 * explanation (screen_score.h), from the similarities of their tokens
 * (tokensim.h) and the weights the index gives them (screen_index.h).
 */
#include "divert/screen_score.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "divert/names.h"
#include "divert/screen.h"
#include "divert/tokensim.h"

#define COUNTRY_FACTOR 0.8          /* both countries given, and different */

double dv_token_weight(const dv_screener *s, const char *t, size_t len, bool *common,
                       uint32_t *id)
{
    if (dv_map_get(&s->vocab, t, len, id)) {
        *common = s->common[*id];
        return s->weight[*id];
    }
    *id = UINT32_MAX;
    *common = dv_tok_is_common(t, len);
    return *common ? s->max_weight * COMMON_FACTOR : s->max_weight;
}

/* q from a normalised name's tokens, separated by spaces, which it borrows */
static void qname_of_tokens(const dv_screener *s, const char *tokens, qname *q)
{
    q->n = 0;
    for (const char *p = tokens; *p && q->n < MAX_TOKENS;) {
        size_t l = strcspn(p, " ");
        q->t[q->n] = p;
        q->len[q->n] = l;
        q->flen[q->n] = dv_tok_fold(p, l, q->fbuf[q->n]);
        q->f[q->n] = q->fbuf[q->n];
        q->w[q->n] = dv_token_weight(s, p, l, &q->common[q->n], &q->id[q->n]);
        q->n++;
        p += l + (p[l] == ' ');
    }
    dv_qname_concat(q);
}

void dv_qname_concat(qname *q)
{
    size_t n = 0;
    for (size_t i = 0; i < q->n; i++)
        for (size_t k = 0; k < q->len[i] && n + 1 < sizeof q->cat_buf; k++) q->cat_buf[n++] = q->t[i][k];
    q->cat_buf[n] = '\0';
    q->cat = q->cat_buf, q->cat_len = n;
    q->fcat_len = dv_tok_fold(q->cat_buf, n, q->fcat_buf);
    q->fcat = q->fcat_buf;
}

/* CODE is one of LIST's countries, joined by ';' ("CN;KP") */
static bool country_among(const char *code, const char *list)
{
    size_t cl = strlen(code);
    for (const char *p = list;;) {
        size_t l = strcspn(p, ";");
        if (l == cl && !strncasecmp(p, code, cl)) return true;
        if (!p[l]) return false;
        p += l + 1;
    }
}

bool dv_screen_countries_differ(const char *e_country, const char *l_country)
{
    return e_country && l_country && *e_country && *l_country && !country_among(e_country, l_country);
}

/* Whether q has the token word (a business word as names.c spells it). */
static bool has_word(const qname *q, const char *word, size_t len)
{
    for (size_t i = 0; i < q->n; i++)
        if (q->len[i] == len && !memcmp(q->t[i], word, len)) return true;
    return false;
}

/* A name's forms with their jurisdictions: "GMBH (DE AT CH LI)", the
 * first five countries of a form used in more ("SA (FR BE LU CH MC ...)"). */
static void explain_forms(dv_buf *expl, const dv_name_marks *m)
{
    for (int i = 0; i < DV_NAME_FORMS && m->form[i] >= 0; i++) {
        const char *where = NULL, *text = dv_name_form(m->form[i], &where);
        size_t shown = strlen(where) > 14 ? 14 : strlen(where); /* five codes */
        dv_buf_printf(expl, "%s%s (%.*s%s)", i ? ", " : "", text, (int)shown, where,
                      where[shown] ? " ..." : "");
    }
}

/* The first of q's tokens left unpaired that is a common business word
 * (four letters at least: not AND, OF; not a legal form or a
 * patronymic), or -1. */
static int unmatched_business_word(const qname *q, const bool *used)
{
    for (size_t i = 0; i < q->n; i++)
        if (!used[i] && q->common[i] && q->len[i] >= 4 && !dv_name_minor_word(q->t[i], q->len[i]))
            return (int)i;
    return -1;
}

/* The combined forms of a limited partnership whose general partner is a
 * company (GmbH & Co. KG, Ltd. & Co. KG, sp. z o.o. sp. k.), each with the
 * forms of that partner alone, as normalisation spells them
 * (dv_name_form). The partnership and its partner are two legal persons,
 * registered apart: in the Handelsregister (HRA for the KG, HRB for the
 * GmbH) and in Poland's KRS. Sources: the ISO 20275 list (the German and
 * Polish rows for the KG and the sp.k.) and sec. 19(2) of Germany's HGB,
 * which has the KG's name say that no natural person is liable. */
static const struct {
    const char *combined, *partner;
} combined_forms[] = {
    {"GMBH CO KG", "GMBH"},
    {"GMBH CO KGAA", "GMBH"},
    {"GMBH CO OHG", "GMBH"},
    {"AG CO KG", "AG"},
    {"UG HAFTUNGSBESCHRANKT CO KG", "UG HAFTUNGSBESCHRANKT"},
    {"LTD CO KG", "LTD"},
    {"LTD CO KG", "LIMITED"},
    /* a sp. z o.o. sp. k. is read as two forms, SP K last (or as one) */
    {"SP K", "SP Z OO"},
    {"SP K", "SP ZOO"},
    {"SP K", "SPOLKA Z OGRANICZONA ODPOWIEDZIALNOSCIA"},
    {"SPOLKA KOMANDYTOWA", "SP Z OO"},
    {"SPOLKA KOMANDYTOWA", "SP ZOO"},
    {"SPOLKA KOMANDYTOWA", "SPOLKA Z OGRANICZONA ODPOWIEDZIALNOSCIA"},
    {"SP ZOO SP K", "SP ZOO"},
    {"SP ZOO SP K", "SP Z OO"},
    {"SP ZOO SP K", "SPOLKA Z OGRANICZONA ODPOWIEDZIALNOSCIA"},
    {"SPOLKA Z OGRANICZONA ODPOWIEDZIALNOSCIA SPOLKA KOMANDYTOWA", "SP ZOO"},
    {"SPOLKA Z OGRANICZONA ODPOWIEDZIALNOSCIA SPOLKA KOMANDYTOWA", "SP Z OO"},
    {"SPOLKA Z OGRANICZONA ODPOWIEDZIALNOSCIA SPOLKA KOMANDYTOWA",
     "SPOLKA Z OGRANICZONA ODPOWIEDZIALNOSCIA"},
    {NULL, NULL}};

/* Whether m has the form spelt text. */
static bool has_form(const dv_name_marks *m, const char *text)
{
    for (int i = 0; i < DV_NAME_FORMS && m->form[i] >= 0; i++)
        if (!strcmp(dv_name_form(m->form[i], NULL), text)) return true;
    return false;
}

/* Whether m has a combined form. */
static bool has_combined(const dv_name_marks *m)
{
    for (int k = 0; combined_forms[k].combined; k++)
        if (has_form(m, combined_forms[k].combined)) return true;
    return false;
}

/* The row of combined_forms whose combined form one side has and whose
 * partner's form the other has, with no combined form, or -1. */
static int combined_against_partner(const dv_name_marks *a, const dv_name_marks *b)
{
    bool ca = has_combined(a), cb = has_combined(b);
    if (ca == cb) return -1;
    const dv_name_marks *whole = ca ? a : b, *partner = ca ? b : a;
    for (int k = 0; combined_forms[k].combined; k++)
        if (has_form(whole, combined_forms[k].combined) && has_form(partner, combined_forms[k].partner))
            return k;
    return -1;
}

/* The words that join the parts of a person's name by descent (Mohammed
 * bin Salem: Mohammed, son of Salem): Arabic bin, ibn, bint, binti, and
 * ben, ould as the Maghreb writes them. */
static bool descent_word(const char *t, size_t len)
{
    static const char *const words[] = {"BIN", "IBN", "BINT", "BINTI", "BEN", "OULD", "BNT", NULL};
    for (int i = 0; words[i]; i++)
        if (strlen(words[i]) == len && !memcmp(words[i], t, len)) return true;
    return false;
}

/* The index of q's first descent word with a token on each side of it,
 * or -1. */
static int descent_at(const qname *q)
{
    for (size_t i = 1; i + 1 < q->n; i++)
        if (descent_word(q->t[i], q->len[i])) return (int)i;
    return -1;
}

/* What counts against E and L whatever their tokens share (screen_score.h):
 * the sum of the penalties, each said in expl. */
static double precision_penalties(const qname *e, const qname *l, bool countries_agree,
                                  const char *e_country, const char *l_country, dv_buf *expl)
{
    double p = 0;
    if (!countries_agree && dv_name_forms_apart(&e->marks, &l->marks)) {
        p += FORMS_APART_PENALTY;
        if (expl) {
            dv_buf_puts(expl, "; forms of different jurisdictions: ");
            explain_forms(expl, &e->marks);
            dv_buf_puts(expl, " / ");
            explain_forms(expl, &l->marks);
            dv_buf_printf(expl, " -%.2f", FORMS_APART_PENALTY);
        }
    }
    /* a combined form against its partner's form alone: the partnership
     * and its partner company (forms of one jurisdiction, so not counted
     * above unless the countries agree) */
    int comb = p > 0 ? -1 : combined_against_partner(&e->marks, &l->marks);
    if (comb >= 0) {
        p += COMBINED_FORM_PENALTY;
        if (expl) dv_buf_printf(expl, "; a partnership and its partner: %s / %s -%.2f",
                                combined_forms[comb].combined, combined_forms[comb].partner,
                                COMBINED_FORM_PENALTY);
    }
    /* a subsidiary: a country in parentheses on one side that the other
     * does not name, in parentheses, among its words (Hong Kong Taiming
     * Industrial, Taiming Industrial (Hong Kong)) or as its party's
     * country */
    const char *es = e->marks.sub, *ls = l->marks.sub;
    if ((*es || *ls) && strcmp(es, ls) != 0 &&
        !(*es && !*ls && l_country && country_among(es, l_country)) &&
        !(*ls && !*es && e_country && !strcasecmp(ls, e_country)) &&
        !(*es && !*ls && dv_name_country_in(es, l->t, l->len, l->n)) &&
        !(*ls && !*es && dv_name_country_in(ls, e->t, e->len, e->n))) {
        p += SUBSIDIARY_PENALTY;
        if (expl) dv_buf_printf(expl, "; subsidiary: (%s) / (%s) -%.2f", *es ? es : "none",
                                *ls ? ls : "none", SUBSIDIARY_PENALTY);
    }
    static const struct {
        const char *word;
        size_t len;
        double penalty;
    } one_side[] = {{"HOLDINGS", 8, HOLDING_PENALTY}, {"GROUP", 5, GROUP_PENALTY}};
    for (size_t k = 0; k < sizeof one_side / sizeof one_side[0]; k++) {
        bool in_e = has_word(e, one_side[k].word, one_side[k].len),
             in_l = has_word(l, one_side[k].word, one_side[k].len);
        if (in_e == in_l) continue;
        p += one_side[k].penalty;
        if (expl) dv_buf_printf(expl, "; %s on one side -%.2f", one_side[k].word, one_side[k].penalty);
    }
    return p;
}

double dv_score_sims(const qname *e, const qname *l, sim_table sim, const char *e_country,
                     const char *l_country, dv_buf *expl)
{
    bool e_used[MAX_TOKENS] = {false}, l_used[MAX_TOKENS] = {false};
    double we = 0, wl = 0, covered = 0;
    for (size_t i = 0; i < e->n; i++) we += e->w[i];
    for (size_t j = 0; j < l->n; j++) wl += l->w[j];
    bool distinctive = false, short_skeleton = false;
    size_t pairs = 0;
    int e_pair[MAX_TOKENS]; /* the token of L that E's token i paired with, or -1 */
    for (size_t i = 0; i < e->n; i++) e_pair[i] = -1;
    for (;;) { /* greedy: the most alike pair left, each token once */
        double best = DV_TOKEN_SIM;
        size_t bi = 0, bj = 0;
        bool found = false;
        for (size_t i = 0; i < e->n; i++) {
            if (e_used[i]) continue;
            for (size_t j = 0; j < l->n; j++)
                if (!l_used[j] && sim[i][j] >= best && (!found || sim[i][j] > best)) {
                    best = sim[i][j], bi = i, bj = j, found = true;
                }
        }
        if (!found) break;
        e_used[bi] = l_used[bj] = true;
        e_pair[bi] = (int)bj;
        covered += best * (e->w[bi] + l->w[bj]);
        /* a pair of two-consonant skeletons (romanise.h) counts only
         * beside another pair (below) */
        if (!l->common[bj] && !e->common[bi]) {
            if (best == DV_ROM_SKEL_SHORT_SIM) short_skeleton = true;
            else distinctive = true;
        }
        if (expl) {
            if (best == 1.0)
                dv_buf_printf(expl, "%s%.*s", pairs ? ", " : "", (int)e->len[bi], e->t[bi]);
            else
                dv_buf_printf(expl, "%s%.*s~%.*s %.2f", pairs ? ", " : "", (int)e->len[bi], e->t[bi],
                              (int)l->len[bj], l->t[bj], best);
        }
        pairs++;
    }
    /* a word written in two on one side, in one on the other (Maria
     * STE-LROVIS, STELROVIS Maria), among the words left */
    for (int side = 0; side < 2; side++) {
        const qname *x = side ? l : e, *y = side ? e : l;
        bool *x_used = side ? l_used : e_used, *y_used = side ? e_used : l_used;
        for (size_t i = 0; i + 1 < x->n; i++) {
            if (x_used[i] || x_used[i + 1]) continue;
            for (size_t j = 0; j < y->n; j++) {
                if (y_used[j]) continue;
                double js = dv_tok_join_sim(x->t[i], x->len[i], x->t[i + 1], x->len[i + 1],
                                            y->t[j], y->len[j], y->f[j], y->flen[j]);
                if (js < DV_TOKEN_SIM) continue;
                x_used[i] = x_used[i + 1] = y_used[j] = true;
                covered += js * (x->w[i] + x->w[i + 1] + y->w[j]);
                distinctive |= !y->common[j];
                if (expl) {
                    const qname *en = side ? y : x;
                    size_t a = side ? j : i;
                    dv_buf_printf(expl, "%s%.*s", pairs ? ", " : "", (int)en->len[a], en->t[a]);
                    if (side) dv_buf_printf(expl, "~%.*s %.*s", (int)x->len[i], x->t[i],
                                            (int)x->len[i + 1], x->t[i + 1]);
                    else dv_buf_printf(expl, " %.*s~%.*s", (int)x->len[i + 1], x->t[i + 1],
                                       (int)y->len[j], y->t[j]);
                    dv_buf_printf(expl, " %.2f", js);
                }
                pairs++;
                break;
            }
        }
    }
    /* Words left on both sides make a different name (United Electronics
     * Trading, United Logistics Trading): the common ones among them then
     * count in full. */
    bool e_left = false, l_left = false;
    for (size_t i = 0; i < e->n; i++) e_left |= !e_used[i];
    for (size_t j = 0; j < l->n; j++) l_left |= !l_used[j];
    if (e_left && l_left) {
        for (size_t i = 0; i < e->n; i++)
            if (!e_used[i] && e->common[i]) we += e->w[i] * (1 / COMMON_FACTOR - 1);
        for (size_t j = 0; j < l->n; j++)
            if (!l_used[j] && l->common[j]) wl += l->w[j] * (1 / COMMON_FACTOR - 1);
    }
    double score = we + wl > 0 ? covered / (we + wl) : 0;
    if (short_skeleton && pairs > 1) distinctive = true;
    if (!distinctive && score > COMMON_ONLY_CAP) score = COMMON_ONLY_CAP;
    /* one side's words run together on the other (ZHONGGUO, ZHONG GUO):
     * the same letters, or the same once folded, in another number of
     * words (six letters at least: A B C is not ABC) */
    bool run_together = false;
    if (e->n != l->n && e->cat_len >= 6 && l->cat_len >= 6) {
        const char *a = e->cat, *b = l->cat;
        size_t la = e->cat_len, lb = l->cat_len;
        double c = 0;
        if (la == lb && !memcmp(a, b, la)) c = 1.0;
        else if (la <= DV_MAX_TOKEN_LEN && lb <= DV_MAX_TOKEN_LEN && e->fcat_len == l->fcat_len &&
                 !memcmp(e->fcat, l->fcat, e->fcat_len))
            c = 0.97;
        if (c > score) {
            score = c;
            run_together = true;
            if (expl) dv_buf_printf(expl, "%swords run together %s~%s %.2f", pairs ? "; " : "", a, b, c);
        }
    }
    if (expl) {
        if (!pairs && !expl->len) dv_buf_puts(expl, "no token in common");
        size_t unmatched = 0; /* none said when the words run together */
        for (size_t i = 0; i < e->n && !run_together; i++)
            if (!e_used[i]) {
                dv_buf_printf(expl, "%s%.*s", unmatched++ ? " " : "; unmatched: ", (int)e->len[i], e->t[i]);
            }
        for (size_t j = 0; j < l->n && !run_together; j++)
            if (!l_used[j]) {
                dv_buf_printf(expl, "%s%.*s", unmatched++ ? " " : "; unmatched: ", (int)l->len[j], l->t[j]);
            }
    }
    bool countries_agree = false;
    if (e_country && l_country && *e_country && *l_country) {
        if (!country_among(e_country, l_country)) {
            score *= COUNTRY_FACTOR;
            if (expl) dv_buf_printf(expl, "; countries differ (%s, %s)", e_country, l_country);
        } else {
            countries_agree = true;
            if (expl) dv_buf_printf(expl, "; country %s", e_country);
        }
    }
    score -= precision_penalties(e, l, countries_agree, e_country, l_country, expl);
    /* a person's name in parts joined by a word of descent: a part before
     * it on one side paired with a part after it on the other (Mohammed
     * bin Salem, Salem bin Mohammed) names the father as the son */
    int de = descent_at(e), dl = descent_at(l);
    if (de >= 0 && dl >= 0) {
        for (int i = 0; i < (int)e->n; i++) {
            int j = e_pair[i];
            if (j < 0 || i == de || j == dl || (i < de) == (j < dl)) continue;
            score -= DESCENT_ORDER_PENALTY;
            if (expl) dv_buf_printf(expl, "; order around %.*s differs: %.*s -%.2f", (int)e->len[de],
                                    e->t[de], (int)e->len[i], e->t[i], DESCENT_ORDER_PENALTY);
            break;
        }
    }
    /* persons written FAMILY, Given on both sides (the lists' order): a
     * family name paired with a given name of the other is another person
     * (JAMES, Thomas Edward and THOMAS, James Edward) */
    int fe = e->marks.family, fl = l->marks.family;
    if (fe && fl)
        for (int i = 0; i < (int)e->n; i++) {
            int j = e_pair[i];
            if (j < 0 || (i < fe) == (j < fl)) continue;
            score -= FAMILY_ORDER_PENALTY;
            if (expl) dv_buf_printf(expl, "; family and given names crossed: %.*s -%.2f", (int)e->len[i],
                                    e->t[i], FAMILY_ORDER_PENALTY);
            break;
        }
    /* a business word left on each side: two companies of one family
     * (Huaxia Electronics, Huaxia Logistics) */
    if (!run_together) {
        int ei = unmatched_business_word(e, e_used), li = unmatched_business_word(l, l_used);
        if (ei >= 0 && li >= 0) {
            score -= OTHER_BUSINESS_PENALTY;
            if (expl)
                dv_buf_printf(expl, "; business words differ: %.*s / %.*s -%.2f", (int)e->len[ei],
                              e->t[ei], (int)l->len[li], l->t[li], OTHER_BUSINESS_PENALTY);
        }
    }
    if (score < 0) score = 0;
    return score > 1 ? 1 : score;
}

/* Score E against L, comparing every pair of tokens. */
static double score_names(const qname *e, const qname *l, const char *e_country,
                          const char *l_country, dv_buf *expl)
{
    sim_table sim;
    for (size_t i = 0; i < e->n; i++)
        for (size_t j = 0; j < l->n; j++)
            sim[i][j] = dv_tok_sim(e->t[i], e->len[i], e->f[i], e->flen[i], l->t[j], l->len[j],
                                   l->f[j], l->flen[j]);
    return dv_score_sims(e, l, sim, e_country, l_country, expl);
}

static double screen_pair_whole(dv_screener *s, dv_namer *namer, const char *entity_name,
                                const char *entity_country, const char *list_name,
                                const char *list_country, dv_buf *expl);

double dv_screen_pair_parts(dv_screener *s, dv_namer *namer, const char *entity_name,
                            const char *entity_country, const char *list_name,
                            const char *list_country, dv_buf *expl)
{
    /* as the index does (add_name): what the list name gives in
     * parentheses is a name of its own, and so is the rest */
    const char *open = strchr(list_name, '('), *close = open ? strchr(open, ')') : NULL;
    if (!open || !close || close - open < 2 ||
        dv_name_paren_is_country(open + 1, (size_t)(close - open - 1))) {
        char *core = dv_xstrndup(list_name, dv_screen_name_core(list_name));
        double sc = screen_pair_whole(s, namer, entity_name, entity_country, core, list_country, expl);
        free(core);
        return sc;
    }
    char *inner = dv_xstrndup(open + 1, (size_t)(close - open - 1));
    dv_buf rest = {0};
    dv_buf_add(&rest, list_name, (size_t)(open - list_name));
    dv_buf_puts(&rest, close + 1);
    double a = screen_pair_whole(s, namer, entity_name, entity_country, inner, list_country, NULL);
    double b = screen_pair_whole(s, namer, entity_name, entity_country, rest.data, list_country, NULL);
    double best = a > b ? a : b;
    if (expl) screen_pair_whole(s, namer, entity_name, entity_country, a > b ? inner : rest.data,
                                list_country, expl);
    free(inner);
    dv_buf_free(&rest);
    return best;
}

static double screen_pair_whole(dv_screener *s, dv_namer *namer, const char *entity_name,
                                const char *entity_country, const char *list_name,
                                const char *list_country, dv_buf *expl)
{
    dv_buf et = {0}, ef = {0}, lt = {0}, lf = {0};
    qname e, l;
    dv_name_normalise(namer, entity_name, strlen(entity_name), &et, &ef);
    e.marks = *dv_namer_marks(namer);
    dv_name_normalise(namer, list_name, strlen(list_name), &lt, &lf);
    l.marks = *dv_namer_marks(namer);
    qname_of_tokens(s, et.data, &e);
    qname_of_tokens(s, lt.data, &l);
    double score = score_names(&e, &l, entity_country, list_country, expl);
    if (expl && (ef.len || lf.len))
        dv_buf_printf(expl, "; legal form %s / %s", ef.len ? ef.data : "none", lf.len ? lf.data : "none");
    dv_buf_free(&et);
    dv_buf_free(&ef);
    dv_buf_free(&lt);
    dv_buf_free(&lf);
    return score;
}
