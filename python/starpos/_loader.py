"""Finding and loading libstarpos, and declaring its functions (``_abi.SIGNATURES``) on it.

The library is found through, in order:

1. ``libstarpos.so`` beside this file, inside the package: the one a wheel (``pip wheel
   ./python``, ``pip install ./python``) built and bundled. When present, the only one tried:
   an installed package always runs the library it was built with;
2. the environment variable ``STARPOS_LIBRARY`` (a path; when set, the only one tried), for a
   package without a bundled library (``STARPOS_BUILD_LIBRARY=0``, or the source tree);
3. ``ctypes.util.find_library("starpos")``, then the system loader (``libstarpos.so`` on its
   search path: ``make install``, ``LD_LIBRARY_PATH``);
4. for the source package of a checkout (``python/starpos/`` with ``Cargo.toml`` two levels
   up), the checkout's own build: ``target/debug/libstarpos.so``, then
   ``target/release/libstarpos.so`` (``CARGO_TARGET_DIR`` honoured), so that
   ``python3 -m unittest`` from ``python/`` needs nothing set after a ``cargo build``.

``library_path`` is the file that was loaded, as the dynamic loader mapped it (also when the
system loader found it by name). Loading happens once, when the package is imported.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from typing import Any, List, Set

from ._abi import SIGNATURES

_HERE = os.path.dirname(os.path.abspath(__file__))


def _candidates() -> List[str]:
    """The paths (or loader names) to try for libstarpos, in the order of the module
    documentation: the bundled library, when there is one, is the only one; else
    ``STARPOS_LIBRARY``, when set, is the only one."""
    beside = os.path.join(_HERE, "libstarpos.so")
    if os.path.exists(beside):
        return [beside]
    explicit = os.environ.get("STARPOS_LIBRARY")
    if explicit:
        if not os.path.exists(explicit):
            raise OSError(f"STARPOS_LIBRARY={explicit!r}: no such file")
        return [explicit]
    found = ctypes.util.find_library("starpos")
    # find_library answers the SONAME (libstarpos.so.0), which exists only where the library
    # was installed with its links (make install): the plain name is tried after it.
    system = [found, "libstarpos.so"] if found and found != "libstarpos.so" else ["libstarpos.so"]
    return system + _checkout_builds()


def _checkout_builds() -> List[str]:
    """The builds of the checkout this source package is in (none for an installed one)."""
    repo = os.path.dirname(os.path.dirname(_HERE))
    if not os.path.exists(os.path.join(repo, "Cargo.toml")):
        return []
    target = os.path.join(repo, os.environ.get("CARGO_TARGET_DIR") or "target")
    builds = [os.path.join(target, p, "libstarpos.so") for p in ("debug", "release")]
    return [b for b in builds if os.path.exists(b)]


def _load() -> ctypes.CDLL:
    """Loads the first candidate that loads; the error lists what was tried."""
    failures = []
    for path in _candidates():
        try:
            return ctypes.CDLL(path)
        except OSError as e:
            failures.append(f"{path}: {e}")
    raise OSError(
        f"cannot load libstarpos ({'; '.join(failures)}). Install the package from a wheel "
        "that bundles it (pip install ./python in a checkout builds one), set STARPOS_LIBRARY "
        "to the path of libstarpos.so (cargo build puts it in target/<profile>/), or install "
        "it (make install)"
    )


class _DlInfo(ctypes.Structure):
    """``Dl_info`` of ``<dlfcn.h>`` (glibc, musl): what ``dladdr`` tells of an address."""

    _fields_ = [
        ("dli_fname", ctypes.c_char_p),
        ("dli_fbase", ctypes.c_void_p),
        ("dli_sname", ctypes.c_char_p),
        ("dli_saddr", ctypes.c_void_p),
    ]


def _loaded_file(lib: ctypes.CDLL) -> str:
    """The file the dynamic loader mapped for ``lib`` (``dladdr`` of one of its functions):
    the path it found, where ``lib._name`` may be only the name it was asked for
    (``libstarpos.so``). ``lib._name`` when ``dladdr`` is not to be had."""
    name: str = lib._name
    try:
        function = lib.starpos_version
    except AttributeError:
        return name
    for libc in (None, ctypes.util.find_library("dl")):  # glibc < 2.34 keeps it in libdl
        try:
            dladdr = ctypes.CDLL(libc).dladdr
        except (OSError, AttributeError):
            continue
        dladdr.restype = ctypes.c_int
        dladdr.argtypes = [ctypes.c_void_p, ctypes.POINTER(_DlInfo)]
        info = _DlInfo()
        if dladdr(ctypes.cast(function, ctypes.c_void_p), ctypes.byref(info)) and info.dli_fname:
            found = os.fsdecode(info.dli_fname)
            return os.path.abspath(found) if os.sep in found else name
        return name
    return name


_lib = _load()

#: The library actually loaded: the path of the file the dynamic loader mapped.
library_path: str = _loaded_file(_lib)

#: Functions of this module's header that the loaded library does not export (an older
#: ``libstarpos.so``): the methods that need them raise ``NotImplementedError`` saying so.
MISSING_FUNCTIONS: Set[str] = set()

for _name, (_restype, _argtypes) in SIGNATURES.items():
    try:
        _function = getattr(_lib, _name)
    except AttributeError:
        MISSING_FUNCTIONS.add(_name)
        continue
    _function.restype = _restype
    _function.argtypes = _argtypes


def _c_function(name: str) -> Any:
    """The library's function ``name``, or ``NotImplementedError`` when the loaded library is
    older than this module and lacks it."""
    if name in MISSING_FUNCTIONS:
        raise NotImplementedError(
            f"{library_path} has no {name}: it is older than this Python module; load a newer "
            "libstarpos (reinstall the package to bundle one, or STARPOS_LIBRARY for a package "
            "without a bundled library)"
        )
    return getattr(_lib, name)


#: The loaded ``CDLL``, with ``restype``/``argtypes`` set on every function.
lib = _lib
