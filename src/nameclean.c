/*
 * nameclean.c: labels, accounts, care-of parts, addresses, registry
 * numbers, vessel details, branches and former names taken apart from a
 * party name (nameclean.h).
 *
 * One pass splits the text into tokens (words and punctuation), each word
 * looked up once in a small hash table of keywords; the rules then walk
 * the tokens and give each an owner: the name, one of its own names
 * (aliases), or "set aside". Nothing is allocated per name: the tokens
 * live in the cleaner, the names are written into its one buffer.
 *
 * Each rule asks for evidence that a part is an annotation and not a
 * piece of the name: a keyword from the tables below together with its
 * punctuation or its number. Where the keywords come from:
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
 *   Russian филиал) and for a representative office;
 * - former names: the phrases lists and registers write (formerly, f/k/a,
 *   ex-, previously known as; ehemals, vormals, früher; anciennement;
 *   antes, anteriormente; dawniej; voorheen; tidigare; ранее, бывш.), and
 *   a/k/a, d/b/a and t/a of US and UK usage.
 */
#include "divert/nameclean.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "divert/dataset.h"
#include "divert/reference.h"

enum { MAX_CTOKS = 256, KEY_MAX = 48, MAX_PHRASE = 6, NO_KW = 0xFFFF };

/* Roles of a token besides the owners 0 (the name) and 1.. (its aliases). */
enum { R_ASIDE = 254, R_DROP = 253 };

/* Classes of keywords. */
enum cls {
    C_LABEL,          /* a word of a party label */
    C_LABEL_STOP,     /* AND, OF, THE ...: in a label, not one by itself */
    C_TAG_INTRO,      /* FIELD, TAG: before a SWIFT field number */
    C_ACCOUNT,        /* ACCOUNT, A/C, IBAN */
    C_NUMBER_WORD,    /* NO, NUMBER, NR: between a keyword and its number */
    C_CARE_OF,
    C_POBOX,
    C_STREET,
    C_REGISTRY,
    C_FORMER,
    C_AKA,
    C_TRADING_AS,
    C_LATER,          /* now, renamed: the name it has since */
    C_WEAK,           /* EX, NOW ...: a keyword inline only when marked */
    C_BRANCH_TAIL,    /* a word of Chinese, Japanese or Korean ending in a
                         branch word (上海分公司, 뉴욕지점): the branch */
    C_BRANCH_BEFORE,  /* the place before the word: Mombasa Branch */
    C_BRANCH_AFTER,   /* the place after it: Zweigniederlassung Hamburg */
    C_BRANCH_WORD,    /* a word only a branch is: the place is the word before
                         (İstanbul Şubesi) */
    C_PREP,           /* OF, DE, DER ...: Branch of, Sucursal de */
    C_VESSEL_PREFIX,  /* M/V, M/T */
    C_VOYAGE,         /* V, VOY, VOYAGE: before a voyage number */
    C_VESSEL_ID,      /* IMO, MMSI */
    C_FLAG,
    C_NAME_END,       /* a word that ends a company name: LTD, GMBH, BANK */
    C_COUNTRY,
    N_CLASSES
};

/* Each class's phrases, '|' between phrases, ' ' between the words of
 * one; written as the tokens' keys are (upper case, accents dropped, dots
 * dropped, slashes kept; Cyrillic in upper case). */
static const struct {
    enum cls cls;
    const char *phrases;
} phrase_table[] = {
    {C_LABEL,
     "BENEFICIARY|ORDERING|CUSTOMER|INSTITUTION|INTERMEDIARY|ACCOUNT|NAME|PARTY|SHIPPER|"
     "CONSIGNEE|CONSIGNOR|NOTIFY|EXPORTER|IMPORTER|BUYER|SELLER|APPLICANT|REMITTER|SENDER|"
     "RECEIVER|PAYER|PAYEE|DEBTOR|CREDITOR|ULTIMATE|ORIGINATOR|MANUFACTURER|FORWARDER|CARRIER|"
     "DRAWEE|DRAWER|VENDOR|SUPPLIER|PURCHASER|END|USER|FINAL|INTERMEDIATE|ADDRESS|BILL|SHIP|"
     "SOLD|DELIVER|DELIVERY|ISSUING|ADVISING|CONFIRMING|NEGOTIATING|CORRESPONDENT|FREIGHT|"
     "BANK|TO|FROM|ADDRESSEE|DETAILS|AGENT|PRINCIPAL|EMPFANGER|ABSENDER|AUFTRAGGEBER|"
     "BEGUNSTIGTER|BENEFICIAIRE|EXPEDITEUR|DESTINATAIRE|DONNEUR|ORDRE|BENEFICIARIO|ORDENANTE|"
     "REMITENTE|DESTINATARIO|EXPORTADOR|IMPORTADOR|ODBIORCA|NADAWCA|ПОЛУЧАТЕЛЬ|ОТПРАВИТЕЛЬ|"
     "ПЛАТЕЛЬЩИК"},
    {C_LABEL_STOP, "AND|OF|THE|WITH|FOR|BY|D"},
    {C_TAG_INTRO, "FIELD|TAG"},
    {C_ACCOUNT, "ACCOUNT|ACCT|A/C|IBAN|ACCOUNT NUMBER|ACC"},
    {C_NUMBER_WORD, "NO|NUMBER|NR|NUM|NBR|N"},
    {C_CARE_OF,
     "C/O|CARE OF|IN CARE OF|ATTN|ATTENTION|FAO|FOR THE ATTENTION OF|Z HD|ON BEHALF OF|"
     "FOR AND ON BEHALF OF|O/B/O|FOR ACCOUNT OF|FOR THE ACCOUNT OF"},
    {C_POBOX,
     "PO BOX|P O BOX|POST BOX|POSTBOX|POB|POST OFFICE BOX|POSTFACH|BOITE POSTALE|APARTADO|"
     "APARTADO POSTAL|CAIXA POSTAL|CASILLA|POSTBUS|POSTBOKS|SKRYTKA POCZTOWA|GPO BOX"},
    {C_STREET,
     "STREET|ROAD|AVENUE|BOULEVARD|BLVD|LANE|HIGHWAY|STRASSE|STR|GASSE|PLATZ|ULITSA|ULICA|UL|"
     "PROSPEKT|PEREULOK|SHOSSE|CALLE|CARRERA|AVENIDA|RUA|RUE|VIALE|PIAZZA|JALAN|JLN|JL|LORONG|"
     "SOI|THANON|MARG|NAGAR|BUILDING|BLDG|TOWER|FLOOR|SUITE|ROOM|RM|UNIT|FLAT|APT|APARTMENT|"
     "BLOCK|BLK|PLOT|DISTRICT|PROVINCE|ZIP|POSTCODE|POSTAL CODE|STRAAT|LAAN|PLEIN|SOKAK|"
     "SOKAGI|CADDESI|CAD|MAHALLESI|MAH|GEDUNG|LANTAI|KAWASAN|PERSIARAN|ZONE|INDUSTRIAL AREA|"
     "INDUSTRIAL ESTATE|FREE ZONE|УЛ|УЛИЦА|ПРОСПЕКТ|ДОМ"},
    {C_REGISTRY,
     "REG|REGN|REGISTRATION|REGISTRY|REGISTERED|REGISTER|COMPANY NO|COMPANY NUMBER|CO NO|CRN|"
     "COMMERCIAL REGISTRATION|COMMERCIAL REGISTER|COMMERCIAL REGISTRY|TRADE REGISTER|"
     "COMPANY REGISTRATION|CHAMBER OF COMMERCE|BUSINESS REGISTRATION|"
     "CR|KRS|NIP|REGON|INN|OGRN|OGRNIP|KPP|OKPO|EDRPOU|USREOU|UNP|BIN|IIN|STIR|EIN|TIN|VAT|"
     "TAX ID|TAX NO|TAX NUMBER|TAX|UEN|ABN|ACN|CIN|SIREN|SIRET|RCS|HRB|HRA|CNPJ|RUC|RFC|NIT|"
     "RUT|CVR|KVK|ORG NR|ORGNR|ICO|DIC|OIB|MBS|NPWP|ROC|BRN|LEI|DUNS|TRADE LICENSE|"
     "TRADE LICENCE|LICENSE|LICENCE|ИНН|ОГРН|КПП|ЕГРПОУ"},
    {C_FORMER,
     "EX|FORMERLY|FORMERLY KNOWN AS|FORMERLY CALLED|FORMERLY NAMED|F/K/A|FKA|PREVIOUSLY|"
     "PREVIOUSLY KNOWN AS|PREVIOUSLY CALLED|FORMER NAME|FORMER NAMES|OLD NAME|PRIOR NAME|"
     "RENAMED FROM|EHEMALS|VORMALS|FRUHER|ANCIENNEMENT|ANTERIORMENTE|"
     "ANTIGUAMENTE|DAWNIEJ|POPRZEDNIO|VOORHEEN|TIDIGARE|TIDLIGERE|ENTINEN|РАНЕЕ|БЫВШ|БЫВШЕЕ|"
     "БЫВШИЙ|ПРЕЖНЕЕ"},
    {C_AKA, "AKA|A/K/A|ALSO KNOWN AS|ALIAS|OTHERWISE KNOWN AS|ALSO CALLED"},
    {C_LATER,
     "NOW|NOW KNOWN AS|NOW CALLED|CURRENTLY|CURRENTLY KNOWN AS|RENAMED|RENAMED TO|RENAMED AS|"
     "NEW NAME|PRESENTLY|HEUTE|JETZT|ACTUELLEMENT|AHORA|ATUALMENTE|OBECNIE|ТЕПЕРЬ|НЫНЕ"},
    {C_WEAK, "EX|NOW|CURRENTLY|PRESENTLY|ALIAS|HEUTE|JETZT|AHORA|RENAMED"},
    {C_TRADING_AS,
     "DBA|D/B/A|DOING BUSINESS AS|T/A|TRADING AS|ALSO TRADING AS|TRADE NAME|TRADING NAME"},
    {C_BRANCH_BEFORE,
     "BRANCH|BRANCH OFFICE|REPRESENTATIVE OFFICE|REP OFFICE|REPRESENTATION OFFICE|"
     "LIAISON OFFICE"},
    {C_BRANCH_WORD, "SUBESI|SUBE"},
    {C_BRANCH_AFTER,
     "ZWEIGNIEDERLASSUNG|NIEDERLASSUNG|ZWEIGSTELLE|SUCURSAL|SUCCURSALE|FILIALE|FILIAL|ODDZIAL|"
     "SIVULIIKE|FILIAAL|BIJKANTOOR|SUCURSALA|PODRUZNICA|POBOCKA|ORGANIZACNI SLOZKA|"
     "ORGANIZACNA ZLOZKA|FIOKTELEP|FILIALAS|CHI NHANH|ФИЛИАЛ"},
    {C_PREP, "OF|DE|DEL|DA|DO|DI|DER|DES|DU|D|AF|IN|EN|W|I|V|ZU"},
    {C_VESSEL_PREFIX, "M/V|M/T|M/S|MV|MT"},
    {C_VOYAGE, "V|VOY|VOYAGE|VOYAGE NO"},
    {C_VESSEL_ID, "IMO|MMSI|CALL SIGN|CALLSIGN"},
    {C_FLAG, "FLAG|FLAGGED|FLAG STATE|FLAGGED IN|FLAG OF"},
    {C_NAME_END,
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
    uint16_t cjk_branch;            /* the id of C_BRANCH_TAIL's one word */
    phrase phrases[MAX_PHRASES];
    size_t n_phrases;
} K;

static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static uint64_t key_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

/* key's id (h: key_hash of it), NO_KW if it is no keyword */
static uint16_t word_lookup_hashed(const char *key, size_t n, uint64_t h)
{
    if (!n || n > KEY_MAX) return NO_KW;
    for (size_t i = h & (VOCAB_SLOTS - 1);; i = (i + 1) & (VOCAB_SLOTS - 1)) {
        uint16_t s = K.slot[i];
        if (!s) return NO_KW;
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
    if (id != NO_KW) return id;
    if (n > KEY_MAX || K.n_words >= MAX_WORDS || K.pool_len + n > POOL) return NO_KW;
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

/* The key of a word as the tables write it: ASCII letters in upper case,
 * Latin letters with accents as their base letter, Cyrillic in upper
 * case, dots dropped. Returns its length (KEY_MAX + 1: too long). */
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
        } else {
            out[n++] = (char)b;
        }
    }
    return n;
}

static void add_phrase(enum cls cls, const char *p, size_t len)
{
    phrase ph = {(uint8_t)cls, 0, {0}};
    char key[KEY_MAX + 2];
    for (size_t i = 0; i < len;) {
        size_t j = i;
        while (j < len && p[j] != ' ') j++;
        size_t kl = fold_key((const unsigned char *)p + i, j - i, key);
        if (ph.n == MAX_PHRASE || kl > KEY_MAX) return;
        uint16_t id = word_intern(key, kl);
        if (id == NO_KW) return;
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

static void add_phrases(enum cls cls, const char *list)
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
 * second column), as phrases of C_COUNTRY. */
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
        if (n) add_phrase(C_COUNTRY, buf, n);
    }
}

static void tables_init(void)
{
    for (size_t t = 0; t < sizeof phrase_table / sizeof phrase_table[0]; t++)
        add_phrases(phrase_table[t].cls, phrase_table[t].phrases);
    add_phrases(C_COUNTRY, country_short);
    /* a key no text folds to: the words cjk_branch_tail finds */
    add_phrase(C_BRANCH_TAIL, "\x01", 1);
    K.cjk_branch = word_lookup("\x01", 1);
    add_reference_countries();
    qsort(K.phrases, K.n_phrases, sizeof *K.phrases, cmp_phrase);
    size_t p = 0;
    for (uint16_t id = 0; id <= K.n_words; id++) {
        K.multi_at[id] = (uint16_t)p;
        while (p < K.n_phrases && K.phrases[p].w[0] == id) p++;
    }
}

/* ---- tokens ---- */

typedef struct ctok {
    uint32_t at, len;               /* bytes of the text */
    uint16_t kw;                    /* keyword id, NO_KW if none */
    char punct;                     /* 0: a word; else the mark ('-' for dashes) */
    bool joined;                    /* single letters joined by '.' or '/' (P.O., C/O) */
    bool lower;                     /* written in lower case */
    bool space_before;
    uint8_t digits;                 /* how many digits the word has (at most 255) */
    uint8_t alnum;                  /* how many letters and digits (at most 255) */
} ctok;

struct dv_cleaner {
    ctok t[MAX_CTOKS];
    uint8_t role[MAX_CTOKS];        /* owner: 0 the name, 1.. an alias; R_ASIDE, R_DROP */
    size_t n;
    const char *src;                /* borrowed: the text being cleaned */
    size_t src_len;
    dv_clean_part parts[DV_CLEAN_MAX_PARTS];
    uint8_t part_owner[DV_CLEAN_MAX_PARTS]; /* for an alias part: its owner */
    size_t n_parts;
    size_t n_aliases;               /* owners 1..n_aliases */
    dv_buf text;                    /* the names, NUL after each */
    size_t name_at[DV_CLEAN_MAX_NAMES], name_len[DV_CLEAN_MAX_NAMES];
    int name_part[DV_CLEAN_MAX_NAMES]; /* the part an alias comes from; -1 */
    size_t n_names;
    bool as_given;                  /* name 0 is the text itself */
};

dv_cleaner *dv_cleaner_new(void)
{
    pthread_once(&tables_once, tables_init);
    return dv_xcalloc(1, sizeof(dv_cleaner));
}

void dv_cleaner_free(dv_cleaner *c)
{
    if (!c) return;
    dv_buf_free(&c->text);
    free(c);
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

static void finish_word(ctok *t, const unsigned char *s);

/* The text into tokens; false when it has more than MAX_CTOKS. */
static bool lex(dv_cleaner *c, const unsigned char *s, size_t len)
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
        if (c->n == MAX_CTOKS) return false;
        ctok *t = &c->t[c->n++];
        memset(t, 0, sizeof *t);
        t->at = (uint32_t)i;
        t->kw = NO_KW;
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
        if (tail_at > i && tail_at < j && c->n < MAX_CTOKS) {
            /* 銀行ニューヨーク支店: the bank's name, then its branch */
            ctok *u = &c->t[c->n++];
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
static void finish_word(ctok *t, const unsigned char *s)
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
    t->kw = kl <= KEY_MAX ? word_lookup_hashed(key, kl, h) : NO_KW;
}

/* ---- reading the tokens ---- */

static bool is_word(const dv_cleaner *c, size_t i) { return i < c->n && !c->t[i].punct; }
static bool is_mark(const dv_cleaner *c, size_t i, char m) { return i < c->n && c->t[i].punct == m; }

static bool has_class(const dv_cleaner *c, size_t i, enum cls cls)
{
    return is_word(c, i) && c->t[i].kw != NO_KW && (K.single[c->t[i].kw] & (1u << cls));
}

/* The end (the token after it) of the longest phrase of class cls that
 * starts at token i and lies before end, its tokens all of owner `owner`
 * (or any owner, when owner < 0); 0 when none. Dots may stand between
 * its words (Reg. No.). */
static size_t phrase_at(const dv_cleaner *c, size_t i, size_t end, enum cls cls, int owner)
{
    if (i >= end || !is_word(c, i) || c->t[i].kw == NO_KW) return 0;
    if (owner >= 0 && c->role[i] != owner) return 0;
    uint16_t id = c->t[i].kw;
    for (size_t p = K.multi_at[id]; p < K.multi_at[id + 1]; p++) {
        const phrase *ph = &K.phrases[p];
        if (ph->cls != cls) continue;
        size_t k = i + 1;
        bool ok = true;
        for (size_t w = 1; w < ph->n && ok; w++) {
            while (k < end && is_mark(c, k, '.')) k++;
            ok = k < end && is_word(c, k) && c->t[k].kw == ph->w[w] &&
                 (owner < 0 || c->role[k] == owner);
            k++;
        }
        if (ok) return k;
    }
    return (K.single[id] & (1u << cls)) ? i + 1 : 0;
}

/* A word whose characters are all digits, or a mix of digits and
 * capital letters with at least as many digits (an account or registry
 * number, a postcode). */
static bool numberish(const dv_cleaner *c, size_t i)
{
    return is_word(c, i) && c->t[i].digits && c->t[i].digits * 2 >= c->t[i].alnum;
}

/* A SWIFT field number: two digits and at most one letter (59, 50K). */
static bool swift_tag(const dv_cleaner *c, size_t i)
{
    if (!is_word(c, i)) return false;
    const ctok *t = &c->t[i];
    const char *s = c->src + t->at;
    if (t->len < 2 || t->len > 3) return false;
    if (!(s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9')) return false;
    return t->len == 2 || ascii_alpha((unsigned char)s[2]);
}

/* An IBAN: two letters, two digits, then ten letters or digits or more. */
static bool iban(const dv_cleaner *c, size_t i)
{
    if (!is_word(c, i)) return false;
    const ctok *t = &c->t[i];
    const char *s = c->src + t->at;
    return t->len >= 14 && t->len <= 34 && t->alnum == t->len && ascii_alpha((unsigned char)s[0]) &&
           ascii_alpha((unsigned char)s[1]) && s[2] >= '0' && s[2] <= '9' && s[3] >= '0' &&
           s[3] <= '9';
}

/* A voyage number: digits with at most two letters (045W, 123E, 12). */
static bool voyage_number(const dv_cleaner *c, size_t i)
{
    return is_word(c, i) && c->t[i].digits && c->t[i].alnum - c->t[i].digits <= 2;
}

/* Set tokens [a, b) of owner `owner` (any, if < 0) aside as a part of
 * kind k. */
static void aside(dv_cleaner *c, size_t a, size_t b, dv_clean_kind k, int owner)
{
    if (a >= b || c->n_parts == DV_CLEAN_MAX_PARTS) return;
    size_t first = b, last = a;
    for (size_t i = a; i < b; i++) {
        if (owner >= 0 && c->role[i] != owner) continue;
        if (c->role[i] == R_ASIDE) continue;
        c->role[i] = R_ASIDE;
        if (first == b) first = i;
        last = i;
    }
    if (first == b) return;
    /* the part as shown: without the separators that led to it */
    while (first < last && c->t[first].punct && c->t[first].punct != '(' && c->t[first].punct != '/' &&
           c->t[first].punct != ':')
        first++;
    const ctok *f = &c->t[first], *l = &c->t[last];
    c->parts[c->n_parts] = (dv_clean_part){k, f->at, l->at + l->len - f->at};
    c->part_owner[c->n_parts] = 0;
    c->n_parts++;
}

/* Tokens [a, b) become alias number c->n_aliases + 1, of kind k; false if
 * there is no room or no word among them. */
static bool alias(dv_cleaner *c, size_t a, size_t b, dv_clean_kind k)
{
    while (a < b && c->t[a].punct && c->t[a].punct != '(') a++;
    while (b > a && c->t[b - 1].punct && c->t[b - 1].punct != ')' && c->t[b - 1].punct != '.') b--;
    bool word = false;
    for (size_t i = a; i < b; i++) word |= is_word(c, i);
    if (!word || c->n_aliases + 1 >= DV_CLEAN_MAX_NAMES || c->n_parts == DV_CLEAN_MAX_PARTS)
        return false;
    uint8_t owner = (uint8_t)++c->n_aliases;
    for (size_t i = a; i < b; i++) c->role[i] = owner;
    const ctok *f = &c->t[a], *l = &c->t[b - 1];
    c->parts[c->n_parts] = (dv_clean_part){k, f->at, l->at + l->len - f->at};
    c->part_owner[c->n_parts] = owner;
    c->n_parts++;
    return true;
}

/* Whether a word of owner `owner` stands in [a, b). */
static bool word_in(const dv_cleaner *c, size_t a, size_t b, int owner)
{
    for (size_t i = a; i < b; i++)
        if (is_word(c, i) && c->role[i] == owner) return true;
    return false;
}

/* ---- the rules ---- */

/* Labels, SWIFT field tags and account lines before the name; returns
 * the first token of what follows. */
static size_t leading(dv_cleaner *c)
{
    size_t p = 0;
    for (;;) {
        while (is_mark(c, p, '\n')) c->role[p++] = R_DROP;
        size_t q = 0;
        dv_clean_kind kind = DV_CLEAN_LABEL;
        if (is_mark(c, p, ':') && swift_tag(c, p + 1) && is_mark(c, p + 2, ':')) {
            q = p + 3; /* :59: */
        } else if (swift_tag(c, p) && is_mark(c, p + 1, ':')) {
            q = p + 2; /* 59: */
        } else if (has_class(c, p, C_TAG_INTRO) && swift_tag(c, p + 1)) {
            q = p + 2; /* FIELD 59 */
            if (is_mark(c, q, ':')) q++;
        } else if (has_class(c, p, C_LABEL) || has_class(c, p, C_ACCOUNT)) {
            /* label words, then a colon: BENEFICIARY CUSTOMER: */
            size_t k = p, words = 0, content = 0;
            while (k < c->n && words < 6) {
                if (is_word(c, k) && (has_class(c, k, C_LABEL) || has_class(c, k, C_LABEL_STOP) ||
                                      has_class(c, k, C_ACCOUNT))) {
                    words++;
                    content += !has_class(c, k, C_LABEL_STOP);
                    k++;
                } else if (words && (is_mark(c, k, '-') || is_mark(c, k, '/')) && is_word(c, k + 1)) {
                    k++;
                } else {
                    break;
                }
            }
            /* and a field number: BENEFICIARY (59): */
            if (is_mark(c, k, '(') && swift_tag(c, k + 1) && is_mark(c, k + 2, ')')) k += 3;
            if (content && (is_mark(c, k, ':') || is_mark(c, k, '\n'))) q = k + 1;
        }
        if (!q) {
            /* an account: /DE89..., ACCOUNT NO 12345, or an IBAN after a label */
            kind = DV_CLEAN_ACCOUNT;
            if (is_mark(c, p, '/') && numberish(c, p + 1) && !c->t[p + 1].space_before) {
                q = p + 2;
            } else if (phrase_at(c, p, c->n, C_ACCOUNT, -1)) {
                size_t k = phrase_at(c, p, c->n, C_ACCOUNT, -1);
                while (is_mark(c, k, ':') || is_mark(c, k, '.') || is_mark(c, k, '#') ||
                       has_class(c, k, C_NUMBER_WORD))
                    k++;
                if (numberish(c, k) || iban(c, k)) q = k + 1;
            } else if (iban(c, p) || ((p > 0 || is_mark(c, p + 1, '\n')) && numberish(c, p) &&
                                      c->t[p].digits >= 6)) {
                q = p + 1;
            }
            /* an IBAN or number written in groups */
            while (q && q < c->n && numberish(c, q) && c->t[q].alnum <= 4 && !is_mark(c, q - 1, '\n')) q++;
        }
        if (!q || q >= c->n || !word_in(c, q, c->n, 0)) return p;
        aside(c, p, q, kind, -1);
        p = q;
    }
}

static bool separator(const dv_cleaner *c, size_t i)
{
    return is_mark(c, i, ',') || is_mark(c, i, ';') || is_mark(c, i, '-') || is_mark(c, i, ':') ||
           is_mark(c, i, '/') || is_mark(c, i, '|');
}

/* A separator between parts of a text, not inside a word: a dash or a
 * slash with a space on one side at least (Al-Noor is one word). */
static bool spaced_separator(const dv_cleaner *c, size_t i)
{
    if (!separator(c, i)) return false;
    if (!is_mark(c, i, '-') && !is_mark(c, i, '/')) return true;
    return c->t[i].space_before || (i + 1 < c->n && c->t[i + 1].space_before);
}

/* Registry evidence at token i: a registry keyword, then (after marks and
 * NO) a number. Returns the token after the number, or 0. */
static size_t registry_at(const dv_cleaner *c, size_t i, size_t end, int owner)
{
    size_t k = phrase_at(c, i, end, C_REGISTRY, owner);
    if (!k) return 0;
    while (k < end && (is_mark(c, k, ':') || is_mark(c, k, '.') || is_mark(c, k, '#') ||
                       is_mark(c, k, '-') || has_class(c, k, C_NUMBER_WORD) ||
                       phrase_at(c, k, end, C_REGISTRY, owner)))
        k = phrase_at(c, k, end, C_REGISTRY, owner) ? phrase_at(c, k, end, C_REGISTRY, owner) : k + 1;
    if (k >= end || !numberish(c, k) || c->t[k].digits < 3) return 0;
    k++;
    /* a number in groups: 12 345 678, 1234-5678 */
    while (k < end && (numberish(c, k) || ((is_mark(c, k, '-') || is_mark(c, k, '/')) &&
                                           numberish(c, k + 1))))
        k++;
    return k;
}

/* What a segment [a, b) of the text is, if an address or a registry
 * number: a number, a street word or a post-office box. -1: neither. */
static int segment_evidence(const dv_cleaner *c, size_t a, size_t b)
{
    bool number = false, street = false;
    for (size_t k = a; k < b; k++) {
        if (registry_at(c, k, b, -1)) return DV_CLEAN_REGISTRY;
        if (!is_word(c, k)) continue;
        number |= c->t[k].digits > 0;
        street |= phrase_at(c, k, b, C_STREET, -1) || phrase_at(c, k, b, C_POBOX, -1);
    }
    return number || street ? DV_CLEAN_ADDRESS : -1;
}

/* A segment that is a country's name and nothing else. */
static bool country_segment(const dv_cleaner *c, size_t a, size_t b)
{
    while (a < b && c->t[a].punct) a++;
    while (b > a && c->t[b - 1].punct && c->t[b - 1].punct != ')') b--;
    if (a >= b) return false;
    size_t k = phrase_at(c, a, b, C_COUNTRY, -1);
    while (k && k < b && is_mark(c, k, '.')) k++;
    return k == b;
}

static size_t alias_phrase(const dv_cleaner *c, size_t i, size_t end, int owner,
                           dv_clean_kind *kind);

/* Where the name ends and what follows it is set aside: a care-of part, a
 * post-office box, or a segment after a comma that is an address or a
 * registry number (and everything after those). Returns the new end. */
static size_t tail(dv_cleaner *c, size_t p, size_t end)
{
    int depth = 0;
    for (size_t i = p; i < end; i++) {
        if (is_mark(c, i, '(') || is_mark(c, i, '[')) depth++;
        if ((is_mark(c, i, ')') || is_mark(c, i, ']')) && depth > 0) depth--;
        if (depth || !word_in(c, p, i, 0)) continue;
        size_t from = i > p && (is_mark(c, i - 1, ',') || is_mark(c, i - 1, '-')) ? i - 1 : i;
        if (phrase_at(c, i, end, C_CARE_OF, 0)) {
            aside(c, from, end, DV_CLEAN_CARE_OF, -1);
            return from;
        }
        size_t box = phrase_at(c, i, end, C_POBOX, 0);
        while (box && box < end && (is_mark(c, box, '.') || is_mark(c, box, ':') ||
                                    is_mark(c, box, '#') || has_class(c, box, C_NUMBER_WORD)))
            box++;
        if (box && numberish(c, box)) {
            aside(c, from, end, DV_CLEAN_ADDRESS, -1);
            return from;
        }
        if (!is_mark(c, i, ',')) continue;
        size_t j = i + 1;
        int d = 0;
        while (j < end && (d || !is_mark(c, j, ','))) {
            if (is_mark(c, j, '(')) d++;
            if (is_mark(c, j, ')') && d) d--;
            j++;
        }
        int ev = segment_evidence(c, i + 1, j);
        /* a city and a country last, after a name of two words at least
         * (a country alone after a comma is no evidence: Ministry of
         * Defence, Iran names the ministry; Smith, Georgia a person) */
        size_t before = 0;
        for (size_t m = p; m < i; m++) before += is_word(c, m) && c->role[m] == 0;
        /* after a name that ends in its legal form, a place: Korvanta
         * Trading FZE, Dubai (not another form: Samsung C&T Co, Ltd; not
         * a branch or a former name, which their rules read) */
        size_t last = i;
        while (last > p && is_mark(c, last - 1, '.')) last--;
        if (ev < 0 && before >= 2 && last > p && has_class(c, last - 1, C_NAME_END)) {
            size_t words = 0;
            bool other = false;
            dv_clean_kind kind;
            for (size_t m = i + 1; m < j; m++) {
                if (!is_word(c, m)) continue;
                words++;
                other |= has_class(c, m, C_NAME_END) || phrase_at(c, m, j, C_BRANCH_BEFORE, 0) ||
                         phrase_at(c, m, j, C_BRANCH_AFTER, 0) || has_class(c, m, C_BRANCH_WORD) ||
                         has_class(c, m, C_BRANCH_TAIL) || alias_phrase(c, m, j, 0, &kind) ||
                         phrase_at(c, m, j, C_CARE_OF, 0);
            }
            if (words && words <= 4 && !other) ev = DV_CLEAN_ADDRESS;
        }
        if (ev < 0 && before >= 2 && j < end) {
            /* a city, then the country last: , Dubai, UAE */
            size_t k = j + 1;
            while (k < end && !is_mark(c, k, ',')) k++;
            size_t words = 0;
            bool name_end = false;
            for (size_t m = i + 1; m < j; m++) {
                words += is_word(c, m);
                name_end |= has_class(c, m, C_NAME_END);
            }
            if (k == end && words && words <= 3 && !name_end && country_segment(c, j + 1, end))
                ev = DV_CLEAN_ADDRESS;
        }
        if (ev >= 0) {
            aside(c, i, end, (dv_clean_kind)ev, -1);
            return i;
        }
    }
    return end;
}

/* An alias phrase at token i (former, other or trading name): its end,
 * and the kind in *kind; 0 if none. */
static size_t alias_phrase(const dv_cleaner *c, size_t i, size_t end, int owner, dv_clean_kind *kind)
{
    size_t k;
    if ((k = phrase_at(c, i, end, C_FORMER, owner))) *kind = DV_CLEAN_FORMER;
    else if ((k = phrase_at(c, i, end, C_AKA, owner))) *kind = DV_CLEAN_AKA;
    else if ((k = phrase_at(c, i, end, C_TRADING_AS, owner))) *kind = DV_CLEAN_TRADING_AS;
    else if ((k = phrase_at(c, i, end, C_LATER, owner))) *kind = DV_CLEAN_LATER;
    return k;
}

/* Whether the content [a, b) of parentheses says something about a
 * vessel: a voyage number, a flag, an IMO or MMSI number. */
static bool vessel_content(const dv_cleaner *c, size_t a, size_t b)
{
    for (size_t k = a; k < b; k++) {
        if (phrase_at(c, k, b, C_FLAG, -1)) return true;
        if (phrase_at(c, k, b, C_VESSEL_ID, -1)) {
            size_t m = phrase_at(c, k, b, C_VESSEL_ID, -1);
            while (m < b && (is_mark(c, m, ':') || is_mark(c, m, '.') || is_mark(c, m, '#') ||
                             has_class(c, m, C_NUMBER_WORD)))
                m++;
            if (numberish(c, m)) return true;
        }
    }
    size_t k = phrase_at(c, a, b, C_VOYAGE, -1);
    if (k) {
        while (k < b && (is_mark(c, k, '.') || is_mark(c, k, ':') || is_mark(c, k, '#') ||
                         has_class(c, k, C_NUMBER_WORD)))
            k++;
        return voyage_number(c, k);
    }
    /* V123E */
    if (is_word(c, a) && c->src[c->t[a].at] == 'V' && c->t[a].len >= 3 && c->t[a].digits &&
        c->t[a].alnum == c->t[a].len && c->t[a].len - c->t[a].digits <= 2 && a + 1 == b)
        return true;
    return false;
}

/* Parentheses at depth 0 in [p, end): a former, other or trading name
 * becomes an alias; a branch, a vessel's details, a registry number, an
 * address or a label is set aside; anything else stays (a list name's
 * "A (B)" is two names, screen_index.c). */
static void parentheses(dv_cleaner *c, size_t p, size_t end)
{
    for (size_t i = p; i < end; i++) {
        if (c->role[i] != 0 || !(is_mark(c, i, '(') || is_mark(c, i, '['))) continue;
        char close = is_mark(c, i, '(') ? ')' : ']';
        size_t j = i + 1;
        int d = 0;
        while (j < end && (d || !is_mark(c, j, close))) {
            if (is_mark(c, j, c->t[i].punct)) d++;
            if (is_mark(c, j, close) && d) d--;
            j++;
        }
        if (j >= end) return; /* not closed */
        size_t a = i + 1, b = j;
        dv_clean_kind kind;
        size_t k = alias_phrase(c, a, b, 0, &kind);
        bool label = word_in(c, a, b, 0);
        for (size_t m = a; m < b && label; m++)
            label = !is_word(c, m) || has_class(c, m, C_LABEL) || has_class(c, m, C_LABEL_STOP);
        bool branch = false, street = false;
        for (size_t m = a; m < b; m++) {
            branch |= phrase_at(c, m, b, C_BRANCH_BEFORE, 0) || phrase_at(c, m, b, C_BRANCH_AFTER, 0) ||
                      phrase_at(c, m, b, C_BRANCH_WORD, 0) || has_class(c, m, C_BRANCH_TAIL);
            street |= phrase_at(c, m, b, C_STREET, 0) || phrase_at(c, m, b, C_POBOX, 0);
        }
        if (k && word_in(c, p, i, 0) && alias(c, k, b, kind)) {
            for (size_t m = i; m < k; m++) c->role[m] = R_DROP;
            c->role[j] = R_DROP;
        } else if (branch && word_in(c, p, i, 0)) {
            aside(c, i, j + 1, DV_CLEAN_BRANCH, 0);
        } else if (vessel_content(c, a, b)) {
            aside(c, i, j + 1, DV_CLEAN_VESSEL, 0);
        } else if (registry_at(c, a, b, 0) || (street && word_in(c, p, i, 0))) {
            aside(c, i, j + 1, street ? DV_CLEAN_ADDRESS : DV_CLEAN_REGISTRY, 0);
        } else if (label && word_in(c, p, i, 0)) {
            aside(c, i, j + 1, DV_CLEAN_LABEL, 0);
        }
        i = j;
    }
}

/* Former, other and trading names written inline at depth 0: NEW f/k/a
 * OLD, NEW, formerly OLD, NEW ex OLD. The alias runs to a semicolon, the
 * next such phrase, or the end. */
static void inline_aliases(dv_cleaner *c, size_t p, size_t end)
{
    int depth = 0;
    for (size_t i = p; i < end; i++) {
        if (is_mark(c, i, '(')) depth++;
        if (is_mark(c, i, ')') && depth) depth--;
        if (depth || c->role[i] != 0 || !word_in(c, p, i, 0)) continue;
        dv_clean_kind kind;
        size_t k = alias_phrase(c, i, end, 0, &kind);
        if (!k) continue;
        bool sep_before = i > p && (separator(c, i - 1) && c->t[i - 1].punct != '/');
        if (k == i + 1 && has_class(c, i, C_WEAK)) {
            /* EX, NOW ...: only as ex-, ex., in lower case, after a
             * separator, or (EX) in capitals after two words */
            bool marked = (is_mark(c, k, '-') || is_mark(c, k, '.') || is_mark(c, k, ':')) &&
                          !c->t[k].space_before;
            size_t words = 0;
            for (size_t m = p; m < i; m++) words += is_word(c, m) && c->role[m] == 0;
            size_t after = 0;
            for (size_t m = k; m < end && after < 2; m++) after += is_word(c, m) && c->role[m] == 0;
            bool capitals = kind == DV_CLEAN_FORMER && c->t[i].len == 2 && words >= 2 && after >= 2 &&
                            !has_class(c, k, C_NAME_END);
            if (!marked && !c->t[i].lower && !sep_before && !capitals) continue;
        }
        if (!is_word(c, k) && !(is_mark(c, k, '-') || is_mark(c, k, ':') || is_mark(c, k, '.') ||
                                is_mark(c, k, '"')))
            continue;
        size_t j = k;
        while (j < end && !is_mark(c, j, ';')) {
            dv_clean_kind other;
            if (j > k + 1 && c->role[j] == 0 && alias_phrase(c, j, end, 0, &other) &&
                (!has_class(c, j, C_WEAK) || c->t[j].lower)) break;
            j++;
        }
        size_t from = sep_before ? i - 1 : i;
        /* the alias takes only what is still the name's */
        size_t b = k;
        while (b < j && c->role[b] == 0) b++;
        if (!alias(c, k, b, kind)) continue;
        for (size_t m = from; m < k; m++) c->role[m] = R_DROP;
        i = b - 1;
    }
}

/* The tokens of owner o, in order: into idx, returns how many. */
static size_t owned(const dv_cleaner *c, int o, uint16_t *idx)
{
    size_t m = 0;
    for (size_t i = 0; i < c->n; i++)
        if (c->role[i] == o) idx[m++] = (uint16_t)i;
    return m;
}

/* Registry numbers, a vessel's details and branches inside the name or
 * one alias (owner o). */
static void inside(dv_cleaner *c, int o)
{
    uint16_t idx[MAX_CTOKS];
    size_t m = owned(c, o, idx);
    if (!m) return;
    size_t first_word = 0;
    while (first_word < m && !is_word(c, idx[first_word])) first_word++;
    size_t span_end = idx[m - 1] + 1;
    for (size_t x = first_word + 1; x < m; x++) {
        size_t i = idx[x];
        if (c->role[i] != o || !word_in(c, idx[0], i, o)) continue;
        size_t from = separator(c, i - 1) && c->role[i - 1] == o ? i - 1 : i;
        size_t k;
        if ((k = registry_at(c, i, span_end, o))) {
            aside(c, from, k, DV_CLEAN_REGISTRY, o);
            continue;
        }
        if ((k = phrase_at(c, i, span_end, C_VESSEL_ID, o))) {
            while (k < span_end && (is_mark(c, k, ':') || is_mark(c, k, '.') || is_mark(c, k, '#') ||
                                    has_class(c, k, C_NUMBER_WORD)))
                k++;
            if (numberish(c, k)) aside(c, from, k + 1, DV_CLEAN_VESSEL, o);
            continue;
        }
        if ((k = phrase_at(c, i, span_end, C_VOYAGE, o)) && c->t[i].len >= 1) {
            bool marked = k > i + 1 || (is_mark(c, k, '.') && !c->t[k].space_before);
            while (k < span_end && (is_mark(c, k, '.') || is_mark(c, k, ':') || is_mark(c, k, '#') ||
                                    has_class(c, k, C_NUMBER_WORD)))
                k++;
            if ((marked || c->t[i].len > 1) && voyage_number(c, k)) {
                aside(c, from, k + 1, DV_CLEAN_VESSEL, o);
                continue;
            }
        }
        if ((k = phrase_at(c, i, span_end, C_FLAG, o))) {
            if (is_mark(c, k, ':') || has_class(c, i, C_FLAG)) {
                /* FLAG: PANAMA, to the end of the segment; PANAMA FLAG(GED) */
                if (is_mark(c, k, ':') || (k < span_end && has_class(c, k, C_COUNTRY))) {
                    size_t e = k + 1;
                    while (e < span_end && !is_mark(c, e, ',') && !is_mark(c, e, ';')) e++;
                    aside(c, from, e, DV_CLEAN_VESSEL, o);
                } else if (x >= 2 && is_word(c, i - 1) && has_class(c, i - 1, C_COUNTRY)) {
                    aside(c, i - 1, k, DV_CLEAN_VESSEL, o);
                } else if (x >= 3 && is_mark(c, i - 1, '-') && has_class(c, i - 2, C_COUNTRY)) {
                    aside(c, i - 2, k, DV_CLEAN_VESSEL, o);
                }
            }
            continue;
        }
        if (has_class(c, i, C_BRANCH_TAIL)) {
            aside(c, i, i + 1, DV_CLEAN_BRANCH, o);
            continue;
        }
        if ((k = phrase_at(c, i, span_end, C_BRANCH_WORD, o))) {
            /* İstanbul Şubesi: the word before is the place */
            if (x >= 2 && is_word(c, i - 1) && c->role[i - 1] == o && word_in(c, idx[0], i - 1, o))
                aside(c, i - 1, k, DV_CLEAN_BRANCH, o);
            continue;
        }
        if ((k = phrase_at(c, i, span_end, C_BRANCH_AFTER, o))) {
            /* Zweigniederlassung Hamburg, Sucursal en España: to the end */
            if (word_in(c, idx[0], from, o)) aside(c, from, span_end, DV_CLEAN_BRANCH, o);
            break;
        }
        if ((k = phrase_at(c, i, span_end, C_BRANCH_BEFORE, o))) {
            /* Dubai Branch of NAME: what comes before goes, when no word
             * that ends a company's name stands before it */
            bool name_before = false;
            for (size_t y = 0; y < x; y++) name_before |= has_class(c, idx[y], C_NAME_END);
            if (is_word(c, k) && c->t[k].kw != NO_KW && c->t[k].len == 2 &&
                !memcmp(K.pool + K.key_at[c->t[k].kw], "OF", 2) && x <= 4 && !name_before &&
                word_in(c, k + 1, span_end, o)) {
                aside(c, idx[0], k + 1, DV_CLEAN_BRANCH, o);
                continue;
            }
            /* the place before: from the last separator, else after the
             * word that ends a company's name (within three words) */
            size_t start = 0;
            bool found = false;
            for (size_t y = x; y-- > first_word + 1 && !found;)
                if (spaced_separator(c, idx[y]) && word_in(c, idx[0], idx[y], o))
                    start = idx[y], found = true;
            for (size_t y = x, words = 0; !found && y-- > first_word && words <= 3;) {
                if (has_class(c, idx[y], C_NAME_END)) start = idx[y] + 1, found = true;
                words += is_word(c, idx[y]);
            }
            if (!found) {
                /* BRANCH last after three words or more: the word alone
                 * (Olive Branch, Green Olive Branch stay) */
                size_t words = 0;
                for (size_t y = 0; y < x; y++) words += is_word(c, idx[y]);
                if (words >= 3 && !word_in(c, k, span_end, o)) aside(c, i, k, DV_CLEAN_BRANCH, o);
                continue;
            }
            size_t e = k;
            while (e < span_end && !is_mark(c, e, ',') && !is_mark(c, e, ';') && !is_mark(c, e, '('))
                e++;
            if (word_in(c, idx[0], start, o)) aside(c, start, e, DV_CLEAN_BRANCH, o);
            continue;
        }
    }
    /* a branch word first: Sucursal de NAME, Filiale der NAME, Branch of
     * NAME, Representative Office of NAME */
    size_t k = 0;
    if (first_word + 2 < m && c->role[idx[first_word]] == o) {
        k = phrase_at(c, idx[first_word], span_end, C_BRANCH_AFTER, o);
        if (k && has_class(c, k, C_PREP)) k++;
        if (!k && (k = phrase_at(c, idx[first_word], span_end, C_BRANCH_BEFORE, o)))
            k = has_class(c, k, C_PREP) ? k + 1 : 0;
    }
    if (k && word_in(c, k, span_end, o)) aside(c, idx[first_word], k, DV_CLEAN_BRANCH, o);
    /* a vessel prefix, M/V EVER GIVEN: written with its slash or dots, or
     * MV, MT when the text says more of a vessel */
    bool vessel = false;
    for (size_t pi = 0; pi < c->n_parts; pi++) vessel |= c->parts[pi].kind == DV_CLEAN_VESSEL;
    size_t f = first_word < m ? idx[first_word] : 0;
    if (first_word < m && c->role[f] == o && has_class(c, f, C_VESSEL_PREFIX) &&
        (c->t[f].joined || vessel) && word_in(c, f + 1, span_end, o))
        aside(c, f, f + 1, DV_CLEAN_VESSEL, o);
}

/* Write owner o's tokens as a name: each run of its tokens as written,
 * runs joined by a space, marks at either end dropped. Returns whether it
 * holds a word. */
static bool write_name(dv_cleaner *c, int o)
{
    size_t a = 0, b = c->n;
    while (a < b && (c->role[a] != o || (c->t[a].punct && c->t[a].punct != '('))) a++;
    while (b > a && (c->role[b - 1] != o ||
                     (c->t[b - 1].punct && c->t[b - 1].punct != ')' && c->t[b - 1].punct != '.' &&
                      c->t[b - 1].punct != ']')))
        b--;
    if (!word_in(c, a, b, o)) return false;
    size_t start = c->text.len;
    for (size_t i = a; i < b;) {
        if (c->role[i] != o) {
            i++;
            continue;
        }
        size_t j = i;
        while (j + 1 < b && c->role[j + 1] == o && !is_mark(c, j + 1, '\n')) j++;
        if (c->text.len > start) dv_buf_add(&c->text, " ", 1);
        const ctok *l = &c->t[j];
        if (!is_mark(c, i, '\n'))
            dv_buf_add(&c->text, c->src + c->t[i].at, l->at + l->len - c->t[i].at);
        i = j + 1;
    }
    size_t len = c->text.len - start;
    dv_buf_add(&c->text, "", 1);  /* the NUL after it */
    c->text.len = start + len + 1;
    c->name_at[c->n_names] = start;
    c->name_len[c->n_names] = len;
    c->n_names++;
    return true;
}

/* The classes whose phrases start a rule by themselves, without a mark
 * or a number beside them. */
#define RULE_CLASSES                                                                          \
    ((1u << C_CARE_OF) | (1u << C_POBOX) | (1u << C_FORMER) | (1u << C_AKA) |                 \
     (1u << C_TRADING_AS) | (1u << C_LATER) | (1u << C_BRANCH_BEFORE) | (1u << C_BRANCH_AFTER) | \
     (1u << C_BRANCH_WORD) | (1u << C_BRANCH_TAIL) | (1u << C_FLAG) | (1u << C_VESSEL_PREFIX))

/* Whether a phrase of RULE_CLASSES starts at word i. */
static bool starts_rule(const dv_cleaner *c, size_t i)
{
    uint16_t id = c->t[i].kw;
    if (K.single[id] & RULE_CLASSES) return true;
    for (size_t p = K.multi_at[id]; p < K.multi_at[id + 1]; p++)
        if (((1u << K.phrases[p].cls) & RULE_CLASSES) && phrase_at(c, i, c->n, K.phrases[p].cls, -1))
            return true;
    return false;
}

static size_t as_given(dv_cleaner *c)
{
    c->as_given = true;
    c->n_parts = 0;
    c->n_aliases = 0;
    c->n_names = 1;
    c->name_len[0] = c->src_len;
    c->name_part[0] = -1;
    return 1;
}

size_t dv_name_clean(dv_cleaner *c, const char *name, size_t len)
{
    c->src = name;
    c->src_len = len;
    c->n_parts = 0;
    c->n_aliases = 0;
    c->n_names = 0;
    c->text.len = 0;
    c->as_given = false;
    if (!lex(c, (const unsigned char *)name, len) || !c->n) return as_given(c);
    /* the usual name: no mark but those inside names, no number, no word
     * that starts a rule (LLC, TRADING without AS are words of names) */
    bool plain = true;
    for (size_t i = 0; i < c->n && plain; i++) {
        const ctok *t = &c->t[i];
        if (t->punct) plain = t->punct == '.' || t->punct == '&' || t->punct == '\'' ||
                              t->punct == '"' || t->punct == '-' || t->punct == ';';
        else if (t->digits) plain = false;
        else if (t->kw != NO_KW) plain = !starts_rule(c, i);
    }
    if (plain) return as_given(c);
    memset(c->role, 0, c->n);
    size_t p = leading(c);
    size_t end = c->n;
    /* a name and its address on lines of their own (a message's field):
     * the name's lines, the rest set aside; a line of 33 characters or
     * more (a 4*35x field's) goes on on the next unless that is an
     * address */
    for (size_t i = p; i < end; i++) {
        if (!is_mark(c, i, '\n') || !word_in(c, p, i, 0)) continue;
        size_t line_start = p;
        for (size_t k = i; k-- > p;)
            if (is_mark(c, k, '\n')) {
                line_start = k + 1;
                break;
            }
        size_t next = i + 1;
        while (next < end && !is_mark(c, next, '\n')) next++;
        size_t line_len = c->t[i - 1].at + c->t[i - 1].len - c->t[line_start].at;
        if (line_len >= 33 && segment_evidence(c, i + 1, next) < 0 && word_in(c, i + 1, next, 0)) {
            c->role[i] = R_DROP;
            continue;
        }
        aside(c, i, end, DV_CLEAN_ADDRESS, -1);
        end = i;
        break;
    }
    end = tail(c, p, end);
    parentheses(c, p, end);
    inline_aliases(c, p, end);
    for (size_t o = 0; o <= c->n_aliases; o++) inside(c, (int)o);
    if (!c->n_parts) return as_given(c);
    /* the parts in the order of the text (insertion: a handful) */
    for (size_t i = 1; i < c->n_parts; i++)
        for (size_t j = i; j > 0 && c->parts[j - 1].at > c->parts[j].at; j--) {
            dv_clean_part t = c->parts[j];
            c->parts[j] = c->parts[j - 1], c->parts[j - 1] = t;
            uint8_t o = c->part_owner[j];
            c->part_owner[j] = c->part_owner[j - 1], c->part_owner[j - 1] = o;
        }
    if (!write_name(c, 0)) return as_given(c);
    c->name_part[0] = -1;
    for (size_t pi = 0; pi < c->n_parts; pi++) {
        if (!c->part_owner[pi] || c->n_names == DV_CLEAN_MAX_NAMES) continue;
        c->name_part[c->n_names] = (int)pi;
        if (!write_name(c, c->part_owner[pi])) c->part_owner[pi] = 0;
    }
    return c->n_names;
}

const char *dv_clean_name(const dv_cleaner *c, size_t i, size_t *len)
{
    if (c->as_given) {
        if (len) *len = c->src_len;
        return c->src;
    }
    if (len) *len = c->name_len[i];
    return c->text.data + c->name_at[i];
}

size_t dv_clean_parts(const dv_cleaner *c, const dv_clean_part **parts)
{
    *parts = c->parts;
    return c->n_parts;
}

bool dv_clean_found(const dv_cleaner *c, dv_clean_kind kind)
{
    for (size_t i = 0; i < c->n_parts; i++)
        if (c->parts[i].kind == kind) return true;
    return false;
}

/* The words of each kind in the explanation. */
static const char *const kind_words[DV_CLEAN_KINDS] = {
    [DV_CLEAN_LABEL] = "label",
    [DV_CLEAN_ACCOUNT] = "account",
    [DV_CLEAN_CARE_OF] = "care-of",
    [DV_CLEAN_ADDRESS] = "address",
    [DV_CLEAN_REGISTRY] = "registry number",
    [DV_CLEAN_VESSEL] = "vessel detail",
    [DV_CLEAN_BRANCH] = "branch",
    [DV_CLEAN_FORMER] = "former name",
    [DV_CLEAN_AKA] = "other name",
    [DV_CLEAN_TRADING_AS] = "trading name",
    [DV_CLEAN_LATER] = "later name",
};
_Static_assert(sizeof kind_words / sizeof kind_words[0] == DV_CLEAN_KINDS, "a word for each kind");

enum { QUOTE_MAX = 60 };

/* text[0..len) quoted: line breaks and tabs as spaces, cut at QUOTE_MAX
 * bytes on a character's boundary, invalid UTF-8 replaced */
static void quote(dv_buf *out, const char *text, size_t len)
{
    char buf[QUOTE_MAX + 8];
    size_t n = 0;
    bool cut = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char b = (unsigned char)text[i];
        if (n >= QUOTE_MAX && (b & 0xC0) != 0x80) {
            cut = true;
            break;
        }
        if (n >= sizeof buf - 1) break;
        buf[n++] = b < 0x20 || b == 0x7F ? ' ' : (char)b;
    }
    dv_buf_add(out, "\"", 1);
    dv_utf8_sanitize(buf, n, out);
    dv_buf_puts(out, cut ? "...\"" : "\"");
}

void dv_clean_explain(const dv_cleaner *c, const char *name, size_t used, dv_buf *out)
{
    if (c->as_given) return;
    int used_part = used > 0 && used < c->n_names ? c->name_part[used] : -1;
    size_t said = 0;
    for (size_t i = 0; i < c->n_parts; i++) {
        const dv_clean_part *p = &c->parts[i];
        bool is_alias = p->kind >= DV_CLEAN_FORMER;
        if (is_alias && !c->part_owner[i]) continue; /* it held no name */
        dv_buf_printf(out, "%s%s ", said++ ? ", " : "", kind_words[p->kind]);
        quote(out, name + p->at, p->len);
        if (!is_alias) dv_buf_puts(out, " set aside");
        else dv_buf_puts(out, (int)i == used_part ? " as an alias (scored)" : " as an alias");
    }
}
