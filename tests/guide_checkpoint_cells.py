# ruff: noqa: E501
"""The code cells of TensorFlow's "Training checkpoints" guide, each with what TensorFlow 2.21 prints."""

CELLS = [
    (
        'class Net(tf.keras.Model):\n  """A simple linear model."""\n\n  def __init__(self):\n    super(Net, self).__init__()\n    self.l1 = tf.keras.layers.Dense(5)\n\n  def call(self, x):\n    return self.l1(x)\n',
        "",
    ),
    (
        "net = Net()\n",
        "",
    ),
    (
        "net.save_weights('easy_checkpoint')\n",
        "EXC ValueError: The filename must end in `.weights.h5`. Received: filepath=easy_checkpoint\n",
    ),
    (
        "def toy_dataset():\n  inputs = tf.range(10.)[:, None]\n  labels = inputs * 5. + tf.range(5.)[None, :]\n  return tf.data.Dataset.from_tensor_slices(\n    dict(x=inputs, y=labels)).repeat().batch(2)\n",
        "",
    ),
    (
        'def train_step(net, example, optimizer):\n  """Trains `net` on `example` using `optimizer`."""\n  with tf.GradientTape() as tape:\n    output = net(example[\'x\'])\n    loss = tf.reduce_mean(tf.abs(output - example[\'y\']))\n  variables = net.trainable_variables\n  gradients = tape.gradient(loss, variables)\n  optimizer.apply_gradients(zip(gradients, variables))\n  return loss\n',
        "",
    ),
    (
        "opt = tf.keras.optimizers.Adam(0.1)\ndataset = toy_dataset()\niterator = iter(dataset)\nckpt = tf.train.Checkpoint(step=tf.Variable(1), optimizer=opt, net=net, iterator=iterator)\nmanager = tf.train.CheckpointManager(ckpt, './tf_ckpts', max_to_keep=3)\n",
        "",
    ),
    (
        'def train_and_checkpoint(net, manager):\n  ckpt.restore(manager.latest_checkpoint)\n  if manager.latest_checkpoint:\n    print("Restored from {}".format(manager.latest_checkpoint))\n  else:\n    print("Initializing from scratch.")\n\n  for _ in range(50):\n    example = next(iterator)\n    loss = train_step(net, example, opt)\n    ckpt.step.assign_add(1)\n    if int(ckpt.step) % 10 == 0:\n      save_path = manager.save()\n      print("Saved checkpoint for step {}: {}".format(int(ckpt.step), save_path))\n      print("loss {:1.2f}".format(loss.numpy()))\n',
        "",
    ),
    (
        "train_and_checkpoint(net, manager)\n",
        "Initializing from scratch.\nSaved checkpoint for step 10: ./tf_ckpts/ckpt-1\nloss 26.41\nSaved checkpoint for step 20: ./tf_ckpts/ckpt-2\nloss 19.83\nSaved checkpoint for step 30: ./tf_ckpts/ckpt-3\nloss 13.29\nSaved checkpoint for step 40: ./tf_ckpts/ckpt-4\nloss 6.92\nSaved checkpoint for step 50: ./tf_ckpts/ckpt-5\nloss 1.88\n",
    ),
    (
        "opt = tf.keras.optimizers.Adam(0.1)\nnet = Net()\ndataset = toy_dataset()\niterator = iter(dataset)\nckpt = tf.train.Checkpoint(step=tf.Variable(1), optimizer=opt, net=net, iterator=iterator)\nmanager = tf.train.CheckpointManager(ckpt, './tf_ckpts', max_to_keep=3)\n\ntrain_and_checkpoint(net, manager)\n",
        "Restored from ./tf_ckpts/ckpt-5\nSaved checkpoint for step 60: ./tf_ckpts/ckpt-6\nloss 24.15\nSaved checkpoint for step 70: ./tf_ckpts/ckpt-7\nloss 14.19\nSaved checkpoint for step 80: ./tf_ckpts/ckpt-8\nloss 5.11\nSaved checkpoint for step 90: ./tf_ckpts/ckpt-9\nloss 1.73\nSaved checkpoint for step 100: ./tf_ckpts/ckpt-10\nloss 1.05\n",
    ),
    (
        "print(manager.checkpoints)  # List the three remaining checkpoints\n",
        "['./tf_ckpts/ckpt-8', './tf_ckpts/ckpt-9', './tf_ckpts/ckpt-10']\n",
    ),
    (
        "print(sorted(os.listdir('./tf_ckpts')))\n",
        "['checkpoint', 'ckpt-10.data-00000-of-00001', 'ckpt-10.index', 'ckpt-8.data-00000-of-00001', 'ckpt-8.index', 'ckpt-9.data-00000-of-00001', 'ckpt-9.index']\n",
    ),
    (
        "to_restore = tf.Variable(tf.zeros([5]))\nprint(to_restore.numpy())  # All zeros\nfake_layer = tf.train.Checkpoint(bias=to_restore)\nfake_net = tf.train.Checkpoint(l1=fake_layer)\nnew_root = tf.train.Checkpoint(net=fake_net)\nstatus = new_root.restore(tf.train.latest_checkpoint('./tf_ckpts/'))\nprint(to_restore.numpy())  # We get the restored value now\n",
        "[0. 0. 0. 0. 0.]\n[5.7875547 6.766362  8.585051  7.1420984 8.791262 ]\n",
    ),
    (
        "status.assert_existing_objects_matched()\n",
        "<tensorflow.python.checkpoint.checkpoint.CheckpointLoadStatus object at 0x7fd4bf8c9f50>\n",
    ),
    (
        "delayed_restore = tf.Variable(tf.zeros([1, 5]))\nprint(delayed_restore.numpy())  # Not restored; still zeros\nfake_layer.kernel = delayed_restore\nprint(delayed_restore.numpy())  # Restored\n",
        "[[0. 0. 0. 0. 0.]]\n[[0. 0. 0. 0. 0.]]\n",
    ),
    (
        "tf.train.list_variables(tf.train.latest_checkpoint('./tf_ckpts/'))\n",
        "[('_CHECKPOINTABLE_OBJECT_GRAPH', []), ('iterator/.ATTRIBUTES/ITERATOR_STATE', [5]), ('net/l1/_kernel/.ATTRIBUTES/VARIABLE_VALUE', [1, 5]), ('net/l1/bias/.ATTRIBUTES/VARIABLE_VALUE', [5]), ('optimizer/_iterations/.ATTRIBUTES/VARIABLE_VALUE', []), ('optimizer/_learning_rate/.ATTRIBUTES/VARIABLE_VALUE', []), ('optimizer/_trainable_variables/0/.ATTRIBUTES/VARIABLE_VALUE', [1, 5]), ('optimizer/_variables/2/.ATTRIBUTES/VARIABLE_VALUE', [1, 5]), ('optimizer/_variables/3/.ATTRIBUTES/VARIABLE_VALUE', [1, 5]), ('optimizer/_variables/4/.ATTRIBUTES/VARIABLE_VALUE', [1, 5]), ('optimizer/_variables/5/.ATTRIBUTES/VARIABLE_VALUE', [1, 5]), ('optimizer/_variables/6/.ATTRIBUTES/VARIABLE_VALUE', [5]), ('optimizer/_variables/7/.ATTRIBUTES/VARIABLE_VALUE', [5]), ('save_counter/.ATTRIBUTES/VARIABLE_VALUE', []), ('step/.ATTRIBUTES/VARIABLE_VALUE', [])]\n",
    ),
    (
        "save = tf.train.Checkpoint()\nsave.listed = [tf.Variable(1.)]\nsave.listed.append(tf.Variable(2.))\nsave.mapped = {'one': save.listed[0]}\nsave.mapped['two'] = save.listed[1]\nsave_path = save.save('./tf_list_example')\n\nrestore = tf.train.Checkpoint()\nv2 = tf.Variable(0.)\nassert 0. == v2.numpy()  # Not restored yet\nrestore.mapped = {'two': v2}\nrestore.restore(save_path)\nassert 2. == v2.numpy()\n",
        "",
    ),
    (
        "restore.listed = []\nprint(restore.listed)  # ListWrapper([])\nv1 = tf.Variable(0.)\nrestore.listed.append(v1)  # Restores v1, from restore() in the previous cell\nassert 1. == v1.numpy()\n",
        "ListWrapper([])\n",
    ),
]
