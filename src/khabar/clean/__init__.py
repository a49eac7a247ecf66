"""Article cleaning: a page's raw lines -> title, paragraphs and headings, dropped lines (each
with a kind and a reason a person understands), and metadata.

    from khabar.clean import clean, clean_many, RepeatedLines
    article = clean(text_or_page)
    for article in clean_many(pages):        # learns each outlet's repeated chrome first
        ...

Boilerplate removal is line classification with explainable features
(:mod:`khabar.clean.features`) and ordered rules (:mod:`khabar.clean.decide`): explicit cues
(``resources/clean/cues.tsv``), script and language, length and punctuation, position, link
shape and HTML landmarks, topical coherence of short lines with the article (a sub-heading is
about this story, an unmarked teaser is another story's headline), and repetition across pages
of one outlet (:class:`RepeatedLines`). Metadata (dateline, glued dates, bylines, agencies) is
in :mod:`khabar.clean.meta`.

Line numbers in the output are 1-based lines of ``Page.text``: the raw file's lines for text
input; for HTML the lines of the text the reader made from the markup (one block per line).
"""

from khabar.clean.article import clean, clean_many
from khabar.clean.decide import Decision, PageInfo, decide
from khabar.clean.features import LineFeatures
from khabar.clean.repeated import RepeatedLines, group_of, line_key

__all__ = ["Decision", "LineFeatures", "PageInfo", "RepeatedLines", "clean", "clean_many",
           "decide", "group_of", "line_key"]
