"""A small ASGI service for slo-gate's uvicorn example: a plain ASGI callable, no framework.

Uvicorn keeps connections alive, and its one event loop serves every connection: a handler that awaits
(here asyncio.sleep, as if it queried a database) lets the others run meanwhile.

    python3 -m uvicorn app:app --host 127.0.0.1 --port 8000
"""
import asyncio
import json
import os
import re

VERSION = os.environ.get("APP_VERSION", "v0.2.0")
ITEMS = [{"id": i, "name": f"item {i}", "price": (i * 7) % 100} for i in range(1, 51)]
ITEM_PATH = re.compile(r"^/items/(\d+)$")


async def send_json(send, status, body):
    """Sends one JSON response."""
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json")],
    })
    await send({"type": "http.response.body", "body": json.dumps(body).encode()})


async def lifespan(receive, send):
    """Nothing to open or close; answering lifespan keeps uvicorn's log free of "unsupported"."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def app(scope, receive, send):
    """The ASGI application: /health, /items (~5 ms) and /items/<id> (~1 ms)."""
    if scope["type"] == "lifespan":
        await lifespan(receive, send)
        return
    path = scope["path"]
    if path == "/health":
        # The standard health check slo-gate waits for.
        body = {"status": "ok", "version": VERSION, "dependencies": {"db": "up"}}
        await send_json(send, 200, body)
        return
    match = ITEM_PATH.match(path)
    if path != "/items" and match is None:
        await send_json(send, 404, {"error": "not found"})
        return
    if scope["method"] not in ("GET", "HEAD"):
        await send_json(send, 405, {"error": "method not allowed"})
        return
    if match is None:
        await asyncio.sleep(0.005)
        await send_json(send, 200, ITEMS[:20])
        return
    await asyncio.sleep(0.001)
    item = next((i for i in ITEMS if i["id"] == int(match.group(1))), None)
    if item is None:
        await send_json(send, 404, {"error": "not found"})
        return
    await send_json(send, 200, item)
