/* Client-side search and filters for the events index. Vanilla JS, no network access:
   the index is the table itself (data-* attributes), so it works from file:// too. */
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) { return; }
  var query = document.getElementById("q");
  var selects = form.querySelectorAll("select[data-filter]");
  var rows = document.querySelectorAll("tr.event-row");
  var sections = document.querySelectorAll("section[data-domain-section]");
  var count = document.getElementById("count");
  var empty = document.getElementById("empty");

  function matches(row, key, wanted) {
    if (!wanted) { return true; }
    var have = row.getAttribute("data-" + key) || "";
    return have.split("\n").indexOf(wanted) !== -1;
  }

  function apply() {
    var words = query.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row) {
      var text = row.getAttribute("data-text") || "";
      var ok = words.every(function (w) { return text.indexOf(w) !== -1; });
      selects.forEach(function (sel) { ok = ok && matches(row, sel.getAttribute("data-filter"), sel.value); });
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    sections.forEach(function (section) {
      section.hidden = section.querySelectorAll("tr.event-row:not([hidden])").length === 0;
    });
    count.textContent = shown + (shown === 1 ? " event" : " events");
    empty.hidden = shown !== 0;
    var params = new URLSearchParams();
    if (query.value) { params.set("q", query.value); }
    selects.forEach(function (sel) { if (sel.value) { params.set(sel.name, sel.value); } });
    var hash = params.toString();
    if (window.history && window.history.replaceState) {
      try { window.history.replaceState(null, "", hash ? "#" + hash : window.location.pathname); } catch (e) { /* file:// may refuse */ }
    }
  }

  // Restore filters from the fragment so a filtered view can be linked.
  var initial = new URLSearchParams(window.location.hash.replace(/^#/, ""));
  if (initial.has("q")) { query.value = initial.get("q"); }
  selects.forEach(function (sel) { if (initial.has(sel.name)) { sel.value = initial.get(sel.name); } });

  query.addEventListener("input", apply);
  selects.forEach(function (sel) { sel.addEventListener("change", apply); });
  if (window.location.hash.indexOf("=") !== -1) { apply(); }
}());
