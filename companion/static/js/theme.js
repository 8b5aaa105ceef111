// Apply the chosen light/dark theme before the first paint (no inline scripts allowed).
try {
  const theme = localStorage.getItem("theme");
  if (theme === "light" || theme === "dark") document.documentElement.dataset.theme = theme;
} catch (e) { /* storage may be off; the system setting applies */ }
