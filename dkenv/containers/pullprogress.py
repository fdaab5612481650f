"""What a pull has done so far, from the Engine's progress messages. Pure.

The Engine streams one JSON message per event of each layer ("Pulling fs layer",
"Downloading" with `progressDetail` {current, total}, "Extracting", "Pull complete"...).
`PullState` keeps each layer's latest; `line()` says it in one line a person reads
("3/7 layers, 45.2 MB of 150 MB"), for the live line on a terminal and the plain lines
elsewhere.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from dkenv.humanize import size_text

DONE = ("Pull complete", "Already exists")


@dataclass
class Layer:
    status: str = ""
    current: int = 0  # bytes downloaded
    total: int = 0  # bytes to download (0 when the Engine did not say)


@dataclass
class PullState:
    layers: dict[str, Layer] = field(default_factory=dict)
    status: str = ""  # the last message not about a layer: "Digest: sha256:...", "Status: ..."

    def feed(self, message: dict) -> None:
        status = str(message.get("status") or "")
        layer_id = message.get("id")
        if not layer_id or not isinstance(layer_id, str) or status.startswith("Pulling from"):
            self.status = status or self.status
            return
        layer = self.layers.setdefault(layer_id, Layer())
        layer.status = status
        detail = message.get("progressDetail") or {}
        if status == "Downloading" and isinstance(detail, dict):
            layer.current = _int(detail.get("current"), layer.current)
            layer.total = _int(detail.get("total"), layer.total)
        elif status in ("Download complete", "Verifying Checksum") + DONE and layer.total:
            layer.current = layer.total

    @property
    def done(self) -> int:
        return sum(1 for layer in self.layers.values() if layer.status in DONE)

    @property
    def downloaded(self) -> int:
        return sum(layer.current for layer in self.layers.values())

    @property
    def size(self) -> int:
        return sum(layer.total for layer in self.layers.values())

    def line(self) -> str:
        """"3/7 layers, 45.2 MB of 150 MB" (what is known so far)."""
        if not self.layers:
            return self.status
        text = f"{self.done}/{len(self.layers)} layers"
        if self.size:
            text += f", {size_text(self.downloaded, 'MB')} of {size_text(self.size, 'MB')}"
        return text


    def summary(self) -> str:
        """What the pull did, once over: "7 layers, 150 MB" or the Engine's last word."""
        if not self.layers:
            return self.status.removeprefix("Status: ") or "nothing to download"
        fetched = sum(1 for layer in self.layers.values() if layer.status != "Already exists")
        size = f", {size_text(self.size)}" if self.size else ""
        return f"{fetched} of {len(self.layers)} layers downloaded{size}"


def _int(value, default: int) -> int:
    return value if isinstance(value, int) and value >= 0 else default
