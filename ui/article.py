"""The article's figures, reproduced as galleries of small multiples."""

from __future__ import annotations

import streamlit as st

from ui import state
from viz import gallery
from viz.text import t


@st.cache_resource(max_entries=24, show_spinner=False)
def _gallery_figure(gallery_id: str, lang: str):
    g = gallery.get(gallery_id)
    return gallery.gallery_figure(g, gallery.run_gallery(g), lang)


@st.cache_resource(max_entries=4, show_spinner=False)
def _adam_comparison(lang: str):
    return gallery.adam_comparison(lang)


def article(lang: str) -> None:
    st.subheader(t("gallery.heading", lang))
    st.caption(t("gallery.intro", lang))
    chosen = state.segments(
        st, t("gallery.pick", lang), "gallery", lambda i: gallery.get(i).title[lang]
    )
    st.plotly_chart(_gallery_figure(chosen, lang), key="gallery_chart")
    st.info(gallery.get(chosen).note[lang])
    st.subheader(t("gallery.adam_heading", lang))
    fig, explanation = _adam_comparison(lang)
    st.plotly_chart(fig, key="adam_comparison")
    st.markdown(explanation)
