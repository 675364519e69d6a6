/*
 * config.c: the key table, config files and the checks on a dv_config.
 *
 * Keys are a table of rows (name, kind, where in the struct, default,
 * bounds). Defaults, parsing, the options' help and summary.json all walk
 * it, so a new tunable is one row here and one line in
 * docs/configuration.md. The scoring rules' weights are one row that
 * stands for a key per rule (weight.RULE_ID), with the catalogue's
 * weights (rules.c) as defaults.
 */
#define _POSIX_C_SOURCE 200809L
#include "divert/config.h"

#include "divert/dataset.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef enum {
    K_INT,
    K_DOUBLE,
    K_BOOL,
    K_SIZE,
    K_SECTORS,       /* a set of sectors, written as names joined by ; */
    K_RULE_WEIGHTS   /* weight.RULE_ID, one key per rule of the catalogue */
} key_kind;

typedef struct key_row {
    const char *name;
    key_kind kind;
    size_t offset;       /* of the field in dv_config */
    double def;          /* default; for a K_DOUBLE with lo < 0, -1 is "off" */
    double lo, hi;       /* accepted values */
} key_row;

#define ROW(name, kind, field, def, lo, hi) {name, kind, offsetof(dv_config, field), def, lo, hi}
static const key_row keys[] = {
    ROW("window_days", K_INT, window_days, 120, 0, 36500),
    ROW("max_hops", K_INT, max_hops, 6, 2, DV_MAX_HOPS),
    ROW("max_examples", K_INT, max_examples, 20, 0, 100000),
    /* the work per item entry (SPEC 5, Bounds): far above what the bench
     * datasets reach (1,500 chains and 900 alerts at most per item entry
     * at ten million shipments); a ring of 18 parties spends the chain
     * budget in about two seconds */
    ROW("chain_budget", K_SIZE, chain_budget, 100000, 1, 1e12),
    ROW("alert_budget", K_SIZE, alert_budget, 10000, 1, 1e9),
    ROW("weak_threshold", K_DOUBLE, weak_threshold, 0.5, 0, 1),
    ROW("weight_rule_of_law", K_DOUBLE, w_rule_of_law, 0.35, 0, 1),
    ROW("weight_data_protection", K_DOUBLE, w_data_protection, 0.15, 0, 1),
    ROW("weight_civil_liberties", K_DOUBLE, w_civil_liberties, 0.20, 0, 1),
    ROW("weight_regimes", K_DOUBLE, w_regimes, 0.30, 0, 1),
    /* concern (d): a security-sector end user where civil liberties (0 to
     * 1, the countries table) are below this */
    ROW("hr_threshold", K_DOUBLE, hr_threshold, 0.4, 0, 1),
    ROW("security_sectors", K_SECTORS, security_sectors, DV_SECURITY_SECTORS, 0, 0),
    ROW("humanitarian_sectors", K_SECTORS, humanitarian_sectors, DV_HUMANITARIAN_SECTORS, 0, 0),
    ROW("weight.", K_RULE_WEIGHTS, rule_weight, 0, 0, 100),
    ROW("rapid_days", K_INT, rapid_days, 14, 0, 36500),
    ROW("new_entity_days", K_INT, new_entity_days, 365, 0, 36500),
    ROW("pass_through_ratio", K_DOUBLE, pass_through_ratio, 0.8, 0, 10),
    ROW("unit_value_factor", K_DOUBLE, unit_value_factor, 3, 1, 1e6),
    ROW("split_min_shipments", K_INT, split_min_shipments, 3, 2, 1000000),
    ROW("split_days", K_INT, split_days, 14, 0, 36500),
    ROW("max_field_bytes", K_SIZE, max_field_bytes, 1 << 20, 1024, 1 << 30),
    /* no real table has more than a few dozen columns; a row of millions
     * of empty fields is an attack on memory (docs/limits.md) */
    ROW("max_fields", K_SIZE, max_fields, 1000, 16, 1000000),
    ROW("csv_formula_guard", K_BOOL, csv_formula_guard, 1, 0, 1),
    /* the threshold chosen on tests/data/screening/name_pairs.csv
     * (docs/screening.md) */
    ROW("screen_threshold", K_DOUBLE, screen_threshold, 0.85, 0, 1),
    /* the review band under it (docs/screening.md, "The review band") */
    ROW("screen_review_from", K_DOUBLE, screen_review_from, 0.75, 0, 1),
    ROW("threads", K_INT, threads, 0, 0, DV_MAX_THREADS),
    ROW("max_memory_mb", K_SIZE, max_memory_mb, 0, 0, (double)(1ULL << 40)),
    ROW("fail_on", K_DOUBLE, fail_on, -1, -1, 100),
};
#undef ROW
enum { N_KEYS = sizeof keys / sizeof keys[0] };

static void *field_of(const dv_config *cfg, const key_row *k)
{
    return (char *)cfg + k->offset;
}

static void store(dv_config *cfg, const key_row *k, double v)
{
    void *field = field_of(cfg, k);
    switch (k->kind) {
    case K_INT: *(int *)field = (int)v; break;
    case K_DOUBLE: *(double *)field = v; break;
    case K_BOOL: *(bool *)field = v != 0; break;
    case K_SIZE: *(size_t *)field = (size_t)v; break;
    case K_SECTORS: *(unsigned *)field = (unsigned)v; break;
    case K_RULE_WEIGHTS:
        for (int i = 0; i < DV_RULE_COUNT; i++) cfg->rule_weight[i] = dv_rules[i].weight;
        break;
    }
}

void dv_config_defaults(dv_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    for (size_t i = 0; i < N_KEYS; i++) store(cfg, &keys[i], keys[i].def);
}

/* The row of a key; *rule is the rule's index for weight.RULE_ID (-1 if
 * the key names no rule of the catalogue). */
static const key_row *find_key(const char *key, int *rule)
{
    for (size_t i = 0; i < N_KEYS; i++) {
        const key_row *k = &keys[i];
        if (k->kind == K_RULE_WEIGHTS && !strncmp(key, k->name, strlen(k->name))) {
            *rule = dv_rule_find(key + strlen(k->name));
            return k;
        }
        if (!strcmp(k->name, key)) return k;
    }
    return NULL;
}

/* A key's place among every key there is (weight.RULE_ID: one per rule),
 * to find a key a file sets twice; -1 for a key that is none. */
static int key_slot(const char *key)
{
    int rule = -1;
    const key_row *k = find_key(key, &rule);
    if (!k) return -1;
    if (k->kind == K_RULE_WEIGHTS) return rule < 0 ? -1 : (int)N_KEYS + rule;
    return (int)(k - keys);
}

static void value_text(const key_row *k, double v, char buf[48])
{
    if (k->kind == K_BOOL) snprintf(buf, 48, "%s", v != 0 ? "true" : "false");
    else if (k->kind == K_SECTORS) dv_sector_set_text((unsigned)v, buf, 48);
    else if (k->lo < 0 && v < 0) snprintf(buf, 48, "off");
    else dv_format_number(v, buf);
}

const char *dv_config_default_text(const char *key, char buf[48])
{
    int rule = -1;
    const key_row *k = find_key(key, &rule);
    if (!k || (k->kind == K_RULE_WEIGHTS && rule < 0)) return NULL;
    value_text(k, k->kind == K_RULE_WEIGHTS ? dv_rules[rule].weight : k->def, buf);
    return buf;
}

/* The key nearest to an unknown one, for "did you mean": NULL if none. */
static const char *suggest(const char *key, dv_nearest *near)
{
    dv_nearest_init(near, key);
    for (size_t i = 0; i < N_KEYS; i++) {
        if (keys[i].kind != K_RULE_WEIGHTS) {
            dv_nearest_try(near, keys[i].name);
            continue;
        }
        for (int r = 0; r < DV_RULE_COUNT; r++) {
            char name[64];
            snprintf(name, sizeof name, "%s%s", keys[i].name, dv_rules[r].id);
            dv_nearest_try(near, name);
        }
    }
    return dv_nearest_result(near);
}

void dv_config_each(const dv_config *cfg, void (*fn)(void *ctx, const dv_config_value *v),
                    void *ctx)
{
    for (size_t i = 0; i < N_KEYS; i++) {
        const key_row *k = &keys[i];
        const void *field = field_of(cfg, k);
        dv_config_value v = {k->name, DV_VALUE_NUMBER, 0, false, 0};
        switch (k->kind) {
        case K_INT: v.number = *(const int *)field; break;
        case K_SIZE: v.number = (double)*(const size_t *)field; break;
        case K_SECTORS:
            v.kind = DV_VALUE_SECTORS;
            v.sectors = *(const unsigned *)field;
            break;
        case K_BOOL:
            v.kind = DV_VALUE_BOOL;
            v.flag = *(const bool *)field;
            break;
        case K_DOUBLE:
            v.number = *(const double *)field;
            if (k->lo < 0 && v.number < 0) v.kind = DV_VALUE_OFF;
            break;
        case K_RULE_WEIGHTS:
            for (int r = 0; r < DV_RULE_COUNT; r++) {
                char name[64];
                snprintf(name, sizeof name, "%s%s", k->name, dv_rules[r].id);
                dv_config_value w = {name, DV_VALUE_NUMBER, cfg->rule_weight[r], false, 0};
                fn(ctx, &w);
            }
            continue;
        }
        fn(ctx, &v);
    }
}

int dv_config_set(dv_config *cfg, const char *key, const char *value, const char *where,
                  dv_error *err)
{
    /* an option (where = "--window") names itself; a file line names the key */
    char label[1200];
    if (where[0] == '-') snprintf(label, sizeof label, "%s", where);
    else snprintf(label, sizeof label, "%s: %s", where, key);
    int rule = -1;
    const key_row *k = find_key(key, &rule);
    if (!k || (k->kind == K_RULE_WEIGHTS && rule < 0)) {
        dv_nearest nearest;
        const char *near = suggest(key, &nearest);
        return dv_fail(err, DV_EXIT_INPUT, "%s: unknown %s \"%s\"%s%s%s (see docs/%s.md)", where,
                       k ? "rule" : "setting", k ? key + strlen(k->name) : key,
                       near ? "; did you mean " : "", near ? near : "", near ? "?" : "",
                       k ? "detection" : "configuration");
    }
    if (k->kind == K_RULE_WEIGHTS) {
        const char *why;
        double v;
        if (!dv_parse_range(value, strlen(value), k->lo, k->hi, &v, &why))
            return dv_fail(err, DV_EXIT_INPUT, "%s: \"%s\" %s (0 to 100)", label, value, why);
        cfg->rule_weight[rule] = v;
        return 0;
    }
    if (k->kind == K_BOOL) {
        bool b;
        if (!strcmp(value, "1") || !strcmp(value, "true") || !strcmp(value, "yes") ||
            !strcmp(value, "on"))
            b = true;
        else if (!strcmp(value, "0") || !strcmp(value, "false") || !strcmp(value, "no") ||
                 !strcmp(value, "off"))
            b = false;
        else
            return dv_fail(err, DV_EXIT_INPUT, "%s: \"%s\" is not true or false", label, value);
        store(cfg, k, b);
        return 0;
    }
    if (k->kind == K_SECTORS) {
        unsigned set;
        const char *bad;
        size_t bad_len;
        if (!dv_sector_set(value, strlen(value), &set, &bad, &bad_len)) {
            char name[64];
            snprintf(name, sizeof name, "%.*s", (int)(bad_len < 63 ? bad_len : 63), bad);
            dv_nearest nearest;
            dv_nearest_init(&nearest, name);
            for (int i = 0; i < DV_SECTOR_COUNT; i++) dv_nearest_try(&nearest, dv_sector_names[i]);
            const char *near = dv_nearest_result(&nearest);
            return dv_fail(err, DV_EXIT_INPUT, "%s: \"%s\" is not a sector%s%s%s (sectors are "
                           "listed in docs/data-format.md)", label, name,
                           near ? "; did you mean " : "", near ? near : "", near ? "?" : "");
        }
        store(cfg, k, set);
        return 0;
    }
    double v;
    const char *why = NULL;
    /* a setting that can be off takes -1 or "off" */
    bool off = k->lo < 0 && (!strcmp(value, "-1") || !strcmp(value, "off"));
    bool ok = off ? (v = -1, true) : dv_parse_nonneg(value, strlen(value), &v, &why);
    if (!ok) return dv_fail(err, DV_EXIT_INPUT, "%s: \"%s\" %s", label, value, why);
    if (v < k->lo || v > k->hi)
        return dv_fail(err, DV_EXIT_INPUT, "%s: %s is outside %.10g to %.10g", label, value, k->lo,
                       k->hi);
    if (k->kind != K_DOUBLE && v != (double)(long long)v)
        return dv_fail(err, DV_EXIT_INPUT, "%s: \"%s\" is not a whole number", label, value);
    store(cfg, k, v);
    return 0;
}

/* One line of a config file into line (cap bytes, NUL-terminated, the LF
 * dropped): its length; -1 at the end of the file; -2 when it does not fit.
 * *nul says whether it held a NUL byte (fgets would stop the line there
 * without a word). */
static long read_line(FILE *f, char *line, size_t cap, bool *nul)
{
    size_t n = 0;
    int c;
    *nul = false;
    while ((c = getc(f)) != EOF && c != '\n') {
        if (!c) *nul = true;
        if (n + 1 >= cap) return -2;
        line[n++] = (char)c;
    }
    if (c == EOF && !n) return -1;
    line[n] = '\0';
    return (long)n;
}

int dv_config_load(dv_config *cfg, const char *path, dv_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f) return dv_fail(err, DV_EXIT_INPUT, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && !S_ISREG(st.st_mode)) {
        fclose(f);
        return dv_fail(err, DV_EXIT_INPUT, "%s: not a regular file", path);
    }
    char line[4096];
    long lineno = 0;
    long set_on[N_KEYS + DV_RULE_COUNT] = {0}; /* the line that set each key */
    int rc = 0;
    for (;;) {
        bool nul;
        long got = read_line(f, line, sizeof line, &nul);
        if (got == -1) break;
        lineno++;
        char where[1100];
        snprintf(where, sizeof where, "%s:%ld", path, lineno);
        if (nul) {
            rc = dv_fail(err, DV_EXIT_INPUT, "%s: NUL byte in the input (is the file UTF-16 or binary?)",
                         where);
            break;
        }
        if (got == -2) {
            rc = dv_fail(err, DV_EXIT_INPUT, "%s: line too long", where);
            break;
        }
        if (lineno == 1 && !strncmp(line, "\xEF\xBB\xBF", 3)) /* a UTF-8 byte order mark */
            memmove(line, line + 3, strlen(line + 3) + 1);
        char *hash = strchr(line, '#');
        if (hash) *hash = '\0';
        size_t len = strlen(line);
        const char *s = dv_trim(line, &len);
        if (len == 0) continue;
        const char *eq = memchr(s, '=', len);
        if (!eq) {
            rc = dv_fail(err, DV_EXIT_INPUT, "%s: expected key = value", where);
            break;
        }
        size_t klen = (size_t)(eq - s), vlen = len - klen - 1;
        const char *k = dv_trim(s, &klen);
        const char *v = dv_trim(eq + 1, &vlen);
        char key[256], value[1024];
        if (klen >= sizeof key || vlen >= sizeof value) {
            rc = dv_fail(err, DV_EXIT_INPUT, "%s: key or value too long", where);
            break;
        }
        memcpy(key, k, klen);
        key[klen] = '\0';
        memcpy(value, v, vlen);
        value[vlen] = '\0';
        /* which of two settings the author meant is a guess: refuse both */
        int slot = key_slot(key);
        if (slot >= 0 && set_on[slot]) {
            rc = dv_fail(err, DV_EXIT_INPUT, "%s: %s is already set on line %ld", where, key,
                         set_on[slot]);
            break;
        }
        if ((rc = dv_config_set(cfg, key, value, where, err))) break;
        if (slot >= 0) set_on[slot] = lineno;
    }
    if (!rc && ferror(f))
        rc = dv_fail(err, DV_EXIT_INPUT, "%s: cannot read: %s", path, strerror(errno));
    fclose(f);
    return rc;
}

int dv_config_threads(const dv_config *cfg)
{
    long n = cfg->threads;
    if (n <= 0) n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1) n = 1;
    if (n > DV_MAX_THREADS) n = DV_MAX_THREADS;
    return (int)n;
}

int dv_config_check(const dv_config *cfg, dv_error *err)
{
    double wsum = cfg->w_rule_of_law + cfg->w_data_protection + cfg->w_civil_liberties +
                  cfg->w_regimes;
    if (wsum <= 0)
        return dv_fail(err, DV_EXIT_INPUT, "the safeguard weights add up to 0");
    return 0;
}
