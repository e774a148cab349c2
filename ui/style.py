"""Page-wide fixes for small screens and keyboards: what Streamlit's theme cannot say."""

from __future__ import annotations

import streamlit as st

from ui import chart_redraws

# Charts of many panels: on a phone their titles and ticks would collide, so they keep
# a readable width and scroll sideways in their own box.
WIDE_CHARTS = ("adam_comparison",)
WIDE_MIN_PX = 900
PRESENT_PX = 22  # text in presentation mode (Streamlit's is 16, its captions 14)

_CSS = """
<style>
/* A mark that this style is in force, for tests to wait on. */
:root { --page-style: 1; }
/* A formula wider than its box scrolls in it, with a scrollbar that shows it does. */
.katex-display { overflow-x: auto; overflow-y: hidden; scrollbar-width: thin;
  padding-bottom: .3rem; }
/* Captions: Streamlit draws them in the text colour at opacity 0.6, 3.9:1 on white;
   WCAG AA asks 4.5:1. A grey of their own, opaque (at 0.6 this grey was 2.67:1). */
[data-testid="stCaptionContainer"] { opacity: 1 !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { color: #5c5d66 !important; }
[data-scrollable]:focus-visible { outline: 3px solid #0b5cad; outline-offset: 2px; }
@media (max-width: 640px) {
  %(boxes)s { overflow-x: auto; scrollbar-width: thin; }
  %(inner)s { min-width: %(min)dpx; }
}
</style>
"""

# A box that scrolls sideways must be reachable from the keyboard (WCAG 2.1.1): give
# each such box, once its content overflows it, a place in the tab order.
_SCRIPT = """
<script>
(() => {
  const boxes = %(boxes)s;
  let queued = false;
  const mark = () => {
    queued = false;
    document.querySelectorAll(boxes).forEach(box => {
      if (box.scrollWidth > box.clientWidth + 1 && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-scrollable", "");
      }
    });
  };
  // In the frame a box lands, so it is never seen without its tab stop; at most once a
  // frame, and not for a playing chart's own redraws (the chart and its play bar).
  const later = () => { if (!queued) { queued = true; requestAnimationFrame(mark); } };
  const busy = ".js-plotly-plot, .playbar";
  new MutationObserver(records => {
    if (records.some(r => !r.target.closest(busy))) later();
  }).observe(document.body, {childList: true, subtree: true});
  window.addEventListener("resize", later);
  later();
})();
</script>
"""


# Presentation mode: the main column's text as large as the charts'. The sidebar keeps
# its size: at large type its narrow controls would cut their values short.
_PRESENT_CSS = f"""<style>
[data-testid="stMain"] :is([data-testid="stMarkdownContainer"], [data-testid="stCaptionContainer"],
  [data-testid="stTab"], [data-testid="stWidgetLabel"], .playbar) :is(p, li, output) {{
  font-size: {PRESENT_PX}px !important; }}
[data-testid="stMain"] .katex {{ font-size: 1.5em; }}
</style>"""


def page_style(present: bool = False) -> None:
    """Inject the page's CSS, the script that makes scrolling boxes focusable and the one
    that draws each chart once per change (ui.chart_redraws); in presentation mode,
    large type."""
    boxes = ", ".join(f".st-key-{key}" for key in WIDE_CHARTS)
    inner = ", ".join(f".st-key-{key} > div" for key in WIDE_CHARTS)
    scrolling = f'".katex-display, {boxes}"'
    # One element in the page, not a style-only one: those go to the event container,
    # which a rerun may clear.
    st.html(
        _CSS % {"boxes": boxes, "inner": inner, "min": WIDE_MIN_PX}
        + _SCRIPT % {"boxes": scrolling}
        + chart_redraws.SCRIPT
        + (_PRESENT_CSS if present else ""),
        unsafe_allow_javascript=True,
    )
