// Check-in and check-out: asks the phone for its location, then sends the form with it.
(function () {
  var form = document.getElementById("check-form");
  if (!form) { return; }
  var button = document.getElementById("do-check");
  var status = document.getElementById("check-status");
  form.addEventListener("submit", function (event) {
    // An online training asks for no position.
    if (form.dataset.online || document.getElementById("f-latitude").value) { return; }
    event.preventDefault();
    if (!navigator.geolocation) { status.textContent = button.dataset.failed; return; }
    button.disabled = true;
    status.textContent = button.dataset.locating;
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.getElementById("f-latitude").value = pos.coords.latitude.toFixed(6);
      document.getElementById("f-longitude").value = pos.coords.longitude.toFixed(6);
      form.submit();
    }, function () {
      button.disabled = false;
      status.textContent = button.dataset.failed;
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 0 });
  });
})();
