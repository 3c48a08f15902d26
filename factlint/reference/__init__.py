"""Reference knowledge base and fact checking: load cited facts (kb), match one claim against them
(match), word findings (wording), and measure what a note's check covered (coverage)."""
from factlint.reference.kb import Fact, KnowledgeBase, load_kb
from factlint.reference.match import MatchResult, match_claim, match_facts

__all__ = ["Fact", "KnowledgeBase", "MatchResult", "load_kb", "match_claim", "match_facts"]
