"""A test fixture: a Litestar app made by a factory."""
from litestar import Litestar, get


@get("/")
async def index() -> str:
    return "board"


def create_app() -> Litestar:
    return Litestar(route_handlers=[index])
