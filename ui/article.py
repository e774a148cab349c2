"""The article's figures, reproduced as galleries of small multiples."""

from __future__ import annotations

import streamlit as st


def article(lang: str) -> None:
    st.write("")
