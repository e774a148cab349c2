"""Explore in a real browser: a click on a sweep-map cell races that setting."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

# The sweep map is drawn (its heatmap and the invisible layer of clickable cells).
MAP_DRAWN_JS = """() => {
    const g = document.querySelector('.js-plotly-plot');
    return !!(g && g._fullLayout && g.querySelector('.nsewdrag') && g.querySelector('.hm'));
}"""
# The middle of the plot area on screen, and the log10(lr) the x axis puts there.
MIDDLE_JS = """() => {
    const g = document.querySelector('.js-plotly-plot');
    const xa = g._fullLayout.xaxis, box = g.querySelector('.nsewdrag').getBoundingClientRect();
    const px = box.width / 2;
    return {x: box.left + px, y: box.top + box.height / 2, log_lr: xa.p2l(px)};
}"""


def test_clicking_a_sweep_cell_races_that_setting(page: Page, app_url: str, tmp_path: Path):
    page.goto(f"{app_url}/?view=explore&ex=sweep&opt=adam&steps=100")
    page.wait_for_function(MAP_DRAWN_JS, timeout=60_000)
    page.wait_for_timeout(500)  # let the WebGL layer of clickable cells settle
    middle = page.evaluate(MIDDLE_JS)
    page.mouse.click(middle["x"], middle["y"])
    # The race tab opens with that cell's learning rate, and the link says so.
    expect(page).to_have_url(re.compile(r"adam\.lr="), timeout=20_000)
    assert "view=explore" not in page.url
    lr = float(re.search(r"adam\.lr=([^&]+)", page.url).group(1))
    # The nearest cell: 100 learning rates over 6 decades are 0.06 decades apart.
    assert abs(math.log10(lr) - middle["log_lr"]) < 0.06
    expect(page.get_by_role("tab", name="The race")).to_have_attribute("aria-selected", "true")
    page.screenshot(path=tmp_path / "after_click.png")
