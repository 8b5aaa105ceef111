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
      gap: css("--muted", "#6b6f76"),
      band: css("--band", "rgba(59,111,182,.18)"),
      text: text,
    };
    figure.data.forEach((trace) => {
      const colour = colours[trace.meta];
      if (!colour) return;
      if (trace.meta === "band") {
        if (trace.fill) trace.fillcolor = colour;  // the typical range, seen in both themes
      } else if (trace.meta === "gap") {
        // A row not logged: hatched in the theme's muted colour, never a fill.
        const pattern = Object.assign({}, trace.marker.pattern, { fgcolor: colour });
        trace.marker = Object.assign({}, trace.marker, { pattern: pattern });
      } else if (trace.type === "bar") trace.marker = Object.assign({}, trace.marker, { color: colour });
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
  // The 24-hour chart comes as wall-clock positions (rhythm/charts.py, rhythm_spans): a
  // sleep is drawn in each row it covers, with its times and real length on hover.
  // The clock is written as everywhere else (app.js, clockFormat, from the server's pattern).
  let clockFormat = null;
  const appModule = document.getElementById("app-module");
  const clockReady = import(appModule.src).then((app) => { clockFormat = app.clockFormat; });
  function withSpans(figure) {
    const spans = figure.spans;
    if (!spans) return figure;
    const day = 1440, shift = spans.start * 60, rows = spans.rows;
    const clock = clockFormat(spans.clock, spans.periods);
    const wall = (position) => clock((((position + shift) % day) + day) % day);
    const unit = (forms, n) => (n === 1 ? forms[0] : forms[1]).replace("{0}", String(n));
    const duration = (total) => {
      const hours = Math.floor(total / 60), minutes = total % 60, parts = [];
      if (hours) parts.push(unit(spans.hour, hours));
      if (minutes || !hours) parts.push(unit(spans.minute, minutes));
      return parts.join(" ");
    };
    figure.data.forEach((trace) => {
      const groups = spans[trace.meta];
      if (!groups) return;
      const base = [], x = [], y = [], text = [];
      groups.forEach((group) => {
        let at = group[0] * day;  // positions: the gaps run on from the group's first row
        if (trace.meta === "feeding") {
          for (let i = 1; i < group.length; i += 1) {
            at += group[i];
            const row = Math.floor(at / day), minute = at - row * day;
            x.push(minute / 60);
            y.push(row);
            text.push(trace.name + " " + wall(at));
          }
          return;
        }
        const fixes = {};
        for (let i = 0; i < group[1].length; i += 3) fixes[group[1][i]] = [group[1][i + 1], group[1][i + 2]];
        for (let i = 2, n = 0; i < group.length; i += 2, n += 1) {
          const a = at + group[i], b = a + group[i + 1];
          at = b;
          const fix = fixes[n] || [b - a, 0];
          const label = trace.name + " " + wall(a) + "–" + (fix[1] ? "…" : wall(b)) + " · " + duration(fix[0]);
          const end = Math.max(b, a + 1);
          for (let r = Math.max(Math.floor(a / day), 0); r < rows && r * day < end; r += 1) {
            const x0 = Math.max(a - r * day, 0), x1 = Math.min(end - r * day, day);
            base.push(x0 / 60);
            x.push(Math.max(x1 - x0, 3) / 60);
            y.push(r);
            text.push(label);
          }
        }
      });
      if (trace.meta !== "feeding") trace.base = base;
      Object.assign(trace, { x: x, y: y, customdata: text });
    });
    delete figure.spans;
    return figure;
  }
  const me = document.currentScript;
  let plotly = null;

  // plotly.js (about 320 KB) is fetched when the first chart nears the screen, so the
  // figures and tables above it are ready at once on a phone.
  function loadPlotly() {
    if (window.Plotly) return clockReady.then(() => window.Plotly);
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
      .then(() => clockReady)
      .then(() => window.Plotly);
    return plotly;
  }

  // The 24-hour chart's hours: every 3 hours as the server gives them, or every 6th or
  // 12th (or the day's two ends) when the plot is too narrow for their labels (200 % zoom
  // on a phone), so they never pile up. Checked after every drawing, a resize's too.
  function fitHours(holder) {
    const hours = holder.hours, full = holder._fullLayout && holder._fullLayout.xaxis;
    if (!hours || !full) return;
    const labels = [...holder.querySelectorAll(".xtick text")];
    const widest = Math.max(0, ...labels.map((label) => label.getBBox().width));
    const step = [3, 6, 12].find((h) => (full._length * h) / 24 >= widest + 8) || 24;
    const kept = hours.vals.map((_v, i) => i).filter((i) => hours.vals[i] % step === 0);
    if (holder.layout.xaxis.tickvals.length === kept.length) return;
    window.Plotly.relayout(holder, {
      "xaxis.tickvals": kept.map((i) => hours.vals[i]),
      "xaxis.ticktext": kept.map((i) => hours.text[i]),
    });
  }

  function drawOne(holder) {
    const source = document.getElementById(holder.dataset.figure);
    if (!source || !window.Plotly) return;
    const given = JSON.parse(source.textContent);
    const axis = given.spans && given.layout.xaxis;
    holder.hours = axis ? { vals: axis.tickvals, text: axis.ticktext } : null;
    const figure = themed(withSpans(given));
    // The chart keeps its designed height whatever the width: in responsive mode plotly.js
    // sizes a chart to its holder, so the holder gets that height (the page sets it too,
    // so nothing moves while plotly.js loads). The width follows the screen.
    holder.style.height = figure.layout.height + "px";
    holder.textContent = "";
    holder.dataset.drawn = "true";
    window.Plotly.newPlot(holder, figure.data, figure.layout, {
      displayModeBar: false,
      responsive: true,
      locale: document.documentElement.lang,
    }).then(() => {
      if (!holder.hours) return;
      holder.on("plotly_afterplot", () => fitHours(holder));  // a new plot starts without it
      fitHours(holder);
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
    clockReady.then(() => holders.forEach(drawOne));  // the printable summary loads plotly with the page
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
    button.addEventListener("click", (event) => {
      // The worker's summary: the family's audit learns it was printed, not only opened.
      const report = button.closest("form[data-print-report]");
      if (report) {
        event.preventDefault();
        fetch(report.action, { method: "POST", body: new FormData(report), credentials: "same-origin" })
          .catch(() => undefined);
      }
      window.print();
    });
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
