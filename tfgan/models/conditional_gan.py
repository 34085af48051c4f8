"""Class-conditional GANs: cGAN, projection discriminator and ACGAN under `model.fit`."""

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from tfgan.models.gan import GAN
from tfgan.utils.batching import predict_in_batches
from tfgan.utils.distribute import num_replicas
from tfgan.utils.images import make_grid


def check_labels(labels, num_classes, arg="labels"):
    """Casts integer class labels to int32 `(batch,)` and checks `0 <= label < num_classes`.

    TF raises on an out-of-range embedding index only on some devices (and onnxruntime
    silently wraps -1 to the last class), so labels are checked before any model sees
    them: eagerly with a `ValueError`, in graph mode with `tf.debugging` assertions
    (`InvalidArgumentError`).

    Args:
        labels: integer labels `(batch,)` or `(batch, 1)`.
        num_classes: number of classes.
        arg: the argument name used in error messages.

    Returns:
        An int32 tensor `(batch,)`.
    """
    if labels is None:
        raise ValueError(
            "A conditional GAN needs class labels: train on `(images, labels)` batches and "
            f"pass `labels=` to `generate`. Received: {arg}=None"
        )
    labels = tf.convert_to_tensor(labels)
    if not (labels.dtype.is_integer):
        raise TypeError(f"`{arg}` must be integer class indices. "
                        f"Received: {arg} of dtype {labels.dtype.name}")
    labels = tf.reshape(tf.cast(labels, "int32"), [-1])
    if tf.executing_eagerly():
        values = labels.numpy()
        bad = values[(values < 0) | (values >= num_classes)]
        if bad.size:
            raise ValueError(f"`{arg}` must be in [0, {num_classes}). "
                             f"Received: {arg} containing {bad[:5].tolist()}")
        return labels
    checks = [
        tf.debugging.assert_non_negative(labels, message=f"`{arg}` must be >= 0"),
        tf.debugging.assert_less(labels, num_classes,
                                 message=f"`{arg}` must be < num_classes={num_classes}"),
    ]
    with tf.control_dependencies(checks):
        return tf.identity(labels)


@keras.saving.register_keras_serializable(package="tfgan")
class ConditionalGAN(GAN):
    """A class-conditional GAN (Mirza & Osindero 2014) that trains with `fit`.

    The generator maps `[z, labels]` to images and the discriminator maps
    `[images, labels]` to logits (`tfgan.architectures.conditional_dcgan_*` build both:
    label embedding, one-hot or conditional batch norm in G; label concatenation or a
    projection discriminator, Miyato & Koyama 2018, in D). Fakes are generated for the
    labels of the real batch, so G learns the data's class distribution and D always
    compares images of the same classes.

    ACGAN (Odena et al. 2017): with `auxiliary_weight` set, D's output is
    `(batch, 1 + num_classes)`, the adversarial logit then class logits. D then also
    minimizes `w · [CE(y, C(x)) + CE(y, C(G(z, y)))]` and G minimizes `w · CE(y, C(G(z, y)))`
    (sparse softmax cross-entropy), logged as `d_aux_loss` / `g_aux_loss`, with
    `real_accuracy`, D's class accuracy on real images.

    Data: `fit` takes `(images, labels)` with integer labels `(batch,)` in
    `[0, num_classes)`; other labels raise before reaching a model.

    Args:
        generator: a Keras model `[z, labels] → images`.
        discriminator: a Keras model `[images, labels] → logits` `(batch, 1)` (or
            `(batch, 1 + num_classes)` for ACGAN).
        num_classes: number of classes.
        latent_dim: size of `z`; `None` reads it from the generator's first input.
        seed: seed of the latent noise (see `GAN`).
        auxiliary_weight: weight `w` of the ACGAN classification loss. `None` (default)
            disables it; Odena et al. use 1.
        **kwargs: passed to `keras.Model`.
    """

    # The trackers of the auxiliary classifier's logs.
    AUXILIARY_METRICS = ("d_aux_loss", "g_aux_loss", "real_accuracy")

    def __init__(self, generator, discriminator, num_classes, latent_dim=None, seed=None,
                 auxiliary_weight=None, **kwargs):
        if int(num_classes) < 2 or int(num_classes) != num_classes:
            raise ValueError(f"`num_classes` must be an integer >= 2. "
                             f"Received: num_classes={num_classes}")
        if auxiliary_weight is not None and float(auxiliary_weight) < 0:
            raise ValueError(f"`auxiliary_weight` must be non-negative or None. "
                             f"Received: auxiliary_weight={auxiliary_weight}")
        self.num_classes = int(num_classes)
        self.auxiliary_weight = None if auxiliary_weight is None else float(auxiliary_weight)
        super().__init__(generator, discriminator, latent_dim=latent_dim, seed=seed, **kwargs)
        self.class_loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        if self.auxiliary_weight is not None:
            self._add_trackers(*self.AUXILIARY_METRICS)
        self._check_logits()

    # ------------------------------------------------------------------ structure

    def _dummy_generator_output(self):
        outputs = getattr(self.generator, "outputs", None)
        if outputs:
            return outputs[0]
        latents = ops.zeros((1, self.latent_dim))
        return self.generator([latents, ops.zeros((1,), dtype="int32")], training=False)

    def _check_logits(self):
        dummy = ops.zeros((1,) + tuple(self.image_shape))
        logits = self.discriminator([dummy, ops.zeros((1,), dtype="int32")], training=False)
        expected = 1 if self.auxiliary_weight is None else 1 + self.num_classes
        if len(logits.shape) != 2 or logits.shape[-1] != expected:
            raise ValueError(
                f"The discriminator must output (batch, {expected}) logits "
                + ("(adversarial logit then class logits, for `auxiliary_weight`). "
                   if self.auxiliary_weight is not None else "")
                + f"Received: discriminator output shape={tuple(logits.shape)}"
            )

    # ------------------------------------------------------------------ hooks

    def generator_call(self, latents, labels, training=True):
        labels = check_labels(labels, self.num_classes)
        return self.generator([latents, labels], training=training)

    def discriminate(self, images, labels, training=True):
        labels = check_labels(labels, self.num_classes)
        return self.discriminator([images, labels], training=training)

    @staticmethod
    def adversarial_logits(logits):
        """The adversarial column of D's output (its first): what the losses and the
        penalties (R1, gradient penalty) see."""
        return logits[:, :1]

    def discriminator_loss(self, real, fake, labels, real_logits, fake_logits):
        adversarial = self.adversarial_logits
        loss = self.d_loss(1.0, adversarial(real_logits)) + self.d_loss(
            0.0, adversarial(fake_logits))
        if self.auxiliary_weight is None:
            return loss, {}
        aux, logs = self.auxiliary_discriminator_loss(
            check_labels(labels, self.num_classes), real_logits, fake_logits)
        return loss + self.auxiliary_weight * aux, logs

    def auxiliary_discriminator_loss(self, labels, real_logits, fake_logits):
        """D's unweighted class loss and its logs: ACGAN's cross-entropy on real and fake
        images, with `real_accuracy` (subclasses change which images count)."""
        aux = (self.class_loss(labels, real_logits[:, 1:])
               + self.class_loss(labels, fake_logits[:, 1:]))
        correct = ops.cast(ops.argmax(real_logits[:, 1:], axis=-1) == labels, "float32")
        return aux, {"d_aux_loss": aux * num_replicas(), "real_accuracy": ops.mean(correct)}

    def generator_loss(self, real, fake, labels, fake_logits):
        loss = self.g_loss(1.0, self.adversarial_logits(fake_logits))
        if self.auxiliary_weight is None:
            return loss, {}
        labels = check_labels(labels, self.num_classes)
        aux = self.class_loss(labels, fake_logits[:, 1:])
        return loss + self.auxiliary_weight * aux, {"g_aux_loss": aux * num_replicas()}

    def _log_step(self, d_loss, g_loss, real_logits, fake_logits, extra_logs):
        # `real_score` / `fake_score` are means of the adversarial logit only (the ACGAN
        # class logits share D's output tensor).
        return super()._log_step(d_loss, g_loss, self.adversarial_logits(real_logits),
                                 self.adversarial_logits(fake_logits), extra_logs)

    # ------------------------------------------------------------------ sampling

    def generate(self, n=None, seed=0, latents=None, batch_size=256, labels=None):
        """Generates images of requested classes in inference mode.

        Args:
            n: number of images when neither `labels` nor `latents` is given.
            seed: seed of the latents.
            latents: optional array `(n, latent_dim)`.
            batch_size: images per generator call.
            labels: integer classes `(n,)`, one per image. `None` takes
                `default_labels(n)`.

        Returns:
            A float32 numpy array `(n, *image_shape)` in the generator's range ([-1, 1]).
        """
        if labels is None:
            count = len(latents) if latents is not None else n
            if count is None or int(count) < 1:
                raise ValueError(f"Pass `labels`, `latents` or a positive `n`. Received: n={n}")
            labels = self.default_labels(int(count))
        labels = np.asarray(check_labels(np.asarray(labels), self.num_classes))
        if latents is None:
            latents = self.sample_latents(len(labels), seed)
        latents = np.asarray(latents, dtype="float32")
        if latents.shape != (len(labels), self.latent_dim):
            raise ValueError(
                f"`latents` must have shape ({len(labels)}, {self.latent_dim}), one row per "
                f"label. Received: latents.shape={latents.shape}"
            )
        return predict_in_batches(self.sampling_generator, [latents, labels], batch_size)

    def default_labels(self, count):
        """The classes `generate` uses when given none: `0, 1, ..., num_classes - 1, 0, ...`
        (subclasses may follow the data's proportions)."""
        return np.arange(int(count)) % self.num_classes

    def sample(self, n=16, seed=0, inputs=None):
        """`n` images of `default_labels(n)` (the sample grid); `inputs` is unused."""
        del inputs
        return self.generate(n, seed=seed)

    def sample_grid(self, per_class=8, seed=0, padding=2):
        """A uint8 grid with one row per class and `per_class` samples per row.

        Column `j` uses the same latent in every row, so rows differ only by the label.
        """
        latents = np.tile(self.sample_latents(int(per_class), seed), (self.num_classes, 1))
        labels = np.repeat(np.arange(self.num_classes), int(per_class))
        return make_grid(self.generate(latents=latents, labels=labels), rows=self.num_classes,
                         padding=padding)

    # ------------------------------------------------------------------ serialization

    def get_config(self):
        config = super().get_config()
        config.update({"num_classes": self.num_classes,
                       "auxiliary_weight": self.auxiliary_weight})
        return config
