import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


@pytest.fixture
def key_settings(tmp_path):
    """Settings naming a fresh Ed25519 key file (as an operator would configure one)."""
    path = tmp_path / "k" / "signing.pem"
    path.parent.mkdir()
    path.write_bytes(Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    path.chmod(0o600)
    return {"CERT_SIGNING_KEY_FILE": str(path), "CERT_PUBLIC_KEYS_DIR": str(tmp_path / "k" / "public")}
