"""``keras.utils.get_file``: a file from a URL, cached in Keras's cache folder, optionally checked and extracted."""

from __future__ import annotations

import os
import tarfile
import zipfile
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

from ..datasets._download import ChecksumError, download, file_digest


def _cache_root(cache_dir: Optional[str]) -> Path:
    if cache_dir is not None:
        return Path(cache_dir).expanduser()
    return Path(os.environ.get("KERAS_HOME", Path.home() / ".keras"))


def _algorithm(file_hash: str, hash_algorithm: str) -> str:
    if hash_algorithm in ("sha256", "md5"):
        return hash_algorithm
    return "sha256" if len(file_hash) == 64 else "md5"


def get_file(
    fname: Optional[str] = None,
    origin: Optional[str] = None,
    untar: bool = False,
    md5_hash: Optional[str] = None,
    file_hash: Optional[str] = None,
    cache_subdir: str = "datasets",
    hash_algorithm: str = "auto",
    extract: bool = False,
    archive_format: str = "auto",
    cache_dir: Optional[str] = None,
    force_download: bool = False,
) -> str:
    """Downloads ``origin`` to ``cache_dir/cache_subdir/fname`` unless a file that passes ``file_hash``
    is already there, and returns its path (with ``extract``/``untar``, the folder it was extracted into).

    The download is written to a temporary file and moved into place only once complete and verified, so
    an interrupted download never leaves a partial file in the cache. Offline, a missing file raises an
    ``OSError`` naming the URL and the cache path.
    """
    if origin is None:
        raise ValueError('get_file needs an "origin" URL to download from')
    if fname is None:
        fname = os.path.basename(urlsplit(origin).path)
        if not fname:
            raise ValueError(f"cannot derive a file name from the URL {origin!r}; pass fname=")
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    folder = _cache_root(cache_dir) / cache_subdir
    if os.path.isabs(cache_subdir):
        folder = Path(cache_subdir)
    target = folder / fname
    if untar and not str(target).endswith((".tar.gz", ".tgz", ".tar")):
        target = target.with_name(target.name + ".tar.gz")
    algorithm = _algorithm(file_hash, hash_algorithm) if file_hash else None
    fresh = force_download or not target.exists()
    if not fresh and file_hash is not None and file_digest(target, algorithm) != file_hash.lower():
        fresh = True  # an older or damaged copy: fetch it again
    if fresh:
        try:
            if file_hash is not None:
                download(origin, target, algorithm, file_hash)
            else:
                _download_unchecked(origin, target)
        except ChecksumError:
            raise
        except OSError as e:
            raise OSError(
                f"Cannot download {origin} ({e}). It is not in the cache at {target}: put the file there, or "
                "run where the URL can be reached"
            ) from None
    if untar or extract:
        return str(_extract(target, "tar" if untar else archive_format))
    return str(target)


def _download_unchecked(origin: str, target: Path) -> None:
    """``download`` without a known checksum: the digest is computed, then trusted."""
    import secrets
    from urllib.request import urlopen

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.{secrets.token_hex(6)}.part"
    print(f"Downloading data from {origin}", flush=True)
    try:
        with open(tmp, "xb") as out, urlopen(origin, timeout=60) as response:
            for chunk in iter(lambda: response.read(1 << 20), b""):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        if tmp.exists():
            tmp.unlink()
        raise


def _extract(archive: Path, archive_format: str) -> Path:
    """Extracts a tar or zip archive next to itself (into a folder named after it) and returns the folder."""
    name = archive.name
    for suffix in (".tar.gz", ".tgz", ".tar.bz2", ".tar", ".zip"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    dest = archive.parent / (name + "_extracted" if name == archive.name else name)
    if dest.exists():
        return dest
    formats = ["tar", "zip"] if archive_format == "auto" else [archive_format]
    partial = dest.with_name("." + dest.name + ".part")
    if "tar" in formats and tarfile.is_tarfile(archive):
        with tarfile.open(archive) as tar:
            if hasattr(tarfile, "data_filter"):
                tar.extractall(partial, filter="data")  # no absolute paths, links out, or devices
            else:  # a Python without extraction filters: refuse what the filter would
                for member in tar.getmembers():
                    if (
                        os.path.isabs(member.name)
                        or ".." in Path(member.name).parts
                        or member.issym()
                        or member.islnk()
                    ):
                        raise ValueError(f"{archive}: the archive entry {member.name!r} would land outside {dest}")
                tar.extractall(partial)
    elif "zip" in formats and zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as z:
            for member in z.namelist():
                if os.path.isabs(member) or ".." in Path(member).parts:
                    raise ValueError(f"{archive}: the archive entry {member!r} would land outside {dest}")
            z.extractall(partial)
    else:
        raise ValueError(f"{archive} is not a {' or '.join(formats)} archive")
    os.replace(partial, dest)
    return dest
