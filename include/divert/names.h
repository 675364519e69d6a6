/*
 * names.h: party names as screening compares them (issue #5).
 *
 * A name becomes a list of ASCII tokens: Unicode NFKC with case folding,
 * every script transliterated to Latin and then to ASCII by ICU ("Any-Latin;
 * Latin-ASCII"), upper case, letters and digits only, apostrophes dropped
 * inside words, single letters joined by dots read as one token ("L.L.C."
 * is LLC). Legal forms (LLC, OOO, GmbH, "limited liability company",
 * "obshchestvo s ogranichennoy otvetstvennostyu" ... in many languages) are
 * recognised as whole tokens at the start or the end of the name and kept
 * apart, not thrown away, each with the jurisdictions whose registers use
 * it (ISO 20275); single letters written apart read joined ("S. A." is
 * SA). Business words read as one spelling: abbreviations (Intl, Hnos.,
 * Gebr., Cía.), the same word in the European languages (Hermanos,
 * Fratelli, Gebrüder: BROTHERS), and the business words of Chinese,
 * Japanese, Korean, Hebrew, Burmese, Armenian and Georgian names as their
 * English translation. A country in parentheses after the name ("Acme
 * (Singapore)") marks a subsidiary: it is noted, and stays a token.
 * ASCII names skip ICU entirely: most names are ASCII, and ICU's
 * transliterator costs microseconds a name.
 *
 * A dv_namer holds ICU's transliterator, which is not safe to share
 * between threads: one namer a thread.
 */
#ifndef DIVERT_NAMES_H
#define DIVERT_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "divert/util.h"

typedef struct dv_namer dv_namer;

/* A namer; ICU is opened at the first name outside ASCII (if it cannot
 * be, a warning says so once, and such names compare as written). */
dv_namer *dv_namer_new(dv_error *err);
void dv_namer_free(dv_namer *n);

/* Close the transliterators the namers were cloned from, before
 * u_cleanup() at exit; no namer may be in use. */
void dv_names_cleanup(void);

/* Normalise name[0..len). The name's tokens, joined by single spaces, go
 * to *tokens, its legal forms (as tokens, in order) to *forms; both are
 * reset first. Invalid UTF-8 is read as U+FFFD, which separates tokens. */
void dv_name_normalise(dv_namer *n, const char *name, size_t len, dv_buf *tokens, dv_buf *forms);

/* What normalisation noted of a name besides its tokens (names.c). */
enum { DV_NAME_FORMS = 3 };
typedef struct dv_name_marks {
    int16_t form[DV_NAME_FORMS]; /* its legal forms that have jurisdictions, in
                                    order found (dv_name_form), -1 after the
                                    last */
    char sub[3];                 /* the ISO 3166 code of a country named in
                                    parentheses ("Acme (Singapore)": SG), or "" */
    uint8_t family;              /* a person's name in the lists' order FAMILY,
                                    Given (one comma, one to three words before
                                    it and one to four after, no digit, no legal
                                    form): how many of its tokens are the family
                                    name; 0 for any other name */
} dv_name_marks;

/* The marks of the last name n normalised (owned by n, overwritten by the
 * next). */
const dv_name_marks *dv_namer_marks(const dv_namer *n);

/* A legal form's tokens ("PTE LTD"), and its jurisdictions ("SG", ISO
 * codes separated by spaces) in *where if not NULL; NULL for no form. */
const char *dv_name_form(int form, const char **where);

/* Whether both names have legal forms with jurisdictions and no
 * jurisdiction is common to them (a GmbH and a Pte. Ltd.). */
bool dv_name_forms_apart(const dv_name_marks *a, const dv_name_marks *b);

/* Whether the tokens t[0..n) (lengths len) name the country code, in one
 * to three tokens (HONG KONG). */
bool dv_name_country_in(const char *code, const char *const *t, const size_t *len, size_t n);

/* Whether text in parentheses names a country, as normalisation reads it
 * (a subsidiary's mark, not a name of its own). */
bool dv_name_paren_is_country(const char *s, size_t len);

/* Whether a normalised token is a one-word legal form (LLC, COMPANY ...)
 * or a patronymic (-OVICH, -EVNA ...): words that say little about which
 * party a name is, wherever they stand. */
bool dv_name_minor_word(const char *t, size_t len);

/* Jaro-Winkler similarity of two UTF-8 strings, by code point, from 0 to 1
 * (the prefix scale 0.1 over at most 4 characters, applied when the Jaro
 * similarity is above 0.7, as in the usual definition). */
double dv_jaro_winkler(const char *a, size_t la, const char *b, size_t lb);

#endif
