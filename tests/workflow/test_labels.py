"""Every text of a lifecycle or record file that people read is given in English and French, and
reads in the language of the page (English outside one: the API's and the CLI's contract)."""

import pytest
import yaml

from tests.workflow.editions import TWINNING
from twinflow.i18n import speaking
from twinflow.workflow.definition import load_text
from twinflow.workflow.errors import DefinitionError
from twinflow.workflow.models import WorkflowVersion
from twinflow.workflow.registry import WorkflowRegistry

SHIPPED = WorkflowRegistry()
DEFINITIONS = [SHIPPED.current(n) for n in SHIPPED.names()] + [
    SHIPPED.record(t) for t in SHIPPED.record_types()
]


def _texts(definition):
    """(where, Labels) of every text people read in the definition."""
    yield "title", definition.titles
    yield "description", definition.descriptions
    for state in definition.states.values():
        yield f"states.{state.name}.label", state.labels
        yield f"states.{state.name}.description", state.descriptions
        for deadline in state.deadlines:
            yield f"states.{state.name}.deadlines.{deadline.key}.title", deadline.titles
    for i, t in enumerate(definition.transitions):
        yield f"transitions[{i}].{t.trigger}.label", t.labels
        for field in t.data:
            yield f"transitions[{i}].{t.trigger}.data.{field.name}.label", field.labels


@pytest.mark.parametrize("definition", DEFINITIONS, ids=lambda d: f"{d.kind}:{d.name}")
def test_every_shipped_definition_names_everything_in_english_and_in_french(definition):
    # A description is optional (record states have none); given, it is given in both.
    missing = [
        f"{where}: no {', '.join(labels.missing())} text"
        for where, labels in _texts(definition)
        if labels.missing() and (labels or not where.endswith("description"))
    ]
    assert missing == [], f"{definition.name}: " + "; ".join(missing)


@pytest.mark.parametrize("definition", DEFINITIONS, ids=lambda d: f"{d.kind}:{d.name}")
def test_the_french_of_states_and_steps_is_a_translation_not_the_english_again(definition):
    copied = [
        where
        for where, labels in _texts(definition)
        if where.endswith(".label") and labels.get("fr") == labels.get("en")
    ]
    assert copied == []


def test_the_shipped_files_give_every_state_and_step_its_own_label_not_its_code():
    """A missing label would fall back to the code written out ("Fiche drafting" from
    fiche_drafting): the files name each one."""
    for path in sorted(SHIPPED.directory.glob("*.yaml")) + sorted(
        SHIPPED.records_directory.glob("*.yaml")
    ):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        unlabelled = [s["name"] for s in raw["states"] if "label" not in s]
        unlabelled += [t["trigger"] for t in raw["transitions"] if "label" not in t]
        assert unlabelled == [], path.name


def test_a_label_reads_in_french_on_a_french_page_and_in_english_elsewhere():
    twinning = SHIPPED.current("twinning")
    submit = twinning.transitions_named("submit_fiche")[0]
    deadline = twinning.states["call_open"].deadlines[0]
    assert twinning.label_of("fiche_drafting") == "Fiche drafting"
    with speaking("fr"):
        assert twinning.title == "Jumelage"
        assert twinning.label_of("fiche_drafting") == "Rédaction de la fiche"
        assert submit.label == "Soumettre la fiche pour examen"
        assert deadline.label == "Date limite des propositions des États membres"
        # The title stored on each deadline row stays in English whoever triggers the step.
        assert deadline.title == "Member State proposals due"
    assert submit.label == "Submit the fiche for review"
    assert SHIPPED.record("side_letter").label_of("approved") == "Approved"
    with speaking("fr"):
        assert SHIPPED.record("side_letter").label_of("approved") == "Approuvée"


def _custom(label_line: str) -> str:
    return TWINNING.replace(
        "    label: {en: Fiche drafting, fr: Rédaction de la fiche}\n", label_line
    )


def test_a_custom_file_may_give_english_only_and_reads_it_in_every_language():
    definition = load_text(_custom("    label: Drafting the fiche\n"), "custom.yaml")
    with speaking("fr"):
        assert definition.label_of("fiche_drafting") == "Drafting the fiche"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("    label: {en: Drafting, de: Entwurf}\n", "'de' is not a language of the app"),
        ("    label: {fr: Rédaction}\n", "needs its English text (en: ...)"),
        ("    label: {en: Drafting, fr: ''}\n", "the fr text must be a non-empty text"),
        ("    label: [Drafting]\n", "must be a text, or one text per language"),
    ],
)
def test_a_label_in_an_unknown_language_or_without_english_is_refused_naming_the_place(
    line, reason
):
    with pytest.raises(DefinitionError) as refused:
        load_text(_custom(line), "custom.yaml")
    assert f"custom.yaml: states[0].label: {reason}" in str(refused.value)


def _english_only(text: str) -> str:
    """An edition as written before the files carried French: every text its English alone."""

    def strip(node):
        if isinstance(node, dict):
            if set(node) == {"en", "fr"}:
                return node["en"]
            return {k: strip(v) for k, v in node.items()}
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    return yaml.safe_dump(strip(yaml.safe_load(text)), allow_unicode=True, sort_keys=False)


@pytest.mark.usefixtures("backend")
def test_a_project_pinned_to_an_edition_without_french_reads_the_current_french(session):
    older = _english_only(TWINNING).replace("label: Work plan\n", "label: Work planning\n")
    older = older.replace("name: cancelled\n", "name: abandoned\n").replace(
        "dest: cancelled\n", "dest: abandoned\n"
    )
    version = load_text(older, "older").version
    session.add(WorkflowVersion(version=version, name="twinning", source=older))
    session.flush()

    pinned = WorkflowRegistry().get(version, session)

    with speaking("fr"):
        assert pinned.label_of("fiche_drafting") == "Rédaction de la fiche"
        # Its own English wording of a state differs: the French of the same state is used.
        assert pinned.label_of("work_plan") == "Plan de travail"
        assert pinned.transitions_named("approve_fiche")[0].data[0].label == (
            "Date limite des propositions (UTC)"
        )
        # A state the current edition does not have keeps the edition's English.
        assert pinned.label_of("abandoned") == "Cancelled"
    assert pinned.label_of("work_plan") == "Work planning"
    assert pinned.source_text == older  # the stored edition itself is untouched


def test_every_fiche_section_is_titled_in_english_and_french_and_reads_in_the_pages_language():
    from twinflow.fiche.sections import DEFAULT_FILE, load_template

    template = load_template(DEFAULT_FILE)
    untitled = [s.key for s in template.sections if s.titles.missing()]
    unhelped = [s.key for s in template.sections if s.helps and s.helps.missing()]
    assert untitled == [] and unhelped == []
    context = template.section("context")
    assert context.title == "2. Context and rationale"
    with speaking("fr"):
        assert context.title == "2. Contexte et justification"


def test_a_fiche_section_title_too_long_in_one_language_is_refused_naming_it(tmp_path):
    from twinflow.fiche.sections import load_template

    path = tmp_path / "sections.yaml"
    path.write_text(
        "editable_states: [fiche_drafting]\n"
        "particulars_states: [fiche_drafting]\n"
        "sections:\n"
        f"  - {{key: context, title: {{en: Context, fr: {'x' * 201}}}, kind: text, "
        "max_length: 10}\n"
    )
    with pytest.raises(DefinitionError) as refused:
        load_template(path)
    assert "sections.0.title: the fr text is longer than 200 characters" in str(refused.value)


def test_every_sector_instrument_and_priority_area_is_named_in_english_and_french():
    from twinflow.reference.loader import load_directory

    reference = load_directory(SHIPPED.directory / "reference")
    named = [(f"sector {c}", s.labels) for c, s in reference.sectors.items()]
    named += [(f"instrument {c}", i.titles) for c, i in reference.instruments.items()]
    for code, area in reference.priority_areas.items():
        named.append((f"priority area {code}", area.labels))
        named += [(f"subsector {code}.{s.code}", s.labels) for s in area.subsectors]
    assert [where for where, labels in named if labels.missing()] == []
    with speaking("fr"):
        assert reference.sector_label("JH") == "Justice et affaires intérieures"
    assert reference.sector_label("JH") == "Justice and home affairs"


def test_a_deadline_row_keeps_its_english_title_and_pages_read_it_in_their_language():
    twinning = SHIPPED.current("twinning")
    with speaking("fr"):
        second = twinning.deadline_label("interim_report#2")
        assert second == "Rapport intermédiaire (trimestriel) 2"
        assert twinning.deadline_label("proposals_due") == (
            "Date limite des propositions des États membres"
        )
    assert twinning.deadline_label("interim_report#2") == "Interim (quarterly) report 2"
    assert twinning.deadline_label("no_such_deadline") is None
