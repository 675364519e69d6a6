/*
 * report_html.c: report.html, one self-contained page for a reader who
 * never saw divert (docs/report.md).
 *
 * The page is four parts, all inline: a style sheet, a header written
 * here (the dataset's name, escaped as HTML text and attribute values),
 * the data (report_alerts.c's document, escaped for a <script> element of
 * type application/json, which a browser never runs) and one script
 * (src/report/report.js, compiled in) that builds the summary, the table
 * of alerts with its sorting and filters, and each route's drawing as
 * SVG from the coordinates igraph computed. The script builds every
 * element through the DOM with textContent and setAttribute, never from
 * markup, so a name in the data stays text.
 *
 * The page's Content-Security-Policy allows nothing to be fetched
 * (default-src 'none') and only the one script whose SHA-256 it names to
 * run: no network request of any kind, and an injected handler would not
 * run even if an escape were missed.
 */
#include "divert/report.h"

#include <stdlib.h>
#include <string.h>

#include "divert/stats.h"

/* report_assets.c, made by cmake/embed-report.cmake */
extern const char dv_report_js[];
extern const char dv_report_css[];
extern const char dv_report_js_sha256[]; /* 64 hex digits */
extern const char dv_research_js[];
extern const char dv_research_css[];
extern const char dv_research_js_sha256[];

bool dv_report_left_out(const dv_pipeline *p)
{
    return p->cfg.no_report;
}

/* Text for HTML, fit for an element's content and for a quoted attribute
 * value alike: & < > " ' as character references, invalid UTF-8 as
 * U+FFFD. The one place HTML is escaped. */
void dv_html_text(FILE *f, const char *s)
{
    dv_buf clean = {0};
    size_t n = strlen(s);
    if (!dv_utf8_valid(s, n)) {
        dv_utf8_sanitize(s, n, &clean);
        s = clean.data;
    }
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*s, f);
        }
    }
    dv_buf_free(&clean);
}

/* A script's hash (64 hex digits) as CSP wants it: base64 of the 32 bytes. */
static void sha256_base64(const char *hex, char out[45])
{
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    unsigned char bytes[33] = {0};
    for (int i = 0; i < 32; i++) {
        char two[3] = {hex[2 * i], hex[2 * i + 1], 0};
        bytes[i] = (unsigned char)strtoul(two, NULL, 16);
    }
    int o = 0;
    for (int i = 0; i < 33; i += 3) {
        unsigned v = (unsigned)bytes[i] << 16 | (unsigned)bytes[i + 1] << 8 |
                     (i + 2 < 33 ? bytes[i + 2] : 0);
        out[o++] = digits[v >> 18 & 63];
        out[o++] = digits[v >> 12 & 63];
        out[o++] = i + 1 < 32 ? digits[v >> 6 & 63] : '=';
        out[o++] = i + 2 < 32 ? digits[v & 63] : '=';
    }
    out[44] = '\0';
}

void dv_html_head(FILE *f, const char *title, const char *dataset, const char *js_sha256,
                  const char *const *css, size_t n_css)
{
    char hash[45];
    sha256_base64(js_sha256, hash);
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n", f);
    fprintf(f,
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; img-src data:; script-src 'sha256-%s'\">\n",
            hash);
    fputs("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta name=\"generator\" content=\"divert " DIVERT_VERSION "\">\n"
          "<link rel=\"icon\" href=\"data:,\">\n<title>",
          f);
    dv_html_text(f, title);
    dv_html_text(f, dataset);
    fputs("</title>\n<style>\n", f);
    for (size_t i = 0; i < n_css; i++) fputs(css[i], f);
    fputs("</style>\n</head>\n", f);
}

/* After the page's data: its script, and the end. */
static void page_end(FILE *f, const char *js)
{
    /* the script's bytes exactly as hashed: nothing between the tags */
    fputs("</script>\n<script>", f);
    fputs(js, f);
    fputs("</script>\n</body>\n</html>\n", f);
}

int dv_write_report_html(FILE *f, const dv_pipeline *p)
{
    const char *css[] = {dv_report_css};
    dv_html_head(f, "divert report: ", p->ds.dir, dv_report_js_sha256, css, 1);
    fputs("<body>\n<header>\n<h1>Transshipment alerts</h1>\n"
          "<p class=\"sub\">divert " DIVERT_VERSION " scan of <span class=\"dataset\" title=\"",
          f);
    dv_html_text(f, p->ds.dir);
    fputs("\">", f);
    dv_html_text(f, p->ds.dir);
    fprintf(f,
            "</span>: %zu alert%s.</p>\n</header>\n"
            "<noscript><p>This report draws its tables and routes with JavaScript; the same "
            "data is in alerts.json and alerts.csv beside it.</p></noscript>\n"
            "<main id=\"app\"></main>\n",
            p->result.n_alerts, p->result.n_alerts == 1 ? "" : "s");
    fputs("<script type=\"application/json\" id=\"divert-data\">\n", f);
    dv_report_doc_opts o = {.in_script = true, .layout = true,
                            .max_evidence = DV_REPORT_MAX_EVIDENCE};
    int rc = dv_write_report_doc(f, p, &o);
    if (rc) return rc;
    page_end(f, dv_report_js);
    return ferror(f) ? DV_EXIT_INTERNAL : 0;
}

bool dv_research_left_out(const dv_pipeline *p)
{
    return p->cfg.no_report;
}

int dv_write_research_html(FILE *f, const dv_pipeline *p)
{
    const char *css[] = {dv_report_css, dv_research_css};
    dv_html_head(f, "divert research: ", p->ds.dir, dv_research_js_sha256, css, 2);
    bool pub = p->stats && p->stats->publish;
    fputs("<body>\n<header>\n<h1>", f);
    fputs(pub ? "Controlled trade: published aggregates" : "Controlled trade: corridors, brokers, "
                                                           "communities and trends", f);
    fputs("</h1>\n<p class=\"sub\">divert " DIVERT_VERSION " stats of <span class=\"dataset\" "
          "title=\"", f);
    dv_html_text(f, p->ds.dir);
    fputs("\">", f);
    dv_html_text(f, p->ds.dir);
    fputs("</span></p>\n</header>\n"
          "<noscript><p>This page draws its charts with JavaScript; the same figures are in "
          "the CSV files and the JSON beside it.</p></noscript>\n"
          "<main id=\"app\"></main>\n"
          "<script type=\"application/json\" id=\"divert-data\">\n", f);
    int rc = dv_write_research_doc(f, p);
    if (rc) return rc;
    page_end(f, dv_research_js);
    return ferror(f) ? DV_EXIT_INTERNAL : 0;
}
