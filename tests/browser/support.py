"""Helpers shared by the browser tests: reading the map, the keyboard, CSV answers."""

import csv
import io
from pathlib import Path

from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}

# --------------------------------------------------------------------------- charts


def wait_chart_ready(page, selector: str):
    expect(page.locator(selector)).to_have_attribute("data-ready", "true")


def wait_map_date(page, shown: str):
    """Wait until the map has drawn the given date ("YYYY-MM-DD" or "latest")."""
    chart = page.locator("#map-chart")
    expect(chart).to_have_attribute("data-ready", "true")
    expect(chart).to_have_attribute("data-date", shown)


# The category and trace colour a location has in the figure the map drew.
CHART_CATEGORY = """(iso) => {
  const gd = document.getElementById("map-chart");
  const found = [];
  gd.data.forEach((trace, n) => {
    const i = trace.locations.indexOf(iso);
    if (i >= 0) {
      found.push({trace: n, category: trace.customdata[i], colour: trace.colorscale[0][1]});
    }
  });
  return found;
}"""

# The fill the SVG path of a location was painted with. Plotly draws one group per non-empty
# trace, in trace order, and one path per location, in location order; every step of that
# mapping is checked so a change in Plotly fails loudly instead of reading the wrong country.
RENDERED_PATH = """(iso) => {
  const gd = document.getElementById("map-chart");
  const drawn = gd.data.filter((t) => t.locations.length > 0);
  const groups = Array.from(gd.querySelectorAll("g.trace.choropleth"));
  if (groups.length !== drawn.length) {
    return {error: "groups " + groups.length + " != non-empty traces " + drawn.length};
  }
  for (let n = 0; n < drawn.length; n++) {
    const paths = groups[n].querySelectorAll("path.choroplethlocation");
    if (paths.length !== drawn[n].locations.length) {
      return {error: "group " + n + " has " + paths.length + " paths for " +
        drawn[n].locations.length + " locations"};
    }
    const i = drawn[n].locations.indexOf(iso);
    if (i < 0) { continue; }
    const path = paths[i];
    const bound = path.__data__ && path.__data__.loc;
    if (bound !== undefined && bound !== iso) {
      return {error: "path " + i + " of group " + n + " is bound to " + bound + ", not " + iso};
    }
    return {fill: getComputedStyle(path).fill, group: n, index: i};
  }
  return {error: iso + " is in no drawn trace"};
}"""

# A point well inside a country's path, on screen and not under the legend or the modebar.
INTERIOR_POINT = """(iso) => {
  const gd = document.getElementById("map-chart");
  const drawn = gd.data.filter((t) => t.locations.length > 0);
  const groups = Array.from(gd.querySelectorAll("g.trace.choropleth"));
  let path = null;
  drawn.forEach((trace, n) => {
    const i = trace.locations.indexOf(iso);
    if (i >= 0 && groups[n]) { path = groups[n].querySelectorAll("path.choroplethlocation")[i]; }
  });
  if (!path) { return null; }
  const box = path.getBoundingClientRect();
  const toPath = path.getScreenCTM().inverse();
  const inside = (x, y) => path.isPointInFill(new DOMPoint(x, y).matrixTransform(toPath));
  const clickable = (x, y) => {
    if (x < 0 || y < 0 || x >= window.innerWidth || y >= window.innerHeight) { return false; }
    const hit = document.elementFromPoint(x, y);
    return !!hit && gd.contains(hit) && !hit.closest(".legend, .modebar-container, .modebar");
  };
  const step = Math.max(1, Math.min(box.width, box.height) / 30);
  const reach = 3 * step;
  const cx = box.x + box.width / 2, cy = box.y + box.height / 2;
  let best = null;
  for (let y = box.y; y <= box.y + box.height; y += step) {
    for (let x = box.x; x <= box.x + box.width; x += step) {
      if (!inside(x, y)) { continue; }
      const deep = [[1, 0], [-1, 0], [0, 1], [0, -1], [1, 1], [1, -1], [-1, 1], [-1, -1]]
        .every(([dx, dy]) => inside(x + dx * reach, y + dy * reach));
      if (!deep || !clickable(x, y)) { continue; }
      const distance = Math.hypot(x - cx, y - cy);
      if (!best || distance < best.distance) { best = {x: x, y: y, distance: distance}; }
    }
  }
  return best;
}"""


def chart_category(page, iso: str) -> dict:
    """{"category", "colour"} of a state on the drawn map; exactly one trace holds it."""
    found = page.evaluate(CHART_CATEGORY, iso)
    assert len(found) == 1, f"{iso} is in {len(found)} traces: {found}"
    return found[0]


def rendered_fill(page, iso: str) -> str:
    drawn = page.evaluate(RENDERED_PATH, iso)
    assert "error" not in drawn, drawn["error"]
    return drawn["fill"]


def table_category(page, iso: str):
    """data-category of the state's row in #map-table, or None when it is not listed."""
    rows = page.locator(f'#map-table tbody tr[data-iso="{iso}"]')
    count = rows.count()
    assert count <= 1, f"{iso} is listed {count} times"
    return rows.get_attribute("data-category") if count else None


def script_category(page, iso: str) -> str:
    return page.evaluate("(iso) => window.atlasMap.categoryOf(iso)", iso)


def hex_to_rgb(colour: str) -> str:
    colour = colour.lstrip("#")
    red, green, blue = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgb({red}, {green}, {blue})"


def map_states(page) -> dict:
    """{iso: [name, slug]} from the map's embedded data."""
    return page.evaluate("JSON.parse(document.getElementById('map-data').textContent).states")


def interior_point(page, iso: str) -> tuple[float, float]:
    point = page.evaluate(INTERIOR_POINT, iso)
    assert point, f"found no clickable point inside {iso} on the map"
    return point["x"], point["y"]


# --------------------------------------------------------------------------- keyboard


def focused(page, selector: str) -> bool:
    return page.evaluate(
        "(selector) => !!document.activeElement && document.activeElement.matches(selector)",
        selector,
    )


def describe_focus(page) -> str:
    return page.evaluate(
        """() => { const e = document.activeElement; if (!e) { return "nothing"; }
        return e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
          (e.getAttribute("name") ? "[name=" + e.getAttribute("name") + "]" : "") +
          (e.getAttribute("value") ? "[value=" + e.getAttribute("value") + "]" : "") +
          (typeof e.className === "string" && e.className
            ? "." + e.className.replace(/ /g, ".") : "");
        }"""
    )


def tab_to(page, selector: str, limit: int = 120) -> int:
    """Press Tab until `selector` has focus; returns how many presses it took."""
    seen = []
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if focused(page, selector):
            return presses
        seen.append(describe_focus(page))
    raise AssertionError(
        f"{selector} never got focus in {limit} Tab presses; focus went: {seen[:60]}"
    )


# --------------------------------------------------------------------------- CSV


def parse_csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def fetch_csv(page, href: str) -> list[dict]:
    """GET a CSV link of the page with the page's own cookies; it must answer CSV."""
    response = page.request.get(href if href.startswith("http") else _origin(page) + href)
    assert response.status == 200, f"GET {href} answered {response.status}"
    assert response.headers["content-type"].startswith("text/csv"), response.headers
    return parse_csv(response.text())


def _origin(page) -> str:
    return page.evaluate("window.location.origin")
