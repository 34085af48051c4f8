"""Training curves drawn with Pillow (no matplotlib dependency)."""

import csv
import json
import math
import pathlib

import numpy as np
from PIL import Image
from PIL import ImageDraw
from PIL import ImageFont

from tfgan.utils.io import atomic_write_bytes

COLORS = ((31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189),
          (140, 86, 75))
# Keys drawn together in one panel; any other key gets a panel of its own.
GROUPS = (("d_loss", "g_loss"), ("real_score", "fake_score"),
          ("d_real_accuracy", "d_fake_accuracy", "d_win_rate"), ("d_grad_norm", "g_grad_norm"))
# `GANHealth`'s 0/1 warning flags are not drawn: the report names what they flag. Nor is
# `TimeBudget`'s running `train_seconds`, the sum of its `epoch_seconds` (drawn).
HIDDEN_PREFIX = "warn_"
HIDDEN_KEYS = ("epoch", "train_seconds")
MARKER_COLOR = (200, 0, 0)  # vertical lines at the epochs the report names
PANEL_SIZE = (360, 220)
MARGIN = (48, 22, 12, 28)  # left, top, right, bottom


def read_history(path):
    """Reads a history: a `CSVLogger` file or a JSON dict of lists (`History.history`).

    Returns:
        A dict `{key: list of floats}`; a CSV's `epoch` column becomes the `epoch` key.
        A CSV column empty or `NA` in every row is left out: `CSVLogger` writes one
        `val_` column per metric even when the run had no validation data.
    """
    path = pathlib.Path(path)
    if path.suffix == ".json":
        data = json.loads(path.read_text())
        return {k: [float(v) for v in values] for k, values in data.items()}
    with path.open(newline="") as f:
        rows = list(csv.DictReader(f))
    history = {}
    for row in rows:
        for key, value in row.items():
            history.setdefault(key, []).append(_to_float(value))
    return {key: values for key, values in history.items()
            if not all(math.isnan(v) for v in values)}


def _to_float(value):
    """A CSV cell as a float; empty cells and CSVLogger's `NA` become NaN."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def panels(history):
    """Groups history keys into panels: losses, D scores, D accuracy and win rate,
    gradient norms, then one panel per other key (e.g. `diversity`, `fid`).

    A validation key (`val_<key>`) joins the panel of `<key>`; keys without any finite
    value (e.g. CSVLogger's `NA` columns), `GANHealth`'s `warn_*` flags and
    `train_seconds` are left out.
    """
    keys = [k for k in history if k not in HIDDEN_KEYS and not k.startswith(HIDDEN_PREFIX)
            and np.isfinite(np.asarray(history[k], dtype="float64")).any()]
    base = lambda k: k[4:] if k.startswith("val_") and k[4:] in history else k  # noqa: E731
    out = [[k for k in group if k in keys] for group in GROUPS]
    grouped = {k for group in GROUPS for k in group}
    out += [[k] for k in keys if k not in grouped and base(k) == k]
    out = [group + [k for k in keys if base(k) != k and base(k) in group] for group in out]
    return [p for p in out if p]


def _fmt(value):
    return f"{value:.3g}"


def draw_panel(series, epochs, size=PANEL_SIZE, markers=()):
    """One panel: each series of `{name: values}` against `epochs`, with a legend, and a
    dashed vertical line at each epoch of `markers` within the range.

    Returns:
        `(image, to_pixel)`: an RGB `PIL.Image` and the function mapping
        `(epoch, value)` to pixel coordinates.
    """
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default()
    left, top, right, bottom = MARGIN
    x0, y0, x1, y1 = left, top, size[0] - right, size[1] - bottom
    values = np.array([v for vs in series.values() for v in vs], dtype="float64")
    values = values[np.isfinite(values)]
    low, high = (float(values.min()), float(values.max())) if values.size else (0.0, 1.0)
    if high - low < 1e-12:
        low, high = low - 0.5, high + 0.5
    e_low, e_high = float(min(epochs)), float(max(epochs))
    if e_high == e_low:
        e_low, e_high = e_low - 0.5, e_high + 0.5

    def to_pixel(epoch, value):
        return (x0 + (epoch - e_low) / (e_high - e_low) * (x1 - x0),
                y1 - (value - low) / (high - low) * (y1 - y0))

    draw.rectangle((x0, y0, x1, y1), outline=(0, 0, 0))
    draw.text((2, y0), _fmt(high), fill=(0, 0, 0), font=font)
    draw.text((2, y1 - 10), _fmt(low), fill=(0, 0, 0), font=font)
    draw.text((x0, y1 + 4), _fmt(e_low), fill=(0, 0, 0), font=font)
    draw.text((x1 - 24, y1 + 4), _fmt(e_high), fill=(0, 0, 0), font=font)
    draw.text(((x0 + x1) // 2 - 14, y1 + 4), "epoch", fill=(0, 0, 0), font=font)
    for marker in markers:
        if e_low <= marker <= e_high:
            x = to_pixel(marker, low)[0]
            for y in range(int(y0) + 1, int(y1), 6):
                draw.line((x, y, x, min(y + 3, y1 - 1)), fill=MARKER_COLOR)
    legend_x = x0
    for i, (name, vs) in enumerate(series.items()):
        color = COLORS[i % len(COLORS)]
        points = [to_pixel(e, v) for e, v in zip(epochs, vs) if np.isfinite(v)]
        if len(points) == 1:
            x, y = points[0]
            draw.ellipse((x - 2, y - 2, x + 2, y + 2), fill=color)
        elif points:
            draw.line(points, fill=color, width=2)
        draw.rectangle((legend_x, 6, legend_x + 10, 14), fill=color)
        draw.text((legend_x + 14, 4), name, fill=(0, 0, 0), font=font)
        legend_x += 20 + 7 * len(name)
    return image, to_pixel


def plot_history(history, columns=2, markers=()):
    """Draws every curve of a history into one RGB image (panels in a grid).

    Args:
        history: `{key: values}` (e.g. `History.history` or `read_history(...)`); an
            `epoch` key gives the x values (default 1, 2, ...).
        columns: panels per row.
        markers: 1-based epochs marked by a dashed red line in every panel (the report
            marks where its health findings start).

    Returns:
        A `PIL.Image`.
    """
    groups = panels(history)
    if not groups:
        raise ValueError(f"`history` has no curves to draw. Received: keys={list(history)}")
    length = max(len(history[k]) for group in groups for k in group)
    epochs = history.get("epoch") or list(range(length))
    epochs = [e + 1 for e in epochs]  # Keras counts epochs from 0; show 1-based.
    rows = math.ceil(len(groups) / columns)
    cols = min(columns, len(groups))
    sheet = Image.new("RGB", (cols * PANEL_SIZE[0], rows * PANEL_SIZE[1]), "white")
    for i, group in enumerate(groups):
        panel, _ = draw_panel({k: history[k] for k in group}, epochs[:length],
                              markers=markers)
        sheet.paste(panel, ((i % cols) * PANEL_SIZE[0], (i // cols) * PANEL_SIZE[1]))
    return sheet


def save_loss_curves(history, path, columns=2, markers=()):
    """Draws `plot_history(history)` into a PNG at `path` (a history dict or file path)."""
    import io

    if isinstance(history, (str, pathlib.Path)):
        history = read_history(history)
    buffer = io.BytesIO()
    plot_history(history, columns=columns, markers=markers).save(buffer, format="PNG")
    return atomic_write_bytes(path, buffer.getvalue())
