"""The lifecycle diagram as mermaid text, for the API and the project page."""

from transitions.extensions import GraphMachine

from twinflow.workflow.definition import Definition
from twinflow.workflow.registry import machine_spec


class _Model:
    state = None


def mermaid(
    definition: Definition, current: str | None = None, visited: list[str] | None = None
) -> str:
    """A stateDiagram-v2 text; the current state and the states already passed are styled.
    Built only where a diagram is drawn: GraphMachine is far heavier than the shared machine."""
    model = _Model()
    spec = machine_spec(definition)
    if current:
        spec["initial"] = current
    machine = GraphMachine(
        model=model, graph_engine="mermaid", show_conditions=False, title=definition.title, **spec
    )
    text = model.get_graph().draw(None)
    if visited:
        done = [s for s in dict.fromkeys(visited) if s != current and s in definition.states]
        if done:
            text += "\n  classDef visited fill:#dbeafe,stroke:#1d4ed8\n"
            text += "".join(f"  class {s} visited\n" for s in done)
    del machine
    return text
