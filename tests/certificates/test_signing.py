import json
import stat
from datetime import date

import jwt
import pytest

from lms.certificates.signing import (
    KeyStore,
    TokenInvalid,
    b64url,
    certificate_claims,
    sign_claims,
    token_header,
    verify_token,
)


@pytest.fixture
def store(tmp_path):
    return KeyStore(tmp_path / "keys" / "signing.pem", tmp_path / "keys" / "public")


def claims(**changes):
    values = dict(cert_no="SH-2026-000123-K7Q4M9XR2-C", version=1, holder_name="张三明",
                  program_code="SD-ADV", institution_code="SH-STC", issue_date=date(2026, 3, 5),
                  valid_until=date(2029, 3, 4))
    values.update(changes)
    return certificate_claims(**values)


def pyjwt_verify(token, jwks):
    """Verification with PyJWT: a JOSE implementation independent of ours."""
    kid = jwt.get_unverified_header(token)["kid"]
    jwk = next(k for k in jwks["keys"] if k["kid"] == kid)
    key = jwt.PyJWK.from_dict(jwk)
    return jwt.decode(token, key=key, algorithms=["EdDSA"])


def test_claims_are_short_and_mask_the_name():
    assert claims() == {"no": "SH-2026-000123-K7Q4M9XR2-C", "v": 1, "n": "张*明", "p": "SD-ADV",
                        "i": "SH-STC", "d": "2026-03-05", "u": "2029-03-04"}


def test_key_is_generated_on_first_use_private_and_published(store):
    token = store.sign_claims(claims())
    assert stat.S_IMODE(store.signing_key_file.stat().st_mode) == 0o600
    header = token_header(token)
    assert header == {"alg": "EdDSA", "kid": header["kid"]}
    (published,) = store.jwks()["keys"]
    assert published["kid"] == header["kid"] and published["kty"] == "OKP" and published["crv"] == "Ed25519"
    assert "d" not in published  # never the private part
    assert verify_token(token, store.jwks()) == claims()


def test_independent_jose_library_verifies_our_token_with_the_published_jwks(store):
    token = store.sign_claims(claims())
    jwks = json.loads(json.dumps(store.jwks()))  # as fetched from /.well-known/jwks.json
    assert pyjwt_verify(token, jwks) == claims()


def test_our_verifier_accepts_a_token_signed_by_pyjwt(store):
    from cryptography.hazmat.primitives import serialization

    store.signing_key()
    pem = store.signing_key_file.read_bytes()
    key = serialization.load_pem_private_key(pem, password=None)
    kid = store.jwks()["keys"][0]["kid"]
    token = jwt.encode(claims(), key, algorithm="EdDSA", headers={"kid": kid})
    assert verify_token(token, store.jwks()) == claims()


def test_tampered_claims_fail(store):
    token = store.sign_claims(claims())
    head, _payload, signature = token.split(".")
    forged = b64url(json.dumps(claims(holder_name="李四"), ensure_ascii=False,
                               separators=(",", ":")).encode())
    with pytest.raises(TokenInvalid, match="签名无效"):
        verify_token(f"{head}.{forged}.{signature}", store.jwks())
    with pytest.raises(jwt.InvalidSignatureError):
        pyjwt_verify(f"{head}.{forged}.{signature}", store.jwks())


def test_token_from_another_key_or_garbage_is_refused(store, tmp_path):
    other = KeyStore(tmp_path / "other.pem", tmp_path / "other_public")
    with pytest.raises(TokenInvalid, match="公钥集中没有密钥"):
        verify_token(other.sign_claims(claims()), store.jwks())
    token = store.sign_claims(claims())
    head, payload, signature = token.split(".")
    for garbage, message in (("abc", "三段"), ("a.b.c", "base64url"), ("e30.e30.AAAA", "签名算法"),
                             (f"{head}.{payload}.中{signature[1:]}", "base64url"),
                             (f"{head}.{payload}.{signature[:-3]}", "签名无效")):
        with pytest.raises(TokenInvalid, match=message):
            verify_token(garbage, store.jwks())


def test_rotation_keeps_old_certificates_verifying(store):
    old_token = store.sign_claims(claims())
    old_kid = token_header(old_token)["kid"]
    new_kid = store.rotate()
    assert new_kid != old_kid
    new_token = store.sign_claims(claims(version=2))
    assert token_header(new_token)["kid"] == new_kid
    jwks = store.jwks()
    assert {k["kid"] for k in jwks["keys"]} == {old_kid, new_kid}
    assert verify_token(old_token, jwks)["v"] == 1
    assert pyjwt_verify(new_token, jwks)["v"] == 2
    retired = store.signing_key_file.parent / "retired" / f"{old_kid}.pem"
    assert stat.S_IMODE(retired.stat().st_mode) == 0o600


def test_configured_key_file_is_used(tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    path = tmp_path / "given.pem"
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    store = KeyStore.from_config({"CERT_SIGNING_KEY_FILE": str(path),
                                  "CERT_PUBLIC_KEYS_DIR": str(tmp_path / "pub")}, str(tmp_path / "inst"))
    token = sign_claims(claims(), key)
    assert verify_token(token, store.jwks()) == claims()
    assert not (tmp_path / "inst").exists()


def test_without_settings_the_key_is_made_in_the_instance_folder(tmp_path):
    store = KeyStore.from_config({"CERT_SIGNING_KEY_FILE": None, "CERT_PUBLIC_KEYS_DIR": None}, str(tmp_path))
    kid = token_header(store.sign_claims(claims()))["kid"]
    assert stat.S_IMODE((tmp_path / "cert_keys" / "signing.pem").stat().st_mode) == 0o600
    assert (tmp_path / "cert_keys" / "public" / f"{kid}.pem").is_file()


def test_a_configured_key_file_that_is_missing_is_an_error_not_a_new_key(tmp_path):
    store = KeyStore.from_config({"CERT_SIGNING_KEY_FILE": str(tmp_path / "typo.pem")}, str(tmp_path))
    with pytest.raises(ValueError, match="CERT_SIGNING_KEY_FILE .*typo.pem does not exist"):
        store.sign_claims(claims())
    assert not (tmp_path / "typo.pem").exists()


def test_a_non_ed25519_key_file_is_refused(tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, generate_private_key

    path = tmp_path / "ec.pem"
    path.write_bytes(generate_private_key(SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    with pytest.raises(ValueError, match="not an Ed25519 private key"):
        KeyStore(path, tmp_path / "pub").signing_key()
