"""A worker name for task instances when several workers share one host.

Airflow records ``socket.getfqdn()`` as the host of every task instance; two Celery
workers on one machine then look alike. With ``[core] hostname_callable =
communique_airflow.hostname.worker_hostname`` each worker reports ``COMMUNIQUE_WORKER_NAME``
(when set) instead, which tells operators (and the topology test) which worker ran what.
"""

from __future__ import annotations

import os
import socket


def worker_hostname() -> str:
    """``COMMUNIQUE_WORKER_NAME`` if set, else the fully qualified host name."""
    return os.environ.get("COMMUNIQUE_WORKER_NAME") or socket.getfqdn()
