"""The flows as a Mermaid diagram, generated (never drawn by hand)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .models import Content, Step

TRAFFIC_CLASSES = (
    (0.75, "many", "fill:#2e7d32,color:#fff"),
    (0.50, "half", "fill:#9ccc65"),
    (0.25, "few", "fill:#ffb74d"),
    (0.0, "rare", "fill:#e57373,color:#fff"),
)
"""Share of the conversations that reach a step → its colour (dark green to red); hidden figures are grey."""
HIDDEN_CLASS = ("hidden", "fill:#e0e0e0,color:#555")


@dataclass(frozen=True, slots=True)
class Traffic:
    """What the diagram says of one step: the share of conversations that reached it, and the drop since the
    question before it, or the protection mark when the figures are small ('< 5', 'caché')."""

    share: float | None
    drop: float | None = None
    mark: str | None = None

    @property
    def label(self) -> str:
        if self.share is None:
            return self.mark or "?"
        text = f"{self.share:.0%}".replace("%", " %")
        return text + (f" (−{self.drop:.0%})".replace("%", " %") if self.drop else "")

    @property
    def css_class(self) -> str:
        if self.share is None:
            return HIDDEN_CLASS[0]
        return next(name for floor, name, _ in TRAFFIC_CLASSES if self.share >= floor)


def _node_id(key: str) -> str:
    return key.replace(":", "__").replace("-", "_")


def _label(text: str) -> str:
    return text.replace('"', "'").replace("\n", " ")[:60]


def _node(step: Step, traffic: Traffic | None = None) -> str:
    nid = _node_id(step.key)
    text = _label(f"{step.emoji} {step.text or step.id}".strip())
    if traffic is not None:
        text = f"{text} — {traffic.label}"
    if step.kind in ("question", "input"):
        return f'    {nid}{{"{text}"}}'
    if step.kind == "result":
        return f'    {nid}[["{text}"]]'
    if step.kind == "branch":
        return f'    {nid}{{{{"{step.id}"}}}}'
    if step.end:
        return f'    {nid}(["{text}"])'
    return f'    {nid}["{text}"]'


def to_mermaid(content: Content, traffic: Mapping[str, Traffic] | None = None) -> str:
    """The diagram; with ``traffic`` (step key → Traffic), questions are coloured by the share of people who
    reach them and labelled with it and the drop-off since the question before."""
    from ._graph import resolve_target

    lines = ["flowchart TD"]
    for flow in content.flows.values():
        lines.append(f"  subgraph {flow.id}")
        lines.extend(_node(content.steps[key], (traffic or {}).get(key)) for key in flow.steps)
        lines.append("  end")
    for step in content.steps.values():
        src = _node_id(step.key)

        def edge(target: str | None, label: str, src: str = src, step: Step = step) -> None:
            key = resolve_target(target, step.flow, content.steps, content.flows) if target else None
            if key:
                arrow = f' -->|"{_label(label)}"| ' if label else " --> "
                lines.append(f"    {src}{arrow}{_node_id(key)}")

        for choice in step.choices:
            edge(choice.next or step.next, f"{choice.emoji} {choice.label}".strip())
        for rule in step.branch:
            edge(rule.next, "si " + " ou ".join(
                " et ".join(f"{k}={'/'.join(sorted(v))}" for k, v in alt) for alt in rule.when.alternatives)
                if rule.when.alternatives else "sinon")
        if not step.choices and not step.branch:
            edge(step.next, "")
    if traffic:
        for _, name, style in (*TRAFFIC_CLASSES, ("", *HIDDEN_CLASS)):
            lines.append(f"  classDef {name} {style}")
        for key, figure in traffic.items():
            if key in content.steps:
                lines.append(f"  class {_node_id(key)} {figure.css_class}")
    return "\n".join(lines) + "\n"
