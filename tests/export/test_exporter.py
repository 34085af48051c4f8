import json
import pathlib
import re

import keras
import numpy as np
import pytest
import tensorflow as tf

import tfgan
from tfgan import export


def conditional_generator(latent_dim=4, num_classes=3):
    z = keras.Input((latent_dim,), name="z")
    label = keras.Input((), dtype="int32", name="label")
    embedded = keras.layers.Embedding(num_classes, latent_dim)(label)
    x = keras.layers.Dense(64)(keras.layers.Concatenate()([z, embedded]))
    x = keras.layers.Reshape((8, 8, 1))(x)
    return keras.Model([z, label], keras.layers.Activation("tanh")(x), name="cgen")


def image_generator():
    image = keras.Input((8, 8, 3), name="input_image")
    x = keras.layers.Conv2D(4, 3, padding="same")(image)
    x = keras.layers.BatchNormalization()(x)
    x = keras.layers.Dropout(0.5)(x)  # must be off at inference
    x = keras.layers.Conv2D(3, 3, padding="same", activation="tanh")(x)
    return keras.Model(image, x, name="translator")


def check_parity(generator, path, num_classes=None):
    signature = export.describe(generator)
    function = tf.function(lambda *a: generator(list(a) if len(a) > 1 else a[0],
                                                training=False))
    for batch_size in (1, 7):
        feeds = export.exporter.parity_inputs(signature, batch_size, num_classes, seed=5)
        args = [feeds[name] for name in signature.generator_order]
        expected = np.asarray(function(*args))
        for backend in ("savedmodel", "onnx"):
            got = export.load_generator(path, backend=backend)(**feeds)
            assert got.shape == (batch_size, *signature.image_shape)
            np.testing.assert_allclose(got, expected, atol=1e-5)


def test_plain_gan_export_round_trip(tiny_gan, tmp_path):
    gan = tiny_gan()
    gan.compile(run_eagerly=True)
    metadata = export.export_generator(gan, tmp_path / "gen")
    assert metadata["kind"] == "latent" and metadata["latent_dim"] == 4
    assert metadata["image_shape"] == [8, 8, 1] and metadata["value_range"] == [-1.0, 1.0]
    assert metadata["training"]["g_loss"] == "NonSaturatingLoss"
    assert metadata["versions"]["tfgan"] == tfgan.__version__
    on_disk = json.loads((tmp_path / "gen" / "metadata.json").read_text())
    assert on_disk["content_hash"] == metadata["content_hash"]
    assert set(on_disk["files"]) >= {"generator.onnx", "saved_model/saved_model.pb"}
    check_parity(gan.generator, tmp_path / "gen")


def test_ema_gan_exports_the_averaged_generator(tiny_gan, tiny_images, tmp_path):
    gan = tiny_gan(ema_decay=0.5)
    gan.compile(run_eagerly=True)
    gan.fit(tiny_images, batch_size=8, epochs=1, verbose=0)
    z = np.random.default_rng(3).standard_normal((2, 4)).astype("float32")
    ema = np.asarray(gan.ema_generator(z, training=False))
    raw = np.asarray(gan.generator(z, training=False))
    # The two generators differ by far more than the parity tolerance (1e-5).
    assert np.abs(ema - raw).max() > 1e-4
    export.export_generator(gan, tmp_path / "gen")
    for backend in ("savedmodel", "onnx"):
        got = export.load_generator(tmp_path / "gen", backend=backend)(z=z)
        np.testing.assert_allclose(got, ema, atol=1e-5)
    check_parity(gan.ema_generator, tmp_path / "gen")


def test_conditional_export_and_label_validation(tmp_path):
    generator = conditional_generator()
    export.export_generator(generator, tmp_path / "cgen", num_classes=3)
    check_parity(generator, tmp_path / "cgen", num_classes=3)
    onnx = export.load_generator(tmp_path / "cgen" / "generator.onnx")
    assert onnx.kind == "conditional" and onnx.num_classes == 3
    with pytest.raises(ValueError, match=r"\[0, 3\)"):
        onnx(z=np.zeros((1, 4), "float32"), label=np.array([-1]))
    # Labels change the output: the export keeps the conditioning.
    z = np.zeros((2, 4), "float32")
    images = onnx(z=z, label=np.array([0, 2]))
    assert not np.allclose(images[0], images[1])


def test_image_to_image_export_runs_in_inference_mode(tmp_path):
    generator = image_generator()
    metadata = export.export_generator(generator, tmp_path / "i2i")
    assert metadata["kind"] == "image" and metadata["latent_dim"] is None
    check_parity(generator, tmp_path / "i2i")


def test_keras_format_round_trip(tiny_gan, tmp_path):
    gan = tiny_gan()
    metadata = export.export_generator(gan, tmp_path / "gen", formats=("keras", "onnx"))
    assert set(metadata["parity_max_abs_difference"]) == {"keras", "onnx"}
    assert metadata["parity_max_abs_difference"]["keras"] == 0.0
    loaded = export.load_generator(tmp_path / "gen" / "generator.keras")
    z = loaded.latents(3, seed=1)
    np.testing.assert_allclose(loaded(z=z), gan.generator(z), atol=1e-6)


def test_uint8_signature(tiny_gan, tmp_path):
    gan = tiny_gan()
    export.export_generator(gan, tmp_path / "gen", formats=("savedmodel",))
    module = tf.saved_model.load(str(tmp_path / "gen" / "saved_model"))
    z = np.random.default_rng(0).standard_normal((3, 4)).astype("float32")
    as_uint8 = module.signatures["generate_uint8"](z=tf.constant(z))["images"]
    assert as_uint8.dtype == tf.uint8
    np.testing.assert_array_equal(as_uint8.numpy(), tfgan.utils.to_uint8(gan.generator(z)))


def test_failed_export_leaves_nothing_behind(tiny_gan, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("conversion failed")

    monkeypatch.setattr(export.exporter, "_save_onnx", broken)
    with pytest.raises(RuntimeError, match="conversion failed"):
        export.export_generator(tiny_gan(), tmp_path / "gen")
    assert list(tmp_path.iterdir()) == []


def test_parity_failure_is_loud_and_leaves_nothing(tiny_gan, tmp_path):
    with pytest.raises(export.ExportParityError, match="max abs differences"):
        export.export_generator(tiny_gan(), tmp_path / "gen", formats=("onnx",),
                                tolerance=-1.0)
    assert list(tmp_path.iterdir()) == []


def test_existing_directory_needs_overwrite(tiny_gan, tmp_path):
    (tmp_path / "gen").mkdir()
    with pytest.raises(FileExistsError, match="overwrite=True"):
        export.export_generator(tiny_gan(), tmp_path / "gen")


def snapshot(directory):
    return {p.relative_to(directory).as_posix(): p.read_bytes()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def test_export_onto_a_run_directory_leaves_it_intact(tiny_gan, tmp_path):
    run = tmp_path / "run"
    (run / "checkpoints").mkdir(parents=True)
    (run / "checkpoints" / "ckpt-00001.weights.h5").write_bytes(b"weights")
    (run / "history.csv").write_text("epoch,d_loss\n0,1.0\n")
    (run / "gan.keras").write_bytes(b"the trained GAN")
    before = snapshot(run)
    with pytest.raises(FileExistsError, match=f"no metadata.json.*Received: path='{run}'"):
        export.export_generator(tiny_gan(), run, formats=("keras",), overwrite=True)
    assert snapshot(run) == before
    assert [p.name for p in tmp_path.iterdir()] == ["run"]  # no staging folder left


def test_overwrite_refuses_files_the_export_did_not_write(tiny_gan, tmp_path):
    export.export_generator(tiny_gan(), tmp_path / "gen", formats=("keras",))
    (tmp_path / "gen" / "notes.txt").write_text("mine")
    before = snapshot(tmp_path / "gen")
    with pytest.raises(FileExistsError, match="did not write: notes.txt"):
        export.export_generator(tiny_gan(), tmp_path / "gen", formats=("keras",),
                                overwrite=True)
    assert snapshot(tmp_path / "gen") == before


def test_overwrite_refuses_a_file(tiny_gan, tmp_path):
    (tmp_path / "gen").write_text("not a folder")
    with pytest.raises(FileExistsError, match="it is a file"):
        export.export_generator(tiny_gan(), tmp_path / "gen", formats=("keras",),
                                overwrite=True)
    assert (tmp_path / "gen").read_text() == "not a folder"


def test_overwrite_swaps_an_existing_export(tiny_gan, tmp_path):
    first = export.export_generator(tiny_gan(seed=1), tmp_path / "gen",
                                    formats=("keras", "onnx"))
    second = export.export_generator(tiny_gan(seed=2), tmp_path / "gen", formats=("keras",),
                                     overwrite=True)
    assert second["content_hash"] != first["content_hash"]
    # Only the new export's files: the old ONNX file went with the old export.
    assert sorted(snapshot(tmp_path / "gen")) == ["generator.keras", "metadata.json",
                                                   "monitor_reference.npz"]
    assert [p.name for p in tmp_path.iterdir()] == ["gen"]
    loaded = export.load_generator(tmp_path / "gen" / "generator.keras")
    assert loaded.metadata["content_hash"] == second["content_hash"]


def test_a_failed_overwrite_keeps_the_old_export(tiny_gan, tmp_path):
    export.export_generator(tiny_gan(), tmp_path / "gen", formats=("keras",))
    before = snapshot(tmp_path / "gen")
    with pytest.raises(export.ExportParityError):
        export.export_generator(tiny_gan(), tmp_path / "gen", formats=("keras",),
                                overwrite=True, tolerance=-1.0)
    assert snapshot(tmp_path / "gen") == before
    assert [p.name for p in tmp_path.iterdir()] == ["gen"]


def test_overwrite_accepts_an_empty_folder(tiny_gan, tmp_path):
    (tmp_path / "gen").mkdir()
    export.export_generator(tiny_gan(), tmp_path / "gen", formats=("keras",), overwrite=True)
    assert sorted(snapshot(tmp_path / "gen")) == ["generator.keras", "metadata.json",
                                                   "monitor_reference.npz"]


@pytest.mark.parametrize("backend", ["onnx", "keras"])
def test_a_changed_file_is_refused_at_load(tiny_gan, tmp_path, backend):
    export.export_generator(tiny_gan(), tmp_path / "gen", formats=("keras", "onnx"))
    file = tmp_path / "gen" / {"onnx": "generator.onnx", "keras": "generator.keras"}[backend]
    export.load_generator(tmp_path / "gen", backend=backend)  # intact: loads
    file.write_bytes(file.read_bytes() + b"\0")
    with pytest.raises(export.ExportIntegrityError,
                       match=f"{file.name} changed since export: sha256 [0-9a-f]{{64}}"):
        export.load_generator(tmp_path / "gen", backend=backend)


def test_a_missing_listed_file_is_refused_at_load(tiny_gan, tmp_path):
    export.export_generator(tiny_gan(), tmp_path / "gen", formats=("savedmodel",))
    (tmp_path / "gen" / "saved_model" / "variables" / "variables.index").unlink()
    with pytest.raises(export.ExportIntegrityError, match="variables.index, which is missing"):
        export.load_generator(tmp_path / "gen")


@pytest.mark.parametrize("field, value", [("latent_dim", 5), ("image_shape", [8, 8, 3]),
                                          ("value_range", [0.0, 1.0]), ("kind", "image")])
def test_metadata_that_disagrees_with_the_model_is_refused(tiny_gan, tmp_path, field, value):
    export.export_generator(tiny_gan(), tmp_path / "gen", formats=("onnx",))
    metadata_file = tmp_path / "gen" / "metadata.json"
    metadata = json.loads(metadata_file.read_text())
    metadata[field] = value
    metadata_file.write_text(json.dumps(metadata))
    with pytest.raises(export.ExportIntegrityError,
                       match=re.escape(f"`{field}` is {value!r} in metadata.json but ")):
        export.load_generator(tmp_path / "gen")


def test_a_rewritten_file_list_is_refused_at_load(tiny_gan, tmp_path):
    export.export_generator(tiny_gan(), tmp_path / "gen", formats=("onnx",))
    metadata_file = tmp_path / "gen" / "metadata.json"
    metadata = json.loads(metadata_file.read_text())
    metadata["files"]["generator.onnx"] = "0" * 64
    metadata_file.write_text(json.dumps(metadata))
    with pytest.raises(export.ExportIntegrityError, match="`content_hash` is"):
        export.load_generator(tmp_path / "gen")


def test_the_shipped_export_passes_its_checks():
    shipped = pathlib.Path(__file__).parents[2] / "saved_models" / "dcgan-mnist"
    for backend in ("savedmodel", "onnx", "keras"):
        generator = export.load_generator(shipped, backend=backend)
        assert generator.latent_dim == 64 and generator.image_shape == (28, 28, 1)


def test_unknown_format_is_reported(tiny_gan, tmp_path):
    with pytest.raises(ValueError, match="Received: formats=\\('tflite',\\)"):
        export.export_generator(tiny_gan(), tmp_path / "gen", formats=("tflite",))
