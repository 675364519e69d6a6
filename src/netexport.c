/*
 * netexport.c: the network as GraphML, DOT or node-link JSON
 * (netexport.h, docs/exports.md).
 *
 * What is written is selected by netselect.c (a whole export, or a capped
 * neighbourhood).
 *
 * What a node or an edge carries is one column list each (node_columns,
 * edge_columns, graph_columns): every format walks the same rows, so the
 * three files hold the same attributes. GraphML and DOT go through a
 * temporary igraph graph with igraph's C attribute handler, installed for
 * the write and put back after; JSON is written here.
 */
#define _POSIX_C_SOURCE 200809L
#include "divert/netexport.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <igraph.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "divert/flag.h"
#include "divert/outdir.h"
#include "divert/report.h"

const char *const dv_net_format_names[DV_NET_FORMAT_COUNT] = {
    [DV_NET_GRAPHML] = "graphml", [DV_NET_DOT] = "dot", [DV_NET_JSON] = "json"};

int dv_net_format_find(const char *name)
{
    for (int i = 0; i < DV_NET_FORMAT_COUNT; i++)
        if (!strcmp(name, dv_net_format_names[i])) return i;
    return -1;
}

/* ---- text ---- */

/* Printable ASCII, with neither quote nor backslash: what most ids, codes
 * and names are, and what needs no work in any format. */
static bool plain_ascii(const char *s, size_t *len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    for (; p[i]; i++)
        if (p[i] < 0x20 || p[i] >= 0x7F || p[i] == '"' || p[i] == '\\') return false;
    *len = i;
    return true;
}

void dv_net_text(const char *s, dv_buf *out)
{
    size_t len;
    if (plain_ascii(s, &len)) {
        dv_buf_add(out, s, len);
        return;
    }
    dv_buf valid = {0};
    dv_utf8_sanitize(s, strlen(s), &valid);
    const unsigned char *p = (const unsigned char *)(valid.data ? valid.data : "");
    static const char replacement[] = "\xEF\xBF\xBD";
    for (size_t i = 0; i < valid.len;) {
        unsigned char c = p[i];
        if (c == '\r') {
            dv_buf_add(out, "\n", 1);
            i += (i + 1 < valid.len && p[i + 1] == '\n') ? 2 : 1;
        } else if (c < 0x20 && c != '\t' && c != '\n') {
            dv_buf_add(out, replacement, 3);
            i++;
        } else if (c == 0xEF && i + 2 < valid.len && p[i + 1] == 0xBF &&
                   (p[i + 2] == 0xBE || p[i + 2] == 0xBF)) {
            dv_buf_add(out, replacement, 3); /* U+FFFE, U+FFFF */
            i += 3;
        } else {
            size_t j = i + 1;
            while (j < valid.len && p[j] >= 0x20 && p[j] != 0xEF) j++;
            dv_buf_add(out, (const char *)p + i, j - i);
            i = j;
        }
    }
    dv_buf_add(out, "", 0); /* terminated, even when empty */
    dv_buf_free(&valid);
}

/* ---- attributes: one column list for nodes, edges and the graph ---- */

typedef enum value_kind { K_STR, K_NUM, K_BOOL } value_kind;

typedef struct value {
    const char *s;               /* K_STR: borrowed until the next cell */
    double x;                    /* K_NUM: NaN for none */
    bool b;                      /* K_BOOL */
} value;

typedef struct net_ctx {
    const dv_net *net;
    const dv_dataset *ds;
    const dv_pseudonymizer *ps;  /* NULL: real ids and names */
    dv_flagger flagger;          /* safeguard scores and weakness */
    dv_net_format fmt;
    char pseudo[DV_PSEUDONYM_SIZE];
    dv_buf scratch;              /* a cell built from parts */
} net_ctx;

/* s, or its pseudonym when pseudonymising (empty stays empty). */
static const char *shown(net_ctx *c, dv_pseudonym_kind kind, const char *s)
{
    if (!s) return "";
    if (!c->ps || !*s) return s;
    dv_pseudonym(c->ps, kind, s, c->pseudo);
    return c->pseudo;
}

static const dv_entity *node_entity(net_ctx *c, size_t i) { return &c->ds->entities[c->net->nodes[i]]; }
static const dv_shipment *edge_ship(net_ctx *c, size_t i) { return &c->ds->shipments[c->net->edges[i]]; }

/* The node's best watchlist match, or NULL. */
static const dv_match *best_match(net_ctx *c, size_t i)
{
    const dv_screening *sc = &c->net->p->screening;
    if (!sc->best || sc->best[c->net->nodes[i]] == DV_NONE) return NULL;
    return &sc->all.m[sc->best[c->net->nodes[i]]];
}

static void n_id(net_ctx *c, size_t i, value *v) { v->s = shown(c, DV_PSEUDO_ENTITY, node_entity(c, i)->id); }
static void n_name(net_ctx *c, size_t i, value *v) { v->s = shown(c, DV_PSEUDO_NAME, node_entity(c, i)->name); }
static void n_address(net_ctx *c, size_t i, value *v)
{
    v->s = shown(c, DV_PSEUDO_ADDRESS, node_entity(c, i)->address);
}
static void n_role(net_ctx *c, size_t i, value *v) { v->s = dv_role_names[node_entity(c, i)->role]; }
static void n_sector(net_ctx *c, size_t i, value *v) { v->s = dv_sector_names[node_entity(c, i)->sector]; }
static void n_country(net_ctx *c, size_t i, value *v) { v->s = node_entity(c, i)->country; }
static void n_safeguard(net_ctx *c, size_t i, value *v)
{
    uint32_t country = node_entity(c, i)->country_idx;
    /* SPEC 2: a country the table lacks scores 0 */
    v->x = country == DV_NONE ? 0 : c->flagger.safeguard[country];
}
static void n_weak(net_ctx *c, size_t i, value *v) { v->b = dv_entity_weak(&c->flagger, c->net->nodes[i]); }
static void n_watch(net_ctx *c, size_t i, value *v)
{
    const dv_match *m = best_match(c, i);
    v->s = m ? shown(c, DV_PSEUDO_WATCH, c->ds->watchlist[m->watch].name) : "";
}
static void n_watch_score(net_ctx *c, size_t i, value *v)
{
    const dv_match *m = best_match(c, i);
    v->x = m ? m->score : 0;
}
static void n_more(net_ctx *c, size_t i, value *v) { v->x = c->net->more[i]; }
static void n_label(net_ctx *c, size_t i, value *v)
{
    c->scratch.len = 0;
    dv_buf_puts(&c->scratch, shown(c, DV_PSEUDO_NAME, node_entity(c, i)->name));
    if (c->net->more && c->net->more[i])
        dv_buf_printf(&c->scratch, "\nand %u more", (unsigned)c->net->more[i]);
    v->s = c->scratch.data;
}

static void e_shipment(net_ctx *c, size_t i, value *v) { v->s = shown(c, DV_PSEUDO_SHIPMENT, edge_ship(c, i)->id); }
static void e_item(net_ctx *c, size_t i, value *v) { v->s = edge_ship(c, i)->item; }
static void e_item_entry(net_ctx *c, size_t i, value *v)
{
    uint32_t it = edge_ship(c, i)->item_idx;
    v->s = it == DV_NONE ? "" : c->ds->items[it].code;
}
static void e_control(net_ctx *c, size_t i, value *v)
{
    uint32_t it = edge_ship(c, i)->item_idx;
    v->s = it == DV_NONE || !c->ds->items[it].control ? "" : c->ds->items[it].control;
}
static void e_date(net_ctx *c, size_t i, value *v)
{
    char d[11];
    dv_format_date(edge_ship(c, i)->date, d);
    c->scratch.len = 0;
    dv_buf_puts(&c->scratch, d);
    v->s = c->scratch.data;
}
static void e_quantity(net_ctx *c, size_t i, value *v) { v->x = edge_ship(c, i)->quantity; }
static void e_value(net_ctx *c, size_t i, value *v) { v->x = edge_ship(c, i)->value; }
static void e_alerts(net_ctx *c, size_t i, value *v)
{
    uint32_t ship = c->net->edges[i];
    c->scratch.len = 0;
    dv_buf_add(&c->scratch, "", 0);
    for (uint32_t k = c->net->alert_start[ship]; k < c->net->alert_start[ship + 1]; k++) {
        /* a cell is one pseudonym at a time: shown() reuses its buffer */
        if (k > c->net->alert_start[ship]) dv_buf_puts(&c->scratch, ";");
        dv_buf_puts(&c->scratch, shown(c, DV_PSEUDO_ALERT, c->net->p->result.alerts[c->net->alerts[k]].id));
    }
    v->s = c->scratch.data;
}

static void g_command(net_ctx *c, size_t i, value *v)
{
    (void)i;
    v->s = c->net->q.centre == DV_NONE ? "export" : "neighborhood";
}
static void g_item(net_ctx *c, size_t i, value *v)
{
    (void)i;
    v->s = c->net->q.item == DV_NONE ? "" : c->ds->items[c->net->q.item].code;
}
static void g_centre(net_ctx *c, size_t i, value *v)
{
    (void)i;
    v->s = c->net->q.centre == DV_NONE ? ""
                                        : shown(c, DV_PSEUDO_ENTITY, c->ds->entities[c->net->q.centre].id);
}
static void g_flagged_only(net_ctx *c, size_t i, value *v)
{
    (void)i;
    v->b = c->net->q.flagged_only;
}
static void g_pseudonymized(net_ctx *c, size_t i, value *v)
{
    (void)i;
    v->b = c->ps != NULL;
}
static void g_rankdir(net_ctx *c, size_t i, value *v)
{
    (void)c, (void)i;
    v->s = "LR";
}

enum {
    FOR_ALL = 0,
    ONLY_NEIGHBOURHOOD = 1,      /* a neighbourhood's, not an export's */
    ONLY_DOT = 2                 /* for graphviz's drawing */
};

typedef struct column {
    const char *name;
    value_kind kind;
    unsigned only;
    void (*get)(net_ctx *c, size_t i, value *v);
} column;

/* "id" first: the JSON writer makes it the node's key */
static const column node_columns[] = {
    {"id", K_STR, FOR_ALL, n_id},
    {"name", K_STR, FOR_ALL, n_name},
    {"address", K_STR, FOR_ALL, n_address},
    {"role", K_STR, FOR_ALL, n_role},
    {"sector", K_STR, FOR_ALL, n_sector},
    {"country", K_STR, FOR_ALL, n_country},
    {"safeguard_score", K_NUM, FOR_ALL, n_safeguard},
    {"weak", K_BOOL, FOR_ALL, n_weak},
    {"watchlist_match", K_STR, FOR_ALL, n_watch},
    {"watchlist_score", K_NUM, FOR_ALL, n_watch_score},
    {"more_neighbours", K_NUM, ONLY_NEIGHBOURHOOD, n_more},
    {"label", K_STR, ONLY_DOT, n_label},
};

static const column edge_columns[] = {
    {"shipment", K_STR, FOR_ALL, e_shipment},
    {"item", K_STR, FOR_ALL, e_item},
    {"item_entry", K_STR, FOR_ALL, e_item_entry},
    {"control", K_STR, FOR_ALL, e_control},
    {"date", K_STR, FOR_ALL, e_date},
    {"quantity", K_NUM, FOR_ALL, e_quantity},
    {"value", K_NUM, FOR_ALL, e_value},
    {"alerts", K_STR, FOR_ALL, e_alerts},
};

static const column graph_columns[] = {
    {"command", K_STR, FOR_ALL, g_command},
    {"item", K_STR, FOR_ALL, g_item},
    {"centre", K_STR, ONLY_NEIGHBOURHOOD, g_centre},
    {"flagged_only", K_BOOL, FOR_ALL, g_flagged_only},
    {"pseudonymized", K_BOOL, FOR_ALL, g_pseudonymized},
    {"rankdir", K_STR, ONLY_DOT, g_rankdir},
};

#define N_COLS(a) (sizeof(a) / sizeof((a)[0]))

static bool column_wanted(const net_ctx *c, const column *col)
{
    if ((col->only & ONLY_NEIGHBOURHOOD) && c->net->q.centre == DV_NONE) return false;
    if ((col->only & ONLY_DOT) && c->fmt != DV_NET_DOT) return false;
    return true;
}

/* A string cell as the writers take it (dv_net_text), in out. */
static const char *clean(const char *s, dv_buf *out)
{
    out->len = 0;
    dv_net_text(s, out);
    return out->data;
}

/* A number as all three formats write it: 15 significant digits at most,
 * trailing zeros dropped; "" for NaN. That is what igraph's GraphML writer
 * prints (igraph_real_fprintf_precise), so the formats agree; a value the
 * dataset gave with up to 15 digits comes back as it was written (0.1, not
 * 0.10000000000000001), and a computed score loses the noise of its sum
 * (0.4569, not 0.4568999999999999). */
static void number_text(double x, char out[48])
{
    if (!isfinite(x)) {
        out[0] = '\0';
        return;
    }
    snprintf(out, 48, "%.15g", x);
}

/* ---- GraphML and DOT, through igraph ---- */

/* Set one column of n rows on g. DOT has no types: booleans are the
 * words (igraph would turn them into numbers, with a warning), numbers
 * their exact text (igraph writes them with %g, six digits: 1234567 would
 * be 1.23457e+06), a missing number empty. */
static igraph_error_t set_column(igraph_t *g, net_ctx *c, const column *col, int target, size_t n)
{
    enum { T_GRAPH, T_NODE, T_EDGE };
    igraph_error_t rc = IGRAPH_SUCCESS;
    value v = {0};
    value_kind kind = c->fmt == DV_NET_DOT ? K_STR : col->kind;
    dv_buf text = {0};
    char num[48];
    if (target == T_GRAPH) {
        col->get(c, 0, &v);
        if (kind == K_STR) {
            const char *s = col->kind == K_BOOL ? (v.b ? "true" : "false") : v.s;
            if (col->kind == K_NUM) number_text(v.x, num), s = num;
            rc = igraph_cattribute_GAS_set(g, col->name, clean(s, &text));
        } else if (kind == K_NUM) rc = igraph_cattribute_GAN_set(g, col->name, v.x);
        else rc = igraph_cattribute_GAB_set(g, col->name, v.b);
        dv_buf_free(&text);
        return rc;
    }
    if (kind == K_STR) {
        igraph_strvector_t sv;
        rc = igraph_strvector_init(&sv, (igraph_integer_t)n);
        if (rc) return rc;
        for (size_t i = 0; i < n && !rc; i++) {
            col->get(c, i, &v);
            const char *s = col->kind == K_BOOL ? (v.b ? "true" : "false") : v.s;
            if (col->kind == K_NUM) number_text(v.x, num), s = num;
            rc = igraph_strvector_set(&sv, (igraph_integer_t)i, clean(s, &text));
        }
        if (!rc)
            rc = target == T_NODE ? igraph_cattribute_VAS_setv(g, col->name, &sv)
                                  : igraph_cattribute_EAS_setv(g, col->name, &sv);
        igraph_strvector_destroy(&sv);
    } else if (kind == K_NUM) {
        igraph_vector_t nv;
        rc = igraph_vector_init(&nv, (igraph_integer_t)n);
        if (rc) return rc;
        for (size_t i = 0; i < n; i++) {
            col->get(c, i, &v);
            VECTOR(nv)[i] = v.x;
        }
        rc = target == T_NODE ? igraph_cattribute_VAN_setv(g, col->name, &nv)
                              : igraph_cattribute_EAN_setv(g, col->name, &nv);
        igraph_vector_destroy(&nv);
    } else {
        igraph_vector_bool_t bv;
        rc = igraph_vector_bool_init(&bv, (igraph_integer_t)n);
        if (rc) return rc;
        for (size_t i = 0; i < n; i++) {
            col->get(c, i, &v);
            VECTOR(bv)[i] = v.b;
        }
        rc = target == T_NODE ? igraph_cattribute_VAB_setv(g, col->name, &bv)
                              : igraph_cattribute_EAB_setv(g, col->name, &bv);
        igraph_vector_bool_destroy(&bv);
    }
    dv_buf_free(&text);
    return rc;
}

/* Is s[0..n) a DOT identifier or numeral, which may stand unquoted? */
static bool dot_bare(const char *s, size_t n)
{
    if (!n) return false;
    unsigned char c0 = (unsigned char)s[0];
    if (c0 == '_' || (c0 >= 'A' && c0 <= 'Z') || (c0 >= 'a' && c0 <= 'z') || c0 >= 0x80) {
        for (size_t i = 1; i < n; i++) {
            unsigned char c = (unsigned char)s[i];
            if (!(c == '_' || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
                  (c >= 'a' && c <= 'z') || c >= 0x80))
                return false;
        }
        return true;
    }
    size_t i = s[0] == '-', digits = 0, dots = 0;
    for (; i < n; i++) {
        if (s[i] == '.') dots++;
        else if (s[i] >= '0' && s[i] <= '9') digits++;
        else return false;
    }
    return digits > 0 && dots <= 1;
}

/* Copy igraph's DOT from in to out, quoting the attribute values it left
 * bare that are not DOT identifiers or numerals: igraph 0.10 takes any run
 * of digits and dots for a number ("8542.39.00", an HS code) and writes
 * large numbers as 1e+12, and graphviz rejects both. igraph writes one
 * attribute a line, "  name=value"; a value it quoted is left alone. */
static int dot_requote(FILE *in, FILE *out)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, in)) > 0) {
        size_t len = (size_t)n - (line[n - 1] == '\n');
        char *eq = memchr(line, '=', len);
        size_t at = eq ? (size_t)(eq - line) + 1 : len;
        bool bare_attr = eq && at < len && line[at] != '"' && strspn(line, " ") > 0;
        if (bare_attr && !dot_bare(line + at, len - at)) {
            /* no quote or backslash in it: igraph quotes those */
            fprintf(out, "%.*s\"%.*s\"\n", (int)at, line, (int)(len - at), line + at);
        } else fwrite(line, 1, (size_t)n, out);
    }
    free(line);
    return ferror(in) ? -1 : 0;
}

/* igraph's error while a writer runs: recorded, not printed (main.c's
 * handler would print igraph's raw "Write failed" for a full disk), with
 * errno as the failing write left it, so that the caller can say what
 * went wrong once and in its own words. */
static char igraph_reason[256];
static int igraph_errno;

static void record_igraph_error(const char *reason, const char *file, int line, igraph_error_t code)
{
    (void)file, (void)line, (void)code;
    if (!igraph_errno) igraph_errno = errno;
    snprintf(igraph_reason, sizeof igraph_reason, "%s", reason);
    IGRAPH_FINALLY_FREE();
}

/* A failed write to the caller's stream: DV_EXIT_INPUT (a full disk, a
 * quota: something the user can fix), with the reason in err. */
static int stream_failed(dv_error *err, int e)
{
    return dv_fail(err, DV_EXIT_INPUT, "cannot write: %s", e ? strerror(e) : "a write failed");
}

static int write_igraph(FILE *f, net_ctx *c, dv_error *err)
{
    const dv_net *net = c->net;
    igraph_attribute_table_t *old = igraph_set_attribute_table(&igraph_cattribute_table);
    igraph_t g;
    bool made = false;
    igraph_error_t rc = igraph_empty(&g, (igraph_integer_t)net->n_nodes, IGRAPH_DIRECTED);
    made = rc == IGRAPH_SUCCESS;
    /* vertex i is node i: the edges' ends by entity row */
    uint32_t *vertex_of = NULL;
    if (!rc && net->n_edges) {
        vertex_of = dv_xmalloc(c->ds->n_entities * sizeof *vertex_of);
        for (size_t i = 0; i < net->n_nodes; i++) vertex_of[net->nodes[i]] = (uint32_t)i;
        igraph_vector_int_t ends;
        rc = igraph_vector_int_init(&ends, (igraph_integer_t)(2 * net->n_edges));
        if (!rc) {
            for (size_t i = 0; i < net->n_edges; i++) {
                const dv_shipment *s = &c->ds->shipments[net->edges[i]];
                VECTOR(ends)[2 * i] = vertex_of[s->shipper];
                VECTOR(ends)[2 * i + 1] = vertex_of[s->consignee];
            }
            rc = igraph_add_edges(&g, &ends, NULL);
            igraph_vector_int_destroy(&ends);
        }
        free(vertex_of);
    }
    for (size_t k = 0; k < N_COLS(graph_columns) && !rc; k++)
        if (column_wanted(c, &graph_columns[k])) rc = set_column(&g, c, &graph_columns[k], 0, 1);
    for (size_t k = 0; k < N_COLS(node_columns) && !rc; k++)
        if (column_wanted(c, &node_columns[k]))
            rc = set_column(&g, c, &node_columns[k], 1, net->n_nodes);
    for (size_t k = 0; k < N_COLS(edge_columns) && !rc; k++)
        if (column_wanted(c, &edge_columns[k]))
            rc = set_column(&g, c, &edge_columns[k], 2, net->n_edges);
    FILE *dot = NULL;
    int tmp_errno = 0;
    igraph_reason[0] = '\0';
    igraph_errno = 0;
    igraph_error_handler_t *handler = igraph_set_error_handler(record_igraph_error);
    if (!rc && c->fmt == DV_NET_GRAPHML) rc = igraph_write_graph_graphml(&g, f, true);
    else if (!rc) {
        /* through a temporary file, for dot_requote */
        dot = tmpfile();
        if (!dot) tmp_errno = errno ? errno : EIO;
        else rc = igraph_write_graph_dot(&g, dot);
    }
    igraph_set_error_handler(handler);
    if (made) igraph_destroy(&g);
    igraph_set_attribute_table(old);
    if (dot) {
        /* a failed write to the temporary: its directory is full or gone */
        errno = 0;
        if (rc ? ferror(dot) : (fflush(dot) != 0 || ferror(dot)))
            tmp_errno = igraph_errno ? igraph_errno : errno ? errno : EIO;
        else if (!rc && (fseek(dot, 0, SEEK_SET) != 0 || dot_requote(dot, f)))
            tmp_errno = errno ? errno : EIO;
        fclose(dot);
    }
    if (tmp_errno)
        return dv_fail(err, DV_EXIT_INPUT,
                       "cannot write or read back the DOT graph's temporary file (tmpfile(), "
                       "in /tmp): %s",
                       strerror(tmp_errno));
    if (rc && ferror(f)) return stream_failed(err, igraph_errno);
    if (rc)
        return dv_fail(err, DV_EXIT_INTERNAL, "igraph: cannot write the %s graph: %s (%s)",
                       dv_net_format_names[c->fmt], igraph_reason[0] ? igraph_reason : "no reason given",
                       igraph_strerror(rc));
    return 0;
}

/* ---- node-link JSON (networkx.node_link_graph's layout) ---- */

/* A JSON string: plain text written as it is (dv_json_string writes a
 * byte at a time, which a million-shipment export feels), the rest by
 * dv_json_string, the one place that escapes JSON. */
static void json_text(FILE *f, const char *s)
{
    size_t len;
    if (!plain_ascii(s, &len)) {
        dv_json_string(f, s);
        return;
    }
    fputc('"', f);
    fwrite(s, 1, len, f);
    fputc('"', f);
}

/* A number, null for NaN. */
static void json_number(FILE *f, double x)
{
    char buf[48];
    number_text(x, buf);
    fputs(buf[0] ? buf : "null", f);
}

static void json_cell(FILE *f, net_ctx *c, const column *col, size_t i, dv_buf *text, bool first)
{
    value v = {0};
    col->get(c, i, &v);
    if (!first) fputs(", ", f);
    json_text(f, col->name);
    fputs(": ", f);
    if (col->kind == K_STR) json_text(f, clean(v.s, text));
    else if (col->kind == K_NUM) json_number(f, v.x);
    else fputs(v.b ? "true" : "false", f);
}

static int write_json(FILE *f, net_ctx *c)
{
    const dv_net *net = c->net;
    dv_buf text = {0};
    fputs("{\"directed\": true, \"multigraph\": true, \"graph\": {", f);
    bool first = true;
    for (size_t k = 0; k < N_COLS(graph_columns); k++) {
        if (!column_wanted(c, &graph_columns[k])) continue;
        json_cell(f, c, &graph_columns[k], 0, &text, first);
        first = false;
    }
    fputs("},\n\"nodes\": [", f);
    for (size_t i = 0; i < net->n_nodes; i++) {
        fputs(i ? ",\n  {" : "\n  {", f);
        /* "id", the first column, is the node's key in networkx */
        first = true;
        for (size_t k = 0; k < N_COLS(node_columns); k++) {
            if (!column_wanted(c, &node_columns[k])) continue;
            json_cell(f, c, &node_columns[k], i, &text, first);
            first = false;
        }
        fputc('}', f);
    }
    fputs("],\n\"links\": [", f);
    for (size_t i = 0; i < net->n_edges; i++) {
        const dv_shipment *s = edge_ship(c, i);
        fputs(i ? ",\n  {" : "\n  {", f);
        fputs("\"source\": ", f);
        json_text(f, clean(shown(c, DV_PSEUDO_ENTITY, c->ds->entities[s->shipper].id), &text));
        fputs(", \"target\": ", f);
        json_text(f, clean(shown(c, DV_PSEUDO_ENTITY, c->ds->entities[s->consignee].id), &text));
        fputs(", \"key\": ", f);
        value v = {0};
        e_shipment(c, i, &v);
        json_text(f, clean(v.s, &text));
        for (size_t k = 0; k < N_COLS(edge_columns); k++)
            if (column_wanted(c, &edge_columns[k])) json_cell(f, c, &edge_columns[k], i, &text, false);
        fputc('}', f);
    }
    fputs("]}\n", f);
    dv_buf_free(&text);
    return 0;
}

int dv_net_write(FILE *f, const dv_net *net, dv_net_format fmt, const dv_pseudonymizer *ps,
                 dv_error *err)
{
    net_ctx c = {.net = net, .ds = &net->p->ds, .ps = ps, .fmt = fmt};
    dv_flagger_init(&c.flagger, c.ds, &net->p->cfg, &net->p->screening);
    int rc = fmt == DV_NET_JSON ? write_json(f, &c) : write_igraph(f, &c, err);
    dv_flagger_free(&c.flagger);
    dv_buf_free(&c.scratch);
    errno = 0;
    if (!rc && (fflush(f) != 0 || ferror(f))) rc = stream_failed(err, errno);
    return rc;
}

/* ---- --out FILE ---- */

int dv_net_check_out(const char *path, dv_error *err)
{
    if (!path[0]) return dv_fail(err, DV_EXIT_INPUT, "--out: the output file name is empty");
    struct stat st;
    if (lstat(path, &st) == 0) {
        if (S_ISLNK(st.st_mode))
            return dv_fail(err, DV_EXIT_INPUT,
                           "--out %s: is a symbolic link; divert does not write through links", path);
        if (S_ISDIR(st.st_mode))
            return dv_fail(err, DV_EXIT_INPUT, "--out %s: is a directory; --out names the file to write",
                           path);
        if (!S_ISREG(st.st_mode))
            return dv_fail(err, DV_EXIT_INPUT, "--out %s: is not a regular file", path);
    }
    /* the temporary goes beside it: its directory must take a new file */
    const char *slash = strrchr(path, '/');
    char *dir = slash ? dv_xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : dv_xstrdup(".");
    int rc = 0;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        rc = dv_fail(err, DV_EXIT_INPUT, "--out %s: %s is not a directory", path, dir);
    else if (access(dir, W_OK | X_OK) != 0)
        rc = dv_fail(err, DV_EXIT_INPUT, "--out %s: cannot create a file in %s: %s", path, dir,
                     strerror(errno));
    free(dir);
    return rc;
}

/* Is path the file *out (same device and inode)? */
static bool same_file(const struct stat *out, const char *path)
{
    struct stat st;
    return path && stat(path, &st) == 0 && st.st_dev == out->st_dev && st.st_ino == out->st_ino;
}

/* Would the loader read DIR's entry name as a table? NAME.csv or
 * NAME.csv.gz for each table, and the watchlist*.csv files (loader.c's
 * dv_find_table, lists.c's dv_load_lists). */
static bool table_file_name(const char *name)
{
    size_t len = strlen(name);
    size_t stem = len > 7 && !strcmp(name + len - 7, ".csv.gz") ? len - 7
                : len > 4 && !strcmp(name + len - 4, ".csv")    ? len - 4
                                                                 : 0;
    if (!stem) return false;
    if (!strncmp(name, "watchlist", 9)) return true;
    for (int t = 0; t < DV_T_COUNT; t++)
        if (strlen(dv_table_names[t]) == stem && !strncmp(name, dv_table_names[t], stem)) return true;
    return false;
}

static int refuse_input(const char *out, const char *input, dv_error *err)
{
    if (!strcmp(out, input))
        return dv_fail(err, DV_EXIT_INPUT,
                       "--out %s: is a file this run reads; divert does not write over its inputs "
                       "(choose another file)",
                       out);
    return dv_fail(err, DV_EXIT_INPUT,
                   "--out %s: is the file %s, which this run reads; divert does not write over its "
                   "inputs (choose another file)",
                   out, input);
}

int dv_net_check_inputs(const char *out, const char *dir, const dv_dataset *ds, const char *key,
                        dv_error *err)
{
    struct stat o;
    if (!out || stat(out, &o) != 0) return 0; /* not there yet: no input */
    if (key && same_file(&o, key)) return refuse_input(out, key, err);
    if (ds) {
        for (int t = 0; t < DV_T_COUNT; t++) {
            const dv_table_info *info = &ds->tables[t];
            if (info->path && !info->reference && same_file(&o, info->path))
                return refuse_input(out, info->path, err);
        }
        for (size_t i = 0; i < ds->n_lists; i++)
            if (same_file(&o, ds->lists[i].path)) return refuse_input(out, ds->lists[i].path, err);
        return 0;
    }
    DIR *d = dir ? opendir(dir) : NULL;
    if (!d) return 0; /* the load says what is wrong with it */
    int rc = 0;
    struct dirent *e;
    while (!rc && (e = readdir(d))) {
        if (!table_file_name(e->d_name)) continue;
        char *path = dv_xasprintf("%s/%s", dir, e->d_name);
        if (same_file(&o, path)) rc = refuse_input(out, path, err);
        free(path);
    }
    closedir(d);
    return rc;
}

/* The graph to standard output, through a stream of its own on a copy of
 * descriptor 1: a failed write is reported here, once, and leaves stdout
 * itself clean (cli.c would report it again otherwise). */
static int write_stdout(const dv_net *net, dv_net_format fmt, const dv_pseudonymizer *ps,
                        dv_error *err)
{
    fflush(stdout);
    int fd = dup(STDOUT_FILENO);
    FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
    if (!f) {
        int e = errno;
        if (fd >= 0) close(fd);
        return dv_fail(err, DV_EXIT_INPUT, "standard output: cannot write: %s", strerror(e));
    }
    int rc = dv_net_write(f, net, fmt, ps, err);
    errno = 0;
    if (fclose(f) != 0 && !rc) rc = stream_failed(err, errno);
    if (rc == DV_EXIT_INPUT && !strncmp(err->msg, "cannot write: ", 14)) {
        char why[sizeof err->msg];
        snprintf(why, sizeof why, "%s", err->msg);
        dv_fail(err, rc, "standard output: %s", why);
    }
    return rc;
}

int dv_net_write_file(const char *path, const dv_net *net, dv_net_format fmt,
                      const dv_pseudonymizer *ps, dv_error *err)
{
    if (!path) return write_stdout(net, fmt, ps, err);
    int rc = dv_net_check_out(path, err);
    if (rc) return rc;
    const char *slash = strrchr(path, '/');
    char *tmp = slash ? dv_xasprintf("%.*s.%s.tmp-XXXXXX", (int)(slash - path + 1), path, slash + 1)
                      : dv_xasprintf(".%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return dv_fail(err, DV_EXIT_INPUT, "--out %s: cannot create a file in its directory: %s", path,
                       strerror(e));
    }
    /* mkstemp makes it 0600: a file it replaces keeps its permissions, a
     * new one gets the umask's default, as any new file would */
    struct stat st;
    mode_t mode;
    if (lstat(path, &st) == 0 && S_ISREG(st.st_mode)) mode = st.st_mode & 0777;
    else {
        mode_t mask = umask(0);
        umask(mask);
        mode = 0666 & ~mask;
    }
    if (fchmod(fd, mode) != 0) {
        int e = errno;
        close(fd);
        unlink(tmp);
        free(tmp);
        return dv_fail(err, dv_outdir_status(e), "--out %s: cannot set the new file's mode: %s",
                       path, strerror(e));
    }
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        unlink(tmp);
        free(tmp);
        return dv_fail(err, DV_EXIT_INTERNAL, "--out %s: %s", path, strerror(errno));
    }
    rc = dv_net_write(f, net, fmt, ps, err);
    if (rc == DV_EXIT_INPUT && !strncmp(err->msg, "cannot write: ", 14)) {
        char why[sizeof err->msg];
        snprintf(why, sizeof why, "%s", err->msg);
        dv_fail(err, rc, "--out %s: %s", path, why);
    }
    if (!rc && fsync(fileno(f)) != 0)
        rc = dv_fail(err, dv_outdir_status(errno), "--out %s: cannot sync: %s", path, strerror(errno));
    errno = 0;
    if (fclose(f) != 0 && !rc)
        rc = dv_fail(err, errno ? dv_outdir_status(errno) : DV_EXIT_INPUT, "--out %s: cannot write: %s",
                     path, strerror(errno ? errno : EIO));
    if (!rc && rename(tmp, path) != 0)
        rc = dv_fail(err, dv_outdir_status(errno), "--out %s: cannot put the file in place: %s", path,
                     strerror(errno));
    if (rc) unlink(tmp);
    free(tmp);
    return rc;
}
