"""``s3://bucket?endpoint=...&region=...``: ``hugo deploy`` to any S3-compatible store.

newsdesk writes the deployment config (:func:`deployment_config`) into a temporary file handed to
``hugo deploy --config`` (nothing is written into the site, and never a credential: Hugo's AWS
SDK reads ``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``/``AWS_PROFILE`` and ``~/.aws`` itself):

* the target URL in Go CDK form; with a custom ``endpoint``, path-style addressing
  (``use_path_style=true``: the bucket in the path, not in the host name);
* matchers, first match wins: Content-Type and Cache-Control per kind of file; gzip for text
  files, never for ``pagefind/`` (its index files are compressed already, and Pagefind's script
  fetches them expecting those bytes);
* ``order``: ``pagefind/`` first, then assets and images; pages (HTML, XML, JSON) last -- Hugo
  finishes one group before it starts the next;
* a second target, ``assets``, the same bucket limited (``include``) to those first two groups.

A deploy of a tree that is the one deployed last ends at once (:mod:`newsdesk.deploy.s3_state`;
the bucket is compared in full once a day and with ``--full``). Otherwise it first runs ``hugo deploy --dryRun`` to list what would be uploaded and deleted: nothing to
do ends there; more deletes than ``[deploy] max_deletes`` fails before anything is uploaded
(``hugo deploy`` itself uploads, then only warns about the skipped deletes, and exits 0). Then
``hugo deploy --target assets`` uploads the new assets and search index only, and ``hugo deploy``
the pages and the deletes: Hugo goes on to its next group and to the deletes even when an upload
of the group before failed, so a failure among the assets must stop the deploy before any page
refers to them (the live pages stay as they were, and nothing is deleted). An
endpoint that does not answer an HTTP request within :data:`PROBE_SECONDS` fails at once.
"""

from __future__ import annotations

import http.client
import json
import re
import ssl
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from newsdesk.deploy import DeployReport, s3_state
from newsdesk.deploy.target import DeployError, Target, guard_deletes, run_bounded
from newsdesk.site.hugo import hugo_binary

#: Seconds the endpoint gets to answer one HTTP request before the deploy is given up.
PROBE_SECONDS = 10.0
SHORT = "public, max-age=300"  # pages, feeds, the search index's entry points: seen soon after a deploy
HOUR = "public, max-age=3600"  # unversioned assets (favicon, robots.txt)
YEAR = "public, max-age=31536000, immutable"  # names that change with their bytes

#: (pattern, Content-Type ("" = Hugo's by extension), Cache-Control, gzip), first match wins.
MATCHERS: tuple[tuple[str, str, str, bool], ...] = (
    (r"^pagefind/.+\.pf_(fragment|index|filter|meta)$", "application/octet-stream", YEAR, False),
    (r"^pagefind/.+\.pagefind$", "application/octet-stream", SHORT, False),
    (r"^pagefind/.+\.js$", "text/javascript; charset=utf-8", SHORT, False),
    (r"^pagefind/.+\.css$", "text/css; charset=utf-8", SHORT, False),
    (r"^pagefind/.+\.json$", "application/json", SHORT, False),
    (r"^pagefind/", "", SHORT, False),
    (r"\.[0-9a-f]{32,64}\.css$", "text/css; charset=utf-8", YEAR, True),
    (r"\.[0-9a-f]{32,64}\.js$", "text/javascript; charset=utf-8", YEAR, True),
    (r"\.css$", "text/css; charset=utf-8", HOUR, True),
    (r"\.m?js$", "text/javascript; charset=utf-8", HOUR, True),
    (r"\.svg$", "image/svg+xml", HOUR, True),
    (r"\.(png|jpe?g|gif|webp|avif|ico)$", "", "public, max-age=86400", False),
    (r"\.(woff2?|ttf|otf)$", "", YEAR, False),
    (r"\.html$", "text/html; charset=utf-8", SHORT, True),
    (r"(^|/)index\.xml$", "application/rss+xml; charset=utf-8", SHORT, True),  # Hugo's RSS feeds
    (r"\.xml$", "application/xml; charset=utf-8", SHORT, True),  # sitemaps
    (r"\.json$", "application/json", SHORT, True),
    (r"\.(txt|webmanifest)$", "", HOUR, True),
)
#: The extensions of assets (sent before the pages, with everything under pagefind/).
ASSET_EXTENSIONS = ("css", "js", "mjs", "svg", "png", "jpg", "jpeg", "gif", "webp", "avif", "ico", "woff", "woff2",
                    "ttf", "otf", "txt", "webmanifest", "wasm")
#: Upload groups, in order; whatever matches none (the pages: HTML, XML, JSON) goes last.
ORDER = (r"^pagefind/", r"\.(" + "|".join(ASSET_EXTENSIONS) + ")$")
#: The same files as a glob: the ``include`` of the target ``assets`` (the first of the two uploads).
ASSET_GLOB = "{pagefind/**," + ",".join(f"**.{ext}" for ext in ASSET_EXTENSIONS) + "}"


def is_asset(path: str) -> bool:
    return any(re.search(pattern, path) for pattern in ORDER)

_UPLOAD = re.compile(r"^\[DRY RUN\] Would upload: (?P<path>.+?) \(\d[\d.,]* [kMGTP]?B[,)]")
_DELETE = re.compile(r"^\[DRY RUN\] Would delete (?P<path>.+)$")
_SUMMARY = re.compile(r"Identified (\d+) file\(s\) to upload, totaling .*, and (\d+) file\(s\) to delete")


def target_url(target: Target) -> str:
    """The Go CDK URL of the bucket (path-style addressing for a custom endpoint)."""
    query = dict(target.query)
    if query.get("endpoint") and not {"use_path_style", "s3ForcePathStyle"} & query.keys():
        query["use_path_style"] = "true"
    return f"s3://{target.bucket}" + (f"?{urlencode(query, safe=':/')}" if query else "")


def _toml(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid TOML basic string


def deployment_config(target: Target, public: Path) -> str:
    """The Hugo config ``hugo deploy`` runs with (TOML)."""
    lines = [f"publishDir = {_toml(str(public))}", "", "[deployment]",
             "order = [" + ", ".join(_toml(p) for p in ORDER) + "]", "",
             "[[deployment.targets]]", 'name = "newsdesk"', f"url = {_toml(target_url(target))}", "",
             "[[deployment.targets]]", 'name = "assets"', f"url = {_toml(target_url(target))}",
             f"include = {_toml(ASSET_GLOB)}"]
    for pattern, content_type, cache, gzip in MATCHERS:
        lines += ["", "[[deployment.matchers]]", f"pattern = {_toml(pattern)}"]
        if content_type:
            lines.append(f"contentType = {_toml(content_type)}")
        lines += [f"cacheControl = {_toml(cache)}", f"gzip = {'true' if gzip else 'false'}"]
    return "\n".join(lines) + "\n"


def probe(target: Target, timeout: float) -> None:
    """Fail fast, with one line, when the endpoint does not answer HTTP at all."""
    endpoint = dict(target.query).get("endpoint")
    if not endpoint:
        region = dict(target.query).get("region") or "us-east-1"
        endpoint = f"https://s3.{region}.amazonaws.com"
    parts = urlsplit(endpoint)
    host, port = parts.hostname or "", parts.port
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request("HEAD", f"/{target.bucket}")  # any answer will do (403 without credentials)
        connection.getresponse().read()
    except ssl.SSLError:
        return  # it answers; Hugo reports what is wrong with its certificate
    except (OSError, http.client.HTTPException) as exc:
        reason = "no answer" if isinstance(exc, TimeoutError) else (getattr(exc, "strerror", None) or str(exc) or type(exc).__name__)
        raise DeployError(f"the S3 endpoint {endpoint} is unreachable ({reason} within {timeout:g} s): "
                          f"check [deploy] target and the network; the live site was left as it was") from None
    finally:
        connection.close()


def _hugo(site: Path, config: Path, args: list[str], *, target: Target, timeout: float, what: str,
          name: str = "newsdesk") -> str:
    command = [str(hugo_binary()), "deploy", "--source", str(site), "--config", str(config), "--noBuildLock",
               "--target", name, *args]
    done = run_bounded(command, timeout=timeout, what=f"hugo deploy ({what})")
    if done.returncode != 0:
        lines = [line.strip() for line in (done.stderr + "\n" + done.stdout).splitlines() if line.strip()]
        cause = next((line for line in lines if line.startswith(("ERROR", "Error"))), lines[-1] if lines else "")
        raise DeployError(f"hugo deploy to {target.text} failed ({what}, exit {done.returncode}): {cause}")
    return done.stdout


def deploy_s3(site: Path, public: Path, target: Target, *, max_deletes: int, timeout: float,
              state: Path | None = None, full: bool = False) -> DeployReport:
    """``hugo deploy`` of ``public`` to the bucket (see the module's text). ``state`` is the
    manifest of what was deployed last (:mod:`newsdesk.deploy.s3_state`): an unchanged tree
    sends nothing without asking the bucket, unless ``full`` or a day has passed."""
    start = time.perf_counter()
    deadline = start + timeout
    text = deployment_config(target, public)
    current = s3_state.Deployed(target.text, s3_state.config_digest(text), s3_state.tree_digest(public), time.time())
    if state is not None and not full and s3_state.unchanged(s3_state.load(state), current):
        return DeployReport(target.text, "s3", unchanged=current.files, seconds=time.perf_counter() - start)

    def left() -> float:
        return max(0.1, deadline - time.perf_counter())

    probe(target, min(PROBE_SECONDS, timeout))
    with tempfile.TemporaryDirectory(prefix="newsdesk-deploy-") as folder:
        config = Path(folder) / "deployment.toml"
        config.write_text(text, encoding="utf-8")
        plan = _hugo(site, config, ["--dryRun", "--maxDeletes", "-1"], target=target, timeout=left(), what="dry run")
        sent = [m.group("path") for line in plan.splitlines() if (m := _UPLOAD.match(line))]
        deleted = [m.group("path") for line in plan.splitlines() if (m := _DELETE.match(line))]
        summary = _SUMMARY.search(plan)
        if summary is not None and (int(summary.group(1)), int(summary.group(2))) != (len(sent), len(deleted)):
            raise DeployError(f"hugo deploy's dry run could not be read (it announced {summary.group(0)!r}); "
                              f"nothing was changed")
        guard_deletes(deleted, max_deletes, target.text, action="uploaded")
        if any(is_asset(path) for path in sent):  # all assets first: a failure here leaves the pages as they were
            _hugo(site, config, ["--maxDeletes", "0"], target=target, timeout=left(), what="assets", name="assets")
        if sent or deleted:
            _hugo(site, config, ["--maxDeletes", str(len(deleted))], target=target, timeout=left(), what="pages and deletes")
    if state is not None:
        s3_state.save(state, current)
    return DeployReport(target.text, "s3", sent=sent, deleted=deleted, unchanged=max(0, current.files - len(sent)),
                        seconds=time.perf_counter() - start)
