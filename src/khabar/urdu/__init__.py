"""The Urdu text core: display form, matching key, skeleton, scripts, sentences, numbers.

``normalize`` gives the *display form* (what people read), ``key`` the *matching form* (what
search, dedup and entity matching compare) and ``skeleton`` a consonant skeleton for joining
transliteration variants of names; ``loose_fold`` folds letter variants one to one, keeping
offsets, for tolerant lookups inside a text.
"""

from khabar.urdu._chars import loose_fold
from khabar.urdu.normalize import key, normalize, skeleton
from khabar.urdu.numbers import Number, find_numbers, parse_number
from khabar.urdu.script import LanguageGuess, identify_language, script_of
from khabar.urdu.segment import Token, sentences, tokenize

__all__ = [
    "LanguageGuess",
    "Number",
    "Token",
    "find_numbers",
    "identify_language",
    "key",
    "loose_fold",
    "normalize",
    "parse_number",
    "script_of",
    "sentences",
    "skeleton",
    "tokenize",
]
