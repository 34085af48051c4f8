"""Zero-centered gradient penalties on real (R1) and fake (R2) data (Mescheder et al. 2018)."""

import keras
from keras import ops

from tfgan.penalties.base import Penalty
from tfgan.penalties.base import input_gradients
from tfgan.penalties.base import squared_norms


class _ZeroCenteredPenalty(Penalty):
    on = None

    def __init__(self, gamma=10.0, every=1, name=None):
        super().__init__(weight=0.5 * float(gamma), every=every, name=name)
        self.gamma = float(gamma)

    def value(self, discriminate, real, fake, seed=None):
        images = real if self.on == "real" else fake
        return ops.mean(squared_norms(input_gradients(discriminate, images)))

    def get_config(self):
        return {"gamma": self.gamma, "every": self.every, "name": self.name}


@keras.saving.register_keras_serializable(package="tfgan")
class R1Penalty(_ZeroCenteredPenalty):
    """R1 regularization (Mescheder et al. 2018): `(γ/2)·E_x~data[‖∇D(x)‖²]`.

    Penalizes the discriminator's gradient on real data only, which makes the GAN
    locally convergent around the equilibrium. The logged value is `E‖∇D(x)‖²` (without
    γ/2). With lazy regularization (`every=16`, Karras et al. 2020) the term is computed on
    one update in 16 with weight `(γ/2)·16`.

    Args:
        gamma: γ. Default 10 (Mescheder et al. 2018, their CelebA/LSUN experiments);
            StyleGAN2 scales it with resolution (e.g. 0.01-100). Small 2D problems need a
            small γ (0.1).
        every: lazy regularization interval. Default 1 (every update); StyleGAN2 uses 16.
        name: metric name. Default `"r1_penalty"`.
    """

    on = "real"

    def __init__(self, gamma=10.0, every=1, name="r1_penalty"):
        super().__init__(gamma=gamma, every=every, name=name)


@keras.saving.register_keras_serializable(package="tfgan")
class R2Penalty(_ZeroCenteredPenalty):
    """R2 regularization (Mescheder et al. 2018): `(γ/2)·E_z[‖∇D(G(z))‖²]` on fakes.

    Args:
        gamma: γ. Default 10.
        every: lazy regularization interval. Default 1.
        name: metric name. Default `"r2_penalty"`.
    """

    on = "fake"

    def __init__(self, gamma=10.0, every=1, name="r2_penalty"):
        super().__init__(gamma=gamma, every=every, name=name)
