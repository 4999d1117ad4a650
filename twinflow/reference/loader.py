"""Reading workflows/reference/*.yaml: the definition loader's strict YAML and marshmallow path,
so a broken file stops start-up naming the file, the path inside it and the reason."""

from pathlib import Path

import pycountry

from twinflow.reference.data import (
    Beneficiary,
    Country,
    Instrument,
    Period,
    PriorityArea,
    ReferenceData,
    Sector,
    Subsector,
)
from twinflow.reference.schema import (
    CountriesFileSchema,
    InstrumentsFileSchema,
    PriorityAreasFileSchema,
    SectorsFileSchema,
)
from twinflow.workflow.errors import DefinitionError
from twinflow.workflow.strict_yaml import load_with_schema, read_yaml_mapping

FILES = {
    "instruments.yaml": InstrumentsFileSchema,
    "sectors.yaml": SectorsFileSchema,
    "countries.yaml": CountriesFileSchema,
    "priority_areas.yaml": PriorityAreasFileSchema,
}


def load_directory(directory: str | Path) -> ReferenceData:
    directory = Path(directory)
    loaded = {}
    for name, schema in FILES.items():
        path = directory / name
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise DefinitionError(str(path), [("", f"cannot be read: {exc.strerror}")]) from None
        raw = read_yaml_mapping(text, str(path), f"kind: {name.removesuffix('.yaml')}")
        loaded[name] = (str(path), load_with_schema(schema(), raw, str(path)))
    countries = _countries(*loaded["countries.yaml"])
    return ReferenceData(
        instruments=_instruments(*loaded["instruments.yaml"]),
        sectors=_sectors(*loaded["sectors.yaml"]),
        countries=countries[0],
        aliases=countries[1],
        member_states=countries[2],
        beneficiaries=countries[3],
        priority_areas=_priority_areas(*loaded["priority_areas.yaml"]),
        files=tuple(source for source, _ in loaded.values()),
    )


def _check(source: str, problems: list[tuple[str, str]]) -> None:
    if problems:
        raise DefinitionError(source, problems)


def _period(item: dict, where: str, problems: list) -> Period:
    period = Period(item.get("start"), item.get("until"))
    if period.start and period.until and period.until < period.start:
        problems.append((f"{where}.until", "is before 'from'"))
    return period


def _instruments(source: str, data: dict) -> dict[str, Instrument]:
    out: dict[str, Instrument] = {}
    spellings: dict[str, str] = {}
    problems: list[tuple[str, str]] = []
    for i, item in enumerate(data["instruments"]):
        where = f"instruments[{i}]"
        if item["code"] in out:
            problems.append((f"{where}.code", f"duplicate instrument {item['code']!r}"))
        for k, spelling in enumerate([item["code"], *item["aliases"]]):
            key = "".join(ch for ch in spelling.upper() if ch.isalnum())
            if spellings.get(key, item["code"]) != item["code"]:
                path = f"{where}.aliases[{k - 1}]" if k else f"{where}.code"
                problems.append((path, f"{spelling!r} already names {spellings[key]!r}"))
            spellings[key] = item["code"]
        out[item["code"]] = Instrument(
            code=item["code"],
            titles=item["title"],
            period=_period(item, where, problems),
            new_projects=item["new_projects"],
            aliases=tuple(item["aliases"]),
        )
    _check(source, problems)
    return out


def _sectors(source: str, data: dict) -> dict[str, Sector]:
    out: dict[str, Sector] = {}
    problems = []
    for i, item in enumerate(data["sectors"]):
        if item["code"] in out:
            problems.append((f"sectors[{i}].code", f"duplicate sector {item['code']!r}"))
        out[item["code"]] = Sector(item["code"], item["label"], item["new_projects"])
    _check(source, problems)
    return out


def _iso_name(iso: str) -> str | None:
    found = pycountry.countries.get(alpha_2=iso)
    if found is None:
        return None
    return getattr(found, "common_name", None) or found.name


def _countries(source: str, data: dict):
    problems: list[tuple[str, str]] = []
    countries: dict[str, Country] = {}
    for entry in pycountry.countries:
        countries[entry.alpha_2] = Country(entry.alpha_2, _iso_name(entry.alpha_2), entry.alpha_2)
    for code, item in data["eu_codes"].items():
        iso = item["iso"]
        name = item["name"] or (_iso_name(iso) if iso else None)
        if iso and _iso_name(iso) is None:
            problems.append((f"eu_codes.{code}.iso", f"{iso!r} is not an ISO 3166-1 code"))
        elif name is None:
            problems.append((f"eu_codes.{code}", "needs an 'iso' code or a 'name'"))
        else:
            countries[code] = Country(code, name, iso)
            if iso and iso != code:
                countries.pop(iso, None)  # written only one way: the EU's (GR is read as EL)
    aliases = dict(data["aliases"])
    for alias, code in aliases.items():
        if code not in countries:
            problems.append((f"aliases.{alias}", f"{code!r} is not a known country code"))
    for code, name in data["names"].items():
        if code not in countries:
            problems.append((f"names.{code}", f"{code!r} is not a known country code"))
        else:
            countries[code] = Country(code, name, countries[code].iso)
    member_states: dict[str, Period] = {}
    for i, item in enumerate(data["member_states"]):
        where = f"member_states[{i}]"
        if item["code"] not in countries:
            problems.append((f"{where}.code", f"{item['code']!r} is not a known country code"))
        if item["code"] in member_states:
            problems.append((f"{where}.code", f"duplicate Member State {item['code']!r}"))
        member_states[item["code"]] = _period(item, where, problems)
    beneficiaries: dict[str, Beneficiary] = {}
    for i, item in enumerate(data["beneficiaries"]):
        where = f"beneficiaries[{i}]"
        if item["code"] not in countries:
            problems.append((f"{where}.code", f"{item['code']!r} is not a known country code"))
        if item["code"] in beneficiaries:
            problems.append((f"{where}.code", f"duplicate beneficiary {item['code']!r}"))
        beneficiaries[item["code"]] = Beneficiary(item["code"], item["region"], item["until"])
    _check(source, problems)
    return countries, aliases, member_states, beneficiaries


def _priority_areas(source: str, data: dict) -> dict[str, PriorityArea]:
    out: dict[str, PriorityArea] = {}
    problems: list[tuple[str, str]] = []
    for i, item in enumerate(data["priority_areas"]):
        where = f"priority_areas[{i}]"
        if item["code"] in out:
            problems.append((f"{where}.code", f"duplicate priority area {item['code']!r}"))
        codes = [s["code"] for s in item["subsectors"]]
        for k, code in enumerate(codes):
            if codes.index(code) != k:
                problems.append((f"{where}.subsectors[{k}].code", f"duplicate {code!r}"))
        out[item["code"]] = PriorityArea(
            code=item["code"],
            labels=item["label"],
            period=_period(item, where, problems),
            subsectors=tuple(Subsector(s["code"], s["label"]) for s in item["subsectors"]),
        )
    _check(source, problems)
    return out
