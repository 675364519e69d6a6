/*
 * test_util.c: the value parsers of the data contract (dates, numbers,
 * item codes, UTF-8), the watchlist key, the alert-id hash, and the map
 * and string table every stage builds on.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "divert/dataset.h"
#include "divert/util.h"
#include "support.h"

/* Exact double comparison with a readable failure. */
#define assert_double_eq(a, b)                                                        \
    do {                                                                              \
        double a_ = (a), b_ = (b);                                                    \
        if (!(a_ == b_)) fail_msg("%s is %.17g, expected %.17g", #a, a_, b_);         \
    } while (0)

/* ---- dates ---- */

static int32_t parse_date_ok(const char *s)
{
    int32_t days = 12345;
    const char *why = NULL;
    if (!dv_parse_date(s, strlen(s), &days, &why))
        fail_msg("date \"%s\" rejected: %s", s, why ? why : "(no reason)");
    return days;
}

static void parses_valid_dates_to_days_since_epoch(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int32_t days;
    } cases[] = {
        {"1970-01-01", 0},     {"1970-01-02", 1},     {"1969-12-31", -1},
        {"2000-01-01", 10957}, {"2000-03-01", 11017}, {"2024-01-01", 19723},
        {"2024-02-29", 19782}, {"2024-03-01", 19783}, {"2024-12-31", 20088},
        {"1900-01-01", -25567}, {"9999-12-31", 2932896},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int32_t got = parse_date_ok(cases[i].text);
        if (got != cases[i].days)
            fail_msg("%s: %d days, expected %d", cases[i].text, got, cases[i].days);
    }
}

static void accepts_leap_day_of_leap_years_only(void **state)
{
    (void)state;
    parse_date_ok("2024-02-29");
    parse_date_ok("2000-02-29"); /* divisible by 400 */
    static const char *const not_leap[] = {"2023-02-29", "1900-02-29", "2100-02-29"};
    for (size_t i = 0; i < 3; i++) {
        int32_t days;
        const char *why = NULL;
        if (dv_parse_date(not_leap[i], 10, &days, &why)) fail_msg("%s accepted", not_leap[i]);
        assert_string_equal(why, "does not exist");
    }
}

static void rejects_impossible_dates_with_reason(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *why;
    } cases[] = {
        {"2024-02-30", "does not exist"},
        {"2023-02-29", "does not exist"},
        {"2024-04-31", "does not exist"},
        {"2024-01-00", "does not exist"},
        {"2024-01-32", "does not exist"},
        {"2024-13-01", "has no such month"},
        {"2024-00-10", "has no such month"},
        {"1899-12-31", "has a year before 1900"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int32_t days = 777;
        const char *why = NULL;
        if (dv_parse_date(cases[i].text, strlen(cases[i].text), &days, &why))
            fail_msg("%s accepted as %d", cases[i].text, days);
        if (!why || strcmp(why, cases[i].why) != 0)
            fail_msg("%s: reason \"%s\", expected \"%s\"", cases[i].text, why ? why : "(null)",
                     cases[i].why);
    }
}

static void rejects_dates_not_in_yyyy_mm_dd_form(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "2024-2-3", "2024-02-3", "24-02-03", "2024/02/03", "20240203", "2024-02-03T00:00",
        " 2024-02-03", "2024-02-03 ", "2024-0a-03", "+024-02-03", "2024--2-03", "", "03.02.2024",
        "2024-02-03x",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int32_t days;
        const char *why = NULL;
        if (dv_parse_date(bad[i], strlen(bad[i]), &days, &why)) fail_msg("\"%s\" accepted", bad[i]);
        if (!why || strcmp(why, "is not a date in the form YYYY-MM-DD") != 0)
            fail_msg("\"%s\": reason \"%s\"", bad[i], why ? why : "(null)");
    }
}

static void parses_only_the_counted_bytes_of_a_date(void **state)
{
    (void)state;
    int32_t days = 0;
    const char *why = NULL;
    /* a date inside a longer buffer, as the CSV reader hands them */
    assert_true(dv_parse_date("2024-02-29,rest", 10, &days, &why));
    assert_int_equal(days, 19782);
}

static void formats_and_parses_every_day_back_to_the_same_date(void **state)
{
    (void)state;
    /* 1900-01-01 .. 2200-12-31: every day, across leap and century years */
    int32_t first = parse_date_ok("1900-01-01"), last = parse_date_ok("2200-12-31");
    char text[11];
    int32_t prev_year = 0, prev_month = 0, prev_day = 0;
    for (int32_t d = first; d <= last; d++) {
        memset(text, 'x', sizeof text);
        dv_format_date(d, text);
        assert_int_equal(strlen(text), 10);
        int32_t back = parse_date_ok(text);
        if (back != d) fail_msg("day %d formats as %s, which parses as %d", d, text, back);
        /* consecutive days are consecutive calendar dates */
        int y = atoi(text), m = atoi(text + 5), dd = atoi(text + 8);
        if (d > first) {
            bool next_day = y == prev_year && m == prev_month && dd == prev_day + 1;
            bool next_month = y == prev_year && m == prev_month + 1 && dd == 1;
            bool next_year = y == prev_year + 1 && m == 1 && dd == 1 && prev_month == 12;
            if (!next_day && !next_month && !next_year)
                fail_msg("%s does not follow %04d-%02d-%02d", text, prev_year, prev_month,
                         prev_day);
        }
        prev_year = y, prev_month = m, prev_day = dd;
    }
    dv_format_date(0, text);
    assert_string_equal(text, "1970-01-01");
    dv_format_date(19782, text);
    assert_string_equal(text, "2024-02-29");
}

static void formats_missing_date_as_empty(void **state)
{
    (void)state;
    char text[11] = "xxxxxxxxxx";
    dv_format_date(DV_NO_DATE, text);
    assert_string_equal(text, "");
}

/* ---- numbers ---- */

static void parses_nonnegative_decimals(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        double value;
    } cases[] = {
        {"12", 12},        {"12.5", 12.5},   {".5", 0.5},         {"5.", 5},
        {"0", 0},          {"-0", 0},        {"-0.0", 0},         {"1e3", 1000},
        {"1E3", 1000},     {"2.5e-1", 0.25}, {"1e+2", 100},       {"007", 7},
        {"0.000001", 1e-6}, {"1e-400", 0},   {"123456789012", 123456789012.0},
        {"1e15", 1e15},     {"1.7976931348623157e308", 1.7976931348623157e308},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double v = -99;
        const char *why = NULL;
        if (!dv_parse_nonneg(cases[i].text, strlen(cases[i].text), &v, &why))
            fail_msg("\"%s\" rejected: %s", cases[i].text, why ? why : "(null)");
        if (v != cases[i].value) fail_msg("\"%s\" is %.17g, expected %.17g", cases[i].text, v,
                                          cases[i].value);
    }
}

static void negative_zero_reads_as_positive_zero(void **state)
{
    (void)state;
    double v = 1;
    const char *why = NULL;
    assert_true(dv_parse_nonneg("-0", 2, &v, &why));
    assert_double_eq(v, 0.0);
    assert_false(signbit(v)); /* so it never prints as "-0" */
}

static void rejects_bad_numbers_with_reason(void **state)
{
    (void)state;
    static const char *const comma =
        "is not a number (use '.' for decimals and no thousands separators)";
    static const struct {
        const char *text;
        const char *why;
    } cases[] = {
        {"-1", "is negative"},
        {"-0.5", "is negative"},
        {"-1e3", "is negative"},
        {"1e309", "is out of range"},
        {"NaN", "is not a number"},
        {"nan", "is not a number"},
        {"inf", "is not a number"},
        {"Infinity", "is not a number"},
        {"-inf", "is not a number"},
        {"12,5", comma},
        {"1,000", comma},
        {"1,000.50", comma},
        {"", "is empty"},
        {" ", "is not a number"},
        {" 12", "is not a number"},
        {"12 ", "is not a number"},
        {"1 000", "is not a number"},
        {".", "is not a number"},
        {"-", "is not a number"},
        {"e3", "is not a number"},
        {"1e", "is not a number"},
        {"1e+", "is not a number"},
        {"1.2.3", "is not a number"},
        {"0x10", "is not a number"},
        {"12abc", "is not a number"},
        {"$12", "is not a number"},
        {"12%", "is not a number"},
        {"--1", "is not a number"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double v = 42;
        const char *why = NULL;
        if (dv_parse_nonneg(cases[i].text, strlen(cases[i].text), &v, &why))
            fail_msg("\"%s\" accepted as %.17g", cases[i].text, v);
        if (!why || strcmp(why, cases[i].why) != 0)
            fail_msg("\"%s\": reason \"%s\", expected \"%s\"", cases[i].text,
                     why ? why : "(null)", cases[i].why);
    }
}

static void rejects_plus_sign_as_util_h_documents(void **state)
{
    (void)state;
    /* util.h: "no sign but a leading '-' of a zero" */
    double v = 42;
    const char *why = NULL;
    if (dv_parse_nonneg("+5", 2, &v, &why)) fail_msg("\"+5\" accepted as %g", v);
}

/* The fast path for plain decimals gives strtod's double, bit for bit. */
static void plain_decimals_read_exactly_as_strtod(void **state)
{
    (void)state;
    uint64_t x = 0x9E3779B97F4A7C15ULL;
    for (int t = 0; t < 200000; t++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        char text[40];
        int digits = 1 + (int)(x % 16), dot = (int)((x >> 8) % (digits + 2)) - 1;
        size_t n = 0;
        for (int d = 0; d < digits; d++) {
            if (d == dot) text[n++] = '.';
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            text[n++] = (char)('0' + x % 10);
        }
        text[n] = '\0';
        double got = -1, want = strtod(text, NULL);
        const char *why = NULL;
        if (!dv_parse_nonneg(text, n, &got, &why)) fail_msg("\"%s\" rejected: %s", text, why);
        if (memcmp(&got, &want, sizeof got) != 0)
            fail_msg("\"%s\": %.17g, strtod gives %.17g", text, got, want);
    }
}

static void rejects_overlong_number_text(void **state)
{
    (void)state;
    char digits[200];
    memset(digits, '1', sizeof digits);
    double v;
    const char *why = NULL;
    assert_false(dv_parse_nonneg(digits, sizeof digits, &v, &why));
    assert_string_equal(why, "is too long for a number");
}

static void parses_only_the_counted_bytes_of_a_number(void **state)
{
    (void)state;
    double v = 0;
    const char *why = NULL;
    assert_true(dv_parse_nonneg("12.5,7", 4, &v, &why));
    assert_double_eq(v, 12.5);
}

static void range_parser_enforces_bounds(void **state)
{
    (void)state;
    double v = -1;
    const char *why = NULL;
    assert_true(dv_parse_range("0.5", 3, 0, 1, &v, &why));
    assert_double_eq(v, 0.5);
    assert_true(dv_parse_range("1", 1, 0, 1, &v, &why));
    assert_double_eq(v, 1);
    assert_false(dv_parse_range("1.5", 3, 0, 1, &v, &why));
    assert_string_equal(why, "is outside the allowed range");
    assert_false(dv_parse_range("-1", 2, 0, 1, &v, &why));
    assert_string_equal(why, "is negative");
}

static void formats_numbers_shortest_and_stable(void **state)
{
    (void)state;
    static const struct {
        double value;
        const char *text;
    } cases[] = {
        {0, "0"},
        {12, "12"},
        {12.5, "12.5"},
        {0.1, "0.1"},
        {0.1 + 0.2, "0.3"},
        {1.0 / 3.0, "0.333333"},
        {2.0 / 3.0, "0.666667"},
        {1234567.125, "1234567.125"},
        {1000000, "1000000"},
        {123456789012.0, "123456789012"},
        {0.000001, "0.000001"},
        {1e-7, "0"},
        {10.25, "10.25"},
        {99.99, "99.99"},
        {1e15, "1000000000000000"},
        {1e20, "1e+20"},
        {1.7976931348623157e308, "1.7976931348623157e+308"},
        {2.5e15 + 0.5, "2500000000000000.5"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[48];
        memset(out, 'x', sizeof out);
        dv_format_number(cases[i].value, out);
        if (strcmp(out, cases[i].text) != 0)
            fail_msg("%.17g formats as \"%s\", expected \"%s\"", cases[i].value, out,
                     cases[i].text);
    }
}

static void formatted_numbers_parse_back(void **state)
{
    (void)state;
    static const double values[] = {0, 1, 7.5, 0.25, 1e6, 1234.5678, 99999999.5};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        char out[48];
        dv_format_number(values[i], out);
        double back = -1;
        const char *why = NULL;
        if (!dv_parse_nonneg(out, strlen(out), &back, &why))
            fail_msg("\"%s\" does not parse: %s", out, why);
        if (back != values[i]) fail_msg("%.17g -> \"%s\" -> %.17g", values[i], out, back);
    }
}

/* ---- codes, UTF-8, text ---- */

static void normalises_codes_to_upper_case_letters_and_digits(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"8471.30", "847130"},   {"3a981.a", "3A981A"},     {"8471.30.00", "84713000"},
        {" 85 25-89 ", "852589"}, {"EAR99", "EAR99"},        {"ear99", "EAR99"},
        {"...", ""},             {"", ""},                   {"5A002.a.1", "5A002A1"},
        {"\xC3\xA9" "12", "12"}, /* non-ASCII letters are not code characters */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[64];
        memset(out, 'x', sizeof out);
        size_t n = dv_normalise_code(cases[i].in, strlen(cases[i].in), out);
        if (strcmp(out, cases[i].out) != 0 || n != strlen(cases[i].out))
            fail_msg("\"%s\" -> \"%s\" (%zu), expected \"%s\"", cases[i].in, out, n,
                     cases[i].out);
    }
}

static void accepts_valid_utf8(void **state)
{
    (void)state;
    static const char *const valid[] = {
        "",
        "plain ascii",
        "caf\xC3\xA9",                         /* é, 2 bytes */
        "\xE2\x82\xAC 10",                     /* €, 3 bytes */
        "\xF0\x9D\x84\x9E",                    /* U+1D11E, 4 bytes */
        "\xD0\x9E\xD0\x9E\xD0\x9E",            /* ООО */
        "\xEF\xBB\xBF",                        /* U+FEFF */
        "\xED\x9F\xBF",                        /* U+D7FF, just below the surrogates */
        "\xEE\x80\x80",                        /* U+E000, just above */
        "\xF4\x8F\xBF\xBF",                    /* U+10FFFF, the last code point */
        "\xC2\x80",                            /* U+0080, the first 2-byte one */
        "\xE0\xA0\x80",                        /* U+0800, the first 3-byte one */
        "\xF0\x90\x80\x80",                    /* U+10000, the first 4-byte one */
    };
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++)
        if (!dv_utf8_valid(valid[i], strlen(valid[i]))) fail_msg("valid case %zu rejected", i);
}

static void rejects_invalid_utf8(void **state)
{
    (void)state;
    static const struct {
        const char *what, *bytes;
    } invalid[] = {
        {"Latin-1 e acute", "caf\xE9"},
        {"lone continuation byte", "\x80"},
        {"overlong 2-byte slash", "\xC0\xAF"},
        {"overlong 2-byte NUL", "\xC1\x80"},
        {"overlong 3-byte", "\xE0\x80\xAF"},
        {"overlong 3-byte U+07FF", "\xE0\x9F\xBF"},
        {"overlong 4-byte", "\xF0\x80\x80\xAF"},
        {"overlong 4-byte U+FFFF", "\xF0\x8F\xBF\xBF"},
        {"high surrogate", "\xED\xA0\x80"},
        {"low surrogate", "\xED\xBF\xBF"},
        {"beyond U+10FFFF", "\xF4\x90\x80\x80"},
        {"F5 lead byte", "\xF5\x80\x80\x80"},
        {"FF byte", "\xFF"},
        {"truncated 2-byte", "\xC3"},
        {"truncated 3-byte", "\xE2\x82"},
        {"truncated 4-byte", "\xF0\x9D\x84"},
        {"truncated then ASCII", "\xE2\x82x"},
        {"continuation missing mid-string", "a\xC3" "b"},
        {"invalid after a long ASCII run", "abcdefghijklmnopqrstuvw\xE9xyz"},
        {"truncated at the end of a long ASCII run", "abcdefghijklmnop\xE2\x82"},
    };
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
        if (dv_utf8_valid(invalid[i].bytes, strlen(invalid[i].bytes)))
            fail_msg("%s accepted", invalid[i].what);
}

static void utf8_check_stops_at_the_counted_length(void **state)
{
    (void)state;
    /* the 3-byte sequence is cut by the length, not by a NUL */
    assert_false(dv_utf8_valid("\xE2\x82\xAC", 2));
    assert_true(dv_utf8_valid("ab\xFF", 2));
}

static void trims_ascii_white_space(void **state)
{
    (void)state;
    size_t len = 9;
    const char *s = dv_trim(" \t abc \r\n", &len);
    assert_int_equal(len, 3);
    assert_memory_equal(s, "abc", 3);
    len = 3;
    dv_trim("   ", &len);
    assert_int_equal(len, 0);
}

/* Issue #11: the characters that show as nothing or as a plain space are
 * trimmed at either end like ASCII white space, however many and in any
 * mix; inside a field, and characters that only look alike, stay. */
static void trims_invisible_characters_at_the_ends(void **state)
{
    (void)state;
    static const char *const invisible[] = {
        "\xC2\x85",     "\xC2\xA0",     "\xC2\xAD",     "\xE1\x9A\x80", "\xE1\xA0\x8E",
        "\xE2\x80\x80", "\xE2\x80\x8A", "\xE2\x80\x8B", "\xE2\x80\x8C", "\xE2\x80\x8D",
        "\xE2\x80\xA8", "\xE2\x80\xA9", "\xE2\x80\xAF", "\xE2\x81\x9F", "\xE2\x81\xA0",
        "\xE2\x81\xA4", "\xE3\x80\x80", "\xEF\xBB\xBF"};
    for (size_t i = 0; i < sizeof invisible / sizeof invisible[0]; i++) {
        const char *c = invisible[i];
        char *text = dv_xasprintf("%s %s\tE-1%sx%s %s", c, c, c, c, c);
        size_t len = strlen(text);
        const char *s = dv_trim(text, &len);
        char *want = dv_xasprintf("E-1%sx", c); /* the one inside stays */
        if (len != strlen(want) || memcmp(s, want, len) != 0)
            fail_msg("invisible %zu: \"%.*s\", expected \"%s\"", i, (int)len, s, want);
        free(want);
        free(text);
    }
    /* look-alikes and neighbours that are visible are kept, and so are
     * pieces of an invisible character; and so are the controls that
     * reorder text (directional marks, embeddings, overrides, isolates):
     * "\u202eUR" shows as RU, and trimming would make it UR */
    static const char *const kept[] = {
        "\xE2\x80\x8E",  /* U+200E left-to-right mark */
        "\xE2\x80\x8F",  /* U+200F right-to-left mark */
        "\xE2\x80\xAA",  /* U+202A left-to-right embedding */
        "\xE2\x80\xAE",  /* U+202E right-to-left override */
        "\xE2\x81\xA5",  /* U+2065, unassigned */
        "\xE2\x81\xA6",  /* U+2066 left-to-right isolate */
        "\xE2\x81\xA9",  /* U+2069 pop directional isolate */
        "\xE2\x81\xAF",  /* U+206F nominal digit shapes */
        "\xC3\xA9",      /* e-acute */
        "\xE2\x80\x90",  /* U+2010 hyphen */
        "\xE2\x80\xA7",  /* U+2027 hyphenation point */
        "\xE2\x81\x9E",  /* U+205E vertical four dots */
        "\xE2\x81\xB0",  /* U+2070 superscript zero */
        "\xEF\xBB\xBE",  /* U+FEFE */
        "\xE2\x80",      /* a zero-width space cut short */
        "\x8B",          /* its last byte alone */
        "\xA0",
    };
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
        char *text = dv_xasprintf(" %sE1%s ", kept[i], kept[i]);
        size_t len = strlen(text);
        const char *s = dv_trim(text, &len);
        if (len != strlen(text) - 2 || s != text + 1) fail_msg("kept %zu: trimmed to %zu bytes", i, len);
        free(text);
    }
    size_t len = 9;
    dv_trim("\xE2\x80\x8B \xC2\xA0\t\xC2\xA0", &len);
    assert_int_equal(len, 0);
}

static void compares_case_insensitively(void **state)
{
    (void)state;
    assert_true(dv_ieq("Manufacturer", 12, "manufacturer"));
    assert_true(dv_ieq("END_USER", 8, "end_user"));
    assert_false(dv_ieq("end_use", 7, "end_user"));
    assert_false(dv_ieq("end_users", 9, "end_user"));
}

/* ---- address keys ---- */

static void address_key_joins_dotted_single_letters(void **state)
{
    (void)state;
    char out[64];
    dv_address_key("P.O. Box 7, Jebel Ali", 21, out, sizeof out);
    assert_string_equal(out, "PO BOX 7 JEBEL ALI");
    /* a dot after a word of two letters or more separates */
    dv_address_key("St.Petersburg", 13, out, sizeof out);
    assert_string_equal(out, "ST PETERSBURG");
}

static void address_key_respects_capacity(void **state)
{
    (void)state;
    char out[8];
    memset(out, 'x', sizeof out);
    dv_address_key("Alpha Beta Gamma", 16, out, sizeof out);
    assert_true(memchr(out, '\0', sizeof out) != NULL);
    assert_true(strlen(out) < sizeof out);
}

static void address_key_keeps_letters_digits_single_spaces(void **state)
{
    (void)state;
    char out[128];
    size_t n = dv_address_key("  12, Main-Street;  Dubai  ", 27, out, sizeof out);
    assert_string_equal(out, "12 MAIN STREET DUBAI");
    assert_int_equal(n, strlen(out));
    /* legal-form words are part of an address */
    dv_address_key("1 Co Road", 9, out, sizeof out);
    assert_string_equal(out, "1 CO ROAD");
}

/* ---- hash ---- */

static void hash64_is_fnv1a(void **state)
{
    (void)state;
    assert_true(dv_hash64("", 0) == 0xcbf29ce484222325ULL);
    assert_true(dv_hash64("a", 1) == 0xaf63dc4c8601ec8cULL);
    assert_true(dv_hash64("foobar", 6) == 0x85944171f73967e8ULL);
    /* only the counted bytes */
    assert_true(dv_hash64("ab", 1) == dv_hash64("a", 1));
    assert_true(dv_hash64("ab", 2) != dv_hash64("ba", 2));
}

/* ---- map and interned strings ---- */

static int cmp_keyed_then_aux(const void *a, const void *b)
{
    const dv_keyed *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return (x->aux > y->aux) - (x->aux < y->aux);
}

/* Against qsort on (key, original position): sorted, and stable. */
static void keyed_sort_is_sorted_and_stable(void **state)
{
    (void)state;
    static const size_t sizes[] = {0, 1, 2, 63, 64, 65, 1000, 100000};
    uint64_t x = 88172645463325252ULL; /* xorshift64 */
    for (size_t t = 0; t < sizeof sizes / sizeof sizes[0]; t++) {
        size_t n = sizes[t];
        dv_keyed *a = dv_xmalloc((n ? n : 1) * sizeof *a), *b = dv_xmalloc((n ? n : 1) * sizeof *b);
        for (size_t i = 0; i < n; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            /* few distinct keys in some sizes, so that stability is tested;
             * keys spread over all eight bytes in others */
            uint64_t key = t % 2 ? x % 17 : x;
            a[i] = b[i] = (dv_keyed){key, (uint32_t)(i * 7), (uint32_t)i};
        }
        dv_sort_keyed(a, n);
        dv_qsort(b, n, sizeof *b, cmp_keyed_then_aux);
        for (size_t i = 0; i < n; i++)
            if (a[i].key != b[i].key || a[i].row != b[i].row || a[i].aux != b[i].aux)
                fail_msg("n=%zu: position %zu differs", n, i);
        free(a);
        free(b);
    }
}

/* a record with a string key among other fields, as the loader sorts */
typedef struct keyed_rec {
    double pad;
    const char *key;
    int tag;
} keyed_rec;

static int cmp_rec_key(const void *a, const void *b)
{
    return strcmp(((const keyed_rec *)a)->key, ((const keyed_rec *)b)->key);
}

static void string_sort_matches_strcmp_order(void **state)
{
    (void)state;
    /* shapes: random UUID-like keys; a long prefix every key shares
     * ("LIC-"); keys that are prefixes of others and differ only after
     * eight bytes; bytes above 127 (strcmp compares them unsigned) */
    static const size_t sizes[] = {0, 1, 2, 3, 64, 1000, 20000};
    uint64_t x = 1181783497276652981ULL;
    for (int shape = 0; shape < 4; shape++)
        for (size_t t = 0; t < sizeof sizes / sizeof sizes[0]; t++) {
            size_t n = sizes[t];
            keyed_rec *a = dv_xmalloc((n ? n : 1) * sizeof *a), *b = dv_xmalloc((n ? n : 1) * sizeof *b);
            char (*keys)[48] = dv_xmalloc((n ? n : 1) * sizeof *keys);
            for (size_t i = 0; i < n; i++) {
                x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                if (shape == 0) snprintf(keys[i], 48, "%016llx-%04x", (unsigned long long)x, (unsigned)i);
                else if (shape == 1) snprintf(keys[i], 48, "LIC-%llu", (unsigned long long)(x % 100000));
                else if (shape == 2) snprintf(keys[i], 48, "ENTITY-0000000%.*s", (int)(x % 6), "123456");
                else snprintf(keys[i], 48, "%c%c\xc3\xa9%u", (char)('a' + x % 3), (char)(0x80 | (x >> 8) % 64), (unsigned)(x % 50));
                a[i] = b[i] = (keyed_rec){(double)i, keys[i], (int)i};
            }
            dv_sort_by_string(a, n, sizeof *a, offsetof(keyed_rec, key), cmp_rec_key);
            dv_qsort(b, n, sizeof *b, cmp_rec_key);
            for (size_t i = 0; i < n; i++)
                if (strcmp(a[i].key, b[i].key) != 0)
                    fail_msg("shape %d, n=%zu: position %zu is %s, not %s", shape, n, i, a[i].key, b[i].key);
            /* every record is still there once, whole */
            long sum = 0;
            for (size_t i = 0; i < n; i++) sum += a[i].tag, assert_true(a[i].pad == (double)a[i].tag);
            assert_int_equal(sum, (long)(n ? n * (n - 1) / 2 : 0));
            free(keys);
            free(a);
            free(b);
        }
}

static void map_index_finds_every_key_and_keeps_the_first(void **state)
{
    (void)state;
    enum { N = 5000 };
    keyed_rec *r = dv_xmalloc(N * sizeof *r);
    char (*keys)[48] = dv_xmalloc(N * sizeof *keys);
    for (int i = 0; i < N; i++) {
        /* every tenth key repeats the one before it; some keys longer than
         * a slot holds inline */
        if (i % 10 == 9) memcpy(keys[i], keys[i - 1], sizeof keys[i]);
        else snprintf(keys[i], 48, i % 3 ? "k%d" : "a-much-longer-key-than-forty-bytes-%08d", i);
        r[i] = (keyed_rec){0, keys[i], i};
    }
    dv_map m = {0};
    dv_map_index(&m, r, N, sizeof *r, offsetof(keyed_rec, key));
    for (int i = 0; i < N; i++) {
        uint32_t v;
        assert_true(dv_map_get(&m, keys[i], strlen(keys[i]), &v));
        assert_int_equal(v, i % 10 == 9 ? i - 1 : i);
    }
    assert_int_equal(m.n, N - N / 10);
    assert_false(dv_map_get(&m, "k9", 2, NULL)); /* row 9 repeats row 8's key: no k9 */
    dv_map_free(&m);
    free(keys);
    free(r);
}

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Against the middle of a sorted copy: small and large, odd and even,
 * many duplicates, already sorted and reversed. */
static void median_matches_the_sorted_middle(void **state)
{
    (void)state;
    static const size_t sizes[] = {1, 2, 3, 4, 15, 16, 17, 100, 1001, 100000};
    uint64_t x = 2463534242ULL;
    for (size_t t = 0; t < sizeof sizes / sizeof sizes[0]; t++) {
        for (int shape = 0; shape < 4; shape++) {
            size_t n = sizes[t];
            double *v = dv_xmalloc(n * sizeof *v), *w = dv_xmalloc(n * sizeof *w);
            for (size_t i = 0; i < n; i++) {
                x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                v[i] = shape == 0   ? (double)(x % 1000000) / 7
                       : shape == 1 ? (double)(x % 3)
                       : shape == 2 ? (double)i
                                    : (double)(n - i);
            }
            memcpy(w, v, n * sizeof *v);
            dv_qsort(w, n, sizeof *w, cmp_dbl);
            double want = n % 2 ? w[n / 2] : (w[n / 2 - 1] + w[n / 2]) / 2;
            double got = dv_median(v, n);
            if (got != want) fail_msg("n=%zu shape %d: median %g, expected %g", n, shape, got, want);
            free(v);
            free(w);
        }
    }
}

static void map_puts_and_gets(void **state)
{
    (void)state;
    dv_map m = {0};
    uint32_t v = 99, existing = 99;
    assert_false(dv_map_get(&m, "a", 1, &v)); /* empty map */
    assert_true(dv_map_put(&m, "alpha", 1, &existing));
    assert_true(dv_map_put(&m, "beta", 2, &existing));
    assert_int_equal(existing, 99);
    assert_true(dv_map_get(&m, "alpha", 5, &v));
    assert_int_equal(v, 1);
    assert_true(dv_map_get(&m, "beta", 4, &v));
    assert_int_equal(v, 2);
    assert_false(dv_map_get(&m, "gamma", 5, &v));
    /* counted keys: a prefix is not the key, a prefix of a longer text is */
    assert_false(dv_map_get(&m, "alpha", 4, &v));
    assert_true(dv_map_get(&m, "alphabet", 5, &v));
    assert_int_equal(v, 1);
    assert_int_equal(m.n, 2);
    dv_map_free(&m);
    assert_int_equal(m.n, 0);
    assert_null(m.slots);
}

static void map_put_of_existing_key_keeps_first_value(void **state)
{
    (void)state;
    dv_map m = {0};
    uint32_t existing = 0, v = 0;
    assert_true(dv_map_put(&m, "id", 7, NULL));
    char other[] = "id"; /* equal text, other pointer */
    assert_false(dv_map_put(&m, other, 8, &existing));
    assert_int_equal(existing, 7);
    assert_true(dv_map_get(&m, "id", 2, &v));
    assert_int_equal(v, 7);
    assert_int_equal(m.n, 1);
    dv_map_free(&m);
}

static void map_keeps_every_key_across_growth(void **state)
{
    (void)state;
    enum { N = 5000 };
    char (*keys)[16] = calloc(N, sizeof *keys);
    assert_non_null(keys);
    dv_map m = {0};
    for (uint32_t i = 0; i < N; i++) {
        snprintf(keys[i], sizeof keys[i], "k%u", i);
        assert_true(dv_map_put(&m, keys[i], i * 3, NULL));
    }
    assert_int_equal(m.n, N);
    for (uint32_t i = 0; i < N; i++) {
        uint32_t v = 0;
        if (!dv_map_get(&m, keys[i], strlen(keys[i]), &v) || v != i * 3)
            fail_msg("key %s lost or wrong (%u)", keys[i], v);
    }
    assert_false(dv_map_get(&m, "k5000", 5, NULL));
    dv_map_free(&m);
    free(keys);
}

static void interned_equal_strings_are_one_pointer(void **state)
{
    (void)state;
    dv_arena arena = {0};
    dv_intern t = {0};
    t.arena = &arena;
    char buf1[] = "Hub Trading", buf2[] = "Hub Trading";
    const char *a = dv_intern_str(&t, buf1, strlen(buf1));
    const char *b = dv_intern_str(&t, buf2, strlen(buf2));
    const char *c = dv_intern_str(&t, "Hub", 3);
    const char *d = dv_intern_str(&t, "Hub Trading FZE", 3); /* counted: "Hub" */
    assert_ptr_equal(a, b);
    assert_ptr_not_equal(a, buf1);
    assert_string_equal(a, "Hub Trading");
    assert_ptr_not_equal(a, c);
    assert_ptr_equal(c, d);
    assert_string_equal(c, "Hub");
    assert_int_equal(t.n, 2);
    /* the copy survives the caller's buffer */
    memset(buf1, 'z', sizeof buf1 - 1);
    assert_string_equal(a, "Hub Trading");
    const char *empty = dv_intern_str(&t, "", 0);
    assert_string_equal(empty, "");
    assert_ptr_equal(empty, dv_intern_str(&t, "x", 0));
    dv_intern_free(&t);
    dv_arena_free(&arena);
}

static void interns_many_strings(void **state)
{
    (void)state;
    dv_arena arena = {0};
    dv_intern t = {0};
    t.arena = &arena;
    enum { N = 3000 };
    const char **first = calloc(N, sizeof *first);
    assert_non_null(first);
    char buf[32];
    for (int i = 0; i < N; i++) {
        snprintf(buf, sizeof buf, "entity-%d", i);
        first[i] = dv_intern_str(&t, buf, strlen(buf));
    }
    for (int i = 0; i < N; i++) {
        snprintf(buf, sizeof buf, "entity-%d", i);
        if (dv_intern_str(&t, buf, strlen(buf)) != first[i]) fail_msg("%s interned twice", buf);
    }
    assert_int_equal(t.n, N);
    free(first);
    dv_intern_free(&t);
    dv_arena_free(&arena);
}

static void arena_hands_out_aligned_distinct_memory(void **state)
{
    (void)state;
    dv_arena a = {0};
    char *p = dv_arena_alloc(&a, 3);
    char *q = dv_arena_alloc(&a, 5);
    assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
    assert_int_equal((uintptr_t)q % _Alignof(max_align_t), 0);
    assert_true(q >= p + 3);
    /* bigger than a block */
    char *big = dv_arena_alloc(&a, (1u << 20) + 100);
    memset(big, 1, (1u << 20) + 100);
    char *s = dv_arena_strndup(&a, "abcdef", 3);
    assert_string_equal(s, "abc");
    assert_int_equal(a.used_bytes, 3 + 5 + (1u << 20) + 100 + 4);
    dv_arena_free(&a);
    assert_null(a.head);
    dv_arena_free(NULL);
}

static void buffer_grows_and_stays_terminated(void **state)
{
    (void)state;
    dv_buf b = {0};
    dv_buf_puts(&b, "alpha");
    dv_buf_add(&b, ",beta", 2);
    dv_buf_printf(&b, "-%d-%s", 42, "x");
    assert_string_equal(b.data, "alpha,b-42-x");
    assert_int_equal(b.len, 12);
    for (int i = 0; i < 1000; i++) dv_buf_puts(&b, "0123456789");
    assert_int_equal(b.len, 12 + 10000);
    assert_int_equal(strlen(b.data), b.len);
    dv_buf_free(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
}

static void fail_fills_error_and_returns_code(void **state)
{
    (void)state;
    dv_error err = {0, ""};
    assert_int_equal(dv_fail(&err, DV_EXIT_INPUT, "%s:%d: %s", "f.csv", 3, "bad"), DV_EXIT_INPUT);
    assert_int_equal(err.code, DV_EXIT_INPUT);
    assert_string_equal(err.msg, "f.csv:3: bad");
    assert_int_equal(dv_fail(NULL, DV_EXIT_INTERNAL, "x"), DV_EXIT_INTERNAL);
}

static void edit_distance_counts_a_swap_as_one_edit(void **state)
{
    (void)state;
    assert_int_equal(dv_edit_distance("scan", 4, "scan", 4), 0);
    assert_int_equal(dv_edit_distance("scna", 4, "scan", 4), 1);
    assert_int_equal(dv_edit_distance("windw", 5, "window", 6), 1);
    assert_int_equal(dv_edit_distance("", 0, "abc", 3), 3);
    assert_int_equal(dv_edit_distance("kitten", 6, "sitting", 7), 3);
}

static const char *nearest_of(const char *word, const char *const *candidates)
{
    static dv_nearest n;
    dv_nearest_init(&n, word);
    for (size_t i = 0; candidates[i]; i++) dv_nearest_try(&n, candidates[i]);
    return dv_nearest_result(&n);
}

static void nearest_name_is_found_only_when_near_and_alone(void **state)
{
    (void)state;
    static const char *const options[] = {"--window", "--max-hops", "--threads", "--threshold",
                                          NULL};
    assert_string_equal(nearest_of("--windw", options), "--window");
    assert_string_equal(nearest_of("--thread", options), "--threads");
    assert_string_equal(nearest_of("--max-hop", options), "--max-hops");
    assert_null(nearest_of("--colour", options));      /* too far from all */
    assert_null(nearest_of("--window", options));      /* not a typo */
    static const char *const two[] = {"scan", "span", NULL};
    assert_null(nearest_of("sban", two));              /* as near to both */
    static const char *const commands[] = {"scan", "screen", "validate", NULL};
    assert_string_equal(nearest_of("scna", commands), "scan");
    assert_null(nearest_of("x", commands));
    /* failing a near one, the one name the word begins */
    assert_string_equal(nearest_of("--win", options), "--window");
    assert_string_equal(nearest_of("val", commands), "validate");
    assert_null(nearest_of("--thre", options)); /* --threads and --threshold */
    assert_null(nearest_of("sc", commands));     /* too short to tell */
}

static const char *escaped(const char *s)
{
    static dv_buf b;
    b.len = 0;
    dv_escape_text(s, strlen(s), &b);
    return b.data;
}

/* What a terminal would obey is shown, not obeyed: C0 and DEL, C1 as
 * UTF-8, the bidi controls, bytes that are not UTF-8; the rest of UTF-8
 * is kept as written. */
static void escape_text_shows_terminal_controls(void **state)
{
    (void)state;
    assert_string_equal(escaped("plain text"), "plain text");
    assert_string_equal(escaped("\x1b]0;pwned\x07"), "\\x1b]0;pwned\\x07");
    assert_string_equal(escaped("a\tb\nc\rd\x7f"), "a\\tb\\nc\\rd\\x7f");
    assert_string_equal(escaped("\xc2\x9b" "31m"), "\\u009b31m");
    assert_string_equal(escaped("\xe2\x80\xae" "UR"), "\\u202eUR");
    assert_string_equal(escaped("\xe2\x81\xa6x"), "\\u2066x");
    assert_string_equal(escaped("bad \xff\xc3"), "bad \\xff\\xc3");
    assert_string_equal(escaped("caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80"),
                        "caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80");
    assert_string_equal(escaped(""), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(string_sort_matches_strcmp_order),
        cmocka_unit_test(map_index_finds_every_key_and_keeps_the_first),
        cmocka_unit_test(parses_valid_dates_to_days_since_epoch),
        cmocka_unit_test(accepts_leap_day_of_leap_years_only),
        cmocka_unit_test(rejects_impossible_dates_with_reason),
        cmocka_unit_test(rejects_dates_not_in_yyyy_mm_dd_form),
        cmocka_unit_test(parses_only_the_counted_bytes_of_a_date),
        cmocka_unit_test(formats_and_parses_every_day_back_to_the_same_date),
        cmocka_unit_test(formats_missing_date_as_empty),
        cmocka_unit_test(parses_nonnegative_decimals),
        cmocka_unit_test(negative_zero_reads_as_positive_zero),
        cmocka_unit_test(rejects_bad_numbers_with_reason),
        cmocka_unit_test(rejects_plus_sign_as_util_h_documents),
        cmocka_unit_test(plain_decimals_read_exactly_as_strtod),
        cmocka_unit_test(rejects_overlong_number_text),
        cmocka_unit_test(parses_only_the_counted_bytes_of_a_number),
        cmocka_unit_test(range_parser_enforces_bounds),
        cmocka_unit_test(formats_numbers_shortest_and_stable),
        cmocka_unit_test(formatted_numbers_parse_back),
        cmocka_unit_test(normalises_codes_to_upper_case_letters_and_digits),
        cmocka_unit_test(accepts_valid_utf8),
        cmocka_unit_test(rejects_invalid_utf8),
        cmocka_unit_test(utf8_check_stops_at_the_counted_length),
        cmocka_unit_test(trims_ascii_white_space),
        cmocka_unit_test(trims_invisible_characters_at_the_ends),
        cmocka_unit_test(compares_case_insensitively),
        cmocka_unit_test(address_key_joins_dotted_single_letters),
        cmocka_unit_test(address_key_respects_capacity),
        cmocka_unit_test(address_key_keeps_letters_digits_single_spaces),
        cmocka_unit_test(hash64_is_fnv1a),
        cmocka_unit_test(keyed_sort_is_sorted_and_stable),
        cmocka_unit_test(median_matches_the_sorted_middle),
        cmocka_unit_test(map_puts_and_gets),
        cmocka_unit_test(map_put_of_existing_key_keeps_first_value),
        cmocka_unit_test(map_keeps_every_key_across_growth),
        cmocka_unit_test(interned_equal_strings_are_one_pointer),
        cmocka_unit_test(interns_many_strings),
        cmocka_unit_test(arena_hands_out_aligned_distinct_memory),
        cmocka_unit_test(buffer_grows_and_stays_terminated),
        cmocka_unit_test(fail_fills_error_and_returns_code),
        cmocka_unit_test(edit_distance_counts_a_swap_as_one_edit),
        cmocka_unit_test(escape_text_shows_terminal_controls),
        cmocka_unit_test(nearest_name_is_found_only_when_near_and_alone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
