/*
 * test_csvread.c: bytes to rows. The csv-spectrum acid tests (tests/data/
 * csv-spectrum, expectations transcribed from its json/ files), line
 * numbers across quoted line breaks and every kind of line end, byte-order
 * marks, NUL bytes, strict quoting, gzip, limits and file errors.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <csv.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "divert/csvread.h"
#include "support.h"

/* ---- collecting rows ---- */

typedef struct got_row {
    long line;
    size_t invalid_utf8;
    size_t nfields;
    char **fields;
    size_t *lens;
} got_row;

typedef struct collected {
    got_row *rows;
    size_t n, cap;
    size_t stop_at;        /* return an error from this row (1-based), 0: never */
} collected;

static int collect(void *ctx, const dv_csv_row *row, dv_error *err)
{
    collected *c = ctx;
    got_row g = {row->line, row->invalid_utf8, row->nfields, dv_xcalloc(row->nfields + 1, sizeof(char *)),
                 dv_xcalloc(row->nfields + 1, sizeof(size_t))};
    for (size_t i = 0; i < row->nfields; i++) {
        /* every field is NUL-terminated at its length */
        assert_int_equal(row->fields[i][row->lens[i]], '\0');
        g.fields[i] = dv_xstrndup(row->fields[i], row->lens[i]);
        g.lens[i] = row->lens[i];
    }
    DV_PUSH(c->rows, c->n, c->cap, g);
    if (c->stop_at && c->n == c->stop_at)
        return dv_fail(err, DV_EXIT_INPUT, "stopped at row %zu", c->n);
    return 0;
}

static void collected_free(collected *c)
{
    for (size_t i = 0; i < c->n; i++) {
        for (size_t k = 0; k < c->rows[i].nfields; k++) free(c->rows[i].fields[k]);
        free(c->rows[i].fields);
        free(c->rows[i].lens);
    }
    free(c->rows);
    memset(c, 0, sizeof *c);
}

static int read_mem(const char *data, size_t len, const dv_csv_options *opt, collected *c,
                    dv_error *err)
{
    return dv_csv_read_mem(data, len, "t.csv", opt, collect, c, err);
}

/* Expected rows: field lists ending with NULL, and the line each starts on. */
typedef struct want_row {
    long line;
    const char *const *fields;
} want_row;

#define ROW(line, ...) {line, (const char *const[]){__VA_ARGS__, NULL}}

static void check_rows(const char *what, const collected *c, const want_row *want, size_t n)
{
    if (c->n != n) fail_msg("%s: %zu rows, expected %zu", what, c->n, n);
    for (size_t r = 0; r < n; r++) {
        const got_row *g = &c->rows[r];
        size_t nf = 0;
        while (want[r].fields[nf]) nf++;
        if (g->line != want[r].line)
            fail_msg("%s: row %zu starts on line %ld, expected %ld", what, r + 1, g->line,
                     want[r].line);
        if (g->nfields != nf)
            fail_msg("%s: row %zu has %zu fields, expected %zu", what, r + 1, g->nfields, nf);
        for (size_t k = 0; k < nf; k++)
            if (g->lens[k] != strlen(want[r].fields[k]) ||
                memcmp(g->fields[k], want[r].fields[k], g->lens[k]) != 0)
                fail_msg("%s: row %zu field %zu is \"%s\", expected \"%s\"", what, r + 1, k + 1,
                         g->fields[k], want[r].fields[k]);
    }
}

static void expect_mem(const char *what, const char *data, size_t len, const want_row *want,
                       size_t n)
{
    collected c = {0};
    dv_error err = {0, ""};
    int rc = read_mem(data, len, NULL, &c, &err);
    if (rc != 0) fail_msg("%s: status %d (%s)", what, rc, err.msg);
    check_rows(what, &c, want, n);
    collected_free(&c);
}

static void expect_mem_error(const char *data, size_t len, const dv_csv_options *opt,
                             const char *msg)
{
    collected c = {0};
    dv_error err = {0, ""};
    int rc = read_mem(data, len, opt, &c, &err);
    collected_free(&c);
    if (rc != DV_EXIT_INPUT) fail_msg("status %d, expected %d (%s)", rc, DV_EXIT_INPUT, err.msg);
    assert_int_equal(err.code, DV_EXIT_INPUT);
    assert_string_equal(err.msg, msg);
}

/* ---- csv-spectrum ---- */

typedef struct spectrum_case {
    const char *file;          /* under tests/data/csv-spectrum */
    want_row rows[6];          /* header first */
    size_t n;
    const char *error;         /* expected message after "FILE", or NULL */
} spectrum_case;

static const spectrum_case spectrum[] = {
    {"csvs/comma_in_quotes.csv",
     {ROW(1, "first", "last", "address", "city", "zip"),
      ROW(2, "John", "Doe", "120 any st.", "Anytown, WW", "08123")},
     2, NULL},
    {"csvs/empty.csv", {ROW(1, "a", "b", "c"), ROW(2, "1", "", ""), ROW(3, "2", "3", "4")}, 3, NULL},
    {"csvs/empty_crlf.csv", {ROW(1, "a", "b", "c"), ROW(2, "1", "", ""), ROW(3, "2", "3", "4")},
     3, NULL},
    {"csvs/escaped_quotes.csv", {ROW(1, "a", "b"), ROW(2, "1", "ha \"ha\" ha"), ROW(3, "3", "4")},
     3, NULL},
    {"csvs/json.csv",
     {ROW(1, "key", "val"), ROW(2, "1", "{\"type\": \"Point\", \"coordinates\": [102.0, 0.5]}")},
     2, NULL},
    /* Bare quotes inside an unquoted field. The upstream JSON reads them
     * leniently; divert's contract (csvread.h) is strict RFC 4180, where
     * this is malformed quoting and a structural error on its line. */
    {"csvs/location_coordinates.csv", {{0, NULL}}, 0,
     ":2: malformed quoting: a quote inside an unquoted field, or text after a closing quote"},
    {"csvs/newlines.csv",
     {ROW(1, "a", "b", "c"), ROW(2, "1", "2", "3"), ROW(3, "Once upon \na time", "5", "6"),
      ROW(5, "7", "8", "9")},
     4, NULL},
    {"csvs/newlines_crlf.csv",
     {ROW(1, "a", "b", "c"), ROW(2, "1", "2", "3"), ROW(3, "Once upon \r\na time", "5", "6"),
      ROW(5, "7", "8", "9")},
     4, NULL},
    {"csvs/quotes_and_newlines.csv",
     {ROW(1, "a", "b"), ROW(2, "1", "ha \n\"ha\" \nha"), ROW(5, "3", "4")}, 3, NULL},
    {"csvs/simple.csv", {ROW(1, "a", "b", "c"), ROW(2, "1", "2", "3")}, 2, NULL},
    {"csvs/simple_crlf.csv", {ROW(1, "a", "b", "c"), ROW(2, "1", "2", "3")}, 2, NULL},
    {"csvs/utf8.csv",
     {ROW(1, "a", "b", "c"), ROW(2, "1", "2", "3"), ROW(3, "4", "5", "\xCA\xA4")}, 3, NULL},
    /* from an unmerged upstream PR: bare CR (classic Mac) line ends */
    {"extra_from_unmerged_prs/newlines_cr.csv",
     {ROW(1, "a", "b", "c"), ROW(2, "1", "2", "3"), ROW(3, "Once upon \ra time", "5", "6"),
      ROW(5, "7", "8", "9")},
     4, NULL},
};

static void reads_every_csv_spectrum_case(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof spectrum / sizeof spectrum[0]; i++) {
        const spectrum_case *sc = &spectrum[i];
        char *rel = dv_xasprintf("csv-spectrum/%s", sc->file);
        char *path = dvt_data(rel);
        collected c = {0};
        dv_error err = {0, ""};
        int rc = dv_csv_read_file(path, sc->file, NULL, collect, &c, &err);
        if (sc->error) {
            char *msg = dv_xasprintf("%s%s", sc->file, sc->error);
            if (rc != DV_EXIT_INPUT || strcmp(err.msg, msg) != 0)
                fail_msg("%s: status %d \"%s\", expected \"%s\"", sc->file, rc, err.msg, msg);
            free(msg);
        } else {
            if (rc != 0) fail_msg("%s: status %d (%s)", sc->file, rc, err.msg);
            check_rows(sc->file, &c, sc->rows, sc->n);
        }
        collected_free(&c);
        free(path);
        free(rel);
    }
}

static void crlf_fixtures_really_hold_crlf(void **state)
{
    (void)state;
    /* if a checkout converted line ends, the CRLF cases would test LF */
    static const char *const files[] = {"csv-spectrum/csvs/simple_crlf.csv",
                                        "csv-spectrum/csvs/newlines_crlf.csv",
                                        "csv-spectrum/csvs/empty_crlf.csv"};
    for (size_t i = 0; i < 3; i++) {
        char *path = dvt_data(files[i]);
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        char buf[256];
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        buf[n] = '\0';
        fclose(f);
        if (!strstr(buf, "a,b,c\r\n")) fail_msg("%s has no CRLF", path);
        free(path);
    }
}

/* ---- line numbers and line ends ---- */

static void rows_after_a_multiline_quoted_field_keep_their_lines(void **state)
{
    (void)state;
    static const char data[] = "id,note\n"
                               "1,\"first\nsecond\nthird\"\n"
                               "2,plain\n"
                               "3,\"x\n\"\n"
                               "4,end\n";
    want_row want[] = {ROW(1, "id", "note"), ROW(2, "1", "first\nsecond\nthird"),
                       ROW(5, "2", "plain"), ROW(6, "3", "x\n"), ROW(8, "4", "end")};
    expect_mem("multiline", data, sizeof data - 1, want, 5);
}

static void crlf_line_ends_give_the_same_rows_and_lines(void **state)
{
    (void)state;
    static const char data[] = "id,note\r\n1,\"a\r\nb\"\r\n2,c\r\n";
    want_row want[] = {ROW(1, "id", "note"), ROW(2, "1", "a\r\nb"), ROW(4, "2", "c")};
    expect_mem("crlf", data, sizeof data - 1, want, 3);
}

static void cr_only_line_ends_count_as_lines(void **state)
{
    (void)state;
    static const char data[] = "id,note\r1,\"a\rb\"\r2,c\r3,d";
    want_row want[] = {ROW(1, "id", "note"), ROW(2, "1", "a\rb"), ROW(4, "2", "c"),
                       ROW(5, "3", "d")};
    expect_mem("cr", data, sizeof data - 1, want, 4);
}

static void mixed_line_ends_count_one_line_each(void **state)
{
    (void)state;
    static const char data[] = "a\r\nb\nc\rd\r\n\ne\n";
    want_row want[] = {ROW(1, "a"), ROW(2, "b"), ROW(3, "c"), ROW(4, "d"), ROW(6, "e")};
    expect_mem("mixed", data, sizeof data - 1, want, 5);
}

static void blank_lines_are_skipped_but_counted(void **state)
{
    (void)state;
    static const char data[] = "a,b\n\n1,2\n\n\n3,4\n";
    want_row want[] = {ROW(1, "a", "b"), ROW(3, "1", "2"), ROW(6, "3", "4")};
    expect_mem("blank", data, sizeof data - 1, want, 3);
}

/* docs/data-format.md: a line of only spaces and tabs is a blank line */
static void space_only_lines_are_blank_lines(void **state)
{
    (void)state;
    static const char data[] = "a,b\n   \n1,2\n\t \n3,4\n";
    want_row want[] = {ROW(1, "a", "b"), ROW(3, "1", "2"), ROW(5, "3", "4")};
    expect_mem("space-only", data, sizeof data - 1, want, 3);
}

/* The reader marks each row's first field that is not UTF-8. */
static void rows_name_their_first_invalid_utf8_field(void **state)
{
    (void)state;
    static const char data[] = "a,b,c\nabcdefghij,caf\xE9,\xFF\n\xFF,2,3\nx,y,\xC3\xA9t\xC3\xA9\n";
    collected c = {0};
    dv_error err = {0, ""};
    assert_int_equal(read_mem(data, sizeof data - 1, NULL, &c, &err), 0);
    assert_int_equal(c.n, 4);
    static const size_t want[] = {0, 2, 1, 0};
    for (size_t i = 0; i < 4; i++)
        if (c.rows[i].invalid_utf8 != want[i])
            fail_msg("row %zu: first invalid field %zu, expected %zu", i + 1,
                     c.rows[i].invalid_utf8, want[i]);
    collected_free(&c);
}

static void last_row_without_line_end_is_read(void **state)
{
    (void)state;
    static const char data[] = "a,b\n1,\"2\"";
    want_row want[] = {ROW(1, "a", "b"), ROW(2, "1", "2")};
    expect_mem("no final newline", data, sizeof data - 1, want, 2);
}

static void empty_fields_are_kept(void **state)
{
    (void)state;
    static const char data[] = "a,b,c\n,,\n1,,\n\"\",x,\n";
    want_row want[] = {ROW(1, "a", "b", "c"), ROW(2, "", "", ""), ROW(3, "1", "", ""),
                       ROW(4, "", "x", "")};
    expect_mem("empty fields", data, sizeof data - 1, want, 4);
}

static void empty_input_has_no_rows(void **state)
{
    (void)state;
    expect_mem("empty", "", 0, NULL, 0);
    expect_mem("bom only", "\xEF\xBB\xBF", 3, NULL, 0);
}

/* A line end that falls on the boundary of the reader's 256 KiB chunks. */
static void line_ends_split_across_read_chunks_are_counted_once(void **state)
{
    (void)state;
    enum { CHUNK = 1 << 18 };
    static const char *const ends[] = {"\r", "\r\n", "\n"};
    for (size_t e = 0; e < 3; e++) {
        /* "h" END, then a long field whose line end's first byte is the
         * last byte of the first chunk, then "next" END "last" */
        size_t endlen = strlen(ends[e]);
        size_t head = 1 + endlen;
        size_t fieldlen = CHUNK - 1 - head;
        dv_buf b = {0};
        dv_buf_add(&b, "h", 1);
        dv_buf_puts(&b, ends[e]);
        char *field = dv_xmalloc(fieldlen + 1);
        memset(field, 'x', fieldlen);
        field[fieldlen] = '\0';
        dv_buf_add(&b, field, fieldlen);
        assert_int_equal(b.len, CHUNK - 1);
        dv_buf_puts(&b, ends[e]);
        dv_buf_puts(&b, "next");
        dv_buf_puts(&b, ends[e]);
        dv_buf_puts(&b, "last");
        want_row want[] = {ROW(1, "h"), {2, (const char *const[]){field, NULL}}, ROW(3, "next"),
                           ROW(4, "last")};
        char what[32];
        snprintf(what, sizeof what, "chunk boundary %zu", e);
        expect_mem(what, b.data, b.len, want, 4);
        free(field);
        dv_buf_free(&b);
    }
}

/* ---- encodings and bad bytes ---- */

static void utf8_bom_is_skipped(void **state)
{
    (void)state;
    static const char data[] = "\xEF\xBB\xBFid,name\n1,x\n";
    want_row want[] = {ROW(1, "id", "name"), ROW(2, "1", "x")};
    expect_mem("bom", data, sizeof data - 1, want, 2);
}

static void utf16_bom_is_an_input_error_naming_utf16(void **state)
{
    (void)state;
    static const char le[] = "\xFF\xFEi\0d\0\n\0";
    static const char be[] = "\xFE\xFF\0i\0d\0\n";
    static const char *const msg =
        "t.csv:1: the file is UTF-16 (byte-order mark); divert reads UTF-8, convert it first "
        "(iconv -f UTF-16 -t UTF-8)";
    expect_mem_error(le, sizeof le - 1, NULL, msg);
    expect_mem_error(be, sizeof be - 1, NULL, msg);
}

static void nul_byte_is_an_error_on_its_line(void **state)
{
    (void)state;
    static const char data[] = "a,b\n1,2\n3,x\0y\n4,5\n";
    expect_mem_error(data, sizeof data - 1, NULL,
                     "t.csv:3: NUL byte in the input (is the file UTF-16 or binary?)");
    /* UTF-16 without a BOM is full of NULs: line 1 */
    static const char utf16[] = "i\0d\0\n\0";
    expect_mem_error(utf16, sizeof utf16 - 1, NULL,
                     "t.csv:1: NUL byte in the input (is the file UTF-16 or binary?)");
}

static void nul_byte_line_counts_every_kind_of_line_end(void **state)
{
    (void)state;
    static const char cr[] = "a,b\r1,2\r3,x\0y\r";
    expect_mem_error(cr, sizeof cr - 1, NULL,
                     "t.csv:3: NUL byte in the input (is the file UTF-16 or binary?)");
    static const char crlf[] = "a,b\r\n1,2\r\n3,x\0y\r\n";
    expect_mem_error(crlf, sizeof crlf - 1, NULL,
                     "t.csv:3: NUL byte in the input (is the file UTF-16 or binary?)");
}

/* Found by fuzz_csv (tests/fuzz/corpus/fuzz_csv/crash-nul-line-after-chunk-cr):
 * a lone CR that ended the first 256 KiB chunk was counted as a line end
 * only after the NUL check of the next chunk, so the message named the
 * line before the NUL's. */
static void nul_byte_after_a_chunk_ending_in_cr_names_its_line(void **state)
{
    (void)state;
    enum { CHUNK = 1 << 18 };
    /* "a,b" LF, a line of blanks whose CR is the last byte of the first
     * chunk, then a NUL on line 3 (or, after CRLF, on line 3 as well) */
    static const char *const ends[] = {"\r", "\r\n"};
    for (size_t e = 0; e < 2; e++) {
        dv_buf b = {0};
        dv_buf_puts(&b, "a,b\n");
        while (b.len < CHUNK - 1) dv_buf_add(&b, " ", 1);
        dv_buf_puts(&b, ends[e]);
        dv_buf_add(&b, "1,\0\n", 4);
        expect_mem_error(b.data, b.len, NULL,
                         "t.csv:3: NUL byte in the input (is the file UTF-16 or binary?)");
        dv_buf_free(&b);
    }
}

/* ---- strict quoting ---- */

static void unterminated_quote_is_an_error_on_the_line_it_opens(void **state)
{
    (void)state;
    static const char data[] = "a,b\n1,2\n3,\"never closed\n4,5\n6,7\n";
    expect_mem_error(data, sizeof data - 1, NULL,
                     "t.csv:3: unterminated quoted field: a quote opened in this row is never "
                     "closed before the end of the file");
}

static void stray_quote_in_unquoted_field_is_malformed_quoting(void **state)
{
    (void)state;
    static const char *const msg_line2 =
        "t.csv:2: malformed quoting: a quote inside an unquoted field, or text after a closing "
        "quote";
    static const char data[] = "a,b\n1,12\"5\n3,4\n";
    expect_mem_error(data, sizeof data - 1, NULL, msg_line2);
    static const char after[] = "a,b\n\"1\"x,2\n";
    expect_mem_error(after, sizeof after - 1, NULL, msg_line2);
}

static void stray_quote_after_multiline_field_names_its_own_line(void **state)
{
    (void)state;
    static const char data[] = "a,b\n1,\"x\ny\"\n2,ok\n3,bad\"\n";
    expect_mem_error(data, sizeof data - 1, NULL,
                     "t.csv:5: malformed quoting: a quote inside an unquoted field, or text "
                     "after a closing quote");
}

static void rows_before_a_structural_error_were_delivered(void **state)
{
    (void)state;
    static const char data[] = "a,b\n1,2\n3,4\"\n5,6\n";
    collected c = {0};
    dv_error err = {0, ""};
    assert_int_equal(read_mem(data, sizeof data - 1, NULL, &c, &err), DV_EXIT_INPUT);
    /* nothing after the error reaches the callback */
    assert_true(c.n <= 2);
    for (size_t i = 0; i < c.n; i++) assert_true(c.rows[i].line <= 2);
    collected_free(&c);
}

/* ---- limits and callbacks ---- */

static void field_over_the_size_limit_is_an_error(void **state)
{
    (void)state;
    dv_csv_options opt = {.max_field_bytes = 8};
    static const char ok[] = "a,b\n1,12345678\n";
    collected c = {0};
    dv_error err = {0, ""};
    assert_int_equal(read_mem(ok, sizeof ok - 1, &opt, &c, &err), 0);
    assert_int_equal(c.n, 2);
    collected_free(&c);
    static const char data[] = "a,b\n1,2\n3,\"12345\n6789\"\n";
    expect_mem_error(data, sizeof data - 1, &opt,
                     "t.csv:3: a field is 10 bytes long, over the limit of 8 bytes");
}

/* A field over the limit is counted to its end, across lines and the
 * reader's 256 KiB chunks, for the message; the bytes libcsv may still
 * take back (blanks after an unquoted field, a closing quote) are not
 * counted, escaped quotes count once. */
static void long_field_is_counted_to_its_end(void **state)
{
    (void)state;
    enum { LONG = 600000 };
    dv_csv_options opt = {.max_field_bytes = 1024};
    char *filler = dv_xmalloc(LONG);
    for (size_t i = 0; i < LONG; i++) filler[i] = i % 1000 == 999 ? '\n' : 'x';
    static const struct {
        const char *before, *after;  /* around the filler, after "a,b\n1," */
        size_t extra;                /* field bytes besides the filler */
    } cases[] = {
        {"\"", "\"\n", 0},
        {"\"\"\"", "\"\"\"   \r\n", 2},
        {"\"", "\"  ,2\n", 0},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        dv_buf b = {0};
        dv_buf_puts(&b, "a,b\n1,");
        dv_buf_puts(&b, cases[k].before);
        dv_buf_add(&b, filler, LONG);
        dv_buf_puts(&b, cases[k].after);
        char *msg = dv_xasprintf("t.csv:2: a field is %zu bytes long, over the limit of 1024 bytes",
                                 (size_t)LONG + cases[k].extra);
        expect_mem_error(b.data, b.len, &opt, msg);
        free(msg);
        dv_buf_free(&b);
    }
    /* one unquoted line, longer than a chunk, with blanks after it */
    dv_buf b = {0};
    dv_buf_puts(&b, "a\n");
    memset(filler, 'y', LONG);
    dv_buf_add(&b, filler, LONG);
    dv_buf_puts(&b, " \t \n");
    expect_mem_error(b.data, b.len, &opt,
                     "t.csv:2: a field is 600000 bytes long, over the limit of 1024 bytes");
    dv_buf_free(&b);
    free(filler);
}

/* Issue #11: a row of millions of fields took memory for each of them
 * (its lengths, pointers and a NUL each). A row over max_fields is an
 * error on the line it starts on, counted to its end, by either path
 * through the reader (plain lines, libcsv for quoted ones). */
static void row_over_the_field_count_limit_is_an_error_on_its_line(void **state)
{
    (void)state;
    dv_csv_options opt = {.max_fields = 4};
    static const char ok[] = "a,b,c,d\n1,,3,\"4\"\n";
    collected c = {0};
    dv_error err = {0, ""};
    assert_int_equal(read_mem(ok, sizeof ok - 1, &opt, &c, &err), 0);
    assert_int_equal(c.n, 2);
    collected_free(&c);
    static const char plain[] = "a,b\n1,2\n3,,,,,\n";
    expect_mem_error(plain, sizeof plain - 1, &opt,
                     "t.csv:3: a row has 6 fields, over the limit of 4 fields");
    static const char quoted[] = "a,b\n1,2\n3,\"x\ny\",5,6,\"7\"\n8,9\n";
    expect_mem_error(quoted, sizeof quoted - 1, &opt,
                     "t.csv:3: a row has 5 fields, over the limit of 4 fields");
    static const char header[] = "a,b,c,d,e\n1\n";
    expect_mem_error(header, sizeof header - 1, &opt,
                     "t.csv:1: a row has 5 fields, over the limit of 4 fields");
    /* a last row without its line end is counted at the end of the file */
    static const char last[] = "a,b\n1,2,3,4,5,6,7";
    expect_mem_error(last, sizeof last - 1, &opt,
                     "t.csv:2: a row has 7 fields, over the limit of 4 fields");
}

static void callback_status_stops_the_read(void **state)
{
    (void)state;
    static const char data[] = "a\n1\n2\n3\n";
    collected c = {0};
    c.stop_at = 2;
    dv_error err = {0, ""};
    assert_int_equal(read_mem(data, sizeof data - 1, NULL, &c, &err), DV_EXIT_INPUT);
    assert_int_equal(c.n, 2);
    assert_string_equal(err.msg, "stopped at row 2");
    collected_free(&c);
}

typedef struct progress_seen {
    unsigned long long last;
    int calls;
    char name[64];
} progress_seen;

static void on_progress(void *ctx, const char *name, unsigned long long bytes)
{
    progress_seen *p = ctx;
    assert_true(bytes >= p->last);
    p->last = bytes;
    p->calls++;
    snprintf(p->name, sizeof p->name, "%s", name);
}

/* ---- files and gzip ---- */

static char *write_gzip(const char *dir, const char *name, const char *data, size_t len)
{
    char *path = dv_xasprintf("%s/%s", dir, name);
    gzFile gz = gzopen(path, "wb9");
    assert_non_null(gz);
    assert_int_equal(gzwrite(gz, data, (unsigned)len), (int)len);
    assert_int_equal(gzclose(gz), Z_OK);
    return path;
}

static long file_size(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return (long)st.st_size;
}

/* Rows of a generated table big enough to span several gzip blocks. */
static void make_table(dv_buf *b, int rows)
{
    dv_buf_puts(b, "id,date,note\n");
    for (int i = 0; i < rows; i++)
        dv_buf_printf(b, "S%06d,2024-%02d-%02d,\"note %d, with a comma\"\n", i, 1 + i % 12,
                      1 + i % 28, i * 7919 % 100003);
}

static void gzip_file_reads_the_same_as_plain(void **state)
{
    (void)state;
    dv_buf table = {0};
    make_table(&table, 3000);
    char *dir = dvt_dataset("plain.csv", table.data, NULL);
    char *gz = write_gzip(dir, "packed.csv.gz", table.data, table.len);
    /* gzip is told by its magic bytes, not by the name */
    char *gz_named_csv = write_gzip(dir, "packed-too.csv", table.data, table.len);
    char *plain = dv_xasprintf("%s/plain.csv", dir);
    assert_true(file_size(gz) < (long)table.len);

    collected a = {0}, b = {0}, c = {0};
    dv_error err = {0, ""};
    progress_seen ps = {0, 0, ""};
    dv_csv_options opt = {.max_field_bytes = 1 << 20, .progress = on_progress, .progress_ctx = &ps};
    assert_int_equal(dv_csv_read_file(plain, "plain.csv", NULL, collect, &a, &err), 0);
    assert_int_equal(dv_csv_read_file(gz, "packed.csv.gz", &opt, collect, &b, &err), 0);
    assert_int_equal(dv_csv_read_file(gz_named_csv, "packed-too.csv", NULL, collect, &c, &err), 0);
    assert_int_equal(a.n, 3001);
    assert_int_equal(b.n, a.n);
    assert_int_equal(c.n, a.n);
    for (size_t r = 0; r < a.n; r++) {
        assert_int_equal(b.rows[r].line, a.rows[r].line);
        assert_int_equal(b.rows[r].nfields, a.rows[r].nfields);
        assert_int_equal(c.rows[r].line, a.rows[r].line);
        for (size_t k = 0; k < a.rows[r].nfields; k++) {
            assert_string_equal(b.rows[r].fields[k], a.rows[r].fields[k]);
            assert_string_equal(c.rows[r].fields[k], a.rows[r].fields[k]);
        }
    }
    assert_int_equal(a.rows[3000].line, 3001);
    assert_string_equal(a.rows[3000].fields[0], "S002999");
    /* progress counts the uncompressed bytes, under the name given */
    assert_true(ps.calls >= 1);
    assert_int_equal(ps.last, table.len);
    assert_string_equal(ps.name, "packed.csv.gz");

    collected_free(&a);
    collected_free(&b);
    collected_free(&c);
    free(plain);
    free(gz);
    free(gz_named_csv);
    dv_buf_free(&table);
    dvt_remove(dir);
}

/* Found by fuzz_gzip (tests/fuzz/corpus/fuzz_gzip/crash-slow-long-quoted-
 * field): libcsv kept every byte of a field until it ended, growing its
 * buffer 128 bytes at a time, so a quote never closed in a big file took
 * memory for the rest of the file, and a copy of it every 128 bytes. Read
 * in a child process, whose peak memory starts from the parent's. */
static void unterminated_quote_in_a_big_file_holds_no_more_than_the_limit(void **state)
{
    (void)state;
    enum { BIG = 64 << 20, BLOCK = 1 << 16 };
    char *dir = dvt_dataset("empty.csv", "", NULL);
    char *path = dv_xasprintf("%s/big.csv.gz", dir);
    gzFile gz = gzopen(path, "wb1");
    assert_non_null(gz);
    assert_true(gzputs(gz, "id,note\n1,\"") > 0);
    char *block = dv_xmalloc(BLOCK);
    memset(block, 'x', BLOCK);
    block[BLOCK - 1] = '\n';
    for (int i = 0; i < BIG / BLOCK; i++) assert_int_equal(gzwrite(gz, block, BLOCK), BLOCK);
    assert_int_equal(gzclose(gz), Z_OK);
    free(block);

    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct rusage before, after;
        getrusage(RUSAGE_SELF, &before);
        dv_csv_options opt = {.max_field_bytes = 1 << 20};
        collected c = {0};
        dv_error err = {0, ""};
        int rc = dv_csv_read_file(path, "big.csv.gz", &opt, collect, &c, &err);
        getrusage(RUSAGE_SELF, &after);
        long grown_mb = (after.ru_maxrss - before.ru_maxrss) >> 10;
        static const char *const want = "big.csv.gz:2: unterminated quoted field: a quote opened "
                                        "in this row is never closed before the end of the file";
        bool ok = rc == DV_EXIT_INPUT && strcmp(err.msg, want) == 0 && grown_mb < 32;
        if (!ok) fprintf(stderr, "status %d (%s), %ld MB more memory\n", rc, err.msg, grown_mb);
        _exit(ok ? 0 : 1);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    free(path);
    dvt_remove(dir);
}

/* Files are read on two threads (csvread.c): rows cross in batches of
 * 4096. The same rows, lines and first error as reading from memory,
 * across many batches; and a callback that stops gets no further row. */
static void file_rows_cross_batches_in_order(void **state)
{
    (void)state;
    dv_buf table = {0};
    make_table(&table, 20000);
    dv_buf_puts(&table, "S9,\"unterminated\n"); /* line 20002 */
    dv_buf_puts(&table, "1,2,3\n");
    char *dir = dvt_dataset("big.csv", table.data, NULL);
    char *path = dv_xasprintf("%s/big.csv", dir);

    collected m = {0}, f = {0};
    dv_error em = {0, ""}, ef = {0, ""};
    int rm = read_mem(table.data, table.len, NULL, &m, &em);
    int rf = dv_csv_read_file(path, "t.csv", NULL, collect, &f, &ef);
    assert_int_equal(rm, DV_EXIT_INPUT);
    assert_int_equal(rf, rm);
    assert_string_equal(ef.msg, em.msg);
    assert_string_equal(ef.msg, "t.csv:20002: unterminated quoted field: a quote opened in this "
                                "row is never closed before the end of the file");
    assert_int_equal(m.n, 20001);
    assert_int_equal(f.n, m.n);
    for (size_t r = 0; r < m.n; r++) {
        assert_int_equal(f.rows[r].line, m.rows[r].line);
        assert_int_equal(f.rows[r].nfields, m.rows[r].nfields);
        for (size_t k = 0; k < m.rows[r].nfields; k++)
            assert_string_equal(f.rows[r].fields[k], m.rows[r].fields[k]);
    }
    collected_free(&f);

    /* stop in the third batch: the callback's error, nothing after it */
    f.stop_at = 9000;
    dv_error es = {0, ""};
    assert_int_equal(dv_csv_read_file(path, "t.csv", NULL, collect, &f, &es), DV_EXIT_INPUT);
    assert_int_equal(f.n, 9000);
    assert_string_equal(es.msg, "stopped at row 9000");
    assert_int_equal(f.rows[8999].line, 9000);
    collected_free(&f);
    collected_free(&m);
    dv_buf_free(&table);
    free(path);
    dvt_remove(dir);
}

/* ---- the plain-line fast path against libcsv itself ---- */

typedef struct lib_rows {
    dv_buf text;    /* each field, then \x1F; each row ends with \x1E */
} lib_rows;

static void lib_field(void *data, size_t len, void *ctx)
{
    lib_rows *l = ctx;
    dv_buf_add(&l->text, data ? data : "", len);
    dv_buf_add(&l->text, "\x1F", 1);
}

static void lib_row(int term, void *ctx)
{
    (void)term;
    dv_buf_add(&((lib_rows *)ctx)->text, "\x1E", 1);
}

static int ours_row(void *ctx, const dv_csv_row *row, dv_error *err)
{
    (void)err;
    lib_rows *l = ctx;
    for (size_t i = 0; i < row->nfields; i++) {
        dv_buf_add(&l->text, row->fields[i], row->lens[i]);
        dv_buf_add(&l->text, "\x1F", 1);
    }
    dv_buf_add(&l->text, "\x1E", 1);
    return 0;
}

/* Random quote-free text of letters, spaces, tabs, commas, UTF-8 and every
 * kind of line end: divert's rows must be libcsv's rows, field for field. */
static void plain_lines_split_exactly_as_libcsv_does(void **state)
{
    (void)state;
    static const char *const atoms[] = {"a", "bc", " ", "  ", "\t", ",", ",", "\xC3\xA9", "1.5",
                                        "\n", "\r\n", "\r", "\n\n", " \n", "\t\r\n"};
    uint64_t x = 0x2545F4914F6CDD1DULL;
    for (int t = 0; t < 3000; t++) {
        dv_buf in = {0};
        int atoms_n = 1 + t % 60;
        for (int i = 0; i < atoms_n; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            dv_buf_puts(&in, atoms[x % (sizeof atoms / sizeof atoms[0])]);
        }
        if (t % 2) dv_buf_puts(&in, "\n");
        lib_rows want = {{0}}, got = {{0}};
        struct csv_parser p;
        assert_int_equal(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL), 0);
        assert_int_equal(csv_parse(&p, in.data, in.len, lib_field, lib_row, &want), in.len);
        assert_int_equal(csv_fini(&p, lib_field, lib_row, &want), 0);
        csv_free(&p);
        dv_error err = {0, ""};
        assert_int_equal(dv_csv_read_mem(in.data, in.len, "t.csv", NULL, ours_row, &got, &err), 0);
        const char *w = want.text.data ? want.text.data : "", *g = got.text.data ? got.text.data : "";
        if (strcmp(w, g) != 0) {
            dv_buf shown = {0};
            for (size_t i = 0; i < in.len; i++) {
                unsigned char c = (unsigned char)in.data[i];
                if (c >= 0x20 && c < 0x7F) dv_buf_add(&shown, in.data + i, 1);
                else dv_buf_printf(&shown, "\\x%02X", c);
            }
            fail_msg("input \"%s\": rows differ from libcsv's", shown.data);
        }
        dv_buf_free(&want.text);
        dv_buf_free(&got.text);
        dv_buf_free(&in);
    }
}

static void truncated_gzip_is_corrupt_or_truncated(void **state)
{
    (void)state;
    dv_buf table = {0};
    make_table(&table, 20000);
    char *dir = dvt_dataset(NULL);
    char *gz = write_gzip(dir, "t.csv.gz", table.data, table.len);
    long size = file_size(gz);
    static const long cuts[] = {8, 100, -1}; /* bytes cut from the end; -1: half the file */
    for (size_t i = 0; i < 3; i++) {
        long keep = cuts[i] < 0 ? size / 2 : size - cuts[i];
        assert_int_equal(truncate(gz, keep), 0);
        collected c = {0};
        dv_error err = {0, ""};
        int rc = dv_csv_read_file(gz, "t.csv.gz", NULL, collect, &c, &err);
        collected_free(&c);
        if (rc != DV_EXIT_INPUT) fail_msg("cut to %ld bytes: status %d (%s)", keep, rc, err.msg);
        static const char prefix[] = "t.csv.gz: corrupt or truncated gzip data (";
        if (strncmp(err.msg, prefix, sizeof prefix - 1) != 0)
            fail_msg("cut to %ld bytes: \"%s\"", keep, err.msg);
        /* zlib's own prefix (the path) is not repeated */
        assert_null(strstr(err.msg, dir));
        /* restore for the next cut */
        free(write_gzip(dir, "t.csv.gz", table.data, table.len));
    }
    free(gz);
    dv_buf_free(&table);
    dvt_remove(dir);
}

static void corrupt_gzip_data_is_an_input_error(void **state)
{
    (void)state;
    dv_buf table = {0};
    make_table(&table, 5000);
    char *dir = dvt_dataset(NULL);
    char *gz = write_gzip(dir, "t.csv.gz", table.data, table.len);
    long size = file_size(gz);
    FILE *f = fopen(gz, "r+b");
    assert_non_null(f);
    /* scribble over the middle of the deflate stream */
    assert_int_equal(fseek(f, size / 2, SEEK_SET), 0);
    for (int i = 0; i < 64; i++) fputc(0xA5 ^ i, f);
    fclose(f);
    collected c = {0};
    dv_error err = {0, ""};
    int rc = dv_csv_read_file(gz, "t.csv.gz", NULL, collect, &c, &err);
    collected_free(&c);
    assert_int_equal(rc, DV_EXIT_INPUT);
    static const char prefix[] = "t.csv.gz: corrupt or truncated gzip data (";
    if (strncmp(err.msg, prefix, sizeof prefix - 1) != 0) fail_msg("\"%s\"", err.msg);
    free(gz);
    dv_buf_free(&table);
    dvt_remove(dir);
}

static void gzip_with_a_bom_and_crlf_reads_like_plain(void **state)
{
    (void)state;
    static const char data[] = "\xEF\xBB\xBFid,note\r\n1,\"a\r\nb\"\r\n2,c\r\n";
    char *dir = dvt_dataset(NULL);
    char *gz = write_gzip(dir, "t.csv.gz", data, sizeof data - 1);
    collected c = {0};
    dv_error err = {0, ""};
    assert_int_equal(dv_csv_read_file(gz, "t.csv.gz", NULL, collect, &c, &err), 0);
    want_row want[] = {ROW(1, "id", "note"), ROW(2, "1", "a\r\nb"), ROW(4, "2", "c")};
    check_rows("gzip crlf", &c, want, 3);
    collected_free(&c);
    free(gz);
    dvt_remove(dir);
}

/* Append bytes to a file. */
static void append_bytes(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "ab");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* The red-team review of issue #11: rows appended after the compressed
 * data vanished with exit 0, because zlib's gzread skips whatever follows
 * a gzip member that is not another member. Whatever follows the last
 * member is now a structural error, rows, a stray byte or padding. */
static void data_after_the_end_of_a_gzip_stream_is_an_error(void **state)
{
    (void)state;
    static const char table[] = "id,note\n1,a\n2,b\n";
    static const struct {
        const char *tail;
        size_t len;
    } tails[] = {
        {"3,appended\n", 11},        /* rows after the compressed ones */
        {"\x1f", 1},                 /* half of a gzip magic number */
        {"\x1f\x8c\x08", 3},         /* not quite a gzip magic number */
        {"\0\0\0\0\0\0\0\0", 8},    /* padding */
    };
    char *dir = dvt_dataset(NULL);
    for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++) {
        char *gz = write_gzip(dir, "t.csv.gz", table, sizeof table - 1);
        append_bytes(gz, tails[i].tail, tails[i].len);
        collected c = {0};
        dv_error err = {0, ""};
        int rc = dv_csv_read_file(gz, "t.csv.gz", NULL, collect, &c, &err);
        if (rc != DV_EXIT_INPUT || strcmp(err.msg, "t.csv.gz: data after the end of the gzip stream"))
            fail_msg("tail %zu: status %d (%s)", i, rc, err.msg);
        collected_free(&c);
        free(gz);
    }
    dvt_remove(dir);
}

/* Members one after the other (cat a.gz b.gz, pigz, bgzip) are one
 * stream, as gzip -d reads them; something after the last is not. */
static void concatenated_gzip_members_read_as_one_file(void **state)
{
    (void)state;
    char *dir = dvt_dataset(NULL);
    char *first = write_gzip(dir, "a.gz", "id,note\n1,a\n2,", 14);
    char *second = write_gzip(dir, "b.gz", "b\n3,c\n", 6);
    char *empty = write_gzip(dir, "c.gz", "", 0);
    FILE *f = fopen(second, "rb");
    assert_non_null(f);
    char buf[256];
    size_t n2 = fread(buf, 1, sizeof buf, f);
    fclose(f);
    f = fopen(empty, "rb");
    assert_non_null(f);
    char buf_empty[64];
    size_t n3 = fread(buf_empty, 1, sizeof buf_empty, f);
    fclose(f);
    append_bytes(first, buf_empty, n3); /* an empty member in the middle */
    append_bytes(first, buf, n2);
    collected c = {0};
    dv_error err = {0, ""};
    int rc = dv_csv_read_file(first, "t.csv.gz", NULL, collect, &c, &err);
    if (rc) fail_msg("status %d (%s)", rc, err.msg);
    want_row want[] = {ROW(1, "id", "note"), ROW(2, "1", "a"), ROW(3, "2", "b"), ROW(4, "3", "c")};
    check_rows("members", &c, want, 4);
    collected_free(&c);
    append_bytes(first, "4,d\n", 4);
    rc = dv_csv_read_file(first, "t.csv.gz", NULL, collect, &c, &err);
    assert_int_equal(rc, DV_EXIT_INPUT);
    assert_string_equal(err.msg, "t.csv.gz: data after the end of the gzip stream");
    collected_free(&c);
    free(first);
    free(second);
    free(empty);
    dvt_remove(dir);
}

static void directory_is_not_a_regular_file(void **state)
{
    (void)state;
    char *dir = dvt_dataset(NULL);
    collected c = {0};
    dv_error err = {0, ""};
    assert_int_equal(dv_csv_read_file(dir, "entities.csv", NULL, collect, &c, &err),
                     DV_EXIT_INPUT);
    assert_string_equal(err.msg, "entities.csv: is not a regular file");
    assert_int_equal(c.n, 0);
    dvt_remove(dir);
}

static void missing_file_cannot_be_opened(void **state)
{
    (void)state;
    char *dir = dvt_dataset(NULL);
    char *path = dv_xasprintf("%s/nope.csv", dir);
    collected c = {0};
    dv_error err = {0, ""};
    assert_int_equal(dv_csv_read_file(path, "nope.csv", NULL, collect, &c, &err), DV_EXIT_INPUT);
    assert_string_equal(err.msg, "nope.csv: cannot open: No such file or directory");
    assert_int_equal(c.n, 0);
    free(path);
    dvt_remove(dir);
}

static void plain_file_errors_name_the_file_and_line(void **state)
{
    (void)state;
    char *dir = dvt_dataset("t.csv", "a,b\n1,2\n3,4\"\n", NULL);
    char *path = dv_xasprintf("%s/t.csv", dir);
    collected c = {0};
    dv_error err = {0, ""};
    assert_int_equal(dv_csv_read_file(path, "data/t.csv", NULL, collect, &c, &err),
                     DV_EXIT_INPUT);
    assert_string_equal(err.msg, "data/t.csv:3: malformed quoting: a quote inside an unquoted "
                                 "field, or text after a closing quote");
    collected_free(&c);
    free(path);
    dvt_remove(dir);
}

static void reads_from_memory_without_a_terminating_nul(void **state)
{
    (void)state;
    /* the length, not a NUL, ends the input */
    static const char data[] = "a,b\n1,2\n3,4\n";
    want_row want[] = {ROW(1, "a", "b"), ROW(2, "1", "2")};
    expect_mem("prefix", data, 8, want, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_every_csv_spectrum_case),
        cmocka_unit_test(crlf_fixtures_really_hold_crlf),
        cmocka_unit_test(rows_after_a_multiline_quoted_field_keep_their_lines),
        cmocka_unit_test(crlf_line_ends_give_the_same_rows_and_lines),
        cmocka_unit_test(cr_only_line_ends_count_as_lines),
        cmocka_unit_test(mixed_line_ends_count_one_line_each),
        cmocka_unit_test(blank_lines_are_skipped_but_counted),
        cmocka_unit_test(space_only_lines_are_blank_lines),
        cmocka_unit_test(rows_name_their_first_invalid_utf8_field),
        cmocka_unit_test(last_row_without_line_end_is_read),
        cmocka_unit_test(empty_fields_are_kept),
        cmocka_unit_test(empty_input_has_no_rows),
        cmocka_unit_test(line_ends_split_across_read_chunks_are_counted_once),
        cmocka_unit_test(utf8_bom_is_skipped),
        cmocka_unit_test(utf16_bom_is_an_input_error_naming_utf16),
        cmocka_unit_test(nul_byte_is_an_error_on_its_line),
        cmocka_unit_test(nul_byte_line_counts_every_kind_of_line_end),
        cmocka_unit_test(nul_byte_after_a_chunk_ending_in_cr_names_its_line),
        cmocka_unit_test(unterminated_quote_is_an_error_on_the_line_it_opens),
        cmocka_unit_test(stray_quote_in_unquoted_field_is_malformed_quoting),
        cmocka_unit_test(stray_quote_after_multiline_field_names_its_own_line),
        cmocka_unit_test(rows_before_a_structural_error_were_delivered),
        cmocka_unit_test(field_over_the_size_limit_is_an_error),
        cmocka_unit_test(long_field_is_counted_to_its_end),
        cmocka_unit_test(row_over_the_field_count_limit_is_an_error_on_its_line),
        cmocka_unit_test(callback_status_stops_the_read),
        cmocka_unit_test(gzip_file_reads_the_same_as_plain),
        cmocka_unit_test(unterminated_quote_in_a_big_file_holds_no_more_than_the_limit),
        cmocka_unit_test(file_rows_cross_batches_in_order),
        cmocka_unit_test(plain_lines_split_exactly_as_libcsv_does),
        cmocka_unit_test(truncated_gzip_is_corrupt_or_truncated),
        cmocka_unit_test(corrupt_gzip_data_is_an_input_error),
        cmocka_unit_test(gzip_with_a_bom_and_crlf_reads_like_plain),
        cmocka_unit_test(data_after_the_end_of_a_gzip_stream_is_an_error),
        cmocka_unit_test(concatenated_gzip_members_read_as_one_file),
        cmocka_unit_test(directory_is_not_a_regular_file),
        cmocka_unit_test(missing_file_cannot_be_opened),
        cmocka_unit_test(plain_file_errors_name_the_file_and_line),
        cmocka_unit_test(reads_from_memory_without_a_terminating_nul),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
