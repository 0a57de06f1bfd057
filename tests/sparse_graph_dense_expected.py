"""What TensorFlow 2.21 gives for ``tests/sparse_graph_dense_cases.py`` (written by
``tests/data/record_sparse_graph.py``): results per case and argument set, and for each error
case the eager error type and message and the traced error type."""

# fmt: off
EXPECTED = {'dense_matmul_sparse': [[[[4.0, 2.0, -1.0], [4.0, 2.0, -1.0], [4.0, 2.0, -1.0], [4.0, 2.0, -1.0]],
                          'float32'],
                         [[[0.0, -6.0, 0.0, 22.0], [5.0, -16.0, 0.0, 59.5]], 'float32']],
 'matmul_adjoint_b': [[[[2.0], [3.0]], 'float32'],
                      [[[0.0, 4.0], [0.0, 0.0], [1.5, 3.5], [19.0, 39.0], [0.0, 0.0]], 'float32']],
 'matmul_unknown_columns': [[[[4.0, 6.0], [-4.0, -1.0]], 'float32'],
                            [[[0.0, 1.0, 2.0], [0.0, 0.0, 0.0], [4.5, 5.0, 5.5], [57.0, 62.0, 67.0],
                              [0.0, 0.0, 0.0]],
                             'float32']],
 'reduce_max_keeping_two': [[[[2.0, 0.0], [0.0, 5.0]], 'float32'],
                            [[[0.0, -1.0], [0.0, 0.0], [2.0, 0.0]], 'float32']],
 'reshape_to_tensor': [[[[0, 1], [1, 1], [2, 1]], [2.0, 4.0, -1.0], [3, 2], 'float32'],
                       [[[0, 0], [1, 1], [1, 3], [1, 5]], [1.0, 0.5, -2.0, 7.0], [2, 10], 'float32']],
 'reshape_to_three': [[[[0, 0, 1], [0, 1, 1], [0, 2, 1]], [2.0, 4.0, -1.0], [1, 3, 2], 'float32'],
                      [[[0, 0, 0], [1, 0, 1], [1, 0, 3], [1, 1, 0]], [1.0, 0.5, -2.0, 7.0], [2, 2, 5],
                       'float32']],
 'to_dense_bools': [[[[False, True], [False, False]], 'bool'],
                    [[[True, False, False], [False, False, False]], 'bool']],
 'to_dense_strings': [[['', 'x', '', ''], 'string'], [['a', '', '', '', '', '', '', 'b', ''], 'string']],
 'to_dense_strings_default': [[['-', 'x', '-', '-'], 'string'], [['-', '-', '-', '-', '-', 'b'], 'string']]}

ERRORS = {'reshape_not_a_multiple': ('InvalidArgumentError',
                            'Input to reshape is a SparseTensor with 6 dense values, but the requested '
                            'shape requires a multiple of 4. input_shape=[2,3] output_shape=[4,1]',
                            'InvalidArgumentError'),
 'reshape_other_size': ('InvalidArgumentError',
                        'Input to reshape is a tensor with 6 dense values, but the requested shape has 8. '
                        'input_shape=[2,3] output_shape=[4,2]',
                        'InvalidArgumentError')}
# fmt: on
