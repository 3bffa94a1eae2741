"""offroi.report: the self-contained HTML report from Python (the C++ writer through the binding)."""

import json
import math
import re

import numpy as np
import pytest

import offroi


def _embedded(html):
    m = re.search(r'<script type="application/json" id="offroi-report-data">(.*?)</script>', html, re.S)
    assert m, "no data block"
    return json.loads(m.group(1))


def _numbers(html):
    return re.findall(r'data-path="([^"]*)" data-value="([^"]*)"', html)


def _at(doc, path):
    for part in path.lstrip("/").split("/"):
        doc = doc[int(part)] if isinstance(doc, list) else doc[part]
    return doc


def test_report_from_scenario_equals_the_runs_json(tmp_path):
    s = offroi.Scenario.default()
    out = tmp_path / "r.html"
    html = offroi.report(s, out, trials=2000, seed=3, driver_trials=500)
    assert out.read_text(encoding="utf-8") == html
    data = _embedded(html)
    r = offroi.simulate(s, trials=2000, seed=3, driver_trials=500)
    # The run's result is the same JSON (the report adds framing, horizon and drivers).
    res = json.loads(r.run.to_json())
    for key in res:
        assert data["run"][key] == res[key], key
    assert data["run"]["framing"] == s.framing
    assert data["run"]["drivers"][0] == json.loads(r.run.drivers("offshore_team"))
    # Every number on the page is the value at its JSON pointer.
    nums = _numbers(html)
    assert len(nums) > 60
    for path, value in nums:
        v = _at(data, path)
        assert (v is None) if value == "null" else float(v) == float(value), path
    # The CDF is the run's quantiles.
    levels = offroi._core.report_cdf_levels()
    assert data["cdf"]["offshore_team"]["value"][51] == r.run.quantile("offshore_team.net_benefit", levels[51])


def test_report_from_result_matches_report_from_scenario():
    s = offroi.Scenario.default()
    html_s = offroi.report(s, trials=1500, seed=4, driver_trials=400)
    r = offroi.simulate(s, trials=1500, seed=4, driver_trials=400)
    html_r = offroi.report(r, scenario=s)
    # Same run, same drivers, same CDFs: the same page.
    assert html_r == html_s


def test_report_keeps_notes_and_escapes_hostile_names(tmp_path):
    doc = {
        "format_version": 2,
        "name": "<script>alert('x')</script> \u00e9t\u00e9",
        "description": "</script><img src=x onerror=alert(1)>",
        "assumptions": ["rates from <vendor> quotes & surveys"],
        "baseline": {"preset": "in_house"},
        "alternatives": [{"preset": "offshore_team", "name": "o\"ff<shore>"}],
    }
    s = offroi.Scenario.from_dict(doc)
    html = offroi.report(s, trials=500, driver_trials=0)
    assert html.count("<script") == 1
    assert "<img" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; \u00e9t\u00e9" in html
    assert "rates from &lt;vendor&gt; quotes &amp; surveys" in html
    assert "o&quot;ff&lt;shore&gt;" in html
    assert _embedded(html)["run"]["arrangements"][1]["name"] == "o\"ff<shore>"


def test_report_with_tornado_and_decision():
    s = offroi.Scenario.default()
    d = offroi.staged_decision(s, training_trials=1000, evaluation_trials=1000, seed=2)
    html = offroi.report(s, trials=500, driver_trials=0, tornado=True, event_trials=4, decision=d)
    data = _embedded(html)
    assert '<section id="sensitivity"' in html and '<section id="decision"' in html
    assert data["decision"]["option_value"] == d.option_value
    assert data["sensitivity"]["event_trials"] == 4
    bars = data["sensitivity"]["tornado"]["bars"]
    assert len(bars) > 5 and all(abs(b["swing"]) >= abs(bars[-1]["swing"]) for b in bars)


def test_report_bad_input():
    s = offroi.Scenario.default()
    with pytest.raises(TypeError):
        offroi.report("not a scenario")
    with pytest.raises(offroi.InvalidArgument, match="trials"):
        offroi.report(s, trials=1)
    with pytest.raises(offroi.InvalidArgument, match="sampler"):
        offroi.report(s, trials=500, sampler="qmc")
    with pytest.raises(offroi.InvalidArgument, match="cannot be written"):
        offroi.report(s, "/nonexistent-dir/x/r.html", trials=500, driver_trials=0)
    d = offroi.staged_decision(s, training_trials=1000, evaluation_trials=1000, seed=2)
    with pytest.raises(offroi.InvalidArgument, match="exclusive"):
        offroi.report(s, trials=500, decision=d, decide=True)
