"""The five services, built by introspecting the generated `api` packages.

Every module `sbmcrm._generated.<service>.api.<tag>.<operation>` becomes the method
`client.<service>.<operation>(...)`, which calls the module's `sync_detailed` (or
`asyncio_detailed`), returns the envelope's `data` and raises a typed `SbmError` otherwise.
"""

from __future__ import annotations

import difflib
import enum
import functools
import importlib
import importlib.util
import inspect
import json
import pkgutil
import sys
import types as _pytypes
import typing
import uuid
from types import ModuleType
from typing import Any, Callable

import httpx

from ._transport import last_response
from ._ratelimit import RateLimit
from .errors import NetworkError, ResponseDecodeError, SbmError, error_from_response

SERVICES = ("auth", "point", "cluster", "reward", "notification")


@functools.lru_cache(maxsize=None)
def operations(service: str) -> dict[str, ModuleType]:
    """operation name -> generated module, for one service (e.g. 'transactions_earn')."""
    api = importlib.import_module(f"sbmcrm._generated.{service}.api")
    found: dict[str, ModuleType] = {}
    for tag in pkgutil.iter_modules(api.__path__):
        if not tag.ispkg:
            continue
        pkg = importlib.import_module(f"{api.__name__}.{tag.name}")
        for op in pkgutil.iter_modules(pkg.__path__):
            module = _import(service, f"{pkg.__name__}.{op.name}")
            if hasattr(module, "sync_detailed"):
                found[op.name] = module
    return dict(sorted(found.items()))


def _import(service: str, name: str) -> ModuleType:
    """Imports a generated operation module.

    openapi-python-client 0.29.1 forgets `from ...types import Unset` in operations whose
    request body has two content types (e.g. reward `reward_codes_import`, JSON or multipart):
    such a module is executed again with the service's `types` names already in its namespace.
    """
    try:
        return importlib.import_module(name)
    except NameError:
        sys.modules.pop(name, None)
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            raise
        module = importlib.util.module_from_spec(spec)
        generated_types = importlib.import_module(f"sbmcrm._generated.{service}.types")
        for attr in generated_types.__all__:
            setattr(module, attr, getattr(generated_types, attr))
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            sys.modules.pop(name, None)
            raise
        return module


def _union_args(annotation: Any) -> tuple[Any, ...]:
    if isinstance(annotation, _pytypes.UnionType) or typing.get_origin(annotation) is typing.Union:
        return typing.get_args(annotation)
    return (annotation,)


def _coerce(value: Any, annotation: Any) -> Any:
    """Lets callers pass plain dicts for bodies and strings for enums."""
    if annotation is inspect.Parameter.empty:
        return value
    for arg in _union_args(annotation):
        if isinstance(arg, type) and isinstance(value, arg):
            return value
    if isinstance(value, dict):
        for arg in _union_args(annotation):
            if isinstance(arg, type) and hasattr(arg, "from_dict"):
                return arg.from_dict(value)
    if isinstance(value, str):
        for arg in _union_args(annotation):
            if isinstance(arg, type) and issubclass(arg, enum.Enum):
                return arg(value)
    return value


def _prepare(module: ModuleType, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    params = inspect.signature(module.sync_detailed).parameters
    for name in kwargs:
        if name not in params or name == "client":
            raise TypeError(
                f"{module.__name__.rsplit('.', 1)[-1]}() got an unexpected argument {name!r}; "
                f"it takes {[p for p in params if p != 'client']}"
            )
    positional = [p for p in params.values() if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD]
    if len(args) > len(positional):
        raise TypeError(f"too many positional arguments (path parameters: {[p.name for p in positional]})")
    call = dict(zip((p.name for p in positional), args))
    call.update(kwargs)
    for name, value in call.items():
        call[name] = _coerce(value, params[name].annotation)
    body = params.get("body")
    if body is not None and "body" not in call and isinstance(body.default, _unset_types()):
        if type(None) in _union_args(body.annotation):
            # openapi-python-client sends an optional JSON body it was not given as `json=UNSET`
            # (a TypeError in json.dumps; e.g. reward `redemptions_cancel`): send none instead.
            call["body"] = None
    if "idempotency_key" in params:
        key = call.get("idempotency_key")
        if key is None or isinstance(key, _unset_types()):
            key = uuid.uuid4()  # once per call: retries below reuse it
        call["idempotency_key"] = str(key)  # the caller's, as text (a uuid.UUID, an int...)
    return call


@functools.lru_cache(maxsize=None)
def _unset_types() -> tuple[type, ...]:
    """Each generated service has its own `Unset` class."""
    return tuple(importlib.import_module(f"sbmcrm._generated.{s}.types").Unset for s in SERVICES)


def _network_error(operation: str, exc: httpx.TransportError) -> NetworkError:
    return NetworkError(f"{operation}: no answer from the server ({type(exc).__name__}: {exc or 'no detail'})")


def _unwrap(response: Any) -> Any:
    status = int(response.status_code)
    if 200 <= status < 300:
        parsed = response.parsed
        if parsed is None:
            return response.content or None
        return getattr(parsed, "data", parsed)
    raise error_from_response(status, response.content, response.headers)


def _raw_error(operation: str, exc: Exception) -> SbmError | None:
    """The typed error for an answer the generated parser failed on (None: not an answer)."""
    raw = last_response.get()
    if raw is None:
        return None
    if raw.status_code >= 400:
        return error_from_response(raw.status_code, raw.content, raw.headers)
    try:
        body: Any = json.loads(raw.content)
    except ValueError:
        body = raw.content
    return ResponseDecodeError(
        raw.status_code,
        f"{operation}: the answer does not match the OpenAPI document ({type(exc).__name__}: {exc})",
        rate_limit=RateLimit.from_headers(raw.headers),
        body=body,
    )


class _Service:
    _name: str

    def __init__(self, name: str, generated_client: Any, http: Any) -> None:
        self._name = name
        self._generated_client = generated_client
        self._http = http
        self._ops = operations(name)

    @property
    def operation_names(self) -> list[str]:
        return list(self._ops)

    def module(self, operation: str) -> ModuleType:
        try:
            return self._ops[operation]
        except KeyError:
            close = difflib.get_close_matches(operation, list(self._ops), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise AttributeError(
                f"the {self._name} service has no operation {operation!r}{hint} "
                f"(see client.{self._name}.operation_names)"
            ) from None

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self._ops))

    def __repr__(self) -> str:
        return f"<sbmcrm {self._name} service: {len(self._ops)} operations>"


class Service(_Service):
    """The operations of one service, synchronous (`client.point.transactions_earn(...)`)."""

    def __getattr__(self, operation: str) -> Callable[..., Any]:
        if operation.startswith("_"):
            raise AttributeError(operation)
        module = self.module(operation)
        client = self._generated_client

        def call(*args: Any, **kwargs: Any) -> Any:
            prepared = _prepare(module, args, kwargs)
            last_response.set(None)
            try:
                response = module.sync_detailed(client=client, **prepared)
            except httpx.TransportError as exc:
                raise _network_error(operation, exc) from exc
            except (ValueError, KeyError, TypeError) as exc:
                error = _raw_error(operation, exc)
                if error is None:
                    raise
                raise error from exc
            return _unwrap(response)

        call.__name__ = operation
        call.__qualname__ = f"{self._name}.{operation}"
        call.__doc__ = module.sync_detailed.__doc__
        call._sbm_module = module  # type: ignore[attr-defined]
        return call


class AsyncService(_Service):
    """The operations of one service, asynchronous (`await client.point.transactions_earn(...)`)."""

    def __getattr__(self, operation: str) -> Callable[..., Any]:
        if operation.startswith("_"):
            raise AttributeError(operation)
        module = self.module(operation)
        client = self._generated_client

        async def call(*args: Any, **kwargs: Any) -> Any:
            prepared = _prepare(module, args, kwargs)
            last_response.set(None)
            try:
                response = await module.asyncio_detailed(client=client, **prepared)
            except httpx.TransportError as exc:
                raise _network_error(operation, exc) from exc
            except (ValueError, KeyError, TypeError) as exc:
                error = _raw_error(operation, exc)
                if error is None:
                    raise
                raise error from exc
            return _unwrap(response)

        call.__name__ = operation
        call.__qualname__ = f"{self._name}.{operation}"
        call.__doc__ = module.asyncio_detailed.__doc__
        call._sbm_module = module  # type: ignore[attr-defined]
        return call


def http_client_kwargs(timeout: float | httpx.Timeout | None) -> dict[str, Any]:
    return {"timeout": timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)}
