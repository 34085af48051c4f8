"""XLA and mixed precision for ConditionalGAN, Pix2Pix, CycleGAN and StyleGAN (GAN: see
test_gan_compilation.py)."""

import importlib.util
import pathlib

import keras
import numpy as np
import pytest
import tensorflow as tf

_SPEC = importlib.util.spec_from_file_location(
    "tiny_models", pathlib.Path(__file__).with_name("tiny_models.py"))
tiny_models = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(tiny_models)

MODELS = ["conditional_dcgan", "pix2pix", "cyclegan", "stylegan"]


@pytest.fixture
def policy():
    """Sets a global dtype policy for one test and restores the previous one."""
    previous = keras.mixed_precision.dtype_policy().name
    try:
        yield keras.mixed_precision.set_dtype_policy
    finally:
        keras.mixed_precision.set_dtype_policy(previous)


def fit(model, data, steps, **compile_kwargs):
    """Compiles, fits `steps` batches of 8; returns the history and, per trainable
    weight, whether it changed."""
    model.compile(**compile_kwargs)
    before = [np.array(v) for v in model.trainable_weights]
    history = model.fit(*data, batch_size=8, epochs=steps // 2, verbose=0).history
    changed = [not np.allclose(a, np.array(v)) for a, v in zip(before, model.trainable_weights)]
    return history, changed


@pytest.mark.slow
@pytest.mark.parametrize("name", MODELS)
def test_xla_train_step(name):
    model, data = tiny_models.build(name)
    history, changed = fit(model, data, 2, jit_compile=True)
    assert model.jit_compile is True
    assert all(np.isfinite(v).all() for v in history.values()), history
    assert all(changed)
    assert model.g_optimizer.iterations.numpy() == model.d_optimizer.iterations.numpy() == 2


@pytest.mark.slow
@pytest.mark.parametrize("precision", ["mixed_float16", "mixed_bfloat16"])
@pytest.mark.parametrize("name", MODELS)
def test_mixed_precision(policy, name, precision):
    policy(precision)
    model, data = tiny_models.build(name)
    history, changed = fit(model, data, 4)
    assert all(np.isfinite(v).all() for v in history.values()), history
    assert all(changed)
    for optimizer in (model.g_optimizer, model.d_optimizer):
        applied = int(optimizer.iterations.numpy())
        if precision == "mixed_float16":
            assert isinstance(optimizer, keras.optimizers.LossScaleOptimizer)
            # Each step either applied its update or (overflow) halved the scale 2^15;
            # at least one update must have gone through.
            halvings = np.log2(2.0**15 / float(optimizer.dynamic_scale.numpy()))
            assert applied >= 1 and applied + halvings == 4
        else:
            assert not isinstance(optimizer, keras.optimizers.LossScaleOptimizer)
            assert applied == 4
    compute = {"mixed_float16": "float16", "mixed_bfloat16": "bfloat16"}[precision]
    generator = model.generator_ab if name == "cyclegan" else model.generator
    assert compute in {layer.compute_dtype for layer in generator.layers}
    fake, logits = tiny_models.generator_and_discriminator_outputs(model, data)
    assert (fake.dtype, logits.dtype) == ("float32", "float32")


@pytest.mark.parametrize("name", MODELS)
def test_xla_is_switched_off_under_a_strategy(name):
    with tf.distribute.OneDeviceStrategy("/cpu:0").scope():
        model, _ = tiny_models.build(name)
        with pytest.warns(UserWarning, match="jit_compile=False") as warned:
            model.compile(jit_compile=True)
    assert model.jit_compile is False
    assert warned[0].filename == __file__  # the warning points at the caller's compile
