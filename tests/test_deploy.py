"""deploy/: the nginx site and the systemd units are checked by the tools that will read them
(nginx -t, systemd-analyze verify), and the nginx site is run in front of the app once to see
that what the app relies on behind it holds: the client's scheme (HSTS, secure redirects),
static files served by nginx, plain HTTP sent to HTTPS."""
from __future__ import annotations

import datetime
import shutil
import socket
import ssl
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SYSTEMD_ANALYZE = shutil.which("systemd-analyze")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _self_signed(folder: Path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "lms.test")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
            .sign(key, hashes.SHA256()))
    (folder / "fullchain.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "privkey.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                           serialization.NoEncryption()))


def _nginx_prefix(tmp_path: Path, app_port: int, http_port: int, https_port: int) -> Path:
    """The shipped site with this checkout's paths and free ports, inside a minimal nginx.conf."""
    tls = tmp_path / "tls"
    tls.mkdir()
    _self_signed(tls)
    site = (DEPLOY / "nginx/lms.conf").read_text()
    params = (DEPLOY / "nginx/proxy_params.conf").read_text()
    replacements = {"/srv/lms/deploy/nginx/proxy_params.conf": str(tmp_path / "proxy_params.conf"),
                    "/srv/lms": str(ROOT), "/etc/ssl/lms": str(tls), "127.0.0.1:8000": f"127.0.0.1:{app_port}",
                    "listen 80;": f"listen 127.0.0.1:{http_port};", "listen [::]:80;": "",
                    "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;", "listen [::]:443 ssl http2;": ""}
    for old, new in replacements.items():
        site = site.replace(old, new)
    (tmp_path / "lms.conf").write_text(site)
    (tmp_path / "proxy_params.conf").write_text(params)
    (tmp_path / "nginx.conf").write_text(f"""
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log warn;
daemon off;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fastcgi;
    uwsgi_temp_path {tmp_path}/uwsgi;
    scgi_temp_path {tmp_path}/scgi;
    include {tmp_path}/lms.conf;
}}
""")
    return tmp_path / "nginx.conf"


needs_nginx = pytest.mark.skipif(not Path(NGINX).exists(),
                                 reason="nginx not installed (apt-get install -y nginx-light; .ci/run does this)")


@needs_nginx
def test_the_nginx_site_passes_nginx_t(tmp_path):
    conf = _nginx_prefix(tmp_path, 8000, _free_port(), _free_port())
    result = subprocess.run([NGINX, "-t", "-c", str(conf), "-p", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "[warn]" not in result.stderr, result.stderr


@needs_nginx
def test_behind_the_nginx_site_the_app_sees_https_and_nginx_serves_static_files(tmp_path, make_app):
    app = make_app(TRUSTED_PROXIES=1, HSTS_SECONDS=31536000)
    app_port, http_port, https_port = _free_port(), _free_port(), _free_port()
    server = make_server("127.0.0.1", app_port, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    conf = _nginx_prefix(tmp_path, app_port, http_port, https_port)
    nginx = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(tmp_path)], stderr=subprocess.DEVNULL)
    try:
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        base = f"https://127.0.0.1:{https_port}"
        for _ in range(50):
            try:
                with urllib.request.urlopen(f"{base}/healthz", context=context, timeout=5) as health:
                    status, headers = health.status, health.headers
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail(f"nginx did not answer: {(tmp_path / 'error.log').read_text()}")
        assert status == 200
        # X-Forwarded-Proto reached the app through ProxyFix: it knows the request was HTTPS
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
        with urllib.request.urlopen(f"{base}/static/css/app.css", context=context, timeout=5) as css:
            assert css.status == 200 and css.headers["Server"].startswith("nginx")
            assert "max-age=604800" in css.headers["Cache-Control"]  # served by nginx, with its expiry
        plain = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}",
                                f"http://127.0.0.1:{http_port}/login"], capture_output=True, text=True)
        assert plain.stdout.startswith("301 https://127.0.0.1") and plain.stdout.endswith("/login")
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        server.shutdown()


@pytest.mark.skipif(SYSTEMD_ANALYZE is None, reason="systemd-analyze not installed")
def test_the_systemd_units_pass_systemd_analyze_verify(tmp_path):
    units = []
    for unit in sorted((DEPLOY / "systemd").glob("*.service")) + sorted((DEPLOY / "systemd").glob("*.timer")):
        text = unit.read_text().replace("/etc/lms/lms.env", str(DEPLOY / "systemd/lms.env.example"))
        text = text.replace("/srv/lms", str(ROOT))
        (tmp_path / unit.name).write_text(text)
        units.append(str(tmp_path / unit.name))
    assert len(units) >= 4
    result = subprocess.run([SYSTEMD_ANALYZE, "verify", *units], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr
