"""What TensorFlow 2.21 gives for ``tests/segment_graph_cases.py`` (written by
``tests/data/record_sparse_graph.py``): results per case and argument set, and for each error
case the eager error type and message and the traced error type."""

# fmt: off
EXPECTED = {'segment_max': [[[[3.0, 4.0], [0.0, 0.0], [5.0, 6.0]], 'float32'],
                 [[[0.0, 0.0], [0.0, 1.0], [0.0, 0.0], [2.0, 3.0], [4.0, 5.0]], 'float32']],
 'segment_mean': [[[[2.0, 1.0], [0.0, 0.0], [5.0, 6.0]], 'float32'],
                  [[[0.0, 0.0], [-2.0, -1.0], [0.0, 0.0], [2.0, 3.0], [4.0, 5.0]], 'float32']],
 'segment_min': [[[[1.0, -2.0], [0.0, 0.0], [5.0, 6.0]], 'float32'],
                 [[[0.0, 0.0], [-4.0, -3.0], [0.0, 0.0], [2.0, 3.0], [4.0, 5.0]], 'float32']],
 'segment_prod': [[[[3.0, -8.0], [1.0, 1.0], [5.0, 6.0]], 'float32'],
                  [[[1.0, 1.0], [0.0, 3.0], [1.0, 1.0], [2.0, 3.0], [4.0, 5.0]], 'float32']],
 'segment_sum': [[[[4.0, 2.0], [0.0, 0.0], [5.0, 6.0]], 'float32'],
                 [[[0.0, 0.0], [-6.0, -3.0], [0.0, 0.0], [2.0, 3.0], [4.0, 5.0]], 'float32']],
 'unsorted_segment_max': [[[[3.0, 4.0], [-3.4028234663852886e+38, -3.4028234663852886e+38], [5.0, 6.0]],
                           'float32'],
                          [[[0.0, 1.0], [4.0, 5.0], [-3.4028234663852886e+38, -3.4028234663852886e+38],
                            [2.0, 3.0], [-3.4028234663852886e+38, -3.4028234663852886e+38]],
                           'float32']],
 'unsorted_segment_mean': [[[[3.0, 4.0], [0.0, 0.0], [3.0, 2.0]], 'float32'],
                           [[[0.0, 1.0], [4.0, 5.0], [0.0, 0.0], [-1.0, 0.0], [0.0, 0.0]], 'float32']],
 'unsorted_segment_min': [[[[3.0, 4.0], [3.4028234663852886e+38, 3.4028234663852886e+38], [1.0, -2.0]],
                           'float32'],
                          [[[0.0, 1.0], [4.0, 5.0], [3.4028234663852886e+38, 3.4028234663852886e+38],
                            [-4.0, -3.0], [3.4028234663852886e+38, 3.4028234663852886e+38]],
                           'float32']],
 'unsorted_segment_prod': [[[[3.0, 4.0], [1.0, 1.0], [5.0, -12.0]], 'float32'],
                           [[[0.0, 1.0], [4.0, 5.0], [1.0, 1.0], [-8.0, -9.0], [1.0, 1.0]], 'float32']],
 'unsorted_segment_sqrt_n': [[[[3.0, 4.0], [0.0, 0.0], [4.242640018463135, 2.828429937362671]], 'float32'],
                             [[[0.0, 1.0], [4.0, 5.0], [0.0, 0.0], [-1.4142099618911743, 0.0], [0.0, 0.0]],
                              'float32']],
 'unsorted_segment_sum': [[[[3.0, 4.0], [0.0, 0.0], [6.0, 4.0]], 'float32'],
                          [[[0.0, 1.0], [4.0, 5.0], [0.0, 0.0], [-2.0, 0.0], [0.0, 0.0]], 'float32']],
 'unsorted_segment_sum_2d_ids': [[[7.0, 8.0, 0.0], 'float32'], [[8.0, 12.0, 8.0], 'float32']]}

ERRORS = {'segment_id_negative': ('InvalidArgumentError',
                         "Segment id -1 out of range [0, 1), possibly because 'segment_ids' input is not "
                         'sorted.',
                         'InvalidArgumentError'),
 'segment_ids_not_sorted': ('InvalidArgumentError', 'segment ids are not increasing',
                            'InvalidArgumentError'),
 'segment_sizes_differ': ('InvalidArgumentError',
                          'segment_ids should be the same size as dimension 0 of input.',
                          'InvalidArgumentError'),
 'unsorted_id_past_num_segments': ('InvalidArgumentError', 'segment_ids[1] = 5 is out of range [0, 3)',
                                   'InvalidArgumentError'),
 'unsorted_max_id_past_num_segments': ('InvalidArgumentError', 'segment_ids[1] = 5 is out of range [0, 3)',
                                       'InvalidArgumentError')}
# fmt: on
