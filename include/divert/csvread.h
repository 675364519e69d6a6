/*
 * csvread.h: bytes to rows, with the physical line each row starts on.
 *
 * A table is read from a file (plain or gzip, told apart by the magic
 * bytes 1f 8b, whatever the name says) or from memory (the embedded
 * reference tables). A gzip file may be several members one after the
 * other (as gzip -d reads them); anything else after the last member is a
 * structural error, not something to skip. Quoting follows RFC 4180 through libcsv in strict
 * mode: a stray quote or an unterminated quoted field is a structural
 * error, because everything after it would be misread.
 *
 * The reader owns the row it hands to the callback; the fields are valid
 * only during the call (copy what you keep).
 *
 * A file is read on two threads: one decompresses and parses, the caller's
 * thread runs the callback on the rows, which cross in batches. The
 * callback sees the same rows, lines and first error, in the same order,
 * as a one-thread read (dv_csv_read_mem is one).
 */
#ifndef DIVERT_CSVREAD_H
#define DIVERT_CSVREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "divert/util.h"

typedef struct dv_csv_row {
    const char *const *fields;   /* NUL-terminated field texts */
    const size_t *lens;          /* their lengths */
    size_t nfields;
    long line;                   /* physical line the row starts on, 1-based */
    size_t invalid_utf8;         /* 1-based index of the first field that is not
                                    valid UTF-8; 0 when every field is */
    const uint64_t *hashes;      /* dv_hash_fast of each field as dv_trim trims it,
                                    computed on the reading thread */
    const uint32_t *notes;       /* DV_CSV_NOTES values the annotate option computed
                                    on the reading thread (notes[0] != 0), or NULL */
} dv_csv_row;

enum { DV_CSV_NOTES = 4 };

/* Called once a row; return 0 to go on, or a status (err filled) to stop. */
typedef int (*dv_csv_row_fn)(void *ctx, const dv_csv_row *row, dv_error *err);

typedef struct dv_csv_options {
    size_t max_field_bytes;      /* a longer field is a structural error */
    size_t max_fields;           /* a row with more fields is a structural error
                                    (its fields are counted, not held); 0: no limit */
    /* Called now and then with the bytes read so far (progress), or NULL. */
    void (*progress)(void *ctx, const char *name, unsigned long long bytes);
    void *progress_ctx;
    /* Called on the reading thread with each row as soon as it is read
     * (fields, lens and hashes set; ctx is the row function's), to fill
     * notes[1..DV_CSV_NOTES-1] that the row then carries to the row
     * function; returns false to leave it without notes. It may read only
     * what no other thread changes meanwhile (the loader's lookups of
     * entity ids in the finished entity index: the loading thread's
     * slowest work on real data, moved to the thread that has time). Or
     * NULL. */
    bool (*annotate)(void *ctx, const dv_csv_row *row, uint32_t *notes);
    /* A file's SHA-256 (64 hex digits and a NUL) and size, of its bytes as
     * stored (compressed or not), computed as they are read, on the
     * reading thread; or NULL (the case store records them, store.h). */
    char *sha256_hex;
    long long *bytes;
    char delimiter;              /* between fields; 0: ',' (the EU's list uses ';') */
} dv_csv_options;

/* Read a file. name is how messages call it (the path as the user gave it).
 * Returns 0, or DV_EXIT_INPUT / DV_EXIT_INTERNAL with err set. */
int dv_csv_read_file(const char *path, const char *name, const dv_csv_options *opt,
                     dv_csv_row_fn fn, void *ctx, dv_error *err);

/* Read bytes already in memory. */
int dv_csv_read_mem(const char *data, size_t len, const char *name,
                    const dv_csv_options *opt, dv_csv_row_fn fn, void *ctx,
                    dv_error *err);

#endif
