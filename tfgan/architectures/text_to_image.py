"""Text-to-image builders: `(z, tokens) → image` and the matching-aware `(image, tokens) → logit`.

The generator (StackGAN, Zhang et al. 2017; AttnGAN, Xu et al. 2018) encodes the caption's
token ids with a `tfgan.layers.TextEncoder` (embedding + bidirectional GRU: word features
and a sentence vector), draws the condition `c` from the sentence vector with
`tfgan.layers.ConditioningAugmentation`, and decodes `[z, c]` with DCGAN blocks (Radford
et al. 2016). With `stages=2` the last upsampling becomes a second stage: the stage-one
features at half the resolution are re-conditioned on `c` tiled over the image (StackGAN)
and, with `word_attention=True`, on AttnGAN's word contexts (`tfgan.layers.WordAttention`),
refined by a residual block and upsampled to the image. StackGAN and AttnGAN also judge
each stage's image with its own discriminator; here one discriminator judges the final
image.

The discriminator is a DCGAN trunk with its own text encoder, conditioned by projection
(Miyato & Koyama 2018): `D(x, t) = ψ(φ(x)) + (W ē_t)ᵀ φ(x)`. `tfgan.TextToImageGAN`
trains it matching-aware (GAN-CLS, Reed et al. 2016).

Both models take the caption as int32 token ids `tokens` `(batch, max_length)` from a
`tfgan.layers.text_vectorizer` (0 = padding); `tfgan.TextToImageGAN` turns strings into
them and exports a string signature.
"""

import keras
from keras import layers

from tfgan.architectures.dcgan import _check_image_shape
from tfgan.architectures.dcgan import _downsampling_trunk
from tfgan.architectures.dcgan import _init
from tfgan.architectures.dcgan import _num_upsamplings
from tfgan.layers.conditioning_augmentation import ConditioningAugmentation
from tfgan.layers.text_encoder import TextEncoder
from tfgan.layers.word_attention import WordAttention
from tfgan.utils.validation import check_positive_int

DECODER = "decoder"
TEXT_ENCODER = "text_encoder"
CONDITIONING = "conditioning_augmentation"


def _tokens_input(max_length):
    return keras.Input((check_positive_int("max_length", max_length),), dtype="int32",
                       name="tokens")


def _up(x, filters, last=False):
    """A DCGAN upsampling block: 4x4 stride-2 transposed convolution, then BN + ReLU."""
    x = layers.Conv2DTranspose(filters, 4, strides=2, padding="same", use_bias=last,
                               kernel_initializer=_init())(x)
    return x if last else layers.ReLU()(layers.BatchNormalization()(x))


def _conv_bn(x, filters, relu=True):
    x = layers.Conv2D(filters, 3, padding="same", use_bias=False, kernel_initializer=_init())(x)
    x = layers.BatchNormalization()(x)
    return layers.ReLU()(x) if relu else x


def _second_stage(h, condition, words, mask):
    """StackGAN's re-conditioning of half-resolution features on `c` (tiled) and, with
    word features, AttnGAN's word contexts; then one residual block."""
    filters = h.shape[-1]
    tiled = layers.Reshape((1, 1, condition.shape[-1]))(condition)
    parts = [h, layers.UpSampling2D(tuple(h.shape[1:3]))(tiled)]
    if words is not None:
        parts.append(WordAttention(name="word_attention")([h, words, mask]))
    x = _conv_bn(layers.Concatenate()(parts), filters)
    residual = _conv_bn(_conv_bn(x, filters), filters, relu=False)
    return layers.ReLU()(layers.Add()([x, residual]))


def _decoder(image_shape, latent_dim, condition_dim, word_dim, max_length, base_filters,
             stages, word_attention):
    n, start = _num_upsamplings(image_shape[0])
    filters = base_filters * 2 ** (n - 1)
    z = keras.Input((latent_dim,), name="z")
    condition = keras.Input((condition_dim,), name="condition")
    inputs = [z, condition]
    words = mask = None
    if word_attention:
        words = keras.Input((max_length, word_dim), name="words")
        mask = keras.Input((max_length,), name="word_mask")
        inputs += [words, mask]
    x = layers.Dense(start * start * filters, use_bias=False, kernel_initializer=_init())(
        layers.Concatenate()([z, condition]))
    x = layers.Reshape((start, start, filters))(layers.ReLU()(layers.BatchNormalization()(x)))
    for _ in range(n - 1):
        filters //= 2
        x = _up(x, filters)
    if stages == 2:
        x = _second_stage(x, condition, words, mask)
    x = _up(x, image_shape[2], last=True)
    images = layers.Activation("tanh", dtype="float32", name="images")(x)
    return keras.Model(inputs, images, name=DECODER)


def _frozen_copy(text_encoder, vocabulary_size, max_length):
    """A frozen copy of a trained `TextEncoder`, named for `TextToImageGAN.interpolate`."""
    if not isinstance(text_encoder, TextEncoder) or not text_encoder.built:
        raise ValueError("`text_encoder` must be a built tfgan.layers.TextEncoder, e.g. a "
                         "trained TextImageMatcher's `matcher.text_encoder.get_layer("
                         f"'text_encoder')`. Received: text_encoder={text_encoder!r}")
    if text_encoder.vocabulary_size != vocabulary_size:
        raise ValueError(f"`text_encoder` reads {text_encoder.vocabulary_size} token ids but "
                         f"the generator {vocabulary_size}: both must come from the same "
                         "vectorizer")
    copy = TextEncoder.from_config({**text_encoder.get_config(), "name": TEXT_ENCODER,
                                    "trainable": False})
    copy.build((None, max_length))
    copy.set_weights(text_encoder.get_weights())
    return copy


def text_to_image_generator(vocabulary_size, image_shape=(28, 28, 1), max_length=16,
                            latent_dim=100, condition_dim=128, embedding_dim=32, text_units=64,
                            base_filters=64, stages=1, word_attention=False, text_encoder=None,
                            name="generator"):
    """Builds a text-conditional generator.

    Args:
        vocabulary_size: the vectorizer's vocabulary size (`vectorizer.vocabulary_size()`).
        image_shape: `(size, size, channels)`, e.g. (28, 28, 1) or (64, 64, 3).
        max_length: tokens per caption (the vectorizer's `output_sequence_length`).
        latent_dim: size of `z`. Default 100 (StackGAN).
        condition_dim: size of the condition `c`. Default 128 (StackGAN).
        embedding_dim: word embedding size. Default 32.
        text_units: GRU units per direction (word features are twice that).
        base_filters: filters of the last hidden block; earlier blocks double it.
        stages: 1, or 2 for a StackGAN-style second stage at full resolution (needs two
            upsamplings, e.g. 28x28 from 7x7).
        word_attention: AttnGAN's word attention in the second stage (`stages=2` only).
        text_encoder: `None` for a new text encoder trained with the generator, or a
            trained `tfgan.layers.TextEncoder` (a `tfgan.TextImageMatcher`'s) that the
            generator reads captions with, copied and frozen, as AttnGAN uses its
            pretrained DAMSM text encoder; `embedding_dim` and `text_units` are then its.
        name: model name.

    Returns:
        A functional `keras.Model` with inputs `z` `(batch, latent_dim)` and `tokens`
        `(batch, max_length)` int32 and output `images` `(batch, *image_shape)` in
        [-1, 1]. Its layers `text_encoder`, `conditioning_augmentation` and `decoder`
        (`[z, c]`, plus `[words, word_mask]` with attention → images) are what
        `TextToImageGAN.interpolate` reuses.
    """
    image_shape = _check_image_shape(image_shape)
    if stages not in (1, 2):
        raise ValueError(f"`stages` must be 1 or 2. Received: stages={stages!r}")
    if word_attention and stages != 2:
        raise ValueError("Word attention refines the second stage (AttnGAN): pass stages=2. "
                         f"Received: stages={stages}, word_attention=True")
    if stages == 2 and _num_upsamplings(image_shape[0])[0] < 2:
        raise ValueError(f"A second stage needs images of at least two upsamplings (e.g. "
                         f"16, 28, 32). Received: image_shape={image_shape}")
    z = keras.Input((check_positive_int("latent_dim", latent_dim),), name="z")
    tokens = _tokens_input(max_length)
    if text_encoder is None:
        encoder = TextEncoder(vocabulary_size, embedding_dim, text_units, name=TEXT_ENCODER)
    else:
        encoder = _frozen_copy(text_encoder, vocabulary_size, max_length)
    words, sentence, mask = encoder(tokens)
    condition = ConditioningAugmentation(condition_dim, name=CONDITIONING)(sentence)
    decoder = _decoder(image_shape, latent_dim, condition_dim, 2 * encoder.units, max_length,
                       base_filters, stages, word_attention)
    images = decoder([z, condition, words, mask] if word_attention else [z, condition])
    return keras.Model([z, tokens], images, name=name)


def text_to_image_discriminator(vocabulary_size, image_shape=(28, 28, 1), max_length=16,
                                embedding_dim=32, text_units=64, base_filters=64,
                                name="discriminator"):
    """Builds a text-conditional projection discriminator.

    Args:
        vocabulary_size: the vectorizer's vocabulary size.
        image_shape: `(size, size, channels)`.
        max_length: tokens per caption.
        embedding_dim: word embedding size of D's own text encoder.
        text_units: GRU units per direction of D's text encoder.
        base_filters: filters of the first block.
        name: model name.

    Returns:
        A functional `keras.Model` with inputs `images` and `tokens` `(batch, max_length)`
        int32 and output `logits` `(batch, 1)` in float32.
    """
    image_shape = _check_image_shape(image_shape)
    n, _ = _num_upsamplings(image_shape[0])
    images = keras.Input(image_shape, name="images")
    tokens = _tokens_input(max_length)
    features = layers.Flatten()(_downsampling_trunk(images, n, base_filters))
    logit = layers.Dense(1, dtype="float32", kernel_initializer=_init(), name="adversarial")(
        features)
    _, sentence, _ = TextEncoder(vocabulary_size, embedding_dim, text_units,
                                 name=TEXT_ENCODER)(tokens)
    projected = layers.Dense(features.shape[-1], use_bias=False, name="text_projection")(
        sentence)
    inner = layers.Dot(axes=1, dtype="float32")([projected, features])
    logits = layers.Add(dtype="float32")([logit, inner])
    logits = layers.Activation("linear", dtype="float32", name="logits")(logits)
    return keras.Model([images, tokens], logits, name=name)


def text_image_matcher_encoders(vocabulary_size, image_shape=(28, 28, 1), max_length=16,
                                embedding_dim=32, text_units=64, base_filters=32,
                                embedding_size=64):
    """Builds the two encoders of a `tfgan.TextImageMatcher` (DAMSM, Xu et al. 2018).

    The image encoder is a DCGAN trunk with layer normalization (the same features in
    training and inference) and a linear projection; the text encoder a
    `tfgan.layers.TextEncoder`'s sentence vector and a linear projection. AttnGAN's
    image encoder is a pretrained Inception-v3; here both are trained from scratch.

    Args:
        vocabulary_size: the vectorizer's vocabulary size.
        image_shape: `(size, size, channels)`.
        max_length: tokens per caption.
        embedding_dim: word embedding size.
        text_units: GRU units per direction.
        base_filters: filters of the image encoder's first block.
        embedding_size: size of the shared embedding space. Default 64.

    Returns:
        `(image_encoder, text_encoder)`: functional models `images → (batch,
        embedding_size)` and `tokens (batch, max_length) → (batch, embedding_size)`.
    """
    image_shape = _check_image_shape(image_shape)
    embedding_size = check_positive_int("embedding_size", embedding_size)
    n, _ = _num_upsamplings(image_shape[0])
    images = keras.Input(image_shape, name="images")
    features = layers.Flatten()(_downsampling_trunk(images, n, base_filters, "layer"))
    image_embedding = layers.Dense(embedding_size, dtype="float32", name="image_embedding")(
        features)
    tokens = _tokens_input(max_length)
    _, sentence, _ = TextEncoder(vocabulary_size, embedding_dim, text_units,
                                 name=TEXT_ENCODER)(tokens)
    text_embedding = layers.Dense(embedding_size, dtype="float32", name="text_embedding")(
        sentence)
    return (keras.Model(images, image_embedding, name="image_encoder"),
            keras.Model(tokens, text_embedding, name="text_encoder"))
