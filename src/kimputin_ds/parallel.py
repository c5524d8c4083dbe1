"""Run a function over tasks on worker processes, yielding results in task order.

The validator and the build hand each worker a chunk of documents and merge
the results in document order, so the outcome never depends on which worker
finished first. Only a bounded window of chunks is in flight at once, so
memory does not grow with the corpus however fast the workers are.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: Chunks in flight per worker: enough to keep every worker busy while the
#: main process merges, few enough that unmerged results stay small.
WINDOW_PER_JOB = 2


def available_cores() -> int:
    """The number of cores this process may run on (its affinity, not the machine's).

    >>> available_cores() >= 1
    True
    """
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {value!r}")
    return jobs


def add_jobs_argument(parser: argparse.ArgumentParser, result: str) -> None:
    """Add ``--jobs N`` to a command: worker processes, by default the available cores.

    Args:
        parser: The command's parser.
        result: What is the same for any N ("the report", "the release").

    >>> parser = argparse.ArgumentParser()
    >>> add_jobs_argument(parser, "the report")
    >>> parser.parse_args(["--jobs", "2"]).jobs
    2
    """
    parser.add_argument(
        "--jobs",
        type=_jobs,
        default=None,
        metavar="N",
        help=f"worker processes (default: the available cores, {available_cores()}; "
        f"1 runs in this process); {result} is the same for any N",
    )


def chunked(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """Consecutive slices of ``items`` of ``size`` items (the last may be shorter).

    >>> chunked([1, 2, 3, 4, 5], 2)
    [[1, 2], [3, 4], [5]]
    """
    if size < 1:
        raise ValueError("chunk size must be at least 1")
    return [items[i : i + size] for i in range(0, len(items), size)]


def _context() -> Any:
    # forkserver: workers are forked from a clean, single-threaded server
    # process, never from the caller (which may hold pyarrow's threads, and
    # where fork() is unsafe); spawn where forkserver does not exist.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def ordered_map(
    function: Callable[[T], R],
    tasks: Iterable[T],
    *,
    jobs: int,
    initializer: Callable[..., object] | None = None,
    initargs: tuple[Any, ...] = (),
) -> Iterator[R]:
    """``map(function, tasks)`` on ``jobs`` worker processes, results in task order.

    With ``jobs <= 1`` everything runs in this process, exactly as ``map``
    would (``initializer`` is called here first), so the serial path has no
    process overhead. A worker's exception is raised here, at its task.

    Args:
        function: A module-level (picklable) function of one task.
        tasks: The tasks, each picklable.
        jobs: The number of worker processes.
        initializer: Called once in each worker with ``initargs`` (corpus-wide
            inputs, sent once per worker instead of once per task).
        initargs: The initializer's arguments.

    Yields:
        ``function(task)`` for each task, in the order of ``tasks``.

    >>> list(ordered_map(abs, [-2, 3, -1], jobs=1))
    [2, 3, 1]
    """
    if jobs <= 1:
        if initializer is not None:
            initializer(*initargs)
        yield from map(function, tasks)
        return
    pool = ProcessPoolExecutor(
        max_workers=jobs, mp_context=_context(), initializer=initializer, initargs=initargs
    )
    pending: deque[Future[R]] = deque()
    todo = iter(tasks)
    try:
        for task in todo:
            pending.append(pool.submit(function, task))
            if len(pending) >= jobs * WINDOW_PER_JOB:
                break
        while pending:
            result = pending.popleft().result()
            for task in todo:
                pending.append(pool.submit(function, task))
                break
            yield result
    finally:
        # Also when the consumer stops early: drop queued chunks, do not wait
        # for work whose result nobody will read.
        pool.shutdown(wait=True, cancel_futures=True)
