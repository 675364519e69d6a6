/*
 * nameclean.c: the rules that take labels, accounts, care-of parts,
 * addresses, registry numbers, vessel details, branches and former names
 * apart from a party name (nameclean.h).
 *
 * The lexer (cleanlex.c) splits the text into tokens, each word looked
 * up once among the keywords; the rules here walk the tokens and give
 * each an owner: the name, one of its own names (aliases), or "set
 * aside". Nothing is allocated per name: the tokens live in the cleaner,
 * the names are written into its one buffer.
 *
 * Each rule asks for evidence that a part is an annotation and not a
 * piece of the name: a keyword of cleanlex.c's tables together with its
 * punctuation or its number.
 */
#include "divert/nameclean.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "divert/cleanlex.h"
#include "divert/dataset.h"

/* Roles of a token besides the owners 0 (the name) and 1.. (its aliases). */
enum { R_ASIDE = 254, R_DROP = 253 };

struct dv_cleaner {
    dv_ctoks tk;                    /* the tokens; a role is an owner (0 the name,
                                       1.. an alias) or R_ASIDE, R_DROP */
    const char *src;                /* borrowed: the text being cleaned */
    size_t src_len;
    dv_clean_part parts[DV_CLEAN_MAX_PARTS];
    uint8_t part_owner[DV_CLEAN_MAX_PARTS]; /* for an alias part: its owner */
    size_t n_parts;
    size_t n_aliases;               /* owners 1..n_aliases */
    dv_buf text;                    /* the names, NUL after each */
    size_t name_at[DV_CLEAN_MAX_NAMES], name_len[DV_CLEAN_MAX_NAMES];
    int name_part[DV_CLEAN_MAX_NAMES]; /* the part an alias comes from; -1 */
    size_t n_names;
    bool as_given;                  /* name 0 is the text itself */
};

dv_cleaner *dv_cleaner_new(void)
{
    dv_lex_init();
    return dv_xcalloc(1, sizeof(dv_cleaner));
}

void dv_cleaner_free(dv_cleaner *c)
{
    if (!c) return;
    dv_buf_free(&c->text);
    free(c);
}

/* ---- reading the tokens ---- */


static bool is_word(const dv_cleaner *c, size_t i) { return dv_tok_word(&c->tk, i); }
static bool is_mark(const dv_cleaner *c, size_t i, char m) { return dv_tok_mark(&c->tk, i, m); }

static bool has_class(const dv_cleaner *c, size_t i, enum dv_kw_class cls)
{
    return dv_tok_class(&c->tk, i, cls);
}

static size_t phrase_at(const dv_cleaner *c, size_t i, size_t end, enum dv_kw_class cls, int owner)
{
    return dv_phrase_at(&c->tk, i, end, cls, owner);
}

/* Set tokens [a, b) of owner `owner` (any, if < 0) aside as a part of
 * kind k. */
static void aside(dv_cleaner *c, size_t a, size_t b, dv_clean_kind k, int owner)
{
    if (a >= b || c->n_parts == DV_CLEAN_MAX_PARTS) return;
    size_t first = b, last = a;
    for (size_t i = a; i < b; i++) {
        if (owner >= 0 && c->tk.role[i] != owner) continue;
        if (c->tk.role[i] == R_ASIDE) continue;
        c->tk.role[i] = R_ASIDE;
        if (first == b) first = i;
        last = i;
    }
    if (first == b) return;
    /* the part as shown: without the separators that led to it */
    while (first < last && c->tk.t[first].punct && c->tk.t[first].punct != '(' && c->tk.t[first].punct != '/' &&
           c->tk.t[first].punct != ':')
        first++;
    const dv_ctok *f = &c->tk.t[first], *l = &c->tk.t[last];
    c->parts[c->n_parts] = (dv_clean_part){k, f->at, l->at + l->len - f->at};
    c->part_owner[c->n_parts] = 0;
    c->n_parts++;
}

/* Tokens [a, b) become alias number c->n_aliases + 1, of kind k; false if
 * there is no room or no word among them. */
static bool alias(dv_cleaner *c, size_t a, size_t b, dv_clean_kind k)
{
    while (a < b && c->tk.t[a].punct && c->tk.t[a].punct != '(') a++;
    while (b > a && c->tk.t[b - 1].punct && c->tk.t[b - 1].punct != ')' && c->tk.t[b - 1].punct != '.') b--;
    bool word = false;
    for (size_t i = a; i < b; i++) word |= is_word(c, i);
    if (!word || c->n_aliases + 1 >= DV_CLEAN_MAX_NAMES || c->n_parts == DV_CLEAN_MAX_PARTS)
        return false;
    uint8_t owner = (uint8_t)++c->n_aliases;
    for (size_t i = a; i < b; i++) c->tk.role[i] = owner;
    const dv_ctok *f = &c->tk.t[a], *l = &c->tk.t[b - 1];
    c->parts[c->n_parts] = (dv_clean_part){k, f->at, l->at + l->len - f->at};
    c->part_owner[c->n_parts] = owner;
    c->n_parts++;
    return true;
}

/* Whether a word of owner `owner` stands in [a, b). */
static bool word_in(const dv_cleaner *c, size_t a, size_t b, int owner)
{
    for (size_t i = a; i < b; i++)
        if (is_word(c, i) && c->tk.role[i] == owner) return true;
    return false;
}

/* ---- the rules ---- */

/* Labels, SWIFT field tags and account lines before the name; returns
 * the first token of what follows. */
static size_t leading(dv_cleaner *c)
{
    size_t p = 0;
    for (;;) {
        while (is_mark(c, p, '\n')) c->tk.role[p++] = R_DROP;
        size_t q = 0;
        dv_clean_kind kind = DV_CLEAN_LABEL;
        if (is_mark(c, p, ':') && dv_tok_swift_tag(&c->tk, c->src, p + 1) && is_mark(c, p + 2, ':')) {
            q = p + 3; /* :59: */
        } else if (dv_tok_swift_tag(&c->tk, c->src, p) && is_mark(c, p + 1, ':')) {
            q = p + 2; /* 59: */
        } else if (has_class(c, p, DV_KW_TAG_INTRO) && dv_tok_swift_tag(&c->tk, c->src, p + 1)) {
            q = p + 2; /* FIELD 59 */
            if (is_mark(c, q, ':')) q++;
        } else if (has_class(c, p, DV_KW_LABEL) || has_class(c, p, DV_KW_ACCOUNT)) {
            /* label words, then a colon: BENEFICIARY CUSTOMER: */
            size_t k = p, words = 0, content = 0;
            while (k < c->tk.n && words < 6) {
                if (is_word(c, k) && (has_class(c, k, DV_KW_LABEL) || has_class(c, k, DV_KW_LABEL_STOP) ||
                                      has_class(c, k, DV_KW_ACCOUNT))) {
                    words++;
                    content += !has_class(c, k, DV_KW_LABEL_STOP);
                    k++;
                } else if (words && (is_mark(c, k, '-') || is_mark(c, k, '/')) && is_word(c, k + 1)) {
                    k++;
                } else {
                    break;
                }
            }
            /* and a field number: BENEFICIARY (59): */
            if (is_mark(c, k, '(') && dv_tok_swift_tag(&c->tk, c->src, k + 1) && is_mark(c, k + 2, ')')) k += 3;
            if (content && (is_mark(c, k, ':') || is_mark(c, k, '\n'))) q = k + 1;
        }
        if (!q) {
            /* an account: /DE89..., ACCOUNT NO 12345, or an IBAN after a label */
            kind = DV_CLEAN_ACCOUNT;
            if (is_mark(c, p, '/') && dv_tok_numberish(&c->tk, p + 1) && !c->tk.t[p + 1].space_before) {
                q = p + 2;
            } else if (phrase_at(c, p, c->tk.n, DV_KW_ACCOUNT, -1)) {
                size_t k = phrase_at(c, p, c->tk.n, DV_KW_ACCOUNT, -1);
                while (is_mark(c, k, ':') || is_mark(c, k, '.') || is_mark(c, k, '#') ||
                       has_class(c, k, DV_KW_NUMBER_WORD))
                    k++;
                if (dv_tok_numberish(&c->tk, k) || dv_tok_iban(&c->tk, c->src, k)) q = k + 1;
            } else if (dv_tok_iban(&c->tk, c->src, p) || ((p > 0 || is_mark(c, p + 1, '\n')) && dv_tok_numberish(&c->tk, p) &&
                                      c->tk.t[p].digits >= 6)) {
                q = p + 1;
            }
            /* an IBAN or number written in groups */
            while (q && q < c->tk.n && dv_tok_numberish(&c->tk, q) && c->tk.t[q].alnum <= 4 && !is_mark(c, q - 1, '\n')) q++;
        }
        if (!q || q >= c->tk.n || !word_in(c, q, c->tk.n, 0)) return p;
        aside(c, p, q, kind, -1);
        p = q;
    }
}

static bool separator(const dv_cleaner *c, size_t i)
{
    return is_mark(c, i, ',') || is_mark(c, i, ';') || is_mark(c, i, '-') || is_mark(c, i, ':') ||
           is_mark(c, i, '/') || is_mark(c, i, '|');
}

/* A separator between parts of a text, not inside a word: a dash or a
 * slash with a space on one side at least (Al-Noor is one word). */
static bool spaced_separator(const dv_cleaner *c, size_t i)
{
    if (!separator(c, i)) return false;
    if (!is_mark(c, i, '-') && !is_mark(c, i, '/')) return true;
    return c->tk.t[i].space_before || (i + 1 < c->tk.n && c->tk.t[i + 1].space_before);
}

/* Registry evidence at token i: a registry keyword, then (after marks and
 * NO) a number. Returns the token after the number, or 0. */
static size_t registry_at(const dv_cleaner *c, size_t i, size_t end, int owner)
{
    size_t k = phrase_at(c, i, end, DV_KW_REGISTRY, owner);
    if (!k) return 0;
    while (k < end && (is_mark(c, k, ':') || is_mark(c, k, '.') || is_mark(c, k, '#') ||
                       is_mark(c, k, '-') || has_class(c, k, DV_KW_NUMBER_WORD) ||
                       phrase_at(c, k, end, DV_KW_REGISTRY, owner)))
        k = phrase_at(c, k, end, DV_KW_REGISTRY, owner) ? phrase_at(c, k, end, DV_KW_REGISTRY, owner) : k + 1;
    if (k >= end || !dv_tok_numberish(&c->tk, k) || c->tk.t[k].digits < 3) return 0;
    k++;
    /* a number in groups: 12 345 678, 1234-5678 */
    while (k < end && (dv_tok_numberish(&c->tk, k) || ((is_mark(c, k, '-') || is_mark(c, k, '/')) &&
                                           dv_tok_numberish(&c->tk, k + 1))))
        k++;
    return k;
}

/* What a segment [a, b) of the text is, if an address or a registry
 * number: a number, a street word or a post-office box. -1: neither. */
static int segment_evidence(const dv_cleaner *c, size_t a, size_t b)
{
    bool number = false, street = false;
    for (size_t k = a; k < b; k++) {
        if (registry_at(c, k, b, -1)) return DV_CLEAN_REGISTRY;
        if (!is_word(c, k)) continue;
        number |= c->tk.t[k].digits > 0;
        street |= phrase_at(c, k, b, DV_KW_STREET, -1) || phrase_at(c, k, b, DV_KW_POBOX, -1);
    }
    return number || street ? DV_CLEAN_ADDRESS : -1;
}

/* A segment that is a country's name and nothing else. */
static bool country_segment(const dv_cleaner *c, size_t a, size_t b)
{
    while (a < b && c->tk.t[a].punct) a++;
    while (b > a && c->tk.t[b - 1].punct && c->tk.t[b - 1].punct != ')') b--;
    if (a >= b) return false;
    size_t k = phrase_at(c, a, b, DV_KW_COUNTRY, -1);
    while (k && k < b && is_mark(c, k, '.')) k++;
    return k == b;
}

static size_t alias_phrase(const dv_cleaner *c, size_t i, size_t end, int owner,
                           dv_clean_kind *kind);

/* Whether the text was a message's field: a label or an account was set
 * aside before the name. */
static bool in_message(const dv_cleaner *c)
{
    for (size_t k = 0; k < c->n_parts; k++)
        if (c->parts[k].kind == DV_CLEAN_LABEL || c->parts[k].kind == DV_CLEAN_ACCOUNT) return true;
    return false;
}

/* A payment line in capitals writes the address right after the name's
 * legal form, with no comma (ARYAN PETRO TEJARAT CO. NO 14 VALIASR AVE
 * TEHRAN; OZKAN DIS TICARET A.S. ISTANBUL; KARIMI TRADING LLC - DEIRA
 * DUBAI). At token i, just after a legal form that ends a name of two
 * words or more (a dash with spaces between them counts as nothing): the
 * rest is an address when it holds a number, a street word, a
 * post-office box or a registry number, or, in a message's field, when it
 * is one to three words with no number, no other form and no word of
 * another rule (a place). Returns the token the address starts at (the
 * dash, if any), or 0. */
static size_t address_after_form(const dv_cleaner *c, size_t p, size_t i, size_t end,
                                  dv_clean_kind *kind)
{
    size_t at = i;
    if (is_mark(c, i, '-') && spaced_separator(c, i)) i++;
    /* the name goes on: another form, of, and (Commercial Bank of Syria) */
    if (i >= end || !is_word(c, i) || has_class(c, i, DV_KW_NAME_END)) return 0;
    bool number_next = has_class(c, i, DV_KW_NUMBER_WORD) && i + 1 < end && dv_tok_numberish(&c->tk, i + 1); /* NO 14 */
    if (!number_next && (has_class(c, i, DV_KW_PREP) || has_class(c, i, DV_KW_CONJ))) return 0;
    size_t last = at;
    while (last > p && is_mark(c, last - 1, '.')) last--;
    if (last <= p || !is_word(c, last - 1) || !has_class(c, last - 1, DV_KW_NAME_END) ||
        c->tk.role[last - 1] != 0)
        return 0;
    size_t before = 0;
    for (size_t m = p; m + 1 < last; m++) before += is_word(c, m) && c->tk.role[m] == 0;
    if (before < 2) return 0;
    for (size_t m = i; m < end; m++) /* not inside parentheses, not a list of names */
        if (is_mark(c, m, '(') || is_mark(c, m, ',') || is_mark(c, m, ';')) return 0;
    /* the evidence: a registry number, a street word or a post-office
     * box, or a number (not an ordinal: Group Corporation 13th Research
     * Institute) */
    *kind = DV_CLEAN_ADDRESS;
    for (size_t m = i; m < end; m++) {
        if (registry_at(c, m, end, -1)) {
            *kind = DV_CLEAN_REGISTRY;
            return at;
        }
        if ((dv_tok_numberish(&c->tk, m) && !dv_tok_ordinal(&c->tk, c->src, m)) || phrase_at(c, m, end, DV_KW_STREET, -1) ||
            phrase_at(c, m, end, DV_KW_POBOX, -1))
            return at;
    }
    /* a place alone: only in a message's field, and not after BANK, which
     * many names go on from (National Bank Pakistan) */
    const dv_ctok *f = &c->tk.t[last - 1];
    if (!in_message(c) || (f->len == 4 && !strncasecmp(c->src + f->at, "BANK", 4))) return 0;
    size_t words = 0;
    dv_clean_kind other;
    for (size_t m = i; m < end; m++) {
        if (!is_word(c, m)) continue;
        words++;
        if (c->tk.t[m].digits || has_class(c, m, DV_KW_NAME_END) ||
            phrase_at(c, m, end, DV_KW_BRANCH_BEFORE, 0) ||
            phrase_at(c, m, end, DV_KW_BRANCH_AFTER, 0) || has_class(c, m, DV_KW_BRANCH_WORD) ||
            has_class(c, m, DV_KW_BRANCH_TAIL) || has_class(c, m, DV_KW_BRANCH_WEAK) ||
            alias_phrase(c, m, end, 0, &other) || phrase_at(c, m, end, DV_KW_CARE_OF, 0))
            return 0;
    }
    return words && words <= 3 ? at : 0;
}

/* Where the name ends and what follows it is set aside: a care-of part, a
 * post-office box, an address after the legal form (address_after_form),
 * or a segment after a comma that is an address or a registry number (and
 * everything after those). Returns the new end. */
static size_t tail(dv_cleaner *c, size_t p, size_t end)
{
    int depth = 0;
    for (size_t i = p; i < end; i++) {
        if (is_mark(c, i, '(') || is_mark(c, i, '[')) depth++;
        if ((is_mark(c, i, ')') || is_mark(c, i, ']')) && depth > 0) depth--;
        if (depth || !word_in(c, p, i, 0)) continue;
        dv_clean_kind addr_kind;
        size_t addr = address_after_form(c, p, i, end, &addr_kind);
        if (addr) {
            aside(c, addr, end, addr_kind, -1);
            return addr;
        }
        size_t from = i > p && (is_mark(c, i - 1, ',') || is_mark(c, i - 1, '-')) ? i - 1 : i;
        if (phrase_at(c, i, end, DV_KW_CARE_OF, 0)) {
            aside(c, from, end, DV_CLEAN_CARE_OF, -1);
            return from;
        }
        size_t box = phrase_at(c, i, end, DV_KW_POBOX, 0);
        while (box && box < end && (is_mark(c, box, '.') || is_mark(c, box, ':') ||
                                    is_mark(c, box, '#') || has_class(c, box, DV_KW_NUMBER_WORD)))
            box++;
        if (box && dv_tok_numberish(&c->tk, box)) {
            aside(c, from, end, DV_CLEAN_ADDRESS, -1);
            return from;
        }
        if (!is_mark(c, i, ',')) continue;
        size_t j = i + 1;
        int d = 0;
        while (j < end && (d || !is_mark(c, j, ','))) {
            if (is_mark(c, j, '(')) d++;
            if (is_mark(c, j, ')') && d) d--;
            j++;
        }
        int ev = segment_evidence(c, i + 1, j);
        /* a city and a country last, after a name of two words at least
         * (a country alone after a comma is no evidence: Ministry of
         * Defence, Iran names the ministry; Smith, Georgia a person) */
        size_t before = 0;
        for (size_t m = p; m < i; m++) before += is_word(c, m) && c->tk.role[m] == 0;
        /* after a name that ends in its legal form, a place: Korvanta
         * Trading FZE, Dubai (not another form: Samsung C&T Co, Ltd; not
         * a branch or a former name, which their rules read) */
        size_t last = i;
        while (last > p && is_mark(c, last - 1, '.')) last--;
        if (ev < 0 && before >= 2 && last > p && has_class(c, last - 1, DV_KW_NAME_END)) {
            size_t words = 0;
            bool other = false;
            dv_clean_kind kind;
            for (size_t m = i + 1; m < j; m++) {
                if (!is_word(c, m)) continue;
                words++;
                other |= has_class(c, m, DV_KW_NAME_END) || phrase_at(c, m, j, DV_KW_BRANCH_BEFORE, 0) ||
                         phrase_at(c, m, j, DV_KW_BRANCH_AFTER, 0) || has_class(c, m, DV_KW_BRANCH_WORD) ||
                         has_class(c, m, DV_KW_BRANCH_TAIL) || has_class(c, m, DV_KW_BRANCH_WEAK) ||
                         alias_phrase(c, m, j, 0, &kind) ||
                         phrase_at(c, m, j, DV_KW_CARE_OF, 0);
            }
            if (words && words <= 4 && !other) ev = DV_CLEAN_ADDRESS;
        }
        if (ev < 0 && before >= 2 && j < end) {
            /* a city, then the country last: , Dubai, UAE */
            size_t k = j + 1;
            while (k < end && !is_mark(c, k, ',')) k++;
            size_t words = 0;
            bool name_end = false;
            for (size_t m = i + 1; m < j; m++) {
                words += is_word(c, m);
                name_end |= has_class(c, m, DV_KW_NAME_END);
            }
            if (k == end && words && words <= 3 && !name_end && country_segment(c, j + 1, end))
                ev = DV_CLEAN_ADDRESS;
        }
        if (ev >= 0) {
            aside(c, i, end, (dv_clean_kind)ev, -1);
            return i;
        }
    }
    return end;
}

/* An alias phrase at token i (former, other or trading name): its end,
 * and the kind in *kind; 0 if none. */
static size_t alias_phrase(const dv_cleaner *c, size_t i, size_t end, int owner, dv_clean_kind *kind)
{
    size_t k;
    if ((k = phrase_at(c, i, end, DV_KW_FORMER, owner))) *kind = DV_CLEAN_FORMER;
    else if ((k = phrase_at(c, i, end, DV_KW_AKA, owner))) *kind = DV_CLEAN_AKA;
    else if ((k = phrase_at(c, i, end, DV_KW_TRADING_AS, owner))) *kind = DV_CLEAN_TRADING_AS;
    else if ((k = phrase_at(c, i, end, DV_KW_LATER, owner))) *kind = DV_CLEAN_LATER;
    /* già, dříve, antes alone: only in lower case, in a text that is not
     * all lower case */
    if (k == i + 1 && has_class(c, i, DV_KW_LOWER_ONLY)) {
        bool other_case = false;
        for (size_t m = 0; m < i && !other_case; m++) other_case = is_word(c, m) && !c->tk.t[m].lower;
        if (!c->tk.t[i].lower || !other_case) return 0;
    }
    return k;
}

/* Tokens [a, b) after an alias keyword: one alias of kind k, or several
 * when they list several names: split at a semicolon, and at a comma or
 * an "and" (y, und, et ...) that follows a legal form and comes before
 * two words or more, with two words or more before it (formerly Alpha
 * Trading LLC, Beta Metals AB); a piece may open with its own keyword
 * (ex-A; ex-B). False if no alias was made. */
static bool aliases(dv_cleaner *c, size_t a, size_t b, dv_clean_kind k)
{
    bool made = false;
    while (a < b) {
        size_t e = a;
        int depth = 0;
        for (; e < b; e++) {
            if (is_mark(c, e, '(')) depth++;
            if (is_mark(c, e, ')') && depth) depth--;
            if (depth || e == a) continue;
            if (is_mark(c, e, ';')) break;
            if (!is_mark(c, e, ',') && !has_class(c, e, DV_KW_CONJ)) continue;
            size_t last = e;
            while (last > a && is_mark(c, last - 1, '.')) last--;
            if (last == a || !has_class(c, last - 1, DV_KW_NAME_END)) continue;
            size_t before = 0, words = 0;
            for (size_t m = a; m < e; m++) before += is_word(c, m);
            for (size_t m = e + 1; m < b && !is_mark(c, m, ';') && !is_mark(c, m, ','); m++)
                words += is_word(c, m);
            if (before >= 2 && words >= 2) break;
        }
        made |= alias(c, a, e, k);
        if (e >= b) break;
        c->tk.role[e] = R_DROP;
        a = e + 1;
        /* ex-B, formerly B: the piece's own keyword */
        dv_clean_kind own;
        size_t q = alias_phrase(c, a, b, 0, &own);
        if (q) {
            for (size_t m = a; m < q; m++) c->tk.role[m] = R_DROP;
            k = own, a = q;
            while (a < b && (is_mark(c, a, '-') || is_mark(c, a, ':') || is_mark(c, a, '.')))
                c->tk.role[a++] = R_DROP;
        }
    }
    return made;
}

/* Whether the content [a, b) of parentheses says something about a
 * vessel: a voyage number, a flag, an IMO or MMSI number. */
static bool vessel_content(const dv_cleaner *c, size_t a, size_t b)
{
    for (size_t k = a; k < b; k++) {
        if (phrase_at(c, k, b, DV_KW_FLAG, -1)) return true;
        if (phrase_at(c, k, b, DV_KW_VESSEL_ID, -1)) {
            size_t m = phrase_at(c, k, b, DV_KW_VESSEL_ID, -1);
            while (m < b && (is_mark(c, m, ':') || is_mark(c, m, '.') || is_mark(c, m, '#') ||
                             has_class(c, m, DV_KW_NUMBER_WORD)))
                m++;
            if (dv_tok_numberish(&c->tk, m)) return true;
        }
    }
    size_t k = phrase_at(c, a, b, DV_KW_VOYAGE, -1);
    if (k) {
        while (k < b && (is_mark(c, k, '.') || is_mark(c, k, ':') || is_mark(c, k, '#') ||
                         has_class(c, k, DV_KW_NUMBER_WORD)))
            k++;
        return dv_tok_voyage_number(&c->tk, k);
    }
    /* V123E */
    if (is_word(c, a) && c->src[c->tk.t[a].at] == 'V' && c->tk.t[a].len >= 3 && c->tk.t[a].digits &&
        c->tk.t[a].alnum == c->tk.t[a].len && c->tk.t[a].len - c->tk.t[a].digits <= 2 && a + 1 == b)
        return true;
    return false;
}

/* Parentheses at depth 0 in [p, end): a former, other or trading name
 * becomes an alias; a branch, a vessel's details, a registry number, an
 * address or a label is set aside; anything else stays (a list name's
 * "A (B)" is two names, screen_index.c). */
static void parentheses(dv_cleaner *c, size_t p, size_t end)
{
    for (size_t i = p; i < end; i++) {
        if (c->tk.role[i] != 0 || !(is_mark(c, i, '(') || is_mark(c, i, '['))) continue;
        char close = is_mark(c, i, '(') ? ')' : ']';
        size_t j = i + 1;
        int d = 0;
        while (j < end && (d || !is_mark(c, j, close))) {
            if (is_mark(c, j, c->tk.t[i].punct)) d++;
            if (is_mark(c, j, close) && d) d--;
            j++;
        }
        if (j >= end) return; /* not closed */
        size_t a = i + 1, b = j;
        dv_clean_kind kind;
        size_t k = alias_phrase(c, a, b, 0, &kind);
        /* (ANTES MINERA DEL SUR S.A.), (GIÀ ...), (FOSTĂ ...): a word that
         * is also a word of names says "formerly" in capitals too when it
         * opens the parentheses and a name with its legal form follows
         * (Hanoi (Gia Lam) Trading Co keeps its parentheses) */
        if (!k && has_class(c, a, DV_KW_LOWER_ONLY) && phrase_at(c, a, b, DV_KW_FORMER, 0) == a + 1) {
            size_t last = b;
            while (last > a + 1 && !is_word(c, last - 1)) last--;
            if (last > a + 2 && has_class(c, last - 1, DV_KW_NAME_END)) k = a + 1, kind = DV_CLEAN_FORMER;
        }
        bool label = word_in(c, a, b, 0);
        for (size_t m = a; m < b && label; m++)
            label = !is_word(c, m) || has_class(c, m, DV_KW_LABEL) || has_class(c, m, DV_KW_LABEL_STOP);
        bool branch = false, street = false;
        for (size_t m = a; m < b; m++) {
            branch |= phrase_at(c, m, b, DV_KW_BRANCH_BEFORE, 0) || phrase_at(c, m, b, DV_KW_BRANCH_AFTER, 0) ||
                      phrase_at(c, m, b, DV_KW_BRANCH_WORD, 0) || has_class(c, m, DV_KW_BRANCH_TAIL);
            street |= phrase_at(c, m, b, DV_KW_STREET, 0) || phrase_at(c, m, b, DV_KW_POBOX, 0);
        }
        /* (Agencia Centro): an agency word first, a word to three after */
        size_t words = 0;
        for (size_t m = a + 1; m < b; m++) words += is_word(c, m);
        branch |= has_class(c, a, DV_KW_BRANCH_WEAK) && words >= 1 && words <= 3;
        if (k && word_in(c, p, i, 0) && aliases(c, k, b, kind)) {
            for (size_t m = i; m < k; m++) c->tk.role[m] = R_DROP;
            c->tk.role[j] = R_DROP;
        } else if (branch && word_in(c, p, i, 0)) {
            aside(c, i, j + 1, DV_CLEAN_BRANCH, 0);
        } else if (vessel_content(c, a, b)) {
            aside(c, i, j + 1, DV_CLEAN_VESSEL, 0);
        } else if (registry_at(c, a, b, 0) || (street && word_in(c, p, i, 0))) {
            aside(c, i, j + 1, street ? DV_CLEAN_ADDRESS : DV_CLEAN_REGISTRY, 0);
        } else if (label && word_in(c, p, i, 0)) {
            aside(c, i, j + 1, DV_CLEAN_LABEL, 0);
        }
        i = j;
    }
}

/* Former, other and trading names written inline at depth 0: NEW f/k/a
 * OLD, NEW, formerly OLD, NEW ex OLD. The alias runs to a semicolon, the
 * next such phrase, or the end. */
static void inline_aliases(dv_cleaner *c, size_t p, size_t end)
{
    int depth = 0;
    for (size_t i = p; i < end; i++) {
        if (is_mark(c, i, '(')) depth++;
        if (is_mark(c, i, ')') && depth) depth--;
        if (depth || c->tk.role[i] != 0 || !word_in(c, p, i, 0)) continue;
        dv_clean_kind kind;
        size_t k = alias_phrase(c, i, end, 0, &kind);
        if (!k) continue;
        bool sep_before = i > p && (separator(c, i - 1) && c->tk.t[i - 1].punct != '/');
        if (k == i + 1 && has_class(c, i, DV_KW_WEAK)) {
            /* EX, NOW ...: only as ex-, ex., in lower case, after a
             * separator, or (EX) in capitals after two words */
            bool marked = (is_mark(c, k, '-') || is_mark(c, k, '.') || is_mark(c, k, ':')) &&
                          !c->tk.t[k].space_before;
            size_t words = 0;
            for (size_t m = p; m < i; m++) words += is_word(c, m) && c->tk.role[m] == 0;
            size_t after = 0;
            for (size_t m = k; m < end && after < 2; m++) after += is_word(c, m) && c->tk.role[m] == 0;
            bool capitals = kind == DV_CLEAN_FORMER && c->tk.t[i].len == 2 && words >= 2 && after >= 2 &&
                            !has_class(c, k, DV_KW_NAME_END);
            if (!marked && !c->tk.t[i].lower && !sep_before && !capitals) continue;
        }
        if (!is_word(c, k) && !(is_mark(c, k, '-') || is_mark(c, k, ':') || is_mark(c, k, '.') ||
                                is_mark(c, k, '"')))
            continue;
        size_t j = k;
        while (j < end && !is_mark(c, j, ';')) {
            dv_clean_kind other;
            if (j > k + 1 && c->tk.role[j] == 0 && alias_phrase(c, j, end, 0, &other) &&
                (!has_class(c, j, DV_KW_WEAK) || c->tk.t[j].lower)) break;
            j++;
        }
        size_t from = sep_before ? i - 1 : i;
        /* the alias takes only what is still the name's */
        size_t b = k;
        while (b < j && c->tk.role[b] == 0) b++;
        if (!aliases(c, k, b, kind)) continue;
        for (size_t m = from; m < k; m++) c->tk.role[m] = R_DROP;
        i = b - 1;
    }
}

/* The tokens of owner o, in order: into idx, returns how many. */
static size_t owned(const dv_cleaner *c, int o, uint16_t *idx)
{
    size_t m = 0;
    for (size_t i = 0; i < c->tk.n; i++)
        if (c->tk.role[i] == o) idx[m++] = (uint16_t)i;
    return m;
}

/* Registry numbers, a vessel's details and branches inside the name or
 * one alias (owner o). */
static void inside(dv_cleaner *c, int o)
{
    uint16_t idx[DV_MAX_CTOKS];
    size_t m = owned(c, o, idx);
    if (!m) return;
    size_t first_word = 0;
    while (first_word < m && !is_word(c, idx[first_word])) first_word++;
    size_t span_end = idx[m - 1] + 1;
    for (size_t x = first_word + 1; x < m; x++) {
        size_t i = idx[x];
        if (c->tk.role[i] != o || !word_in(c, idx[0], i, o)) continue;
        size_t from = separator(c, i - 1) && c->tk.role[i - 1] == o ? i - 1 : i;
        size_t k;
        if ((k = registry_at(c, i, span_end, o))) {
            aside(c, from, k, DV_CLEAN_REGISTRY, o);
            continue;
        }
        if ((k = phrase_at(c, i, span_end, DV_KW_VESSEL_ID, o))) {
            while (k < span_end && (is_mark(c, k, ':') || is_mark(c, k, '.') || is_mark(c, k, '#') ||
                                    has_class(c, k, DV_KW_NUMBER_WORD)))
                k++;
            if (dv_tok_numberish(&c->tk, k)) aside(c, from, k + 1, DV_CLEAN_VESSEL, o);
            continue;
        }
        if ((k = phrase_at(c, i, span_end, DV_KW_VOYAGE, o)) && c->tk.t[i].len >= 1) {
            bool marked = k > i + 1 || (is_mark(c, k, '.') && !c->tk.t[k].space_before);
            while (k < span_end && (is_mark(c, k, '.') || is_mark(c, k, ':') || is_mark(c, k, '#') ||
                                    has_class(c, k, DV_KW_NUMBER_WORD)))
                k++;
            if ((marked || c->tk.t[i].len > 1) && dv_tok_voyage_number(&c->tk, k)) {
                aside(c, from, k + 1, DV_CLEAN_VESSEL, o);
                continue;
            }
        }
        if ((k = phrase_at(c, i, span_end, DV_KW_FLAG, o))) {
            if (is_mark(c, k, ':') || has_class(c, i, DV_KW_FLAG)) {
                /* FLAG: PANAMA, to the end of the segment; PANAMA FLAG(GED) */
                if (is_mark(c, k, ':') || (k < span_end && has_class(c, k, DV_KW_COUNTRY))) {
                    size_t e = k + 1;
                    while (e < span_end && !is_mark(c, e, ',') && !is_mark(c, e, ';')) e++;
                    aside(c, from, e, DV_CLEAN_VESSEL, o);
                } else if (x >= 2 && is_word(c, i - 1) && has_class(c, i - 1, DV_KW_COUNTRY)) {
                    aside(c, i - 1, k, DV_CLEAN_VESSEL, o);
                } else if (x >= 3 && is_mark(c, i - 1, '-') && has_class(c, i - 2, DV_KW_COUNTRY)) {
                    aside(c, i - 2, k, DV_CLEAN_VESSEL, o);
                }
            }
            continue;
        }
        if (has_class(c, i, DV_KW_BRANCH_TAIL)) {
            aside(c, i, i + 1, DV_CLEAN_BRANCH, o);
            continue;
        }
        if ((k = phrase_at(c, i, span_end, DV_KW_BRANCH_WORD, o))) {
            /* İstanbul Şubesi, Suomen sivuliike, Magyarországi Fióktelepe:
             * the word before is the place, with the separator before it;
             * after a legal form (Kft. Fióktelepe) the word alone */
            size_t before = x >= 2 ? idx[x - 1] : 0;
            bool dot = before && is_mark(c, before, '.');
            size_t w = dot && x >= 3 ? idx[x - 2] : before;
            if (w && is_word(c, w) && has_class(c, w, DV_KW_NAME_END)) {
                aside(c, i, k, DV_CLEAN_BRANCH, o);
            } else if (x >= 2 && is_word(c, i - 1) && c->tk.role[i - 1] == o &&
                       word_in(c, idx[0], i - 1, o)) {
                size_t a = i - 1;
                if (spaced_separator(c, a - 1) && c->tk.role[a - 1] == o && word_in(c, idx[0], a - 1, o))
                    a--;
                aside(c, a, k, DV_CLEAN_BRANCH, o);
            }
            continue;
        }
        if ((k = phrase_at(c, i, span_end, DV_KW_BRANCH_AFTER, o))) {
            /* NAME, filial af HEAD OFFICE A/S (the Nordic registers' names
             * of branches): the head office is the name */
            size_t h = k;
            static const char *const in[] = {"IN", "EN", "I", "W", "V", "ZU", "EM", "NA", "NO"};
            bool of = has_class(c, h, DV_KW_PREP); /* of, af, av, de: not in, i, w */
            for (size_t y = 0; of && y < sizeof in / sizeof in[0]; y++) of = !dv_tok_is(&c->tk, h, in[y]);
            if (spaced_separator(c, from) && of) {
                bool form_after = false;
                for (size_t y = h + 1; y < span_end; y++) form_after |= has_class(c, y, DV_KW_NAME_END);
                if (form_after && word_in(c, h + 1, span_end, o)) {
                    aside(c, idx[0], h + 1, DV_CLEAN_BRANCH, o);
                    break;
                }
            }
            /* Zweigniederlassung Hamburg, Sucursal en España: to the end */
            if (word_in(c, idx[0], from, o)) aside(c, from, span_end, DV_CLEAN_BRANCH, o);
            break;
        }
        if ((k = phrase_at(c, i, span_end, DV_KW_BRANCH_WEAK, o))) {
            /* BANCO X S.A., Agencia Centro; BNP Paribas SA Agence Lyon: only
             * after a separator or a legal form, with a word or three
             * after it to the end of its segment */
            size_t before = idx[x - 1];
            bool dot = is_mark(c, before, '.');
            size_t w = dot && x >= 2 ? idx[x - 2] : before;
            size_t e = k, words = 0;
            while (e < span_end && !is_mark(c, e, ',') && !is_mark(c, e, ';') && !is_mark(c, e, '('))
                words += is_word(c, e++);
            if ((spaced_separator(c, before) || has_class(c, w, DV_KW_NAME_END)) && words >= 1 &&
                words <= 3 && word_in(c, idx[0], from, o)) {
                aside(c, spaced_separator(c, before) ? before : i, e, DV_CLEAN_BRANCH, o);
                break;
            }
            continue;
        }
        if ((k = phrase_at(c, i, span_end, DV_KW_BRANCH_BEFORE, o))) {
            /* Dubai Branch of NAME: what comes before goes, when no word
             * that ends a company's name stands before it */
            bool name_before = false;
            for (size_t y = 0; y < x; y++) name_before |= has_class(c, idx[y], DV_KW_NAME_END);
            if (dv_tok_is(&c->tk, k, "OF") && x <= 4 && !name_before &&
                word_in(c, k + 1, span_end, o)) {
                aside(c, idx[0], k + 1, DV_CLEAN_BRANCH, o);
                continue;
            }
            /* the place before: from the last separator, else after the
             * word that ends a company's name (within three words) */
            size_t start = 0;
            bool found = false;
            for (size_t y = x; y-- > first_word + 1 && !found;)
                if (spaced_separator(c, idx[y]) && word_in(c, idx[0], idx[y], o))
                    start = idx[y], found = true;
            for (size_t y = x, words = 0; !found && y-- > first_word && words <= 3;) {
                if (has_class(c, idx[y], DV_KW_NAME_END)) start = idx[y] + 1, found = true;
                words += is_word(c, idx[y]);
            }
            if (!found) {
                /* BRANCH last after three words or more: the word alone
                 * (Olive Branch, Green Olive Branch stay) */
                size_t words = 0;
                for (size_t y = 0; y < x; y++) words += is_word(c, idx[y]);
                if (words >= 3 && !word_in(c, k, span_end, o)) aside(c, i, k, DV_CLEAN_BRANCH, o);
                continue;
            }
            size_t e = k;
            while (e < span_end && !is_mark(c, e, ',') && !is_mark(c, e, ';') && !is_mark(c, e, '('))
                e++;
            if (word_in(c, idx[0], start, o)) aside(c, start, e, DV_CLEAN_BRANCH, o);
            continue;
        }
    }
    /* a branch word first: Sucursal de NAME, Filiale der NAME, Branch of
     * NAME, Representative Office of NAME */
    size_t k = 0;
    if (first_word + 1 < m && c->tk.role[idx[first_word]] == o) {
        /* Филиал NAME, فرع NAME: the head office after without a
         * preposition (in the genitive) */
        k = phrase_at(c, idx[first_word], span_end, DV_KW_BRANCH_LEAD, o);
    }
    if (!k && first_word + 2 < m && c->tk.role[idx[first_word]] == o) {
        k = phrase_at(c, idx[first_word], span_end, DV_KW_BRANCH_AFTER, o);
        k = k && has_class(c, k, DV_KW_PREP) ? k + 1 : 0;
        if (!k && (k = phrase_at(c, idx[first_word], span_end, DV_KW_BRANCH_BEFORE, o)))
            k = has_class(c, k, DV_KW_PREP) ? k + 1 : 0;
    }
    if (k && word_in(c, k, span_end, o)) aside(c, idx[first_word], k, DV_CLEAN_BRANCH, o);
    /* a vessel prefix, M/V EVER GIVEN: written with its slash or dots, or
     * MV, MT when the text says more of a vessel */
    bool vessel = false;
    for (size_t pi = 0; pi < c->n_parts; pi++) vessel |= c->parts[pi].kind == DV_CLEAN_VESSEL;
    size_t f = first_word < m ? idx[first_word] : 0;
    if (first_word < m && c->tk.role[f] == o && has_class(c, f, DV_KW_VESSEL_PREFIX) &&
        (c->tk.t[f].joined || vessel) && word_in(c, f + 1, span_end, o))
        aside(c, f, f + 1, DV_CLEAN_VESSEL, o);
}

/* Write owner o's tokens as a name: each run of its tokens as written,
 * runs joined by a space, marks at either end dropped. Returns whether it
 * holds a word. */
static bool write_name(dv_cleaner *c, int o)
{
    size_t a = 0, b = c->tk.n;
    while (a < b && (c->tk.role[a] != o || (c->tk.t[a].punct && c->tk.t[a].punct != '('))) a++;
    while (b > a && (c->tk.role[b - 1] != o ||
                     (c->tk.t[b - 1].punct && c->tk.t[b - 1].punct != ')' && c->tk.t[b - 1].punct != '.' &&
                      c->tk.t[b - 1].punct != ']')))
        b--;
    if (!word_in(c, a, b, o)) return false;
    size_t start = c->text.len;
    for (size_t i = a; i < b;) {
        if (c->tk.role[i] != o) {
            i++;
            continue;
        }
        size_t j = i;
        while (j + 1 < b && c->tk.role[j + 1] == o && !is_mark(c, j + 1, '\n')) j++;
        if (c->text.len > start) dv_buf_add(&c->text, " ", 1);
        const dv_ctok *l = &c->tk.t[j];
        if (!is_mark(c, i, '\n'))
            dv_buf_add(&c->text, c->src + c->tk.t[i].at, l->at + l->len - c->tk.t[i].at);
        i = j + 1;
    }
    size_t len = c->text.len - start;
    dv_buf_add(&c->text, "", 1);  /* the NUL after it */
    c->text.len = start + len + 1;
    c->name_at[c->n_names] = start;
    c->name_len[c->n_names] = len;
    c->n_names++;
    return true;
}

/* The classes whose phrases start a rule by themselves, without a mark
 * or a number beside them. */
#define RULE_CLASSES                                                                          \
    ((1u << DV_KW_CARE_OF) | (1u << DV_KW_POBOX) | (1u << DV_KW_FORMER) | (1u << DV_KW_AKA) |                 \
     (1u << DV_KW_TRADING_AS) | (1u << DV_KW_LATER) | (1u << DV_KW_BRANCH_BEFORE) | (1u << DV_KW_BRANCH_AFTER) | \
     (1u << DV_KW_BRANCH_WORD) | (1u << DV_KW_BRANCH_TAIL) | (1u << DV_KW_FLAG) | (1u << DV_KW_VESSEL_PREFIX) | \
     (1u << DV_KW_BRANCH_WEAK))

/* Whether a phrase of RULE_CLASSES starts at word i. */
static bool starts_rule(const dv_cleaner *c, size_t i)
{
    return dv_phrase_starts(&c->tk, i, RULE_CLASSES);
}

static size_t as_given(dv_cleaner *c)
{
    c->as_given = true;
    c->n_parts = 0;
    c->n_aliases = 0;
    c->n_names = 1;
    c->name_len[0] = c->src_len;
    c->name_part[0] = -1;
    return 1;
}

size_t dv_name_clean(dv_cleaner *c, const char *name, size_t len)
{
    c->src = name;
    c->src_len = len;
    c->n_parts = 0;
    c->n_aliases = 0;
    c->n_names = 0;
    c->text.len = 0;
    c->as_given = false;
    if (!dv_lex(&c->tk, (const unsigned char *)name, len) || !c->tk.n) return as_given(c);
    /* the usual name: no mark but those inside names, no number, no word
     * that starts a rule (LLC, TRADING without AS are words of names) */
    bool plain = true;
    for (size_t i = 0; i < c->tk.n && plain; i++) {
        const dv_ctok *t = &c->tk.t[i];
        if (t->punct) plain = t->punct == '.' || t->punct == '&' || t->punct == '\'' ||
                              t->punct == '"' || t->punct == '-' || t->punct == ';';
        else if (t->digits) plain = false;
        else if (t->kw != DV_NO_KW && has_class(c, i, DV_KW_LOWER_ONLY) && !t->lower)
            plain = phrase_at(c, i, c->tk.n, DV_KW_FORMER, -1) <= i + 1; /* Gia Lai, Già Denominata */
        else if (t->kw != DV_NO_KW) plain = !starts_rule(c, i);
    }
    if (plain) return as_given(c);
    memset(c->tk.role, 0, c->tk.n);
    size_t p = leading(c);
    size_t end = c->tk.n;
    /* a name and its address on lines of their own (a message's field):
     * the name's lines, the rest set aside; a line of 33 characters or
     * more (a 4*35x field's) goes on on the next unless that is an
     * address */
    for (size_t i = p; i < end; i++) {
        if (!is_mark(c, i, '\n') || !word_in(c, p, i, 0)) continue;
        size_t line_start = p;
        for (size_t k = i; k-- > p;)
            if (is_mark(c, k, '\n')) {
                line_start = k + 1;
                break;
            }
        size_t next = i + 1;
        while (next < end && !is_mark(c, next, '\n')) next++;
        size_t line_len = c->tk.t[i - 1].at + c->tk.t[i - 1].len - c->tk.t[line_start].at;
        if (line_len >= 33 && segment_evidence(c, i + 1, next) < 0 && word_in(c, i + 1, next, 0)) {
            c->tk.role[i] = R_DROP;
            continue;
        }
        aside(c, i, end, DV_CLEAN_ADDRESS, -1);
        end = i;
        break;
    }
    end = tail(c, p, end);
    parentheses(c, p, end);
    inline_aliases(c, p, end);
    for (size_t o = 0; o <= c->n_aliases; o++) inside(c, (int)o);
    if (!c->n_parts) return as_given(c);
    /* the parts in the order of the text (insertion: a handful) */
    for (size_t i = 1; i < c->n_parts; i++)
        for (size_t j = i; j > 0 && c->parts[j - 1].at > c->parts[j].at; j--) {
            dv_clean_part t = c->parts[j];
            c->parts[j] = c->parts[j - 1], c->parts[j - 1] = t;
            uint8_t o = c->part_owner[j];
            c->part_owner[j] = c->part_owner[j - 1], c->part_owner[j - 1] = o;
        }
    if (!write_name(c, 0)) return as_given(c);
    c->name_part[0] = -1;
    for (size_t pi = 0; pi < c->n_parts; pi++) {
        if (!c->part_owner[pi] || c->n_names == DV_CLEAN_MAX_NAMES) continue;
        c->name_part[c->n_names] = (int)pi;
        if (!write_name(c, c->part_owner[pi])) c->part_owner[pi] = 0;
    }
    return c->n_names;
}

const char *dv_clean_name(const dv_cleaner *c, size_t i, size_t *len)
{
    if (c->as_given) {
        if (len) *len = c->src_len;
        return c->src;
    }
    if (len) *len = c->name_len[i];
    return c->text.data + c->name_at[i];
}

size_t dv_clean_parts(const dv_cleaner *c, const dv_clean_part **parts)
{
    *parts = c->parts;
    return c->n_parts;
}

bool dv_clean_found(const dv_cleaner *c, dv_clean_kind kind)
{
    for (size_t i = 0; i < c->n_parts; i++)
        if (c->parts[i].kind == kind) return true;
    return false;
}

/* The words of each kind in the explanation. */
static const char *const kind_words[DV_CLEAN_KINDS] = {
    [DV_CLEAN_LABEL] = "label",
    [DV_CLEAN_ACCOUNT] = "account",
    [DV_CLEAN_CARE_OF] = "care-of",
    [DV_CLEAN_ADDRESS] = "address",
    [DV_CLEAN_REGISTRY] = "registry number",
    [DV_CLEAN_VESSEL] = "vessel detail",
    [DV_CLEAN_BRANCH] = "branch",
    [DV_CLEAN_FORMER] = "former name",
    [DV_CLEAN_AKA] = "other name",
    [DV_CLEAN_TRADING_AS] = "trading name",
    [DV_CLEAN_LATER] = "later name",
};
_Static_assert(sizeof kind_words / sizeof kind_words[0] == DV_CLEAN_KINDS, "a word for each kind");

enum { QUOTE_MAX = 60 };

/* text[0..len) quoted: line breaks and tabs as spaces, cut at QUOTE_MAX
 * bytes on a character's boundary, invalid UTF-8 replaced */
static void quote(dv_buf *out, const char *text, size_t len)
{
    char buf[QUOTE_MAX + 8];
    size_t n = 0;
    bool cut = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char b = (unsigned char)text[i];
        if (n >= QUOTE_MAX && (b & 0xC0) != 0x80) {
            cut = true;
            break;
        }
        if (n >= sizeof buf - 1) break;
        buf[n++] = b < 0x20 || b == 0x7F ? ' ' : (char)b;
    }
    dv_buf_add(out, "\"", 1);
    dv_utf8_sanitize(buf, n, out);
    dv_buf_puts(out, cut ? "...\"" : "\"");
}

void dv_clean_explain(const dv_cleaner *c, const char *name, size_t used, dv_buf *out)
{
    if (c->as_given) return;
    int used_part = used > 0 && used < c->n_names ? c->name_part[used] : -1;
    size_t said = 0;
    for (size_t i = 0; i < c->n_parts; i++) {
        const dv_clean_part *p = &c->parts[i];
        bool is_alias = p->kind >= DV_CLEAN_FORMER;
        if (is_alias && !c->part_owner[i]) continue; /* it held no name */
        dv_buf_printf(out, "%s%s ", said++ ? ", " : "", kind_words[p->kind]);
        quote(out, name + p->at, p->len);
        if (!is_alias) dv_buf_puts(out, " set aside");
        else dv_buf_puts(out, (int)i == used_part ? " as an alias (scored)" : " as an alias");
    }
}
