/*
 * csvread.c: libcsv + zlib, bytes to rows with line numbers.
 *
 * libcsv does not count lines, so the input is fed to it one physical line
 * at a time (a line ends at LF, or at a CR not followed by LF). Before each
 * line we look at whether libcsv is between rows; if it is, a row that
 * begins now begins on this line. That gives every row the line it starts
 * on, also when a quoted field spans several lines.
 *
 * Checks made here, on bytes, before any typed parsing: a UTF-16 or UTF-32
 * byte-order mark and NUL bytes (a UTF-16 file read as bytes is full of
 * them), a UTF-8 BOM (skipped), fields over the size limit, and gzip
 * streams that are corrupt or cut short.
 */
#include "divert/csvread.h"

#include <csv.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

/* libcsv's parser state between rows (ROW_NOT_BEGUN in libcsv.c; the
 * struct is public in csv.h, the state names are not). */
enum { LIBCSV_ROW_NOT_BEGUN = 0 };

enum { CHUNK = 1 << 18 };

typedef struct reader {
    const char *name;
    const dv_csv_options *opt;
    dv_csv_row_fn fn;
    void *ctx;
    dv_error *err;
    int status;                 /* first error; rows after it are ignored */

    long line;                  /* physical line being fed */
    long row_start;             /* line the current row began on */

    /* the row being assembled: field texts packed in one buffer */
    dv_buf text;
    size_t *offsets, *lens;
    size_t nfields, cap;
    const char **ptrs;
    size_t ptr_cap;
} reader;

static void on_field(void *data, size_t len, void *vr)
{
    reader *r = vr;
    if (r->status) return;
    if (r->opt && r->opt->max_field_bytes && len > r->opt->max_field_bytes) {
        r->status = dv_fail(r->err, DV_EXIT_INPUT,
                            "%s:%ld: a field is %zu bytes long, over the limit of %zu bytes",
                            r->name, r->row_start, len, r->opt->max_field_bytes);
        return;
    }
    if (data && memchr(data, '\0', len)) {
        r->status = dv_fail(r->err, DV_EXIT_INPUT, "%s:%ld: a field holds a NUL byte",
                            r->name, r->row_start);
        return;
    }
    dv_grow((void **)&r->offsets, &r->cap, r->nfields + 1, sizeof *r->offsets);
    r->lens = dv_xrealloc(r->lens, r->cap * sizeof *r->lens);
    r->offsets[r->nfields] = r->text.len;
    r->lens[r->nfields] = len;
    dv_buf_add(&r->text, data ? data : "", len);
    dv_buf_add(&r->text, "", 1); /* keep each field NUL-terminated */
    r->nfields++;
}

static void on_row(int term, void *vr)
{
    (void)term;
    reader *r = vr;
    if (r->status) {
        r->nfields = 0;
        r->text.len = 0;
        return;
    }
    dv_grow((void **)&r->ptrs, &r->ptr_cap, r->nfields + 1, sizeof *r->ptrs);
    for (size_t i = 0; i < r->nfields; i++) r->ptrs[i] = r->text.data + r->offsets[i];
    dv_csv_row row = {r->ptrs, r->lens, r->nfields, r->row_start};
    int rc = r->fn(r->ctx, &row, r->err);
    if (rc) r->status = rc;
    r->nfields = 0;
    r->text.len = 0;
}

typedef struct source {
    gzFile gz;                  /* a file (zlib reads plain files as is) */
    const char *mem;            /* or memory */
    size_t mem_len, mem_pos;
} source;

/* Read up to n bytes; returns the count, 0 at the end, -1 on error. */
static long source_read(source *src, char *buf, size_t n, const char *name, dv_error *err)
{
    if (!src->gz) {
        size_t left = src->mem_len - src->mem_pos;
        if (n > left) n = left;
        memcpy(buf, src->mem + src->mem_pos, n);
        src->mem_pos += n;
        return (long)n;
    }
    int got = gzread(src->gz, buf, (unsigned)n);
    int zerr = Z_OK;
    const char *msg = gzerror(src->gz, &zerr);
    if (got < 0 || (zerr != Z_OK && zerr != Z_STREAM_END)) {
        if (zerr == Z_ERRNO)
            dv_fail(err, DV_EXIT_INPUT, "%s: cannot read: %s", name, strerror(errno));
        else {
            /* zlib prefixes its message with the path: keep what follows */
            const char *why = msg && *msg ? msg : "zlib error";
            const char *sep = strstr(why, ": ");
            while (sep && strstr(sep + 2, ": ")) sep = strstr(sep + 2, ": ");
            if (sep) why = sep + 2;
            dv_fail(err, DV_EXIT_INPUT, "%s: corrupt or truncated gzip data (%s)", name, why);
        }
        return -1;
    }
    return got;
}

static void feed(reader *r, struct csv_parser *p, const char *s, size_t n)
{
    if (p->pstate == LIBCSV_ROW_NOT_BEGUN) r->row_start = r->line;
    size_t used = csv_parse(p, s, n, on_field, on_row, r);
    if (used != n && !r->status) {
        r->status = dv_fail(r->err, DV_EXIT_INPUT,
                            "%s:%ld: malformed quoting: a quote inside an unquoted field, "
                            "or text after a closing quote",
                            r->name, r->line);
    }
}

static int read_all(source *src, const char *name, const dv_csv_options *opt,
                    dv_csv_row_fn fn, void *ctx, dv_error *err)
{
    reader r = {0};
    r.name = name;
    r.opt = opt;
    r.fn = fn;
    r.ctx = ctx;
    r.err = err;
    r.line = 1;
    r.row_start = 1;

    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
        return dv_fail(err, DV_EXIT_INTERNAL, "%s: cannot start the CSV parser", name);

    char *buf = dv_xmalloc(CHUNK);
    unsigned long long total = 0;
    bool first = true, pending_cr = false;
    int status = 0;

    for (;;) {
        long got = source_read(src, buf, CHUNK, name, err);
        if (got < 0) {
            status = err->code;
            break;
        }
        if (got == 0) break;
        size_t n = (size_t)got, start = 0;
        total += n;
        if (first) {
            first = false;
            const unsigned char *u = (const unsigned char *)buf;
            if (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
                status = dv_fail(err, DV_EXIT_INPUT,
                                 "%s:1: the file is UTF-16 (byte-order mark); divert reads UTF-8, "
                                 "convert it first (iconv -f UTF-16 -t UTF-8)", name);
                break;
            }
            if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) start = 3;
        }
        if (memchr(buf + start, '\0', n - start)) {
            /* find the line of the first NUL for the message */
            long line = r.line;
            for (size_t i = start; i < n && buf[i] != '\0'; i++)
                if (buf[i] == '\n' || (buf[i] == '\r' && i + 1 < n && buf[i + 1] != '\n'))
                    line++;
            status = dv_fail(err, DV_EXIT_INPUT,
                             "%s:%ld: NUL byte in the input (is the file UTF-16 or binary?)",
                             name, line);
            break;
        }
        /* Feed line by line. A CR at the very end of a chunk may be half
         * of a CRLF: the line count waits for the next byte. */
        size_t i = start, line_begin = start;
        if (pending_cr && n > 0 && buf[0] != '\n') r.line++;
        pending_cr = false;
        for (; i < n && !r.status; i++) {
            char c = buf[i];
            bool end_of_line = false;
            if (c == '\n') {
                end_of_line = true;
            } else if (c == '\r') {
                if (i + 1 < n) end_of_line = buf[i + 1] != '\n';
                else pending_cr = true;
            }
            if (end_of_line) {
                feed(&r, &p, buf + line_begin, i + 1 - line_begin);
                r.line++;
                line_begin = i + 1;
            }
        }
        if (!r.status && line_begin < n) feed(&r, &p, buf + line_begin, n - line_begin);
        if (r.status) {
            status = r.status;
            break;
        }
        if (opt && opt->progress) opt->progress(opt->progress_ctx, name, total);
    }

    if (!status) {
        long open_line = r.row_start;
        if (csv_fini(&p, on_field, on_row, &r) != 0 && !r.status)
            r.status = dv_fail(err, DV_EXIT_INPUT,
                               "%s:%ld: unterminated quoted field: a quote opened in this row "
                               "is never closed before the end of the file",
                               name, open_line);
        status = r.status;
    }
    csv_free(&p);
    free(buf);
    dv_buf_free(&r.text);
    free(r.offsets);
    free(r.lens);
    free(r.ptrs);
    return status;
}

int dv_csv_read_file(const char *path, const char *name, const dv_csv_options *opt,
                     dv_csv_row_fn fn, void *ctx, dv_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return dv_fail(err, DV_EXIT_INPUT, "%s: cannot open: %s", name, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return dv_fail(err, DV_EXIT_INPUT, "%s: is not a regular file", name);
    FILE *probe = fopen(path, "rb");
    if (!probe) return dv_fail(err, DV_EXIT_INPUT, "%s: cannot open: %s", name, strerror(errno));
    fclose(probe);
    gzFile gz = gzopen(path, "rb");
    if (!gz) return dv_fail(err, DV_EXIT_INPUT, "%s: cannot open: %s", name, strerror(errno));
    gzbuffer(gz, CHUNK);
    source src = {gz, NULL, 0, 0};
    int rc = read_all(&src, name, opt, fn, ctx, err);
    gzclose(gz);
    return rc;
}

int dv_csv_read_mem(const char *data, size_t len, const char *name,
                    const dv_csv_options *opt, dv_csv_row_fn fn, void *ctx,
                    dv_error *err)
{
    source src = {NULL, data, len, 0};
    return read_all(&src, name, opt, fn, ctx, err);
}
