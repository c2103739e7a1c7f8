"""pyproject.toml states ranges, requirements/lock.txt the exact versions, and they agree."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
REQUIREMENTS = [Requirement(s) for s in PROJECT["dependencies"]] + [
    Requirement(s) for specs in PROJECT["optional-dependencies"].values() for s in specs
]


def _pins(path: Path) -> dict[str, Version]:
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            req = Requirement(line)
            (spec,) = req.specifier
            assert spec.operator == "==", f"{path.name}: {line} is not an exact pin"
            pins[canonicalize_name(req.name)] = Version(spec.version)
    return pins


LOCK = _pins(REPO / "requirements" / "lock.txt")


@pytest.mark.parametrize("req", REQUIREMENTS, ids=str)
def test_pyproject_states_ranges_the_lock_satisfies(req: Requirement) -> None:
    assert not any(s.operator in ("==", "===") for s in req.specifier), (
        f"pyproject.toml pins {req}; state a lower bound and let requirements/lock.txt pin it"
    )
    name = canonicalize_name(req.name)
    assert name in LOCK, f"{req.name} is not in requirements/lock.txt; run `make lock`"
    assert req.specifier.contains(LOCK[name], prereleases=True), (
        f"requirements/lock.txt has {name}=={LOCK[name]}, outside pyproject's {req}"
    )


def test_no_dependency_is_installed_twice_at_different_versions() -> None:
    nodeps = _pins(REPO / "requirements-nodeps.txt")
    assert nodeps, "requirements-nodeps.txt lists nothing"
    for name, version in nodeps.items():
        assert LOCK.get(name) == version, f"{name}: nodeps {version}, lock {LOCK.get(name)}"
