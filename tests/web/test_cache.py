"""The single-flight LRU cache of computed results."""

from __future__ import annotations

import threading
import time

import pytest

from kreislauf.web.cache import SingleFlightLRU


def test_concurrent_misses_compute_once() -> None:
    cache: SingleFlightLRU[int] = SingleFlightLRU(size=2)
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        time.sleep(0.1)
        return 42

    results: list[int] = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.get("k", compute))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [42] * 8
    assert len(calls) == 1


def test_lru_eviction_and_failed_computation() -> None:
    cache: SingleFlightLRU[str] = SingleFlightLRU(size=2)
    for key in ("a", "b", "c"):
        cache.get(key, lambda key=key: key)
    assert cache.get("a", lambda: "again") == "again"  # "a" was evicted

    def fail() -> str:
        raise ValueError("bad")

    with pytest.raises(ValueError):
        cache.get("x", fail)
    assert cache.get("x", lambda: "ok") == "ok"  # a failure is not cached
