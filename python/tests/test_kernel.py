"""The HybridSign Jupyter kernel driven by a real client (jupyter_client): cells, rich outputs,
completion, inspection, is_complete, errors, interrupts, forged messages and shutdown."""
from __future__ import annotations

import base64
import json
import signal
import time
from pathlib import Path
from typing import Any, Iterator

import pytest
from jupyter_client.blocking import BlockingKernelClient
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from jupyter_client.session import Session

from conftest import REPOSITORY

TIMEOUT = 60


@pytest.fixture(scope="module")
def kernel(jupyter_path: Path) -> Iterator[tuple[KernelManager, BlockingKernelClient]]:
    manager = KernelManager(kernel_name="hybridsign")
    manager.start_kernel(cwd=str(REPOSITORY))
    client = manager.client()
    client.start_channels()
    client.wait_for_ready(timeout=TIMEOUT)
    yield manager, client
    client.stop_channels()
    manager.shutdown_kernel(now=False)


def run(client: BlockingKernelClient, code: str, **options: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Runs `code`; returns the execute_reply content and the iopub messages it caused, in order."""
    outputs: list[dict[str, Any]] = []
    reply = client.execute_interactive(code, timeout=TIMEOUT, output_hook=outputs.append, **options)
    return reply["content"], outputs


def of_type(messages: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [m["content"] for m in messages if m["header"]["msg_type"] == kind]


def text_of_streams(messages: list[dict[str, Any]], name: str = "stdout") -> str:
    return "".join(c["text"] for c in of_type(messages, "stream") if c["name"] == name)


def test_kernelspec_is_installed_with_signal_interrupts(jupyter_path: Path, hybridsign_executable: Path) -> None:
    spec = KernelSpecManager().get_kernel_spec("hybridsign")
    assert spec.display_name == "HybridSign"
    assert spec.interrupt_mode == "signal"
    assert spec.argv[0] == str(hybridsign_executable.resolve())
    assert spec.argv[1:] == ["kernel", "-f", "{connection_file}"]


def test_kernel_info(kernel) -> None:
    _, client = kernel
    reply = client.kernel_info(reply=True, timeout=TIMEOUT)["content"]
    assert reply["status"] == "ok"
    assert reply["protocol_version"] == "5.3"
    assert reply["language_info"]["name"] == "hybridsign"
    assert reply["language_info"]["file_extension"] == ".hsl"


def test_cells_are_numbered_and_share_results(kernel) -> None:
    _, client = kernel
    reply, messages = run(client, "let x = 2 + 3\nx * 2")
    assert reply["status"] == "ok"
    count = reply["execution_count"]
    results = of_type(messages, "execute_result")
    assert len(results) == 1 and results[0]["data"]["text/plain"] == "10"
    assert results[0]["execution_count"] == count
    inputs = of_type(messages, "execute_input")
    assert inputs[0]["code"] == "let x = 2 + 3\nx * 2" and inputs[0]["execution_count"] == count
    states = [c["execution_state"] for c in of_type(messages, "status")]
    assert states[0] == "busy" and states[-1] == "idle"
    reply, messages = run(client, f"_ + _{count}")
    assert reply["execution_count"] == count + 1
    assert of_type(messages, "execute_result")[0]["data"]["text/plain"] == "20"


def test_printed_text_is_a_stream_and_session_commands_work(kernel) -> None:
    _, client = kernel
    reply, messages = run(client, 'print "hello" 42\nlet y = "Baum"')
    assert reply["status"] == "ok"
    assert text_of_streams(messages) == "hello 42\n"
    assert of_type(messages, "execute_result") == []
    reply, messages = run(client, ":vars")
    assert reply["status"] == "ok"
    assert "y" in text_of_streams(messages) and "string" in text_of_streams(messages)


def test_tables_have_html(kernel) -> None:
    _, client = kernel
    reply, messages = run(client, 'let dev = load "data/words/dev.pkl"\ncompare dev[0] vs dev[1]')
    assert reply["status"] == "ok", reply
    data = of_type(messages, "execute_result")[0]["data"]
    assert "<table>" in data["text/html"] and "</table>" in data["text/html"]
    assert "DTW" in data["text/plain"] or "dtw" in data["text/plain"]


def test_renders_show_inline_images(kernel, tmp_path: Path) -> None:
    _, client = kernel
    reply, messages = run(client, f'let dev = load "data/words/dev.pkl"\nrender dev[0] to "{tmp_path}/w" size: 128')
    assert reply["status"] == "ok", reply
    images = [c for c in of_type(messages, "display_data") if "image/png" in c["data"]]
    assert len(images) == 1, "the contact sheet shows inline"
    others = [c for c in of_type(messages, "display_data") if "image/png" not in c["data"]]
    assert all(c["transient"]["display_id"].startswith("hybridsign-progress-") for c in others), "only progress besides the sheet"
    cleared = {c["transient"]["display_id"] for c in of_type(messages, "update_display_data") if c["data"]["text/plain"] == ""}
    assert {c["transient"]["display_id"] for c in others} <= cleared, "progress is removed when the render ends"
    png = base64.b64decode(images[0]["data"]["image/png"])
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert png == (tmp_path / "w" / "sheet.png").read_bytes()
    assert "contact sheet" in images[0]["data"]["text/plain"]
    reply, messages = run(client, f'render dev[0] to "{tmp_path}/w.gif" size: 96')
    assert reply["status"] == "ok", reply
    gifs = [c for c in of_type(messages, "display_data") if "image/gif" in c["data"]]
    assert len(gifs) == 1, "an animation shows inline"
    assert base64.b64decode(gifs[0]["data"]["image/gif"]).startswith(b"GIF89a")
    assert (tmp_path / "w.gif").is_file(), "a file, not a directory called w.gif"
    reply, messages = run(client, f'plot [3, 1, 2] to "{tmp_path}/p.png"')
    assert [c for c in of_type(messages, "display_data") if "image/png" in c["data"]], "plots show inline"


def test_errors_carry_the_caret_and_hint(kernel) -> None:
    _, client = kernel
    reply, messages = run(client, 'let s = sampel m "Baum"')
    assert reply["status"] == "error"
    errors = of_type(messages, "error")
    assert len(errors) == 1
    traceback = "\n".join(errors[0]["traceback"])
    assert "unknown verb 'sampel'" in traceback and "did you mean 'sample'" in traceback
    assert "^^^^^^" in traceback
    assert errors[0]["ename"] == "SyntaxError" and reply["ename"] == "SyntaxError", "found by the parser"
    reply, messages = run(client, 'render 3 to "out/x" sise: 256')
    traceback = "\n".join(of_type(messages, "error")[0]["traceback"])
    assert "hint:" in traceback
    reply, _ = run(client, "1 + 1")
    assert reply["status"] == "ok", "the kernel goes on after errors"


def test_completion_uses_the_repl_completer(kernel) -> None:
    _, client = kernel
    run(client, 'let words = ["Baum", "Haus"]')
    reply = client.complete("ren", 3, reply=True, timeout=TIMEOUT)["content"]
    assert "render" in reply["matches"]
    assert reply["cursor_start"] == 0 and reply["cursor_end"] == 3
    code = "print words.co"
    reply = client.complete(code, len(code), reply=True, timeout=TIMEOUT)["content"]
    assert reply["matches"] == ["words.count"]
    assert reply["cursor_start"] == len("print ")
    code = 'render words to "x" si'
    reply = client.complete(code, len(code), reply=True, timeout=TIMEOUT)["content"]
    assert "size:" in reply["matches"]
    code = "let ü = 1\nprint ü"  # cursor positions count unicode code points
    reply = client.complete(code, len("let ü = 1\npri"), reply=True, timeout=TIMEOUT)["content"]
    assert "print" in reply["matches"] and reply["cursor_start"] == len("let ü = 1\n")


def test_inspect_explains_verbs_and_values(kernel) -> None:
    _, client = kernel
    reply = client.inspect("render", 3, reply=True, timeout=TIMEOUT)["content"]
    assert reply["found"] is True
    assert reply["data"]["text/plain"].startswith("render ")
    run(client, 'let dev = load "data/words/dev.pkl"')
    reply = client.inspect("show dev", 7, reply=True, timeout=TIMEOUT)["content"]
    assert reply["found"] is True and "dev: dataset" in reply["data"]["text/plain"]
    reply = client.inspect("nothing_here", 3, reply=True, timeout=TIMEOUT)["content"]
    assert reply["found"] is False


def shell_reply(client: BlockingKernelClient, message_id: str) -> dict[str, Any]:
    """The shell reply to the request `message_id`."""
    reply = client.get_shell_msg(timeout=TIMEOUT)
    while reply["parent_header"].get("msg_id") != message_id:
        reply = client.get_shell_msg(timeout=TIMEOUT)
    return reply


def test_is_complete_sees_open_blocks(kernel) -> None:
    _, client = kernel
    def status(code: str) -> dict[str, Any]:
        return shell_reply(client, client.is_complete(code))["content"]
    assert status("for i in range 3 {")["status"] == "incomplete"
    assert status("let xs = [1,")["status"] == "incomplete"
    assert status("for i in range 3 {\n print i\n}")["status"] == "complete"
    assert status("let = 3")["status"] == "invalid"
    assert status(":help")["status"] == "complete"


def test_interrupt_stops_the_statement_and_the_kernel_lives(kernel) -> None:
    manager, client = kernel
    message_id = client.execute("for i in range 1000000000 { let z = i }")
    time.sleep(3)
    started = time.monotonic()
    manager.interrupt_kernel()
    reply = shell_reply(client, message_id)
    assert time.monotonic() - started < 5, "the statement stops promptly"
    progress = []
    while True:
        message = client.get_iopub_msg(timeout=TIMEOUT)
        if message["parent_header"].get("msg_id") != message_id:
            continue
        if message["header"]["msg_type"] in ("display_data", "update_display_data"):
            progress.append(message["content"])
        if message["header"]["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
            break
    assert progress and progress[0]["data"]["text/plain"].startswith("for i "), "a long loop shows its progress"
    display_id = progress[0]["transient"]["display_id"]
    assert all(p["transient"]["display_id"] == display_id for p in progress), "updated in place"
    assert progress[-1]["data"]["text/plain"] == "", "and removed when the work ends"
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "Interrupted"
    reply, messages = run(client, "1 + 2")
    assert reply["status"] == "ok"
    assert of_type(messages, "execute_result")[0]["data"]["text/plain"] == "3"
    assert manager.is_alive()


def test_silent_requests_show_nothing_and_make_no_cell(kernel) -> None:
    _, client = kernel
    before, _ = run(client, "1")
    reply, messages = run(client, 'print "quiet"', silent=True)
    assert reply["status"] == "ok"
    assert of_type(messages, "stream") == [] and of_type(messages, "execute_input") == []
    after, _ = run(client, "1")
    assert after["execution_count"] == before["execution_count"] + 1


def test_history_lists_the_cells(kernel) -> None:
    _, client = kernel
    run(client, 'let marker = "history"')
    reply = client.history(hist_access_type="tail", n=5, reply=True, timeout=TIMEOUT)["content"]
    assert reply["status"] == "ok"
    assert any(entry[2] == 'let marker = "history"' for entry in reply["history"])


def test_messages_signed_with_another_key_are_dropped(kernel) -> None:
    manager, client = kernel
    forger = BlockingKernelClient()
    forger.load_connection_info(manager.get_connection_info())
    forger.session = Session(key=b"not-the-key")
    forger.start_channels()
    try:
        forger.execute('print "forged"')
        with pytest.raises(Exception):
            forger.get_shell_msg(timeout=2)
    finally:
        forger.stop_channels()
    reply, messages = run(client, 'print "still here"')
    assert reply["status"] == "ok" and text_of_streams(messages) == "still here\n"


def test_heartbeat_answers(kernel) -> None:
    _, client = kernel
    client.hb_channel.unpause()
    time.sleep(1.0)
    assert client.hb_channel.is_beating()


def test_shutdown_ends_the_process(jupyter_path: Path) -> None:
    manager = KernelManager(kernel_name="hybridsign")
    manager.start_kernel(cwd=str(REPOSITORY))
    client = manager.client()
    client.start_channels()
    client.wait_for_ready(timeout=TIMEOUT)
    client.shutdown()
    reply = client.get_control_msg(timeout=TIMEOUT) if hasattr(client, "get_control_msg") else None
    if reply is not None:
        assert reply["header"]["msg_type"] == "shutdown_reply"
    process = manager.provisioner.process
    deadline = time.monotonic() + 10
    while process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert process.poll() == 0, "the kernel exits cleanly after shutdown_request"
    client.stop_channels()
    manager.cleanup_resources()
