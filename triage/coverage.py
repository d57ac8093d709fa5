"""How much of the article the knowledge base encodes (`triage rules coverage`)."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from triage.knowledge import ArticleMap, KnowledgeBase, Topic

IN_SCOPE = ("sites", "symptoms", "tests", "treatments", "prognosis")
_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+(?=[A-Z0-9])")
_BULLET = "•"


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Statement(Model):
    """One sentence or list item of the article, with what encodes it."""

    text: str
    line: int
    topic: Topic
    quoted_by: list[str] = []
    set_aside: str | None = None  # why it is not knowledge the tool should encode

    @property
    def in_scope(self) -> bool:
        return self.topic in IN_SCOPE and self.set_aside is None


class Coverage(Model):
    statements: list[Statement]

    @property
    def in_scope(self) -> list[Statement]:
        return [s for s in self.statements if s.in_scope]

    @property
    def covered(self) -> list[Statement]:
        return [s for s in self.in_scope if s.quoted_by]

    @property
    def percent(self) -> float:
        scope = self.in_scope
        return round(100 * len(self.covered) / len(scope), 1) if scope else 100.0


def _split(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


def statements_of(article: str, article_map: ArticleMap) -> list[Statement]:
    """The article cut into sentences and list items, each with its section's topic."""
    starts = {section.starts: section.topic for section in article_map.sections}
    set_aside = {item.statement: item.why for item in article_map.set_aside}
    topic: Topic = "background"
    found: list[Statement] = []
    for number, raw in enumerate(article.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        opening = next((s for s in starts if line.startswith(s)), None)
        if opening is not None:
            topic = starts[opening]
            if line == opening and not line.endswith((".", ":")):
                continue  # a heading, not a statement
        body = line.removeprefix(_BULLET).strip()
        for sentence in _split(body):
            found.append(
                Statement(
                    text=sentence, line=number, topic=topic, set_aside=set_aside.get(sentence)
                )
            )
    return found


def _quotes(kb: KnowledgeBase) -> list[tuple[str, str]]:
    """Every verbatim quote in the knowledge base, with who quotes it."""
    catalogue = kb.catalogue
    quotes = [(f"rule {rule.id}", rule.quote) for rule in kb.rules]
    quotes += [(f"finding {f.id}", f.article) for f in kb.findings]
    for kind, items in (
        ("site", catalogue.sites),
        ("test", catalogue.tests),
        ("treatment", catalogue.treatments),
        ("history", catalogue.history),
    ):
        quotes += [(f"{kind} {item.id}", item.quote) for item in items]
    for treatment in catalogue.treatments:
        quotes += [(f"treatment {treatment.id}", d.quote) for d in treatment.details]
    for concept in [*catalogue.sites, *catalogue.tests, *catalogue.treatments]:
        quotes += [(f"{concept.id} (passage)", text) for text in concept.passages]
    quotes.append(("treatment aim", catalogue.treatment_aim.quote))
    quotes.append(("setting absent_weight", kb.settings.absent_quote))
    return [(who, " ".join(quote.split())) for who, quote in quotes if quote]


def coverage(kb: KnowledgeBase) -> Coverage:
    """Each statement of the article, marked with the knowledge that quotes it."""
    quotes = _quotes(kb)
    marked = []
    for statement in statements_of(kb.article, kb.article_map):
        text = " ".join(statement.text.split())
        quoted_by = sorted({who for who, quote in quotes if quote in text or text in quote})
        marked.append(statement.model_copy(update={"quoted_by": quoted_by}))
    return Coverage(statements=marked)
