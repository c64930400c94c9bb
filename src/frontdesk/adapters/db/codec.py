"""Turn frozen dataclasses (intakes, events) into JSON values and back, guided by type hints.

Handles what the domain uses: str, int, float, bool, None unions, StrEnums, datetimes,
dates and times (ISO 8601), tuples, frozensets and nested dataclasses. Anything else is a
programming error and raises `TypeError` naming the field, never its value.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date, datetime, time
from enum import Enum
from functools import cache
from typing import Any, TypeVar, cast

JSONValue = str | int | float | bool | None | list["JSONValue"] | dict[str, "JSONValue"]

T = TypeVar("T")


def to_json(value: object) -> JSONValue:
    """A JSON value for a dataclass instance or any value it may hold."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Enum):
        return cast(JSONValue, value.value)
    if isinstance(value, str):
        return value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, frozenset):
        return sorted((to_json(item) for item in value), key=str)
    if isinstance(value, tuple | list):
        return [to_json(item) for item in value]
    if isinstance(value, dict):
        return {str(key): to_json(item) for key, item in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    raise TypeError(f"cannot encode a {type(value).__name__} as JSON")


def from_json(kind: type[T], data: JSONValue) -> T:
    """The dataclass `kind` rebuilt from `to_json` output; unknown keys are refused."""
    return cast(T, _decode(kind, data, kind.__name__))


@cache
def _hints(kind: type) -> dict[str, Any]:
    return typing.get_type_hints(kind)


def _decode(tp: Any, data: JSONValue, where: str) -> object:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(tp)
        if data is None and type(None) in options:
            return None
        (inner,) = (option for option in options if option is not type(None))
        return _decode(inner, data, where)
    if origin is tuple:
        args = typing.get_args(tp)
        return tuple(_decode(args[0], item, where) for item in _as_list(data, where))
    if origin is frozenset:
        (arg,) = typing.get_args(tp)
        return frozenset(_decode(arg, item, where) for item in _as_list(data, where))
    if origin is dict:
        if not isinstance(data, dict):
            raise TypeError(f"{where}: expected an object")
        return dict(data)
    if tp is object or tp is Any:
        return data
    if isinstance(tp, type):
        if dataclasses.is_dataclass(tp):
            return _decode_dataclass(tp, data, where)
        if issubclass(tp, Enum):
            return tp(data)
        if tp is datetime:
            return datetime.fromisoformat(_as_str(data, where))
        if tp is date:
            return date.fromisoformat(_as_str(data, where))
        if tp is time:
            return time.fromisoformat(_as_str(data, where))
        if tp is float and isinstance(data, int | float) and not isinstance(data, bool):
            return float(data)
        if tp in (str, int, bool) and type(data) is tp:
            return data
    raise TypeError(f"{where}: cannot decode a {type(data).__name__} as {tp!r}")


def _decode_dataclass(kind: type, data: JSONValue, where: str) -> object:
    if not isinstance(data, dict):
        raise TypeError(f"{where}: expected an object")
    hints = _hints(kind)
    names = {f.name for f in dataclasses.fields(kind) if f.init}
    unknown = set(data) - names
    if unknown:
        raise TypeError(f"{where}: unknown fields {sorted(unknown)}")
    values = {name: _decode(hints[name], value, f"{where}.{name}") for name, value in data.items()}
    return kind(**values)


def _as_list(data: JSONValue, where: str) -> list[JSONValue]:
    if not isinstance(data, list):
        raise TypeError(f"{where}: expected a list")
    return data


def _as_str(data: JSONValue, where: str) -> str:
    if not isinstance(data, str):
        raise TypeError(f"{where}: expected a string")
    return data
