/*
 * tokensim.c: comparing two name tokens, folding romanisations, and the
 * blocking keys that bring alike tokens together (tokensim.h).
 */
#include "divert/tokensim.h"

#include <pthread.h>
#include <string.h>

#include "divert/given_names.h"
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

static bool vowel(char c) { return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U'; }

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
    if (la == lb && longer <= 6) {
        size_t diff = 0, at = 0;
        for (size_t i = 0; i < la; i++)
            if (a[i] != b[i]) diff++, at = i;
        /* and in six letters, a vowel changed to another: the vowel of a
         * romanised syllable (RASHID, RASHED are two names) */
        if (diff == 1 && (longer <= 5 || (vowel(a[at]) && vowel(b[at])))) return 0.0;
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
    if (fl < 3 || fl != flt || memcmp(fj, ft, fl) != 0) return 0.0;
    return fj[0] == '#' ? DV_GIVEN_NAME_SIM : 0.97;
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
 * Glasowski), docs/screening.md (Score) lists them with their sources. */
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

/* The Arabic article after ABD (servant of) written on to the name in
 * any vowel, or assimilated to the next letter (Abdulrahman, Abdelrahman,
 * Abdalrahman, Abdurrahman): the length of the prefix to read as ABDUL,
 * or 0. */
static size_t abd_article(const char *t, size_t len)
{
    if (len < 7 || memcmp(t, "ABD", 3) != 0 || !vowel(t[3])) return 0;
    if (t[4] == 'L') return 5;                                  /* ABD?L */
    if (t[4] == t[5] && !vowel(t[4]) && t[4] != 'L') return 5;  /* ABD?RR: ABDUL R */
    return 0;
}

static size_t fold_letters(const char *t, size_t len, char *out);

/* ---- given names (given_names.c) ---- */

enum { GIVEN_SLOTS = 4096 };        /* a power of two, well above the spellings */
static struct {
    uint64_t hash;                  /* of the spelling's folded form; 0 empty */
    uint16_t cls;                   /* its class, an index of dv_given_name_classes */
} given_slots[GIVEN_SLOTS];
static pthread_once_t given_once = PTHREAD_ONCE_INIT;

static void given_init(void)
{
    for (uint16_t c = 0; dv_given_name_classes[c]; c++) {
        for (const char *p = dv_given_name_classes[c]; *p;) {
            size_t l = strcspn(p, " ");
            char f[64];
            size_t fl = fold_letters(p, l, f);
            uint64_t h = dv_tok_hash(f, fl, DV_TOK_WHOLE);
            size_t k = h & (GIVEN_SLOTS - 1);
            while (given_slots[k].hash && given_slots[k].hash != h) k = (k + 1) & (GIVEN_SLOTS - 1);
            if (!given_slots[k].hash) given_slots[k].hash = h, given_slots[k].cls = c; /* first class wins */
            p += l + (p[l] == ' ');
        }
    }
}

/* The class of a folded token, or -1. */
static int given_class(const char *f, size_t fl)
{
    pthread_once(&given_once, given_init);
    uint64_t h = dv_tok_hash(f, fl, DV_TOK_WHOLE);
    for (size_t k = h & (GIVEN_SLOTS - 1); given_slots[k].hash; k = (k + 1) & (GIVEN_SLOTS - 1))
        if (given_slots[k].hash == h) return given_slots[k].cls;
    return -1;
}

int dv_tok_given_class(const char *t, size_t len)
{
    if (len < 4 || len > 16) return -1;
    char f[64];
    return given_class(f, fold_letters(t, len, f));
}

size_t dv_tok_fold(const char *t, size_t len, char *out)
{
    size_t n = fold_letters(t, len, out);
    if (n < 3 || n > 16 || len < 4) return n;
    int c = given_class(out, n);
    if (c < 0) return n;
    /* a given name: '#' and the first spelling of its class, which no
     * other token folds to */
    const char *first = dv_given_name_classes[c];
    size_t l = strcspn(first, " ");
    out[0] = '#';
    memcpy(out + 1, first, l);
    out[l + 1] = '\0';
    return l + 1;
}

static size_t fold_letters(const char *t, size_t len, char *out)
{
    char buf[72];
    size_t vich = len <= DV_MAX_TOKEN_LEN ? vich_ending(t, len) : 0;
    if (vich) { /* ...VIC */
        memcpy(buf, t, len - vich);
        memcpy(buf + len - vich, "VIC", 3);
        len = len - vich + 3;
        t = buf;
    }
    /* the Arabic article written on to the name as EL (Elsayed, Alsayed):
     * AL, before a consonant, in six letters or more */
    if (len >= 6 && len <= DV_MAX_TOKEN_LEN && t[0] == 'E' && t[1] == 'L' && !vowel(t[2]) &&
        t[2] != 'L' && t[2] != 'Y') {
        if (t != buf) memcpy(buf, t, len);
        buf[0] = 'A';
        t = buf;
    }
    size_t abd = len <= DV_MAX_TOKEN_LEN ? abd_article(t, len) : 0;
    if (abd) { /* ABDUL... */
        char b2[72];
        memcpy(b2, "ABDUL", 5);
        memcpy(b2 + 5, t + abd, len - abd);
        memcpy(buf, b2, len);
        t = buf;
    }
    /* French romanisation writes Ж as J and У as OU (Joukovski): in a
     * token with OU, J is the ZH of the others */
    bool french = false, long_vowels = false, polish = false;
    for (size_t i = 0; i + 1 < len; i++) {
        french |= t[i] == 'O' && t[i + 1] == 'U';
        long_vowels |= (t[i] == 'E' || t[i] == 'O') && t[i + 1] == t[i];
        polish |= t[i + 1] == 'Z' && (t[i] == 'S' || t[i] == 'C' || t[i] == 'R');
    }
    /* Polish romanisation writes В as W, Ш, Ч, Ж as SZ, CZ, RZ, Ц as C and
     * Е after a consonant as IE (Miedwiediew, Medvedev; Niemcow, Nemtsov):
     * in a token with those marks, and no French OU */
    polish = !french && (polish || memchr(t, 'W', len) != NULL);
    /* EE and OO write a long I and U in English spellings of Arabic and
     * Persian names (Rasheed, Mahmood), not in English words (STEEL), nor
     * EE in the Slavic -EEV (Alekseev: Е after Е) */
    if (long_vowels && len <= DV_MAX_TOKEN_LEN) long_vowels = !dv_tok_is_word(t, len);
    static const char *const from[] = {"SCHTSCH", "SHTCH", "SHCH", "STSCH", "TSCH", "TCH", "SCH",
                                       "SH", "SZCZ", "ZH", "TS", "TZ", "PH", "CH", "CZ", "DZH",
                                       "DJ", NULL};
    static const char to[] = {'S', 'S', 'S', 'S', 'K', 'K', 'S', 'S', 'S', 'S', 'C', 'C', 'F', 'K',
                              'K', 'I', 'I'};
    static const unsigned char from_len[] = {7, 5, 4, 5, 4, 3, 3, 2, 4, 2, 2, 2, 2, 2, 2, 3, 2};
    enum { N_RULES = sizeof to };
    _Static_assert(sizeof from_len == N_RULES && sizeof from / sizeof from[0] == N_RULES + 1,
                   "the folding rules' arrays are parallel");
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
            else if (c == 'C') c = polish || (i < len && strchr("EIY", t[i])) ? 'C' : 'K';
            else if (c == 'Q') c = 'K';
            else if (c == 'W') c = 'V';
            else if (c == 'J' && french) c = 'S';
            else if (c == 'Y' || c == 'J') c = 'I';
            else if (c == 'X' && n < 62) { /* OPTRONIX, OPTRONICS */
                if (!n || out[n - 1] != 'K') out[n++] = 'K';
                c = 'S';
            } else if (c == 'G' && i + 1 < len && t[i] == 'U' && strchr("EIY", t[i + 1])) {
                i++; /* French GU before E, I: Guennadi, Gennadi */
            } else if (long_vowels && (c == 'E' || c == 'O') && i < len && t[i] == c &&
                       !(c == 'E' && i + 1 < len && (t[i + 1] == 'V' || t[i + 1] == 'W'))) {
                c = c == 'E' ? 'I' : 'U'; /* Rasheed, Rashid; Mahmood, Mahmud; not
                                             the Slavic -EEV (Alekseev) */
                i++;
            }
        }
        /* Е, Ю, Я written with a Y, I or J first (Ye, Ie, Je): at the
         * start before E, and after a vowel before E, the Y is dropped
         * (Yevgeny, Evgeny; Alekseyev, Alekseev, Alexejew) */
        if (c == 'I' && i < len && t[i] == 'E' && (!n || vowel(out[n - 1])) && i < len - 1 &&
            (n || len >= 5))
            continue;
        if (polish && c == 'I' && n && !vowel(out[n - 1]) && i < len && t[i] == 'E')
            continue; /* Polish IE after a consonant: E */
        if (n && out[n - 1] == 'O' && c == 'U') n--; /* OU */
        if (n && out[n - 1] == 'E' && c == 'I') out[n - 1] = 'A'; /* EI, EY: AI (Hussein, Husain) */
        if (c == 'K' && !n && i < len && t[i] == 'H') { /* KH first: H (Khalid, Halid) */
            out[n++] = 'H';
            i++;
            continue;
        }
        /* CH first before a consonant is Х in the German, Polish and Czech
         * conventions and Greek Χ (Christov, Khristov, Hristov) */
        if (c == 'K' && !n && i == 2 && t[0] == 'C' && t[1] == 'H' && len > 2 && !vowel(t[2]) &&
            t[2] != 'Y') {
            out[n++] = 'H';
            continue;
        }
        if (c == 'H' && n && !strchr("AEIOU", out[n - 1]))
            continue; /* KH, TH, GH: Tekhno, Techno */
        if (n && out[n - 1] == c) continue;
        out[n++] = c;
    }
    /* -IE last, as -I (Rushdie, Rushdi) */
    if (n >= 5 && out[n - 1] == 'E' && out[n - 2] == 'I') n--;
    out[n] = '\0';
    return n;
}
