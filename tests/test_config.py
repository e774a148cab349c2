"""Config <-> URL: the round trip is the identity, and no link can break parsing."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import optimizers
from errors import LabError
from viz import gallery
from viz.config import (
    ALL_FUNCTION_IDS,
    ALL_OPTIMIZERS,
    CUSTOM,
    EXPLORE_VIEWS,
    GALLERY_IDS,
    LANGUAGES,
    MAX_ENSEMBLE,
    MAX_UI_STEPS,
    MIN_UI_STEPS,
    NOISE_OPTIMIZERS,
    SWEEP_METRICS,
    SWEEP_OPTIMIZERS,
    VIEWS,
    Config,
    objective_of,
    sweep_axes,
)
from viz.gallery import STYLES


def _hp_value(hp):
    if hp.kind == "bool":
        return st.booleans()
    if hp.kind == "choice":
        return st.sampled_from(hp.choices)
    if hp.kind == "int":
        return st.integers(int(hp.lo), int(hp.hi))
    return st.floats(hp.lo, hp.hi, allow_nan=False)


CUSTOM_EXPRS = ["x^2", "sin(3x) + 0.1x^2", "x**4 - 3*x**2 + x", "log(x)", "abs(x) - 2cos(x)"]


@st.composite
def configs(draw):
    fn = draw(st.sampled_from(ALL_FUNCTION_IDS))
    expr, flo, fhi = draw(st.sampled_from(CUSTOM_EXPRS)), -3.0, 3.0
    if fn == CUSTOM and draw(st.booleans()):
        flo = draw(st.floats(0.5, 50).map(lambda v: -v if expr != "log(x)" else v / 100))
        fhi = draw(st.floats(flo + 0.5, flo + 100))
    lo, hi = objective_of(fn, expr, flo, fhi).bounds
    chosen = tuple(draw(st.lists(st.sampled_from(sorted(ALL_OPTIMIZERS)), min_size=1, unique=True)))
    hparams = {}
    for name in chosen:
        specs = optimizers.get(name).hparams
        hparams[name] = {hp.name: draw(_hp_value(hp)) for hp in specs if draw(st.booleans())}
    steps = draw(st.integers(MIN_UI_STEPS, MAX_UI_STEPS))
    kinds = sorted(optimizers.SCHEDULES)
    schedule = draw(st.sampled_from(kinds))
    schedule_params = {}  # the shown kind's, and others' kept from before
    for kind in {schedule, *draw(st.lists(st.sampled_from(kinds), max_size=3))}:
        specs = optimizers.SCHEDULES[kind].params
        schedule_params[kind] = {p.name: draw(_hp_value(p)) for p in specs if draw(st.booleans())}
    sweep_opt = draw(st.sampled_from(SWEEP_OPTIMIZERS))
    gallery_id = draw(st.sampled_from(GALLERY_IDS))
    return Config(
        function=fn,
        expr=expr,
        lo=flo,
        hi=fhi,
        x0=draw(st.none() | st.floats(lo, hi)),
        steps=steps,
        optimizers=chosen,
        hparams=hparams,
        schedule=schedule,
        schedule_params=schedule_params,
        tuned=draw(st.booleans()),
        log_scale=draw(st.booleans()),
        lang=draw(st.sampled_from(LANGUAGES)),
        embed=draw(st.booleans()),
        view=draw(st.sampled_from(VIEWS)),
        explore=draw(st.sampled_from(EXPLORE_VIEWS)),
        sweep_opt=sweep_opt,
        sweep_y=draw(st.sampled_from(sweep_axes(sweep_opt, schedule))),
        sweep_metric=draw(st.sampled_from(SWEEP_METRICS)),
        noise_opt=draw(st.sampled_from(NOISE_OPTIMIZERS)),
        noise_k=draw(st.integers(2, MAX_ENSEMBLE)),
        step=draw(st.integers(1, steps)),
        inspect_opt=draw(st.sampled_from(sorted(optimizers.OPTIMIZERS))),
        gallery=gallery_id,
        gallery_style=draw(st.sampled_from(STYLES)),
        panel=draw(st.integers(0, len(gallery.get(gallery_id).values) - 1)),
    ).normalised()


@settings(max_examples=300, deadline=None)
@given(configs())
def test_round_trip_is_identity(cfg):
    query = cfg.to_query()
    assert all(isinstance(v, str) for v in query.values())
    back, notices = Config.from_query(query)
    assert notices == []
    assert back == cfg


def test_defaults_make_an_empty_query():
    assert Config().to_query() == {}


def test_only_non_defaults_are_written():
    cfg = Config().with_hparam("adam", "lr", 0.5).with_hparam("adam", "beta1", 0.9)
    assert cfg.to_query() == {"adam.lr": "0.5"}


def _valid(cfg: Config) -> None:
    fn = cfg.objective
    assert cfg.sweep_y in sweep_axes(cfg.sweep_opt, cfg.schedule)
    assert 1 <= cfg.step <= cfg.steps and 2 <= cfg.noise_k <= MAX_ENSEMBLE
    assert fn.bounds[0] <= cfg.start <= fn.bounds[1]
    assert MIN_UI_STEPS <= cfg.steps <= MAX_UI_STEPS
    assert cfg.lang in LANGUAGES
    for name in cfg.optimizers:
        for hp in optimizers.get(name).hparams:
            v = cfg.hparams_of(name)[hp.name]
            if hp.kind == "bool":
                assert isinstance(v, bool)
            else:
                assert math.isfinite(v) and hp.lo <= v <= hp.hi
    kind = optimizers.SCHEDULES[cfg.schedule]
    for p in kind.params:
        v = cfg.schedule_of(cfg.schedule)[p.name]
        assert v in p.choices if p.kind == "choice" else p.lo <= v <= p.hi
    # Whatever the link held, the runs can start, or say why OneCycleLR cannot.
    for name in cfg.optimizers:
        try:
            optimizers.run(
                name, fn, cfg.start, 5, schedule=cfg.schedule_for(name), **cfg.hparams_of(name)
            )
        except LabError as e:
            assert e.code in ("onecycle_too_short", "onecycle_phases"), e


KEYS = [
    "fn",
    "x0",
    "steps",
    "opt",
    "log",
    "lang",
    "mode",
    "adam.lr",
    "adam.beta2",
    "momentum.nesterov",
    "sgd.seed",
    "minibatch.batch_size",
    "newton_reg.alpha",
    "sched",
    "sched.cosine.T_max",
    "sched.onecycle.anneal_strategy",
    "sched.onecycle.three_phase",
    "sched.exponential.gamma",
    "tuned",
    "zzz",
]


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(KEYS) | st.text(max_size=20),
        st.text(max_size=80) | st.lists(st.text(max_size=10), max_size=3),
        max_size=8,
    )
)
def test_arbitrary_queries_never_raise(params):
    params = {**params, "opt": params.get("opt", "adam,momentum,sgd,minibatch,newton_reg")}
    if "expr" in params:
        params["fn"] = CUSTOM
    cfg, notices = Config.from_query(params)
    _valid(cfg)
    assert all(n.reason for n in notices)


@pytest.mark.parametrize(
    ("params", "reason", "expect"),
    [
        ({"adam.lr": "abc", "opt": "adam"}, "not_a_number", {}),
        ({"adam.lr": "nan", "opt": "adam"}, "not_finite", {}),
        ({"adam.lr": "-inf", "opt": "adam"}, "not_finite", {}),
        ({"adam.lr": "1e300", "opt": "adam"}, "clamped", {"adam.lr": "100"}),
        ({"steps": "3.5"}, "not_integer", {}),
        ({"steps": "99999999"}, "clamped", {"steps": "5000"}),
        ({"x0": "1e9"}, "clamped", {"x0": "20"}),
        ({"fn": "<script>alert(1)</script>"}, "unknown_choice", {}),
        ({"opt": "zzz"}, "unknown_optimizer", {}),
        ({"lang": "xx"}, "unknown_choice", {}),
        ({"log": "maybe"}, "not_a_flag", {}),
        ({"steps": ""}, "empty", {}),
        ({"steps": "1" * 10_000}, "too_long", {}),
        ({"steps": ["100", "200"]}, "repeated", {"steps": "200"}),
        ({"sched": "warp"}, "unknown_choice", {}),
        ({"sched.cosine.T_max": "0"}, "clamped", {"sched.cosine.T_max": "1"}),
        ({"sched.cosine.T_max": "2.5"}, "not_integer", {}),
        ({"sched.exponential.gamma": "7"}, "clamped", {"sched.exponential.gamma": "0.9999"}),
        ({"sched.step.gamma": "-1e400"}, "not_finite", {}),
        ({"sched.onecycle.anneal_strategy": "sine"}, "unknown_choice", {}),
        ({"sched.onecycle.three_phase": "maybe"}, "not_a_flag", {}),
        ({"sched.onecycle.div_factor": "0"}, "clamped", {"sched.onecycle.div_factor": "1"}),
        ({"tuned": "perhaps"}, "not_a_flag", {}),
    ],
)
def test_hostile_values_fall_back_with_a_notice(params, reason, expect):
    cfg, notices = Config.from_query(params)
    assert reason in [n.reason for n in notices]
    query = cfg.to_query()
    query.pop("opt", None)
    assert query == expect


def test_unknown_keys_are_ignored_silently():
    cfg, notices = Config.from_query({"utm_source": "chat", "adam.zzz": "1"})
    assert cfg == Config() and notices == []


def test_exact_floats_survive_the_link():
    lr = 0.1 + 0.2  # 0.30000000000000004: the link must not round it
    cfg = Config(optimizers=("adam",)).with_hparam("adam", "lr", lr)
    back, _ = Config.from_query(cfg.to_query())
    assert back.hparams_of("adam")["lr"] == lr


def test_a_schedule_survives_the_link_and_keeps_other_kinds():
    cfg = (
        Config(schedule="warmup_cosine", tuned=True)
        .with_schedule_param("warmup_cosine", "T_max", 640)
        .with_schedule_param("warmup_cosine", "start_factor", 0.1 + 0.2)
        .with_schedule_param("onecycle", "anneal_strategy", "linear")
        .with_schedule_param("onecycle", "three_phase", True)
    )
    query = cfg.to_query()
    assert query == {
        "sched": "warmup_cosine",
        "sched.warmup_cosine.start_factor": "0.30000000000000004",
        "sched.warmup_cosine.T_max": "640",
        "sched.onecycle.anneal_strategy": "linear",
        "sched.onecycle.three_phase": "1",
        "tuned": "1",
    }
    back, notices = Config.from_query(query)
    assert notices == [] and back == cfg
    assert back.lr_schedule == optimizers.schedule(
        "warmup_cosine", T_max=640, start_factor=0.1 + 0.2
    )
    # A schedule's own default is not written.
    assert Config().with_schedule_param("cosine", "T_max", 1000).to_query() == {}


def test_runs_read_the_schedule_only_where_there_is_an_lr():
    cfg = Config(schedule="cosine", optimizers=("adam", "newton"))
    assert cfg.runs_of(("newton",)) == Config(optimizers=("newton",))
    assert cfg.runs_of(("adam",)).schedule == "cosine"
    assert cfg.schedule_for("newton") is None
    assert cfg.schedule_for("adam") == optimizers.schedule("cosine")


def test_every_gallery_panel_has_a_link():
    """Each of the 170 panels, in either style, is one link, and a link's panel beyond its
    gallery is clamped to the last panel."""
    for g in gallery.GALLERIES:
        for i in range(len(g.values)):
            for look in STYLES:
                cfg = Config(view="article", gallery=g.id, gallery_style=look, panel=i)
                query = cfg.to_query()
                assert query.get("gallery", GALLERY_IDS[0]) == g.id
                assert Config.from_query(query) == (cfg, [])
    cfg, notices = Config.from_query({"gallery": "gd", "panel": "40"})
    assert cfg.panel == 9 and [n.reason for n in notices] == ["clamped"]
    # Choosing another gallery starts it at its first panel.
    assert Config(gallery="adam", panel=40).set("gallery", "gd").panel == 0


def test_racing_any_panel_is_a_link_to_exactly_its_run():
    """All 170 panels: the raced Config survives its link unclamped, and runs the
    panel's optimizer with the panel's hyperparameters from the gallery's start."""
    for g in gallery.GALLERIES:
        for i in range(len(g.values)):
            cfg = Config(gallery=g.id, panel=i).race_panel(g.id, i)
            assert Config.from_query(cfg.to_query()) == (cfg, [])
            assert cfg.optimizers == (g.optimizer,) and cfg.view == "race"
            assert (cfg.function, cfg.start, cfg.steps) == ("article_code", -20.0, 1000)
            assert {k: cfg.hparams_of(g.optimizer)[k] for k in g.hparams(i)} == g.hparams(i)
