"""The managers' dashboard: every figure against a hand-made data set whose answers were worked
out by hand (in the comments), access, bad filters, and the streamed CSV export.

The data set (TICKETS below) is fourteen tickets in the test catalog's two teams
(service-desk and security), mostly created in March 2025 (11 in February and 12 in January
fall outside the range), with first responses, due times, ratings, approvals, searches,
articles, votes and deflections. Times are UTC. The figures are computed with "now" pinned at
2025-03-31 12:00; the page uses the real clock, which is long after every due time here.
"""

import csv
import io
import os
import socket
import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from portal.auth.models import User
from portal.dashboard import export, figures
from portal.dashboard.dialect import distinct_values
from portal.dashboard.filters import DashboardFilter
from portal.extensions import db
from portal.kb.models import Article, ArticleStatus, Deflection, SearchLog
from portal.kb.service import vote
from portal.tickets.models import Approval, ApproverKind, Decision, Rating, Ticket
from portal.web.catalog import current_catalog

NOW = datetime(2025, 3, 31, 12, 0, tzinfo=UTC)
MARCH = {"from": "2025-03-01", "to": "2025-03-31"}
ITEMS = {  # item: (type, team, category)
    "new-laptop": ("request", "service-desk", "hardware"),
    "outage": ("incident", "service-desk", "help"),
    "security-incident": ("incident", "security", "help"),
    "access": ("access", "service-desk", "help"),
    "big-purchase": ("request", "service-desk", "hardware"),
    "retired-item": ("request", "service-desk", "help"),
}
FORMULAS = {13: '=HYPERLINK("http://evil.example","x")', 5: "+cmd|' /C calc'!A0",
            6: "-2+3", 4: "@SUM(A1:A2)"}


def at(month, day, hour=0, minute=0, year=2025):
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# n: item, priority, status, created, first response, response due, resolved, resolution due
TICKETS = {
    1: ("new-laptop", "P3", "closed", at(3, 3, 9), at(3, 3, 10), at(3, 3, 17), at(3, 4, 9),
        at(3, 5, 9)),
    2: ("outage", "P1", "resolved", at(3, 3, 12), at(3, 3, 13), at(3, 3, 12, 30),
        at(3, 3, 18), at(3, 3, 16)),
    3: ("security-incident", "P2", "closed", at(3, 5, 8), at(3, 5, 8, 30), at(3, 5, 9),
        at(3, 6, 2), at(3, 5, 16)),
    4: ("access", "P3", "open", at(3, 10, 10), None, at(3, 10, 18), None, at(4, 2, 10)),
    5: ("big-purchase", "P4", "rejected", at(3, 12, 9), None, None, None, None),
    6: ("big-purchase", "P4", "awaiting_approval", at(3, 14, 9), None, None, None, None),
    7: ("new-laptop", "P3", "resolved", at(3, 20, 9), at(3, 20, 15), at(3, 20, 17),
        at(3, 25, 9), at(3, 24, 9)),
    8: ("security-incident", "P1", "new", at(3, 31, 8), None, at(3, 31, 13), None,
        at(3, 31, 16)),
    9: ("outage", "P2", "in_progress", at(3, 28, 10), at(3, 28, 11), at(3, 28, 12), None,
        at(3, 29, 10)),
    10: ("new-laptop", "P3", "waiting_on_requester", at(3, 31, 10), at(3, 31, 10, 30),
         at(3, 31, 18), None, at(4, 3, 10)),
    11: ("new-laptop", "P3", "closed", at(2, 20, 9), at(2, 20, 10), at(2, 20, 17), at(3, 2, 9),
         at(2, 22, 9)),
    12: ("security-incident", "P2", "in_progress", at(1, 15, 9), None, None, None, None),
    13: ("retired-item", "P4", "cancelled", at(3, 15, 9), None, None, None, None),
    14: ("access", "P3", "open", at(3, 29, 20), None, at(3, 30, 4), None, at(4, 2, 10)),
}
RATINGS = {1: 5, 2: 2, 3: 3, 7: 5, 11: 1}
APPROVALS = {  # ticket: [(decision, decided_at)] in step order
    4: [("approved", at(3, 10, 14))],
    5: [("approved", at(3, 12, 10)), ("rejected", at(3, 13, 9))],
    6: [("approved", at(3, 14, 11)), ("pending", None)],
    7: [("approved", at(3, 20, 11))],
    11: [("approved", at(2, 21, 9))],
}


@pytest.fixture
def people(make_user):
    return {role: make_user(f"{role}@example.com", role=role)
            for role in ("requester", "agent", "manager", "admin")}


@pytest.fixture
def data(app, people):
    """The hand-made data set above, plus searches, articles, votes and deflections."""
    with app.app_context():
        requester = people["requester"]
        for n, (item, priority, status, created, first, response_due, resolved,
                resolution_due) in TICKETS.items():
            kind, team, category = ITEMS[item]
            ticket = Ticket(
                id=n, number=f"T-{n:06d}", type=kind, title=FORMULAS.get(n, f"Ticket {n}"),
                status=status, priority=priority, team_id=team, category_id=category,
                item_id=item, item_version="1", item_name=item, requester_id=requester.id,
                assignee_id=people["agent"].id if first else None, created_at=created,
                first_response_at=first, response_due_at=response_due, resolved_at=resolved,
                resolution_due_at=resolution_due,
                closed_at=at(3, 7) if status == "closed" else None)
            db.session.add(ticket)
            for step, (decision, decided_at) in enumerate(APPROVALS.get(n, []), start=1):
                ticket.approvals.append(Approval(
                    step=step, kind=ApproverKind.MANAGER, approver_id=people["manager"].id,
                    decision=Decision(decision), decided_at=decided_at, created_at=created))
        db.session.flush()
        for n, score in RATINGS.items():
            db.session.add(Rating(ticket_id=n, score=score, created_at=at(3, 26)))
        for query, results, moment in [
                ("vpn", 3, at(3, 2, 8)), ("printer", 0, at(3, 10, 9)), ("wifi", 2, at(3, 15)),
                ("zzz", 0, at(3, 31, 23, 59)),          # the last minute of the range: in
                ("old", 0, at(2, 28, 23, 59)), ("future", 0, at(4, 1))]:  # outside
            db.session.add(SearchLog(query=query, results=results, created_at=moment))
        articles = {}
        for n, (title, status, views) in enumerate([
                ("VPN setup", "published", 40), ("Printer help", "published", 100),
                ("Draft", "draft", 500), ("Wi-Fi", "published", 0)], start=1):
            articles[n] = Article(id=n, slug=f"a{n}", title=title, views=views,
                                  status=ArticleStatus(status))
            db.session.add(articles[n])
        db.session.flush()
        voters = [User(email=f"voter{k}@example.com", name=f"Voter {k}", password_hash="x")
                  for k in range(4)]
        db.session.add_all(voters)
        db.session.flush()
        # A1: 3 yes, 1 no; A2: 1 yes, 1 no; the draft A3: 2 yes (drafts do not count).
        for article, votes in ((1, [True, True, True, False]), (2, [True, False]),
                               (3, [True, True])):
            for voter, helpful in zip(voters, votes, strict=False):
                vote(articles[article], voter, helpful)
        for article, item, moment in [(1, "new-laptop", at(3, 5)), (1, None, at(3, 6)),
                                      (2, "outage", at(3, 7)), (2, None, at(2, 27)),
                                      (4, None, at(3, 31, 23))]:
            db.session.add(Deflection(article_id=article, item_id=item, created_at=moment))
        db.session.commit()


def march(app, **args):
    return DashboardFilter.from_args({**MARCH, **args}, current_catalog(), now=NOW)


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


def test_created_and_resolved_per_day(app, data, ctx):
    volume = figures.volume(march(app))
    # Created in range: every ticket but 11 and 12 = 12. Resolved in range: 1 (03-04),
    # 2 (03-03), 3 (03-06), 7 (03-25) and 11 (03-02, created in February) = 5.
    assert (volume["created"], volume["resolved"]) == (12, 5)
    assert len(volume["periods"]) == 31  # every day of March, empty ones as zero
    by_day = {p["start"]: (p["created"], p["resolved"]) for p in volume["periods"]}
    assert {d: v for d, v in by_day.items() if v != (0, 0)} == {
        date(2025, 3, 2): (0, 1),   # 11 resolved
        date(2025, 3, 3): (2, 1),   # 1 and 2 created, 2 resolved
        date(2025, 3, 4): (0, 1),   # 1 resolved
        date(2025, 3, 5): (1, 0),   # 3
        date(2025, 3, 6): (0, 1),   # 3 resolved
        date(2025, 3, 10): (1, 0), date(2025, 3, 12): (1, 0), date(2025, 3, 14): (1, 0),
        date(2025, 3, 15): (1, 0), date(2025, 3, 20): (1, 0),
        date(2025, 3, 25): (0, 1),  # 7 resolved
        date(2025, 3, 28): (1, 0), date(2025, 3, 29): (1, 0),
        date(2025, 3, 31): (2, 0),  # 8 and 10
    }
    assert volume["max"] == 2


def test_created_and_resolved_per_week(app, data, ctx):
    volume = figures.volume(march(app, group="week"))
    # Weeks start on Monday; 2025-03-01 is a Saturday, so the first week starts 02-24.
    assert [(p["start"], p["created"], p["resolved"]) for p in volume["periods"]] == [
        (date(2025, 2, 24), 0, 1),   # 11 resolved on Sunday 03-02
        (date(2025, 3, 3), 3, 3),    # created 1, 2, 3; resolved 2, 1, 3
        (date(2025, 3, 10), 4, 0),   # created 4, 5, 6, 13
        (date(2025, 3, 17), 1, 0),   # created 7
        (date(2025, 3, 24), 2, 1),   # created 9, 14; resolved 7
        (date(2025, 3, 31), 2, 0),   # created 8, 10
    ]


@pytest.mark.parametrize(("args", "created", "resolved"), [
    ({"team": "security"}, 2, 1),     # created 3, 8; resolved 3
    ({"category": "hardware"}, 5, 3),  # created 1, 5, 6, 7, 10; resolved 1, 7, 11
    ({"item": "outage"}, 2, 1),       # created 2, 9; resolved 2
])
def test_volume_honours_team_category_and_item(app, data, ctx, args, created, resolved):
    volume = figures.volume(march(app, **args))
    assert (volume["created"], volume["resolved"]) == (created, resolved)


def test_backlog_by_status_and_age(app, data, ctx):
    backlog = figures.backlog(march(app))
    # Not resolved/closed/rejected/cancelled: 4, 6, 8, 9, 10, 12, 14 (12 is from January:
    # the range does not matter).
    assert backlog["total"] == 7
    assert dict(backlog["by_status"]) == {
        "new": 1, "awaiting_approval": 1, "open": 2, "in_progress": 2,
        "waiting_on_requester": 1, "waiting_on_third_party": 0}
    # Ages at 03-31 12:00: 8 4h, 10 2h (<1 day); 14 1d16h (1-3); 9 3d2h (3-7);
    # 4 21d2h, 6 17d3h (7-30); 12 75d (>30).
    assert dict(backlog["by_age"]) == {"lt1": 2, "1to3": 1, "3to7": 1, "7to30": 2, "gt30": 1}
    security = figures.backlog(march(app, team="security"))
    assert dict(security["by_age"]) == {"lt1": 1, "1to3": 0, "3to7": 0, "7to30": 0, "gt30": 1}
    assert security["total"] == 2


def test_sla_compliance(app, data, ctx):
    sla = figures.sla(march(app))
    # Response: met 1, 3, 7, 9, 10; breached 2 (13:00 > 12:30), 4 and 14 (no answer, due
    # passed); 8 still running (due 13:00 > now); 5, 6, 13 have no due time. 5 / 8 = 62.5 %.
    assert sla["response"]["overall"] == {"met": 5, "breached": 3, "total": 8, "running": 1,
                                          "percent": 62.5}
    # security: 3 met, 8 running -> 1/1. desk: 1, 7, 9, 10 met; 2, 4, 14 breached -> 4/7.
    assert {t: (r["met"], r["total"], r["percent"])
            for t, r in sla["response"]["by_team"].items()} == {
        "security": (1, 1, 100.0), "service-desk": (4, 7, 57.1)}
    # P1: 2 breached (8 running) 0/1; P2: 3, 9 met 2/2; P3: 1, 7, 10 met, 4, 14 breached
    # 3/5; P4: no due times at all.
    assert {p: (r["met"], r["total"], r["percent"])
            for p, r in sla["response"]["by_priority"].items()} == {
        "P1": (0, 1, 0.0), "P2": (2, 2, 100.0), "P3": (3, 5, 60.0), "P4": (0, 0, None)}
    # Resolution: met 1 (03-04 09:00 <= 03-05 09:00); breached 2 (18:00 > 16:00),
    # 3 (03-06 > 03-05), 7 (03-25 > 03-24), 9 (unresolved, due 03-29 passed); running 4, 8,
    # 10, 14 (due after now). 1 / 5 = 20 %.
    assert sla["resolution"]["overall"] == {"met": 1, "breached": 4, "total": 5,
                                            "running": 4, "percent": 20.0}
    assert {t: (r["met"], r["total"], r["percent"])
            for t, r in sla["resolution"]["by_team"].items()} == {
        "security": (0, 1, 0.0), "service-desk": (1, 4, 25.0)}
    assert {p: (r["met"], r["total"], r["percent"])
            for p, r in sla["resolution"]["by_priority"].items()} == {
        "P1": (0, 1, 0.0), "P2": (0, 2, 0.0), "P3": (1, 2, 50.0), "P4": (0, 0, None)}


def test_sla_honours_team_and_item(app, data, ctx):
    # security: 3 (P2) answered in time and resolved late; 8 (P1) due later than now on both.
    sla = figures.sla(march(app, team="security"))
    assert sla["response"]["overall"] == {"met": 1, "breached": 0, "total": 1, "running": 1,
                                          "percent": 100.0}
    assert sla["resolution"]["overall"] == {"met": 0, "breached": 1, "total": 1,
                                            "running": 1, "percent": 0.0}
    assert list(sla["response"]["by_team"]) == ["security"]
    assert {p: r["running"] for p, r in sla["response"]["by_priority"].items()} == {
        "P1": 1, "P2": 0}
    # outage: 2 answered and resolved late; 9 answered in time, unresolved past its due time.
    sla = figures.sla(march(app, item="outage"))
    assert sla["response"]["overall"] == {"met": 1, "breached": 1, "total": 2, "running": 0,
                                          "percent": 50.0}
    assert sla["resolution"]["overall"] == {"met": 0, "breached": 2, "total": 2,
                                            "running": 0, "percent": 0.0}
    assert list(sla["resolution"]["by_team"]) == ["service-desk"]


@pytest.mark.parametrize(("args", "expected"), [
    ({"team": "security"}, [("security-incident", 2)]),                      # 3, 8
    ({"item": "outage"}, [("outage", 2)]),                                   # 2, 9
    ({"category": "hardware"}, [("new-laptop", 3), ("big-purchase", 2)]),    # 1, 7, 10; 5, 6
])
def test_busiest_items_honour_the_filter(app, data, ctx, args, expected):
    assert figures.busiest_items(march(app, **args)) == [
        {"item_id": item, "count": n} for item, n in expected]


def times(flt) -> dict:
    return {"first_response": figures.first_response_times(flt),
            "resolution": figures.resolution_times(flt)}


def test_response_and_resolution_times(app, data, ctx):
    both = times(march(app))
    # First response hours: 1 1h, 2 1h, 3 0.5h, 7 6h, 9 1h, 10 0.5h
    #   sorted [0.5, 0.5, 1, 1, 1, 6], n = 6
    #   median: position 0.5 * 5 = 2.5 -> 1 + 0.5 * (1 - 1) = 1
    #   p90: position 0.9 * 5 = 4.5 -> 1 + 0.5 * (6 - 1) = 3.5
    assert both["first_response"] == {"count": 6, "median": 1.0, "p90": 3.5}
    # Resolution hours: 1 24h, 2 6h, 3 18h, 7 120h -> sorted [6, 18, 24, 120], n = 4
    #   median: position 1.5 -> 18 + 0.5 * 6 = 21
    #   p90: position 2.7 -> 24 + 0.7 * 96 = 91.2
    assert both["resolution"] == {"count": 4, "median": 21.0, "p90": 91.2}


@pytest.mark.parametrize(("args", "first_response", "resolution"), [
    # security: 3 answered after 0.5 h and resolved after 18 h; 8 neither. One value each:
    # every percentile is that value.
    ({"team": "security"}, {"count": 1, "median": 0.5, "p90": 0.5},
     {"count": 1, "median": 18.0, "p90": 18.0}),
    # outage: 2 and 9 both answered after 1 h (a tie); 2 resolved after 6 h.
    ({"item": "outage"}, {"count": 2, "median": 1.0, "p90": 1.0},
     {"count": 1, "median": 6.0, "p90": 6.0}),
    # hardware: answered 1 after 1 h, 7 after 6 h, 10 after 0.5 h -> [0.5, 1, 6]:
    #   median: position 0.5 * 2 = 1 -> 1; p90: position 1.8 -> 1 + 0.8 * (6 - 1) = 5.
    # Resolved 1 after 24 h, 7 after 120 h -> [24, 120]:
    #   median: position 0.5 -> 24 + 0.5 * 96 = 72; p90: position 0.9 -> 24 + 0.9 * 96 = 110.4.
    ({"category": "hardware"}, {"count": 3, "median": 1.0, "p90": 5.0},
     {"count": 2, "median": 72.0, "p90": 110.4}),
])
def test_times_with_one_two_and_three_values(app, data, ctx, args, first_response, resolution):
    assert times(march(app, **args)) == {"first_response": first_response,
                                                 "resolution": resolution}


def test_times_without_data_are_none(app, data, ctx):
    empty = DashboardFilter.from_args({"from": "2024-01-01", "to": "2024-01-31"},
                                      current_catalog(), now=NOW)
    assert times(empty) == {"first_response": {"count": 0, "median": None, "p90": None},
                                    "resolution": {"count": 0, "median": None, "p90": None}}
    assert figures.approval_cycle(empty)["median_hours"] is None
    assert figures.satisfaction(empty)["average"] is None


def test_busiest_items(app, data, ctx):
    # new-laptop: 1, 7, 10; access: 4, 14; big-purchase: 5, 6; outage: 2, 9;
    # security-incident: 3, 8; retired-item: 13 (ties by id). 11 and 12 are out of range.
    assert figures.busiest_items(march(app)) == [
        {"item_id": "new-laptop", "count": 3}, {"item_id": "access", "count": 2},
        {"item_id": "big-purchase", "count": 2}, {"item_id": "outage", "count": 2},
        {"item_id": "security-incident", "count": 2}, {"item_id": "retired-item", "count": 1}]


def test_distinct_values_finds_what_select_distinct_finds(app, data, ctx):
    # The loose index scan behind the SLA and busiest-item figures: every value, once, in
    # order, including those no longer in the catalog (retired-item).
    for column in (Ticket.team_id, Ticket.item_id):
        found = db.session.scalars(select(distinct_values(column, "found").c.value)).all()
        assert found == sorted(set(db.session.scalars(select(column))))
    assert "retired-item" in db.session.scalars(
        select(distinct_values(Ticket.item_id, "found").c.value)).all()


def test_every_figure_on_an_empty_database(app, ctx):
    fig = figures.collect(march(app))
    assert fig["sla"]["response"] == {"overall": {"met": 0, "breached": 0, "total": 0,
                                                  "running": 0, "percent": None},
                                      "by_team": {}, "by_priority": {}}
    assert fig["busiest_items"] == []
    assert fig["first_response_times"] == {"count": 0, "median": None, "p90": None}
    assert fig["volume"]["created"] == 0 and fig["backlog"]["total"] == 0


def test_satisfaction(app, data, ctx):
    # Ratings of tickets created in range: 1 -> 5, 2 -> 2, 3 -> 3, 7 -> 5 (11's 1 is from a
    # February ticket). Average 15 / 4 = 3.75.
    assert figures.satisfaction(march(app)) == {
        "count": 4, "average": 3.75, "distribution": [(1, 0), (2, 1), (3, 1), (4, 0), (5, 2)],
        "max": 2}


def test_approval_cycle(app, data, ctx):
    # Finished: 4 approved after 4h, 5 rejected after 24h (03-12 09:00 -> 03-13 09:00),
    # 7 approved after 2h; 6 still waits on step 2; 11 is out of range. Median of [2, 4, 24].
    assert figures.approval_cycle(march(app)) == {
        "finished": 3, "approved": 2, "rejected": 1, "median_hours": 4.0}


def test_self_help(app, data, ctx):
    assert figures.self_help(march(app)) == {
        # vpn, printer, wifi, zzz in range (old and future are not); printer and zzz found
        # nothing: 2 / 4.
        "searches": 4, "zero_results": 2, "zero_share": 50.0,
        # 03-05 and 03-06 on A1, 03-07 on A2, 03-31 on A4 (02-27 is out): 4.
        "deflections": 4,
        "top_deflecting": [{"slug": "a1", "title": "VPN setup", "count": 2},
                           {"slug": "a2", "title": "Printer help", "count": 1},
                           {"slug": "a4", "title": "Wi-Fi", "count": 1}],
        # Published articles only: yes 3 + 1 = 4, no 1 + 1 = 2 -> 4 / 6 = 66.7 %.
        "helpful_yes": 4, "helpful_no": 2, "helpful_ratio": 66.7,
        # The draft's 500 views do not count, nor A4's none.
        "top_viewed": [{"slug": "a2", "title": "Printer help", "views": 100},
                       {"slug": "a1", "title": "VPN setup", "views": 40}],
    }


def test_collect_gives_every_figure_as_computed_alone(app, data, ctx):
    # collect() runs the figures two at a time on their own connections.
    flt = march(app, group="week")
    assert figures.collect(flt) == {name: figure(flt) for name, figure in figures.FIGURES.items()}


# --- filters ---------------------------------------------------------------------------


def from_args(args):
    return DashboardFilter.from_args(args, current_catalog(), now=NOW)


def test_default_filter_is_the_last_30_days(app, ctx):
    flt = from_args({})
    assert (flt.start, flt.end, flt.group, flt.messages) == (
        date(2025, 3, 2), date(2025, 3, 31), "day", [])
    assert (flt.since, flt.until) == (at(3, 2), at(4, 1))


@pytest.mark.parametrize(("args", "start", "end", "group", "message"), [
    ({"from": "2025-02-30"}, date(2025, 3, 2), date(2025, 3, 31), "day",
     "“2025-02-30” is not a date (YYYY-MM-DD): the default is used instead."),
    ({"from": "yesterday", "to": "2025-01-31"}, date(2025, 1, 2), date(2025, 1, 31), "day",
     "“yesterday” is not a date (YYYY-MM-DD): the default is used instead."),
    ({"to": "0001-01-01"}, date(2025, 3, 2), date(2025, 3, 31), "day",
     "“0001-01-01” is not a date (YYYY-MM-DD): the default is used instead."),
    ({"from": "2025-03-31", "to": "2025-03-01"}, date(2025, 3, 1), date(2025, 3, 31), "day",
     "The end date was before the start date: the two have been swapped."),
    ({"from": "2015-01-01", "to": "2025-03-31"}, date(2022, 3, 31), date(2025, 3, 31), "week",
     "A range can cover at most three years: showing Mar 31, 2022 to Mar 31, 2025."),
    ({"from": "2025-01-01", "to": "2025-03-31", "group": "month"}, date(2025, 1, 1),
     date(2025, 3, 31), "week", "Unknown grouping “month”: chosen automatically."),
    ({"from": "2023-01-01", "to": "2025-03-31", "group": "day"}, date(2023, 1, 1),
     date(2025, 3, 31), "week",
     "More than a year of days is too many to draw: grouped by week."),
    ({"team": "nope"}, date(2025, 3, 2), date(2025, 3, 31), "day",
     "There is no team “nope”: showing every team."),
    ({"category": "nope"}, date(2025, 3, 2), date(2025, 3, 31), "day",
     "There is no category “nope”: showing every category."),
    ({"item": "nope"}, date(2025, 3, 2), date(2025, 3, 31), "day",
     "There is no catalog item “nope”: showing every item."),
])
def test_bad_filters_fall_back_with_a_message(app, ctx, args, start, end, group, message):
    flt = from_args(args)
    assert (flt.start, flt.end, flt.group) == (start, end, group)
    assert flt.messages == [message]
    assert (flt.team, flt.category, flt.item) == ("", "", "")


def test_grouping_is_automatic_by_length(app, ctx):
    # 2025-01-29 to 2025-03-31: 3 + 28 + 31 = 62 days, per day; one day more, per week.
    assert from_args({"from": "2025-01-29", "to": "2025-03-31"}).group == "day"
    assert from_args({"from": "2025-01-28", "to": "2025-03-31"}).group == "week"
    assert from_args({"from": "2025-03-01", "to": "2025-03-31", "group": "week"}).group == "week"


# --- the page --------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), [
    ("requester", 404), ("agent", 404), ("manager", 200), ("admin", 200)])
def test_only_managers_and_admins_see_the_dashboard(client, login, people, role, status):
    login(people[role])
    assert client.get("/dashboard").status_code == status
    assert client.get("/dashboard/export.csv").status_code == status
    nav = client.get("/").get_data(as_text=True)
    assert ('href="/dashboard"' in nav) == (status == 200)


def test_signed_out_people_are_sent_to_sign_in(client):
    for url in ("/dashboard", "/dashboard/export.csv"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("query", [
    "from=2025-13-45&to=x", "from=&to=", "from=9999-12-31&to=0001-01-01",
    "from=2025-03-01&to=2025-03-31&group=%3Cscript%3E", "team=%3Cb%3E&category=%25&item=..%2F",
    "from=" + "9" * 500, "group=day&from=1970-01-01&to=9998-12-31", "from=1970-01-01",
    "to=9998-12-31&group=day", "from[]=1&to=2025-03-01",
])
def test_bad_filters_never_fail(client, login, people, data, query):
    login(people["manager"])
    page = client.get("/dashboard?" + query)
    assert page.status_code == 200
    assert "<script" not in page.get_data(as_text=True).split("<main", 1)[1].split("</main>")[0]
    assert client.get("/dashboard/export.csv?" + query).status_code == 200


def test_the_page_shows_the_figures_with_tables(client, login, people, data):
    login(people["manager"])
    html = client.get("/dashboard?from=2025-03-01&to=2025-03-31").get_data(as_text=True)
    # Every chart is an image with a summary and has a table with a caption beside it.
    assert html.count('role="img"') == 5  # volume, backlog x2, ratings, busiest items
    assert 'aria-label="Column chart of tickets created and resolved per day' in html
    assert "<caption" in html and 'scope="row"' in html and 'scope="col"' in html
    assert "style=" not in html.split("<main", 1)[1]  # the CSP forbids inline styles
    # The per-day table: 03-03 had 2 created and 1 resolved.
    assert ('<time datetime="2025-03-03">Mar 3, 2025</time></th><td>2</td><td>1</td>'
            in html)
    assert "12</dd>" in html and "5</dd>" in html        # created and resolved
    assert "7 open tickets" in html
    # With the real clock every due time is past: response 5 met, 4 breached (8 too) ->
    # 55.6 %; resolution 1 met, 8 breached (4, 8, 10, 14 too) -> 11.1 %.
    assert "55.6%" in html and "5 of 9" in html
    assert "11.1%" in html and "1 of 9" in html
    assert "3.75 out of 5" in html
    assert "Request a new laptop" in html   # catalog names for items...
    assert "retired-item" in html           # ...and the id of one no longer in the catalog
    assert "4.0 h" in html                  # approval median
    assert "66.7%" in html and "50.0%" in html
    assert 'href="/dashboard/export.csv?from=2025-03-01&amp;to=2025-03-31"' in html


def test_htmx_gets_only_the_figures(client, login, people, data):
    login(people["manager"])
    response = client.get("/dashboard?from=2025-03-01&to=2025-03-31&team=security",
                          headers={"HX-Request": "true", "HX-Target": "dashboard-results"})
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="dashboard-results"')
    assert "<html" not in html and "Security" in html
    assert "HX-Request" in response.headers["Vary"]


# --- the CSV export --------------------------------------------------------------------
# As an admin, who may open every ticket; what a manager's export holds is tested with the
# other lists in test_lists_show_only_readable_tickets.py.


def read_csv(response_or_text):
    text = (response_or_text if isinstance(response_or_text, str)
            else response_or_text.get_data(as_text=True))
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


@pytest.mark.parametrize(("query", "numbers"), [
    ("from=2025-03-01&to=2025-03-31", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 14]),
    ("from=2025-03-01&to=2025-03-31&team=security", [3, 8]),
    ("from=2025-03-01&to=2025-03-31&category=hardware", [1, 5, 6, 7, 10]),
    ("from=2025-03-01&to=2025-03-31&item=outage", [2, 9]),
    ("from=2025-03-31&to=2025-03-31", [8, 10]),
    ("from=2025-01-01&to=2025-02-28", [11, 12]),
    ("from=2024-01-01&to=2024-12-31", []),
])
def test_export_rows_match_the_filter(client, login, people, data, query, numbers):
    login(people["admin"])
    response = client.get("/dashboard/export.csv?" + query)
    assert response.status_code == 200 and response.is_streamed
    assert response.mimetype == "text/csv"
    assert [row["number"] for row in read_csv(response)] == [f"T-{n:06d}" for n in numbers]


def test_export_columns_values_and_filename(client, login, people, data):
    login(people["admin"])
    response = client.get("/dashboard/export.csv?from=2025-03-01&to=2025-03-31")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="tickets-2025-03-01-to-2025-03-31.csv"')
    rows = {row["number"]: row for row in read_csv(response)}
    assert list(rows["T-000001"]) == list(export.COLUMNS)
    assert rows["T-000001"] == {
        "number": "T-000001", "type": "request", "title": "Ticket 1", "status": "closed",
        "priority": "P3", "team": "Service Desk", "category": "Hardware",
        "item": "Request a new laptop", "requester_email": "requester@example.com",
        "assignee_email": "agent@example.com", "created_at": "2025-03-03T09:00:00Z",
        "first_response_at": "2025-03-03T10:00:00Z", "resolved_at": "2025-03-04T09:00:00Z",
        "closed_at": "2025-03-07T00:00:00Z", "response_due_at": "2025-03-03T17:00:00Z",
        "resolution_due_at": "2025-03-05T09:00:00Z", "response_met": "yes",
        "resolution_met": "yes", "rating": "5"}
    assert (rows["T-000002"]["response_met"], rows["T-000002"]["resolution_met"]) == ("no", "no")
    assert rows["T-000005"]["response_met"] == ""          # no due time
    assert rows["T-000013"]["item"] == "retired-item"      # gone from the catalog: the id
    assert rows["T-000008"]["assignee_email"] == ""


def test_export_neutralises_formulas(client, login, people, data):
    login(people["admin"])
    rows = {row["number"]: row for row in read_csv(
        client.get("/dashboard/export.csv?from=2025-03-01&to=2025-03-31"))}
    for n, title in FORMULAS.items():
        assert rows[f"T-{n:06d}"]["title"] == "'" + title
    assert export.neutralise("=1+2") == "'=1+2"
    assert export.neutralise("@x") == "'@x" and export.neutralise("a=b") == "a=b"


def test_export_reads_in_keyset_chunks(client, login, people, data, monkeypatch):
    monkeypatch.setattr(export, "CHUNK", 5)
    login(people["admin"])
    response = client.get("/dashboard/export.csv?from=2025-03-01&to=2025-03-31")
    chunks = [piece.decode() for piece in response.iter_encoded() if piece]
    # The header, then 12 rows in chunks of 5, 5 and 2 - each read by its own query.
    assert [chunk.count("\n") for chunk in chunks] == [1, 5, 5, 2]
    assert [row["number"] for row in read_csv("".join(chunks))] == [
        f"T-{n:06d}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 14)]


# --- figures shared for a minute --------------------------------------------------------


def redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


def count_collects(monkeypatch) -> list:
    calls = []
    real = figures.collect
    monkeypatch.setattr(figures, "collect", lambda flt: calls.append(flt) or real(flt))
    return calls


def test_figures_are_kept_for_the_configured_time_and_say_when(
        app, client, login, people, data, monkeypatch):
    monkeypatch.setitem(app.config, "DASHBOARD_CACHE_SECONDS", 60)
    calls = count_collects(monkeypatch)
    login(people["manager"])
    first = client.get("/dashboard?from=2025-03-01&to=2025-03-31").get_data(as_text=True)
    again = client.get("/dashboard?from=2025-03-01&to=2025-03-31").get_data(as_text=True)
    other = client.get("/dashboard?from=2025-03-01&to=2025-03-30").get_data(as_text=True)
    assert len(calls) == 2  # the same filter once, another filter computed afresh
    assert "Figures as of" in first and first.split("Figures as of")[1][:40] == \
        again.split("Figures as of")[1][:40]
    assert "Figures as of" in other


@pytest.mark.skipif(not os.environ.get("CI") and not redis_reachable(),
                    reason="Redis is not running on 127.0.0.1:6379")
def test_two_portal_processes_share_the_figures_through_redis(app, people, data, monkeypatch):
    """Two app instances (two workers) with one REDIS_URL: the second reads the first's."""
    from portal.ops.cache import SharedCache

    prefix = f"portal-test-{uuid.uuid4().hex}:"
    caches = [SharedCache("redis://127.0.0.1:6379/15", prefix, figures.CACHED_ENUMS)
              for _ in range(2)]
    calls = count_collects(monkeypatch)
    with app.test_request_context("/dashboard"):
        flt = march(app)
        first, first_at = caches[0].remember("dashboard:x", 60, lambda: figures.collect(flt))
        second, second_at = caches[1].remember("dashboard:x", 60, lambda: figures.collect(flt))
    assert len(calls) == 1 and second == first and second_at == first_at
    caches[0]._redis.delete(prefix + "dashboard:x")


def test_an_unreachable_redis_means_computing_not_failing(app, people, data):
    from portal.ops.cache import SharedCache

    cache = SharedCache("redis://127.0.0.1:1/0")
    assert cache.remember("k", 60, lambda: {"n": 1})[0] == {"n": 1}
