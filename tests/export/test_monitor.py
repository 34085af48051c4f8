import json
import math

import keras
import numpy as np
import pytest
from PIL import Image

from tfgan import export
from tfgan.export import monitor
from tfgan.export import runtime


def conditional_generator(latent_dim=4, num_classes=3):
    """Each class draws its own constant level (-0.8, 0, 0.8) plus a little noise."""
    z = keras.Input((latent_dim,), name="z")
    label = keras.Input((), dtype="int32", name="label")
    embedding = keras.layers.Embedding(num_classes, 64)
    level = embedding(label)
    noise = keras.layers.Dense(64, kernel_initializer=keras.initializers.RandomNormal(
        stddev=0.05, seed=0))(z)
    x = keras.layers.Reshape((8, 8, 1))(keras.layers.Add()([level, noise]))
    model = keras.Model([z, label], keras.layers.Activation("tanh")(x), name="cgen")
    embedding.set_weights([np.repeat([[-1.1], [0.0], [1.1]], 64, axis=1)])
    return model


def translator():
    image = keras.Input((8, 8, 1), name="input_image")
    x = keras.layers.Conv2D(1, 3, padding="same", activation="tanh")(image)
    return keras.Model(image, x, name="translator")


def test_export_records_a_hashed_reference_of_its_own_outputs(tiny_gan, tmp_path):
    gan = tiny_gan()
    metadata = export.export_generator(gan, tmp_path / "gen", formats=("keras",),
                                       monitor_samples=50)
    block = metadata["monitor"]
    assert block["num_samples"] == 50
    # 8x8 images: the weight-free pixel extractor, named with the reason for the choice.
    assert block["extractor"]["name"] == "pixels-8x8"
    assert "weight-free" in block["extractor"]["choice"] and block["classifier"] is None
    file = tmp_path / "gen" / monitor.REFERENCE_FILE
    assert metadata["files"][monitor.REFERENCE_FILE] == runtime.file_hash(file)
    # Oracle: at 8x8 the features are the pixels of the seed-0 samples themselves.
    z = np.random.default_rng(0).standard_normal((50, 4)).astype("float32")
    images = np.asarray(gan.generator(z, training=False)).reshape(50, -1)
    _, _, stats, features, histogram = monitor.load_reference(tmp_path / "gen")
    np.testing.assert_allclose(stats.mean, images.mean(axis=0), atol=1e-6)
    np.testing.assert_allclose(stats.covariance, np.cov(images, rowvar=False), atol=1e-6)
    np.testing.assert_allclose(features, images, atol=1e-6)
    assert histogram is None
    assert block["reference"]["saturation_low"] == np.mean(images <= -monitor.SATURATION_LEVEL)
    assert block["reference"]["pixel_min"] == pytest.approx(images.min(), abs=1e-6)


def test_monitoring_with_the_reference_seed_reproduces_it(tiny_gan, tmp_path):
    export.export_generator(tiny_gan(), tmp_path / "gen", formats=("keras",),
                            monitor_samples=60)
    same = monitor.monitor_export(tmp_path / "gen", seed=monitor.REFERENCE_SEED)
    assert same["values"]["fid"] == pytest.approx(0.0, abs=1e-9)
    assert same["passed"] and same["num_samples"] == 60
    other = monitor.monitor_export(tmp_path / "gen", num_samples=40)
    assert other["values"]["fid"] > 1e-3 and other["passed"]
    assert other["values"]["latency_ms_p95"] >= other["values"]["latency_ms_p50"] > 0


def test_a_changed_reference_file_is_refused(tiny_gan, tmp_path):
    export.export_generator(tiny_gan(), tmp_path / "gen", formats=("keras",),
                            monitor_samples=20)
    file = tmp_path / "gen" / monitor.REFERENCE_FILE
    data = dict(np.load(file))
    data["mean"] = data["mean"] + 1.0
    with open(file, "wb") as f:
        np.savez(f, **data)
    with pytest.raises(export.ExportIntegrityError, match="monitor_reference.npz changed"):
        monitor.monitor_export(tmp_path / "gen")


def test_default_thresholds_follow_the_self_check_and_sample_count():
    block = {"num_samples": 1000,
             "self_check": {"fid": 2.0, "class_kl": 0.01, "saturation_low_change": 0.004,
                            "saturation_high_change": -0.0},
             "thresholds": {"multiple": 3.0, "fid_floor": 0.5, "class_kl_floor": 0.05,
                            "saturation_floor": 0.02, "max_nan_rate": 0.0}}
    at_n = monitor.default_thresholds(block, 1000)
    assert at_n["fid"] == pytest.approx(3 * 2.0 + 0.5)
    assert at_n["class_kl"] == pytest.approx(3 * 0.01 + 0.05)
    # 250 images: the 1/n bias is (1/250 + 1/1000) / (2/1000) = 2.5 times larger.
    small = monitor.default_thresholds(block, 250)
    assert small["fid"] == pytest.approx(3 * 2.0 * 2.5 + 0.5)
    assert small["saturation_low"] == pytest.approx(3 * 0.004 * math.sqrt(2.5) + 0.02)
    assert small["saturation_high"] == pytest.approx(0.02) and small["nan_rate"] == 0.0


def test_class_kl_is_zero_for_equal_histograms_and_large_for_a_collapse():
    uniform = np.full(10, 0.1)
    assert monitor.class_kl(uniform, uniform) == pytest.approx(0.0, abs=1e-12)
    one = np.eye(10)[3]
    eps = monitor.CLASS_KL_EPSILON
    q_other = eps / 10
    expected = 0.9 * math.log(0.1 / q_other) + 0.1 * math.log(0.1 / (1 - eps + q_other))
    assert monitor.class_kl(uniform, one) == pytest.approx(expected)


def test_conditional_export_cycles_labels_and_flags_a_missing_class(tmp_path):
    generator = conditional_generator()
    metadata = export.export_generator(generator, tmp_path / "cgen", num_classes=3,
                                       formats=("keras",), monitor_samples=60)
    assert "labels arange(n) % num_classes" in metadata["monitor"]["source"]
    # Labels cycle: the class levels tanh(-1.1), 0 and tanh(1.1) average to 0 (label 0
    # alone would give -0.8).
    mean = metadata["monitor"]["reference"]["pixel_mean"]
    assert mean == pytest.approx(0.0, abs=0.05)
    assert monitor.monitor_export(tmp_path / "cgen", num_samples=60)["passed"]
    z = np.random.default_rng(5).standard_normal((60, 4)).astype("float32")
    only_two = np.asarray(generator([z, np.full((60,), 2, "int32")], training=False))
    report = monitor.monitor_export(tmp_path / "cgen", images=only_two)
    assert "fid" in report["failed"] and not report["passed"]


def test_image_to_image_export_needs_inputs(tmp_path):
    model = translator()
    metadata = export.export_generator(model, tmp_path / "bare", formats=("keras",))
    assert metadata["monitor"]["reference_file"] is None
    with pytest.raises(monitor.MonitorError, match="needs monitor_inputs"):
        monitor.monitor_export(tmp_path / "bare")
    inputs = np.random.default_rng(0).uniform(-1, 1, (80, 8, 8, 1)).astype("float32")
    export.export_generator(model, tmp_path / "gen", formats=("keras",),
                            monitor_inputs=inputs[:40])
    with pytest.raises(monitor.MonitorError, match="pass `inputs`"):
        monitor.monitor_export(tmp_path / "gen")
    report = monitor.monitor_export(tmp_path / "gen", inputs=inputs[40:])
    assert report["passed"] and report["num_samples"] == 40
    constant = monitor.monitor_export(tmp_path / "gen", images=np.full((40, 8, 8, 1), 0.9))
    assert "fid" in constant["failed"]


def test_nan_images_are_counted_and_fail(tiny_gan, tmp_path):
    gan = tiny_gan()
    export.export_generator(gan, tmp_path / "gen", formats=("keras",), monitor_samples=40)
    z = np.random.default_rng(9).standard_normal((40, 4)).astype("float32")
    images = np.array(gan.generator(z, training=False))
    images[:4, 0, 0, 0] = np.nan
    report = monitor.monitor_export(tmp_path / "gen", images=images)
    assert report["values"]["nan_rate"] == pytest.approx(4 / images.size)
    assert report["values"]["nan_images"] == 4 and report["failed"] == ["nan_rate"]


def test_read_images_from_npz_and_folders(tmp_path):
    uint8 = np.random.default_rng(0).integers(0, 256, (3, 8, 8), dtype="uint8")
    np.savez(tmp_path / "u.npz", images=uint8)
    images, description = monitor.read_images(tmp_path / "u.npz", (8, 8, 1))
    np.testing.assert_allclose(images[..., 0], uint8 / 127.5 - 1, atol=1e-6)
    assert description.startswith("uint8 [0, 255]")
    np.savez(tmp_path / "f.npz", images=uint8.astype("float32"))
    with pytest.raises(ValueError, match=r"must be in \[-1, 1\].*values in \[0, 2\d\d\]"):
        monitor.read_images(tmp_path / "f.npz", (8, 8, 1))
    np.savez(tmp_path / "other.npz", pictures=uint8)
    with pytest.raises(ValueError, match="named 'images'"):
        monitor.read_images(tmp_path / "other.npz", (8, 8, 1))
    folder = tmp_path / "pngs"
    folder.mkdir()
    for i, image in enumerate(uint8):
        Image.fromarray(image).save(folder / f"{i}.png")
    images, description = monitor.read_images(folder, (8, 8, 1))
    np.testing.assert_allclose(images[..., 0], uint8 / 127.5 - 1, atol=1e-6)
    assert "3 image files" in description
    with pytest.raises(ValueError, match="must be 9x9 pictures.*size 8x8"):
        monitor.read_images(folder, (9, 9, 1))


def test_an_extractor_other_than_the_references_is_refused(tiny_gan, tmp_path):
    export.export_generator(tiny_gan(), tmp_path / "gen", formats=("keras",),
                            monitor_samples=20)
    other = monitor.pixel_extractor((4, 4, 1))
    with pytest.raises(monitor.MonitorError, match="'pixels-8x8'. Received: extractor="
                                                   "'pixels-4x4'"):
        monitor.monitor_export(tmp_path / "gen", extractor=other)
    metadata = json.loads((tmp_path / "gen" / "metadata.json").read_text())
    assert metadata["monitor"]["thresholds"]["multiple"] == monitor.THRESHOLD_MULTIPLE
