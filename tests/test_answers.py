"""The answers file: hand-written yes/no in several spellings, the tool's own mapping form,
clear errors, a faithful round trip, and atomic saving."""

import os
import re

import pytest
from helpers import container, inventory_dict

from advisor.domain.answers import AnswersFile
from advisor.domain.errors import InputError, OutputError
from advisor.domain.model import Answer, Pair, Source
from advisor.formats.answers import dump_answers, load_answers
from advisor.formats.files import write_atomically
from advisor.formats.inventory import load_inventory


@pytest.fixture
def inventory(write_yaml):
    return load_inventory(
        write_yaml(inventory_dict(container("web"), container("proxy"), container("db")))
    )


def load(write_yaml, text, inventory, rules):
    """The pair answers of an answers file with ``text``."""
    return load_answers(write_yaml(text, "answers.yaml"), inventory, rules).pairs


def dump(sheet, inventory, rules):
    return dump_answers(AnswersFile(pairs=sheet), inventory, rules)


def load_error(write_yaml, text, inventory, rules):
    path = write_yaml(text, "answers.yaml")
    with pytest.raises(InputError) as caught:
        load_answers(path, inventory, rules)
    message = str(caught.value)
    assert message.startswith(str(path)), message
    return path, message


def line_of(message, path):
    match = re.match(re.escape(str(path)) + r":(\d+)", message)
    return int(match.group(1)) if match else None


@pytest.mark.parametrize("key", ["web + proxy", "proxy + web", "web+proxy"])
def test_pair_is_read_in_either_order(write_yaml, inventory, rules, key):
    sheet = load(
        write_yaml, f"version: 1\npairs:\n  {key}:\n    same_host: yes\n", inventory, rules
    )
    assert sheet == {Pair.of("web", "proxy"): {"same_host": Answer(True)}}


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("yes", True),
        ("no", False),
        ("true", True),
        ("false", False),
        ("'y'", True),
        ("'n'", False),
        ("Yes", True),
        ("NO", False),
    ],
)
def test_yes_no_spellings(write_yaml, inventory, rules, word, value):
    sheet = load(write_yaml, f"pairs:\n  web + db:\n    same_host: {word}\n", inventory, rules)
    assert sheet[Pair.of("web", "db")]["same_host"].value is value


def test_unquoted_y_is_yes(write_yaml, inventory, rules):
    sheet = load(write_yaml, "pairs:\n  web + db:\n    same_host: y\n", inventory, rules)
    assert sheet[Pair.of("web", "db")]["same_host"].value is True


def test_blank_answer_is_unanswered(write_yaml, inventory, rules):
    sheet = load(
        write_yaml, "pairs:\n  web + db:\n    same_host: yes\n    single_unit:\n", inventory, rules
    )
    assert sheet[Pair.of("web", "db")] == {"same_host": Answer(True)}


def test_blank_pair_has_no_answers(write_yaml, inventory, rules):
    sheet = load(write_yaml, "pairs:\n  web + db:\n", inventory, rules)
    assert sheet.get(Pair.of("web", "db"), {}) == {}


def test_mapping_form_keeps_source_and_reason(write_yaml, inventory, rules):
    sheet = load(
        write_yaml,
        "pairs:\n  web + db:\n    fits_node: {answer: no, source: computed, reason: too big}\n",
        inventory,
        rules,
    )
    assert sheet[Pair.of("web", "db")]["fits_node"] == Answer(False, Source.COMPUTED, "too big")


def test_mapping_form_without_source_is_asked(write_yaml, inventory, rules):
    sheet = load(
        write_yaml, "pairs:\n  web + db:\n    same_host: {answer: yes}\n", inventory, rules
    )
    assert sheet[Pair.of("web", "db")]["same_host"] == Answer(True, Source.ASKED)


def test_empty_answers_file_means_nothing_answered(write_yaml, inventory, rules):
    assert load(write_yaml, "", inventory, rules) == {}


def test_unknown_container(write_yaml, inventory, rules):
    path, message = load_error(
        write_yaml, "version: 1\npairs:\n  web + cache:\n    same_host: yes\n", inventory, rules
    )
    assert line_of(message, path) == 3
    assert "cache" in message


def test_same_container_twice(write_yaml, inventory, rules):
    path, message = load_error(
        write_yaml, "pairs:\n  web + web:\n    same_host: yes\n", inventory, rules
    )
    assert line_of(message, path) == 2
    assert "web + web" in message


def test_pair_answered_twice_in_both_orders(write_yaml, inventory, rules):
    path, message = load_error(
        write_yaml,
        "pairs:\n  web + db:\n    same_host: yes\n  db + web:\n    same_host: no\n",
        inventory,
        rules,
    )
    assert line_of(message, path) == 4
    assert "twice" in message


def test_answer_that_is_not_yes_or_no(write_yaml, inventory, rules):
    path, message = load_error(
        write_yaml, "pairs:\n  web + db:\n    same_host: maybe\n", inventory, rules
    )
    assert line_of(message, path) == 3
    assert "maybe" in message


def test_unknown_question_suggests_the_close_one(write_yaml, inventory, rules):
    path, message = load_error(
        write_yaml, "pairs:\n  web + db:\n    same_hots: yes\n", inventory, rules
    )
    assert line_of(message, path) == 3
    assert "same_hots" in message and "'same_host'" in message


@pytest.mark.parametrize(
    ("last", "wrong"), [("same_hots: yes", "same_hots"), ("fits_node: maybe", "maybe")]
)
def test_a_wrong_answer_after_plain_ones_is_named(write_yaml, inventory, rules, last, wrong):
    text = f"pairs:\n  web + db:\n    same_host: yes\n    single_unit: no\n    {last}\n"
    path, message = load_error(write_yaml, text, inventory, rules)
    assert line_of(message, path) == 5
    assert wrong in message


def test_plain_and_mapping_answers_mix_in_one_entry(write_yaml, inventory, rules):
    sheet = load(
        write_yaml,
        "pairs:\n  web + db:\n    same_host: yes\n    single_unit: no\n"
        "    fits_node: {answer: yes, source: inferred}\n  web + proxy:\n    same_host: no\n",
        inventory,
        rules,
    )
    assert sheet == {
        Pair.of("web", "db"): {
            "same_host": Answer(True),
            "single_unit": Answer(False),
            "fits_node": Answer(True, Source.INFERRED),
        },
        Pair.of("web", "proxy"): {"same_host": Answer(False)},
    }


def test_wrong_version(write_yaml, inventory, rules):
    path, message = load_error(write_yaml, "version: 2\npairs: {}\n", inventory, rules)
    assert line_of(message, path) == 1
    assert "version" in message and "2" in message


def test_answers_file_that_is_a_list(write_yaml, inventory, rules):
    _, message = load_error(write_yaml, "- web + db\n", inventory, rules)
    assert "mapping" in message


def test_unknown_source_word(write_yaml, inventory, rules):
    path, message = load_error(
        write_yaml,
        "pairs:\n  web + db:\n    same_host: {answer: yes, source: guessed}\n",
        inventory,
        rules,
    )
    assert line_of(message, path) == 3
    assert "guessed" in message


# --- round trip ---------------------------------------------------------------------


def test_dump_then_load_gives_back_every_answer(write_yaml, inventory, rules):
    sheet = {
        Pair.of("web", "proxy"): {
            "same_host": Answer(True),
            "single_unit": Answer(False),
        },
        Pair.of("db", "web"): {
            "same_host": Answer(True),
            "fits_node": Answer(True, Source.COMPUTED, "their requests fit one node"),
        },
        Pair.of("proxy", "db"): {"scale_together": Answer(False, Source.INFERRED)},
    }
    text = dump(sheet, inventory, rules)
    assert load(write_yaml, text, inventory, rules) == sheet


def test_dumped_pairs_follow_inventory_order(inventory, rules):
    sheet = {
        Pair.of("proxy", "db"): {"same_host": Answer(False)},
        Pair.of("web", "proxy"): {"same_host": Answer(True)},
    }
    text = dump(sheet, inventory, rules)
    assert text.index("web + proxy") < text.index("proxy + db")


def test_round_trip_with_names_containing_plus(write_yaml, rules):
    # The inventory accepts "c++" (it becomes the DNS label "c"); an answers file the tool
    # itself wrote for it must load again.
    inventory = load_inventory(
        write_yaml(inventory_dict(container("c++"), container("web")), "app.yaml")
    )
    sheet = {Pair.of("c++", "web"): {"same_host": Answer(False)}}
    text = dump(sheet, inventory, rules)
    assert load(write_yaml, text, inventory, rules) == sheet


# --- atomic writes ------------------------------------------------------------------


def test_write_atomically_replaces_the_file(tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text("old\n")
    write_atomically(path, "new\n")
    assert path.read_text() == "new\n"
    assert os.listdir(tmp_path) == ["answers.yaml"]


def test_write_atomically_creates_missing_folders(tmp_path):
    path = tmp_path / "out" / "deep" / "pods.yaml"
    write_atomically(path, "x\n")
    assert path.read_text() == "x\n"


def test_failed_write_keeps_old_file_and_leaves_no_temp_file(tmp_path, monkeypatch):
    path = tmp_path / "answers.yaml"
    path.write_text("old\n")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OutputError) as caught:
        write_atomically(path, "new\n")
    assert str(path) in str(caught.value)
    assert path.read_text() == "old\n"
    assert os.listdir(tmp_path) == ["answers.yaml"]


def test_interrupted_write_keeps_old_file_and_leaves_no_temp_file(tmp_path, monkeypatch):
    path = tmp_path / "answers.yaml"
    path.write_text("old\n")

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(path, "new\n")
    assert path.read_text() == "old\n"
    assert os.listdir(tmp_path) == ["answers.yaml"]
