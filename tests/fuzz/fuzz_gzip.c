/*
 * fuzz_gzip.c: the file path of the CSV reader (zlib, and the second
 * thread that decompresses and parses while the caller's thread takes the
 * rows), held to the one-thread memory path.
 *
 * Each input is read twice from a file named t.csv.gz:
 *
 * 1. the bytes as they are: mostly not gzip at all (the reader then passes
 *    them through, and the rows must be exactly those dv_csv_read_mem
 *    gives), or a gzip stream with arbitrary damage, which must end in an
 *    input error or rows, never a crash; when the harness's own inflate
 *    finds whole gzip members and nothing else, the rows must be those of
 *    dv_csv_read_mem on what it inflated (up to 4 MiB: enough to cross
 *    the reader's 256 KiB chunks and 4096-row batches); when whole members
 *    are followed by anything that does not begin another member, the
 *    read must end in "data after the end of the gzip stream", or in the
 *    error the inflated bytes give dv_csv_read_mem, if that comes first;
 * 2. the bytes gzip-compressed here (deflate with a gzip header): a valid
 *    stream of arbitrary content, whose rows, line numbers, status and
 *    message must be exactly those of dv_csv_read_mem on the bytes.
 *
 * The callback also stops the read after a number of rows that depends on
 * the input's length, to drive the loader-stops-early path of the
 * two-thread reader.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdint.h>
#include <zlib.h>

#include "divert/csvread.h"
#include "fuzz_support.h"

/* What a read delivered: compared between the file and memory paths. */
typedef struct trace {
    size_t rows;
    uint64_t hash;       /* of every row's line, field count, UTF-8 flag, fields */
    size_t stop_after;   /* rows to take before the callback stops the read */
    int status;
    dv_error err;
} trace;

static void mix(trace *t, const void *p, size_t n)
{
    t->hash = (t->hash ^ dv_hash64(p, n)) * 0x9E3779B97F4A7C15ULL;
}

static int on_row(void *ctx, const dv_csv_row *row, dv_error *err)
{
    trace *t = ctx;
    if (t->rows == t->stop_after) return dv_fail(err, DV_EXIT_INPUT, "stopped after %zu rows", t->rows);
    t->rows++;
    mix(t, &row->line, sizeof row->line);
    mix(t, &row->nfields, sizeof row->nfields);
    mix(t, &row->invalid_utf8, sizeof row->invalid_utf8);
    for (size_t k = 0; k < row->nfields; k++) {
        FUZZ_CHECK(row->fields[k][row->lens[k]] == '\0', "field %zu is not NUL-terminated", k);
        mix(t, row->fields[k], row->lens[k] + 1);
    }
    return 0;
}

static size_t stop_after(size_t size)
{
    return size % 4 == 1 ? (size / 4) % 5000 : SIZE_MAX;
}

static void read_file(const char *path, size_t stop, trace *t)
{
    memset(t, 0, sizeof *t);
    t->stop_after = stop;
    dv_csv_options opt = {.max_field_bytes = 4096};
    t->status = dv_csv_read_file(path, "t.csv.gz", &opt, on_row, t, &t->err);
    FUZZ_CHECK(t->status == 0 || t->status == DV_EXIT_INPUT, "status %d: %s", t->status, t->err.msg);
    if (t->status) FUZZ_CHECK(strncmp(t->err.msg, "t.csv.gz", 8) == 0 || strncmp(t->err.msg, "stopped", 7) == 0,
                              "message \"%s\"", t->err.msg);
}

static void read_mem(const uint8_t *data, size_t size, size_t stop, trace *t)
{
    memset(t, 0, sizeof *t);
    t->stop_after = stop;
    dv_csv_options opt = {.max_field_bytes = 4096};
    t->status = dv_csv_read_mem((const char *)data, size, "t.csv.gz", &opt, on_row, t, &t->err);
}

static void same(const trace *file, const trace *mem, const char *what)
{
    FUZZ_CHECK(file->status == mem->status && file->rows == mem->rows && file->hash == mem->hash,
               "%s: the file gave status %d after %zu rows (%s), memory %d after %zu rows (%s)", what,
               file->status, file->rows, file->status ? file->err.msg : "",
               mem->status, mem->rows, mem->status ? mem->err.msg : "");
    if (file->status)
        FUZZ_CHECK(strcmp(file->err.msg, mem->err.msg) == 0, "%s: message \"%s\" against \"%s\"", what,
                   file->err.msg, mem->err.msg);
}

/* data gzip-compressed into a heap buffer; *out_len its length. */
static unsigned char *gzip(const uint8_t *data, size_t size, size_t *out_len)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    FUZZ_CHECK(deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK,
               "deflateInit2");
    size_t cap = deflateBound(&zs, (uLong)size) + 32;
    unsigned char *out = dv_xmalloc(cap);
    zs.next_in = (Bytef *)(uintptr_t)data;
    zs.avail_in = (uInt)size;
    zs.next_out = out;
    zs.avail_out = (uInt)cap;
    FUZZ_CHECK(deflate(&zs, Z_FINISH) == Z_STREAM_END, "deflate");
    *out_len = cap - zs.avail_out;
    deflateEnd(&zs);
    return out;
}

enum { INFLATE_LIMIT = 4 << 20 };

/* What the data is, as far as the harness's own inflate can tell. */
typedef enum {
    GZ_OTHER,       /* damaged, cut short, or over INFLATE_LIMIT inflated */
    GZ_WHOLE,       /* one or more whole gzip members and nothing after them */
    GZ_TRAILING,    /* whole members, then bytes that begin no member */
} gz_kind;

/* The inflated content of data's whole gzip members (heap), with what
 * follows them in *kind; NULL when the data is GZ_OTHER. */
static unsigned char *gunzip(const uint8_t *data, size_t size, size_t *out_len, gz_kind *kind)
{
    *kind = GZ_OTHER;
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, 15 + 16) != Z_OK) return NULL;
    size_t cap = 1 << 16, len = 0;
    unsigned char *out = dv_xmalloc(cap);
    zs.next_in = (Bytef *)(uintptr_t)data;
    zs.avail_in = (uInt)size;
    gz_kind found = GZ_OTHER;
    for (;;) {
        if (len == cap) {
            if (cap >= INFLATE_LIMIT) break;
            cap *= 2;
            out = dv_xrealloc(out, cap);
        }
        zs.next_out = out + len;
        zs.avail_out = (uInt)(cap - len);
        int rc = inflate(&zs, Z_NO_FLUSH);
        len = cap - zs.avail_out;
        if (rc == Z_STREAM_END) {
            if (!zs.avail_in) {
                found = GZ_WHOLE;
                break;
            }
            if (zs.avail_in < 2 || zs.next_in[0] != 0x1f || zs.next_in[1] != 0x8b) {
                found = GZ_TRAILING;
                break;
            }
            if (inflateReset(&zs) != Z_OK) break;   /* the next member */
        } else if (rc != Z_OK && !(rc == Z_BUF_ERROR && zs.avail_out == 0)) {
            break;
        }
    }
    inflateEnd(&zs);
    if (found == GZ_OTHER) {
        free(out);
        return NULL;
    }
    *kind = found;
    *out_len = len;
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char *path;
    if (!path) path = fuzz_path("t.csv.gz");
    size_t stop = stop_after(size);
    trace mem, file;
    read_mem(data, size, stop, &mem);

    fuzz_write(path, data, size);
    read_file(path, stop, &file);
    if (!(size >= 2 && data[0] == 0x1f && data[1] == 0x8b)) {
        same(&file, &mem, "plain bytes");
    } else {
        size_t plain_len;
        gz_kind kind;
        unsigned char *plain = gunzip(data, size, &plain_len, &kind);
        if (plain) {
            trace inflated;
            read_mem(plain, plain_len, stop, &inflated);
            free(plain);
            if (kind == GZ_WHOLE) {
                same(&file, &inflated, "gzip members");
            } else {
                static const char trailing[] = "t.csv.gz: data after the end of the gzip stream";
                FUZZ_CHECK(file.status == DV_EXIT_INPUT &&
                               (!strcmp(file.err.msg, trailing) ||
                                (inflated.status && !strcmp(file.err.msg, inflated.err.msg))),
                           "gzip members and more: status %d (%s); the members alone: %d (%s)",
                           file.status, file.err.msg, inflated.status,
                           inflated.status ? inflated.err.msg : "");
            }
        }
    }

    size_t zlen;
    unsigned char *z = gzip(data, size, &zlen);
    fuzz_write(path, z, zlen);
    free(z);
    read_file(path, stop, &file);
    same(&file, &mem, "gzip-compressed bytes");
    return 0;
}
