"""parse_cell, table-driven: real cell strings (every shape in the first note, their English
equivalents, and every shape the normaliser promises) with the expected reading.

Expected canonical values are written out by hand (2 days = 172800 s), not computed from the
unit table, so a wrong factor in units.yaml fails here too.
"""
from __future__ import annotations

import math

import pytest

from factlint.normalise.quantity import parse_cell

GB, TB, PB = 1e9, 1e12, 1e15
DAY, MONTH, YEAR = 86_400.0, 2_629_800.0, 31_557_600.0
UNSET = object()


def case(raw, kind, status="parsed", value=UNSET, high=UNSET, bound="=", unit=UNSET, cv=UNSET,
         cu=UNSET, *, header=None, expect=None, id=None, **fields):
    """One row: the cell, then what parse_cell must say. Fields left UNSET are not checked,
    except that a parsed number's canonical unit defaults to "1" (a bare count)."""
    want = {"kind": kind, "status": status, "bound": bound}
    for name, given in (("value", value), ("value_high", high), ("unit", unit),
                        ("canonical_value", cv), ("canonical_unit", cu)):
        if given is not UNSET:
            want[name] = given
    want.update(fields)
    return pytest.param(raw, header, expect, want, id=id or f"{raw!r}{'|' + header if header else ''}")


def check(q, want):
    for name, expected in want.items():
        if name == "notes_has":
            assert any(n.startswith(expected) for n in q.notes), (name, q.notes)
            continue
        got = getattr(q, name)
        if isinstance(expected, float) and got is not None:
            assert math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-12), (name, got, expected)
        else:
            assert got == expected, (name, got, expected)


CASES = [
    # ---- every cell shape of the first note (data/raw/cerebras-roadmap-note.md) -------------
    case("14nm", "number", value=14.0, unit="nm", cv=14.0, cu="nm", tolerance=0.5, dimension="length"),
    case("1.2T", "number", value=1.2e12, unit=None, cv=1.2e12, cu="1", tolerance=0.05e12, decimals=1),
    case("18GB", "number", value=18.0, unit="GB", cv=18 * GB, cu="B", dimension="information"),
    case("2 PLOPS", "number", "unknown-unit", 2.0, None, unit="PLOPS", cv=None, cu=None,
         token="PLOPS", token_start=2, dimension=None),
    case("46225 mm²", "number", value=46225.0, unit="mm²", cv=46225.0, cu="mm²", tolerance=0.5),
    case("46225mm²", "number", value=46225.0, unit="mm²", cv=46225.0, cu="mm²"),
    case("814mm²", "number", value=814.0, unit="mm²", cv=814.0, cu="mm²"),
    # trailing zeros past the first two digits are rounding, not precision: 900,000 is 895,000-905,000
    case("900,000", "number", value=900_000.0, unit=None, cv=900_000.0, cu="1", tolerance=5_000.0),
    case("90 万核", "number", value=900_000.0, unit="cores", cv=900_000.0, cu="1",
         tolerance=5_000.0, unit_written="核"),
    case("21 PB/s", "number", value=21.0, unit="PB/s", cv=21 * PB, cu="B/s", dimension="bandwidth"),
    case("15kW", "number", value=15.0, unit="kW", cv=15_000.0, cu="W", tolerance=500.0),
    case("57x", "ratio", value=57.0, unit="x", cv=57.0, cu="x", tolerance=0.5),
    case("相同", "same", text="相同"),
    case("$2M/节点", "money", value=2e6, unit="USD", cv=2e6, cu="USD", per="节点"),
    case("$30K", "money", value=30_000.0, unit="USD", cv=30_000.0, cu="USD", tolerance=500.0),
    case("$0.25B", "money", value=2.5e8, unit="USD", cv=2.5e8, cu="USD", tolerance=5e6, decimals=2),
    case("+100%", "percent", value=100.0, unit="%", cv=100.0, cu="%"),
    case("50+", "number", value=50.0, bound=">=", cv=50.0, cu="1"),
    case("16-64", "range", value=16.0, high=64.0, cv=16.0, cu="1", canonical_value_high=64.0),
    case("64-256 PLOPS", "range", "unknown-unit", 64.0, 256.0, unit="PLOPS", cv=None,
         token="PLOPS", token_start=7),
    case("512 PLOPS", "number", "unknown-unit", 512.0, unit="PLOPS", token_start=4),
    case("1 EFLOPS", "number", value=1.0, unit="EFLOPS", cv=1e18, cu="FLOP/s", tolerance=0.5e18),
    case("8 PFLOPS", "number", value=8.0, unit="PFLOPS", cv=8e15, cu="FLOP/s", tolerance=0.5e15),
    case("2 天", "number", value=2.0, unit="day", cv=2 * DAY, cu="s", dimension="time"),
    case("3 个月", "number", value=3.0, unit="month", cv=3 * MONTH, cu="s"),
    case("175B", "number", value=1.75e11, unit=None, cv=1.75e11, cu="1"),
    case("1T", "number", value=1e12, cv=1e12, cu="1", tolerance=0.5e12),
    case("70B", "number", value=7e10, cv=7e10, cu="1"),
    case("✅ 完整", "status", text="yes", qualifier="完整"),
    case("✅", "status", text="yes", qualifier=None),
    case("支持", "status", text="yes"),
    case("研发中", "status", text="wip"),
    case("5nm (TSMC)", "number", value=5.0, unit="nm", cv=5.0, cu="nm", qualifier="TSMC"),
    case("40%", "percent", value=40.0, unit="%", cv=40.0, cu="%", tolerance=0.5),
    case("2024", "year", value=2024.0, cv=2024.0, cu="year", dimension="year", text="2024"),
    case("**2024**", "year", value=2024.0, cv=2024.0),
    case("PB 级", "text", "text", value=None, text="PB 级"),
    case("万亿参数", "text", "text", value=None, text="万亿参数"),
    case("千亿参数", "text", "text", value=None),
    case("InfiniBand", "text", "text", text="InfiniBand"),
    case("极高带宽", "text", "text"),
    case("900K", "number", value=900_000.0, cv=900_000.0, cu="1", tolerance=5_000.0),
    case("80B", "number", value=8e10, cv=8e10, cu="1", tolerance=0.5e9),
    case("4.0T", "number", value=4e12, cv=4e12, cu="1", tolerance=0.05e12, decimals=1),
    case("8.0T", "number", value=8e12, cv=8e12, decimals=1),
    case("16896", "number", value=16896.0, cv=16896.0, cu="1"),
    case("**64 节点**", "number", value=64.0, unit="nodes", cv=64.0, cu="1"),
    case("160GB", "number", value=160.0, unit="GB", cv=160 * GB, cu="B"),

    # ---- their English equivalents --------------------------------------------------------
    case("14 nm", "number", value=14.0, unit="nm", cv=14.0, cu="nm"),
    case("1.2 trillion", "number", value=1.2e12, cv=1.2e12, cu="1", tolerance=0.05e12),
    case("2 PFLOPS", "number", value=2.0, unit="PFLOPS", cv=2e15, cu="FLOP/s"),
    case("46,225 mm^2", "number", value=46225.0, unit="mm²", cv=46225.0, cu="mm²"),
    case("900000 cores", "number", value=900_000.0, unit="cores", cv=900_000.0, cu="1"),
    case("0.9 million cores", "number", value=900_000.0, unit="cores", cv=900_000.0,
         tolerance=50_000.0),
    case("21 PBps", "number", value=21.0, unit="PB/s", cv=21 * PB, cu="B/s"),
    case("15 kW", "number", value=15.0, unit="kW", cv=15_000.0, cu="W"),
    case("57X", "ratio", value=57.0, unit="x", cv=57.0, cu="x", unit_written="X"),
    case("same", "same"),
    case("$2M per node", "money", value=2e6, unit="USD", cv=2e6, cu="USD", per="node"),
    case("US$30,000", "money", value=30_000.0, unit="USD", cv=30_000.0, cu="USD", tolerance=500.0),
    case("$250 million", "money", value=2.5e8, unit="USD", cv=2.5e8, cu="USD"),
    case("+100 %", "percent", value=100.0, unit="%", cv=100.0),
    case("50+ customers", "number", value=50.0, bound=">=", unit="customers", cv=50.0, cu="1"),
    case("16 to 64", "range", value=16.0, high=64.0, cv=16.0),
    case("64–256 PFLOPS", "range", value=64.0, high=256.0, unit="PFLOPS", cv=6.4e16,
         canonical_value_high=2.56e17, cu="FLOP/s"),
    case("1 exaflops", "number", value=1.0, unit="EFLOPS", cv=1e18),
    case("2 days", "number", value=2.0, unit="day", cv=2 * DAY, cu="s"),
    case("3 months", "number", value=3.0, unit="month", cv=3 * MONTH),
    case("175 billion parameters", "number", value=1.75e11, unit="parameters", cv=1.75e11, cu="1"),
    case("1.8T params", "number", value=1.8e12, unit="parameters", cv=1.8e12),
    case("Yes (full)", "status", text="yes", qualifier="full"),
    case("5 nm (TSMC N5)", "number", value=5.0, unit="nm", qualifier="TSMC N5"),
    case("40 percent", "percent", value=40.0, unit="%", cv=40.0),
    case("InfiniBand HDR", "text", "text"),

    # ---- compute ------------------------------------------------------------------------------
    case("989 TFLOPS", "number", value=989.0, unit="TFLOPS", cv=9.89e14, cu="FLOP/s"),
    case("989.4 TFLOP/s", "number", value=989.4, unit="TFLOPS", cv=9.894e14, decimals=1),
    case("2 PetaFLOPS", "number", value=2.0, unit="PFLOPS", cv=2e15),
    case("125 petaflops", "number", value=125.0, unit="PFLOPS", cv=1.25e17),
    case("4 exaflops", "number", value=4.0, unit="EFLOPS", cv=4e18),
    case("500 kFLOPS", "number", value=500.0, unit="KFLOPS", cv=5e5),
    case("312 GFLOPS", "number", value=312.0, unit="GFLOPS", cv=3.12e11),
    case("1,979 TOPS", "number", value=1979.0, unit="TOPS", cv=1.979e15, cu="FLOP/s"),
    case("2 POPS", "number", value=2.0, unit="POPS", cv=2e15),
    case("8 Pflops", "number", value=8.0, unit="PFLOPS", cv=8e15, notes_has="unit-case"),
    # ---- information and bandwidth: bits vs bytes, decimal vs binary ----------------------------
    case("80 GiB", "number", value=80.0, unit="GiB", cv=80 * 2.0 ** 30, cu="B"),
    case("64 MiB", "number", value=64.0, unit="MiB", cv=64 * 2.0 ** 20),
    case("1 KB", "number", value=1.0, unit="KB", cv=1000.0),
    case("1 kB", "number", value=1.0, unit="KB", cv=1000.0, unit_written="kB"),
    case("8 Gb", "number", value=8.0, unit="Gb", cv=1e9, cu="B"),
    case("10 Gbit", "number", value=10.0, unit="Gb", cv=1.25e9),
    case("5 mb", "number", value=5.0, unit="Mb", cv=625_000.0, notes_has="unit-case",
         unit_written="mb"),
    case("100 Gbps", "number", value=100.0, unit="Gbps", cv=1.25e10, cu="B/s"),
    case("100 Gb/s", "number", value=100.0, unit="Gbps", cv=1.25e10),
    case("3.35 TB/s", "number", value=3.35, unit="TB/s", cv=3.35 * TB, decimals=2),
    case("1 Pb/s", "number", value=1.0, unit="Pbps", cv=1.25e14),
    case("32 GT/s", "number", value=32.0, unit="GT/s", cv=3.2e10, cu="T/s"),
    # ---- power, energy, length, area, frequency -------------------------------------------------
    case("15 KW", "number", value=15.0, unit="kW", cv=15_000.0, unit_written="KW",
         notes_has="unit-case"),
    case("700 W", "number", value=700.0, unit="W", cv=700.0, cu="W"),
    case("1.5 MW", "number", value=1.5, unit="MW", cv=1.5e6),
    case("10 kWh", "number", value=10.0, unit="kWh", cv=1e4, cu="Wh", dimension="energy"),
    case("2 MWh", "number", value=2.0, unit="MWh", cv=2e6, cu="Wh"),
    case("5 µm", "number", value=5.0, unit="µm", cv=5000.0, cu="nm"),
    case("3 mm", "number", value=3.0, unit="mm", cv=3e6, cu="nm"),
    case("8 cm²", "number", value=8.0, unit="cm²", cv=800.0, cu="mm²"),
    case("46225 平方毫米", "number", value=46225.0, unit="mm²", cv=46225.0, cu="mm²"),
    case("7 纳米", "number", value=7.0, unit="nm", cv=7.0),
    case("1.5 GHz", "number", value=1.5, unit="GHz", cv=1.5e9, cu="Hz"),
    case("15 千瓦", "number", value=15.0, unit="kW", cv=15_000.0),
    # ---- durations, calendar years and dates ----------------------------------------------------
    case("5 ms", "number", value=5.0, unit="ms", cv=0.005, cu="s"),
    case("24 hours", "number", value=24.0, unit="h", cv=24 * 3600.0),
    case("12 小时", "number", value=12.0, unit="h", cv=12 * 3600.0),
    case("2 weeks", "number", value=2.0, unit="week", cv=14 * DAY),
    case("3 周", "number", value=3.0, unit="week", cv=21 * DAY),
    case("10 years", "number", value=10.0, unit="year", cv=10 * YEAR, cu="s"),
    case("3 年", "number", value=3.0, unit="year", cv=3 * YEAR, cu="s"),
    case("2024年", "year", value=2024.0, cv=2024.0, cu="year"),
    case("2024 年", "year", value=2024.0, cv=2024.0),
    case("二〇二四年", "year", value=2024.0),
    case("FY2024", "year", value=2024.0, text="FY2024", qualifier="FY"),
    case("2024E", "year", value=2024.0, qualifier="estimate"),
    case("late 2024", "year", value=2024.0, qualifier="late"),
    case("2025-06", "date", value=2025.0, cv=2025.0, dimension="date", text="2025-06"),
    case("2026年2月", "date", value=2026.0, text="2026-02"),
    case("Q3 2025", "date", value=2025.0, text="2025-Q3"),
    case("3Q25", "date", value=2025.0, text="2025-Q3"),
    case("H1 2024", "date", value=2024.0, text="2024-H1"),
    case("2019-08-19", "date", value=2019.0, text="2019-08-19"),
    case("Aug 2019", "date", value=2019.0, text="2019-08"),
    case("2019-2021", "range", value=2019.0, high=2021.0, cu="year", dimension="year"),
    case("2048", "year", value=2048.0),
    case("2048", "number", value=2048.0, cv=2048.0, cu="1", expect="count", id="2048-as-count"),
    case("H100", "text", "text", text="H100"),
    case("2020s", "date", value=2020.0, text="2020s"),
    case("70b", "number", value=70.0, unit="b", cv=8.75, cu="B"),            # b alone is bits ...
    case("70b", "number", value=7e10, unit=None, cv=7e10, expect="count", id="70b-as-count"),
    case("$5b", "money", value=5e9, unit="USD"),                               # ... but not money

    # ---- counts with a counting noun ------------------------------------------------------------
    case("128 核", "number", value=128.0, unit="cores", cv=128.0, cu="1"),
    # sockets times cores per socket is the core count; the rest of the cell is read as before
    case("2路32核", "number", value=64.0, unit="cores", cv=64.0, cu="1"),
    case("2路*12核", "number", value=24.0, unit="cores", cv=24.0, cu="1"),
    case("2x 32-core", "number", value=64.0, unit="cores", cv=64.0, cu="1"),
    case("2 × 24 cores", "number", value=48.0, unit="cores", cv=48.0, cu="1"),
    # a memory word after a bare G says it is GB; without one, or in a memory column, it is not read so
    case("64G内存", "number", value=64.0, unit="GB", cv=64 * GB, cu="B", qualifier="内存"),
    case("128G DDR4", "number", value=128.0, unit="GB", cv=128 * GB, cu="B"),
    case("16G RAM", "number", value=16.0, unit="GB", cv=16 * GB, cu="B"),
    case("24G", "number", value=24.0, unit="GB", cv=24 * GB, cu="B", expect="information", id="24G-memory-column"),
    case("24G", "text", "text", id="24G-no-context"),
    case("5G网络", "text", "text"),
    case("1,024 nodes", "number", value=1024.0, unit="nodes", cv=1024.0),
    case("4 颗", "number", value=4.0, unit="chips", cv=4.0),
    case("8 GPUs", "number", value=8.0, unit="GPUs", cv=8.0),
    case("3 台", "number", value=3.0, unit="units", cv=3.0),
    case("50 家", "number", value=50.0, unit="customers", cv=50.0),
    case("2,000 tokens", "number", value=2000.0, unit="tokens", cv=2000.0),
    case("8 GPUs/node", "number", value=8.0, unit="GPUs", per="node"),
    case("100多家", "number", value=100.0, bound=">", unit="customers"),
    # ---- money ----------------------------------------------------------------------------------
    case("$2M each", "money", value=2e6, unit="USD", per="each"),
    case("$30K per GPU", "money", value=30_000.0, unit="USD", per="GPU"),
    case("$1.2 billion", "money", value=1.2e9, unit="USD", cv=1.2e9, tolerance=0.05e9),
    case("2 亿美元", "money", value=2e8, unit="USD", cv=2e8, cu="USD"),
    case("10 万元", "money", value=1e5, unit="CNY", cv=1e5, cu="CNY", tolerance=5000.0),
    case("¥100", "money", value=100.0, unit="CNY", cu="CNY"),
    case("€5", "money", value=5.0, unit="EUR", cu="EUR"),
    case("$5m", "money", value=5e6, unit="USD"),
    case("2M USD", "money", value=2e6, unit="USD"),
    case("-$5M", "money", value=-5e6, unit="USD"),
    case("$1-2M", "range", value=1e6, high=2e6, unit="USD", cv=1e6, cu="USD", dimension="money"),
    # ---- percent and ratios ---------------------------------------------------------------------
    case("-5 %", "percent", value=-5.0, unit="%", cv=-5.0),
    case("-5%", "percent", value=-5.0, unit="%"),
    case("40 per cent", "percent", value=40.0, unit="%"),
    case("百分之四十", "percent", value=40.0, unit="%", cv=40.0),
    case("10-20%", "range", value=10.0, high=20.0, unit="%", dimension="percent"),
    case("4×", "ratio", value=4.0, unit="x", cv=4.0),
    case("50 倍", "ratio", value=50.0, unit="x"),
    case("1.5x faster", "ratio", value=1.5, unit="x", qualifier="faster", tolerance=0.05),
    case("2-3x", "range", value=2.0, high=3.0, unit="x", dimension="ratio"),
    case("一致", "same"),
    case("持平", "same"),
    case("equal", "same"),
    # ---- number spellings -----------------------------------------------------------------------
    case("1 024", "number", value=1024.0, cv=1024.0),
    case("1,024.5", "number", value=1024.5, decimals=1, tolerance=0.05),
    case("１２８", "number", value=128.0),
    case("８０ＧＢ", "number", value=80.0, unit="GB", cv=80 * GB),
    case("90万", "number", value=900_000.0, tolerance=5_000.0),
    case("1.5亿", "number", value=1.5e8, tolerance=0.05e8),
    case("3 千万", "number", value=3e7),
    case("2 千亿", "number", value=2e11),
    case("1.8万亿参数", "number", value=1.8e12, unit="parameters"),
    case("三", "number", value=3.0, cv=3.0, cu="1"),
    case("十二", "number", value=12.0),
    case("两千", "number", value=2000.0, tolerance=500.0),
    case("三个月", "number", value=3.0, unit="month", cv=3 * MONTH),
    case("125¹", "number", value=125.0, notes_has="footnote"),
    case("8 PFLOPS[^1]", "number", value=8.0, unit="PFLOPS", notes_has="footnote"),
    case("1.2×10¹²", "number", value=1.2e12, cv=1.2e12),
    case("1e400", "text", "unparseable", reason="the number is too large to read (1e400)"),
    # ---- powers, groups and fractions read whole, or not at all (#14) ---------------------------
    case("10**17 FLOPS", "number", value=1e17, unit="FLOPS", cv=1e17),
    case("10^17", "number", value=1e17, cv=1e17),
    case("**10** PFLOPS", "number", value=10.0, unit="PFLOPS"),
    case("2e30x", "ratio", value=2e30, unit="x"),
    case("1_000 PFLOPS", "number", value=1000.0, unit="PFLOPS", cv=1e18),
    case("12_345_678", "number", value=12345678.0, tolerance=0.0),
    case("½T", "number", value=0.5e12, cv=0.5e12, decimals=1),
    case("2½ GB", "number", value=2.5, unit="GB", cv=2.5 * GB),
    case("1e309 PFLOPS", "text", "unparseable", reason="the number is too large to read (1e309)",
         token="1e309", token_start=0),
    case("9" * 300 + " PFLOPS", "text", "unparseable", token_start=0),
    case("1" + "0" * 400, "text", "unparseable", token_start=0),
    case("10^1000%", "text", "unparseable", token="10^1000"),
    case("5×10^-400 W", "text", "unparseable", reason="the number is too small to read (5×10^-400)"),
    case("1e-400", "text", "unparseable", token_start=0),
    case("1e99999999999", "text", "unparseable", token_start=0),
    case("2^10", "text", "unparseable", token="2^10", token_start=0),
    case("2**10 FLOPS", "text", "unparseable", token="2**10"),
    case("1_00 GB", "text", "unparseable", token_start=0),
    case("⅓", "text", "unparseable", token_start=0),
    case("15 20kW", "text", "unparseable", token="15 20kW", token_start=0),
    case("13 2", "text", "unparseable", token_start=0),
    case("1,830 1,980", "number", value=1830.0, notes_has="more-numbers"),   # a list: facts/cells.py
    case("Llama 2 7B", "text", "text"),
    # ---- ranges ---------------------------------------------------------------------------------
    case("16~64", "range", value=16.0, high=64.0),
    case("16 至 64", "range", value=16.0, high=64.0),
    case("16—64", "range", value=16.0, high=64.0),
    case("between 16 and 64", "range", value=16.0, high=64.0),
    case("64-16", "range", value=64.0, high=16.0, notes_has="range-reversed"),
    case("5nm-7nm", "range", value=5.0, high=7.0, unit="nm"),
    case("1 TB - 2 PB", "range", value=1.0, high=2000.0, unit="TB", cv=1e12,
         canonical_value_high=2e15, notes_has="range-mixed-units"),
    # ---- approximations and bounds --------------------------------------------------------------
    case("~100", "number", value=100.0, bound="~"),
    case("≈ 57x", "ratio", value=57.0, bound="~"),
    case("约 2 天", "number", value=2.0, bound="~", unit="day"),
    case("about 5 nm", "number", value=5.0, bound="~", unit="nm"),
    case("around 100", "number", value=100.0, bound="~"),
    case("approx. 100", "number", value=100.0, bound="~"),
    case("近 3 个月", "number", value=3.0, bound="~", unit="month"),
    case(">1 EFLOPS", "number", value=1.0, bound=">", unit="EFLOPS"),
    case("≥ 50", "number", value=50.0, bound=">="),
    case("up to 192 GB", "number", value=192.0, bound="<=", unit="GB"),
    case("至少 100", "number", value=100.0, bound=">="),
    case("最多 8", "number", value=8.0, bound="<="),
    case("超过 100 家", "number", value=100.0, bound=">", unit="customers"),
    case("100 以上", "number", value=100.0, bound=">="),
    case("<1 ms", "number", value=1.0, bound="<", unit="ms"),
    case("1 ms 以内", "number", value=1.0, bound="<=", unit="ms"),
    # ---- status marks and missing values --------------------------------------------------------
    case("❌", "status", text="no"),
    case("✗", "status", text="no"),
    case("⚠️ 部分", "status", text="partial", qualifier="部分"),
    case("🚧", "status", text="wip"),
    case("no", "status", text="no"),
    case("不支持", "status", text="no"),
    case("部分", "status", text="partial"),
    case("TBD", "missing", "missing"),
    case("N/A", "missing", "missing"),
    case("n/a", "missing", "missing"),
    case("—", "missing", "missing"),
    case("-", "missing", "missing"),
    case("–", "missing", "missing"),
    case("", "missing", "missing"),
    case("未公布", "missing", "missing"),
    case("未知", "missing", "missing"),
    case("?", "missing", "missing"),
    # ---- not understood: reasons, tokens, offsets -----------------------------------------------
    case("4O%", "text", "unparseable", token="O", token_start=1),
    case("1,5 GB", "text", "unparseable", token_start=0),
    case("3D", "text", "text"),
    case("1st", "text", "text"),
    case("4:1", "text", "text"),
    case("**8 PLOPS**", "number", "unknown-unit", 8.0, unit="PLOPS", token_start=4),
    case("2.5 TFLOPS/W", "number", value=2.5, unit="TFLOPS/W", cv=2.5e12, cu="FLOP/s/W",
         dimension="compute/power"),
    # ---- words around the figure ----------------------------------------------------------------
    case("TSMC 5nm", "number", value=5.0, unit="nm", cv=5.0, qualifier="TSMC"),
    case("台积电5nm", "number", value=5.0, unit="nm", qualifier="台积电"),
    case("H100 80GB", "number", value=80.0, unit="GB", cv=80 * GB, qualifier="H100"),
    case("同比 +76%", "percent", value=76.0, unit="%", qualifier="同比"),
    case("+76% YoY", "percent", value=76.0, qualifier="YoY"),
    case("Llama 2", "text", "text"),                 # a bare count after a name is part of it
    case("GPT-4 1T", "text", "text"),
    case("PyTorch 2.0", "text", "text"),
    case("Q4 2025 (planned)", "date", value=2025.0, text="2025-Q4", qualifier="planned"),
    case("TBD (2026)", "missing", "missing", qualifier="2026"),
    case("N/A (not disclosed)", "missing", "missing"),
    case("✅ (PyTorch 2.0)", "status", text="yes", qualifier="PyTorch 2.0"),
    case("2019.08", "number", value=2019.08, decimals=2),
    case("2019.08", "date", value=2019.0, text="2019-08", expect="date", id="2019.08-in-a-date-column"),
    case("2019/8", "date", value=2019.0, text="2019-08"),
    case("2019–21", "range", value=2019.0, high=2021.0, dimension="year"),
    case("1600.00-10", "range", value=1600.0, high=10.0, dimension="count"),   # found by hypothesis
    case("2019-12", "date", value=2019.0, text="2019-12"),
    case("2019-13", "range", value=2019.0, high=13.0, dimension="count",   # no month, no 2013
         notes_has="range-reversed"),
    case("10^18", "number", value=1e18, cv=1e18, tolerance=0.5e18),
    case("10¹⁸ FLOPS", "number", value=1e18, unit="FLOPS", cv=1e18),
    case("≈$1.36M", "money", value=1.36e6, bound="~", unit="USD", tolerance=5e3),
    case("$25–40K", "range", value=25e3, high=40e3, unit="USD"),
    case("2-3 个月", "range", value=2.0, high=3.0, unit="month", cv=2 * MONTH),
    case("Up to 2x faster", "ratio", value=2.0, bound="<=", qualifier="faster"),
    # ---- header units -----------------------------------------------------------------------------
    case("250", "number", value=250.0, unit="W", cv=250.0, cu="W", header="W", unit_written=None),
    case("250", "money", value=2.5e8, unit="USD", cv=2.5e8, header="$M", tolerance=5e6),
    case("2.9", "money", value=2.9e8, unit="CNY", cv=2.9e8, header="亿元"),
    case("40", "percent", value=40.0, unit="%", header="%"),
    case("80", "number", "unknown-unit", 80.0, unit="PLOPS", header="PLOPS", token="PLOPS",
         token_start=None),
    case("8 PFLOPS", "number", value=8.0, unit="PFLOPS", header="GB",
         notes_has="header-unit-conflict"),
    case("1.2", "number", value=1.2e12, cv=1.2e12, header="T"),
    case("2024", "number", value=2024.0, unit="W", header="W", id="2024|W-is-not-a-year"),
]


def test_enough_cases():
    assert len(CASES) >= 120


@pytest.mark.parametrize("raw,header,expect,want", CASES)
def test_parse_cell(raw, header, expect, want):
    check(parse_cell(raw, header, expect=expect), want)


def test_raw_is_kept_as_given():
    for raw in ("  **90 万核**  ", "８０ＧＢ", "$2M/节点"):
        assert parse_cell(raw).raw == raw


def test_token_start_points_into_raw_text():
    for raw in ("2 PLOPS", "**8 PLOPS**", "约 １２ ＰＬＯＰＳ", "64-256 PLOPS", "4O%"):
        q = parse_cell(raw)
        assert q.token_start is not None
        # the raw text at the offset is the token, as written (full-width letters included)
        assert raw[q.token_start:].startswith(q.token) or \
            parse_cell(raw[q.token_start:]).text.startswith(q.token), (raw, q.token_start)


def test_unknown_unit_reason_suggests_the_closest_unit():
    q = parse_cell("2 PLOPS")
    assert "PLOPS" in q.reason and "PFLOPS" in q.reason


def test_not_a_string_is_missing_not_an_error():
    assert parse_cell(None).kind == "missing"
    assert parse_cell(42).value == 42.0
