"""Argument checks shared across tfgan: one helper per kind of check."""

import numbers


def check_positive_int(name, value):
    """Returns `int(value)` when `value` is an integer >= 1, and raises otherwise.

    Args:
        name: the argument's name as the caller knows it (`"batch_size"`, `"--epochs"`).
        value: the value to check. Integral floats such as `2.0` are accepted; booleans
            are not.

    Returns:
        `value` as a Python `int`.

    Raises:
        ValueError: when `value` is not an integer or is below 1.
    """
    integral = (isinstance(value, numbers.Integral)
                or (isinstance(value, numbers.Real) and float(value).is_integer()))
    if isinstance(value, bool) or not integral or value < 1:
        raise ValueError(f"`{name}` must be a positive integer. Received: {name}={value!r}")
    return int(value)
