"""A session's first page draws the race's chart before anything else.

A new browser spends its first seconds evaluating plotly.js, and every element drawn in
the same pass (the sidebar's controls, the panels, the formulas, the summary) held the
chart back by about a second (``python -m bench browser``). So a session's first run
draws the page's head and the race's chart, with a note where the controls will be.
Once the browser has drawn the chart, a small component asks for a rerun; that run, like
every later one, draws the whole page. The page is complete when it was before; the
chart is on screen sooner.
"""

from __future__ import annotations

import streamlit as st

from viz.config import Config
from viz.text import t

KEY = "first_paint"
# The rest is asked for after this long even if the chart was never seen drawn, so that
# a page always completes; and asked for again this often while the request is still on
# the page (a request sent while the connection was down is lost).
FALLBACK_MS = 20000
RETRY_MS = 5000

# Whether a Plotly chart ``g`` is drawn: its main SVG laid out and one drawn trace for
# each trace in its data (all the page's traces are scatter traces).
DRAWN_JS = """g => {
    if (!g || !g._fullLayout || !g.data) return false;
    const svg = g.querySelector('svg.main-svg');
    if (!svg) return false;
    const r = svg.getBoundingClientRect();
    const traces = g.querySelectorAll('.scatterlayer .trace').length;
    return r.width > 0 && r.height > 0 && traces === g.data.length;
}"""
# Whether the page's first Plotly chart (the race) is drawn.
CHART_DRAWN_JS = f"() => ({DRAWN_JS})(document.querySelector('.js-plotly-plot'))"

# The component stops watching when the page removes it: the whole page has come.
_ASK_FOR_REST = st.components.v2.component(
    KEY,
    js=f"""
export default function ({{ setTriggerValue }}) {{
  const drawn = {CHART_DRAWN_JS};
  let frame = 0, fallback = 0, retry = 0;
  const ask = () => {{
    cancelAnimationFrame(frame);
    clearTimeout(fallback);
    retry = retry || setInterval(ask, {RETRY_MS});
    setTriggerValue("drawn", true);
  }};
  const watch = () => {{
    if (drawn()) ask();
    else frame = requestAnimationFrame(watch);
  }};
  frame = requestAnimationFrame(watch);
  fallback = setTimeout(ask, {FALLBACK_MS});
  return () => {{
    cancelAnimationFrame(frame);
    clearTimeout(fallback);
    clearInterval(retry);
  }};
}}
""",
)


def chart_first(cfg: Config, runs: list, first_run: bool) -> bool:
    """Whether this run draws only the race's chart: the session's first run, when the
    page opens on a race with a run to draw. Every later run draws the whole page."""
    return first_run and cfg.view == "race" and bool(runs)


def is_request(element_id: str) -> bool:
    """Whether an element's id is the request's: Streamlit ends a keyed element's id
    with ``-`` and its key."""
    return element_id.endswith(f"-{KEY}")


def controls_note(lang: str) -> None:
    """Where the controls will be: the sidebar is there from the start, so the chart
    keeps its width when they arrive."""
    st.sidebar.caption(t("controls_coming", lang))


def ask_for_rest() -> None:
    """The component that asks for the whole page once the chart is drawn."""
    _ASK_FOR_REST(key=KEY)
