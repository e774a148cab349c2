"""optimizers.run: validation, divergence as data, summary mode, shapes, the GD sweep."""

from __future__ import annotations

import math
import re
import warnings

import numpy as np
import pytest

import functions
import optimizers

ALL = list(optimizers.OPTIMIZERS)
MAX = optimizers.MAX_STEPS

# --- validation ---------------------------------------------------------------------------

BAD_CALLS = [
    (("adadelta",), {}, r"^Unknown optimizer 'adadelta'; choose one of gd, sgd, minibatch"),
    (("adam",), {"momentum": 0.9}, r"^Unknown hyperparameter 'momentum' for adam; it takes "),
    (("newton",), {"lr": 0.1}, r"^Unknown hyperparameter 'lr' for newton; it takes none$"),
    (("gd",), {"lr": -1.0}, r"^Invalid lr: \S*-1\.0\S*; allowed range \[0, inf\)$"),
    (("gd",), {"lr": np.array([0.1, -2.0])}, r"^Invalid lr: \S*-2\.0\S*; allowed range"),
    (("gd",), {"lr": math.nan}, r"^Invalid lr: \S*nan\S*; allowed range"),
    (("adam",), {"beta1": 1.0}, r"^Invalid beta1: \S*1\.0\S*; allowed range \[0, 1\)$"),
    (("adam",), {"beta1": -0.1}, r"^Invalid beta1: \S*-0\.1\S*; allowed range \[0, 1\)$"),
    (("adamw",), {"beta2": 1.0}, r"^Invalid beta2: \S*1\.0\S*; allowed range \[0, 1\)$"),
    (("rmsprop",), {"beta": 1.0}, r"^Invalid beta: \S*1\.0\S*; allowed range \[0, 1\)$"),
    (("momentum",), {"dampening": 1.5}, r"^Invalid dampening: \S*1\.5\S*; allowed range \[0, 1\]"),
    (("minibatch",), {"batch_size": 0}, r"^Invalid batch_size: \S*0\S*; allowed range \[1, inf\)"),
    (("minibatch",), {"batch_size": 2.5}, r"^Invalid batch_size: 2\.5; must be an integer$"),
    (("momentum",), {"nesterov": 1}, r"^Invalid nesterov: 1; must be True or False$"),
    (("gd",), {"lr": "fast"}, r"^Invalid lr: 'fast'; must be a number$"),
    (("gd",), {"steps": 0}, rf"^Invalid steps: 0; allowed range \[1, {MAX}\]$"),
    (("gd",), {"steps": MAX + 1}, rf"^Invalid steps: {MAX + 1}; allowed range \[1, {MAX}\]$"),
    (("gd",), {"steps": 10.0}, r"^Invalid steps: 10\.0; allowed range"),
    (("gd",), {"steps": True}, r"^Invalid steps: True; allowed range"),
    (("gd",), {"x0": math.nan}, r"^Invalid x0: nan; must be a finite number$"),
    (("gd",), {"x0": math.inf}, r"^Invalid x0: inf; must be a finite number$"),
    (("gd",), {"x0": -math.inf}, r"^Invalid x0: -inf; must be a finite number$"),
    (("gd",), {"x0": np.array([1.0, np.nan])}, r"^Invalid x0: \[1\.0, nan\]; must be a finite"),
    (("gd",), {"x0": "far"}, r"^Invalid x0: 'far'; must be a finite number$"),
]


@pytest.mark.parametrize(("args", "kwargs", "message"), BAD_CALLS)
def test_invalid_arguments_raise_value_error(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        optimizers.run(*args, "article", **kwargs)


def test_unknown_function_name():
    with pytest.raises(ValueError, match=r"^Unknown function 'bowl'; choose one of article"):
        optimizers.run("gd", "bowl")


def test_too_much_to_record_asks_for_summary_mode():
    x0 = np.zeros(10_000)
    with pytest.raises(
        ValueError, match=r"^Invalid batch: 10000 runs x 1000 steps .* summary=True"
    ):
        optimizers.run("gd", "quadratic", x0, 1000)
    traj = optimizers.run("gd", "quadratic", x0, 1000, summary=True, lr=0.5)
    np.testing.assert_array_equal(traj.x_final, 3.0)


@pytest.mark.parametrize(
    ("name", "kwargs", "value"),
    [
        ("gd", {"lr": -1.0}, "-1.0"),
        ("adam", {"beta1": 1.0}, "1.0"),
        ("minibatch", {"batch_size": 0}, "0"),
    ],
)
def test_error_message_shows_a_plain_number(name, kwargs, value):
    """The message a student reads names the value as typed: 'Invalid lr: -1.0; ...'.

    At bdbd3d9 this fails with NumPy 2: HyperParam.check formats the offending value with !r after
    converting it to a NumPy scalar, so the message reads 'Invalid lr: np.float64(-1.0);
    allowed range [0, inf)'."""
    param = next(iter(kwargs))
    with pytest.raises(ValueError) as info:
        optimizers.run(name, "article", **kwargs)
    assert str(info.value).startswith(f"Invalid {param}: {value};"), str(info.value)


# --- divergence is data ---------------------------------------------------------------------


def test_gd_with_huge_lr_diverges_quietly(capsys):
    fn = functions.get("article")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        traj = optimizers.run("gd", fn, steps=50, lr=1e6)
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""
    # |x1| = |-20 - 1e6 f'(-20)| is far beyond the escape radius (4000).
    assert abs(-20 - 1e6 * float(fn.df(np.float64(-20.0)))) > fn.escape_radius
    assert traj.diverged_at == 1
    assert traj.diverged
    assert np.all(np.isfinite(traj.x))
    np.testing.assert_array_equal(traj.x, -20.0)  # frozen at the last good x
    assert traj.x_final == -20.0
    assert traj.f_final == float(fn.f(np.float64(-20.0)))
    assert np.isfinite(traj.grad[0])
    assert np.all(np.isnan(traj.grad[1:]))
    np.testing.assert_array_equal(traj.dx, 0.0)


def test_divergence_in_a_batch_freezes_only_the_diverged_runs(capsys):
    fn = functions.get("article")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        traj = optimizers.run("gd", fn, -20.0, 100, lr=np.array([0.01, 1e6, 1e300]))
    assert capsys.readouterr() == ("", "")
    np.testing.assert_array_equal(traj.diverged_at, [-1, 1, 1])
    np.testing.assert_array_equal(traj.diverged, [False, True, True])
    assert np.all(np.isfinite(traj.x))
    alone = optimizers.run("gd", fn, -20.0, 100, lr=0.01)
    np.testing.assert_array_equal(traj.x[:, 0], alone.x)
    np.testing.assert_array_equal(traj.x[:, 1:], -20.0)


def test_divergence_step_is_the_first_step_past_the_escape_radius():
    """GD on the quadratic with lr = 2.5: x - 3 is multiplied by -1.5 every step."""
    fn = functions.get("quadratic")
    x, expected = 1.0, -1
    for t in range(1, 101):
        x_new = x - 2.5 * (x - 3.0)
        if not abs(x_new - fn.center) <= fn.escape_radius:
            expected = t
            break
        x = x_new
    traj = optimizers.run("gd", fn, 1.0, 100, lr=2.5)
    assert expected > 10
    assert traj.diverged_at == expected
    assert traj.x_final == x
    np.testing.assert_array_equal(traj.x[expected:], x)
    assert not np.isnan(traj.grad[expected - 1])
    assert np.all(np.isnan(traj.grad[expected:]))


def test_newton_at_a_flat_saddle_is_frozen_and_recorded(capsys):
    """On the saddle at x0 = 0, f' = f'' = 0: the step is 0/0."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        traj = optimizers.run("newton", "saddle", 0.0, 10)
    assert capsys.readouterr() == ("", "")
    assert traj.diverged_at == 1
    np.testing.assert_array_equal(traj.x, 0.0)
    assert traj.grad[0] == 0.0
    assert traj.state["curvature"][0] == 0.0
    assert np.isinf(traj.state["lr_eff"][0])
    assert np.all(np.isnan(traj.state["curvature"][1:]))
    assert np.all(np.isnan(traj.grad[1:]))


@pytest.mark.parametrize(
    ("fn_name", "x0", "alpha"),
    [("saddle", -1.0, 3.0), ("double_well", 0.0, 8.0)],  # f''(x0) = -alpha exactly
)
def test_newton_reg_with_zero_curvature_is_frozen(fn_name, x0, alpha):
    fn = functions.get(fn_name)
    assert fn.d2f(np.float64(x0)) + alpha == 0.0
    assert fn.df(np.float64(x0)) != 0.0
    traj = optimizers.run("newton_reg", fn, np.array([x0, 0.5]), 20, alpha=alpha)
    np.testing.assert_array_equal(traj.diverged_at, [1, -1])
    np.testing.assert_array_equal(traj.x[:, 0], x0)
    assert traj.state["curvature"][0, 0] == 0.0
    assert traj.state["lr_eff"][0, 0] == math.inf
    assert np.all(np.isfinite(traj.x[:, 1]))


@pytest.mark.parametrize("name", ALL)
def test_extreme_settings_never_warn_or_print(name, capsys):
    """Every optimizer at the edge of its ranges on every built-in: no warning escapes,
    nothing is printed, x stays finite and NumPy's error state is left as it was."""
    extreme = {
        "lr": 100.0,
        "momentum": 0.999,
        "eps": 0.0,
        "beta": 0.0,
        "beta1": 0.0,
        "beta2": 0.0,
        "weight_decay": 1.0,
        "noise": 10.0,
        "alpha": 0.0,
    }
    spec = optimizers.OPTIMIZERS[name]
    hp = {k: v for k, v in extreme.items() if k in {p.name for p in spec.hparams}}
    before = np.geterr()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for fn in functions.FUNCTIONS.values():
            traj = optimizers.run(name, fn, np.linspace(*fn.bounds, 7), 200, **hp)
            assert np.all(np.isfinite(traj.x))
            assert np.all(np.isfinite(traj.x_final))
    assert np.geterr() == before
    assert capsys.readouterr() == ("", "")


# --- summary mode ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ALL)
def test_summary_equals_full_final_values(name):
    fn = functions.get("article")
    x0 = np.array([[-20.0, -3.0, 0.7, 19.0]])
    kwargs = {} if name.startswith("newton") else {"lr": np.array([[0.01], [0.5], [50.0]])}
    if name.startswith("newton"):
        x0 = np.linspace(-20, 20, 12).reshape(3, 4)
    full = optimizers.run(name, fn, x0, 300, **kwargs)
    summ = optimizers.run(name, fn, x0, 300, summary=True, **kwargs)
    for field in ("x_final", "f_final", "diverged_at", "settled_at"):
        np.testing.assert_array_equal(getattr(summ, field), getattr(full, field), err_msg=field)
    np.testing.assert_array_equal(full.x_final, full.x[-1])
    np.testing.assert_array_equal(full.f_final, full.f[-1])
    assert summ.x is None and summ.f is None and summ.grad is None and summ.state is None


@pytest.mark.parametrize("fn_name", list(functions.FUNCTIONS))
def test_scalar_summary_equals_full(fn_name):
    fn = functions.get(fn_name)
    full = optimizers.run("adam", fn, steps=300, lr=0.3)
    summ = optimizers.run("adam", fn, steps=300, lr=0.3, summary=True)
    assert summ.x_final == full.x_final == full.x[-1]
    assert summ.f_final == full.f_final == float(fn.f(np.float64(full.x_final)))
    assert summ.diverged_at == full.diverged_at and summ.settled_at == full.settled_at


def test_scalar_f_final_is_the_last_recorded_f():
    """A single run's f_final is f[-1], to the last digit.

    At bdbd3d9 this fails: a scalar run computes f_final = f(x) on a NumPy scalar and
    the f column on an array; for f = 0.5 (x - 3)**2 the scalar `**` is C's pow, the
    array `**` an exact square, and they differ by 1 ulp for ~0.1% of inputs (the
    starts below are such inputs on this machine; elsewhere they are ordinary starts)."""
    fn = functions.get("quadratic")
    xs = np.linspace(-10, 10, 20_001)
    on_scalars = np.array([fn.f(np.float64(x)) for x in xs])
    odd = xs[on_scalars != fn.f(xs)][:3].tolist()
    for x0 in [-8.0, 1.25, *odd]:
        traj = optimizers.run("gd", fn, x0, 1, lr=0.0)
        assert traj.f_final == traj.f[-1], (x0, float(traj.f_final), float(traj.f[-1]))


# --- the article's GD sweep, against plain Python --------------------------------------------


def _article_gd(x: float, lr: float, steps: int, radius: float) -> float:
    for _ in range(steps):
        g = 0.045 * x - math.sin(x) + math.cos(3 * x) - math.sin(5 * x) + math.cos(7 * x)
        x_new = x - lr * g
        if not abs(x_new) <= radius:  # the article's domain is centred on 0
            break
        x = x_new
    return x


def test_numpy_and_math_sin_cos_agree_here():
    """Precondition of the exact sweep below: on this machine NumPy's vectorised sin and
    cos return the same digits as the C library's math.sin / math.cos."""
    xs = np.random.default_rng(0).uniform(-200, 200, 100_000)
    np.testing.assert_array_equal(np.sin(xs), [math.sin(x) for x in xs.tolist()])
    np.testing.assert_array_equal(np.cos(xs), [math.cos(x) for x in xs.tolist()])


def test_article_gd_sweep_matches_plain_python_exactly():
    fn = functions.get("article")
    lrs = 16 * 2.0 ** -np.arange(10)
    traj = optimizers.run("gd", fn, -20.0, 1000, lr=lrs)  # one batch
    expected = [_article_gd(-20.0, float(lr), 1000, fn.escape_radius) for lr in lrs]
    assert traj.x_final.shape == (10,)
    assert traj.x_final.tolist() == expected
    summ = optimizers.run("gd", fn, -20.0, 1000, lr=lrs, summary=True)
    assert summ.x_final.tolist() == expected


# --- shapes and bookkeeping ---------------------------------------------------------------------


def _batch_args(name, lr_shape, x0_shape):
    rng = np.random.default_rng(0)
    x0 = rng.uniform(-5, 5, x0_shape)
    if name.startswith("newton"):
        return np.broadcast_to(x0, np.broadcast_shapes(lr_shape, x0_shape)).copy(), {}
    return x0, {"lr": rng.uniform(0.001, 0.05, lr_shape)}


@pytest.mark.parametrize(
    ("lr_shape", "x0_shape", "batch"), [((), (), ()), ((5,), (), (5,)), ((2, 1), (1, 3), (2, 3))]
)
@pytest.mark.parametrize("name", ALL)
def test_trajectory_shapes(name, lr_shape, x0_shape, batch):
    steps = 17
    x0, hp = _batch_args(name, lr_shape, x0_shape)
    traj = optimizers.run(name, "article", x0, steps, **hp)
    assert traj.x.shape == (steps + 1, *batch)
    assert traj.f.shape == (steps + 1, *batch)
    assert traj.grad.shape == (steps, *batch)
    assert traj.dx.shape == (steps, *batch)
    assert set(traj.state) == {k for k, _ in optimizers.OPTIMIZERS[name].state_labels}
    for k, v in traj.state.items():
        assert v.shape == (steps, *batch), k
    for field in ("x_final", "f_final", "diverged_at", "settled_at"):
        assert np.shape(getattr(traj, field)) == batch, field
    assert traj.steps == steps and traj.optimizer == name and traj.objective == "article"
    np.testing.assert_array_equal(traj.x[0], np.broadcast_to(x0, batch))
    np.testing.assert_array_equal(traj.dx, np.diff(traj.x, axis=0))


def test_defaults_and_objective_by_name_or_object():
    fn = functions.get("cliff")
    by_name = optimizers.run("momentum", "cliff", steps=40)
    by_obj = optimizers.run("momentum", fn, fn.x0, 40)
    assert by_name.x[0] == fn.x0
    np.testing.assert_array_equal(by_name.x, by_obj.x)
    spec = optimizers.OPTIMIZERS["momentum"]
    assert by_name.hparams.keys() == spec.defaults.keys()
    for k, v in spec.defaults.items():
        assert by_name.hparams[k] == v
    # Lists and integers are accepted for x0 and numeric hyperparameters.
    listed = optimizers.run("gd", "quadratic", [0, 1], 5, lr=[0.5, 0.25])
    np.testing.assert_array_equal(listed.x[1], [1.5, 1.5])


def test_settled_at_by_hand():
    # lr = 1 on the quadratic: one step to the minimum, then no movement.
    assert optimizers.run("gd", "quadratic", -8.0, 30, lr=1.0).settled_at == 1
    assert optimizers.run("gd", "quadratic", -8.0, 30, lr=0.0).settled_at == 0
    # lr = 0.5 halves the distance 11 to the minimum: step t moves x by 11 * 2**-t, which
    # exceeds 1e-6 of the domain's width (2e-5) up to t = 19.
    last = max(t for t in range(1, 100) if 11 * 2.0**-t > 2e-5)
    assert last == 19
    assert optimizers.run("gd", "quadratic", -8.0, 100, lr=0.5).settled_at == last


def test_unique_seeds_limit():
    seeds = np.arange(3)
    traj = optimizers.run("sgd", "article", np.zeros((4, 1)), 10, seed=seeds)
    assert traj.x.shape == (11, 4, 3)
    with pytest.raises(ValueError, match=r"^Invalid seed: 5000 distinct seeds x 2001 steps"):
        optimizers.run("sgd", "article", 0.0, 2001, summary=True, seed=np.arange(5000))


def test_message_lists_every_optimizer():
    with pytest.raises(ValueError) as info:
        optimizers.run("lbfgs", "article")
    assert str(info.value).endswith(", ".join(ALL))
    assert re.search(r"'lbfgs'", str(info.value))


@pytest.mark.parametrize("hp", [{"momentum": 0.0}, {"momentum": 0.9, "dampening": 0.1}])
def test_nesterov_needs_momentum_and_no_dampening_as_in_torch(hp):
    with pytest.raises(ValueError, match="Invalid nesterov: True; Nesterov needs momentum > 0"):
        optimizers.run("momentum", "article", nesterov=True, **hp)
