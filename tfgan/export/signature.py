"""What a generator takes and returns, for export: latent, conditional, image-to-image,
style-based (`z` + `truncation_psi`, and the style-mixing `z` + `z_mix` + `crossover`),
inpainting (`image` + `mask`), or text-conditional (`z` + `text` strings, and `z` +
`tokens` ids for ONNX)."""

import dataclasses

import keras
import tensorflow as tf

LATENT = "latent"
CONDITIONAL = "conditional"
IMAGE = "image"
STYLE = "style"
MIX = "mix"
INPAINT = "inpaint"
TEXT = "text"
TOKENS = "tokens"
# Style-based, inpainting and text generators are recognized by their inputs' names (and
# take these dtypes).
_NAMED_KINDS = {STYLE: (("z", tf.float32), ("truncation_psi", tf.float32)),
                MIX: (("z", tf.float32), ("z_mix", tf.float32), ("crossover", tf.int32)),
                INPAINT: (("image", tf.float32), ("mask", tf.float32)),
                TEXT: (("z", tf.float32), ("text", tf.string)),
                TOKENS: (("z", tf.float32), ("tokens", tf.int32))}


@dataclasses.dataclass(frozen=True)
class GeneratorSignature:
    """The serving interface of a generator.

    Attributes:
        kind: `"latent"` (`z` → images), `"conditional"` (`z`, `label` → images),
            `"image"` (`image` → images), `"style"` (`z`, `truncation_psi` → images),
            `"mix"` (`z`, `z_mix`, `crossover` → images), `"inpaint"` (`image`, `mask`
            → completed images), `"text"` (`z`, `text` strings → images) or `"tokens"`
            (`z`, `tokens` int32 ids → images).
        input_specs: named `tf.TensorSpec`s with a dynamic batch axis: `(z,)`,
            `(z, label)`, `(image,)`, `(z, truncation_psi)` or `(z, z_mix, crossover)`.
        image_shape: shape of one output image.
        generator_order: the input names in the order the generator takes them.
    """

    kind: str
    input_specs: tuple
    image_shape: tuple
    generator_order: tuple

    @property
    def input_names(self):
        return tuple(spec.name for spec in self.input_specs)

    @property
    def latent_dim(self):
        return self.input_specs[0].shape[-1] if self.input_specs[0].name == "z" else None

    def as_json(self):
        return {
            "kind": self.kind,
            "inputs": {spec.name: {"shape": [None, *spec.shape[1:]], "dtype": spec.dtype.name}
                       for spec in self.input_specs},
            "image_shape": list(self.image_shape),
        }


def _shape(tensor):
    return tuple(None if d is None else int(d) for d in tensor.shape)


def describe(generator):
    """Works out a functional generator's `GeneratorSignature` from its inputs.

    Args:
        generator: a built Keras model with symbolic inputs: one `(batch, latent_dim)`
            latent; a latent and an integer label `(batch,)` or `(batch, 1)`; or one image
            `(batch, height, width, channels)`.

    Returns:
        A `GeneratorSignature`.
    """
    inputs = getattr(generator, "inputs", None)
    outputs = getattr(generator, "outputs", None)
    if not inputs or not outputs or len(outputs) != 1:
        raise ValueError(
            "Export needs a functional generator with symbolic inputs and one output. "
            f"Received: generator={getattr(generator, 'name', generator)!r} with "
            f"{len(inputs or [])} inputs and {len(outputs or [])} outputs"
        )
    image_shape = _shape(outputs[0])[1:]
    shapes = [_shape(t) for t in inputs]
    dtypes = [keras.backend.standardize_dtype(t.dtype) for t in inputs]
    names = tuple(getattr(t, "name", None) for t in inputs)
    for kind, named in _NAMED_KINDS.items():
        if names == tuple(name for name, _ in named):
            specs = tuple(tf.TensorSpec((None, *shape[1:]), dtype, name=name)
                          for shape, (name, dtype) in zip(shapes, named))
            return GeneratorSignature(kind, specs, image_shape, names)
    if len(inputs) == 1 and len(shapes[0]) == 2:
        return GeneratorSignature(
            LATENT, (tf.TensorSpec((None, shapes[0][1]), tf.float32, name="z"),), image_shape,
            ("z",))
    if len(inputs) == 1 and len(shapes[0]) == 4:
        return GeneratorSignature(
            IMAGE, (tf.TensorSpec((None, *shapes[0][1:]), tf.float32, name="image"),),
            image_shape, ("image",))
    if len(inputs) == 2:
        specs = []
        for shape, dtype in zip(shapes, dtypes):
            if len(shape) == 2 and "float" in dtype:
                specs.append(tf.TensorSpec((None, shape[1]), tf.float32, name="z"))
            else:
                specs.append(tf.TensorSpec((None, *shape[1:]), tf.int32, name="label"))
        order = tuple(spec.name for spec in specs)
        if sorted(order) == ["label", "z"]:
            specs = sorted(specs, key=lambda spec: spec.name != "z")
            return GeneratorSignature(CONDITIONAL, tuple(specs), image_shape, order)
    raise ValueError(
        "Cannot tell the generator's kind from its inputs. Expected a latent (batch, d); a "
        "latent and an integer label; or an image (batch, h, w, c). "
        f"Received: input shapes={shapes}, dtypes={dtypes}"
    )


def to_uint8(images):
    """[-1, 1] floats → displayable uint8 (round to nearest, clipped), as a TF op."""
    return tf.cast(tf.clip_by_value(tf.round((images + 1.0) * 127.5), 0.0, 255.0), tf.uint8)


def _endpoint(kind, run, transform):
    """A function whose argument names are the serving input names of `kind`."""
    if kind == LATENT:
        def endpoint(z):
            return {"images": transform(run(z=z))}
    elif kind == IMAGE:
        def endpoint(image):
            return {"images": transform(run(image=image))}
    elif kind == STYLE:
        def endpoint(z, truncation_psi):
            return {"images": transform(run(z=z, truncation_psi=truncation_psi))}
    elif kind == INPAINT:
        def endpoint(image, mask):
            return {"images": transform(run(image=image, mask=mask))}
    elif kind == MIX:
        def endpoint(z, z_mix, crossover):
            return {"images": transform(run(z=z, z_mix=z_mix, crossover=crossover))}
    elif kind == TEXT:
        def endpoint(z, text):
            return {"images": transform(run(z=z, text=text))}
    elif kind == TOKENS:
        def endpoint(z, tokens):
            return {"images": transform(run(z=z, tokens=tokens))}
    else:
        def endpoint(z, label):
            return {"images": transform(run(z=z, label=label))}
    return endpoint


def serving_functions(generator, signature):
    """Returns `{name: function}` for the float and uint8 serving signatures.

    `serving_default` returns `{"images": float32 in [-1, 1]}`; `generate_uint8` returns
    `{"images": uint8 in [0, 255]}`. Both take the signature's named inputs (`z`,
    `z` + `label`, `image`, `z` + `truncation_psi`, `z` + `z_mix` + `crossover`, or
    `image` + `mask`) and run the generator in inference mode.
    """
    def run(**named):
        ordered = [named[name] for name in signature.generator_order]
        return tf.cast(generator(ordered if len(ordered) > 1 else ordered[0], training=False),
                       tf.float32)

    return {
        "serving_default": _endpoint(signature.kind, run, lambda images: images),
        "generate_uint8": _endpoint(signature.kind, run, to_uint8),
    }
