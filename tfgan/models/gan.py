"""The GAN model: alternating discriminator/generator updates under `model.fit`."""

import warnings

import numpy as np
import keras
import tensorflow as tf
from keras import ops

from tfgan import losses as losses_lib
from tfgan import penalties as penalties_lib

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


def _multi_worker(strategy):
    """True under a MultiWorkerMirroredStrategy spanning more than one worker."""
    if not isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy):
        return False
    cluster = strategy.cluster_resolver.cluster_spec().as_dict()
    return len(cluster.get("worker", [])) + len(cluster.get("chief", [])) > 1


def keras_logs(logs, strategy):
    """Adapts a step's logs to Keras 3.15's multi-worker reduction.

    Keras reduces step outputs across workers with `strategy.reduce("MEAN", v, axis=0)`,
    which fails on the scalar metric results every model returns; under a multi-worker
    strategy the logs are returned with shape (1,) and Keras' reduction gives back the
    scalar. Everywhere else they are returned unchanged.
    """
    if not _multi_worker(strategy):
        return logs
    return {name: ops.reshape(value, (1,)) for name, value in logs.items()}


def xla_off_under_a_strategy(compile_kwargs, stacklevel=2):
    """Sets `compile_kwargs["jit_compile"]` to False, with a warning, when it is True
    inside a `tf.distribute` scope: Keras 3 `fit` fails with XLA there (variables on
    another device). The one place every tfgan model's `compile` decides this;
    `stacklevel` (1 = this function) points the warning at the user's `compile` call."""
    if compile_kwargs.get("jit_compile") is True and tf.distribute.has_strategy():
        warnings.warn("XLA (jit_compile=True) fails under a tf.distribute strategy in "
                      "Keras 3 `fit`; compiling with jit_compile=False.",
                      stacklevel=stacklevel)
        compile_kwargs["jit_compile"] = False


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
    key = stateless_seed(seed, *folds)
    return tf.random.stateless_normal((batch_size, latent_dim), seed=key, dtype="float32")


def stateless_seed(seed, *folds):
    """An int64 stateless-RNG key `(2,)` from `seed` with integers folded in, in order."""
    key = tf.constant([seed, 0], dtype=tf.int64)
    for value in folds:
        key = tf.random.experimental.stateless_fold_in(key, tf.cast(value, tf.int64))
    return key


def ema_decay_for_half_life(half_life_images, batch_size):
    """EMA decay whose weights halve in `half_life_images` images (Karras et al. 2020).

    `β = 0.5 ** (batch_size / half_life_images)`; StyleGAN2-ADA uses a half-life of 10k
    images (`ema_kimg = 10`), i.e. β ≈ 0.99778 at batch size 32.
    """
    if half_life_images <= 0 or batch_size <= 0:
        raise ValueError("`half_life_images` and `batch_size` must be positive. Received: "
                         f"half_life_images={half_life_images}, batch_size={batch_size}")
    return float(0.5 ** (batch_size / half_life_images))


def ema_half_life(ema_decay, batch_size):
    """The half-life in images of an EMA with decay `β`: `batch_size · ln 0.5 / ln β`."""
    return float(batch_size * np.log(0.5) / np.log(ema_decay))


# Salts separating the stateless streams of the stabilizers from the latents' stream.
_SALT_PENALTY, _SALT_AUGMENT, _SALT_NOISE = 1_000_003, 1_000_033, 1_000_037


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
    `fake_score`, the discriminator's mean logit on real and generated images; with the
    stabilizers of `compile`, also each penalty's unweighted value (under its `name`) and
    `feature_matching`.

    Args:
        generator: a Keras model mapping latents `(batch, latent_dim)` to images.
        discriminator: a Keras model mapping images to logits `(batch, 1)` (or any shape
            with a leading batch axis, e.g. a PatchGAN map).
        latent_dim: size of the latent vector. `None` reads it from the generator's input.
        seed: integer seed of the latent noise. `None` draws one (stored in the config).
        ema_decay: keep an exponential moving average of the generator's weights,
            `θ_ema ← β·θ_ema + (1 - β)·θ` after every generator update (non-trainable
            weights such as batch-norm statistics are copied). `generate`, callbacks and
            export then use the average (`sampling_generator`). The decay is a half-life of
            `batch_size · ln 0.5 / ln β` images (`ema_half_life`); build it from one with
            `ema_decay_for_half_life` (StyleGAN2-ADA: 10k images). `None` (default)
            disables it; 0.999 is a common value (Yazıcı et al. 2019).
        **kwargs: passed to `keras.Model` (e.g. `name`).
    """

    def __init__(self, generator, discriminator, latent_dim=None, seed=None, ema_decay=None,
                 **kwargs):
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
        self.ema_decay = None
        self.ema_generator = None
        if ema_decay is not None:
            if not 0.0 <= float(ema_decay) < 1.0:
                raise ValueError(f"`ema_decay` must be in [0, 1) or None. "
                                 f"Received: ema_decay={ema_decay}")
            self.ema_decay = float(ema_decay)
            self.ema_generator = keras.models.clone_model(generator)
            self.ema_generator.set_weights(generator.get_weights())
        self._stabilizer_trackers = []
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
        """The generator used by `generate`, callbacks and export (the EMA copy when on)."""
        if self.ema_generator is not None:
            return self.ema_generator
        return self.generator

    @property
    def metrics(self):
        return [
            self.d_loss_tracker,
            self.g_loss_tracker,
            self.real_score_tracker,
            self.fake_score_tracker,
        ] + list(getattr(self, "_stabilizer_trackers", []))

    # ------------------------------------------------------------------ compile

    def compile(self, g_optimizer=None, d_optimizer=None, loss="non_saturating", g_loss=None,
                d_loss=None, d_steps=1, penalty=None, clip_weights=None, instance_noise=None,
                instance_noise_decay_steps=None, augment=None, feature_matching=None,
                feature_matching_weight=1.0, **kwargs):
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
            penalty: a `tfgan.penalties` object, name (`"gp"`, `"r1"`, `"r2"`) or list of
                them, added to D's loss inside its tape; each logs its unweighted value
                under its `name`. Lazy penalties (`every > 1`) run on D updates whose
                index (`d_optimizer.iterations`) is a multiple of `every`, inside a
                conditional where D is called with `training=False` (no state updates
                there, which `tf.distribute` forbids). Default None.
            clip_weights: WGAN weight clipping (Arjovsky et al. 2017): after each D update
                every trainable D weight is clipped to `[-c, c]`. The paper uses 0.01.
                `None` (default) disables it.
            instance_noise: standard deviation of Gaussian noise added to real and fake
                images before D (instance noise; Sønderby et al. 2017, Arjovsky & Bottou
                2017), in both D and G updates. `None` (default) disables it.
            instance_noise_decay_steps: anneal the noise linearly to 0 over this many
                train steps; `None` keeps it constant.
            augment: a differentiable augmentation applied to real and fake images before
                D in both updates, called as `augment(images, seed=seed)` with a stateless
                seed, e.g. `tfgan.augment.DiffAugment()` (Zhao et al. 2020). Penalties see
                the augmented images. Default None.
            feature_matching: name of a layer of a functional discriminator whose output
                features `f` are matched: the generator also minimizes
                `feature_matching_weight · ‖E f(x) - E f(G(z))‖²` (Salimans et al. 2016),
                logged as `feature_matching`. Default None.
            feature_matching_weight: weight of that term. Default 1. (Salimans et al. use
                feature matching alone; combine with the adversarial loss here.)
            **kwargs: passed to `keras.Model.compile` (`run_eagerly`, `jit_compile`,
                `steps_per_execution`, ...). `optimizer`, `metrics` and `loss_weights`
                are not accepted. `jit_compile=True` inside a `tf.distribute` scope is
                switched off with a warning (Keras' `fit` fails with XLA there). Under the
                `mixed_float16` policy both optimizers are wrapped in
                `keras.optimizers.LossScaleOptimizer`.
        """
        for key in ("optimizer", "metrics", "loss_weights", "weighted_metrics"):
            if key in kwargs:
                raise ValueError(
                    f"GAN.compile does not take `{key}`: pass `g_optimizer`/`d_optimizer` "
                    f"and `loss`/`g_loss`/`d_loss`. Received: {key}={kwargs[key]!r}"
                )
        if int(d_steps) < 1 or int(d_steps) != d_steps:
            raise ValueError(f"`d_steps` must be a positive integer. Received: d_steps={d_steps}")
        xla_off_under_a_strategy(kwargs, stacklevel=3)
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
        self._compile_stabilizers(penalty, clip_weights, instance_noise,
                                  instance_noise_decay_steps, augment, feature_matching,
                                  feature_matching_weight)

    def _compile_stabilizers(self, penalty, clip_weights, instance_noise,
                             instance_noise_decay_steps, augment, feature_matching,
                             feature_matching_weight):
        if penalty is None:
            penalty = []
        elif not isinstance(penalty, (list, tuple)):
            penalty = [penalty]
        self.penalties = [penalties_lib.get(p) for p in penalty]
        names = [n for p in self.penalties for n in p.metric_names]
        if len(set(names)) != len(names):
            raise ValueError(f"Each penalty needs its own `name`. Received: names={names}")
        if clip_weights is not None and not float(clip_weights) > 0:
            raise ValueError(f"`clip_weights` must be positive or None. "
                             f"Received: clip_weights={clip_weights}")
        self.clip_weights = None if clip_weights is None else float(clip_weights)
        if instance_noise is not None and not float(instance_noise) >= 0:
            raise ValueError(f"`instance_noise` must be a non-negative std or None. "
                             f"Received: instance_noise={instance_noise}")
        self.instance_noise = None if instance_noise is None else float(instance_noise)
        if instance_noise_decay_steps is not None and int(instance_noise_decay_steps) < 1:
            raise ValueError("`instance_noise_decay_steps` must be a positive integer or None. "
                             f"Received: instance_noise_decay_steps={instance_noise_decay_steps}")
        self.instance_noise_decay_steps = (None if instance_noise_decay_steps is None
                                           else int(instance_noise_decay_steps))
        if augment is not None and not callable(augment):
            raise TypeError(f"`augment` must be callable as augment(images, seed=...). "
                            f"Received: augment={augment!r}")
        self.augment = augment
        self.feature_matching = feature_matching
        self.feature_matching_weight = float(feature_matching_weight)
        self._feature_model = None
        if feature_matching is not None:
            try:
                layer = self.discriminator.get_layer(feature_matching)
                self._feature_model = keras.Model(self.discriminator.inputs, layer.output)
            except (ValueError, AttributeError, TypeError) as error:
                raise ValueError(
                    "`feature_matching` must name a layer of a functional discriminator "
                    f"({error}). Received: feature_matching={feature_matching!r}") from None
            names.append("feature_matching")
        self._stabilizer_trackers = [keras.metrics.Mean(name=n) for n in names]

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
            "penalty": [serialize(p) for p in self.penalties],
            "clip_weights": self.clip_weights,
            "instance_noise": self.instance_noise,
            "instance_noise_decay_steps": self.instance_noise_decay_steps,
            "augment": serialize(self.augment) if self.augment is not None else None,
            "feature_matching": self.feature_matching,
            "feature_matching_weight": self.feature_matching_weight,
            "run_eagerly": self.run_eagerly,
            "jit_compile": self.jit_compile,
            "steps_per_execution": self.steps_per_execution,
        }

    def compile_from_config(self, config):
        deserialize = keras.saving.deserialize_keras_object
        config = dict(config)
        for key in ("g_optimizer", "d_optimizer", "g_loss", "d_loss"):
            config[key] = deserialize(config[key])
        if config.get("penalty"):
            config["penalty"] = [deserialize(p) for p in config["penalty"]]
        if config.get("augment") is not None:
            config["augment"] = deserialize(config["augment"])
        self.compile(**config)

    # ------------------------------------------------------------------ noise and sampling

    def latents(self, batch_size, index=0):
        """Training latents for the current step and call `index`.

        Under `tf.distribute`, each replica takes its own slice of the latents of the whole
        global batch: replicas get distinct noise, and the noise of a global batch does not
        depend on the number of replicas (so 1 and N replicas train identically).
        """
        replicas = _num_replicas()
        if replicas == 1:
            return stateless_latents(batch_size, self.latent_dim, self.seed, self.step, index)
        global_latents = stateless_latents(batch_size * replicas, self.latent_dim, self.seed,
                                           self.step, index)
        start = tf.cast(_replica_id(), tf.int32) * tf.cast(batch_size, tf.int32)
        return tf.slice(global_latents, [start, 0], [batch_size, self.latent_dim])

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
        real, fake = self._discriminator_inputs(real, fake, index)
        with tf.GradientTape() as tape:
            real_logits = self.discriminate(real, labels)
            fake_logits = self.discriminate(fake, labels)
            loss, logs = self.discriminator_loss(real, fake, labels, real_logits, fake_logits)
            loss = loss + self._penalty_terms(real, fake, labels, index)
            scaled = self.d_optimizer.scale_loss(loss)
        variables = self.discriminator.trainable_variables
        grads = tape.gradient(scaled, variables)
        self.d_optimizer.apply_gradients(zip(grads, variables))
        if self.clip_weights is not None:
            for variable in variables:
                variable.assign(ops.clip(variable, -self.clip_weights, self.clip_weights))
        return loss, real_logits, fake_logits, logs

    def _generator_step(self, real, labels, batch_size, index):
        with tf.GradientTape() as tape:
            fake = self.generate_fakes(batch_size, labels, index)
            d_real, d_fake = self._discriminator_inputs(real, fake, index, reals=False)
            fake_logits = self.discriminate(d_fake, labels)
            loss, logs = self.generator_loss(real, fake, labels, fake_logits)
            if self._feature_model is not None:
                loss = loss + self._feature_matching_term(d_real, d_fake)
            scaled = self.g_optimizer.scale_loss(loss)
        variables = self.generator.trainable_variables
        grads = tape.gradient(scaled, variables)
        self.g_optimizer.apply_gradients(zip(grads, variables))
        self._update_ema()
        return loss, logs

    # ------------------------------------------------------------------ stabilizers

    def _stabilizer_seed(self, salt, index):
        return stateless_seed(self.seed, salt, self.step, index, _replica_id())

    def _stabilizer_tracker(self, name):
        for tracker in self._stabilizer_trackers:
            if tracker.name == name:
                return tracker
        raise KeyError(name)

    def _discriminator_inputs(self, real, fake, index, reals=True):
        """Augmentation and instance noise applied to what D sees (fakes differentiably).

        With `reals=False` (generator update) the real images are only transformed when
        feature matching needs them.
        """
        if self.augment is None and not self.instance_noise:
            return real, fake
        transform_real = reals or self._feature_model is not None
        seed = self._stabilizer_seed(_SALT_AUGMENT, index)
        if self.augment is not None:
            fake = self.augment(fake, seed=stateless_seed(self.seed, 1, seed[0], seed[1]))
            if transform_real:
                real = self.augment(real, seed=stateless_seed(self.seed, 0, seed[0], seed[1]))
        if self.instance_noise:
            std = self.instance_noise
            if self.instance_noise_decay_steps:
                progress = ops.cast(self.step, "float32") / self.instance_noise_decay_steps
                std = std * ops.maximum(0.0, 1.0 - progress)
            noise_seed = self._stabilizer_seed(_SALT_NOISE, index)
            fake = fake + std * tf.random.stateless_normal(
                tf.shape(fake), seed=stateless_seed(self.seed, 1, *tf.unstack(noise_seed)),
                dtype=fake.dtype)
            if transform_real:
                real = real + std * tf.random.stateless_normal(
                    tf.shape(real), seed=stateless_seed(self.seed, 0, *tf.unstack(noise_seed)),
                    dtype=real.dtype)
        return real, fake

    def _penalty_terms(self, real, fake, labels, index):
        """The sum of the penalties' losses; feeds their trackers (inactive lazy steps: weight 0)."""
        total = 0.0
        if not self.penalties:
            return total

        def discriminate(images):
            return self.discriminate(images, labels)

        def discriminate_inference(images):
            # Inside a conditional no synchronized state may change under tf.distribute
            # (spectral-norm `u`, batch-norm statistics): lazy penalties see D in inference
            # mode. The gradient still flows through every weight (and σ of SpectralNorm).
            return self.discriminate(images, labels, training=False)

        # One seed for all replicas (no replica id): penalties draw their noise for the
        # global batch and take their replica's rows, so N replicas match one device.
        seed = stateless_seed(self.seed, _SALT_PENALTY, self.step, index)
        for penalty in self.penalties:
            if penalty.every == 1:
                loss, logs = penalty(discriminate, real, fake, seed=seed)
                active = 1.0
            else:
                is_active = penalty.is_active(self.d_optimizer.iterations)
                zeros = {name: tf.constant(0.0) for name in penalty.metric_names}
                loss, logs = tf.cond(
                    is_active,
                    lambda p=penalty: p(discriminate_inference, real, fake, seed=seed),
                    lambda: (tf.constant(0.0), zeros),
                )
                active = ops.cast(is_active, "float32")
            for name, value in logs.items():
                self._stabilizer_tracker(name).update_state(ops.cast(value, "float32"),
                                                 sample_weight=active)
            total = total + ops.cast(loss, "float32")
        return total

    def _feature_matching_term(self, real, fake):
        """`w·‖mean f(x) - mean f(G(z))‖²` (Salimans et al. 2016), divided by the replicas."""
        real_features = ops.cast(self._feature_model(real, training=True), "float32")
        fake_features = ops.cast(self._feature_model(fake, training=True), "float32")
        real_mean = ops.stop_gradient(ops.mean(ops.reshape(
            real_features, (ops.shape(real_features)[0], -1)), axis=0))
        fake_mean = ops.mean(ops.reshape(fake_features, (ops.shape(fake_features)[0], -1)),
                             axis=0)
        value = ops.sum(ops.square(real_mean - fake_mean))
        self._stabilizer_tracker("feature_matching").update_state(value)
        return self.feature_matching_weight * value / _num_replicas()

    def _update_ema(self):
        if self.ema_generator is None:
            return
        decay = self.ema_decay
        trainable = {id(v) for v in self.generator.trainable_variables}
        for average, weight in zip(self.ema_generator.weights, self.generator.weights):
            if id(weight) in trainable:
                average.assign(decay * average + (1.0 - decay) * ops.cast(weight, average.dtype))
            else:
                average.assign(weight)

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
        return keras_logs({m.name: m.result() for m in self.metrics}, self.distribute_strategy)

    # ------------------------------------------------------------------ serialization

    def get_config(self):
        config = super().get_config()
        config.update({
            "generator": keras.saving.serialize_keras_object(self.generator),
            "discriminator": keras.saving.serialize_keras_object(self.discriminator),
            "latent_dim": self.latent_dim,
            "seed": self.seed,
            "ema_decay": self.ema_decay,
        })
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("generator", "discriminator"):
            config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)
