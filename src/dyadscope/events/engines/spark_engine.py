"""The Apache Spark engine: the shared aggregate SQL run by Spark SQL over the store.

Why Spark: one laptop handles years of GDELT with DuckDB, but a full 1.0 + 2.0
archive (hundreds of millions of events) may live on a cluster.  This engine reads
the store's committed Parquet files directly (Spark discovers the ``year=``/``month=``
partitions) and runs exactly the query :func:`dyadscope.events.aggregate.series_sql`
generates for the ``spark`` dialect, so it returns the same numbers as DuckDB.

PySpark is the optional extra ``dyadscope[spark]`` and needs a Java runtime (11 or
17).  One :class:`~pyspark.sql.SparkSession` is kept per process and reused; its
master comes from ``--spark-master`` (``local[*]`` by default), e.g.
``spark://host:7077`` for a standalone cluster, whose workers must see the store
folder at the same path.

>>> from dyadscope.events.engines import get_engine  # doctest: +SKIP
>>> spark = get_engine("spark", master="local[2]")  # doctest: +SKIP
>>> spark.series(store, SeriesQuery("RUS", "CHN"))  # doctest: +SKIP
"""

from __future__ import annotations

import os
import shutil
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
from pyspark.sql import SparkSession

from dyadscope._io import atomic_write_text
from dyadscope.data.store import default_store_path
from dyadscope.errors import InputError
from dyadscope.events.aggregate import SERIES_COLUMNS, series_sql, tidy_series
from dyadscope.events.catalog import require_files
from dyadscope.events.engines import register_engine
from dyadscope.events.engines.base import EventEngine, SeriesQuery

__all__ = ["DEFAULT_MASTER", "SparkEngine", "spark_session", "stop_spark_session"]

#: Spark master used unless ``--spark-master`` says otherwise.
DEFAULT_MASTER = "local[*]"

#: Settings for every session: quiet (no web UI, no progress bars) and in UTC.
_SESSION_CONF: dict[str, str] = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.session.timeZone": "UTC",
}
#: Extra settings for ``local[...]`` masters: a dyad series is a small result, and
#: Spark's default of 200 shuffle partitions costs seconds of scheduling on a laptop.
_LOCAL_CONF: dict[str, str] = {"spark.sql.shuffle.partitions": "2"}

# Only errors from Spark's JVM, so the CLI's output stays readable.
_LOG4J2 = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
"""

_lock = threading.Lock()
_session: SparkSession | None = None
_session_key: tuple[str, tuple[tuple[str, str], ...]] | None = None


@contextmanager
def _quiet_pandas_warning() -> Iterator[None]:
    """PySpark warns that it does not fully support pandas 3; we never use that path."""
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message="PySpark does not yet fully support pandas", category=FutureWarning
        )
        yield


def _log4j_conf() -> Path:
    """A log4j2 file silencing Spark below ERROR, kept in dyadscope's data folder.

    The JVM reads it at start-up, before ``setLogLevel`` could act, so the banner
    warnings of a local session never reach the user's terminal.
    """
    path = default_store_path().parent / "spark-log4j2.properties"
    if not path.is_file() or path.read_text(encoding="utf-8") != _LOG4J2:
        atomic_write_text(path, _LOG4J2)
    return path


def _require_java() -> None:
    """Raise a helpful :class:`InputError` when no Java runtime can be found."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").exists():
        return
    if shutil.which("java") is None:
        raise InputError(
            "the Spark engine needs a Java runtime (11 or 17) and none was found; "
            "install one (e.g. 'sudo apt-get install openjdk-17-jre-headless', or "
            "'make java') or set JAVA_HOME"
        )


def spark_session(master: str = DEFAULT_MASTER, **conf: str) -> SparkSession:
    """The process's Spark session for ``master``, created on first use and then reused.

    Asking for a different master stops the current session and starts a new one.
    Extra ``conf`` entries are Spark settings (``spark.executor.memory="4g"``).

    >>> spark_session("local[2]").conf.get("spark.ui.enabled")  # doctest: +SKIP
    'false'
    """
    global _session, _session_key
    key = (master, tuple(sorted(conf.items())))
    with _lock:
        if _session is not None and _session_key == key:
            return _session
        _stop_unlocked()
        _require_java()
        settings = dict(_SESSION_CONF)
        if master.startswith("local"):
            settings |= _LOCAL_CONF
            # Avoid Spark's warning (and a slow DNS lookup) about the host name.
            os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        log = f"-Dlog4j2.configurationFile=file:{_log4j_conf()}"
        builder = SparkSession.builder.master(master).appName("dyadscope")
        for name, value in (settings | conf).items():
            builder = builder.config(name, value)
        builder = builder.config("spark.driver.extraJavaOptions", log)
        with _quiet_pandas_warning():
            _session = builder.getOrCreate()
        _session.sparkContext.setLogLevel("ERROR")
        _session_key = key
        return _session


def _stop_unlocked() -> None:
    """Stop the process's session if there is one (caller holds the lock)."""
    global _session, _session_key
    if _session is not None:
        _session.stop()
        _session, _session_key = None, None


def stop_spark_session() -> None:
    """Stop the process's Spark session (the next query starts a new one)."""
    with _lock:
        _stop_unlocked()


def _local(path: Path) -> str:
    """A Hadoop path on the local file system; unlike ``Path.as_uri`` it keeps ``=`` as is."""
    return f"file:{path}"


@register_engine
class SparkEngine(EventEngine):
    """Run the shared aggregate SQL with Spark SQL over the store's Parquet files.

    Options: ``master`` (default ``local[*]``) and ``spark_conf`` (a dict of extra
    Spark settings).

    >>> SparkEngine(master="local[2]").master
    'local[2]'
    """

    name = "spark"
    accepted_options = ("master", "spark_conf")

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.master: str = options.get("master") or DEFAULT_MASTER
        self.spark_conf: dict[str, str] = dict(options.get("spark_conf") or {})

    def series(self, store_dir: Path, query: SeriesQuery) -> pd.DataFrame:
        """Return the dyad series of ``query`` from the store at ``store_dir``."""
        files = require_files(store_dir)
        spark = spark_session(self.master, **self.spark_conf)
        base = Path(store_dir).resolve()
        # Every committed file has the canonical schema, so no (slow) schema merge.
        frame = spark.read.option("basePath", _local(base)).parquet(*(_local(f) for f in files))
        view = f"events_{os.getpid()}_{threading.get_ident()}"
        frame.createOrReplaceTempView(view)
        try:
            result = spark.sql(series_sql(query, dialect="spark", table=view))
            rows = [row.asDict() for row in result.collect()]
        finally:
            spark.catalog.dropTempView(view)
        return tidy_series(pd.DataFrame(rows, columns=list(SERIES_COLUMNS)))
