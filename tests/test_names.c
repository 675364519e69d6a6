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
        {"Co-operative Bank", "COOPERATIVE BANK", ""}, /* Co-operative, Coop.: one word */
        {"O'Brien & Sons Ltd", "OBRIEN SONS", "LTD"},
        {"Zenit Optronics FZ-LLC", "ZENIT OPTRONICS", "FZ LLC"},
        {"LLC", "LLC", ""},          /* a name is never all legal form */
        {"Limited", "LIMITED", ""},
        {"", "", ""},
        {"caf\xE9 ltd", "CAF", "LTD"},  /* invalid UTF-8 reads as U+FFFD, which separates */
        /* issue 17: spaced, spelt-out and combined forms; business words */
        {"Kovanta S. A. de C. V.", "KOVANTA", "SA DE CV"},
        {"Mirex sp. z o. o.", "MIREX", "SP ZOO"},
        {"Gebr. Kessel GmbH & Co. KG", "BROTHERS KESSEL", "GMBH CO KG"},
        {"Tamsalu Puit osa\xC3\xBChing", "TAMSALU PUIT", "OSAUHING"},
        {"Perseroan Terbatas Sinar Makmur Abadi Tbk", "SINAR MAKMUR ABADI", "PERSEROAN TERBATAS TBK"},
        {"F.lli Bertoni S.p.A.", "BROTHERS BERTONI", "SPA"},
        {"Com. e Ind. Paulista Ltda", "COMERCIO E INDUSTRIES PAULISTA", "LTDA"},
        {"Acme Marine (Singapore)", "ACME MARINE SINGAPORE", ""},
        /* 한빛 무역 주식회사: Korean business word and form */
        {"\xED\x95\x9C\xEB\xB9\x9B \xEB\xAC\xB4\xEC\x97\xAD \xEC\xA3\xBC\xEC\x8B\x9D\xED\x9A\x8C\xEC\x82\xAC",
         "Hanbit TRADING", "Jusikhoesa"}, /* Hangul in RR (romanise.h) */
        /* 삼성전자 주식회사: the business word written on to the name */
        {"\xEC\x82\xBC\xEC\x84\xB1\xEC\xA0\x84\xEC\x9E\x90 \xEC\xA3\xBC\xEC\x8B\x9D\xED\x9A\x8C\xEC\x82\xAC",
         "Samseong ELECTRONICS", "Jusikhoesa"},
        /* 深圳市华强电子有限公司: the division word after the place goes */
        {"\xE6\xB7\xB1\xE5\x9C\xB3\xE5\xB8\x82\xE5\x8D\x8E\xE5\xBC\xBA\xE7\x94\xB5\xE5\xAD\x90"
         "\xE6\x9C\x89\xE9\x99\x90\xE5\x85\xAC\xE5\x8F\xB8",
         "SHEN ZHEN HUA QIANG ELECTRONICS", "YOU XIAN GONG SI"},
        /* בנק הפועלים: Hebrew BANK */
        {"\xD7\x91\xD7\xA0\xD7\xA7 \xD7\x94\xD7\xA4\xD7\x95\xD7\xA2\xD7\x9C\xD7\x99\xD7\x9D",
         "BANK hpwlym", ""}, /* hpwlym: from Hebrew, lower case (romanise.h) */
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

/* Legal forms carry their jurisdictions (ISO 20275): forms of one
 * jurisdiction, or without one, are not apart; a country in parentheses
 * marks a subsidiary, other parentheses do not. */
static void forms_carry_jurisdictions_and_parentheses_mark_subsidiaries(void **state)
{
    (void)state;
    dv_buf tokens = {0}, forms = {0};
    static const struct {
        const char *a, *b;
        bool apart;
    } cases[] = {
        {"Kessel GmbH", "Kessel Pte. Ltd.", true},
        {"Kessel GmbH", "Kessel GmbH & Co. KG", false},
        {"Kessel GmbH", "Kessel AG", false},
        {"Tekhnopribor OOO", "Tekhnopribor LLC", false},
        {"Tamsalu AS", "Tamsalu O\xC3\x9C", false},
        {"Kovanta SA", "Kovanta Sdn Bhd", true},
        {"Kovanta SA", "Kovanta Co.", false},  /* Co. says nothing of a country */
        {"Kovanta", "Kovanta Sdn Bhd", false}, /* no form on one side */
        {"Mirex sp. z o.o.", "Mirex GmbH", true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        dv_name_normalise(namer, cases[i].a, strlen(cases[i].a), &tokens, &forms);
        dv_name_marks a = *dv_namer_marks(namer);
        dv_name_normalise(namer, cases[i].b, strlen(cases[i].b), &tokens, &forms);
        dv_name_marks b = *dv_namer_marks(namer);
        if (dv_name_forms_apart(&a, &b) != cases[i].apart || dv_name_forms_apart(&b, &a) != cases[i].apart)
            fail_msg("case %zu: [%s] [%s] apart should be %d", i, cases[i].a, cases[i].b, cases[i].apart);
    }
    const char *where = NULL;
    dv_name_normalise(namer, "Kessel Pte. Ltd.", 16, &tokens, &forms);
    assert_string_equal(dv_name_form(dv_namer_marks(namer)->form[0], &where), "PTE LTD");
    assert_string_equal(where, "SG");
    assert_null(dv_name_form(-1, NULL));
    dv_name_normalise(namer, "Acme Marine (Singapore) Pte Ltd", 31, &tokens, &forms);
    assert_string_equal(dv_namer_marks(namer)->sub, "SG");
    assert_string_equal(tokens.data, "ACME MARINE SINGAPORE");
    dv_name_normalise(namer, "Academy (AASPT)", 15, &tokens, &forms);
    assert_string_equal(dv_namer_marks(namer)->sub, "");
    dv_name_normalise(namer, "(Singapore)", 11, &tokens, &forms); /* no name before it */
    assert_string_equal(dv_namer_marks(namer)->sub, "");
    assert_true(dv_name_paren_is_country("Singapore", 9));
    assert_true(dv_name_paren_is_country("U.S.A.", 6));
    assert_true(dv_name_paren_is_country(" hong  kong ", 12));
    assert_false(dv_name_paren_is_country("AASPT", 5));
    assert_false(dv_name_paren_is_country("Shenzhen", 8)); /* a city is not a country */
    static const char *const hk[] = {"HONG", "KONG", "TAIMING"};
    static const size_t hk_len[] = {4, 4, 7};
    assert_true(dv_name_country_in("HK", hk, hk_len, 3));
    assert_false(dv_name_country_in("SG", hk, hk_len, 3));
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
        cmocka_unit_test(forms_carry_jurisdictions_and_parentheses_mark_subsidiaries),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
