"""`flask users ...`: membership, roles, managers and activation from the command line."""

import pytest

from portal.auth.models import Role, TeamMember, find_user
from portal.extensions import db


@pytest.fixture
def users(app):
    """users("add-member", "a@example.com", "security") -> click Result."""
    runner = app.test_cli_runner()

    def run(*args, input=None):
        return runner.invoke(args=["users", *args], input=input)

    return run


def state(app, email):
    """(role, manager email, active, team ids) of a person, as stored."""
    with app.app_context():
        user = find_user(email)
        teams = set(db.session.scalars(
            db.select(TeamMember.team_id).where(TeamMember.user_id == user.id)))
        return (user.role, user.manager.email if user.manager else None, user.active, teams)


def test_create_and_list_still_work(app, users, make_user):
    make_user("boss@example.com", role="manager")
    result = users("create", "New@Example.com", "--name", "New Person", "--role", "agent",
                   "--manager", "boss@example.com", "--password", "long-enough-pass")
    assert result.exit_code == 0, result.output
    assert "created new@example.com (agent)" in result.output
    listing = users("list").output
    assert "new@example.com\tagent\tmanager=boss@example.com" in listing


def test_add_and_remove_a_member_idempotently(app, users, make_user):
    make_user("al@example.com", role="agent")
    result = users("add-member", "AL@example.com", "security")
    assert (result.exit_code, result.output) == (0, "added al@example.com to security\n")
    result = users("add-member", "al@example.com", "security")
    assert result.exit_code == 0 and "already a member of security" in result.output
    assert state(app, "al@example.com")[3] == {"security"}
    result = users("remove-member", "al@example.com", "security")
    assert result.exit_code == 0 and "removed al@example.com from security" in result.output
    result = users("remove-member", "al@example.com", "security")
    assert result.exit_code == 0 and "not a member of security" in result.output
    assert state(app, "al@example.com")[3] == set()


def test_adding_a_requester_to_a_team_notes_it(users, make_user):
    make_user("req@example.com")
    result = users("add-member", "req@example.com", "service-desk")
    assert result.exit_code == 0
    assert "team queues are for agents and admins" in result.output


def test_an_unknown_team_lists_the_known_ones(app, users, make_user):
    make_user("al@example.com", role="agent")
    result = users("add-member", "al@example.com", "securty")
    assert result.exit_code == 1
    assert "no team 'securty'" in result.output
    assert "Did you mean security?" in result.output
    assert "Known teams: service-desk, security" in result.output
    assert users("remove-member", "al@example.com", "nonsense").exit_code == 1
    assert state(app, "al@example.com")[3] == set()


def test_a_membership_of_a_team_gone_from_the_catalog_can_be_removed(app, users, make_user):
    al = make_user("al@example.com", role="agent")
    with app.app_context():
        db.session.add(TeamMember(team_id="old-team", user_id=al.id))
        db.session.commit()
    result = users("remove-member", "al@example.com", "old-team")
    assert result.exit_code == 0, result.output
    assert state(app, "al@example.com")[3] == set()


@pytest.mark.parametrize("args", [
    ("add-member", "ghost@example.com", "security"),
    ("remove-member", "ghost@example.com", "security"),
    ("set-role", "ghost@example.com", "agent"),
    ("set-manager", "ghost@example.com", "--none"),
    ("deactivate", "ghost@example.com"),
    ("activate", "ghost@example.com"),
])
def test_an_unknown_person_is_a_clear_error(users, args):
    result = users(*args)
    assert result.exit_code == 1
    assert "no user has the email ghost@example.com" in result.output


def test_set_role(app, users, make_user):
    make_user("al@example.com")
    result = users("set-role", "al@example.com", "agent")
    assert result.exit_code == 0 and "al@example.com is now agent" in result.output
    assert state(app, "al@example.com")[0] == Role.AGENT
    assert "already is agent" in users("set-role", "al@example.com", "agent").output
    assert users("set-role", "al@example.com", "emperor").exit_code == 2


def test_set_and_clear_the_manager(app, users, make_user):
    make_user("boss@example.com", role="manager")
    make_user("al@example.com")
    result = users("set-manager", "al@example.com", "boss@example.com")
    assert result.exit_code == 0, result.output
    assert state(app, "al@example.com")[1] == "boss@example.com"
    assert "already is boss@example.com" in users("set-manager", "al@example.com",
                                                  "boss@example.com").output
    result = users("set-manager", "al@example.com", "--none")
    assert result.exit_code == 0 and "manager is now nobody" in result.output
    assert state(app, "al@example.com")[1] is None


@pytest.mark.parametrize("args", [("al@example.com",),
                                  ("al@example.com", "boss@example.com", "--none")])
def test_set_manager_needs_exactly_one_of_email_or_none(users, make_user, args):
    make_user("al@example.com")
    make_user("boss@example.com")
    result = users("set-manager", *args)
    assert result.exit_code == 2 and "give either MANAGER_EMAIL or --none" in result.output


def test_manager_cycles_and_self_management_are_refused(app, users, make_user):
    top = make_user("top@example.com", name="Top", role="manager")
    make_user("low@example.com", name="Low", manager=top)
    result = users("set-manager", "top@example.com", "low@example.com")
    assert result.exit_code == 1
    assert "Low already reports to Top" in result.output
    result = users("set-manager", "top@example.com", "top@example.com")
    assert result.exit_code == 1 and "cannot be their own manager" in result.output
    assert state(app, "top@example.com")[1] is None


def test_the_last_active_admin_is_protected(app, users, make_user):
    make_user("admin@example.com", name="Ada", role="admin")
    result = users("set-role", "admin@example.com", "agent")
    assert result.exit_code == 1 and "Ada is the last active admin" in result.output
    result = users("deactivate", "admin@example.com")
    assert result.exit_code == 1 and "cannot be deactivated" in result.output
    assert state(app, "admin@example.com")[0] == Role.ADMIN
    make_user("second@example.com", role="admin")
    assert users("deactivate", "admin@example.com").exit_code == 0
    result = users("set-role", "second@example.com", "agent")
    assert result.exit_code == 1, "the other admin is inactive now"


def test_deactivate_and_activate(app, users, make_user):
    make_user("al@example.com")
    assert users("deactivate", "al@example.com").output == "deactivated al@example.com\n"
    assert "already is inactive" in users("deactivate", "al@example.com").output
    assert state(app, "al@example.com")[2] is False
    assert "(inactive)" in users("list").output
    assert users("activate", "al@example.com").output == "activated al@example.com\n"
    assert users("activate", "al@example.com").exit_code == 0
    assert state(app, "al@example.com")[2] is True


def test_a_deactivated_manager_cannot_be_chosen(app, users, make_user):
    make_user("boss@example.com", name="Boss", role="manager")
    make_user("al@example.com")
    users("deactivate", "boss@example.com")
    result = users("set-manager", "al@example.com", "boss@example.com")
    assert result.exit_code == 1 and "Boss is deactivated" in result.output
