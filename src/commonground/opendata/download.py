"""A forum's data package as one zip file, for the open-data page.

The zip holds exactly the files ``commonground export FORUM DIR`` writes, byte for byte,
at the top level. It is made on the first request after the ledger grew and kept in
``DATA_DIR/cache/opendata/<forum>/`` under the checkpoint it was made at: the package is a pure
function of the records at that checkpoint (its ``created`` is the checkpoint's time), so
while no entry is added every request is served the same file. Entries in the zip carry
a fixed time, so two builds of the same package give the same bytes.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings

from commonground.forums.models import Forum
from commonground.ledger.models import Checkpoint
from commonground.ledger.sequencer import integrate_pending
from commonground.ledger.services import latest_checkpoint, ledger_size
from commonground.opendata.export import export_forum

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold: no clock in the bytes


def cache_dir() -> Path:
    return Path(settings.DATA_DIR) / "cache" / "opendata"


def _name(checkpoint: Checkpoint) -> str:
    return f"{checkpoint.tree_size}-{checkpoint.root_hash[:16]}.zip"


def zip_folder(folder: Path, target: Path) -> None:
    """Zip every file of ``folder`` (sorted, fixed times and modes) into ``target``."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())


def package_zip(forum: Forum) -> Path:
    """The path of the forum's current package as a zip, made now unless cached.

    Like ``commonground export``, making it signs a checkpoint first when the ledger grew
    since the latest one (a checkpoint is a signature over existing entries, not an entry).
    """
    folder = cache_dir() / forum.slug
    folder.mkdir(parents=True, exist_ok=True)
    integrate_pending()  # the package covers every change committed before the download
    checkpoint = latest_checkpoint()
    if checkpoint is not None and checkpoint.tree_size == ledger_size():
        cached = folder / _name(checkpoint)
        if cached.is_file():
            return cached
    work = Path(tempfile.mkdtemp(prefix="package-", dir=folder))
    try:
        export_forum(forum, work / "package")
        # The checkpoint the export was made at (the latest at its snapshot).
        made_at = Checkpoint.objects.get(tree_size=_tree_size_of(work / "package"))
        final = folder / _name(made_at)
        partial = work / "package.zip"
        zip_folder(work / "package", partial)
        os.replace(partial, final)  # atomic: a concurrent reader sees the old or the new
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for old in folder.glob("*.zip"):
        if old != final:
            old.unlink(missing_ok=True)
    return final


def _tree_size_of(package: Path) -> int:
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    return int(descriptor["commonground"]["ledger"]["tree_size"])
