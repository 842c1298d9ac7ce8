"""Hypothesis strategies that generate whole reviews (plain data), for round-trip tests."""

from __future__ import annotations

from datetime import date

import polars as pl
from hypothesis import strategies as st

from vlrkit import sdg, tidy
from vlrkit.review import model as rm

LANGS = ["en", "zh-Hans", "fr"]
# any printable text, including CSV-hostile characters, quotes, newlines and CJK
text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00")
    | st.sampled_from([",", '"', "\n", ";", "=", "'", "城", "市"]),
    max_size=30,
)
code = st.from_regex(r"[A-Za-z][A-Za-z0-9_.-]{0,11}", fullmatch=True)
i18n = st.dictionaries(st.sampled_from(LANGS), text, max_size=3)
finite = st.floats(allow_nan=False, allow_infinity=False, width=64)
years = st.integers(2000, 2030)
dates = st.dates(date(2015, 1, 1), date(2030, 12, 31))
TARGETS = [t.code for t in sdg.targets()]


@st.composite
def reviews(draw) -> rm.Review:
    codes = draw(st.lists(code, min_size=1, max_size=5, unique=True))
    indicators = tuple(
        rm.LocalIndicator(
            code=c, names=draw(i18n), goal=draw(st.integers(1, 17)), unit=draw(text),
            direction=draw(st.sampled_from(rm.DIRECTIONS)), source=draw(text),
            custodian=draw(text), coverage=draw(text), aggregation=draw(text),
            methodology=draw(i18n),
            dimensions=tuple(draw(st.lists(st.sampled_from(tidy.DIMENSIONS), unique=True,
                                           max_size=3))),
            decimals=draw(st.none() | st.integers(0, 4)),
            reporting_status=draw(st.sampled_from(["complete", "inprogress", "notstarted"])),
            extra=draw(st.dictionaries(code, text, max_size=2)),
        )
        for c in codes
    )
    links = tuple({(ln.indicator, ln.target, ln.sdg_indicator): ln for ln in [
        rm.SdgLink(c, t, draw(st.none() | st.sampled_from([i.code for i in sdg.target(t).indicators()] or [None])),
                   draw(st.sampled_from(rm.GRADES)), draw(i18n))
        for c in codes for t in draw(st.lists(st.sampled_from(TARGETS), max_size=2, unique=True))
    ]}.values())
    targets = tuple({(t.indicator, t.kind, t.year): t for t in [
        rm.Target(c, draw(st.sampled_from(rm.TARGET_KINDS)), draw(finite), draw(years),
                  draw(st.none() | years), draw(i18n))
        for c in codes if draw(st.booleans())
    ]}.values())
    thresholds = tuple(
        rm.Thresholds(c, *draw(st.tuples(finite, finite, finite, finite)))
        for c in codes if draw(st.booleans())
    )
    n = draw(st.integers(0, 12))
    rows = []
    seen = set()
    for _ in range(n):
        ind = draw(st.sampled_from(codes))
        year = draw(years)
        period = draw(st.sampled_from([str(year), f"{year}-Q{draw(st.integers(1, 4))}",
                                       f"{year}/{(year + 1) % 100:02d}"]))
        sex = draw(st.none() | st.sampled_from(["F", "M"]))
        geo = draw(st.none() | code)
        unit = draw(st.sampled_from(["", "%", "人"]))
        key = (ind, period, unit, sex, geo)
        if key in seen:
            continue
        seen.add(key)
        rows.append({
            "entity": "E", "indicator": ind, "period": period, "year": year,
            "value": draw(st.none() | finite), "unit": unit, "series": "",
            "SEX": sex, "GEO": geo, "obs_status": draw(st.sampled_from(["A", "E", "P"])),
            "source": draw(text),
            "labels": '{"Sex":"Female"}' if sex == "F" else "{}",
        })
    frame = tidy.conform(pl.DataFrame(rows, schema_overrides={k: v for k, v in tidy.SCHEMA.items()
                                                              if k in ("year", "value")})
                         if rows else tidy.empty())
    st_codes = draw(st.lists(code, max_size=3, unique=True))
    stakeholders = tuple(
        rm.Stakeholder(c, draw(i18n), draw(st.sampled_from(rm.STAKEHOLDER_TYPES)),
                       tuple(draw(st.lists(st.sampled_from(rm.GROUPS), unique=True, max_size=3))),
                       draw(st.booleans()))
        for c in st_codes
    )
    eng_codes = draw(st.lists(code, max_size=2, unique=True))
    engagements = tuple(
        rm.Engagement(c, draw(i18n), draw(dates), draw(st.sampled_from(["workshop", "survey"])),
                      draw(st.integers(0, 500)),
                      draw(st.dictionaries(st.sampled_from(rm.GROUPS), st.integers(0, 100), max_size=3)),
                      tuple(sorted(draw(st.lists(st.sampled_from(st_codes), unique=True)))) if st_codes else (),
                      tuple(draw(st.lists(st.integers(1, 17), unique=True, max_size=3))))
        for c in eng_codes
    )
    contributions = tuple(
        rm.Contribution(f"C{i}", draw(st.sampled_from(st_codes)), draw(dates),
                        draw(st.sampled_from(LANGS)), draw(text),
                        draw(st.none() | st.sampled_from(eng_codes)) if eng_codes else None,
                        draw(st.none() | st.sampled_from(rm.SECTIONS)),
                        tuple(draw(st.lists(st.integers(1, 17), unique=True, max_size=2))),
                        draw(st.sampled_from(rm.CONTRIBUTION_STATUSES)))
        for i in range(draw(st.integers(0, 3) if st_codes else st.just(0)))
    )
    actions = tuple(
        rm.Action(f"A{i}", draw(i18n), draw(text), draw(st.none() | dates),
                  draw(st.sampled_from(rm.ACTION_STATUSES)),
                  tuple(draw(st.lists(st.sampled_from(TARGETS), unique=True, max_size=2))),
                  tuple(sorted(draw(st.lists(st.sampled_from(codes), unique=True, max_size=2)))))
        for i in range(draw(st.integers(0, 3)))
    )
    narratives = tuple(
        rm.Narrative(s, lang, draw(text))
        for s in draw(st.lists(st.sampled_from(rm.SECTIONS), unique=True, max_size=3))
        for lang in ("en", "zh-Hans")
    )
    return rm.Review(
        entity=rm.Entity("E", draw(i18n), draw(st.sampled_from(rm.LEVELS)), "CHN",
                         draw(st.none() | st.integers(0, 10**8)), draw(st.none() | years)),
        edition=rm.Edition(draw(code), draw(years), 2015, 2024, ("zh-Hans", "en"),
                           tuple(draw(st.lists(st.integers(1, 17), unique=True, max_size=3))),
                           None, draw(i18n), draw(st.sampled_from(rm.EDITION_STATUSES)),
                           draw(st.none() | years)),
        indicators=indicators, links=links, targets=targets, thresholds=thresholds,
        observations=frame, narratives=narratives, stakeholders=stakeholders,
        engagements=engagements, contributions=contributions, actions=actions,
        code_labels=tuple(rm.CodeLabel("GEO", c, draw(i18n))
                          for c in sorted({g for g in frame["GEO"].drop_nulls().to_list()})),
    )
