// Sending the outbox (outbox.js) to the server, on every page: in order, one request at a
// time under the outbox's lock, and only the signed-in user's own requests. PUT is
// idempotent, so a request whose answer was lost is simply sent again. Also what the
// other parent changed meanwhile, whether the phone is online, and a sign-out that leaves
// nothing of the diary on a shared phone.

// The outbox as the page loaded it (its hashed URL: one module, shared with the page's).
const outboxLoaded = import(document.getElementById("outbox-module").href);
// Listening first: no sign-out slips past while the outbox loads.
if ("indexedDB" in window) {
  document.querySelectorAll("form[data-sign-out]").forEach((form) => form.addEventListener("submit", signOut));
}
const outbox = await outboxLoaded;

const TIMEOUT_MS = 15000;
const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 5 * 60 * 1000;

/** "network" (online or not) and "drained" (requests went through). */
export const events = new EventTarget();

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
  if (!(await outbox.countAll())) return;
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
    const outcome = await outbox.withLock(() => sendNext(owner, token));
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
  const ops = await outbox.listOps(owner);
  const blocked = new Set(ops.filter((op) => op.status === "failed").map((op) => op.entry));
  const op = ops.find((item) => item.status === "queued" && !blocked.has(item.entry));
  if (!op) return { kind: "done" };
  if (!op.attempted) await outbox.markAttempted(op);
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
    await outbox.settle(op, entry);
    return { kind: "sent" };
  }
  const error = ((await response.json().catch(() => null)) || {}).error || {};
  if (response.status === 400 && error.code === "csrf") return { kind: "csrf" };
  if (response.status === 401) return { kind: "stop" };
  if (response.status === 429 || response.status >= 500) {
    return { kind: "retry", after: 1000 * Number(response.headers.get("Retry-After") || 0) };
  }
  await outbox.markFailed(op, {
    status: response.status,
    code: error.code || "",
    message: error.message || "",
    conflictingId: error.conflicting_id || null,
  });
  return { kind: "failed" };
}

/** What the other parent changed since the last look (deletions too), into the kept state. */
export async function fetchChanges(owner, baby) {
  const kept = await outbox.loadState(owner, baby);
  if (!kept || !kept.cursor) return kept;
  // A second of overlap: entries changed in the same second are fetched again, never missed.
  const since = new Date(Date.parse(kept.cursor) - 1000).toISOString();
  const response = await request(`/api/v1/babies/${baby}/entries?changed_since=${encodeURIComponent(since)}`);
  if (!response.ok) return kept;
  const { entries } = await response.json();
  return outbox.learn(owner, baby, kept, entries);
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

async function unsentOf(outbox, owner) {
  await outbox.written();
  return outbox.waitingCount(await outbox.listOps(owner));
}

/** Sign out (or sign out everywhere, or delete the account) without losing an entry the
 *  parent did not choose to lose: unsent entries are sent first, or discarded on purpose.
 *  The server's answer then clears the site (Clear-Site-Data); what is done here does the
 *  same for browsers without it. */
async function signOut(event) {
  if (event.defaultPrevented) return; // a confirmation was declined
  const form = event.currentTarget;
  event.preventDefault();
  const outbox = await outboxLoaded;
  const owner = Number(form.dataset.userId);
  let waiting = 0;
  try {
    waiting = await unsentOf(outbox, owner);
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
    waiting = await unsentOf(outbox, owner).catch(() => 0);
  }
  try {
    await outbox.forget(owner);
    // A page kept by the service worker may carry an older session's token.
    const token = form.querySelector("[name=csrf_token]");
    if (token) token.value = (await whoAmI()).csrf_token;
  } catch (error) {
    /* offline or no storage: sign out with what the page has */
  } finally {
    outbox.changed();
    form.submit();
  }
}

// -- entries of someone who is not signed in ----------------------------------------------

/** On the sign-in pages: how many entries of other people wait on this phone (never what
 *  they are), with a way to discard them. */
async function showUnsentOfOthers(note) {
  const me = document.body.dataset.user ? Number(document.body.dataset.user) : null;
  const count = await outbox.othersWaiting(me);
  if (!count) return;
  const text = count === 1 ? note.dataset.msgOne : note.dataset.msgMany;
  note.querySelector("[data-unsent-text]").textContent = (text || "").replace("%(n)s", String(count));
  note.hidden = false;
  note.querySelector("[data-discard-unsent]").addEventListener("click", async () => {
    if (!window.confirm(note.dataset.msgConfirm || "")) return;
    await outbox.discardOthers(me);
    note.hidden = true;
  });
}

// -- every page -----------------------------------------------------------------------------

outbox.keepOnlyMine().catch(() => undefined);

if ("indexedDB" in window) {
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
