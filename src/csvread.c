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
 * streams that are corrupt, cut short or followed by anything but another
 * gzip member.
 *
 * Gzip is inflated by ISA-L's igzip where divert was built with it
 * (DIVERT_HAVE_ISAL: about three times zlib's speed on a table of ids),
 * else by zlib; both check each member's CRC and length, and both are
 * driven by the same loop, so what is read and what is refused is the
 * same.
 */
#define _POSIX_C_SOURCE 200809L
#include "divert/csvread.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#ifdef DIVERT_HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

#include "divert/digest.h"

/* libcsv's parser states between rows and after a quote in a quoted
 * field (ROW_NOT_BEGUN and FIELD_MIGHT_HAVE_ENDED in libcsv.c; the struct
 * is public in csv.h, the state names are not). */
enum { LIBCSV_ROW_NOT_BEGUN = 0, LIBCSV_FIELD_MIGHT_HAVE_ENDED = 3 };

enum { CHUNK = 1 << 18 };

/* Rows travel in batches: field texts, each NUL-terminated, one after the
 * other, with their lengths, and per row its line and field count. */
typedef struct batch {
    dv_buf text;
    size_t *lens;
    uint64_t *hashes;           /* of each field, trimmed (dv_csv_row) */
    uint32_t *notes;            /* DV_CSV_NOTES a row, when annotated */
    size_t n_lens, cap_lens, cap_hashes, cap_notes;
    long *lines;
    size_t *nfields, *bad;      /* per row: field count, first invalid UTF-8 field */
    size_t n_rows, cap_lines, cap_nfields, cap_bad;
    size_t row_text, row_lens;  /* where the row being assembled starts */
    size_t row_bad;             /* its first field that is not UTF-8, 1-based */
} batch;

enum { BATCH_ROWS = 4096, BATCH_BYTES = 1 << 20, N_BATCHES = 4 };

/* The hand-over between the thread that reads and the one that loads. */
typedef struct pipeline {
    pthread_mutex_t mu;
    pthread_cond_t changed;
    batch *full[N_BATCHES], *empty[N_BATCHES];
    size_t n_full, full_head, n_empty;
    bool done;                  /* the reader pushed its last batch */
    bool stop;                  /* the loader wants no more rows */
} pipeline;

typedef struct reader {
    const char *name;
    const dv_csv_options *opt;
    dv_csv_row_fn fn;           /* sequential: called from on_row */
    void *ctx;
    dv_error *err;
    int status;                 /* first error; rows after it are ignored */

    long line;                  /* physical line being fed */
    long row_start;             /* line the current row began on */

    batch *cur;                 /* the batch rows are assembled into */
    pipeline *pipe;             /* NULL: deliver each row at once */
    const char **ptrs;          /* sequential delivery's field pointers */
    size_t ptr_cap;
    const char **note_ptrs;     /* the row being annotated's field pointers */
    size_t note_ptr_cap;
    size_t field_dropped;       /* bytes of the field in libcsv's buffer that
                                   were let go, past the limit */
    size_t max_fields;          /* fields a row may have (SIZE_MAX: any number) */
    size_t fields_over;         /* fields of the current row past max_fields,
                                   counted and let go */
    char delimiter;             /* between fields: ',' unless the options say */
} reader;

/* A reader of the file called name, with the options' limits. */
static reader reader_start(const char *name, const dv_csv_options *opt, dv_csv_row_fn fn,
                           void *ctx, dv_error *err, batch *first, pipeline *pipe)
{
    reader r = {.name = name, .opt = opt, .fn = fn, .ctx = ctx, .err = err, .line = 1,
                .row_start = 1, .cur = first, .pipe = pipe, .max_fields = SIZE_MAX};
    if (opt && opt->max_fields) r.max_fields = opt->max_fields;
    r.delimiter = opt && opt->delimiter ? opt->delimiter : ',';
    return r;
}

static void batch_clear(batch *b)
{
    b->text.len = 0;
    b->n_lens = b->n_rows = b->row_text = b->row_lens = b->row_bad = 0;
}

static void batch_free(batch *b)
{
    dv_buf_free(&b->text);
    free(b->lens);
    free(b->hashes);
    free(b->notes);
    free(b->lines);
    free(b->nfields);
    free(b->bad);
}

/* Point ptrs[0..nf) at the nf NUL-terminated fields from p on (lens
 * theirs, grown as needed); returns where the next row's text begins. */
static const char *field_pointers(const char *p, const size_t *lens, size_t nf,
                                  const char ***ptrs, size_t *cap)
{
    dv_grow((void **)ptrs, cap, nf + 1, sizeof **ptrs);
    for (size_t k = 0; k < nf; k++) {
        (*ptrs)[k] = p;
        p += lens[k] + 1;
    }
    return p;
}

/* Call fn for every row of a batch; the first non-zero status stops. */
static int deliver(const batch *b, dv_csv_row_fn fn, void *ctx, const dv_csv_options *opt,
                   const char ***ptrs, size_t *ptr_cap, dv_error *err)
{
    const char *p = b->text.data;
    const size_t *lens = b->lens;
    const uint64_t *hashes = b->hashes;
    bool notes = opt && opt->annotate;
    for (size_t i = 0; i < b->n_rows; i++) {
        size_t nf = b->nfields[i];
        p = field_pointers(p, lens, nf, ptrs, ptr_cap);
        dv_csv_row row = {*ptrs, lens, nf, b->lines[i], b->bad[i], hashes,
                          notes ? b->notes + i * DV_CSV_NOTES : NULL};
        int rc = fn(ctx, &row, err);
        if (rc) return rc;
        lens += nf;
        hashes += nf;
    }
    return 0;
}

/* The reader's side: a full batch out, an empty one back (false: stop). */
static bool pipe_swap(pipeline *pp, batch **b)
{
    pthread_mutex_lock(&pp->mu);
    if (*b) {
        pp->full[(pp->full_head + pp->n_full++) % N_BATCHES] = *b;
        *b = NULL;
        pthread_cond_broadcast(&pp->changed);
    }
    while (!pp->n_empty && !pp->stop) pthread_cond_wait(&pp->changed, &pp->mu);
    bool go = !pp->stop;
    if (go) *b = pp->empty[--pp->n_empty];
    pthread_mutex_unlock(&pp->mu);
    return go;
}

/* One field of the row being read: checked and kept, or, past max_fields
 * (keep false), checked and counted: a row too wide to hold is an error
 * once it ends, with its width in the message. */
static inline void take_field(reader *r, const char *data, size_t len, bool keep)
{
    if (r->status) return;
    len += r->field_dropped; /* then over the limit: only the length counts */
    r->field_dropped = 0;
    if (r->opt && r->opt->max_field_bytes && len > r->opt->max_field_bytes) {
        r->status = dv_fail(r->err, DV_EXIT_INPUT,
                            "%s:%ld: a field is %zu bytes long, over the limit of %zu bytes",
                            r->name, r->row_start, len, r->opt->max_field_bytes);
        return;
    }
    if (!keep) {
        r->fields_over++;
        return;
    }
    if (data && memchr(data, '\0', len)) {
        r->status = dv_fail(r->err, DV_EXIT_INPUT, "%s:%ld: a field holds a NUL byte",
                            r->name, r->row_start);
        return;
    }
    batch *b = r->cur;
    /* checked here, on the reading thread, to spare the loading one */
    if (!b->row_bad && !dv_utf8_valid(data ? data : "", len)) b->row_bad = b->n_lens - b->row_lens + 1;
    if (b->n_lens == b->cap_lens) dv_grow((void **)&b->lens, &b->cap_lens, b->n_lens + 1, sizeof *b->lens);
    if (b->n_lens == b->cap_hashes)
        dv_grow((void **)&b->hashes, &b->cap_hashes, b->n_lens + 1, sizeof *b->hashes);
    size_t trimmed = len;
    const char *t = dv_trim(data ? data : "", &trimmed);
    b->hashes[b->n_lens] = dv_hash_fast(t, trimmed); /* the loader's keys, found here */
    b->lens[b->n_lens++] = len;
    if (b->text.len + len + 1 > b->text.cap)
        dv_grow((void **)&b->text.data, &b->text.cap, b->text.len + len + 1, 1);
    if (len) memcpy(b->text.data + b->text.len, data, len);
    b->text.data[b->text.len + len] = '\0'; /* keep each field NUL-terminated */
    b->text.len += len + 1;
}

/* libcsv's field callback: the row's fields so far are in the batch. */
static void on_field(void *data, size_t len, void *vr)
{
    reader *r = vr;
    if (r->status) return; /* (and there may be no batch) */
    const batch *b = r->cur;
    take_field(r, data, len, b->n_lens - b->row_lens < r->max_fields);
}

static void on_row(int term, void *vr)
{
    (void)term;
    reader *r = vr;
    batch *b = r->cur;
    if (r->fields_over && !r->status)
        r->status = dv_fail(r->err, DV_EXIT_INPUT,
                            "%s:%ld: a row has %zu fields, over the limit of %zu fields", r->name,
                            r->row_start, r->max_fields + r->fields_over, r->max_fields);
    if (r->status) { /* drop the row's fields (no batch: the loader stopped) */
        if (b) {
            b->text.len = b->row_text;
            b->n_lens = b->row_lens;
            b->row_bad = 0;
        }
        return;
    }
    dv_grow((void **)&b->lines, &b->cap_lines, b->n_rows + 1, sizeof *b->lines);
    dv_grow((void **)&b->nfields, &b->cap_nfields, b->n_rows + 1, sizeof *b->nfields);
    dv_grow((void **)&b->bad, &b->cap_bad, b->n_rows + 1, sizeof *b->bad);
    b->lines[b->n_rows] = r->row_start;
    b->nfields[b->n_rows] = b->n_lens - b->row_lens;
    b->bad[b->n_rows] = b->row_bad;
    if (r->opt && r->opt->annotate) { /* on this thread, while the row is at hand */
        size_t nf = b->n_lens - b->row_lens;
        field_pointers(b->text.data + b->row_text, b->lens + b->row_lens, nf, &r->note_ptrs,
                       &r->note_ptr_cap);
        dv_grow((void **)&b->notes, &b->cap_notes, (b->n_rows + 1) * DV_CSV_NOTES, sizeof *b->notes);
        uint32_t *n = b->notes + b->n_rows * DV_CSV_NOTES;
        dv_csv_row row = {r->note_ptrs, b->lens + b->row_lens, nf, r->row_start, b->row_bad,
                          b->hashes + b->row_lens, NULL};
        n[0] = r->opt->annotate(r->ctx, &row, n);
    }
    b->row_bad = 0;
    b->n_rows++;
    b->row_text = b->text.len;
    b->row_lens = b->n_lens;
    if (!r->pipe) {
        int rc = deliver(b, r->fn, r->ctx, r->opt, &r->ptrs, &r->ptr_cap, r->err);
        if (rc) r->status = rc;
        batch_clear(b);
    } else if (b->n_rows >= BATCH_ROWS || b->text.len >= BATCH_BYTES) {
        if (!pipe_swap(r->pipe, &r->cur)) r->status = -1; /* the loader stopped */
    }
}

/* Where the bytes come from: memory, or a file read with read(2) and, when
 * it begins with gzip's magic bytes, inflated here. zlib's gzread would
 * do the inflating, but it ignores whatever follows a gzip member that is
 * not another member, so rows appended to a compressed file would vanish
 * without a word; here anything after the last member is an error. */
typedef struct source {
    const char *mem;            /* memory: the bytes */
    size_t mem_len, mem_pos;
    int fd;                     /* or a file (-1: memory) */
    bool gzip;                  /* the file began with 1f 8b */
    bool at_eof;                /* read(2) has returned 0 */
    bool member_ended;          /* a gzip member ended: what follows must be
                                   another member or nothing */
    z_stream zs;                /* the file's bytes read and not yet used
                                   (next_in, avail_in), and zlib's state */
#ifdef DIVERT_HAVE_ISAL
    struct inflate_state *isal; /* owned: igzip's state, when it inflates */
#endif
    unsigned char *in;          /* CHUNK bytes of the file */
    dv_sha256 *sha;             /* owned: the file's checksum so far, or NULL */
    long long nbytes;           /* bytes read from the file */
} source;

/* Bytes just read from the file: into its checksum. */
static void source_saw(source *src, const void *bytes, ssize_t n)
{
    if (n <= 0) return;
    src->nbytes += n;
    if (src->sha) dv_sha256_update(src->sha, bytes, (size_t)n);
}

/* Read more of the file behind the bytes not yet used (false: err set). */
static bool fill(source *src, const char *name, dv_error *err)
{
    z_stream *zs = &src->zs;
    if (zs->avail_in && zs->next_in != src->in) memmove(src->in, zs->next_in, zs->avail_in);
    zs->next_in = src->in;
    ssize_t got;
    do got = read(src->fd, src->in + zs->avail_in, CHUNK - zs->avail_in);
    while (got < 0 && errno == EINTR);
    if (got < 0) {
        dv_fail(err, DV_EXIT_INPUT, "%s: cannot read: %s", name, strerror(errno));
        return false;
    }
    if (got == 0) src->at_eof = true;
    source_saw(src, src->in + zs->avail_in, got);
    zs->avail_in += (uInt)got;
    return true;
}

/* Start reading a file: gzip or plain, told by its first two bytes as
 * zlib tells them (a file of one byte 0x1f is plain). */
static int source_open(source *src, int fd, bool checksum, const char *name, dv_error *err)
{
    memset(src, 0, sizeof *src);
    src->fd = fd;
    if (checksum) src->sha = dv_sha256_new();
    src->in = dv_xmalloc(CHUNK);
    src->zs.next_in = src->in;
    while (src->zs.avail_in < 2 && !src->at_eof)
        if (!fill(src, name, err)) return err->code;
    if (src->zs.avail_in >= 2 && src->in[0] == 0x1f && src->in[1] == 0x8b) {
        src->gzip = true;
#ifdef DIVERT_HAVE_ISAL
        src->isal = dv_xmalloc(sizeof *src->isal);
        isal_inflate_init(src->isal);
        src->isal->crc_flag = ISAL_GZIP; /* header, CRC and length checked */
        return 0;
#endif
        int rc = inflateInit2(&src->zs, 16 + MAX_WBITS); /* gzip only */
        if (rc == Z_MEM_ERROR) dv_out_of_memory(sizeof(z_stream));
        if (rc != Z_OK) return dv_fail(err, DV_EXIT_INTERNAL, "%s: cannot start zlib", name);
    }
    return 0;
}

static void source_close(source *src)
{
    dv_sha256_free(src->sha);
    src->sha = NULL;
#ifdef DIVERT_HAVE_ISAL
    if (src->isal) {
        free(src->isal);
        src->isal = NULL;
    } else
#endif
        if (src->gzip)
        inflateEnd(&src->zs);
    free(src->in);
    src->in = NULL;
}

/* One step of inflating the bytes in src->zs into out[0..*n): *n becomes
 * what was written; *ended says a gzip member ended. NULL, or what is
 * wrong with the data. */
static const char *inflate_step(source *src, unsigned char *out, size_t *n, bool *ended)
{
    z_stream *zs = &src->zs;
#ifdef DIVERT_HAVE_ISAL
    if (src->isal) {
        struct inflate_state *st = src->isal;
        uint32_t room = *n > UINT32_MAX ? UINT32_MAX : (uint32_t)*n;
        st->next_in = zs->next_in;
        st->avail_in = zs->avail_in;
        st->next_out = out;
        st->avail_out = room;
        int rc = isal_inflate(st);
        zs->next_in = st->next_in;
        zs->avail_in = st->avail_in;
        *n = room - st->avail_out;
        *ended = st->block_state == ISAL_BLOCK_FINISH;
        switch (rc) {
        case ISAL_DECOMP_OK: case ISAL_END_INPUT: case ISAL_OUT_OVERFLOW: return NULL;
        case ISAL_INVALID_BLOCK: return "invalid block type";
        case ISAL_INVALID_SYMBOL: return "invalid code";
        case ISAL_INVALID_LOOKBACK: return "invalid distance too far back";
        case ISAL_INVALID_WRAPPER: return "incorrect header check";
        case ISAL_UNSUPPORTED_METHOD: return "unknown compression method";
        case ISAL_INCORRECT_CHECKSUM: return "incorrect data check";
        default: return "compressed data error";
        }
    }
#endif
    zs->next_out = out;
    zs->avail_out = (uInt)*n;
    int rc = inflate(zs, Z_NO_FLUSH);
    *n -= zs->avail_out;
    *ended = rc == Z_STREAM_END;
    if (rc == Z_MEM_ERROR) dv_out_of_memory(*n);
    if (rc != Z_OK && rc != Z_BUF_ERROR && rc != Z_STREAM_END)
        return zs->msg ? zs->msg : "compressed data error";
    return NULL;
}

/* Start inflating the next member of a concatenation. */
static void inflate_next_member(source *src)
{
#ifdef DIVERT_HAVE_ISAL
    if (src->isal) {
        isal_inflate_reset(src->isal);
        src->isal->crc_flag = ISAL_GZIP;
        return;
    }
#endif
    inflateReset(&src->zs);
}

/* Inflate up to n bytes into buf. On an error, what this call inflated
 * is dropped, as gzread drops it: data that inflate has not yet found
 * corrupt may be garbage, and its rows should not speak before zlib. */
static long inflate_some(source *src, char *buf, size_t n, const char *name, dv_error *err)
{
    z_stream *zs = &src->zs;
    size_t done = 0;
    while (done < n) {
        if (zs->avail_in < 2 && !src->at_eof) {
            if (!fill(src, name, err)) return -1;
            continue;
        }
        if (src->member_ended) {
            if (!zs->avail_in) break; /* the end of the last member is the end */
            if (zs->avail_in < 2 || zs->next_in[0] != 0x1f || zs->next_in[1] != 0x8b) {
                dv_fail(err, DV_EXIT_INPUT, "%s: data after the end of the gzip stream", name);
                return -1;
            }
            inflate_next_member(src); /* the next member of a concatenation */
            src->member_ended = false;
        }
        size_t before = zs->avail_in, got = n - done;
        const char *corrupt = inflate_step(src, (unsigned char *)buf + done, &got, &src->member_ended);
        done += got;
        if (!corrupt && !got && zs->avail_in == before && !src->member_ended) {
            /* no step forward: the inflater wants more than there is */
            if (!src->at_eof) {
                if (!fill(src, name, err)) return -1;
                continue;
            }
            corrupt = "unexpected end of file"; /* gzread's words */
        }
        if (corrupt) {
            dv_fail(err, DV_EXIT_INPUT, "%s: corrupt or truncated gzip data (%s)", name, corrupt);
            return -1;
        }
    }
    return (long)done;
}

/* Read up to n bytes; returns the count, 0 at the end, -1 on error. */
static long source_read(source *src, char *buf, size_t n, const char *name, dv_error *err)
{
    if (src->fd < 0) {
        size_t left = src->mem_len - src->mem_pos;
        if (n > left) n = left;
        memcpy(buf, src->mem + src->mem_pos, n);
        src->mem_pos += n;
        return (long)n;
    }
    if (src->gzip) return inflate_some(src, buf, n, name, err);
    z_stream *zs = &src->zs;
    if (zs->avail_in) { /* what source_open read to look at */
        size_t k = zs->avail_in < n ? zs->avail_in : n;
        memcpy(buf, zs->next_in, k);
        zs->next_in += k;
        zs->avail_in -= (uInt)k;
        return (long)k;
    }
    if (src->at_eof) return 0;
    ssize_t got;
    do got = read(src->fd, buf, n);
    while (got < 0 && errno == EINTR);
    if (got < 0) {
        dv_fail(err, DV_EXIT_INPUT, "%s: cannot read: %s", name, strerror(errno));
        return -1;
    }
    if (got == 0) src->at_eof = true;
    source_saw(src, buf, got);
    return (long)got;
}

/* A whole line with no quote in it, at a row boundary: what libcsv makes
 * of it is plain, so split it here, at a fraction of libcsv's cost per
 * byte. libcsv's rules for unquoted fields, which this mirrors exactly (a
 * differential test holds it to that): fields end at commas, spaces and
 * tabs around a field are dropped, a line of nothing but spaces and tabs is
 * no row, and the line end (LF, CR or CRLF) ends the row. */
static void split_plain_line(reader *r, const char *s, size_t n)
{
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r')) n--;
    size_t k = 0;
    while (k < n && (s[k] == ' ' || s[k] == '\t')) k++;
    if (k == n) return;
    size_t start = 0, fields = 0; /* the line is the whole row */
    for (;;) {
        const char *comma = memchr(s + start, r->delimiter, n - start);
        size_t end = comma ? (size_t)(comma - s) : n, a = start, b = end;
        while (a < b && (s[a] == ' ' || s[a] == '\t')) a++;
        while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t')) b--;
        take_field(r, s + a, b - a, fields++ < r->max_fields);
        if (!comma) break;
        start = end + 1;
    }
    on_row('\n', r);
}

/* A field over the limit is an error once it ends, with its length in
 * the message. Until then libcsv would hold all of it, and a quote never
 * closed holds the rest of the file: so once the field is over the limit,
 * let its bytes go as they come and count them, keeping only what libcsv
 * may still take back (an unquoted field's trailing blanks; a closing
 * quote and the blanks after it). */
static void let_go_of_long_field(reader *r, struct csv_parser *p)
{
    size_t limit = r->opt ? r->opt->max_field_bytes : 0;
    if (!limit || p->pstate == LIBCSV_ROW_NOT_BEGUN) return;
    size_t tail = p->spaces + (p->pstate == LIBCSV_FIELD_MIGHT_HAVE_ENDED);
    if (p->entry_pos <= tail) return;
    size_t content = p->entry_pos - tail;
    if (!r->field_dropped && content <= limit) return;
    memmove(p->entry_buf, p->entry_buf + content, tail);
    p->entry_pos = tail;
    r->field_dropped += content;
}

static void feed(reader *r, struct csv_parser *p, const char *s, size_t n)
{
    if (p->pstate == LIBCSV_ROW_NOT_BEGUN) {
        r->row_start = r->line;
        if (n && (s[n - 1] == '\n' || s[n - 1] == '\r') && !memchr(s, '"', n)) {
            split_plain_line(r, s, n);
            return;
        }
    }
    size_t used = csv_parse(p, s, n, on_field, on_row, r);
    if (used != n && !r->status && csv_error(p) == CSV_ENOMEM) {
        dv_out_of_memory(n);
    } else if (used != n && !r->status) {
        r->status = dv_fail(r->err, DV_EXIT_INPUT,
                            "%s:%ld: malformed quoting: a quote inside an unquoted field, "
                            "or text after a closing quote",
                            r->name, r->line);
    }
    if (!r->status) let_go_of_long_field(r, p);
}

/* Read the source to its end, or to the first error, assembling rows into
 * r->cur (and handing them on as on_row says). */
static int produce(reader *r, source *src)
{
    const char *name = r->name;
    const dv_csv_options *opt = r->opt;
    dv_error *err = r->err;
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
        return dv_fail(err, DV_EXIT_INTERNAL, "%s: cannot start the CSV parser", name);
    /* libcsv grows its field buffer by this much at a time (128 bytes by
     * default: a copy of the whole field every 128 bytes of a long one) */
    csv_set_blk_size(&p, 1 << 16);
    csv_set_delim(&p, r->delimiter);

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
        /* A CR at the very end of the last chunk may have been half of a
         * CRLF: the line count waited for this byte. Count it before the
         * NUL check, whose message names a line. */
        if (pending_cr && n > 0 && buf[0] != '\n') r->line++;
        pending_cr = false;
        if (memchr(buf + start, '\0', n - start)) {
            /* find the line of the first NUL for the message */
            long line = r->line;
            for (size_t i = start; i < n && buf[i] != '\0'; i++)
                if (buf[i] == '\n' || (buf[i] == '\r' && i + 1 < n && buf[i + 1] != '\n'))
                    line++;
            status = dv_fail(err, DV_EXIT_INPUT,
                             "%s:%ld: NUL byte in the input (is the file UTF-16 or binary?)",
                             name, line);
            break;
        }
        /* Feed line by line. */
        size_t i = start, line_begin = start;
        if (!memchr(buf + start, '\r', n - start)) {
            /* no CR in the chunk: line ends are the LFs, found by memchr */
            const char *nl;
            while (!r->status && (nl = memchr(buf + line_begin, '\n', n - line_begin))) {
                size_t end = (size_t)(nl - buf) + 1;
                feed(r, &p, buf + line_begin, end - line_begin);
                r->line++;
                line_begin = end;
            }
            i = n;
        }
        for (; i < n && !r->status; i++) {
            char c = buf[i];
            bool end_of_line = false;
            if (c == '\n') {
                end_of_line = true;
            } else if (c == '\r') {
                if (i + 1 < n) end_of_line = buf[i + 1] != '\n';
                else pending_cr = true;
            }
            if (end_of_line) {
                feed(r, &p, buf + line_begin, i + 1 - line_begin);
                r->line++;
                line_begin = i + 1;
            }
        }
        if (!r->status && line_begin < n) feed(r, &p, buf + line_begin, n - line_begin);
        if (r->status) {
            status = r->status;
            break;
        }
        if (opt && opt->progress) opt->progress(opt->progress_ctx, name, total);
    }

    if (!status) {
        long open_line = r->row_start;
        if (csv_fini(&p, on_field, on_row, r) != 0 && !r->status)
            r->status = dv_fail(err, DV_EXIT_INPUT,
                                "%s:%ld: unterminated quoted field: a quote opened in this row "
                                "is never closed before the end of the file",
                                name, open_line);
        status = r->status;
    }
    csv_free(&p);
    free(buf);
    return status;
}

static int read_seq(source *src, const char *name, const dv_csv_options *opt,
                    dv_csv_row_fn fn, void *ctx, dv_error *err)
{
    batch b = {0};
    reader r = reader_start(name, opt, fn, ctx, err, &b, NULL);
    int status = produce(&r, src);
    batch_free(&b);
    free(r.ptrs);
    free(r.note_ptrs);
    return status;
}

typedef struct producer {
    reader r;
    source *src;
    dv_error err;               /* the reader's own: the loader may fill err */
    int status;
} producer;

static void *produce_thread(void *arg)
{
    producer *pr = arg;
    pr->status = produce(&pr->r, pr->src);
    free(pr->r.note_ptrs);
    pr->r.note_ptrs = NULL;
    pipeline *pp = pr->r.pipe;
    pthread_mutex_lock(&pp->mu);
    if (pr->r.cur) { /* the last rows; after an error, the rows before it */
        pp->full[(pp->full_head + pp->n_full++) % N_BATCHES] = pr->r.cur;
        pr->r.cur = NULL;
    }
    pp->done = true;
    pthread_cond_broadcast(&pp->changed);
    pthread_mutex_unlock(&pp->mu);
    return NULL;
}

/* One thread decompresses and parses, the caller's thread loads the rows:
 * the same rows, in the same order, with the same first error, as read_seq. */
static int read_piped(source *src, const char *name, const dv_csv_options *opt,
                      dv_csv_row_fn fn, void *ctx, dv_error *err)
{
    batch batches[N_BATCHES];
    memset(batches, 0, sizeof batches);
    pipeline pp;
    memset(&pp, 0, sizeof pp);
    pthread_mutex_init(&pp.mu, NULL);
    pthread_cond_init(&pp.changed, NULL);
    for (int i = 1; i < N_BATCHES; i++) pp.empty[pp.n_empty++] = &batches[i];

    producer pr;
    memset(&pr, 0, sizeof pr);
    pr.r = reader_start(name, opt, NULL, ctx, &pr.err, &batches[0], &pp); /* ctx: for annotate */
    pr.src = src;
    pthread_t tid;
    if (pthread_create(&tid, NULL, produce_thread, &pr) != 0) {
        pthread_cond_destroy(&pp.changed);
        pthread_mutex_destroy(&pp.mu);
        return read_seq(src, name, opt, fn, ctx, err);
    }

    const char **ptrs = NULL;
    size_t ptr_cap = 0;
    int status = 0;
    for (;;) {
        pthread_mutex_lock(&pp.mu);
        while (!pp.n_full && !pp.done) pthread_cond_wait(&pp.changed, &pp.mu);
        if (!pp.n_full) {
            pthread_mutex_unlock(&pp.mu);
            break;
        }
        batch *b = pp.full[pp.full_head];
        pp.full_head = (pp.full_head + 1) % N_BATCHES;
        pp.n_full--;
        pthread_mutex_unlock(&pp.mu);

        if (!status) status = deliver(b, fn, ctx, opt, &ptrs, &ptr_cap, err);
        batch_clear(b);
        pthread_mutex_lock(&pp.mu);
        if (status) pp.stop = true;
        pp.empty[pp.n_empty++] = b;
        pthread_cond_broadcast(&pp.changed);
        pthread_mutex_unlock(&pp.mu);
    }
    pthread_join(tid, NULL);
    if (!status && pr.status) {
        *err = pr.err;
        status = pr.status;
    }
    for (int i = 0; i < N_BATCHES; i++) batch_free(&batches[i]);
    free(ptrs);
    pthread_cond_destroy(&pp.changed);
    pthread_mutex_destroy(&pp.mu);
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
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return dv_fail(err, DV_EXIT_INPUT, "%s: cannot open: %s", name, strerror(errno));
    source src;
    int rc = source_open(&src, fd, opt && opt->sha256_hex, name, err);
    if (!rc) rc = read_piped(&src, name, opt, fn, ctx, err);
    if (!rc && src.sha) {
        dv_sha256_final_hex(src.sha, opt->sha256_hex);
        src.sha = NULL;
    }
    if (!rc && opt && opt->bytes) *opt->bytes = src.nbytes;
    source_close(&src);
    close(fd);
    return rc;
}

int dv_csv_read_mem(const char *data, size_t len, const char *name,
                    const dv_csv_options *opt, dv_csv_row_fn fn, void *ctx,
                    dv_error *err)
{
    source src = {.mem = data, .mem_len = len, .fd = -1};
    return read_seq(&src, name, opt, fn, ctx, err);
}
