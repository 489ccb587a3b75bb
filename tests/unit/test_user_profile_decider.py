"""Preferences, profile updates and passwords of users: given events, when a command, then an
event (and the rows it makes) or a rejection."""

import pytest

from commands import errors
from commands.tenancy.companies import CompanyCreated, UserCreated
from commands.tenancy.preferences import PreferencesSet, SetPreferences
from commands.tenancy.profile import PasswordSet, SetPassword, UpdateUser, UserUpdated
from projections.mutations import Upsert
from projections.users import rows
from tests.unit.deciding import COMPANY, given, rejected, then_event, when

BORN = CompanyCreated(COMPANY, "acme", 1, "q-default")
ADMIN = UserCreated("u1", "admin", "admin", 2)
BOB = UserCreated("u2", "bob", "user", 3)
HASH = "scrypt$16384$8$1$c2FsdA==$ZGlnZXN0"


def test_preferences_are_set_as_json_per_top_level_key():
    event = then_event(given(BORN, BOB), SetPreferences("u2", {"version": "1"}), user="u2")
    assert event == PreferencesSet("u2", {"version": "1"})
    assert rows.preferences_set(event, given()) == [
        Upsert(
            rows.PREFERENCES, {"company": COMPANY, "user_id": "u2", "key": "version", "value": "1"}
        )
    ]


@pytest.mark.parametrize("key", ["a.b", "$set", ""])
def test_preference_keys_with_dots_or_dollars_are_refused(key):
    rejected(given(BORN, BOB), SetPreferences("u2", {key: "1"}), errors.ValidationError)


def test_no_preferences_change_nothing():
    assert when(given(BORN, BOB), SetPreferences("u2", {})).event is None


def test_preferences_of_an_unknown_user_are_refused():
    rejected(given(BORN), SetPreferences("nobody", {"a": "1"}), errors.InvalidUserId)


def test_a_user_renames_themselves_and_the_state_follows():
    state = given(BORN, BOB)
    decision = when(state, UpdateUser("u2", name="Robert", given_name="Rob"), user="u2")
    assert decision.event == UserUpdated("u2", name="Robert", given_name="Rob")
    assert decision.reply == {"updated": 1, "fields": {"name": "Robert", "given_name": "Rob"}}
    then_event(state, UpdateUser("u2", name="Robert"), user="u2")
    assert state.users["u2"].name == "Robert"
    (upsert,) = rows.user_updated(UserUpdated("u2", family_name="B"), state)
    assert upsert == Upsert("users", {"company": COMPANY, "id": "u2", "family_name": "B"})


def test_a_user_may_not_update_another_but_an_admin_may():
    state = given(BORN, ADMIN, BOB)
    with pytest.raises(errors.RoleNotAllowed):
        when(state, UpdateUser("u1", name="mallory"), user="u2")
    assert when(state, UpdateUser("u2", name="b"), user="u1").event == UserUpdated("u2", name="b")


def test_an_empty_name_or_no_change():
    state = given(BORN, BOB)
    with pytest.raises(errors.ValidationError):
        when(state, UpdateUser("u2", name=" "), user="u2")
    assert when(state, UpdateUser("u2"), user="u2").reply == {"updated": 0, "fields": {}}


def test_a_password_is_set_as_its_hash_and_makes_a_login_row():
    event = then_event(given(BORN, BOB), SetPassword("u2", "bob", HASH))
    assert event == PasswordSet("u2", "bob", HASH)
    login = {"username": "bob", "company": COMPANY, "user_id": "u2", "password_hash": HASH}
    assert rows.password_set(event, given()) == [Upsert(rows.LOGINS, login)]


def test_a_password_needs_a_hash_not_a_plain_password():
    rejected(given(BORN, BOB), SetPassword("u2", "bob", "hunter2"), errors.ValidationError)


def test_a_login_name_another_user_has_is_refused():
    rejected(given(BORN, ADMIN, BOB), SetPassword("u2", "admin", HASH), errors.NotUnique)


def test_a_password_for_an_unknown_user_is_refused():
    rejected(given(BORN), SetPassword("u9", "x", HASH), errors.InvalidUserId)
