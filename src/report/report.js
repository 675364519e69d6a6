/* report.html's script (compiled into divert; see report_html.c).
 *
 * Reads the document in #divert-data (alerts.json's, docs/report.md) and
 * builds the page: the summary, the table of alerts (sorted by clicking a
 * column's header, filtered by severity, track, status, item, country and
 * a party text; with a case store, what changed since the last run), and, when a row is opened, the alert's detail with its route
 * drawn as SVG at the coordinates igraph gave. Every element is made
 * through the DOM and every text set with textContent or setAttribute:
 * nothing from the data is ever parsed as markup. */
(function () {
  "use strict";
  var el = divert.el, svg = divert.svg, add = divert.add, num = divert.num;
  var data = divert.data();
  var alerts = data.alerts;
  var app = document.getElementById("app");
  var FIRST_ROWS = 1000; /* rows drawn at once; "show all" draws the rest */

  function route(a) {
    return a.parties.filter(function (p) { return p.position !== "declared_end_user"; });
  }
  function sevBadge(sev) { return el("span", { "class": "sev sev-" + sev }, sev); }

  /* ---- summary ---- */
  /* With a case store: this run's statuses and each change since the last
   * run, news first (changes.csv's order). */
  function changesCard(c) {
    var card = add(el("div", { "class": "card", id: "changes" }),
                   el("h3", null, "What changed (case store run " + c.run_id + ")"));
    var counts = el("table");
    ["new", "reopened", "open", "dismissed", "escalated"].forEach(function (k) {
      add(counts, add(el("tr"), el("td", null, k), el("td", { "class": "num" }, num(c.status[k]))));
    });
    add(card, counts);
    if (!c.changes.length) return add(card, el("div", null, "nothing changed since the last run"));
    var t = add(el("table", { id: "changes-list" }),
                add(el("tr"), el("th", null, "alert"), el("th", null, "change"), el("th", null, "what")));
    c.changes.slice(0, 50).forEach(function (ch) {
      add(t, add(el("tr"), el("td", { "class": "mono" }, ch.alert_id), el("td", null, ch.change),
                 el("td", null, ch.what)));
    });
    add(card, t);
    if (c.changes.length > 50) add(card, el("div", null, (c.changes.length - 50) + " more in changes.csv"));
    return card;
  }
  function countCard(title, obj, order) {
    var card = add(el("div", { "class": "card" }), el("h3", null, title));
    var t = el("table");
    var keys = order || Object.keys(obj).sort(function (x, y) { return obj[y] - obj[x] || (x < y ? -1 : 1); });
    keys.forEach(function (k) {
      if (obj[k] === undefined) return;
      add(t, add(el("tr"), el("td", null, k), el("td", { "class": "num" }, num(obj[k]))));
    });
    if (!keys.length) add(t, add(el("tr"), el("td", null, "none")));
    return add(card, t);
  }
  function summary() {
    var s = data.summary;
    var sec = add(el("section", { id: "summary" }), el("h2", null, "Summary"));
    var cards = el("div", { "class": "cards" });
    var head = add(el("div", { "class": "card" }), el("h3", null, "Alerts"),
                   el("div", { "class": "big", id: "total-alerts" }, num(s.alerts.total)),
                   el("div", null, num(s.shipments) + " shipments in " + data.dataset));
    add(cards, head);
    var inputs = add(el("div", { "class": "card" }), el("h3", null, "Inputs"));
    var t = add(el("table"), add(el("tr"), el("th", null, "table"), el("th", { "class": "num" }, "read"),
                                 el("th", { "class": "num" }, "loaded"), el("th", { "class": "num" }, "rejected")));
    Object.keys(s.tables).forEach(function (name) {
      var r = s.tables[name];
      var label = r.file === null ? name + " (absent)" : r.reference ? name + " (built-in reference)" : name;
      add(t, add(el("tr"), el("td", null, label), el("td", { "class": "num" }, num(r.rows_read)),
                 el("td", { "class": "num" }, num(r.rows_loaded)), el("td", { "class": "num" }, num(r.rows_rejected))));
    });
    add(inputs, t);
    /* list rows neither loaded nor rejected: vessels and the like, and
       other names of a party met on an earlier row */
    Object.keys(s.tables).forEach(function (name) {
      var r = s.tables[name];
      if (r.rows_skipped)
        add(inputs, el("div", { "class": "note" }, name + ": " + num(r.rows_skipped) +
                       " rows skipped, not parties (vessels, aircraft and the like)"));
      if (r.rows_joined)
        add(inputs, el("div", { "class": "note" }, name + ": " + num(r.rows_joined) +
                       " rows joined to the entry of an earlier row (other names of a party)"));
    });
    add(cards, inputs);
    add(cards, countCard("Rejected rows by reason", s.rejects_by_reason));
    add(cards, countCard("Alerts by severity", { critical: s.alerts.critical, high: s.alerts.high,
                                                 medium: s.alerts.medium, low: s.alerts.low },
                         ["critical", "high", "medium", "low"]));
    add(cards, countCard("Alerts by review track", s.alerts_by_track, ["priority", "expedited", "standard"]));
    add(cards, countCard("Alerts by item", s.alerts_by_item));
    add(cards, countCard("Alerts by transit country", s.alerts_by_transit_country));
    if (s.cases) add(cards, changesCard(s.cases));
    if (s.partial_items.length)
      add(cards, add(el("div", { "class": "card" }), el("h3", null, "Partial item entries"),
                     el("div", null, s.partial_items.join(", ") + " reached a search budget (see summary.json)")));
    return add(sec, cards);
  }

  /* ---- the table ---- */
  var columns = [
    { name: "Score", key: function (a) { return a.score; }, num: true },
    { name: "Severity", key: function (a) { return ["low", "medium", "high", "critical"].indexOf(a.severity); },
      desc: true, /* by rank: critical first, as Score's highest first */
      cell: function (a) { return sevBadge(a.severity); } },
    { name: "Track", key: function (a) { return a.track; } },
    { name: "Status", key: function (a) { return a.status; } },
    { name: "Item", key: function (a) { return a.item.code; } },
    { name: "Route", key: function (a) { return route(a).map(function (p) { return p.name; }).join(" > "); },
      cell: function (a) { /* each name isolated: a right-to-left override in one cannot turn the others */
        var span = el("span", { "class": "route-names" });
        route(a).forEach(function (p, i) { if (i) span.appendChild(document.createTextNode(" > ")); add(span, el("bdi", null, p.name)); });
        return span; } },
    { name: "Countries", key: function (a) { return route(a).map(function (p) { return p.country; }).join(">"); } },
    { name: "First date", key: function (a) { return a.first_date; } },
    { name: "Last date", key: function (a) { return a.last_date; } },
    { name: "Shipments", key: function (a) { return a.shipments; }, num: true },
    { name: "Alert", key: function (a) { return a.id; }, mono: true }
  ];
  var state = { sort: -1, dir: 1, all: false };
  var tbody, shownText, filters = {};

  function options(values) {
    var seen = Object.create(null);
    return values.filter(function (v) { return seen[v] ? false : (seen[v] = true); }).sort();
  }
  function select(name, label, values) {
    var s = el("select", { id: "filter-" + name, name: name });
    add(s, el("option", { value: "" }, "all"));
    values.forEach(function (v) { add(s, el("option", { value: v }, v)); });
    s.addEventListener("change", render);
    filters[name] = s;
    return add(el("label"), document.createTextNode(label), s);
  }
  function filterBar() {
    var bar = el("div", { "class": "filters", id: "filters" });
    add(bar, select("severity", "Severity", ["critical", "high", "medium", "low"].filter(function (v) {
      return alerts.some(function (a) { return a.severity === v; }); })));
    add(bar, select("track", "Review track", options(alerts.map(function (a) { return a.track; }))));
    add(bar, select("status", "Status", options(alerts.map(function (a) { return a.status; }))));
    add(bar, select("item", "Item", options(alerts.map(function (a) { return a.item.code; }))));
    var countries = [];
    alerts.forEach(function (a) { route(a).forEach(function (p) { countries.push(p.country); }); });
    add(bar, select("country", "Country on the route", options(countries)));
    var q = el("input", { id: "filter-party", type: "search", placeholder: "name or id" });
    q.addEventListener("input", render);
    filters.party = q;
    add(bar, add(el("label"), document.createTextNode("Party"), q));
    shownText = el("span", { id: "shown" });
    return add(bar, shownText);
  }
  function matches(a) {
    var f = filters;
    if (f.severity.value && a.severity !== f.severity.value) return false;
    if (f.track.value && a.track !== f.track.value) return false;
    if (f.status.value && a.status !== f.status.value) return false;
    if (f.item.value && a.item.code !== f.item.value) return false;
    var r = route(a);
    if (f.country.value && !r.some(function (p) { return p.country === f.country.value; })) return false;
    var q = f.party.value.trim().toLowerCase();
    /* any party: the route's, the declared end users drawn, and by id the
     * declared end users of the evidence the page holds */
    if (q && !a.parties.some(function (p) {
      return p.name.toLowerCase().indexOf(q) >= 0 || p.id.toLowerCase().indexOf(q) >= 0; }) &&
        !a.evidence.some(function (e) {
      return e.declared_end_user !== null && e.declared_end_user.toLowerCase().indexOf(q) >= 0; })) return false;
    return true;
  }
  function compare(x, y) {
    var c = columns[state.sort], kx = c.key(x), ky = c.key(y);
    if (kx === ky) return x._order - y._order;
    if (kx === null) return 1;
    if (ky === null) return -1;
    return (kx < ky ? -1 : 1) * state.dir;
  }
  function row(a) {
    var tr = el("tr", { "class": "alert", "data-alert": a.id, tabindex: "0" });
    columns.forEach(function (c) {
      var td = el("td", { "class": (c.num ? "num" : "") + (c.mono ? " mono" : "") });
      if (c.cell) add(td, c.cell(a));
      else td.textContent = c.key(a) === null ? "" : String(c.key(a));
      add(tr, td);
    });
    function toggle() {
      var next = tr.nextSibling;
      if (next && next.classList.contains("detail-row")) {
        next.parentNode.removeChild(next);
        tr.classList.remove("open");
        return;
      }
      tr.classList.add("open");
      var d = add(el("tr", { "class": "detail-row" }), add(el("td", { colspan: String(columns.length), "class": "detail" }), detail(a)));
      tr.parentNode.insertBefore(d, tr.nextSibling);
    }
    tr.addEventListener("click", toggle);
    tr.addEventListener("keydown", function (e) { if (e.key === "Enter") toggle(); });
    return tr;
  }
  function render() {
    var list = alerts.filter(matches);
    if (state.sort >= 0) list.sort(compare);
    var frag = document.createDocumentFragment();
    var n = state.all ? list.length : Math.min(list.length, FIRST_ROWS);
    for (var i = 0; i < n; i++) frag.appendChild(row(list[i]));
    tbody.textContent = "";
    tbody.appendChild(frag);
    shownText.textContent = n + " of " + alerts.length + " alerts shown" +
      (n < list.length ? " (" + list.length + " match)" : "");
    more.style.display = n < list.length ? "" : "none";
    more.textContent = "Show all " + list.length + " matching alerts";
  }
  var more = el("button", { "class": "more", id: "show-all", type: "button" });
  more.addEventListener("click", function () { state.all = true; render(); });

  function table() {
    var t = el("table", { "class": "alerts", id: "alerts" });
    var tr = el("tr");
    columns.forEach(function (c, i) {
      var th = el("th", { "class": c.num ? "num" : "", "data-column": c.name, scope: "col" }, c.name);
      th.addEventListener("click", function () {
        if (state.sort === i) state.dir = -state.dir;
        else { state.sort = i; state.dir = c.num || c.desc ? -1 : 1; }
        Array.prototype.forEach.call(tr.children, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", state.dir > 0 ? "ascending" : "descending");
        render();
      });
      add(tr, th);
    });
    add(t, add(el("thead"), tr));
    tbody = el("tbody");
    return add(t, tbody);
  }

  /* ---- one alert ---- */
  var BOX_W = 270, BOX_H = 84, GAP_X = 40, GAP_Y = 86, PAD = 16;
  function clip(s, n) { return s.length > n ? s.slice(0, n - 1) + "\u2026" : s; }
  function drawing(a) {
    var pos = a.layout, ps = a.parties;
    var minX = Infinity, maxX = -Infinity, maxY = 0;
    pos.forEach(function (p) { minX = Math.min(minX, p[0]); maxX = Math.max(maxX, p[0]); maxY = Math.max(maxY, p[1]); });
    function cx(v) { return PAD + (pos[v][0] - minX) * (BOX_W + GAP_X) + BOX_W / 2; }
    function top(v) { return PAD + pos[v][1] * (BOX_H + GAP_Y); }
    var labelRoom = 230;
    var w = PAD * 2 + (maxX - minX) * (BOX_W + GAP_X) + BOX_W + labelRoom;
    var h = PAD * 2 + maxY * (BOX_H + GAP_Y) + BOX_H;
    /* width is the most it takes; the style sheet scales it down to the page */
    var s = svg("svg", { width: String(w), height: String(h), viewBox: "0 0 " + w + " " + h,
                         role: "img", "class": "route", "data-alert": a.id });
    add(s, svg("title", null, "Route of alert " + a.id));
    var defs = svg("defs");
    var marker = svg("marker", { id: "arrow-" + a.id, viewBox: "0 0 10 10", refX: "10", refY: "5",
                                 markerWidth: "8", markerHeight: "8", orient: "auto-start-reverse" });
    add(defs, add(marker, svg("path", { d: "M0,0 L10,5 L0,10 z", fill: "#46505f" })));
    add(s, defs);
    function edge(from, to, cls, lines) {
      var x1 = cx(from), y1 = top(from) + BOX_H, x2 = cx(to), y2 = top(to);
      var g = svg("g", { "class": "hop" });
      add(g, svg("path", { "class": "edge " + cls, d: "M" + x1 + "," + y1 + " C" + x1 + "," + (y1 + GAP_Y / 2) +
                 " " + x2 + "," + (y2 - GAP_Y / 2) + " " + x2 + "," + y2, "marker-end": "url(#arrow-" + a.id + ")" }));
      /* beside the arrow's middle, on the side it does not bend to */
      var left = x2 < x1, lx = (x1 + x2) / 2 + (left ? -8 : 8), ly = (y1 + y2) / 2 - (lines.length - 1) * 7;
      lines.forEach(function (t, i) {
        add(g, svg("text", { x: String(lx), y: String(ly + i * 14), "class": "label",
                             "text-anchor": left ? "end" : "start" }, t));
      });
      add(s, g);
    }
    a.hops.forEach(function (hop, i) {
      var dates = hop.first_date === hop.last_date ? hop.first_date : hop.first_date + " to " + hop.last_date;
      edge(i, i + 1, "", [hop.shipments + " shipment" + (hop.shipments === 1 ? "" : "s") + ", qty " + num(hop.quantity),
                          dates || ""]);
    });
    /* unlabelled: their boxes say "declared end user", and a label here
     * would lie across the first hop's */
    for (var k = a.hops.length + 1; k < ps.length; k++) edge(0, k, "declared", []);
    ps.forEach(function (p, v) {
      var x = cx(v) - BOX_W / 2, y = top(v);
      var g = svg("g", { "class": "party", "data-id": p.id });
      var cls = "box" + (p.weak ? " weak" : "") + (p.watchlist ? " listed" : "") +
                (p.position === "declared_end_user" ? " declared" : "");
      add(g, svg("title", null, p.name + " (" + p.id + ")"));
      add(g, svg("rect", { x: String(x), y: String(y), width: String(BOX_W), height: String(BOX_H), rx: "6", "class": cls }));
      var lines = [
        [clip(p.name, 33), "font-weight:600"],
        [p.position.replace(/_/g, " ") + ": " + p.role.replace(/_/g, " ") + (p.sector ? ", " + p.sector : ""), ""],
        [p.country + (p.country_name ? " " + clip(p.country_name, 18) : "") + ", safeguard " + p.safeguard.toFixed(2), ""]
      ];
      lines.forEach(function (l, i) {
        add(g, svg("text", { x: String(x + 8), y: String(y + 18 + i * 16), style: l[1] + ";font-size:" + (i ? 12 : 13) + "px" }, l[0]));
      });
      var badges = [];
      if (p.weak) badges.push([p.hub ? "WEAK: NAMED HUB" : "WEAK SAFEGUARDS", "badge-weak"]);
      if (p.watchlist) badges.push(["WATCHLIST " + p.watchlist.score.toFixed(2), "badge-listed"]);
      var bx = x + 8;
      badges.forEach(function (b) {
        add(g, svg("text", { x: String(bx), y: String(y + BOX_H - 8), "class": b[1], style: "font-size:11px" }, b[0]));
        bx += b[0].length * 7.6 + 12;
      });
      add(s, g);
    });
    return s;
  }
  function kv(t, k, v) { add(t, add(el("tr"), el("th", null, k), el("td", null, v))); }
  function detail(a) {
    var d = el("div", { "class": "detail", "data-alert": a.id });
    add(d, el("h4", null, "Alert " + a.id + ": " + a.item.code + (a.item.control ? " (" + a.item.control + ")" : "") +
              (a.item.description ? ", " + a.item.description : "")));
    add(d, add(el("div", { "class": "drawing" }), drawing(a)));
    var drawnDeclared = a.parties.length - route(a).length;
    if (a.declared_end_users > drawnDeclared)
      add(d, el("p", { "class": "legend declared-more" }, "The first leg's shipments declare " + a.declared_end_users +
                " end users off the route: " + drawnDeclared + " drawn and " + (a.declared_end_users - drawnDeclared) +
                " more (see the evidence shipments' declared end user)."));
    add(d, el("p", { "class": "legend" }, "Boxes are parties (orange: a weak-safeguard country, one whose safeguard score is under the weak threshold (0.50 by default) or that an export-control authority has named as a transshipment hub whatever its score; red border: a watchlist match; dashed: an end user the shipments declared), arrows the shipments of each hop with their dates and quantities."));
    add(d, el("h4", null, "Parties"));
    var pt = add(el("table", { "class": "parties" }), add(el("tr"), el("th", null, "position"), el("th", null, "id"),
                 el("th", null, "name"), el("th", null, "role"), el("th", null, "sector"), el("th", null, "country"),
                 el("th", null, "safeguard"), el("th", null, "watchlist")));
    a.parties.forEach(function (p) {
      var wl = p.watchlist ? p.watchlist.list_name + " (" + p.watchlist.list_id + ", " + (p.watchlist.source || "") +
               ", score " + p.watchlist.score.toFixed(2) + ")" : "";
      add(pt, add(el("tr"), el("td", null, p.position.replace(/_/g, " ")), el("td", { "class": "mono" }, p.id),
                  add(el("td", { "class": "party-name" }), el("bdi", null, p.name)), el("td", null, p.role), el("td", null, p.sector || ""),
                  el("td", null, p.country + (p.country_name ? " " + p.country_name : "")),
                  el("td", null, p.safeguard.toFixed(2) + (p.weak ? (p.hub ? " weak (named hub)" : " weak (under the threshold)") : "")), el("td", null, wl)));
    });
    add(d, pt);
    add(d, el("p", { "class": "status" }, "Status: " + a.status + (a.status_reason ? " (" + a.status_reason + ")" : "")));
    add(d, el("h4", null, "Rules (score " + a.score + ", " + a.severity + "; review track " + a.track + ")"));
    var rt = add(el("table", { "class": "rules" }), add(el("tr"), el("th", null, "rule"), el("th", null, "points"), el("th", null, "reason")));
    a.rules.forEach(function (r) {
      add(rt, add(el("tr"), el("td", { "class": "mono" }, r.rule), el("td", { "class": "num" }, r.points.toFixed(2)), el("td", null, r.reason)));
    });
    add(d, rt);
    add(d, el("h4", null, "Licences of the origin for this item"));
    if (a.licences.length) {
      var lt = add(el("table", { "class": "licences" }), add(el("tr"), el("th", null, "licence"), el("th", null, "item"),
                   el("th", null, "destination"), el("th", null, "end user"), el("th", null, "sectors"), el("th", null, "valid"),
                   el("th", null, "end use"), el("th", null, "quantity"), el("th", null, "verdict"), el("th", null, "why")));
      a.licences.forEach(function (l) {
        add(lt, add(el("tr", { "data-licence": l.id }), el("td", { "class": "mono" }, l.id), el("td", null, l.item),
                    el("td", null, l.destination), el("td", { "class": "mono" }, l.end_user || "any"),
                    el("td", null, l.sectors || "any"), el("td", null, (l.valid_from || "open") + " to " + (l.valid_to || "open")),
                    el("td", null, l.end_use || ""), el("td", { "class": "num" }, num(l.quantity)),
                    el("td", { "class": l.covers ? "covers" : "not-covers" }, l.covers ? "covers" : "does not cover"),
                    el("td", null, l.why)));
      });
      add(d, lt);
    } else add(d, el("p", null, "None: the origin holds no licence whose item begins the shipped code."));
    add(d, el("h4", null, "Evidence shipments (" + a.evidence_total + ")"));
    var et = add(el("table", { "class": "evidence" }), add(el("tr"), el("th", null, "hop"), el("th", null, "shipment"),
                 el("th", null, "date"), el("th", null, "shipper"), el("th", null, "consignee"), el("th", null, "item"),
                 el("th", null, "quantity"), el("th", null, "value"), el("th", null, "licence"), el("th", null, "declared end user")));
    a.evidence.forEach(function (e) {
      add(et, add(el("tr"), el("td", { "class": "num" }, e.hop), el("td", { "class": "mono" }, e.id), el("td", null, e.date),
                  el("td", { "class": "mono" }, e.shipper), el("td", { "class": "mono" }, e.consignee), el("td", null, e.item),
                  el("td", { "class": "num" }, num(e.quantity)), el("td", { "class": "num" }, num(e.value)),
                  el("td", null, e.licence || ""), el("td", { "class": "mono" }, e.declared_end_user || "")));
    });
    add(d, et);
    if (a.evidence.length < a.evidence_total)
      add(d, el("p", null, "The first " + a.evidence.length + " of " + a.evidence_total + " shipments; alerts.json lists them all."));
    add(d, el("h4", null, "Explanation"));
    add(d, el("p", { "class": "explanation" }, a.explanation));
    return d;
  }

  alerts.forEach(function (a, i) { a._order = i; });
  add(app, summary());
  add(app, el("h2", null, "Alerts"));
  add(app, el("p", { "class": "legend" }, "Click a column's header to sort by it (again to reverse), a row to open the alert's route, rules and evidence."));
  add(app, filterBar());
  add(app, table());
  add(app, more);
  render();
  /* for measuring the first screen (docs/report.md) */
  if (window.performance && performance.mark) performance.mark("divert-first-screen");
})();
