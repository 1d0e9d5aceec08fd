"""The plugin leans on a few Pelican internals; an upgrade must re-check them.

Each entry names a piece of Pelican's code, the digest of its source in the
pinned release, and the plugin module that relies on it. A new Pelican
release whose code differs fails here, naming what to re-read.
"""

from __future__ import annotations

import hashlib
import inspect
import pkgutil

import pelican
import pytest

#: Pelican object -> (digest of its source, what relies on it and how).
INTERNALS = {
    "pelican.readers._filter_discardable_metadata": (
        "ddc12a0fe7a35f45223fd9cd0e08d4815297554776f64983e96e120cd1b0ccee",
        "pelican/readahead.py filters metadata read ahead the same way",
    ),
    "pelican.cache.FileDataCacher.__init__": (
        "0e94df62b258a9c2801579e71fcf8d45382b6668f93934019e323dfeb2aad57d",
        "pelican/readahead.py forgets gone files in the reader cache's _cache",
    ),
    "pelican.writers.Writer.__init__": (
        "2f892e0aa5e8eba8da4f6a3c72d190c85f006d381d812427567dc3667d665cf4",
        "pelican/writer.py and parallel.py use _written_files, _overridden_files",
    ),
    "pelican.writers.Writer._open_w": (
        "69700ea0b4668663b0886011eee71e8b4ea9debd376fe2a2fe322c90ec5aee6d",
        "pelican/writer.py follows its rules without opening the file",
    ),
    "pelican.writers.Writer.write_file": (
        "6a604ad67bbeec997e58ef69a393930c22cf3178a760fdc21d2c42f1871da373",
        "pelican/parallel.py queues pages between write_file and _open_w",
    ),
    "pelican.contents.Content._get_intrasite_link_regex": (
        "5d6b5c2523b5193e478029b63b1bc16b6b69e0b41d49dc0985db49fb98782292",
        "pelican/reuse.py finds pages that link to other content",
    ),
    "pelican.generators.ArticlesGenerator.generate_categories": (
        "cfb524524a3caae35717d53ba9cf85dfe271a0f677a3720f46f0367cf77b9a97",
        "pelican/listings.py: category members are tested with `in`",
    ),
    "pelican.generators.ArticlesGenerator.generate_authors": (
        "982c57fcfcf0435e5c882255c00bb78be3945b0dc9c44ecd707c218d00cacd9d",
        "pelican/listings.py: author members are tested with `in`",
    ),
    "pelican.generators.ArticlesGenerator.generate_tags": (
        "37f65d284c713dd4dcd8b823d248cff420e163ac4400a7f7cfc13a4779ad9afb",
        "pelican/listings.py: tag members are tested with `in`",
    ),
}


def source_digest(dotted: str) -> str:
    """The SHA-256 of the source of the object named ``dotted``."""
    source = inspect.getsource(pkgutil.resolve_name(dotted))
    return hashlib.sha256(source.encode()).hexdigest()


@pytest.mark.parametrize("dotted", INTERNALS)
def test_the_pelican_code_the_plugin_relies_on_is_as_it_was(dotted: str) -> None:
    digest, reliance = INTERNALS[dotted]
    assert source_digest(dotted) == digest, (
        f"Pelican {pelican.__version__} changed {dotted}: re-check {reliance}, "
        "then record the new digest here"
    )
