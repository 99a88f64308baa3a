"""Two gunicorn workers count failed sign-ins together: the limit holds for the whole portal."""

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from werkzeug.security import generate_password_hash

from portal.auth.models import find_user
from portal.extensions import db

from .servers import Server, csrf_of, request


def test_two_workers_let_through_only_the_account_limit(app, make_user, tmp_path):
    make_user("ann@example.com")
    with app.app_context():
        # A cheap hash keeps the test fast; the limit does not depend on the hash's cost.
        find_user("ann@example.com").password_hash = generate_password_hash(
            "secret-pass", method="pbkdf2:sha256:1000")
        db.session.commit()
    with Server(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path, workers=2,
                RATELIMIT_DISABLED="0") as server:
        assert len(server.worker_pids()) == 2
        status, headers, page = request(server.port, "GET", "/login")
        cookie, token = headers["Set-Cookie"].split(";", 1)[0], csrf_of(page)

        def guess(password="wrong"):
            return request(server.port, "POST", "/login", {
                "email": "ann@example.com", "password": password, "csrf_token": token}, cookie)

        with ThreadPoolExecutor(max_workers=6) as pool:
            statuses = Counter(status for status, _, _ in pool.map(lambda _: guess(), range(30)))
        assert statuses == {422: 10, 429: 20}
        status, headers, page = guess("secret-pass")
        assert status == 429 and 0 < int(headers["Retry-After"]) <= 15 * 60
        assert "Too many failed sign-ins with this email address." in page
