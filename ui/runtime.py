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

    A full collection scanned them all: about 0.1 s of every slider move when Streamlit
    collected after every rerun (``runner.postScriptGC``, now off in
    .streamlit/config.toml), and still each time Python's own collector reaches its
    oldest generation."""
    gc.collect()
    gc.freeze()
