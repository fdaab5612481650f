"""Sizes and durations as dkenv prints them, in one place: builds, pulls and `status`
say "412 MB" and "1m 05s" alike."""
from __future__ import annotations

UNITS = (("GB", 1e9), ("MB", 1e6), ("kB", 1e3))


def size_text(size: int, unit: str | None = None) -> str:
    """Bytes in decimal units, as Docker shows them: "412 MB", "1.2 GB", "5.3 MB"; one
    decimal under 10 of the unit. `unit` fixes it ("MB"), so that "1.5 MB of 30 MB" reads
    as one scale."""
    for name, scale in UNITS:
        if name == unit or (unit is None and size >= scale):
            value = size / scale
            return f"{value:.1f} {name}" if value < 10 else f"{value:.0f} {name}"
    return f"{size} B"


def duration_text(seconds: float, tenths: bool = False) -> str:
    """"4s" (or "4.2s" with `tenths`, for a clock that moves while one watches) under a
    minute, "1m 05s" after."""
    if tenths and seconds < 60:
        return f"{seconds:.1f}s"
    whole = int(seconds) if tenths else int(round(seconds))
    return f"{whole // 60}m {whole % 60:02d}s" if whole >= 60 else f"{whole}s"
