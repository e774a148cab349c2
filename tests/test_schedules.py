"""Learning-rate schedules against torch.optim.lr_scheduler itself, step for step (float64):
the lr each step uses and the x it reaches, for several optimizers, scalar and vectorised."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import functions
import optimizers
from errors import LabError
from viz import explore
from viz.config import Config

torch = pytest.importorskip("torch")
S = torch.optim.lr_scheduler
Lion = pytest.importorskip("lion_pytorch").Lion

STEPS = 300
FN = functions.get("article")

# (our kind, our parameters, torch's scheduler on an optimizer). Several cases cross a
# boundary inside STEPS: a drop, the cosine's trough (T_max < STEPS), a restart, the
# end of a warm-up, a one-cycle phase.
CASES = {
    "step": ("step", {"step_size": 40, "gamma": 0.5}, lambda o: S.StepLR(o, 40, gamma=0.5)),
    "exponential": ("exponential", {"gamma": 0.99}, lambda o: S.ExponentialLR(o, gamma=0.99)),
    "cosine": ("cosine", {"T_max": 300}, lambda o: S.CosineAnnealingLR(o, T_max=300)),
    "cosine-past-trough": (
        "cosine",
        {"T_max": 70, "eta_min": 0.01},
        lambda o: S.CosineAnnealingLR(o, T_max=70, eta_min=0.01),
    ),
    "restarts": (
        "restarts",
        {"T_0": 50, "T_mult": 2, "eta_min": 0.001},
        lambda o: S.CosineAnnealingWarmRestarts(o, T_0=50, T_mult=2, eta_min=0.001),
    ),
    "warmup": ("warmup", {}, lambda o: S.LinearLR(o)),
    "warmup-long": (
        "warmup",
        {"start_factor": 0.1, "end_factor": 0.5, "total_iters": 100},
        lambda o: S.LinearLR(o, start_factor=0.1, end_factor=0.5, total_iters=100),
    ),
    "warmup_cosine": (
        "warmup_cosine",
        {"start_factor": 0.2, "total_iters": 30, "T_max": 200, "eta_min": 0.005},
        lambda o: S.SequentialLR(
            o,
            [
                S.LinearLR(o, start_factor=0.2, total_iters=30),
                S.CosineAnnealingLR(o, T_max=200, eta_min=0.005),
            ],
            milestones=[30],
        ),
    ),
    "onecycle": (
        "onecycle",
        {"total_steps": 300},
        lambda o: S.OneCycleLR(
            o, max_lr=o.param_groups[0]["lr"], total_steps=300, cycle_momentum=False
        ),
    ),
    "onecycle-linear-three-phase": (
        "onecycle",
        {"total_steps": 320, "pct_start": 0.25, "anneal_strategy": "linear", "three_phase": True},
        lambda o: S.OneCycleLR(
            o,
            max_lr=o.param_groups[0]["lr"],
            total_steps=320,
            pct_start=0.25,
            anneal_strategy="linear",
            three_phase=True,
            div_factor=10.0,
            final_div_factor=100.0,
            cycle_momentum=False,
        ),
    ),
}
CASES["onecycle-linear-three-phase"][1].update(div_factor=10.0, final_div_factor=100.0)

OPTIMIZERS = {
    "gd": ({"lr": 0.05}, lambda ps: torch.optim.SGD(ps, lr=0.05)),
    "momentum": (
        {"lr": 0.01, "momentum": 0.9},
        lambda ps: torch.optim.SGD(ps, lr=0.01, momentum=0.9),
    ),
    "adam": ({"lr": 0.5}, lambda ps: torch.optim.Adam(ps, lr=0.5)),
    "adamw": (
        {"lr": 0.3, "weight_decay": 0.05},
        lambda ps: torch.optim.AdamW(ps, lr=0.3, weight_decay=0.05),
    ),
    # The newer optimizers read the scheduled lr the same way.
    "nadam": ({"lr": 0.5}, lambda ps: torch.optim.NAdam(ps, lr=0.5)),
    "radam": ({"lr": 0.5}, lambda ps: torch.optim.RAdam(ps, lr=0.5)),
    "adamax": ({"lr": 0.5}, lambda ps: torch.optim.Adamax(ps, lr=0.5)),
    "lion": ({"lr": 0.1}, lambda ps: Lion(ps, lr=0.1)),
}


def torch_run(make_opt, make_sched, x0: float, steps: int = STEPS):
    """The lr each step used and x after it: optimizer.step(), then scheduler.step()."""
    # torch keeps scalar state (NAdam's product of momentum coefficients) in the default
    # dtype: float64 throughout, as the runner computes.
    before = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        return _torch_run(make_opt, make_sched, x0, steps)
    finally:
        torch.set_default_dtype(before)


def _torch_run(make_opt, make_sched, x0: float, steps: int):
    p = torch.nn.Parameter(torch.tensor([x0], dtype=torch.float64))
    opt = make_opt([p])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SequentialLR's constructor warns about its own use
        sched = make_sched(opt)
    xs, lrs = [x0], []
    for _ in range(steps):
        lrs.append(opt.param_groups[0]["lr"])
        p.grad = torch.tensor([float(FN.df(np.float64(p.item())))], dtype=torch.float64)
        opt.step()
        sched.step()
        xs.append(p.item())
    return np.array(xs), np.array(lrs)


def assert_same_path(ours, theirs):
    """x to the last bit or two: torch's SGD step is one fused multiply-add (x - lr·g
    rounded once), ours rounds the product first, so a rare step differs by an ulp."""
    np.testing.assert_allclose(ours, theirs, rtol=1e-13, atol=0)


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("name", ["gd", "adam"])
def test_schedule_matches_torch_step_for_step(case, name):
    kind, params, make_sched = CASES[case]
    hp, make_opt = OPTIMIZERS[name]
    want_x, want_lr = torch_run(make_opt, make_sched, FN.x0)
    tr = optimizers.run(name, FN, steps=STEPS, schedule=optimizers.schedule(kind, **params), **hp)
    np.testing.assert_array_equal(tr.state["lr"], want_lr)
    assert_same_path(tr.x, want_x)


@pytest.mark.parametrize("name", ["momentum", "adamw", "nadam", "radam", "adamax", "lion"])
@pytest.mark.parametrize("case", ["warmup_cosine", "restarts", "onecycle"])
def test_schedule_matches_torch_for_more_optimizers(case, name):
    kind, params, make_sched = CASES[case]
    hp, make_opt = OPTIMIZERS[name]
    want_x, want_lr = torch_run(make_opt, make_sched, FN.x0)
    tr = optimizers.run(name, FN, steps=STEPS, schedule=optimizers.schedule(kind, **params), **hp)
    np.testing.assert_array_equal(tr.state["lr"], want_lr)
    assert_same_path(tr.x, want_x)


@pytest.mark.parametrize("case", ["cosine-past-trough", "warmup_cosine", "onecycle"])
def test_vectorised_sweep_equals_each_scalar_run(case):
    """A sweep over lr (and starts) under a schedule gives each run the digits of its own
    scalar run: the schedule's arithmetic on an lr array is elementwise."""
    kind, params, _ = CASES[case]
    sched = optimizers.schedule(kind, **params)
    lrs = np.geomspace(0.01, 3.0, 5)
    x0s = np.array([-20.0, 7.5])
    batch = optimizers.run("adam", FN, x0=x0s[:, None], steps=STEPS, schedule=sched, lr=lrs)
    for i, x0 in enumerate(x0s):
        for j, lr in enumerate(lrs):
            one = optimizers.run("adam", FN, x0=x0, steps=STEPS, schedule=sched, lr=lr)
            np.testing.assert_array_equal(batch.x[:, i, j], one.x)
            np.testing.assert_array_equal(batch.state["lr"][:, i, j], one.state["lr"])


def test_constant_schedule_is_no_schedule():
    plain = optimizers.run("adam", FN, steps=50, lr=0.3)
    constant = optimizers.run("adam", FN, steps=50, lr=0.3, schedule=optimizers.schedule())
    np.testing.assert_array_equal(plain.x, constant.x)
    assert constant.schedule is None and "lr" not in constant.state


def test_bad_schedules_are_refused_with_their_reason():
    with pytest.raises(LabError, match="allowed range"):
        optimizers.schedule("exponential", gamma=1.5)
    with pytest.raises(LabError, match="T_max"):
        optimizers.schedule("cosine", T_max=0)
    with pytest.raises(LabError, match="choose one of"):
        optimizers.schedule("onecycle", anneal_strategy="sine")
    with pytest.raises(LabError, match="it takes"):
        optimizers.schedule("step", T_max=3)
    short = optimizers.schedule("onecycle", total_steps=100)
    with pytest.raises(LabError) as e:
        optimizers.run("gd", FN, steps=200, schedule=short)
    assert e.value.code == "onecycle_too_short"
    with pytest.raises(LabError) as e:
        optimizers.run(
            "gd", FN, steps=10, schedule=optimizers.schedule("onecycle", pct_start=0.001)
        )
    assert e.value.code == "onecycle_phases"
    with pytest.raises(LabError) as e:
        optimizers.run("newton", FN, steps=10, schedule=optimizers.schedule("cosine"))
    assert e.value.code == "no_lr_to_schedule"


@pytest.mark.parametrize(
    ("kind", "axis"),
    [("exponential", "gamma"), ("warmup_cosine", "start_factor"), ("onecycle", "div_factor")],
)
def test_a_sweep_map_puts_a_schedule_parameter_on_an_axis(kind, axis):
    cfg = Config(steps=80, schedule=kind).with_schedule_param("onecycle", "total_steps", 80)
    sw = explore.sweep(cfg, "adam", f"sched.{axis}", n=6)
    assert sw.y[0] < sw.y[-1]
    for i in (0, 3, 5):
        for j in (0, 2, 5):
            params = {**cfg.schedule_of(kind), axis: float(sw.y[i])}
            one = optimizers.run(
                "adam", FN, steps=80, lr=sw.lr[j], schedule=optimizers.schedule(kind, **params)
            )
            assert sw.x_final[i, j] == one.x_final
    # A click on a cell races it: that lr, and the schedule with that parameter.
    cell = explore.sweep_config(cfg, "adam", f"sched.{axis}", sw.lr[2], sw.y[3])
    assert cell.schedule_of(kind)[axis] == sw.y[3]
    assert cell.hparams_of("adam")["lr"] == sw.lr[2]


def test_only_the_races_schedule_offers_its_parameters_as_axes():
    assert "sched.gamma" in explore.sweep_axes("adam", "exponential")
    assert not any(a.startswith("sched.") for a in explore.sweep_axes("adam"))
    with pytest.raises(LabError) as e:
        explore.sweep(Config(steps=20, schedule="cosine"), "adam", "sched.gamma")
    assert e.value.code == "bad_sweep_axis"
    # A parameter the schedule's arithmetic cannot take as an array is refused.
    with pytest.raises(LabError) as e:
        optimizers.schedule("cosine", T_max=np.array([10, 20]))
    assert e.value.code == "bad_sweep_axis"


def test_every_sweep_axis_id_has_a_label_whatever_the_schedule():
    from ui.explore import axis_label
    from viz.config import SETTINGS_BY_KEY

    for kind in optimizers.SCHEDULES:
        for axis in SETTINGS_BY_KEY["sw.y"].choices:
            for lang in ("en", "zh"):
                assert axis_label(Config(schedule=kind), axis, lang)
