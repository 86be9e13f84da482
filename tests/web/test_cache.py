"""The single-flight LRU cache of computed results."""

from __future__ import annotations

import gc
import threading
import time

import pytest

from kreislauf.web.cache import SingleFlightLRU, enable_heap_freezing


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


def _seen_by_collector(value: object) -> bool:
    return any(o is value for o in gc.get_objects())


def test_heap_freezing_moves_cached_values_out_of_the_collector() -> None:
    cache: SingleFlightLRU[list[object]] = SingleFlightLRU(size=2)
    plain = cache.get("plain", lambda: [object()])
    assert _seen_by_collector(plain)  # without freezing every full collection walks it
    enable_heap_freezing(True)
    try:
        value = cache.get("k", lambda: [object() for _ in range(1000)])
        assert gc.is_tracked(value) and not _seen_by_collector(value)  # frozen
        assert not _seen_by_collector(plain)  # everything alive at that moment is frozen
    finally:
        enable_heap_freezing(False)
    assert gc.get_freeze_count() == 0 and _seen_by_collector(value)
