"""Input that used to cost time or reach the wrong place: long digit lines, odd chart data."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from generator.figures import find_hand_typed

TIMING_CHILD = textwrap.dedent("""
    import sys, time
    from generator.figures import find_hand_typed
    line = sys.argv[1] * (300_000 // len(sys.argv[1]))
    started = time.perf_counter()
    find_hand_typed(line, ("missions", "riders"))
    print(time.perf_counter() - started)
""")


@pytest.mark.parametrize("unit", ["1,", "1."])
def test_a_300_kb_line_of_digits_is_checked_in_linear_time(unit: str) -> None:
    # The quadratic pattern took 23 s on 30 KB (about 40 minutes on this line): it is run in a
    # child so that a regression fails at the timeout instead of hanging the suite.
    done = subprocess.run([sys.executable, "-c", TIMING_CHILD, unit], capture_output=True, text=True, timeout=30, check=True)
    assert float(done.stdout) < 2.0


def test_the_linear_patterns_find_what_they_found() -> None:
    line = "It cost $1,200 million, or 5.9 billion dollars, for 28 missions and 1,204 riders"
    found = [text for _, text in find_hand_typed(line, ("missions", "riders"))]
    assert found == ["$1,200 million", "5.9 billion", "28 missions", "1,204 riders"]
