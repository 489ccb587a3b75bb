"""What a person does from the web app's experiments table and menus, driven in the browser:
create a project and a queue, clone, enqueue, dequeue, abort, reset, tag, rename, move and
archive, then compare two experiments; each step checks what the page shows afterwards."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

WAIT_MS = 20_000
SHOTS = Path(__file__).parent / "screenshots"  # what the page showed instead


@dataclass(frozen=True)
class Seeded:
    web: str
    project: str
    task: str  # completed, reported through the SDK
    task_name: str
    running: str  # in_progress
    running_name: str
    prefix: str  # for the names made here


async def act(page: Any, s: Seeded) -> list[str]:
    """Every action in turn; returns what a person would not have seen (empty: all shown)."""
    missing: list[str] = []
    tasks = f"{s.web}/projects/{s.project}/tasks"
    moved, queue, clone = f"{s.prefix}-moved", f"{s.prefix}-made-queue", f"Clone Of {s.task_name}"
    projects = f"{s.web}/projects"
    await _create(page, projects, "NEW PROJECT", "projectName", moved, ok="CREATE PROJECT")
    # not checked as a card here: in some runs the app created it as "null/<name>" (a sub
    # project of a new "null" project: its parent path taken from a project without a name;
    # open in issue 13). The move below finds it by name and opens it from the projects page.
    await _create(page, f"{s.web}/workers-and-queues/queues", "NEW QUEUE", "queueName", queue)
    await _expect(page, missing, "new queue row", page.get_by_text(queue, exact=True))
    await page.goto(tasks)
    await _menu(page, s.task_name, "Clone")
    await _button(page, "CLONE")
    await _expect(page, missing, "clone row", _row(page, clone))
    await _menu(page, clone, "Enqueue")
    # into the tour's queue, which a worker serves (else the app explains how to start one)
    await page.locator("mat-dialog-container input").first.fill(f"{s.prefix}-queue")
    await page.locator("mat-option", has_text=f"{s.prefix}-queue").first.click(timeout=WAIT_MS)
    await _button(page, "ENQUEUE")
    await _expect(page, missing, "enqueued: Pending", _row(page, clone, "Pending"))
    await _menu(page, clone, "Dequeue")
    await _button(page, "DEQUEUE")
    await _expect(page, missing, "dequeued: Draft", _row(page, clone, "Draft"))
    await _menu(page, s.running_name, "Abort")
    await _button(page, "ABORT")
    await _expect(page, missing, "aborted: Aborted", _row(page, s.running_name, "Aborted"))
    await _menu(page, s.running_name, "Reset")
    await _button(page, "RESET")
    await _expect(page, missing, "reset: Draft", _row(page, s.running_name, "Draft"))
    await _tag(page, clone, f"{s.prefix}-tag")
    await _expect(page, missing, "tag chip", _row(page, clone, f"{s.prefix}-tag"))
    renamed = await _rename(page, f"{tasks}/{s.running}/execution", f"{s.prefix}-renamed")
    await page.goto(tasks)
    await _expect(page, missing, "renamed row", _row(page, renamed))
    await _menu(page, renamed, "Archive")
    await _expect(page, missing, "archived row gone", _row(page, renamed), gone=True)
    await _menu(page, clone, "Move to Project")
    await page.locator("mat-dialog-container input").first.fill(moved)
    await page.locator("mat-option", has_text=moved).first.click(timeout=WAIT_MS)
    await _button(page, "MOVE")
    await page.wait_for_timeout(1000)
    await page.goto(projects)  # the moved task shows in the project it went to
    await page.get_by_text(moved, exact=True).locator("visible=true").first.click(timeout=WAIT_MS)
    await _expect(page, missing, "moved row in its new project", _row(page, clone))
    await _compare(page, s, missing)
    return missing


async def _compare(page: Any, s: Seeded, missing: list[str]) -> None:
    compare = f"{s.web}/projects/{s.project}/compare-tasks;ids={s.task},{s.running}"
    await page.goto(f"{compare}/hyper-params/values")
    await _expect(page, missing, "compared hyperparameters", page.get_by_text("GENERAL"))
    await _expect(page, missing, "compared task", page.get_by_text(s.task_name, exact=True))
    await page.goto(f"{compare}/scalars/graph")
    await page.wait_for_timeout(1500)


async def _create(page: Any, url: str, opener: str, field: str, name: str, *, ok: str = "") -> None:
    await page.goto(url)
    await page.locator(f"button:has-text('{opener}')").first.click(timeout=WAIT_MS)
    await page.fill(f"mat-dialog-container input[name={field}]", name)
    await _button(page, ok or "CREATE")


def _row(page: Any, name: str, text: str | None = None) -> Any:
    """The table row (or card, in the split view) named `name`, holding `text` if given."""
    named = f".experiment-name:text-is('{name}'), .card-name .name:text-is('{name}')"
    row = page.locator("tr.p-selectable-row").filter(has=page.locator(named))
    return row.filter(has_text=text) if text else row


async def _menu(page: Any, name: str, item: str) -> None:
    await _row(page, name).first.click(button="right", timeout=WAIT_MS)
    await page.get_by_role("menuitem", name=item).first.click(timeout=WAIT_MS)


async def _button(page: Any, caption: str) -> None:
    await page.locator("mat-dialog-container button", has_text=caption).last.click(timeout=WAIT_MS)


async def _tag(page: Any, name: str, tag: str) -> None:
    await _menu(page, name, "Add Tag")
    field = page.locator(".mat-mdc-menu-panel input").last
    await field.fill(tag)
    await field.press("Enter")


async def _rename(page: Any, url: str, name: str) -> str:
    await page.goto(url)
    edit = page.locator("sm-inline-edit.edit-name")
    await edit.locator(".editable-pen").click(timeout=WAIT_MS)
    await edit.locator("input[name=inline]").fill(name)
    await edit.locator(".inline-edit-approve").click()
    await page.get_by_text(name, exact=True).first.wait_for(timeout=WAIT_MS)
    return name


async def _expect(
    page: Any, missing: list[str], what: str, locator: Any, *, gone: bool = False
) -> None:
    from playwright.async_api import TimeoutError as Timeout

    try:
        if gone:
            await locator.first.wait_for(state="detached", timeout=WAIT_MS)
        else:
            await locator.locator("visible=true").first.wait_for(timeout=WAIT_MS)
    except Timeout:
        missing.append(what)
        await page.screenshot(path=f"{SHOTS}/missing-{what.replace(' ', '-').replace(':', '')}.png")
