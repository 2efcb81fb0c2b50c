"""When a task fails for good: one clear alert line in the task log, and a webhook post if configured.

The webhook is the Airflow connection ``communique_alerts``: its host is the full URL
(``{"conn_type": "http", "host": "https://hooks.example.com/..."}``), or host, port and
schema build one. The payload is JSON with a human-readable ``text`` (Slack- and
Teams-compatible) and the fields of the failure, the task's log URL among them.

A webhook URL usually carries its token in the path, so it never reaches a log: it is
registered with Airflow's secrets masker, httpx's request line and our own messages show
only ``scheme://host/***``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from typing import Any
from urllib.parse import urlsplit

LOGGER = logging.getLogger("communique.alerts")
ALERT_CONN_ID = "communique_alerts"
#: What the callback says when no exception reached it: Airflow runs the callback outside the task
#: (in the dag-processor) when the task process was killed or never started.
NO_EXCEPTION = (
    "the task process ended without reporting an exception (killed, out of memory, lost its heartbeat, "
    "or could not start); the scheduler's reason is in its log"
)
#: Loggers that could print the URL of a request (httpx logs each request at INFO).
_HTTP_LOGGERS = ("httpx", "httpcore")


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


def redacted(url: str) -> str:
    """The webhook as logs may show it: scheme and host, never the path or query (the token)."""
    parts = urlsplit(url)
    host = parts.hostname or "?"
    return f"{parts.scheme or 'https'}://{host}{f':{parts.port}' if parts.port else ''}/***"


def describe(exception: BaseException | None) -> str:
    """``Type: message`` of the failure; the cause of an AirflowFailException raised to skip retries."""
    if exception is None:
        return NO_EXCEPTION
    if type(exception).__name__ == "AirflowFailException" and exception.__cause__ is not None:
        exception = exception.__cause__
    return f"{type(exception).__name__}: {exception}"


def _log_url(ti: Any) -> str | None:
    with suppress(Exception):  # a partial task instance (callback outside the task) may lack a field
        return str(ti.log_url)
    return None


def alert_payload(context: Mapping[str, Any]) -> dict[str, Any]:
    """What went wrong, for people and for machines."""
    ti = context.get("ti") or context.get("task_instance")
    dag_id = getattr(context.get("dag"), "dag_id", None) or getattr(ti, "dag_id", "?")
    task_id = getattr(ti, "task_id", "?")
    try_number, max_tries = getattr(ti, "try_number", None), getattr(ti, "max_tries", None)
    payload = {
        "dag_id": dag_id,
        "task_id": task_id,
        "run_id": context.get("run_id") or getattr(ti, "run_id", None),
        "try_number": try_number,
        "map_index": getattr(ti, "map_index", None),
        "logical_date": str(context.get("logical_date")),
        "exception": describe(context.get("exception")),
        "log_url": _log_url(ti),
    }
    tries = f"try {try_number}" + (f" of {max_tries + 1}" if isinstance(max_tries, int) else "")
    shard = f"[{payload['map_index']}]" if isinstance(payload["map_index"], int) and payload["map_index"] >= 0 else ""
    payload["text"] = (
        f"Communiqué: {dag_id}.{task_id}{shard} failed (run {payload['run_id']}, {tries}): {payload['exception']}"
        + (f"\nLog: {payload['log_url']}" if payload["log_url"] else "")
    )
    return payload


class _Redact(logging.Filter):
    """Replaces ``secret`` in every record of the logger it is attached to."""

    def __init__(self, secret: str, shown: str) -> None:
        super().__init__()
        self.secret, self.shown = secret, shown

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.secret in message:
            record.msg, record.args = message.replace(self.secret, self.shown), None
        return True


@contextmanager
def _url_kept_out_of_logs(url: str) -> Iterator[None]:
    """While posting to ``url``: Airflow masks it everywhere, the HTTP libraries' loggers redact it."""
    with suppress(Exception):  # outside a task process there may be no masker configured
        from airflow.sdk.log import mask_secret

        mask_secret(url)
    redact = _Redact(url, redacted(url))
    loggers = [logging.getLogger(name) for name in _HTTP_LOGGERS]
    for logger in loggers:
        logger.addFilter(redact)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeFilter(redact)


def post_alert(url: str, payload: Mapping[str, Any]) -> bool:
    """POST the alert; on failure log why (never the URL) and return False."""
    import httpx

    shown = redacted(url)
    with _url_kept_out_of_logs(url):
        try:
            response = httpx.post(url, json=dict(payload), timeout=10.0)
            response.raise_for_status()
        except httpx.HTTPStatusError as exc:
            reason = f"HTTP {exc.response.status_code}"
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            reason = f"{type(exc).__name__}: {str(exc).replace(url, shown)}"
        else:
            LOGGER.info("COMMUNIQUE ALERT posted to the %s webhook (%s)", ALERT_CONN_ID, shown)
            return True
    LOGGER.error("COMMUNIQUE ALERT could not be posted to the %s webhook (%s): %s", ALERT_CONN_ID, shown, reason)
    return False


def alert_on_failure(context: Mapping[str, Any]) -> None:
    """``on_failure_callback`` of every Communiqué task (after its retries are spent)."""
    payload = alert_payload(context)
    LOGGER.error("COMMUNIQUE ALERT %s", payload["text"])
    url = _webhook_url()
    if url:
        post_alert(url, payload)
