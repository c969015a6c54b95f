"""Hand-built ``Analysis`` objects for the report tests (until and beside ``analyse``).

``one_article()`` is modelled on the seed: a Korea-desk article citing a Ukrainian news agency,
a Korean pollster and a Korean law page, with internal links and the seed's 8 lost links.
``large(n)`` is a generated corpus with a long tail of outlets, for scale.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta

import networkx as nx

from linkgraph.analysis import analyse
from linkgraph.analysis.hygiene import citation_findings, status_finding
from linkgraph.analysis.records import (
    Analysis,
    ArticleStats,
    Finding,
    FindingKind,
    OutletStats,
    PeriodStats,
    Summary,
)
from linkgraph.extract import extract
from linkgraph.records import (
    Article,
    BodyKind,
    CheckResult,
    Citation,
    CitationKind,
    LinkStatus,
    Origin,
    Source,
    SourceKind,
    Verdict,
)
from linkgraph.sources import default_registry

HOSTILE_IMG = "<img src=x onerror=alert(1)>"
HOSTILE_SCRIPT = "</script><script>document.title='pwned'</script>"
SEED_LOST = (
    "urged",
    "made",
    "citing",
    "adding",
    "offering",
    "Gallup Korea",
    "Foreign Trade Act",
    "Furthermore",
)
SITE = "koreapro.org"
CHECKED_AT = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def _citation(
    article_id: str,
    position: int,
    kind: CitationKind,
    text: str,
    context: str,
    *,
    url: str | None = None,
    domain: str | None = None,
    paragraph: int = 0,
) -> Citation:
    href = None if kind is CitationKind.LOST else (url or "")
    return Citation(
        article_id=article_id,
        position=position,
        paragraph=paragraph,
        href=href,
        url=url,
        key=url,
        domain=domain,
        text=text,
        context=context,
        kind=kind,
    )


def status(
    url: str,
    verdict: Verdict,
    *,
    code: int | None = None,
    final: str | None = None,
    confirmed: bool = False,
) -> LinkStatus:
    latest = CheckResult(
        url=url, checked_at=CHECKED_AT, verdict=verdict, status=code, final_url=final
    )
    failing = verdict in {Verdict.DEAD, Verdict.SOFT_404}
    return LinkStatus(
        url=url,
        latest=latest,
        checks=3 if confirmed else 1,
        failures=(3 if confirmed else 1) if failing else 0,
        first_failure=CHECKED_AT - timedelta(days=14) if failing else None,
        confirmed_dead=confirmed,
    )


def _article_stats(
    article_id: str, citations: list[Citation], kinds: dict[str, str]
) -> ArticleStats:
    external = [c for c in citations if c.kind is CitationKind.EXTERNAL]
    per = Counter(c.domain for c in external)
    total = sum(per.values())
    shares = [n / total for n in per.values()] if total else []
    hhi = sum(s * s for s in shares)
    mix = Counter(kinds.get(c.domain or "", "other") for c in external)
    internal = sum(1 for c in citations if c.kind is CitationKind.INTERNAL)
    linked = internal + len(external)
    return ArticleStats(
        article_id=article_id,
        citations=len(citations),
        external=len(external),
        sources=len(per),
        kind_mix=tuple(mix.most_common()),
        internal_share=internal / linked if linked else 0.0,
        entropy=-sum(s * math.log2(s) for s in shares),
        hhi=hhi,
        effective_sources=1 / hhi if hhi else 0.0,
        top_source_share=max(shares, default=0.0),
    )


def _outlets(
    sources: dict[str, Source], citations: list[Citation], published: dict[str, datetime | None]
) -> tuple[OutletStats, ...]:
    counts: Counter[str] = Counter()
    arts: dict[str, set[str]] = defaultdict(set)
    for c in citations:
        if c.kind is CitationKind.EXTERNAL and c.domain in sources:
            counts[c.domain] += 1
            arts[c.domain].add(c.article_id)
    total = sum(counts.values()) or 1
    out = []
    for key, n in counts.most_common():
        dates = [d for a in arts[key] if (d := published.get(a)) is not None]
        out.append(
            OutletStats(
                source=sources[key],
                citations=n,
                articles=len(arts[key]),
                share=n / total,
                first_cited=min(dates, default=None),
                last_cited=max(dates, default=None),
                pagerank=n / total,
            )
        )
    return tuple(out)


def _summary(
    articles: int, citations: list[Citation], outlets: int, findings: int
) -> Summary:
    """The headline counts a hand-built analysis states (``analyse`` computes its own)."""
    kinds = Counter(c.kind for c in citations)
    return Summary(
        articles=articles, citations=len(citations), external=kinds[CitationKind.EXTERNAL],
        internal=kinds[CitationKind.INTERNAL], outlets=outlets, findings=findings,
        registry_version=default_registry().version,
    )


def _graph(citations: list[Citation]) -> nx.DiGraph:
    graph = nx.DiGraph()
    for c in citations:
        if c.kind is CitationKind.EXTERNAL and c.domain:
            w = graph.get_edge_data(c.article_id, c.domain, {"weight": 0})["weight"]
            graph.add_edge(c.article_id, c.domain, weight=w + 1)
    return graph


def one_article(*, hostile: bool = True, checked: bool = True) -> Analysis:
    """The seed-like single article (with hostile anchor texts unless ``hostile=False``)."""
    aid = "wp:koreapro.org:2200266"
    published = datetime(2023, 2, 27, 2, 41, tzinfo=UTC)
    article = Article(
        id=aid,
        url="https://koreapro.org/2023/02/ukraine-asks-south-korea-to-supply-arms/",
        site=SITE,
        title="Marking one year since Russian invasion, Ukraine asks South Korea to supply arms",
        published=published,
        modified=published,
        origin=Origin("seed.json"),
        html="",
        body_kind=BodyKind.FRAGMENT,
        site_domains=(SITE,),
        warnings=("truncated JSON at byte 3090, salvaged: id, title, content",),
    )
    sources = {
        "ukrinform.net": Source(
            "ukrinform.net", "Ukrinform", SourceKind.NEWS_AGENCY, "UA", "registry"
        ),
        "gallup.co.kr": Source(
            "gallup.co.kr", "한국갤럽 Gallup Korea", SourceKind.POLLSTER, "KR", "registry"
        ),
        "law.go.kr": Source("law.go.kr", "국가법령정보센터", SourceKind.LAW, "KR", "registry"),
        "yna.co.kr": Source(
            "yna.co.kr", "연합뉴스 Yonhap", SourceKind.NEWS_AGENCY, "KR", "registry"
        ),
        "tass.ru": Source("tass.ru", "ТАСС", SourceKind.NEWS_AGENCY, "RU", "registry"),
        "nato.int": Source("nato.int", "NATO", SourceKind.INTERNATIONAL_ORG, None, "registry"),
    }
    ctx = "Ukrainian President Volodymyr Zelenskyy on Friday urged South Korea to provide weapons."
    rows: list[tuple[CitationKind, str, str | None, str | None, str]] = [
        (
            CitationKind.EXTERNAL,
            "state-run news agency Ukrinform",
            "https://www.ukrinform.net/rubric-polytics/3675-zelensky.html",
            "ukrinform.net",
            ctx,
        ),
        (
            CitationKind.EXTERNAL,
            "Stoltenberg in Seoul",
            "https://www.nato.int/cps/en/natohq/opinions_211294.htm",
            "nato.int",
            "His request comes a month after a similar remark by NATO chief Jens Stoltenberg.",
        ),
        (
            CitationKind.INTERNAL,
            "non-lethal aid",
            f"https://{SITE}/2023/01/non-lethal-aid/",
            SITE,
            "South Korea has provided only non-lethal aid to Ukraine.",
        ),
        (
            CitationKind.EXTERNAL,
            "한국갤럽 조사",
            "https://www.gallup.co.kr/gallupdb/reportContent.asp?seqNo=1300",
            "gallup.co.kr",
            "According to a Gallup Korea poll last year, only 15% support weapons provision.",
        ),
        (
            CitationKind.EXTERNAL,
            "대외무역법",
            "https://www.law.go.kr/법령/대외무역법",
            "law.go.kr",
            "The opposition could lead impeachment charges for violating the Foreign Trade Act.",
        ),
        (
            CitationKind.EXTERNAL,
            "Yonhap",
            "https://en.yna.co.kr/view/AEN20230224000351315",
            "yna.co.kr",
            "Seoul added 741 more trading items subject to export restrictions"
            " ($130 million in aid).",
        ),
        (
            CitationKind.EXTERNAL,
            "ТАСС сообщает",
            "https://tass.ru/politika/17134567",
            "tass.ru",
            "Moscow warned Seoul against arms deliveries, according to TASS.",
        ),
        (
            CitationKind.EXTERNAL,
            "Yonhap again",
            "https://en.yna.co.kr/view/AEN20230224000999315",
            "yna.co.kr",
            "Yonhap reported the package on Friday.",
        ),
        (
            CitationKind.INTERNAL,
            "global pivotal state",
            f"https://{SITE}/tag/global-pivotal-state/",
            SITE,
            "Seoul also faces pressure to prove its so-called global pivotal state status.",
        ),
        (CitationKind.JAVASCRIPT, "share", "javascript:void(0)", None, "Share this story."),
    ]
    if hostile:
        rows.append(
            (
                CitationKind.EXTERNAL,
                HOSTILE_IMG,
                "https://www.ukrinform.net/x?<b>",
                "ukrinform.net",
                f"A hostile sentence {HOSTILE_SCRIPT} ends here.",
            )
        )
        rows.append((CitationKind.LOST, HOSTILE_SCRIPT, None, None, f"Lost {HOSTILE_IMG} link."))
    citations: list[Citation] = []
    for i, (kind, text, url, domain, context) in enumerate(rows):
        citations.append(
            _citation(aid, i, kind, text, context, url=url, domain=domain, paragraph=i // 3)
        )
    for word in SEED_LOST:
        citations.append(
            _citation(
                aid,
                len(citations),
                CitationKind.LOST,
                word,
                f"The seed sentence where {word} lost its link.",
                paragraph=4,
            )
        )
    checks: dict[str, LinkStatus] = {}
    if checked:
        checks = {
            rows[0][2]: status(rows[0][2], Verdict.ALIVE, code=200),  # type: ignore[index,dict-item]
            rows[1][2]: status(rows[1][2], Verdict.ALIVE, code=200),  # type: ignore[index,dict-item]
            rows[3][2]: status(rows[3][2], Verdict.DEAD, code=404, confirmed=True),  # type: ignore[index,dict-item]
            rows[4][2]: status(
                rows[4][2],
                Verdict.REDIRECTED,
                code=301,  # type: ignore[index,dict-item]
                final="https://www.law.go.kr/lsInfoP.do?lsiSeq=248331",
            ),
            rows[5][2]: status(rows[5][2], Verdict.SOFT_404, code=200),  # type: ignore[index,dict-item]
            rows[6][2]: status(rows[6][2], Verdict.BLOCKED, code=403),  # type: ignore[index,dict-item]
        }
    findings = (
        Finding(
            aid,
            FindingKind.UNLINKED_ATTRIBUTION,
            "Jens Stoltenberg",
            "NATO chief Jens Stoltenberg said during his visit.",
            detail="names NATO",
        ),
        Finding(
            aid, FindingKind.HOMEPAGE, "Yonhap", rows[5][4], url="https://en.yna.co.kr/", position=5
        ),
        *_derived_findings(citations, checks),
    )
    kinds = {k: str(s.kind) for k, s in sources.items()}
    outlets = _outlets(sources, citations, {aid: published})
    return Analysis(
        articles=(article,),
        citations=tuple(citations),
        outlets=outlets,
        article_stats=(_article_stats(aid, citations, kinds),),
        periods=(PeriodStats(SITE, "2023-02", 1, len(citations), 6, 4.5, 2.4),),
        findings=findings,
        link_status=checks,
        graph=_graph(citations),
        summary=_summary(1, citations, len(outlets), len(findings)),
    )


def _derived_findings(
    citations: list[Citation], checks: dict[str, LinkStatus]
) -> tuple[Finding, ...]:
    """The findings ``analyse`` gives lost/invalid/javascript citations and failing checks."""
    registry = default_registry()
    found = [f for c in citations
             for f in citation_findings(c, None, self_citation=False, registry=registry)]
    return (*found, *status_findings(citations, checks))


def large(n: int = 10_000, *, outlets: int = 3_000, seed: int = 1) -> Analysis:
    """*n* generated articles citing a long tail of *outlets* (Zipf-like), with checks."""
    rng = random.Random(seed)
    kinds = list(SourceKind)
    names = ["Reuters", "AP", "Yonhap 연합뉴스", "ТАСС", "共同通信 Kyodo", "BBC", "Gallup Korea"]
    sources: dict[str, Source] = {}
    for i in range(outlets):
        key = f"outlet{i:04d}.com"
        name = names[i] if i < len(names) else f"Outlet number {i} news"
        sources[key] = Source(key, name, kinds[(i * 5) % len(kinds)], None, "generated")
    keys = list(sources)
    weights = [1 / (r + 1) ** 1.1 for r in range(outlets)]
    start = datetime(2014, 1, 1, tzinfo=UTC)
    articles, citations, stats, checks = [], [], [], {}
    published: dict[str, datetime | None] = {}
    for a in range(n):
        aid = f"wp:example.org:{a}"
        when = start + timedelta(days=rng.randrange(0, 11 * 365))
        published[aid] = when
        articles.append(
            Article(
                id=aid,
                url=f"https://example.org/{a}",
                site="example.org",
                title=f"Article {a}",
                published=when,
                modified=None,
                origin=Origin("big.jsonl", a),
                html="",
                body_kind=BodyKind.FRAGMENT,
            )
        )
        mine: list[Citation] = []
        for key in rng.choices(keys, weights, k=rng.randint(1, 8)):
            url = f"https://{key}/story/{rng.randrange(10**6)}"
            mine.append(
                _citation(
                    aid,
                    len(mine),
                    CitationKind.EXTERNAL,
                    "anchor",
                    "A sentence.",
                    url=url,
                    domain=key,
                )
            )
            age = (datetime(2026, 1, 1, tzinfo=UTC) - when).days / 365
            if rng.random() < 0.3:
                verdict = Verdict.DEAD if rng.random() < 0.03 * age else Verdict.ALIVE
                checks[url] = status(url, verdict, code=404 if verdict is Verdict.DEAD else 200)
        for _ in range(rng.randint(0, 3)):
            mine.append(
                _citation(
                    aid,
                    len(mine),
                    CitationKind.INTERNAL,
                    "more",
                    "See also.",
                    url=f"https://example.org/{rng.randrange(n)}",
                    domain="example.org",
                )
            )
        if rng.random() < 0.1:
            mine.append(_citation(aid, len(mine), CitationKind.LOST, "lost words", "A lost one."))
        citations += mine
        stats.append(_article_stats(aid, mine, {k: str(s.kind) for k, s in sources.items()}))
    outlets = _outlets(sources, citations, published)
    findings = _derived_findings(citations, checks)
    return Analysis(
        articles=tuple(articles),
        citations=tuple(citations),
        outlets=outlets,
        article_stats=tuple(stats),
        periods=(),
        findings=findings,
        link_status=checks,
        graph=_graph(citations),
        summary=_summary(len(articles), citations, len(outlets), len(findings)),
    )


def status_findings(
    citations: Iterable[Citation], link_status: Mapping[str, LinkStatus]
) -> list[Finding]:
    """Findings from the check history of the cited URLs (one per citation of the URL)."""
    found: list[Finding] = []
    if not link_status:
        return found
    for citation in citations:
        status = link_status.get(citation.url) if citation.url else None
        finding = status_finding(citation, status) if status is not None else None
        if finding is not None:
            found.append(finding)
    return found


def long_url_corpus() -> Analysis:
    """Twelve articles whose links have long unbreakable URLs and anchor texts, and a
    tracking link repeated in every article."""
    long_path = "/" + "segment-without-any-break" * 12
    extractions = []
    for i in range(12):
        html = (f'<p>See <a href="http://outlet{i}.example{long_path}?utm_source=x">'
                f'{"Averyveryverylonganchorwithoutspaces" * 3}</a> and '
                f'<a href="https://same.example/story?utm_campaign=y">the same story</a>.</p>')
        article = Article(f"a{i}", f"https://news.example/{i}", "news.example", f"Story {i}",
                          None, None, Origin("x.json", i), html, BodyKind.FRAGMENT)
        extractions.append(extract(article))
    return analyse(extractions)
