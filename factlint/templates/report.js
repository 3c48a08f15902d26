/* factlint report: findings list from the embedded JSON (paged, filtered), and the detail panel.
   Every string from a note is put on the page with textContent, never as markup. */
(function () {
  "use strict";
  var PAGE = 100;
  var doc = document;
  var data = JSON.parse(doc.getElementById("factlint-data").textContent);
  var rows = data.f;
  var form = doc.getElementById("filters");
  var body = doc.getElementById("list-body");
  var status = doc.getElementById("list-status");
  var panel = doc.getElementById("detail");
  var panelBody = doc.getElementById("detail-body");
  var panelTitle = doc.getElementById("detail-title");
  var state = { sev: [true, true, true], rule: -1, doc: -1, q: "", page: 0 };
  var shown = [];
  var haystack = null;
  var selected = null;

  function el(tag, cls, text) {
    var node = doc.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function badge(sev) {
    return el("span", "badge sev-" + data.sev[sev], data.icons[sev] + " " + data.sev[sev]);
  }

  function option(select, value, label) {
    var o = el("option", "", label);
    o.value = String(value);
    select.appendChild(o);
  }

  function fillFilters() {
    data.rules.forEach(function (r, i) { option(form.elements.rule, i, r); });
    data.docs.forEach(function (d, i) { option(form.elements.doc, i, d[0]); });
    if (data.docs.length < 2) form.elements.doc.parentNode.hidden = true;
  }

  function searchText(i) {
    var r = rows[i];
    var path = r[2] >= 0 ? data.docs[r[2]][0] : "";
    return (data.rules[r[1]] + " " + path + " " + r[4] + " " + r[5] + " " + data.sev[r[0]]).toLowerCase();
  }

  function applyFilters() {
    var q = state.q.trim().toLowerCase();
    if (q && !haystack) haystack = rows.map(function (_, i) { return searchText(i); });
    shown = [];
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      if (!state.sev[r[0]]) continue;
      if (state.rule >= 0 && r[1] !== state.rule) continue;
      if (state.doc >= 0 && r[2] !== state.doc) continue;
      if (q && haystack[i].indexOf(q) < 0) continue;
      shown.push(i);
    }
    state.page = 0;
    render();
  }

  function listRow(i) {
    var r = rows[i];
    var tr = el("tr", "sev-" + data.sev[r[0]]);
    var td = el("td");
    td.appendChild(badge(r[0]));
    tr.appendChild(td);
    td = el("td");
    td.appendChild(el("code", "", data.rules[r[1]]));
    tr.appendChild(td);
    td = el("td", "path");
    if (r[2] >= 0) {
      var a = el("a", "", data.docs[r[2]][0]);
      a.href = data.docs[r[2]][1];
      td.appendChild(a);
    }
    tr.appendChild(td);
    tr.appendChild(el("td", "num", r[3]));
    tr.appendChild(el("td", "", r[4]));
    td = el("td");
    var msg = el("a", "", r[5]);
    msg.href = r[6];
    if (r[7]) msg.setAttribute("data-cell", r[7]);
    td.appendChild(msg);
    tr.appendChild(td);
    return tr;
  }

  function render() {
    var pages = Math.max(1, Math.ceil(shown.length / PAGE));
    state.page = Math.min(state.page, pages - 1);
    var start = state.page * PAGE;
    var end = Math.min(start + PAGE, shown.length);
    var frag = doc.createDocumentFragment();
    for (var k = start; k < end; k++) frag.appendChild(listRow(shown[k]));
    body.textContent = "";
    body.appendChild(frag);
    status.textContent = shown.length
      ? "Showing " + (start + 1) + "–" + end + " of " + shown.length +
        (shown.length !== rows.length ? " (filtered from " + rows.length + ")" : "")
      : (rows.length ? "No findings match these filters." : "No findings.");
    doc.getElementById("page-of").textContent = "Page " + (state.page + 1) + " of " + pages;
    doc.getElementById("prev").disabled = state.page === 0;
    doc.getElementById("next").disabled = state.page >= pages - 1;
    doc.documentElement.setAttribute("data-list-ready", String(rows.length));
  }

  function readForm() {
    var boxes = form.querySelectorAll("input[name=sev]");
    for (var i = 0; i < boxes.length; i++) state.sev[+boxes[i].value] = boxes[i].checked;
    state.rule = +form.elements.rule.value;
    state.doc = +form.elements.doc.value;
    state.q = form.elements.q.value;
    applyFilters();
  }

  function flash(node) {
    node.classList.remove("flash");
    void node.offsetWidth;           /* restart the animation */
    node.classList.add("flash");
  }

  function select(trigger) {
    var cell = trigger.closest("td,th") || trigger;
    if (selected) selected.classList.remove("selected");
    selected = cell;
    cell.classList.add("selected");
    var list = el("ol", "cardlist");
    trigger.getAttribute("data-findings").split(" ").forEach(function (id) {
      var card = doc.getElementById(id);
      if (!card) return;
      var copy = card.closest("li").cloneNode(true);
      copy.querySelector("article").removeAttribute("id");
      list.appendChild(copy);
    });
    var row = cell.parentNode;
    var line = row.querySelector(".ln");
    panelTitle.textContent = "Line " + (line ? line.textContent.replace(/\D+/g, " ").trim().split(" ")[0] : "?") +
      " · " + list.children.length + " finding" + (list.children.length === 1 ? "" : "s");
    panelBody.textContent = "";
    panelBody.appendChild(list);
    panel.classList.add("open");
    panel.scrollTop = 0;
  }

  function goToCell(id) {
    var cell = doc.getElementById(id);
    if (!cell) return false;
    cell.scrollIntoView({ block: "center", behavior: "smooth" });
    flash(cell);
    var trigger = cell.querySelector("[data-findings]");
    if (trigger) trigger.focus({ preventScroll: true });
    return true;
  }

  doc.addEventListener("click", function (event) {
    var target = event.target.closest("a,button");
    if (!target) return;
    if (target.hasAttribute("data-findings")) {
      event.preventDefault();
      select(target);
    } else if (target.getAttribute("data-cell")) {
      var id = target.getAttribute("data-cell");
      var cell = doc.getElementById(id);
      if (!cell) return;
      event.preventDefault();
      goToCell(id);
      var trigger = cell.querySelector("[data-findings]");
      if (trigger && !panel.contains(target)) select(trigger);
    } else if (target.hasAttribute("data-only")) {
      var only = +target.getAttribute("data-only");
      var boxes = form.querySelectorAll("input[name=sev]");
      for (var i = 0; i < boxes.length; i++) boxes[i].checked = +boxes[i].value === only;
      readForm();
    } else if (target.id === "detail-close") {
      panel.classList.remove("open");
      if (selected) { selected.classList.remove("selected"); selected = null; }
    }
  });

  doc.addEventListener("keydown", function (event) {
    var t = event.target;
    if (event.key === " " && t.hasAttribute && t.hasAttribute("data-findings")) {
      event.preventDefault();
      select(t);
    } else if (event.key === "Escape" && panel.classList.contains("open")) {
      panel.classList.remove("open");
    }
  });

  var timer = 0;
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(readForm, 120);
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); readForm(); });
  doc.getElementById("prev").addEventListener("click", function () { state.page--; render(); });
  doc.getElementById("next").addEventListener("click", function () { state.page++; render(); });

  /* The cards stay in the page for the panel; the tables are the focus once JS is on. */
  var groups = doc.querySelectorAll("details.cards");
  for (var g = 0; g < groups.length; g++) groups[g].removeAttribute("open");

  fillFilters();
  shown = rows.map(function (_, i) { return i; });
  render();

  /* Arriving from the index at page.html#f-…: open that finding's cell. */
  var hash = decodeURIComponent(location.hash.slice(1));
  var arrived = hash && doc.getElementById(hash);
  if (arrived && arrived.getAttribute("data-cell")) {
    var cellNode = doc.getElementById(arrived.getAttribute("data-cell"));
    var trig = cellNode && cellNode.querySelector("[data-findings]");
    if (trig) { select(trig); goToCell(cellNode.id); }
  }
})();
