"""Model commands and events: the model registry's vocabulary (ClearML's models.* service)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from commands.base import Command, Event

# -- commands ---------------------------------------------------------------------------------


class ModelCommand(Command):
    AGGREGATE: ClassVar[str] = "model"


@dataclass(frozen=True)
class CreateModel(ModelCommand):
    """models.create: `fields` is the JSON of the documents decisions never read (comment,
    tags, framework, design, labels, parent, metadata)."""

    name: str
    uri: str
    ready: bool = True
    public: bool = False
    task: str | None = None
    project: str | None = None
    system_tags: tuple[str, ...] = ()
    fields: str = "{}"


@dataclass(frozen=True)
class EditModel(ModelCommand):
    """models.edit / update / update_tags / move: `changes` is the JSON of the fields to set."""

    model: str
    action: str
    changes: str = "{}"


@dataclass(frozen=True)
class PublishModel(ModelCommand):
    """models.set_ready / publish_many (one command per model)."""

    model: str


@dataclass(frozen=True)
class ArchiveModel(ModelCommand):
    model: str


@dataclass(frozen=True)
class UnarchiveModel(ModelCommand):
    model: str


@dataclass(frozen=True)
class DeleteModel(ModelCommand):
    """models.delete: a model whose creating task is published needs force."""

    model: str
    force: bool = False


@dataclass(frozen=True)
class ChangeModelMetadata(ModelCommand):
    """models.add_or_update_metadata / delete_metadata: `put` is JSON {key: {key, type, value}}."""

    model: str
    put: str = "{}"
    removed: tuple[str, ...] = ()
    replace: bool = False


# -- events -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModelEvent(Event):
    AGGREGATE: ClassVar[str] = "model"
    model: str

    def aggregate_id(self) -> str:
        return self.model


@dataclass(frozen=True)
class ModelCreated(ModelEvent):
    """A model was registered; `fields` holds its documents as JSON."""

    at: int
    user: str
    name: str
    uri: str
    ready: bool
    public: bool = False
    task: str | None = None
    project: str | None = None
    system_tags: tuple[str, ...] = ()
    fields: str = "{}"


@dataclass(frozen=True)
class ModelEdited(ModelEvent):
    """Fields of a model changed: `changes` is the JSON of the new values."""

    at: int
    user: str
    action: str
    changes: str = "{}"


@dataclass(frozen=True)
class ModelPublished(ModelEvent):
    """The model became ready (published)."""

    at: int
    user: str


@dataclass(frozen=True)
class ModelArchived(ModelEvent):
    """The archived system tag was added; `system_tags` are the tags after."""

    at: int
    user: str
    system_tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class ModelUnarchived(ModelEvent):
    """The archived system tag was removed; `system_tags` are the tags after."""

    at: int
    user: str
    system_tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class ModelDeleted(ModelEvent):
    """The model is gone; `url` is where its weights were. `inputs` (JSON {task: {name:
    item}}): the input-model items of the tasks that used it, re-pointed at `__DELETED__<model>`
    (a forced delete keeps those tasks, as ClearML does)."""

    at: int
    user: str
    url: str = ""
    inputs: str = "{}"


@dataclass(frozen=True)
class ModelMetadataChanged(ModelEvent):
    """Metadata entries were put (JSON {key: item}) and removed; `replace` dropped the rest."""

    at: int
    user: str
    put: str = "{}"
    removed: tuple[str, ...] = ()
    replace: bool = False
