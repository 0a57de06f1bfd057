"""Writes the LMDB databases the LMDB reader tests read, with the ``lmdb`` package (liblmdb's bindings).

Run with an interpreter that has ``lmdb`` installed: ``python tests/data/make_lmdb_fixtures.py``. The records of
each database come from ``records(name)`` below, which the tests import to compare against (they need no
``lmdb``). Databases are written with 4096-byte pages and without lock files.
"""

from __future__ import annotations

import os
import random
import shutil
from typing import Dict, List, Tuple

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lmdb")

Record = Tuple[bytes, bytes]


def _ten() -> List[Record]:
    """TensorFlow's own test database: keys "0".."9", values "a".."j"."""
    return [(str(i).encode(), chr(ord("a") + i).encode()) for i in range(10)]


def _overflow() -> List[Record]:
    """Values of 0 bytes to several pages, the large ones on overflow pages."""
    rng = random.Random(1)
    sizes = [0, 1, 100, 2000, 4096, 5000, 12345, 20000]
    return [(f"value{n:05d}".encode(), bytes(rng.randrange(256) for _ in range(n))) for n in sizes]


def _deep() -> List[Record]:
    """Long keys, so that few fit in a page: leaf pages under branch pages under a root branch page."""
    rng = random.Random(2)
    out = []
    for i in range(200):
        key = f"{i:04d}".encode() + bytes(rng.randrange(256) for _ in range(296))
        out.append((key, f"v{i}".encode() * (i % 4)))
    return out


DATABASES: Dict[str, str] = {
    "ten": "dir",  # data.mdb in a directory
    "overflow.mdb": "file",  # a single file (MDB_NOSUBDIR)
    "deep": "dir",
    "empty.mdb": "file",
    "named.mdb": "file",  # uses a named sub-database
}


def records(name: str) -> List[Record]:
    """The records of database ``name`` in key order (what a reader must produce)."""
    if name == "ten":
        return _ten()
    if name == "overflow.mdb":
        return sorted(_overflow())
    if name == "deep":
        return sorted(_deep())
    return []


def _write(name: str) -> None:
    import lmdb

    path = os.path.join(HERE, name)
    if os.path.isdir(path):
        shutil.rmtree(path)
    elif os.path.exists(path):
        os.remove(path)
    subdir = DATABASES[name] == "dir"
    env = lmdb.open(path, map_size=1 << 22, subdir=subdir, lock=False, max_dbs=1 if name == "named.mdb" else 0)
    if name == "named.mdb":
        sub = env.open_db(b"inner")
        with env.begin(write=True) as txn:
            txn.put(b"k", b"v", db=sub)
    else:
        written = list(records(name))
        random.Random(3).shuffle(written)  # out of order: page splits in the middle of pages
        with env.begin(write=True) as txn:
            for key, value in written:
                txn.put(key, value)
            if name == "deep":
                for i in range(20):  # deleted again: freed pages, the free-page database in use
                    txn.put(f"gone{i}".encode() * 40, b"x" * 900)
        if name == "deep":
            with env.begin(write=True) as txn:
                for i in range(20):
                    txn.delete(f"gone{i}".encode() * 40)
        with env.begin() as txn:
            assert list(txn.cursor()) == records(name), name
    env.close()


if __name__ == "__main__":
    os.makedirs(HERE, exist_ok=True)
    for db in DATABASES:
        _write(db)
    for root, _, files in os.walk(HERE):
        for f in sorted(files):
            print(os.path.relpath(os.path.join(root, f), HERE), os.path.getsize(os.path.join(root, f)))
