"""SelfConditionedGAN: cluster counts, sampling in the trained proportions, save/load."""

import keras
import numpy as np
import pytest

from tfgan import presets
from tfgan.architectures import conditional_dcgan_discriminator
from tfgan.architectures import conditional_dcgan_generator
from tfgan.models import SelfConditionedGAN

SHAPE = (8, 8, 1)


def _model(clusters=4):
    generator = conditional_dcgan_generator(clusters, SHAPE, latent_dim=4, base_filters=4)
    discriminator = conditional_dcgan_discriminator(clusters, SHAPE, base_filters=4)
    return SelfConditionedGAN(generator, discriminator, num_clusters=clusters, seed=1)


def _data(n=16):
    images = np.random.RandomState(0).uniform(-1, 1, (n,) + SHAPE).astype("float32")
    clusters = np.array([0] * (n // 2) + [1] * (n // 4) + [3] * (n // 4))
    return images, clusters


def test_counts_the_trained_clusters_and_samples_in_their_proportions():
    model = _model()
    np.testing.assert_allclose(model.cluster_shares, [0.25] * 4)  # before training
    model.compile()
    images, clusters = _data()
    model.fit(images, clusters, batch_size=4, epochs=2, verbose=0)
    np.testing.assert_array_equal(model.cluster_counts.numpy(), [16, 8, 0, 8])
    labels = model.default_labels(1000)
    shares = np.bincount(labels, minlength=4) / 1000
    np.testing.assert_allclose(shares, [0.5, 0.25, 0.0, 0.25], atol=0.002)
    # A low-discrepancy sequence: a 64-image grid already follows the proportions.
    np.testing.assert_allclose(np.bincount(labels[:64], minlength=4) / 64,
                               [0.5, 0.25, 0.0, 0.25], atol=0.02)
    assert model.generate(6).shape == (6,) + SHAPE


def test_out_of_range_clusters_are_refused():
    model = _model()
    model.compile(run_eagerly=True)
    images, _ = _data()
    with pytest.raises(ValueError, match=r"must be in \[0, 4\)"):
        model.fit(images, np.full(16, 4), batch_size=4, verbose=0)


def test_save_and_reload_keeps_the_counts(tmp_path):
    model = _model()
    model.compile()
    images, clusters = _data()
    model.fit(images, clusters, batch_size=4, epochs=1, verbose=0)
    path = tmp_path / "self_conditioned.keras"
    model.save(path)
    restored = keras.models.load_model(path)
    assert isinstance(restored, SelfConditionedGAN) and restored.num_clusters == 4
    assert "num_classes" not in restored.get_config()
    np.testing.assert_array_equal(restored.cluster_counts.numpy(), [8, 4, 0, 4])
    np.testing.assert_allclose(restored.generate(5), model.generate(5), atol=1e-6)


def test_dcgan_preset_clusters_key_trains_on_cluster_labels():
    preset = presets.get("dcgan-mnist")
    config = preset.resolve({"clusters": 3, "base_filters": 4, "d_base_filters": 4,
                             "batch_size": 16})
    model = preset.build(config, seed=0)
    assert isinstance(model, SelfConditionedGAN) and model.num_clusters == 3
    data = preset.dataset(config, seed=0)
    images, clusters = next(iter(data))
    assert images.shape == (16, 28, 28, 1) and clusters.dtype == "int32"
    assert set(np.unique(clusters.numpy())) <= {0, 1, 2}
    with pytest.raises(ValueError, match="not both"):
        preset.build({"clusters": 3, "info_codes": 3}, seed=0)
