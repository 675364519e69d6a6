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

/* report_assets.c, made by cmake/embed-report.cmake */
extern const char dv_report_js[];
extern const char dv_report_css[];
extern const char dv_report_js_sha256[]; /* 64 hex digits */

bool dv_report_left_out(const dv_pipeline *p)
{
    return p->cfg.no_report;
}

/* Text for HTML, fit for an element's content and for a quoted attribute
 * value alike: & < > " ' as character references, invalid UTF-8 as
 * U+FFFD. The one place HTML is escaped. */
static void html_text(FILE *f, const char *s)
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

/* The script's hash as CSP wants it: base64 of the 32 bytes. */
static void sha256_base64(char out[45])
{
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    unsigned char bytes[33] = {0};
    for (int i = 0; i < 32; i++) {
        char two[3] = {dv_report_js_sha256[2 * i], dv_report_js_sha256[2 * i + 1], 0};
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

int dv_write_report_html(FILE *f, const dv_pipeline *p)
{
    char hash[45];
    sha256_base64(hash);
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n", f);
    fprintf(f,
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; img-src data:; script-src 'sha256-%s'\">\n",
            hash);
    fputs("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta name=\"generator\" content=\"divert " DIVERT_VERSION "\">\n"
          "<link rel=\"icon\" href=\"data:,\">\n<title>divert report: ",
          f);
    html_text(f, p->ds.dir);
    fputs("</title>\n<style>\n", f);
    fputs(dv_report_css, f);
    fputs("</style>\n</head>\n<body>\n<header>\n<h1>Transshipment alerts</h1>\n"
          "<p class=\"sub\">divert " DIVERT_VERSION " scan of <span class=\"dataset\" title=\"",
          f);
    html_text(f, p->ds.dir);
    fputs("\">", f);
    html_text(f, p->ds.dir);
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
    /* the script's bytes exactly as hashed: nothing between the tags */
    fputs("</script>\n<script>", f);
    fputs(dv_report_js, f);
    fputs("</script>\n</body>\n</html>\n", f);
    return ferror(f) ? DV_EXIT_INTERNAL : 0;
}
