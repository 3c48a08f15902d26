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

  function icon(name) {
    var i = el("i", "ic ic-" + name);
    i.setAttribute("aria-hidden", "true");
    return i;
  }

  function badge(sev) {
    var b = el("span", "badge sev-" + data.sev[sev]);
    b.appendChild(icon(data.sev[sev]));
    b.appendChild(doc.createTextNode(" " + data.sev[sev]));
    return b;
  }

  /* A note's status marks (✅ ❌) as drawn shapes, as the page's own markup has them. */
  var glyphRun = new RegExp("(" + Object.keys(data.glyphs).join("|") + "|[" + data.pictograph +
    "])[\uFE0F\u{1F3FB}-\u{1F3FF}]?", "gu");
  function withGlyphs(node, text) {
    text = String(text);
    var at = 0, m;
    glyphRun.lastIndex = 0;
    while ((m = glyphRun.exec(text))) {
      if (m.index > at) node.appendChild(doc.createTextNode(text.slice(at, m.index)));
      var kind = data.glyphs[m[1]];
      var g = el("span", kind ? "glyph g-" + kind : "glyph-text", kind ? null : m[0]);
      g.title = m[0];
      if (kind) {
        g.setAttribute("role", "img");
        g.setAttribute("aria-label", m[0]);
        g.appendChild(el("span", "glyph-text", m[0]));
      }
      node.appendChild(g);
      at = m.index + m[0].length;
    }
    if (at < text.length) node.appendChild(doc.createTextNode(text.slice(at)));
    return node;
  }

  /* A document by its label (its path without the folder all share); the full path is the
     title. It may break after each separator, never inside a name. */
  function docLink(i) {
    var d = data.docs[i], a = el("a");
    a.href = d[1];
    a.title = d[0];
    String(d[11] || d[0]).split(/(?<=\/)/).forEach(function (part, k) {
      if (k) a.appendChild(el("wbr"));
      a.appendChild(el("span", "seg", part));
    });
    return a;
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
    list.show = function (items, total, count) {
      list.items = items;
      list.total = total;
      list.count = count === undefined ? items.length : count;
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
      var n = list.items.length, count = list.count;
      status.textContent = n
        ? "Showing " + fmt(start + 1) + "–" + fmt(end) + " of " + fmt(n) +
          (count !== n ? " entries (" + fmt(count) + " " + noun + ", repeats grouped)" : "") +
          (count !== list.total ? " (filtered from " + fmt(list.total) + ")" : "")
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

  /* The first column: severity and rule, one above the other. */
  function what(tr, r) {
    var td = cell(tr, "what", badge(r[0]));
    td.appendChild(doc.createTextNode(" "));
    td.appendChild(el("code", "rule", data.rules[r[1]]));
  }

  function findingRow(i, cls) {
    var r = rows[i];
    var tr = el("tr", "sev-" + data.sev[r[0]] + (cls ? " " + cls : ""));
    what(tr, r);
    cell(tr, "path", r[2] >= 0 ? docLink(r[2]) : null);
    cell(tr, "num", r[3]);
    cell(tr, "", r[4]);
    var msg = withGlyphs(link("", r[6]), r[5]);
    if (r[7]) msg.setAttribute("data-cell", r[7]);
    msg.setAttribute("data-finding", r[9]);
    cell(tr, "", msg);
    return tr;
  }

  /* Repeats of one message (same rule, severity and shape) are one entry; it opens in place. */
  var expanded = {};
  function groupRows(item) {
    var first = rows[item.members[0]], n = item.members.length;
    var frag = doc.createDocumentFragment();
    var tr = el("tr", "group sev-" + data.sev[first[0]] + (expanded[item.g] ? " open" : ""));
    what(tr, first);
    var docsOf = {}, lines = [], columns = {};
    item.members.forEach(function (i) { docsOf[rows[i][2]] = 1; lines.push(rows[i][3]); columns[rows[i][4]] = 1; });
    var docIds = Object.keys(docsOf);
    cell(tr, "path", docIds.length === 1 && first[2] >= 0 ? docLink(first[2])
      : docIds.length + " documents");
    cell(tr, "num lines", lines.slice(0, 4).join(", ") + (n > 4 ? ", …" : ""));
    var cols = Object.keys(columns);
    cell(tr, "", cols.length === 1 ? cols[0] : cols.length + " columns");
    var toggle = el("button", "expander");
    toggle.type = "button";
    toggle.setAttribute("aria-expanded", expanded[item.g] ? "true" : "false");
    toggle.setAttribute("data-group", item.g);
    toggle.appendChild(icon("caret"));
    withGlyphs(toggle, " " + data.groups[item.g] + " ");
    toggle.appendChild(el("span", "times", "× " + fmt(n)));
    cell(tr, "", toggle);
    frag.appendChild(tr);
    if (expanded[item.g]) item.members.forEach(function (i) { frag.appendChild(findingRow(i, "member")); });
    return frag;
  }

  function listItem(item) {
    return typeof item === "number" ? findingRow(item) : groupRows(item);
  }

  function documentRow(i) {
    var d = data.docs[i];
    var tr = el("tr");
    var first = cell(tr, "path", docLink(i));
    if (d[2]) { first.appendChild(doc.createTextNode(" ")); first.appendChild(withGlyphs(el("span", "muted"), d[2])); }
    if (d[10]) { first.appendChild(doc.createTextNode(" ")); first.appendChild(el("span", "sev-error-text", "unreadable: " + d[10])); }
    cell(tr, "num", d[3]);
    cell(tr, "num", d[4]);
    var counts = el("span", "counts");
    for (var s = 0; s < 3; s++) {
      var count = el("span", "count sev-" + data.sev[s] + (d[5 + s] ? "" : " zero"));
      count.appendChild(icon(data.sev[s]));
      count.appendChild(doc.createTextNode(" " + d[5 + s]));
      counts.appendChild(count);
    }
    cell(tr, "", counts);
    if (withPublication) {
      var pub = cell(tr, "");
      if (d[8] !== null) {
        var badgeNode = el("span", d[8] ? "pub ok" : "pub held");
        badgeNode.appendChild(icon(d[8] ? "ok" : "held"));
        badgeNode.appendChild(doc.createTextNode(d[8] ? " published" : " held back"));
        pub.appendChild(badgeNode);
        if (d[9]) { pub.appendChild(doc.createTextNode(" ")); pub.appendChild(el("span", "muted", d[9])); }
      }
    }
    return tr;
  }

  var withPublication = doc.querySelectorAll("#docs-list thead th").length === 5;
  var findingsList = pagedList("findings", listItem, "findings");
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
    var size = {};
    shown.forEach(function (i) { var g = rows[i][8]; if (g >= 0) size[g] = (size[g] || 0) + 1; });
    var items = [], groupAt = {};
    shown.forEach(function (i) {
      var g = rows[i][8];
      if (g < 0 || size[g] < 2) { items.push(i); return; }
      if (!(g in groupAt)) { groupAt[g] = items.length; items.push({ g: g, members: [] }); }
      items[groupAt[g]].members.push(i);
    });
    findingsList.show(items, rows.length, shown.length);
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

  /* The cells a finding computes from light up in their tables, each with its role. */
  var marked = [];
  function clearOperands() {
    marked.forEach(function (node) {
      node.classList.remove("operand-cell", "has-operands");
      node.removeAttribute("data-role");
    });
    marked = [];
  }

  function markOperands(cards) {
    clearOperands();
    cards.forEach(function (card) {
      var refs = card.querySelectorAll(".operands tr[data-cell], .related a[data-cell]");
      for (var k = 0; k < refs.length; k++) {
        var target = doc.getElementById(refs[k].getAttribute("data-cell"));
        if (!target) continue;
        var role = refs[k].tagName === "TR" ? refs[k].querySelector("th").textContent
          : ((refs[k].parentNode.querySelector(".role") || {}).textContent || "related");
        target.classList.add("operand-cell");
        target.setAttribute("data-role", role);
        marked.push(target);
        var figure = target.closest("figure.tbl");
        if (figure && marked.indexOf(figure) < 0) { figure.classList.add("has-operands"); marked.push(figure); }
      }
    });
  }

  function focusCard(card) {
    var cards = panelBody.querySelectorAll("article.card");
    for (var k = 0; k < cards.length; k++) cards[k].classList.toggle("current", cards[k] === card);
    markOperands(card ? [card] : Array.prototype.slice.call(cards));
  }

  function select(trigger, findingId) {
    var cell = trigger.closest("td,th") || trigger;
    if (selected) selected.classList.remove("selected");
    selected = cell;
    cell.classList.add("selected");
    var list = el("ol", "cardlist");
    var current = null;
    trigger.getAttribute("data-findings").split(" ").forEach(function (id) {
      var card = doc.getElementById(id);
      if (!card) return;
      var copy = card.closest("li").cloneNode(true);
      var article = copy.querySelector("article");
      article.removeAttribute("id");
      article.setAttribute("data-of", id);
      if (id === findingId) current = article;
      list.appendChild(copy);
    });
    var inHead = cell.parentNode.parentNode.tagName === "THEAD";
    var line = !inHead && cell.parentNode.querySelector(".ln");
    var head = !inHead && !cell.classList.contains("ln") &&
      cell.closest("table").tHead.rows[0].cells[cell.cellIndex];
    if (head) head = head.querySelector(".v") || head;
    panelTitle.textContent = (line ? "Line " + parseInt(line.textContent, 10) : "Header row") +
      (head ? " · " + drawnText(head).trim() : "") + " · " +
      list.children.length + " finding" + (list.children.length === 1 ? "" : "s");
    panelBody.textContent = "";
    panelBody.appendChild(list);
    panel.classList.add("open");
    panel.scrollTop = 0;
    focusCard(current || (list.children.length === 1 ? list.querySelector("article") : null));
    /* scroll the panel alone: scrollIntoView would scroll the page under the sticky panel too */
    if (current) panel.scrollTop = Math.max(0, current.offsetTop - panelBody.offsetTop - 12);
  }

  /* An element's text without the marks only a font could draw (kept in .glyph-text). */
  function drawnText(node) {
    var copy = node.cloneNode(true);
    var hidden = copy.querySelectorAll(".glyph-text");
    for (var k = 0; k < hidden.length; k++) hidden[k].remove();
    return copy.textContent;
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

  /* A line of the source view (or the view itself) lives in a closed <details>: open it first. */
  function goToSource(id) {
    var target = doc.getElementById(id);
    if (!target) return false;
    var box = target.closest("details");
    if (box) box.open = true;
    var block = target.tagName === "LI" ? "center" : "start";
    target.scrollIntoView({ block: block });
    keepInView(target, block);
    if (target.tagName === "LI") flash(target);
    return true;
  }

  /* Under load the line once flashed and then stayed out of view (a smooth scroll to a cell just
     before is the likely mover): for 2 s it is put back if it leaves, until the reader acts. */
  function keepInView(target, block) {
    var until = Date.now() + 2000;
    ["wheel", "touchstart", "keydown", "pointerdown"].forEach(function (type) {
      window.addEventListener(type, function () { until = 0; }, { once: true, capture: true });
    });
    (function check() {
      var box = target.getBoundingClientRect();
      if (box.bottom <= 0 || box.top >= window.innerHeight) target.scrollIntoView({ block: block });
      if (Date.now() < until) window.requestAnimationFrame(check);
    })();
  }

  function copied(button, ok) {
    button.classList.remove("copied", "copy-failed");
    button.classList.add(ok ? "copied" : "copy-failed");
    var note = doc.getElementById("copy-status");
    if (note) note.textContent = ok ? "Copied to the clipboard." : "Could not copy: select the text and copy it.";
  }

  function copyText(text, button) {
    function fallback() {
      var area = el("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      doc.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = doc.execCommand("copy"); } catch (e) { ok = false; }
      area.remove();
      copied(button, ok);
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { copied(button, true); }, fallback);
    } else {
      fallback();
    }
  }

  doc.addEventListener("click", function (event) {
    var target = event.target.closest("a,button,article.card");
    if (!target) return;
    if (target.tagName === "ARTICLE") {
      if (panel && panel.contains(target)) focusCard(target);
      return;
    }
    var href = target.getAttribute("href") || "";
    if (target.hasAttribute("data-findings")) {
      event.preventDefault();
      select(target);
    } else if (target.hasAttribute("data-copy") || target.hasAttribute("data-copy-from")) {
      var from = target.getAttribute("data-copy-from");
      var source = from && doc.getElementById(from);
      copyText(source ? source.textContent : target.getAttribute("data-copy"), target);
    } else if (target.hasAttribute("data-group")) {
      var g = +target.getAttribute("data-group");
      expanded[g] = !expanded[g];
      findingsList.draw();
      var again = doc.querySelector('#findings-body [data-group="' + g + '"]');
      if (again) again.focus();
    } else if (target.getAttribute("data-cell")) {
      var id = target.getAttribute("data-cell");
      var cell = doc.getElementById(id);
      if (!cell) return;
      event.preventDefault();
      goToCell(id);
      var trigger = cell.querySelector("[data-findings]");
      if (trigger && !panel.contains(target)) select(trigger, target.getAttribute("data-finding"));
    } else if (href.charAt(0) === "#" && /^#(L-|src-)/.test(href)) {
      if (goToSource(decodeURIComponent(href.slice(1)))) {
        event.preventDefault();
        history.replaceState(null, "", href);
      }
    } else if (target.hasAttribute("data-only")) {
      var only = +target.getAttribute("data-only");
      var boxes = form.querySelectorAll("input[name=sev]");
      for (var i = 0; i < boxes.length; i++) boxes[i].checked = +boxes[i].value === only;
      readForm();
    } else if (target.id === "detail-close") {
      panel.classList.remove("open");
      if (selected) { selected.classList.remove("selected"); selected = null; }
      clearOperands();
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
  /* Typing waits for a pause; a chosen rule, document or severity applies at once, so the list
     never redraws under a click (and a scroll) that follows it. */
  form.addEventListener("input", function (event) {
    clearTimeout(timer);
    if (event.target.type === "search") timer = setTimeout(readForm, 120);
    else readForm();
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); readForm(); });

  /* The cards stay in the page for the panel; the tables are the focus once JS is on. */
  var groups = doc.querySelectorAll("details.cards");
  for (var g = 0; g < groups.length; g++) groups[g].removeAttribute("open");

  fillFilters();
  applyFilters();
  if (!window.factlintFirstList) window.factlintFirstList = performance.now();   /* benchmark mark */
  if (documentsList) documentsList.show(data.docs.map(function (_, i) { return i; }), data.docs.length);

  /* Arriving from the index at page.html#f-…: open that finding's cell; at #L-…: that line. */
  var hash = decodeURIComponent(location.hash.slice(1));
  var arrived = hash && doc.getElementById(hash);
  if (arrived && arrived.getAttribute("data-cell")) {
    var cellNode = doc.getElementById(arrived.getAttribute("data-cell"));
    var trig = cellNode && cellNode.querySelector("[data-findings]");
    if (trig) { select(trig, hash); goToCell(cellNode.id); }
  } else if (arrived && /^(L-|src-)/.test(hash)) {
    goToSource(hash);
  }
})();
