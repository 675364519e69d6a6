/*
 * shard.c: a dataset split by item entry into shard datasets (shard.h).
 *
 * Two streaming passes over shipments.csv: the first counts each item
 * entry's rows and files the ids of the rows that load by hash, to find
 * the ids whose copies differ; the second writes every row to the gzip
 * stream of its entry's shard, on the physical line it had, and finds
 * each party's first trade.
 * The other tables are copied whole into every shard (gzip), each shard
 * gets its divert-shard.csv, and the set its manifest.json; all of it is
 * written into a temporary directory beside --out and renamed into place.
 */
#define _POSIX_C_SOURCE 200809L
#include "divert/shard.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "divert/csvread.h"
#include "divert/digest.h"
#include "divert/loader.h"
#include "divert/msgs.h"
#include "divert/report.h"

/* The shipments columns the first pass reads, by the SPEC's names. */
enum { C_ID, C_DATE, C_SHIPPER, C_CONSIGNEE, C_ITEM, C_QUANTITY, C_VALUE, C_DECLARED, C_COUNT };
static const char *const column_names[C_COUNT] = {
    [C_ID] = "id",           [C_DATE] = "date",         [C_SHIPPER] = "shipper_id",
    [C_CONSIGNEE] = "consignee_id", [C_ITEM] = "item", [C_QUANTITY] = "quantity",
    [C_VALUE] = "value",     [C_DECLARED] = "declared_end_user_id"};
static const bool column_required[C_COUNT] = {
    [C_ID] = true, [C_DATE] = true, [C_SHIPPER] = true, [C_CONSIGNEE] = true,
    [C_ITEM] = true, [C_QUANTITY] = true};

/* A group of rows that go to one shard: an item entry, or (group 0) the
 * rows of no item entry, which no route can join. */
typedef struct group {
    uint32_t item;               /* items row, DV_NONE for group 0 */
    unsigned long long rows;
    int shard;                   /* 0-based */
} group;

typedef struct shard_out {
    char *dir;                   /* the shard's directory (under the temporary one) */
    gzFile gz;                   /* its shipments.csv.gz while the second pass writes */
    long line;                   /* the physical line the next byte written is on */
    unsigned long long rows, load;
    bool alone;                  /* holds one entry above the fair share */
    size_t n_entries;
} shard_out;

typedef struct splitter {
    const dv_dataset *ds;        /* every table but the shipments */
    const char *name;            /* shipments file, for messages */
    int col[C_COUNT];            /* field index, -1 when absent */
    size_t header_fields;
    bool have_header;
    group *groups;               /* [0]: no entry; [1 + items row]: that entry */
    int32_t *first;              /* by entity row: first trade of a row that loads, or INT32_MAX */
    shard_out *shards;
    int n_shards;
    bool writing;                /* the second pass */
    dv_buf row;                  /* a row re-written */
    dv_error *err;
    /* the first pass: each row that loads as an id record, into one of
     * N_BUCKETS temporary files by its id's hash (the ids of every row
     * never sit in memory together) */
    FILE *bucket[256];
    char *bucket_dir;
    /* ids whose copies differ: every copy is rejected (dataset.h), so
     * all go to one shard and none counts for a first trade; sorted */
    struct dup_id *dups;
    size_t n_dups, cap_dups;
} splitter;

#define N_BUCKETS 256

/* A row that loads, by its id: the first pass's record of it. */
typedef struct id_rec {
    uint64_t h;                  /* dv_hash_fast of the trimmed id */
    uint64_t rec;                /* the hash of its fields, as the loader's */
    uint32_t h2;                 /* a second hash of the id (FNV-1a), so that two
                                    ids are one only when 96 bits agree */
    uint32_t group;
} id_rec;

typedef struct dup_id {
    uint64_t h;
    uint32_t h2;
    uint32_t group;              /* the lowest group of its copies: their shard's */
} dup_id;

/* ---- CSV out ---- */

static void csv_cell(dv_buf *b, const char *s, size_t len)
{
    bool quote = len && (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' || s[len - 1] == '\t');
    for (size_t i = 0; i < len && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    if (!quote) {
        dv_buf_add(b, s, len);
        return;
    }
    dv_buf_add(b, "\"", 1);
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"') dv_buf_add(b, "\"", 1);
        dv_buf_add(b, s + i, 1);
    }
    dv_buf_add(b, "\"", 1);
}

/* The row as one CSV record ending in LF; returns the line breaks it holds. */
static long csv_record(dv_buf *b, const dv_csv_row *row)
{
    b->len = 0;
    long breaks = 0;
    for (size_t i = 0; i < row->nfields; i++) {
        if (i) dv_buf_add(b, ",", 1);
        csv_cell(b, row->fields[i], row->lens[i]);
        for (size_t k = 0; k < row->lens[i]; k++) breaks += row->fields[i][k] == '\n';
    }
    /* one empty field alone would be a blank line, which the reader skips */
    if (row->nfields == 1 && row->lens[0] == 0) dv_buf_add(b, "\"\"", 2);
    dv_buf_add(b, "\n", 1);
    return breaks;
}

/* ---- the two passes ---- */

static uint32_t entry_of(const splitter *s, const dv_csv_row *row)
{
    int c = s->col[C_ITEM];
    if (c < 0 || (size_t)c >= row->nfields) return DV_NONE;
    size_t len = row->lens[c];
    const char *t = dv_trim(row->fields[c], &len);
    char code[256];
    if (!len || len >= 256 || dv_normalise_code(t, len, code) == 0) return DV_NONE;
    return dv_item_lookup(s->ds, code);
}

static dv_field field_of(const splitter *s, const dv_csv_row *row, int col)
{
    dv_field f = {"", 0, 0};
    int c = s->col[col];
    if (c < 0 || (size_t)c >= row->nfields) return f;
    f.len = row->lens[c];
    f.s = dv_trim(row->fields[c], &f.len);
    return f;
}

static uint32_t entity_of(const splitter *s, dv_field f)
{
    char *id = dv_xstrndup(f.s, f.len);
    uint32_t row = dv_entity_find(s->ds, id);
    free(id);
    return row;
}

/* The checks of the shipments' parser (tables.c) that decide whether a
 * row loads, duplicated ids aside: for the parties' first trades (a
 * whole-dataset figure that a shard's own rows may not reach) and for
 * the duplicate check, which compares only the copies that load. */
static bool row_loads(const splitter *s, const dv_csv_row *row, uint32_t *from, uint32_t *to,
                      int32_t *day)
{
    if (row->nfields != s->header_fields || row->invalid_utf8) return false;
    for (int c = 0; c < C_COUNT; c++)
        if (column_required[c] && !field_of(s, row, c).len) return false;
    dv_field date = field_of(s, row, C_DATE), shipper = field_of(s, row, C_SHIPPER),
             consignee = field_of(s, row, C_CONSIGNEE), declared = field_of(s, row, C_DECLARED);
    double v;
    const char *why;
    if (!dv_parse_date(date.s, date.len, day, &why)) return false;
    for (int c = C_QUANTITY; c <= C_VALUE; c++) {
        dv_field f = field_of(s, row, c);
        if (f.len && (!dv_parse_nonneg(f.s, f.len, &v, &why) || v > DV_MAX_NUMBER)) return false;
    }
    dv_field item = field_of(s, row, C_ITEM);
    char code[256];
    if (item.len >= 256 || dv_normalise_code(item.s, item.len, code) == 0) return false;
    if (shipper.len == consignee.len && !memcmp(shipper.s, consignee.s, shipper.len)) return false;
    *from = entity_of(s, shipper);
    *to = entity_of(s, consignee);
    if (*from == DV_NONE || *to == DV_NONE) return false;
    if (declared.len && entity_of(s, declared) == DV_NONE) return false;
    return true;
}

static void id_hashes(const splitter *s, const dv_csv_row *row, uint64_t *h, uint32_t *h2)
{
    dv_field id = field_of(s, row, C_ID);
    *h = dv_hash_fast(id.s, id.len);
    *h2 = (uint32_t)dv_hash64(id.s, id.len);
}

/* The loader's hash of a row's fields (loader.c, row_hash): identical
 * copies of an id have equal ones. */
static uint64_t fields_hash(const dv_csv_row *row)
{
    uint64_t h = 0;
    for (size_t i = 0; i < row->nfields; i++) h = h * 0x9E3779B97F4A7C15ULL ^ row->hashes[i];
    return h;
}

static int cmp_dup(const void *a, const void *b)
{
    const dup_id *x = a, *y = b;
    if (x->h != y->h) return x->h < y->h ? -1 : 1;
    return (x->h2 > y->h2) - (x->h2 < y->h2);
}

static const dup_id *find_dup(const splitter *s, uint64_t h, uint32_t h2)
{
    dup_id key = {h, h2, 0};
    return s->n_dups ? bsearch(&key, s->dups, s->n_dups, sizeof key, cmp_dup) : NULL;
}

static int pad_to(splitter *s, shard_out *o, long line)
{
    static char newlines[4096];
    if (!newlines[0]) memset(newlines, '\n', sizeof newlines);
    while (o->line < line) {
        long k = line - o->line;
        if (k > (long)sizeof newlines) k = sizeof newlines;
        if (gzwrite(o->gz, newlines, (unsigned)k) != (int)k)
            return dv_fail(s->err, DV_EXIT_INTERNAL, "%s/shipments.csv.gz: cannot write", o->dir);
        o->line += k;
    }
    return 0;
}

static int write_row(splitter *s, shard_out *o, const dv_csv_row *row)
{
    int rc = pad_to(s, o, row->line);
    if (rc) return rc;
    long breaks = csv_record(&s->row, row);
    if (gzwrite(o->gz, s->row.data, (unsigned)s->row.len) != (int)s->row.len)
        return dv_fail(s->err, DV_EXIT_INTERNAL, "%s/shipments.csv.gz: cannot write", o->dir);
    o->line += 1 + breaks;
    return 0;
}

static int on_header(splitter *s, const dv_csv_row *row)
{
    s->have_header = true;
    s->header_fields = row->nfields;
    for (int c = 0; c < C_COUNT; c++) s->col[c] = -1;
    for (size_t i = 0; i < row->nfields; i++) {
        size_t len = row->lens[i];
        const char *t = dv_trim(row->fields[i], &len);
        for (int c = 0; c < C_COUNT; c++)
            if (s->col[c] < 0 && dv_ieq(t, len, column_names[c])) s->col[c] = (int)i;
    }
    for (int c = 0; c < C_COUNT; c++)
        if (column_required[c] && s->col[c] < 0)
            return dv_fail(s->err, DV_EXIT_INPUT, "%s:%ld: no column %s (a shipments table needs it)",
                           s->name, row->line, column_names[c]);
    if (!s->writing) return 0;
    for (int k = 0; k < s->n_shards; k++) {
        int rc = write_row(s, &s->shards[k], row);
        if (rc) return rc;
    }
    return 0;
}

/* The shard of a group's rows; rows of no item entry (group 0) join no
 * route and are spread by their id, so that the copies of an id meet. */
static int shard_of(const splitter *s, uint32_t gi, uint64_t h)
{
    return gi == 0 ? (int)(h % (uint64_t)s->n_shards) : s->groups[gi].shard;
}

static int on_row(void *ctx, const dv_csv_row *row, dv_error *err)
{
    splitter *s = ctx;
    if (!s->have_header) return on_header(s, row);
    uint32_t entry = entry_of(s, row);
    uint32_t gi = entry == DV_NONE ? 0 : 1 + entry;
    uint32_t from, to;
    int32_t day;
    bool loads = row_loads(s, row, &from, &to, &day);
    uint64_t h;
    uint32_t h2;
    id_hashes(s, row, &h, &h2);
    if (!s->writing) {
        s->groups[gi].rows++;
        if (!loads) return 0;
        id_rec r = {h, fields_hash(row), h2, gi};
        if (fwrite(&r, sizeof r, 1, s->bucket[h % N_BUCKETS]) != 1)
            return dv_fail(err, DV_EXIT_INTERNAL, "%s: cannot write a temporary file", s->bucket_dir);
        return 0;
    }
    const dup_id *dup = loads ? find_dup(s, h, h2) : NULL;
    int k = shard_of(s, dup ? dup->group : gi, h);
    if (loads && !dup) {
        if (day < s->first[from]) s->first[from] = day;
        if (day < s->first[to]) s->first[to] = day;
    }
    s->shards[k].rows++;
    return write_row(s, &s->shards[k], row);
}

static int cmp_id_rec(const void *a, const void *b)
{
    const id_rec *x = a, *y = b;
    if (x->h != y->h) return x->h < y->h ? -1 : 1;
    if (x->h2 != y->h2) return x->h2 < y->h2 ? -1 : 1;
    return (x->group > y->group) - (x->group < y->group);
}

/* After the first pass: each bucket's records sorted, the ids whose
 * loading copies differ kept (identical copies collapse into one in the
 * shard, as in the whole scan: they share an item entry and a shard). */
static int find_duplicates(splitter *s, dv_error *err)
{
    id_rec *recs = NULL;
    size_t cap = 0;
    int rc = 0;
    for (int b = 0; b < N_BUCKETS && !rc; b++) {
        FILE *f = s->bucket[b];
        if (fflush(f) != 0 || fseek(f, 0, SEEK_END) != 0) {
            rc = dv_fail(err, DV_EXIT_INTERNAL, "%s: cannot read a temporary file back", s->bucket_dir);
            break;
        }
        size_t n = (size_t)ftell(f) / sizeof *recs;
        rewind(f);
        if (n > cap) {
            cap = n;
            recs = dv_xrealloc(recs, cap * sizeof *recs);
        }
        if (fread(recs, sizeof *recs, n, f) != n) {
            rc = dv_fail(err, DV_EXIT_INTERNAL, "%s: cannot read a temporary file back", s->bucket_dir);
            break;
        }
        dv_qsort(recs, n, sizeof *recs, cmp_id_rec);
        for (size_t i = 0; i < n;) {
            size_t j = i + 1;
            bool differ = false;
            while (j < n && recs[j].h == recs[i].h && recs[j].h2 == recs[i].h2) {
                differ |= recs[j].rec != recs[i].rec;
                j++;
            }
            if (differ) {
                dup_id d = {recs[i].h, recs[i].h2, recs[i].group}; /* sorted: the lowest */
                DV_PUSH(s->dups, s->n_dups, s->cap_dups, d);
            }
            i = j;
        }
    }
    free(recs);
    dv_qsort(s->dups, s->n_dups, sizeof *s->dups, cmp_dup);
    return rc;
}

/* ---- the assignment ---- */

static const dv_dataset *sort_ds; /* for cmp_group: dv_qsort takes no context */

static int cmp_group(const void *a, const void *b)
{
    const group *x = *(const group *const *)a, *y = *(const group *const *)b;
    if (x->rows != y->rows) return x->rows > y->rows ? -1 : 1;
    return strcmp(sort_ds->items[x->item].code, sort_ds->items[y->item].code);
}

/* Largest entry first onto the lightest shard (the lowest number among
 * equals); an entry above the fair share takes its shard alone. */
static void assign(splitter *s, unsigned long long total, bool quiet)
{
    size_t n_items = s->ds->n_items;
    group **order = dv_xmalloc((n_items ? n_items : 1) * sizeof *order);
    size_t n = 0;
    for (size_t i = 0; i < n_items; i++)
        if (s->groups[1 + i].rows) order[n++] = &s->groups[1 + i];
    sort_ds = s->ds;
    dv_qsort(order, n, sizeof *order, cmp_group);
    double fair = (double)total / s->n_shards;
    for (size_t i = 0; i < n; i++) {
        int best = -1;
        for (int k = 0; k < s->n_shards; k++)
            if (!s->shards[k].alone && (best < 0 || s->shards[k].load < s->shards[best].load))
                best = k;
        if (best < 0) best = 0; /* every shard alone: more big entries than shards */
        shard_out *o = &s->shards[best];
        order[i]->shard = best;
        o->load += order[i]->rows;
        o->n_entries++;
        if ((double)order[i]->rows > fair && s->n_shards > 1 && o->n_entries == 1) {
            o->alone = true;
            if (!quiet)
                dv_msg("item entry %s has %llu shipments, above the fair share of %.0f: shard %d "
                       "holds it alone",
                       s->ds->items[order[i]->item].code, order[i]->rows, fair, best + 1);
        }
    }
    free(order);
}

/* ---- files ---- */

static int mkdir_one(const char *path, dv_error *err)
{
    if (mkdir(path, 0777) != 0)
        return dv_fail(err, DV_EXIT_INPUT, "%s: cannot create the directory: %s", path,
                       strerror(errno));
    return 0;
}

/* The table file src as dst (gzip): copied when it is gzip already. */
static int copy_gz(const char *src, const char *dst, dv_error *err)
{
    FILE *in = fopen(src, "rb");
    if (!in) return dv_fail(err, DV_EXIT_INPUT, "%s: cannot read: %s", src, strerror(errno));
    unsigned char buf[65536];
    size_t n = fread(buf, 1, sizeof buf, in);
    bool gz = n >= 2 && buf[0] == 0x1f && buf[1] == 0x8b;
    int rc = 0;
    if (gz) {
        FILE *out = fopen(dst, "wb");
        if (!out) {
            fclose(in);
            return dv_fail(err, DV_EXIT_INPUT, "%s: cannot write: %s", dst, strerror(errno));
        }
        do {
            if (fwrite(buf, 1, n, out) != n) rc = DV_EXIT_INTERNAL;
        } while (!rc && (n = fread(buf, 1, sizeof buf, in)) > 0);
        if (fclose(out) != 0) rc = DV_EXIT_INTERNAL;
    } else {
        gzFile out = gzopen(dst, "wb1");
        if (!out) {
            fclose(in);
            return dv_fail(err, DV_EXIT_INPUT, "%s: cannot write: %s", dst, strerror(errno));
        }
        do {
            if (n && gzwrite(out, buf, (unsigned)n) != (int)n) rc = DV_EXIT_INTERNAL;
        } while (!rc && (n = fread(buf, 1, sizeof buf, in)) > 0);
        if (gzclose(out) != Z_OK) rc = DV_EXIT_INTERNAL;
    }
    if (ferror(in)) rc = DV_EXIT_INPUT;
    fclose(in);
    if (rc) return dv_fail(err, rc, "%s: cannot copy to %s", src, dst);
    return 0;
}

static int sha256_file(const char *path, char hex[65], long long *bytes, dv_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) return dv_fail(err, DV_EXIT_INTERNAL, "%s: cannot read back: %s", path, strerror(errno));
    dv_sha256 *h = dv_sha256_new();
    unsigned char buf[65536];
    size_t n;
    *bytes = 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        dv_sha256_update(h, buf, n);
        *bytes += (long long)n;
    }
    dv_sha256_final_hex(h, hex); /* frees h */
    bool bad = ferror(f);
    fclose(f);
    return bad ? dv_fail(err, DV_EXIT_INTERNAL, "%s: cannot read back", path) : 0;
}

/* One file of a shard as the manifest lists it. */
typedef struct shard_file {
    char *name;                  /* in the shard directory */
    char *orig;                  /* the dataset's file it comes from */
    char sha256[65];
    long long bytes;
} shard_file;

static void json_str(FILE *f, const char *s) { dv_json_string(f, s); }

static int remove_tree(const char *path)
{
    DIR *d = opendir(path);
    if (!d) return unlink(path) == 0 || errno == ENOENT ? 0 : -1;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char *p = dv_xasprintf("%s/%s", path, e->d_name);
        if (remove_tree(p)) rc = -1;
        free(p);
    }
    closedir(d);
    return rmdir(path) == 0 && !rc ? 0 : -1;
}

/* out may be replaced: absent, empty, or an earlier shard set. */
static int check_out(const char *out, dv_error *err)
{
    DIR *d = opendir(out);
    if (!d) {
        if (errno == ENOENT) return 0;
        return dv_fail(err, DV_EXIT_INPUT, "--out %s: %s", out, strerror(errno));
    }
    bool empty = true, manifest = false;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        empty = false;
        if (!strcmp(e->d_name, DV_SHARD_MANIFEST)) manifest = true;
    }
    closedir(d);
    if (!empty && !manifest)
        return dv_fail(err, DV_EXIT_INPUT,
                       "--out %s: holds files but no %s: not a shard set, left alone (give an "
                       "empty or new directory)",
                       out, DV_SHARD_MANIFEST);
    return 0;
}

static int write_info(const char *path, const char *set, int shard, int shards,
                      const char *dataset, const shard_file *files, size_t n_files,
                      const dv_dataset *ds, const int32_t *first, dv_error *err)
{
    FILE *f = fopen(path, "w");
    if (!f) return dv_fail(err, DV_EXIT_INPUT, "%s: cannot write: %s", path, strerror(errno));
    dv_buf b = {0};
    fputs("kind,name,value\n", f);
    fprintf(f, "meta,set,%s\nmeta,shard,%d\nmeta,shards,%d\nmeta,dataset,", set, shard, shards);
    csv_cell(&b, dataset, strlen(dataset));
    fprintf(f, "%s\n", b.data);
    for (size_t i = 0; i < n_files; i++) {
        b.len = 0;
        dv_buf_puts(&b, "file,");
        csv_cell(&b, files[i].name, strlen(files[i].name));
        dv_buf_add(&b, ",", 1);
        csv_cell(&b, files[i].orig, strlen(files[i].orig));
        fprintf(f, "%s\n", b.data);
    }
    for (size_t i = 0; i < ds->n_entities; i++) {
        if (first[i] == INT32_MAX) continue;
        char day[11];
        dv_format_date(first[i], day);
        b.len = 0;
        dv_buf_puts(&b, "first_trade,");
        csv_cell(&b, ds->entities[i].id, strlen(ds->entities[i].id));
        fprintf(f, "%s,%s\n", b.data, day);
    }
    dv_buf_free(&b);
    if (fclose(f) != 0) return dv_fail(err, DV_EXIT_INTERNAL, "%s: cannot write", path);
    return 0;
}

int dv_shard_dataset(const char *dir, const char *out, const dv_shard_options *opt, dv_error *err)
{
    int rc;
    dv_dataset ds;
    dv_load_options lopt = {.max_field_bytes = opt->max_field_bytes,
                            .max_fields = opt->max_fields,
                            .no_shipments = true};
    splitter s = {0};
    s.err = err;
    char *ship = NULL, *tmp = NULL, *old = NULL;
    shard_file *common = NULL; /* the tables every shard copies */
    size_t n_common = 0, cap_common = 0;
    shard_file *mine = NULL;   /* by shard: its shipments file */
    if ((rc = check_out(out, err))) {
        memset(&ds, 0, sizeof ds);
        goto done;
    }
    if ((rc = dv_dataset_load(&ds, dir, &lopt, err))) goto done;
    if ((rc = dv_find_table(ds.dir, "shipments", &ship, err))) goto done;
    if (!ship) {
        rc = dv_fail(err, DV_EXIT_INPUT, "%s: no shipments.csv or shipments.csv.gz", ds.dir);
        goto done;
    }
    s.ds = &ds;
    s.name = ship;
    s.n_shards = opt->shards;
    s.groups = dv_xcalloc(1 + ds.n_items, sizeof *s.groups);
    s.groups[0].item = DV_NONE;
    for (size_t i = 0; i < ds.n_items; i++) s.groups[1 + i].item = (uint32_t)i;
    s.first = dv_xmalloc((ds.n_entities ? ds.n_entities : 1) * sizeof *s.first);
    for (size_t i = 0; i < ds.n_entities; i++) s.first[i] = INT32_MAX;
    s.shards = dv_xcalloc((size_t)opt->shards, sizeof *s.shards);
    dv_csv_options copt = {.max_field_bytes = opt->max_field_bytes, .max_fields = opt->max_fields};

    /* the temporary directory beside out: the shard set is made there */
    size_t ol = strlen(out);
    while (ol > 1 && out[ol - 1] == '/') ol--;
    tmp = dv_xasprintf("%.*s.tmp-%ld", (int)ol, out, (long)getpid());
    old = dv_xasprintf("%.*s.old-%ld", (int)ol, out, (long)getpid());
    remove_tree(tmp);
    if ((rc = mkdir_one(tmp, err))) goto done;

    /* first pass: counts, and the ids of the rows that load (in files
     * that are removed once open: nothing stays behind a killed run) */
    s.bucket_dir = tmp;
    for (int b = 0; b < N_BUCKETS; b++) {
        char *p = dv_xasprintf("%s/ids-%03d", tmp, b);
        s.bucket[b] = fopen(p, "w+b");
        if (s.bucket[b]) unlink(p);
        else rc = dv_fail(err, DV_EXIT_INPUT, "%s: cannot write: %s", p, strerror(errno));
        free(p);
        if (rc) goto done;
    }
    if ((rc = dv_csv_read_file(ship, ship, &copt, on_row, &s, err))) goto done;
    if (!s.have_header) {
        rc = dv_fail(err, DV_EXIT_INPUT, "%s: empty file (no header row)", ship);
        goto done;
    }
    if ((rc = find_duplicates(&s, err))) goto done;
    for (int b = 0; b < N_BUCKETS; b++) {
        fclose(s.bucket[b]);
        s.bucket[b] = NULL;
    }
    unsigned long long total = 0;
    for (size_t i = 0; i <= ds.n_items; i++) total += s.groups[i].rows;
    assign(&s, total, opt->quiet);

    /* the shard directories */
    for (int k = 0; k < s.n_shards; k++) {
        s.shards[k].dir = dv_xasprintf("%s/shard-%03d", tmp, k + 1);
        if ((rc = mkdir_one(s.shards[k].dir, err))) goto done;
    }

    /* the other tables: every file the load read, whole */
    for (int t = 0; t < DV_T_COUNT; t++) {
        if (t == DV_T_SHIPMENTS || t == DV_T_WATCHLIST || !ds.tables[t].present ||
            ds.tables[t].reference)
            continue;
        shard_file one = {dv_xasprintf("%s.csv.gz", dv_table_names[t]),
                          dv_xstrdup(ds.tables[t].path), "", 0};
        DV_PUSH(common, n_common, cap_common, one);
    }
    for (size_t i = 0; i < ds.n_lists; i++) {
        shard_file one = {dv_xasprintf("%s.csv.gz", ds.lists[i].label), dv_xstrdup(ds.lists[i].path),
                          "", 0};
        DV_PUSH(common, n_common, cap_common, one);
    }
    for (int k = 0; k < s.n_shards; k++)
        for (size_t i = 0; i < n_common; i++) {
            char *dst = dv_xasprintf("%s/%s", s.shards[k].dir, common[i].name);
            rc = copy_gz(common[i].orig, dst, err);
            if (!rc && k == 0) rc = sha256_file(dst, common[i].sha256, &common[i].bytes, err);
            free(dst);
            if (rc) goto done;
        }

    /* second pass: every row to its shard, on its own line */
    for (int k = 0; k < s.n_shards; k++) {
        char *p = dv_xasprintf("%s/shipments.csv.gz", s.shards[k].dir);
        s.shards[k].gz = gzopen(p, "wb1");
        s.shards[k].line = 1;
        if (!s.shards[k].gz) rc = dv_fail(err, DV_EXIT_INPUT, "%s: cannot write: %s", p, strerror(errno));
        free(p);
        if (rc) goto done;
    }
    s.writing = true;
    s.have_header = false;
    rc = dv_csv_read_file(ship, ship, &copt, on_row, &s, err);
    for (int k = 0; k < s.n_shards; k++) {
        if (gzclose(s.shards[k].gz) != Z_OK && !rc)
            rc = dv_fail(err, DV_EXIT_INTERNAL, "%s/shipments.csv.gz: cannot write", s.shards[k].dir);
        s.shards[k].gz = NULL;
    }
    if (rc) goto done;

    /* checksums; the set's id is the digest of every shard's files */
    mine = dv_xcalloc((size_t)s.n_shards, sizeof *mine);
    dv_sha256 *set_hash = dv_sha256_new();
    for (size_t i = 0; i < n_common; i++) dv_sha256_update(set_hash, common[i].sha256, 64);
    for (int k = 0; k < s.n_shards && !rc; k++) {
        char *p = dv_xasprintf("%s/shipments.csv.gz", s.shards[k].dir);
        rc = sha256_file(p, mine[k].sha256, &mine[k].bytes, err);
        free(p);
        dv_sha256_update(set_hash, mine[k].sha256, 64);
    }
    char set[65];
    dv_sha256_final_hex(set_hash, set); /* frees set_hash */
    if (rc) goto done;
    set[16] = '\0'; /* 64 bits name a set well enough */
    for (int k = 0; k < s.n_shards; k++) {
        mine[k].name = dv_xstrdup("shipments.csv.gz");
        mine[k].orig = dv_xstrdup(ship);
        shard_file *files = dv_xmalloc((n_common + 1) * sizeof *files);
        files[0] = mine[k];
        if (n_common) memcpy(files + 1, common, n_common * sizeof *files);
        char *p = dv_xasprintf("%s/%s", s.shards[k].dir, DV_SHARD_FILE);
        rc = write_info(p, set, k + 1, s.n_shards, ds.dir, files, n_common + 1, &ds, s.first, err);
        free(p);
        free(files);
        if (rc) goto done;
    }

    /* the manifest */
    char *mpath = dv_xasprintf("%s/%s", tmp, DV_SHARD_MANIFEST);
    FILE *m = fopen(mpath, "w");
    if (!m) {
        rc = dv_fail(err, DV_EXIT_INPUT, "%s: cannot write: %s", mpath, strerror(errno));
        free(mpath);
        goto done;
    }
    fputs("{\n  \"divert_version\": ", m);
    json_str(m, DIVERT_VERSION);
    fputs(",\n  \"dataset\": ", m);
    json_str(m, ds.dir);
    fprintf(m, ",\n  \"set\": \"%s\",\n  \"shards\": %d,\n  \"shipments\": %llu,\n", set,
            s.n_shards, total);
    fprintf(m, "  \"fair_share\": %.1f,\n  \"common_files\": [", (double)total / s.n_shards);
    for (size_t i = 0; i < n_common; i++) {
        fputs(i ? ",\n    {\"file\": " : "\n    {\"file\": ", m);
        json_str(m, common[i].name);
        fputs(", \"from\": ", m);
        json_str(m, common[i].orig);
        fprintf(m, ", \"bytes\": %lld, \"sha256\": \"%s\"}", common[i].bytes, common[i].sha256);
    }
    fputs(n_common ? "\n  ],\n  \"shard_list\": [" : "],\n  \"shard_list\": [", m);
    for (int k = 0; k < s.n_shards; k++) {
        const shard_out *o = &s.shards[k];
        fprintf(m, "%s    {\"shard\": %d, \"dir\": \"shard-%03d\", \"shipments\": %llu, "
                   "\"alone\": %s, \"shipments_file\": {\"bytes\": %lld, \"sha256\": \"%s\"}, "
                   "\"item_entries\": [",
                k ? ",\n" : "\n", k + 1, k + 1, o->rows, o->alone ? "true" : "false",
                mine[k].bytes, mine[k].sha256);
        size_t shown = 0;
        for (size_t i = 0; i < ds.n_items; i++) { /* items are sorted by code */
            if (!s.groups[1 + i].rows || s.groups[1 + i].shard != k) continue;
            fputs(shown++ ? ", {\"item\": " : "{\"item\": ", m);
            json_str(m, ds.items[i].code);
            fprintf(m, ", \"shipments\": %llu}", s.groups[1 + i].rows);
        }
        fputs("]}", m);
    }
    fprintf(m, "%s  \"no_item_entry\": %llu\n}\n", s.n_shards ? "\n  ],\n" : "],\n",
            s.groups[0].rows);
    if (fclose(m) != 0) rc = dv_fail(err, DV_EXIT_INTERNAL, "%s: cannot write", mpath);
    free(mpath);
    if (rc) goto done;

    /* into place: the old set aside, the new one in, the old one gone */
    struct stat st;
    char *target = dv_xstrndup(out, ol);
    bool had = stat(target, &st) == 0;
    if (had && rename(target, old) != 0)
        rc = dv_fail(err, DV_EXIT_INPUT, "--out %s: cannot replace: %s", target, strerror(errno));
    if (!rc && rename(tmp, target) != 0) {
        rc = dv_fail(err, DV_EXIT_INPUT, "--out %s: cannot rename %s into place: %s", target, tmp,
                     strerror(errno));
        if (had) rename(old, target);
    }
    if (!rc && had) remove_tree(old);
    free(target);

done:
    for (int b = 0; b < N_BUCKETS; b++)
        if (s.bucket[b]) fclose(s.bucket[b]);
    free(s.dups);
    if (rc && tmp) remove_tree(tmp);
    for (int k = 0; s.shards && k < s.n_shards; k++) {
        if (s.shards[k].gz) gzclose(s.shards[k].gz);
        free(s.shards[k].dir);
        if (mine) {
            free(mine[k].name);
            free(mine[k].orig);
        }
    }
    for (size_t i = 0; i < n_common; i++) {
        free(common[i].name);
        free(common[i].orig);
    }
    free(common);
    free(mine);
    free(s.shards);
    free(s.groups);
    free(s.first);
    dv_buf_free(&s.row);
    free(ship);
    free(tmp);
    free(old);
    dv_dataset_free(&ds);
    return rc;
}

/* ---- reading a shard's divert-shard.csv ---- */

typedef struct info_reader {
    dv_shard_info *info;
    const char *shard_dir;
    dv_dataset *ds;              /* first trades go here, or NULL */
    bool header;
    const char *name;
} info_reader;

static int on_info_row(void *ctx, const dv_csv_row *row, dv_error *err)
{
    info_reader *r = ctx;
    if (!r->header) {
        r->header = true;
        return 0;
    }
    if (row->nfields != 3)
        return dv_fail(err, DV_EXIT_INPUT, "%s:%ld: %zu fields, not 3 (kind,name,value)", r->name,
                       row->line, row->nfields);
    const char *kind = row->fields[0], *name = row->fields[1], *value = row->fields[2];
    if (!strcmp(kind, "first_trade")) {
        if (!r->ds) return 0;
        uint32_t e = dv_entity_find(r->ds, name);
        int32_t day;
        const char *why;
        if (!dv_parse_date(value, strlen(value), &day, &why))
            return dv_fail(err, DV_EXIT_INPUT, "%s:%ld: first trade \"%s\" %s", r->name, row->line,
                           value, why);
        if (e != DV_NONE) {
            dv_entity *ent = &r->ds->entities[e];
            if (ent->first_trade == DV_NO_DATE || day < ent->first_trade) ent->first_trade = day;
        }
        return 0;
    }
    if (!r->info) return 0;
    dv_shard_info *in = r->info;
    if (!strcmp(kind, "file")) {
        in->file_shard = dv_xrealloc(in->file_shard, (in->n_files + 1) * sizeof *in->file_shard);
        in->file_orig = dv_xrealloc(in->file_orig, (in->n_files + 1) * sizeof *in->file_orig);
        in->file_shard[in->n_files] = dv_xasprintf("%s/%s", r->shard_dir, name);
        in->file_orig[in->n_files++] = dv_xstrdup(value);
    } else if (!strcmp(kind, "meta") && !strcmp(name, "set")) {
        free(in->set);
        in->set = dv_xstrdup(value);
    } else if (!strcmp(kind, "meta") && !strcmp(name, "shard")) {
        in->shard = atoi(value);
    } else if (!strcmp(kind, "meta") && !strcmp(name, "shards")) {
        in->shards = atoi(value);
    } else if (!strcmp(kind, "meta") && !strcmp(name, "dataset")) {
        free(in->dataset);
        in->dataset = dv_xstrdup(value);
    }
    return 0;
}

static int read_info(const char *dir, dv_shard_info *info, dv_dataset *ds, bool *found,
                     dv_error *err)
{
    char *path = dv_xasprintf("%s/%s", dir, DV_SHARD_FILE);
    struct stat st;
    *found = stat(path, &st) == 0;
    int rc = 0;
    if (*found) {
        info_reader r = {info, dir, ds, false, path};
        dv_csv_options copt = {.max_field_bytes = 1 << 20};
        rc = dv_csv_read_file(path, path, &copt, on_info_row, &r, err);
    }
    free(path);
    return rc;
}

int dv_shard_read_info(const char *shard_dir, dv_shard_info *info, dv_error *err)
{
    memset(info, 0, sizeof *info);
    bool found;
    int rc = read_info(shard_dir, info, NULL, &found, err);
    if (rc) return rc;
    if (!found)
        return dv_fail(err, DV_EXIT_INPUT, "%s: no %s: not a shard of `divert shard`", shard_dir,
                       DV_SHARD_FILE);
    if (!info->set || !info->dataset || info->shard < 1 || info->shards < info->shard)
        return dv_fail(err, DV_EXIT_INPUT, "%s/%s: lacks the set, shard, shards or dataset",
                       shard_dir, DV_SHARD_FILE);
    return 0;
}

void dv_shard_info_free(dv_shard_info *info)
{
    if (!info) return;
    for (size_t i = 0; i < info->n_files; i++) {
        free(info->file_shard[i]);
        free(info->file_orig[i]);
    }
    free(info->file_shard);
    free(info->file_orig);
    free(info->set);
    free(info->dataset);
    memset(info, 0, sizeof *info);
}

int dv_shard_apply_first_trades(dv_dataset *ds, const dv_load_options *opt, dv_error *err)
{
    if (opt->no_shipments) return 0;
    bool found;
    return read_info(ds->dir, NULL, ds, &found, err);
}
