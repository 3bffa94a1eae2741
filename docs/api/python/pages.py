"""Writes the Sphinx source pages of offroi's Python API reference (scripts/docs).

    python3 docs/api/python/pages.py OUT_DIR

One page per public module of the package (every module of offroi/ but _core, found at run
time, so a new module is documented without editing this file) and a page for the package
itself with what it re-exports from the compiled core (offroi._core). Module pages document
the module's __all__; names that come from offroi._core are documented once, on the package
page. Fails if a public name of the package is documented nowhere.
"""
import inspect
import pkgutil
import sys
from pathlib import Path

import offroi


def core_names():
    """Public names of the package defined by the compiled core, sorted."""
    names = []
    for name in sorted(vars(offroi)):
        obj = getattr(offroi, name)
        if not name.startswith("_") and getattr(obj, "__module__", None) == "offroi._core":
            names.append(name)
    return names


def directive(obj):
    if inspect.isclass(obj):
        return "autoexception" if issubclass(obj, BaseException) else "autoclass"
    return "autofunction"


def title(text, char="="):
    return f"{text}\n{char * len(text)}\n\n"


def main(out):
    out.mkdir(parents=True, exist_ok=True)
    modules = sorted(m.name for m in pkgutil.iter_modules(offroi.__path__) if not m.name.startswith("_"))
    core = core_names()
    documented = set(core)

    page = title("The package offroi")
    page += (".. module:: offroi\n\n"
             "``import offroi`` gives the names below, defined by the compiled core "
             "(``offroi._core``, private), and re-exports the main functions and classes of "
             "its modules (documented on the modules' pages).\n\n")
    page += f".. data:: __version__\n\n   The package version, ``{offroi.__version__!r}``.\n\n"
    for name in core:
        obj = getattr(offroi, name)
        page += f".. {directive(obj)}:: offroi.{name}\n"
        if inspect.isclass(obj):
            page += "   :members:\n   :undoc-members:\n" if not issubclass(obj, BaseException) else ""
        page += "\n"
    (out / "package.rst").write_text(page, encoding="utf-8")

    for name in modules:
        module = __import__(f"offroi.{name}", fromlist=["_"])
        public = getattr(module, "__all__", None)
        if public is None:
            sys.exit(f"pages.py: offroi.{name} has no __all__ (say what is public)")
        from_core = [n for n in public if getattr(getattr(module, n, None), "__module__", None) == "offroi._core"]
        documented.update(n for n in public if getattr(offroi, n, None) is getattr(module, n, None))
        text = title(f"offroi.{name}")
        text += f".. automodule:: offroi.{name}\n"
        if from_core:  # documented on the package page
            text += f"   :exclude-members: {', '.join(from_core)}\n"
        text += "\n"
        (out / f"{name}.rst").write_text(text, encoding="utf-8")

    missing = [n for n in sorted(vars(offroi)) if not n.startswith("_") and n not in documented
               and not inspect.ismodule(getattr(offroi, n))]
    if missing:
        sys.exit("pages.py: public names of offroi in no module's __all__: " + ", ".join(missing))

    toc = "\n".join(["   package"] + [f"   {m}" for m in modules])
    index = title(f"offroi {offroi.__version__}: Python API reference")
    index += (f"{offroi.__doc__.strip().splitlines()[0]}\n\n"
              "The guide is docs/python-guide.md in the repository; this is the reference of every "
              "public function and class, generated from their docstrings.\n\n"
              f".. toctree::\n   :maxdepth: 2\n\n{toc}\n")
    (out / "index.rst").write_text(index, encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: pages.py OUT_DIR")
    main(Path(sys.argv[1]))
