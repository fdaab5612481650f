import os

from flask import Flask
from greeting import greet

app = Flask(__name__)


@app.route("/")
def index():
    return greet(os.environ.get("GREETING", "hi"))


def hello():
    print(greet("from ws-hello"))
