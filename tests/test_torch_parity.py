"""optimizers.run against torch.optim itself (float64, gradients set by hand)."""

from __future__ import annotations

import numpy as np
import pytest

import functions
import optimizers

torch = pytest.importorskip("torch")

STEPS = 200


def torch_run(make_opt, fn, x0: float, steps: int = STEPS):
    """x after every step, and the optimizer's per-step state, from torch.optim."""
    p = torch.nn.Parameter(torch.tensor([x0], dtype=torch.float64))
    opt = make_opt([p])
    xs, states = [x0], []
    for _ in range(steps):
        x = p.detach().numpy()[0]
        p.grad = torch.tensor([float(fn.df(np.float64(x)))], dtype=torch.float64)
        opt.step()
        xs.append(p.item())
        states.append({k: v.item() for k, v in opt.state[p].items() if torch.is_tensor(v)})
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
}


@pytest.mark.parametrize(("fn_name", "x0"), [("quadratic", -8.0), ("article", -20.0)])
@pytest.mark.parametrize("case", list(CASES))
def test_matches_torch_optim(case, fn_name, x0):
    name, hp, make_opt, state_map = CASES[case]
    fn = functions.get(fn_name)
    xs, state = torch_run(make_opt, fn, x0)
    traj = optimizers.run(name, fn, x0, STEPS, **hp)
    assert traj.diverged_at == -1
    assert np.max(np.abs(xs - x0)) > 0.5  # the run really moves
    np.testing.assert_allclose(traj.x, xs, rtol=1e-10)
    for ours, theirs in state_map.items():
        scale = np.max(np.abs(state[theirs]))
        np.testing.assert_allclose(
            traj.state[ours], state[theirs], rtol=1e-10, atol=1e-10 * scale, err_msg=ours
        )


@pytest.mark.parametrize("case", ["momentum", "adagrad", "rmsprop", "adam", "adamw"])
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
