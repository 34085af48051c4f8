"""Text-to-image GAN: GAN-CLS matching-aware training with conditioning augmentation."""

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from tfgan.architectures.text_to_image import CONDITIONING
from tfgan.architectures.text_to_image import DECODER
from tfgan.architectures.text_to_image import TEXT_ENCODER
from tfgan.layers.text_vectorizer import PADDING
from tfgan.layers.text_vectorizer import check_texts
from tfgan.layers.text_vectorizer import token_ids
from tfgan.layers.text_vectorizer import tokenize
from tfgan.latent.interpolation import lerp
from tfgan.models.gan import GAN
from tfgan.models.text_image_matcher import TextImageMatcher
from tfgan.models.text_image_matcher import matching_loss
from tfgan.utils.batching import predict_in_batches
from tfgan.utils.distribute import num_replicas
from tfgan.utils.images import make_grid
from tfgan.utils.validation import check_non_negative
from tfgan.utils.validation import check_positive_int


def mismatched_captions(tokens):
    """Each row's mismatched caption for GAN-CLS: the batch rolled by one row.

    Row `i` gets the caption of row `i - 1`, another image's caption from the same batch,
    never its own. Where the two captions are identical (the same text twice in a batch),
    the pair is not a mismatch: its weight is 0, so D is never taught that a matching
    caption is fake.

    Args:
        tokens: int token ids `(batch, length)`.

    Returns:
        `(mismatched, weights)`: the rolled tokens and float32 weights `(batch,)`, 1 where
        the rolled caption differs from the row's own.
    """
    mismatched = ops.roll(tokens, 1, axis=0)
    differs = ops.any(ops.not_equal(mismatched, tokens), axis=1)
    return mismatched, ops.cast(differs, "float32")


def _frozen(matcher):
    """The matcher's config without its compile config: frozen inside the GAN, it is
    loaded without the optimizer it was trained with."""
    config = keras.saving.serialize_keras_object(matcher)
    config.pop("compile_config", None)
    return config


@keras.saving.register_keras_serializable(package="tfgan")
class TextToImageGAN(GAN):
    """A GAN conditioned on captions (StackGAN, Zhang et al. 2017; AttnGAN, Xu et al.
    2018) trained matching-aware (GAN-CLS, Reed et al. 2016).

    The generator maps `[z, tokens]` to images; a `tfgan.layers.ConditioningAugmentation`
    inside it draws the condition `c ~ N(μ(φ_t), Σ(φ_t))` from the text embedding and adds
    its KL divergence to N(0, I) as a layer loss. The discriminator scores
    `[images, tokens]` (`tfgan.architectures.text_to_image_*` build both). Each step:

    - D minimizes `d_loss(1, D(x, t)) + ½ [d_loss(0, D(x, t̂)) + d_loss(0, D(G(z, t), t))]`
      (GAN-CLS): a real image with its caption is real; a real image with a mismatched
      caption `t̂` and a fake image with the matching caption are fake. `t̂` is the
      caption of the previous row of the same batch (`mismatched_captions`); rows whose
      rolled caption is identical to their own get weight 0 in that term.
    - G minimizes `g_loss(1, D(G(z, t), t)) + kl_weight · KL / d`, the KL divergence of
      the condition per dimension `d` of `c` (StackGAN's normalization), and with a
      `matcher`, `+ matching_weight · matching_loss(G(z, t), t)`: AttnGAN's DAMSM term,
      the frozen matcher's loss of finding each fake image's caption among the batch's.

    The train step is `GAN`'s, so `d_steps`, every loss and every stabilizer
    (`compile(stabilizers=...)`: penalties see D with the matching caption, DiffAugment
    transforms the images) compose with it.

    Data: `fit` takes `(images, captions)` batches: images in [-1, 1] and captions as
    strings `(batch,)` (tokenized by `vectorizer` inside the step) or token ids
    `(batch, max_length)` (`tfgan.datasets.captioned_mnist_dataset`,
    `captioned_images`). Captions without any token raise.

    Metrics: `d_loss`, `g_loss`, `real_score`, `fake_score` (D's mean logit on real and
    generated pairs), `mismatch_score` (on real images with mismatched captions),
    `kl_loss`, and with a matcher `matching_loss`.

    Args:
        generator: a functional Keras model `[z, tokens] → images`.
        discriminator: a Keras model `[images, tokens] → logits (batch, 1)`.
        vectorizer: the `keras.layers.TextVectorization` the networks were built for
            (`tfgan.layers.text_vectorizer(training_captions)`); saved with the model and
            exported in its SavedModel.
        sample_captions: captions of the sample grid (`sample`), cycled. `None` uses
            the vectorizer's first vocabulary words.
        matcher: an optional trained `tfgan.TextImageMatcher` on the same vectorizer,
            frozen here: the DAMSM term of G's loss. Saved with the model.
        latent_dim, seed, ema_decay: see `GAN`.
        **kwargs: passed to `keras.Model`.
    """

    COMPILE_ARGS = ("d_steps", "kl_weight", "matching_weight")

    def __init__(self, generator, discriminator, vectorizer, sample_captions=None,
                 matcher=None, latent_dim=None, seed=None, ema_decay=None, **kwargs):
        if not isinstance(vectorizer, keras.layers.TextVectorization):
            raise TypeError(f"`vectorizer` must be a keras.layers.TextVectorization adapted "
                            f"on the training captions (tfgan.layers.text_vectorizer). "
                            f"Received: vectorizer={vectorizer!r}")
        self.vectorizer = vectorizer
        length = vectorizer.get_config()["output_sequence_length"]
        inputs = getattr(generator, "inputs", None) or []
        tokens_shape = tuple(inputs[1].shape) if len(inputs) == 2 else None
        if length is None or tokens_shape is None or tokens_shape[1:] != (length,):
            raise ValueError(f"The vectorizer's output_sequence_length must equal the "
                             f"generator's token length. Received: output_sequence_length="
                             f"{length}, generator tokens input shape={tokens_shape}")
        self.max_length = int(length)
        if matcher is not None:
            if not isinstance(matcher, TextImageMatcher):
                raise TypeError(f"`matcher` must be a tfgan.TextImageMatcher or None. "
                                f"Received: matcher={matcher!r}")
            if matcher.vectorizer.get_vocabulary() != vectorizer.get_vocabulary():
                raise ValueError("The matcher must tokenize captions as the GAN does: its "
                                 "vectorizer has a different vocabulary. Train it on the "
                                 "same `vectorizer`.")
            matcher.trainable = False
        self.matcher = matcher
        super().__init__(generator, discriminator, latent_dim=latent_dim, seed=seed,
                         ema_decay=ema_decay, **kwargs)
        words = self.vectorizer.get_vocabulary()[2:] or ["[UNK]"]
        self.sample_captions = check_texts(sample_captions if sample_captions is not None
                                           else words[:8], "sample_captions")
        self._add_trackers("mismatch_score", "kl_loss",
                           *(("matching_loss",) if matcher is not None else ()))

    def _dummy_generator_output(self):
        return self.generator.outputs[0]

    def compile(self, g_optimizer=None, d_optimizer=None, loss="non_saturating", d_steps=1,
                kl_weight=1.0, matching_weight=None, **kwargs):
        """Configures training.

        Args:
            g_optimizer, d_optimizer, loss, d_steps: see `GAN.compile`. StackGAN used
                Adam(2e-4, β1 = 0.5), the default.
            kl_weight: weight of the conditioning augmentation's KL term in G's loss.
                Default 1 (Zhang et al. 2017, λ = 1); 0 disables it.
            matching_weight: weight of the matcher's DAMSM term. `None` (default): 5 with
                a matcher (AttnGAN's λ on CUB birds), 0 without; a positive weight needs a
                matcher.
            **kwargs: `g_loss`, `d_loss`, `stabilizers` and `keras.Model.compile`
                arguments (see `AdversarialModel.compile`).
        """
        self.kl_weight = check_non_negative("kl_weight", kl_weight)
        if matching_weight is None:
            matching_weight = 0.0 if self.matcher is None else 5.0
        self.matching_weight = check_non_negative("matching_weight", matching_weight)
        if self.matching_weight > 0 and self.matcher is None:
            raise ValueError(f"A matching term needs a `matcher` (tfgan.TextImageMatcher) "
                             f"in the model. Received: matching_weight={matching_weight}, "
                             f"matcher=None")
        super().compile(g_optimizer=g_optimizer, d_optimizer=d_optimizer, loss=loss,
                        d_steps=d_steps, **kwargs)

    # ------------------------------------------------------------------ captions

    def tokens(self, captions):
        """Token ids `(batch, max_length)` int32 of string captions (or token ids as
        they are); in graph mode, captions without a token fail a `tf.debugging` check."""
        if captions is None:
            raise ValueError("TextToImageGAN trains on (images, captions) batches. "
                             "Received: captions=None")
        tokens = token_ids(self.vectorizer, captions)
        if tokens.shape.rank != 2 or tokens.shape[1] != self.max_length:
            raise ValueError(f"Token ids must have shape (batch, {self.max_length}). "
                             f"Received: shape={tuple(tokens.shape)}")
        words = tf.reduce_sum(tf.cast(tokens != PADDING, "int32"), axis=1)
        check = tf.debugging.assert_positive(
            words, message="Every caption needs at least one word (a caption of only "
                           "padding, blank or punctuation, reached the train step)")
        with tf.control_dependencies([check]):
            return tf.identity(tokens)

    def _unpack(self, data):
        real, captions = super()._unpack(data)
        return real, self.tokens(captions)

    # ------------------------------------------------------------------ hooks

    def generator_call(self, latents, tokens, training=True):
        return self.generator([latents, tokens], training=training)

    def discriminate(self, images, tokens, training=True):
        return self.discriminator([images, tokens], training=training)

    def discriminator_loss(self, real, fake, tokens, real_logits, fake_logits):
        mismatched, weights = mismatched_captions(tokens)
        wrong_logits = self.discriminate(real, mismatched)
        wrong = self.d_loss(0.0, wrong_logits, sample_weight=weights[:, None])
        loss = self.d_loss(1.0, real_logits) + 0.5 * (self.d_loss(0.0, fake_logits) + wrong)
        score = ops.sum(ops.mean(wrong_logits, axis=-1) * weights) / ops.maximum(
            ops.sum(weights), 1.0)
        return loss, {"mismatch_score": score}

    def generator_loss(self, real, fake, tokens, fake_logits):
        # The generator call that made `fake` left its conditioning augmentation's KL in
        # `generator.losses` (a batch mean: divided by the replica count like a Keras loss).
        # A generator without conditioning augmentation adds no KL.
        kl = sum((ops.cast(l, "float32") for l in self.generator.losses), ops.zeros(()))
        loss = self.g_loss(1.0, fake_logits) + self.kl_weight * kl / num_replicas()
        logs = {"kl_loss": kl}
        if self.matcher is not None:
            logs["matching_loss"] = self.matcher.loss_of(fake, tokens)
            loss = loss + self.matching_weight * logs["matching_loss"] / num_replicas()
        return loss, logs

    # ------------------------------------------------------------------ generation

    def generate(self, texts, seed=0, latents=None, batch_size=256):
        """Generates one image per caption in inference mode (`c` = μ(φ_t)).

        Args:
            texts: captions, a string or a list of strings; unseen words become the OOV
                token, blank captions raise.
            seed: seed of the latents; the same seed gives the same images.
            latents: optional array `(len(texts), latent_dim)` instead.
            batch_size: images per generator call.

        Returns:
            A float32 numpy array `(len(texts), *image_shape)` in [-1, 1].
        """
        tokens = tokenize(self.vectorizer, texts)
        latents = self.checked_latents(len(tokens), seed, latents)
        if len(latents) != len(tokens):
            raise ValueError(f"`latents` must have one row per caption: ({len(tokens)}, "
                             f"{self.latent_dim}). Received: latents.shape={latents.shape}")
        return predict_in_batches(self.sampling_generator, [latents, tokens], batch_size)

    def sample(self, n=16, seed=0, inputs=None):
        """`n` images of `inputs` (captions; default `sample_captions`), cycled."""
        captions = check_texts(inputs if inputs is not None else self.sample_captions,
                               "inputs")
        n = check_positive_int("n", n)
        return self.generate([captions[i % len(captions)] for i in range(n)], seed=seed)

    def sample_grid(self, texts, per_caption=8, seed=0, padding=2):
        """A uint8 grid with one row per caption and `per_caption` columns; column `j`
        uses the same latent in every row, so rows differ only by the caption."""
        texts = check_texts(texts)
        per_caption = check_positive_int("per_caption", per_caption)
        latents = np.tile(self.sample_latents(per_caption, seed), (len(texts), 1))
        images = self.generate(np.repeat(texts, per_caption).tolist(), latents=latents)
        return make_grid(images, rows=len(texts), padding=padding)

    def interpolate(self, text_a, text_b, steps=8, seed=0, latent=None):
        """Images along a straight line between two captions' conditions at a fixed `z`.

        The conditions `c = μ(φ_t)` (and, with word attention, the word features and the
        word masks, a soft mask weighing each word's attention odds) are interpolated
        linearly; `z` stays fixed, so the ends are the two captions' `generate` images.

        Args:
            text_a, text_b: the two captions.
            steps: images, both ends included.
            seed: seed of the fixed latent.
            latent: optional latent `(latent_dim,)` instead.

        Returns:
            A float32 numpy array `(steps, *image_shape)` in [-1, 1].
        """
        steps = check_positive_int("steps", steps, 2)
        generator = self.sampling_generator
        words, sentence, mask = generator.get_layer(TEXT_ENCODER)(
            tokenize(self.vectorizer, [text_a, text_b]))
        mean, _ = generator.get_layer(CONDITIONING).mean_and_log_variance(sentence)
        mean, words, mask = (np.asarray(a) for a in (mean, words, mask))
        t = np.linspace(0.0, 1.0, steps)
        parts = [lerp(mean[0], mean[1], t)]
        decoder = generator.get_layer(DECODER)
        if len(decoder.inputs) == 4:  # word attention: the words and their masks
            parts += [lerp(words[0].ravel(), words[1].ravel(), t).reshape(
                (steps,) + words.shape[1:]), lerp(mask[0], mask[1], t)]
        z = self.checked_latents(1, seed, None if latent is None else np.reshape(latent, (1, -1)))
        return np.asarray(decoder([np.repeat(z, steps, axis=0), *parts], training=False),
                          dtype="float32")

    @property
    def text_generator(self):
        """The sampling generator behind the vectorizer: a functional model
        `[z, text] → images` taking strings `(batch,)`, for the SavedModel export."""
        z = keras.Input((self.latent_dim,), name="z")
        text = keras.Input((), dtype="string", name="text")
        images = self.sampling_generator([z, self.vectorizer(text)])
        return keras.Model([z, text], images, name="text_generator")

    # ------------------------------------------------------------------ serialization

    def get_config(self):
        config = super().get_config()
        serialize = keras.saving.serialize_keras_object
        config.update({"vectorizer": serialize(self.vectorizer),
                       "sample_captions": list(self.sample_captions),
                       "matcher": None if self.matcher is None else _frozen(self.matcher)})
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["vectorizer"] = keras.saving.deserialize_keras_object(config["vectorizer"])
        if config.get("matcher") is not None:
            config["matcher"] = keras.saving.deserialize_keras_object(config["matcher"])
        return super().from_config(config)
