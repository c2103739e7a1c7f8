"""download(): resume, retries, checksums — against a local HTTP server, never the network."""

from __future__ import annotations

import hashlib
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from dyadscope.data.fetch import download, fetch_dataset
from dyadscope.errors import ChecksumMismatch, FetchError

PAYLOAD = bytes(range(256)) * 400  # 102,400 bytes


class _Handler(BaseHTTPRequestHandler):
    """Serves PAYLOAD with Range/If-Range support; ``plan`` scripts the next requests."""

    plan: ClassVar[list[str]] = []
    seen_ranges: ClassVar[list[str | None]] = []
    seen_if_range: ClassVar[list[str | None]] = []
    etag: ClassVar[str] = '"v1"'

    def log_message(self, *args: object) -> None:
        """Keep test output quiet."""

    def do_GET(self) -> None:
        step = self.plan.pop(0) if self.plan else "ok"
        rng = self.headers.get("Range")
        self.seen_ranges.append(rng)
        self.seen_if_range.append(self.headers.get("If-Range"))
        if rng and self.headers.get("If-Range") != self.etag:
            rng = None  # the file changed since the part was fetched: send it whole
        if step == "500":
            self.send_error(500)
            return
        if step == "404":
            self.send_error(404)
            return
        start = int(rng.removeprefix("bytes=").rstrip("-")) if rng else 0
        body = PAYLOAD[start:]
        self.send_response(206 if rng else 200)
        self.send_header("ETag", self.etag)
        self.send_header("Content-Length", str(len(body)))
        if rng:
            self.send_header("Content-Range", f"bytes {start}-{len(PAYLOAD) - 1}/{len(PAYLOAD)}")
        self.end_headers()
        if step == "drop":
            self.wfile.write(body[: len(body) // 3])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return
        self.wfile.write(body)


@pytest.fixture()
def server() -> Iterator[str]:
    _Handler.plan = []
    _Handler.seen_ranges = []
    _Handler.seen_if_range = []
    _Handler.etag = '"v1"'
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/files/data.bin"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


SHA = hashlib.sha256(PAYLOAD).hexdigest()
MD5 = hashlib.md5(PAYLOAD).hexdigest()


def test_plain_download_into_folder(server: str, tmp_path: Path) -> None:
    path = download(server, tmp_path, sha256=SHA, md5=MD5, size=len(PAYLOAD), progress=False)
    assert path == tmp_path / "data.bin"
    assert path.read_bytes() == PAYLOAD
    assert not (tmp_path / "data.bin.part").exists()


def test_resume_after_dropped_connection(server: str, tmp_path: Path) -> None:
    _Handler.plan = ["drop"]
    path = download(server, tmp_path / "out.bin", sha256=SHA, backoff=0, progress=False)
    assert path.read_bytes() == PAYLOAD
    assert _Handler.seen_ranges[0] is None
    assert _Handler.seen_ranges[1] == f"bytes={len(PAYLOAD) // 3}-"
    assert _Handler.seen_if_range[1] == '"v1"'


def test_resume_from_part_file_of_an_earlier_run(server: str, tmp_path: Path) -> None:
    _Handler.plan = ["drop"]
    with pytest.raises(FetchError, match=r"out\.bin\.part is kept"):
        download(server, tmp_path / "out.bin", retries=0, progress=False)
    download(server, tmp_path / "out.bin", sha256=SHA, progress=False)
    assert _Handler.seen_ranges == [None, f"bytes={len(PAYLOAD) // 3}-"]
    assert (tmp_path / "out.bin").read_bytes() == PAYLOAD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.bin"]


def test_changed_file_is_fetched_whole_not_spliced(server: str, tmp_path: Path) -> None:
    _Handler.plan = ["drop"]
    with pytest.raises(FetchError):
        download(server, tmp_path / "out.bin", retries=0, progress=False)
    _Handler.etag = '"v2"'  # the upstream file was replaced meanwhile
    download(server, tmp_path / "out.bin", sha256=SHA, progress=False)
    assert _Handler.seen_if_range[1] == '"v1"'
    assert (tmp_path / "out.bin").read_bytes() == PAYLOAD


def test_part_file_without_validator_is_not_resumed(server: str, tmp_path: Path) -> None:
    """A stale .part (of another file, say) is discarded: no Range without If-Range."""
    (tmp_path / "out.bin.part").write_bytes(b"x" * 1000)
    download(server, tmp_path / "out.bin", sha256=SHA, progress=False)
    assert _Handler.seen_ranges == [None]
    assert (tmp_path / "out.bin").read_bytes() == PAYLOAD


def test_retry_after_500(server: str, tmp_path: Path) -> None:
    _Handler.plan = ["500", "500"]
    path = download(server, tmp_path / "out.bin", sha256=SHA, backoff=0, progress=False)
    assert path.read_bytes() == PAYLOAD
    assert len(_Handler.seen_ranges) == 3


def test_gives_up_after_retries_and_keeps_part(server: str, tmp_path: Path) -> None:
    _Handler.plan = ["500"] * 3
    with pytest.raises(FetchError, match="failed after 3 attempts"):
        download(server, tmp_path / "out.bin", retries=2, backoff=0, progress=False)
    assert not (tmp_path / "out.bin").exists()


def test_client_error_is_not_retried(server: str, tmp_path: Path) -> None:
    _Handler.plan = ["404"]
    with pytest.raises(FetchError, match="404"):
        download(server, tmp_path / "out.bin", backoff=0, progress=False)
    assert len(_Handler.seen_ranges) == 1


def test_checksum_mismatch_leaves_no_file(server: str, tmp_path: Path) -> None:
    with pytest.raises(ChecksumMismatch, match="sha256"):
        download(server, tmp_path / "out.bin", sha256="0" * 64, progress=False)
    assert list(tmp_path.iterdir()) == []


def test_existing_verified_file_is_not_downloaded_again(server: str, tmp_path: Path) -> None:
    (tmp_path / "out.bin").write_bytes(PAYLOAD)
    download(server, tmp_path / "out.bin", sha256=SHA, progress=False)
    assert _Handler.seen_ranges == []


def test_fetch_dataset_with_url_override(server: str, tmp_path: Path) -> None:
    path = fetch_dataset("nmc", tmp_path, url=server, progress=False)
    assert path.read_bytes() == PAYLOAD


def test_fetch_dataset_refuses_non_redistributable(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="formal-alliances"):
        fetch_dataset("cow_alliance", tmp_path, progress=False)
