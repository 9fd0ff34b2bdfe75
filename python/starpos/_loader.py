"""Finding and loading libstarpos, and declaring its functions (``_abi.SIGNATURES``) on it.

The library is found through, in order: the environment variable ``STARPOS_LIBRARY`` (a path;
when set, the only one tried), ``libstarpos.so`` beside this file (inside the package),
``ctypes.util.find_library("starpos")``, then the system loader (``libstarpos.so`` on its
search path). Loading happens once, when the package is imported.
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
    documentation. ``STARPOS_LIBRARY``, when set, is the only one."""
    explicit = os.environ.get("STARPOS_LIBRARY")
    if explicit:
        if not os.path.exists(explicit):
            raise OSError(f"STARPOS_LIBRARY={explicit!r}: no such file")
        return [explicit]
    beside = os.path.join(_HERE, "libstarpos.so")
    if os.path.exists(beside):
        return [beside]
    found = ctypes.util.find_library("starpos")
    # find_library answers the SONAME (libstarpos.so.0), which exists only where the library
    # was installed with its links (make install): the plain name is tried after it.
    return [found, "libstarpos.so"] if found and found != "libstarpos.so" else ["libstarpos.so"]


def _load() -> ctypes.CDLL:
    """Loads the first candidate that loads; the error lists what was tried."""
    failures = []
    for path in _candidates():
        try:
            return ctypes.CDLL(path)
        except OSError as e:
            failures.append(f"{path}: {e}")
    raise OSError(
        f"cannot load libstarpos ({'; '.join(failures)}). Set STARPOS_LIBRARY to the path of "
        "libstarpos.so (cargo build puts it in target/<profile>/), or install it (make install)"
    )


_lib = _load()

#: The library actually loaded.
library_path: str = _lib._name

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
            "libstarpos (STARPOS_LIBRARY)"
        )
    return getattr(_lib, name)


#: The loaded ``CDLL``, with ``restype``/``argtypes`` set on every function.
lib = _lib
