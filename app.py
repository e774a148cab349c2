"""Optimizer Lab: the Streamlit page. main() composes it; the maths lives elsewhere."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import optimizers
from ui import cache, controls, state
from viz.config import Config
from viz.tables import formula_latex, summary_rows
from viz.text import optimizer_label, plain, t


def main() -> None:
    st.set_page_config(page_title="Optimizer Lab", page_icon="📉", layout="wide")
    state.load()
    if st.session_state.get(state.EMBED):
        embed_page()
        return
    lang = st.session_state["lang"]
    controls.sidebar(lang)
    cfg = state.current()
    state.sync_url(cfg)
    lang = cfg.lang
    st.title(t("title", lang))
    st.caption(t("tagline", lang))
    notices_ui(lang)
    if not cfg.optimizers:
        st.info(t("no_optimizer", lang))
        return
    key = cache.run_key(cfg)
    runs, errors = cache.runs(key, lang)
    for message in errors:
        st.error(message)
    if not runs:
        return
    st.latex(cfg.objective.latex)
    st.plotly_chart(cache.landscape(key, lang), key="landscape")
    panels_ui(cfg, key, runs, lang)
    formulas_ui(cfg, lang)
    summary_ui(cfg, runs, lang)
    link_ui(cfg, lang)


def embed_page() -> None:
    """Only the figure and its play controls, for slides and course pages."""
    cfg, _ = Config.from_query({k: st.query_params.get_all(k) for k in st.query_params})
    runs, errors = cache.runs(cache.run_key(cfg), cfg.lang)
    for message in errors:
        st.error(message)
    if runs:
        st.plotly_chart(cache.landscape(cache.run_key(cfg), cfg.lang), key="landscape")


def notices_ui(lang: str) -> None:
    notices = state.notices()
    if notices:
        lines = [
            t(f"notice.{n.reason}", lang, key=plain(n.key), detail=plain(n.detail)) for n in notices
        ]
        st.warning(t("notice_head", lang) + "\n\n" + "\n".join(f"- {x}" for x in lines))


def panels_ui(cfg: Config, key: tuple, runs: list, lang: str) -> None:
    st.subheader(t("panels", lang))
    fields = list(dict.fromkeys(f for r in runs for f in (r.traj.state or {})))
    state_key = None
    if fields:
        state_key = st.selectbox(
            t("state_pick", lang),
            fields,
            format_func=lambda f: t(f"state.{f}", lang),
            key="state_pick",
            help=t("state_pick_help", lang),
        )
    st.plotly_chart(cache.panels(key, lang, state_key, cfg.log_scale), key="panels")


def formulas_ui(cfg: Config, lang: str) -> None:
    st.subheader(t("formulas", lang))
    for name in cfg.optimizers:
        st.markdown(f"**{optimizer_label(name, lang)}**")
        st.latex(formula_latex(optimizers.get(name), cfg.hparams_of(name)))


def summary_ui(cfg: Config, runs: list, lang: str) -> None:
    st.subheader(t("summary", lang))
    fn = cfg.objective
    st.caption(t("global_min", lang, x=fn.x_min, f=fn.f_min))
    rows = summary_rows(fn, runs)
    table = pd.DataFrame(rows).rename(columns={c: t(f"col.{c}", lang) for c in rows[0]})
    st.dataframe(table, hide_index=True, width="stretch")


def link_ui(cfg: Config, lang: str) -> None:
    st.subheader(t("share", lang))
    st.caption(t("share_help", lang))
    st.code(state.share_url(cfg), language=None, wrap_lines=True)
    st.caption(t("embed_help", lang))
    st.code(state.share_url(cfg, embed=True), language=None, wrap_lines=True)


main()
