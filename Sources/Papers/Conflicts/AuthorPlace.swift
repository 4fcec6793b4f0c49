import Names
import Storage

/// Where a person is on stored papers' author lists, and the ids they carry there.
enum AuthorPlace {
    /// A paper with its authors' names parsed once.
    struct Listed {
        let paper: PaperRecord
        let names: [PersonName]
        init(_ paper: PaperRecord) { self.paper = paper; names = (paper.authors ?? []).map(PersonName.init) }
    }

    /// The authors of a paper with one of the person's `ids`, or whose name may be theirs
    /// (``PersonName/mayBe(_:)``: for conflicts, a missed place could miss a conflict).
    static func positions(of person: PersonName, ids: Set<String>, on listed: Listed) -> [Int] {
        listed.names.indices.filter { i in
            (listed.paper.authorIDs?[safe: i] ?? nil).map(ids.contains) == true || listed.names[i].mayBe(person)
        }
    }

    /// The person's ids: `ids`, and the author ids at their places on `papers`.
    static func ids(of person: PersonName, ids: Set<String>, on papers: [Listed]) -> Set<String> {
        ids.union(papers.flatMap { p in positions(of: person, ids: ids, on: p).compactMap { p.paper.authorIDs?[safe: $0] ?? nil } })
    }
}
