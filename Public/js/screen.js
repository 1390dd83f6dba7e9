// The big screen: fetch the counters every few seconds and update them in place; keep the last
// numbers and say so when the server cannot be reached, then carry on when it can.
(function () {
  var screen = document.getElementById("screen");
  if (!screen || !window.fetch) { return; }
  var status = document.getElementById("screen-status");
  var every = (parseInt(screen.dataset.every, 10) || 10) * 1000;
  function show(name, value) {
    var el = document.getElementById("c-" + name);
    if (!el) { return; }
    var text = typeof value === "number" && value % 1 !== 0 ? value.toFixed(1) : String(value);
    if (el.textContent !== text) { el.textContent = text; el.classList.add("changed"); setTimeout(function () { el.classList.remove("changed"); }, 1500); }
  }
  function tick() {
    fetch(screen.dataset.source, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (c) {
        ["orders_today", "in_service", "on_duty", "hours_this_year"].forEach(function (k) { show(k, c[k]); });
        status.textContent = status.dataset.live;
      })
      .catch(function () { status.textContent = status.dataset.offline; })
      .then(function () { setTimeout(tick, every); });
  }
  setTimeout(tick, every);
})();
