"""The model registry aggregate: messages, decisions and folds, wired for the company decider."""

from __future__ import annotations

from commands.base import Command, Decide, Event, Evolve
from commands.models import decide as d
from commands.models import evolve as f
from commands.models import messages as m

DECIDE: dict[type[Command], Decide] = {
    m.CreateModel: d.create,
    m.EditModel: d.edit,
    m.PublishModel: d.publish,
    m.ArchiveModel: d.archive,
    m.UnarchiveModel: d.unarchive,
    m.DeleteModel: d.delete,
    m.ChangeModelMetadata: d.change_metadata,
}
EVOLVE: dict[type[Event], Evolve] = {
    m.ModelCreated: f.created,
    m.ModelEdited: f.edited,
    m.ModelPublished: f.published,
    m.ModelArchived: f.tags_changed,
    m.ModelUnarchived: f.tags_changed,
    m.ModelDeleted: f.deleted,
    m.ModelMetadataChanged: f.metadata_changed,
}
