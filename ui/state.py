"""One Config, synced both ways: URL -> widgets on first load, widgets -> URL on every
run. Widget keys are the URL's names (``fn``, ``adam.lr``), so both speak alike."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

import streamlit as st

import optimizers
from viz.config import FUNCTION_IDS, LANGUAGES, VIEWS, Config, Notice, objective_of
from viz.lessons import LESSONS, LESSONS_BY_ID, lesson_config
from viz.text import t

DEFAULTS = Config()

LOADED, NOTICES, EMBED = "_loaded", "_notices", "_embed"
LESSON = "lesson"
CUSTOM_OK = "_custom_ok"  # (expr, lo, hi): the last typed function that worked


def hp_key(name: str, hp: str) -> str:
    return f"{name}.{hp}"


def browser_language() -> str:
    locale = (st.context.locale or "").lower()
    return "zh" if locale.startswith("zh") else "en"


def load() -> None:
    """On a session's first run, read the link into the widgets' state."""
    if st.session_state.get(LOADED):
        persist()
        return
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    cfg, notices = Config.from_query(params)
    if "lang" not in params:
        cfg = replace(cfg, lang=browser_language())
    st.session_state[NOTICES] = notices
    st.session_state[EMBED] = cfg.embed
    write(cfg)
    # A lesson's link opens with its "what to look for".
    same = [les.id for les in LESSONS if replace(lesson_config(les), lang=cfg.lang) == cfg]
    st.session_state[LESSON] = same[0] if same else ""
    st.session_state[LOADED] = True


# Widget keys of the view settings -> Config fields (the keys are the URL's names).
VIEW_FIELDS = {
    "ex": "explore",
    "sw.opt": "sweep_opt",
    "sw.y": "sweep_y",
    "sw.metric": "sweep_metric",
    "noise.opt": "noise_opt",
    "noise.k": "noise_k",
    "step": "step",
    "insp.opt": "inspect_opt",
    "gallery": "gallery",
}
VIEW = "view"  # the tabs; their state is the selected tab's (translated) label


def view_label(view: str, lang: str) -> str:
    return t(f"view.{view}", lang)


def view_id(label: str | None) -> str:
    for view in VIEWS:
        if label in (view_label(view, lang) for lang in LANGUAGES):
            return view
    return VIEWS[0]


def view_tabs(lang: str) -> dict:
    """The Race / Explore / Article tabs; only the open one's content is computed."""
    chosen = view_id(st.session_state.get(VIEW))
    st.session_state[VIEW] = view_label(chosen, lang)  # the language may have changed
    labels = [view_label(v, lang) for v in VIEWS]
    tabs = st.tabs(labels, key=VIEW, on_change="rerun")
    return dict(zip(VIEWS, tabs, strict=True))


def persist() -> None:
    """Keep the settings whose widgets are not drawn this run (another tab is open, or
    another function than the typed one): Streamlit forgets a widget's value after a run
    that did not draw it."""
    for key in (*VIEW_FIELDS, "expr", "lo", "hi"):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def on_language_change() -> None:
    """Write every choice back as its id. A choice widget's value travels as its shown
    label, and after the labels change language a stale one would come back as a
    value of its own."""
    ss = st.session_state
    lesson, pick = ss.get(LESSON, ""), ss.get("state_pick")
    write(current())
    ss[LESSON] = lesson if lesson in LESSONS_BY_ID else ""
    if pick is not None:
        ss["state_pick"] = pick


def write(cfg: Config) -> None:
    """Set every widget's value from ``cfg`` (before the widgets are drawn)."""
    ss = st.session_state
    ss[VIEW] = view_label(cfg.view, cfg.lang)
    for key, name in VIEW_FIELDS.items():
        ss[key] = getattr(cfg, name)
    ss["fn"], ss["x0"], ss["steps"] = cfg.function, float(cfg.start), cfg.steps
    ss["expr"], ss["lo"], ss["hi"] = cfg.expr, cfg.lo, cfg.hi
    ss[CUSTOM_OK] = (cfg.expr, cfg.lo, cfg.hi)
    ss["opt"], ss["log"], ss["lang"] = list(cfg.optimizers), cfg.log_scale, cfg.lang
    for name in optimizers.OPTIMIZERS:
        for hp, value in cfg.hparams_of(name).items():
            ss[hp_key(name, hp)] = value


def reset() -> None:
    write(Config(lang=st.session_state.get("lang", "en")))
    st.session_state[NOTICES] = []
    st.session_state[LESSON] = ""


def start_lesson() -> None:
    """Set every control as the chosen lesson says."""
    chosen = st.session_state[LESSON]
    if chosen in LESSONS_BY_ID:
        write(lesson_config(LESSONS_BY_ID[chosen], st.session_state.get("lang", "en")))
        st.session_state[NOTICES] = []


def fn_key() -> tuple[str, str, float, float]:
    return (st.session_state["fn"], *st.session_state[CUSTOM_OK])


def on_function_change() -> None:
    """A new function starts from its own x0: the old one may lie outside its bounds."""
    if st.session_state["fn"] in FUNCTION_IDS:
        st.session_state["x0"] = float(objective_of(*fn_key()).x0)


def current() -> Config:
    """The Config the widgets show now."""
    ss = st.session_state
    chosen = tuple(ss["opt"])
    hparams = {
        n: {hp.name: ss[hp_key(n, hp.name)] for hp in optimizers.get(n).hparams} for n in chosen
    }
    lang = ss["lang"] if ss["lang"] in LANGUAGES else "en"
    expr, lo, hi = ss[CUSTOM_OK]
    return Config(
        function=ss["fn"],
        expr=expr,
        lo=lo,
        hi=hi,
        x0=float(ss["x0"]),
        steps=int(ss["steps"]),
        optimizers=chosen,
        hparams=hparams,
        log_scale=bool(ss["log"]),
        lang=lang,
        embed=ss.get(EMBED, False),
        view=view_id(ss.get(VIEW)),
        **{name: ss.get(key, getattr(DEFAULTS, name)) for key, name in VIEW_FIELDS.items()},
    ).normalised()


def sync_url(cfg: Config) -> None:
    """Write ``cfg`` into the address bar; an unchanged URL writes nothing, so reruns
    add no history entries."""
    q = cfg.to_query()
    if q != st.query_params.to_dict():
        st.query_params.from_dict(q)


def share_url(cfg: Config, embed: bool = False) -> str:
    q = replace(cfg, embed=embed).to_query()
    if embed:
        q["embed"] = "true"  # Streamlit's own embed mode: no header or toolbar
    base = st.context.url or ""
    return base + ("?" + urlencode(q) if q else "")


def notices() -> list[Notice]:
    return st.session_state.get(NOTICES, [])
