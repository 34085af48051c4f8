"""WGAN weight clipping."""

import keras
from keras import ops

from tfgan.stabilizers.base import Stabilizer


@keras.saving.register_keras_serializable(package="tfgan")
class WeightClipping(Stabilizer):
    """Clips every trainable discriminator weight to `[-c, c]` after each D update
    (Arjovsky et al. 2017, WGAN), a crude Lipschitz constraint; the gradient penalty
    (`tfgan.penalties.GradientPenalty`) replaced it in later work.

    Args:
        clip: `c`. The paper uses 0.01.
    """

    hook = "after_update"

    def __init__(self, clip=0.01):
        if not float(clip) > 0:
            raise ValueError(f"`clip` must be a positive number. Received: clip={clip}")
        self.clip = float(clip)

    def after_update(self, model, network):
        """Clips the discriminator weights after a `"discriminator"` update."""
        if network != "discriminator":
            return
        for variable in model.discriminator_variables:
            variable.assign(ops.clip(variable, -self.clip, self.clip))

    def get_config(self):
        return {"clip": self.clip}
