"""Seeded synthetic corpora in the real schemas, for timing refer's streamed importers.

    generate.py FORMAT N OUT            FORMAT: openalex | s2 | arxiv | dblp
(s2 writes OUT as the papers file and OUT's sibling "abstracts-" + name, in another order.)

Each record follows its format's documented schema (the same shape as the fixtures in
Tests/fixtures/import): OpenAlex works with authorships, ORCIDs, institutions and an
abstract_inverted_index; Semantic Scholar papers and abstracts joined by corpusid; arXiv
metadata with LaTeX accents and authors_parsed; DBLP XML records with entities, inline
markup and homonym numbers, one record's closing tag and the next one's opening tag on one line. One record in 10,000 has no title (the importer skips it).
Output is gzip (level 1), as the real snapshots are shipped.
"""
import gzip
import json
import os
import random
import sys

fmt, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rng = random.Random(20261206)
words = ("graph index search vector quantization learned model query recall latency memory approximate nearest "
         "neighbour embedding retrieval sparse dense transformer attention training inference scalable distributed "
         "efficient robust adaptive hierarchical probabilistic optimal bound analysis system benchmark dataset").split()
given = "Wei Jing Ana Maria John David Priya Kenji Omar Olga Lars Giulia Pierre Jonas Mira Tomás Balázs Jürgen Zoë Søren".split()
family = "Wang Li Smith Garcia Müller Kim Sato Patel Rossi Dubois Ivanov Nowak Nielsen Silva Nguyen Kégl Åberg Okonkwo Reyes".split()
latex = {"á": "\\'a", "é": "\\'e", "ü": "\\\"u", "ö": "\\\"o", "ë": "\\\"e", "å": "\\aa{}", "ø": "\\o{}", "Å": "\\AA{}", "Ø": "\\O{}"}
entity = {"á": "&aacute;", "é": "&eacute;", "ü": "&uuml;", "ö": "&ouml;", "ë": "&euml;", "å": "&aring;", "ø": "&oslash;", "Å": "&Aring;"}


def sentence(k):
    return " ".join(rng.choice(words) for _ in range(k))


def person():
    return rng.randrange(300000), f"{rng.choice(given)} {rng.choice(family)}"


def inverted(text):
    index = {}
    for i, w in enumerate(text.split()):
        index.setdefault(w, []).append(i)
    return index


def openalex(i):
    title = None if i % 10000 == 9999 else sentence(8).capitalize()
    abstract = sentence(rng.randrange(60, 160))
    authorships = []
    for pos in range(rng.randrange(1, 7)):
        a, name = person()
        authorships.append({
            "author_position": "first" if pos == 0 else "middle",
            "author": {"id": f"https://openalex.org/A{5000000000 + a}", "display_name": name,
                       "orcid": f"https://orcid.org/0000-0002-{a % 10000:04d}-{rng.randrange(10000):04d}" if a % 3 == 0 else None},
            "institutions": [{"id": f"https://openalex.org/I{400000 + a % 5000}", "display_name": f"Institute {a % 5000}",
                              "ror": f"https://ror.org/0{a % 5000:05d}x1", "country_code": "US", "type": "education",
                              "lineage": [f"https://openalex.org/I{400000 + a % 5000}"]}] if a % 4 else [],
            "countries": ["US"], "is_corresponding": pos == 0, "raw_author_name": name,
            "raw_affiliation_strings": [f"Institute {a % 5000}"], "affiliations": []})
    return {"id": f"https://openalex.org/W{4000000000 + i}", "doi": f"https://doi.org/10.9999/gen.{i}",
            "title": title, "display_name": title, "publication_year": 2000 + i % 25,
            "publication_date": f"{2000 + i % 25}-01-01", "language": "en", "type": "article",
            "ids": {"openalex": f"https://openalex.org/W{4000000000 + i}"},
            "primary_location": None if i % 50 == 0 else {"is_oa": False, "landing_page_url": None, "pdf_url": None,
                                                          "source": {"id": f"https://openalex.org/S{i % 900}", "display_name": f"Venue {i % 900}",
                                                                     "issn_l": None, "type": "journal"}},
            "authorships": authorships,
            "abstract_inverted_index": None if i % 7 == 0 else inverted(abstract),
            "cited_by_count": i % 100, "concepts": [], "referenced_works": []}


def s2(i):
    authors = []
    for _ in range(rng.randrange(1, 7)):
        a, name = person()
        authors.append({"authorId": None if a % 97 == 0 else str(1000000 + a), "name": name})
    return {"corpusid": 100000000 + i,
            "externalids": {"ACL": None, "DBLP": None, "ArXiv": None, "MAG": str(i), "CorpusId": str(100000000 + i),
                            "PubMed": None, "DOI": f"10.9999/gen.{i}" if i % 2 else None, "PubMedCentral": None},
            "url": f"https://www.semanticscholar.org/paper/{i:040x}",
            "title": None if i % 10000 == 9999 else sentence(8).capitalize(), "authors": authors,
            "venue": "" if i % 3 == 0 else f"Venue {i % 900}", "publicationvenueid": None,
            "year": None if i % 40 == 0 else 2000 + i % 25, "referencecount": 10, "citationcount": 3,
            "influentialcitationcount": 0, "isopenaccess": False, "s2fieldsofstudy": None, "publicationtypes": None,
            "publicationdate": None, "journal": None, "updated": "2024-01-01T00:00:00.000Z"}


def s2_abstract(i):
    return {"corpusid": 100000000 + i,
            "openaccessinfo": {"externalids": {"MAG": str(i), "ACL": None, "DOI": None, "PubMedCentral": None, "ArXiv": None},
                               "license": None, "url": None, "status": None},
            "abstract": sentence(rng.randrange(60, 160)), "updated": "2024-01-01T00:00:00.000Z"}


def arxiv(i):
    people = [person()[1] for _ in range(rng.randrange(1, 6))]
    as_latex = ["".join(latex.get(c, c) for c in p) for p in people]
    return {"id": f"{1000 + i // 100000:04d}.{i % 100000:05d}", "submitter": people[0],
            "authors": ", ".join(as_latex[:-1]) + (" and " if len(as_latex) > 1 else "") + as_latex[-1],
            "title": None if i % 10000 == 9999 else sentence(5).capitalize() + "\n  " + sentence(4),
            "comments": "12 pages", "journal-ref": None, "doi": None, "report-no": None, "categories": "cs.IR cs.LG",
            "license": None, "abstract": "  " + sentence(40) + "\n" + sentence(50) + "\n",
            "versions": [{"version": "v1", "created": f"Mon, 2 Apr {2007 + i % 18} 19:18:42 GMT"}],
            "update_date": "2024-01-01",
            "authors_parsed": [[p.split(" ", 1)[1], p.split(" ", 1)[0], ""] for p in people]}


def dblp(i):
    authors = []
    for _ in range(rng.randrange(1, 6)):
        a, name = person()
        name = "".join(entity.get(c, c) for c in name) + (f" {a % 3 + 1:04d}" if a % 11 == 0 else "")
        authors.append(f'<author orcid="0000-0002-{a % 10000:04d}-0000">{name}</author>' if a % 5 == 0 else f"<author>{name}</author>")
    title = "" if i % 10000 == 9999 else f"<title>{sentence(4).capitalize()} <i>k</i>-{sentence(3)}.</title>\n"
    # As in the real dump, a record's closing tag and the next record's opening tag share a line.
    return (f'<inproceedings mdate="2024-01-01" key="conf/gen/P{i}">\n' + "\n".join(authors) + "\n" + title +
            f"<pages>1-10</pages>\n<year>{2000 + i % 25}</year>\n<booktitle>GEN</booktitle>\n"
            f"<ee>https://doi.org/10.9999/gen.{i}</ee>\n</inproceedings>")


with gzip.open(out, "wt", encoding="utf-8", compresslevel=1) as f:
    if fmt == "dblp":
        f.write('<?xml version="1.0" encoding="ISO-8859-1"?>\n<!DOCTYPE dblp SYSTEM "dblp.dtd">\n<dblp>\n')
        for i in range(n):
            f.write(dblp(i))
        f.write("\n</dblp>\n")
    else:
        make = {"openalex": openalex, "s2": s2, "arxiv": arxiv}[fmt]
        for i in range(n):
            f.write(json.dumps(make(i), ensure_ascii=False, separators=(",", ":")) + "\n")
if fmt == "s2":
    order = list(range(n))
    rng.shuffle(order)
    with gzip.open(os.path.join(os.path.dirname(out), "abstracts-" + os.path.basename(out)), "wt", encoding="utf-8", compresslevel=1) as f:
        for i in order:
            if i % 9:   # one paper in nine has no abstract
                f.write(json.dumps(s2_abstract(i), separators=(",", ":")) + "\n")
