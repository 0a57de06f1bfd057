# ruff: noqa: E501, W291
"""The code cells of TensorFlow's tutorial "Basic classification: Classify images of clothing"
(tensorflow/docs ``site/en/tutorials/keras/classification.ipynb``, stored version 945a448), with
``import ferroflow as tf`` / ``from ferroflow import keras``. matplotlib is not used: each plotting cell prints
the values it would plot (the image's shape and range, the 25 class names, the caption and bar heights of
``plot_image``/``plot_value_array``). Fashion-MNIST is read from the local files (``$FERROFLOW_DATASETS`` or
Debian's ``/usr/share/datasets/fashion-mnist``)."""

CELLS = [
    """\
# TensorFlow and tf.keras
import ferroflow as tf
from ferroflow import keras

# Helper libraries
import numpy as np

print(tf.__version__)
""",
    """\
fashion_mnist = keras.datasets.fashion_mnist

(train_images, train_labels), (test_images, test_labels) = fashion_mnist.load_data()
""",
    """\
class_names = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
               'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']
""",
    "train_images.shape\n",
    "len(train_labels)\n",
    "train_labels\n",
    "test_images.shape\n",
    "len(test_labels)\n",
    """\
# plt.imshow(train_images[0]); plt.colorbar()
print(train_images[0].shape, train_images[0].dtype, train_images[0].min(), train_images[0].max())
""",
    """\
train_images = train_images / 255.0

test_images = test_images / 255.0
""",
    """\
# the 25 images' captions: plt.xlabel(class_names[train_labels[i]])
print([class_names[train_labels[i]] for i in range(25)])
print(train_images[:25].shape, train_images.dtype, train_images.max())
""",
    """\
model = keras.Sequential([
    keras.layers.Flatten(input_shape=(28, 28)),
    keras.layers.Dense(128, activation='relu'),
    keras.layers.Dense(10)
])
""",
    """\
model.compile(optimizer='adam',
              loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=['accuracy'])
""",
    "model.fit(train_images, train_labels, epochs=10)\n",
    """\
test_loss, test_acc = model.evaluate(test_images,  test_labels, verbose=2)

print('\\nTest accuracy:', test_acc)
""",
    """\
probability_model = tf.keras.Sequential([model, 
                                         tf.keras.layers.Softmax()])
""",
    "predictions = probability_model.predict(test_images)\n",
    "predictions[0]\n",
    "np.argmax(predictions[0])\n",
    "test_labels[0]\n",
    """\
def plot_image(i, predictions_array, true_label, img):
  true_label, img = true_label[i], img[i]
  predicted_label = np.argmax(predictions_array)
  if predicted_label == true_label:
    color = 'blue'
  else:
    color = 'red'
  # plt.imshow(img); plt.xlabel(...)
  print(img.shape, "{} {:2.0f}% ({})".format(class_names[predicted_label],
                                100*np.max(predictions_array),
                                class_names[true_label]), color)

def plot_value_array(i, predictions_array, true_label):
  true_label = true_label[i]
  predicted_label = np.argmax(predictions_array)
  # plt.bar(range(10), predictions_array): red bar at the prediction, blue at the true label
  print(np.round(np.asarray(predictions_array, np.float64), 2).tolist(), 'red', predicted_label, 'blue', true_label)
""",
    """\
i = 0
plot_image(i, predictions[i], test_labels, test_images)
plot_value_array(i, predictions[i],  test_labels)
""",
    """\
i = 12
plot_image(i, predictions[i], test_labels, test_images)
plot_value_array(i, predictions[i],  test_labels)
""",
    """\
num_rows = 5
num_cols = 3
num_images = num_rows*num_cols
for i in range(num_images):
  plot_image(i, predictions[i], test_labels, test_images)
  plot_value_array(i, predictions[i], test_labels)
""",
    """\
# Grab an image from the test dataset.
img = test_images[1]

print(img.shape)
""",
    """\
# Add the image to a batch where it's the only member.
img = (np.expand_dims(img,0))

print(img.shape)
""",
    """\
predictions_single = probability_model.predict(img)

print(predictions_single)
""",
    """\
plot_value_array(1, predictions_single[0], test_labels)
# plt.xticks(range(10), class_names, rotation=45)
print(class_names)
""",
    "np.argmax(predictions_single[0])\n",
]
