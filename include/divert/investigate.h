/*
 * investigate.h: what the investigator's commands (explain, paths) share:
 * reading --format and --item, finding an alert of one item entry's
 * detection, and writing JSON values. The commands compute nothing of
 * their own: they ask routes.h, flag.h and score.h, as the scan does.
 */
#ifndef DIVERT_INVESTIGATE_H
#define DIVERT_INVESTIGATE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "divert/dataset.h"
#include "divert/flag.h"

/* The index in `names` (NULL-terminated) of the --format value given, 0
 * (the first, the default) when none was given; -1 after a message
 * naming the command and the formats it writes. */
int dv_inv_format(const char *command, const char *given, const char *const *names);

/* The item entry of --item CODE (normalised as shipments' codes are), or
 * DV_NONE after a message naming the code and the dataset. */
uint32_t dv_inv_item(const char *command, const dv_dataset *ds, const char *code);

/* JSON values on f: a number (null for NaN), a string or null. */
void dv_json_number(FILE *f, double v);
void dv_json_string_or_null(FILE *f, const char *s);
/* A date (days) as "YYYY-MM-DD", or null for DV_NO_DATE. */
void dv_json_date(FILE *f, int32_t days);
/* An object key: "k": */
void dv_json_key(FILE *f, const char *k);
/* The members of a chain's flag verdict (flag.h), without the braces:
 * weak_transits (the transits' ids), concerns, covered, covering_licence,
 * covered_human_rights, flagged; path and hops are the chain's. */
void dv_json_flag_fields(FILE *f, const dv_dataset *ds, const uint32_t *path, int hops,
                         const dv_flag_result *fr);

#endif
