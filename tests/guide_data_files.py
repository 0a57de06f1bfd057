"""Local stand-ins for the downloads of TensorFlow's "tf.data: Build TensorFlow input pipelines" guide, with the
structure of the originals: a flower_photos tree of class folders of JPEGs, Iliad translations as text files, a
Titanic-like train.csv (the guide's ten columns, 627 rows made by formula), an FSNS-like TFRecord of
``tf.train.Example`` records (a PNG in ``image/encoded``, a street name in ``image/text``), a credit-card-like
CSV (30 float columns and an int ``Class``, 8 positives in 2048 rows) and MNIST from ``FERROFLOW_DATASETS``
in place of Fashion-MNIST (same shapes and dtypes). The images were encoded once and are stored here so both
libraries read the same bytes.
"""

from __future__ import annotations

import base64
import gzip
import os
from pathlib import Path

import numpy as np

JPEGS = [
    base64.b64decode(
        "/9j/4AAQSkZJRgABAQEBLAEsAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRT/2wBDAQMEBAUEBQkFBQkUDQsNFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBT/wAARCAAMABADASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwD5V8F/Az/V/wCj/pXvPgv4Gf6v/R/0r2vwX4R0z93+4r3nwX4R0z93+4rysHmc9Dg8PPEDF+5uf//Z"
    ),
    base64.b64decode(
        "/9j/4AAQSkZJRgABAQEBLAEsAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRT/2wBDAQMEBAUEBQkFBQkUDQsNFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBT/wAARCAAQAAwDASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDn/BfwM/1f+j/pXs2lfAz/AEJP9H/8drynwl+0h4+toRLLoPhhI1GSxtLj/wCP129v+1n8TZYgbbQfDUEPRV+xTk/U5n619Rn+Oq8I04fX7SnPaEJJyt/NZtJLpdvV7Xs7fovANLiWvQ91w2/n/wCAf//Z"
    ),
    base64.b64decode(
        "/9j/4AAQSkZJRgABAQEBLAEsAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRT/2wBDAQMEBAUEBQkFBQkUDQsNFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBT/wAARCAAKAAoDASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwD1fRfhNHpMMYFuHuGHyJj9T7fzr5u8afCK9fxjrrF5gTfzk4Ygf6xuwrzbQfjF4+fVJy3jfxGx81hk6tcHgHA/jrxLxj8YPHn/AAl2uf8AFbeI/wDj+n/5i0//AD0b/br5HHZ5nOcZ1iaMcU6VKi3CMY3W0rOTakrt29EtF1b8LjrD42nw/gX9Yu3N/Z/u/wCI/9k="
    ),
]
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAABgAAAAICAAAAADGymC/AAAAE0lEQVQImWNk4MIOmFhxgMEpAQDONQQ+AgO1oQAAAABJRU5ErkJggg=="
)

ILIAD = {
    "cowper.txt": [
        "\ufeffAchilles sing, O Goddess! Peleus' son;",
        "His wrath pernicious, who ten thousand woes",
        "Caused to Achaia's host, sent many a soul",
        "Illustrious into Ades premature,",
        "And Heroes gave (so stood the will of Jove)",
        "To dogs and to all ravening fowls a prey,",
    ],
    "derby.txt": [
        "\ufeffOf Peleus' son, Achilles, sing, O Muse,",
        "The vengeance, deep and deadly; whence to Greece",
        "Unnumbered ills arose; which many a soul",
        "Of mighty warriors to the viewless shades",
    ],
    "butler.txt": [
        "\ufeffSing, O goddess, the anger of Achilles son of Peleus, that brought",
        "countless ills upon the Achaeans. Many a brave soul did it send",
        "hurrying down to Hades, and many a hero did it yield a prey to dogs and",
        "vultures, for so were the counsels of Jove fulfilled from the day on",
        "which the son of Atreus, king of men, and great Achilles, first fell",
    ],
}
STREETS = ["Rue Perreyon", "Rue de la Paix", "Avenue Foch", "Rue Lepic", "Quai Voltaire", "Rue Cler"]


def titanic_rows() -> list:
    """The header and 627 rows of a CSV with the Titanic training file's columns and value kinds."""
    rows = ["survived,sex,age,n_siblings_spouses,parch,fare,class,deck,embark_town,alone"]
    for i in range(627):
        survived = int(i * 7 % 5 < 2)
        sex = ("male", "female")[i * 3 % 7 < 3]
        age = float(2 + i * 37 % 70) + (0.5 if i % 4 == 3 else 0.0)
        sib, parch = i * 5 % 4, i * 11 % 3
        fare = round(5.0 + (i * 53 % 5000) / 37.0, 4)
        cls = ("Third", "First", "Second", "Third")[i % 4]
        deck = ("unknown", "C", "unknown", "G", "A", "unknown", "B", "D", "E", "F")[i * 3 % 10]
        town = ("Southampton", "Cherbourg", "Queenstown", "Southampton")[i * 7 % 4]
        alone = ("n", "y")[sib + parch == 0]
        rows.append(f"{survived},{sex},{age!r},{sib},{parch},{fare!r},{cls},{deck},{town},{alone}")
    return rows


def read_csv_columns(path: str) -> dict:
    """``dict(pd.read_csv(path))`` without pandas: each column as a NumPy array (int64, float64 or object)."""
    with open(path) as f:
        lines = f.read().splitlines()
    names = lines[0].split(",")
    cols = list(zip(*(line.split(",") for line in lines[1:])))
    out = {}
    for name, col in zip(names, cols):
        for kind in (np.int64, np.float64):
            try:
                out[name] = np.array([kind(v) if kind is np.float64 else int(v) for v in col], dtype=kind)
                break
            except ValueError:
                continue
        else:
            out[name] = np.array(col, dtype=object)
    return out


def load_mnist_idx(root: str) -> tuple:
    """``((x_train, y_train), (x_test, y_test))`` read from MNIST's idx.gz files, as Keras's load_data gives."""

    def read(name: str, offset: int, shape: tuple) -> np.ndarray:
        with gzip.open(os.path.join(root, name)) as f:
            return np.frombuffer(f.read(), np.uint8, offset=offset).reshape(shape)

    return (
        (read("train-images-idx3-ubyte.gz", 16, (-1, 28, 28)), read("train-labels-idx1-ubyte.gz", 8, (-1,))),
        (read("t10k-images-idx3-ubyte.gz", 16, (-1, 28, 28)), read("t10k-labels-idx1-ubyte.gz", 8, (-1,))),
    )


def make_files(tf, root: Path, mnist_dir: str) -> dict:
    """Writes the stand-in files under ``root`` (``tf`` writes the TFRecord) and returns the names the cells
    use in place of the downloads."""
    flowers = root / "flower_photos"
    for k, cls in enumerate(["daisy", "roses", "tulips"]):
        (flowers / cls).mkdir(parents=True)
        for j in range(2):
            (flowers / cls / f"{1000 + 7 * k + j}_photo.jpg").write_bytes(JPEGS[(k + j) % 3])
    (flowers / "LICENSE.txt").write_text("All images are generated.\n")
    illiad = root / "illiad"
    illiad.mkdir()
    for name, lines in ILIAD.items():
        (illiad / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "train.csv").write_text("\n".join(titanic_rows()) + "\n")
    fsns = str(root / "fsns.tfrec")
    with tf.io.TFRecordWriter(fsns) as writer:
        for i in range(12):
            feature = {
                "image/encoded": tf.train.Feature(bytes_list=tf.train.BytesList(value=[PNG])),
                "image/text": tf.train.Feature(bytes_list=tf.train.BytesList(value=[STREETS[i % 6].encode()])),
            }
            writer.write(tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString())
    credit = ["Time," + ",".join(f"V{i}" for i in range(1, 29)) + ",Amount,Class"]
    for r in range(2048):
        values = [float(r)] + [round(float(np.sin(r * 0.37 + c)), 6) for c in range(1, 29)]
        credit.append(",".join(repr(v) for v in values) + f",{round(1.0 + r % 97 * 1.5, 2)!r},{int(r % 256 == 17)}")
    (root / "creditcard.csv").write_text("\n".join(credit) + "\n")
    return {
        "flower_photos": str(flowers),
        "illiad_dir": str(illiad),
        "titanic_csv": str(root / "train.csv"),
        "fsns_file": fsns,
        "creditcard_csv": str(root / "creditcard.csv"),
        "ckpt_dir": str(root / "ckpt"),
        "read_csv_columns": read_csv_columns,
        "load_fashion_mnist": lambda: load_mnist_idx(mnist_dir),
    }
