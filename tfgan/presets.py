"""Named, paper-default GAN configurations used by the CLI and the examples."""

import dataclasses

from tfgan.architectures import dcgan_discriminator
from tfgan.architectures import dcgan_generator
from tfgan.models import GAN
from tfgan.models.base import default_optimizer
from tfgan.utils.ema import ema_decay_for_half_life


@dataclasses.dataclass(frozen=True)
class Preset:
    """A GAN configuration: networks, losses, optimizers and a default dataset.

    Attributes:
        name: the preset's name.
        image_shape: `(height, width, channels)` of the generated images.
        dataset: the default dataset name for `tfgan.datasets.load`.
        latent_dim: size of the latent vector.
        base_filters: width of the DCGAN networks.
        loss: GAN formulation (see `tfgan.losses.get_pair`).
        batch_size: default batch size.
        ema_half_life: half-life in images of the exponential moving average of the
            generator's weights used for sampling and export, `None` for no average.
            10k images is StyleGAN2-ADA's `ema_kimg = 10` (Karras et al. 2020).
        description: one line for `tfgan train --help`.
    """

    name: str
    image_shape: tuple
    dataset: str
    latent_dim: int = 100
    base_filters: int = 64
    loss: str = "non_saturating"
    batch_size: int = 64
    ema_half_life: int = 10_000
    description: str = ""

    def build(self, latent_dim=None, seed=None, batch_size=None):
        """Returns a compiled `GAN` for this preset.

        Args:
            latent_dim: overrides the preset's latent size.
            seed: the GAN's noise seed.
            batch_size: the batch size training will use (default: the preset's); it turns
                `ema_half_life` into the per-step decay.
        """
        latent_dim = latent_dim or self.latent_dim
        batch_size = batch_size or self.batch_size
        gan = GAN(
            dcgan_generator(self.image_shape, latent_dim=latent_dim,
                            base_filters=self.base_filters),
            dcgan_discriminator(self.image_shape, base_filters=self.base_filters),
            seed=seed,
            ema_decay=(None if self.ema_half_life is None
                       else ema_decay_for_half_life(self.ema_half_life, batch_size)),
        )
        gan.compile(g_optimizer=default_optimizer(), d_optimizer=default_optimizer(),
                    loss=self.loss)
        return gan


PRESETS = {
    preset.name: preset
    for preset in (
        # Batch 64, not the paper's 128: twice the updates in the same CPU time
        # (MNIST FID 32.3 vs 42.5 after 20 epochs; benchmarks/RESULTS.md).
        Preset("dcgan-mnist", (28, 28, 1), "embedded-mnist", latent_dim=64, base_filters=32,
               batch_size=64,
               description="DCGAN (Radford et al. 2016) for 28x28 grayscale digits"),
        Preset("dcgan-cifar10", (32, 32, 3), "cifar10", base_filters=64, batch_size=64,
               description="DCGAN for 32x32 RGB images"),
        Preset("dcgan-64", (64, 64, 3), "celeb_a", base_filters=64, batch_size=64,
               description="DCGAN for 64x64 RGB images (the paper's resolution)"),
    )
}


def get(name):
    """Returns the `Preset` called `name`."""
    if name not in PRESETS:
        raise ValueError(f"Unknown preset. Expected one of {sorted(PRESETS)}. "
                         f"Received: preset={name!r}")
    return PRESETS[name]
