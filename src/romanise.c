/*
 * romanise.c: abjad words (Hebrew, Arabic, Persian) as consonant tokens,
 * and their skeletons that meet Latin spellings (romanise.h).
 *
 * Sources: the letters' romanisations are those of the UN (UNGEGN)
 * romanisation systems for Hebrew (1977), Arabic (1972) and Persian
 * (2012), and of ALA-LC, which lists and registers follow; they write
 * each consonant as below and differ, between themselves and the
 * spellings companies use, in exactly the classes the skeleton folds
 * (ח as H, CH or KH; ב as B or V; ק, כ, غ as Q, K, KH, GH; ש, צ, ز as SH,
 * TS, TZ, Z, S; ث, ذ as TH, DH, T, Z, D). The matres lectionis (א ו י ע,
 * ا و ي ى ع, hamza) write vowels, or nothing a Latin spelling shows, and
 * leave the skeleton; so does a final ה, ه or ة (Arava, Tijara, Fatimah).
 */
#include "divert/romanise.h"

#include <libkakasi.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucnv.h>

#include "divert/tokensim.h"

/* ---- abjad words to tokens ---- */

/* the romanisation of a letter, or NULL: not a letter dv_rom_abjad writes */
static const char *abjad_letter(uint16_t c)
{
    /* Hebrew, U+05D0 to U+05EA: final forms as their letter; ע nothing */
    static const char *const hebrew[] = {
        "a", "b", "g", "d", "h", "w", "z", "h", "t", "y", "k", "k", "l", "m", "m",
        "n", "n", "s", "", "p", "p", "ts", "ts", "q", "r", "sh", "t"};
    /* Arabic, U+0621 to U+064A (U+063B to U+0640 are no letters) */
    static const char *const arabic[] = {
        "", "a", "a", "", "a", "", "a", "b", "a", "t", "th", "j", "h", "kh", "d",
        "dh", "r", "z", "s", "sh", "s", "d", "t", "z", "", "gh", NULL, NULL, NULL, NULL,
        NULL, NULL, "f", "q", "k", "l", "m", "n", "h", "w", "a", "y"};
    if (c >= 0x05D0 && c <= 0x05EA) return hebrew[c - 0x05D0];
    if (c >= 0x0621 && c <= 0x064A) return arabic[c - 0x0621];
    switch (c) {
    case 0x05F0: return "v";  /* װ double vav */
    case 0x05F1: return "wy"; /* ױ */
    case 0x05F2: return "yy"; /* ײ */
    case 0x0671: return "a";  /* ٱ alef wasla */
    case 0x067E: return "p";  /* پ */
    case 0x0686: return "ch"; /* چ */
    case 0x0698: return "zh"; /* ژ */
    case 0x06A9: return "k";  /* ک */
    case 0x06AF: return "g";  /* گ */
    case 0x06CC: return "y";  /* ی */
    case 0x06D2: return "y";  /* ے */
    case 0x06C0: return "h";  /* ۀ */
    case 0x06C1: return "h";  /* ہ */
    case 0x06BE: return "h";  /* ھ */
    case 0x06D5: return "a";  /* ە */
    case 0x0679: return "t";  /* ٹ */
    case 0x0688: return "d";  /* ڈ */
    case 0x0691: return "r";  /* ڑ */
    case 0x06BA: return "n";  /* ں */
    default: return NULL;
    }
}

bool dv_rom_is_abjad(uint16_t c) { return abjad_letter(c) != NULL; }

/* vowel points and cantillation (Hebrew), harakat (Arabic), tatweel,
 * zero-width non-joiner: inside a word, written as nothing */
static bool abjad_mark(uint16_t c)
{
    return (c >= 0x0591 && c <= 0x05C7 && c != 0x05BE && c != 0x05C0 && c != 0x05C3 &&
            c != 0x05C6) ||
           (c >= 0x064B && c <= 0x065F) || c == 0x0670 || c == 0x0640 || c == 0x200C;
}

static bool is_hebrew(uint16_t c) { return c >= 0x0590 && c <= 0x05FF; }

size_t dv_rom_abjad(const uint16_t *v, int32_t n, int32_t *i, char *out, size_t len, size_t cap)
{
    /* the word's letters, marks skipped; a geresh (׳, ') after ג ז צ makes
     * the sound Hebrew has no letter for (J, ZH, CH); gershayim (״, ")
     * between letters marks an abbreviation (בע"מ) and is written as
     * nothing */
    enum { MAX_LETTERS = 64 };
    uint16_t L[MAX_LETTERS];
    bool geresh[MAX_LETTERS];
    int m = 0;
    int32_t k = *i;
    while (k < n) {
        uint16_t c = v[k];
        if (dv_rom_is_abjad(c)) {
            if (m < MAX_LETTERS) L[m] = c, geresh[m] = false, m++;
            k++;
        } else if (abjad_mark(c)) {
            k++;
        } else if (m && is_hebrew(L[m - 1]) && (c == 0x05F3 || c == '\'') &&
                   (L[m - 1] == 0x05D2 || L[m - 1] == 0x05D6 || L[m - 1] == 0x05E6 ||
                    L[m - 1] == 0x05E5)) {
            geresh[m - 1] = true;
            k++;
        } else if (c == '.' && m && k + 1 < n && dv_rom_is_abjad(v[k + 1]) &&
                   (m == 1 || v[k - 2] == '.')) {
            k++; /* ذ.م.م: an abbreviation, one letter a dot */
        } else if (m && is_hebrew(L[m - 1]) && (c == 0x05F4 || c == '"') && k + 1 < n &&
                   is_hebrew(v[k + 1]) && dv_rom_is_abjad(v[k + 1])) {
            k++;
        } else {
            break;
        }
    }
    *i = k;
    /* the Arabic article and the prefixes written on to it */
    int start = 0;
    bool article = false;
    if (m >= 4 && L[0] == 0x0644 && L[1] == 0x0644) { /* لل: for the */
        start = 2;
    } else if (m >= 4 && L[0] == 0x0627 && L[1] == 0x0644) { /* ال */
        start = 2, article = true;
    } else if (m >= 5 && L[1] == 0x0627 && L[2] == 0x0644 &&
               (L[0] == 0x0648 || L[0] == 0x0628 || L[0] == 0x0641 || L[0] == 0x0643)) {
        start = 3, article = true; /* وال بال فال كال */
    }
    char w[3 * MAX_LETTERS + 8];
    size_t wl = 0;
    for (int j = start; j < m; j++) {
        const char *r = abjad_letter(L[j]);
        if (geresh[j]) r = L[j] == 0x05D2 ? "j" : L[j] == 0x05D6 ? "zh" : "ch";
        /* a letter written h after one written s, k, t, d, g, z is written
         * hh, so that the skeleton reads two letters, not SH, KH ... */
        if (!strcmp(r, "h") && wl && strchr("sktdgz", w[wl - 1])) r = "hh";
        size_t rl = strlen(r);
        memcpy(w + wl, r, rl);
        wl += rl;
    }
    if (!wl) return len; /* only letters written as nothing */
    size_t need = 1 + (article ? 3 : 0) + 1 + wl + 1;
    if (len + need + 1 > cap) return len;
    out[len++] = ' ';
    if (article) memcpy(out + len, "al ", 3), len += 3;
    out[len++] = DV_ROM_MARK;
    memcpy(out + len, w, wl);
    len += wl;
    out[len++] = ' ';
    out[len] = '\0';
    return len;
}

/* ---- skeletons ---- */

/* The consonant classes, as letters: B (b p f v), T (t th), D (d dh),
 * S (s z sh zh ts tz, c before e i y), K (k q g gh c, kh and ch as kaf),
 * H (h, kh and ch as het), J (j dj, ch as chim), L M N R; CH is also
 * S, as French romanisation writes shin (Rachid). */

/* one position of a Latin token: up to four classes it may be ('\0': none) */
typedef struct slot {
    char c[4];
    int n;
} slot;

static size_t latin_slots(const char *t, size_t len, slot *s, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n < max;) {
        char a = t[i], b = i + 1 < len ? t[i + 1] : 0, c = i + 2 < len ? t[i + 2] : 0;
        slot x = {{0, 0, 0, 0}, 1};
        size_t step = 1;
        if (a == 'S' && b == 'C' && c == 'H') x.c[0] = 'S', step = 3;
        else if (a == 'D' && b == 'Z' && c == 'H') x.c[0] = 'J', step = 3;
        else if ((a == 'S' || a == 'Z') && b == 'H') x.c[0] = 'S', step = 2;
        else if (a == 'T' && (b == 'S' || b == 'Z')) x.c[0] = 'S', step = 2;
        else if (a == 'T' && b == 'H') x.c[0] = 'T', step = 2;
        else if (a == 'D' && b == 'H') x.c[0] = 'D', step = 2;
        else if (a == 'D' && b == 'J') x.c[0] = 'J', step = 2;
        else if (a == 'G' && b == 'H') x.c[0] = 'K', step = 2;
        else if (a == 'P' && b == 'H') x.c[0] = 'B', step = 2;
        else if (a == 'C' && b == 'K') x.c[0] = 'K', step = 2;
        else if (a == 'K' && b == 'H') x = (slot){{'K', 'H', 0, 0}, 2}, step = 2;
        else if (a == 'C' && b == 'H') x = (slot){{'K', 'H', 'J', 'S'}, 4}, step = 2;
        else if (strchr("AEIOUYW", a)) x.c[0] = 0;
        else if (a == 'B' || a == 'P' || a == 'F') x.c[0] = 'B';
        else if (a == 'V') x = (slot){{'B', 0, 0, 0}, 2};
        else if (a == 'C') x.c[0] = b && strchr("EIY", b) ? 'S' : 'K';
        else if (a == 'K' || a == 'Q') x.c[0] = 'K';
        else if (a == 'G') x = (slot){{'K', 'J', 0, 0}, 2};
        else if (a == 'Z' || a == 'S') x.c[0] = 'S';
        else if (a == 'X') { /* KS: two positions */
            s[n++] = (slot){{'K', 0, 0, 0}, 1};
            if (n < max) s[n++] = (slot){{'S', 0, 0, 0}, 1};
            i++;
            continue;
        } else if (a == 'H') x.c[0] = i && !strchr("AEIOUYW", t[i - 1]) ? 0 : 'H'; /* BH, RH */
        else if (strchr("TDJLMNR", a)) x.c[0] = a;
        else x.c[0] = 0; /* a digit */
        if (x.n > 1 || x.c[0]) s[n++] = x;
        i += step;
    }
    return n;
}

/* the skeleton of one choice of classes: doubles once, a final H dropped */
static size_t finish(const char *c, size_t n, char *out)
{
    size_t m = 0;
    for (size_t i = 0; i < n && m + 1 < DV_ROM_SKEL_LEN; i++)
        if (c[i] && (!m || out[m - 1] != c[i])) out[m++] = c[i];
    if (m && out[m - 1] == 'H') m--;
    out[m] = '\0';
    return m;
}

static size_t latin_skeletons(const char *t, size_t len, char out[][DV_ROM_SKEL_LEN], size_t have)
{
    slot s[DV_ROM_SKEL_LEN];
    size_t n = latin_slots(t, len, s, DV_ROM_SKEL_LEN);
    /* every choice, the first slot's first option varying slowest, until
     * DV_ROM_MAX_SKELS, and 32 choices tried at most: a token of many
     * such letters (VVVV...) would have millions, most of them alike
     * (fuzz_screen) */
    int pick[DV_ROM_SKEL_LEN] = {0};
    for (int tries = 0; tries < 4 * DV_ROM_MAX_SKELS; tries++) {
        char c[DV_ROM_SKEL_LEN];
        for (size_t i = 0; i < n; i++) c[i] = s[i].c[pick[i]];
        char sk[DV_ROM_SKEL_LEN];
        finish(c, n, sk);
        bool seen = false;
        for (size_t k = 0; k < have && !seen; k++) seen = !strcmp(out[k], sk);
        if (!seen && have < DV_ROM_MAX_SKELS) memcpy(out[have++], sk, DV_ROM_SKEL_LEN);
        if (have == DV_ROM_MAX_SKELS) break;
        size_t i = n;
        while (i > 0 && ++pick[i - 1] == s[i - 1].n) pick[--i] = 0;
        if (!i) break;
    }
    return have;
}

static size_t abjad_skeleton(const char *t, size_t len, char *out)
{
    char c[DV_ROM_SKEL_LEN];
    size_t n = 0;
    for (size_t i = 0; i < len && n < DV_ROM_SKEL_LEN;) {
        char a = t[i], b = i + 1 < len ? t[i + 1] : 0, x = 0;
        size_t step = 1;
        if (b == 'h' && strchr("sktdgzc", a)) {
            x = a == 's' || a == 'z' ? 'S' : a == 'k' || a == 'g' ? 'K' : a == 't' ? 'T' :
                a == 'd' ? 'D' : 'J';
            step = 2;
        } else if (a == 't' && b == 's') {
            x = 'S', step = 2;
        } else if (strchr("bpfv", a)) x = 'B';
        else if (strchr("kqgc", a)) x = 'K';
        else if (a == 's' || a == 'z') x = 'S';
        else if (strchr("tdjhlmnr", a)) x = (char)(a - 'a' + 'A');
        c[n++] = x;
        i += step;
    }
    return finish(c, n, out);
}

size_t dv_rom_skeletons(const char *t, size_t len, char out[][DV_ROM_SKEL_LEN])
{
    if (dv_rom_is_abjad_token(t, len)) {
        abjad_skeleton(t, len, out[0]);
        return 1;
    }
    size_t have = latin_skeletons(t, len, out, 0);
    /* AL-, EL-, UL- written on to the name: the article, or not */
    if (len >= 5 && t[1] == 'L' && (t[0] == 'A' || t[0] == 'E' || t[0] == 'U') &&
        !strchr("AEIOUY", t[2]))
        have = latin_skeletons(t + 2, len - 2, out, have);
    return have;
}

double dv_rom_skeleton_sim(const char *a, size_t la, const char *b, size_t lb)
{
    if (dv_rom_is_abjad_token(b, lb)) {
        const char *t = a;
        a = b, b = t;
        size_t tl = la;
        la = lb, lb = tl;
    }
    char x[1][DV_ROM_SKEL_LEN], y[DV_ROM_MAX_SKELS][DV_ROM_SKEL_LEN];
    dv_rom_skeletons(a, la, x);
    size_t xl = strlen(x[0]);
    if (xl < 2) return 0.0;
    size_t ny = dv_rom_skeletons(b, lb, y);
    for (size_t k = 0; k < ny; k++)
        if (!strcmp(x[0], y[k])) return xl >= 3 ? DV_ROM_SKEL_SIM : DV_ROM_SKEL_SHORT_SIM;
    return 0.0;
}

size_t dv_rom_keys(const char *t, size_t len, bool probe, uint64_t *keys)
{
    if (dv_rom_is_syllabic_token(t, len)) return 0; /* dv_rom_korean_keys */
    char sk[DV_ROM_MAX_SKELS][DV_ROM_SKEL_LEN];
    bool abjad = dv_rom_is_abjad_token(t, len);
    size_t ns = dv_rom_skeletons(t, len, sk), nk = 0;
    /* an abjad skeleton and a Latin one are salted apart; a token is
     * indexed under its own salt and looked up under the other's */
    char salt = (char)(abjad != probe ? 'a' : 'l');
    for (size_t k = 0; k < ns; k++) {
        size_t sl = strlen(sk[k]);
        if (sl < 2) continue;
        char b[DV_ROM_SKEL_LEN + 1];
        b[0] = salt;
        memcpy(b + 1, sk[k], sl);
        keys[nk++] = dv_tok_hash(b, sl + 1, DV_TOK_WHOLE);
    }
    return nk;
}

/* ---- Hangul ---- */

/* Revised Romanization of Korean (Ministry of Culture and Tourism, 2000,
 * rules 1 to 3): the initial, medial and final jamo of a syllable, the
 * finals as they sound before a consonant or at the end */
static const char *const ko_initial[19] = {"g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s",
                                           "ss", "", "j", "jj", "ch", "k", "t", "p", "h"};
static const char *const ko_medial[21] = {"a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa",
                                          "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "eu", "ui",
                                          "i"};
static const char *const ko_final[28] = {"", "k", "k", "k", "n", "n", "n", "t", "l", "k",
                                         "m", "l", "l", "l", "p", "l", "m", "p", "p", "t",
                                         "t", "ng", "t", "t", "k", "t", "p", "t"};
/* a final carried on to a following vowel (ㅇ initial), as that initial */
static const char *const ko_carried[28] = {"", "g", "kk", "ks", "n", "nj", "n", "d", "r", "lg",
                                           "lm", "lb", "ls", "lt", "lp", "r", "m", "b", "ps", "s",
                                           "ss", "ng", "j", "ch", "k", "t", "p", ""};

bool dv_rom_is_hangul(uint16_t c) { return c >= 0xAC00 && c <= 0xD7A3; }

/* the business words Korean writes on to a name (삼성전자, 현대건설), by
 * their syllables: split off when two syllables at least come before */
static const uint16_t ko_glued[][4] = {
    {0xC804, 0xC790},         /* 전자 electronics */
    {0xBB34, 0xC5ED},         /* 무역 trading */
    {0xC0C1, 0xC0AC},         /* 상사 trading */
    {0xC0B0, 0xC5C5},         /* 산업 industries */
    {0xAE30, 0xC220},         /* 기술 technology */
    {0xC740, 0xD589},         /* 은행 bank */
    {0xD574, 0xC6B4},         /* 해운 shipping */
    {0xAC74, 0xC124},         /* 건설 construction */
    {0xBB3C, 0xB958},         /* 물류 logistics */
    {0xD654, 0xD559},         /* 화학 chemical */
    {0xC911, 0xACF5, 0xC5C5}, /* 중공업 heavy industries */
    {0xC8FC, 0xC2DD, 0xD68C, 0xC0AC}, /* 주식회사 (a form) */
    {0xD56D, 0xACF5},         /* 항공 air(lines) */
    {0xCD1D, 0xD68C, 0xC0AC}, /* 총회사 general corporation */
    {0},
};

/* and the words for Korea written before it (조선련봉총회사, 한국전력) */
static const uint16_t ko_glued_first[][4] = {
    {0xC870, 0xC120}, /* 조선 Korea (North Korean usage) */
    {0xD55C, 0xAD6D}, /* 한국 Korea */
    {0},
};

static size_t glued_len(const uint16_t *g)
{
    size_t n = 0;
    while (n < 4 && g[n]) n++;
    return n;
}

/* syllables s[0..n) in RR onto w; returns the length */
/* Append a word of syllables w[0..wl) to out (len bytes so far, cap in
 * all) as a token marked as such, with a space either side; nothing when
 * it is empty or does not fit. Returns the new length. */
static size_t put_syllables(char *out, size_t len, size_t cap, const char *w, size_t wl)
{
    if (!wl || len + wl + 3 >= cap) return len;
    out[len++] = ' ';
    out[len++] = DV_ROM_MARK_SYL;
    memcpy(out + len, w, wl);
    len += wl;
    out[len++] = ' ';
    out[len] = '\0';
    return len;
}

static size_t ko_syllables(const uint16_t *s, int n, char *w, size_t cap)
{
    size_t wl = 0;
    for (int j = 0; j < n; j++) {
        int x = s[j] - 0xAC00, ini = x / (21 * 28), med = (x / 28) % 21, fin = x % 28;
        int next_ini = j + 1 < n ? (s[j + 1] - 0xAC00) / (21 * 28) : -1;
        const char *i_s = ko_initial[ini];
        /* after a final, the initial as it sounds: carried finals come
         * first (below); ㄹ after ㄴ or ㄹ is l (Seollal), ㄹ after other
         * finals n */
        if (j && ini == 5) {
            int pf = (s[j - 1] - 0xAC00) % 28;
            if (pf == 4 || pf == 8) i_s = "l";
            else if (pf) i_s = "n";
        }
        const char *f_s = ko_final[fin];
        if (fin && next_ini == 11) {
            f_s = ko_carried[fin]; /* 한국어 han-gu-geo */
        } else if (fin && next_ini >= 0) {
            char f0 = f_s[0];
            /* nasalisation: k t p before n m (ㄹ read n) are ng n m */
            if ((next_ini == 2 || next_ini == 6 || next_ini == 5) && (f0 == 'k' || f0 == 't' || f0 == 'p'))
                f_s = f0 == 'k' ? "ng" : f0 == 't' ? "n" : "m";
            /* n before ㄹ is l (Silla) */
            else if (next_ini == 5 && !strcmp(f_s, "n"))
                f_s = "l";
        }
        const char *m_s = ko_medial[med];
        size_t need = strlen(i_s) + strlen(m_s) + strlen(f_s);
        if (wl + need + 1 > cap) break;
        /* the initial ㅇ writes nothing: a carried final stands in */
        memcpy(w + wl, i_s, strlen(i_s)), wl += strlen(i_s);
        memcpy(w + wl, m_s, strlen(m_s)), wl += strlen(m_s);
        memcpy(w + wl, f_s, strlen(f_s)), wl += strlen(f_s);
    }
    w[wl] = '\0';
    return wl;
}

size_t dv_rom_hangul(const uint16_t *v, int32_t n, int32_t *i, char *out, size_t len, size_t cap)
{
    enum { MAX_SYL = 32 };
    uint16_t s[MAX_SYL];
    int m = 0;
    int32_t k = *i;
    while (k < n && dv_rom_is_hangul(v[k])) {
        if (m < MAX_SYL) s[m++] = v[k];
        k++;
    }
    *i = k;
    /* Korea, the name, then a business word written on to it */
    int first = 0, cut = m;
    for (size_t g = 0; ko_glued_first[g][0]; g++) {
        int gl = (int)glued_len(ko_glued_first[g]);
        if (m >= gl + 2 && !memcmp(s, ko_glued_first[g], (size_t)gl * sizeof *s)) {
            first = gl;
            break;
        }
    }
    for (size_t g = 0; ko_glued[g][0]; g++) {
        int gl = (int)glued_len(ko_glued[g]);
        if (m >= first + gl + 2 && !memcmp(s + m - gl, ko_glued[g], (size_t)gl * sizeof *s)) {
            cut = m - gl;
            break;
        }
    }
    int bounds[4] = {0, first, cut, m};
    for (int part = 0; part < 3; part++) {
        int from = bounds[part], to = bounds[part + 1];
        if (from >= to) continue;
        char w[8 * MAX_SYL + 1];
        size_t wl = ko_syllables(s + from, to - from, w, sizeof w);
        len = put_syllables(out, len, cap, w, wl);
    }
    return len;
}

/* RR, McCune-Reischauer and the spellings companies use, folded: the
 * vowels EO, EU, O, OO, OU, U as U; AE, AI, AY as E; EE as I; W before U
 * gone; G as K, D as T, B as P, CH as J, SH as S, R as L; an H before a
 * consonant gone (Burmese Htoo, Hpa, Hsipaw as Too, Pa, Sipaw); doubles
 * once */
size_t dv_rom_korean_fold(const char *t, size_t len, char *out)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 1 < DV_ROM_SKEL_LEN;) {
        char a = (char)(t[i] & ~0x20), b = i + 1 < len ? (char)(t[i + 1] & ~0x20) : 0;
        if (t[i] >= '0' && t[i] <= '9') a = t[i];
        char c = a;
        size_t step = 1;
        if ((a == 'E' && (b == 'O' || b == 'U')) || (a == 'O' && (b == 'O' || b == 'U')))
            c = 'U', step = 2;
        else if (a == 'A' && (b == 'E' || b == 'I' || b == 'Y')) c = 'E', step = 2;
        else if (a == 'E' && b == 'E') c = 'I', step = 2;
        else if (a == 'C' && b == 'H') c = 'J', step = 2;
        else if (a == 'S' && b == 'H') c = 'S', step = 2;
        else if (a == 'W' && (b == 'O' || b == 'U')) { i++; continue; }
        else if (a == 'H' && b && !strchr("AEIOUY", b)) { i++; continue; } /* Htun, Hpa: Tun, Pa */
        else if (a == 'O') c = 'U';
        else if (a == 'G') c = 'K';
        else if (a == 'D') c = 'T';
        else if (a == 'B') c = 'P';
        else if (a == 'R') c = 'L';
        i += step;
        if (n && out[n - 1] == c) continue;
        out[n++] = c;
    }
    out[n] = '\0';
    return n;
}

double dv_rom_korean_sim(const char *a, size_t la, const char *b, size_t lb)
{
    char fa[DV_ROM_SKEL_LEN], fb[DV_ROM_SKEL_LEN];
    if (la >= DV_ROM_SKEL_LEN || lb >= DV_ROM_SKEL_LEN) return 0.0;
    size_t na = dv_rom_korean_fold(a, la, fa), nb = dv_rom_korean_fold(b, lb, fb);
    if (na != nb || memcmp(fa, fb, na) != 0) return 0.0;
    /* a fold of two letters (Htoo, Htu: TU) from tokens of three: a short
     * pair, which counts only beside another (as a short skeleton) */
    if (na == 2 && la >= 3 && lb >= 3) return DV_ROM_SKEL_SHORT_SIM;
    return na >= 3 ? DV_ROM_KOREAN_SIM : 0.0;
}

size_t dv_rom_korean_keys(const char *t, size_t len, bool probe, uint64_t *keys)
{
    if (dv_rom_is_abjad_token(t, len) || len >= DV_ROM_SKEL_LEN) return 0;
    bool hangul = dv_rom_is_syllabic_token(t, len);
    char b[DV_ROM_SKEL_LEN + 1];
    size_t n = dv_rom_korean_fold(t, len, b + 1);
    if (n < 2 || (n == 2 && len < 3)) return 0;
    b[0] = (char)(hangul != probe ? 'h' : 'k');
    keys[0] = dv_tok_hash(b, n + 1, DV_TOK_WHOLE);
    return 1;
}

/* ---- Japanese ---- */

/* kana (hiragana, katakana and its phonetic extensions) */
static bool is_kana(uint16_t c)
{
    return (c >= 0x3041 && c <= 0x30FA) || c == 0x30FC || (c >= 0x31F0 && c <= 0x31FF);
}

bool dv_rom_is_japanese(const uint16_t *v, int32_t n)
{
    /* the first words of the legal forms that only Japan writes: 株式
     * (kabushiki), 有限 (yūgen), 合同 (gōdō), 合資 (gōshi), 合名 (gōmei),
     * before 会社 */
    static const uint16_t forms[][2] = {
        {0x682A, 0x5F0F}, {0x6709, 0x9650}, {0x5408, 0x540C}, {0x5408, 0x8CC7}, {0x5408, 0x540D}};
    for (int32_t i = 0; i < n; i++) {
        if (is_kana(v[i])) return true;
        if (i + 3 < n && v[i + 2] == 0x4F1A && v[i + 3] == 0x793E)
            for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++)
                if (v[i] == forms[f][0] && v[i + 1] == forms[f][1]) return true;
    }
    return false;
}

/* kakasi (libkakasi) keeps its state in globals: one name at a time */
static pthread_mutex_t kakasi_lock = PTHREAD_MUTEX_INITIALIZER;
static bool kakasi_ready;

/* Japanese words written on to a name (伊藤忠商事, itochushoji): split off
 * when three letters at least come before; longest first where one ends
 * another (jukogyo, kogyo) */
static const char *const ja_glued[] = {
    "seisakusho", "horudingusu", "kensetsu", "seitetsu", "jukogyo", "jidosha", "gurupu",
    "sangyo", "kogyo", "kaiun", "denshi", "kagaku", "bussan", "tsusho", "shokai", "seiyaku",
    "shoken", "shoji", "boeki", "kisen", "yusen", "ginko", "denki", "kikai", "kaijo", "hoken",
    "tekko", NULL};

size_t dv_rom_japanese(const uint16_t *v, int32_t n, char *out, size_t cap)
{
    if (!cap) return 0;
    out[0] = '\0';
    /* kakasi reads EUC-JP */
    UErrorCode st = U_ZERO_ERROR;
    UConverter *cv = ucnv_open("EUC-JP", &st);
    if (U_FAILURE(st) || !cv) return 0;
    int32_t need = ucnv_fromUChars(cv, NULL, 0, (const UChar *)v, n, &st);
    st = U_ZERO_ERROR;
    char *euc = malloc((size_t)need + 1);
    if (!euc) {
        ucnv_close(cv);
        return 0;
    }
    ucnv_fromUChars(cv, euc, need + 1, (const UChar *)v, n, &st);
    ucnv_close(cv);
    if (U_FAILURE(st)) {
        free(euc);
        return 0;
    }
    char *r = NULL;
    pthread_mutex_lock(&kakasi_lock);
    if (!kakasi_ready) {
        /* kanji, hiragana, katakana and their signs to romaji (Hepburn),
         * words apart */
        static char a0[] = "kakasi", a1[] = "-Ja", a2[] = "-Ha", a3[] = "-Ka", a4[] = "-Ea",
                    a5[] = "-s";
        char *argv[] = {a0, a1, a2, a3, a4, a5, NULL};
        kakasi_ready = kakasi_getopt_argv(6, argv) == 0;
    }
    if (kakasi_ready) r = kakasi_do(euc);
    pthread_mutex_unlock(&kakasi_lock);
    free(euc);
    if (!r) return 0;
    /* long vowels as English names write them (Tōkyō, toukyou: Tokyo;
     * jūkōgyō, juukougyou: Jukogyo; Ōsaka, oosaka: Osaka); the
     * katakana long vowel mark (^) dropped; what kakasi left outside
     * ASCII separates */
    size_t len = 0;
    for (const char *p = r; *p && len + 2 < cap; p++) {
        unsigned char c = (unsigned char)*p;
        char x = c < 0x80 && c >= 0x20 ? (char)c : ' ';
        if (x == '^') continue;
        char lx = (char)(x | 0x20), prev = len ? (char)(out[len - 1] | 0x20) : 0;
        if (x >= 'A' && x <= 'z' && ((prev == 'o' && (lx == 'u' || lx == 'o')) ||
                                     (prev == 'u' && lx == 'u') || (prev == 'a' && lx == 'a') ||
                                     (prev == 'e' && lx == 'e')))
            continue;
        out[len++] = x;
    }
    out[len] = '\0';
    kakasi_free(r);
    /* business words written on to a name: a space before them */
    char *w = malloc(2 * len + 2);
    if (!w) return len;
    size_t wl = 0;
    for (size_t i = 0; i <= len;) {
        size_t j = i;
        while (j < len && out[j] != ' ') j++;
        size_t cut = j;
        for (int g = 0; ja_glued[g]; g++) {
            size_t gl = strlen(ja_glued[g]);
            if (j - i >= gl + 3 && !memcmp(out + j - gl, ja_glued[g], gl)) {
                cut = j - gl;
                break;
            }
        }
        memcpy(w + wl, out + i, cut - i), wl += cut - i;
        if (cut < j) {
            w[wl++] = ' ';
            memcpy(w + wl, out + cut, j - cut), wl += j - cut;
        }
        if (j < len) w[wl++] = ' ';
        i = j + 1;
    }
    if (wl + 1 > cap) wl = cap - 1;
    memcpy(out, w, wl);
    out[wl] = '\0';
    free(w);
    return wl;
}

void dv_rom_cleanup(void)
{
    pthread_mutex_lock(&kakasi_lock);
    if (kakasi_ready) kakasi_close_kanwadict();
    kakasi_ready = false;
    pthread_mutex_unlock(&kakasi_lock);
}

/* ---- Burmese ---- */

/* The consonants U+1000 to U+1021 as Myanmar names are written in English
 * (the conventional romanisation: MLCTS's letters with the spellings
 * names use: ထ ht, ဖ hp, ဆ hs, သ th, ရ y, as in Htoo, Hpa-an, Hsipaw,
 * Thiri, Yangon) and as a final before asat */
static const char *const my_onset[34] = {
    "k", "kh", "g", "g", "ng", "s", "hs", "z", "z", "ny", "ny", "t", "ht", "d", "d", "n", "t",
    "ht", "d", "d", "n", "p", "hp", "b", "b", "m", "y", "y", "l", "w", "th", "h", "l", "" /* အ */};

bool dv_rom_is_burmese(uint16_t c) { return c >= 0x1000 && c <= 0x104F; }

/* the rhyme of a syllable: its vowel signs (as a small set) and final */
enum { MV_AA = 1, MV_I = 2, MV_II = 4, MV_U = 8, MV_UU = 16, MV_E = 32, MV_AI = 64, MV_ANU = 128 };

static const char *my_rhyme(unsigned v, uint16_t fin, bool medial_w)
{
    bool o = (v & MV_I) && (v & MV_U), aw = (v & MV_E) && (v & MV_AA);
    if (!fin) {
        if (v & MV_ANU) return (v & MV_U) ? "on" : (v & MV_I) ? "ein" : "an";
        if (aw) return "aw";
        if (o) return "o";
        if (v & (MV_I | MV_II)) return "i";
        if (v & (MV_U | MV_UU)) return "u";
        if (v & (MV_E | MV_AI)) return "e";
        return medial_w ? "" : "a";
    }
    int cls = fin == 0x1000 || fin == 0x1004   ? 'k'  /* က င */
              : fin == 0x1005 || fin == 0x1009 || fin == 0x100A ? 'c' /* စ ဉ ည */
              : fin == 0x1010 || fin == 0x1014 || fin == 0x100F ? 't' /* တ န ဏ */
              : fin == 0x1015 || fin == 0x1019 ? 'p'  /* ပ မ */
              : fin == 0x101A ? 'y' : 't';
    bool nasal = fin == 0x1004 || fin == 0x1009 || fin == 0x1014 || fin == 0x1019 || fin == 0x100F;
    if (cls == 'y') return "e";
    if (cls == 'c') return fin == 0x100A ? "i" : nasal ? "in" : "it";
    if (cls == 'k') {
        if (aw) return nasal ? "aung" : "auk";
        if (o) return nasal ? "aing" : "aik";
        return nasal ? "in" : "et";
    }
    /* t and p */
    if (o || (v & MV_U)) return nasal ? "on" : "ok";
    if (v & MV_I) return nasal ? "ein" : "eik";
    if (medial_w) return nasal ? "un" : "ut";
    return nasal ? "an" : "at";
}

size_t dv_rom_burmese(const uint16_t *v, int32_t n, int32_t *i, char *out, size_t len, size_t cap)
{
    char w[256];
    size_t wl = 0;
    int32_t k = *i;
    while (k < n && dv_rom_is_burmese(v[k]) && wl + 16 < sizeof w) {
        uint16_t c = v[k];
        if (c >= 0x1040 && c <= 0x1049) { /* Burmese digits */
            w[wl++] = (char)('0' + c - 0x1040);
            k++;
            continue;
        }
        if (c == 0x104A || c == 0x104B || c == 0x104C || c == 0x104D || c == 0x104E ||
            c == 0x104F) { /* punctuation and signs: the word ends */
            k++;
            break;
        }
        const char *ind = NULL; /* independent vowels */
        switch (c) {
        case 0x1023: case 0x1024: ind = "i"; break;
        case 0x1025: case 0x1026: ind = "u"; break;
        case 0x1027: ind = "e"; break;
        case 0x1029: case 0x102A: ind = "aw"; break;
        case 0x103F: ind = "th"; break;
        default: break;
        }
        if (ind) {
            memcpy(w + wl, ind, strlen(ind)), wl += strlen(ind);
            k++;
            while (k < n && (v[k] == 0x1037 || v[k] == 0x1038 || v[k] == 0x102C || v[k] == 0x103A)) k++;
            continue;
        }
        if (c > 0x1021) { k++; continue; } /* a sign without its consonant */
        /* a consonant stacked on the next (virama) or killed (asat) ends
         * the previous syllable: its letter alone */
        if (k + 1 < n && (v[k + 1] == 0x1039 || v[k + 1] == 0x103A)) {
            const char *f = my_onset[c - 0x1000];
            size_t fl = strlen(f);
            if (fl > 1 && (f[0] == 'h')) f++, fl--; /* ht as t */
            memcpy(w + wl, f, fl), wl += fl;
            k += 2;
            continue;
        }
        /* onset and medials */
        uint16_t ini = c;
        k++;
        bool my = false, mr = false, mw = false, mh = false;
        while (k < n && v[k] >= 0x103B && v[k] <= 0x103E) {
            my |= v[k] == 0x103B, mr |= v[k] == 0x103C, mw |= v[k] == 0x103D, mh |= v[k] == 0x103E;
            k++;
        }
        char on[8] = "";
        const char *b = my_onset[ini - 0x1000];
        if (mh && (ini == 0x101B || ini == 0x101A)) strcpy(on, "sh"); /* ရှ ယှ */
        else if (mh) snprintf(on, sizeof on, "h%s", b);
        else if ((my || mr) && ini == 0x1000) strcpy(on, "ky");
        else if ((my || mr) && ini == 0x1001) strcpy(on, "ch");
        else if ((my || mr) && ini == 0x1002) strcpy(on, "gy");
        else if (my || mr) snprintf(on, sizeof on, "%sy", b);
        else snprintf(on, sizeof on, "%s", b);
        /* vowel signs */
        unsigned vs = 0;
        for (; k < n; k++) {
            uint16_t x = v[k];
            if (x == 0x102B || x == 0x102C) vs |= MV_AA;
            else if (x == 0x102D) vs |= MV_I;
            else if (x == 0x102E) vs |= MV_II;
            else if (x == 0x102F) vs |= MV_U;
            else if (x == 0x1030) vs |= MV_UU;
            else if (x == 0x1031) vs |= MV_E;
            else if (x == 0x1032) vs |= MV_AI;
            else if (x == 0x1036) vs |= MV_ANU;
            else if (x == 0x1037 || x == 0x1038 || x == 0x103A) continue; /* tones, asat on ော် */
            else break;
        }
        /* a final: a consonant with asat, then tones */
        uint16_t fin = 0;
        bool creaky = false;
        if (k + 2 < n && v[k] >= 0x1000 && v[k] <= 0x1021 && v[k + 1] == 0x1037 &&
            v[k + 2] == 0x103A) { /* the dot below typed before asat */
            fin = v[k];
            creaky = true;
            k += 3;
        } else if (k + 1 < n && v[k] >= 0x1000 && v[k] <= 0x1021 && v[k + 1] == 0x103A) {
            fin = v[k];
            k += 2;
            for (; k < n && (v[k] == 0x1037 || v[k] == 0x1038); k++) creaky |= v[k] == 0x1037;
        }
        /* ရ before i is r in the Pali words names keep (Thiri) */
        if (ini == 0x101B && !mh && (vs & (MV_I | MV_II)) && !fin) strcpy(on, "r");
        const char *rh = my_rhyme(vs, fin, mw);
        /* the medial w is the vowel of un and ut (Htun), else written */
        bool w_vowel = fin && !(vs & (MV_I | MV_U)) && fin != 0x1000 && fin != 0x1004;
        if (mw && !w_vowel) strcat(on, "w");
        size_t ol = strlen(on), rl = strlen(rh);
        memcpy(w + wl, on, ol), wl += ol;
        memcpy(w + wl, rh, rl), wl += rl;
        /* the creaky tone after a nasal final is written t (Myint, Thant) */
        bool nasal_end = rl && rh[rl - 1] == 'n';
        if (creaky && nasal_end) w[wl++] = 't';
    }
    if (k == *i) k++; /* never stand still */
    *i = k;
    return put_syllables(out, len, cap, w, wl);
}
