"""Work samples on the recruiter's pages and in the exports.

The interview is run through :class:`bot.interview.InterviewService` (no
free-text scorer: only the work samples carry ratings), one work sample
answered right and one wrong.
"""

from __future__ import annotations

import csv
import io
import json

from bot.interview import InterviewService
from bot.worksamples import read_worksamples

CID = "web-ws-1"
WS = read_worksamples()


def _interview(loaded) -> tuple[int, str]:
    """A completed data-entry interview: situational questions skipped, timesheet right, invoice "I don't know"."""
    service = InterviewService(loaded, scorer=None, worksamples=WS)
    interview_id = service.record_consent(CID, "web", True)
    service.start(CID, "data_entry_clerk")
    while (prompt := service.current_prompt(CID)) is not None and not prompt.worksample:
        service.skip(CID)
    with loaded() as session:
        from bot.db.models import Interview

        seed = session.get(Interview, interview_id).worksamples[0]["seed"]
    key = WS.items["timesheet_week"].instance(seed)
    right = f"{key.total_hours} hours, £{key.pay}"
    service.submit_answer(CID, right)
    service.current_prompt(CID)
    service.submit_answer(CID, "I don't know")
    service.complete(CID)
    return interview_id, right


async def test_interview_page_marks_work_samples_with_their_evidence(recruiter_client, loaded) -> None:
    interview_id, right = _interview(loaded)
    c, _ = recruiter_client
    response = await c.get(f"/recruiter/interviews/{interview_id}")
    html = await response.text()
    assert response.status == 200
    assert html.count('class="worksample-mark"') == 2
    assert "work sample (timesheet_week, seed" in html and "work sample (invoice_check, seed" in html
    assert html.count('class="worksample-evidence"') >= 1  # the timesheet's figures next to the key
    assert "Rule that applied:" in html and "Answer key" in html
    assert "Time taken:" in html and "not scored" in html
    assert "Total hours" in html or "total hours" in html


async def test_exports_mark_work_samples(recruiter_client, loaded) -> None:
    interview_id, right = _interview(loaded)
    c, _ = recruiter_client
    data = json.loads(await (await c.get(f"/recruiter/interviews/{interview_id}/export.json")).text())
    samples = [a for a in data["answers"] if a["kind"] == "worksample"]
    assert [a["question_id"] for a in samples] == ["timesheet_week", "invoice_check"]
    timesheet = samples[0]
    assert timesheet["answer"] == right
    assert set(timesheet["worksample"]) >= {"item_id", "bank_version", "seed", "kind", "seconds_taken"}
    [score] = timesheet["scores"]
    assert score["rating"] == 5 and "work_sample" in score["flags"]
    assert score["evidence"][0]["polarity"] == "rule"
    assert all({"expected", "given", "correct"} <= set(e) for e in score["evidence"][1:])
    assert all(a["worksample"] is None for a in data["answers"] if a["kind"] == "situational")
    assert data["effective_profile"]["ratings"] == {"numeracy": 3.0}

    rows = list(csv.DictReader(io.StringIO(await (await c.get("/recruiter/export.csv")).text())))
    [row] = [r for r in rows if r["id"] == str(interview_id)]
    assert row["work_samples"] == "timesheet_week=5; invoice_check=1"
