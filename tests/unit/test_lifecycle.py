"""The lifecycle table: every status × every action is either allowed or refused clearly."""

import itertools

import pytest

from portal.tickets.lifecycle import (
    FINAL,
    TRANSITIONS,
    Action,
    IllegalTransition,
    Status,
    allowed_actions,
    can,
    next_status,
)

EXPECTED = {
    (Status.AWAITING_APPROVAL, Action.APPROVE): Status.OPEN,
    (Status.AWAITING_APPROVAL, Action.REJECT): Status.REJECTED,
    (Status.AWAITING_APPROVAL, Action.CANCEL): Status.CANCELLED,
    (Status.NEW, Action.ACCEPT): Status.OPEN,
    (Status.NEW, Action.START): Status.IN_PROGRESS,
    (Status.NEW, Action.RESOLVE): Status.RESOLVED,
    (Status.NEW, Action.CANCEL): Status.CANCELLED,
    (Status.NEW, Action.WAIT): Status.WAITING_ON_REQUESTER,
    (Status.OPEN, Action.WAIT): Status.WAITING_ON_REQUESTER,
    (Status.OPEN, Action.START): Status.IN_PROGRESS,
    (Status.OPEN, Action.RESOLVE): Status.RESOLVED,
    (Status.OPEN, Action.CANCEL): Status.CANCELLED,
    (Status.IN_PROGRESS, Action.WAIT): Status.WAITING_ON_REQUESTER,
    (Status.IN_PROGRESS, Action.RESOLVE): Status.RESOLVED,
    (Status.IN_PROGRESS, Action.CANCEL): Status.CANCELLED,
    (Status.WAITING_ON_REQUESTER, Action.RESUME): Status.IN_PROGRESS,
    (Status.WAITING_ON_REQUESTER, Action.RESOLVE): Status.RESOLVED,
    (Status.WAITING_ON_REQUESTER, Action.CANCEL): Status.CANCELLED,
    (Status.RESOLVED, Action.REOPEN): Status.IN_PROGRESS,
    (Status.RESOLVED, Action.CLOSE): Status.CLOSED,
    (Status.NEW, Action.WAIT_THIRD_PARTY): Status.WAITING_ON_THIRD_PARTY,
    (Status.OPEN, Action.WAIT_THIRD_PARTY): Status.WAITING_ON_THIRD_PARTY,
    (Status.IN_PROGRESS, Action.WAIT_THIRD_PARTY): Status.WAITING_ON_THIRD_PARTY,
    (Status.WAITING_ON_THIRD_PARTY, Action.RESUME): Status.IN_PROGRESS,
    (Status.WAITING_ON_THIRD_PARTY, Action.RESOLVE): Status.RESOLVED,
    (Status.WAITING_ON_THIRD_PARTY, Action.CANCEL): Status.CANCELLED,
}


@pytest.mark.parametrize("status, action", list(itertools.product(Status, Action)))
def test_every_status_and_action(app_ctx, status, action):
    if (status, action) in EXPECTED:
        assert next_status(status, action, "a note") == EXPECTED[(status, action)]
        assert can(status, action)
    else:
        with pytest.raises(IllegalTransition) as refused:
            next_status(status, action)
        assert "cannot be" in str(refused.value)
        assert not can(status, action)


def test_table_is_exactly_the_expected_one():
    assert TRANSITIONS == EXPECTED


def test_final_states_allow_nothing():
    for status in FINAL:
        assert allowed_actions(status) == []


def test_refusal_message_is_readable(app_ctx):
    with pytest.raises(IllegalTransition) as refused:
        next_status(Status.CLOSED, Action.CANCEL)
    assert str(refused.value) == "A ticket that is closed cannot be cancelled."


def test_every_status_and_action_has_its_words_and_tone():
    from portal.tickets.lifecycle import ACTION_LABELS, ACTION_PAST, STATUS_LABELS, STATUS_TONES
    assert set(STATUS_LABELS) == set(STATUS_TONES) == set(Status)
    assert set(ACTION_LABELS) == set(ACTION_PAST) == set(Action)


def test_the_status_sets_cover_every_status_once():
    from portal.tickets.lifecycle import DONE, OPEN, WORKABLE
    assert set(OPEN) | DONE == set(Status) and not set(OPEN) & DONE
    assert set(WORKABLE) <= set(OPEN) and Status.AWAITING_APPROVAL not in WORKABLE


def test_waiting_on_a_third_party_needs_a_note_saying_whom():
    for status in (Status.NEW, Status.OPEN, Status.IN_PROGRESS):
        with pytest.raises(IllegalTransition, match="whom we are waiting for"):
            next_status(status, Action.WAIT_THIRD_PARTY, "  ")
        assert next_status(status, Action.WAIT_THIRD_PARTY, "Dell, case 4411") == \
            Status.WAITING_ON_THIRD_PARTY
    assert next_status(Status.WAITING_ON_THIRD_PARTY, Action.RESUME) == Status.IN_PROGRESS
