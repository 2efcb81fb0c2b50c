"""Configuration: defaults, environment overrides, and the demo allowance."""

from __future__ import annotations

from pathlib import Path

from communique.settings import Settings, load_settings


def test_defaults_select_the_embedded_stack_and_demo_feeds() -> None:
    settings = load_settings({})
    assert settings.uses_embedded_warehouse
    assert settings.uses_demo_feeds
    assert settings.feed_list == settings.home / "demo-feeds.toml"
    # The guard stays on; only the demo site's own origin is let through.
    assert not settings.http.allow_private_addresses
    assert settings.http.allowed_origins == ("http://127.0.0.1:8765",)


def test_environment_overrides() -> None:
    settings = load_settings(
        {
            "COMMUNIQUE_WAREHOUSE_URL": "postgresql://db.example/communique",
            "COMMUNIQUE_FEEDS_FILE": "/etc/communique/feeds.toml",
            "COMMUNIQUE_SPACY_MODEL": "en_core_web_md",
            "COMMUNIQUE_MAX_PAGE_BYTES": "1000",
            "COMMUNIQUE_ALLOW_PRIVATE_ADDRESSES": "yes",
            "COMMUNIQUE_HOME": "/var/lib/communique",
        }
    )
    assert settings.warehouse_url == "postgresql://db.example/communique"
    assert not settings.uses_embedded_warehouse
    assert settings.feed_list == Path("/etc/communique/feeds.toml")
    assert settings.spacy_model == "en_core_web_md"
    assert settings.http.max_page_bytes == 1000
    assert settings.http.allow_private_addresses
    assert settings.http.allowed_origins == ()  # a real feed list gets no demo allowance
    assert settings.pgdata == Path("/var/lib/communique/pgdata")


def test_explicit_origins_replace_the_demo_allowance() -> None:
    settings = load_settings({"COMMUNIQUE_ALLOWED_ORIGINS": "http://127.0.0.1:9000/, http://localhost:9001"})
    assert settings.http.allowed_origins == ("http://127.0.0.1:9000", "http://localhost:9001")


def test_with_overrides_returns_a_copy() -> None:
    settings = Settings()
    other = settings.with_overrides(workers=4)
    assert other.workers == 4 and settings.workers == 0


def test_the_embedded_airflow_listens_on_loopback_on_ports_of_our_choosing() -> None:
    default = load_settings({})
    assert default.airflow_host == "127.0.0.1"
    assert (default.airflow_worker_log_port, default.airflow_trigger_log_port, default.airflow_health_port) == (
        8793, 8794, 8974,
    )  # fmt: skip
    chosen = load_settings({
        "COMMUNIQUE_AIRFLOW_HOST": "0.0.0.0", "COMMUNIQUE_AIRFLOW_WORKER_LOG_PORT": "9793",
        "COMMUNIQUE_AIRFLOW_TRIGGER_LOG_PORT": "9794", "COMMUNIQUE_AIRFLOW_HEALTH_PORT": "9974",
    })  # fmt: skip
    assert (chosen.airflow_host, chosen.airflow_worker_log_port, chosen.airflow_trigger_log_port,
            chosen.airflow_health_port) == ("0.0.0.0", 9793, 9794, 9974)  # fmt: skip


def test_the_actors_refresh_endpoint_and_snapshot_folder() -> None:
    default = load_settings({"COMMUNIQUE_HOME": "/var/lib/communique"})
    assert default.wikidata_sparql_url == "https://query.wikidata.org/sparql"
    assert default.actors_dir == Path("/var/lib/communique/actors")
    chosen = load_settings({"COMMUNIQUE_WIKIDATA_SPARQL_URL": "http://127.0.0.1:9999/sparql",
                            "COMMUNIQUE_MAX_DATA_BYTES": "1000"})  # fmt: skip
    assert chosen.wikidata_sparql_url == "http://127.0.0.1:9999/sparql"
    assert chosen.http.max_data_bytes == 1000
