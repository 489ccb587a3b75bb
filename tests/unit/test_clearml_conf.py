"""The clearml.conf `taskstream up` writes: the SDK's uploads default to our file server."""

from __future__ import annotations

import pytest
from clearml.utilities.pyhocon import ConfigFactory

from taskstream.seed import clearml_conf

# the SDK's own HOCON parser, as it reads the file; it calls pyparsing's deprecated names
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_files_go_to_the_file_server_by_default():
    text = clearml_conf("http://h:8008", "http://h:8081", "KEY", "SECRET")
    conf = ConfigFactory.parse_string(text + "sdk { development { report_use_subprocess: false } }")
    assert conf["api"]["files_server"] == "http://h:8081"
    assert conf["api"]["credentials"]["access_key"] == "KEY"
    assert conf["sdk"]["development"]["default_output_uri"] == "http://h:8081"
    assert conf["sdk"]["development"]["report_use_subprocess"] is False  # merged, not replaced
