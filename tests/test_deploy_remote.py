"""`newsdesk deploy` with real rsync (a local folder, and ssh:// through a stand-in ssh) and real
`hugo deploy` against moto's S3 server on 127.0.0.1."""

from __future__ import annotations

import dataclasses
import gzip
import logging
import mimetypes
import os
import shutil
import socket
import stat
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from deploysite import changes, digests, grow_site, make_site, tree, with_target

from newsdesk.deploy import DeployError, deploy, s3_state
from newsdesk.deploy.rsync import is_page

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Site A (5 stories) and site B (A plus one story), each built once."""
    a = make_site(tmp_path_factory.mktemp("site-a"), 5)
    b = grow_site(a, tmp_path_factory.mktemp("parent") / "site-b", 5)
    return a, b


def public(config_file: Path) -> Path:
    return config_file.parent / "site" / "public"


# -- rsync -----------------------------------------------------------------------------------------

def test_rsync_sends_pages_last_then_nothing_then_only_what_changed(sites: tuple[Path, Path],
                                                                    tmp_path: Path) -> None:
    a, b = sites
    dest = tmp_path / "www"
    first = deploy(with_target(a, f"rsync:{dest}"))
    assert sorted(first.sent) == sorted(digests(public(a))) and first.deleted == []
    kinds = [is_page(p) for p in first.sent]
    assert kinds == sorted(kinds) and any(kinds) and not all(kinds)  # every asset before every page
    assert digests(dest) == digests(public(a))
    assert {e.mode for e in tree(dest).values()} == {0o644}
    assert {stat.S_IMODE(os.stat(top).st_mode) for top, _, _ in os.walk(dest)} == {0o755}

    again = deploy(with_target(a, f"rsync:{dest}"))
    assert (again.sent, again.deleted) == ([], []) and again.unchanged == len(digests(public(a)))

    changed, gone = changes(digests(public(a)), digests(public(b)))
    grown = deploy(with_target(b, f"rsync:{dest}"))
    assert set(grown.sent) == changed and set(grown.deleted) == gone
    assert digests(dest) == digests(public(b))
    print(f"rsync after one new story: {len(grown.sent)} sent, {len(grown.deleted)} deleted")


def test_rsync_more_deletes_than_max_deletes_changes_nothing(sites: tuple[Path, Path], tmp_path: Path) -> None:
    a, b = sites
    dest = tmp_path / "www"
    deploy(with_target(a, f"rsync:{dest}"))
    for i in range(5):
        (dest / f"stale-{i}.html").write_text("old page")
    before = tree(dest)
    doomed = 5 + len([p for p in changes(digests(public(a)), digests(public(b)))[1] if not p.startswith("pagefind/")])
    with pytest.raises(DeployError, match=rf"would delete {doomed} files .* max_deletes = {doomed - 1}: nothing was"):
        deploy(with_target(b, f"rsync:{dest}", max_deletes=doomed - 1))
    assert tree(dest) == before  # not even B's new files were sent
    report = deploy(with_target(b, f"rsync:{dest}", max_deletes=doomed))
    assert {f"stale-{i}.html" for i in range(5)} <= set(report.deleted)
    assert digests(dest) == digests(public(b))


FAKE_SSH = """#!{python}
# Stands in for ssh: records its arguments, then runs the remote command here.
import os, sys
args = sys.argv[1:]
with open({log!r}, "a") as log:
    log.write(" ".join(args) + "\\n")
i = 0
while i < len(args) and args[i].startswith("-"):
    i += 2 if args[i] in ("-o", "-p", "-l", "-i", "-F", "-c") else 1
os.execvp("sh", ["sh", "-c", " ".join(args[i + 1:])])
"""


def test_ssh_target_runs_rsync_through_ssh_in_batch_mode(sites: tuple[Path, Path], tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = sites
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "ssh.log"
    (bin_dir / "ssh").write_text(FAKE_SSH.format(python=sys.executable, log=str(log)))
    (bin_dir / "ssh").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    dest = tmp_path / "remote" / "news"
    dest.parent.mkdir()
    report = deploy(with_target(a, f"ssh://deployer@web.example:2222{dest}"))
    assert digests(dest) == digests(public(a)) and len(report.sent) == len(digests(public(a)))
    again = deploy(with_target(b, f"ssh://deployer@web.example:2222{dest}"))
    assert set(again.sent) == changes(digests(public(a)), digests(public(b)))[0]
    calls = log.read_text().splitlines()
    assert len(calls) == 3 + 4  # compare, assets, pages (and the deletes when there are some)
    assert all("-o BatchMode=yes" in c and "-o ConnectTimeout=30" in c and "-p 2222" in c for c in calls)
    assert all("-l deployer web.example rsync --server" in c for c in calls)


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections (the kernel's backlog) and never says a word."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener.getsockname()[1]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nobody listens once it is closed


@pytest.mark.skipif(shutil.which("ssh") is None, reason="needs the ssh client (openssh-client)")
def test_an_unreachable_ssh_host_fails_in_bounded_time_with_one_line(sites: tuple[Path, Path], tmp_path: Path,
                                                                     silent_port: int) -> None:
    a, _ = sites
    with pytest.raises(DeployError) as refused:
        deploy(with_target(a, f"ssh://nobody@127.0.0.1:{closed_port()}{tmp_path}/x"))
    assert "Connection refused" in str(refused.value) and "\n" not in str(refused.value)
    start = time.monotonic()
    with pytest.raises(DeployError) as silent:
        deploy(with_target(a, f"ssh://nobody@127.0.0.1:{silent_port}{tmp_path}/x", timeout=2.0))
    assert time.monotonic() - start < 10
    assert "\n" not in str(silent.value) and str(silent.value).startswith("rsync to ssh://")


# -- S3 through hugo deploy --------------------------------------------------------------------------

class RequestLog(logging.Handler):
    """The moto server's access log (werkzeug), in the order the requests were answered."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())

    def puts(self, bucket: str) -> list[str]:
        marker = f'"PUT /{bucket}/'
        return [line.split(marker, 1)[1].split("?", 1)[0].split(" ", 1)[0] for line in self.lines if marker in line]


class Refuse:
    """WSGI middleware before moto: answers 403 to the PUTs whose path contains ``self.part``."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.part = ""

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if self.part and environ["REQUEST_METHOD"] == "PUT" and self.part in environ.get("PATH_INFO", ""):
            start_response("403 Forbidden", [("Content-Type", "application/xml")])
            return [b"<Error><Code>AccessDenied</Code><Message>refused by the test</Message></Error>"]
        return self.app(environ, start_response)


@pytest.fixture(scope="module")
def s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, RequestLog, Refuse]]:
    folder = tmp_path_factory.mktemp("aws")
    with pytest.MonkeyPatch.context() as env:
        for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                           "AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": str(folder / "config"),
                           "AWS_SHARED_CREDENTIALS_FILE": str(folder / "credentials")}.items():
            env.setenv(key, value)
        for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION"):
            env.delenv(key, raising=False)
        requests = RequestLog()
        werkzeug = logging.getLogger("werkzeug")
        werkzeug.addHandler(requests)
        werkzeug.setLevel(logging.INFO)
        werkzeug.propagate = False
        server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        wsgi = server._server  # the werkzeug server moto runs in its thread
        assert wsgi is not None
        refuse = Refuse(wsgi.app)
        wsgi.app = refuse
        try:
            host, port = server.get_host_and_port()
            yield f"http://{host}:{port}", requests, refuse
        finally:
            server.stop()
            werkzeug.removeHandler(requests)
            werkzeug.propagate = True


def bucket(endpoint: str, name: str):  # type: ignore[no-untyped-def]
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=name)
    return client


def objects(client, name: str) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    out = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=name):
        for item in page.get("Contents", []):
            got = client.get_object(Bucket=name, Key=item["Key"])
            body = got["Body"].read()
            out[item["Key"]] = {"body": gzip.decompress(body) if got.get("ContentEncoding") == "gzip" else body,
                                "type": got.get("ContentType", ""), "cache": got.get("CacheControl", ""),
                                "encoding": got.get("ContentEncoding", "")}
    return out


EXPECTED_TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
                  ".js": "text/javascript; charset=utf-8", ".json": "application/json", ".svg": "image/svg+xml",
                  ".pf_fragment": "application/octet-stream", ".pf_index": "application/octet-stream",
                  ".pf_filter": "application/octet-stream", ".pf_meta": "application/octet-stream",
                  ".pagefind": "application/octet-stream", ".rss": "application/rss+xml; charset=utf-8",
                  ".xml": "application/xml; charset=utf-8"}


def group(path: str) -> int:
    """0: the search index, 1: assets and images, 2: pages (what the deploy config's order says)."""
    if path.startswith("pagefind/"):
        return 0
    return 2 if path.endswith((".html", ".xml", ".json")) else 1


def test_s3_uploads_every_file_in_order_with_its_type_then_nothing_then_only_what_changed(
        sites: tuple[Path, Path], s3: tuple[str, RequestLog, Refuse]) -> None:
    a, b = sites
    endpoint, requests, _ = s3
    client = bucket(endpoint, "news-order")
    target = f"s3://news-order?endpoint={endpoint}&region=us-east-1"
    first = deploy(with_target(a, target))
    files = {rel: (public(a) / rel).read_bytes() for rel in digests(public(a))}
    assert sorted(first.sent) == sorted(files)
    stored = objects(client, "news-order")
    assert {k: v["body"] for k, v in stored.items()} == files
    for key, obj in stored.items():
        suffix = Path(key).suffix
        if suffix == ".xml":
            suffix = ".rss" if key.endswith("index.xml") else ".xml"
        expected = EXPECTED_TYPES.get(suffix) or mimetypes.guess_type(key)[0] or ""
        assert obj["type"].split(";")[0] == expected.split(";")[0] and obj["type"], (key, obj["type"])
        if suffix in EXPECTED_TYPES:
            assert obj["type"] == EXPECTED_TYPES[suffix], key
        assert obj["cache"].startswith("public, max-age="), key
        if key.startswith("pagefind/"):
            assert obj["encoding"] == "", key  # never gzipped twice
    assert stored["index.html"]["encoding"] == "gzip"
    puts = requests.puts("news-order")
    assert sorted(puts) == sorted(files)
    groups = [group(p) for p in puts]
    assert groups == sorted(groups) and set(groups) == {0, 1, 2}  # search index, assets, then pages

    count = len(requests.puts("news-order"))
    again = deploy(with_target(a, target))
    assert (again.sent, again.deleted) == ([], []) and len(requests.puts("news-order")) == count

    changed, gone = changes(digests(public(a)), digests(public(b)))
    grown = deploy(with_target(b, target))
    assert set(grown.sent) == changed and set(grown.deleted) == gone
    assert sorted(requests.puts("news-order")[count:]) == sorted(changed)
    stored = objects(client, "news-order")
    assert {k: v["body"] for k, v in stored.items()} == {rel: (public(b) / rel).read_bytes()
                                                          for rel in digests(public(b))}
    print(f"s3 after one new story: {len(grown.sent)} sent, {len(grown.deleted)} deleted")


def test_s3_an_unchanged_site_asks_nothing_of_the_bucket_and_full_repairs_it(
        sites: tuple[Path, Path], s3: tuple[str, RequestLog, Refuse]) -> None:
    """The manifest of the last deploy: an unchanged tree costs no request; a day later, or with
    --full, the bucket is compared object by object again (and an object removed behind
    newsdesk's back is put back)."""
    a, _ = sites
    endpoint, requests, _ = s3
    client = bucket(endpoint, "news-manifest")
    target = f"s3://news-manifest?endpoint={endpoint}&region=us-east-1"
    config = with_target(a, target)
    deploy(config)
    state = s3_state.state_path(config.store_path, target)
    assert s3_state.load(state) is not None
    client.delete_object(Bucket="news-manifest", Key="index.html")
    asked = len(requests.lines)
    quiet = deploy(config)
    assert (quiet.sent, quiet.deleted) == ([], []) and quiet.unchanged == len(digests(public(a)))
    assert len(requests.lines) == asked  # not even a listing
    repaired = deploy(config, full=True)
    assert repaired.sent == ["index.html"]
    assert objects(client, "news-manifest")["index.html"]["body"] == (public(a) / "index.html").read_bytes()
    stale = s3_state.load(state)
    assert stale is not None
    s3_state.save(state, dataclasses.replace(stale, compared=stale.compared - s3_state.FULL_CHECK_SECONDS))
    client.delete_object(Bucket="news-manifest", Key="index.html")
    assert deploy(config).sent == ["index.html"]  # the daily full comparison
    state.write_text("{not json", encoding="utf-8")
    assert deploy(config).sent == []  # an unreadable manifest: compared in full, nothing to send
    assert len(requests.lines) > asked


def test_s3_more_deletes_than_max_deletes_uploads_nothing(sites: tuple[Path, Path],
                                                          s3: tuple[str, RequestLog, Refuse]) -> None:
    a, b = sites
    endpoint, requests, _ = s3
    client = bucket(endpoint, "news-deletes")
    target = f"s3://news-deletes?endpoint={endpoint}&region=us-east-1"
    deploy(with_target(a, target))
    for i in range(4):
        client.put_object(Bucket="news-deletes", Key=f"old/stale-{i}.html", Body=b"old")
    before = objects(client, "news-deletes")
    count = len(requests.puts("news-deletes"))
    doomed = 4 + len([p for p in changes(digests(public(a)), digests(public(b)))[1] if not p.startswith("pagefind/")])
    with pytest.raises(DeployError, match=rf"would delete {doomed} files .* = {doomed - 1}: nothing was uploaded"):
        deploy(with_target(b, target, max_deletes=doomed - 1))
    assert len(requests.puts("news-deletes")) == count and objects(client, "news-deletes") == before
    report = deploy(with_target(b, target, max_deletes=doomed))
    assert {f"old/stale-{i}.html" for i in range(4)} <= set(report.deleted)
    assert set(objects(client, "news-deletes")) == set(digests(public(b)))


def test_s3_a_failed_asset_upload_leaves_the_pages_as_they_were_and_deletes_nothing(
        sites: tuple[Path, Path], s3: tuple[str, RequestLog, Refuse]) -> None:
    a, b = sites
    endpoint, requests, refuse = s3
    client = bucket(endpoint, "news-fail")
    target = f"s3://news-fail?endpoint={endpoint}&region=us-east-1"
    deploy(with_target(a, target))
    before = objects(client, "news-fail")
    count = len(requests.puts("news-fail"))
    refuse.part = "/news-fail/pagefind/"
    try:
        with pytest.raises(DeployError, match=r"^hugo deploy to s3://news-fail.* failed \(assets, exit 1\): ") as failed:
            deploy(with_target(b, target))
    finally:
        refuse.part = ""
    assert "\n" not in str(failed.value)
    tried = requests.puts("news-fail")[count:]
    assert tried and not any(is_page(p) for p in tried)  # no page went up
    after = objects(client, "news-fail")
    assert set(after) >= set(before)  # nothing deleted
    assert all(after[k] == v for k, v in before.items() if is_page(k))  # the live pages are as they were
    report = deploy(with_target(b, target))  # the next cycle completes
    assert report.sent and {k: v["body"] for k, v in objects(client, "news-fail").items()} == {
        rel: (public(b) / rel).read_bytes() for rel in digests(public(b))}


def test_an_unreachable_s3_endpoint_fails_in_bounded_time_with_one_line(sites: tuple[Path, Path],
                                                                        silent_port: int) -> None:
    a, _ = sites
    for port in (closed_port(), silent_port):
        start = time.monotonic()
        with pytest.raises(DeployError, match="the S3 endpoint .* is unreachable") as failed:
            deploy(with_target(a, f"s3://news?endpoint=http://127.0.0.1:{port}&region=us-east-1", timeout=2.0))
        assert time.monotonic() - start < 10 and "\n" not in str(failed.value)
