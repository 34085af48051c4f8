"""The `GANHealth` callback: is the discriminator winning, is the generator collapsing?

Besides the callback, this module holds the rules that turn a history of health values
into findings (`health_conditions`, `health_findings`): the callback warns with them
during training and `tfgan report` names them afterwards, so both say the same thing.
"""

import logging
import math
import pathlib
import warnings

import keras
import numpy as np
import tensorflow as tf

from tfgan import losses as losses_lib
from tfgan.metrics import extractors as extractors_lib
from tfgan.utils.validation import check_non_negative
from tfgan.utils.validation import check_positive_int

_log = logging.getLogger(__name__)

LOSS_KEYS = ("d_loss", "g_loss")
# Default `(threshold, margin)` in logits by discriminator loss: the logit separating
# real from fake, and how far past it D's mean score must lie for an outright win.
# Sigmoid losses: |logit| ≥ 3 is σ ≥ 0.95. Hinge: beyond ±1 D's loss is zero. Least
# squares (targets 0 and 1): beyond the targets themselves.
DECISION = {
    losses_lib.NonSaturatingLoss: (0.0, 3.0),
    losses_lib.SaturatingLoss: (0.0, 3.0),
    losses_lib.HingeLoss: (0.0, 1.0),
    losses_lib.LeastSquaresLoss: (0.5, 0.5),
}
WARNING_KEYS = {"d_wins": "warn_d_wins", "collapse": "warn_collapse",
                "divergence": "warn_divergence"}


class GANHealthWarning(UserWarning):
    """Base class of the warnings `GANHealth` emits."""


class DiscriminatorWinsWarning(GANHealthWarning):
    """The discriminator has won outright for several epochs in a row."""


class ModeCollapseWarning(GANHealthWarning):
    """The diversity of the generator's samples fell sharply (mode collapse?)."""


class LossDivergenceWarning(GANHealthWarning):
    """A loss became non-finite or grew by a large factor."""


WARNING_CATEGORIES = {"d_wins": DiscriminatorWinsWarning, "collapse": ModeCollapseWarning,
                      "divergence": LossDivergenceWarning}


# ---------------------------------------------------------------------- the rules


def _series(history, key):
    return np.asarray(history.get(key, ()), dtype="float64")


def _epochs(history, length):
    """1-based epoch numbers of a history (Keras' `epoch` column counts from 0)."""
    epochs = history.get("epoch")
    if epochs is None or len(epochs) < length:
        return list(range(1, length + 1))
    return [int(e) + 1 for e in epochs[:length]]


def _streaks(flags):
    """`[(start, end)]` (inclusive indices) of the runs of True in `flags`."""
    runs, start = [], None
    for i, flag in enumerate(list(flags) + [False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            runs.append((start, i - 1))
            start = None
    return runs


def health_conditions(history, win_rate=0.9, win_epochs=3, collapse_fraction=0.2,
                      divergence_factor=10.0):
    """Per epoch, whether each health rule holds, from a history of `GANHealth` values.

    The rules (each reads only the epochs up to its own, so the callback's flags during
    training equal these flags computed afterwards):

    - `"d_wins"`: D won outright on at least `win_rate` of the epoch's updates
      (`d_win_rate`), and on each of the `win_epochs - 1` epochs before it.
    - `"collapse"`: `diversity` (relative to the real images', see `GANHealth`) is below
      `collapse_fraction` times its first finite value, or below `collapse_fraction`
      itself (the samples are that much less diverse than real images).
    - `"divergence"`: `d_loss` or `g_loss` is NaN/Inf, or
      `|loss| > divergence_factor · max(|loss at the first epoch|, 1)`.

    Args:
        history: `{key: values per epoch}` (`History.history`, `read_history(...)`).
        win_rate, win_epochs, collapse_fraction, divergence_factor: see `GANHealth`.

    Returns:
        `{rule: list of bools, one per epoch}` for the rules whose keys the history has.
    """
    conditions = {}
    rates = _series(history, "d_win_rate")
    if rates.size:
        wins = rates >= win_rate  # NaN (no value that epoch) is never a win
        conditions["d_wins"] = [bool(wins[max(0, i - win_epochs + 1):i + 1].all())
                                and i + 1 >= win_epochs for i in range(len(wins))]
    diversity = _series(history, "diversity")
    if diversity.size:
        finite = diversity[np.isfinite(diversity)]
        first = finite[0] if finite.size else math.nan
        conditions["collapse"] = [bool(d < collapse_fraction * first or d < collapse_fraction)
                                  for d in diversity]
    losses = [_series(history, key) for key in LOSS_KEYS if key in history]
    if losses:
        length = max(len(v) for v in losses)
        flags = [False] * length
        for values in losses:
            for i, diverged in enumerate(_diverged(values, divergence_factor)):
                flags[i] = flags[i] or diverged
        conditions["divergence"] = flags
    return conditions


def _diverged(values, factor):
    reference = max(abs(values[0]), 1.0) if values.size and np.isfinite(values[0]) else 1.0
    return [bool(not np.isfinite(v) or abs(v) > factor * reference) for v in values]


def health_findings(history, win_rate=0.9, win_epochs=3, collapse_fraction=0.2,
                    divergence_factor=10.0):
    """What the health rules see in a history, in words.

    One finding per onset of a rule of `health_conditions` (a rule that holds again
    after a break is a new finding), e.g. `"D wins outright since epoch 7"`,
    `"diversity fell 80% at epoch 12 (collapse?)"`, `"g_loss is nan at epoch 4
    (diverged)"`.

    Args:
        history: `{key: values per epoch}`, with an optional 0-based `epoch` key.
        win_rate, win_epochs, collapse_fraction, divergence_factor: see `GANHealth`.

    Returns:
        A list of dicts `{"kind", "epoch", "message"}` (`kind`: `"d_wins"`,
        `"collapse"` or `"divergence"`; `epoch`: 1-based, where it starts), by epoch.
    """
    conditions = health_conditions(history, win_rate, win_epochs, collapse_fraction,
                                   divergence_factor)
    length = max((len(v) for v in conditions.values()), default=0)
    epochs = _epochs(history, length)
    findings = []
    for start, end in _streaks(conditions.get("d_wins", ())):
        first = start - win_epochs + 1  # the streak's first winning epoch
        if end == length - 1:
            message = f"D wins outright since epoch {epochs[first]}"
        else:
            message = f"D won outright in epochs {epochs[first]}-{epochs[end]}"
        findings.append({"kind": "d_wins", "epoch": epochs[first], "message": message})
    diversity = _series(history, "diversity")
    finite = diversity[np.isfinite(diversity)]
    for start, _ in _streaks(conditions.get("collapse", ())):
        value = diversity[start]
        if finite.size and value < collapse_fraction * finite[0]:
            text = f"diversity fell {1 - value / finite[0]:.0%} at epoch {epochs[start]}"
        else:
            text = f"diversity at {value:.0%} of the real images' at epoch {epochs[start]}"
        findings.append({"kind": "collapse", "epoch": epochs[start],
                         "message": f"{text} (collapse?)"})
    for start, _ in _streaks(conditions.get("divergence", ())):
        findings.append({"kind": "divergence", "epoch": epochs[start],
                         "message": _divergence_message(history, start, epochs[start],
                                                        divergence_factor)})
    return sorted(findings, key=lambda f: f["epoch"])


def _divergence_message(history, index, epoch, factor):
    for key in LOSS_KEYS:
        values = _series(history, key)
        if index < values.size and _diverged(values, factor)[index]:
            value = values[index]
            if not np.isfinite(value):
                return f"{key} is {value} at epoch {epoch} (diverged)"
            return (f"{key} grew to {value:.4g} at epoch {epoch}, from {values[0]:.4g} at "
                    f"the first (diverging?)")
    return f"losses diverged at epoch {epoch}"


# ---------------------------------------------------------------------- measurements


def mean_pairwise_distance(features):
    """Mean Euclidean distance over all pairs `i < j` of the rows of `features`.

    Computed in float64 from the Gram matrix. Returns 0 for fewer than two rows.
    """
    features = np.asarray(features, dtype="float64").reshape(len(features), -1)
    n = len(features)
    if n < 2:
        return 0.0
    squared = np.sum(features ** 2, axis=1)
    distances = squared[:, None] + squared[None, :] - 2.0 * features @ features.T
    distances = np.sqrt(np.maximum(distances, 0.0))
    return float(distances[np.triu_indices(n, k=1)].mean())


def class_entropy(probabilities):
    """Entropy (nats) of the mean class distribution of `probabilities` `(n, classes)`:
    `log(classes)` when the samples spread evenly over the classes, 0 for one class."""
    mean = np.asarray(probabilities, dtype="float64").mean(axis=0)
    mean = mean[mean > 0]
    return float(-np.sum(mean * np.log(mean)))


def _global_norm(gradients):
    gradients = [g for g in gradients if g is not None]
    if not gradients:
        return 0.0
    return float(tf.linalg.global_norm([tf.cast(g, "float32") for g in gradients]))


def _load(value, arg):
    """An array from an array or the path of a `.npy` file, and the path (or None)."""
    if value is None:
        return None, None
    if isinstance(value, (str, pathlib.Path)):
        if pathlib.Path(value).suffix != ".npy":
            raise ValueError(f"`{arg}` must be an array or the path of a `.npy` file. "
                             f"Received: {arg}={value}")
        return np.load(value), str(value)
    return np.asarray(value), None


@keras.saving.register_keras_serializable(package="tfgan")
class GANHealth(keras.callbacks.Callback):
    """Watches a GAN's training health and warns about the classic failures.

    At the end of every epoch it writes into the epoch's `logs` (so `History`,
    `CSVLogger`, `TensorBoardGAN` and `tfgan report` see them: put this callback BEFORE
    them in the `callbacks` list):

    - `d_real_accuracy`, `d_fake_accuracy`: the fraction of D's logits above
      `threshold` on `real_images` and below it on fakes generated from fixed latents
      (`seed`) by the training generator, for the labels `real_labels` (conditional
      models). One logit per image (every patch of a PatchGAN map).
    - `d_win_rate`: the fraction of the epoch's training steps on which D won
      outright: D's mean logit on the step's real batch ≥ `threshold + margin` and on
      its fakes ≤ `threshold - margin` (the `real_score` / `fake_score` the train step
      logs, taken per step from the running means Keras passes to batch callbacks;
      with `d_steps > 1`, those of the step's last D update; with
      `steps_per_execution = N`, judged on the mean of each N steps).
    - `d_grad_norm`, `g_grad_norm`: the global L2 norm of the gradient of D's and G's
      adversarial objective (`model.discriminator_loss` / `model.generator_loss`,
      without stabilizers such as penalties or augmentation) with respect to their
      trainable weights, on `real_images` and the fixed fakes. Every network runs in
      inference mode (`training=False`), so measuring changes no state (batch-norm
      statistics, spectral-norm vectors): with batch norm the values differ from the
      training step's.
    - `diversity`: the mean pairwise distance between the `extractor` features of
      `num_samples` images from `model.sample` (fixed latents; the EMA generator when
      there is one), divided by the same for `real_images`: about 1 when the samples
      are as varied as real images, 0 when the generator makes one image.
    - `class_entropy` (with a `classifier`): the entropy of the mean class
      distribution of the samples, in nats (`log(classes)` for balanced classes).
    - `warn_d_wins`, `warn_collapse`, `warn_divergence`: 1.0 on epochs where the rule
      holds (see `health_conditions`), else 0.0.

    When a rule starts to hold it warns (`warnings.warn`) with a `GANHealthWarning`
    subclass, and appends `{"epoch", "kind", "message"}` to `events`:

    - `DiscriminatorWinsWarning`: `d_win_rate ≥ win_rate` for `win_epochs` epochs in a
      row (G then learns from vanishing or saturated gradients).
    - `ModeCollapseWarning`: `diversity` below `collapse_fraction` times its first
      epoch's value or below `collapse_fraction` (of the real images' diversity).
    - `LossDivergenceWarning`: `d_loss` or `g_loss` non-finite, or
      `|loss| > divergence_factor · max(|first epoch's loss|, 1)`.

    The first epoch is the first this callback saw. Supported models: `tfgan.GAN` and
    its subclasses (`ConditionalGAN`, with ACGAN's adversarial logit); image-to-image
    models (`Pix2Pix`, `CycleGAN`) are refused when training starts.

    D's accuracy and win rate need a decision threshold: the defaults come from D's
    loss (`DECISION`: 0 and margin 3 for the sigmoid losses, i.e. σ ≥ 0.95; 0 and 1
    for hinge; 0.5 and 0.5 for least squares). A Wasserstein critic's scores have no
    fixed offset, so for it (and custom losses) these metrics are skipped, with the
    reason in `skipped`, unless `threshold` and `margin` are given.

    Args:
        real_images: a fixed batch of real images in [-1, 1] (an array or the path of
            a `.npy` file), e.g. 64 held-out images.
        real_labels: their integer labels, for conditional models (an array or `.npy`
            path); `None` otherwise.
        num_samples: generated images for `diversity` and `class_entropy`.
        seed: seed of the fixed latents.
        extractor: features for `diversity`: `None` (default) uses the pixels; or a
            `tfgan.metrics` extractor, Keras model or name (e.g. `"mnist"`, the shipped
            MNIST classifier's features).
        classifier: an extractor giving class probabilities (e.g.
            `"mnist_probabilities"`) for `class_entropy`; `None` (default) skips it.
        threshold: D's decision logit; `None` uses `DECISION`.
        margin: how far past `threshold` D's mean logits must lie for an outright win;
            `None` uses `DECISION`.
        win_rate: the fraction of steps won outright that makes an epoch won. Default
            0.9.
        win_epochs: consecutive won epochs before warning. Default 3.
        collapse_fraction: see `ModeCollapseWarning` above. Default 0.2 (a fall of 80%).
        divergence_factor: see `LossDivergenceWarning` above. Default 10.
    """

    def __init__(self, real_images, real_labels=None, num_samples=64, seed=0,
                 extractor=None, classifier=None, threshold=None, margin=None, win_rate=0.9,
                 win_epochs=3, collapse_fraction=0.2, divergence_factor=10.0):
        super().__init__()
        self.real_images, self._real_images_path = _load(real_images, "real_images")
        self.real_labels, self._real_labels_path = _load(real_labels, "real_labels")
        if self.real_images.ndim < 2 or len(self.real_images) < 2:
            raise ValueError("`real_images` must be a batch of at least 2 images. Received: "
                             f"real_images of shape {self.real_images.shape}")
        self.real_images = self.real_images.astype("float32")
        if self.real_labels is not None and len(self.real_labels) != len(self.real_images):
            raise ValueError(f"`real_labels` must hold one label per image "
                             f"({len(self.real_images)}). Received: real_labels of shape "
                             f"{self.real_labels.shape}")
        self.num_samples = check_positive_int("num_samples", num_samples, minimum=2)
        self.seed = int(seed)
        self._extractor_id = extractor
        self._classifier_id = classifier
        self.extractor = None if extractor is None else extractors_lib.get(extractor)
        self.classifier = None if classifier is None else extractors_lib.get(classifier)
        self.threshold = None if threshold is None else float(threshold)
        self.margin = None if margin is None else check_non_negative("margin", margin)
        if not 0.0 < float(win_rate) <= 1.0:
            raise ValueError(f"`win_rate` must be in (0, 1]. Received: win_rate={win_rate}")
        self.win_rate = float(win_rate)
        self.win_epochs = check_positive_int("win_epochs", win_epochs)
        if not 0.0 < float(collapse_fraction) < 1.0:
            raise ValueError("`collapse_fraction` must be in (0, 1). "
                             f"Received: collapse_fraction={collapse_fraction}")
        self.collapse_fraction = float(collapse_fraction)
        if not float(divergence_factor) > 1.0:
            raise ValueError("`divergence_factor` must be greater than 1. "
                             f"Received: divergence_factor={divergence_factor}")
        self.divergence_factor = float(divergence_factor)
        self.history = {}
        self.events = []
        self.skipped = {}
        self._real_diversity = None
        self._decision = None

    # ------------------------------------------------------------------ set-up

    def _rules(self):
        return {"win_rate": self.win_rate, "win_epochs": self.win_epochs,
                "collapse_fraction": self.collapse_fraction,
                "divergence_factor": self.divergence_factor}

    def on_train_begin(self, logs=None):
        from tfgan.models import ConditionalGAN
        from tfgan.models import GAN

        model = self.model
        if not isinstance(model, GAN):
            raise TypeError(
                "GANHealth measures models that sample from noise: tfgan.GAN and its "
                "subclasses (ConditionalGAN). Image-to-image models have no fixed latents "
                f"to probe. Received: model={type(model).__name__}")
        if isinstance(model, ConditionalGAN) and self.real_labels is None:
            raise ValueError("A ConditionalGAN's discriminator needs the labels of "
                             "`real_images`: pass `real_labels`. Received: real_labels=None")
        expected = tuple(model.image_shape)
        if tuple(self.real_images.shape[1:]) != expected:
            raise ValueError(f"`real_images` must have shape (n, *{expected}), the model's "
                             f"image shape. Received: real_images of shape "
                             f"{self.real_images.shape}")
        self._decision = self._resolve_decision(model)

    def _resolve_decision(self, model):
        """`(threshold, margin)` for D's accuracy and wins; either `None` when skipped."""
        default = next((v for cls, v in DECISION.items() if isinstance(model.d_loss, cls)),
                       (None, None))
        threshold = self.threshold if self.threshold is not None else default[0]
        margin = self.margin if self.margin is not None else default[1]
        name = type(model.d_loss).__name__
        self.skipped = {}
        if threshold is None:
            self.skipped["d_real_accuracy"] = self.skipped["d_fake_accuracy"] = (
                f"no decision threshold for d_loss={name}: pass `threshold=`")
        if threshold is None or margin is None:
            self.skipped["d_win_rate"] = (
                f"no decision threshold and margin for d_loss={name}: pass `threshold=` "
                "and `margin=`")
        for key, reason in self.skipped.items():
            _log.info("GANHealth skips %s: %s", key, reason)
        return threshold, margin

    # ------------------------------------------------------------------ per step

    def _step(self):
        return int(keras.ops.convert_to_numpy(self.model.step))

    def on_epoch_begin(self, epoch, logs=None):
        self._first_step = self._step()
        self._seen = 0
        self._sums = (0.0, 0.0)
        self._won = 0

    def on_train_batch_end(self, batch, logs=None):
        threshold, margin = self._decision
        logs = logs or {}
        if margin is None or "real_score" not in logs or "fake_score" not in logs:
            return
        seen = self._step() - self._first_step
        new = seen - self._seen
        if new <= 0:
            return
        # The logs hold running means over the epoch: recover the new steps' own mean.
        sums = (float(logs["real_score"]) * seen, float(logs["fake_score"]) * seen)
        real, fake = ((now - before) / new for now, before in zip(sums, self._sums))
        if real >= threshold + margin and fake <= threshold - margin:
            self._won += new
        self._seen, self._sums = seen, sums

    # ------------------------------------------------------------------ per epoch

    def on_epoch_end(self, epoch, logs=None):
        logs = logs if logs is not None else {}
        values = self.measure()
        if self._decision[1] is not None and self._seen:
            values["d_win_rate"] = self._won / self._seen
        record = {"epoch": epoch, **{k: logs[k] for k in LOSS_KEYS if k in logs}, **values}
        keys = set(self.history) | set(record)
        length = len(self.history.get("epoch", ()))
        for key in keys:
            self.history.setdefault(key, [math.nan] * length).append(
                float(record.get(key, math.nan)))
        conditions = health_conditions(self.history, **self._rules())
        findings = health_findings(self.history, **self._rules())
        for kind, key in WARNING_KEYS.items():
            flags = conditions.get(kind, [False])
            values[key] = float(flags[-1])
            if flags[-1] and not (len(flags) > 1 and flags[-2]):  # the rule starts now
                current = [f for f in findings if f["kind"] == kind][-1]
                self._warn(epoch, kind, current["message"])
        logs.update(values)

    def _warn(self, epoch, kind, message):
        message = f"GANHealth: {message}."
        self.events.append({"epoch": epoch + 1, "kind": kind, "message": message})
        warnings.warn(message, WARNING_CATEGORIES[kind], stacklevel=3)

    def measure(self):
        """The health values of the model now (without `d_win_rate`, which needs the
        epoch's steps): a dict of floats, keys as in the class docstring."""
        model, values = self.model, {}
        labels = None if self.real_labels is None else tf.constant(self.real_labels)
        real = tf.constant(self.real_images)
        latents = tf.constant(model.sample_latents(len(self.real_images), self.seed))
        fake = model.generator_call(latents, labels, training=False)
        adversarial = model.adversarial_logits
        d_variables = model.discriminator_variables
        with tf.GradientTape() as tape:
            real_logits = model.discriminate(real, labels, training=False)
            fake_logits = model.discriminate(fake, labels, training=False)
            d_loss, _ = model.discriminator_loss(real, fake, labels, real_logits, fake_logits)
        values["d_grad_norm"] = _global_norm(tape.gradient(d_loss, d_variables))
        threshold = self._decision[0]
        if threshold is not None:
            values["d_real_accuracy"] = float(np.mean(
                np.asarray(adversarial(real_logits)) > threshold))
            values["d_fake_accuracy"] = float(np.mean(
                np.asarray(adversarial(fake_logits)) < threshold))
        g_variables = model.generator_variables
        with tf.GradientTape() as tape:
            fake = model.generator_call(latents, labels, training=False)
            fake_logits = model.discriminate(fake, labels, training=False)
            g_loss, _ = model.generator_loss(real, fake, labels, fake_logits)
        values["g_grad_norm"] = _global_norm(tape.gradient(g_loss, g_variables))
        samples = np.asarray(model.sample(self.num_samples, seed=self.seed))
        if self._real_diversity is None:
            self._real_diversity = mean_pairwise_distance(self._features(self.real_images))
        values["diversity"] = (mean_pairwise_distance(self._features(samples))
                               / max(self._real_diversity, 1e-12))
        if self.classifier is not None:
            values["class_entropy"] = class_entropy(self.classifier(samples))
        return values

    def _features(self, images):
        if self.extractor is None:
            return np.asarray(images, dtype="float32").reshape(len(images), -1)
        return self.extractor(images)

    # ------------------------------------------------------------------ config

    def get_config(self):
        for arg, path in (("real_images", self._real_images_path),
                          ("real_labels", self._real_labels_path)):
            if path is None and getattr(self, arg) is not None:
                raise TypeError(f"Only a GANHealth built from `.npy` paths is serializable. "
                                f"Received: {arg}=<array>")
        serialize = (lambda x: x if x is None or isinstance(x, str)
                     else keras.saving.serialize_keras_object(extractors_lib.get(x)))
        return {"real_images": self._real_images_path, "real_labels": self._real_labels_path,
                "num_samples": self.num_samples, "seed": self.seed,
                "extractor": serialize(self._extractor_id),
                "classifier": serialize(self._classifier_id),
                "threshold": self.threshold, "margin": self.margin, **self._rules()}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("extractor", "classifier"):
            if isinstance(config.get(key), dict):
                config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)
