"""Shared fixtures. Environment (set by scripts/bindings-check.sh): PAYAUTH_LIBRARY,
PAYAUTH_INCLUDE_DIR, PAYAUTH_VECTORS_DIR, PAYAUTH_GATEWAY, PAYAUTH_CA_FILE, PAYAUTH_REPO."""

from __future__ import annotations

import os
from typing import Any, Callable, Dict, Iterator

import pytest

import payauth
from gateway import Gateway
from paths import REPO


def pytest_report_header(config: Any) -> str:
    return (
        f"payauth {payauth.__file__}\n"
        f"library {payauth.library_path} (version {payauth.version()})\n"
        f"ffi mode {payauth.ffi_mode}"
    )


@pytest.fixture(scope="session")
def gateway() -> Gateway:
    url = os.environ.get("PAYAUTH_GATEWAY")
    ca = os.environ.get("PAYAUTH_CA_FILE")
    if not url or not ca:
        pytest.skip("needs the emulator: run under scripts/with-emulator.sh")
    return Gateway(url, ca, REPO)


@pytest.fixture
def make_config(
    gateway: Gateway, tmp_path_factory: pytest.TempPathFactory
) -> Callable[..., Dict[str, Any]]:
    """``make_config(profile, **overrides)``: a client config with a fresh cache directory."""

    def make(profile: str, **overrides: Any) -> Dict[str, Any]:
        cache = tmp_path_factory.mktemp("cache")
        return gateway.client_config(profile, str(cache), **overrides)

    return make


@pytest.fixture
def no_faults(gateway: Gateway) -> Iterator[None]:
    """Clears injected faults and token lifetimes after the test (the emulator is shared)."""
    yield
    gateway.clear_faults()

