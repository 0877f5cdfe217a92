"""Kubernetes CustomResourceDefinitions: each served version's `openAPIV3Schema` is the resource's
API, the fields users write in their manifests. Per CRD (any YAML document of `kind:
CustomResourceDefinition`, in any file, several per bundle), graded like the other wire formats:

- error: a version removed; a field removed (from `spec`, which manifests set, or from `status`,
  which clients read, like a response property in oasdiff), its type changed, made required or
  newly required; an enum value removed (required-ness and enum values count in `spec` only:
  the controller writes `status`);
- warning: the storage version changed (stored objects must be migrated);
- info: new versions and fields (new interfaces);
- a changed `default:` is a changed default of its own (`RayCluster.spec.suspend: false → true`),
  and so is one added to or dropped from an existing field (`numProcPerNode: unset → 1`);
- a removed field's generated copies in the commit's Go API types, apply configurations and
  Python SDK models are named on its fact (`mirrors`, see _mirrors.py), not counted again.

Fields are named `Kind.path` whatever version carries them, so a change made to every version,
and the generated copies of one CRD (a Helm chart's `crds/`, kustomize bases, an operator bundle),
are one fact with the evidence of each copy.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import yaml

from repodigest.facts.context import CommitContext, FileContext
from repodigest.facts.extractors._mirrors import removed_declarations
from repodigest.facts.extractors._schemas import (
    Document,
    Path,
    differences,
    documents,
    flatten,
    merge_copies,
    property_fact,
    wire_fact,
)
from repodigest.facts.models import Change, DefaultFact, FileNote, FileNoteReason, FileRole, Side, WireFact
from repodigest.facts.surface.model import periphery_reason
from repodigest.source.models import FileStatus

MARKER = "CustomResourceDefinition"
SUFFIXES = (".yaml", ".yml", ".json")
MAX_BYTES = 16_000_000
MAX_FACTS_PER_CRD = 40


@dataclass(frozen=True)
class Version:
    name: str
    storage: bool
    schema: dict | None
    pointer: Path
    """Where the version's entry is in its document."""
    schema_pointer: Path


@dataclass
class Crd:
    name: str
    """metadata.name: `<plural>.<group>`."""
    kind: str
    versions: dict[str, Version]
    doc: Document
    path: str

    @property
    def storage(self) -> str | None:
        return next((v.name for v in self.versions.values() if v.storage), None)


def extract(context: CommitContext) -> Iterator[WireFact | DefaultFact | FileNote]:
    sides: list[tuple[FileContext, dict[str, Crd], dict[str, Crd]]] = []
    for file in context.files:
        if not _candidate(file):
            continue
        if not (file.side_says("old", "crd", _marked, MAX_BYTES) or file.side_says("new", "crd", _marked, MAX_BYTES)):
            continue
        old_text, new_text = file.texts_up_to(MAX_BYTES)
        try:
            old = _crds(old_text, file.old_path) if file.diff.change.status != FileStatus.ADDED else {}
            new = _crds(new_text, file.path) if file.diff.change.status != FileStatus.DELETED else {}
        except yaml.YAMLError:
            yield FileNote(path=file.path, note="could not be read as YAML", reason=FileNoteReason.UNREADABLE_YAML)
            continue
        yield FileNote(path=file.path, parsed=True)
        if file.diff.change.status != FileStatus.DELETED:  # a deleted copy does not retire the CRD
            sides.append((file, old, new))
    everywhere_new = {name for _, _, new in sides for name in new}
    wire: list[WireFact] = []
    defaults: list[DefaultFact] = []
    for _file, old, new in sides:
        for name, before in old.items():
            after = new.get(name)
            if after is None and name not in everywhere_new:
                wire.extend(
                    _fact(before, v.pointer, "version", f"{before.kind} {v.name}", Change.REMOVED, breaking=True)
                    for v in before.versions.values()
                )
            elif after is not None:
                found = list(compare(before, after))[:MAX_FACTS_PER_CRD]
                wire.extend(f for f in found if isinstance(f, WireFact))
                defaults.extend(f for f in found if isinstance(f, DefaultFact))
        for name, after in new.items():
            if name not in old:
                wire.extend(
                    _fact(after, v.pointer, "version", f"{after.kind} {v.name}", Change.ADDED)
                    for v in after.versions.values()
                )
    yield from _with_mirrors(context, merge_copies(wire))
    yield from _merge_defaults(defaults)


def _with_mirrors(context: CommitContext, facts: list[WireFact]) -> list[WireFact]:
    """A removed field's generated Go and Python copies are named on its fact (issue 16)."""
    if not any(_removed_field(f) for f in facts):
        return facts
    removed = removed_declarations(context)
    found = []
    for fact in facts:
        mirrors = removed.mirrors(fact.released_name) if _removed_field(fact) else ()
        found.append(fact.model_copy(update={"mirrors": mirrors}) if mirrors else fact)
    return found


def _removed_field(fact: WireFact) -> bool:
    return fact.element == "property" and fact.change == Change.REMOVED and fact.breaking


def _marked(text: str) -> bool:
    return MARKER in text


def _candidate(file: FileContext) -> bool:
    if not file.path.endswith(SUFFIXES) or file.diff.change.binary:
        return False
    return file.role not in (FileRole.TEST, FileRole.VENDORED, FileRole.DOCS) and not periphery_reason(file.path)


def _crds(text: str | None, path: str) -> dict[str, Crd]:
    if text is None or MARKER not in text:
        return {}
    found = {}
    for doc in documents(text):
        data = doc.data
        if not isinstance(data, dict) or data.get("kind") != MARKER or not isinstance(data.get("spec"), dict):
            continue
        spec = data["spec"]
        name = str((data.get("metadata") or {}).get("name") or (spec.get("names") or {}).get("plural"))
        kind = str((spec.get("names") or {}).get("kind") or name)
        found[name] = Crd(name, kind, _versions(spec), doc, path)
    return found


def _versions(spec: dict) -> dict[str, Version]:
    """`spec.versions[]` with their own schemas (v1), or one schema for all (v1beta1)."""
    shared = (spec.get("validation") or {}).get("openAPIV3Schema")
    found = {}
    for index, entry in enumerate(spec.get("versions") or []):
        if not isinstance(entry, dict) or "name" not in entry or entry.get("served") is False:
            continue
        pointer = ("spec", "versions", index)
        schema = (entry.get("schema") or {}).get("openAPIV3Schema")
        schema_pointer = (
            (*pointer, "schema", "openAPIV3Schema") if schema else ("spec", "validation", "openAPIV3Schema")
        )
        found[str(entry["name"])] = Version(
            str(entry["name"]), bool(entry.get("storage")), schema or shared, pointer, schema_pointer
        )
    if not found and spec.get("version"):
        found[str(spec["version"])] = Version(
            str(spec["version"]), True, shared, ("spec", "version"), ("spec", "validation", "openAPIV3Schema")
        )
    return found


def compare(old: Crd, new: Crd) -> Iterator[WireFact | DefaultFact]:
    for name, version in old.versions.items():
        if name not in new.versions:
            yield _fact(old, version.pointer, "version", f"{old.kind} {name}", Change.REMOVED, breaking=True)
    for name, version in new.versions.items():
        if name not in old.versions:
            yield _fact(new, version.pointer, "version", f"{new.kind} {name}", Change.ADDED)
    if old.storage and new.storage and old.storage != new.storage:
        pointer = new.versions[new.storage].pointer
        yield _fact(
            new,
            pointer,
            "storage_version",
            new.kind,
            Change.CHANGED,
            old.storage,
            new.storage,
            breaking=True,
            confidence="low",
        )
    for name, version in new.versions.items():
        before = old.versions.get(name)
        if before is not None and before.schema is not None and version.schema is not None:
            was, now = flatten(before.schema, before.schema_pointer), flatten(version.schema, version.schema_pointer)
            yield from _fields(old, new, was, now)


def _fields(old: Crd, new: Crd, was, now) -> Iterator[WireFact | DefaultFact]:
    for difference in differences(was, now):
        name = f"{new.kind}.{difference.path}"
        if difference.what == "default":
            old_value, new_value = difference.values
            yield DefaultFact(
                key=name,
                old_value=old_value,
                new_value=new_value,
                source="crd",
                top_level=DefaultFact.flips(old_value, new_value),
                evidence=(_default_evidence(old, new, difference, new_value == DefaultFact.UNSET),),
            )
        else:
            # A CRD's status is written by its controller: only what users write is theirs to break.
            writers_break = not difference.path.startswith("status")
            found = property_fact("crd", difference, old, new, name, writers_break)
            if found is not None:
                yield found


def _default_evidence(old: Crd, new: Crd, difference, dropped: bool):
    """The `default:` line: in the new manifest, or in the old one when the default was dropped."""
    if dropped:
        return old.doc.evidence(old.path, (*difference.old.pointer, "default"), Side.OLD)
    return new.doc.evidence(new.path, (*difference.new.pointer, "default"), Side.NEW)


def _merge_defaults(defaults: list[DefaultFact]) -> list[DefaultFact]:
    merged: dict[tuple, DefaultFact] = {}
    for fact in defaults:
        key = (fact.key, fact.old_value, fact.new_value)
        kept = merged.get(key)
        if kept is None:
            merged[key] = fact
        elif fact.evidence[0] not in kept.evidence and len(kept.evidence) < 3:
            merged[key] = kept.model_copy(update={"evidence": (*kept.evidence, fact.evidence[0])})
    return list(merged.values())


def _fact(crd: Crd, pointer: Path, element: str, name: str, change: Change, *values: str, **grade) -> WireFact:
    return wire_fact("crd", crd, pointer, element, name, change, *values, **grade)
