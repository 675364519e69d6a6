/*
 * netexport.h: the supply-chain network as a file for graph tools
 * (divert export, divert neighborhood; docs/exports.md).
 *
 * A dv_net is a selection of the graph after a scan: parties (entity rows)
 * as nodes and shipments (shipment rows) as the edges of a directed
 * multigraph, each shipment with the ids of the alerts it is evidence of.
 * dv_net_select (netselect.c) makes the selection (the whole graph, one item entry's,
 * the alerts' evidence, or the neighbourhood of a party, capped at the
 * strongest links a party); dv_net_write writes it as GraphML or DOT,
 * through igraph's own writers, or as networkx's node-link JSON. The
 * attributes of nodes and edges are one column list (netexport.c), read by
 * the three formats alike.
 *
 * A dv_net borrows the pipeline (which must outlive it) and owns its
 * arrays. Nodes are in entity id order, edges in shipment id order, so the
 * output depends on the data only.
 */
#ifndef DIVERT_NETEXPORT_H
#define DIVERT_NETEXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "divert/pipeline.h"
#include "divert/pseudonym.h"

typedef enum dv_net_format {
    DV_NET_GRAPHML,
    DV_NET_DOT,
    DV_NET_JSON,
    DV_NET_FORMAT_COUNT
} dv_net_format;
extern const char *const dv_net_format_names[DV_NET_FORMAT_COUNT];

/* The format named name, or -1. */
int dv_net_format_find(const char *name);

typedef struct dv_net_query {
    uint32_t item;               /* item entry row, or DV_NONE: every item */
    bool flagged_only;           /* only shipments that are evidence of an alert */
    uint32_t centre;             /* neighbourhood: its entity row; DV_NONE: export */
    int hops;                    /* neighbourhood: how far from the centre */
    size_t max_neighbours;       /* neighbourhood: most counterparties kept a party */
} dv_net_query;

typedef struct dv_net {
    const dv_pipeline *p;        /* borrowed */
    dv_net_query q;
    uint32_t *nodes;             /* owned: entity rows, ascending (= by id) */
    size_t n_nodes;
    uint32_t *more;              /* owned, by node: counterparties (over the query's
                                    shipments) it has that the selection does not show;
                                    NULL for an export */
    uint32_t *edges;             /* owned: shipment rows, by shipment id */
    size_t n_edges;
    uint32_t *alert_start;       /* owned: by shipment row, n_shipments + 1 offsets
                                    into alerts */
    uint32_t *alerts;            /* owned: for each shipment, the result's alert
                                    rows it is evidence of, by alert id */
} dv_net;

/* Select from a pipeline that has run to the detection. */
void dv_net_select(dv_net *net, const dv_pipeline *p, const dv_net_query *q);

/* Write the selection in fmt to f; with ps (not NULL), ids, names,
 * addresses and alert ids as pseudonyms. Returns 0; DV_EXIT_INPUT when a
 * write to f failed (err: "cannot write: REASON", for the caller to say
 * where) or the DOT writer's temporary file could not be written; or
 * DV_EXIT_INTERNAL when igraph failed for another reason. igraph's own
 * error messages are kept for err, not printed. */
int dv_net_write(FILE *f, const dv_net *net, dv_net_format fmt, const dv_pseudonymizer *ps,
                 dv_error *err);

/* Write with dv_net_write to path: a temporary file in the same directory,
 * flushed and synced, given the permissions of the file it replaces (or
 * the umask's default), then renamed over path; or to stdout when path is
 * NULL, through a stream of its own on a copy of descriptor 1, so that a
 * failed write is reported once, here ("standard output: cannot write:
 * ..."). A path that is a directory or a symbolic link is refused
 * (DV_EXIT_INPUT), as is a directory that cannot be written; a failed
 * write is DV_EXIT_INPUT too. */
int dv_net_write_file(const char *path, const dv_net *net, dv_net_format fmt,
                      const dv_pseudonymizer *ps, dv_error *err);

/* Refuse an --out FILE that is empty, a directory, a symbolic link or not
 * a regular file, or whose directory is missing or not writable, before
 * the work (dv_net_write_file checks again). */
int dv_net_check_out(const char *path, dv_error *err);

/* Refuse an --out FILE that is a file this run reads (DV_EXIT_INPUT):
 * the key file (key, or NULL), and before the load (ds NULL) the files
 * of the dataset directory dir the loader would read as tables, after it
 * (ds) the files the load did read. Compared by device and inode, so a
 * hard link or another spelling of the name is caught; a FILE that does
 * not exist yet is none of them. */
int dv_net_check_inputs(const char *out, const char *dir, const dv_dataset *ds, const char *key,
                        dv_error *err);

void dv_net_free(dv_net *net);

/* Text as an XML or DOT writer may take it: invalid UTF-8 replaced by
 * U+FFFD, CR LF and lone CR made LF, the other control characters but tab
 * and LF (which XML 1.0 forbids, and igraph refuses), and the
 * noncharacters U+FFFE and U+FFFF, replaced by U+FFFD. The writers escape
 * the rest (<, &, quotes, backslashes). Appends to out. */
void dv_net_text(const char *s, dv_buf *out);

#endif
