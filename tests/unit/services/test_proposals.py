"""dkenv/services/proposals.py: LocalImages, the engine's images for one `dkenv init`
(the proposals themselves: tests/unit/commands/test_init.py)."""
from __future__ import annotations

from dkenv.engine import engine as engine_module
from dkenv.errors import FatalError
from dkenv.services import proposals


class Engine:
    def __init__(self, answers: bool = True):
        self.answers, self.asked = answers, []

    def image_references(self, repository: str) -> list[str]:
        self.asked.append(repository)
        if not self.answers:
            raise TimeoutError("read timed out")
        return [f"{repository}:1"]


def test_the_engine_is_connected_at_the_first_question_and_kept(monkeypatch):
    engine, connects = Engine(), []
    monkeypatch.setattr(engine_module, "connect", lambda timeout: connects.append(timeout) or engine)
    images = proposals.LocalImages()
    assert connects == []  # nothing asked yet
    assert [images("redis"), images("postgres"), images("python")] == [["redis:1"], ["postgres:1"], ["python:1"]]
    assert connects == [10] and engine.asked == ["redis", "postgres", "python"]


def test_no_engine_is_no_images_and_no_second_try(monkeypatch):
    connects = []

    def refused(timeout):
        connects.append(timeout)
        raise FatalError("dkenv: cannot reach the Docker Engine")

    monkeypatch.setattr(engine_module, "connect", refused)
    images = proposals.LocalImages()
    assert [images("redis"), images("postgres")] == [[], []]
    assert connects == [10]


def test_an_engine_that_stops_answering_is_not_asked_again(monkeypatch):
    engine = Engine(answers=False)
    monkeypatch.setattr(engine_module, "connect", lambda timeout: engine)
    images = proposals.LocalImages()
    assert [images("redis"), images("postgres")] == [[], []]
    assert engine.asked == ["redis"]
