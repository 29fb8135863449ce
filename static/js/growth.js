/* Step charts of participations over time (home page and initiative pages). */
(function () {
  "use strict";
  var charts = window.atlasCharts;
  var palette = ["#0072b2", "#cc79a7", "#d55e00", "#009e73", "#e69f00", "#56b4e9"];
  [["glance-chart", "glance-data"], ["growth-chart", "growth-data"]].forEach(function (pair) {
    var node = document.getElementById(pair[0]);
    var data = charts.readJson(pair[1]);
    if (!node || !data) { return; }
    var today = new Date().toISOString().slice(0, 10);
    var traces = data.series.map(function (series, n) {
      // Carry each line on to today, so a flat line reads as "no change since".
      var x = series.x.concat(series.x.length ? [today] : []);
      var y = series.y.concat(series.y.length ? [series.y[series.y.length - 1]] : []);
      return {
        type: "scatter", mode: "lines+markers", line: { shape: "hv", width: 2.5, color: palette[n % palette.length], dash: n % 2 ? "dot" : "solid" },
        marker: { size: 5 }, name: charts.escapeHtml(series.name), x: x, y: y,
        hovertemplate: "%{x|%d %b %Y}: %{y}<extra>" + charts.escapeHtml(series.name) + "</extra>"
      };
    });
    var layout = {
      font: charts.font, height: 320, margin: { l: 50, r: 10, t: 10, b: 40 },
      xaxis: { title: { text: "Date" }, type: "date" },
      yaxis: { title: { text: "Participations" }, rangemode: "tozero", tickformat: ",d" },
      legend: { orientation: "h", y: -0.25 }
    };
    window.Plotly.newPlot(node, traces, layout, charts.config).then(function () {
      node.setAttribute("data-ready", "true");
    });
  });
})();
