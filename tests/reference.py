"""Plain scalar reference loops, one per optimizer, written from the update equations.

Independent of ``optimizers``: Python floats and ``math.sqrt``, one element at a time,
each update written in the same arithmetic order as torch.optim's, so a correct
vectorised runner equals these loops bit for bit, chaotic regimes included. The
objective's own ``df`` / ``d2f`` are called on ``np.float64`` scalars, so the
transcendental functions are the very ones the runner uses.

Each loop returns a ``Ref`` with the same layout as a scalar ``Trajectory``: ``x`` has
steps + 1 entries, ``grad`` and each state list have ``steps`` (entry t - 1 is step t).
``grad`` is the gradient the update used: noise and L2 weight decay included
(AdamW's decoupled decay is not part of its gradient).

Divergence, from the API's contract: when a step's new x is non-finite or lies outside
|x - center| <= escape_radius (or, on a confined objective such as a typed function,
outside its bounds), x stays at its last good value, ``diverged_at`` is that
step, the step's own gradient and state are kept, and every later step's are NaN.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

# The documented "settled" threshold: a step that moves x by more than this fraction
# of the domain's width counts as movement.
SETTLE_FRACTION = 1e-6

NAN = math.nan


def df(fn, x: float) -> float:
    with np.errstate(all="ignore"):
        return float(fn.df(np.float64(x)))


def d2f(fn, x: float) -> float:
    with np.errstate(all="ignore"):
        return float(fn.d2f(np.float64(x)))


def div(a: float, b: float) -> float:
    """a / b with IEEE semantics (inf or nan for b == 0) instead of ZeroDivisionError."""
    if b == 0.0:
        if a == 0.0 or math.isnan(a):
            return NAN
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


@dataclass
class Ref:
    fn: object
    steps: int
    x: list[float]
    grad: list[float] = field(default_factory=list)
    state: dict[str, list[float]] = field(default_factory=dict)
    diverged_at: int = -1
    settled_at: int = 0

    def step(self, t: int, x_new: float, g: float, **state: float) -> bool:
        """Record step t; False once the run has diverged (the caller stops)."""
        x = self.x[-1]
        lo, hi = self.fn.bounds
        self.grad.append(g)
        for k, v in state.items():
            self.state.setdefault(k, []).append(v)
        if not abs(x_new - self.fn.center) <= self.fn.escape_radius or (
            getattr(self.fn, "confined", False) and not lo <= x_new <= hi
        ):
            self.diverged_at = t
            remaining = self.steps - t
            self.x.extend([x] * (remaining + 1))
            self.grad.extend([NAN] * remaining)
            for v in self.state.values():
                v.extend([NAN] * remaining)
            return False
        if abs(x_new - x) > SETTLE_FRACTION * (hi - lo):
            self.settled_at = t
        self.x.append(x_new)
        return True


def gd(fn, x0, steps, lr):
    ref = Ref(fn, steps, [float(x0)])
    x = float(x0)
    for t in range(1, steps + 1):
        g = df(fn, x)
        x_new = x - lr * g
        if not ref.step(t, x_new, g):
            break
        x = x_new
    return ref


def _noisy_gd(fn, x0, steps, lr, scale, seed):
    z = np.random.default_rng(seed).standard_normal(steps).tolist()
    ref = Ref(fn, steps, [float(x0)])
    x = float(x0)
    for t in range(1, steps + 1):
        g = df(fn, x) + scale * z[t - 1]
        x_new = x - lr * g
        if not ref.step(t, x_new, g):
            break
        x = x_new
    return ref


def sgd(fn, x0, steps, lr, noise, seed):
    return _noisy_gd(fn, x0, steps, lr, noise, seed)


def minibatch(fn, x0, steps, lr, noise, batch_size, seed):
    return _noisy_gd(fn, x0, steps, lr, noise / math.sqrt(batch_size), seed)


def momentum(fn, x0, steps, lr, momentum, weight_decay, dampening=0.0, nesterov=False):
    """torch.optim.SGD: the buffer starts as the raw (decayed) gradient at step 1."""
    ref = Ref(fn, steps, [float(x0)])
    x, v = float(x0), 0.0
    for t in range(1, steps + 1):
        g = df(fn, x)
        g = g + weight_decay * x
        v = g if t == 1 else momentum * v + (1 - dampening) * g
        d = g + momentum * v if nesterov else v
        x_new = x - lr * d
        if not ref.step(t, x_new, g, velocity=v):
            break
        x = x_new
    return ref


def adagrad(fn, x0, steps, lr, eps, weight_decay):
    """torch.optim.Adagrad with initial_accumulator_value=0 and lr_decay=0."""
    ref = Ref(fn, steps, [float(x0)])
    x, s = float(x0), 0.0
    for t in range(1, steps + 1):
        g = df(fn, x)
        g = g + weight_decay * x
        s = s + g * g
        denom = math.sqrt(s) + eps
        x_new = x - lr * div(g, denom)
        if not ref.step(t, x_new, g, sum=s, lr_eff=div(lr, denom)):
            break
        x = x_new
    return ref


def rmsprop(fn, x0, steps, lr, beta, eps, weight_decay):
    """torch.optim.RMSprop with alpha=beta, momentum=0, centered=False."""
    ref = Ref(fn, steps, [float(x0)])
    x, s = float(x0), 0.0
    for t in range(1, steps + 1):
        g = df(fn, x)
        g = g + weight_decay * x
        s = beta * s + (1 - beta) * (g * g)
        denom = math.sqrt(s) + eps
        x_new = x - lr * div(g, denom)
        if not ref.step(t, x_new, g, square_avg=s, lr_eff=div(lr, denom)):
            break
        x = x_new
    return ref


def _adam(fn, x0, steps, lr, beta1, beta2, eps, weight_decay, bias_correction, decoupled):
    ref = Ref(fn, steps, [float(x0)])
    x, m, v = float(x0), 0.0, 0.0
    for t in range(1, steps + 1):
        g = df(fn, x)
        if decoupled:  # AdamW: shrink x first, then Adam on the bare gradient
            x_start = x * (1 - lr * weight_decay)
        else:  # Adam: L2 penalty added to the gradient
            g = g + weight_decay * x
            x_start = x
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * (g * g)
        bc1, bc2 = (1 - beta1**t, 1 - beta2**t) if bias_correction else (1.0, 1.0)
        step_size = lr / bc1
        denom = math.sqrt(v) / math.sqrt(bc2) + eps
        x_new = x_start - step_size * div(m, denom)
        state = {"m": m, "v": v, "m_hat": m / bc1, "v_hat": v / bc2}
        # The effective learning rate multiplies m_hat: lr * m_hat / (sqrt(v_hat) + eps).
        if not ref.step(t, x_new, g, **state, lr_eff=div(lr, denom)):
            break
        x = x_new
    return ref


def adam(fn, x0, steps, lr, beta1, beta2, eps, weight_decay, bias_correction):
    return _adam(fn, x0, steps, lr, beta1, beta2, eps, weight_decay, bias_correction, False)


def adamw(fn, x0, steps, lr, beta1, beta2, eps, weight_decay, bias_correction):
    return _adam(fn, x0, steps, lr, beta1, beta2, eps, weight_decay, bias_correction, True)


def newton_reg(fn, x0, steps, alpha):
    ref = Ref(fn, steps, [float(x0)])
    x = float(x0)
    for t in range(1, steps + 1):
        g = df(fn, x)
        curvature = d2f(fn, x) + alpha
        x_new = x - div(g, curvature)
        if not ref.step(t, x_new, g, curvature=curvature, lr_eff=div(1.0, curvature)):
            break
        x = x_new
    return ref


def newton(fn, x0, steps):
    return newton_reg(fn, x0, steps, 0.0)


def nadam(fn, x0, steps, lr, beta1, beta2, eps, weight_decay, momentum_decay):
    """torch.optim.NAdam with L2 weight decay (decoupled_weight_decay=False)."""
    ref = Ref(fn, steps, [float(x0)])
    x, m, v, mu_product = float(x0), 0.0, 0.0, 1.0
    for t in range(1, steps + 1):
        g = df(fn, x)
        g = g + weight_decay * x
        bc2 = 1 - beta2**t
        mu = beta1 * (1.0 - 0.5 * 0.96 ** (t * momentum_decay))
        mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * momentum_decay))
        mu_product = mu_product * mu
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * (g * g)
        denom = math.sqrt(v / bc2) + eps
        x_new = x + div((-lr * (1.0 - mu) / (1.0 - mu_product)) * g, denom)
        x_new = x_new + div((-lr * mu_next / (1.0 - mu_product * mu_next)) * m, denom)
        state = {"m": m, "v": v, "mu_t": mu, "mu_product": mu_product, "lr_eff": div(lr, denom)}
        if not ref.step(t, x_new, g, **state):
            break
        x = x_new
    return ref


def radam(fn, x0, steps, lr, beta1, beta2, eps, weight_decay):
    """torch.optim.RAdam with L2 weight decay: a plain momentum step while rho_t <= 5."""
    ref = Ref(fn, steps, [float(x0)])
    x, m, v = float(x0), 0.0, 0.0
    for t in range(1, steps + 1):
        g = df(fn, x)
        g = g + weight_decay * x
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * (g * g)
        bc1, bc2 = 1 - beta1**t, 1 - beta2**t
        m_hat = m / bc1
        rho_inf = 2 / (1 - beta2) - 1
        rho = rho_inf - 2 * t * beta2**t / bc2
        if rho > 5.0:
            rect = math.sqrt(
                (rho - 4) * (rho - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho)
            )
            adaptive = div(math.sqrt(bc2), math.sqrt(v) + eps)
            x_new = x - m_hat * lr * adaptive * rect
            lr_eff = lr * adaptive * rect
        else:
            rect, x_new, lr_eff = NAN, x - m_hat * lr, lr
        state = {"m": m, "v": v, "m_hat": m_hat, "rho": rho, "rect": rect, "lr_eff": lr_eff}
        if not ref.step(t, x_new, g, **state):
            break
        x = x_new
    return ref


def adamax(fn, x0, steps, lr, beta1, beta2, eps, weight_decay):
    """torch.optim.Adamax."""
    ref = Ref(fn, steps, [float(x0)])
    x, m, u = float(x0), 0.0, 0.0
    for t in range(1, steps + 1):
        g = df(fn, x)
        g = g + weight_decay * x
        m = beta1 * m + (1 - beta1) * g
        u = max(beta2 * u, abs(g) + eps)
        bc1 = 1 - beta1**t
        x_new = x + div(-(lr / bc1) * m, u)
        if not ref.step(t, x_new, g, m=m, u=u, m_hat=m / bc1, lr_eff=div(lr, u)):
            break
        x = x_new
    return ref


def adabelief(fn, x0, steps, lr, beta1, beta2, eps, weight_decay, rectify):
    """adabelief-pytorch 0.2.1: decoupled weight decay, eps added to s in place every
    step, RAdam's rectification (with plain momentum steps while N < 5) when asked."""
    ref = Ref(fn, steps, [float(x0)])
    x, m, s = float(x0), 0.0, 0.0
    for t in range(1, steps + 1):
        g = df(fn, x)
        x_start = x * (1.0 - lr * weight_decay)
        bc1, bc2 = 1 - beta1**t, 1 - beta2**t
        m = beta1 * m + (1 - beta1) * g
        s = beta2 * s + (1 - beta2) * ((g - m) * (g - m)) + eps
        if rectify:
            n_max = 2 / (1 - beta2) - 1
            n = n_max - 2 * t * beta2**t / (1 - beta2**t)
            if n >= 5:
                rect = math.sqrt(
                    (1 - beta2**t) * (n - 4) / (n_max - 4) * (n - 2) / n * n_max / (n_max - 2)
                )
                denom = math.sqrt(s) + eps
                x_new = x_start + div(-(rect / bc1) * lr * m, denom)
                lr_eff = div(rect * lr, denom)
            else:
                x_new = x_start + (-(1.0 / bc1) * lr) * m
                lr_eff = lr
        else:
            denom = math.sqrt(s) / math.sqrt(bc2) + eps
            x_new = x_start + div(-(lr / bc1) * m, denom)
            lr_eff = div(lr, denom)
        if not ref.step(t, x_new, g, m=m, belief=s, m_hat=m / bc1, lr_eff=lr_eff):
            break
        x = x_new
    return ref


def _sign(v: float) -> float:
    return NAN if math.isnan(v) else float((v > 0) - (v < 0))


def lion(fn, x0, steps, lr, beta1, momentum, weight_decay):
    """lion-pytorch's Lion: decay x by lr * weight_decay, step by -lr * sign(c)."""
    ref = Ref(fn, steps, [float(x0)])
    x, m = float(x0), 0.0
    for t in range(1, steps + 1):
        g = df(fn, x)
        c = m * beta1 + (1.0 - beta1) * g
        x_new = x * (1.0 - lr * weight_decay) + -lr * _sign(c)
        m = m * momentum + (1.0 - momentum) * g
        if not ref.step(t, x_new, g, m=m, blend=c):
            break
        x = x_new
    return ref


def _lerp(start: float, end: float, weight: float) -> float:
    """torch.lerp's two formulas, each exact at its own end."""
    if abs(weight) < 0.5:
        return start + weight * (end - start)
    return end - (end - start) * (1 - weight)


def _schedule_free(fn, x0, steps, lr, beta, step_of):
    """The schedulefree package's train-mode loop: the parameter is y, where the gradient
    is read; z takes the steps ``step_of(g, y, t)`` gives; x_avg (what eval() would put
    in the parameter) averages the z with weights lr_max**2."""
    ref = Ref(fn, steps, [float(x0)])
    y = z = x_avg = float(x0)
    lr_max, weight_sum = -1.0, 0.0
    for t in range(1, steps + 1):
        g = df(fn, y)
        g_used, d, extra = step_of(g, y, t)
        lr_max = max(lr, lr_max)
        weight_sum = weight_sum + lr_max**2
        c = lr_max**2 / weight_sum
        y_new = _lerp(y, z, c) + (lr * (beta * (1 - c) - 1)) * d
        z = z - lr * d
        x_avg = _lerp(x_avg, z, c)
        if not ref.step(t, y_new, g_used, z=z, x_avg=x_avg, sf_c=c, **extra):
            break
        y = y_new
    return ref


def sf_sgd(fn, x0, steps, lr, momentum, weight_decay):
    def step_of(g, y, t):
        g = g + weight_decay * y
        return g, g, {}

    return _schedule_free(fn, x0, steps, lr, momentum, step_of)


def sf_adamw(fn, x0, steps, lr, beta1, beta2, eps, weight_decay):
    v = 0.0

    def step_of(g, y, t):
        nonlocal v
        v = v * beta2 + (1 - beta2) * (g * g)
        d = div(g, math.sqrt(v / (1 - beta2**t)) + eps) + weight_decay * y
        return g, d, {"v": v}

    return _schedule_free(fn, x0, steps, lr, beta1, step_of)


def prodigy(fn, x0, steps, lr, beta1, beta2, eps, weight_decay, d0, d_coef):
    """prodigyopt 1.1.2's Prodigy, one parameter: decoupled weight decay, no bias
    correction, no safeguard warm-up, unbounded growth (so d is the running max of d_hat)."""
    ref = Ref(fn, steps, [float(x0)])
    x = start = float(x0)
    d, d_num, s, m, v = d0, 0.0, 0.0, 0.0, 0.0
    beta3 = math.sqrt(beta2)
    for t in range(1, steps + 1):
        g = df(fn, x)
        dlr = d * lr
        m = m * beta1 + (d * (1 - beta1)) * g
        v = v * beta2 + (d * d * (1 - beta2)) * g * g
        s = s * beta3 + ((d / d0) * dlr) * g
        if s != 0:
            d_num = d_num * beta3 + (d / d0) * dlr * (g * (start - x))
            d_hat = d_coef * d_num / abs(s)
            d_new = d_hat if d_hat > d else d
            denom = math.sqrt(v) + d_new * eps
            x_new = x + (-weight_decay * dlr) * x
            x_new = x_new + div(-dlr * m, denom)
        else:  # every gradient so far was 0: prodigyopt returns before moving
            d_new, x_new, denom = d, x, math.sqrt(v) + d * eps
        state = {"d": d_new, "d_num": d_num, "d_den": abs(s), "s": s, "m": m, "v": v}
        if not ref.step(t, x_new, g, **state, lr_eff=div(dlr, denom)):
            break
        x, d = x_new, d_new
    return ref


LOOPS = {
    "gd": gd,
    "sgd": sgd,
    "minibatch": minibatch,
    "momentum": momentum,
    "adagrad": adagrad,
    "rmsprop": rmsprop,
    "adam": adam,
    "adamw": adamw,
    "nadam": nadam,
    "radam": radam,
    "adamax": adamax,
    "adabelief": adabelief,
    "lion": lion,
    "sf_sgd": sf_sgd,
    "sf_adamw": sf_adamw,
    "prodigy": prodigy,
    "newton": newton,
    "newton_reg": newton_reg,
}

INT_PARAMS = {"batch_size", "seed"}


def _scalar(name: str, value):
    if isinstance(value, bool | np.bool_):
        return bool(value)
    return int(value) if name in INT_PARAMS else float(value)


@dataclass
class BatchRef:
    x: np.ndarray
    grad: np.ndarray
    state: dict[str, np.ndarray]
    diverged_at: np.ndarray
    settled_at: np.ndarray


def run_each(name: str, fn, x0, steps: int, **hparams) -> BatchRef:
    """Broadcast x0 and the hyperparameters, run the scalar loop once per element, and
    stack the results as (steps + 1, *batch) / (steps, *batch) arrays."""
    arrays = [np.asarray(x0), *(np.asarray(v) for v in hparams.values())]
    shape = np.broadcast_shapes(*(a.shape for a in arrays))
    x0b = np.broadcast_to(np.asarray(x0, dtype=float), shape)
    hpb = {k: np.broadcast_to(np.asarray(v), shape) for k, v in hparams.items()}
    runs = {}
    for idx in np.ndindex(shape):
        hp = {k: _scalar(k, v[idx]) for k, v in hpb.items()}
        runs[idx] = LOOPS[name](fn, float(x0b[idx]), steps, **hp)
    first = next(iter(runs.values()))
    out = BatchRef(
        x=np.empty((steps + 1, *shape)),
        grad=np.empty((steps, *shape)),
        state={k: np.empty((steps, *shape)) for k in first.state},
        diverged_at=np.empty(shape, int),
        settled_at=np.empty(shape, int),
    )
    for idx, ref in runs.items():
        out.x[(slice(None), *idx)] = ref.x
        out.grad[(slice(None), *idx)] = ref.grad
        for k, v in ref.state.items():
            out.state[k][(slice(None), *idx)] = v
        out.diverged_at[idx] = ref.diverged_at
        out.settled_at[idx] = ref.settled_at
    return out
