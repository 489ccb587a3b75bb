"""Print taskstream's control-plane events as they happen, through a consumer group.

    TS_TOPIC_PREFIX=ts. .venv/bin/python examples/consume_events.py --group audit-printer

Run it twice with the same --group: the second run continues where the first stopped (offsets
are committed). --from-start reads a new group's history from the beginning; --topic metrics
(or worker-status) reads telemetry instead. Ctrl-C stops it. See docs/consumers.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib

from config.settings import load
from streams.kafka.consumer import EventStream


async def main(group: str, topics: tuple[str, ...], from_start: bool, limit: int | None) -> None:
    settings = load()
    seen: set[str] = set()  # delivery is at least once: drop what a crash re-delivers
    count = 0
    async with EventStream(settings, group, topics, from_beginning=from_start) as stream:
        async for item in stream:
            if item.error:
                print(f"{item.topic}[{item.partition}]@{item.offset} undecodable: {item.error}")
                continue
            if item.envelope and item.envelope.event_id in seen:
                continue
            if item.envelope:
                seen.add(item.envelope.event_id)
            who = f"{item.envelope.company}/{item.envelope.user}" if item.envelope else "-"
            print(
                f"{item.topic}[{item.partition}]@{item.offset} {item.type} by {who}: {item.message}"
            )
            count += 1
            if limit is not None and count >= limit:
                return


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--group", default="example-printer")
    parser.add_argument("--topic", action="append", help="events (default), metrics, ...")
    parser.add_argument("--from-start", action="store_true")
    parser.add_argument("--limit", type=int, help="stop after this many events")
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main(args.group, tuple(args.topic or ["events"]), args.from_start, args.limit))
