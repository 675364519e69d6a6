/*
 * tokensim.c: comparing two name tokens, folding romanisations, and the
 * blocking keys that bring alike tokens together (tokensim.h).
 */
#include "divert/tokensim.h"

#include <string.h>

#include "divert/names.h"
#include "divert/util.h"

/* Words in so many company names that sharing them says little. */
static const char *const common_words[] = {
    "TRADING", "TRADE", "GROUP", "INTERNATIONAL", "INTL", "GLOBAL", "GENERAL", "IMPORT",
    "EXPORT", "TECHNOLOGY", "TECHNOLOGIES", "TECH", "INDUSTRIES", "INDUSTRIAL", "INDUSTRY",
    "HOLDING", "HOLDINGS", "ENTERPRISE", "ENTERPRISES", "SERVICES", "SERVICE", "SOLUTIONS",
    "SYSTEMS", "SYSTEM", "ELECTRONICS", "ELECTRONIC", "ENGINEERING", "MANUFACTURING",
    "LOGISTICS", "COMMERCIAL", "DEVELOPMENT", "INVESTMENT", "INVESTMENTS", "PARTNERS",
    "ASSOCIATES", "SUPPLY", "EQUIPMENT", "MACHINERY", "SECURITY", "SCIENTIFIC", "RESEARCH",
    "AND", "OF", "THE", "FOR", "DE", "DI", "DU", "LA", "LE", "ET", "Y", "VE", "SANAYI",
    "TICARET",
    /* the words names.c reads other languages' business words as
     * (Hermanos, Cía., Soc., Ets.; 银行, 해운 ...) */
    "BROTHERS", "COMPANIA", "COMERCIO", "SOCIETE", "ETABLISSEMENTS", "GESELLSCHAFT",
    "MAATSCHAPPIJ", "HANDEL", "BANK", "SHIPPING", "CONSTRUCTION", "ELECTRIC", "E", "UND",
    /* the Arabic article, written apart (Al Noor, El Nasr; romanise.c
     * writes ال as AL) */
    "AL", "EL", NULL};

bool dv_tok_is_common(const char *t, size_t len)
{
    for (int i = 0; common_words[i]; i++)
        if (strlen(common_words[i]) == len && !memcmp(common_words[i], t, len)) return true;
    /* a legal form inside a name (Trading Company Al Noor), a patronymic */
    return dv_name_minor_word(t, len);
}

/* A differs from B by at most one letter deleted from each (a letter
 * changed, added, dropped or moved, two neighbours swapped): the tokens
 * that share a blocking key (dv_tok_keys). */
static bool one_edit(const char *a, size_t la, const char *b, size_t lb)
{
    if (la < lb) {
        const char *t = a;
        a = b, b = t;
        size_t tl = la;
        la = lb, lb = tl;
    }
    if (la - lb > 1) return false;
    size_t p = 0;
    while (p < lb && a[p] == b[p]) p++;
    if (la != lb) return !memcmp(a + p + 1, b + p, lb - p);
    if (p == la) return true;
    size_t q = 0;
    while (q < la - p && a[la - 1 - q] == b[la - 1 - q]) q++;
    if (p + q + 1 >= la) return true;           /* one letter changed */
    size_t mid = la - 1 - q - p;                /* a letter moved between p and la-1-q */
    return !memcmp(a + p + 1, b + p, mid) || !memcmp(b + p + 1, a + p, mid);
}

/* The English dictionary (cmake/embed-words.cmake: wamerican's lower-case
 * words of four letters or more, upper case, sorted). */
extern const char *const dv_dict_words[];
extern const size_t dv_dict_n;

bool dv_tok_is_word(const char *t, size_t len)
{
    size_t lo = 0, hi = dv_dict_n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *w = dv_dict_words[mid];
        int c = strncmp(w, t, len);
        if (!c) c = w[len] ? 1 : 0;
        if (!c) return true;
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return false;
}

/* Jaro-Winkler and edit distance agree that two tokens one edit apart
 * (one_edit) are alike: their similarity, or 0. Jaro-Winkler forgives a
 * changed letter, but a word and a longer one built on it (ELEKTROPULS,
 * ELEKTROPULSAR) or a short word changed by a fifth of its letters are
 * different words. */
double dv_tok_alike(const char *a, size_t la, const char *b, size_t lb)
{
    if (!one_edit(a, la, b, lb)) return 0.0;
    size_t longer = la > lb ? la : lb, shorter = la > lb ? lb : la;
    /* a letter changed in a short word is another syllable (HSING,
     * HSIANG are not; CHENG, CHANG are): two tokens of five letters or
     * fewer pair only when equal, or once folded (dv_tok_sim) */
    if (la == lb && longer <= 5) {
        size_t diff = 0;
        for (size_t i = 0; i < la; i++) diff += a[i] != b[i];
        if (diff == 1) return 0.0;
    }
    /* two dictionary words one edit apart are two words, not one misspelt
     * (BAKING, BANKING; STAR, STARS) */
    if (dv_tok_is_word(a, la) && dv_tok_is_word(b, lb)) return 0.0;
    double jw = dv_jaro_winkler(a, la, b, lb);
    /* Jaro-Winkler's matching window scores some single changes low
     * (GLESTLENXEO, GLASTLENXEO: 0.87): one edit in a long word is at
     * least one letter in its length */
    double by_length = 1.0 - 1.0 / (double)longer;
    if (by_length > jw) jw = by_length;
    if (jw < DV_TOKEN_SIM) return 0.0;
    if (longer - shorter >= 2 && !memcmp(a, b, shorter)) return 0.0;
    return (double)dv_edit_distance(a, la, b, lb) <= 0.2 * (double)longer ? jw : 0.0;
}

double dv_tok_join_sim(const char *a, size_t la, const char *b, size_t lb, const char *t,
                       size_t lt, const char *ft, size_t flt)
{
    if (lt < 4) return 0.0; /* as dv_tok_sim: A B is not AB */
    if (la + lb != lt || lt > DV_MAX_TOKEN_LEN) {
        if (la + lb > DV_MAX_TOKEN_LEN) return 0.0;
    } else if (!memcmp(a, t, la) && !memcmp(b, t + la, lb)) {
        return 1.0;
    }
    char j[64], fj[64];
    memcpy(j, a, la);
    memcpy(j + la, b, lb);
    size_t fl = dv_tok_fold(j, la + lb, fj);
    /* folded forms of three letters at least, as dv_tok_sim and dv_tok_keys */
    return fl >= 3 && fl == flt && !memcmp(fj, ft, fl) ? 0.97 : 0.0;
}

size_t dv_tok_keys(const char *t, size_t len, uint64_t *keys)
{
    size_t n = 0;
    keys[n++] = dv_tok_hash(t, len, DV_TOK_WHOLE);
    if (len < 4 || len > DV_MAX_TOKEN_LEN) return n;
    for (size_t i = 0; i < len; i++) keys[n++] = dv_tok_hash(t, len, i);
    char f[64];
    size_t fl = dv_tok_fold(t, len, f);
    if (fl >= 3 && (fl != len || memcmp(f, t, len) != 0)) {
        keys[n++] = dv_tok_hash(f, fl, DV_TOK_WHOLE);
        for (size_t i = 0; i < fl; i++) keys[n++] = dv_tok_hash(f, fl, i);
    }
    return n;
}

/* The usual differences between romanisations (Shchit, Schtschit, Sit;
 * Tsifrovyye, Cifrovye; Chernomorskaya, Tchernomorskaia; Glazovsky,
 * Glasowski): SHCH-like runs and SCH, SH, ZH, Z to S; TS, TZ and C before
 * E, I, Y to C (Ts); TSCH, TCH, CH, other C and Q to K (TECHNO, TEKHNO); X
 * to KS; W to V; PH to F; Y and J to I; OU to U; H after a consonant
 * dropped (KH, TH); doubled letters once. Both tokens of a pair are folded
 * alike. */
/* The endings of Slavic patronymic and family names in the
 * romanisations of several languages (-ovich, -owitz, -owicz, -ovitch,
 * -owitsch), all read as -VIC before folding (Abramovich, Abramowitz). */
static size_t vich_ending(const char *t, size_t len)
{
    static const char *const endings[] = {"WITSCH", "VITSCH", "VITCH", "WITCH", "VICH", "WICZ",
                                          "VICZ", "WITZ", "VITZ", "VITS", "WITS", "WICH", NULL};
    for (int i = 0; endings[i]; i++) {
        size_t el = strlen(endings[i]);
        if (len >= el + 3 && !memcmp(t + len - el, endings[i], el)) return el;
    }
    return 0;
}

size_t dv_tok_fold(const char *t, size_t len, char *out)
{
    char buf[72];
    size_t vich = len <= DV_MAX_TOKEN_LEN ? vich_ending(t, len) : 0;
    if (vich) { /* ...VIC */
        memcpy(buf, t, len - vich);
        memcpy(buf + len - vich, "VIC", 3);
        len = len - vich + 3;
        t = buf;
    }
    /* French romanisation writes Ж as J and У as OU (Joukovski): in a
     * token with OU, J is the ZH of the others */
    bool french = false;
    for (size_t i = 0; i + 1 < len && !french; i++) french = t[i] == 'O' && t[i + 1] == 'U';
    static const char *const from[] = {"SCHTSCH", "SHTCH", "SHCH", "STSCH", "TSCH", "TCH", "SCH",
                                       "SH", "ZH", "TS", "TZ", "PH", "CH", "DZH", "DJ", NULL};
    static const char to[] = {'S', 'S', 'S', 'S', 'K', 'K', 'S', 'S', 'S', 'C', 'C', 'F', 'K',
                              'I', 'I'};
    static const unsigned char from_len[] = {7, 5, 4, 5, 4, 3, 3, 2, 2, 2, 2, 2, 2, 3, 2};
    enum { N_RULES = sizeof to };
    size_t n = 0;
    for (size_t i = 0; i < len && n < 63;) {
        int r = 0;
        size_t rl = 0;
        char c0 = t[i];
        if (c0 == 'S' || c0 == 'T' || c0 == 'Z' || c0 == 'K' || c0 == 'P' || c0 == 'C' ||
            c0 == 'D') {
            for (; from[r]; r++) {
                rl = from_len[r];
                if (from[r][0] == c0 && rl <= len - i && !memcmp(t + i, from[r], rl)) break;
            }
        } else {
            r = N_RULES; /* no rule starts with this letter */
        }
        char c;
        if (from[r]) {
            c = to[r];
            i += rl;
        } else {
            c = t[i++];
            if (c == 'Z') c = 'S';
            else if (c == 'C') c = i < len && strchr("EIY", t[i]) ? 'C' : 'K';
            else if (c == 'Q') c = 'K';
            else if (c == 'W') c = 'V';
            else if (c == 'J' && french) c = 'S';
            else if (c == 'Y' || c == 'J') c = 'I';
            else if (c == 'X' && n < 62) { /* OPTRONIX, OPTRONICS */
                if (!n || out[n - 1] != 'K') out[n++] = 'K';
                c = 'S';
            }
        }
        if (n && out[n - 1] == 'O' && c == 'U') n--; /* OU */
        if (n && out[n - 1] == 'E' && c == 'I') out[n - 1] = 'A'; /* EI, EY: AI (Hussein, Husain) */
        if (c == 'K' && !n && i < len && t[i] == 'H') { /* KH first: H (Khalid, Halid) */
            out[n++] = 'H';
            i++;
            continue;
        }
        if (c == 'H' && n && !strchr("AEIOU", out[n - 1]))
            continue; /* KH, TH, GH: Tekhno, Techno */
        if (n && out[n - 1] == c) continue;
        out[n++] = c;
    }
    out[n] = '\0';
    return n;
}
