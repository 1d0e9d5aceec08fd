"""Category, author and tag lists answer ``in`` as a list of articles does."""

from __future__ import annotations

from pelican import signals
from sitekit import NOW, Item, Project

from newsdigest.pelican.listings import Members


class Article:
    """Stands in for a Pelican article: compared by identity."""


def test_in_is_by_identity_and_follows_the_list() -> None:
    one, other = Article(), Article()
    members = Members([one])
    assert one in members
    assert other not in members
    members.append(other)
    assert other in members
    assert Article() not in members
    assert members == [one, other]


def test_a_built_site_lists_categories_with_members(project: Project) -> None:
    kinds: list[type] = []

    def note(generators: list) -> None:
        articles = next(g for g in generators if hasattr(g, "categories"))
        kinds.extend(type(members) for _category, members in articles.categories)

    signals.all_generators_finalized.connect(note)
    project.add_outlet(
        "harbor-ledger",
        [
            Item(
                "Harbor bridge closed",
                "https://h.example/a",
                NOW,
                categories=("World",),
            ),
            Item(
                "Ski season opens", "https://h.example/b", NOW, categories=("Sports",)
            ),
        ],
    )
    project.ingest()
    output = project.build()
    world = (output / "category" / "world" / "index.html").read_text("utf-8")
    assert "Harbor bridge closed" in world
    assert "Ski season opens" not in world
    assert kinds == [Members, Members]
