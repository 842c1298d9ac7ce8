"""The error catalogue: every kind of problem a validation can report.

One class per problem type, each with a stable ``slug`` (used in JSON output, tests and the
rejects file), a ``title`` and a message ``template`` in zh-Hans and en, and a ``severity``:

- ``error``   — the row (or file) cannot be stored as it is; an import stops (or, with
  ``--partial``, rejects the row);
- ``warning`` — the data can be stored but a person should look at it.

Hierarchy::

    ProblemType
    ├── FileProblem      (about a whole file: empty, bad encoding, placeholder, several areas, …)
    ├── RowProblem       (about one row: bad period, non-numeric value, duplicate, …)
    └── MetadataProblem  (about an indicator's metadata: invalid field, SDSN optimum rule, …)

Templates use ``str.format`` fields; :func:`make` fills them and never raises on a missing field.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import Any, ClassVar

ERROR = "error"
WARNING = "warning"
LANGS = ("en", "zh-Hans")


class ProblemType:
    """Base class of the catalogue entries (never reported itself)."""

    slug: ClassVar[str] = "problem"
    severity: ClassVar[str] = ERROR
    title: ClassVar[dict[str, str]] = {"en": "Problem", "zh-Hans": "问题"}
    template: ClassVar[dict[str, str]] = {"en": "{detail}", "zh-Hans": "{detail}"}
    #: the problem concerns the whole file (rows are rejected wholesale)
    whole_file: ClassVar[bool] = False


class FileProblem(ProblemType):
    whole_file = True


class RowProblem(ProblemType):
    pass


class MetadataProblem(ProblemType):
    pass


# --- file problems ----------------------------------------------------------------------------


class EmptyFile(FileProblem):
    slug = "empty-file"
    title = {"en": "Empty file", "zh-Hans": "空文件"}
    template = {"en": "the file holds no data rows", "zh-Hans": "文件中没有数据行"}


class BadEncoding(FileProblem):
    slug = "bad-encoding"
    title = {"en": "Bad encoding", "zh-Hans": "编码错误"}
    template = {
        "en": "the file is not valid UTF-8 (byte {position}); save it as UTF-8",
        "zh-Hans": "文件不是有效的 UTF-8 编码（第 {position} 字节）；请另存为 UTF-8",
    }


class UnreadableFile(FileProblem):
    slug = "unreadable-file"
    title = {"en": "Unreadable file", "zh-Hans": "无法读取的文件"}
    template = {
        "en": "the file cannot be read as {format}: {detail}",
        "zh-Hans": "无法按 {format} 格式读取该文件：{detail}",
    }


class UnknownFormat(FileProblem):
    slug = "unknown-format"
    severity = WARNING
    title = {"en": "Unknown file format", "zh-Hans": "未知文件格式"}
    template = {
        "en": "not a format vlrkit reads (Open SDG CSV, tidy CSV/XLSX, SDMX); file skipped",
        "zh-Hans": "不是 vlrkit 可读取的格式（Open SDG CSV、整洁 CSV/XLSX、SDMX）；已跳过该文件",
    }


class TooLarge(FileProblem):
    slug = "too-large"
    title = {"en": "File too large", "zh-Hans": "文件过大"}
    template = {
        "en": "{detail} (limit {limit} bytes)",
        "zh-Hans": "{detail}（上限 {limit} 字节）",
    }


class MissingColumn(FileProblem):
    slug = "missing-column"
    title = {"en": "Missing column", "zh-Hans": "缺少列"}
    template = {
        "en": "required column '{column}' is missing",
        "zh-Hans": "缺少必需的列“{column}”",
    }


class DuplicateColumn(FileProblem):
    slug = "duplicate-column"
    title = {"en": "Duplicate column", "zh-Hans": "重复的列"}
    template = {
        "en": "column '{column}' appears more than once",
        "zh-Hans": "列“{column}”出现了不止一次",
    }


class PlaceholderData(FileProblem):
    slug = "placeholder-data"
    severity = WARNING
    title = {"en": "Placeholder data", "zh-Hans": "占位数据"}
    template = {
        "en": "{kind}: not the city's data, not imported ({rows} rows)",
        "zh-Hans": "{kind_zh}：不是本市的数据，未导入（{rows} 行）",
    }


class NonStatistical(FileProblem):
    slug = "non-statistical"
    severity = WARNING
    title = {"en": "Non-statistical indicator", "zh-Hans": "非统计指标"}
    template = {
        "en": "the file holds text, not data ('{text}'); kept as indicator metadata, no observations imported",
        "zh-Hans": "该文件是文字而非数据（“{text}”）；已作为指标元数据保存，未导入观测值",
    }


class NoDataYet(FileProblem):
    slug = "no-data-yet"
    severity = WARNING
    title = {"en": "No data yet", "zh-Hans": "暂无数据"}
    template = {
        "en": "the file has no data rows yet: the indicator has no data (as on the publisher's site); "
              "nothing to import",
        "zh-Hans": "该文件尚无数据行：该指标暂无数据（与发布方网站一致）；无可导入内容",
    }


class MetadataUnlisted(FileProblem):
    slug = "metadata-unlisted"
    severity = WARNING
    title = {"en": "Metadata outside the configuration", "zh-Hans": "配置之外的元数据"}
    template = {
        "en": "{count} metadata file(s) {pattern} are not listed in config_data.yml's inputs (sdg-build "
              "would not read them); read anyway, below the configured metadata",
        "zh-Hans": "{count} 个元数据文件 {pattern} 未列入 config_data.yml 的 inputs（sdg-build 不会读取）；"
                   "仍已读取，优先级低于配置中的元数据",
    }


class SeveralAreas(FileProblem):
    slug = "several-areas"
    title = {"en": "Several areas in one file", "zh-Hans": "一个文件含多个地区"}
    template = {
        "en": "the file holds data for {count} areas in {column}: {areas}. A review covers one place "
              "and its observations carry no area, so these rows cannot be stored together (they "
              "would be taken for duplicates of one another). Filter the file {keep} and import it "
              "again",
        "zh-Hans": "文件的 {column} 列含有 {count} 个地区的数据：{areas_zh}。一次评估只覆盖一个地方，"
                   "其观测值不记录地区，因此这些行不能一并保存（会被视为彼此重复）。请{keep_zh}后重新导入",
    }



class LimitExceeded(FileProblem):
    slug = "limit-exceeded"
    title = {"en": "Parsing limit exceeded", "zh-Hans": "超出解析上限"}
    template = {
        "en": "the file exceeds the limit on {what}: {found} {unit}, limit {value}; the file was not read "
              "(if it is genuine, raise the limit: vlr validate/import --limit {limit}=N)",
        "zh-Hans": "文件超出“{what_zh}”的上限：{found_zh} {unit_zh}，上限 {value}；未读取该文件"
                   "（如文件无误，可提高上限：vlr validate/import --limit {limit}=N）",
    }


class NotText(FileProblem):
    slug = "not-text"
    title = {"en": "Not a text file", "zh-Hans": "不是文本文件"}
    template = {
        "en": "the file is not a text/CSV file ({detail}); save the table as CSV (UTF-8, or Unicode text "
              "UTF-16/UTF-32 with its byte-order mark)",
        "zh-Hans": "该文件不是文本/CSV 文件（{detail_zh}）；请将表格另存为 CSV（UTF-8，或带字节顺序标记的 "
                   "UTF-16/UTF-32 Unicode 文本）",
    }


class UnsafeXml(FileProblem):
    slug = "unsafe-xml"
    title = {"en": "Unsafe or malformed XML", "zh-Hans": "不安全或格式错误的 XML"}
    template = {
        "en": "the XML is refused: {detail} (SDMX-ML and XLSX never need a DTD or entity declarations, "
              "which can expand without bound or read other files)",
        "zh-Hans": "拒绝读取该 XML：{detail_zh}（SDMX-ML 和 XLSX 从不需要 DTD 或实体声明，"
                   "它们可能无限展开或读取其他文件）",
    }

# --- row problems -----------------------------------------------------------------------------


class RaggedRow(RowProblem):
    slug = "ragged-row"
    title = {"en": "Wrong number of cells", "zh-Hans": "单元格数量不符"}
    template = {
        "en": "the row has {found} cells, the header has {expected}",
        "zh-Hans": "该行有 {found} 个单元格，表头有 {expected} 个",
    }


class BadPeriod(RowProblem):
    slug = "bad-period"
    title = {"en": "Bad period", "zh-Hans": "期间格式错误"}
    template = {
        "en": "'{value}' is not a period (use 2015, 2015/16, 2020-Q1, 2020-03 or 2020-03-01)",
        "zh-Hans": "“{value}”不是有效期间（请使用 2015、2015/16、2020-Q1、2020-03 或 2020-03-01）",
    }


class NonNumericValue(RowProblem):
    slug = "non-numeric-value"
    title = {"en": "Non-numeric value", "zh-Hans": "数值不是数字"}
    template = {
        "en": "'{value}' is not a number",
        "zh-Hans": "“{value}”不是数字",
    }


class MissingValue(RowProblem):
    slug = "missing-value"
    severity = WARNING
    title = {"en": "Missing value", "zh-Hans": "缺失值"}
    template = {
        "en": "no value (empty or a missing-value marker); stored as a missing observation with its marker",
        "zh-Hans": "无数值（为空或缺失值标记）；按缺失观测值保存，并保留原标记",
    }


class DuplicateObservation(RowProblem):
    slug = "duplicate-observation"
    title = {"en": "Duplicate observation", "zh-Hans": "重复的观测值"}
    template = {
        "en": "same indicator, period, series, unit and groups as row {first}",
        "zh-Hans": "与第 {first} 行的指标、期间、系列、单位和分组相同",
    }


class UnknownIndicator(RowProblem):
    slug = "unknown-indicator"
    title = {"en": "Unknown indicator", "zh-Hans": "未知指标"}
    template = {
        "en": "indicator '{value}' is not defined (no metadata and not in the review)",
        "zh-Hans": "指标“{value}”未定义（既无元数据，也不在本次评估中）",
    }


class SpecInvalid(RowProblem):
    slug = "spec-invalid"
    title = {"en": "Indicator specification not valid", "zh-Hans": "指标规格无效"}
    template = {
        "en": "'{value}': {detail}",
        "zh-Hans": "“{value}”：{detail_zh}",
    }


class UnknownSeries(RowProblem):
    slug = "unknown-series"
    title = {"en": "Series without an indicator", "zh-Hans": "系列无对应指标"}
    template = {
        "en": "series '{value}' is not in the data structure's series code list (CL_SERIES), so the indicator "
              "it belongs to is unknown (sdg-build leaves such rows out without a word); add it to the DSD",
        "zh-Hans": "系列“{value}”不在数据结构定义的系列代码表（CL_SERIES）中，因此不知其所属指标"
                   "（sdg-build 会不加说明地略去这些行）；请将其加入 DSD",
    }


class UnknownCode(RowProblem):
    slug = "unknown-code"
    title = {"en": "Unknown code", "zh-Hans": "未知代码"}
    template = {
        "en": "'{value}' is not a code of {column} (known: {known})",
        "zh-Hans": "“{value}”不是 {column} 的代码（可用：{known}）",
    }


class UnitMismatch(RowProblem):
    slug = "unit-mismatch"
    title = {"en": "Unit mismatch", "zh-Hans": "单位不一致"}
    template = {
        "en": "unit '{value}' differs from the indicator's unit '{expected}'",
        "zh-Hans": "单位“{value}”与指标的单位“{expected}”不一致",
    }


class PercentageOutOfRange(RowProblem):
    slug = "percentage-out-of-range"
    title = {"en": "Percentage out of 0–100", "zh-Hans": "百分比超出 0–100"}
    template = {
        "en": "{value} is a percentage outside 0–100 (unit '{unit}')",
        "zh-Hans": "{value} 是百分比，但超出 0–100（单位“{unit}”）",
    }


class ImplausibleValue(RowProblem):
    slug = "implausible-value"
    title = {"en": "Value outside plausible range", "zh-Hans": "数值超出合理范围"}
    template = {
        "en": "{value} is outside the plausible range {low} … {high} for unit '{unit}'",
        "zh-Hans": "{value} 超出单位“{unit}”的合理范围 {low} … {high}",
    }


class SuspiciousJump(RowProblem):
    slug = "suspicious-jump"
    severity = WARNING
    title = {"en": "Suspicious jump", "zh-Hans": "可疑跳变"}
    template = {
        "en": "{value} jumps from {previous} ({previous_period}); robust z = {z} (> {limit})",
        "zh-Hans": "{value} 相比 {previous}（{previous_period}）跳变异常；稳健 z 值 = {z}（> {limit}）",
    }


class InconsistentTotal(RowProblem):
    slug = "inconsistent-total"
    severity = WARNING
    title = {"en": "Headline and groups disagree", "zh-Hans": "总计与分组不一致"}
    template = {
        "en": "headline {value} but the {group} groups add up to {total}",
        "zh-Hans": "总计为 {value}，但{group_zh}各组之和为 {total}",
    }


class TooLong(RowProblem):
    slug = "too-long"
    title = {"en": "Text too long", "zh-Hans": "文本过长"}
    template = {
        "en": "'{value}' is longer than {limit} characters",
        "zh-Hans": "“{value}”超过 {limit} 个字符",
    }


class BadCode(RowProblem):
    slug = "bad-obs-status"
    title = {"en": "Unknown observation status", "zh-Hans": "未知观测状态"}
    template = {
        "en": "'{value}' is not an SDMX OBS_STATUS code (A, E, P, F, B, M)",
        "zh-Hans": "“{value}”不是 SDMX OBS_STATUS 代码（A、E、P、F、B、M）",
    }


# --- metadata problems ------------------------------------------------------------------------


class MetadataInvalid(MetadataProblem):
    slug = "metadata-invalid"
    severity = WARNING  # the field is kept verbatim; the data can still be stored
    title = {"en": "Metadata field invalid", "zh-Hans": "元数据字段无效"}
    template = {
        "en": "metadata field '{column}' = '{value}': {detail}",
        "zh-Hans": "元数据字段“{column}” = “{value}”：{detail_zh}",
    }


class MetadataUnreadable(MetadataProblem):
    slug = "metadata-unreadable"
    title = {"en": "Metadata unreadable", "zh-Hans": "元数据无法读取"}
    template = {
        "en": "the metadata cannot be read: {detail}",
        "zh-Hans": "无法读取元数据：{detail}",
    }


class MetadataMissing(MetadataProblem):
    slug = "metadata-missing"
    severity = WARNING
    title = {"en": "No metadata", "zh-Hans": "缺少元数据"}
    template = {
        "en": "indicator '{value}' has data but no metadata file",
        "zh-Hans": "指标“{value}”有数据但没有元数据文件",
    }


class BadOptimum(MetadataProblem):
    slug = "bad-optimum"
    title = {"en": "Optimum rule not usable", "zh-Hans": "最优值规则无法使用"}
    template = {
        "en": "field '{column}' = '{value}': {detail} (allowed: {allowed} or a number)",
        "zh-Hans": "字段“{column}” = “{value}”：{detail_zh}（可用：{allowed_zh} 或数字）",
    }


CATALOGUE: dict[str, type[ProblemType]] = {
    cls.slug: cls
    for cls in (
        EmptyFile, BadEncoding, UnreadableFile, UnknownFormat, TooLarge, MissingColumn,
        DuplicateColumn, PlaceholderData, NonStatistical, SeveralAreas, LimitExceeded, NotText, UnsafeXml,
        RaggedRow, BadPeriod, NonNumericValue,
        MissingValue, DuplicateObservation, UnknownIndicator, UnknownCode, UnitMismatch,
        PercentageOutOfRange, ImplausibleValue, SuspiciousJump, InconsistentTotal, BadCode, TooLong,
        MetadataInvalid, MetadataUnreadable, MetadataMissing, BadOptimum, NoDataYet, MetadataUnlisted, UnknownSeries, SpecInvalid,
    )
}


class _Lenient(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _fill(template: str, params: dict[str, Any]) -> str:
    return string.Formatter().vformat(template, (), _Lenient(params))


@dataclass(frozen=True, slots=True)
class Problem:
    """One reported problem: where (file, row, column), what (type slug) and why (messages).

    ``count`` is the number of problems the line stands for: 1, or, for a line written from the
    ``more-problems`` template (:func:`vlrkit.validation.report.capped`), the rows of a file with
    the same problem that the report counts instead of listing (its ``type`` is theirs); ``rows``
    then holds those rows' numbers (a polars Series, so that the rows are rejected and given a
    reason in the rejects file without a Python object per row)."""

    type: str
    severity: str
    file: str
    row: int | None
    column: str | None
    message: dict[str, str] = field(default_factory=dict)
    count: int = 1
    rows: Any = field(default=None, compare=False, repr=False)  # polars Series of row numbers, or None

    def to_dict(self) -> dict[str, Any]:
        out = {
            "type": self.type,
            "severity": self.severity,
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "message": self.message.get("en", ""),
            "message_zh": self.message.get("zh-Hans", ""),
        }
        if self.count != 1:
            out["count"] = self.count
        return out


def make(
    problem_type: type[ProblemType],
    file: str,
    row: int | None = None,
    column: str | None = None,
    **params: Any,
) -> Problem:
    """A :class:`Problem` of catalogue type ``problem_type`` with its messages filled in."""
    params = {"column": column, "row": row, **params}
    params.setdefault("detail_zh", params.get("detail", ""))
    params.setdefault("kind_zh", params.get("kind", ""))
    message = {lang: _fill(problem_type.template[lang], params) for lang in LANGS}
    return Problem(problem_type.slug, problem_type.severity, file, row, column, message)


class IgnoredFile(FileProblem):
    slug = "ignored-file"
    severity = WARNING
    title = {"en": "File not read", "zh-Hans": "未读取的文件"}
    template = {
        "en": "{detail}; the file is not read (Open SDG would not read it either)",
        "zh-Hans": "{detail_zh}；未读取该文件（Open SDG 也不会读取）",
    }


CATALOGUE[IgnoredFile.slug] = IgnoredFile


class MoreProblems(RowProblem):
    slug = "more-problems"
    title = {"en": "More rows with the same problem", "zh-Hans": "更多行有相同问题"}
    template = {
        "en": "{count} more rows of this file (rows {first}–{last}) have the problem '{kind}'; the report "
              "lists the first {shown} (an import with --partial lists every rejected row in its rejects file)",
        "zh-Hans": "该文件另有 {count} 行（第 {first}–{last} 行）存在问题“{kind}”；报告只列出前 {shown} 行"
                   "（使用 --partial 导入时，拒绝文件会列出每一个被拒绝的行）",
    }


CATALOGUE[MoreProblems.slug] = MoreProblems
