"""Records a Keras 3 functional model whose operations' class names are not their functions' camel case."""

import json
import os
import sys
import zipfile

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import keras
import numpy as np
from keras import ops

out = sys.argv[1]  # e.g. tests/data/keras3/op_class_names (writes .keras and .npz)
a = keras.Input((4,), name="a")
b = keras.Input((3, 4), name="b")
outs = {
    "layer_norm": ops.layer_normalization(a),
    "rms_norm": ops.rms_normalization(a),
    "batch_norm": ops.batch_normalization(
        a,
        mean=np.array([0.5, 0.0, 0.0, 1.0], "float32"),
        variance=np.array([1.0, 2.0, 0.5, 4.0], "float32"),
        axis=-1,
        epsilon=1e-3,
    ),
    "cdist": ops.cdist(ops.expand_dims(a, 1), b),
    "psnr": ops.psnr(a, ops.mean(b, axis=1), max_val=4.0),
}
m = keras.Model({"a": a, "b": b}, outs)
m.save(out + ".keras")
rng = np.random.default_rng(0)
xa = rng.integers(0, 4, size=(5, 4)).astype("float32")
xb = rng.normal(size=(5, 3, 4)).astype("float32")
y = m.predict({"a": xa, "b": xb}, verbose=0)
np.savez(out + ".npz", a=xa, b=xb, **{k: np.asarray(v) for k, v in y.items()})
cfg = json.loads(zipfile.ZipFile(out + ".keras").read("config.json"))
for entry in cfg["config"]["layers"]:
    print(entry["module"], entry["class_name"])
