"""Our counters as StatsD metrics, next to Airflow's own (same server, our own prefix).

Every stage run emits ``<prefix>.<stage>.<count>`` counters for what it counted (entries,
fetched, failed, duplicates, events ...), ``<prefix>.<stage>.skipped.<reason>`` counters,
and a ``<prefix>.<stage>.duration`` timer. Nothing is sent unless ``COMMUNIQUE_STATSD_HOST``
is set; a metrics failure never fails a stage.
"""

from __future__ import annotations

import logging
import re
from functools import cache
from typing import Any

from communique.models import StageReport
from communique.settings import Settings

LOGGER = logging.getLogger(__name__)
_UNSAFE = re.compile(r"[^a-zA-Z0-9_]+")


@cache
def _client(host: str, port: int, prefix: str) -> Any:
    import statsd

    return statsd.StatsClient(host, port, prefix=prefix)


def metric_names(report: StageReport) -> dict[str, int]:
    """The counters a stage report becomes, without the prefix: ``{"fetch.landed": 12, ...}``."""
    stage = _UNSAFE.sub("_", report.stage)
    names = {f"{stage}.{_UNSAFE.sub('_', k)}": int(v) for k, v in report.counts.items()}
    names |= {f"{stage}.skipped.{_UNSAFE.sub('_', k)}": int(v) for k, v in report.skipped.items()}
    return names


def emit_stage(settings: Settings, report: StageReport, duration_s: float) -> None:
    """Send a stage's counters and duration to StatsD, if configured."""
    if not settings.statsd_host:
        return
    try:
        client = _client(settings.statsd_host, settings.statsd_port, settings.statsd_prefix)
        with client.pipeline() as pipe:
            for name, value in metric_names(report).items():
                pipe.incr(name, value)
            pipe.timing(f"{_UNSAFE.sub('_', report.stage)}.duration", round(duration_s * 1000))
    except OSError as exc:  # metrics are best effort: never fail the pipeline for them
        LOGGER.warning("cannot send metrics to %s:%s: %s", settings.statsd_host, settings.statsd_port, exc)
