"""Penalties, EMA, SpectralNorm and adaptive augmentation under a 2-replica MirroredStrategy (subprocess: the
logical CPU devices must be configured before TensorFlow starts)."""

import json
import pathlib
import subprocess
import sys

import pytest

SCRIPT = r'''
import json, sys
import numpy as np
import tensorflow as tf
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
import keras
import tfgan
from tfgan.architectures import mlp_discriminator, mlp_generator

def linear_discriminator():
    images = keras.Input((2, 2, 1))
    logits = keras.layers.Dense(1, use_bias=False, kernel_initializer=keras.initializers.Constant(2.0))(
        keras.layers.Flatten()(images))
    return keras.Model(images, logits)

def generator():
    z = keras.Input((3,))
    return keras.Model(z, keras.layers.Reshape((2, 2, 1))(keras.layers.Dense(4, kernel_initializer="zeros")(z)))

out = {}
real = np.random.default_rng(0).uniform(-1, 1, size=(8, 2, 2, 1)).astype("float32")
strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
with strategy.scope():
    gan = tfgan.GAN(generator(), linear_discriminator(), seed=1, ema_decay=0.5)
    gan.compile(loss="wasserstein", g_optimizer=keras.optimizers.SGD(0.0),
                d_optimizer=keras.optimizers.SGD(0.0),
                stabilizers=[tfgan.GradientPenalty(), tfgan.R1Penalty(2.0, every=2)])
h = gan.fit(real, batch_size=8, epochs=1, verbose=0).history
out["gp"] = h["gradient_penalty"][0]
out["r1"] = h["r1_penalty"][0]
out["d_loss"] = h["d_loss"][0]
out["expected_d_loss"] = float(-np.mean(2 * real.sum(axis=(1, 2, 3))) + 10 * 9 + 1 * 2 * 16)
with strategy.scope():
    gan = tfgan.GAN(mlp_generator(units=8, num_layers=1),
                    mlp_discriminator(units=8, num_layers=1, spectral_norm=True),
                    seed=2, ema_decay=0.9)
    gan.compile(stabilizers=[tfgan.R1Penalty(1.0, every=2)])
h = gan.fit(np.random.default_rng(1).normal(size=(32, 2)).astype("float32"), batch_size=8,
            verbose=0).history
out["sn_r1_finite"] = bool(np.isfinite(h["d_loss"][0]) and h["r1_penalty"][0] > 0)
out["ema_differs"] = bool(not np.allclose(gan.ema_generator.get_weights()[0],
                                          gan.generator.get_weights()[0]))
with strategy.scope():
    gan = tfgan.GAN(generator(), linear_discriminator(), seed=1)
    augment = tfgan.augment.DiffAugment("translation", target=0.6, adjust_images=64,
                                        interval=2)
    gan.compile(g_optimizer=keras.optimizers.SGD(0.0), d_optimizer=keras.optimizers.SGD(0.0),
                stabilizers=[augment])
gan.fit(np.ones((32, 2, 2, 1), "float32"), batch_size=8, epochs=1, verbose=0)
out["ada_p"] = float(augment.p.numpy())
print("RESULT" + json.dumps(out))
'''


@pytest.mark.slow
def test_penalties_scale_with_replicas_and_ema_spectral_norm_run_mirrored():
    root = pathlib.Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=root, capture_output=True,
                            text=True, timeout=300,
                            env={"PYTHONPATH": str(root), "TF_CPP_MIN_LOG_LEVEL": "3",
                                 "PATH": "/usr/bin:/bin"})
    lines = [l for l in result.stdout.splitlines() if l.startswith("RESULT")]
    assert lines, result.stderr[-3000:]
    out = json.loads(lines[0][len("RESULT"):])
    assert abs(out["gp"] - 9.0) < 1e-4 and abs(out["r1"] - 16.0) < 1e-4
    # The tracked total (adversarial + 10·9 + lazy (γ/2)·2·16) on 2 replicas matches the
    # single-device arithmetic only if each penalty divides itself by the replica count.
    assert abs(out["d_loss"] - out["expected_d_loss"]) < 1e-3
    assert out["sn_r1_finite"] and out["ema_differs"]
    # ADA counts the global batch: 4 D updates of 8 sure logits (4 per replica), a move of
    # 16/64 every 2 updates. Counting one replica's logits would give 0.25.
    assert abs(out["ada_p"] - 0.5) < 1e-6
