"""The links that open the register's forms with what the page knows filled in: "Suggest a
correction" on each cluster page and "Report a misused label" on the about page.

Where they lead is a setting (`extra.corrections`, else the contact's e-mail address):
- a GitHub issue form, `https://github.com/OWNER/REPO/issues/new`: the link names the form
  (`template=correction.yml`, one of `.github/ISSUE_TEMPLATE/`), the issue's title, and fills
  each field through the parameter of its id, as GitHub's issue forms read them;
- another form's https address: the same title and fields as parameters;
- an e-mail address: a `mailto:` link with a subject and a body that lists the same fields,
  those the page knows filled in, the others for the person to fill.

The title and the fields' labels are in the current language (the person fills them in); the
field ids and the form's file are the same in every language.

Pure: values in, addresses out. Every value is percent-encoded whole (a name with `&`, `#`,
quotes or markup stays one value); pages.py's templates escape the address for HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

from generator.core import i18n
from generator.site.siteconfig import Operator

# A name is cut in a link to this many characters: the id names the cluster, and a form's
# address must stay under the length servers accept (GitHub answers 414 past about 8 KB).
NAME_IN_LINK = 200
_GITHUB_FORM = re.compile(r"/[^/]+/[^/]+/issues/new/?")


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a form: its id (in the issue form and the link) and its label (marked with
    `i18n.N_`, translated where it is shown)."""

    id: str
    label: str


@dataclass(frozen=True, slots=True)
class Form:
    """A form of `.github/ISSUE_TEMPLATE/`: its file, the title of its issues (marked with
    `i18n.N_`), the fields a page fills in and the fields the person fills in."""

    template: str
    title: str
    filled: tuple[Field, ...]
    asked: tuple[Field, ...]


# The titles and labels below are the issue forms' words; a page shows them translated.
CORRECTION = Form(
    "correction.yml",
    # Translators: the title of a suggested correction (an issue or an e-mail's subject).
    i18n.N_("Correction"),
    filled=(
        # Translators: the fields of the correction form, filled in by the page or the person.
        Field("cluster_id", i18n.N_("Cluster id")),
        Field("cluster_name", i18n.N_("Cluster name")),
        Field("page", i18n.N_("Page address")),
    ),
    asked=(
        Field("what_is_wrong", i18n.N_("What is wrong")),
        Field("right_value", i18n.N_("The right value")),
        Field("source", i18n.N_("A source for it")),
        Field("role", i18n.N_("Your role")),
    ),
)
MISUSED_LABEL = Form(
    "misused-label.yml",
    # Translators: the title of a report of a website that shows a label it does not hold.
    i18n.N_("Misused label"),
    filled=(),
    asked=(
        # Translators: the fields of the form that reports a misused label.
        Field("website", i18n.N_("The website that shows the label")),
        Field("shown_label", i18n.N_("The label it shows")),
        Field("organisation", i18n.N_("The organisation named there")),
        Field("seen", i18n.N_("When you saw it")),
        Field("role", i18n.N_("Your role")),
    ),
)


def form_target(operator: Operator) -> str:
    """Where the forms lead: the corrections setting, else the contact; '' when neither."""
    return operator.corrections or operator.contact_href


def is_github_form(target: str) -> bool:
    """Whether an address is a GitHub repository's new-issue page, which opens issue forms."""
    parts = urlsplit(target)
    return parts.hostname == "github.com" and bool(_GITHUB_FORM.fullmatch(parts.path))


def _cut(text: str) -> str:
    return text if len(text) <= NAME_IN_LINK else text[: NAME_IN_LINK - 1] + "…"


def _encoded(value: str) -> str:
    # Every character but the unreserved ones, so that a value is one value in any query.
    return quote(value, safe="")


def form_link(target: str, form: Form, title: str, values: dict[str, str]) -> str:
    """The address that opens `form` at `target` with its title and the fields the page knows
    (`values`, by field id) filled in; '' without a target."""
    if not target:
        return ""
    if target.startswith("mailto:"):
        lines = [
            f"{i18n.gettext(f.label)}: {values.get(f.id, '')}" for f in (*form.filled, *form.asked)
        ]
        # RFC 6068: line breaks in a mailto body are written as CRLF.
        body = "\r\n".join(lines) + "\r\n"
        return f"{target}?subject={_encoded(title)}&body={_encoded(body)}"
    params = [("template", form.template)] if is_github_form(target) else []
    params += [("title", title), *((f.id, values[f.id]) for f in form.filled if f.id in values)]
    query = "&".join(f"{key}={_encoded(value)}" for key, value in params)
    parts = urlsplit(target)
    return urlunsplit(parts._replace(query=f"{parts.query}&{query}" if parts.query else query))


def correction_link(operator: Operator, cluster_id: str, name: str, address: str) -> str:
    """ "Suggest a correction" for one cluster: its id, name and page address filled in."""
    values = {"cluster_id": cluster_id, "cluster_name": _cut(name), "page": address}
    # Translators: the title of a suggested correction; {name} and {id} are the cluster's.
    title = i18n.gettext("Correction: {name} ({id})").format(name=_cut(name), id=cluster_id)
    return form_link(form_target(operator), CORRECTION, title, values)


def misused_label_link(operator: Operator) -> str:
    """ "Report a misused label": a website that shows a label it does not hold."""
    return form_link(form_target(operator), MISUSED_LABEL, i18n.gettext(MISUSED_LABEL.title), {})


def translation_link(operator: Operator, language: str, address: str) -> str:
    """ "Report a poor translation": the correction form, titled with the language's name and
    with the page's address filled in (the form's 'what is wrong' asks the rest)."""
    # Translators: the title of a report of a poor translation; {language} is the language's
    # name in itself ('Deutsch', 'polski').
    title = i18n.gettext("Translation: {language}").format(language=language)
    return form_link(form_target(operator), CORRECTION, title, {"page": address})


def opens_mail(operator: Operator) -> bool:
    """Whether the forms' links open an e-mail message rather than a web page."""
    return form_target(operator).startswith("mailto:")
