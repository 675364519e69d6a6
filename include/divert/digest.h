/*
 * digest.h: SHA-256 of streams of bytes, divert's one SHA-256: the
 * checksums the case store records of each input file (store.h), the
 * audit chain's hashes (audit.h), the fingerprints of parties and list
 * entries (cases.h).
 *
 * OpenSSL's libcrypto computes it: with the CPU's SHA extensions it hashes
 * about 1.5 GB/s here, five times libsodium's portable SHA-256, which
 * matters because every byte of every input file goes through it while
 * the file is read (docs/performance.md).
 */
#ifndef DIVERT_DIGEST_H
#define DIVERT_DIGEST_H

#include <stddef.h>

typedef struct dv_sha256 dv_sha256;

/* A new hash; never NULL (out of memory ends the process, util.h). */
dv_sha256 *dv_sha256_new(void);
void dv_sha256_update(dv_sha256 *h, const void *data, size_t n);
/* The digest as 64 hex digits and a NUL; frees h. */
void dv_sha256_final_hex(dv_sha256 *h, char out[65]);
/* Free without finishing (h may be NULL). */
void dv_sha256_free(dv_sha256 *h);

#endif
