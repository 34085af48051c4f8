"""Writes the FID Inception parity fixture: pytorch-fid's network with seeded random weights.

The original FID Inception weights cannot be shipped or downloaded here, so parity is
proven on random weights that both sides can make: `tfgan.metrics.fid_inception.
random_state_dict(seed)` draws them with numpy alone, in pytorch-fid's key layout. This
script

1. loads them into pytorch-fid's own `InceptionV3` / `fid_inception_v3` (its strict
   `load_state_dict` checks every key and shape of the layout);
2. runs a few seeded uint8 images through the two reference pipelines: clean-fid's
   `clean` resize (`cleanfid.resize.build_resizer("clean")`) and torch-fidelity's
   TF1-style bilinear resize (`interpolate_bilinear_2d_like_tensorflow1x`), each followed
   by `(x - 128) / 128` and the network;
3. saves the weights as a `.pth` file, converts it with tfgan's converter
   (`convert_pytorch_weights`, i.e. `torch.load(weights_only=True)`) and prints how far
   the converted Keras network is from torch on the same inputs;
4. writes `tests/metrics/fid_inception_fixture.npz`: the seed, the images, the reference
   2048-d pool features, 1008-way logits and unbiased logits for each protocol, a
   subsample of the resized images, and the versions used.

`tests/metrics/test_fid_inception.py` rebuilds the weights from the seed in Keras (no
torch) and matches the fixture.

Dev-time requirements (not tfgan dependencies): `pip install torch torchvision
pytorch-fid clean-fid torch-fidelity`, plus tfgan's own. Run from the repository root:

    python scripts/make_fid_inception_fixture.py [--seed 2015] [--out PATH]
"""

import argparse
import importlib.metadata
import pathlib
import sys
import tempfile

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NUM_IMAGES = 3
IMAGE_SIZE = 32          # CIFAR-10's size: both protocols upsample it to 299
SUBSAMPLE = 13           # every 13th row/column of the resized images is stored


def make_images(seed, num_images=NUM_IMAGES, size=IMAGE_SIZE):
    """Seeded uint8 test images: smooth colour gradients plus noise, the full 0-255 range."""
    rng = np.random.default_rng(seed)
    yy, xx = np.meshgrid(np.linspace(0, 1, size), np.linspace(0, 1, size), indexing="ij")
    images = []
    for _ in range(num_images):
        phase = rng.uniform(0, 2 * np.pi, 3)
        base = np.stack([np.sin(3 * xx + 2 * yy + p) for p in phase], axis=-1)
        noise = rng.normal(0, 0.35, (size, size, 3))
        images.append(np.clip((base + noise) * 127.5 + 128, 0, 255))
    return np.round(np.stack(images)).astype("uint8")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2015)
    parser.add_argument("--out", default=str(ROOT / "tests" / "metrics" /
                                              "fid_inception_fixture.npz"))
    args = parser.parse_args(argv)

    # The torch stack first: torchvision imported after TensorFlow segfaults (torch 2.14).
    import torch
    import torchvision
    import pytorch_fid
    import pytorch_fid.inception
    import torch_fidelity
    from torch_fidelity.interpolate_compat_tensorflow import \
        interpolate_bilinear_2d_like_tensorflow1x
    import cleanfid
    import cleanfid.resize
    import keras

    from tfgan.metrics import fid_inception

    torch.set_grad_enabled(False)
    state = {k: torch.from_numpy(v) for k, v in
             fid_inception.random_state_dict(args.seed).items()}
    # fid_inception_v3() loads its weights through this function: hand it the seeded ones.
    pytorch_fid.inception.load_state_dict_from_url = lambda *a, **k: state
    blocks = pytorch_fid.inception.InceptionV3([3], resize_input=False,
                                               normalize_input=False).eval()
    fc = pytorch_fid.inception.fid_inception_v3().eval().fc

    def network(x):  # x: (n, 3, 299, 299) scaled to (x - 128) / 128
        pool = blocks(x)[0][:, :, 0, 0]
        return pool, fc(pool), pool.mm(fc.weight.T)

    images = make_images(args.seed)
    clean = cleanfid.resize.build_resizer("clean")
    resized = {
        "clean": np.stack([clean(image) for image in images]).astype("float32"),
        "legacy_tf": interpolate_bilinear_2d_like_tensorflow1x(
            torch.from_numpy(images).permute(0, 3, 1, 2).float(), size=(299, 299),
            align_corners=False).permute(0, 2, 3, 1).numpy(),
    }
    fixture = {"seed": np.int64(args.seed), "images": images, "versions": np.array(
        f"torch {torch.__version__}, torchvision {torchvision.__version__}, pytorch-fid "
        f"{pytorch_fid.__version__}, clean-fid {importlib.metadata.version('clean-fid')}, "
        f"torch-fidelity {torch_fidelity.__version__}, numpy {np.__version__}")}
    for protocol, x in resized.items():
        inputs = torch.from_numpy((x - 128.0) / 128.0).permute(0, 3, 1, 2).contiguous()
        pool, logits, unbiased = (t.numpy() for t in network(inputs))
        fixture[f"resized_{protocol}"] = x[:, ::SUBSAMPLE, ::SUBSAMPLE, :]
        fixture[f"pool_{protocol}"] = pool
        fixture[f"logits_{protocol}"] = logits
        fixture[f"logits_unbiased_{protocol}"] = unbiased

    # The converter's own path: .pth on disk → torch.load(weights_only=True) → Keras.
    with tempfile.TemporaryDirectory() as tmp:
        pth = pathlib.Path(tmp) / "random_fid_inception.pth"
        torch.save(state, pth)
        h5 = fid_inception.convert_pytorch_weights(pth, pathlib.Path(tmp) / "w.weights.h5")
        model = fid_inception.build_fid_inception()
        model.load_weights(h5)
    for protocol, x in resized.items():
        pool, logits = (np.asarray(t) for t in model((x - 128.0) / 128.0, training=False))
        for key, value in (("pool", pool), ("logits", logits)):
            reference = fixture[f"{key}_{protocol}"]
            error = np.abs(value - reference).max() / np.abs(reference).max()
            print(f"converted Keras vs pytorch-fid, {protocol} {key}: max |diff| / max |ref| "
                  f"= {error:.2e} (max |ref| {np.abs(reference).max():.3g})")
    keras.backend.clear_session()

    out = pathlib.Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, **fixture)
    print(f"wrote {out} ({out.stat().st_size / 1024:.0f} KiB): {fixture['versions']}")


if __name__ == "__main__":
    main()
