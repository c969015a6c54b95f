"""The social-platform table (data/platforms.csv) and how accounts are read from it."""

from __future__ import annotations

import pytest

from linkgraph.errors import ConfigError
from linkgraph.sources import default_registry
from linkgraph.sources.datafiles import parse_rows
from linkgraph.sources.platforms import (
    Account,
    is_account_page,
    platform_named,
    platforms,
    social_account,
    social_platforms,
)

ACCOUNT_ROWS = [
    ("youtube.com", "www.youtube.com", "/@NHK/videos", Account("youtube.com/@nhk", "@nhk", 1)),
    ("youtube.com", "youtube.com", "/channel/UCxY/videos",
     Account("youtube.com/channel/UCxY", "UCxY", 2)),
    ("youtube.com", "youtube.com", "/nhk", None),  # no bare account on YouTube
    ("youtube.com", "youtube.com", "/@", None),
    ("reddit.com", "old.reddit.com", "/user/Bob", Account("reddit.com/u/bob", "u/bob", 2)),
    ("t.me", "t.me", "/s/News", Account("t.me/news", "@news", 2)),
    ("facebook.com", "facebook.com", "/pages/Space-com/17610706465",
     Account("facebook.com/space-com", "@space-com", 3)),
    ("facebook.com", "facebook.com", "/pages/Space-com", None),
    ("facebook.com", "facebook.com", "/sharer.php", None),
    ("facebook.com", "facebook.com", "/profile.php", None),
    ("x.com", "x.com", "/@NASA", Account("x.com/nasa", "@nasa", 1)),
    ("substack.com", "someone.substack.com", "/p/x",
     Account("someone.substack.com", "someone", 0)),
    ("substack.com", "substack.com", "/p/x", None),
    ("blog.naver.com", "blog.naver.com", "/news/1", Account("blog.naver.com/news", "news", 1)),
    # a social outlet the table does not know (a user's own): the first segment
    ("social.example", "social.example", "/alice/1", Account("social.example/alice", "@alice", 1)),
    ("social.example", "social.example", "/share", None),
]


@pytest.mark.parametrize(("platform", "host", "path", "account"), ACCOUNT_ROWS)
def test_account_table(platform: str, host: str, path: str, account: Account | None) -> None:
    assert social_account(platform, host, [s for s in path.split("/") if s]) == account


def test_one_list_of_non_account_words() -> None:
    """The words the registry and the follow-button rule used to keep apart (47 and 25,
    disagreeing on five) are one list that every platform shares."""
    shared = platforms()["*"].not_accounts
    assert {"groups", "photo", "photos", "posts", "watch.php", "about", "login", "sharer.php"} \
        <= shared
    for platform in social_platforms():
        assert shared <= platform.not_accounts


def test_every_platform_is_a_social_outlet_of_the_registry() -> None:
    reg = default_registry()
    for platform in social_platforms():
        entry = reg.entry(platform.key)
        assert entry is not None and entry.kind.value == "social"
        for host in platform.hosts:
            assert reg.classify(f"https://{host}/").key == platform.key


def test_follow_names_find_their_platform() -> None:
    threads = platform_named(" Threads ")
    assert threads is not None and "threads.com" in threads.domains
    assert platform_named("X") is platform_named("twitter")
    assert platform_named("Myspace") is None


def test_account_page_is_the_whole_path() -> None:
    facebook = platforms()["facebook.com"]
    assert is_account_page(facebook, "/pages/Spacecom/17610706465")
    assert not is_account_page(facebook, "/pages/Spacecom/17610706465/photos")
    assert not is_account_page(facebook, "/")


def test_bad_account_rule_names_the_table() -> None:
    from linkgraph.sources.platforms import _rule  # noqa: PLC0415 - the parser of one cell

    with pytest.raises(ConfigError, match=r"platforms\.csv: x\.com"):
        _rule("a>b", "platforms.csv: x.com")


def test_data_table_requires_its_columns() -> None:
    with pytest.raises(ConfigError, match=r"t\.csv: missing column"):
        parse_rows("# comment\nkey,name\nx,y\n", "t.csv", ("key", "hosts"))
    assert parse_rows("# c\nkey,name\nx, y \n", "t.csv") == [{"key": "x", "name": "y"}]
