// Fills the order form's hidden latitude/longitude from the phone's location, when the person asks.
(function () {
  var button = document.getElementById("use-location");
  var status = document.getElementById("location-status");
  if (!button || !navigator.geolocation) { if (button) { button.hidden = true; } return; }
  button.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.getElementById("f-latitude").value = pos.coords.latitude.toFixed(6);
      document.getElementById("f-longitude").value = pos.coords.longitude.toFixed(6);
      status.textContent = button.dataset.located;
    }, function () {
      status.textContent = button.dataset.failed;
    }, { enableHighAccuracy: true, timeout: 10000 });
  });
})();
