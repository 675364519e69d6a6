/*
 * fuzz_parse.c: the value parsers of the data contract on arbitrary bytes.
 *
 * Every input goes through all of them: dates, numbers (plain and in a
 * range), item codes, UTF-8 checking and repair, address
 * keys, trimming and case-insensitive comparison. Besides not crashing,
 * each result is held to a property that is cheap to check, most of them
 * against a small independent reference written here:
 *
 * - a date parses exactly when it is YYYY-MM-DD of a real day from 1900
 *   on, and then formats back to the same 10 bytes;
 * - a number parses exactly when it has the documented form and is finite
 *   and not negative, and then equals strtod's reading, is >= 0 (never
 *   -0), and its dv_format_number text parses again;
 * - a normalised code is the ASCII letters and digits, upper-cased;
 * - dv_utf8_valid agrees with a plain decoder; sanitizing leaves valid
 *   UTF-8 as it is and makes anything else valid;
 * - keys hold only A-Z, 0-9, non-ASCII bytes and single inner spaces, and
 *   fit their buffer;
 * - trimming drops exactly the white space at both ends: ASCII white
 *   space and the invisible Unicode characters (a reference list of code
 *   points, decoded here).
 */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#include "divert/dataset.h"
#include "fuzz_support.h"

/* ---- references ---- */

static bool ref_utf8_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t more;
        uint32_t cp, least;
        if ((c & 0xE0) == 0xC0) more = 1, cp = c & 0x1F, least = 0x80;
        else if ((c & 0xF0) == 0xE0) more = 2, cp = c & 0x0F, least = 0x800;
        else if ((c & 0xF8) == 0xF0) more = 3, cp = c & 0x07, least = 0x10000;
        else return false;
        if (n - i <= more) return false;
        for (size_t k = 1; k <= more; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return false;
            cp = cp << 6 | (s[i + k] & 0x3F);
        }
        if (cp < least || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += more + 1;
    }
    return true;
}

static bool digit(char c) { return c >= '0' && c <= '9'; }

/* The number grammar of dv_parse_nonneg: -? digits [. digits] [e [+-] digits],
 * with at least one digit before the exponent. */
static bool ref_number_form(const char *s, size_t n, bool *negative)
{
    size_t i = 0, digits = 0;
    *negative = n && s[0] == '-';
    if (*negative) i++;
    while (i < n && digit(s[i])) i++, digits++;
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && digit(s[i])) i++, digits++;
    }
    if (!digits) return false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-')) i++;
        size_t exp_digits = 0;
        while (i < n && digit(s[i])) i++, exp_digits++;
        if (!exp_digits) return false;
    }
    return i == n;
}

static bool ref_date_valid(const char *s, size_t n)
{
    if (n != 10 || s[4] != '-' || s[7] != '-') return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !digit(s[i])) return false;
    int y = atoi((char[]){s[0], s[1], s[2], s[3], 0});
    int m = atoi((char[]){s[5], s[6], 0});
    int d = atoi((char[]){s[8], s[9], 0});
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || m < 1 || m > 12 || d < 1) return false;
    return d <= days[m - 1] + (m == 2 && leap);
}

static bool c_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* The code points dv_trim takes off the ends besides ASCII white space. */
static bool ref_invisible(uint32_t cp)
{
    return cp == 0x85 || cp == 0xA0 || cp == 0xAD || cp == 0x1680 || cp == 0x180E ||
           (cp >= 0x2000 && cp <= 0x200D) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
           (cp >= 0x205F && cp <= 0x2064) || cp == 0x3000 || cp == 0xFEFF;
}

static bool cont(unsigned char c) { return (c & 0xC0) == 0x80; }

/* The code point of a well-formed 2- or 3-byte sequence of k bytes at p. */
static bool ref_decode(const unsigned char *p, size_t k, uint32_t *cp)
{
    if (k == 2 && p[0] >= 0xC2 && p[0] <= 0xDF && cont(p[1])) {
        *cp = (uint32_t)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
        return true;
    }
    if (k == 3 && (p[0] & 0xF0) == 0xE0 && cont(p[1]) && cont(p[2])) {
        *cp = (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
        return *cp >= 0x800;
    }
    return false;
}

/* The length of the white space that starts (or, backwards, ends) the n
 * bytes at p, or 0. */
static size_t ref_white_at(const unsigned char *p, size_t n, bool backwards)
{
    if (!n) return 0;
    if (c_space(backwards ? p[n - 1] : p[0])) return 1;
    for (size_t k = 2; k <= 3 && k <= n; k++) {
        uint32_t cp;
        if (ref_decode(backwards ? p + n - k : p, k, &cp) && ref_invisible(cp)) return k;
    }
    return 0;
}

/* ---- checks ---- */

static void check_date(const char *s, size_t n)
{
    int32_t days = 0;
    const char *why = NULL;
    bool ok = dv_parse_date(s, n, &days, &why);
    FUZZ_CHECK(ok == ref_date_valid(s, n), "dv_parse_date says %d on \"%.*s\"", ok,
               (int)(n > 40 ? 40 : n), s);
    if (!ok) {
        FUZZ_CHECK(why && *why, "no reason for a rejected date");
        return;
    }
    char text[11];
    dv_format_date(days, text);
    FUZZ_CHECK(memcmp(text, s, 10) == 0, "\"%.10s\" formats back as \"%s\"", s, text);
}

static void check_number(const char *s, size_t n)
{
    double v = -1;
    const char *why = NULL;
    bool ok = dv_parse_nonneg(s, n, &v, &why);
    bool negative = false, form = ref_number_form(s, n, &negative);
    double expect = 0;
    bool expect_ok = false;
    if (form && n < 128) {
        char tmp[128];
        memcpy(tmp, s, n);
        tmp[n] = '\0';
        expect = strtod(tmp, NULL);
        expect_ok = isfinite(expect) && !(negative && expect != 0.0);
    }
    FUZZ_CHECK(ok == expect_ok, "dv_parse_nonneg says %d on \"%.*s\"", ok, (int)(n > 60 ? 60 : n), s);
    if (!ok) {
        FUZZ_CHECK(why && *why, "no reason for a rejected number");
    } else {
        FUZZ_CHECK(isfinite(v) && v >= 0 && !signbit(v), "\"%.*s\" read as %g", (int)n, s, v);
        FUZZ_CHECK(v == expect, "\"%.*s\" read as %.17g, strtod says %.17g", (int)n, s, v, expect);
        if (v <= DV_MAX_NUMBER) {
            char text[48];
            dv_format_number(v, text);
            double back = -1;
            FUZZ_CHECK(dv_parse_nonneg(text, strlen(text), &back, &why),
                       "%.17g formats as \"%s\", which does not parse", v, text);
            if (v == floor(v)) FUZZ_CHECK(back == v, "%.17g formats as \"%s\"", v, text);
        }
    }

    double r = -1;
    bool in_range = dv_parse_range(s, n, 0, 1, &r, &why);
    FUZZ_CHECK(in_range == (ok && v >= 0 && v <= 1), "dv_parse_range(0, 1) says %d", in_range);
    if (in_range) FUZZ_CHECK(r == v, "dv_parse_range gives %g, dv_parse_nonneg %g", r, v);
}

static void check_code(const char *s, size_t n)
{
    char *out = dv_xmalloc(n + 1);
    size_t m = dv_normalise_code(s, n, out);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 128 && isalnum(c)) {
            FUZZ_CHECK(k < m && out[k] == toupper(c), "code byte %zu", k);
            k++;
        }
    }
    FUZZ_CHECK(k == m && out[m] == '\0', "code length %zu, expected %zu", m, k);
    free(out);
}

static void check_utf8(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    bool valid = dv_utf8_valid(s, n);
    FUZZ_CHECK(valid == ref_utf8_valid(u, n), "dv_utf8_valid says %d", valid);
    if (n) {
        FUZZ_CHECK(dv_utf8_valid(s + 1, n - 1) == ref_utf8_valid(u + 1, n - 1), "suffix");
        FUZZ_CHECK(dv_utf8_valid(s, n - 1) == ref_utf8_valid(u, n - 1), "prefix");
    }
    dv_buf clean = {0};
    dv_utf8_sanitize(s, n, &clean);
    FUZZ_CHECK(clean.data, "sanitize left no string");
    FUZZ_CHECK(ref_utf8_valid((const unsigned char *)clean.data, clean.len),
               "sanitized text is not valid UTF-8");
    if (valid) FUZZ_CHECK(clean.len == n && memcmp(clean.data, s, n) == 0, "valid text changed");
    dv_buf_free(&clean);
}

static void check_key(const char *what, size_t m, const char *out, size_t cap)
{
    FUZZ_CHECK(m < cap && strlen(out) == m, "%s key length %zu, strlen %zu, cap %zu", what, m,
               strlen(out), cap);
    for (size_t i = 0; i < m; i++) {
        unsigned char c = (unsigned char)out[i];
        bool ok = c >= 128 || (c >= 'A' && c <= 'Z') || digit((char)c) ||
                  (c == ' ' && i > 0 && i + 1 < m && out[i - 1] != ' ');
        FUZZ_CHECK(ok, "%s key \"%s\" has byte 0x%02x at %zu", what, out, c, i);
    }
}

static void check_keys(const char *s, size_t n)
{
    char out[1024];
    check_key("address", dv_address_key(s, n, out, sizeof out), out, sizeof out);
    /* a short buffer: the key must stop at its end, not past it */
    size_t cap = 1 + n % 32;
    char *small = dv_xmalloc(cap);
    check_key("address", dv_address_key(s, n, small, cap), small, cap);
    free(small);
}

static void check_trim(const char *s, size_t n)
{
    size_t m = n;
    const char *t = dv_trim(s, &m);
    FUZZ_CHECK(t >= s && t + m <= s + n, "trim left the input");
    const unsigned char *u = (const unsigned char *)s, *ut = (const unsigned char *)t;
    /* what was cut at each end is white space, a whole character at a time */
    for (const unsigned char *p = u; p < ut;) {
        size_t k = ref_white_at(p, (size_t)(ut - p), false);
        FUZZ_CHECK(k, "trimmed a non-space at %zu", (size_t)(p - u));
        p += k;
    }
    for (size_t end = n; end > (size_t)(ut - u) + m;) {
        size_t k = ref_white_at(ut + m, end - (size_t)(ut - u) - m, true);
        FUZZ_CHECK(k, "trimmed a non-space before %zu", end);
        end -= k;
    }
    if (m) FUZZ_CHECK(!ref_white_at(ut, m, false) && !ref_white_at(ut, m, true), "space left");

    /* dv_ieq against the same text with its case flipped */
    if (!memchr(s, '\0', n)) {
        char *flipped = dv_xstrndup(s, n);
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)flipped[i];
            flipped[i] = (char)(isupper(c) ? tolower(c) : toupper(c));
        }
        FUZZ_CHECK(dv_ieq(s, n, flipped), "dv_ieq differs from its case-flipped copy");
        free(flipped);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    check_date(s, size);
    check_number(s, size);
    check_code(s, size);
    check_utf8(s, size);
    check_keys(s, size);
    check_trim(s, size);
    return 0;
}
