"""The embedded stack's airflow.cfg: shared secrets made once, loopback, ports of our choosing."""

from __future__ import annotations

import configparser
import json
import stat
from pathlib import Path

from cryptography.fernet import Fernet

from communique.local import keys, stack
from communique.settings import Settings


def _cfg(settings: Settings, secrets: dict[str, str]) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(stack.airflow_cfg(settings, "postgresql+psycopg://postgres@/airflow?host=/x", secrets))
    return parser


def test_the_secrets_are_made_once_private_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "airflow" / stack.SECRETS_FILE
    first, made = keys.stack_secrets(path)
    assert made and set(first) == set(keys.STACK_SECRETS)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    Fernet(first["fernet_key"].encode())  # a valid Fernet key
    assert len(first["jwt_secret"]) >= 40 and first["jwt_secret"] != first["api_secret_key"]
    again, made = keys.stack_secrets(path)
    assert again == first and not made
    # A secret lost from the file is made again; the others stay.
    path.write_text(json.dumps({k: v for k, v in first.items() if k != "api_secret_key"}))
    mended, made = keys.stack_secrets(path)
    assert made and mended["jwt_secret"] == first["jwt_secret"] and mended["api_secret_key"] != first["api_secret_key"]


def test_every_component_reads_the_same_secrets_from_airflow_cfg(tmp_path: Path) -> None:
    secrets, _ = keys.stack_secrets(tmp_path / stack.SECRETS_FILE)
    cfg = _cfg(Settings(home=tmp_path), secrets)
    assert cfg["api_auth"]["jwt_secret"] == secrets["jwt_secret"]
    assert cfg["core"]["fernet_key"] == secrets["fernet_key"]
    assert cfg["api"]["secret_key"] == secrets["api_secret_key"]


def test_the_api_listens_on_loopback_and_the_ports_are_ours(tmp_path: Path) -> None:
    secrets, _ = keys.stack_secrets(tmp_path / stack.SECRETS_FILE)
    cfg = _cfg(Settings(home=tmp_path), secrets)
    assert cfg["api"]["host"] == "127.0.0.1" and cfg["api"]["port"] == "8080"
    assert cfg["core"]["execution_api_server_url"] == "http://127.0.0.1:8080/execution/"
    assert cfg["api"]["base_url"] == "http://localhost:8080"
    assert cfg["scheduler"]["scheduler_health_check_server_host"] == "127.0.0.1"
    chosen = Settings(home=tmp_path, airflow_host="0.0.0.0", airflow_port=8090, airflow_worker_log_port=8795,
                      airflow_trigger_log_port=8796, airflow_health_port=8975)  # fmt: skip
    cfg = _cfg(chosen, secrets)
    assert cfg["api"]["host"] == "0.0.0.0" and cfg["api"]["port"] == "8090"
    assert cfg["core"]["execution_api_server_url"] == "http://127.0.0.1:8090/execution/"
    assert (cfg["logging"]["worker_log_server_port"], cfg["logging"]["trigger_log_server_port"]) == ("8795", "8796")
    assert cfg["scheduler"]["scheduler_health_check_server_port"] == "8975"
