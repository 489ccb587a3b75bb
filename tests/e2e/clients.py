"""Running the real clearml SDK and clearml-agent as subprocesses against our stack.

Each test gets its own HOME with a clearml.conf naming our API (and web and files servers, so
the SDK never guesses hosts), and a clean environment: no CLEARML_* variable of the developer's
leaks in.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

from taskstream.seed import clearml_conf
from tests.stack import Stack, bare

BIN = Path(sys.executable).parent
# what the SDK and agent print when talking to the server went wrong
COMPLAINT = re.compile(
    r"ERROR|WARNING|Traceback|Retrying|Action failed|APIError|Failed|Could not|"
    r"status code|timed out|Connection",
)
# The SDK reports from a forked subprocess by default; once in CI a script hung for 240 s in
# Task.close() with the API idle and error-free, a known hazard of forking a threaded client.
# Reporting from a thread of the script makes the same HTTP calls.
IN_PROCESS = "sdk { development { report_use_subprocess: false } }\n"
# The SDK retries a failed call up to 240 times with a backoff of up to 2 minutes; a flow test
# that must fail fast on a broken endpoint gives it a few quick retries instead.
FEW_RETRIES = (
    "api { http { retries { total: 3, connect: 3, read: 3, status: 3, backoff_max: 2.0 } } }\n"
)
NOT_ABOUT_THE_SERVER = re.compile(r"GPU monitoring|NVIDIA|nvml|gpustat", re.IGNORECASE)


@dataclass
class Clients:
    stack: Stack
    home: Path
    env: dict[str, str]

    @classmethod
    def configure(cls, stack: Stack, tmp: Path) -> Clients:
        assert stack.credentials, "the stack must be logged in"
        home = tmp / "home"
        home.mkdir()
        api = bare(stack.apis[0].url or "")
        conf = home / "clearml.conf"
        conf.write_text(clearml_conf(api, stack.files_url, *stack.credentials) + IN_PROCESS)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CLEARML_", "TRAINS_"))}
        env.update(
            HOME=str(home),
            CLEARML_CONFIG_FILE=str(conf),
            PYTHONUNBUFFERED="1",
            PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        )
        return cls(stack, home, env)

    def fail_fast(self) -> Clients:
        """Few quick retries of a failing call (FEW_RETRIES), for tests with a time bound."""
        conf = self.home / "clearml.conf"
        conf.write_text(conf.read_text() + FEW_RETRIES)
        return self

    def run_script(self, source: str, timeout: float = 240.0) -> subprocess.CompletedProcess[str]:
        """Run a Python script with the SDK installed; output is stdout and stderr together."""
        script = self.home / "script.py"
        script.write_text(textwrap.dedent(source))
        try:
            return subprocess.run(
                [sys.executable, str(script)],
                cwd=self.home,
                env=self.env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:  # say where it stuck: the end of its output
            raw = exc.output or b""
            output = raw if isinstance(raw, str) else raw.decode(errors="replace")
            tail = "\n".join(output.splitlines()[-60:])
            ran_over = f"the script ran over {timeout:.0f} s; its output ends:\n{tail}"
            raise AssertionError(ran_over) from None

    def agent(self, worker_id: str, *extra: str) -> tuple[subprocess.Popen[bytes], Path]:
        """`clearml-agent daemon --queue default --foreground`, without docker or a new venv."""
        log = self.home / f"agent-{worker_id}.log"
        env = {
            **self.env,
            "CLEARML_WORKER_ID": worker_id,
            # run tasks with this interpreter: no virtualenv, no package installation
            "CLEARML_AGENT_SKIP_PYTHON_ENV_INSTALL": "1",
            "CLEARML_AGENT_SKIP_PIP_VENV_INSTALL": sys.executable,
        }
        command = [str(BIN / "clearml-agent"), "daemon", "--queue", "default", "--foreground"]
        with log.open("wb") as out:
            popen = subprocess.Popen(
                [*command, *extra],
                cwd=self.home,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                preexec_fn=_interruptible,  # noqa: PLW1509 - no lock is taken before the exec
            )
        return popen, log


def _interruptible() -> None:
    """Ctrl-C stops the agent, as the tests stop it: a suite started as a background job of a
    non-interactive shell (`make test &` in a script) inherits SIGINT ignored, and so would the
    agent, which then never exits on SIGINT (the agent tests failed exactly so)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def complaints(output: str) -> list[str]:
    """Lines where a client reports trouble with the server."""
    return [
        line
        for line in output.splitlines()
        if COMPLAINT.search(line) and not NOT_ABOUT_THE_SERVER.search(line)
    ]
