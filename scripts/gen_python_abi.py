#!/usr/bin/env python3
"""Generates python/starpos/_abi.py, the ctypes mirror of the C header, from include/starpos.h.

    python3 scripts/gen_python_abi.py            # rewrites python/starpos/_abi.py
    python3 scripts/gen_python_abi.py --check    # exit 1 (and a diff) when it is out of date

Options: --header FILE (default include/starpos.h), --out FILE (default
python/starpos/_abi.py). Standard library only.

The header is cbindgen's (build.rs, cbindgen.toml) and regular: doc comments (``/** ... */``)
before each item, ``#define STARPOS_<NAME> <integer>``, ``typedef enum <name> { ... } <name>;``,
``typedef struct <name> { <type> <field>; ... } <name>;``, function pointer typedefs
``typedef <ret> (*<name>)(<params>);`` and, between ``extern "C" {`` and its ``}``, one
prototype ``<ret> starpos_<name>(<params>);`` per function. Anything in it this script does
not understand (a type it cannot map, a declaration it cannot read) is an error naming it:
the mirror is never silently incomplete. ``#define``s that do not start with ``STARPOS_`` are
not part of the documented ABI and are left out (as scripts/abi.py does).
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
import textwrap
from typing import Dict, List, Optional, Tuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEADER = os.path.join(ROOT, "include", "starpos.h")
OUT = os.path.join(ROOT, "python", "starpos", "_abi.py")
COMMAND = "python3 scripts/gen_python_abi.py"

#: C scalar types and their ctypes.
SCALARS = {
    "bool": "ctypes.c_bool",
    "char": "ctypes.c_char",
    "int": "ctypes.c_int",
    "int32_t": "ctypes.c_int32",
    "uint32_t": "ctypes.c_uint32",
    "int64_t": "ctypes.c_int64",
    "uint64_t": "ctypes.c_uint64",
    "size_t": "ctypes.c_size_t",
}


class HeaderError(Exception):
    """Something in the header this script cannot mirror."""


class Header:
    """What the header declares, in its order."""

    def __init__(self) -> None:
        self.defines: List[Tuple[str, int, str]] = []  # (name, value, doc)
        self.enums: List[Tuple[str, str, List[Tuple[str, int]]]] = []  # (name, doc, values)
        self.structs: List[Tuple[str, str, List[Tuple[str, str]]]] = []  # (name, doc, fields)
        self.callbacks: List[Tuple[str, str, str, List[str]]] = []  # (name, doc, ret, params)
        self.functions: List[Tuple[str, str, List[str], str]] = []  # (name, ret, params, C)
        # Structs and callbacks interleaved as the header declares them, each ("struct" or
        # "callback", its index): a struct may hold a callback, a callback take a struct.
        self.order: List[Tuple[str, int]] = []


def doc_text(comment: str) -> str:
    """The words of a ``/** ... */`` comment, lines joined, paragraphs kept."""
    body = comment.strip()[3:-2]
    lines = [re.sub(r"^\s*\* ?", "", line).rstrip() for line in body.splitlines()]
    paragraphs = "\n".join(lines).strip().split("\n\n")
    return "\n\n".join(" ".join(p.split()) for p in paragraphs)


def first_paragraph(doc: str) -> str:
    return doc.split("\n\n")[0] if doc else ""


def split_items(text: str) -> List[Tuple[str, str]]:
    """(doc comment, item) pairs: each top-level item with the doc comment just before it."""
    items: List[Tuple[str, str]] = []
    pos = 0
    doc = ""
    pattern = re.compile(
        r'(?P<extern>extern "C" \{)|(?P<doc>/\*\*.*?\*/)|(?P<comment>/\*.*?\*/|//[^\n]*)'
        r"|(?P<pp>#[^\n]*)|(?P<decl>[^#/;{}]*(?:\{[^{}]*\})?[^#/;{}]*;)|(?P<brace>[{}])"
        r"|(?P<space>\s+)",
        re.S,
    )
    while pos < len(text):
        m = pattern.match(text, pos)
        if m is None:
            raise HeaderError(f"cannot read the header at: {text[pos:pos + 80]!r}")
        pos = m.end()
        if m.group("doc"):
            doc = doc_text(m.group("doc"))
        elif m.group("pp"):
            items.append((doc, m.group("pp").strip()))
            doc = ""
        elif m.group("decl"):
            items.append((doc, " ".join(m.group("decl").split())))
            doc = ""
        elif m.group("extern"):
            items.append(("", 'extern "C" {'))
        elif m.group("brace"):
            items.append(("", m.group("brace")))
    return items


#: What `structs` holds for a struct declared without a body: an opaque handle.
OPAQUE = "<opaque>"


def ctype(decl_type: str, structs: Dict[str, str], callbacks: Dict[str, str], where: str) -> str:
    """The ctypes expression for a C type (``const struct starpos_config *``, ``uint32_t``...)."""
    t = " ".join(decl_type.replace("*", " * ").split())
    pointer = t.endswith(" *")
    base = t[:-2].strip() if pointer else t
    if base.startswith("const "):
        base = base[len("const "):]
    if "*" in base:
        raise HeaderError(f"{where}: pointer to pointer ({decl_type!r}) is not mirrored")
    if pointer:
        if base == "char":
            return "ctypes.c_char_p"
        if base == "void":
            return "ctypes.c_void_p"
        if base.startswith("struct ") or base in structs:
            name = base[len("struct "):] if base.startswith("struct ") else base
            if name not in structs:
                raise HeaderError(f"{where}: unknown struct {name!r}")
            if structs[name] == OPAQUE:
                # An opaque handle (starpos_cancel): only ever held as a pointer.
                return "ctypes.c_void_p"
            return f"ctypes.POINTER({name})"
        if base in SCALARS:
            return f"ctypes.POINTER({SCALARS[base]})"
        raise HeaderError(f"{where}: cannot mirror the pointer type {decl_type!r}")
    if base == "void":
        return "None"
    if base in SCALARS:
        return SCALARS[base]
    if base.startswith("enum "):
        return "ctypes.c_int"
    if base in callbacks:
        return base
    raise HeaderError(f"{where}: cannot mirror the type {decl_type!r}")


def parse_params(params: str) -> List[Tuple[str, str]]:
    """(type, name) of each parameter of ``a, b, c`` (``void`` = none)."""
    params = params.strip()
    if params in ("", "void"):
        return []
    out = []
    for p in params.split(","):
        m = re.fullmatch(r"(.+?[\s*])(\w+)", p.strip())
        if m is None:
            raise HeaderError(f"cannot read the parameter {p.strip()!r}")
        out.append((m.group(1).strip(), m.group(2)))
    return out


def parse(text: str) -> Header:
    header = Header()
    structs: Dict[str, str] = {}
    callbacks: Dict[str, str] = {}
    defined: Dict[str, int] = {}
    in_extern = False
    for doc, item in split_items(text):
        if item.startswith("#"):
            m = re.fullmatch(r"#define\s+(STARPOS_\w+)\s+(.*)", item)
            if m and m.group(1) != "STARPOS_H":
                value = m.group(2).strip()
                if not re.fullmatch(r"\d+", value):
                    raise HeaderError(f"#define {m.group(1)} is not an integer: {value!r}")
                header.defines.append((m.group(1), int(value), doc))
                defined[m.group(1)] = int(value)
            continue
        if item == 'extern "C" {':
            in_extern = True
            continue
        if item in ("{", "}"):
            in_extern = in_extern and item != "}"
            continue
        m = re.fullmatch(r"typedef enum (\w+) \{(.*)\} \1;", item)
        if m:
            values = []
            for entry in re.sub(r"/\*.*?\*/", " ", m.group(2), flags=re.S).split(","):
                entry = entry.strip()
                if not entry:
                    continue
                v = re.fullmatch(r"(STARPOS_\w+) = (-?\d+)", entry)
                if v is None:
                    raise HeaderError(f"enum {m.group(1)}: cannot read {entry!r}")
                values.append((v.group(1), int(v.group(2))))
            header.enums.append((m.group(1), doc, values))
            continue
        m = re.fullmatch(r"typedef struct (\w+) \1;", item)
        if m:
            structs[m.group(1)] = OPAQUE
            continue
        m = re.fullmatch(r"typedef struct (\w+) \{(.*)\} \1;", item)
        if m:
            name = m.group(1)
            fields = []
            body = re.sub(r"/\*.*?\*/", " ", m.group(2), flags=re.S)
            for decl in body.split(";"):
                decl = " ".join(decl.split())
                if not decl:
                    continue
                f = re.fullmatch(r"(.+?[\s*])(\w+)(?:\[(\w+)\])?", decl)
                if f is None:
                    raise HeaderError(f"struct {name}: cannot read the field {decl!r}")
                t = ctype(f.group(1), structs, callbacks, f"{name}.{f.group(2)}")
                size = f.group(3)
                if size is not None:
                    if not (size.isdigit() or size in defined):
                        raise HeaderError(f"{name}.{f.group(2)}: unknown size {size!r}")
                    t = f"{t} * {size}"
                fields.append((f.group(2), t))
            header.structs.append((name, doc, fields))
            header.order.append(("struct", len(header.structs) - 1))
            structs[name] = name
            continue
        m = re.fullmatch(r"typedef (.+?)\s*\(\*(\w+)\)\((.*)\);", item)
        if m:
            name = m.group(2)
            ret = ctype(m.group(1), structs, callbacks, name)
            params = [ctype(t, structs, callbacks, f"{name}({p})")
                      for t, p in parse_params(m.group(3))]
            header.callbacks.append((name, doc, ret, params))
            header.order.append(("callback", len(header.callbacks) - 1))
            callbacks[name] = name
            continue
        m = re.fullmatch(r"(.+?[\s*])(starpos_\w+)\((.*)\);", item)
        if m and in_extern:
            name = m.group(2)
            ret = ctype(m.group(1), structs, callbacks, f"{name} (result)")
            params = [ctype(t, structs, callbacks, f"{name}({p})")
                      for t, p in parse_params(m.group(3))]
            header.functions.append((name, ret, params, item))
            continue
        if re.fullmatch(r"#?\s*", item):
            continue
        raise HeaderError(f"cannot mirror the declaration {item[:100]!r}")
    if not header.functions:
        raise HeaderError("no function prototypes found (no extern \"C\" block?)")
    return header


def comment_lines(text: str, prefix: str, width: int = 96) -> List[str]:
    out: List[str] = []
    for paragraph in text.split("\n\n") if text else []:
        out += textwrap.wrap(paragraph, width - len(prefix), initial_indent=prefix,
                             subsequent_indent=prefix, break_on_hyphens=False,
                             break_long_words=False)
    return out


def docstring(text: str, indent: str) -> List[str]:
    text = text.replace("\\", "\\\\").replace('"""', '\\"""')
    lines = textwrap.wrap(text, 96 - len(indent) - 3, break_on_hyphens=False,
                          break_long_words=False) or [""]
    lines[0] = '"""' + lines[0]
    if len(lines[-1]) + len(indent) + 3 <= 96:
        lines[-1] += '"""'
        return [indent + line for line in lines]
    return [indent + line for line in lines] + [indent + '"""']


def render(header: Header) -> str:
    out = [
        '"""The C ABI of libstarpos as ctypes declarations: every ``STARPOS_*`` constant, enum',
        "value, struct, callback type and function signature of ``include/starpos.h``, in its order.",
        "",
        "GENERATED from include/starpos.h by scripts/gen_python_abi.py: do not edit. After the header",
        "changes (``cargo build`` rewrites it), regenerate from the repository root with::",
        "",
        f"    {COMMAND}",
        "",
        'CI (.ci/run, "python mirror drift") runs it with ``--check``, which fails when this',
        'file differs from what it would write. No library is loaded here (see ``_loader``)."""',
        "",
        "import ctypes",
        "from typing import Any, Dict, List, Tuple",
        "",
        "# " + "-" * 92,
        "# Constants (#define).",
        "",
    ]
    for name, value, doc in header.defines:
        out += comment_lines(first_paragraph(doc), "#: ")
        out.append(f"{name} = {value}")
    out += ["", "#: Every ``STARPOS_*`` #define of the header, by name.", "DEFINES: Dict[str, int] = {"]
    out += [f'    "{name}": {name},' for name, _, _ in header.defines]
    out += ["}", "", "# " + "-" * 92, "# Enums: each value a constant.", ""]
    for name, doc, values in header.enums:
        out += comment_lines(f"``enum {name}``: " + first_paragraph(doc), "# ")
        for value_name, value in values:
            out.append(f"{value_name} = {value}")
        out.append("")
    out += ["#: Every enum of the header: its values by name.",
            "ENUMS: Dict[str, Dict[str, int]] = {"]
    for name, _, values in header.enums:
        out.append(f'    "{name}": {{')
        out += [f'        "{v}": {v},' for v, _ in values]
        out.append("    },")
    out += ["}", "", "# " + "-" * 92,
            "# Structs (field for field) and callback types, in the header's order.", ""]
    for kind, i in header.order:
        if kind == "struct":
            name, doc, fields = header.structs[i]
            out += ["", f"class {name}(ctypes.Structure):"]
            out += docstring(f"``struct {name}``: " + first_paragraph(doc), "    ")
            out += ["", "    _fields_ = ["]
            out += [f'        ("{field}", {t}),' for field, t in fields]
            out += ["    ]", ""]
        else:
            name, doc, ret, params = header.callbacks[i]
            out += [""] + comment_lines(first_paragraph(doc), "#: ")
            one = f"{name} = ctypes.CFUNCTYPE({', '.join([ret] + params)})"
            if len(one) <= 96:
                out.append(one)
            else:
                out += [f"{name} = ctypes.CFUNCTYPE("] + [f"    {p}," for p in [ret] + params]
                out += [")"]
            out.append("")
    out += ["", "#: Every struct of the header, by its C name.",
            "STRUCTS: Dict[str, Any] = {"]
    out += [f'    "{name}": {name},' for name, _, _ in header.structs]
    out += ["}"]
    out += ["", "# " + "-" * 92, "# Functions: name -> (restype, argtypes).", "",
            "SIGNATURES: Dict[str, Tuple[Any, List[Any]]] = {"]
    for name, ret, params, c in header.functions:
        out += comment_lines(c, "    # ")
        one = f'    "{name}": ({ret}, [{", ".join(params)}]),'
        if len(one) <= 96:
            out.append(one)
        else:
            out += [f'    "{name}": (', f"        {ret},", "        ["]
            out += [f"            {p}," for p in params]
            out += ["        ],", "    ),"]
    out += ["}", ""]
    return "\n".join(out)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="fail (exit 1, with a diff) when the file is out of date")
    parser.add_argument("--header", default=HEADER)
    parser.add_argument("--out", default=OUT)
    args = parser.parse_args(argv)
    with open(args.header, encoding="utf-8") as f:
        try:
            text = render(parse(f.read()))
        except HeaderError as e:
            print(f"gen_python_abi: {args.header}: {e}", file=sys.stderr)
            return 2
    try:
        with open(args.out, encoding="utf-8") as f:
            current: Optional[str] = f.read()
    except FileNotFoundError:
        current = None
    if args.check:
        if current == text:
            print(f"{os.path.relpath(args.out)} is up to date")
            return 0
        sys.stdout.writelines(difflib.unified_diff(
            (current or "").splitlines(True), text.splitlines(True),
            f"{args.out} (committed)", f"{args.out} (from {args.header})"))
        print(f"{args.out} differs from what {args.header} generates: run `{COMMAND}` and "
              "commit it", file=sys.stderr)
        return 1
    if current != text:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
