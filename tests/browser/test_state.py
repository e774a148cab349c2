"""The page's state in a real browser: a removed optimizer keeps its settings."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

try:
    from playwright.sync_api import Page, expect
except ImportError:  # as the fixtures do: skipped here, a failure on CI
    if os.environ.get("CI") == "true":
        raise
    pytest.skip("Python Playwright is not installed", allow_module_level=True)

from bench.browser import CHART_DRAWN_JS
from tests.browser.test_links import EXCEPTION, SIDEBAR, open_app, shot, url_has

pytestmark = pytest.mark.browser

THUMB = "[data-testid=stSliderThumbValue]"


def open_adam(page: Page):
    """Adam's hyperparameter group in the sidebar, opened; its learning-rate slider."""
    sidebar = page.locator(SIDEBAR)
    sidebar.locator("[data-testid=stExpander] summary").get_by_text("Adam", exact=True).click()
    lr = sidebar.locator(".st-key-adam-lr")
    expect(lr).to_be_visible()
    return lr


def test_a_removed_optimizer_keeps_its_slider(page: Page, app_url: str, tmp_path: Path):
    open_app(page, f"{app_url}/?opt=gd,adam&steps=100")
    lr = open_adam(page)
    expect(lr.locator(THUMB)).to_have_text("1")
    lr.locator("input[type=range]").focus()
    page.keyboard.press("ArrowLeft")  # the next lower value on Adam's learning-rate grid
    expect(page).to_have_url(url_has("adam.lr", "0.8"))
    expect(lr.locator(THUMB)).to_have_text("0.8")

    picker = page.locator(f"{SIDEBAR} .st-key-opt")
    picker.get_by_role("button", name="Remove Adam", exact=True).click()
    expect(page).to_have_url(url_has("opt", "gd"))
    assert "adam.lr=0.8" in page.url  # the link remembers it too
    expect(page.locator(SIDEBAR).locator(".st-key-adam-lr")).to_have_count(0)
    shot(page, tmp_path, "removed")

    picker.locator("input").click()
    page.get_by_role("option", name="Adam", exact=True).click()
    page.keyboard.press("Escape")  # the picker's list stays open for more picks
    expect(page).to_have_url(url_has("opt", "gd%2Cadam"))
    page.wait_for_function(CHART_DRAWN_JS)
    expect(open_adam(page).locator(THUMB)).to_have_text("0.8")
    expect(page.locator(EXCEPTION)).to_have_count(0)
    shot(page, tmp_path, "added_back")
