"""StyleGAN: truncation, style mixing, w_avg, saving, graph mode and export parity."""

import keras
import numpy as np
import pytest
import tensorflow as tf

import tfgan
from tfgan.architectures import style_discriminator
from tfgan.architectures import style_generator
from tfgan.layers import mix_styles

TINY = {"base_filters": 2, "max_filters": 4}
NUM_WS = 4  # 8x8: conv 0, ToRGB 1, convs 1-2, ToRGB 3


def tiny_stylegan(seed=3, **kwargs):
    g = style_generator((8, 8, 1), latent_dim=4, mapping_layers=2, **TINY)
    return tfgan.StyleGAN(g, style_discriminator((8, 8, 1), **TINY), seed=seed, **kwargs)


def images(n=8):
    return np.random.default_rng(0).uniform(-1, 1, (n, 8, 8, 1)).astype("float32")


def with_w_avg(model):
    model.w_avg.assign(np.random.default_rng(5).normal(size=4).astype("float32"))
    return model


def test_truncation_psi_zero_gives_the_image_of_w_avg_and_one_changes_nothing():
    model = with_w_avg(tiny_stylegan())
    latents = model.sample_latents(5, seed=1)
    average = model.synthesize(np.broadcast_to(model.w_avg.numpy(), (1, NUM_WS, 4)))
    truncated = model.generate(latents=latents, truncation_psi=0.0)
    np.testing.assert_allclose(truncated, np.repeat(average, 5, axis=0), atol=1e-6)
    plain = model.sampling_generator.predict(latents, verbose=0)  # z → images, no trick
    np.testing.assert_allclose(model.generate(latents=latents, truncation_psi=1.0), plain,
                               atol=1e-6)
    assert np.abs(plain - truncated).max() > 1e-3
    # A cutoff truncates only the coarse styles.
    ws = model.map_latents(latents)
    half = model.map_latents(latents, truncation_psi=0.5, truncation_cutoff=2)
    np.testing.assert_allclose(half[:, :2], 0.5 * (ws[:, :2] + model.w_avg.numpy()),
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(half[:, 2:], ws[:, 2:])
    with pytest.raises(ValueError, match="Received: truncation_cutoff=0"):
        model.generate(2, truncation_psi=0.5, truncation_cutoff=0)


def test_style_mixing_grid_takes_the_listed_layers_from_the_sources():
    model = tiny_stylegan()
    sources, targets, coarse = [1, 2, 3], [4, 5], range(0, 2)
    grid = model.style_mix(sources, targets, coarse)
    assert grid.shape == (12, 8, 8, 1)
    grid = grid.reshape(3, 4, 8, 8, 1)
    np.testing.assert_array_equal(grid[0, 0], -1.0)
    source_ws = np.concatenate([model.map_latents(model.sample_latents(1, s)) for s in sources])
    target_ws = np.concatenate([model.map_latents(model.sample_latents(1, s)) for s in targets])
    np.testing.assert_allclose(grid[0, 1:], model.synthesize(source_ws), atol=1e-6)
    np.testing.assert_allclose(grid[1:, 0], model.synthesize(target_ws), atol=1e-6)
    for i in range(2):
        for j in range(3):
            # Coarse styles (layers 0-1) from source j, fine ones from target i...
            expected = model.synthesize(mix_styles(source_ws[j:j + 1], target_ws[i:i + 1], 2))
            np.testing.assert_allclose(grid[1 + i, 1 + j], expected[0], atol=1e-6)
            # ...not the other way round, and neither parent unchanged.
            reversed_ = model.synthesize(
                mix_styles(target_ws[i:i + 1], source_ws[j:j + 1], 2))[0]
            for other in (reversed_, grid[0, 1 + j], grid[1 + i, 0]):
                assert np.abs(grid[1 + i, 1 + j] - other).max() > 1e-4
    # All layers from the source reproduces the source.
    everything = model.style_mix(sources, targets, range(NUM_WS)).reshape(3, 4, 8, 8, 1)
    np.testing.assert_allclose(everything[1:, 1:], np.broadcast_to(grid[0, 1:], (2, 3, 8, 8, 1)),
                               atol=1e-6)
    with pytest.raises(ValueError, match="Received: layers=\\[4\\]"):
        model.style_mix(sources, targets, [4])


@pytest.mark.parametrize("probability", [0.0, 1.0])
def test_training_batches_are_style_mixed_with_the_given_probability(probability):
    model = tiny_stylegan(style_mixing=probability)
    model.compile()
    latents = model.training_latents(4, 0)
    model._step_calls.count = 0
    mixed = model.generator_call(latents, None, training=True).numpy()  # noise strength 0
    ws = model.styles(latents, training=False)
    ws_mix = model.styles(model.training_latents(4, 1000), training=False)
    plain = model.synthesis(ws, training=False).numpy()
    if probability == 0.0:
        np.testing.assert_allclose(mixed, plain, atol=1e-6)
        return
    candidates = [model.synthesis(mix_styles(ws, ws_mix, k), training=False).numpy()
                  for k in range(1, NUM_WS)]
    matches = [k for k, c in enumerate(candidates, 1) if np.abs(c - mixed).max() < 1e-6]
    assert len(matches) == 1 and np.abs(plain - mixed).max() > 1e-4


def test_w_avg_tracks_the_generator_update_latents_with_decay_0995():
    model = tiny_stylegan(style_mixing=0.5)
    model.compile(d_steps=2, run_eagerly=True)
    w_g = model.mapping(model.training_latents(8, 2), training=False).numpy()  # G call index
    model.fit(images(), batch_size=8, epochs=1, verbose=0)
    np.testing.assert_allclose(model.w_avg.numpy(), 0.005 * w_g.mean(axis=0), rtol=1e-5,
                               atol=1e-8)


def test_keras_round_trip_keeps_styles_stabilizers_and_averages(tmp_path):
    model = tiny_stylegan(style_mixing=0.7, w_avg_decay=0.99, ema_decay=0.9)
    model.compile(stabilizers=[tfgan.R1Penalty(1.0, every=2),
                               tfgan.stabilizers.PathLengthPenalty(every=2)],
                  run_eagerly=True)
    model.fit(images(), batch_size=4, epochs=1, verbose=0)
    path = tmp_path / "stylegan.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert isinstance(loaded, tfgan.StyleGAN)
    assert (loaded.style_mixing, loaded.w_avg_decay, loaded.num_ws) == (0.7, 0.99, NUM_WS)
    assert [type(s).__name__ for s in loaded.stabilizers] == ["R1Penalty", "PathLengthPenalty"]
    np.testing.assert_array_equal(loaded.w_avg.numpy(), model.w_avg.numpy())
    assert float(model.w_avg.numpy()[0]) != 0.0
    assert float(loaded.path_length_mean.numpy()) == float(model.path_length_mean.numpy()) > 0
    np.testing.assert_allclose(loaded.generate(4, seed=1, truncation_psi=0.5),
                               model.generate(4, seed=1, truncation_psi=0.5), atol=1e-6)
    loaded.fit(images(), batch_size=4, epochs=1, verbose=0)


def test_refuses_generators_that_are_not_style_based(tiny_networks):
    generator, discriminator = tiny_networks
    with pytest.raises(ValueError, match="style_generator"):
        tfgan.StyleGAN(generator(), discriminator())
    with pytest.raises(ValueError, match="Received: style_mixing=1.5"):
        tiny_stylegan(style_mixing=1.5)


def test_graph_mode_fit_with_lazy_r1_and_path_length():
    model = tiny_stylegan(ema_decay=0.9)
    model.compile(stabilizers=[tfgan.R1Penalty(1.0, every=2),
                               tfgan.stabilizers.PathLengthPenalty(every=2)],
                  run_eagerly=False)
    history = model.fit(images(16), batch_size=4, epochs=2, verbose=0).history
    assert all(np.isfinite(v).all() for v in history.values())
    assert history["path_length"][0] > 0 and history["r1_penalty"][0] > 0
    assert int(model.g_optimizer.iterations.numpy()) == 8
    assert np.abs(model.w_avg.numpy()).max() > 0


def test_export_has_truncation_and_mix_signatures_with_onnx_parity(tmp_path):
    pytest.importorskip("tf2onnx")
    pytest.importorskip("onnxruntime")
    model = with_w_avg(tiny_stylegan(ema_decay=0.9))
    model.ema_generator.set_weights(model.generator.get_weights())  # w_avg copied too
    metadata = tfgan.export.export_generator(model, tmp_path / "export")
    assert metadata["kind"] == "style" and set(metadata["inputs"]) == {"z", "truncation_psi"}
    parity = metadata["parity_max_abs_difference"]
    assert set(parity) == {"savedmodel", "onnx", "savedmodel:mix"}
    assert max(parity.values()) <= 1e-5
    latents = model.sample_latents(3, seed=7)
    for backend in ("onnx", "savedmodel"):
        exported = tfgan.export.load_generator(tmp_path / "export", backend=backend)
        np.testing.assert_allclose(exported(z=latents), model.generate(latents=latents),
                                   atol=1e-5)
        np.testing.assert_allclose(
            exported(z=latents, truncation_psi=np.zeros(3, "float32")),
            model.generate(latents=latents, truncation_psi=0.0), atol=1e-5)
        # Deterministic: the noise is each layer's constant map.
        np.testing.assert_array_equal(exported(z=latents), exported(z=latents))
    import tensorflow as tf

    module = tf.saved_model.load(str(tmp_path / "export" / "saved_model"))
    other = model.sample_latents(3, seed=8)
    mixed = module.signatures["mix"](z=latents, z_mix=other,
                                     crossover=np.array([0, 2, 9], "int32"))["images"].numpy()
    expected = model.synthesize(mix_styles(model.map_latents(latents), model.map_latents(other),
                                           np.array([0, 2, 9], "int32")))
    np.testing.assert_allclose(mixed, expected, atol=1e-5)
    np.testing.assert_allclose(mixed[0], model.generate(latents=other)[0], atol=1e-5)


def test_trains_under_xla_with_both_lazy_regularizers_active():
    # R1 and path length run inside `cond`s whose gradients XLA compiles only when every
    # shape is static: no tile/repeat gradients, static slices (issue 14's throughput).
    # The tiny 8x8 model has every part of the preset's graph (mapping, mixing, modulated
    # convolutions, both lazy regularizers) at a fraction of its XLA compile time.
    model = tiny_stylegan(style_mixing=0.9)
    model.compile(stabilizers=[tfgan.R1Penalty(0.1, every=2),
                               tfgan.stabilizers.PathLengthPenalty(every=2)],
                  jit_compile=True)
    data = tf.data.Dataset.from_tensor_slices(images(16)).batch(8, drop_remainder=True)
    logs = model.fit(data, epochs=1, verbose=0).history
    assert logs["path_length_penalty"][-1] >= 0 and logs["r1_penalty"][-1] >= 0
    assert all(np.isfinite(values[-1]) for values in logs.values())
