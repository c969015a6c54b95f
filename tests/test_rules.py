"""The rule table of ``linkgraph.extract.rules``: its order; extract and --explain both run it."""

from __future__ import annotations

import gzip
import json
from dataclasses import replace
from pathlib import Path

import pytest

from linkgraph.extract import rules
from linkgraph.extract.boilerplate import DropReason
from linkgraph.extract.explain import explain_links
from linkgraph.extract.extractor import extract
from linkgraph.extract.rules import LINKED, RULES, Rule, Scope, Stage, rules_for
from linkgraph.readers.html import parse_html_page
from linkgraph.records import Article, CitationKind

# The order the rules apply in: a link is dropped by the first that holds.  Changing this list
# changes what counts as a citation: do it with a test of the link that moves.
ORDER = [
    "hash_only", "tab_control", "rel_author_or_tag", "link_attributes", "inside_boilerplate",
    "no_href",
    "javascript", "share", "ad", "own_page", "front_page", "headline_list", "tag_run",
    "script_only", "empty", "call_to_action", "skip_link", "promo_figure", "follow",
    "boilerplate_line", "byline", "legal",
    "teaser_part",
]

TEXT = "A paragraph long enough to be counted as article text by the body detector. " * 3


def _article(body: str) -> Article:
    html = f"<html><body><div id='story'><p>{TEXT}</p>{body}<p>{TEXT}</p></div></body></html>"
    article = parse_html_page(html.encode(), "t.html", base="https://news.example/2024/a")
    assert isinstance(article, Article)
    return article


def test_the_table_lists_the_rules_in_their_order() -> None:
    assert [rule.name for rule in RULES] == ORDER


def test_stages_run_forward_and_element_rules_judge_every_link() -> None:
    stages = [rule.stage for rule in RULES]
    assert stages == sorted(stages)  # a stage's facts are read once, in table order
    for rule in RULES:
        if rule.stage is Stage.ELEMENT:
            assert rule.kinds >= LINKED, rule.name  # they run before the kind is known
        assert (rule.after is not None) == (rule.stage is Stage.PAGE), rule.name


@pytest.mark.parametrize("scope", list(Scope))
@pytest.mark.parametrize("kind", list(CitationKind))
def test_each_plan_is_the_table_filtered_in_order(scope: Scope, kind: CitationKind) -> None:
    plan = [rule for stage in rules_for(scope, kind) for _, rule in stage]
    assert plan == [r for r in RULES if r.scope <= scope and kind in r.kinds]


def _spied(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make every rule note its name when it runs; the plans are built again from the table."""
    calls: list[str] = []

    def spy(rule: Rule) -> Rule:
        def test(link: rules.Link) -> bool:
            calls.append(rule.name)
            return rule.test(link)

        return replace(rule, test=test)

    monkeypatch.setattr(rules, "RULES", tuple(spy(rule) for rule in RULES))
    monkeypatch.setattr(
        rules, "_PLANS", {(s, k): rules._plan(s, k) for s in Scope for k in CitationKind}
    )
    return calls


@pytest.mark.parametrize(
    ("href", "kind"),
    [
        ("/2023/archive-story", CitationKind.INTERNAL),
        ("https://gov.example/r", CitationKind.EXTERNAL),
    ],
)
def test_extract_runs_the_table_in_its_order(
    monkeypatch: pytest.MonkeyPatch, href: str, kind: CitationKind
) -> None:
    calls = _spied(monkeypatch)
    article = _article(f"<p>{TEXT} As <a href='{href}'>the report</a> said.</p>")
    assert [c.text for c in extract(article).citations] == ["the report"]
    # A link every rule lets pass meets each rule of its kind once, in table order.
    assert calls == [r.name for r in RULES if kind in r.kinds]
    calls.clear()
    explained = [d for d in explain_links(article).links if d.text == "the report"]
    assert explained[0].citation is not None
    assert calls == [r.name for r in RULES if kind in r.kinds]


# Links that two rules would drop: the earlier rule in the table names the reason.
FIRST_RULE_WINS = [
    # a share endpoint whose text is a call to action: URL rules come before text rules
    ("<p><a href='https://twitter.com/intent/tweet?u=x'>Subscribe to our newsletter</a></p>",
     "share"),
    # "#" alone with a boilerplate class: the script hook is named first
    ("<p><a href='#' class='share-button'>Share</a></p>", "hash_only"),
    # rel=author inside a byline box
    ("<div class='byline'><a rel='author' href='/author/jane'>Jane</a></div>",
     "rel_author_or_tag"),
    # the site's front page, with a call to action as its text
    ("<p><a href='https://news.example/'>Subscribe now</a></p>", "front_page"),
    # an empty anchor to another site
    ("<p>Text <a href='https://gov.example/x'></a> here.</p>", "empty"),
]


@pytest.mark.parametrize(("body", "name"), FIRST_RULE_WINS)
def test_the_first_rule_that_holds_names_the_reason(body: str, name: str) -> None:
    article = _article(body)
    assert extract(article).citations == ()
    dropped = [d for d in explain_links(article).links if d.rule is not None]
    assert [d.rule for d in dropped] == [name]
    assert dropped[0].reason is next(r.reason for r in RULES if r.name == name)


def _corpus_pages(corpus: Path) -> list[Article]:
    """A handful of real pages of both corpora: readability's test pages, Scrapinghub's."""
    pages: list[Article] = []
    for path in sorted((corpus / "readability").glob("*.html"))[1::25]:
        article = parse_html_page(path.read_bytes(), path.name, base="http://fakehost/test/")
        if isinstance(article, Article):
            pages.append(article)
    aeb = corpus / "scrapinghub-aeb"
    urls = json.loads((aeb / "urls.json").read_text("utf-8"))
    for path in sorted((aeb / "html").glob("*.html.gz"))[::40]:
        data = gzip.decompress(path.read_bytes())
        article = parse_html_page(data, path.name, base=urls[path.name])
        if isinstance(article, Article):
            pages.append(article)
    return pages


def test_explain_and_extract_agree_on_every_link_of_corpus_pages(corpus: Path) -> None:
    """Every citation --explain reports is extract's, field for field and in order; every
    other link of the body names the rule of the table that dropped it, with that rule's
    reason; a link outside the body names none."""
    pages = _corpus_pages(corpus)
    assert len(pages) >= 8
    by_name = {rule.name: rule for rule in RULES}
    dropped = 0
    for article in pages:
        explanation = explain_links(article)
        again = parse_html_page(article.html.encode(), str(article.origin), base=article.url)
        assert isinstance(again, Article)
        cited = [d.citation for d in explanation.links if d.citation is not None]
        assert cited == list(extract(again).citations), article.origin
        for decision in explanation.links:
            if decision.citation is not None:
                assert decision.reason is None and decision.rule is None
            elif decision.reason is DropReason.OUTSIDE_BODY:
                assert decision.rule is None
            else:
                assert decision.rule is not None, (article.origin, decision)
                assert by_name[decision.rule].reason is decision.reason
                dropped += 1
    assert dropped > 0  # the pages exercise the table, not only the body's edge
