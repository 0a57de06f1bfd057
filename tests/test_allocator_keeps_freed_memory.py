"""Freed tensor memory stays with the process for a while, so the next step's buffers are not faulted in again.

The allocator (mimalloc) gives freed memory back to the OS after a delay; with its default of one second,
large buffers freed at the end of a training step or epoch were returned and, at their next use, faulted in
and zeroed again page by page. ferroflow sets a delay of ten seconds (``MIMALLOC_PURGE_DELAY`` still wins).
"""

import os
import subprocess
import sys

PROBE = """
import resource, time
import ferroflow as tf

def faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt

def touch():
    # four 16 MiB tensors: large buffers, within the allocator's arenas
    xs = [tf.random.normal([2048, 2048]) for _ in range(4)]
    return sum(float(tf.reduce_sum(x)) for x in xs)

touch()
total = 0
for _ in range(3):
    time.sleep(1.3)  # longer than mimalloc's default delay of one second
    before = faults()
    touch()
    total += faults() - before
print(total)
"""


def page_faults_of_reuse(purge_delay=None) -> int:
    """Page faults of three rounds of re-allocating 64 MiB freed 1.3 s earlier, in a fresh process."""
    env = {k: v for k, v in os.environ.items() if k != "MIMALLOC_PURGE_DELAY"}
    if purge_delay is not None:
        env["MIMALLOC_PURGE_DELAY"] = purge_delay
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True)
    return int(out.stdout.strip().splitlines()[-1])


def test_buffers_freed_a_second_ago_are_reused_without_page_faults():
    kept = page_faults_of_reuse()
    # Returning the 64 MiB to the OS costs at least one fault per 2 MiB huge page each round (96 in all),
    # 16,384 a round with 4 KiB pages.
    assert kept < 30, f"{kept} page faults re-using freed buffers"


def test_the_users_own_delay_wins():
    # With mimalloc's default delay of one second chosen explicitly, the buffers go back to the OS between rounds.
    returned = page_faults_of_reuse("1000")
    assert returned >= 90, f"only {returned} page faults: the user's MIMALLOC_PURGE_DELAY was not applied"
