"""StyleGAN2 (Karras et al. 2019, 2020) on tfgan's adversarial core."""

import threading

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from tfgan.architectures.stylegan import MAPPING
from tfgan.architectures.stylegan import MAPPING_LAYER
from tfgan.architectures.stylegan import SYNTHESIS
from tfgan.layers.style_mixing import StyleMixing
from tfgan.layers.style_mixing import mix_styles
from tfgan.layers.truncation import Truncation
from tfgan.layers.truncation import truncate
from tfgan.models.gan import GAN
from tfgan.utils.batching import predict_in_batches
from tfgan.utils.seeds import stateless_seed
from tfgan.utils.validation import check_positive_int

_SALT_MIXING = 2_000_003
_MIXING_INDEX = 1_000  # call-index offset of the mixing latents' stream


def style_networks(generator):
    """`(mapping, synthesis, mapping_layer)` of a `style_generator`, or raises."""
    try:
        mapping = generator.get_layer(MAPPING)
        synthesis = generator.get_layer(SYNTHESIS)
        layer = mapping.get_layer(MAPPING_LAYER)
    except (ValueError, AttributeError):
        raise ValueError(
            "StyleGAN needs a generator built by `tfgan.architectures.style_generator` "
            f"(nested `{MAPPING}` and `{SYNTHESIS}` models). "
            f"Received: generator={getattr(generator, 'name', generator)!r}") from None
    return mapping, synthesis, layer


def _fraction(name, value, high_open=False):
    number = float(value)
    if not (0.0 <= number < 1.0 if high_open else 0.0 <= number <= 1.0):
        interval = "[0, 1)" if high_open else "[0, 1]"
        raise ValueError(f"`{name}` must be in {interval}. Received: {name}={value!r}")
    return number


def broadcast_styles(w, num_ws):
    """`(batch, w_dim)` → `(batch, num_ws, w_dim)`, one copy of `w` per layer. A broadcast
    product rather than `repeat`: its gradient has no tile, which XLA cannot compile inside
    the lazy regularizers' `cond`."""
    return w[:, None] * ops.ones((1, num_ws, 1), w.dtype)


@keras.saving.register_keras_serializable(package="tfgan")
class StyleGAN(GAN):
    """A StyleGAN2 (Karras et al. 2020) that trains with `fit`.

    A `tfgan.GAN` whose generator is a `tfgan.architectures.style_generator`: `z` → the
    mapping network → one style per layer of the synthesis network. On top of `GAN` it
    adds:

    - style mixing regularization (Karras et al. 2019, section 3.1): with probability
      `style_mixing`, a training batch takes the styles of layers `≥ k` from a second
      latent, `k` uniform in `[1, num_ws)`, so the network cannot assume adjacent styles
      are correlated;
    - the running average `w_avg` (in the mapping layer; `w_avg ← β·w_avg + (1 − β)·mean
      w` on every generator update, β = `w_avg_decay`) for the truncation trick, and the
      running path length `path_length_mean` of `tfgan.stabilizers.PathLengthPenalty`;
    - sampling in `W`: `generate(..., truncation_psi, truncation_cutoff)`, `style_mix`,
      `styles` / `synthesize`; export models `serving_generator` (`z`, `truncation_psi`)
      and `mixing_generator` (`z`, `z_mix`, `crossover`).

    The StyleGAN2 recipe: `compile(loss="non_saturating", stabilizers=[R1Penalty(gamma,
    every=16), PathLengthPenalty()])`, Adam(0.0025, β = (0, 0.99)) with the lazy-rate
    correction, `ema_decay` for a 10k-image half-life (`tfgan.presets` `stylegan-*`).

    Args:
        generator: a `tfgan.architectures.style_generator` model.
        discriminator: images → logits (`style_discriminator`).
        latent_dim: size of `z`; `None` reads it from the generator.
        style_mixing: probability of mixing a training batch. Default 0.9
            (Karras et al. 2020); 0 disables it.
        w_avg_decay: β of `w_avg`. Default 0.995 (Karras et al. 2020).
        seed, ema_decay, **kwargs: see `tfgan.GAN`.
    """

    def __init__(self, generator, discriminator, latent_dim=None, style_mixing=0.9,
                 w_avg_decay=0.995, seed=None, ema_decay=None, **kwargs):
        style_networks(generator)
        super().__init__(generator, discriminator, latent_dim=latent_dim, seed=seed,
                         ema_decay=ema_decay, **kwargs)
        self.style_mixing = _fraction("style_mixing", style_mixing)
        self.w_avg_decay = _fraction("w_avg_decay", w_avg_decay, high_open=True)
        self.mapping, self.synthesis, self._mapping_layer = style_networks(generator)
        self.num_ws = int(self.synthesis.input.shape[1])
        self.w_dim = int(self.synthesis.input.shape[2])
        self.path_length_mean = self.add_weight(
            shape=(), initializer="zeros", trainable=False, name="path_length_mean",
            aggregation="mean")
        # Generator calls of the current train step (D updates, then the G update), per
        # thread: under tf.distribute each replica's step is traced in its own thread.
        self._step_calls = threading.local()

    @property
    def w_avg(self):
        """The running average of `w` (a non-trainable weight of the mapping layer; the
        EMA generator holds a copy)."""
        return self._mapping_layer.w_avg

    # ------------------------------------------------------------------ training

    def styles(self, latents, training=True):
        """`w = mapping(z)` broadcast to one style per layer: `(batch, num_ws, w_dim)`."""
        w = self.mapping(latents, training=training)
        return broadcast_styles(w, self.num_ws)

    def train_step(self, data):
        self._step_calls.count = 0
        return super().train_step(data)

    def generator_call(self, latents, labels, training=True):
        """The synthesis network on the styles of `latents`; in training, the generator
        update's `w` feeds `w_avg` and batches are style-mixed."""
        del labels
        if not training:
            return self.synthesis(self.styles(latents, training=False), training=False)
        index = getattr(self._step_calls, "count", 0)
        self._step_calls.count = index + 1
        w = self.mapping(latents, training=True)
        if index == getattr(self, "d_steps", 1):  # the generator update
            self._mapping_layer.update_w_avg(ops.stop_gradient(w), self.w_avg_decay)
        ws = broadcast_styles(w, self.num_ws)
        if self.style_mixing > 0:
            ws = self._mix(ws, ops.shape(latents)[0], index)
        return self.synthesis(ws, training=True)

    def _mix(self, ws, batch_size, index):
        """StyleGAN2's mixing: one crossover for the batch, `num_ws` (none) with
        probability `1 − style_mixing`."""
        ws_mix = self.styles(self.training_latents(batch_size, _MIXING_INDEX + index))
        draw = tf.random.stateless_uniform(
            (2,), stateless_seed(self.seed, _SALT_MIXING, self.step, index))
        crossover = 1 + ops.cast(draw[1] * (self.num_ws - 1), "int32")
        crossover = ops.where(draw[0] < self.style_mixing, crossover, self.num_ws)
        return mix_styles(ws, ws_mix, crossover)

    # ------------------------------------------------------------------ sampling

    def map_latents(self, latents, truncation_psi=1.0, truncation_cutoff=None,
                    batch_size=256):
        """The (truncated) styles `(n, num_ws, w_dim)` of `latents`, by the sampling
        generator (EMA when on), as a float32 numpy array."""
        mapping, _, layer = style_networks(self.sampling_generator)
        w = predict_in_batches(mapping, np.asarray(latents, "float32"), batch_size)
        ws = np.repeat(w[:, None], self.num_ws, axis=1)
        if truncation_cutoff is not None:
            truncation_cutoff = check_positive_int("truncation_cutoff", truncation_cutoff)
        if float(truncation_psi) != 1.0:
            ws = np.asarray(truncate(ws, layer.w_avg, float(truncation_psi),
                                     truncation_cutoff), "float32")
        return ws

    def synthesize(self, ws, batch_size=256):
        """Images of styles `ws` `(n, num_ws, w_dim)` by the sampling synthesis network."""
        ws = np.asarray(ws, "float32")
        if ws.ndim != 3 or ws.shape[1:] != (self.num_ws, self.w_dim):
            raise ValueError(f"`ws` must have shape (n, {self.num_ws}, {self.w_dim}). "
                             f"Received: ws.shape={ws.shape}")
        _, synthesis, _ = style_networks(self.sampling_generator)
        return predict_in_batches(synthesis, ws, batch_size)

    def generate(self, n=None, seed=0, latents=None, batch_size=256, truncation_psi=1.0,
                 truncation_cutoff=None):
        """Generates images in inference mode, optionally with the truncation trick.

        Args:
            n, seed, latents, batch_size: see `tfgan.GAN.generate`.
            truncation_psi: ψ: styles become `w_avg + ψ·(w − w_avg)` (Karras et al.
                2019, after Brock et al. 2019). 1 (default) is plain sampling; 0 gives the
                image of `w_avg` for every latent; 0.5-0.7 trades variety for quality.
            truncation_cutoff: truncate only the first this many layers (coarse styles);
                `None` (default) all.

        Returns:
            A float32 numpy array `(n, *image_shape)` in [-1, 1].
        """
        latents = self.checked_latents(n, seed, latents)
        return self.synthesize(
            self.map_latents(latents, truncation_psi, truncation_cutoff, batch_size),
            batch_size)

    def style_mix(self, source_seeds, target_seeds, layers, truncation_psi=1.0):
        """StyleGAN's style-mixing grid (Karras et al. 2019, Fig. 3).

        Row 0 holds the images of `source_seeds` (after a blank corner), column 0 those of
        `target_seeds`; cell `(i, j)` is target `i` with the styles of `layers` taken from
        source `j`. Layers `0 … 3` ("coarse") carry pose and shape, the last ones colour.
        The latent of seed `s` is `sample_latents(1, s)[0]`.

        Args:
            source_seeds, target_seeds: lists of integer seeds.
            layers: indices of the styles taken from the sources, e.g. `range(0, 4)`.
            truncation_psi: ψ for every image.

        Returns:
            `(1 + len(target_seeds)) · (1 + len(source_seeds))` images in [-1, 1], row by
            row (for `tfgan.utils.images.save_grid(images, rows=1 + len(target_seeds))`);
            the corner is -1 (black).
        """
        layers = sorted({int(k) for k in layers})
        if not layers or layers[0] < 0 or layers[-1] >= self.num_ws:
            raise ValueError(f"`layers` must be style indices in [0, {self.num_ws}). "
                             f"Received: layers={layers}")

        def styles_of(seeds):
            if len(seeds) == 0:
                raise ValueError(f"Seeds must be a non-empty list. Received: seeds={seeds}")
            latents = np.concatenate([self.sample_latents(1, int(s)) for s in seeds])
            return self.map_latents(latents, truncation_psi)

        source, target = styles_of(list(source_seeds)), styles_of(list(target_seeds))
        mixed = np.repeat(target[:, None], len(source), axis=1)  # (T, S, num_ws, w_dim)
        mixed[:, :, layers] = source[None, :, layers]
        images = self.synthesize(np.concatenate([source, target, mixed.reshape(
            -1, self.num_ws, self.w_dim)]))
        shape = images.shape[1:]
        grid = np.full((1 + len(target), 1 + len(source), *shape), -1.0, "float32")
        grid[0, 1:] = images[:len(source)]
        grid[1:, 0] = images[len(source):len(source) + len(target)]
        grid[1:, 1:] = images[len(source) + len(target):].reshape(
            len(target), len(source), *shape)
        return grid.reshape(-1, *shape)

    # ------------------------------------------------------------------ export

    def _sampling_parts(self):
        mapping, synthesis, layer = style_networks(self.sampling_generator)
        z = keras.Input((self.latent_dim,), name="z")
        return mapping, synthesis, layer, z

    def _broadcast(self, w):
        return keras.layers.RepeatVector(self.num_ws)(w)

    @property
    def serving_generator(self):
        """A functional model `(z, truncation_psi) → images` for export (`truncation_psi`
        `(batch,)`: 1 is plain sampling), on the sampling generator's weights, with a copy
        of the current `w_avg`. Inference noise is each layer's constant map, so the
        exported outputs are deterministic."""
        mapping, synthesis, layer, z = self._sampling_parts()
        psi = keras.Input((), name="truncation_psi")
        truncation = Truncation(self.w_dim, name="truncation")
        ws = truncation([self._broadcast(mapping(z)), psi])
        truncation.w_avg.assign(layer.w_avg)
        return keras.Model([z, psi], synthesis(ws), name="style_generator")

    @property
    def mixing_generator(self):
        """A functional model `(z, z_mix, crossover) → images`: styles of layers
        `< crossover` from `z`, the others from `z_mix` (`crossover` int32 `(batch,)`)."""
        mapping, synthesis, _, z = self._sampling_parts()
        z_mix = keras.Input((self.latent_dim,), name="z_mix")
        crossover = keras.Input((), dtype="int32", name="crossover")
        ws = StyleMixing(name="style_mixing")(
            [self._broadcast(mapping(z)), self._broadcast(mapping(z_mix)), crossover])
        return keras.Model([z, z_mix, crossover], synthesis(ws), name="mixing_generator")

    @property
    def serving_endpoints(self):
        """Extra SavedModel signatures of an export: `{"mix": mixing_generator}`."""
        return {"mix": self.mixing_generator}

    def get_config(self):
        config = super().get_config()
        config.update({"style_mixing": self.style_mixing, "w_avg_decay": self.w_avg_decay})
        return config
