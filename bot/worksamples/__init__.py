"""Back-office work samples: short tasks answered in free text and scored exactly.

Modules: :mod:`.numbers` (reading amounts from text), :mod:`.timesheet`,
:mod:`.invoice`, :mod:`.filing` (one generator and scorer per item kind),
:mod:`.screening` (answers that are not attempts), :mod:`.result` (the typed
result), :mod:`.bank` (``data/bank/worksamples.yml``).
"""

from bot.worksamples.bank import WorkSampleBank, WorkSampleItem, read_worksamples
from bot.worksamples.params import WorkSampleError
from bot.worksamples.result import Evidence, WorkSampleResult

__all__ = ["Evidence", "WorkSampleBank", "WorkSampleError", "WorkSampleItem", "WorkSampleResult", "read_worksamples"]
