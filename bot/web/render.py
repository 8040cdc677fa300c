"""HTML fragments built in Python: evidence highlighting and the profile chart.

Candidate text is escaped first; only then are the evidence spans wrapped, by
their character offsets into the escaped-from text, so no candidate input is
ever markup.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape


def highlight(text: str | None, evidence: list[dict[str, Any]]) -> Markup:
    """``text`` escaped, with each evidence span wrapped in ``<mark>``.

    Spans are ``{start, end, polarity, indicator}`` with offsets into
    ``text``; spans out of range or overlapping an earlier one are skipped.
    A span "for" the competency is marked ``+``, one "against" it ``−``, so
    the highlighting is readable without colour.
    """
    if not text:
        return Markup("")
    spans = []
    for item in evidence or []:
        try:
            start, end = int(item["start"]), int(item["end"])
        except (KeyError, TypeError, ValueError):
            continue
        if 0 <= start < end <= len(text):
            spans.append((start, end, item))
    spans.sort(key=lambda s: (s[0], -s[1]))
    out: list[str] = []
    cursor = 0
    for start, end, item in spans:
        if start < cursor:
            continue
        against = item.get("polarity") == "against"
        label = "against" if against else "for"
        title = f"evidence {label}: {item.get('indicator', '')}"
        out.append(str(escape(text[cursor:start])))
        out.append(
            f'<mark class="ev ev-{label}" title="{escape(title)}">'
            f'<span class="ev-sign" aria-hidden="true">{"−" if against else "+"}</span>'
            f'<span class="visually-hidden">(evidence {label}) </span>'
            f"{escape(text[start:end])}</mark>"
        )
        cursor = end
    out.append(str(escape(text[cursor:])))
    return Markup("".join(out))


def profile_chart(ratings: dict[str, float], names: dict[str, str], plot_width: int = 330) -> Markup:
    """An SVG bar chart of competency ratings (1-5), values written on the bars.

    Readable without colour: every bar carries its number and the scale has
    labelled grid lines; the SVG has a title and a description.
    """
    if not ratings:
        return Markup('<p class="muted">No ratings yet.</p>')
    items = sorted(ratings.items(), key=lambda kv: names.get(kv[0], kv[0]))
    longest = max(len(names.get(cid, cid)) for cid, _ in items)
    label_w, bar_h, gap, top = int(16 + 7.6 * longest), 22, 8, 26
    plot_w = plot_width
    width = label_w + plot_w + 50
    height = top + len(items) * (bar_h + gap) + 10

    def x(value: float) -> float:
        return label_w + (value / 5.0) * plot_w

    parts = [
        f'<svg class="profile-chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">',
        '<title id="chart-title">Competency profile</title>',
        '<desc id="chart-desc">' + escape("; ".join(f"{names.get(c, c)}: {v:.1f} of 5" for c, v in items)) + "</desc>",
    ]
    for tick in range(0, 6):
        tx = x(tick)
        parts.append(f'<line x1="{tx:.1f}" y1="{top - 6}" x2="{tx:.1f}" y2="{height - 6}" class="grid"/>')
        parts.append(f'<text x="{tx:.1f}" y="{top - 10}" class="tick" text-anchor="middle">{tick}</text>')
    for i, (cid, value) in enumerate(items):
        y = top + i * (bar_h + gap)
        parts.append(
            f'<text x="{label_w - 8}" y="{y + bar_h * 0.7:.1f}" text-anchor="end" class="label">'
            f"{escape(names.get(cid, cid))}</text>"
        )
        parts.append(f'<rect x="{label_w}" y="{y}" width="{x(value) - label_w:.1f}" height="{bar_h}" class="bar"/>')
        parts.append(f'<text x="{x(value) + 6:.1f}" y="{y + bar_h * 0.7:.1f}" class="value">{value:.1f}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def fmt_score(value: float | None) -> str:
    """A 1-5 index with one decimal, or an en dash when there is none."""
    return "–" if value is None else f"{value:.1f}"


def worksample_evidence(evidence: list[dict[str, Any]]) -> tuple[str | None, list[dict[str, Any]]]:
    """Split a work-sample score's evidence into ``(rule, checked parts)``.

    Args:
        evidence: ``Score.evidence`` as :func:`bot.worksamples.interview.evidence_json` wrote it.

    Returns:
        The rule in plain words (None when absent, e.g. after erasure) and the
        parts, each with ``label``, ``expected``, ``given`` and ``correct``.
    """
    rule = next((e.get("rule") for e in evidence if e.get("polarity") == "rule"), None)
    return rule, [e for e in evidence if e.get("polarity") != "rule" and "label" in e]
