# ruff: noqa: E501
"""The code cells of TensorFlow's "Custom layers" tutorial
(https://www.tensorflow.org/tutorials/customization/custom_layers) and what TensorFlow 2.21 printed for each,
run in order by ``test_guide_custom_layers``. Nothing is changed from the tutorial (the ``import tensorflow``
cell is the runner's ``import ferroflow as tf``). Keras 3 rejects the tutorial's ``add_weight("kernel", ...)``
(a positional name), so ``MyDenseLayer`` is never built and cell 7 prints an empty list, in both libraries.
"""

CELLS = [
    (
        """\
print(tf.test.is_gpu_available())
""",
        """\
False
""",
    ),
    (
        """\
# In the tf.keras.layers package, layers are objects. To construct a layer,
# simply construct the object. Most layers take as a first argument the number
# of output dimensions / channels.
layer = tf.keras.layers.Dense(100)
# The number of input dimensions is often unnecessary, as it can be inferred
# the first time the layer is used, but it can be provided if you want to
# specify it manually, which is useful in some complex models.
layer = tf.keras.layers.Dense(10, input_shape=(None, 5))
""",
        """\
""",
    ),
    (
        """\
# To use a layer, simply call it.
layer(tf.zeros([10, 5]))
""",
        """\
<tf.Tensor: shape=(10, 10), dtype=float32, numpy=
array([[0., 0., 0., 0., 0., 0., 0., 0., 0., 0.],
       [0., 0., 0., 0., 0., 0., 0., 0., 0., 0.],
       [0., 0., 0., 0., 0., 0., 0., 0., 0., 0.],
       [0., 0., 0., 0., 0., 0., 0., 0., 0., 0.],
       [0., 0., 0., 0., 0., 0., 0., 0., 0., 0.],
       [0., 0., 0., 0., 0., 0., 0., 0., 0., 0.],
       [0., 0., 0., 0., 0., 0., 0., 0., 0., 0.],
       [0., 0., 0., 0., 0., 0., 0., 0., 0., 0.],
       [0., 0., 0., 0., 0., 0., 0., 0., 0., 0.],
       [0., 0., 0., 0., 0., 0., 0., 0., 0., 0.]], dtype=float32)>
""",
    ),
    (
        """\
# Layers have many useful methods. For example, you can inspect all variables
# in a layer using `layer.variables` and trainable variables using
# `layer.trainable_variables`. In this case a fully-connected layer
# will have variables for weights and biases.
layer.variables
""",
        """\
[<Variable path=dense_1/kernel, shape=(5, 10), dtype=float32, value=[[ 0.46922797 -0.0823164  -0.3366695   0.06071162  0.4014563   0.35691202
  -0.5401632   0.45875973 -0.16786736  0.16604221]
 [ 0.24944353  0.5201102  -0.4091609   0.04103893  0.05319828 -0.14838693
   0.45737106 -0.5163459  -0.1304667   0.06667626]
 [-0.0267812   0.18963182 -0.4450893   0.13010752  0.4646148   0.11608881
   0.6253862  -0.09492129  0.05983055 -0.21200275]
 [ 0.32112527 -0.456419    0.4037481   0.0944804  -0.36769918 -0.11565977
  -0.3120895  -0.04374713 -0.38775986 -0.5259358 ]
 [ 0.40287405 -0.06939512  0.4944362  -0.62689894 -0.3341988   0.18127507
  -0.13671523  0.00790739 -0.03954023 -0.41299158]]>, <Variable path=dense_1/bias, shape=(10,), dtype=float32, value=[0. 0. 0. 0. 0. 0. 0. 0. 0. 0.]>]
""",
    ),
    (
        """\
# The variables are also accessible through nice accessors
layer.kernel, layer.bias
""",
        """\
(<Variable path=dense_1/kernel, shape=(5, 10), dtype=float32, value=[[ 0.46922797 -0.0823164  -0.3366695   0.06071162  0.4014563   0.35691202
  -0.5401632   0.45875973 -0.16786736  0.16604221]
 [ 0.24944353  0.5201102  -0.4091609   0.04103893  0.05319828 -0.14838693
   0.45737106 -0.5163459  -0.1304667   0.06667626]
 [-0.0267812   0.18963182 -0.4450893   0.13010752  0.4646148   0.11608881
   0.6253862  -0.09492129  0.05983055 -0.21200275]
 [ 0.32112527 -0.456419    0.4037481   0.0944804  -0.36769918 -0.11565977
  -0.3120895  -0.04374713 -0.38775986 -0.5259358 ]
 [ 0.40287405 -0.06939512  0.4944362  -0.62689894 -0.3341988   0.18127507
  -0.13671523  0.00790739 -0.03954023 -0.41299158]]>, <Variable path=dense_1/bias, shape=(10,), dtype=float32, value=[0. 0. 0. 0. 0. 0. 0. 0. 0. 0.]>)
""",
    ),
    (
        """\
class MyDenseLayer(tf.keras.layers.Layer):
  def __init__(self, num_outputs):
    super(MyDenseLayer, self).__init__()
    self.num_outputs = num_outputs

  def build(self, input_shape):
    self.kernel = self.add_weight("kernel",
                                  shape=[int(input_shape[-1]),
                                         self.num_outputs])

  def call(self, input):
    return tf.matmul(input, self.kernel)

layer = MyDenseLayer(10)
""",
        """\
""",
    ),
    (
        """\
_ = layer(tf.zeros([10, 5])) # Calling the layer `.builds` it.
""",
        """\
EXC ValueError: `name` must be passed as a keyword argument. Received: add_weight('kernel', ...). Use: add_weight(shape=..., name='kernel').
""",
    ),
    (
        """\
print([var.name for var in layer.trainable_variables])
""",
        """\
[]
""",
    ),
    (
        """\
class ResnetIdentityBlock(tf.keras.Model):
  def __init__(self, kernel_size, filters):
    super(ResnetIdentityBlock, self).__init__(name='')
    filters1, filters2, filters3 = filters

    self.conv2a = tf.keras.layers.Conv2D(filters1, (1, 1))
    self.bn2a = tf.keras.layers.BatchNormalization()

    self.conv2b = tf.keras.layers.Conv2D(filters2, kernel_size, padding='same')
    self.bn2b = tf.keras.layers.BatchNormalization()

    self.conv2c = tf.keras.layers.Conv2D(filters3, (1, 1))
    self.bn2c = tf.keras.layers.BatchNormalization()

  def call(self, input_tensor, training=False):
    x = self.conv2a(input_tensor)
    x = self.bn2a(x, training=training)
    x = tf.nn.relu(x)

    x = self.conv2b(x)
    x = self.bn2b(x, training=training)
    x = tf.nn.relu(x)

    x = self.conv2c(x)
    x = self.bn2c(x, training=training)

    x += input_tensor
    return tf.nn.relu(x)


block = ResnetIdentityBlock(1, [1, 2, 3])
""",
        """\
""",
    ),
    (
        """\
_ = block(tf.zeros([1, 2, 3, 3]))
""",
        """\
""",
    ),
    (
        """\
block.layers
""",
        """\
[<Conv2D name=conv2d, built=True>, <BatchNormalization name=batch_normalization, built=True>, <Conv2D name=conv2d_1, built=True>, <BatchNormalization name=batch_normalization_1, built=True>, <Conv2D name=conv2d_2, built=True>, <BatchNormalization name=batch_normalization_2, built=True>]
""",
    ),
    (
        """\
len(block.variables)
""",
        """\
18
""",
    ),
    (
        """\
block.summary()
""",
        """\
Model: ""
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ conv2d (Conv2D)                 │ (1, 2, 3, 1)           │             4 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ batch_normalization             │ (1, 2, 3, 1)           │             4 │
│ (BatchNormalization)            │                        │               │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ conv2d_1 (Conv2D)               │ (1, 2, 3, 2)           │             4 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ batch_normalization_1           │ (1, 2, 3, 2)           │             8 │
│ (BatchNormalization)            │                        │               │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ conv2d_2 (Conv2D)               │ (1, 2, 3, 3)           │             9 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ batch_normalization_2           │ (1, 2, 3, 3)           │            12 │
│ (BatchNormalization)            │                        │               │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 41 (164.00 B)
 Trainable params: 29 (116.00 B)
 Non-trainable params: 12 (48.00 B)
""",
    ),
    (
        """\
my_seq = tf.keras.Sequential([tf.keras.layers.Conv2D(1, (1, 1),
                                                    input_shape=(
                                                        None, None, 3)),
                             tf.keras.layers.BatchNormalization(),
                             tf.keras.layers.Conv2D(2, 1,
                                                    padding='same'),
                             tf.keras.layers.BatchNormalization(),
                             tf.keras.layers.Conv2D(3, (1, 1)),
                             tf.keras.layers.BatchNormalization()])
my_seq(tf.zeros([1, 2, 3, 3]))
""",
        """\
<tf.Tensor: shape=(1, 2, 3, 3), dtype=float32, numpy=
array([[[[0., 0., 0.],
         [0., 0., 0.],
         [0., 0., 0.]],

        [[0., 0., 0.],
         [0., 0., 0.],
         [0., 0., 0.]]]], dtype=float32)>
""",
    ),
    (
        """\
my_seq.summary()
""",
        """\
Model: "sequential"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ conv2d_3 (Conv2D)               │ (None, None, None, 1)  │             4 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ batch_normalization_3           │ (None, None, None, 1)  │             4 │
│ (BatchNormalization)            │                        │               │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ conv2d_4 (Conv2D)               │ (None, None, None, 2)  │             4 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ batch_normalization_4           │ (None, None, None, 2)  │             8 │
│ (BatchNormalization)            │                        │               │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ conv2d_5 (Conv2D)               │ (None, None, None, 3)  │             9 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ batch_normalization_5           │ (None, None, None, 3)  │            12 │
│ (BatchNormalization)            │                        │               │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 41 (164.00 B)
 Trainable params: 29 (116.00 B)
 Non-trainable params: 12 (48.00 B)
""",
    ),
]
