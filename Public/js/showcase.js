// The showcase's site picker goes to that site's page (/showcase/<id>) as soon as one is chosen.
(function () {
  var select = document.getElementById("showcase-site");
  if (!select) { return; }
  select.addEventListener("change", function () {
    window.location.href = "/showcase" + (select.value ? "/" + select.value : "");
  });
})();
