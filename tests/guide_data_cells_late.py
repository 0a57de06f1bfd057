# ruff: noqa: E501
"""The tf.data guide's cells from "Batching dataset elements" on (``LATE_CELLS``) and its Keras section
(``KERAS_CELLS``, progress-bar lines left out), each with what TensorFlow 2.21 prints."""

LATE_CELLS = [
    (
        "inc_dataset = tf.data.Dataset.range(100)\ndec_dataset = tf.data.Dataset.range(0, -100, -1)\ndataset = tf.data.Dataset.zip((inc_dataset, dec_dataset))\nbatched_dataset = dataset.batch(4)\n\nfor batch in batched_dataset.take(4):\n  print([arr.numpy() for arr in batch])\n",
        "[array([0, 1, 2, 3]), array([ 0, -1, -2, -3])]\n[array([4, 5, 6, 7]), array([-4, -5, -6, -7])]\n[array([ 8,  9, 10, 11]), array([ -8,  -9, -10, -11])]\n[array([12, 13, 14, 15]), array([-12, -13, -14, -15])]\n",
    ),
    (
        "batched_dataset\n",
        "<_BatchDataset element_spec=(TensorSpec(shape=(None,), dtype=tf.int64, name=None), TensorSpec(shape=(None,), dtype=tf.int64, name=None))>\n",
    ),
    (
        "batched_dataset = dataset.batch(7, drop_remainder=True)\nbatched_dataset\n",
        "<_BatchDataset element_spec=(TensorSpec(shape=(7,), dtype=tf.int64, name=None), TensorSpec(shape=(7,), dtype=tf.int64, name=None))>\n",
    ),
    (
        "dataset = tf.data.Dataset.range(100)\ndataset = dataset.map(lambda x: tf.fill([tf.cast(x, tf.int32)], x))\ndataset = dataset.padded_batch(4, padded_shapes=(None,))\n\nfor batch in dataset.take(2):\n  print(batch.numpy())\n  print()\n",
        "[[0 0 0]\n [1 0 0]\n [2 2 0]\n [3 3 3]]\n\n[[4 4 4 4 0 0 0]\n [5 5 5 5 5 0 0]\n [6 6 6 6 6 6 0]\n [7 7 7 7 7 7 7]]\n\n",
    ),
    (
        "titanic_file = titanic_csv  # local copy in place of the download\ntitanic_lines = tf.data.TextLineDataset(titanic_file)\n",
        "",
    ),
    (
        "def plot_batch_sizes(ds):\n  batch_sizes = [batch.shape[0] for batch in ds]  # the bar plot of batch_sizes is left out\n",
        "",
    ),
    ("titanic_batches = titanic_lines.repeat(3).batch(128)\nplot_batch_sizes(titanic_batches)\n", ""),
    ("titanic_batches = titanic_lines.batch(128).repeat(3)\n\nplot_batch_sizes(titanic_batches)\n", ""),
    (
        'epochs = 3\ndataset = titanic_lines.batch(128)\n\nfor epoch in range(epochs):\n  for batch in dataset:\n    print(batch.shape)\n  print("End of epoch: ", epoch)\n',
        "(128,)\n(128,)\n(128,)\n(128,)\n(116,)\nEnd of epoch:  0\n(128,)\n(128,)\n(128,)\n(128,)\n(116,)\nEnd of epoch:  1\n(128,)\n(128,)\n(128,)\n(128,)\n(116,)\nEnd of epoch:  2\n",
    ),
    (
        "lines = tf.data.TextLineDataset(titanic_file)\ncounter = tf.data.experimental.Counter()\n\ndataset = tf.data.Dataset.zip((counter, lines))\ndataset = dataset.shuffle(buffer_size=100)\ndataset = dataset.batch(20)\ndataset\n",
        "<_BatchDataset element_spec=(TensorSpec(shape=(None,), dtype=tf.int64, name=None), TensorSpec(shape=(None,), dtype=tf.string, name=None))>\n",
    ),
    (
        "n,line_batch = next(iter(dataset))\nprint(n.numpy())\n",
        "[ 93   3  39  65  33  67  90  38  49   1  11 105  68  32  12  89  54  18\n 104  95]\n",
    ),
    (
        'dataset = tf.data.Dataset.zip((counter, lines))\nshuffled = dataset.shuffle(buffer_size=100).batch(10).repeat(2)\n\nprint("Here are the item ID\'s near the epoch boundary:\\n")\nfor n, line_batch in shuffled.skip(60).take(5):\n  print(n.numpy())\n',
        "Here are the item ID's near the epoch boundary:\n\n[473 344 615 399 439 282 594 607 440 523]\n[549 597 588 569 598 396 555 600 625 614]\n[583 341 586 488 456 617 627 383]\n[ 27   4  31  52   9 100  93  10  58  78]\n[ 23  11  16 111  71  61  98 107  51  49]\n",
    ),
    ("shuffle_repeat = [n.numpy().mean() for n, line_batch in shuffled]  # the plot is left out\n", ""),
    (
        'dataset = tf.data.Dataset.zip((counter, lines))\nshuffled = dataset.repeat(2).shuffle(buffer_size=100).batch(10)\n\nprint("Here are the item ID\'s near the epoch boundary:\\n")\nfor n, line_batch in shuffled.skip(55).take(15):\n  print(n.numpy())\n',
        "Here are the item ID's near the epoch boundary:\n\n[599 573   9 506 627 381 509 622 450   0]\n[ 22 592 621 529  30 610 612  37 616   8]\n[ 32 571  13   6  35 554 462  23  36 555]\n[623 485  47 575 615 618 507  49 409 588]\n[400 538  45 600  18 598  50  12 570  26]\n[614  64  55 593 574  68 521  67  24  65]\n[ 20  60  17  15 619  31 607 625  14 543]\n[ 27  28  69   5  89 504  74 284  39  62]\n[ 46  96  77  57  21 105 602 590  52  40]\n[103  29  81 410  11 626  99  66 100  75]\n[120 620  59 520 559  94 596  63  85 102]\n[609  71  19 131 123  42 611 608   4 125]\n[  2 106  93 129 416  61  83 595  80 112]\n[146 116  97 144 151 137  98 140 135 143]\n[132 425  43  25  91 127  78  41 167  44]\n",
    ),
    ("repeat_shuffle = [n.numpy().mean() for n, line_batch in shuffled]  # the plot is left out\n", ""),
    ("list_ds = tf.data.Dataset.list_files(str(flowers_root/'*/*'))\n", ""),
    (
        "# Reads an image from a file, decodes it into a dense tensor, and resizes it\n# to a fixed shape.\ndef parse_image(filename):\n  parts = tf.strings.split(filename, os.sep)\n  label = parts[-2]\n\n  image = tf.io.read_file(filename)\n  image = tf.image.decode_jpeg(image)\n  image = tf.image.convert_image_dtype(image, tf.float32)\n  image = tf.image.resize(image, [128, 128])\n  return image, label\n",
        "",
    ),
    (
        "file_path = next(iter(list_ds))\nimage, label = parse_image(file_path)\n\ndef show(image, label):\n  title = label.numpy().decode('utf-8')  # the imshow plot is left out\n\nshow(image, label)\n",
        "",
    ),
    ("images_ds = list_ds.map(parse_image)\n\nfor image, label in images_ds.take(2):\n  show(image, label)\n", ""),
    (
        "def random_rotate_image(image):  # np.rot90 in place of scipy.ndimage.rotate (no SciPy)\n  image = np.rot90(image, np.random.randint(0, 4))\n  return image\n",
        "",
    ),
    ("image, label = next(iter(images_ds))\nimage = random_rotate_image(image)\nshow(image, label)\n", ""),
    (
        "def tf_random_rotate_image(image, label):\n  im_shape = image.shape\n  [image,] = tf.py_function(random_rotate_image, [image], [tf.float32])\n  image.set_shape(im_shape)\n  return image, label\n",
        "",
    ),
    (
        "rot_ds = images_ds.map(tf_random_rotate_image)\n\nfor image, label in rot_ds.take(2):\n  show(image, label)\n",
        "",
    ),
    (
        "fsns_test_file = fsns_file  # local copy in place of the download\ndataset = tf.data.TFRecordDataset(filenames = [fsns_test_file])\ndataset\n",
        "<TFRecordDatasetV2 element_spec=TensorSpec(shape=(), dtype=tf.string, name=None)>\n",
    ),
    (
        "raw_example = next(iter(dataset))\nparsed = tf.train.Example.FromString(raw_example.numpy())\n\nfeature = parsed.features.feature\nraw_img = feature['image/encoded'].bytes_list.value[0]\nimg = tf.image.decode_png(raw_img)\n_ = feature[\"image/text\"].bytes_list.value[0]  # the imshow plot is left out\n",
        "",
    ),
    ("raw_example = next(iter(dataset))\n", ""),
    (
        "def tf_parse(eg):\n  example = tf.io.parse_example(\n      eg[tf.newaxis], {\n          'image/encoded': tf.io.FixedLenFeature(shape=(), dtype=tf.string),\n          'image/text': tf.io.FixedLenFeature(shape=(), dtype=tf.string)\n      })\n  return example['image/encoded'][0], example['image/text'][0]\n",
        "",
    ),
    (
        'img, txt = tf_parse(raw_example)\nprint(txt.numpy())\nprint(repr(img.numpy()[:20]), "...")\n',
        "b'Rue Perreyon'\nb'\\x89PNG\\r\\n\\x1a\\n\\x00\\x00\\x00\\rIHDR\\x00\\x00\\x00\\x18' ...\n",
    ),
    (
        "decoded = dataset.map(tf_parse)\ndecoded\n",
        "<_MapDataset element_spec=(TensorSpec(shape=(), dtype=tf.string, name=None), TensorSpec(shape=(), dtype=tf.string, name=None))>\n",
    ),
    ("image_batch, text_batch = next(iter(decoded.batch(10)))\nimage_batch.shape\n", "TensorShape([10])\n"),
    ("range_ds = tf.data.Dataset.range(100000)\n", ""),
    (
        "batches = range_ds.batch(10, drop_remainder=True)\n\nfor batch in batches.take(5):\n  print(batch.numpy())\n",
        "[0 1 2 3 4 5 6 7 8 9]\n[10 11 12 13 14 15 16 17 18 19]\n[20 21 22 23 24 25 26 27 28 29]\n[30 31 32 33 34 35 36 37 38 39]\n[40 41 42 43 44 45 46 47 48 49]\n",
    ),
    (
        'def dense_1_step(batch):\n  # Shift features and labels one step relative to each other.\n  return batch[:-1], batch[1:]\n\npredict_dense_1_step = batches.map(dense_1_step)\n\nfor features, label in predict_dense_1_step.take(3):\n  print(features.numpy(), " => ", label.numpy())\n',
        "[0 1 2 3 4 5 6 7 8]  =>  [1 2 3 4 5 6 7 8 9]\n[10 11 12 13 14 15 16 17 18]  =>  [11 12 13 14 15 16 17 18 19]\n[20 21 22 23 24 25 26 27 28]  =>  [21 22 23 24 25 26 27 28 29]\n",
    ),
    (
        'batches = range_ds.batch(15, drop_remainder=True)\n\ndef label_next_5_steps(batch):\n  return (batch[:-5],   # Take the first 5 steps\n          batch[-5:])   # take the remainder\n\npredict_5_steps = batches.map(label_next_5_steps)\n\nfor features, label in predict_5_steps.take(3):\n  print(features.numpy(), " => ", label.numpy())\n',
        "[0 1 2 3 4 5 6 7 8 9]  =>  [10 11 12 13 14]\n[15 16 17 18 19 20 21 22 23 24]  =>  [25 26 27 28 29]\n[30 31 32 33 34 35 36 37 38 39]  =>  [40 41 42 43 44]\n",
    ),
    (
        'feature_length = 10\nlabel_length = 5\n\nfeatures = range_ds.batch(feature_length, drop_remainder=True)\nlabels = range_ds.batch(feature_length).skip(1).map(lambda labels: labels[:-5])\n\npredict_5_steps = tf.data.Dataset.zip((features, labels))\n\nfor features, label in predict_5_steps.take(3):\n  print(features.numpy(), " => ", label.numpy())\n',
        "[0 1 2 3 4 5 6 7 8 9]  =>  [10 11 12 13 14]\n[10 11 12 13 14 15 16 17 18 19]  =>  [20 21 22 23 24]\n[20 21 22 23 24 25 26 27 28 29]  =>  [30 31 32 33 34]\n",
    ),
    (
        "window_size = 5\n\nwindows = range_ds.window(window_size, shift=1)\nfor sub_ds in windows.take(5):\n  print(sub_ds)\n",
        "<_VariantDataset element_spec=TensorSpec(shape=(), dtype=tf.int64, name=None)>\n<_VariantDataset element_spec=TensorSpec(shape=(), dtype=tf.int64, name=None)>\n<_VariantDataset element_spec=TensorSpec(shape=(), dtype=tf.int64, name=None)>\n<_VariantDataset element_spec=TensorSpec(shape=(), dtype=tf.int64, name=None)>\n<_VariantDataset element_spec=TensorSpec(shape=(), dtype=tf.int64, name=None)>\n",
    ),
    (
        "for x in windows.flat_map(lambda x: x).take(30):\n   print(x.numpy(), end=' ')\n",
        "0 1 2 3 4 1 2 3 4 5 2 3 4 5 6 3 4 5 6 7 4 5 6 7 8 5 6 7 8 9 ",
    ),
    (
        "def sub_to_batch(sub):\n  return sub.batch(window_size, drop_remainder=True)\n\nfor example in windows.flat_map(sub_to_batch).take(5):\n  print(example.numpy())\n",
        "[0 1 2 3 4]\n[1 2 3 4 5]\n[2 3 4 5 6]\n[3 4 5 6 7]\n[4 5 6 7 8]\n",
    ),
    (
        "def make_window_dataset(ds, window_size=5, shift=1, stride=1):\n  windows = ds.window(window_size, shift=shift, stride=stride)\n\n  def sub_to_batch(sub):\n    return sub.batch(window_size, drop_remainder=True)\n\n  windows = windows.flat_map(sub_to_batch)\n  return windows\n",
        "",
    ),
    (
        "ds = make_window_dataset(range_ds, window_size=10, shift = 5, stride=3)\n\nfor example in ds.take(10):\n  print(example.numpy())\n",
        "[ 0  3  6  9 12 15 18 21 24 27]\n[ 5  8 11 14 17 20 23 26 29 32]\n[10 13 16 19 22 25 28 31 34 37]\n[15 18 21 24 27 30 33 36 39 42]\n[20 23 26 29 32 35 38 41 44 47]\n[25 28 31 34 37 40 43 46 49 52]\n[30 33 36 39 42 45 48 51 54 57]\n[35 38 41 44 47 50 53 56 59 62]\n[40 43 46 49 52 55 58 61 64 67]\n[45 48 51 54 57 60 63 66 69 72]\n",
    ),
    (
        'dense_labels_ds = ds.map(dense_1_step)\n\nfor inputs,labels in dense_labels_ds.take(3):\n  print(inputs.numpy(), "=>", labels.numpy())\n',
        "[ 0  3  6  9 12 15 18 21 24] => [ 3  6  9 12 15 18 21 24 27]\n[ 5  8 11 14 17 20 23 26 29] => [ 8 11 14 17 20 23 26 29 32]\n[10 13 16 19 22 25 28 31 34] => [13 16 19 22 25 28 31 34 37]\n",
    ),
    ("csv_path = creditcard_csv  # local copy in place of the download\n", ""),
    (
        'creditcard_ds = tf.data.experimental.make_csv_dataset(\n    csv_path, batch_size=1024, label_name="Class",\n    # Set the column types: 30 floats and an int.\n    column_defaults=[float()]*30+[int()])\n',
        "",
    ),
    (
        "def count(counts, batch):\n  features, labels = batch\n  class_1 = labels == 1\n  class_1 = tf.cast(class_1, tf.int32)\n\n  class_0 = labels == 0\n  class_0 = tf.cast(class_0, tf.int32)\n\n  counts['class_0'] += tf.reduce_sum(class_0)\n  counts['class_1'] += tf.reduce_sum(class_1)\n\n  return counts\n",
        "",
    ),
    (
        "counts = creditcard_ds.take(10).reduce(\n    initial_state={'class_0': 0, 'class_1': 0},\n    reduce_func = count)\n\ncounts = np.array([counts['class_0'].numpy(),\n                   counts['class_1'].numpy()]).astype(np.float32)\n\nfractions = counts/counts.sum()\nprint(fractions)\n",
        "[0.9961 0.0039]\n",
    ),
    (
        "negative_ds = (\n  creditcard_ds\n    .unbatch()\n    .filter(lambda features, label: label==0)\n    .repeat())\npositive_ds = (\n  creditcard_ds\n    .unbatch()\n    .filter(lambda features, label: label==1)\n    .repeat())\n",
        "",
    ),
    ("for features, label in positive_ds.batch(10).take(1):\n  print(label.numpy())\n", "[1 1 1 1 1 1 1 1 1 1]\n"),
    (
        "balanced_ds = tf.data.experimental.sample_from_datasets(\n    [negative_ds, positive_ds], [0.5, 0.5]).batch(10)\n",
        "",
    ),
    (
        "for features, labels in balanced_ds.take(10):\n  print(labels.numpy())\n",
        "[1 1 0 0 0 1 1 0 1 0]\n[0 0 1 0 1 0 1 1 0 0]\n[1 1 0 1 1 0 1 0 1 0]\n[0 0 0 1 1 1 1 1 1 1]\n[0 1 0 1 0 0 0 0 1 0]\n[0 0 0 1 0 0 1 1 0 1]\n[0 0 0 0 1 1 0 0 1 0]\n[0 1 1 0 1 0 0 0 1 1]\n[0 0 1 0 0 1 0 1 1 1]\n[1 0 1 1 0 0 1 0 1 0]\n",
    ),
    ("def class_func(features, label):\n  return label\n", ""),
    (
        "resampler = tf.data.experimental.rejection_resample(\n    class_func, target_dist=[0.5, 0.5], initial_dist=fractions)\n",
        "",
    ),
    ("resample_ds = creditcard_ds.unbatch().apply(resampler).batch(10)\n", ""),
    ("balanced_ds = resample_ds.map(lambda extra_label, features_and_label: features_and_label)\n", ""),
    (
        "for features, labels in balanced_ds.take(10):\n  print(labels.numpy())\n",
        "[1 0 0 0 1 1 1 0 1 1]\n[1 0 0 1 1 1 0 1 0 0]\n[1 1 1 1 1 1 0 0 0 0]\n[0 1 0 0 1 0 1 0 1 0]\n[1 1 0 1 1 0 0 1 0 0]\n[0 0 1 0 0 1 0 1 0 0]\n[1 0 0 0 0 0 1 1 1 0]\n[0 0 0 1 0 0 0 1 1 1]\n[0 0 1 1 1 1 0 1 1 1]\n[1 0 0 1 1 1 1 1 1 0]\n",
    ),
    (
        "range_ds = tf.data.Dataset.range(20)\n\niterator = iter(range_ds)\nckpt = tf.train.Checkpoint(step=tf.Variable(0), iterator=iterator)\nmanager = tf.train.CheckpointManager(ckpt, ckpt_dir, max_to_keep=3)\n\nprint([next(iterator).numpy() for _ in range(5)])\n\nsave_path = manager.save()\n\nprint([next(iterator).numpy() for _ in range(5)])\n\nckpt.restore(manager.latest_checkpoint)\n\nprint([next(iterator).numpy() for _ in range(5)])\n",
        "[np.int64(0), np.int64(1), np.int64(2), np.int64(3), np.int64(4)]\n[np.int64(5), np.int64(6), np.int64(7), np.int64(8), np.int64(9)]\n[np.int64(5), np.int64(6), np.int64(7), np.int64(8), np.int64(9)]\n",
    ),
]

KERAS_CELLS = [
    (
        "train, test = load_fashion_mnist()  # local data in place of tf.keras.datasets.fashion_mnist.load_data()\n\nimages, labels = train\nimages = images/255.0\nlabels = labels.astype(np.int32)\n",
        "",
    ),
    (
        "fmnist_train_ds = tf.data.Dataset.from_tensor_slices((images, labels))\nfmnist_train_ds = fmnist_train_ds.shuffle(5000).batch(32)\n\nmodel = tf.keras.Sequential([\n  tf.keras.layers.Flatten(),\n  tf.keras.layers.Dense(10)\n])\n\nmodel.compile(optimizer='adam',\n              loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True), \n              metrics=['accuracy'])\n",
        "",
    ),
    (
        "model.fit(fmnist_train_ds, epochs=2)\n",
        "Epoch 1/2\n\rEpoch 2/2\n\r<keras.src.callbacks.history.History object>\n",
    ),
    (
        "model.fit(fmnist_train_ds.repeat(), epochs=2, steps_per_epoch=20)\n",
        "Epoch 1/2\n\rEpoch 2/2\n\r<keras.src.callbacks.history.History object>\n",
    ),
    (
        'loss, accuracy = model.evaluate(fmnist_train_ds)\nprint("Loss :", loss)\nprint("Accuracy :", accuracy)\n',
        "\rLoss : 0.2823861241340637\nAccuracy : 0.9211333394050598\n",
    ),
    (
        'loss, accuracy = model.evaluate(fmnist_train_ds.repeat(), steps=10)\nprint("Loss :", loss)\nprint("Accuracy :", accuracy)\n',
        "\rLoss : 0.2589014172554016\nAccuracy : 0.9312499761581421\n",
    ),
    (
        "predict_ds = tf.data.Dataset.from_tensor_slices(images).batch(32)\nresult = model.predict(predict_ds, steps = 10)\nprint(result.shape)\n",
        "\r(320, 10)\n",
    ),
    ("result = model.predict(fmnist_train_ds, steps = 10)\nprint(result.shape)\n", "\r(320, 10)\n"),
]
