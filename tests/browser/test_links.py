"""What only a real browser shows: a link restores the page, a control writes the link,
the animation plays, a hostile link is harmless, the language follows the browser, and
embed mode shows only the figure.

The main figure is the first ``.js-plotly-plot``; its data is read in the browser as
Plotly holds it (typed arrays arrive base64-encoded and are decoded here). Each test
saves screenshots of what it checked into its tmp_path.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import pytest

try:
    from playwright.sync_api import Page, expect
except ImportError:  # as the fixtures do: skipped here, a failure on CI
    if os.environ.get("CI") == "true":
        raise
    pytest.skip("Python Playwright is not installed", allow_module_level=True)

import functions
from bench.browser import CHART_DRAWN_JS, PAGE_DRAWN_JS
from tests.plotly_json import decode

pytestmark = pytest.mark.browser

# The figure as Plotly holds it: its traces, and its frames, which move only the
# marker traces they name.
FIGURE_JS = """() => {
    const g = document.querySelector('.js-plotly-plot');
    const arr = v => (v && ArrayBuffer.isView(v)) ? Array.from(v) : v;
    const frames = (g._transitionData && g._transitionData._frames) || [];
    return {
        data: g.data.map(t => ({
            name: t.name ?? null, mode: t.mode ?? null, hovertext: t.hovertext ?? null,
            legendgroup: t.legendgroup ?? null, x: arr(t.x), y: arr(t.y),
        })),
        frames: frames.map(f => ({
            name: f.name, traces: f.traces,
            data: f.data.map(d => ({x: arr(d.x), y: arr(d.y)})),
        })),
    };
}"""
FRAMES_JS = """() => ((document.querySelector('.js-plotly-plot')._transitionData || {})
    ._frames || []).length > 0"""
# Whether the static path of one optimizer (its legendgroup) has n points.
POINTS_JS = """([group, n]) => {
    const g = document.querySelector('.js-plotly-plot');
    const t = g && g.data.find(t => t.legendgroup === group && t.mode === 'lines');
    if (!t) return false;
    const bytes = t.x.bdata && {f4: 4, f8: 8}[t.x.dtype];  // paths are drawn as f4
    return (t.x.bdata ? atob(t.x.bdata).length / bytes : t.x.length) === n;
}"""
# The moving markers as drawn: the points of the last trace (one per optimizer).
DRAWN_POINTS_JS = """n => Array.from(Array.from(document.querySelector('.js-plotly-plot')
    .querySelectorAll('.scatterlayer .trace')).slice(-1)[0]
    .querySelectorAll('.points path')).slice(0, n)"""
# Where each is drawn.
DRAWN_MARKERS_JS = f"n => ({DRAWN_POINTS_JS})(n).map(p => p.getAttribute('transform'))"
# How each looks, whatever its size: fill colour, outline, and the shape's path commands
# (a circle's arcs, a square's lines: the letters, not the numbers).
MARKER_LOOKS_JS = f"""n => ({DRAWN_POINTS_JS})(n).map(p => [p.style.fill, p.style.stroke,
    p.getAttribute('d').replace(/[^A-Za-z]/g, '')])"""
BUTTONS_JS = """() => Array.from(document.querySelectorAll('.playbar button'))
    .map(b => b.textContent)"""

# The focused element's text, and the width of its focus ring in CSS pixels.
FOCUSED_JS = "() => document.activeElement.textContent.trim()"
FOCUS_RING_JS = """() => { const s = getComputedStyle(document.activeElement);
    return s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth); }"""

SIDEBAR = '[data-testid="stSidebar"]'
WARNING = '[data-testid="stAlertContentWarning"]'
EXCEPTION = '[data-testid="stException"]'
CHART = ".js-plotly-plot"
TITLE_ZH = "优化器实验室"


def open_app(page: Page, url: str) -> dict:
    """Load ``url``; wait until the whole page is drawn; return its main figure."""
    page.goto(url)
    page.wait_for_function(PAGE_DRAWN_JS)
    return figure(page)


def open_race(page: Page, url: str) -> dict:
    """As ``open_app``, for a race: also wait for its animation frames, which Plotly
    adds after it has drawn the chart."""
    open_app(page, url)
    page.wait_for_function(FRAMES_JS)
    return figure(page)


def figure(page: Page) -> dict:
    """The main figure: per trace its name, mode, legendgroup, hovertext and decoded x, y;
    frames."""
    fig = page.evaluate(FIGURE_JS)
    for trace in fig["data"] + [d for f in fig["frames"] for d in f["data"]]:
        trace["x"], trace["y"] = decode(trace["x"]), decode(trace["y"])
    return fig


def moving(fig: dict) -> dict:
    """The animated trace: one point per optimizer, the only trace the frames move."""
    (i,) = fig["frames"][0]["traces"]
    return fig["data"][i]


def path_of(fig: dict, group: str) -> dict:
    """One optimizer's full path line: a static trace, drawn once, never animated."""
    (path,) = [t for t in fig["data"] if t["legendgroup"] == group and t["mode"] == "lines"]
    return path


def wait_for_points(page: Page, group: str, n: int) -> None:
    """Wait until the chart shows ``group``'s path with ``n`` points (after a rerun)."""
    page.wait_for_function(POINTS_JS, arg=[group, n])
    page.wait_for_function(CHART_DRAWN_JS)


def shot(page: Page, tmp_path: Path, name: str) -> None:
    page.screenshot(path=tmp_path / f"{name}.png")


def url_has(key: str, value: str) -> re.Pattern:
    return re.compile(rf"[?&]{re.escape(key)}={re.escape(value)}(&|$)")


def test_link_sets_controls_and_chart(page: Page, app_url: str, tmp_path: Path):
    fig = open_race(page, f"{app_url}/?fn=quadratic&opt=adam,gd&adam.lr=0.5&steps=200")

    sidebar = page.locator(SIDEBAR)
    expect(sidebar.locator(".st-key-fn input")).to_have_value("Quadratic bowl")
    expect(sidebar.locator(".st-key-steps [data-testid=stSliderThumbValue]")).to_have_text("200")
    sidebar.locator("[data-testid=stExpander] summary").get_by_text("Adam", exact=True).click()
    lr = sidebar.locator(".st-key-adam-lr")
    expect(lr).to_be_visible()
    expect(lr.locator("[data-testid=stSliderThumbValue]")).to_have_text("0.5")
    expect(lr.locator("input[type=range]")).to_have_attribute("aria-valuetext", "0.5")
    shot(page, tmp_path, "link")

    markers = moving(fig)
    assert markers["hovertext"] == ["Adam", "Gradient Descent"]
    # The moving markers are the figure's last trace, one point per optimizer.
    assert fig["frames"][0]["traces"] == [len(fig["data"]) - 1]
    assert list(markers["x"]) == [-8.0, -8.0]
    path = path_of(fig, "adam")
    assert path["x"].size == 201
    assert path["x"][0] == -8.0  # the quadratic's own x0
    assert not np.array_equal(path["x"], path_of(fig, "gd")["x"])


def test_moving_a_control_writes_the_link(page: Page, app_url: str, tmp_path: Path):
    open_app(page, app_url)
    assert "?" not in page.url  # the default page writes nothing

    page.locator(f"{SIDEBAR} .st-key-fn input").click()
    page.get_by_role("option", name="Cliff", exact=True).click()
    expect(page).to_have_url(url_has("fn", "cliff"))
    # The chart follows: the cliff, from the cliff's own x0 (which the link leaves out).
    x0 = functions.get("cliff").x0
    page.wait_for_function(
        "x0 => document.querySelector('.js-plotly-plot').data.at(-1).x[0] === x0", arg=x0
    )
    page.wait_for_function(CHART_DRAWN_JS)
    assert path_of(figure(page), "gd")["x"][0] == x0
    assert "x0=" not in page.url
    shot(page, tmp_path, "moved")


def test_reloaded_link_draws_the_same_chart(page: Page, en_context, app_url, tmp_path: Path):
    # Noisy SGD too: the link must carry what makes its noise repeat.
    open_app(page, f"{app_url}/?fn=double_well&opt=sgd,adam&steps=300")
    page.locator(f"{SIDEBAR} .st-key-steps input[type=range]").focus()
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(url_has("steps", "310"))
    wait_for_points(page, "sgd", 311)
    first, link = figure(page), page.url
    shot(page, tmp_path, "moved")

    fresh = en_context.new_page()
    second = open_app(fresh, link)
    shot(fresh, tmp_path, "reloaded")
    assert fresh.url == link

    assert [t["name"] for t in first["data"]] == [t["name"] for t in second["data"]]
    for a, b in zip(first["data"], second["data"], strict=True):
        np.testing.assert_array_equal(a["x"], b["x"])
        np.testing.assert_array_equal(a["y"], b["y"])
    assert [f["name"] for f in first["frames"]] == [f["name"] for f in second["frames"]]
    for fa, fb in zip(first["frames"], second["frames"], strict=True):
        for a, b in zip(fa["data"], fb["data"], strict=True):
            np.testing.assert_array_equal(a["x"], b["x"])
    assert path_of(second, "sgd")["x"].size == 311
    fresh.close()


def test_play_moves_the_markers_from_the_keyboard(page: Page, app_url: str, tmp_path: Path):
    fig = open_race(page, app_url)
    n = len(moving(fig)["x"])
    assert list(moving(fig)["x"]) == [-20.0] * n  # the article's x0
    step = page.locator(".playbar output")
    expect(step).to_have_text("Step 0")
    drawn_before = page.evaluate(DRAWN_MARKERS_JS, n)
    looks = page.evaluate(MARKER_LOOKS_JS, n)
    assert len({fill for fill, _, _ in looks}) == n  # a colour of its own for each

    # Keyboard only: from the page's title (where a reader's focus starts after the
    # sidebar), Tab to Play, with a visible focus ring, then Enter.
    page.get_by_role("heading", level=1).click()
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED_JS) == "▶ Play":
            break
    assert page.evaluate(FOCUSED_JS) == "▶ Play"
    assert page.evaluate(FOCUS_RING_JS) >= 2
    page.keyboard.press("Enter")
    page.wait_for_function(
        "([n, before]) => { const now = (" + DRAWN_MARKERS_JS + ")(n);"
        " return now.some((t, i) => t !== before[i]); }",
        arg=[n, drawn_before],
        timeout=15_000,
    )
    expect(step).not_to_have_text("Step 0")
    shot(page, tmp_path, "playing")
    assert any(x != -20.0 for x in moving(figure(page))["x"])

    # Pause with Space, then step with the arrow keys on the step slider.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED_JS) == "❚❚ Pause"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Home")
    expect(step).to_have_text("Step 0")
    page.keyboard.press("End")
    expect(step).to_have_text("Step 1000")
    # The frames move the markers; each keeps its colour, outline and symbol.
    assert page.evaluate(DRAWN_MARKERS_JS, n) != drawn_before
    assert page.evaluate(MARKER_LOOKS_JS, n) == looks
    # The slider is labelled with round steps.
    ticks = page.locator(".playbar .ticks span").all_text_contents()
    assert ticks == ["0", "200", "400", "600", "800", "1000"]


def test_hostile_link_is_harmless(page: Page, app_url: str, tmp_path: Path):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    query = "adam.lr=abc&steps=1e99&fn=<script>alert(1)</script>&opt=zzz&x0=nan&lang=xx"
    open_app(page, f"{app_url}/?{query}")

    warning = page.locator(WARNING)
    expect(warning).to_have_count(1)
    expect(warning).to_be_visible()
    for key in ("fn", "adam.lr", "steps", "opt", "x0", "lang"):
        expect(warning).to_contain_text(f"{key}:")
    expect(page.locator(EXCEPTION)).to_have_count(0)
    expect(page.locator(CHART).first).to_be_visible()
    # What was ignored is dropped from the link; what was clamped stays, clamped.
    expect(page).to_have_url(re.compile(r"/\?steps=5000$"))
    shot(page, tmp_path, "hostile")
    assert dialogs == []
    assert "alert" not in page.locator("body").inner_text()


def test_language_follows_browser_and_link(zh_page: Page, page: Page, app_url, tmp_path: Path):
    expect(zh_page.locator("h1")).to_have_text(TITLE_ZH)
    assert "▶ 播放" in zh_page.evaluate(BUTTONS_JS)
    shot(zh_page, tmp_path, "zh-CN")

    open_app(page, f"{app_url}/?lang=zh")  # an en-US browser
    expect(page.locator("h1")).to_have_text(TITLE_ZH)
    buttons = page.evaluate(BUTTONS_JS)
    assert "▶ 播放" in buttons
    assert "▶ Play" not in buttons
    shot(page, tmp_path, "lang-zh")


def test_tab_title_follows_language(zh_page: Page):
    assert zh_page.title() == TITLE_ZH


def test_embed_shows_only_the_chart(page: Page, app_url: str, tmp_path: Path):
    # mode=embed is ours; embed=true is Streamlit's own chrome-less view.
    fig = open_app(page, f"{app_url}/?mode=embed&embed=true&fn=quadratic&opt=adam")
    shot(page, tmp_path, "embed")
    assert path_of(fig, "adam")["x"][0] == -8.0
    expect(page.locator(CHART).first).to_be_visible()
    assert page.locator(".st-key-fn").count() == 0, "the function selectbox is shown"
    assert page.locator(SIDEBAR).count() == 0, "the sidebar is shown"
    assert page.locator("h1").count() == 0, "the title is shown"


def test_copy_link_button_copies_the_link(page: Page, app_url: str):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_app(page, f"{app_url}/?fn=quadratic&opt=adam")
    button = page.locator("button.copy-link").first
    button.click()
    expect(button).to_have_text("Copied ✓")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.endswith("?fn=quadratic&opt=adam")


def test_typing_an_expression_redraws_and_a_bad_one_is_explained(
    page: Page, app_url: str, tmp_path: Path
):
    open_app(page, f"{app_url}/?fn=custom&opt=gd&steps=100")
    field = page.locator(".st-key-expr input")
    field.fill("sin(3x) + 0.1x^2")
    field.press("Enter")
    expect(page).to_have_url(url_has("expr", "sin%283x%29+%2B+0.1x%5E2"), timeout=20_000)
    # The link changes before the browser redraws: wait for the typed curve itself.
    page.wait_for_function(CHART_DRAWN_JS)
    for _ in range(100):
        x, curve = (np.asarray(figure(page)["data"][0][k]) for k in "xy")
        if np.allclose(curve, np.sin(3 * x) + 0.1 * x**2, rtol=1e-12, atol=0):
            break
        page.wait_for_timeout(200)
    np.testing.assert_allclose(curve, np.sin(3 * x) + 0.1 * x**2, rtol=1e-12)
    shot(page, tmp_path, "typed")

    field.fill("import os")
    field.press("Enter")
    error = page.locator(SIDEBAR).locator('[data-testid="stAlertContentError"]')
    expect(error).to_contain_text("'import' is not allowed")
    expect(page.locator(EXCEPTION)).to_have_count(0)
    assert "sin%283x%29" in page.url  # the last function that worked stays
    np.testing.assert_array_equal(figure(page)["data"][0]["y"], curve)
    shot(page, tmp_path, "bad_expression")


def test_switching_language_back_and_forth_keeps_the_page(page: Page, app_url: str, tmp_path: Path):
    # Choice widgets travel as their shown labels: after a language change a stale
    # label must not come back as a value (it once replaced the page by a traceback).
    open_app(page, f"{app_url}/?fn=quadratic&opt=adam&view=explore&ex=basins")
    language = page.locator(SIDEBAR).locator(".st-key-lang")
    for name, title in (("中文", TITLE_ZH), ("English", "Optimizer Lab"), ("中文", TITLE_ZH)):
        language.get_by_text(name, exact=True).click()
        expect(page.locator("h1").first).to_have_text(title, timeout=20_000)
        expect(page.locator(EXCEPTION)).to_have_count(0)
    page.locator(SIDEBAR).locator(".st-key-fn").click()
    page.get_by_role("option", name="悬崖").click()
    expect(page).to_have_url(url_has("fn", "cliff"), timeout=20_000)
    expect(page.locator(EXCEPTION)).to_have_count(0)
    assert "view=explore" in page.url and "opt=adam" in page.url
    shot(page, tmp_path, "languages")


# The computed font size, in CSS pixels, of the first caption and the first paragraph
# of body text in the main column and in the sidebar (which presentation mode leaves).
TEXT_PX_JS = """where => [
    '[data-testid="stCaptionContainer"] p', '[data-testid="stMarkdownContainer"] p'
].map(s => parseFloat(getComputedStyle(
    document.querySelector(`[data-testid="${where}"] ${s}`)).fontSize))"""


def test_presentation_mode_enlarges_the_page_text_as_well_as_the_charts(page: Page, app_url):
    open_app(page, f"{app_url}/?steps=50&present=1")
    main, sidebar = page.evaluate(TEXT_PX_JS, "stMain"), page.evaluate(TEXT_PX_JS, "stSidebar")
    assert min(main) >= 22 and max(sidebar) <= 16, (main, sidebar)
    font = page.evaluate("() => document.querySelector('.js-plotly-plot')._fullLayout.font.size")
    assert font >= 22
