/*
 * fuzz_search.c: whole small datasets made from the input bytes, through
 * the whole scan (load, screen, graph, search, flag, score): where a ring
 * of parties once hid (issue #11), no harness drove the search.
 *
 * The bytes choose up to 10 parties in seven countries (strong, weak, hub,
 * embargoed, elevated), their roles, sectors and registration dates, up to
 * 80 shipments of three item entries (two controlled, two marked
 * human_rights) with their dates, quantities, declared end users and a
 * cited licence, the window, the hop limit, a listed party, licences (one
 * for one end-user sector, one naming an end user), and small budgets or
 * the default ones.
 *
 * Checked for every input:
 * - the same alerts (ids, scores, explanations, evidence, examples) and
 *   the same partial item entries with the rows of every table in another
 *   order and on three threads instead of one;
 * - when no item entry is partial, the search without pruning reports the
 *   same alerts: pruning never loses a flagged chain;
 * - the budgets hold: no item entry reports more alerts than alert_budget
 *   or examines more chains than chain_budget, an item entry is partial
 *   exactly when it reached one, and a partial one names what it kept.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>

#include "divert/config.h"
#include "divert/pipeline.h"
#include "fuzz_support.h"

static const char *const countries_csv =
    "code,name,rule_of_law,data_protection,civil_liberties,regimes,hub,destination\n"
    "DE,Germany,0.90,1,0.94,WA;AG;NSG;MTCR,0,none\n"
    "CH,Switzerland,0.90,1,0.96,WA;AG;NSG;MTCR,0,none\n"
    "AE,United Arab Emirates,0.774,1,0.18,,1,none\n"
    "KZ,Kazakhstan,0.40,1,0.23,,1,none\n"
    "RS,Serbia,0.50,1,0.62,,0,none\n"
    "RU,Russia,0.20,1,0.16,,0,embargoed\n"
    "CN,China,0.50,1,0.09,NSG,1,elevated\n";
static const char *const items_csv =
    "code,description,control,category,sensitivity,human_rights\n"
    "3A981,fingerprint booking stations,3A981,fingerprint,0.9,1\n"
    "3D980,matching software,3D980,software,0.6,0\n"
    "852589,face capture camera,EAR99,camera,0.2,1\n";
static const char *const country_codes[] = {"DE", "CH", "AE", "KZ", "RS", "RU", "CN"};
static const char *const roles[] = {"manufacturer", "distributor", "intermediary",
                                    "freight_forwarder", "end_user", "other", "subcontractor"};
static const char *const item_codes[] = {"3A981", "3D980", "852589"};
/* concern (d) for the human-rights items at the security sectors, the
 * expedited track at the humanitarian ones */
static const char *const sectors[] = {"", "police", "health", "commercial", "intelligence",
                                      "humanitarian", "military", "research"};

enum { MAX_SHIPMENTS = 80 };

typedef struct input {
    const uint8_t *p;
    size_t n;
} input;

static unsigned take(input *in)
{
    if (!in->n) return 0;
    in->n--;
    return *in->p++;
}

/* The dataset, each table's rows in the given order (reversed or not). */
typedef struct dataset {
    int n_entities;
    dv_buf entity_rows[10];
    dv_buf ship_rows[MAX_SHIPMENTS];
    int n_ships;
    dv_buf watchlist, licences;
} dataset;

static void write_tables(const dataset *d, bool reversed, char *paths[4])
{
    dv_buf b = {0};
    dv_buf_puts(&b, "id,name,role,country,registered,sector\n");
    for (int i = 0; i < d->n_entities; i++)
        dv_buf_puts(&b, d->entity_rows[reversed ? d->n_entities - 1 - i : i].data);
    fuzz_write(paths[0], b.data, b.len);
    b.len = 0;
    dv_buf_puts(&b, "id,date,shipper_id,consignee_id,item,quantity,value,declared_end_user_id,"
                    "license_id\n");
    for (int i = 0; i < d->n_ships; i++)
        dv_buf_puts(&b, d->ship_rows[reversed ? d->n_ships - 1 - i : i].data);
    fuzz_write(paths[1], b.data, b.len);
    fuzz_write(paths[2], d->watchlist.data, d->watchlist.len);
    fuzz_write(paths[3], d->licences.data, d->licences.len);
    dv_buf_free(&b);
}

static void scan(dv_pipeline *p, const dv_config *cfg, bool exhaustive)
{
    dv_pipeline_init(p, cfg, NULL);
    p->exhaustive = exhaustive;
    dv_error err = {0, ""};
    int rc = dv_pipeline_run(p, fuzz_scratch_dir(), DV_STAGE_DETECT, &err);
    FUZZ_CHECK(rc == 0, "scan status %d: %s", rc, err.msg);
}

static void same_alerts(const dv_pipeline *a, const dv_pipeline *b, bool in_full, const char *what)
{
    FUZZ_CHECK(a->result.n_alerts == b->result.n_alerts, "%s: %zu alerts against %zu", what,
               a->result.n_alerts, b->result.n_alerts);
    for (size_t i = 0; i < a->result.n_alerts; i++) {
        const dv_alert *x = &a->result.alerts[i], *y = &b->result.alerts[i];
        FUZZ_CHECK(!strcmp(x->id, y->id) && x->score == y->score, "%s: alert %zu: %s %d against %s %d",
                   what, i, x->id, x->score, y->id, y->score);
        if (!in_full) continue;
        FUZZ_CHECK(!strcmp(x->explanation, y->explanation), "%s: %s explains otherwise", what, x->id);
        FUZZ_CHECK(x->n_evidence == y->n_evidence && x->n_examples == y->n_examples,
                   "%s: %s has other evidence", what, x->id);
        for (size_t k = 0; k < x->n_evidence; k++)
            FUZZ_CHECK(!strcmp(a->ds.shipments[x->evidence[k]].id, b->ds.shipments[y->evidence[k]].id),
                       "%s: %s evidence %zu differs", what, x->id, k);
    }
}

static void budgets_hold(const dv_pipeline *p)
{
    const dv_config *cfg = &p->cfg;
    const dv_result *r = &p->result;
    FUZZ_CHECK(r->chains_visited <= r->items_analysed * cfg->chain_budget, "%llu chains examined",
               r->chains_visited);
    for (size_t it = 0; it < p->ds.n_items; it++) {
        size_t n = 0;
        for (size_t i = 0; i < r->n_alerts; i++) n += r->alerts[i].item == it;
        FUZZ_CHECK(n <= cfg->alert_budget, "item %s: %zu alerts, budget %zu", p->ds.items[it].code,
                   n, cfg->alert_budget);
        const dv_partial *part = NULL;
        for (size_t k = 0; k < r->n_partial; k++)
            if (r->partial[k].item == it) part = &r->partial[k];
        if (!part) continue;
        FUZZ_CHECK(part->kept == n && part->kept <= part->found, "item %s: kept %zu of %zu, %zu listed",
                   p->ds.items[it].code, part->kept, part->found, n);
        FUZZ_CHECK(part->chains_cut || part->kept < part->found, "item %s partial for nothing",
                   p->ds.items[it].code);
        FUZZ_CHECK(!part->chains_cut || part->chains == cfg->chain_budget, "item %s: %llu chains",
                   p->ds.items[it].code, part->chains);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char *paths[4];
    if (!paths[0]) {
        paths[0] = fuzz_path("entities.csv");
        paths[1] = fuzz_path("shipments.csv");
        paths[2] = fuzz_path("watchlist.csv");
        paths[3] = fuzz_path("licenses.csv");
        char *c = fuzz_path("countries.csv"), *i = fuzz_path("items.csv");
        fuzz_write(c, countries_csv, strlen(countries_csv));
        fuzz_write(i, items_csv, strlen(items_csv));
        free(c);
        free(i);
    }
    input in = {data, size};
    dv_config cfg;
    dv_config_defaults(&cfg);
    unsigned flags = take(&in);
    cfg.max_hops = 2 + (int)(take(&in) % 5);
    static const int windows[] = {0, 5, 30, 120};
    cfg.window_days = windows[take(&in) % 4];
    if (flags & 1) {
        cfg.chain_budget = 1 + take(&in) % 40;
        cfg.alert_budget = 1 + take(&in) % 6;
    }
    dataset d = {0};
    d.n_entities = 3 + (int)(take(&in) % 8);
    for (int e = 0; e < d.n_entities; e++) {
        unsigned c = take(&in), sector = take(&in);
        dv_buf_printf(&d.entity_rows[e], "E%d,Party %d,%s,%s,%s,%s\n", e, e, roles[(c >> 3) % 7],
                      country_codes[c % 7], c & 0x80 ? "2024-01-20" : "", sectors[sector % 8]);
    }
    dv_buf_puts(&d.watchlist, "name,id\n");
    if (flags & 2) dv_buf_printf(&d.watchlist, "Party %u,W1\n", (flags >> 4) % (unsigned)d.n_entities);
    dv_buf_puts(&d.licences,
                "id,exporter_id,item,destination,end_user_id,valid_from,valid_to,sectors\n");
    /* a licence for RU, perhaps for one end use only; another naming an end
     * user, whom a shipment citing it declares */
    if (flags & 4)
        dv_buf_printf(&d.licences, "L1,E0,3A981,RU,,2024-01-01,2024-12-31,%s\n",
                      flags & 8 ? "health" : "");
    if (flags & 0x40)
        dv_buf_printf(&d.licences, "L2,E0,3A981,AE,E%d,,,\n", d.n_entities - 1);
    while (in.n >= 4 && d.n_ships < MAX_SHIPMENTS) {
        unsigned a = take(&in), b = take(&in), day = take(&in), x = take(&in);
        int shipper = (int)(a % (unsigned)d.n_entities), consignee = (int)(b % (unsigned)d.n_entities);
        if (shipper == consignee) consignee = (consignee + 1) % d.n_entities;
        dv_buf *row = &d.ship_rows[d.n_ships];
        dv_buf_printf(row, "S%02d,2024-%02u-%02u,E%d,E%d,%s,%u,%u,", d.n_ships, 1 + day % 60 / 28,
                      1 + day % 60 % 28, shipper, consignee, item_codes[x % 3], 1 + (x >> 2) % 20,
                      100 * (1 + (x >> 4)));
        if (x & 0x80) dv_buf_printf(row, "E%u", (a >> 4) % (unsigned)d.n_entities);
        dv_buf_puts(row, (flags & 0x40) && (b & 0x10) ? ",L2" : ",");
        dv_buf_puts(row, "\n");
        d.n_ships++;
    }

    write_tables(&d, false, paths);
    dv_pipeline one;
    cfg.threads = 1;
    scan(&one, &cfg, false);
    budgets_hold(&one);

    write_tables(&d, true, paths);
    dv_pipeline other;
    cfg.threads = 3;
    scan(&other, &cfg, false);
    same_alerts(&one, &other, true, "rows reversed, three threads");
    FUZZ_CHECK(one.result.n_partial == other.result.n_partial, "partial: %zu against %zu",
               one.result.n_partial, other.result.n_partial);
    dv_pipeline_free(&other);

    if (!one.result.n_partial) {
        dv_pipeline full;
        cfg.threads = 1;
        scan(&full, &cfg, true);
        if (!full.result.n_partial) same_alerts(&one, &full, false, "without pruning");
        dv_pipeline_free(&full);
    }
    dv_pipeline_free(&one);
    for (int e = 0; e < d.n_entities; e++) dv_buf_free(&d.entity_rows[e]);
    for (int s = 0; s < d.n_ships; s++) dv_buf_free(&d.ship_rows[s]);
    dv_buf_free(&d.watchlist);
    dv_buf_free(&d.licences);
    return 0;
}
