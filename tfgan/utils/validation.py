"""Argument checks shared by the whole library, with errors in Keras' format."""

import numbers


def check_positive_int(name, value, minimum=1):
    """Returns `value` as an int, or raises naming the argument.

    Args:
        name: the argument's name, for the message.
        value: what was passed (a bool is not an integer here).
        minimum: the smallest allowed value. Default 1.

    Raises:
        ValueError: if `value` is not an integer `>= minimum`.
    """
    if (isinstance(value, bool) or not isinstance(value, numbers.Real)
            or int(value) != value or int(value) < minimum):
        expected = "a positive integer" if minimum == 1 else f"an integer >= {minimum}"
        raise ValueError(f"`{name}` must be {expected}. Received: {name}={value!r}")
    return int(value)


def check_non_negative(name, value):
    """Returns `value` as a float, or raises naming the argument when it is not a
    non-negative number."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = None
    if isinstance(value, bool) or number is None or not number >= 0:
        raise ValueError(f"`{name}` must be a non-negative number. Received: {name}={value!r}")
    return number
