"""Where a public check came from, in words, for the holder's check log: `内网` for an address
of a private network (the intranet a bureau or institution runs the system on), else the place
an operator's table gives for the network (VERIFY_PLACES_FILE: a CSV of `network,place`
lines, e.g. `203.0.113.0/24,上海市`, exported from whatever geo-IP source they license),
else "互联网" (a public address whose place is not known). Only the stored /24 (IPv4) or
/48 (IPv6) network is looked at: the full address is never kept."""
from __future__ import annotations

import csv
import ipaddress
from functools import lru_cache
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

INTRANET = _l("内网")
INTERNET = _l("互联网")
UNKNOWN = _l("未知")


def _network(text: str):
    try:
        return ipaddress.ip_network(text or "", strict=False)
    except ValueError:
        return None


# Private (RFC 1918, RFC 4193), carrier-grade NAT, loopback and link-local networks. Not
# ipaddress's is_private, which also counts the documentation ranges and other reserved ones.
INTRANET_NETWORKS = tuple(ipaddress.ip_network(n) for n in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
    "fc00::/7", "::1/128", "fe80::/10"))


def is_intranet(network) -> bool:
    return any(network.version == n.version and network.subnet_of(n) for n in INTRANET_NETWORKS)


@lru_cache(maxsize=4)
def _table(path: str, mtime: float) -> dict:
    """{(version, prefix length): {network: place}} from the operator's CSV (read again when it changes)."""
    table: dict = {}
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            if len(row) < 2 or row[0].startswith("#"):
                continue
            network = _network(row[0].strip())
            if network is not None and row[1].strip():
                table.setdefault((network.version, network.prefixlen), {})[network] = row[1].strip()
    return table


def _from_table(network) -> str | None:
    path = current_app.config.get("VERIFY_PLACES_FILE") or ""
    if not path:
        return None
    try:
        table = _table(path, Path(path).stat().st_mtime)
    except OSError:
        current_app.logger.warning("VERIFY_PLACES_FILE %s cannot be read", path)
        return None
    for prefix in range(network.prefixlen, -1, -1):  # the most specific entry first
        places = table.get((network.version, prefix))
        if places:
            place = places.get(network.supernet(new_prefix=prefix) if prefix < network.prefixlen else network)
            if place:
                return place
    return None


def place_of(network_text: str) -> str:
    network = _network(network_text)
    if network is None:
        return str(UNKNOWN)
    if is_intranet(network):
        return str(INTRANET)
    return _from_table(network) or str(INTERNET)
