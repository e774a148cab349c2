"""Once per server process: what the app's server does beyond any one page."""

from __future__ import annotations

import functools
import gc


@functools.cache
def freeze_startup_objects() -> None:
    """Hide the objects alive once the app's modules are imported (NumPy, SciPy, pandas,
    Plotly, Streamlit and the app's own: about 140,000 objects) from the garbage
    collector. Called before the first page is built, so no session's objects and no
    cached figure are among them: those are collected as before.

    Streamlit runs a full collection after every rerun (``runner.postScriptGC``).
    Scanning those long-lived objects each time was about 0.1 s of every slider move,
    and with a class on one server it queued every student behind it."""
    gc.collect()
    gc.freeze()
