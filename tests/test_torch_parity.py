"""optimizers.run against torch.optim itself (float64, gradients set by hand)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import functions
import optimizers

torch = pytest.importorskip("torch")

STEPS = 200


@pytest.fixture(autouse=True)
def float64_state():
    """torch keeps scalar state (NAdam's product of momentum coefficients, the step
    counts) in the default dtype: float64 throughout, as the runner computes."""
    before = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(before)


def torch_run(make_opt, fn, x0: float, steps: int = STEPS, read=None):
    """x after every step, and the optimizer's per-step state, from a torch optimizer.

    ``read(opt, p)`` gives the state to record after a step (default: the tensors in
    ``opt.state[p]``)."""
    p = torch.nn.Parameter(torch.tensor([x0], dtype=torch.float64))
    opt = make_opt([p])
    xs, states = [x0], []
    for _ in range(steps):
        x = p.detach().numpy()[0]
        p.grad = torch.tensor([float(fn.df(np.float64(x)))], dtype=torch.float64)
        opt.step()
        xs.append(p.item())
        if read is None:
            states.append({k: v.item() for k, v in opt.state[p].items() if torch.is_tensor(v)})
        else:
            states.append(read(opt, p))
    state = {k: np.array([s[k] for s in states]) for k in states[0]}
    return np.array(xs), state


# (our optimizer, our hyperparameters, torch's constructor, {our state field: torch's})
CASES = {
    "momentum": (
        "momentum",
        {"lr": 0.01, "momentum": 0.9},
        lambda ps: torch.optim.SGD(ps, lr=0.01, momentum=0.9),
        {"velocity": "momentum_buffer"},
    ),
    "momentum-dampening": (
        "momentum",
        {"lr": 0.02, "momentum": 0.8, "dampening": 0.5},
        lambda ps: torch.optim.SGD(ps, lr=0.02, momentum=0.8, dampening=0.5),
        {"velocity": "momentum_buffer"},
    ),
    "momentum-nesterov": (
        "momentum",
        {"lr": 0.01, "momentum": 0.9, "nesterov": True},
        lambda ps: torch.optim.SGD(ps, lr=0.01, momentum=0.9, nesterov=True),
        {"velocity": "momentum_buffer"},
    ),
    "momentum-weight-decay": (
        "momentum",
        {"lr": 0.01, "momentum": 0.7, "dampening": 0.2, "weight_decay": 0.1},
        lambda ps: torch.optim.SGD(ps, lr=0.01, momentum=0.7, dampening=0.2, weight_decay=0.1),
        {"velocity": "momentum_buffer"},
    ),
    "momentum-nesterov-weight-decay": (
        "momentum",
        {"lr": 0.01, "momentum": 0.9, "nesterov": True, "weight_decay": 0.05},
        lambda ps: torch.optim.SGD(ps, lr=0.01, momentum=0.9, nesterov=True, weight_decay=0.05),
        {"velocity": "momentum_buffer"},
    ),
    "adagrad": (
        "adagrad",
        {"lr": 0.5, "eps": 1e-10},
        lambda ps: torch.optim.Adagrad(ps, lr=0.5, eps=1e-10),
        {"sum": "sum"},
    ),
    "adagrad-weight-decay": (
        "adagrad",
        {"lr": 0.3, "eps": 1e-6, "weight_decay": 0.2},
        lambda ps: torch.optim.Adagrad(ps, lr=0.3, eps=1e-6, weight_decay=0.2),
        {"sum": "sum"},
    ),
    "rmsprop": (
        "rmsprop",
        {"lr": 0.01, "beta": 0.99, "eps": 1e-8},
        lambda ps: torch.optim.RMSprop(ps, lr=0.01, alpha=0.99, eps=1e-8),
        {"square_avg": "square_avg"},
    ),
    "rmsprop-weight-decay": (
        "rmsprop",
        {"lr": 0.02, "beta": 0.9, "eps": 1e-6, "weight_decay": 0.1},
        lambda ps: torch.optim.RMSprop(ps, lr=0.02, alpha=0.9, eps=1e-6, weight_decay=0.1),
        {"square_avg": "square_avg"},
    ),
    "adam": (
        "adam",
        {"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
        lambda ps: torch.optim.Adam(ps, lr=0.01, betas=(0.9, 0.999), eps=1e-8, foreach=False),
        {"m": "exp_avg", "v": "exp_avg_sq"},
    ),
    "adam-weight-decay": (
        "adam",
        {"lr": 0.02, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6, "weight_decay": 0.1},
        lambda ps: torch.optim.Adam(
            ps, lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1, foreach=False
        ),
        {"m": "exp_avg", "v": "exp_avg_sq"},
    ),
    "adamw": (
        "adamw",
        {"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.01},
        lambda ps: torch.optim.AdamW(
            ps, lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01, foreach=False
        ),
        {"m": "exp_avg", "v": "exp_avg_sq"},
    ),
    "adamw-strong-decay": (
        "adamw",
        {"lr": 0.02, "beta1": 0.5, "beta2": 0.9, "eps": 1e-6, "weight_decay": 0.5},
        lambda ps: torch.optim.AdamW(
            ps, lr=0.02, betas=(0.5, 0.9), eps=1e-6, weight_decay=0.5, foreach=False
        ),
        {"m": "exp_avg", "v": "exp_avg_sq"},
    ),
    "nadam": (
        "nadam",
        {"lr": 0.01},
        lambda ps: torch.optim.NAdam(ps, lr=0.01, foreach=False),
        {"m": "exp_avg", "v": "exp_avg_sq", "mu_product": "mu_product"},
    ),
    "nadam-settings": (
        "nadam",
        {"lr": 0.03, "beta1": 0.8, "beta2": 0.95, "eps": 1e-6, "momentum_decay": 0.02},
        lambda ps: torch.optim.NAdam(
            ps, lr=0.03, betas=(0.8, 0.95), eps=1e-6, momentum_decay=0.02, foreach=False
        ),
        {"m": "exp_avg", "v": "exp_avg_sq", "mu_product": "mu_product"},
    ),
    "nadam-weight-decay": (
        "nadam",
        {"lr": 0.02, "beta1": 0.7, "weight_decay": 0.1},
        lambda ps: torch.optim.NAdam(
            ps, lr=0.02, betas=(0.7, 0.999), weight_decay=0.1, foreach=False
        ),
        {"m": "exp_avg", "v": "exp_avg_sq"},
    ),
    "radam": (
        "radam",
        {"lr": 0.02},
        lambda ps: torch.optim.RAdam(ps, lr=0.02, foreach=False),
        {"m": "exp_avg", "v": "exp_avg_sq"},
    ),
    "radam-settings": (
        "radam",
        {"lr": 0.05, "beta1": 0.5, "beta2": 0.9, "eps": 1e-6},
        lambda ps: torch.optim.RAdam(ps, lr=0.05, betas=(0.5, 0.9), eps=1e-6, foreach=False),
        {"m": "exp_avg", "v": "exp_avg_sq"},
    ),
    "radam-weight-decay": (
        "radam",
        {"lr": 0.02, "beta2": 0.99, "weight_decay": 0.2},
        lambda ps: torch.optim.RAdam(
            ps, lr=0.02, betas=(0.9, 0.99), weight_decay=0.2, foreach=False
        ),
        {"m": "exp_avg", "v": "exp_avg_sq"},
    ),
    "adamax": (
        "adamax",
        {"lr": 0.01},
        lambda ps: torch.optim.Adamax(ps, lr=0.01, foreach=False),
        {"m": "exp_avg", "u": "exp_inf"},
    ),
    "adamax-settings": (
        "adamax",
        {"lr": 0.03, "beta1": 0.6, "beta2": 0.9, "eps": 1e-4, "weight_decay": 0.1},
        lambda ps: torch.optim.Adamax(
            ps, lr=0.03, betas=(0.6, 0.9), eps=1e-4, weight_decay=0.1, foreach=False
        ),
        {"m": "exp_avg", "u": "exp_inf"},
    ),
}


def _group(key):
    return lambda opt, p: opt.param_groups[0][key]


def _state(key):
    return lambda opt, p: opt.state[p][key].item()


def _schedulefree(opt, p):
    """z, and the average x̄ that eval() puts in the parameter (train() puts back y)."""
    opt.eval()
    x_avg = p.item()
    opt.train()
    return {"z": opt.state[p]["z"].item(), "x_avg": x_avg}


def _lion(module, **kw):
    return lambda ps: module.Lion(ps, **kw)


def _adabelief(module, **kw):
    return lambda ps: module.AdaBelief(ps, print_change_log=False, **kw)


def _prodigy(module, **kw):
    return lambda ps: module.Prodigy(ps, **kw)


def _sf(cls, **kw):
    def make(module):
        def build(ps):
            opt = getattr(module, cls)(ps, foreach=False, **kw)
            opt.train()  # the parameter holds y, where the gradient is read
            return opt

        return build

    return make


def _read(**fields):
    return lambda opt, p: {ours: get(opt, p) for ours, get in fields.items()}


# The published references outside torch.optim: (our optimizer, our hyperparameters,
# the package, its constructor, what to read from it after a step {our state field: how}).
PACKAGE_CASES = {
    "lion": (
        "lion",
        {"lr": 0.01},
        "lion_pytorch",
        lambda m: _lion(m, lr=0.01),
        {"m": _state("exp_avg")},
    ),
    "lion-settings": (
        "lion",
        {"lr": 0.03, "beta1": 0.8, "momentum": 0.95, "weight_decay": 0.1},
        "lion_pytorch",
        lambda m: _lion(m, lr=0.03, betas=(0.8, 0.95), weight_decay=0.1),
        {"m": _state("exp_avg")},
    ),
    "adabelief": (
        "adabelief",
        {"lr": 0.01},
        "adabelief_pytorch",
        lambda m: _adabelief(m, lr=0.01),
        {"m": _state("exp_avg"), "belief": _state("exp_avg_var")},
    ),
    "adabelief-unrectified": (
        "adabelief",
        {"lr": 0.02, "beta1": 0.8, "beta2": 0.99, "eps": 1e-8, "rectify": False},
        "adabelief_pytorch",
        lambda m: _adabelief(m, lr=0.02, betas=(0.8, 0.99), eps=1e-8, rectify=False),
        {"m": _state("exp_avg"), "belief": _state("exp_avg_var")},
    ),
    "adabelief-weight-decay": (
        "adabelief",
        {"lr": 0.02, "beta2": 0.9, "weight_decay": 0.2},
        "adabelief_pytorch",
        lambda m: _adabelief(m, lr=0.02, betas=(0.9, 0.9), weight_decay=0.2),
        {"m": _state("exp_avg"), "belief": _state("exp_avg_var")},
    ),
    "sf_sgd": (
        "sf_sgd",
        {"lr": 0.5},
        "schedulefree",
        _sf("SGDScheduleFree", lr=0.5),
        {},
    ),
    "sf_sgd-settings": (
        "sf_sgd",
        {"lr": 0.1, "momentum": 0.7, "weight_decay": 0.05},
        "schedulefree",
        _sf("SGDScheduleFree", lr=0.1, momentum=0.7, weight_decay=0.05),
        {},
    ),
    "sf_adamw": ("sf_adamw", {"lr": 0.5}, "schedulefree", _sf("AdamWScheduleFree", lr=0.5), {}),
    "sf_adamw-settings": (
        "sf_adamw",
        {"lr": 0.1, "beta1": 0.5, "beta2": 0.99, "eps": 1e-6, "weight_decay": 0.1},
        "schedulefree",
        _sf("AdamWScheduleFree", lr=0.1, betas=(0.5, 0.99), eps=1e-6, weight_decay=0.1),
        {},
    ),
    "prodigy": (
        "prodigy",
        {"lr": 0.1},
        "prodigyopt",
        lambda m: _prodigy(m, lr=0.1),
        {"d": _group("d"), "d_num": _group("d_numerator"), "m": _state("exp_avg")},
    ),
    "prodigy-settings": (
        "prodigy",
        {"lr": 0.3, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6, "d0": 1e-4, "d_coef": 0.5},
        "prodigyopt",
        lambda m: _prodigy(m, lr=0.3, betas=(0.8, 0.99), eps=1e-6, d0=1e-4, d_coef=0.5),
        {"d": _group("d"), "d_num": _group("d_numerator"), "s": _state("s")},
    ),
    "prodigy-weight-decay": (
        "prodigy",
        {"lr": 0.05, "weight_decay": 0.1, "d_coef": 0.5},
        "prodigyopt",
        lambda m: _prodigy(m, lr=0.05, weight_decay=0.1, d_coef=0.5),
        {"d": _group("d"), "v": _state("exp_avg_sq")},
    ),
}


def assert_same_run(traj, xs, state, x0):
    assert traj.diverged_at == -1
    assert np.max(np.abs(xs - x0)) > 0.5  # the run really moves
    np.testing.assert_allclose(traj.x, xs, rtol=1e-10)
    for ours, theirs in state.items():
        scale = np.max(np.abs(theirs))
        np.testing.assert_allclose(
            traj.state[ours], theirs, rtol=1e-10, atol=1e-10 * scale, err_msg=ours
        )


@pytest.mark.parametrize(("fn_name", "x0"), [("quadratic", -8.0), ("article", -20.0)])
@pytest.mark.parametrize("case", list(PACKAGE_CASES))
def test_matches_published_reference(case, fn_name, x0):
    """Step for step, float64. Schedule-Free: the trajectory is y, where the gradient is
    read (the parameter in train mode), and the recorded z and x̄ are the package's
    (x̄ read through eval())."""
    name, hp, package, make, fields = PACKAGE_CASES[case]
    module = pytest.importorskip(package)
    fn = functions.get(fn_name)
    read = _schedulefree if package == "schedulefree" else _read(**fields)
    xs, state = torch_run(make(module), fn, x0, read=read)
    assert_same_run(optimizers.run(name, fn, x0, STEPS, **hp), xs, state, x0)


@pytest.mark.parametrize("name", ["sf_sgd", "sf_adamw"])
def test_schedulefree_evaluation_and_stored_points_differ(name):
    """y (where the gradient is read) and x̄ (the answer) are two different points, and
    y lies between z and x̄: y = (1 - β) z + β x̄."""
    traj = optimizers.run(name, "article", -20.0, STEPS, lr=0.5)
    beta = 0.9
    z, avg = traj.state["z"], traj.state["x_avg"]
    assert np.max(np.abs(traj.x[1:] - avg)) > 1e-3
    np.testing.assert_allclose(traj.x[1:], (1 - beta) * z + beta * avg, rtol=0, atol=1e-12)


@pytest.mark.parametrize(("fn_name", "x0"), [("quadratic", -8.0), ("article", -20.0)])
@pytest.mark.parametrize("case", list(CASES))
def test_matches_torch_optim(case, fn_name, x0):
    name, hp, make_opt, state_map = CASES[case]
    fn = functions.get(fn_name)
    xs, state = torch_run(make_opt, fn, x0)
    traj = optimizers.run(name, fn, x0, STEPS, **hp)
    assert_same_run(traj, xs, {ours: state[theirs] for ours, theirs in state_map.items()}, x0)


@pytest.mark.parametrize(
    "case", ["momentum", "adagrad", "rmsprop", "adam", "adamw", "nadam", "radam", "adamax"]
)
def test_matches_torch_in_a_batch(case):
    """Each element of a batch of starts matches its own torch run."""
    name, hp, make_opt, _ = CASES[case]
    fn = functions.get("article")
    x0 = np.array([-20.0, -6.5, 4.25, 17.0])
    traj = optimizers.run(name, fn, x0, STEPS, **hp)
    for i, start in enumerate(x0):
        xs, _ = torch_run(make_opt, fn, float(start))
        np.testing.assert_allclose(traj.x[:, i], xs, rtol=1e-10)


def test_plain_sgd_matches_torch_bit_for_bit():
    """torch.optim.SGD without momentum is x - lr * g: the same float64 operation."""
    fn = functions.get("article")
    xs, _ = torch_run(lambda ps: torch.optim.SGD(ps, lr=0.05), fn, -20.0)
    traj = optimizers.run("gd", fn, -20.0, STEPS, lr=0.05)
    np.testing.assert_array_equal(traj.x, xs)


# Random settings, small enough that rounding cannot grow into a different path.
SETTINGS = st.fixed_dictionaries(
    {
        "lr": st.floats(1e-3, 0.01),
        "beta1": st.floats(0.5, 0.95),
        "beta2": st.floats(0.8, 0.9999),
        "weight_decay": st.floats(0.0, 0.2),
    }
)
FROM_SETTINGS = {
    "nadam": lambda s: torch.optim.NAdam(
        s["ps"], lr=s["lr"], betas=(s["beta1"], s["beta2"]), weight_decay=s["weight_decay"]
    ),
    "radam": lambda s: torch.optim.RAdam(
        s["ps"], lr=s["lr"], betas=(s["beta1"], s["beta2"]), weight_decay=s["weight_decay"]
    ),
    "adamax": lambda s: torch.optim.Adamax(
        s["ps"], lr=s["lr"], betas=(s["beta1"], s["beta2"]), weight_decay=s["weight_decay"]
    ),
}


@pytest.mark.parametrize("name", list(FROM_SETTINGS))
@settings(max_examples=15, deadline=None)
@given(hp=SETTINGS, x0=st.floats(-20.0, 20.0))
def test_matches_torch_optim_at_random_settings(name, hp, x0):
    fn = functions.get("article")
    xs, _ = torch_run(lambda ps: FROM_SETTINGS[name]({**hp, "ps": ps}), fn, x0, steps=60)
    traj = optimizers.run(name, fn, x0, 60, **hp)
    np.testing.assert_allclose(traj.x, xs, rtol=1e-10, atol=1e-12)


@settings(max_examples=15, deadline=None)
@given(hp=SETTINGS, x0=st.floats(-20.0, 20.0))
def test_lion_matches_lion_pytorch_at_random_settings(hp, x0):
    lion_pytorch = pytest.importorskip("lion_pytorch")
    fn = functions.get("article")
    betas = (hp["beta1"], hp["beta2"])
    xs, _ = torch_run(
        lambda ps: lion_pytorch.Lion(ps, lr=hp["lr"], betas=betas, weight_decay=hp["weight_decay"]),
        fn,
        x0,
        steps=60,
    )
    ours = {"lr": hp["lr"], "beta1": hp["beta1"], "momentum": hp["beta2"]}
    traj = optimizers.run("lion", fn, x0, 60, **ours, weight_decay=hp["weight_decay"])
    np.testing.assert_allclose(traj.x, xs, rtol=1e-10, atol=1e-12)
