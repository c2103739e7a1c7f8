"""Voices: each expert's answer goes to the expert; reporters are never officials.

The expected ranges were read off the seeds by hand: in 000 the expert headers sit on
lines 15, 33, 41 and 51 and each answer runs to the line before the next header; in
003 the headers are on 7, 14, 22 and 32, with a photo caption on line 28 inside
Murashkin's answer and a quoted line from Putin (4) in the introduction.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dyadscope.evidence.documents import read_document, read_metadata_json
from dyadscope.evidence.voices import VoiceSpan, detect_voices, voice_at

SEED_EXPERTS = {
    "000_523e34e02eb78b2b.txt": [
        ("Robert Legvold", 17, 31),
        ("Feng Yujun", 35, 39),
        ("Andrey Kortunov", 43, 49),
        ("Zhao Huasheng", 53, 55),
    ],
    "003_0fe4a5da522352d7.txt": [
        ("Alexander Panov", 8, 13),
        ("Richard Weitz", 15, 21),
        ("Nikolay Murashkin", 23, 27),
        ("Nikolay Murashkin", 29, 31),
        ("Alexey Fenenko", 33, 36),
    ],
}


def _spans(path: Path) -> list[VoiceSpan]:
    return detect_voices(read_document(path, read_metadata_json(path.parent)))


@pytest.mark.parametrize("name", sorted(SEED_EXPERTS))
def test_every_answer_line_goes_to_its_expert(seeds_dir: Path, name: str) -> None:
    path = seeds_dir / name
    lines = path.read_text(encoding="utf-8").split("\n")
    spans = _spans(path)
    for expert, first, last in SEED_EXPERTS[name]:
        for n in range(first, last + 1):
            if not lines[n - 1].strip():
                continue
            found = [(s.voice, s.role) for s in voice_at(spans, n, n)]
            assert found == [(expert, "expert")], f"{name}:{n}"


def test_seed_003_caption_and_quoted_official(seeds_dir: Path) -> None:
    spans = _spans(seeds_dir / "003_0fe4a5da522352d7.txt")
    assert [(s.voice, s.role) for s in voice_at(spans, 28, 28)] == [("caption", "caption")]
    assert [(s.voice, s.role) for s in voice_at(spans, 2, 2)] == [("caption", "caption")]
    assert [(s.voice, s.role) for s in voice_at(spans, 4, 4)] == [("Putin", "quoted")]
    assert {s.role for s in voice_at(spans, 1, 6)} <= {"editorial", "caption", "quoted"}


_Q = re.compile(r"^\s*(\*\*)?Q(\*\*)?(\s{2,}|:)")


def test_reporters_questions_are_never_given_to_officials(documents_dir: Path) -> None:
    checked = 0
    for path in sorted(documents_dir.iterdir()):
        if not (path.name.startswith(("04_", "05_", "wh_2023", "wh_2024-04", "wh_2024-07"))):
            continue
        spans = _spans(path)
        lines = path.read_text(encoding="utf-8").split("\n")
        for n, line in enumerate(lines, start=1):
            if _Q.match(line):
                roles = {s.role for s in voice_at(spans, n, n)}
                assert roles == {"journalist"}, f"{path.name}:{n} {roles}"
                checked += 1
    assert checked > 30


def test_kremlin_interview_splits_interviewer_from_president(documents_dir: Path) -> None:
    spans = _spans(documents_dir / "02_kremlin_2022-02-03_putin-interview-china-media-group.txt")
    voices = {(s.voice, s.role) for s in spans}
    assert ("Vladimir Putin", "official") in voices
    assert ("Shen Haixiong", "journalist") in voices
    assert ("Shen Haixiong", "official") not in voices


def test_a_plain_essay_is_its_author(seeds_dir: Path) -> None:
    spans = _spans(seeds_dir / "002_eaad68d1925e2d2a.txt")
    assert {s.role for s in spans} <= {"author", "caption", "quoted"}
