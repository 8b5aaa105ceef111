// Every page: the service worker, the outbox of diary changes kept on this phone, and a
// sign-out that leaves nothing of the diary on a shared phone.
//
// A shared phone: the private pages the service worker keeps belong to one user (named in
// the "companion-owner" cache). Each page load compares that user with its own (the body's
// data-user, empty when signed out) and drops the kept pages and kept states of anyone else;
// the outbox keeps every user's unsent entries until their owner sends or discards them.
//
// The outbox is an IndexedDB store of entry API requests (PUT or DELETE of one entry by
// its client-made UUID), each with its owner's user id and the time of the tap. It drains
// in order, one request at a time under a Web Lock shared by every tab, and only the
// signed-in user's own requests are ever sent. PUT is idempotent, so a request whose
// answer was lost is simply sent again. A refusal (409, 410, 412, 422) stays in the
// outbox, marked failed, until the parent fixes or discards it.

const DB_NAME = "companion";
const LOCK = "companion-outbox";
export const PAGES_CACHE = "companion-pages";
const READING_CACHE = "companion-reading";
const OWNER_CACHE = "companion-owner";
const OWNER_KEY = "/__companion/owner";
const TIMEOUT_MS = 15000;
const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 5 * 60 * 1000;

/** "change" (the outbox or the kept state changed) and "network" (online or not). */
export const events = new EventTarget();
const channel = "BroadcastChannel" in window ? new BroadcastChannel("companion-outbox") : null;
if (channel) channel.onmessage = () => events.dispatchEvent(new Event("change"));

function changed() {
  events.dispatchEvent(new Event("change"));
  if (channel) channel.postMessage("change");
}

// -- IndexedDB ---------------------------------------------------------------------------

let dbPromise = null;

function openDb() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => {
        const db = request.result;
        db.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true }).createIndex("owner", "owner");
        db.createObjectStore("state", { keyPath: "key" }).createIndex("owner", "owner");
      };
      request.onsuccess = () => {
        const db = request.result;
        db.onversionchange = () => {
          db.close();
          dbPromise = null;
        };
        resolve(db);
      };
      request.onerror = () => reject(request.error);
    });
    dbPromise.catch(() => {
      dbPromise = null;
    });
  }
  return dbPromise;
}

function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Run fn(stores) in one transaction; resolves with fn's result once it has committed. */
async function inTransaction(names, mode, fn) {
  const db = await openDb();
  const tx = db.transaction(names, mode);
  const finished = new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error("aborted"));
  });
  const stores = Object.fromEntries(names.map((name) => [name, tx.objectStore(name)]));
  const result = await fn(stores);
  await finished;
  return result;
}

const byOwner = (store, owner) => done(store.index("owner").getAll(owner));

/** The owner's outbox, oldest first. */
export function listOps(owner) {
  return inTransaction(["outbox"], "readonly", async ({ outbox }) =>
    (await byOwner(outbox, owner)).sort((a, b) => a.seq - b.seq),
  );
}

/** How many entries wait to be sent (or to be fixed), counted once each. */
export function waitingCount(ops) {
  return new Set(ops.map((op) => op.entry)).size;
}

export function stateKey(owner, baby) {
  return `${owner}:${baby}`;
}

/** The kept state and the owner's outbox, read together (a send changes both at once). */
export function snapshot(owner, baby) {
  return inTransaction(["outbox", "state"], "readonly", async ({ outbox, state }) => ({
    kept: await done(state.get(stateKey(owner, baby))),
    ops: (await byOwner(outbox, owner)).sort((a, b) => a.seq - b.seq),
  }));
}

export function loadState(owner, baby) {
  return inTransaction(["state"], "readonly", ({ state }) => done(state.get(stateKey(owner, baby))));
}

export function saveState(value) {
  return inTransaction(["state"], "readwrite", ({ state }) => done(state.put(value)));
}

// -- Web Locks: one sender at a time across tabs ---------------------------------------------

let localChain = Promise.resolve();
let localHeld = false;

/** fn(held) under the outbox lock; with ifAvailable, held is false when another has it. */
function withLock(fn, ifAvailable = false) {
  if (navigator.locks) {
    return navigator.locks.request(LOCK, { ifAvailable }, (lock) => fn(lock !== null));
  }
  if (ifAvailable && localHeld) return fn(false);
  const run = localChain.then(async () => {
    localHeld = true;
    try {
      return await fn(true);
    } finally {
      localHeld = false;
    }
  });
  localChain = run.catch(() => undefined);
  return run;
}

// -- recording changes ---------------------------------------------------------------------

const same = (a, b) =>
  a.kind === b.kind &&
  a.start === b.start &&
  (a.end || null) === (b.end || null) &&
  (a.note || null) === (b.note || null) &&
  JSON.stringify(a.details || {}) === JSON.stringify(b.details || {});

export function body(entry) {
  return {
    kind: entry.kind,
    start: entry.start,
    end: entry.end || null,
    details: entry.details || {},
    note: entry.note || null,
  };
}

/**
 * Keep changes to entries in the outbox: each is {id, after} (after null = delete), in the
 * order the server must see them.
 * When no request is on its way, unsent requests are edited in place (an undone tap leaves
 * nothing to send); otherwise new requests are only appended, which is always correct.
 */
const writing = new Set(); // taps being written: signing out waits for them

export function record(owner, baby, changes, tappedAt) {
  const write = withLock(
    (held) =>
      inTransaction(["outbox", "state"], "readwrite", async ({ outbox, state }) => {
        // What the server has, read in this transaction: a request may have gone through
        // since the page last looked.
        const base = ((await done(state.get(stateKey(owner, baby)))) || {}).base || {};
        const ops = (await byOwner(outbox, owner)).sort((a, b) => a.seq - b.seq);
        for (const { id, after } of changes) {
          const known = base[id];
          let mine = ops.filter((op) => op.entry === id);
          const drop = (list) => {
            for (const op of list) {
              outbox.delete(op.seq);
              ops.splice(ops.indexOf(op), 1);
            }
            mine = ops.filter((op) => op.entry === id);
          };
          // A request that may have reached the server cannot be taken back by deleting it.
          if (held && !mine.some((op) => op.attempted && op.status === "queued")) {
            if ((after && known && same(known, after)) || (!after && !known)) {
              drop(mine); // back to what the server has, or never sent: nothing to send
              continue;
            }
            const last = ops[ops.length - 1];
            if (after && last && last.entry === id && last.status === "queued" && last.method === "PUT") {
              last.body = body(after);
              last.tappedAt = tappedAt;
              outbox.put(last);
              continue;
            }
            if (!after) drop(mine); // a deletion makes unsent edits moot
          }
          const op = {
            owner,
            baby,
            entry: id,
            method: after ? "PUT" : "DELETE",
            body: after ? body(after) : null,
            ifMatch: after && known && !mine.length ? known.version : null,
            chained: Boolean(mine.length),
            tappedAt,
            status: "queued",
            error: null,
          };
          op.seq = await done(outbox.add(op));
          ops.push(op);
        }
      }),
    true,
  ).then(changed);
  writing.add(write);
  write.finally(() => writing.delete(write)).catch(() => undefined);
  return write;
}

/** Drop every unsent request for an entry: the parent chose to discard the change. */
export function discard(owner, entryId) {
  return withLock(() =>
    inTransaction(["outbox"], "readwrite", async ({ outbox }) => {
      for (const op of await byOwner(outbox, owner)) if (op.entry === entryId) outbox.delete(op.seq);
    }),
  ).then(changed);
}

// -- the network -------------------------------------------------------------------------

export let offline = !navigator.onLine;

function setOffline(value) {
  if (offline === value) return;
  offline = value;
  events.dispatchEvent(new Event("network"));
}

async function request(url, options = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    const response = await fetch(url, {
      credentials: "same-origin",
      cache: "no-store",
      ...options,
      headers: { Accept: "application/json", ...(options.headers || {}) },
      signal: controller.signal,
    });
    setOffline(false);
    return response;
  } catch (error) {
    setOffline(true);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Who is signed in here, and a fresh CSRF token: {user, csrf_token}. */
export async function whoAmI() {
  const response = await request("/api/v1/me");
  if (!response.ok) throw new Error(`me: ${response.status}`);
  return response.json();
}

/** Now, in whole seconds, written as the server writes times ("2026-01-31T21:15:00Z"). */
export const nowIso = () => new Date().toISOString().replace(/\.\d+Z$/, "Z");

// -- draining --------------------------------------------------------------------------------

let draining = null;
let again = false;
let retryDelay = 0;
let retryTimer = null;

/** Send what waits; resolves when there is nothing more to do for now. */
export function drain() {
  if (draining) {
    again = true; // something may have been added after this run last looked
    return draining;
  }
  draining = (async () => {
    do {
      again = false;
      try {
        await runDrain();
      } catch (error) {
        scheduleRetry(); // storage trouble: try again later, the entries stay
      }
    } while (again);
  })().finally(() => {
    draining = null;
  });
  return draining;
}

function scheduleRetry(atLeastMs = 0) {
  retryDelay = retryDelay ? Math.min(retryDelay * 2, MAX_RETRY_MS) : FIRST_RETRY_MS;
  const delay = Math.max(atLeastMs, retryDelay) * (0.8 + Math.random() * 0.4);
  clearTimeout(retryTimer);
  retryTimer = setTimeout(drain, delay);
}

async function runDrain() {
  const waiting = await inTransaction(["outbox"], "readonly", ({ outbox }) => done(outbox.count()));
  if (!waiting) return;
  let me;
  try {
    me = await whoAmI();
  } catch (error) {
    scheduleRetry();
    return;
  }
  if (!me.user) return; // signed out: the entries wait for their owner to sign in again
  const owner = me.user.id; // never anyone else's: each request is sent as its owner only
  let token = me.csrf_token;
  let csrfRetries = 0;
  let sent = 0;
  for (;;) {
    const outcome = await withLock(() => sendNext(owner, token));
    if (outcome.kind === "sent") sent += 1;
    if (outcome.kind === "done") {
      retryDelay = 0;
      if (sent) events.dispatchEvent(new Event("drained"));
      return;
    }
    if (outcome.kind === "retry") {
      scheduleRetry(outcome.after);
      return;
    }
    if (outcome.kind === "stop") return;
    if (outcome.kind === "csrf") {
      if (++csrfRetries > 2) return scheduleRetry();
      try {
        token = (await whoAmI()).csrf_token;
      } catch (error) {
        return scheduleRetry();
      }
    }
  }
}

async function sendNext(owner, token) {
  const ops = await listOps(owner);
  const blocked = new Set(ops.filter((op) => op.status === "failed").map((op) => op.entry));
  const op = ops.find((item) => item.status === "queued" && !blocked.has(item.entry));
  if (!op) return { kind: "done" };
  if (!op.attempted) {
    op.attempted = true; // from now on it may reach the server: undo must send, not delete
    await inTransaction(["outbox"], "readwrite", ({ outbox }) => done(outbox.put(op)));
  }
  const headers = { "X-CSRFToken": token };
  const options = { method: op.method, headers };
  if (op.method === "PUT") {
    headers["Content-Type"] = "application/json";
    if (op.ifMatch != null) headers["If-Match"] = `"${op.ifMatch}"`;
    // The phone's clock now: the server corrects the tap times if the clock is off.
    options.body = JSON.stringify({ ...op.body, client_now: new Date().toISOString() });
  }
  let response;
  try {
    response = await request(`/api/v1/babies/${op.baby}/entries/${op.entry}`, options);
  } catch (error) {
    return { kind: "retry" };
  }
  if (response.ok) {
    const entry = op.method === "PUT" ? (await response.json()).entry : null;
    await settle(op, entry);
    return { kind: "sent" };
  }
  const error = ((await response.json().catch(() => null)) || {}).error || {};
  if (response.status === 400 && error.code === "csrf") return { kind: "csrf" };
  if (response.status === 401) return { kind: "stop" };
  if (response.status === 429 || response.status >= 500) {
    return { kind: "retry", after: 1000 * Number(response.headers.get("Retry-After") || 0) };
  }
  op.status = "failed";
  op.error = {
    status: response.status,
    code: error.code || "",
    message: error.message || "",
    conflictingId: error.conflicting_id || null,
  };
  await inTransaction(["outbox"], "readwrite", ({ outbox }) => done(outbox.put(op)));
  changed();
  return { kind: "failed" };
}

/** A request went through: drop it, note what the server now has, chain the next one. */
async function settle(op, entry) {
  await inTransaction(["outbox", "state"], "readwrite", async ({ outbox, state }) => {
    outbox.delete(op.seq);
    const later = (await byOwner(outbox, op.owner))
      .filter((item) => item.entry === op.entry && item.seq > op.seq)
      .sort((a, b) => a.seq - b.seq);
    for (const [index, item] of later.entries()) {
      if (index === 0 && item.chained) {
        item.ifMatch = entry ? entry.version : null;
        item.chained = false;
      }
      // Times the server now has (perhaps corrected for this phone's clock) are sent as the
      // server wrote them, so it keeps them as they are.
      if (entry && item.body && op.body) {
        if (item.body.start === op.body.start) item.body.start = entry.start;
        if (op.body.end && item.body.end === op.body.end) item.body.end = entry.end;
      }
      outbox.put(item);
    }
    const kept = await done(state.get(stateKey(op.owner, op.baby)));
    if (kept) {
      if (entry) {
        kept.base[entry.id] = entry;
        if (!kept.baseAt || entry.updated_at > kept.baseAt) kept.baseAt = entry.updated_at;
      } else {
        delete kept.base[op.entry];
      }
      state.put(kept);
    }
  });
  changed();
}

/** What the other parent changed since the last look (deletions too), into the kept state. */
export async function fetchChanges(owner, baby) {
  const kept = await loadState(owner, baby);
  if (!kept || !kept.cursor) return kept;
  // A second of overlap: entries changed in the same second are fetched again, never missed.
  const since = new Date(Date.parse(kept.cursor) - 1000).toISOString();
  const response = await request(`/api/v1/babies/${baby}/entries?changed_since=${encodeURIComponent(since)}`);
  if (!response.ok) return kept;
  const { entries } = await response.json();
  return inTransaction(["state"], "readwrite", async ({ state }) => {
    const fresh = (await done(state.get(stateKey(owner, baby)))) || kept;
    for (const entry of entries) {
      const known = fresh.base[entry.id];
      if (known && known.version > entry.version) continue;
      if (entry.deleted) delete fresh.base[entry.id];
      else fresh.base[entry.id] = entry;
      if (entry.updated_at > fresh.cursor) fresh.cursor = entry.updated_at;
      if (!fresh.baseAt || entry.updated_at > fresh.baseAt) fresh.baseAt = entry.updated_at;
    }
    state.put(fresh);
    return fresh;
  });
}

/** Someone else signed in here: drop the kept states of other users (not their outbox). */
export async function forgetOthers(owner) {
  await inTransaction(["state"], "readwrite", async ({ state }) => {
    for (const item of await done(state.getAll())) if (item.owner !== owner) state.delete(item.key);
  });
}

/** The kept private pages belong to this page's user, or are dropped (with every kept
 *  state of anyone else): signed out elsewhere, a cookie deleted behind the app's back, or
 *  another person signed in on this phone. */
async function keepOnlyMine() {
  if (document.documentElement.hasAttribute("data-offline-copy") || !("caches" in window)) return;
  const user = document.body.dataset.user || "";
  const owners = await caches.open(OWNER_CACHE);
  const kept = await owners.match(OWNER_KEY);
  const last = kept ? await kept.text() : null;
  if (last !== user) {
    await caches.delete(PAGES_CACHE);
    await owners.put(OWNER_KEY, new Response(user));
  }
  if ("indexedDB" in window) await forgetOthers(user ? Number(user) : null);
}

// -- signing out ---------------------------------------------------------------------------

/** Ask what to do with unsent entries: "send", "discard" or "cancel". */
function askAboutUnsent(count, triedToSend) {
  const template = document.getElementById("unsent-dialog");
  if (!template || !("HTMLDialogElement" in window)) return Promise.resolve("cancel");
  const dialog = template.content.firstElementChild.cloneNode(true);
  const title = dialog.querySelector("[data-unsent-title]");
  const text = count === 1 ? title.dataset.msgOne : title.dataset.msgMany;
  title.textContent = (text || "").replace("%(n)s", String(count));
  dialog.querySelector("[data-unsent-offline]").hidden = !triedToSend;
  document.querySelectorAll("details.menu[open]").forEach((menu) => menu.removeAttribute("open"));
  document.body.append(dialog);
  return new Promise((resolve) => {
    const finish = (choice) => {
      dialog.close();
      dialog.remove();
      resolve(choice);
    };
    dialog.querySelector("[data-unsent-send]").addEventListener("click", () => finish("send"));
    dialog.querySelector("[data-unsent-discard]").addEventListener("click", () => finish("discard"));
    dialog.querySelector("[data-unsent-cancel]").addEventListener("click", () => finish("cancel"));
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      finish("cancel");
    });
    dialog.showModal();
  });
}

async function unsentOf(owner) {
  await Promise.allSettled([...writing]);
  return waitingCount(await listOps(owner));
}

/** Sign out (or sign out everywhere, or delete the account) without losing an entry the
 *  parent did not choose to lose: unsent entries are sent first, or discarded on purpose.
 *  The server's answer then clears the site (Clear-Site-Data); what is done here does the
 *  same for browsers without it. */
async function signOut(event) {
  if (event.defaultPrevented) return; // a confirmation was declined
  const form = event.currentTarget;
  event.preventDefault();
  const owner = Number(form.dataset.userId);
  let waiting = 0;
  try {
    waiting = await unsentOf(owner);
  } catch (error) {
    /* no IndexedDB: nothing kept */
  }
  let tried = false;
  while (waiting) {
    const choice = await askAboutUnsent(waiting, tried);
    if (choice === "cancel") return;
    if (choice === "discard") break;
    tried = true;
    retryDelay = 0;
    await drain().catch(() => undefined);
    waiting = await unsentOf(owner).catch(() => 0);
  }
  try {
    await withLock(() =>
      inTransaction(["outbox", "state"], "readwrite", async ({ outbox, state }) => {
        for (const op of await byOwner(outbox, owner)) outbox.delete(op.seq);
        await done(state.clear());
      }),
    );
    if ("caches" in window) {
      await Promise.all([PAGES_CACHE, READING_CACHE, OWNER_CACHE].map((name) => caches.delete(name)));
    }
    // A page kept by the service worker may carry an older session's token.
    const token = form.querySelector("[name=csrf_token]");
    if (token) token.value = (await whoAmI()).csrf_token;
  } catch (error) {
    /* offline or no storage: sign out with what the page has */
  } finally {
    changed();
    form.submit();
  }
}

// -- entries of someone who is not signed in ----------------------------------------------

/** On the sign-in pages: how many entries of other people wait on this phone (never what
 *  they are), with a way to discard them. */
async function showUnsentOfOthers(note) {
  const me = document.body.dataset.user ? Number(document.body.dataset.user) : null;
  const all = await inTransaction(["outbox"], "readonly", ({ outbox }) => done(outbox.getAll()));
  const count = waitingCount(all.filter((op) => op.owner !== me));
  if (!count) return;
  const text = count === 1 ? note.dataset.msgOne : note.dataset.msgMany;
  note.querySelector("[data-unsent-text]").textContent = (text || "").replace("%(n)s", String(count));
  note.hidden = false;
  note.querySelector("[data-discard-unsent]").addEventListener("click", async () => {
    if (!window.confirm(note.dataset.msgConfirm || "")) return;
    await withLock(() =>
      inTransaction(["outbox"], "readwrite", async ({ outbox }) => {
        for (const op of await done(outbox.getAll())) if (op.owner !== me) outbox.delete(op.seq);
      }),
    );
    note.hidden = true;
    changed();
  });
}

// -- every page -----------------------------------------------------------------------------

export function askPersistence() {
  if (navigator.storage && navigator.storage.persist) {
    navigator.storage
      .persisted()
      .then((already) => already || navigator.storage.persist())
      .catch(() => undefined);
  }
}

keepOnlyMine().catch(() => undefined);

if ("indexedDB" in window) {
  document.querySelectorAll("form[data-sign-out]").forEach((form) => form.addEventListener("submit", signOut));
  document.querySelectorAll("[data-unsent-elsewhere]").forEach((note) => showUnsentOfOthers(note).catch(() => undefined));
  window.addEventListener("online", () => {
    setOffline(false);
    retryDelay = 0;
    drain();
  });
  window.addEventListener("offline", () => setOffline(true));
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") drain();
  });
  drain().catch(() => undefined);
}

if ("serviceWorker" in navigator) {
  const register = () =>
    navigator.serviceWorker.register("/sw.js", { scope: "/", updateViaCache: "none" }).catch(() => undefined);
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register);
}
