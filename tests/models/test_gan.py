import keras
import numpy as np
import pytest
import tensorflow as tf

import tfgan
from tfgan import losses


def compiled(gan, **kwargs):
    kwargs.setdefault("run_eagerly", True)
    gan.compile(g_optimizer=keras.optimizers.Adam(1e-3),
                d_optimizer=keras.optimizers.Adam(1e-3), **kwargs)
    return gan


def weights(model):
    return [np.array(v) for v in model.weights]


def test_fit_updates_both_networks_and_reports_metrics(tiny_gan, tiny_images):
    gan = compiled(tiny_gan())
    g0, d0 = weights(gan.generator), weights(gan.discriminator)
    history = gan.fit(tiny_images, batch_size=8, epochs=2, verbose=0)
    assert sorted(history.history) == ["d_loss", "fake_score", "g_loss", "real_score"]
    assert all(len(v) == 2 and np.all(np.isfinite(v)) for v in history.history.values())
    assert any(not np.allclose(a, b) for a, b in zip(g0, weights(gan.generator)))
    assert any(not np.allclose(a, b) for a, b in zip(d0, weights(gan.discriminator)))
    assert int(gan.step) == 4


def test_d_steps_counts_optimizer_iterations(tiny_gan, tiny_images):
    gan = compiled(tiny_gan(), d_steps=3)
    gan.fit(tiny_images, batch_size=8, epochs=1, verbose=0)
    assert int(gan.d_optimizer.iterations) == 6
    assert int(gan.g_optimizer.iterations) == 2


def test_first_step_matches_hand_computed_losses(tiny_gan, tiny_images):
    # d_loss of the first step is the non-saturating D loss on the initial networks.
    gan = compiled(tiny_gan())
    real = tiny_images[:8]
    fake = gan.generator(gan.training_latents(8, 0))
    expected = (float(losses.NonSaturatingLoss()(1.0, gan.discriminator(real)))
                + float(losses.NonSaturatingLoss()(0.0, gan.discriminator(fake))))
    logs = gan.train_on_batch(real, return_dict=True)
    assert logs["d_loss"] == pytest.approx(expected, rel=1e-5)


def test_seeded_runs_are_identical(tiny_gan, tiny_images):
    histories = []
    for _ in range(2):
        keras.utils.set_random_seed(3)
        gan = compiled(tiny_gan(seed=7))
        histories.append(gan.fit(tiny_images, batch_size=8, epochs=2, verbose=0,
                                 shuffle=False).history)
    assert histories[0] == histories[1]


def test_different_seeds_give_different_noise(tiny_gan):
    a, b = tiny_gan(seed=1), tiny_gan(seed=2)
    assert not np.allclose(a.training_latents(4, 0), b.training_latents(4, 0))
    assert not np.allclose(a.training_latents(4, 0), a.training_latents(4, 1))


@pytest.mark.slow
def test_eager_equals_graph(tiny_gan, tiny_images):
    results = []
    for run_eagerly in (True, False):
        keras.utils.set_random_seed(3)
        gan = tiny_gan(seed=5)
        compiled(gan, run_eagerly=run_eagerly, jit_compile=False)
        history = gan.fit(tiny_images, batch_size=8, epochs=2, verbose=0, shuffle=False)
        results.append((history.history, weights(gan)))
    (h_eager, w_eager), (h_graph, w_graph) = results
    for key in h_eager:
        np.testing.assert_allclose(h_eager[key], h_graph[key], rtol=1e-5, atol=1e-6)
    for a, b in zip(w_eager, w_graph):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_accepts_images_with_labels_and_tf_data(tiny_gan, tiny_images):
    gan = compiled(tiny_gan())
    labels = np.arange(16) % 3
    gan.fit(tiny_images, labels, batch_size=8, epochs=1, verbose=0)
    dataset = tf.data.Dataset.from_tensor_slices((tiny_images, labels)).batch(8)
    history = gan.fit(dataset, epochs=1, verbose=0)
    assert np.isfinite(history.history["d_loss"][0])


def test_evaluate_reports_losses_without_updating(tiny_gan, tiny_images):
    gan = compiled(tiny_gan())
    before = weights(gan)
    result = gan.evaluate(tiny_images, batch_size=8, verbose=0, return_dict=True)
    assert sorted(result) == ["d_loss", "fake_score", "g_loss", "real_score"]
    assert all(np.array_equal(a, b) for a, b in zip(before, weights(gan)))


def test_generate_is_deterministic_and_in_range(tiny_gan):
    gan = tiny_gan()
    images = gan.generate(5, seed=3)
    assert images.shape == (5, 8, 8, 1) and images.dtype == np.float32
    assert images.min() >= -1 and images.max() <= 1
    np.testing.assert_array_equal(images, gan.generate(5, seed=3))
    assert not np.allclose(images, gan.generate(5, seed=4))
    np.testing.assert_allclose(gan.generate(latents=gan.sample_latents(5, 3)), images)


def test_save_and_load_restores_networks_and_optimizer_state(tiny_gan, tiny_images, tmp_path):
    gan = compiled(tiny_gan(), loss="hinge", d_steps=2)
    gan.fit(tiny_images, batch_size=8, epochs=1, verbose=0)
    path = tmp_path / "gan.keras"
    gan.save(path)
    loaded = keras.saving.load_model(path)
    assert isinstance(loaded, tfgan.GAN)
    assert loaded.d_steps == 2 and loaded.seed == gan.seed and int(loaded.step) == 2
    assert isinstance(loaded.d_loss, losses.HingeLoss)
    assert isinstance(loaded.g_loss, losses.WassersteinLoss)
    for a, b in zip(weights(gan), weights(loaded)):
        np.testing.assert_array_equal(a, b)
    for opt in ("g_optimizer", "d_optimizer"):
        original, restored = getattr(gan, opt), getattr(loaded, opt)
        assert int(restored.iterations) == int(original.iterations) > 0
        for a, b in zip(original.variables, restored.variables):
            np.testing.assert_array_equal(np.array(a), np.array(b))
    # Training continues identically from the restored state.
    h1 = gan.fit(tiny_images, batch_size=8, epochs=1, verbose=0, shuffle=False).history
    h2 = loaded.fit(tiny_images, batch_size=8, epochs=1, verbose=0, shuffle=False).history
    for key in h1:
        np.testing.assert_allclose(h1[key], h2[key], rtol=1e-6)


def test_shape_mismatch_between_networks_is_reported(tiny_networks):
    tiny_generator, tiny_discriminator = tiny_networks
    with pytest.raises(ValueError, match=r"Expected: generator output \(batch, \*\(16, 16, 1\)\)"):
        tfgan.GAN(tiny_generator(4, (8, 8, 1)), tiny_discriminator((16, 16, 1)))


def test_bad_training_data_is_reported(tiny_gan, tiny_images):
    gan = compiled(tiny_gan())
    with pytest.raises(TypeError, match="floating point"):
        gan.fit((tiny_images * 127 + 128).astype("uint8"), batch_size=8, verbose=0)
    with pytest.raises(ValueError, match=r"Received: images of shape \(batch, \*\(4, 4, 1\)\)"):
        gan.fit(tiny_images[:, :4, :4], batch_size=8, verbose=0)


def test_compile_rejects_bad_arguments(tiny_gan):
    gan = tiny_gan()
    with pytest.raises(ValueError, match="d_steps=0"):
        gan.compile(d_steps=0)
    with pytest.raises(ValueError, match="Received: optimizer='adam'"):
        gan.compile(optimizer="adam")
    with pytest.raises(ValueError, match="Received: loss='nope'"):
        gan.compile(loss="nope")


def test_latent_dim_is_inferred_or_reported(tiny_gan):
    assert tiny_gan(latent_dim=6).latent_dim == 6

    class Subclassed(keras.Model):
        def call(self, z):
            return z

    with pytest.raises(ValueError, match="Pass `latent_dim=`"):
        tfgan.GAN(Subclassed(), keras.Sequential([keras.layers.Dense(1)]))
