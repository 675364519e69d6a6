/* The helpers that report.html's and research.html's scripts share
 * (compiled into divert before each page's own script, as one script; see
 * cmake/embed-report.cmake). Every element is made through the DOM and
 * every text set with textContent or setAttribute: nothing from the data
 * is ever parsed as markup. */
var divert = (function () {
  "use strict";
  var SVGNS = "http://www.w3.org/2000/svg";
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVGNS, tag);
    if (attrs) for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function add(parent) {
    for (var i = 1; i < arguments.length; i++) if (arguments[i]) parent.appendChild(arguments[i]);
    return parent;
  }
  function num(v) {
    if (v === null || v === undefined) return "";
    return typeof v === "number" ? v.toLocaleString("en-US", { maximumFractionDigits: 3 }) : String(v);
  }
  /* The page's document: the JSON in #divert-data. */
  function data() { return JSON.parse(document.getElementById("divert-data").textContent); }
  return { SVGNS: SVGNS, el: el, svg: svg, add: add, num: num, data: data };
})();
