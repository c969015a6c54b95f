"""Extraction: a parsed page to its citations (and, with ``--explain``, why each link is in
or out).

The stages, one module each: ``lost`` (links whose ``<a href>`` was stripped), ``body`` with
``body_selection`` and ``body_weights`` (the article body against the page furniture),
``boilerplate`` and ``link_rules`` (the word tables for furniture and one-link furniture),
``rules`` (the one ordered table of rules that decides each link), ``settings`` (the numbers
that tune them), ``page_links`` (runs the table on one link of the body: a ``Citation`` or the
rule that dropped it), ``context`` and ``sentences`` (the sentence around a link),
``extractor`` (runs them on one article) and ``explain``.
"""

from linkgraph.extract.explain import Explanation, LinkDecision, explain_links
from linkgraph.extract.extractor import extract, prepare_page

__all__ = ["Explanation", "LinkDecision", "explain_links", "extract", "prepare_page"]
