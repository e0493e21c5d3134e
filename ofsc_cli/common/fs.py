"""Private folders: created with mode 0700 whatever the umask.

The token cache (:mod:`ofsc_cli.client.token_cache`) and the config store
(:mod:`ofsc_cli.config.store`) both keep secrets in folders they may have to create.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

__all__ = ["make_private_dirs"]


def make_private_dirs(directory: Path) -> None:
    """Create ``directory`` and its missing parents, each mode 0700 whatever the umask.

    Folders that already exist are left as they are.  Raises :class:`OSError` when a folder
    cannot be created, or :class:`NotADirectoryError` when ``directory`` exists but is not a
    directory.
    """
    missing = []
    for folder in (directory, *directory.parents):
        if folder.exists():
            break
        missing.append(folder)
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            continue
        with contextlib.suppress(OSError):
            os.chmod(folder, 0o700)
    if not directory.is_dir():
        raise NotADirectoryError(f"not a directory: {directory}")
