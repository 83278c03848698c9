"""The issue taxonomy (``data/issues.yml``) and process files (``data/processes/*.yml``).

Both are data a political scientist edits; this module only turns them into typed objects
and checks the things that would otherwise fail silently later (unknown issues in a process
file, anchors outside 0–100, value cues pointing at sub-issues that do not exist).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from detente.data import load_yaml


class TaxonomyError(ValueError):
    """A taxonomy or process file that cannot be used as written."""


@dataclass(frozen=True)
class Scale:
    anchors: dict[int, str]

    def label_for(self, value: float) -> str:
        """The label of the anchor nearest to ``value`` (ties go to the lower anchor)."""
        nearest = min(self.anchors, key=lambda a: (abs(a - value), a))
        return self.anchors[nearest]


@dataclass(frozen=True)
class Cue:
    """A phrase that signals an issue, possibly also a place on its scale."""

    phrase: str
    issue: str
    sub_issue: str | None = None
    value: float | None = None
    binary: bool = False


@dataclass(frozen=True)
class SubIssue:
    id: str
    label: str
    cues: tuple[str, ...]
    scale: Scale | None = None


@dataclass(frozen=True)
class Issue:
    id: str
    label: str
    scale: Scale
    crosswalk: dict[str, list[str]]
    cues: tuple[Cue, ...]
    sub_issues: dict[str, SubIssue]

    @property
    def main_sub_issue(self) -> str | None:
        """The first sub-issue listed: the one the issue is mostly argued over."""
        return next(iter(self.sub_issues), None)

    def scale_for(self, sub_issue: str | None) -> Scale:
        sub = self.sub_issues.get(sub_issue or "")
        return sub.scale if sub and sub.scale else self.scale


@dataclass(frozen=True, eq=False)
class Taxonomy:
    issues: dict[str, Issue]

    def cues(self) -> list[Cue]:
        return [cue for issue in self.issues.values() for cue in issue.cues]

    def __getitem__(self, issue_id: str) -> Issue:
        return self.issues[issue_id]


@dataclass(frozen=True)
class Party:
    code: str
    name: str
    role: str = "party"
    aliases: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    """Actor codes whose positions count as this party's (EU member states for ``EUR``)."""


@dataclass(frozen=True)
class Process:
    name: str
    label: str
    parties: tuple[Party, ...]
    issues: tuple[str, ...]
    mediators: tuple[Party, ...] = ()
    maximal: dict[str, dict[str, float]] = field(default_factory=dict)
    scale_overrides: dict[str, Scale] = field(default_factory=dict)

    @property
    def party_codes(self) -> list[str]:
        return [p.code for p in self.parties]

    def belligerents(self) -> list[str]:
        return [p.code for p in self.parties if p.role == "belligerent"]

    def scale(self, taxonomy: Taxonomy, issue: str, sub_issue: str | None = None) -> Scale:
        if issue in self.scale_overrides and not (
            sub_issue
            and taxonomy[issue].sub_issues.get(sub_issue, None)
            and taxonomy[issue].sub_issues[sub_issue].scale
        ):
            return self.scale_overrides[issue]
        return taxonomy[issue].scale_for(sub_issue)

    def party_code(self, actor_code: str) -> str:
        """The party an actor's positions count for: itself, or the party listing it as a
        member ("GBR" → "EUR" where European states are one party)."""
        return next((p.code for p in self.parties if actor_code in p.members), actor_code)

    def party_for(self, text: str) -> Party | None:
        """The party or mediator one of whose aliases is ``text`` (case-insensitive)."""
        wanted = text.strip().lower()
        for party in self.parties + self.mediators:
            if wanted in {a.lower() for a in party.aliases} or wanted == party.name.lower():
                return party
        return None


def _scale(raw: dict, where: str) -> Scale:
    anchors = {int(k): str(v) for k, v in (raw or {}).get("anchors", {}).items()}
    if not anchors or min(anchors) != 0 or max(anchors) != 100 or not 4 <= len(anchors) <= 6:
        raise TaxonomyError(f"{where}: a scale needs anchors at 0 and 100 plus 2–4 in between")
    return Scale(dict(sorted(anchors.items())))


def _cues(issue_id: str, raw: dict) -> list[Cue]:
    cues = [Cue(str(c), issue_id) for c in raw.get("cues", [])]
    for sub_id, sub in (raw.get("sub_issues") or {}).items():
        cues += [Cue(str(c), issue_id, sub_id) for c in sub.get("cues", [])]
    for entry in raw.get("values", []):
        sub_id = entry.get("sub_issue")
        if sub_id and sub_id not in (raw.get("sub_issues") or {}):
            raise TaxonomyError(f"{issue_id}: value cue {entry['cue']!r} names unknown {sub_id!r}")
        value = float(entry["value"])
        if not 0 <= value <= 100:
            raise TaxonomyError(f"{issue_id}: value of {entry['cue']!r} is outside 0–100")
        cues.append(Cue(str(entry["cue"]), issue_id, sub_id, value, bool(entry.get("binary"))))
    return cues


def parse_taxonomy(data: dict) -> Taxonomy:
    issues: dict[str, Issue] = {}
    for issue_id, raw in data["issues"].items():
        subs = {
            sub_id: SubIssue(
                sub_id,
                sub.get("label", sub_id),
                tuple(sub.get("cues", [])),
                _scale(sub["scale"], f"{issue_id}.{sub_id}") if sub.get("scale") else None,
            )
            for sub_id, sub in (raw.get("sub_issues") or {}).items()
        }
        issues[issue_id] = Issue(
            issue_id,
            raw.get("label", issue_id),
            _scale(raw.get("scale"), issue_id),
            {k: list(v) for k, v in (raw.get("crosswalk") or {}).items()},
            tuple(_cues(issue_id, raw)),
            subs,
        )
    return Taxonomy(issues)


@lru_cache(maxsize=1)
def load_taxonomy() -> Taxonomy:
    text = resources.files("detente.data").joinpath("issues.yml").read_text(encoding="utf-8")
    return parse_taxonomy(load_yaml(text))


def _party(raw: dict) -> Party:
    return Party(
        raw["code"],
        raw.get("name", raw["code"]),
        raw.get("role", "party"),
        tuple(raw.get("aliases", [])),
        tuple(raw.get("members", [])),
    )


def parse_process(data: dict, taxonomy: Taxonomy | None = None) -> Process:
    taxonomy = taxonomy or load_taxonomy()
    name = data["name"]
    issues = tuple(data.get("issues") or taxonomy.issues)
    unknown = [i for i in issues if i not in taxonomy.issues]
    unknown += [i for i in data.get("maximal", {}) if i not in issues]
    if unknown:
        raise TaxonomyError(f"process {name}: issues not in the taxonomy/process: {unknown}")
    parties = tuple(_party(p) for p in data.get("parties", []))
    codes = {p.code for p in parties}
    for issue, demands in (data.get("maximal") or {}).items():
        if set(demands) - codes:
            raise TaxonomyError(f"process {name}: {issue} names non-parties {set(demands) - codes}")
    return Process(
        name=name,
        label=data.get("label", name),
        parties=parties,
        issues=issues,
        mediators=tuple(_party(p) for p in data.get("mediators", [])),
        maximal={
            i: {c: float(v) for c, v in d.items()} for i, d in data.get("maximal", {}).items()
        },
        scale_overrides={
            i: _scale(s, f"{name}.{i}") for i, s in (data.get("scale_overrides") or {}).items()
        },
    )


def process_names() -> list[str]:
    folder = resources.files("detente.data").joinpath("processes")
    return sorted(p.name[:-4] for p in folder.iterdir() if p.name.endswith(".yml"))


AUTO_PREFIX = "auto:"
"""Automatic processes are named by their belligerents' codes: ``auto:ARM-AZE``."""


def auto_process_name(codes: Iterable[str]) -> str:
    """The id of the automatic process between ``codes`` (one code: an internal conflict)."""
    return AUTO_PREFIX + "-".join(sorted(set(codes)))


def auto_process(name: str) -> Process:
    """A process for a conflict no process file describes: its belligerents are the codes in
    its id, its issues the whole taxonomy, with no maximal demands or scale overrides —
    enough to record its positions, exchanges, talks and ceasefires."""
    codes = [c for c in name[len(AUTO_PREFIX) :].split("-") if c]
    if not codes:
        raise TaxonomyError(f"automatic process {name!r} names no belligerents")
    parties = tuple(Party(code, code, "belligerent") for code in codes)
    return Process(
        name=name,
        label=f"{' – '.join(codes)} (automatic)",
        parties=parties,
        issues=tuple(load_taxonomy().issues),
    )


@lru_cache(maxsize=64)
def load_process(name_or_path: str) -> Process:
    """A process by name (``russia-ukraine``, ``auto:ARM-AZE``) or by path to a YAML file of
    the same format."""
    if name_or_path.startswith(AUTO_PREFIX):
        return auto_process(name_or_path)
    path = Path(name_or_path)
    if path.suffix in {".yml", ".yaml"} and path.is_file():
        text = path.read_text(encoding="utf-8")
    else:
        resource = resources.files("detente.data").joinpath("processes", f"{name_or_path}.yml")
        if not resource.is_file():
            raise TaxonomyError(f"unknown process {name_or_path!r}; known: {process_names()}")
        text = resource.read_text(encoding="utf-8")
    return parse_process(load_yaml(text))
