// Watches an export job: asks for its progress every second until it is written, then shows the link.
(function () {
  var box = document.getElementById("export");
  if (!box) return;
  var source = box.getAttribute("data-source");
  function show(s) {
    document.getElementById("export-status").textContent = box.getAttribute("data-status-" + s.status) || s.status;
    document.getElementById("export-count").textContent = s.done + " / " + s.total;
    var bar = document.getElementById("export-progress");
    bar.value = s.percent;
    bar.textContent = s.percent + "%";
    if (s.download) {
      document.getElementById("export-download").href = s.download;
      document.getElementById("export-filename").textContent = s.filename || "";
      document.getElementById("export-ready").hidden = false;
    }
    if (s.status === "failed") document.getElementById("export-error").hidden = false;
    return s.status === "done" || s.status === "failed";
  }
  function poll() {
    fetch(source, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (s) { if (!show(s)) setTimeout(poll, 1000); })
      .catch(function () { setTimeout(poll, 3000); });
  }
  poll();
})();
