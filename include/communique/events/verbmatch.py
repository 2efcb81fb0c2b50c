"""PETRARCH-2 verb patterns matched on spaCy's dependency parse instead of PETRARCH's phrase trees.

A pattern's words after the verb are read as its object (the direct object, a passive subject, a
predicate noun: head word and other words of the phrase), its prepositional phrases as prepositions
hanging from the verb or from its object with the head word of their object, and its words before
the verb as words of the subject phrase. Of the patterns that match, the most specific one wins
(ties: the earlier line of the dictionary), as in PETRARCH.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from communique.events.triggers import Phrase, PrepPhrase, Trigger, VerbPattern

if TYPE_CHECKING:
    from spacy.tokens import Token

_OBJECT_DEPS = frozenset({"dobj", "nsubjpass", "attr", "oprd", "dative"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})


def best_pattern(verb: Token, trigger: Trigger) -> VerbPattern | None:
    """The most specific pattern of ``trigger`` that the verb's dependents satisfy, if any."""
    objects = [c for c in verb.children if c.dep_ in _OBJECT_DEPS]
    best: VerbPattern | None = None
    for pattern in trigger.patterns:
        if (best is None or pattern.weight > best.weight) and _matches(pattern, verb, objects):
            best = pattern
    return best


def _matches(pattern: VerbPattern, verb: Token, objects: list[Token]) -> bool:
    if pattern.particle and not any(c.dep_ in {"prt", "prep"} and c.lower_ == pattern.particle for c in verb.children):
        return False
    if pattern.object is not None and not any(_phrase_matches(pattern.object, o) for o in objects):
        return False
    if pattern.before and not _before_matches(pattern.before, verb):
        return False
    hosts = [verb, *objects]
    return all(any(_prep_matches(prep, host) for host in hosts) for prep in pattern.preps)


def _words(token: Token) -> set[str]:
    """The words of a phrase, as written and as lemmas, lower case."""
    found = set()
    for word in token.subtree:
        found.add(word.lower_)
        found.add(word.lemma_.lower())
    return found


def _head_forms(token: Token) -> set[str]:
    """The head of a phrase alone and with its compounds ("forces", "armed forces")."""
    compounds = [c for c in token.lefts if c.dep_ in {"compound", "amod"}]
    forms = {token.lower_, token.lemma_.lower()}
    if compounds:
        prefix = " ".join(c.lower_ for c in compounds)
        forms |= {f"{prefix} {token.lower_}", f"{prefix} {token.lemma_.lower()}"}
        forms |= {f"{compounds[-1].lower_} {token.lower_}"}
    return forms


def _phrase_matches(phrase: Phrase, head: Token) -> bool:
    if phrase.heads is not None and not phrase.heads & _head_forms(head):
        return False
    if phrase.words:
        words = _words(head)
        return all(word in words for word in phrase.words)
    return True


def _prep_matches(prep: PrepPhrase, host: Token) -> bool:
    for child in host.children:
        if child.dep_ in {"prep", "agent", "dative"} and child.lower_ in prep.preps:
            objects = [g for g in child.children if g.dep_ in {"pobj", "pcomp"}]
            if prep.phrase.heads is None and not prep.phrase.words:
                return True
            if any(_phrase_matches(prep.phrase, obj) for obj in objects):
                return True
    return False


def _before_matches(before: tuple[frozenset[str], ...], verb: Token) -> bool:
    """Every word set before the verb appears in the subject phrase or right before the verb."""
    words: set[str] = set()
    for child in verb.children:
        if child.dep_ in _SUBJECT_DEPS or (child.i < verb.i and child.dep_ in {"advmod", "aux", "neg"}):
            words |= _words(child)
    return all(words & options for options in before)
