"""Inpainting with a context encoder GAN (Pathak et al. 2016; local D: Iizuka et al. 2017)."""

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from tfgan.layers.mask_composite import MaskComposite
from tfgan.models.base import AdversarialModel
from tfgan.utils import distribute
from tfgan.utils.batching import predict_in_batches
from tfgan.utils.validation import check_non_negative


def _hole_starts(hole, length, size):
    """First index of a `size` window centred on each row's run of True (clamped)."""
    index = tf.range(length)
    first = tf.reduce_min(tf.where(hole, index, length), axis=1)
    last = tf.reduce_max(tf.where(hole, index, -1), axis=1)
    centre = tf.where(tf.reduce_any(hole, axis=1), (first + last + 1) // 2, length // 2)
    return tf.clip_by_value(centre - size // 2, 0, length - size)


def local_crops(images, masks, size):
    """The `size`x`size` square of each image centred on its hole's bounding box, shifted
    to lie inside the image (the image's centre for a mask without a hole): what the local
    discriminator of Iizuka et al. (2017) judges.

    Args:
        images: `(batch, h, w, c)`.
        masks: `(batch, h, w, 1)`, 1 = hole.
        size: the crop's side.

    Returns:
        `(batch, size, size, c)`, the pixels of `images` unchanged (a gather, not a resize).
    """
    hole = masks[..., 0] > 0.5
    height, width = images.shape[1], images.shape[2]
    top = _hole_starts(tf.reduce_any(hole, axis=2), height, size)
    left = _hole_starts(tf.reduce_any(hole, axis=1), width, size)
    window = tf.range(size)
    rows = tf.gather(images, top[:, None] + window, axis=1, batch_dims=1)
    return tf.gather(rows, left[:, None] + window, axis=2, batch_dims=1)


@keras.saving.register_keras_serializable(package="tfgan")
class Inpainting(AdversarialModel):
    """Context Encoders (Pathak et al. 2016): fill the hole of an image from its context.

    The generator sees the image with its hole set to 0 and the mask, `G(x ⊙ (1 - m), m)`,
    and predicts the whole image; the completion keeps the known pixels exactly and takes
    only the hole from the prediction, `x̂ = where(m, G(·), x)`. Each `train_step`:

    - D minimizes `d_loss(1, D(x)) + d_loss(0, D(x̂))` on whole images (global), plus the
      same on `local_crops` around the hole when there is a local discriminator (Iizuka et
      al. 2017);
    - G minimizes `λ_rec · L_rec + λ_adv · g_loss(1, D(x̂))` (+ the local term), with
      `L_rec` the mean squared error over the hole's pixels (each image's mean; images
      without a hole count 0) and λ_rec = 0.999, λ_adv = 0.001 (the paper's).

    Data: `fit` takes `(images, masks)` batches, images in [-1, 1] and masks `(h, w, 1)`
    with 1 on the hole (`tfgan.datasets.inpainting_examples`). Networks:
    `tfgan.architectures.inpainting_generator` and `inpainting_discriminator` (with
    `local=True` for the local one). Stabilizers (`compile(stabilizers=...)`) apply to the
    global discriminator.

    Metrics: `d_loss`, `g_loss` (total), `g_gan_loss`, `reconstruction_loss`,
    `real_score`, `fake_score` (the global D's mean logits), and what stabilizers log.

    Args:
        generator: a Keras model `[image, mask] → prediction` of the whole image.
        discriminator: a Keras model `images → logits` on whole images.
        local_discriminator: optional Keras model `crops → logits` on
            `local_crops(images, masks, size)`, `size` its input's side. Default None.
        seed: seed of the stabilizers' noise. `None` draws one.
        ema_decay: EMA of the generator's weights, used by `inpaint` and export; see
            `tfgan.models.AdversarialModel`. Default None.
        **kwargs: passed to `keras.Model`.
    """

    BATCH = ("images", "masks")
    COMPILE_ARGS = ("reconstruction_weight", "adversarial_weight")

    def __init__(self, generator, discriminator, local_discriminator=None, seed=None,
                 ema_decay=None, **kwargs):
        super().__init__(seed=seed, ema_decay=ema_decay, **kwargs)
        self._set_networks(generator=generator, discriminator=discriminator)
        self.local_discriminator = None
        if local_discriminator is not None:
            self._set_networks(local_discriminator=local_discriminator)
        self._add_trackers("d_loss", "g_loss", "g_gan_loss", "reconstruction_loss",
                           "real_score", "fake_score")
        self._masked_input = MaskComposite(name="masked_input")
        self._composite = MaskComposite(name="composite")
        self._init_state()

    @property
    def discriminator_variables(self):
        local = self.local_discriminator
        return super().discriminator_variables + (local.trainable_variables if local else [])

    def compile(self, g_optimizer=None, d_optimizer=None, loss="non_saturating",
                reconstruction_weight=0.999, adversarial_weight=0.001, **kwargs):
        """Configures training.

        Args:
            g_optimizer: generator optimizer; `None` is Adam(2e-4, β1 = 0.5) (DCGAN's).
            d_optimizer: discriminator optimizer (both discriminators); same default.
            loss: GAN formulation for `tfgan.losses.get_pair` (default
                `"non_saturating"`).
            reconstruction_weight: λ_rec of the hole's mean squared error. Default 0.999
                (Pathak et al. 2016).
            adversarial_weight: λ_adv of the generator's adversarial loss. Default 0.001
                (Pathak et al. 2016); 0 trains the plain context encoder (L2 only, which
                the paper shows gives blurry holes).
            **kwargs: `g_loss`, `d_loss`, `stabilizers` and `keras.Model.compile`
                arguments (see `AdversarialModel.compile`).
        """
        self.reconstruction_weight = check_non_negative("reconstruction_weight",
                                                        reconstruction_weight)
        self.adversarial_weight = check_non_negative("adversarial_weight", adversarial_weight)
        super().compile(g_optimizer=g_optimizer, d_optimizer=d_optimizer, loss=loss, **kwargs)

    # ------------------------------------------------------------------ training

    def complete(self, generator, images, masks, training=False):
        """`(prediction, completed)`: the generator's whole-image prediction from the masked
        image and the mask, and the image with only its hole taken from the prediction."""
        images, masks = ops.convert_to_tensor(images), ops.convert_to_tensor(masks)
        prediction = generator([self._masked_input([images, masks]), masks], training=training)
        return prediction, self._composite([images, prediction, masks])

    def _unpack(self, data):
        images, masks = self.unpack(data, self.BATCH, second_required=True)
        return ops.cast(images, "float32"), ops.cast(masks, "float32")

    def _reconstruction(self, images, prediction, masks):
        hole = ops.cast(masks > 0.5, "float32")
        squared = ops.sum(hole * ops.square(images - prediction), axis=(1, 2, 3))
        count = ops.sum(hole, axis=(1, 2, 3)) * images.shape[-1]
        return ops.mean(squared / ops.maximum(count, 1.0)) / distribute.num_replicas()

    def _forward(self, images, masks, training):
        prediction, completed = self.complete(self.generator, images, masks, training)
        real_view, fake_view, real_logits, fake_logits, d_loss, g_gan = self.judge(
            images, completed, training)
        if self.local_discriminator is not None:
            size = self.local_discriminator.inputs[0].shape[1]
            local_real = self.local_discriminator(local_crops(images, masks, size),
                                                  training=training)
            local_fake = self.local_discriminator(local_crops(completed, masks, size),
                                                  training=training)
            d_loss = d_loss + self.d_loss(1.0, local_real) + self.d_loss(0.0, local_fake)
            g_gan = g_gan + self.g_loss(1.0, local_fake)
        reconstruction = self._reconstruction(images, prediction, masks)
        g_loss = (self.reconstruction_weight * reconstruction
                  + self.adversarial_weight * g_gan)
        return real_view, fake_view, (d_loss, g_loss, g_gan, reconstruction, real_logits,
                                      fake_logits)

    def train_step(self, data):
        images, masks = self._unpack(data)
        with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
            real_view, fake_view, losses = self._forward(images, masks, training=True)
        d_loss, g_loss = losses[:2]
        d_loss, g_loss = self.joint_update(d_tape, g_tape, d_loss, g_loss, self.discriminator,
                                           real_view, fake_view)
        self.step.assign_add(1)
        return self._log_step(d_loss, g_loss, *losses[2:])

    def test_step(self, data):
        images, masks = self._unpack(data)
        return self._log_step(*self._forward(images, masks, training=False)[2])

    def _log_step(self, d_loss, g_loss, g_gan, reconstruction, real_logits, fake_logits):
        return self.log({"d_loss": d_loss, "g_loss": g_loss, "g_gan_loss": g_gan,
                         "reconstruction_loss": reconstruction},
                        {"real_score": ops.mean(ops.cast(real_logits, "float32")),
                         "fake_score": ops.mean(ops.cast(fake_logits, "float32"))})

    # ------------------------------------------------------------------ inference

    @property
    def serving_generator(self):
        """A functional model `[image, mask] → completed image` around the sampling
        generator (EMA when on): what `tfgan.export.export_generator` exports, so the
        served completion keeps the known pixels exactly too."""
        generator = self.sampling_generator
        image = keras.Input(tuple(generator.inputs[0].shape[1:]), name="image")
        mask = keras.Input(tuple(generator.inputs[1].shape[1:]), name="mask")
        prediction = generator([MaskComposite(name="masked_input")([image, mask]), mask])
        completed = MaskComposite(name="completed")([image, prediction, mask])
        return keras.Model([image, mask], completed, name="inpainting")

    def inpaint(self, images, masks, batch_size=16):
        """Fills the holes of `images` with the (EMA, when on) generator.

        Args:
            images: array `(n, h, w, c)` in [-1, 1] (the hole's pixels are ignored).
            masks: array `(n, h, w, 1)`, 1 on the hole.
            batch_size: images per generator call.

        Returns:
            A float32 numpy array `(n, h, w, c)`: `images` outside the holes (exactly),
            the generator's prediction inside.
        """
        images = np.asarray(images, dtype="float32")
        masks = np.asarray(masks, dtype="float32")
        if masks.shape != images.shape[:-1] + (1,):
            raise ValueError(f"`masks` must be (n, h, w, 1) for images of shape "
                             f"{images.shape}. Received: masks.shape={masks.shape}")
        return predict_in_batches(self.serving_generator, [images, masks], batch_size)

    def sample(self, n=16, seed=0, inputs=None):
        """Completions of the first `n` of `inputs`, held-out images with their mask as
        the last channel `(n, h, w, c + 1)` (for sample grids).

        Returns:
            A float32 array `(min(n, len(inputs)), h, w, c)` in [-1, 1].
        """
        del seed
        if inputs is None:
            raise ValueError("Inpainting samples by completing inputs: pass `inputs`, held-out "
                             "images in [-1, 1] with the mask as the last channel "
                             "(n, h, w, c + 1). Received: inputs=None")
        inputs = np.asarray(inputs, dtype="float32")[:n]
        return self.inpaint(inputs[..., :-1], inputs[..., -1:])

    # ------------------------------------------------------------------ serialization

    def get_config(self):
        config = super().get_config()
        config["local_discriminator"] = keras.saving.serialize_keras_object(
            self.local_discriminator)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["local_discriminator"] = keras.saving.deserialize_keras_object(
            config.get("local_discriminator"))
        return super().from_config(config)
