/*
 * netstats.c: betweenness and communities by igraph (netstats.h).
 *
 * Each call builds its igraph graph from the caller's arrays, computes,
 * copies the answer out and destroys the graph: nothing of igraph
 * outlives a call.
 */
#include "divert/netstats.h"

#include <igraph.h>

static igraph_error_t make_graph(igraph_t *g, size_t n, const uint32_t *ends, size_t n_edges,
                                 bool directed)
{
    igraph_vector_int_t v;
    IGRAPH_CHECK(igraph_vector_int_init(&v, (igraph_integer_t)(2 * n_edges)));
    IGRAPH_FINALLY(igraph_vector_int_destroy, &v);
    for (size_t i = 0; i < 2 * n_edges; i++) VECTOR(v)[i] = (igraph_integer_t)ends[i];
    IGRAPH_CHECK(igraph_create(g, &v, (igraph_integer_t)n, directed));
    igraph_vector_int_destroy(&v);
    IGRAPH_FINALLY_CLEAN(1);
    return IGRAPH_SUCCESS;
}

static int failed(dv_error *err, const char *what, igraph_error_t rc)
{
    return dv_fail(err, DV_EXIT_INTERNAL, "igraph: %s failed: %s", what, igraph_strerror(rc));
}

int dv_net_betweenness(size_t n, const uint32_t *ends, size_t n_edges, const uint32_t *sources,
                       size_t n_sources, double *out, dv_error *err)
{
    if (!n) return 0;
    igraph_t g;
    igraph_error_t rc = make_graph(&g, n, ends, n_edges, true);
    if (rc) return failed(err, "building the graph for betweenness", rc);
    igraph_vector_t res;
    igraph_vector_int_t from;
    rc = igraph_vector_init(&res, 0);
    if (!rc && !sources) {
        rc = igraph_betweenness(&g, &res, igraph_vss_all(), true, NULL);
    } else if (!rc) {
        rc = igraph_vector_int_init(&from, (igraph_integer_t)n_sources);
        if (!rc) {
            for (size_t i = 0; i < n_sources; i++) VECTOR(from)[i] = (igraph_integer_t)sources[i];
            rc = igraph_betweenness_subset(&g, &res, igraph_vss_all(), true,
                                           igraph_vss_vector(&from), igraph_vss_all(), NULL);
            igraph_vector_int_destroy(&from);
        }
    }
    for (size_t i = 0; !rc && i < n; i++) out[i] = VECTOR(res)[i];
    igraph_vector_destroy(&res);
    igraph_destroy(&g);
    return rc ? failed(err, "betweenness", rc) : 0;
}

int dv_net_communities(size_t n, const uint32_t *ends, const double *weights, size_t n_edges,
                       uint32_t *membership, dv_error *err)
{
    if (!n) return 0;
    igraph_t g;
    igraph_error_t rc = make_graph(&g, n, ends, n_edges, false);
    if (rc) return failed(err, "building the graph for communities", rc);
    igraph_vector_t w;
    igraph_vector_int_t m;
    rc = igraph_vector_init(&w, (igraph_integer_t)n_edges);
    if (!rc) {
        for (size_t i = 0; i < n_edges; i++) VECTOR(w)[i] = weights[i];
        rc = igraph_vector_int_init(&m, 0);
        if (!rc) {
            rc = igraph_rng_seed(igraph_rng_default(), DV_NETSTATS_SEED);
            if (!rc) rc = igraph_community_multilevel(&g, &w, 1.0, &m, NULL, NULL);
            for (size_t i = 0; !rc && i < n; i++) membership[i] = (uint32_t)VECTOR(m)[i];
            igraph_vector_int_destroy(&m);
        }
        igraph_vector_destroy(&w);
    }
    igraph_destroy(&g);
    return rc ? failed(err, "community detection", rc) : 0;
}

int dv_net_layout(size_t n, const uint32_t *ends, size_t n_edges, double *xy, dv_error *err)
{
    if (!n) return 0;
    igraph_t g;
    igraph_error_t rc = make_graph(&g, n, ends, n_edges, false);
    if (rc) return failed(err, "building the graph for a drawing", rc);
    igraph_matrix_t res;
    rc = igraph_matrix_init(&res, 0, 0);
    if (!rc) {
        /* no seed: Kamada-Kawai starts from a circle, so the drawing is
         * the same on every run */
        igraph_integer_t vn = (igraph_integer_t)n;
        rc = igraph_layout_kamada_kawai(&g, &res, false, 50 * vn, 0, (igraph_real_t)vn, NULL,
                                        NULL, NULL, NULL, NULL);
        for (size_t i = 0; !rc && i < n; i++) {
            xy[2 * i] = MATRIX(res, (igraph_integer_t)i, 0) + 0.0;
            xy[2 * i + 1] = MATRIX(res, (igraph_integer_t)i, 1) + 0.0;
        }
        igraph_matrix_destroy(&res);
    }
    igraph_destroy(&g);
    return rc ? failed(err, "the layout of a drawing", rc) : 0;
}
