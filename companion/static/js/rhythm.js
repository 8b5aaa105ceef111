// Draws the rhythm page's charts with plotly.js; the figures and tables work without it.
(function () {
  "use strict";
  function css(name, fallback) {
    const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }
  function themed(figure) {
    const text = css("--text", "#1f2328");
    const line = css("--line", "#d9d4cc");
    const colours = {
      sleep: css("--sleep", "#3b6fb6"),
      "sleep-light": css("--sleep-light", "#8fb3e3"),
      crying: css("--crying", "#c46210"),
      feeding: css("--feeding", "#4f7f2f"),
      text: text,
    };
    figure.data.forEach((trace) => {
      const colour = colours[trace.meta];
      if (!colour) return;
      if (trace.type === "bar") trace.marker = Object.assign({}, trace.marker, { color: colour });
      else if (trace.mode && trace.mode.includes("markers")) {
        trace.marker = Object.assign({}, trace.marker, { color: colour });
        trace.line = Object.assign({}, trace.line, { color: colour });
      }
    });
    const layout = figure.layout;
    layout.font = Object.assign({}, layout.font, { color: text });
    Object.keys(layout).forEach((key) => {
      if (key.startsWith("xaxis") || key.startsWith("yaxis")) {
        layout[key] = Object.assign({ gridcolor: line, zerolinecolor: line, linecolor: line }, layout[key]);
      }
    });
    return figure;
  }
  const me = document.currentScript;
  let plotly = null;

  // plotly.js (about 320 KB) is fetched when the first chart nears the screen, so the
  // figures and tables above it are ready at once on a phone.
  function loadPlotly() {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (plotly) return plotly;
    const add = (src) => new Promise((resolve, reject) => {
      const tag = document.createElement("script");
      tag.src = src;
      tag.onload = resolve;
      tag.onerror = reject;
      document.head.appendChild(tag);
    });
    plotly = add(me.dataset.plotly)
      .then(() => (me.dataset.plotlyLocale ? add(me.dataset.plotlyLocale) : null))
      .then(() => window.Plotly);
    return plotly;
  }

  function drawOne(holder) {
    const source = document.getElementById(holder.dataset.figure);
    if (!source || !window.Plotly) return;
    const figure = themed(JSON.parse(source.textContent));
    holder.textContent = "";
    holder.dataset.drawn = "true";
    window.Plotly.newPlot(holder, figure.data, figure.layout, {
      displayModeBar: false,
      responsive: true,
      locale: document.documentElement.lang,
    });
  }

  function draw() {
    // Redraw what is drawn (a theme change), or everything when plotly came with the page.
    document.querySelectorAll("[data-figure]").forEach((holder) => {
      if (holder.dataset.drawn || (window.Plotly && !me.dataset.plotly)) drawOne(holder);
    });
  }

  const holders = document.querySelectorAll("[data-figure]");
  if (window.Plotly && !me.dataset.plotly) {
    holders.forEach(drawOne);  // the printable summary loads plotly with the page
  } else if ("IntersectionObserver" in window) {
    const watcher = new IntersectionObserver((seen) => {
      seen.forEach((item) => {
        if (!item.isIntersecting) return;
        watcher.unobserve(item.target);
        loadPlotly().then(() => drawOne(item.target));
      });
    }, { rootMargin: "300px 0px" });
    holders.forEach((holder) => watcher.observe(holder));
  } else {
    loadPlotly().then(() => holders.forEach(drawOne));
  }

  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
  window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", draw);
  new MutationObserver(draw).observe(document.documentElement, { attributeFilter: ["data-theme"] });
  // Printing shows every table, also the folded ones.
  window.addEventListener("beforeprint", () => {
    loadPlotly().then(() => holders.forEach((holder) => { if (!holder.dataset.drawn) drawOne(holder); }));
    document.querySelectorAll("details.table-wrap").forEach((d) => { d.dataset.wasOpen = d.open; d.open = true; });
  });
  window.addEventListener("afterprint", () => {
    document.querySelectorAll("details.table-wrap").forEach((d) => { d.open = d.dataset.wasOpen === "true"; });
  });
})();
