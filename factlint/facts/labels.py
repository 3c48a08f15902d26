"""What a header or row label says about the cells under it: attribute, unit, qualifiers, scope.

`FP16 Tensor Core(TFLOPS)* (FP16累计)` is compute (the attribute), in TFLOPS (the unit), for FP16
on tensor cores with FP16 accumulation, in the starred variant (qualifiers). `CUDA Cores / 节点`
is a core count of CUDA cores, per node (scope). `Memory BW` is a bandwidth, not a memory size.
Two cells state the same fact only when their labels agree on all of this, so the reading keeps
every qualifier a label carries instead of collapsing them into one attribute.

Qualifier tokens (a frozenset, compared as a whole):
- number formats: fp64 fp32 tf32 bf16 fp16 fp8 fp6 fp4 int8 int4 (`BFLOAT16` = bf16, `双精度` = fp64);
- execution: tensor (`Tensor`, `张量`, `Matrix`), vector (`non-tensor`, `vector`);
- sparsity: sparse (`sparse`, `with sparsity`, `稀疏`), dense (`dense`, `稠密`), star (a trailing
  `*`, which notes use for "with sparsity" or another footnoted basis);
- accumulation: acc-fp16 / acc-fp32 (`FP16累计`, `FP32 accumulate`);
- core kind: cuda, rt (tensor cores carry `tensor`);
- direction: bidirectional, unidirectional; clock: boost, base; workload: training, inference.
Scope: node, gpu, chip, card, sm, core, socket, link, system, total, or "" (the thing itself).
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from factlint.normalise.vocab import Attribute, Vocabulary, norm_key

# ---- qualifiers -----------------------------------------------------------------------------------

_PRECISION = re.compile(r"(?<![a-z0-9])(fp|int|tf|bf|mxfp)\s?(64|32|16|8|6|4)(?![0-9])")
_PRECISION_WORDS = (
    (re.compile(r"bfloat\s?16|brain\s?float"), "bf16"),
    (re.compile(r"double[\s-]precision|双精度"), "fp64"),
    (re.compile(r"single[\s-]precision|单精度"), "fp32"),
    (re.compile(r"half[\s-]precision|半精度"), "fp16"),
)
_ACCUMULATE = re.compile(r"(fp16|fp32)\s*(?:累计|累積|累加|accumulat\w*|acc\b)")
# English words match whole words only: `TensorFlow` is no tensor, `condensed` not dense.
_WORD_QUALIFIERS = (
    (re.compile(r"(?<![a-z])(?:non[\s-]?tensor|vector)(?![a-z])|向量|非张量"), "vector"),
    (re.compile(r"(?<![a-z])(?<!non)(?<!non-)(?<!non )tensor(?:\s?cores?)?(?![a-z])|张量|(?<![a-z])matrix(?![a-z])"),
     "tensor"),
    (re.compile(r"(?<![a-z])(?:sparse|sparsity)(?![a-z])|稀疏"), "sparse"),
    (re.compile(r"(?<![a-z])dense(?![a-z])|稠密"), "dense"),
    (re.compile(r"(?<![a-z])cuda(?![a-z])|stream processors?|流处理器"), "cuda"),
    (re.compile(r"(?<![a-z])cpus?(?![a-z])|处理器"), "cpu"),
    (re.compile(r"(?<![a-z])rt(?![a-z])|ray[\s-]?tracing|光追"), "rt"),
    (re.compile(r"(?<![a-z])bi[\s-]?directional(?![a-z])|双向"), "bidirectional"),
    (re.compile(r"(?<![a-z])(?:uni[\s-]?directional|one[\s-]way)(?![a-z])|单向"), "unidirectional"),
    (re.compile(r"(?<![a-z])boost(?![a-z])|加速频率|睿频"), "boost"),
    (re.compile(r"(?<![a-z])base(?![a-z])|基础频率|基频"), "base"),
    (re.compile(r"(?<![a-z])training(?![a-z])|训练"), "training"),
    (re.compile(r"(?<![a-z])inference(?![a-z])|推理"), "inference"),
)
# A footnote star right after a word or a closing parenthesis: `FP16 Tensor Core(TFLOPS)*`.
_STAR = re.compile(r"[\w)）]\s*\*(?!\*)")

# ---- scope ---------------------------------------------------------------------------------------

_SCOPE_WORDS = {
    "node": ("node", "节点", "server", "服务器", "机", "台"),
    "gpu": ("gpu", "card", "卡", "accelerator", "加速卡", "显卡"),
    "chip": ("chip", "芯片", "die", "package"),
    "sm": ("sm", "cu", "sms"),
    "core": ("core", "核"),
    "socket": ("socket", "cpu", "路"),
    "link": ("link", "链路", "lane"),
    "system": ("system", "系统", "box", "rack", "机柜"),
}
_SCOPE_INDEX = {norm_key(w): scope for scope, words in _SCOPE_WORDS.items() for w in words}
# "per node", "each GPU", "/ 节点", "每节点", "单节点", "(每SM)"
_PER = re.compile(r"(?:(?<![a-z])(?:per|each|every|single|one)[\s_-]*|[/每单])\s*([a-z]+|[\u4e00-\u9fff]{1,3})",
                  re.IGNORECASE)
_EACH_ALONE = re.compile(r"(?<![a-z])each$|^each(?![a-z])")
_TOTAL_WORDS = re.compile(r"(?<![a-z])(total|aggregate|overall|combined|sum)(?![a-z])|总(?![线结])|合计|集群|整机")

TOTAL_LABELS = frozenset(norm_key(s) for s in (
    "合计", "总计", "总和", "共计", "总数", "全部", "总体", "整体", "汇总",
    "total", "totals", "sum", "grand total", "overall", "all", "in total"))
OTHER_LABELS = ("其他", "其它", "其余", "other", "others", "rest", "remaining", "misc")
# Headers of notes/description columns: their cells describe, they state no figure of their own.
NOTE_HEADERS = frozenset(norm_key(s) for s in (
    "说明", "备注", "注释", "描述", "特点", "notes", "note", "remarks", "comment", "comments",
    "description", "details", "trade-offs", "tradeoffs", "best for", "用途", "purpose"))
# Headers of a key/value table's value column: never an entity ("| Spec | Value |").
VALUE_HEADERS = frozenset(norm_key(s) for s in (
    "规格", "数值", "值", "数据", "参数值", "取值", "value", "values", "spec", "specs",
    "specification", "specifications", "figure", "figures", "amount", "number", "data", "详情",
    "配置", "主要规格", "notable specs", "key specs", "details"))
LINK_HEADERS = frozenset(norm_key(s) for s in (
    "来源", "出处", "source", "sources", "reference", "references", "link", "links", "datasheet",
    "url", "参考", "参考资料"))


@dataclass(frozen=True, slots=True)
class Label:
    """A header or row label, read."""
    text: str                         # as written, markup stripped
    name: str                         # without its unit
    unit: str | None                  # the unit the label gives its cells ("GB", "亿", "TFLOPS")
    attribute: Attribute | None       # the vocabulary attribute it names
    key: str                          # identity of the attribute: its name, or `~` + the label's own words
    qualifiers: frozenset[str]
    scope: str                        # "" = the thing itself; see the module doc
    alternatives: frozenset[str]      # dimensions of every attribute the label could name
    total: bool                       # a total row / column (合计, Total)
    starred: bool
    headed: bool = True               # the attribute is what the label's last words name, not a
                                      # word inside it (`FP16 weights` finds compute only in `FP16`)

    @property
    def per_node(self) -> bool:
        return self.scope in ("node", "system")


def qualifiers_of(text: str) -> frozenset[str]:
    """The qualifier tokens a label or a cell's parenthesis carries (see the module doc)."""
    return _qualifiers(text or "")


@functools.lru_cache(maxsize=16_384)
def _qualifiers(text: str) -> frozenset[str]:
    key = unicodedata.normalize("NFKC", text).casefold()
    found: set[str] = set()
    for m in _PRECISION.finditer(key):
        prefix = "fp" if m.group(1) == "mxfp" else m.group(1)
        found.add(f"{prefix}{m.group(2)}")
    for pattern, token in _PRECISION_WORDS:
        if pattern.search(key):
            found.add(token)
    for m in _ACCUMULATE.finditer(key):
        if key.count(m.group(1)) == 1:      # `(FP32累计)` names the accumulator, not the format
            found.discard(m.group(1))
        found.add(f"acc-{m.group(1)}")
    for pattern, token in _WORD_QUALIFIERS:
        if pattern.search(key):
            found.add(token)
    if "vector" in found:
        found.discard("tensor")
    if _STAR.search(text):
        found.add("star")
    return frozenset(found)


def scope_of(text: str) -> str:
    """The scope a label states: `CUDA Cores / 节点` -> node, `per GPU` -> gpu, `(每SM)` -> sm,
    `Connection each` -> link, `Total Bandwidth` -> total; "" when it states none."""
    return _scope(text or "")


@functools.lru_cache(maxsize=16_384)
def _scope(text: str) -> str:
    key = unicodedata.normalize("NFKC", text).casefold()
    for m in _PER.finditer(key):
        scope = _scope_word(m.group(1))
        if scope:
            return scope
    if _EACH_ALONE.search(key.strip()):
        return "link"
    if _TOTAL_WORDS.search(key):
        return "total"
    return ""


@functools.lru_cache(maxsize=16_384)
def is_total_label(text: str) -> bool:
    key = norm_key(re.split(r"[(（]", text or "")[0])
    return key in TOTAL_LABELS


def is_other_label(text: str) -> bool:
    key = norm_key(text)
    return any(key.startswith(norm_key(o)) for o in OTHER_LABELS)


def header_kind(text: str) -> str:
    """note / value / link for the headers of such columns, else ""."""
    key = norm_key(text)
    if key in NOTE_HEADERS:
        return "note"
    if key in LINK_HEADERS:
        return "link"
    if key in VALUE_HEADERS:
        return "value"
    return ""


# Words that are qualifiers or scope only: the attribute key of `FP16 Tensor Core (TFLOPS)` is
# the same whatever precision it names (the qualifiers say which).
_KEY_NOISE = re.compile(r"[*()（）\[\]【】,，:：]|\bper\b|\beach\b|每|单")


def read_label(text: str, vocab: Vocabulary) -> Label:
    """Read a header or label. Pure given the vocabulary, so read once per text (notes repeat
    their labels)."""
    text = (text or "").strip()
    return vocab.memo(("label", text), lambda: _read_label(text, vocab))


_GROUP = re.compile(r"[(（]\s*([^()（）]+?)\s*[)）]")


def _unit_anywhere(text: str) -> tuple[str, str | None]:
    """A unit in a parenthesis that is not the label's last (`FP16 Tensor Core(TFLOPS)* (FP16累计)`):
    (the label without it, the unit)."""
    from factlint.normalise.quantity import is_unit_text

    for m in _GROUP.finditer(text):
        if is_unit_text(m.group(1)):
            return (text[:m.start()] + " " + text[m.end():]).strip(), m.group(1)
    return text, None


def _read_label(text: str, vocab: Vocabulary) -> Label:
    from factlint.normalise.quantity import split_header_unit

    name, unit = split_header_unit(text.rstrip("*").rstrip())   # `FP16 (TFLOPS)*`: a footnote star
    if unit is None:
        name, unit = _unit_anywhere(text)
    unit, scope_from_unit = _unit_and_scope(text, name, unit)
    # The attribute is named without its scope: `Links per GPU` counts links, not GPUs.
    bare = _PER.sub(_without_scope, name).strip() or name
    attribute = vocab.match_attribute(bare) if bare else None
    if attribute is None and name not in (text, bare):
        attribute = vocab.match_attribute(name)
    head = _head_attribute(bare, vocab)
    if head is not None and (attribute is None or head.dimension != attribute.dimension):
        attribute = head          # `Compute cost` is a cost, `显存带宽` a bandwidth: the last noun decides
    qualifiers = qualifiers_of(text)
    scope = scope_from_unit or scope_of(text)
    key = attribute.name if attribute is not None else "~" + norm_key(_KEY_NOISE.sub(" ", bare))
    headed = attribute is None or head is not None or vocab.attribute_named(bare) is not None \
        or vocab.attribute_named(_strip_parentheses(bare).strip()) is not None
    return Label(text, name, unit, attribute, key, qualifiers, scope,
                 _alternatives(text, vocab), is_total_label(text), "star" in qualifiers, headed)


_HEAD_WORDS = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+#-]*|[\u3400-\u9fff]+")


def _scope_word(word: str) -> str:
    word = norm_key(word)
    for size in range(len(word), 0, -1):       # 节点数 -> 节点, gpus -> gpu
        scope = _SCOPE_INDEX.get(word[:size])
        if scope is not None:
            return scope
    return ""


def _without_scope(m: re.Match) -> str:
    """A `per node` / `/ 节点` phrase taken out of a label; any other `/ x` stays. Chinese runs
    on without a space: of `每节点显存` only `节点` is the scope, and `显存` stays the attribute."""
    word = m.group(1)
    if not _scope_word(word):
        return m.group(0)
    if word.isascii():
        return " "
    size = next(n for n in range(len(word), 0, -1) if _SCOPE_INDEX.get(norm_key(word[:n])))
    return " " + word[size:]


def _head_attribute(name: str, vocab: Vocabulary) -> Attribute | None:
    """The attribute the label's last words name exactly (the head of a compound: `compute cost`
    -> cost, `HBM 带宽` -> 带宽), the longest such ending first."""
    words = _HEAD_WORDS.findall(_strip_parentheses(name))
    for i in range(len(words)):
        tail = words[i:]
        attribute = vocab.attribute_named(" ".join(tail))
        if attribute is not None:
            return attribute
    last = words[-1] if words else ""
    if last and "\u3400" <= last[0] <= "\u9fff":
        for i in range(1, len(last) - 1):           # 显存带宽 -> 存带宽 -> 带宽
            attribute = vocab.attribute_named(last[i:])
            if attribute is not None:
                return attribute
    return None


def _strip_parentheses(text: str) -> str:
    return re.sub(r"[（(\[【].*?[)）\]】]", " ", text)


# `FP64 (TFLOPS / 节点)`, `显存 (GB/卡)`: a unit and a scope in one parenthesis.
_UNIT_PER = re.compile(r"[(（]\s*([A-Za-z$¥€%/²]+?)\s*/\s*([^()（）]+?)\s*[)）]")


def _unit_and_scope(text: str, name: str, unit: str | None) -> tuple[str | None, str]:
    """The header's unit without a per-part, and the scope that per-part names: `GPU 数 / 节点` is
    a GPU count per node (no unit), `FP64 (TFLOPS / 节点)` is TFLOPS per node."""
    if unit is not None:
        scope = _SCOPE_INDEX.get(norm_key(unit))
        if scope is not None and _scope_word(name.split()[0] if name.split() else name) == scope:
            return None, ""                         # `SM(CU)数`: the part's other name, not a per-part
        if scope is not None:                       # `GPU 数 / 节点`: "节点" was no unit
            return None, scope
    m = _UNIT_PER.search(text)
    if m:
        from factlint.normalise.units import lookup_unit

        scope = scope_of("/" + m.group(2))
        if scope and lookup_unit(m.group(1)) is not None:
            return m.group(1), scope
    return unit, ""


@functools.lru_cache(maxsize=8192)
def _alternative_words(text: str) -> tuple[str, ...]:
    """The parts of a label that names two things (`Memory / Bandwidth`, `内存、带宽`)."""
    return tuple(w.strip() for w in re.split(r"\s*(?:/|\||,|，|、|&|\band\b|及|和)\s*", text) if w.strip())


def _alternatives(text: str, vocab: Vocabulary) -> frozenset[str]:
    """Dimensions of every attribute any word of the label names (`Memory BW`: information and
    bandwidth), so a rule can tell a clear mismatch from a label that names two things."""
    dims = set()
    parts = _alternative_words(text)
    for word in (text, *(parts if len(parts) > 1 else ())):
        attribute = vocab.match_attribute(word)
        if attribute is not None:
            dims.add(attribute.dimension)
    if re.search(r"(?<![a-z])bw(?![a-z])|/s\b|带宽|速率|bandwidth", text, re.IGNORECASE):
        dims.add("bandwidth")
    return frozenset(dims)


# ---- periods -------------------------------------------------------------------------------------

# A year inside a label or heading: 1990-2049, not glued to a model number (`A2000`, `RTX 2080`).
_YEAR_IN_TEXT = re.compile(r"(?<![A-Za-z0-9])(?:FY|CY)?((?:199|20[0-4])\d)(?!\d)", re.IGNORECASE)
# A two-digit year where a fiscal or quarter mark says it is one: `FY25`, `Q3 FY25`, `3Q24`, `Q3'24`.
_SHORT_YEAR = re.compile(r"(?<![A-Za-z0-9])(?:FY|CY)\s?'?(\d\d)(?!\d)|(?<![A-Za-z0-9])[1-4][QH]\s?'?(\d\d)(?!\d)"
                         r"|(?<![A-Za-z0-9])[QH][1-4]\s?'(\d\d)(?!\d)", re.IGNORECASE)
_QUARTERS = {"一": "1", "二": "2", "三": "3", "四": "4"}
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_SUB_PERIODS = (
    (re.compile(r"(?<![a-z])q([1-4])(?![0-9])|(?<![0-9])([1-4])q(?:(?![0-9])|(?='?\d\d(?!\d)))"), lambda m: f"Q{m.group(1) or m.group(2)}"),
    (re.compile(r"第?([一二三四1-4])季度"), lambda m: f"Q{_QUARTERS.get(m.group(1), m.group(1))}"),
    (re.compile(r"(?<![a-z])h([12])(?![0-9])|(?<![0-9])([12])h(?:(?![0-9])|(?='?\d\d(?!\d)))"), lambda m: f"H{m.group(1) or m.group(2)}"),
    (re.compile(r"([上下])半年"), lambda m: "H1" if m.group(1) == "上" else "H2"),
    (re.compile(r"(?:19|20)\d\d[-/.年](0?[1-9]|1[0-2])(?:月|(?![0-9]))"), lambda m: f"M{int(m.group(1)):02d}"),
    (re.compile(r"(?<![a-z])(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?![a-z])"),
     lambda m: f"M{_MONTHS.index(m.group(1)) + 1:02d}"),
)
_YEAR_LABEL = re.compile(r"^(?:FY|CY)?\s*((?:19|20)\d{2})\s*(?:年|E|F|A|\(E\)|（E）|（预测）|\(预测\))?$",
                         re.IGNORECASE)
# Words of a period that is not a calendar year or quarter: a series of such columns is of periods.
_PERIOD_WORDS = re.compile(r"months? ended|weeks? ended|year ended|quarter|fiscal|季度|年度|月份"
                           r"|^\s*(?:q[1-4]|h[12]|[1-4]q|[1-4]h)\s*$|^\s*(?:fy|cy)\s?\d{2}\b", re.IGNORECASE)


@functools.lru_cache(maxsize=8192)
def period_named(label: str) -> str | None:
    """The one period a header or label names: `2024 share` -> 2024, `Q3 2024` -> 2024Q3,
    `2024 上半年` -> 2024H1, `2024-03` -> 2024M03; None for no year or several."""
    found = set(_YEAR_IN_TEXT.findall(label)) if label else set()
    if not found and label:
        found = {f"20{m.group(1) or m.group(2) or m.group(3)}" for m in _SHORT_YEAR.finditer(label)}
    if len(found) != 1:
        return None
    year = found.pop()
    key = unicodedata.normalize("NFKC", label).casefold()
    for pattern, name in _SUB_PERIODS:
        match = pattern.search(key)
        if match:
            return f"{year}{name(match)}"
    return year


@functools.lru_cache(maxsize=1024)
def heading_period(heading_path: str) -> str | None:
    """The period of the innermost heading that names one (`2025 年业绩`, `FY2024 results`);
    a heading with a span of years names none. The outermost heading of a nested path is the
    note's title, whose year is when it was written, so it is not read."""
    headings = heading_path.split(" › ")
    for heading in reversed(headings[1:] if len(headings) > 1 else headings):
        if _YEAR_IN_TEXT.search(heading):
            return period_named(heading)
    return None


@functools.lru_cache(maxsize=4096)
def year_of_label(text: str) -> int | None:
    """The year a header *is* (`2025`, `FY2024`, `2026E`): a column of a year-by-column table."""
    match = _YEAR_LABEL.match(text.strip().strip("*")) if text else None
    return int(match.group(1)) if match else None


def names_a_period(text: str) -> bool:
    """A header that names a period (`Three Months Ended`, `FY2024`, `2024 Q1`, `季度`)."""
    return bool(text) and (period_named(text) is not None or _PERIOD_WORDS.search(text) is not None)


# ---- what a column or heading is stated for ---------------------------------------------------

SINGLE_NODE_LABELS = frozenset(norm_key(s) for s in (
    "单节点", "单机", "单系统", "single node", "per node", "one node", "每节点", "单台", "1 node"))

_NODES_IN_TEXT = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)\s*(?:nodes?|节点|台|servers?)(?![a-z])",
                            re.IGNORECASE)


# Names of machines built from chips: a heading `H100 服务器`, `DGX H100`, `8x A100 node` is about
# the machine, not the chip it names.
# (`8x H100` counts chips; `x16` after PCIe counts lanes and is no machine.)
_MACHINE_WORDS = re.compile(r"(?<![a-z0-9])(?:dgx|hgx|superpod|nvl\d+|cluster|pod)(?![a-z])|(?<![a-z0-9])\d+\s*[x×]\s*[a-z]"
                            r"|集群", re.IGNORECASE)


def names_a_machine(text: str) -> bool:
    """The text names a node, server, system, rack or cluster (`H100 服务器配置`, `DGX H100`,
    `8x H100 node`, `GB200 NVL72`), so a chip it also names is a part of what it describes."""
    if not text:
        return False
    key = unicodedata.normalize("NFKC", text).casefold()
    return bool(_MACHINE_WORDS.search(key)) or \
        any(_scope_word(w) in ("node", "system") for w in _HEAD_WORDS.findall(key))


def stated_for(text: str, vocab: Vocabulary) -> str | float | None:
    """What a column header or heading says its figures are stated for: "node" (`Per node`,
    `单节点`), a number of nodes (`Total (128 nodes)`, `集群（64 节点）`), or None."""
    if not text:
        return None
    counts = {float(m.group(1).replace(",", "")) for m in _NODES_IN_TEXT.finditer(text)}
    if len(counts) == 1:
        return counts.pop()
    if counts:
        return None                         # `16-64 nodes`, `8 or 16 nodes`: no one count
    if norm_key(text) in SINGLE_NODE_LABELS:
        return "node"
    label = read_label(text, vocab)           # `Per node (GPU)`: the scope, and nothing else named
    if label.scope == "node" and norm_key(label.name) in SINGLE_NODE_LABELS:
        return "node"
    return None
