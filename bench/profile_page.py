"""Where a page's time goes: cProfile over N requests through the Flask test client.

    .venv/bin/python bench/profile_page.py --database sqlite:////tmp/t100k.db /my/requests
    .venv/bin/python bench/profile_page.py --database URL --user agent1@bench.example /queue
    .venv/bin/python bench/profile_page.py --database URL /catalog/item/general-question \
        --form f_subject=Hello --form "f_question=How do I ..."     # a submission

Signs in as a seeded person (bench/seed.py, password "bench"), warms the page up, then prints
the mean time per request and the functions with the most cumulative and own time.
"""

import argparse
import cProfile
import pstats
import re
import time

from common import make_app


def sign_in(client, email: str) -> str:
    """Sign in; the session's CSRF token."""
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"email": email, "password": "bench",
                                           "csrf_token": token})
    assert response.status_code == 303, response.status_code
    return token


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--database", required=True)
    parser.add_argument("--user", default="user1@bench.example")
    parser.add_argument("-n", type=int, default=300)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--form", action="append", default=[], metavar="NAME=VALUE",
                        help="POST these fields (with the CSRF token) instead of a GET")
    args = parser.parse_args()
    app, _ = make_app(args.database)
    app.config["TESTING"] = False
    client = app.test_client()
    token = sign_in(client, args.user)
    form = dict(field.split("=", 1) for field in args.form)

    signed_in = client.get_cookie("session").value

    def hit():
        # Every request carries the same session, as wrk sends it: flashes do not pile up.
        client.set_cookie("session", signed_in)
        if form:
            return client.post(args.path, data={**form, "csrf_token": token})
        return client.get(args.path)

    for _ in range(20):
        assert hit().status_code in (200, 303)
    started = time.perf_counter()
    for _ in range(args.n):
        hit()
    print(f"{args.path}: {(time.perf_counter() - started) / args.n * 1000:.2f} ms per request")
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.n):
        hit()
    profile.disable()
    stats = pstats.Stats(profile).strip_dirs()
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
