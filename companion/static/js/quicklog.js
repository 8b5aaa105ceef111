// The quick log's controls on the today page: one tap logs sleep, crying, a feed or a
// note, offline too. A tap becomes changes to entries by the same rules as the server's
// quick log (crying that starts during a sleep ends the sleep at that moment; a timer
// running longer than its kind may last must be ended by hand first); today.js shows them
// at once and keeps them in the outbox. Then an undo bar, and for a feed the side or
// bottle chips. Without JavaScript (or IndexedDB) the forms post to the server as before.

const root = document.getElementById("today-data");
const form = document.getElementById("quick-log");
const noteForm = document.querySelector("form.note-form");
const UNDO_MS = 10 * 60 * 1000;

if (root && form && "indexedDB" in window) controls();

function controls() {
  // The diary's rules come with the page (companion/diary/rules.py).
  const actions = JSON.parse(root.dataset.rules || "{}").actions || [];
  const msg = (name) => root.dataset[`msg${name}`] || "";
  let page = null; // today.js, once it has started
  let lastTap = null;
  let undoTimer = null;
  let ready = null;
  let failedToStart = false;

  // -- taps: listeners first, so no tap slips past while the page starts -------------------

  form.addEventListener("submit", (event) => {
    const action = event.submitter ? event.submitter.value : "";
    if (!actions.includes(action) || failedToStart) return;
    const chosen = [...form.querySelectorAll("input[name=babies]:checked")].map((input) => Number(input.value));
    const others = chosen.some((id) => id !== Number(root.dataset.babyId));
    if (!chosen.length && form.querySelector("input[name=babies]")) return; // the server says why
    if (others && !(page ? page.isOffline() : !navigator.onLine)) return; // twins: the server logs them all
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

  /** The page could not start (no IndexedDB, private mode): post as if there were no JS. */
  function postWithoutScript(submitter) {
    if (submitter) submitter.form.requestSubmit(submitter);
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

  /** Show at once, keep in the outbox, send (today.js); say so if the phone could not keep it. */
  function apply(changes, at) {
    page.apply(changes, at).catch(() => notify(msg("NotKept"), true));
  }

  ready = (async () => {
    try {
      const module = await import(document.getElementById("today-module").href);
      await module.start();
      page = module;
    } catch (error) {
      failedToStart = true;
      return;
    }
    ready = true;
  })();

  // -- taps, as changes to entries (the same rules as the server's quick log) --------------

  const plusSecond = (iso) => new Date(Date.parse(iso) + 1000).toISOString().replace(".000Z", "Z");
  const later = (a, b) => (Date.parse(a) >= Date.parse(b) ? a : b);

  function tap(action, text) {
    const at = page.nowIso();
    const { entries } = page.view();
    const running = page.runningOf(entries);
    const [kind, verb] = action.includes("-") ? action.split("-") : [action, ""];
    const changes = [];
    const endRunning = (entry) => {
      if (page.forgotten(entry)) return null;
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
        const entry = page.view().entries[feedingId];
        if (!entry) return;
        const details = { ...(entry.details || {}), method };
        if (side) details.side = side;
        else delete details.side;
        apply([{ id: feedingId, before: entry, after: { ...entry, details } }], page.nowIso());
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
    const { entries } = page.view();
    const back = changes
      .slice()
      .reverse()
      .map(({ id, before }) => ({ id, before: entries[id] || null, after: before }));
    lastTap = null;
    apply(back, page.nowIso());
  }
}
