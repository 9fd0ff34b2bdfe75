"""Builds the ``starpos`` wheel with libstarpos inside it (issue 20.2).

``pip wheel ./python`` and ``pip install ./python`` run ``cargo build --release --lib`` in the
repository (``python/..``) and put ``target/release/libstarpos.so`` into the package, where
the loader looks first; the wheel is then tagged ``py3-none-<platform>`` (``linux_x86_64``
from the running interpreter), not ``none-any``: it holds a native library, but no Python
extension, so it suits every CPython >= 3.8 of that platform.

Why setuptools with two small command hooks, and not setuptools-rust or maturin: the package
stays pure Python (ctypes) plus a prebuilt shared library that uses no Python API.
setuptools-rust and maturin build Python extension modules: they would add a build
dependency, rename the library to an extension module's name or tie the wheel to one
CPython ABI (``cp311-cp311``), and maturin's non-PyO3 bindings (cffi, uniffi) generate their
own Python layer, not ours. What is needed is one cargo call and one file copy.

The environment:

- ``STARPOS_BUILD_LIBRARY=0`` (or ``no``, ``false``, ``off``): build nothing; the package is
  the old pure one (``py3-none-any``), which loads ``STARPOS_LIBRARY`` or the system's
  library. A ``libstarpos.so`` copied into ``python/starpos/`` by hand is still shipped (and
  the wheel then platform-tagged);
- ``CARGO``: the cargo to run (default: ``cargo`` on ``PATH``);
- ``CARGO_TARGET_DIR``: cargo's, so an existing build is reused (relative to the
  repository root, where cargo runs). The command is the one ``.ci/python.sh`` runs, so
  after it, or any ``cargo build --release --lib``, the call here is a no-op.

An sdist built from here and unpacked elsewhere has no ``Cargo.toml`` at ``..``: building it
stops with an error saying so (build from the checkout, or set ``STARPOS_BUILD_LIBRARY=0``).
"""

import json
import logging
import os
import re
import shutil
import subprocess

from setuptools import Distribution, setup
from setuptools.command.build_py import build_py
from setuptools.errors import ExecError, PlatformError

try:  # setuptools >= 70.1 has it; older ones need the `wheel` package
    from setuptools.command.bdist_wheel import bdist_wheel
except ImportError:  # pragma: no cover
    from wheel.bdist_wheel import bdist_wheel

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
LIBRARY = "libstarpos.so"
#: A libstarpos.so copied into the source package by hand (shipped as package data).
PREBUILT = os.path.join(HERE, "starpos", LIBRARY)


def build_library() -> bool:
    """False when STARPOS_BUILD_LIBRARY says not to build (0, no, false, off)."""
    value = os.environ.get("STARPOS_BUILD_LIBRARY", "1").strip().lower()
    return value not in ("0", "no", "false", "off")


def bundles_library() -> bool:
    """True when the wheel will hold libstarpos.so (built here, or copied in by hand)."""
    return build_library() or os.path.exists(PREBUILT)


def is_starpos_manifest(path) -> bool:
    """True when ``path`` is the Cargo.toml of the starpos crate (not of some other project
    that this directory was copied into)."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        return False
    return re.search(r'^\[package\]\s*\nname = "starpos"\s*$', text, flags=re.M) is not None


def cargo_build(announce) -> str:
    """Runs ``cargo build --release --lib`` in the repository; the path of libstarpos.so."""
    manifest = os.path.join(REPO, "Cargo.toml")
    if not is_starpos_manifest(manifest):
        raise PlatformError(
            f"starpos: no Cargo.toml of the starpos crate at {REPO}: libstarpos is built from "
            "the repository (python/.. of a checkout), and this source tree is not in one (an "
            "sdist unpacked elsewhere?). Build the wheel from the checkout (pip wheel "
            "./python), or set STARPOS_BUILD_LIBRARY=0 for the pure package (it then loads "
            "STARPOS_LIBRARY or the system's libstarpos.so)"
        )
    cargo = os.environ.get("CARGO") or shutil.which("cargo")
    if not cargo or not shutil.which(cargo):
        raise PlatformError(
            f"starpos: cannot run cargo ({'CARGO=' + repr(cargo) if cargo else 'not on PATH'})"
            ": building the wheel builds libstarpos with it. Install Rust (https://rustup.rs),"
            " set CARGO to cargo's path, or set STARPOS_BUILD_LIBRARY=0 for the pure package"
        )
    # The same command as .ci/python.sh and the README: the same features, so the same
    # cache (`-p starpos` would unify the workspace's features differently and rebuild).
    command = [cargo, "build", "--release", "--lib", "--manifest-path", manifest,
               "--message-format=json-render-diagnostics"]
    shown = " ".join(["cargo"] + command[1:4])
    announce(f"starpos: {shown} in {REPO}"
             + (f" (CARGO_TARGET_DIR={os.environ['CARGO_TARGET_DIR']})"
                if os.environ.get("CARGO_TARGET_DIR") else ""))
    # Diagnostics and progress go to stderr (pip shows them on failure, or with -v); the
    # artifacts' JSON on stdout says where the library is, whatever the target directory.
    run = subprocess.run(command, cwd=REPO, stdout=subprocess.PIPE, text=True)
    if run.returncode != 0:
        raise ExecError(f"starpos: {shown} failed (exit {run.returncode}); its messages are "
                        "above")
    for line in run.stdout.splitlines():
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if message.get("reason") != "compiler-artifact":
            continue
        if message.get("target", {}).get("name") != "starpos":
            continue
        for path in message.get("filenames", []):
            if os.path.basename(path) == LIBRARY:
                return path
    raise ExecError(f"starpos: cargo built no {LIBRARY} (is cdylib still in the crate-type?)")


class BuildPyWithLibrary(build_py):
    """build_py, then libstarpos.so into the built package (or, when not building, no stale
    one left there from an earlier build)."""

    def run(self):
        super().run()
        target = os.path.join(self.build_lib, "starpos", LIBRARY)
        if build_library():
            built = cargo_build(self.announce_info)
            self.mkpath(os.path.dirname(target))
            self.copy_file(built, target, preserve_mode=True)
        elif not os.path.exists(PREBUILT) and os.path.exists(target):
            os.remove(target)

    def announce_info(self, message):
        self.announce(message, level=logging.INFO)

    def get_outputs(self, include_bytecode=True):
        outputs = super().get_outputs(include_bytecode)
        target = os.path.join(self.build_lib, "starpos", LIBRARY)
        if build_library() and target not in outputs:
            outputs.append(target)
        return outputs


class DistributionWithLibrary(Distribution):
    """A distribution holding libstarpos.so counts as binary: the install commands put it in
    platlib (the wheel's root, ``Root-Is-Purelib: false``), not purelib, and the build dir is
    per platform (``build/lib.<platform>-...``, apart from the pure package's ``build/lib``)."""

    def has_ext_modules(self):
        return bundles_library()


class BdistWheelPlatform(bdist_wheel):
    """A wheel holding libstarpos.so is tagged ``py3-none-<platform>``: any CPython 3 of this
    platform (there is no extension module to tie it to one ABI, ``cp311-cp311``)."""

    def get_tag(self):
        python, abi, platform = super().get_tag()
        if self.root_is_pure:
            return python, abi, platform
        return "py3", "none", platform


setup(
    distclass=DistributionWithLibrary,
    cmdclass={"build_py": BuildPyWithLibrary, "bdist_wheel": BdistWheelPlatform},
)
