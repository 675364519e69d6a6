/*
 * pseudonym.c: keyed BLAKE2b pseudonyms (pseudonym.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "divert/pseudonym.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

_Static_assert(DV_PSEUDONYM_KEY_MIN == crypto_generichash_KEYBYTES_MIN, "libsodium's key bounds");
_Static_assert(DV_PSEUDONYM_KEY_MAX == crypto_generichash_KEYBYTES_MAX, "libsodium's key bounds");

int dv_pseudonymizer_load(dv_pseudonymizer *ps, const char *path, dv_error *err)
{
    memset(ps, 0, sizeof *ps);
    if (sodium_init() < 0) return dv_fail(err, DV_EXIT_INTERNAL, "libsodium cannot start");
    int fd = open(path, O_RDONLY | O_NOCTTY);
    if (fd < 0)
        return dv_fail(err, DV_EXIT_INPUT, "--pseudonymize %s: cannot open the key file: %s", path,
                       strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return dv_fail(err, DV_EXIT_INPUT, "--pseudonymize %s: the key file is not a regular file",
                       path);
    }
    /* one byte more than the largest key tells a long file */
    unsigned char buf[DV_PSEUDONYM_KEY_MAX + 1];
    size_t n = 0;
    while (n < sizeof buf) {
        ssize_t got = read(fd, buf + n, sizeof buf - n);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            int e = errno;
            close(fd);
            sodium_memzero(buf, sizeof buf);
            return dv_fail(err, DV_EXIT_INPUT, "--pseudonymize %s: cannot read the key file: %s",
                           path, strerror(e));
        }
        if (got == 0) break;
        n += (size_t)got;
    }
    close(fd);
    int rc = 0;
    if (n < DV_PSEUDONYM_KEY_MIN)
        rc = dv_fail(err, DV_EXIT_INPUT,
                     "--pseudonymize %s: the key file holds %zu byte%s; a key is %d to %d bytes "
                     "(make one with: head -c 32 /dev/urandom > KEYFILE)",
                     path, n, n == 1 ? "" : "s", DV_PSEUDONYM_KEY_MIN, DV_PSEUDONYM_KEY_MAX);
    else if (n > DV_PSEUDONYM_KEY_MAX)
        rc = dv_fail(err, DV_EXIT_INPUT,
                     "--pseudonymize %s: the key file holds more than %d bytes; a key is %d to %d "
                     "bytes (make one with: head -c 32 /dev/urandom > KEYFILE)",
                     path, DV_PSEUDONYM_KEY_MAX, DV_PSEUDONYM_KEY_MIN, DV_PSEUDONYM_KEY_MAX);
    else {
        memcpy(ps->key, buf, n);
        ps->key_len = n;
        ps->key_mode = (unsigned)(st.st_mode & 0777);
    }
    sodium_memzero(buf, sizeof buf);
    return rc;
}

void dv_pseudonym(const dv_pseudonymizer *ps, dv_pseudonym_kind kind, const char *text,
                  char out[DV_PSEUDONYM_SIZE])
{
    crypto_generichash_state st;
    /* crypto_generichash makes 16 bytes at least; the first 8 are kept */
    unsigned char kind_byte = (unsigned char)kind, hash[crypto_generichash_BYTES_MIN];
    crypto_generichash_init(&st, ps->key, ps->key_len, sizeof hash);
    crypto_generichash_update(&st, &kind_byte, 1);
    crypto_generichash_update(&st, (const unsigned char *)text, strlen(text));
    crypto_generichash_final(&st, hash, sizeof hash);
    static const char hex[] = "0123456789abcdef";
    out[0] = (char)kind;
    out[1] = '-';
    for (size_t i = 0; i < 8; i++) {
        out[2 + 2 * i] = hex[hash[i] >> 4];
        out[3 + 2 * i] = hex[hash[i] & 15];
    }
    out[DV_PSEUDONYM_SIZE - 1] = '\0';
}

void dv_pseudonymizer_free(dv_pseudonymizer *ps)
{
    if (!ps) return;
    sodium_memzero(ps, sizeof *ps);
}
