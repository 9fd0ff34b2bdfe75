#!/usr/bin/env python3
"""Generates python/starpos/_abi.py, the ctypes mirror of the C header, and
python/starpos/_answers.py, the answer dataclasses, from include/starpos.h.

    python3 scripts/gen_python_abi.py            # rewrites python/starpos/_abi.py
    python3 scripts/gen_python_abi.py --check    # exit 1 (and a diff) when it is out of date

Options: --header FILE (default include/starpos.h), --out FILE (default
python/starpos/_abi.py), --answers-out FILE (default python/starpos/_answers.py). Standard
library only.

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


ANSWERS_OUT = os.path.join(ROOT, "python", "starpos", "_answers.py")

#: The Python API's answer classes, written into ``_answers.py``: each (class name, its
#: response struct, docstring). The fields are the struct's, in its order: ``char`` arrays
#: ``str``, ``result`` (one ``char``) ``Optional[str]``, ``uint64_t`` fen ``int``, ``bool``
#: ``bool``; ``error`` is left out (it goes into the exception); fields after ``verified``
#: (appended later, for the ABI) take a default. Only what no struct can say, what the answer
#: means to a Python caller, is written here.
ANSWER_CLASSES: List[Tuple[str, str, str]] = [
    ("QryResult", "starpos_qry_response",
     """What ``pubSigQry`` answered: the merchant's WeChat official account (``app_id``, for
:func:`oauth_url`; ``app_id_key`` its secret: never log it, left out of ``repr``)."""),
    ("PayResult", "starpos_pay_response",
     """What ``pubSigPay`` answered. ``result`` is 'A' or 'Z' by design: follow with
:meth:`Client.wait` on ``log_no``."""),
    ("QueryResult", "starpos_query_response",
     """What the order query answered. ``result``: 'S' paid, 'F' failed, 'D' revoked (final);
'A', 'Z' (query again). ``order_no`` is the channel order number a refund needs. ``trade_no``:
the ``tradeNo`` this query was sent with (after :meth:`Client.wait` that of its last query;
after :meth:`Client.barcode_sale` the sale's own). ``ref_amt``: fen already refunded
(answered to version "V1.0.1"; else 0). ``add_field``: ``addField`` (<= 256 GBK bytes), ""
when not answered."""),
    ("RefundResult", "starpos_refund_response",
     """What the refund answered. ``result``: 'S' refunded, 'F' failed, 'Z' unknown.
``trade_no``: the ``tradeNo`` the refund was sent with (after an in-doubt failure, query
it)."""),
    ("RevokeResult", "starpos_revoke_response",
     """What the revoke (``RevokeBarcodepay``) answered. ``result``: 'S' revoked (the sale now
queries 'D'), 'F' not revoked, 'Z' unknown: :meth:`Client.wait` on the sale's ``trade_no``
until final ('D' = revoked). ``trade_no`` here is this revoke's own."""),
    ("BarcodePayResult", "starpos_barcode_pay_response",
     """What the barcode pay (``sdkBarcodePay``) answered. ``result``: 'S' paid, 'F' failed
(final); 'A' the payer is entering a password, 'Z' unknown: :meth:`Client.wait` on
``trade_no`` (the sale's, generated when none was given) until final, never pay again.
``order_no``: the channel's order number (a refund needs it). ``open_id``: the payer's openid
in WeChat when answered ("" otherwise); a secret, left out of ``repr``."""),
    ("QrPayResult", "starpos_qr_pay_response",
     """What the QR pay (``sdkBarcodePosPay``) answered. ``result`` 'S' means the QR order was
made, NOT that it is paid: show ``pay_code`` (valid for 15 minutes) as a QR code, then
:meth:`Client.wait` on ``trade_no`` until final. 'F' = no order; 'Z' = unknown: query."""),
]
#: Answer fields ``repr`` never shows (secrets).
ANSWER_SECRETS = frozenset({"app_id_key", "open_id"})
#: Response-struct fields that are not answer attributes.
NOT_ATTRIBUTES = frozenset({"error"})
#: An answer attribute's type and the default it takes after ``verified``, by ctypes type.
ANSWER_TYPES = {
    "ctypes.c_char": ("Optional[str]", "None"),
    "ctypes.c_bool": ("bool", "False"),
    "ctypes.c_uint64": ("int", "0"),
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


def render_answers(header: Header) -> str:
    """``_answers.py``: the answer dataclasses of :data:`ANSWER_CLASSES`."""
    structs = {name: fields for name, _, fields in header.structs}
    out = [
        '"""The answer classes: one dataclass per response struct of ``include/starpos.h``, its',
        "fields in the struct's order (see ``ANSWER_CLASSES`` in the generator for the rules).",
        "",
        "GENERATED from include/starpos.h by scripts/gen_python_abi.py, with ``_abi.py``: do not",
        f"edit; regenerate with ``{COMMAND}``. CI checks it is up to date.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "import dataclasses",
        "from typing import Optional",
        "",
    ]
    for cls, struct, doc in ANSWER_CLASSES:
        if struct not in structs:
            raise HeaderError(f"{cls}: the header has no struct {struct!r}")
        out += ["", "@dataclasses.dataclass", f"class {cls}:"]
        out += docstring(doc, "    ")
        out.append("")
        after_verified = False
        for field, t in structs[struct]:
            if field in NOT_ATTRIBUTES:
                continue
            if t in ANSWER_TYPES:
                py, default = ANSWER_TYPES[t]
            elif re.fullmatch(r"ctypes\.c_char \* \w+", t):
                py, default = "str", '""'
            else:
                raise HeaderError(f"{struct}.{field}: no answer attribute type for {t!r}")
            opts = []
            if field in ANSWER_SECRETS:
                opts.append("repr=False")
            if after_verified:
                opts.append(f"default={default}")
            if not opts:
                out.append(f"    {field}: {py}")
            elif opts == [f"default={default}"]:
                out.append(f"    {field}: {py} = {default}")
            else:
                out.append(f"    {field}: {py} = dataclasses.field({', '.join(opts)})")
            after_verified = after_verified or field == "verified"
        out.append("")
    return "\n".join(out[:-1]) + "\n"


def check_or_write(path: str, text: str, check: bool, header: str) -> int:
    """Compares ``path`` with ``text`` (``check``: 1 and a diff when they differ) or writes it."""
    try:
        with open(path, encoding="utf-8") as f:
            current: Optional[str] = f.read()
    except FileNotFoundError:
        current = None
    if check:
        if current == text:
            print(f"{os.path.relpath(path)} is up to date")
            return 0
        sys.stdout.writelines(difflib.unified_diff(
            (current or "").splitlines(True), text.splitlines(True),
            f"{path} (committed)", f"{path} (from {header})"))
        print(f"{path} differs from what {header} generates: run `{COMMAND}` and "
              "commit it", file=sys.stderr)
        return 1
    if current != text:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"wrote {path}")
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="fail (exit 1, with a diff) when the file is out of date")
    parser.add_argument("--header", default=HEADER)
    parser.add_argument("--out", default=OUT)
    parser.add_argument("--answers-out", default=ANSWERS_OUT)
    args = parser.parse_args(argv)
    with open(args.header, encoding="utf-8") as f:
        try:
            header = parse(f.read())
            abi, answers = render(header), render_answers(header)
        except HeaderError as e:
            print(f"gen_python_abi: {args.header}: {e}", file=sys.stderr)
            return 2
    return max(check_or_write(args.out, abi, args.check, args.header),
               check_or_write(args.answers_out, answers, args.check, args.header))


if __name__ == "__main__":
    sys.exit(main())
