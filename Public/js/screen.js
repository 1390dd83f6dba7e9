// 数据大屏: the server pushes the whole board (server-sent events) when it changes; counters and
// panels are updated in place. When the line drops the last figures stay and the status says so;
// the browser reconnects by itself.
(function () {
  var screen = document.getElementById("screen");
  if (!screen || !window.EventSource) { return; }
  var status = document.getElementById("screen-status");
  function flash(el) { el.classList.add("changed"); setTimeout(function () { el.classList.remove("changed"); }, 1500); }
  function show(name, value) {
    var el = document.getElementById("c-" + name);
    if (!el) { return; }
    var text = String(value);
    if (el.textContent !== text) { el.textContent = text; flash(el); }
  }
  var source = new EventSource(screen.dataset.source);
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
    status.textContent = status.dataset.live;
    status.classList.remove("offline");
  });
  source.addEventListener("error", function () { status.textContent = status.dataset.offline; status.classList.add("offline"); });
})();
