"""What the image does, without Docker: the wheel it installs, in a folder nobody may write to,
run by an unprivileged user with `.env.example` as it ships and the image's environment."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.deploy.test_compose import DOCKERFILE, ROOT, image_env

NOBODY = 65534
PIP = (sys.executable, "-m", "pip", "--quiet")


def _as_unprivileged() -> dict[str, object]:
    """Root drops to `nobody`, as the image's user is no one in particular; others already are."""
    return {"user": NOBODY, "group": NOBODY, "extra_groups": []} if os.geteuid() == 0 else {}


def _interpreter() -> str:
    """A Python of this version that the unprivileged user may run: this one, or the system's
    (a per-user Python under a private home is out of its reach, as it would be in the image)."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for candidate in (sys.executable, f"/usr/bin/{version}", f"/usr/local/bin/{version}"):
        try:
            probe = subprocess.run(
                [candidate, "-c", "import sys; print(sys.version_info[:2])"],
                capture_output=True,
                text=True,
                **_as_unprivileged(),  # type: ignore[arg-type]
            )
        except OSError:  # not there, or not the unprivileged user's to run
            continue
        if probe.returncode == 0 and probe.stdout.strip() == str(sys.version_info[:2]):
            return candidate
    pytest.fail(f"no {version} here that an unprivileged user may run")


def _dependencies(top: Path) -> Path:
    """The installed dependencies, linked (not copied) to where the unprivileged user can read
    them; the checkout's own `bot` and `storage` are left behind, so the wheel is what runs."""
    mirror = top / "dependencies"
    site = Path(next(p for p in sys.path if p.endswith("site-packages")))
    subprocess.run(["cp", "-al", str(site), str(mirror)], check=True)
    for own in ("bot", "storage"):
        shutil.rmtree(mirror / own, ignore_errors=True)
    return mirror


@pytest.fixture(scope="module")
def image(tmp_path_factory) -> Iterator[dict[str, Path]]:
    wheels = tmp_path_factory.mktemp("wheels")
    subprocess.run(
        [*PIP, "wheel", "--no-deps", "--no-build-isolation", "--wheel-dir", str(wheels), str(ROOT)],
        check=True,
        capture_output=True,
    )
    # Outside pytest's private temporary folder, so the unprivileged user can reach it.
    top = Path(tempfile.mkdtemp(prefix="jol-image-"))
    top.chmod(0o755)
    app, site, data = top / "app", top / "site", top / "data"
    subprocess.run(
        [*PIP, "install", "--no-deps", "--target", str(site), str(next(wheels.glob("jol-*.whl")))],
        check=True,
        capture_output=True,
    )
    app.mkdir()
    shutil.copytree(ROOT / "content", app / "content")
    shutil.copytree(ROOT / "locales", app / "locales")
    shutil.copy(ROOT / ".env.example", app / ".env")  # as an operator's first `cp` leaves it
    for folder in (app, site):  # read-only for everyone, as in a read-only container
        for path in (folder, *folder.rglob("*")):
            path.chmod(0o555 if path.is_dir() or os.access(path, os.X_OK) else 0o444)
    (top / "tmp").mkdir()
    (top / "tmp").chmod(0o1777)
    data.mkdir()
    if os.geteuid() == 0:
        os.chown(data, NOBODY, NOBODY)
    try:
        yield {
            "app": app,
            "site": site,
            "data": data,
            "tmp": top / "tmp",
            "dependencies": _dependencies(top),
            "python": Path(_interpreter()),
        }
    finally:
        for folder in (app, site):
            for path in (folder, *folder.rglob("*")):
                if path.is_dir():
                    path.chmod(0o755)
        shutil.rmtree(top)


# The console script the wheel declares, started the way its `bin/jol` wrapper starts it.
ENTRYPOINT = (
    "import sys; from importlib.metadata import entry_points; "
    "sys.argv[0] = 'jol'; sys.exit(entry_points(group='console_scripts')['jol'].load()())"
)


def jol(image: dict[str, Path], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": f"{image['site']}:{image['dependencies']}",
        "HOME": "/nonexistent",
        **image_env(),
        "JOL_CONTENT_DIR": str(image["app"] / "content"),
        "JOL_LOCALES_DIR": str(image["app"] / "locales"),
        "JOL_DATA_DIR": str(image["data"]),
        "MPLCONFIGDIR": str(image["tmp"] / "matplotlib"),
    }
    return subprocess.run(
        [str(image["python"]), "-c", ENTRYPOINT, *args],
        cwd=image["app"],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        **_as_unprivileged(),  # type: ignore[arg-type]
    )


def test_the_entrypoint_is_the_installed_wheel_not_this_checkout(image):
    result = jol(image, "content", "check", "--errors-only")
    assert result.returncode == 0, result.stderr
    probe = subprocess.run(
        [str(image["python"]), "-c", "import bot; print(bot.__file__)"],
        cwd=image["app"],
        env={"PYTHONPATH": f"{image['site']}:{image['dependencies']}"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.startswith(str(image["site"]))


def test_without_a_token_the_image_says_so_in_one_line(image):
    assert re.search(r'^CMD \["jol", "run"\]', DOCKERFILE, re.M)
    result = jol(image, "run")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "BOT_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_unprivileged_user_keeps_its_state_private_on_the_data_volume(image):
    result = jol(image, "chat", stdin="/start\n:quit\n")
    assert result.returncode == 0, result.stderr
    kept = {p.name: stat.S_IMODE(p.stat().st_mode) for p in image["data"].iterdir()}
    assert kept, "nothing was written to the data volume"
    for name, mode in kept.items():
        assert not mode & 0o077, f"{name} is readable by others ({oct(mode)})"
    assert not list(image["app"].rglob("*.sqlite3")), "state was written into the app folder"
