"""The admin pages for people and teams: access, search, add, edit and the rules that guard them."""

import re

import pytest

from portal.auth.models import Role, TeamMember, User, find_user
from portal.extensions import db

NASTY = ["", " ", "'; DROP TABLE users; --", "<script>alert(1)</script>", "%", "_",
         "../../etc/passwd", "9" * 400, "ü" * 5000, "-1", "1e999999", "NaN"]


@pytest.fixture
def admin(make_user, login):
    user = make_user("admin@example.com", name="Ada Admin", role="admin")
    login(user)
    return user


def person(app, email) -> User:
    with app.app_context():
        user = find_user(email)
        db.session.expunge(user)
        return user


def teams_of(app, user) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(
            db.select(TeamMember.team_id).where(TeamMember.user_id == user.id)))


def join(app, user, *team_ids):
    with app.app_context():
        db.session.add_all(TeamMember(team_id=t, user_id=user.id) for t in team_ids)
        db.session.commit()


def edit_data(user, manager=None, teams=(), **changes):
    """The edit form as a browser would send it, unchanged except for `changes`."""
    data = {"name": user.name, "role": user.role.value, "locale": user.locale or "",
            "manager": manager.email if manager else "", "teams": list(teams)}
    if user.active:
        data["active"] = "y"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def field_error(page: str, field_id: str) -> str:
    """The error list shown next to a field (and the field refers to it)."""
    assert f'aria-describedby="{field_id}-error"' in page or \
        f'aria-describedby="{field_id}-help {field_id}-error"' in page
    match = re.search(rf'<ul class="field-errors" id="{field_id}-error">(.*?)</ul>', page, re.S)
    assert match, f"no error next to {field_id}"
    return match.group(1)


# Access

@pytest.mark.parametrize("url", ["/admin/people", "/admin/people/1", "/admin/teams"])
def test_signed_out_people_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["requester", "agent", "manager"])
def test_everyone_but_admins_gets_a_404(client, make_user, login, post, role):
    user = make_user(f"{role}@example.com", role=role)
    login(user)
    for url in ("/admin/people", f"/admin/people/{user.id}", "/admin/teams"):
        assert client.get(url).status_code == 404, url
    assert post("/admin/people", {"name": "X", "email": "x@example.com",
                                  "role": "admin"}).status_code == 404
    assert post(f"/admin/people/{user.id}", edit_data(user, role="admin")).status_code == 404
    assert person(client.application, user.email).role == Role(role)


def test_a_missing_person_is_a_404(client, admin):
    assert client.get("/admin/people/999999").status_code == 404
    assert client.get("/admin/people/99999999999999999999").status_code == 404


# The list

def test_search_matches_name_or_email_ignoring_case(client, admin, make_user):
    make_user("alice@example.com", name="Alice Archer", role="agent")
    make_user("bob@corp.example", name="Bob Builder")
    page = client.get("/admin/people", query_string={"q": "ALICE"}).get_data(as_text=True)
    assert "Alice Archer" in page and "Bob Builder" not in page
    page = client.get("/admin/people", query_string={"q": "CORP.ex"}).get_data(as_text=True)
    assert "Bob Builder" in page and "Alice Archer" not in page


def test_like_wildcards_are_taken_literally(client, admin, make_user):
    make_user("bob@example.com", name="Bob Builder")
    page = client.get("/admin/people", query_string={"q": "%"}).get_data(as_text=True)
    assert "Bob Builder" not in page and "Nobody matches." in page


def test_role_filter(client, admin, make_user):
    make_user("alice@example.com", name="Alice Archer", role="agent")
    make_user("bob@example.com", name="Bob Builder")
    page = client.get("/admin/people", query_string={"role": "agent"}).get_data(as_text=True)
    assert "Alice Archer" in page and "Bob Builder" not in page
    page = client.get("/admin/people", query_string={"role": "nonsense"}).get_data(as_text=True)
    assert "Alice Archer" in page and "Bob Builder" in page


def test_list_shows_role_manager_teams_and_state(app, client, admin, make_user):
    boss = make_user("boss@example.com", name="Bea Boss", role="manager")
    agent = make_user("agent@example.com", name="Al Agent", role="agent", manager=boss)
    join(app, agent, "security")
    row = re.search(r"<tr>\s*<td><a [^>]*>Al Agent</a>.*?</tr>",
                    client.get("/admin/people").get_data(as_text=True), re.S).group(0)
    assert "agent@example.com" in row and "Agent" in row and "Bea Boss" in row
    assert "Security" in row and "Yes" in row


def test_pages(app, client, admin, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    for name in ("Bo", "Cy", "Di"):
        make_user(f"{name.lower()}@example.com", name=name)
    first = client.get("/admin/people").get_data(as_text=True)
    assert "Page 1 of 2" in first and ">Ada Admin<" in first and ">Di<" not in first
    second = client.get("/admin/people", query_string={"page": "2"}).get_data(as_text=True)
    assert ">Cy<" in second and ">Di<" in second and ">Ada Admin<" not in second
    assert "Page 1 of 2" in client.get("/admin/people?page=x").get_data(as_text=True)


def test_names_are_escaped(client, admin, make_user):
    make_user("evil@example.com", name="<script>alert(1)</script>")
    page = client.get("/admin/people").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page


# Adding people

def test_add_a_person_with_a_password(app, client, admin, post, make_user):
    boss = make_user("boss@example.com", name="Bea Boss", role="manager")
    response = post("/admin/people", {"name": " Nia New ", "email": "Nia@Example.com",
                                      "role": "agent", "manager": "BOSS@example.com",
                                      "password": "long-enough-pass"})
    assert response.status_code == 303
    nia = person(app, "nia@example.com")
    assert (nia.name, nia.role, nia.manager_id) == ("Nia New", Role.AGENT, boss.id)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Nia New was added." in page
    with app.app_context():
        assert find_user("nia@example.com").check_password("long-enough-pass")


def test_add_without_a_password_shows_a_generated_one_once(app, client, admin, post, login):
    response = post("/admin/people", {"name": "Gen", "email": "gen@example.com",
                                      "role": "requester"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    password = re.search(r'<p class="admin-secret"><code>([^<]+)</code>',
                         response.get_data(as_text=True)).group(1)
    assert len(password) >= 12
    with app.app_context():
        assert find_user("gen@example.com").check_password(password)


@pytest.mark.parametrize("data, field, message", [
    ({"email": "ADMIN@example.com"}, "email", "Someone already has this email."),
    ({"email": "not-an-email"}, "email", "Enter an email such as name@example.com."),
    ({"name": "   "}, "name", "Enter the person's name."),
    ({"manager": "ghost@example.com"}, "manager", "Nobody has this email."),
    ({"password": "short"}, "password", "Use between 10 and 200 characters."),
    ({"role": "emperor"}, "role", "Not a valid choice."),
])
def test_add_refuses_bad_input_next_to_the_field(app, client, admin, post, data, field,
                                                  message):
    response = post("/admin/people", {"name": "Nia", "email": "nia@example.com",
                                      "role": "agent", **data})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in field_error(page, field)
    assert 'aria-invalid="true"' in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 1


def test_add_refuses_an_inactive_manager(app, client, admin, post, make_user):
    gone = make_user("gone@example.com", name="<b>Gone</b>")
    with app.app_context():
        db.session.get(User, gone.id).active = False
        db.session.commit()
    response = post("/admin/people", {"name": "Nia", "email": "nia@example.com",
                                      "role": "agent", "manager": "gone@example.com"})
    assert response.status_code == 422
    # The refusal names the person: their name is escaped like any other output.
    assert "&lt;b&gt;Gone&lt;/b&gt; is deactivated" in field_error(
        response.get_data(as_text=True), "manager")
    with app.app_context():
        assert find_user("nia@example.com") is None


# Editing people

def test_edit_role_manager_language_and_teams(app, client, admin, post, make_user):
    boss = make_user("boss@example.com", name="Bea Boss", role="manager")
    al = make_user("al@example.com", name="Al", role="requester")
    join(app, al, "service-desk")
    page = client.get(f"/admin/people/{al.id}").get_data(as_text=True)
    assert "Service Desk" in page and "tier 1" in page and "Security" in page
    response = post(f"/admin/people/{al.id}", edit_data(
        al, manager=boss, teams=["security"], role="agent", locale="pl"))
    assert response.status_code == 303
    al = person(app, "al@example.com")
    assert (al.role, al.manager_id, al.locale) == (Role.AGENT, boss.id, "pl")
    assert teams_of(app, al) == {"security"}
    flashed = client.get(response.headers["Location"]).get_data(as_text=True)
    for words in ("role is now Agent", "manager is now Bea Boss", "language is now Polski",
                  "added to Security", "removed from Service Desk"):
        assert words in flashed


def test_unticking_every_team_and_active_clears_them(app, client, admin, post, make_user):
    al = make_user("al@example.com", name="Al", role="agent")
    join(app, al, "service-desk", "security")
    response = post(f"/admin/people/{al.id}", edit_data(al, active=None))
    assert response.status_code == 303
    assert teams_of(app, al) == set()
    assert person(app, al.email).active is False


def test_saving_unchanged_says_so(app, client, admin, post, make_user):
    al = make_user("al@example.com", name="Al")
    response = post(f"/admin/people/{al.id}", edit_data(al), follow_redirects=True)
    assert "Nothing changed for Al." in response.get_data(as_text=True)


def test_clearing_the_manager(app, client, admin, post, make_user):
    boss = make_user("boss@example.com", name="Bea Boss", role="manager")
    al = make_user("al@example.com", name="Al", manager=boss)
    response = post(f"/admin/people/{al.id}", edit_data(al), follow_redirects=True)
    assert "no manager (was Bea Boss)" in response.get_data(as_text=True)
    assert person(app, al.email).manager_id is None


def test_a_stale_team_membership_can_be_seen_and_removed(app, client, admin, post, make_user):
    al = make_user("al@example.com", name="Al", role="agent")
    join(app, al, "old-team", "security")
    page = client.get(f"/admin/people/{al.id}").get_data(as_text=True)
    assert "old-team" in page and "no longer in the catalog" in page
    assert post(f"/admin/people/{al.id}", edit_data(
        al, teams=["security", "old-team"])).status_code == 303
    assert teams_of(app, al) == {"security", "old-team"}
    assert post(f"/admin/people/{al.id}", edit_data(al, teams=["security"])).status_code == 303
    assert teams_of(app, al) == {"security"}


def test_an_unknown_team_is_refused(app, client, admin, post, make_user):
    al = make_user("al@example.com", name="Al", role="agent")
    response = post(f"/admin/people/{al.id}", edit_data(al, teams=["made-up"]))
    assert response.status_code == 422
    assert "made-up" in response.get_data(as_text=True)
    assert teams_of(app, al) == set()


def test_nobody_is_their_own_manager(app, client, admin, post, make_user):
    al = make_user("al@example.com", name="Al")
    response = post(f"/admin/people/{al.id}", edit_data(al, manager=al))
    assert response.status_code == 422
    assert "cannot be their own manager" in field_error(response.get_data(as_text=True),
                                                        "manager")


def test_a_manager_cycle_is_refused_and_nothing_is_saved(app, client, admin, post, make_user):
    top = make_user("top@example.com", name="Top", role="manager")
    mid = make_user("mid@example.com", name="Mid", role="manager", manager=top)
    low = make_user("low@example.com", name="Low", manager=mid)
    response = post(f"/admin/people/{top.id}", edit_data(top, manager=low, name="Top Renamed",
                                                          role="agent"))
    assert response.status_code == 422
    message = field_error(response.get_data(as_text=True), "manager")
    assert "Low already reports to Top" in message and "circle of managers" in message
    top = person(app, "top@example.com")
    assert (top.name, top.role, top.manager_id) == ("Top", Role.MANAGER, None)


def test_the_last_active_admin_keeps_the_role(app, client, admin, post):
    response = post(f"/admin/people/{admin.id}", edit_data(admin, role="agent"))
    assert response.status_code == 422
    assert "Ada Admin is the last active admin" in field_error(
        response.get_data(as_text=True), "role")
    response = post(f"/admin/people/{admin.id}", edit_data(admin, active=None))
    assert response.status_code == 422
    assert "cannot be deactivated" in field_error(response.get_data(as_text=True), "active")
    me = person(app, admin.email)
    assert (me.role, me.active) == (Role.ADMIN, True)


def test_with_another_admin_one_may_step_down(app, client, admin, post, make_user):
    make_user("second@example.com", name="Second", role="admin")
    response = post(f"/admin/people/{admin.id}", edit_data(admin, role="agent"))
    assert response.status_code == 303
    assert response.headers["Location"] == "/"  # no longer allowed on the admin pages
    assert person(app, admin.email).role == Role.AGENT
    assert client.get("/admin/people").status_code == 404


def test_an_inactive_admin_does_not_count(app, client, admin, post, make_user):
    other = make_user("second@example.com", name="Second", role="admin")
    with app.app_context():
        db.session.get(User, other.id).active = False
        db.session.commit()
    response = post(f"/admin/people/{admin.id}", edit_data(admin, role="agent"))
    assert response.status_code == 422


# Teams

def test_teams_page_lists_members_and_unknown_teams(app, client, admin, make_user):
    al = make_user("al@example.com", name="Al Agent", role="agent")
    join(app, al, "security", "old-team")
    page = client.get("/admin/teams").get_data(as_text=True)
    assert "Service Desk" in page and "Security" in page and "tier 2" in page
    security = page[page.index("Security"):page.index("Unknown teams")]
    assert f'href="/admin/people/{al.id}"' in security
    assert "old-team" in page[page.index("Unknown teams"):]


# Bad input

def test_posts_without_a_csrf_token_are_refused(app, client, admin, make_user):
    al = make_user("al@example.com", name="Al")
    for url, data in (("/admin/people", {"name": "X", "email": "x@example.com",
                                         "role": "admin"}),
                      (f"/admin/people/{al.id}", edit_data(al, role="admin"))):
        response = client.post(url, data=data)
        assert response.status_code == 400
        assert "Your form expired" in response.get_data(as_text=True)
    assert person(app, al.email).role == Role.REQUESTER
    with app.app_context():
        assert find_user("x@example.com") is None


@pytest.mark.parametrize("value", NASTY)
def test_bad_input_is_never_a_500(app, client, admin, post, make_user, value):
    al = make_user("al@example.com", name="Al")
    for key in ("q", "role", "page"):
        assert client.get("/admin/people", query_string={key: value}).status_code == 200
    assert client.get(f"/admin/people/{value}").status_code in (404, 308)
    for name in ("name", "email", "role", "manager", "password"):
        data = {"name": "Nia", "email": "nia@example.com", "role": "agent", name: value}
        response = post("/admin/people", data)
        assert response.status_code in (200, 303, 422), (name, value)
    for name in ("name", "role", "manager", "locale", "active", "teams"):
        response = post(f"/admin/people/{al.id}", {**edit_data(al), name: value})
        assert response.status_code in (303, 422), (name, value)
