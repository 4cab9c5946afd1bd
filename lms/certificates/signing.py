"""Ed25519 keys and the compact JWS carried in the certificate QR code.

Header `{"alg":"EdDSA","kid":...}`: `EdDSA` is the JOSE name every library knows
(RFC 8037); RFC 9864 adds the fully specified name `Ed25519` for the same signature, which
verify_token also accepts. The key id is the first 8 characters of the key's RFC 7638
thumbprint, so every host given the same key file computes the same id.

Key files (default `instance/cert_keys/`, or CERT_SIGNING_KEY_FILE / CERT_PUBLIC_KEYS_DIR):
    signing.pem           the active private key (PKCS#8 PEM, mode 0600), made on first use
    public/<kid>.pem      every public key ever used; all are published in the JWKS, so
                          certificates signed before a rotation keep verifying
    retired/<kid>.pem     private keys replaced by rotate_key() (mode 0600)
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from flask_babel import lazy_gettext as _l

from lms.core.masking import mask_name

ALGORITHM = "EdDSA"
ACCEPTED_ALGORITHMS = {"EdDSA", "Ed25519"}


class TokenInvalid(Exception):
    """The token is malformed, signed by an unknown key, or its signature does not match."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    if not _B64URL.fullmatch(text) or len(text) % 4 == 1:
        raise TokenInvalid(_l("令牌含有非 base64url 字符，或长度不对"))
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


_B64URL = re.compile(r"[A-Za-z0-9_-]*")


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    members = json.dumps({"crv": "Ed25519", "kty": "OKP", "x": b64url(_raw_public(key))},
                         separators=(",", ":"), sort_keys=True)
    return b64url(hashlib.sha256(members.encode()).digest())[:8]


def public_jwk(key: Ed25519PublicKey) -> dict[str, str]:
    return {"kty": "OKP", "crv": "Ed25519", "x": b64url(_raw_public(key)), "kid": key_id(key),
            "alg": ALGORITHM, "use": "sig"}


def _write_private(path: Path, key: Ed25519PrivateKey) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)


def _write_public(directory: Path, key: Ed25519PublicKey) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{key_id(key)}.pem"
    if not path.exists():
        path.write_bytes(key.public_bytes(serialization.Encoding.PEM,
                                          serialization.PublicFormat.SubjectPublicKeyInfo))


@dataclass(frozen=True)
class KeyStore:
    signing_key_file: Path
    public_keys_dir: Path
    generate_missing: bool = True  # False for a configured key file: a typo must not mint a key

    @classmethod
    def for_app(cls, app) -> KeyStore:
        return cls.from_config(app.config, app.instance_path)

    @classmethod
    def from_config(cls, config: dict[str, Any], instance_path: str) -> KeyStore:
        base = Path(instance_path) / "cert_keys"
        configured = config.get("CERT_SIGNING_KEY_FILE")
        return cls(Path(configured or base / "signing.pem"),
                   Path(config.get("CERT_PUBLIC_KEYS_DIR") or base / "public"),
                   generate_missing=not configured)

    def signing_key(self) -> Ed25519PrivateKey:
        """The active private key; in the default location, generated on first use."""
        if not self.signing_key_file.exists():
            if not self.generate_missing:
                raise ValueError(f"CERT_SIGNING_KEY_FILE {self.signing_key_file} does not exist")
            try:
                _write_private(self.signing_key_file, Ed25519PrivateKey.generate())
            except FileExistsError:  # another process made it first
                pass
        key = serialization.load_pem_private_key(self.signing_key_file.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{self.signing_key_file} is not an Ed25519 private key")
        _write_public(self.public_keys_dir, key.public_key())
        return key

    def public_keys(self) -> list[Ed25519PublicKey]:
        self.signing_key()  # publishes the active key
        keys = []
        for path in sorted(self.public_keys_dir.glob("*.pem")):
            key = serialization.load_pem_public_key(path.read_bytes())
            if isinstance(key, Ed25519PublicKey):
                keys.append(key)
        return keys

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        return {"keys": [public_jwk(key) for key in self.public_keys()]}

    def rotate(self) -> str:
        """Retire the active key (its public half stays published); return the new kid."""
        old = self.signing_key()
        retired = self.signing_key_file.parent / "retired" / f"{key_id(old.public_key())}.pem"
        retired.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.signing_key_file, retired)
        _write_private(self.signing_key_file, Ed25519PrivateKey.generate())
        return key_id(self.signing_key().public_key())

    def sign_claims(self, claims: dict[str, Any]) -> str:
        return sign_claims(claims, self.signing_key())


def qr_claims(*, cert_no: str, holder_name: str, issue_date: date, valid_until: date) -> dict[str, Any]:
    """What a certificate's QR token signs (format 2, docs/verification.md): the number, the
    masked name and the two dates, all read off the paper, so the QR code carries only the
    header and the signature (a JWS with a detached payload, RFC 7515 appendix F) and stays
    small enough to scan at its printed size. A verifier rebuilds these claims (keys in this
    order, compact UTF-8 JSON) and puts them back with attach()."""
    return {"no": cert_no, "n": mask_name(holder_name), "d": issue_date.isoformat(), "u": valid_until.isoformat()}


def sign_detached(claims: dict[str, Any], private_key: Ed25519PrivateKey) -> str:
    """`header..signature`: the compact JWS over `claims` with its payload left out."""
    header, _payload, signature = sign_claims(claims, private_key).split(".")
    return f"{header}..{signature}"


def claims_bytes(claims: dict[str, Any]) -> bytes:
    return json.dumps(claims, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def is_detached(token: str) -> bool:
    parts = (token or "").strip().split(".")
    return len(parts) == 3 and parts[1] == ""


def attach(token: str, claims: dict[str, Any]) -> str:
    """A detached token with its payload put back: an ordinary compact JWS any JOSE library verifies."""
    header, _empty, signature = token.strip().split(".")
    return f"{header}.{b64url(claims_bytes(claims))}.{signature}"


def certificate_claims(*, cert_no: str, version: int, holder_name: str, program_code: str,
                       institution_code: str, issue_date: date, valid_until: date) -> dict[str, Any]:
    """The claims the QR token of a certificate issued before format 2 carries in full
    (format 1; such tokens keep verifying, see docs/verification.md)."""
    return {"no": cert_no, "v": version, "n": mask_name(holder_name), "p": program_code,
            "i": institution_code, "d": issue_date.isoformat(), "u": valid_until.isoformat()}


def verify_url(public_base_url: str, cert_no: str, token: str) -> str:
    """What the QR code encodes. A token holds only base64url characters and dots."""
    return f"{public_base_url.rstrip('/')}/verify/{cert_no}?t={token}"


def sign_claims(claims: dict[str, Any], private_key: Ed25519PrivateKey) -> str:
    """A compact JWS over `claims` (compact UTF-8 JSON, to keep the QR code small)."""
    header = {"alg": ALGORITHM, "kid": key_id(private_key.public_key())}
    signing_input = ".".join(
        b64url(json.dumps(part, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        for part in (header, claims))
    return f"{signing_input}.{b64url(private_key.sign(signing_input.encode('ascii')))}"


def _keys_by_id(jwks: Any) -> dict[str, Ed25519PublicKey]:
    """The Ed25519 keys of a JWKS by kid; whatever is not such a key is skipped."""
    entries = jwks.get("keys") if isinstance(jwks, dict) else None
    keys = {}
    for jwk in entries if isinstance(entries, list) else []:
        if (isinstance(jwk, dict) and jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519"
                and isinstance(jwk.get("kid"), str) and isinstance(jwk.get("x"), str)):
            try:
                keys[jwk["kid"]] = Ed25519PublicKey.from_public_bytes(b64url_decode(jwk["x"]))
            except (ValueError, TokenInvalid):
                continue
    return keys


def _json_part(data: bytes, problem) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise TokenInvalid(problem) from None


def token_header(token: str) -> dict[str, Any]:
    """The token's header, checked to be what a certificate token's header can be: a JSON
    object whose `alg` and `kid`, if any, are text and whose `crit`, if any, is a list of text."""
    parts = (token or "").strip().split(".")
    if len(parts) != 3:
        raise TokenInvalid(_l("令牌应由三段以“.”分隔的 base64url 文本组成"))
    header = _json_part(b64url_decode(parts[0]), _l("令牌头部不是有效的 JSON"))
    if not isinstance(header, dict):
        raise TokenInvalid(_l("令牌头部不是 JSON 对象"))
    if not isinstance(header.get("alg", ""), str) or not isinstance(header.get("kid", ""), str):
        raise TokenInvalid(_l("令牌头部的 alg 和 kid 应为文本"))
    crit = header.get("crit", [])
    if not isinstance(crit, list) or not all(isinstance(item, str) for item in crit):
        raise TokenInvalid(_l("令牌头部的 crit 应为文本列表"))
    return header


def verify_token(token: str, jwks: Any) -> dict[str, Any]:
    """The claims of a token whose signature a key in `jwks` confirms; else TokenInvalid
    (also for any malformed token or key set: never another exception)."""
    header = token_header(token)
    if header.get("alg") not in ACCEPTED_ALGORITHMS:
        raise TokenInvalid(_l("不支持的签名算法：%(alg)s（应为 EdDSA）", alg=repr(header.get("alg"))))
    if header.get("crit"):
        raise TokenInvalid(_l("令牌含有无法识别的 crit 扩展"))
    key = _keys_by_id(jwks).get(header.get("kid"))
    if key is None:
        raise TokenInvalid(_l("公钥集中没有密钥 %(kid)s", kid=repr(header.get("kid"))))
    head, payload, signature = token.strip().split(".")
    content = b64url_decode(payload)  # base64url only: the signing input below is ASCII
    try:
        key.verify(b64url_decode(signature), f"{head}.{payload}".encode("ascii"))
    except InvalidSignature:
        raise TokenInvalid(_l("签名无效：令牌内容被改动过，或并非由该密钥签发")) from None
    claims = _json_part(content, _l("令牌内容不是有效的 JSON"))
    if not isinstance(claims, dict):
        raise TokenInvalid(_l("令牌内容不是 JSON 对象"))
    return claims
