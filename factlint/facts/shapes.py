"""Which way a table runs, read from what its cells are, not from the words of any one note.

- **entity-rows**: one row per thing. The entity column is chosen by its cells: distinct names
  that look like products (a model number, or a name the vocabulary knows), the most specific
  such column (a `Name` column of `H100, H200` beats an `Architecture` column of `Hopper,
  Hopper`), never a numeric column.
- **entity-columns**: things across the header (`| 型号 | RTX 5090 | RTX 5080 |`, `| 指标 | WSE-3 |
  H100 | 差距 |`), attributes down the first column. Recognised by product names in the header,
  first-column labels that are not products, and rows that are more alike than columns (a row
  holds one kind of figure for every product; a column mixes process, clock and memory).
- **key-value**: one value column about one thing named by the heading (`| 参数 | 规格 |`).
- **series**: a year or period per row (`| 年份 | 营收 | 增速 |`).
- **period-columns**: periods across the header (`| | Q1 2024 | Q2 2024 |`, `Three Months Ended`).
- **label-quantity**: each row one configuration of N machines (`| 64 节点 | 512 PFLOPS |`).
- **text**: nothing to read as figures of things (a list in a table, a one-column table).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Callable, Sequence

from factlint.document import Table
from factlint.facts.labels import Label, header_kind, names_a_period, stated_for, year_of_label
from factlint.facts.names import Name, clean, read_name, resolve
from factlint.normalise.quantity import Quantity, unread_number
from factlint.normalise.vocab import Vocabulary, norm_key

NUMERIC = frozenset({"number", "range", "percent", "money", "ratio"})
DISTINCT = 0.8            # share of distinct names a column needs to name one thing per row


@dataclass(frozen=True, slots=True)
class Shape:
    kind: str
    entity_field: int | None = None
    why: str = ""


def signature(q: Quantity) -> str | None:
    """What kind of value a cell holds, for telling which way a table runs."""
    if q.kind == "missing" or not q.raw.strip():
        return None
    if q.kind in NUMERIC and q.status in ("parsed", "unknown-unit"):
        return q.dimension or f"?{q.token or q.unit or ''}"
    if q.kind == "year":
        return "year"
    if q.status == "unparseable" and unread_number(q.reason) == "number":
        return "?number"      # `1e309 PFLOPS`: a figure that could not be read is still a figure
    return "text"


def _homogeneity(lines: Sequence[Sequence[str | None]]) -> float:
    """How alike the cells of each line are: the modal kind's share, weighted by cells."""
    same = total = 0
    for line in lines:
        kinds = [k for k in line if k is not None]
        if len(kinds) < 2:
            continue
        same += Counter(kinds).most_common(1)[0][1]
        total += len(kinds)
    return same / total if total else 0.0


def is_product(name: Name, label: Label, vocab: Vocabulary) -> bool:
    """A header or cell that names a product: a model number that is not an attribute label
    (`FP16 Tensor`, `CUDA核心数` are labels), or a name the vocabulary knows."""
    if resolve(name, vocab) is not None:
        return True
    if label.attribute is not None or label.unit is not None or label.total:
        return False
    if name.product_like:
        return not label.qualifiers or bool(name.variant)
    entity = vocab.match_entity(name.text) if name.text else None
    return entity is not None and norm_key(entity.id) in norm_key(name.text)


def _share(items: Sequence, test: Callable) -> float:
    items = [i for i in items if i]
    return sum(1 for i in items if test(i)) / len(items) if items else 0.0


def classify(table: Table, header_labels: list[Label], bare: list[list[Quantity]],
             vocab: Vocabulary, node_label: Callable[[str], bool]) -> Shape:
    """The table's shape (see the module doc), from its header, its labels and its cells."""
    width = len(table.header)
    rows = [r for r in table.rows if r.cells]
    if width < 2 or not rows:
        return Shape("text", why="one column or no rows")
    labels = [clean(r.cells[0].text) for r in rows]
    if _most(labels, node_label):
        return Shape("label-quantity", why="row labels are node counts")
    first = header_labels[0]
    first_dimension = first.attribute.dimension if first.attribute else None
    years = _share([g[0] for g in bare if g], lambda q: q.kind in ("year", "date"))
    if first_dimension in ("year", "date") or (years >= 0.6 and len(rows) >= 2):
        return Shape("series", 0, why="a year or period in each row")
    candidates = [c for c in range(1, width)
                  if header_kind(header_labels[c].text) not in ("note", "link")
                  and not header_labels[c].total and not _is_ratio(header_labels[c])]
    if sum(1 for c in candidates if names_a_period(header_labels[c].text)
           or year_of_label(header_labels[c].text)) >= max(2, len(candidates) // 2 + 1):
        return Shape("period-columns", why="periods across the header")
    # Each signal is read only when a decision needs it: most tables are entity-rows and are told
    # by their header alone (attribute names, no products across it).
    from factlint.facts.labels import read_label

    memo: dict[str, float] = {}

    def signal(name: str, compute: Callable[[], float]) -> float:
        if name not in memo:
            memo[name] = compute()
        return memo[name]

    def products() -> float:
        return signal("products", lambda: _share(
            [(read_name(table.header[c].text), header_labels[c]) for c in candidates],
            lambda pair: is_product(pair[0], pair[1], vocab)))

    def label_products() -> float:
        return signal("label_products", lambda: _share(
            labels, lambda t: read_name(t).product_like or resolve(read_name(t), vocab) is not None))

    def label_attributes() -> float:
        return signal("label_attributes", lambda: _share(
            labels, lambda t: _names_attribute(read_label(t, vocab))))

    def alike() -> tuple[float, float]:
        if "rows_alike" not in memo:
            kinds = [[signature(q) for q in g[:width]] for g in bare]
            memo["rows_alike"] = _homogeneity([k[1:] for k in kinds])
            memo["cols_alike"] = _homogeneity([[k[c] if c < len(k) else None for k in kinds]
                                               for c in range(1, width)])
        return memo["rows_alike"], memo["cols_alike"]

    if candidates and products() >= 0.5 and label_products() < 0.5 \
            and (label_attributes() >= 0.4 or alike()[0] >= alike()[1]):
        rows_alike, cols_alike = alike()
        return Shape("entity-columns", why=f"products across the header ({products():.0%}); rows "
                                             f"{rows_alike:.0%} alike, columns {cols_alike:.0%}")
    if not candidates and label_attributes() >= 0.5 and label_products() < 0.5:
        return Shape("key-value", why="attribute labels and only notes beside them")
    if len(candidates) == 1 and header_kind(header_labels[candidates[0]].text) == "value":
        return Shape("key-value", why="one value column under a value header")
    if len(candidates) == 1 and label_products() < 0.5 and label_attributes() >= 0.5:
        return Shape("key-value", why="attribute labels and one value column")
    if len(candidates) >= 2 and label_products() < 0.5 and label_attributes() >= 0.5 \
            and all(stated_for(header_labels[c].text, vocab) is not None for c in candidates):
        return Shape("key-value", why="attribute labels; value columns stated per node and for a "
                                      "number of nodes")
    entity = _entity_column(table, header_labels, bare, vocab)
    if entity is None:
        if label_attributes() >= 0.5 and alike()[0] > alike()[1]:
            return Shape("key-value", why="attribute labels, values of one thing per row")
        return Shape("text", why="no column names the rows' things")
    return Shape("entity-rows", entity, why=f"column {entity + 1} names each row's thing")


def _names_attribute(label: Label) -> bool:
    return label.attribute is not None or label.unit is not None or bool(label.qualifiers)


def _is_ratio(label: Label) -> bool:
    return label.attribute is not None and label.attribute.name == "ratio"


def _most(labels: Sequence[str], test: Callable[[str], bool]) -> bool:
    """At least half the (non-empty) labels pass; stops as soon as the answer is known (a
    100,000-row table would otherwise parse every label)."""
    labels = [t for t in labels if t]
    needed, left, hits = (len(labels) + 1) // 2, len(labels), 0
    for label in labels:
        if hits >= needed or hits + left < needed:
            break
        hits += 1 if test(label) else 0
        left -= 1
    return bool(labels) and hits >= needed


def _entity_column(table: Table, header_labels: list[Label], bare: list[list[Quantity]],
                   vocab: Vocabulary) -> int | None:
    """The column that names each row's thing: mostly text, names that look like products,
    distinct from row to row; among equals, the leftmost."""
    best: tuple | None = None
    for c, label in enumerate(header_labels):
        if header_kind(label.text) in ("note", "link"):
            continue
        texts = [clean(r.cells[c].text) for r in table.rows if c < len(r.cells)]
        kinds = [signature(g[c]) for g in bare if c < len(g)]
        filled = [t for t, k in zip(texts, kinds) if k is not None]
        if not filled or sum(1 for k in kinds if k == "text") < 0.6 * len(filled):
            continue
        names = [read_name(t) for t in filled]
        products = sum(1 for n in names if n.product_like or resolve(n, vocab) is not None) / len(filled)
        distinct = len({n.key or norm_key(n.text) for n in names}) / len(filled)
        score = (products >= 0.5 and distinct >= 0.5, distinct >= DISTINCT, products, distinct, -c)
        if best is None or score > best[0]:
            best = (score, c)
    return best[1] if best is not None else None
