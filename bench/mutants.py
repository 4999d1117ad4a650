"""Single-point mutants of a Python file, made from its AST and applied to its text.

Our own operators rather than mutmut 3, which skips decorated functions (every guard and effect
is registered by a decorator), or cosmic-ray, which mutates the working tree in place and has no
sampling or coverage-ordered test runs. Each mutant replaces one node's source span, so the
diff of a survivor shows one change and nothing reformatted around it.
"""

import ast
import copy
import difflib
import hashlib
import re
from dataclasses import dataclass

COMPARE_FLIPS = {
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Lt: ast.GtE,
    ast.GtE: ast.Lt,
    ast.Gt: ast.LtE,
    ast.LtE: ast.Gt,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
# Strings that look like names (states, parties, statuses, keys) matter; sentences are messages.
NAME_LIKE = re.compile(r"^[A-Za-z_][\w.:-]{0,39}$")
NO_MUTATE = "pragma: no mutate"
REMOVABLE = (ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Raise, ast.Delete)


@dataclass(frozen=True)
class Mutant:
    id: str
    path: str
    line: int
    end_line: int
    function: str
    operator: str
    start: int  # byte offsets into the file
    end: int
    original: str
    replacement: str

    def apply(self, source: bytes) -> bytes:
        return source[: self.start] + self.replacement.encode() + source[self.end :]

    def diff(self, source: bytes) -> str:
        before = source.decode().splitlines(keepends=True)
        after = self.apply(source).decode().splitlines(keepends=True)
        return "".join(difflib.unified_diff(before, after, f"a/{self.path}", f"b/{self.path}", n=2))

    def summary(self) -> dict:
        return {
            "id": self.id,
            "where": f"{self.path}:{self.line}",
            "function": self.function,
            "operator": self.operator,
            "original": self.original,
            "replacement": self.replacement,
        }


class _Collector(ast.NodeVisitor):
    def __init__(self, path: str, source: bytes):
        self.path, self.source = path, source
        self.line_starts = [0]
        for line in source.splitlines(keepends=True):
            self.line_starts.append(self.line_starts[-1] + len(line))
        self.skip_lines = {
            n for n, line in enumerate(source.decode().splitlines(), 1) if NO_MUTATE in line
        }
        self.scope: list[str] = []
        self.kinds: list[str] = []
        self.found: list[tuple] = []

    # -- positions -------------------------------------------------------------------------

    def _span(self, node) -> tuple[int, int]:
        start = self.line_starts[node.lineno - 1] + node.col_offset
        end = self.line_starts[node.end_lineno - 1] + node.end_col_offset
        return start, end

    def _add(self, node, operator: str, replacement: str, span_of=None) -> None:
        target = span_of or node
        if self.skip_lines & set(range(target.lineno, target.end_lineno + 1)):
            return
        start, end = self._span(target)
        original = self.source[start:end].decode()
        if replacement != original:
            where = ".".join(self.scope) or "<module>"
            self.found.append((target, where, operator, start, end, original, replacement))

    def _text(self, node) -> str:
        start, end = self._span(node)
        return self.source[start:end].decode()

    # -- scopes and what is never mutated ----------------------------------------------

    def _visit_body(self, node, kind: str):
        if kind != "module":
            self.scope.append(node.name)
        self.kinds.append(kind)
        body = node.body
        if body and _is_docstring(body[0]):
            body = body[1:]
        for child in body:
            self.visit(child)
        self.kinds.pop()
        if kind != "module":
            self.scope.pop()

    def visit_Module(self, node):
        self._visit_body(node, "module")

    def visit_FunctionDef(self, node):  # decorators, annotations and defaults left alone
        self._visit_body(node, "function")

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node):
        self._visit_body(node, "class")

    def visit_Import(self, node):
        pass

    visit_ImportFrom = visit_Import

    def visit_AnnAssign(self, node):
        if node.value is not None:
            self._remove(node)
            self.visit(node.value)

    def visit_If(self, node):
        if isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            return
        self._negate(node.test)
        self.generic_visit(node)

    # -- operators ---------------------------------------------------------------------

    def _in_function(self) -> bool:
        return bool(self.kinds) and self.kinds[-1] == "function"

    def _remove(self, node):
        if self._in_function() and not _is_docstring(node):
            self._add(node, "remove_statement", "pass")

    def _negate(self, test):
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            self._add(test, "negate_condition", self._text(test.operand))
        else:
            self._add(test, "negate_condition", f"not ({self._text(test)})")

    def generic_visit(self, node):
        if isinstance(node, REMOVABLE) and not isinstance(node, ast.AnnAssign):
            self._remove(node)
        super().generic_visit(node)

    def visit_While(self, node):
        self._negate(node.test)
        self.generic_visit(node)

    def visit_IfExp(self, node):
        self._negate(node.test)
        self.generic_visit(node)

    def visit_comprehension(self, node):
        for test in node.ifs:
            self._negate(test)
        self.generic_visit(node)

    def visit_Return(self, node):
        value = node.value
        if value is not None and not (isinstance(value, ast.Constant) and value.value is None):
            self._add(value, "return_none", "None")
        self.generic_visit(node)

    def visit_Compare(self, node):
        for i, op in enumerate(node.ops):
            flipped = COMPARE_FLIPS.get(type(op))
            if flipped:
                mutated = copy.deepcopy(node)
                mutated.ops[i] = flipped()
                self._add(node, "flip_comparison", ast.unparse(mutated))
        self.generic_visit(node)

    def visit_BoolOp(self, node):
        mutated = copy.deepcopy(node)
        mutated.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        self._add(node, "swap_and_or", ast.unparse(mutated))
        self.generic_visit(node)

    def visit_BinOp(self, node):
        swap = {ast.Add: ast.Sub, ast.Sub: ast.Add}.get(type(node.op))
        strings = any(
            isinstance(side, ast.Constant | ast.JoinedStr)
            and isinstance(getattr(side, "value", ""), str)
            for side in (node.left, node.right)
        )
        if swap and not strings:
            mutated = copy.deepcopy(node)
            mutated.op = swap()
            self._add(node, "swap_arithmetic", ast.unparse(mutated))
        self.generic_visit(node)

    def visit_Constant(self, node):
        value = node.value
        if isinstance(value, bool):
            self._add(node, "change_constant", repr(not value))
        elif isinstance(value, int):
            self._add(node, "change_constant", repr(value + 1))
        elif isinstance(value, str) and NAME_LIKE.match(value):
            self._add(node, "change_constant", repr(f"XX{value}XX"))

    def visit_JoinedStr(self, node):  # f-string parts are messages
        pass

    def _drop_elements(self, node):
        if len(node.elts) >= 2 and all(isinstance(e, ast.Constant) for e in node.elts):
            for i in range(len(node.elts)):
                mutated = copy.deepcopy(node)
                del mutated.elts[i]
                self._add(node, "drop_element", ast.unparse(mutated))
        self.generic_visit(node)

    visit_Tuple = visit_List = visit_Set = _drop_elements


def _is_docstring(node) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def mutants_of(path: str, source: bytes) -> list[Mutant]:
    """Every mutant of one file, each with an id that survives unrelated edits: it hashes the
    file, the enclosing function, the operator and the text before and after, not the line."""
    collector = _Collector(path, source)
    collector.visit(ast.parse(source, filename=path))
    seen, out = {}, []
    for node, where, operator, start, end, original, replacement in collector.found:
        if (start, end, replacement) in seen:
            continue
        key = f"{path}|{where}|{operator}|{original}|{replacement}"
        occurrence = sum(1 for k in seen.values() if k == key)
        seen[(start, end, replacement)] = key
        digest = hashlib.sha1(f"{key}|{occurrence}".encode()).hexdigest()[:10]
        out.append(
            Mutant(
                digest,
                path,
                node.lineno,
                node.end_lineno,
                where,
                operator,
                start,
                end,
                original,
                replacement,
            )
        )
    return out


def compiles(mutant: Mutant, source: bytes) -> bool:
    try:
        compile(mutant.apply(source), mutant.path, "exec")
    except SyntaxError:
        return False
    return True
