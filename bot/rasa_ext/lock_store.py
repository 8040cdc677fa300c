"""A Redis lock store that is safe across several Rasa servers.

Rasa Open Source's ``RedisLockStore`` reads a conversation's ticket lock,
changes it and writes it back in three separate Redis calls. Two servers
that get a message of the same conversation at the same moment can both read
"no lock", both issue ticket 0 and both process at once: the race reported
in RasaHQ/rasa#9213 (the fix, ``ConcurrentRedisLockStore``, is not in Rasa
Open Source 3.6). Here every read-modify-write of a lock runs in a Redis
optimistic transaction (``WATCH``/``MULTI``/``EXEC``, retried on conflict), so
ticket numbers are unique and a conversation is processed by one server at a
time.

Configured in ``endpoints.postgres.yml``::

    lock_store:
      type: bot.rasa_ext.lock_store.AtomicRedisLockStore
      url: <redis host>
      port: 6379
      db: 0
      key_prefix: screener
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

T = TypeVar("T")


class AtomicRedisLockStore(RedisLockStore):
    """``RedisLockStore`` whose lock updates are atomic transactions.

    Args:
        endpoint_config: The ``lock_store`` section of the endpoints file:
            ``url`` is the Redis host; ``port``, ``db``, ``password``,
            ``key_prefix`` and the other ``RedisLockStore`` arguments are
            passed on.
    """

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url or "localhost", **endpoint_config.kwargs)

    def _transact(self, conversation_id: str, change: Callable[[TicketLock | None], tuple[TicketLock | None, T]]) -> T:
        """Apply ``change`` to the stored lock atomically.

        ``change`` gets the current lock (None when there is none) and returns
        the lock to store (None deletes it) and a result, which is returned.
        """
        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    current = TicketLock.from_dict(json.loads(raw)) if raw else None
                    new, result = change(current)
                    pipe.multi()
                    if new is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, new.dumps())
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue  # another server changed the lock: read it again

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """Issue the next ticket of the conversation's lock, atomically."""

        def change(lock: TicketLock | None) -> tuple[TicketLock, int]:
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._transact(conversation_id, change)
        except redis.RedisError as exc:
            raise LockError(f"Error while acquiring lock. Error:\n{exc}") from exc

    def update_lock(self, conversation_id: str) -> None:
        """Drop expired tickets, atomically."""

        def change(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._transact(conversation_id, change)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        """Remove a served ticket, atomically."""

        def change(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._transact(conversation_id, change)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Remove a served ticket and delete the lock if nobody waits, in one transaction."""

        def change(lock: TicketLock | None) -> tuple[TicketLock | None, Any]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._transact(conversation_id, change)
