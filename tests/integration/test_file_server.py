"""The file server on the real stack: the ClearML protocol, tenancy, atomic streamed uploads,
and the file index kept as events."""

from __future__ import annotations

import hashlib
import secrets
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
import requests
from clearml.utilities.requests_toolbelt import MultipartEncoder  # what the SDK uploads with

from streams.worker.read_models import read_models
from taskstream import seed
from tests.integration import log, ops
from tests.integration.files import (
    MB,
    checksum,
    indexed,
    peak_rss_kb,
    pseudo_random,
    stream_upload,
    upload,
)
from tests.stack import Stack, ok, wait_until

pytestmark = pytest.mark.integration


def folder() -> str:
    return f"My Project {secrets.token_hex(4)}/train.{secrets.token_hex(8)}"


def test_upload_download_delete_as_the_sdk_does(stack: Stack):
    path = f"{folder()}/artifacts/data/data.csv.gz"
    data = secrets.token_bytes(5000)
    url = stack.files_url  # the bare files_server url: no trailing slash
    response = upload(url, f"/{path}", data, stack.file_auth)
    assert response.status_code == 200, response.text
    assert response.json() == [path]
    got = requests.get(f"{url}/{quote(path)}", auth=stack.file_auth, timeout=30)
    assert got.status_code == 200
    assert got.content == data
    assert got.headers["Content-Type"] == "application/octet-stream"  # never unpacked by browsers
    attachment = requests.get(f"{url}/{quote(path)}?download&X-Amz-Date=1", auth=stack.file_auth)
    assert "attachment" in attachment.headers["Content-Disposition"]
    assert requests.delete(f"{url}/{quote(path)}", auth=stack.file_auth).json() == path
    assert requests.get(f"{url}/{quote(path)}", auth=stack.file_auth).status_code == 404
    gone = requests.delete(f"{url}/{quote(path)}", auth=stack.file_auth)
    assert gone.status_code == 404
    assert gone.json()["error"] == {"code": 404, "message": f"File {path} not found"}


def test_names_the_sdk_writes_come_back_by_their_quoted_url(stack: Stack):
    """The SDK sends the raw path as field name and stores the percent-quoted URL."""
    path = f"Проект é {secrets.token_hex(2)}/t.1/metrics/a 0x23b/a_0x23b_00000001.png"
    body = MultipartEncoder(fields={f"/{path}": (f"/{path}", b"img", "image/png")})
    headers = {"Content-Type": body.content_type}
    stored = requests.post(stack.files_url, data=body, headers=headers, auth=stack.file_auth)
    assert stored.json() == [path]
    got = requests.get(f"{stack.files_url}/{quote(path)}", auth=stack.file_auth)
    assert got.content == b"img"
    assert got.headers["Content-Type"] == "image/png"


def test_bearer_token_cookie_and_no_credentials(stack: Stack):
    token = ok(stack.apis[0].url, "auth.login")["token"]
    path = f"{folder()}/metrics/loss/img_00000001.png"
    bearer = {"Authorization": f"Bearer {token}"}
    files = {path: (path, b"png bytes")}
    assert requests.post(stack.files_url, files=files, headers=bearer).status_code == 200
    cookie = {"clearml_token_basic": token}
    assert requests.get(f"{stack.files_url}/{path}", cookies=cookie).content == b"png bytes"
    anonymous = requests.get(f"{stack.files_url}/{path}")
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == 401
    bad = requests.get(f"{stack.files_url}/{path}", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401


def test_also_served_under_files_on_the_api_port(stack: Stack):
    api = f"http://{urlsplit(stack.apis[0].url).netloc.rpartition('@')[2]}/files"
    path = f"{folder()}/models/model.pt"
    assert upload(api, path, b"weights", stack.file_auth).status_code == 200
    # the same storage: the file server on its own port serves it too
    got = requests.get(f"{stack.files_url}/{path}", auth=stack.file_auth)
    assert got.content == b"weights"


def test_each_stored_and_deleted_file_is_an_event_and_an_index_row(stack: Stack):
    path = f"{folder()}/artifacts/a/a.json"
    data = b'{"a": 1}'
    assert upload(stack.files_url, path, data, stack.file_auth).status_code == 200
    company = stack.settings.default_company
    row = wait_until(lambda: indexed(stack.settings, company, path), "the index row")
    assert row["size"] == len(data)
    assert row["checksum"] == f"sha256:{hashlib.sha256(data).hexdigest()}"
    assert row["uploader"] == seed.admin_user(company)
    requests.delete(f"{stack.files_url}/{path}", auth=stack.file_auth)
    wait_until(lambda: indexed(stack.settings, company, path) is None, "the row to go")
    kinds = [r.envelope.type for r in log.events(stack.settings) if _about(r, path)]
    assert kinds == ["FileStored", "FileDeleted"]
    audited = ops.cli_json(stack.settings, "audit", "file", path)
    assert [entry["event"] for entry in audited["history"]] == kinds


def _about(record: object, path: str) -> bool:
    return getattr(getattr(record, "message", None), "path", None) == path


def test_another_company_can_neither_read_nor_delete(stack: Stack):
    path = f"{folder()}/artifacts/secret/secret.txt"
    assert upload(stack.files_url, path, b"mine", stack.file_auth).status_code == 200
    rival = seed.create_credentials(stack.settings, f"rival-{secrets.token_hex(4)}")
    theirs = (rival.access_key, rival.secret_key)
    assert requests.get(f"{stack.files_url}/{path}", auth=theirs).status_code == 404
    assert requests.delete(f"{stack.files_url}/{path}", auth=theirs).status_code == 404
    climb = f"{stack.files_url}/..%2F{stack.settings.default_company}%2F{quote(path)}"
    assert requests.get(climb, auth=theirs).status_code == 404
    targets = {"files": [path, path.split("/", maxsplit=1)[0]]}
    many = requests.post(f"{stack.files_url}/delete_many", json=targets, auth=theirs).json()
    assert many["deleted"] == {}
    assert len(many["errors"]["Not found"]) == 2
    # their own file at the same path is theirs alone
    assert upload(stack.files_url, path, b"theirs", theirs).status_code == 200
    assert requests.get(f"{stack.files_url}/{path}", auth=stack.file_auth).content == b"mine"
    assert requests.get(f"{stack.files_url}/{path}", auth=theirs).content == b"theirs"


def test_delete_many_removes_files_and_folders(stack: Stack):
    top = folder()
    names = [f"{top}/metrics/m/v/img_{i}.png" for i in range(3)] + [f"{top}/models/w.pt"]
    for name in names:
        assert upload(stack.files_url, name, b"x", stack.file_auth).status_code == 200
    sent = [quote(f"{top}/metrics", safe="/"), names[3], f"{top}/nothing", "/"]
    answer = requests.post(
        f"{stack.files_url}/delete_many", json={"files": sent}, auth=stack.file_auth
    ).json()
    assert answer["deleted"] == {sent[0]: f"{top}/metrics", names[3]: names[3]}
    assert answer["errors"] == {"Not found": [sent[2]], "Empty path not allowed": ["/"]}
    for name in names:
        assert requests.get(f"{stack.files_url}/{name}", auth=stack.file_auth).status_code == 404
    company = stack.settings.default_company
    wait_until(lambda: all(indexed(stack.settings, company, n) is None for n in names), "rows")


def test_concurrent_uploads_each_land_whole(stack: Stack):
    top = folder()
    blobs = {f"{top}/artifacts/c{i}/c{i}.bin": secrets.token_bytes(2 * MB) for i in range(8)}
    with ThreadPoolExecutor(8) as pool:
        sent = pool.map(lambda p: upload(stack.files_url, p, blobs[p], stack.file_auth), blobs)
        codes = list(sent)
    assert [c.status_code for c in codes] == [200] * 8
    for path, data in blobs.items():
        assert requests.get(f"{stack.files_url}/{path}", auth=stack.file_auth).content == data


def test_a_large_upload_streams_through_a_small_memory_budget(stack: Stack):
    """256 MB in and out while the file server's peak RSS grows by far less than that."""
    server = next(p for p in stack.processes if p.name == "files" and p.popen.poll() is None)
    path = f"{folder()}/models/big.bin"
    size, seed_ = 256 * MB, secrets.token_bytes(8)
    before = peak_rss_kb(server.popen.pid)
    response = stream_upload(stack.files_url, path, pseudo_random(size, seed_), stack.file_auth)
    assert response.status_code == 200, response.text
    got = requests.get(f"{stack.files_url}/{path}", auth=stack.file_auth, stream=True)
    assert checksum(got.iter_content(MB)) == checksum(pseudo_random(size, seed_))
    grown_mb = (peak_rss_kb(server.popen.pid) - before) / 1024
    assert grown_mb < 64, f"peak RSS grew by {grown_mb:.0f} MB for a {size // MB} MB file"
    row = wait_until(lambda: indexed(stack.settings, stack.settings.default_company, path), "row")
    assert row["size"] == size


def test_a_broken_off_upload_leaves_nothing_visible(stack: Stack):
    path = f"{folder()}/models/partial.bin"
    boundary = secrets.token_hex(8)
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="{path}"\r\n\r\n').encode()
    host, port = urlsplit(stack.files_url).hostname, urlsplit(stack.files_url).port
    user, secret = stack.file_auth
    basic = requests.auth._basic_auth_str(user, secret)
    request = (
        f"POST / HTTP/1.1\r\nHost: {host}\r\nAuthorization: {basic}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {10 * MB}\r\n\r\n"
    ).encode()
    with socket.create_connection((host, port)) as sock:
        sock.sendall(request + head + b"x" * (2 * MB))
        time.sleep(0.5)  # the server has begun writing
    time.sleep(1.0)
    assert requests.get(f"{stack.files_url}/{path}", auth=stack.file_auth).status_code == 404
    incoming = Path(stack.settings.files_root) / ".incoming"
    wait_until(lambda: not any(incoming.iterdir()), "the temporary file to go", timeout=10)


def test_over_the_size_limit_is_413_and_nothing_kept(stack: Stack):
    small = stack.files(replace(stack.settings, max_upload_bytes=MB))
    path = f"{folder()}/artifacts/big/big.bin"
    response = stream_upload(small.url or "", path, pseudo_random(3 * MB, b"s"), stack.file_auth)
    assert response.status_code == 413
    assert "TS_MAX_UPLOAD_BYTES" in response.json()["error"]["message"]
    assert requests.get(f"{small.url}/{path}", auth=stack.file_auth).status_code == 404
    small.kill()


def test_the_file_index_rebuilds_from_the_log(stack: Stack):
    top = folder()
    kept, gone = f"{top}/models/kept.pt", f"{top}/models/gone.pt"
    for path in (kept, gone):
        assert upload(stack.files_url, path, path.encode(), stack.file_auth).status_code == 200
    assert requests.delete(f"{stack.files_url}/{gone}", auth=stack.file_auth).status_code == 200
    company = stack.settings.default_company
    wait_until(lambda: indexed(stack.settings, company, gone) is None, "the deletion")
    # one rebuild, of the read model that owns the index, into verify's scratch keyspace,
    # compared with the live tables: a whole-log rebuild of every read model (and a second
    # keyspace to create) is what made this slow on a loaded Cassandra, and adds nothing here
    owner = [m for m in read_models() if "files" in m.tables]
    report = ops.verified(stack.settings, only=owner, keep=True)
    try:
        assert report.equal, "\n".join(report.lines())
        assert "files" in {t.table for t in report.tables}
        rebuilt = replace(stack.settings, keyspace=report.scratch)
        row = indexed(rebuilt, company, kept)
        assert row is not None
        assert row["checksum"] == f"sha256:{hashlib.sha256(kept.encode()).hexdigest()}"
        assert indexed(rebuilt, company, gone) is None
    finally:
        ops.drop_keyspace(stack.settings, report.scratch)
