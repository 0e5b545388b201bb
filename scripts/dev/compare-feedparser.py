#!/usr/bin/python3
"""Compares Syndication's feed parser with Python's feedparser (the reference parser), item by item, over a corpus.

A developer's tool, not part of the test suite: it needs Debian's python3-feedparser (6.0.10) and the corpus folder
(a manifest.jsonl of path, url and contentType beside the files). It runs the parser through the benchmark project's
--dump-corpus mode, runs feedparser on the same bytes with the same URL and Content-Type, and prints how many feeds
and items each read, and how often titles, links and dates agree. --show KIND lists the disagreements of one kind.

Usage: /usr/bin/python3 scripts/dev/compare-feedparser.py CORPUS [--expect] [--show titles|links|dates|authors|items|rejected|expect] [--limit N]
"""
import argparse, calendar, html, json, re, subprocess, sys, time
from pathlib import Path

import feedparser

ROOT = Path(__file__).resolve().parents[2]
TAG = re.compile(r"<[^>]+>")
SPACE = re.compile(r"\s+")


def plain(text):
    """What a subscriber reads: markup stripped, entities decoded once, whitespace collapsed."""
    if text is None:
        return ""
    return SPACE.sub(" ", html.unescape(TAG.sub(" ", text))).strip()


def title_text(e):
    """feedparser returns an HTML title as HTML and a text one as text; a subscriber reads both as text."""
    detail = e.get("title_detail") or {}
    title = e.get("title")
    return plain(title) if detail.get("type", "text/html") != "text/plain" else SPACE.sub(" ", title or "").strip()


def reference(corpus, entry):
    data = (corpus / entry["path"]).read_bytes()
    headers = {"content-location": entry["url"]}
    if entry.get("contentType"):
        headers["content-type"] = entry["contentType"]
    started = time.perf_counter()
    try:
        parsed = feedparser.parse(data, response_headers=headers)
    except Exception:  # feedparser itself crashes on a few hostile files; it reads nothing from them
        return {"title": "", "items": []}, time.perf_counter() - started
    elapsed = time.perf_counter() - started
    items = []
    for e in parsed.entries:
        when = e.get("published_parsed") or e.get("updated_parsed")
        items.append({
            "key": e.get("id"),
            "title": title_text(e),
            "link": e.get("link"),
            "published": time.strftime("%Y-%m-%dT%H:%M:%SZ", when) if when else None,
            "author": (e.get("author_detail") or {}).get("name") or e.get("author"),  # the name, as a subscriber sees it
        })
    return {"title": plain(parsed.feed.get("title")), "items": items}, elapsed


def ours(corpus):
    dump = subprocess.run(
        ["dotnet", "run", "-c", "Release", "--project", str(ROOT / "tests/Syndication.Benchmarks"), "--", "--dump-corpus", str(corpus)],
        capture_output=True, text=True, check=True)
    return {r["path"]: r for r in map(json.loads, dump.stdout.splitlines())}, dump.stderr.strip().splitlines()[-1]


EXPECT_SCOPE = {"title", "title_detail", "value", "link", "id", "guid", "published", "published_parsed", "updated",
                "updated_parsed", "author", "author_detail", "name", "content", "summary", "summary_detail", "description"}
FIELD = re.compile(r"\['(\w+)'\]")


class Text(str):
    """Our plain text: equal to a value when both read the same to a subscriber (markup stripped, entities decoded)."""
    def __eq__(self, other):
        return isinstance(other, str) and plain(str(self)) == plain(other)

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = str.__hash__


def our_result(dump):
    """Our parse, shaped like feedparser's result, for feedparser's own assertions to be evaluated against."""
    def when(iso):
        return time.gmtime(calendar.timegm(time.strptime(iso, "%Y-%m-%dT%H:%M:%SZ"))) if iso else None
    entries = []
    for i in dump.get("items", []):
        entries.append({
            "title": Text(i["title"]), "title_detail": {"value": Text(i["title"])}, "link": i["link"], "id": i["key"], "guid": i["key"],
            "published_parsed": when(i["published"]), "updated_parsed": when(i["published"]),
            "author": Text(i["author"] or ""), "author_detail": {"name": Text(i["author"] or "")},
            "summary": Text(i["summary"]), "description": Text(i["summary"]), "summary_detail": {"value": Text(i["summary"])},
            "content": [{"value": Text(i["text"])}],
        })
    title = Text(dump.get("title") or "")
    return {"feed": {"title": title, "title_detail": {"value": title}}, "entries": entries, "bozo": bool(dump.get("repairs")) or "error" in dump}


def check(expect, result):
    try:
        return bool(eval(expect, {"__builtins__": {"len": len, "u": str}}, result))
    except Exception:
        return False


def expectations(corpus, mine):
    """feedparser's own assertions on titles, links, ids, dates, authors and content, where feedparser passes them."""
    passed = total = 0
    failures = []
    for line in (corpus / "manifest.jsonl").read_text().splitlines():
        entry = json.loads(line)
        expect = entry.get("expect")
        if not expect or not set(FIELD.findall(expect)) or not set(FIELD.findall(expect)) <= EXPECT_SCOPE:
            continue
        data = (corpus / entry["path"]).read_bytes()
        headers = {"content-location": entry["url"]}
        if entry.get("contentType"):
            headers["content-type"] = entry["contentType"]
        try:
            theirs = feedparser.parse(data, response_headers=headers)
        except Exception:
            continue
        if not check(expect, {"feed": theirs.feed, "entries": theirs.entries, "bozo": theirs.bozo}):
            continue
        total += 1
        if check(expect, our_result(mine[entry["path"]])):
            passed += 1
        else:
            failures.append((entry["path"], expect))
    return passed, total, failures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--show", choices=["titles", "links", "dates", "authors", "items", "rejected", "expect"])
    parser.add_argument("--limit", type=int, default=40)
    parser.add_argument("--expect", action="store_true", help="also evaluate feedparser's own Expect assertions against our parse")
    parser.add_argument("--write-golden", type=Path, help="write feedparser's titles, links and dates for every file where we agree, for CorpusTests")
    args = parser.parse_args()

    mine, our_time = ours(args.corpus)
    counts = dict(feeds=0, rejected=0, rejected_with_items=0, their_items=0, their_distinct=0, missed=0, our_items=0, compared=0,
                  titles=0, links=0, links_compared=0, links_both=0, dates=0, dates_compared=0, dates_both=0, authors=0, authors_compared=0)
    shown = []
    golden = []
    their_time = 0.0
    for line in (args.corpus / "manifest.jsonl").read_text().splitlines():
        entry = json.loads(line)
        theirs, elapsed = reference(args.corpus, entry)
        their_time += elapsed
        us = mine[entry["path"]]
        counts["feeds"] += 1
        counts["their_items"] += len(theirs["items"])
        # The same item written twice (same id, title, link and date) is one story, alerted once.
        distinct = len({(i["key"], i["title"], i["link"], i["published"]) for i in theirs["items"]})
        counts["their_distinct"] += distinct
        counts["missed"] += max(0, distinct - (0 if "error" in us else len(us["items"])))
        if "error" in us:
            counts["rejected"] += 1
            if theirs["items"]:
                counts["rejected_with_items"] += 1
                shown.append(("rejected", entry["path"], us["error"], len(theirs["items"])))
            continue
        counts["our_items"] += len(us["items"])
        if len(us["items"]) < distinct:
            shown.append(("items", entry["path"], len(us["items"]), distinct))
        if len(us["items"]) == len(theirs["items"]) and theirs["items"] and all(
                SPACE.sub(" ", a["title"] or "").strip() == b["title"] and (a["link"] or "") == (b["link"] or "") and a["published"] == b["published"]
                for a, b in zip(us["items"], theirs["items"])):
            golden.append({"path": entry["path"], "items": [{k: b[k] for k in ("title", "link", "published")} for b in theirs["items"]]})
        for a, b in zip(us["items"], theirs["items"]):
            counts["compared"] += 1
            if SPACE.sub(" ", a["title"] or "").strip() == b["title"]:  # ours is plain text already
                counts["titles"] += 1
            else:
                shown.append(("titles", entry["path"], a["title"], b["title"]))
            if b["link"] or a["link"]:
                counts["links_compared"] += 1
                counts["links_both"] += bool(a["link"] and b["link"])
                if (a["link"] or "") == (b["link"] or ""):
                    counts["links"] += 1
                else:
                    shown.append(("links", entry["path"], a["link"], b["link"]))
            if b["author"] or a["author"]:
                counts["authors_compared"] += 1
                if plain(a["author"]) == plain(b["author"]):
                    counts["authors"] += 1
                else:
                    shown.append(("authors", entry["path"], a["author"], b["author"]))
            if b["published"] or a["published"]:
                counts["dates_compared"] += 1
                counts["dates_both"] += bool(a["published"] and b["published"])
                if a["published"] == b["published"]:
                    counts["dates"] += 1
                else:
                    shown.append(("dates", entry["path"], a["published"], b["published"]))

    pct = lambda n, d: f"{100.0 * n / d:.1f}%" if d else "n/a"
    print(f"feeds: {counts['feeds']}; rejected by us: {counts['rejected']} ({counts['rejected_with_items']} in which feedparser reads items)")
    print(f"items: ours {counts['our_items']}, feedparser {counts['their_items']} ({counts['their_distinct']} distinct, "
          f"{counts['missed']} of them not read by us); compared {counts['compared']}")
    print(f"titles agree: {counts['titles']} of {counts['compared']} ({pct(counts['titles'], counts['compared'])})")
    print(f"links agree: {counts['links']} of {counts['links_compared']} ({pct(counts['links'], counts['links_compared'])}); "
          f"where both read one: {pct(counts['links'], counts['links_both'])} of {counts['links_both']}")
    print(f"dates agree: {counts['dates']} of {counts['dates_compared']} ({pct(counts['dates'], counts['dates_compared'])}); "
          f"where both read one: {pct(counts['dates'], counts['dates_both'])} of {counts['dates_both']}")
    print(f"authors agree: {counts['authors']} of {counts['authors_compared']} ({pct(counts['authors'], counts['authors_compared'])})")
    print(f"time: ours {our_time}; feedparser parsed in {their_time:.3f} s")
    if args.write_golden:
        args.write_golden.write_text("".join(json.dumps(g, ensure_ascii=False) + "\n" for g in golden))
        print(f"wrote {len(golden)} files' items to {args.write_golden}")
    if args.expect:
        passed, total, failures = expectations(args.corpus, mine)
        print(f"feedparser's Expect assertions (titles, links, ids, dates, authors, content) that it passes: we pass {passed} of {total} ({pct(passed, total)})")
        for path, expect in failures[: args.limit if args.show == "expect" else 0]:
            print(f"{path} | {expect}")
    if args.show and args.show != "expect":
        for row in [r for r in shown if r[0] == args.show][: args.limit]:
            print(" | ".join(map(str, row[1:])))


if __name__ == "__main__":
    sys.exit(main())
