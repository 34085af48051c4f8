"""InfoGAN: an unsupervised GAN whose latent carries a categorical code it must keep."""

import keras
import tensorflow as tf
from keras import ops

from tfgan.models.conditional_gan import ConditionalGAN
from tfgan.utils import distribute
from tfgan.utils.seeds import stateless_seed

# Salt separating the stream of the codes from the latents' and the stabilizers'.
_SALT_CODES = 1_000_037


@keras.saving.register_keras_serializable(package="tfgan")
class InfoGAN(ConditionalGAN):
    """InfoGAN with one categorical code (Chen et al. 2016), trained with `fit` on images
    alone.

    The generator maps `[z, c]` to images, where `c` is a code drawn uniformly from
    `num_codes` values; the discriminator's output is `(batch, 1 + num_codes)`, the
    adversarial logit then the logits of `Q(c | x)`, a head sharing D's trunk. Besides the
    adversarial losses, both networks minimize `info_weight · CE(c, Q(G(z, c)))`, a lower
    bound on the mutual information between the code and the image: G must make images
    from which the code can be read back. On data made of clusters the codes can come to
    name them without any label (the digit classes of MNIST in the paper, after long
    training; after 600 s on 2 CPU cores tfgan's runs matched digits for 57% of samples,
    `benchmarks/RESULTS.md`). `sample_grid` shows one code per row.

    It is a `ConditionalGAN` whose labels are the drawn codes: the generators and
    discriminators of `tfgan.architectures.conditional_dcgan_*` serve (a discriminator
    with `conditioning="none"` and `auxiliary_classifier=True`), `generate(labels=...)`
    takes codes, and export gives the generator's `[z, labels]` signature. Labels in the
    data are ignored. The code of each step comes from a stateless stream of `seed` and the
    `step` counter, as the latents do.

    Logs (besides `GAN`'s): `d_aux_loss` / `g_aux_loss`, the code cross-entropy of each
    network's update, and `code_accuracy`, the share of fakes whose code Q reads back.

    Args:
        generator: a Keras model `[z, codes] → images`.
        discriminator: a Keras model `[images, codes] → (batch, 1 + num_codes)` logits
            that ignores its `codes` input.
        num_codes: number of values of the categorical code. Default 10 (Chen et al. 2016,
            MNIST).
        info_weight: weight λ of the code loss. Default 1, the paper's for discrete codes.
        latent_dim: size of `z`; `None` reads it from the generator's first input.
        seed: seed of the latent and code noise (see `GAN`).
        **kwargs: passed to `keras.Model`.
    """

    AUXILIARY_METRICS = ("d_aux_loss", "g_aux_loss", "code_accuracy")

    def __init__(self, generator, discriminator, num_codes=10, info_weight=1.0,
                 latent_dim=None, seed=None, **kwargs):
        if info_weight is None or float(info_weight) <= 0:
            raise ValueError(f"`info_weight` must be positive. Received: info_weight={info_weight}")
        super().__init__(generator, discriminator, num_classes=num_codes,
                         latent_dim=latent_dim, seed=seed, auxiliary_weight=info_weight,
                         **kwargs)

    @property
    def num_codes(self):
        return self.num_classes

    def training_codes(self, batch_size):
        """The codes of the current train step, uniform in `[0, num_codes)` (per replica,
        the rows of the global batch as `training_latents`)."""
        return distribute.replica_rows(
            lambda n: tf.random.stateless_uniform(
                (n,), stateless_seed(self.seed, self.step, _SALT_CODES), 0, self.num_classes,
                dtype="int32"),
            batch_size)

    def _unpack(self, data):
        real, _ = super()._unpack(data)
        return real, self.training_codes(ops.shape(real)[0])

    def auxiliary_discriminator_loss(self, codes, real_logits, fake_logits):
        """Q's code cross-entropy on the fakes only (real images carry no code), with
        `code_accuracy`."""
        del real_logits
        info = self.class_loss(codes, fake_logits[:, 1:])
        correct = ops.cast(ops.argmax(fake_logits[:, 1:], axis=-1) == codes, "float32")
        return info, {"d_aux_loss": info * distribute.num_replicas(),
                      "code_accuracy": ops.mean(correct)}

    def get_config(self):
        config = super().get_config()
        config["num_codes"] = config.pop("num_classes")
        config["info_weight"] = config.pop("auxiliary_weight")
        return config
