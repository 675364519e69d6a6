/*
 * util.c: errors, allocation, buffers, arenas, maps, interned strings, and
 * the parsers of the data contract's value types. See util.h.
 */
#define _POSIX_C_SOURCE 200809L
#include "divert/util.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>
#include <string.h>
#include <time.h>

int dv_fail(dv_error *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return code;
}

static size_t memory_limit_mb; /* 0: none set by divert */

void dv_out_of_memory(size_t n)
{
    if (memory_limit_mb)
        fprintf(stderr,
                "divert: out of memory: %zu more bytes would go past the limit of %zu MB "
                "(--max-memory, by default the machine's memory); split the dataset by item "
                "entry, or raise the limit\n",
                n, memory_limit_mb);
    else
        fprintf(stderr, "divert: out of memory (asked for %zu bytes)\n", n);
    exit(DV_EXIT_INTERNAL);
}

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define DV_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define DV_SANITIZED 1
#endif
#endif

bool dv_set_memory_limit(size_t mb)
{
#ifdef DV_SANITIZED
    (void)mb; /* the sanitizers reserve terabytes of address space */
    return false;
#else
    if (!mb) {
        long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
        if (pages <= 0 || size <= 0) return false;
        mb = (size_t)pages / (1024 * 1024 / (size_t)size);
    }
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) != 0) return false;
    rlim_t want = (rlim_t)mb * 1024 * 1024;
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur <= want) {
        memory_limit_mb = (size_t)(rl.rlim_cur / (1024 * 1024)); /* a lower limit stays */
        return true;
    }
    if (rl.rlim_max != RLIM_INFINITY && want > rl.rlim_max) want = rl.rlim_max;
    rl.rlim_cur = want;
    if (setrlimit(RLIMIT_AS, &rl) != 0) return false;
    memory_limit_mb = (size_t)(want / (1024 * 1024));
    return true;
#endif
}

void *dv_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) dv_out_of_memory(n);
    return p;
}

void *dv_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) dv_out_of_memory(n * size);
    return p;
}

void *dv_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) dv_out_of_memory(n);
    return q;
}

char *dv_xstrdup(const char *s) { return dv_xstrndup(s, strlen(s)); }

char *dv_xstrndup(const char *s, size_t n)
{
    char *p = dv_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *dv_xvasprintf(const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *p = dv_xmalloc((size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, again);
    va_end(again);
    return p;
}

char *dv_xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = dv_xvasprintf(fmt, ap);
    va_end(ap);
    return p;
}

void dv_grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) return;
    size_t ncap = *cap ? *cap : 8;
    while (ncap < need) ncap *= 2;
    *arr = dv_xrealloc(*arr, ncap * elem);
    *cap = ncap;
}

void dv_qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n > 1) qsort(base, n, size, cmp);
}

void dv_sort_keyed(dv_keyed *a, size_t n)
{
    if (n < 2) return;
    if (n < 64) { /* insertion sort: stable, and cheaper than the passes */
        for (size_t i = 1; i < n; i++) {
            dv_keyed x = a[i];
            size_t j = i;
            while (j > 0 && a[j - 1].key > x.key) a[j] = a[j - 1], j--;
            a[j] = x;
        }
        return;
    }
    /* six passes of 11 bits; one pass over the keys counts all six */
    enum { BITS = 11, PASSES = 6, RADIX = 1 << BITS };
    size_t(*count)[RADIX] = dv_xcalloc(PASSES, sizeof *count);
    for (size_t i = 0; i < n; i++)
        for (int d = 0; d < PASSES; d++) count[d][(a[i].key >> (BITS * d)) & (RADIX - 1)]++;
    dv_keyed *tmp = dv_xmalloc(n * sizeof *tmp), *src = a, *dst = tmp;
    for (int d = 0; d < PASSES; d++) {
        size_t *c = count[d];
        int shift = BITS * d;
        if (c[(src[0].key >> shift) & (RADIX - 1)] == n) continue; /* one value: nothing to do */
        size_t sum = 0;
        for (int v = 0; v < RADIX; v++) {
            size_t k = c[v];
            c[v] = sum;
            sum += k;
        }
        for (size_t i = 0; i < n; i++) dst[c[(src[i].key >> shift) & (RADIX - 1)]++] = src[i];
        dv_keyed *t = src;
        src = dst;
        dst = t;
    }
    if (src != a) memcpy(a, src, n * sizeof *a);
    free(tmp);
    free(count);
}

static const char *key_at(const void *rows, size_t i, size_t size, size_t off)
{
    const char *k;
    memcpy(&k, (const char *)rows + i * size + off, sizeof k);
    return k;
}

void dv_sort_by_string(void *rows, size_t n, size_t size, size_t key_offset,
                       int (*cmp)(const void *, const void *))
{
    if (n < 2) return;
    /* the prefix every key shares orders nothing */
    const char *first = key_at(rows, 0, size, key_offset);
    size_t lcp = strlen(first);
    for (size_t i = 1; i < n && lcp; i++) {
        const char *k = key_at(rows, i, size, key_offset);
        size_t j = 0;
        while (j < lcp && k[j] == first[j]) j++;
        lcp = j;
    }
    dv_keyed *k = dv_xmalloc(n * sizeof *k);
    for (size_t i = 0; i < n; i++) {
        const unsigned char *s = (const unsigned char *)key_at(rows, i, size, key_offset) + lcp;
        uint64_t v = 0;
        int j = 0;
        for (; j < 8 && s[j]; j++) v = v << 8 | s[j]; /* big-endian: byte order is strcmp's */
        if (j < 8) v = j ? v << (8 * (8 - j)) : 0; /* a shorter key: zeros after, as strcmp */
        k[i] = (dv_keyed){v, (uint32_t)i, 0};
    }
    dv_sort_keyed(k, n);
    char *out = dv_xmalloc(n * size);
    for (size_t i = 0; i < n; i++) memcpy(out + i * size, (char *)rows + (size_t)k[i].row * size, size);
    for (size_t a = 0; a < n;) { /* runs that share the 8 bytes: by the whole key */
        size_t b = a + 1;
        while (b < n && k[b].key == k[a].key) b++;
        if (b - a > 1) dv_qsort(out + a * size, b - a, size, cmp);
        a = b;
    }
    memcpy(rows, out, n * size);
    free(out);
    free(k);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Put the k-th smallest of v[0..n) at v[k], smaller or equal ones before
 * it and greater or equal ones after (quickselect: linear on average; a
 * full sort when the partitions keep coming out lopsided). */
static void select_kth(double *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n, rounds = 0, limit = 64;
    while (hi - lo > 16) {
        if (++rounds > limit) {
            dv_qsort(v + lo, hi - lo, sizeof *v, cmp_double);
            return;
        }
        size_t mid = lo + (hi - lo) / 2;
        double a = v[lo], b = v[mid], c = v[hi - 1];
        double pivot = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
        /* three-way partition: < pivot, == pivot, > pivot */
        size_t lt = lo, i = lo, gt = hi;
        while (i < gt) {
            if (v[i] < pivot) {
                double t = v[i];
                v[i++] = v[lt];
                v[lt++] = t;
            } else if (v[i] > pivot) {
                double t = v[i];
                v[i] = v[--gt];
                v[gt] = t;
            } else {
                i++;
            }
        }
        if (k < lt) hi = lt;
        else if (k >= gt) lo = gt;
        else return;
    }
    dv_qsort(v + lo, hi - lo, sizeof *v, cmp_double);
}

double dv_median(double *v, size_t n)
{
    size_t k = n / 2;
    select_kth(v, n, k);
    if (n % 2) return v[k];
    double below = v[0];
    for (size_t i = 1; i < k; i++)
        if (v[i] > below) below = v[i];
    return (below + v[k]) / 2;
}

void dv_buf_add(dv_buf *b, const char *s, size_t n)
{
    dv_grow((void **)&b->data, &b->cap, b->len + n + 1, 1);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void dv_buf_puts(dv_buf *b, const char *s) { dv_buf_add(b, s, strlen(s)); }

void dv_buf_printf(dv_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    dv_grow((void **)&b->data, &b->cap, b->len + (size_t)n + 1, 1);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void dv_buf_free(dv_buf *b)
{
    if (!b) return;
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* ---- arena ---- */

struct dv_arena_block {
    dv_arena_block *next;
    size_t used, size;
    max_align_t data[];
};

enum { ARENA_BLOCK = 1 << 20, ARENA_BLOCK_MAX = 32 << 20 };

/* n bytes aligned to align (a power of two) in the current block, or in a
 * new one; blocks double from 1 MiB to 32 MiB as the arena grows, so a
 * dataset of millions of strings takes few of them. (Transparent huge
 * pages, asked for with madvise, halved the page faults of a load but made
 * the graph stage of ten million rows eight times slower: the kernel
 * compacted memory on faults. Not used.) */
static void *arena_take(dv_arena *a, size_t n, size_t align)
{
    dv_arena_block *b = a->head;
    size_t at = b ? (b->used + align - 1) & ~(align - 1) : 0;
    if (!b || at + n > b->size) {
        size_t grown = b ? b->size * 2 : ARENA_BLOCK;
        if (grown > ARENA_BLOCK_MAX) grown = ARENA_BLOCK_MAX;
        size_t size = n > grown ? n : grown;
        b = dv_xmalloc(sizeof *b + size);
        b->used = 0;
        b->size = size;
        b->next = a->head;
        a->head = b;
        at = 0;
    }
    void *p = (char *)b->data + at;
    b->used = at + n;
    a->used_bytes += n;
    return p;
}

void *dv_arena_alloc(dv_arena *a, size_t n)
{
    return arena_take(a, n, sizeof(max_align_t));
}

char *dv_arena_strndup(dv_arena *a, const char *s, size_t n)
{
    char *p = arena_take(a, n + 1, 1); /* text needs no alignment */
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void dv_arena_free(dv_arena *a)
{
    if (!a) return;
    dv_arena_block *b = a->head;
    while (b) {
        dv_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->used_bytes = 0;
}

/* ---- hash map ---- */

uint64_t dv_hash64(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* Eight bytes a step, then a final mix: several times faster than FNV-1a
 * on the 20- to 36-byte ids of real data. Its values stay inside a run
 * (map slots, the loader's duplicate search), so it may change. */
static inline uint64_t fmix(uint64_t x)
{
    x ^= x >> 32;
    x *= 0xd6e8feb86659fd93ULL;
    x ^= x >> 32;
    x *= 0xd6e8feb86659fd93ULL;
    return x ^ (x >> 32);
}

uint64_t dv_hash_fast(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ ((uint64_t)len * 0xff51afd7ed558ccdULL);
    for (; len >= 8; p += 8, len -= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * 0x9fb21c651e98df25ULL;
        h ^= h >> 29;
    }
    uint64_t w = 0;
    for (size_t i = 0; i < len; i++) w |= (uint64_t)p[i] << (8 * i);
    return fmix(h ^ w);
}

static bool map_find(const dv_map *m, const char *key, size_t len, uint64_t h, size_t *slot)
{
    size_t mask = m->cap - 1;
    size_t i = (size_t)h & mask;
    for (;;) {
        const dv_map_slot *e = &m->slots[i];
        if (!e->key) {
            *slot = i;
            return false;
        }
        if (e->hash == h && e->len == len &&
            memcmp(len <= sizeof e->inline_key ? e->inline_key : e->key, key, len) == 0) {
            *slot = i;
            return true;
        }
        i = (i + 1) & mask;
    }
}

static void map_resize(dv_map *m, size_t ncap)
{
    dv_map fresh = {dv_xcalloc(ncap, sizeof(dv_map_slot)), ncap, 0};
    for (size_t i = 0; i < m->cap; i++) {
        const dv_map_slot *e = &m->slots[i];
        if (!e->key) continue;
        size_t slot;
        map_find(&fresh, e->key, e->len, e->hash, &slot);
        fresh.slots[slot] = *e;
        fresh.n++;
    }
    dv_map_free(m);
    *m = fresh;
}

bool dv_map_get_hashed(const dv_map *m, const char *key, size_t len, uint64_t hash,
                       uint32_t *value)
{
    if (!m->cap) return false;
    size_t slot;
    if (!map_find(m, key, len, hash, &slot)) return false;
    if (value) *value = m->slots[slot].value;
    return true;
}

bool dv_map_get(const dv_map *m, const char *key, size_t len, uint32_t *value)
{
    return dv_map_get_hashed(m, key, len, dv_hash_fast(key, len), value);
}

void dv_map_reserve(dv_map *m, size_t n)
{
    size_t cap = 64;
    while (cap < 2 * n) cap *= 2;
    if (cap > m->cap) map_resize(m, cap);
}

bool dv_map_put(dv_map *m, const char *key, uint32_t value, uint32_t *existing)
{
    const char *kept;
    uint32_t found;
    bool present = dv_map_get_or_put(m, key, strlen(key), value, NULL, &kept, &found);
    if (present && existing) *existing = found;
    return !present;
}

static bool map_get_or_put(dv_map *m, const char *key, size_t len, uint64_t h, uint32_t value,
                           dv_arena *arena, const char **kept, uint32_t *found)
{
    if ((m->n + 1) * 2 > m->cap) map_resize(m, m->cap ? m->cap * 2 : 64);
    size_t slot;
    if (map_find(m, key, len, h, &slot)) {
        *found = m->slots[slot].value;
        *kept = m->slots[slot].key;
        return true;
    }
    const char *copy = arena ? dv_arena_strndup(arena, key, len) : key;
    dv_map_slot *e = &m->slots[slot];
    *e = (dv_map_slot){h, copy, (uint32_t)len, value, {0}};
    if (len <= sizeof e->inline_key) memcpy(e->inline_key, key, len);
    m->n++;
    *found = value;
    *kept = copy;
    return false;
}

bool dv_map_get_or_put(dv_map *m, const char *key, size_t len, uint32_t value, dv_arena *arena,
                       const char **kept, uint32_t *found)
{
    return map_get_or_put(m, key, len, dv_hash_fast(key, len), value, arena, kept, found);
}

void dv_map_index(dv_map *m, const void *rows, size_t n, size_t size, size_t key_offset)
{
    enum { AHEAD = 16 }; /* keys hashed and their slots fetched this far ahead */
    dv_map_reserve(m, m->n + n);
    uint64_t hash[AHEAD];
    size_t len[AHEAD];
    for (size_t i = 0; i < n + AHEAD; i++) {
        size_t at = i % AHEAD; /* row i - AHEAD's place, then row i's */
        if (i >= AHEAD) {
            size_t r = i - AHEAD;
            const char *kept;
            uint32_t found;
            map_get_or_put(m, key_at(rows, r, size, key_offset), len[at], hash[at], (uint32_t)r,
                           NULL, &kept, &found);
        }
        if (i < n) { /* the key AHEAD rows on: hashed, its slot fetched */
            const char *k = key_at(rows, i, size, key_offset);
            len[at] = strlen(k);
            hash[at] = dv_hash_fast(k, len[at]);
            __builtin_prefetch(&m->slots[hash[at] & (m->cap - 1)], 1);
        }
    }
}

void dv_map_free(dv_map *m)
{
    if (!m) return;
    free(m->slots);
    memset(m, 0, sizeof *m);
}

const char *dv_intern_str(dv_intern *t, const char *s, size_t len)
{
    uint32_t id;
    const char *kept;
    /* one probe: found, or copied into the arena and put where it ended */
    if (!dv_map_get_or_put(&t->map, s, len, (uint32_t)t->n, t->arena, &kept, &id))
        DV_PUSH(t->strings, t->n, t->cap, kept);
    return kept;
}

void dv_intern_free(dv_intern *t)
{
    if (!t) return;
    dv_map_free(&t->map);
    free(t->strings);
    t->strings = NULL;
    t->n = t->cap = 0;
}

/* ---- dates ---- */

static bool is_leap(long y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int month_days(long y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date, counting in eras of
 * 400 years (146097 days) so the arithmetic stays in integers. */
static int32_t days_from_civil(long y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + doe - 719468);
}

bool dv_parse_date(const char *s, size_t len, int32_t *days, const char **why)
{
    if (len != 10 || s[4] != '-' || s[7] != '-') {
        *why = "is not a date in the form YYYY-MM-DD";
        return false;
    }
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7) continue;
        if (!isdigit((unsigned char)s[i])) {
            *why = "is not a date in the form YYYY-MM-DD";
            return false;
        }
    }
    long y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1900) {
        *why = "has a year before 1900";
        return false;
    }
    if (m < 1 || m > 12) {
        *why = "has no such month";
        return false;
    }
    if (d < 1 || d > month_days(y, m)) {
        *why = "does not exist";
        return false;
    }
    *days = days_from_civil(y, m, d);
    return true;
}

void dv_format_date(int32_t days, char out[11])
{
    if (days == DV_NO_DATE) {
        out[0] = '\0';
        return;
    }
    long z = (long)days + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%04ld-%02ld-%02ld", y % 10000, m % 100, d % 100);
    memcpy(out, tmp, 10);
    out[10] = '\0';
}

/* ---- numbers ---- */

bool dv_parse_nonneg(const char *s, size_t len, double *out, const char **why)
{
    size_t i = 0;
    bool negative = false;
    if (len == 0) {
        *why = "is empty";
        return false;
    }
    if (s[0] == '-') {
        negative = true;
        i++;
    }
    size_t digits = 0;
    while (i < len && isdigit((unsigned char)s[i])) i++, digits++;
    if (i < len && s[i] == '.') {
        i++;
        while (i < len && isdigit((unsigned char)s[i])) i++, digits++;
    }
    if (digits && i < len && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        if (j < len && (s[j] == '+' || s[j] == '-')) j++;
        size_t exp_digits = 0;
        while (j < len && isdigit((unsigned char)s[j])) j++, exp_digits++;
        if (exp_digits) i = j;
    }
    if (!digits || i != len) {
        bool comma = memchr(s, ',', len) != NULL;
        *why = comma ? "is not a number (use '.' for decimals and no thousands separators)"
                     : "is not a number";
        return false;
    }
    /* Most numbers are plain digits with a short fraction. With up to 15
     * significant digits and 16 decimals, the integer and the power of ten
     * are exact doubles, so their quotient is correctly rounded: the very
     * double strtod gives, without its cost. */
    if (!negative && len <= 16 && i == len) {
        uint64_t m = 0;
        int sig = 0, frac = -1;
        bool simple = true;
        for (size_t k = 0; k < len && simple; k++) {
            char c = s[k];
            if (c == '.') frac = 0;
            else if (c >= '0' && c <= '9') {
                m = m * 10 + (uint64_t)(c - '0');
                if (m) sig++;
                if (frac >= 0) frac++;
            } else simple = false; /* an exponent */
        }
        if (simple && sig <= 15) {
            static const double pow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8,
                                           1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16};
            *out = frac > 0 ? (double)m / pow10[frac] : (double)m;
            return true;
        }
    }
    char tmp[128];
    if (len >= sizeof tmp) {
        *why = "is too long for a number";
        return false;
    }
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    errno = 0;
    double v = strtod(tmp, NULL);
    if (!isfinite(v) || (errno == ERANGE && fabs(v) > 1.0)) {
        *why = "is out of range";
        return false;
    }
    if (v == 0.0) v = 0.0; /* -0 and underflow read as 0 */
    if (negative && v != 0.0) {
        *why = "is negative";
        return false;
    }
    *out = v;
    return true;
}

bool dv_parse_range(const char *s, size_t len, double lo, double hi, double *out,
                    const char **why)
{
    double v;
    if (!dv_parse_nonneg(s, len, &v, why)) return false;
    if (v < lo || v > hi) {
        *why = "is outside the allowed range";
        return false;
    }
    *out = v;
    return true;
}

void dv_format_number(double v, char out[48])
{
    if (v == floor(v) && fabs(v) < 1e15) {
        snprintf(out, 48, "%.0f", v);
        return;
    }
    if (!(fabs(v) < 1e15)) { /* sums of large values; and never overflow out */
        snprintf(out, 48, "%.17g", v);
        return;
    }
    snprintf(out, 48, "%.6f", v);
    char *dot = strchr(out, '.');
    if (dot) {
        char *end = out + strlen(out) - 1;
        while (end > dot && *end == '0') *end-- = '\0';
        if (end == dot) *end = '\0';
    }
}

size_t dv_normalise_code(const char *s, size_t len, char *out)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 128 && isalnum(c)) out[n++] = (char)toupper(c);
    }
    out[n] = '\0';
    return n;
}

bool dv_utf8_valid(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        /* ASCII runs, eight bytes at a time */
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (w & 0x8080808080808080ULL) break;
            i += 8;
        }
        if (i >= len) break;
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        uint32_t cp;
        if (c >= 0xC2 && c <= 0xDF) n = 1, cp = c & 0x1F;
        else if (c >= 0xE0 && c <= 0xEF) n = 2, cp = c & 0x0F;
        else if (c >= 0xF0 && c <= 0xF4) n = 3, cp = c & 0x07;
        else return false;
        for (size_t k = 1; k <= n; k++) {
            if (i + k >= len || (s[i + k] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += n + 1;
    }
    return true;
}

void dv_escape_text(const char *s, size_t len, dv_buf *out)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7F) {
            size_t j = i + 1; /* a run of printable ASCII at once */
            while (j < len && (unsigned char)s[j] >= 0x20 && (unsigned char)s[j] < 0x7F) j++;
            dv_buf_add(out, s + i, j - i);
            i = j;
            continue;
        }
        if (c == '\t' || c == '\n' || c == '\r') {
            dv_buf_add(out, c == '\t' ? "\\t" : c == '\n' ? "\\n" : "\\r", 2);
            i++;
            continue;
        }
        size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        if (c < 0x80 || i + n > len || !dv_utf8_valid(s + i, n)) {
            dv_buf_printf(out, "\\x%02x", c); /* C0, DEL, or not UTF-8 */
            i++;
            continue;
        }
        uint32_t cp = n == 2 ? (uint32_t)(c & 0x1F) << 6 | (s[i + 1] & 0x3F)
                    : n == 3 ? (uint32_t)(c & 0x0F) << 12 | (uint32_t)(s[i + 1] & 0x3F) << 6 |
                                   (s[i + 2] & 0x3F)
                             : 0x10000; /* four bytes: nothing to escape there */
        bool control = (cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
                       (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F ||
                       cp == 0x061C;
        if (control) dv_buf_printf(out, "\\u%04x", (unsigned)cp);
        else dv_buf_add(out, s + i, n);
        i += n;
    }
    dv_buf_add(out, "", 0); /* terminated even when nothing was added */
}

void dv_utf8_sanitize(const char *s, size_t len, dv_buf *out)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        if (i + n <= len && dv_utf8_valid(s + i, n)) {
            dv_buf_add(out, s + i, n);
            i += n;
        } else {
            dv_buf_add(out, "\xEF\xBF\xBD", 3);
            i++;
        }
    }
    if (!out->data) dv_buf_add(out, "", 0);
}

/* The invisible characters dv_trim takes off the ends of a field, as the
 * bytes of their UTF-8 (three bytes in one number, big-endian): Unicode's
 * White_Space beyond ASCII, and the format characters that print as
 * nothing and move nothing. Not among them: the controls that reorder
 * text (U+200E-200F marks, U+202A-202E embeddings and overrides,
 * U+2066-2069 isolates, U+206A-206F), because without one a field reads
 * otherwise than it shows (U+202E before "UR" shows "RU"), and variation
 * selectors and combining marks, which change the character before them. */
static bool invisible3(uint32_t c)
{
    return c == 0xE19A80                          /* U+1680 ogham space mark */
           || c == 0xE1A08E                       /* U+180E Mongolian vowel separator */
           || (c >= 0xE28080 && c <= 0xE2808D)    /* U+2000-200A spaces, 200B zero-width
                                                     space, 200C-D joiners */
           || c == 0xE280A8 || c == 0xE280A9      /* U+2028-9 line, paragraph separator */
           || c == 0xE280AF                       /* U+202F narrow no-break space */
           || (c >= 0xE2819F && c <= 0xE281A4)    /* U+205F math space, 2060 word joiner,
                                                     2061-4 invisible operators */
           || c == 0xE38080                       /* U+3000 ideographic space */
           || c == 0xEFBBBF;                      /* U+FEFF byte-order mark */
}

static bool invisible2(unsigned char lead, unsigned char c)
{
    return lead == 0xC2 && (c == 0x85 || c == 0xA0 || c == 0xAD); /* NEL, NBSP, soft hyphen */
}

/* The length of the invisible character s starts with (n bytes), or 0. */
static size_t invisible_at(const unsigned char *s, size_t n)
{
    if (n >= 2 && invisible2(s[0], s[1])) return 2;
    if (n >= 3 && invisible3((uint32_t)s[0] << 16 | (uint32_t)s[1] << 8 | s[2])) return 3;
    return 0;
}

/* The length of the invisible character s (n bytes) ends with, or 0. */
static size_t invisible_before(const unsigned char *s, size_t n)
{
    if (n >= 2 && invisible2(s[n - 2], s[n - 1])) return 2;
    if (n >= 3 && invisible3((uint32_t)s[n - 3] << 16 | (uint32_t)s[n - 2] << 8 | s[n - 1]))
        return 3;
    return 0;
}

const char *dv_trim_unicode(const char *s, size_t *len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = *len, k;
    for (;;) {
        if (n && dv_ascii_space(*u)) u++, n--;
        else if ((k = invisible_at(u, n))) u += k, n -= k;
        else break;
    }
    for (;;) {
        if (n && dv_ascii_space(u[n - 1])) n--;
        else if ((k = invisible_before(u, n))) n -= k;
        else break;
    }
    *len = n;
    return (const char *)u;
}

bool dv_ieq(const char *s, size_t len, const char *word)
{
    size_t wl = strlen(word);
    if (wl != len) return false;
    for (size_t i = 0; i < len; i++)
        if (tolower((unsigned char)s[i]) != tolower((unsigned char)word[i])) return false;
    return true;
}

size_t dv_edit_distance(const char *a, size_t la, const char *b, size_t lb)
{
    if (la > 64) la = 64;
    if (lb > 64) lb = 64;
    size_t d[3][65], *two = d[0], *prev = d[1], *row = d[2];
    for (size_t j = 0; j <= lb; j++) prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t best = prev[j - 1] + (a[i - 1] != b[j - 1]);
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            if (prev[j] + 1 < best) best = prev[j] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && two[j - 2] + 1 < best)
                best = two[j - 2] + 1;
            row[j] = best;
        }
        size_t *t = two;
        two = prev, prev = row, row = t;
    }
    return prev[lb];
}

void dv_nearest_init(dv_nearest *n, const char *word)
{
    n->word = word;
    n->best[0] = '\0';
    n->distance = SIZE_MAX;
    n->tie = false;
    n->prefixed[0] = '\0';
    n->n_prefixed = 0;
}

void dv_nearest_try(dv_nearest *n, const char *candidate)
{
    size_t len = strlen(candidate), wl = strlen(n->word);
    if (len >= sizeof n->best) return;
    if (wl >= 3 && wl < len && !strncmp(candidate, n->word, wl) && strcmp(candidate, n->prefixed)) {
        n->n_prefixed++;
        memcpy(n->prefixed, candidate, len + 1);
    }
    size_t d = dv_edit_distance(n->word, strlen(n->word), candidate, len);
    if (d < n->distance) {
        n->distance = d;
        n->tie = false;
        memcpy(n->best, candidate, len + 1);
    } else if (d == n->distance && strcmp(candidate, n->best) != 0) {
        n->tie = true;
    }
}

const char *dv_nearest_result(const dv_nearest *n)
{
    /* a third of the letters wrong at most, and one edit even in a short
     * word: "--windw" is --window, "--x" is nothing */
    size_t len = strlen(n->word), most = len / 3 > 1 ? len / 3 : 1;
    if (n->distance == 0) return NULL; /* not a typo */
    if (n->distance <= most && !n->tie && n->best[0]) return n->best;
    return n->n_prefixed == 1 ? n->prefixed : NULL;
}

double dv_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
