// The today page drawn from what the server has ("base", kept on the phone) and what
// waits in the outbox: the quick log's buttons, the running timers, the day's list, how
// many entries wait and which were refused. The page opened offline from the service
// worker's cache shows the latest state, and a change made by another tab or by the other
// parent shows too. The quick-log controls (quicklog.js) change entries through `apply`.

// The outbox and the sending as the page loaded them (one module each, shared by the page).
const [store, sending] = await Promise.all([
  import(document.getElementById("outbox-module").href),
  import(document.getElementById("sending-module").src),
]);

const root = document.getElementById("today-data");
const form = document.getElementById("quick-log");
const data = root.dataset;
const msg = (name) => data[`msg${name}`] || "";
const labels = JSON.parse(data.labels || "{}");
// The diary's rules come with the page (companion/diary/rules.py), never from a copy here.
export const rules = JSON.parse(data.rules || "{}");
const owner = Number(data.userId);
const baby = Number(data.babyId);
const lang = document.documentElement.lang || "fi";
const zone = data.tz || undefined;
const dayStart = Date.parse(data.dayStart);
const serverNow = data.serverNow;
const clockFormat = new Intl.DateTimeFormat(lang, { hour: "numeric", minute: "2-digit", timeZone: zone });
const POLL_MS = 60 * 1000;

let base = Object.fromEntries(JSON.parse(data.entries || "[]").map((entry) => [entry.id, entry]));
let ops = []; // this owner's outbox, as kept
let unsaved = []; // taps shown but not yet in the outbox
let shown = signature(base, [], []); // what the server rendered
let started = false;

export const nowIso = sending.nowIso;
/** Offline by the browser or by the last request. */
export const isOffline = () => !navigator.onLine || sending.offline;

/** Start from what the phone keeps (newer than the page when opened from the cache). */
export async function start() {
  const kept = await store.loadState(owner, baby);
  const copy = document.documentElement.hasAttribute("data-offline-copy");
  if (copy) document.querySelectorAll(".flashes, .undo-bar").forEach((old) => old.remove());
  if (kept && (copy || kept.cursor >= serverNow || (kept.baseAt && kept.baseAt > serverNow))) {
    base = kept.base; // opened from the cache, or sent meanwhile: the kept state is newer
  } else {
    await store.saveState({
      key: store.stateKey(owner, baby),
      owner,
      baby,
      base,
      cursor: serverNow,
      baseAt: serverNow,
    });
    if (navigator.onLine) store.forgetOthers(owner).catch(() => undefined);
  }
  ops = await store.listOps(owner);
  started = true;
  root.dataset.ready = "";
  render();
  store.events.addEventListener("change", () => reload().catch(() => undefined));
  sending.events.addEventListener("network", () => (sending.offline ? renderStatus() : catchUp()));
  sending.events.addEventListener("drained", () => catchUp());
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") catchUp();
  });
  setInterval(() => {
    if (document.visibilityState === "visible") catchUp();
  }, POLL_MS);
  catchUp();
  // Timers drawn here tick too (app.js ticks only those present when the page loaded).
  setInterval(() => {
    document.querySelectorAll("section.running [data-since]").forEach((timer) => {
      const out = timer.querySelector("[data-elapsed]");
      if (out) out.textContent = duration(minutesSince(timer.dataset.since));
    });
  }, 15000);
}

async function reload() {
  const now = await store.snapshot(owner, baby);
  if (now.kept) base = now.kept.base;
  ops = now.ops;
  render();
}

/** What the other parent changed meanwhile; then anything still waiting is sent. */
async function catchUp() {
  if (!navigator.onLine) return renderStatus();
  try {
    const kept = await sending.fetchChanges(owner, baby);
    if (kept) base = kept.base;
    render();
    sending.drain();
  } catch (error) {
    renderStatus();
  }
}

// -- what the page shows: base plus the outbox -----------------------------------------

function failedEntries() {
  return new Set(ops.filter((op) => op.status === "failed").map((op) => op.entry));
}

export function view() {
  const entries = { ...base };
  const pending = new Set();
  const failed = failedEntries();
  for (const op of [...ops, ...unsaved]) {
    if (failed.has(op.entry)) continue; // shown apart, with fix or discard
    if (op.baby !== baby) continue;
    pending.add(op.entry);
    if (op.method === "DELETE") delete entries[op.entry];
    else entries[op.entry] = { ...entries[op.entry], ...op.body, id: op.entry };
  }
  return { entries, pending };
}

function signature(entries, pending, problems) {
  const list = Object.values(entries).map((e) => [e.id, e.kind, e.start, e.end, e.note, e.details]);
  return JSON.stringify([list.sort(), [...pending].sort(), problems]);
}

export function runningOf(entries) {
  const running = {};
  for (const entry of Object.values(entries)) {
    if (interval(entry) && !entry.end) {
      if (!running[entry.kind] || entry.start > running[entry.kind].start) running[entry.kind] = entry;
    }
  }
  return running;
}

const interval = (entry) => (rules.interval_kinds || []).includes(entry.kind);
const minutesSince = (iso, until = Date.now()) => Math.max(0, Math.floor((until - Date.parse(iso)) / 60000));
/** Going on for longer than its kind may last: surely forgotten. */
export const forgotten = (entry) => minutesSince(entry.start) > (rules.max_minutes || {})[entry.kind];

/** Show at once, then keep in the outbox, then try to send; rejects if the phone could not
 * keep the changes (they are no longer shown). */
export function apply(changes, at) {
  const batch = changes.map(({ id, after }) => ({
    baby,
    entry: id,
    method: after ? "PUT" : "DELETE",
    body: after ? store.body(after) : null,
    status: "queued",
  }));
  unsaved = unsaved.concat(batch);
  render();
  const saved = store.record(
    owner,
    baby,
    changes.map(({ id, after }) => ({ id, after: after ? store.body(after) : null })),
    at,
  );
  const done = () => {
    unsaved = unsaved.filter((op) => !batch.includes(op));
  };
  return saved
    .then(() => store.snapshot(owner, baby))
    .then(
      (now) => {
        if (now.kept) base = now.kept.base;
        ops = now.ops;
        done();
        render();
        store.askPersistence();
        sending.drain();
      },
      (error) => {
        done();
        render();
        throw error;
      },
    );
}

// -- drawing ---------------------------------------------------------------------------

const clock = (iso) => clockFormat.format(new Date(iso));
const fill = (text, values) => text.replace(/%\((\w+)\)s/g, (_m, key) => values[key] ?? "");

function duration(total) {
  const unit = (value, name) =>
    new Intl.NumberFormat(lang, { style: "unit", unit: name, unitDisplay: "short" }).format(value);
  const hours = Math.floor(total / 60);
  const minutes = total % 60;
  if (!hours) return unit(minutes, "minute");
  return minutes ? `${unit(hours, "hour")} ${unit(minutes, "minute")}` : unit(hours, "hour");
}

function describe(entry) {
  const d = entry.details || {};
  const parts = [];
  const label = (group, key) => (labels[group] || {})[key] || key;
  if (entry.kind === "sleep" && d.place) parts.push(label("place", d.place));
  if (entry.kind === "crying") {
    if (d.intensity) parts.push(label("intensity", d.intensity));
    for (const way of d.soothing || []) parts.push(label("soothing", way));
  }
  if (entry.kind === "feeding") {
    if (d.method) parts.push(label("method", d.method));
    if (d.side) parts.push(label("side", d.side));
    if (d.amount_ml) parts.push(`${d.amount_ml} ml`);
  }
  return parts.join(", ");
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function render() {
  if (!started && !unsaved.length) return;
  const { entries, pending } = view();
  const problems = ops.filter((op) => op.status === "failed").map((op) => [op.seq, op.error && op.error.code]);
  renderStatus();
  const now = signature(entries, pending, problems);
  if (now === shown) return; // the server's page is right as it is
  shown = now;
  const running = runningOf(entries);
  for (const kind of rules.interval_kinds || []) {
    form.querySelector(`[data-action=${kind}-start]`).hidden = Boolean(running[kind]);
    form.querySelector(`[data-action=${kind}-end]`).hidden = !running[kind];
  }
  renderTimers(running);
  renderList(entries, pending);
  renderProblems();
}

function renderTimers(running) {
  const section = document.querySelector("section.running");
  if (!section) return;
  const nodes = [];
  for (const kind of ["sleep", "crying"]) {
    const entry = running[kind];
    if (!entry || forgotten(entry)) continue;
    const timer = element("p", `timer timer-${kind}`);
    timer.dataset.since = entry.start;
    timer.append(
      element("span", "timer-label", kind === "sleep" ? msg("Asleep") : msg("Crying")),
      element("strong", "", duration(minutesSince(entry.start))),
      element("span", "timer-since", fill(msg("Since"), { time: clock(entry.start) })),
    );
    timer.querySelector("strong").dataset.elapsed = "";
    nodes.push(timer);
  }
  if (!Object.keys(running).length) nodes.push(element("p", "timer timer-idle", msg("Idle")));
  section.replaceChildren(...nodes);
}

function renderList(entries, pending) {
  const section = document.querySelector("section.day-list");
  const old = section && section.querySelector("ol.entries, p.empty");
  if (!old) return;
  const today = Object.values(entries)
    .filter((e) => Date.parse(e.start) >= dayStart || (e.end ? Date.parse(e.end) >= dayStart : interval(e)))
    .sort((a, b) => (a.start < b.start ? 1 : a.start > b.start ? -1 : 0));
  if (!today.length) {
    old.replaceWith(element("p", "empty", msg("Empty")));
    return;
  }
  const list = element("ol", "entries");
  for (const entry of today) {
    const ongoing = !entry.end && interval(entry);
    const label = (labels.kind || {})[entry.kind] || entry.kind;
    const item = element("li", `entry entry-${entry.kind}`);
    item.dataset.entryId = entry.id;
    item.append(element("span", "when", clock(entry.start) + (entry.end ? `–${clock(entry.end)}` : "")));
    const what = element("span", "what", label);
    if (ongoing) what.append(" ", element("em", "", msg("GoingOn")));
    item.append(what);
    if (entry.end || ongoing) {
      const until = entry.end ? Date.parse(entry.end) : Date.now();
      item.append(element("span", "length", duration(minutesSince(entry.start, until))));
    }
    const details = describe(entry);
    if (details) item.append(element("span", "details", details));
    if (entry.note) item.append(element("span", "note", entry.note));
    if (pending.has(entry.id)) {
      item.append(element("span", "edit waiting", msg("NotSent")));
    } else {
      const edit = element("a", "edit", msg("Edit"));
      edit.href = `/diary/${baby}/entries/${entry.id}/edit`;
      edit.setAttribute("aria-label", fill(msg("EditLabel"), { what: label, time: clock(entry.start) }));
      item.append(edit);
    }
    list.append(item);
  }
  old.replaceWith(list);
}

function renderStatus() {
  const status = document.querySelector("[data-sync-pending]");
  if (!status) return;
  const waiting = store.waitingCount([...ops, ...unsaved]);
  const offline = isOffline();
  const parts = [];
  if (offline) parts.push(msg("Offline"));
  if (waiting === 1) parts.push(msg("WaitingOne"));
  else if (waiting) parts.push(fill(msg("Waiting"), { n: waiting }));
  status.dataset.syncPending = String(waiting);
  status.classList.toggle("offline", offline);
  const text = parts.join(" ");
  if (status.textContent !== text) status.textContent = text;
  status.hidden = !text;
}

function renderProblems() {
  const section = document.querySelector("[data-sync-problems]");
  if (!section) return;
  const list = section.querySelector("[data-sync-problem-list]");
  const template = document.getElementById("sync-problem-template");
  const failed = ops.filter((op) => op.status === "failed");
  list.replaceChildren(
    ...failed.map((op) => {
      const item = template.content.firstElementChild.cloneNode(true);
      const entry = op.body || base[op.entry] || {};
      const label = (labels.kind || {})[entry.kind] || "";
      item.querySelector("[data-what]").textContent = entry.start ? `${label} ${clock(entry.start)}` : label;
      item.querySelector("[data-message]").textContent = (op.error && op.error.message) || "";
      item.querySelector("[data-fix]").href = fixUrl(op, entry);
      item.querySelector("[data-discard]").addEventListener("click", () => {
        store.discard(owner, op.entry).catch(() => undefined);
      });
      return item;
    }),
  );
  section.hidden = !failed.length;
}

/** Where the parent can put it right: the entry, the one it collides with, or a new one. */
function fixUrl(op, entry) {
  const error = op.error || {};
  const path = `/diary/${op.baby}/entries`;
  if (error.status === 409 && error.conflictingId) return `${path}/${error.conflictingId}/edit`;
  if (error.status !== 410 && (base[op.entry] || error.status === 412)) return `${path}/${op.entry}/edit`;
  return `${path}/new${entry.kind ? `?kind=${entry.kind}` : ""}`;
}

