"""A Flask service backed by Redis, for slo-gate's database example.

Its health check reports the dependency the way slo-gate reads it:
{"status": "ok", "version": "...", "dependencies": {"redis": "up"}}, and "down" (HTTP 503) while Redis
does not answer, so slo-gate waits for the database as well as the web server.

    REDIS_URL=redis://127.0.0.1:6391/0 /usr/bin/gunicorn -w 2 -b 127.0.0.1:8934 app:app
"""
import os
import uuid

import redis
from flask import Flask, jsonify, request

VERSION = os.environ.get("APP_VERSION", "v0.1.0")
# Short timeouts: a database that stops answering shows as errors, not as requests that hang forever.
db = redis.Redis.from_url(
    os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
    socket_timeout=1,
    socket_connect_timeout=1,
    decode_responses=True,
)

app = Flask(__name__)


@app.get("/health")
def health():
    try:
        db.ping()
    except redis.RedisError:
        return jsonify(status="down", version=VERSION, dependencies={"redis": "down"}), 503
    return jsonify(status="ok", version=VERSION, dependencies={"redis": "up"})


@app.get("/items/<int:item_id>")
def get_item(item_id: int):
    """One hash read: the fast path most requests take."""
    item = db.hgetall(f"item:{item_id}")
    if not item:
        return jsonify(error="not found"), 404
    return jsonify(id=item_id, name=item["name"], price=int(item["price"]))


@app.get("/items")
def list_items():
    """A page of items: a pipeline of 20 hash reads."""
    ids = db.lrange("items", 0, 19)
    pipe = db.pipeline()
    for item_id in ids:
        pipe.hgetall(f"item:{item_id}")
    return jsonify([{"id": int(i), **row} for i, row in zip(ids, pipe.execute())])


@app.post("/orders")
def create_order():
    """A write: each order is a new key, so the data grows while the gate loads it (see seed.py)."""
    body = request.get_json(silent=True) or {}
    if not db.exists(f"item:{body.get('item')}"):
        return jsonify(error="unknown item"), 422
    order_id = str(uuid.uuid4())
    db.hset(f"order:{order_id}", mapping={"item": body["item"], "qty": int(body.get("qty", 1))})
    db.incr("orders")
    return jsonify(id=order_id), 201
