"""Background tasks of the dialogue app (django-tasks).

``recompute_map`` is defined with the code that queues it, in
``dialogue.services.scheduling`` (so the task and the scheduler import nothing of each
other); this module keeps the name under which the task is documented.
"""

from __future__ import annotations

from commonground.dialogue.services.scheduling import recompute_map

__all__ = ["recompute_map"]
