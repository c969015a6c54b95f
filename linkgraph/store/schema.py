"""The store's schema: one SQL migration per version, applied in order from the file's
``PRAGMA user_version`` (a new database runs them all).  Never edit a shipped entry: append."""

from __future__ import annotations

from typing import Final

DEFAULT_DB: Final = "linkgraph.db"

# Each entry migrates from version i to i + 1.  Never edit a shipped entry: append a new one.
MIGRATIONS: Final[tuple[str, ...]] = (
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        url TEXT,
        site TEXT,
        title TEXT NOT NULL,
        published TEXT,
        modified TEXT,
        origin_path TEXT NOT NULL,
        origin_record INTEGER,
        body_kind TEXT NOT NULL,
        language TEXT,
        site_name TEXT,
        site_domains TEXT NOT NULL,
        warnings TEXT NOT NULL,
        extraction_warnings TEXT NOT NULL,
        html BLOB NOT NULL,
        ingested_at TEXT NOT NULL
    );
    CREATE TABLE citations (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        paragraph INTEGER NOT NULL,
        href TEXT,
        url TEXT,
        key TEXT,
        domain TEXT,
        text TEXT NOT NULL,
        context TEXT NOT NULL,
        kind TEXT NOT NULL,
        rel TEXT NOT NULL,
        PRIMARY KEY (article_id, position)
    );
    CREATE INDEX citations_url ON citations(url);
    CREATE INDEX citations_domain ON citations(domain);
    CREATE TABLE checks (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL,
        checked_at TEXT NOT NULL,
        verdict TEXT NOT NULL,
        status INTEGER,
        final_url TEXT,
        redirects TEXT NOT NULL,
        error TEXT,
        attempts INTEGER NOT NULL,
        archive_url TEXT,
        permanent_redirect INTEGER NOT NULL,
        extras TEXT NOT NULL
    );
    CREATE INDEX checks_url_time ON checks(url, checked_at);
    CREATE TABLE read_failures (
        id INTEGER PRIMARY KEY,
        origin_path TEXT NOT NULL,
        origin_record INTEGER,
        message TEXT NOT NULL,
        at TEXT NOT NULL
    );
    """,
    # 2: the body's sentences, stored with the extraction (analysis reads them, never the
    # HTML).  NULL for articles stored before: unknown until put_sentences fills them.
    """
    ALTER TABLE articles ADD COLUMN sentences BLOB;
    """,
    # 3: when an input was fetched (Origin.fetched_at: a web archive record's capture time, a
    # collector's fetch).  NULL for files saved by someone else.
    """
    ALTER TABLE articles ADD COLUMN origin_fetched_at TEXT;
    ALTER TABLE read_failures ADD COLUMN origin_fetched_at TEXT;
    """,
    # 4: a citation's provenance (linkgraph.records.Provenance), one column per field; rows
    # stored before are linked, their lost links missing.
    """
    ALTER TABLE citations ADD COLUMN provenance_kind TEXT NOT NULL DEFAULT 'linked';
    ALTER TABLE citations ADD COLUMN provenance_source_key TEXT;
    ALTER TABLE citations ADD COLUMN provenance_rule TEXT NOT NULL DEFAULT '';
    ALTER TABLE citations ADD COLUMN provenance_evidence TEXT NOT NULL DEFAULT '';
    ALTER TABLE citations ADD COLUMN provenance_confidence REAL;
    ALTER TABLE citations ADD COLUMN provenance_recovered_from TEXT;
    ALTER TABLE citations ADD COLUMN provenance_recovered_at TEXT;
    ALTER TABLE citations ADD COLUMN provenance_note TEXT NOT NULL DEFAULT '';
    UPDATE citations SET provenance_kind = 'missing', provenance_note = 'its href was stripped'
        WHERE kind = 'lost';
    """,
    # 5: collecting from the web: the response bodies as fetched (re-extracting never fetches
    # again) and each source's crawl cursor (resume, re-runs), written in the same transaction
    # as the page's articles.
    """
    CREATE TABLE fetches (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL,
        final_url TEXT,
        fetched_at TEXT NOT NULL,
        status INTEGER,
        content_type TEXT NOT NULL,
        body BLOB NOT NULL
    );
    CREATE INDEX fetches_url ON fetches(url);
    CREATE TABLE cursors (
        source TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    """,
    # 6: whether a citation's href carried a user name or password (the secret itself is
    # never stored); links stored before were stored as read, so the flag is unknown: 0.
    """
    ALTER TABLE citations ADD COLUMN credentials INTEGER NOT NULL DEFAULT 0;
    """,
    # 7: where a WordPress post can be had again (Article.rest_url, Article.guid), for
    # recovering what a damaged export lost.
    """
    ALTER TABLE articles ADD COLUMN rest_url TEXT;
    ALTER TABLE articles ADD COLUMN guid TEXT;
    """,
)
SCHEMA_VERSION: Final = len(MIGRATIONS)
