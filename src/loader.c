/*
 * loader.c: reading one input table into typed rows, from its descriptor
 * (loader.h).
 *
 * Each table is read in one pass: the header is matched by name to the
 * table's columns, then every row is handed to the table's parser, which
 * pushes a typed record or rejects the row with the column and the
 * reason. After the pass comes the check that needs the whole table
 * (duplicated ids), then the sort by key that makes everything downstream
 * independent of row order.
 *
 * A rejected row's record is the row as written. Rows rejected during the
 * pass get it at once; rows rejected later (duplicates) get it from a
 * second read of just those lines at the end (dv_fill_records), so no row
 * text is kept in memory for the rows that load.
 */
#define _POSIX_C_SOURCE 200809L
#include "divert/loader.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "divert/reference.h"

/* A row among those whose key hashes agree, for the duplicate check. */
typedef struct staged {
    uint32_t row;          /* index into the typed array */
    long line;
    uint64_t rec_hash;     /* hash of the raw fields: identical copies match */
    const char *key;       /* the id */
} staged;

/* ---- rows and fields ---- */

/* Append to a record what fits in DV_RECORD_MAX bytes and a few more
 * (to find the end of the last whole character), counting it all. */
static void record_add(dv_buf *b, size_t *total, const char *s, size_t n)
{
    size_t room = DV_RECORD_MAX + 4 - b->len;
    dv_buf_add(b, s, n < room ? n : room);
    *total += n;
}

/* The row re-written as CSV, for rejects.csv: at most DV_RECORD_MAX bytes
 * of it, ending on a whole UTF-8 character, then "[... N more bytes]",
 * so that one row of a gigabyte cannot make rejects.csv huge. */
static void record_text(const dv_csv_row *row, dv_buf *b)
{
    size_t total = 0;
    for (size_t i = 0; i < row->nfields; i++) {
        if (i) record_add(b, &total, ",", 1);
        const char *s = row->fields[i];
        size_t n = row->lens[i];
        if (!strpbrk(s, ",\"\r\n") && !(n && (s[0] == ' ' || s[n - 1] == ' '))) {
            record_add(b, &total, s, n);
            continue;
        }
        record_add(b, &total, "\"", 1);
        for (const char *p = s, *end = s + n; p < end;) { /* quotes doubled */
            const char *quote = memchr(p, '"', (size_t)(end - p));
            size_t k = quote ? (size_t)(quote - p) + 1 : (size_t)(end - p);
            record_add(b, &total, p, k);
            if (quote) record_add(b, &total, "\"", 1);
            p += k;
        }
        record_add(b, &total, "\"", 1);
    }
    if (total > DV_RECORD_MAX) {
        size_t keep = DV_RECORD_MAX;
        /* back to the start of a character (of a valid one: at most 3) */
        for (int k = 0; k < 3 && ((unsigned char)b->data[keep] & 0xC0) == 0x80; k++) keep--;
        b->len = keep;
        dv_buf_printf(b, "[... %zu more bytes]", total - keep);
    }
    if (!b->data) dv_buf_add(b, "", 0);
}

static void add_reject(dv_dataset *ds, dv_table_id t, const char *label, long line,
                       const char *column, const char *code, char *detail, char *record)
{
    dv_reject r = {label ? label : dv_table_names[t], line, column ? column : "", code, detail,
                   record};
    DV_PUSH(ds->rejects, ds->n_rejects, ds->cap_rejects, r);
    ds->tables[t].rows_rejected++;
}

int dv_loader_reject(dv_loader *L, const dv_csv_row *row, const char *column, const char *code,
                     const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *detail = dv_xvasprintf(fmt, ap);
    va_end(ap);
    dv_buf rec = {0};
    record_text(row, &rec);
    if (!dv_utf8_valid(rec.data, rec.len)) {
        /* the record goes into rejects.csv, which stays valid UTF-8 */
        dv_buf clean = {0};
        dv_utf8_sanitize(rec.data, rec.len, &clean);
        dv_buf_free(&rec);
        rec = clean;
    }
    add_reject(L->ds, L->def->id, L->label, row->line, column, code, detail, rec.data);
    return 0;
}

int dv_loader_skip(dv_loader *L, const char *why)
{
    L->ds->tables[L->def->id].rows_skipped++;
    L->skipped_why = why;
    return 0;
}

void dv_loader_joined(dv_loader *L)
{
    L->ds->tables[L->def->id].rows_joined++;
}

const char *dv_loader_intern(dv_loader *L, dv_field f)
{
    return f.len ? dv_intern_str(&L->ds->strings, f.s, f.len) : NULL;
}

const char *dv_loader_copy(dv_loader *L, dv_field f)
{
    return f.len ? dv_arena_strndup(&L->ds->arena, f.s, f.len) : NULL;
}

const char **dv_loader_list(dv_loader *L, dv_field f, uint32_t *n)
{
    *n = 0;
    if (!f.len) return NULL;
    size_t count = 1;
    for (size_t i = 0; i < f.len; i++) count += f.s[i] == ';';
    const char **out = dv_arena_alloc(&L->ds->arena, count * sizeof *out);
    size_t start = 0;
    for (size_t i = 0; i <= f.len; i++) {
        if (i < f.len && f.s[i] != ';') continue;
        size_t len = i - start;
        const char *p = dv_trim(f.s + start, &len);
        if (len) out[(*n)++] = dv_intern_str(&L->ds->strings, p, len);
        start = i + 1;
    }
    return out;
}

/* Of the row's trimmed fields, from their hashes (the reading thread's). */
static uint64_t row_hash(const dv_csv_row *row)
{
    uint64_t h = 0;
    for (size_t i = 0; i < row->nfields; i++) h = h * 0x9E3779B97F4A7C15ULL ^ row->hashes[i];
    return h;
}

/* dv_csv_options.annotate, on the reading thread: each entity reference
 * of the row looked up in the entity index, which is finished before any
 * table that refers to it is read, once the loading thread has read the
 * header (before that, rows go without notes and the loader looks up). */
static bool annotate_refs(void *ctx, const dv_csv_row *row, uint32_t *notes)
{
    const dv_loader *L = ctx;
    if (!__atomic_load_n(&L->cols_ready, __ATOMIC_ACQUIRE)) return false;
    int k = 1;
    for (const int *c = L->def->entity_refs; *c >= 0 && k < DV_CSV_NOTES; c++, k++) {
        dv_field f = dv_loader_get(L, row, *c);
        notes[k] = DV_NONE;
        if (f.len) dv_map_get_hashed(&L->ds->entity_by_id, f.s, f.len, f.hash, &notes[k]);
    }
    return true;
}

/* The table's typed array and its count, where the descriptor says. */
static void **rows_of(const dv_loader *L)
{
    return (void **)((char *)L->ds + L->def->rows_offset);
}
static size_t *count_of(const dv_loader *L)
{
    return (size_t *)((char *)L->ds + L->def->count_offset);
}

void dv_loader_keep_hashed(dv_loader *L, const dv_csv_row *row, uint64_t hash)
{
    size_t *n = count_of(L);
    if (L->def->unique_key) {
        /* 16 + 8 bytes a row: ten million rows make a fresh quarter
         * gigabyte; the key and line are in the record */
        dv_keyed k = {hash, (uint32_t)*n, 0};
        dv_grow((void **)&L->rec_hash, &L->cap_rec_hash, L->n_stage + 1, sizeof *L->rec_hash);
        L->rec_hash[L->n_stage] = row_hash(row);
        DV_PUSH(L->stage, L->n_stage, L->cap_stage, k);
    }
    (*n)++;
}

void dv_loader_keep(dv_loader *L, const dv_csv_row *row, const char *key)
{
    dv_loader_keep_hashed(L, row, key ? dv_hash_fast(key, strlen(key)) : 0);
}

/* ---- value helpers ---- */

bool dv_missing(dv_loader *L, const dv_csv_row *row, int col)
{
    dv_loader_reject(L, row, DV_COL(L, col), "missing_value", "%s is empty", DV_COL(L, col));
    return false;
}

bool dv_opt_date(dv_loader *L, const dv_csv_row *row, int col, int32_t *out)
{
    dv_field f = dv_loader_get(L, row, col);
    *out = DV_NO_DATE;
    if (!f.len) return true;
    const char *why;
    if (dv_parse_date(f.s, f.len, out, &why)) return true;
    dv_loader_reject(L, row, DV_COL(L, col), "bad_date", "%s \"%.*s\" %s", DV_COL(L, col),
                     DV_SHOWN(f), why);
    return false;
}

bool dv_opt_number(dv_loader *L, const dv_csv_row *row, int col, double lo, double hi,
                   double *out, double missing)
{
    dv_field f = dv_loader_get(L, row, col);
    *out = missing;
    if (!f.len) return true;
    const char *why;
    if (dv_parse_nonneg(f.s, f.len, out, &why)) {
        if (*out >= lo && *out <= hi) return true;
        dv_loader_reject(L, row, DV_COL(L, col), "out_of_range", "%s %.*s is outside %g to %g",
                         DV_COL(L, col), (int)f.len, f.s, lo, hi);
        return false;
    }
    const char *code = strcmp(why, "is negative") == 0 ? "negative_number" : "bad_number";
    dv_loader_reject(L, row, DV_COL(L, col), code, "%s \"%.*s\" %s", DV_COL(L, col), DV_SHOWN(f),
                     why);
    return false;
}

bool dv_country_code(dv_loader *L, const dv_csv_row *row, int col, dv_field f, char out[3])
{
    if (f.len == 2 && isalpha((unsigned char)f.s[0]) && isalpha((unsigned char)f.s[1])) {
        out[0] = (char)toupper((unsigned char)f.s[0]);
        out[1] = (char)toupper((unsigned char)f.s[1]);
        out[2] = '\0';
        return true;
    }
    dv_loader_reject(L, row, DV_COL(L, col), "bad_country",
                     "%s \"%.*s\" is not an ISO 3166 alpha-2 code", DV_COL(L, col), DV_SHOWN(f));
    return false;
}

bool dv_item_code(dv_loader *L, const dv_csv_row *row, int col, dv_field f, char out[256])
{
    if (f.len < 256 && dv_normalise_code(f.s, f.len, out) > 0) return true;
    dv_loader_reject(L, row, DV_COL(L, col), "bad_code",
                     "%s \"%.*s\" has no letters or digits, or is too long", DV_COL(L, col),
                     DV_SHOWN(f));
    return false;
}

bool dv_unknown_entity(dv_loader *L, const dv_csv_row *row, int col, dv_field f)
{
    dv_loader_reject(L, row, DV_COL(L, col), "unknown_entity",
                     "%s \"%.*s\" is not in entities (or was rejected there)", DV_COL(L, col),
                     DV_SHOWN(f));
    return false;
}

/* ---- the header and the row callback ---- */

/* A header name, trimmed, with its place: sorted to find names given twice. */
typedef struct header_name {
    const char *s;
    size_t len, at;
} header_name;

static int cmp_header_name(const void *a, const void *b)
{
    const header_name *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = strncasecmp(x->s, y->s, n);
    if (c) return c;
    if (x->len != y->len) return x->len < y->len ? -1 : 1;
    return (x->at > y->at) - (x->at < y->at);
}

/* The first header field (in file order) whose name an earlier field has
 * already, ignoring case; SIZE_MAX when none is. Nameless fields do not
 * count. A sort, not a comparison of every pair: a header may be as wide
 * as max_fields. */
static size_t repeated_column(const dv_csv_row *row)
{
    header_name *names = dv_xmalloc((row->nfields ? row->nfields : 1) * sizeof *names);
    size_t n = 0, first = SIZE_MAX;
    for (size_t i = 0; i < row->nfields; i++) {
        size_t len = row->lens[i];
        const char *h = dv_trim(row->fields[i], &len);
        if (len) names[n++] = (header_name){h, len, i};
    }
    dv_qsort(names, n, sizeof *names, cmp_header_name);
    for (size_t i = 1; i < n; i++)
        if (names[i].len == names[i - 1].len &&
            strncasecmp(names[i].s, names[i - 1].s, names[i].len) == 0 && names[i].at < first)
            first = names[i].at;
    free(names);
    return first;
}

static int on_row(void *ctx, const dv_csv_row *row, dv_error *err);

static int on_header(dv_loader *L, const dv_csv_row *row, dv_error *err)
{
    dv_table_info *info = &L->ds->tables[L->def->id];
    for (int k = 0; k < DV_MAX_COLS; k++) L->col[k] = -1;
    if (L->def->format_of) {
        dv_format fmt = {0};
        L->def->format_of(row, &fmt);
        if (fmt.title_line && !L->title_seen) { /* one title line, then the header */
            L->title_seen = true;
            return 0;
        }
        if (fmt.title_line || !fmt.cols)
            return dv_fail(err, DV_EXIT_INPUT, "%s:%ld: a second title line where the header should be",
                           L->name, row->line);
        L->cols = fmt.cols;
        L->n_cols = fmt.n_cols;
        L->format = fmt.name;
        L->windows_1252 = fmt.windows_1252;
        if (fmt.positions) { /* no header: this row is the first of the data */
            for (int k = 0; k < L->n_cols; k++) L->col[k] = fmt.positions[k];
            L->header_fields = fmt.n_fields;
            L->header_line = 0;
            L->have_header = true;
            __atomic_store_n(&L->cols_ready, true, __ATOMIC_RELEASE);
            return on_row(L, row, err);
        }
    }
    size_t twice = repeated_column(row);
    if (twice != SIZE_MAX) {
        size_t len = row->lens[twice];
        const char *h = dv_trim(row->fields[twice], &len);
        return dv_fail(err, DV_EXIT_INPUT, "%s:%ld: column \"%.*s\" appears twice in the header",
                       L->name, row->line, (int)len, h);
    }
    for (size_t i = 0; i < row->nfields; i++) {
        size_t len = row->lens[i];
        const char *h = dv_trim(row->fields[i], &len);
        int found = -1;
        for (int k = 0; k < L->n_cols; k++)
            if (L->cols[k].name && dv_ieq(h, len, L->cols[k].name)) found = k;
        if (found >= 0) {
            L->col[found] = (int)i;
        } else if (!info->reference) {
            char *name = len ? dv_xstrndup(h, len) : dv_xstrdup("(empty)");
            info->unknown_columns = dv_xrealloc(info->unknown_columns,
                                                (info->n_unknown + 1) * sizeof(char *));
            info->unknown_columns[info->n_unknown++] = name;
        }
    }
    for (int k = 0; k < L->n_cols; k++)
        if (L->cols[k].required && L->col[k] < 0)
            return dv_fail(err, DV_EXIT_INPUT, "%s:%ld: missing required column \"%s\"", L->name,
                           row->line, L->cols[k].name);
    L->header_fields = row->nfields;
    L->header = dv_xcalloc(row->nfields ? row->nfields : 1, sizeof *L->header);
    L->header_len = dv_xcalloc(row->nfields ? row->nfields : 1, sizeof *L->header_len);
    for (size_t i = 0; i < row->nfields; i++) {
        size_t len = row->lens[i];
        const char *h = dv_trim(row->fields[i], &len);
        L->header[i] = dv_xstrndup(h, len);
        L->header_len[i] = len;
    }
    int k = 1;
    for (const int *c = L->def->entity_refs; c && *c >= 0 && k < DV_CSV_NOTES; c++, k++)
        L->note_of[*c] = k;
    __atomic_store_n(&L->cols_ready, true, __ATOMIC_RELEASE); /* annotate_refs may start */
    L->header_line = row->line;
    unsigned char first = row->nfields ? (unsigned char)L->header[0][0] : 0;
    L->header_first = first >= 'A' && first <= 'Z' ? first + 32 : first;
    L->have_header = true;
    return 0;
}

/* The row is the header again (two exports joined by cat, a header
 * repeated on every page of a report): each field, trimmed, is the
 * header's name, ignoring case. Most rows differ in their first field. */
static bool header_again(const dv_loader *L, const dv_csv_row *row)
{
    /* Most rows differ from the header in the first byte of their first
     * field: unless that byte is one trimming might take away (white
     * space, or non-ASCII), compare it before anything else. */
    unsigned char c = row->nfields ? (unsigned char)row->fields[0][0] : 0;
    if (c < 0x80 && !dv_ascii_space(c) && (c >= 'A' && c <= 'Z' ? c + 32 : c) != L->header_first)
        return false;
    for (size_t i = 0; i < row->nfields; i++) {
        size_t len = row->lens[i];
        const char *s = dv_trim(row->fields[i], &len);
        if (len != L->header_len[i] || strncasecmp(s, L->header[i], len) != 0) return false;
    }
    return true;
}

static int on_row(void *ctx, const dv_csv_row *row, dv_error *err)
{
    dv_loader *L = ctx;
    if (!L->have_header) return on_header(L, row, err);
    dv_table_info *info = &L->ds->tables[L->def->id];
    /* a line of nothing but the DOS end-of-file mark (Ctrl-Z, 0x1A), which
     * OFAC's legacy list files end with, is no row */
    if (row->nfields == 1 && row->lens[0] == 1 && row->fields[0][0] == '\x1a') return 0;
    if (info->rows_read >= DV_MAX_ROWS)
        return dv_fail(err, DV_EXIT_INPUT,
                       "%s:%ld: more than %lu rows in one table (rows are counted in 32 bits); "
                       "split the dataset by item entry",
                       L->name, row->line, (unsigned long)DV_MAX_ROWS);
    info->rows_read++;
    if (row->nfields != L->header_fields)
        return dv_loader_reject(L, row, "", "ragged_row", "the row has %zu fields, the header has %zu",
                                row->nfields, L->header_fields);
    /* before any table's parser, so that every table and list format
     * rejects it alike, and before the encoding, which a header with
     * invalid bytes would fail again */
    if (L->header && header_again(L, row))
        return dv_loader_reject(L, row, "", "repeated_header",
                                "the header row again (the header is on line %ld)", L->header_line);
    if (row->invalid_utf8 && !L->windows_1252) {
        /* the column name outlives the header: intern it */
        size_t i = row->invalid_utf8 - 1;
        const char *h = L->header[i];
        const char *column =
            dv_utf8_valid(h, strlen(h)) ? dv_intern_str(&L->ds->strings, h, strlen(h)) : "";
        return dv_loader_reject(L, row, column, "invalid_utf8",
                                "field %zu is not valid UTF-8 (is the file Latin-1? convert it "
                                "with iconv -f LATIN1 -t UTF-8)",
                                i + 1);
    }
    return L->def->parse(L, row);
}

/* ---- whole-table checks ---- */

static int cmp_staged_key(const void *a, const void *b)
{
    const staged *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c) return c;
    return (x->line > y->line) - (x->line < y->line);
}

/* Resolve duplicated keys: identical copies keep the first line, differing
 * copies are all rejected. Marks removed rows in dead[]; their records
 * come later (dv_fill_records).
 *
 * A radix sort of (hash of the key, staging position) brings the copies of
 * a key together without a string comparison per row; only the rare runs
 * of equal hashes (copies of one key, or keys that collide) are looked at,
 * by key and then line, so the outcome never depends on the input order.
 * The sort needs only to group, not to order: 33 bits of the hash (three
 * radix passes, not six) leave some thousands of colliding pairs among ten
 * million keys, each settled by the comparison of the run; above 2^26 keys,
 * 44 bits. */
static void resolve_duplicates(dv_loader *L, bool *dead)
{
    dv_dataset *ds = L->ds;
    dv_table_id t = L->def->id;
    size_t n = L->n_stage;
    dv_keyed *k = L->stage; /* sorted in place */
    int drop = n < ((size_t)1 << 26) ? 31 : 20;
    for (size_t i = 0; i < n; i++) k[i].key >>= drop;
    dv_sort_keyed(k, n);
    const char *rows = *(char **)((char *)ds + L->def->rows_offset);
    const char *keyname = L->cols[0].name;
    staged *run = NULL;
    size_t run_cap = 0;
    for (size_t a = 0; a < n;) {
        size_t b = a + 1;
        while (b < n && k[b].key == k[a].key) b++;
        if (b - a > 1) {
            size_t m = 0;
            for (size_t x = a; x < b; x++) {
                const char *rec = rows + (size_t)k[x].row * L->def->row_size;
                staged s = {k[x].row, 0, L->rec_hash[k[x].row], L->def->key_of(rec)};
                memcpy(&s.line, rec + L->def->line_offset, sizeof s.line);
                DV_PUSH(run, m, run_cap, s);
            }
            dv_qsort(run, m, sizeof *run, cmp_staged_key);
            for (size_t i = 0; i < m;) {
                size_t j = i + 1;
                while (j < m && strcmp(run[j].key, run[i].key) == 0) j++;
                if (j - i > 1) {
                    bool identical = true;
                    for (size_t x = i + 1; x < j; x++)
                        if (run[x].rec_hash != run[i].rec_hash) identical = false;
                    for (size_t x = identical ? i + 1 : i; x < j; x++) {
                        staged *st = &run[x];
                        dead[st->row] = true;
                        long other = x == i ? run[i + 1].line : run[i].line;
                        if (identical)
                            add_reject(ds, t, NULL, st->line, keyname, "duplicate_row",
                                       dv_xasprintf("%s \"%s\": the same row is on line %ld",
                                                    keyname, st->key, other),
                                       NULL);
                        else
                            add_reject(ds, t, NULL, st->line, keyname, "duplicate_id",
                                       dv_xasprintf("%s \"%s\" is also on line %ld with other "
                                                    "values (all %zu rows with this %s are "
                                                    "rejected)",
                                                    keyname, st->key, other, j - i, keyname),
                                       NULL);
                    }
                }
                i = j;
            }
        }
        a = b;
    }
    free(run);
}

/* Drop dead rows from a typed array, keeping the order of the others. */
static size_t compact(void *rows, size_t n, size_t elem, const bool *dead)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (dead[i]) continue;
        if (m != i) memmove((char *)rows + m * elem, (char *)rows + i * elem, elem);
        m++;
    }
    return m;
}

/* ---- finding and reading a table ---- */

int dv_find_table(const char *dir, const char *name, char **path, dv_error *err)
{
    *path = NULL;
    char *plain = dv_xasprintf("%s/%s.csv", dir, name);
    char *gz = dv_xasprintf("%s/%s.csv.gz", dir, name);
    /* lstat: a broken symbolic link is a table that cannot be opened, not
     * a missing one */
    struct stat st;
    bool has_plain = lstat(plain, &st) == 0, has_gz = lstat(gz, &st) == 0;
    int rc = 0;
    if (has_plain && has_gz)
        rc = dv_fail(err, DV_EXIT_INPUT, "%s: both %s.csv and %s.csv.gz exist; keep one", dir,
                     name, name);
    else if (has_plain)
        *path = plain, plain = NULL;
    else if (has_gz)
        *path = gz, gz = NULL;
    free(plain);
    free(gz);
    return rc;
}

/* Read the table's file (or its embedded reference table) through the
 * row callback. */
static int read_table(dv_loader *L, const char *path, dv_error *err)
{
    dv_table_info *info = &L->ds->tables[L->def->id];
    info->present = true;
    info->reference = path == NULL;
    dv_csv_options copt = {.max_field_bytes = L->opt->max_field_bytes,
                           .max_fields = L->opt->max_fields,
                           .progress = L->opt->progress,
                           .progress_ctx = L->opt->progress_ctx,
                           .annotate = L->def->entity_refs ? annotate_refs : NULL,
                           .sha256_hex = L->opt->checksums && path ? info->sha256 : NULL,
                           .bytes = &info->bytes,
                           .delimiter = L->opt->delimiter};
    int rc;
    if (!path) {
        const char *data;
        size_t len;
        if (!dv_reference_table(L->def->id, &data, &len, &L->name))
            return dv_fail(err, DV_EXIT_INTERNAL, "%s: no reference table",
                           dv_table_names[L->def->id]);
        info->path = "(reference)";
        rc = dv_csv_read_mem(data, len, L->name, &copt, on_row, L, err);
    } else {
        info->path = dv_arena_strndup(&L->ds->arena, path, strlen(path));
        L->name = info->path;
        rc = dv_csv_read_file(path, L->name, &copt, on_row, L, err);
    }
    if (!rc && !L->have_header)
        rc = dv_fail(err, DV_EXIT_INPUT, "%s:1: the file is empty (a header row is needed)", L->name);
    return rc;
}

int dv_load_table(dv_dataset *ds, const dv_load_options *opt, const dv_table_def *def,
                  const char *path, const char *label, const char **format, dv_error *err)
{
    if (def->unique_key && !def->key_of)
        return dv_fail(err, DV_EXIT_INTERNAL, "%s: a table of unique keys without key_of",
                       dv_table_names[def->id]);
    dv_loader L = {0};
    L.ds = ds;
    L.def = def;
    L.opt = opt;
    L.cols = def->cols;
    L.n_cols = def->n_cols;
    L.label = label;
    int rc = read_table(&L, path, err);
    if (!rc && def->finish) rc = def->finish(&L, err);
    *format = L.format;
    if (L.skipped_why) ds->tables[def->id].skipped_why = L.skipped_why;
    for (size_t i = 0; L.header && i < L.header_fields; i++) free(L.header[i]);
    free(L.header);
    free(L.header_len);
    if (L.free_scratch) L.free_scratch(L.scratch);
    else free(L.scratch);
    if (!rc) {
        size_t *count = count_of(&L);
        void *rows = *rows_of(&L);
        if (def->unique_key) {
            bool *dead = dv_xcalloc(*count ? *count : 1, sizeof *dead);
            resolve_duplicates(&L, dead);
            *count = compact(rows, *count, def->row_size, dead);
            free(dead);
        }
        if (def->cmp_is_key)
            dv_sort_by_string(rows, *count, def->row_size, def->key_offset, def->cmp);
        else if (def->cmp)
            dv_qsort(rows, *count, def->row_size, def->cmp);
        if (def->loaded) def->loaded(ds);
        dv_table_info *info = &ds->tables[def->id];
        info->rows_loaded = (long)*count;
        if (info->rows_read !=
            info->rows_loaded + info->rows_rejected + info->rows_skipped + info->rows_joined)
            rc = dv_fail(err, DV_EXIT_INTERNAL,
                         "%s: internal accounting error: %ld rows read, %ld loaded, %ld rejected, "
                         "%ld skipped, %ld joined",
                         info->path, info->rows_read, info->rows_loaded, info->rows_rejected,
                         info->rows_skipped, info->rows_joined);
    }
    free(L.stage);
    free(L.rec_hash);
    return rc;
}

/* ---- records of rows rejected after the pass ---- */

typedef struct fill_ctx {
    dv_dataset *ds;
    const dv_keyed *want;   /* key: line; row: the reject wanting its record */
    size_t n_want, next;
    bool header_seen;
} fill_ctx;

static int fill_row(void *ctx, const dv_csv_row *row, dv_error *err)
{
    (void)err;
    fill_ctx *f = ctx;
    if (!f->header_seen) {
        f->header_seen = true;
        return 0;
    }
    while (f->next < f->n_want && f->want[f->next].key == (uint64_t)row->line) {
        dv_buf rec = {0};
        record_text(row, &rec);
        f->ds->rejects[f->want[f->next].row].record = rec.data;
        f->next++;
    }
    return 0;
}

int dv_fill_records(dv_dataset *ds, const dv_load_options *opt, dv_error *err)
{
    for (int t = 0; t < DV_T_COUNT; t++) {
        dv_keyed *want = NULL;
        size_t n_want = 0, cap = 0;
        for (size_t i = 0; i < ds->n_rejects; i++)
            if (!ds->rejects[i].record && ds->rejects[i].table == dv_table_names[t]) {
                dv_keyed k = {(uint64_t)ds->rejects[i].line, (uint32_t)i, 0};
                DV_PUSH(want, n_want, cap, k);
            }
        if (!n_want) continue;
        dv_sort_keyed(want, n_want);
        fill_ctx f = {ds, want, n_want, 0, false};
        dv_table_info *info = &ds->tables[t];
        dv_csv_options copt = {.max_field_bytes = opt->max_field_bytes,
                               .max_fields = opt->max_fields};
        int rc;
        const char *data, *name;
        size_t len;
        if (info->reference && dv_reference_table((dv_table_id)t, &data, &len, &name))
            rc = dv_csv_read_mem(data, len, info->path, &copt, fill_row, &f, err);
        else
            rc = dv_csv_read_file(info->path, info->path, &copt, fill_row, &f, err);
        for (size_t i = 0; i < n_want; i++)
            if (!ds->rejects[want[i].row].record) ds->rejects[want[i].row].record = dv_xstrdup("");
        free(want);
        if (rc) return rc;
    }
    return 0;
}
