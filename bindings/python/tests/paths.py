"""Where the repository's shared test inputs are (environment first, then the source tree)."""

from __future__ import annotations

import os

HERE = os.path.dirname(os.path.abspath(__file__))
BINDING_DIR = os.path.dirname(HERE)
REPO = os.environ.get("PAYAUTH_REPO") or os.path.dirname(os.path.dirname(BINDING_DIR))
VECTORS_DIR = os.environ.get("PAYAUTH_VECTORS_DIR") or os.path.join(REPO, "tests", "vectors")
INCLUDE_DIR = os.environ.get("PAYAUTH_INCLUDE_DIR") or os.path.join(REPO, "include")
KEYS_DIR = os.path.join(REPO, "tests", "vectors", "keys")


def key_path(name: str) -> str:
    """A test key of tests/vectors/keys (public test material)."""
    return os.path.join(KEYS_DIR, name)


def read_key(name: str) -> str:
    with open(key_path(name), encoding="ascii") as f:
        return f.read()
