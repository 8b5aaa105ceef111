// The today page, offline first. Each tap becomes a change to an entry, kept in the
// outbox (pwa.js) before anything else, and the page shows its effect at once: buttons,
// running timers, the day's list and how many entries wait. What the server has ("base")
// and the outbox together give what the page shows; both are kept in IndexedDB, so the
// page opened offline from the service worker's cache shows the latest state. Without
// JavaScript (or IndexedDB) the forms post to the server as before.

const root = document.getElementById("today-data");
const form = document.getElementById("quick-log");
const noteForm = document.querySelector("form.note-form");
const ACTIONS = ["sleep-start", "sleep-end", "crying-start", "crying-end", "feeding", "note"];
const MAX_MINUTES = { sleep: 24 * 60, crying: 12 * 60 };
const UNDO_MS = 10 * 60 * 1000;
const POLL_MS = 60 * 1000;

if (root && form && "indexedDB" in window) start();

function start() {
  const data = root.dataset;
  const msg = (name) => data[`msg${name}`] || "";
  const labels = JSON.parse(data.labels || "{}");
  const owner = Number(data.userId);
  const baby = Number(data.babyId);
  const lang = document.documentElement.lang || "fi";
  const zone = data.tz || undefined;
  const dayStart = Date.parse(data.dayStart);
  const serverNow = data.serverNow;
  const clockFormat = new Intl.DateTimeFormat(lang, { hour: "numeric", minute: "2-digit", timeZone: zone });

  let pwa = null;
  let base = Object.fromEntries(JSON.parse(data.entries || "[]").map((entry) => [entry.id, entry]));
  let ops = []; // this owner's outbox, as kept
  let unsaved = []; // taps shown but not yet in the outbox
  let shown = signature(base, [], []); // what the server rendered
  let lastTap = null;
  let undoTimer = null;
  let ready = null;
  let failedToStart = false;

  // -- taps: listeners first, so no tap slips past while the module starts ------------------

  form.addEventListener("submit", (event) => {
    const action = event.submitter ? event.submitter.value : "";
    if (!ACTIONS.includes(action) || failedToStart) return;
    const chosen = [...form.querySelectorAll("input[name=babies]:checked")].map((input) => Number(input.value));
    const others = chosen.some((id) => id !== baby);
    if (!chosen.length && form.querySelector("input[name=babies]")) return; // the server says why
    if (others && navigator.onLine && !(pwa && pwa.offline)) return; // twins: the server logs them all
    event.preventDefault();
    whenReady(() => {
      tap(action);
      if (others) notify(msg("OneBaby"));
    }, event.submitter);
  });

  if (noteForm) {
    noteForm.addEventListener("submit", (event) => {
      if (failedToStart) return;
      const input = noteForm.querySelector("[name=note]");
      const text = input.value.trim();
      event.preventDefault();
      if (!text) {
        notify(msg("NoteRequired"), true);
        return;
      }
      whenReady(() => {
        input.value = "";
        tap("note", text);
      }, event.submitter);
    });
  }

  function whenReady(fn, submitter) {
    if (ready === true) return fn();
    ready.then(() => (failedToStart ? postWithoutScript(submitter) : fn()));
  }

  /** The module could not start (no IndexedDB, private mode): post as if there were no JS. */
  function postWithoutScript(submitter) {
    if (submitter) submitter.form.requestSubmit(submitter);
  }

  ready = (async () => {
    try {
      pwa = await import(document.getElementById("pwa-module").src);
      const kept = await pwa.loadState(owner, baby);
      const copy = document.documentElement.hasAttribute("data-offline-copy");
      if (copy) document.querySelectorAll(".flashes, .undo-bar").forEach((old) => old.remove());
      if (kept && (copy || kept.cursor >= serverNow || (kept.baseAt && kept.baseAt > serverNow))) {
        base = kept.base; // opened from the cache, or sent meanwhile: the kept state is newer
      } else {
        await pwa.saveState({
          key: pwa.stateKey(owner, baby),
          owner,
          baby,
          base,
          cursor: serverNow,
          baseAt: serverNow,
        });
        if (navigator.onLine) pwa.forgetOthers(owner).catch(() => undefined);
      }
      ops = await pwa.listOps(owner);
    } catch (error) {
      failedToStart = true;
      return;
    }
    ready = true;
    root.dataset.ready = "";
    render();
    pwa.events.addEventListener("change", () => reload().catch(() => undefined));
    pwa.events.addEventListener("network", () => (pwa.offline ? renderStatus() : catchUp()));
    pwa.events.addEventListener("drained", () => catchUp());
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") catchUp();
    });
    setInterval(() => {
      if (document.visibilityState === "visible") catchUp();
    }, POLL_MS);
    catchUp();
  })();

  async function reload() {
    const now = await pwa.snapshot(owner, baby);
    if (now.kept) base = now.kept.base;
    ops = now.ops;
    render();
  }

  /** What the other parent changed meanwhile; then anything still waiting is sent. */
  async function catchUp() {
    if (!navigator.onLine) return renderStatus();
    try {
      const kept = await pwa.fetchChanges(owner, baby);
      if (kept) base = kept.base;
      render();
      pwa.drain();
    } catch (error) {
      renderStatus();
    }
  }

  // -- what the page shows: base plus the outbox -----------------------------------------

  function failedEntries() {
    return new Set(ops.filter((op) => op.status === "failed").map((op) => op.entry));
  }

  function view() {
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

  function runningOf(entries) {
    const running = {};
    for (const entry of Object.values(entries)) {
      if ((entry.kind === "sleep" || entry.kind === "crying") && !entry.end) {
        if (!running[entry.kind] || entry.start > running[entry.kind].start) running[entry.kind] = entry;
      }
    }
    return running;
  }

  const interval = (entry) => entry.kind === "sleep" || entry.kind === "crying";
  const minutesSince = (iso, until = Date.now()) => Math.max(0, Math.floor((until - Date.parse(iso)) / 60000));
  const forgotten = (entry) => minutesSince(entry.start) > MAX_MINUTES[entry.kind];

  // -- taps, as changes to entries (the same rules as the server's quick log) --------------

  const plusSecond = (iso) => new Date(Date.parse(iso) + 1000).toISOString().replace(".000Z", "Z");
  const later = (a, b) => (Date.parse(a) >= Date.parse(b) ? a : b);

  function tap(action, text) {
    const at = pwa.nowIso();
    const { entries } = view();
    const running = runningOf(entries);
    const [kind, verb] = action.includes("-") ? action.split("-") : [action, ""];
    const changes = [];
    const endRunning = (entry) => {
      if (forgotten(entry)) return null;
      const end = later(at, plusSecond(entry.start));
      changes.push({ id: entry.id, before: entry, after: { ...entry, end } });
      return end;
    };
    if (verb === "start") {
      if (running[kind]) return; // already running: a double tap changes nothing
      const other = running[kind === "sleep" ? "crying" : "sleep"];
      let startAt = at;
      if (other) {
        const end = endRunning(other);
        if (end === null) return notify(msg("Forgotten"), true);
        startAt = later(at, end);
      }
      changes.push({ id: uuid(), before: null, after: newEntry(kind, startAt) });
    } else if (verb === "end") {
      if (!running[kind]) return;
      if (endRunning(running[kind]) === null) return notify(msg("Forgotten"), true);
    } else {
      changes.push({ id: uuid(), before: null, after: newEntry(kind, at, text) });
    }
    apply(changes, at);
    showUndo(action, changes);
  }

  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  function newEntry(kind, startAt, note = null) {
    return { kind, start: startAt, end: null, details: {}, note: kind === "note" ? note : null };
  }

  /** Show at once, then keep in the outbox, then try to send. */
  function apply(changes, at) {
    const batch = changes.map(({ id, after }) => ({
      baby,
      entry: id,
      method: after ? "PUT" : "DELETE",
      body: after ? pwa.body(after) : null,
      status: "queued",
    }));
    unsaved = unsaved.concat(batch);
    render();
    const saved = pwa.record(
      owner,
      baby,
      changes.map(({ id, after }) => ({ id, after: after ? pwa.body(after) : null })),
      at,
    );
    const done = () => {
      unsaved = unsaved.filter((op) => !batch.includes(op));
    };
    saved
      .then(() => pwa.snapshot(owner, baby))
      .then((now) => {
        if (now.kept) base = now.kept.base;
        ops = now.ops;
        done();
        render();
        pwa.askPersistence();
        pwa.drain();
      })
      .catch(() => {
        done();
        render();
        notify(msg("NotKept"), true);
      });
  }

  // -- undo and the feeding details ------------------------------------------------------

  function showUndo(action, changes) {
    document.querySelectorAll(".undo-bar").forEach((bar) => bar.remove()); // also the server's
    const bar = document.getElementById("undo-template").content.firstElementChild.cloneNode(true);
    const name = action.replace(/(^|-)(\w)/g, (_m, _d, c) => c.toUpperCase());
    bar.querySelector("[data-undo-message]").textContent = msg(name);
    lastTap = changes;
    const chips = bar.querySelector("[data-feeding-chips]");
    if (action === "feeding") {
      const feedingId = changes[0].id;
      chips.hidden = false;
      chips.addEventListener("click", (event) => {
        const chip = event.target.closest("[data-choice]");
        if (!chip) return;
        const [method, side] = chip.dataset.choice.split(":");
        const entry = view().entries[feedingId];
        if (!entry) return;
        const details = { ...(entry.details || {}), method };
        if (side) details.side = side;
        else delete details.side;
        apply([{ id: feedingId, before: entry, after: { ...entry, details } }], pwa.nowIso());
        chips.hidden = true;
        bar.querySelector("[data-undo-message]").textContent = msg("Saved");
      });
    } else {
      chips.remove();
    }
    bar.querySelector("[data-undo-button]").addEventListener("click", () => {
      if (lastTap === changes) undo(changes);
      bar.remove();
      notify(msg("Undone"));
    });
    form.before(bar);
    clearTimeout(undoTimer);
    undoTimer = setTimeout(() => bar.remove(), UNDO_MS);
  }

  function undo(changes) {
    const { entries } = view();
    const back = changes
      .slice()
      .reverse()
      .map(({ id, before }) => ({ id, before: entries[id] || null, after: before }));
    lastTap = null;
    apply(back, pwa.nowIso());
  }

  function notify(text, isError = false) {
    document.querySelectorAll("[data-offline-note]").forEach((note) => note.remove());
    if (!text) return;
    const note = document.createElement("p");
    note.className = isError ? "flash flash-error" : "flash";
    note.setAttribute("role", isError ? "alert" : "status");
    note.dataset.offlineNote = "";
    note.textContent = text;
    form.before(note);
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
    if (ready !== true && !unsaved.length) return;
    const { entries, pending } = view();
    const problems = ops.filter((op) => op.status === "failed").map((op) => [op.seq, op.error && op.error.code]);
    renderStatus();
    const now = signature(entries, pending, problems);
    if (now === shown) return; // the server's page is right as it is
    shown = now;
    const running = runningOf(entries);
    for (const kind of ["sleep", "crying"]) {
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
    const waiting = pwa ? pwa.waitingCount([...ops, ...unsaved]) : unsaved.length;
    const offline = !navigator.onLine || Boolean(pwa && pwa.offline);
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
          pwa.discard(owner, op.entry).catch(() => undefined);
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

  // Timers drawn here tick too (app.js ticks only those present when the page loaded).
  setInterval(() => {
    document.querySelectorAll("section.running [data-since]").forEach((timer) => {
      const out = timer.querySelector("[data-elapsed]");
      if (out) out.textContent = duration(minutesSince(timer.dataset.since));
    });
  }, 15000);
}
