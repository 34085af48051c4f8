"""Tiny seeded instances of every tfgan model and data for them.

Shared by `distribute_check.py` (a script, which configures logical devices before
TensorFlow runs anything: nothing here runs a TF op at import) and
`test_model_family_compilation.py`. `build(name)` returns `(model, data)` where `data`
is what `fit` takes: images, `(images, labels)` or `(a, b)` image pairs.
"""

import keras
import numpy as np

import tfgan
from tfgan.architectures import conditional_dcgan_discriminator
from tfgan.architectures import conditional_dcgan_generator
from tfgan.architectures import patchgan_discriminator
from tfgan.architectures import resnet_generator
from tfgan.architectures import unet_generator

GRAY = (8, 8, 1)
COLOUR = (8, 8, 3)
NUM_CLASSES = 3


def _images(n, shape, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, (n,) + shape).astype("float32")


def _dense_generator(inputs, z):
    x = keras.layers.Dense(16, activation="relu")(z)
    x = keras.layers.Dense(int(np.prod(GRAY)))(x)
    images = keras.layers.Activation("tanh", dtype="float32")(keras.layers.Reshape(GRAY)(x))
    return keras.Model(inputs, images)


def gan(ema_decay=None):
    """A GAN of dense networks (no batch norm: 1 and N replicas compute the same step)."""
    z = keras.Input((4,), name="z")
    images = keras.Input(GRAY, name="images")
    h = keras.layers.Dense(8, activation="relu")(keras.layers.Flatten()(images))
    discriminator = keras.Model(images, keras.layers.Dense(1, dtype="float32", name="logits")(h))
    return (tfgan.GAN(_dense_generator(z, z), discriminator, seed=1, ema_decay=ema_decay),
            _images(64, GRAY))


def _labels(n):
    return np.arange(n) % NUM_CLASSES


def conditional_gan():
    """A projection cGAN of dense networks and label embeddings, no batch norm (batch-norm
    statistics are per replica, so replicas would not reproduce a single device)."""
    z, labels = keras.Input((4,), name="z"), keras.Input((), dtype="int32", name="labels")
    embedded = keras.layers.Flatten()(keras.layers.Embedding(NUM_CLASSES, 4)(labels))
    generator = _dense_generator([z, labels], keras.layers.Concatenate()([z, embedded]))
    images = keras.Input(GRAY, name="images")
    d_labels = keras.Input((), dtype="int32", name="d_labels")
    features = keras.layers.Dense(8, activation="relu")(keras.layers.Flatten()(images))
    projection = keras.layers.Flatten()(keras.layers.Embedding(NUM_CLASSES, 8)(d_labels))
    logits = keras.layers.Add(dtype="float32")([
        keras.layers.Dense(1, dtype="float32")(features),
        keras.layers.Dot(axes=1, dtype="float32")([features, projection])])
    discriminator = keras.Model([images, d_labels], logits)
    model = tfgan.ConditionalGAN(generator, discriminator, NUM_CLASSES, seed=1)
    return model, (_images(64, GRAY), _labels(64))


def conditional_dcgan():
    """The library's conditional DCGAN: conditional batch norm in G, projection D."""
    generator = conditional_dcgan_generator(NUM_CLASSES, GRAY, latent_dim=4, base_filters=4,
                                            conditioning="batchnorm")
    discriminator = conditional_dcgan_discriminator(NUM_CLASSES, GRAY, base_filters=4,
                                                    conditioning="projection")
    model = tfgan.ConditionalGAN(generator, discriminator, NUM_CLASSES, seed=1)
    return model, (_images(16, GRAY), _labels(16))


def pix2pix():
    """A U-Net / PatchGAN Pix2Pix on 8x8 colour pairs."""
    generator = unet_generator(COLOUR, base_filters=4)
    discriminator = patchgan_discriminator(COLOUR, conditional_channels=3, base_filters=4,
                                           num_downsamplings=1)
    inputs = _images(16, COLOUR)
    return tfgan.Pix2Pix(generator, discriminator), (inputs, -inputs)


def cyclegan(pool_size=4):
    """A ResNet / instance-norm PatchGAN CycleGAN on 8x8 colour images."""
    def g(name):
        return resnet_generator(COLOUR, base_filters=4, num_blocks=1, num_downsamplings=1,
                                name=name)

    def d(name):
        return patchgan_discriminator(COLOUR, base_filters=4, num_downsamplings=1,
                                      normalization="instance", name=name)

    model = tfgan.CycleGAN(g("g"), g("f"), d("d_a"), d("d_b"), pool_size=pool_size, seed=0)
    a = _images(16, COLOUR)
    return model, (a, a[..., ::-1].copy())


def stylegan():
    """A StyleGAN2 on 8x8 grey images: mapping, modulated convolutions, noise, residual D.
    The mapping learns at the full rate: at StyleGAN's 0.01 two SGD steps change its
    stored weights (std 100) by less than `np.allclose` sees."""
    tiny = {"base_filters": 2, "max_filters": 4}
    generator = tfgan.architectures.style_generator(GRAY, latent_dim=4, mapping_layers=2,
                                                    mapping_lr_multiplier=1.0, **tiny)
    discriminator = tfgan.architectures.style_discriminator(GRAY, **tiny)
    return tfgan.StyleGAN(generator, discriminator, seed=0), (_images(16, GRAY),)


MODELS = {"gan": gan, "conditional_gan": conditional_gan,
          "conditional_dcgan": conditional_dcgan, "pix2pix": pix2pix, "cyclegan": cyclegan,
          "stylegan": stylegan}


def build(name):
    """`(model, data)` for a name of `MODELS`."""
    return MODELS[name]()


def generator_and_discriminator_outputs(model, data):
    """The outputs of a model's (first) generator and discriminator on a batch of 2."""
    first = keras.ops.convert_to_tensor(data[0][:2])
    if isinstance(model, tfgan.ConditionalGAN):
        labels = keras.ops.convert_to_tensor(data[1][:2])
        fake = model.generator([keras.ops.convert_to_tensor(model.sample_latents(2)), labels])
        return fake, model.discriminator([fake, labels])
    if isinstance(model, tfgan.GAN):
        fake = model.generator(model.sample_latents(2))
        return fake, model.discriminator(fake)
    if isinstance(model, tfgan.Pix2Pix):
        fake = model.generator(first)
        return fake, model.discriminator([first, fake])
    fake = model.generator_ab(first)
    return fake, model.discriminator_b(fake)
