// The outbox: diary changes kept on this phone until the server has them, and what the
// today page last knew of the server ("the kept state"). Storage only: sending.js sends.
//
// A shared phone: the private pages the service worker keeps belong to one user. Each page
// load tells the service worker whose page it is (the body's data-user, empty when signed
// out), which drops the kept pages of anyone else, and drops the kept states of anyone
// else itself; the outbox keeps every user's unsent entries until their owner sends or
// discards them.
//
// The outbox is an IndexedDB store of entry API requests (PUT or DELETE of one entry by
// its client-made UUID), each with its owner's user id and the time of the tap. Changes
// to it are made under a Web Lock shared by every tab, so a tap and a send never cross.
// A refusal (409, 410, 412, 422) stays in the outbox, marked failed, until the parent
// fixes or discards it.

const DB_NAME = "companion";
const LOCK = "companion-outbox";
// Today pages hold diary data, guides the reader's reading: both go at sign-out.
const PAGES_CACHE = "companion-pages";
const READING_CACHE = "companion-reading";
// Whose the kept pages are: the service worker's to keep.
const OWNER_CACHE = "companion-owner";

/** "change": the outbox or the kept state changed, in this tab or another. */
export const events = new EventTarget();
const channel = "BroadcastChannel" in window ? new BroadcastChannel("companion-outbox") : null;
if (channel) channel.onmessage = () => events.dispatchEvent(new Event("change"));

export function changed() {
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

const byOwner = async (store, owner) =>
  (await done(store.index("owner").getAll(owner))).sort((a, b) => a.seq - b.seq);

// -- Web Locks: one writer or sender at a time across tabs ------------------------------------

let localChain = Promise.resolve();
let localHeld = false;

/** fn(held) under the outbox lock; with ifAvailable, held is false when another has it. */
export function withLock(fn, ifAvailable = false) {
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

// -- reading -----------------------------------------------------------------------------------

/** The owner's outbox, oldest first. */
export function listOps(owner) {
  return inTransaction(["outbox"], "readonly", ({ outbox }) => byOwner(outbox, owner));
}

/** How many requests wait, whoever's they are. */
export function countAll() {
  return inTransaction(["outbox"], "readonly", ({ outbox }) => done(outbox.count()));
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
    ops: await byOwner(outbox, owner),
  }));
}

export function loadState(owner, baby) {
  return inTransaction(["state"], "readonly", ({ state }) => done(state.get(stateKey(owner, baby))));
}

export function saveState(value) {
  return inTransaction(["state"], "readwrite", ({ state }) => done(state.put(value)));
}

// -- recording taps ------------------------------------------------------------------------

const same = (a, b) =>
  a.kind === b.kind &&
  a.start === b.start &&
  (a.end || null) === (b.end || null) &&
  (a.note || null) === (b.note || null) &&
  JSON.stringify(a.details || {}) === JSON.stringify(b.details || {});

/** An entry as the entry API takes it. */
export function body(entry) {
  return {
    kind: entry.kind,
    start: entry.start,
    end: entry.end || null,
    details: entry.details || {},
    note: entry.note || null,
  };
}

const writing = new Set(); // taps being written: signing out waits for them

/**
 * Keep changes to entries in the outbox: each is {id, after} (after null = delete), in the
 * order the server must see them.
 * When no request is on its way, unsent requests are edited in place (an undone tap leaves
 * nothing to send); otherwise new requests are only appended, which is always correct.
 */
export function record(owner, baby, changes, tappedAt) {
  const write = withLock(
    (held) =>
      inTransaction(["outbox", "state"], "readwrite", async ({ outbox, state }) => {
        // What the server has, read in this transaction: a request may have gone through
        // since the page last looked.
        const base = ((await done(state.get(stateKey(owner, baby)))) || {}).base || {};
        const ops = await byOwner(outbox, owner);
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

/** Resolves when the taps being written are in the outbox (or failed to get there). */
export function written() {
  return Promise.allSettled([...writing]);
}

/** Drop every unsent request for an entry: the parent chose to discard the change. */
export function discard(owner, entryId) {
  return withLock(() =>
    inTransaction(["outbox"], "readwrite", async ({ outbox }) => {
      for (const op of await byOwner(outbox, owner)) if (op.entry === entryId) outbox.delete(op.seq);
    }),
  ).then(changed);
}

// -- what sending learns -----------------------------------------------------------------------

/** A request may reach the server from now on: an undo must send, not delete it. */
export function markAttempted(op) {
  op.attempted = true;
  return inTransaction(["outbox"], "readwrite", ({ outbox }) => done(outbox.put(op)));
}

/** The server refused a request: it waits, marked failed, for the parent to fix or discard. */
export async function markFailed(op, error) {
  op.status = "failed";
  op.error = error;
  await inTransaction(["outbox"], "readwrite", ({ outbox }) => done(outbox.put(op)));
  changed();
}

/** A request went through: drop it, note what the server now has, chain the next one. */
export async function settle(op, entry) {
  await inTransaction(["outbox", "state"], "readwrite", async ({ outbox, state }) => {
    outbox.delete(op.seq);
    const later = (await byOwner(outbox, op.owner)).filter((item) => item.entry === op.entry && item.seq > op.seq);
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

/** What the other parent changed (deletions too), into the kept state; gives the state. */
export function learn(owner, baby, kept, entries) {
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

// -- forgetting ------------------------------------------------------------------------------

/** Someone else signed in here: drop the kept states of other users (not their outbox). */
export async function forgetOthers(owner) {
  await inTransaction(["state"], "readwrite", async ({ state }) => {
    for (const item of await done(state.getAll())) if (item.owner !== owner) state.delete(item.key);
  });
}

/** The kept private pages belong to this page's user, or the service worker drops them
 *  (and this drops every kept state of anyone else): signed out elsewhere, a cookie deleted
 *  behind the app's back, or another person signed in on this phone. The service worker
 *  does so for every page it answers itself; this page may have come past it. */
export async function keepOnlyMine() {
  if (document.documentElement.hasAttribute("data-offline-copy")) return;
  const user = document.body.dataset.user || "";
  const registration = "serviceWorker" in navigator ? await navigator.serviceWorker.getRegistration() : null;
  if (registration && registration.active) registration.active.postMessage({ user });
  if ("indexedDB" in window) await forgetOthers(user ? Number(user) : null);
}

/** Signing out: nothing of the diary stays on the phone (the owner's outbox, every kept
 *  state and page, and whose the kept pages were). */
export async function forget(owner) {
  await withLock(() =>
    inTransaction(["outbox", "state"], "readwrite", async ({ outbox, state }) => {
      for (const op of await byOwner(outbox, owner)) outbox.delete(op.seq);
      await done(state.clear());
    }),
  );
  if ("caches" in window) {
    await Promise.all([PAGES_CACHE, READING_CACHE, OWNER_CACHE].map((name) => caches.delete(name)));
  }
}

/** How many entries of anyone but ``me`` (null: nobody signed in) wait on this phone. */
export async function othersWaiting(me) {
  const all = await inTransaction(["outbox"], "readonly", ({ outbox }) => done(outbox.getAll()));
  return waitingCount(all.filter((op) => op.owner !== me));
}

/** Discard the entries of anyone but ``me`` that wait on this phone (asked first). */
export function discardOthers(me) {
  return withLock(() =>
    inTransaction(["outbox"], "readwrite", async ({ outbox }) => {
      for (const op of await done(outbox.getAll())) if (op.owner !== me) outbox.delete(op.seq);
    }),
  ).finally(changed);
}

/** Ask the browser to keep this site's storage when space runs short. */
export function askPersistence() {
  if (navigator.storage && navigator.storage.persist) {
    navigator.storage
      .persisted()
      .then((already) => already || navigator.storage.persist())
      .catch(() => undefined);
  }
}
