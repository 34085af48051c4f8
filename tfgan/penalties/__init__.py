"""Discriminator penalties: serializable objects called as `penalty(discriminate, real, fake)`.

| class | term | paper |
| --- | --- | --- |
| `GradientPenalty` | `λ·E[(‖∇D(x̂)‖ - 1)²]` (or one-sided) | Gulrajani et al. 2017 |
| `R1Penalty` | `(γ/2)·E_data[‖∇D(x)‖²]` | Mescheder et al. 2018 |
| `R2Penalty` | `(γ/2)·E_G[‖∇D(G(z))‖²]` | Mescheder et al. 2018 |

Pass them to `GAN.compile(penalty=...)`; WGAN weight clipping is `compile(clip_weights=c)`.
"""

import keras

from tfgan.penalties.base import Penalty
from tfgan.penalties.base import input_gradients
from tfgan.penalties.gradient_penalty import GradientPenalty
from tfgan.penalties.gradient_penalty import interpolate
from tfgan.penalties.r1 import R1Penalty
from tfgan.penalties.r1 import R2Penalty

_PENALTIES = {"gradient_penalty": GradientPenalty, "gp": GradientPenalty,
              "r1": R1Penalty, "r2": R2Penalty}


def get(identifier):
    """Resolves a penalty from a name (`"gp"`, `"r1"`, `"r2"`), a config dict or an object."""
    if isinstance(identifier, str):
        if identifier not in _PENALTIES:
            raise ValueError(f"Unknown penalty name. Expected one of {sorted(_PENALTIES)}. "
                             f"Received: identifier={identifier!r}")
        return _PENALTIES[identifier]()
    if isinstance(identifier, dict):
        return keras.saving.deserialize_keras_object(identifier)
    if isinstance(identifier, Penalty):
        return identifier
    raise TypeError("A penalty must be a name, a config dict or a `tfgan.penalties.Penalty`. "
                    f"Received: identifier={identifier!r}")
