"""Class-conditional DCGAN builders: `(z, label) → image` and `(image, label) → logits`.

The networks follow `tfgan.architectures.dcgan` (Radford et al. 2016) and add the label:

- generator `conditioning`: `"embedding"` (a learned label embedding concatenated to `z`,
  as in most cGAN code), `"one_hot"` (the one-hot label concatenated to `z`, Mirza &
  Osindero 2014) or `"batchnorm"` (conditional batch normalization in every block, de
  Vries et al. 2017, Miyato & Koyama 2018);
- discriminator `conditioning`: `"concat"` (one-hot label maps concatenated to the image
  channels, Mirza & Osindero 2014), `"projection"` (the projection discriminator of
  Miyato & Koyama 2018: `D(x, y) = ψ(φ(x)) + embed(y)ᵀ φ(x)`) or `"none"` (unconditional
  D, for a pure ACGAN);
- `auxiliary_classifier=True` adds the ACGAN class head (Odena et al. 2017): the output
  becomes `(batch, 1 + num_classes)`, the adversarial logit then the class logits, the
  layout `tfgan.models.ConditionalGAN` expects.

Every model takes integer labels `(batch,)` through an input named `labels` (int32).
"""

import keras
from keras import layers

from tfgan.architectures.dcgan import _check_image_shape
from tfgan.architectures.dcgan import _downsampling_trunk
from tfgan.architectures.dcgan import _init
from tfgan.architectures.dcgan import _num_upsamplings
from tfgan.architectures.dcgan import batch_norm
from tfgan.architectures.dcgan import first_feature_map
from tfgan.architectures.dcgan import upsampling_trunk
from tfgan.layers.conditional_batch_normalization import ConditionalBatchNormalization

GENERATOR_CONDITIONING = ("embedding", "one_hot", "batchnorm")
DISCRIMINATOR_CONDITIONING = ("concat", "projection", "none")


def _check_choice(arg, value, choices):
    if value not in choices:
        raise ValueError(f"`{arg}` must be one of {choices}. Received: {arg}={value!r}")


def _check_classes(num_classes):
    if int(num_classes) < 2 or int(num_classes) != num_classes:
        raise ValueError(f"`num_classes` must be an integer >= 2. "
                         f"Received: num_classes={num_classes}")
    return int(num_classes)


def _labels_input():
    return keras.Input((), dtype="int32", name="labels")


def conditional_dcgan_generator(num_classes=10, image_shape=(28, 28, 1), latent_dim=100,
                                base_filters=64, conditioning="embedding", embedding_dim=None,
                                output_convolution=False, name="generator"):
    """Builds a class-conditional DCGAN generator.

    Args:
        num_classes: number of classes.
        image_shape: `(size, size, channels)`, e.g. (28, 28, 1) or (32, 32, 3).
        latent_dim: size of `z`. Default 100 (Radford et al. 2016).
        base_filters: filters of the last hidden block; earlier blocks double it.
        conditioning: `"embedding"`, `"one_hot"` or `"batchnorm"` (module docstring).
        embedding_dim: size of the label embedding (`"embedding"` only). `None` uses
            `num_classes`.
        output_convolution: a 3x3 convolution makes the image from a full-resolution
            feature map (see `dcgan_generator`). Default `False`.
        name: model name.

    Returns:
        A functional `keras.Model` with inputs `z` `(batch, latent_dim)` and `labels`
        `(batch,)` int32, and output `images` `(batch, *image_shape)` in [-1, 1].
    """
    num_classes = _check_classes(num_classes)
    image_shape = _check_image_shape(image_shape)
    _check_choice("conditioning", conditioning, GENERATOR_CONDITIONING)
    z = keras.Input((latent_dim,), name="z")
    labels = _labels_input()
    if conditioning == "embedding":
        embedded = layers.Embedding(num_classes, embedding_dim or num_classes,
                                    name="label_embedding")(labels)
        x = layers.Concatenate()([z, embedded])
    elif conditioning == "one_hot":
        x = layers.Concatenate()([z, layers.CategoryEncoding(num_classes, "one_hot")(labels)])
    else:
        x = z

    def normalize(t):
        if conditioning == "batchnorm":
            return ConditionalBatchNormalization(num_classes)([t, labels])
        return batch_norm(t)

    x, filters = first_feature_map(x, image_shape, base_filters, output_convolution, normalize)
    images = upsampling_trunk(x, image_shape, filters, normalize,
                              output_convolution=output_convolution)
    return keras.Model([z, labels], images, name=name)


def conditional_dcgan_discriminator(num_classes=10, image_shape=(28, 28, 1), base_filters=64,
                                    conditioning="projection", auxiliary_classifier=False,
                                    normalization="batch", name="discriminator"):
    """Builds a class-conditional DCGAN discriminator.

    Args:
        num_classes: number of classes.
        image_shape: `(size, size, channels)`.
        base_filters: filters of the first block.
        conditioning: `"concat"`, `"projection"` (default, Miyato & Koyama 2018) or
            `"none"`.
        auxiliary_classifier: add the ACGAN class head (Odena et al. 2017).
        normalization: of every block but the first, as in `dcgan_discriminator`:
            `"batch"` (default), `"layer"` or `"none"`.
        name: model name.

    Returns:
        A functional `keras.Model` with inputs `images` and `labels` `(batch,)` int32 and
        output `logits` in float32: `(batch, 1)`, or `(batch, 1 + num_classes)` with the
        auxiliary classifier.
    """
    num_classes = _check_classes(num_classes)
    image_shape = _check_image_shape(image_shape)
    _check_choice("conditioning", conditioning, DISCRIMINATOR_CONDITIONING)
    n, _ = _num_upsamplings(image_shape[0])
    images = keras.Input(image_shape, name="images")
    labels = _labels_input()
    x = images
    if conditioning == "concat":
        one_hot = layers.CategoryEncoding(num_classes, "one_hot")(labels)
        maps = layers.Reshape((1, 1, num_classes))(one_hot)
        maps = layers.UpSampling2D(image_shape[:2])(maps)
        x = layers.Concatenate()([x, maps])
    x = _downsampling_trunk(x, n, base_filters, normalization)
    features = layers.Flatten()(x)
    logit = layers.Dense(1, dtype="float32", kernel_initializer=_init(), name="adversarial")(
        features)
    if conditioning == "projection":
        embedded = layers.Embedding(num_classes, features.shape[-1], name="projection")(labels)
        inner = layers.Dot(axes=1, dtype="float32")([embedded, features])
        logit = layers.Add(dtype="float32")([logit, inner])
    outputs = logit
    if auxiliary_classifier:
        classes = layers.Dense(num_classes, dtype="float32", kernel_initializer=_init(),
                               name="classes")(features)
        outputs = layers.Concatenate(dtype="float32")([logit, classes])
    outputs = layers.Activation("linear", dtype="float32", name="logits")(outputs)
    return keras.Model([images, labels], outputs, name=name)
