"""dkenv/detect/composefiles.py: which compose services build or mount the app's folder, and
the Dockerfile a service is built from."""
from __future__ import annotations

import pytest

from dkenv.detect import composefiles, layout
from tests.unit.conftest import tree

# a monorepo whose backend is built from the root, so that its Dockerfile can copy the root's
# lock (the full-stack FastAPI template's layout, written anew)
MONOREPO = {
    "compose.override.yml": "services:\n  api:\n    build:\n      context: .\n      dockerfile: backend/Dockerfile\n"
                            "    command: uvicorn app.main:app --reload --port 8000\n"
                            "    environment:\n      CACHE_URL: redis://cache:6379/0\n"
                            "  web:\n    build:\n      context: .\n      dockerfile: frontend/Dockerfile\n"
                            "    command: npm run dev\n"
                            "  cache:\n    image: redis:7\n",
    "compose.yml": "services:\n  migrate:\n    build:\n      context: .\n      dockerfile: ./backend/../backend/Dockerfile\n"
                   "    command: alembic upgrade head\n    env_file: [.env.backend]\n",
    ".env.backend": "SECRET=x\n",
    "backend/Dockerfile": "FROM python:3.12\nCOPY uv.lock backend/ /app/\n",
    "backend/pyproject.toml": "[project]\nname = 'api'\nversion = '1'\ndependencies = ['fastapi', 'redis']\n",
    "backend/app/__init__.py": "",
    "backend/app/main.py": "from fastapi import FastAPI\napp = FastAPI()\n",
    "frontend/Dockerfile": "FROM node:20\n",
    "frontend/package.json": "{}\n",
}


def names(found) -> list[str]:
    return [name for _path, name, _service in found]


def test_a_root_context_build_with_the_dockerfile_in_the_apps_folder_is_the_apps(tmp_path):
    root = tree(tmp_path, MONOREPO)
    assert names(composefiles.project_app_services(root, "backend")) == ["api", "migrate"]
    assert names(composefiles.project_app_services(root, "frontend")) == ["web"]
    assert names(composefiles.project_app_services(root, "")) == ["api", "web", "migrate"]  # context . is the root's


@pytest.mark.parametrize("build, app, expected", [
    ("./backend/", "backend", True),  # the context is the folder
    ({"context": "backend/.", "dockerfile": "docker/dev.Dockerfile"}, "backend", True),
    ({"dockerfile": "backend/docker/Dockerfile"}, "backend", True),  # context . holds it, Dockerfile below it
    ({"context": ".", "dockerfile": "Dockerfile"}, "backend", False),  # the root's Dockerfile: the root's build
    ({"context": "./frontend", "dockerfile": "../backend/Dockerfile"}, "backend", False),  # another folder's files
    ({"context": "backend/sub", "dockerfile": "Dockerfile"}, "backend", False),  # a part of it
    ({"context": ".", "dockerfile": "${DOCKERFILE}"}, "backend", False),
    ({"context": "${CTX}", "dockerfile": "backend/Dockerfile"}, "backend", False),
    ({"context": "https://github.com/x/y.git", "dockerfile": "backend/Dockerfile"}, "backend", False),
    ({"context": ".", "dockerfile": 7}, "backend", False),
    ("./frontend", ".", False),
])
def test_builds_here(tmp_path, build, app, expected):
    tree(tmp_path, {"backend/Dockerfile": "FROM python:3.12\n", "frontend/Dockerfile": "FROM node:20\n"})
    assert composefiles.builds_here({"build": build}, app, tmp_path) is expected


def test_paths_are_normalised_then_resolved_and_none_escapes_the_root(tmp_path):
    root = tree(tmp_path / "p", {"backend/Dockerfile": "FROM python:3.12\n"})
    tree(tmp_path, {"elsewhere/backend/Dockerfile": "FROM python:3.12\n"})
    (root / "api").symlink_to(root / "backend")
    build = lambda context, dockerfile: {"build": {"context": context, "dockerfile": dockerfile}}  # noqa: E731
    assert composefiles.builds_here(build(".", "api/Dockerfile"), "backend", root)  # a link to the folder
    assert composefiles.builds_here(build("./x/..", "./backend/./Dockerfile"), "backend", root)
    # outside the root, even when it names the app's folder again
    assert not composefiles.builds_here(build("..", "elsewhere/backend/Dockerfile"), "backend", root)
    assert not composefiles.builds_here(build("..", "p/backend/Dockerfile"), "backend", root / "backend", root)
    # the app folder's own compose file, its build at the root: the Dockerfile in it, inside the project
    assert composefiles.builds_here(build("..", "backend/Dockerfile"), ".", root / "backend", root)
    (root / "backend" / "Dockerfile").unlink()
    (root / "backend" / "Dockerfile").symlink_to(tmp_path / "elsewhere" / "backend" / "Dockerfile")
    assert not composefiles.builds_here(build(".", "backend/Dockerfile"), "backend", root)  # a link out of it


def test_mounts_bind_the_folder_a_named_volume_does_not(tmp_path):
    mounted = lambda *volumes: composefiles.builds_here({"volumes": list(volumes)}, "backend", tmp_path)  # noqa: E731
    assert mounted("./backend:/app")
    assert mounted("./backend/:/app:ro")
    assert not mounted("backend:/app")  # a named volume called backend
    assert not mounted("./frontend:/app", {"type": "bind", "source": "./backend", "target": "/app"}, 3)


def test_build_dockerfile_normalised_and_inside_the_compose_files_folder(tmp_path):
    root = tree(tmp_path, {"compose.yml": "", "backend/Dockerfile": "FROM python:3.12\n", "x/Dockerfile": ""})
    compose = root / "compose.yml"
    found = composefiles.build_dockerfile(compose, {"build": {"context": ".", "dockerfile": "backend/../backend/Dockerfile"}})
    assert found == ((root / "backend" / "Dockerfile").resolve(), root / ".")
    assert composefiles.build_dockerfile(compose, {"build": {"context": "backend", "dockerfile": "../../Dockerfile"}}) is None
    assert composefiles.build_dockerfile(compose, {"build": "https://example.com/repo.git"}) is None
    assert composefiles.build_target({"build": {"context": ".", "target": "dev"}}) == "dev"
    assert composefiles.build_target({"build": {"target": "${T}"}}) == composefiles.build_target({"build": "."}) == ""


def test_init_reads_the_root_context_service_for_the_backend(tmp_path):
    """How the app runs, its env_file and environment come from the compose services built
    with the root as context and backend/Dockerfile."""
    root = tree(tmp_path, MONOREPO)
    found = layout.locate(root)
    assert found.workdir == "backend"
    assert found.env_file == ".env.backend"  # migrate's, the first app service with one
    env, where, dropped = layout.compose_environment(root, "backend", {"redis": "redis"})
    assert (env, where, dropped) == ({"CACHE_URL": "redis://redis:6379/0"}, "compose.override.yml (services.api.environment)", [])
    assert found.command_from == "compose.override.yml (services.api.command): `uvicorn app.main:app --reload --port 8000`"
    assert found.command == "uvicorn app.main:app --host 0.0.0.0 --port 8000 --reload"
