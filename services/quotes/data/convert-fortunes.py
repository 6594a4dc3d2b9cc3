#!/usr/bin/env python3
"""Converts Debian's `fortunes` data (BSD fortune(6), BSD licence) into the quotes service's bundled data set.

Keeps only attributed quotes (an entry whose last line is "-- Author[, source]"), of a length that reads well in
chat, from the non-offensive files listed below; drops duplicates. Run on a machine with the `fortunes` package:

    apt-get install fortunes && python3 services/quotes/data/convert-fortunes.py

Writes src/main/resources/quotes/fortunes.tsv: author <TAB> text <TAB> collection, one quote per line.
"""
import os
import re

SOURCE = "/usr/share/games/fortunes"
COLLECTIONS = ["art", "computers", "definitions", "education", "food", "fortunes", "goedel", "humorists", "kids",
               "law", "linux", "literature", "love", "magic", "medicine", "miscellaneous", "news", "paradoxum",
               "people", "pets", "platitudes", "pratchett", "science", "songs-poems", "sports", "startrek",
               "wisdom", "work"]
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "main", "resources", "quotes",
                   "fortunes.tsv")


def clean_author(attribution):
    """The person a quote is by, or None when the attribution is not a name (a work, a comment, a fragment)."""
    author = re.sub(r"\s+", " ", attribution.split(", ")[0]).strip().strip('"').strip()
    if author.count('"') % 2:
        # 'Mark Twain "A Connecticut Yankee...': the name, then the start of a title cut at its comma
        author = author.split(' "')[0].strip()
    if author.count('"') % 2 or not 3 <= len(author) <= 60 or not re.match(r"[A-Z0-9]", author):
        return None
    if re.match(r"(From|To)\b", author) or re.search(r"\b(in|on) \"", author):
        return None  # where it was found, or a remark about it, rather than who said it
    return author


def quotes_of(collection):
    raw = open(os.path.join(SOURCE, collection), encoding="utf-8", errors="replace").read()
    for entry in raw.split("\n%\n"):
        lines = entry.rstrip("\n").split("\n")
        if len(lines) < 2:
            continue
        attribution = re.match(r"^\s*-{1,2}\s*(.+)$", lines[-1])
        if not attribution or any(re.match(r"^\s*--", line) for line in lines[:-1]):
            continue
        text = re.sub(r"\s+", " ", " ".join(line.strip() for line in lines[:-1])).strip()
        author = clean_author(attribution.group(1))
        if not author or not 15 <= len(text) <= 400:
            continue
        if text.count(":") > 1 and re.search(r"(^|\s)[A-Z][a-z]+:\s", text):
            continue  # dialogues read badly as one chat line
        yield author, text, collection


def main():
    seen, rows = set(), []
    for collection in COLLECTIONS:
        for author, text, source in quotes_of(collection):
            if text.lower() not in seen:
                seen.add(text.lower())
                rows.append((author, text, source))
    with open(OUT, "w", encoding="utf-8") as out:
        for row in rows:
            out.write("\t".join(field.replace("\t", " ") for field in row) + "\n")
    print(f"wrote {len(rows)} quotes to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
