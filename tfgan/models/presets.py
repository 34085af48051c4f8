"""Compile settings of published GAN variants: `gan.compile(**preset("wgan_gp"))`.

| name | loss | D steps | optimizers | stabilizer | paper |
| --- | --- | --- | --- | --- | --- |
| `"wgan"` | wasserstein | 5 | RMSprop(5e-5) | weight clipping 0.01 | Arjovsky et al. 2017 |
| `"wgan_gp"` | wasserstein | 5 | Adam(1e-4, 0, 0.9) | gradient penalty λ = 10 | Gulrajani et al. 2017 |
| `"wgan_gp_one_sided"` | wasserstein | 5 | Adam(1e-4, 0, 0.9) | one-sided GP λ = 10 | Gulrajani et al. 2017 (appendix) |
| `"sngan"` | hinge | 5 | Adam(2e-4, 0, 0.9) | spectral norm in D (architecture) | Miyato et al. 2018 |
| `"r1"` | non_saturating | 1 | Adam(2e-4, 0, 0.99) | R1 γ = 10 | Mescheder et al. 2018 |
| `"mixture_2d"` | non_saturating | 1 | Adam(1e-3, 0.5), linear decay to 0 over the 2nd half of `steps` | lazy R1 γ = 0.1 every 4 | this library, for 2D mixtures |

SNGAN's spectral normalization lives in the discriminator
(`tfgan.architectures.sngan_discriminator`); its preset only sets the training recipe.

`"mixture_2d"` is the recipe of the 2D mode-coverage benchmark (`benchmarks/mixture_modes.py`,
results in benchmarks/RESULTS.md): with `GAN(ema_decay=0.999)` and the MLPs of
`tfgan.architectures.mlp_generator` / `mlp_discriminator` it captures all 8 modes of the
ring and all 25 of the grid with about 97% high-quality samples. R1 (Mescheder et al. 2018)
with StyleGAN2's lazy regularization (Karras et al. 2020) keeps the discriminator smooth
around the data; the learning-rate decay and the EMA make the generator settle on the modes
instead of orbiting them.
"""

import numbers

import keras

from tfgan import penalties
from tfgan.stabilizers import WeightClipping
from tfgan.utils.schedules import LinearDecay


def _adam(lr, beta_1, beta_2):
    return keras.optimizers.Adam(learning_rate=lr, beta_1=beta_1, beta_2=beta_2)


def _wgan():
    return {"loss": "wasserstein", "d_steps": 5, "stabilizers": [WeightClipping(0.01)],
            "g_optimizer": keras.optimizers.RMSprop(learning_rate=5e-5),
            "d_optimizer": keras.optimizers.RMSprop(learning_rate=5e-5)}


def _wgan_gp(one_sided=False):
    return {"loss": "wasserstein", "d_steps": 5,
            "stabilizers": [penalties.GradientPenalty(weight=10.0, one_sided=one_sided)],
            "g_optimizer": _adam(1e-4, 0.0, 0.9), "d_optimizer": _adam(1e-4, 0.0, 0.9)}


def _sngan():
    return {"loss": "hinge", "d_steps": 5,
            "g_optimizer": _adam(2e-4, 0.0, 0.9), "d_optimizer": _adam(2e-4, 0.0, 0.9)}


def _r1():
    return {"loss": "non_saturating", "d_steps": 1, "stabilizers": [penalties.R1Penalty(10.0)],
            "g_optimizer": _adam(2e-4, 0.0, 0.99), "d_optimizer": _adam(2e-4, 0.0, 0.99)}


def _mixture_2d(steps):
    def adam():
        return _adam(LinearDecay(1e-3, steps // 2, steps - steps // 2), 0.5, 0.999)

    return {"loss": "non_saturating", "d_steps": 1,
            "stabilizers": [penalties.R1Penalty(gamma=0.1, every=4)],
            "g_optimizer": adam(), "d_optimizer": adam()}


_PRESETS = {"wgan": _wgan, "wgan_gp": _wgan_gp,
            "wgan_gp_one_sided": lambda: _wgan_gp(one_sided=True),
            "sngan": _sngan, "r1": _r1, "mixture_2d": _mixture_2d}
_SCHEDULED = ("mixture_2d",)  # presets whose learning rate follows the run's length


def preset(name, steps=None, **overrides):
    """Returns fresh `GAN.compile` keyword arguments of a published variant.

    Args:
        name: one of `"wgan"`, `"wgan_gp"`, `"wgan_gp_one_sided"`, `"sngan"`, `"r1"`,
            `"mixture_2d"`.
        steps: the number of training steps, required by the presets with a learning-rate
            schedule (`"mixture_2d"`) and refused by the others.
        **overrides: compile arguments that replace the preset's (e.g. `run_eagerly`).

    Returns:
        A dict for `gan.compile(**preset(name))`, with new optimizer objects each call.
    """
    if name not in _PRESETS:
        raise ValueError(f"Unknown preset. Expected one of {sorted(_PRESETS)}. "
                         f"Received: name={name!r}")
    if name in _SCHEDULED:
        if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 2:
            raise ValueError(f"Preset {name!r} decays its learning rate over the run: pass "
                             f"`steps`, the number of training steps (an integer >= 2). "
                             f"Received: steps={steps!r}")
        config = _PRESETS[name](int(steps))
    elif steps is not None:
        raise ValueError(f"Preset {name!r} has no schedule, so it takes no `steps`. "
                         f"Received: steps={steps!r}")
    else:
        config = _PRESETS[name]()
    config.update(overrides)
    return config
