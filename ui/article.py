"""The article's figures, reproduced as galleries of small multiples."""

from __future__ import annotations

import streamlit as st

from ui import alt, state
from viz import describe, gallery
from viz.figures import Run
from viz.text import t


@st.cache_resource(max_entries=8, show_spinner=False)
def _gallery_run(gallery_id: str):
    return gallery.run_gallery(gallery.get(gallery_id))


@st.cache_resource(max_entries=24, show_spinner=False)
def _gallery_figure(gallery_id: str, lang: str):
    return gallery.gallery_figure(gallery.get(gallery_id), _gallery_run(gallery_id), lang)


@st.cache_resource(max_entries=1, show_spinner=False)
def _adam_runs():
    return gallery.adam_comparison_runs()


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
    g, traj = gallery.get(chosen), _gallery_run(chosen)
    labels = [g.label(i) for i in range(len(g.values))]
    alt.chart_alt(
        describe.gallery_sentence(labels, traj, lang),
        describe.gallery_table(labels, traj, lang),
        lang,
    )
    st.info(g.note[lang])
    st.subheader(t("gallery.adam_heading", lang))
    fig, explanation = _adam_comparison(lang)
    st.plotly_chart(fig, key="adam_comparison")
    st.markdown(explanation)
    # The explanation above is the chart's sentence; here is its data.
    article_run, correct_run = _adam_runs()
    runs = [
        Run("adam_article", t("gallery.adam_article", lang), article_run),
        Run("adam", t("gallery.adam_correct", lang), correct_run),
    ]
    alt.data_table(describe.runs_table(runs, lang), lang)
