/*
 * cmd_export.c: divert export DATASET and divert neighborhood DATASET
 * ENTITY: the scan's stages in memory (load, screen, graph, detect; no
 * output directory), so that each shipment knows the alerts it is evidence
 * of, then one selection of the network written as one file
 * (netexport.h). The two commands differ only in the selection, so they
 * share this module.
 */
#include <stdio.h>
#include <string.h>

#include "divert/cli.h"
#include "divert/msgs.h"
#include "divert/netexport.h"
#include "divert/pseudonym.h"

enum { DEFAULT_HOPS = 2, MAX_HOPS_AROUND = DV_MAX_HOPS, DEFAULT_MAX_NEIGHBOURS = 25 };
#define MOST_NEIGHBOURS 1000000

/* A whole number in [lo, hi] from an option's text, or a message. */
static int whole_number(const char *option, const char *text, long lo, long hi, long *out)
{
    double x;
    const char *why = NULL;
    if (!dv_parse_range(text, strlen(text), (double)lo, (double)hi, &x, &why) || x != (double)(long)x) {
        dv_msg("%s \"%s\": not a whole number from %ld to %ld", option, text, lo, hi);
        return DV_EXIT_INPUT;
    }
    *out = (long)x;
    return 0;
}

/* What both commands read from the command line before loading anything,
 * so that a mistake there costs no load. */
typedef struct net_options {
    dv_net_format format;
    dv_net_query query;
    dv_pseudonymizer ps;
    bool pseudonymize;
} net_options;

static int read_options(dv_invocation *inv, net_options *o)
{
    memset(o, 0, sizeof *o);
    o->query = (dv_net_query){.item = DV_NONE, .centre = DV_NONE, .hops = DEFAULT_HOPS,
                              .max_neighbours = DEFAULT_MAX_NEIGHBOURS,
                              .flagged_only = inv->flagged_only};
    o->format = DV_NET_GRAPHML;
    if (inv->format) {
        int f = dv_net_format_find(inv->format);
        if (f < 0) {
            dv_msg("%s: --format \"%s\" is not one of its formats: graphml, dot, json", inv->command,
                   inv->format);
            return DV_EXIT_INPUT;
        }
        o->format = (dv_net_format)f;
    }
    long n;
    if (inv->hops) {
        if (whole_number("--hops", inv->hops, 1, MAX_HOPS_AROUND, &n)) return DV_EXIT_INPUT;
        o->query.hops = (int)n;
    }
    if (inv->max_neighbours) {
        if (whole_number("--max-neighbours", inv->max_neighbours, 1, MOST_NEIGHBOURS, &n))
            return DV_EXIT_INPUT;
        o->query.max_neighbours = (size_t)n;
    }
    if (inv->item) {
        char code[256];
        size_t len = strlen(inv->item);
        if (len >= sizeof code || dv_normalise_code(inv->item, len, code) == 0) {
            dv_msg("--item \"%s\": not an item code (letters and digits, as in items.csv)", inv->item);
            return DV_EXIT_INPUT;
        }
    }
    dv_error err = {0, ""};
    if (inv->out && dv_net_check_out(inv->out, &err)) {
        dv_msg("%s", err.msg);
        return DV_EXIT_INPUT;
    }
    if (inv->out && dv_net_check_inputs(inv->out, inv->args[0], NULL, inv->pseudonymize, &err)) {
        dv_msg("%s", err.msg);
        return DV_EXIT_INPUT;
    }
    if (inv->pseudonymize) {
        int rc = dv_pseudonymizer_load(&o->ps, inv->pseudonymize, &err);
        if (rc) {
            dv_msg("%s", err.msg);
            return rc;
        }
        o->pseudonymize = true;
        /* the key undoes the pseudonyms: say so when others can read it */
        if (o->ps.key_mode & 044)
            dv_msg("warning: --pseudonymize %s: the key file can be read by %s (mode %04o); whoever "
                   "reads it can confirm a guess at any pseudonym (chmod 600 %s)",
                   inv->pseudonymize, (o->ps.key_mode & 004) ? "every user" : "its group",
                   o->ps.key_mode, inv->pseudonymize);
    }
    return 0;
}

/* The ids of the command line, once the dataset is loaded. */
static int resolve(dv_invocation *inv, const dv_pipeline *p, net_options *o, bool around)
{
    const dv_dataset *ds = &p->ds;
    if (inv->item) {
        char code[256];
        dv_normalise_code(inv->item, strlen(inv->item), code);
        o->query.item = dv_item_lookup(ds, code);
        if (o->query.item == DV_NONE) {
            dv_msg("--item \"%s\": unknown item: no entry of %s covers it", inv->item,
                   ds->tables[DV_T_ITEMS].reference ? "the reference items" : "items.csv");
            return DV_EXIT_INPUT;
        }
    }
    if (around) {
        o->query.centre = dv_entity_find(ds, inv->args[1]);
        if (o->query.centre == DV_NONE) {
            dv_msg("neighborhood: unknown entity \"%s\": %s has no entity with that id", inv->args[1],
                   ds->tables[DV_T_ENTITIES].path ? ds->tables[DV_T_ENTITIES].path : "entities.csv");
            return DV_EXIT_INPUT;
        }
    }
    return 0;
}

static int run(dv_invocation *inv, bool around)
{
    net_options o;
    int rc = read_options(inv, &o);
    if (rc) return rc;
    dv_term_progress tp;
    dv_pipeline p;
    rc = dv_cmd_start(inv, &p, &tp, NULL);
    if (rc) goto done_options;
    dv_error err = {0, ""};
    rc = dv_pipeline_run(&p, inv->args[0], DV_STAGE_DETECT, &err);
    if (rc) dv_msg("%s", err.msg);
    if (!rc) rc = resolve(inv, &p, &o, around);
    /* again against the files the load did read */
    if (!rc && inv->out && (rc = dv_net_check_inputs(inv->out, NULL, &p.ds, inv->pseudonymize, &err)))
        dv_msg("%s", err.msg);
    if (!rc) {
        dv_net net;
        dv_net_select(&net, &p, &o.query);
        rc = dv_net_write_file(inv->out, &net, o.format, o.pseudonymize ? &o.ps : NULL, &err);
        if (rc) dv_msg("%s", err.msg);
        else if (inv->out && !inv->quiet)
            dv_say(stdout, "divert: wrote %zu part%s and %zu shipment%s (%s%s) to %s.", net.n_nodes,
                   net.n_nodes == 1 ? "y" : "ies", net.n_edges, net.n_edges == 1 ? "" : "s",
                   dv_net_format_names[o.format], o.pseudonymize ? ", pseudonymised" : "", inv->out);
        dv_net_free(&net);
    }
    dv_pipeline_free(&p);
done_options:
    dv_pseudonymizer_free(&o.ps);
    return rc;
}

int dv_cmd_export(dv_invocation *inv) { return run(inv, false); }

int dv_cmd_neighborhood(dv_invocation *inv) { return run(inv, true); }
