"""Product names: which thing a cell or header names, and which variant of it.

`NVIDIA H100 for SXM5`, `H100 SXM` and `H100` name one GPU in its SXM form; `H100 NVL` and
`H100 PCIe` are other variants of it, `A100 80GB PCIe` and `A100-SXM4-80GB` two variants of the
A100. A name is read into a base (`H100`, `RTX 4090`), the variant words a vendor uses for one
product in several forms (form factor, memory size, cooling), and nothing else: brand words
(`NVIDIA`, `GeForce`, `Tesla`, `Instinct`) and generic nouns (`GPU`, `card`, `显卡`) do not change
what is named. Two statements are about the same thing only when base and variant both agree.

Whether a text looks like a product name at all is read from its form: a model number (letters
and digits: `H100`, `RTX 4090`, `WSE-3`, `TPU v4`, `MI300X`, `昇腾910B`) or a name the vocabulary
knows. A family or architecture (`Hopper`, `Ada Lovelace`), a vendor (`英伟达`) or a category
(`Standard Memory`) has no model number and is no product.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from factlint.normalise.units import INVISIBLE
from factlint.normalise.vocab import Entity, Vocabulary, norm_key

# Variant words, matched on whole lower-case tokens.
_FORM = re.compile(r"^(?:sxm\d*[a-z]?|pcie\d*|pci-?e|pc[il1]e|nvl\d*|oam|mezzanine|hgx|mxm)$")
# What a form implies: an NVL card (`H100 NVL`) is a PCIe card bridged in pairs; `NVL72` is a rack.
_IMPLIED = {"nvl": ("pcie",)}
_COOLING = frozenset({"active", "passive"})
_MEMORY = re.compile(r"(?<![A-Za-z0-9])(\d+(?:\.\d+)?)\s*(GB|GiB|G|TB)(?![A-Za-z])", re.IGNORECASE)
# Words that do not change what is named.
_NOISE = frozenset({
    "nvidia", "amd", "intel", "google", "huawei", "apple", "qualcomm", "cerebras", "graphcore",
    "geforce", "tesla", "radeon", "instinct", "datacenter", "data", "center", "gpu", "gpus",
    "card", "accelerator", "tensor", "core", "for", "the", "with", "and", "of", "series", "generation",
    "华为", "英伟达", "显卡", "加速卡", "芯片", "系列", "型号"})
_TOKEN = re.compile(r"[A-Za-z]+[A-Za-z0-9.+]*|[0-9]+(?:\.[0-9]+)?[A-Za-z0-9+]*|[\u3400-\u9fff]+")
# Number formats are no model numbers: a `Precision` column of `FP16, FP8` names no products.
_FORMAT = re.compile(r"^(?:fp|int|tf|bf|mxfp)(?:64|32|16|8|6|4)$", re.IGNORECASE)
_INVISIBLE = {ord(ch): None for ch in INVISIBLE}
_LINK = re.compile(r"\[\[([^\]|]+)(?:\|[^\]]*)?\]\]|\[([^\]]+)\]\([^)]*\)")


@dataclass(frozen=True, slots=True)
class Name:
    text: str                      # as written, links and markup removed
    base: str                      # the product without variant and brand words ("H100", "RTX 4090")
    variant: frozenset[str]        # "sxm", "pcie", "nvl", "80gb", "active", ...
    product_like: bool             # has the form of a model name

    @property
    def key(self) -> str:
        """Identity of the base: spacing and case do not matter (`RTX5090` = `RTX 5090`)."""
        return norm_key(self.base)


def clean(text: str) -> str:
    """A cell's text (inline markup already stripped by ingest) without wiki links and Markdown
    links (`[[A100]]` -> `A100`). A star left in the text is a footnote mark (`FP16 (TFLOPS)*`)."""
    text = text or ""
    if not text.isascii():
        text = text.translate(_INVISIBLE)
    return _LINK.sub(lambda m: m.group(1) or m.group(2), text).strip()


@functools.lru_cache(maxsize=16_384)
def read_name(text: str) -> Name:
    text = clean(unicodedata.normalize("NFKC", text))
    variant: list[str] = []
    base_tokens: list[str] = []
    # Memory sizes first: `80 GB`, `40GB` are one variant token however they are spaced.
    def memory(m: re.Match) -> str:
        size = m.group(1).rstrip("0").rstrip(".") if "." in m.group(1) else m.group(1)
        unit = m.group(2).lower()
        variant.append(f"{size}{'tb' if unit == 'tb' else 'gb'}")
        return " "
    rest = _MEMORY.sub(memory, text)
    for token in _TOKEN.findall(rest):
        low = token.casefold()
        if _FORM.match(low):
            form = low.replace("-", "")
            if form.startswith("nvl"):
                variant.append(form)            # NVL (a card) and NVL72 (a rack) are not one variant
            else:
                form = re.sub(r"\d+[a-z]?$", "", form) or form
                variant.append("pcie" if re.fullmatch(r"pc[il1]e", form) else form)
            variant.extend(_IMPLIED.get(variant[-1], ()))
        elif low in _COOLING:
            variant.append(low)
        elif low not in _NOISE:
            base_tokens.append(token)
    base = " ".join(base_tokens)
    letters = any(ch.isalpha() for ch in base)
    digits = any(ch.isdigit() for ch in base)
    product_like = bool(base) and letters and digits and len(base_tokens) <= 6 \
        and not re.fullmatch(r"(?:19|20)\d\d", base.strip()) \
        and not all(_FORMAT.match(t) or not any(ch.isdigit() for ch in t) for t in base_tokens)
    return Name(text, base, frozenset(variant), product_like)


# A series word that writers drop before a lettered model number: NVIDIA's `RTX A6000` is as often
# written `A6000`. Only before letters then digits (`RTX 4090` is never `4090`: a bare number names
# nothing), and only the RTX of a name (`Quadro RTX 6000` without Quadro would be another card).
_DROPPED_SERIES = re.compile(r"^rtx(?=[a-z]+[0-9])")


def shorter_keys(key: str) -> tuple[str, ...]:
    """Other keys a product name is written under (`rtxa2000` -> `a2000`)."""
    short = _DROPPED_SERIES.sub("", key)
    return (short,) if short != key else ()


def resolve(name: Name, vocab: Vocabulary) -> Entity | None:
    """The vocabulary entity a name is, variant included: an alias of the whole name (`H100 PCIe`,
    `H100 SXM`), or of its base when it names no variant. A variant the vocabulary does not list
    (`H100 NVL`) resolves to nothing: it is not the bare product."""
    return vocab.memo(("resolve", name), lambda: _resolve(name, vocab))


def _resolve(name: Name, vocab: Vocabulary) -> Entity | None:
    for text in (name.text, " ".join([name.base, *sorted(name.variant)])):
        entity = vocab.entity_named(text)
        if entity is not None:
            return entity
    if not name.variant and name.base:
        return vocab.entity_named(name.base)
    return None
