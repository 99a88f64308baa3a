"""Every list and export shows only tickets the reader may open: a row is a read.

A small world of two requesters' ordinary and restricted tickets (with approvals, links and
an assignment to an agent who has left the team) is read by every kind of person. For each,
every page reachable from the routes without arguments (and the lists' own filters) is
fetched, and every ticket number found in it must open for that person: a 404 on the ticket's
page for a number a list showed them is a leak. A new page is covered by being linked or by
having no arguments.
"""

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest

from portal.auth.models import TeamMember
from portal.extensions import db
from portal.tickets.models import (
    Approval,
    ApproverKind,
    Decision,
    Event,
    EventKind,
    Ticket,
    TicketLink,
    TicketType,
)
from tests.conftest import csrf_token

HREF = re.compile(r'href="(/[^"#]*)"')
# Lists' own filters, beside whatever the pages link to.
VARIANTS = ("/queue?view=mine&status=all", "/queue?view=unassigned&status=all",
            "/queue?status=all", "/queue?status=all&team=security", "/my/requests?state=all",
            "/approvals", "/dashboard/export.csv", "/dashboard/export.csv?team=security",
            "/queue?status=all&q=Title", "/search?q=VPN")
SKIP = ("/static/", "/logout", "/login")
MAX_PAGES = 120


@pytest.fixture
def world(app, make_user):
    """Rita (managed by Manny) and Otto (managed by Olga), each with an ordinary and a
    restricted security ticket; agents of either team; one agent still assigned a restricted
    ticket after leaving the security team; an admin."""
    manny = make_user("manny@example.com", role="manager")
    olga = make_user("olga@example.com", role="manager")
    people = {
        "manny": manny, "olga": olga,
        "rita": make_user("rita@example.com", manager=manny),
        "otto": make_user("otto@example.com", manager=olga),
        "desk": make_user("desk@example.com", role="agent"),
        "sec": make_user("sec@example.com", role="agent"),
        "gone": make_user("gone@example.com", role="agent"),
        "ada": make_user("ada@example.com", role="admin"),
    }
    with app.app_context():
        db.session.add_all([TeamMember(team_id="service-desk", user_id=people["desk"].id),
                            TeamMember(team_id="security", user_id=people["sec"].id),
                            TeamMember(team_id="service-desk", user_id=people["gone"].id)])
        created = datetime.now(UTC) - timedelta(days=1)

        def ticket(number, requester, restricted, status="open", assignee=None, steps=()):
            found = Ticket(
                number=number, type=TicketType.INCIDENT if restricted else TicketType.REQUEST,
                title=f"Title of {number}", status=status, priority="P3",
                team_id="security" if restricted else "service-desk", category_id="help",
                item_id="security-incident" if restricted else "new-laptop", item_version="1",
                item_name="x", restricted=restricted, requester_id=people[requester].id,
                assignee_id=people[assignee].id if assignee else None, created_at=created)
            found.events = [Event(actor_id=people[requester].id, kind=EventKind.CREATED)]
            for step, approver in enumerate(steps, start=1):
                found.approvals.append(Approval(step=step, kind=ApproverKind.USER,
                                                approver_id=people[approver].id,
                                                decision=Decision.PENDING))
            db.session.add(found)
            return found

        rita_req = ticket("REQ-000001", "rita", False, "awaiting_approval", steps=["olga"])
        rita_inc = ticket("INC-000001", "rita", True, "awaiting_approval", steps=["manny"])
        otto_req = ticket("REQ-000002", "otto", False, assignee="desk")
        otto_inc = ticket("INC-000002", "otto", True, assignee="gone")
        db.session.flush()
        for one, other in ((otto_req, otto_inc), (otto_req, rita_req), (rita_req, rita_inc)):
            db.session.add(TicketLink(ticket_id=one.id, other_id=other.id,
                                      created_by_id=people["ada"].id))
            one.events.append(Event(actor_id=people["ada"].id, kind=EventKind.LINK,
                                    new_value=other.number))
            other.events.append(Event(actor_id=people["ada"].id, kind=EventKind.LINK,
                                      new_value=one.number))
        db.session.commit()
    return people


NUMBERS = ("REQ-000001", "INC-000001", "REQ-000002", "INC-000002")
NUMBER = re.compile("|".join(NUMBERS))


def sign_in_as(client, login, user):
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    login(user)


def start_urls(app) -> list[str]:
    """Every GET route that takes no argument, then the lists' filters."""
    plain = sorted(rule.rule for rule in app.url_map.iter_rules()
                   if "GET" in rule.methods and not rule.arguments
                   and not rule.rule.startswith(SKIP))
    return [*plain, *VARIANTS]


def crawl(app, client) -> dict[str, set[str]]:
    """{url: ticket numbers in its body} for the pages reachable from start_urls(), each
    path followed once (a list's many sort and filter links would repeat the same rows)."""
    seen_paths, found, todo = set(), {}, start_urls(app)
    while todo and len(found) < MAX_PAGES:
        url = todo.pop(0)
        if url in found:
            continue
        response = client.get(url)
        assert response.status_code < 500, url
        body = response.get_data(as_text=True)
        found[url] = set(NUMBER.findall(body))
        for link in HREF.findall(body):
            link = link.replace("&amp;", "&")
            path = urlsplit(link).path
            if path in seen_paths or path.startswith(SKIP) or "lang=" in link:
                continue
            seen_paths.add(path)
            todo.append(link)
    return found


@pytest.mark.parametrize("who", ["rita", "otto", "manny", "olga", "desk", "sec", "gone", "ada"])
def test_no_list_or_export_shows_a_ticket_its_reader_cannot_open(app, client, login, world,
                                                                 who):
    sign_in_as(client, login, world[who])
    pages = crawl(app, client)
    readable = {n for n in NUMBERS if client.get(f"/tickets/{n}").status_code == 200}
    leaks = {url: numbers - readable for url, numbers in pages.items() if numbers - readable}
    assert leaks == {}
    # Not vacuous: every ticket this person may open is listed somewhere they can reach.
    assert readable and set().union(*pages.values()) >= readable


def export_numbers(client, query="") -> list[str]:
    response = client.get("/dashboard/export.csv" + query)
    assert response.status_code == 200
    return [line.split(",", 1)[0] for line in response.get_data(as_text=True).splitlines()[1:]]


@pytest.mark.parametrize(("who", "expected"), [
    # Rita's manager: her ordinary ticket, not her restricted one (nor Otto's).
    ("manny", ["REQ-000001"]),
    # Otto's manager, and the approver of Rita's request.
    ("olga", ["REQ-000001", "REQ-000002"]),
    ("ada", ["REQ-000001", "INC-000001", "REQ-000002", "INC-000002"]),
])
def test_the_dashboard_export_holds_only_what_its_reader_may_open(client, login, world, who,
                                                                  expected):
    sign_in_as(client, login, world[who])
    assert export_numbers(client) == expected
    for number in expected:
        assert client.get(f"/tickets/{number}").status_code == 200


def test_the_figures_still_count_every_ticket(client, login, world):
    sign_in_as(client, login, world["manny"])
    page = client.get("/dashboard").get_data(as_text=True)
    assert "4</dd>" in page  # four created, though Manny may open one of them


def test_an_approver_who_may_not_open_the_ticket_leaves_the_step_to_an_admin(
        app, client, login, world):
    """Manny must approve Rita's restricted incident, which only Security may read."""
    sign_in_as(client, login, world["manny"])
    assert "INC-000001" not in client.get("/approvals").get_data(as_text=True)
    with app.app_context():
        step = db.session.scalar(db.select(Approval).join(Approval.ticket)
                                 .where(Ticket.number == "INC-000001"))
        step_id = step.id
    assert client.post(f"/approvals/{step_id}", data={
        "decision": "approve", "csrf_token": csrf_token(client)}).status_code == 404
    sign_in_as(client, login, world["ada"])
    stuck = client.get("/approvals").get_data(as_text=True).split("Needs an administrator")[1]
    assert "INC-000001" in stuck


def test_an_agent_who_left_the_team_no_longer_lists_its_restricted_ticket(client, login,
                                                                          world):
    sign_in_as(client, login, world["gone"])
    mine = client.get("/queue?view=mine&status=all").get_data(as_text=True)
    assert "INC-000002" not in mine
    assert client.get("/tickets/INC-000002").status_code == 404


def test_related_tickets_show_only_readable_ones(client, login, world):
    sign_in_as(client, login, world["desk"])
    page = client.get("/tickets/REQ-000002").get_data(as_text=True)
    assert "REQ-000001" in page and "INC-000002" not in page
    sign_in_as(client, login, world["sec"])
    assert "INC-000002" in client.get("/tickets/REQ-000002").get_data(as_text=True)
