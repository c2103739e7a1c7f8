"""Find a case's documents in folders: by file name, or by content checksum.

A case names each document by ``file``.  Usually that is the file's name in the
documents folder; a document may instead be cited by a short *citation key* plus a
checksum of its bytes (``md5`` and/or ``sha256``), for files whose own names are
unwieldy or cannot be written into the project.  Every command that reads a case's
documents from folders (case validation, citation checks, evidence suggestions)
goes through :class:`DocumentLocator`, so the rule is the same everywhere:

1. a file named ``file`` in a folder (first folder first) whose bytes match the
   document's checksums, if it has any;
2. otherwise, when the document has a checksum, any file of the folders whose bytes
   match it (the key need not be a file name);
3. otherwise :class:`~dyadscope.errors.DocumentNotFound`, naming the key, the
   checksum and the folders (and a same-named file whose bytes differ, if any).

Worked example: a folder holding ``long-name.txt`` with the bytes ``b"hi\\n"``
(md5 ``764efa883dda1e11db47671c4a3bbd9e``) resolves the key ``short.txt`` with that
md5 to ``long-name.txt``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dyadscope._io import safe_join
from dyadscope.errors import DocumentNotFound, InputError

__all__ = ["Checksums", "DocumentLocator", "DocumentNotFound", "checksums_of"]

#: Files larger than this are never hashed when looking for a document by content.
MAX_HASHED_BYTES = 20_000_000


@dataclass(frozen=True)
class Checksums:
    """The MD5 and SHA-256 of a file's bytes, lowercase hex."""

    md5: str
    sha256: str

    def matches(self, md5: str | None, sha256: str | None) -> bool:
        """Whether every checksum given (``None`` means not given) equals this file's."""
        return (md5 is None or md5.lower() == self.md5) and (
            sha256 is None or sha256.lower() == self.sha256
        )


def checksums_of(path: str | Path) -> Checksums:
    """MD5 and SHA-256 of a file.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = p.write_bytes(b"hi\\n")
    >>> checksums_of(p).md5
    '764efa883dda1e11db47671c4a3bbd9e'
    """
    data = Path(path).read_bytes()
    return Checksums(hashlib.md5(data).hexdigest(), hashlib.sha256(data).hexdigest())


def _describe(md5: str | None, sha256: str | None) -> str:
    parts = [f"md5 {md5}" if md5 else "", f"sha256 {sha256}" if sha256 else ""]
    return " and ".join(p for p in parts if p)


class DocumentLocator:
    """Resolve document keys against folders (and single files) of documents.

    ``places`` are searched in order; a folder contributes its regular files, a file
    itself.  Checksums are computed once per file, and only when a lookup needs them.

    >>> DocumentLocator(["../shared/documents"]).locate("x.md", md5="0" * 32)  # doctest: +SKIP
    Traceback (most recent call last):
    dyadscope.errors.DocumentNotFound: document 'x.md' (md5 000…) is not in ../shared/documents…
    """

    def __init__(self, places: Iterable[str | Path]) -> None:
        self.places = [Path(p) for p in places]
        for place in self.places:
            if not place.exists():
                raise InputError(f"documents folder {str(place)!r} does not exist")
        self._sums: dict[Path, Checksums] = {}

    def _named(self, key: str) -> list[Path]:
        found = []
        for place in self.places:
            if place.is_dir():
                try:
                    path = safe_join(place, key)
                except InputError:
                    continue  # a key with folders in it is the schema's to report
                if path.is_file():
                    found.append(path)
            elif place.name == key and place.is_file():
                found.append(place)
        return found

    def _files(self) -> Iterable[Path]:
        for place in self.places:
            if place.is_dir():
                yield from sorted(
                    p for p in place.iterdir() if p.is_file() and not p.name.startswith(".")
                )
            elif place.is_file():
                yield place

    def _checksums(self, path: Path) -> Checksums | None:
        if path not in self._sums:
            if path.stat().st_size > MAX_HASHED_BYTES:
                return None
            self._sums[path] = checksums_of(path)
        return self._sums[path]

    def locate(self, key: str, *, md5: str | None = None, sha256: str | None = None) -> Path:
        """The path of the document cited as ``key`` with the given checksums.

        Raises :class:`DocumentNotFound` naming ``key``, the checksums and the places.
        """
        md5 = md5.lower() if md5 else None
        sha256 = sha256.lower() if sha256 else None
        named = self._named(key)
        if md5 is None and sha256 is None:
            if named:
                return named[0]
            raise DocumentNotFound(f"{key!r} not found in {self._where()}")
        mismatched = []
        for path in named:
            sums = self._checksums(path)
            if sums is not None and sums.matches(md5, sha256):
                return path
            mismatched.append(path)
        for path in self._files():
            sums = self._checksums(path)
            if sums is not None and sums.matches(md5, sha256):
                return path
        wanted = _describe(md5, sha256)
        if mismatched:
            got = self._checksums(mismatched[0])
            have = ""
            if got is not None:
                have = _describe(got.md5 if md5 else None, got.sha256 if sha256 else None)
            raise DocumentNotFound(
                f"document {key!r}: {str(mismatched[0])!r} has {have or 'other bytes'}, not "
                f"{wanted}, and no file in {self._where()} has {wanted}; the file changed, so "
                "re-check the cited lines and update the checksum"
            )
        raise DocumentNotFound(
            f"document {key!r} ({wanted}) is not in {self._where()}: no file has that name "
            "or that checksum; add the file, or correct the document's checksum"
        )

    def locate_document(self, doc: Mapping[str, Any]) -> Path:
        """:meth:`locate` for a case document given as a mapping (``file``, ``md5``, ``sha256``)."""
        md5, sha256 = doc.get("md5"), doc.get("sha256")
        return self.locate(
            str(doc["file"]),
            md5=md5 if isinstance(md5, str) else None,
            sha256=sha256 if isinstance(sha256, str) else None,
        )

    def _where(self) -> str:
        return ", ".join(str(p) for p in self.places) or "no folder"
