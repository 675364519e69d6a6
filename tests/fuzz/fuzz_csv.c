/*
 * fuzz_csv.c: arbitrary bytes through the CSV reader (dv_csv_read_mem, the
 * one-thread path the embedded reference tables take; fuzz_gzip drives the
 * file path and holds it to this one).
 *
 * The limits are small (64 bytes a field, 32 fields a row) so that inputs
 * reach their errors as often as the rows after them. The callback reads
 * every byte of every field and checks what csvread.h promises:
 *
 * - each field is NUL-terminated at its length and holds no NUL, no
 *   field is over the limit, and no row has more fields than its limit;
 * - row->invalid_utf8 names the first field that is not valid UTF-8;
 * - rows start on strictly increasing lines, within the input's lines;
 * - the read ends in success or an input error whose message starts with
 *   "NAME:" and, when it names a line, a line of the input.
 *
 * Then, for one input in four (those whose last byte is a multiple of 4:
 * the read costs a quarter of a megabyte), the input is read again behind
 * a line of blanks (no row, one line) so long that the reader's 256 KiB
 * chunk ends inside the input, at a place the input's last byte chooses: the status and message, and after
 * a clean read the rows, must be those of the first read, one line
 * further down. (Except that each chunk is searched for NUL bytes before
 * it is parsed, so when the NUL moves to a later chunk an error before it
 * may be reported instead.) That holds the
 * reader's handling of a chunk boundary (a CR at its end may be half of a
 * CRLF, a line or a quoted field goes on in the next chunk) to a read
 * without one.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdint.h>

#include "divert/csvread.h"
#include "fuzz_support.h"

enum { FIELD_LIMIT = 64, FIELDS_LIMIT = 32 };

/* The reader's chunk (CHUNK in csvread.c). */
enum { READ_CHUNK = 1 << 18 };

typedef struct seen {
    long prev_line;      /* line of the last row, 0 before the first */
    long last_line;      /* the input's last physical line */
    long line_offset;    /* lines in front of the input */
    size_t rows;
    uint64_t hash;       /* of every row: its line less the offset, fields */
} seen;

static void mix(seen *v, const void *p, size_t n)
{
    v->hash = (v->hash ^ dv_hash64(p, n)) * 0x9E3779B97F4A7C15ULL;
}

static int on_row(void *ctx, const dv_csv_row *row, dv_error *err)
{
    (void)err;
    seen *v = ctx;
    long line = row->line - v->line_offset;
    v->rows++;
    mix(v, &line, sizeof line);
    mix(v, &row->nfields, sizeof row->nfields);
    FUZZ_CHECK(row->line > v->prev_line && row->line <= v->last_line,
               "row on line %ld after line %ld, input has %ld lines", row->line, v->prev_line,
               v->last_line);
    v->prev_line = row->line;
    FUZZ_CHECK(row->nfields <= FIELDS_LIMIT, "row on line %ld has %zu fields", row->line, row->nfields);
    size_t first_bad = 0;
    for (size_t k = 0; k < row->nfields; k++) {
        const char *f = row->fields[k];
        size_t len = row->lens[k];
        FUZZ_CHECK(len <= FIELD_LIMIT, "field %zu is %zu bytes", k, len);
        FUZZ_CHECK(f[len] == '\0' && strlen(f) == len, "field %zu is not a %zu-byte string", k, len);
        mix(v, f, len + 1);
        if (!first_bad && !dv_utf8_valid(f, len)) first_bad = k + 1;
    }
    FUZZ_CHECK(row->invalid_utf8 == first_bad, "invalid_utf8 is %zu, first invalid field %zu",
               row->invalid_utf8, first_bad);
    return 0;
}

/* Physical lines: a line ends at LF, or at a CR not followed by LF. */
static long count_lines(const char *s, size_t n)
{
    long lines = 1;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == n || s[i + 1] != '\n'))) lines++;
    return lines;
}

typedef struct outcome {
    seen rows;
    int status;
    dv_error err;
} outcome;

static void read_csv(const char *s, size_t n, long line_offset, long last_line, outcome *o)
{
    memset(o, 0, sizeof *o);
    o->rows.line_offset = line_offset;
    o->rows.prev_line = line_offset;
    o->rows.last_line = last_line + line_offset;
    dv_csv_options opt = {.max_field_bytes = FIELD_LIMIT, .max_fields = FIELDS_LIMIT};
    o->status = dv_csv_read_mem(s, n, "fuzz.csv", &opt, on_row, &o->rows, &o->err);
    FUZZ_CHECK(o->status == 0 || o->status == DV_EXIT_INPUT, "status %d: %s", o->status, o->err.msg);
    if (o->status) {
        FUZZ_CHECK(o->err.code == o->status, "status %d, error code %d", o->status, o->err.code);
        FUZZ_CHECK(strncmp(o->err.msg, "fuzz.csv:", 9) == 0, "message \"%s\"", o->err.msg);
    }
}

/* The line a message names, or 0 when it names none; *rest is what
 * follows the line. */
static long message_line(const char *msg, const char **rest)
{
    long line = 0;
    int used = 0;
    *rest = msg;
    if (sscanf(msg, "fuzz.csv:%ld:%n", &line, &used) == 1 && used) {
        FUZZ_CHECK(line >= 1, "message names line %ld: %s", line, msg);
        *rest = msg + used;
    }
    return line;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    long lines = count_lines(s, size);
    outcome plain;
    read_csv(s, size, 0, lines, &plain);
    const char *rest;
    long line = plain.status ? message_line(plain.err.msg, &rest) : 0;
    FUZZ_CHECK(line <= lines, "message names line %ld of %ld: %s", line, lines, plain.err.msg);

    /* A byte-order mark only counts at the start of the file. */
    const unsigned char *u = data;
    if (size == 0 || (size >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) ||
        (size >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF))
        return 0;
    if (data[size - 1] % 4) return 0;
    size_t into = data[size - 1] / 4 % size; /* input bytes before the chunk ends */
    size_t pad = READ_CHUNK - into;      /* blanks and a LF */
    char *padded = dv_xmalloc(pad + size);
    memset(padded, ' ', pad - 1);
    padded[pad - 1] = '\n';
    memcpy(padded + pad, s, size);
    outcome shifted;
    read_csv(padded, pad + size, 1, lines, &shifted);
    free(padded);
    /* Rows before an error may differ: a NUL byte stops the read before
     * any row of its chunk is delivered, and the chunks differ. */
    FUZZ_CHECK(shifted.status == plain.status &&
                   (plain.status || (shifted.rows.rows == plain.rows.rows &&
                                     shifted.rows.hash == plain.rows.hash)),
               "across a chunk boundary after %zu bytes: status %d after %zu rows (%s), "
               "without one %d after %zu rows (%s)",
               into, shifted.status, shifted.rows.rows, shifted.err.msg, plain.status, plain.rows.rows,
               plain.err.msg);
    if (plain.status) {
        const char *shifted_rest;
        long shifted_line = message_line(shifted.err.msg, &shifted_rest);
        /* A chunk is searched for NUL bytes before it is parsed: when the
         * NUL is in a later chunk than before, another error on an earlier
         * line (or earlier on its line) may come first. */
        bool nul = strstr(rest, "NUL byte in the input") != NULL;
        bool same = shifted_line == (line ? line + 1 : 0) && strcmp(shifted_rest, rest) == 0;
        bool earlier = nul && !strstr(shifted_rest, "NUL byte in the input") && shifted_line >= 1 &&
                       shifted_line <= line + 1;
        FUZZ_CHECK(same || earlier,
                   "across a chunk boundary after %zu bytes: \"%s\", without one \"%s\"", into,
                   shifted.err.msg, plain.err.msg);
    }
    return 0;
}
