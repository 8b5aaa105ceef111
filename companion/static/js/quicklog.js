// The quick log on the today page: one tap, offline too, for this baby or twins, by the
// server's quick-log rules; today.js shows and keeps the changes. What follows a tap shows
// in the dock at the bottom, so the buttons never move. Without JavaScript the forms post.

const root = document.getElementById("today-data");
const form = document.getElementById("quick-log");
const noteForm = document.querySelector("form.note-form");
const dock = document.querySelector("[data-dock]");
/** The undo bar closes by itself this long after the tap (the server's UNDO_SECONDS). */
const UNDO_MS = 2 * 60 * 1000;
/** A second tap this soon at the same spot is the same tap (a tired or shaking hand). */
const TWICE_MS = 600;
const SAME_SPOT_PX = 48;

if (root && form && dock && "indexedDB" in window) controls();

function controls() {
  // The diary's rules come with the page (companion/diary/rules.py).
  const rules = JSON.parse(root.dataset.rules || "{}");
  const actions = rules.actions || [];
  const baby = Number(root.dataset.babyId);
  const msg = (name) => root.dataset[`msg${name}`] || "";
  const fill = (text, values) => text.replace(/%\((\w+)\)s/g, (_m, key) => values[key] ?? "");
  const undoneWords = JSON.parse(root.dataset.undone || "{}");
  const chosenKey = `log-for:${root.dataset.userId}`;
  let page = null; // today.js, once it has started
  let lastTap = null;
  let undoTimer = null;
  let ready = null;
  let failedToStart = false;
  let point = null;
  let previous = { at: 0, x: -1e3, y: -1e3 };

  // -- taps: listeners first, so no tap slips past while the page starts

  rememberChoice();
  const usedNow = offerInstall() || (() => undefined);
  form.addEventListener("pointerdown", (event) => {
    point = { x: event.clientX, y: event.clientY };
  });
  form.addEventListener("submit", (event) => {
    const submitter = event.submitter;
    const action = submitter ? submitter.value : "";
    if (!actions.includes(action) || failedToStart) return;
    event.preventDefault();
    const box = submitter.getBoundingClientRect();
    const here = point || { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    point = null;
    const now = Date.now();
    const twice = now - previous.at < TWICE_MS && Math.hypot(here.x - previous.x, here.y - previous.y) < SAME_SPOT_PX;
    previous = { at: now, ...here };
    if (twice) return; // the same tap again: nothing more
    const chosen = babies();
    if (!chosen.length) return say(msg("ChooseBaby"), true);
    whenReady(() => tap(action, chosen), submitter);
  });

  if (noteForm) {
    noteForm.addEventListener("submit", (event) => {
      if (failedToStart) return;
      const input = noteForm.querySelector("[name=note]");
      const text = input.value.trim();
      event.preventDefault();
      if (!text) return say(msg("NoteRequired"), true);
      whenReady(() => {
        input.value = "";
        tap("note", [baby], text);
      }, event.submitter);
    });
  }

  /** The babies to log for: this one, or the twins ticked (the choice stays until changed). */
  function babies() {
    const boxes = [...form.querySelectorAll("input[name=babies]")];
    if (!boxes.length) return [baby];
    return boxes.filter((box) => box.checked).map((box) => Number(box.value));
  }

  function rememberChoice() {
    const boxes = [...form.querySelectorAll("input[name=babies]")];
    if (!boxes.length) return;
    try {
      const kept = JSON.parse(localStorage.getItem(chosenKey) || "null");
      if (Array.isArray(kept) && kept.includes(baby)) {
        boxes.forEach((box) => {
          box.checked = kept.includes(Number(box.value));
        });
      }
    } catch (error) {
      /* storage off: the page's choice stands */
    }
    form.addEventListener("change", () => {
      try {
        localStorage.setItem(chosenKey, JSON.stringify(babies()));
      } catch (error) {
        /* storage off */
      }
    });
  }

  function whenReady(fn, submitter) {
    if (ready === true) return fn();
    ready.then(() => (failedToStart ? postWithoutScript(submitter) : fn()));
  }

  /** No IndexedDB (private mode): post as if there were no JS. */
  function postWithoutScript(submitter) {
    if (submitter) submitter.form.requestSubmit(submitter);
  }

  // -- the dock: one message at a time, cleared by the next tap

  const messages = dock.querySelector("[data-messages]");
  // The page ends with room for the dock, so that its end (the help numbers) can be
  // scrolled above it. Only the end of the page changes: nothing above moves.
  const room = () => document.body.style.setProperty("--dock-height", `${Math.ceil(dock.getBoundingClientRect().height)}px`);
  room();
  if ("ResizeObserver" in window) new ResizeObserver(room).observe(dock);
  const announcer = dock.querySelector("[data-announce]");
  let announced = null;

  /** Words for screen readers, in the live region that was there from the start; the same
   * words twice (two feeds in a row) are said twice. */
  function announce(text) {
    if (!announcer) return;
    cancelAnimationFrame(announced);
    if (announcer.textContent !== text) {
      announcer.textContent = text;
      return;
    }
    announcer.textContent = "";
    announced = requestAnimationFrame(() => {
      announcer.textContent = text;
    });
  }

  // A message goes by itself after a few seconds (an error stays a little longer), or at
  // the next tap. Only the dock at the bottom changes: nothing above it moves, and
  // screen readers heard it once, when it came.
  const MESSAGE_MS = 6000;
  const ERROR_MS = 12000;
  let messageTimer = null;
  function goesBy(ms) {
    clearTimeout(messageTimer);
    messageTimer = setTimeout(clearMessages, ms);
  }
  function clearMessages() {
    clearTimeout(messageTimer);
    const said = messages.textContent.trim();
    messages.replaceChildren();
    // Heard already: the live region is emptied without a word, so a later message with
    // the same words is heard again and nothing stale stays to be read.
    if (announcer && said && announcer.textContent === said) announcer.textContent = "";
  }
  if (messages.querySelector(".flash")) goesBy(messages.querySelector(".flash-error") ? ERROR_MS : MESSAGE_MS);

  function say(text, isError = false) {
    const note = document.createElement("p");
    note.className = isError ? "flash flash-error" : "flash";
    note.textContent = text;
    messages.replaceChildren(...(text ? [note] : []));
    if (text) {
      announce(text);
      goesBy(isError ? ERROR_MS : MESSAGE_MS);
    }
  }

  function clearDock() {
    clearMessages();
    dock.querySelectorAll(".undo-bar").forEach((bar) => bar.remove()); // also the server's
  }

  /** Show, keep and send (today.js); say so if the phone could not keep it. */
  function apply(changes, at, of = baby) {
    return page.apply(changes, at, of).catch(() => say(msg("NotKept"), true));
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

  // -- taps, as changes to entries (the same rules as the server's quick log)

  const plusSecond = (iso) => new Date(Date.parse(iso) + 1000).toISOString().replace(".000Z", "Z");
  const later = (a, b) => (Date.parse(a) >= Date.parse(b) ? a : b);

  function tap(action, chosen, text) {
    const at = page.nowIso();
    const done = [];
    let message = action.startsWith("feeding") ? msg("Feeding") : msg(camel(action));
    // What undo will say it took back (the server's undone_messages, by the same keys).
    let took = action.startsWith("feeding") ? "feeding" : action;
    for (const of of chosen) {
      const changes = changesFor(of, action, at, text);
      if (changes === null) return say(msg("Forgotten"), true);
      if (action === "crying-start" && changes.length > 1) {
        message = msg("SleepEndedCrying");
        took = "crying-after-sleep";
      }
      if (changes.length) {
        apply(changes, at, of);
        done.push({ of, changes });
      }
    }
    const other = counterpartOf(action);
    if (other) form.querySelector(`[data-action=${other}]`).focus();
    if (done.length) {
      showUndo(action, done, message, took);
      usedNow();
    }
  }

  /** The button that takes a start's or an end's place ("sleep-end" for "sleep-start"). */
  function counterpartOf(action) {
    const [kind, verb] = action.split(/(?=-(?:start|end)$)/);
    return { "-start": `${kind}-end`, "-end": `${kind}-start` }[verb] || null;
  }

  const camel = (action) => action.replace(/(^|-)(\w)/g, (_m, _d, c) => c.toUpperCase());

  /** One baby's changes for a tap; null when a forgotten timer must be ended by hand first. */
  function changesFor(of, action, at, text) {
    const { entries } = page.view(of);
    const running = page.runningOf(entries);
    const changes = [];
    const endRunning = (entry) => {
      if (page.forgotten(entry)) return null;
      const end = later(at, plusSecond(entry.start));
      changes.push({ id: entry.id, before: entry, after: { ...entry, end } });
      return end;
    };
    const [kind, verb] = action.split(/-(?=start$|end$)/);
    if (verb === "start") {
      if (running[kind]) return []; // already running: a double tap changes nothing
      const other = running[kind === "sleep" ? "crying" : "sleep"];
      let startAt = at;
      if (other) {
        const end = endRunning(other);
        if (end === null) return null;
        startAt = later(at, end);
      }
      changes.push({ id: uuid(), before: null, after: newEntry(kind, startAt) });
    } else if (verb === "end") {
      if (!running[kind]) return [];
      if (endRunning(running[kind]) === null) return null;
    } else if (kind === "note") {
      changes.push({ id: uuid(), before: null, after: newEntry("note", at, text) });
    } else {
      changes.push({ id: uuid(), before: null, after: { ...newEntry("feeding", at), details: feedDetails(of, action) } });
    }
    return changes;
  }

  /** A side or the bottle, as tapped; "feeding" goes the way the last feed went. */
  function feedDetails(of, action) {
    if ((rules.feeds || {})[action]) return { ...rules.feeds[action] };
    const last = page.lastFeed(page.view(of).entries, of);
    const d = (last && last.details) || {};
    return Object.fromEntries(["method", "side"].filter((key) => d[key]).map((key) => [key, d[key]]));
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

  // -- undo and a feed's details, in the dock

  function showUndo(action, done, message, took) {
    clearDock();
    const bar = document.getElementById("undo-template").content.firstElementChild.cloneNode(true);
    const text = bar.querySelector("[data-undo-message]");
    text.textContent = message;
    announce(message);
    lastTap = done;
    const details = bar.querySelector("[data-feeding-chips]");
    const undoButton = bar.querySelector("[data-undo-button]");
    if (action.startsWith("feeding")) {
      // Undo removes the feed, with whatever details it has by then: its words say so.
      undoButton.textContent = msg("UndoFeed");
      details.hidden = false;
      const amounts = details.querySelector("[data-amounts]");
      amounts.hidden = action !== "feeding-bottle" && feedDetails(baby, "feeding").method !== "bottle";
      // A bottle tapped: its amount is what is asked (the other ways stay a tap away, on undo).
      const ways = details.querySelector("form:not([data-amounts])");
      if (ways) ways.hidden = action === "feeding-bottle";
      details.addEventListener("submit", (event) => {
        event.preventDefault();
        const chosen = event.submitter;
        let change;
        if (chosen && chosen.name === "choice") {
          const [method, side] = chosen.value.split(":");
          change = { method, side: side || null, amount_ml: null };
          amounts.hidden = method !== "bottle";
        } else {
          const typed = chosen && chosen.name === "amount_ml" ? chosen.value : details.querySelector("[data-amount-input]").value;
          const ml = Number(typed);
          const [low, high] = rules.amount_ml || [1, 1000];
          if (!Number.isInteger(ml) || ml < low || ml > high) return say(msg("Amount"), true);
          change = { method: "bottle", side: null, amount_ml: ml };
        }
        let word = "";
        for (const { of, changes } of done) {
          const id = changes[changes.length - 1].id;
          const entry = page.view(of).entries[id];
          if (!entry) continue;
          const merged = { ...(entry.details || {}), ...change };
          const clean = Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== null));
          apply([{ id, before: entry, after: { ...entry, details: clean } }], page.nowIso(), of);
          word = word || page.feedWord({ details: clean });
        }
        // "Feed saved: bottle 90 ml." beside "Undo the feed": what undo removes is said.
        const lang = document.documentElement.lang || undefined;
        const saved = word ? fill(msg("FeedSaved"), { how: word.charAt(0).toLocaleLowerCase(lang) + word.slice(1) }) : msg("Saved");
        text.textContent = saved;
        announce(saved);
      });
    } else {
      details.remove();
    }
    // Focus never falls to the page when the bar goes: it returns to the button tapped
    // (after an undo, "Fell asleep" is there again), or to its counterpart.
    const back = () => {
      const button = [action, counterpartOf(action)].map((a) => a && form.querySelector(`[data-action=${a}]`)).find((b) => b && !b.hidden);
      if (button) button.focus();
    };
    undoButton.addEventListener("click", () => {
      const undone = lastTap === done ? undo(done) : Promise.resolve();
      bar.remove();
      say(undoneWords[took]);
      undone.then(back);
    });
    const close = () => {
      clearTimeout(undoTimer);
      const hadFocus = bar.contains(document.activeElement);
      bar.remove();
      if (lastTap === done) lastTap = null;
      if (hadFocus) back();
    };
    bar.querySelector("[data-undo-close]").addEventListener("click", close);
    messages.after(bar);
    clearTimeout(undoTimer);
    undoTimer = setTimeout(close, UNDO_MS);
  }

  function undo(done) {
    lastTap = null;
    const applied = [];
    for (const { of, changes } of done) {
      const { entries } = page.view(of);
      const back = changes
        .slice()
        .reverse()
        .map(({ id, before }) => ({ id, before: entries[id] || null, after: before }));
      applied.push(apply(back, page.nowIso(), of));
    }
    return Promise.all(applied);
  }

  // -- a running timer's start moved back: 5 or 15 minutes, or to a time

  const cards = document.querySelector(".now-cards");
  if (cards) {
    cards.addEventListener("submit", (event) => {
      const moving = event.target.closest("[data-move-start]");
      if (!moving || failedToStart) return;
      event.preventDefault();
      const timer = moving.closest("[data-entry]");
      const shift = event.submitter && event.submitter.name === "shift" ? Number(event.submitter.value) : null;
      const time = moving.querySelector("input[type=time]").value;
      whenReady(() => moveStart(Number(timer.dataset.baby), timer.dataset.entry, shift, time));
    });
    let pending = null;
    cards.addEventListener("change", (event) => {
      if (event.target.type !== "time" || !event.target.value) return;
      clearTimeout(pending); // a picker closed, or a time typed in full: saved a moment later
      pending = setTimeout(() => event.target.form.requestSubmit(event.target.form.querySelector("[data-move-save]")), 800);
    });
  }

  function moveStart(of, id, shift, time) {
    clearDock();
    const { entries } = page.view(of);
    const entry = entries[id];
    if (!entry || entry.end) return;
    const now = Date.now();
    let start = shift ? Date.parse(entry.start) - shift * 60000 : wallClock(time, now);
    // Nothing it would overlap: the latest sleep or crying that ended before it.
    const known = page.lastEnd(of);
    const earlier = Object.values(entries)
      .filter((e) => e.id !== id && e.end && (e.kind === "sleep" || e.kind === "crying") && e.start < entry.start)
      .reduce((latest, e) => Math.max(latest, Date.parse(e.end)), known ? Date.parse(known) : -Infinity);
    const limit = (rules.max_minutes || {})[entry.kind] * 60000;
    if (!(start < now) || start < earlier || now - start > limit) return say(msg("NotMoved"), true);
    start = new Date(start).toISOString().replace(/\.\d+Z$/, "Z");
    apply([{ id, before: entry, after: { ...entry, start } }], page.nowIso(), of);
    say(fill(msg("Moved"), { time: page.clock(new Date(start).toISOString()) }));
  }

  /** "23.50" just after midnight is last night: the latest such time in the past. */
  function wallClock(text, now) {
    const [hour, minute] = text.split(":").map(Number);
    const zone = root.dataset.tz;
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat("en-GB", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" })
        .formatToParts(new Date(now))
        .map((part) => [part.type, Number(part.value)]),
    );
    // The zone's offset now, then the wall time on today's or yesterday's date.
    const offset = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute) - Math.floor(now / 60000) * 60000;
    let candidate = Date.UTC(parts.year, parts.month - 1, parts.day, hour, minute) - offset;
    if (candidate >= now) candidate -= 24 * 3600000;
    return candidate;
  }

  // -- "Add to home screen": once, where the browser can install and the app is not, and
  // only when the diary has been used on this phone (a tap now or on an earlier visit):
  // never on arrival, where it would be the first thing a new parent meets.

  function offerInstall() {
    const hint = dock.querySelector("[data-install-hint]");
    const standalone = matchMedia("(display-mode: standalone)").matches || navigator.standalone;
    if (!hint || standalone) return;
    let offer = null;
    let used = false;
    try {
      used = Boolean(localStorage.getItem("diary-used"));
    } catch (error) {
      return; // cannot remember: never nag
    }
    const show = () => {
      if (!offer || !used) return;
      const event = offer;
      offer = null;
      try {
        if (localStorage.getItem("install-hint")) return;
        localStorage.setItem("install-hint", "shown"); // once
      } catch (error) {
        return;
      }
      hint.hidden = false;
      hint.querySelector("[data-install]").addEventListener("click", () => {
        hint.hidden = true;
        event.prompt();
      });
      hint.querySelector("[data-install-later]").addEventListener("click", () => {
        hint.hidden = true;
      });
    };
    window.addEventListener("beforeinstallprompt", (event) => {
      event.preventDefault();
      offer = event;
      show();
    });
    window.addEventListener("appinstalled", () => {
      hint.hidden = true;
    });
    // Called in the tap itself, so that the hint comes in the same frame as the undo bar.
    return () => {
      if (!used) {
        used = true;
        try {
          localStorage.setItem("diary-used", "1");
        } catch (error) {
          /* storage off */
        }
      }
      show();
    };
  }
}
