/*
 * loader.h: the machinery that turns the rows of one input table into
 * typed rows, shared by the table parsers (tables.c for the SPEC tables,
 * lists.c for the watchlist formats) and driven by loader.c.
 *
 * An input table is one descriptor (dv_table_def): its columns, its row
 * parser, the size of a typed row, where the rows go in the dataset, and
 * how they are ordered once loaded. loader.c reads the file, matches the
 * header to the columns, calls the parser on every row, resolves
 * duplicated keys and sorts, all from the descriptor; a parser only turns
 * one row into one typed record (filled in place: dv_loader_next, then
 * dv_loader_keep) or rejects it (dv_loader_reject and the value helpers
 * below, which reject for it).
 *
 * Ownership: everything a parser keeps goes into the dataset's arena
 * (dv_loader_intern, dv_loader_list); the row's fields are libcsv's
 * buffer, valid only during the call.
 */
#ifndef DIVERT_LOADER_H
#define DIVERT_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "divert/csvread.h"
#include "divert/dataset.h"

#define DV_MAX_COLS 20            /* columns of the widest table (a list format's) */
#define DV_RECORD_MAX 4096        /* bytes of a rejected row its record in
                                     rejects.csv keeps (docs/limits.md) */

/* One column of a table. Each table declares its columns as an array
 * designated by an enum of its own (entity_cols[E_ID] = {"id", true}), so
 * that the parser's names for columns and the header's meet in one place. */
typedef struct dv_col_spec {
    const char *name;             /* header name, matched case-insensitively */
    bool required;                /* a file without it is an input error */
} dv_col_spec;

typedef struct dv_loader dv_loader;

/* A file format told by its first row (the watchlist formats), as
 * dv_table_def.format_of describes it. */
typedef struct dv_format {
    const dv_col_spec *cols;      /* its columns, by the table's column enum */
    int n_cols;
    const char *name;             /* "spec", "ofsi" ...: summary.json's format */
    /* the row is a title line before the header (OFSI's "Last Updated"):
     * skipped, and the next row is the header; cols unset */
    bool title_line;
    /* the format's files are Windows-1252, not UTF-8: rows are not
     * rejected as invalid UTF-8, the parser converts their fields */
    bool windows_1252;
    /* a format without a header: by column, its field's index (-1: none);
     * the first row is then a data row. NULL: the row is the header. */
    const int *positions;
    size_t n_fields;              /* with positions: the fields of every row */
} dv_format;

/* Parse one data row: push a typed record or reject the row; returns 0
 * (a reject is not an error). */
typedef int (*dv_row_parser)(dv_loader *L, const dv_csv_row *row);

/* What loader.c needs to know of an input table. */
typedef struct dv_table_def {
    dv_table_id id;
    const dv_col_spec *cols;      /* n_cols columns, by the table's column enum */
    int n_cols;
    dv_row_parser parse;
    size_t row_size;              /* sizeof the typed record */
    size_t rows_offset;           /* offsetof(dv_dataset, the array) */
    size_t count_offset;          /* offsetof(dv_dataset, its count) */
    /* the order of the rows once loaded, by key; NULL keeps input order */
    int (*cmp)(const void *a, const void *b);
    /* where cmp is strcmp of a string field: its offset in the record,
     * for a radix sort by the bytes of the key (dv_sort_by_string) */
    bool cmp_is_key;
    size_t key_offset;
    bool unique_key;              /* the first column is an id: duplicates are
                                     resolved (dataset.h) */
    /* with unique_key: the record's key (as given to dv_loader_keep) and
     * the offset of its `long line`, read back only for the rare rows whose
     * key hashes collide */
    const char *(*key_of)(const void *rec);
    size_t line_offset;
    /* A file format told by its first row (the watchlist formats): fills
     * *format; NULL for a table of one format. */
    void (*format_of)(const dv_csv_row *first, dv_format *format);
    /* after the pass over the rows, before duplicates and the sort: what a
     * parser gathered across rows (the names of a group) put into the
     * records; returns 0 or an error status (err set). NULL: nothing. */
    int (*finish)(dv_loader *L, dv_error *err);
    /* after the rows are sorted (the entity index by id), or NULL */
    void (*loaded)(dv_dataset *ds);
    /* columns that name entities (by the column enum), -1 ended, at most
     * DV_CSV_NOTES - 1: looked up on the reading thread (csvread.h) */
    const int *entity_refs;
} dv_table_def;

/* The descriptors: the SPEC tables (tables.c) and the list files (lists.c). */
extern const dv_table_def dv_entities_def, dv_shipments_def, dv_items_def, dv_countries_def,
    dv_licences_def;
extern const dv_table_def dv_watchlist_def;

/* The state of reading one table; parsers read cols, format and ds. */
struct dv_loader {
    dv_dataset *ds;
    const dv_table_def *def;
    const dv_load_options *opt;
    const dv_col_spec *cols;      /* the table's columns (a list's, by format) */
    int n_cols;
    const char *label;            /* the table as rejects.csv names it */
    const char *format;           /* a list file's format, or NULL */
    bool windows_1252;            /* the format's rows are Windows-1252 (dv_format) */
    bool title_seen;              /* a title line came before the header */
    const char *skipped_why;      /* why rows were skipped (dv_loader_skip), or NULL */
    const char *name;             /* the file as messages name it */
    int col[DV_MAX_COLS];         /* column -> field index, -1 if absent */
    size_t header_fields;
    char **header;                /* owned: the header's names, trimmed */
    size_t *header_len;           /* owned: their lengths */
    long header_line;             /* the line the header is on */
    unsigned char header_first;   /* the first byte of its first name, lower
                                     case (0: nameless) */
    bool have_header;
    bool cols_ready;              /* col[] and note_of[] are set (read by the
                                     reading thread: atomic, release/acquire) */
    int note_of[DV_MAX_COLS];     /* the note (dv_csv_row) holding an entity
                                     column's row, or 0 */
    /* owned, for the duplicate check: by row pushed, the hash of its key
     * (key) and its index (row); and the hash of its fields */
    dv_keyed *stage;
    uint64_t *rec_hash;
    size_t n_stage, cap_stage, cap_rec_hash;
    size_t cap_rows;              /* capacity of the table's typed array */
    void *scratch;                /* the parser's own (the item spellings of
                                     shipments.csv); freed with free_scratch */
    void (*free_scratch)(void *);  /* NULL: free() */
};

/* One field of the current row by column: trimmed, "" if absent. */
typedef struct dv_field {
    const char *s;
    size_t len;
    uint64_t hash;                /* dv_hash_fast(s, len) from the reading thread, for a
                                     field of a row; 0 for one a parser made */
} dv_field;

/* The helpers a parser calls for every field of every row are inlined
 * whatever the compiler's estimate: shipments come by the million, and a
 * call per field costs the load a few percent. */
#define DV_HOT static inline __attribute__((always_inline))

DV_HOT dv_field dv_loader_get(const dv_loader *L, const dv_csv_row *row, int col)
{
    dv_field f = {"", 0, 0};
    int idx = L->col[col];
    if (idx < 0 || (size_t)idx >= row->nfields) return f;
    f.len = row->lens[idx];
    f.s = dv_trim(row->fields[idx], &f.len);
    f.hash = row->hashes[idx];
    return f;
}

/* A field's text for a message: at most its first 64 bytes, as the two
 * arguments of "%.*s". */
#define DV_SHOWN(f) (int)((f).len > 64 ? 64 : (f).len), (f).s

/* The name of a column of the table being read. */
#define DV_COL(L, c) ((L)->cols[(c)].name)

/* Reject the row being read, naming the column at fault ("" for the whole
 * row) and the reason code; the detail is printf-formatted. Returns 0, so
 * a parser can `return dv_loader_reject(...)`. */
int dv_loader_reject(dv_loader *L, const dv_csv_row *row, const char *column, const char *code,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Skip the row being read: a row that is not for this table (a list's
 * vessels and aircraft), counted in its table's rows_skipped, neither
 * loaded nor rejected; why says it for the whole file, once. Returns 0. */
int dv_loader_skip(dv_loader *L, const char *why);

/* The row being read was merged into a record made from an earlier row
 * (another name of a listed party): counted in rows_joined. */
void dv_loader_joined(dv_loader *L);

/* The place of the next typed record of the table (row_size bytes, not
 * zeroed: the parser sets it whole), valid until the next call. It
 * becomes a row of the table only with dv_loader_keep; a rejected row
 * leaves it to the next. Records are filled in place because shipments
 * come by the million. */
DV_HOT void *dv_loader_next(dv_loader *L)
{
    void **rows = (void **)((char *)L->ds + L->def->rows_offset);
    size_t n = *(size_t *)((char *)L->ds + L->def->count_offset);
    if (n >= L->cap_rows) dv_grow(rows, &L->cap_rows, n + 1, L->def->row_size);
    return (char *)*rows + n * L->def->row_size;
}

/* Keep the record dv_loader_next handed out as the table's next row, with
 * its key when the table's keys are unique. */
void dv_loader_keep(dv_loader *L, const dv_csv_row *row, const char *key);
/* The same, where the key is a field's text, whose hash (the field's) is
 * known; the key itself is the record's (dv_table_def.key_of). */
void dv_loader_keep_hashed(dv_loader *L, const dv_csv_row *row, uint64_t hash);

/* The field interned in the dataset, or NULL when empty. */
const char *dv_loader_intern(dv_loader *L, dv_field f);
/* The field copied into the dataset's arena, NULL when empty: for values
 * that do not repeat (ids, names, addresses), which interning would only
 * slow down. */
const char *dv_loader_copy(dv_loader *L, dv_field f);

/* A ';'-separated list of interned strings in the arena (empty items
 * dropped); *n is their number. NULL when the field is empty. */
const char **dv_loader_list(dv_loader *L, dv_field f, uint32_t *n);

/* ---- loading (loader.c, lists.c) ---- */

/* NAME.csv or NAME.csv.gz in dir, as *path (heap), or NULL when neither is
 * there; both is an input error. */
int dv_find_table(const char *dir, const char *name, char **path, dv_error *err);

/* Load, check and sort one table from path, or from its embedded
 * reference table when path is NULL. label names the table in rejects
 * (NULL: the table's name); *format is a list file's format. */
int dv_load_table(dv_dataset *ds, const dv_load_options *opt, const dv_table_def *def,
                  const char *path, const char *label, const char **format, dv_error *err);

/* Every watchlist file of the dataset (lists.c). */
int dv_load_lists(dv_dataset *ds, const dv_load_options *opt, dv_error *err);

/* Give the rows rejected after their table's pass (duplicates) their
 * record, from a second read of just those lines. */
int dv_fill_records(dv_dataset *ds, const dv_load_options *opt, dv_error *err);

/* ---- value helpers: each either fills *out or rejects the row (false) ---- */

/* The field is not empty (dv_missing rejects the row). */
bool dv_missing(dv_loader *L, const dv_csv_row *row, int col);
DV_HOT bool dv_need(dv_loader *L, const dv_csv_row *row, int col, dv_field f)
{
    return f.len || dv_missing(L, row, col);
}
/* A date, or DV_NO_DATE when the field is empty. */
bool dv_opt_date(dv_loader *L, const dv_csv_row *row, int col, int32_t *out);
/* A number in [lo, hi], or `missing` when the field is empty. */
bool dv_opt_number(dv_loader *L, const dv_csv_row *row, int col, double lo, double hi,
                   double *out, double missing);
/* An ISO 3166 alpha-2 code, upper-cased. */
bool dv_country_code(dv_loader *L, const dv_csv_row *row, int col, dv_field f, char out[3]);
/* An item code normalised (letters and digits, upper case) into out. */
bool dv_item_code(dv_loader *L, const dv_csv_row *row, int col, dv_field f, char out[256]);
/* An entity id resolved to its row; an empty field is DV_NONE. An id that
 * is not a loaded entity rejects the row (dv_unknown_entity). */
bool dv_unknown_entity(dv_loader *L, const dv_csv_row *row, int col, dv_field f);
DV_HOT bool dv_ref_entity(dv_loader *L, const dv_csv_row *row, int col, dv_field f,
                                 uint32_t *out)
{
    *out = DV_NONE;
    if (!f.len) return true;
    int note = L->note_of[col];
    if (note > 0 && row->notes && row->notes[0]) { /* looked up on the reading thread */
        *out = row->notes[note];
        if (*out != DV_NONE) return true;
        return dv_unknown_entity(L, row, col, f);
    }
    /* a field made by a parser, not read from a row, has no hash yet */
    uint64_t h = f.hash ? f.hash : dv_hash_fast(f.s, f.len);
    if (dv_map_get_hashed(&L->ds->entity_by_id, f.s, f.len, h, out)) return true;
    return dv_unknown_entity(L, row, col, f);
}

#endif
