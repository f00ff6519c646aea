"""Secrets: conversation ids, signed customer tokens, agent passwords and tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


def new_conversation_id() -> str:
    """A conversation id with 128 random bits, so it cannot be guessed."""
    return secrets.token_hex(16)


def _mac(secret: str, purpose: str, value: str) -> str:
    digest = hmac.new(secret.encode(), f"{purpose}:{value}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def customer_token(secret: str, conversation_id: str) -> str:
    """A token that proves its holder started ``conversation_id``."""
    return f"{conversation_id}.{_mac(secret, 'customer', conversation_id)}"


def conversation_of(secret: str, token: str) -> str | None:
    """Return the conversation a customer token is bound to, or None if it is not genuine."""
    conversation_id, sep, mac = token.partition(".")
    if not sep or not conversation_id or len(conversation_id) > 64:
        return None
    if not hmac.compare_digest(mac, _mac(secret, "customer", conversation_id)):
        return None
    return conversation_id


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Check a password against its argon2 hash, in constant time."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


#: A hash that no password matches, checked for unknown usernames so the
#: response time does not tell which usernames exist.
DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


def new_agent_token() -> str:
    """A fresh agent session token (256 random bits)."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What is stored for an agent token, so a leaked database holds no usable token."""
    return hashlib.sha256(token.encode()).hexdigest()
