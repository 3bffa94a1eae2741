"""Documentation snippets are the code the tests compile.

Every region between "// [NAME]" and "// [/NAME]" marker lines in a snippet file must appear
verbatim (after removing the region's common indentation) inside a ```cpp block of its
document:
    README.md          <- tests/package/facade/readme_example.cpp (region README)
    docs/cpp-guide.md  <- tests/guide/*_test.cpp (every region)
Usage: python3 check_snippets.py <source root>. Exit 1 naming each region that differs.
"""
import glob
import os
import re
import sys
import textwrap

OPEN = re.compile(r"^\s*// \[([A-Za-z0-9_:-]+)\]\s*$")
CLOSE = re.compile(r"^\s*// \[/([A-Za-z0-9_:-]+)\]\s*$")


def regions(path):
    out, name, body = [], None, []
    with open(path, encoding="utf-8") as f:
        for line in f.read().splitlines():
            if name is not None and CLOSE.match(line):
                out.append((name, textwrap.dedent("\n".join(body)) + "\n"))
                name = None
            elif name is None and OPEN.match(line):
                name, body = OPEN.match(line).group(1), []
            elif name is not None:
                body.append(line)
    if name is not None:
        raise SystemExit(f"{path}: region {name} is not closed")
    return out


def code_blocks(doc):
    return re.findall(r"```cpp\n(.*?)```", doc, flags=re.S)


def main(root):
    pairs = [("tests/package/facade/readme_example.cpp", "README.md")]
    pairs += [(os.path.relpath(p, root), "docs/cpp-guide.md")
              for p in sorted(glob.glob(os.path.join(root, "tests/guide/*_test.cpp")))]
    bad = 0
    for src, doc in pairs:
        with open(os.path.join(root, doc), encoding="utf-8") as f:
            blocks = code_blocks(f.read())
        found = regions(os.path.join(root, src))
        if not found:
            print(f"{src}: no snippet region")
            bad += 1
        for name, text in found:
            if not any(text in b for b in blocks):
                print(f"{doc} does not show region [{name}] of {src} verbatim in a ```cpp block:\n{text}")
                bad += 1
        print(f"{doc}: {len(found)} region(s) of {src} checked")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
