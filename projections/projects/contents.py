"""What the tasks of projects hold, summed up for the web app's column and filter pickers:
hyperparameter names and values, metric/variant pairs, and a page of such a list (pure; the
documents are task documents as tasks.get_all returns them)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from projections.safe_regex import Pattern

Doc = dict[str, Any]
DEFAULT_PAGE_SIZE = 500


def hyperparameters(tasks: Iterable[Doc]) -> list[Doc]:
    """Distinct {section, name} pairs over the tasks' hyperparams, by section then name."""
    pairs = {
        (section, name)
        for task in tasks
        for section, params in (task.get("hyperparams") or {}).items()
        for name in params or {}
    }
    return [{"section": s, "name": n} for s, n in sorted(pairs)]


def hyperparam_values(
    tasks: Iterable[Doc], section: str, name: str, pattern: Pattern | None = None
) -> list[str]:
    """Distinct values of one hyperparameter over the tasks that have it, sorted numbers first
    (ClearML sorts them with a numeric collation)."""
    values = set()
    for task in tasks:
        param = ((task.get("hyperparams") or {}).get(section) or {}).get(name)
        if param is None:
            continue
        value = param.get("value") if isinstance(param, dict) else param
        value = "" if value is None else str(value)
        if pattern is None or pattern.search(value):
            values.add(value)
    return sorted(values, key=_numeric_first)


def _numeric_first(value: str) -> tuple[int, float, str]:
    try:
        return 0, float(value), value
    except ValueError:
        return 1, 0.0, value


def metric_variants(tasks: Iterable[Doc]) -> list[Doc]:
    """Distinct metric/variant pairs of the tasks' last_metrics with their hashes (the keys
    last_metrics uses), by metric then variant."""
    found: dict[tuple[str, str], Doc] = {}
    for task in tasks:
        for metric_hash, variants in (task.get("last_metrics") or {}).items():
            for variant_hash, entry in (variants or {}).items():
                metric, variant = entry.get("metric"), entry.get("variant")
                found.setdefault(
                    (metric, variant),
                    {
                        "metric": metric,
                        "metric_hash": metric_hash,
                        "variant": variant,
                        "variant_hash": variant_hash,
                    },
                )
    return [found[key] for key in sorted(found, key=lambda k: (str(k[0]), str(k[1])))]


def paged(items: list[Any], page: int | None, size: int | None) -> tuple[list[Any], int, int]:
    """(this page, total, remaining after it), ClearML's paging of such lists."""
    number, size = max(0, page or 0), max(1, size or DEFAULT_PAGE_SIZE)
    shown = items[number * size : (number + 1) * size]
    return shown, len(items), max(0, len(items) - number * size - len(shown))
