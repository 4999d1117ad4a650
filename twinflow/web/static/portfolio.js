/* Draws the portfolio charts with Chart.js from the figures the server put in the page
   (a JSON block, not inline script: the Content-Security-Policy forbids inline scripts). */
(function () {
  "use strict";
  var source = document.getElementById("portfolio-data");
  if (!source || !window.Chart) { return; }
  var data = JSON.parse(source.textContent);
  var today = JSON.parse(document.getElementById("portfolio-today").textContent);
  // The charts' own words, in the reader's language (the page puts them beside the figures).
  var wordsSource = document.getElementById("portfolio-words");
  var words = wordsSource ? JSON.parse(wordsSource.textContent) : {};
  function word(key, english) { return words[key] || english; }
  var DAY = 86400000;
  var BLUE = "#2563eb", AMBER = "#d97706";
  var PALETTE = ["#2563eb", "#d97706", "#059669", "#dc2626", "#7c3aed", "#0891b2", "#65a30d", "#db2777"];

  function records(name) {
    var table = data[name], head = table[0];
    return table.slice(1).map(function (row) {
      var item = {};
      head.forEach(function (column, i) { item[column] = row[i]; });
      return item;
    });
  }
  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas) { return; }
    config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, config.options || {});
    canvas.chart = new window.Chart(canvas, config);
    canvas.closest(".chart").classList.add("rendered");
  }

  var stages = records("stages");
  draw("chart-stages", {
    type: "bar",
    data: {
      labels: stages.map(function (s) { return s.label; }),
      datasets: [{ label: word("projects", "Projects"), data: stages.map(function (s) { return s.projects; }), backgroundColor: BLUE }]
    },
    options: { indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } }
  });

  var times = records("stage_times").filter(function (t) { return t.dimension === "all"; });
  draw("chart-stage_times", {
    type: "bar",
    data: {
      labels: times.map(function (t) { return t.label; }),
      datasets: [
        { label: word("median", "Median (days)"), data: times.map(function (t) { return t.median_days; }), backgroundColor: BLUE },
        { label: word("p90", "90th percentile (days)"), data: times.map(function (t) { return t.p90_days; }), backgroundColor: AMBER }
      ]
    },
    options: { scales: { y: { beginAtZero: true, title: { display: true, text: word("days", "days") } } } }
  });

  var overdue = records("overdue");
  var kinds = [], organisations = [];
  overdue.forEach(function (o) {
    if (kinds.indexOf(o.title) < 0) { kinds.push(o.title); }
    if (organisations.indexOf(o.organisation) < 0) { organisations.push(o.organisation); }
  });
  draw("chart-overdue", {
    type: "bar",
    data: {
      labels: kinds,
      datasets: organisations.map(function (org, i) {
        return {
          label: org,
          backgroundColor: PALETTE[i % PALETTE.length],
          data: kinds.map(function (kind) {
            return overdue.filter(function (o) { return o.title === kind && o.organisation === org; })
              .reduce(function (sum, o) { return sum + o.deadlines; }, 0);
          })
        };
      })
    },
    options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } }
  });

  // The Gantt: floating horizontal bars on a linear axis of days since 1970.
  var bars = records("timeline");
  function days(iso) { return Date.parse(iso + "T00:00:00Z") / DAY; }
  function label(value) {
    var d = new Date(value * DAY);
    return d.toLocaleDateString(word("locale", "en-GB"), { month: "short", year: "numeric", timeZone: "UTC" });
  }
  var spans = bars.map(function (b) { return [days(b.start), days(b.end || today)]; });
  var low = Math.min.apply(null, spans.map(function (s) { return s[0]; }));
  var high = Math.max.apply(null, spans.map(function (s) { return s[1]; }));
  var wrap = document.querySelector(".chart-tall");
  if (wrap) { wrap.style.height = Math.max(160, 60 + 26 * bars.length) + "px"; }
  draw("chart-timeline", {
    type: "bar",
    data: {
      labels: bars.map(function (b) { return b.reference; }),
      datasets: [{
        label: word("span", "Start to end"),
        backgroundColor: bars.map(function (b) { return b.end ? BLUE : AMBER; }),
        data: spans
      }]
    },
    options: {
      indexAxis: "y",
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: function (ctx) {
          var b = bars[ctx.dataIndex];
          return b.title + ": " + b.start_text + " – " + (b.end_text || word("open", "open")) + " (" + b.label + ")";
        } } }
      },
      scales: { x: { type: "linear", min: low - 30, max: high + 30, ticks: { callback: label } } }
    }
  });
}());
