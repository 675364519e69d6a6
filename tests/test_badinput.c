/*
 * test_badinput.c: what divert makes of malformed input (issue #4).
 *
 * Two parts. First, csvkit's edge-case files (tests/data/csvkit) through
 * the CSV reader: for each, the rows it gives (line, field count, first
 * field that is not UTF-8) or the error and its line. Second, bad tables
 * through the whole loader: each either rejects its rows with a reason or
 * stops with exit 2 and a FILE:LINE message, and for every table that was
 * read, rows read = rows loaded + rows rejected.
 *
 * Cases covered elsewhere: quoting, NUL, BOMs, line ends, field limits and
 * gzip in test_csvread.c; bad dates, numbers, codes, references, duplicate
 * ids, ragged rows and headers in test_dataset.c; cycles in test_routes.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "divert/csvread.h"
#include "support.h"

/* ---- csvkit files through the reader ---- */

typedef struct got {
    size_t n;
    long line[8];
    size_t nfields[8];
    size_t bad[8];
    char first[8][64];   /* the row's first field */
} got;

static int keep(void *ctx, const dv_csv_row *row, dv_error *err)
{
    (void)err;
    got *g = ctx;
    if (g->n < 8) {
        g->line[g->n] = row->line;
        g->nfields[g->n] = row->nfields;
        g->bad[g->n] = row->invalid_utf8;
        snprintf(g->first[g->n], sizeof g->first[g->n], "%s", row->nfields ? row->fields[0] : "");
    }
    g->n++;
    return 0;
}

typedef struct csvkit_case {
    const char *file;
    const char *error;            /* expected message after the name, or NULL */
    size_t n;                     /* rows */
    long line[8];
    size_t nfields[8];
    size_t bad[8];                /* first invalid UTF-8 field, 1-based */
    const char *first[8];         /* first field of each row */
} csvkit_case;

static const csvkit_case csvkit[] = {
    /* ragged rows: the reader keeps them; the loader rejects them */
    {"bad.csv", NULL, 4, {1, 2, 3, 4}, {3, 4, 2, 3}, {0}, {"column_a", "1", "", "0"}},
    {"blanks.csv", NULL, 2, {1, 2}, {6, 6}, {0}, {"a", ""}},
    {"dummy.csv", NULL, 2, {1, 2}, {3, 3}, {0}, {"a", "1"}},
    {"dummy.csv.gz", NULL, 2, {1, 2}, {3, 3}, {0}, {"a", "1"}},
    {"empty.csv", NULL, 0, {0}, {0}, {0}, {NULL}},
    /* CR-only line ends, one of them inside a quoted field */
    {"mac_newlines.csv", NULL, 3, {1, 2, 3}, {3, 3, 3}, {0}, {"a", "1", "Once upon\ra time"}},
    {"no_header_row.csv", NULL, 1, {1}, {3}, {0}, {"1"}},
    {"null_byte.csv", ":2: NUL byte in the input (is the file UTF-16 or binary?)", 0, {0}, {0},
     {0}, {NULL}},
    {"optional_quote_characters.csv", NULL, 2, {1, 2}, {3, 3}, {0}, {"a", "1"}},
    {"test_empty_columns.csv", NULL, 4, {1, 2, 3, 4}, {5, 5, 4, 5}, {0}, {"a", "a", "", ""}},
    {"test_empty_columns_long_row.csv", NULL, 2, {1, 2}, {3, 4}, {0}, {"a", ""}},
    {"test_empty_columns_short_row.csv", NULL, 2, {1, 2}, {3, 2}, {0}, {"a", ""}},
    /* a quoted header cell holding TAB, LF, VT, FF and CR (CR before a
     * space is a line end of its own): one row over seven lines */
    {"test_header_newline.csv", NULL, 2, {1, 8}, {3, 3}, {0},
     {"\t\n\v\f\r start \t\n\v\f\r end \t\n\v\f\r", "d"}},
    /* ISO-8859-1: read, and its non-ASCII field marked for the loader */
    {"test_latin1.csv", NULL, 3, {1, 2, 3}, {3, 3, 3}, {0, 0, 3}, {"a", "1", "4"}},
    /* decimal commas stay inside their quoted field */
    {"test_locale.csv", NULL, 2, {1, 2}, {3, 3}, {0}, {"a", "1,7"}},
    {"test_utf16_big.csv",
     ":1: the file is UTF-16 (byte-order mark); divert reads UTF-8, convert it first (iconv -f "
     "UTF-16 -t UTF-8)",
     0, {0}, {0}, {0}, {NULL}},
    {"test_utf16_little.csv",
     ":1: the file is UTF-16 (byte-order mark); divert reads UTF-8, convert it first (iconv -f "
     "UTF-16 -t UTF-8)",
     0, {0}, {0}, {0}, {NULL}},
    {"test_utf8.csv", NULL, 3, {1, 2, 3}, {3, 3, 3}, {0}, {"foo", "1", "4"}},
    {"test_utf8_bom.csv", NULL, 3, {1, 2, 3}, {3, 3, 3}, {0}, {"foo", "1", "4"}},
    /* semicolons are not separators: one field a row (the loader then
     * finds no required column) */
    {"sniff_limit.csv", NULL, 2, {1, 2}, {1, 1}, {0}, {"a;b;c", "1;2;3"}},
};

static void csvkit_files_read_as_stated(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof csvkit / sizeof csvkit[0]; i++) {
        const csvkit_case *c = &csvkit[i];
        char *rel = dv_xasprintf("csvkit/%s", c->file);
        char *path = dvt_data(rel);
        got g;
        memset(&g, 0, sizeof g);
        dv_error err = {0, ""};
        int rc = dv_csv_read_file(path, "t", NULL, keep, &g, &err);
        if (c->error) {
            if (rc != DV_EXIT_INPUT) fail_msg("%s: status %d, expected an input error", c->file, rc);
            if (strcmp(err.msg + 1, c->error) != 0)
                fail_msg("%s: \"%s\", expected \"t%s\"", c->file, err.msg, c->error);
        } else if (rc != 0) {
            fail_msg("%s: status %d (%s)", c->file, rc, err.msg);
        }
        if (g.n != c->n) fail_msg("%s: %zu rows, expected %zu", c->file, g.n, c->n);
        for (size_t r = 0; r < c->n; r++) {
            if (g.line[r] != c->line[r] || g.nfields[r] != c->nfields[r] || g.bad[r] != c->bad[r] ||
                strcmp(g.first[r], c->first[r]) != 0)
                fail_msg("%s row %zu: line %ld, %zu fields, bad %zu, first \"%s\"; expected line "
                         "%ld, %zu fields, bad %zu, first \"%s\"",
                         c->file, r + 1, g.line[r], g.nfields[r], g.bad[r], g.first[r], c->line[r],
                         c->nfields[r], c->bad[r], c->first[r]);
        }
        free(path);
        free(rel);
    }
}

/* ---- bad tables through the loader ---- */

static const char *entities_csv = "id,name,role,country\n"
                                  "E1,Maker GmbH,manufacturer,DE\n"
                                  "E2,Hub Trading FZE,intermediary,AE\n"
                                  "E3,Securtech,end_user,RU\n";
static const char *shipments_hdr = "id,date,shipper_id,consignee_id,item,quantity,value\n";

/* rows read = rows loaded + rows rejected, for every table that was read */
static void assert_accounting(const dv_dataset *ds)
{
    for (int t = 0; t < DV_T_COUNT; t++) {
        const dv_table_info *info = &ds->tables[t];
        if (info->rows_read != info->rows_loaded + info->rows_rejected)
            fail_msg("%s: %ld read, %ld loaded, %ld rejected", dv_table_names[t], info->rows_read,
                     info->rows_loaded, info->rows_rejected);
    }
}

static const dv_reject *reject_on(const dv_dataset *ds, const char *table, long line)
{
    for (size_t i = 0; i < ds->n_rejects; i++)
        if (!strcmp(ds->rejects[i].table, table) && ds->rejects[i].line == line)
            return &ds->rejects[i];
    return NULL;
}

/* Numbers that strtod would take but a table must not: each row rejected
 * with the column and the reason; -0 loads as 0. */
static void non_numbers_are_rejected_with_their_column(void **state)
{
    (void)state;
    dv_buf s = {0};
    dv_buf_puts(&s, shipments_hdr);
    dv_buf_puts(&s, "S1,2024-03-01,E1,E2,3A981,NaN,1\n"     /* line 2 */
                    "S2,2024-03-01,E1,E2,3A981,inf,1\n"     /* 3 */
                    "S3,2024-03-01,E1,E2,3A981,1,0x10\n"    /* 4 */
                    "S4,2024-03-01,E1,E2,3A981,1,1e309\n"   /* 5 */
                    "S5,2024-03-01,E1,E2,3A981,\"12,5\",1\n" /* 6 */
                    "S6,2024-03-01,E1,E2,3A981,-0,-0\n"     /* 7: loads */
                    "S7,2024-03-01,E1,E2,3A981, 7 ,1\n");   /* 8: loads, trimmed */
    char *dir = dvt_dataset("entities.csv", entities_csv, "shipments.csv", s.data, NULL);
    dv_buf_free(&s);
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);
    static const struct {
        long line;
        const char *column, *code;
    } want[] = {{2, "quantity", "bad_number"}, {3, "quantity", "bad_number"},
                {4, "value", "bad_number"},    {5, "value", "bad_number"},
                {6, "quantity", "bad_number"}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const dv_reject *r = reject_on(&ds, "shipments", want[i].line);
        if (!r) fail_msg("line %ld not rejected", want[i].line);
        assert_string_equal(r->column, want[i].column);
        assert_string_equal(r->code, want[i].code);
    }
    assert_int_equal(ds.n_shipments, 2);
    const dv_shipment *s6 = &ds.shipments[dv_shipment_find(&ds, "S6")];
    assert_true(s6->quantity == 0 && s6->value == 0);
    assert_true(ds.shipments[dv_shipment_find(&ds, "S7")].quantity == 7);
    assert_accounting(&ds);
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

/* Ids with white space around them are the trimmed ids (docs/data-format.md):
 * references written either way meet. */
static void ids_with_surrounding_white_space_are_trimmed(void **state)
{
    (void)state;
    char *dir = dvt_dataset("entities.csv",
                            "id,name,role,country\n\" E1 \",Maker,manufacturer,DE\n"
                            "E2\t,Hub,intermediary,AE\n",
                            "shipments.csv",
                            "id,date,shipper_id,consignee_id,item,quantity\n"
                            "\" S1\",2024-03-01,E1,\" E2 \",3A981,1\n",
                            NULL);
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);
    assert_int_not_equal(dv_entity_find(&ds, "E1"), DV_NONE);
    assert_int_not_equal(dv_entity_find(&ds, "E2"), DV_NONE);
    assert_int_equal(ds.n_shipments, 1);
    assert_string_equal(ds.shipments[0].id, "S1");
    assert_string_equal(ds.entities[ds.shipments[0].consignee].id, "E2");
    assert_accounting(&ds);
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

/* Issue #11: an id with an invisible character at an end (a zero-width
 * space pasted from a web page, a no-break space from a spreadsheet, a
 * byte-order mark left inside a field by joined files) loaded as a second
 * entity that looks exactly like the first. Such characters at the ends
 * of a field are trimmed like spaces (docs/data-format.md), so the copy
 * is a duplicate and references written either way meet. */
static void invisible_characters_around_ids_are_trimmed(void **state)
{
    (void)state;
    char *dir = dvt_dataset(
        "entities.csv",
        "\xC2\xA0id,name,role,country\n"                        /* a no-break space in the header */
        "E1,Maker GmbH,manufacturer,DE\n"
        "\xE2\x80\x8B" "E1,Maker GmbH,manufacturer,DE\n"         /* U+200B: the same row */
        "E2\xEF\xBB\xBF,Hub Trading FZE,intermediary,AE\n"        /* U+FEFF */
        "\xE2\x80\x8C" "E3\xE2\x80\x8D,Securtech,end_user,RU\n" /* U+200C, U+200D */
        "E4\xE2\x81\xA0,Sino Vision\xC2\xA0,end_user,CN\n"        /* U+2060, U+00A0 */
        "E3,Securtech OOO,end_user,RU\n",                       /* E3 with another name */
        "shipments.csv",
        "id,date,shipper_id,consignee_id,item,quantity\n"
        "S1,2024-03-01,\xE2\x80\x8B" "E1,E2\xC2\xA0,3A981,1\n"
        "\xEF\xBB\xBFS2,2024-03-02,E2,E4,3A981,1\n",
        NULL);
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);
    assert_int_equal(ds.n_entities, 3);
    assert_string_equal(ds.entities[0].id, "E1");
    assert_string_equal(ds.entities[1].id, "E2");
    assert_string_equal(ds.entities[2].id, "E4");
    assert_string_equal(ds.entities[2].name, "Sino Vision");
    /* the copy of E1 is a duplicate row; the two E3 differ: both rejected */
    const dv_reject *r = reject_on(&ds, "entities", 3);
    assert_non_null(r);
    assert_string_equal(r->code, "duplicate_row");
    assert_string_equal(reject_on(&ds, "entities", 5)->code, "duplicate_id");
    assert_string_equal(reject_on(&ds, "entities", 7)->code, "duplicate_id");
    assert_int_equal(ds.n_shipments, 2);
    const dv_shipment *s1 = &ds.shipments[dv_shipment_find(&ds, "S1")];
    assert_string_equal(ds.entities[s1->shipper].id, "E1");
    assert_string_equal(ds.entities[s1->consignee].id, "E2");
    assert_int_not_equal(dv_shipment_find(&ds, "S2"), DV_NONE);
    assert_accounting(&ds);
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

/* The controls that reorder text are not trimmed with the invisible
 * characters: a right-to-left override before UR shows as RU, so the
 * field is not the code UR either (found when main's
 * validate_escapes_controls case met the trimming of issue #11). */
static void bidi_controls_around_a_value_are_kept_and_rejected(void **state)
{
    (void)state;
    char *dir = dvt_dataset("entities.csv",
                            "id,name,role,country\n"
                            "E1,Maker,manufacturer,\xE2\x80\xAEUR\n"     /* U+202E */
                            "E2,Hub,intermediary,AE\xE2\x81\xA9\n"       /* U+2069 */
                            "\xE2\x80\x8F" "E3,Securtech,end_user,RU\n", /* U+200F */
                            "shipments.csv", shipments_hdr, NULL);
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);
    for (long line = 2; line <= 3; line++) {
        const dv_reject *r = reject_on(&ds, "entities", line);
        if (!r) fail_msg("line %ld loaded", line);
        assert_string_equal(r->code, "bad_country");
    }
    /* an id with a mark stays a distinct id, as it is shown in messages */
    assert_int_equal(ds.n_entities, 1);
    assert_int_equal(dv_entity_find(&ds, "E3"), DV_NONE);
    assert_accounting(&ds);
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

/* A Latin-1 file is not misread: each row with a non-ASCII byte is
 * rejected with the hint to convert it; ASCII rows load. */
static void latin1_rows_are_rejected_with_a_hint(void **state)
{
    (void)state;
    char *dir = dvt_dataset("entities.csv",
                            "id,name,role,country\nE1,Maker,manufacturer,DE\n"
                            "E2,Soci\xE9t\xE9 G\xE9n\xE9rale,end_user,FR\nE3,Hub,intermediary,AE\n",
                            "shipments.csv", shipments_hdr, NULL);
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);
    assert_int_equal(ds.n_entities, 2);
    const dv_reject *r = reject_on(&ds, "entities", 3);
    assert_non_null(r);
    assert_string_equal(r->code, "invalid_utf8");
    assert_string_equal(r->column, "name");
    assert_non_null(strstr(r->detail, "iconv -f LATIN1 -t UTF-8"));
    assert_accounting(&ds);
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

/* UTF-16 without a byte-order mark is full of NUL bytes: exit 2 on line 1,
 * not a table of garbage. */
static void utf16_without_bom_is_an_input_error(void **state)
{
    (void)state;
    static const char utf16le[] = "i\0d\0,\0n\0a\0m\0e\0\n\0";
    char *dir = dvt_dataset("shipments.csv", shipments_hdr, NULL);
    dvt_write(dir, "entities.csv", utf16le, sizeof utf16le - 1);
    dv_dataset ds;
    dv_error err = {0, ""};
    dvt_load(&ds, dir, NULL, DV_EXIT_INPUT, &err);
    assert_non_null(strstr(err.msg, "/entities.csv:1: NUL byte in the input (is the file UTF-16 or binary?)"));
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

/* A header cell with no name is a column divert does not know: ignored,
 * and listed as "(empty)" in summary.json; a required column cannot be
 * nameless. */
static void nameless_header_cells_are_listed_unknown(void **state)
{
    (void)state;
    char *dir = dvt_dataset("entities.csv",
                            "id,name,,role,country,\nE1,Maker,x,manufacturer,DE,\n",
                            "shipments.csv", shipments_hdr, NULL);
    dv_dataset ds;
    dvt_load(&ds, dir, NULL, 0, NULL);
    const dv_table_info *info = &ds.tables[DV_T_ENTITIES];
    assert_int_equal(info->n_unknown, 2);
    assert_string_equal(info->unknown_columns[0], "(empty)");
    assert_string_equal(info->unknown_columns[1], "(empty)");
    assert_int_equal(ds.n_entities, 1);
    dv_dataset_free(&ds);
    dvt_remove(dir);

    dir = dvt_dataset("entities.csv", "id,,role,country\nE1,Maker,manufacturer,DE\n",
                      "shipments.csv", shipments_hdr, NULL);
    dv_error err = {0, ""};
    dvt_load(&ds, dir, NULL, DV_EXIT_INPUT, &err);
    assert_non_null(strstr(err.msg, "/entities.csv:1: missing required column \"name\""));
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

/* A table that is a broken symbolic link cannot be opened: said so, not
 * "missing". */
static void broken_link_where_a_table_should_be(void **state)
{
    (void)state;
    char *dir = dvt_dataset("entities.csv", entities_csv, NULL);
    char *link = dv_xasprintf("%s/shipments.csv", dir);
    assert_int_equal(symlink("/nonexistent/divert-test/shipments.csv", link), 0);
    dv_dataset ds;
    dv_error err = {0, ""};
    dvt_load(&ds, dir, NULL, DV_EXIT_INPUT, &err);
    assert_non_null(strstr(err.msg, "/shipments.csv: cannot open: No such file or directory"));
    dv_dataset_free(&ds);
    unlink(link);
    free(link);
    dvt_remove(dir);
}

/* A field of several megabytes: exit 2 at the default limit (1 MiB),
 * loaded when max_field_bytes allows it. */
static void huge_field_obeys_the_configured_limit(void **state)
{
    (void)state;
    size_t big = 3 << 20;
    dv_buf s = {0};
    dv_buf_puts(&s, "id,name,role,country,address\nE1,Maker,manufacturer,DE,\"");
    char *filler = dv_xmalloc(big);
    memset(filler, 'x', big);
    dv_buf_add(&s, filler, big);
    free(filler);
    dv_buf_puts(&s, "\"\n");
    char *dir = dvt_dataset("entities.csv", s.data, "shipments.csv", shipments_hdr, NULL);
    dv_buf_free(&s);
    dv_dataset ds;
    dv_error err = {0, ""};
    dvt_load(&ds, dir, NULL, DV_EXIT_INPUT, &err);
    assert_non_null(strstr(err.msg, "/entities.csv:2: a field is 3145728 bytes long, over the limit "
                                    "of 1048576 bytes"));
    dv_dataset_free(&ds);
    dv_config cfg;
    dv_config_defaults(&cfg);
    cfg.max_field_bytes = 4 << 20;
    dvt_load(&ds, dir, &cfg, 0, NULL);
    assert_int_equal(ds.n_entities, 1);
    assert_int_equal(strlen(ds.entities[0].address), big);
    assert_accounting(&ds);
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

/* Issue #11, the red-team's example: one row of 50 million empty fields
 * is a 218 KB gzip file that took 890 MB of memory and wrote a 50 MB
 * reject record. At the default max_fields (1000) it is exit 2 on its
 * line, and the load holds no more than a few megabytes for it. Loaded in
 * a child process, whose peak memory starts from the parent's. */
static void a_row_of_fifty_million_fields_is_an_error_not_a_gigabyte(void **state)
{
    (void)state;
    enum { COMMAS = 50000000, BLOCK = 1 << 20 };
    char *dir = dvt_dataset("shipments.csv", shipments_hdr, NULL);
    char *path = dv_xasprintf("%s/entities.csv.gz", dir);
    gzFile gz = gzopen(path, "wb6");
    assert_non_null(gz);
    assert_true(gzputs(gz, "id,name,role,country\n") > 0);
    char *commas = dv_xmalloc(BLOCK);
    memset(commas, ',', BLOCK);
    for (size_t left = COMMAS; left;) {
        unsigned n = left < BLOCK ? (unsigned)left : BLOCK;
        assert_int_equal(gzwrite(gz, commas, n), (int)n);
        left -= n;
    }
    free(commas);
    assert_true(gzputs(gz, "\n") > 0);
    assert_int_equal(gzclose(gz), Z_OK);

    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct rusage before, after;
        getrusage(RUSAGE_SELF, &before);
        dv_config cfg;
        dv_config_defaults(&cfg);
        dv_load_options opt = {.max_field_bytes = cfg.max_field_bytes, .max_fields = cfg.max_fields};
        dv_dataset ds;
        dv_error err = {0, ""};
        int rc = dv_dataset_load(&ds, dir, &opt, &err);
        getrusage(RUSAGE_SELF, &after);
        long grown_mb = (after.ru_maxrss - before.ru_maxrss) >> 10;
        /* the message names the line the row starts on */
        char *want = dv_xasprintf("%s:2: a row has 50000001 fields, over the limit of 1000 fields",
                                  path);
        bool ok = rc == DV_EXIT_INPUT && strcmp(err.msg, want) == 0 && grown_mb < 64;
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

/* A header as wide as max_fields allows is checked for names given twice
 * by a sort, not by comparing every pair (a million columns would be
 * half a trillion comparisons). */
static void a_header_as_wide_as_max_fields_is_checked_in_good_time(void **state)
{
    (void)state;
    enum { WIDE = 1000000 };
    dv_buf s = {0};
    dv_buf_puts(&s, "id,name,role,country");
    for (int i = 4; i < WIDE - 1; i++) dv_buf_printf(&s, ",c%d", i);
    dv_buf_puts(&s, ",C77\n");
    char *dir = dvt_dataset("entities.csv", s.data, "shipments.csv", shipments_hdr, NULL);
    dv_buf_free(&s);
    dv_config cfg;
    dv_config_defaults(&cfg);
    cfg.max_fields = WIDE;
    dv_dataset ds;
    dv_error err = {0, ""};
    dvt_load(&ds, dir, &cfg, DV_EXIT_INPUT, &err);
    assert_non_null(strstr(err.msg, "/entities.csv:1: column \"C77\" appears twice in the header"));
    dv_dataset_free(&ds);
    dvt_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csvkit_files_read_as_stated),
        cmocka_unit_test(non_numbers_are_rejected_with_their_column),
        cmocka_unit_test(ids_with_surrounding_white_space_are_trimmed),
        cmocka_unit_test(invisible_characters_around_ids_are_trimmed),
        cmocka_unit_test(bidi_controls_around_a_value_are_kept_and_rejected),
        cmocka_unit_test(latin1_rows_are_rejected_with_a_hint),
        cmocka_unit_test(utf16_without_bom_is_an_input_error),
        cmocka_unit_test(nameless_header_cells_are_listed_unknown),
        cmocka_unit_test(broken_link_where_a_table_should_be),
        cmocka_unit_test(huge_field_obeys_the_configured_limit),
        cmocka_unit_test(a_row_of_fifty_million_fields_is_an_error_not_a_gigabyte),
        cmocka_unit_test(a_header_as_wide_as_max_fields_is_checked_in_good_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
