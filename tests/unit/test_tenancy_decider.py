"""Companies, users and credential pairs: given events, when a command, then an event or a
rejection."""

import itertools

import pytest

from commands import decider, errors
from commands.base import Context
from commands.queues.lifecycle import CreateQueue, QueueCreated
from commands.tenancy.companies import CompanyCreated, CreateCompany, CreateUser, UserCreated
from commands.tenancy.credentials import (
    CreateCredentials,
    CredentialsCreated,
    CredentialsEdited,
    CredentialsRevoked,
    EditCredentials,
    RevokeCredentials,
)
from tests.unit.deciding import given

COMPANY = "c1"
BORN = CompanyCreated(COMPANY, "acme", 1, "q-default")
ALICE = UserCreated("u1", "alice", "admin", 2)


def context():
    ids = (f"id{n}" for n in itertools.count(1))
    return Context(COMPANY, "u1", 1000, lambda: next(ids))


def test_a_new_company_comes_with_its_default_queue():
    decision = decider.decide(given(), CreateCompany("acme"), context())
    assert decision.event == CompanyCreated(COMPANY, "acme", 1000, "id1")
    assert decision.reply == {"id": COMPANY, "created": True}
    state = decider.evolve(given(), decision.event)
    queue = state.queues["id1"]
    assert (queue.name, queue.system_tags) == ("default", ("default",))


def test_creating_an_existing_company_changes_nothing():
    decision = decider.decide(given(BORN), CreateCompany("other name"), context())
    assert decision.event is None
    assert decision.reply == {"id": COMPANY, "created": False}


def test_a_company_whose_default_queue_name_is_taken_gets_no_second_one():
    state = given(QueueCreated("q1", "default", 1))
    decision = decider.decide(state, CreateCompany("acme"), context())
    assert decision.event == CompanyCreated(COMPANY, "acme", 1000, None)
    decider.evolve(state, decision.event)
    assert list(state.queues) == ["q1"]


def test_the_default_queue_name_is_then_taken():
    with pytest.raises(errors.NotUnique):
        decider.decide(given(BORN), CreateQueue("default"), context())


def test_a_user_is_created_once():
    decision = decider.decide(given(BORN), CreateUser("u1", "alice", "admin"), context())
    assert decision.event == UserCreated("u1", "alice", "admin", 1000)
    again = decider.decide(given(BORN, ALICE), CreateUser("u1", "alice", "admin"), context())
    assert again.event is None
    assert again.reply == {"id": "u1", "created": False}


def test_users_need_a_company_and_a_known_role():
    with pytest.raises(errors.InvalidId):
        decider.decide(given(), CreateUser("u1", "alice"), context())
    with pytest.raises(errors.ValidationError):
        decider.decide(given(BORN), CreateUser("u1", "alice", "overlord"), context())


def test_credentials_are_created_for_a_known_user_only():
    decision = decider.decide(given(BORN, ALICE), CreateCredentials("u1", "K1", "h"), context())
    assert decision.event == CredentialsCreated("u1", "K1", "h", 1000)
    assert decision.reply == {"access_key": "K1", "created": True}
    with pytest.raises(errors.InvalidUserId) as raised:
        decider.decide(given(BORN), CreateCredentials("u9", "K1", "h"), context())
    assert (raised.value.code, raised.value.subcode) == (400, 301)


def test_registering_a_pair_again_changes_nothing():
    state = given(BORN, ALICE, CredentialsCreated("u1", "K1", "h", 3))
    decision = decider.decide(state, CreateCredentials("u1", "K1", "other hash"), context())
    assert decision.event is None
    assert decision.reply == {"access_key": "K1", "created": False}


def test_a_revoked_key_is_never_accepted_again():
    state = given(
        BORN, ALICE, CredentialsCreated("u1", "K1", "h", 3), CredentialsRevoked("u1", "K1")
    )
    with pytest.raises(errors.NotUnique):
        decider.decide(state, CreateCredentials("u1", "K1", "h"), context())


def test_another_users_key_is_taken():
    bob = UserCreated("u2", "bob", "user", 2)
    state = given(BORN, ALICE, bob, CredentialsCreated("u1", "K1", "h", 3))
    with pytest.raises(errors.NotUnique):
        decider.decide(state, CreateCredentials("u2", "K1", "h"), context())


def test_only_the_owner_revokes_or_relabels_a_pair():
    bob = UserCreated("u2", "bob", "user", 2)
    state = given(BORN, ALICE, bob, CredentialsCreated("u1", "K1", "h", 3))
    revoked = decider.decide(state, RevokeCredentials("u1", "K1"), context())
    assert revoked.event == CredentialsRevoked("u1", "K1")
    assert revoked.reply == {"revoked": 1}
    edited = decider.decide(state, EditCredentials("u1", "K1", "laptop"), context())
    assert edited.event == CredentialsEdited("u1", "K1", "laptop")
    for command in (RevokeCredentials("u2", "K1"), EditCredentials("u2", "K1", "x")):
        with pytest.raises(errors.InvalidUser) as raised:
            decider.decide(state, command, context())
        assert (raised.value.code, raised.value.subcode) == (400, 300)
