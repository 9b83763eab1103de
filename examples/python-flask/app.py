"""A small Flask service for slo-gate's gunicorn example.

Run under gunicorn's default sync workers, it answers every request with `Connection: close`: the case that
autocannon 9 mis-times and slo-gate's client handles (see src/load/gate-client.ts).

    /usr/bin/gunicorn -w 2 -b 127.0.0.1:8000 app:app
"""
import os
import time

from flask import Flask, jsonify

VERSION = os.environ.get("APP_VERSION", "v0.3.1")
ITEMS = [{"id": i, "name": f"item {i}", "price": (i * 7) % 100} for i in range(1, 51)]

app = Flask(__name__)


@app.get("/health")
def health():
    """The standard health check slo-gate waits for."""
    return jsonify(status="ok", version=VERSION, dependencies={"db": "up"})


@app.get("/items")
def list_items():
    """A ~5 ms handler, as if it queried a database."""
    time.sleep(0.005)
    return jsonify(ITEMS[:20])


@app.get("/items/<int:item_id>")
def get_item(item_id: int):
    """A fast lookup; 404 for an unknown id."""
    item = next((i for i in ITEMS if i["id"] == item_id), None)
    if item is None:
        return jsonify(error="not found"), 404
    return jsonify(item)
