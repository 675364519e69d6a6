/*
 * test_nameclean.c: names as real data holds them, cleaned before
 * screening (issue 17): each rule of nameclean.c on examples of its own,
 * what must not be cut, and cleaning as screening uses it (pair scoring
 * and the index alike).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "divert/nameclean.h"
#include "divert/screen.h"
#include "support.h"

/* The names a text gives, " | " between them, then " # " and what was set
 * apart, as the explanation says it. */
static char *cleaned(dv_cleaner *c, const char *text)
{
    dv_buf out = {0};
    size_t n = dv_name_clean(c, text, strlen(text));
    for (size_t i = 0; i < n; i++) {
        size_t len;
        const char *name = dv_clean_name(c, i, &len);
        assert_int_equal(strlen(name), len);
        dv_buf_printf(&out, "%s%s", i ? " | " : "", name);
    }
    dv_buf expl = {0};
    dv_clean_explain(c, text, 0, &expl);
    if (expl.len) dv_buf_printf(&out, " # %s", expl.data);
    dv_buf_free(&expl);
    return out.data;
}

typedef struct clean_case {
    const char *text, *want;
} clean_case;

static void check_cases(const clean_case *cases, size_t n)
{
    dv_cleaner *c = dv_cleaner_new();
    int failed = 0;
    for (size_t i = 0; i < n; i++) {
        char *got = cleaned(c, cases[i].text);
        if (strcmp(got, cases[i].want)) {
            printf("[%s]\n  want [%s]\n  got  [%s]\n", cases[i].text, cases[i].want, got);
            failed++;
        }
        free(got);
    }
    dv_cleaner_free(c);
    if (failed) fail_msg("%d of %zu cases", failed, n);
}

#define CHECK(cases) check_cases(cases, sizeof cases / sizeof cases[0])

static void labels_and_accounts_of_messages_are_set_aside(void **state)
{
    (void)state;
    static const clean_case cases[] = {
        {"BENEFICIARY: KORVANTA TRADING FZE",
         "KORVANTA TRADING FZE # label \"BENEFICIARY:\" set aside"},
        {"NOTIFY PARTY: Korvanta Trading FZE",
         "Korvanta Trading FZE # label \"NOTIFY PARTY:\" set aside"},
        {"Ordering Customer: Nordvik Metals AB",
         "Nordvik Metals AB # label \"Ordering Customer:\" set aside"},
        {"FIELD 59: KORVANTA TRADING FZE", "KORVANTA TRADING FZE # label \"FIELD 59:\" set aside"},
        {"BENEFICIARY (59): KORVANTA TRADING FZE",
         "KORVANTA TRADING FZE # label \"BENEFICIARY (59):\" set aside"},
        {":59:/AE070331234567890123456 KORVANTA TRADING FZE",
         "KORVANTA TRADING FZE # label \":59:\" set aside, account \"/AE070331234567890123456\" set aside"},
        {":50K:/DE89 3704 0044 0532 0130 00 Nordvik Metals AB",
         "Nordvik Metals AB # label \":50K:\" set aside, account \"/DE89 3704 0044 0532 0130 00\" set aside"},
        {"BENEFICIARY: IBAN GB29NWBK60161331926819 Albion Marine Ltd",
         "Albion Marine Ltd # label \"BENEFICIARY:\" set aside, account \"IBAN GB29NWBK60161331926819\" set aside"},
        {"GB29NWBK60161331926819 Albion Marine Ltd",
         "Albion Marine Ltd # account \"GB29NWBK60161331926819\" set aside"},
        {"CONSIGNEE: ACCOUNT NO. 4471203 Korvanta Trading FZE",
         "Korvanta Trading FZE # label \"CONSIGNEE:\" set aside, account \"ACCOUNT NO. 4471203\" set aside"},
        {"Empfänger: Hanseatic Pumps GmbH", "Hanseatic Pumps GmbH # label \"Empfänger:\" set aside"},
        /* a field of lines: the account, the name, the address */
        {":59:/12345678\nNORDVIK METALS AB\nSTORGATAN 12\nSTOCKHOLM",
         "NORDVIK METALS AB # label \":59:\" set aside, account \"/12345678\" set aside, address "
         "\"STORGATAN 12 STOCKHOLM\" set aside"},
        /* a name longer than a line of 35 goes on on the next */
        {"BENEFICIARY:\nINTERNATIONAL HEAVY MACHINERY TRADIN\nG COMPANY LLC\nPO BOX 55",
         "INTERNATIONAL HEAVY MACHINERY TRADIN G COMPANY LLC # label \"BENEFICIARY:\" set aside, "
         "address \"PO BOX 55\" set aside"},
    };
    CHECK(cases);
}

static void care_of_parts_addresses_and_registry_numbers_are_set_aside(void **state)
{
    (void)state;
    static const clean_case cases[] = {
        {"Korvanta Trading FZE c/o Gulf Shipping Agency LLC",
         "Korvanta Trading FZE # care-of \"c/o Gulf Shipping Agency LLC\" set aside"},
        {"Nordvik Metals AB, Attn: Procurement Dept",
         "Nordvik Metals AB # care-of \"Attn: Procurement Dept\" set aside"},
        {"Albion Marine Ltd on behalf of Nordvik Metals AB",
         "Albion Marine Ltd # care-of \"on behalf of Nordvik Metals AB\" set aside"},
        {"Albion Marine Ltd care of Harbour Agents",
         "Albion Marine Ltd # care-of \"care of Harbour Agents\" set aside"},
        {"Korvanta Trading FZE, PO Box 12345, Dubai, UAE",
         "Korvanta Trading FZE # address \"PO Box 12345, Dubai, UAE\" set aside"},
        {"Korvanta Trading FZE P.O. Box 4411 Dubai",
         "Korvanta Trading FZE # address \"P.O. Box 4411 Dubai\" set aside"},
        {"Hanseatic Pumps GmbH, Hafenstrasse 12, 20457 Hamburg",
         "Hanseatic Pumps GmbH # address \"Hafenstrasse 12, 20457 Hamburg\" set aside"},
        {"Albion Marine Ltd, Unit 4, Dock Road, London E16 2QT",
         "Albion Marine Ltd # address \"Unit 4, Dock Road, London E16 2QT\" set aside"},
        {"Korvanta Trading FZE, Dubai, United Arab Emirates",
         "Korvanta Trading FZE # address \"Dubai, United Arab Emirates\" set aside"},
        {"Korvanta Trading FZE, Dubai", "Korvanta Trading FZE # address \"Dubai\" set aside"},
        {"Hanseatic Pumps GmbH, Hamburg-Altona",
         "Hanseatic Pumps GmbH # address \"Hamburg-Altona\" set aside"},
        {"Sino Harvest Trading Ltd, Hong Kong",
         "Sino Harvest Trading Ltd # address \"Hong Kong\" set aside"},
        {"Mazowsze Logistics Sp. z o.o., KRS 0000123456",
         "Mazowsze Logistics Sp. z o.o. # registry number \"KRS 0000123456\" set aside"},
        {"Tekhnopribor OOO INN 7701234567",
         "Tekhnopribor OOO # registry number \"INN 7701234567\" set aside"},
        {"Korvanta Trading LLC (CR No. 1234567)",
         "Korvanta Trading LLC # registry number \"(CR No. 1234567)\" set aside"},
        {"Korvanta Trading LLC Commercial Registration No. 1010123456",
         "Korvanta Trading LLC # registry number \"Commercial Registration No. 1010123456\" set "
         "aside"},
        {"Acme Widgets Ltd, Reg. No. 01234567",
         "Acme Widgets Ltd # registry number \"Reg. No. 01234567\" set aside"},
        /* a payment line in capitals: the address right after the form,
         * no comma (a number, a street word, a registry number; in a
         * message's field, a place of one to three words) */
        {":59:/AE070331234567890123456 ZARVESK TRADING CO. NO 7 AL MAKTOUM RD DEIRA",
         "ZARVESK TRADING CO. # label \":59:\" set aside, account \"/AE070331234567890123456\" set "
         "aside, address \"NO 7 AL MAKTOUM RD DEIRA\" set aside"},
        {"HALVERN MARINE SUPPLY LTD 14 DOCK STREET LIVERPOOL",
         "HALVERN MARINE SUPPLY LTD # address \"14 DOCK STREET LIVERPOOL\" set aside"},
        {"BENEFICIARY: KESTREL AGRO EXPORT LTDA SANTOS",
         "KESTREL AGRO EXPORT LTDA # label \"BENEFICIARY:\" set aside, address \"SANTOS\" set aside"},
        {"SHIPPER: MERIDA STEEL WORKS LLC - JEBEL ALI FREE ZONE",
         "MERIDA STEEL WORKS LLC # label \"SHIPPER:\" set aside, address \"JEBEL ALI FREE ZONE\" set "
         "aside"},
        /* and where the name goes on after a form: of, and, after BANK */
        {"BENEFICIARY: COMMERCIAL BANK OF ARDANIA",
         "COMMERCIAL BANK OF ARDANIA # label \"BENEFICIARY:\" set aside"},
        {"BENEFICIARY: NATIONAL BANK ARDANIA", "NATIONAL BANK ARDANIA # label \"BENEFICIARY:\" set aside"},
        {"SHIPPER: MERIDA STEEL WORKS LLC AND SONS",
         "MERIDA STEEL WORKS LLC AND SONS # label \"SHIPPER:\" set aside"},
        {"ORDERING CUSTOMER: WOMBAT HARVEST FOODS PTY LTD ACN 123 456 789",
         "WOMBAT HARVEST FOODS PTY LTD # label \"ORDERING CUSTOMER:\" set aside, registry number \"ACN "
         "123 456 789\" set aside"},
        {"Uralskiy Zavod AO OGRN 1027700132195 INN 7707083893",
         "Uralskiy Zavod AO # registry number \"OGRN 1027700132195\" set aside, registry number "
         "\"INN 7707083893\" set aside"},
    };
    CHECK(cases);
}

static void a_vessels_voyage_flag_and_imo_number_are_set_aside(void **state)
{
    (void)state;
    static const clean_case cases[] = {
        {"EVER GIVEN (V.123E)", "EVER GIVEN # vessel detail \"(V.123E)\" set aside"},
        {"OCEAN PRIDE (flag: Panama)", "OCEAN PRIDE # vessel detail \"(flag: Panama)\" set aside"},
        {"OCEAN PRIDE (Panama flag)", "OCEAN PRIDE # vessel detail \"(Panama flag)\" set aside"},
        {"M/V OCEAN PRIDE IMO 9123456",
         "OCEAN PRIDE # vessel detail \"M/V\" set aside, vessel detail \"IMO 9123456\" set aside"},
        {"OCEAN PRIDE VOY. 045W", "OCEAN PRIDE # vessel detail \"VOY. 045W\" set aside"},
        {"OCEAN PRIDE V.045W", "OCEAN PRIDE # vessel detail \"V.045W\" set aside"},
        {"OCEAN PRIDE (IMO: 9123456)", "OCEAN PRIDE # vessel detail \"(IMO: 9123456)\" set aside"},
        /* MV without its slash: only when the text says more of a vessel */
        {"MV OCEAN PRIDE (V.045W)",
         "OCEAN PRIDE # vessel detail \"MV\" set aside, vessel detail \"(V.045W)\" set aside"},
    };
    CHECK(cases);
}

static void former_other_and_trading_names_become_aliases(void **state)
{
    (void)state;
    static const clean_case cases[] = {
        {"Korvanta Trading FZE (ex-Korvanta General Trading LLC)",
         "Korvanta Trading FZE | Korvanta General Trading LLC # former name \"Korvanta General "
         "Trading LLC\" as an alias"},
        {"Korvanta Trading FZE (formerly Korvanta General Trading LLC)",
         "Korvanta Trading FZE | Korvanta General Trading LLC # former name \"Korvanta General "
         "Trading LLC\" as an alias"},
        {"Nordvik Metals AB f/k/a Nordvik Steel AB",
         "Nordvik Metals AB | Nordvik Steel AB # former name \"Nordvik Steel AB\" as an alias"},
        {"Nordvik Metals AB, formerly known as Nordvik Steel AB",
         "Nordvik Metals AB | Nordvik Steel AB # former name \"Nordvik Steel AB\" as an alias"},
        {"NORDVIK METALS AB FKA NORDVIK STEEL AB",
         "NORDVIK METALS AB | NORDVIK STEEL AB # former name \"NORDVIK STEEL AB\" as an alias"},
        {"Golden Crane Shipping Ltd a/k/a Golden Crane Marine",
         "Golden Crane Shipping Ltd | Golden Crane Marine # other name \"Golden Crane Marine\" as "
         "an alias"},
        {"John Smith d/b/a Smith Electronics",
         "John Smith | Smith Electronics # trading name \"Smith Electronics\" as an alias"},
        {"PETER JONES T/A JONES FREIGHT",
         "PETER JONES | JONES FREIGHT # trading name \"JONES FREIGHT\" as an alias"},
        {"OCEAN PRIDE ex MARE NOSTRUM",
         "OCEAN PRIDE | MARE NOSTRUM # former name \"MARE NOSTRUM\" as an alias"},
        {"OCEAN PRIDE (EX MARE NOSTRUM)",
         "OCEAN PRIDE | MARE NOSTRUM # former name \"MARE NOSTRUM\" as an alias"},
        {"Hanseatic Pumps GmbH (vormals Hanseatic Pumpenbau GmbH)",
         "Hanseatic Pumps GmbH | Hanseatic Pumpenbau GmbH # former name \"Hanseatic Pumpenbau "
         "GmbH\" as an alias"},
        {"Korvanta Trading FZE (formerly Korvanta General LLC), PO Box 1234, Dubai",
         "Korvanta Trading FZE | Korvanta General LLC # former name \"Korvanta General LLC\" as "
         "an alias, address \"PO Box 1234, Dubai\" set aside"},
        {"KORVANTA TRADING FZE EX KORVANTA GENERAL TRADING",
         "KORVANTA TRADING FZE | KORVANTA GENERAL TRADING # former name \"KORVANTA GENERAL "
         "TRADING\" as an alias"},
        {"Brightwater Ocean Freight Ltd (now Harbourline Logistics LLC)",
         "Brightwater Ocean Freight Ltd | Harbourline Logistics LLC # later name \"Harbourline "
         "Logistics LLC\" as an alias"},
        {"Brightwater Ocean Freight Ltd, renamed Harbourline Logistics LLC",
         "Brightwater Ocean Freight Ltd | Harbourline Logistics LLC # later name \"Harbourline "
         "Logistics LLC\" as an alias"},
        {"Alpha Metals Ltd f/k/a Beta Metals Ltd a/k/a Gamma Alloys",
         "Alpha Metals Ltd | Beta Metals Ltd | Gamma Alloys # former name \"Beta Metals Ltd\" as "
         "an alias, other name \"Gamma Alloys\" as an alias"},
    };
    CHECK(cases);
}

static void branches_are_set_aside(void **state)
{
    (void)state;
    static const clean_case cases[] = {
        {"Kenya Commercial Bank - Mombasa Branch",
         "Kenya Commercial Bank # branch \"Mombasa Branch\" set aside"},
        {"Equity Bank (Eldoret Branch)", "Equity Bank # branch \"(Eldoret Branch)\" set aside"},
        {"Habib Bank Limited, Lahore Branch",
         "Habib Bank Limited # branch \"Lahore Branch\" set aside"},
        {"Habib Bank Limited Karachi Branch",
         "Habib Bank Limited # branch \"Karachi Branch\" set aside"},
        {"Korvanta Trading FZE Branch Office",
         "Korvanta Trading FZE # branch \"Branch Office\" set aside"},
        {"Branch of Korvanta Trading FZE", "Korvanta Trading FZE # branch \"Branch of\" set aside"},
        {"Dubai Branch of Korvanta Trading", "Korvanta Trading # branch \"Dubai Branch of\" set aside"},
        {"Hanseatic Pumps GmbH Zweigniederlassung Wien",
         "Hanseatic Pumps GmbH # branch \"Zweigniederlassung Wien\" set aside"},
        {"Banco Andino S.A. Sucursal Panamá",
         "Banco Andino S.A. # branch \"Sucursal Panamá\" set aside"},
        {"Vistula Trade GmbH Oddział w Polsce",
         "Vistula Trade GmbH # branch \"Oddział w Polsce\" set aside"},
        {"Nordvik Metals AB, filial i Finland",
         "Nordvik Metals AB # branch \"filial i Finland\" set aside"},
        {"Lumière Optique SA, succursale de Genève",
         "Lumière Optique SA # branch \"succursale de Genève\" set aside"},
        {"Anadolu Makina A.Ş. İstanbul Şubesi",
         "Anadolu Makina A.Ş. # branch \"İstanbul Şubesi\" set aside"},
        {"Sucursal de Banco Andino S.A.", "Banco Andino S.A. # branch \"Sucursal de\" set aside"},
        {"Al Noor Exchange Jeddah Branch", "Al Noor Exchange Jeddah # branch \"Branch\" set aside"},
        {"三菱商事株式会社上海分公司", "三菱商事株式会社 # branch \"上海分公司\" set aside"},
        {"中国银行上海分行", "中国银行 # branch \"上海分行\" set aside"},
        {"신한은행 뉴욕지점", "신한은행 # branch \"뉴욕지점\" set aside"},
        {"Albion Marine Ltd Representative Office in Hanoi",
         "Albion Marine Ltd # branch \"Representative Office in Hanoi\" set aside"},
    };
    CHECK(cases);
}

/* Branches as the registers and banks of each language write them: the
 * place after the word, before it as an adjective or a genitive, with a
 * preposition, after a comma or a dash, in parentheses. */
static void branches_in_the_registers_languages_are_set_aside(void **state)
{
    (void)state;
    static const clean_case cases[] = {
        {"Nordvik Metals AS avdeling Bergen",
         "Nordvik Metals AS # branch \"avdeling Bergen\" set aside"},
        {"Nordvik Metals AS, avd. Bergen", "Nordvik Metals AS # branch \"avd. Bergen\" set aside"},
        {"Danske Bank A/S, Suomen sivuliike",
         "Danske Bank A/S # branch \"Suomen sivuliike\" set aside"},
        {"Citibank Europe plc Magyarországi Fióktelepe",
         "Citibank Europe plc # branch \"Magyarországi Fióktelepe\" set aside"},
        {"Kessel Gépgyártó Kft. Fióktelepe",
         "Kessel Gépgyártó Kft. # branch \"Fióktelepe\" set aside"},
        {"Mazowsze Logistics Sp. z o.o. Oddział w Krakowie",
         "Mazowsze Logistics Sp. z o.o. # branch \"Oddział w Krakowie\" set aside"},
        {"Citibank Europe plc, organizační složka",
         "Citibank Europe plc # branch \"organizační složka\" set aside"},
        {"Tatra Stroj s.r.o., odštěpný závod Brno",
         "Tatra Stroj s.r.o. # branch \"odštěpný závod Brno\" set aside"},
        {"Banca Transilvania SA Sucursala Cluj",
         "Banca Transilvania SA # branch \"Sucursala Cluj\" set aside"},
        {"Banco Atlântico S.A. - Sucursal em Portugal",
         "Banco Atlântico S.A. # branch \"Sucursal em Portugal\" set aside"},
        {"Banco do Interior S.A. - Agência Centro",
         "Banco do Interior S.A. # branch \"Agência Centro\" set aside"},
        {"Crédit Rural SA, Agence de Lyon", "Crédit Rural SA # branch \"Agence de Lyon\" set aside"},
        {"Banco Andino S.A. (Agencia Miraflores)",
         "Banco Andino S.A. # branch \"(Agencia Miraflores)\" set aside"},
        {"Lumière Optique SA Agence Lyon", "Lumière Optique SA # branch \"Agence Lyon\" set aside"},
        {"Meccanica Lombarda S.p.A. sede secondaria di Roma",
         "Meccanica Lombarda S.p.A. # branch \"sede secondaria di Roma\" set aside"},
        {"Hollandse Pompen B.V. nevenvestiging Rotterdam",
         "Hollandse Pompen B.V. # branch \"nevenvestiging Rotterdam\" set aside"},
        {"Albion Marine Limited - Υποκατάστημα Ελλάδος",
         "Albion Marine Limited # branch \"Υποκατάστημα Ελλάδος\" set aside"},
        {"ALBION MARINE LIMITED ΥΠΟΚΑΤΑΣΤΗΜΑ ΑΛΛΟΔΑΠΗΣ",
         "ALBION MARINE LIMITED # branch \"ΥΠΟΚΑΤΑΣΤΗΜΑ ΑΛΛΟΔΑΠΗΣ\" set aside"},
        {"Ситибанк Европа АД, клон България",
         "Ситибанк Европа АД # branch \"клон България\" set aside"},
        {"Філія Укрексімбанку", "Укрексімбанку # branch \"Філія\" set aside"},
        {"Uralskiy Zavod AO Представительство в Казахстане",
         "Uralskiy Zavod AO # branch \"Представительство в Казахстане\" set aside"},
        {"Bank Nusantara Tbk Kantor Cabang Surabaya",
         "Bank Nusantara Tbk # branch \"Kantor Cabang Surabaya\" set aside"},
        {"Bank Nusantara Tbk Cabang Surabaya",
         "Bank Nusantara Tbk # branch \"Cabang Surabaya\" set aside"},
        {"Bank Seri Melaka Berhad Cawangan Ipoh",
         "Bank Seri Melaka Berhad # branch \"Cawangan Ipoh\" set aside"},
        {"مصرف الرافدين فرع عمان", "مصرف الرافدين # branch \"فرع عمان\" set aside"},
        {"Hanseatic Pumps GmbH Repräsentanz Moskau",
         "Hanseatic Pumps GmbH # branch \"Repräsentanz Moskau\" set aside"},
        {"Banco Andino S.A. Oficina de Representación en Madrid",
         "Banco Andino S.A. # branch \"Oficina de Representación en Madrid\" set aside"},
        /* the Nordic registers' NAME, filial af HEAD OFFICE: the head office */
        {"Nordvik Danmark, filial af Nordvik Bank Abp",
         "Nordvik Bank Abp # branch \"Nordvik Danmark, filial af\" set aside"},
        {"Filial av Nordvik Bank Abp", "Nordvik Bank Abp # branch \"Filial av\" set aside"},
        {"Panamá, Sucursal de Banco Andino S.A.",
         "Banco Andino S.A. # branch \"Panamá, Sucursal de\" set aside"},
        /* a place after in, i, en: the branch part only */
        {"Nordvik Metals AB, filial i Finland Oy",
         "Nordvik Metals AB # branch \"filial i Finland Oy\" set aside"},
    };
    CHECK(cases);
}

/* Former names as the registers of each language write them, and a
 * parenthesis or clause of several former names: each an alias. */
static void former_names_in_the_registers_languages_become_aliases(void **state)
{
    (void)state;
    static const clean_case cases[] = {
        {"Minera Andina S.A. (antes Minera del Sur S.A.)",
         "Minera Andina S.A. | Minera del Sur S.A. # former name \"Minera del Sur S.A.\" as an alias"},
        /* in capitals, as registers and lists write them: the word opens
         * the parentheses and a name with its form follows */
        {"MINERA ANDINA S.A. (ANTES MINERA DEL SUR S.A.)",
         "MINERA ANDINA S.A. | MINERA DEL SUR S.A. # former name \"MINERA DEL SUR S.A.\" as an alias"},
        {"DUNAREA LOGISTIC S.R.L. (FOST\xC4\x82 DUNAREA TRANS S.R.L.)",
         "DUNAREA LOGISTIC S.R.L. | DUNAREA TRANS S.R.L. # former name \"DUNAREA TRANS S.R.L.\" as an "
         "alias"},
        {"Minera Andina S.A., anteriormente denominada Minera del Sur S.A.",
         "Minera Andina S.A. | Minera del Sur S.A. # former name \"Minera del Sur S.A.\" as an alias"},
        {"Construtora Lusa Lda (antiga denominação Lusa Obras Lda)",
         "Construtora Lusa Lda | Lusa Obras Lda # former name \"Lusa Obras Lda\" as an alias"},
        {"Lumière Optique SA (anciennement dénommée Optique Rhône SA)",
         "Lumière Optique SA | Optique Rhône SA # former name \"Optique Rhône SA\" as an alias"},
        {"Lumière Optique SA, ancienne dénomination Optique Rhône SA",
         "Lumière Optique SA | Optique Rhône SA # former name \"Optique Rhône SA\" as an alias"},
        {"Hanseatic Pumps GmbH (früher firmierend als Hanseatic Pumpenbau GmbH)",
         "Hanseatic Pumps GmbH | Hanseatic Pumpenbau GmbH # former name \"Hanseatic Pumpenbau GmbH\" as "
         "an alias"},
        {"Meccanica Lombarda S.p.A. (già Meccanica Brianza S.r.l.)",
         "Meccanica Lombarda S.p.A. | Meccanica Brianza S.r.l. # former name \"Meccanica Brianza "
         "S.r.l.\" as an alias"},
        {"MECCANICA LOMBARDA S.P.A. GIÀ DENOMINATA MECCANICA BRIANZA S.R.L.",
         "MECCANICA LOMBARDA S.P.A. | MECCANICA BRIANZA S.R.L. # former name \"MECCANICA BRIANZA "
         "S.R.L.\" as an alias"},
        {"Meccanica Lombarda S.p.A. precedentemente denominata Meccanica Brianza S.r.l.",
         "Meccanica Lombarda S.p.A. | Meccanica Brianza S.r.l. # former name \"Meccanica Brianza "
         "S.r.l.\" as an alias"},
        {"Hollandse Pompen B.V. v/h Pompenfabriek Zaandam",
         "Hollandse Pompen B.V. | Pompenfabriek Zaandam # former name \"Pompenfabriek Zaandam\" as an "
         "alias"},
        {"Jansen Handel h.o.d.n. Jansen Import",
         "Jansen Handel | Jansen Import # trading name \"Jansen Import\" as an alias"},
        {"Mazowsze Logistics Sp. z o.o. (poprzednia nazwa Warszawa Trans Sp. z o.o.)",
         "Mazowsze Logistics Sp. z o.o. | Warszawa Trans Sp. z o.o. # former name \"Warszawa Trans Sp. "
         "z o.o.\" as an alias"},
        {"Baltijas Koks SIA (agrāk Rīgas Koks SIA)",
         "Baltijas Koks SIA | Rīgas Koks SIA # former name \"Rīgas Koks SIA\" as an alias"},
        {"Nemuno Medis UAB (buvusi Kauno Medis UAB)",
         "Nemuno Medis UAB | Kauno Medis UAB # former name \"Kauno Medis UAB\" as an alias"},
        {"Tamsalu Puit OÜ (endise nimega Tamsalu Saeveski OÜ)",
         "Tamsalu Puit OÜ | Tamsalu Saeveski OÜ # former name \"Tamsalu Saeveski OÜ\" as an alias"},
        {"Tatra Stroj s.r.o. (dříve Tatra Kov s.r.o.)",
         "Tatra Stroj s.r.o. | Tatra Kov s.r.o. # former name \"Tatra Kov s.r.o.\" as an alias"},
        {"ООО Техноприбор (ранее известное как ООО Приборстрой)",
         "ООО Техноприбор | ООО Приборстрой # former name \"ООО Приборстрой\" as an alias"},
        {"Anadolu Makina A.Ş. (eski unvanı Anadolu Metal A.Ş.)",
         "Anadolu Makina A.Ş. | Anadolu Metal A.Ş. # former name \"Anadolu Metal A.Ş.\" as an alias"},
        {"PT Sinar Makmur d/h PT Sinar Jaya",
         "PT Sinar Makmur | PT Sinar Jaya # former name \"PT Sinar Jaya\" as an alias"},
        {"Albion Marine Ltd (πρώην Aegean Marine Ltd)",
         "Albion Marine Ltd | Aegean Marine Ltd # former name \"Aegean Marine Ltd\" as an alias"},
        /* several former names in one parenthesis or clause */
        {"Korvanta Trading FZE (formerly Korvanta General Trading LLC, Gulf Star Trading LLC)",
         "Korvanta Trading FZE | Korvanta General Trading LLC | Gulf Star Trading LLC # former name "
         "\"Korvanta General Trading LLC\" as an alias, former name \"Gulf Star Trading LLC\" as an "
         "alias"},
        {"Korvanta Trading FZE (ex-Korvanta General LLC; ex-Gulf Star LLC)",
         "Korvanta Trading FZE | Korvanta General LLC | Gulf Star LLC # former name \"Korvanta "
         "General LLC\" as an alias, former name \"Gulf Star LLC\" as an alias"},
        {"Nordvik Metals AB, formerly Nordvik Steel AB and Nordvik Iron AB",
         "Nordvik Metals AB | Nordvik Steel AB | Nordvik Iron AB # former name \"Nordvik Steel AB\" as "
         "an alias, former name \"Nordvik Iron AB\" as an alias"},
        /* a name's own comma stays in it */
        {"Korvanta Trading FZE (formerly Smith, Jones & Co)",
         "Korvanta Trading FZE | Smith, Jones & Co # former name \"Smith, Jones & Co\" as an alias"},
        {"Korvanta Trading FZE (formerly Bank and Trust Company)",
         "Korvanta Trading FZE | Bank and Trust Company # former name \"Bank and Trust Company\" as "
         "an alias"},
        {"Korvanta Trading FZE (formerly Alpha Trading Co., Ltd)",
         "Korvanta Trading FZE | Alpha Trading Co., Ltd # former name \"Alpha Trading Co., Ltd\" as "
         "an alias"},
        {"Minera Andina S.A. (antes Minera del Sur S.A. y Minera Austral S.A.)",
         "Minera Andina S.A. | Minera del Sur S.A. | Minera Austral S.A. # former name \"Minera del "
         "Sur S.A.\" as an alias, former name \"Minera Austral S.A.\" as an alias"},
    };
    CHECK(cases);
}

/* Commas, parentheses and keywords that belong to a name stay. */
static void what_belongs_to_a_name_is_not_cut(void **state)
{
    (void)state;
    static const char *const names[] = {
        "Smith, John",
        /* after a form, the name goes on: an ordinal; a place outside a
         * message's field */
        "China Electronics Technology Group Corporation 13th Research Institute",
        "Kestrel Agro Export Ltda Santos",
        "Kumar, Vijay",
        "Smith, Georgia",
        "Jordan, Michael",
        "Ministry of Defence, Iran",
        "Bank of Commerce, Industry and Trade",
        "Acme Holdings, Inc.",
        "Samsung C&T Co, Ltd",
        "Banco Santander, S.A.",
        "Bank of America, N.A.",
        "Alpha Capital Ltd, LLC",
        "Empresa Minera, S.A. de C.V.",
        "Olive Branch",
        "Olive Branch Trading",
        "Green Branch Farms Ltd",
        "Al-Noor Branch",
        "Academy of Aerospace Solid Propulsion Technology (AASPT)",
        "Green Valley Farms Ltd (Kenya)",
        "Longxiang Trading (Shenzhen) Co Ltd",
        "Ex Libris Holdings",
        "Export Import Bank of Thailand",
        "Nordic Trading AS",
        "Holiday Inn Express",
        "Red Flag Linen Ltd",
        "Smith & Sons Ltd (formerly)",
        "St. Petersburg Trading Co",
        "Bank Melli Iran",
        "Road Machinery Export Co",
        "The Street Food Company",
        "Tower Semiconductor Ltd",
        "Regent Street Capital",
        "Taxi Fleet Services",
        "V8 Motors Ltd",
        "Vessel Tracking Systems Inc",
        "Beneficiary Services Group",
        "Alpha Capital Partners, L.P.",
        "Universal Import-Export Ltd",
        "3M Company",
        "Name Brand Apparel Inc",
        "MV Agusta Motor SpA",
        "MT Hojgaard A/S",
        "Buy It Now Ltd",
        "Green Olive Branch",
        "Pacific Rim Import Ex Ltd",
        "中国银行",
        "上海分公司",
        "Now Healthcare Group",
        /* issue 17, second round: branch and former-name words of the
         * registers' languages that are words of names too */
        "Agence France-Presse",
        "Agencia Maritima del Pacifico S.A.",
        "Maersk Agencia Maritima S.A.",
        "Hotel de l'Agence",
        "Sucursal Ltda",
        "Filial Trading Ltd",
        "Cabang Mas Jaya",
        "Gia Lai Rubber Joint Stock Company",
        "Nguyen Gia Trading Co",
        "Ocean Drive Holdings Ltd",
        "DRIVE SHAFT INDUSTRIES",
        "Antes Consulting SL",
        "Vroeger & Zonen BV",
        "Hanoi (Gia Lam) Trading Co",
        "Vroeger Holdings (Antes Lima) Lda",
        "Sede Nova (Gia Dinh) Company",
        "Avdeling Eiendom",
        "Fiók Kft.",
        "nguyen gia trading co",
    };
    dv_cleaner *c = dv_cleaner_new();
    int failed = 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *got = cleaned(c, names[i]);
        if (strcmp(got, names[i])) {
            printf("[%s] cut: [%s]\n", names[i], got);
            failed++;
        }
        free(got);
    }
    dv_cleaner_free(c);
    if (failed) fail_msg("%d names cut", failed);
}

/* Whatever the bytes, cleaning gives names with a word each, within the
 * text's bytes, and an explanation of valid UTF-8. */
static void odd_texts_give_sane_names(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "", " ", ":", ":59:", "BENEFICIARY:", "c/o", "(ex-)", "Foo (ex-", "Foo (", ")", "ex ex ex",
        "f/k/a f/k/a", ",,,,", "Foo\xff\xfe Bar, \xc3 12 Street", "BENEFICIARY: \xe2\x80",
        "Foo, PO Box", "Branch", "Foo - Branch", "Bank Branch of", "\n\n\n", "a/k/a Foo",
    };
    dv_cleaner *c = dv_cleaner_new();
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        size_t n = dv_name_clean(c, texts[i], strlen(texts[i]));
        assert_true(n >= 1 && n <= DV_CLEAN_MAX_NAMES);
        for (size_t k = 0; k < n; k++) {
            size_t len;
            const char *name = dv_clean_name(c, k, &len);
            assert_int_equal(strlen(name), len);
            assert_true(len <= strlen(texts[i]));
        }
        dv_buf expl = {0};
        dv_clean_explain(c, texts[i], n - 1, &expl);
        assert_true(dv_utf8_valid(expl.data ? expl.data : "", expl.len));
        dv_buf_free(&expl);
    }
    /* a text of more tokens than the cleaner reads is left as it is */
    dv_buf big = {0};
    dv_buf_puts(&big, "BENEFICIARY:");
    for (int i = 0; i < 400; i++) dv_buf_puts(&big, " WORD");
    assert_int_equal(dv_name_clean(c, big.data, big.len), 1);
    assert_ptr_equal(dv_clean_name(c, 0, NULL), big.data);
    dv_buf_free(&big);
    dv_cleaner_free(c);
}

/* ---- as screening uses it ---- */

static double pair(dv_screener *s, dv_namer *namer, const char *e, const char *l, dv_buf *expl)
{
    return dv_screen_pair(s, namer, e, NULL, l, NULL, expl);
}

/* Pair scoring cleans both names: a label, a branch or an address no
 * longer dilutes the name, a former name matches the list's name, and
 * the explanation says what was set aside. */
static void pair_scoring_scores_the_cleaned_names(void **state)
{
    (void)state;
    static const char *const list[] = {"Korvanta Trading FZE", "Kenya Commercial Bank",
                                       "Nordvik Steel AB", "Ocean Pride Shipping Ltd"};
    dv_watch w[4];
    memset(w, 0, sizeof w);
    for (int i = 0; i < 4; i++) w[i].name = list[i];
    dv_dataset ds;
    memset(&ds, 0, sizeof ds);
    ds.watchlist = w, ds.n_watch = 4;
    dv_error err = {0, ""};
    dv_screener *s = dv_screener_new(&ds, &err);
    dv_namer *namer = dv_namer_new(&err);
    assert_non_null(s);
    dv_buf expl = {0};
    assert_true(pair(s, namer, "BENEFICIARY: KORVANTA TRADING FZE", list[0], &expl) == 1.0);
    assert_non_null(strstr(expl.data, "; entity: label \"BENEFICIARY:\" set aside"));
    expl.len = 0;
    assert_true(pair(s, namer, "Kenya Commercial Bank - Mombasa Branch", list[1], &expl) == 1.0);
    assert_non_null(strstr(expl.data, "; entity: branch \"Mombasa Branch\" set aside"));
    expl.len = 0;
    assert_true(pair(s, namer, "Nordvik Metals AB f/k/a Nordvik Steel AB", list[2], &expl) == 1.0);
    assert_non_null(
        strstr(expl.data, "; entity: former name \"Nordvik Steel AB\" as an alias (scored)"));
    /* and on the list's side */
    expl.len = 0;
    assert_true(pair(s, namer, "Korvanta Trading FZE", "Korvanta Trading FZE, PO Box 9, Dubai",
                     &expl) == 1.0);
    assert_non_null(strstr(expl.data, "; list: address \"PO Box 9, Dubai\" set aside"));
    /* a name cut of nothing explains as before */
    expl.len = 0;
    pair(s, namer, "Korvanta Trading FZE", list[0], &expl);
    assert_null(strstr(expl.data, "entity:"));
    assert_null(strstr(expl.data, "list:"));
    dv_buf_free(&expl);
    dv_namer_free(namer);
    dv_screener_free(s);
}

/* The index finds what pair scoring finds when cleaning gives names of
 * their own, on either side: the list entry's former name is a name of
 * the entry, the entity's is one of the entity's; the match records the
 * name as the entity gives it and the list's name that matched. */
static void the_index_finds_former_names_on_either_side(void **state)
{
    (void)state;
    static const char *const list[] = {
        "Vantor Heavy Industries JSC (formerly Kastelmar Engineering Plant)",
        "Brightwater Ocean Freight Ltd", "Tesselink Components GmbH, Zweigniederlassung Wien"};
    static const char *const entities[] = {
        "Kastelmar Engineering Plant", "Harbourline Logistics LLC f/k/a Brightwater Ocean Freight Ltd",
        "SHIPPER: Tesselink Components GmbH", "Unrelated Widgets Ltd"};
    dv_watch w[3];
    memset(w, 0, sizeof w);
    for (int i = 0; i < 3; i++) w[i].name = list[i], w[i].id = "L";
    dv_entity e[4];
    memset(e, 0, sizeof e);
    char ids[4][4];
    for (int i = 0; i < 4; i++) {
        snprintf(ids[i], sizeof ids[i], "E%d", i);
        e[i].id = ids[i], e[i].name = entities[i];
    }
    dv_dataset ds;
    memset(&ds, 0, sizeof ds);
    ds.watchlist = w, ds.n_watch = 3, ds.entities = e, ds.n_entities = 4;
    dv_error err = {0, ""};
    dv_screener *s = dv_screener_new(&ds, &err);
    dv_namer *namer = dv_namer_new(&err);
    dv_matches m;
    dv_screen_stats st;
    assert_int_equal(dv_screen_all(s, dvt_screen_threshold(), 2, &m, &st, &err), 0);
    assert_int_equal(st.names, 4); /* the names given, not those cleaning makes */
    assert_int_equal(m.n, 3);
    for (size_t k = 0; k < m.n; k++) {
        const dv_match *x = &m.m[k];
        assert_int_equal(x->entity, x->watch);
        assert_true(x->score == 1.0);
        assert_string_equal(x->entity_name, entities[x->entity]);
        double by_pairs = dv_screen_pair(s, namer, x->entity_name, NULL, list[x->watch], NULL, NULL);
        assert_true(fabs(by_pairs - x->score) <= 1e-12);
    }
    for (size_t k = 0; k < m.n; k++) {
        const dv_match *x = &m.m[k];
        if (x->watch == 0) {
            assert_string_equal(x->list_name, "Kastelmar Engineering Plant");
            assert_non_null(strstr(x->explanation, "; list: former name \"Kastelmar Engineering "
                                                   "Plant\" as an alias (scored)"));
        } else if (x->watch == 1) {
            assert_non_null(strstr(x->explanation, "; entity: former name"));
        } else {
            assert_string_equal(x->list_name, "Tesselink Components GmbH");
            assert_non_null(strstr(x->explanation, "; entity: label \"SHIPPER:\" set aside"));
            assert_non_null(
                strstr(x->explanation, "; list: branch \"Zweigniederlassung Wien\" set aside"));
        }
    }
    dv_matches_free(&m);
    dv_namer_free(namer);
    dv_screener_free(s);
}

/* A branch abroad is its head office's legal person: when either side had
 * a branch set aside and the countries differ, they are not counted (the
 * index agrees with pair scoring); without a branch they still are, and
 * a branch in the head office's country keeps its country in the
 * explanation. */
static void a_branch_abroad_keeps_its_head_offices_score(void **state)
{
    (void)state;
    static const char *const list[] = {"Kestrel Union Bank", "Tavrida Credit Bank, Vienna Branch"};
    static const char *const list_country[] = {"SY", "RU"};
    static const char *const entities[] = {"Kestrel Union Bank - Istanbul Branch", "Kestrel Union Bank",
                                           "Tavrida Credit Bank", "Kestrel Union Bank (Aleppo Branch)"};
    static const char *const entity_country[] = {"TR", "TR", "AT", "SY"};
    dv_watch w[2];
    memset(w, 0, sizeof w);
    for (int i = 0; i < 2; i++) w[i].name = list[i], w[i].id = "L", w[i].country = list_country[i];
    dv_entity e[4];
    memset(e, 0, sizeof e);
    char ids[4][4];
    for (int i = 0; i < 4; i++) {
        snprintf(ids[i], sizeof ids[i], "E%d", i);
        e[i].id = ids[i], e[i].name = entities[i];
        memcpy(e[i].country, entity_country[i], 3);
    }
    dv_dataset ds;
    memset(&ds, 0, sizeof ds);
    ds.watchlist = w, ds.n_watch = 2, ds.entities = e, ds.n_entities = 4;
    dv_error err = {0, ""};
    dv_screener *s = dv_screener_new(&ds, &err);
    dv_namer *namer = dv_namer_new(&err);
    dv_buf expl = {0};
    /* the entity's branch abroad, and the list's */
    assert_true(dv_screen_pair(s, namer, entities[0], "TR", list[0], "SY", &expl) == 1.0);
    assert_non_null(strstr(expl.data, "; countries differ (TR, SY), not counted: a branch"));
    expl.len = 0;
    assert_true(dv_screen_pair(s, namer, entities[2], "AT", list[1], "RU", &expl) == 1.0);
    /* no branch: the countries still count */
    assert_true(dv_screen_pair(s, namer, entities[1], "TR", list[0], "SY", NULL) < 0.85);
    /* a branch at home: nothing to waive */
    expl.len = 0;
    assert_true(dv_screen_pair(s, namer, entities[3], "SY", list[0], "SY", &expl) == 1.0);
    assert_non_null(strstr(expl.data, "; country SY"));
    assert_null(strstr(expl.data, "not counted"));
    /* the index finds what pair scoring finds */
    dv_matches m;
    dv_screen_stats st;
    assert_int_equal(dv_screen_all(s, dvt_screen_threshold(), 2, &m, &st, &err), 0);
    size_t found[4] = {0};
    for (size_t k = 0; k < m.n; k++) {
        const dv_match *x = &m.m[k];
        double by_pairs = dv_screen_pair(s, namer, x->entity_name, entity_country[x->entity],
                                         list[x->watch], list_country[x->watch], NULL);
        assert_true(fabs(by_pairs - x->score) <= 1e-12);
        found[x->entity]++;
    }
    assert_int_equal(found[0], 1);
    assert_int_equal(found[1], 0);
    assert_int_equal(found[2], 1);
    assert_int_equal(found[3], 1);
    dv_matches_free(&m);
    dv_buf_free(&expl);
    dv_namer_free(namer);
    dv_screener_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(labels_and_accounts_of_messages_are_set_aside),
        cmocka_unit_test(care_of_parts_addresses_and_registry_numbers_are_set_aside),
        cmocka_unit_test(a_vessels_voyage_flag_and_imo_number_are_set_aside),
        cmocka_unit_test(former_other_and_trading_names_become_aliases),
        cmocka_unit_test(branches_are_set_aside),
        cmocka_unit_test(branches_in_the_registers_languages_are_set_aside),
        cmocka_unit_test(former_names_in_the_registers_languages_become_aliases),
        cmocka_unit_test(what_belongs_to_a_name_is_not_cut),
        cmocka_unit_test(odd_texts_give_sane_names),
        cmocka_unit_test(pair_scoring_scores_the_cleaned_names),
        cmocka_unit_test(the_index_finds_former_names_on_either_side),
        cmocka_unit_test(a_branch_abroad_keeps_its_head_offices_score),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
