/*
 * config.c: defaults, config files and the checks on a dv_config.
 *
 * Keys are a table of rows (name, kind, where in the struct, bounds), so a
 * new tunable is one line here and one in docs/configuration.md.
 */
#define _POSIX_C_SOURCE 200809L
#include "divert/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void dv_config_defaults(dv_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->window_days = 120;
    cfg->screen_threshold = 0.85; /* DV_SCREEN_THRESHOLD, docs/screening.md */
    cfg->max_hops = 6;
    cfg->max_examples = 20;
    cfg->weak_threshold = 0.5;
    cfg->w_rule_of_law = 0.35;
    cfg->w_data_protection = 0.15;
    cfg->w_civil_liberties = 0.20;
    cfg->w_regimes = 0.30;
    for (int i = 0; i < DV_RULE_COUNT; i++) cfg->rule_weight[i] = dv_rules[i].weight;
    cfg->rapid_days = 14;
    cfg->new_entity_days = 365;
    cfg->pass_through_ratio = 0.8;
    cfg->unit_value_factor = 3.0;
    cfg->split_min_shipments = 3;
    cfg->split_days = 14;
    cfg->max_field_bytes = 1u << 20;
    cfg->csv_formula_guard = true;
    cfg->fail_on = -1;
}

typedef enum { K_INT, K_DOUBLE, K_BOOL, K_SIZE } key_kind;

typedef struct key_row {
    const char *name;
    key_kind kind;
    size_t offset;
    double lo, hi;
} key_row;

#define ROW(name, kind, field, lo, hi) {name, kind, offsetof(dv_config, field), lo, hi}
static const key_row keys[] = {
    ROW("window_days", K_INT, window_days, 0, 36500),
    ROW("max_hops", K_INT, max_hops, 2, 12),
    ROW("max_examples", K_INT, max_examples, 0, 100000),
    ROW("weak_threshold", K_DOUBLE, weak_threshold, 0, 1),
    ROW("weight_rule_of_law", K_DOUBLE, w_rule_of_law, 0, 1),
    ROW("weight_data_protection", K_DOUBLE, w_data_protection, 0, 1),
    ROW("weight_civil_liberties", K_DOUBLE, w_civil_liberties, 0, 1),
    ROW("weight_regimes", K_DOUBLE, w_regimes, 0, 1),
    ROW("rapid_days", K_INT, rapid_days, 0, 36500),
    ROW("new_entity_days", K_INT, new_entity_days, 0, 36500),
    ROW("pass_through_ratio", K_DOUBLE, pass_through_ratio, 0, 10),
    ROW("unit_value_factor", K_DOUBLE, unit_value_factor, 1, 1e6),
    ROW("split_min_shipments", K_INT, split_min_shipments, 2, 1000000),
    ROW("split_days", K_INT, split_days, 0, 36500),
    ROW("max_field_bytes", K_SIZE, max_field_bytes, 1024, 1 << 30),
    ROW("csv_formula_guard", K_BOOL, csv_formula_guard, 0, 1),
    ROW("fail_on", K_DOUBLE, fail_on, -1, 100),
    ROW("threads", K_INT, threads, 0, DV_MAX_THREADS),
    ROW("max_memory_mb", K_SIZE, max_memory_mb, 0, (double)(1ULL << 40)),
    ROW("screen_threshold", K_DOUBLE, screen_threshold, 0, 1),
};
#undef ROW

int dv_config_set(dv_config *cfg, const char *key, const char *value, const char *where,
                  dv_error *err)
{
    /* an option (where = "--window") names itself; a file line names the key */
    char label[1200];
    if (where[0] == '-') snprintf(label, sizeof label, "%s", where);
    else snprintf(label, sizeof label, "%s: %s", where, key);
    if (strncmp(key, "weight.", 7) == 0) {
        int rule = dv_rule_find(key + 7);
        if (rule < 0)
            return dv_fail(err, DV_EXIT_INPUT, "%s: unknown rule \"%s\" (see docs/detection.md)",
                           where, key + 7);
        const char *why;
        double v;
        if (!dv_parse_range(value, strlen(value), 0, 100, &v, &why))
            return dv_fail(err, DV_EXIT_INPUT, "%s: \"%s\" %s (0 to 100)", label, value, why);
        cfg->rule_weight[rule] = v;
        return 0;
    }
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const key_row *k = &keys[i];
        if (strcmp(k->name, key) != 0) continue;
        char *field = (char *)cfg + k->offset;
        if (k->kind == K_BOOL) {
            bool b;
            if (!strcmp(value, "1") || !strcmp(value, "true") || !strcmp(value, "yes") ||
                !strcmp(value, "on"))
                b = true;
            else if (!strcmp(value, "0") || !strcmp(value, "false") || !strcmp(value, "no") ||
                     !strcmp(value, "off"))
                b = false;
            else
                return dv_fail(err, DV_EXIT_INPUT, "%s: \"%s\" is not true or false", label,
                               value);
            *(bool *)field = b;
            return 0;
        }
        double v;
        const char *why = NULL;
        bool ok = !strcmp(value, "-1") && k->lo < 0 ? (v = -1, true)
                  : dv_parse_nonneg(value, strlen(value), &v, &why);
        if (!ok)
            return dv_fail(err, DV_EXIT_INPUT, "%s: \"%s\" %s", label, value, why);
        if (v < k->lo || v > k->hi)
            return dv_fail(err, DV_EXIT_INPUT, "%s: %s is outside %.10g to %.10g", label, value, k->lo,
                           k->hi);
        if (k->kind != K_DOUBLE && v != (double)(long long)v)
            return dv_fail(err, DV_EXIT_INPUT, "%s: \"%s\" is not a whole number", label, value);
        if (k->kind == K_INT) *(int *)field = (int)v;
        else if (k->kind == K_SIZE) *(size_t *)field = (size_t)v;
        else *(double *)field = v;
        return 0;
    }
    return dv_fail(err, DV_EXIT_INPUT, "%s: unknown setting \"%s\" (see docs/configuration.md)",
                   where, key);
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
    int rc = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char where[1100];
        snprintf(where, sizeof where, "%s:%ld", path, lineno);
        if (lineno == 1 && !strncmp(line, "\xEF\xBB\xBF", 3)) /* a UTF-8 byte order mark */
            memmove(line, line + 3, strlen(line + 3) + 1);
        size_t len = strlen(line);
        if (len == sizeof line - 1 && line[len - 1] != '\n') {
            rc = dv_fail(err, DV_EXIT_INPUT, "%s: line too long", where);
            break;
        }
        char *hash = strchr(line, '#');
        if (hash) *hash = '\0';
        len = strlen(line);
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
        if ((rc = dv_config_set(cfg, key, value, where, err))) break;
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
