"""Bad input of any kind gets a clear answer, never a 500."""

import pytest

NASTY = ["", " ", "\x00", "'; DROP TABLE tickets; --", "<script>alert(1)</script>",
         "%00", "../../etc/passwd", "9" * 400, "ü" * 5000, "\ud7ff", "-1", "1e999999", "NaN"]


@pytest.fixture
def signed_in(make_user, login):
    user = make_user("requester@example.com")
    login(user)
    return user


@pytest.mark.parametrize("value", NASTY)
def test_query_strings(client, signed_in, value):
    for url in ("/", "/catalog", "/search", "/my/requests", "/people", "/kb/"):
        for key in ("q", "page", "status", "lang", "next"):
            response = client.get(url, query_string={key: value})
            assert response.status_code < 500, (url, key, value)


@pytest.mark.parametrize("value", NASTY)
def test_paths(client, signed_in, value):
    for url in (f"/tickets/{value}", f"/catalog/item/{value}", f"/catalog/category/{value}",
                f"/tickets/REQ-000001/files/{value}"):
        response = client.get(url)
        assert response.status_code in (200, 400, 404, 308), (url, response.status_code)


@pytest.mark.parametrize("value", NASTY)
def test_every_field_of_a_form(client, signed_in, post, value):
    page = client.get("/catalog/item/new-laptop").get_data(as_text=True)
    assert page
    for name in ("f_for_whom", "f_new_hire_name", "f_model", "f_needed_by", "f_cost_center",
                 "f_quantity", "f_accessories", "f_software", "f_contact", "f_deliver_to_desk",
                 "f_desk", "f_quote"):
        data = {"f_for_whom": "me", "f_model": 'Standard 14"', "f_quantity": "1", name: value}
        response = post("/catalog/item/new-laptop", data)
        assert response.status_code in (303, 400, 422), (name, value, response.status_code)
        text = response.get_data(as_text=True)
        if response.status_code == 422:
            assert "Please correct the marked fields" in text
        if response.status_code == 400:
            assert value == "\x00" and "control character" in text


def test_posts_without_a_session_or_token(client):
    for url in ("/login", "/logout", "/catalog/item/new-laptop", "/tickets/REQ-000001/comments",
                "/tickets/REQ-000001/cancel"):
        response = client.post(url, data={"x": "y"})
        assert response.status_code in (302, 400, 404), (url, response.status_code)
        if response.status_code == 400:
            assert "Your form expired" in response.get_data(as_text=True)


def test_oversized_body_is_a_clear_413(app, client, signed_in, post, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1000)
    response = post("/catalog/item/new-laptop", {"f_desk": "x" * 5000})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True).lower()
