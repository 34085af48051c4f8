"""The GAN model: alternating discriminator/generator updates under `model.fit`."""

import numpy as np
import keras
import tensorflow as tf
from keras import ops

from tfgan import losses as losses_lib

_DEFAULT_LR = 2e-4
_DEFAULT_BETA_1 = 0.5


def default_optimizer():
    """Adam(2e-4, β1 = 0.5), the DCGAN setting (Radford et al. 2016)."""
    return keras.optimizers.Adam(learning_rate=_DEFAULT_LR, beta_1=_DEFAULT_BETA_1)


def _static_shape(tensor_or_shape):
    shape = getattr(tensor_or_shape, "shape", tensor_or_shape)
    return tuple(None if d is None else int(d) for d in shape)


def _infer_latent_dim(generator, latent_dim):
    if latent_dim is not None:
        if int(latent_dim) < 1:
            raise ValueError(f"`latent_dim` must be a positive integer. Received: "
                             f"latent_dim={latent_dim}")
        return int(latent_dim)
    inputs = getattr(generator, "inputs", None)
    if not inputs:
        raise ValueError(
            "Cannot infer the latent size of a generator that has no symbolic inputs "
            "(a subclassed model that was never called). Pass `latent_dim=`. "
            f"Received: generator={generator.name!r}"
        )
    shape = _static_shape(inputs[0])
    if len(shape) != 2 or shape[1] is None:
        raise ValueError(
            "The generator's (first) input must be a latent vector of shape "
            f"(batch, latent_dim). Received: generator input shape={shape}"
        )
    return shape[1]


def _replica_id():
    context = tf.distribute.get_replica_context()
    if context is None:
        return 0
    return context.replica_id_in_sync_group


def _num_replicas():
    return tf.distribute.get_strategy().num_replicas_in_sync


def stateless_latents(batch_size, latent_dim, seed, *folds):
    """Standard-normal latents from a stateless seed with extra integers folded in.

    Args:
        batch_size: number of latent vectors.
        latent_dim: size of each vector.
        seed: an int.
        *folds: ints or scalar integer tensors folded into the seed in order (step, call
            index, replica id, ...).

    Returns:
        A float32 tensor of shape `(batch_size, latent_dim)`, identical for identical
        arguments, eagerly and in graph mode.
    """
    key = tf.constant([seed, 0], dtype=tf.int64)
    for value in folds:
        key = tf.random.experimental.stateless_fold_in(key, tf.cast(value, tf.int64))
    return tf.random.stateless_normal((batch_size, latent_dim), seed=key, dtype="float32")


@keras.saving.register_keras_serializable(package="tfgan")
class GAN(keras.Model):
    """A generative adversarial network (Goodfellow et al. 2014) that trains with `fit`.

    Each `train_step` makes `d_steps` discriminator updates then one generator update, each
    under its own `GradientTape`. Losses follow `tfgan.losses`: D minimizes
    `d_loss(1, D(x)) + d_loss(0, D(G(z)))` and G minimizes `g_loss(1, D(G(z)))`.

    Latents are standard normal. They are drawn from a stateless stream seeded by `seed`
    and the model's `step` counter (a saved, checkpointed variable), the call index and
    the replica id, so a seeded model gives identical histories run to run and a run
    restored from a checkpoint sees the same noise as an uninterrupted one.

    Data: `fit` takes images, or `(images, labels)` whose labels are ignored, as numpy
    arrays or a `tf.data.Dataset`. Images must be floating point with the discriminator's
    input shape, normally scaled to [-1, 1] (see `tfgan.datasets`).

    Metrics (reset every epoch, in `history`): `d_loss`, `g_loss`, and `real_score` /
    `fake_score`, the discriminator's mean logit on real and generated images.

    Args:
        generator: a Keras model mapping latents `(batch, latent_dim)` to images.
        discriminator: a Keras model mapping images to logits `(batch, 1)` (or any shape
            with a leading batch axis, e.g. a PatchGAN map).
        latent_dim: size of the latent vector. `None` reads it from the generator's input.
        seed: integer seed of the latent noise. `None` draws one (stored in the config).
        **kwargs: passed to `keras.Model` (e.g. `name`).
    """

    def __init__(self, generator, discriminator, latent_dim=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        for arg, value in (("generator", generator), ("discriminator", discriminator)):
            if not isinstance(value, keras.Model):
                raise TypeError(f"`{arg}` must be a keras.Model. Received: {arg}={value!r}")
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = _infer_latent_dim(generator, latent_dim)
        self.seed = int(np.random.randint(0, 2**31 - 1)) if seed is None else int(seed)
        self._check_networks()
        self.step = self.add_weight(
            shape=(), dtype="int64", initializer="zeros", trainable=False, name="step",
            aggregation="only_first_replica",
        )
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.real_score_tracker = keras.metrics.Mean(name="real_score")
        self.fake_score_tracker = keras.metrics.Mean(name="fake_score")
        self.built = True

    # ------------------------------------------------------------------ structure

    def _check_networks(self):
        """Builds the networks if needed and checks that G's output fits D's input."""
        fake = self._dummy_generator_output()
        fake_shape = _static_shape(fake)[1:]
        d_inputs = getattr(self.discriminator, "inputs", None)
        if d_inputs:
            d_shape = _static_shape(self._image_input(self.discriminator))[1:]
            if len(d_shape) != len(fake_shape) or any(
                a is not None and b is not None and a != b for a, b in zip(d_shape, fake_shape)
            ):
                raise ValueError(
                    "The generator's output shape does not match the discriminator's "
                    f"input shape. Expected: generator output (batch, *{d_shape}). "
                    f"Received: generator output shape=(batch, *{fake_shape})"
                )
        self.image_shape = fake_shape

    def _dummy_generator_output(self):
        outputs = getattr(self.generator, "outputs", None)
        if outputs:
            return outputs[0]
        latents = ops.zeros((1, self.latent_dim))
        return self.generator(latents, training=False)

    @staticmethod
    def _image_input(discriminator):
        return discriminator.inputs[0]

    @property
    def sampling_generator(self):
        """The generator used by `generate`, callbacks and export."""
        return self.generator

    @property
    def metrics(self):
        return [
            self.d_loss_tracker,
            self.g_loss_tracker,
            self.real_score_tracker,
            self.fake_score_tracker,
        ]

    # ------------------------------------------------------------------ compile

    def compile(self, g_optimizer=None, d_optimizer=None, loss="non_saturating", g_loss=None,
                d_loss=None, d_steps=1, **kwargs):
        """Configures the GAN for training.

        Args:
            g_optimizer: generator optimizer (object, name or config). `None` uses
                Adam(2e-4, β1 = 0.5) (Radford et al. 2016).
            d_optimizer: discriminator optimizer; same default.
            loss: the GAN formulation, resolved by `tfgan.losses.get_pair`:
                `"non_saturating"` (default), `"minimax"`, `"least_squares"`,
                `"wasserstein"` or `"hinge"`.
            g_loss: overrides the generator loss of `loss` (a name, config or callable
                `loss(target, logits)`).
            d_loss: overrides the discriminator loss of `loss`.
            d_steps: discriminator updates per generator update (5 for WGAN, Arjovsky et
                al. 2017). All use the same real batch. Default 1.
            **kwargs: passed to `keras.Model.compile` (`run_eagerly`, `jit_compile`,
                `steps_per_execution`, ...). `optimizer`, `metrics` and `loss_weights`
                are not accepted.
        """
        for key in ("optimizer", "metrics", "loss_weights", "weighted_metrics"):
            if key in kwargs:
                raise ValueError(
                    f"GAN.compile does not take `{key}`: pass `g_optimizer`/`d_optimizer` "
                    f"and `loss`/`g_loss`/`d_loss`. Received: {key}={kwargs[key]!r}"
                )
        if int(d_steps) < 1 or int(d_steps) != d_steps:
            raise ValueError(f"`d_steps` must be a positive integer. Received: d_steps={d_steps}")
        super().compile(optimizer=None, **kwargs)
        pair = losses_lib.get_pair(loss) if isinstance(loss, str) else (loss, loss)
        self.loss_name = loss if isinstance(loss, str) else None
        self.d_loss = losses_lib.get(d_loss if d_loss is not None else pair[0])
        self.g_loss = losses_lib.get(g_loss if g_loss is not None else pair[1])
        self.d_steps = int(d_steps)
        self.g_optimizer = self._resolve_optimizer(g_optimizer)
        self.d_optimizer = self._resolve_optimizer(d_optimizer)
        self.g_optimizer.build(self.generator.trainable_variables)
        self.d_optimizer.build(self.discriminator.trainable_variables)

    @staticmethod
    def _resolve_optimizer(optimizer):
        optimizer = default_optimizer() if optimizer is None else keras.optimizers.get(optimizer)
        policy = keras.mixed_precision.dtype_policy()
        if policy.name == "mixed_float16" and not isinstance(
            optimizer, keras.optimizers.LossScaleOptimizer
        ):
            optimizer = keras.optimizers.LossScaleOptimizer(optimizer)
        return optimizer

    def get_compile_config(self):
        if not self.compiled:
            return None
        serialize = keras.saving.serialize_keras_object
        return {
            "g_optimizer": serialize(self.g_optimizer),
            "d_optimizer": serialize(self.d_optimizer),
            "g_loss": serialize(self.g_loss),
            "d_loss": serialize(self.d_loss),
            "d_steps": self.d_steps,
            "run_eagerly": self.run_eagerly,
            "jit_compile": self.jit_compile,
            "steps_per_execution": self.steps_per_execution,
        }

    def compile_from_config(self, config):
        deserialize = keras.saving.deserialize_keras_object
        config = dict(config)
        for key in ("g_optimizer", "d_optimizer", "g_loss", "d_loss"):
            config[key] = deserialize(config[key])
        self.compile(**config)

    # ------------------------------------------------------------------ noise and sampling

    def latents(self, batch_size, index=0):
        """Training latents for the current step, call `index` and replica."""
        return stateless_latents(batch_size, self.latent_dim, self.seed, self.step, index,
                                 _replica_id())

    def sample_latents(self, n, seed=0):
        """`n` fixed standard-normal latents, a function of `seed` only."""
        return stateless_latents(n, self.latent_dim, seed).numpy()

    def generate(self, n=None, seed=0, latents=None, batch_size=256):
        """Generates images in inference mode.

        Args:
            n: number of images (ignored when `latents` is given).
            seed: seed of the latents; the same seed gives the same images.
            latents: optional array `(n, latent_dim)` to use instead.
            batch_size: images per generator call.

        Returns:
            A float32 numpy array `(n, *image_shape)` in the generator's output range:
            [-1, 1] for every `tfgan.architectures` generator (tanh output).
        """
        if latents is None:
            if n is None or int(n) < 1:
                raise ValueError(f"`n` must be a positive integer. Received: n={n}")
            latents = self.sample_latents(int(n), seed)
        latents = np.asarray(latents, dtype="float32")
        if latents.ndim != 2 or latents.shape[1] != self.latent_dim:
            raise ValueError(
                f"`latents` must have shape (n, {self.latent_dim}). "
                f"Received: latents.shape={latents.shape}"
            )
        generator = self.sampling_generator
        batches = [
            np.asarray(generator(latents[i:i + batch_size], training=False), dtype="float32")
            for i in range(0, len(latents), batch_size)
        ]
        return np.concatenate(batches, axis=0)

    # ------------------------------------------------------------------ training

    def _unpack(self, data):
        x, y, sample_weight = keras.utils.unpack_x_y_sample_weight(data)
        if sample_weight is not None:
            raise ValueError("GAN training does not support sample weights. Received: "
                             "data with a third element (sample_weight)")
        self._check_images(x)
        return x, y

    def _check_images(self, images):
        dtype = getattr(images, "dtype", None)
        if dtype is None or not keras.backend.is_float_dtype(keras.backend.standardize_dtype(dtype)):
            raise TypeError(
                "Training images must be floating point (normally scaled to [-1, 1]; "
                "`tfgan.datasets` does this). Received: images of dtype "
                f"{getattr(images, 'dtype', type(images))}"
            )
        shape = _static_shape(images)[1:]
        expected = self.image_shape
        if len(shape) != len(expected) or any(
            a is not None and b is not None and a != b for a, b in zip(shape, expected)
        ):
            raise ValueError(
                f"Training images must have shape (batch, *{expected}), the shape the "
                f"generator makes. Received: images of shape (batch, *{shape})"
            )

    def generate_fakes(self, batch_size, labels, index, training=True):
        """Generator output for one call of a train/test step (overridden by subclasses)."""
        return self.generator(self.latents(batch_size, index), training=training)

    def discriminate(self, images, labels, training=True):
        """Discriminator logits for images (overridden by conditional subclasses)."""
        return self.discriminator(images, training=training)

    def discriminator_loss(self, real, fake, labels, real_logits, fake_logits):
        """The discriminator's objective.

        Returns:
            `(loss, logs)`: the loss to minimize (scaled for distribution like a Keras
            loss) and a dict of unscaled values, each fed to the tracker of that name in
            `metrics` (subclasses that log extra values add those trackers).
        """
        loss = self.d_loss(1.0, real_logits) + self.d_loss(0.0, fake_logits)
        return loss, {}

    def generator_loss(self, real, fake, labels, fake_logits):
        """The generator's objective; returns `(loss, logs)` as `discriminator_loss`."""
        return self.g_loss(1.0, fake_logits), {}

    def _discriminator_step(self, real, labels, batch_size, index):
        fake = self.generate_fakes(batch_size, labels, index)
        with tf.GradientTape() as tape:
            real_logits = self.discriminate(real, labels)
            fake_logits = self.discriminate(fake, labels)
            loss, logs = self.discriminator_loss(real, fake, labels, real_logits, fake_logits)
            scaled = self.d_optimizer.scale_loss(loss)
        variables = self.discriminator.trainable_variables
        grads = tape.gradient(scaled, variables)
        self.d_optimizer.apply_gradients(zip(grads, variables))
        return loss, real_logits, fake_logits, logs

    def _generator_step(self, real, labels, batch_size, index):
        with tf.GradientTape() as tape:
            fake = self.generate_fakes(batch_size, labels, index)
            fake_logits = self.discriminate(fake, labels)
            loss, logs = self.generator_loss(real, fake, labels, fake_logits)
            scaled = self.g_optimizer.scale_loss(loss)
        variables = self.generator.trainable_variables
        grads = tape.gradient(scaled, variables)
        self.g_optimizer.apply_gradients(zip(grads, variables))
        return loss, logs

    def train_step(self, data):
        real, labels = self._unpack(data)
        batch_size = ops.shape(real)[0]
        for index in range(self.d_steps):
            d_loss, real_logits, fake_logits, d_logs = self._discriminator_step(
                real, labels, batch_size, index)
        g_loss, g_logs = self._generator_step(real, labels, batch_size, self.d_steps)
        self.step.assign_add(1)
        return self._update_metrics(d_loss, g_loss, real_logits, fake_logits,
                                    {**d_logs, **g_logs})

    def test_step(self, data):
        """Evaluates both losses and D's scores on a batch without updating anything."""
        real, labels = self._unpack(data)
        batch_size = ops.shape(real)[0]
        fake = self.generate_fakes(batch_size, labels, 0, training=False)
        real_logits = self.discriminate(real, labels, training=False)
        fake_logits = self.discriminate(fake, labels, training=False)
        d_loss, d_logs = self.discriminator_loss(real, fake, labels, real_logits, fake_logits)
        g_loss, g_logs = self.generator_loss(real, fake, labels, fake_logits)
        return self._update_metrics(d_loss, g_loss, real_logits, fake_logits,
                                    {**d_logs, **g_logs})

    def _update_metrics(self, d_loss, g_loss, real_logits, fake_logits, extra_logs):
        # Keras losses are divided by the number of replicas: undo it for the trackers.
        replicas = _num_replicas()
        self.d_loss_tracker.update_state(ops.cast(d_loss, "float32") * replicas)
        self.g_loss_tracker.update_state(ops.cast(g_loss, "float32") * replicas)
        self.real_score_tracker.update_state(ops.mean(ops.cast(real_logits, "float32")))
        self.fake_score_tracker.update_state(ops.mean(ops.cast(fake_logits, "float32")))
        trackers = {m.name: m for m in self.metrics}
        for name, value in extra_logs.items():
            if name not in trackers:
                raise KeyError(
                    f"A step logged {name!r} but the model has no tracker of that name: "
                    f"add a `keras.metrics.Mean(name={name!r})` to `metrics`. "
                    f"Trackers: {sorted(trackers)}"
                )
            trackers[name].update_state(ops.cast(value, "float32"))
        return {m.name: m.result() for m in self.metrics}

    # ------------------------------------------------------------------ serialization

    def get_config(self):
        config = super().get_config()
        config.update({
            "generator": keras.saving.serialize_keras_object(self.generator),
            "discriminator": keras.saving.serialize_keras_object(self.discriminator),
            "latent_dim": self.latent_dim,
            "seed": self.seed,
        })
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("generator", "discriminator"):
            config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)
