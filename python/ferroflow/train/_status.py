"""What ``Checkpoint.restore`` returns: which checkpoint values and which Python variables were matched."""

from __future__ import annotations

from typing import Any, List, Optional


class CheckpointLoadStatus:
    """``tf.train.Checkpoint.restore``'s status; values are already assigned when it is returned.

    Attributes:
        save_path: the checkpoint that was read.
        unused_keys: keys in the checkpoint that no tracked Python object took.
        missing_keys: keys of tracked Python variables that the checkpoint has no value for.
        matched_keys: keys restored.
    """

    def __init__(self, save_path: str, matched: List[str], unused: List[str], missing: List[str],
                 hint: Optional[str] = None) -> None:
        self.save_path = save_path
        self.matched_keys = list(matched)
        self.unused_keys = list(unused)
        self.missing_keys = list(missing)
        self._hint = hint
        self._expect_partial = False

    def assert_consumed(self) -> CheckpointLoadStatus:
        """Raises AssertionError unless every checkpoint value was used and every Python variable restored."""
        if self.unused_keys:
            raise AssertionError(
                f"Unresolved values in checkpoint {self.save_path}: {self._names(self.unused_keys)} were not "
                f"restored into any tracked Python object{self._suffix()}"
            )
        self.assert_existing_objects_matched()
        return self

    def assert_existing_objects_matched(self) -> CheckpointLoadStatus:
        """Raises AssertionError if a tracked Python variable has no value in the checkpoint."""
        if self.missing_keys:
            raise AssertionError(
                "Some Python objects were not bound to checkpointed values, likely due to changes in the Python "
                f"program: {self._names(self.missing_keys)} have no value in checkpoint {self.save_path}"
                f"{self._suffix()}"
            )
        return self

    def assert_nontrivial_match(self) -> CheckpointLoadStatus:
        """Raises AssertionError if nothing at all was restored."""
        if not self.matched_keys:
            raise AssertionError(
                f"Nothing was restored from checkpoint {self.save_path}: none of its "
                f"{len(self.unused_keys)} values matches a tracked Python variable{self._suffix()}"
            )
        return self

    def expect_partial(self) -> CheckpointLoadStatus:
        """Marks a partial restore as intended (values this program does not use are fine)."""
        self._expect_partial = True
        return self

    def run_restore_ops(self, session: Any = None) -> None:
        """Values are assigned eagerly by ``restore``: nothing is left to run."""

    def initialize_or_restore(self, session: Any = None) -> None:
        """Values are assigned eagerly by ``restore``: nothing is left to run."""

    def _suffix(self) -> str:
        return f". {self._hint}" if self._hint else ""

    @staticmethod
    def _names(keys: List[str]) -> str:
        shown = ", ".join(repr(k) for k in keys[:20])
        return f"[{shown}{', ...' if len(keys) > 20 else ''}] ({len(keys)} in all)"


class InitializationOnlyStatus(CheckpointLoadStatus):
    """``restore(None)``: nothing was read; variables keep their initial values."""

    def __init__(self) -> None:
        super().__init__("None", [], [], [])

    def assert_consumed(self) -> CheckpointLoadStatus:
        raise AssertionError("No checkpoint specified (save_path=None); nothing is being restored.")

    assert_existing_objects_matched = assert_consumed
    assert_nontrivial_match = assert_consumed
