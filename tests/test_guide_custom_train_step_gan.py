# ruff: noqa: E501
"""Keras's "Customizing what happens in fit() with TensorFlow" guide
(https://keras.io/guides/custom_train_step_in_tensorflow/), third part: the end-to-end GAN, a model
overriding ``compile`` with its own signature and a ``train_step`` that trains a discriminator and a
generator with two optimizers, drawing its noise from a ``keras.random.SeedGenerator`` in the traced step.

The cells run in order with ``import ferroflow as tf`` (``keras = tf.keras``); each expected text is what
TensorFlow 2.21 / Keras 3 prints for the same cell, normalized as in ``guide_training_builtin_setup``.
The guide trains on 100 batches of all 70,000 MNIST digits; here 1,280 digits (the first 640 training and
640 test images) are batched the same way and 4 batches trained, so the cell runs in seconds. The losses
are random, so the digits are not compared: the tests below check the logs' names, that they are finite,
and that both networks' weights moved.
"""

from __future__ import annotations

import numpy as np
import pytest

from guide_cells import run_cells
from guide_training_builtin_setup import normalize

CELLS = [
    (
        """\
import os
keras = tf.keras
layers = keras.layers
keras.utils.set_random_seed(1337)
""",
        "",
    ),
    (
        """\
# Create the discriminator
discriminator = keras.Sequential(
    [
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(64, (3, 3), strides=(2, 2), padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2D(128, (3, 3), strides=(2, 2), padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.GlobalMaxPooling2D(),
        layers.Dense(1),
    ],
    name="discriminator",
)

# Create the generator
latent_dim = 128
generator = keras.Sequential(
    [
        keras.Input(shape=(latent_dim,)),
        # We want to generate 128 coefficients to reshape into a 7x7x128 map
        layers.Dense(7 * 7 * 128),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Reshape((7, 7, 128)),
        layers.Conv2DTranspose(128, (4, 4), strides=(2, 2), padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2DTranspose(128, (4, 4), strides=(2, 2), padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2D(1, (7, 7), padding="same", activation="sigmoid"),
    ],
    name="generator",
)
""",
        "",
    ),
    (
        """\
class GAN(keras.Model):
    def __init__(self, discriminator, generator, latent_dim):
        super().__init__()
        self.discriminator = discriminator
        self.generator = generator
        self.latent_dim = latent_dim
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.seed_generator = keras.random.SeedGenerator(1337)

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker]

    def compile(self, d_optimizer, g_optimizer, loss_fn):
        super().compile()
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.loss_fn = loss_fn

    def train_step(self, real_images):
        if isinstance(real_images, tuple):
            real_images = real_images[0]
        # Sample random points in the latent space
        batch_size = tf.shape(real_images)[0]
        random_latent_vectors = keras.random.normal(
            shape=(batch_size, self.latent_dim), seed=self.seed_generator
        )

        # Decode them to fake images
        generated_images = self.generator(random_latent_vectors)

        # Combine them with real images
        combined_images = tf.concat([generated_images, real_images], axis=0)

        # Assemble labels discriminating real from fake images
        labels = tf.concat(
            [tf.ones((batch_size, 1)), tf.zeros((batch_size, 1))], axis=0
        )
        # Add random noise to the labels - important trick!
        labels += 0.05 * keras.random.uniform(
            tf.shape(labels), seed=self.seed_generator
        )

        # Train the discriminator
        with tf.GradientTape() as tape:
            predictions = self.discriminator(combined_images)
            d_loss = self.loss_fn(labels, predictions)
        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.d_optimizer.apply(grads, self.discriminator.trainable_weights)

        # Sample random points in the latent space
        random_latent_vectors = keras.random.normal(
            shape=(batch_size, self.latent_dim), seed=self.seed_generator
        )

        # Assemble labels that say "all real images"
        misleading_labels = tf.zeros((batch_size, 1))

        # Train the generator (note that we should *not* update the weights
        # of the discriminator)!
        with tf.GradientTape() as tape:
            predictions = self.discriminator(self.generator(random_latent_vectors))
            g_loss = self.loss_fn(misleading_labels, predictions)
        grads = tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_optimizer.apply(grads, self.generator.trainable_weights)

        # Update metrics and return their value.
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        return {
            "d_loss": self.d_loss_tracker.result(),
            "g_loss": self.g_loss_tracker.result(),
        }
""",
        "",
    ),
    (
        """\
# Prepare the dataset. We use both the training & test MNIST digits.
batch_size = 64
(x_train, _), (x_test, _) = keras.datasets.mnist.load_data()
all_digits = np.concatenate([x_train[:640], x_test[:640]])
all_digits = all_digits.astype("float32") / 255.0
all_digits = np.reshape(all_digits, (-1, 28, 28, 1))
dataset = tf.data.Dataset.from_tensor_slices(all_digits)
dataset = dataset.shuffle(buffer_size=1024).batch(batch_size)

gan = GAN(discriminator=discriminator, generator=generator, latent_dim=latent_dim)
gan.compile(
    d_optimizer=keras.optimizers.Adam(learning_rate=0.0003),
    g_optimizer=keras.optimizers.Adam(learning_rate=0.0003),
    loss_fn=keras.losses.BinaryCrossentropy(from_logits=True),
)

# To limit the execution time, we only train on 100 batches. You can train on
# the entire dataset. You will need about 20 epochs to get nice results.
gan.fit(dataset.take(4), epochs=1)
""",
        """\
4/4 [bar] - d_loss: F - g_loss: F
<History object>
""",
    ),
]


@pytest.fixture(scope="module")
def guide() -> tuple:
    ns: dict = {}
    outputs = run_cells(CELLS[:2], ns)  # the setup, then the discriminator and generator
    before = {name: [w.numpy() for w in ns[name].weights] for name in ("discriminator", "generator")}
    outputs += run_cells(CELLS[2:], ns)
    ns["weights_before"] = before
    return [normalize(text) for text in outputs], ns


@pytest.mark.parametrize("index", range(len(CELLS)))
def test_cell(guide: tuple, index: int) -> None:
    assert guide[0][index] == CELLS[index][1], f"cell {index}:\n{CELLS[index][0]}"


def test_gan_trains_both_networks(guide: tuple) -> None:
    ns = guide[1]
    gan = ns["gan"]
    history = gan.history.history
    assert list(history) == ["d_loss", "g_loss"]
    assert all(np.isfinite(v[0]) and v[0] > 0 for v in history.values())
    assert gan.metrics_names == ["d_loss", "g_loss"]
    for name, before in ns["weights_before"].items():
        after = [w.numpy() for w in ns[name].weights]
        assert all(not np.allclose(a, b) for a, b in zip(before, after)), name
    images = ns["generator"](np.zeros((2, ns["latent_dim"]), "float32")).numpy()
    assert images.shape == (2, 28, 28, 1) and images.min() >= 0.0 and images.max() <= 1.0
