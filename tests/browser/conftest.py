"""Fixtures for the real-browser tests: one app server and one Chromium per session.

The server and Chromium helpers live in bench/browser.py, shared with
``python -m bench browser``. Without Chromium the tests are skipped, except on CI
(``CI=true``), where a missing browser is a failure, not a silent pass.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest

from bench.browser import (
    DEFAULT_CHROMIUM,
    PAGE_DRAWN_JS,
    find_chromium,
    launch_chromium,
    serve_app,
)

VIEWPORT = {"width": 1400, "height": 1000}
# A cold page load (Plotly's 4.7 MB bundle parsed on a small, busy machine) can take
# ~10 s; a rerun after a control change ~1-3 s. Generous bounds, not expectations:
# waits end as soon as their condition holds.
TIMEOUT_MS = 60_000
EXPECT_TIMEOUT_MS = 30_000


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must install the Debian package chromium")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        where = os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM
        _unavailable(f"Chromium not found (looked for {where}; set CHROMIUM_PATH)")
    return path


@pytest.fixture(scope="session")
def playwright(chromium_path: str):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Python Playwright is not installed")
    from playwright.sync_api import expect

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright, chromium_path: str):
    browser = launch_chromium(playwright, chromium_path)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def app_url(browser) -> Iterator[str]:
    """Base URL of ``streamlit run app.py`` on a free port (started after Chromium was
    found, so a missing browser skips without starting a server)."""
    with serve_app() as url:
        yield url


def _context(browser, locale: str):
    context = browser.new_context(locale=locale, viewport=VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def new_context(browser) -> Iterator[Callable[..., object]]:
    """A factory of browser contexts (``new_context(locale="zh-CN")``), closed after the
    test."""
    made = []

    def make(locale: str = "en-US"):
        made.append(_context(browser, locale))
        return made[-1]

    yield make
    for context in made:
        context.close()


@pytest.fixture(scope="session")
def en_context(browser):
    """The en-US context the tabs share. Sharing its HTTP cache makes a page load a
    little faster; each tab is still its own Streamlit session, and the app keeps
    nothing in cookies or storage."""
    context = _context(browser, "en-US")
    yield context
    context.close()


@pytest.fixture
def page(en_context):
    """A fresh tab in an en-US browser: a new Streamlit session."""
    tab = en_context.new_page()
    yield tab
    tab.close()


@pytest.fixture(scope="module")
def zh_page(browser, app_url):
    """The default page (no ``lang`` in the link) in a zh-CN browser, drawn. Shared by a
    module's tests, which must only read it."""
    context = _context(browser, "zh-CN")
    tab = context.new_page()
    tab.goto(app_url)
    tab.wait_for_function(PAGE_DRAWN_JS)
    yield tab
    context.close()
