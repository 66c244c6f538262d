"""Spreading independent work (Markdown, templates) over the machine's cores.

Worker processes are forked, so they share the parent's site model without
pickling it; only each item's result travels back. Results come back in input
order, so a parallel build is byte-identical to a serial one. Small jobs stay
serial: forking costs more than it saves below a few hundred items.
"""

from __future__ import annotations

import multiprocessing
import os
from typing import Callable, Iterator, Optional, Sequence, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

SERIAL_BELOW = 200  # items; under this, forking costs more than it saves
CHUNKS_PER_WORKER = 4

# The task of the current parallel map. Set only while a map runs, read only by the forked
# workers (which inherit it): the standard way to hand a closure to fork-started processes.
_task: Optional[Callable] = None


def worker_count(requested: int = 0) -> int:
    """`requested` workers, or one per core available to this process when 0."""
    if requested > 0:
        return requested
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def parallel_map(function: Callable[[Item], Result], items: Sequence[Item], workers: int = 0) -> Iterator[Result]:
    """function(item) for each item, in order, over forked workers when it pays.

    Results are yielded as they come in, so a caller can count them as they arrive.
    """
    count = worker_count(workers)
    if count == 1 or len(items) < SERIAL_BELOW or "fork" not in multiprocessing.get_all_start_methods():
        yield from (function(item) for item in items)
        return
    global _task
    _task = function
    try:
        with multiprocessing.get_context("fork").Pool(count) as pool:
            size = max(1, len(items) // (count * CHUNKS_PER_WORKER))
            yield from pool.imap(_run, items, chunksize=size)
    finally:
        _task = None


def _run(item: object) -> object:
    return _task(item)
