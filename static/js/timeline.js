/* The timeline chart: one lane per kind of entry, a point per entry. */
(function () {
  "use strict";
  var charts = window.atlasCharts;
  var node = document.getElementById("timeline-chart");
  var data = charts.readJson("timeline-data");
  if (!node || !data) { return; }
  var traces = data.lanes.map(function (lane) {
    return {
      type: "scatter", mode: "markers", name: charts.escapeHtml(lane.name),
      x: lane.x, y: lane.x.map(function () { return lane.name; }),
      text: lane.text.map(charts.escapeHtml), hoverinfo: "text",
      marker: { size: 10, color: lane.color, opacity: 0.85, line: { width: 1, color: "#ffffff" } }
    };
  });
  var layout = {
    font: charts.font, height: Math.max(220, 70 + 42 * traces.length),
    margin: { l: 130, r: 10, t: 10, b: 40 }, showlegend: false, hovermode: "closest",
    xaxis: { type: "date", title: { text: "Date" } },
    yaxis: { type: "category", automargin: true, title: { text: "" } }
  };
  window.Plotly.newPlot(node, traces, layout, charts.config).then(function () {
    node.setAttribute("data-ready", "true");
  });
})();
