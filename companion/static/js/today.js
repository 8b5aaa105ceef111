// The today page drawn from what the server has ("base", kept on the phone) and what
// waits in the outbox: the quick log's buttons, each baby's card (what runs, awake since,
// the last feed), the day's list, how many entries wait and which were refused. The page
// opened offline from the service worker's cache shows the latest state, and a change
// made by another tab or by the other parent shows too. The quick-log controls
// (quicklog.js) change entries through `apply`, for this baby or a twin logged with it.

// The outbox and the sending as the page loaded them (one module each, shared by the page).
const [store, sending, app] = await Promise.all([
  import(document.getElementById("outbox-module").href),
  import(document.getElementById("sending-module").src),
  import(document.getElementById("app-module").src),
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
// Times are written with the page's clock pattern (i18n.clock_pattern), as the server writes them.
const wallClock = app.clockFormat(data.clock || "H.mm", [data.clockAm || "AM", data.clockPm || "PM"]);
const POLL_MS = 60 * 1000;

const byId = (list) => Object.fromEntries(list.filter(Boolean).map((entry) => [entry.id, entry]));
let base = byId(JSON.parse(data.entries || "[]"));
// The last feed and sleep before today's entries, and the other babies (twins) as the
// server knew them: what runs, the last feed, awake since.
const before = {
  lastFeed: JSON.parse(data.lastFeed || "null"),
  awakeSince: data.awakeSince || null,
  lastEnd: data.lastEnd || null,
};
export const others = Object.fromEntries(JSON.parse(data.others || "[]").map((o) => [o.id, o]));
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
    document.querySelectorAll(".now-card [data-since]").forEach((timer) => {
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

// -- what the page shows: base plus the outbox

function failedEntries() {
  return new Set(ops.filter((op) => op.status === "failed").map((op) => op.entry));
}

/** A baby's entries (this baby's day; a twin's running entries and last feed) with what
 * waits in the outbox applied, and which of them wait. */
export function view(of = baby) {
  const entries = of === baby ? { ...base } : byId([...others[of].running, others[of].last_feed]);
  const pending = new Set();
  const failed = failedEntries();
  for (const op of [...ops, ...unsaved]) {
    if (failed.has(op.entry)) continue; // shown apart, with fix or discard
    if (op.baby !== of) continue;
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
export function apply(changes, at, of = baby) {
  const batch = changes.map(({ id, after }) => ({
    baby: of,
    entry: id,
    method: after ? "PUT" : "DELETE",
    body: after ? store.body(after) : null,
    status: "queued",
  }));
  unsaved = unsaved.concat(batch);
  render();
  const saved = store.record(
    owner,
    of,
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

// -- drawing

/** A moment's wall-clock time in the family's zone, "13.05". */
export const clock = (iso) => {
  const [hour, minute] = clock24(iso).split(":").map(Number);
  return wallClock(hour * 60 + minute);
};
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
  // After the first word, the list goes on in lower case (as labels.py writes it).
  const lang = document.documentElement.lang;
  return parts.map((part, i) => (i ? part.charAt(0).toLocaleLowerCase(lang) + part.slice(1) : part)).join(", ");
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
  const twins = Object.keys(others).map((id) => view(Number(id)).entries);
  const now = signature({ ...entries, ...Object.assign({}, ...twins) }, pending, problems);
  if (now === shown) return; // the server's page is right as it is
  shown = now;
  const running = runningOf(entries);
  for (const kind of rules.interval_kinds || []) {
    const start = form.querySelector(`[data-action=${kind}-start]`);
    const end = form.querySelector(`[data-action=${kind}-end]`);
    const focused = document.activeElement;
    start.hidden = Boolean(running[kind]);
    end.hidden = !running[kind];
    // A button that goes (after a tap, or the other parent's) hands the focus to the one
    // that takes its place: it never falls to the page.
    if (focused === start && start.hidden) end.focus();
    if (focused === end && end.hidden) start.focus();
  }
  const feed = lastFeed(entries);
  renderFeedButtons(feed);
  document.querySelectorAll("[data-now-baby]").forEach((card) => renderCard(card, Number(card.dataset.nowBaby)));
  renderList(entries, pending);
  renderProblems();
}

/** The latest feed among a baby's entries, or the one the server knew of. */
export function lastFeed(entries, of = baby) {
  const known = of === baby ? before.lastFeed : others[of].last_feed;
  let last = known && entries[known.id] !== undefined ? entries[known.id] : known;
  for (const entry of Object.values(entries)) {
    // Two feeds in the same second: the one logged later (entries keep their order).
    if (entry.kind === "feeding" && (!last || entry.start >= last.start)) last = entry;
  }
  return last;
}

/** When the latest sleep or crying ended, also in an earlier day than the page's (the
 * server's, as the page was drawn): a running timer's start stays after it. */
export const lastEnd = (of = baby) => (of === baby ? before.lastEnd : others[of].last_end);

/** When the latest sleep ended ("awake since"), or when the server knew it to. */
function awakeSince(entries, of) {
  let at = of === baby ? before.awakeSince : others[of].awake_since;
  for (const entry of Object.values(entries)) {
    if (entry.kind === "sleep" && entry.end && (!at || entry.end > at)) at = entry.end;
  }
  return at;
}

/** How a feed went, in a word or two ("Left", "Bottle 90 ml"). */
export function feedWord(feed) {
  const d = (feed && feed.details) || {};
  let word = d.method === "breast" && d.side ? labels.side[d.side] : (labels.method || {})[d.method] || "";
  if (d.amount_ml) word = `${word} ${d.amount_ml} ml`.trim();
  return word;
}

function renderFeedButtons(feed) {
  const d = (feed && feed.details) || {};
  const again = form.querySelector("[data-feed-again]");
  const word = feedWord(feed);
  if (again) again.textContent = word ? fill(msg("AsLastTime"), { how: word }) : "";
  const lastAction = d.method === "bottle" ? "feeding-bottle" : d.method === "breast" ? `feeding-${d.side}` : "";
  form.querySelectorAll(".feed-one").forEach((button) => {
    const last = button.dataset.action === lastAction;
    button.classList.toggle("last", last);
    button.querySelector("[data-last-mark]").textContent = last ? msg("LastTime") : "";
  });
}

const dayKey = (date) => new Intl.DateTimeFormat("en-CA", { timeZone: zone }).format(date);
/** A time today ("13.20"), or with its day when it was another day ("su 6.12. 21.30"),
 * as the server writes it (i18n.format_moment). */
const at = (iso) => (dayKey(new Date(iso)) === dayKey(new Date()) ? clock(iso) : dayClock(iso));
const weekday = new Intl.DateTimeFormat(lang, { weekday: "short", timeZone: zone });
const dayMonth = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "numeric", timeZone: zone });
const dayClock = (iso) => {
  const date = new Date(iso);
  const part = (type) => Number(dayMonth.formatToParts(date).find((p) => p.type === type).value);
  return `${weekday.format(date)} ${part("day")}.${part("month")}. ${clock(iso)}`;
};

/** One baby's card, drawn as the server draws it (diary/_now_card.html). */
function renderCard(card, of) {
  const { entries } = view(of);
  const running = runningOf(entries);
  const kept = new Map([...card.querySelectorAll("[data-entry]")].map((node) => [node.dataset.entry, node]));
  const nodes = [...card.querySelectorAll(".now-name")];
  for (const kind of rules.interval_kinds || []) {
    const entry = running[kind];
    if (!entry || forgotten(entry)) continue;
    let timer = kept.get(entry.id);
    if (!timer) {
      timer = document.getElementById("timer-template").content.firstElementChild.cloneNode(true);
      timer.dataset.entry = entry.id;
      timer.querySelector("form").action = `/diary/${of}/entries/${entry.id}/start`;
    }
    timer.className = `timer timer-${kind}`;
    timer.dataset.since = entry.start;
    timer.dataset.baby = String(of);
    timer.querySelector(".timer-label").textContent = kind === "sleep" ? msg("Asleep") : msg("Crying");
    timer.querySelector("[data-elapsed]").textContent = duration(minutesSince(entry.start));
    timer.querySelector(".timer-since").textContent = fill(msg("Since"), { time: clock(entry.start) });
    const time = timer.querySelector("input[type=time]");
    if (document.activeElement !== time) time.value = clock24(entry.start);
    nodes.push(timer);
  }
  if (nodes.length === card.querySelectorAll(".now-name").length) {
    const idle = element("p", "timer timer-idle");
    const since = awakeSince(entries, of);
    if (since) idle.append(element("span", "timer-label", msg("Awake")), " ", element("strong", "", at(since)));
    else idle.textContent = msg("Idle");
    nodes.push(idle);
  }
  const feed = lastFeed(entries, of);
  const word = feedWord(feed);
  // "120 ml" never split over two lines.
  const line = feed ? fill(msg("LastFeed"), { time: at(feed.start) }) + (word ? ` (${word.replace(" ml", "\u00a0ml")})` : "") : msg("NoFeed");
  nodes.push(element("p", "last-feed", line));
  card.replaceChildren(...nodes);
}

const clock24 = (iso) =>
  new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone }).format(
    new Date(iso),
  );

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
    // A night that began yesterday says so, as the server writes it (diary/labels.py, entry_when).
    const begin = Date.parse(entry.start) < dayStart ? fill(msg("StartedYesterday"), { time: clock(entry.start) }) : clock(entry.start);
    item.append(element("span", "when", begin + (entry.end ? `–${clock(entry.end)}` : "")));
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

let shownWaiting = false; // the waiting line was on screen: "All sent" follows it
let slowTimer = null;
let sentTimer = null;
/** Online, a tap is sent within a moment: the waiting line shows only if it takes longer. */
const SLOW_MS = 2000;

/** Offline or not, how many entries wait, and "All sent" for a moment once they went. */
function renderStatus() {
  const status = document.querySelector("[data-sync-pending]");
  if (!status) return;
  const waiting = store.waitingCount([...ops, ...unsaved]); // refused ones too: still not in the diary
  const offline = isOffline();
  status.dataset.syncPending = String(waiting);
  if (waiting && !offline && !shownWaiting && !slowTimer) {
    slowTimer = setTimeout(() => {
      shownWaiting = true;
      renderStatus();
    }, SLOW_MS);
  }
  if (!waiting) {
    clearTimeout(slowTimer);
    slowTimer = null;
  }
  const parts = [];
  if (offline) parts.push(msg("Offline"));
  if (waiting && (offline || shownWaiting)) {
    shownWaiting = true;
    parts.push(waiting === 1 ? msg("WaitingOne") : fill(msg("Waiting"), { n: waiting }));
  }
  if (!waiting && !offline && shownWaiting) {
    shownWaiting = false;
    clearTimeout(sentTimer);
    sentTimer = setTimeout(() => {
      sentTimer = null;
      renderStatus();
    }, 4000);
  }
  if (sentTimer && !waiting && !offline) parts.push(msg("AllSent"));
  status.classList.toggle("offline", offline);
  const text = parts.join(" ");
  // Empty, the line takes no room; it stays in the page (never hidden) so that screen
  // readers hear "2 entries waiting" and "All sent" as they come.
  if (status.textContent !== text) status.textContent = text;
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

