import Foundation
import Names
import Storage

/// Who may not review a draft, and why. The rules, strongest first (the first that
/// fires is the one reported; each names its evidence):
/// 1. **author**: the reviewer is one of the draft's authors: the same author id, else the
///    same e-mail address, else the same name;
/// 2. **coauthor**: a paper with a draft author in the last `coauthorYears` years (papers
///    without a year count as recent): a stored paper listing both by id, else by name, or
///    a publication in the reviewer's profile;
/// 3. **affiliation**: a shared institution, both there within the window: from the data
///    (imports with institutions per authorship, with their years) or given as text ("Name
///    (Affiliation)" for a draft author, `affiliation` in a profile: taken as current);
/// 4. **email_domain**: addresses at the same organisation (``EmailDomain``; webmail never);
/// 5. **declared**: a declared conflict (``DeclaredConflicts``).
///
/// Names meet by ``PersonName/mayBe(_:)`` (an initial matches any first name with that
/// letter): a missed conflict costs more than a needlessly excluded reviewer.
public struct ConflictPolicy: Sendable, Equatable {
    /// Co-authorship and shared institutions older than this many years do not count; nil: any time.
    public var coauthorYears: Int?
    /// The year the window counts back from (default: this calendar year). A conference
    /// sets it per submission: the conference's year (`--as-of`), else the submission's.
    /// Later papers count too: a collaboration under way is a conflict all the same.
    public var referenceYear: Int
    /// Conflicts declared in CSV files.
    public var declared: DeclaredConflicts

    public init(coauthorYears: Int? = 5, referenceYear: Int = Calendar(identifier: .gregorian).component(.year, from: Date()),
                declared: DeclaredConflicts = DeclaredConflicts()) {
        self.coauthorYears = coauthorYears; self.referenceYear = referenceYear; self.declared = declared
    }

    /// A draft author: a name, and what else the submission gives.
    public struct Author: Sendable, Equatable {
        public var name: String
        public var affiliation: String?
        public var email: String?
        /// A stable author id (`orcid:…`, `openalex:A…`, `s2:…`, `dblp:…`).
        public var id: String?

        public init(name: String, affiliation: String? = nil, email: String? = nil, id: String? = nil) {
            self.name = name; self.affiliation = affiliation; self.email = email; self.id = id
        }

        /// Parses "Name", "Name (Affiliation)", "Name <e-mail>" and "Name <author id>" (both
        /// brackets may be given, and several `<…>`), as `--authors` and the API take them.
        public init(_ text: String) {
            var t = text.trimmingCharacters(in: .whitespaces)
            if t.hasSuffix(")"), let open = t.lastIndex(of: "(") {
                let a = t[t.index(after: open)..<t.index(before: t.endIndex)].trimmingCharacters(in: .whitespaces)
                affiliation = a.isEmpty ? nil : a
                t = t[..<open].trimmingCharacters(in: .whitespaces)
            }
            while t.hasSuffix(">"), let open = t.lastIndex(of: "<") {
                let inside = t[t.index(after: open)..<t.index(before: t.endIndex)].trimmingCharacters(in: .whitespaces)
                if inside.contains("@") { email = inside } else if PersonRecord.isID(inside) { id = inside } else { break }
                t = t[..<open].trimmingCharacters(in: .whitespaces)
            }
            name = t
        }

        /// The authors of a submission: `authors` as text (so "Name (Affiliation)" works
        /// there too), with `author_ids`, and `author_emails` and `author_affiliations` (extra
        /// fields parallel to `authors`, as the conference-system importers write them).
        public static func of(_ record: PaperRecord) -> [Author] {
            let extra = record.extraFields.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] } ?? [:]
            let emails = extra["author_emails"] as? [Any] ?? [], affiliations = extra["author_affiliations"] as? [Any] ?? []
            return (record.authors ?? []).enumerated().map { i, text in
                var a = Author(text)
                if let id = record.authorIDs?[safe: i] ?? nil { a.id = id }
                if let e = emails[safe: i] as? String, !e.isEmpty { a.email = e }
                if let f = affiliations[safe: i] as? String, !f.isEmpty { a.affiliation = f }
                return a
            }
        }
    }

    /// Whom a conflict check is about: a committee member, or an author found in the store.
    public struct Reviewer: Sendable {
        public var name: String
        public var person: PersonName
        /// Author ids known for the reviewer.
        public var ids: Set<String>
        /// The reviewer's e-mail addresses, lower case.
        public var emails: Set<String>
        /// Organisation domains of the reviewer's e-mail addresses.
        public var domains: Set<String>
        public var institutions: [Institution]
        /// A committee member's profile, whose publications are co-authorship evidence too.
        var member: Committee.Member?

        public init(name: String, ids: Set<String> = [], emails: [String] = [], institutions: [Institution] = []) {
            self.name = name; person = PersonName(name); self.ids = ids
            self.emails = Set(emails.map { $0.lowercased() })
            domains = Set(emails.compactMap(EmailDomain.organisation)); self.institutions = institutions
        }

        init(_ m: Committee.Member) {
            var institutions = m.institutions
            if let text = m.profile.affiliation, !text.isEmpty { institutions.append(Institution(name: text)) }
            self.init(name: m.profile.name, ids: Set(m.ids + (m.profile.ids ?? [])), emails: m.profile.emails ?? [], institutions: institutions)
            member = m
        }
    }

    /// Why committee member `member` may not review `draft`, or nil.
    public func conflict(of member: Committee.Member, with draft: DraftAuthors) -> ReviewerExclusion? {
        conflict(of: Reviewer(member), with: draft)
    }

    /// Why `reviewer` may not review `draft`, or nil. Co-authorship is symmetric, so for a
    /// person found in the store (every paper of theirs a store paper) the draft authors'
    /// store papers hold every shared paper the person's would.
    public func conflict(of r: Reviewer, with draft: DraftAuthors) -> ReviewerExclusion? {
        // 1. The same person.
        for a in draft.authors {
            if let id = a.ids.first(where: r.ids.contains) {
                return ReviewerExclusion(name: r.name, reason: "author of the draft (as '\(a.author.name)', same id \(id))", rule: .author, author_id: id)
            }
        }
        if let a = draft.authors.first(where: { $0.author.email.map { r.emails.contains($0.lowercased()) } ?? false }) {
            return ReviewerExclusion(name: r.name, reason: "author of the draft (as '\(a.author.name)', same e-mail \(a.author.email!))", rule: .author)
        }
        if let a = draft.authors.first(where: { $0.name.mayBe(r.person) }) {
            return ReviewerExclusion(name: r.name, reason: a.author.name == r.name ? "author of the draft" : "author of the draft (as '\(a.author.name)')",
                                     rule: .author)
        }
        // 2. Co-authors: by id on stored papers, then by name on stored papers and the profile.
        if !r.ids.isEmpty {
            for a in draft.authors {
                for p in a.storePapers where isRecent(p.paper.year) {
                    if let id = p.paper.authorIDs?.lazy.compactMap({ $0 }).first(where: r.ids.contains) {
                        var e = ReviewerExclusion.coauthor(r.name, of: a.author.name, paper: .init(id: p.paper.id, title: p.paper.title, year: p.paper.year))
                        e.author_id = id
                        return e
                    }
                }
            }
        }
        for a in draft.authors {
            if let m = r.member, let i = m.coauthors.firstPublication(with: a.name, where: { isRecent(m.profile.publications[$0].year) }) {
                let p = m.profile.publications[i]
                return .coauthor(r.name, of: a.author.name, paper: .init(id: m.paperIDs[safe: i], title: p.title, year: p.year))
            }
            if let p = a.storePapers.first(where: { isRecent($0.paper.year) && $0.authors.contains { $0.mayBe(r.person) } }) {
                return .coauthor(r.name, of: a.author.name, paper: .init(id: p.paper.id, title: p.paper.title, year: p.paper.year))
            }
        }
        // 3-5. Institutions, e-mail domains, declarations.
        if let c = institutionConflict(of: r, with: draft) { return c }
        for a in draft.authors {
            if let org = a.author.email.flatMap(EmailDomain.organisation), r.domains.contains(org) {
                return ReviewerExclusion(name: r.name, reason: "same e-mail domain as \(a.author.name): \(org)", rule: .emailDomain, domain: org)
            }
        }
        if let (e, a) = declared.entry(for: r, with: draft.authors) {
            return ReviewerExclusion(name: r.name, reason: "declared conflict with \(a.author.name): \(e.reason) (\(e.source))", rule: .declared)
        }
        return nil
    }

    /// The shared institution of `r` and a draft author, both there within the window, or nil.
    public func institutionConflict(of r: Reviewer, with draft: DraftAuthors) -> ReviewerExclusion? {
        for a in draft.authors {
            for theirs in a.institutions where isRecent(theirs.last_year) {
                guard let mine = r.institutions.first(where: { isRecent($0.last_year) && $0.isSame(as: theirs) }) else { continue }
                let years = [mine.years.map { "\(r.name) \($0)" }, theirs.years.map { "\(a.author.name) \($0)" }].compactMap { $0 }
                return ReviewerExclusion(name: r.name, reason: "same affiliation as \(a.author.name): \(theirs.name)" + (years.isEmpty ? "" : " (\(years.joined(separator: ", ")))"),
                                         rule: .affiliation, institution: .init(name: theirs.name, id: theirs.ror ?? theirs.id ?? mine.ror ?? mine.id,
                                                                                reviewer_years: mine.years, author_years: theirs.years))
            }
        }
        return nil
    }

    /// A draft's authors prepared for checking a whole committee: each name parsed once,
    /// with the store's papers by that author (by id and by name), their authors parsed,
    /// and the author's institutions (given, and from those papers, with years).
    public struct DraftAuthors: Sendable {
        struct Entry: Sendable {
            let author: Author
            let name: PersonName
            /// The given id and the ids the author carries on their stored papers.
            let ids: Set<String>
            let storePapers: [(paper: PaperRecord, authors: [PersonName])]
            let institutions: [Institution]
        }
        let authors: [Entry]

        /// Whether some author has an institution, so that reviewers' institutions are worth reading.
        public var hasInstitutions: Bool { authors.contains { !$0.institutions.isEmpty } }

        /// Each author with the store's papers listing them: by name or by the given id, then
        /// by any id they carry on those (a name change, another spelling), with extra fields
        /// (where institutions are kept). Their ids are the given one and those carried.
        public init(_ authors: [Author], store: StoreSearcher?) throws {
            self.authors = try authors.map { a in
                let name = PersonName(a.name), given = Set([a.id].compactMap { $0 })
                var found = Set(try store?.papers(by: name) ?? [])
                for id in given { found.formUnion(try store?.papers(byAuthorID: id) ?? []) }
                var papers = try found.sorted().compactMap { try store?.paper($0) }.map(AuthorPlace.Listed.init)
                let ids = AuthorPlace.ids(of: name, ids: given, on: papers)
                let more = try Set(ids.subtracting(given).flatMap { try store?.papers(byAuthorID: $0) ?? [] }).subtracting(found)
                papers += try more.sorted().compactMap { try store?.paper($0) }.map(AuthorPlace.Listed.init)
                var institutions = Institution.spans(of: papers.map { (paper: $0.paper, positions: AuthorPlace.positions(of: name, ids: ids, on: $0)) })
                if let text = a.affiliation { institutions.append(Institution(name: text)) }
                return Entry(author: a, name: name, ids: ids, storePapers: papers.map { ($0.paper, $0.names) }, institutions: institutions)
            }
        }
    }

    func isRecent(_ year: Int?) -> Bool {
        guard let window = coauthorYears, let year else { return true }
        return year >= referenceYear - window
    }
}

/// A reviewer's name and the co-authors of their publications, parsed once, so that a
/// draft is checked against a whole committee without re-reading every author list.
public struct CoauthorIndex: Sendable, Equatable {
    /// The reviewer's own name.
    public let owner: PersonName
    /// Family name → the people with it on the reviewer's publications (with the
    /// publication's index), in publication order.
    private let byFamily: [String: [Coauthor]]

    struct Coauthor: Sendable, Equatable {
        let name: PersonName
        let publication: Int
    }

    public init(_ profile: ReviewerProfile) {
        owner = PersonName(profile.name)
        var index: [String: [Coauthor]] = [:]
        for (i, p) in profile.publications.enumerated() {
            for a in p.authors {
                let name = PersonName(a)
                if !name.family.isEmpty { index[name.family, default: []].append(Coauthor(name: name, publication: i)) }
            }
        }
        byFamily = index
    }

    /// The first publication, in the profile's order, that has an author who may be
    /// `person` and for which `include` holds.
    func firstPublication(with person: PersonName, where include: (Int) -> Bool) -> Int? {
        byFamily[person.family]?.first { $0.name.mayBe(person) && include($0.publication) }?.publication
    }
}
