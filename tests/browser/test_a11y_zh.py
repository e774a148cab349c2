"""The audit of every view in Chinese: tests/browser/test_a11y.py's, in a file of its
own so that pytest-xdist (files to workers) runs it beside the English one."""

from __future__ import annotations

import pytest

from tests.browser.test_a11y import Page, check_every_view

pytestmark = pytest.mark.browser


def test_every_chinese_view_passes_axe_and_fits_the_screen(page: Page, app_url: str):
    check_every_view(page, app_url, "zh")
