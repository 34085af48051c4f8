"""Learning-rate schedules for GAN optimizers."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="tfgan")
class LinearDecay(keras.optimizers.schedules.LearningRateSchedule):
    """Constant learning rate, then a linear decay to zero.

    `lr(step) = initial_learning_rate · min(1, (total_steps - step) / decay_steps)`, clipped
    at 0, where `total_steps = constant_steps + decay_steps`. CycleGAN trains 100 epochs at
    2e-4 then decays linearly to zero over 100 more (Zhu et al. 2017): pass
    `constant_steps = decay_steps = 100 · steps_per_epoch`. An optimizer schedule, so it
    follows the optimizer's own `iterations` (Keras' `LearningRateScheduler` callback
    only acts on `model.optimizer`, which a GAN does not use).

    Args:
        initial_learning_rate: rate of the constant phase.
        constant_steps: steps at the initial rate.
        decay_steps: steps of the linear decay to 0 (must be positive).
    """

    def __init__(self, initial_learning_rate, constant_steps, decay_steps):
        if int(decay_steps) < 1 or int(constant_steps) < 0:
            raise ValueError("`decay_steps` must be positive and `constant_steps` "
                             f"non-negative. Received: constant_steps={constant_steps}, "
                             f"decay_steps={decay_steps}")
        self.initial_learning_rate = float(initial_learning_rate)
        self.constant_steps = int(constant_steps)
        self.decay_steps = int(decay_steps)

    def __call__(self, step):
        step = ops.cast(step, "float32")
        remaining = (self.constant_steps + self.decay_steps - step) / self.decay_steps
        return self.initial_learning_rate * ops.clip(remaining, 0.0, 1.0)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "constant_steps": self.constant_steps, "decay_steps": self.decay_steps}
