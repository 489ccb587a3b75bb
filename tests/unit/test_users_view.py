"""The users view read: preferences as one document, and password logins by name."""

from api import passwords
from api.keys import hash_secret
from projections.users import read
from taskstream.cli import build_parser
from tests.unit.tables_fake import TablesQuery

ALICE = hash_secret("alice-pw")


def _login(company: str, user: str, hashed: str) -> dict[str, str]:
    return {"username": "alice", "company": company, "user_id": user, "password_hash": hashed}


async def test_preferences_are_one_document_of_json_values():
    rows = [
        {"company": "c1", "user_id": "u1", "key": "version", "value": "1"},
        {"company": "c1", "user_id": "u1", "key": "views", "value": '{"a": [1, null]}'},
        {"company": "c2", "user_id": "u1", "key": "other", "value": "true"},
    ]
    store = TablesQuery(user_preferences=rows)
    assert await read.preferences(store, "c1", "u1") == {"version": 1, "views": {"a": [1, None]}}


async def test_a_name_and_password_find_their_one_user():
    store = TablesQuery(
        user_logins=[_login("c1", "u1", ALICE), _login("c2", "u7", hash_secret("other"))]
    )
    found = await passwords.owner(store, "alice", "alice-pw")
    assert found is not None
    assert (found.company, found.user) == ("c1", "u1")
    assert await passwords.owner(store, "alice", "wrong") is None
    assert await passwords.owner(store, "bob", "alice-pw") is None
    assert await passwords.owner(store, "alice", "") is None


async def test_a_password_matching_two_users_logs_in_neither():
    store = TablesQuery(user_logins=[_login("c1", "u1", ALICE), _login("c2", "u2", ALICE)])
    assert await passwords.owner(store, "alice", "alice-pw") is None


def test_the_users_command_takes_company_name_and_password():
    args = build_parser().parse_args(["users", "create", "--company", "acme", "--name", "ada"])
    assert (args.company, args.name, args.password, args.role) == ("acme", "ada", None, "user")
