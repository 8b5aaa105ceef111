// companion's service worker, served at /sw.js by companion.pwa.views.
// VERSION is a hash of the shell the server computed: any change to a shell file changes
// this file, so the browser installs the new worker, which precaches the new shell under
// new hashed URLs and deletes the old caches. The API is never cached.
//
// A shared phone: the private pages kept for offline use (today, history) belong to the
// user who was signed in last and are served to nobody else. The server says whose each
// page is (the Companion-User header); a page of another user, or of nobody, drops them.
// Guides and help are kept from fetches made without cookies, so they name nobody.
// Sign-out answers with Clear-Site-Data, which empties everything. A page this worker did not
// answer (a reload that bypassed it, one opened before it took over) tells it whose page it
// is (outbox.js), and the same rule drops the kept pages of anyone else.
const VERSION = {{ version|tojson }};
const SHELL = {{ shell|tojson }};
const OFFLINE_URL = {{ offline|tojson }};

const SHELL_CACHE = `companion-shell-${VERSION}`;
// Private pages of one user; whose they are is kept in OWNER_CACHE.
const PAGES_CACHE = "companion-pages";
const OWNER_CACHE = "companion-owner";
const OWNER_KEY = "/__companion/owner";
// Guides and help, kept from cookieless fetches when read.
const READING_CACHE = "companion-reading";
// /diary/ (the installed app's start URL) and /diary/<baby>/ (a today page).
const TODAY = /^\/diary\/(\d+\/)?$/;
// A baby's history of entries.
const HISTORY = /^\/diary\/\d+\/entries$/;
const HOME = "/diary/";
// Whose page an answer is: a user id, absent when nobody is signed in.
const USER_HEADER = "Companion-User";

const isPrivate = (path) => TODAY.test(path) || HISTORY.test(path);
// Public pages kept for reading offline, nothing private on them: guides and help, and Baby
// blues near you (the list, with any ?municipality= search, and each organisation's entry;
// not the contact form, whose CSRF token belongs to one session).
const isDirectory = (path) => path === "/services" || /^\/services\/[a-z0-9-]+$/.test(path);
const isReading = (path) =>
  path === "/help" || (path.startsWith("/guides/") && path !== "/guides/search") || isDirectory(path);

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      // Hashed URLs never change, so whatever the HTTP cache has will do; the offline page
      // is not hashed and comes fresh, without cookies: it names nobody.
      const mode = (url) => (url === OFFLINE_URL ? "reload" : "force-cache");
      await cache.addAll(SHELL.map((url) => new Request(url, { cache: mode(url), credentials: "omit" })));
      // Pages load every asset at once and ask for no more later, so an open page cannot
      // end up mixing files: take over at once.
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const keep = new Set([SHELL_CACHE, PAGES_CACHE, OWNER_CACHE, READING_CACHE]);
      for (const name of await caches.keys()) {
        if (name.startsWith("companion-") && !keep.has(name)) await caches.delete(name);
      }
      await refreshPages();
      await self.clients.claim();
    })(),
  );
});

/** Whether the answer is a signed-in user's (noteUser). */
async function noteOwner(response) {
  const user = response.headers.get(USER_HEADER) || "";
  await noteUser(user);
  return user !== "";
}

/** The kept private pages belong to ``user`` (a user id, "" for nobody): they are dropped
 *  when they were someone else's. */
async function noteUser(user) {
  const owners = await caches.open(OWNER_CACHE);
  const kept = await owners.match(OWNER_KEY);
  const last = kept ? await kept.text() : null;
  if (last !== user) {
    await caches.delete(PAGES_CACHE);
    await owners.put(OWNER_KEY, new Response(user));
  }
}

// A page's {user}: whose page it is, from the page itself (outbox.js's keepOnlyMine).
self.addEventListener("message", (event) => {
  if (typeof event.data?.user === "string") event.waitUntil(noteUser(event.data.user));
});

// Kept pages name the old shell's asset URLs: fetch them again for the new shell, and keep
// the private pages already open (the first visit happened before this worker ran).
async function refreshPages() {
  const kept = (await caches.has(PAGES_CACHE)) ? await (await caches.open(PAGES_CACHE)).keys() : [];
  const urls = new Set(kept.map((request) => new URL(request.url).pathname));
  for (const client of await self.clients.matchAll({ type: "window", includeUncontrolled: true })) {
    const url = new URL(client.url);
    if (url.origin === self.location.origin && isPrivate(url.pathname) && url.pathname !== HOME) {
      urls.add(url.pathname);
    }
  }
  for (const path of urls) {
    let response;
    try {
      response = await fetch(path, { credentials: "same-origin", cache: "no-store" });
    } catch (error) {
      return; // offline: keep what there is
    }
    const signedIn = await noteOwner(response);
    const pages = await caches.open(PAGES_CACHE);
    if (signedIn && response.ok && isPrivate(new URL(response.url).pathname)) {
      await keepPage(pages, path, response, TODAY.test(path) && !urls.has(HOME));
    } else {
      await pages.delete(path); // signed out or gone
    }
  }
}

// A copy without the "redirected" flag (a navigation may not be answered with one); a
// today page is also kept as the start URL's page: the installed app opens on the last
// baby seen.
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
  } else if (request.mode === "navigate") {
    event.respondWith(networkFirst(event, request, url));
  }
});

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

async function networkFirst(event, request, url) {
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    return offlineCopy(url);
  }
  if (response.type === "basic" && response.status < 500) {
    // Noted before the page is answered, so the page's script finds it done.
    const signedIn = await noteOwner(response);
    if (response.redirected) return response; // kept under its own URL when visited there
    if (signedIn && response.ok && isPrivate(url.pathname) && url.pathname !== HOME) {
      const copy = response.clone();
      const asHome = TODAY.test(url.pathname);
      event.waitUntil(caches.open(PAGES_CACHE).then((cache) => keepPage(cache, url.pathname, copy, asHome)));
    } else if (response.ok && isReading(url.pathname)) {
      event.waitUntil(keepReading(url, response.clone()));
    }
  }
  return response;
}

/** What is kept for this page, when the network cannot be reached. */
async function offlineCopy(url) {
  if (isPrivate(url.pathname)) {
    // Only the last user's pages are kept at all (noteOwner drops anyone else's).
    const page = await caches.match(url.pathname, { cacheName: PAGES_CACHE, ignoreVary: true });
    if (page) return markedCopy(page);
  } else if (isReading(url.pathname)) {
    const page = await caches.match(url.pathname + url.search, { cacheName: READING_CACHE, ignoreVary: true });
    if (page) return page;
  }
  return offlinePage();
}

/** A guide or help page, kept for reading offline: fetched again without cookies (so it
 *  names nobody and carries no token), in the language the reader saw it in. */
async function keepReading(url, shown) {
  try {
    const lang = ((await shown.text()).match(/<html lang="([a-z]{2})"/) || [])[1];
    const plain = new URL(url);
    if (lang) plain.searchParams.set("lang", lang);
    const response = await fetch(plain, { credentials: "omit", cache: "no-store" });
    if (response.ok && response.type === "basic" && !response.headers.has(USER_HEADER)) {
      await keepPage(await caches.open(READING_CACHE), url.pathname + url.search, response, false);
    }
  } catch (error) {
    /* offline again: keep what there is */
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
