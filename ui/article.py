"""The Article view: its 170 runs as paged galleries, and the article, checked."""

from __future__ import annotations

import functools
from dataclasses import replace

import pyarrow as pa
import streamlit as st

from ui import alt, state
from viz import checked, describe, gallery
from viz.config import Config
from viz.figures import Run
from viz.text import t

COLUMNS = 3  # panels a row; Streamlit stacks them on a phone
# The two adaptive sweeps' ε formula, as torch computes it (seed notes wrote ε inside).
EPS_LATEX = r"x_t = x_{t-1} - \frac{\eta}{\sqrt{r_t} + \epsilon}\, g_t"
# Each sweep's checks: (the claim's text key, the measurements' text keys).
CHECKS = {
    "gd": (("gd", ("gd",)), ("py2", ("py2",))),
    "momentum": (("momentum", ("momentum",)),),
    "adagrad": (("adagrad", ("eps", "adagrad")),),
    "rmsprop": (("rmsprop", ("eps", "rmsprop")),),
    "adam": (("adam", ("adam",)), ("adam999", ("adam999",))),
    "newton_reg": (("newton", ("newton",)),),
}


@st.cache_resource(max_entries=512, show_spinner=False)
def _panel(gallery_id: str, i: int, look: str, lang: str):
    g = gallery.get(gallery_id)
    return gallery.panel_figure(g, checked.runs(gallery_id), i, look, lang)


@st.cache_resource(max_entries=1, show_spinner=False)
def _adam_runs():
    return gallery.adam_comparison_runs()


@st.cache_resource(max_entries=4, show_spinner=False)
def _adam_comparison(lang: str):
    return gallery.adam_comparison(lang)


def _race(g: gallery.Gallery, i: int) -> None:
    state.start(state.config().race_panel(g.id, i))


def article(lang: str) -> None:
    cfg = state.config()
    st.subheader(t("gallery.heading", lang))
    st.caption(t("gallery.intro", lang, runs=gallery.RUNS))
    chosen = state.segments(
        st, t("gallery.pick", lang), "gallery", lambda i: gallery.get(i).name[lang]
    )
    g = gallery.get(chosen)
    st.markdown(f"**{g.title[lang]}**")
    look = state.segments(st, t("gallery.style", lang), "gstyle", lambda s: _style(s, lang))
    st.caption(t("gallery.style_help", lang))
    n = len(g.values)
    i = min(state.config().panel, n - 1)
    st.slider(
        t("gallery.panel", lang),
        0,
        n - 1,
        help=t("gallery.panel_help", lang),
        **state.bind("panel", i),
    )
    panels_ui(g, i, look, lang)
    traj = checked.runs(g.id)
    labels = [g.label(k) for k in range(n)]
    alt.chart_alt(
        describe.gallery_sentence(labels, traj, lang),
        lambda: describe.gallery_table(labels, traj, lang),
        lang,
        "gallery",
    )
    focus_ui(cfg, g, i, lang)
    checked_ui(g, lang)


def _style(look: str, lang: str) -> str:
    return t(f"gallery.style.{look}", lang)


def panels_ui(g: gallery.Gallery, i: int, look: str, lang: str) -> None:
    page = [k for k in gallery.page_of(i) if k < len(g.values)]
    st.caption(t("gallery.page", lang, first=page[0], last=page[-1], n=len(g.values)))
    for row in range(0, len(page), COLUMNS):
        columns = st.columns(COLUMNS)
        for column, k in zip(columns, page[row : row + COLUMNS], strict=False):
            with column.container(border=k == i):
                st.plotly_chart(
                    _panel(g.id, k, look, lang),
                    key=f"panel_{k}",
                    config={"displayModeBar": False},
                )


def focus_ui(cfg: Config, g: gallery.Gallery, i: int, lang: str) -> None:
    """The focused panel: what it did, a button that races it, and its link."""
    traj = checked.runs(g.id)
    step = int(traj.diverged_at[i])
    end = (
        t("diverged_at", lang, step=step)
        if step >= 0
        else t("ended_at", lang, x=float(traj.x_final[i]))
    )
    st.markdown(t("gallery.focus", lang, i=i, label=g.label(i), end=end))
    left, right = st.columns(2)
    left.button(
        t("gallery.race", lang),
        help=t("gallery.race_help", lang),
        on_click=_race,
        args=(g, i),
        key="race_panel",
    )
    url = state.share_url(replace(cfg, view="article", gallery=g.id, panel=i))
    right.markdown(f"[{t('gallery.link', lang)}]({url})")
    links = " · ".join(
        f"[{other.title[lang]}]({state.share_url(replace(cfg, view='article', gallery=other.id, panel=0))})"
        for other in gallery.GALLERIES
    )
    st.caption(links)


def checked_ui(g: gallery.Gallery, lang: str) -> None:
    """The sweep's claims, each beside what its runs measure (``viz.checked``)."""
    st.subheader(t("checked.heading", lang))
    facts = checked.facts(g.id)
    for claim, measured in CHECKS[g.id]:
        st.markdown(
            f"**{t('checked.says', lang)}** {t(f'checked.{claim}.claim', lang)}\n\n"
            f"**{t('checked.measured', lang)}** "
            + " ".join(t(f"checked.{m}.measured", lang, **facts) for m in measured)
        )
        if "eps" in measured:
            st.latex(EPS_LATEX)
            st.caption(t("checked.eps_formula", lang))
        if claim == "adam":
            rows = [
                {t(f"checked.col.{k}", lang): f"{v:.6g}" for k, v in row.items()}
                for row in checked.adam_rows()
            ]
            st.dataframe(pa.Table.from_pylist(rows), hide_index=True, height=240)
        if claim == "adam999":
            fig, explanation = _adam_comparison(lang)
            st.plotly_chart(fig, key="adam_comparison")
            st.markdown(explanation)
            # The explanation above is the chart's sentence; here is its data.
            article_run, correct_run = _adam_runs()
            runs = [
                Run("adam_article", t("gallery.adam_article", lang), article_run),
                Run("adam", t("gallery.adam_correct", lang), correct_run),
            ]
            alt.data_table(
                functools.partial(describe.runs_table, runs, lang), lang, "adam_overflow"
            )
