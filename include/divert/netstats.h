/*
 * netstats.h: the network measures of divert stats, computed by igraph.
 *
 * This module is the statistics' only door to igraph: stats.c hands it
 * plain arrays (vertices 0..n-1, edges as pairs of vertex numbers) and
 * gets plain arrays back, so that no other statistics code includes
 * igraph.h. Every function is deterministic: betweenness has no
 * randomness, and the community detection seeds igraph's random number
 * generator with a fixed seed before it runs (the generator is global to
 * igraph, so they must not run on two threads at once).
 */
#ifndef DIVERT_NETSTATS_H
#define DIVERT_NETSTATS_H

#include <stddef.h>
#include <stdint.h>

#include "divert/util.h"

/* The seed of the community detection: fixed, so that a run is repeatable. */
#define DV_NETSTATS_SEED 16

/* Betweenness of each vertex of the directed graph of n vertices and
 * n_edges edges (ends[2i] -> ends[2i+1]), unweighted: the number of
 * shortest paths between other vertices that pass through it (each pair
 * of vertices shares one unit among its shortest paths). With sources
 * (n_sources vertices), only the paths that start at one of them count
 * (igraph's subset betweenness, to every vertex): the caller scales the
 * sum to estimate the whole. out has room for n. Returns 0, or
 * DV_EXIT_INTERNAL with err set. */
int dv_net_betweenness(size_t n, const uint32_t *ends, size_t n_edges, const uint32_t *sources,
                       size_t n_sources, double *out, dv_error *err);

/* Communities of the undirected graph of n vertices and n_edges weighted
 * edges (ends as above, weights > 0): the multilevel (Louvain) method at
 * resolution 1, seeded with DV_NETSTATS_SEED. membership (room for n)
 * gets each vertex's community, numbered from 0 in the order igraph gives;
 * the caller orders them by a stable key. Returns 0, or DV_EXIT_INTERNAL
 * with err set. */
int dv_net_communities(size_t n, const uint32_t *ends, const double *weights, size_t n_edges,
                       uint32_t *membership, dv_error *err);

/* A drawing of the undirected graph of n vertices and n_edges edges (ends
 * as above): igraph's Kamada-Kawai layout from its circle start, with no
 * randomness. xy (room for 2n) gets each vertex's x and y, in units of
 * one edge's ideal length. Returns 0, or DV_EXIT_INTERNAL with err set. */
int dv_net_layout(size_t n, const uint32_t *ends, size_t n_edges, double *xy, dv_error *err);

#endif
