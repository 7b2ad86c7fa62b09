"""Editing help: the JSON Schemas are generated from the models, every shipped YAML file names its schema in a
yaml-language-server modeline, validates against it (jsonschema), and a mistake an admin makes is caught."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from bot.content.schema import MODELINE, SCHEMA_DIR, all_schemas, modeline, render, schema_for

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted(p.relative_to(ROOT).as_posix() for p in [*ROOT.glob("flows/*.yaml"), *ROOT.glob("knowledge/*.yaml"),
                                                          *ROOT.glob("knowledge/services/*.yaml")]
                 if schema_for(p.relative_to(ROOT).as_posix()))


class _AsEditorsRead(yaml.SafeLoader):
    """YAML as an editor's YAML server reads it: a date stays text (JSON has no date type)."""


_AsEditorsRead.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def read(text: str) -> Any:
    return yaml.load(text, Loader=_AsEditorsRead)


def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = all_schemas()[name]
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def test_the_committed_schemas_are_the_generated_ones() -> None:
    for name, schema in all_schemas().items():
        assert (ROOT / SCHEMA_DIR / name).read_text(encoding="utf-8") == render(schema), \
            f"{SCHEMA_DIR}/{name} is stale: run python -m bot schema"


@pytest.mark.parametrize("relative", SHIPPED)
def test_every_shipped_file_names_its_schema_and_follows_it(relative: str) -> None:
    text = (ROOT / relative).read_text(encoding="utf-8")
    assert text.splitlines()[0] == modeline(relative)
    target = (ROOT / relative).parent / text.splitlines()[0].removeprefix(MODELINE)
    assert target.resolve() == (ROOT / SCHEMA_DIR / str(schema_for(relative))).resolve()
    errors = sorted(validator(str(schema_for(relative))).iter_errors(read(text)), key=str)
    assert not errors, "\n".join(f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors)


@pytest.mark.parametrize(("relative", "old", "new", "where"), [
    ("knowledge/services/yookan.yaml", "tags: [decouvrir-metiers]", "tags: [decouvrir-metiers]\ntelefone: '1'", ""),
    ("knowledge/services/yookan.yaml", "frais: gratuit", "frais: gratuitt", "frais"),
    ("knowledge/services/yookan.yaml", 'code_insee: "93064"', 'code_insee: "9306"', "code_insee"),
    ("knowledge/services/adie.yaml", "    champs: [telephone, site_web]", "    champs: [telefone]",
     "sources/0/champs/0"),
    ("flows/accueil.yaml", "    input: commune", "    imput: commune", "steps/"),
    ("flows/_global.yaml", "  back:\n", "  bak:\n", "intents"),
])
def test_an_admins_mistake_is_caught_by_the_schema(relative: str, old: str, new: str, where: str) -> None:
    text = (ROOT / relative).read_text(encoding="utf-8")
    assert old in text
    errors = list(validator(str(schema_for(relative))).iter_errors(read(text.replace(old, new, 1))))
    assert errors and any("/".join(map(str, e.path)).startswith(where) for e in errors), [e.message for e in errors]


def test_the_schema_command_writes_them(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "bot", "schema", "--out", str(tmp_path)], cwd=ROOT,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(all_schemas())
