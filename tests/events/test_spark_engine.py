"""What is particular to the Spark engine: registration, its one session, Java, figures.

The aggregates themselves are tested for every engine in ``test_engines_parity.py``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest.importorskip("pyspark", reason="not runnable here: the optional extra dyadscope[spark]")

from dyadscope.errors import InputError, MissingData
from dyadscope.events.engines import get_engine
from dyadscope.events.engines import spark_engine as se
from dyadscope.events.engines.base import SeriesQuery

needs_java = pytest.mark.skipif(
    shutil.which("java") is None, reason="not runnable here: Spark needs a Java runtime"
)
pytestmark = pytest.mark.spark


def test_registered_under_its_name_with_its_options() -> None:
    engine = get_engine("spark")
    assert isinstance(engine, se.SparkEngine)
    assert engine.master == se.DEFAULT_MASTER == "local[*]"
    assert get_engine("SPARK", master="spark://example:7077").master == "spark://example:7077"


def test_a_missing_java_is_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setattr(se.shutil, "which", lambda name: None)
    with pytest.raises(InputError, match=r"Java runtime.*openjdk-17"):
        se._require_java()


def test_an_empty_store_says_to_ingest_first(tmp_path: Path) -> None:
    """Raised before any JVM starts: nothing is ingested in an empty folder."""
    with pytest.raises(MissingData, match="events ingest"):
        get_engine("spark").series(tmp_path, SeriesQuery("RUS", "CHN"))


@needs_java
def test_one_quiet_session_per_process() -> None:
    first = se.spark_session("local[2]")
    assert se.spark_session("local[2]") is first
    assert first.conf.get("spark.ui.enabled") == "false"
    assert first.conf.get("spark.sql.shuffle.partitions") == "2"
    assert first.conf.get("spark.sql.session.timeZone") == "UTC"


@needs_java
def test_the_two_rus_chn_events_of_the_2_0_export(store_2_0: Path) -> None:
    """MANIFEST §1: the 2.0 export has 2 RUS–CHN events, both CHN→RUS."""
    spark = get_engine("spark", master="local[2]")
    both = spark.series(store_2_0, SeriesQuery("RUS", "CHN", freq="year"))
    china_to_russia = spark.series(store_2_0, SeriesQuery("CHN", "RUS", freq="year", directed=True))
    assert int(both["events"].sum()) == 2
    assert int(china_to_russia["events"].sum()) == 2
    assert (both["a"] == "RUS").all() and (both["b"] == "CHN").all()
