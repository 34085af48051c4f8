"""Argument checks shared by the callbacks."""


def check_int_at_least(name, value, minimum=1):
    """Returns `int(value)`, raising if it is below `minimum`."""
    if int(value) != value or int(value) < minimum:
        raise ValueError(f"`{name}` must be an integer >= {minimum}. "
                         f"Received: {name}={value}")
    return int(value)
