"""Turns a training run directory into a small report: curves, last grid, metrics."""

import json
import math
import pathlib
import shutil

from tfgan.callbacks.health import health_findings
from tfgan.report.curves import read_history
from tfgan.report.curves import save_loss_curves

HISTORY_FILES = ("history.csv", "history.json")
FID_FILES = ("fid.jsonl",)
# Keys only `GANHealth` writes: their presence means health was measured.
HEALTH_KEYS = {"d_win_rate", "diversity", "d_real_accuracy"}


def _first(run_dir, names):
    for name in names:
        if (run_dir / name).exists():
            return run_dir / name
    return None


def _last_grid(run_dir):
    samples = run_dir / "samples"
    if (samples / "last.png").exists():
        return samples / "last.png"
    grids = sorted(samples.glob("*.png")) if samples.is_dir() else []
    return grids[-1] if grids else None


def make_report(run_dir, out_dir=None):
    """Writes `curves.png`, `last_grid.png`, `report.json` and `report.md` for a run.

    Reads what `tfgan train` writes (`history.csv`, `samples/last.png` or the latest
    `samples/*.png`, `config.json`) and `EvaluateFID`'s `fid.jsonl` when present.

    The history is checked with `tfgan.callbacks.health_findings` (its default
    thresholds, those of `GANHealth`): the summary's `health` lists what it sees, e.g.
    `"D wins outright since epoch 7"` or `"diversity fell 80% at epoch 12 (collapse?)"`,
    from `GANHealth`'s `d_win_rate` and `diversity` and the losses of any run; a dashed
    red line in `curves.png` marks the epoch where each starts.

    Args:
        run_dir: the run directory.
        out_dir: where to write; default `<run_dir>/report`.

    Returns:
        The summary dict written to `report.json`.
    """
    run_dir = pathlib.Path(run_dir)
    if not run_dir.is_dir():
        raise FileNotFoundError(f"`run_dir` is not a directory. Received: run_dir={run_dir}")
    out_dir = pathlib.Path(out_dir) if out_dir is not None else run_dir / "report"
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = {"run_dir": str(run_dir), "files": {}}
    history_path = _first(run_dir, HISTORY_FILES)
    if history_path is not None:
        history = read_history(history_path)
        summary["epochs"] = len(next(iter(history.values()), []))
        summary["last"] = {k: (None if math.isnan(v[-1]) else v[-1])
                           for k, v in history.items() if k != "epoch" and v}
        findings = health_findings(history)
        summary["health"] = {"measured": bool(HEALTH_KEYS & set(history)),
                             "findings": findings}
        summary["files"]["curves"] = str(save_loss_curves(
            history, out_dir / "curves.png", markers=[f["epoch"] for f in findings]))
    grid = _last_grid(run_dir)
    if grid is not None:
        summary["files"]["last_grid"] = str(shutil.copyfile(grid, out_dir / "last_grid.png"))
    fid_path = _first(run_dir, FID_FILES)
    if fid_path is not None:
        records = [json.loads(line) for line in fid_path.read_text().splitlines() if line]
        if records:
            best = min(records, key=lambda r: r["value"])
            summary["fid"] = {"last": records[-1], "best": best}
    if (run_dir / "config.json").exists():
        summary["config"] = json.loads((run_dir / "config.json").read_text())
    if history_path is None and grid is None:
        raise FileNotFoundError(
            f"No history ({', '.join(HISTORY_FILES)}) or sample grid (samples/*.png) in "
            f"run_dir. Received: run_dir={run_dir}")
    (out_dir / "report.json").write_text(json.dumps(summary, indent=2))
    (out_dir / "report.md").write_text(_markdown(summary))
    return summary


def _markdown(summary):
    lines = [f"# Run report: {summary['run_dir']}", ""]
    if "last" in summary:
        lines += [f"Epochs: {summary['epochs']}", "", "| metric | last value |",
                  "| --- | --- |"]
        lines += [f"| {k} | {'n/a' if v is None else format(v, '.4g')} |"
                  for k, v in summary["last"].items()]
        lines += ["", "![curves](curves.png)", ""]
    health = summary.get("health", {})
    if health.get("measured") or health.get("findings"):
        lines += ["## Training health", ""]
        lines += [f"- {finding['message']}" for finding in health["findings"]] or [
            "No warnings: D does not win outright, diversity holds, losses stay finite."]
        lines += [""]
    if "fid" in summary:
        best = summary["fid"]["best"]
        lines += [f"Best {best['name']}: {best['value']:.4g} at epoch {best['epoch']} "
                  f"(protocol: {json.dumps(best['protocol'])})", ""]
    if "last_grid" in summary["files"]:
        lines += ["![last samples](last_grid.png)", ""]
    return "\n".join(lines)
