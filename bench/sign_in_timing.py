"""How long a failed sign-in takes for an unknown email, a known one with a wrong password and a
deactivated account (the three must not be told apart by their timing).

    .venv/bin/python bench/sign_in_timing.py [--runs 30] [--database-url URL]
"""

import argparse
import json
import re
import time

from common import make_app, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    app, _url = make_app(args.database_url)

    from portal.auth.models import User
    from portal.extensions import db

    with app.app_context():
        for email, active in (("known@example.com", True), ("gone@example.com", False)):
            user = User(email=email, name=email, active=active)
            user.set_password("right-password")
            db.session.add(user)
        db.session.commit()
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    cases = {"unknown email": "nobody@example.com", "known email, wrong password":
             "known@example.com", "deactivated account": "gone@example.com"}
    samples = {case: [] for case in cases}
    for _ in range(args.runs):
        for case, email in cases.items():  # interleaved, so machine noise hits all alike
            started = time.perf_counter()
            response = client.post("/login", data={"email": email, "password": "wrong",
                                                   "csrf_token": token})
            samples[case].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 422, response.status_code
    print(json.dumps({case: summary(values) for case, values in samples.items()}, indent=2))


if __name__ == "__main__":
    main()
