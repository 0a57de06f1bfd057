"""``tf.data.experimental.assert_cardinality``: a dataset that declares its length and checks it."""

from __future__ import annotations

from typing import Any, Iterator

from ..errors import FailedPreconditionError
from .dataset_ops import Dataset
from .sources import _int


class AssertCardinalityDataset(Dataset):
    """The input's elements; its cardinality is the expected one, and iteration fails if the count differs."""

    def __init__(self, dataset: Dataset, expected: Any) -> None:
        self._input = dataset
        self._expected = _int(expected, "expected_cardinality")
        super().__init__(dataset.element_spec, (dataset,))

    def _iterator(self) -> Iterator[tuple]:
        n = 0
        for flat in self._input._iterator():
            n += 1
            if self._expected >= 0 and n > self._expected:
                raise FailedPreconditionError(
                    f"Input dataset was expected to contain {self._elements(self._expected)} but contained at "
                    f"least {self._elements(n)}."
                )
            yield flat
        if n != self._expected:
            raise FailedPreconditionError(
                f"Input dataset was expected to contain {self._elements(self._expected)} but contained only "
                f"{self._elements(n)}."
            )

    @staticmethod
    def _elements(n: int) -> str:
        return f"{n} element" if n == 1 else f"{n} elements"

    def _cardinality(self) -> int:
        return self._expected
