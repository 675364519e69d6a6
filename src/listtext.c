/*
 * listtext.c: the text of list files that is not what divert writes
 * (listtext.h): a row of OFSI's Windows-1252 file made UTF-8, a country
 * written as a name or a nationality made its ISO code, and the fields
 * that list several countries (codes, names, numbered nationalities, a
 * CSL address's last element) made one list of codes.
 */
#include "divert/listtext.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- Windows-1252 (OFSI) ---- */

/* The characters of Windows-1252's bytes 0x80 to 0x9F, as the WHATWG
 * Encoding Standard's index-windows-1252 gives them (the five bytes
 * Windows leaves undefined map to the C1 controls of the same value);
 * bytes 0xA0 to 0xFF are the Latin-1 characters of the same value. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

static void cp1252_to_utf8(const char *s, size_t n, dv_buf *out)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        unsigned u = c < 0x80 ? c : c < 0xA0 ? cp1252_high[c - 0x80] : c;
        char b[3];
        size_t k = 0;
        if (u < 0x80) {
            b[k++] = (char)u;
        } else if (u < 0x800) {
            b[k++] = (char)(0xC0 | (u >> 6));
            b[k++] = (char)(0x80 | (u & 0x3F));
        } else {
            b[k++] = (char)(0xE0 | (u >> 12));
            b[k++] = (char)(0x80 | ((u >> 6) & 0x3F));
            b[k++] = (char)(0x80 | (u & 0x3F));
        }
        dv_buf_add(out, b, k);
    }
}

/* A row of a Windows-1252 file as UTF-8 (the fields in conv, owned by the
 * caller with its arrays). A field that is valid UTF-8 already is kept:
 * Windows-1252 text with letters past ASCII almost never makes valid
 * UTF-8 (it would take a byte such as Ã followed by exactly the right
 * symbols), so such a field comes from a file saved again as UTF-8. */
bool dv_list_row_to_utf8(const dv_csv_row *row, dv_conv_row *c)
{
    bool any = false;
    for (size_t i = 0; i < row->nfields && !any; i++)
        any = !dv_utf8_valid(row->fields[i], row->lens[i]);
    if (!any) return false;
    size_t n = row->nfields ? row->nfields : 1;
    c->fields = dv_xcalloc(n, sizeof *c->fields);
    c->lens = dv_xcalloc(n, sizeof *c->lens);
    c->hashes = dv_xcalloc(n, sizeof *c->hashes);
    c->at = dv_xcalloc(n, sizeof *c->at);
    c->text = (dv_buf){0};
    for (size_t i = 0; i < row->nfields; i++) {
        c->at[i] = c->text.len;
        if (dv_utf8_valid(row->fields[i], row->lens[i])) {
            dv_buf_add(&c->text, row->fields[i], row->lens[i]);
            c->hashes[i] = row->hashes[i];
        } else {
            /* its hash stays 0: a field a parser made (loader.h) */
            cp1252_to_utf8(row->fields[i], row->lens[i], &c->text);
        }
        c->lens[i] = c->text.len - c->at[i];
        dv_buf_add(&c->text, "", 1); /* NUL-terminated, as csvread's */
    }
    for (size_t i = 0; i < row->nfields; i++) c->fields[i] = c->text.data + c->at[i];
    c->row = (dv_csv_row){c->fields, c->lens, row->nfields, row->line, 0, c->hashes, NULL};
    return true;
}

void dv_conv_row_free(dv_conv_row *c)
{
    free(c->fields);
    free(c->lens);
    free(c->hashes);
    free(c->at);
    dv_buf_free(&c->text);
}

/* ---- countries by name (OFSI, OFAC) ---- */

/* How the lists write countries that the countries table names otherwise,
 * and the nationalities OFSI gives as adjectives ("Syrian", "(1) German
 * (2) Moroccan"). Every other name is looked up in the dataset's countries
 * table (the shipped one follows the UN's names, ISO 3166-1), whole or
 * without its part in parentheses ("Iran (Islamic Republic of)" is Iran).
 * A name found nowhere is left out, as a code that is not one is. The
 * spellings are the lists' own: those of the samples in
 * tests/data/screening/lists and OFAC's and OFSI's usual ones for the
 * countries under sanctions programmes. */
static const struct country_name {
    const char *name;
    char code[3];
} country_names[] = {
    {"Afghan", "AF"},        {"Algerian", "DZ"},     {"Belarusian", "BY"},
    {"Belarus", "BY"},       {"British", "GB"},      {"Burma", "MM"},
    {"Burmese", "MM"},       {"Chinese", "CN"},      {"Cuban", "CU"},
    {"Czech Republic", "CZ"}, {"DPRK", "KP"},        {"Egyptian", "EG"},
    {"Emirati", "AE"},       {"French", "FR"},       {"German", "DE"},
    {"Hong Kong", "HK"},     {"Indonesian", "ID"},   {"Iranian", "IR"},
    {"Iraqi", "IQ"},         {"Ivory Coast", "CI"},  {"Jordanian", "JO"},
    {"Korea, North", "KP"},  {"Korea, South", "KR"}, {"Kuwaiti", "KW"},
    {"Laos", "LA"},          {"Lebanese", "LB"},     {"Libyan", "LY"},
    {"Malian", "ML"},        {"Moldova", "MD"},      {"Moroccan", "MA"},
    {"North Korea", "KP"},   {"North Korean", "KP"}, {"Pakistani", "PK"},
    {"Qatari", "QA"},        {"Russia", "RU"},       {"Russian", "RU"},
    {"Saudi", "SA"},         {"Saudi Arabian", "SA"}, {"Somali", "SO"},
    {"South Korea", "KR"},   {"Sudanese", "SD"},     {"Syria", "SY"},
    {"Syrian", "SY"},        {"Tanzania", "TZ"},     {"Tunisian", "TN"},
    {"Turkey", "TR"},        {"Turkish", "TR"},      {"UK", "GB"},
    {"Ukrainian", "UA"},     {"United Kingdom", "GB"}, {"United States", "US"},
    {"USA", "US"},           {"Venezuelan", "VE"},   {"Vietnam", "VN"},
    {"Yemeni", "YE"},
};

static bool ieq_n(const char *a, size_t an, const char *b, size_t bn)
{
    return an == bn && strncasecmp(a, b, an) == 0;
}

const char *dv_list_country_code(const dv_dataset *ds, const char *s, size_t n)
{
    for (size_t k = 0; k < sizeof country_names / sizeof country_names[0]; k++)
        if (dv_ieq(s, n, country_names[k].name)) return country_names[k].code;
    for (size_t i = 0; i < ds->n_countries; i++) {
        const char *name = ds->countries[i].name;
        if (!name) continue;
        size_t len = strlen(name);
        const char *paren = strstr(name, " (");
        if (ieq_n(s, n, name, len) || (paren && ieq_n(s, n, name, (size_t)(paren - name))))
            return ds->countries[i].code;
    }
    return NULL;
}

/* The first element of a ';'-separated list. */
dv_field dv_list_first_of(dv_field f)
{
    const char *semi = memchr(f.s, ';', f.len);
    if (semi) f.len = (size_t)(semi - f.s);
    f.s = dv_trim(f.s, &f.len);
    return f;
}

static bool two_letters(dv_field c)
{
    return c.len == 2 && isalpha((unsigned char)c.s[0]) && isalpha((unsigned char)c.s[1]);
}

/* A CSL address's country: its last comma-separated element, when that
 * is a two-letter code ("Komitas 26/114, Yerevan, Armenia, AM"). */
dv_field dv_list_address_country(dv_field f)
{
    dv_field first = dv_list_first_of(f), none = {"", 0, 0};
    const char *comma = NULL;
    for (size_t i = 0; i < first.len; i++)
        if (first.s[i] == ',') comma = first.s + i;
    if (!comma) return none;
    dv_field c = {comma + 1, (size_t)(first.s + first.len - comma - 1), 0};
    c.s = dv_trim(c.s, &c.len);
    return two_letters(c) ? c : none;
}

/* Every country an entry names ("cn;kp"), as upper-case codes joined by
 * ';', once each, into codes (64 bytes); returns the length. One that is
 * not a two-letter code is not a reason to drop a listed party: it is left
 * out of the comparison (docs/screening.md). */
size_t dv_list_country_codes(dv_field country, char codes[64])
{
    size_t nc = 0;
    for (size_t i = 0; i < country.len;) {
        size_t j = i;
        while (j < country.len && country.s[j] != ';') j++;
        dv_field c = {country.s + i, j - i, 0};
        c.s = dv_trim(c.s, &c.len);
        if (two_letters(c) && nc + 3 < 64) {
            char up[2] = {(char)toupper((unsigned char)c.s[0]), (char)toupper((unsigned char)c.s[1])};
            bool seen = false;
            for (size_t k = 0; k < nc && !seen; k += 3) seen = codes[k] == up[0] && codes[k + 1] == up[1];
            if (!seen) {
                if (nc) codes[nc++] = ';';
                codes[nc++] = up[0];
                codes[nc++] = up[1];
            }
        }
        i = j + 1;
    }
    return nc;
}

/* Append to codes (as country_codes writes them) every country named in
 * text: names apart at ';', '/' and numbering ("1) Saudi Arabia 2) Qatar",
 * "(1) German (2) Moroccan"), each without what it says in parentheses
 * ("Afghanistan (since 2009)"). Returns the new length. */
size_t dv_list_add_country_names(const dv_dataset *ds, dv_field text, char codes[64], size_t nc)
{
    char buf[256];
    size_t bl = 0;
    for (size_t i = 0; i <= text.len; i++) {
        bool end = i == text.len || text.s[i] == ';' || text.s[i] == '/';
        size_t skip = 0;
        if (!end) { /* a number in or before parentheses: "(2)" or "2)" */
            size_t j = i + (text.s[i] == '(');
            size_t d = j;
            while (d < text.len && isdigit((unsigned char)text.s[d])) d++;
            if (d > j && d < text.len && text.s[d] == ')') end = true, skip = d - i;
        }
        if (!end) {
            if (text.s[i] == '(') { /* a remark: to its closing parenthesis */
                while (i < text.len && text.s[i] != ')') i++;
                continue;
            }
            if (bl < sizeof buf) buf[bl++] = text.s[i];
            continue;
        }
        size_t len = bl;
        const char *p = dv_trim(buf, &len);
        while (len && strchr("-,.", p[0])) p++, len--;
        while (len && strchr("-,. ", p[len - 1])) len--;
        p = dv_trim(p, &len);
        const char *code = len ? dv_list_country_code(ds, p, len) : NULL;
        if (code) {
            char one[2] = {code[0], code[1]};
            dv_field f = {one, 2, 0};
            char merged[64];
            memcpy(merged, codes, nc);
            if (nc && nc + 1 < 64) merged[nc] = ';';
            size_t m = nc ? nc + 1 : 0;
            if (m + 2 < 64) {
                memcpy(merged + m, f.s, 2);
                dv_field all = {merged, m + 2, 0};
                nc = dv_list_country_codes(all, codes);
            }
        }
        bl = 0;
        i += skip;
    }
    return nc;
}
