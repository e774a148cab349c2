"""The vectorised runner against the plain scalar loops of tests/reference.py.

Reference values come from reference.py, written from the update equations alone.
Where a run is chaotic (large learning rates on the article's function), only a
bit-for-bit equal implementation can pass the exact comparisons, which is the point.
"""

from __future__ import annotations

import numpy as np
import pytest
import reference
from hypothesis import given, settings
from hypothesis import strategies as st

import functions
import optimizers

STEPS = 200
ALL = list(optimizers.OPTIMIZERS)
FNS = list(functions.FUNCTIONS)
# Objectives whose f' and f'' use no `**`. `**` on an ndarray (exact square for **2,
# NumPy's SIMD pow otherwise) and on a NumPy scalar (C's pow) can differ by 1 ulp, so
# only these give the same digits on a scalar and on an array, and only their batched
# runs can be compared bit for bit with the scalar reference
# (see test_run_alone_equals_run_in_batch for the others).
POW_FREE = ["article", "quadratic", "rastrigin"]
WITH_POWERS = ["cliff", "saddle", "double_well", "pseudo_huber"]


def _loguniform(rng, lo, hi, size=None):
    return np.exp(rng.uniform(np.log(lo), np.log(hi), size))


def sample_hparams(name: str, rng: np.random.Generator, shape=None, gentle=False) -> dict:
    """Random hyperparameters for optimizer ``name``: a mix of stable, chaotic and
    divergent settings (``gentle``: small, non-chaotic learning rates only).

    ``shape`` is None for Python scalars, else a callable returning the shape for one
    numeric hyperparameter, so that arrays of different shapes broadcast together.
    """

    def draw(sampler):
        return sampler(None) if shape is None else sampler(shape())

    def lr(lo, hi):
        if gentle:
            lo, hi = 1e-3, 1e-2
        return draw(lambda s: _loguniform(rng, lo, hi, s))

    def decay():
        return draw(lambda s: rng.uniform(0, 0.3, s) * (rng.random(s) < 0.7))

    def eps():
        return draw(lambda s: _loguniform(rng, 1e-10, 1e-3, s))

    if name == "gd":
        return {"lr": lr(1e-3, 100.0)}
    if name == "sgd":
        return {
            "lr": lr(1e-3, 3.0),
            "noise": draw(lambda s: rng.uniform(0, 3, s)),
            "seed": draw(lambda s: rng.integers(0, 2**31 - 1, s)),
        }
    if name == "minibatch":
        return {
            "lr": lr(1e-3, 3.0),
            "noise": draw(lambda s: rng.uniform(0, 3, s)),
            "batch_size": draw(lambda s: rng.integers(1, 257, s)),
            "seed": draw(lambda s: rng.integers(0, 2**31 - 1, s)),
        }
    if name == "momentum":
        if rng.random() < 0.5:  # torch's rule: Nesterov needs momentum > 0, no dampening
            return {
                "lr": lr(1e-3, 10.0),
                "momentum": draw(lambda s: rng.uniform(0.01, 0.99, s)),
                "weight_decay": decay(),
                "nesterov": True,
            }
        return {
            "lr": lr(1e-3, 10.0),
            "momentum": draw(lambda s: rng.uniform(0, 0.99, s)),
            "dampening": draw(lambda s: rng.uniform(0, 1, s)),
            "weight_decay": decay(),
        }
    if name == "adagrad":
        return {"lr": lr(1e-3, 10.0), "eps": eps(), "weight_decay": decay()}
    if name == "rmsprop":
        return {
            "lr": lr(1e-3, 3.0),
            "beta": draw(lambda s: rng.uniform(0, 0.999, s)),
            "eps": eps(),
            "weight_decay": decay(),
        }
    if name in ("adam", "adamw"):
        return {
            "lr": lr(1e-3, 3.0),
            "beta1": draw(lambda s: rng.uniform(0, 0.99, s)),
            "beta2": draw(lambda s: rng.uniform(0.5, 0.9999, s)),
            "eps": eps(),
            "weight_decay": decay(),
            "bias_correction": bool(rng.random() < 0.8),
        }
    if name in ("nadam", "radam", "adamax", "adabelief"):
        hp = {
            "lr": lr(1e-3, 3.0),
            "beta1": draw(lambda s: rng.uniform(0, 0.99, s)),
            "beta2": draw(lambda s: rng.uniform(0.5, 0.9999, s)),
            "eps": eps(),
            "weight_decay": decay(),
        }
        if name == "nadam":
            hp["momentum_decay"] = draw(lambda s: rng.uniform(0, 0.05, s))
        if name == "adabelief":
            hp["rectify"] = bool(rng.random() < 0.7)
        return hp
    if name == "lion":
        return {
            "lr": lr(1e-3, 3.0),
            "beta1": draw(lambda s: rng.uniform(0, 0.99, s)),
            "momentum": draw(lambda s: rng.uniform(0, 0.999, s)),
            "weight_decay": decay(),
        }
    if name == "sf_sgd":
        return {
            "lr": lr(1e-3, 10.0),
            "momentum": draw(lambda s: rng.uniform(0, 0.99, s)),
            "weight_decay": decay(),
        }
    if name == "sf_adamw":
        return {
            "lr": lr(1e-3, 3.0),
            "beta1": draw(lambda s: rng.uniform(0, 0.99, s)),
            "beta2": draw(lambda s: rng.uniform(0.5, 0.9999, s)),
            "eps": eps(),
            "weight_decay": decay(),
        }
    if name == "prodigy":
        return {
            "lr": lr(1e-2, 3.0),
            "beta1": draw(lambda s: rng.uniform(0, 0.99, s)),
            "beta2": draw(lambda s: rng.uniform(0.5, 0.9999, s)),
            "eps": eps(),
            "weight_decay": decay(),
            "d0": draw(lambda s: _loguniform(rng, 1e-8, 1e-2, s)),
            "d_coef": draw(lambda s: _loguniform(rng, 0.1, 10.0, s)),
        }
    if name == "newton":
        return {}
    if name == "newton_reg":
        return {"alpha": draw(lambda s: rng.uniform(0, 30, s) * (rng.random(s) < 0.8))}
    raise AssertionError(name)


def _shape_picker(rng, shapes=((3, 1), (1, 4), (3, 4), ())):
    return lambda: shapes[rng.integers(len(shapes))]


def _x0(fn, rng, size=None):
    lo, hi = fn.bounds
    return rng.uniform(lo, hi, size)


def assert_matches(traj, ref, *, grad: bool = False, exact: bool = True, rtol: float = 0.0):
    """Compare a Trajectory with a reference run: x, state, diverged_at, settled_at."""

    def check(actual, desired, what):
        if exact:
            np.testing.assert_array_equal(actual, desired, err_msg=what)
        else:  # values that cancel to ~0 are compared on the scale of the whole array
            atol = rtol * np.nanmax(np.abs(desired), initial=0.0)
            np.testing.assert_allclose(actual, desired, rtol=rtol, atol=atol, err_msg=what)

    check(traj.x, np.asarray(ref.x), "x")
    np.testing.assert_array_equal(traj.diverged_at, ref.diverged_at, err_msg="diverged_at")
    if exact:
        np.testing.assert_array_equal(traj.settled_at, ref.settled_at, err_msg="settled_at")
    assert set(traj.state) == set(ref.state)
    for k in ref.state:
        check(traj.state[k], np.asarray(ref.state[k]), f"state[{k!r}]")
    if grad:
        check(traj.grad, np.asarray(ref.grad), "grad")


# --- reference loops: scalar runs, every optimizer on every built-in --------------------


@pytest.mark.parametrize("fn_name", list(functions.FUNCTIONS))
@pytest.mark.parametrize("name", ALL)
def test_scalar_runs_equal_reference(name, fn_name):
    fn = functions.get(fn_name)
    rng = np.random.default_rng([ALL.index(name), FNS.index(fn_name), 1])
    for _ in range(4):
        hp = sample_hparams(name, rng)
        x0 = float(_x0(fn, rng))
        traj = optimizers.run(name, fn, x0, STEPS, **hp)
        ref = reference.LOOPS[name](fn, x0, STEPS, **hp)
        assert_matches(traj, ref)
        # f is the objective at the recorded x.
        np.testing.assert_array_equal(traj.f, fn.f(traj.x))


def test_reference_runs_exercise_divergence_and_chaos():
    """The random settings above do reach the interesting regimes."""
    fn = functions.get("article")
    rng = np.random.default_rng([ALL.index("gd"), FNS.index("article"), 1])
    lrs = [sample_hparams("gd", rng)["lr"] for _ in range(200)]
    runs = [optimizers.run("gd", fn, -20.0, STEPS, summary=True, lr=lr) for lr in lrs]
    assert any(r.diverged_at >= 0 for r in runs)
    assert any(r.diverged_at < 0 and r.settled_at == STEPS for r in runs)  # still moving


# --- reference loops: batches of broadcast hyperparameters ------------------------------


@pytest.mark.parametrize("fn_name", POW_FREE)
@pytest.mark.parametrize("name", ALL)
def test_batches_equal_reference(name, fn_name):
    """lr (3, 1) x x0 (1, 4), the other numeric hyperparameters of random shapes among
    (3, 1), (1, 4), (3, 4) and scalar: every element equals its own scalar loop.

    Adam's betas stay scalar here; beta arrays are test_adam_beta_sweep_*."""
    fn = functions.get(fn_name)
    rng = np.random.default_rng([ALL.index(name), FNS.index(fn_name), 2])
    for _ in range(2):
        hp = sample_hparams(name, rng, shape=_shape_picker(rng))
        if "lr" in hp:
            hp["lr"] = sample_hparams(name, rng, shape=lambda: (3, 1))["lr"]
        if name in ("adam", "adamw"):
            hp["beta1"], hp["beta2"] = float(hp["beta1"].flat[0]), float(hp["beta2"].flat[0])
        x0 = _x0(fn, rng, (1, 4) if "lr" in hp else (3, 4))
        traj = optimizers.run(name, fn, x0, STEPS, **hp)
        assert traj.x.shape == (STEPS + 1, 3, 4)
        assert_matches(traj, reference.run_each(name, fn, x0, STEPS, **hp))


@pytest.mark.parametrize("name", ["adam", "adamw"])
def test_adam_beta_sweep_equals_reference_bitwise(name):
    """A sweep over beta1 and beta2 (arrays) at a chaotic learning rate: each element
    must equal its scalar loop, and the same run done alone, bit for bit.

    At bdbd3d9 this failed on an AVX-512 CPU: with array betas the runner computed the
    bias corrections 1 - beta**t with ndarray `**` (an exact square for t = 2, NumPy's
    AVX-512 pow for t >= 3), which differs by 1 ulp from C's pow (what Python floats,
    NumPy scalars and torch use) for a few percent of inputs; in a chaotic run the ulp
    grows until the trajectories part. Scalar betas (one run alone) were not affected."""
    fn = functions.get("article")
    rng = np.random.default_rng(3)
    hp = {
        "lr": 2.0,
        "beta1": rng.uniform(0.5, 0.99, (5, 1)),
        "beta2": rng.uniform(0.9, 0.9999, (1, 4)),
        "weight_decay": 0.01,
    }
    traj = optimizers.run(name, fn, -20.0, 300, **hp)
    ref = reference.run_each(name, fn, -20.0, 300, **hp, eps=1e-8, bias_correction=True)
    mismatched = [
        (float(b1), float(b2))
        for (b1, b2, same) in np.nditer([hp["beta1"], hp["beta2"], (traj.x == ref.x).all(axis=0)])
        if not same
    ]
    assert not mismatched, f"(beta1, beta2) whose run differs from the reference: {mismatched}"


@pytest.mark.parametrize("name", ["adam", "adamw"])
def test_adam_beta_sweep_close_to_reference(name):
    """The same beta sweep at a small, non-chaotic learning rate agrees to 1e-12."""
    fn = functions.get("article")
    rng = np.random.default_rng(4)
    hp = {
        "lr": np.array([[0.003], [0.01]]),
        "beta1": rng.uniform(0.5, 0.99, (2, 3)),
        "beta2": rng.uniform(0.9, 0.9999, (2, 3)),
        "weight_decay": 0.05,
    }
    traj = optimizers.run(name, fn, -7.0, STEPS, **hp)
    ref = reference.run_each(name, fn, -7.0, STEPS, **hp, eps=1e-8, bias_correction=True)
    assert_matches(traj, ref, exact=False, rtol=1e-12)


@pytest.mark.parametrize("fn_name", WITH_POWERS)
@pytest.mark.parametrize("name", [n for n in ALL if n != "newton"])  # Newton is chaotic here
def test_batches_close_to_reference_on_objectives_with_powers(name, fn_name):
    """Non-chaotic settings (small learning rates, Newton with a large alpha) on the
    objectives written with `**`: the batch agrees with the scalar loops to 1e-12."""
    fn = functions.get(fn_name)
    rng = np.random.default_rng([ALL.index(name), FNS.index(fn_name), 5])
    hp = sample_hparams(name, rng, shape=_shape_picker(rng), gentle=True)
    if name == "newton_reg":
        hp["alpha"] = rng.uniform(50, 100, (3, 1))
    lo, hi = fn.bounds
    x0 = rng.uniform(lo + 0.25 * (hi - lo), hi - 0.25 * (hi - lo), (1, 4))
    traj = optimizers.run(name, fn, x0, 100, **hp)
    assert_matches(traj, reference.run_each(name, fn, x0, 100, **hp), exact=False, rtol=1e-12)


@pytest.mark.parametrize("fn_name", list(functions.FUNCTIONS))
def test_run_alone_equals_run_in_batch(fn_name):
    """A learning-rate sweep (one batch) ends exactly where each run ends alone.

    At bdbd3d9 this fails for objectives whose f' uses `**` (saddle, double_well,
    pseudo_huber; the cliff's cosh(...)**2 too, though these learning rates miss it): a
    scalar run evaluates f' on NumPy scalars, whose `**` is C's pow, a batch on arrays,
    whose `**` is an exact square for **2 and NumPy's SIMD pow otherwise (AVX-512 on
    this CPU); they differ by 1 ulp on some inputs, and GD at these learning rates is
    chaotic enough to turn that ulp into a different final point."""
    fn = functions.get(fn_name)
    lo, hi = fn.bounds
    lrs = np.geomspace(1e-3, 1.0, 48)
    x0 = lo + 0.9 * (hi - lo)
    batch = optimizers.run("gd", fn, x0, 500, lr=lrs)
    differ = []
    for i, lr in enumerate(lrs):
        alone = optimizers.run("gd", fn, x0, 500, lr=float(lr))
        if not np.array_equal(batch.x[:, i], alone.x):
            first = int(np.argmax(batch.x[:, i] != alone.x))
            differ.append((float(lr), first, float(batch.x[-1, i]), float(alone.x[-1])))
    assert not differ, f"(lr, first differing step, batch final x, alone final x): {differ}"


def test_large_batch_split_across_threads_changes_no_digit():
    """Batches of >= 2 x 4096 runs are split across threads; each element still equals
    the same element run in a small (unsplit) batch."""
    fn = functions.get("article")
    rng = np.random.default_rng(6)
    n = 2 * 4096 + 37
    lr = _loguniform(rng, 1e-3, 5.0, n)
    x0 = rng.uniform(-20, 20, n)
    beta1 = 0.9
    big = optimizers.run("adam", fn, x0, 100, summary=True, lr=lr, beta1=beta1)
    pick = np.r_[0:5, 4090:4100, n - 5 : n]
    small = optimizers.run("adam", fn, x0[pick], 100, lr=lr[pick], beta1=beta1)
    np.testing.assert_array_equal(big.x_final[pick], small.x_final)
    np.testing.assert_array_equal(big.diverged_at[pick], small.diverged_at)
    np.testing.assert_array_equal(big.settled_at[pick], small.settled_at)


# --- recorded gradient and state --------------------------------------------------------


@pytest.mark.parametrize("name", ALL)
def test_recorded_grad_is_the_gradient_used(name):
    """Trajectory.grad is the gradient the update used: noise and L2 weight decay
    included (for AdamW, whose decay is decoupled, the bare gradient).

    At bdbd3d9 this fails for momentum, adagrad, rmsprop, adam: the runner records f'(x)
    before the update adds weight_decay * x, so grad is not what the step used."""
    fn = functions.get("article")
    rng = np.random.default_rng([ALL.index(name), 7])
    hp = sample_hparams(name, rng, gentle=True)
    if "weight_decay" in hp:
        hp["weight_decay"] = 0.25
    traj = optimizers.run(name, fn, -12.0, 50, **hp)
    ref = reference.LOOPS[name](fn, -12.0, 50, **hp)
    np.testing.assert_array_equal(traj.grad, np.asarray(ref.grad))


@pytest.mark.parametrize("name", ALL)
def test_recorded_grad_without_weight_decay(name):
    """With no weight decay the recorded gradient is f'(x_t) (+ the noise) exactly."""
    fn = functions.get("article")
    rng = np.random.default_rng([ALL.index(name), 8])
    hp = sample_hparams(name, rng, shape=lambda: (2, 1))
    if "weight_decay" in hp:
        hp["weight_decay"] = 0.0
    x0 = np.array([-15.0, -3.0, 0.5, 11.0])
    traj = optimizers.run(name, fn, x0, 100, **hp)
    ref = reference.run_each(name, fn, x0, 100, **hp)
    np.testing.assert_array_equal(traj.grad, ref.grad)


@pytest.mark.parametrize(
    ("name", "fields"),
    [
        ("momentum", {"velocity"}),
        ("adagrad", {"sum", "lr_eff"}),
        ("rmsprop", {"square_avg", "lr_eff"}),
        ("adam", {"m", "v", "m_hat", "v_hat", "lr_eff"}),
        ("adamw", {"m", "v", "m_hat", "v_hat", "lr_eff"}),
        ("nadam", {"m", "v", "mu_t", "mu_product", "lr_eff"}),
        ("radam", {"m", "v", "m_hat", "rho", "rect", "lr_eff"}),
        ("adamax", {"m", "u", "m_hat", "lr_eff"}),
        ("adabelief", {"m", "belief", "m_hat", "lr_eff"}),
        ("lion", {"m", "blend"}),
        ("sf_sgd", {"z", "x_avg", "sf_c"}),
        ("sf_adamw", {"z", "x_avg", "sf_c", "v"}),
        ("prodigy", {"d", "d_num", "d_den", "s", "m", "v", "lr_eff"}),
        ("newton", {"curvature", "lr_eff"}),
        ("newton_reg", {"curvature", "lr_eff"}),
        ("gd", set()),
        ("sgd", set()),
        ("minibatch", set()),
    ],
)
def test_state_fields_and_labels(name, fields):
    traj = optimizers.run(name, "article", steps=3)
    assert set(traj.state) == fields
    assert {k for k, _ in optimizers.OPTIMIZERS[name].state_labels} == fields


def test_state_by_hand_first_adam_step():
    """Step 1 of Adam by hand: m = (1-b1) g, v = (1-b2) g^2, m_hat = g, v_hat = g^2."""
    fn = functions.get("quadratic")
    traj = optimizers.run("adam", fn, 7.0, 2, lr=0.5, beta1=0.75, beta2=0.5, eps=0.0)
    g = 4.0  # f'(7) = 7 - 3
    assert traj.state["m"][0] == 0.25 * g
    assert traj.state["v"][0] == 0.5 * g * g
    assert traj.state["m_hat"][0] == g
    assert traj.state["v_hat"][0] == g * g
    assert traj.x[1] == 7.0 - 0.5  # a full lr-sized step against the gradient
    # lr_eff is the factor m_hat is multiplied by: lr / (sqrt(v_hat) + eps).
    assert traj.state["lr_eff"][0] == 0.5 / g
    assert traj.state["lr_eff"][0] * traj.state["m_hat"][0] == 7.0 - traj.x[1]


# --- equivalences -----------------------------------------------------------------------

LR = np.array([[0.001], [0.02], [0.3], [1.5]])
X0 = np.array([[-19.0, -4.2, 0.3, 8.8, 17.5]])


@pytest.mark.parametrize("fn_name", ["article", "double_well", "cliff"])
def test_momentum_zero_is_gd(fn_name):
    fn = functions.get(fn_name)
    x0 = np.clip(X0, *fn.bounds)
    gd = optimizers.run("gd", fn, x0, STEPS, lr=LR)
    mom = optimizers.run("momentum", fn, x0, STEPS, lr=LR, momentum=0.0)
    np.testing.assert_array_equal(mom.x, gd.x)
    np.testing.assert_array_equal(mom.grad, gd.grad)
    np.testing.assert_array_equal(mom.diverged_at, gd.diverged_at)


@pytest.mark.parametrize("fn_name", ["article", "double_well", "cliff"])
def test_adamw_without_weight_decay_is_adam(fn_name):
    fn = functions.get(fn_name)
    x0 = np.clip(X0, *fn.bounds)
    hp = {"lr": LR, "beta1": np.array([0.0, 0.5, 0.9, 0.95, 0.99]), "beta2": 0.99}
    adam = optimizers.run("adam", fn, x0, STEPS, **hp, weight_decay=0.0)
    adamw = optimizers.run("adamw", fn, x0, STEPS, **hp, weight_decay=0.0)
    np.testing.assert_array_equal(adamw.x, adam.x)
    np.testing.assert_array_equal(adamw.grad, adam.grad)
    for k in adam.state:
        np.testing.assert_array_equal(adamw.state[k], adam.state[k])


@pytest.mark.parametrize("fn_name", list(functions.FUNCTIONS))
def test_newton_reg_alpha_zero_is_newton(fn_name):
    fn = functions.get(fn_name)
    x0 = np.linspace(*fn.bounds, 9)
    newton = optimizers.run("newton", fn, x0, 50)
    reg = optimizers.run("newton_reg", fn, x0, 50, alpha=0.0)
    np.testing.assert_array_equal(reg.x, newton.x)
    np.testing.assert_array_equal(reg.diverged_at, newton.diverged_at)
    for k in newton.state:
        np.testing.assert_array_equal(reg.state[k], newton.state[k])


@pytest.mark.parametrize("fn_name", ["article", "double_well"])
def test_sgd_without_noise_is_gd(fn_name):
    fn = functions.get(fn_name)
    x0 = np.clip(X0, *fn.bounds)
    gd = optimizers.run("gd", fn, x0, STEPS, lr=LR)
    sgd = optimizers.run("sgd", fn, x0, STEPS, lr=LR, noise=0.0, seed=123)
    np.testing.assert_array_equal(sgd.x, gd.x)
    np.testing.assert_array_equal(sgd.grad, gd.grad)


@pytest.mark.parametrize("fn_name", ["article", "double_well"])
def test_sgd_is_minibatch_of_one(fn_name):
    fn = functions.get(fn_name)
    x0 = np.clip(X0, *fn.bounds)
    hp = {"lr": LR, "noise": np.array([0.1, 1.0, 2.5, 0.0, 4.0]), "seed": 99}
    sgd = optimizers.run("sgd", fn, x0, STEPS, **hp)
    mb = optimizers.run("minibatch", fn, x0, STEPS, **hp, batch_size=1)
    np.testing.assert_array_equal(mb.x, sgd.x)
    np.testing.assert_array_equal(mb.grad, sgd.grad)


def test_minibatch_divides_the_noise_by_sqrt_batch_size():
    fn = functions.get("article")
    sgd = optimizers.run("sgd", fn, -5.0, 1, lr=0.0, noise=0.5, seed=5)
    mb = optimizers.run("minibatch", fn, -5.0, 1, lr=0.0, noise=2.0, batch_size=16, seed=5)
    assert mb.grad[0] == sgd.grad[0]  # 2 / sqrt(16) == 0.5, exactly


def test_newton_on_the_quadratic_lands_on_the_minimum_in_one_step():
    fn = functions.get("quadratic")
    x0 = np.concatenate([np.linspace(-10, 10, 41), np.random.default_rng(9).uniform(-10, 10, 59)])
    traj = optimizers.run("newton", fn, x0, 3)
    # x0 - (x0 - 3) is 3 up to the rounding of x0 - 3: within one ulp of |x0 - 3|.
    ulp = np.spacing(np.abs(x0 - 3.0))
    assert np.all(np.abs(traj.x[1] - fn.x_min) <= ulp)
    assert fn.x_min == 3.0
    # Dyadic starts have no rounding at all, and the run stays put afterwards.
    exact = optimizers.run("newton", fn, np.array([-10.0, -8.0, 0.5, 7.25, 10.0]), 3)
    np.testing.assert_array_equal(exact.x[1:], 3.0)
    np.testing.assert_array_equal(exact.dx[1:], 0.0)
    assert np.all(exact.diverged_at == -1)
    assert np.all(exact.settled_at == 1)


# --- noise streams ----------------------------------------------------------------------


@settings(max_examples=15, deadline=None, database=None)
@given(
    seeds=st.lists(st.integers(0, 2**31 - 1), min_size=2, max_size=5),
    lr=st.floats(1e-3, 0.5),
    noise=st.floats(0.0, 5.0),
    name=st.sampled_from(["sgd", "minibatch"]),
)
def test_same_seed_same_noise_alone_or_in_a_batch(seeds, lr, noise, name):
    fn = functions.get("article")
    extra = {"batch_size": 4} if name == "minibatch" else {}
    x0 = np.array([[-20.0], [3.0]])
    batch = optimizers.run(name, fn, x0, 60, lr=lr, noise=noise, seed=np.array(seeds), **extra)
    for j, seed in enumerate(seeds):
        for i in range(2):
            alone = optimizers.run(name, fn, x0[i, 0], 60, lr=lr, noise=noise, seed=seed, **extra)
            np.testing.assert_array_equal(batch.x[:, i, j], alone.x)
            np.testing.assert_array_equal(batch.grad[:, i, j], alone.grad)


def test_noise_is_the_seeded_standard_normal_stream():
    fn = functions.get("quadratic")
    traj = optimizers.run("sgd", fn, 3.0, 50, lr=0.0, noise=1.5, seed=2024)
    z = np.random.default_rng(2024).standard_normal(50)
    # lr = 0 keeps x at the minimum, where f' = 0: the gradient is pure noise.
    np.testing.assert_array_equal(traj.grad, 1.5 * z)


def test_different_seeds_give_different_noise():
    traj = optimizers.run("sgd", "article", -20.0, 20, seed=np.array([1, 2]))
    assert not np.array_equal(traj.grad[:, 0], traj.grad[:, 1])
