/*
 * names.c: normalising party names, and the Jaro-Winkler similarity.
 *
 * The order of the steps matters: ICU first (NFKC with case folding, then
 * transliteration to ASCII), so that full-width letters, ligatures, Greek,
 * Cyrillic, Han ... all arrive as ASCII; then tokens; then legal forms,
 * which are listed here in their ASCII spelling (the Russian forms in
 * BGN/PCGN, as divert transliterates Russian, "obshchestvo s
 * ogranichennoy otvetstvennostyu", and in the other romanisations lists
 * use).
 */
#include "divert/names.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

enum { CHAIN_LATIN, CHAIN_RUSSIAN, CHAIN_UKRAINIAN, CHAIN_BELARUSIAN, CHAIN_KAZAKH,
       CHAIN_ACCENTS, N_CHAINS };

struct dv_namer {
    UTransliterator *trans[N_CHAINS]; /* to ASCII, by chain_of */
    const UNormalizer2 *nfkc_cf;
    const UNormalizer2 *nfkd;       /* for strip_accents */
    UChar *u;                   /* UTF-16 work buffers */
    int32_t u_cap;
    UChar *v;
    dv_buf ascii;               /* the name in ASCII, before tokens */
};

dv_namer *dv_namer_new(dv_error *err)
{
    (void)err; /* ICU opens at the first name that needs it (icu_open) */
    return dv_xcalloc(1, sizeof(dv_namer));
}

void dv_namer_free(dv_namer *n)
{
    if (!n) return;
    for (int c = 0; c < N_CHAINS; c++)
        if (n->trans[c]) utrans_close(n->trans[c]);
    free(n->u);
    free(n->v);
    dv_buf_free(&n->ascii);
    free(n);
}

static UErrorCode icu_failure;

static void warn_icu(void)
{
    fprintf(stderr,
            "divert: ICU cannot open its transliterator (%s); names in other scripts than "
            "Latin are compared as written\n",
            u_errorName(icu_failure));
}

/* The transliterations, as ICU rules. Lists write names in the
 * romanisations of BGN/PCGN (US and UK) and UNGEGN, so where ICU has
 * one for a language divert uses it rather than ICU's own scholarly
 * transliteration: Armenian and Georgian in BGN/PCGN, Greek in UNGEGN
 * (ELOT 743: Naftiliaki, not Nautiliake); then ICU's transliteration of
 * every other script, and Latin to ASCII. Cyrillic depends on the
 * language, told by its letters: Russian (Chernomorskaya, not
 * Cernomorskaa), Ukrainian, Belarusian and Kazakh each in their BGN/PCGN
 * system, without the separators it puts between letters (Ot·sek);
 * other Cyrillic (Serbian ...) as ICU writes it. */
#define LATIN_RULES                                                                            \
    ":: Armenian-Latin/BGN; :: Georgian-Latin/BGN; :: Greek-Latin/UNGEGN; :: Any-Latin; "      \
    ":: Latin-ASCII;"
#define CYRILLIC_RULES(lang) ":: " lang "-Latin/BGN; [\\u00B7\\u02B9\\u02BA] > ; " LATIN_RULES
static const char *const chain_rules[N_CHAINS] = {
    LATIN_RULES, CYRILLIC_RULES("Russian"), CYRILLIC_RULES("Ukrainian"),
    CYRILLIC_RULES("Belarusian"), CYRILLIC_RULES("Kazakh"),
    NULL /* CHAIN_ACCENTS: strip_accents, no transliterator */};

static UTransliterator *open_rules(const char *rules, UErrorCode *st)
{
    UChar id[16], r[256];
    u_uastrcpy(id, "divert");
    u_uastrncpy(r, rules, 255);
    r[255] = 0;
    UParseError pe;
    return utrans_openU(id, -1, UTRANS_FORWARD, r, -1, &pe, st);
}

/* ICU is opened at the first name that needs it: building a
 * transliterator from its rules costs about a tenth of a second, and most
 * datasets are ASCII. Each chain is built once a process, under a lock,
 * and each namer (one a thread) works on its own clone, which is cheap. */
static UTransliterator *built[N_CHAINS];
static pthread_mutex_t built_lock = PTHREAD_MUTEX_INITIALIZER;

static bool icu_open(dv_namer *n, int chain)
{
    UErrorCode st = U_ZERO_ERROR;
    UTransliterator **t = &n->trans[chain];
    if (*t) return true;
    pthread_mutex_lock(&built_lock);
    if (!built[chain]) built[chain] = open_rules(chain_rules[chain], &st);
    if (U_SUCCESS(st) && built[chain]) *t = utrans_clone(built[chain], &st);
    pthread_mutex_unlock(&built_lock);
    if (U_FAILURE(st) || !*t) {
        /* said once a process; names then compare as written */
        static pthread_once_t once = PTHREAD_ONCE_INIT;
        icu_failure = U_FAILURE(st) ? st : U_MEMORY_ALLOCATION_ERROR;
        pthread_once(&once, warn_icu);
        if (*t) utrans_close(*t);
        *t = NULL;
        return false;
    }
    return true;
}

void dv_names_cleanup(void)
{
    pthread_mutex_lock(&built_lock);
    for (int c = 0; c < N_CHAINS; c++)
        if (built[c]) utrans_close(built[c]), built[c] = NULL;
    pthread_mutex_unlock(&built_lock);
}

/* The transliteration for a (case-folded) text: a Cyrillic language by
 * the letters only it has, Russian when it has no other. */
static int chain_of(const UChar *v, int32_t len)
{
    bool cyrillic = false, other = false, kazakh = false, ukrainian = false, belarusian = false,
         i_dotted = false, only_latin = true;
    for (int32_t i = 0; i < len; i++) {
        UChar c = v[i];
        /* Latin-1, Latin Extended A and B, combining accents, Latin
         * Extended Additional, general punctuation */
        only_latin &= c < 0x0250 || (c >= 0x0300 && c < 0x0370) || (c >= 0x1E00 && c < 0x1F00) ||
                      (c >= 0x2000 && c < 0x2070);
        if (c < 0x0400 || c > 0x052F) continue;
        cyrillic = true;
        if ((c >= 0x0430 && c <= 0x044F) || c == 0x0451) continue;
        switch (c) {
        case 0x04D9: case 0x0493: case 0x049B: case 0x04A3: /* ә ғ қ ң */
        case 0x04E9: case 0x04B1: case 0x04AF: case 0x04BB: /* ө ұ ү һ */
            kazakh = true;
            break;
        case 0x0454: case 0x0457: case 0x0491: /* є ї ґ */
            ukrainian = true;
            break;
        case 0x045E: /* ў */
            belarusian = true;
            break;
        case 0x0456: /* і: Ukrainian, Belarusian and Kazakh */
            i_dotted = true;
            break;
        default:
            other = true;
        }
    }
    if (!cyrillic) return only_latin ? CHAIN_ACCENTS : CHAIN_LATIN;
    if (kazakh) return CHAIN_KAZAKH;
    if (ukrainian) return CHAIN_UKRAINIAN;
    if (belarusian) return CHAIN_BELARUSIAN;
    if (i_dotted) return CHAIN_UKRAINIAN;
    return other ? CHAIN_LATIN : CHAIN_RUSSIAN;
}

/* Latin with accents (n->v, case-folded) -> n->ascii: what ICU's
 * Latin-ASCII gives, without building that transliterator (a tenth of a
 * second): the letters decomposed (NFKD) and their accents dropped, the
 * letters that do not decompose spelt out, quotes and dashes kept. */
static bool strip_accents(dv_namer *n, int32_t vlen, int32_t cap)
{
    static const struct {
        UChar c;
        const char *ascii;
    } spelt[] = {{0x00DF, "ss"}, {0x00E6, "ae"}, {0x00F8, "o"}, {0x0153, "oe"}, {0x0111, "d"},
                 {0x00F0, "d"},  {0x0142, "l"},  {0x0131, "i"}, {0x00FE, "th"}, {0x0127, "h"},
                 {0x0167, "t"},  {0x014B, "n"},  {0x0138, "k"}, {0x017F, "s"},  {0x0180, "b"},
                 {0x01A5, "p"},  {0x0188, "c"},  {0x0257, "d"}, {0x0192, "f"}};
    UErrorCode st = U_ZERO_ERROR;
    if (!n->nfkd) n->nfkd = unorm2_getNFKDInstance(&st);
    if (U_FAILURE(st) || !n->nfkd) return false;
    int32_t ulen = unorm2_normalize(n->nfkd, n->v, vlen, n->u, cap, &st);
    if (U_FAILURE(st)) return false;
    n->ascii.len = 0;
    for (int32_t i = 0; i < ulen; i++) {
        UChar c = n->u[i];
        if (c < 0x80) {
            char b = (char)c;
            dv_buf_add(&n->ascii, &b, 1);
            continue;
        }
        if (c >= 0x0300 && c < 0x0370) continue; /* an accent */
        const char *out = " ";                    /* anything else separates */
        if (c == 0x2018 || c == 0x2019 || c == 0x201B || c == 0x02BC) out = "'";
        else if (c >= 0x2010 && c <= 0x2015) out = "-";
        for (size_t k = 0; k < sizeof spelt / sizeof spelt[0]; k++)
            if (spelt[k].c == c) out = spelt[k].ascii;
        dv_buf_puts(&n->ascii, out);
    }
    return true;
}

/* name -> n->ascii, through ICU; false if ICU failed (then the bytes are
 * used as they are, non-ASCII bytes separating tokens). */
static bool icu_to_ascii(dv_namer *n, const char *name, size_t len)
{
    UErrorCode st = U_ZERO_ERROR;
    if (!n->nfkc_cf) n->nfkc_cf = unorm2_getNFKCCasefoldInstance(&st);
    if (U_FAILURE(st) || !n->nfkc_cf) return false;
    int32_t need = (int32_t)len + 1; /* UTF-16 units never outnumber UTF-8 bytes */
    if (len > INT32_MAX / 8) return false;
    /* normalisation and transliteration grow text: room for four times */
    int32_t cap = need * 4 + 64;
    if (cap > n->u_cap) {
        n->u = dv_xrealloc(n->u, (size_t)cap * sizeof *n->u);
        n->v = dv_xrealloc(n->v, (size_t)cap * sizeof *n->v);
        n->u_cap = cap;
    }
    int32_t ulen = 0;
    u_strFromUTF8WithSub(n->u, cap, &ulen, name, (int32_t)len, 0xFFFD, NULL, &st);
    if (U_FAILURE(st)) return false;
    int32_t vlen = unorm2_normalize(n->nfkc_cf, n->u, ulen, n->v, cap, &st);
    if (U_FAILURE(st)) return false;
    int32_t limit = vlen;
    int chain = chain_of(n->v, vlen);
    if (chain == CHAIN_ACCENTS) return strip_accents(n, vlen, cap);
    if (!icu_open(n, chain)) return false;
    utrans_transUChars(n->trans[chain], n->v, &vlen, cap, 0, &limit, &st);
    if (U_FAILURE(st) || vlen > cap) return false;
    n->ascii.len = 0;
    for (int32_t i = 0; i < vlen; i++) {
        UChar c = n->v[i];
        char b = c < 0x80 ? (char)c : ' '; /* what ICU left outside ASCII separates */
        dv_buf_add(&n->ascii, &b, 1);
    }
    return true;
}

/* ---- legal forms ---- */

/* Each form as its tokens, space-separated, in ASCII upper case. Forms
 * are recognised at the end of a name; those marked '^' also at its start,
 * where the languages that use them (and translations of them: "LLC
 * Tekhnopribor") put them. English "Co" stays a word at the start
 * ("Co-operative Bank"). */
static const char *const legal_forms[] = {
    /* several words first: the longest form wins */
    "^OBSESTVO S OGRANICENNOJ OTVETSTVENNOSTU", "^OBSHCHESTVO S OGRANICHENNOY OTVETSTVENNOSTYU",
    "^ZAKRYTOE AKCIONERNOE OBSESTVO", "^OTKRYTOE AKCIONERNOE OBSESTVO",
    "^PUBLICNOE AKCIONERNOE OBSESTVO", "^AKCIONERNOE OBSESTVO",
    "^ZAKRYTOYE AKTSIONERNOYE OBSHCHESTVO", "^OTKRYTOYE AKTSIONERNOYE OBSHCHESTVO",
    "^PUBLICHNOYE AKTSIONERNOYE OBSHCHESTVO", "^AKTSIONERNOYE OBSHCHESTVO",
    "^TOVARISTVO Z OBMEZENOU VIDPOVIDALNISTU", "^LIMITED LIABILITY COMPANY",
    "LIMITED LIABILITY PARTNERSHIP", "^CLOSED JOINT STOCK COMPANY", "^OPEN JOINT STOCK COMPANY",
    "^PUBLIC JOINT STOCK COMPANY", "^PRIVATE JOINT STOCK COMPANY", "^JOINT STOCK COMPANY",
    "PRIVATE JOINT STOCK CO", "PUBLIC JOINT STOCK CO", "JOINT STOCK CO",
    /* Russian state and research organisations: forms of a sort */
    "^FEDERAL STATE UNITARY ENTERPRISE", "^SCIENTIFIC PRODUCTION ASSOCIATION",
    "^SCIENTIFIC PRODUCTION ENTERPRISE", "^NAUCHNO PROIZVODSTVENNOYE OBYEDINENIYE",
    "^NAUCHNO PROIZVODSTVENNOE OBEDINENIE", "^NAUCHNO PROIZVODSTVENNOYE PREDPRIYATIYE",
    "^FEDERALNOYE GOSUDARSTVENNOYE UNITARNOYE PREDPRIYATIYE", "^AKTIEBOLAGET",
    "^TOVARYSTVO Z OBMEZHENOYU VIDPOVIDALNISTYU",
    "KABUSHIKI KAISHA", "GODO KAISHA", "ADDITIONAL LIABILITY COMPANY", "PUBLIC LIMITED COMPANY",
    "PRIVATE LIMITED COMPANY", "PRIVATE LIMITED", "FREE ZONE ESTABLISHMENT", "FREE ZONE COMPANY",
    "GESELLSCHAFT MIT BESCHRANKTER HAFTUNG", "SOCIETE A RESPONSABILITE LIMITEE",
    "SOCIETE ANONYME", "SOCIEDAD ANONIMA", "SOCIEDAD LIMITADA", "SOCIETA PER AZIONI",
    "GU FEN YOU XIAN GONG SI", "YOU XIAN GONG SI", "SP Z O O", "SDN BHD", "PTE LTD", "PTY LTD",
    "^FZ LLC", "CO LTD", "LTD STI", "LIMITED SIRKETI", "ANONIM SIRKETI", "SENDIRIAN BERHAD",
    "SPOLKA Z OGRANICZONA ODPOWIEDZIALNOSCIA", "SPOL S R O", "SPOL SRO", "PVT LTD",
    "PRIVATE LTD", "ZH SH S", "ZHSHS", "DIS TICARET LTD STI", "SP Z OO", "SPOL S RO", "YOUXIAN GONGSI",
    "GUFEN YOUXIAN GONGSI", "^ZAKRYTOE AKTSIONERNOE OBSHCHESTVO",
    "^OTKRYTOE AKTSIONERNOE OBSHCHESTVO", "^PUBLICHNOE AKTSIONERNOE OBSHCHESTVO",
    "^AKTSIONERNOE OBSHCHESTVO", "^OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTIU",
    /* one word */
    "^LLC", "LTD", "LIMITED", "INC", "INCORPORATED", "CORP", "CORPORATION", "CO", "COMPANY",
    "PLC", "LLP", "LP", "GMBH", "AG", "KG", "OHG", "SA", "SAS", "SARL", "SRL", "SPA", "SL",
    "BV", "NV", "OY", "OYJ", "AB", "AS", "ASA", "APS", "KFT", "ZRT", "DOO", "AD", "EAD", "EOOD",
    "OOD", "^TOO", "^TOV", "LTDA", "PTE", "PTY", "BHD", "FZE", "FZCO", "FZC", "^OOO", "^AO",
    "^PAO", "^ZAO", "^OAO", "^PJSC", "^CJSC", "^OJSC", "^JSC", "^OSOO", "SPK", "STI", "EPE", "AE",
    "CA", "SAC", "SRO", "AKTIEBOLAG", "AKTIENGESELLSCHAFT", "PVT", "^ODO", "ODO", "ZHSHS", "ZSS",
    "JSHS", "MCHJ", "MMC", "SPY", "^TAA", "TAA", "PJS", "SHPK", "SIRKETI", "^SHPS",
    "^ALC",                 /* Belarusian ODO in English: additional liability company */
    "^FSUE", "^FGUP", "^NPO", "^NPP", "A S",
    "ASC", "QSC", "SAOC", "SAOG", "SAL", "WLL", "EST", "KK", "^PT", "TBK", NULL};

/* ---- abbreviations ---- */

/* Abbreviations company names use, read as the word they stand for (both
 * names of a pair are read alike, so either spelling meets the other). */
static const char *const abbreviations[][2] = {
    {"INTL", "INTERNATIONAL"}, {"INTERNATL", "INTERNATIONAL"}, {"TECH", "TECHNOLOGY"},
    {"TECHNOL", "TECHNOLOGY"}, {"IMP", "IMPORT"}, {"EXP", "EXPORT"}, {"GEN", "GENERAL"},
    {"GENL", "GENERAL"}, {"TRDG", "TRADING"}, {"ST", "SAINT"}, {"MFG", "MANUFACTURING"},
    {"MFRS", "MANUFACTURERS"}, {"ENG", "ENGINEERING"}, {"ENGG", "ENGINEERING"}, {"SYS", "SYSTEMS"},
    {"SVCS", "SERVICES"}, {"SVC", "SERVICES"}, {"DEV", "DEVELOPMENT"}, {"ELEC", "ELECTRONICS"},
    {"NATL", "NATIONAL"}, {"CTR", "CENTER"}, {"CENTRE", "CENTER"}, {"BROS", "BROTHERS"},
    {"MGMT", "MANAGEMENT"}, {"LABS", "LABORATORIES"},
    {"RES", "RESEARCH"}, {"INST", "INSTITUTE"}, {"HI", "HIGH"}, {"SCI", "SCIENCE"},
    {"GRP", "GROUP"}, {"ASSOC", "ASSOCIATES"}, {"ASSN", "ASSOCIATION"}, {"EQUIP", "EQUIPMENT"},
    {"IND", "INDUSTRIES"}, {"INDS", "INDUSTRIES"}, {"DEPT", "DEPARTMENT"}, {"UNIV", "UNIVERSITY"},
    {"MACH", "MACHINERY"}, {"ELECTR", "ELECTRONICS"}, {"SEC", "SECURITY"},
    {"INSTR", "INSTRUMENTS"}, {"INSTRS", "INSTRUMENTS"},
    /* one spelling for the forms of a business word (Delta Ind. Supplies,
     * Delta Industrial Supplies) */
    {"INDUSTRIAL", "INDUSTRIES"}, {"INDUSTRY", "INDUSTRIES"}, {"INSTRUMENT", "INSTRUMENTS"},
    {"ELECTRONIC", "ELECTRONICS"}, {"TECHNOLOGIES", "TECHNOLOGY"}, {"SYSTEM", "SYSTEMS"},
    {"SERVICE", "SERVICES"}, {"HOLDING", "HOLDINGS"}, {"ENTERPRISE", "ENTERPRISES"},
    {"INVESTMENT", "INVESTMENTS"}, {"LABORATORY", "LABORATORIES"}, {"LAB", "LABORATORIES"},
    /* English business words as Russian writes them, once transliterated */
    {"TREJD", "TRADE"}, {"TREID", "TRADE"}, {"TREYD", "TRADE"}, {"TREJDING", "TRADING"},
    {"TREIDING", "TRADING"}, {"TREYDING", "TRADING"},
    {"ELEKTRONIKS", "ELECTRONICS"}, {"GRUPP", "GROUP"}, {"INZHINIRING", "ENGINEERING"},
    {"INZINIRING", "ENGINEERING"}, {"TEKHNOLODZHI", "TECHNOLOGY"}, {"TEKH", "TECHNOLOGY"}, {"TEHNOLODZI", "TECHNOLOGY"},
    {"SISTEMS", "SYSTEMS"}, {"LOGISTIK", "LOGISTICS"}, {NULL, NULL}};

typedef struct tok {
    const char *s;
    size_t len;
} tok;

/* How many tokens, from t[0], form a legal form (0: none). */
/* The forms and abbreviations as tokens, made once a process. */
enum { MAX_FORM_WORDS = 8 };
typedef struct form_def {
    bool at_start;              /* '^': also at the start */
    size_t words;
    tok w[MAX_FORM_WORDS];
} form_def;
static form_def form_defs[sizeof legal_forms / sizeof legal_forms[0]];
static size_t n_form_defs;
static size_t abbreviation_len[sizeof abbreviations / sizeof abbreviations[0]];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void tables_init(void)
{
    for (int f = 0; legal_forms[f]; f++) {
        form_def *d = &form_defs[n_form_defs++];
        const char *p = legal_forms[f];
        d->at_start = *p == '^';
        p += d->at_start;
        while (*p && d->words < MAX_FORM_WORDS) {
            size_t l = strcspn(p, " ");
            d->w[d->words++] = (tok){p, l};
            p += l + (p[l] == ' ');
        }
    }
    for (int i = 0; abbreviations[i][0]; i++) abbreviation_len[i] = strlen(abbreviations[i][0]);
}

static size_t form_at(const tok *t, size_t n, bool backwards)
{
    for (size_t f = 0; f < n_form_defs; f++) {
        const form_def *d = &form_defs[f];
        if (!backwards && !d->at_start) continue; /* an end-only form at the start */
        if (d->words > n) continue;
        const tok *first = backwards ? t - (d->words - 1) : t;
        bool ok = true;
        for (size_t w = 0; w < d->words && ok; w++)
            ok = d->w[w].len == first[w].len && d->w[w].s[0] == first[w].s[0] &&
                 !memcmp(d->w[w].s, first[w].s, first[w].len);
        if (ok) return d->words;
    }
    return 0;
}

bool dv_name_minor_word(const char *t, size_t len)
{
    for (int f = 0; legal_forms[f]; f++) {
        const char *form = legal_forms[f] + (legal_forms[f][0] == '^');
        if (strlen(form) == len && !memcmp(form, t, len)) return true;
    }
    static const char *const patronymic[] = {"OVICH", "EVICH", "OVNA", "EVNA", "ICHNA", "INICHNA",
                                            "OGLU", "KYZY", NULL};
    for (int i = 0; patronymic[i]; i++) {
        size_t pl = strlen(patronymic[i]);
        if (len > pl + 2 && !memcmp(t + len - pl, patronymic[i], pl)) return true;
    }
    return false;
}

static const char *expand(const char *t, size_t len)
{
    for (int i = 0; abbreviations[i][0]; i++)
        if (abbreviation_len[i] == len && abbreviations[i][0][0] == t[0] &&
            !memcmp(abbreviations[i][0], t, len))
            return abbreviations[i][1];
    return NULL;
}

/* ---- tokens ---- */

static bool is_alnum(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'); }

void dv_name_normalise(dv_namer *n, const char *name, size_t len, dv_buf *tokens, dv_buf *forms)
{
    pthread_once(&tables_once, tables_init);
    tokens->len = forms->len = 0;
    if (tokens->data) tokens->data[0] = '\0';
    if (forms->data) forms->data[0] = '\0';
    bool ascii = true;
    for (size_t i = 0; i < len && ascii; i++) ascii = (unsigned char)name[i] < 0x80;
    const char *s = name;
    size_t sl = len;
    if (!ascii && icu_to_ascii(n, name, len)) {
        s = n->ascii.data ? n->ascii.data : "";
        sl = n->ascii.len;
    }
    /* upper-case letters and digits; apostrophes inside words vanish;
     * single letters joined by dots make one token */
    char *up = dv_xmalloc(sl + 1);
    size_t ul = 0, tok_len = 0;
    bool initials = false; /* the token so far is single letters joined by dots */
    for (size_t i = 0; i < sl; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) c = ' ';
        char u = (char)toupper(c);
        if (is_alnum(u)) {
            up[ul++] = u;
            tok_len++;
        } else if ((c == '\'' || c == '`') && tok_len && i + 1 < sl &&
                   isalnum((unsigned char)s[i + 1])) {
            continue; /* O'Brien, otvetstvennost'u */
        } else if (c == '.' && (tok_len == 1 || initials) && i + 1 < sl &&
                   isalpha((unsigned char)s[i + 1]) &&
                   (i + 2 >= sl || !isalnum((unsigned char)s[i + 2]))) {
            initials = true; /* L.L.C. */
        } else {
            if (ul && up[ul - 1] != ' ') up[ul++] = ' ';
            tok_len = 0;
            initials = false;
        }
    }
    while (ul && up[ul - 1] == ' ') ul--;
    /* the tokens */
    tok *t = NULL;
    size_t nt = 0, cap = 0;
    for (size_t i = 0; i < ul;) {
        while (i < ul && up[i] == ' ') i++;
        size_t j = i;
        while (j < ul && up[j] != ' ') j++;
        if (j > i) {
            tok x = {up + i, j - i};
            DV_PUSH(t, nt, cap, x);
        }
        i = j;
    }
    /* legal forms at either end, as long as a name token is left */
    size_t lo = 0, hi = nt;
    size_t lead_end = 0;
    for (;;) {
        size_t w = hi - lo > 1 ? form_at(t + lo, hi - lo - 1, false) : 0;
        if (!w) break;
        lo += w;
    }
    lead_end = lo;
    size_t trail_start = hi;
    for (;;) {
        size_t w = hi - lo > 1 ? form_at(t + hi - 1, hi - lo - 1, true) : 0;
        if (!w) break;
        hi -= w;
    }
    trail_start = hi;
    for (size_t i = 0; i < nt; i++) {
        bool is_form = i < lead_end || i >= trail_start;
        dv_buf *out = is_form ? forms : tokens;
        if (out->len) dv_buf_add(out, " ", 1);
        const char *full = is_form ? NULL : expand(t[i].s, t[i].len);
        if (full) dv_buf_puts(out, full);
        else dv_buf_add(out, t[i].s, t[i].len);
    }
    if (!tokens->data) dv_buf_add(tokens, "", 0);
    if (!forms->data) dv_buf_add(forms, "", 0);
    free(t);
    free(up);
}

/* ---- Jaro-Winkler ---- */

/* UTF-8 to code points (invalid bytes as U+FFFD); returns the count. */
static size_t code_points(const char *s, size_t len, uint32_t *out)
{
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        uint32_t cp = 0xFFFD;
        size_t k = 1;
        if (c < 0x80) cp = c;
        else if (c >= 0xC2 && c <= 0xDF) k = 2, cp = c & 0x1F;
        else if (c >= 0xE0 && c <= 0xEF) k = 3, cp = c & 0x0F;
        else if (c >= 0xF0 && c <= 0xF4) k = 4, cp = c & 0x07;
        if (k > 1) {
            bool ok = i + k <= len;
            for (size_t m = 1; ok && m < k; m++) {
                ok = ((unsigned char)s[i + m] & 0xC0) == 0x80;
                cp = (cp << 6) | ((unsigned char)s[i + m] & 0x3F);
            }
            if (!ok) cp = 0xFFFD, k = 1;
        }
        out[n++] = cp;
        i += k;
    }
    return n;
}

/* Jaro-Winkler of two code-point arrays. */
static double jaro_winkler_cp(const uint32_t *sa, size_t na, const uint32_t *sb, size_t nb)
{
    if (!na || !nb) return 0;
    size_t range = (na > nb ? na : nb) / 2;
    range = range ? range - 1 : 0;
    bool fa_buf[64], fb_buf[64];
    bool *fa = na <= 64 ? fa_buf : dv_xmalloc(na), *fb = nb <= 64 ? fb_buf : dv_xmalloc(nb);
    memset(fa, 0, na);
    memset(fb, 0, nb);
    size_t common = 0;
    for (size_t i = 0; i < na; i++) {
        size_t lo = i > range ? i - range : 0, hi = i + range < nb - 1 ? i + range : nb - 1;
        for (size_t j = lo; j <= hi; j++)
            if (!fb[j] && sb[j] == sa[i]) {
                fa[i] = fb[j] = true;
                common++;
                break;
            }
    }
    double result = 0;
    if (common) {
        size_t k = 0, trans = 0;
        for (size_t i = 0; i < na; i++) {
            if (!fa[i]) continue;
            while (!fb[k]) k++;
            if (sa[i] != sb[k]) trans++;
            k++;
        }
        double m = (double)common;
        double jaro = (m / (double)na + m / (double)nb + (m - (double)(trans / 2)) / m) / 3;
        if (jaro > 0.7) {
            size_t prefix = 0, lim = na < nb ? na : nb;
            if (lim > 4) lim = 4;
            while (prefix < lim && sa[prefix] == sb[prefix]) prefix++;
            jaro += (double)prefix * 0.1 * (1 - jaro);
        }
        result = jaro;
    }
    if (fa != fa_buf) free(fa);
    if (fb != fb_buf) free(fb);
    return result;
}

/* Bytes to code points: ASCII as it is (tokens are ASCII, the common
 * case), the rest decoded. */
static size_t to_code_points(const char *s, size_t len, uint32_t *out)
{
    bool ascii = true;
    for (size_t i = 0; ascii && i < len; i++) ascii = (unsigned char)s[i] < 0x80;
    if (!ascii) return code_points(s, len, out);
    for (size_t i = 0; i < len; i++) out[i] = (unsigned char)s[i];
    return len;
}

double dv_jaro_winkler(const char *a, size_t la, const char *b, size_t lb)
{
    uint32_t sa_buf[64], sb_buf[64];
    uint32_t *sa = la <= 64 ? sa_buf : dv_xmalloc(la * sizeof *sa);
    uint32_t *sb = lb <= 64 ? sb_buf : dv_xmalloc(lb * sizeof *sb);
    double result = jaro_winkler_cp(sa, to_code_points(a, la, sa), sb, to_code_points(b, lb, sb));
    if (sa != sa_buf) free(sa);
    if (sb != sb_buf) free(sb);
    return result;
}
