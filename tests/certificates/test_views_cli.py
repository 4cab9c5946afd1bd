import json
from datetime import date

import pytest

from lms.certificates.signing import KeyStore, certificate_claims, token_header


@pytest.fixture
def keyed_app(make_app, key_settings):
    return make_app(**key_settings)


def a_token(app, **changes):
    values = dict(cert_no="SH-2026-000123-K7Q4M9XR2-C", version=1, holder_name="张三明",
                  program_code="SD-ADV", institution_code="SH-STC", issue_date=date(2026, 3, 5),
                  valid_until=date(2029, 3, 4))
    values.update(changes)
    return KeyStore.for_app(app).sign_claims(certificate_claims(**values))


def test_jwks_is_public_and_cacheable(keyed_app):
    token = a_token(keyed_app)
    response = keyed_app.test_client().get("/.well-known/jwks.json")
    assert response.status_code == 200
    assert "public" in response.headers["Cache-Control"]
    (key,) = response.get_json()["keys"]
    assert key["kid"] == token_header(token)["kid"]
    assert set(key) == {"kty", "crv", "x", "kid", "alg", "use"}


def test_jwks_keeps_the_old_key_after_rotation(keyed_app):
    old = token_header(a_token(keyed_app))["kid"]
    with keyed_app.app_context():
        result = keyed_app.test_cli_runner().invoke(args=["lms", "rotate-cert-key"])
    assert result.exit_code == 0, result.output
    new = token_header(a_token(keyed_app))["kid"]
    kids = {k["kid"] for k in keyed_app.test_client().get("/.well-known/jwks.json").get_json()["keys"]}
    assert kids == {old, new} and old != new


def test_verify_token_offline_with_a_jwks_file(keyed_app, make_app, tmp_path):
    token = a_token(keyed_app)
    jwks_file = tmp_path / "jwks.json"
    jwks_file.write_text(json.dumps(KeyStore.for_app(keyed_app).jwks()), encoding="utf-8")
    # An app whose database cannot be reached: the command must not need it.
    offline = make_app(DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:9/none")
    runner = offline.test_cli_runner()
    head, _payload, signature = token.split(".")
    forged = a_token(keyed_app, holder_name="李四明").split(".")[1]
    url = f"https://lms.example.cn/verify/SH-2026-000123-K7Q4M9XR2-C?t={token}"

    with offline.app_context():
        result = runner.invoke(args=["lms", "verify-token", token, "--jwks", str(jwks_file)])
        assert result.exit_code == 0, result.output
        assert result.output.strip().endswith("VALID")
        assert '"n": "张*明"' in result.output
        assert runner.invoke(args=["lms", "verify-token", url, "--jwks", str(jwks_file)]).exit_code == 0

        result = runner.invoke(args=["lms", "verify-token", f"{head}.{forged}.{signature}", "--jwks", str(jwks_file)])
        assert result.exit_code == 1
        assert result.output.startswith("INVALID: 签名无效")


def test_verify_token_uses_the_app_keys_without_a_file(keyed_app):
    token = a_token(keyed_app)
    runner = keyed_app.test_cli_runner()
    with keyed_app.app_context():
        assert runner.invoke(args=["lms", "verify-token", token]).exit_code == 0
        result = runner.invoke(args=["lms", "verify-token", "not-a-token"])
    assert result.exit_code == 1 and "INVALID" in result.output


def test_preview_certificate_writes_a_pdf(keyed_app, tmp_path):
    out = tmp_path / "preview.pdf"
    with keyed_app.app_context():
        result = keyed_app.test_cli_runner().invoke(
            args=["lms", "preview-certificate", str(out), "--template", "chief"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
    result = keyed_app.test_cli_runner().invoke(args=["lms", "preview-certificate", str(out), "--template", "nosuch"])
    assert result.exit_code == 1 and "模板错误" in result.output


def _b64(value) -> str:
    import base64

    raw = value if isinstance(value, bytes) else json.dumps(value).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize("token", [
    "!!!.e30.AAAA",                                  # first segment not base64url
    _b64(b"\xff\xfe not json") + ".e30.AAAA",          # base64, but not JSON
    _b64([1, 2]) + ".e30.AAAA",                       # JSON, but not an object
    _b64("EdDSA") + ".e30.AAAA",
    _b64({"alg": ["EdDSA"], "kid": "x"}) + ".e30.AAAA",  # values of the wrong type
    _b64({"alg": "EdDSA", "kid": {"a": 1}}) + ".e30.AAAA",
    _b64({"alg": "EdDSA", "kid": "x", "crit": 5}) + ".e30.AAAA",
    _b64({"alg": "EdDSA"}) + ".é.AAAA",
    "a.b", "",
])
def test_a_malformed_token_is_refused_with_a_message_not_a_traceback(keyed_app, token):
    with keyed_app.app_context():
        result = keyed_app.test_cli_runner().invoke(args=["lms", "verify-token", token])
    assert not isinstance(result.exception, Exception), result.exception  # SystemExit(1), not a crash
    assert result.exit_code == 1
    assert result.output.startswith("INVALID: ") and "Traceback" not in result.output


def test_a_real_key_with_a_malformed_payload_is_refused(keyed_app):
    head = a_token(keyed_app).split(".")[0]
    with keyed_app.app_context():
        result = keyed_app.test_cli_runner().invoke(args=["lms", "verify-token", f"{head}.é.AAAA"])
    assert result.exit_code == 1 and result.output.startswith("INVALID: 令牌含有非 base64url 字符")


@pytest.mark.parametrize("content, message", [
    ("[1]", "不是有效的 JSON 公钥集"), ('{"keys": 5}', "不是有效的 JSON 公钥集"), ("\u00ff", "不是有效的 JSON 公钥集"),
    ('{"keys": [1, null, {"kty": "OKP", "crv": "Ed25519", "kid": [1], "x": 5}]}', "公钥集中没有密钥")])
def test_a_jwks_file_that_is_no_key_set_is_refused(keyed_app, tmp_path, content, message):
    jwks_file = tmp_path / "jwks.json"
    jwks_file.write_text(content, encoding="latin-1")
    with keyed_app.app_context():
        result = keyed_app.test_cli_runner().invoke(
            args=["lms", "verify-token", a_token(keyed_app), "--jwks", str(jwks_file)])
    assert not isinstance(result.exception, Exception), result.exception
    assert result.exit_code == 1 and "INVALID: " in result.output and message in result.output


def test_verify_token_of_the_current_format_with_what_the_paper_prints(keyed_app, tmp_path):
    from lms.certificates.signing import qr_claims, sign_detached, verify_url

    with keyed_app.app_context():
        key = KeyStore.for_app(keyed_app).signing_key()
    number = "SH-2026-000123-K7Q4M9XR2-C"
    token = sign_detached(qr_claims(cert_no=number, holder_name="张三明", issue_date=date(2026, 3, 5),
                                    valid_until=date(2029, 3, 4)), key)
    url = verify_url("https://lms.example.cn", number, token)
    jwks_file = tmp_path / "jwks.json"
    jwks_file.write_text(json.dumps(KeyStore.for_app(keyed_app).jwks()), encoding="utf-8")
    runner = keyed_app.test_cli_runner()
    printed = ["--name", "张三明", "--issued", "2026-03-05", "--until", "2029-03-04", "--jwks", str(jwks_file)]
    with keyed_app.app_context():
        result = runner.invoke(args=["lms", "verify-token", url, *printed])
        assert result.exit_code == 0 and result.output.strip().endswith("VALID") and '"n": "张*明"' in result.output
        assert runner.invoke(args=["lms", "verify-token", token, "--no", number, *printed]).exit_code == 0
        altered = runner.invoke(args=["lms", "verify-token", url, *printed[:4], "--until", "2039-03-04",
                                      "--jwks", str(jwks_file)])
        assert altered.exit_code == 1 and altered.output.startswith("INVALID: 签名无效")
        bare = runner.invoke(args=["lms", "verify-token", url])
    assert bare.exit_code == 1 and "--name" in bare.output and not isinstance(bare.exception, Exception)
