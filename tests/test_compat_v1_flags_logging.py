"""``tf.compat.v1.flags`` / ``app.run`` (absl's parsing rules and errors, TF1's implicit parse of sys.argv,
the old keyword names) and ``tf.compat.v1.logging`` (levels, verbosity, log_every_n / log_first_n).

The file passes unchanged under TensorFlow 2.21 with the import swapped (where the flags are absl's)."""

import logging
import sys

import pytest

import ferroflow as tf

v1 = tf.compat.v1
flags = v1.flags


@pytest.fixture
def fv():
    values = flags.FlagValues()
    flags.DEFINE_string("name", "bob", "the name", flag_values=values)
    flags.DEFINE_integer("n", 3, "count", lower_bound=0, flag_values=values)
    flags.DEFINE_float("lr", 0.1, "rate", flag_values=values)
    flags.DEFINE_boolean("verbose", False, "v", flag_values=values)
    flags.DEFINE_bool("dry", True, "d", flag_values=values)
    flags.DEFINE_enum("mode", "a", ["a", "b"], "m", flag_values=values)
    flags.DEFINE_list("items", "x,y", "i", flag_values=values)
    flags.DEFINE_multi_string("tag", [], "t", flag_values=values)
    return values


def test_parse_values_and_remaining_arguments(fv):
    argv = ["prog", "--name=al", "--n", "5", "--noverbose", "--verbose", "--nodry", "--mode=b", "--items=p,q"]
    rest = fv(argv + ["--tag=a", "--tag", "b", "pos1", "--", "--lr=3"])
    assert rest == ["prog", "pos1", "--lr=3"]
    assert (fv.name, fv.n, fv.lr, fv.verbose, fv.dry, fv.mode) == ("al", 5, 0.1, True, False, "b")
    assert fv.items == ["p", "q"] and fv.tag == ["a", "b"]
    assert fv.is_parsed() and fv["name"].default == "bob" and fv["name"].present
    assert fv.flag_values_dict()["n"] == 5
    fv(["prog", "-n", "7", "--lr", "2.5"])
    assert fv.n == 7 and fv.lr == 2.5


def test_defaults_and_assignment(fv):
    fv(["prog"])
    assert (fv.name, fv.n, fv.verbose, fv.items, fv.tag) == ("bob", 3, False, ["x", "y"], [])
    fv.name = "zed"
    assert fv.name == "zed" and fv["name"].value == "zed" and "name" in fv and "nope" not in fv
    with pytest.raises(AttributeError):
        fv.nonexistent  # noqa: B018


def test_parse_errors(fv):
    with pytest.raises(flags.UnrecognizedFlagError, match="Unknown command line flag 'unknown'"):
        fv(["prog", "--unknown=1"])
    with pytest.raises(flags.IllegalFlagValueError, match="flag --n=-1: -1 is not a non-negative integer"):
        fv(["prog", "--n=-1"])
    with pytest.raises(flags.IllegalFlagValueError, match="flag --n=abc: invalid literal for int"):
        fv(["prog", "--n=abc"])
    with pytest.raises(flags.IllegalFlagValueError, match=r"flag --mode=c: value should be one of <a\|b>"):
        fv(["prog", "--mode=c"])
    with pytest.raises(flags.IllegalFlagValueError, match="Non-boolean argument to boolean flag"):
        fv(["prog", "--verbose=maybe"])
    with pytest.raises(flags.Error, match="Missing value for flag --n"):
        fv(["prog", "--n"])
    with pytest.raises(flags.DuplicateFlagError, match="The flag 'name' is defined twice"):
        flags.DEFINE_string("name", "x", "dup", flag_values=fv)
    assert fv(["prog", "--unknown=1", "x"], known_only=True) == ["prog", "--unknown=1", "x"]


def test_reading_before_parsing_a_plain_flag_values_is_an_error():
    values = flags.FlagValues()
    flags.DEFINE_string("x", "1", "x", flag_values=values)
    with pytest.raises(flags.UnparsedFlagAccessError, match="before flags were parsed"):
        values.x  # noqa: B018


def test_required_flags_and_validators():
    values = flags.FlagValues()
    flags.DEFINE_string("req", None, "required", flag_values=values)
    flags.mark_flag_as_required("req", flag_values=values)
    with pytest.raises(flags.IllegalFlagValueError, match="Flag --req must have a value other than None"):
        values(["prog"])
    values(["prog", "--req=ok"])
    assert values.req == "ok"
    flags.DEFINE_integer("even", 2, "an even number", flag_values=values)
    flags.register_validator("even", lambda v: v % 2 == 0, message="must be even", flag_values=values)
    with pytest.raises(flags.IllegalFlagValueError, match="must be even"):
        values(["prog", "--req=ok", "--even=3"])


def test_flag_holders_and_old_keyword_names():
    values = flags.FlagValues()
    holder = flags.DEFINE_string(flag_name="old", default_value="v", docstring="doc", flag_values=values)
    values(["prog", "--old=w"])
    assert holder.value == "w" and holder.name == "old" and values["old"].help == "doc"


def test_global_flags_parse_sys_argv_when_first_read(monkeypatch):
    flags.DEFINE_integer("ff_v1_test_steps", 10, "steps")
    flags.FLAGS.unparse_flags()
    monkeypatch.setattr(sys, "argv", ["prog", "--ff_v1_test_steps=25"])
    assert flags.FLAGS.ff_v1_test_steps == 25
    assert v1.app.flags.FLAGS is flags.FLAGS


def test_app_run_calls_main_with_the_remaining_arguments():
    flags.DEFINE_string("ff_v1_test_out", "a", "out")
    flags.FLAGS.unparse_flags()
    seen = []

    def main(argv):
        seen.append((list(argv), flags.FLAGS.ff_v1_test_out))
        return 3

    with pytest.raises(SystemExit) as exit_info:
        v1.app.run(main, argv=["prog", "--ff_v1_test_out=b", "--not_defined_here=1", "file.txt"])
    assert exit_info.value.code == 3
    assert seen == [(["prog", "--not_defined_here=1", "file.txt"], "b")]
    flags.DEFINE_integer("ff_v1_test_bad", 1, "int")
    flags.FLAGS.unparse_flags()
    with pytest.raises(flags.IllegalFlagValueError, match="flag --ff_v1_test_bad=x"):
        v1.app.run(main, argv=["prog", "--ff_v1_test_bad=x"])


def test_logging_levels_and_verbosity():
    log = v1.logging
    assert (log.DEBUG, log.INFO, log.WARN, log.ERROR, log.FATAL) == (10, 20, 30, 40, 50)
    before = log.get_verbosity()
    try:
        log.set_verbosity(log.INFO)
        assert log.get_verbosity() == log.INFO
        log.set_verbosity(log.ERROR)
        assert log.get_verbosity() == 40
    finally:
        log.set_verbosity(before)
    with pytest.raises(NotImplementedError):
        log.flush()


class _Records(logging.Handler):
    def __init__(self):
        super().__init__()
        self.messages = []

    def emit(self, record):
        self.messages.append((record.levelno, record.getMessage()))


def test_logging_messages_and_counters():
    log = v1.logging
    logger = tf.get_logger()
    records = _Records()
    logger.addHandler(records)
    before = log.get_verbosity()
    try:
        log.set_verbosity(log.DEBUG)
        log.info("step %d", 5)
        log.warning("careful")
        log.warn("old spelling")
        log.error("bad %s", "thing")
        log.log(log.INFO, "direct")
        log.vlog(log.DEBUG, "verbose")
        for i in range(4):  # one count shared by every log_first_n / log_every_n call, as TensorFlow's
            log.log_first_n(log.INFO, "first %d", 2, i)
        for i in range(7):
            log.log_every_n(log.INFO, "every %d", 3, i)
        log.log_if(log.INFO, "if-true", True)
        log.log_if(log.INFO, "if-false", False)
    finally:
        log.set_verbosity(before)
        logger.removeHandler(records)
    texts = [m for _, m in records.messages]
    assert texts[:6] == ["step 5", "careful", "old spelling", "bad thing", "direct", "verbose"]
    assert [m for m in texts if m.startswith("every")] == ["every 2", "every 5"]
    assert [m for m in texts if m.startswith("first")] == ["first 0", "first 1"]
    assert "if-true" in texts and "if-false" not in texts
    assert records.messages[3][0] == logging.ERROR
