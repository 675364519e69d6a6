/*
 * dataset.h: the typed tables of a dataset (SPEC 1) and the rows rejected.
 *
 * dv_dataset_load reads a dataset directory: entities, shipments, and the
 * optional items, countries, licenses and watchlist tables (items and
 * countries fall back to the embedded reference tables). Each row is either
 * loaded into a typed table or recorded as a dv_reject, so that for every
 * table rows_read = rows_loaded + rows_rejected.
 *
 * Ownership: the dataset owns everything it points to. Strings live in its
 * arena; those that repeat (item spellings and codes, licence ids cited by
 * shipments, countries' and items' texts, address keys, aliases, list
 * entries) are interned, so equal ones are equal pointers, while ids,
 * names and addresses of entities and licence ids are plain copies. No
 * string a dataset hands out is valid after dv_dataset_free.
 *
 * Determinism: tables are sorted by their keys after loading (entities by
 * id, items by code ...), so nothing downstream depends on the order of
 * input rows. Shipments, the millions, are the exception: they stay in
 * input order, and every stage that depends on their order sorts them
 * itself, by keys that end with the shipment id (the per-item indexes by
 * shipper, consignee, date and id; evidence by date and id). Sums and
 * medians over shipments do not depend on order. The determinism tests
 * shuffle the input rows to hold every stage to this. A duplicated id is resolved without looking at row
 * order: identical copies collapse into one, differing copies are all
 * rejected. A copy already rejected for a bad value takes no part in this:
 * the copies that parse are the ones compared.
 */
#ifndef DIVERT_DATASET_H
#define DIVERT_DATASET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "divert/util.h"

#define DV_NONE UINT32_MAX   /* "no entity / no row" in index fields */

typedef enum dv_role {
    DV_ROLE_MANUFACTURER,
    DV_ROLE_SUBCONTRACTOR,
    DV_ROLE_DISTRIBUTOR,
    DV_ROLE_INTERMEDIARY,
    DV_ROLE_FREIGHT_FORWARDER,
    DV_ROLE_END_USER,
    DV_ROLE_OTHER,
    DV_ROLE_COUNT
} dv_role;
extern const char *const dv_role_names[DV_ROLE_COUNT];

/* What a party does with what it buys (SPEC 1). The security and the
 * humanitarian sectors are sets of these, configurable (config.h). */
typedef enum dv_sector {
    DV_SECTOR_UNKNOWN,
    DV_SECTOR_HEALTH,
    DV_SECTOR_HUMANITARIAN,
    DV_SECTOR_RESEARCH,
    DV_SECTOR_EDUCATION,
    DV_SECTOR_COMMERCIAL,
    DV_SECTOR_FINANCE,
    DV_SECTOR_TRANSPORT,
    DV_SECTOR_GOVERNMENT,
    DV_SECTOR_BORDER,
    DV_SECTOR_POLICE,
    DV_SECTOR_SECURITY,
    DV_SECTOR_INTELLIGENCE,
    DV_SECTOR_MILITARY,
    DV_SECTOR_COUNT
} dv_sector;
extern const char *const dv_sector_names[DV_SECTOR_COUNT];
#define DV_SECTOR_BIT(s) (1u << (s))
/* SPEC 1's security and humanitarian sectors, the defaults of the
 * security_sectors and humanitarian_sectors settings */
#define DV_SECURITY_SECTORS                                                                    \
    (DV_SECTOR_BIT(DV_SECTOR_BORDER) | DV_SECTOR_BIT(DV_SECTOR_POLICE) |                       \
     DV_SECTOR_BIT(DV_SECTOR_SECURITY) | DV_SECTOR_BIT(DV_SECTOR_INTELLIGENCE) |               \
     DV_SECTOR_BIT(DV_SECTOR_MILITARY))
#define DV_HUMANITARIAN_SECTORS                                                                \
    (DV_SECTOR_BIT(DV_SECTOR_HEALTH) | DV_SECTOR_BIT(DV_SECTOR_HUMANITARIAN) |                 \
     DV_SECTOR_BIT(DV_SECTOR_RESEARCH) | DV_SECTOR_BIT(DV_SECTOR_EDUCATION))

/* The sector named by s[0..len) in any case ("" is unknown), or -1. */
int dv_sector_find(const char *s, size_t len);
/* A `;`-separated list of sector names as a set of DV_SECTOR_BIT; 0 for
 * an empty list. On an unknown name, returns false with *bad and *bad_len
 * set to it. */
bool dv_sector_set(const char *s, size_t len, unsigned *set, const char **bad, size_t *bad_len);
/* The set's names joined by `;`, in the order of the enum. */
void dv_sector_set_text(unsigned set, char *out, size_t cap);

typedef enum dv_destination {
    DV_DEST_NONE,
    DV_DEST_ELEVATED,
    DV_DEST_EMBARGOED
} dv_destination;

typedef struct dv_entity {
    const char *id;              /* as given, trimmed */
    const char *name;
    dv_role role;
    dv_sector sector;            /* DV_SECTOR_UNKNOWN when not given */
    char country[3];             /* ISO alpha-2, upper case */
    uint32_t country_idx;        /* row in countries, DV_NONE if absent there */
    int32_t registered;          /* DV_NO_DATE if missing */
    const char *address;         /* NULL if missing */
    uint64_t address_hash;       /* of the normalised address (dv_address_key), 0 if none:
                                    equal hashes are confirmed on the keys */
    const char **aliases;        /* naliases strings */
    uint32_t naliases;
    int32_t first_trade;         /* date of its first loaded shipment, either side (in a
                                    shard: of the whole dataset, shard.h) */
    long line;
} dv_entity;

/* Ten million of these are held at once: the pointers and doubles first,
 * then the 32-bit fields, so that the record has no padding (80 bytes). */
typedef struct dv_shipment {
    const char *id;
    const char *item;            /* as given */
    const char *item_code;       /* normalised */
    const char *licence_id;      /* as given, NULL if missing */
    double quantity;
    double value;                /* NAN if missing */
    long line;
    int32_t date;
    uint32_t shipper, consignee; /* entity rows */
    uint32_t item_idx;           /* item entry (items row), DV_NONE: unclassified */
    uint32_t declared_end_user;  /* entity row or DV_NONE: as declared, or else the
                                    end user of the licence it cites (SPEC 1) */
    bool declared_by_licence;    /* declared_end_user came from the licence */
    bool licence_known;          /* licence_id is a row of the licences table */
} dv_shipment;

typedef struct dv_item {
    const char *code;            /* normalised */
    const char *code_given;      /* as written in the table */
    const char *description;
    const char *control;         /* NULL when empty */
    const char *category;
    double sensitivity;
    bool controlled;             /* control is not empty, EAR99 or NONE */
    bool human_rights;           /* controlled for surveillance or repression (SPEC 1) */
    bool analysed;               /* controlled or human_rights: its routes are searched */
    long line;
} dv_item;

typedef struct dv_country {
    char code[3];
    const char *name;
    double rule_of_law, data_protection, civil_liberties;  /* NAN if missing */
    unsigned regimes;            /* bit per regime: WA, AG, NSG, MTCR */
    int nregimes;
    bool hub;
    dv_destination destination;
    long line;
} dv_country;

typedef struct dv_licence {
    const char *id;
    uint32_t exporter;           /* entity row */
    const char *item_code;       /* normalised prefix */
    char destination[3];
    uint32_t end_user;           /* entity row, DV_NONE covers every end user */
    int32_t valid_from, valid_to;  /* DV_NO_DATE: open on that side */
    const char *end_use;
    unsigned sectors;            /* DV_SECTOR_BIT set the end use allows, 0: any */
    double quantity;             /* NAN if missing */
    long line;
} dv_licence;

typedef struct dv_watch {
    const char *name;
    const char *id;
    const char **aliases;
    uint32_t naliases;
    const char *country;         /* ISO codes, upper case, joined by ";" ("CN;KP"), or NULL */
    const char *source;
    const char *list;            /* the list file's table label ("watchlist") */
    long line;
} dv_watch;

typedef struct dv_reject {
    const char *table;           /* "shipments" */
    long line;
    const char *column;          /* "" for a whole-row problem */
    const char *code;            /* reason code, e.g. "bad_date" */
    char *detail;                /* full reason text, heap */
    char *record;                /* the row re-written as CSV, heap */
} dv_reject;

typedef enum dv_table_id {
    DV_T_ENTITIES,
    DV_T_SHIPMENTS,
    DV_T_ITEMS,
    DV_T_COUNTRIES,
    DV_T_LICENCES,
    DV_T_WATCHLIST,
    DV_T_COUNT
} dv_table_id;
extern const char *const dv_table_names[DV_T_COUNT];

typedef struct dv_table_info {
    const char *path;            /* file read, "(reference)" or NULL if absent */
    bool present;
    bool reference;              /* the embedded default was used */
    long rows_read, rows_loaded, rows_rejected;
    long rows_skipped;           /* not for the table (a list's vessels): neither loaded
                                    nor rejected */
    long rows_joined;            /* merged into a record made from an earlier row (a
                                    list's other names of one party) */
    const char *skipped_why;     /* why the last file read skipped rows, or NULL */
    char **unknown_columns;      /* heap strings */
    size_t n_unknown;
    char sha256[65];             /* with dv_load_options.checksums: the file's SHA-256
                                    (the last list file's, for the watchlist); "" */
    long long bytes;             /* and its size */
} dv_table_info;

/* One watchlist file (a dataset may hold several: watchlist*.csv). */
typedef struct dv_list_file {
    const char *path;
    const char *label;           /* its name without extension: rejects' table */
    const char *format;          /* "spec", "opensanctions", "csl", "ofsi", "eu" or
                                    "ofac-sdn" (and its "ofac-alt", "ofac-add") */
    long rows_read, rows_loaded, rows_rejected;
    long rows_skipped;           /* rows that are not parties (vessels, aircraft) */
    const char *skipped_why;     /* what they are, or NULL */
    long rows_joined;            /* rows that gave another name (or address) of an
                                    entry made from an earlier row */
    const char *note;            /* what its entries lack (an SDN file without its
                                    alt.csv), or NULL */
    char sha256[65];             /* with dv_load_options.checksums, else "" */
    long long bytes;
} dv_list_file;

typedef struct dv_dataset {
    dv_arena arena;
    dv_intern strings;
    char *dir;

    dv_entity *entities;   size_t n_entities;
    dv_shipment *shipments; size_t n_shipments;
    dv_item *items;        size_t n_items;
    dv_country *countries; size_t n_countries;
    dv_licence *licences;  size_t n_licences;
    dv_watch *watchlist;   size_t n_watch;
    dv_list_file *lists;   size_t n_lists, cap_lists;

    dv_reject *rejects;    size_t n_rejects, cap_rejects;
    dv_table_info tables[DV_T_COUNT];

    /* countries that entities name but the countries table lacks, and
     * countries with a missing indicator (SPEC 2: noted in the summary) */
    char (*absent_countries)[3]; size_t n_absent;
    char (*incomplete_countries)[3]; size_t n_incomplete;

    dv_map entity_by_id;   /* id -> entity row */
    dv_map licence_by_id;  /* id -> licences row */
    size_t n_unknown_licence_refs;  /* shipments whose license_id is not a loaded licence */
} dv_dataset;

typedef struct dv_load_options {
    size_t max_field_bytes;      /* a longer CSV field is an input error */
    size_t max_fields;           /* a CSV row with more fields is an input error */
    bool no_shipments;           /* screening: entities and lists only */
    bool checksums;              /* the SHA-256 of each file read, as it is read */
    char delimiter;              /* between a file's fields; 0: ',' (lists.c sets ';'
                                    for a list in the EU's layout) */
    void *parser_ctx;            /* the table parsers' own, across the files of a
                                    table (lists.c: an SDN list's skipped entries) */
    void (*progress)(void *ctx, const char *name, unsigned long long bytes);
    void *progress_ctx;
} dv_load_options;

/* Load the dataset in dir. Returns 0, or an exit status with err set for a
 * structural problem (missing table or column, unreadable file). Row-level
 * problems are rejects, not errors. The caller frees ds even on failure. */
int dv_dataset_load(dv_dataset *ds, const char *dir, const dv_load_options *opt,
                    dv_error *err);
void dv_dataset_free(dv_dataset *ds);

/* The most rows one table may have: rows are uint32_t indexes, and
 * DV_NONE (UINT32_MAX) means none. */
#define DV_MAX_ROWS (UINT32_MAX - 1)

/* Row of an entity id, or DV_NONE. */
uint32_t dv_entity_find(const dv_dataset *ds, const char *id);
/* Row of a shipment id, or DV_NONE. A linear scan: for a few lookups (an
 * investigator's), not for a loop over shipments. */
uint32_t dv_shipment_find(const dv_dataset *ds, const char *id);

/* Item entry of a normalised code: the items row with the longest code
 * that is a prefix of it, or DV_NONE. */
uint32_t dv_item_lookup(const dv_dataset *ds, const char *code);

/* Country row of an alpha-2 code, or DV_NONE. */
uint32_t dv_country_find(const dv_dataset *ds, const char *code);

/* Address key: upper case, letters and digits, single spaces. */
size_t dv_address_key(const char *addr, size_t len, char *out, size_t cap);

#endif
