"""Report text in another language than the site's is marked with ``lang``."""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree as ET

import pytest
from sitekit import Project

from newsdigest.content import frontmatter
from newsdigest.pelican.sitemap import news_language
from newsdigest.stories.text import read_texts

FR_HEADLINE = "Retraites : 230 000 manifestants contre la loi Dubreuil"
FR_SUMMARY = "Les syndicats appellent à une nouvelle journée de mobilisation."
EN_HEADLINE = "Pension law passes as 230,000 march against Dubreuil"
EN_SUMMARY = "Unions called a new day of protest after the vote."
DE_HEADLINE = "Rentenreform: 230.000 demonstrieren gegen Dubreuil"
DE_SUMMARY = "Die Gewerkschaften rufen zu einem neuen Aktionstag auf."
STORY = "retraites-dubreuil"
EDITED = "pension-vote-explainer"
EDITED_TITLE = "What the pension vote means"


def report(outlet: str, headline: str, summary: str, hour: int, **extra: str) -> dict:
    return {
        "outlet": outlet,
        "headline": headline,
        "url": f"https://{outlet}.example/{hour}",
        "published": f"2026-11-18T{hour:02d}:00:00Z",
        "summary": summary,
        **extra,
    }


def add_story(project: Project, slug: str, title: str, body: str, reports) -> None:
    path = project.content / "stories" / "2026" / "11" / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = {
        "title": title,
        "slug": slug,
        "date": reports[0]["published"],
        "category": "Politics",
        "reports": reports,
    }
    path.write_text(frontmatter.dump(meta, body), encoding="utf-8")


@pytest.fixture
def site(project: Project) -> Project:
    """A story first told in French, and one whose title the editor wrote."""
    project.add_outlet("reverbere", [], language="fr", country="FR", lean="Center")
    project.add_outlet("ledger", [], language="en", country="GB", lean="Lean Left")
    # No lang on its report: the outlet's language stands in.
    project.add_outlet("rundschau", [], language="de", country="DE", lean="Right")
    add_story(
        project,
        STORY,
        FR_HEADLINE,
        FR_SUMMARY,
        [
            report("reverbere", FR_HEADLINE, FR_SUMMARY, 8, lang="fr"),
            report("ledger", EN_HEADLINE, EN_SUMMARY, 9, lang="en"),
            report("rundschau", DE_HEADLINE, "", 10),
        ],
    )
    add_story(
        project,
        EDITED,
        EDITED_TITLE,
        "Our summary.",
        [
            report("reverbere", FR_HEADLINE + " (2)", FR_SUMMARY, 11, lang="fr"),
            report("ledger", EN_HEADLINE + " (2)", EN_SUMMARY, 12, lang="en"),
        ],
    )
    return project


def langs(html: str, text: str) -> list[str | None]:
    """Where ``text`` is an element's whole text: the ``lang`` of that element,
    or of the one right around it (a link in a heading), else None."""
    found = []
    for match in re.finditer(
        rf"((?:<[a-z0-9]+[^<>]*>){{1,2}}){re.escape(text)}<", html
    ):
        marked = re.findall(r' lang="([^"]+)"', match.group(1))
        found.append(marked[-1] if marked else None)
    return found


def test_story_page_marks_each_report_with_its_language(site: Project) -> None:
    site.build()
    html = site.page(f"stories/{STORY}/index.html")
    assert '<html lang="en">' in html
    # The h1, then the side-by-side headlines, around the world, and reports.
    assert langs(html, FR_HEADLINE) == ["fr"] * 4
    assert langs(html, DE_HEADLINE) == ["de"] * 3  # the outlet's language
    assert langs(html, EN_HEADLINE) == [None] * 3
    # The story's body (the French report's summary), and the report's own.
    assert langs(html, FR_SUMMARY) == ["fr", "fr"]
    assert '<div class="summary" lang="fr">' in html
    assert langs(html, EN_SUMMARY) == [None]


def test_cards_and_outlet_pages_mark_foreign_headlines(site: Project) -> None:
    site.build()
    card = f'<h2 class="card-title" lang="fr"><a href="./stories/{STORY}/">'
    assert card in site.page("index.html")
    assert card.replace("./", "../../") in site.page("category/politics/index.html")
    assert card.replace("./", "../../") in site.page("country/de/index.html")
    assert langs(site.page("outlets/reverbere/index.html"), FR_HEADLINE) == ["fr"]
    assert langs(site.page("outlets/ledger/index.html"), EN_HEADLINE) == [None]


def test_a_title_the_editor_wrote_gets_no_language(site: Project) -> None:
    site.build()
    html = site.page(f"stories/{EDITED}/index.html")
    assert f"<h1>{EDITED_TITLE}</h1>" in html
    assert '<div class="summary">' in html
    assert f'<h2 class="card-title"><a href="./stories/{EDITED}/">' in site.page(
        "index.html"
    )


def test_text_in_the_sites_own_language_is_left_unmarked(site: Project) -> None:
    site.build(DEFAULT_LANG="fr")
    html = site.page(f"stories/{STORY}/index.html")
    assert '<html lang="fr">' in html
    assert f"<h1>{FR_HEADLINE}</h1>" in html
    assert langs(html, FR_HEADLINE) == [None] * 4
    assert langs(html, FR_SUMMARY) == [None, None]
    assert langs(html, EN_HEADLINE) == ["en"] * 3


SITE = "https://news.example"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def news_languages(site: Project) -> dict[str | None, str | None]:
    """The language the news sitemap declares for each URL."""
    root = ET.fromstring((site.output / "news-sitemap.xml").read_bytes())
    return {
        url.findtext(f"{SM}loc"): url.findtext(
            f"{NEWS}news/{NEWS}publication/{NEWS}language"
        )
        for url in root.findall(f"{SM}url")
    }


def json_ld(html: str) -> dict:
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)
    return json.loads(block)


def test_a_story_declares_the_language_of_its_title(site: Project) -> None:
    """The news sitemap and JSON-LD say what the h1's ``lang`` says."""
    # Told first by the German outlet (no lang on its report: the outlet's).
    add_story(
        site,
        "rentenreform",
        DE_HEADLINE,
        DE_SUMMARY,
        [report("rundschau", DE_HEADLINE, DE_SUMMARY, 13)],
    )
    site.build(SITEURL=SITE, NEWSDIGEST_NEWS_SITEMAP="news-sitemap.xml")
    declared = news_languages(site)
    assert declared == {
        f"{SITE}/stories/{STORY}/": "fr",
        f"{SITE}/stories/rentenreform/": "de",
        f"{SITE}/stories/{EDITED}/": "en",  # an editor's title: the site's
    }
    for slug, lang in (("rentenreform", "de"), (STORY, "fr"), (EDITED, "en")):
        html = site.page(f"stories/{slug}/index.html")
        assert json_ld(html)["inLanguage"] == lang
        # The page around the story (navigation, footer) is in the site's.
        assert '<html lang="en">' in html
    assert f'<h1 lang="de">{DE_HEADLINE}</h1>' in site.page(
        "stories/rentenreform/index.html"
    )


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("de", "de"),
        ("FR", "fr"),
        ("en-GB", "en"),
        ("pt_BR", "pt"),
        ("zh", "zh-cn"),
        ("zh-CN", "zh-cn"),
        ("zh-Hans", "zh-cn"),
        ("zh-TW", "zh-tw"),
        ("zh-Hant-HK", "zh-tw"),
        ("zh-Hant", "zh-tw"),
        ("zh-Hans-HK", "zh-cn"),  # the script outranks the region
        ("fil", "fil"),
    ],
)
def test_news_sitemap_languages_are_the_codes_google_news_takes(
    code: str, expected: str
) -> None:
    assert news_language(code) == expected


AR_HEADLINE = "البنك المركزي يرفع سعر الفائدة بنسبة 2%!"
AR_SUMMARY = "قال البنك إن القرار يهدف إلى كبح التضخم."


def test_right_to_left_text_runs_right_to_left(site: Project) -> None:
    """Arabic on an English site is marked rtl; English on an Arabic one ltr."""
    site.add_outlet("sahil", [], language="ar", country="EG", lean="Center")
    add_story(
        site,
        "rates",
        AR_HEADLINE,
        AR_SUMMARY,
        [
            report("sahil", AR_HEADLINE, AR_SUMMARY, 14, lang="ar"),
            report("ledger", EN_HEADLINE + " (3)", EN_SUMMARY, 15, lang="en"),
        ],
    )
    site.build()
    html = site.page("stories/rates/index.html")
    assert '<html lang="en">' in html
    assert f'<h1 lang="ar" dir="rtl">{AR_HEADLINE}</h1>' in html
    assert '<div class="summary" lang="ar" dir="rtl">' in html
    assert f'<p lang="ar" dir="rtl">{AR_SUMMARY}</p>' in html
    french = site.page(f"stories/{STORY}/index.html")
    assert f'<h1 lang="fr">{FR_HEADLINE}</h1>' in french  # left to right, as the site

    site.build(DEFAULT_LANG="ar")
    html = site.page("stories/rates/index.html")
    assert '<html lang="ar" dir="rtl">' in html
    assert f"<h1>{AR_HEADLINE}</h1>" in html
    assert f'lang="en" dir="ltr">{EN_HEADLINE} (3)<' in html


def test_a_description_in_chinese_keeps_what_fits(site: Project) -> None:
    """Jinja's truncate would cut back to the first space, nine characters in."""
    summary = "新华社北京11月25日电 " + "国务院总理今天主持召开国务院常务会议，" * 12
    site.add_outlet("huanan", [], language="zh", country="CN", lean="Center")
    add_story(
        site,
        "state-council",
        "国务院常务会议召开",
        summary,
        [report("huanan", "国务院常务会议召开", summary, 16, lang="zh")],
    )
    site.build()
    html = site.page("stories/state-council/index.html")
    (description,) = re.findall(r'<meta name="description" content="([^"]*)">', html)
    assert description.endswith("…")
    assert summary.startswith(description.removesuffix("…"))
    assert 120 <= len(description) <= 160  # cut after a comma near the end


TW_HEADLINE = "立法院三讀通過預算案"
BR_HEADLINE = "Câmara aprova reforma tributária em segundo turno"


def test_a_language_with_a_region_or_script_reaches_every_page(
    site: Project,
) -> None:
    """``zh-TW`` and ``pt-BR`` outlets: their tags in ``lang``, JSON-LD, sitemap."""
    site.add_outlet("taipei", [], language="zh-TW", country="TW", lean="Center")
    site.add_outlet("folha", [], language="pt-BR", country="BR", lean="Center")
    add_story(
        site,
        "budget",
        TW_HEADLINE,
        "",
        [report("taipei", TW_HEADLINE, "", 17, lang="zh-TW")],
    )
    add_story(site, "reforma", BR_HEADLINE, "", [report("folha", BR_HEADLINE, "", 18)])
    site.build(SITEURL=SITE, NEWSDIGEST_NEWS_SITEMAP="news-sitemap.xml")
    declared = news_languages(site)
    assert declared[f"{SITE}/stories/budget/"] == "zh-tw"
    assert declared[f"{SITE}/stories/reforma/"] == "pt"
    for slug, headline, lang in (
        ("budget", TW_HEADLINE, "zh-TW"),
        ("reforma", BR_HEADLINE, "pt-BR"),
    ):
        html = site.page(f"stories/{slug}/index.html")
        assert f'<h1 lang="{lang}">{headline}</h1>' in html
        assert json_ld(html)["inLanguage"] == lang


def test_text_is_stemmed_by_its_primary_language() -> None:
    text = "Os deputados aprovaram as reformas tributárias"
    assert read_texts([(text, "pt-BR")]) == read_texts([(text, "pt")])
    assert read_texts([(text, "pt-BR")]) != read_texts([(text, "en")])
