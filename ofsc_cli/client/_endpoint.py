"""One definition per API operation, shared by the sync and the async client.

An operation is declared once, on a namespace class, as a small function that turns the
caller's arguments into :class:`Args` (path values, query, body).  The decorator records the
fixed facts (method, path template, response type, paging)::

    class Metadata(Namespace[X]):
        @endpoint("GET", "/rest/ofscMetadata/v1/workZones/{label}", response=WorkZone)
        def get_work_zone(self, label: str) -> Args:
            return Args(path={"label": label})

Reading ``client.metadata.get_work_zone`` gives a callable that returns a ``WorkZone`` on
:class:`~ofsc_cli.OFSC` and an awaitable of one on :class:`~ofsc_cli.AsyncOFSC`: only the
executor behind the namespace differs.  Paged collections (``@paged``) also offer ``.iter()``
and ``.pages()``, driven by the pure :class:`OffsetPaging` planner.

The rest comes from the API catalog (:mod:`ofsc_cli.catalog`), by the operation's key
(``"GET /rest/ofscMetadata/v1/workZones/{label}"``): the query names a call may send
(:attr:`EndpointSpec.query`) and whether a paged collection takes a page size
(:attr:`EndpointSpec.page_size`).  The catalog is read once, when the first call is built
(a request fills its path from the catalog then anyway), never when a namespace is
imported.  A declaration names its query parameters itself (``query=``) only where the live
API differs from the spec, with a comment saying how.
"""

from __future__ import annotations

import abc
import functools
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import (
    TYPE_CHECKING,
    Any,
    Concatenate,
    Generic,
    ParamSpec,
    Self,
    TypeVar,
    overload,
)

if TYPE_CHECKING:
    from ofsc_cli.models import Page

__all__ = [
    "ENDPOINTS",
    "Args",
    "AsyncExecutorBase",
    "AsyncPaged",
    "Endpoint",
    "EndpointSpec",
    "LazyNamespace",
    "Namespace",
    "NoContent",
    "OffsetPaging",
    "PageOf",
    "PagedEndpoint",
    "RawPage",
    "SyncExecutorBase",
    "SyncPaged",
    "endpoint",
    "paged",
]

P = ParamSpec("P")
T = TypeVar("T")

NoContent = type(None)
"""Response type of operations that answer 204 (or whose body is not needed)."""


class RawPage:
    """Response marker: a page whose items stay plain JSON objects (no model validation),
    for bulk reads that only pass on what they receive (see ``SyncPaged.raw``)."""


@dataclass(frozen=True, slots=True)
class PageOf(Generic[T]):
    """A declared result that is a :class:`~ofsc_cli.models.Page` of ``item``, a model built
    on first use (``@endpoint(..., response=PageOf(Organization))``; ``@paged`` declares
    its pages so)."""

    item: type[T]


def _resolve(declared: Any) -> Any:
    """The type a declared result names (see :attr:`EndpointSpec.returns`)."""
    from ofsc_cli.models.refs import ModelRef

    if isinstance(declared, ModelRef):
        return declared.resolve()
    if isinstance(declared, PageOf):
        from ofsc_cli.models import Page

        item = _resolve(declared.item)
        return Page[item]  # type: ignore[valid-type]
    return declared


@dataclass(frozen=True, slots=True)
class Args:
    """What one call sends, apart from the operation's fixed facts."""

    path: Mapping[str, str | int] = field(default_factory=dict)
    query: Mapping[str, Any] = field(default_factory=dict)
    json: Any = None
    content: bytes | None = None
    files: Mapping[str, tuple[str, bytes, str]] | None = None
    data: Mapping[str, str] | None = None
    headers: Mapping[str, str] = field(default_factory=dict)

    def with_query(self, **updates: Any) -> Args:
        return Args(
            path=self.path,
            query={**self.query, **updates},
            json=self.json,
            content=self.content,
            files=self.files,
            data=self.data,
            headers=self.headers,
        )


@dataclass(frozen=True, slots=True)
class EndpointSpec:
    """The fixed facts of one operation.

    ``returns`` is the result as declared: a type (a model, ``bytes``, ``dict``…), a
    :class:`~ofsc_cli.models.refs.ModelRef`, or a :class:`PageOf` an item type; the last two
    become the model (or the ``Page[item]`` model) when :attr:`response` is first read, so
    that declaring an operation imports and builds no model.  ``query_names`` overrides the
    catalog's query parameters (``None``: the catalog's); ``default_page_size`` is the
    ``limit`` a paged collection's ``iter()``/``pages()`` send when the caller gives none, if
    the operation takes a ``limit`` at all (see :attr:`page_size`).
    """

    method: str
    path: str
    returns: Any
    query_names: frozenset[str] | None = None
    paging: str | None = None
    default_page_size: int | None = None
    name: str = ""
    namespace: str = ""
    client_auth: bool = False
    _response: Any = field(default=None, init=False, repr=False, compare=False)

    @property
    def response(self) -> Any:
        """The response type: what :attr:`returns` names, imported (and a page model built)
        on the first read.  Raises :class:`ImportError`/:class:`AttributeError` for a
        reference to a model that does not exist (a programming error in a declaration)."""
        resolved = self._response
        if resolved is None:
            resolved = _resolve(self.returns)
            object.__setattr__(self, "_response", resolved)
        return resolved

    @property
    def key(self) -> str:
        """``"GET /rest/..."``: the operation's key in the API catalog."""
        return f"{self.method} {self.path}"

    @property
    def query(self) -> frozenset[str]:
        """The query parameter names a call may send: the declaration's override, else the
        catalog's for :attr:`key` (read on first use).

        Raises :class:`TypeError` (a programming error in a declaration) when the operation
        is not in the catalog and the declaration names no query parameters.
        """
        if self.query_names is not None:
            return self.query_names
        names = catalog_query_names(self.key)
        if names is None:
            raise TypeError(f"{self.key} is not in the API catalog: declare its query names")
        return names

    @property
    def page_size(self) -> int | None:
        """The ``limit`` sent by default when paging, or ``None`` when the operation takes no
        ``limit`` (an ``offset``-only collection) or none is set."""
        return self.default_page_size if "limit" in self.query else None

    @property
    def client_method(self) -> str:
        """``namespace.name`` of the client method, e.g. ``"metadata.get_work_zone"``."""
        return f"{self.namespace}.{self.name}" if self.namespace else self.name


ENDPOINTS: list[EndpointSpec] = []
"""Every declared operation (filled as namespace modules are imported)."""


@functools.cache
def catalog_query_names(key: str) -> frozenset[str] | None:
    """The query parameter names of the catalog operation ``key`` (``"GET /rest/..."``), or
    ``None`` when the catalog has no such operation (only that operation's entry is read:
    :func:`~ofsc_cli.catalog.load_operation`)."""
    from ofsc_cli.catalog import load_operation

    op = load_operation(key)
    return None if op is None else frozenset(p.name for p in op.query_params)


class SyncExecutorBase(abc.ABC):
    """Runs an operation and returns its result (the sync client)."""

    @abc.abstractmethod
    def execute(self, spec: EndpointSpec, args: Args) -> Any: ...


class AsyncExecutorBase(abc.ABC):
    """Runs an operation and returns an awaitable of its result (the async client)."""

    @abc.abstractmethod
    async def execute(self, spec: EndpointSpec, args: Args) -> Any: ...


X = TypeVar("X", SyncExecutorBase, AsyncExecutorBase)


class Namespace(Generic[X]):
    """A group of operations (``client.metadata``, ``client.core``…)."""

    namespace: str = ""

    def __init__(self, executor: X) -> None:
        """The operations of this namespace, run by ``executor`` (the client)."""
        self._executor: X = executor


N = TypeVar("N")


class LazyNamespace(Generic[N]):
    """A client attribute holding one namespace, imported on first use.

    ``metadata: LazyNamespace[Metadata[SyncExecutorBase]] = LazyNamespace("metadata:Metadata")``
    imports ``ofsc_cli.client.api.metadata`` (and its models) only when ``client.metadata`` is
    first read, so a command pays only for the API family it uses.
    """

    def __init__(self, target: str) -> None:
        self.module, self.cls = target.split(":")
        self.attr = ""

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self.attr = name

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(self, obj: object, owner: type[Any]) -> N: ...
    def __get__(self, obj: Any, owner: type[Any]) -> Any:
        if obj is None:
            return self
        import importlib

        module = importlib.import_module(f"ofsc_cli.client.api.{self.module}")
        value = getattr(module, self.cls)(obj._executor)
        obj.__dict__[self.attr] = value  # later reads skip the descriptor
        return value


Builder = Callable[Concatenate[Any, P], Args]


class _Declared(Generic[P]):
    spec: EndpointSpec

    def __init__(self, fn: Builder[P], spec: EndpointSpec) -> None:
        self.fn = fn
        self.spec = spec

    def __set_name__(self, owner: type[Any], name: str) -> None:
        ns = getattr(owner, "namespace", "")
        object.__setattr__(self, "spec", _respec(self.spec, name=name, namespace=ns))
        ENDPOINTS.append(self.spec)

    def build(self, obj: Any, *args: Any, **kwargs: Any) -> Args:
        built = self.fn(obj, *args, **kwargs)
        unknown = set(built.query) - self.spec.query
        if unknown:  # a programming error in a declaration, caught by the test suite
            raise TypeError(f"{self.spec.key}: undeclared query parameters {sorted(unknown)}")
        return built


class _OperationDoc:
    """``__doc__`` of the declarations and of what they give on a client: ``text`` when read
    on the class; on an instance, the operation's full docstring (summary, operation,
    arguments, result, errors), composed by :func:`ofsc_cli.client._opdoc.compose` when first
    read (never on import, nor by a call) and kept on the declaration."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __get__(self, obj: Any, owner: Any = None) -> str:
        if obj is None:
            return self.text
        declared = getattr(obj, "_declared", obj)
        doc: str | None = declared.__dict__.get("_doc")
        if doc is None:
            from ofsc_cli.client._opdoc import compose

            doc = declared.__dict__["_doc"] = compose(declared.fn, declared.spec)
        return doc


def _respec(spec: EndpointSpec, **changes: Any) -> EndpointSpec:
    from dataclasses import replace

    return replace(spec, **changes)


class Endpoint(_Declared[P], Generic[P, T]):
    __doc__ = _OperationDoc("An operation declared with ``@endpoint``.")

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(self, obj: Namespace[SyncExecutorBase], owner: type[Any]) -> Callable[P, T]: ...
    @overload
    def __get__(
        self, obj: Namespace[AsyncExecutorBase], owner: type[Any]
    ) -> Callable[P, Awaitable[T]]: ...
    def __get__(self, obj: Any, owner: type[Any]) -> Any:
        if obj is None:
            return self
        return _Call(self, obj)


class _Call:
    __doc__ = _OperationDoc("An operation on a client: call it with the operation's arguments.")
    __slots__ = ("__name__", "_declared", "_obj")

    def __init__(self, declared: Endpoint[Any, Any], obj: Any) -> None:
        self._declared = declared
        self._obj = obj
        self.__name__ = declared.spec.name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        built = self._declared.build(self._obj, *args, **kwargs)
        return self._obj._executor.execute(self._declared.spec, built)


class OffsetPaging:
    """Pure planner for ``offset``/``limit`` collections.

    Advances ``offset`` by the number of items received.  Continues while ``hasMore`` is
    true or ``offset < totalResults`` (either suffices); where the server sends neither
    (some collections document only ``items``), continues while pages come back full
    (``limit`` items).  An empty page always stops.  (OFS omits ``hasMore`` on the last page
    of some collections and may return fewer items than ``limit`` with ``hasMore: true`` on
    others.)
    """

    def __init__(self, start: int = 0, limit: int | None = None) -> None:
        self.offset = start
        self.limit = limit

    def advance(self, page: Page[Any]) -> bool:
        """Record a page; return True when another page should be requested."""
        received = len(page.items)
        if received == 0:
            return False
        self.offset += received
        if page.hasMore:
            return True
        if page.totalResults is not None:
            return self.offset < page.totalResults
        if page.hasMore is False:
            return False
        return self.limit is not None and received >= self.limit


def _plan(built: Args) -> OffsetPaging:
    # A value that is not an integer is refused when the first page is built (or by the
    # server, with validate=False): the plan only needs the numbers.
    return OffsetPaging(_number(built.query.get("offset")) or 0, _number(built.query.get("limit")))


def _number(value: Any) -> int | None:
    try:
        return int(value) if value else None
    except (TypeError, ValueError):
        return None


class PagedEndpoint(_Declared[P], Generic[P, T]):
    __doc__ = _OperationDoc("A paged collection declared with ``@paged``.")

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(self, obj: Namespace[SyncExecutorBase], owner: type[Any]) -> SyncPaged[P, T]: ...
    @overload
    def __get__(self, obj: Namespace[AsyncExecutorBase], owner: type[Any]) -> AsyncPaged[P, T]: ...
    def __get__(self, obj: Any, owner: type[Any]) -> Any:
        if obj is None:
            return self
        if isinstance(obj._executor, AsyncExecutorBase):
            return AsyncPaged(self, obj)
        return SyncPaged(self, obj)


class _Bound(Generic[P, T]):
    def __init__(self, declared: PagedEndpoint[P, T], obj: Namespace[Any]) -> None:
        """The paged collection ``declared`` bound to the namespace ``obj`` of a client."""
        self._declared = declared
        self._obj = obj
        self.spec = declared.spec

    def _raw_copy(self) -> Any:
        from dataclasses import replace

        copy = object.__new__(type(self))
        copy.__dict__.update(self.__dict__)
        copy.spec = replace(self.spec, returns=RawPage)
        return copy

    def _args(self, args: Any, kwargs: Any) -> Args:
        built = self._declared.build(self._obj, *args, **kwargs)
        if built.query.get("limit") is None and self.spec.page_size:
            built = built.with_query(limit=self.spec.page_size)
        return built


class SyncPaged(_Bound[P, T]):
    __doc__ = _OperationDoc(
        "A paged collection on the sync client: call for one page, ``iter()`` for every item."
    )

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> Page[T]:
        """Returns one page of the collection; ``args`` and ``kwargs`` are the operation's
        arguments.  Raises the operation's errors (see its docstring).
        """
        result: Page[T] = self._obj._executor.execute(
            self.spec, self._declared.build(self._obj, *args, **kwargs)
        )
        return result

    def pages(self, *args: P.args, **kwargs: P.kwargs) -> Iterator[Page[T]]:
        """Yields every page in order, from the ``offset`` given (default 0), with ``args`` and
        ``kwargs`` as for a call; the ``limit`` defaults to the page size of the declaration.
        Raises the operation's errors (see its docstring).
        """
        built = self._args(args, kwargs)
        plan = _plan(built)
        while True:
            page: Page[T] = self._obj._executor.execute(
                self.spec, built.with_query(offset=plan.offset)
            )
            yield page
            if not plan.advance(page):
                return

    def iter(self, *args: P.args, **kwargs: P.kwargs) -> Iterator[T]:
        """Yields every item of every page (see :meth:`pages`, with the same ``args`` and
        ``kwargs``).  Raises the operation's errors.
        """
        for page in self.pages(*args, **kwargs):
            yield from page.items

    def raw(self) -> SyncPaged[P, dict[str, Any]]:
        """Returns the same collection with items as plain dicts, exactly as sent (no
        validation).
        """
        copy: SyncPaged[P, dict[str, Any]] = self._raw_copy()
        return copy


class AsyncPaged(_Bound[P, T]):
    __doc__ = _OperationDoc(
        "A paged collection on the async client; ``iter(concurrency=N)`` fetches ahead."
    )

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> Awaitable[Page[T]]:
        """Returns an awaitable of one page of the collection; ``args`` and ``kwargs`` are
        the operation's arguments (see its docstring).  Raises the operation's errors when awaited.
        """
        result: Awaitable[Page[T]] = self._obj._executor.execute(
            self.spec, self._declared.build(self._obj, *args, **kwargs)
        )
        return result

    def raw(self) -> AsyncPaged[P, dict[str, Any]]:
        """Returns the same collection with items as plain dicts, exactly as sent (no
        validation).
        """
        copy: AsyncPaged[P, dict[str, Any]] = self._raw_copy()
        return copy

    async def _fetch(self, built: Args, offset: int) -> Page[T]:
        page: Page[T] = await self._obj._executor.execute(
            self.spec, built.with_query(offset=offset)
        )
        return page

    async def pages(
        self, *args: Any, concurrency: int = 1, **kwargs: Any
    ) -> AsyncIterator[Page[T]]:
        """Yields every page in order (``args`` and ``kwargs`` as for a call).  With
        ``concurrency > 1`` and a known ``totalResults``, the remaining pages are fetched
        ``concurrency`` at a time (only that many are held).  Raises the operation's errors.
        """
        import asyncio
        from collections import deque

        built = self._args(args, kwargs)
        plan = _plan(built)
        first = await self._fetch(built, plan.offset)
        yield first
        more = plan.advance(first)
        limit = len(first.items)
        if more and concurrency > 1 and first.totalResults is not None and limit:
            pending = deque(range(plan.offset, first.totalResults, limit))
            window: deque[tuple[int, asyncio.Task[Page[T]]]] = deque()
            try:
                while pending or window:
                    while pending and len(window) < concurrency:
                        offset = pending.popleft()
                        window.append((offset, asyncio.create_task(self._fetch(built, offset))))
                    start, task = window.popleft()
                    page = await task
                    plan.offset = start + len(page.items)
                    yield page
                    # A short page inside the collection: fetch the gap before moving on.
                    gap_end = min(start + limit, first.totalResults)
                    while page.items and plan.offset < gap_end:
                        page = await self._fetch(
                            built.with_query(limit=gap_end - plan.offset), plan.offset
                        )
                        plan.offset += len(page.items)
                        yield page
            finally:
                for _, task in window:
                    task.cancel()
                # Wait for the cancelled fetches, so none is left pending when the loop closes.
                await asyncio.gather(*(task for _, task in window), return_exceptions=True)
            # The total may have grown while paging: finish sequentially from where we are.
            more = bool(first.totalResults is not None and plan.offset < first.totalResults)
            if not more:
                return
        while more:
            page = await self._fetch(built, plan.offset)
            yield page
            more = plan.advance(page)

    async def iter(self, *args: Any, concurrency: int = 1, **kwargs: Any) -> AsyncIterator[T]:
        """Yields every item of every page (see :meth:`pages`, with the same ``args``,
        ``concurrency`` and ``kwargs``).  Raises the operation's errors.
        """
        async for page in self.pages(*args, concurrency=concurrency, **kwargs):
            for item in page.items:
                yield item


@overload
def endpoint(
    method: str,
    path: str,
    *,
    response: PageOf[T],
    query: tuple[str, ...] | None = None,
    client_auth: bool = False,
) -> Callable[[Builder[P]], Endpoint[P, Page[T]]]: ...
@overload
def endpoint(
    method: str,
    path: str,
    *,
    response: type[T],
    query: tuple[str, ...] | None = None,
    client_auth: bool = False,
) -> Callable[[Builder[P]], Endpoint[P, T]]: ...
def endpoint(
    method: str,
    path: str,
    *,
    response: Any,
    query: tuple[str, ...] | None = None,
    client_auth: bool = False,
) -> Callable[[Builder[P]], Endpoint[P, Any]]:
    """Declare the operation ``method`` ``path`` (a catalog path template) whose result is one
    ``response`` (a model, ``bytes``, ``dict``…, or :class:`PageOf` a model: a whole
    collection in one answer, as a page whose model is built on first use).

    The query names a call may send are the catalog's; ``query`` replaces them, for an
    operation where the live API differs from the spec (say why beside it).
    ``client_auth`` sends the client credentials (Basic) whatever the client's auth method:
    the token service takes them.  Returns the decorator; a declaration that sends a query
    name the operation does not take raises :class:`TypeError` when called.
    """

    def decorate(fn: Builder[P]) -> Endpoint[P, Any]:
        spec = EndpointSpec(
            method=method,
            path=path,
            returns=response,
            query_names=None if query is None else frozenset(query),
            client_auth=client_auth,
        )
        return Endpoint(fn, spec)

    return decorate


def paged(
    method: str,
    path: str,
    *,
    item: type[T],
    query: tuple[str, ...] | None = None,
    page_size: int | None = 100,
) -> Callable[[Builder[P]], PagedEndpoint[P, T]]:
    """Declare the ``offset`` collection ``method`` ``path`` of ``item`` (a page per call,
    every item with ``.iter()``).

    ``query`` replaces the catalog's query names, as for :func:`endpoint`.  ``page_size`` is
    the ``limit`` that ``.iter()``/``.pages()`` send when the caller gives none; it applies
    only where the operation takes a ``limit`` (the catalog says so).  Returns the decorator.
    """

    def decorate(fn: Builder[P]) -> PagedEndpoint[P, T]:
        spec = EndpointSpec(
            method=method,
            path=path,
            returns=PageOf(item),
            query_names=None if query is None else frozenset(query),
            paging="offset",
            default_page_size=page_size,
        )
        return PagedEndpoint(fn, spec)

    return decorate
