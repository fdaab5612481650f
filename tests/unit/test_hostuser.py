"""dkenv/hostuser.py: the host user, as the image and `docker exec -u` see it."""
from __future__ import annotations

import pytest

from dkenv import hostuser

# --- current() ---

class _Pw:
    def __init__(self, name):
        self.pw_name = name


@pytest.mark.parametrize("name, uid, expected", [
    ("alice", 1000, "alice"),
    ("Alice.Smith", 1000, "alicesmith"),
    ("john doe", 1000, "johndoe"),
    ("1user", 1000, "dkenv"),
    ("", 1000, "dkenv"),
    ("root", 1000, "dkenv"),
    ("root", 0, "root"),
    ("a" * 40, 1000, "a" * 32),
    ("_svc", 1000, "_svc"),
])
def test_host_user_sanitises(monkeypatch, name, uid, expected):
    monkeypatch.setattr(hostuser.os, "getuid", lambda: uid)
    monkeypatch.setattr(hostuser.os, "getgid", lambda: uid + 1)
    monkeypatch.setattr(hostuser.pwd, "getpwuid", lambda _uid: _Pw(name))
    user = hostuser.current()
    assert user == hostuser.User(name=expected, uid=uid, gid=uid + 1)


def test_host_user_without_passwd_entry_uses_user_env(monkeypatch):
    def missing(_uid):
        raise KeyError(_uid)

    monkeypatch.setattr(hostuser.os, "getuid", lambda: 4242)
    monkeypatch.setattr(hostuser.os, "getgid", lambda: 4242)
    monkeypatch.setattr(hostuser.pwd, "getpwuid", missing)
    monkeypatch.setenv("USER", "Build-Bot")
    assert hostuser.current().name == "build-bot"
    monkeypatch.delenv("USER")
    assert hostuser.current().name == "dkenv"




def test_ids_is_uid_colon_gid(monkeypatch):
    monkeypatch.setattr(hostuser.os, "getuid", lambda: 1500)
    monkeypatch.setattr(hostuser.os, "getgid", lambda: 1501)
    assert hostuser.ids() == "1500:1501"
    assert hostuser.User("x", 1500, 1501).ids == "1500:1501"
