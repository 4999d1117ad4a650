"""A definition as it applies under a project's management mode. A transition with
`endorsement: {by: delegation, under: [indirect]}` becomes, under indirect management, a
sign-off whose first consent is the endorser's (the EU Delegation's prior approval) followed
by the parties the file names; under any other mode it stays as written."""

from dataclasses import replace

from twinflow.workflow.definition import Definition, TransitionSpec

# (version, mode) -> the adapted definition; versions are content hashes, so never stale.
_ADAPTED: dict[tuple[str, str], Definition] = {}
_AS_WRITTEN = object()  # in _ADAPTED: the version has no step endorsed under that mode


def endorsed(spec: TransitionSpec, mode: str) -> TransitionSpec:
    if spec.endorsed_by is None or mode not in spec.endorsed_under:
        return spec
    return replace(
        spec,
        signoff=(spec.endorsed_by, *spec.parties),
        allowed=(),
        needs=None if spec.needs is None else spec.needs + 1,
        endorser=spec.endorsed_by,
    )


def under(definition: Definition, mode: str | None) -> Definition:
    """The definition whose steps are those that apply under `mode` (direct by default)."""
    mode = mode or "direct"
    key = (definition.version, mode)
    adapted = _ADAPTED.get(key)
    if adapted is None:
        if not any(mode in t.endorsed_under for t in definition.transitions):
            adapted = _ADAPTED[key] = _AS_WRITTEN  # known: nothing to adapt (no scan again)
        else:
            adapted = _ADAPTED[key] = replace(
                definition, transitions=tuple(endorsed(t, mode) for t in definition.transitions)
            )
    return definition if adapted is _AS_WRITTEN else adapted
