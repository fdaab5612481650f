"""What pip-compile's annotations say of a compiled requirements file: which pins the
project asked for itself (`# via -r requirements.in`) and which only other packages need
(`# via kombu`). Pure: reads text.
"""
from __future__ import annotations

import re


def compiled_transitive(text: str) -> set[str]:
    """The normalized names pip-compile's annotations (`# via kombu`, or `# via` then
    `#   celery` lines) give only other packages as the reason for: none of them `-r FILE`
    (what the project asked for itself). Nothing for a file without annotations."""
    reasons: dict[str, list[str]] = {}
    current, continued = None, False
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            if not continued:  # a continuation (`--hash=...` after `\`) keeps the requirement it belongs to
                match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)", stripped) if not stripped.startswith("-") else None
                current = re.sub(r"[-_.]+", "-", match.group(1)).lower() if match else None  # PEP 503
            continued = stripped.endswith("\\")
            continue
        via = re.match(r"^#\s*via\b\s*(.*)$", stripped)
        if current is not None and via:
            reasons.setdefault(current, []).extend([via.group(1)] if via.group(1) else [])
        elif current is not None and current in reasons and re.match(r"^#\s{2,}\S", stripped):
            reasons[current].append(stripped.lstrip("#").strip())
    return {name for name, why in reasons.items() if why and not any(w.startswith(("-r ", "-e ")) for w in why)}
