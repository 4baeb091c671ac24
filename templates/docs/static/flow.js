/* Pan, zoom and focus for the flow diagrams. Vanilla JS, nothing fetched.
   The SVG is fitted to its container by CSS alone (it reads without this script); zooming
   narrows the viewBox, so the drawing keeps its place in the page and only what is shown
   changes. Clicking a node keeps its neighbourhood and fades the rest; clicking it again
   follows its link. */
(function () {
  "use strict";
  var MAX_ZOOM = 8;
  var STEP = 1.25;

  function setup(wrap) {
    var box = wrap.querySelector(".diagram");
    var svg = box && box.querySelector("svg.flow");
    if (!svg) { return; }
    var full = svg.viewBox.baseVal;
    var W = full.width, H = full.height;
    var view = { x: 0, y: 0, z: 1 };
    var info = wrap.querySelector(".focus-info");
    var focused = null;

    function apply() {
      var w = W / view.z, h = H / view.z;
      view.x = Math.min(Math.max(view.x, 0), W - w);
      view.y = Math.min(Math.max(view.y, 0), H - h);
      svg.setAttribute("viewBox", [view.x, view.y, w, h].map(function (v) { return v.toFixed(1); }).join(" "));
      wrap.setAttribute("data-zoom", view.z.toFixed(2));
    }

    // fx, fy: the point that stays put, as a fraction of the visible area.
    function zoom(factor, fx, fy) {
      var z = Math.min(Math.max(view.z * factor, 1), MAX_ZOOM);
      var w = W / view.z, h = H / view.z;
      view.x += (w - W / z) * fx;
      view.y += (h - H / z) * fy;
      view.z = z;
      apply();
    }

    function pan(dx, dy) { view.x += dx; view.y += dy; apply(); }

    function fit() { view = { x: 0, y: 0, z: 1 }; apply(); }

    function clearFocus() {
      focused = null;
      svg.classList.remove("focusing");
      svg.querySelectorAll(".faded").forEach(function (el) { el.classList.remove("faded"); });
      if (info) { info.textContent = ""; }
    }

    function focus(id, label) {
      var keep = {};
      keep[id] = true;
      var edges = svg.querySelectorAll("path.edge");
      edges.forEach(function (p) {
        var s = p.getAttribute("data-s"), t = p.getAttribute("data-t");
        if (s === id) { keep[t] = true; } else if (t === id) { keep[s] = true; }
      });
      edges.forEach(function (p) {
        var s = p.getAttribute("data-s"), t = p.getAttribute("data-t");
        p.classList.toggle("faded", s !== id && t !== id);
      });
      svg.querySelectorAll("g.node").forEach(function (g) {
        g.classList.toggle("faded", !keep[g.getAttribute("data-id")]);
      });
      svg.classList.add("focusing");
      focused = id;
      if (info) { info.textContent = "Focus: " + label + " (click it again to open, Esc to clear)"; }
    }

    wrap.querySelectorAll("button[data-zoom]").forEach(function (b) {
      b.addEventListener("click", function () {
        var what = b.getAttribute("data-zoom");
        if (what === "in") { zoom(STEP, 0.5, 0.5); }
        else if (what === "out") { zoom(1 / STEP, 0.5, 0.5); }
        else { fit(); clearFocus(); }
      });
    });

    svg.addEventListener("wheel", function (e) {
      // At the fitted view, scrolling down scrolls the page, not the diagram.
      if (e.deltaY > 0 && view.z <= 1) { return; }
      e.preventDefault();
      var r = svg.getBoundingClientRect();
      zoom(e.deltaY < 0 ? STEP : 1 / STEP, (e.clientX - r.left) / r.width, (e.clientY - r.top) / r.height);
    }, { passive: false });

    var drag = null, dragged = false;
    svg.addEventListener("pointerdown", function (e) {
      drag = { x: e.clientX, y: e.clientY };
      dragged = false;
    });
    window.addEventListener("pointermove", function (e) {
      if (!drag) { return; }
      var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      if (!dragged && Math.abs(dx) + Math.abs(dy) < 4) { return; }
      dragged = true;
      var r = svg.getBoundingClientRect();
      pan(-dx * (W / view.z) / r.width, -dy * (H / view.z) / r.height);
      drag = { x: e.clientX, y: e.clientY };
    });
    window.addEventListener("pointerup", function () { drag = null; });

    svg.addEventListener("click", function (e) {
      if (dragged) { e.preventDefault(); dragged = false; return; }
      var node = e.target.closest ? e.target.closest("g.node") : null;
      if (!node) { clearFocus(); return; }
      var id = node.getAttribute("data-id");
      if (focused === id) { return; }  // the second click follows the link
      e.preventDefault();
      var text = node.querySelector("text");
      focus(id, text ? text.textContent : id);
    });

    box.addEventListener("keydown", function (e) {
      var step = 0.1 * W / view.z;
      var keys = {
        "+": function () { zoom(STEP, 0.5, 0.5); },
        "=": function () { zoom(STEP, 0.5, 0.5); },
        "-": function () { zoom(1 / STEP, 0.5, 0.5); },
        "0": fit,
        "ArrowLeft": function () { pan(-step, 0); },
        "ArrowRight": function () { pan(step, 0); },
        "ArrowUp": function () { pan(0, -step * H / W); },
        "ArrowDown": function () { pan(0, step * H / W); },
        "Escape": clearFocus
      };
      if (keys[e.key] && !e.ctrlKey && !e.metaKey && !e.altKey) {
        keys[e.key]();
        e.preventDefault();
      }
    });
    apply();
  }

  document.querySelectorAll("[data-diagram]").forEach(setup);
}());
