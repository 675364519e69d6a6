/*
 * tokensim.h: how alike two name tokens are, and the blocking keys that
 * find the tokens alike one (screen.h describes the method).
 *
 * Tokens are the upper-case ASCII words that name normalisation (names.h)
 * makes. Everything here is a pure function of its arguments: nothing
 * allocated, nothing owned, and no state but the hash table of given names'
 * spellings (given_names.h) that dv_tok_fold makes once a process, under
 * pthread_once; the caller's buffers are written only where a function
 * says so. The functions called for every pair of tokens
 * the screening workers compare are inline here (dv_tok_hash, dv_tok_sim),
 * as they were when they shared a file with the workers.
 */
#ifndef DIVERT_TOKENSIM_H
#define DIVERT_TOKENSIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "divert/romanise.h"

enum { DV_MAX_TOKEN_LEN = 63 };     /* longer tokens compare only when equal */
#define DV_TOKEN_SIM 0.88           /* two tokens this alike pair up */
#define DV_GIVEN_NAME_SIM 0.90      /* two spellings of one given name (given_names.c) */
/* Blocking keys of one token at most (dv_tok_keys): itself and each
 * deletion, as written and folded. */
enum { DV_TOK_MAX_KEYS = 2 * (DV_MAX_TOKEN_LEN + 1) };
/* dv_tok_hash's skip when no letter is left out. */
#define DV_TOK_WHOLE ((size_t)-1)

/* FNV-1a of s without its letter at index skip (DV_TOK_WHOLE: of all of
 * it). Never 0, which marks an empty slot in the index's hash tables. */
static inline uint64_t dv_tok_hash(const char *s, size_t len, size_t skip)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < len; i++) {
        if (i == skip) continue;
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h ? h : 1;
}

/* A word so many company names use that sharing it says little (TRADING,
 * GROUP ...), a legal form inside a name, a patronymic. */
bool dv_tok_is_common(const char *t, size_t len);

/* Whether an upper-case token is an English dictionary word (wamerican,
 * compiled in: cmake/embed-words.cmake). */
bool dv_tok_is_word(const char *t, size_t len);

/* T with the usual differences between romanisations folded away, into
 * out (64 bytes; at most 63 letters and a NUL). Returns the length
 * written. A spelling of a given name of given_names.c folds to '#' and
 * its class's first spelling (MYKHAILO, MICHAIL: #MIKHAIL). */
size_t dv_tok_fold(const char *t, size_t len, char *out);

/* The class of given names (given_names.c) a token is a spelling of, once
 * folded, or -1. */
int dv_tok_given_class(const char *t, size_t len);

/* The similarity of two tokens one edit apart, both as written, or 0
 * (dv_tok_sim's rule for tokens that are not equal). */
double dv_tok_alike(const char *a, size_t la, const char *b, size_t lb);

/* How alike two tokens are, from 0 to 1, given each with its folded form
 * (dv_tok_fold): 1 when equal; from four letters, and at most
 * DV_MAX_TOKEN_LEN, the similarity of tokens one edit apart as written, or
 * a little less than that of their folded forms when folding changed one
 * of them (Shchit, Schtschit: 0.97; two spellings of a given name:
 * DV_GIVEN_NAME_SIM). Below DV_TOKEN_SIM the tokens do not pair. */
static inline double dv_tok_sim(const char *a, size_t la, const char *fa, size_t fla,
                                const char *b, size_t lb, const char *fb, size_t flb)
{
    if (la == lb && !memcmp(a, b, la)) return 1.0;
    /* a token from an abjad (lower case) against a Latin one: by their
     * consonant skeletons (romanise.h) */
    if (dv_rom_is_abjad_token(a, la) != dv_rom_is_abjad_token(b, lb))
        return dv_rom_skeleton_sim(a, la, b, lb);
    /* a token from Hangul against a Latin one: by their Korean folds */
    if (dv_rom_is_syllabic_token(a, la) != dv_rom_is_syllabic_token(b, lb)) {
        double k = dv_rom_korean_sim(a, la, b, lb);
        if (k > 0) return k;
    }
    if (la < 4 || lb < 4) return 0.0; /* AB and ABC are different initials */
    if (la > DV_MAX_TOKEN_LEN || lb > DV_MAX_TOKEN_LEN) return 0.0;
    double raw = dv_tok_alike(a, la, b, lb);
    if (raw >= DV_TOKEN_SIM) return raw;
    bool folds = fla != la || memcmp(fa, a, la) != 0 || flb != lb || memcmp(fb, b, lb) != 0;
    if (fla < 3 || flb < 3 || !folds) return 0.0;
    if (fla != flb || memcmp(fa, fb, fla) != 0) return 0.0;
    return fa[0] == '#' ? DV_GIVEN_NAME_SIM : 0.97; /* '#': a given name's class */
}

/* A word split in two (STE-LROVIS: a, b) against a token t with its
 * folded form: 1 when the two parts joined are the token, 0.97 when they
 * are once folded, else 0. */
double dv_tok_join_sim(const char *a, size_t la, const char *b, size_t lb, const char *t,
                       size_t lt, const char *ft, size_t flt);

/* The blocking keys of one token, into keys (DV_TOK_MAX_KEYS): itself, and
 * from four letters on every way of deleting one letter; the same of its
 * folded form. Two tokens that dv_tok_sim pairs share a key. Returns how
 * many. */
size_t dv_tok_keys(const char *t, size_t len, uint64_t *keys);

#endif
