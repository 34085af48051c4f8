"""The FID Inception port against pytorch-fid, without the original weights.

`fid_inception_fixture.npz` was written by `scripts/make_fid_inception_fixture.py` from
pytorch-fid's own network (torch) with `random_state_dict(seed)` weights, clean-fid's
`clean` resize and torch-fidelity's TF1 bilinear resize. Here the same weights are rebuilt
from the seed with numpy alone and the Keras network must match to 1e-4 relative.
"""

import os
import pathlib
import sys

import keras
import numpy as np
import pytest

from tfgan import metrics
from tfgan.metrics import fid_inception

FIXTURE = pathlib.Path(__file__).with_name("fid_inception_fixture.npz")
PARITY = 1e-4  # max |keras - torch| / max |torch|


def _relative_error(value, reference):
    return float(np.abs(np.asarray(value) - reference).max() / np.abs(reference).max())


# One worker runs the whole module under `pytest -n` (make test): its module fixture once.
pytestmark = pytest.mark.xdist_group("fid_inception")


@pytest.fixture(scope="module")
def fixture():
    with np.load(FIXTURE) as data:
        return {key: data[key] for key in data.files}


@pytest.fixture(scope="module")
def network(fixture):
    """The Keras port with the fixture's seeded weights, rebuilt without torch."""
    model = fid_inception.build_fid_inception()
    return fid_inception.load_state_dict(
        model, fid_inception.random_state_dict(int(fixture["seed"])))


@pytest.fixture(scope="module")
def weights_file(network, tmp_path_factory):
    path = tmp_path_factory.mktemp("fid") / "random.weights.h5"
    network.save_weights(path)
    return path


def test_layout_is_pytorch_fids():
    shapes = dict(fid_inception.state_dict_shapes())
    # pytorch-fid's fid_inception_v3().state_dict() without num_batches_tracked: 472
    # tensors, 23,885,392 numbers (counted with torch 2.14 / pytorch-fid 0.3.0).
    assert len(shapes) == 472
    assert sum(int(np.prod(s)) for s in shapes.values()) == 23_885_392
    assert shapes["Conv2d_1a_3x3.conv.weight"] == (32, 3, 3, 3)
    assert shapes["Mixed_6b.branch7x7_2.conv.weight"] == (128, 128, 1, 7)
    assert shapes["Mixed_7c.branch_pool.conv.weight"] == (192, 2048, 1, 1)
    assert shapes["fc.weight"] == (1008, 2048) and shapes["fc.bias"] == (1008,)
    model = fid_inception.build_fid_inception((75, 75, 3))
    assert model.count_params() == 23_885_392
    # Mixed_7c pools with a max pool (the 2015 graph), Mixed_7b and the A/C blocks with a
    # padding-excluding average pool.
    assert isinstance(model.get_layer("Mixed_7c.max_pool"), keras.layers.MaxPooling2D)
    assert isinstance(model.get_layer("Mixed_7b.avg_pool"), keras.layers.AveragePooling2D)
    with pytest.raises(ValueError, match="seed=-1"):
        fid_inception.random_state_dict(-1)


@pytest.mark.parametrize("protocol", ["clean", "legacy_tf"])
def test_matches_pytorch_fid_on_the_fixture(fixture, network, protocol):
    extractor = metrics.FIDInceptionExtractor(protocol=protocol)
    inputs = extractor.preprocess(fixture["images"])   # no weights needed to preprocess
    assert inputs.shape == (3, 299, 299, 3)
    pool, logits = network(inputs, training=False)
    unbiased = np.asarray(pool) @ np.asarray(network.get_layer("fc").kernel)
    for value, key in ((pool, "pool"), (logits, "logits"), (unbiased, "logits_unbiased")):
        reference = fixture[f"{key}_{protocol}"]
        assert np.abs(reference).max() > 1.0   # the random weights do not vanish
        assert _relative_error(value, reference) <= PARITY, key


def test_resizes_match_clean_fid_and_torch_fidelity(fixture):
    step = 13
    clean = fid_inception.resize_clean(fixture["images"])
    np.testing.assert_allclose(clean[:, ::step, ::step], fixture["resized_clean"], atol=1e-4)
    legacy = fid_inception.resize_legacy_tf(fixture["images"])
    np.testing.assert_allclose(legacy[:, ::step, ::step], fixture["resized_legacy_tf"],
                               atol=1e-3)
    # The two protocols really differ (bicubic vs bilinear without half-pixel centres).
    assert np.abs(clean - legacy).max() > 10


def test_quantizes_generated_images_to_uint8_first():
    values = np.array([-1.0, -0.9961, 0.0, 0.5, 1.0, 1.5, -2.0], "float32")
    np.testing.assert_array_equal(fid_inception.quantize(values),
                                  [0, 0, 128, 191, 255, 255, 0])
    images = np.random.default_rng(0).integers(0, 256, (2, 5, 5, 3), dtype="uint8")
    np.testing.assert_array_equal(
        fid_inception.quantize(images.astype("float32") / 127.5 - 1.0), images)
    extractor = metrics.FIDInceptionExtractor(protocol="legacy_tf")
    np.testing.assert_array_equal(extractor.preprocess(images / 127.5 - 1.0),
                                  extractor.preprocess(images))


def test_extractor_loads_a_weights_file_and_gives_every_output(fixture, weights_file):
    images = fixture["images"][:2] / 127.5 - 1.0   # generator range: quantized back exactly
    logits = metrics.FIDInceptionExtractor(
        "logits_unbiased", protocol="legacy_tf", weights_path=weights_file, batch_size=1)
    reference = fixture["logits_unbiased_legacy_tf"][:2]
    assert logits.name == "fid_inception-legacy_tf-logits_unbiased"
    assert _relative_error(logits(images), reference) <= PARITY
    probabilities = metrics.get_extractor("fid_inception_probabilities",
                                          protocol="legacy_tf", weights_path=weights_file)
    expected = np.exp(reference - reference.max(1, keepdims=True))
    expected /= expected.sum(1, keepdims=True)
    np.testing.assert_allclose(probabilities(images), expected, atol=1e-5)


def test_metric_names_carry_the_protocol(tiny_gan, weights_file):
    extractor = metrics.get_extractor("fid_inception_legacy_tf", weights_path=weights_file)
    real = np.random.default_rng(1).uniform(-1, 1, (4, 8, 8, 1)).astype("float32")
    reference = metrics.FeatureStatistics.from_features(extractor(real),
                                                        metadata={"dataset": "noise"})
    results = metrics.evaluate_generator(tiny_gan(), reference, metrics=("fid",),
                                         num_samples=3, extractor=extractor, batch_size=3)
    record = results["fid"]
    assert record["name"] == "fid3_legacy_tf" and record["value"] > 0
    assert record["protocol"]["image_protocol"] == "legacy_tf"
    assert record["protocol"]["extractor"] == "fid_inception-legacy_tf-pool"
    assert metrics.metric_name("fid", 10000, "clean") == "fid10k_clean"
    assert metrics.metric_name("is", 50000) == "is50k"


def test_get_config_round_trip_and_names():
    extractor = metrics.get_extractor("fid_inception", weights_path="w.weights.h5",
                                      batch_size=8)
    assert (extractor.protocol, extractor.output, extractor.name) == (
        "clean", "pool", "fid_inception-clean-pool")
    restored = keras.saving.deserialize_keras_object(
        keras.saving.serialize_keras_object(extractor))
    assert isinstance(restored, metrics.FIDInceptionExtractor)
    assert restored.get_config() == extractor.get_config()
    with pytest.raises(ValueError, match="protocol='bilinear'"):
        metrics.FIDInceptionExtractor(protocol="bilinear")
    with pytest.raises(ValueError, match="output='features'"):
        metrics.FIDInceptionExtractor(output="features")


def test_converter_maps_torch_layouts_and_refuses_wrong_dicts():
    state = fid_inception.random_state_dict(3)
    model = fid_inception.load_state_dict(fid_inception.build_fid_inception((75, 75, 3)),
                                          dict(state, **{"fc.num_batches_tracked": 0}))
    kernel = model.get_layer("Mixed_6b.branch7x7_2.conv").kernel
    np.testing.assert_array_equal(
        kernel, state["Mixed_6b.branch7x7_2.conv.weight"].transpose(2, 3, 1, 0))
    gamma, beta, mean, var = model.get_layer("Conv2d_1a_3x3.bn").get_weights()
    np.testing.assert_array_equal(var, state["Conv2d_1a_3x3.bn.running_var"])
    np.testing.assert_array_equal(model.get_layer("fc").kernel, state["fc.weight"].T)
    missing = {k: v for k, v in state.items() if k != "Mixed_5b.branch1x1.bn.bias"}
    with pytest.raises(ValueError, match="Mixed_5b.branch1x1.bn.bias"):
        fid_inception.load_state_dict(model, missing)
    state["fc.bias"] = np.zeros(1000, "float32")
    with pytest.raises(ValueError, match=r"fc.bias.*\(1008,\).*shape=\(1000,\)"):
        fid_inception.load_state_dict(model, state)


def test_converter_asks_for_torch(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "torch", None)
    with pytest.raises(ImportError, match=r"pip install tfgan\[fid\]"):
        fid_inception.convert_pytorch_weights(tmp_path / "w.pth", tmp_path / "w.weights.h5")
    with pytest.raises(ValueError, match="weights_path='w.h5'"):
        fid_inception.convert_pytorch_weights("w.pth", "w.h5")


def test_weights_resolution_order(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.delenv(fid_inception.WEIGHTS_ENV, raising=False)
    given = tmp_path / "given.weights.h5"
    given.write_bytes(b"")
    assert fid_inception.resolve_weights(given) == str(given)
    monkeypatch.setenv(fid_inception.WEIGHTS_ENV, str(tmp_path / "absent.weights.h5"))
    with pytest.raises(FileNotFoundError, match="TFGAN_FID_WEIGHTS='.*absent.weights.h5'"):
        fid_inception.resolve_weights()
    assert fid_inception.resolve_weights(given) == str(given)   # the argument comes first
    monkeypatch.delenv(fid_inception.WEIGHTS_ENV)
    cached = tmp_path / "keras" / "models" / fid_inception.KERAS_WEIGHTS_FILE
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"")
    assert fid_inception.resolve_weights() == str(cached)
    converted = []
    monkeypatch.setattr(fid_inception, "convert_pytorch_weights",
                        lambda src, dst: converted.append((src, dst)) or str(dst))
    pth = tmp_path / fid_inception.FID_WEIGHTS_FILE
    pth.write_bytes(b"")
    assert fid_inception.resolve_weights(pth) == str(cached) and converted == [(pth, cached)]


def test_offline_error_names_the_file_the_place_and_the_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.delenv(fid_inception.WEIGHTS_ENV, raising=False)

    def offline(*args, **kwargs):
        raise OSError("no network")

    monkeypatch.setattr(keras.utils, "get_file", offline)
    extractor = metrics.FIDInceptionExtractor()
    with pytest.raises(RuntimeError) as error:
        extractor(np.zeros((1, 8, 8, 3), "float32"))
    message = str(error.value)
    for part in ("pt_inception-2015-12-05-6726825d.pth", "no network", "TFGAN_FID_WEIGHTS",
                 "weights_path", str(tmp_path / "models" / fid_inception.KERAS_WEIGHTS_FILE),
                 fid_inception.FID_WEIGHTS_URL):
        assert part in message
    with pytest.raises(RuntimeError, match="download=False"):
        fid_inception.resolve_weights(download=False)


# --------------------------------------------------------------------------------------
# Published values: only with the original weights and the original CIFAR-10.

CIFAR10_DIR = os.environ.get("TFGAN_CIFAR10_DATA_DIR")
REAL_WEIGHTS = os.environ.get(fid_inception.WEIGHTS_ENV)


def _original_cifar10(split, count):
    import tensorflow_datasets as tfds

    builder = tfds.builder("cifar10", data_dir=CIFAR10_DIR)
    sizes = {s: builder.info.splits[s].num_examples for s in ("train", "test")}
    if sizes != {"train": 50000, "test": 10000}:
        raise ValueError(
            "TFGAN_CIFAR10_DATA_DIR must hold the original CIFAR-10 (50,000 / 10,000 images);"
            f" ../shared/data has a 10,000-image JPEG re-encoded subset. Received: {sizes}")
    data = tfds.as_numpy(builder.as_dataset(split=f"{split}[:{count}]", batch_size=-1))
    return data["image"]


@pytest.mark.slow
@pytest.mark.skipif(
    not (REAL_WEIGHTS and CIFAR10_DIR),
    reason="needs the original FID Inception weights (TFGAN_FID_WEIGHTS=path to "
           "pt_inception-2015-12-05-6726825d.pth or its .weights.h5) and the original "
           "CIFAR-10 as a TFDS data dir (TFGAN_CIFAR10_DATA_DIR); neither can be downloaded "
           "here, and ../shared/data's CIFAR-10 is a JPEG re-encoded 10k subset whose FID "
           "differs from the published one")
def test_published_torch_fidelity_values():
    # torch-fidelity's tests (legacy TF bilinear resize): FID(train[:5000], test[:5000])
    # = 10.3233274, IS(train, 10 splits, rows shuffled with RandomState(2020)) = 11.23678.
    features = metrics.FIDInceptionExtractor(protocol="legacy_tf", batch_size=100)
    train = _original_cifar10("train", 50000)
    fid = metrics.fid_from_features(features(train[:5000]),
                                    features(_original_cifar10("test", 5000)))
    assert fid == pytest.approx(10.3233274, abs=1e-2)
    probabilities = metrics.get_extractor("fid_inception_probabilities",
                                          protocol="legacy_tf", batch_size=100)(train)
    order = np.random.RandomState(2020).permutation(len(probabilities))
    score, _ = metrics.inception_score(probabilities[order], splits=10)
    assert score == pytest.approx(11.23678, abs=1e-2)
