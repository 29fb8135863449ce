/* The signatory map: colour every state for any date from the intervals in #map-data. */
(function () {
  "use strict";
  var charts = window.atlasCharts;
  var data = charts.readJson("map-data");
  var chart = document.getElementById("map-chart");
  var slider = document.getElementById("map-date");
  var label = document.getElementById("map-date-label");
  var heading = document.getElementById("map-date-heading");
  var play = document.getElementById("map-play");
  var table = document.getElementById("map-table");
  var csvLink = document.getElementById("map-csv");
  if (!data || !chart) { return; }

  var FROM = 5, TO = 6;
  var two = data.initiatives.length === 2;
  // Slider positions: every date on which something changes, then "latest".
  var steps = data.dates.concat([null]);
  var current = chart.getAttribute("data-as-of") || null;

  function inForce(row, day) {
    if (day === null) { return row[TO] === null; }
    return row[FROM] !== null && row[FROM] <= day && (row[TO] === null || row[TO] > day);
  }

  // {iso: [row for initiative 0, row for initiative 1]} on a day.
  function stateOn(day) {
    var out = {};
    data.intervals.forEach(function (row) {
      if (!inForce(row, day)) { return; }
      var cells = out[row[1]] || (out[row[1]] = [null, null]);
      var held = cells[row[0]];
      // In the latest view a dated row wins over an undated one.
      if (!held || (held[FROM] === null && row[FROM] !== null)) { cells[row[0]] = row; }
    });
    return out;
  }

  function categoryOf(cells) {
    if (!two) { return cells && cells[0] ? cells[0][2] : "none"; }
    var a = !!(cells && cells[0] && cells[0][2] !== "withdrawn");
    var b = !!(cells && cells[1] && cells[1][2] !== "withdrawn");
    return a && b ? "both" : a ? "a-only" : b ? "b-only" : "neither";
  }

  function hover(iso, cells) {
    var name = data.states[iso] ? data.states[iso][0] : iso;
    // No <b>: Plotly draws it with an inline style, which our CSP refuses.
    var lines = [charts.escapeHtml(name)];
    data.initiatives.forEach(function (initiative, n) {
      var row = cells && cells[n];
      var prefix = two ? charts.escapeHtml(initiative.short_name) + ": " : "";
      if (!row) { lines.push(prefix + "no part"); return; }
      lines.push(prefix + charts.escapeHtml(row[3]) + ", " + charts.escapeHtml(row[4]) + " — since " + charts.escapeHtml(row[7]));
      if (row[8]) { lines.push(charts.escapeHtml(row[8])); }
    });
    return lines.join("<br>");
  }

  function figure(day) {
    var states = stateOn(day);
    var byCategory = {};
    Object.keys(data.states).forEach(function (iso) {
      var category = categoryOf(states[iso]);
      (byCategory[category] || (byCategory[category] = [])).push(iso);
    });
    var traces = data.categories.map(function (category) {
      var isos = byCategory[category[0]] || [];
      return {
        type: "choropleth",
        name: charts.escapeHtml(category[1]) + " (" + isos.length + ")",
        locations: isos,
        locationmode: "ISO-3",
        z: isos.map(function () { return 1; }),
        zmin: 0, zmax: 1,
        colorscale: [[0, category[2]], [1, category[2]]],
        showscale: false,
        showlegend: true,
        marker: { line: { color: "#ffffff", width: 0.5 } },
        text: isos.map(function (iso) { return hover(iso, states[iso]); }),
        hoverinfo: "text",
        customdata: isos.map(function (iso) { return category[0]; })
      };
    });
    var layout = {
      font: charts.font,
      margin: { l: 0, r: 0, t: 10, b: 0 },
      height: Math.max(320, Math.min(560, chart.clientWidth * 0.55)),
      legend: { orientation: "h", y: -0.02, x: 0, bgcolor: "rgba(255,255,255,0.8)" },
      geo: {
        projection: { type: "natural earth" },
        showframe: false, showcoastlines: false, showcountries: true,
        countrycolor: "#ffffff", showland: true, landcolor: "#e8e8e8",
        fitbounds: false, lataxis: { range: [-58, 85] }
      },
      dragmode: false
    };
    return { traces: traces, layout: layout, states: states };
  }

  function shownDate(day) {
    return day === null ? "latest" : day;
  }

  function renderTable(states) {
    if (!table) { return; }
    var body = table.tBodies[0];
    while (body.firstChild) { body.removeChild(body.firstChild); }
    Object.keys(data.states).sort(function (x, y) {
      return data.states[x][0].localeCompare(data.states[y][0]);
    }).forEach(function (iso) {
      var cells = states[iso];
      var category = categoryOf(cells);
      if (category === "none" || category === "neither") { return; }
      var tr = document.createElement("tr");
      tr.setAttribute("data-iso", iso);
      tr.setAttribute("data-category", category);
      var th = document.createElement("th");
      th.scope = "row";
      var a = document.createElement("a");
      a.href = "/actors/" + data.states[iso][1] + "/";
      a.textContent = data.states[iso][0];
      th.appendChild(a);
      tr.appendChild(th);
      data.initiatives.forEach(function (initiative, n) {
        var row = cells && cells[n];
        [row ? row[3] : "—", row ? row[4] : "", row ? row[7] : "", row ? row[8] : ""].forEach(function (text) {
          var td = document.createElement("td");
          td.textContent = text;
          tr.appendChild(td);
        });
      });
      if (two) {
        var td = document.createElement("td");
        td.textContent = data.categories.filter(function (c) { return c[0] === category; })[0][1];
        tr.appendChild(td);
      }
      body.appendChild(tr);
    });
  }

  function remember(day) {
    if (!slider) { return; }
    var url = new URL(window.location.href);
    if (day === null) { url.searchParams.delete("as_of"); } else { url.searchParams.set("as_of", day); }
    window.history.replaceState(null, "", url);
    if (csvLink) {
      var csv = new URL(csvLink.href, window.location.href);
      if (day === null) { csv.searchParams.delete("as_of"); } else { csv.searchParams.set("as_of", day); }
      csvLink.href = csv.pathname + csv.search;
    }
  }

  function show(day, options) {
    current = day;
    var fig = figure(day);
    window.Plotly.react(chart, fig.traces, fig.layout, charts.config).then(function () {
      chart.setAttribute("data-ready", "true");
      chart.setAttribute("data-date", shownDate(day));
    });
    if (label) { label.textContent = shownDate(day); }
    if (heading) { heading.textContent = day === null ? "latest" : "as of " + day; }
    renderTable(fig.states);
    if (!options || options.remember !== false) { remember(day); }
  }

  if (!slider) {
    // A small static map (an initiative's page): the latest state, nothing to animate.
    show(null, { remember: false });
    chart.on("plotly_click", function (event) {
      var point = event.points && event.points[0];
      if (point && data.states[point.location]) {
        window.location.href = "/actors/" + data.states[point.location][1] + "/";
      }
    });
    return;
  }

  function stepFor(day) {
    if (day === null) { return steps.length - 1; }
    var index = 0;
    steps.forEach(function (step, n) { if (step !== null && step <= day) { index = n; } });
    return index;
  }

  slider.max = String(steps.length - 1);
  slider.value = String(stepFor(current));
  slider.setAttribute("aria-valuetext", shownDate(current));
  slider.addEventListener("input", function () {
    var day = steps[Number(slider.value)];
    slider.setAttribute("aria-valuetext", shownDate(day));
    show(day);
  });

  var timer = null;
  function stop() {
    window.clearInterval(timer);
    timer = null;
    play.textContent = "Play";
    play.setAttribute("aria-pressed", "false");
  }
  play.addEventListener("click", function () {
    if (timer) { stop(); return; }
    if (Number(slider.value) >= steps.length - 1) { slider.value = "0"; }
    play.textContent = "Pause";
    play.setAttribute("aria-pressed", "true");
    show(steps[Number(slider.value)]);
    timer = window.setInterval(function () {
      var next = Number(slider.value) + 1;
      if (next >= steps.length) { stop(); return; }
      slider.value = String(next);
      slider.setAttribute("aria-valuetext", shownDate(steps[next]));
      show(steps[next]);
    }, 700);
  });

  show(current, { remember: false });
  chart.on("plotly_click", function (event) {
    var point = event.points && event.points[0];
    if (point && data.states[point.location]) {
      window.location.href = "/actors/" + data.states[point.location][1] + "/";
    }
  });

  window.atlasMap = {
    steps: steps,
    setStep: function (index) { slider.value = String(index); slider.dispatchEvent(new Event("input")); },
    categoryOf: function (iso) { return categoryOf(stateOn(current)[iso]); }
  };
})();
