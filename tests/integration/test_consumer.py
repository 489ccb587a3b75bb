"""The Python consumer API: decoded events over a consumer group, committed as processed, and
resolved into a consumer's own (older) reader schemas."""

from __future__ import annotations

import asyncio
import json
import secrets
import shutil
from pathlib import Path

import pytest

from streams.kafka.consumer import EventStream, Item
from tests.stack import Stack, ok

pytestmark = pytest.mark.integration
AVRO = Path(__file__).resolve().parents[2] / "avro"
OLD_CREATED = "taskstream.event.QueueCreated@6687f78d59a205c6.avsc"


async def until_named(stream: EventStream, name: str) -> Item:
    async for item in stream:
        if item.record.get("name") == name:
            return item
    raise AssertionError("the stream ended")


def test_a_group_resumes_after_what_it_processed(stack: Stack):
    first, second = (f"consume-{secrets.token_hex(4)}" for _ in range(2))
    for name in (first, second):
        ok(stack.apis[0].url, "queues.create", {"name": name})
    group = f"test-{secrets.token_hex(4)}"

    async def run() -> tuple[Item, Item]:
        async with EventStream(stack.settings, group) as stream:
            seen = await asyncio.wait_for(until_named(stream, second), 60)
        async with EventStream(stack.settings, group) as again:
            resumed = await asyncio.wait_for(anext(aiter(again)), 60)
        return seen, resumed

    seen, resumed = asyncio.run(run())
    assert seen.type == "QueueCreated"
    assert seen.envelope is not None
    assert seen.envelope.company == stack.settings.default_company
    assert seen.message is not None
    assert seen.message.name == second
    # the last event handed out was not yet processed: it is delivered again, nothing before it
    assert (resumed.partition, resumed.offset) == (seen.partition, seen.offset)


def test_records_resolve_into_a_consumers_older_reader_schema(stack: Stack, tmp_path: Path):
    readers = Path(shutil.copytree(AVRO, tmp_path / "avro"))
    old = json.loads((AVRO / "history" / OLD_CREATED).read_text())
    (readers / "taskstream.event.QueueCreated.avsc").write_text(json.dumps(old))
    name = f"old-reader-{secrets.token_hex(4)}"
    ok(stack.apis[0].url, "queues.create", {"name": name, "display_name": "Shown"})

    async def run() -> Item:
        stream = EventStream(stack.settings, f"test-{secrets.token_hex(4)}", readers=readers)
        async with stream:
            return await asyncio.wait_for(until_named(stream, name), 60)

    item = asyncio.run(run())
    assert item.record["name"] == name
    assert "display_name" not in item.record  # the old reader does not know it
    assert "command" not in item.record
    assert item.envelope is not None
    assert item.envelope.type == "QueueCreated"
