"""ListRuns latency over many KFP runs: filter + sort, page of 50 (target p50 <= 50 ms at 100k).

Starts its own worker and API on a scratch topic prefix and keyspace, seeds runs by producing
CreateRun commands in bulk straight to ts.commands (no reply awaited), then statuses and
archives the same way, waits for the decider to have applied them, and times ListRuns:

  ui-default    EXPERIMENT scope, storage_state NOT_EQUALS ARCHIVED, created_at desc (the UI)
  page-5        the same, fifth page through next_page_token
  status-name   company-wide, status EQUALS Succeeded, name asc
  substring     company-wide, name IS_SUBSTRING: total_size scans the company (slow path)

    .venv/bin/python -m bench.kfp_list_runs [--runs 100000] [--repeat 200]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
import uuid
from typing import Any
from urllib.parse import quote

import aiohttp

from bench.command_latency import summary
from bench.harness import scratch_stack
from commands.base import Command, Envelope
from commands.runs.messages import ArchiveRun, CreateRun, PipelineSpec, ReportRunStatus, ResourceRef
from config.settings import Settings
from streams.cassandra.store import Store
from streams.kafka.producer import AsyncProducer, OutRecord, producer_config
from streams.schemas.codec import Codec, Registry
from streams.schemas.records import to_record

EXPERIMENTS, STATUSES = 10, ("Running", "Succeeded", "Failed")
MANIFEST = json.dumps({"kind": "Workflow", "spec": {"entrypoint": "main", "templates": []}})


async def produce(settings: Settings, commands: list[Command]) -> None:
    codec = Codec(Registry.load(settings.schema_dir))
    producer = AsyncProducer(producer_config(settings))
    company = settings.default_company
    try:
        for start in range(0, len(commands), 20000):
            records = [
                _record(settings, codec, company, c) for c in commands[start : start + 20000]
            ]
            await producer.send_batch(records)
    finally:
        await producer.close()


def _record(settings: Settings, codec: Codec, company: str, command: Command) -> OutRecord:
    command_id = uuid.uuid4().hex
    envelope = Envelope(
        command_id,
        type(command).__name__,
        company,
        "bench",
        "run",
        str(getattr(command, "run", "")),
        int(time.time() * 1000),
        None,
        command_id,
    )
    value = codec.encode(command.avro_name(), to_record(envelope, command, reply_to=None))
    return OutRecord(settings.topic("commands"), value, company.encode())


def create(n: int) -> CreateRun:
    ref = ResourceRef("EXPERIMENT", f"exp-{n % EXPERIMENTS}", "", "OWNER")
    return CreateRun(f"run-{n:06d}", PipelineSpec(workflow_manifest=MANIFEST), "bench run", (ref,))


async def run_ids(settings: Settings, expect: int) -> list[str]:
    store = await Store.connect(settings)
    cql = "SELECT id FROM kfp_run_attrs WHERE company = ?"
    try:
        while True:  # the decider applies the bulk in its own time: poll
            rows = await store.execute(cql, [settings.default_company])
            if len(rows) >= expect:
                return sorted(r["id"] for r in rows)
            await asyncio.sleep(1)
    finally:
        await store.close()


async def seed(settings: Settings, url: str, runs: int) -> None:
    started = time.perf_counter()
    await produce(settings, [create(n) for n in range(runs)])
    ids = await run_ids(settings, runs)
    print(f"seeded {runs} runs in {time.perf_counter() - started:.1f}s")
    changes: list[Command] = [ReportRunStatus(r, STATUSES[i % 3]) for i, r in enumerate(ids)]
    changes += [ArchiveRun(r) for i, r in enumerate(ids) if i % 10 == 0]
    await produce(settings, changes)
    flt = _filter({"key": "status", "op": "IN", "string_values": {"values": list(STATUSES)}})
    async with aiohttp.ClientSession() as session:
        while True:
            if (await _list(session, url, {"filter": flt}))[1].get("total_size", 0) >= runs:
                break
            await asyncio.sleep(1)
    print(f"statuses and archives applied after {time.perf_counter() - started:.1f}s")


def _filter(*predicates: dict[str, Any]) -> str:
    return quote(json.dumps({"predicates": list(predicates)}))


async def _list(
    session: aiohttp.ClientSession, url: str, params: dict[str, Any]
) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    async with session.get(f"{url}/apis/v1beta1/runs", params=params) as response:
        body = await response.json()
        assert response.status == 200, body
    return time.perf_counter() - started, body


async def measure(url: str, repeat: int) -> dict[str, dict[str, float]]:
    live = _filter(
        {"key": "storage_state", "op": "NOT_EQUALS", "string_value": "STORAGESTATE_ARCHIVED"}
    )
    ui = {
        "resource_reference_key.type": "EXPERIMENT",
        "resource_reference_key.id": "exp-3",
        "filter": live,
        "sort_by": "created_at desc",
        "page_size": 50,
    }
    cases = {
        "ui-default": ui,
        "status-name": {
            "filter": _filter({"key": "status", "op": "EQUALS", "string_value": "Succeeded"}),
            "sort_by": "name",
            "page_size": 50,
        },
        "substring": {
            "filter": _filter({"key": "name", "op": "IS_SUBSTRING", "string_value": "7"}),
            "sort_by": "created_at desc",
            "page_size": 50,
        },
    }
    results = {}
    async with aiohttp.ClientSession() as session:
        token = ""
        for _ in range(4):
            token = (await _list(session, url, {**ui, "page_token": token}))[1]["next_page_token"]
        cases["page-5"] = {**ui, "page_token": token}
        for name, params in cases.items():
            times = []
            rounds = max(5, repeat // 20) if name == "substring" else repeat
            started = time.perf_counter()
            for _ in range(rounds):
                elapsed, body = await _list(session, url, params)
                assert len(body["runs"]) == 50, name
                times.append(elapsed)
            results[name] = summary(f"ListRuns {name}", times, time.perf_counter() - started)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    with scratch_stack() as (settings, url, _stack):
        asyncio.run(seed(settings, url, args.runs))
        results = asyncio.run(measure(url, args.repeat))
    print(json.dumps({"runs": args.runs, **results}))
    p50 = results["ui-default"]["p50"]
    print(f"target ui-default p50 <= 50 ms: {'met' if p50 <= 50 else 'NOT met'} ({p50:.1f} ms)")


if __name__ == "__main__":
    main()
