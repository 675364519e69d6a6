/*
 * investigate.c: what explain and paths share (investigate.h).
 */
#include "divert/investigate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "divert/msgs.h"
#include "divert/report.h"

int dv_inv_format(const char *command, const char *given, const char *const *names)
{
    if (!given) return 0;
    for (int i = 0; names[i]; i++)
        if (!strcmp(names[i], given)) return i;
    dv_buf all = {0};
    for (int i = 0; names[i]; i++)
        dv_buf_printf(&all, "%s%s", i == 0 ? "" : names[i + 1] ? ", " : " or ", names[i]);
    dv_msg("%s: unknown --format \"%s\"; it writes %s", command, given, all.data);
    dv_buf_free(&all);
    return -1;
}

uint32_t dv_inv_item(const char *command, const dv_dataset *ds, const char *code)
{
    size_t len = strlen(code);
    char *norm = dv_xmalloc(len + 1);
    dv_normalise_code(code, len, norm);
    uint32_t row = norm[0] ? dv_item_lookup(ds, norm) : DV_NONE;
    free(norm);
    if (row == DV_NONE)
        dv_msg("%s: --item %s: unknown item code: no item entry of %s covers it (no code of its "
               "items table is a prefix of it)",
               command, code, ds->dir);
    return row;
}

void dv_json_number(FILE *f, double v)
{
    if (isnan(v) || isinf(v)) {
        fputs("null", f);
        return;
    }
    char text[48];
    dv_format_number(v, text);
    fputs(text, f);
}

void dv_json_string_or_null(FILE *f, const char *s)
{
    if (s)
        dv_json_string(f, s);
    else
        fputs("null", f);
}

void dv_json_date(FILE *f, int32_t days)
{
    if (days == DV_NO_DATE) {
        fputs("null", f);
        return;
    }
    char d[11];
    dv_format_date(days, d);
    dv_json_string(f, d);
}

void dv_json_key(FILE *f, const char *k)
{
    dv_json_string(f, k);
    fputs(": ", f);
}

void dv_json_flag_fields(FILE *f, const dv_dataset *ds, const uint32_t *path, int hops,
                         const dv_flag_result *fr)
{
    dv_json_key(f, "weak_transits");
    fputs("[", f);
    bool first = true;
    for (int h = 1; h < hops; h++)
        if (fr->weak_transits & (1u << h)) {
            if (!first) fputs(", ", f);
            dv_json_string(f, ds->entities[path[h]].id);
            first = false;
        }
    fputs("], ", f);
    unsigned c = fr->concerns;
    fprintf(f,
            "\"concerns\": {\"destination\": %s, \"watchlist\": %s, \"end_user\": %s, "
            "\"human_rights\": %s}, ",
            c & DV_CONCERN_DESTINATION ? "true" : "false",
            c & DV_CONCERN_WATCHLIST ? "true" : "false", c & DV_CONCERN_END_USER ? "true" : "false",
            c & DV_CONCERN_HUMAN_RIGHTS ? "true" : "false");
    fprintf(f, "\"covered\": %s, \"covering_licence\": ", fr->covered ? "true" : "false");
    dv_json_string_or_null(f, fr->covered ? ds->licences[fr->licence].id : NULL);
    fprintf(f, ", \"covered_human_rights\": %s, \"flagged\": %s",
            fr->covered_hr ? "true" : "false", fr->flagged ? "true" : "false");
}
