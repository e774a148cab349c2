"""Explore: sweep maps, basins of attraction, noise ensembles, Newton's model, steps."""

from __future__ import annotations

import streamlit as st

from viz.config import Config


def explore(cfg: Config, runs: list, lang: str) -> None:
    st.write("")
