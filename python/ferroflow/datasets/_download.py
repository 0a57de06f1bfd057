"""Checksum-verified, atomic downloads into a dataset cache folder."""

from __future__ import annotations

import hashlib
import os
import secrets
import sys
from pathlib import Path
from urllib.request import urlopen

_CHUNK = 1 << 20
DEFAULT_TIMEOUT = 60.0


class ChecksumError(ValueError):
    """A downloaded file's checksum differs from the expected one."""


def file_digest(path: str | os.PathLike, algorithm: str) -> str:
    """Hex digest of the file at ``path`` with the hashlib ``algorithm`` ("sha256", "md5")."""
    h = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def download(
    url: str,
    dest: str | os.PathLike,
    algorithm: str,
    digest: str,
    timeout: float = DEFAULT_TIMEOUT,
    quiet: bool = False,
) -> Path:
    """Download ``url`` to ``dest``, verifying its ``algorithm`` checksum against ``digest``.

    The data goes to a temporary file in the destination folder first, which is flushed, synced
    and verified before ``os.replace`` moves it into place, so ``dest`` either does not exist
    or holds the complete, verified file. The temporary file is removed on any failure.

    Raises:
        OSError: network or file-system errors (``urllib.error.URLError`` is an ``OSError``).
        ChecksumError: the downloaded data does not match ``digest``.
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.parent / f".{dest.name}.{secrets.token_hex(6)}.part"
    if not quiet:
        print(f"Downloading data from {url}", file=sys.stdout, flush=True)
    h = hashlib.new(algorithm)
    try:
        with open(tmp, "xb") as out:
            with urlopen(url, timeout=timeout) as response:
                for chunk in iter(lambda: response.read(_CHUNK), b""):
                    h.update(chunk)
                    out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        actual = h.hexdigest()
        if actual != digest.lower():
            raise ChecksumError(f"{url}: {algorithm} checksum mismatch: expected {digest}, got {actual}")
        os.replace(tmp, dest)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return dest
