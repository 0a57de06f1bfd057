"""TF1 tables: ``tf.compat.v1.lookup`` in graphs run by ``Session.run``, and ``tables_initializer``.

In a TF1 graph a table is filled by its initializer op, which ``tf.compat.v1.tables_initializer()`` collects; a
lookup before it runs fails with ``FailedPreconditionError`` ("Table not initialized."), as in TensorFlow 2.21.
"""

import pytest

import ferroflow as tf

v1 = tf.compat.v1


def test_the_documented_before_and_after():
    with tf.Graph().as_default():
        init = v1.lookup.KeyValueTensorInitializer(["a", "b"], [1, 2])
        table = v1.lookup.StaticHashTable(init, default_value=-1)
        out = table.lookup(tf.constant(["a", "c"]))
        assert out.shape.as_list() == [2] and out.dtype == tf.int32
        assert table.name == "hash_table"
        assert v1.get_collection(v1.GraphKeys.TABLE_INITIALIZERS) == [table.initializer]
        init_op = v1.tables_initializer()
        assert init_op.name == "init_all_tables" and init_op.type == "NoOp"
        with v1.Session() as sess:
            with pytest.raises(tf.errors.FailedPreconditionError, match="Table not initialized."):
                sess.run(out)
            assert sess.run(init_op) is None
            assert sess.run(out).tolist() == [1, -1]
            assert sess.run(table.size()) == 2
    # eagerly the table is filled as it is made
    init = tf.lookup.KeyValueTensorInitializer(["a", "b"], [1, 2])
    table = tf.lookup.StaticHashTable(init, default_value=-1)
    assert table.lookup(tf.constant(["a", "c"])).numpy().tolist() == [1, -1]
    assert v1.tables_initializer() is None


def test_placeholders_feed_the_initializer_and_the_keys():
    with tf.Graph().as_default():
        keys = v1.placeholder(tf.string, [None])
        vocab = v1.placeholder(tf.string, [None])
        init = v1.lookup.KeyValueTensorInitializer(vocab, tf.range(tf.size(vocab, out_type=tf.int64)))
        table = v1.lookup.StaticVocabularyTable(init, num_oov_buckets=5)
        ids = table.lookup(keys)
        with v1.Session() as sess:
            sess.run(table.initializer, {vocab: ["emerson", "lake", "palmer"]})
            assert sess.run(ids, {keys: ["emerson", "lake", "palmer", "king", "crimson"]}).tolist() == [0, 1, 2, 6, 7]
            assert sess.run(table.size()) == 8


def test_text_file_initializer_in_a_session(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_bytes(b"emerson 10\nlake 20\npalmer 30")
    with tf.Graph().as_default():
        filename = v1.placeholder(tf.string, [])
        init = v1.lookup.TextFileInitializer(filename, tf.string, 0, tf.int64, 1, delimiter=" ")
        table = v1.lookup.StaticHashTable(init, -1)
        out = table.lookup(tf.constant(["palmer", "lake", "tarkus"]))
        with v1.Session() as sess:
            sess.run(v1.tables_initializer(), {filename: str(path)})
            assert sess.run(out).tolist() == [30, 20, -1]


def test_mutable_tables_in_a_session():
    with tf.Graph().as_default():
        table = tf.lookup.experimental.MutableHashTable(tf.string, tf.int64, -1)
        insert = table.insert(["x"], [5])
        assert insert is not None  # an op to run (None eagerly)
        found = table.lookup(["x", "y"])
        size = table.size()
        with v1.Session() as sess:
            assert sess.run(found).tolist() == [-1, -1]
            sess.run(insert)
            assert sess.run(found).tolist() == [5, -1] and sess.run(size) == 1
        assert v1.tables_initializer().type == "NoOp"  # mutable tables need no initializer


def test_an_empty_graph_gets_a_no_op():
    with tf.Graph().as_default():
        op = v1.tables_initializer()
        assert op.type == "NoOp" and op.name == "init_all_tables"
        assert v1.initialize_all_tables(name="tables").name == "tables"


def test_compat_v1_names():
    lookup = v1.lookup
    assert [n for n in dir(lookup) if not n.startswith("_")] == [
        "KeyValueTensorInitializer",
        "StaticHashTable",
        "StaticVocabularyTable",
        "TextFileIndex",
        "TextFileInitializer",
        "experimental",
    ]
    assert issubclass(lookup.StaticHashTable, tf.lookup.StaticHashTable)
    assert issubclass(lookup.StaticVocabularyTable, tf.lookup.StaticVocabularyTable)
    assert lookup.KeyValueTensorInitializer is tf.lookup.KeyValueTensorInitializer
    assert lookup.TextFileInitializer is tf.lookup.TextFileInitializer
    assert lookup.experimental.MutableHashTable is tf.lookup.experimental.MutableHashTable
    assert v1.initializers.tables_initializer is v1.tables_initializer
    assert {"lookup", "tables_initializer", "initialize_all_tables"} <= set(dir(v1))
    eager = lookup.StaticVocabularyTable(None, 3)
    assert eager.initializer is None and int(eager.size()) == 3
