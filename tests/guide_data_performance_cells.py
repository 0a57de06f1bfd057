# ruff: noqa: E501
"""The code cells of TensorFlow's "Better performance with the tf.data API" guide
(https://www.tensorflow.org/guide/data_performance) and what TensorFlow 2.21 printed for each, run in order by
``test_guide_data_performance``.

Changed from the guide: matplotlib is not installed, so ``draw_timeline`` prints what it would plot (the steps
in order, each step's number of bars and first annotations) instead of drawing; the "Reproducing the figures"
section uses 10 samples per file instead of 50 (5 epochs of 100 sleeping steps take 15 s), which keeps what
its timelines show. The timings are the machine's: they are compared masked, and what they should show is
checked in the test.
"""

CELLS = [
    (
        """\
import time
""",
        """\
""",
    ),
    (
        """\
class ArtificialDataset(tf.data.Dataset):
    def _generator(num_samples):
        # Opening the file
        time.sleep(0.03)

        for sample_idx in range(num_samples):
            # Reading data (line, record) from the file
            time.sleep(0.015)

            yield (sample_idx,)

    def __new__(cls, num_samples=3):
        return tf.data.Dataset.from_generator(
            cls._generator,
            output_signature = tf.TensorSpec(shape = (1,), dtype = tf.int64),
            args=(num_samples,)
        )
""",
        """\
""",
    ),
    (
        """\
def benchmark(dataset, num_epochs=2):
    start_time = time.perf_counter()
    for epoch_num in range(num_epochs):
        for sample in dataset:
            # Performing a training step
            time.sleep(0.01)
    print("Execution time:", time.perf_counter() - start_time)
""",
        """\
""",
    ),
    (
        """\
benchmark(ArtificialDataset())
""",
        """\
Execution time: 0.25425768000422977
""",
    ),
    (
        """\
benchmark(
    ArtificialDataset()
    .prefetch(tf.data.AUTOTUNE)
)
""",
        """\
Execution time: 0.2312815859913826
""",
    ),
    (
        """\
benchmark(
    tf.data.Dataset.range(2)
    .interleave(lambda _: ArtificialDataset())
)
""",
        """\
Execution time: 0.41873889199632686
""",
    ),
    (
        """\
benchmark(
    tf.data.Dataset.range(2)
    .interleave(
        lambda _: ArtificialDataset(),
        num_parallel_calls=tf.data.AUTOTUNE
    )
)
""",
        """\
Execution time: 0.4821746660018107
""",
    ),
    (
        """\
def mapped_function(s):
    # Do some hard pre-processing
    tf.py_function(lambda: time.sleep(0.03), [], ())
    return s
""",
        """\
""",
    ),
    (
        """\
benchmark(
    ArtificialDataset()
    .map(mapped_function)
)
""",
        """\
Execution time: 0.42395907700120006
""",
    ),
    (
        """\
benchmark(
    ArtificialDataset()
    .map(
        mapped_function,
        num_parallel_calls=tf.data.AUTOTUNE
    )
)
""",
        """\
Execution time: 0.33536554301099386
""",
    ),
    (
        """\
benchmark(
    ArtificialDataset()
    .map(  # Apply time consuming operations before cache
        mapped_function
    ).cache(
    ),
    5
)
""",
        """\
Execution time: 0.3560447110066889
""",
    ),
    (
        """\
fast_dataset = tf.data.Dataset.range(10000)

def fast_benchmark(dataset, num_epochs=2):
    start_time = time.perf_counter()
    for _ in tf.data.Dataset.range(num_epochs):
        for _ in dataset:
            pass
    tf.print("Execution time:", time.perf_counter() - start_time)

def increment(x):
    return x+1
""",
        """\
""",
    ),
    (
        """\
fast_benchmark(
    fast_dataset
    # Apply function one item at a time
    .map(increment)
    # Batch
    .batch(256)
)
""",
        """\
""",
    ),
    (
        """\
fast_benchmark(
    fast_dataset
    .batch(256)
    # Apply function on a batch of items
    # The tf.Tensor.__add__ method already handle batches
    .map(increment)
)
""",
        """\
""",
    ),
    (
        """\
import itertools
from collections import defaultdict

import numpy as np
""",
        """\
""",
    ),
    (
        """\
class TimeMeasuredDataset(tf.data.Dataset):
    # OUTPUT: (steps, timings, counters)
    OUTPUT_TYPES = (tf.dtypes.string, tf.dtypes.float32, tf.dtypes.int32)
    OUTPUT_SHAPES = ((2, 1), (2, 2), (2, 3))

    _INSTANCES_COUNTER = itertools.count()  # Number of datasets generated
    _EPOCHS_COUNTER = defaultdict(itertools.count)  # Number of epochs done for each dataset

    def _generator(instance_idx, num_samples):
        epoch_idx = next(TimeMeasuredDataset._EPOCHS_COUNTER[instance_idx])

        # Opening the file
        open_enter = time.perf_counter()
        time.sleep(0.03)
        open_elapsed = time.perf_counter() - open_enter

        for sample_idx in range(num_samples):
            # Reading data (line, record) from the file
            read_enter = time.perf_counter()
            time.sleep(0.015)
            read_elapsed = time.perf_counter() - read_enter

            yield (
                [("Open",), ("Read",)],
                [(open_enter, open_elapsed), (read_enter, read_elapsed)],
                [(instance_idx, epoch_idx, -1), (instance_idx, epoch_idx, sample_idx)]
            )
            open_enter, open_elapsed = -1., -1.  # Negative values will be filtered


    def __new__(cls, num_samples=3):
        return tf.data.Dataset.from_generator(
            cls._generator,
            output_types=cls.OUTPUT_TYPES,
            output_shapes=cls.OUTPUT_SHAPES,
            args=(next(cls._INSTANCES_COUNTER), num_samples)
        )
""",
        """\
""",
    ),
    (
        """\
def timelined_benchmark(dataset, num_epochs=2):
    # Initialize accumulators
    steps_acc = tf.zeros([0, 1], dtype=tf.dtypes.string)
    times_acc = tf.zeros([0, 2], dtype=tf.dtypes.float32)
    values_acc = tf.zeros([0, 3], dtype=tf.dtypes.int32)

    start_time = time.perf_counter()
    for epoch_num in range(num_epochs):
        epoch_enter = time.perf_counter()
        for (steps, times, values) in dataset:
            # Record dataset preparation informations
            steps_acc = tf.concat((steps_acc, steps), axis=0)
            times_acc = tf.concat((times_acc, times), axis=0)
            values_acc = tf.concat((values_acc, values), axis=0)

            # Simulate training time
            train_enter = time.perf_counter()
            time.sleep(0.01)
            train_elapsed = time.perf_counter() - train_enter

            # Record training informations
            steps_acc = tf.concat((steps_acc, [["Train"]]), axis=0)
            times_acc = tf.concat((times_acc, [(train_enter, train_elapsed)]), axis=0)
            values_acc = tf.concat((values_acc, [values[-1]]), axis=0)

        epoch_elapsed = time.perf_counter() - epoch_enter
        # Record epoch informations
        steps_acc = tf.concat((steps_acc, [["Epoch"]]), axis=0)
        times_acc = tf.concat((times_acc, [(epoch_enter, epoch_elapsed)]), axis=0)
        values_acc = tf.concat((values_acc, [[-1, epoch_num, -1]]), axis=0)
        time.sleep(0.001)

    tf.print("Execution time:", time.perf_counter() - start_time)
    return {"steps": steps_acc, "times": times_acc, "values": values_acc}
""",
        """\
""",
    ),
    (
        """\
# The guide draws each step's bars with matplotlib (not installed); here draw_timeline prints what it would
# plot: the steps in order of first appearance, and per step its number of bars and their annotations.
def draw_timeline(timeline, title, width=0.5, annotate=False, save=False):
    # Remove invalid entries (negative times, or empty steps) from the timelines
    invalid_mask = np.logical_and(timeline['times'] > 0, timeline['steps'] != b'')[:,0]
    steps = timeline['steps'][invalid_mask].numpy()
    times = timeline['times'][invalid_mask].numpy()
    values = timeline['values'][invalid_mask].numpy()

    # Get a set of different steps, ordered by the first time they are encountered
    step_ids, indices = np.stack(np.unique(steps, return_index=True))
    step_ids = step_ids[np.argsort(indices)]

    # Shift the starting time to 0 and compute the maximal time value
    min_time = times[:,0].min()
    times[:,0] = (times[:,0] - min_time)
    end = max(width, (times[:,0]+times[:,1]).max() + 0.01)

    print(title, [s.decode() for s in step_ids])
    for i, step in enumerate(step_ids):
        step_name = step.decode()
        # Get timings and annotation for the given step
        entries_mask = np.squeeze(steps==step)
        serie = np.unique(times[entries_mask], axis=0)
        annotations = values[entries_mask]
        print(step_name, len(serie), sorted(set(map(tuple, annotations.tolist())))[:4])
""",
        """\
""",
    ),
    (
        """\
def map_decorator(func):
    def wrapper(steps, times, values):
        # Use a tf.py_function to prevent auto-graph from compiling the method
        return tf.py_function(
            func,
            inp=(steps, times, values),
            Tout=(steps.dtype, times.dtype, values.dtype)
        )
    return wrapper
""",
        """\
""",
    ),
    (
        """\
_batch_map_num_items = 10  # 50 in the guide: 5 epochs of 100 sleeping steps take 15 s

def dataset_generator_fun(*args):
    return TimeMeasuredDataset(num_samples=_batch_map_num_items)
""",
        """\
""",
    ),
    (
        """\
@map_decorator
def naive_map(steps, times, values):
    map_enter = time.perf_counter()
    time.sleep(0.001)  # Time consuming step
    time.sleep(0.0001)  # Memory consuming step
    map_elapsed = time.perf_counter() - map_enter

    return (
        tf.concat((steps, [["Map"]]), axis=0),
        tf.concat((times, [[map_enter, map_elapsed]]), axis=0),
        tf.concat((values, [values[-1]]), axis=0)
    )

naive_timeline = timelined_benchmark(
    tf.data.Dataset.range(2)
    .flat_map(dataset_generator_fun)
    .map(naive_map)
    .batch(_batch_map_num_items, drop_remainder=True)
    .unbatch(),
    5
)
""",
        """\
""",
    ),
    (
        """\
@map_decorator
def time_consuming_map(steps, times, values):
    map_enter = time.perf_counter()
    time.sleep(0.001 * values.shape[0])  # Time consuming step
    map_elapsed = time.perf_counter() - map_enter

    return (
        tf.concat((steps, tf.tile([[["1st map"]]], [steps.shape[0], 1, 1])), axis=1),
        tf.concat((times, tf.tile([[[map_enter, map_elapsed]]], [times.shape[0], 1, 1])), axis=1),
        tf.concat((values, tf.tile([[values[:][-1][0]]], [values.shape[0], 1, 1])), axis=1)
    )


@map_decorator
def memory_consuming_map(steps, times, values):
    map_enter = time.perf_counter()
    time.sleep(0.0001 * values.shape[0])  # Memory consuming step
    map_elapsed = time.perf_counter() - map_enter

    # Use tf.tile to handle batch dimension
    return (
        tf.concat((steps, tf.tile([[["2nd map"]]], [steps.shape[0], 1, 1])), axis=1),
        tf.concat((times, tf.tile([[[map_enter, map_elapsed]]], [times.shape[0], 1, 1])), axis=1),
        tf.concat((values, tf.tile([[values[:][-1][0]]], [values.shape[0], 1, 1])), axis=1)
    )


optimized_timeline = timelined_benchmark(
    tf.data.Dataset.range(2)
    .interleave(  # Parallelize data reading
        dataset_generator_fun,
        num_parallel_calls=tf.data.AUTOTUNE
    )
    .batch(  # Vectorize your mapped function
        _batch_map_num_items,
        drop_remainder=True)
    .map(  # Parallelize map transformation
        time_consuming_map,
        num_parallel_calls=tf.data.AUTOTUNE
    )
    .cache()  # Cache data
    .map(  # Reduce memory usage
        memory_consuming_map,
        num_parallel_calls=tf.data.AUTOTUNE
    )
    .prefetch(  # Overlap producer and consumer works
        tf.data.AUTOTUNE
    )
    .unbatch(),
    5
)
""",
        """\
""",
    ),
    (
        """\
draw_timeline(naive_timeline, "Naive", 15)
""",
        """\
Naive ['Open', 'Read', 'Map', 'Train', 'Epoch']
Open 10 [(0, 0, -1), (0, 1, -1), (0, 2, -1), (0, 3, -1)]
Read 100 [(0, 0, 0), (0, 0, 1), (0, 0, 2), (0, 0, 3)]
Map 100 [(0, 0, 0), (0, 0, 1), (0, 0, 2), (0, 0, 3)]
Train 100 [(0, 0, 0), (0, 0, 1), (0, 0, 2), (0, 0, 3)]
Epoch 5 [(-1, 0, -1), (-1, 1, -1), (-1, 2, -1), (-1, 3, -1)]
""",
    ),
    (
        """\
draw_timeline(optimized_timeline, "Optimized", 15)
""",
        """\
Optimized ['Open', 'Read', '1st map', '2nd map', 'Train', 'Epoch']
Open 2 [(1, 0, -1), (1, 1, -1)]
Read 20 [(1, 0, 0), (1, 0, 1), (1, 0, 2), (1, 0, 3)]
1st map 2 [(1, 0, -1), (1, 1, -1)]
2nd map 10 [(1, 0, -1), (1, 1, -1)]
Train 100 [(1, 0, -1), (1, 1, -1)]
Epoch 5 [(-1, 0, -1), (-1, 1, -1), (-1, 2, -1), (-1, 3, -1)]
""",
    ),
]
