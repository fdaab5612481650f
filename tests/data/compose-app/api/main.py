"""A test fixture: a FastAPI app made by a function called at import."""
from fastapi import FastAPI


def build() -> FastAPI:
    api = FastAPI(title="fixture")

    @api.get("/")
    def index():
        return {"ok": True}

    return api


app = build()
