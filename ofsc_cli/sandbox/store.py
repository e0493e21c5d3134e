"""The emulator's SQLite store.

Three tables hold the data:

* ``docs(collection, key, parent, position, json)``: keyed JSON documents, one collection
  per OFS collection (``"workZones"``, ``"resources"``, ``"users"`` …).  A sub-collection
  owned by one entity is named ``"<collection>:<owner>"`` (``"resourceWorkSkills:TECH-0001"``,
  see :func:`sub`).  ``parent`` is an indexed column for tree/ownership queries (a resource's
  ``parentResourceId``, an inventory's ``resourceId``); ``position`` keeps insertion order.
* ``activities(activity_id, resource_id, date, position, json)``: activities get their own
  table, indexed by resource, date and route position (the order ``GET activities`` pages
  them in, so a page is read in index order without a sort).
* ``meta(key, value)``: schema version, the seed/scale/day used, id counters; ``tokens``: issued
  OAuth tokens (so that a token survives between CLI invocations on a file database).

One connection is shared by every thread (``check_same_thread=False``) behind a re-entrant
lock; :meth:`Store.transaction` groups several calls atomically.  File databases use WAL.

Paging a big collection must stay cheap (the served emulator answers hundreds of pages of
20 000 resources): the keys of a collection, in order, are remembered (:meth:`Store.memo`)
until the next write, so a page is ``limit`` primary-key look-ups and a count is a
``len()``, where ``LIMIT ... OFFSET`` would scan ``offset`` rows and ``COUNT(*)`` all of
them.  A write on this connection (or, for a file, a commit by another process) forgets
every remembered value.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, TypeVar

from ofsc_cli.errors import OFSConfigurationError

__all__ = [
    "ANY",
    "SCHEMA_VERSION",
    "SandboxStoreError",
    "Store",
    "StoreStatus",
    "default_db_path",
    "sub",
]

SCHEMA_VERSION: Final = 1
_APP_ID: Final = "ofsc-sandbox"
MEMORY: Final = ":memory:"
_MEMO_MAX: Final = 256
"""At most this many remembered values; beyond, all are forgotten (many small sub-collections)."""

_INT64_MIN: Final = -(2**63)
_INT64_MAX: Final = 2**63 - 1
"""The range of an SQLite INTEGER (activity ids)."""

T = TypeVar("T")


class _Any:
    """Sentinel: do not filter on ``parent``."""

    def __repr__(self) -> str:
        return "ANY"


ANY: Final = _Any()

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (
    collection TEXT NOT NULL,
    key TEXT NOT NULL,
    parent TEXT,
    position INTEGER NOT NULL,
    json TEXT NOT NULL,
    PRIMARY KEY (collection, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS docs_order ON docs (collection, position);
CREATE INDEX IF NOT EXISTS docs_parent ON docs (collection, parent, position);
CREATE TABLE IF NOT EXISTS activities (
    activity_id INTEGER PRIMARY KEY,
    resource_id TEXT,
    date TEXT,
    position INTEGER,
    json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS activities_in_order ON activities (resource_id, date, position);
CREATE TABLE IF NOT EXISTS tokens (token TEXT PRIMARY KEY, expires_at REAL NOT NULL);
"""


class SandboxStoreError(OFSConfigurationError):
    """The sandbox database file cannot be used (corrupt, foreign or from another version)."""


def default_db_path() -> Path:
    """``$OFSC_SANDBOX_DB``, else ``sandbox.db`` in the user data directory."""
    env = os.environ.get("OFSC_SANDBOX_DB")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("ofsc")) / "sandbox.db"


def sub(collection: str, owner: str | int) -> str:
    """Name of the sub-collection ``collection`` owned by ``owner``."""
    return f"{collection}:{owner}"


def _dumps(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


@dataclass
class StoreStatus:
    """Where the store lives and how much it holds (sub-collections summed by name)."""

    path: str
    schema_version: int
    seed: int | None
    scale: float | None
    counts: dict[str, int] = field(default_factory=dict)
    #: The day the data is centred on (``YYYY-MM-DD``; see :func:`~ofsc_cli.sandbox.seed.today_of`).
    today: str | None = None


class Store:
    """Keyed JSON documents and activities in one SQLite database (see module docstring)."""

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        """Use :meth:`open`; this wraps an already validated connection."""
        self._conn = conn
        self.path = path
        self._lock = threading.RLock()
        self._depth = 0
        self._rollbacks = 0
        self._memo: dict[Hashable, Any] = {}
        self._memo_state: tuple[int, int, int] | None = None

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str] | None = None,
        *,
        scale: float = 1.0,
        seed: int = 42,
        populate: bool = True,
        today: dt.date | None = None,
    ) -> Store:
        """Open the store at ``path`` (default :func:`default_db_path`; ``":memory:"`` for tests).

        A new database (missing or empty file, or memory) is created and, unless
        ``populate`` is false, seeded with ``scale`` and ``seed`` around ``today`` (default:
        the day it runs).  An existing file keeps its data and its day; one that is not a
        sandbox database of this schema version raises :class:`SandboxStoreError`.
        """
        target = str(path) if path is not None else str(default_db_path())
        if target == MEMORY:
            store = cls(cls._connect(MEMORY), MEMORY)
            store._create(scale, seed, populate, today)
            return store
        file = Path(target)
        is_new = not file.exists() or file.stat().st_size == 0
        if is_new:
            file.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = cls._connect(target)
        except sqlite3.Error as exc:
            raise _unusable(target, str(exc)) from exc
        store = cls(conn, target)
        try:
            if is_new:
                store._create(scale, seed, populate, today)
            else:
                store._validate()
        except BaseException:
            conn.close()
            raise
        return store

    @classmethod
    def recreate(
        cls,
        path: str | os.PathLike[str] | None = None,
        *,
        scale: float = 1.0,
        seed: int = 42,
        today: dt.date | None = None,
    ) -> Store:
        """Delete the database file (whatever it holds) and create one freshly seeded around
        ``today`` (default: the day it runs)."""
        target = str(path) if path is not None else str(default_db_path())
        if target != MEMORY:
            for suffix in ("", "-wal", "-shm", "-journal"):
                with contextlib.suppress(FileNotFoundError):
                    os.remove(target + suffix)
        return cls.open(target, scale=scale, seed=seed, today=today)

    @staticmethod
    def _connect(target: str) -> sqlite3.Connection:
        conn = sqlite3.connect(target, check_same_thread=False, isolation_level=None, timeout=10)
        conn.execute("PRAGMA busy_timeout = 10000")
        return conn

    def _create(
        self, scale: float, seed: int, populate: bool, today: dt.date | None = None
    ) -> None:
        with self._lock:
            if self.path != MEMORY:
                self._conn.execute("PRAGMA journal_mode = WAL")
                self._conn.execute("PRAGMA synchronous = NORMAL")
            self._conn.executescript(_SCHEMA)
            if populate:
                self.reset(scale=scale, seed=seed, today=today)
            # Written last: a file whose seeding was interrupted is not a valid store.
            self.set_meta("app", _APP_ID)
            self.set_meta("schema_version", str(SCHEMA_VERSION))

    def _validate(self) -> None:
        try:
            objects = self._conn.execute("SELECT type, name FROM sqlite_master").fetchall()
            tables = {name for kind, name in objects if kind == "table"}
            rows: dict[str, str] = {}
            if "meta" in tables:
                rows = dict(self._conn.execute("SELECT key, value FROM meta").fetchall())
                self._conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.Error as exc:
            raise _unusable(self.path, str(exc)) from exc
        if rows.get("app") != _APP_ID:
            raise _unusable(self.path, "it is not an ofsc sandbox database")
        if rows.get("schema_version") != str(SCHEMA_VERSION):
            raise _unusable(
                self.path,
                f"its schema version {rows.get('schema_version')} is not {SCHEMA_VERSION}",
            )
        if ("index", "activities_in_order") not in objects:
            # A file from before the activities index covered the route position: same data,
            # better index (best effort: a read-only file keeps working with the old one).
            with contextlib.suppress(sqlite3.Error):
                self._conn.executescript(
                    "CREATE INDEX IF NOT EXISTS activities_in_order "
                    "ON activities (resource_id, date, position);"
                    "DROP INDEX IF EXISTS activities_by_resource;"
                )

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def clone(self) -> Store:
        """An independent in-memory copy (cheap way for tests to start from seeded data)."""
        conn = self._connect(MEMORY)
        with self._lock:
            self._conn.backup(conn)
        return Store(conn, MEMORY)

    # ------------------------------------------------------------- transactions

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the store lock and run the block in one transaction (re-entrant)."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield
            except BaseException:
                self._rollbacks += 1  # the rows changed are back: forget what was remembered
                self._conn.execute("ROLLBACK")
                raise
            else:
                self._conn.execute("COMMIT")
            finally:
                self._depth = 0

    def _query(self, sql: str, args: Iterable[Any] = ()) -> list[Any]:
        with self._lock:
            return self._conn.execute(sql, tuple(args)).fetchall()

    def _exec(self, sql: str, args: Iterable[Any] = ()) -> int:
        with self._lock:
            return self._conn.execute(sql, tuple(args)).rowcount

    # ------------------------------------------------------------------ memo

    def _data_state(self) -> tuple[int, int, int]:
        """Changes whenever the data may have: rows changed on this connection
        (``total_changes``), a rolled-back transaction, or (files only) another connection's
        commit (``PRAGMA data_version``)."""
        other = 0
        if self.path != MEMORY:
            other = int(self._conn.execute("PRAGMA data_version").fetchone()[0])
        return self._conn.total_changes, self._rollbacks, other

    def memo(self, name: Hashable, build: Callable[[], T]) -> T:
        """The value ``build()`` returned for ``name`` since the data last changed.

        For values derived from the data (the ordered keys of a collection, a resource
        tree): built under the store lock, forgotten on the next write.  Callers must not
        mutate what they get back.
        """
        with self._lock:
            state = self._data_state()
            if state != self._memo_state or len(self._memo) >= _MEMO_MAX:
                self._memo.clear()
                self._memo_state = state
            try:
                return self._memo[name]  # type: ignore[no-any-return]
            except KeyError:
                value = self._memo[name] = build()
                return value

    # --------------------------------------------------------------------- meta

    def get_meta(self, key: str) -> str | None:
        rows = self._query("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        self._exec("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def next_id(self, name: str, start: int = 1) -> int:
        """The next value of the counter ``name`` (first value ``start``)."""
        with self.transaction():
            current = self.get_meta(f"seq:{name}")
            value = int(current) + 1 if current is not None else start
            self.set_meta(f"seq:{name}", str(value))
            return value

    def ensure_counter(self, name: str, at_least: int) -> None:
        """Make the next :meth:`next_id` of ``name`` greater than ``at_least``."""
        with self.transaction():
            current = self.get_meta(f"seq:{name}")
            if current is None or int(current) < at_least:
                self.set_meta(f"seq:{name}", str(at_least))

    # --------------------------------------------------------------------- docs

    def get(self, collection: str, key: str | int) -> Any | None:
        """The document stored under ``key`` (``None`` if absent)."""
        rows = self._query(
            "SELECT json FROM docs WHERE collection = ? AND key = ?", (collection, str(key))
        )
        return json.loads(rows[0][0]) if rows else None

    def put(self, collection: str, key: str | int, doc: Any, *, parent: str | None = None) -> bool:
        """Insert or replace a document (keeping its position); True if it was created."""
        with self.transaction():
            rows = self._query(
                "SELECT position FROM docs WHERE collection = ? AND key = ?",
                (collection, str(key)),
            )
            if rows:
                self._exec(
                    "UPDATE docs SET json = ?, parent = ? WHERE collection = ? AND key = ?",
                    (_dumps(doc), parent, collection, str(key)),
                )
                return False
            position = self._query(
                "SELECT COALESCE(MAX(position), 0) + 1 FROM docs WHERE collection = ?",
                (collection,),
            )[0][0]
            self._exec(
                "INSERT INTO docs (collection, key, parent, position, json) VALUES (?,?,?,?,?)",
                (collection, str(key), parent, position, _dumps(doc)),
            )
            return True

    def bulk_put(self, collection: str, rows: Iterable[tuple[str | int, Any, str | None]]) -> int:
        """Append many ``(key, doc, parent)`` rows to a collection in one statement."""
        with self.transaction():
            start = self._query(
                "SELECT COALESCE(MAX(position), 0) FROM docs WHERE collection = ?", (collection,)
            )[0][0]
            data = [
                (collection, str(key), parent, start + i, _dumps(doc))
                for i, (key, doc, parent) in enumerate(rows, 1)
            ]
            self._conn.executemany(
                "INSERT OR REPLACE INTO docs (collection, key, parent, position, json) "
                "VALUES (?,?,?,?,?)",
                data,
            )
            return len(data)

    def delete(self, collection: str, key: str | int) -> bool:
        """Remove one document; True if it existed."""
        return (
            self._exec("DELETE FROM docs WHERE collection = ? AND key = ?", (collection, str(key)))
            > 0
        )

    def clear(self, collection: str) -> int:
        """Remove every document of a collection."""
        return self._exec("DELETE FROM docs WHERE collection = ?", (collection,))

    def _where(self, collection: str, parent: str | _Any | None) -> tuple[str, list[Any]]:
        if isinstance(parent, _Any):
            return "collection = ?", [collection]
        if parent is None:
            return "collection = ? AND parent IS NULL", [collection]
        return "collection = ? AND parent = ?", [collection, parent]

    def items(
        self,
        collection: str,
        *,
        parent: str | _Any | None = ANY,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[Any]:
        """Documents of a collection in insertion order, optionally one page of them."""
        texts = self.items_raw(collection, parent=parent, offset=offset, limit=limit)
        return [json.loads(text) for text in texts]

    def items_raw(
        self,
        collection: str,
        *,
        parent: str | _Any | None = ANY,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[str]:
        """Like :meth:`items`, as the stored JSON text (compact, as ``Response.json`` writes)."""
        if offset == 0 and limit is None:
            where, args = self._where(collection, parent)
            rows = self._query(f"SELECT json FROM docs WHERE {where} ORDER BY position", args)
            return [row[0] for row in rows]
        offset = max(0, offset)  # as SQL's OFFSET takes a negative one
        with self._lock:  # the keys and the documents from one state of the data
            keys = self._ordered_keys(collection, parent)
            end = None if limit is None or limit < 0 else offset + limit
            return self.get_many_raw(collection, keys[offset:end])

    def get_many(self, collection: str, keys: Sequence[str]) -> list[Any]:
        """The documents stored under ``keys``, in that order (absent keys are skipped)."""
        return [json.loads(text) for text in self.get_many_raw(collection, keys)]

    def get_many_raw(self, collection: str, keys: Sequence[str]) -> list[str]:
        """Like :meth:`get_many`, as the stored JSON text."""
        if not keys:
            return []
        rows = self._query(
            "SELECT key, json FROM docs WHERE collection = ? "
            "AND key IN (SELECT value FROM json_each(?))",
            (collection, json.dumps(list(keys))),
        )
        found = dict(rows)
        return [found[key] for key in keys if key in found]

    def _ordered_keys(self, collection: str, parent: str | _Any | None) -> list[str]:
        """The keys of a collection in order (remembered until the next write)."""
        parent_key = "*" if isinstance(parent, _Any) else parent

        def build() -> list[str]:
            where, args = self._where(collection, parent)
            rows = self._query(f"SELECT key FROM docs WHERE {where} ORDER BY position", args)
            return [row[0] for row in rows]

        return self.memo(("keys", collection, parent_key), build)

    def keys(self, collection: str, *, parent: str | _Any | None = ANY) -> list[str]:
        """The keys of a collection in insertion order."""
        return list(self._ordered_keys(collection, parent))

    def key_parents(self, collection: str) -> list[tuple[str, str | None]]:
        """``(key, parent)`` of every document of a collection, in insertion order."""
        rows = self._query(
            "SELECT key, parent FROM docs WHERE collection = ? ORDER BY position", (collection,)
        )
        return [(row[0], row[1]) for row in rows]

    def count(self, collection: str, *, parent: str | _Any | None = ANY) -> int:
        """How many documents a collection holds."""
        return len(self._ordered_keys(collection, parent))

    def replace_all(
        self, collection: str, rows: Iterable[tuple[str | int, Any, str | None]]
    ) -> None:
        """Replace a whole collection with ``(key, doc, parent)`` rows, in that order."""
        with self.transaction():
            self.clear(collection)
            self.bulk_put(collection, rows)

    def rename_collection(self, old: str, new: str) -> None:
        """Give every document of collection ``old`` to collection ``new``."""
        self._exec("UPDATE docs SET collection = ? WHERE collection = ?", (new, old))

    # --------------------------------------------------------------- activities

    @staticmethod
    def _activity_row(doc: dict[str, Any]) -> tuple[int, Any, Any, Any, str]:
        return (
            int(doc["activityId"]),
            doc.get("resourceId"),
            doc.get("date") or None,
            doc.get("positionInRoute"),
            _dumps(doc),
        )

    def put_activity(self, doc: dict[str, Any]) -> None:
        self._exec(
            "INSERT OR REPLACE INTO activities (activity_id, resource_id, date, position, json) "
            "VALUES (?,?,?,?,?)",
            self._activity_row(doc),
        )

    def bulk_put_activities(self, docs: Iterable[dict[str, Any]]) -> int:
        with self.transaction():
            data = [self._activity_row(doc) for doc in docs]
            self._conn.executemany(
                "INSERT OR REPLACE INTO activities "
                "(activity_id, resource_id, date, position, json) VALUES (?,?,?,?,?)",
                data,
            )
            return len(data)

    def get_activity(self, activity_id: int) -> dict[str, Any] | None:
        if not _INT64_MIN <= activity_id <= _INT64_MAX:
            return None  # beyond SQLite's INTEGER: no activity has it (and binding overflows)
        rows = self._query("SELECT json FROM activities WHERE activity_id = ?", (activity_id,))
        return json.loads(rows[0][0]) if rows else None

    def delete_activity(self, activity_id: int) -> bool:
        if not _INT64_MIN <= activity_id <= _INT64_MAX:
            return False
        return self._exec("DELETE FROM activities WHERE activity_id = ?", (activity_id,)) > 0

    def move_activities(self, old_resource: str, new_resource: str) -> int:
        """Reassign every activity of ``old_resource`` to ``new_resource``."""
        return self._exec(
            "UPDATE activities SET resource_id = ?, json = json_set(json, '$.resourceId', ?) "
            "WHERE resource_id = ?",
            (new_resource, new_resource, old_resource),
        )

    def count_activities(self) -> int:
        return int(self._query("SELECT COUNT(*) FROM activities")[0][0])

    def query_activities(
        self,
        resource_ids: list[str] | None,
        *,
        date_from: str | None = None,
        date_to: str | None = None,
        non_scheduled: bool = False,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[str]:
        """Activities as raw JSON text, ordered by resource, date, route position and id.

        ``resource_ids=None`` means any resource.  Scheduled activities are those dated in
        ``date_from``..``date_to`` (inclusive; omitted when either is ``None``); with
        ``non_scheduled`` the undated ones are included too.
        """
        where = self._activity_filter(resource_ids, date_from, date_to, non_scheduled)
        if where is None:
            return []
        sql = (
            f"SELECT json FROM activities WHERE {where[0]}"
            " ORDER BY resource_id, date, position, activity_id LIMIT ? OFFSET ?"
        )
        rows = self._query(sql, [*where[1], -1 if limit is None else limit, offset])
        return [row[0] for row in rows]

    def count_matching_activities(
        self,
        resource_ids: list[str] | None,
        *,
        date_from: str | None = None,
        date_to: str | None = None,
        non_scheduled: bool = False,
    ) -> int:
        """How many activities :meth:`query_activities` would return without a limit."""
        where = self._activity_filter(resource_ids, date_from, date_to, non_scheduled)
        if where is None:
            return 0
        return int(self._query(f"SELECT COUNT(*) FROM activities WHERE {where[0]}", where[1])[0][0])

    @staticmethod
    def _activity_filter(
        resource_ids: list[str] | None,
        date_from: str | None,
        date_to: str | None,
        non_scheduled: bool,
    ) -> tuple[str, list[Any]] | None:
        """The SQL condition and arguments of an activities query; None when none match."""
        clauses: list[str] = []
        args: list[Any] = []
        if resource_ids is not None:
            clauses.append("resource_id IN (SELECT value FROM json_each(?))")
            args.append(json.dumps(resource_ids))
        dated = date_from is not None and date_to is not None
        if dated and non_scheduled:
            clauses.append("((date BETWEEN ? AND ?) OR date IS NULL)")
            args += [date_from, date_to]
        elif dated:
            clauses.append("date BETWEEN ? AND ?")
            args += [date_from, date_to]
        elif non_scheduled:
            clauses.append("date IS NULL")
        else:
            return None
        return " AND ".join(clauses), args

    # ------------------------------------------------------------------- tokens

    def add_token(self, token: str, expires_at: float) -> None:
        with self.transaction():
            self._exec("DELETE FROM tokens WHERE expires_at < ?", (expires_at - 86400 * 2,))
            self._exec("INSERT OR REPLACE INTO tokens VALUES (?, ?)", (token, expires_at))

    def token_expiry(self, token: str) -> float | None:
        rows = self._query("SELECT expires_at FROM tokens WHERE token = ?", (token,))
        return float(rows[0][0]) if rows else None

    # -------------------------------------------------------- status and reset

    def status(self) -> StoreStatus:
        """Path, schema version, seed parameters and per-collection counts."""
        counts: dict[str, int] = {}
        for collection, n in self._query(
            "SELECT collection, COUNT(*) FROM docs GROUP BY collection"
        ):
            name = collection.split(":", 1)[0]
            counts[name] = counts.get(name, 0) + int(n)
        counts["activities"] = self.count_activities()
        seed = self.get_meta("seed")
        scale = self.get_meta("scale")
        return StoreStatus(
            path=self.path,
            schema_version=SCHEMA_VERSION,
            seed=int(seed) if seed is not None else None,
            scale=float(scale) if scale is not None else None,
            counts=dict(sorted(counts.items())),
            today=self._today(seed),
        )

    def _today(self, seed: str | None) -> str | None:
        """The recorded day; a store seeded before days were recorded is on the legacy day."""
        from ofsc_cli.sandbox.seed import LEGACY_TODAY

        today = self.get_meta("today")
        if today is None and seed is not None:
            return LEGACY_TODAY.isoformat()
        return today

    def reset(self, scale: float = 1.0, seed: int = 42, today: dt.date | None = None) -> None:
        """Erase all data (tokens included) and seed again around ``today`` (default: the
        day it runs)."""
        from ofsc_cli.sandbox.seed import populate

        with self.transaction():
            self._exec("DELETE FROM docs")
            self._exec("DELETE FROM activities")
            self._exec("DELETE FROM tokens")
            self._exec("DELETE FROM meta WHERE key NOT IN ('app', 'schema_version')")
            self.set_meta("seed", str(seed))
            self.set_meta("scale", repr(float(scale)))
            populate(self, scale=scale, seed=seed, today=today)

    def fingerprint(self) -> str:
        """SHA-256 of every document and activity (same seed and scale → same value)."""
        digest = hashlib.sha256()
        with self._lock:
            for row in self._conn.execute(
                "SELECT collection, key, parent, position, json FROM docs ORDER BY collection, key"
            ):
                digest.update(repr(row).encode())
            for row in self._conn.execute("SELECT * FROM activities ORDER BY activity_id"):
                digest.update(repr(row).encode())
        return digest.hexdigest()


def _unusable(path: str, reason: str) -> SandboxStoreError:
    return SandboxStoreError(
        f"The sandbox database {path} cannot be used ({reason}). "
        "Run `ofsc sandbox reset` to recreate it (this erases its data)."
    )
