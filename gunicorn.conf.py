"""Production serving: `gunicorn -c gunicorn.conf.py app:app` (see README, "Production")."""

import multiprocessing
import os
import tempfile

bind = os.environ.get("BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("WEB_THREADS", 1))
timeout = int(os.environ.get("WEB_TIMEOUT", 30))          # a stuck worker is replaced
graceful_timeout = 20
keepalive = 5
max_requests = 5000                                        # recycle workers: no slow leaks
max_requests_jitter = 500
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms rid=%({x-request-id}o)s'
errorlog = "-"
# The app is created in each worker after fork: no database connection is shared.
preload_app = False

# Prometheus: every worker writes its counts here and /metrics adds them up.
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR",
                      tempfile.mkdtemp(prefix="portal-metrics-"))


def child_exit(server, worker):
    from prometheus_client import multiprocess
    multiprocess.mark_process_dead(worker.pid)
