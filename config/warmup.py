"""What a server process does once, after Django is set up and before it serves its first request: load the whole
URLconf (every view, serializer and service module, which Django would otherwise import during the first request,
under the exam's opening storm), then hand every object alive at that point to ``gc.freeze()``.

Why freeze: Python's cyclic garbage collector walks the objects it tracks. A worker holds a few hundred thousand
that live as long as it does (modules, classes, the URLconf, translations), and every collection of the oldest
generation walked them all again. Frozen, the collector never looks at them: issue 9's profile put the collector
at 12 % of an authenticated read's CPU (callgrind instructions of ``GET /api/v1/me``: 2.73 → 2.40 million), and
1 % for the bare ceiling view. Objects created later are collected as before; a frozen object that becomes garbage
is never freed, which for start-up objects (a worker never drops its modules) costs nothing.

Then the youngest generation is collected after ``YOUNG_COLLECTION_AFTER`` new objects instead of Python's 700: a
request creates a few thousand, so at 700 every request paid several young collections, each walking what it had
just made. Measured with the objects frozen (callgrind instructions per request, in process): ``GET /me`` 2.03 →
1.94 million, an autosave 3.10 → 2.99, the bare ceiling view 1.05 → 1.02; 10,000 objects take about a megabyte,
and garbage in cycles waits that much longer (most garbage is freed by reference counting, at once).
"""

from __future__ import annotations

import gc

from django.urls import get_resolver

YOUNG_COLLECTION_AFTER = 10_000


def warm_up_and_freeze() -> None:
    get_resolver().url_patterns  # noqa: B018  # imports every view (lazy until the first request otherwise)
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_AFTER, older, oldest)
