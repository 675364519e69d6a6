/*
 * cleanlex.c: the keyword tables of name cleaning and its lexer
 * (cleanlex.h): the text into words and marks, each word looked up once
 * in a small hash table of keywords made once a process from the tables
 * below. The rules that read the tokens are nameclean.c's.
 *
 * The tables name, class by class, the words and phrases that are
 * evidence of something besides a name. Where they come from:
 *
 * - labels: the party fields of SWIFT MT 103 and MT 202 (50a Ordering
 *   Customer, 52a Ordering Institution, 56a Intermediary, 57a Account With
 *   Institution, 59a Beneficiary Customer; a field's first line may be
 *   "/account"), ISO 20022 pacs.008 party names (Debtor, Creditor,
 *   Ultimate Debtor ...), and the party boxes of a bill of lading, an
 *   air waybill and a commercial invoice (Shipper, Consignee, Notify
 *   Party, Exporter, Importer, Sold To, Ship To ...), in English and in
 *   the languages whose forms print them (Empfänger, Bénéficiaire,
 *   Destinatario ...);
 * - registry keywords: the names of the national company and tax
 *   registers' numbers (Companies House company number, Handelsregister
 *   HRB/HRA, Polish KRS, NIP and REGON, Russian INN, OGRN and KPP,
 *   Ukrainian EDRPOU, Brazilian CNPJ, Latin American RUC, RFC, NIT and
 *   RUT, Gulf commercial registration CR, Singapore UEN, Australian
 *   ABN/ACN, Indian CIN, French SIREN/SIRET and RCS, Danish CVR, Dutch KvK,
 *   Czech and Slovak IČO, Croatian OIB ...);
 * - branches: the words registers use for a branch of a company of
 *   another place (English Branch and Branch Office, German
 *   Zweigniederlassung and Niederlassung, Spanish and Portuguese Sucursal,
 *   French and Italian Succursale, Filiale, Polish Oddział, Nordic filial,
 *   Finnish sivuliike, Dutch bijkantoor and filiaal, Romanian sucursală,
 *   Croatian and Slovene podružnica, Czech organizační složka, Slovak
 *   pobočka, Hungarian fióktelep, Turkish Şubesi, Vietnamese Chi nhánh,
 *   Russian филиал; the registers' names of foreign companies' branches
 *   in Norway, Finland, Hungary, Czechia, Italy, the Netherlands,
 *   Greece, Bulgaria, Serbia, Indonesia and Malaysia, banks' agencies,
 *   and Arabic, Persian, Hebrew and Hindi words, each word checked in
 *   its Wiktionary entry) and for a representative office;
 * - former names: the phrases lists and registers write (formerly, f/k/a,
 *   ex-, previously known as; ehemals, vormals, früher; anciennement;
 *   antes, anteriormente; dawniej; voorheen; tidigare; ранее, бывш.; and
 *   the words of each register's language from its dictionary: RAE,
 *   Priberam, TLFi, Duden, Treccani, Van Dale, SJP, Lietuvių kalbos
 *   žodynas, Tēzaurs, EKI, SSJČ, TDK, KBBI), and a/k/a, d/b/a and t/a of
 *   US and UK usage, h.o.d.n. of Dutch.
 */
#include "divert/cleanlex.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "divert/dataset.h"
#include "divert/reference.h"

enum { KEY_MAX = 48, MAX_PHRASE = 6 };

/* Each class's phrases, '|' between phrases, ' ' between the words of
 * one; written as the tokens' keys are (upper case, accents dropped, dots
 * dropped, slashes kept; Cyrillic in upper case). */
static const struct {
    enum dv_kw_class cls;
    const char *phrases;
} phrase_table[] = {
    {DV_KW_LABEL,
     "BENEFICIARY|ORDERING|CUSTOMER|INSTITUTION|INTERMEDIARY|ACCOUNT|NAME|PARTY|SHIPPER|"
     "CONSIGNEE|CONSIGNOR|NOTIFY|EXPORTER|IMPORTER|BUYER|SELLER|APPLICANT|REMITTER|SENDER|"
     "RECEIVER|PAYER|PAYEE|DEBTOR|CREDITOR|ULTIMATE|ORIGINATOR|MANUFACTURER|FORWARDER|CARRIER|"
     "DRAWEE|DRAWER|VENDOR|SUPPLIER|PURCHASER|END|USER|FINAL|INTERMEDIATE|ADDRESS|BILL|SHIP|"
     "SOLD|DELIVER|DELIVERY|ISSUING|ADVISING|CONFIRMING|NEGOTIATING|CORRESPONDENT|FREIGHT|"
     "BANK|TO|FROM|ADDRESSEE|DETAILS|AGENT|PRINCIPAL|EMPFANGER|ABSENDER|AUFTRAGGEBER|"
     "BEGUNSTIGTER|BENEFICIAIRE|EXPEDITEUR|DESTINATAIRE|DONNEUR|ORDRE|BENEFICIARIO|ORDENANTE|"
     "REMITENTE|DESTINATARIO|EXPORTADOR|IMPORTADOR|ODBIORCA|NADAWCA|ПОЛУЧАТЕЛЬ|ОТПРАВИТЕЛЬ|"
     "ПЛАТЕЛЬЩИК"},
    {DV_KW_LABEL_STOP, "AND|OF|THE|WITH|FOR|BY|D"},
    {DV_KW_TAG_INTRO, "FIELD|TAG"},
    {DV_KW_ACCOUNT, "ACCOUNT|ACCT|A/C|IBAN|ACCOUNT NUMBER|ACC"},
    {DV_KW_NUMBER_WORD, "NO|NUMBER|NR|NUM|NBR|N"},
    {DV_KW_CARE_OF,
     "C/O|CARE OF|IN CARE OF|ATTN|ATTENTION|FAO|FOR THE ATTENTION OF|Z HD|ON BEHALF OF|"
     "FOR AND ON BEHALF OF|O/B/O|FOR ACCOUNT OF|FOR THE ACCOUNT OF"},
    {DV_KW_POBOX,
     "PO BOX|P O BOX|POST BOX|POSTBOX|POB|POST OFFICE BOX|POSTFACH|BOITE POSTALE|APARTADO|"
     "APARTADO POSTAL|CAIXA POSTAL|CASILLA|POSTBUS|POSTBOKS|SKRYTKA POCZTOWA|GPO BOX"},
    {DV_KW_STREET,
     "STREET|ROAD|AVENUE|BOULEVARD|BLVD|LANE|HIGHWAY|STRASSE|STR|GASSE|PLATZ|ULITSA|ULICA|UL|"
     "PROSPEKT|PEREULOK|SHOSSE|CALLE|CARRERA|AVENIDA|RUA|RUE|VIALE|PIAZZA|JALAN|JLN|JL|LORONG|"
     "SOI|THANON|MARG|NAGAR|BUILDING|BLDG|TOWER|FLOOR|SUITE|ROOM|RM|UNIT|FLAT|APT|APARTMENT|"
     "BLOCK|BLK|PLOT|DISTRICT|PROVINCE|ZIP|POSTCODE|POSTAL CODE|STRAAT|LAAN|PLEIN|SOKAK|"
     "SOKAGI|CADDESI|CAD|MAHALLESI|MAH|GEDUNG|LANTAI|KAWASAN|PERSIARAN|ZONE|INDUSTRIAL AREA|"
     "INDUSTRIAL ESTATE|FREE ZONE|УЛ|УЛИЦА|ПРОСПЕКТ|ДОМ"},
    {DV_KW_REGISTRY,
     "REG|REGN|REGISTRATION|REGISTRY|REGISTERED|REGISTER|COMPANY NO|COMPANY NUMBER|CO NO|CRN|"
     "COMMERCIAL REGISTRATION|COMMERCIAL REGISTER|COMMERCIAL REGISTRY|TRADE REGISTER|"
     "COMPANY REGISTRATION|CHAMBER OF COMMERCE|BUSINESS REGISTRATION|"
     "CR|KRS|NIP|REGON|INN|OGRN|OGRNIP|KPP|OKPO|EDRPOU|USREOU|UNP|BIN|IIN|STIR|EIN|TIN|VAT|"
     "TAX ID|TAX NO|TAX NUMBER|TAX|UEN|ABN|ACN|CIN|SIREN|SIRET|RCS|HRB|HRA|CNPJ|RUC|RFC|NIT|"
     "RUT|CVR|KVK|ORG NR|ORGNR|ICO|DIC|OIB|MBS|NPWP|ROC|BRN|LEI|DUNS|TRADE LICENSE|"
     "TRADE LICENCE|LICENSE|LICENCE|ИНН|ОГРН|КПП|ЕГРПОУ"},
    {DV_KW_FORMER,
     "EX|FORMERLY|FORMERLY KNOWN AS|FORMERLY CALLED|FORMERLY NAMED|F/K/A|FKA|PREVIOUSLY|"
     "PREVIOUSLY KNOWN AS|PREVIOUSLY CALLED|FORMER NAME|FORMER NAMES|OLD NAME|PRIOR NAME|"
     "RENAMED FROM|EHEMALS|VORMALS|FRUHER|ANCIENNEMENT|ANTERIORMENTE|"
     "ANTIGUAMENTE|DAWNIEJ|POPRZEDNIO|VOORHEEN|TIDIGARE|TIDLIGERE|ENTINEN|РАНЕЕ|БЫВШ|БЫВШЕЕ|"
     "БЫВШИЙ|ПРЕЖНЕЕ|"
     /* Spanish and Portuguese (RAE, Priberam) */
     "ANTES|ANTES DENOMINADA|ANTES DENOMINADO|ANTES CONOCIDA COMO|ANTES CONOCIDO COMO|"
     "ANTERIORMENTE DENOMINADA|ANTERIORMENTE DENOMINADO|ANTERIORMENTE CONOCIDA COMO|"
     "ANTERIORMENTE CONOCIDO COMO|ANTERIORMENTE LLAMADA|DENOMINACION ANTERIOR|"
     "ANTIGUA DENOMINACION|ANTIGUA RAZON SOCIAL|ANTERIORMENTE DESIGNADA|"
     "ANTERIORMENTE CONHECIDA COMO|ANTIGA DENOMINACAO|DENOMINACAO ANTERIOR|ANTIGAMENTE|"
     /* French (TLFi) */
     "ANCIENNEMENT DENOMMEE|ANCIENNEMENT DENOMME|ANCIENNE DENOMINATION|ANCIENNE RAISON SOCIALE|"
     "ANCIEN NOM|PRECEDEMMENT|PRECEDEMMENT DENOMMEE|AUPARAVANT|"
     /* German (Duden; the Handelsregister's 'früher:') */
     "EHEM|VORM|VORHER|FRUHER FIRMIEREND ALS|VORMALS FIRMIEREND ALS|EHEMALIGE FIRMA|"
     "BISHERIGE FIRMA|FRUHERE FIRMA|"
     /* Italian (Treccani) */
     "GIA|GIA DENOMINATA|PRECEDENTEMENTE|PRECEDENTEMENTE DENOMINATA|PRECEDENTEMENTE NOTA COME|"
     "IN PRECEDENZA|DENOMINAZIONE PRECEDENTE|"
     /* Dutch (Van Dale; v/h, voorheen, in the KvK's trade names) */
     "V/H|VOORM|VOORMALIG|VROEGER|VOORHEEN GENAAMD|OUDE NAAM|VORIGE NAAM|"
     /* Polish (SJP) */
     "UPRZEDNIO|WCZESNIEJ|POPRZEDNIA NAZWA|DAWNA NAZWA|"
     /* Lithuanian, Latvian, Estonian (Lietuvių kalbos žodynas, Tēzaurs, EKI) */
     "BUVUSI|BUVES|ANKSCIAU|ANKSTESNIS PAVADINIMAS|BUVES PAVADINIMAS|AGRAK|BIJUSI|BIJUSAIS|"
     "IEPRIEKS|IEPRIEKSEJAIS NOSAUKUMS|ENDINE|ENDISE NIMEGA|ENDINE NIMI|VAREM|"
     /* Czech and Slovak (SSJČ, SSSJ) */
     "DRIVE|DRIVEJSI NAZEV|DRIVEJSI OBCHODNI FIRMA|PUVODNE|BYVALA|BYVALY|BYV|PREDTYM|POVODNE|"
     "PREDCHADZAJUCI NAZOV|"
     /* Hungarian, Romanian, Croatian, Serbian and Slovene */
     "KORABBAN|KORABBI NEVE|KORABBI NEV|ELOZO NEV|FOSTA|FOSTUL|FOSTA DENUMIRE|"
     "DENUMIRE ANTERIOARA|BIVSI|BIVSA|BIVSE|RANIJE|NEKDANJI|NEKDANJA|"
     /* Nordic */
     "TIDL|FHV|TIDIGARE NAMN|TIDLIGERE NAVN|TIDLIGERE KENDT SOM|TIDLIGERE KJENT SOM|"
     "FORE DETTA|AIEMMIN|AIKAISEMMIN|ENTINEN NIMI|AIEMPI NIMI|"
     /* Russian, Ukrainian, Bulgarian; Greek */
     "РАНЕЕ ИЗВЕСТНОЕ КАК|ПРЕЖНЕЕ НАИМЕНОВАНИЕ|ПРЕДЫДУЩЕЕ НАИМЕНОВАНИЕ|БЫВШЕЕ НАИМЕНОВАНИЕ|"
     "ПРЕЖНЕЕ НАЗВАНИЕ|РАНІШЕ|КОЛИШНЯ|КОЛИШНІЙ|КОЛИШНЄ|ПОПЕРЕДНЯ НАЗВА|ПРЕДИШНО|БИВШО|"
     "ΠΡΩΗΝ|"
     /* Turkish (TDK), Arabic, Indonesian and Malay (KBBI: d/h, dahulu) */
     "ESKI ADI|ESKI UNVANI|ESKI UNVAN|ONCEKI UNVANI|ONCEKI ADI|سابقا|سابقاً|D/H|DAHULU|"
     "DAHULUNYA|SEBELUMNYA|DAHULU DIKENAL SEBAGAI"},
    /* alone, only in lower case: words of names too (Gia Lai, Drive, Antes);
     * former-name words and nothing else (nameclean.c's test of a plain
     * name counts on it) */
    {DV_KW_LOWER_ONLY, "ANTES|GIA|DRIVE|VORHER|VROEGER|BIJUSI|VAREM|RANIJE|AGRAK|FOSTA"},
    {DV_KW_AKA, "AKA|A/K/A|ALSO KNOWN AS|ALIAS|OTHERWISE KNOWN AS|ALSO CALLED"},
    {DV_KW_LATER,
     "NOW|NOW KNOWN AS|NOW CALLED|CURRENTLY|CURRENTLY KNOWN AS|RENAMED|RENAMED TO|RENAMED AS|"
     "NEW NAME|PRESENTLY|HEUTE|JETZT|ACTUELLEMENT|AHORA|ATUALMENTE|OBECNIE|ТЕПЕРЬ|НЫНЕ"},
    {DV_KW_WEAK, "EX|NOW|CURRENTLY|PRESENTLY|ALIAS|HEUTE|JETZT|AHORA|RENAMED"},
    {DV_KW_TRADING_AS,
     "DBA|D/B/A|DOING BUSINESS AS|T/A|TRADING AS|ALSO TRADING AS|TRADE NAME|TRADING NAME|"
     "HODN|H/O/D/N|HANDELEND ONDER DE NAAM"},
    {DV_KW_BRANCH_BEFORE,
     "BRANCH|BRANCH OFFICE|REPRESENTATIVE OFFICE|REP OFFICE|REPRESENTATION OFFICE|"
     "LIAISON OFFICE"},
    /* the place an adjective or a genitive before: Turkish İstanbul Şubesi,
     * Finnish Suomen sivuliike, Hungarian Magyarországi Fióktelepe
     * (the registers' own names of branches: MERSİS, YTJ, e-cegjegyzek) */
    {DV_KW_BRANCH_WORD, "SUBESI|SUBE|SIVULIIKE|FIOKTELEP|FIOKTELEPE|FIOK|FIOKJA"},
    {DV_KW_BRANCH_AFTER,
     "ZWEIGNIEDERLASSUNG|NIEDERLASSUNG|ZWEIGSTELLE|SUCURSAL|SUCCURSALE|FILIALE|FILIAL|ODDZIAL|"
     "FILIAAL|BIJKANTOOR|SUCURSALA|PODRUZNICA|POBOCKA|ORGANIZACNI SLOZKA|"
     "ORGANIZACNA ZLOZKA|FILIALAS|CHI NHANH|ФИЛИАЛ|"
     /* Norwegian avdeling (avd.), Dutch nevenvestiging, Czech odštěpný
      * závod, Italian sede secondaria, Latvian and Estonian filiāle /
      * filiaal, Bulgarian клон, Serbian ogranak / огранак, Greek
      * υποκατάστημα, Russian and Ukrainian представительство / філія,
      * Indonesian and Malay (kantor) cabang / cawangan, Hindi शाखा,
      * Arabic فرع, Persian شعبه, Hebrew סניף; and the representative
      * offices of the registers' languages */
     "AVDELING|AVD|NEVENVESTIGING|ODSTEPNY ZAVOD|SEDE SECONDARIA|КЛОН|OGRANAK|ОГРАНАК|"
     "ΥΠΟΚΑΤΑΣΤΗΜΑ|ΥΠΟΚΑΤΑΣΤΗΜΑ ΑΛΛΟΔΑΠΗΣ|ФІЛІЯ|ПРЕДСТАВИТЕЛЬСТВО|ПРЕДСТАВНИЦТВО|CABANG|"
     "KANTOR CABANG|KANTOR PERWAKILAN|CAWANGAN|शाखा|فرع|شعبه|סניף|"
     "OFICINA DE REPRESENTACION|ESCRITORIO DE REPRESENTACAO|BUREAU DE REPRESENTATION|"
     "REPRASENTANZ|UFFICIO DI RAPPRESENTANZA"},
    /* a bank's agency (French agence, Spanish agencia, Portuguese agência,
     * Italian agenzia, Romanian agenția): words of names too */
    {DV_KW_BRANCH_LEAD, "ФИЛИАЛ|ФІЛІЯ|ПРЕДСТАВИТЕЛЬСТВО|ПРЕДСТАВНИЦТВО|فرع|ΥΠΟΚΑΤΑΣΤΗΜΑ"},
    /* and, or in the registers' languages */
    {DV_KW_CONJ, "AND|OR|Y|E|ET|OU|UND|ODER|EN|OG|OCH|ELLER|JA|I|IR|UN|VE|VEYA|И|ИЛИ|ΚΑΙ"},
    {DV_KW_BRANCH_WEAK, "AGENCE|AGENCIA|AGENZIA|AGENTIA|AGENTIE"},
    {DV_KW_PREP, "OF|DE|DEL|DA|DO|DI|DER|DES|DU|D|AF|IN|EN|W|I|V|ZU|AV|VAN|VON|EM|NA|NO"},
    {DV_KW_VESSEL_PREFIX, "M/V|M/T|M/S|MV|MT"},
    {DV_KW_VOYAGE, "V|VOY|VOYAGE|VOYAGE NO"},
    {DV_KW_VESSEL_ID, "IMO|MMSI|CALL SIGN|CALLSIGN"},
    {DV_KW_FLAG, "FLAG|FLAGGED|FLAG STATE|FLAGGED IN|FLAG OF"},
    {DV_KW_NAME_END,
     "LTD|LIMITED|LLC|INC|CORP|CORPORATION|CO|COMPANY|GMBH|AG|SA|PLC|BANK|BHD|PVT|SPA|SRL|BV|NV|"
     "AB|AS|OY|OYJ|KG|FZE|FZCO|FZC|JSC|PJSC|OJSC|CJSC|SAL|WLL|PTE|PTY|LLP|LP|SARL|SAS|KK|ASA|"
     "APS|SE|LTDA|SRO|KFT|ZRT|DOO|EOOD|OOD|EAD|AD|TBK|SIRKETI|STI"},
};

/* Short forms of countries that addresses end with, besides the names of
 * the reference countries table. */
static const char *const country_short = "UAE|USA|US|UK|PRC|KSA|ROK|DPRK|HK|HONG KONG|"
                                         "U A E|U S A|U K|GREAT BRITAIN|ENGLAND|SCOTLAND|"
                                         "RUSSIA|KOREA|SOUTH KOREA|NORTH KOREA|IRAN|SYRIA|"
                                         "VIETNAM|TAIWAN|TURKEY|TURKIYE|MACAU|MACAO";

/* ---- the keyword tables, made once a process ---- */

typedef struct phrase {
    uint8_t cls, n;
    uint16_t w[MAX_PHRASE];         /* word ids */
} phrase;

enum { VOCAB_SLOTS = 4096, MAX_WORDS = 2048, MAX_PHRASES = 1024, POOL = 32768 };

static struct {
    char pool[POOL];                /* the words' keys */
    size_t pool_len;
    uint32_t key_at[MAX_WORDS];
    uint8_t key_len[MAX_WORDS];
    uint32_t single[MAX_WORDS];     /* classes for which the word alone is a phrase */
    uint16_t multi_at[MAX_WORDS + 1];/* its phrases of two words or more, in phrases[] */
    uint16_t n_words;
    uint16_t slot[VOCAB_SLOTS];     /* word id + 1, 0 empty */
    uint16_t cjk_branch;            /* the id of DV_KW_BRANCH_TAIL's one word */
    phrase phrases[MAX_PHRASES];
    size_t n_phrases;
} K;

const uint32_t *const dv_kw_single = K.single;


static uint64_t key_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

/* key's id (h: key_hash of it), DV_NO_KW if it is no keyword */
static uint16_t word_lookup_hashed(const char *key, size_t n, uint64_t h)
{
    if (!n || n > KEY_MAX) return DV_NO_KW;
    for (size_t i = h & (VOCAB_SLOTS - 1);; i = (i + 1) & (VOCAB_SLOTS - 1)) {
        uint16_t s = K.slot[i];
        if (!s) return DV_NO_KW;
        uint16_t id = (uint16_t)(s - 1);
        if (K.key_len[id] == n && !memcmp(K.pool + K.key_at[id], key, n)) return id;
    }
}

static uint16_t word_lookup(const char *key, size_t n)
{
    return word_lookup_hashed(key, n, key_hash(key, n));
}

static uint16_t word_intern(const char *key, size_t n)
{
    uint16_t id = word_lookup(key, n);
    if (id != DV_NO_KW) return id;
    if (n > KEY_MAX || K.n_words >= MAX_WORDS || K.pool_len + n > POOL) return DV_NO_KW;
    id = K.n_words++;
    memcpy(K.pool + K.pool_len, key, n);
    K.key_at[id] = (uint32_t)K.pool_len;
    K.key_len[id] = (uint8_t)n;
    K.pool_len += n;
    size_t i = key_hash(key, n) & (VOCAB_SLOTS - 1);
    while (K.slot[i]) i = (i + 1) & (VOCAB_SLOTS - 1);
    K.slot[i] = (uint16_t)(id + 1);
    return id;
}

/* A Greek letter (U+0380 to U+03FF) in upper case without its accent. */
static unsigned greek_upper(unsigned cp)
{
    switch (cp) {
    case 0x386: case 0x3AC: return 0x391; /* Ά ά: Α */
    case 0x388: case 0x3AD: return 0x395; /* Έ έ: Ε */
    case 0x389: case 0x3AE: return 0x397; /* Ή ή: Η */
    case 0x38A: case 0x3AF: case 0x3AA: case 0x3CA: case 0x390: return 0x399; /* Ι */
    case 0x38C: case 0x3CC: return 0x39F; /* Ό ό: Ο */
    case 0x38E: case 0x3CD: case 0x3AB: case 0x3CB: case 0x3B0: return 0x3A5; /* Υ */
    case 0x38F: case 0x3CE: return 0x3A9; /* Ώ ώ: Ω */
    case 0x3C2: return 0x3A3;             /* ς: Σ */
    default: return cp >= 0x3B1 && cp <= 0x3C9 ? cp - 0x20 : cp;
    }
}

/* The key of a word as the tables write it: ASCII letters in upper case,
 * Latin letters with accents as their base letter, Cyrillic in upper
 * case (Ukrainian's і, ї, є too), Greek in upper case without accents,
 * dots dropped. Returns its length (KEY_MAX + 1: too long). */
static size_t fold_key(const unsigned char *s, size_t len, char *out)
{
    static const char latin[] = /* U+00C0 to U+017F: the base letter */
        "AAAAAAACEEEEIIIIDNOOOOO?OUUUUYTSAAAAAAACEEEEIIIIDNOOOOO?OUUUUYTY"
        "AAAAAACCCCCCCCDDDDEEEEEEEEEEGGGGGGGGHHHHIIIIIIIIIIIIJJKKKLLLLLLL"
        "LLLNNNNNNNNNOOOOOOOORRRRRRSSSSSSSSTTTTTTUUUUUUUUUUUUWWYYYZZZZZZS";
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (n + 2 > KEY_MAX) return KEY_MAX + 1;
        unsigned char b = s[i];
        if (b == '.') continue;
        if (b >= 'a' && b <= 'z') out[n++] = (char)(b - 32);
        else if (b < 0x80) out[n++] = (char)b;
        else if (i + 1 < len && b >= 0xC3 && b <= 0xC5 && (s[i + 1] & 0xC0) == 0x80) {
            unsigned cp = ((unsigned)(b & 0x1F) << 6) | (s[i + 1] & 0x3F);
            if (cp >= 0xC0 && cp < 0x180) {
                if (cp == 0xDF) out[n++] = 'S'; /* ß: SS */
                out[n++] = latin[cp - 0xC0];
            } else {
                out[n++] = (char)b, out[n++] = (char)s[i + 1];
            }
            i++;
        } else if (i + 1 < len && b == 0xD0 && s[i + 1] >= 0xB0 && s[i + 1] <= 0xBF) {
            out[n++] = (char)0xD0, out[n++] = (char)(s[i + 1] - 0x20); /* а-п */
            i++;
        } else if (i + 1 < len && b == 0xD1 && s[i + 1] >= 0x80 && s[i + 1] <= 0x8F) {
            out[n++] = (char)0xD0, out[n++] = (char)(s[i + 1] + 0x20); /* р-я */
            i++;
        } else if (i + 1 < len && b == 0xD1 && s[i + 1] >= 0x90 && s[i + 1] <= 0x9F) {
            out[n++] = (char)0xD0, out[n++] = (char)(s[i + 1] - 0x10); /* ѐ-џ: і ї є ґ ... */
            i++;
        } else if (i + 1 < len && (b == 0xCE || b == 0xCF) && (s[i + 1] & 0xC0) == 0x80) {
            /* Greek: upper case, the tonos and dialytika dropped */
            unsigned cp = ((unsigned)(b & 0x1F) << 6) | (s[i + 1] & 0x3F);
            cp = greek_upper(cp);
            out[n++] = (char)(0xC0 | (cp >> 6)), out[n++] = (char)(0x80 | (cp & 0x3F));
            i++;
        } else {
            out[n++] = (char)b;
        }
    }
    return n;
}

static void add_phrase(enum dv_kw_class cls, const char *p, size_t len)
{
    phrase ph = {(uint8_t)cls, 0, {0}};
    char key[KEY_MAX + 2];
    for (size_t i = 0; i < len;) {
        size_t j = i;
        while (j < len && p[j] != ' ') j++;
        size_t kl = fold_key((const unsigned char *)p + i, j - i, key);
        if (ph.n == MAX_PHRASE || kl > KEY_MAX) return;
        uint16_t id = word_intern(key, kl);
        if (id == DV_NO_KW) return;
        ph.w[ph.n++] = id;
        i = j + (j < len);
    }
    if (!ph.n) return;
    if (ph.n == 1) {
        K.single[ph.w[0]] |= 1u << cls;
        return;
    }
    if (K.n_phrases < MAX_PHRASES) K.phrases[K.n_phrases++] = ph;
}

static void add_phrases(enum dv_kw_class cls, const char *list)
{
    for (const char *p = list; *p;) {
        size_t l = strcspn(p, "|");
        add_phrase(cls, p, l);
        p += l + (p[l] == '|');
    }
}

static int cmp_phrase(const void *a, const void *b)
{
    const phrase *x = a, *y = b;
    if (x->w[0] != y->w[0]) return x->w[0] < y->w[0] ? -1 : 1;
    return (x->n < y->n) - (x->n > y->n); /* longest first */
}

/* The reference countries' names (datasets/reference/countries.csv, the
 * second column), as phrases of DV_KW_COUNTRY. */
static void add_reference_countries(void)
{
    const char *data, *name;
    size_t len;
    if (!dv_reference_table(DV_T_COUNTRIES, &data, &len, &name)) return;
    size_t i = 0;
    while (i < len && data[i] != '\n') i++; /* the header */
    while (i < len) {
        i++;
        size_t line = i;
        while (i < len && data[i] != '\n') i++;
        size_t c = line;
        while (c < i && data[c] != ',') c++;
        if (c >= i) continue;
        c++;
        size_t a = c, b;
        if (c < i && data[c] == '"') {
            a = ++c;
            while (c < i && data[c] != '"') c++;
            b = c;
        } else {
            while (c < i && data[c] != ',') c++;
            b = c;
        }
        /* "Korea, Republic of": the words, commas dropped */
        char buf[128];
        size_t n = 0;
        for (size_t k = a; k < b && n + 1 < sizeof buf; k++)
            if (data[k] != ',') buf[n++] = data[k] == '-' ? ' ' : data[k];
        if (n) add_phrase(DV_KW_COUNTRY, buf, n);
    }
}

static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void tables_init(void)
{
    for (size_t t = 0; t < sizeof phrase_table / sizeof phrase_table[0]; t++)
        add_phrases(phrase_table[t].cls, phrase_table[t].phrases);
    add_phrases(DV_KW_COUNTRY, country_short);
    /* a key no text folds to: the words cjk_branch_tail finds */
    add_phrase(DV_KW_BRANCH_TAIL, "\x01", 1);
    K.cjk_branch = word_lookup("\x01", 1);
    add_reference_countries();
    qsort(K.phrases, K.n_phrases, sizeof *K.phrases, cmp_phrase);
    size_t p = 0;
    for (uint16_t id = 0; id <= K.n_words; id++) {
        K.multi_at[id] = (uint16_t)p;
        while (p < K.n_phrases && K.phrases[p].w[0] == id) p++;
    }
}

static bool ascii_alnum(unsigned char b)
{
    return (b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z');
}

static bool ascii_alpha(unsigned char b) { return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z'); }

/* Punctuation written outside ASCII: dashes, quotes, full-width marks,
 * no-break and ideographic spaces. Returns its length (0: not one), the
 * ASCII mark in *mark (' ' for a space). */
static size_t wide_punct(const unsigned char *s, size_t len, size_t i, char *mark)
{
    if (s[i] == 0xC2 && i + 1 < len && s[i + 1] == 0xA0) return *mark = ' ', 2;
    if (i + 2 >= len) return 0;
    unsigned char a = s[i], b = s[i + 1], c = s[i + 2];
    if (a == 0xE2 && b == 0x80) {
        if (c >= 0x90 && c <= 0x95) return *mark = '-', 3;
        if (c >= 0x98 && c <= 0x9F) return *mark = '\'', 3;
    }
    if (a == 0xEF && b == 0xBC) {
        switch (c) {
        case 0x88: return *mark = '(', 3;
        case 0x89: return *mark = ')', 3;
        case 0x8C: return *mark = ',', 3;
        case 0x9A: return *mark = ':', 3;
        case 0x9B: return *mark = ';', 3;
        default: return 0;
        }
    }
    if (a == 0xE3 && b == 0x80 && c == 0x80) return *mark = ' ', 3;
    if (a == 0xE3 && b == 0x80 && c == 0x81) return *mark = ',', 3;
    return 0;
}

/* Branch words of Chinese, Japanese and Korean, which end a word written
 * without spaces (上海分公司: Shanghai branch company; 支店 in Japanese,
 * 지점 and 지사 in Korean), and the words that end a company's or a bank's
 * name before them (公司, 银行, 銀行, 会社, 은행, 회사). */
static const char *const cjk_branches[] = {"分公司", "分行", "分店", "支店", "支社", "分社",
                                           "営業所", "지점", "지사", NULL};
static const char *const cjk_name_ends[] = {"公司", "银行", "銀行", "会社", "會社", "은행", "회사",
                                            NULL};

/* Where the branch part of a word s[i..j) begins: after the last word
 * ending a name before its branch word; i when the word ends in a branch
 * word with no such word in it (the whole word is the branch: 뉴욕지점);
 * j when it does not end in one. */
static size_t cjk_branch_tail(const unsigned char *s, size_t i, size_t j)
{
    if (s[j - 1] < 0x80) return j;
    for (int b = 0; cjk_branches[b]; b++) {
        size_t bl = strlen(cjk_branches[b]);
        if (j - i <= bl || memcmp(s + j - bl, cjk_branches[b], bl)) continue;
        size_t cut = i;
        for (int e = 0; cjk_name_ends[e]; e++) {
            size_t el = strlen(cjk_name_ends[e]);
            for (size_t m = i; m + el <= j - bl; m++)
                if (!memcmp(s + m, cjk_name_ends[e], el) && m + el > cut) cut = m + el;
        }
        return cut;
    }
    return j;
}

static void finish_word(dv_ctok *t, const unsigned char *s);

bool dv_lex(dv_ctoks *c, const unsigned char *s, size_t len)
{
    c->n = 0;
    bool space = true;
    for (size_t i = 0; i < len;) {
        unsigned char b = s[i];
        char mark = 0;
        size_t w = b >= 0x80 ? wide_punct(s, len, i, &mark) : 0;
        if (b == ' ' || b == '\t' || b == '\r' || b == '\f' || b == '\v' || mark == ' ') {
            i += w ? w : 1;
            space = true;
            continue;
        }
        if (c->n == DV_MAX_CTOKS) return false;
        dv_ctok *t = &c->t[c->n++];
        memset(t, 0, sizeof *t);
        t->at = (uint32_t)i;
        t->kw = DV_NO_KW;
        t->space_before = space;
        space = false;
        if (w || !(ascii_alnum(b) || b >= 0x80)) {
            t->punct = w ? mark : (char)b;
            if (!t->punct) t->punct = ' ';
            t->len = (uint32_t)(w ? w : 1);
            i += t->len;
            continue;
        }
        size_t j = i;
        while (j < len) {
            unsigned char x = s[j];
            if (ascii_alnum(x)) j++;
            else if (x >= 0x80 && !wide_punct(s, len, j, &mark)) j++;
            else break;
        }
        /* single letters joined by dots or slashes: P.O., C/O, a/k/a */
        if (j == i + 1 && ascii_alpha(b) && j + 1 < len && (s[j] == '.' || s[j] == '/') &&
            ascii_alpha(s[j + 1]) && (j + 2 >= len || !ascii_alnum(s[j + 2]))) {
            char sep = (char)s[j];
            while (j + 1 < len && s[j] == sep && ascii_alpha(s[j + 1]) &&
                   (j + 2 >= len || !ascii_alnum(s[j + 2])))
                j += 2;
            if (sep == '.' && j < len && s[j] == '.') j++;
            t->joined = true;
        }
        size_t tail_at = cjk_branch_tail(s, i, j);
        if (tail_at > i && tail_at < j && c->n < DV_MAX_CTOKS) {
            /* 銀行ニューヨーク支店: the bank's name, then its branch */
            dv_ctok *u = &c->t[c->n++];
            *u = *t;
            t->len = (uint32_t)(tail_at - i);
            finish_word(t, s);
            u->at = (uint32_t)tail_at, u->len = (uint32_t)(j - tail_at), u->space_before = false;
            finish_word(u, s);
            u->kw = K.cjk_branch;
            i = j;
            continue;
        }
        t->len = (uint32_t)(j - i);
        finish_word(t, s);
        if (tail_at == i) t->kw = K.cjk_branch;
        i = j;
    }
    return true;
}

/* A word's counts, case and keyword, from its bytes. */
static void finish_word(dv_ctok *t, const unsigned char *s)
{
    size_t i = t->at, j = t->at + t->len;
    bool upper = false, lower = false, ascii = true;
    unsigned digits = 0, alnum = 0;
    /* one pass: the counts, and the key and its hash while the word is
     * ASCII (most are) */
    char key[KEY_MAX + 2];
    size_t kl = 0;
    uint64_t h = 1469598103934665603ULL;
    for (size_t k = i; k < j; k++) {
        unsigned char b = s[k];
        if (b >= 0x80) {
            ascii = false;
            continue;
        }
        if (b >= '0' && b <= '9') digits++, alnum++;
        else if (b >= 'A' && b <= 'Z') upper = true, alnum++;
        else if (b >= 'a' && b <= 'z') lower = true, alnum++, b = (unsigned char)(b - 32);
        if (b == '.' || kl > KEY_MAX) continue;
        key[kl++] = (char)b;
        h = (h ^ b) * 1099511628211ULL;
    }
    t->digits = (uint8_t)(digits < 255 ? digits : 255);
    t->alnum = (uint8_t)(alnum < 255 ? alnum : 255);
    t->lower = lower && !upper;
    if (!ascii) kl = fold_key(s + i, j - i, key), h = kl <= KEY_MAX ? key_hash(key, kl) : 0;
    t->kw = kl <= KEY_MAX ? word_lookup_hashed(key, kl, h) : DV_NO_KW;
}

/* ---- reading the tokens ---- */

size_t dv_phrase_at(const dv_ctoks *c, size_t i, size_t end, enum dv_kw_class cls, int owner)
{
    if (i >= end || !dv_tok_word(c, i) || c->t[i].kw == DV_NO_KW) return 0;
    if (owner >= 0 && c->role[i] != owner) return 0;
    uint16_t id = c->t[i].kw;
    for (size_t p = K.multi_at[id]; p < K.multi_at[id + 1]; p++) {
        const phrase *ph = &K.phrases[p];
        if (ph->cls != cls) continue;
        size_t k = i + 1;
        bool ok = true;
        for (size_t w = 1; w < ph->n && ok; w++) {
            while (k < end && dv_tok_mark(c, k, '.')) k++;
            ok = k < end && dv_tok_word(c, k) && c->t[k].kw == ph->w[w] &&
                 (owner < 0 || c->role[k] == owner);
            k++;
        }
        if (ok) return k;
    }
    return (K.single[id] & (1u << cls)) ? i + 1 : 0;
}

bool dv_phrase_starts(const dv_ctoks *c, size_t i, uint32_t mask)
{
    uint16_t id = c->t[i].kw;
    if (id == DV_NO_KW) return false;
    if (K.single[id] & mask) return true;
    for (size_t p = K.multi_at[id]; p < K.multi_at[id + 1]; p++)
        if (((1u << K.phrases[p].cls) & mask) && dv_phrase_at(c, i, c->n, K.phrases[p].cls, -1))
            return true;
    return false;
}

bool dv_tok_is(const dv_ctoks *c, size_t i, const char *key)
{
    if (!dv_tok_word(c, i) || c->t[i].kw == DV_NO_KW) return false;
    size_t n = strlen(key);
    return K.key_len[c->t[i].kw] == n && !memcmp(K.pool + K.key_at[c->t[i].kw], key, n);
}

void dv_lex_init(void) { pthread_once(&tables_once, tables_init); }

/* ---- the shapes of words ---- */

static bool ascii_letter(unsigned char b) { return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z'); }

bool dv_tok_swift_tag(const dv_ctoks *tk, const char *s, size_t i)
{
    if (!dv_tok_word(tk, i)) return false;
    const dv_ctok *t = &tk->t[i];
    const char *w = s + t->at;
    if (t->len < 2 || t->len > 3) return false;
    if (!(w[0] >= '0' && w[0] <= '9' && w[1] >= '0' && w[1] <= '9')) return false;
    return t->len == 2 || ascii_letter((unsigned char)w[2]);
}

bool dv_tok_iban(const dv_ctoks *tk, const char *s, size_t i)
{
    if (!dv_tok_word(tk, i)) return false;
    const dv_ctok *t = &tk->t[i];
    const char *w = s + t->at;
    return t->len >= 14 && t->len <= 34 && t->alnum == t->len && ascii_letter((unsigned char)w[0]) &&
           ascii_letter((unsigned char)w[1]) && w[2] >= '0' && w[2] <= '9' && w[3] >= '0' &&
           w[3] <= '9';
}

bool dv_tok_ordinal(const dv_ctoks *tk, const char *s, size_t i)
{
    if (!dv_tok_word(tk, i)) return false;
    const dv_ctok *t = &tk->t[i];
    if (!t->digits || t->digits + 2 != t->alnum || t->len < 3) return false;
    const char *e = s + t->at + t->len - 2;
    return !strncasecmp(e, "ST", 2) || !strncasecmp(e, "ND", 2) || !strncasecmp(e, "RD", 2) ||
           !strncasecmp(e, "TH", 2);
}
