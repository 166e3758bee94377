"""The import's pause of the cyclic garbage collector, across the threads of one Streamlit server."""

from __future__ import annotations

import gc
import random
import threading
import time

from core.services.imports.gc_pause import paused_gc


def test_the_collector_is_back_after_imports_that_overlap_in_many_threads() -> None:
    assert gc.isenabled()
    off_inside: list[bool] = []

    def imports(seed: int) -> None:
        rng = random.Random(seed)
        for _ in range(200):
            with paused_gc():
                off_inside.append(not gc.isenabled())
                time.sleep(rng.random() / 10_000)

    threads = [threading.Thread(target=imports, args=(seed,)) for seed in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(off_inside) and len(off_inside) == 1_600
    assert gc.isenabled(), "the last import to end turns the collector back on"


def test_a_collector_switched_off_by_the_caller_stays_off() -> None:
    gc.disable()
    try:
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_an_error_inside_still_turns_the_collector_back_on() -> None:
    try:
        with paused_gc():
            raise ValueError("a bad file")
    except ValueError:
        pass
    assert gc.isenabled()
