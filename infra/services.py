"""Start, stop and report the local Kafka and Cassandra: idempotent, and sharing a healthy one."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from config.settings import Settings
from infra import cassandra_node, jars, kafka_node, layout, ports, procs
from infra.errors import InfraError

NAMES = ("kafka", "cassandra")
Say = Callable[[str], None]


def _node(name: str) -> ModuleType:
    return {"kafka": kafka_node, "cassandra": cassandra_node}[name]


def select(which: str) -> tuple[str, ...]:
    """'all' or one service name -> the service names, in start order."""
    if which == "all":
        return NAMES
    if which not in NAMES:
        raise InfraError(f"unknown service {which!r}: choose from all, {', '.join(NAMES)}")
    return (which,)


def own_pid(settings: Settings, name: str) -> int | None:
    """Pid of the service this checkout started, if it still runs."""
    return procs.read_pid(layout.pid_file(settings, name), str(layout.home(settings, name)))


@dataclass
class _Launch:
    name: str
    pid: int | None  # None: not ours, we only wait for it
    started: float
    offsets: tuple[int, int] = (0, 0)  # log sizes at launch: show only this run's lines


def start(settings: Settings, which: str = "all", say: Say = print) -> None:
    """Make the services answer real requests; launches run in parallel, waits one by one."""
    launches = [launch for name in select(which) if (launch := _launch(settings, name, say))]
    for launch in launches:
        _await(settings, launch, say)


def start_nodes(nodes: list[Settings], name: str, say: Say = print) -> None:
    """Start one service on several nodes (infra/cluster.py) together, then wait for each."""
    launches = [(node, _launch(node, name, _tagged(node, say))) for node in nodes]
    for node, launch in launches:
        if launch is not None:
            _await(node, launch, _tagged(node, say))


def _tagged(node: Settings, say: Say) -> Say:
    return lambda line: say(f"node {node.cluster_node} {line}") if node.cluster_node else say(line)


def _launch(settings: Settings, name: str, say: Say) -> _Launch | None:
    node = _node(name)
    if pid := own_pid(settings, name):
        if desc := node.probe(settings, 2.0):
            say(f"{name}: already running (pid {pid}, {desc})")
            return None
        return _Launch(name, pid, time.monotonic())  # still starting
    if _busy_ports(settings, node):
        return _shared(settings, name, say)
    return _spawn(settings, name, say)


def _busy_ports(settings: Settings, node: ModuleType) -> list[int]:
    return [port for port in node.ports(settings) if ports.accepting(node.host(settings), port)]


def _shared(settings: Settings, name: str, say: Say) -> _Launch | None:
    """Reuse a Kafka/Cassandra another checkout started; refuse a port held by anything else."""
    node = _node(name)
    if desc := node.probe(settings, 5.0):
        say(
            f"{name}: reusing the one already serving port {node.ports(settings)[0]} ({desc}); "
            "it was not started by this checkout, so `stop` leaves it alone"
        )
        return None
    busy = _busy_ports(settings, node)
    if not busy:  # freed meanwhile (a node stopping as we looked): ours to start
        return _spawn(settings, name, say)
    holder = next((pid for port in busy if (pid := ports.owner(port))), None)
    if holder and node.MAIN_CLASS in procs.cmdline(holder):
        say(f"{name}: another checkout's {name} (pid {holder}) is starting; waiting for it")
        return _Launch(name, None, time.monotonic())
    who = f"pid {holder}: {procs.cmdline(holder)[:200]}" if holder else "an unknown process"
    raise InfraError(
        f"{name}: port(s) {busy} taken by {who}, which is not {name}; "
        "stop it or choose other ports in the settings"
    )


def _spawn(settings: Settings, name: str, say: Say) -> _Launch:
    node = _node(name)
    libs = jars.ensure(settings, name)
    argv = node.command(settings, jars.check_java(name), libs)
    log, out = _log_files(settings, name)
    offsets = (procs.size(log), procs.size(out))
    pid = procs.spawn(argv, out)
    procs.write_pid(layout.pid_file(settings, name), pid)
    say(f"{name}: starting (pid {pid}, log {log})")
    return _Launch(name, pid, time.monotonic(), offsets)


def _await(settings: Settings, launch: _Launch, say: Say) -> None:
    node = _node(launch.name)
    deadline = launch.started + node.START_TIMEOUT_S
    while time.monotonic() < deadline:
        if desc := node.probe(settings, 2.0):
            took = time.monotonic() - launch.started
            say(f"{launch.name}: ready in {took:.1f} s ({desc})")
            return
        if launch.pid is not None and not procs.alive(launch.pid):
            logs = _logs(settings, launch)
            advice = node.advice(settings, logs)
            raise InfraError(f"{launch.name} exited during start-up\n{logs}\n{advice}".rstrip())
        time.sleep(0.5)
    if launch.pid is not None:
        procs.terminate(launch.pid, node.STOP_GRACE_S)  # so the next start begins clean
    raise InfraError(
        f"{launch.name} not ready after {node.START_TIMEOUT_S:.0f} s (stopped it)\n"
        f"{_logs(settings, launch)}"
    )


def _log_files(settings: Settings, name: str) -> tuple[Path, Path]:
    return layout.log_dir(settings) / f"{name}.log", layout.out_file(settings, name)


def _logs(settings: Settings, launch: _Launch) -> str:
    log, out = _log_files(settings, launch.name)
    return (
        f"--- tail of {log}\n{procs.tail(log, since=launch.offsets[0])}\n"
        f"--- tail of {out}\n{procs.tail(out, 20, since=launch.offsets[1])}"
    )


def stop(settings: Settings, which: str = "all", say: Say = print) -> None:
    """Stop what this checkout started (SIGTERM, then SIGKILL after a grace); others are left."""
    for name in reversed(select(which)):
        stop_nodes([settings], name, say)


def stop_nodes(nodes: list[Settings], name: str, say: Say = print) -> None:
    """Stop one service on several nodes (infra/cluster.py) together: all are signalled, then
    all share one grace."""
    ours = {pid: node for node in nodes if (pid := _stoppable(node, name, _tagged(node, say)))}
    began = time.monotonic()
    graceful = procs.terminate_all(list(ours), _node(name).STOP_GRACE_S)
    for pid, node in ours.items():
        how = "stopped" if graceful[pid] else "killed (no exit after SIGTERM)"
        _tagged(node, say)(f"{name}: {how} pid {pid} in {time.monotonic() - began:.1f} s")


def _stoppable(settings: Settings, name: str, say: Say) -> int | None:
    """The pid to stop (its pid file is forgotten), or None, saying why."""
    pid = own_pid(settings, name)
    layout.pid_file(settings, name).unlink(missing_ok=True)
    if pid is None:
        shared = _busy_ports(settings, _node(name))
        say(f"{name}: not ours, left running on {shared}" if shared else f"{name}: not running")
    return pid


def status(settings: Settings) -> list[dict[str, object]]:
    """Per service: name, state (running|starting|shared|stopped|port taken), pid, port, detail."""
    return [_status(settings, name) for name in NAMES]


def _status(settings: Settings, name: str) -> dict[str, object]:
    node = _node(name)
    pid = own_pid(settings, name)
    desc = node.probe(settings, 2.0)
    if pid:
        state = "running" if desc else "starting"
    elif desc:
        state = "shared"
    else:
        state = "port taken" if _busy_ports(settings, node) else "stopped"
    return {
        "name": name,
        "state": state,
        "pid": pid,
        "port": node.ports(settings)[0],
        "detail": desc or "",
    }
