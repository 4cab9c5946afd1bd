"""The public certificate check: what a phone opens after scanning the QR code."""
