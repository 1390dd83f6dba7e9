// 数据大屏: the server pushes the whole board (server-sent events) when it changes; counters and
// panels are updated in place. A wall screen has nobody to press reload: when the line drops it keeps
// the last figures, says so only if it stays down, and reconnects by itself (backing off to a minute);
// after ten failed tries in a row it reloads the page, which also shows a sign-in that has expired.
(function () {
  var screen = document.getElementById("screen");
  if (!screen || !window.EventSource) { return; }
  var status = document.getElementById("screen-status");
  var source = null, failures = 0, downTimer = null;
  function flash(el) { el.classList.add("changed"); setTimeout(function () { el.classList.remove("changed"); }, 1500); }
  function show(name, value) {
    var el = document.getElementById("c-" + name);
    if (!el) { return; }
    var text = String(value);
    if (el.textContent !== text) { el.textContent = text; flash(el); }
  }
  // The latest orders roll only when there are more than the panel shows.
  function roll() {
    var frame = document.getElementById("f-latest"), list = frame && frame.querySelector(".ticker");
    if (list) { list.classList.toggle("rolling", list.scrollHeight > frame.clientHeight + 4); }
  }
  function live() {
    failures = 0;
    if (downTimer) { clearTimeout(downTimer); downTimer = null; }
    status.textContent = status.dataset.live;
    status.classList.remove("offline");
  }
  function down() {
    status.textContent = status.dataset.offline;
    status.classList.add("offline");
  }
  function connect() {
    source = new EventSource(screen.dataset.source);
    source.addEventListener("open", live);
    source.addEventListener("screen", function (e) {
      var b = JSON.parse(e.data);
      ["orders_today", "in_service", "on_duty"].forEach(function (k) { show(k, b.counters[k]); });
      show("orders_month", b.orders_month);
      show("hours_this_year", b.hours);
      Object.keys(b.fragments).forEach(function (k) {
        var el = document.getElementById("f-" + k);
        // The fragments are the server's own escaped HTML (the same the page was drawn with).
        if (el && el.innerHTML !== b.fragments[k]) { el.innerHTML = b.fragments[k]; }
      });
      roll();
      live();
    });
    source.addEventListener("error", function () {
      // A normal end of the stream reconnects at once: say nothing unless it stays down.
      if (!downTimer) { downTimer = setTimeout(down, 10000); }
      if (source.readyState === EventSource.CLOSED) {
        failures += 1;
        if (failures >= 10) { window.location.reload(); return; }
        setTimeout(connect, Math.min(60000, 2000 * Math.pow(2, failures)));
      }
    });
  }
  roll();
  connect();
})();
