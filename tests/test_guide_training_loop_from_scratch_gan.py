# ruff: noqa: E501
"""Keras's "Writing a training loop from scratch in TensorFlow" guide
(https://keras.io/guides/writing_a_custom_training_loop_in_tensorflow/), second part: a GAN trained by a
``tf.function`` step with two optimizers, and one generated image saved with ``keras.utils.array_to_img``.

The cells run in order with ``import ferroflow as tf`` (``keras = tf.keras``); each expected text is what
TensorFlow 2.21 / Keras 3 prints for the same cell, normalized as in ``guide_training_builtin_setup``.
The guide loops over all 70,000 MNIST digits and stops after 12 batches; here 256 digits (the first 128
training and 128 test images) give 4 batches, so the cell runs in seconds; only step 0 prints, as in the
guide. The losses are random, so their digits are not compared: the tests check that both networks'
weights moved and that the image was written. ``array_to_img`` needs PIL, as in Keras: without it the
cell ends with Keras's ImportError, which is then the expected text.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

import ferroflow as tf
from guide_cells import cell_indices, run_cells
from guide_training_builtin_setup import normalize

try:
    import PIL  # noqa: F401

    _PIL_ERROR = ""
except ImportError:
    _PIL_ERROR = "EXC ImportError: Could not import PIL.Image. The use of `array_to_img` requires PIL.\n"

CELLS = [
    (
        """\
import time
import os
keras = tf.keras
keras.utils.set_random_seed(1337)
""",
        "",
    ),
    (
        """\
discriminator = keras.Sequential(
    [
        keras.Input(shape=(28, 28, 1)),
        keras.layers.Conv2D(64, (3, 3), strides=(2, 2), padding="same"),
        keras.layers.LeakyReLU(negative_slope=0.2),
        keras.layers.Conv2D(128, (3, 3), strides=(2, 2), padding="same"),
        keras.layers.LeakyReLU(negative_slope=0.2),
        keras.layers.GlobalMaxPooling2D(),
        keras.layers.Dense(1),
    ],
    name="discriminator",
)
discriminator.summary()
""",
        """\
Model: "discriminator"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ conv2d (Conv2D)                 │ (None, 14, 14, 64)     │           640 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ leaky_re_lu (LeakyReLU)         │ (None, 14, 14, 64)     │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ conv2d_1 (Conv2D)               │ (None, 7, 7, 128)      │        73,856 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ leaky_re_lu_1 (LeakyReLU)       │ (None, 7, 7, 128)      │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ global_max_pooling2d            │ (None, 128)            │             0 │
│ (GlobalMaxPooling2D)            │                        │               │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense (Dense)                   │ (None, 1)              │           129 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 74,625 (F KB)
 Trainable params: 74,625 (F KB)
 Non-trainable params: 0 (F B)
""",
    ),
    (
        """\
latent_dim = 128

generator = keras.Sequential(
    [
        keras.Input(shape=(latent_dim,)),
        # We want to generate 128 coefficients to reshape into a 7x7x128 map
        keras.layers.Dense(7 * 7 * 128),
        keras.layers.LeakyReLU(negative_slope=0.2),
        keras.layers.Reshape((7, 7, 128)),
        keras.layers.Conv2DTranspose(128, (4, 4), strides=(2, 2), padding="same"),
        keras.layers.LeakyReLU(negative_slope=0.2),
        keras.layers.Conv2DTranspose(128, (4, 4), strides=(2, 2), padding="same"),
        keras.layers.LeakyReLU(negative_slope=0.2),
        keras.layers.Conv2D(1, (7, 7), padding="same", activation="sigmoid"),
    ],
    name="generator",
)
""",
        "",
    ),
    (
        """\
# Instantiate one optimizer for the discriminator and another for the generator.
d_optimizer = keras.optimizers.Adam(learning_rate=0.0003)
g_optimizer = keras.optimizers.Adam(learning_rate=0.0004)

# Instantiate a loss function.
loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)


@tf.function
def train_step(real_images):
    # Sample random points in the latent space
    random_latent_vectors = tf.random.normal(shape=(batch_size, latent_dim))
    # Decode them to fake images
    generated_images = generator(random_latent_vectors)
    # Combine them with real images
    combined_images = tf.concat([generated_images, real_images], axis=0)

    # Assemble labels discriminating real from fake images
    labels = tf.concat(
        [tf.ones((batch_size, 1)), tf.zeros((real_images.shape[0], 1))], axis=0
    )
    # Add random noise to the labels - important trick!
    labels += 0.05 * tf.random.uniform(labels.shape)

    # Train the discriminator
    with tf.GradientTape() as tape:
        predictions = discriminator(combined_images)
        d_loss = loss_fn(labels, predictions)
    grads = tape.gradient(d_loss, discriminator.trainable_weights)
    d_optimizer.apply(grads, discriminator.trainable_weights)

    # Sample random points in the latent space
    random_latent_vectors = tf.random.normal(shape=(batch_size, latent_dim))
    # Assemble labels that say "all real images"
    misleading_labels = tf.zeros((batch_size, 1))

    # Train the generator (note that we should *not* update the weights
    # of the discriminator)!
    with tf.GradientTape() as tape:
        predictions = discriminator(generator(random_latent_vectors))
        g_loss = loss_fn(misleading_labels, predictions)
    grads = tape.gradient(g_loss, generator.trainable_weights)
    g_optimizer.apply(grads, generator.trainable_weights)
    return d_loss, g_loss, generated_images
""",
        "",
    ),
    (
        """\
# Prepare the dataset. We use both the training & test MNIST digits.
batch_size = 64
(x_train, _), (x_test, _) = keras.datasets.mnist.load_data()
all_digits = np.concatenate([x_train[:128], x_test[:128]])
all_digits = all_digits.astype("float32") / 255.0
all_digits = np.reshape(all_digits, (-1, 28, 28, 1))
dataset = tf.data.Dataset.from_tensor_slices(all_digits)
dataset = dataset.shuffle(buffer_size=1024).batch(batch_size)

epochs = 1  # In practice you need at least 20 epochs to generate nice digits.
save_dir = "./"

for epoch in range(epochs):
    print(f"\\nStart epoch {epoch}")

    for step, real_images in enumerate(dataset):
        # Train the discriminator & generator on one batch of real images.
        d_loss, g_loss, generated_images = train_step(real_images)

        # Logging.
        if step % 100 == 0:
            # Print metrics
            print(f"discriminator loss at step {step}: {d_loss:.2f}")
            print(f"adversarial loss at step {step}: {g_loss:.2f}")

            # Save one generated image
            img = keras.utils.array_to_img(generated_images[0] * 255.0, scale=False)
            img.save(os.path.join(save_dir, f"generated_img_{step}.png"))

        # To limit execution time we stop after 10 steps.
        # Remove the lines below to actually train the model!
        if step > 10:
            break
""",
        """\

Start epoch 0
discriminator loss at step 0: F
adversarial loss at step 0: F
"""
        + _PIL_ERROR,
    ),
]


# Cells that still print differently from TensorFlow, and why (strict: they fail once they match).
GAPS: dict = {}


@pytest.fixture(scope="module")
def guide(tmp_path_factory) -> tuple:
    ns: dict = {}
    cwd = os.getcwd()
    os.chdir(tmp_path_factory.mktemp("guide"))
    tf.keras.backend.clear_session()  # layer names start afresh, as in the new process the guide ran in
    try:
        outputs = run_cells(CELLS[:3], ns)  # the setup, the discriminator and the generator
        before = {name: [w.numpy() for w in ns[name].weights] for name in ("discriminator", "generator")}
        outputs += run_cells(CELLS[3:], ns)
        ns["saved"] = sorted(os.listdir("."))
    finally:
        os.chdir(cwd)
    ns["weights_before"] = before
    return [normalize(text) for text in outputs], ns


@pytest.mark.parametrize("index", cell_indices(CELLS, GAPS))
def test_cell(guide: tuple, index: int) -> None:
    assert guide[0][index] == CELLS[index][1], f"cell {index}:\n{CELLS[index][0]}"


def test_gan_loop_trains_both_networks(guide: tuple) -> None:
    ns = guide[1]
    assert np.isfinite(float(ns["d_loss"])) and np.isfinite(float(ns["g_loss"]))
    assert ns["step"] == 3 and tuple(ns["generated_images"].shape) == (64, 28, 28, 1)
    for name, before in ns["weights_before"].items():
        after = [w.numpy() for w in ns[name].weights]
        assert all(not np.allclose(a, b) for a, b in zip(before, after)), name
    assert ns["saved"] == ([] if _PIL_ERROR else ["generated_img_0.png"])
