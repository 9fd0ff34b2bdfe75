#!/usr/bin/env python3
"""Checks the relative links of the Markdown docs: README.md, the other top-level *.md and docs/*.md.

Every inline link `[text](path)` or `[text](path#anchor)` (outside code) must name a file or
directory of the repository, relative to the file that links, and its anchor a heading of the
target (GitHub's slugs). In README.md and docs/*.md every repository path written as code
(`src/wire.rs`, `docs/c.md`, `examples/c/`), repository-root relative as the docs write them,
must exist too, unless .gitignore says a build makes it (`examples/c/build/`). CHANGELOG.md
and the other pages may name paths that have since gone; only their links are checked.

usage: python3 scripts/check-links.py [FILE.md ...]     (exit 1 naming each broken link)
Needs python3 only; run by .ci/run ("format").
"""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Top-level directories a path written as code may start with (and files at the root).
TOP_DIRS = ("src", "tests", "docs", "examples", "scripts", "cli", "sim", "python", "include",
            "abi", "cmake", "bench", "benches", "fuzz", "share", ".ci")
LINK = re.compile(r"(?<!!)\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
CODE_SPAN = re.compile(r"(`+)(.+?)\1")
PATH_IN_CODE = re.compile(r"^(?:%s)/[A-Za-z0-9_./-]*$" % "|".join(re.escape(d) for d in TOP_DIRS))


def built_paths():
    """The paths .gitignore names without wildcards (`/examples/c/build/`): builds make them."""
    out = []
    ignore = ROOT / ".gitignore"
    for line in ignore.read_text(encoding="utf-8").splitlines() if ignore.exists() else []:
        line = line.strip()
        if line and not line.startswith("#") and not any(c in line for c in "*?[!"):
            out.append(line.lstrip("/"))
    return tuple(out)


BUILT = built_paths()


def slug(heading):
    """GitHub's anchor of a heading: markup dropped, lower case, punctuation dropped, - for spaces."""
    text = re.sub(r"`([^`]*)`", r"\1", heading)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_]{1,2}([^*_]+)[*_]{1,2}", r"\1", text) if "`" not in heading else text
    text = text.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def outside_code(lines):
    """(line number, text) of the lines outside fenced code blocks."""
    fence = None
    for n, line in enumerate(lines, 1):
        stripped = line.lstrip()
        if fence is None and stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            continue
        if fence is not None:
            if stripped.startswith(fence):
                fence = None
            continue
        yield n, line


_anchors = {}


def anchors(path):
    if path not in _anchors:
        seen, found = {}, set()
        for _, line in outside_code(path.read_text(encoding="utf-8").splitlines()):
            m = re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line)
            if not m:
                continue
            base = slug(m.group(1))
            k = seen.get(base, 0)
            seen[base] = k + 1
            found.add(base if k == 0 else "%s-%d" % (base, k))
        _anchors[path] = found
    return _anchors[path]


def check(md):
    problems = []
    rel = md.relative_to(ROOT)
    check_paths = rel.name == "README.md" or rel.parent.name == "docs"
    for n, line in outside_code(md.read_text(encoding="utf-8").splitlines()):
        for m in CODE_SPAN.finditer(line):
            text = m.group(2).strip()
            if (check_paths and PATH_IN_CODE.match(text) and "//" not in text
                    and not text.startswith(BUILT) and not (ROOT / text).exists()):
                problems.append("%s:%d: `%s` is not a path of the repository" % (rel, n, text))
        prose = CODE_SPAN.sub("", line)
        for m in LINK.finditer(prose):
            target = m.group(1)
            if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):  # http:, https:, mailto:
                continue
            file_part, _, anchor = target.partition("#")
            dest = (md.parent / file_part).resolve() if file_part else md
            if not dest.exists():
                problems.append("%s:%d: link to %s: no such file" % (rel, n, target))
                continue
            if anchor and dest.suffix == ".md" and anchor not in anchors(dest):
                problems.append("%s:%d: link to %s: %s has no heading #%s"
                                % (rel, n, target, dest.relative_to(ROOT), anchor))
    return problems


def main(argv):
    files = [Path(a).resolve() for a in argv] or sorted(ROOT.glob("*.md")) + sorted(ROOT.glob("docs/*.md"))
    problems = [p for md in files for p in check(md)]
    for p in problems:
        print(p, file=sys.stderr)
    print("check-links: %d files, %s" % (len(files), "%d broken" % len(problems) if problems else "every link resolves"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
