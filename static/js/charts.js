/* Shared by the chart scripts: Plotly configured to use only our own files, and text escaping. */
(function () {
  "use strict";
  var staticPrefix = document.body.getAttribute("data-static") || "/static/";

  function escapeHtml(value) {
    // Plotly renders a subset of HTML in hover and legend text: data must never be markup.
    return String(value === null || value === undefined ? "" : value)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      // Numeric references for quotes: Plotly decodes those, but shows "&quot;" as typed.
      .replace(/"/g, "&#34;").replace(/'/g, "&#39;");
  }

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  var config = {
    responsive: true,
    displaylogo: false,
    // The world map comes from our static files, never from a CDN.
    topojsonURL: staticPrefix + "vendor/topojson/",
    modeBarButtonsToRemove: ["select2d", "lasso2d", "toImage"]
  };

  var font = { family: "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif", size: 13, color: "#1b1f24" };

  window.atlasCharts = { escapeHtml: escapeHtml, readJson: readJson, config: config, font: font };
})();
