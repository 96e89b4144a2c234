/* calsync's pages, in the viewer's browser: every time in the viewer's own zone (detected, or picked and
   remembered, or given by ?tz=), the viewer's band, and the grid's viewer column, all in the viewer's language
   (chosen, or the browser's among the page's four, else the page's own). Agenda text is only ever written with
   textContent; every string for people comes from the page's data, which carries it in each language. */
(function () {
  "use strict";
  var root = document.documentElement;
  var data = JSON.parse(document.getElementById("calsync-data").textContent);
  var lang = data.lang || root.lang || "en";
  var S = (data.strings || {})[lang] || {};
  var STORE = "calsync.tz";
  var LANG_STORE = "calsync.lang";

  function t(key, vars) {
    var text = S[key] || key;
    Object.keys(vars || {}).forEach(function (k) { text = text.split("{" + k + "}").join(String(vars[k])); });
    return text;
  }
  function byId(id) { return document.getElementById(id); }
  function all(selector, within) { return Array.prototype.slice.call((within || document).querySelectorAll(selector)); }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  // --- zones and clocks ------------------------------------------------------------------------------------------
  function validZone(zone) {
    if (!zone) { return false; }
    try { new Intl.DateTimeFormat("en", {timeZone: zone}); return true; } catch (e) { return false; }
  }
  var deviceZone = "";
  var clocks = {};
  function clock(zone) {
    if (!clocks[zone]) {
      clocks[zone] = {
        parts: new Intl.DateTimeFormat("en-GB", {timeZone: zone || undefined, hourCycle: "h23", year: "numeric",
          month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit"}),
        day: new Intl.DateTimeFormat(lang, {timeZone: zone || undefined, weekday: "long", day: "numeric",
          month: "long", year: "numeric"}),
        shortDay: new Intl.DateTimeFormat(lang, {timeZone: zone || undefined, weekday: "short", day: "numeric",
          month: "short"}),
        offset: offsetFormat(zone)
      };
    }
    return clocks[zone];
  }
  function offsetFormat(zone) {
    try {
      return new Intl.DateTimeFormat("en", {timeZone: zone || undefined, timeZoneName: "shortOffset"});
    } catch (e) { return null; }
  }
  function parts(zone, ms) {
    var out = {};
    clock(zone).parts.formatToParts(new Date(ms)).forEach(function (p) { out[p.type] = p.value; });
    var hour = out.hour === "24" ? "00" : out.hour;
    return {date: out.year + "-" + out.month + "-" + out.day, hm: hour + ":" + out.minute,
            minutes: parseInt(hour, 10) * 60 + parseInt(out.minute, 10)};
  }
  function utcOffset(zone, ms) {
    var f = clock(zone).offset;
    if (!f) { return ""; }
    var name = f.formatToParts(new Date(ms)).filter(function (p) { return p.type === "timeZoneName"; })[0];
    var text = name ? name.value.replace("GMT", "UTC") : "";
    return text === "UTC" ? "UTC+0" : text;
  }
  function days(a, b) { return Math.round((Date.parse(a + "T00:00:00Z") - Date.parse(b + "T00:00:00Z")) / 86400000); }
  function kind(s, e) {
    var n = data.night, w = data.work;
    var spans = [[n[0] - 1440, n[1]], [n[0], n[1] + 1440], [n[0] + 1440, n[1] + 2880]];
    for (var i = 0; i < spans.length; i++) { if (s < spans[i][1] && e > spans[i][0]) { return ["night", t("night")]; } }
    var words = [];
    if (s < w[0]) { words.push(t("early")); }
    if (e > w[1]) { words.push(t("late")); }
    return words.length ? ["edge", words.join(", ")] : ["work", ""];
  }
  function shiftText(n) {
    if (!n) { return ""; }
    if (n === 1) { return t("day_after"); }
    if (n === -1) { return t("day_before"); }
    return t(n > 0 ? "days_after" : "days_before", {n: Math.abs(n)});
  }
  /* One span of time as lived in ``zone``: its clock text, day shift from the meeting's date, and flags. */
  function span(zone, startMs, endMs, meetingDate) {
    var s = parts(zone, startMs), e = parts(zone, endMs);
    var k = kind(s.minutes, s.minutes + Math.round((endMs - startMs) / 60000));
    return {text: s.hm + "\u2013" + e.hm, start: s, shift: meetingDate ? days(s.date, meetingDate) : 0,
            kind: k[0], words: k[1]};
  }

  // --- places: the picker's names, and a name for a zone ----------------------------------------------------------
  var places = (data.places && data.places.names) || [];
  var placeZones = (data.places && data.places.zones) || [];
  var aliases = (data.places && data.places.aliases) || {};
  /* tzdata's current name for a zone the browser may call by an older one ("Asia/Calcutta" -> "Asia/Kolkata"). */
  function current(zone) { return aliases[zone] !== undefined ? placeZones[aliases[zone]] : zone; }
  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }
  function placeName(zone) {
    var country = ((data.places && data.places.country) || {})[lang] || {};
    var at = placeZones.indexOf(zone);
    return (at >= 0 && country[at]) || zone.split("/").pop().replace(/_/g, " ");
  }
  function findZone(text) {
    var wanted = fold(text);
    if (!wanted) { return null; }
    var prefixed = [];
    for (var i = 0; i < places.length; i++) {
      var name = fold(places[i][0]);
      if (name === wanted) { return {zone: placeZones[places[i][1]], label: places[i][0]}; }
      if (name.indexOf(wanted) === 0) { prefixed.push(places[i]); }
    }
    var iana = String(text).trim().replace(/ /g, "_");
    if (iana.indexOf("/") > 0 && validZone(iana)) { return {zone: spelled(iana), label: ""}; }
    var zonesFound = prefixed.map(function (p) { return placeZones[p[1]]; })
      .filter(function (z, i, list) { return list.indexOf(z) === i; });
    if (zonesFound.length === 1) { return {zone: zonesFound[0], label: prefixed[0][0]}; }
    return null;
  }
  /* The zone as tzdata spells it ("asia/kolkata" -> "Asia/Kolkata"); browsers' own names can be older ones. */
  function spelled(zone) {
    var lower = zone.toLowerCase();
    for (var i = 0; i < placeZones.length; i++) { if (placeZones[i].toLowerCase() === lower) { return placeZones[i]; } }
    return current(zone);
  }

  // --- what every page fills in ------------------------------------------------------------------------------
  /* The grid's own column (calsync times and the meeting's page): each block in the viewer's zone. */
  function fillGrid(zone) {
    (data.blocks || []).forEach(function (b) {
      var cell = byId("viewer-" + b.index);
      if (!cell) { return; }
      var s = span(zone, b.start_ms, b.end_ms, b.meeting_date);
      cell.textContent = s.text;
      if (s.shift) { cell.appendChild(el("small", "", shiftText(s.shift))); }
      if (s.words) { cell.appendChild(el("small", "mark", s.words)); }
      cell.className = "viewer " + s.kind;
      cell.setAttribute("data-local-start", s.start.date + "T" + s.start.hm);
    });
  }

  /* Any element carrying data-start-ms/data-end-ms: its .local clock, .js-date day and .mark flag. */
  function fillTimes(zone) {
    all("[data-start-ms]").forEach(function (box) {
      var start = +box.getAttribute("data-start-ms"), end = +box.getAttribute("data-end-ms");
      var s = span(zone, start, end, box.getAttribute("data-meeting-date"));
      var local = box.querySelector(".local");
      if (local) { local.textContent = s.text; }
      var date = box.querySelector(".js-date");
      if (date) {
        var longDate = box.hasAttribute("data-long-date");
        date.textContent = longDate ? clock(zone).day.format(new Date(start)) : (s.shift || box.hasAttribute("data-show-date")
          ? clock(zone).shortDay.format(new Date(start)) : "");
      }
      var mark = box.querySelector(".mark");
      if (mark) {
        mark.textContent = s.words;
        mark.className = "mark " + s.kind;
        mark.hidden = !s.words;
      }
      box.setAttribute("data-local-start", s.start.date + "T" + s.start.hm);
      var there = box.parentNode.querySelector(".slot-there");
      if (there) { there.hidden = there.getAttribute("data-span") === s.text && !s.shift; }
    });
  }

  function fillZoneNames(zone, label) {
    var name = label || placeName(zone);
    var firstMs = (data.blocks && data.blocks.length) ? data.blocks[0].start_ms : Date.now();
    all(".js-zone-name").forEach(function (node) { node.textContent = name; });
    all(".js-zone-offset").forEach(function (node) { node.textContent = utcOffset(zone, firstMs); });
    all(".js-zone-iana").forEach(function (node) { node.textContent = zone; });
    var viewer = byId("viewer-zone");
    if (viewer) { viewer.textContent = zone || t("your_zone_unknown"); }
  }

  // --- the viewer's band ---------------------------------------------------------------------------------------
  var SVG = "http://www.w3.org/2000/svg";
  function rect(svg, x, w, fill, y, h) {
    var r = document.createElementNS(SVG, "rect");
    r.setAttribute("x", String(x));
    r.setAttribute("width", String(Math.max(w, 0)));
    r.setAttribute("y", String(y === undefined ? 0 : y));
    r.setAttribute("height", String(h === undefined ? 24 : h));
    r.setAttribute("fill", fill);
    svg.appendChild(r);
    return r;
  }
  /* Spans merged where they touch and wrapped at midnight, as the server draws them (pages._on_the_dial). */
  function dial(spans) {
    var merged = [], out = [];
    spans.slice().sort(function (a, b) { return a[0] - b[0]; }).forEach(function (s) {
      var last = merged[merged.length - 1];
      if (last && s[0] <= last[0] + last[1]) { last[1] = Math.max(last[1], s[0] + s[1] - last[0]); } else { merged.push([s[0], s[1]]); }
    });
    merged.forEach(function (m) {
      var x = m[0], w = m[1];
      while (w > 0) {
        x = ((x % 1440) + 1440) % 1440;
        var piece = Math.min(w, 1440 - x);
        out.push([x, Math.max(piece, 4)]);
        x += piece;
        w -= piece;
      }
    });
    return out;
  }
  /* A copy of the server's first band, redrawn for the viewer's zone: same shading, blocks where they fall. */
  function drawBands(zone, name) {
    all(".bands[data-day]").forEach(function (box) {
      var old = box.querySelector(".viewer-band");
      if (old) { box.removeChild(old); }
      var template = box.querySelector(".band-row");
      if (!template) { return; }
      var day = box.getAttribute("data-day");
      var blocks = (data.blocks || []).filter(function (b) { return b.meeting_date === day; });
      if (!blocks.length) { return; }
      var row = template.cloneNode(true);
      row.className = "band-row viewer-band";
      var first = span(zone, blocks[0].start_ms, blocks[blocks.length - 1].end_ms, day);
      var label = row.querySelector(".band-label");
      while (label.firstChild) { label.removeChild(label.firstChild); }
      label.appendChild(el("strong", "", t("you") + " \u00b7 " + name));
      label.appendChild(el("span", "band-time", first.text));
      if (first.shift) { label.appendChild(el("small", "", " " + shiftText(first.shift))); }
      if (first.words) { label.appendChild(el("small", "", " " + first.words)); }
      var svg = row.querySelector("svg");
      all("[data-block]", svg).forEach(function (r) { svg.removeChild(r); });
      var midnight = parts(zone, blocks[0].start_ms);
      var base = blocks[0].start_ms - midnight.minutes * 60000;
      dial(blocks.map(function (b) {
        return [Math.round((b.start_ms - base) / 60000), Math.round((b.end_ms - b.start_ms) / 60000)];
      })).forEach(function (piece) {
        rect(svg, piece[0], piece[1], "#e4572e", 3, 18).setAttribute("data-block", "");
      });
      svg.setAttribute("aria-label", name + ": " + first.text);
      if (box.hasAttribute("data-viewer-only")) {
        all(".band-row", box).forEach(function (other) { box.removeChild(other); });
        var axis = template.querySelector(".band-axis");
        if (axis && !row.querySelector(".band-axis")) { row.querySelector(".band").appendChild(axis.cloneNode(true)); }
      }
      box.insertBefore(row, box.querySelector(".band-row"));
      // the hour scale once, under the top row: the viewer's
      all(".band-row:not(.viewer-band) .band-axis", box).forEach(function (axis) { axis.parentNode.removeChild(axis); });
    });
  }

  // --- subscription links that need the page's own address ---------------------------------------------------------
  function fillFeedLinks() {
    var web = /^https?:$/.test(location.protocol);
    all("[data-feed]").forEach(function (a) {
      if (a.getAttribute("data-absolute") === "1") { return; }
      if (!web) {
        (a.closest("li") || a).hidden = true;
        return;
      }
      var here = location.href.replace(/[?#].*$/, "").replace(/[^/]*$/, "");
      var feed = here + a.getAttribute("data-feed");
      var kindOf = a.getAttribute("data-kind");
      var target = feed.replace(/^https?:/, "webcal:");
      if (kindOf === "google") { target = "https://calendar.google.com/calendar/render?cid=" + encodeURIComponent(target); }
      if (kindOf === "text") { a.textContent = feed; target = feed; }
      a.setAttribute("href", target);
    });
    all(".js-needs-web").forEach(function (node) { node.hidden = web; });
    all("[data-web-only]").forEach(function (node) { node.hidden = !web; });
  }

  // --- the index: each meeting's start for the viewer ------------------------------------------------------------
  function fillStarts(zone) {
    all("[data-meeting-start]").forEach(function (node) {
      var ms = +node.getAttribute("data-meeting-start");
      var p = parts(zone, ms);
      node.textContent = t("starts", {when: clock(zone).shortDay.format(new Date(ms)) + " " + p.hm});
    });
  }

  // --- choosing the zone ---------------------------------------------------------------------------------------
  function share(zone) {
    var link = byId("tz-share");
    if (!link) { return; }
    var query = "?tz=" + encodeURIComponent(zone).replace(/%2F/g, "/");
    var here = location.href.replace(/[?#].*$/, "");
    link.setAttribute("href", query);
    link.textContent = here + query;
  }
  function status(text, error) {
    var node = byId("tz-status");
    if (!node) { return; }
    node.textContent = text;
    node.className = "picker-status" + (error ? " error" : "");
    var picker = byId("zone");
    if (error && picker) { picker.open = true; }
  }
  var shown = {zone: "", label: ""};
  function apply(zone, label) {
    shown = {zone: zone, label: label};
    fillGrid(zone);
    fillTimes(zone);
    fillZoneNames(zone, label);
    drawBands(zone, label || placeName(zone));
    fillStarts(zone);
    share(zone);
    root.setAttribute("data-viewer-zone", zone);
  }
  function remembered(name) {
    try { return localStorage.getItem(name || STORE) || ""; } catch (e) { return ""; }
  }
  function remember(zone, name) {
    try {
      if (zone) { localStorage.setItem(name || STORE, zone); } else { localStorage.removeItem(name || STORE); }
    } catch (e) { /* storage can be off (private windows, file://): the choice then lasts this visit only */ }
  }
  function initialZone() {
    var asked = new URLSearchParams(location.search).get("tz");
    if (asked !== null) {
      var found = findZone(asked) || (validZone(asked) ? {zone: spelled(asked), label: ""} : null);
      if (found) {
        status(t("zone_from_link", {zone: found.label || found.zone}));
        return found;
      }
      status(t("zone_bad_link", {text: asked}), true);
    } else if (data.picker) {
      var stored = remembered();
      if (validZone(stored)) { return {zone: stored, label: ""}; }
    }
    return {zone: deviceZone, label: ""};
  }
  function setUpPicker() {
    var input = byId("tz-input"), list = byId("tz-places");
    if (!input || !list) { return; }
    places.forEach(function (p) {
      var option = document.createElement("option");
      option.value = p[0];
      list.appendChild(option);
    });
    function choose() {
      var found = findZone(input.value);
      if (!found) {
        status(t("zone_unknown", {text: input.value}), true);
        return;
      }
      remember(found.zone);
      apply(found.zone, found.label);
      status(t("zone_chosen", {zone: found.label || found.zone}));
      history.replaceState(null, "", "?tz=" + encodeURIComponent(found.zone).replace(/%2F/g, "/"));
    }
    input.addEventListener("change", choose);
    var form = byId("tz-form");
    if (form) { form.addEventListener("submit", function (event) { event.preventDefault(); choose(); }); }
    var auto = byId("tz-auto");
    if (auto) {
      auto.addEventListener("click", function () {
        remember("");
        input.value = "";
        apply(deviceZone, "");
        status(t("zone_chosen", {zone: deviceZone}));
        history.replaceState(null, "", location.pathname);
      });
    }
  }

  // --- the grid's sideways-scroll hints, shown only when a grid is wider than the window -----------------------------
  function hints() {
    all(".scroll[data-hint]").forEach(function (box) {
      var hint = byId(box.getAttribute("data-hint"));
      if (hint) { hint.hidden = box.scrollWidth <= box.clientWidth + 1; }
    });
  }

  // --- the viewer's language ----------------------------------------------------------------------------------------
  /* The first of: ?lang=, the viewer's earlier choice, the browser's languages; else the page's own. */
  function chosenLanguage() {
    var text = data.text || {};
    var wanted = [new URLSearchParams(location.search).get("lang"), remembered(LANG_STORE)]
      .concat(navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language]);
    for (var i = 0; i < wanted.length; i++) {
      var code = String(wanted[i] || "").toLowerCase().split(/[-_]/)[0];
      if (code && text[code]) { return code; }
    }
    return data.lang || "en";
  }
  /* Every marked text and attribute in ``code``, from the page's data: no request. */
  function translate(code) {
    var table = (data.text || {})[code];
    if (!table) { return; }
    lang = code;
    S = (data.strings || {})[code] || {};
    clocks = {};
    root.lang = code;
    all("[data-t]").forEach(function (node) { node.textContent = table[+node.getAttribute("data-t")]; });
    ["placeholder", "title", "aria-label"].forEach(function (name) {
      all("[data-t-" + name + "]").forEach(function (node) {
        node.setAttribute(name, table[+node.getAttribute("data-t-" + name)]);
      });
    });
    all("#languages [data-lang]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-lang") === code));
    });
  }
  function setUpLanguages() {
    var box = byId("languages");
    if (!box || !data.text) { return; }
    box.hidden = false;
    all("[data-lang]", box).forEach(function (button) {
      button.addEventListener("click", function () {
        var code = button.getAttribute("data-lang");
        remember(code, LANG_STORE);
        translate(code);
        apply(shown.zone, shown.label);
        var picker = byId("tz-status");
        if (picker) { picker.textContent = ""; }
      });
    });
  }

  deviceZone = current(Intl.DateTimeFormat().resolvedOptions().timeZone || "");
  translate(chosenLanguage());
  setUpLanguages();
  setUpPicker();
  var start = initialZone();
  apply(start.zone, start.label);
  fillFeedLinks();
  hints();
  window.addEventListener("resize", hints);
  root.setAttribute("data-calsync-rendered", "1");
})();
