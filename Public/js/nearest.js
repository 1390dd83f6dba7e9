// "The station nearest to me": picks, from the phone's location, the closest station in the list
// (the list itself works without script).
(function () {
  var button = document.getElementById("nearest");
  if (!button || !navigator.geolocation) { return; }
  var select = document.getElementById(button.dataset.target);
  var status = document.getElementById("nearest-status");
  var places = (button.dataset.places || "").split(";").map(function (p) {
    var f = p.split(":");
    return { id: f[0], lat: parseFloat(f[1]), lng: parseFloat(f[2]) };
  }).filter(function (p) { return p.id && !isNaN(p.lat) && !isNaN(p.lng); });
  if (!select || places.length === 0) { return; }
  button.hidden = false;
  function km(a, b, c, d) {
    var r = Math.PI / 180, x = Math.sin((c - a) * r / 2), y = Math.sin((d - b) * r / 2);
    var h = x * x + Math.cos(a * r) * Math.cos(c * r) * y * y;
    return 12742 * Math.asin(Math.min(1, Math.sqrt(h)));
  }
  button.addEventListener("click", function () {
    status.textContent = button.dataset.finding || "…";
    navigator.geolocation.getCurrentPosition(function (pos) {
      var best = null, bestKm = Infinity;
      places.forEach(function (p) {
        var d = km(pos.coords.latitude, pos.coords.longitude, p.lat, p.lng);
        if (d < bestKm) { best = p; bestKm = d; }
      });
      if (!best) { return; }
      select.value = best.id;
      var option = select.options[select.selectedIndex];
      status.textContent = (option ? option.text : "") + " · " + bestKm.toFixed(1) + " km";
    }, function () {
      status.textContent = button.dataset.failed || "";
    }, { enableHighAccuracy: false, timeout: 10000 });
  });
})();
