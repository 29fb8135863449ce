/* A company's page: each measure targeting it as a bar from announcement to end, by fate. */
(function () {
  "use strict";
  var charts = window.atlasCharts;
  var node = document.getElementById("measures-chart");
  var data = charts.readJson("measures-data");
  if (!node || !data) { return; }
  var fates = Object.keys(data.fates);
  var traces = fates.map(function (fate) {
    var bars = data.bars.filter(function (b) { return b.fate === fate; });
    return {
      type: "scatter", mode: "lines", name: fate, showlegend: bars.length > 0,
      line: { color: data.fates[fate], width: 12 },
      x: [].concat.apply([], bars.map(function (b) { return [b.start, b.end, null]; })),
      y: [].concat.apply([], bars.map(function (b) { var t = charts.escapeHtml(b.title); return [t, t, null]; })),
      text: [].concat.apply([], bars.map(function (b) { var t = charts.escapeHtml(b.text); return [t, t, null]; })),
      hoverinfo: "text"
    };
  });
  var layout = {
    font: charts.font, height: Math.max(220, 90 + 34 * data.bars.length),
    margin: { l: 10, r: 10, t: 10, b: 40 }, hovermode: "closest",
    xaxis: { type: "date", title: { text: "Date" } },
    yaxis: { type: "category", automargin: true, autorange: "reversed" },
    legend: { orientation: "h", y: -0.2, title: { text: "Fate: " } }
  };
  window.Plotly.newPlot(node, traces, layout, charts.config).then(function () {
    node.setAttribute("data-ready", "true");
  });
})();
