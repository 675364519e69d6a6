/*
 * util.h: the small things every stage needs.
 *
 * - dv_error: one message with context, filled by any fallible function.
 * - dv_arena: bump allocation of strings that live as long as the dataset;
 *   nothing in an arena is freed on its own, the whole arena goes at once.
 * - dv_intern: a string table on top of an arena, so each distinct string
 *   is stored once and interned strings compare equal by pointer.
 * - dv_map: string -> uint32 hash map; it does not own its keys.
 * - parsers for the value types of the data contract: dates, decimal
 *   numbers, item codes, country codes; and the 64-bit hash of alert ids.
 */
#ifndef DIVERT_UTIL_H
#define DIVERT_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exit codes of the command (SPEC 7). */
enum {
    DV_EXIT_OK = 0,        /* success, alerts may exist */
    DV_EXIT_ALERT = 1,     /* success, an alert reached --fail-on */
    DV_EXIT_INPUT = 2,     /* usage or input error */
    DV_EXIT_INTERNAL = 3   /* internal error (memory, igraph, I/O on output) */
};

/* Status of fallible functions: 0 is success, otherwise one of the exit
 * codes above, with the message in the dv_error. */
typedef struct dv_error {
    int code;          /* DV_EXIT_INPUT or DV_EXIT_INTERNAL once set */
    char msg[1024];    /* "FILE:LINE: what is wrong", without "divert: " */
} dv_error;

int dv_fail(dv_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Allocation that never returns NULL: out of memory ends the process with
 * exit 3 and a message, as no stage can do anything useful without it. */
/* Cap the process's address space at mb megabytes (0: the machine's
 * physical memory), so that a dataset too big for the machine ends in a
 * clear "out of memory" (exit 3) instead of the system killing divert.
 * A lower limit already in place stays. False where it cannot be set (and
 * in sanitizer builds, which need the address space). */
bool dv_set_memory_limit(size_t mb);

/* Report that n more bytes could not be had (naming the limit when divert
 * set one) and exit with DV_EXIT_INTERNAL. For the allocations of the
 * libraries too (zlib, libcsv), so that every out-of-memory reads alike. */
_Noreturn void dv_out_of_memory(size_t n);

void *dv_xmalloc(size_t n);
void *dv_xcalloc(size_t n, size_t size);
void *dv_xrealloc(void *p, size_t n);
char *dv_xstrdup(const char *s);
char *dv_xstrndup(const char *s, size_t n);
/* printf into a new heap string. */
char *dv_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *dv_xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Grow *arr (of *cap elements of size elem) so it holds at least need. */
void dv_grow(void **arr, size_t *cap, size_t need, size_t elem);
#define DV_PUSH(arr, n, cap, value)                                        \
    do {                                                                   \
        dv_grow((void **)&(arr), &(cap), (n) + 1, sizeof(*(arr)));         \
        (arr)[(n)++] = (value);                                            \
    } while (0)

/* qsort that accepts an empty (NULL) array. */
void dv_qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

/* A 64-bit sort key and the row it belongs to. */
typedef struct dv_keyed {
    uint64_t key;
    uint32_t row;
    uint32_t aux;      /* carried along, not compared */
} dv_keyed;

/* Sort by key, stably (equal keys keep their order), with a least
 * significant digit radix sort: linear in n, and no comparator calls,
 * which is what sorting millions of rows needs. */
void dv_sort_keyed(dv_keyed *a, size_t n);

/* Sort n records of size bytes into strcmp order of the string each holds
 * at key_offset, as dv_qsort with that comparator (cmp) would: a radix sort
 * by the 8 bytes after the keys' common prefix, then cmp within runs that
 * share them. A million records by UUID without a million cache misses of
 * comparisons. */
void dv_sort_by_string(void *rows, size_t n, size_t size, size_t key_offset,
                       int (*cmp)(const void *, const void *));

/* The median of v[0..n) (n >= 1, no NaN): the middle value, or the mean of
 * the two middle ones. Linear time on average; v is reordered. */
double dv_median(double *v, size_t n);

/* A growable byte buffer; always NUL-terminated once anything is added. */
typedef struct dv_buf {
    char *data;
    size_t len, cap;
} dv_buf;
void dv_buf_add(dv_buf *b, const char *s, size_t n);
void dv_buf_puts(dv_buf *b, const char *s);
void dv_buf_printf(dv_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void dv_buf_free(dv_buf *b);

/* Bump allocator in blocks; pointers stay valid until dv_arena_free. */
typedef struct dv_arena_block dv_arena_block;
typedef struct dv_arena {
    dv_arena_block *head;
    size_t used_bytes;   /* payload handed out, for the summary */
} dv_arena;
void *dv_arena_alloc(dv_arena *a, size_t n);
char *dv_arena_strndup(dv_arena *a, const char *s, size_t n);
void dv_arena_free(dv_arena *a);

/* String -> uint32 map. Keys are borrowed: they must outlive the map.
 * Open addressing; a slot holds everything a probe compares, so a probe
 * stays in its slot (a key of up to 40 bytes is compared there, a longer
 * one read where it lives). Keys are shorter than 4 GiB (fields are
 * capped far below that). */
typedef struct dv_map_slot {
    uint64_t hash;
    const char *key;            /* NULL: empty */
    uint32_t len;
    uint32_t value;
    char inline_key[40];        /* the key itself when len <= 40 (a UUID): a probe
                                   then never leaves the slot */
} dv_map_slot;

typedef struct dv_map {
    dv_map_slot *slots;
    size_t cap, n;
} dv_map;
bool dv_map_get(const dv_map *m, const char *key, size_t len, uint32_t *value);
/* dv_map_get with the key's dv_hash_fast already known. */
bool dv_map_get_hashed(const dv_map *m, const char *key, size_t len, uint64_t hash,
                       uint32_t *value);
/* Room for n keys without growing. */
void dv_map_reserve(dv_map *m, size_t n);
/* One probe: if key[0..len) is there, *found is its value and *kept its
 * stored key (true); otherwise it is put with value, stored as a copy in
 * arena (or key itself, which must then outlive the map, when arena is
 * NULL), *found = value and *kept the stored key (false). */
bool dv_map_get_or_put(dv_map *m, const char *key, size_t len, uint32_t value, dv_arena *arena,
                       const char **kept, uint32_t *found);
/* Each record's string at key_offset (rows of size bytes) put with its
 * index as value, the first kept where a key repeats; the table's
 * random accesses fetched ahead, so that a million keys do not wait on a
 * million cache misses one after another. The keys must outlive m. */
void dv_map_index(dv_map *m, const void *rows, size_t n, size_t size, size_t key_offset);
/* Insert key; if present, leaves it and returns false with *existing set. */
bool dv_map_put(dv_map *m, const char *key, uint32_t value, uint32_t *existing);
void dv_map_free(dv_map *m);

/* Interned strings: one copy of each, in the arena. */
typedef struct dv_intern {
    dv_arena *arena;
    dv_map map;
    const char **strings;   /* by id */
    size_t n, cap;
} dv_intern;
const char *dv_intern_str(dv_intern *t, const char *s, size_t len);
void dv_intern_free(dv_intern *t);

/* 64-bit FNV-1a. Alert ids are this hash of "ITEMCODE|e0>e1>...>ek". */
uint64_t dv_hash64(const void *data, size_t len);
/* A faster 64-bit hash for values that stay inside one run (map slots,
 * duplicate search); dv_hash64 (FNV-1a) is the stable one, for alert ids. */
uint64_t dv_hash_fast(const void *data, size_t len);

/* Dates are days since 1970-01-01. DV_NO_DATE marks a missing date. */
#define DV_NO_DATE INT32_MIN
/* Parse exactly YYYY-MM-DD with a real calendar day. Returns false and a
 * reason ("month 13 does not exist") on failure. */
bool dv_parse_date(const char *s, size_t len, int32_t *days, const char **why);
/* Write YYYY-MM-DD into out (11 bytes). */
void dv_format_date(int32_t days, char out[11]);

/* Parse a decimal number >= 0: digits with an optional '.' fraction and
 * optional exponent; no sign but a leading '-' of a zero, no thousands
 * separators, nothing non-finite. */
bool dv_parse_nonneg(const char *s, size_t len, double *out, const char **why);
/* The largest quantity or value a table may hold: it keeps every sum over
 * millions of rows finite and printable. */
#define DV_MAX_NUMBER 1e15
/* Parse a number in [lo, hi]. */
bool dv_parse_range(const char *s, size_t len, double lo, double hi, double *out,
                    const char **why);
/* Shortest stable text for a quantity or value: integers without a
 * fraction, others with up to 6 decimals and no trailing zeros; from 1e15
 * on (sums only), 17 significant digits. */
void dv_format_number(double v, char out[48]);

/* Keep letters and digits, upper-cased ("8471.30" -> "847130"). Returns
 * the length written to out (out holds at least len+1 bytes). */
size_t dv_normalise_code(const char *s, size_t len, char *out);

/* True when the bytes are valid UTF-8. */
bool dv_utf8_valid(const char *s, size_t len);

/* Append s to out with every invalid UTF-8 byte replaced by U+FFFD. */
void dv_utf8_sanitize(const char *s, size_t len, dv_buf *out);

/* Append s to out as a terminal may show it without obeying it: control
 * characters (C0, DEL, and C1 as UTF-8) and the Unicode controls that
 * reorder text (bidi embeddings, overrides and isolates) escaped as \t,
 * \n, \r, \xNN or \uNNNN, bytes that are not UTF-8 as \xNN, a backslash
 * as itself. Everything divert prints that may quote input goes through
 * it, so a dataset cannot retitle, clear or rewrite the analyst's
 * terminal. */
void dv_escape_text(const char *s, size_t len, dv_buf *out);

/* ASCII white space, as isspace in the C locale. */
static inline bool dv_ascii_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* dv_trim past ASCII: the characters that show as nothing or as a plain
 * space, trimmed at either end with ASCII white space (util.c lists them). */
const char *dv_trim_unicode(const char *s, size_t *len);

/* Trim white space: returns the start, *len updated. White space is ASCII
 * white space and, at either end, the Unicode characters a reader cannot
 * see or cannot tell from a space: no-break and the other Unicode spaces,
 * zero-width space, joiners and word joiner, soft hyphen, and a
 * byte-order mark inside a field. An id pasted with one is the same id,
 * and looks it. The controls that reorder text stay: without them the
 * field would not read as it shows. Inline, because every field of every row is
 * trimmed: a field that begins and ends in ASCII costs one more test. */
static inline const char *dv_trim(const char *s, size_t *len)
{
    size_t n = *len;
    while (n && dv_ascii_space((unsigned char)*s)) s++, n--;
    while (n && dv_ascii_space((unsigned char)s[n - 1])) n--;
    *len = n;
    if (n && (((unsigned char)s[0] | (unsigned char)s[n - 1]) & 0x80)) return dv_trim_unicode(s, len);
    return s;
}

/* Case-insensitive ASCII equality of a counted string with a C string. */
bool dv_ieq(const char *s, size_t len, const char *word);

/* Edit distance of two strings, a swap of neighbours counting as one edit
 * (optimal string alignment); at most the first 64 bytes of each count. */
size_t dv_edit_distance(const char *a, size_t la, const char *b, size_t lb);

/* The name nearest to a mistyped word, among candidates tried one by one
 * ("did you mean --window?"): near enough when a few edits apart, and
 * not when two candidates are equally near; failing that, the one
 * candidate the word begins (three letters at least: "window" for
 * window_days). */
typedef struct dv_nearest {
    const char *word;
    char best[64];
    size_t distance;   /* of best; SIZE_MAX before any candidate */
    bool tie;          /* another candidate is as near */
    char prefixed[64]; /* a candidate that starts with the word */
    size_t n_prefixed; /* how many do */
} dv_nearest;
void dv_nearest_init(dv_nearest *n, const char *word);
void dv_nearest_try(dv_nearest *n, const char *candidate);
/* The nearest candidate (a copy in n), or NULL when none is near enough. */
const char *dv_nearest_result(const dv_nearest *n);

/* Seconds on a monotonic clock. */
double dv_now(void);

#endif
