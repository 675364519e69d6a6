-- bench-sql.sql: the SQL baseline that scripts/bench --sql runs against
-- divert (SQLite dialect, run in an in-memory database).
--
-- It is "an analyst's recursive SQL query over the same rules": a recursive
-- CTE that walks chains of shipments of one item entry, leg after leg, and
-- keeps the entity chains that SPEC.md sections 3 and 4 would flag.
--
-- scripts/bench loads the raw tables first (timed as "load"):
--   entity(id, name, role, country)
--   entity_name(id, name)            one row for the name, one per alias
--   watch_name(name)                 watchlist names and aliases
--   country(code, rule_of_law, data_protection, civil_liberties,
--           regimes, hub, destination)       the dataset's countries.csv,
--                                            else datasets/reference/
--   item(code, control)              the dataset's items.csv, else reference
--   licence(id, exporter_id, item, destination, end_user_id,
--           valid_from, valid_to)
--   shipment(id, date, shipper_id, consignee_id, item, declared_end_user_id,
--            license_id)
-- (empty cells are NULL) and registers two deterministic SQL functions
-- written in Python, because SQLite has no regular expressions:
--   norm_code(text)  keep letters and digits, upper-case ('3A981.a' -> '3A981A')
--   name_key(text)   a name as divert compares it with the watchlist: ASCII
--                    letters and digits upper-cased, other characters
--                    separate words, legal forms (LLC, GmbH, OOO ...) dropped
--
-- Then it runs the two parts below, split at the "@@ query" line: "prepare"
-- (derived tables and indexes, timed as "prepare") and "query" (the
-- recursive CTE, timed as "query"; its rows are the result).
--
-- Default configuration of SPEC.md: window 120 days, at most 6 hops, weak
-- threshold 0.5 with the default safeguard weights. Simplifications against
-- the SPEC (and against divert) are marked SIMPLIFIED below.

-- ================================================================ prepare

-- Safeguard score and weak flag of every country (SPEC 2). A missing
-- indicator counts as 0; a country absent from the table is weak (score 0).
CREATE TABLE country_w AS
SELECT code,
       (0.35 * coalesce(rule_of_law, 0) + 0.15 * coalesce(data_protection, 0)
        + 0.20 * coalesce(civil_liberties, 0)
        + 0.30 * (CASE WHEN coalesce(regimes, '') = '' THEN 0
                       ELSE length(regimes) - length(replace(regimes, ';', '')) + 1 END) / 4.0
        < 0.5 OR coalesce(hub, 0) = 1) AS weak,
       lower(coalesce(destination, 'none')) IN ('elevated', 'embargoed') AS dest_concern
FROM country;
CREATE UNIQUE INDEX country_w_code ON country_w(code);

-- Entities matching the watchlist by name or alias (SPEC 4.2b).
CREATE TABLE watch_key AS SELECT DISTINCT name_key(name) AS k FROM watch_name;
CREATE TABLE watched AS
SELECT DISTINCT en.id
FROM entity_name en JOIN watch_key wk ON wk.k = name_key(en.name)
WHERE wk.k <> '';

-- Everything the walk needs to know about a party.
CREATE TABLE ent AS
SELECT e.id, upper(e.country) AS country,
       coalesce(c.weak, 1) AS weak,
       coalesce(c.dest_concern, 0) AS dest_concern,
       (w.id IS NOT NULL) AS watched
FROM entity e
LEFT JOIN country_w c ON c.code = upper(e.country)
LEFT JOIN watched w ON w.id = e.id;
CREATE UNIQUE INDEX ent_id ON ent(id);

-- Item entry of each distinct shipment item code: the items row with the
-- longest normalised code that is a prefix of the normalised item (SPEC 1).
-- Only controlled entries are kept (control not empty, EAR99 or NONE).
CREATE TABLE item_n AS
SELECT code, norm_code(code) AS ncode, upper(coalesce(control, '')) AS control FROM item;
CREATE TABLE code_entry AS
SELECT sc.item AS item, norm_code(sc.item) AS nitem,
       (SELECT i.code FROM item_n i
        WHERE substr(norm_code(sc.item), 1, length(i.ncode)) = i.ncode
        ORDER BY length(i.ncode) DESC LIMIT 1) AS entry
FROM (SELECT DISTINCT item FROM shipment) sc;
CREATE TABLE controlled_entry AS
SELECT code FROM item_n WHERE control NOT IN ('', 'EAR99', 'NONE');

-- The end user of each licence id that names one: where a shipment
-- declares no end user and cites such a licence, the licence's end user is
-- the declared one (SPEC 1). (A licence id given twice: the least end user.)
CREATE TABLE licence_end_user AS
SELECT id, min(end_user_id) AS end_user FROM licence
WHERE end_user_id IS NOT NULL GROUP BY id;
CREATE UNIQUE INDEX licence_end_user_id ON licence_end_user(id);

-- Shipments of controlled item entries, dates as day numbers, indexed for
-- the step of the walk: (entry, shipper, day).
CREATE TABLE cs AS
SELECT s.id, ce.entry, ce.nitem, CAST(julianday(s.date) AS INTEGER) AS day,
       s.shipper_id AS shipper, s.consignee_id AS consignee,
       coalesce(s.declared_end_user_id, le.end_user) AS declared
FROM shipment s
JOIN code_entry ce ON ce.item = s.item
LEFT JOIN licence_end_user le ON le.id = s.license_id
WHERE ce.entry IN (SELECT code FROM controlled_entry);
CREATE INDEX cs_step ON cs(entry, shipper, day);

-- Licences with day numbers and normalised item prefixes.
CREATE TABLE lic AS
SELECT exporter_id AS exporter, norm_code(item) AS nitem, upper(destination) AS destination,
       end_user_id AS end_user,
       CAST(julianday(valid_from) AS INTEGER) AS day_from,
       CAST(julianday(valid_to) AS INTEGER) AS day_to
FROM licence;
CREATE INDEX lic_exporter ON lic(exporter);

ANALYZE;

-- @@ query

WITH RECURSIVE
-- One row per realisation (a sequence of shipments s1..sk, SPEC 3) of a
-- simple entity chain. path is '>e0>e1>...>ek>' so that "entity already on
-- the chain" and "contiguous piece of another chain" are substring tests.
walk(entry, origin, ocountry, node, day, hops, path,
     weak_transits, watched_transit, first_nitem, first_day, first_declared) AS (
    -- first leg
    SELECT s.entry, s.shipper, o.country, s.consignee, s.day, 1,
           '>' || s.shipper || '>' || s.consignee || '>',
           '', 0, s.nitem, s.day, s.declared
    FROM cs s JOIN ent o ON o.id = s.shipper
    -- SIMPLIFIED: the analyst starts only from origins in countries that are
    -- not weak (the SPEC allows any origin). This prunes the walk.
    WHERE o.weak = 0 AND s.shipper <> s.consignee
  UNION ALL
    -- next leg: leaves the previous consignee (which becomes a transit), on
    -- or after the previous leg's date and within the window, to an entity
    -- not yet on the chain, at most 6 legs
    SELECT w.entry, w.origin, w.ocountry, s.consignee, s.day, w.hops + 1,
           w.path || s.consignee || '>',
           -- countries of the weak transits, as '<AE><TR>'
           w.weak_transits || CASE WHEN t.weak THEN '<' || t.country || '>' ELSE '' END,
           w.watched_transit OR t.watched,
           w.first_nitem, w.first_day, w.first_declared
    FROM walk w
    JOIN cs s ON s.entry = w.entry AND s.shipper = w.node
             AND s.day BETWEEN w.day AND w.day + 120
    JOIN ent t ON t.id = w.node
    WHERE w.hops < 6
      AND instr(w.path, '>' || s.consignee || '>') = 0
),
-- Realisations of 2 or more legs, with the SPEC 4 tests on each.
real AS (
    SELECT w.entry, w.path, w.node AS final, w.first_day,
           -- 4.1: some weak transit country differs from both the origin's
           -- and the final consignee's country (a third-country transit)
           replace(replace(w.weak_transits, '<' || w.ocountry || '>', ''),
                   '<' || f.country || '>', '') <> '' AS weak_third,
           -- 4.2a destination, 4.2b watchlist (transit or final consignee)
           (f.dest_concern OR f.watched OR w.watched_transit) AS concern_ab,
           -- 4.2c the first leg declares another end user
           (w.first_declared IS NOT NULL AND w.first_declared <> w.node) AS concern_c,
           -- 4.3 a licence of the origin covers this first leg
           EXISTS (SELECT 1 FROM lic l
                   WHERE l.exporter = w.origin
                     AND l.destination = f.country
                     AND (l.end_user IS NULL OR l.end_user = w.node)
                     AND substr(w.first_nitem, 1, length(l.nitem)) = l.nitem
                     AND (l.day_from IS NULL OR l.day_from <= w.first_day)
                     AND (l.day_to IS NULL OR w.first_day <= l.day_to)) AS covered
    FROM walk w JOIN ent f ON f.id = w.node
    WHERE w.hops >= 2
),
-- A chain is flagged when a third-country transit is weak and it has a
-- concern that no licence covers; (a)/(b) are covered when any first-leg
-- shipment of any realisation is covered, (c) never is.
flagged AS (
    SELECT entry, path
    FROM real
    WHERE weak_third
    GROUP BY entry, path
    HAVING max(concern_c) = 1 OR (max(concern_ab) = 1 AND max(covered) = 0)
)
-- Reported: flagged chains that are not a contiguous piece of another
-- flagged chain of the same item entry.
SELECT p.entry AS item, substr(p.path, 2, length(p.path) - 2) AS path
FROM flagged p
WHERE NOT EXISTS (SELECT 1 FROM flagged q
                  WHERE q.entry = p.entry AND q.path <> p.path
                    AND instr(q.path, p.path) > 0)
ORDER BY item, path;
