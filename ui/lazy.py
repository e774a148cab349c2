"""Expanders whose content is built only while they are open."""

from __future__ import annotations

from collections.abc import Callable


def expander(parent, label: str, key: str, draw: Callable[[], None]) -> None:
    """An expander under ``parent`` that calls ``draw`` for its content only while open.

    Opening or closing it reruns the page (Streamlit's ``on_change="rerun"``), and
    ``key`` keeps it open across reruns. A closed one costs nothing: the optimizers'
    settings, the explanations and the charts' data tables were most of what the server
    built and the browser drew on every slider move, though nobody had them open."""
    box = parent.expander(label, key=key, on_change="rerun")
    if box.open:
        with box:
            draw()
