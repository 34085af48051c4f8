"""The real training paths: graph mode, XLA, mixed precision, strategies."""

import keras
import numpy as np
import pytest
import tensorflow as tf

import tfgan


@pytest.fixture
def policy():
    def set_policy(name):
        keras.mixed_precision.set_dtype_policy(name)

    yield set_policy
    keras.mixed_precision.set_dtype_policy("float32")


def dcgan(seed=0):
    return tfgan.GAN(tfgan.architectures.dcgan_generator((8, 8, 1), latent_dim=4,
                                                         base_filters=4),
                     tfgan.architectures.dcgan_discriminator((8, 8, 1), base_filters=4),
                     seed=seed)


@pytest.mark.slow
def test_xla_train_step(tiny_images):
    gan = dcgan()
    gan.compile(jit_compile=True, d_steps=2)
    before = [np.array(v) for v in gan.generator.trainable_weights]
    history = gan.fit(tiny_images, batch_size=8, epochs=2, verbose=0)
    assert gan.jit_compile is True
    assert all(np.isfinite(v).all() for v in history.history.values())
    assert any(not np.allclose(a, np.array(b))
               for a, b in zip(before, gan.generator.trainable_weights))


@pytest.mark.slow
@pytest.mark.parametrize("name", ["mixed_float16", "mixed_bfloat16"])
def test_mixed_precision(policy, name, tiny_images):
    policy(name)
    gan = dcgan()
    gan.compile()
    wrapped = isinstance(gan.g_optimizer, keras.optimizers.LossScaleOptimizer)
    assert wrapped == (name == "mixed_float16")
    assert wrapped == isinstance(gan.d_optimizer, keras.optimizers.LossScaleOptimizer)
    history = gan.fit(tiny_images, batch_size=8, epochs=2, verbose=0)
    assert all(np.isfinite(v).all() for v in history.history.values())
    compute = "float16" if name == "mixed_float16" else "bfloat16"
    assert gan.generator.layers[1].compute_dtype == compute
    assert gan.generate(2).dtype == np.float32
    assert gan.discriminator(gan.generate(2)).dtype == "float32"


def test_xla_is_switched_off_under_a_strategy(tiny_gan):
    with tf.distribute.OneDeviceStrategy("/cpu:0").scope():
        gan = tiny_gan()
        with pytest.warns(UserWarning, match="jit_compile=False"):
            gan.compile(jit_compile=True)
    assert gan.jit_compile is False
