"""A chart's text alternative on the page: its sentence, and its data in an expander."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from ui import lazy
from viz.text import plain, t


def chart_alt(sentence: str, table: Callable[[], pd.DataFrame], lang: str, key: str) -> None:
    """``sentence`` under the chart, and the ``table`` of its data (built when opened);
    ``key`` names the chart."""
    st.caption(plain(sentence))
    data_table(table, lang, key)


def data_table(table: Callable[[], pd.DataFrame], lang: str, key: str) -> None:
    # A real HTML table: screen readers walk its rows and headers.
    lazy.expander(
        st, t("alt.table", lang), f"alt.{key}", lambda: st.table(table(), hide_index=True)
    )
