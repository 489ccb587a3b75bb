"""The `filters` parameter of ClearML's newer get_all: per list field, `any` and `all` parts of
included and excluded values, joined by `op` (ClearML's ListQueryFilter), as a predicate."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from commands.errors import ValidationError
from projections.conditions import Condition


def condition(
    field: str, spec: Any, values: Callable[[dict[str, Any]], Sequence[Any]]
) -> Condition:
    """One field of the `filters` parameter: `{any: {include, exclude}, all: {include, exclude},
    op: and|or}`. `any` holds when some include is present or some exclude is missing; `all`
    when every include is present and no exclude is; `op` joins the two parts; a null include
    means an empty list (ClearML's ListQueryFilter)."""
    if not isinstance(spec, dict) or set(spec) - {"any", "all", "op"}:
        raise ValidationError(f"filters.{field} must be an object of 'any', 'all' and 'op'")
    op = spec.get("op", "and")
    if op not in ("and", "or"):
        raise ValidationError(f"filters.{field}.op must be 'and' or 'or', not {op!r}")
    made = [_part(field, n, spec[n], n == "all") for n in ("any", "all") if spec.get(n)]
    parts = [part for part in made if part is not None]
    join = all if op == "and" else any
    return lambda doc: not parts or join(part(set(values(doc))) for part in parts)


def _part(field: str, name: str, spec: Any, every: bool) -> Check | None:
    if not isinstance(spec, dict) or set(spec) - {"include", "exclude"}:
        raise ValidationError(
            f"filters.{field}.{name} must be an object of 'include' and 'exclude'"
        )
    include, exclude = (_terms(field, name, spec, key) for key in ("include", "exclude"))
    checks = _checks(include, exclude, every)
    if not checks:
        return None
    join = all if every else any
    return lambda have: join(check(have) for check in checks)


def _terms(field: str, name: str, spec: dict[str, Any], key: str) -> set[Any]:
    terms = spec.get(key) or []
    if not isinstance(terms, list) or not all(t is None or isinstance(t, str) for t in terms):
        raise ValidationError(f"filters.{field}.{name}.{key} must be a list of strings")
    return set(terms)


Check = Callable[[set[Any]], bool]


def _checks(include: set[Any], exclude: set[Any], every: bool) -> list[Check]:
    """The MongoDB operators of ListQueryFilter: any -> in / not all, all -> all / nin; a
    null include is `size 0`, a null exclude `not size 0`."""
    inc, exc = include - {None}, exclude - {None}
    checks: list[Check] = []
    if None in include:
        checks.append(lambda have: not have)
    if None in exclude:
        checks.append(bool)
    if inc:
        checks.append((lambda have: inc <= have) if every else (lambda have: bool(have & inc)))
    if exc:
        checks.append((lambda have: not have & exc) if every else (lambda have: not exc <= have))
    return checks
