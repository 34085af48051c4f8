"""BigGAN builders: shapes, label dependence, hierarchical latents, saving, training."""

import keras
import numpy as np
import pytest

import tfgan
from tfgan.architectures import biggan_discriminator
from tfgan.architectures import biggan_generator
from tfgan.layers import ConditionedBatchNormalization
from tfgan.stabilizers import OrthogonalRegularization

TINY = {"base_filters": 4}


def tiny_generator(**kwargs):
    """8x8x1: one up-block, so z splits into 2 chunks of 3."""
    return biggan_generator(3, (8, 8, 1), latent_dim=6, shared_dim=4, **TINY, **kwargs)


def test_32x32_shapes_names_and_conditioning_layers():
    g = biggan_generator(10, latent_dim=8, shared_dim=4, self_attention=16, **TINY)
    d = biggan_discriminator(10, self_attention=16, **TINY)
    assert [t.name for t in g.inputs] == ["z", "labels"] and g.inputs[1].dtype == "int32"
    assert [t.name for t in d.inputs] == ["images", "labels"] and d.inputs[1].dtype == "int32"
    z = np.random.default_rng(0).normal(size=(2, 8)).astype("float32")
    images = g([z, np.array([1, 9])], training=False).numpy()
    assert images.shape == (2, 32, 32, 3) and np.abs(images).max() <= 1.0
    logits = d([images, np.array([1, 9])]).numpy()
    assert logits.shape == (2, 1) and logits.dtype == np.float32
    # 3 up-blocks, 2 conditional batch norms each; 4 chunks of 2 latents.
    assert sum(isinstance(l, ConditionedBatchNormalization) for l in g.layers) == 6
    assert [g.get_layer(f"z_chunk_{k}").output.shape[-1] for k in range(4)] == [2] * 4
    assert g.get_layer("self_attention_16") and d.get_layer("self_attention_16")


def test_labels_change_the_images_and_the_logits():
    g, d = tiny_generator(), biggan_discriminator(3, (8, 8, 1), **TINY)
    z = np.random.default_rng(1).normal(size=(2, 6)).astype("float32")
    a = g([z, np.array([0, 0])], training=False).numpy()
    b = g([z, np.array([2, 2])], training=False).numpy()
    assert np.abs(a - b).max() > 1e-4
    assert np.abs(d([a, np.array([0, 0])]) - d([a, np.array([2, 2])])).max() > 1e-6


@pytest.mark.parametrize("chunk", [0, 1, 2])
def test_each_latent_chunk_reaches_the_output(chunk):
    g = biggan_generator(3, (16, 16, 1), latent_dim=6, shared_dim=4, **TINY)  # 3 chunks of 2
    z = np.random.default_rng(2).normal(size=(2, 6)).astype("float32")
    moved = z.copy()
    moved[:, 2 * chunk:2 * chunk + 2] += 1.0
    labels = np.array([1, 2])
    a = g([z, labels], training=False).numpy()
    b = g([moved, labels], training=False).numpy()
    assert np.abs(a - b).max() > 1e-4
    # The chunk is exactly those columns of z.
    np.testing.assert_array_equal(
        keras.Model(g.inputs, g.get_layer(f"z_chunk_{chunk}").output)([z, labels]),
        z[:, 2 * chunk:2 * chunk + 2])


def test_keras_round_trip(tmp_path):
    g, d = tiny_generator(self_attention=4), biggan_discriminator(3, (8, 8, 1), **TINY)
    z = np.random.default_rng(3).normal(size=(2, 6)).astype("float32")
    labels = np.array([0, 2])
    for model, inputs in ((g, [z, labels]), (d, [np.tanh(z[:, :1, None, None]) *
                                                 np.ones((2, 8, 8, 1), "float32"), labels])):
        path = tmp_path / f"{model.name}.keras"
        model.save(path)
        restored = keras.saving.load_model(path)
        np.testing.assert_allclose(restored(inputs, training=False),
                                   model(inputs, training=False), atol=1e-6)


def test_conditional_gan_trains_with_orthogonal_regularization():
    gan = tfgan.ConditionalGAN(tiny_generator(), biggan_discriminator(3, (8, 8, 1), **TINY),
                               num_classes=3, seed=0)
    gan.compile(stabilizers=[OrthogonalRegularization()], run_eagerly=True)
    rng = np.random.default_rng(4)
    images = rng.uniform(-1, 1, (8, 8, 8, 1)).astype("float32")
    labels = rng.integers(0, 3, 8).astype("int32")
    history = gan.fit(images, labels, batch_size=4, epochs=1, verbose=0).history
    assert all(np.isfinite(v[0]) for v in history.values())
    assert history["orthogonal_regularization"][0] > 0
    assert int(gan.step.numpy()) == 2


def test_invalid_arguments():
    with pytest.raises(ValueError, match="Received: latent_dim=7"):
        biggan_generator(3, (8, 8, 1), latent_dim=7)
    with pytest.raises(ValueError, match="Received: image_shape"):
        biggan_generator(3, (12, 12, 1), latent_dim=6)
    with pytest.raises(ValueError, match="Received: self_attention=8"):
        biggan_discriminator(3, (8, 8, 1), self_attention=8)
    with pytest.raises(ValueError, match="num_classes"):
        biggan_discriminator(1)
