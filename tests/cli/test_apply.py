import numpy as np
import pytest
import tensorflow as tf
from PIL import Image

from tfgan.architectures import srresnet_generator
from tfgan.cli.main import main
from tfgan.export import export_generator


# One worker runs the whole module under `pytest -n` (make test): its module fixture once.
pytestmark = pytest.mark.xdist_group("apply")


@pytest.fixture(scope="module")
def sr_export(tmp_path_factory):
    import keras

    keras.utils.set_random_seed(0)
    generator = srresnet_generator(scale=2, num_blocks=1, filters=4)
    path = tmp_path_factory.mktemp("export") / "sr"
    export_generator(generator, path, monitor_samples=None)
    return generator, path


def _folder(tmp_path):
    rng = np.random.default_rng(0)
    folder = tmp_path / "photos"
    (folder / "sub").mkdir(parents=True)
    # b.jpg is narrower than 8 pixels: the file check decodes JPEGs at 1/8 scale.
    images = {"a.png": rng.integers(0, 256, (6, 10, 3), dtype=np.uint8),
              "sub/b.jpg": rng.integers(0, 256, (9, 4, 3), dtype=np.uint8)}
    for name, image in images.items():
        Image.fromarray(image).save(folder / name, quality=100)
    return folder


@pytest.mark.parametrize("backend", ["savedmodel", "onnx"])
def test_upscales_every_image_at_its_own_size(sr_export, tmp_path, backend):
    generator, path = sr_export
    folder, out = _folder(tmp_path), tmp_path / "out"
    assert main(["apply", "--model", str(path), "--inputs", str(folder), "--out", str(out),
                 "--backend", backend]) == 0
    for name, output in (("a.png", "a.png"), ("sub/b.jpg", "sub/b.png")):
        # TensorFlow's JPEG decoder (the command's) differs from PIL's by a few levels.
        source = tf.io.decode_image(tf.io.read_file(str(folder / name))).numpy() / 127.5 - 1
        with Image.open(out / output) as image:
            written = np.asarray(image).astype(int)
        expected = np.clip(np.round((generator(source[None]).numpy()[0] + 1) * 127.5), 0, 255)
        assert written.shape == (2 * source.shape[0], 2 * source.shape[1], 3)
        assert np.abs(written - expected).max() <= 1


def test_never_replaces_outputs_and_sample_points_to_apply(sr_export, tmp_path, capsys):
    _, path = sr_export
    folder, out = _folder(tmp_path), tmp_path / "out"
    (out).mkdir()
    (out / "a.png").write_bytes(b"mine")
    assert main(["apply", "--model", str(path), "--inputs", str(folder),
                 "--out", str(out)]) == 2
    assert "never replaces files" in capsys.readouterr().err
    assert (out / "a.png").read_bytes() == b"mine" and not (out / "sub").exists()
    assert main(["sample", "--model", str(path), "--inputs", str(folder),
                 "--out", str(tmp_path / "grid.png")]) == 2
    assert "tfgan apply" in capsys.readouterr().err
