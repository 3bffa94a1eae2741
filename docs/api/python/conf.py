"""Sphinx configuration of offroi's Python API reference (scripts/docs).

scripts/docs generates the source pages (docs/api/python/pages.py) into
<out>/python/src and runs sphinx-build -W -c docs/api/python on them, with the built module
offroi._core importable. Docstrings are numpydoc style.
"""
import offroi

project = "offroi"
author = "offroi contributors"
copyright = "offroi contributors"
version = release = offroi.__version__

extensions = ["sphinx.ext.autodoc", "numpydoc"]
root_doc = "index"
exclude_patterns = []
nitpicky = False

autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_docstring_signature = True  # pybind11 functions: the signature is the first line
autoclass_content = "class"

numpydoc_show_class_members = False  # autodoc lists the members; no autosummary stubs
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

html_theme = "alabaster"
html_title = f"offroi {release} Python API"
html_static_path = []
html_show_sourcelink = False

# Every public function, class and method has a docstring (numpydoc check GL08); a missing
# one is a warning, and scripts/docs runs Sphinx with -W.
numpydoc_validation_checks = {"GL08"}
numpydoc_validation_exclude = {r"\.__\w+__$"}
