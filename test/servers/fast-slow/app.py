"""A fast route and a slow one under gunicorn's sync workers: the mixed-load demonstration (issue #10).

Alone, /fast answers at once. Mixed with /slow (50 ms), it waits whenever both workers are held by /slow:
what a gate that loads one endpoint at a time never sees.

    /usr/bin/gunicorn -w 2 -b 127.0.0.1:8000 app:app
"""
import time

from flask import Flask

app = Flask(__name__)


@app.get("/health")
def health():
    return "ok"


@app.get("/fast")
def fast():
    return "fast"


@app.get("/slow")
def slow():
    time.sleep(0.05)
    return "slow"
