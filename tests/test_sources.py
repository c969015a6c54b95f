"""Outlet classification: one row per rule, the seed's world, registry data and user config."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkgraph.errors import ConfigError
from linkgraph.records import SourceKind
from linkgraph.sources import Registry, default_registry, parse_registry_csv
from linkgraph.sources.config import load_registry

K = SourceKind

# url, expected key, kind, country, rule
CASES = [
    # registry: domains, subdomains, alternate domains, longest prefix
    ("https://www.ukrinform.net/rubric-polytics/3675312.html", "ukrinform.net", K.NEWS_AGENCY,
     "UA", "registry:ukrinform.net"),
    ("https://www.ukrinform.ua/rubric-ato/1.html", "ukrinform.net", K.NEWS_AGENCY, "UA",
     "registry:ukrinform.ua"),
    ("https://ukrinform.com/x", "ukrinform.net", K.NEWS_AGENCY, "UA", "registry:ukrinform.com"),
    ("https://www.gallup.co.kr/gallupdb/reportContent.asp?seqNo=1", "gallup.co.kr", K.POLLSTER,
     "KR", "registry:gallup.co.kr"),
    ("https://www.law.go.kr/lsInfoP.do?lsiSeq=1", "law.go.kr", K.LAW, "KR", "registry:law.go.kr"),
    ("https://en.yna.co.kr/view/AEN2023", "yna.co.kr", K.NEWS_AGENCY, "KR",
     "registry:en.yna.co.kr"),
    ("https://www.nhk.or.jp/bunken/research/yoron/", "nhk-bunken", K.POLLSTER, "JP",
     "registry:nhk.or.jp/bunken"),
    ("https://www3.nhk.or.jp/news/html/1.html", "nhk.or.jp", K.BROADCASTER, "JP",
     "registry:www3.nhk.or.jp"),
    ("https://zakon.rada.gov.ua/laws/show/254к/96-вр", "zakon.rada.gov.ua", K.LAW, "UA",
     "registry:zakon.rada.gov.ua"),
    ("https://www.rada.gov.ua/news/1", "rada.gov.ua", K.GOVERNMENT, "UA", "registry:rada.gov.ua"),
    ("https://www.legislation.gov.uk/ukpga/2010/15", "legislation.gov.uk", K.LAW, "GB",
     "registry:legislation.gov.uk"),
    ("https://www.gov.uk/government/news/x", "gov.uk", K.GOVERNMENT, "GB", "registry:gov.uk"),
    ("https://eur-lex.europa.eu/eli/reg/2014/833/oj", "eur-lex.europa.eu", K.LAW, None,
     "registry:eur-lex.europa.eu"),
    ("https://ec.europa.eu/commission/x", "europa.eu", K.INTERNATIONAL_ORG, None,
     "registry:ec.europa.eu"),
    ("https://www.nato.int/cps/en/natohq/opinions_211398.htm", "nato.int", K.INTERNATIONAL_ORG,
     None, "registry:nato.int"),
    ("https://www.congress.gov/bill/117th-congress/house-bill/7691", "congress.gov", K.LAW, "US",
     "registry:congress.gov"),
    ("https://doi.org/10.1000/182", "doi.org", K.ACADEMIC, None, "registry:doi.org"),
    ("https://arxiv.org/abs/2101.00001", "arxiv.org", K.ACADEMIC, None, "registry:arxiv.org"),
    ("https://en.wikipedia.org/wiki/Seoul", "wikipedia.org", K.WIKI, None,
     "registry:wikipedia.org"),
    ("https://www.nknews.org/2023/02/x/", "nknews.org", K.DIGITAL_NEWS, None,
     "registry:nknews.org"),
    ("https://koreapro.org/2023/02/x/", "nknews.org", K.DIGITAL_NEWS, None,
     "registry:koreapro.org"),
    ("https://reut.rs/3abc", "reuters.com", K.NEWS_AGENCY, None, "registry:reut.rs"),
    # social platforms: the account is the source
    ("https://twitter.com/Ukrinform/status/1", "x.com/ukrinform", K.SOCIAL, None,
     "social-account:x.com"),
    ("https://x.com/ukrinform", "x.com/ukrinform", K.SOCIAL, None, "social-account:x.com"),
    ("https://twitter.com/intent/tweet?text=x", "x.com", K.SOCIAL, None, "registry:twitter.com"),
    ("https://www.youtube.com/@NHKWORLDJAPAN/videos", "youtube.com/@nhkworldjapan", K.SOCIAL,
     None, "social-account:youtube.com"),
    ("https://www.youtube.com/channel/UCxyzAB/videos", "youtube.com/channel/UCxyzAB", K.SOCIAL,
     None, "social-account:youtube.com"),
    ("https://www.youtube.com/watch?v=abc", "youtube.com", K.SOCIAL, None,
     "registry:youtube.com"),
    ("https://t.me/ukrinform_news/123", "t.me/ukrinform_news", K.SOCIAL, None,
     "social-account:t.me"),
    ("https://t.me/s/ukrinform_news", "t.me/ukrinform_news", K.SOCIAL, None,
     "social-account:t.me"),
    ("https://www.facebook.com/MOFAkr.eng/posts/1", "facebook.com/mofakr.eng", K.SOCIAL, None,
     "social-account:facebook.com"),
    # an old Facebook page URL names the page, never an account called "pages" (issue 15)
    ("http://www.facebook.com/pages/Spacecom/17610706465", "facebook.com/spacecom", K.SOCIAL,
     None, "social-account:facebook.com"),
    ("https://www.facebook.com/pg/MOFAkr.eng/posts/", "facebook.com/mofakr.eng", K.SOCIAL, None,
     "social-account:facebook.com"),
    ("https://www.facebook.com/pages/", "facebook.com", K.SOCIAL, None, "registry:facebook.com"),
    # a page name is shown as written, its percent-encoded UTF-8 decoded (issue 15)
    ("https://www.facebook.com/pages/Izquierda-Hisp%C3%A1nica/123456789",
     "facebook.com/izquierda-hispánica", K.SOCIAL, None, "social-account:facebook.com"),
    ("https://www.facebook.com/caf%C3%A9.paris/", "facebook.com/café.paris", K.SOCIAL, None,
     "social-account:facebook.com"),
    ("https://www.facebook.com/pages/a%FFb/1", "facebook.com/a%ffb", K.SOCIAL, None,
     "social-account:facebook.com"),
    # an old hashbang address names the account after "#!" (issue 15)
    ("https://www.twitter.com/#!/agarzon", "x.com/agarzon", K.SOCIAL, None,
     "social-account:x.com"),
    ("https://twitter.com/#!/agarzon/status/1", "x.com/agarzon", K.SOCIAL, None,
     "social-account:x.com"),
    ("https://twitter.com/#top", "x.com", K.SOCIAL, None, "registry:twitter.com"),
    # words that one list knew and the other did not (issue 14)
    ("https://twitter.com/photo/1", "x.com", K.SOCIAL, None, "registry:twitter.com"),
    ("https://www.threads.com/@zuck/post/C1", "threads.net/zuck", K.SOCIAL, None,
     "social-account:threads.net"),
    ("https://www.instagram.com/p/Cabc/", "instagram.com", K.SOCIAL, None,
     "registry:instagram.com"),
    ("https://www.tiktok.com/@nknews/video/1", "tiktok.com/nknews", K.SOCIAL, None,
     "social-account:tiktok.com"),
    ("https://www.reddit.com/r/korea/comments/x", "reddit.com/r/korea", K.SOCIAL, None,
     "social-account:reddit.com"),
    ("https://someone.substack.com/p/post", "someone.substack.com", K.SOCIAL, None,
     "social-account:substack.com"),
    # blogs on a shared host are separate outlets, on every country domain (issue 15)
    ("http://izquierdahispanica.wordpress.com/2014/x/", "izquierdahispanica.wordpress.com",
     K.BLOG, None, "shared-host:wordpress.com"),
    ("http://aquevedo.wordpress.com/", "aquevedo.wordpress.com", K.BLOG, None,
     "shared-host:wordpress.com"),
    ("https://kabarislam.files.wordpress.com/2013/01/a.jpg", "kabarislam.wordpress.com", K.BLOG,
     None, "shared-host:wordpress.com"),
    ("https://wordpress.com/read", "wordpress.com", K.OTHER, None, "registered-domain"),
    ("https://en.wordpress.com/tos/", "wordpress.com", K.OTHER, None, "registered-domain"),
    ("http://requiemporiberia.blogspot.com.es/2014/x.html", "requiemporiberia.blogspot.com.es",
     K.BLOG, None, "shared-host:blogspot.*"),
    ("http://konstelacio.blogspot.com.es/", "konstelacio.blogspot.com.es", K.BLOG, None,
     "shared-host:blogspot.*"),
    ("http://dizdira.blogspot.com/p.html", "dizdira.blogspot.com", K.BLOG, None,
     "shared-host:blogspot.*"),
    ("https://someone.blogspot.co.uk/", "someone.blogspot.co.uk", K.BLOG, None,
     "shared-host:blogspot.*"),
    ("https://jemand.blogspot.de/", "jemand.blogspot.de", K.BLOG, None, "shared-host:blogspot.*"),
    ("https://taylorswift.tumblr.com/post/1", "taylorswift.tumblr.com", K.BLOG, None,
     "shared-host:tumblr.com"),
    ("https://someone.github.io/notes/", "someone.github.io", K.OTHER, None,
     "shared-host:github.io"),
    ("https://writer.medium.com/a-post-123", "writer.medium.com", K.SOCIAL, None,
     "social-account:medium.com"),
    ("https://medium.com/@writer/a-post-123", "medium.com/writer", K.SOCIAL, None,
     "social-account:medium.com"),
    # well-known sites that are not news have a kind of their own (issue 15)
    ("https://github.com/whatwg/fetch", "github.com", K.PLATFORM, None, "registry:github.com"),
    ("https://www.google.com/search?q=x", "google.com", K.PLATFORM, None, "registry:google.com"),
    ("https://web.archive.org/web/2019/https://x.example/", "archive.org", K.ARCHIVE, None,
     "registry:web.archive.org"),
    ("https://www.w3.org/TR/html52/", "w3.org", K.STANDARDS, None, "registry:w3.org"),
    ("https://fetch.spec.whatwg.org/#headers-class", "whatwg.org", K.STANDARDS, None,
     "registry:whatwg.org"),
    ("https://developer.mozilla.org/en-US/docs/Web", "developer.mozilla.org", K.REFERENCE, None,
     "registry:developer.mozilla.org"),
    # rules
    ("https://bit.ly/3xyz", "bit.ly", K.OTHER, None, "shortener"),
    ("https://journals.sagepub.com/doi/10.1177/0022343319", "sagepub.com", K.ACADEMIC, None,
     "doi-identifier"),
    ("https://www.legislation.example.org/eli/act/2020/1", "example.org", K.LAW, None,
     "eli-identifier"),
    ("https://www.motir.go.kr/x", "motir.go.kr", K.GOVERNMENT, "KR",
     "government-suffix:.go.kr"),
    ("https://www.ons.gov.uk/economy", "ons.gov.uk", K.GOVERNMENT, "GB",
     "government-suffix:.gov.uk"),
    ("https://www.diplomatie.gouv.fr/en/", "diplomatie.gouv.fr", K.GOVERNMENT, "FR",
     "government-suffix:.gouv.fr"),
    ("https://www.army.mil/article/1", "army.mil", K.GOVERNMENT, "US", "government-suffix:.mil"),
    ("https://www.mofa.go.jp/fp/", "mofa.go.jp", K.GOVERNMENT, "JP", "registry:mofa.go.jp"),
    ("https://www.mfa.go.th/en/", "mfa.go.th", K.GOVERNMENT, "TH", "government-suffix:.go.th"),
    ("https://laws.justice.gc.ca/eng/acts/C-46/", "justice.gc.ca", K.LAW, "CA", "law-host"),
    ("https://www.mof.go.kr/law/view/1", "mof.go.kr", K.LAW, "KR", "law-path"),
    ("https://www.ox.ac.uk/news", "ox.ac.uk", K.ACADEMIC, None, "academic-suffix:.ac.uk"),
    ("https://www.snu.ac.kr/research", "snu.ac.kr", K.ACADEMIC, None, "academic-suffix:.ac.kr"),
    ("https://www.wipo.int/x", "wipo.int", K.INTERNATIONAL_ORG, None, "international-suffix"),
    ("https://news.some-blog.example.com/a", "example.com", K.OTHER, None, "registered-domain"),
    ("https://blog.example.co.uk/post", "example.co.uk", K.OTHER, None, "registered-domain"),
]


@pytest.mark.parametrize(("url", "key", "kind", "country", "rule"), CASES,
                         ids=[c[0].split("//", 1)[1][:40] for c in CASES])
def test_classification_table(
    url: str, key: str, kind: SourceKind, country: str | None, rule: str
) -> None:
    source = default_registry().classify(url)
    assert (source.key, source.kind, source.country, source.rule) == (key, kind, country, rule)


def test_x_and_twitter_accounts_are_one_source() -> None:
    reg = default_registry()
    assert reg.classify("https://twitter.com/UKRINFORM").key == \
        reg.classify("https://mobile.twitter.com/ukrinform/status/9").key == "x.com/ukrinform"


def test_url_without_host_is_no_host() -> None:
    assert default_registry().classify("mailto:desk@example.org").rule == "no-host"


def test_registry_data_is_large_and_consistent() -> None:
    reg = Registry.default()
    assert len(reg.entries) >= 300
    prefixes = [p for e in reg.entries for p in e.prefixes]
    assert len(prefixes) == len(set(prefixes)), "a prefix belongs to two outlets"
    for entry in reg.entries:
        assert entry.name and entry.prefixes
        assert entry.country is None or len(entry.country) == 2
        for prefix in entry.prefixes:
            assert prefix == prefix.lower() and not prefix.startswith(("www.", "http"))
            # each prefix classifies to its own outlet (no longer prefix shadows it)
            assert reg.classify(f"https://{prefix}/x/y").key.startswith(entry.key) or \
                entry.kind is SourceKind.SOCIAL
    kinds = {e.kind for e in reg.entries}
    assert {K.NEWS_AGENCY, K.POLLSTER, K.LAW, K.GOVERNMENT, K.INTERNATIONAL_ORG,
            K.ACADEMIC, K.SOCIAL, K.WIKI} <= kinds


def test_version_names_count_and_hash() -> None:
    reg = Registry.default()
    assert reg.version.startswith(f"{len(reg.entries)} outlets, sha1 ")
    assert Registry(reg.entries).version == reg.version
    assert Registry(reg.entries[:-1]).version != reg.version


def test_registry_csv_errors_name_the_row() -> None:
    bad = "key,name,kind,country,prefixes\nx.org,X,not-a-kind,,x.org\n"
    with pytest.raises(ConfigError, match="row 2"):
        parse_registry_csv(bad, "bad.csv")


def test_user_config_adds_and_overrides(tmp_path: Path) -> None:
    config = tmp_path / "linkgraph.toml"
    config.write_text(
        '[[outlets]]\nkey = "koreadesk.example"\nname = "Korea Desk"\nkind = "digital_news"\n'
        'country = "kr"\nprefixes = ["koreadesk.example", "https://www.desk.example/korea/"]\n\n'
        '[[outlets]]\nkey = "gallup.co.kr"\nname = "Gallup Korea (override)"\n'
        'kind = "pollster"\nprefixes = ["gallup.co.kr"]\n',
        encoding="utf-8",
    )
    reg = load_registry(config)
    desk = reg.classify("https://desk.example/korea/story")
    assert (desk.key, desk.kind, desk.country) == ("koreadesk.example", K.DIGITAL_NEWS, "KR")
    assert reg.classify("https://desk.example/japan/story").rule == "registered-domain"
    assert reg.classify("https://gallup.co.kr/x").name == "Gallup Korea (override)"
    assert "with 2 from" in reg.version
    assert Registry.default().classify("https://gallup.co.kr/x").name == "Gallup Korea"


def test_pyproject_tool_section(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[[tool.linkgraph.outlets]]\nkey = "desk"\nname = "Desk"\n'
        'kind = "newspaper"\nprefixes = ["desk.example"]\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    assert load_registry().classify("https://desk.example/a").name == "Desk"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[[outlets]]\nkey='a'\nname='A'\nkind='tabloid'\nprefixes=['a.example']\n",
         "kind 'tabloid'"),
        ("[[outlets]]\nkey='a'\nname='A'\nkind='wiki'\n", "missing 'prefixes'"),
        ("[[outlets]]\nkey='a'\nname='A'\nkind='wiki'\nprefixes=[]\n", "non-empty"),
        ("outlets = 3\n", "array of tables"),
        ("[[outlets\n", "not valid TOML"),
    ],
)
def test_config_errors(tmp_path: Path, body: str, message: str) -> None:
    config = tmp_path / "linkgraph.toml"
    config.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_registry(config)


def test_no_config_is_the_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_registry() is Registry.default()


def test_classification_does_not_depend_on_what_was_classified_before() -> None:
    """The registry's cache reads the first path segments only; the rules read the whole path
    (a DOI), so a URL classified first must not decide the answer for its neighbours."""
    doi = "https://foo.example.com/a/b/c/10.1234/xyz"
    first = Registry(default_registry().entries)
    first.classify("https://foo.example.com/a/b/c/d")
    second = Registry(default_registry().entries)
    assert first.classify(doi).rule == second.classify(doi).rule == "doi-identifier"


def test_a_host_of_many_labels_tries_only_the_suffixes_a_prefix_can_have(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every suffix of an 80,000-label host was tried against the registry (quadratic: 74 s in
    ``report``); only the last few labels can equal a prefix's host."""
    import linkgraph.sources.registry as sources_module  # noqa: PLC0415

    calls = 0
    real = sources_module.is_public_suffix

    def counting(domain: str) -> bool:
        nonlocal calls
        calls += 1
        return real(domain)

    monkeypatch.setattr(sources_module, "is_public_suffix", counting)
    registry = Registry.default()
    many = registry.classify("https://" + "a." * 20_000 + "reuters.com/world")
    few = registry.classify("https://a.reuters.com/world")
    assert (many.key, many.rule) == (few.key, few.rule)
    assert calls < 40
