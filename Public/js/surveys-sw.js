// The survey pages without a connection: a practitioner who opened a survey at the station (with
// wifi) can open it again in a village without signal. Pages under /surveys/ are fetched from the
// network when there is one and kept; without one, the kept copy is shown. Uploads are not touched
// here: the page's own outbox (survey.js) keeps answers on the phone and sends them later.
var CACHE = "diandan-surveys-v1";
var STATIC = ["/css/app.css", "/js/survey.js"];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(STATIC); }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  var page = url.pathname.indexOf("/surveys/") === 0 && url.pathname.slice(-8) === "/collect";
  if (!page && STATIC.indexOf(url.pathname) < 0) { return; }
  event.respondWith(fetch(request).then(function (response) {
    // Only a page the server gave in full is kept (not a login page after a redirect, not an error).
    if (response.ok && !response.redirected) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(url.pathname, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(url.pathname).then(function (kept) { return kept || Response.error(); });
  }));
});
