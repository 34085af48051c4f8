"""What Pix2Pix and CycleGAN share: two optimizers, a loss pair, weights, serialization."""

import keras
from keras import ops

from tfgan import losses as losses_lib
from tfgan.models.gan import GAN
from tfgan.models.gan import _num_replicas
from tfgan.models.gan import xla_off_under_a_strategy

_FORBIDDEN = ("optimizer", "metrics", "loss_weights", "weighted_metrics")


class ImageToImageModel(keras.Model):
    """Base of the image-to-image GANs (not public): subclasses set `NETWORKS` (the
    constructor arguments that are sub-models), `BATCH` (names of the two batch
    elements, for errors) and the properties `generator_variables` /
    `discriminator_variables`, and call `_compile(...)` from `compile`."""

    NETWORKS = ()
    BATCH = ("inputs", "targets")

    def _check_networks(self, **networks):
        for arg, value in networks.items():
            if not isinstance(value, keras.Model):
                raise TypeError(f"`{arg}` must be a keras.Model. Received: {arg}={value!r}")
            setattr(self, arg, value)

    def _compile(self, g_optimizer, d_optimizer, loss, weights, kwargs):
        """Validates, compiles with `optimizer=None` and builds both optimizers.

        Args:
            weights: dict of non-negative float loss weights, stored as attributes and
                in the compile config.
        """
        name = type(self).__name__
        for key in _FORBIDDEN:
            if key in kwargs:
                raise ValueError(f"{name}.compile does not take `{key}`. "
                                 f"Received: {key}={kwargs[key]!r}")
        for arg, value in weights.items():
            if float(value) < 0:
                raise ValueError(f"`{arg}` must be non-negative. Received: {arg}={value}")
        xla_off_under_a_strategy(kwargs, stacklevel=4)
        super().compile(optimizer=None, **kwargs)
        self.loss_name = loss
        self.d_loss, self.g_loss = losses_lib.get_pair(loss)
        self._weight_names = tuple(weights)
        for arg, value in weights.items():
            setattr(self, arg, float(value))
        self.g_optimizer = GAN._resolve_optimizer(g_optimizer)
        self.d_optimizer = GAN._resolve_optimizer(d_optimizer)
        self.g_optimizer.build(self.generator_variables)
        self.d_optimizer.build(self.discriminator_variables)

    def get_compile_config(self):
        if not self.compiled:
            return None
        serialize = keras.saving.serialize_keras_object
        config = {
            "g_optimizer": serialize(self.g_optimizer),
            "d_optimizer": serialize(self.d_optimizer),
            "loss": self.loss_name,
            "run_eagerly": self.run_eagerly,
            "jit_compile": self.jit_compile,
            "steps_per_execution": self.steps_per_execution,
        }
        config.update({name: getattr(self, name) for name in self._weight_names})
        return config

    def compile_from_config(self, config):
        config = dict(config)
        for key in ("g_optimizer", "d_optimizer"):
            config[key] = keras.saving.deserialize_keras_object(config[key])
        self.compile(**config)

    def _unpack(self, data):
        first, second, sample_weight = keras.utils.unpack_x_y_sample_weight(data)
        if second is None or sample_weight is not None:
            a, b = self.BATCH
            raise ValueError(
                f"{type(self).__name__} trains on ({a}, {b}) image batches. Received: data "
                f"with {b}={'None' if second is None else 'given'} and "
                f"sample_weight={'None' if sample_weight is None else 'given'}"
            )
        return first, second

    def _log(self, values):
        """Feeds unscaled loss values to the trackers of the same name; returns the logs."""
        replicas = _num_replicas()
        trackers = {m.name: m for m in self.metrics}
        for name, value in values.items():
            trackers[name].update_state(ops.cast(value, "float32") * replicas)
        return {m.name: m.result() for m in self.metrics}

    def get_config(self):
        config = super().get_config()
        config.update({name: keras.saving.serialize_keras_object(getattr(self, name))
                       for name in self.NETWORKS})
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in cls.NETWORKS:
            config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)
