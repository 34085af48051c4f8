"""The stabilizer protocol: four places where a tfgan model lets an object change training.

Every tfgan model (`tfgan.models.AdversarialModel` and its subclasses) takes a list of
stabilizers in `compile(stabilizers=[...])`. Each has a `hook` naming where it acts:

| hook | called as | examples |
| --- | --- | --- |
| `"discriminator_input"` | `transform(images, seed, step) -> images`, on real and fake images before D, in D and G updates (differentiably) | `tfgan.augment.DiffAugment`, `InstanceNoise` |
| `"discriminator_regularizer"` | `stabilizer(discriminate, real, fake, seed) -> (loss, logs)` inside D's tape | `tfgan.penalties.GradientPenalty`, `R1Penalty`, `R2Penalty` |
| `"generator_regularizer"` | `generator_term(model, real, fake, latents) -> (loss, logs)` inside G's tape | `FeatureMatching`, `PathLengthPenalty` |
| `"after_update"` | `after_update(model, network)` after each `"discriminator"` / `"generator"` update | `WeightClipping` |

A `"discriminator_input"` stabilizer may also define `observe(real_logits) -> logs`: models
with `OBSERVES_REAL_LOGITS` (`GAN` and its subclasses) call it after each discriminator
update with D's adversarial logits on the transformed real images (adaptive `DiffAugment`).

`loss` terms are already divided by the number of replicas (Keras optimizers sum
gradients over replicas); `logs` hold unscaled values under the names in `metric_names`,
each of which becomes a tracker of the model. `bind(model)` runs at compile time and
raises when the stabilizer cannot serve that model. A lazy generator regularizer (`every >
1` and `is_active(iteration)`) logs with weight 0 on the generator updates it skips.
"""

HOOKS = ("discriminator_input", "discriminator_regularizer", "generator_regularizer",
         "after_update")


class Stabilizer:
    """Base class of tfgan's stabilizers (not a layer: most own no variables).

    Subclasses set `hook` (one of `HOOKS`), implement that hook's method, and
    `get_config`; registration with `keras.saving.register_keras_serializable` makes them
    part of a model's compile config.
    """

    hook = None
    # A generator regularizer that reads the real images (after the discriminator-input
    # transforms) sets this, so the model transforms them in the generator update too.
    needs_real = False

    @property
    def metric_names(self):
        """Names of the values this stabilizer logs (keys of its `logs`)."""
        return []

    def bind(self, model):
        """Checks, at `compile`, that this stabilizer can serve `model`."""
        del model

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"
