"""Feature matching: the generator matches the mean of a discriminator layer's features."""

import keras
from keras import ops

from tfgan.stabilizers.base import Stabilizer
from tfgan.utils.distribute import num_replicas


@keras.saving.register_keras_serializable(package="tfgan")
class FeatureMatching(Stabilizer):
    """G also minimizes `w · ‖E f(x) - E f(G(z))‖²` (Salimans et al. 2016), where `f` is
    the output of a layer of the discriminator, logged as `feature_matching`.

    Salimans et al. use feature matching alone; here it is added to the adversarial loss.

    Args:
        layer: name of a layer of the (functional, single-input) discriminator.
        weight: `w`. Default 1.
    """

    hook = "generator_regularizer"
    needs_real = True

    def __init__(self, layer, weight=1.0):
        if not isinstance(layer, str) or not layer:
            raise ValueError(f"`layer` must be a layer name. Received: layer={layer!r}")
        if not float(weight) >= 0:
            raise ValueError(f"`weight` must be non-negative. Received: weight={weight}")
        self.layer = layer
        self.weight = float(weight)
        self._features = None

    @property
    def metric_names(self):
        return ["feature_matching"]

    def bind(self, model):
        discriminator = getattr(model, "discriminator", None)
        inputs = getattr(discriminator, "inputs", None)
        try:
            if inputs is None or len(inputs) != 1:
                raise ValueError("the model needs one functional, single-input discriminator")
            output = discriminator.get_layer(self.layer).output
        except (ValueError, AttributeError, TypeError) as error:
            raise ValueError(
                "`FeatureMatching(layer)` must name a layer of a functional single-input "
                f"discriminator ({error}). Received: layer={self.layer!r}, "
                f"model={type(model).__name__}") from None
        self._features = keras.Model(inputs, output)

    def generator_term(self, model, real, fake, latents):
        """`(w·value / replicas, {"feature_matching": value})`."""
        del model, latents

        def mean_features(images):
            features = ops.cast(self._features(images, training=True), "float32")
            return ops.mean(ops.reshape(features, (ops.shape(features)[0], -1)), axis=0)

        value = ops.sum(ops.square(ops.stop_gradient(mean_features(real))
                                   - mean_features(fake)))
        return self.weight * value / num_replicas(), {"feature_matching": value}

    def get_config(self):
        return {"layer": self.layer, "weight": self.weight}
