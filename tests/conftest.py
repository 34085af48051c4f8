"""Shared fixtures: the offline data folder and a fresh Keras state per test."""

import os
import pathlib

import keras
import numpy as np
import pytest

SHARED_DATA = pathlib.Path(
    os.environ.get("TFGAN_SHARED_DATA",
                   pathlib.Path(__file__).resolve().parents[1].parent / "shared" / "data")
)


@pytest.fixture(scope="session")
def shared_data():
    """Path of the project's offline datasets (`../shared/data`)."""
    if not SHARED_DATA.is_dir():
        raise FileNotFoundError(
            f"The offline datasets are expected at {SHARED_DATA} (set TFGAN_SHARED_DATA to "
            "override)."
        )
    return SHARED_DATA


@pytest.fixture(autouse=True)
def _seeded():
    keras.utils.set_random_seed(0)
    np.random.seed(0)
    yield


def tiny_generator(latent_dim=4, image_shape=(8, 8, 1), name="generator"):
    """A few-hundred-parameter generator: z → tanh images."""
    z = keras.Input((latent_dim,), name="z")
    x = keras.layers.Dense(int(np.prod(image_shape)), name="dense")(z)
    x = keras.layers.Reshape(image_shape)(x)
    images = keras.layers.Activation("tanh", name="images")(x)
    return keras.Model(z, images, name=name)


def tiny_discriminator(image_shape=(8, 8, 1), name="discriminator"):
    """A linear discriminator: images → one logit."""
    images = keras.Input(image_shape, name="images")
    x = keras.layers.Flatten()(images)
    logits = keras.layers.Dense(1, name="logits")(x)
    return keras.Model(images, logits, name=name)


@pytest.fixture
def tiny_networks():
    """The tiny network builders: `(tiny_generator, tiny_discriminator)`."""
    return tiny_generator, tiny_discriminator


@pytest.fixture
def tiny_gan():
    """Factory of a tiny seeded GAN on 8x8x1 images: `tiny_gan(latent_dim=4, seed=1)`."""
    from tfgan import GAN

    def make(latent_dim=4, image_shape=(8, 8, 1), seed=1, **kwargs):
        return GAN(tiny_generator(latent_dim, image_shape), tiny_discriminator(image_shape),
                   seed=seed, **kwargs)

    return make


@pytest.fixture
def tiny_images():
    """Sixteen seeded 8x8x1 float32 images in [-1, 1]."""
    return np.random.default_rng(0).uniform(-1, 1, (16, 8, 8, 1)).astype("float32")
