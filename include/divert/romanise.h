/*
 * romanise.h: names in scripts that ICU's transliteration serves badly,
 * romanised by divert itself, and how their tokens meet Latin spellings.
 *
 * The abjads (Hebrew, Arabic, Persian) write consonants and leave most
 * vowels out: a token from them cannot equal its vowelled Latin spelling
 * (النور, Al Noor; תבור, Tavor). dv_rom_abjad writes such a word as a
 * token of lower-case letters, one or two a letter (the case is the
 * token's mark of where it came from: every other token is upper case),
 * and the Arabic article and prefixes apart. An abjad token meets a Latin
 * token by their consonant skeletons (dv_rom_skeletons): vowels and the
 * letters the abjads write as vowels dropped, the consonants the
 * romanisations write differently folded into one class. Pure functions,
 * no state.
 */
#ifndef DIVERT_ROMANISE_H
#define DIVERT_ROMANISE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The similarity of an abjad token and a Latin token whose skeletons
 * agree: of three consonants or more, and of two (which does not make a
 * pair distinctive: the scorer counts it only beside another pair). */
#define DV_ROM_SKEL_SIM 0.90
#define DV_ROM_SKEL_SHORT_SIM 0.89

enum {
    DV_ROM_MAX_SKELS = 8,   /* skeletons of one Latin token at most */
    DV_ROM_SKEL_LEN = 32,   /* letters of a skeleton at most, NUL included */
    DV_ROM_MAX_KEYS = DV_ROM_MAX_SKELS
};

/* Whether c (a UTF-16 unit, NFKC) is a letter of the Hebrew or Arabic
 * block (Persian and Urdu letters included) that dv_rom_abjad writes. */
bool dv_rom_is_abjad(uint16_t c);

/* The abjad word that starts at v[*i] (a letter, dv_rom_is_abjad),
 * romanised onto out (a NUL-terminated buffer of at least cap bytes;
 * returns the new length, or len unchanged when there is no room), and *i
 * moved past it: a marker byte (DV_ROM_MARK) before each token of the
 * word, then its letters in lower case. The Arabic article (ال, and with
 * و ب ف ك before it) is written apart, as the Latin token AL; the
 * preposition لل (for the) goes. */
#define DV_ROM_MARK '\x01'
size_t dv_rom_abjad(const uint16_t *v, int32_t n, int32_t *i, char *out, size_t len, size_t cap);

/* Whether a token came from an abjad (dv_rom_abjad): lower case. */
static inline bool dv_rom_is_abjad_token(const char *t, size_t len)
{
    return len && t[0] >= 'a' && t[0] <= 'z';
}

/* The consonant skeletons of a token into out: one for an abjad token,
 * up to DV_ROM_MAX_SKELS for a Latin one (a Latin letter the abjads write
 * two ways gives both: V as bet or as a vowel waw, CH and KH as kaf or
 * het, G as gaf or jim; a leading AL or EL as the article and without).
 * Returns how many. */
size_t dv_rom_skeletons(const char *t, size_t len, char out[][DV_ROM_SKEL_LEN]);

/* The similarity of two tokens of which exactly one came from an abjad:
 * DV_ROM_SKEL_SIM when their skeletons agree with three consonants or
 * more, DV_ROM_SKEL_SHORT_SIM with two, else 0. */
double dv_rom_skeleton_sim(const char *a, size_t la, const char *b, size_t lb);

/* The blocking keys that bring an abjad token and a Latin one together,
 * into keys (DV_ROM_MAX_KEYS); how many. Asymmetric, so that two Latin
 * tokens with one skeleton do not meet through them: a list token is
 * indexed by its keys with probe false, an entity token looks up its keys
 * with probe true. */
size_t dv_rom_keys(const char *t, size_t len, bool probe, uint64_t *keys);

/* Hangul: whether c is a syllable (U+AC00 to U+D7A3); the syllables that
 * start at v[*i] romanised onto out, as dv_rom_abjad does, by the Revised
 * Romanization (RR) with its rules for finals and the common
 * assimilations, each token after DV_ROM_MARK_SYL (names.c writes such a
 * token with its first letter in upper case and the rest in lower: the
 * mark of a token from Hangul), a business word written on to the name
 * (삼성전자) a token of its own. */
#define DV_ROM_MARK_SYL '\x02'
bool dv_rom_is_hangul(uint16_t c);
size_t dv_rom_hangul(const uint16_t *v, int32_t n, int32_t *i, char *out, size_t len, size_t cap);

/* Whether a token came from Hangul or Burmese (dv_rom_burmese): an
 * upper-case letter, then lower case. */
static inline bool dv_rom_is_syllabic_token(const char *t, size_t len)
{
    return len >= 2 && t[0] >= 'A' && t[0] <= 'Z' && t[1] >= 'a' && t[1] <= 'z';
}

/* A token with the differences between RR, McCune-Reischauer and the
 * spellings companies use folded away, into out (DV_ROM_SKEL_LEN); the
 * length. */
size_t dv_rom_korean_fold(const char *t, size_t len, char *out);

/* A token from Hangul or Burmese against a Latin one: DV_ROM_KOREAN_SIM when their
 * Korean folds are equal and of three letters or more, DV_ROM_SKEL_SHORT_SIM
 * when of two and both tokens have three (a short pair), else 0. */
#define DV_ROM_KOREAN_SIM 0.93
double dv_rom_korean_sim(const char *a, size_t la, const char *b, size_t lb);

/* The key that brings a Hangul token and a Latin one together (one at
 * most, into keys), salted as dv_rom_keys. */
size_t dv_rom_korean_keys(const char *t, size_t len, bool probe, uint64_t *keys);

/* Japanese: whether a name (UTF-16, NFKC) is Japanese: it has kana, or a
 * legal form only Japan writes (株式会社, 有限会社, 合同会社, 合資会社,
 * 合名会社). Kanji alone are read as Chinese (ICU), as divert cannot tell
 * them apart. */
bool dv_rom_is_japanese(const uint16_t *v, int32_t n);

/* A Japanese name in Hepburn romaji (kakasi: Debian's libkakasi2), into
 * out (cap bytes, NUL-terminated); returns the length, 0 when kakasi
 * cannot read it. Long vowels as English names write them (toukyou:
 * tokyo), business words written on to a name apart (itochushoji:
 * itochu shoji). kakasi keeps its state in globals: calls take a lock,
 * one name at a time. */
size_t dv_rom_japanese(const uint16_t *v, int32_t n, char *out, size_t cap);

/* Burmese: whether c is of the Myanmar block; the word that starts at
 * v[*i] romanised onto out as dv_rom_hangul does (the same mark: a token
 * compared by dv_rom_korean_fold), in the conventional romanisation of
 * Myanmar names (MLCTS's letters, the spellings English writes names and
 * places in: Aung, Myint, Thiri, Htoo, Shwe, Yangon): onset with its
 * medials, vowel signs, final with asat, stacked consonants, and the
 * creaky tone after a nasal final written t (Myint, Thant). */
bool dv_rom_is_burmese(uint16_t c);
size_t dv_rom_burmese(const uint16_t *v, int32_t n, int32_t *i, char *out, size_t len, size_t cap);

/* kakasi's dictionary closed (at exit, for leak checkers). */
void dv_rom_cleanup(void);

#endif
