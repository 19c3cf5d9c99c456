"""Pose layouts (PoseData's ``Layout``): joint names, parts (the model's experts and part tokens, in
order) and bones, read from and written to the JSON text Swift stores in a model's configuration."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


class LayoutError(ValueError):
    """A layout's JSON is not a valid layout; the message says where."""


@dataclass(frozen=True)
class Part:
    name: str
    joints: tuple[int, ...]


@dataclass(frozen=True)
class Layout:
    """Joints, parts (in order: part tokens and experts follow it) and bones."""

    name: str
    joints: tuple[str, ...]
    parts: tuple[Part, ...]
    bones: tuple[tuple[int, int], ...]

    @property
    def joint_count(self) -> int:
        return len(self.joints)

    @property
    def part_order(self) -> list[int]:
        """Layout joint index of each model-space joint (the parts' joints one part after another)."""
        return [j for part in self.parts for j in part.joints]

    @classmethod
    def from_json(cls, source: str | dict[str, Any], context: str = "layout") -> "Layout":
        """Parses ``{"name", "joints", "parts": {name: [indices]} or [{"name", "joints"}], "bones"}``."""
        if isinstance(source, str):
            try:
                source = json.loads(source)
            except json.JSONDecodeError as error:
                raise LayoutError(f"{context}: not valid JSON ({error})") from None
        if not isinstance(source, dict):
            raise LayoutError(f"{context}: expected a JSON object")
        name = source.get("name")
        joints = source.get("joints")
        if not isinstance(name, str):
            raise LayoutError(f"{context}: 'name' must be a string")
        if not isinstance(joints, list) or not all(isinstance(j, str) for j in joints):
            raise LayoutError(f"{context}: 'joints' must be a list of joint names")
        count = len(joints)

        def index(value: Any, where: str) -> int:
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < count:
                raise LayoutError(f"{context}: {where} has index {value!r}, outside the {count} joints")
            return value

        raw_parts = source.get("parts")
        pairs: list[tuple[Any, Any]]
        if isinstance(raw_parts, dict):
            pairs = list(raw_parts.items())
        elif isinstance(raw_parts, list):
            pairs = [(p.get("name") if isinstance(p, dict) else None, p.get("joints") if isinstance(p, dict) else None)
                     for p in raw_parts]
        else:
            raise LayoutError(f"{context}: 'parts' must be an object (name → joint indices) or a list")
        parts = []
        owner: dict[int, str] = {}
        for part_name, members in pairs:
            if not isinstance(part_name, str) or not isinstance(members, list):
                raise LayoutError(f"{context}: every part needs a name and a list of joint indices")
            indices = tuple(index(m, f"part '{part_name}'") for m in members)
            for j in indices:
                if j in owner:
                    raise LayoutError(f"{context}: joint {j} belongs to parts '{owner[j]}' and '{part_name}'")
                owner[j] = part_name
            parts.append(Part(part_name, indices))
        if len(owner) != count:
            missing = next(j for j in range(count) if j not in owner)
            raise LayoutError(f"{context}: joint {missing} ('{joints[missing]}') belongs to no part")
        bones = []
        for bone in source.get("bones") or []:
            if not isinstance(bone, list) or len(bone) != 2:
                raise LayoutError(f"{context}: a bone must be a pair of joint indices, not {bone!r}")
            bones.append((index(bone[0], "a bone"), index(bone[1], "a bone")))
        return cls(name, tuple(joints), tuple(parts), tuple(bones))

    def json_string(self) -> str:
        """The layout's JSON text exactly as Swift's ``Layout.jsonString()`` writes it."""
        joints = ", ".join(_quoted(j) for j in self.joints)
        parts = ",".join("\n  " + _quoted(p.name) + ": [" + ", ".join(str(j) for j in p.joints) + "]" for p in self.parts)
        bones = ", ".join(f"[{a}, {b}]" for a, b in self.bones)
        return f'{{"name": {_quoted(self.name)},\n "joints": [{joints}],\n "parts": {{{parts}}},\n "bones": [{bones}]}}\n'

    def same_parts(self, other: "Layout") -> bool:
        """Whether a model built for one layout reads data in the other (Swift's check)."""
        return self.joint_count == other.joint_count and self.parts == other.parts


def _quoted(text: str) -> str:
    """A JSON string as PoseData's ``JSONWriter`` writes it (UTF-8, minimal escapes)."""
    out = []
    for ch in text:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20:
            out.append(f"\\u00{ord(ch):02x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'
