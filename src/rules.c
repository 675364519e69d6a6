/*
 * rules.c: the catalogue of scoring rules and the severity bands (SPEC 5).
 *
 * The catalogue is data: a rule's id, its default weight (the default of
 * its weight.RULE_ID setting, config.c) and its statement. score.c
 * measures each rule's strength; docs/detection.md describes them.
 */
#include "divert/rules.h"

#include <strings.h>

const dv_rule_def dv_rules[DV_RULE_COUNT] = {
    [DV_RULE_WEAK_TRANSIT] = {"WEAK_TRANSIT", 25,
                              "a third-country transit is in a weak-safeguard country; "
                              "strength 1 - safeguard score of the weakest"},
    [DV_RULE_NAMED_HUB] = {"NAMED_HUB", 10,
                           "a weak third-country transit is a named transshipment hub"},
    [DV_RULE_EMBARGOED_DEST] = {"EMBARGOED_DEST", 40,
                                "the final consignee is in an embargoed country, unlicensed"},
    [DV_RULE_ELEVATED_DEST] = {"ELEVATED_DEST", 25,
                               "the final consignee is in an elevated-risk country, unlicensed"},
    [DV_RULE_WATCHLIST] = {"WATCHLIST", 40,
                           "the final consignee or a transit matches the watchlist, unlicensed"},
    [DV_RULE_HUMAN_RIGHTS] = {"HUMAN_RIGHTS", 30,
                              "a human-rights item reaches a security-sector end user where "
                              "civil liberties are below hr_threshold, and no licence names the "
                              "end user or its sector; strength 1 - civil liberties / "
                              "(2 hr_threshold)"},
    [DV_RULE_END_USER_DIFFERS] = {"END_USER_DIFFERS", 25,
                                  "a first-leg shipment declares an end user who is not the "
                                  "final consignee"},
    [DV_RULE_RAPID_REEXPORT] = {"RAPID_REEXPORT", 10,
                                "a transit re-ships within rapid_days of receiving; "
                                "strength 1 - dwell/rapid_days"},
    [DV_RULE_PASS_THROUGH] = {"PASS_THROUGH", 10,
                              "a transit re-ships at least pass_through_ratio of the "
                              "quantity it received on the chain"},
    [DV_RULE_BROKER_ROLE] = {"BROKER_ROLE", 10,
                             "an intermediary or freight forwarder is the final consignee "
                             "(full weight) or a transit (half)"},
    [DV_RULE_NEW_ENTITY] = {"NEW_ENTITY", 10,
                            "a transit was registered within new_entity_days before its "
                            "first shipment"},
    [DV_RULE_SHARED_ADDRESS] = {"SHARED_ADDRESS", 10,
                                "two entities of the chain share an address"},
    [DV_RULE_UNIT_VALUE] = {"UNIT_VALUE", 5,
                            "the first leg's unit value is unit_value_factor times above or "
                            "below the item's median"},
    [DV_RULE_SPLIT_SHIPMENTS] = {"SPLIT_SHIPMENTS", 10,
                                 "the first leg is split into split_min_shipments or more "
                                 "shipments within split_days"},
    [DV_RULE_LICENCE_EXPIRED] = {"LICENCE_EXPIRED", 10,
                                 "the origin holds a licence for this item, destination and end "
                                 "user, but not valid on the first-leg dates"},
    [DV_RULE_END_USE_MISMATCH] = {"END_USE_MISMATCH", 20,
                                  "a concern is uncovered, and a licence of the origin would "
                                  "cover it but for its sectors, which lack the final "
                                  "consignee's"},
    [DV_RULE_ITEM_SENSITIVITY] = {"ITEM_SENSITIVITY", 10,
                                  "the item's sensitivity (0 to 1) from the items table"},
};

int dv_rule_find(const char *id)
{
    for (int i = 0; i < DV_RULE_COUNT; i++)
        if (strcasecmp(dv_rules[i].id, id) == 0) return i;
    return -1;
}

const char *const dv_severity_names[DV_SEV_COUNT] = {
    [DV_SEV_LOW] = "low", [DV_SEV_MEDIUM] = "medium", [DV_SEV_HIGH] = "high",
    [DV_SEV_CRITICAL] = "critical"};

/* The lowest score of each band (SPEC 5). */
static const int band_floor[DV_SEV_COUNT] = {
    [DV_SEV_LOW] = 0, [DV_SEV_MEDIUM] = 40, [DV_SEV_HIGH] = 60, [DV_SEV_CRITICAL] = 80};

const char *const dv_track_names[DV_TRACK_COUNT] = {
    [DV_TRACK_PRIORITY] = "priority", [DV_TRACK_EXPEDITED] = "expedited",
    [DV_TRACK_STANDARD] = "standard"};

dv_severity dv_severity_of(int score)
{
    int s = DV_SEV_CRITICAL;
    while (s > DV_SEV_LOW && score < band_floor[s]) s--;
    return (dv_severity)s;
}
