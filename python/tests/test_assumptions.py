"""Assumption tables from Python (issue 13 item 2): CSV and XLSX (openpyxl), DataFrames,
the template round trip, messages naming the row and the column, and the same numbers as a
scenario set by hand."""
import pandas as pd
import pytest

import offroi

openpyxl = pytest.importorskip("openpyxl")


def test_template_round_trips_through_csv_and_xlsx(tmp_path):
    s = offroi.Scenario.from_presets(["offshore_team", "nearshore"], baseline="in_house")
    s.set("offshore_team.hourly_rate_usd", offroi.triangular(25, 33, 45))
    t = offroi.assumptions_template(s)
    assert list(t.columns[:2]) == ["name", "distribution"]
    assert list(t.columns[-2:]) == ["unit", "source"]
    assert len(t) == len(s.inputs)
    row = t.set_index("name").loc["offshore_team.hourly_rate_usd"]
    assert (row["distribution"], row["min"], row["mode"], row["max"]) == ("triangular", "25", "33", "45")
    assert row["unit"] == "USD/hour"
    assert row["source"] == "set by the scenario"
    assert t.set_index("name").loc["in_house.annual_attrition", "source"].startswith("preset in_house: ")
    for ext in ("csv", "xlsx"):
        p = tmp_path / f"a.{ext}"
        offroi.write_template(s, p)
        back = offroi.Scenario.from_presets(["offshore_team", "nearshore"], baseline="in_house")
        back.apply_assumptions(p)
        assert back.to_json("complete") == s.to_json("complete"), ext


def test_csv_from_python_matches_the_cli_template(tmp_path):
    s = offroi.Scenario.default()
    p = tmp_path / "t.csv"
    offroi.write_template(s, p)
    text = p.read_text()
    assert text.startswith("name,distribution,value,min,mode,max,p10,p90,")
    assert "local_hiring.time_to_fill_months,lognormal,,,,,1.3,3," in text


def test_xlsx_cells_are_numbers_and_the_overrides_change_the_run(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["name", "distribution", "min", "mode", "max", "unit", "source"])
    ws.append(["offshore_team.hourly_rate_usd", "pert", 40, 45, 50, "USD/h", "quotes"])
    ws.append(["# a comment"])
    ws.append(["offshore_team.annual_attrition", "pert", 0.1, 0.15, 0.2, "share/year", None])
    p = tmp_path / "a.xlsx"
    wb.save(p)
    table = offroi.read_assumptions(p)
    assert list(table.index) == [2, 4]  # spreadsheet rows
    assert table.loc[2, "source"] == "quotes"
    s = offroi.Scenario.default().apply_assumptions(p)
    by_hand = offroi.Scenario.default()
    by_hand.set("offshore_team.hourly_rate_usd", offroi.pert(40, 45, 50))
    by_hand.set("offshore_team.annual_attrition", offroi.pert(0.1, 0.15, 0.2))
    assert s.to_json("complete") == by_hand.to_json("complete")
    a = offroi.simulate(s, trials=2000, seed=5)
    b = offroi.simulate(by_hand, trials=2000, seed=5)
    assert a.summary().equals(b.summary())
    # The override reached the model: the mean net benefit moves by far more than its Monte
    # Carlo error (a dearer rate card buys a higher capability tier and lower attrition here,
    # so it moves up: docs/model.md 2.2).
    base = offroi.simulate(offroi.Scenario.default(), trials=2000, seed=5)
    sa, sb = a.summary().loc["offshore_team"], base.summary().loc["offshore_team"]
    se = (sa["se"] ** 2 + sb["se"] ** 2) ** 0.5
    assert abs(sa["mean"] - sb["mean"]) > 5 * se


def test_errors_name_the_file_row_column_and_rule(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["name", "distribution", "min", "mode", "max"])
    ws.append(["offshore_team.hourly_rate_usd", "pert", 40, 60, 50])
    p = tmp_path / "bad.xlsx"
    wb.save(p)
    s = offroi.Scenario.default()
    before = s.to_json("complete")
    with pytest.raises(offroi.InvalidScenario) as e:
        s.apply_assumptions(p)
    assert f"{p}, row 2 (offshore_team.hourly_rate_usd), column mode (D): 60 is invalid" in str(e.value)
    assert s.to_json("complete") == before  # unchanged
    df = pd.DataFrame({"name": ["offshore_team.headcount"], "distribution": ["constant"], "value": [0]})
    with pytest.raises(offroi.InvalidScenario, match=r"DataFrame, row 2 \(offshore_team.headcount\): 0 is invalid"):
        offroi.apply_assumptions(offroi.Scenario.default(), df)
    with pytest.raises(offroi.InvalidScenario, match="no such file"):
        offroi.apply_assumptions(offroi.Scenario.default(), tmp_path / "missing.csv")
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a zip")
    with pytest.raises(offroi.InvalidScenario, match="not a readable .xlsx workbook"):
        offroi.read_assumptions(junk)
    with pytest.raises(offroi.InvalidArgument, match=r"\.ods file is invalid"):
        offroi.read_assumptions(tmp_path / "a.ods")


def test_formula_text_is_never_a_formula(tmp_path):
    d = offroi.Scenario.default().to_dict()
    d["alternatives"] = [{"preset": "offshore_team", "name": "=SUM(1+1)"}]
    s = offroi.Scenario.from_dict(d)
    p = tmp_path / "t.xlsx"
    offroi.write_template(s, p)
    ws = openpyxl.load_workbook(p).active
    names = [r[0].value for r in ws.iter_rows(min_row=2)]
    assert "=SUM(1+1).headcount" in names
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    c = tmp_path / "t.csv"
    offroi.write_template(s, c)
    assert "\n'=SUM(1+1).headcount," in c.read_text()  # an apostrophe: not a formula
    back = offroi.Scenario.from_dict(d).apply_assumptions(c)
    assert back.to_json("complete") == s.to_json("complete")
    back = offroi.Scenario.from_dict(d).apply_assumptions(p)
    assert back.to_json("complete") == s.to_json("complete")
