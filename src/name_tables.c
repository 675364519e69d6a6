/*
 * name_tables.c: the tables name normalisation reads (names.h, name_tables.h):
 * legal forms with their jurisdictions, business words in their several
 * spellings and languages, and the countries a name may give in
 * parentheses. Data only; names.c makes them into tokens once a process.
 */
#include "divert/name_tables.h"

#include <stddef.h>

/* ---- legal forms ---- */

/* Each legal form as its tokens, space-separated, in ASCII upper case
 * (accents dropped, as names arrive), with the jurisdictions whose
 * registers use it: ISO 3166 alpha-2 codes, "" for a form that says
 * nothing of a country (Company, Corp, Inc, and the English translations
 * of forms that lists write for any country). Forms are recognised at the
 * end of a name; those marked '^' also at its start, where the languages
 * that use them (and translations of them: "LLC Tekhnopribor") put them.
 * English "Co" stays a word at the start ("Co-operative Bank"). Single
 * letters written apart are read joined, in names and in this table
 * alike (tables_init): "S A", "S. A." and "SA" are one form, "SP Z O O"
 * is "SP ZOO", "S A DE C V" is "SA DE CV".
 *
 * Sources: the ISO 20275 Entity Legal Forms code list (GLEIF publishes
 * it with each form's country, local name and abbreviations:
 * https://www.gleif.org/en/about-lei/code-lists/iso-20275-entity-legal-forms-code-list),
 * and the registers' own guides where a form is written several ways
 * (Companies House, the Handelsregister, KRS, the Äriregister, Brønnøysund,
 * PRH, AHU Online, SSM, SAT). A form a register abbreviates in several
 * spellings has a row for each. */
#define CIS "RU BY KZ KG UZ TJ TM AZ AM GE MD UA"
#define COMMON_LAW                                                                             \
    "GB IE HK SG MY NZ AU IN PK BD LK NG KE GH ZA CY MT IL JM TT BS BB BZ BM VG KY GI IM JE GG " \
    "MU TZ UG ZM ZW MW BW NA SC MM"
/* "Co., Ltd.": the English form of companies of East and South-East
 * Asia; "Ltd" also for Russian, Turkish and Ukrainian companies in
 * English */
#define LTD_WHERE COMMON_LAW " CN JP KR TW TH VN KH LA MN " CIS " TR AE"
#define SPANISH "ES MX AR BO CL CO CR CU DO EC SV GT HN NI PA PY PE UY VE GQ"
#define FRENCH "FR BE LU CH MC MA TN DZ SN CI CM GA CG CD BF ML NE TG BJ MG HT LB"
#define ARAB_LLC "AE OM QA SA BH KW JO LB EG IQ IR SY YE LY"
#define EU "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE NO IS LI"
const dv_legal_form_row dv_legal_forms[] = {
    /* Russian and the Russian-speaking registers, in BGN/PCGN and the
     * other romanisations lists use */
    {"^OBSESTVO S OGRANICENNOJ OTVETSTVENNOSTU", CIS},
    {"^OBSHCHESTVO S OGRANICHENNOY OTVETSTVENNOSTYU", CIS},
    {"^OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTIU", CIS},
    {"^OBSHCHESTVO S DOPOLNITELNOY OTVETSTVENNOSTYU", CIS},
    {"^ZAKRYTOE AKCIONERNOE OBSESTVO", CIS}, {"^OTKRYTOE AKCIONERNOE OBSESTVO", CIS},
    {"^PUBLICNOE AKCIONERNOE OBSESTVO", CIS}, {"^AKCIONERNOE OBSESTVO", CIS},
    {"^ZAKRYTOYE AKTSIONERNOYE OBSHCHESTVO", CIS}, {"^OTKRYTOYE AKTSIONERNOYE OBSHCHESTVO", CIS},
    {"^PUBLICHNOYE AKTSIONERNOYE OBSHCHESTVO", CIS}, {"^AKTSIONERNOYE OBSHCHESTVO", CIS},
    {"^ZAKRYTOE AKTSIONERNOE OBSHCHESTVO", CIS}, {"^OTKRYTOE AKTSIONERNOE OBSHCHESTVO", CIS},
    {"^PUBLICHNOE AKTSIONERNOE OBSHCHESTVO", CIS}, {"^AKTSIONERNOE OBSHCHESTVO", CIS},
    {"^TOVARISTVO Z OBMEZENOU VIDPOVIDALNISTU", "UA"},
    {"^TOVARYSTVO Z OBMEZHENOYU VIDPOVIDALNISTYU", "UA"},
    {"^TOVARISHCHESTVO S OGRANICHENNOY OTVETSTVENNOSTYU", "KZ"},
    {"^FEDERAL STATE UNITARY ENTERPRISE", "RU"}, {"^SCIENTIFIC PRODUCTION ASSOCIATION", CIS},
    {"^SCIENTIFIC PRODUCTION ENTERPRISE", CIS}, {"^NAUCHNO PROIZVODSTVENNOYE OBYEDINENIYE", CIS},
    {"^NAUCHNO PROIZVODSTVENNOE OBEDINENIE", CIS},
    {"^NAUCHNO PROIZVODSTVENNOYE PREDPRIYATIYE", CIS},
    {"^FEDERALNOYE GOSUDARSTVENNOYE UNITARNOYE PREDPRIYATIYE", "RU"},
    /* English, and English translations lists write for any country */
    {"^LIMITED LIABILITY COMPANY", ""}, {"LIMITED LIABILITY PARTNERSHIP", "GB US IN SG KZ"},
    {"^CLOSED JOINT STOCK COMPANY", ""}, {"^OPEN JOINT STOCK COMPANY", ""},
    {"^PUBLIC JOINT STOCK COMPANY", ""}, {"^PRIVATE JOINT STOCK COMPANY", ""},
    {"^JOINT STOCK COMPANY", ""}, {"PRIVATE JOINT STOCK CO", ""}, {"PUBLIC JOINT STOCK CO", ""},
    {"JOINT STOCK CO", ""}, {"ADDITIONAL LIABILITY COMPANY", "BY"},
    {"PUBLIC LIMITED COMPANY", COMMON_LAW}, {"PRIVATE LIMITED COMPANY", COMMON_LAW},
    {"PUBLIC COMPANY LIMITED", "TH"}, {"PRIVATE LIMITED", "IN PK BD LK NP SG"},
    {"PVT LTD", "IN PK BD LK NP"}, {"PRIVATE LTD", "IN PK BD LK NP SG"},
    {"PTE LTD", "SG"}, {"PTE", "SG"}, {"PTY LTD", "AU ZA NA BW"}, {"PTY", "AU ZA NA BW"},
    {"CO LTD", LTD_WHERE}, {"COMPANY LIMITED", LTD_WHERE}, {"LTD", LTD_WHERE},
    {"LIMITED", LTD_WHERE}, {"PLC", "GB IE NG GH KE LK"}, {"LLP", "GB US IN SG KZ"},
    {"LP", "US GB CA"}, {"LTD CO KG", "DE"},
    {"^LLC", "US " CIS " " ARAB_LLC}, {"^JSC", CIS " VN"}, {"^PJSC", CIS " " ARAB_LLC},
    {"^CJSC", CIS}, {"^OJSC", CIS}, {"^ALC", "BY"},
    {"INC", ""}, {"INCORPORATED", ""}, {"CORP", ""}, {"CORPORATION", ""}, {"CO", ""},
    {"COMPANY", ""},
    /* the Gulf's free zones and forms */
    {"FREE ZONE ESTABLISHMENT", "AE"}, {"FREE ZONE COMPANY", "AE"}, {"^FZ LLC", "AE"},
    {"FZE", "AE"}, {"FZCO", "AE"}, {"FZC", "AE"}, {"WLL", "BH KW QA"}, {"SAOC", "OM"},
    {"SAOG", "OM"}, {"QSC", "QA"}, {"QPSC", "QA"}, {"SAL", "LB"}, {"EST", "SA AE KW"},
    {"PSC", "AE QA"}, {"PJS", ARAB_LLC},
    /* German, Austrian, Swiss, and the combined forms: a limited
     * partnership whose partner is a limited company */
    {"GESELLSCHAFT MIT BESCHRANKTER HAFTUNG", "DE AT CH LI"},
    {"AKTIENGESELLSCHAFT", "DE AT CH LI"}, {"KOMMANDITGESELLSCHAFT", "DE AT CH"},
    {"GMBH CO KG", "DE AT"}, {"GMBH CO KGAA", "DE"}, {"GMBH CO OHG", "DE"}, {"AG CO KG", "DE"},
    {"SE CO KG", "DE"}, {"UG HAFTUNGSBESCHRANKT", "DE"}, {"UG HAFTUNGSBESCHRANKT CO KG", "DE"},
    {"GMBH", "DE AT CH LI"}, {"AG", "DE AT CH LI"}, {"KG", "DE AT"}, {"OHG", "DE AT"},
    {"KGAA", "DE AT"}, {"CO KG", "DE AT"}, 
    /* Dutch and Belgian */
    {"BESLOTEN VENNOOTSCHAP", "NL BE"}, {"NAAMLOZE VENNOOTSCHAP", "NL BE SR CW"},
    {"BV", "NL BE"}, {"NV", "NL BE SR CW"}, {"VOF", "NL"}, {"BVBA", "BE"}, {"CV", "NL BE"},
    /* French-speaking registers */
    {"SOCIETE A RESPONSABILITE LIMITEE", FRENCH}, {"SOCIETE ANONYME", FRENCH " GR"},
    {"SOCIETE PAR ACTIONS SIMPLIFIEE", "FR BE LU MA"}, {"SOCIETE EN NOM COLLECTIF", FRENCH},
    {"SA", FRENCH " " SPANISH " PT BR PL GR"}, {"SAS", "FR BE LU MA CO IT"},
    {"SASU", "FR"}, {"SARL", FRENCH}, {"SARLU", "FR MA"}, {"EURL", "FR"}, {"SNC", "FR IT"},
    {"SCA", "FR BE LU"},
    /* Spanish and Latin American registers */
    {"SOCIEDAD ANONIMA DE CAPITAL VARIABLE", "MX SV HN GT"},
    {"SOCIEDAD ANONIMA PROMOTORA DE INVERSION DE CAPITAL VARIABLE", "MX"},
    {"SOCIEDAD DE RESPONSABILIDAD LIMITADA DE CAPITAL VARIABLE", "MX"},
    {"SOCIEDAD DE RESPONSABILIDAD LIMITADA", SPANISH}, {"SOCIEDAD ANONIMA CERRADA", "PE"},
    {"SOCIEDAD ANONIMA ABIERTA", "PE"}, {"SOCIEDAD ANONIMA", SPANISH},
    {"SOCIEDAD LIMITADA", "ES"}, {"SOCIEDAD POR ACCIONES SIMPLIFICADA", "CO"},
    {"SA DE CV", "MX SV HN GT"}, {"SAB DE CV", "MX"}, {"SAPI DE CV", "MX"},
    {"SAS DE CV", "MX"}, {"S DE RL DE CV", "MX"}, {"SRL DE CV", "MX"}, {"S DE RL", "MX HN GT"},
    {"SAC", "PE"}, {"SAA", "PE"}, {"EIRL", "PE CL"}, {"SL", "ES"}, {"SLU", "ES"}, {"SAU", "ES"},
    {"CA", "VE EC"}, {"SPA", "IT CL"}, {"LTDA", "BR PT CO CL EC BO"},
    {"LIMITADA", "BR PT CO CL EC BO"},
    {"SRL", "IT RO AR BE BO PE UY PY CR DO MD"},
    /* Portuguese and Brazilian */
    {"SOCIEDADE ANONIMA", "PT BR AO MZ"}, {"SOCIEDADE LIMITADA", "BR PT"},
    {"SOCIEDADE POR QUOTAS", "PT AO MZ"}, {"EIRELI", "BR"}, {"LDA", "PT AO MZ"}, 
    /* Italian */
    {"SOCIETA A RESPONSABILITA LIMITATA", "IT SM"}, {"SOCIETA PER AZIONI", "IT SM"},
    {"SOCIETA IN ACCOMANDITA SEMPLICE", "IT"}, {"SOCIETA IN NOME COLLETTIVO", "IT"},
    {"SAPA", "IT"}, {"SRLS", "IT"},
    /* Nordic */
    {"^AKTIEBOLAGET", "SE FI"}, {"AKTIEBOLAG", "SE FI"}, {"AB", "SE FI LT"},
    {"AKSJESELSKAP", "NO"}, {"ALLMENNAKSJESELSKAP", "NO"}, {"AKSJESELSKAPET", "NO"},
    {"ASA", "NO"}, {"AKTIESELSKAB", "DK"}, {"ANPARTSSELSKAB", "DK"}, {"APS", "DK"},
    {"IVS", "DK"}, {"OSAKEYHTIO", "FI"}, {"JULKINEN OSAKEYHTIO", "FI"}, {"OY", "FI"},
    {"OYJ", "FI"}, {"EHF", "IS"},
    {"AS", "NO DK EE LV CZ SK TR"},
    /* Baltic */
    {"OSAUHING", "EE"}, {"AKTSIASELTS", "EE"}, {"OU", "EE"}, 
    {"AKCIJU SABIEDRIBA", "LV"}, {"SABIEDRIBA AR IEROBEZOTU ATBILDIBU", "LV"}, {"SIA", "LV"},
    {"UZDAROJI AKCINE BENDROVE", "LT"}, {"AKCINE BENDROVE", "LT"}, {"UAB", "LT"},
    /* Central and Eastern European */
    {"SPOLKA Z OGRANICZONA ODPOWIEDZIALNOSCIA SPOLKA KOMANDYTOWA", "PL"},
    {"SPOLKA Z OGRANICZONA ODPOWIEDZIALNOSCIA", "PL"}, {"SPOLKA AKCYJNA", "PL"},
    {"SPOLKA KOMANDYTOWA", "PL"}, {"SPOLKA JAWNA", "PL"}, {"SP ZOO SP K", "PL"},
    {"SP ZOO", "PL"}, {"SP Z OO", "PL"}, {"SP K", "PL"}, {"SP J", "PL"},
    {"SPOLECNOST S RUCENIM OMEZENYM", "CZ"}, {"SPOLOCNOST S RUCENIM OBMEDZENYM", "SK"},
    {"AKCIOVA SPOLECNOST", "CZ"}, {"AKCIOVA SPOLOCNOST", "SK"}, {"SPOL S RO", "CZ SK"},
    {"SPOL SRO", "CZ SK"}, {"SRO", "CZ SK"},
    {"KORLATOLT FELELOSSEGU TARSASAG", "HU"}, {"ZARTKORUEN MUKODO RESZVENYTARSASAG", "HU"},
    {"NYILVANOSAN MUKODO RESZVENYTARSASAG", "HU"}, {"KFT", "HU"}, {"ZRT", "HU"}, {"NYRT", "HU"},
    
    {"DRUSTVO S OGRANICENOM ODGOVORNOSCU", "HR RS BA ME"},
    {"DRUSTVO SA OGRANICENOM ODGOVORNOSCU", "RS BA ME"},
    {"DRUZBA Z OMEJENO ODGOVORNOSTJO", "SI"}, {"DOO", "RS HR SI BA ME MK"},
    {"DD", "HR SI BA"}, {"AD", "BG RS MK ME BA"},
    {"SOCIETATE CU RASPUNDERE LIMITATA", "RO MD"}, {"SOCIETATE PE ACTIUNI", "RO"},
    {"DRUZHESTVO S OGRANICHENA OTGOVORNOST", "BG"}, {"AKTSIONERNO DRUZHESTVO", "BG"},
    {"EAD", "BG"}, {"EOOD", "BG"}, {"OOD", "BG"}, {"SHPK", "AL XK"}, 
    {"ANONYMI ETAIREIA", "GR CY"}, {"ETAIREIA PERIORISMENIS EVTHYNIS", "GR"}, {"EPE", "GR CY"},
    {"AE", "GR CY"}, 
    /* Turkish */
    {"ANONIM SIRKETI", "TR"}, {"LIMITED SIRKETI", "TR"},
    {"LTD STI", "TR"}, {"SIRKETI", "TR"}, {"STI", "TR"},
    /* the post-Soviet registers' own abbreviations */
    {"^OOO", CIS}, {"^AO", CIS}, {"^PAO", CIS}, {"^ZAO", CIS}, {"^OAO", CIS}, {"^TOO", "KZ"},
    {"^TOV", "UA"}, {"^OSOO", "KG"}, {"^ODO", "BY"}, {"^TAA", "BY"}, {"^FSUE", "RU"}, {"^FGUP", "RU"}, {"^NPO", CIS}, {"^NPP", CIS},
    {"MCHJ", "UZ"}, {"MMC", "AZ"}, {"ZHSHS", "KZ KG"}, {"ZH SH S", "KZ KG"}, {"ZSS", "KZ KG"},
    {"JSHS", "KZ KG"}, {"SPK", "KZ"},
    /* Armenian (ՍՊԸ, ՓԲԸ, ԲԲԸ) and Georgian (შპს, სს) in BGN/PCGN */
    {"^SPY", "AM"}, {"^PBY", "AM"}, {"^BBY", "AM"}, {"^SHPS", "GE"}, {"^SS", "GE"},
    /* Israel (בע"מ) */
    {"BM", "IL"}, {"BAM", "IL"},
    /* the same, and the Arab and Iranian forms, as romanise.c writes the
     * abjads (lower case): בע"מ; ذ.م.م and ش.ذ.م.م (limited liability
     * company), ذات المسؤولية المحدودة spelt out, ش.م.م; سهامی خاص
     * (private joint-stock company, Iran) */
    {"bm", "IL"}, {"dhmm", ARAB_LLC}, {"shdhmm", ARAB_LLC}, {"shmm", "LB SY"},
    {"dhat AL mswlya AL mhdwda", ARAB_LLC}, {"shhamy khas", "IR"}, {"shhamy am", "IR"},
    /* شركة, شرکت, חברת (company, company of) first in a name: the word
     * English names write as Company or Co. after the name, without a
     * jurisdiction as those */
    {"^shrka", ""}, {"^shrkt", ""}, {"^hbrt", ""},
    /* Korean as romanise.c writes Hangul (RR, first letter upper case):
     * 주식회사, 유한회사, 합자회사 */
    {"Jusikhoesa", "KR"}, {"Yuhanhoesa", "KR"}, {"Hapjahoesa", "KR"},
    /* Burmese as romanise.c writes it: လီမိတက်, ကုမ္ပဏီ လီမိတက် (limited,
     * company limited), written apart or as one word */
    {"Limitet", "MM"}, {"Kumpani Limitet", "MM"}, {"Kumpanilimitet", "MM"},
    /* East Asia: romanised, and as ICU reads the characters (株式会社 in
     * Mandarin: ZHUSHI HUI SHE; 주식회사: JUSIGHOESA) */
    {"GU FEN YOU XIAN GONG SI", "CN TW"}, {"GUFEN YOUXIAN GONGSI", "CN TW"},
    {"YOU XIAN GONG SI", "CN TW HK"}, {"YOUXIAN GONGSI", "CN TW HK"},
    {"YOU XIAN ZE REN GONG SI", "CN"},
    {"^KABUSHIKI KAISHA", "JP"}, {"^KABUSHIKIGAISHA", "JP"}, {"^KABUSHIKIKAISHA", "JP"},
    {"GODO KAISHA", "JP"}, {"GODOGAISHA", "JP"}, {"YUGEN KAISHA", "JP"}, {"YUGENGAISHA", "JP"},
    /* first in a name too, as kakasi reads them (有限会社, 合同会社, 合資会社,
     * 合名会社) */
    {"^YUGENGAISHA", "JP"}, {"^GODO KAISHA", "JP"}, {"^GOSHIGAISHA", "JP"},
    {"^GOMEIGAISHA", "JP"}, {"GOSHI KAISHA", "JP"}, {"GOMEI KAISHA", "JP"},
    {"^ZHUSHI HUI SHE", "JP"}, {"^ZHU SHI HUI SHE", "JP"}, {"YOU XIAN HUI SHE", "JP"},
    {"HE TONG HUI SHE", "JP"}, {"^KK", "JP"}, {"GK", "JP"},
    {"^JUSIGHOESA", "KR"}, {"^JUSIKHOESA", "KR"}, {"^JUSIK HOESA", "KR"}, {"^YUHANHOESA", "KR"},
    {"^YUHAN HOESA", "KR"}, {"^CHUSIK HOESA", "KR"},
    /* South-East and South Asia */
    {"^PERSEROAN TERBATAS", "ID"}, {"^PT", "ID"}, {"TBK", "ID"}, {"PERSERO", "ID"},
    {"SENDIRIAN BERHAD", "MY BN"}, {"SDN BHD", "MY BN"}, {"BERHAD", "MY"}, {"BHD", "MY"},
    {"^CONG TY TNHH", "VN"}, {"^CONG TY CO PHAN", "VN"}, {"TNHH", "VN"},
    {"PVT", "IN PK BD LK NP"}, {"^LEMITAAT", "MM"},
    {"ASC", ""},
    {NULL, NULL}};

/* ---- business words ---- */

/* Words company names write in several ways, each row read as its last
 * column (one or more tokens for one or more): both names of a pair are
 * read alike, so either spelling meets the other. Rows of several tokens
 * replace the whole run. Where a language writes a business word that
 * English has, the English word stands for it, so that a name written in
 * its own language and the same name in English share it; those English
 * words are common words (tokensim.c), and matching rests on the
 * distinctive words. */
const dv_word_row dv_business_words[] = {
    /* English abbreviations */
    {"INTL", "INTERNATIONAL"}, {"INTERNATL", "INTERNATIONAL"}, {"TECH", "TECHNOLOGY"},
    {"TECHNOL", "TECHNOLOGY"}, {"IMP", "IMPORT"}, {"EXP", "EXPORT"}, {"GEN", "GENERAL"},
    {"GENL", "GENERAL"}, {"TRDG", "TRADING"}, {"ST", "SAINT"}, {"MFG", "MANUFACTURING"},
    {"MFRS", "MANUFACTURERS"}, {"ENG", "ENGINEERING"}, {"ENGG", "ENGINEERING"}, {"SYS", "SYSTEMS"},
    {"SVCS", "SERVICES"}, {"SVC", "SERVICES"}, {"DEV", "DEVELOPMENT"}, {"ELEC", "ELECTRONICS"},
    {"NATL", "NATIONAL"}, {"CTR", "CENTER"}, {"CENTRE", "CENTER"}, {"BROS", "BROTHERS"},
    {"MGMT", "MANAGEMENT"}, {"LABS", "LABORATORIES"},
    {"RES", "RESEARCH"}, {"INST", "INSTITUTE"}, {"HI", "HIGH"}, {"SCI", "SCIENCE"},
    {"GRP", "GROUP"}, {"ASSOC", "ASSOCIATES"}, {"ASSN", "ASSOCIATION"}, {"EQUIP", "EQUIPMENT"},
    {"IND", "INDUSTRIES"}, {"INDS", "INDUSTRIES"}, {"DEPT", "DEPARTMENT"}, {"UNIV", "UNIVERSITY"},
    {"MACH", "MACHINERY"}, {"ELECTR", "ELECTRONICS"}, {"SEC", "SECURITY"},
    {"INSTR", "INSTRUMENTS"}, {"INSTRS", "INSTRUMENTS"}, {"COML", "COMMERCIAL"},
    /* one spelling for the forms of a business word (Delta Ind. Supplies,
     * Delta Industrial Supplies) */
    {"INDUSTRIAL", "INDUSTRIES"}, {"INDUSTRY", "INDUSTRIES"}, {"INSTRUMENT", "INSTRUMENTS"},
    {"ELECTRONIC", "ELECTRONICS"}, {"TECHNOLOGIES", "TECHNOLOGY"}, {"SYSTEM", "SYSTEMS"},
    {"SERVICE", "SERVICES"}, {"HOLDING", "HOLDINGS"}, {"ENTERPRISE", "ENTERPRISES"},
    {"INVESTMENT", "INVESTMENTS"}, {"LABORATORY", "LABORATORIES"}, {"LAB", "LABORATORIES"},
    /* The words that mark a holding company in the registers' languages,
     * read as HOLDINGS (a holding against its operating company counts
     * against a match: docs/screening.md, Precision): German Beteiligungen
     * (Beteiligungs-GmbH, Beteiligungsgesellschaft), Dutch deelnemingen
     * and holdingmaatschappij (not beheer: a Dutch group's "Beheer B.V."
     * is often another company than its "Holding B.V."), Portuguese participações, Spanish
     * participaciones and tenedora, French participations, Italian
     * partecipazioni; and group as Polish, Turkish and Romanian write it.
     * Sources: each word's Wiktionary entry, and the registers' usage
     * (Brazil's "Participações S.A.", Germany's "Beteiligungs-GmbH"). */
    {"BETEILIGUNGEN", "HOLDINGS"}, {"BETEILIGUNGS", "HOLDINGS"}, {"BETEILIGUNG", "HOLDINGS"},
    {"BETEILIGUNGSGESELLSCHAFT", "HOLDINGS"}, {"DEELNEMINGEN", "HOLDINGS"}, {"HOLDINGMAATSCHAPPIJ", "HOLDINGS"},
    {"PARTICIPACOES", "HOLDINGS"}, {"PARTICIPACAO", "HOLDINGS"},
    {"PARTICIPACIONES", "HOLDINGS"}, {"TENEDORA", "HOLDINGS"}, {"PARTICIPATIONS", "HOLDINGS"},
    {"PARTECIPAZIONI", "HOLDINGS"}, {"GRUPA", "GROUP"}, {"GRUP", "GROUP"},
    /* words of descent in a person's name, as one (ابن: ibn, bin), and
     * the Arabic article as Egypt and the Maghreb write it (El, Al) */
    {"IBN", "BIN"}, {"EL", "AL"},
    /* The abbreviated business words of the European registers (Spanish,
     * Portuguese, Italian, French, German, Dutch), and the same word in
     * each of those languages: brothers (Hnos., Irmãos, F.lli, Frères,
     * Gebr.), company (Cía., Cie), society (Soc.), establishments (Ets.),
     * industry (Ind.), commerce (Com.). Sources: the registers' guides to
     * abbreviations in names (Registro Mercantil Central, Registro
     * Imprese, Handelsregister, KvK) and the Wiktionary entries of each
     * word. */
    {"HNOS", "BROTHERS"}, {"HMNOS", "BROTHERS"}, {"HERMANOS", "BROTHERS"},
    {"IRMAOS", "BROTHERS"}, {"IRMAO", "BROTHERS"}, {"FRATELLI", "BROTHERS"},
    {"F LLI", "BROTHERS"}, {"FLLI", "BROTHERS"}, {"FRERES", "BROTHERS"}, {"FRS", "BROTHERS"},
    {"GEBR", "BROTHERS"}, {"GEBRUDER", "BROTHERS"}, {"GEBRUEDER", "BROTHERS"},
    {"GEBROEDERS", "BROTHERS"}, {"BROEDERS", "BROTHERS"},
    {"CIA", "COMPANIA"}, {"CIE", "COMPANIA"}, {"COMPANHIA", "COMPANIA"},
    {"COMPAGNIE", "COMPANIA"}, {"COMPAGNIA", "COMPANIA"}, {"CPIA", "COMPANIA"},
    {"SOC", "SOCIETE"}, {"SOCIEDAD", "SOCIETE"}, {"SOCIEDADE", "SOCIETE"},
    {"SOCIETA", "SOCIETE"}, {"STE", "SOCIETE"},
    {"ETS", "ETABLISSEMENTS"}, {"ETABLISSEMENT", "ETABLISSEMENTS"},
    {"ESTABLECIMIENTOS", "ETABLISSEMENTS"}, {"ESTABELECIMENTOS", "ETABLISSEMENTS"},
    {"INDUSTRIA", "INDUSTRIES"}, {"INDUSTRIAS", "INDUSTRIES"}, {"INDUSTRIE", "INDUSTRIES"},
    {"INDUSTRIEN", "INDUSTRIES"}, {"INDUSTRIALE", "INDUSTRIES"}, {"INDUSTRIALES", "INDUSTRIES"},
    {"INDUSTRIAIS", "INDUSTRIES"}, {"INDUSTRIEL", "INDUSTRIES"}, {"INDUSTRIELLE", "INDUSTRIES"},
    {"INDUSTRIELLES", "INDUSTRIES"}, {"INDL", "INDUSTRIES"}, {"INDUSTR", "INDUSTRIES"},
    {"COM", "COMERCIO"}, {"COMMERCIO", "COMERCIO"}, {"COMMERCE", "COMERCIO"},
    {"COMERCIAL", "COMMERCIAL"}, {"COMMERCIALE", "COMMERCIAL"}, {"CIAL", "COMMERCIAL"},
    {"GES", "GESELLSCHAFT"}, {"GESELLSCH", "GESELLSCHAFT"}, {"MIJ", "MAATSCHAPPIJ"},
    {"MAATSCH", "MAATSCHAPPIJ"}, {"HANDELS", "HANDEL"},
    {"INTERNACIONAL", "INTERNATIONAL"}, {"INTERNAZIONALE", "INTERNATIONAL"},
    {"INTERNATIONALE", "INTERNATIONAL"}, {"INTERNACIONALES", "INTERNATIONAL"},
    {"TECNOLOGIA", "TECHNOLOGY"}, {"TECNOLOGIAS", "TECHNOLOGY"}, {"TECHNOLOGIE", "TECHNOLOGY"},
    {"TECHNOLOGIEN", "TECHNOLOGY"}, {"TEKNOLOGI", "TECHNOLOGY"}, {"TEKNOLOJI", "TECHNOLOGY"},
    {"ELECTRONICA", "ELECTRONICS"}, {"ELETRONICA", "ELECTRONICS"}, {"ELETTRONICA", "ELECTRONICS"},
    {"ELEKTRONIK", "ELECTRONICS"}, {"ELECTRONIQUE", "ELECTRONICS"}, {"ELEKTRONIKA", "ELECTRONICS"},
    {"SERVICIOS", "SERVICES"}, {"SERVICOS", "SERVICES"}, {"SERVIZI", "SERVICES"},
    {"GRUPO", "GROUP"}, {"GRUPPO", "GROUP"}, {"GRUPPE", "GROUP"}, {"GROEP", "GROUP"},
    {"GROUPE", "GROUP"}, {"SISTEMAS", "SYSTEMS"}, {"SISTEMI", "SYSTEMS"}, {"SYSTEME", "SYSTEMS"},
    {"INGENIERIA", "ENGINEERING"}, {"ENGENHARIA", "ENGINEERING"}, {"INGEGNERIA", "ENGINEERING"},
    {"INVERSIONES", "INVESTMENTS"}, {"INVESTIMENTOS", "INVESTMENTS"},
    {"INVESTIMENTI", "INVESTMENTS"}, {"LOGISTICA", "LOGISTICS"}, {"LOGISTIQUE", "LOGISTICS"},
    {"EXPORTACAO", "EXPORT"}, {"EXPORTACION", "EXPORT"}, {"EXPORTADORA", "EXPORT"},
    {"IMPORTACAO", "IMPORT"}, {"IMPORTACION", "IMPORT"}, {"IMPORTADORA", "IMPORT"},
    {"HOLDINGGESELLSCHAFT", "HOLDINGS"},
    /* More business words of the registers' languages, each read as
     * the English word (or the word the rows above read it as), with the
     * accents or without (names are read in ASCII): the abbreviations of
     * Spain's Registro Mercantil, Italy's Registro delle Imprese,
     * Germany's Handelsregister, the Netherlands' KvK, the Nordic, Latin
     * American, Portuguese and French registers' guides to names, and the
     * word in each language from its Wiktionary entry. An English word
     * and its plural or another form of it are not read as one here
     * (Chemical, Chemicals; Distributor, Distribution): two companies
     * may be told apart by it (Precision). */
    /* cooperative (Coop., Coöp., Cooperativa, Coöperatieve, Kooperativ, Andelslag,
     * Spółdzielnia, Spółdz., Družstvo, Zadruga, Szövetkezet) */
    {"COOP", "COOPERATIVE"}, {"COOPERATIVA", "COOPERATIVE"}, {"COOPERATIVAS", "COOPERATIVE"},
    {"COOPERATIVO", "COOPERATIVE"}, {"COOPERATIEVE", "COOPERATIVE"}, {"COOPERATIEF", "COOPERATIVE"},
    {"CO OPERATIVE", "COOPERATIVE"}, {"KOOPERATIV", "COOPERATIVE"}, {"KOOPERATIVA", "COOPERATIVE"},
    {"KOOPERATIVE", "COOPERATIVE"}, {"ANDELSLAG", "COOPERATIVE"}, {"SPOLDZIELNIA", "COOPERATIVE"},
    {"SPOLDZ", "COOPERATIVE"}, {"DRUZSTVO", "COOPERATIVE"}, {"ZADRUGA", "COOPERATIVE"},
    {"SZOVETKEZET", "COOPERATIVE"},
    /* industries in the Nordic, Baltic and Slavic registers (Industri, Teollisuus, Industrija) */
    {"INDUSTRI", "INDUSTRIES"}, {"INDUSTRIJA", "INDUSTRIES"}, {"INDUSTRIJE", "INDUSTRIES"},
    {"TEOLLISUUS", "INDUSTRIES"},
    /* distribution and distributor (Distrib., Distr., Distribuidora, Distribución, Distribuição,
     * Distribuzione, Distributie, Vertrieb, Dystrybucja, Distribusjon, Dağıtım) */
    {"DISTRIB", "DISTRIBUTION"}, {"DISTR", "DISTRIBUTION"}, {"DISTRIBS", "DISTRIBUTION"},
    {"DISTRIBUIDORA", "DISTRIBUTION"},
    {"DISTRIBUIDORES", "DISTRIBUTION"}, {"DISTRIBUIDOR", "DISTRIBUTION"},
    {"DISTRIBUCION", "DISTRIBUTION"}, {"DISTRIBUCIONES", "DISTRIBUTION"},
    {"DISTRIBUICAO", "DISTRIBUTION"}, {"DISTRIBUZIONE", "DISTRIBUTION"},
    {"DISTRIBUTORI", "DISTRIBUTION"}, {"DISTRIBUTIE", "DISTRIBUTION"}, {"VERTRIEB", "DISTRIBUTION"},
    {"DYSTRYBUCJA", "DISTRIBUTION"}, {"DISTRIBUSJON", "DISTRIBUTION"}, {"DAGITIM", "DISTRIBUTION"},
    /* united (Utd., Unidos, Unis, Réunis, Riuniti, Vereinigte, Verenigde, Forenede, Förenade,
     * Zjednoczone) */
    {"UTD", "UNITED"}, {"UNIDOS", "UNITED"}, {"UNIDAS", "UNITED"}, {"UNIS", "UNITED"},
    {"REUNIS", "UNITED"}, {"RIUNITI", "UNITED"}, {"RIUNITE", "UNITED"}, {"VEREINIGTE", "UNITED"},
    {"VERENIGDE", "UNITED"}, {"FORENEDE", "UNITED"}, {"FORENADE", "UNITED"},
    {"ZJEDNOCZONE", "UNITED"},
    /* brothers in the Nordic, Slavic, Turkish and Hungarian registers (Brdr., Brødrene,
     * Bröderna, Veljekset, Bracia, Bratři, Kardeşler, Testvérek) */
    {"BRDR", "BROTHERS"}, {"BRODRENE", "BROTHERS"}, {"BRODERNA", "BROTHERS"},
    {"VELJEKSET", "BROTHERS"}, {"BRACIA", "BROTHERS"}, {"BRATRI", "BROTHERS"},
    {"KARDESLER", "BROTHERS"}, {"TESTVEREK", "BROTHERS"},
    /* firm (Firma) */
    {"FIRMA", "FIRM"},
    /* son(s): Hijos, Filhos, Fils, Figli, Söhne, Zonen (Zn.), Söner, Sønner, Synowie, Synové,
     * Pojat, Oğulları */
    {"HIJOS", "SONS"}, {"FILHOS", "SONS"}, {"FILS", "SONS"}, {"FIGLI", "SONS"}, {"SOHNE", "SONS"},
    {"SOEHNE", "SONS"}, {"ZONEN", "SONS"}, {"ZN", "SONS"}, {"SONER", "SONS"}, {"SONNER", "SONS"},
    {"SYNOWIE", "SONS"}, {"SYNOVE", "SONS"}, {"POJAT", "SONS"}, {"OGULLARI", "SONS"},
    /* chemical (Chem., Quím., Chim., Química, Chimica, Chimie, Chemie, Kemi, Kjemi, Chemia,
     * Kimya, Kimia) */
    {"CHEM", "CHEMICALS"}, {"CHEMS", "CHEMICALS"}, {"QUIM", "CHEMICALS"},
    {"QUIMICA", "CHEMICALS"}, {"QUIMICAS", "CHEMICALS"}, {"QUIMICOS", "CHEMICALS"},
    {"CHIM", "CHEMICALS"}, {"CHIMICA", "CHEMICALS"}, {"CHIMICI", "CHEMICALS"},
    {"CHIMIE", "CHEMICALS"}, {"CHIMIQUE", "CHEMICALS"}, {"CHIMIQUES", "CHEMICALS"},
    {"CHEMIE", "CHEMICALS"}, {"CHEMISCHE", "CHEMICALS"}, {"KEMISKA", "CHEMICALS"},
    {"KEMIKALIER", "CHEMICALS"}, {"KJEMI", "CHEMICALS"}, {"CHEMIA", "CHEMICALS"},
    {"CHEMICZNE", "CHEMICALS"}, {"CHEMICKA", "CHEMICALS"}, {"KIMYA", "CHEMICALS"},
    {"KIMIA", "CHEMICALS"},
    /* national (Nacional, Nazionale, Nationale) */
    {"NACIONAL", "NATIONAL"}, {"NACIONALES", "NATIONAL"}, {"NAZIONALE", "NATIONAL"},
    {"NATIONALE", "NATIONAL"},
    /* manufacturing (Manuf., Manufacturas, Manufacturera, Manifattura, Manufacture) */
    {"MANUF", "MANUFACTURING"}, {"MANUFACT", "MANUFACTURING"}, {"MFRG", "MANUFACTURING"},
    {"MANUFACTURAS", "MANUFACTURING"}, {"MANUFACTURERA", "MANUFACTURING"},
    {"MANIFATTURA", "MANUFACTURING"}, {"MANUFACTURE", "MANUFACTURING"},
    /* manufacturer (Mfr.) */
    {"MFR", "MANUFACTURERS"},
    /* construction (Constr., Construcciones, Constructora, Construções, Construtora,
     * Costruzioni, Constructions, Bouw, Bygg, İnşaat, Konstruksi) */
    {"CONSTR", "CONSTRUCTION"}, {"CONSTRS", "CONSTRUCTION"}, {"CONSTRUCC", "CONSTRUCTION"},
    {"CONSTRUCCION", "CONSTRUCTION"}, {"CONSTRUCCIONES", "CONSTRUCTION"},
    {"CONSTRUCTORA", "CONSTRUCTION"}, {"CONSTRUCOES", "CONSTRUCTION"},
    {"CONSTRUCAO", "CONSTRUCTION"}, {"CONSTRUTORA", "CONSTRUCTION"},
    {"COSTRUZIONI", "CONSTRUCTION"}, {"CONSTRUCTIONS", "CONSTRUCTION"}, {"BOUW", "CONSTRUCTION"},
    {"BYGG", "CONSTRUCTION"}, {"INSAAT", "CONSTRUCTION"}, {"KONSTRUKSI", "CONSTRUCTION"},
    /* general (Gral., Gle, Allg., Alg., Generale, Geral, Allgemeine, Algemene) */
    {"GRAL", "GENERAL"}, {"ALLG", "GENERAL"}, {"GENERALE", "GENERAL"}, {"GENERALES", "GENERAL"},
    {"GERAL", "GENERAL"}, {"GERAIS", "GENERAL"}, {"ALLGEMEINE", "GENERAL"}, {"ALGEMENE", "GENERAL"},
    {"ALGEMEEN", "GENERAL"},
    /* commercial (Comerc., Comml., Comerciales, Comerciais, Commerciali, Comercializadora) */
    {"COMERC", "COMMERCIAL"}, {"COMML", "COMMERCIAL"}, {"COMERCIALES", "COMMERCIAL"},
    {"COMERCIAIS", "COMMERCIAL"}, {"COMMERCIALI", "COMMERCIAL"}, {"COMERCIALIZADORA", "COMMERCIAL"},
    /* agricultural (Agric., Agrícola, Agricole, Rolnicza) */
    {"AGRIC", "AGRICULTURAL"}, {"AGRICOLA", "AGRICULTURAL"},
    {"AGRICOLAS", "AGRICULTURAL"}, {"AGRICOLE", "AGRICULTURAL"}, {"AGRICOLES", "AGRICULTURAL"},
    {"ROLNICZA", "AGRICULTURAL"}, {"ROLNICZE", "AGRICULTURAL"},
    /* company in the Nordic and Slavic registers (Kompani, Kompagni, Kompania) */
    {"KOMPANI", "COMPANIA"}, {"KOMPAGNI", "COMPANIA"}, {"KOMPAGNIE", "COMPANIA"},
    /* association (Asoc., Asociación, Associação, Associazione, Vereniging, Forening,
     * Stowarzyszenie, Stow.) */
    {"ASOC", "ASSOCIATION"}, {"ASOCIACION", "ASSOCIATION"}, {"ASSOCIACAO", "ASSOCIATION"},
    {"ASSOCIAZIONE", "ASSOCIATION"}, {"VERENIGING", "ASSOCIATION"}, {"FORENING", "ASSOCIATION"},
    {"FORENINGEN", "ASSOCIATION"}, {"STOWARZYSZENIE", "ASSOCIATION"},
    /* society (Sdad., Society, Societat, Societatea) */
    {"SDAD", "SOCIETE"}, {"SOCIETY", "SOCIETE"}, {"SOCIETAT", "SOCIETE"}, {"SOCIETATEA", "SOCIETE"},
    /* enterprise (Empresa, Impresa, Entreprise, Unternehmen, Onderneming, Przedsiębiorstwo,
     * Przeds., Företag, Podnik) */
    {"EMPRESA", "ENTERPRISES"}, {"EMPRESAS", "ENTERPRISES"}, {"IMPRESA", "ENTERPRISES"},
    {"IMPRESE", "ENTERPRISES"}, {"ENTREPRISE", "ENTERPRISES"}, {"ENTREPRISES", "ENTERPRISES"},
    {"UNTERNEHMEN", "ENTERPRISES"}, {"ONDERNEMING", "ENTERPRISES"},
    {"ONDERNEMINGEN", "ENTERPRISES"}, {"PRZEDSIEBIORSTWO", "ENTERPRISES"},
    {"PRZEDS", "ENTERPRISES"}, {"FORETAG", "ENTERPRISES"}, {"PODNIK", "ENTERPRISES"},
    /* services (Serv.) */
    {"SERV", "SERVICES"},
    /* English business words as Russian writes them, once transliterated */
    {"TREJD", "TRADE"}, {"TREID", "TRADE"}, {"TREYD", "TRADE"}, {"TREJDING", "TRADING"},
    {"TREIDING", "TRADING"}, {"TREYDING", "TRADING"},
    {"ELEKTRONIKS", "ELECTRONICS"}, {"GRUPP", "GROUP"}, {"INZHINIRING", "ENGINEERING"},
    {"INZINIRING", "ENGINEERING"}, {"TEKHNOLODZHI", "TECHNOLOGY"}, {"TEKH", "TECHNOLOGY"},
    {"TEHNOLODZI", "TECHNOLOGY"}, {"SISTEMS", "SYSTEMS"}, {"LOGISTIK", "LOGISTICS"},
    {"KHOLDING", "HOLDINGS"},
    /* Translations: business words of the scripts below as ICU's
     * transliteration writes them (Han in Mandarin pinyin, Japanese kanji
     * read the same way, kana and Hangul romanised, Hebrew consonants,
     * Burmese, Armenian and Georgian in BGN/PCGN), with their English
     * meaning from the Wiktionary entry of each word (en.wiktionary.org,
     * checked by hand; docs/screening.md lists them). */
    /* Chinese (中国 贸易 科技 技术 电子 集团 银行 工业 实业 国际 控股 投资
     * 物流 航运 进出口 商贸 制造 工程 设备 机械 发展 服务 公司 重工业 精密;
     * 香港, Hong Kong, which Mandarin reads Xianggang) */
    {"ZHONG GUO", "CHINA"}, {"ZHONGGUO", "CHINA"}, {"MAO YI", "TRADING"}, {"MAOYI", "TRADING"},
    {"GUOJI", "INTERNATIONAL"}, {"XIANG GANG", "HONG KONG"}, {"XIANGGANG", "HONG KONG"},
    {"JING MI", "PRECISION"}, {"JINGMI", "PRECISION"}, {"JINCHUKOU", "IMPORT EXPORT"},
    {"KE JI", "TECHNOLOGY"}, {"KEJI", "TECHNOLOGY"}, {"JI SHU", "TECHNOLOGY"},
    {"DIAN ZI", "ELECTRONICS"}, {"DIANZI", "ELECTRONICS"}, {"JI TUAN", "GROUP"},
    {"JITUAN", "GROUP"}, {"YIN XING", "BANK"}, {"YIN HANG", "BANK"}, {"YINHANG", "BANK"},
    {"GONG YE", "INDUSTRIES"}, {"SHI YE", "INDUSTRIES"}, {"GUO JI", "INTERNATIONAL"},
    {"KONG GU", "HOLDINGS"}, {"TOU ZI", "INVESTMENTS"}, {"WU LIU", "LOGISTICS"},
    {"WULIU", "LOGISTICS"}, {"HANG YUN", "SHIPPING"}, {"JIN CHU KOU", "IMPORT EXPORT"},
    {"SHANG MAO", "TRADING"}, {"ZHI ZAO", "MANUFACTURING"}, {"GONG CHENG", "ENGINEERING"},
    {"SHE BEI", "EQUIPMENT"}, {"JI XIE", "MACHINERY"}, {"FA ZHAN", "DEVELOPMENT"},
    {"FU WU", "SERVICES"}, {"GONG SI", "COMPANY"}, {"GONGSI", "COMPANY"}, {"ZHONG GONG YE", "HEAVY INDUSTRIES"},
    /* and more words of China's registers, simplified and traditional
     * alike (化工 化学 船务 海运 船舶 石油 能源 矿业 钢铁 医药 制药 建设 建筑
     * 运输 光电 半导体 材料 电气 重工; 仪器 and 通信 left out: Yi Qi and Tong
     * Xin are given names) */
    {"HUA GONG", "CHEMICAL"}, {"HUAGONG", "CHEMICAL"}, {"HUA XUE", "CHEMICAL"},
    {"CHUAN WU", "SHIPPING"}, {"HAI YUN", "SHIPPING"}, {"CHUAN BO", "SHIPPING"},
    {"SHI YOU", "PETROLEUM"}, {"NENG YUAN", "ENERGY"}, {"KUANG YE", "MINING"},
    {"GANG TIE", "STEEL"}, {"YI YAO", "PHARMACEUTICAL"}, {"ZHI YAO", "PHARMACEUTICAL"},
    {"JIAN SHE", "CONSTRUCTION"}, {"JIAN ZHU", "CONSTRUCTION"}, {"YUN SHU", "TRANSPORT"},
    {"GUANG DIAN", "OPTOELECTRONICS"}, {"BAN DAO TI", "SEMICONDUCTOR"},
    {"CAI LIAO", "MATERIALS"}, {"DIAN QI", "ELECTRIC"}, {"ZHONG GONG", "HEAVY INDUSTRIES"},
    /* Japanese (商事 商会 産業 電機 物産, グループ トレーディング エレクトロニクス
     * テクノロジー ホールディングス インターナショナル; 工業 電子 技術 銀行
     * 貿易 read as the Chinese above) */
    {"SHANG SHI", "TRADING"}, {"SHANG HUI", "TRADING"}, {"CHAN YE", "INDUSTRIES"},
    {"DIAN JI", "ELECTRIC"}, {"WUCHAN", "TRADING"}, {"GURU PU", "GROUP"}, {"GURUPU", "GROUP"},
    {"TORE DINGU", "TRADING"}, {"TOREDINGU", "TRADING"}, {"EREKUTORONIKUSU", "ELECTRONICS"},
    {"TEKUNOROJI", "TECHNOLOGY"}, {"HORUDINGUSU", "HOLDINGS"}, {"INTA NASHONARU", "INTERNATIONAL"},
    {"INTANASHONARU", "INTERNATIONAL"},
    /* and as kakasi reads a Japanese name (romanise.c: Hepburn, long
     * vowels as English names write them): 商事 貿易 産業 工業 重工業 海運
     * 汽船 郵船 銀行 電機 電子 機械 化学 製作所 物産 通商 建設 自動車 商会
     * 海上 保険 鉄鋼 製鉄 証券 製薬; the romanised word is also how many
     * English names keep it (Itochu Shoji, Nippon Yusen) */
    {"SHOJI", "TRADING"}, {"BOEKI", "TRADING"}, {"SANGYO", "INDUSTRIES"},
    {"KOGYO", "INDUSTRIES"}, {"JUKOGYO", "HEAVY INDUSTRIES"}, {"KAIUN", "SHIPPING"},
    {"KISEN", "SHIPPING"}, {"YUSEN", "SHIPPING"}, {"GINKO", "BANK"}, {"DENKI", "ELECTRIC"},
    {"DENSHI", "ELECTRONICS"}, {"KIKAI", "MACHINERY"}, {"KAGAKU", "CHEMICAL"},
    {"SEISAKUSHO", "MANUFACTURING"}, {"BUSSAN", "TRADING"}, {"TSUSHO", "TRADING"},
    {"KENSETSU", "CONSTRUCTION"}, {"JIDOSHA", "MOTOR"}, {"SHOKAI", "TRADING"},
    {"KAIJO", "MARINE"}, {"HOKEN", "INSURANCE"}, {"TEKKO", "STEEL"}, {"SEITETSU", "STEEL"},
    {"SHOKEN", "SECURITIES"}, {"SEIYAKU", "PHARMACEUTICAL"},
    /* Korean (무역 상사 은행 산업 기술 그룹 전자 테크놀로지 홀딩스 인터내셔널
     * 중공업 건설 해운 물류 엔지니어링 트레이딩 반도체 코리아) */
    {"MUYEOG", "TRADING"}, {"MUYEOK", "TRADING"}, {"SANGSA", "TRADING"},
    {"MUYEOGSANGSA", "TRADING"}, {"EUNHAENG", "BANK"}, {"SAN EOB", "INDUSTRIES"},
    {"SANEOB", "INDUSTRIES"}, {"SANEOP", "INDUSTRIES"}, {"GISUL", "TECHNOLOGY"},
    {"GEULUB", "GROUP"}, {"GEURUP", "GROUP"}, {"JEONJA", "ELECTRONICS"},
    {"TEKEUNOLLOJI", "TECHNOLOGY"}, {"HOLDINGSEU", "HOLDINGS"},
    {"INTEONAESYEONEOL", "INTERNATIONAL"}, {"JUNG GONG EOB", "HEAVY INDUSTRIES"},
    {"GEONSEOL", "CONSTRUCTION"}, {"HAEUN", "SHIPPING"}, {"MULLYU", "LOGISTICS"},
    {"ENJINIEOLING", "ENGINEERING"}, {"TEULEIDING", "TRADING"}, {"BANDOCHE", "SEMICONDUCTOR"},
    {"KOLIA", "KOREA"}, /* and written on to the name: korean_stem */
    /* Hebrew (חברה בנק תעשיות טכנולוגיות טכנולוגיה קבוצה אלקטרוניקה מסחר סחר
     * אחזקות בינלאומי) */
    {"HBRH", "COMPANY"}, {"BNQ", "BANK"}, {"TSYWT", "INDUSTRIES"}, {"TKNWLWGYWT", "TECHNOLOGY"},
    {"TKNWLWGYH", "TECHNOLOGY"}, {"QBWZH", "GROUP"}, {"LQTRWNYQH", "ELECTRONICS"},
    {"MSHR", "TRADING"}, {"SHR", "TRADING"}, {"HZQWT", "HOLDINGS"}, {"BYNLWMY", "INTERNATIONAL"},
    /* Burmese (ကုမ္ပဏီ ဘဏ် ကုန်သွယ်ရေး အုပ်စု နည်းပညာ စက်မှုလုပ်ငန်း
     * အီလက်ထရောနစ်) */
    {"KUMPANE", "COMPANY"}, {"BHAN", "BANK"}, {"KONESWALRAYY", "TRADING"}, {"AOTEHCU", "GROUP"},
    {"NAEEPANYAR", "TECHNOLOGY"}, {"HCAATMHULOTENGAANN", "INDUSTRIES"},
    {"AELAATHTARAWNAIT", "ELECTRONICS"},
    /* Armenian (առևտրային ընկերություն խումբ տեխնոլոգիաներ էլեկտրոնիկա
     * արդյունաբերական) */
    {"ARREVTRAYIN", "TRADING"}, {"YNKERUTYUN", "COMPANY"}, {"KHUMB", "GROUP"},
    {"TEKHNOLOGIANER", "TECHNOLOGY"}, {"TEKHNOLOGIA", "TECHNOLOGY"},
    {"ARDYUNABERAKAN", "INDUSTRIES"}, {"INDASTRI", "INDUSTRIES"},
    /* Georgian (ბანკი კომპანია ჯგუფი ტექნოლოგიები ელექტრონიკა ვაჭრობა
     * ინდუსტრია ჰოლდინგი) */
    {"BANKI", "BANK"}, {"KOMPANIA", "COMPANY"}, {"JGUPI", "GROUP"},
    {"TEKNOLOGIEBI", "TECHNOLOGY"}, {"VACHROBA", "TRADING"}, {"HOLDINGI", "HOLDINGS"},
    /* Hebrew, Arabic and Persian as romanise.c writes them (lower case:
     * the consonants, the Arabic article apart as AL, لل dropped; the
     * meaning of each from its Wiktionary entry). Hebrew: חברה חברת בנק
     * תעשיות טכנולוגיות טכנולוגיה קבוצה קבוצת אלקטרוניקה מסחר סחר אחזקות
     * בינלאומי(ת) הנדסה בנייה בניה אנרגיה מערכות שירותים יבוא יצוא ספנות
     * השקעות לוגיסטיקה */
    {"hbrh", "COMPANY"}, {"hbrt", "COMPANY"}, {"bnq", "BANK"}, {"tshywt", "INDUSTRIES"},
    {"tknwlwgywt", "TECHNOLOGY"}, {"tknwlwgyh", "TECHNOLOGY"}, {"qbwtshh", "GROUP"},
    {"qbwtst", "GROUP"}, {"alqtrwnyqh", "ELECTRONICS"}, {"mshhr", "TRADING"},
    {"shhr", "TRADING"}, {"ahzqwt", "HOLDINGS"}, {"bynlawmy", "INTERNATIONAL"},
    {"bynlawmyt", "INTERNATIONAL"}, {"hndshh", "ENGINEERING"}, {"bnyyh", "CONSTRUCTION"},
    {"bnyh", "CONSTRUCTION"}, {"anrgyh", "ENERGY"}, {"mrkwt", "SYSTEMS"},
    {"shyrwtym", "SERVICES"}, {"ybwa", "IMPORT"}, {"ytswa", "EXPORT"}, {"spnwt", "SHIPPING"},
    {"hshqwt", "INVESTMENTS"}, {"lwgystyqh", "LOGISTICS"},
    /* Arabic: شركة مؤسسة تجارة (ل)لتجارة التجارية العامة مقاولات الدولية
     * صناعة الصناعية هندسة الهندسية مجموعة بنك مصرف الشحن النقل الاستيراد
     * التصدير القابضة التكنولوجيا الإلكترونيات الخدمات الطاقة البناء */
    {"shrka", "COMPANY"}, {"shrkt", "COMPANY"}, {"mssa", "ESTABLISHMENT"},
    {"tjara", "TRADING"}, {"AL tjarya", "COMMERCIAL"}, {"tjarya", "COMMERCIAL"},
    {"AL ama", "GENERAL"}, {"ama", "GENERAL"}, {"mqawlat", "CONTRACTING"},
    {"AL dwlya", "INTERNATIONAL"}, {"dwlya", "INTERNATIONAL"}, {"snaa", "INDUSTRIES"},
    {"AL snaya", "INDUSTRIES"}, {"snaya", "INDUSTRIES"}, {"hndsa", "ENGINEERING"},
    {"AL hndsya", "ENGINEERING"}, {"hndsya", "ENGINEERING"}, {"mjmwa", "GROUP"},
    {"bnk", "BANK"}, {"msrf", "BANK"}, {"AL shhn", "SHIPPING"}, {"shhn", "SHIPPING"},
    {"AL nql", "TRANSPORT"}, {"nql", "TRANSPORT"}, {"astyrad", "IMPORT"},
    {"AL astyrad", "IMPORT"}, {"AL tsdyr", "EXPORT"}, {"tsdyr", "EXPORT"},
    {"AL qabda", "HOLDINGS"}, {"qabda", "HOLDINGS"}, {"tknwlwjya", "TECHNOLOGY"},
    {"AL tknwlwjya", "TECHNOLOGY"}, {"alktrwnyat", "ELECTRONICS"},
    {"AL alktrwnyat", "ELECTRONICS"}, {"AL khdmat", "SERVICES"}, {"khdmat", "SERVICES"},
    {"AL taqa", "ENERGY"}, {"taqa", "ENERGY"}, {"AL bna", "CONSTRUCTION"},
    /* Persian: شرکت تجارت بازرگانی صنعت صنعتی صنایع مهندسی بانک گروه
     * بین‌المللی (with a space too) ساختمان انرژی سرمایه گذاری کشتیرانی
     * حمل و نقل فناوری الکترونیک */
    {"bazrgany", "TRADING"}, {"tjart", "TRADING"}, {"snt", "INDUSTRIES"},
    {"snty", "INDUSTRIES"}, {"snay", "INDUSTRIES"}, {"mhndsy", "ENGINEERING"},
    {"bank", "BANK"}, {"grwh", "GROUP"}, {"bynalmlly", "INTERNATIONAL"},
    {"byn AL mlly", "INTERNATIONAL"}, {"sakhtman", "CONSTRUCTION"}, {"anrzhy", "ENERGY"},
    {"srmayh gdhary", "INVESTMENTS"}, {"kshtyrany", "SHIPPING"}, {"hml w nql", "TRANSPORT"},
    {"fnawry", "TECHNOLOGY"}, {"AL ktrwnyk", "ELECTRONICS"}, {"alktrwnyk", "ELECTRONICS"},
    /* Korean as romanise.c writes Hangul (RR, first letter upper case):
     * 무역 상사 은행 산업 기술 그룹 전자 중공업 건설 해운 물류 화학 항공
     * 회사 총회사 조선 (Korea, as the North writes it) 한국 대한민국 공업
     * 전기 반도체 통상 */
    {"Muyeok", "TRADING"}, {"Sangsa", "TRADING"}, {"Eunhaeng", "BANK"},
    {"Saneop", "INDUSTRIES"}, {"Gisul", "TECHNOLOGY"}, {"Geurup", "GROUP"},
    {"Jeonja", "ELECTRONICS"}, {"Junggongeop", "HEAVY INDUSTRIES"},
    {"Geonseol", "CONSTRUCTION"}, {"Haeun", "SHIPPING"}, {"Mullyu", "LOGISTICS"},
    {"Hwahak", "CHEMICAL"}, {"Hanggong", "AIR"}, {"Hoesa", "COMPANY"},
    {"Chonghoesa", "GENERAL CORPORATION"}, {"Joseon", "KOREA"}, {"Hanguk", "KOREA"},
    {"Daehanminguk", "KOREA"}, {"Gongeop", "INDUSTRIES"}, {"Jeongi", "ELECTRIC"},
    {"Bandoche", "SEMICONDUCTOR"}, {"Tongsang", "TRADING"},
    /* Burmese as romanise.c writes it: ကုမ္ပဏီ ဘဏ် ကုန်သွယ်ရေး ကုန်သွယ်မှု
     * အုပ်စု နည်းပညာ စက်မှုလုပ်ငန်း ပို့ဆောင်ရေး သင်္ဘော ထုတ်လုပ်ရေး
     * စီးပွားရေး ရေနံ ဓာတ်ငွေ့ လုပ်ငန်း ဝန်ဆောင်မှု အင်ဂျင်နီယာ ဟိုတယ်
     * ပို့ကုန် သွင်းကုန် ရင်းနှီးမြှုပ်နှံမှု */
    {"Kumpani", "COMPANY"}, {"Ban", "BANK"}, {"Kontheye", "TRADING"},
    {"Konthehmu", "TRADING"}, {"Oksu", "GROUP"}, {"Nipanya", "TECHNOLOGY"},
    {"Sethmulokngan", "INDUSTRIES"}, {"Pohsaungye", "TRANSPORT"}, {"Thinbaw", "SHIPPING"},
    {"Htoklokye", "MANUFACTURING"}, {"Sipwye", "ECONOMIC"}, {"Yenan", "OIL"},
    {"Datngwe", "GAS"}, {"Lokngan", "ENTERPRISE"}, {"Wanhsaunghmu", "SERVICES"},
    {"Ingyinniya", "ENGINEERING"}, {"Hote", "HOTEL"}, {"Pokon", "EXPORT"},
    {"Thwinkon", "IMPORT"}, {"Yinhnihmokhnanhmu", "INVESTMENTS"},
    {NULL, NULL}};

/* ---- countries in parentheses ---- */

/* A country named in parentheses after a company's name ("Acme
 * (Singapore)") marks its subsidiary there: the ISO 3166 code and the
 * English short names (and the usual other names) of the countries. */
const dv_paren_country dv_paren_countries[] = {
    {"AE", "UAE|UNITED ARAB EMIRATES"}, {"AF", "AFGHANISTAN"},
    {"AL", "ALBANIA"}, {"AM", "ARMENIA"}, {"AO", "ANGOLA"}, {"AR", "ARGENTINA"},
    {"AT", "AUSTRIA"}, {"AU", "AUSTRALIA"}, {"AZ", "AZERBAIJAN"}, {"BA", "BOSNIA"},
    {"BD", "BANGLADESH"}, {"BE", "BELGIUM"}, {"BG", "BULGARIA"}, {"BH", "BAHRAIN"},
    {"BR", "BRAZIL|BRASIL"}, {"BY", "BELARUS"}, {"CA", "CANADA"}, {"CH", "SWITZERLAND|SUISSE|SCHWEIZ"},
    {"CL", "CHILE"}, {"CN", "CHINA|PRC"}, {"CO", "COLOMBIA"},
    {"CY", "CYPRUS"}, {"CZ", "CZECH REPUBLIC|CZECHIA"}, {"DE", "GERMANY|DEUTSCHLAND"},
    {"DK", "DENMARK"}, {"DZ", "ALGERIA"}, {"EC", "ECUADOR"}, {"EE", "ESTONIA"}, {"EG", "EGYPT"},
    {"ES", "SPAIN|ESPANA"}, {"FI", "FINLAND"}, {"FR", "FRANCE"},
    {"GB", "UK|UNITED KINGDOM|GREAT BRITAIN|ENGLAND|SCOTLAND"}, {"GE", "GEORGIA"},
    {"GH", "GHANA"}, {"GR", "GREECE"}, {"HK", "HONG KONG|HK|HONGKONG"}, {"HR", "CROATIA"},
    {"HU", "HUNGARY"}, {"ID", "INDONESIA"}, {"IE", "IRELAND"}, {"IL", "ISRAEL"}, {"IN", "INDIA"},
    {"IQ", "IRAQ"}, {"IR", "IRAN"}, {"IT", "ITALY|ITALIA"}, {"JO", "JORDAN"}, {"JP", "JAPAN"},
    {"KE", "KENYA"}, {"KG", "KYRGYZSTAN"}, {"KH", "CAMBODIA"}, {"KR", "KOREA|SOUTH KOREA"},
    {"KW", "KUWAIT"}, {"KZ", "KAZAKHSTAN"}, {"LB", "LEBANON"}, {"LK", "SRI LANKA"},
    {"LT", "LITHUANIA"}, {"LU", "LUXEMBOURG"}, {"LV", "LATVIA"}, {"MA", "MOROCCO"},
    {"MD", "MOLDOVA"}, {"MM", "MYANMAR|BURMA"}, {"MN", "MONGOLIA"}, {"MT", "MALTA"},
    {"MX", "MEXICO"}, {"MY", "MALAYSIA"}, {"NG", "NIGERIA"}, {"NL", "NETHERLANDS|HOLLAND"},
    {"NO", "NORWAY"}, {"NZ", "NEW ZEALAND"}, {"OM", "OMAN"}, {"PA", "PANAMA"}, {"PE", "PERU"},
    {"PH", "PHILIPPINES"}, {"PK", "PAKISTAN"}, {"PL", "POLAND"}, {"PT", "PORTUGAL"},
    {"QA", "QATAR"}, {"RO", "ROMANIA"}, {"RS", "SERBIA"}, {"RU", "RUSSIA|RUSSIAN FEDERATION"},
    {"SA", "SAUDI ARABIA|KSA"}, {"SE", "SWEDEN"}, {"SG", "SINGAPORE"}, {"SI", "SLOVENIA"},
    {"SK", "SLOVAKIA"}, {"SY", "SYRIA"}, {"TH", "THAILAND"}, {"TJ", "TAJIKISTAN"},
    {"TM", "TURKMENISTAN"}, {"TR", "TURKEY|TURKIYE"}, {"TW", "TAIWAN"}, {"TZ", "TANZANIA"},
    {"UA", "UKRAINE"}, {"UG", "UGANDA"}, {"US", "USA|US|UNITED STATES|AMERICA"},
    {"UZ", "UZBEKISTAN"}, {"VE", "VENEZUELA"}, {"VN", "VIETNAM|VIET NAM"}, {"YE", "YEMEN"},
    {"ZA", "SOUTH AFRICA"}, {NULL, NULL}};

_Static_assert(sizeof dv_legal_forms / sizeof dv_legal_forms[0] <= DV_NAME_MAX_FORMS,
               "raise DV_NAME_MAX_FORMS");
_Static_assert(sizeof dv_business_words / sizeof dv_business_words[0] <= DV_NAME_MAX_WORDS,
               "raise DV_NAME_MAX_WORDS");
