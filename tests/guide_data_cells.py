# ruff: noqa: E501
"""The code cells of TensorFlow's "tf.data: Build TensorFlow input pipelines" guide (downloads replaced
as ``guide_data_files.py`` says, plots left out), each with what TensorFlow 2.21 prints; the cells from
"Batching dataset elements" on and the Keras section are in ``guide_data_cells_late.py``."""

from guide_data_cells_late import KERAS_CELLS, LATE_CELLS

CELLS = [
    ("import pathlib\nimport os\nimport numpy as np\n\nnp.set_printoptions(precision=4)\n", ""),
    (
        "dataset = tf.data.Dataset.from_tensor_slices([8, 3, 0, 8, 2, 1])\ndataset\n",
        "<_TensorSliceDataset element_spec=TensorSpec(shape=(), dtype=tf.int32, name=None)>\n",
    ),
    ("for elem in dataset:\n  print(elem.numpy())\n", "8\n3\n0\n8\n2\n1\n"),
    ("it = iter(dataset)\n\nprint(next(it).numpy())\n", "8\n"),
    ("print(dataset.reduce(0, lambda state, value: state + value).numpy())\n", "22\n"),
    (
        "dataset1 = tf.data.Dataset.from_tensor_slices(tf.random.uniform([4, 10]))\n\ndataset1.element_spec\n",
        "TensorSpec(shape=(10,), dtype=tf.float32, name=None)\n",
    ),
    (
        "dataset2 = tf.data.Dataset.from_tensor_slices(\n   (tf.random.uniform([4]),\n    tf.random.uniform([4, 100], maxval=100, dtype=tf.int32)))\n\ndataset2.element_spec\n",
        "(TensorSpec(shape=(), dtype=tf.float32, name=None), TensorSpec(shape=(100,), dtype=tf.int32, name=None))\n",
    ),
    (
        "dataset3 = tf.data.Dataset.zip((dataset1, dataset2))\n\ndataset3.element_spec\n",
        "(TensorSpec(shape=(10,), dtype=tf.float32, name=None), (TensorSpec(shape=(), dtype=tf.float32, name=None), TensorSpec(shape=(100,), dtype=tf.int32, name=None)))\n",
    ),
    (
        "# Dataset containing a sparse tensor.\ndataset4 = tf.data.Dataset.from_tensors(tf.SparseTensor(indices=[[0, 0], [1, 2]], values=[1, 2], dense_shape=[3, 4]))\n\ndataset4.element_spec\n",
        "SparseTensorSpec(TensorShape([3, 4]), tf.int32)\n",
    ),
    (
        "# Use value_type to see the type of value represented by the element spec\ndataset4.element_spec.value_type\n",
        "<class 'tensorflow.python.framework.sparse_tensor.SparseTensor'>\n",
    ),
    (
        "dataset1 = tf.data.Dataset.from_tensor_slices(\n    tf.random.uniform([4, 10], minval=1, maxval=10, dtype=tf.int32))\n\ndataset1\n",
        "<_TensorSliceDataset element_spec=TensorSpec(shape=(10,), dtype=tf.int32, name=None)>\n",
    ),
    (
        "for z in dataset1:\n  print(z.numpy())\n",
        "[2 8 6 9 8 3 5 3 5 9]\n[5 9 8 4 8 9 2 8 6 3]\n[8 2 9 3 8 2 6 7 2 4]\n[1 6 8 3 6 9 3 6 1 1]\n",
    ),
    (
        "dataset2 = tf.data.Dataset.from_tensor_slices(\n   (tf.random.uniform([4]),\n    tf.random.uniform([4, 100], maxval=100, dtype=tf.int32)))\n\ndataset2\n",
        "<_TensorSliceDataset element_spec=(TensorSpec(shape=(), dtype=tf.float32, name=None), TensorSpec(shape=(100,), dtype=tf.int32, name=None))>\n",
    ),
    (
        "dataset3 = tf.data.Dataset.zip((dataset1, dataset2))\n\ndataset3\n",
        "<_ZipDataset element_spec=(TensorSpec(shape=(10,), dtype=tf.int32, name=None), (TensorSpec(shape=(), dtype=tf.float32, name=None), TensorSpec(shape=(100,), dtype=tf.int32, name=None)))>\n",
    ),
    (
        "for a, (b,c) in dataset3:\n  print('shapes: {a.shape}, {b.shape}, {c.shape}'.format(a=a, b=b, c=c))\n",
        "shapes: (10,), (), (100,)\nshapes: (10,), (), (100,)\nshapes: (10,), (), (100,)\nshapes: (10,), (), (100,)\n",
    ),
    ("train, test = load_fashion_mnist()  # local data in place of tf.keras.datasets.fashion_mnist.load_data()\n", ""),
    (
        "images, labels = train\nimages = images/255\n\ndataset = tf.data.Dataset.from_tensor_slices((images, labels))\ndataset\n",
        "<_TensorSliceDataset element_spec=(TensorSpec(shape=(28, 28), dtype=tf.float64, name=None), TensorSpec(shape=(), dtype=tf.uint8, name=None))>\n",
    ),
    ("def count(stop):\n  i = 0\n  while i<stop:\n    yield i\n    i += 1\n", ""),
    ("for n in count(5):\n  print(n)\n", "0\n1\n2\n3\n4\n"),
    (
        "ds_counter = tf.data.Dataset.from_generator(count, args=[25], output_types=tf.int32, output_shapes = (), )\n",
        "",
    ),
    (
        "for count_batch in ds_counter.repeat().batch(10).take(10):\n  print(count_batch.numpy())\n",
        "[0 1 2 3 4 5 6 7 8 9]\n[10 11 12 13 14 15 16 17 18 19]\n[20 21 22 23 24  0  1  2  3  4]\n[ 5  6  7  8  9 10 11 12 13 14]\n[15 16 17 18 19 20 21 22 23 24]\n[0 1 2 3 4 5 6 7 8 9]\n[10 11 12 13 14 15 16 17 18 19]\n[20 21 22 23 24  0  1  2  3  4]\n[ 5  6  7  8  9 10 11 12 13 14]\n[15 16 17 18 19 20 21 22 23 24]\n",
    ),
    (
        "def gen_series():\n  i = 0\n  while True:\n    size = np.random.randint(0, 10)\n    yield i, np.random.normal(size=(size,))\n    i += 1\n",
        "",
    ),
    (
        'for i, series in gen_series():\n  print(i, ":", str(series))\n  if i > 5:\n    break\n',
        "0 : [-0.1833  1.542   1.1347]\n1 : [ 0.4975 -0.0197 -2.3344 -0.89   -1.6473  0.3038  0.5928]\n2 : [-0.317]\n3 : [0.297]\n4 : [0.7831 1.1456 0.0955 2.6825]\n5 : [-0.3124  0.4545]\n6 : [-0.1173 -1.0905 -0.4611  0.6986  0.9161  1.0826]\n",
    ),
    (
        "ds_series = tf.data.Dataset.from_generator(\n    gen_series, \n    output_types=(tf.int32, tf.float32), \n    output_shapes=((), (None,)))\n\nds_series\n",
        "<_FlatMapDataset element_spec=(TensorSpec(shape=(), dtype=tf.int32, name=None), TensorSpec(shape=(None,), dtype=tf.float32, name=None))>\n",
    ),
    (
        "ds_series_batch = ds_series.shuffle(20).padded_batch(10, padded_shapes=([], [None]))\n\nids, sequence_batch = next(iter(ds_series_batch))\nprint(ids.numpy())\nprint()\nprint(sequence_batch.numpy())\n",
        "[ 5  2 16  3 21 15 19  9 11 22]\n\n[[-1.1566e+00 -9.6331e-01  1.4993e+00  4.2492e-01  1.0867e-02 -3.2466e-01\n  -1.0864e+00  3.7143e-01  0.0000e+00]\n [-3.4308e-01  4.1466e-01  6.1926e-01  2.3038e-01 -3.3566e-01 -8.6023e-01\n   0.0000e+00  0.0000e+00  0.0000e+00]\n [ 1.4135e-01  7.8047e-01  1.6112e+00 -1.5875e-01  5.1163e-01  1.6892e-01\n  -1.1315e+00  2.3368e+00  5.8452e-01]\n [ 1.0346e+00  2.3792e-01  0.0000e+00  0.0000e+00  0.0000e+00  0.0000e+00\n   0.0000e+00  0.0000e+00  0.0000e+00]\n [-1.4942e+00  0.0000e+00  0.0000e+00  0.0000e+00  0.0000e+00  0.0000e+00\n   0.0000e+00  0.0000e+00  0.0000e+00]\n [ 1.0603e+00  6.1739e-01 -6.0252e-01  6.5348e-04 -9.5424e-01  0.0000e+00\n   0.0000e+00  0.0000e+00  0.0000e+00]\n [-1.2265e+00 -9.0514e-01  1.5783e+00  0.0000e+00  0.0000e+00  0.0000e+00\n   0.0000e+00  0.0000e+00  0.0000e+00]\n [-5.8121e-01  6.0733e-02 -1.5222e+00 -6.2494e-01  1.2086e+00  2.5162e-02\n   1.6705e+00 -2.0487e+00  0.0000e+00]\n [ 0.0000e+00  0.0000e+00  0.0000e+00  0.0000e+00  0.0000e+00  0.0000e+00\n   0.0000e+00  0.0000e+00  0.0000e+00]\n [-5.4888e-01 -8.8684e-01  3.8288e-01  0.0000e+00  0.0000e+00  0.0000e+00\n   0.0000e+00  0.0000e+00  0.0000e+00]]\n",
    ),
    ("ds_series_batch = ds_series.shuffle(20).padded_batch(10)\n", ""),
    ("flowers = flower_photos  # local copy in place of the download\n", ""),
    ("img_gen = tf.keras.preprocessing.image.ImageDataGenerator(rescale=1./255, rotation_range=20)\n", ""),
    (
        "images, labels = next(img_gen.flow_from_directory(flowers))\n",
        "Found 6 images belonging to 3 classes.\nEXC ImportError: Could not import PIL.Image. The use of `load_img` requires PIL.\n",
    ),
    (
        "print(images.dtype, images.shape)\nprint(labels.dtype, labels.shape)\n",
        "float64 (60000, 28, 28)\nuint8 (60000,)\n",
    ),
    (
        "ds = tf.data.Dataset.from_generator(\n    img_gen.flow_from_directory, args=[flowers], \n    output_types=(tf.float32, tf.float32), \n    output_shapes=([32,256,256,3], [32,5])\n)\n\nds\n",
        "<_FlatMapDataset element_spec=(TensorSpec(shape=(32, 256, 256, 3), dtype=tf.float32, name=None), TensorSpec(shape=(32, 5), dtype=tf.float32, name=None))>\n",
    ),
    (
        "# Creates a dataset that reads all of the examples from two files.\nfsns_test_file = fsns_file  # local copy in place of the download\n",
        "",
    ),
    (
        "dataset = tf.data.TFRecordDataset(filenames = [fsns_test_file])\ndataset\n",
        "<TFRecordDatasetV2 element_spec=TensorSpec(shape=(), dtype=tf.string, name=None)>\n",
    ),
    (
        "raw_example = next(iter(dataset))\nparsed = tf.train.Example.FromString(raw_example.numpy())\n\nparsed.features.feature['image/text']\n",
        'bytes_list {\n  value: "Rue Perreyon"\n}\n\n',
    ),
    (
        "file_names = ['cowper.txt', 'derby.txt', 'butler.txt']\n\nfile_paths = [\n    os.path.join(illiad_dir, file_name)  # local copies in place of the downloads\n    for file_name in file_names\n]\n",
        "",
    ),
    ("dataset = tf.data.TextLineDataset(file_paths)\n", ""),
    (
        "for line in dataset.take(5):\n  print(line.numpy())\n",
        "b\"\\xef\\xbb\\xbfAchilles sing, O Goddess! Peleus' son;\"\nb'His wrath pernicious, who ten thousand woes'\nb\"Caused to Achaia's host, sent many a soul\"\nb'Illustrious into Ades premature,'\nb'And Heroes gave (so stood the will of Jove)'\n",
    ),
    (
        "files_ds = tf.data.Dataset.from_tensor_slices(file_paths)\nlines_ds = files_ds.interleave(tf.data.TextLineDataset, cycle_length=3)\n\nfor i, line in enumerate(lines_ds.take(9)):\n  if i % 3 == 0:\n    print()\n  print(line.numpy())\n",
        "\nb\"\\xef\\xbb\\xbfAchilles sing, O Goddess! Peleus' son;\"\nb\"\\xef\\xbb\\xbfOf Peleus' son, Achilles, sing, O Muse,\"\nb'\\xef\\xbb\\xbfSing, O goddess, the anger of Achilles son of Peleus, that brought'\n\nb'His wrath pernicious, who ten thousand woes'\nb'The vengeance, deep and deadly; whence to Greece'\nb'countless ills upon the Achaeans. Many a brave soul did it send'\n\nb\"Caused to Achaia's host, sent many a soul\"\nb'Unnumbered ills arose; which many a soul'\nb'hurrying down to Hades, and many a hero did it yield a prey to dogs and'\n",
    ),
    (
        "titanic_file = titanic_csv  # local copy in place of the download\ntitanic_lines = tf.data.TextLineDataset(titanic_file)\n",
        "",
    ),
    (
        "for line in titanic_lines.take(10):\n  print(line.numpy())\n",
        "b'survived,sex,age,n_siblings_spouses,parch,fare,class,deck,embark_town,alone'\nb'1,female,2.0,0,0,5.0,Third,unknown,Southampton,y'\nb'0,male,39.0,1,2,6.4324,First,G,Southampton,n'\nb'0,male,6.0,2,1,7.8649,Second,B,Queenstown,n'\nb'1,female,43.5,3,0,9.2973,Third,F,Cherbourg,n'\nb'0,male,10.0,0,2,10.7297,Third,unknown,Southampton,n'\nb'1,female,47.0,1,1,12.1622,First,unknown,Southampton,n'\nb'0,male,14.0,2,0,13.5946,Second,E,Queenstown,n'\nb'0,female,51.5,3,2,15.027,Third,C,Cherbourg,n'\nb'1,male,18.0,0,1,16.4595,Third,A,Southampton,n'\n",
    ),
    (
        'def survived(line):\n  return tf.not_equal(tf.strings.substr(line, 0, 1), "0")\n\nsurvivors = titanic_lines.skip(1).filter(survived)\n',
        "",
    ),
    (
        "for line in survivors.take(10):\n  print(line.numpy())\n",
        "b'1,female,2.0,0,0,5.0,Third,unknown,Southampton,y'\nb'1,female,43.5,3,0,9.2973,Third,F,Cherbourg,n'\nb'1,female,47.0,1,1,12.1622,First,unknown,Southampton,n'\nb'1,male,18.0,0,1,16.4595,Third,A,Southampton,n'\nb'1,female,22.0,2,2,19.3243,Second,unknown,Queenstown,n'\nb'1,male,63.0,1,2,23.6216,First,F,Southampton,n'\nb'1,male,67.5,3,0,26.4865,Third,unknown,Cherbourg,n'\nb'1,male,38.0,2,0,30.7838,Second,A,Queenstown,n'\nb'1,male,42.0,0,1,33.6486,Third,unknown,Southampton,n'\nb'1,male,13.5,3,1,37.9459,Third,F,Cherbourg,n'\n",
    ),
    ("titanic_file = titanic_csv  # local copy in place of the download\n", ""),
    ("df = read_csv_columns(titanic_file)  # pd.read_csv(titanic_file, index_col=None) without pandas\n", ""),
    (
        'titanic_slices = tf.data.Dataset.from_tensor_slices(dict(df))\n\nfor feature_batch in titanic_slices.take(1):\n  for key, value in feature_batch.items():\n    print("  {!r:20s}: {}".format(key, value))\n',
        "  'survived'          : 1\n  'sex'               : b'female'\n  'age'               : 2.0\n  'n_siblings_spouses': 0\n  'parch'             : 0\n  'fare'              : 5.0\n  'class'             : b'Third'\n  'deck'              : b'unknown'\n  'embark_town'       : b'Southampton'\n  'alone'             : b'y'\n",
    ),
    (
        'titanic_batches = tf.data.experimental.make_csv_dataset(\n    titanic_file, batch_size=4,\n    label_name="survived")\n',
        "",
    ),
    (
        'for feature_batch, label_batch in titanic_batches.take(1):\n  print("\'survived\': {}".format(label_batch))\n  print("features:")\n  for key, value in feature_batch.items():\n    print("  {!r:20s}: {}".format(key, value))\n',
        "'survived': [0 0 0 0]\nfeatures:\n  'sex'               : [b'male' b'male' b'male' b'female']\n  'age'               : [59.5 49.   4.   9. ]\n  'n_siblings_spouses': [3 1 0 1]\n  'parch'             : [1 1 1 0]\n  'fare'              : [ 20.7568 124.8108 121.973   35.0811]\n  'class'             : [b'Third' b'First' b'Third' b'First']\n  'deck'              : [b'G' b'G' b'E' b'G']\n  'embark_town'       : [b'Cherbourg' b'Southampton' b'Southampton' b'Southampton']\n  'alone'             : [b'n' b'n' b'n' b'n']\n",
    ),
    (
        "titanic_batches = tf.data.experimental.make_csv_dataset(\n    titanic_file, batch_size=4,\n    label_name=\"survived\", select_columns=['class', 'fare', 'survived'])\n",
        "",
    ),
    (
        'for feature_batch, label_batch in titanic_batches.take(1):\n  print("\'survived\': {}".format(label_batch))\n  for key, value in feature_batch.items():\n    print("  {!r:20s}: {}".format(key, value))\n',
        "'survived': [0 1 0 1]\n  'fare'              : [ 66.5676 126.7297  15.4865  84.7027]\n  'class'             : [b'Second' b'Third' b'Third' b'First']\n",
    ),
    (
        "titanic_types  = [tf.int32, tf.string, tf.float32, tf.int32, tf.int32, tf.float32, tf.string, tf.string, tf.string, tf.string] \ndataset = tf.data.experimental.CsvDataset(titanic_file, titanic_types , header=True)\n\nfor line in dataset.take(10):\n  print([item.numpy() for item in line])\n",
        "[np.int32(1), b'female', np.float32(2.0), np.int32(0), np.int32(0), np.float32(5.0), b'Third', b'unknown', b'Southampton', b'y']\n[np.int32(0), b'male', np.float32(39.0), np.int32(1), np.int32(2), np.float32(6.4324), b'First', b'G', b'Southampton', b'n']\n[np.int32(0), b'male', np.float32(6.0), np.int32(2), np.int32(1), np.float32(7.8649), b'Second', b'B', b'Queenstown', b'n']\n[np.int32(1), b'female', np.float32(43.5), np.int32(3), np.int32(0), np.float32(9.2973), b'Third', b'F', b'Cherbourg', b'n']\n[np.int32(0), b'male', np.float32(10.0), np.int32(0), np.int32(2), np.float32(10.7297), b'Third', b'unknown', b'Southampton', b'n']\n[np.int32(1), b'female', np.float32(47.0), np.int32(1), np.int32(1), np.float32(12.1622), b'First', b'unknown', b'Southampton', b'n']\n[np.int32(0), b'male', np.float32(14.0), np.int32(2), np.int32(0), np.float32(13.5946), b'Second', b'E', b'Queenstown', b'n']\n[np.int32(0), b'female', np.float32(51.5), np.int32(3), np.int32(2), np.float32(15.027), b'Third', b'C', b'Cherbourg', b'n']\n[np.int32(1), b'male', np.float32(18.0), np.int32(0), np.int32(1), np.float32(16.4595), b'Third', b'A', b'Southampton', b'n']\n[np.int32(0), b'male', np.float32(55.0), np.int32(1), np.int32(0), np.float32(17.8919), b'First', b'D', b'Southampton', b'n']\n",
    ),
    (
        "with open('missing.csv', 'w') as f:  # %%writefile missing.csv\n  f.write('1,2,3,4\\n,2,3,4\\n1,,3,4\\n1,2,,4\\n1,2,3,\\n,,,\\n')\n",
        "",
    ),
    (
        '# Creates a dataset that reads all of the records from two CSV files, each with\n# four float columns which may have missing values.\n\nrecord_defaults = [999,999,999,999]\ndataset = tf.data.experimental.CsvDataset("missing.csv", record_defaults)\ndataset = dataset.map(lambda *items: tf.stack(items))\ndataset\n',
        "<_MapDataset element_spec=TensorSpec(shape=(4,), dtype=tf.int32, name=None)>\n",
    ),
    (
        "for line in dataset:\n  print(line.numpy())\n",
        "[1 2 3 4]\n[999   2   3   4]\n[  1 999   3   4]\n[  1   2 999   4]\n[  1   2   3 999]\n[999 999 999 999]\n",
    ),
    (
        '# Creates a dataset that reads all of the records from two CSV files with\n# headers, extracting float data from columns 2 and 4.\nrecord_defaults = [999, 999] # Only provide defaults for the selected columns\ndataset = tf.data.experimental.CsvDataset("missing.csv", record_defaults, select_cols=[1, 3])\ndataset = dataset.map(lambda *items: tf.stack(items))\ndataset\n',
        "<_MapDataset element_spec=TensorSpec(shape=(2,), dtype=tf.int32, name=None)>\n",
    ),
    ("for line in dataset:\n  print(line.numpy())\n", "[2 4]\n[2 4]\n[999   4]\n[2 4]\n[  2 999]\n[999 999]\n"),
    (
        "flowers_root = flower_photos  # local copy in place of the download\nflowers_root = pathlib.Path(flowers_root)\n",
        "",
    ),
    ('for item in flowers_root.glob("*"):\n  print(item.name)\n', "daisy\nroses\nLICENSE.txt\ntulips\n"),
    (
        "list_ds = tf.data.Dataset.list_files(str(flowers_root/'*/*'))\n\nfor f in list_ds.take(5):\n  print(f.numpy())\n",
        "b'ROOT/flower_photos/tulips/1015_photo.jpg'\nb'ROOT/flower_photos/daisy/1001_photo.jpg'\nb'ROOT/flower_photos/roses/1007_photo.jpg'\nb'ROOT/flower_photos/daisy/1000_photo.jpg'\nb'ROOT/flower_photos/roses/1008_photo.jpg'\n",
    ),
    (
        "def process_path(file_path):\n  label = tf.strings.split(file_path, os.sep)[-2]\n  return tf.io.read_file(file_path), label\n\nlabeled_ds = list_ds.map(process_path)\n",
        "",
    ),
    (
        "for image_raw, label_text in labeled_ds.take(1):\n  print(repr(image_raw.numpy()[:100]))\n  print()\n  print(label_text.numpy())\n",
        "b'\\xff\\xd8\\xff\\xe0\\x00\\x10JFIF\\x00\\x01\\x01\\x01\\x01,\\x01,\\x00\\x00\\xff\\xdb\\x00C\\x00\\x03\\x02\\x02\\x03\\x02\\x02\\x03\\x03\\x03\\x03\\x04\\x03\\x03\\x04\\x05\\x08\\x05\\x05\\x04\\x04\\x05\\n\\x07\\x07\\x06\\x08\\x0c\\n\\x0c\\x0c\\x0b\\n\\x0b\\x0b\\r\\x0e\\x12\\x10\\r\\x0e\\x11\\x0e\\x0b\\x0b\\x10\\x16\\x10\\x11\\x13\\x14\\x15\\x15\\x15\\x0c\\x0f\\x17\\x18\\x16\\x14\\x18\\x12\\x14\\x15\\x14\\xff\\xdb\\x00C\\x01\\x03\\x04\\x04\\x05\\x04\\x05'\n\nb'daisy'\n",
    ),
] + LATE_CELLS

__all__ = ["CELLS", "KERAS_CELLS"]
