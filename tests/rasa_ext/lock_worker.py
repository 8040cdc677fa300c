"""Run in Rasa's environment: hold the conversation lock N times, logging intervals to Redis.

Usage: python lock_worker.py STORE_CLASS REDIS_DB LOG_KEY WORKER_ID ROUNDS

LOG_KEY is also the conversation id, so every run has a lock of its own.
"""

import asyncio
import sys
import time

import redis
from rasa.utils.endpoints import EndpointConfig

store_path, db, log_key, worker, rounds = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
module, _, name = store_path.rpartition(".")
cls = getattr(__import__(module, fromlist=[name]), name)
config = EndpointConfig(url="127.0.0.1", port=6379, db=db, key_prefix="locktest")
store = cls(endpoint_config=config) if "rasa_ext" in module else cls(host="127.0.0.1", db=db, key_prefix="locktest")
log = redis.StrictRedis(host="127.0.0.1", db=db)


async def main() -> None:
    async def once(i: int) -> None:
        async with store.lock(log_key, wait_time_in_seconds=0.005):
            start = time.time()
            await asyncio.sleep(0.01)
            log.rpush(log_key, f"{worker}:{i}:{start}:{time.time()}")

    await asyncio.gather(*(once(i) for i in range(rounds)))


asyncio.run(main())
