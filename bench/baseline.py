"""What Flask itself does on this machine, measured in the same run as the portal:
`/hello` (no database) and `/one` (one query + one template), under the same gunicorn -w 2.

    DATABASE_URL=... gunicorn -w 2 -b 127.0.0.1:8001 --chdir bench baseline:app
"""

import os

from flask import Flask, render_template_string
from sqlalchemy import create_engine, text

app = Flask(__name__)
engine = create_engine(os.environ["DATABASE_URL"], pool_pre_ping=False)
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ user.name }}</title>
</head><body><h1>{{ user.name }}</h1><p>{{ user.email }}</p></body></html>"""


@app.get("/hello")
def hello():
    return "Hello, world!"


@app.get("/one")
def one():
    with engine.connect() as conn:
        user = conn.execute(text("SELECT name, email FROM users WHERE id = :id"),
                            {"id": 1}).mappings().one()
    return render_template_string(PAGE, user=user)
