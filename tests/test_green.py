"""Which processes run on gevent (kiosk.serving.green): the server, and nothing else."""

from __future__ import annotations

import pytest

from kiosk.serving import green


@pytest.mark.parametrize(("args", "command"), [
    (["serve", "--port", "8443"], "serve"),
    (["--db", "instance/demo.db", "demo", "--host", "0.0.0.0"], "demo"),
    (["--db", "serve", "import", "list.csv"], "import"),  # a file called 'serve'
    (["--event", "dag.toml", "--db", "x.db", "station", "list"], "station"),
    (["--help"], None),
    ([], None),
])
def test_the_command_is_the_first_word_that_is_no_option_or_its_value(args, command):
    assert green.command_of(args) == command


def test_only_serving_commands_patch_the_process():
    assert green.patch_if_serving(["--db", "x.db", "import", "list.csv"]) is False
    assert green.patch_if_serving(["badges", "--out", "serve"]) is False
    assert not green.active()  # the test process itself runs on threads


def test_offload_just_calls_outside_gevent():
    assert green.offload(divmod, 17, 5) == (3, 2)
    assert green.offload(sorted, [3, 1, 2], reverse=True) == [3, 2, 1]
