/*
 * digest.c: SHA-256 through OpenSSL's EVP interface (digest.h).
 */
#include "divert/digest.h"

#include <openssl/evp.h>

#include "divert/util.h"

struct dv_sha256 {
    EVP_MD_CTX *ctx;
};

dv_sha256 *dv_sha256_new(void)
{
    dv_sha256 *h = dv_xmalloc(sizeof *h);
    h->ctx = EVP_MD_CTX_new();
    if (!h->ctx || EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1) dv_out_of_memory(sizeof *h);
    return h;
}

void dv_sha256_update(dv_sha256 *h, const void *data, size_t n)
{
    if (n && EVP_DigestUpdate(h->ctx, data, n) != 1) dv_out_of_memory(n);
}

void dv_sha256_final_hex(dv_sha256 *h, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(h->ctx, md, &len) != 1 || len != 32) dv_out_of_memory(0);
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < 32; i++) {
        out[2 * i] = digits[md[i] >> 4];
        out[2 * i + 1] = digits[md[i] & 15];
    }
    out[64] = 0;
    dv_sha256_free(h);
}

void dv_sha256_free(dv_sha256 *h)
{
    if (!h) return;
    EVP_MD_CTX_free(h->ctx);
    free(h);
}
