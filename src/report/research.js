/* research.html's script (compiled into divert after common.js; see
 * report_html.c and docs/research.md).
 *
 * Reads the document in #divert-data (report_stats.c's research document:
 * the corridors and trends of stats.json, or their published cells under
 * --publish, the period axis, the first brokers and the drawings of the
 * first communities with igraph's positions) and draws four charts as SVG:
 * the main corridors as a flow diagram, the trend of flagged value by
 * transit country with the baseline marked, the broker ranking, and the
 * communities. Every chart says what its axes, widths and units are and
 * where its figures come from. Nothing is fetched: the page holds all. */
(function () {
  "use strict";
  var el = divert.el, svg = divert.svg, add = divert.add, num = divert.num;
  var data = divert.data();
  var app = document.getElementById("app");
  var pub = data.published;
  var VALUE_UNIT = "value in the unit of shipments.csv's value column";
  var PALETTE = ["#1f5f99", "#c0392b", "#2e8b57", "#b8860b", "#6a3d9a", "#d35400",
                 "#117a8b", "#8e44ad", "#7f8c8d", "#a0522d"];
  var MAIN_CORRIDORS = 12, TREND_LINES = 6;

  function source(file) {
    return el("p", { "class": "source" }, "Source: " + data.generator + " stats of " + data.dataset +
              " (" + num(data.shipments) + " shipment rows)" + (file ? "; the figures of " + file : "") +
              (pub ? "; published cells only (k = " + pub.k + ", rounded)" : "") + ".");
  }
  function chart(id, title, note) {
    var sec = add(el("section", { "class": "chart", id: id }), el("h2", null, title));
    if (note) add(sec, el("p", { "class": "note" }, note));
    return sec;
  }
  function short(v) {
    var a = Math.abs(v);
    if (a >= 1e9) return (v / 1e9).toFixed(a >= 1e10 ? 0 : 1) + " bn";
    if (a >= 1e6) return (v / 1e6).toFixed(a >= 1e7 ? 0 : 1) + " M";
    if (a >= 1e3) return (v / 1e3).toFixed(a >= 1e4 ? 0 : 1) + " k";
    return String(Math.round(v * 100) / 100);
  }
  function clip(s, n) { s = String(s); return s.length > n ? s.slice(0, n - 1) + "\u2026" : s; }
  /* round steps for an axis from 0 to max: 1, 2 or 5 times a power of ten */
  function ticks(max, want) {
    if (!(max > 0)) return [0];
    var raw = max / want, p = Math.pow(10, Math.floor(Math.log10(raw))), step = p;
    [1, 2, 5, 10].some(function (m) { step = m * p; return m * p >= raw; });
    var out = [];
    for (var t = 0; t <= max + step * 1e-9; t += step) out.push(t);
    if (out[out.length - 1] < max) out.push(out[out.length - 1] + step);
    return out;
  }
  function picture(w, h, label) {
    var s = svg("svg", { viewBox: "0 0 " + w + " " + h, width: w, height: h, role: "img",
                         "aria-label": label });
    add(s, svg("title", null, label));
    return s;
  }

  /* ---- the corridors as a flow diagram ---- */
  var NONE = "no third country";
  /* the corridors that pass the controls, the largest first (the
   * document's order), and those merged into "other" by --publish */
  function flows(dest, flaggedOnly) {
    var placed = data.corridors.filter(function (c) {
      return c.origin && (!dest || c.destination === dest) && (!flaggedOnly || c.flagged_chain_periods > 0);
    });
    return { drawn: placed.slice(0, MAIN_CORRIDORS), rest: placed.slice(MAIN_CORRIDORS),
             other: data.corridors.filter(function (c) { return !c.origin; }) };
  }
  function flowDrawing(f) {
    var cols = [{}, {}, {}], colOrder = [[], [], []];
    function node(col, name, v) {
      if (!cols[col][name]) { cols[col][name] = { name: name, value: 0, inAt: 0, outAt: 0 }; colOrder[col].push(name); }
      cols[col][name].value += v;
    }
    f.drawn.forEach(function (c) {
      node(0, c.origin, c.value); node(1, c.transits || NONE, c.value); node(2, c.destination, c.value);
    });
    var W = 900, top = 34, gap = 10, H = 380, nodeW = 14, xs = [150, 443, 736];
    var colTotal = [0, 1, 2].map(function (k) {
      return colOrder[k].reduce(function (s, n) { return s + cols[k][n].value; }, 0);
    });
    var maxRows = Math.max(colOrder[0].length, colOrder[1].length, colOrder[2].length);
    var scale = (H - top - 20 - gap * (maxRows - 1)) / Math.max(1e-9, Math.max.apply(null, colTotal));
    [0, 1, 2].forEach(function (k) {
      colOrder[k].sort(function (a, b) { return cols[k][b].value - cols[k][a].value || (a < b ? -1 : 1); });
      var y = top;
      colOrder[k].forEach(function (name) {
        var n = cols[k][name];
        n.y = y; n.h = Math.max(1, n.value * scale); y += n.h + gap;
      });
    });
    var s = picture(W, H, "Flow diagram of the main corridors, widths by value");
    ["origin", "transit", "destination"].forEach(function (t, k) {
      add(s, svg("text", { x: xs[k] + nodeW / 2, y: 16, "text-anchor": "middle", "class": "axis-title" },
                 t + " country"));
    });
    /* each band leaves and enters its nodes in the order of the nodes at
     * its other end, so that bands cross as little as they can */
    var links = [];
    f.drawn.forEach(function (c, i) {
      var a = cols[0][c.origin], b = cols[1][c.transits || NONE], d = cols[2][c.destination];
      var w = Math.max(1, c.value * scale);
      links.push({ c: c, i: i, from: a, to: b, x0: xs[0] + nodeW, x1: xs[1], w: w, far: d },
                 { c: c, i: i, from: b, to: d, x0: xs[1] + nodeW, x1: xs[2], w: w, far: a });
    });
    function place(key, end, other) {
      links.slice().sort(function (p, q) {
        return p[end].y - q[end].y || p[other].y - q[other].y || p.far.y - q.far.y || p.i - q.i;
      }).forEach(function (l) { l[key] = l[end][key === "y0" ? "outAt" : "inAt"]; l[end][key === "y0" ? "outAt" : "inAt"] += l.w; });
    }
    place("y0", "from", "to");
    place("y1", "to", "from");
    links.forEach(function (l) {
      var y0 = l.from.y + l.y0 + l.w / 2, y1 = l.to.y + l.y1 + l.w / 2, mx = (l.x0 + l.x1) / 2;
      var path = svg("path", { d: "M" + l.x0 + "," + y0.toFixed(1) + " C" + mx + "," + y0.toFixed(1) + " " + mx + "," +
                               y1.toFixed(1) + " " + l.x1 + "," + y1.toFixed(1),
                               "class": "band", stroke: PALETTE[l.i % PALETTE.length], "stroke-width": l.w.toFixed(2),
                               "data-corridor": l.c.corridor });
      add(path, svg("title", null, l.c.corridor + ": " + num(l.c.value) + " (" + num(l.c.chain_periods) + " chain-periods, " +
                    num(l.c.flagged_chain_periods) + " flagged)"));
      add(s, path);
    });
    [0, 1, 2].forEach(function (k) {
      colOrder[k].forEach(function (name) {
        var n = cols[k][name];
        add(s, svg("rect", { x: xs[k], y: n.y, width: nodeW, height: n.h, "class": "node" }));
        var right = k < 2, lx = right ? (k === 0 ? xs[k] - 6 : xs[k] + nodeW + 6) : xs[k] + nodeW + 6;
        var anchor = k === 0 ? "end" : "start";
        add(s, svg("text", { x: lx, y: n.y + n.h / 2 + 4, "text-anchor": anchor, "class": "label" },
                   name + "  " + short(n.value)));
      });
    });
    var legend = add(el("table", { "class": "legend-table" }),
                     add(el("tr"), el("th", null, ""), el("th", null, "corridor"), el("th", { "class": "num" }, "value"),
                         el("th", { "class": "num" }, "chain-periods"), el("th", { "class": "num" }, "flagged")));
    f.drawn.forEach(function (c, i) {
      add(legend, add(el("tr", { "class": "corridor-row" }),
                      add(el("td"), el("span", { "class": "swatch", style: "background:" + PALETTE[i % PALETTE.length] })),
                      el("td", { "class": "mono" }, c.corridor), el("td", { "class": "num" }, num(c.value)),
                      el("td", { "class": "num" }, num(c.chain_periods)), el("td", { "class": "num" }, num(c.flagged_chain_periods))));
    });
    return [add(el("div", { "class": "drawing" }), s), legend];
  }
  function flowChart() {
    var sec = chart("corridors", "Main corridors",
                    "Country paths of realised chains (origin > transit > destination), all periods " +
                    "together, the " + MAIN_CORRIDORS + " largest by value. Band width: " + VALUE_UNIT +
                    " (first legs of the chains, as corridors.csv's value, summed over the " + data.by + "s). " +
                    "Corridors overlap: a chain A>B>C>D and its parts each count, and one first leg counts in " +
                    "every corridor that continues from it.");
    var dest = el("select", { id: "corridor-destination" });
    add(dest, el("option", { value: "" }, "all"));
    var seen = {};
    data.corridors.forEach(function (c) { if (c.destination) seen[c.destination] = true; });
    Object.keys(seen).sort().forEach(function (c) { add(dest, el("option", { value: c }, c)); });
    var flagged = el("input", { type: "checkbox", id: "corridor-flagged" });
    add(sec, add(el("div", { "class": "control" }), add(el("label", null, "Destination "), dest),
                 document.createTextNode("  "), add(el("label", null, " only corridors with flagged chains "), flagged)));
    var holder = el("div");
    add(sec, holder);
    function draw() {
      var f = flows(dest.value, flagged.checked);
      holder.textContent = "";
      if (!f.drawn.length) {
        var placed = data.corridors.some(function (c) { return c.origin; });
        add(holder, el("p", { "class": "empty" }, placed ? "No corridor passes these choices." :
                        pub ? "No corridor cell passed the publish rule on its own; what was published " +
                              "is merged into \u201cother\u201d (below)." : "No corridor: no realised chain."));
      } else
        flowDrawing(f).forEach(function (e) { add(holder, e); });
      var restValue = f.rest.reduce(function (s, c) { return s + c.value; }, 0);
      var otherValue = f.other.reduce(function (s, c) { return s + c.value; }, 0);
      if (f.rest.length) add(holder, el("p", { "class": "note" }, f.rest.length + " smaller corridors (" + short(restValue) +
                                        " in all) are not drawn; all are in corridors.csv."));
      if (data.corridors_total > data.corridors.length)
        add(holder, el("p", { "class": "note" }, "This page carries the " + num(data.corridors.length) + " largest of " +
                       num(data.corridors_total) + " corridors; the other " + num(data.corridors_total - data.corridors.length) +
                       " (" + short(data.corridors_left_out_value) + " in all) are in corridors.csv."));
      if (f.other.length) add(holder, el("p", { "class": "note" }, "Cells merged into \u201cother\u201d by the publish rule (" +
                                         short(otherValue) + " in all) have no countries and are not drawn."));
    }
    dest.addEventListener("change", draw);
    flagged.addEventListener("change", draw);
    draw();
    return add(sec, source("corridors.csv"));
  }

  /* ---- trends: flagged value by transit country over the periods ---- */
  function trendChart() {
    var sec = chart("trends", "Trend by transit country",
                    "Value of the chains realised in each " + data.by + " through each transit country, " +
                    "all item categories together" + (data.baseline ? "; the baseline " + data.baseline.from +
                    " to " + data.baseline.to + " is shaded." : "."));
    var periods = data.periods, at = {};
    periods.forEach(function (p, i) { at[p] = i; });
    var measure = el("select", { id: "trend-measure" });
    add(measure, el("option", { value: "flagged_value" }, "flagged value"),
        el("option", { value: "all" }, "flagged and unflagged value"));
    add(sec, add(el("label", { "class": "control" }, "Show "), measure));
    var holder = el("div", { "class": "drawing" });
    add(sec, holder);
    function draw() {
      var which = measure.value, series = {}, names = [];
      data.trends.forEach(function (t) {
        var k = t.transit_country || "other";
        if (!series[k]) { series[k] = periods.map(function () { return 0; }); names.push(k); }
        var v = (t.flagged_value || 0) + (which === "all" ? (t.unflagged_value || 0) : 0);
        if (at[t.period] !== undefined) series[k][at[t.period]] += v;
      });
      var total = function (k) { return series[k].reduce(function (s, v) { return s + v; }, 0); };
      names.sort(function (a, b) { return total(b) - total(a) || (a < b ? -1 : 1); });
      var shown = names.filter(function (k) { return total(k) > 0; }).slice(0, TREND_LINES);
      var W = 900, H = 340, L = 78, R = 130, T = 14, B = 58;
      var max = 0;
      shown.forEach(function (k) { series[k].forEach(function (v) { if (v > max) max = v; }); });
      var ys = ticks(max, 5), ymax = ys[ys.length - 1] || 1;
      var n = periods.length, xw = (W - L - R) / Math.max(1, n - 1);
      function X(i) { return L + (n > 1 ? i * xw : (W - L - R) / 2); }
      function Y(v) { return T + (H - T - B) * (1 - v / ymax); }
      var s = picture(W, H, "Line chart of " + (which === "all" ? "all" : "flagged") + " value per " + data.by +
                      " by transit country");
      if (data.baseline && at[data.baseline.from] !== undefined && at[data.baseline.to] !== undefined) {
        var x0 = X(at[data.baseline.from]) - xw / 2, x1 = X(at[data.baseline.to]) + xw / 2;
        x0 = Math.max(L, x0); x1 = Math.min(W - R, x1);
        add(s, svg("rect", { x: x0, y: T, width: Math.max(1, x1 - x0), height: H - T - B, "class": "baseline" }));
        add(s, svg("text", { x: (x0 + x1) / 2, y: T + 12, "text-anchor": "middle", "class": "baseline-label" }, "baseline"));
      }
      ys.forEach(function (v) {
        add(s, svg("line", { x1: L, x2: W - R, y1: Y(v), y2: Y(v), "class": "grid" }));
        add(s, svg("text", { x: L - 6, y: Y(v) + 4, "text-anchor": "end", "class": "tick" }, short(v)));
      });
      var every = Math.max(1, Math.ceil(n / 12));
      periods.forEach(function (p, i) {
        if (i % every) return;
        add(s, svg("line", { x1: X(i), x2: X(i), y1: H - B, y2: H - B + 4, "class": "axis" }));
        add(s, svg("text", { x: X(i), y: H - B + 16, "text-anchor": "middle", "class": "tick" }, p));
      });
      add(s, svg("line", { x1: L, x2: W - R, y1: H - B, y2: H - B, "class": "axis" }));
      add(s, svg("line", { x1: L, x2: L, y1: T, y2: H - B, "class": "axis" }));
      add(s, svg("text", { x: (L + W - R) / 2, y: H - 12, "text-anchor": "middle", "class": "axis-title" },
                 data.by + " (period of the chain's first shipment)"));
      add(s, svg("text", { x: 14, y: (T + H - B) / 2, "text-anchor": "middle", "class": "axis-title",
                           transform: "rotate(-90 14 " + (T + H - B) / 2 + ")" },
                 (which === "all" ? "value" : "flagged value") + " (shipments.csv's unit)"));
      shown.forEach(function (k, j) {
        var color = PALETTE[j % PALETTE.length];
        var d = series[k].map(function (v, i) { return (i ? "L" : "M") + X(i).toFixed(1) + "," + Y(v).toFixed(1); }).join(" ");
        var line = svg("path", { d: d, "class": "trend", stroke: color, "data-transit": k });
        add(line, svg("title", null, "transit " + k + ": " + num(total(k)) + " in all"));
        add(s, line);
        add(s, svg("rect", { x: W - R + 12, y: T + 6 + j * 18, width: 12, height: 4, fill: color }));
        add(s, svg("text", { x: W - R + 30, y: T + 12 + j * 18, "class": "label" }, "via " + k));
      });
      if (!shown.length)
        add(s, svg("text", { x: (L + W - R) / 2, y: (T + H - B) / 2, "text-anchor": "middle", "class": "label" },
                   which === "all" ? "no value in any period" : "no flagged value in any period"));
      holder.textContent = "";
      add(holder, s);
      var hidden = names.filter(function (k) { return total(k) > 0; }).length - shown.length;
      if (hidden > 0) add(holder, el("p", { "class": "note" }, hidden + " smaller transit countries are not drawn; all are in trends.csv."));
    }
    measure.addEventListener("change", draw);
    draw();
    return add(sec, source("trends.csv"));
  }

  /* ---- brokers ---- */
  function brokerChart() {
    var sec = chart("brokers", "Brokers",
                    "The parties through which realised chains of the controlled items pass, ranked by the " +
                    "distinct origin-to-destination pairs they connect in time order (bars), beside their rank " +
                    "by static betweenness on the same graph. The first " + data.brokers.length + " of " +
                    num(data.brokers_total) + ".");
    var rows = data.brokers.filter(function (b) { return b.pairs > 0; });
    if (!rows.length) {
      add(sec, el("p", { "class": "empty" }, "No party is a transit of a realised chain."));
      return add(sec, source("brokers.csv"));
    }
    var W = 960, rowH = 22, T = 26, B = 44, L = 300, R = 230, H = T + B + rows.length * rowH;
    var max = Math.max.apply(null, rows.map(function (b) { return b.pairs; }));
    var xs = ticks(max, 5), xmax = xs[xs.length - 1] || 1;
    function X(v) { return L + (W - L - R) * v / xmax; }
    var s = picture(W, H, "Bar chart of brokers by origin-destination pairs");
    add(s, svg("text", { x: W - R + 10, y: T - 10, "class": "axis-title" }, "pairs value"));
    add(s, svg("text", { x: W - 8, y: T - 10, "text-anchor": "end", "class": "axis-title" }, "betweenness rank"));
    xs.forEach(function (v) {
      add(s, svg("line", { x1: X(v), x2: X(v), y1: T, y2: H - B, "class": "grid" }));
      add(s, svg("text", { x: X(v), y: H - B + 14, "text-anchor": "middle", "class": "tick" }, num(v)));
    });
    rows.forEach(function (b, i) {
      var y = T + i * rowH;
      var g = svg("g", { "class": "broker", "data-party": b.party });
      add(g, svg("text", { x: L - 8, y: y + 15, "text-anchor": "end", "class": "label" },
                 b.rank + ". " + clip(b.name, 34) + " (" + b.country + ")"));
      var bar = svg("rect", { x: L, y: y + 4, width: Math.max(1, X(b.pairs) - L), height: rowH - 8, "class": "bar" });
      add(bar, svg("title", null, b.party + " " + b.name + ": " + b.pairs + " pairs, " + b.origins + " origins, " +
                   b.destinations + " destinations, throughput " + num(b.throughput) + ", median dwell " +
                   num(b.median_dwell_days) + " days, " + b.alerts + " alerts"));
      add(g, bar);
      add(g, svg("text", { x: W - R + 10, y: y + 15, "class": "label" }, short(b.pairs_value)));
      add(g, svg("text", { x: W - 8, y: y + 15, "text-anchor": "end", "class": "label" }, String(b.betweenness_rank)));
      add(s, g);
    });
    add(s, svg("text", { x: (L + W - R) / 2, y: H - 8, "text-anchor": "middle", "class": "axis-title" },
               "distinct origin-to-destination pairs whose chains pass through the party"));
    add(sec, add(el("div", { "class": "drawing" }), s));
    add(sec, el("p", { "class": "note" }, "Pairs value: " + VALUE_UNIT + " of the first legs of those chains. " +
                "Hover a bar for throughput, dwell and alerts."));
    return add(sec, source("brokers.csv"));
  }

  /* ---- communities: small drawings at igraph's positions ---- */
  function communityCharts() {
    var sec = chart("communities", "Communities",
                    "Groups of parties that trade the controlled items mostly among themselves (igraph's " +
                    "multilevel community detection), the largest by value first; each drawn at the positions " +
                    "of igraph's Kamada-Kawai layout. Edges: the pairs that trade, thicker for more value (" +
                    VALUE_UNIT + "); colour: the party's country. " + data.communities.length + " of " +
                    num(data.communities_total) + " communities drawn (at most " + data.communities_drawn_max +
                    " parties each).");
    if (!data.communities.length) {
      add(sec, el("p", { "class": "empty" }, "No community small enough to draw."));
      return add(sec, source("communities.csv"));
    }
    var countries = {}, nextColor = 0;
    function colorOf(c) {
      if (!countries[c]) countries[c] = PALETTE[nextColor++ % PALETTE.length];
      return countries[c];
    }
    var grid = el("div", { "class": "small-multiples" });
    data.communities.forEach(function (c) {
      var W = 280, H = 230, P = 26;
      var minx = Infinity, maxx = -Infinity, miny = Infinity, maxy = -Infinity;
      c.nodes.forEach(function (n) {
        minx = Math.min(minx, n.x); maxx = Math.max(maxx, n.x); miny = Math.min(miny, n.y); maxy = Math.max(maxy, n.y);
      });
      var sx = (W - 2 * P) / Math.max(1e-9, maxx - minx), sy = (H - 2 * P - 14) / Math.max(1e-9, maxy - miny);
      var k = Math.min(sx, sy);
      function X(n) { return P + (maxx > minx ? (n.x - minx) * k : (W - 2 * P) / 2); }
      function Y(n) { return P + (maxy > miny ? (n.y - miny) * k : (H - 2 * P) / 2); }
      var maxv = Math.max.apply(null, c.edges.map(function (e) { return e[2] || 0; }).concat([1]));
      var s = picture(W, H, "Community " + c.community + ": " + c.size + " parties");
      c.edges.forEach(function (e) {
        var a = c.nodes[e[0]], b = c.nodes[e[1]];
        add(s, svg("line", { x1: X(a), y1: Y(a), x2: X(b), y2: Y(b), "class": "link",
                             "stroke-width": (0.6 + 3 * Math.sqrt((e[2] || 0) / maxv)).toFixed(2) }));
      });
      c.nodes.forEach(function (n) {
        var dot = svg("circle", { cx: X(n), cy: Y(n), r: c.size > 40 ? 3.5 : 5.5, fill: colorOf(n.country), "class": "party" });
        add(dot, svg("title", null, n.id + " " + n.name + " (" + n.country + ")"));
        add(s, dot);
        if (c.size <= 8)
          add(s, svg("text", { x: X(n) + 7, y: Y(n) - 6, "class": "small-label" }, clip(n.name, 22)));
      });
      add(s, svg("text", { x: 8, y: H - 6, "class": "small-label" }, "positions: igraph Kamada-Kawai; no axes"));
      var fig = add(el("figure", { "class": "community", "data-community": c.community }), s,
                    el("figcaption", null, "Community " + c.community + ": " + c.size + " parties in " +
                       c.countries.split(";").join(", ") + "; " + num(c.value) + " traded inside; " +
                       c.shared_addresses + " shared addresses; " + c.alerts + " alerts inside"));
      add(grid, fig);
    });
    add(sec, grid);
    var key = el("p", { "class": "note" }, "Countries: ");
    Object.keys(countries).sort().forEach(function (c) {
      add(key, el("span", { "class": "swatch", style: "background:" + countries[c] }), document.createTextNode(" " + c + "  "));
    });
    add(sec, key);
    return add(sec, source("communities.csv"));
  }

  function facts() {
    var sec = el("section", { id: "facts" });
    var p = el("p", null, num(data.chains) + " realised chains of " + (data.item ? "item " + data.item : "the controlled items") +
               ", " + num(data.alerts) + " alerts, " + data.periods.length + " " + data.by + "s" +
               (data.baseline ? "; baseline " + data.baseline.from + " to " + data.baseline.to : "") + ".");
    add(sec, p);
    if (pub)
      add(sec, el("p", { "class": "note" }, "Published view: only cells backed by at least " + pub.k +
                  " distinct parties and by no dominant one, rounded (publish.json says what was merged or " +
                  "suppressed). No party is named, so the broker ranking and the communities are not shown."));
    return sec;
  }

  add(app, facts(), flowChart(), trendChart());
  if (!pub) add(app, brokerChart(), communityCharts());
})();
