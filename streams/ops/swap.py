"""Blue/green: rebuild a keyspace while the API keeps serving, then switch reads to it.

1. The new keyspace joins the pointer's write set. After LEASE_S every writer has re-read the
   pointer, and since writers read it after the records they apply are durable in the log,
   whatever is appended from then on reaches the new keyspace.
2. The rebuild reads the log up to its end as it is now: that covers everything appended
   before step 1 took effect. Rows written twice converge (offset write timestamps).
3. Reads switch: every API instance re-reads the pointer within FOLLOW_S. Both keyspaces keep
   receiving writes for GRACE_S, so an instance still reading the old one misses nothing.
4. The old keyspace leaves the write set. It is left in place: drop it when no longer needed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from streams.cassandra import pointer
from streams.cassandra.pointer import FOLLOW_S, LEASE_S, Pointer
from streams.cassandra.store import Store

GRACE_S = 5 * FOLLOW_S
Say = Callable[[str], None]


class SwapError(Exception):
    pass


async def blue_green(
    store: Store, control: str, target: str, rebuild: Callable[[], Awaitable[None]], say: Say
) -> Pointer:
    now = await pointer.load(store, control)
    if now.read == target:
        raise SwapError(f"the API already reads {target}")
    if target not in now.writes:
        joined = Pointer(now.read, tuple(sorted({*now.writes, target})))
        now = await change(store, control, now, joined, f"rebuilding {target}")
        say(f"swap: writers now also write {target}; waiting {2 * LEASE_S:.0f} s for their leases")
        await asyncio.sleep(2 * LEASE_S)
    await rebuild()
    old = now.read
    now = await change(store, control, now, Pointer(target, now.writes), f"reading {target}")
    say(f"swap: the API reads {target}; {old} keeps receiving writes for {GRACE_S:.0f} s")
    await asyncio.sleep(GRACE_S)
    writes = tuple(k for k in now.writes if k != old)
    now = await change(store, control, now, Pointer(target, writes), f"left {old}")
    say(f"swap: done; {old} is no longer written (DROP KEYSPACE {old} once it is not needed)")
    return now


async def change(store: Store, control: str, old: Pointer, new: Pointer, note: str) -> Pointer:
    if not await pointer.save(store, control, old, new, note):
        raise SwapError("the keyspace pointer changed meanwhile (another swap?); nothing switched")
    return Pointer(new.read, new.writes, old.generation + 1)


async def abandon(store: Store, control: str, keyspace: str) -> Pointer:
    """Stop writing a keyspace whose rebuild was given up (it must not be the one read)."""
    now = await pointer.load(store, control)
    if keyspace == now.read:
        raise SwapError(f"{keyspace} is the keyspace the API reads; swap to another one first")
    writes = tuple(k for k in now.writes if k != keyspace)
    return await change(store, control, now, Pointer(now.read, writes), f"abandoned {keyspace}")
