"""A batch worker's words for the search, as numbers (#20.3).

The search's postings of a batch are built by the writing process (`search_index.BatchIndexer`),
which was left splitting each section's words and looking every one up in its vocabulary: a tenth
of its work, while the worker preparing the next files waited. Now the worker numbers the words in
a vocabulary of its own, which grows through the batch (`WordNumbering`). A file's numbers travel
with the terms first numbered in it (`NumberedWords`); the writer keeps every term the worker
numbered, in order (`WorkerTerms`), and maps a whole file of numbers to its own at once (numpy).

The numbering only holds while the writer hears of every term, in order. A file whose result did
not reach the writer takes its terms with it: from then on the writer reads the words from the
stored text instead (`WorkerTerms.broken`), as it does for a file it prepared itself.
"""

from __future__ import annotations

import os
from array import array
from dataclasses import dataclass

from kkrdesk.data.search_index import tokens


@dataclass
class NumberedWords:
    """A file's sections' words: per section its body's then its title's, as the worker's numbers."""
    base: int               # terms the worker had numbered before this file
    new_terms: list[str]    # the terms first numbered in this file, in number order
    numbers: bytes          # array("I") of every section's words, one section after another
    counts: bytes           # array("I"): per section, the number of body words and of title words


class _Numbers(dict):
    """Term → number, numbering new terms as they come, remembering their order."""

    def __init__(self) -> None:
        super().__init__()
        self.order: list[str] = []

    def __missing__(self, term: str) -> int:
        number = self[term] = len(self.order)
        self.order.append(term)
        return number


class WordNumbering:
    """The worker's vocabulary for one batch and the file it is numbering (`start` … `finish`)."""

    def __init__(self) -> None:
        self.pid = os.getpid()         # a numbering belongs to the process that made it (a forked copy starts anew)
        self._numbers = _Numbers()
        self._base = 0
        self._words = array("I")
        self._counts = array("I")

    def start(self) -> None:
        """A new file: nothing numbered for it yet."""
        self.rollback()
        self._base = len(self._numbers.order)

    def add(self, body: str, title: str) -> None:
        """One section's words (the search's `tokens` of its body and title)."""
        lookup = self._numbers.__getitem__
        body_words, title_words = tokens(body), tokens(title)
        self._words.extend(map(lookup, body_words))
        self._words.extend(map(lookup, title_words))
        self._counts.append(len(body_words))
        self._counts.append(len(title_words))

    def finish(self) -> NumberedWords:
        """The file's words; its terms are the worker's from now on."""
        base, order = self._base, self._numbers.order
        found = NumberedWords(base, order[base:], self._words.tobytes(), self._counts.tobytes())
        self._base, self._words, self._counts = len(order), array("I"), array("I")
        return found

    def rollback(self) -> None:
        """Forget the terms first numbered since `start` (a file that will not reach the writer)."""
        order = self._numbers.order
        for term in order[self._base:]:
            del self._numbers[term]
        del order[self._base:]
        self._words, self._counts = array("I"), array("I")


class WorkerTerms:
    """The writer's copy of the worker's vocabulary: every term it numbered, in number order."""

    def __init__(self) -> None:
        self.terms: list[str] = []
        self.broken = False

    def hear(self, words: NumberedWords) -> bool:
        """Take a file's new terms as its result arrives; False (from then on) when one before it did not."""
        if self.broken or words.base != len(self.terms):
            self.broken = True
            return False
        self.terms.extend(words.new_terms)
        return True
