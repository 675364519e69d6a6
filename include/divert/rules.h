/*
 * rules.h: the catalogue of scoring rules and the severity bands (SPEC 5).
 *
 * Each rule has a stable id (it appears in alerts.csv and in config files),
 * a default weight (the most points it can add), and a one-line statement.
 * The catalogue itself is data, in rules.c; score.c measures each rule and
 * docs/detection.md describes them.
 */
#ifndef DIVERT_RULES_H
#define DIVERT_RULES_H

typedef enum dv_rule_id {
    DV_RULE_WEAK_TRANSIT,        /* weak third-country transit, by how weak */
    DV_RULE_NAMED_HUB,           /* transit in a named transshipment hub */
    DV_RULE_EMBARGOED_DEST,      /* final consignee in an embargoed country */
    DV_RULE_ELEVATED_DEST,       /* final consignee in an elevated country */
    DV_RULE_WATCHLIST,           /* final consignee or transit on the watchlist */
    DV_RULE_HUMAN_RIGHTS,        /* concern (d): security end user, poor civil liberties */
    DV_RULE_END_USER_DIFFERS,    /* declared end user is not the final consignee */
    DV_RULE_RAPID_REEXPORT,      /* dwell at a transit under rapid_days */
    DV_RULE_PASS_THROUGH,        /* a transit re-ships most of what it received */
    DV_RULE_BROKER_ROLE,         /* intermediary/forwarder in transit or at the end */
    DV_RULE_NEW_ENTITY,          /* transit registered shortly before it first traded */
    DV_RULE_SHARED_ADDRESS,      /* chain entities share an address */
    DV_RULE_UNIT_VALUE,          /* unit value far from the item's median */
    DV_RULE_SPLIT_SHIPMENTS,     /* first leg split into several small lots */
    DV_RULE_LICENCE_EXPIRED,     /* a matching licence exists but not for these dates */
    DV_RULE_END_USE_MISMATCH,    /* a licence matches but its sectors lack the end user's */
    DV_RULE_ITEM_SENSITIVITY,    /* the item's own sensitivity */
    DV_RULE_COUNT
} dv_rule_id;

typedef struct dv_rule_def {
    const char *id;          /* e.g. "WEAK_TRANSIT" */
    double weight;           /* default points at full strength */
    const char *statement;   /* what the rule says, for docs and --help */
} dv_rule_def;

extern const dv_rule_def dv_rules[DV_RULE_COUNT];

/* Index of a rule by its id, case-insensitive; -1 if none. */
int dv_rule_find(const char *id);

typedef enum dv_severity {
    DV_SEV_LOW,
    DV_SEV_MEDIUM,
    DV_SEV_HIGH,
    DV_SEV_CRITICAL,
    DV_SEV_COUNT
} dv_severity;
extern const char *const dv_severity_names[DV_SEV_COUNT];

/* Severity band of a score: critical from 80, high from 60, medium from
 * 40, else low. */
dv_severity dv_severity_of(int score);

/* The review track of an alert (SPEC 5): which queue it goes to, never
 * its score. */
typedef enum dv_track {
    DV_TRACK_PRIORITY,           /* a watchlist match, a human-rights risk or an end use
                                    mismatch */
    DV_TRACK_EXPEDITED,          /* a humanitarian end user whose only concern is the
                                    destination: review fast, and document */
    DV_TRACK_STANDARD,
    DV_TRACK_COUNT
} dv_track;
extern const char *const dv_track_names[DV_TRACK_COUNT];

#endif
