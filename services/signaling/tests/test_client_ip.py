"""Which address the per-client limits are keyed on."""

from __future__ import annotations

import ipaddress

from sous_signaling.client_ip import UNKNOWN_CLIENT, client_ip

PROXIES = [ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("192.0.2.10/32")]


def test_the_socket_peer_when_no_proxy_is_trusted() -> None:
    assert client_ip("198.51.100.1", "203.0.113.9", []) == "198.51.100.1"


def test_forwarded_for_from_an_untrusted_peer_is_ignored() -> None:
    assert client_ip("198.51.100.1", "203.0.113.9", PROXIES) == "198.51.100.1"


def test_forwarded_for_from_a_trusted_proxy_names_the_client() -> None:
    assert client_ip("10.1.2.3", "203.0.113.9", PROXIES) == "203.0.113.9"


def test_addresses_the_client_forged_left_of_the_real_one_are_ignored() -> None:
    forged_chain = "1.1.1.1, 203.0.113.9, 192.0.2.10"
    assert client_ip("10.1.2.3", forged_chain, PROXIES) == "203.0.113.9"


def test_a_chain_of_only_trusted_proxies_yields_its_first_hop() -> None:
    assert client_ip("10.1.2.3", "10.9.9.9, 192.0.2.10", PROXIES) == "10.9.9.9"


def test_a_garbled_header_falls_back_to_the_proxy() -> None:
    assert client_ip("10.1.2.3", "203.0.113.9, <script>", PROXIES) == "10.1.2.3"


def test_ipv6_clients_are_normalised() -> None:
    assert client_ip("10.1.2.3", "2001:DB8::0:1", PROXIES) == "2001:db8::1"


def test_no_peer_at_all() -> None:
    assert client_ip(None, "203.0.113.9", PROXIES) == UNKNOWN_CLIENT
