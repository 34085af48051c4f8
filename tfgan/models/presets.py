"""Compile settings of published GAN variants: `gan.compile(**preset("wgan_gp"))`.

| name | loss | D steps | optimizers | stabilizer | paper |
| --- | --- | --- | --- | --- | --- |
| `"wgan"` | wasserstein | 5 | RMSprop(5e-5) | weight clipping 0.01 | Arjovsky et al. 2017 |
| `"wgan_gp"` | wasserstein | 5 | Adam(1e-4, 0, 0.9) | gradient penalty λ = 10 | Gulrajani et al. 2017 |
| `"wgan_gp_one_sided"` | wasserstein | 5 | Adam(1e-4, 0, 0.9) | one-sided GP λ = 10 | Gulrajani et al. 2017 (appendix) |
| `"sngan"` | hinge | 5 | Adam(2e-4, 0, 0.9) | spectral norm in D (architecture) | Miyato et al. 2018 |
| `"r1"` | non_saturating | 1 | Adam(2e-4, 0, 0.99) | R1 γ = 10 | Mescheder et al. 2018 |

SNGAN's spectral normalization lives in the discriminator
(`tfgan.architectures.sngan_discriminator`); its preset only sets the training recipe.
"""

import keras

from tfgan import penalties


def _adam(lr, beta_1, beta_2):
    return keras.optimizers.Adam(learning_rate=lr, beta_1=beta_1, beta_2=beta_2)


def _wgan():
    return {"loss": "wasserstein", "d_steps": 5, "clip_weights": 0.01,
            "g_optimizer": keras.optimizers.RMSprop(learning_rate=5e-5),
            "d_optimizer": keras.optimizers.RMSprop(learning_rate=5e-5)}


def _wgan_gp(one_sided=False):
    return {"loss": "wasserstein", "d_steps": 5,
            "penalty": penalties.GradientPenalty(weight=10.0, one_sided=one_sided),
            "g_optimizer": _adam(1e-4, 0.0, 0.9), "d_optimizer": _adam(1e-4, 0.0, 0.9)}


def _sngan():
    return {"loss": "hinge", "d_steps": 5,
            "g_optimizer": _adam(2e-4, 0.0, 0.9), "d_optimizer": _adam(2e-4, 0.0, 0.9)}


def _r1():
    return {"loss": "non_saturating", "d_steps": 1, "penalty": penalties.R1Penalty(10.0),
            "g_optimizer": _adam(2e-4, 0.0, 0.99), "d_optimizer": _adam(2e-4, 0.0, 0.99)}


_PRESETS = {"wgan": _wgan, "wgan_gp": _wgan_gp,
            "wgan_gp_one_sided": lambda: _wgan_gp(one_sided=True),
            "sngan": _sngan, "r1": _r1}


def preset(name, **overrides):
    """Returns fresh `GAN.compile` keyword arguments of a published variant.

    Args:
        name: one of `"wgan"`, `"wgan_gp"`, `"wgan_gp_one_sided"`, `"sngan"`, `"r1"`.
        **overrides: compile arguments that replace the preset's (e.g. `run_eagerly`).

    Returns:
        A dict for `gan.compile(**preset(name))`, with new optimizer objects each call.
    """
    if name not in _PRESETS:
        raise ValueError(f"Unknown preset. Expected one of {sorted(_PRESETS)}. "
                         f"Received: name={name!r}")
    config = _PRESETS[name]()
    config.update(overrides)
    return config
