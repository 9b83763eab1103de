"""Puts the database in a known state before each run: the items every run reads, and no orders.

A load test that writes changes the data under the next run (the list grows, lookups slow down); starting
every run from the same data keeps the numbers comparable. slo-gate runs this as service.setup, once the
database is up and before the web server starts.
"""
import os
import sys
import time

import redis

db = redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"), decode_responses=True)

# The database was started a moment ago in the background: give it a few seconds to accept connections.
for attempt in range(50):
    try:
        db.ping()
        break
    except redis.ConnectionError:
        time.sleep(0.1)
else:
    sys.exit(f"seed.py: Redis at {db.connection_pool.connection_kwargs} did not answer within 5 s")

db.flushdb()
pipe = db.pipeline()
for i in range(1, 101):
    pipe.hset(f"item:{i}", mapping={"name": f"item {i}", "price": (i * 7) % 100})
    pipe.rpush("items", i)
pipe.execute()
print(f"seed.py: {db.llen('items')} items, no orders")
