"""A chart's text alternative on the page: its sentence, and its data in an expander."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from viz.text import plain, t


def chart_alt(sentence: str, table: pd.DataFrame, lang: str) -> None:
    st.caption(plain(sentence))
    data_table(table, lang)


def data_table(table: pd.DataFrame, lang: str) -> None:
    with st.expander(t("alt.table", lang)):
        # A real HTML table: screen readers walk its rows and headers.
        st.table(table, hide_index=True)
