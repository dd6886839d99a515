"""The words of the theme overrides (site_templates/overrides/), in the current language.

MkDocs renders the overrides with its own Jinja, not ours, so they cannot call gettext: the
build writes `theme_words()` into each language's mkdocs.yml under `extra.words`, and an
override reads `config.extra.words.<key>` (escaping it, as it escapes every setting). A
sentence with a link inside is translated whole and split around the link here, so that a
translation can move the link.
"""

from __future__ import annotations

from generator.core import i18n

WORDS_KEY = "words"  # under `extra` in the build tree's mkdocs.yml


def _around(sentence: str, name: str) -> tuple[str, str]:
    """A translated sentence's text before and after its `{name}` placeholder."""
    before, _, after = sentence.partition("{" + name + "}")
    return before, after


def theme_words() -> dict[str, str]:
    """Every word the theme overrides show, by key, in the current language."""
    home_before, home_after = _around(
        # Translators: on the page for an address that does not exist; {link} is a link to
        # the home page whose text is "Go to the home page".
        i18n.gettext("{link} to find clusters by country, or use the search."),
        "link",
    )
    return {
        # 404.html
        "not_found_title": i18n.gettext("Page not found"),
        "not_found_text": i18n.gettext(
            "There is no page at this address. A cluster's page stays at the same address for"
            " as long as its record exists; if you followed a link, the record may have been"
            " removed."
        ),
        "not_found_home_before": home_before,
        "not_found_home_link": i18n.gettext("Go to the home page"),
        "not_found_home_after": home_after,
        # main.html: the names of the links to the feed and to the register's description.
        "feed_title": i18n.gettext("New labels and renewals"),
        "catalog_title": i18n.gettext("DCAT-AP description of the register"),
        # partials/header.html: the search button.
        "search_label": i18n.gettext("Search clusters"),
        # Translators: the search button's tooltip; / is the key that opens the search.
        "search_title": i18n.gettext("Search clusters (/)"),
        # The search dialog's (assets/search.js reads them from the button): its field's
        # placeholder and the names of its filters, as the lists name them.
        "search_placeholder": i18n.gettext("Search clusters by name, city, country or sector"),
        "filter_country": i18n.gettext("Country"),
        "filter_label": i18n.gettext("Label"),
        "filter_sector": i18n.gettext("Sector"),
        # partials/header.html: the language menu's button, for screen readers and as its
        # tooltip (the menu names each language in itself: Deutsch, polski).
        "language_label": i18n.gettext("Select language"),
    }
