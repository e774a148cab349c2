"""Once per server process: what the app's server does beyond any one page."""

from __future__ import annotations

import functools
import gc


@functools.cache
def freeze_startup_objects() -> None:
    """Hide the objects alive after the first page (the imported NumPy, SciPy, pandas,
    Plotly and Streamlit, about 140,000 objects) from the garbage collector.

    Streamlit runs a full collection after every rerun (``runner.postScriptGC``). Scanning
    those long-lived objects each time was about 0.1 s of every slider move, and with a
    class on one server it queued every student behind it. Objects made later, such as a
    session's state and the caches' entries, are still collected as before."""
    gc.collect()
    gc.freeze()
