"""khabar (خبر): raw scraped Urdu news in, clean structured stories out.

The Python API mirrors the command line::

    import khabar
    for page in khabar.read("crawl/"):          # Page or Problem, streamed
        ...
    article = khabar.clean(text_or_page)         # title, blocks, dropped lines, meta
    found = khabar.extract(text_or_page, published="2024-11-12")
    found.entities, found.dates, found.claims, found.quotes
    khabar.normalize("یوکرین کیخلاف جنگ")        # 'یوکرین کے خلاف جنگ'
"""

from khabar.clean import RepeatedLines, clean, clean_many
from khabar.extract.pipeline import Extraction, extract, extract_many
from khabar.model import Article, Block, Dropped, Meta, Page, Problem
from khabar.readers import read
from khabar.urdu import key, normalize, skeleton

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Block",
    "Dropped",
    "Extraction",
    "Meta",
    "Page",
    "Problem",
    "RepeatedLines",
    "__version__",
    "clean",
    "clean_many",
    "extract",
    "extract_many",
    "key",
    "normalize",
    "read",
    "skeleton",
]
