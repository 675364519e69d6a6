/*
 * periods.c: the periods of divert stats (stats.h): --by's words, the
 * --baseline months, and a date's or a month's period and its label.
 * Months are numbered year * 12 + month - 1, quarters year * 4 + quarter
 * - 1, years as themselves.
 */
#include "divert/stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const dv_period_names[DV_BY_COUNT] = {"month", "quarter", "year"};
static const int months_per[DV_BY_COUNT] = {1, 3, 12};

int dv_stats_months_per(dv_period_kind by) { return months_per[by]; }

bool dv_stats_parse_by(const char *s, dv_period_kind *out)
{
    for (int k = 0; k < DV_BY_COUNT; k++)
        if (!strcmp(s, dv_period_names[k])) {
            *out = (dv_period_kind)k;
            return true;
        }
    return false;
}

/* "YYYY-MM" as a month number. */
static bool parse_month(const char *s, size_t len, int *out)
{
    if (len != 7 || s[4] != '-') return false;
    for (int i = 0; i < 7; i++)
        if (i != 4 && (s[i] < '0' || s[i] > '9')) return false;
    int y = atoi(s), m = (s[5] - '0') * 10 + (s[6] - '0');
    if (m < 1 || m > 12 || y < 1) return false;
    *out = y * 12 + m - 1;
    return true;
}

bool dv_stats_parse_baseline(const char *s, int *from, int *to, const char **why)
{
    const char *colon = strchr(s, ':');
    if (!colon) {
        *why = "it is not FROM:TO (two months YYYY-MM joined by a colon)";
        return false;
    }
    if (!parse_month(s, (size_t)(colon - s), from) ||
        !parse_month(colon + 1, strlen(colon + 1), to)) {
        *why = "FROM and TO must each be a month written YYYY-MM (month 01 to 12)";
        return false;
    }
    if (*from > *to) {
        *why = "FROM is after TO";
        return false;
    }
    return true;
}

int dv_stats_month_of(int32_t days)
{
    char d[11];
    dv_format_date(days, d);
    return atoi(d) * 12 + (d[5] - '0') * 10 + (d[6] - '0') - 1;
}

int dv_stats_period_of_month(int month, dv_period_kind by)
{
    return by == DV_BY_MONTH ? month : by == DV_BY_QUARTER ? month / 3 : month / 12;
}

int dv_stats_period_of(int32_t days, dv_period_kind by)
{
    return dv_stats_period_of_month(dv_stats_month_of(days), by);
}

int dv_stats_first_month(int period, dv_period_kind by)
{
    return period * (by == DV_BY_MONTH ? 1 : by == DV_BY_QUARTER ? 3 : 12);
}

void dv_stats_period_label(int period, dv_period_kind by, char out[16])
{
    if (by == DV_BY_MONTH) snprintf(out, 16, "%04d-%02d", period / 12, period % 12 + 1);
    else if (by == DV_BY_QUARTER) snprintf(out, 16, "%04d-Q%d", period / 4, period % 4 + 1);
    else snprintf(out, 16, "%04d", period);
}
