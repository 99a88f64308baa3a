"""Exit 0 when the database URL given on the command line accepts a connection."""

import sys

from sqlalchemy import create_engine, text

try:
    engine = create_engine(sys.argv[1], connect_args={"connect_timeout": 3})
    with engine.connect() as conn:
        conn.execute(text("select 1"))
except Exception as exc:  # any failure means "not reachable" to the Makefile
    print(f"database check failed: {exc.__class__.__name__}: {exc}".splitlines()[0])
    sys.exit(1)
