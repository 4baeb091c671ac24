"""A layered (Sugiyama-style) left-to-right layout of a directed graph, drawn as an SVG string.

Labels sit only inside node boxes and boxes never share space: every layer is a column as
wide as its widest label, and nodes in a column are stacked with a fixed gap. Long edges
run through thin dummy nodes so they do not cross boxes; cycles are broken by reversing
back edges, which are drawn with the arrow turned round. Deterministic for the same input.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from html import escape
from itertools import pairwise

CHAR_W = 7.0  # monospace 12px: the label box width is predictable without font metrics
NODE_H = 26.0
DUMMY_H = 4.0
V_GAP = 12.0
H_GAP = 70.0
SUB_GAP = 16.0  # between the sub-columns of one wrapped layer
BAND_GAP = 40.0  # between bands; edges into a later band run along it
PAD = 16.0
SWEEPS = 12
DUMMIES_PER_ELEMENT = 4  # the bundled flows use up to 1, the 1,000-contract benchmark's 2.2
# The drawing aims at a page column (the catalog's is ~1,230 px at a 1,280 px window), so it
# fits at scale 1 and its 12 px labels stay 12 px on screen.
TARGET_W = 1180.0
MAX_COLUMN_H = 560.0


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    label: str
    kind: str  # css class: "service", "event", "event deprecated", ...
    href: str | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Link:
    source: str
    target: str
    kind: str  # css class: "produces", "consumes", "compensates", "dead-letter", "flows"
    title: str | None = None  # the tooltip; default "<source> <kind> <target>"


@dataclass(slots=True)
class Box:
    id: str
    layer: int
    x: float = 0.0
    y: float = 0.0
    w: float = 0.0
    h: float = NODE_H
    dummy: bool = False
    band: int = 0
    band_top: float = PAD


def _break_cycles(
    ids: list[str], succ: dict[str, list[str]], prefer: set[str] | None = None
) -> set[tuple[str, str]]:
    """Edges to reverse, by Eades-Lin-Smyth's greedy ordering (few reversals, deterministic).

    Sinks go to the end and sources to the front; when neither is left, the node with the
    most outgoing over incoming edges goes next, taken from ``prefer`` (the actors, i.e.
    services) while any is left, so a column of services, not of events, starts a cycle.
    """
    out: dict[str, set[str]] = {n: set(succ[n]) for n in ids}
    inc: dict[str, set[str]] = {n: set() for n in ids}
    for s, targets in out.items():
        for t in targets:
            inc[t].add(s)
    alive = set(ids)
    front: list[str] = []
    back: list[str] = []

    def drop(n: str) -> None:
        alive.discard(n)
        for t in out[n]:
            inc[t].discard(n)
        for s in inc[n]:
            out[s].discard(n)

    while alive:
        changed = True
        while changed:
            changed = False
            for n in sorted(n for n in alive if not out[n]):
                back.append(n)
                drop(n)
                changed = True
            for n in sorted(n for n in alive if not inc[n]):
                front.append(n)
                drop(n)
                changed = True
        if alive:
            pool = sorted(alive & prefer) if prefer and alive & prefer else sorted(alive)
            best = max(pool, key=lambda n: len(out[n]) - len(inc[n]))
            front.append(best)
            drop(best)
    rank = {n: i for i, n in enumerate(front + back[::-1])}
    return {(s, t) for s in ids for t in succ[s] if rank[s] > rank[t]}


def _layers(ids: list[str], edges: list[tuple[str, str]]) -> dict[str, int]:
    """Longest path from the sources (Kahn's order, ties by id)."""
    succ: dict[str, list[str]] = defaultdict(list)
    indeg = dict.fromkeys(ids, 0)
    for s, t in edges:
        succ[s].append(t)
        indeg[t] += 1
    layer = dict.fromkeys(ids, 0)
    ready = sorted(n for n in ids if indeg[n] == 0)
    while ready:
        node = ready.pop(0)
        for t in succ[node]:
            layer[t] = max(layer[t], layer[node] + 1)
            indeg[t] -= 1
            if indeg[t] == 0:
                ready.append(t)
        ready.sort()
    return layer


def _order(
    columns: list[list[str]], preds: dict[str, list[str]], succs: dict[str, list[str]]
) -> None:
    """Barycentre sweeps, down then up; sorting is stable so ties keep their place.

    Every edge spans one layer once dummies are in, so a node's neighbours all sit in the
    column swept against: one position table serves every column, and a sweep costs
    O(V + E) plus the sorts. Sweeps stop early once a down and an up sweep both leave every
    column as it was: from there on each sweep would repeat the same no-op.
    """
    where = {n: k for col in columns for k, n in enumerate(col)}  # position in its column
    still = 0  # consecutive sweeps that moved nothing
    for sweep in range(SWEEPS):
        down = sweep % 2 == 0
        rng = range(1, len(columns)) if down else range(len(columns) - 2, -1, -1)
        neigh = preds if down else succs
        moved = False
        for i in rng:
            col = columns[i]
            keys: dict[str, float] = {}
            for n in col:
                ks = neigh.get(n)
                keys[n] = sum([where[m] for m in ks]) / len(ks) if ks else float(where[n])
            before = col[:]
            col.sort(key=keys.__getitem__)
            if col != before:
                moved = True
                for k, n in enumerate(col):
                    where[n] = k
        still = 0 if moved else still + 1
        if still == 2:
            break


def layout(
    nodes: list[Node], links: list[Link]
) -> tuple[dict[str, Box], list[tuple[Link, list[str], bool]]]:
    """Place every node; return the boxes and, per link, its chain of box ids and reversal."""
    ids = sorted(n.id for n in nodes)
    known = set(ids)
    links = sorted(
        {
            lk
            for lk in links
            if lk.source in known and lk.target in known and lk.source != lk.target
        },
        key=lambda lk: (lk.source, lk.target, lk.kind),
    )
    succ: dict[str, list[str]] = defaultdict(list)
    for lk in links:
        if lk.target not in succ[lk.source]:
            succ[lk.source].append(lk.target)
    back = _break_cycles(ids, succ, {n.id for n in nodes if "service" in n.kind.split()})
    directed = sorted(
        {(t, s) if (s, t) in back else (s, t) for s, t in ((lk.source, lk.target) for lk in links)}
    )
    layer = _layers(ids, directed)

    by_id = {n.id: n for n in nodes}
    boxes: dict[str, Box] = {}
    for n in ids:
        boxes[n] = Box(n, layer[n], w=max(60.0, len(by_id[n].label) * CHAR_W + 20.0))
    chains: list[tuple[Link, list[str], bool]] = []
    preds: dict[str, list[str]] = defaultdict(list)
    succs: dict[str, list[str]] = defaultdict(list)
    seen_pairs: dict[tuple[str, str], list[str]] = {}
    span = _dummy_span(links, back, layer)
    for lk in links:
        rev = (lk.source, lk.target) in back
        s, t = (lk.target, lk.source) if rev else (lk.source, lk.target)
        if (s, t) in seen_pairs:
            chains.append((lk, seen_pairs[(s, t)], rev))
            continue
        chain = [s]
        for lay in range(layer[s] + 1, layer[t]) if layer[t] - layer[s] <= span else ():
            d = f"~{s}>{t}#{lay}"
            boxes[d] = Box(d, lay, w=0.0, h=DUMMY_H, dummy=True)
            chain.append(d)
        chain.append(t)
        for a, b in pairwise(chain):
            succs[a].append(b)
            preds[b].append(a)
        seen_pairs[(s, t)] = chain
        chains.append((lk, chain, rev))

    depth = max((b.layer for b in boxes.values()), default=0) + 1
    columns: list[list[str]] = [[] for _ in range(depth)]
    for bid in sorted(boxes):
        columns[boxes[bid].layer].append(bid)
    _order(columns, preds, succs)
    _place(columns, boxes)
    return boxes, chains


def _dummy_span(links: list[Link], back: set[tuple[str, str]], layer: dict[str, int]) -> int:
    """The longest edge (in layers) that still runs through dummy nodes.

    Every edge does while the dummies stay within ``DUMMIES_PER_ELEMENT`` times the nodes
    and edges. Past that (a large domain's longest paths run 50+ layers deep, and its
    dummies outnumbered its nodes 35 to 1), only edges to the next layer but one get a
    dummy; longer ones are drawn straight across, so each ordering sweep stays linear in the
    nodes and edges and the SVG's size in what it draws.
    """
    pairs = {
        (t, s) if (s, t) in back else (s, t) for s, t in ((lk.source, lk.target) for lk in links)
    }
    dummies = sum(layer[t] - layer[s] - 1 for s, t in pairs)
    budget = DUMMIES_PER_ELEMENT * (len(layer) + len(pairs))
    return 1 << 30 if dummies <= budget else 2


def _split(column: list[str], boxes: dict[str, Box], max_h: float) -> list[list[str]]:
    """A layer taller than ``max_h`` wraps into side-by-side sub-columns, in order."""
    parts: list[list[str]] = [[]]
    height = 0.0
    for bid in column:
        h = boxes[bid].h
        if parts[-1] and height + V_GAP + h > max_h:
            parts.append([])
            height = 0.0
        height += (V_GAP if parts[-1] else 0.0) + h
        parts[-1].append(bid)
    return parts


def _place(columns: list[list[str]], boxes: dict[str, Box]) -> None:
    """Sub-columns per layer, then layers into bands no wider than ``TARGET_W``.

    Both wraps keep the drawing near the shape of a page: a long saga becomes several bands
    read top to bottom (like lines of text), a crowded layer several short columns.
    """

    def col_w(part: list[str]) -> float:
        return max((boxes[b].w for b in part), default=0.0)

    def col_h(part: list[str]) -> float:
        return sum(boxes[b].h for b in part) + V_GAP * max(len(part) - 1, 0)

    def layer_widths(max_h: float) -> tuple[list[list[list[str]]], list[float]]:
        layers = [_split(col, boxes, max_h) for col in columns]
        widths = [
            sum(col_w(p) for p in parts) + SUB_GAP * max(len(parts) - 1, 0) for parts in layers
        ]
        return layers, widths

    def one_band(widths: list[float]) -> bool:
        return sum(widths) + H_GAP * max(len(widths) - 1, 0) <= TARGET_W - 2 * PAD

    # The lowest column height at which every layer fits side by side in one band, found by
    # bisection (each try is linear); when even unwrapped layers are too wide, bands it is.
    tallest_col = max((col_h(c) for c in columns), default=0.0)
    layers, widths = layer_widths(max(tallest_col, MAX_COLUMN_H))
    if one_band(widths) and tallest_col > MAX_COLUMN_H:
        lo, hi = MAX_COLUMN_H, tallest_col
        for _ in range(16):
            mid = (lo + hi) / 2
            if one_band(layer_widths(mid)[1]):
                hi = mid
            else:
                lo = mid
        layers, widths = layer_widths(hi)
    elif not one_band(widths):
        layers, widths = layer_widths(MAX_COLUMN_H)
    bands: list[list[int]] = [[]]
    used = 0.0
    for i, w in enumerate(widths):
        if bands[-1] and used + H_GAP + w > TARGET_W - 2 * PAD:
            bands.append([])
            used = 0.0
        used += (H_GAP if bands[-1] else 0.0) + w
        bands[-1].append(i)
    top = PAD
    for band_no, band in enumerate(bands):
        tallest = max((col_h(p) for i in band for p in layers[i]), default=0.0)
        x = PAD
        for i in band:
            for part in layers[i]:
                w = col_w(part)
                y = top + (tallest - col_h(part)) / 2
                for bid in part:
                    box = boxes[bid]
                    box.band = band_no
                    box.band_top = top
                    box.x = x + w / 2 - (0.0 if box.dummy else box.w / 2)
                    box.y = y
                    y += box.h + V_GAP
                x += w + SUB_GAP
            x += H_GAP - SUB_GAP
        top += tallest + BAND_GAP


def _points(boxes: dict[str, Box], chain: list[str]) -> list[tuple[float, float]]:
    pts: list[tuple[float, float]] = []
    for i, bid in enumerate(chain):
        b = boxes[bid]
        cy = b.y + b.h / 2
        if b.dummy:
            pts.append((b.x, cy))
        elif i == 0:
            pts.append((b.x + b.w, cy))
        else:
            pts.append((b.x, cy))
    return pts


def _path(boxes: dict[str, Box], chain: list[str]) -> str:
    """Curves within a band; a hop into a later band runs down the gap between bands."""
    pts = _points(boxes, chain)
    d = f"M{pts[0][0]:.1f},{pts[0][1]:.1f}"
    for k, ((x1, y1), (x2, y2)) in enumerate(pairwise(pts)):
        if boxes[chain[k + 1]].band != boxes[chain[k]].band:
            gap_y = boxes[chain[k + 1]].band_top - BAND_GAP / 2
            out_x, in_x = x1 + H_GAP / 3, x2 - H_GAP / 3
            d += (
                f" L{out_x:.1f},{y1:.1f} L{out_x:.1f},{gap_y:.1f}"
                f" L{in_x:.1f},{gap_y:.1f} L{in_x:.1f},{y2:.1f} L{x2:.1f},{y2:.1f}"
            )
            continue
        mx = (x1 + x2) / 2
        d += f" C{mx:.1f},{y1:.1f} {mx:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
    return d


def _tip(lk: Link) -> str:
    verb = {"produces": "emits", "dead-letter": "dead-letters to"}.get(lk.kind, lk.kind)
    return f"{lk.source.split(':', 1)[-1]} {verb} {lk.target.split(':', 1)[-1]}"


def render_svg(
    nodes: list[Node], links: list[Link], *, title: str = "Flow", link_target: str | None = None
) -> str:
    """The whole diagram as a standalone ``<svg>`` element (inline-able in HTML).

    ``link_target`` (e.g. ``_top``) goes on every node link, for a drawing shown from its
    own file inside a page: its links then open in the page, not in the embedded frame.

    Nodes and edges carry ``data-id`` / ``data-s``, ``data-t`` so the page script can fade
    everything outside a node's neighbourhood; the edge kind is its CSS class.
    """
    boxes, chains = layout(nodes, links)
    real = [boxes[n.id] for n in sorted(nodes, key=lambda n: n.id)]
    width = max((b.x + b.w for b in boxes.values()), default=0.0) + PAD
    height = max((b.y + b.h for b in boxes.values()), default=0.0) + PAD
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="flow" role="img" '
        f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}">',
        f"<title>{escape(title)}</title>",
        "<defs>"
        '<marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker>'
        "</defs>",
    ]
    for lk, chain, rev in chains:
        marker = 'marker-start="url(#arrow)"' if rev else 'marker-end="url(#arrow)"'
        cls = f"edge {lk.kind}" + (" back" if rev else "")
        out.append(
            f'<path class="{escape(cls)}" data-s="{escape(lk.source)}" '
            f'data-t="{escape(lk.target)}" d="{_path(boxes, chain)}" {marker}>'
            f"<title>{escape(lk.title or _tip(lk))}</title></path>"
        )
    by_id = {n.id: n for n in nodes}
    for b in real:
        n = by_id[b.id]
        rx = 13 if "service" in n.kind.split() else 3
        shape = (
            f'<g class="node {escape(n.kind)}" data-id="{escape(n.id)}">'
            f"<title>{escape(n.title or n.label)}</title>"
            f'<rect x="{b.x:.1f}" y="{b.y:.1f}" width="{b.w:.1f}" height="{b.h:.1f}" rx="{rx}"/>'
            f'<text x="{b.x + b.w / 2:.1f}" y="{b.y + b.h / 2 + 4:.1f}" '
            f'text-anchor="middle">{escape(n.label)}</text></g>'
        )
        if n.href:
            target = f' target="{escape(link_target)}"' if link_target else ""
            shape = f'<a{target} href="{escape(n.href)}">{shape}</a>'
        out.append(shape)
    out.append("</svg>")
    return "\n".join(out)


def overlaps(boxes: dict[str, Box]) -> list[tuple[str, str]]:
    """Pairs of real node boxes that intersect (a test helper; always empty by design)."""
    real = sorted((b for b in boxes.values() if not b.dummy), key=lambda b: (b.x, b.y))
    bad: list[tuple[str, str]] = []
    for i, a in enumerate(real):
        for b in real[i + 1 :]:
            if b.x >= a.x + a.w:
                break
            if a.x < b.x + b.w and b.x < a.x + a.w and a.y < b.y + b.h and b.y < a.y + a.h:
                bad.append((a.id, b.id))
    return bad
