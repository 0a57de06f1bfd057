"""Input-pipeline descriptions: ``InputContext`` (what ``distribute_datasets_from_function`` hands the dataset
function), ``InputReplicationMode``, and the option records ``InputOptions`` and ``RunOptions``."""

from __future__ import annotations

import collections
import enum


class InputReplicationMode(enum.Enum):
    """Whether each worker (``PER_WORKER``) or each replica (``PER_REPLICA``) builds its own input pipeline."""

    PER_WORKER = "PER_WORKER"
    PER_REPLICA = "PER_REPLICA"


class InputContext:
    """Which of ``num_input_pipelines`` pipelines a dataset function builds, for sharding and batch sizes."""

    def __init__(self, num_input_pipelines: int = 1, input_pipeline_id: int = 0, num_replicas_in_sync: int = 1):
        self._num_input_pipelines = num_input_pipelines
        self._input_pipeline_id = input_pipeline_id
        self._num_replicas_in_sync = num_replicas_in_sync

    @property
    def num_input_pipelines(self) -> int:
        return self._num_input_pipelines

    @property
    def input_pipeline_id(self) -> int:
        return self._input_pipeline_id

    @property
    def num_replicas_in_sync(self) -> int:
        return self._num_replicas_in_sync

    def get_per_replica_batch_size(self, global_batch_size: int) -> int:
        """``global_batch_size`` split evenly over the replicas.

        Raises:
            ValueError: the global batch does not divide by the number of replicas.
        """
        if global_batch_size % self._num_replicas_in_sync != 0:
            raise ValueError(
                f"The `global_batch_size` {global_batch_size} is not divisible by `num_replicas_in_sync` "
                f"{self._num_replicas_in_sync} "
            )
        return global_batch_size // self._num_replicas_in_sync

    def __str__(self) -> str:
        return (
            f"tf.distribute.InputContext(input pipeline id {self._input_pipeline_id}, "
            f"total: {self._num_input_pipelines})"
        )


_InputOptionsFields = collections.namedtuple(
    "InputOptions",
    [
        "experimental_fetch_to_device",
        "experimental_replication_mode",
        "experimental_place_dataset_on_device",
        "experimental_per_replica_buffer_size",
    ],
)


class InputOptions(_InputOptionsFields):
    """How a strategy distributes a dataset (``experimental_replication_mode`` is the one that changes
    anything on one device)."""

    def __new__(
        cls,
        experimental_fetch_to_device: bool = None,
        experimental_replication_mode: InputReplicationMode = InputReplicationMode.PER_WORKER,
        experimental_place_dataset_on_device: bool = False,
        experimental_per_replica_buffer_size: int = 1,
    ) -> InputOptions:
        if experimental_fetch_to_device is None:
            experimental_fetch_to_device = True
        return super().__new__(
            cls,
            experimental_fetch_to_device,
            experimental_replication_mode,
            experimental_place_dataset_on_device,
            experimental_per_replica_buffer_size,
        )


_RunOptionsFields = collections.namedtuple(
    "RunOptions",
    ["experimental_enable_dynamic_batch_size", "experimental_bucketizing_dynamic_shape", "experimental_xla_options"],
)


class RunOptions(_RunOptionsFields):
    """Options of ``strategy.run`` (TPU settings: accepted, without effect on the CPU)."""

    def __new__(
        cls,
        experimental_enable_dynamic_batch_size: bool = True,
        experimental_bucketizing_dynamic_shape: bool = False,
        experimental_xla_options: object = None,
    ) -> RunOptions:
        return super().__new__(
            cls,
            experimental_enable_dynamic_batch_size,
            experimental_bucketizing_dynamic_shape,
            experimental_xla_options,
        )
