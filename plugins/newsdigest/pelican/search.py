"""The ``search/`` page, querying the index built by ``newsdigest.search_index``."""

from __future__ import annotations

from typing import Any

from pelican.generators import Generator

SEARCH_URL = "search/"
SEARCH_SAVE_AS = "search/index.html"


def search_csp(policy: str | None) -> str | None:
    """The site's CSP, letting scripts compile WebAssembly (Pagefind needs it)."""
    if not policy:
        return policy
    return policy.replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'")


class SearchGenerator(Generator):
    """Write the ``search/`` page, the only one whose CSP allows WebAssembly."""

    def generate_context(self) -> None:
        """Nothing to read."""

    def generate_output(self, writer: Any) -> None:
        """Write ``search/index.html``."""
        writer.write_file(
            SEARCH_SAVE_AS,
            self.get_template("search"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            url=SEARCH_URL,
            content_security_policy=search_csp(
                self.context.get("content_security_policy")
            ),
        )
