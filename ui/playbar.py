"""Play, pause, speed and step controls for the animated landscape, as HTML buttons and
a range input: Plotly's own are SVG that never takes focus, so the race could not be
started from the keyboard. The script drives the chart with ``Plotly.animate``, as
Plotly's buttons did, in the browser: playing costs no rerun."""

from __future__ import annotations

import html
import json
import zlib
from collections.abc import Sequence

import streamlit as st

from viz.figures import PLAY_SPEEDS, step_ticks
from viz.text import t

# The bar follows the chart in the same container: the script finds the chart as the
# nearest ``.js-plotly-plot`` before it.
_BAR = """
<div class="playbar" role="group" aria-label="{group}" data-run="{run}">
  <style>
    .playbar {{ display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem;
      font: inherit; color: #262730; }}
    .playbar .buttons {{ display: flex; flex-wrap: wrap; gap: .5rem; }}
    .playbar button {{ font: inherit; padding: .3rem .8rem; border-radius: .5rem;
      border: 1px solid #6b6b76; background: #fff; color: #262730; cursor: pointer; }}
    .playbar button:hover {{ border-color: #0b5cad; color: #0b5cad; }}
    .playbar button:focus-visible, .playbar input:focus-visible {{
      outline: 3px solid #0b5cad; outline-offset: 2px; }}
    .playbar .scrub {{ flex: 1 1 16rem; min-width: 12rem; }}
    .playbar output {{ display: block; font-weight: 600; }}
    .playbar input {{ width: 100%; margin: .25rem 0; accent-color: #0b5cad; }}
    .playbar .ticks {{ position: relative; height: 1.3em; margin: 0 8px; font-size: .85em; }}
    .playbar .ticks span {{ position: absolute; transform: translateX(-50%); }}
  </style>
  <div class="buttons">{buttons}</div>
  <div class="scrub">
    <output>{step} 0</output>
    <input type="range" min="0" max="{last}" value="0" step="1" aria-label="{step}"
      aria-valuetext="{step} 0">
    <div class="ticks" aria-hidden="true">{ticks}</div>
  </div>
</div>
<script>
(() => {{
  const bar = document.currentScript.previousElementSibling;
  const range = bar.querySelector("input"), shown = bar.querySelector("output");
  const word = {step_js};
  const graph = () => {{
    const all = Array.from(document.querySelectorAll(".js-plotly-plot"));
    return all.filter(g => g.compareDocumentPosition(bar) & Node.DOCUMENT_POSITION_FOLLOWING).pop();
  }};
  const frames = g => (g._transitionData && g._transitionData._frames) || [];
  const show = i => {{
    const name = (frames(graph())[i] || {{}}).name ?? String(i);
    range.value = i; shown.textContent = word + " " + name;
    range.setAttribute("aria-valuetext", word + " " + name);
  }};
  const follow = g => {{
    if (g.__playbar) return;
    g.__playbar = true;
    g.on("plotly_animatingframe", e => {{
      const i = frames(g).findIndex(f => f.name === e.name);
      if (i >= 0) show(i);
    }});
  }};
  const animate = (which, ms) => {{
    const g = graph();
    if (!g || !window.Plotly) return;
    follow(g);
    window.Plotly.animate(g, which, {{
      frame: {{duration: ms, redraw: false}}, fromcurrent: true, mode: "immediate",
      transition: {{duration: 0}},
    }});
  }};
  bar.querySelectorAll("button").forEach(b => b.addEventListener("click", () => {{
    if (b.dataset.ms) animate(null, Number(b.dataset.ms)); else animate([null], 0);
  }}));
  range.addEventListener("input", () => {{
    const g = graph(), f = g && frames(g)[Number(range.value)];
    if (f) animate([f.name], 0);
    show(Number(range.value));
  }});
}})();
</script>
"""


def _label(text: str) -> str:
    """A button's text with its leading symbol (▶, ❚❚) hidden from screen readers."""
    symbol, word = text.split(" ", 1)
    return f'<span aria-hidden="true">{html.escape(symbol)}</span> {html.escape(word)}'


def playbar(steps: Sequence[int], run: str, lang: str) -> None:
    """The controls for a figure's frames, which show ``steps``, drawn just after it.
    ``run`` names what the figure shows: a new figure (another run) redraws the bar, back
    at step 0."""
    if len(steps) < 2:
        return
    last = len(steps) - 1
    where = {s: i for i, s in enumerate(steps)}
    ticks = "".join(
        f'<span style="left: {100 * where[s] / last:.3f}%">{s}</span>'
        for s in step_ticks(steps[-1])
        if s in where
    )
    buttons = "".join(
        f'<button type="button" data-ms="{ms}">{_label(t(key, lang))}</button>'
        for key, ms in PLAY_SPEEDS
    )
    pause = f'<button type="button">{_label(t("pause", lang))}</button>'
    st.html(
        _BAR.format(
            group=html.escape(t("play_controls", lang)),
            run=f"{zlib.crc32(run.encode()):08x}",
            buttons=buttons + pause,
            step=html.escape(t("step", lang)),
            step_js=json.dumps(t("step", lang)).replace("<", "\\u003c"),
            last=last,
            ticks=ticks,
        ),
        unsafe_allow_javascript=True,
    )
