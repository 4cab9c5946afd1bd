"""Processes for the fault tests: a private PostgreSQL cluster and Redis server that a test may
stop and start at will (never the machine's shared ones), and the app under gunicorn with
two workers, as production runs it, on 127.0.0.1."""
from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(*command: str, **kwargs) -> subprocess.CompletedProcess:
    """PostgreSQL refuses to run as root: run its tools as the postgres user when we are root."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *command], check=True, capture_output=True, text=True, **kwargs)


@dataclass
class PrivatePostgres:
    """A cluster in its own folder under /tmp (pytest's folders are root-only; the server runs as postgres)."""

    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="lms-faults-pg-")))
    port: int = field(default_factory=free_port)

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def init(self) -> PrivatePostgres:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        _as_postgres(str(PG_BIN / "initdb"), "-D", str(self.folder / "data"), "-U", "postgres", "--auth=trust",
                     "-E", "UTF8", "--no-locale")
        return self

    def start(self) -> None:
        _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.folder / "data"), "-w", "-t", "30", "-l",
                     str(self.folder / "server.log"), "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1",
                     "start")

    def stop(self, mode: str = "fast") -> None:
        _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.folder / "data"), "-w", "-m", mode, "stop")

    def remove(self) -> None:
        try:
            self.stop("immediate")
        except subprocess.CalledProcessError:  # already stopped
            pass
        shutil.rmtree(self.folder, ignore_errors=True)


@dataclass
class PrivateRedis:
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                                         "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
        wait_for(lambda: _connects(self.port), "redis")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


def _connects(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_for(condition, what: str, timeout: float = 30) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.1)
    raise TimeoutError(f"{what} did not come up within {timeout} s")


@dataclass
class AppServer:
    """gunicorn -w 2 running the app; `env` holds its settings."""

    env: dict[str, str]
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def flask(self, *args: str) -> str:
        result = subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=self.env,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr[-2000:]
        return result.stdout

    def start(self) -> None:
        log = open(Path(self.env["LMS_INSTANCE_PATH"]) / "gunicorn.log", "ab")  # noqa: SIM115 - closed by the child's exit
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{self.port}", "--graceful-timeout", "2",
             "--timeout", "30", "wsgi:app"], cwd=ROOT, env=self.env, stdout=log, stderr=log)
        log.close()
        wait_for(lambda: _healthy(self.base), "the app")

    def workers(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout
        return [int(pid) for pid in out.split()]

    def kill_worker(self) -> int:
        victim = self.workers()[0]
        os.kill(victim, signal.SIGKILL)
        return victim

    def kill(self) -> None:
        """SIGKILL the master and its workers at once: a crash, not a shutdown."""
        for pid in [*self.workers(), self.process.pid]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        return (Path(self.env["LMS_INSTANCE_PATH"]) / "gunicorn.log").read_text(errors="replace")


def _healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def app_env(instance: Path, database_url: str, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "DATABASE_URL", "REDIS_URL"))}
    env.update(LMS_INSTANCE_PATH=str(instance), DATABASE_URL=database_url, REDIS_URL="", SECRET_KEY="faults",
               LOGIN_RATE_LIMIT="100000 per minute", VERIFY_RATE_LIMIT="100000 per minute",
               ARGON2_TIME_COST="1", ARGON2_MEMORY_KIB="1024", VERIFY_LOG_INTERVAL="0")
    env.update(settings)
    return env


# ---- a trainee's exam over HTTP -----------------------------------------------------------------

class Http:
    def __init__(self, base: str, token: str | None = None):
        self.base, self.token = base, token

    def call(self, method: str, path: str, body: dict | None = None, timeout: float = 10):
        """(status, json or None); a broken connection is status 0 (the page would retry)."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json",
                                                  **({"Authorization": f"Bearer {self.token}"} if self.token else {})})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, json.loads(response.read() or b"null"), dict(response.headers)
        except urllib.error.HTTPError as error:
            payload = error.read()
            error.close()
            try:
                return error.code, json.loads(payload or b"null"), dict(error.headers)
            except ValueError:
                return error.code, None, dict(error.headers)
        except (OSError, ValueError, http.client.HTTPException):  # refused, reset, cut: not acknowledged
            return 0, None, {}


def sign_in(base: str, username: str) -> Http:
    status, body, _headers = Http(base).call("POST", "/api/v1/auth/token",
                                             {"username": username, "password": "Demo@2026"})
    assert status == 200, body
    return Http(base, body["access_token"])


def start_formal_attempt(client: Http) -> dict:
    status, exams, _h = client.call("GET", "/api/v1/me/exams")
    assert status == 200, exams
    formal = max(exams, key=lambda exam: exam["duration_minutes"])
    status, attempt, _h = client.call("POST", f"/api/v1/exams/{formal['id']}/attempts")
    assert status in (200, 201), attempt
    return attempt


def an_answer(question: dict, n: int):
    """A valid response of the question's type, varying with n."""
    keys = [option["key"] for option in question.get("options") or []]
    kind = question["type"]
    if kind == "single":
        return keys[n % len(keys)]
    if kind == "multiple":
        return sorted({keys[n % len(keys)], keys[(n + 1) % len(keys)]})
    if kind == "truefalse":
        return n % 2 == 0
    if kind == "fill":
        return [f"答案{n}"] * max(1, question.get("blanks") or 1)
    return f"作答 {n}"
