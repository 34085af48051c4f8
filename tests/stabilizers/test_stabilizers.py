"""Stabilizer objects: their hooks, values, validation and registry."""

import keras
import numpy as np
import pytest
import tensorflow as tf

import tfgan
from tfgan import stabilizers


def test_instance_noise_has_its_std_and_anneals():
    noise = stabilizers.InstanceNoise(0.5, decay_steps=4)
    images = tf.zeros((64, 8, 8, 1))
    seed = tf.constant([1, 2], tf.int64)
    np.testing.assert_allclose(np.std(noise.transform(images, seed, step=0)), 0.5, rtol=0.05)
    np.testing.assert_allclose(np.std(noise.transform(images, seed, step=2)), 0.25, rtol=0.05)
    np.testing.assert_array_equal(noise.transform(images, seed, step=4), images)
    # Stateless: the same seed gives the same noise.
    np.testing.assert_array_equal(noise.transform(images, seed, 0), noise.transform(images, seed, 0))


def test_weight_clipping_clips_only_after_discriminator_updates():
    gan = tfgan.GAN(keras.Sequential([keras.Input((2,)), keras.layers.Dense(4)]),
                    keras.Sequential([keras.Input((4,)), keras.layers.Dense(
                        1, kernel_initializer="ones", bias_initializer="zeros")]), seed=0)
    clip = stabilizers.WeightClipping(0.1)
    clip.after_update(gan, "generator")
    assert np.max(gan.discriminator.get_weights()[0]) == 1.0
    clip.after_update(gan, "discriminator")
    assert np.max(np.abs(gan.discriminator.get_weights()[0])) == pytest.approx(0.1)


@pytest.mark.parametrize("stabilizer", [
    stabilizers.InstanceNoise(0.1, decay_steps=10), stabilizers.WeightClipping(0.02),
    stabilizers.FeatureMatching("features", weight=0.5), tfgan.R1Penalty(2.0, every=4),
    tfgan.augment.DiffAugment("color")], ids=lambda s: type(s).__name__)
def test_stabilizers_serialize(stabilizer):
    restored = keras.saving.deserialize_keras_object(
        keras.saving.serialize_keras_object(stabilizer))
    assert type(restored) is type(stabilizer)
    assert restored.get_config() == stabilizer.get_config()
    assert restored.hook in stabilizers.HOOKS


def test_get_resolves_names_and_refuses_non_stabilizers():
    assert isinstance(stabilizers.get("r1"), tfgan.R1Penalty)
    with pytest.raises(TypeError, match="A stabilizer must be"):
        stabilizers.get(object())
    with pytest.raises(ValueError, match="Received: stddev=-1"):
        stabilizers.InstanceNoise(-1)
    with pytest.raises(ValueError, match="Received: decay_steps=0"):
        stabilizers.InstanceNoise(0.1, decay_steps=0)


def test_feature_matching_refuses_models_without_one_discriminator():
    model = tfgan.CycleGAN(*[keras.Sequential([keras.Input((4, 4, 1)), keras.layers.Conv2D(
        1, 1, name=f"c{i}")], name=f"n{i}") for i in range(4)], pool_size=0)
    with pytest.raises(ValueError, match="single-input discriminator"):
        model.compile(stabilizers=[stabilizers.FeatureMatching("c2")])
