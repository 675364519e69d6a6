/*
 * cleanlex.h: the lexer of name cleaning and its keyword tables
 * (cleanlex.c), for nameclean.c alone. A text is split into tokens,
 * words and marks, each word looked up once in a hash table of the
 * keywords the cleaning rules read (labels, registry keywords, branch
 * words, former-name phrases ...), phrases of several words included.
 * The tables are made once a process (dv_lex_init); after that they are
 * read only, and lexing is safe from several threads, each with its own
 * token list.
 */
#ifndef DIVERT_CLEANLEX_H
#define DIVERT_CLEANLEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { DV_MAX_CTOKS = 256, DV_NO_KW = 0xFFFF };

/* Classes of keywords. */
enum dv_kw_class {
    DV_KW_LABEL,          /* a word of a party label */
    DV_KW_LABEL_STOP,     /* AND, OF, THE ...: in a label, not one by itself */
    DV_KW_TAG_INTRO,      /* FIELD, TAG: before a SWIFT field number */
    DV_KW_ACCOUNT,        /* ACCOUNT, A/C, IBAN */
    DV_KW_NUMBER_WORD,    /* NO, NUMBER, NR: between a keyword and its number */
    DV_KW_CARE_OF,
    DV_KW_POBOX,
    DV_KW_STREET,
    DV_KW_REGISTRY,
    DV_KW_FORMER,
    DV_KW_AKA,
    DV_KW_TRADING_AS,
    DV_KW_LATER,          /* now, renamed: the name it has since */
    DV_KW_WEAK,           /* EX, NOW ...: a keyword inline only when marked */
    DV_KW_BRANCH_TAIL,    /* a word of Chinese, Japanese or Korean ending in a
                         branch word (上海分公司, 뉴욕지점): the branch */
    DV_KW_BRANCH_BEFORE,  /* the place before the word: Mombasa Branch */
    DV_KW_BRANCH_AFTER,   /* the place after it: Zweigniederlassung Hamburg */
    DV_KW_BRANCH_WORD,    /* a word only a branch is: the place is the word before
                         (İstanbul Şubesi) */
    DV_KW_PREP,           /* OF, DE, DER ...: Branch of, Sucursal de */
    DV_KW_VESSEL_PREFIX,  /* M/V, M/T */
    DV_KW_VOYAGE,         /* V, VOY, VOYAGE: before a voyage number */
    DV_KW_VESSEL_ID,      /* IMO, MMSI */
    DV_KW_FLAG,
    DV_KW_NAME_END,       /* a word that ends a company name: LTD, GMBH, BANK */
    DV_KW_COUNTRY,
    DV_KW_BRANCH_WEAK,    /* AGENCE, AGENCIA ...: a bank's branch, but also a word of
                             names (Agence France-Presse): a branch only after a
                             separator or a legal form, or first in parentheses */
    DV_KW_BRANCH_LEAD,    /* ФИЛИАЛ, فرع ...: a branch word a name may open with,
                             its head office after it without a preposition */
    DV_KW_CONJ,           /* AND, Y, UND ...: between two former names */
    DV_KW_LOWER_ONLY,     /* già, dříve, antes ...: an alias keyword alone only
                             when written in lower case (Gia Lai, Drive) */
    DV_KW_CLASSES
};
_Static_assert(DV_KW_CLASSES <= 32, "a word's classes are bits of 32");

/* A token: a word or a mark. */
typedef struct dv_ctok {
    uint32_t at, len;               /* bytes of the text */
    uint16_t kw;                    /* keyword id, DV_NO_KW if none */
    char punct;                     /* 0: a word; else the mark ('-' for dashes) */
    bool joined;                    /* single letters joined by '.' or '/' (P.O., C/O) */
    bool lower;                     /* written in lower case */
    bool space_before;
    uint8_t digits;                 /* how many digits the word has (at most 255) */
    uint8_t alnum;                  /* how many letters and digits (at most 255) */
} dv_ctok;

/* The tokens of one text, and the owner the rules give each: the lexer
 * fills t and n; role is the rules' (0 the name, 1.. an alias, or a mark
 * of their own), read by dv_phrase_at to keep a phrase within one owner. */
typedef struct dv_ctoks {
    dv_ctok t[DV_MAX_CTOKS];
    uint8_t role[DV_MAX_CTOKS];
    size_t n;
} dv_ctoks;

/* For each keyword id, the classes for which the word alone is a phrase
 * (bit 1 << class). Valid after dv_lex_init. */
extern const uint32_t *const dv_kw_single;

/* Make the tables, once a process (any thread; later calls return). */
void dv_lex_init(void);

/* s[0..len) into tk's tokens; false when it has more than DV_MAX_CTOKS. */
bool dv_lex(dv_ctoks *tk, const unsigned char *s, size_t len);

static inline bool dv_tok_word(const dv_ctoks *tk, size_t i) { return i < tk->n && !tk->t[i].punct; }

static inline bool dv_tok_mark(const dv_ctoks *tk, size_t i, char m)
{
    return i < tk->n && tk->t[i].punct == m;
}

/* The shapes of words the rules read (s: the text lexed). A number: all
 * digits, or digits and capitals with at least as many digits (an
 * account or registry number, a postcode). */
static inline bool dv_tok_numberish(const dv_ctoks *tk, size_t i)
{
    return dv_tok_word(tk, i) && tk->t[i].digits && tk->t[i].digits * 2 >= tk->t[i].alnum;
}

/* A voyage number: digits with at most two letters (045W, 123E, 12). */
static inline bool dv_tok_voyage_number(const dv_ctoks *tk, size_t i)
{
    return dv_tok_word(tk, i) && tk->t[i].digits && tk->t[i].alnum - tk->t[i].digits <= 2;
}

/* A SWIFT field number: two digits and at most one letter (59, 50K). */
bool dv_tok_swift_tag(const dv_ctoks *tk, const char *s, size_t i);

/* An IBAN: two letters, two digits, then ten letters or digits or more. */
bool dv_tok_iban(const dv_ctoks *tk, const char *s, size_t i);

/* An ordinal written in digits: 13th, 1st, 22nd, 3rd. */
bool dv_tok_ordinal(const dv_ctoks *tk, const char *s, size_t i);

/* Whether word i is, alone, a phrase of class cls. */
static inline bool dv_tok_class(const dv_ctoks *tk, size_t i, enum dv_kw_class cls)
{
    return dv_tok_word(tk, i) && tk->t[i].kw != DV_NO_KW && (dv_kw_single[tk->t[i].kw] & (1u << cls));
}

/* The end (the token after it) of the longest phrase of class cls that
 * starts at token i and lies before end, its tokens all of owner `owner`
 * (or any owner, when owner < 0); 0 when none. Dots may stand between
 * its words (Reg. No.). */
size_t dv_phrase_at(const dv_ctoks *tk, size_t i, size_t end, enum dv_kw_class cls, int owner);

/* Whether a phrase of one of the classes in mask (bits 1 << class)
 * starts at word i. */
bool dv_phrase_starts(const dv_ctoks *tk, size_t i, uint32_t mask);

/* Whether word i's key (upper case, accents and dots dropped) is key. */
bool dv_tok_is(const dv_ctoks *tk, size_t i, const char *key);

#endif
