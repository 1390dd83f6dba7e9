// The organiser's check-in codes rotate on the server; reload the images well before they expire.
(function () {
  var images = document.querySelectorAll("img[data-refresh]");
  images.forEach(function (img) {
    var base = img.getAttribute("src").split("?")[0];
    var seconds = parseInt(img.dataset.refresh, 10) || 60;
    setInterval(function () { img.src = base + "?_=" + Date.now(); }, seconds * 1000);
  });
})();
