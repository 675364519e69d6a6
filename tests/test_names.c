/*
 * test_names.c: name normalisation and Jaro-Winkler (issue #5).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "divert/names.h"
#include "support.h"

static dv_namer *namer;

static int setup(void **state)
{
    (void)state;
    dv_error err = {0, ""};
    namer = dv_namer_new(&err);
    return namer ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    dv_namer_free(namer);
    return 0;
}

static void normalises_scripts_forms_and_punctuation(void **state)
{
    (void)state;
    static const struct {
        const char *name, *tokens, *forms;
    } cases[] = {
        {"\xD0\x9E\xD0\x9E\xD0\x9E \"\xD0\xA2\xD0\xB5\xD1\x85\xD0\xBD\xD0\xBE\xD0\xBF\xD1\x80\xD0\xB8"
         "\xD0\xB1\xD0\xBE\xD1\x80\"", /* ООО "Техноприбор", in BGN/PCGN */
         "TEKHNOPRIBOR", "OOO"},
        {"Tekhnopribor LLC", "TEKHNOPRIBOR", "LLC"},
        {"TECHNOPRIBOR LIMITED", "TECHNOPRIBOR", "LIMITED"},
        {"LLC Tekhnopribor", "TEKHNOPRIBOR", "LLC"},
        /* Общество с ограниченной ответственностью «Техноприбор» */
        {"\xD0\x9E\xD0\xB1\xD1\x89\xD0\xB5\xD1\x81\xD1\x82\xD0\xB2\xD0\xBE \xD1\x81 "
         "\xD0\xBE\xD0\xB3\xD1\x80\xD0\xB0\xD0\xBD\xD0\xB8\xD1\x87\xD0\xB5\xD0\xBD\xD0\xBD\xD0\xBE"
         "\xD0\xB9 \xD0\xBE\xD1\x82\xD0\xB2\xD0\xB5\xD1\x82\xD1\x81\xD1\x82\xD0\xB2\xD0\xB5\xD0\xBD"
         "\xD0\xBD\xD0\xBE\xD1\x81\xD1\x82\xD1\x8C\xD1\x8E \xC2\xAB\xD0\xA2\xD0\xB5\xD1\x85\xD0\xBD"
         "\xD0\xBE\xD0\xBF\xD1\x80\xD0\xB8\xD0\xB1\xD0\xBE\xD1\x80\xC2\xBB",
         "TEKHNOPRIBOR", "OBSHCHESTVO S OGRANICHENNOY OTVETSTVENNOSTYU"},
        /* Отсек: BGN/PCGN's separator between T and S goes */
        {"\xD0\x9E\xD1\x82\xD1\x81\xD0\xB5\xD0\xBA", "OTSEK", ""},
        /* Київ: Ukrainian, not Russian, so in Ukrainian's BGN/PCGN system */
        {"\xD0\x9A\xD0\xB8\xD1\x97\xD0\xB2", "KYYIV", ""},
        /* Արարատ Տեխնոլոգիաներ: Armenian in BGN/PCGN */
        {"\xD4\xB1\xD6\x80\xD5\xA1\xD6\x80\xD5\xA1\xD5\xBF \xD5\x8F\xD5\xA5\xD5\xAD\xD5\xB6"
         "\xD5\xB8\xD5\xAC\xD5\xB8\xD5\xA3\xD5\xAB\xD5\xA1\xD5\xB6\xD5\xA5\xD6\x80",
         "ARARAT TECHNOLOGY", ""},
        /* ТОО «Өркен»: Kazakh, by its letter Ө */
        {"\xD0\xA2\xD0\x9E\xD0\x9E \xC2\xAB\xD3\xA8\xD1\x80\xD0\xBA\xD0\xB5\xD0\xBD\xC2\xBB",
         "ORKEN", "TOO"},
        /* Ναυτιλιακή: Greek in UNGEGN / ELOT 743 */
        {"\xCE\x9D\xCE\xB1\xCF\x85\xCF\x84\xCE\xB9\xCE\xBB\xCE\xB9\xCE\xB1\xCE\xBA\xCE\xAE",
         "NAFTILIAKI", ""},
        {"Hub Trading Co., Ltd.", "HUB TRADING", "CO LTD"},
        {"Alpha Trade L.L.C.", "ALPHA TRADE", "LLC"},
        {"A.B.C. Trading", "ABC TRADING", ""},
        {"A. B. Trading", "AB TRADING", ""}, /* single letters apart read joined */
        {"\xEF\xBC\xA1\xEF\xBC\xA2\xEF\xBC\xA3 Trading", "ABC TRADING", ""}, /* full-width ABC */
        {"Stra\xC3\x9F" "e M\xC3\xBCller GmbH", "STRASSE MULLER", "GMBH"},
        /* accented Latin without ICU's transliterator: as Latin-ASCII would
         * write it (Łódź Œuvre Ørsted Þór Ðakovo İstanbul; O’Brien –
         * Société d’Électricité) */
        {"\xC5\x81\xC3\xB3" "d\xC5\xBA \xC5\x92uvre \xC3\x98rsted \xC3\x9E\xC3\xB3r "
         "\xC3\x90" "akovo \xC4\xB0stanbul",
         "LODZ OEUVRE ORSTED THOR DAKOVO ISTANBUL", ""},
        {"O\xE2\x80\x99" "Brien \xE2\x80\x93 Soci\xC3\xA9t\xC3\xA9 d\xE2\x80\x99\xC3\x89lectricit\xC3\xA9",
         "OBRIEN SOCIETE DELECTRICITE", ""},
        {"Co-operative Bank", "CO OPERATIVE BANK", ""},
        {"O'Brien & Sons Ltd", "OBRIEN SONS", "LTD"},
        {"Zenit Optronics FZ-LLC", "ZENIT OPTRONICS", "FZ LLC"},
        {"LLC", "LLC", ""},          /* a name is never all legal form */
        {"Limited", "LIMITED", ""},
        {"", "", ""},
        {"caf\xE9 ltd", "CAF", "LTD"},  /* invalid UTF-8 reads as U+FFFD, which separates */
        /* 中国电子科技集团有限公司 */
        {"\xE4\xB8\xAD\xE5\x9B\xBD\xE7\x94\xB5\xE5\xAD\x90\xE7\xA7\x91\xE6\x8A\x80\xE9\x9B\x86\xE5"
         "\x9B\xA2\xE6\x9C\x89\xE9\x99\x90\xE5\x85\xAC\xE5\x8F\xB8",
         "CHINA ELECTRONICS TECHNOLOGY GROUP", "YOU XIAN GONG SI"},
    };
    dv_buf tokens = {0}, forms = {0};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        dv_name_normalise(namer, cases[i].name, strlen(cases[i].name), &tokens, &forms);
        if (strcmp(tokens.data, cases[i].tokens) != 0 || strcmp(forms.data, cases[i].forms) != 0)
            fail_msg("case %zu: tokens \"%s\" forms \"%s\", expected \"%s\" and \"%s\"", i,
                     tokens.data, forms.data, cases[i].tokens, cases[i].forms);
    }
    dv_buf_free(&tokens);
    dv_buf_free(&forms);
}

/* jellyfish's reference values (tests/data/screening/jaro_winkler.csv:
 * a, b, similarity to three decimals) */
static void jaro_winkler_matches_the_reference_values(void **state)
{
    (void)state;
    char *path = dvt_data("screening/jaro_winkler.csv");
    FILE *f = fopen(path, "r");
    if (!f) fail_msg("cannot open %s", path);
    char line[512];
    int checked = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        /* three fields; the first two may be quoted */
        char fields[3][256];
        int nf = 0;
        const char *p = line;
        while (nf < 3 && *p) {
            size_t n = 0;
            if (*p == '"') {
                p++;
                while (*p && !(*p == '"' && p[1] != '"')) {
                    if (*p == '"') p++;
                    fields[nf][n++] = *p++;
                }
                if (*p == '"') p++;
            } else {
                while (*p && *p != ',') fields[nf][n++] = *p++;
            }
            fields[nf++][n] = '\0';
            if (*p == ',') p++;
            if (nf == 2 && !*p && line[strlen(line) - 1] == ',') fields[nf++][0] = '\0';
        }
        if (nf != 3) continue;
        char *end;
        double want = strtod(fields[2], &end);
        if (end == fields[2]) continue; /* a header */
        double got = dv_jaro_winkler(fields[0], strlen(fields[0]), fields[1], strlen(fields[1]));
        if (fabs(got - want) > 0.0015)
            fail_msg("jaro_winkler(\"%s\", \"%s\") = %.4f, reference %.3f", fields[0], fields[1], got,
                     want);
        checked++;
    }
    fclose(f);
    free(path);
    assert_true(checked >= 10);
}

static void jaro_winkler_basics(void **state)
{
    (void)state;
    assert_true(dv_jaro_winkler("ABC", 3, "ABC", 3) == 1.0);
    assert_true(dv_jaro_winkler("", 0, "ABC", 3) == 0.0);
    assert_true(dv_jaro_winkler("ABC", 3, "XYZ", 3) == 0.0);
    double a = dv_jaro_winkler("TEHNOPRIBOR", 11, "TEKHNOPRIBOR", 12);
    assert_true(a > 0.9 && a < 1.0);
    /* symmetric */
    assert_true(fabs(a - dv_jaro_winkler("TEKHNOPRIBOR", 12, "TEHNOPRIBOR", 11)) < 1e-12);
    /* long strings take the heap path */
    char x[200], y[200];
    memset(x, 'A', sizeof x);
    memset(y, 'A', sizeof y);
    y[150] = 'B';
    double l = dv_jaro_winkler(x, sizeof x, y, sizeof y);
    assert_true(l > 0.99 && l < 1.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(normalises_scripts_forms_and_punctuation),
        cmocka_unit_test(jaro_winkler_matches_the_reference_values),
        cmocka_unit_test(jaro_winkler_basics),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
