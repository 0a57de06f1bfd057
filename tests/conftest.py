"""Shared fixtures: the CPU split into several logical devices, for the strategies with several replicas."""

from __future__ import annotations

from typing import Iterator

import pytest

import ferroflow as tf


def _split_cpu(n: int) -> Iterator[None]:
    """The CPU as ``n`` logical devices while the test runs, one again after it."""
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * n)
    yield
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()])


@pytest.fixture
def two_logical_cpus() -> Iterator[None]:
    yield from _split_cpu(2)


@pytest.fixture
def three_logical_cpus() -> Iterator[None]:
    yield from _split_cpu(3)
