"""Our StatsD counters, received by a real UDP socket on loopback."""

from __future__ import annotations

import socket

from communique.metrics import emit_stage, metric_names
from communique.models import StageReport
from communique.settings import Settings

RESULT = StageReport("fetch", {"landed": 12, "candidates": 14}, {"not_found": 2})


def test_a_stage_result_becomes_counters() -> None:
    assert metric_names(RESULT) == {"fetch.landed": 12, "fetch.candidates": 14, "fetch.skipped.not_found": 2}
    assert metric_names(StageReport("fetch#2", {"a-b": 1})) == {"fetch_2.a_b": 1}


def test_counters_and_duration_reach_the_statsd_server() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as server:
        server.bind(("127.0.0.1", 0))
        server.settimeout(5)
        port = server.getsockname()[1]
        emit_stage(Settings(statsd_host="127.0.0.1", statsd_port=port, statsd_prefix="communique"), RESULT, 1.5)
        lines = set()
        while not any(line.startswith("communique.fetch.duration:") for line in lines):
            lines |= set(server.recv(65536).decode().splitlines())
    assert {"communique.fetch.landed:12|c", "communique.fetch.candidates:14|c",
            "communique.fetch.skipped.not_found:2|c"} <= lines  # fmt: skip
    (duration,) = [line for line in lines if line.startswith("communique.fetch.duration:")]
    assert float(duration.split(":")[1].split("|")[0]) == 1500 and duration.endswith("|ms")


def test_nothing_is_sent_without_a_host() -> None:
    emit_stage(Settings(statsd_host=None), RESULT, 1.0)  # must not raise or block
