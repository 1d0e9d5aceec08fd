"""What clustering reads from a report: one text, and tokens per language.

Words are folded, stripped of stop words and stemmed in the report's own
language. Names, places and numbers are kept apart as **anchors**, because
they are what survives framing and translation: a left and a right outlet
describe an event in different words, a French and a German one in different
languages, but all of them name the same people, places and figures. Numbers
are normalised across spellings (``18%``, ``18 per cent``, ``18 Prozent``;
``$14bn``, ``14 milliards de dollars``, ``14.000 millones``; ``41,000``,
``41 000``, ``41.000``), and number words up to 99 in English, French, German
and Spanish are read as figures (``twelve``, ``douze``, ``zwölf``, ``doce``).
Countries are one anchor in every language (``@country:tr`` for ``Turkey``,
``Türkei``, ``Turquie`` and ``Turquía``), from the ISO 3166 names and their
translations that pycountry ships, and in other languages also CLDR's
everyday names (``Россия``), from Babel (:func:`country_names`).

Chinese and Japanese write no spaces between words, and Korean only between
phrases, so a run of Han, kana or Hangul is read as its overlapping pairs of
characters, whatever language the report is said to be in (``地铁故障`` ->
``地铁``, ``铁故``, ``故障``): two reports that write the same words share
those pairs. Figures in them are read too (``5万戸`` -> ``#50000``).

A report is read as a news story is written, in an inverted pyramid: the
**lead** (the headline and the text's first sentence) says what happened,
the body adds background, often retelling earlier events.
:func:`analyse_leads` says which tokens come from the lead.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, MutableMapping, Sequence
from functools import cache, lru_cache
from itertools import pairwise
from typing import NamedTuple

import pycountry
import snowballstemmer

from newsdigest.processes import map_in_chunks

#: scikit-learn's English stop words (``ENGLISH_STOP_WORDS``, from the Glasgow
#: Information Retrieval Group's list), copied as data under scikit-learn's BSD
#: 3-Clause licence (Copyright (c) 2007-2024 The scikit-learn developers) so that
#: clustering and related stories need not import scikit-learn.
_SKLEARN_ENGLISH = (
    "a about above across after afterwards again against all almost alone along "
    "already also although always am among amongst amoungst amount an and another any "
    "anyhow anyone anything anyway anywhere are around as at back be became because "
    "become becomes becoming been before beforehand behind being below beside besides "
    "between beyond bill both bottom but by call can cannot cant co con could couldnt "
    "cry de describe detail do done down due during each eg eight either eleven else "
    "elsewhere empty enough etc even ever every everyone everything everywhere except "
    "few fifteen fifty fill find fire first five for former formerly forty found four "
    "from front full further get give go had has hasnt have he hence her here "
    "hereafter hereby herein hereupon hers herself him himself his how however "
    "hundred i ie if in inc indeed interest into is it its itself keep last latter "
    "latterly least less ltd made many may me meanwhile might mill mine more moreover "
    "most mostly move much must my myself name namely neither never nevertheless next "
    "nine no nobody none noone nor not nothing now nowhere of off often on once one "
    "only onto or other others otherwise our ours ourselves out over own part per "
    "perhaps please put rather re same see seem seemed seeming seems serious several "
    "she should show side since sincere six sixty so some somehow someone something "
    "sometime sometimes somewhere still such system take ten than that the their them "
    "themselves then thence there thereafter thereby therefore therein thereupon "
    "these they thick thin third this those though three through throughout thru thus "
    "to together too top toward towards twelve twenty two un under until up upon us "
    "very via was we well were what whatever when whence whenever where whereafter "
    "whereas whereby wherein whereupon wherever whether which while whither who "
    "whoever whole whom whose why will with within without would yet you your yours "
    "yourself yourselves"
)
ENGLISH_STOP_WORDS = frozenset(_SKLEARN_ENGLISH.split())

#: ISO 639-1 codes of the languages snowball can stem.
STEMMERS: dict[str, str] = {
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "hu": "hungarian",
    "id": "indonesian",
    "it": "italian",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "tr": "turkish",
}

# Function words, days (and English months), and the attribution boilerplate
# every news report carries, as space-separated words per language.
_STOP_WORDS: dict[str, str] = {
    "en": _SKLEARN_ENGLISH
    + " said says say told tells according officials official reported reports"
    " report announced week weeks day days year years month months new news just"
    " like ago today yesterday tonight people time times make makes made want"
    " wants set sets per cent percent including near monday tuesday wednesday"
    " thursday friday saturday sunday january february april june july august"
    " september october november december",
    "fr": "a à ai aie ait as au aux avec avait avaient avoir c ça ce ceci cela celle"
    " celles celui ces cet cette ceux chez comme d dans de des du elle elles en"
    " entre est et été être eu eux fait faire font il ils j je l la le les leur"
    " leurs lui m ma mais me même mes moi mon n ne ni nos notre nous on ont ou où"
    " par pas peu plus pour qu que quel quelle qui s sa sans se ses si son sont"
    " sous sur t ta te tes toi ton tous tout toute toutes très tu un une vos"
    " votre vous y déjà encore après avant contre depuis selon dit déclaré"
    " annoncé affirme estime lors aussi ainsi alors dont cent an ans jour jours"
    " fois lundi mardi mercredi jeudi vendredi samedi dimanche",
    "de": "aber als also am an auch auf aus bei bin bis bist da damit dann das dass"
    " dem den denn der des dich die dies diese diesem diesen dieser dieses doch"
    " dort du durch ein eine einem einen einer eines er es etwa euch für gegen"
    " hat hatte hatten habe haben hier ich ihm ihn ihr ihre ihrem ihren ihrer im"
    " in ist ja jede jedem jeden jeder jetzt kann kein keine man mehr mein mit"
    " muss nach nicht noch nun nur ob oder ohne sehr sein seine seinem seinen"
    " seiner sich sie sind so soll sollen sondern über um und uns unter vom von"
    " vor war waren was weil wenn werden wie wieder will wir wird wurde wurden zu"
    " zum zur zwischen sagte sagt laut teilte seit rund prozent jahr jahre jahren"
    " tag tage montag dienstag mittwoch donnerstag freitag samstag sonntag",
    "es": "a al algo algunos ante antes como con contra cual cuando de del desde"
    " donde durante e el ella ellas ellos en entre era es esa esas ese eso esos"
    " esta estas este esto estos fue fueron ha han hasta hay la las le les lo"
    " los mas más me mi mis muy nada ni no nos o os otra otro para pero poco por"
    " porque que quien se sea ser si sí sin sobre su sus tambien también tanto"
    " te tiene tienen todo todos tras tu un una uno unos y ya dijo dice afirmó"
    " anunció según ciento año años día días vez lunes martes miércoles jueves"
    " viernes sábado domingo",
}

#: Where the lead ends: at the first sentence that starts after this many
#: words of title and text. A headline and its one-line summary are all lead;
#: an article's lead is its headline and first sentence.
LEAD_WORDS = 30
#: Number words that :func:`spelled_numbers` writes as figures: 1 to 19 in
#: order of value (``|`` between spellings of one value), then the tens from
#: 20. French builds 17 to 19, 70, 80 and 90 from these: ``dix-sept``,
#: ``soixante-dix``, ``quatre-vingts``, ``quatre-vingt-dix``.
_ONES: dict[str, str] = {
    "en": "one two three four five six seven eight nine ten eleven twelve thirteen"
    " fourteen fifteen sixteen seventeen eighteen nineteen",
    "fr": "un|une deux trois quatre cinq six sept huit neuf dix onze douze treize"
    " quatorze quinze seize",
    "de": "eins|ein zwei drei vier fünf sechs sieben acht neun zehn elf zwölf"
    " dreizehn vierzehn fünfzehn sechzehn siebzehn achtzehn neunzehn",
    "es": "uno|una|un dos tres cuatro cinco seis siete ocho nueve diez once doce"
    " trece catorce quince dieciséis|dieciseis diecisiete dieciocho diecinueve",
}
_TENS: dict[str, str] = {
    "en": "twenty thirty forty fifty sixty seventy eighty ninety",
    "fr": "vingt|vingts trente quarante cinquante soixante",
    "de": "zwanzig dreißig|dreissig vierzig fünfzig sechzig siebzig achtzig neunzig",
    "es": "veinte treinta cuarenta cincuenta sesenta setenta ochenta noventa",
}
#: What may join the parts of one number: ``forty-eight``, ``quarante-huit``,
#: ``vingt et un``, ``cuarenta y ocho``; German writes ``achtundvierzig``.
_NUMBER_JOINS = {
    "en": r"-|\s",
    "fr": r"-et-|\set\s|-|\s",
    "de": r"und",
    "es": r"\sy\s",
}
#: German forms adjectives by gluing a word to a number: ``achtundvierzigstündig``.
_GERMAN_GLUED = r"(?=tausend|stündig|tägig|jährig|wöchig|köpfig|prozentig)"

#: Han ideographs (and 々, 〆, 〇), hiragana, katakana (without its middle dot
#: ・, which parts names) and Hangul, as ranges for a character class: the
#: scripts written without spaces between words.
_CJK = (
    "\u1100-\u11ff\u3005-\u3007\u3041-\u3096\u309d-\u309f\u30a1-\u30fa"
    "\u30fc-\u30ff\u3131-\u318e\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\ua960-\ua97f\uac00-\ud7a3\ud7b0-\ud7ff\uf900-\ufaff\U00020000-\U0003ffff"
)
#: A figure, not inside a word nor after a point or comma (but perhaps right
#: after Han, kana or Hangul, which set it off with no space, and after a
#: comma that follows them, as a full-width comma does once NFKC makes it ``,``:
#: ``约5万``, ``韩元，5千人``).
_NUMBER = re.compile(
    rf"(?=\d)(?:(?<![.,])|(?<=[{_CJK}],))(?<![^\W{_CJK}])"
    r"(\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d.,]\d)|\d+(?:[.,]\d+)*)"
    r"(?:\s?[-–:]\s?(\d{1,2})(?![\d.,]))?"
)
#: Words after a number that give its scale, folded, and the unit they mean.
_UNITS: dict[str, str] = {
    word: unit
    for unit, words in {
        "k": "k thousand thousands mil mille tausend",
        "m": "m mn mln million millions millon millones millionen mio",
        "b": "b bn billion billions milliard milliards milliarde milliarden mrd "
        "millardo millardos mil-millones",
        "%": "% pct percent per-cent pour-cent prozent por-ciento",
    }.items()
    for word in words.split()
}
#: Characters that scale a figure in Chinese, Japanese and Korean, and the
#: power of ten each means: ``5万`` is 50,000, ``3千万`` 30 million, ``2억`` 200
#: million.
_CJK_SCALES = {"千": 3, "천": 3, "万": 4, "萬": 4, "만": 4, "亿": 8, "億": 8, "억": 8}
_AFTER_NUMBER = re.compile(
    r"(\s?)(%|per cent|pour cent|por ciento|mil millones"
    rf"|[{''.join(_CJK_SCALES)}]+|[^\W\d_{_CJK}]+)",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+")
_PLAIN_WORD = re.compile(r"\b\w\w+\b")
#: A word not in Han, kana or Hangul; a run of those; or any other character
#: that is not white space.
_WORD_OR_MARK = re.compile(rf"([^\W\d_{_CJK}]+)|([{_CJK}]+)|\S")
_CJK_CHAR = re.compile(f"[{_CJK}]")
_SENTENCE_END = frozenset('.!?:;|"“”«»—–()[]。')
_DECIMAL_POINT_LANGUAGES = frozenset({"en", "ga", "he", "hi", "ja", "ko", "th", "zh"})
#: Short forms of country names that news uses and ISO 3166 lacks, by ISO
#: 3166 code, ``|`` between forms: it has ``Türkiye``, ``Russian Federation``,
#: ``Russische Föderation`` and ``Federación Rusa``, and writes the Democratic
#: Republic of the Congo only as ``Congo, The Democratic Republic of the``.
#: All-capital forms match only in capitals. ``US``, ``USA`` and ``EE. UU.``
#: are left out on purpose: as one anchor with ``United States`` they joined
#: Mexico's retaliation to the US tariff it answered (``eval/results.md``).
_COUNTRY_ALIASES: dict[str, str] = {
    "CD": "Democratic Republic of the Congo|DR Congo",
    "GB": "UK|Britain|Great Britain",
    "RU": "Russia|Russland|Rusia",
    "TR": "Turkey",
}


class _Word(NamedTuple):
    """A word as written: folded form, capitalised or not, first of a sentence."""

    folded: str
    raw: str
    capital: bool
    initial: bool


def cluster_text(title: str, text: str) -> str:
    """The one text clustering reads for a report: headline, then lead or body."""
    return ". ".join(part.strip() for part in (title, text) if part and part.strip())


def plain_words(text: str) -> list[str]:
    """Lower-case unaccented words of two or more characters, less English stop words.

    The plain analysis related stories use: scikit-learn's default, as it was.
    """
    text = text.lower()
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return [w for w in _PLAIN_WORD.findall(text) if w not in ENGLISH_STOP_WORDS]


def primary_language(tag: str | None) -> str:
    """The primary subtag of a language tag, lower case: ``en`` for ``en-GB``."""
    return (tag or "").split("-", maxsplit=1)[0].lower()


def stop_words(lang: str | None) -> frozenset[str]:
    """Folded stop words of ``lang`` (days and months included); empty if unknown."""
    return _folded_stop_words(lang or "")


def guess_language(text: str) -> str | None:
    """The language whose stop words ``text`` uses most, if it uses any."""
    words = [fold(w) for w in _WORD.findall(text.lower())]
    hits = {lang: sum(w in stop_words(lang) for w in words) for lang in _STOP_WORDS}
    best = max(sorted(hits), key=hits.__getitem__)
    return best if hits[best] else None


@lru_cache(maxsize=2**17)
def fold(word: str) -> str:
    """Lower case without accents: ``Élise`` -> ``elise``, ``Straße`` -> ``strasse``."""
    if word.isascii():  # nothing to decompose: the same result, much sooner
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def analyse_leads(
    texts: Sequence[str],
    langs: Sequence[str | None],
    kept: MutableMapping[ReadingKey, TextReading] | None = None,
) -> tuple[list[list[str]], list[int]]:
    """Tokens of each text, the lead's first, and how many come from the lead.

    Within the lead and within the body, anchors come before word stems.
    Number words are read as figures (:func:`spelled_numbers`). A capitalised
    word is a name when the batch shows it capitalised in the middle of a
    sentence somewhere, outside title-case headlines and German (which
    capitalises every noun); so ``Pryce`` at the start of a headline is still
    a name, and ``Stands`` in ``Pryce Stands Firm`` is not. A capitalised
    country name in the text's language, however inflected, is one
    ``@country:`` anchor with its ISO 3166 code, capitalised mid-sentence or
    not: ``Turkey``, ``der Türkei``, ``Turquía`` -> ``@country:tr``; ``den
    Vereinigten Staaten``, ``Estados Unidos`` -> ``@country:us``.

    Each text is read on its own (:func:`read_texts`), in worker processes
    from :data:`PARALLEL_TEXTS` texts on; only which words are names waits
    for the whole batch. ``kept`` holds readings by (text, language): those
    found there are not read again, and those read are added to it.
    """
    kept = {} if kept is None else kept
    keys = list(zip(texts, langs, strict=True))
    missing = list(dict.fromkeys(key for key in keys if key not in kept))
    read = map_in_chunks(
        read_texts, missing, chunk=_CHUNK, parallel_from=PARALLEL_TEXTS
    )
    kept.update(zip(missing, read, strict=True))
    readings = [kept[key] for key in keys]
    names = set().union(*(r.names for r in readings)) - _any_stop_word()
    tokens = []
    for reading in readings:
        text = list(reading.tokens)
        for place, folded in reading.capitalised:
            if folded in names:
                text[place] = f"@{folded}"
            elif folded.endswith("s") and folded[:-1] in names:
                text[place] = f"@{folded[:-1]}"  # German genitive: Kellermanns
        tokens.append(text)
    return tokens, [reading.lead for reading in readings]


#: From this many texts on, :func:`analyse_leads` shares them among processes.
PARALLEL_TEXTS = 2000
_CHUNK = 500


#: A text and its language, as :func:`analyse_leads` reads it.
ReadingKey = tuple[str, str | None]


class TextReading(NamedTuple):
    """A text read on its own, as far as a text alone tells its tokens."""

    #: Its tokens, a capitalised word's stem standing for it.
    tokens: tuple[str, ...]
    #: How many of its tokens come from its lead.
    lead: int
    #: Where it has a capitalised word, which is a name if the batch says so:
    #: (place in its tokens, folded word).
    capitalised: tuple[tuple[int, str], ...]
    #: Folded words it capitalises in mid-sentence.
    names: frozenset[str]


def read_texts(texts: Sequence[ReadingKey]) -> list[TextReading]:
    """Read each (text, language) for :func:`analyse_leads`: all but names."""
    readings = []
    for text, given in texts:
        lang = primary_language(given) or guess_language(text)
        words, numbers, (lead_words, lead_numbers) = _scan_lead(
            spelled_numbers(text, lang), lang
        )
        lead, lead_capitals = _word_tokens(words[:lead_words], lang)
        body, body_capitals = _word_tokens(words[lead_words:], lang)
        first = [*numbers[:lead_numbers], *lead]
        tokens = (*first, *numbers[lead_numbers:], *body)
        body_start = len(tokens) - len(body)
        capitalised = tuple(
            [(lead_numbers + place, folded) for place, folded in lead_capitals]
            + [(body_start + place, folded) for place, folded in body_capitals]
        )
        readings.append(
            TextReading(
                tokens,
                len(first),
                capitalised,
                frozenset(_name_candidates(words, lang)),
            )
        )
    return readings


def spelled_numbers(text: str, lang: str | None) -> str:
    """``text`` with number words under 100 in ``lang`` written as figures.

    ``twelve thousand`` -> ``12 thousand``, ``quatre-vingt-dix`` -> ``90``,
    ``achtundvierzigstündig`` -> ``48stündig``. A run of words that is not one
    number (``two three``) is left as it is.
    """
    if lang not in _ONES:
        return text
    run, word, values = _number_words(lang)

    def figure(match: re.Match[str]) -> str:
        parts = [values[w.lower()] for w in word.findall(match.group())]
        if lang == "fr":  # quatre-vingt(s): four twenties
            for place in range(len(parts) - 1, 0, -1):
                if parts[place - 1 : place + 1] == [4, 20]:
                    parts[place - 1 : place + 1] = [80]
        if lang == "de":  # achtundvierzig: eight and forty
            parts.reverse()
        one_number = len(parts) == 1 or (
            parts[0] % 10 == 0 and all(a > b for a, b in pairwise(parts))
        )
        return str(sum(parts)) if one_number else match.group()

    return run.sub(figure, text)


def _trie(words: Iterable[str]) -> str:
    """A pattern for any of ``words``, longest first, shared beginnings factored.

    Much faster to search with than the words as plain alternatives.
    """
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = [re.escape(c) + pattern(child) for c, child in node.items() if c]
        if not branches:
            return ""
        if len(branches) == 1 and "" not in node:
            return branches[0]
        group = f"(?:{'|'.join(sorted(branches))})"
        return f"{group}?" if "" in node else group

    return pattern(tree)


@cache
def _number_words(lang: str) -> tuple[re.Pattern[str], re.Pattern[str], dict]:
    """A run of number words in ``lang``, one number word, and their values."""
    values: dict[str, int] = {}
    for words, first, step in ((_ONES[lang], 1, 1), (_TENS[lang], 2, 10)):
        for value, spellings in enumerate(words.split(), start=first):
            values.update(dict.fromkeys(spellings.split("|"), value * step))
    word = _trie(values)
    end = rf"{_GERMAN_GLUED}|(?!\w)" if lang == "de" else r"(?!\w)"
    run = rf"(?<!\w)(?:{word})(?:(?:{_NUMBER_JOINS[lang]})(?:{word}))*(?:{end})"
    return (
        re.compile(run, re.IGNORECASE),
        re.compile(word, re.IGNORECASE),
        values,
    )


def names_in(text: str, lang: str | None) -> set[str]:
    """Folded words ``text`` writes as names: capitalised mid-sentence, acronyms."""
    words, _numbers, _lead = _scan_lead(text, lang)
    return _name_candidates(words, lang) - _any_stop_word()


def _scan_lead(
    text: str, lang: str | None
) -> tuple[list[_Word], list[str], tuple[int, int]]:
    """Split a text into number anchors and words (with their case and position).

    And say how many of the words and numbers are in the lead. In a run of
    Han, kana or Hangul each overlapping pair of characters is a word.

    The lead ends where the first sentence starts after :data:`LEAD_WORDS`
    words.
    """
    text = unicodedata.normalize("NFKC", text).replace("’", "'")
    numbers: list[str] = []
    starts: list[int] = []
    pieces: list[str] = []
    done = 0
    for match in _NUMBER.finditer(text):
        token, end = _number_token(match, lang)
        if token:
            numbers.append(token)
            starts.append(match.start())
        pieces += [text[done : match.start()], " " * (end - match.start())]
        done = end
    text = "".join([*pieces, text[done:]])
    words = []
    lead: tuple[int, int] | None = None
    initial = True  # the text starts a sentence
    for match in _WORD_OR_MARK.finditer(text):
        raw, cjk = match.groups()
        if raw is None and cjk is None:
            # A mark: what follows starts a sentence if it ends one.
            initial = match.group() in _SENTENCE_END
            continue
        if initial and lead is None and len(words) >= LEAD_WORDS:
            lead = len(words), bisect_left(starts, match.start())
        if raw is not None:
            words.append(_Word(fold(raw), raw, raw[0].isupper(), initial))
        else:  # each pair of characters a word; one alone, like a letter, is none
            for at in range(max(len(cjk) - 1, 1)):
                pair = cjk[at : at + 2]
                words.append(_Word(pair, pair, False, initial and not at))
        initial = False
    return words, numbers, lead or (len(words), len(numbers))


def _number_token(match: re.Match[str], lang: str | None) -> tuple[str | None, int]:
    """``#`` plus the number in one spelling with its unit, and where it ends.

    Thousands, millions and billions are multiplied out, so ``$2.3bn``,
    ``2.300 millones`` and ``2,300,000,000`` are one figure. Bare whole
    numbers under 100 get ``@`` and weigh as names. Letters glued to a number
    (``200mm``, ``11th``, ``49.2C``) go with it; Han, kana and Hangul do not
    (``3号线``, ``25日``), except :data:`_CJK_SCALES` (``5万``).
    """
    value = _parse_number(match.group(1), lang)
    if match.group(2) is not None:  # a score or a vote: 2-1, 6:4
        return f"#{value}-{match.group(2)}", match.end()
    unit, end = "", match.end()
    after = _AFTER_NUMBER.match(match.string, match.end())
    if after is not None and after.group(2)[0] in _CJK_SCALES:
        digits = sum(_CJK_SCALES[char] for char in after.group(2))
        value, end = _scaled(value, digits), after.end()
    elif after is not None:
        word = fold(after.group(2)).replace(" ", "-")
        if word in _UNITS:
            unit, end = _UNITS[word], after.end()
            if word.startswith("billion") and lang in ("fr", "de"):
                unit = "t"  # a French or German billion is a trillion
        elif not after.group(1):
            end = after.end()
    if unit in _SCALES:
        value, unit = _scaled(value, _SCALES[unit]), ""
    if not unit and "." not in value and int(value) < 100:
        # One to nine tells nothing; 40 (countries, homes, years) recurs
        # across events like a name does, so it weighs as one.
        return (f"@{value}" if int(value) >= 10 else None), end
    return f"#{value}{unit}", end


_SCALES = {"k": 3, "m": 6, "b": 9, "t": 12}


def _scaled(value: str, digits: int) -> str:
    """``2.3`` times ten to the ``digits``, in :func:`_parse_number`'s spelling."""
    whole, _point, fraction = value.partition(".")
    fraction = fraction.ljust(digits, "0")
    whole = str(int(whole + fraction[:digits]))
    fraction = fraction[digits:].rstrip("0")
    return f"{whole}.{fraction}" if fraction else whole


@lru_cache(maxsize=2**12)
def _parse_number(digits: str, lang: str | None) -> str:
    """``41,000`` (en), ``41.000`` (de), ``41 000`` (fr) -> ``41000``."""
    decimal = "." if (lang or "en") in _DECIMAL_POINT_LANGUAGES else ","
    whole, separator, fraction = re.sub(r"\s", "", digits).rpartition(decimal)
    if not separator:
        whole, fraction = fraction, ""
    whole = re.sub(r"\D", "", whole) or "0"
    fraction = fraction.rstrip("0")
    return f"{int(whole)}.{fraction}" if fraction else str(int(whole))


def _name_candidates(words: list[_Word], lang: str | None) -> set[str]:
    """Folded words a text capitalises in mid-sentence: names and places.

    Stop words of any language among them are no names: callers take them out.
    """
    names: set[str] = set()
    for sentence in _sentences(words):
        title_case = _is_title_case(sentence)
        for word in sentence:
            if word.raw.isupper() and len(word.raw) > 1:
                names.add(word.folded)  # an acronym, in any language
            elif word.capital and not (word.initial or title_case or lang == "de"):
                names.add(word.folded)
    return names


def _sentences(words: list[_Word]) -> Iterable[list[_Word]]:
    sentence: list[_Word] = []
    for word in words:
        if word.initial and sentence:
            yield sentence
            sentence = []
        sentence.append(word)
    if sentence:
        yield sentence


def _is_title_case(sentence: list[_Word]) -> bool:
    """Every longer word capitalised: a headline in Title Case tells no names."""
    long_words = [w for w in sentence if len(w.raw) > 3]
    return len(long_words) >= 3 and all(w.capital for w in long_words)


def _word_tokens(
    words: list[_Word], lang: str | None
) -> tuple[list[str], list[tuple[int, str]]]:
    """Tokens of ``words``, and the capitalised words among them that may be names.

    Those are stemmed for now; each is listed as (place in the tokens,
    folded word) for :func:`analyse_leads` to make a name if the batch has it.
    """
    stops = stop_words(lang)
    beginnings = _country_table(lang or "")[1]
    tokens: list[str] = []
    capitalised: list[tuple[int, str]] = []
    skip = 0  # words of a country's name already read
    for at, word in enumerate(words):
        folded = word.folded
        if skip:
            skip -= 1
        elif not word.capital:
            if len(folded) > 1 and folded not in stops:
                tokens.append(_stem(lang, word.raw.lower()))
        elif (
            folded[:3] in beginnings
            and (candidates := _country_candidates(lang, word.raw))
            and (country := _country_at(words, at, lang, candidates))
        ):
            code, length = country
            tokens.append(f"@country:{code}")
            skip = length - 1
        elif len(folded) < 2 or folded in stops:
            continue
        else:
            capitalised.append((len(tokens), folded))
            tokens.append(_stem(lang, word.raw.lower()))
    return tokens, capitalised


def country_names(lang: str) -> dict[str, list[str]]:
    """Names of each country in ``lang`` by ISO 3166 alpha-2 code.

    The ISO short name, common name (``South Korea``) and official name, in
    ``lang``'s translation where pycountry has one (English otherwise), each
    without a parenthesis; where ISO's English name puts the kind of state
    after a comma, also cut there (``Iran, Islamic Republic of`` -> ``Iran``,
    but not ``Christmas, île`` -> ``Christmas``); the few
    :data:`_COUNTRY_ALIASES`; and, outside :data:`_HAND_KEPT_NAMES`, the
    everyday name CLDR gives in each script ``lang`` is written in
    (:func:`_cldr_names`: ``Россия`` where ISO has ``Российская Федерация``).
    """
    catalogue = gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True
    )
    names: dict[str, list[str]] = {}
    for country in pycountry.countries:
        forms = names.setdefault(country.alpha_2, [])
        for field in ("name", "common_name", "official_name"):
            name = getattr(country, field, None)
            if name:
                local = _PARENTHESIS.sub("", catalogue.gettext(name)).strip()
                forms.append(local)
                if "," in name:
                    forms.append(local.split(",")[0].strip())
    for code, aliases in _COUNTRY_ALIASES.items():
        names[code] += aliases.split("|")
    if lang not in _HAND_KEPT_NAMES:
        for code, name in _cldr_names(lang):
            if code in names and name not in names[code]:
                names[code].append(name)
    return names


#: A parenthesis in a name, half- or full-width, and the space before it.
_PARENTHESIS = re.compile(r"\s*[(（].*?[)）]")
#: Languages whose everyday names of countries :data:`_COUNTRY_ALIASES` keeps
#: by hand, tuned on the labelled sets in eval/: CLDR's are not added to them,
#: and reading them needs no Babel.
_HAND_KEPT_NAMES = frozenset(_STOP_WORDS)


def _cldr_names(lang: str) -> list[tuple[str, str]]:
    """(ISO 3166 code, name) of the territories CLDR names in ``lang``.

    In each script ``lang`` is written in (``zh``: ``美国``, ``美國``), without
    a parenthesis; none for a language CLDR lacks. Babel is imported here, so
    only a build that reads such a language loads it.
    """
    from babel import Locale, UnknownLocaleError, localedata  # noqa: PLC0415

    scripts = [
        tag
        for tag in localedata.locale_identifiers()
        if tag.startswith(f"{lang}_") and len(tag) == len(lang) + 5
    ]
    found = []
    for tag in [lang, *sorted(scripts)]:
        try:
            territories = Locale.parse(tag).territories
        except (UnknownLocaleError, ValueError):
            continue
        found += [
            (code, _PARENTHESIS.sub("", name).strip())
            for code, name in territories.items()
            if len(code) == 2 and code.isalpha()
        ]
    return found


def name_languages(lang: str) -> list[str]:
    """The languages whose country names a text in ``lang`` is read for.

    ``lang`` alone, so that no other language's name is mistaken for a word
    (German ``Island`` is Iceland, French ``Mexico`` is the city); every
    language with stop words if ``lang`` is unknown ("").
    """
    return [lang] if lang else list(_STOP_WORDS)


#: A country name as :func:`_country_at` compares it: the words after the
#: first, and whether they are all in capitals.
_CountryName = tuple[tuple[str, ...], bool]


@cache
def _country_table(
    lang: str,
) -> tuple[dict[str, list[tuple[_CountryName, str]]], frozenset[str], frozenset[str]]:
    """Country names in ``lang``, read as ``lang`` reads words.

    In the languages :func:`name_languages` gives.

    By the stem of their first word; each with its remaining stems, all-capital
    or not, and code; longest first. Stems, so inflected names match
    (``den Vereinigten Staaten``, ``Deutschlands``). A name two countries share
    (``Korea``, ``Congo``) is left out. And the first three letters of those
    first stems: a stem begins like its word, so a capitalised word that begins
    otherwise is no country's name and need not be stemmed to know it. And the
    first stems that are a name's whole first word: a word that is only a
    shorter stem (Russian ``Груз`` of ``Грузия``, French ``Franc`` of
    ``France``) is another word.
    """
    codes: dict[tuple[tuple[str, ...], bool], set[str]] = {}
    whole: set[str] = set()
    for source in name_languages(lang):
        for code, forms in country_names(source).items():
            for form in forms:
                raw = _WORD.findall(unicodedata.normalize("NFKC", form))
                while raw and raw[0].islower():  # "the State of Palestine"
                    raw.pop(0)
                if raw:
                    stems = tuple(_stem(lang, w.lower()) for w in raw)
                    upper = all(w.isupper() for w in raw)
                    codes.setdefault((stems, upper), set()).add(code.lower())
                    if fold(raw[0].lower()) == stems[0]:
                        whole.add(stems[0])
    table: dict[str, list[tuple[_CountryName, str]]] = {}
    for (stems, upper), found in sorted(codes.items(), key=lambda k: -len(k[0][0])):
        if len(found) == 1:
            table.setdefault(stems[0], []).append(((stems[1:], upper), found.pop()))
    return table, frozenset(stem[:3] for stem in table), frozenset(whole)


@lru_cache(maxsize=2**14)
def _country_candidates(
    lang: str | None, word: str
) -> tuple[tuple[_CountryName, str], ...]:
    """The country names :func:`_country_table` lists under the stem of ``word``.

    None if ``word`` is only the stem of a name's longer first word.
    """
    table, _beginnings, whole = _country_table(lang or "")
    stem = _stem(lang, word.lower())
    if stem not in whole and fold(word.lower()) == stem:
        return ()
    return tuple(table.get(stem, ()))


def _country_at(
    words: list[_Word],
    at: int,
    lang: str | None,
    candidates: tuple[tuple[_CountryName, str], ...],
) -> tuple[str, int] | None:
    """The code of the country named from ``words[at]``, and its length in words.

    ``candidates`` are the names that begin with ``words[at]``, longest first.
    """
    longest = len(candidates[0][0][0])
    following = tuple(
        _stem(lang, w.raw.lower()) for w in words[at + 1 : at + 1 + longest]
    )
    for (rest, upper), code in candidates:
        length = 1 + len(rest)
        if following[: len(rest)] == rest and (
            not upper or all(w.raw.isupper() for w in words[at : at + length])
        ):
            return code, length
    return None


@cache
def _any_stop_word() -> frozenset[str]:
    return frozenset().union(*(stop_words(lang) for lang in _STOP_WORDS))


@cache
def _folded_stop_words(lang: str) -> frozenset[str]:
    return frozenset(fold(word) for word in _STOP_WORDS.get(lang, "").split())


@lru_cache(maxsize=2**17)
def _stem(lang: str | None, word: str) -> str:
    """Fold after stemming: the stemmers know their own accents.

    Han, kana and Hangul are neither stemmed nor folded, whatever ``lang`` says
    (folding would take the voicing marks off kana: ``で`` -> ``て``).
    """
    if _CJK_CHAR.match(word):
        return word
    algorithm = STEMMERS.get(lang or "")
    return fold(_stemmer(algorithm).stemWord(word) if algorithm else word)


@cache
def _stemmer(algorithm: str):  # snowballstemmer has no type hints
    return snowballstemmer.stemmer(algorithm)
