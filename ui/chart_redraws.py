"""Each chart drawn once per change, as the page script ``SCRIPT`` (ui.style puts it in
the page).

Streamlit's chart element, on every new figure, draws it with ``Plotly.react``, then
re-applies its theme to the chart's state: a JSON round trip of the figure, handed to
``Plotly.react`` again. For the worst case's race (ten optimizers at 5,000 steps) this
pair took about a quarter of the browser's time after a slider move (the page redrawn
in a median 2.4 s with it, 1.8 s without, ten moves each taking turns on two servers),
in two ways:

- Plotly decodes each typed array it is sent (``{dtype, bdata}``) and keeps the decoded
  copy on it, as ``_inputArray``. JSON has no typed arrays, so the round trip wrote each
  copy as an object keyed by index: 4.4 times the figure's text (5 MB for the panels),
  parsed back into objects of thousands of keys. A typed array that Plotly decoded
  (one that carries its ``bdata``) is now left out of JSON: its spec beside it still
  holds the bytes.
- The second ``Plotly.react`` redrew the chart with what it already showed. A call whose
  figure equals what the chart holds (same config, same data, layout and frames; a size
  equal to the one drawn) now does nothing but record that size.
"""

from __future__ import annotations

SCRIPT = """
<script>
(() => {
  const typed = Object.getPrototypeOf(Int8Array.prototype);
  if (!Object.prototype.hasOwnProperty.call(typed, "toJSON")) {
    Object.defineProperty(typed, "toJSON", { configurable: true, writable: true,
      value() { return "bdata" in this ? undefined : { ...this }; } });
  }
  const skipRepeats = plotly => {
    if (!plotly || !plotly.react || plotly.react.skipsRepeats) return plotly;
    const react = plotly.react, configs = new WeakMap();
    const shows = (gd, fig) => {
      if (!fig || !fig.data || !gd.data || configs.get(gd) !== fig.config) return false;
      const frames = (gd._transitionData && gd._transitionData._frames) || [];
      // The chart's own figure handed back (Streamlit keeps it after each draw).
      if (fig.data === gd.data && fig.layout === gd.layout && fig.frames === frames) return true;
      const drawn = gd._fullLayout || {};
      const sized = layout => ({ ...layout,
        width: layout.width === drawn.width ? undefined : layout.width,
        height: layout.height === drawn.height ? undefined : layout.height });
      return JSON.stringify([fig.data, sized(fig.layout || {}), fig.frames || []])
        === JSON.stringify([gd.data, sized(gd.layout || {}), frames]);
    };
    plotly.react = function (gd, fig, ...rest) {
      if (shows(gd, fig)) {
        const layout = fig.layout || {};
        for (const k of ["width", "height"]) if (k in layout) gd.layout[k] = layout[k];
        return Promise.resolve(gd);
      }
      if (fig && fig.data) configs.set(gd, fig.config);
      return react.call(this, gd, fig, ...rest);
    };
    plotly.react.skipsRepeats = true;
    return plotly;
  };
  // Streamlit loads Plotly with the first chart, after this script has run.
  if (window.Plotly) skipRepeats(window.Plotly);
  else {
    let plotly;
    Object.defineProperty(window, "Plotly", { configurable: true, enumerable: true,
      get: () => plotly, set: value => { plotly = skipRepeats(value); } });
  }
})();
</script>
"""
