"""Optimizer Lab: the Streamlit page. main() composes it; the maths lives elsewhere."""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
import streamlit as st

import optimizers
from ui import cache, controls, state
from viz import exports
from viz.config import Config
from viz.explain import explanation
from viz.lessons import LESSONS, LESSONS_BY_ID, lesson_url_query
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
    lesson_ui(lang)
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
    export_ui(cfg, key, runs, lang)
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


def lesson_ui(lang: str) -> None:
    chosen = st.session_state.get(state.LESSON)
    if chosen:
        lesson = LESSONS_BY_ID[chosen]
        st.info(
            f"**{lesson.title[lang]}** · {t('lesson_look_for', lang)}\n\n{lesson.look_for[lang]}"
        )


def formulas_ui(cfg: Config, lang: str) -> None:
    st.subheader(t("formulas", lang))
    for name in cfg.optimizers:
        label = optimizer_label(name, lang)
        st.markdown(f"**{label}**")
        st.latex(formula_latex(optimizers.get(name), cfg.hparams_of(name)))
        about = explanation(name, lang)
        with st.expander(f"{t('explain', lang)}: {label}"):
            st.markdown(f"**{t('explain.idea', lang)}.** {about['idea']}")
            st.markdown(f"**{t('explain.failure', lang)}.** {about['failure']}")
            if about["hparams"]:
                st.markdown(f"**{t('explain.hparams', lang)}.**")
                st.markdown("\n".join(f"- ${sym}$: {text}" for sym, text in about["hparams"]))


def export_ui(cfg: Config, key: tuple, runs: list, lang: str) -> None:
    st.subheader(t("export", lang))
    st.caption(t("export_help", lang))
    files = {
        "csv": ("trajectories.csv", "text/csv", lambda: exports.trajectories_csv(runs)),
        "json": (
            "trajectories.json",
            "application/json",
            lambda: exports.trajectories_json(runs, cfg),
        ),
        "html": (
            "optimizer-lab.html",
            "text/html",
            lambda: exports.standalone_html(cache.landscape(key, lang)),
        ),
        "python": ("optimizer_lab_run.py", "text/x-python", lambda: exports.python_snippet(cfg)),
    }
    for column, (kind, (name, mime, data)) in zip(
        st.columns(len(files)), files.items(), strict=True
    ):
        # Files are built only when clicked: the HTML carries plotly.js (~5 MB).
        column.download_button(
            t(f"export.{kind}", lang),
            data,
            file_name=name,
            mime=mime,
            help=t(f"export.{kind}_help", lang),
            on_click="ignore",
            width="stretch",
        )


def summary_ui(cfg: Config, runs: list, lang: str) -> None:
    st.subheader(t("summary", lang))
    fn = cfg.objective
    st.caption(t("global_min", lang, x=fn.x_min, f=fn.f_min))
    rows = [
        {
            t(f"col.{k}", lang): _cell(v, lang, "not_settled" if k == "settled" else "never")
            for k, v in row.items()
        }
        for row in summary_rows(fn, runs)
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _cell(value, lang: str, missing: str) -> str:
    """Table cells as text: six significant digits; ``missing`` names an empty cell."""
    if value is None:
        return t(missing, lang)
    return value if isinstance(value, str) else f"{value:.6g}"


def lessons_list_ui(lang: str) -> None:
    with st.expander(t("lessons", lang)):
        for n, lesson in enumerate(LESSONS, 1):
            query = urlencode(lesson_url_query(lesson, lang))
            st.markdown(f"{n}. [{lesson.title[lang]}](?{query})")


def link_ui(cfg: Config, lang: str) -> None:
    lessons_list_ui(lang)
    st.subheader(t("share", lang))
    st.caption(t("share_help", lang))
    st.code(state.share_url(cfg), language=None, wrap_lines=True)
    st.caption(t("embed_help", lang))
    st.code(state.share_url(cfg, embed=True), language=None, wrap_lines=True)


main()
