"""A slider move computes each chart once and draws it in one pass (its legend, which
makes one pass possible, still leaves a phone's entries their room), the chart's state
stays the size of the figure sent, and a real change (a new width) is still drawn
(ui.chart_redraws)."""

import pytest
from playwright.sync_api import Page, expect

from bench.browser import (
    LR_EXPANDER,
    LR_SLIDER,
    PAGE_CHANGED_AT_JS,
    SIGNATURES_JS,
    STEPS_SLIDER,
    WORST_OPTIMIZERS,
    WORST_QUERY,
    settle,
)
from tests.browser.test_links import EXCEPTION

# Count, for each chart element, how often Plotly computes it: every full draw assigns
# the element a new ``calcdata`` array (a redraw of the same data keeps it). A setter on
# the prototype catches an element's first assignment and gives it a counting property.
COUNT_CALCS_JS = """
window.calcs = new WeakMap();
Object.defineProperty(HTMLElement.prototype, "calcdata", {
  configurable: true,
  set(value) {
    let held = value;
    window.calcs.set(this, value ? 1 : 0);
    Object.defineProperty(this, "calcdata", {
      configurable: true,
      get: () => held,
      set: v => { if (v && v !== held) window.calcs.set(this, window.calcs.get(this) + 1); held = v; },
    });
  },
});
"""
CALCS_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot'),
    g => window.calcs.get(g))"""


def test_a_slider_move_computes_each_chart_once(page: Page, app_url: str):
    page.add_init_script(COUNT_CALCS_JS)
    page.goto(app_url)
    settle(page)
    before = page.evaluate(SIGNATURES_JS)
    page.locator(STEPS_SLIDER).focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(PAGE_CHANGED_AT_JS, arg=before)
    settle(page)
    # The race and its panels, each new element computed once: Streamlit's second draw
    # of the same figure (after re-theming it) is skipped.
    assert page.evaluate(CALCS_JS) == [1, 1]
    expect(page.locator(EXCEPTION)).to_have_count(0)


# Plotly counts the passes it adds when a chart's margins grow after the first one
# (``Plots.doAutoMargin``) in a private field of the layout it lays out, which it carries
# into each later layout of that chart: absent, the chart was drawn in one pass.
SECOND_PASSES_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot'),
    g => '_redrawFromAutoMarginCount' in g._fullLayout)"""


@pytest.mark.parametrize("width, present", [(390, False), (1400, True)])
def test_each_chart_is_drawn_in_one_pass(page: Page, app_url: str, width: int, present: bool):
    """The legend and the margins leave Plotly no room to claim after its first pass
    (viz.figures.legend_below): on a phone, and on a projector in presentation mode."""
    page.set_viewport_size({"width": width, "height": 1000})
    page.goto(app_url + ("/?present=1" if present else "/"))
    settle(page)
    assert page.evaluate(SECOND_PASSES_JS) == [False, False]
    # A move draws both charts anew, into new chart elements.
    before = page.evaluate(SIGNATURES_JS)
    page.locator(STEPS_SLIDER).focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(PAGE_CHANGED_AT_JS, arg=before)
    settle(page)
    assert page.evaluate(SECOND_PASSES_JS) == [False, False]
    expect(page.locator(EXCEPTION)).to_have_count(0)


def test_a_phones_legend_keeps_half_the_race_for_its_entries(page: Page, app_url: str):
    """Plotly scrolls a legend under the plot past half the figure's height. The blank
    title over the entries (room for the x-axis' labels) must not eat into that half."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(app_url + WORST_QUERY)
    settle(page)
    shown, entries, half = page.evaluate(
        "() => { const g = document.querySelector('.js-plotly-plot');"
        " const lg = g._fullLayout.legend;"
        " return [lg._effHeight - lg._titleHeight, lg._height - lg._titleHeight,"
        " g._fullLayout.height / 2]; }"
    )
    assert entries > half  # ten optimizers' entries: this legend scrolls on a phone
    assert shown >= half - 1


def test_a_chart_state_serializes_to_the_figure_sent(page: Page, app_url: str):
    page.goto(app_url)
    settle(page)
    # Plotly keeps each decoded typed array on its spec; Streamlit's theme pass writes
    # the chart's state to JSON, where the copy was an object keyed by index.
    texts = page.evaluate(
        "() => Array.from(document.querySelectorAll('.js-plotly-plot'),"
        " g => JSON.stringify(g.data))"
    )
    assert len(texts) == 2
    for text in texts:
        assert '"bdata"' in text  # the arrays are there, as sent
        assert "_inputArray" not in text


def test_a_new_width_is_still_drawn(page: Page, app_url: str):
    page.goto(app_url)
    settle(page)
    wide = page.evaluate("document.querySelector('.js-plotly-plot')._fullLayout.width")
    page.set_viewport_size({"width": 800, "height": 1000})
    page.wait_for_function(
        "w => { const g = document.querySelector('.js-plotly-plot');"
        " return g._fullLayout.width < w - 200"
        " && g.querySelector('svg.main-svg').getBoundingClientRect().width < w - 200; }",
        arg=wide,
    )


def test_a_note_that_appears_leaves_the_other_formulas_as_drawn(page: Page, app_url: str):
    # The article's ten at Adam's lr 1, then 0.8: a second note on runs that end together
    # appears above the formulas (tests/test_page.py has the same two pages). Only
    # Adam's formula changes; the other nine stay the elements the browser typeset.
    page.goto(f"{app_url}?opt={','.join(WORST_OPTIMIZERS)}&adam.lr=1")
    settle(page)
    page.locator(LR_EXPANDER).click()
    page.locator(LR_SLIDER).wait_for()
    settle(page)
    notes = page.get_by_text("too close to tell apart")
    expect(notes).to_have_count(1)
    formulas = page.locator('[data-testid="stMain"] .katex-display')
    drawn = formulas.all_text_contents()
    formulas.evaluate_all("nodes => nodes.forEach(node => { node.drawnBefore = true; })")
    before = page.evaluate(SIGNATURES_JS)
    page.locator(LR_SLIDER).focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(PAGE_CHANGED_AT_JS, arg=before)
    expect(notes).to_have_count(2)
    now = formulas.evaluate_all("nodes => nodes.map(n => [n.textContent, !!n.drawnBefore])")
    unchanged = [kept for text, kept in now if text in drawn]
    assert len(now) == len(drawn) and len(unchanged) >= len(drawn) - 1
    assert all(unchanged), f"{unchanged.count(False)} unchanged formulas drawn anew"
