"""Where the Polis open-data conversations are (CC BY 4.0, see their README).

They sit beside the checkout in ``../shared/data/polis``; a checkout made elsewhere (a
CI clone in a scratch directory) falls back to the workplace's copy, so the tests that
need them run instead of skipping.
"""

from __future__ import annotations

from pathlib import Path

POLIS_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "polis"
if not POLIS_DATA.is_dir():
    POLIS_DATA = Path("/work/shared/data/polis")
