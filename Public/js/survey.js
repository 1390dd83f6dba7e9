// Needs survey on a practitioner's phone: each household's answers are first kept on the phone
// (localStorage), with an id made here, then sent; what cannot be sent now (no signal in the
// village) is sent when the connection returns. The server stores an id once, so an upload that
// is sent again — its answer lost on the way, two tabs sending together — never counts twice.
(function () {
  "use strict";
  var form = document.getElementById("survey-form");
  if (!form || !window.localStorage || !window.fetch) { return; }
  var box = document.getElementById("survey-outbox");
  var statusLine = document.getElementById("outbox-status");
  var refusedList = document.getElementById("outbox-refused");
  var QUEUE = "diandan.survey.outbox";
  var REFUSED = "diandan.survey.refused";
  var sending = false;

  function load(key) {
    try { return JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { return []; }
  }
  function store(key, list) { localStorage.setItem(key, JSON.stringify(list)); }
  function text(name, n) { return (box.dataset[name] || "").replace("{n}", String(n)); }

  // A random (version 4) UUID; crypto.randomUUID exists only on https pages.
  function newID() {
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function show(message) {
    var waiting = load(QUEUE).length;
    var refused = load(REFUSED);
    box.hidden = waiting === 0 && refused.length === 0 && !message;
    statusLine.textContent = message || (waiting > 0 ? text("waiting", waiting) : "");
    statusLine.dataset.waiting = String(waiting);
    refusedList.textContent = "";
    refused.forEach(function (r) {
      var li = document.createElement("li");
      li.textContent = text("refused") + " " + (r.household || r.collected_at) + "：" + r.reason + " ";
      var drop = document.createElement("button");
      drop.type = "button";
      drop.className = "secondary small";
      drop.textContent = box.dataset.discard;
      drop.addEventListener("click", function () {
        store(REFUSED, load(REFUSED).filter(function (x) { return x.client_id !== r.client_id; }));
        show();
      });
      li.appendChild(drop);
      refusedList.appendChild(li);
    });
  }

  function remove(clientID) {
    store(QUEUE, load(QUEUE).filter(function (x) { return x.client_id !== clientID; }));
  }

  function reason(body) {
    if (!body) { return ""; }
    var parts = [body.message || ""];
    if (body.fields) { Object.keys(body.fields).forEach(function (k) { parts.push(body.fields[k]); }); }
    return parts.join(" ");
  }

  // Sends the waiting answers one by one, oldest first; stops at the first that cannot go now.
  function flush() {
    if (sending) { return; }
    var queue = load(QUEUE);
    if (queue.length === 0) { show(); return; }
    sending = true;
    show(text("sending", queue.length));
    var csrf = form.querySelector("input[name=_csrf]").value;
    (function next() {
      var entry = load(QUEUE)[0];
      if (!entry) { sending = false; show(text("sent", 0)); return; }
      var body = new URLSearchParams();
      body.set("_csrf", csrf);
      ["client_id", "station_id", "household", "collected_at"].forEach(function (k) { body.set(k, entry[k] || ""); });
      body.set("answers", JSON.stringify(entry.answers));
      fetch(entry.url, { method: "POST", body: body, credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (res) {
          return res.json().catch(function () { return null; }).then(function (json) {
            if ((res.status === 200 || res.status === 201) && json && json.client_id === entry.client_id) {
              remove(entry.client_id);
              return next();
            }
            sending = false;
            if (res.status === 401 || res.status === 403) { show(text("signin")); return; }
            if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
              // The server will not take it as it is: set it aside for the practitioner to see.
              remove(entry.client_id);
              var refused = load(REFUSED);
              entry.reason = reason(json);
              refused.push(entry);
              store(REFUSED, refused);
              return flush();
            }
            show();
          });
        })
        .catch(function () {
          sending = false;
          show(text("offline", load(QUEUE).length));
        });
    })();
  }

  function collect() {
    var answers = {};
    var missing = [];
    Array.prototype.forEach.call(form.querySelectorAll("fieldset.question"), function (fs) {
      var id = fs.dataset.question;
      var kind = fs.dataset.kind;
      var value = null;
      if (kind === "text") {
        var t = fs.querySelector("textarea").value.trim();
        if (t) { value = t; }
      } else if (kind === "multiple") {
        var picked = Array.prototype.map.call(fs.querySelectorAll("input:checked"), function (i) { return Number(i.value); });
        if (picked.length) { value = picked; }
      } else {
        var one = fs.querySelector("input:checked");
        if (one) { value = Number(one.value); }
      }
      if (value === null) {
        if (fs.dataset.required) { missing.push(fs.querySelector("legend").textContent); }
      } else {
        answers[id] = value;
      }
    });
    return { answers: answers, missing: missing };
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var c = collect();
    var errors = document.getElementById("survey-errors");
    if (c.missing.length) {
      if (!errors) {
        errors = document.createElement("div");
        errors.id = "survey-errors";
        errors.className = "alert";
        errors.setAttribute("role", "alert");
        form.parentNode.insertBefore(errors, form);
      }
      errors.textContent = form.dataset.missing + " " + c.missing.join("；");
      return;
    }
    if (errors) { errors.remove(); }
    var entry = {
      url: form.getAttribute("action"),
      client_id: document.getElementById("f-client_id").value,
      station_id: document.getElementById("f-station_id").value,
      household: document.getElementById("f-household").value.trim(),
      collected_at: new Date().toISOString(),
      answers: c.answers
    };
    var queue = load(QUEUE);
    // The same form sent twice (a double tap) is the same household.
    if (!queue.some(function (x) { return x.client_id === entry.client_id; })) { queue.push(entry); }
    store(QUEUE, queue);
    // The next household gets a fresh form and a fresh id.
    var station = entry.station_id;
    form.reset();
    document.getElementById("f-station_id").value = station;
    document.getElementById("f-client_id").value = newID();
    show(text("saved", queue.length));
    window.scrollTo(0, 0);
    flush();
  });

  // Keep the survey pages on the phone for when there is no connection (https, or this computer).
  if (navigator.serviceWorker && window.isSecureContext) {
    navigator.serviceWorker.register("/js/surveys-sw.js", { scope: "/surveys/" }).catch(function () {});
  }

  window.addEventListener("online", flush);
  setInterval(function () { if (navigator.onLine !== false) { flush(); } }, 15000);
  // The form's id was made by the server; one left over from an earlier visit must not be reused.
  document.getElementById("f-client_id").value = newID();
  flush();
})();
