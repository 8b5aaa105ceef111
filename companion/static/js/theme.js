// Runs before the first paint (a file, since inline scripts are not allowed).

// After a quick exit, coming back with the Back button leaves again at once.
try {
  const exitTo = sessionStorage.getItem("quick-exit");
  if (exitTo) {
    const nav = performance.getEntriesByType("navigation")[0];
    if (nav && nav.type === "back_forward") {
      document.documentElement.style.visibility = "hidden";
      window.location.replace(exitTo);
    } else {
      sessionStorage.removeItem("quick-exit");
    }
  }
} catch (e) { /* storage may be off */ }
window.addEventListener("pageshow", (event) => {
  try {
    const exitTo = sessionStorage.getItem("quick-exit");
    if (event.persisted && exitTo) {
      document.documentElement.style.visibility = "hidden";
      window.location.replace(exitTo);
    }
  } catch (e) { /* ignore */ }
});

// Scripts run: what only works with them can make room for itself before the first paint.
document.documentElement.classList.add("js");

// The chosen light or dark theme.
try {
  const theme = localStorage.getItem("theme");
  if (theme === "light" || theme === "dark") document.documentElement.dataset.theme = theme;
} catch (e) { /* storage may be off; the system setting applies */ }
