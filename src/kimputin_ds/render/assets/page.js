// kimputin_ds review pages: details on hover and focus, links that scroll to and
// flash their span, switches that take hidden layers out of the tab order, and
// source notes placed in the margin beside their span. The page reads without it.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  var text = document.getElementById("text");
  var tip = document.getElementById("tip");
  var inspector = document.getElementById("inspector");
  if (!text) { return; }

  // The native tooltip is for pages without scripts; here the card replaces it.
  text.querySelectorAll(".hl[title]").forEach(function (el) {
    el.setAttribute("aria-label", el.getAttribute("title"));
    el.removeAttribute("title");
  });

  function card(key) { return document.getElementById("card-" + key); }
  function fragments(key) { return text.querySelectorAll('[data-item="' + CSS.escape(key) + '"]'); }
  var lit = [];
  function clear() {
    lit.forEach(function (el) { el.classList.remove("related", "same-group"); });
    lit = [];
    tip.hidden = true;
  }
  function light(el, cls) { el.classList.add(cls); lit.push(el); }

  function show(el, pin) {
    clear();
    var key = el.getAttribute("data-card");
    fragments(key).forEach(function (f) { if (f.classList.contains("s")) { light(f, "related"); } });
    // Every item sharing a group value (a mention's entity; a plural mention has several).
    (el.getAttribute("data-group") || "").split(" ").filter(Boolean).forEach(function (value) {
      text.querySelectorAll('[data-group~="' + CSS.escape(value) + '"]').forEach(function (g) {
        fragments(g.getAttribute("data-item")).forEach(function (f) { light(f, "same-group"); });
      });
    });
    var c = card(key);
    if (!c) { return; }
    tip.innerHTML = c.outerHTML.replace(/ id="card-[^"]*"/, "");
    tip.hidden = false;
    var r = el.getBoundingClientRect();
    var top = window.scrollY + r.bottom + 6;
    var left = Math.max(8, Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8));
    tip.style.top = top + "px";
    tip.style.left = left + "px";
    if (pin && inspector) {
      inspector.innerHTML = "<h2>Selected</h2>" + c.outerHTML.replace(/ id="card-[^"]*"/, "");
    }
  }
  function target(ev) {
    var el = ev.target.closest ? ev.target.closest("[data-card]") : null;
    return el && text.contains(el) ? el : null;
  }
  text.addEventListener("mouseover", function (ev) { var el = target(ev); if (el) { show(el, false); } });
  text.addEventListener("mouseout", function (ev) { if (target(ev)) { clear(); } });
  text.addEventListener("focusin", function (ev) { var el = target(ev); if (el) { show(el, true); } });
  text.addEventListener("focusout", function () { clear(); });
  text.addEventListener("click", function (ev) { var el = target(ev); if (el) { show(el, true); } });
  text.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { clear(); }
    if (ev.key === "Enter" && target(ev) && inspector) { clear(); inspector.focus(); }
  });

  // Links to a span: scroll it to the middle of the window and flash it.
  function flash(id) {
    var el = document.getElementById(id);
    if (!el || !text.contains(el)) { return false; }
    text.querySelectorAll(".flash").forEach(function (f) { f.classList.remove("flash"); });
    var key = el.getAttribute("data-item");
    var parts = [el];
    // continuation fragments of the same span follow it directly in document order
    fragments(key).forEach(function (f) {
      if (f.hasAttribute("data-cont") && (el.compareDocumentPosition(f) & Node.DOCUMENT_POSITION_FOLLOWING)) { parts.push(f); }
    });
    parts.forEach(function (f) { f.classList.add("flash"); });
    el.scrollIntoView({ block: "center" });
    if (!el.hasAttribute("tabindex")) { el.setAttribute("tabindex", "-1"); }
    el.focus({ preventScroll: true });
    window.setTimeout(function () { parts.forEach(function (f) { f.classList.remove("flash"); }); }, 2500);
    return true;
  }
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest ? ev.target.closest('a[href^="#"]') : null;
    if (!a) { return; }
    var id = decodeURIComponent(a.getAttribute("href").slice(1));
    if (flash(id)) { ev.preventDefault(); history.replaceState(null, "", "#" + id); }
  });
  if (location.hash) { flash(decodeURIComponent(location.hash.slice(1))); }

  // Switched-off layers leave the tab order (CSS hides their drawing).
  document.querySelectorAll(".toggles input[data-layer]").forEach(function (box) {
    box.addEventListener("change", function () {
      var layer = box.getAttribute("data-layer");
      text.querySelectorAll('.hl.p[data-layer="' + layer + '"]').forEach(function (el) {
        el.setAttribute("tabindex", box.checked ? "0" : "-1");
      });
      placeNotes();
    });
  });

  // Source notes: beside their span, pushed down so that they never overlap.
  function placeNotes() {
    var notes = document.querySelectorAll(".notes .note");
    if (!notes.length || getComputedStyle(notes[0]).position !== "absolute") { return; }
    var box = notes[0].parentElement.getBoundingClientRect();
    var floor = 0;
    notes.forEach(function (n) {
      var span = document.getElementById(n.getAttribute("data-for"));
      var top = span ? span.getBoundingClientRect().top - box.top : floor;
      top = Math.max(top, floor);
      n.style.top = top + "px";
      floor = top + n.offsetHeight + 6;
    });
    notes[0].parentElement.style.minHeight = floor + "px";
  }
  placeNotes();
  window.addEventListener("resize", placeNotes);
})();
