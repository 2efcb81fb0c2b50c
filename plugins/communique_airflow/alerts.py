"""When a task fails for good: one clear alert line in the log, and a webhook post if configured.

The webhook is the Airflow connection ``communique_alerts``: its host is the full URL
(``{"conn_type": "http", "host": "https://hooks.example.com/..."}``), or host, port and
schema build one. The payload is JSON with a human-readable ``text`` (Slack- and
Teams-compatible) and the fields of the failure.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

LOGGER = logging.getLogger("communique.alerts")
ALERT_CONN_ID = "communique_alerts"


def _webhook_url() -> str | None:
    from airflow.sdk import Connection
    from airflow.sdk.exceptions import AirflowNotFoundException

    try:
        conn = Connection.get(ALERT_CONN_ID)
    except AirflowNotFoundException:
        return None
    host = conn.host or ""
    if host.startswith(("http://", "https://")):
        return str(host)
    port = f":{conn.port}" if conn.port else ""
    path = (conn.extra_dejson or {}).get("endpoint", "")
    return f"{conn.schema or 'https'}://{host}{port}{path}" if host else None


def alert_payload(context: Mapping[str, Any]) -> dict[str, Any]:
    """What went wrong, for people and for machines."""
    ti = context.get("ti") or context.get("task_instance")
    dag_id = getattr(context.get("dag"), "dag_id", "?")
    task_id = getattr(ti, "task_id", "?")
    exception = context.get("exception")
    payload = {
        "dag_id": dag_id,
        "task_id": task_id,
        "run_id": context.get("run_id"),
        "try_number": getattr(ti, "try_number", None),
        "map_index": getattr(ti, "map_index", None),
        "logical_date": str(context.get("logical_date")),
        "exception": f"{type(exception).__name__}: {exception}" if exception else None,
    }
    payload["text"] = (
        f"Communiqué: {dag_id}.{task_id} failed (run {payload['run_id']}, try {payload['try_number']}): "
        f"{payload['exception'] or 'no exception recorded'}"
    )
    return payload


def alert_on_failure(context: Mapping[str, Any]) -> None:
    """``on_failure_callback`` of every Communiqué task (after its retries are spent)."""
    payload = alert_payload(context)
    LOGGER.error("COMMUNIQUE ALERT %s", payload["text"])
    url = _webhook_url()
    if not url:
        return
    import httpx

    try:
        response = httpx.post(url, json=payload, timeout=10.0)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        LOGGER.error("COMMUNIQUE ALERT could not be posted to the %s webhook: %s", ALERT_CONN_ID, exc)
