"""What newsdesk last deployed to an S3 target, so that a deploy of an unchanged site costs a
local read of the tree and no listing of the bucket.

``hugo deploy`` decides what to upload by listing the whole bucket and reading (and gzipping)
every local file; on a 10,000-post site that is about ten times the time of ``rsync --checksum``
over the same tree, every cycle of ``run --watch``, even when nothing changed. After every
successful S3 deploy newsdesk writes a manifest beside the archive: the target, a digest of the
deployment config and a digest of every file of ``public/``. The next deploy digests the tree
(threads, about the cost of ``rsync -c``); when the tree and the config are the same and the
bucket was compared in full less than :data:`FULL_CHECK_SECONDS` ago, nothing is sent and the
bucket is not asked. Otherwise (or with ``newsdesk deploy --full``) ``hugo deploy`` compares the
bucket as always, which also repairs objects changed or removed behind newsdesk's back.

Hand-written: a digest of a folder tree and a JSON file; no library does this for ``hugo deploy``.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from newsdesk.files import atomic_write

#: Seconds after which a deploy of an unchanged tree still compares the bucket in full.
FULL_CHECK_SECONDS = 24 * 3600.0
_VERSION = 1


def state_path(store_path: Path, target: str) -> Path:
    """The manifest of ``target``: beside the archive, one per target."""
    key = hashlib.sha256(target.encode("utf-8")).hexdigest()[:12]
    return store_path.with_name(f"{store_path.name}.deploy-{key}.json")


def _digest(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "blake2b").hexdigest()[:32]


def tree_digest(public: Path) -> str:
    """One digest of every file's path and bytes under ``public`` (hidden folders included)."""
    paths = sorted(Path(root, name) for root, _, names in os.walk(public) for name in names)
    with ThreadPoolExecutor(max_workers=4) as pool:  # hashlib releases the GIL on large reads
        digests = list(pool.map(_digest, paths, chunksize=64))
    whole = hashlib.blake2b()
    for path, digest in zip(paths, digests):
        whole.update(f"{path.relative_to(public).as_posix()}\0{digest}\n".encode("utf-8", "surrogatepass"))
    return f"{len(paths)}:{whole.hexdigest()}"


@dataclass(frozen=True)
class Deployed:
    """The manifest: what is online at ``target`` and when the bucket was last compared in full."""

    target: str
    config: str  # digest of the deployment config
    tree: str  # tree_digest of public/
    compared: float  # time.time() of the last full comparison with the bucket

    @property
    def files(self) -> int:
        return int(self.tree.partition(":")[0])


def config_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def load(path: Path) -> Deployed | None:
    """The manifest at ``path``, or None when there is none or it cannot be read (a full deploy follows)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != _VERSION:
            return None
        return Deployed(str(data["target"]), str(data["config"]), str(data["tree"]), float(data["compared"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save(path: Path, deployed: Deployed) -> None:
    atomic_write(path, json.dumps({"version": _VERSION, "target": deployed.target, "config": deployed.config,
                                   "tree": deployed.tree, "compared": deployed.compared}) + "\n")


def unchanged(previous: Deployed | None, current: Deployed, *, now: float | None = None) -> bool:
    """Whether ``current`` is what is online already and the bucket was compared recently enough."""
    if previous is None:
        return False
    age = (time.time() if now is None else now) - previous.compared
    return ((previous.target, previous.config, previous.tree) == (current.target, current.config, current.tree)
            and 0 <= age < FULL_CHECK_SECONDS)
