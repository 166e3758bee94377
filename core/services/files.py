"""Writing a file for the user (exports, audit CSVs) so that it can never hurt the data (docs/domain.md §10).

A file is written to a temporary file beside the target and renamed into place only once complete: a full
disk or an interruption leaves the previous file as it was. A target that is the database itself, its
write-ahead log, shared memory or rollback journal (by path, symlink or hard link) is refused.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

from sqlalchemy import Engine

from core.errors import DomainError
from core.i18n import N_

SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def database_files(engine: Engine) -> list[Path]:
    """The files that make up an embedded (SQLite) database; none for a server database."""
    url = engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return []
    base = Path(url.database).resolve()
    return [base.with_name(base.name + suffix) for suffix in SQLITE_COMPANIONS]


def _is_database(path: Path, engine: Engine) -> bool:
    for db_file in database_files(engine):
        if path == db_file:
            return True
        with suppress(OSError):
            if path.exists() and db_file.exists() and os.path.samefile(path, db_file):
                return True
    return False


def check_target(engine: Engine, target: str | Path) -> Path:
    """The resolved path to write to; refuses the database's own files and folders."""
    path = Path(target).expanduser().resolve()
    if _is_database(path, engine):
        raise DomainError(
            N_("refusing to write to {target}: that is the database (or its journal)"), target=str(target)
        )
    if path.is_dir():
        raise DomainError(N_("{target} is a folder: give a file name"), target=str(target))
    if not path.parent.is_dir():
        raise DomainError(
            N_("cannot write {target}: the folder {folder} does not exist"), target=str(target), folder=str(path.parent)
        )
    return path


@contextmanager
def replacing(engine: Engine, target: str | Path, *, encoding: str = "utf-8") -> Iterator[IO[str]]:
    """A text file to write that replaces ``target`` only when the block completes without an error."""
    path = check_target(engine, target)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w", newline="", encoding=encoding) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
