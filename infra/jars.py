"""The JVM toolchain: find java, fetch each service's jars from Maven Central once per pom."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import urllib.request
from pathlib import Path

from config.settings import Settings
from infra.errors import InfraError

POM = Path(__file__).resolve().with_name("pom.xml")
CENTRAL = "https://repo.maven.apache.org/maven2/"
# Kafka 4.x needs 17+; Cassandra 5.0 runs on 11 and 17 only (24+ lacks the SecurityManager)
JAVA_MAJORS = {"kafka": range(17, 100), "cassandra": range(11, 18)}


def java() -> str:
    """The java launcher: $JAVA_HOME/bin/java when set, else java on PATH."""
    home = os.environ.get("JAVA_HOME")
    path = str(Path(home, "bin", "java")) if home else shutil.which("java")
    if not path or not Path(path).exists():
        raise InfraError("no java found (set JAVA_HOME or put a JDK 17 on PATH)")
    return path


def check_java(name: str) -> str:
    """The java launcher, after checking its major version suits service name."""
    path = java()
    out = subprocess.run([path, "-version"], capture_output=True, text=True, check=False).stderr
    found = re.search(r'version "(\d+)', out)
    major = int(found[1]) if found else 0
    if major not in JAVA_MAJORS[name]:
        raise InfraError(f"{name} cannot run on java {major or '?'} ({path}); use JDK 17")
    return path


def libs(settings: Settings, name: str) -> Path:
    return settings.cache_dir / name / "libs"


def ensure(settings: Settings, name: str) -> Path:
    """The directory of name's jars, fetched unless the stamp says they match the current pom."""
    target = libs(settings, name)
    stamp = target.parent / "libs.stamp"
    key = f"{name} {hashlib.sha256(POM.read_bytes()).hexdigest()}"
    if stamp.exists() and stamp.read_text().strip() == key:
        return target
    # jars of an older pom must not linger on the classpath next to the new ones
    shutil.rmtree(target, ignore_errors=True)
    _copy_dependencies(name, target)
    stamp.write_text(key + "\n")
    return target


def _copy_dependencies(name: str, target: Path) -> None:
    mvn = shutil.which("mvn")
    if not mvn:
        raise InfraError("no mvn on PATH: Maven 3.8+ is needed once to fetch the jars")
    argv = [
        mvn,
        "-B",
        "-q",
        "-Dstyle.color=never",
        "-f",
        str(POM),
        "-P",
        name,
        f"-Dlibs.dir={target}",
        "generate-resources",
    ]
    print(f"fetching {name} jars into {target} (first run only) ...", flush=True)
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        shutil.rmtree(target, ignore_errors=True)
        raise InfraError(_fetch_failure(name, done.stdout + done.stderr))


def _fetch_failure(name: str, output: str) -> str:
    tail = "\n".join(output.strip().splitlines()[-20:])
    if not _central_reachable():
        return f"cannot fetch {name} jars: Maven Central ({CENTRAL}) is unreachable\n{tail}"
    return f"mvn failed to fetch {name} jars:\n{tail}"


def _central_reachable() -> bool:
    try:
        with urllib.request.urlopen(CENTRAL, timeout=10):
            return True
    except OSError:
        return False
