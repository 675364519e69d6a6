/*
 * pseudonym.h: stable keyed pseudonyms for what identifies a party.
 *
 * An export made with --pseudonymize KEYFILE replaces entity ids, names,
 * addresses, shipment ids, alert ids and watchlist entry names by keyed
 * hashes: libsodium's keyed BLAKE2b (crypto_generichash) of a kind letter
 * and the text, with the key file's bytes as the key, cut to 64 bits and
 * written as the kind letter, '-' and 16 lower-case hex digits
 * ("E-3f09c2d17a6b4e85"). The same key gives the same pseudonym for the
 * same text in every run and every command; without the key, a guess
 * cannot be confirmed by hashing it. The kind letter keeps an entity id and
 * a name that happen to be equal apart.
 *
 * Key file rules: its bytes, all of them, are the key (a trailing
 * newline too: nothing is stripped); it must hold
 * between DV_PSEUDONYM_KEY_MIN and DV_PSEUDONYM_KEY_MAX bytes
 * (crypto_generichash's bounds, 16 and 64). `head -c 32 /dev/urandom > key`
 * makes one.
 *
 * A dv_pseudonymizer owns its copy of the key and wipes it when freed.
 */
#ifndef DIVERT_PSEUDONYM_H
#define DIVERT_PSEUDONYM_H

#include <stddef.h>

#include "divert/util.h"

enum {
    DV_PSEUDONYM_KEY_MIN = 16,
    DV_PSEUDONYM_KEY_MAX = 64,
    DV_PSEUDONYM_SIZE = 19        /* "E-" + 16 hex digits + NUL */
};

/* What a pseudonym stands for: its first letter. */
typedef enum dv_pseudonym_kind {
    DV_PSEUDO_ENTITY = 'E',       /* an entity id */
    DV_PSEUDO_NAME = 'N',         /* a party's name */
    DV_PSEUDO_ADDRESS = 'D',      /* a party's address */
    DV_PSEUDO_SHIPMENT = 'S',     /* a shipment id */
    DV_PSEUDO_ALERT = 'A',        /* an alert id */
    DV_PSEUDO_WATCH = 'W'         /* a watchlist entry's name */
} dv_pseudonym_kind;

typedef struct dv_pseudonymizer {
    unsigned char key[DV_PSEUDONYM_KEY_MAX];
    size_t key_len;
    unsigned key_mode;            /* the key file's permission bits, for the
                                     command to warn when others may read it */
} dv_pseudonymizer;

/* Read the key file at path. Returns 0, or DV_EXIT_INPUT with err saying
 * what is wrong with it (missing, unreadable, not a regular file, too
 * short or too long), or DV_EXIT_INTERNAL when libsodium cannot start. */
int dv_pseudonymizer_load(dv_pseudonymizer *ps, const char *path, dv_error *err);

/* The pseudonym of text as kind, into out. */
void dv_pseudonym(const dv_pseudonymizer *ps, dv_pseudonym_kind kind, const char *text,
                  char out[DV_PSEUDONYM_SIZE]);

/* Wipe the key. */
void dv_pseudonymizer_free(dv_pseudonymizer *ps);

#endif
