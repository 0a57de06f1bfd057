"""``keras.utils.get_file``: cached files are reused and checked, archives extracted, and offline a missing
file raises an error naming the URL and the cache path. Downloads are served from a local file:// URL."""

import hashlib
import tarfile
import zipfile

import pytest

import ferroflow as tf


def test_downloads_once_then_uses_the_cache(tmp_path):
    src = tmp_path / "src" / "data.csv"
    src.parent.mkdir()
    src.write_text("a,b\n1,2\n")
    digest = hashlib.sha256(src.read_bytes()).hexdigest()
    cache = tmp_path / "cache"
    path = tf.keras.utils.get_file("data.csv", origin=src.as_uri(), file_hash=digest, cache_dir=str(cache))
    assert path == str(cache / "datasets" / "data.csv")
    assert open(path).read() == "a,b\n1,2\n"
    src.unlink()  # the source is gone: the cached, verified copy serves
    assert tf.keras.utils.get_file("data.csv", origin=src.as_uri(), file_hash=digest, cache_dir=str(cache)) == path
    assert not list((cache / "datasets").glob(".*part"))


def test_a_wrong_checksum_fails_without_leaving_a_file(tmp_path):
    src = tmp_path / "data.bin"
    src.write_bytes(b"xyz")
    with pytest.raises(ValueError, match="checksum"):
        tf.keras.utils.get_file("data.bin", origin=src.as_uri(), file_hash="0" * 64, cache_dir=str(tmp_path / "c"))
    assert not (tmp_path / "c" / "datasets" / "data.bin").exists()


def test_archives_are_extracted(tmp_path):
    inner = tmp_path / "inner.txt"
    inner.write_text("hello")
    tgz = tmp_path / "pack.tar.gz"
    with tarfile.open(tgz, "w:gz") as tar:
        tar.add(inner, arcname="pack/inner.txt")
    folder = tf.keras.utils.get_file("pack.tar.gz", origin=tgz.as_uri(), extract=True, cache_dir=str(tmp_path / "c"))
    assert open(f"{folder}/pack/inner.txt").read() == "hello"
    zpath = tmp_path / "z.zip"
    with zipfile.ZipFile(zpath, "w") as z:
        z.writestr("a/b.txt", "zip!")
    folder = tf.keras.utils.get_file("z.zip", origin=zpath.as_uri(), extract=True, cache_dir=str(tmp_path / "c"))
    assert open(f"{folder}/a/b.txt").read() == "zip!"


def test_offline_a_missing_file_names_the_url_and_the_cache_path(tmp_path):
    url = (tmp_path / "nowhere" / "file.npz").as_uri()
    with pytest.raises(OSError, match="file.npz") as e:
        tf.keras.utils.get_file("file.npz", origin=url, cache_dir=str(tmp_path / "c"))
    assert url in str(e.value) and str(tmp_path / "c" / "datasets" / "file.npz") in str(e.value)
