"""Adversarial losses: per-sample functions, Keras `Loss` classes and the name registry.

`get("hinge")` returns a loss object; `get_pair("hinge")` returns the (discriminator,
generator) losses of a named GAN formulation:

| name | discriminator | generator | paper |
| --- | --- | --- | --- |
| `"minimax"` | NonSaturatingLoss | SaturatingLoss | Goodfellow et al. 2014 |
| `"non_saturating"` | NonSaturatingLoss | NonSaturatingLoss | Goodfellow et al. 2014 |
| `"least_squares"` | LeastSquaresLoss | LeastSquaresLoss | Mao et al. 2017 |
| `"wasserstein"` | WassersteinLoss | WassersteinLoss | Arjovsky et al. 2017 |
| `"hinge"` | HingeLoss | WassersteinLoss | Lim & Ye 2017; Miyato et al. 2018 |
"""

import keras

from tfgan.losses.adversarial import HingeLoss
from tfgan.losses.adversarial import LeastSquaresLoss
from tfgan.losses.adversarial import NonSaturatingLoss
from tfgan.losses.adversarial import SaturatingLoss
from tfgan.losses.adversarial import WassersteinLoss
from tfgan.losses.adversarial import hinge
from tfgan.losses.adversarial import least_squares
from tfgan.losses.adversarial import non_saturating
from tfgan.losses.adversarial import saturating
from tfgan.losses.adversarial import wasserstein

_LOSSES = {
    "non_saturating": NonSaturatingLoss,
    "saturating": SaturatingLoss,
    "least_squares": LeastSquaresLoss,
    "lsgan": LeastSquaresLoss,
    "wasserstein": WassersteinLoss,
    "wgan": WassersteinLoss,
    "hinge": HingeLoss,
}

_PAIRS = {
    "minimax": ("non_saturating", "saturating"),
    "non_saturating": ("non_saturating", "non_saturating"),
    "least_squares": ("least_squares", "least_squares"),
    "lsgan": ("least_squares", "least_squares"),
    "wasserstein": ("wasserstein", "wasserstein"),
    "wgan": ("wasserstein", "wasserstein"),
    "hinge": ("hinge", "wasserstein"),
}


def serialize(loss):
    """Returns the Keras config of a loss object."""
    return keras.saving.serialize_keras_object(loss)


def deserialize(config):
    """Rebuilds a loss from `serialize`'s output."""
    return keras.saving.deserialize_keras_object(config)


def get(identifier):
    """Resolves a loss from a name, a config dict or a callable.

    Args:
        identifier: one of `"non_saturating"`, `"saturating"`, `"least_squares"` (`"lsgan"`),
            `"wasserstein"` (`"wgan"`), `"hinge"`; a config dict from `serialize`; a
            `keras.losses.Loss` or any callable `loss(target, logits)`.

    Returns:
        A callable loss object.
    """
    if isinstance(identifier, str):
        if identifier not in _LOSSES:
            raise ValueError(
                f"Unknown loss name. Expected one of {sorted(_LOSSES)}. "
                f"Received: identifier={identifier!r}"
            )
        return _LOSSES[identifier]()
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise TypeError(
        "A loss must be a name, a config dict or a callable `loss(target, logits)`. "
        f"Received: identifier={identifier!r} of type {type(identifier).__name__}"
    )


def get_pair(name):
    """Returns fresh `(discriminator_loss, generator_loss)` objects of a GAN formulation.

    Args:
        name: one of `"minimax"`, `"non_saturating"`, `"least_squares"` (`"lsgan"`),
            `"wasserstein"` (`"wgan"`), `"hinge"`.
    """
    if name not in _PAIRS:
        raise ValueError(
            f"Unknown GAN loss. Expected one of {sorted(_PAIRS)}. Received: loss={name!r}"
        )
    d_name, g_name = _PAIRS[name]
    return get(d_name), get(g_name)
