"""Certificates (合格证): numbers, the PDF document, the signed QR token and its keys.

Everything here that renders or signs is pure: it takes plain values and returns bytes
or strings, so issuance jobs, tests and the benchmark call it without a request.
"""
