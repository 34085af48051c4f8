"""The adversarial core every tfgan model stands on.

`AdversarialModel` owns what all GANs share: the generator and discriminator optimizers
(built in `compile`, wrapped for mixed precision), the loss pair, compile validation and
its config round trip, the `step` counter and seed from which all training noise derives,
the stabilizer hooks (`tfgan.stabilizers`), replica-correct logging, and the EMA copies of
the generators. A model subclass names its networks, writes its `train_step` from the
helpers below, and defines `sample` for grids.
"""

import numpy as np
import keras
import tensorflow as tf
from keras import ops

from tfgan import losses as losses_lib
from tfgan import stabilizers as stabilizers_lib
from tfgan.utils import distribute
from tfgan.utils.ema import update_ema
from tfgan.utils.seeds import stateless_seed
from tfgan.utils.validation import check_positive_int

_DEFAULT_LR = 2e-4
_DEFAULT_BETA_1 = 0.5
_FORBIDDEN = ("optimizer", "metrics", "loss_weights", "weighted_metrics")
# Salts separating the stateless streams of the stabilizers from the latents' stream.
_SALT_PENALTY, _SALT_INPUT = 1_000_003, 1_000_033
REAL, FAKE = 0, 1


def default_optimizer():
    """Adam(2e-4, β1 = 0.5), the DCGAN setting (Radford et al. 2016)."""
    return keras.optimizers.Adam(learning_rate=_DEFAULT_LR, beta_1=_DEFAULT_BETA_1)


def resolve_optimizer(optimizer):
    """An optimizer object from `None` (the default), a name, config or object; wrapped in
    `LossScaleOptimizer` under the `mixed_float16` policy."""
    optimizer = default_optimizer() if optimizer is None else keras.optimizers.get(optimizer)
    policy = keras.mixed_precision.dtype_policy()
    if policy.name == "mixed_float16" and not isinstance(
        optimizer, keras.optimizers.LossScaleOptimizer
    ):
        optimizer = keras.optimizers.LossScaleOptimizer(optimizer)
    return optimizer


def _first_element(x, y):
    """The first batch of `fit`'s data as numpy arrays `(first, second)`, `None` for an
    empty dataset, or `False` when it cannot be peeked (a Python generator)."""
    if isinstance(x, tf.data.Dataset):
        element = next(iter(x.take(1)), None)
        if element is None:
            return None
        element = element if isinstance(element, (tuple, list)) else (element,)
        return tuple(np.asarray(e) if e is not None else None for e in element[:2])
    if x is None or not hasattr(x, "shape") and not isinstance(x, (list, tuple)):
        return False
    if isinstance(x, (list, tuple)):  # several inputs: not an image batch we can judge
        return False
    return (x, y)


def check_first_batch(x, y, image_elements=(0,), batch_size=None):
    """Refuses empty data, and first batches whose images (rank-4 float arrays) are
    non-finite or outside [-1.05, 1.05] (data in [0, 255] that was never scaled).

    Args:
        x, y: what `fit` got (arrays, tensors or a `tf.data.Dataset`).
        image_elements: positions of `(x, y)` that hold images.
        batch_size: `fit`'s batch size (arrays: only the first batch is read).

    Raises:
        ValueError: for empty data, NaN/Inf pixels or pixels out of range, saying which.
    """
    element = _first_element(x, y)
    if element is False:
        return
    if element is None:
        raise ValueError("The training dataset is empty: fit would train nothing. "
                         "Received: an empty tf.data.Dataset")
    for position in image_elements:
        images = element[position] if position < len(element) else None
        if images is None:
            continue
        if len(images) == 0:
            raise ValueError("The training data is empty: fit would train nothing. "
                             f"Received: images of shape {tuple(np.shape(images))}")
        batch = np.asarray(images[:batch_size or 32])
        if batch.ndim != 4 or not np.issubdtype(batch.dtype, np.floating):
            # Not images (e.g. 2D points), or not float: the train step's own dtype
            # check names that problem.
            continue
        bad = int(np.size(batch) - np.count_nonzero(np.isfinite(batch)))
        if bad:
            raise ValueError(f"The first training batch holds {bad} NaN or Inf pixel "
                             f"values: fix the data (training on them makes every loss NaN). "
                             f"Received: {len(batch)} images")
        low, high = float(batch.min()), float(batch.max())
        if low < -1.05 or high > 1.05:
            looks = " — it looks like raw [0, 255] pixels" if high > 2 else ""
            raise ValueError(
                "Training images must be scaled to [-1, 1], the range of tfgan's tanh "
                f"generators{looks}: load them with `tfgan.datasets` (from_arrays, "
                "from_folder, from_tfds scale them) or use `images / 127.5 - 1`. "
                f"Received: first batch in [{low:.4g}, {high:.4g}]")


@keras.saving.register_keras_serializable(package="tfgan")
class AdversarialModel(keras.Model):
    """Base class of tfgan's models: one core for every adversarial training step.

    Subclasses set `GENERATORS` and `DISCRIMINATORS` (attribute names of their networks,
    passed to `_set_networks`), `COMPILE_ARGS` (their own `compile` arguments, stored as
    attributes of the same name and saved in the compile config), add their trackers with
    `_add_trackers`, and write `train_step` from `transform_for_discriminator`,
    `discriminator_regularization`, `generator_regularization` and `apply_update`.

    Args:
        seed: integer seed of all training noise (latents, stabilizers, pools). `None`
            draws one (stored in the config).
        ema_decay: keep an exponential moving average of each generator's weights,
            `θ_ema ← β·θ_ema + (1 - β)·θ` after every generator update (non-trainable
            weights such as batch-norm statistics are copied), as `ema_<name>`; sampling,
            callbacks and export use it. The decay is a half-life of
            `batch_size · ln 0.5 / ln β` images (`tfgan.models.ema_half_life`); build it
            from one with `ema_decay_for_half_life` (StyleGAN2-ADA: 10k images). `None`
            (default) disables it; 0.999 is a common value (Yazıcı et al. 2019).
        **kwargs: passed to `keras.Model` (e.g. `name`).
    """

    # Whether `train_step` reports D's logits on real images to the stabilizers
    # (`observe_real_logits`), which adaptive augmentation needs.
    OBSERVES_REAL_LOGITS = False

    GENERATORS = ("generator",)
    DISCRIMINATORS = ("discriminator",)
    COMPILE_ARGS = ()

    def __init__(self, seed=None, ema_decay=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = int(np.random.randint(0, 2**31 - 1)) if seed is None else int(seed)
        if ema_decay is not None and not 0.0 <= float(ema_decay) < 1.0:
            raise ValueError(f"`ema_decay` must be in [0, 1) or None. "
                             f"Received: ema_decay={ema_decay}")
        self.ema_decay = None if ema_decay is None else float(ema_decay)
        self._trackers = {}
        self._stabilizer_trackers = []
        self.stabilizers = []
        self._hooks = {hook: [] for hook in stabilizers_lib.HOOKS}

    def _set_networks(self, **networks):
        """Checks and stores the networks (keras.Model each)."""
        for arg, value in networks.items():
            if not isinstance(value, keras.Model):
                raise TypeError(f"`{arg}` must be a keras.Model. Received: {arg}={value!r}")
            setattr(self, arg, value)

    def _init_state(self):
        """Creates the `step` counter and the EMA copies; marks the model built. Called by
        subclasses once their networks are set."""
        self.step = self.add_weight(
            shape=(), dtype="int64", initializer="zeros", trainable=False, name="step",
            aggregation="only_first_replica",
        )
        for name in self.GENERATORS:
            average = None
            if self.ema_decay is not None:
                network = getattr(self, name)
                average = keras.models.clone_model(network)
                average.set_weights(network.get_weights())
            setattr(self, f"ema_{name}", average)
        self.built = True

    def _add_trackers(self, *names):
        for name in names:
            self._trackers[name] = keras.metrics.Mean(name=name)

    @property
    def metrics(self):
        return list(self._trackers.values()) + list(self._stabilizer_trackers)

    def sampling_network(self, name):
        """The network sampling uses for generator `name`: its EMA copy when there is one."""
        average = getattr(self, f"ema_{name}", None)
        return average if average is not None else getattr(self, name)

    @property
    def sampling_generator(self):
        """The generator export and metrics use: the first of `GENERATORS` (CycleGAN: A → B),
        its EMA copy when there is one."""
        return self.sampling_network(self.GENERATORS[0])

    @property
    def generator_variables(self):
        return [v for name in self.GENERATORS for v in getattr(self, name).trainable_variables]

    @property
    def discriminator_variables(self):
        return [v for name in self.DISCRIMINATORS
                for v in getattr(self, name).trainable_variables]

    # ------------------------------------------------------------------ compile

    def compile(self, g_optimizer=None, d_optimizer=None, loss="non_saturating", g_loss=None,
                d_loss=None, stabilizers=None, **kwargs):
        """Configures training.

        Args:
            g_optimizer: optimizer of the generator(s) (object, name or config). `None`
                uses Adam(2e-4, β1 = 0.5) (Radford et al. 2016).
            d_optimizer: optimizer of the discriminator(s); same default.
            loss: the GAN formulation, resolved by `tfgan.losses.get_pair`:
                `"non_saturating"`, `"minimax"`, `"least_squares"`, `"wasserstein"` or
                `"hinge"` (each model's default is in its `compile`).
            g_loss: overrides the generator loss of `loss` (a name, config or callable
                `loss(target, logits)`).
            d_loss: overrides the discriminator loss of `loss`.
            stabilizers: a list of `tfgan.stabilizers` objects (penalties,
                `tfgan.augment.DiffAugment`, `InstanceNoise`, `FeatureMatching`,
                `WeightClipping`; penalty names `"gp"`, `"r1"`, `"r2"`). Each logs under
                its `metric_names`. Lazy penalties (`every > 1`) run on D updates whose
                index (`d_optimizer.iterations`) is a multiple of `every`, inside a
                conditional where D is called with `training=False` (no state updates
                there, which `tf.distribute` forbids). Default: none.
            **kwargs: passed to `keras.Model.compile` (`run_eagerly`, `jit_compile`,
                `steps_per_execution`). `optimizer`, `metrics` and `loss_weights` are not
                accepted. `jit_compile=True` inside a `tf.distribute` scope is switched
                off with a warning (Keras' `fit` fails with XLA there). Under the
                `mixed_float16` policy both optimizers are wrapped in
                `keras.optimizers.LossScaleOptimizer`.
        """
        name = type(self).__name__
        for key in _FORBIDDEN:
            if key in kwargs:
                raise ValueError(
                    f"{name}.compile does not take `{key}`: pass `g_optimizer`/`d_optimizer` "
                    f"and `loss`/`g_loss`/`d_loss`. Received: {key}={kwargs[key]!r}")
        distribute.xla_off_under_a_strategy(kwargs, stacklevel=3 + self._compile_depth())
        super().compile(optimizer=None, **kwargs)
        pair = losses_lib.get_pair(loss) if isinstance(loss, str) else (loss, loss)
        self.loss_name = loss if isinstance(loss, str) else None
        self.d_loss = losses_lib.get(d_loss if d_loss is not None else pair[0])
        self.g_loss = losses_lib.get(g_loss if g_loss is not None else pair[1])
        self.g_optimizer = resolve_optimizer(g_optimizer)
        self.d_optimizer = resolve_optimizer(d_optimizer)
        self.g_optimizer.build(self.generator_variables)
        self.d_optimizer.build(self.discriminator_variables)
        self._compile_stabilizers(stabilizers)

    def _compile_depth(self):
        """How many subclass `compile` frames stand between the user and this one."""
        return int(type(self).compile is not AdversarialModel.compile)

    def _compile_stabilizers(self, stabilizers):
        if stabilizers is None:
            stabilizers = []
        elif not isinstance(stabilizers, (list, tuple)):
            stabilizers = [stabilizers]
        resolved = [stabilizers_lib.get(s) for s in stabilizers]
        for stabilizer in resolved:
            stabilizer.bind(self)
        names = [n for s in resolved for n in s.metric_names]
        if len(set(names)) != len(names):
            raise ValueError(f"Each stabilizer needs its own metric name. Received: "
                             f"names={names}")
        self.stabilizers = resolved
        self._hooks = {hook: [s for s in resolved if s.hook == hook]
                       for hook in stabilizers_lib.HOOKS}
        self._stabilizer_trackers = [keras.metrics.Mean(name=n) for n in names]

    def get_compile_config(self):
        if not self.compiled:
            return None
        serialize = keras.saving.serialize_keras_object
        return {
            "g_optimizer": serialize(self.g_optimizer),
            "d_optimizer": serialize(self.d_optimizer),
            "loss": self.loss_name,
            "g_loss": serialize(self.g_loss),
            "d_loss": serialize(self.d_loss),
            "stabilizers": [serialize(s) for s in self.stabilizers],
            **{name: getattr(self, name) for name in self.COMPILE_ARGS},
            "run_eagerly": self.run_eagerly,
            "jit_compile": self.jit_compile,
            "steps_per_execution": self.steps_per_execution,
        }

    def compile_from_config(self, config):
        deserialize = keras.saving.deserialize_keras_object
        config = dict(config)
        for key in ("g_optimizer", "d_optimizer", "g_loss", "d_loss"):
            config[key] = deserialize(config[key])
        if config.get("loss") is None:  # custom loss objects: g_loss/d_loss say it all
            config["loss"] = config["d_loss"]
        config["stabilizers"] = [deserialize(s) for s in config.get("stabilizers") or []]
        self.compile(**config)

    # ------------------------------------------------------------------ step helpers

    def stabilizer_seed(self, index, *folds):
        """A stateless key for the stabilizers of call `index` of the current step, this
        replica, with `folds` (e.g. real/fake, position) folded in."""
        return stateless_seed(self.seed, _SALT_INPUT, self.step, index,
                              distribute.replica_id(), *folds)

    def observe_real_logits(self, logits):
        """Reports D's adversarial logits on the (transformed) real images of one
        discriminator update to the `"discriminator_input"` stabilizers that watch them
        (those with `observe`, e.g. adaptive `DiffAugment`), and logs what they return.
        Models that call it set `OBSERVES_REAL_LOGITS`."""
        for stabilizer in self._hooks["discriminator_input"]:
            if hasattr(stabilizer, "observe"):
                self._log_stabilizer(stabilizer.observe(logits))

    def transform_for_discriminator(self, images, index, kind):
        """Applies the `"discriminator_input"` stabilizers in order (`kind`: `REAL` or
        `FAKE`, which draw independent noise); the identity without any."""
        for position, stabilizer in enumerate(self._hooks["discriminator_input"]):
            images = stabilizer.transform(
                images, seed=self.stabilizer_seed(index, kind, position), step=self.step)
        return images

    def joint_update(self, d_tape, g_tape, d_loss, g_loss, discriminate, real, fake):
        """One update of D then G from losses computed together (one forward pass): adds
        the D regularizers (on `discriminate` seeing `real` and `fake`, call index 0)
        inside `d_tape` and the G regularizers inside `g_tape`, then applies both.

        Returns:
            `(d_loss, g_loss)` with their regularizers.
        """
        with d_tape:
            d_loss = d_loss + self.discriminator_regularization(discriminate, real, fake, 0)
        with g_tape:
            g_loss = g_loss + self.generator_regularization(real, fake)
        self.apply_update("discriminator", d_tape, d_loss)
        self.apply_update("generator", g_tape, g_loss)
        return d_loss, g_loss

    def judge(self, real, fake, training=True):
        """The main discriminator on `real` and `fake` (each through the
        `"discriminator_input"` stabilizers, call index 0) and the two adversarial losses.

        Returns:
            `(real_view, fake_view, real_logits, fake_logits, d_loss, g_loss)`: what D saw,
            its logits, D's loss (real → 1, fake → 0) and G's adversarial loss (fake → 1).
        """
        real_view = self.transform_for_discriminator(real, 0, REAL)
        fake_view = self.transform_for_discriminator(fake, 0, FAKE)
        real_logits = self.discriminator(real_view, training=training)
        fake_logits = self.discriminator(fake_view, training=training)
        d_loss = self.d_loss(1.0, real_logits) + self.d_loss(0.0, fake_logits)
        return real_view, fake_view, real_logits, fake_logits, d_loss, self.g_loss(1.0,
                                                                                   fake_logits)

    @property
    def transforms_real_for_generator(self):
        """Whether the generator update needs the transformed real images."""
        return any(s.needs_real for s in self._hooks["generator_regularizer"])

    def discriminator_regularization(self, discriminate, real, fake, index):
        """The sum of the `"discriminator_regularizer"` terms (penalties) for one D.

        Args:
            discriminate: `(images, training) -> logits` of the regularized D (closing
                over any condition).
            real, fake: what that D saw.
            index: the call index within the step (separates their noise).

        Returns:
            The loss to add inside D's tape (0 without regularizers); feeds the trackers
            (an inactive lazy step counts with weight 0).
        """
        total = 0.0
        # One seed for all replicas: penalties draw their noise for the global batch and
        # take their replica's rows, so N replicas match one device.
        seed = stateless_seed(self.seed, _SALT_PENALTY, self.step, index)
        for penalty in self._hooks["discriminator_regularizer"]:
            if penalty.every == 1:
                loss, logs = penalty(discriminate, real, fake, seed=seed)
                active = 1.0
            else:
                # Inside a conditional no synchronized state may change under tf.distribute
                # (spectral-norm `u`, batch-norm statistics): lazy penalties see D in
                # inference mode. The gradient still flows through every weight.
                is_active = penalty.is_active(self.d_optimizer.iterations)
                zeros = {name: tf.constant(0.0) for name in penalty.metric_names}
                loss, logs = tf.cond(
                    is_active,
                    lambda p=penalty: p(lambda x: discriminate(x, training=False), real, fake,
                                        seed=seed),
                    lambda: (tf.constant(0.0), zeros),
                )
                active = ops.cast(is_active, "float32")
            self._log_stabilizer(logs, sample_weight=active)
            total = total + ops.cast(loss, "float32")
        return total

    def generator_regularization(self, real, fake, latents=None):
        """The sum of the `"generator_regularizer"` terms (0 without any).

        A lazy regularizer (`every > 1`, with `is_active(iteration)`, e.g.
        `PathLengthPenalty`) logs with weight 0 on the generator updates it skips, as
        lazy penalties do on the discriminator side.
        """
        total = 0.0
        for regularizer in self._hooks["generator_regularizer"]:
            loss, logs = regularizer.generator_term(self, real, fake, latents)
            active = None
            if getattr(regularizer, "every", 1) > 1:
                active = ops.cast(regularizer.is_active(self.g_optimizer.iterations), "float32")
            self._log_stabilizer(logs, sample_weight=active)
            total = total + ops.cast(loss, "float32")
        return total

    def _log_stabilizer(self, logs, sample_weight=None):
        trackers = {t.name: t for t in self._stabilizer_trackers}
        for name, value in logs.items():
            trackers[name].update_state(ops.cast(value, "float32"), sample_weight=sample_weight)

    def apply_update(self, network, tape, loss):
        """Applies one update of the `"generator"` or `"discriminator"` side.

        `loss` must have been computed inside `tape`. Scales it for mixed precision inside
        `tape`, applies the gradients to that
        side's variables, then runs the `"after_update"` stabilizers and, after a
        generator update, the EMA.
        """
        optimizer = self.g_optimizer if network == "generator" else self.d_optimizer
        variables = (self.generator_variables if network == "generator"
                     else self.discriminator_variables)
        with tape:
            scaled = optimizer.scale_loss(loss)
        optimizer.apply_gradients(zip(tape.gradient(scaled, variables), variables))
        for stabilizer in self._hooks["after_update"]:
            stabilizer.after_update(self, network)
        if network == "generator" and self.ema_decay is not None:
            for name in self.GENERATORS:
                update_ema(getattr(self, f"ema_{name}"), getattr(self, name), self.ema_decay)

    def log(self, losses, values=None):
        """Feeds the trackers and returns the step's logs.

        Args:
            losses: `{tracker: value}` of Keras-loss-scaled values (divided by the replica
                count); they are multiplied back so the logs are unscaled.
            values: `{tracker: value}` of values logged as they are (scores, accuracies).
        """
        replicas = distribute.num_replicas()
        trackers = {m.name: m for m in self.metrics}
        for scale, logs in ((replicas, losses), (1, values or {})):
            for name, value in logs.items():
                if name not in trackers:
                    raise KeyError(
                        f"A step logged {name!r} but the model has no tracker of that name: "
                        f"add it with `_add_trackers({name!r})`. Trackers: {sorted(trackers)}")
                trackers[name].update_state(ops.cast(value, "float32") * scale)
        return distribute.keras_logs({m.name: m.result() for m in self.metrics},
                                     self.distribute_strategy)

    def unpack(self, data, names=("images", "labels"), second_required=False):
        """`(first, second)` of a batch; sample weights are refused."""
        first, second, sample_weight = keras.utils.unpack_x_y_sample_weight(data)
        if sample_weight is not None or (second_required and second is None):
            a, b = names
            raise ValueError(
                f"{type(self).__name__} trains on ({a}, {b}) batches without sample "
                f"weights. Received: data with {b}={'None' if second is None else 'given'} "
                f"and sample_weight={'None' if sample_weight is None else 'given'}")
        return first, second

    # ------------------------------------------------------------------ fit

    # Positions in a batch `(first, second)` that hold images, checked by `fit`.
    IMAGE_ELEMENTS = (0,)

    def fit(self, x=None, y=None, batch_size=None, epochs=1, **kwargs):
        """`keras.Model.fit`, refusing runs that would train nothing or on bad pixels.

        Before training: `epochs` (and `steps_per_epoch`) must be positive and exceed
        `initial_epoch`; the data must not be empty; its first batch's images must be
        finite and within [-1.05, 1.05] (the [-1, 1] range every tfgan generator's tanh
        makes). After training: a fit whose data yielded no batch raises.

        Raises:
            ValueError: naming what would make the run do nothing or learn garbage.
        """
        check_positive_int("epochs", epochs)
        initial_epoch = kwargs.get("initial_epoch", 0)
        if epochs <= initial_epoch:
            raise ValueError(f"`epochs` must exceed `initial_epoch` (the epochs already "
                             f"done), or fit trains nothing. Received: epochs={epochs}, "
                             f"initial_epoch={initial_epoch}")
        if kwargs.get("steps_per_epoch") is not None:
            check_positive_int("steps_per_epoch", kwargs["steps_per_epoch"])
        check_first_batch(x, y, self.IMAGE_ELEMENTS, batch_size)
        before = int(keras.ops.convert_to_numpy(self.step))
        history = super().fit(x, y, batch_size=batch_size, epochs=epochs, **kwargs)
        if int(keras.ops.convert_to_numpy(self.step)) == before and not self.stop_training:
            raise ValueError("fit ran no training step: the data yielded no batch (fewer "
                             "examples than one batch with drop_remainder=True, or an "
                             "empty dataset).")
        return history

    def _maybe_symbolic_build(self, iterator=None, data_batch=None):
        # Keras 3.15 builds from the first distributed batch reduced with
        # `strategy.reduce("MEAN", ...)`, which MultiWorkerMirroredStrategy refuses for
        # tuple batches (keras#20585): there, build from one replica's batch instead (its
        # shapes and dtypes are all the build needs). The one place tfgan adapts to it
        # besides `distribute.keras_logs`.
        if iterator is not None and distribute.multi_worker(self.distribute_strategy):
            for _, _, batches in iterator:
                with self.distribute_strategy.scope():
                    data_batch = distribute.first_replica(next(batches))
                break
            iterator = None
        return super()._maybe_symbolic_build(iterator=iterator, data_batch=data_batch)

    # ------------------------------------------------------------------ sampling

    def sample(self, n=16, seed=0, inputs=None):
        """`n` images for a sample grid, float32 in [-1, 1] (each model defines it)."""
        raise NotImplementedError(f"{type(self).__name__} must implement `sample`.")

    # ------------------------------------------------------------------ serialization

    def get_config(self):
        config = super().get_config()
        serialize = keras.saving.serialize_keras_object
        config.update({name: serialize(getattr(self, name))
                       for name in self.GENERATORS + self.DISCRIMINATORS})
        config.update({"seed": self.seed, "ema_decay": self.ema_decay})
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in cls.GENERATORS + cls.DISCRIMINATORS:
            config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)
