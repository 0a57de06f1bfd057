# ruff: noqa: E501
"""The code cells of TensorFlow's "Using the SavedModel format" guide, each with what TensorFlow 2.21 prints."""

CELLS = [
    (
        "import os\nimport tempfile\n\nimport numpy as np\n\ntmpdir = tempfile.mkdtemp()\n",
        "",
    ),
    (
        "physical_devices = tf.config.list_physical_devices('GPU')\nfor device in physical_devices:\n  tf.config.experimental.set_memory_growth(device, True)\n",
        "",
    ),
    (
        "x = np.linspace(0.0, 255.0, 8 * 8 * 3, dtype=np.float32).reshape(8, 8, 3)\nx = x[tf.newaxis,...] / 127.5 - 1.0  # mobilenet.preprocess_input\n",
        "",
    ),
    (
        "imagenet_labels = np.array(['background'] + ['class_%d' % i for i in range(10)])\n",
        "",
    ),
    (
        "pretrained_model = tf.keras.Sequential([\n    tf.keras.Input((8, 8, 3)),\n    tf.keras.layers.Conv2D(4, 3, activation='relu'),\n    tf.keras.layers.BatchNormalization(),\n    tf.keras.layers.GlobalAveragePooling2D(),\n    tf.keras.layers.Dense(10, activation='softmax')])\npretrained_model.set_weights([np.sin(np.arange(w.size)).reshape(w.shape).astype('float32')\n                              for w in pretrained_model.get_weights()])\nresult_before_save = pretrained_model(x)\n\ndecoded = imagenet_labels[np.argsort(result_before_save)[0,::-1][:5]+1]\n\nprint(\"Result before saving:\\n\", decoded)\n",
        "Result before saving:\n ['class_8' 'class_1' 'class_2' 'class_7' 'class_9']\n",
    ),
    (
        'mobilenet_save_path = os.path.join(tmpdir, "mobilenet/1/")\ntf.saved_model.save(pretrained_model, mobilenet_save_path)\n',
        "",
    ),
    (
        'loaded = tf.saved_model.load(mobilenet_save_path)\nprint(list(loaded.signatures.keys()))  # ["serving_default"]\n',
        "['serving_default']\n",
    ),
    (
        'infer = loaded.signatures["serving_default"]\nprint(infer.structured_outputs)\n',
        "{'output_0': TensorSpec(shape=(None, 10), dtype=tf.float32, name='output_0')}\n",
    ),
    (
        'labeling = infer(tf.constant(x))[pretrained_model.output_names[0]]\n\ndecoded = imagenet_labels[np.argsort(labeling)[0,::-1][:5]+1]\n\nprint("Result after saving and loading:\\n", decoded)\n',
        "EXC AttributeError: 'Sequential' object has no attribute 'output_names'\n",
    ),
    (
        "print(sorted(os.listdir(mobilenet_save_path)))\n",
        "['assets', 'fingerprint.pb', 'saved_model.pb', 'variables']\n",
    ),
    (
        "print(sorted(os.listdir(os.path.join(mobilenet_save_path, 'variables'))))\n",
        "['variables.data-00000-of-00001', 'variables.index']\n",
    ),
    (
        "class CustomModule(tf.Module):\n\n  def __init__(self):\n    super(CustomModule, self).__init__()\n    self.v = tf.Variable(1.)\n\n  @tf.function\n  def __call__(self, x):\n    print('Tracing with', x)\n    return x * self.v\n\n  @tf.function(input_signature=[tf.TensorSpec([], tf.float32)])\n  def mutate(self, new_v):\n    self.v.assign(new_v)\n\nmodule = CustomModule()\n",
        "",
    ),
    (
        "module_no_signatures_path = os.path.join(tmpdir, 'module_no_signatures')\nmodule(tf.constant(0.))\nprint('Saving model...')\ntf.saved_model.save(module, module_no_signatures_path)\n",
        'Tracing with Tensor("x:0", shape=(), dtype=float32)\nSaving model...\nTracing with Tensor("x:0", shape=(), dtype=float32)\n',
    ),
    (
        "imported = tf.saved_model.load(module_no_signatures_path)\nassert imported(tf.constant(3.)).numpy() == 3\nimported.mutate(tf.constant(2.))\nassert imported(tf.constant(3.)).numpy() == 6\n",
        "",
    ),
    (
        "imported(tf.constant([3.]))\n",
        "EXC ValueError: Could not find matching concrete function to call loaded from the SavedModel. Got:\n  Positional arguments (1 total):\n    * <tf.Tensor 'x:0' shape=(1,) dtype=float32>\n  Keyword arguments: {}\n\n Expected these arguments to match one of the following 1 option(s):\n\nOption 1:\n  Positional arguments (1 tot\n",
    ),
    (
        "optimizer = tf.keras.optimizers.SGD(0.05)\n\ndef train_step():\n  with tf.GradientTape() as tape:\n    loss = (10. - imported(tf.constant(2.))) ** 2\n  variables = tape.watched_variables()\n  grads = tape.gradient(loss, variables)\n  optimizer.apply_gradients(zip(grads, variables))\n  return loss\n",
        "",
    ),
    (
        'for _ in range(10):\n  # "v" approaches 5, "loss" approaches 0\n  print("loss={:.2f} v={:.2f}".format(train_step(), imported.v.numpy()))\n',
        "loss=36.00 v=3.20\nloss=12.96 v=3.92\nloss=4.67 v=4.35\nloss=1.68 v=4.61\nloss=0.60 v=4.77\nloss=0.22 v=4.86\nloss=0.08 v=4.92\nloss=0.03 v=4.95\nloss=0.01 v=4.97\nloss=0.00 v=4.98\n",
    ),
    (
        'loaded = tf.saved_model.load(mobilenet_save_path)\nprint("MobileNet has {} trainable variables: {}, ...".format(\n          len(loaded.trainable_variables),\n          ", ".join([v.name for v in loaded.trainable_variables[:5]])))\n',
        "EXC AttributeError: '_UserObject' object has no attribute 'trainable_variables'\n",
    ),
    (
        'trainable_variable_ids = {id(v) for v in loaded.trainable_variables}\nnon_trainable_variables = [v for v in loaded.variables\n                           if id(v) not in trainable_variable_ids]\nprint("MobileNet also has {} non-trainable variables: {}, ...".format(\n          len(non_trainable_variables),\n          ", ".join([v.name for v in non_trainable_variables[:3]])))\n',
        "EXC AttributeError: '_UserObject' object has no attribute 'trainable_variables'\n",
    ),
    (
        "assert len(imported.signatures) == 0\n",
        "",
    ),
    (
        "module_with_signature_path = os.path.join(tmpdir, 'module_with_signature')\ncall = module.__call__.get_concrete_function(tf.TensorSpec(None, tf.float32))\ntf.saved_model.save(module, module_with_signature_path, signatures=call)\n",
        'Tracing with Tensor("x:0", dtype=float32)\nTracing with Tensor("x:0", dtype=float32)\n',
    ),
    (
        "imported_with_signatures = tf.saved_model.load(module_with_signature_path)\nlist(imported_with_signatures.signatures.keys())\n",
        "['serving_default']\n",
    ),
    (
        'module_multiple_signatures_path = os.path.join(tmpdir, \'module_with_multiple_signatures\')\nsignatures = {"serving_default": call,\n              "array_input": module.__call__.get_concrete_function(tf.TensorSpec([None], tf.float32))}\n\ntf.saved_model.save(module, module_multiple_signatures_path, signatures=signatures)\n',
        "",
    ),
    (
        "imported_with_multiple_signatures = tf.saved_model.load(module_multiple_signatures_path)\nlist(imported_with_multiple_signatures.signatures.keys())\n",
        "['serving_default', 'array_input']\n",
    ),
    (
        "class CustomModuleWithOutputName(tf.Module):\n  def __init__(self):\n    super(CustomModuleWithOutputName, self).__init__()\n    self.v = tf.Variable(1.)\n\n  @tf.function(input_signature=[tf.TensorSpec(None, tf.float32)])\n  def __call__(self, x):\n    return {'custom_output_name': x * self.v}\n\nmodule_output = CustomModuleWithOutputName()\ncall_output = module_output.__call__.get_concrete_function(tf.TensorSpec(None, tf.float32))\nmodule_output_path = os.path.join(tmpdir, 'module_with_output_name')\ntf.saved_model.save(module_output, module_output_path,\n                    signatures={'serving_default': call_output})\n",
        "",
    ),
    (
        "imported_with_output_name = tf.saved_model.load(module_output_path)\nimported_with_output_name.signatures['serving_default'].structured_outputs\n",
        "{'custom_output_name': TensorSpec(shape=<unknown>, dtype=tf.float32, name='custom_output_name')}\n",
    ),
]
