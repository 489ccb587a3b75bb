"""Credential pairs, secret hashes, session tokens and the shared token secret."""

import threading
import time
from dataclasses import replace

import jwt
import pytest

from api import keys, tokens
from api.call import Identity
from api.endpoints import MAX_VERSION
from commands import errors
from config.settings import Settings

WHO = Identity("c1", "u1", "admin", "alice", "acme")
KEY = "k" * 32  # HS256 wants at least 32 bytes


def test_pairs_look_like_clearmls():
    pair = keys.new_pair()
    assert len(pair.access_key) == 20
    assert set(pair.access_key) <= set(keys.KEY_CHARS)
    assert len(pair.secret_key) == 50
    assert set(pair.secret_key) <= set(keys.SECRET_CHARS)
    assert keys.new_pair() != pair


def test_a_secret_is_stored_salted_and_verified_in_constant_form():
    stored = keys.hash_secret("s3cret")
    assert "s3cret" not in stored
    assert stored != keys.hash_secret("s3cret")  # salted
    assert keys.verify_secret("s3cret", stored)
    assert not keys.verify_secret("s3cret!", stored)
    assert not keys.verify_secret("s3cret", "not a hash")


def test_a_token_carries_the_claims_the_clients_read():
    token = tokens.issue(WHO, KEY, now=1000.0)
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["identity"] == {
        "user": "u1",
        "company": "c1",
        "role": "admin",
        "user_name": "alice",
        "company_name": "acme",
    }
    assert (claims["iat"], claims["exp"]) == (1000, 1000 + 30 * 24 * 3600)
    assert claims["api_version"] == MAX_VERSION >= "2.23"
    assert (claims["feature_set"], claims["auth_type"]) == ("basic", "Bearer")
    assert claims["server_version"] == "2.3.0"
    assert len(claims["session_id"]) == 32
    assert "env" in claims
    assert jwt.get_unverified_header(token)["alg"] == "HS256"


def test_a_valid_token_reads_back_as_its_identity():
    token = tokens.issue(WHO, KEY, now=time.time(), expiration_s=60)
    assert tokens.read(token, KEY) == WHO


@pytest.mark.parametrize(
    "token",
    [
        tokens.issue(WHO, "o" * 32, now=time.time()),
        tokens.issue(WHO, KEY, now=1000.0, expiration_s=10),  # long expired
        jwt.encode({"exp": 2**40, "identity": {}}, KEY, algorithm="HS256"),
        "not.a.token",
    ],
)
def test_bad_tokens_are_401_30(token):
    with pytest.raises(errors.InvalidToken) as raised:
        tokens.read(token, KEY)
    assert (raised.value.code, raised.value.subcode) == (401, 30)


def test_the_configured_token_secret_wins(tmp_path):
    settings = Settings(local_dir=tmp_path, token_secret="configured")
    assert tokens.token_secret(settings) == "configured"
    assert not (tmp_path / tokens.SECRET_FILE).exists()


def test_a_generated_token_secret_is_shared_by_every_process_of_a_checkout(tmp_path):
    settings = replace(Settings(), local_dir=tmp_path / "local", token_secret="")
    seen: list[str] = []
    racers = [
        threading.Thread(target=lambda: seen.append(tokens.token_secret(settings)))
        for _ in range(8)
    ]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()
    assert len(set(seen)) == 1
    assert len(seen[0]) >= 32
    assert (tmp_path / "local" / tokens.SECRET_FILE).stat().st_mode & 0o077 == 0
    assert sorted(p.name for p in (tmp_path / "local").iterdir()) == [tokens.SECRET_FILE]
