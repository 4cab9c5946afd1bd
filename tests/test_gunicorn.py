"""Under gunicorn with several workers and no REDIS_URL, start-up says that rate limits are
counted per process (the project's gunicorn.conf.py); the README binds gunicorn to loopback
behind the proxy."""
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WARNING = "REDIS_URL is not set: rate limits"


def _start_up_log(tmp_path, *args: str, until: str, redis_url: str = "") -> str:
    """gunicorn's log from start until a line containing `until` (or 60 s), then it is stopped."""
    env = {**os.environ, "LMS_INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'g.sqlite3'}",
           "SECRET_KEY": "gunicorn-test", "REDIS_URL": redis_url}
    lines, deadline = [], time.monotonic() + 60
    with subprocess.Popen([sys.executable, "-m", "gunicorn", "-b", "127.0.0.1:0", *args, "wsgi:app"], cwd=ROOT,
                          env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True) as process:
        try:
            for line in process.stderr:
                lines.append(line)
                if until in line or time.monotonic() > deadline:
                    break
        finally:
            process.send_signal(signal.SIGINT)  # quick shutdown
            process.wait(timeout=30)
    return "".join(lines)


def test_several_workers_without_redis_warn_that_limits_are_per_process(tmp_path):
    log = _start_up_log(tmp_path, "-w", "2", until=WARNING)
    assert WARNING in log and "with 2 workers" in log


def test_one_worker_or_redis_starts_without_the_warning(tmp_path):
    assert WARNING not in _start_up_log(tmp_path, "-w", "1", until="Booting worker")
    log = _start_up_log(tmp_path, "-w", "2", until="Booting worker", redis_url="redis://127.0.0.1:6379/12")
    assert "Booting worker" in log and WARNING not in log


def test_the_production_example_binds_gunicorn_to_loopback_behind_the_proxy():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("## Running in production", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    assert "TRUSTED_PROXIES=1" in example
    binds = re.findall(r"gunicorn .*-b (\S+)", example)
    assert binds and all(bind.startswith("127.0.0.1:") for bind in binds)
