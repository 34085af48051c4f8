"""Presets: named, paper-default models with their data and training recipe, in one registry.

A `Preset` is what the Python API and `tfgan train --preset NAME` share: architecture
builders, a compile recipe, a default dataset and batch size, and the config keys a user
may override (`preset.resolve(overrides)` refuses unknown keys, naming the valid ones).

| preset | model | data (default) | paper |
| --- | --- | --- | --- |
| `dcgan-mnist` | DCGAN 28x28x1 self-conditioned on 100 pixel k-means clusters (no labels; embedding G ending in a 3x3 conv, projection D unnormalized at 2x G's width), lazy R1, Adam(β 0, 0.99) with D at 1e-3 and G at 2.5e-4 (TTUR), EMA | embedded MNIST subset | Radford et al. 2016, Mescheder et al. 2018, Heusel et al. 2017, Liu et al. 2020 |
| `dcgan-cifar10` | DCGAN 32x32x3, EMA | TFDS `cifar10` | Radford et al. 2016 |
| `dcgan-64` | DCGAN 64x64x3, EMA | TFDS `celeb_a` | Radford et al. 2016 |
| `wgan-gp-mnist` | DCGAN G, layer-norm critic, WGAN-GP recipe | embedded MNIST | Gulrajani et al. 2017 |
| `sngan-cifar10` | SNGAN ResNet, hinge, 5 D steps | TFDS `cifar10` | Miyato et al. 2018 |
| `cgan-mnist` | conditional DCGAN, projection D, `dcgan-mnist`'s recipe on the labels (G and D both at 1e-3) | embedded MNIST + labels | Miyato & Koyama 2018 |
| `pix2pix-facades` | U-Net + 70x70 PatchGAN, L1 100 | a paired folder (`--dataset`) | Isola et al. 2017 |
| `cyclegan-horse2zebra` | ResNet G, PatchGAN, LSGAN, cycle 10 | an unpaired folder (`--dataset`) | Zhu et al. 2017 |
| `inpainting-center` | context encoder, DCGAN D, hole L2 0.999 + adversarial 0.001, central square | a folder or TFDS name (`--dataset`) | Pathak et al. 2016 |
| `srgan-x4` | SRResNet (16 blocks) ×4 + VGG-style D, MSE + 1e-3 adversarial | a folder or TFDS name (`--dataset`) | Ledig et al. 2017 |
| `mixture-2d` | MLPs, lazy R1, LR decay, EMA | grid of 25 Gaussians | this library (RESULTS.md) |
| `stylegan-mnist` | StyleGAN2 32x32x1: mixing 0.9, lazy R1 + path length, EMA | embedded MNIST padded to 32x32 | Karras et al. 2020 |
| `stylegan-cifar10` | StyleGAN2 32x32x3: mixing 0.9, lazy R1 + path length, EMA | TFDS `cifar10` | Karras et al. 2020 |
| `text2image-mnist` | text-conditional DCGAN: GRU text encoders (G's the matcher's, frozen), CA (KL 1), GAN-CLS, DAMSM-style matcher term (5), lazy R1, EMA | captioned MNIST (or a captioned folder) | Reed et al. 2016, Zhang et al. 2017, Xu et al. 2018 |

Compile recipes of published variants are `recipe(name)`: `gan.compile(**recipe("wgan_gp"))`.

| recipe | loss | D steps | optimizers | stabilizer | paper |
| --- | --- | --- | --- | --- | --- |
| `"wgan"` | wasserstein | 5 | RMSprop(5e-5) | weight clipping 0.01 | Arjovsky et al. 2017 |
| `"wgan_gp"` | wasserstein | 5 | Adam(1e-4, 0, 0.9) | gradient penalty λ = 10 | Gulrajani et al. 2017 |
| `"wgan_gp_one_sided"` | wasserstein | 5 | Adam(1e-4, 0, 0.9) | one-sided GP λ = 10 | Gulrajani et al. 2017 (appendix) |
| `"sngan"` | hinge | 5 | Adam(2e-4, 0, 0.9) | spectral norm in D (architecture) | Miyato et al. 2018 |
| `"r1"` | non_saturating | 1 | Adam(2e-4, 0, 0.99) | R1 γ = 10 | Mescheder et al. 2018 |
| `"mixture_2d"` | non_saturating | 1 | Adam(1e-3, 0.5), linear decay to 0 over the 2nd half of `steps` | lazy R1 γ = 0.1 every 4 | this library, for 2D mixtures |
"""

import dataclasses
import numbers
import pathlib

import keras
import numpy as np

from tfgan import architectures as arch
from tfgan.architectures.text_to_image import TEXT_ENCODER
from tfgan.augment import DiffAugment
from tfgan import datasets
from tfgan import penalties
from tfgan.models import GAN
from tfgan.models import ConditionalGAN
from tfgan.models import CycleGAN
from tfgan.models import InfoGAN
from tfgan.models import Inpainting
from tfgan.models import Pix2Pix
from tfgan.models import SelfConditionedGAN
from tfgan.models import SRGAN
from tfgan.models import StyleGAN
from tfgan.models import TextImageMatcher
from tfgan.models import TextToImageGAN
from tfgan.layers import text_vectorizer
from tfgan.stabilizers import PathLengthPenalty
from tfgan.stabilizers import WeightClipping
from tfgan.utils.ema import ema_decay_for_half_life
from tfgan.utils.schedules import LinearDecay
from tfgan.utils.validation import check_positive_int

# ---------------------------------------------------------------------- compile recipes


def _adam(lr, beta_1, beta_2):
    return keras.optimizers.Adam(learning_rate=lr, beta_1=beta_1, beta_2=beta_2)


def _wgan():
    return {"loss": "wasserstein", "d_steps": 5, "stabilizers": [WeightClipping(0.01)],
            "g_optimizer": keras.optimizers.RMSprop(learning_rate=5e-5),
            "d_optimizer": keras.optimizers.RMSprop(learning_rate=5e-5)}


def _wgan_gp(one_sided=False):
    return {"loss": "wasserstein", "d_steps": 5,
            "stabilizers": [penalties.GradientPenalty(weight=10.0, one_sided=one_sided)],
            "g_optimizer": _adam(1e-4, 0.0, 0.9), "d_optimizer": _adam(1e-4, 0.0, 0.9)}


def _sngan():
    return {"loss": "hinge", "d_steps": 5,
            "g_optimizer": _adam(2e-4, 0.0, 0.9), "d_optimizer": _adam(2e-4, 0.0, 0.9)}


def _r1():
    return {"loss": "non_saturating", "d_steps": 1, "stabilizers": [penalties.R1Penalty(10.0)],
            "g_optimizer": _adam(2e-4, 0.0, 0.99), "d_optimizer": _adam(2e-4, 0.0, 0.99)}


def _mixture_2d(steps):
    def adam():
        return _adam(LinearDecay(1e-3, steps // 2, steps - steps // 2), 0.5, 0.999)

    return {"loss": "non_saturating", "d_steps": 1,
            "stabilizers": [penalties.R1Penalty(gamma=0.1, every=4)],
            "g_optimizer": adam(), "d_optimizer": adam()}


_RECIPES = {"wgan": _wgan, "wgan_gp": _wgan_gp,
            "wgan_gp_one_sided": lambda: _wgan_gp(one_sided=True),
            "sngan": _sngan, "r1": _r1, "mixture_2d": _mixture_2d}
_SCHEDULED = ("mixture_2d",)  # recipes whose learning rate follows the run's length


def recipe(name, steps=None, **overrides):
    """Returns fresh `GAN.compile` keyword arguments of a published variant.

    Args:
        name: one of `"wgan"`, `"wgan_gp"`, `"wgan_gp_one_sided"`, `"sngan"`, `"r1"`,
            `"mixture_2d"` (table in the module docstring).
        steps: the number of training steps, required by the recipes with a learning-rate
            schedule (`"mixture_2d"`) and refused by the others.
        **overrides: compile arguments that replace the recipe's (e.g. `run_eagerly`).

    Returns:
        A dict for `gan.compile(**recipe(name))`, with new optimizer objects each call.
    """
    if name not in _RECIPES:
        raise ValueError(f"Unknown recipe. Expected one of {sorted(_RECIPES)}. "
                         f"Received: name={name!r}")
    if name in _SCHEDULED:
        if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 2:
            raise ValueError(f"Recipe {name!r} decays its learning rate over the run: pass "
                             f"`steps`, the number of training steps (an integer >= 2). "
                             f"Received: steps={steps!r}")
        config = _RECIPES[name](int(steps))
    elif steps is not None:
        raise ValueError(f"Recipe {name!r} has no schedule, so it takes no `steps`. "
                         f"Received: steps={steps!r}")
    else:
        config = _RECIPES[name]()
    config.update(overrides)
    return config


# ---------------------------------------------------------------------- data


def image_data(name, image_shape, batch_size, seed=0, data_dir=None, labels=False):
    """A batched image dataset in [-1, 1] by name: `"embedded-mnist"`, a folder or TFDS.

    Raises:
        ValueError: the embedded set for a preset that does not make 28x28x1 images.
    """
    if name == datasets.EMBEDDED_MNIST:
        if tuple(image_shape) != (28, 28, 1):
            raise ValueError(f"The embedded MNIST set is 28x28x1 but the preset makes "
                             f"{tuple(image_shape)} images. Received: dataset={name!r}")
        return datasets.embedded_mnist(batch_size=batch_size, labels=labels, seed=seed)
    size, channels = image_shape[:2], image_shape[2]
    if pathlib.Path(name).is_dir():
        return datasets.from_folder(name, image_size=size, channels=channels, labels=labels,
                                    batch_size=batch_size, seed=seed)
    return datasets.from_tfds(name, data_dir=data_dir, image_size=size, channels=channels,
                              labels=labels, batch_size=batch_size, seed=seed)


def _split(directory, *names):
    """The first existing sub-folder of `directory` among `names`, else `directory`."""
    for name in names:
        if (pathlib.Path(directory) / name).is_dir():
            return pathlib.Path(directory) / name
    return pathlib.Path(directory)


def _folder(config, preset_name):
    if not config["dataset"]:
        raise ValueError(f"Preset {preset_name!r} trains on a folder: pass --dataset FOLDER "
                         "(or set `dataset`). Received: dataset=None")
    return config["dataset"]


# ---------------------------------------------------------------------- presets


@dataclasses.dataclass(frozen=True)
class Preset:
    """A named model, its data and its training recipe.

    Attributes:
        name: the preset's name.
        description: one line for `tfgan presets`.
        defaults: the config keys a user may override, with their default values.
        make_model: `(config, seed, steps) -> compiled model`.
        make_data: `(config, seed, data_dir) -> tf.data.Dataset` of training batches.
        make_sample_inputs: `(config, data_dir) -> array` of held-out inputs for sample
            grids (image-to-image presets), or `None`.
        images: whether the model makes images (sample grids, FID); `False` for 2D points.
    """

    name: str
    description: str
    defaults: dict
    make_model: object
    make_data: object
    make_sample_inputs: object = None
    images: bool = True

    def resolve(self, overrides=None):
        """The preset's config with `overrides` applied.

        Raises:
            ValueError: for a key the preset does not have, naming it and the valid keys.
        """
        overrides = dict(overrides or {})
        unknown = sorted(set(overrides) - set(self.defaults))
        if unknown:
            raise ValueError(f"Preset {self.name!r} has no config key {unknown[0]!r}. "
                             f"Valid keys: {sorted(self.defaults)}. Received: {unknown}")
        return {**self.defaults, **overrides}

    def build(self, config=None, seed=0, steps=None):
        """A compiled model for `config` (`resolve`d from overrides when a dict of them).

        Args:
            config: overrides or a resolved config; `None` is the defaults.
            seed: the model's noise seed.
            steps: the run's length in train steps, for presets whose learning rate
                follows it (`mixture-2d`, `cyclegan-horse2zebra`).
        """
        return self.make_model(self.resolve(config), seed, steps)

    def dataset(self, config=None, seed=0, data_dir=None):
        """The training dataset for `config` (batched; the CLI repeats it)."""
        return self.make_data(self.resolve(config), seed, data_dir)

    def sample_inputs(self, config=None, data_dir=None):
        """Held-out inputs for the sample grids of image-to-image presets, else `None`
        (`data_dir`: the TFDS data directory, for presets that read TFDS)."""
        if self.make_sample_inputs is None:
            return None
        return self.make_sample_inputs(self.resolve(config), data_dir)


def _ema(config):
    half_life = config.get("ema_half_life")
    return None if not half_life else ema_decay_for_half_life(half_life, config["batch_size"])


def _adam_from(config, learning_rate, steps):
    """Adam with the config's betas; with `lr_decay`, constant for the first half of the
    run's `steps` and linear to 0 over the second (as `mixture_2d` and CycleGAN)."""
    if config.get("lr_decay"):
        total = max(2, int(steps or 2))
        learning_rate = LinearDecay(learning_rate, total // 2, total - total // 2)
    return _adam(learning_rate, config["beta_1"], config["beta_2"])


def _stabilizers(config):
    """The stabilizers a DCGAN-family config names: R1 and DiffAugment (adaptive, ADA's
    `p`, with an `augment_target`)."""
    stabilizers = []
    if config.get("r1_gamma"):
        stabilizers.append(penalties.R1Penalty(config["r1_gamma"], every=config["r1_every"]))
    target = config.get("augment_target")
    if target is not None and not config.get("augment"):
        raise ValueError("`augment_target` adapts the probability of the `augment` policy, "
                         "which is not set: pass e.g. augment=color,translation,cutout. "
                         f"Received: augment={config.get('augment')!r}, augment_target={target!r}")
    if config.get("augment"):
        stabilizers.append(DiffAugment(config["augment"], target=target))
    return stabilizers


def _dcgan_compile_kwargs(config, steps):
    """`compile` arguments of a DCGAN-family config: Adams, loss, D steps, stabilizers."""
    return {"g_optimizer": _adam_from(config, config["g_learning_rate"], steps),
            "d_optimizer": _adam_from(config, config["d_learning_rate"], steps),
            "loss": config["loss"], "d_steps": config["d_steps"],
            "stabilizers": _stabilizers(config)}


def _conditional_dcgan(config, num_classes, image_shape, g_conditioning="embedding",
                       d_conditioning="projection", auxiliary_classifier=False):
    """`(G, D)` of the conditional DCGAN family (`cgan-mnist`, the `clusters` and
    `info_codes` keys) from a DCGAN config."""
    generator = arch.conditional_dcgan_generator(
        num_classes, image_shape, latent_dim=config["latent_dim"],
        base_filters=config["base_filters"], conditioning=g_conditioning,
        output_convolution=config["output_convolution"])
    discriminator = arch.conditional_dcgan_discriminator(
        num_classes, image_shape, base_filters=config["d_base_filters"] or config["base_filters"],
        conditioning=d_conditioning, auxiliary_classifier=auxiliary_classifier,
        normalization=config["d_normalization"])
    return generator, discriminator


def _dcgan(image_shape):
    def make_model(config, seed, steps):
        clusters, codes = config["clusters"], config["info_codes"]
        if clusters and codes:
            raise ValueError("A DCGAN config takes `clusters` (self-conditioning) or "
                             "`info_codes` (InfoGAN), not both. "
                             f"Received: clusters={clusters}, info_codes={codes}")
        if clusters:
            gan = SelfConditionedGAN(*_conditional_dcgan(config, clusters, image_shape),
                                     num_clusters=clusters, seed=seed, ema_decay=_ema(config))
        elif codes:
            gan = InfoGAN(*_conditional_dcgan(config, codes, image_shape, "one_hot", "none",
                                              auxiliary_classifier=True),
                          num_codes=codes, seed=seed, ema_decay=_ema(config))
        else:
            gan = GAN(arch.dcgan_generator(image_shape, latent_dim=config["latent_dim"],
                                           base_filters=config["base_filters"],
                                           output_convolution=config["output_convolution"]),
                      arch.dcgan_discriminator(
                          image_shape, base_filters=config["d_base_filters"]
                          or config["base_filters"], normalization=config["d_normalization"]),
                      seed=seed, ema_decay=_ema(config))
        gan.compile(**_dcgan_compile_kwargs(config, steps))
        return gan
    return make_model


def _image_data(image_shape, labels=False):
    def make_data(config, seed, data_dir):
        data = image_data(config["dataset"], image_shape, config["batch_size"], seed,
                          data_dir, labels=labels and not config.get("clusters"))
        if config.get("clusters"):  # self-conditioning: label batches with their clusters
            data = datasets.with_clusters(
                data, datasets.fit_clusters(data, config["clusters"], seed=seed))
        return data
    return make_data


def _dcgan_config(dataset, latent_dim=100, base_filters=64, batch_size=64, **recipe):
    """The config keys of the DCGAN family (the `dcgan-*` presets and `cgan-mnist`): the
    paper's values (Radford et al. 2016, with an EMA generator), replaced by `recipe`'s.

    Two keys turn the unconditional `dcgan-*` presets into label-free conditional GANs:
    `clusters: k` trains a `SelfConditionedGAN` on `k` k-means clusters of the pooled
    pixels (`tfgan.datasets.fit_clusters`, Liu et al. 2020), `info_codes: k` an `InfoGAN`
    with a `k`-way categorical code (Chen et al. 2016). `augment: "color,translation,cutout"`
    adds DiffAugment (Zhao et al. 2020); `augment_target: t` makes its probability
    adaptive, ADA's `p` (Karras et al. 2020; the paper's `t` is 0.6, with which these
    DCGANs augment 10,000 images as much as 600; 0.9 did not, `benchmarks/RESULTS.md`)."""
    config = {"dataset": dataset, "batch_size": batch_size, "latent_dim": latent_dim,
              "base_filters": base_filters, "output_convolution": False,
              "d_base_filters": None, "loss": "non_saturating",
              "ema_half_life": 10_000, "g_learning_rate": 2e-4, "d_learning_rate": 2e-4,
              "beta_1": 0.5, "beta_2": 0.999, "lr_decay": False, "d_steps": 1,
              "d_normalization": "batch", "r1_gamma": None, "r1_every": 1, "augment": None,
              "augment_target": None, "info_codes": None, "clusters": None}
    unknown = sorted(set(recipe) - set(config))
    if unknown:
        raise ValueError(f"Unknown DCGAN config keys: expected keys of {sorted(config)}. "
                         f"Received: {unknown}")
    return {**config, **recipe}


def _dcgan_preset(name, image_shape, dataset, description, **recipe):
    return Preset(name, description, _dcgan_config(dataset, **recipe),
                  _dcgan(image_shape), _image_data(image_shape))


def _wgan_gp_mnist(config, seed, steps):
    gan = GAN(arch.dcgan_generator((28, 28, 1), latent_dim=config["latent_dim"],
                                   base_filters=config["base_filters"]),
              arch.dcgan_discriminator((28, 28, 1), base_filters=config["base_filters"],
                                       normalization="layer"),
              seed=seed, ema_decay=_ema(config))
    gan.compile(**recipe("wgan_gp", d_steps=config["d_steps"]))
    return gan


def _sngan_cifar10(config, seed, steps):
    # SAGAN (Zhang et al. 2019) is this preset with `self_attention=16`: attention at 16x16
    # in G and D.
    gan = GAN(arch.sngan_generator((32, 32, 3), latent_dim=config["latent_dim"],
                                   base_filters=config["base_filters"],
                                   self_attention=config["self_attention"]),
              arch.sngan_discriminator((32, 32, 3), base_filters=config["base_filters"],
                                       self_attention=config["self_attention"]),
              seed=seed, ema_decay=_ema(config))
    gan.compile(**recipe("sngan", d_steps=config["d_steps"]))
    return gan


def _cgan_mnist(config, seed, steps):
    for key in ("clusters", "info_codes"):
        if config[key]:
            raise ValueError(f"`cgan-mnist` conditions on the dataset's labels; `{key}` is for "
                             f"the unconditional `dcgan-*` presets. Received: {key}={config[key]}")
    model = ConditionalGAN(*_conditional_dcgan(config, 10, (28, 28, 1)), num_classes=10,
                           seed=seed, ema_decay=_ema(config))
    model.compile(**_dcgan_compile_kwargs(config, steps))
    return model


def _square(config, channels=3):
    return (config["image_size"], config["image_size"], channels)


def _pix2pix(config, seed, steps):
    shape = _square(config)
    model = Pix2Pix(
        arch.unet_generator(shape, base_filters=config["base_filters"],
                            max_filters=config["max_filters"]),
        arch.patchgan_discriminator(shape, conditional_channels=3,
                                    base_filters=config["base_filters"]),
        seed=seed)
    model.compile(loss="non_saturating", l1_weight=config["l1_weight"])
    return model


def _pix2pix_data(config, seed, data_dir):
    return datasets.paired_dataset(
        _split(_folder(config, "pix2pix-facades"), "train"), batch_size=config["batch_size"],
        image_size=config["image_size"], input_side=config["input_side"], seed=seed)


def _pix2pix_sample_inputs(config, data_dir=None):
    dataset = datasets.paired_dataset(
        _split(_folder(config, "pix2pix-facades"), "test", "val"), batch_size=8,
        image_size=config["image_size"], input_side=config["input_side"], jitter=False,
        shuffle=False, limit=8)
    return next(iter(dataset))[0].numpy()


def _cyclegan(config, seed, steps):
    shape = _square(config)

    def generator(name):
        return arch.resnet_generator(shape, base_filters=config["base_filters"],
                                     num_blocks=config["num_blocks"],
                                     upsampling=config["upsampling"], name=name)

    def discriminator(name):
        return arch.patchgan_discriminator(shape, base_filters=config["base_filters"],
                                           normalization="instance", name=name)

    model = CycleGAN(generator("generator_ab"), generator("generator_ba"),
                     discriminator("discriminator_a"), discriminator("discriminator_b"),
                     pool_size=config["pool_size"], seed=seed)
    total = max(2, int(steps or 2))

    def optimizer():  # constant, then linear decay to 0 over the second half (the paper's)
        schedule = LinearDecay(config["learning_rate"], total // 2, total - total // 2)
        return keras.optimizers.Adam(schedule, beta_1=0.5)

    model.compile(optimizer(), optimizer(), loss="least_squares",
                  cycle_weight=config["cycle_weight"],
                  identity_weight=config["identity_weight"])
    return model


def _cyclegan_data(config, seed, data_dir):
    folder = pathlib.Path(_folder(config, "cyclegan-horse2zebra"))
    return datasets.unpaired_dataset(folder / "trainA", folder / "trainB",
                                     batch_size=config["batch_size"],
                                     image_size=config["image_size"], seed=seed)


def _cyclegan_sample_inputs(config, data_dir=None):
    folder = pathlib.Path(_folder(config, "cyclegan-horse2zebra"))
    images = datasets.unpaired.image_folder_dataset(
        folder / "testA", image_size=config["image_size"], jitter=False, shuffle=False,
        limit=8)
    return next(iter(images.batch(8))).numpy()


def _inpainting(config, seed, steps):
    del steps
    shape = _square(config)
    local = (arch.inpainting_discriminator(shape, base_filters=config["base_filters"],
                                           local=True)
             if config["local_discriminator"] else None)
    model = Inpainting(arch.inpainting_generator(shape, base_filters=config["base_filters"]),
                       arch.inpainting_discriminator(shape, base_filters=config["base_filters"]),
                       local, seed=seed)
    model.compile(g_optimizer=_adam(config["learning_rate"], 0.5, 0.999),
                  d_optimizer=_adam(config["learning_rate"], 0.5, 0.999),
                  loss="non_saturating",
                  reconstruction_weight=config["reconstruction_weight"],
                  adversarial_weight=config["adversarial_weight"])
    return model


def _any_images(config, preset_name, training):
    """`(source, TFDS split)` of a preset that trains on any images: a folder's `train/`
    (training) or `test/`, else `val/` (held out) sub-folder, else the folder itself; or a
    TFDS name with the split `train` / `test`."""
    name = config["dataset"]
    if not name:
        raise ValueError(f"Preset {preset_name!r} trains on any images: pass --dataset FOLDER "
                         "or a TFDS name (or set `dataset`). Received: dataset=None")
    if pathlib.Path(name).is_dir():
        return str(_split(name, *(("train",) if training else ("test", "val")))), "train"
    return name, "train" if training else "test"


def _inpainting_data(config, seed, data_dir):
    source, split = _any_images(config, "inpainting-center", training=True)
    return datasets.inpainting_examples(
        source, mask=datasets.masks.CenterMask(config["hole_size"]),
        image_size=config["image_size"], batch_size=config["batch_size"], split=split,
        data_dir=data_dir, seed=seed)


def _inpainting_sample_inputs(config, data_dir=None):
    """The first 8 test images, centre-cropped, with the hole as a fourth channel."""
    source, split = _any_images(config, "inpainting-center", training=False)
    dataset = datasets.inpainting_examples(
        source, mask=datasets.masks.CenterMask(config["hole_size"]),
        image_size=config["image_size"], batch_size=8, split=split, data_dir=data_dir,
        training=False, limit=8)
    images, masks = next(iter(dataset))
    return np.concatenate([images.numpy(), masks.numpy()], axis=-1)


def _srgan(config, seed, steps):
    del steps
    shape = (config["hr_size"], config["hr_size"], 3)
    generator = arch.srresnet_generator(scale=config["scale"], num_blocks=config["num_blocks"],
                                        filters=config["filters"])
    if config["init_generator"]:  # e.g. the generator.keras of a `pretrain` run
        generator.set_weights(keras.saving.load_model(config["init_generator"]).get_weights())
    extractor = (arch.vgg_feature_extractor(config["vgg_weights"])
                 if config["vgg_weights"] else None)
    model = SRGAN(generator, arch.srgan_discriminator(shape, base_filters=config["d_filters"]),
                  feature_extractor=extractor, seed=seed)
    model.compile(_adam(config["learning_rate"], 0.9, 0.999),
                  _adam(config["learning_rate"], 0.9, 0.999),
                  pixel_weight=config["pixel_weight"], pixel_loss=config["pixel_loss"],
                  adversarial_weight=config["adversarial_weight"], pretrain=config["pretrain"])
    return model


def _srgan_pairs(config, seed, data_dir, training, limit=None):
    source, split = _any_images(config, "srgan-x4", training)
    dataset = datasets.super_resolution_pairs(
        source, scale=config["scale"], hr_size=config["hr_size"], split=split,
        batch_size=config["batch_size"] if training else 8, training=training,
        data_dir=data_dir, pair_side=config["pair_side"], seed=seed, limit=limit)
    if next(iter(dataset.take(1)), None) is None:
        raise ValueError(f"{source} has no full batch of images at least hr_size="
                         f"{config['hr_size']} pixels on each side: pass a smaller "
                         f"`hr_size` or `batch_size`. Received: dataset={config['dataset']!r}")
    return dataset


def _srgan_data(config, seed, data_dir):
    return _srgan_pairs(config, seed, data_dir, training=True)


def _srgan_sample_inputs(config, data_dir=None):
    return next(iter(_srgan_pairs(config, 0, data_dir, training=False, limit=8)))[0].numpy()


def _mixture_2d(config, seed, steps):
    gan = GAN(arch.mlp_generator(scale=config["scale"]),
              arch.mlp_discriminator(scale=config["scale"]), seed=seed,
              ema_decay=config["ema_decay"])
    gan.compile(**recipe("mixture_2d", steps=max(2, int(steps or 2))))
    return gan


def _mixture_data(config, seed, data_dir):
    return datasets.mixture_dataset(config["dataset"], config["batch_size"], seed=seed)


def _stylegan(image_shape):
    def make_model(config, seed, steps):
        del steps
        model = StyleGAN(
            arch.style_generator(image_shape, latent_dim=config["latent_dim"],
                                 mapping_layers=config["mapping_layers"],
                                 base_filters=config["base_filters"],
                                 max_filters=config["max_filters"]),
            arch.style_discriminator(image_shape, base_filters=config["base_filters"],
                                     max_filters=config["max_filters"]),
            style_mixing=config["style_mixing"], seed=seed, ema_decay=_ema(config))

        def adam(every):  # StyleGAN2's correction for lazy regularization: c = N / (N + 1)
            c = every / (every + 1) if every else 1.0
            return _adam(config["learning_rate"] * c, 0.0, 0.99 ** c)

        stabilizers = [penalties.R1Penalty(config["r1_gamma"], every=config["r1_every"])]
        if config["pl_weight"]:
            stabilizers.append(PathLengthPenalty(config["pl_weight"], every=config["pl_every"]))
        model.compile(g_optimizer=adam(config["pl_every"] if config["pl_weight"] else 0),
                      d_optimizer=adam(config["r1_every"]), loss="non_saturating",
                      stabilizers=stabilizers)
        return model
    return make_model


def _padded_mnist(config, seed, data_dir):
    """The embedded MNIST digits padded with black to 32x32 (no pixel lost, unlike a
    crop; no blur, unlike a resize), or `image_data` at 32x32 for other datasets."""
    if config["dataset"] != datasets.EMBEDDED_MNIST:
        return image_data(config["dataset"], (32, 32, 1), config["batch_size"], seed, data_dir)
    x, _ = datasets.images.load_embedded_mnist()
    x = np.pad(x, ((0, 0), (2, 2), (2, 2)))
    return datasets.from_arrays(x, batch_size=config["batch_size"], seed=seed)


def _stylegan_preset(name, image_shape, dataset, description, make_data, r1_gamma,
                     base_filters, max_filters):
    # Karras et al. 2020 (config F) unless noted: mixing 0.9, R1 every 16, path length 2
    # every 4, Adam(0.0025, 0, 0.99) with the lazy correction, EMA half-life 10k images.
    # γ: StyleGAN2-ADA's CIFAR-10 value (0.01); 0.1 for MNIST is this library's guess.
    return Preset(name, description,
                  {"dataset": dataset, "batch_size": 32, "latent_dim": 128,
                   "mapping_layers": 8, "base_filters": base_filters,
                   "max_filters": max_filters, "style_mixing": 0.9, "learning_rate": 0.0025,
                   "r1_gamma": r1_gamma, "r1_every": 16, "pl_weight": 2.0, "pl_every": 4,
                   "ema_half_life": 10_000},
                  _stylegan(image_shape), make_data)


CAPTIONED_MNIST = "captioned-mnist"
# The sample grid's captions: one per digit and attribute, in the training phrasings.
MNIST_SAMPLE_CAPTIONS = ("a thick zero", "a thin one leaning right", "a small two",
                         "the number 3, bold", "a four leaning left", "a wide five",
                         "a thin six", "a seven leaning right", "a large eight",
                         "a thick nine leaning left")


def _training_captions(config, seed):
    """`(images, captions)` of the text-to-image preset's data: captioned MNIST (training
    phrasings, uint8 images) or a captioned folder (file paths)."""
    if config["dataset"] == CAPTIONED_MNIST:
        data = datasets.captioned_mnist("train", config["captions_per_image"], seed=seed)
        return data["images"], data["captions"]
    if not pathlib.Path(config["dataset"]).is_dir():
        raise ValueError(f"Preset 'text2image-mnist' trains on {CAPTIONED_MNIST!r} or a folder "
                         f"of captioned images. Received: dataset={config['dataset']!r}")
    return datasets.read_captions(config["dataset"])


def _text_sizes(config):
    return {"max_length": config["max_length"], "embedding_dim": config["embedding_dim"],
            "text_units": config["text_units"], "base_filters": config["base_filters"]}


def text2image_matcher(config, seed, vectorizer):
    """A `TextImageMatcher` trained for `matcher_steps` on the `text2image-mnist` preset's
    data with the preset's text sizes (Adam 2e-3, β1 = 0.5: AttnGAN's DAMSM settings).

    The preset trains one before the GAN (its DAMSM term, `matching_weight`); another,
    from another seed, scores R-precision (`benchmarks/text_to_image_mnist.py`).

    Args:
        config: the preset's resolved config (`Preset.resolve`).
        seed: seed of the data order (the weights follow Keras' global seed).
        vectorizer: the GAN's `keras.layers.TextVectorization`.
    """
    encoders = arch.text_image_matcher_encoders(vectorizer.vocabulary_size(), (28, 28, 1),
                                                **_text_sizes(config))
    matcher = TextImageMatcher(*encoders, vectorizer, name="matcher")
    matcher.compile(optimizer=_adam(2e-3, 0.5, 0.999))
    steps = check_positive_int("matcher_steps", config["matcher_steps"])
    matcher.fit(_text2image_data(config, seed, None).repeat(), epochs=1,
                steps_per_epoch=steps, verbose=0)
    return matcher


def _text2image(config, seed, steps):
    del steps
    _, captions = _training_captions(config, seed)
    vectorizer = text_vectorizer([t for texts in captions for t in texts],
                                 max_length=config["max_length"])
    shape, vocabulary = (28, 28, 1), vectorizer.vocabulary_size()
    text = _text_sizes(config)
    matcher = (text2image_matcher(config, seed + 1, vectorizer)
               if config["matching_weight"] or config["matcher_text_encoder"] else None)
    text_encoder = (matcher.text_encoder.get_layer(TEXT_ENCODER)
                    if config["matcher_text_encoder"] else None)
    model = TextToImageGAN(
        arch.text_to_image_generator(vocabulary, shape, latent_dim=config["latent_dim"],
                                     condition_dim=config["condition_dim"],
                                     stages=config["stages"],
                                     word_attention=config["word_attention"],
                                     text_encoder=text_encoder, **text),
        arch.text_to_image_discriminator(vocabulary, shape, **text),
        vectorizer, sample_captions=list(MNIST_SAMPLE_CAPTIONS),
        matcher=matcher if config["matching_weight"] else None, seed=seed,
        ema_decay=_ema(config))
    model.compile(loss="non_saturating", kl_weight=config["kl_weight"],
                  matching_weight=config["matching_weight"], stabilizers=_stabilizers(config))
    return model


def _text2image_data(config, seed, data_dir):
    del data_dir
    if config["dataset"] == CAPTIONED_MNIST:
        return datasets.captioned_mnist_dataset(config["batch_size"], "train",
                                                config["captions_per_image"], seed=seed)
    _training_captions(config, seed)  # checks the folder
    return datasets.captioned_images(config["dataset"], 28, channels=1,
                                     batch_size=config["batch_size"], seed=seed)


# The 28x28 DCGAN recipe, found by equal-time sweeps on the embedded MNIST subset
# (benchmarks/RESULTS.md, issue 17): batch 64, not the paper's 128 (twice the updates in the
# same CPU time); a 3x3 image convolution after a full-resolution block (Miyato et al.
# 2018's standard CNN G); D twice G's width and without normalization, regularized by lazy
# R1 (gamma 0.1 every 4 steps; Mescheder et al. 2018, Karras et al. 2020); Adam(1e-3,
# beta=(0, 0.99)) for both networks (StyleGAN2's betas). `dcgan-mnist` adds
# self-conditioning on 100 pixel clusters (Liu et al. 2020): MNIST FID 0.9 / score 9.5 after
# 600 s of training on 2 CPU cores, where the same networks unconditional reach 7.3 / 8.3
# and the paper's recipe 28.6 / 7.7. It also slows G to a quarter of D's rate (the two
# time-scale rule, Heusel et al. 2017, at SAGAN's 4:1): the same MNIST quality in the same
# steps, and on photos (28x28 gray CIFAR-10) D no longer falls to chance within two epochs,
# which had left the samples blurred (FID in a CIFAR judge's features 0.53 vs 2.18).
_MNIST_RECIPE = {"latent_dim": 64, "base_filters": 32, "output_convolution": True,
                 "d_base_filters": 64, "d_normalization": "none", "r1_gamma": 0.1,
                 "r1_every": 4, "g_learning_rate": 1e-3, "d_learning_rate": 1e-3,
                 "beta_1": 0.0, "beta_2": 0.99}

PRESETS = {preset.name: preset for preset in (
    _dcgan_preset("dcgan-mnist", (28, 28, 1), datasets.EMBEDDED_MNIST,
                  "DCGAN (Radford et al. 2016) for 28x28 grayscale digits, self-conditioned "
                  "on 100 pixel clusters (no labels)",
                  **{**_MNIST_RECIPE, "g_learning_rate": 2.5e-4}, clusters=100),
    _dcgan_preset("dcgan-cifar10", (32, 32, 3), "cifar10", "DCGAN for 32x32 RGB images"),
    _dcgan_preset("dcgan-64", (64, 64, 3), "celeb_a",
                  "DCGAN for 64x64 RGB images (the paper's resolution)"),
    Preset("wgan-gp-mnist", "WGAN-GP (Gulrajani et al. 2017): DCGAN G, layer-norm critic, "
           "GP 10, 5 critic steps",
           {"dataset": datasets.EMBEDDED_MNIST, "batch_size": 64, "latent_dim": 64,
            "base_filters": 32, "d_steps": 5, "ema_half_life": 10_000},
           _wgan_gp_mnist, _image_data((28, 28, 1))),
    Preset("sngan-cifar10", "SNGAN (Miyato et al. 2018): ResNet G/D, spectral norm, hinge, "
           "5 D steps",
           {"dataset": "cifar10", "batch_size": 64, "latent_dim": 128, "base_filters": None,
            "d_steps": 5, "ema_half_life": None, "self_attention": None},
           _sngan_cifar10, _image_data((32, 32, 3))),
    Preset("cgan-mnist", "class-conditional DCGAN with a projection discriminator "
           "(Miyato & Koyama 2018) for MNIST digits",
           # 99.1% label accuracy, MNIST FID 1.01 in 15 epochs (RESULTS).
           _dcgan_config(datasets.EMBEDDED_MNIST, **_MNIST_RECIPE),
           _cgan_mnist, _image_data((28, 28, 1), labels=True)),
    Preset("pix2pix-facades", "Pix2Pix (Isola et al. 2017): U-Net + PatchGAN on a folder of "
           "side-by-side pairs (train/, test/)",
           {"dataset": None, "batch_size": 1, "image_size": 256, "base_filters": 64,
            "max_filters": 512, "l1_weight": 100.0, "input_side": "right"},
           _pix2pix, _pix2pix_data, _pix2pix_sample_inputs),
    Preset("cyclegan-horse2zebra", "CycleGAN (Zhu et al. 2017): ResNet G, PatchGAN D, LSGAN, "
           "cycle 10, on a folder with trainA/, trainB/, testA/",
           {"dataset": None, "batch_size": 1, "image_size": 256, "base_filters": 64,
            "num_blocks": 9, "upsampling": "transposed", "pool_size": 50,
            "learning_rate": 2e-4, "cycle_weight": 10.0, "identity_weight": 0.5},
           _cyclegan, _cyclegan_data, _cyclegan_sample_inputs),
    # The paper's 128x128 with a 64x64 hole, at 64x64 (a 32x32 hole) to train on a CPU.
    Preset("inpainting-center", "Context Encoders (Pathak et al. 2016): fill the central "
           "square of any folder or TFDS images (--dataset)",
           {"dataset": None, "batch_size": 32, "image_size": 64, "hole_size": 0.5,
            "base_filters": 64, "local_discriminator": False, "learning_rate": 2e-4,
            "reconstruction_weight": 0.999, "adversarial_weight": 0.001},
           _inpainting, _inpainting_data, _inpainting_sample_inputs),
    # Ledig et al. 2017: 96x96 crops, batch 16, Adam(1e-4, 0.9), 16 blocks, 1e-3. The paper
    # trains SRGAN from a pretrained SRResNet: run `--set pretrain=true` first, then
    # `--set init_generator=RUN/generator.keras`. `vgg_weights` ("imagenet" or a local
    # notop .h5) adds the VGG54 loss; the paper's SRGAN-VGG54 also sets pixel_weight=0.
    Preset("srgan-x4", "SRGAN (Ledig et al. 2017): ×4 SRResNet + VGG-style D on HR crops of a "
           "folder (train/, test/) or TFDS name",
           {"dataset": None, "batch_size": 16, "scale": 4, "hr_size": 96, "num_blocks": 16,
            "filters": 64, "d_filters": 64, "learning_rate": 1e-4, "pixel_loss": "mse",
            "pixel_weight": 1.0, "adversarial_weight": 1e-3, "pretrain": False,
            "vgg_weights": None, "init_generator": None, "pair_side": None},
           _srgan, _srgan_data, _srgan_sample_inputs),
    Preset("mixture-2d", "MLP GAN on a 2D Gaussian mixture (grid25 or ring8): lazy R1, "
           "LR decay, EMA (benchmarks/mixture_modes.py)",
           {"dataset": "grid25", "batch_size": 512, "scale": 4.0, "ema_decay": 0.999},
           _mixture_2d, _mixture_data, images=False),
    _stylegan_preset("stylegan-mnist", (32, 32, 1), datasets.EMBEDDED_MNIST,
                     "StyleGAN2 (Karras et al. 2020) for MNIST digits padded to 32x32",
                     _padded_mnist, r1_gamma=0.1, base_filters=16, max_filters=128),
    _stylegan_preset("stylegan-cifar10", (32, 32, 3), "cifar10",
                     "StyleGAN2 (Karras et al. 2020) for 32x32 RGB images",
                     _image_data((32, 32, 3)), r1_gamma=0.01, base_filters=32,
                     max_filters=256),
    # StackGAN's c and KL weight (128, 1) scaled down for 28x28 digits; this library's
    # sizes for MNIST (benchmarks/text_to_image_mnist.py). AttnGAN's DAMSM weight 5 (CUB)
    # and its generator reading captions with the DAMSM text encoder, frozen; the
    # matcher's 1500 steps are about five passes over the digits (its text encoder finds
    # the digit of 98% of the held-out "an image of ..." captions, 96% after 600 steps).
    # Lazy R1 (γ 0.2 every 4) lifted every text-following measure (benchmarks/RESULTS.md).
    Preset("text2image-mnist", "text-to-image GAN (GAN-CLS + conditioning augmentation + "
           "a DAMSM-style matcher term, Reed et al. 2016, Zhang et al. 2017, Xu et al. 2018) "
           "on captioned MNIST",
           {"dataset": CAPTIONED_MNIST, "batch_size": 64, "latent_dim": 64,
            "condition_dim": 32, "max_length": 12, "embedding_dim": 32, "text_units": 64,
            "base_filters": 32, "stages": 1, "word_attention": False, "kl_weight": 1.0,
            "captions_per_image": 5, "ema_half_life": 10_000, "r1_gamma": 0.2,
            "r1_every": 4, "augment": None, "matching_weight": 5.0, "matcher_steps": 1500,
            "matcher_text_encoder": True},
           _text2image, _text2image_data),
)}


def get(name):
    """Returns the `Preset` called `name`."""
    if name not in PRESETS:
        raise ValueError(f"Unknown preset. Expected one of {sorted(PRESETS)}. "
                         f"Received: preset={name!r}")
    return PRESETS[name]
