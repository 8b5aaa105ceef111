// companion's service worker, served at /sw.js by companion.pwa.views.
// VERSION is a hash of the shell the server computed: any change to a shell file changes
// this file, so the browser installs the new worker, which precaches the new shell under
// new hashed URLs and deletes the old caches. The API is never cached.
const VERSION = {{ version|tojson }};
const SHELL = {{ shell|tojson }};
const OFFLINE_URL = {{ offline|tojson }};

const SHELL_CACHE = `companion-shell-${VERSION}`;
// Today pages hold diary data: the page deletes this cache at sign-out.
const PAGES_CACHE = "companion-pages";
// Guides and help, kept when read (stale-while-revalidate); also deleted at sign-out.
const READING_CACHE = "companion-reading";
// /diary/ (the installed app's start URL) and /diary/<baby>/ (a today page).
const TODAY = /^\/diary\/(\d+\/)?$/;
const HOME = "/diary/";

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      // Hashed URLs never change, so whatever the HTTP cache has will do; the offline page
      // is not hashed and comes fresh.
      const mode = (url) => (url === OFFLINE_URL ? "reload" : "force-cache");
      await cache.addAll(SHELL.map((url) => new Request(url, { cache: mode(url) })));
      // Pages load every asset at once and ask for no more later, so an open page cannot
      // end up mixing files: take over at once.
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const keep = new Set([SHELL_CACHE, PAGES_CACHE, READING_CACHE]);
      for (const name of await caches.keys()) {
        if (name.startsWith("companion-") && !keep.has(name)) await caches.delete(name);
      }
      await refreshPages();
      await self.clients.claim();
    })(),
  );
});

// Kept pages name the old shell's asset URLs: fetch them again for the new shell, and keep
// the today pages already open (the first visit happened before this worker ran).
async function refreshPages() {
  const cache = await caches.open(PAGES_CACHE);
  const urls = new Set((await cache.keys()).map((request) => new URL(request.url).pathname));
  for (const client of await self.clients.matchAll({ type: "window", includeUncontrolled: true })) {
    const url = new URL(client.url);
    if (url.origin === self.location.origin && TODAY.test(url.pathname) && url.pathname !== HOME) {
      urls.add(url.pathname);
    }
  }
  await Promise.all(
    [...urls].map(async (path) => {
      let response;
      try {
        response = await fetch(path, { credentials: "same-origin", cache: "no-store" });
      } catch (error) {
        return; // offline: keep what there is
      }
      if (response.ok && TODAY.test(new URL(response.url).pathname)) {
        await keepPage(cache, path, response, path !== HOME && !urls.has(HOME));
      } else {
        await cache.delete(path); // signed out or gone
      }
    }),
  );
}

// A copy without the "redirected" flag (a navigation may not be answered with one), also
// kept as the start URL's page: the installed app opens on the last baby seen.
async function keepPage(cache, path, response, asHome = true) {
  const body = await response.blob();
  const headers = new Headers(response.headers);
  headers.delete("Content-Encoding"); // the body kept is already decoded
  headers.delete("Content-Length");
  const init = { status: response.status, statusText: response.statusText, headers };
  await cache.put(path, new Response(body, init));
  if (asHome && path !== HOME) await cache.put(HOME, new Response(body, init));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/") || url.pathname === "/sw.js") return; // never cached
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(staticFile(request, url));
  } else if (isReading(url.pathname)) {
    event.respondWith(staleWhileRevalidate(event, request));
  } else if (request.mode === "navigate") {
    event.respondWith(networkFirst(event, request, url));
  }
});

function isReading(path) {
  return path === "/help" || (path.startsWith("/guides/") && path !== "/guides/search") || isDirectory(path);
}

// -- directory: Baby blues near you, kept like the guides (public, nothing private on it).
// The list (with any ?municipality= search) and each organisation's entry; not the contact
// form, whose CSRF token belongs to one session.
function isDirectory(path) {
  return path === "/services" || /^\/services\/[a-z0-9-]+$/.test(path);
}
// -- end directory

async function staticFile(request, url) {
  const cache = await caches.open(SHELL_CACHE);
  const hit = await cache.match(request, { ignoreVary: true });
  if (hit) return hit;
  try {
    const response = await fetch(request);
    // A hashed URL names its content: keep it with this version's shell.
    if (url.searchParams.has("v") && response.ok && response.type === "basic") {
      await cache.put(request, response.clone());
    }
    return response;
  } catch (error) {
    // Offline with a page older than this shell: the current file beats none.
    const other = await cache.match(request, { ignoreSearch: true, ignoreVary: true });
    if (other) return other;
    throw error;
  }
}

async function staleWhileRevalidate(event, request) {
  const cache = await caches.open(READING_CACHE);
  const cached = await cache.match(request, { ignoreVary: true });
  const fresh = fetch(request).then(async (response) => {
    if (response.ok && response.type === "basic" && !response.redirected) {
      await cache.put(request, response.clone());
    }
    return response;
  });
  if (cached) {
    event.waitUntil(fresh.catch(() => undefined));
    return cached;
  }
  try {
    return await fresh;
  } catch (error) {
    return offlinePage();
  }
}

async function networkFirst(event, request, url) {
  try {
    const response = await fetch(request);
    if (TODAY.test(url.pathname) && url.pathname !== HOME && response.ok && response.type === "basic") {
      const copy = response.clone();
      event.waitUntil(caches.open(PAGES_CACHE).then((cache) => keepPage(cache, url.pathname, copy)));
    }
    return response;
  } catch (error) {
    if (TODAY.test(url.pathname)) {
      const cache = await caches.open(PAGES_CACHE);
      const page = await cache.match(url.pathname, { ignoreVary: true });
      if (page) return markedCopy(page);
    }
    return offlinePage();
  }
}

// The page tells the today page's script that it is a kept copy: its one-time messages are
// old, and the state kept on the phone is newer than the page's own.
async function markedCopy(response) {
  const html = await response.text();
  return new Response(html.replace("<html ", "<html data-offline-copy "), {
    status: response.status,
    headers: response.headers,
  });
}

async function offlinePage() {
  const page = await caches.match(OFFLINE_URL, { cacheName: SHELL_CACHE, ignoreVary: true });
  return page || new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain" } });
}
