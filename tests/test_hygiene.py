"""Citation hygiene findings: one row per rule, on articles run through the real extractor."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from graph_factories import article, extracted

from linkgraph.analysis import Finding, FindingKind, analyse
from linkgraph.analysis.attribution import unlinked_attributions
from linkgraph.extract.extractor import extract
from linkgraph.records import Article, CheckResult, LinkStatus, Verdict
from linkgraph.sources import default_registry

F = FindingKind


def _attributions(art: Article) -> list[Finding]:
    """Unlinked attributions in the sentences extraction produced for *art*."""
    sentences = extract(art).sentences
    assert sentences is not None
    return unlinked_attributions(art.id, sentences, default_registry())


def _kinds(html: str, **kwargs: object) -> list[tuple[FindingKind, str]]:
    result = analyse([extracted("t", html, **kwargs)])  # type: ignore[arg-type]
    return [(f.kind, f.text) for f in result.findings]


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<p>See <a href="https://bit.ly/3xyz">this</a>.</p>', [(F.SHORTENED, "this")]),
        ('<p>See <a href="https://t.co/abc">this</a>.</p>', [(F.SHORTENED, "this")]),
        ('<p>See <a href="https://www.reuters.com/">Reuters</a>.</p>', [(F.HOMEPAGE, "Reuters")]),
        ('<p>See <a href="https://www.reuters.com/#">Reuters</a>.</p>', [(F.HOMEPAGE, "Reuters")]),
        # A fragment names a part of the page: a section of a one-page spec, a hashbang
        # account; a deep link, not the front page (issue 15)
        ('<p>The <a href="https://fetch.spec.whatwg.org/#headers-class">Headers</a> class.</p>',
         []),
        ('<p>As <a href="https://twitter.com/#!/agarzon">Garzon tweeted</a>.</p>', []),
        ('<p>See <a href="https://www.reuters.com/world/x?utm_source=tw&id=3">it</a>.</p>',
         [(F.TRACKING, "it")]),
        # Unchecked, an http: link is no claim that https works (the report counts these
        # apart as unverified); only a check that saw https confirms it (test below).
        ('<p>See <a href="http://www.reuters.com/world/x">it</a>.</p>', []),
        # nknews.org is koreapro.org's own family (data/site_families.csv): internal
        ('<p>See <a href="https://www.nknews.org/2023/x/">our story</a>.</p>', []),
        ('<p>See <a href="https://koreapro.org/2023/x/">our story</a>.</p>', []),
        ('<p>A <a href="https://www.koreaherald.com/view.php?ud=1">Gallup Korea</a> poll.</p>',
         [(F.SECOND_HAND, "Gallup Korea")]),
        ('<p>A <a href="https://www.gallup.co.kr/gallupdb/x.asp">Gallup Korea</a> poll.</p>', []),
        ('<p>Share <a href="javascript:void(0)">this</a>.</p>', [(F.JAVASCRIPT, "this")]),
        ('<p>Officials <span>urged</span></a> restraint.</p>', [(F.LOST, "urged")]),
        ('<p>Time is short, <a href="https://example.com/a/b">Time</a> says.</p>', []),
        # a company or a service named in an anchor is no news source (issue 15: "Get it on
        # Amazon" through a shop's redirect, once Amazon had a kind)
        ('<p><a href="https://r.zdbb.net/u/bdum">Get it on Amazon for $39</a>.</p>', []),
        ('<p><a href="https://www.amazon.com/dp/B07K37HKT8">Apple Watches</a>.</p>', []),
    ],
)
def test_citation_rules(html: str, expected: list[tuple[FindingKind, str]]) -> None:
    assert _kinds(html) == expected


def test_link_to_another_domain_of_the_own_outlet_is_a_self_citation() -> None:
    """interfax.com and interfax.ru are one outlet in the registry but no site family: the
    link leaves the site for the outlet's other site."""
    html = '<p>See <a href="https://www.interfax.com/newsroom/x/">our story</a>.</p>'
    assert _kinds(html, site="interfax.ru") == [(F.SELF_CITATION, "our story")]


def test_unresolvable_link_is_a_finding() -> None:
    art = replace(article("t", '<p>See <a href="/relative">it</a>.</p>'), url=None)
    result = analyse([extract(art)])
    assert [(f.kind, f.text) for f in result.findings] == [(F.UNRESOLVABLE, "it")]


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("Zelenskyy urged Seoul to act, according to Kyiv’s state-run news agency Ukrinform.",
         "Ukrinform"),
        ("According to a Gallup Korea poll, 15% support arms supplies.", "Gallup Korea"),
        ("Yonhap reported that the talks stalled.", "Yonhap"),
        ("The ministry said in a statement that it regretted the launch.",
         "said in a statement"),
        ("A Realmeter survey showed support falling.", "Realmeter"),
        ("He told the BBC that nothing had changed.", "BBC"),
        ("The figures come from a survey by Pew Research Center.", "Pew Research Center"),
        ("According to a recent poll, most voters disagree.", "According to a recent poll"),
    ],
)
def test_unlinked_attribution(sentence: str, name: str) -> None:
    art = article("t", f"<p>Intro. {sentence} Outro.</p>")
    found = _attributions(art)
    assert [(f.kind, f.text, f.context) for f in found] == \
        [(F.UNLINKED_ATTRIBUTION, name, sentence)]


@pytest.mark.parametrize(
    "html",
    [
        '<p>Yonhap <a href="https://en.yna.co.kr/view/1">reported</a> that talks stalled.</p>',
        "<p>Time will tell whether the plan works.</p>",
        "<p>The poll workers went home.</p>",
        "<p><script>var s = 'Yonhap reported';</script>Nothing here.</p>",
    ],
)
def test_no_unlinked_attribution(html: str) -> None:
    assert _attributions(article("t", html)) == []


def test_sentences_keep_paragraphs_apart_and_know_links() -> None:
    art = article("t", '<p>First para has no stop</p><p>A <a href="https://x.example/">link'
                       "</a> here. None here.</p>")
    assert [(s.text, s.linked) for s in extract(art).sentences or ()] == [
        ("First para has no stop", False), ("A link here.", True), ("None here.", False)]


def _status(url: str, verdict: Verdict, *, confirmed: bool = False, final: str | None = None,
            http: int | None = None) -> LinkStatus:
    now = datetime(2026, 1, 10, tzinfo=UTC)
    latest = CheckResult(url, now, verdict, status=http, final_url=final)
    return LinkStatus(url, latest, checks=3, failures=3 if verdict is Verdict.DEAD else 0,
                      first_failure=now - timedelta(days=5) if confirmed else None,
                      confirmed_dead=confirmed)


def test_link_status_findings() -> None:
    urls = {
        "dead": "https://www.reuters.com/gone",
        "failing": "https://www.reuters.com/flaky",
        "soft": "https://www.reuters.com/soft",
        "blocked": "https://www.reuters.com/blocked",
        "moved": "https://www.reuters.com/moved",
        "alive": "https://www.reuters.com/fine",
    }
    html = "<p>" + " ".join(f'<a href="{u}">{k}</a>.' for k, u in urls.items()) + "</p>"
    statuses = {
        urls["dead"]: _status(urls["dead"], Verdict.DEAD, confirmed=True, http=404),
        urls["failing"]: _status(urls["failing"], Verdict.DEAD),
        urls["soft"]: _status(urls["soft"], Verdict.SOFT_404),
        urls["blocked"]: _status(urls["blocked"], Verdict.BLOCKED, http=403),
        urls["moved"]: _status(urls["moved"], Verdict.REDIRECTED,
                               final="https://www.reuters.com/"),
        urls["alive"]: _status(urls["alive"], Verdict.ALIVE),
    }
    result = analyse([extracted("t", html)], link_status=statuses)
    found = {f.text: (f.kind, f.detail) for f in result.findings}
    assert found["dead"] == (F.DEAD, "confirmed dead after 3 checks; HTTP 404")
    assert found["failing"][0] is F.DEAD and "not yet confirmed" in found["failing"][1]
    assert found["soft"][0] is F.SOFT_404
    assert found["blocked"] == (F.BLOCKED, "HTTP 403")
    assert found["moved"] == (F.REDIRECTED, "https://www.reuters.com/ (a homepage)")
    assert "alive" not in found


def test_shortened_link_takes_the_outlet_of_its_checked_target() -> None:
    url = "https://bit.ly/3xyz"
    status = _status(url, Verdict.REDIRECTED, final="https://en.yna.co.kr/view/AEN1")
    result = analyse([extracted("t", f'<p><a href="{url}">Yonhap</a> said so.</p>')],
                     link_status={url: status})
    assert result.sources_by_url[url].key == "yna.co.kr"
    assert [o.source.key for o in result.outlets] == ["yna.co.kr"]


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("한국갤럽에 따르면 응답자의 15%만 무기 지원에 찬성했다.", "한국갤럽"),
        ("리얼미터 여론조사 결과 지지율이 떨어졌다.", "리얼미터"),
    ],
)
def test_unlinked_attribution_korean(sentence: str, name: str) -> None:
    art = article("t", f"<p>{sentence}</p>")
    found = _attributions(art)
    assert [(f.text, f.context) for f in found] == [(name, sentence)]


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("Según la agencia EFE, el acuerdo fracasó.", "EFE"),
        ("El Mundo informó que el gobierno cayó.", "El Mundo"),
        ("De acordo com a Reuters, o acordo fracassou.", "Reuters"),
        ("Selon l'AFP, le sommet a échoué.", "AFP"),
        ("Laut Reuters ist der Gipfel gescheitert.", "Reuters"),
        ("El ministerio dijo en un comunicado que lamentaba el lanzamiento.",
         "en un comunicado"),
    ],
)
def test_unlinked_attribution_spanish_portuguese_french_german(sentence: str, name: str) -> None:
    art = article("t", f"<p>{sentence}</p>")
    found = _attributions(art)
    assert [(f.text, f.context) for f in found] == [(name, sentence)]


@pytest.mark.parametrize(
    "html",
    [
        '<p>Según <a href="https://www.efe.com/x">la agencia EFE</a>, el acuerdo fracasó.</p>',
        "<p>El acuerdo fracasó según el presidente.</p>",
        "<p>Laut war die Musik im Saal.</p>",
    ],
)
def test_no_unlinked_attribution_in_other_languages(html: str) -> None:
    assert _attributions(article("t", html)) == []


def test_own_outlet_needs_no_link() -> None:
    html = "<p>Mr Obama told the BBC that nothing had changed.</p>"
    bbc = analyse([extracted("t", html, site="bbc.co.uk")])
    assert [f for f in bbc.findings if f.kind is F.UNLINKED_ATTRIBUTION] == []
    other = analyse([extracted("t", html, site="koreapro.org")])
    assert [f.text for f in other.findings if f.kind is F.UNLINKED_ATTRIBUTION] == ["BBC"]


def test_wiki_entity_link_is_not_second_hand() -> None:
    html = '<p>The <a href="https://en.wikipedia.org/wiki/Yonhap">Yonhap</a> agency.</p>'
    assert _kinds(html) == []


def test_insecure_link_confirmed_by_a_redirect_to_https() -> None:
    url = "http://www.reuters.com/world/x"
    status = _status(url, Verdict.REDIRECTED, final="https://www.reuters.com/world/x")
    result = analyse([extracted("t", f'<p>See <a href="{url}">it</a>.</p>')],
                     link_status={url: status})
    insecure = [f for f in result.findings if f.kind is F.INSECURE]
    assert len(insecure) == 1 and insecure[0].detail.startswith("confirmed")
    assert not any(f.kind is F.REDIRECTED for f in result.findings)  # same document


def test_a_lost_link_naming_the_outlet_is_one_finding_not_two() -> None:
    """The lost link's sentence used to be reported again as an attribution without a link."""
    # A lost link is a closing tag whose opening <a href> was stripped.
    kinds = _kinds("<p>Only 15% backed it in a <span>Gallup Korea</span></a> poll.</p>"
                   "<p>Ukrinform reported that Seoul <em>refused</em></a>, Yonhap reported.</p>")
    assert kinds == [(F.LOST, "Gallup Korea"), (F.LOST, "refused"),
                     (F.UNLINKED_ATTRIBUTION, "Ukrinform")]
