"""Optimizer Lab: the Streamlit page. main() composes it; the maths lives elsewhere."""

from __future__ import annotations

import math
from urllib.parse import urlencode

import numpy as np
import streamlit as st

from ui import (
    article,
    cache,
    controls,
    explore,
    first_paint,
    lazy,
    race,
    runtime,
    share,
    slots,
    state,
    style,
)
from viz.config import Config
from viz.lessons import LESSONS, LESSONS_BY_ID, lesson_url_query
from viz.text import error_text, plain, t


def main() -> None:
    first_run = state.load()
    cfg = state.config()
    lang = cfg.lang
    st.set_page_config(page_title=t("title", lang), page_icon="📉", layout="wide")
    style.page_style(cfg.present)
    if cfg.embed:
        embed_page(cfg)
        return
    runs, errors = cache.runs(cfg.runs_of(), lang)
    chart_first = first_paint.chart_first(cfg, runs, first_run)
    if chart_first:
        first_paint.controls_note(lang)
    else:
        controls.sidebar(cfg, lang)
    state.sync_url(cfg)
    st.title(t("title", lang))
    st.caption(t("tagline", lang))
    with slots.slot():
        notices_ui(lang)
        lesson_ui(lang)
        if not cfg.optimizers:
            st.info(t("no_optimizer", lang))
        for message in errors:
            st.error(message)
    if not runs:
        return
    st.latex(cfg.objective.latex)
    with slots.slot():
        start_ui(cfg, lang)
    views = state.view_tabs(lang)
    if chart_first:
        race.landscape_ui(cfg, lang)
        first_paint.ask_for_rest()
        return
    if views["race"].open:
        race.race(cfg, runs, lang)
    if views["explore"].open:
        explore.explore(cfg, lang)
    if views["article"].open:
        article.article(lang)
    link_ui(cfg, lang)


def start_ui(cfg: Config, lang: str) -> None:
    """Say so when the start is a point where f or f' is undefined (log(x) at x0 < 0):
    every run stops at step 1 there and no marker can be drawn."""
    fn, x0 = cfg.objective, cfg.start
    with np.errstate(all="ignore"):
        f, slope = float(fn.f(np.float64(x0))), float(fn.df(np.float64(x0)))
    if not math.isfinite(f):
        st.warning(t("start_undefined", lang, x=x0))
    elif not math.isfinite(slope):
        st.warning(t("slope_undefined", lang, x=x0))


def embed_page(cfg: Config) -> None:
    """Only the figure and its play controls, for slides and course pages."""
    runs, errors = cache.runs(cfg.runs_of(), cfg.lang)
    for message in errors:
        st.error(message)
    if runs:
        race.landscape_ui(cfg, cfg.lang)


def notices_ui(lang: str) -> None:
    notices = state.notices()
    if notices:
        lines = [
            t(
                f"notice.{n.reason}",
                lang,
                key=plain(n.key),
                detail=plain(error_text(n.detail, lang)),
            )
            for n in notices
        ]
        st.warning(t("notice_head", lang) + "\n\n" + "\n".join(f"- {x}" for x in lines))


def lesson_ui(lang: str) -> None:
    chosen = state.lesson()
    if chosen:
        lesson = LESSONS_BY_ID[chosen]
        st.info(
            f"**{lesson.title[lang]}** · {t('lesson_look_for', lang)}\n\n{lesson.look_for[lang]}"
        )


def lessons_list_ui(lang: str) -> None:
    lazy.expander(st, t("lessons", lang), "lessons", lambda: lessons_list(lang))


def lessons_list(lang: str) -> None:
    st.markdown(
        "\n".join(
            f"{n}. [{lesson.title[lang]}](?{urlencode(lesson_url_query(lesson, lang))})"
            for n, lesson in enumerate(LESSONS, 1)
        )
    )


def link_ui(cfg: Config, lang: str) -> None:
    lessons_list_ui(lang)
    st.subheader(t("share", lang))
    st.caption(t("share_help", lang))
    share.link(state.share_url(cfg), "copy_link", lang)
    st.caption(t("embed_help", lang))
    share.link(state.share_url(cfg, embed=True), "copy_embed", lang)


runtime.freeze_startup_objects()
main()
