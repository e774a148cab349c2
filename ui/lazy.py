"""Expanders whose content is built only while they are open."""

from __future__ import annotations

from collections.abc import Callable


def key(name: str) -> str:
    """The widget key of the lazy expander ``name`` ("adam", "alt.panels"): in session
    state it says whether that expander is open."""
    return f"open.{name}"


def expander(parent, label: str, name: str, draw: Callable[[], None]) -> None:
    """An expander under ``parent`` that calls ``draw`` for its content only while open.

    Opening or closing it reruns the page (Streamlit's ``on_change="rerun"``), and its
    key (``key(name)``) keeps it open across reruns. A closed one costs nothing: the optimizers'
    settings, the explanations and the charts' data tables were most of what the server
    built and the browser drew on every slider move, though nobody had them open."""
    box = parent.expander(label, key=key(name), on_change="rerun")
    if box.open:
        with box:
            draw()
