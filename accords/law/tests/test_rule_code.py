"""A rule's version names its code: each gate's hash follows the Python that computes it."""

import importlib.util
import linecache
import sys
from datetime import date

import pytest

from accords.law import rule_code
from accords.law.regime import load_regime
from accords.law.rule_code import ENGINE, code_changed, gate_code, regime_code, rule_codes
from accords.law.tests.scenario import US_RWANDA, us_ready


def test_every_gate_has_its_own_code_hash_and_the_engine_its_own():
    codes = rule_codes(load_regime("us"))
    assert set(codes) == {ENGINE, *(g.id for g in load_regime("us").gates), "programme.notice"}
    assert len(set(codes.values())) == len(codes)  # no two gates run the same code
    assert regime_code(load_regime("us")) != regime_code(load_regime("uk"))


def test_a_gates_hash_covers_the_helpers_and_constants_it_reaches():
    parts: dict[str, str] = {}
    rule_code._reach(rule_code.RULES["us.notice"], parts)
    assert "accords.law.us_procedure._notice_defects" in parts
    assert "accords.law.rules.first_day_after" in parts
    assert "accords.law.rules._DAY" in parts  # a constant a helper reads
    protection: dict[str, str] = {}
    rule_code._reach(rule_code.RULES["us.cat"], protection)
    # the column a closure reads is part of the gate's code
    assert any("cat_countries" in text for text in protection.values())


def test_the_explanation_names_the_code_beside_the_regime_version():
    from accords.law.evaluate import explain

    on = date(2025, 9, 1)
    row = explain(us_ready(on), US_RWANDA, on)
    assert row["rule_code"] == regime_code(load_regime("us"))
    assert row["regime_version"] == load_regime("us").version


def test_replay_names_the_gates_whose_code_changed():
    regime = load_regime("us")
    stored = {**rule_codes(regime), "us.notice": "0" * 16}
    assert code_changed(stored, regime) == ["us.notice"]
    stored[ENGINE] = "older"
    assert code_changed(stored, regime) == [ENGINE, "us.notice"]
    assert code_changed(rule_codes(regime), regime) == []


def _module(tmp_path, name: str, body: str):
    path = tmp_path / f"{name.rsplit('.', 1)[-1]}.py"
    path.write_text(body)
    linecache.checkcache(str(path))
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("changed", "differs"),
    [
        ("def helper(n):\n    return n + 1\n", False),
        ("def helper(n):\n    return n + 2\n", True),  # a changed formula in a helper
        ("def helper(n):\n    return n + WINDOW\n", True),  # reads a constant now
    ],
)
def test_a_changed_formula_changes_the_hash_though_the_regime_file_did_not(
    tmp_path, changed, differs
):
    def digest(helper: str) -> str:
        module = _module(
            tmp_path,
            "accords.law.scratch_rule",
            f"WINDOW = 10\n\n{helper}\n\ndef rule(ctx, version):\n    return helper(1)\n",
        )
        parts: dict[str, str] = {}
        rule_code._reach(module.rule, parts)
        return rule_code._digest(parts)

    try:
        before = digest("def helper(n):\n    return n + 1\n")
        assert (digest(changed) != before) is differs
    finally:
        sys.modules.pop("accords.law.scratch_rule", None)


def test_the_hash_is_the_same_in_every_process():
    assert gate_code("us.notice") == gate_code("us.notice")
    import subprocess

    again = subprocess.run(
        [sys.executable, "-c",
         "from accords.law.rule_code import gate_code; print(gate_code('agreement.exclusions'))"],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    assert again.stdout.strip() == gate_code("agreement.exclusions")
