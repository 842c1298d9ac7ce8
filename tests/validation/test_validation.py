"""The error catalogue, the report, row coercion and the cross-row checks."""

from __future__ import annotations

import json

import polars as pl
import pytest

from vlrkit import tidy
from vlrkit.validation import CATALOGUE, Report, catalogue, checks, rows


def test_catalogue_entries_are_complete_and_slugs_unique():
    slugs = [cls.slug for cls in CATALOGUE.values()]
    assert len(slugs) == len(set(slugs)) >= 20
    for cls in CATALOGUE.values():
        assert cls.severity in ("error", "warning")
        assert set(cls.title) == set(cls.template) == {"en", "zh-Hans"}
        assert all(cls.template[lang] for lang in ("en", "zh-Hans"))


def test_the_issue_s_error_types_are_all_in_the_catalogue():
    wanted = {"missing-column", "bad-period", "non-numeric-value", "duplicate-observation",
              "unknown-indicator", "unit-mismatch", "percentage-out-of-range", "implausible-value",
              "suspicious-jump", "inconsistent-total", "empty-file", "bad-encoding",
              "placeholder-data", "metadata-invalid"}
    assert wanted <= set(CATALOGUE)
    assert CATALOGUE["suspicious-jump"].severity == "warning"
    assert CATALOGUE["inconsistent-total"].severity == "warning"
    assert CATALOGUE["bad-period"].severity == "error"


def test_make_fills_both_languages_and_keeps_where():
    p = catalogue.make(catalogue.BadPeriod, "a.csv", 7, "Year", value="20x5")
    assert (p.file, p.row, p.column, p.type, p.severity) == ("a.csv", 7, "Year", "bad-period", "error")
    assert "'20x5'" in p.message["en"] and "“20x5”" in p.message["zh-Hans"]
    # a missing template field never raises
    q = catalogue.make(catalogue.SuspiciousJump, "a.csv", 1, "v")
    assert "{previous}" in q.message["en"]


def test_report_json_shape_and_validity():
    warn = catalogue.make(catalogue.MissingValue, "f", 1, "Value")
    err = catalogue.make(catalogue.EmptyFile, "g")
    assert Report(1, 3, (warn,)).valid
    rep = Report(2, 3, (warn, err))
    d = rep.to_dict()
    assert {k: d[k] for k in ("valid", "files", "rows", "errors", "warnings")} == {
        "valid": False, "files": 2, "rows": 3, "errors": 1, "warnings": 1}
    assert d["problems"][1]["type"] == "empty-file" and d["problems"][1]["row"] is None
    json.dumps(d, ensure_ascii=False)


def _raw(periods, values, **extra):
    n = len(periods)
    data = {"indicator": ["X"] * n, "period": periods, "value": values, "file": ["f.csv"] * n,
            "row": list(range(1, n + 1))}
    data.update(extra)
    return pl.DataFrame(data, schema_overrides={"row": pl.Int64})


def test_coerce_accepts_non_annual_periods_and_reports_bad_ones():
    frame, problems = rows.coerce(_raw(["2015", "2015/16", "2020-Q1", "2020-03", "1990-1999", "2015-Q5", "x"],
                                       ["1", "2", "3", "4", "5", "6", "7"]))
    assert frame["period"].to_list()[:5] == ["2015", "2015/16", "2020-Q1", "2020-03", "1990-1999"]
    assert frame["year"].to_list()[:5] == [2015, 2015, 2020, 2020, 1990]
    assert [p.row for p in problems if p.type == "bad-period"] == [6, 7]
    assert frame["_reject"].to_list() == [False] * 5 + [True, True]


def test_coerce_values_missing_and_non_numeric():
    frame, problems = rows.coerce(_raw(["2015"] * 7, ["1.5", "", "abc", "1,234", "NaN", "inf", "1e400"]))
    assert frame["value"].to_list() == [1.5, None, None, 1234.0, None, None, None]
    # NaN is how pandas (and so sdg-build) writes a missing value: a missing observation
    assert frame["obs_status"].to_list() == [None, "M", None, None, "M", None, None]
    kinds = {(p.type, p.row) for p in problems}
    assert kinds == {("missing-value", 2), ("non-numeric-value", 3), ("missing-value", 5),
                     ("non-numeric-value", 6), ("non-numeric-value", 7)}
    assert frame["_reject"].to_list() == [False, False, True, False, False, True, True]


def test_missing_markers_are_missing_observations_that_keep_their_marker():
    markers = ["n/a", "..", "-", "x", "[c]", ":"]
    frame, problems = rows.coerce(_raw(["2015"] * 6, markers, labels=["{}"] * 6), {"f.csv": {"value": "Value"}})
    assert frame["value"].to_list() == [None] * 6
    assert frame["obs_status"].to_list() == ["M"] * 6
    assert not frame["_reject"].any()
    assert [json.loads(t)["Value"] for t in frame["labels"].to_list()] == markers
    assert {p.type for p in problems} == {"missing-value"}


def test_status_labels_become_codes_and_unknown_ones_are_kept_not_refused():
    statuses = ["Normal value", "Undefined", "Definition differs", "Estimated Value", "E",
                "Missing value; suppressed", "Low reliability; Time series break"]
    values = ["1", "2", "3", "4", "5", "", "7"]
    frame, problems = rows.coerce(_raw(["2015"] * 7, values, obs_status=statuses, labels=["{}"] * 7),
                                  {"f.csv": {"obs_status": "Observation status"}})
    assert frame["obs_status"].to_list() == ["A", None, "D", "E", "E", "Q", "U"]
    assert not frame["_reject"].any()
    kept = [json.loads(t).get("Observation status") for t in frame["labels"].to_list()]
    # a label that is not itself the code stays in labels, so nothing the file said is lost
    assert kept == [*statuses[:4], None, *statuses[5:]]
    assert {p.type for p in problems} == {"missing-value"}


def test_a_period_written_another_way_keeps_its_original_cell():
    frame, _ = rows.coerce(_raw(["1993 01", "2020/21 [Note 5]", "2015"], ["1", "2", "3"], labels=["{}"] * 3),
                           {"f.csv": {"period": "Year"}})
    assert frame["period"].to_list() == ["1993-01", "2020/21", "2015"]
    assert [json.loads(t).get("Year") for t in frame["labels"].to_list()] == ["1993 01", "2020/21 [Note 5]", None]


def _tidy(**cols):
    n = len(next(iter(cols.values())))
    base = {"indicator": ["X"] * n, "file": ["f.csv"] * n, "row": list(range(1, n + 1)), "series": [""] * n}
    base.update(cols)
    if "year" not in base:
        base["year"] = [int(str(p)[:4]) for p in base["period"]]
    return tidy.conform(pl.DataFrame(base, schema_overrides={"row": pl.Int64, "year": pl.Int32}))


def test_duplicates_point_at_the_first_row():
    f = _tidy(period=["2015", "2015", "2016", "2015"], value=[1.0, 2.0, 3.0, 4.0], SEX=[None, None, None, "F"])
    probs = checks.duplicates(f)
    assert [(p.row, p.message["en"]) for p in probs] == [(2, "same indicator, period, series, unit and groups as row 1")]


def test_percentages_and_plausible_ranges():
    f = _tidy(period=["2015", "2016", "2017", "2018", "2019"], value=[101.0, -5.0, 50.0, -3.0, 1200.0],
              unit=["Percent", "Percentage change", "%", "Number of deaths", "Rate per 1,000"])
    probs = {(p.type, p.row) for p in checks.ranges(f)}
    assert probs == {("percentage-out-of-range", 1), ("implausible-value", 4), ("implausible-value", 5)}


def test_suspicious_jump_is_a_warning_on_the_outlier_only():
    values = [10.0, 11.2, 11.9, 13.1, 14.0, 40.0, 16.1, 16.8]
    f = _tidy(period=[str(2010 + i) for i in range(8)], value=values)
    probs = checks.jumps(f)
    assert probs and all(p.severity == "warning" for p in probs)
    assert {p.row for p in probs} <= {6, 7} and 6 in {p.row for p in probs}
    steady = _tidy(period=[str(2010 + i) for i in range(8)], value=[10.0 + i for i in range(8)])
    assert checks.jumps(steady) == []


def test_groups_exceeding_the_headline_warn_for_counts_only():
    f = _tidy(period=["2015"] * 3, value=[100.0, 70.0, 60.0], SEX=[None, "F", "M"], unit=["Number"] * 3)
    (p,) = checks.totals(f)
    assert (p.type, p.row, p.severity) == ("inconsistent-total", 1, "warning")
    rates = _tidy(period=["2015"] * 3, value=[10.0, 9.0, 11.0], SEX=[None, "F", "M"], unit=["Rate per 1,000"] * 3)
    assert checks.totals(rates) == []


def test_unknown_indicator_and_unit_mismatch_mark_rows_rejected():
    f = _tidy(period=["2015", "2016"], value=[1.0, 2.0], unit=["t", "kg"], indicator=["X", "Y"])
    out, probs = checks.run_all(f, known={"X"}, units={"X": "kg"})
    assert {(p.type, p.row) for p in probs} == {("unknown-indicator", 2), ("unit-mismatch", 1)}
    assert out["_reject"].to_list() == [True, True]


@pytest.mark.parametrize("text", ["2015", "2015/16", "2015-2016", "2020-Q4", "2020-S1", "2020-02-29"])
def test_parse_period_defers_to_tidy(text):
    assert rows.parse_period(text) == tidy.parse_period(text)


def test_months_and_ranges_are_periods():
    assert rows.parse_period("2020-12") == tidy.Period("2020-12", 2020, "month")
    assert rows.parse_period("2004-2013") == tidy.Period("2004-2013", 2004, "range", 2013)
    for bad in ("2020-13", "2013-2004", "1900-2100"):
        with pytest.raises(tidy.PeriodError):
            rows.parse_period(bad)
