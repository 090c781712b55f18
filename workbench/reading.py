"""Reading input files into article and claim records, before anything touches the database.

Every problem is raised as an InputError naming the file (and line) and what to do, so that a bad
file in a batch stops the batch before anything is stored. A directory is the exception for files
with nothing to ingest (another type, empty, no article text): it leaves them out and lists each
one as Skipped, so nothing is dropped without a word. Everything a write could choke on is
checked here: lone surrogates (SQLite cannot store them), file names that are not UTF-8, JSON
nested too deep, urls that are not http(s). Control characters (NUL, ESC, ...) are removed here,
before splitting, so that claim spans index the text exactly as stored.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, NothingToIngest
from .furniture import WORD_RE, find_furniture, has_finite_verb, line_spans, sentence_kind
from .safe_text import is_web_url, remove_controls, visible
from .vocab import SOURCE_KINDS

ARTICLE_SUFFIXES = {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".jsonl"}
CLAIM_SUFFIXES = {".tsv", ".jsonl"}
NO_ARTICLE_TEXT = ("no article text: only a headline, menus or a form (a login or cookie page?); save the "
                   "article page itself, or paste its text into a .txt file")
# A statement has a verb and at least this many words (splitting drops shorter sentences as well).
STATEMENT_WORDS = 3
# A news article is a few hundred kilobytes at most; anything far larger is a dump, a log or a
# mistake, and splitting it would keep the desk busy for minutes.
MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class ArticleInput:
    """One article as read from a file, not yet stored."""

    text: str
    origin: str  # file path (with :line for JSONL), or "<stdin>"
    title: str | None = None
    url: str | None = None
    published: str | None = None
    source: str | None = None
    kind: str | None = None
    encoding: str = "utf-8"
    removed_controls: int = 0  # control characters taken out of the text and metadata

    def __post_init__(self) -> None:
        check_url(self.url, self.origin)

    @property
    def notice(self) -> str | None:
        return cleaning_notice(self.removed_controls)


@dataclass(frozen=True)
class Skipped:
    """A file of a directory (or a line of a JSONL file) left out, and why; shown, never stored."""

    origin: str
    reason: str


@dataclass(frozen=True)
class ClaimInput:
    """One already-atomic claim (an earlier fact-check, an official statement)."""

    text: str
    origin: str
    external_id: str | None = None
    source: str | None = None
    url: str | None = None
    date: str | None = None
    rating: str | None = None
    removed_controls: int = 0

    def __post_init__(self) -> None:
        check_url(self.url, self.origin)


def check_url(url: str | None, origin: str) -> None:
    """Only http(s) urls are stored: anything else (javascript:, data:, file:) could run when clicked."""
    if url is not None and not is_web_url(url):
        path, _, line = origin.rpartition(":")
        where = dict(path=path, line=int(line)) if line.isdigit() and path else dict(path=origin)
        raise InputError(f"the url {visible(url)[:80]!r} is not an http(s) url; give the page's "
                         "https://... address or leave it out, nothing was stored", **where)


def cleaning_notice(removed: int) -> str | None:
    if not removed:
        return None
    return (f"removed {removed} control character{'s' if removed != 1 else ''} (NUL, ESC and the like) "
            "before storing")


def clean_fields(values: dict[str, str | None]) -> tuple[dict[str, str | None], int]:
    """Each value without control characters, and how many were removed in all."""
    cleaned: dict[str, str | None] = {}
    removed = 0
    for key, value in values.items():
        if value is not None:
            value, count = remove_controls(value)
            removed += count
        cleaned[key] = value
    return cleaned, removed


def check_name(path: Path) -> None:
    """A file name that is not UTF-8 (read with surrogate escapes) cannot be stored as an origin."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError as error:
        raise InputError("the file name is not valid UTF-8; rename the file (for example with "
                         "`convmv -f latin1 -t utf-8`) and ingest again, nothing was stored",
                         path=visible(str(path))) from error


_SURROGATE = re.compile("[\ud800-\udfff]")


def check_surrogates(record: dict, origin: str, number: int) -> None:
    """JSON can spell a lone surrogate (a \\udc80 escape); SQLite cannot store one, so refuse the file now."""
    for key, value in record.items():
        found = _SURROGATE.search(value) if isinstance(value, str) else None
        if found:
            raise InputError(f'"{visible(key)}" holds a lone surrogate ({visible(found.group())}), which is '
                             "not text; fix this line, nothing from the file was stored",
                             path=origin, line=number)


def decode(data: bytes, origin: str) -> tuple[str, str]:
    """Bytes to text: UTF-8 first; legacy Windows text (cp1252) is read as such, binary refused."""
    if not data.strip():
        raise NothingToIngest("is empty; nothing to ingest", path=origin)
    if b"\x00" in data[:8192]:
        raise InputError("looks like a binary file, not text; export it as .txt, .md or .html first",
                         path=origin)
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise InputError(
                f"is not UTF-8 (byte {utf8_error.start}) nor Windows-1252 text; convert it to UTF-8 "
                "(e.g. iconv -f latin1 -t utf-8)", path=origin) from utf8_error
        # cp1252 leaves C1 control characters undefined; text that still has control characters
        # after decoding is not prose.
        if re.search(r"[\x00-\x08\x0e-\x1f]", text):
            raise InputError("holds control characters: not a text file", path=origin)
        return text, "cp1252"


def read_bytes(path: Path) -> bytes:
    origin = str(path)
    if not path.exists():
        raise InputError("no such file or directory; check the path", path=origin)
    if not path.is_file():
        raise InputError("is not a regular file", path=origin)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(
            f"is {size / 1024 / 1024:.1f} MB; the limit is {MAX_BYTES // 1024 // 1024} MB per file "
            "(split it into articles, or use .jsonl with one article per line)", path=origin)
    try:
        return path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot be read ({error.strerror}); check its permissions", path=origin) from error


def normalise_newlines(text: str) -> str:
    """Spans index the stored text, so store one newline convention."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_plain(path: Path, data: bytes) -> ArticleInput:
    text, encoding = decode(data, str(path))
    text, removed = remove_controls(normalise_newlines(text))
    if not text.strip():
        raise NothingToIngest("holds only control characters; nothing to ingest", path=str(path))
    return ArticleInput(text=text, origin=str(path), encoding=encoding, removed_controls=removed)


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")


def markdown_to_text(markdown: str) -> tuple[str, str | None]:
    """Markdown to the plain text a reader sees (links keep their words), plus the first # heading."""
    title = None
    lines = []
    for line in normalise_newlines(markdown).split("\n"):
        heading = re.match(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", line)
        if heading:
            if title is None:
                title = heading.group(1)
                continue
            line = heading.group(1)
        line = re.sub(r"^\s{0,3}>\s?", "", line)
        line = re.sub(r"^\s*[-*+]\s+", "• ", line)
        line = _MD_LINK.sub(r"\1", line)
        line = _MD_EMPHASIS.sub(r"\2", line)
        lines.append(line)
    return "\n".join(lines).strip("\n"), title


def read_markdown(path: Path, data: bytes) -> ArticleInput:
    raw, encoding = decode(data, str(path))
    raw, removed = remove_controls(raw)
    text, title = markdown_to_text(raw)
    if not text.strip():
        raise NothingToIngest("has a heading but no article text", path=str(path))
    return ArticleInput(text=text, title=title, origin=str(path), encoding=encoding, removed_controls=removed)


def read_html(path: Path, data: bytes) -> ArticleInput:
    """Main text and metadata through trafilatura (boilerplate, menus and comments removed)."""
    origin = str(path)
    markup, encoding = decode(data, origin)
    import trafilatura  # lxml and friends: only HTML files need it (start-up speed of `workbench --help`)

    extracted = trafilatura.bare_extraction(
        markup, include_comments=False, include_tables=False, with_metadata=True, favor_precision=True,
    )
    document: dict = extracted.as_dict() if extracted is not None else {}  # type: ignore[union-attr]
    fields, removed = clean_fields({"text": normalise_newlines(document.get("text") or ""),
                                    "title": document.get("title")})
    text = fields["text"] or ""
    if not text.strip():
        raise NothingToIngest("no article text found in this HTML; save the article page itself, or "
                              "paste its text into a .txt file", path=origin)
    # The page's own url is a guess from its metadata: one that is not http(s) is dropped, not refused.
    url = document.get("url") if is_web_url(document.get("url")) else None
    return ArticleInput(text=text, origin=origin, title=fields["title"], url=url,
                        published=document.get("date"), encoding=encoding, removed_controls=removed)


ARTICLE_FIELDS = {"text", "title", "source", "url", "published", "kind", "date"}


def read_article_jsonl(path: Path, data: bytes, skipped: list[Skipped] | None = None) -> list[ArticleInput]:
    """One article per line. A malformed line refuses the whole file, so a file lands all or nothing;
    a line with no article text (a login page) is left out and listed in `skipped`."""
    text, encoding = decode(data, str(path))
    articles = []
    left_out: list[Skipped] = []
    for number, line in enumerate(normalise_newlines(text).split("\n"), start=1):
        if not line.strip():
            continue
        record = _json_object(line, str(path), number)
        check_surrogates(record, str(path), number)
        body = record.get("text")
        if not isinstance(body, str) or not body.strip():
            raise InputError('has no "text" (the article body); fix this line, nothing from the file '
                             "was stored", path=str(path), line=number)
        kind = _opt(record, "kind")
        if kind is not None and kind not in SOURCE_KINDS:
            raise InputError(f'"kind" {kind!r} is not one of {", ".join(SOURCE_KINDS)}; fix this line, '
                             "nothing from the file was stored", path=str(path), line=number)
        fields, removed = clean_fields({
            "text": normalise_newlines(body), "title": _opt(record, "title"), "url": _opt(record, "url"),
            "published": _opt(record, "published") or _opt(record, "date"), "source": _opt(record, "source"),
        })
        if not (fields["text"] or "").strip():
            raise InputError('"text" holds only control characters; fix this line, nothing from the file '
                             "was stored", path=str(path), line=number)
        article = ArticleInput(
            text=fields["text"] or "", origin=f"{path}:{number}", title=fields["title"], url=fields["url"],
            published=fields["published"], source=fields["source"], kind=kind, encoding=encoding,
            removed_controls=removed,
        )
        if has_article_text(article.text, article.title):
            articles.append(article)
        else:
            left_out.append(Skipped(article.origin, NO_ARTICLE_TEXT))
    if not articles:
        raise NothingToIngest("holds no line with article text" if left_out else "holds no articles",
                              path=str(path))
    if skipped is not None:
        skipped.extend(left_out)
    return articles


def _json_object(line: str, origin: str, number: int) -> dict:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise InputError(f"is not valid JSON ({error.msg}, column {error.colno}); fix this line, "
                         "nothing from the file was stored", path=origin, line=number) from error
    except RecursionError as error:
        raise InputError("is JSON nested too deeply to be an article or a claim; fix this line, "
                         "nothing from the file was stored", path=origin, line=number) from error
    except ValueError as error:  # a number of more than 4,300 digits
        raise InputError(f"is not JSON an article can hold ({str(error).split(':')[0]}); fix this line, "
                         "nothing from the file was stored", path=origin, line=number) from error
    if not isinstance(record, dict):
        raise InputError("is not a JSON object; each line must be {...}; nothing from the file was "
                         "stored", path=origin, line=number)
    return record


def _opt(record: dict, key: str) -> str | None:
    value = record.get(key)
    if value is None or value == "":
        return None
    return str(value).strip()


def has_article_text(text: str, title: str | None = None) -> bool:
    """Whether a line outside the page furniture states something: a sentence with a verb and at least
    STATEMENT_WORDS words that is neither a question nor furniture itself.

    A login page (its title, "Email", "Password", "Forgot your password?", "Don't have an account?
    Register now.") has none; every article of the demo corpus and of a set of 42 real news pages
    stored as found (bylines, captions, cut-off endings) has several.
    """
    furniture = {piece.start for piece in find_furniture(text, title)}
    for start, end in line_spans(text):
        line = text[start:end]
        if not line.strip() or start + len(line) - len(line.lstrip()) in furniture:
            continue
        for sentence in re.split(r"(?<=[.!?…])\s+", line.strip()):
            if sentence.rstrip("\"'”’)] ").endswith("?") or sentence_kind(sentence) is not None:
                continue
            if len(WORD_RE.findall(sentence)) >= STATEMENT_WORDS and has_finite_verb(sentence):
                return True
    return False


def check_article_text(article: ArticleInput) -> ArticleInput:
    if not has_article_text(article.text, article.title):
        raise NothingToIngest(NO_ARTICLE_TEXT, path=article.origin)
    return article


def walk(path: Path, skipped: list[Skipped]) -> Iterator[Path]:
    """Files under a directory that look like articles, in a stable order. Hidden files and folders,
    and files of other types, are listed in `skipped`."""
    for child in sorted(path.rglob("*")):
        parts = child.relative_to(path).parts
        hidden = [i for i, part in enumerate(parts) if part.startswith(".")]
        if hidden:
            if hidden[0] == len(parts) - 1:  # a hidden folder is one line, not one per file in it
                skipped.append(Skipped(visible(str(child)), f"a hidden {'folder' if child.is_dir() else 'file'}"))
            continue
        if not child.is_file():
            continue
        if child.suffix.lower() in ARTICLE_SUFFIXES:
            yield child
        else:
            skipped.append(Skipped(visible(str(child)), f"{child.suffix or 'no extension'} is not a type ingest "
                                   "reads (.txt, .md, .html, .jsonl)"))


def read_articles(path_arg: str, *, stdin: io.TextIOBase | None = None,
                  skipped: list[Skipped] | None = None) -> list[ArticleInput]:
    """Everything one command-line argument names: a file, a directory (recursively) or - for stdin.

    A file with nothing to ingest (empty, no article text) is refused on its own; in a directory it is
    left out and listed in `skipped`, as are the lines of a JSONL file with no article text.
    """
    skipped = [] if skipped is None else skipped
    if path_arg == "-":
        stream = stdin or sys.stdin
        source = stream.buffer if hasattr(stream, "buffer") else None
        # Read one byte past the limit so an endless pipe is refused instead of filling memory.
        data = source.read(MAX_BYTES + 1) if source else stream.read(MAX_BYTES + 1).encode("utf-8")
        if len(data) > MAX_BYTES:
            raise InputError(f"is over {MAX_BYTES // 1024 // 1024} MB; split it into articles",
                             path="<stdin>")
        return [check_article_text(read_plain(Path("<stdin>"), data))]
    path = Path(path_arg)
    if not path.is_dir():
        return read_article_file(path, skipped)
    articles: list[ArticleInput] = []
    left_out = len(skipped)
    for file in walk(path, skipped):
        try:
            articles.extend(read_article_file(file, skipped))
        except NothingToIngest as error:
            skipped.append(Skipped(visible(str(file)), error.detail))
    if not articles:
        listed = "; ".join(f"{Path(s.origin).name}: {s.reason}" for s in skipped[left_out:][:3])
        raise NothingToIngest(f"holds no article to ingest ({listed or 'no files'})", path=path_arg)
    return articles


def read_article_file(path: Path, skipped: list[Skipped] | None = None) -> list[ArticleInput]:
    check_name(path)
    suffix = path.suffix.lower()
    if path.exists() and path.is_file() and suffix not in ARTICLE_SUFFIXES:
        raise InputError(f"unknown file type {suffix or '(no extension)'!r}; ingest .txt, .md, .html or "
                         ".jsonl (rename a plain-text file to .txt)", path=str(path))
    data = read_bytes(path)
    if suffix in {".md", ".markdown"}:
        return [check_article_text(read_markdown(path, data))]
    if suffix in {".html", ".htm"}:
        return [check_article_text(read_html(path, data))]
    if suffix == ".jsonl":
        return read_article_jsonl(path, data, skipped)
    return [check_article_text(read_plain(path, data))]


CLAIM_FIELDS = ("id", "text", "source", "url", "date", "rating")


def read_claims(path_arg: str) -> list[ClaimInput]:
    """Atomic claims from a TSV with a header row or JSONL; fields id, text, source, url, date, rating."""
    path = Path(path_arg)
    check_name(path)
    suffix = path.suffix.lower()
    if path.exists() and suffix not in CLAIM_SUFFIXES:
        raise InputError(f"unknown claims file type {suffix or '(no extension)'!r}; use .tsv (with a "
                         "header row) or .jsonl", path=path_arg)
    text, _ = decode(read_bytes(path), path_arg)
    text = normalise_newlines(text)
    claims = _claims_from_jsonl(text, path_arg) if suffix == ".jsonl" else _claims_from_tsv(text, path_arg)
    if not claims:
        raise InputError("holds no claims", path=path_arg)
    return claims


def _claims_from_tsv(text: str, origin: str) -> list[ClaimInput]:
    csv.field_size_limit(MAX_BYTES)
    reader = csv.DictReader(io.StringIO(text), delimiter="\t")
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    if "text" not in header:
        raise InputError(f"the header row has no 'text' column (found: {', '.join(header) or 'nothing'}); "
                         f"expected {', '.join(CLAIM_FIELDS)}", path=origin, line=1)
    reader.fieldnames = header
    claims = []
    for record in reader:
        number = reader.line_num
        if None in record:
            raise InputError("has more fields than the header; check for a stray tab, nothing from the "
                             "file was stored", path=origin, line=number)
        claims.append(_claim(record, origin, number))
    return claims


def _claims_from_jsonl(text: str, origin: str) -> list[ClaimInput]:
    claims = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            record = _json_object(line, origin, number)
            check_surrogates(record, origin, number)
            claims.append(_claim(record, origin, number))
    return claims


def _claim(record: dict, origin: str, number: int) -> ClaimInput:
    body = record.get("text")
    fields, removed = clean_fields({
        "text": " ".join(body.split()) if isinstance(body, str) else None, "id": _opt(record, "id"),
        "source": _opt(record, "source"), "url": _opt(record, "url"), "date": _opt(record, "date"),
        "rating": _opt(record, "rating"),
    })
    if not (fields["text"] or "").strip():
        raise InputError("has no claim text; fix this line, nothing from the file was stored",
                         path=origin, line=number)
    return ClaimInput(
        text=fields["text"] or "", origin=f"{origin}:{number}", external_id=fields["id"],
        source=fields["source"], url=fields["url"], date=fields["date"], rating=fields["rating"],
        removed_controls=removed,
    )
