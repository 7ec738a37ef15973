"""Reporting and file output for every layer of ``agents/``: atomic writes, figures, histories.

Every file a run leaves behind is written so that a reader (or a resumed run)
sees either the old file or the whole new one, never half of one: the
benchmark resumes from its job records and the experiments from their results,
so a kill mid-write must not leave a record that looks finished.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np


def to_plain(x: Any) -> Any:
    """Numpy values to JSON-ready Python values, recursively."""
    if isinstance(x, dict):
        return {str(k): to_plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [to_plain(v) for v in x]
    if isinstance(x, np.ndarray):
        return x.tolist()
    if isinstance(x, np.generic):
        return x.item()
    return x


def nan_to_none(row: Mapping[str, Any]) -> dict[str, Any]:
    """One row with float NaN as None, so it is written as strict JSON (null, not NaN)."""
    return {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}


def write_atomic(path: str | os.PathLike[str], text: str | bytes) -> Path:
    """Write ``text`` (or bytes) so that readers see the old file or the whole new one, never half."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb" if isinstance(text, bytes) else "w") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def csv_text(rows: Sequence[Mapping[str, Any]]) -> str:
    """Rows as CSV text; the columns are the union of the rows' keys, in first-seen order."""
    keys: list[str] = []
    for row in rows:
        keys += [k for k in row if k not in keys]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=keys)
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def write_history_csv(history: Sequence[Mapping[str, Any]], path: str | os.PathLike[str]) -> Path:
    """Write a training history as CSV (one row per evaluation; columns: the union of keys)."""
    return write_atomic(path, csv_text(history))


def write_history_json(history: Sequence[Mapping[str, Any]], path: str | os.PathLike[str]) -> Path:
    """Write a training history as a JSON list of dicts (NaN written as null)."""
    return write_atomic(path, json.dumps([nan_to_none(row) for row in history], indent=2))


def save_figure(fig: Any, out_dir: str | os.PathLike[str], name: str) -> str:
    """Save a matplotlib figure atomically as ``<out_dir>/<name>.png``; returns the path."""
    import matplotlib.pyplot as plt

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{name}.png"
    tmp = out_dir / f".{name}.tmp.png"
    fig.savefig(tmp, dpi=110, bbox_inches="tight")
    plt.close(fig)
    os.replace(tmp, path)
    return str(path)


__all__ = ["csv_text", "nan_to_none", "save_figure", "to_plain", "write_atomic", "write_history_csv",
           "write_history_json"]


class _NoBar:
    """What a switched-off progress bar needs to answer (tqdm is not imported for it)."""

    def update(self, n: int = 1) -> None:
        pass

    def set_postfix(self, **_: Any) -> None:
        pass

    def close(self) -> None:
        pass


def progress_bar(total: int, show: bool, **kwargs: Any) -> Any:
    """A tqdm bar when ``show``; otherwise a silent stand-in, so a run without a bar needs no tqdm installed."""
    if not show:
        return _NoBar()
    from tqdm.auto import tqdm

    return tqdm(total=total, **kwargs)
