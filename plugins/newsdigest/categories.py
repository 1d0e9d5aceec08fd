"""The category vocabulary: names, their emoji, and feed words that map to them."""

from __future__ import annotations

from newsdigest.normalize import normalize_headline

#: Category name -> emoji shown beside it. The Pelican setting
#: ``NEWSDIGEST_CATEGORY_EMOJI`` overrides or extends it.
CATEGORY_EMOJI: dict[str, str] = {
    "Politics": "🏛️",
    "World": "🌍",
    "Business": "💼",
    "Technology": "💻",
    "Science": "🔬",
    "Health": "🩺",
    "Climate": "🌱",
    "Sports": "⚽",
    "Culture": "🎭",
    "General": "📰",
}
DEFAULT_CATEGORY = "General"

#: Words feeds use (several languages), folded, -> our category.
_SYNONYMS: dict[str, str] = {
    "politics": "Politics",
    "politique": "Politics",
    "politik": "Politics",
    "política": "Politics",
    "election": "Politics",
    "elections": "Politics",
    "government": "Politics",
    "world": "World",
    "international": "World",
    "monde": "World",
    "welt": "World",
    "mundo": "World",
    "europe": "World",
    "business": "Business",
    "economy": "Business",
    "economie": "Business",
    "économie": "Business",
    "wirtschaft": "Business",
    "economía": "Business",
    "markets": "Business",
    "finance": "Business",
    "technology": "Technology",
    "tech": "Technology",
    "technologie": "Technology",
    "tecnología": "Technology",
    "science": "Science",
    "wissenschaft": "Science",
    "ciencia": "Science",
    "health": "Health",
    "santé": "Health",
    "gesundheit": "Health",
    "salud": "Health",
    "climate": "Climate",
    "environment": "Climate",
    "climat": "Climate",
    "klima": "Climate",
    "clima": "Climate",
    "sports": "Sports",
    "sport": "Sports",
    "deportes": "Sports",
    "culture": "Culture",
    "arts": "Culture",
    "kultur": "Culture",
    "cultura": "Culture",
}


#: Categories that say where a story happened as the outlet sees it, not what
#: it is about: an outlet files a foreign story's report under World whatever
#: its topic, so a US bridge closure is World to every non-US outlet.
_SECTIONS = frozenset({"World"})


def category_for(tags: list[str] | tuple[str, ...], fallback: str | None = None) -> str:
    """The category the most tags map to; else ``fallback``; else General.

    A :data:`_SECTIONS` category counts only when no tag names a topic. Ties go
    to the name last in alphabetical order.
    """
    counts: dict[str, int] = {}
    for tag in tags:
        folded = normalize_headline(tag)
        name = _SYNONYMS.get(folded) or next(
            (c for c in CATEGORY_EMOJI if c.casefold() == folded), None
        )
        if name:
            counts[name] = counts.get(name, 0) + 1
    topics = {name: n for name, n in counts.items() if name not in _SECTIONS}
    if counted := topics or counts:
        return max(counted, key=lambda name: (counted[name], name))
    return fallback or DEFAULT_CATEGORY
