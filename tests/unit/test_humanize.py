"""Sizes and durations, one formatter each (dkenv/humanize.py)."""
from __future__ import annotations

import pytest

from dkenv.humanize import duration_text, size_text


@pytest.mark.parametrize(("size", "unit", "expected"), [
    (123_456_789, None, "123 MB"), (1_234_000_000, None, "1.2 GB"), (5_300_000, None, "5.3 MB"),
    (900, None, "900 B"), (12_000, None, "12 kB"),
    (12_000_000, "MB", "12 MB"), (1_500_000, "MB", "1.5 MB"), (300_000, "MB", "0.3 MB"), (0, "MB", "0.0 MB"),
])
def test_size_text(size, unit, expected):
    assert size_text(size, unit) == expected


@pytest.mark.parametrize(("seconds", "tenths", "expected"), [
    (4.4, False, "4s"), (95, False, "1m 35s"), (59.6, False, "1m 00s"), (0, False, "0s"),
    (4.26, True, "4.3s"), (59.94, True, "59.9s"), (65, True, "1m 05s"), (119.99, True, "1m 59s"),
])
def test_duration_text(seconds, tenths, expected):
    assert duration_text(seconds, tenths) == expected
