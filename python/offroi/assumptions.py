"""Assumption tables: a scenario's inputs as a spreadsheet, one row per input.

Columns: ``name`` and ``distribution``, the family's parameters (``value``, ``min``, ``mode``,
``max``, ``p10``, ``p90``, ... as in docs/scenario-format.md section 9), ``unit`` and
``source``. CSV files are read by the C++ core (the same reader as ``offroi run --inputs``);
XLSX workbooks through openpyxl (Debian's python3-openpyxl), cell by cell, then checked by
the same code, so the rules and messages are the same: each names the file, the row as the
spreadsheet numbers it, the input, the column with its letter, the value and what is
allowed.

>>> s = offroi.Scenario.default()
>>> offroi.write_template(s, "assumptions.xlsx")        # edit it in a spreadsheet
>>> s.apply_assumptions("assumptions.xlsx")               # or .csv, or a DataFrame
"""
from __future__ import annotations

import math
import numbers
import os
from typing import List, Optional, Tuple

import pandas as pd

from . import _core

__all__ = ["read_assumptions", "apply_assumptions", "assumptions_template", "write_template"]

_TEXT_COLUMNS = ("name", "distribution", "unit", "source", "notes")


def _cell_text(v) -> str:
    """A spreadsheet cell as the text the table reader takes (numbers in shortest round-trip form)."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, numbers.Integral):
        return str(int(v))
    if isinstance(v, numbers.Real):
        x = float(v)
        if math.isnan(x):
            return ""
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return repr(x)
    return str(v)


def _xlsx_table(path: str, sheet: Optional[str]) -> Tuple[List[str], List[List[str]], List[int], str]:
    try:
        import openpyxl
    except ImportError as e:  # pragma: no cover - Debian's python3-openpyxl is a dependency
        raise _core.InvalidArgument(
            f"{path}: reading .xlsx needs openpyxl (Debian: python3-openpyxl); or save the sheet as CSV") from e
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise _core.InvalidScenario(f"{path}: cannot open the assumptions table file for reading (no such file)") from None
    except Exception as e:  # openpyxl raises many types for a file that is not a workbook
        raise _core.InvalidScenario(f"{path}: not a readable .xlsx workbook ({type(e).__name__}: {e})") from None
    try:
        if sheet is None:
            ws = wb.worksheets[0]
        elif sheet in wb.sheetnames:
            ws = wb[sheet]
        else:
            raise _core.InvalidArgument(f"{path}: sheet {sheet!r} is invalid; sheets: {', '.join(wb.sheetnames)}")
        source = path if sheet is None else f"{path} (sheet {sheet})"
        columns: Optional[List[str]] = None
        rows: List[List[str]] = []
        numbers_: List[int] = []
        for i, values in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = [_cell_text(v) for v in values]
            while cells and cells[-1].strip() == "":
                cells.pop()
            if not cells or all(c.strip() == "" for c in cells):
                continue
            if columns is None:
                columns = cells
                continue
            if cells[0].strip().startswith("#"):
                continue
            rows.append(cells)
            numbers_.append(i)
        if columns is None:
            raise _core.InvalidScenario(
                f"{source}: an empty table is invalid; the first row names the columns (name, distribution, ...)")
        return columns, rows, numbers_, source
    finally:
        wb.close()


def _frame_table(df: pd.DataFrame, source: str) -> Tuple[List[str], List[List[str]], List[int], str]:
    columns = [str(c) for c in df.columns]
    rows = [[_cell_text(v) for v in r] for r in df.itertuples(index=False, name=None)]
    return columns, rows, list(range(2, 2 + len(rows))), source


def _table(source, sheet: Optional[str] = None) -> Tuple[List[str], List[List[str]], List[int], str]:
    if isinstance(source, pd.DataFrame):
        return _frame_table(source, "DataFrame")
    path = os.fspath(source)
    ext = os.path.splitext(path)[1].lower()
    if ext in (".xlsx", ".xlsm"):
        return _xlsx_table(path, sheet)
    if ext in (".csv", ".tsv", ".txt", ""):
        columns, rows, nums, name = _core._parse_assumptions_csv(path)
        return list(columns), [list(r) for r in rows], list(nums), name
    raise _core.InvalidArgument(f"{path}: a {ext} file is invalid; assumption tables are .csv or .xlsx files")


def read_assumptions(source, sheet: Optional[str] = None) -> pd.DataFrame:
    """The assumption table in ``source`` (a .csv or .xlsx path) as a DataFrame of text
    cells, one row per input, indexed by the spreadsheet row number (the header is row 1).
    Nothing is checked here: ``Scenario.apply_assumptions`` checks."""
    columns, rows, nums, _ = _table(source, sheet)
    width = len(columns)
    data = [r + [""] * (width - len(r)) if len(r) < width else r for r in rows]
    if any(len(r) > width for r in data):
        return pd.DataFrame(data, index=pd.Index(nums, name="row"))  # apply_assumptions names the row
    return pd.DataFrame(data, columns=[c.strip().lower() for c in columns], index=pd.Index(nums, name="row"))


def apply_assumptions(scenario, source, sheet: Optional[str] = None):
    """Override ``scenario``'s inputs by name from an assumption table: a .csv or .xlsx path
    (``sheet``: the worksheet, default the first) or a DataFrame with the table's columns.
    The same rules as ``offroi run --inputs``; a table that fails leaves the scenario
    unchanged. Returns the scenario, so calls chain.

    Raises offroi.InvalidScenario naming the file, the row, the input, the column and what
    is allowed."""
    columns, rows, nums, name = _table(source, sheet)
    applied = scenario._apply_assumptions(columns, rows, nums, name)
    meta = scenario.__dict__.get("_offroi_meta")
    if meta:  # the stated form remembered for save() no longer applies
        for n in applied:
            meta["stated"].pop(n, None)
    return scenario


def assumptions_template(scenario) -> pd.DataFrame:
    """Every input of ``scenario`` as an assumption table (a DataFrame of text cells): its
    current distribution in canonical form, its unit and its source (the preset's evidence,
    or "set by the scenario"). ``apply_assumptions`` of it gives the same scenario."""
    columns, rows, _ = scenario._assumptions_template()
    return pd.DataFrame([list(r) for r in rows], columns=list(columns))


def write_template(scenario, path) -> None:
    """Write ``assumptions_template(scenario)`` to ``path``: CSV (.csv, the same bytes as
    ``offroi template``) or an XLSX workbook (.xlsx: numbers as numbers, text as text, the
    header frozen and bold)."""
    path = os.fspath(path)
    ext = os.path.splitext(path)[1].lower()
    if ext == ".csv":
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(scenario._assumptions_template()[2])
        return
    df = assumptions_template(scenario)
    if ext not in (".xlsx", ".xlsm"):
        raise _core.InvalidArgument(f"{path}: a {ext} file is invalid; write_template writes .csv or .xlsx files")
    import openpyxl
    from openpyxl.styles import Font
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "assumptions"
    ws.append(list(df.columns))
    for c in ws[1]:
        c.font = Font(bold=True)
    for r in df.itertuples(index=False, name=None):
        row = []
        for col, v in zip(df.columns, r):
            row.append(v if col in _TEXT_COLUMNS or v == "" else _number_or_text(v))
        ws.append(row)
        for c, col in zip(ws[ws.max_row], df.columns):
            if col in _TEXT_COLUMNS and isinstance(c.value, str):
                c.data_type = "s"  # never a formula, whatever the text starts with
    ws.freeze_panes = "A2"
    for i, col in enumerate(df.columns, start=1):
        width = max([len(str(col))] + [len(str(v)) for v in df[col]])
        ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width = min(max(8, width + 2), 60)
    wb.save(path)


def _number_or_text(v: str):
    """A numeric cell as a number (so the spreadsheet computes with it); lists stay text."""
    try:
        x = float(v)
    except ValueError:
        return v
    if math.isfinite(x) and x == int(x) and abs(x) < 1e15 and "." not in v and "e" not in v.lower():
        return int(x)
    return x if math.isfinite(x) else v


def _scenario_apply(self, source, sheet: Optional[str] = None):
    """apply_assumptions(source, sheet=None) -> Scenario: override inputs by name from an
    assumption table (.csv or .xlsx path, or a DataFrame); see offroi.apply_assumptions."""
    return apply_assumptions(self, source, sheet)


_core.Scenario.apply_assumptions = _scenario_apply

