/* factlint report: findings list from the embedded JSON (paged, filtered), and the detail panel.
   Every string from a note is put on the page with textContent, never as markup. */
(function () {
  "use strict";
  var PAGE = 100;
  var doc = document;
  var data = JSON.parse(doc.getElementById("factlint-data").textContent);
  var rows = data.f;
  var form = doc.getElementById("filters");
  var panel = doc.getElementById("detail");
  var panelBody = doc.getElementById("detail-body");
  var panelTitle = doc.getElementById("detail-title");
  var state = { sev: [true, true, true], rule: -1, doc: -1, q: "" };
  var haystack = null;
  var selected = null;

  function el(tag, cls, text) {
    var node = doc.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function cell(tr, cls, child) {
    var td = el("td", cls);
    if (child !== undefined && child !== null) {
      if (typeof child === "object") td.appendChild(child); else td.textContent = String(child);
    }
    tr.appendChild(td);
    return td;
  }

  function link(text, href) {
    var a = el("a", "", text);
    a.href = href;
    return a;
  }

  function fmt(n) { return n.toLocaleString("en-US"); }

  function badge(sev) {
    return el("span", "badge sev-" + data.sev[sev], data.icons[sev] + " " + data.sev[sev]);
  }

  /* A list drawn PAGE rows at a time from an array of items: #NAME-body, #NAME-status and
     nav[data-list=NAME]. Only the visible page ever exists in the DOM. */
  function pagedList(name, drawRow, noun) {
    var body = doc.getElementById(name + "-body");
    if (!body) return null;
    var status = doc.getElementById(name + "-status");
    var nav = doc.querySelector("nav[data-list=" + name + "]");
    var prev = nav.querySelector(".prev"), next = nav.querySelector(".next");
    var list = { items: [], total: 0, page: 0 };
    list.show = function (items, total) {
      list.items = items;
      list.total = total;
      list.page = 0;
      list.draw();
    };
    list.draw = function () {
      var pages = Math.max(1, Math.ceil(list.items.length / PAGE));
      list.page = Math.max(0, Math.min(list.page, pages - 1));
      var start = list.page * PAGE, end = Math.min(start + PAGE, list.items.length);
      var frag = doc.createDocumentFragment();
      for (var k = start; k < end; k++) frag.appendChild(drawRow(list.items[k]));
      body.textContent = "";
      body.appendChild(frag);
      var n = list.items.length;
      status.textContent = n
        ? "Showing " + fmt(start + 1) + "–" + fmt(end) + " of " + fmt(n) +
          (n !== list.total ? " (filtered from " + fmt(list.total) + ")" : "")
        : (list.total ? "No " + noun + " match these filters." : "No " + noun + ".");
      nav.querySelector(".page-of").textContent = "Page " + fmt(list.page + 1) + " of " + fmt(pages);
      prev.disabled = list.page === 0;
      next.disabled = list.page >= pages - 1;
      nav.hidden = pages < 2;
    };
    prev.addEventListener("click", function () { list.page--; list.draw(); });
    next.addEventListener("click", function () { list.page++; list.draw(); });
    return list;
  }

  function findingRow(i) {
    var r = rows[i];
    var tr = el("tr", "sev-" + data.sev[r[0]]);
    cell(tr, "", badge(r[0]));
    cell(tr, "", el("code", "", data.rules[r[1]]));
    cell(tr, "path", r[2] >= 0 ? link(data.docs[r[2]][0], data.docs[r[2]][1]) : null);
    cell(tr, "num", r[3]);
    cell(tr, "", r[4]);
    var msg = link(r[5], r[6]);
    if (r[7]) msg.setAttribute("data-cell", r[7]);
    cell(tr, "", msg);
    return tr;
  }

  function documentRow(i) {
    var d = data.docs[i];
    var tr = el("tr");
    var first = cell(tr, "path", link(d[0], d[1]));
    if (d[2]) { first.appendChild(doc.createTextNode(" ")); first.appendChild(el("span", "muted", d[2])); }
    if (d[10]) { first.appendChild(doc.createTextNode(" ")); first.appendChild(el("span", "sev-error-text", "unreadable: " + d[10])); }
    cell(tr, "num", d[3]);
    cell(tr, "num", d[4]);
    var counts = el("span", "counts");
    for (var s = 0; s < 3; s++) {
      counts.appendChild(el("span", "count sev-" + data.sev[s] + (d[5 + s] ? "" : " zero"), data.icons[s] + " " + d[5 + s]));
    }
    cell(tr, "", counts);
    if (withPublication) {
      var pub = cell(tr, "");
      if (d[8] !== null) {
        pub.appendChild(el("span", d[8] ? "pub ok" : "pub held", d[8] ? "✔ published" : "⚑ held back"));
        if (d[9]) { pub.appendChild(doc.createTextNode(" ")); pub.appendChild(el("span", "muted", d[9])); }
      }
    }
    return tr;
  }

  var withPublication = doc.querySelectorAll("#docs-list thead th").length === 5;
  var findingsList = pagedList("findings", findingRow, "findings");
  var documentsList = pagedList("docs", documentRow, "documents");

  function option(select, value, label) {
    var o = el("option", "", label);
    o.value = String(value);
    select.appendChild(o);
  }

  function fillFilters() {
    data.rules.forEach(function (r, i) { option(form.elements.rule, i, r); });
    data.docs.forEach(function (d, i) { option(form.elements.doc, i, d[0]); });
    if (data.docs.length < 2) {          /* one note: the document filter and column say nothing */
      form.elements.doc.parentNode.hidden = true;
      doc.getElementById("findings-list").classList.add("one-doc");
    }
  }

  function searchText(i) {
    var r = rows[i];
    var path = r[2] >= 0 ? data.docs[r[2]][0] : "";
    return (data.rules[r[1]] + " " + path + " " + r[4] + " " + r[5] + " " + data.sev[r[0]]).toLowerCase();
  }

  function applyFilters() {
    var q = state.q.trim().toLowerCase();
    if (q && !haystack) haystack = rows.map(function (_, i) { return searchText(i); });
    var shown = [];
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      if (!state.sev[r[0]]) continue;
      if (state.rule >= 0 && r[1] !== state.rule) continue;
      if (state.doc >= 0 && r[2] !== state.doc) continue;
      if (q && haystack[i].indexOf(q) < 0) continue;
      shown.push(i);
    }
    findingsList.show(shown, rows.length);
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
    var inHead = cell.parentNode.parentNode.tagName === "THEAD";
    var line = !inHead && cell.parentNode.querySelector(".ln");
    var head = !inHead && !cell.classList.contains("ln") &&
      cell.closest("table").tHead.rows[0].cells[cell.cellIndex];
    if (head) head = head.querySelector(".v") || head;
    panelTitle.textContent = (line ? "Line " + parseInt(line.textContent, 10) : "Header row") +
      (head ? " · " + head.textContent.trim() : "") + " · " +
      list.children.length + " finding" + (list.children.length === 1 ? "" : "s");
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
    } else if (event.key === "Escape" && panel && panel.classList.contains("open")) {
      panel.classList.remove("open");
    }
  });

  var timer = 0;
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(readForm, 120);
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); readForm(); });

  /* The cards stay in the page for the panel; the tables are the focus once JS is on. */
  var groups = doc.querySelectorAll("details.cards");
  for (var g = 0; g < groups.length; g++) groups[g].removeAttribute("open");

  fillFilters();
  applyFilters();
  if (!window.factlintFirstList) window.factlintFirstList = performance.now();   /* benchmark mark */
  if (documentsList) documentsList.show(data.docs.map(function (_, i) { return i; }), data.docs.length);

  /* Arriving from the index at page.html#f-…: open that finding's cell. */
  var hash = decodeURIComponent(location.hash.slice(1));
  var arrived = hash && doc.getElementById(hash);
  if (arrived && arrived.getAttribute("data-cell")) {
    var cellNode = doc.getElementById(arrived.getAttribute("data-cell"));
    var trig = cellNode && cellNode.querySelector("[data-findings]");
    if (trig) { select(trig); goToCell(cellNode.id); }
  }
})();
