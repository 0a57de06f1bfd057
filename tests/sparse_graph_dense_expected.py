"""What TensorFlow 2.21 gives for ``tests/sparse_graph_dense_cases.py`` (written by
``tests/data/record_sparse_graph.py``): results per case and argument set, and for each error
case the eager error type and message and the traced error type."""

# fmt: off
EXPECTED = {'cross': [[[[0, 0], [0, 1], [0, 2], [0, 3], [2, 0], [2, 1]],
            ['a_X_x', 'a_X_y', 'b_X_x', 'b_X_y', 'c_X_u', 'c_X_v'], [3, 4], 'string'],
           [[[1, 0], [1, 1]], ['d_X_q', 'e_X_q'], [2, 2], 'string']],
 'cross_hashed': [[[[0, 0], [0, 1], [0, 2], [0, 3], [2, 0], [2, 1]],
                   [1484974617627318892, 3920818148696658747, 3552177129620670004, 5470948523078679805,
                    4790454433732136384, 3266811598836059324],
                   [3, 4], 'int64'],
                  [[[1, 0], [1, 1]], [3855052626266969126, 3977204973088685979], [2, 2], 'int64']],
 'cross_hashed_buckets': [[[[0, 0], [0, 1], [2, 0]], [96, 53, 4], [3, 2], 'int64'],
                          [[[1, 0], [1, 1], [1, 2], [1, 3]], [46, 83, 34, 74], [2, 4], 'int64']],
 'cross_three': [[[[0, 0], [0, 1], [2, 0]], ['a|7|x', 'b|7|x', 'c|9|u'], [3, 2], 'string'],
                 [[[1, 0], [1, 1], [1, 2], [1, 3]],
                  ['d|6|q', 'd|1099511627776|q', 'e|6|q', 'e|1099511627776|q'], [2, 4], 'string']],
 'dense_matmul_sparse': [[[[4.0, 2.0, -1.0], [4.0, 2.0, -1.0], [4.0, 2.0, -1.0], [4.0, 2.0, -1.0]],
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
 'sampled_addmm': [[[[[0, 0], [1, 1]], 'int32'], [[6.5, 29.0], 'float32'], [[3, 3], 'int32']],
                   [[[[0, 2], [1, 0], [2, 1]], 'int32'], [[16.5, 16.0, 59.5], 'float32'],
                    [[3, 3], 'int32']]],
 'sampled_addmm_batched': [[[[[[0, 1], [1, 0]], [[0, 0], [1, 0]]], 'int32'],
                            [[[75.75, 173.0], [381.5, 524.5]], 'float32'], [[2, 2], 'int32']],
                           [[[[[1, 1]], [[0, 1]]], 'int32'], [[[30.25], [144.5]], 'float32'],
                            [[2, 2], 'int32']]],
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
                        'InvalidArgumentError'),
 'sampled_addmm_shape_differs': ('ValueError', 'Dense shape: [2 3] does not match output shape: [2 2]',
                                 'InvalidArgumentError')}
# fmt: on
