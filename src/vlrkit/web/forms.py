"""Forms of the web application (Django forms validate; views save through the store's models)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from vlrkit.review import model as rm

GRADE_CHOICES = [
    ("identical", _("identical")),
    ("adapted", _("adapted")),
    ("proxy", _("proxy")),
    ("contextual", _("contextual")),
]
DIRECTION_CHOICES = [("higher", _("higher is better")), ("lower", _("lower is better"))]
ACTION_STATUS_CHOICES = [
    ("planned", _("planned")),
    ("in_progress", _("in progress")),
    ("done", _("done")),
    ("cancelled", _("cancelled")),
]
STAKEHOLDER_KIND_CHOICES = [
    ("government", _("government")),
    ("civil_society", _("civil society")),
    ("private_sector", _("private sector")),
    ("academia", _("academia")),
    ("youth", _("youth")),
    ("community", _("community")),
    ("international", _("international")),
    ("media", _("media")),
    ("other", _("other")),
]
GROUP_CHOICES = [
    ("women", _("women")),
    ("youth", _("youth")),
    ("children", _("children")),
    ("persons_with_disabilities", _("persons with disabilities")),
    ("people_living_with_hiv", _("people living with HIV/AIDS")),
    ("older_persons", _("older persons")),
    ("indigenous_peoples", _("indigenous peoples")),
    ("refugees_idps", _("refugees and displaced persons")),
    ("migrants", _("migrants")),
    ("other_vulnerable", _("other vulnerable groups")),
]
FORMAT_CHOICES = [
    ("workshop", _("workshop")),
    ("survey", _("survey")),
    ("hearing", _("hearing")),
    ("online", _("online")),
    ("event", _("event")),
    ("interview", _("interview")),
]
LANG_CHOICES = [("zh-Hans", "简体中文"), ("en", "English")]
GOAL_CHOICES = [(g, str(g)) for g in range(1, 18)]
CODE_RE = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"

assert {c for c, _l in GROUP_CHOICES} == set(rm.GROUPS)
assert {c for c, _l in STAKEHOLDER_KIND_CHOICES} == set(rm.STAKEHOLDER_TYPES)


class Versioned(forms.Form):
    """A form that carries the version of the row it edits, so that a save over a row that moved
    on since is caught (:mod:`vlrkit.web.conflicts`).  Absent counts as 0: "there was no row"."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class VersionMap(forms.Form):
    """For a form that adds or replaces one row of a set (an indicator's targets, its SDG links):
    the version of each row of the set when the page was shown, by the row's natural key."""

    versions = forms.JSONField(widget=forms.HiddenInput, required=False)

    def clean_versions(self) -> dict[str, int]:
        raw = self.cleaned_data.get("versions") or {}
        if not isinstance(raw, dict) or not all(isinstance(v, int) for v in raw.values()):
            raise forms.ValidationError(_("The page is out of date; open it again."))
        return {str(k): int(v) for k, v in raw.items()}


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Data file (CSV, XLSX, SDMX, or an Open SDG repository as .zip)"))

    ALLOWED = (".csv", ".xlsx", ".zip", ".xml")

    def clean_file(self):
        f = self.cleaned_data["file"]
        name = f.name.lower()
        if not name.endswith(self.ALLOWED):
            raise forms.ValidationError(
                _("%(name)s: only CSV, XLSX, SDMX-ML (.xml) or .zip files are accepted."), params={"name": f.name}
            )
        if f.size > settings.VLRKIT_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("%(name)s is larger than the limit of %(mb)s MB."),
                params={"name": f.name, "mb": settings.VLRKIT_MAX_UPLOAD_BYTES // (1024 * 1024)},
            )
        return f


class IndicatorForm(Versioned):
    code = forms.RegexField(regex=CODE_RE, label=_("Code"), max_length=64)
    name_zh = forms.CharField(label=_("Name (Chinese)"), required=False, max_length=500)
    name_en = forms.CharField(label=_("Name (English)"), required=False, max_length=500)
    goal = forms.TypedChoiceField(label=_("Goal"), choices=GOAL_CHOICES, coerce=int)
    unit = forms.CharField(label=_("Unit"), required=False, max_length=128)
    direction = forms.ChoiceField(label=_("Direction"), choices=DIRECTION_CHOICES)
    source = forms.CharField(label=_("Source"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    custodian = forms.CharField(label=_("Custodian"), required=False, max_length=255)
    coverage = forms.CharField(label=_("Geographic coverage"), required=False, max_length=255)

    def clean(self):
        data = super().clean()
        if not (data.get("name_zh") or data.get("name_en")):
            raise forms.ValidationError(_("Give the indicator a name in at least one language."))
        return data


class LinkForm(VersionMap):
    target = forms.RegexField(regex=r"^\d{1,2}\.[0-9a-z]{1,2}$", label=_("SDG target"))
    sdg_indicator = forms.RegexField(
        regex=r"^\d{1,2}\.[0-9a-z]{1,2}\.\d{1,2}$", label=_("SDG indicator"), required=False
    )
    grade = forms.ChoiceField(label=_("Comparability"), choices=GRADE_CHOICES)

    def clean(self):
        from vlrkit import sdg

        data = super().clean()
        t = data.get("target")
        if t:
            try:
                sdg.target(t)
            except KeyError:
                self.add_error("target", _("%(t)s is not an SDG target.") % {"t": t})
        i = data.get("sdg_indicator")
        if i:
            try:
                sdg.indicator(i)
            except KeyError:
                self.add_error("sdg_indicator", _("%(i)s is not an SDG indicator.") % {"i": i})
        return data


class TargetForm(VersionMap):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("local", _("local")), ("national", _("national"))])
    value = forms.FloatField(label=_("Target value"))
    year = forms.IntegerField(label=_("Target year"), min_value=1990, max_value=2100)
    baseline_year = forms.IntegerField(label=_("Baseline year"), min_value=1990, max_value=2100, required=False)


OPTIMUM_CHOICES = [
    ("", _("not named (automatic: the optimum of the thresholds, else the target, else the top 5)")),
    ("target", _("target: the indicator's explicit local target")),
    ("lnob", _("lnob: leave no one behind (100 % universal access / 0 % zero deprivation)")),
    ("science", _("science: a science-based value")),
    ("top5", _("top5: the mean of the 5 best performers among the peers")),
]
OPTIMUM_HELP = _(
    "How SDSN sets the optimum (the score of 100), in SDSN's order of preference: 'target' takes the "
    "indicator's explicit local target; 'lnob' (leave no one behind) is for percentage indicators: "
    "100 % (universal access) when higher is better, 0 % (zero deprivation) when lower is better; "
    "'science' takes the science-based value you give below (or the optimum of the thresholds); "
    "'top5' takes the mean of the 5 best performers, so it needs at least 5 peer cities. "
    "When the thresholds give an optimum, the rule must agree with it."
)


class OptimumForm(Versioned):
    """The SDSN optimum rule, stored in the indicator's metadata (``extra["optimum"]``) where
    the assessment reads it: a rule word, or the science-based number itself."""

    rule = forms.ChoiceField(label=_("Optimum (SDSN)"), choices=OPTIMUM_CHOICES, required=False,
                             help_text=OPTIMUM_HELP)
    value = forms.FloatField(label=_("Science-based optimum"), required=False,
                             help_text=_("Only with the rule 'science': the value that scores 100."))

    def __init__(self, *args, unit: str = "", direction: str = "higher", best: float | None = None,
                 target: float | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.unit, self.direction, self.best, self.target = unit, direction, best, target

    @staticmethod
    def initial_of(stored: str) -> dict[str, object]:
        """The form's initial values for a stored ``extra["optimum"]``."""
        from vlrkit.validation.optimum import normalise

        text = normalise(stored)
        if text in {c for c, _l in OPTIMUM_CHOICES}:
            return {"rule": text}
        try:
            return {"rule": "science", "value": float(text)}
        except ValueError:
            return {"rule": ""}

    def clean(self):
        from django.utils.translation import get_language

        from vlrkit.validation import optimum as vopt

        data = super().clean()
        rule, value = data.get("rule") or "", data.get("value")
        if rule != "science" and value is not None:
            self.add_error("value", _("A value is given only with the rule 'science'."))
            return data
        stored = (str(int(value)) if float(value).is_integer() else repr(value)) if value is not None else rule
        zh = (get_language() or "").lower().startswith("zh")
        why = vopt.verdict(stored, unit=self.unit)
        if why is not None:
            self.add_error("value" if value is not None else "rule", why.zh if zh else why.en)
            return data
        # judged against the record as at import (vlrkit.validation.optimum.against_record)
        why = vopt.against_record(stored, direction=self.direction, target=self.target, best=self.best)
        if why is not None:
            self.add_error("value" if rule == "science" else "rule", why.zh if zh else why.en)
            return data
        data["stored"] = stored
        return data


class ThresholdsForm(Versioned):
    optimum = forms.FloatField(label=_("Optimum"))
    lower_bound = forms.FloatField(label=_("Lower bound"))
    green = forms.FloatField(label=_("Green threshold"))
    red = forms.FloatField(label=_("Red threshold"))
    yellow = forms.FloatField(label=_("Yellow threshold"), required=False,
                              help_text=_("Only for method editions that set one (SDSN's city editions); "
                                          "between red and green. Empty: the midpoint of red and green."))

    def clean(self):
        data = super().clean()
        g, r, y = data.get("green"), data.get("red"), data.get("yellow")
        if y is not None and g is not None and r is not None and not min(g, r) <= y <= max(g, r):
            self.add_error("yellow", _("The yellow threshold must lie between red and green."))
        return data


class NarrativeForm(Versioned):
    text = forms.CharField(label=_("Text (Markdown)"), required=False, max_length=200_000, widget=forms.Textarea)


class StakeholderForm(Versioned):
    code = forms.RegexField(regex=CODE_RE, label=_("Code"))
    name_zh = forms.CharField(label=_("Name (Chinese)"), required=False, max_length=300)
    name_en = forms.CharField(label=_("Name (English)"), required=False, max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=STAKEHOLDER_KIND_CHOICES)
    groups = forms.MultipleChoiceField(label=_("Groups represented"), choices=GROUP_CHOICES, required=False,
                                       widget=forms.CheckboxSelectMultiple)
    consent = forms.BooleanField(label=_("Consents to be named in the review"), required=False, initial=True)

    def clean(self):
        data = super().clean()
        if not (data.get("name_zh") or data.get("name_en")):
            raise forms.ValidationError(_("Give a name in at least one language."))
        return data


class EngagementForm(Versioned):
    code = forms.RegexField(regex=CODE_RE, label=_("Code"))
    title = forms.CharField(label=_("Title"), max_length=300)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES)
    participants = forms.IntegerField(label=_("Participants"), min_value=0)
    groups = forms.CharField(
        label=_("Groups reached, with the number of people (e.g. women=120, youth=45)"), required=False,
        help_text=_("Groups: %(groups)s") % {"groups": ", ".join(rm.GROUPS)},
    )

    def clean_groups(self) -> dict[str, int]:
        """``women=120, youth=45`` -> {"women": 120, "youth": 45}; every group must be known."""
        out: dict[str, int] = {}
        for part in self.cleaned_data["groups"].replace("，", ",").split(","):
            if not part.strip():
                continue
            name, _sep, number = part.partition("=")
            name = name.strip()
            if name not in rm.GROUPS:
                raise forms.ValidationError(_("Unknown group: %(g)s") % {"g": name})
            try:
                out[name] = int(number.strip() or 0)
            except ValueError:
                raise forms.ValidationError(_("Not a number of people: %(n)s") % {"n": number.strip()}) from None
            if out[name] < 0:
                raise forms.ValidationError(_("Not a number of people: %(n)s") % {"n": number.strip()})
        return out


class ContributionForm(forms.Form):
    organisation = forms.CharField(label=_("Your organisation or name"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind of organisation"), choices=STAKEHOLDER_KIND_CHOICES)
    goals = forms.TypedMultipleChoiceField(label=_("Goals concerned"), choices=GOAL_CHOICES, coerce=int,
                                           required=False, widget=forms.CheckboxSelectMultiple)
    text = forms.CharField(label=_("Your contribution"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 8}))
    consent = forms.BooleanField(label=_("You may name us in the published review"), required=False)


class ActionForm(Versioned):
    code = forms.RegexField(regex=CODE_RE, label=_("Code"))
    title = forms.CharField(label=_("Action"), max_length=500)
    owner = forms.CharField(label=_("Owner"), max_length=255)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(label=_("Status"), choices=ACTION_STATUS_CHOICES)
    targets = forms.CharField(label=_("Linked SDG targets (comma-separated, e.g. 11.2, 11.6)"), required=False)
    indicators = forms.CharField(label=_("Linked local indicators (comma-separated codes)"), required=False)

    def clean_indicators(self) -> list[str]:
        return [c.strip() for c in self.cleaned_data["indicators"].replace("，", ",").split(",") if c.strip()]

    def clean_targets(self):
        from vlrkit import sdg

        raw = [t.strip() for t in self.cleaned_data["targets"].replace("，", ",").split(",") if t.strip()]
        bad = []
        for t in raw:
            try:
                sdg.target(t)
            except KeyError:
                bad.append(t)
        if bad:
            raise forms.ValidationError(_("Not SDG targets: %(bad)s") % {"bad": ", ".join(bad)})
        return raw
