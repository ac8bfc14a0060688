// The service worker, served at /sw.js by onboarding.views.service_worker, which puts
// `const CONFIG = {version, precache, offlinePage, staticPrefix, bypass}` before this file.
//
// Its rules: static files come from its cache first; pages always come from the network and
// are never stored (they carry customer data), and a page that cannot be loaded is answered
// with the offline page; a form sent while the network is down leaves its page in place;
// /admin/ and /sandbox/ are not touched at all.
"use strict";

var CACHE = "wattshift-static-" + CONFIG.version;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      // Without cookies: the offline page must not be rendered for whoever is logged in.
      var requests = CONFIG.precache.map(function (url) {
        return new Request(url, { cache: "reload", credentials: "omit" });
      });
      return cache.addAll(requests);
    }).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("wattshift-") === 0 && name !== CACHE;
      }).map(function (name) {
        return caches.delete(name);
      }));
    }).then(function () {
      return self.clients.claim();
    })
  );
});

// A page that loaded while this worker was activating asks to be claimed (app.js).
self.addEventListener("message", function (event) {
  if (event.data && event.data.type === "claim") {
    event.waitUntil(self.clients.claim());
  }
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || CONFIG.bypass.some(function (path) {
    return url.pathname.indexOf(path) === 0;
  })) {
    return;
  }
  if (request.method === "GET" && url.pathname.indexOf(CONFIG.staticPrefix) === 0) {
    event.respondWith(caches.match(request).then(function (cached) {
      return cached || fetch(request);
    }));
  } else if (request.mode === "navigate") {
    event.respondWith(request.method === "GET" ? pageOrOffline(request) : sentOrStay(request));
  }
  // Anything else (htmx's requests) goes to the network untouched; htmx reports its failures.
});

function pageOrOffline(request) {
  return fetch(request).catch(function () {
    return caches.match(CONFIG.offlinePage).then(function (page) {
      return page || Response.error();
    });
  });
}

function sentOrStay(request) {
  return fetch(request).catch(function () {
    // A 204 answer to a navigation leaves the page that sent the form as it is; the page is
    // told, so it can say the form was not sent next to the button that was pressed.
    return self.clients.matchAll({ type: "window" }).then(function (pages) {
      pages.forEach(function (page) {
        page.postMessage({ type: "send-failed", url: request.url });
      });
      return new Response(null, { status: 204 });
    });
  });
}
