"""Section templates for synthetic notes: each builds one Markdown section (a heading, maybe a
paragraph, one table) in Chinese or English, from a product family's figures, with at most one
error of one rule's kind injected, and says where that error must be reported.

A section never knows its absolute place in the note: it returns its lines and, for each
expected finding, the index of the line inside the section. `generate.py` assembles sections
into notes and turns those indices into source lines.

The families are fictional (their names are in no vocabulary), so reference rules stay silent
on them; the one section about real products (`reference_section`) states only figures that
the reference knowledge base holds, so any finding there comes from an injected error.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

# Every injectable error: rule id -> the sections that can carry it.
INJECTABLE = {
    "unit-spelling": "evolution",
    "generation-trend": "evolution",
    "unparsed-number": "spec",
    "dimension": "spec",
    "cross-table": "spec",
    "ratio-column": "comparison",
    "cluster-total": "scaling",
    "range-order": "cluster",
    "system-chip": "systems",
    "growth-rate": "revenue",
    "sum-total": "shares",
    "status-contradiction": "support",
    "malformed-input": "support",
    "suppression": "shares",
    "reference-mismatch": "reference",
    "attribute-confusion": "reference",
    "undisclosed": "reference",
    "unverified": "reference",
    "forecast": "note",          # the note's own date, not one section
}


@dataclass(frozen=True)
class Expect:
    rule: str
    offset: int                  # line index inside the section
    column: str | None           # header label as written (None for row-level findings)


@dataclass
class Section:
    kind: str
    lines: list[str]
    expected: list[Expect] = field(default_factory=list)
    years: list[tuple[int, str, int]] = field(default_factory=list)   # (offset, column, year)
    states: list[tuple[str, str, str]] = field(default_factory=list)  # (entity, attribute, raw): real entities
    forecast_label: bool = False  # the section's heading says it is a forecast/plan


@dataclass(frozen=True)
class Family:
    """One fictional chip family: generations with monotone specs, systems built on them."""
    name: str                    # "KAVO"
    company: str                 # "Kavo Systems"
    chips: tuple[str, ...]       # "KAVO-1", ...
    systems: tuple[str, ...]     # "KS-1", ...
    process: tuple[int, ...]     # nm, strictly decreasing
    transistors: tuple[float, ...]   # billions, increasing
    memory: tuple[int, ...]      # GB on chip, increasing
    compute: tuple[int, ...]     # PFLOPS, increasing
    years: tuple[int, ...]       # increasing, all before the note's year
    cores: tuple[int, ...]
    bandwidth: tuple[int, ...]   # TB/s
    power: tuple[int, ...]       # kW per system
    rival: str                   # a second fictional chip for comparisons
    rival_area: int              # mm²
    rival_transistors: float     # billions
    rival_cores: int

    @property
    def flagship(self) -> int:
        return len(self.chips) - 1


SYLLABLES = ("ka", "vo", "ri", "ne", "lu", "to", "sa", "mi", "ze", "qu", "dra", "pel", "xo", "fen",
             "gar", "bis", "tel", "mor", "yun", "hal")
PROCESS_STEPS = (28, 16, 10, 7, 5, 3, 2)


def make_family(rng: random.Random, note_year: int) -> Family:
    word = "".join(rng.choice(SYLLABLES) for _ in range(2)) + rng.choice("bcdfgkmnprstvz")
    name = word.upper()
    gens = rng.randint(3, 4)
    start = rng.randint(0, len(PROCESS_STEPS) - gens)
    process = PROCESS_STEPS[start:start + gens]
    first_year = note_year - 2 * gens - rng.randint(0, 2)
    years = tuple(first_year + 2 * g for g in range(gens))
    base_t = rng.choice((0.6, 1.2, 2.5, 5.0, 12.0, 24.0))
    transistors = tuple(round(base_t * 2 ** g, 1) for g in range(gens))
    memory_base, compute_base = rng.choice((4, 8, 16, 18, 20)), rng.choice((1, 2, 3, 4))
    cores_base, bandwidth_base = rng.choice((100, 200, 250, 400)), rng.choice((5, 8, 10, 12))
    power_base = rng.choice((10, 12, 15))
    memory = tuple(memory_base * 2 ** g for g in range(gens))
    compute = tuple(compute_base * 2 ** g for g in range(gens))
    cores = tuple(cores_base * 1000 * (g + 1) for g in range(gens))
    bandwidth = tuple(bandwidth_base * 2 ** g for g in range(gens))
    power = tuple(power_base + 5 * g for g in range(gens))
    rival = "".join(rng.choice(SYLLABLES) for _ in range(2)).upper() + f"-{rng.randint(100, 990)}"
    return Family(name, f"{word.capitalize()} Systems",
                  tuple(f"{name}-{g + 1}" for g in range(gens)),
                  tuple(f"{name[0]}S-{g + 1}" if g % 2 else f"{name}-X{g + 1}" for g in range(gens)),
                  process, transistors, memory, compute, years, cores, bandwidth, power,
                  rival, rng.choice((600, 750, 814, 900)), round(rng.uniform(40, 120), 0),
                  rng.choice((8000, 12000, 16896, 20480)))


# ---- formatting ----------------------------------------------------------------------------------

def fmt_transistors(billions: float, rng: random.Random, lang: str) -> str:
    if billions >= 1000 or (billions >= 100 and rng.random() < 0.5):
        t = billions / 1000
        return rng.choice((f"{t:.1f}T", f"{t:g} trillion" if lang == "en" else f"{t:g} 万亿"))
    return rng.choice((f"{billions:g}B", f"{billions:g} billion" if lang == "en" else f"{billions:g}B"))


def fmt_int(n: int, rng: random.Random) -> str:
    return rng.choice((f"{n:,}", f"{n}"))


def fmt_ratio(ratio: float) -> str:
    """How the notes write a ratio column: "12x", "3.75x". Injected wrong ratios use it too, so
    they look like the right ones."""
    return f"{ratio:.0f}x" if ratio >= 10 else f"{ratio:.2f}x"


def bold(text: str, rng_bold: bool) -> str:
    return f"**{text}**" if rng_bold else text


class Style:
    """How one note draws its tables: bold labels, outer pipes, delimiter style."""

    def __init__(self, rng: random.Random):
        self.bold = rng.random() < 0.6
        self.outer = rng.random() < 0.85
        self.delim = rng.choice(("---", ":---", "------", ":---:"))

    def row(self, cells: list[str]) -> str:
        inner = " | ".join(cells)
        return f"| {inner} |" if self.outer else inner

    def table(self, header: list[str], rows: list[list[str]]) -> list[str]:
        delim = [self.delim] * len(header)
        return [self.row(header), self.row(delim)] + [self.row(r) for r in rows]

    def label(self, text: str) -> str:
        return bold(text, self.bold)


TABLE_START = 2   # every section: heading, blank line, then the table (header at offset 2)


def _head(title: str) -> list[str]:
    return [title, ""]


PARAGRAPHS = {
    "zh": ("下表数据来自公开资料与发布会材料，单位已统一；个别数字为四舍五入后的近似值。",
           "表中数字按代际排列，便于比较制程、晶体管规模与片上存储的变化趋势。",
           "说明：集群数字为理论峰值，实际训练吞吐取决于模型并行方式与网络拓扑。"),
    "en": ("The figures below come from public material and launch events; units are normalised and a few "
           "numbers are rounded.",
           "Rows are ordered by generation so that process node, transistor budget and on-chip memory can be "
           "compared at a glance.",
           "Cluster figures are theoretical peaks; real training throughput depends on parallelism and the "
           "network topology."),
}


def paragraph(lang: str, rng: random.Random) -> list[str]:
    """A sentence or two of prose after a table, as notes have (never inside the table)."""
    return [rng.choice(PARAGRAPHS[lang]), ""]


def row_offset(r: int) -> int:
    """Offset of data row r (0-based) inside a section built with `_head` + table."""
    return TABLE_START + 2 + r


# ---- sections --------------------------------------------------------------------------------

def evolution(fam: Family, lang: str, style: Style, rng: random.Random, inject: str | None,
              number: str) -> Section:
    zh = lang == "zh"
    header = ["产品", "制程", "晶体管", "片上存储", "算力", "时间"] if zh else \
        ["Chip", "Process", "Transistors", "On-chip memory", "Compute", "Year"]
    rows = []
    for g, chip in enumerate(fam.chips):
        rows.append([style.label(chip), f"{fam.process[g]}nm", fmt_transistors(fam.transistors[g], rng, lang),
                     f"{fam.memory[g]}GB", f"{fam.compute[g]} PFLOPS", str(fam.years[g])])
    expected = []
    if inject == "unit-spelling":
        g = rng.randrange(len(rows))
        rows[g][4] = rows[g][4].replace("PFLOPS", "PLOPS")
        expected.append(Expect(inject, row_offset(g), header[4]))
    elif inject == "generation-trend":
        g = rng.randrange(1, len(rows) - 1) if len(rows) > 2 else 1       # not the flagship (restated)
        coarser = next((p for p in PROCESS_STEPS[::-1] if p > fam.process[g - 1]), 2 * fam.process[g - 1])
        rows[g][1] = f"{coarser}nm"
        expected.append(Expect(inject, row_offset(g), header[1]))
    title = f"### {number} 产品演进" if zh else f"### {number} Product generations"
    lines = _head(title) + style.table(header, rows)
    return Section("evolution", lines, expected,
                   years=[(row_offset(g), header[5], y) for g, y in enumerate(fam.years)])


def die_area(fam: Family) -> int:
    """The flagship's die area: one value per family, so the spec and comparison tables agree
    (the comparison used to say 46225 mm² whatever the spec table said)."""
    return (600, 800, 826, 46225)[sum(map(ord, fam.name)) % 4]


def spec(fam: Family, lang: str, style: Style, rng: random.Random, inject: str | None,
         number: str) -> Section:
    zh = lang == "zh"
    g = fam.flagship
    chip = fam.chips[g]
    header = ["参数", "规格", "说明"] if zh else ["Parameter", "Value", "Notes"]
    names = (("制程", "尺寸", "晶体管", "核心数", "片上存储", "带宽", "功耗") if zh else
             ("Process", "Die area", "Transistors", "Cores", "On-chip memory", "Memory bandwidth", "Power"))
    notes = (("先进制程", "单芯片", "全球领先", "计算核心", "SRAM", "片上", "TDP") if zh else
             ("leading edge", "single die", "per chip", "compute cores", "SRAM", "on chip", "TDP"))
    values = [f"{fam.process[g]}nm", f"{die_area(fam)} mm²",
              fmt_transistors(fam.transistors[g], rng, lang), fmt_int(fam.cores[g], rng),
              f"{fam.memory[g]}GB", f"{fam.bandwidth[g]} TB/s", f"{fam.power[g]}kW"]
    expected = []
    if inject == "unparsed-number":
        values[3] = values[3].replace("0", "O", 1)
        expected.append(Expect(inject, row_offset(3), header[1]))
    elif inject == "dimension":
        values[5] = values[5].replace("TB/s", "TB")
        expected.append(Expect(inject, row_offset(5), header[1]))
    elif inject == "cross-table":
        values[2] = fmt_transistors(round(fam.transistors[g] * 1.5, 1), rng, lang)
        expected.append(Expect(inject, row_offset(2), header[1]))
    rows = [[style.label(n), v, t] for n, v, t in zip(names, values, notes)]
    title = f"### {number} {chip} 规格" if zh else f"### {number} {chip} specifications"
    return Section("spec", _head(title) + style.table(header, rows), expected)


def comparison(fam: Family, lang: str, style: Style, rng: random.Random, inject: str | None,
               number: str) -> Section:
    zh = lang == "zh"
    g = fam.flagship
    chip = fam.chips[g]
    header = ["指标", chip, fam.rival, "差距"] if zh else ["Metric", chip, fam.rival, "Ratio"]
    area = die_area(fam)
    pairs = [(("面积" if zh else "Die area"), area, fam.rival_area, f"{area} mm²", f"{fam.rival_area} mm²"),
             (("晶体管" if zh else "Transistors"), fam.transistors[g], fam.rival_transistors,
              f"{fam.transistors[g]:g}B", f"{fam.rival_transistors:g}B"),
             (("核心数" if zh else "Cores"), fam.cores[g], fam.rival_cores,
              fmt_int(fam.cores[g], rng), fmt_int(fam.rival_cores, rng))]
    rows = []
    for label, a, b, ta, tb in pairs:
        rows.append([style.label(label), ta, tb, fmt_ratio(a / b)])
    expected = []
    if inject == "ratio-column":
        r = rng.randrange(len(rows))
        a, b = pairs[r][1], pairs[r][2]
        rows[r][3] = fmt_ratio(a / b * 2.5)
        expected.append(Expect(inject, row_offset(r), header[3]))
    title = f"### {number} 芯片对比" if zh else f"### {number} Chip comparison"
    return Section("comparison", _head(title) + style.table(header, rows), expected)


def scaling(fam: Family, lang: str, style: Style, rng: random.Random, inject: str | None,
            number: str) -> Section:
    zh = lang == "zh"
    per_node = fam.compute[fam.flagship]
    header = ["配置", "算力", "应用"] if zh else ["Configuration", "Compute", "Use"]
    counts = (1, 16, 64)
    uses = ("大模型", "万亿参数", "超大模型") if zh else ("large models", "trillion-parameter models", "frontier models")
    rows = []
    for n, use in zip(counts, uses):
        label = ("单节点" if zh else "Single node") if n == 1 else (f"{n} 节点" if zh else f"{n} nodes")
        rows.append([style.label(label), f"{n * per_node} PFLOPS", use])
    expected = []
    if inject == "cluster-total":
        r = rng.randrange(1, len(rows))
        rows[r][1] = f"{counts[r] * per_node * 3} PFLOPS"
        expected.append(Expect(inject, row_offset(r), header[1]))
    title = f"### {number} 集群能力" if zh else f"### {number} Cluster scaling"
    return Section("scaling", _head(title) + style.table(header, rows), expected)


def cluster(fam: Family, lang: str, style: Style, rng: random.Random, inject: str | None,
            number: str) -> Section:
    zh = lang == "zh"
    per_node = fam.compute[fam.flagship]
    lo, hi = rng.choice(((4, 16), (16, 64), (8, 32)))
    header = ["参数", "规格", "说明"] if zh else ["Parameter", "Value", "Notes"]
    nodes = f"{lo}-{hi}"
    expected = []
    if inject == "range-order":
        nodes = f"{hi}-{lo}"
        expected.append(Expect(inject, row_offset(0), header[1]))
    rows = [[style.label("节点数" if zh else "Nodes"), nodes, "可扩展" if zh else "scalable"],
            [style.label("总算力" if zh else "Total compute"), f"{lo * per_node}-{hi * per_node} PFLOPS",
             "超大规模" if zh else "at full size"],
            [style.label("网络" if zh else "Network"), "InfiniBand", "低延迟" if zh else "low latency"]]
    title = f"### {number} {fam.name} 集群规格" if zh else f"### {number} {fam.name} cluster"
    return Section("cluster", _head(title) + style.table(header, rows), expected)


def systems(fam: Family, lang: str, style: Style, rng: random.Random, inject: str | None,
            number: str) -> Section:
    zh = lang == "zh"
    header = ["系统", "芯片", "算力", "内存", "功耗", "时间"] if zh else \
        ["System", "Chip", "Compute", "Memory", "Power", "Year"]
    rows = []
    for g, system in enumerate(fam.systems):
        rows.append([style.label(system), fam.chips[g], f"{fam.compute[g]} PFLOPS", f"{fam.memory[g]}GB",
                     f"{fam.power[g]}kW", str(fam.years[g])])
    expected = []
    if inject == "system-chip":
        g = rng.randrange(len(rows))
        rows[g][3] = f"{fam.memory[g] + 8}GB"
        expected.append(Expect(inject, row_offset(g), header[3]))
    title = f"### {number} 系统产品" if zh else f"### {number} Systems"
    return Section("systems", _head(title) + style.table(header, rows), expected,
                   years=[(row_offset(g), header[5], y) for g, y in enumerate(fam.years)])


def revenue(fam: Family, lang: str, style: Style, rng: random.Random, inject: str | None,
            number: str, note_year: int) -> Section:
    zh = lang == "zh"
    header = ["年份", "营收", "增速"] if zh else ["Year", "Revenue", "Growth"]
    years = [note_year - 4 + i for i in range(3)]
    start = rng.choice((50, 80, 120, 200))
    growths = [rng.choice((20, 25, 50, 100)) for _ in years]
    values, v = [], start
    for i in range(len(years)):
        if i:
            v = v * (1 + growths[i] / 100)
        values.append(v)
    rows = []
    for i, (y, v) in enumerate(zip(years, values)):
        rows.append([style.label(str(y)), f"${v:g}M" if v == int(v) else f"${v:.1f}M",
                     "—" if i == 0 else f"+{growths[i]}%"])
    expected = []
    if inject == "growth-rate":
        r = rng.randrange(1, len(rows))
        rows[r][2] = f"+{growths[r] + 30}%"
        expected.append(Expect(inject, row_offset(r), header[2]))
    title = f"### {number} {fam.company} 营收" if zh else f"### {number} {fam.company} revenue"
    return Section("revenue", _head(title) + style.table(header, rows), expected,
                   years=[(row_offset(i), header[0], y) for i, y in enumerate(years)])


def shares(fam: Family, lang: str, style: Style, rng: random.Random, inject: str | None,
           number: str) -> Section:
    zh = lang == "zh"
    header = ["客户类型", "占比", "说明"] if zh else ["Customer type", "Share", "Notes"]
    kinds = (("科研机构", "学术研究"), ("科技巨头", "AI 研发"), ("药企", "药物发现"), ("其他", "其余")) if zh else \
        (("Research labs", "academic work"), ("Tech companies", "AI research"), ("Pharma", "drug discovery"),
         ("Other", "the rest"))
    parts = rng.choice(((40, 30, 20, 10), (50, 25, 15, 10), (35, 35, 20, 10)))
    rows = [[style.label(k), f"{p}%", n] for (k, n), p in zip(kinds, parts)]
    expected = []
    if inject == "sum-total":
        r = rng.randrange(len(rows))
        rows[r][1] = f"{parts[r] + 5}%"
        # One finding for the column, at its last share (every part is a related cell).
        expected.append(Expect(inject, row_offset(len(rows) - 1), header[1]))
    title = f"### {number} 客户结构" if zh else f"### {number} Customer mix"
    lines = _head(title) + style.table(header, rows)
    if inject == "suppression":
        # A reasonless suppression on a clean row: reported once, at the comment's line.
        r = rng.randrange(len(rows))
        at = row_offset(r)
        lines[at] = lines[at] + " <!-- factlint-disable-line sum-total -->"
        # Reported twice: it gives no reason, and it silences nothing.
        expected += [Expect(inject, at, None), Expect(inject, at, None)]
    return Section("shares", lines, expected)


def support(fam: Family, lang: str, style: Style, rng: random.Random, inject: str | None,
            number: str) -> Section:
    zh = lang == "zh"
    header = ["框架", "支持程度", "特点"] if zh else ["Framework", "Status", "Notes"]
    fw = ("PyTorch", "TensorFlow", "JAX", "ONNX")
    good = ("推荐使用", "稳定", "官方支持", "分布式") if zh else ("recommended", "stable", "official", "distributed")
    rows = [[style.label(f), "✅", n] for f, n in zip(fw, good)]
    expected = []
    if inject == "status-contradiction":
        r = rng.randrange(len(rows))
        rows[r][2] = "研发中" if zh else "in development"
        expected.append(Expect(inject, row_offset(r), header[1]))
    elif inject == "malformed-input":
        r = rng.randrange(len(rows))
        rows[r].append("—")
        expected.append(Expect(inject, row_offset(r), None))
    title = f"### {number} 框架支持" if zh else f"### {number} Framework support"
    return Section("support", _head(title) + style.table(header, rows), expected)


# Real products, only figures the reference knowledge base states (and states the same way).
REAL_ROWS = (
    ("WSE-2", "7nm", "2.6T", "850,000", "2021"),
    ("WSE-3", "5nm", "4T", "900,000", "2024"),
)
WRONG = {"WSE-2": (3, "800,000"), "WSE-3": (1, "7nm")}   # column index, a value the reference contradicts


def reference_section(fam: Family, lang: str, style: Style, rng: random.Random, inject: str | None,
                      number: str) -> Section:
    zh = lang == "zh"
    header = ["产品", "制程", "晶体管", "核心数", "时间"] if zh else ["Chip", "Process", "Transistors", "Cores", "Year"]
    attrs = ("process_node", "transistors", "cores", "year")
    rows = [list(r) for r in REAL_ROWS]
    expected = []
    if inject == "reference-mismatch":
        r = rng.randrange(len(rows))
        col, wrong = WRONG[rows[r][0]]
        rows[r][col] = wrong
        expected.append(Expect(inject, row_offset(r), header[col]))
    states = [(row[0], attr, row[i + 1]) for row in rows for i, attr in enumerate(attrs)]
    table = [[style.label(r[0])] + r[1:] for r in rows]
    lines = _head(f"### {number} 参考：Cerebras 晶圆级芯片" if zh else f"### {number} For reference: Cerebras wafer-scale chips")
    lines += style.table(header, table)
    years = [(row_offset(i), header[4], int(r[4])) for i, r in enumerate(rows)]
    extra = {"attribute-confusion": (["芯片", "片上存储"] if zh else ["Chip", "On-chip memory"], ["H100", "80GB"]),
             "undisclosed": (["模型", "参数"] if zh else ["Model", "Parameters"], ["GPT-4", "1T"]),
             "unverified": (["芯片", "功耗"] if zh else ["Chip", "Power"], ["TPU v5p", "450 W"])}
    if inject in extra:
        head, row = extra[inject]
        lines += [""]
        start = len(lines)
        lines += style.table(head, [[style.label(row[0]), row[1]]])
        expected.append(Expect(inject, start + 2, head[1]))
    return Section("reference", lines, expected, years=years, states=states)


def prose(lang: str, rng: random.Random, fam: Family, number: str) -> list[str]:
    """Text without tables: keeps notes at a realistic size and mix (lists, a code fence)."""
    if lang == "zh":
        points = [f"{fam.name} 系列采用晶圆级设计", "片上存储带宽极高", "集群可以线性扩展", "软件栈兼容主流框架",
                  "功耗与散热是主要挑战", "价格较高，主要面向大型客户"]
        head = f"### {number} 要点"
        fence = ["```", f"{fam.name} 架构", "┌────────┬────────┐", "│ 芯片   │ 系统   │",
                 "└────────┴────────┘", "```"]
    else:
        points = [f"The {fam.name} line is built at wafer scale", "On-chip memory bandwidth is very high",
                  "Clusters scale close to linearly", "The software stack supports the common frameworks",
                  "Power and cooling are the main constraints", "Prices target large customers"]
        head = f"### {number} Key points"
        fence = ["```", f"{fam.name} architecture", "+--------+--------+", "| chip   | system |",
                 "+--------+--------+", "```"]
    rng.shuffle(points)
    lines = [head, ""] + [f"{i + 1}. **{p}**" for i, p in enumerate(points)] + [""]
    return lines + (fence if rng.random() < 0.5 else [])
