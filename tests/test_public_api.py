"""Walks the public API: every public class is registered for serialization."""

import inspect

import keras

import tfgan

SUBPACKAGES = [getattr(tfgan, name) for name in dir(tfgan)
               if inspect.ismodule(getattr(tfgan, name))]
SAVEABLE = (keras.layers.Layer, keras.losses.Loss, keras.callbacks.Callback,
            keras.metrics.Metric, keras.optimizers.Optimizer)


def public_classes():
    for module in [tfgan, *SUBPACKAGES]:
        for name in dir(module):
            obj = getattr(module, name)
            if not name.startswith("_") and inspect.isclass(obj) and issubclass(obj, SAVEABLE):
                yield obj


def test_public_classes_are_registered():
    classes = set(public_classes())
    assert tfgan.GAN in classes and tfgan.losses.HingeLoss in classes
    for cls in classes:
        name = keras.saving.get_registered_name(cls)
        assert name == f"tfgan>{cls.__name__}", cls


def test_version():
    assert tfgan.__version__.count(".") == 2
