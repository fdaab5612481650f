"""Run inside the image by the conda installer's step (installers/conda.py), with the tools
venv's Python, where py-rattler (from PyPI) is installed; never imported by dkenv itself
(the one importer of rattler). Copied into the build context as dkenv-conda-env.py.

`python dkenv-conda-env.py SPEC.json`: make the conda environment at the spec's prefix,
from conda-lock.yml when the spec names one (exactly its records for this platform; its
URLs into a local channel of the project rewritten to the channel's copy in the build
folder), else solved from the channels and match specs of environment.yml. Then write
the requirements file pip installs into the environment (the `pip:` list, or the lock's
pip packages pinned with their hashes) for the step's next line.

Failures are one line, "dkenv conda: ...", that the installer recognises (`recognise`);
exit 1. The process ends with os._exit: py-rattler's runtime can crash at interpreter
shutdown, after everything is done.
"""
import asyncio
import json
import os
import shutil
import sys

CACHE = "/tmp/dkenv-conda-cache"


def fail(message):
    print(f"dkenv conda: {message}", flush=True)
    sys.stderr.flush()
    os._exit(1)


def local(url, channel_map):
    for original, copy in channel_map.items():
        if url.startswith(original.rstrip("/") + "/"):
            return copy.rstrip("/") + url[len(original.rstrip("/")):]
    return url


def from_lock(rattler, spec):
    try:
        lock = rattler.LockFile.from_path(spec["lock"])
    except Exception as e:  # rattler's ParseCondaLockError and the like
        fail(f"{spec['lock']} is not readable as a conda lock: {e}")
    env = lock.default_environment()
    current = str(rattler.Platform.current())
    platform = next((p for p in (env.platforms() if env else []) if p.name == current), None)
    if platform is None:
        fail(f"{spec['lock']} has no packages for {current}: lock it for that platform too "
             f"(conda-lock -p {current})")
    records = env.conda_repodata_records_for_platform(platform) or []
    for record in records:
        record.url = local(record.url, spec["channel_map"])
    pins = []
    for package in env.pypi_packages_for_platform(platform) or []:
        digest = package.hashes.sha256 if package.hashes else None
        pins.append(f"{package.name}=={package.version}" + (f" --hash=sha256:{digest.hex()}" if digest else ""))
    return records, pins


async def solve(rattler, spec):
    try:
        return await rattler.solve(spec["channels"], spec["specs"],
                                   platforms=[str(rattler.Platform.current()), "noarch"],
                                   virtual_packages=rattler.VirtualPackage.detect())
    except Exception as e:  # SolverError, FetchRepoDataError...
        fail(f"cannot solve the environment from {', '.join(spec['channels']) or 'no channel'}: "
             + " ".join(str(e).split()))


async def make(spec):
    import rattler

    if spec.get("lock"):
        records, pip = from_lock(rattler, spec)
    else:
        records, pip = await solve(rattler, spec), spec["pip"]
    print(f"dkenv conda: installing {len(records)} packages into {spec['prefix']}:", flush=True)
    for record in sorted(records, key=lambda r: r.name.normalized):
        print(f"  {record.name.normalized} {record.version} {record.build}", flush=True)
    try:
        await rattler.install(records, target_prefix=spec["prefix"], cache_dir=CACHE, show_progress=False)
    except Exception as e:
        fail("cannot install the environment: " + " ".join(str(e).split()))
    shutil.rmtree(CACHE, ignore_errors=True)
    with open(spec["pip_file"], "w", encoding="utf-8") as out:
        out.write("".join(f"{line}\n" for line in pip))


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        spec = json.load(f)
    asyncio.run(make(spec))
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
