"""download_task_log's line_format: plain field names, small specs, the layout ClearML gives."""

import pytest

from commands.errors import FieldsValueError
from projections.logs import format

EVENT = {"timestamp": 1700000000000, "worker": "w1", "level": "info", "msg": "hello"}


def test_the_default_layout():
    parts = format.compile_format(format.DEFAULT)
    assert format.render(EVENT, parts) == "1700000000000 w1 info hello\n"


def test_alignment_width_and_precision_line_up_columns():
    parts = format.compile_format("[{level:>8}] {worker:.1} {msg!r}\n")
    assert format.render(EVENT, parts) == "[    info] w 'hello'\n"


@pytest.mark.parametrize(
    "template",
    [
        "{msg.__class__}",
        "{msg.__class__.__init__.__globals__}",
        "{msg[0]}",
        "{0}",
        "{}",
        "{msg:>99999999}",
        "{msg:{level}}",
        "{msg:>100}",
        "{msg!x}",
        "{unknown}",
        "{",
        "{msg}" * 300,
    ],
)
def test_anything_but_plain_fields_and_small_specs_is_refused(template):
    with pytest.raises(FieldsValueError):
        format.compile_format(template)
