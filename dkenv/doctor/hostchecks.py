"""`dkenv doctor`'s checks of the host side: extra CA certificates, proxy variables,
free disk, and the project's ports (diagnose.py has the Engine side)."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from dkenv.containers import ports as ports_mod
from dkenv.doctor.diagnose import FAIL, OK, SKIP, WARN, Check
from dkenv.image.buildroute import PROXY_VARS  # what builds are given: the variables this check shows

GB = 1024 ** 3
LOW_DISK, VERY_LOW_DISK = 5 * GB, 1 * GB


def ca_certificates(folder: Path, mode: str | None) -> Check:
    """The host's extra CAs, which builds trust with image.extra_ca = "auto"."""
    found = sorted(p.name for p in folder.glob("*.crt")) if folder.is_dir() else []
    if not found:
        return Check("CA certificates", OK, f"no extra CA in {folder} (none needed unless a proxy inspects TLS)")
    names = ", ".join(found[:3]) + (f" and {len(found) - 3} more" if len(found) > 3 else "")
    if mode == "none":
        return Check("CA certificates", WARN, f"{len(found)} in {folder} ({names}), but image.extra_ca = \"none\"",
                     "set image.extra_ca = \"auto\" if builds must trust them (a TLS-inspecting proxy)")
    return Check("CA certificates", OK, f"{len(found)} in {folder} ({names}), trusted in the image")


def _mask(value: str) -> str:
    """A proxy URL without its password."""
    return re.sub(r"//([^:/@]+):[^@/]*@", r"//\1:***@", value)


def proxies(engine_info: dict | None) -> Check:
    """Proxy variables: passed to builds; the Engine's own proxy pulls images."""
    env = {k: _mask(os.environ[k]) for k in PROXY_VARS if os.environ.get(k)}
    engine_proxy = {k: v for k, v in (engine_info or {}).items() if k in ("HttpProxy", "HttpsProxy") and v}
    if not env and not engine_proxy:
        return Check("proxy", OK, "no proxy variables set")
    parts = [", ".join(f"{k}={v}" for k, v in env.items()) or "none in this shell"]
    if engine_info is not None:
        engine_text = ', '.join(f'{k}={_mask(v)}' for k, v in engine_proxy.items()) or 'none'
        parts.append(f"the Engine's: {engine_text}")
    if env and engine_info is not None and not engine_proxy:
        return Check("proxy", WARN, "; ".join(parts) + " (builds get them; service image pulls do not)",
                     "give dockerd the proxy too (systemd drop-in with HTTP(S)_PROXY) if pulls must use it")
    return Check("proxy", OK, "; ".join(parts) + " (passed to builds as build args)")


def disk(paths: dict[str, Path]) -> list[Check]:
    """Free space where the project and the Engine's images live."""
    checks = []
    seen = set()
    for label, path in paths.items():
        try:
            usage = shutil.disk_usage(path)
            device = os.stat(path).st_dev
        except OSError:
            continue
        if device in seen:
            continue
        seen.add(device)
        free = f"{usage.free / GB:.1f} GB free on {path} ({label})"
        if usage.free < VERY_LOW_DISK:
            checks.append(Check("disk", FAIL, free, "free some space: docker system prune, or remove old files"))
        elif usage.free < LOW_DISK:
            checks.append(Check("disk", WARN, free, "builds need a few GB: docker system prune frees unused images"))
        else:
            checks.append(Check("disk", OK, free))
    return checks


def project_ports(wanted: list, running: dict) -> Check:
    """The ports the project publishes: free, or held by its own running containers."""
    if not any(spec.ports for spec in wanted):
        return Check("ports", SKIP, "the project publishes no port")
    held = {p[1] for state in running.values() if state.running for p in state.ports}
    taken, ours, free = [], [], []
    for spec in wanted:
        for port in spec.ports:
            name = f"{port.bind}:{port.host} ({spec.role})"
            if port.host in held:
                ours.append(name)
            elif ports_mod.is_free(port.bind, port.host):
                free.append(name)
            else:
                taken.append(name)
    if taken:
        return Check("ports", FAIL, f"in use by another program: {', '.join(taken)}",
                     "stop that program, or change the port in .dkenv.toml (run.ports, services.NAME.ports)")
    detail = ", ".join([*(f"{n} free" for n in free), *(f"{n} held by the project" for n in ours)])
    return Check("ports", OK, detail)
