"""Sagas drawn: a sequence diagram per path (SVG for HTML, Mermaid for Markdown), one lane
per service and one row per delivery (event from its producer to one consumer)."""

from __future__ import annotations

from html import escape

from contractctl.core.flow.graph import mermaid_id
from contractctl.core.flow.saga.paths import COMPENSATION, FAILURE, HAPPY, SagaPath, Step

CHAR_W = 7.0
ROW_H = 26.0
HEAD_H = 24.0
PAD = 16.0


def saga_svg(path: SagaPath, title: str) -> str:
    """A sequence diagram: lanes per service (headers staggered on two rows so lanes can be
    narrower than their names), one labelled arrow per delivery."""
    lanes: list[str] = []
    for s in path.steps:
        for svc in (s.producer, *s.consumers):
            if svc not in lanes:
                lanes.append(svc)
    rows = [(s, c) for s in path.steps for c in s.consumers] or [(s, "") for s in path.steps]
    label_w = max((len(s.event) for s in path.steps), default=4) * CHAR_W + 24
    head_w = max((len(n) for n in lanes), default=4) * CHAR_W + 16
    lane_w = max(head_w / 2 + 12, 70.0)
    x0 = PAD + label_w + head_w / 2
    lane_x = {svc: x0 + i * lane_w for i, svc in enumerate(lanes)}
    top = PAD + 2 * HEAD_H + 12
    width = x0 + (len(lanes) - 1) * lane_w + head_w / 2 + PAD
    height = top + len(rows) * ROW_H + PAD
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="flow saga" role="img" '
        f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}">',
        f"<title>{escape(title)}</title>",
        '<defs><marker id="seq-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker>'
        "</defs>",
    ]
    for i, svc in enumerate(lanes):
        x, y = lane_x[svc], PAD + (i % 2) * HEAD_H
        out.append(
            f'<line class="lane" x1="{x:.1f}" y1="{y + HEAD_H - 4:.1f}" x2="{x:.1f}" '
            f'y2="{height - PAD:.1f}"/>'
            '<g class="lane-head">'
            f'<rect x="{x - head_w / 2:.1f}" y="{y:.1f}" width="{head_w:.1f}" '
            f'height="{HEAD_H - 4:.1f}" rx="10"/>'
            f'<text x="{x:.1f}" y="{y + HEAD_H / 2 + 2:.1f}" text-anchor="middle">'
            f"{escape(svc)}</text></g>"
        )
    previous: Step | None = None
    for r, (step, consumer) in enumerate(rows):
        y = top + r * ROW_H + ROW_H / 2
        if step is not previous:  # the event's name once, on its first delivery
            out.append(
                f'<text class="step {step.kind}" x="{PAD:.1f}" y="{y + 4:.1f}">'
                f"{escape(step.event)}</text>"
            )
        previous = step
        if consumer and step.producer in lane_x:
            x1, x2 = lane_x[step.producer], lane_x[consumer]
            if x1 == x2:  # a service reacting to its own event: a small loop
                d = f"M{x1:.1f},{y - 6:.1f} h24 v12 h-24"
            else:
                d = f"M{x1:.1f},{y:.1f} L{x2:.1f},{y:.1f}"
            out.append(
                f'<path class="edge {step.kind}" d="{d}" marker-end="url(#seq-arrow)">'
                f"<title>{escape(step.producer)} emits {escape(step.event)} to "
                f"{escape(consumer)}</title></path>"
            )
    out.append("</svg>")
    return "\n".join(out)


def _mm(text: str) -> str:
    # Mermaid has no escaping for names and reads '-' as the start of an arrow: participants
    # get injective ids of letters, digits and '_'; the real names show as aliases.
    return mermaid_id(text, "p_")


def _mm_label(text: str) -> str:
    return "".join(ch for ch in text if ch not in ";#:\n")


def saga_mermaid(path: SagaPath) -> str:
    """The same sequence as a Mermaid ``sequenceDiagram`` (for the Markdown output)."""
    arrows = {HAPPY: "->>", FAILURE: "-x", COMPENSATION: "--)"}
    lines = ["sequenceDiagram"]
    lanes: list[str] = []
    for step in path.steps:
        for svc in (step.producer, *step.consumers):
            if svc not in lanes:
                lanes.append(svc)
    lines += [f"    participant {_mm(svc)} as {_mm_label(svc)}" for svc in lanes]
    for step in path.steps:
        for consumer in step.consumers:
            lines.append(
                f"    {_mm(step.producer)}{arrows[step.kind]}{_mm(consumer)}: "
                f"{_mm_label(step.event)} ({step.kind})"
            )
    return "\n".join(lines) + "\n"
