// Small enhancements for every page; everything works without them.

/** A (minutes since midnight) -> "13.05" function for a clock pattern that the page gives
 * (companion/i18n.py, clock_pattern: "H.mm", "h:mm a"), written as the server writes it. */
export function clockFormat(pattern, periods) {
  const tokens = pattern.match(/HH|H|hh|h|mm|a|'[^']*'|./g) || [];
  const two = (n) => String(n).padStart(2, "0");
  return (minutes) => {
    const hour = Math.floor(minutes / 60), minute = minutes % 60, twelve = hour % 12 || 12;
    return tokens.map((t) => {
      if (t === "HH") return two(hour);
      if (t === "H") return String(hour);
      if (t === "hh") return two(twelve);
      if (t === "h") return String(twelve);
      if (t === "mm") return two(minute);
      if (t === "a") return periods[hour < 12 ? 0 : 1];
      return t.replace(/'/g, "");
    }).join("");
  };
}

// Quick exit: leave at once and replace this page in the history, so Back does not return.
function quickExit(event) {
  if (event) event.preventDefault();
  const link = document.querySelector("[data-quick-exit]");
  const target = link ? link.href : "https://yle.fi/saa";
  document.body.hidden = true;
  try {
    sessionStorage.clear();
    sessionStorage.setItem("quick-exit", target);  // Back into the app leaves again
  } catch (e) { /* ignore */ }
  window.location.replace(target);
}
document.querySelectorAll("[data-quick-exit]").forEach((a) => a.addEventListener("click", quickExit));
let escapes = 0;
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  escapes += 1;
  setTimeout(() => { escapes = 0; }, 800);
  if (escapes >= 2) quickExit();
});

// Light or dark, remembered on this device.
document.querySelectorAll("[data-theme-toggle]").forEach((button) => {
  button.addEventListener("click", () => {
    const root = document.documentElement;
    const dark = root.dataset.theme
      ? root.dataset.theme === "dark"
      : window.matchMedia("(prefers-color-scheme: dark)").matches;
    root.dataset.theme = dark ? "light" : "dark";
    try { localStorage.setItem("theme", root.dataset.theme); } catch (e) { /* ignore */ }
  });
});

// Confirmation before a destructive form is sent.
document.querySelectorAll("form[data-confirm]").forEach((form) => {
  form.addEventListener("submit", (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
});

// A form sent back with errors: focus goes to its first invalid control (in a group of
// choices, the one chosen or the first), unless the reader has moved on already. A group
// is brought into view from its question (the legend), below the sticky header, as long
// as the control focused stays on the screen too.
const invalid = document.querySelector('[aria-invalid="true"]');
if (invalid && (document.activeElement === document.body || document.activeElement === null)) {
  const control = invalid.matches("input, select, textarea")
    ? invalid
    : invalid.querySelector("input:checked") || invalid.querySelector("input, select, textarea");
  const group = control && control.closest("fieldset");
  if (control) control.focus({ preventScroll: Boolean(group) });
  if (group) {
    group.scrollIntoView({ block: "start" });
    if (control.getBoundingClientRect().bottom > window.innerHeight) control.scrollIntoView({ block: "nearest" });
  }
}

// Copy buttons (recovery codes).
document.querySelectorAll("[data-copy]").forEach((button) => {
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(button.dataset.copy);
      button.textContent = "✓ " + button.textContent.replace(/^✓ /, "");
    } catch (e) { /* clipboard may be blocked; the codes are on screen */ }
  });
});

// Running timers tick without a reload.
const lang = document.documentElement.lang || "fi";
function formatMinutes(total) {
  const hours = Math.floor(total / 60);
  const minutes = total % 60;
  const unit = (value, name) =>
    new Intl.NumberFormat(lang, { style: "unit", unit: name, unitDisplay: "short" }).format(value);
  return hours ? `${unit(hours, "hour")}${minutes ? " " + unit(minutes, "minute") : ""}` : unit(minutes, "minute");
}
function tick() {
  document.querySelectorAll("[data-since]").forEach((el) => {
    const since = Date.parse(el.dataset.since);
    const out = el.querySelector("[data-elapsed]");
    if (!out || Number.isNaN(since)) return;
    out.textContent = formatMinutes(Math.max(0, Math.floor((Date.now() - since) / 60000)));
  });
}
if (document.querySelector("[data-since]")) {
  tick();
  setInterval(tick, 15000);
}

// Entry form: show the detail fields of the chosen kind, and "N minutes ago" shortcuts.
const entryForm = document.querySelector("[data-entry-form]");
if (entryForm) {
  const kind = entryForm.querySelector("select[name=kind]");
  const sync = () => {
    entryForm.querySelectorAll("[data-kinds]").forEach((el) => {
      el.hidden = !el.dataset.kinds.split(" ").includes(kind.value);
    });
  };
  kind.addEventListener("change", sync);
  sync();
  // "Which 3.00?" only when a chosen date is the night the clocks go back.
  const clockChange = entryForm.querySelector("[data-repeat-days]");
  if (clockChange) {
    const repeats = clockChange.dataset.repeatDays.split(" ");
    const dates = [...entryForm.querySelectorAll("[name=start_date], [name=end_date]")];
    const offer = () => {
      const folded = [...entryForm.querySelectorAll("[name$=_fold]")].some((field) => field.value === "1");
      clockChange.hidden = !folded && !dates.some((field) => repeats.includes(field.value));
    };
    entryForm.addEventListener("input", offer);
    entryForm.addEventListener("change", offer);
    offer();
  }
  const pad = (n) => String(n).padStart(2, "0");
  entryForm.querySelectorAll("[data-shortcuts-for]").forEach((group) => {
    group.hidden = false;
    const prefix = group.dataset.shortcutsFor;
    group.querySelectorAll("[data-minutes-ago]").forEach((button) => {
      button.addEventListener("click", () => {
        const when = new Date(Date.now() - Number(button.dataset.minutesAgo) * 60000);
        const day = entryForm.querySelector(`[name=${prefix}_date]`);
        day.value = `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())}`;
        day.dispatchEvent(new Event("change", { bubbles: true }));
        entryForm.querySelector(`[name=${prefix}_time]`).value = `${pad(when.getHours())}:${pad(when.getMinutes())}`;
      });
    });
  });
}

// A text box with a limit (pageutil.TextBoxField): near the limit it says how many
// characters are left, and when full it says so, also to a screen reader: a paste longer
// than the box is cut where the box ends, never without a word.
document.querySelectorAll("textarea[maxlength][data-left]").forEach((box) => {
  const most = Number(box.getAttribute("maxlength"));
  const count = document.createElement("p");
  count.className = "hint box-count";
  count.id = `${box.id}-count`;
  const told = document.createElement("p");
  told.className = "visually-hidden";
  told.setAttribute("aria-live", "polite");
  box.after(count, told);
  const number = new Intl.NumberFormat(document.documentElement.lang);
  const update = () => {
    const left = most - box.value.length;
    const full = left <= 0;
    count.hidden = left > Math.max(50, most / 10);
    count.textContent = full ? box.dataset.full : box.dataset.left.replace("%(n)s", number.format(left));
    if (told.textContent !== (full ? box.dataset.full : "")) told.textContent = full ? box.dataset.full : "";
  };
  box.addEventListener("input", update);
  update();
});

// The service worker: the app opens offline (companion/pwa).
if ("serviceWorker" in navigator) {
  const register = () =>
    navigator.serviceWorker.register("/sw.js", { scope: "/", updateViaCache: "none" }).catch(() => undefined);
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register);
}
