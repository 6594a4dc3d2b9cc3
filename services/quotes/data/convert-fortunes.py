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
        author = re.sub(r"\s+", " ", attribution.group(1).split(", ")[0]).strip().strip('"').strip()
        if not 15 <= len(text) <= 400 or not 3 <= len(author) <= 60 or not re.search(r"[A-Za-z]", author):
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
