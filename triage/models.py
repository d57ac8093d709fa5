"""Pydantic models built from values already known to be valid, without validating them."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

ModelT = TypeVar("ModelT", bound=BaseModel)

_set = object.__setattr__
_new = object.__new__  # what a model's class makes an instance with (it has no __new__ of its own)


def unvalidated(
    model: type[ModelT],
    values: dict[str, Any],
    fields_set: set[str],
    private: dict[str, Any] | None = None,
) -> ModelT:
    """An instance of `model` holding `values` (every field, in the model's order) as they
    are: what `model_construct` makes, without its cost. Only for values built or checked to
    be valid: nothing is checked here."""
    built = _new(model)
    _set(built, "__dict__", values)
    _set(built, "__pydantic_fields_set__", fields_set)
    _set(built, "__pydantic_extra__", None)
    _set(built, "__pydantic_private__", private)
    return built
