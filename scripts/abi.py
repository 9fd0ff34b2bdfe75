#!/usr/bin/env python3
"""The C ABI of libstarpos as a text snapshot, and the check that the ABI stays compatible.

usage: abi.py {snapshot|check|update|soname} [--header H] [--dir D] [--soname S]

  snapshot  prints the current ABI (what `update` would write)
  check     compares the current ABI with abi/<SONAME>.txt; exit 1 when it is incompatible
            (a struct's layout, a function's or callback's signature, an enum value or a
            STARPOS_* constant changed or vanished), exit 0 when it is the same or only adds
            (new functions, structs, enum values, constants)
  update    writes abi/<SONAME>.txt from the current header (idempotent: the same header
            gives the same bytes)
  soname    prints the SONAME the current version gets (cargo-c's rule, see soname_for)

The snapshot is measured, not guessed: include/starpos.h (cbindgen output, regular) is read
for its declarations, and a generated C program compiled with $CC (default cc) prints every
struct's sizeof/alignof and every field's offsetof/size, every enum value, every
`#define STARPOS_*`, and each function's prototype with the parameter names dropped. Sizes
are those of the machine's data model (LP64 on x86_64); the snapshot names it and the check
refuses to compare across data models.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class AbiError(Exception):
    """The header or the toolchain cannot give a snapshot; the message says why."""


# --- the version and the SONAME ---------------------------------------------------------------


def package_version(cargo_toml):
    """The `version` of the [package] section of Cargo.toml."""
    section = None
    with open(cargo_toml, encoding="utf-8") as f:
        for line in f:
            stripped = line.strip()
            if stripped.startswith("["):
                section = stripped
            elif section == "[package]":
                m = re.match(r'version\s*=\s*"([^"]+)"', stripped)
                if m:
                    return m.group(1)
    raise AbiError(f"{cargo_toml}: no version in [package]")


def soname_for(version):
    """cargo-c's SONAME for a semver version: libstarpos.so.0.0.P for 0.0.P, .0.M for 0.M.x,
    .X for X.y.z (X >= 1). The same rule is in build.rs, the Makefile and the tests."""
    m = re.match(r"(\d+)\.(\d+)\.(\d+)", version)
    if not m:
        raise AbiError(f"version {version!r} is not major.minor.patch")
    major, minor, patch = (int(x) for x in m.groups())
    if major == 0 and minor == 0:
        suffix = f"0.0.{patch}"
    elif major == 0:
        suffix = f"0.{minor}"
    else:
        suffix = f"{major}"
    return f"libstarpos.so.{suffix}"


# --- reading the header -----------------------------------------------------------------------

IDENT = r"[A-Za-z_]\w*"
TAG_KEYWORDS = re.compile(r"\b(?:struct|enum|union)\s+")


def normalise_type(text):
    """One spelling per type: single spaces, `*` glued to the left, no struct/enum/union tag
    keyword (cbindgen's `both` style names the tag and the typedef alike)."""
    text = TAG_KEYWORDS.sub("", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s*\*\s*", "*", text)
    text = re.sub(r"\*(?=\w)", "* ", text)
    text = re.sub(r"\s*\[\s*", "[", text)
    text = re.sub(r"\s*\]", "]", text)
    text = re.sub(r"\s*,\s*", ", ", text)
    text = re.sub(r"\(\s*", "(", text)
    text = re.sub(r"\s*\)", ")", text)
    return text


def split_top(text, sep):
    """Splits at `sep` outside parentheses, brackets and braces."""
    parts, depth, cur = [], 0, []
    for ch in text:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == sep and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return parts


def declarator(decl):
    """Splits a declaration into (name, type without the name), for a plain declaration
    (`const char *base_url`, `char error[SIZE]`) or a function pointer (`void (*cb)(int)`)."""
    decl = decl.strip()
    m = re.match(rf"^(.*?)\(\s*\*\s*({IDENT})\s*\)\s*(\(.*\))$", decl, re.S)
    if m:
        params = normalise_params(m.group(3)[1:-1])
        return m.group(2), normalise_type(f"{m.group(1)} (*)({params})")
    m = re.match(rf"^(.*?)\b({IDENT})\s*((?:\[[^\]]*\]\s*)*)$", decl, re.S)
    if not m or not m.group(1).strip():
        raise AbiError(f"cannot read the declaration {decl!r}")
    return m.group(2), normalise_type(m.group(1) + m.group(3))


def normalise_params(params):
    """A parameter list without the parameter names: `const char*, size_t`."""
    params = params.strip()
    if params in ("", "void"):
        return "void"
    out = []
    for p in split_top(params, ","):
        p = p.strip()
        if p == "...":
            out.append(p)
        else:
            out.append(declarator(p)[1])
    return ", ".join(out)


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def parse_header(text):
    """The header's ABI items, in header order: ("const", name, value_text),
    ("enum", c_type, [enumerators]), ("struct", c_type, [(field, type)]),
    ("callback", name, signature), ("typedef", name, type), ("opaque", name, tagged type),
    ("function", name, prototype)."""
    text = strip_comments(text)
    items = []
    for m in re.finditer(rf"^[ \t]*#[ \t]*define[ \t]+(STARPOS_\w+)[ \t]+(\S[^\n]*?)[ \t]*$", text, re.M):
        items.append(("const", m.group(1), m.group(2)))
    # The C++ guards only open and close `extern "C"`; the other directives carry no ABI.
    text = re.sub(r"#ifdef __cplusplus.*?#endif", " ", text, flags=re.S)
    text = re.sub(r"^[ \t]*#[^\n]*", " ", text, flags=re.M)
    for decl in split_top(text, ";"):
        decl = " ".join(decl.split())
        if not decl:
            continue
        items.append(parse_declaration(decl))
    return items


def parse_declaration(decl):
    m = re.match(rf"^(typedef )?(enum|struct|union) ({IDENT} )?\{{(.*)\}} ?({IDENT})?$", decl)
    if m:
        kind, tag, body, alias = m.group(2), (m.group(3) or "").strip(), m.group(4), m.group(5)
        if not tag and not alias:
            raise AbiError(f"an anonymous {kind} has no name to measure: {decl[:80]}")
        c_type = alias if m.group(1) and alias else f"{kind} {tag}"
        if kind == "enum":
            names = []
            for e in split_top(body, ","):
                e = e.strip()
                if e:
                    names.append(re.match(rf"^({IDENT})", e).group(1))
            return ("enum", c_type, names)
        fields = []
        for f in split_top(body, ";"):
            if not f.strip():
                continue
            if re.search(r":\s*\d+\s*$", f):
                raise AbiError(f"{c_type}: bit-fields cannot be measured with offsetof: {f.strip()}")
            fields.append(declarator(f))
        return ("struct", c_type, fields)
    m = re.match(rf"^typedef (.*?)\( ?\* ?({IDENT}) ?\) ?\((.*)\)$", decl)
    if m:
        sig = normalise_type(f"{m.group(1)} (*)({normalise_params(m.group(3))})")
        return ("callback", m.group(2), sig)
    m = re.match(rf"^typedef (struct|union|enum) ({IDENT}) ({IDENT})$", decl)
    if m:
        # An opaque handle (cbindgen's output for a type C only sees through pointers): it has
        # a name and no size.
        return ("opaque", m.group(3), f"{m.group(1)} {m.group(2)}")
    if decl.startswith("typedef "):
        name, typ = declarator(decl[len("typedef "):])
        return ("typedef", name, typ)
    m = re.match(rf"^(.*?)\b({IDENT}) ?\((.*)\)$", decl)
    if m and m.group(1).strip():
        proto = f"{normalise_type(m.group(1))} ({normalise_params(m.group(3))})"
        return ("function", m.group(2), proto)
    raise AbiError(f"cannot read this declaration of the header: {decl[:120]}")


# --- measuring it -----------------------------------------------------------------------------


def esc(text):
    """`text` as literal printf format text inside a C string literal."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%")


def c_printf(fmt, *args):
    """A printf statement of one snapshot line; `fmt` is already escaped (see esc)."""
    return "  printf(\"" + fmt + "\\n\"" + "".join(", " + a for a in args) + ");"


def c_program(header_path, items):
    """A C program that prints the snapshot's lines."""
    lines = [
        "#include <stddef.h>",
        "#include <stdio.h>",
        f'#include "{esc(header_path)}"',
        "int main(void) {",
        c_printf(
            "model: pointer %zu, long %zu, size_t %zu, int %zu",
            "sizeof(void *)", "sizeof(long)", "sizeof(size_t)", "sizeof(int)",
        ),
    ]
    for kind, name, data in items:
        if kind == "const":
            if data.startswith('"'):
                lines.append(c_printf(esc(f"const {name}: {data}")))
            else:
                lines.append(c_printf(f"const {name}: %lld", f"(long long)({name})"))
        elif kind == "enum":
            lines.append(c_printf(f"enum {esc(name)}: size %zu", f"sizeof({name})"))
            for e in data:
                lines.append(c_printf(f"enum {esc(name)}.{e}: %lld", f"(long long)({e})"))
        elif kind == "struct":
            short = TAG_KEYWORDS.sub("", name)
            lines.append(
                c_printf(f"struct {short}: size %zu, align %zu", f"sizeof({name})", f"_Alignof({name})")
            )
            for field, typ in data:
                lines.append(
                    c_printf(
                        f"field {short}.{field}: offset %zu, size %zu, type {esc(typ)}",
                        f"offsetof({name}, {field})",
                        f"sizeof((({name} *)0)->{field})",
                    )
                )
        elif kind in ("callback", "typedef"):
            lines.append(c_printf(f"{kind} {name}: size %zu, type {esc(data)}", f"sizeof({name})"))
        elif kind == "opaque":
            lines.append(c_printf(esc(f"typedef {name}: opaque {data}")))
        elif kind == "function":
            # Naming it (unevaluated) checks that the header declares a function of this name.
            lines.append(f"  (void)sizeof(&{name});")
            lines.append(c_printf(esc(f"function {name}: {data}")))
    lines += ["  return 0;", "}", ""]
    return "\n".join(lines)


def measure(header):
    """The snapshot lines of `header` (header order), measured by the C compiler."""
    header = os.path.abspath(header)
    try:
        with open(header, encoding="utf-8") as f:
            items = parse_header(f.read())
    except OSError as e:
        raise AbiError(f"cannot read {header}: {e}") from e
    cc = os.environ.get("CC", "cc")
    with tempfile.TemporaryDirectory(prefix="starpos-abi-") as tmp:
        src, exe = os.path.join(tmp, "abi.c"), os.path.join(tmp, "abi")
        with open(src, "w", encoding="utf-8") as f:
            f.write(c_program(header, items))
        try:
            built = subprocess.run([cc, "-std=c11", "-w", "-o", exe, src], capture_output=True, text=True)
        except OSError as e:
            raise AbiError(f"cannot run the C compiler {cc!r} (set CC): {e}") from e
        if built.returncode != 0:
            raise AbiError(f"the measuring program does not compile with {cc}:\n{built.stderr}")
        ran = subprocess.run([exe], capture_output=True, text=True)
        if ran.returncode != 0:
            raise AbiError(f"the measuring program failed ({ran.returncode}): {ran.stderr}")
    return ran.stdout.splitlines()


# --- comparing --------------------------------------------------------------------------------


def entries(lines):
    """{key: value} of snapshot lines (`key: value`), comments and blank lines skipped."""
    out = {}
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        key, _, value = line.partition(": ")
        out[key] = value
    return out


def compare(old_lines, new_lines):
    """(incompatible, added): what the new ABI breaks of the old one, and what it adds."""
    old, new = entries(old_lines), entries(new_lines)
    broken, added = [], []
    if old.get("model") != new.get("model"):
        raise AbiError(
            f"the snapshot was measured on another data model ({old.get('model')}) than this "
            f"machine's ({new.get('model')}): run the check where the snapshot was made"
        )
    for key, value in old.items():
        if key == "model":
            continue
        if key not in new:
            broken.append(f"{key}: gone (was {value})")
        elif new[key] != value:
            broken.append(f"{key}: was {value}; now {new[key]}")
    old_structs = {k.split(" ", 1)[1] for k in old if k.startswith("struct ")}
    old_enums = {k.split(" ", 1)[1] for k in old if k.startswith("enum ") and "." not in k}
    for key, value in new.items():
        if key in old:
            continue
        kind, _, name = key.partition(" ")
        if kind == "field" and name.split(".", 1)[0] in old_structs:
            broken.append(f"{key}: new field in an existing struct ({value})")
        elif kind == "enum" and "." in name and name.split(".", 1)[0] in old_enums:
            added.append(f"{key}: new enum value ({value})")
        else:
            added.append(f"{key}: {value}")
    return broken, added


# --- the commands -----------------------------------------------------------------------------


def snapshot_text(soname, header, lines):
    rel = os.path.relpath(os.path.abspath(header), ROOT)
    head = [
        f"# The C ABI of {soname}, measured from {rel} by scripts/abi.sh.",
        "# Programs built against it must keep working with every later library of this SONAME:",
        "# `scripts/abi.sh check` fails when a struct layout, a signature, an enum value or a",
        "# constant below changes or goes (README.md, \"ABI and versions\"). New lines are fine.",
    ]
    return "\n".join(head + lines) + "\n"


def main(argv):
    parser = argparse.ArgumentParser(prog="scripts/abi.sh", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["snapshot", "check", "update", "soname"])
    parser.add_argument("--header", default=os.path.join(ROOT, "include", "starpos.h"))
    parser.add_argument("--dir", default=os.path.join(ROOT, "abi"), help="where the snapshots are")
    parser.add_argument("--soname", help="instead of the one Cargo.toml's version gives")
    args = parser.parse_args(argv)
    try:
        version = package_version(os.path.join(ROOT, "Cargo.toml"))
        soname = args.soname or soname_for(version)
        if args.command == "soname":
            print(soname)
            return 0
        lines = measure(args.header)
        path = os.path.join(args.dir, f"{soname}.txt")
        if args.command == "snapshot":
            sys.stdout.write(snapshot_text(soname, args.header, lines))
            return 0
        if args.command == "update":
            return update(path, soname, args.header, lines)
        return check(path, soname, version, args.dir, lines)
    except AbiError as e:
        print(f"abi: {e}", file=sys.stderr)
        return 2


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return f.read().splitlines()


def update(path, soname, header, lines):
    text = snapshot_text(soname, header, lines)
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            before = f.read()
        if before == text:
            print(f"abi: {os.path.relpath(path)} is up to date")
            return 0
        broken, _ = compare(before.splitlines(), lines)
        if broken:
            print(
                f"abi: note: the new snapshot is incompatible with the one it replaces; fine only "
                f"while {soname} is unreleased:\n  " + "\n  ".join(broken)
            )
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"abi: wrote {os.path.relpath(path)} ({len(lines)} lines)")
    return 0


def check(path, soname, version, snap_dir, lines):
    if not os.path.exists(path):
        others = sorted(p for p in os.listdir(snap_dir) if p.endswith(".txt")) if os.path.isdir(snap_dir) else []
        print(
            f"abi: no snapshot of {soname} (version {version}) in {os.path.relpath(snap_dir)}"
            f" (there are: {', '.join(others) or 'none'}).\n"
            f"  A new SONAME needs its ABI recorded: run `scripts/abi.sh update` and commit"
            f" {os.path.relpath(path)}.",
            file=sys.stderr,
        )
        return 1
    broken, added = compare(read_lines(path), lines)
    rel = os.path.relpath(path)
    if broken:
        print(f"abi: the C ABI is INCOMPATIBLE with {rel} (the ABI of {soname}):", file=sys.stderr)
        for b in broken:
            print(f"  {b}", file=sys.stderr)
        print(
            "  Programs built against an earlier library of this SONAME would break. Either undo\n"
            "  the change (add a new struct or function instead, append enum values), or start a\n"
            "  new SONAME: bump the version in Cargo.toml (0.x: the minor, e.g. 0.2.0 -> 0.3.0;\n"
            "  from 1.0: the major), then `scripts/abi.sh update` and commit the new\n"
            "  abi/<SONAME>.txt (docs/c.md, \"ABI and versions\").",
            file=sys.stderr,
        )
        return 1
    if added:
        print(f"abi: compatible with {rel}; these additions are fine (appended):")
        for a in added:
            print(f"  {a}")
        print("  Record them with `scripts/abi.sh update` so that later changes to them are caught.")
    else:
        print(f"abi: the C ABI matches {rel}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
