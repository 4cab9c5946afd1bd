/* The exam page. Talks to the JSON API through lms.request (fetch.js: session cookie, X-CSRFToken).
 * - questions: one table of question types (TYPES: render, read the answer from the page, write a
 *   saved answer back); an option's value is the key the API gives it (the letter shown);
 * - words: the page's JSON block #exam-texts, in the reader's language;
 * - time: the countdown runs on server time (server_time plus a monotonic clock, resynchronized by every
 *   save and on return to the page), never the device's clock;
 * - saving: every change gets a higher seq; pending saves live in localStorage until the server
 *   acknowledges them, so a reload, another tab or a lost connection loses nothing;
 * - 409 from the server means the attempt is closed: inputs lock and the result page opens;
 * - layout: questions grouped by type in the order of TYPES, each group under its heading; the answer
 *   sheet (答题卡) is a bottom sheet opened from the sticky bottom bar; the question on screen is
 *   remembered (localStorage), so a reload resumes there. */
(function () {
  "use strict";
  var root = document.getElementById("exam");
  if (!root) { return; }
  var T = JSON.parse(document.getElementById("exam-texts").textContent);
  var plurals = window.Intl && Intl.PluralRules ? new Intl.PluralRules(document.documentElement.lang || "zh") : null;
  var api = root.dataset.api;
  var resultUrl = root.dataset.resultUrl;
  var storeKey = "lms-attempt-" + root.dataset.attemptId;

  var attempt = null;
  var offset = 0;            // server time - monotonic clock, in ms
  var deadline = 0;          // ms, server clock
  var seq = 0;
  var store = load();        // {pending: {qid: {response, seq}}, flags: {qid: true}, mode, current: qid}
  var saved = {};            // qid -> true when the server holds the latest answer
  var inflight = {};
  var closed = false;
  var submitting = false;
  var current = 0;
  var timers = {};
  var navButtons = [];       // the answer sheet's buttons, in display order
  var els = {
    countdown: document.getElementById("countdown"), state: document.getElementById("save-state"),
    offline: document.getElementById("offline-banner"), warning: document.getElementById("warning-banner"),
    closed: document.getElementById("closed-banner"), loading: document.getElementById("loading"),
    nav: document.getElementById("navigator"), questions: document.getElementById("questions"),
    confirm: document.getElementById("confirm"), unanswered: document.getElementById("confirm-unanswered"),
    sheet: document.getElementById("sheet"), count: document.getElementById("answered-count")
  };

  function fmt(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_m, k) { return values[k]; });
  }
  function load() {
    try { return JSON.parse(localStorage.getItem(storeKey)) || {pending: {}, flags: {}}; }
    catch (e) { return {pending: {}, flags: {}}; }
  }
  function persist() {
    try { localStorage.setItem(storeKey, JSON.stringify(store)); } catch (e) { /* private mode: memory only */ }
  }
  function counted(forms, values) {  // {one, other} by the language's plural rule for values.n
    var form = plurals ? plurals.select(values.n) : (values.n === 1 ? "one" : "other");
    return fmt(forms[form] || forms.other, values);
  }
  function request(method, url, body) { return window.lms.request(method, url, body); }
  // Server time = the server's clock at the last answer + time elapsed since on a monotonic
  // clock: changing the device's clock during the exam changes nothing.
  function mono() { return window.performance && performance.now ? performance.now() : Date.now(); }
  function now() { return offset + mono(); }
  function syncClock(serverTime, sentAt) {
    if (!serverTime) { return; }
    offset = Date.parse(serverTime) - (sentAt + mono()) / 2;
  }

  // ---- rendering -----------------------------------------------------------------------
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function choice(q, type, value, label, shown) {
    var id = "q" + q.id + "-" + value;
    var wrap = el("label", {"class": "option", "for": id});
    wrap.appendChild(el("input", {type: type, id: id, name: "q" + q.id, value: value}));
    if (shown) { wrap.appendChild(el("span", {"class": "option-key"}, shown + ".")); }
    wrap.appendChild(el("span", {}, label));
    return wrap;
  }
  function options(q, body, type) {
    // the key is what the API answers with (the letter shown, A, B, C… in this order)
    q.options.forEach(function (o, i) {
      body.appendChild(choice(q, type, o.key, o.text, String.fromCharCode(65 + i)));
    });
  }
  function inputs(box) { return Array.prototype.slice.call(box.querySelectorAll(".answer input")); }
  function checked(box) { return inputs(box).filter(function (i) { return i.checked; }); }
  function checkOne(box, response) {
    var value = response === null || response === undefined ? null : String(response);
    inputs(box).forEach(function (i) { i.checked = i.value === value; });
  }

  // Each question type: render(q, body) its inputs, read(box) the answer, write(box, response) a saved one back.
  var TYPES = {
    single: {
      render: function (q, body) { options(q, body, "radio"); },
      read: function (box) { var hit = checked(box)[0]; return hit ? hit.value : null; },
      write: checkOne
    },
    multiple: {
      render: function (q, body) { options(q, body, "checkbox"); },
      read: function (box) { return checked(box).map(function (i) { return i.value; }).sort(); },
      write: function (box, response) {
        var chosen = Array.isArray(response) ? response : [];
        inputs(box).forEach(function (i) { i.checked = chosen.indexOf(i.value) >= 0; });
      }
    },
    truefalse: {
      render: function (q, body) {
        body.appendChild(choice(q, "radio", "true", T["true"]));
        body.appendChild(choice(q, "radio", "false", T["false"]));
      },
      read: function (box) { var hit = checked(box)[0]; return hit ? hit.value === "true" : null; },
      write: checkOne
    },
    fill: {
      render: function (q, body) {
        for (var i = 0; i < (q.blanks || 1); i++) {
          var id = "q" + q.id + "-blank" + i;
          body.appendChild(el("label", {"class": "blank", "for": id}, fmt(T.blank, {n: i + 1})));
          body.appendChild(el("input", {type: "text", id: id, "data-blank": i, autocomplete: "off"}));
        }
      },
      read: function (box) { return inputs(box).map(function (i) { return i.value; }); },
      write: function (box, response) {
        var blanks = Array.isArray(response) ? response : [];
        inputs(box).forEach(function (i) { i.value = blanks[+i.dataset.blank] || ""; });
      }
    },
    essay: {
      render: function (q, body) {
        body.appendChild(el("textarea", {id: "q" + q.id + "-text", rows: "8", "aria-label": q.stem.slice(0, 40)}));
      },
      read: function (box) { return box.querySelector(".answer textarea").value; },
      write: function (box, response) {
        box.querySelector(".answer textarea").value = typeof response === "string" ? response : "";
      }
    }
  };
  function kind(q) { return TYPES[q.type] || TYPES.essay; }
  function group(q) { return TYPES[q.type] ? q.type : "essay"; }
  // The paper in display order: grouped by type in the order of TYPES, paper order within a type.
  function grouped(questions) {
    var order = Object.keys(TYPES);
    return questions.map(function (q, i) { return {q: q, i: i}; }).sort(function (a, b) {
      return order.indexOf(group(a.q)) - order.indexOf(group(b.q)) || a.i - b.i;
    }).map(function (x) { return x.q; });
  }
  function groups() {  // [{type, questions: [{q, index}]}] in display order
    var found = [];
    attempt.questions.forEach(function (q, i) {
      var last = found[found.length - 1];
      if (!last || last.type !== group(q)) { last = {type: group(q), questions: []}; found.push(last); }
      last.questions.push({q: q, index: i});
    });
    return found;
  }
  function total(points) { return Math.round(points * 100) / 100; }
  function box(q) { return document.getElementById("q-" + q.id); }

  function renderQuestion(q, index) {
    var fieldset = el("fieldset", {"class": "question", id: "q-" + q.id, "data-qid": q.id});
    var legend = el("legend");
    legend.appendChild(el("span", {"class": "q-number"}, fmt(T.question, {n: index + 1})));
    legend.appendChild(el("span", {"class": "q-meta"},
      " " + (T.types[q.type] || q.type) + " · " + fmt(T.points, {p: q.points})));
    fieldset.appendChild(legend);
    fieldset.appendChild(el("p", {"class": "stem"}, q.stem));
    var body = el("div", {"class": "answer"});
    kind(q).render(q, body);
    fieldset.appendChild(body);
    var foot = el("div", {"class": "q-foot"});
    var flag = el("label", {"class": "flag"});
    flag.appendChild(el("input", {type: "checkbox", "class": "flag-box"}));
    flag.appendChild(document.createTextNode(" " + T.flag));
    foot.appendChild(flag);
    foot.appendChild(el("span", {"class": "saved-mark", "aria-live": "polite"}));
    fieldset.appendChild(foot);
    return fieldset;
  }
  function setResponse(q, response) { kind(q).write(box(q), response); }
  function readResponse(q) { return kind(q).read(box(q)); }
  function answered(response) {
    if (response === null || response === undefined) { return false; }
    if (Array.isArray(response)) { return response.some(function (r) { return String(r).trim() !== ""; }); }
    if (typeof response === "string") { return response.trim() !== ""; }
    return true;
  }
  function latest(q) {
    var p = store.pending[q.id];
    if (p) { return p.response; }
    var a = attempt.answers[String(q.id)];
    return a ? a.response : null;
  }

  function heading(g, n) {
    var points = g.questions.reduce(function (sum, x) { return sum + (+x.q.points || 0); }, 0);
    var h = el("h2", {"class": "q-group-title", id: "group-" + g.type},
      fmt(T.section, {n: T.sectionNumbers[n] || String(n + 1), type: T.types[g.type] || g.type}));
    h.appendChild(el("span", {"class": "q-group-info"}, counted(T.sectionInfo, {n: g.questions.length, p: total(points)})));
    return h;
  }
  function renderPaper() {
    groups().forEach(function (g, n) {
      var section = el("section", {"class": "q-group", "data-type": g.type, "aria-labelledby": "group-" + g.type});
      section.appendChild(heading(g, n));
      els.questions.appendChild(section);
      g.questions.forEach(function (x) {
        section.appendChild(renderQuestion(x.q, x.index));
        setResponse(x.q, latest(x.q));
        wire(x.q);
      });
    });
  }
  function renderNav() {
    els.nav.textContent = "";
    navButtons = [];
    groups().forEach(function (g) {
      els.nav.appendChild(el("h3", {"class": "nav-group"}, T.types[g.type] || g.type));
      var grid = el("div", {"class": "nav-grid"});
      g.questions.forEach(function (x) {
        var b = el("button", {type: "button", "class": "nav-item", "data-index": x.index}, String(x.index + 1));
        b.addEventListener("click", function () { closeSheet(); go(x.index); });
        grid.appendChild(b);
        navButtons[x.index] = b;
      });
      els.nav.appendChild(grid);
    });
    refreshMarks();
  }
  function indexOf(qid) {
    for (var i = 0; i < attempt.questions.length; i++) { if (String(attempt.questions[i].id) === String(qid)) { return i; } }
    return -1;
  }
  function openSheet() {
    if (els.sheet.showModal) { els.sheet.showModal(); } else { els.sheet.setAttribute("open", ""); }
    var here = navButtons[current];
    if (here) { here.focus(); }
  }
  function closeSheet() {
    if (els.sheet.close) { if (els.sheet.open) { els.sheet.close(); } } else { els.sheet.removeAttribute("open"); }
  }
  function refreshMarks() {
    var pendingCount = 0, answeredCount = 0;
    attempt.questions.forEach(function (q, i) {
      var b = navButtons[i];
      var isAnswered = answered(latest(q));
      var flagged = !!store.flags[q.id];
      if (isAnswered) { answeredCount += 1; }
      b.classList.toggle("answered", isAnswered);
      b.classList.toggle("flagged", flagged);
      b.classList.toggle("current", i === current && store.mode !== "all");
      b.setAttribute("aria-label", fmt(T.question, {n: i + 1}) + (isAnswered ? " ✓" : "") + (flagged ? " ⚑" : ""));
      var mark = document.querySelector("#q-" + q.id + " .saved-mark");
      if (store.pending[q.id]) {
        pendingCount += 1;
        mark.textContent = inflight[q.id] ? T.saving : T.pending;
        mark.className = "saved-mark pending";
      } else if (saved[q.id]) {
        mark.textContent = "✓ " + T.saved;
        mark.className = "saved-mark ok";
      } else {
        mark.textContent = "";
      }
    });
    els.state.textContent = pendingCount ? counted(T.queued, {n: pendingCount}) : T.allSaved;
    els.count.textContent = answeredCount + "/" + attempt.questions.length;
    document.getElementById("sheet-count").textContent = els.count.textContent;
    els.count.parentNode.setAttribute("aria-label", fmt(T.sheetLabel, {n: answeredCount, total: attempt.questions.length}));
  }
  function show(index) {
    current = Math.max(0, Math.min(attempt.questions.length - 1, index));
    var all = store.mode === "all";
    attempt.questions.forEach(function (q, i) {
      document.getElementById("q-" + q.id).hidden = !all && i !== current;
    });
    els.questions.querySelectorAll(".q-group").forEach(function (section) {
      section.hidden = !section.querySelector(".question:not([hidden])");
    });
    document.getElementById("prev").disabled = !all && current === 0;
    document.getElementById("next").disabled = !all && current === attempt.questions.length - 1;
    document.getElementById("prev").hidden = all;
    document.getElementById("next").hidden = all;
    root.classList.toggle("mode-all", all);
    if (store.current !== attempt.questions[current].id) { store.current = attempt.questions[current].id; persist(); }
    document.getElementById("mode-one").setAttribute("aria-pressed", String(!all));
    document.getElementById("mode-all").setAttribute("aria-pressed", String(all));
    refreshMarks();
    if (all) {
      var target = document.getElementById("q-" + attempt.questions[current].id);
      if (target.scrollIntoView) { target.scrollIntoView({block: "start"}); }
    }
  }
  function go(index) {  // the trainee moves: show the question and bring its top into view
    show(index);
    if (store.mode === "all") { return; }
    var target = document.getElementById("q-" + attempt.questions[current].id);
    var top = target.getBoundingClientRect().top;
    var bar = document.querySelector(".exam-bar");
    var covered = bar ? bar.getBoundingClientRect().height + 8 : 0;
    if (top < covered || top > window.innerHeight / 2) { window.scrollBy(0, top - covered - 40); }
  }

  // ---- saving --------------------------------------------------------------------------
  function change(q) {
    if (closed) { return; }
    seq += 1;
    store.pending[q.id] = {response: readResponse(q), seq: seq};
    store.seq = seq;
    saved[q.id] = false;
    persist();
    refreshMarks();
    flush();
  }
  function flush() {
    if (closed) { return Promise.resolve(); }
    Object.keys(store.pending).forEach(function (qid) { if (!inflight[qid]) { send(qid); } });
    return Promise.all(Object.keys(inflight).map(function (qid) { return inflight[qid]; }));
  }
  function settled(rounds) {  // queued answers sent and answered (a few rounds at most; offline: give up)
    rounds = rounds === undefined ? 3 : rounds;
    return flush().then(function () {
      var left = Object.keys(store.pending).length;
      return left && els.offline.hidden && rounds > 1 ? settled(rounds - 1) : null;
    });
  }
  function send(qid) {
    var entry = store.pending[qid];
    inflight[qid] = sendNow(qid, entry);
    refreshMarks();
    return inflight[qid];
  }
  function sendNow(qid, entry) {
    var sentAt = mono();
    return request("PUT", api + "/answers/" + qid, {response: entry.response, seq: entry.seq}).then(function (r) {
      delete inflight[qid];
      setOffline(r.status === 0);  // no answer (offline, timed out): stays queued for the next flush
      if (r.status === 200) {
        syncClock(r.data.server_time, sentAt);
        var still = store.pending[qid];
        if (still && still.seq <= r.data.seq) {
          delete store.pending[qid];
          attempt.answers[qid] = {response: entry.response, seq: r.data.seq};
          saved[qid] = true;
          persist();
        } else if (still) {
          return send(qid);  // a newer answer was queued meanwhile
        }
      } else if (r.status === 409) {
        lock();
      } else if (r.status === 404 || r.status === 422) {
        delete store.pending[qid];  // nothing to retry: the server will never take it
        persist();
      }
      refreshMarks();
    });
  }
  function setOffline(offline) {
    els.offline.hidden = !offline;
    root.classList.toggle("is-offline", offline);
  }
  function lock() {
    closed = true;
    els.closed.hidden = false;
    root.querySelectorAll("input, textarea").forEach(function (i) { i.disabled = true; });
    document.getElementById("submit").disabled = true;
    document.getElementById("sheet-submit").disabled = true;
    store.pending = {};
    persist();
    setTimeout(function () { window.location.assign(resultUrl); }, 1500);
  }

  // ---- submitting ----------------------------------------------------------------------
  function openConfirm() {
    var missing = [];
    attempt.questions.forEach(function (q, i) { if (!answered(latest(q))) { missing.push(i + 1); } });
    els.unanswered.textContent = missing.length ?
      counted(T.unanswered, {n: missing.length, list: missing.join(T.listSeparator)}) : T.allAnswered;
    if (els.confirm.showModal) { els.confirm.showModal(); } else { els.confirm.setAttribute("open", ""); }
    document.getElementById("confirm-yes").focus();
  }
  function closeConfirm() {
    if (els.confirm.close) { els.confirm.close(); } else { els.confirm.removeAttribute("open"); }
  }
  function submit(auto) {
    if (submitting) { return; }
    submitting = true;
    els.state.textContent = auto ? T.timeUp : T.submitting;
    settled().then(function () {  // the last answers reach the server before the submit does
      // The page goes on to the result page: the reply need not carry the paper back.
      return window.lms.request("POST", api + "/submit", undefined, {prefer: "return=minimal"});
    }).then(function (r) {
      if (r.status === 200 || r.status === 409) {
        store.pending = {};
        closed = true;
        persist();
        window.location.assign(resultUrl);
        return;
      }
      submitting = false;  // offline: the countdown or the trainee tries again; the server closes it anyway
      if (r.status === 0) { setOffline(true); }
    });
  }

  // ---- time ----------------------------------------------------------------------------
  function tick() {
    var left = Math.max(0, Math.floor((deadline - now()) / 1000));
    var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
    els.countdown.textContent = (h ? h + ":" : "") + (m < 10 && h ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
    root.classList.toggle("time-short", left <= 60);
    if (left <= 0 && !closed) { submit(true); }
  }

  // ---- integrity -----------------------------------------------------------------------
  function report(kind, detail) {
    if (closed) { return; }
    request("POST", api + "/events", {kind: kind, detail: detail || {}}).then(function (r) {
      if (r.status === 200 && r.data.warning) {
        els.warning.textContent = r.data.warning;
        els.warning.hidden = false;
      }
    });
  }

  // ---- start ---------------------------------------------------------------------------
  function wire(q) {
    var fieldset = box(q);
    fieldset.querySelectorAll(".answer input[type=radio], .answer input[type=checkbox]").forEach(function (i) {
      i.addEventListener("change", function () { change(q); });
    });
    fieldset.querySelectorAll(".answer input[type=text], .answer textarea").forEach(function (i) {
      i.addEventListener("input", function () {
        clearTimeout(timers[q.id]);
        timers[q.id] = setTimeout(function () { change(q); }, 700);
      });
      i.addEventListener("change", function () { clearTimeout(timers[q.id]); change(q); });
      i.addEventListener("paste", function () { report("paste", {question: String(q.id)}); });
    });
    var flag = fieldset.querySelector(".flag-box");
    flag.checked = !!store.flags[q.id];
    flag.addEventListener("change", function () {
      if (flag.checked) { store.flags[q.id] = true; } else { delete store.flags[q.id]; }
      persist();
      refreshMarks();
    });
  }
  function begin(data) {
    attempt = data;
    if (attempt.status !== "in_progress") { window.location.assign(resultUrl); return; }
    attempt.questions = grouped(attempt.questions);
    deadline = Date.parse(attempt.deadline);
    seq = store.seq || 0;
    Object.keys(attempt.answers).forEach(function (qid) {
      var a = attempt.answers[qid];
      seq = Math.max(seq, a.seq);
      var p = store.pending[qid];
      if (p && p.seq <= a.seq) { delete store.pending[qid]; }  // the server already has it (or newer)
      if (!store.pending[qid]) { saved[qid] = true; }
    });
    Object.keys(store.pending).forEach(function (qid) { seq = Math.max(seq, store.pending[qid].seq); });
    persist();
    els.loading.hidden = true;
    renderPaper();
    renderNav();
    show(Math.max(0, indexOf(store.current)));
    tick();
    setInterval(tick, 250);
    setInterval(function () { if (Object.keys(store.pending).length) { flush(); } }, 5000);
    flush();
  }

  document.getElementById("prev").addEventListener("click", function () { go(current - 1); });
  document.getElementById("next").addEventListener("click", function () { go(current + 1); });
  document.getElementById("sheet-open").addEventListener("click", openSheet);
  document.getElementById("sheet-close").addEventListener("click", closeSheet);
  document.getElementById("sheet-submit").addEventListener("click", function () { closeSheet(); openConfirm(); });
  els.sheet.addEventListener("click", function (e) {  // a tap on the backdrop (outside the sheet) closes it
    var r = els.sheet.getBoundingClientRect();
    if (e.target === els.sheet && (e.clientY < r.top || e.clientY > r.bottom || e.clientX < r.left || e.clientX > r.right)) {
      closeSheet();
    }
  });
  els.questions.addEventListener("focusin", function (e) {  // the whole paper on screen: remember where the trainee is
    var fieldset = e.target.closest && e.target.closest(".question");
    if (!fieldset || store.mode !== "all") { return; }
    var i = indexOf(fieldset.dataset.qid);
    if (i >= 0 && i !== current) { current = i; store.current = attempt.questions[i].id; persist(); refreshMarks(); }
  });
  document.getElementById("mode-one").addEventListener("click", function () { store.mode = "one"; persist(); show(current); });
  document.getElementById("mode-all").addEventListener("click", function () { store.mode = "all"; persist(); show(current); });
  document.getElementById("submit").addEventListener("click", openConfirm);
  document.getElementById("confirm-no").addEventListener("click", closeConfirm);
  document.getElementById("confirm-yes").addEventListener("click", function () { closeConfirm(); submit(false); });
  window.addEventListener("online", function () { setOffline(false); flush(); });
  window.addEventListener("offline", function () { setOffline(true); });
  var leaving = false;  // a reload or navigation away also hides the page: not a tab switch
  window.addEventListener("beforeunload", function () { leaving = true; });
  window.addEventListener("pagehide", function () { leaving = true; });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { if (!leaving) { report("tab_switch", {}); } return; }
    if (!attempt || closed) { return; }
    var askedAt = mono();  // back from another app or a sleeping phone: take the server's time again
    request("GET", api).then(function (r) {
      if (r.status !== 200) { return; }
      syncClock(r.data.server_time, askedAt);
      if (r.data.status !== "in_progress") { lock(); }
    });
  });
  window.addEventListener("blur", function () { if (!leaving) { report("focus_loss", {}); } });

  var sentAt = mono();
  request("GET", api).then(function (r) {
    if (r.status !== 200) { els.loading.textContent = T.failed; setOffline(r.status === 0); return; }
    syncClock(r.data.server_time, sentAt);
    begin(r.data);
  });
})();
