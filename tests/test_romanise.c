/*
 * test_romanise.c: names in Hebrew, Arabic and Persian against their
 * Latin spelling (romanise.h; issue 17, translations). The names are
 * made up for these tests.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "divert/names.h"
#include "divert/romanise.h"
#include "divert/screen.h"
#include "divert/tokensim.h"
#include "support.h"

static void normalised(dv_namer *n, const char *name, const char *tokens, const char *forms)
{
    dv_buf t = {0}, f = {0};
    dv_name_normalise(n, name, strlen(name), &t, &f);
    if (strcmp(t.data, tokens) != 0 || strcmp(f.data, forms) != 0)
        fail_msg("%s: tokens \"%s\" forms \"%s\", expected \"%s\" and \"%s\"", name, t.data,
                 f.data, tokens, forms);
    dv_buf_free(&t);
    dv_buf_free(&f);
}

/* An abjad word becomes a lower-case token of its consonants (and the
 * letters written as vowels); the Arabic article stands apart as AL, the
 * preposition لل goes; business words and forms read as English. */
static void abjad_words_become_consonant_tokens(void **state)
{
    (void)state;
    dv_error err = {0, ""};
    dv_namer *n = dv_namer_new(&err);
    normalised(n, "תבור טכנולוגיות בע\"מ", "tbwr TECHNOLOGY", "bm");
    normalised(n, "תבור טכנולוגיות בע״מ", "tbwr TECHNOLOGY", "bm"); /* gershayim */
    normalised(n, "הָדָר מערכות", "hdr SYSTEMS", "");                 /* vowel points */
    normalised(n, "ג'ודו", "jwdw", "");                                /* geresh: J */
    normalised(n, "קבוצת שקד", "GROUP shqd", "");
    normalised(n, "شركة النور للتجارة العامة ذ.م.م", "AL nwr TRADING GENERAL", "shrka dhmm");
    normalised(n, "مؤسسة الخليج للمقاولات", "ESTABLISHMENT AL khlyj CONTRACTING", "");
    normalised(n, "مُحَمَّد", "mhmd", "");                              /* harakat */
    normalised(n, "والفجر", "AL fjr", "");                              /* و before the article */
    normalised(n, "ایران خودرو", "ayran khwdrw", "");
    normalised(n, "شرکت بین‌المللی مهندسی", "INTERNATIONAL ENGINEERING", "shrkt");
    normalised(n, "بانک ملت سهامی عام", "BANK mlt", "shhamy am");
    /* a mixed name: the Latin and the Cyrillic as before */
    normalised(n, "Alnoor שקד", "ALNOOR shqd", "");
    normalised(n, "Техно שקד", "TEKHNO shqd", "");
    /* single letters of two scripts are not joined (fuzz_screen) */
    normalised(n, "ۀ с", "h S", "");
    normalised(n, "ב ג", "bg", "");
    /* ה then ש, ס then ה: two letters each, not SH */
    char sk[DV_ROM_MAX_SKELS][DV_ROM_SKEL_LEN];
    dv_rom_skeletons("hshqwt", 6, sk);
    assert_string_equal(sk[0], "HSKT");
    dv_namer_free(n);
}

static double sim(const char *a, const char *b)
{
    char fa[64], fb[64];
    size_t la = strlen(a), lb = strlen(b);
    size_t fla = dv_tok_fold(a, la, fa), flb = dv_tok_fold(b, lb, fb);
    return dv_tok_sim(a, la, fa, fla, b, lb, fb, flb);
}

static bool share_key(const char *probe, const char *indexed)
{
    uint64_t p[DV_ROM_MAX_KEYS], x[DV_ROM_MAX_KEYS];
    size_t np = dv_rom_keys(probe, strlen(probe), true, p);
    size_t nx = dv_rom_keys(indexed, strlen(indexed), false, x);
    for (size_t i = 0; i < np; i++)
        for (size_t j = 0; j < nx; j++)
            if (p[i] == x[j]) return true;
    return false;
}

/* An abjad token meets its vowelled Latin spellings by consonant
 * skeleton, with the romanisations' differences folded, and shares a key
 * with them either way round; it does not meet Latin tokens of other
 * consonants, and two Latin tokens never meet by skeleton. */
static void skeletons_meet_latin_spellings(void **state)
{
    (void)state;
    static const struct {
        const char *abjad, *latin;
        double want;
    } same[] = {
        {"tbwr", "TAVOR", 0.90},     {"tbwr", "TABOR", 0.90},      {"hdr", "HADAR", 0.90},
        {"shqd", "SHAKED", 0.90},    {"shqd", "SCHAKED", 0.90},    {"krml", "CARMEL", 0.90},
        {"krml", "KARMEL", 0.90},    {"glbwa", "GILBOA", 0.90},    {"mhmd", "MOHAMMED", 0.90},
        {"mhmd", "MUHAMMAD", 0.90},  {"mhmd", "MOHAMAD", 0.90},    {"khlyj", "KHALEEJ", 0.90},
        {"khlyj", "KHALIJ", 0.90},   {"rashd", "RASHID", 0.90},    {"rashd", "RACHID", 0.90},
        {"fjr", "FAJR", 0.90},       {"fjr", "FAJER", 0.90},       {"khwdrw", "KHODRO", 0.90},
        {"rafdyn", "RAFIDAIN", 0.90}, {"jmal", "GAMAL", 0.90},     {"jmal", "JAMAL", 0.90},
        {"hsn", "HASSAN", 0.90},     {"hsn", "HASAN", 0.90},       {"hyym", "CHAIM", 0.89},
        {"hyym", "HAIM", 0.89},      {"dhhby", "DHAHABI", 0.90},   {"nwr", "NOOR", 0.89},
        {"nwr", "NUR", 0.89},        {"rbh", "ARAVA", 0.89},       {"mlt", "MELLAT", 0.90},
        {"tsur", "TZUR", 0.0},       /* (two consonants: S R; see below) */
        {"nwr", "ALNOOR", 0.89},     /* the article written on */
    };
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        if (same[i].want == 0.0) continue;
        double s = sim(same[i].abjad, same[i].latin), r = sim(same[i].latin, same[i].abjad);
        if (fabs(s - same[i].want) > 1e-9 || fabs(r - same[i].want) > 1e-9)
            fail_msg("%s ~ %s: %.2f / %.2f, expected %.2f", same[i].abjad, same[i].latin, s, r,
                     same[i].want);
        if (!share_key(same[i].abjad, same[i].latin) || !share_key(same[i].latin, same[i].abjad))
            fail_msg("%s and %s share no key", same[i].abjad, same[i].latin);
    }
    static const char *const apart[][2] = {
        {"tbwr", "TAMAR"},  {"hdr", "HADAD"},    {"hdr", "HAMAR"},   {"krml", "KARMAN"},
        {"mhmd", "MAHDI"}, {"khlyj", "KHALIL"}, {"rashd", "MASOOD"}, {"nwr", "NIMR"},
        {"fjr", "FAJ"},     {"mlt", "MILAN"},    {"shqd", "SHARK"},  {"nr", "NAMIR"},
        {"hshqwt", "HASHEM"}, {"bnk", "B"},
    };
    for (size_t i = 0; i < sizeof apart / sizeof apart[0]; i++)
        if (sim(apart[i][0], apart[i][1]) != 0.0)
            fail_msg("%s ~ %s: %.2f, expected 0", apart[i][0], apart[i][1],
                     sim(apart[i][0], apart[i][1]));
    /* a skeleton of one consonant never pairs */
    assert_true(sim("nwa", "NOA") == 0.0);
    /* Latin tokens that share a skeleton still do not pair, and do not
     * meet through the skeleton keys */
    static const char *const latin[][2] = {{"TAVOR", "TIVER"}, {"HADAR", "HIDER"},
                                           {"CARMEL", "KARAMEL"}, {"NOOR", "NARA"}};
    for (size_t i = 0; i < sizeof latin / sizeof latin[0]; i++) {
        assert_true(sim(latin[i][0], latin[i][1]) == 0.0);
        assert_false(share_key(latin[i][0], latin[i][1]));
        assert_false(share_key(latin[i][1], latin[i][0]));
    }
    /* nor do two abjad tokens through them: they meet as any two tokens */
    assert_false(share_key("tbwr", "tbr"));
    /* a token of many letters the abjads write two ways gives a few
     * skeletons, not millions (fuzz_screen found it slow) */
    char sk[DV_ROM_MAX_SKELS][DV_ROM_SKEL_LEN];
    const char *vs = "VVVVVVVVVVFVVVVVVVVVVVVVVVVVVVVVVVGGGGGGGGCHCHCHCH";
    size_t ns = dv_rom_skeletons(vs, strlen(vs), sk);
    assert_true(ns >= 1 && ns <= DV_ROM_MAX_SKELS);
}

static dv_screener *screener_of(const char *const *list, size_t n, dv_watch *w)
{
    memset(w, 0, n * sizeof *w);
    for (size_t i = 0; i < n; i++) w[i].name = list[i], w[i].id = "L";
    dv_dataset ds;
    memset(&ds, 0, sizeof ds);
    ds.watchlist = w, ds.n_watch = n;
    dv_error err = {0, ""};
    return dv_screener_new(&ds, &err);
}

/* Names: the abjad name against its English form matches, the names of
 * other parties in the same script or in Latin with the same business
 * words do not. */
static const char *const latin_names[] = {
    "Tavor Technologies Ltd",       "Hadar Systems Ltd",          "Shaked Industries Ltd",
    "Carmel Investments Ltd",       "Gilboa Energy Ltd",          "Arava Engineering Ltd",
    "Al Noor General Trading Company LLC", "Al Khaleej Contracting Establishment",
    "Al Rashid Trading Co",         "Al Fajr Shipping Company",   "Rafidain Bank",
    "Iran Khodro",                  "Bank Mellat",                "Tamar Technologies Ltd",
    "Al Nimr Trading Co",           "Al Khalil Contracting Establishment",
};
static const char *const script_names[] = {
    "תבור טכנולוגיות בע\"מ",             "הדר מערכות בע\"מ",        "שקד תעשיות בע\"מ",
    "כרמל השקעות בע\"מ",                 "גלבוע אנרגיה בע\"מ",      "ערבה הנדסה בע\"מ",
    "شركة النور للتجارة العامة ذ.م.م",   "مؤسسة الخليج للمقاولات",  "شركة الراشد للتجارة",
    "شركة الفجر للشحن",                  "مصرف الرافدين",           "ایران خودرو",
    "بانک ملت",
};
enum { N_SAME = 13, N_LATIN = 16, N_SCRIPT = 13 };

static void abjad_names_match_their_english_form(void **state)
{
    (void)state;
    dv_watch w[N_LATIN];
    dv_screener *s = screener_of(latin_names, N_LATIN, w);
    dv_error err = {0, ""};
    dv_namer *namer = dv_namer_new(&err);
    assert_non_null(s);
    dv_buf expl = {0};
    for (size_t e = 0; e < N_SCRIPT; e++)
        for (size_t l = 0; l < N_LATIN; l++) {
            expl.len = 0;
            double sc = dv_screen_pair(s, namer, script_names[e], NULL, latin_names[l], NULL, &expl);
            double back = dv_screen_pair(s, namer, latin_names[l], NULL, script_names[e], NULL, NULL);
            bool want = e == l;
            if ((sc >= 0.85) != want || (back >= 0.85) != want)
                fail_msg("%s / %s: %.3f (%.3f the other way), expected %s: %s", script_names[e],
                         latin_names[l], sc, back, want ? "a match" : "none", expl.data);
        }
    /* two names in one script stay apart */
    assert_true(dv_screen_pair(s, namer, script_names[0], NULL, "תמר טכנולוגיות בע\"מ", NULL, NULL) <
                0.85);
    assert_true(dv_screen_pair(s, namer, script_names[6], NULL, "شركة النمر للتجارة العامة ذ.م.م",
                               NULL, NULL) < 0.85);
    /* the explanation shows the pair by skeleton */
    expl.len = 0;
    dv_screen_pair(s, namer, script_names[0], NULL, latin_names[0], NULL, &expl);
    assert_non_null(strstr(expl.data, "tbwr~TAVOR 0.90"));
    /* a two-consonant skeleton alone is no match */
    assert_true(dv_screen_pair(s, namer, "النور", NULL, "Noor", NULL, NULL) <= 0.5);
    dv_buf_free(&expl);
    dv_namer_free(namer);
    dv_screener_free(s);
}

/* Hangul is romanised by RR (its finals and the common assimilations),
 * business words written on to a name and the words for Korea before it
 * split off; a Hangul token meets the McCune-Reischauer and company
 * spellings of its name, not other names. */
static void hangul_is_romanised_by_rr(void **state)
{
    (void)state;
    dv_error err = {0, ""};
    dv_namer *n = dv_namer_new(&err);
    normalised(n, "한빛 무역 주식회사", "Hanbit TRADING", "Jusikhoesa");
    normalised(n, "현대건설", "Hyeondae CONSTRUCTION", "");
    normalised(n, "조선련봉총회사", "KOREA Ryeonbong GENERAL", "CORPORATION");
    normalised(n, "고려항공", "Goryeo AIR", "");
    normalised(n, "독립", "Dongnip", "");         /* k before r: ng n */
    normalised(n, "신라", "Silla", "");           /* n before r: l l */
    normalised(n, "종로", "Jongno", "");          /* r after ng: n */
    normalised(n, "한국어", "Hangugeo", "");      /* a final carried on to a vowel */
    normalised(n, "가", "Ga", "");            /* a control byte is no mark */
    dv_namer_free(n);
}

static void hangul_tokens_meet_other_romanisations(void **state)
{
    (void)state;
    static const char *const same[][2] = {
        {"Samseong", "SAMSUNG"},    {"Hyeondae", "HYUNDAI"},   {"Daeu", "DAEWOO"},
        {"Geumgang", "KUMGANG"},    {"Ryugyeong", "RYUGYONG"}, {"Goryeo", "KORYO"},
        {"Sinhan", "SHINHAN"},      {"Rotde", "LOTTE"},        {"Gia", "KIA"},
        {"Pyeongyang", "PYONGYANG"}, {"Ryeonbong", "RYONBONG"}, {"Joseon", "CHOSON"},
        {"Busan", "PUSAN"},         {"Incheon", "INCHON"},     {"Hanbit", "HANBIT"},
    };
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        if (sim(same[i][0], same[i][1]) != DV_ROM_KOREAN_SIM || sim(same[i][1], same[i][0]) != DV_ROM_KOREAN_SIM)
            fail_msg("%s ~ %s: %.2f", same[i][0], same[i][1], sim(same[i][0], same[i][1]));
        uint64_t p[1], x[1];
        assert_int_equal(dv_rom_korean_keys(same[i][0], strlen(same[i][0]), true, p), 1);
        assert_int_equal(dv_rom_korean_keys(same[i][1], strlen(same[i][1]), false, x), 1);
        assert_true(p[0] == x[0]);
        assert_int_equal(dv_rom_korean_keys(same[i][1], strlen(same[i][1]), true, p), 1);
        assert_int_equal(dv_rom_korean_keys(same[i][0], strlen(same[i][0]), false, x), 1);
        assert_true(p[0] == x[0]);
    }
    static const char *const apart[][2] = {
        {"Samseong", "SAMYANG"}, {"Hyeondae", "HANDAE"}, {"Daeu", "DAESUNG"}, {"Gia", "KOA"},
        {"Hanbit", "HANBOK"},    {"Goryeo", "KORAE"},    {"Sinhan", "SINAN"}, {"Jeong", "CHANG"}, /* (CHUNG is 정 too) */
    };
    for (size_t i = 0; i < sizeof apart / sizeof apart[0]; i++)
        if (sim(apart[i][0], apart[i][1]) != 0.0)
            fail_msg("%s ~ %s: %.2f, expected 0", apart[i][0], apart[i][1],
                     sim(apart[i][0], apart[i][1]));
    /* two Latin tokens do not meet by the Korean fold */
    uint64_t p[1], x[1];
    dv_rom_korean_keys("KORYO", 5, true, p);
    dv_rom_korean_keys("GORYEO", 6, false, x);
    assert_true(p[0] != x[0]);
    assert_true(sim("KORYO", "GORYEO") == 0.0);
}

static const char *const ko_latin[] = {
    "Samsung Electronics Co Ltd", "Hyundai Construction",  "Korea Ryonbong General Corporation",
    "Air Koryo",                  "Shinhan Bank",          "Kumgang Trading",
    "Ryugyong Trading",           "Hanbit Trading Co., Ltd.", "Samyang Electronics Co Ltd",
    "Hyundai Shipping",
};
static const char *const ko_hangul[] = {
    "삼성전자 주식회사", "현대건설", "조선련봉총회사", "고려항공", "신한은행", "금강무역",
    "류경상사",          "한빛 무역 주식회사",
};
enum { N_KO_SAME = 8, N_KO_LATIN = 10, N_KO_HANGUL = 8 };

static void hangul_names_match_their_english_form(void **state)
{
    (void)state;
    dv_watch w[N_KO_LATIN];
    dv_screener *s = screener_of(ko_latin, N_KO_LATIN, w);
    dv_error err = {0, ""};
    dv_namer *namer = dv_namer_new(&err);
    dv_buf expl = {0};
    for (size_t e = 0; e < N_KO_HANGUL; e++)
        for (size_t l = 0; l < N_KO_LATIN; l++) {
            expl.len = 0;
            double sc = dv_screen_pair(s, namer, ko_hangul[e], NULL, ko_latin[l], NULL, &expl);
            bool want = e == l;
            if ((sc >= 0.85) != want)
                fail_msg("%s / %s: %.3f, expected %s: %s", ko_hangul[e], ko_latin[l], sc,
                         want ? "a match" : "none", expl.data);
        }
    /* two Hangul names apart */
    assert_true(dv_screen_pair(s, namer, ko_hangul[0], NULL, "삼양전자 주식회사", NULL, NULL) < 0.85);
    dv_buf_free(&expl);
    dv_namer_free(namer);
    dv_screener_free(s);
}

/* A Japanese name (kana, or a Japanese form) is read in Hepburn by
 * kakasi, long vowels as English names write them, business words split
 * off and read as English; kanji alone stay with ICU (Chinese). */
static void japanese_names_are_read_in_hepburn(void **state)
{
    (void)state;
    dv_error err = {0, ""};
    dv_namer *n = dv_namer_new(&err);
    normalised(n, "田中商事株式会社", "TANAKA TRADING", "KABUSHIKIGAISHA");
    normalised(n, "三菱重工業株式会社", "MITSUBISHI HEAVY INDUSTRIES", "KABUSHIKIGAISHA");
    normalised(n, "株式会社日立製作所", "HITACHI MANUFACTURING", "KABUSHIKIGAISHA");
    normalised(n, "有限会社山本商会", "YAMAMOTO TRADING", "YUGENGAISHA");
    normalised(n, "合同会社アルファ", "ARUFA", "GODO KAISHA");
    normalised(n, "ソニーグループ株式会社", "SONI GROUP", "KABUSHIKIGAISHA"); /* ー dropped */
    normalised(n, "ｿﾆｰ", "SONI", "");                          /* half-width kana */
    normalised(n, "とうきょう", "TOKYO", "");                   /* long vowels */
    normalised(n, "Itochu Shoji", "ITOCHU TRADING", "");       /* Shoji in English too */
    normalised(n, "田中", "TIAN ZHONG", "");                   /* kanji alone: Chinese */
    dv_namer_free(n);
}

static const char *const ja_latin[] = {
    "Mitsubishi Heavy Industries Ltd", "Nippon Yusen Kabushiki Kaisha", "Itochu Shoji Co Ltd",
    "Sony Group Corporation",          "Toyota Motor Corporation",      "Tanaka Shoji Co Ltd",
    "Yamamoto Shokai Ltd",             "Mitsubishi Electric Corporation", "Yamada Shokai Ltd",
    "Tanaka Shipping Co Ltd",
};
static const char *const ja_names[] = {
    "三菱重工業株式会社", "日本郵船株式会社",   "伊藤忠商事株式会社", "ソニーグループ株式会社",
    "トヨタ自動車株式会社", "田中商事株式会社", "有限会社山本商会",
};
enum { N_JA_SAME = 7, N_JA_LATIN = 10, N_JA = 7 };

static void japanese_names_match_their_english_form(void **state)
{
    (void)state;
    dv_watch w[N_JA_LATIN];
    dv_screener *s = screener_of(ja_latin, N_JA_LATIN, w);
    dv_error err = {0, ""};
    dv_namer *namer = dv_namer_new(&err);
    dv_buf expl = {0};
    for (size_t e = 0; e < N_JA; e++)
        for (size_t l = 0; l < N_JA_LATIN; l++) {
            expl.len = 0;
            double sc = dv_screen_pair(s, namer, ja_names[e], NULL, ja_latin[l], NULL, &expl);
            bool want = e == l;
            if ((sc >= 0.85) != want)
                fail_msg("%s / %s: %.3f, expected %s: %s", ja_names[e], ja_latin[l], sc,
                         want ? "a match" : "none", expl.data);
        }
    dv_buf_free(&expl);
    dv_namer_free(namer);
    dv_screener_free(s);
}

/* Burmese is romanised as Myanmar names are written in English, and its
 * tokens meet the English spellings through the same fold as Hangul's. */
static void burmese_is_romanised_as_names_are_written(void **state)
{
    (void)state;
    dv_error err = {0, ""};
    dv_namer *n = dv_namer_new(&err);
    normalised(n, "မြန်မာ့ စီးပွားရေး ဘဏ်", "Myanma ECONOMIC BANK", "");
    normalised(n, "ရွှေ သီရိ ကုမ္ပဏီ လီမိတက်", "Shwe Thiri", "Kumpani Limitet");
    normalised(n, "အောင် မြင့်", "Aung Myint", "");  /* creaky tone after a nasal: t */
    normalised(n, "ကျော် ထွန်း", "Kyaw Htun", "");    /* medials */
    normalised(n, "သိန်း စိန်", "Thein Sein", "");
    normalised(n, "မန္တလေး", "Mantale", "");         /* a stacked consonant */
    normalised(n, "လှ နိုင်", "Hla Naing", "");
    dv_namer_free(n);
    assert_true(sim("Htu", "HTOO") == DV_ROM_SKEL_SHORT_SIM); /* TU: a short pair */
    assert_true(sim("Hla", "LA") == 0.0);
    static const char *const same[][2] = {{"Shwe", "SHWAY"}, {"Yankon", "YANGON"},
                                          {"Mantale", "MANDALAY"}, {"Thiri", "THIRI"},
                                          {"Htun", "TUN"}};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
        if (sim(same[i][0], same[i][1]) != DV_ROM_KOREAN_SIM)
            fail_msg("%s ~ %s: %.2f", same[i][0], same[i][1], sim(same[i][0], same[i][1]));
    assert_true(sim("Myint", "MIN") == 0.0);
    assert_true(sim("Thiri", "TARI") == 0.0);
}

static const char *const my_latin[] = {
    "Myanma Economic Bank",       "Shwe Thiri Company Limited", "Htoo Trading Co Ltd",
    "Yatanapon Bank",             "Aung Myint Trading Co Ltd", "Mandalay Trading",
    "Myanma Foreign Trade Bank",  "Shwe Taung Company Limited", "Aung Min Trading Co Ltd",
};
static const char *const my_names[] = {
    "မြန်မာ့ စီးပွားရေး ဘဏ်", "ရွှေ သီရိ ကုမ္ပဏီ လီမိတက်", "ထူး ကုန်သွယ်ရေး ကုမ္ပဏီ လီမိတက်",
    "ရတနာပုံ ဘဏ်", "အောင် မြင့် ကုန်သွယ်ရေး ကုမ္ပဏီ လီမိတက်", "မန္တလေး ကုန်သွယ်ရေး",
};
enum { N_MY_SAME = 6, N_MY_LATIN = 9, N_MY = 6 };

static void burmese_names_match_their_english_form(void **state)
{
    (void)state;
    dv_watch w[N_MY_LATIN];
    dv_screener *s = screener_of(my_latin, N_MY_LATIN, w);
    dv_error err = {0, ""};
    dv_namer *namer = dv_namer_new(&err);
    dv_buf expl = {0};
    for (size_t e = 0; e < N_MY; e++)
        for (size_t l = 0; l < N_MY_LATIN; l++) {
            expl.len = 0;
            double sc = dv_screen_pair(s, namer, my_names[e], NULL, my_latin[l], NULL, &expl);
            bool want = e == l;
            if ((sc >= 0.85) != want)
                fail_msg("%s / %s: %.3f, expected %s: %s", my_names[e], my_latin[l], sc,
                         want ? "a match" : "none", expl.data);
        }
    dv_buf_free(&expl);
    dv_namer_free(namer);
    dv_screener_free(s);
}

/* Chinese: simplified and traditional characters read alike, the place
 * and trade name meet their English spelling written together, and the
 * business words of China's registers read as English. */
static const char *const zh_latin[] = {
    "Dalian Hengtong Trading Co Ltd",   "Dalian Hengtong Trading Co Ltd",
    "Shanghai Huayi Chemical Co Ltd",   "Ningbo Gangtong Shipping Co Ltd",
    "Tangshan Jinhui Steel Co Ltd",     "Dalian Hengtong Logistics Co Ltd",
};
static const char *const zh_names[] = {
    "大连恒通贸易有限公司", "大連恆通貿易有限公司", "上海华谊化工有限公司",
    "宁波港通船务有限公司", "唐山金辉钢铁有限公司",
};

static void chinese_names_match_their_english_form(void **state)
{
    (void)state;
    dv_watch w[6];
    dv_screener *s = screener_of(zh_latin, 6, w);
    dv_error err = {0, ""};
    dv_namer *namer = dv_namer_new(&err);
    dv_buf expl = {0};
    for (size_t e = 0; e < 5; e++)
        for (size_t l = 0; l < 6; l++) {
            expl.len = 0;
            double sc = dv_screen_pair(s, namer, zh_names[e], NULL, zh_latin[l], NULL, &expl);
            bool want = !strcmp(zh_latin[l], zh_latin[e]);
            if ((sc >= 0.85) != want)
                fail_msg("%s / %s: %.3f, expected %s: %s", zh_names[e], zh_latin[l], sc,
                         want ? "a match" : "none", expl.data);
        }
    dv_buf_free(&expl);
    dv_namer_free(namer);
    dv_screener_free(s);
}

/* The index finds exactly the pairs that pair scoring finds, with the
 * abjad names on the entities' side and on the list's. */
static void index_agrees(const char *const *list, size_t nl, const char *const *ents, size_t ne,
                         size_t at_least)
{
    dv_watch *w = calloc(nl, sizeof *w);
    dv_entity *e = calloc(ne, sizeof *e);
    char (*ids)[24] = calloc(ne, sizeof *ids);
    for (size_t i = 0; i < nl; i++) w[i].name = list[i], w[i].id = "L";
    for (size_t i = 0; i < ne; i++) {
        snprintf(ids[i], sizeof ids[i], "E%zu", i);
        e[i].id = ids[i], e[i].name = ents[i];
    }
    dv_dataset ds;
    memset(&ds, 0, sizeof ds);
    ds.watchlist = w, ds.n_watch = nl, ds.entities = e, ds.n_entities = ne;
    dv_error err = {0, ""};
    dv_screener *s = dv_screener_new(&ds, &err);
    dv_namer *namer = dv_namer_new(&err);
    dv_matches m;
    dv_screen_stats st;
    double th = dvt_screen_threshold();
    assert_int_equal(dv_screen_all(s, th, 2, &m, &st, &err), 0);
    size_t want = 0;
    for (size_t i = 0; i < ne; i++)
        for (size_t j = 0; j < nl; j++) {
            double by_pairs = dv_screen_pair(s, namer, ents[i], NULL, list[j], NULL, NULL);
            bool found = false;
            for (size_t k = 0; k < m.n; k++)
                if (m.m[k].entity == i && m.m[k].watch == j) {
                    found = true;
                    if (fabs(m.m[k].score - by_pairs) > 1e-12)
                        fail_msg("%s / %s: index %.3f, pairs %.3f", ents[i], list[j], m.m[k].score,
                                 by_pairs);
                }
            if (by_pairs >= th) {
                want++;
                if (!found) fail_msg("%s / %s: %.3f by pairs, not found", ents[i], list[j], by_pairs);
            }
        }
    assert_true(want >= at_least);
    dv_matches_free(&m);
    dv_namer_free(namer);
    dv_screener_free(s);
    free(w);
    free(e);
    free(ids);
}

static void the_index_finds_them_either_way_round(void **state)
{
    (void)state;
    index_agrees(latin_names, N_LATIN, script_names, N_SCRIPT, N_SAME);
    index_agrees(script_names, N_SCRIPT, latin_names, N_LATIN, N_SAME);
    index_agrees(ko_latin, N_KO_LATIN, ko_hangul, N_KO_HANGUL, N_KO_SAME);
    index_agrees(ko_hangul, N_KO_HANGUL, ko_latin, N_KO_LATIN, N_KO_SAME);
    index_agrees(ja_latin, N_JA_LATIN, ja_names, N_JA, N_JA_SAME);
    index_agrees(ja_names, N_JA, ja_latin, N_JA_LATIN, N_JA_SAME);
    index_agrees(my_latin, N_MY_LATIN, my_names, N_MY, N_MY_SAME);
    index_agrees(my_names, N_MY, my_latin, N_MY_LATIN, N_MY_SAME);
    index_agrees(zh_latin, 5, zh_names, 5, 5);
    index_agrees(zh_names, 5, zh_latin, 5, 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(abjad_words_become_consonant_tokens),
        cmocka_unit_test(skeletons_meet_latin_spellings),
        cmocka_unit_test(abjad_names_match_their_english_form),
        cmocka_unit_test(hangul_is_romanised_by_rr),
        cmocka_unit_test(hangul_tokens_meet_other_romanisations),
        cmocka_unit_test(hangul_names_match_their_english_form),
        cmocka_unit_test(japanese_names_are_read_in_hepburn),
        cmocka_unit_test(japanese_names_match_their_english_form),
        cmocka_unit_test(burmese_is_romanised_as_names_are_written),
        cmocka_unit_test(burmese_names_match_their_english_form),
        cmocka_unit_test(chinese_names_match_their_english_form),
        cmocka_unit_test(the_index_finds_them_either_way_round),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    dv_names_cleanup();
    return rc;
}
