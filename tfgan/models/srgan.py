"""SRGAN: photo-realistic single-image super-resolution with a GAN (Ledig et al. 2017)."""

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from tfgan.models.base import AdversarialModel
from tfgan.utils.batching import predict_in_batches
from tfgan.utils.validation import check_non_negative

PIXEL_LOSSES = {"mse": keras.losses.MeanSquaredError, "mae": keras.losses.MeanAbsoluteError}
_ADVERSARIAL_LOGS = ("g_gan_loss", "d_loss", "real_score", "fake_score")


def srgan_optimizer():
    """Adam(1e-4, β1 = 0.9), SRGAN's optimizer for G and D (Ledig et al. 2017)."""
    return keras.optimizers.Adam(learning_rate=1e-4, beta_1=0.9)


@keras.saving.register_keras_serializable(package="tfgan")
class SRGAN(AdversarialModel):
    """SRGAN (Ledig et al. 2017): G upscales low-resolution images, D judges high-resolution
    ones; G's loss is a content loss plus a small adversarial term.

    Each `train_step` runs G once and updates D and G from the same forward pass:

    - D minimizes `d_loss(1, D(HR)) + d_loss(0, D(G(LR)))`;
    - G minimizes `content + adversarial_weight · g_loss(1, D(G(LR)))`, with
      `content = pixel_weight · pixel(HR, G(LR)) + feature_weight ·
      MSE(s·φ(HR), s·φ(G(LR)))`, `φ` the `feature_extractor` and `s` its `feature_scale`.

    Paper settings: SRResNet-MSE, the generator pretrained on the pixel MSE alone, is
    `compile(pretrain=True)` (D is neither run nor updated); SRGAN-MSE is the default
    compile without an extractor; SRGAN-VGG54 is
    `SRGAN(..., feature_extractor=vgg_feature_extractor())` compiled with
    `pixel_weight=0` (the paper has no pixel term there; the default 1 keeps one, which
    anchors colours when φ is a small or random network). Pretrain, then
    `compile(pretrain=False)` and `fit` again on the same model: the paper initializes
    SRGAN from SRResNet to avoid poor local optima.

    Data: `fit` takes `(low_resolution, high_resolution)` batches in [-1, 1]
    (`tfgan.datasets.super_resolution_pairs`). Stabilizers see D's image (the HR or the
    upscaled image).

    Metrics: `g_loss` (total), `content_loss`, `pixel_loss`, `feature_loss` (with an
    extractor), and unless pretraining `g_gan_loss`, `d_loss`, `real_score`,
    `fake_score` (D's mean logit on HR and upscaled images), and what stabilizers log.

    Args:
        generator: a Keras model `LR → HR` (`tfgan.architectures.srresnet_generator`).
        discriminator: a Keras model `HR images → logits`
            (`tfgan.architectures.srgan_discriminator`).
        feature_extractor: `φ` of the perceptual loss: any Keras model or layer taking
            [-1, 1] images, frozen here (`trainable = False`) and saved with the model.
            `tfgan.architectures.vgg_feature_extractor()` is the paper's VGG54. `None`
            (default): no feature term.
        feature_scale: factor on φ's activations before the MSE. Default 1/12.75 (the
            paper's rescaling of VGG features, so their loss is comparable to the MSE).
        seed: seed of the stabilizers' noise. `None` draws one.
        ema_decay: EMA of the generator's weights; see `tfgan.models.AdversarialModel`.
        **kwargs: passed to `keras.Model`.
    """

    BATCH = ("low_resolution", "high_resolution")
    IMAGE_ELEMENTS = (0, 1)
    COMPILE_ARGS = ("pixel_loss", "pixel_weight", "feature_weight", "adversarial_weight",
                    "pretrain")

    def __init__(self, generator, discriminator, feature_extractor=None,
                 feature_scale=1 / 12.75, seed=None, ema_decay=None, **kwargs):
        super().__init__(seed=seed, ema_decay=ema_decay, **kwargs)
        self._set_networks(generator=generator, discriminator=discriminator)
        if feature_extractor is not None and not isinstance(feature_extractor,
                                                            keras.layers.Layer):
            raise TypeError("`feature_extractor` must be a Keras model or layer, or None. "
                            f"Received: feature_extractor={feature_extractor!r}")
        if feature_extractor is not None:
            feature_extractor.trainable = False
        self.feature_extractor = feature_extractor
        self.feature_scale = check_non_negative("feature_scale", feature_scale)
        content = ("content_loss", "pixel_loss") + (
            ("feature_loss",) if feature_extractor is not None else ())
        self._add_trackers("g_loss", *content, *_ADVERSARIAL_LOGS)
        self.feature_mse = keras.losses.MeanSquaredError()
        self.pretrain = False
        self._init_state()

    @property
    def metrics(self):
        hidden = _ADVERSARIAL_LOGS if self.pretrain else ()
        return [m for m in super().metrics if m.name not in hidden]

    def compile(self, g_optimizer=None, d_optimizer=None, loss="non_saturating",
                pixel_loss="mse", pixel_weight=1.0, feature_weight=1.0,
                adversarial_weight=1e-3, pretrain=False, **kwargs):
        """Configures training.

        Args:
            g_optimizer: generator optimizer; `None` is Adam(1e-4, β1 = 0.9) (the paper's).
            d_optimizer: discriminator optimizer; same default.
            loss: GAN formulation for `tfgan.losses.get_pair` (default
                `"non_saturating"`, the paper's `-log D(G(LR))`).
            pixel_loss: `"mse"` (the paper's) or `"mae"` (L1, as EDSR).
            pixel_weight: weight of the pixel term. Default 1.
            feature_weight: weight of the feature (perceptual) term; used only with a
                `feature_extractor`. Default 1 (the paper's VGG54 loss).
            adversarial_weight: weight of G's adversarial term. Default 1e-3 (the paper's).
            pretrain: train G on the content loss alone (SRResNet); D is not run.
                Default False.
            **kwargs: `g_loss`, `d_loss`, `stabilizers` and `keras.Model.compile`
                arguments (see `AdversarialModel.compile`).
        """
        if pixel_loss not in PIXEL_LOSSES:
            raise ValueError(f"`pixel_loss` must be one of {sorted(PIXEL_LOSSES)}. "
                             f"Received: pixel_loss={pixel_loss!r}")
        self.pixel_loss = pixel_loss
        self.pixel_weight = check_non_negative("pixel_weight", pixel_weight)
        self.feature_weight = check_non_negative("feature_weight", feature_weight)
        self.adversarial_weight = check_non_negative("adversarial_weight", adversarial_weight)
        if self.pixel_weight == 0 and (self.feature_extractor is None
                                       or self.feature_weight == 0):
            raise ValueError("The content loss is empty: give `pixel_weight` > 0, or a "
                             "`feature_extractor` and `feature_weight` > 0. Received: "
                             f"pixel_weight={pixel_weight}, feature_weight={feature_weight}, "
                             f"feature_extractor={self.feature_extractor!r}")
        self.pretrain = bool(pretrain)
        self.pixel = PIXEL_LOSSES[pixel_loss]()
        super().compile(
            g_optimizer=srgan_optimizer() if g_optimizer is None else g_optimizer,
            d_optimizer=srgan_optimizer() if d_optimizer is None else d_optimizer,
            loss=loss, **kwargs)

    # ------------------------------------------------------------------ steps

    def _content(self, high, fake):
        """`(content_loss, {tracker: value})` of the content terms (Keras-loss-scaled)."""
        pixel = self.pixel(high, fake)
        content = self.pixel_weight * pixel
        logs = {"pixel_loss": pixel}
        if self.feature_extractor is not None:
            def features(images):
                return ops.cast(self.feature_extractor(images, training=False),
                                "float32") * self.feature_scale
            feature = self.feature_mse(ops.stop_gradient(features(high)), features(fake))
            content = content + self.feature_weight * feature
            logs["feature_loss"] = feature
        logs["content_loss"] = content
        return content, logs

    def _forward(self, low, high, training):
        """`(D's views, d_loss, g_loss, logs, scores)` of one step; without D (views and
        d_loss `None`, no scores) when pretraining."""
        fake = self.generator(low, training=training)
        content, logs = self._content(high, fake)
        if self.pretrain:
            return None, None, content, logs, {}
        real_view, fake_view, real_logits, fake_logits, d_loss, g_gan = self.judge(
            high, fake, training)
        logs.update(g_gan_loss=g_gan)
        scores = {"real_score": ops.mean(ops.cast(real_logits, "float32")),
                  "fake_score": ops.mean(ops.cast(fake_logits, "float32"))}
        g_loss = content + self.adversarial_weight * g_gan
        return (real_view, fake_view), d_loss, g_loss, logs, scores

    def train_step(self, data):
        low, high = self.unpack(data, self.BATCH, second_required=True)
        with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
            views, d_loss, g_loss, logs, scores = self._forward(low, high, training=True)
        if self.pretrain:
            self.apply_update("generator", g_tape, g_loss)
        else:
            d_loss, g_loss = self.joint_update(d_tape, g_tape, d_loss, g_loss,
                                               self.discriminator, *views)
            logs["d_loss"] = d_loss
        self.step.assign_add(1)
        return self.log({"g_loss": g_loss, **logs}, scores)

    def test_step(self, data):
        low, high = self.unpack(data, self.BATCH, second_required=True)
        _, d_loss, g_loss, logs, scores = self._forward(low, high, training=False)
        if d_loss is not None:
            logs["d_loss"] = d_loss
        return self.log({"g_loss": g_loss, **logs}, scores)

    # ------------------------------------------------------------------ inference

    def upscale(self, images, batch_size=16):
        """Upscales low-resolution images with the (EMA, when on) generator.

        Args:
            images: array `(n, h, w, c)` in [-1, 1] (any `h`, `w` the generator takes).
            batch_size: images per generator call.

        Returns:
            A float32 numpy array `(n, scale·h, scale·w, c)` in [-1, 1].
        """
        return predict_in_batches(self.sampling_network("generator"),
                                  np.asarray(images, dtype="float32"), batch_size)

    def sample(self, n=16, seed=0, inputs=None):
        """Upscalings of the first `n` of `inputs` (held-out low-resolution images).

        Returns:
            A float32 array `(min(n, len(inputs)), scale·h, scale·w, c)` in [-1, 1].
        """
        del seed
        if inputs is None:
            raise ValueError("SRGAN samples by upscaling inputs: pass `inputs`, a batch of "
                             "held-out low-resolution images in [-1, 1]. Received: inputs=None")
        return self.upscale(np.asarray(inputs)[:n])

    # ------------------------------------------------------------------ serialization

    def get_config(self):
        config = super().get_config()
        config["feature_extractor"] = (
            None if self.feature_extractor is None
            else keras.saving.serialize_keras_object(self.feature_extractor))
        config["feature_scale"] = self.feature_scale
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if config.get("feature_extractor") is not None:
            config["feature_extractor"] = keras.saving.deserialize_keras_object(
                config["feature_extractor"])
        return super().from_config(config)
