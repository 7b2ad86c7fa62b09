"""The flows as a Mermaid diagram, generated (never drawn by hand)."""

from __future__ import annotations

from .models import Content, Step


def _node_id(key: str) -> str:
    return key.replace(":", "__").replace("-", "_")


def _label(text: str) -> str:
    return text.replace('"', "'").replace("\n", " ")[:60]


def _node(step: Step) -> str:
    nid = _node_id(step.key)
    text = _label(f"{step.emoji} {step.text or step.id}".strip())
    if step.kind in ("question", "input"):
        return f'    {nid}{{"{text}"}}'
    if step.kind == "result":
        return f'    {nid}[["{text}"]]'
    if step.kind == "branch":
        return f'    {nid}{{{{"{step.id}"}}}}'
    if step.end:
        return f'    {nid}(["{text}"])'
    return f'    {nid}["{text}"]'


def to_mermaid(content: Content) -> str:
    from ._graph import resolve_target

    lines = ["flowchart TD"]
    for flow in content.flows.values():
        lines.append(f"  subgraph {flow.id}")
        lines.extend(_node(content.steps[key]) for key in flow.steps)
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
    return "\n".join(lines) + "\n"
