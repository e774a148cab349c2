"""A new visitor sees the race's chart first, then the whole page, without a click."""

from playwright.sync_api import Page, expect

from bench.browser import PAGE_DRAWN_JS
from tests.browser.test_links import EXCEPTION, SIDEBAR
from ui.first_paint import CHART_DRAWN_JS

# Record, from the first moment, when the chart is first drawn and when the sidebar's
# first control appears (performance.now(), ms).
WATCH_JS = f"""
window.firstPaint = {{}};
const drawn = {CHART_DRAWN_JS};
const watch = () => {{
  const seen = window.firstPaint, now = performance.now();
  if (!seen.chart && drawn()) seen.chart = now;
  if (!seen.controls && document.querySelector('{SIDEBAR} .st-key-steps')) seen.controls = now;
  if (!(seen.chart && seen.controls)) requestAnimationFrame(watch);
}};
requestAnimationFrame(watch);
"""


def test_the_chart_comes_first_and_the_controls_follow_by_themselves(page: Page, app_url: str):
    page.add_init_script(WATCH_JS)
    page.goto(app_url)
    page.wait_for_function(PAGE_DRAWN_JS)
    seen = page.evaluate("window.firstPaint")
    assert seen["chart"] < seen["controls"], seen
    # The whole page is there: the panels' chart under the race, and the controls work.
    expect(page.locator(".js-plotly-plot")).to_have_count(2)
    expect(page.locator(f"{SIDEBAR} .st-key-steps")).to_be_visible()
    expect(page.locator(EXCEPTION)).to_have_count(0)
