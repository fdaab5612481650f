"""The user dkenv runs as on the host: the identity the containers' commands run with,
so files written in the project belong to them."""
from __future__ import annotations

import os
import pwd
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class User:
    name: str
    uid: int
    gid: int

    @property
    def home(self) -> str:
        return "/root" if self.uid == 0 else f"/home/{self.name}"

    @property
    def ids(self) -> str:
        """"UID:GID", as `docker exec -u` and a container's user take it."""
        return f"{self.uid}:{self.gid}"


def current() -> User:
    """The host user, with a name usable inside a Debian image (`dkenv` when theirs is not)."""
    uid, gid = os.getuid(), os.getgid()
    try:
        name = pwd.getpwuid(uid).pw_name
    except KeyError:
        name = os.environ.get("USER", "")
    name = re.sub(r"[^a-z0-9_-]", "", name.lower())[:32]
    if not re.match(r"^[a-z_]", name) or name == "root" and uid != 0:
        name = "dkenv"
    return User(name=name, uid=uid, gid=gid)


def ids() -> str:
    """"UID:GID" of the host user, without the passwd lookup (the fast path)."""
    return f"{os.getuid()}:{os.getgid()}"
