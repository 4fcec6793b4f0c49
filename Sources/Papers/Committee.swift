import Embedding
import Foundation
import Names
import Storage

/// Reviewers with their publications embedded: what reviewer scoring reads. A store
/// keeps one committee (`refer ingest --committee`); `--committee FILE` gives another
/// for one query.
public struct Committee: Codable, Sendable, Equatable {
    public struct Member: Codable, Sendable, Equatable {
        public var profile: ReviewerProfile { didSet { coauthors = CoauthorIndex(profile) } }
        /// Parallel to `profile.publications`: the store's paper id when the
        /// publication is a stored paper (same title), else "<name-key>#<n>".
        public var paperIDs: [String]
        /// Parallel to `profile.publications`: unit vectors (the stored paper's vector
        /// when it is in the store, so its abstract counts too).
        public var vectors: [[Float]]
        /// Author ids the member carries on their stored papers (besides the profile's own).
        public var ids: [String]
        /// Institutions from the member's stored papers, with years (conflict evidence).
        public var institutions: [Institution]
        /// The profile's names parsed for conflict checks (kept in step with `profile`, not stored).
        public private(set) var coauthors: CoauthorIndex

        public init(profile: ReviewerProfile, paperIDs: [String], vectors: [[Float]], ids: [String] = [], institutions: [Institution] = []) {
            self.profile = profile; self.paperIDs = paperIDs; self.vectors = vectors
            self.ids = ids; self.institutions = institutions
            coauthors = CoauthorIndex(profile)
        }

        enum CodingKeys: String, CodingKey { case profile, paperIDs, vectors, ids, institutions }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            // Committees stored by older builds have no ids or institutions.
            self.init(profile: try c.decode(ReviewerProfile.self, forKey: .profile),
                      paperIDs: try c.decode([String].self, forKey: .paperIDs), vectors: try c.decode([[Float]].self, forKey: .vectors),
                      ids: try c.decodeIfPresent([String].self, forKey: .ids) ?? [],
                      institutions: try c.decodeIfPresent([Institution].self, forKey: .institutions) ?? [])
        }
    }

    public var members: [Member]

    /// Someone a committee file lists who does not review (a programme chair, a HotCRP user
    /// outside the PC): a chair's file that names them is understood, not taken for a typo.
    public struct NonReviewer: Codable, Sendable, Equatable {
        public var name: String
        /// Lower-case e-mail addresses.
        public var emails: [String]
        public var ids: [String]
        /// Why they do not review, as a clause: "is a chair (roles 'chair pc')".
        public var why: String

        public init(name: String, emails: [String] = [], ids: [String] = [], why: String) {
            self.name = name; self.emails = emails.map { $0.lowercased() }; self.ids = ids; self.why = why
        }
    }

    /// People the committee files list who do not review.
    public var nonReviewers: [NonReviewer] = []

    enum CodingKeys: String, CodingKey { case members, nonReviewers }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        members = try c.decode([Member].self, forKey: .members)
        nonReviewers = try c.decodeIfPresent([NonReviewer].self, forKey: .nonReviewers) ?? []
    }

    /// The name under which a store keeps its committee.
    public static let documentName = "committee"

    /// Embeds every publication of `profiles`. Profiles without publications are
    /// looked up in the store by name (all their stored papers); one with no papers
    /// either way is refused, naming it.
    public init(profiles: [ReviewerProfile], searcher: StoreSearcher?, embedder: Embedder, nonReviewers: [NonReviewer] = []) throws {
        self.nonReviewers = nonReviewers
        var resolved: [ReviewerProfile] = [], names = Set<String>()
        // Per resolved profile, per publication: the stored paper it is, when known by id.
        var known: [[(id: String, vector: [Float])?]] = []
        for var profile in profiles {
            guard names.insert(profile.name).inserted else { throw ProfileError("reviewer '\(profile.name)' is in the committee twice") }
            var stored: [(id: String, vector: [Float])?] = Array(repeating: nil, count: profile.publications.count)
            if profile.publications.isEmpty, let searcher {
                let papers = try Self.storedPapers(of: profile, in: searcher).compactMap { try searcher.paper($0) }
                profile.publications = papers.map { .init(title: $0.title, venue: $0.venue, year: $0.year, authors: $0.authors ?? [], abstract: $0.abstract) }
                stored = try papers.map { p in try searcher.vector(ofPaper: p.id).map { (p.id, $0) } }
            }
            guard !profile.publications.isEmpty else {
                throw ProfileError("reviewer '\(profile.name)' has no papers: give publications in the profile, or a name with papers in the store")
            }
            resolved.append(profile)
            known.append(stored)
        }
        // Every publication not already a stored vector, of every reviewer, in one
        // embedder call (batched across cores); a committee named from the store embeds nothing.
        let toEmbed = zip(resolved, known).flatMap { profile, stored in
            zip(profile.publications, stored).filter { $0.1 == nil }.map(\.0)
        }
        let embedded = embedder.embedRows(toEmbed.map { PaperRecord.embeddingText(title: $0.title, abstract: $0.abstract) })
        var members: [Member] = [], row = 0
        for (profile, stored) in zip(resolved, known) {
            var ids: [String] = [], vectors: [[Float]] = [], inStore: [String] = []
            let slug = NameText.tokens(of: profile.name).joined(separator: "-")
            for (i, p) in profile.publications.enumerated() {
                if let s = stored[i] { ids.append(s.id); vectors.append(s.vector); inStore.append(s.id); continue }
                let v = embedded[row]
                row += 1
                if let searcher, let found = try Self.storedPaper(titled: p.title, near: v, in: searcher) {
                    ids.append(found.id); vectors.append(found.vector); inStore.append(found.id)
                } else {
                    ids.append("\(slug)#\(i + 1)"); vectors.append(v)
                }
            }
            let identity = try searcher.map { try Self.identity(of: profile, papers: inStore, in: $0) } ?? (ids: [], institutions: [])
            members.append(Member(profile: profile, paperIDs: ids, vectors: vectors, ids: identity.ids, institutions: identity.institutions))
        }
        self.members = members
    }

    /// The stored papers of a member named without publications: by their ids when the
    /// profile gives any, else by name. A name with only an initial ("Y. Zhang") that fits
    /// several people in the store is refused listing them, since their papers would
    /// otherwise be merged into one profile; a full name or an author id settles it.
    static func storedPapers(of profile: ReviewerProfile, in searcher: StoreSearcher) throws -> [String] {
        let ids = (profile.ids ?? []).filter(PersonRecord.isID)
        if !ids.isEmpty {
            let found = try Set(ids.flatMap { try searcher.papers(byAuthorID: $0) })
            if !found.isEmpty { return found.sorted() }
        }
        let name = PersonName(profile.name)
        if name.given.count == 1 {
            let people = try searcher.givenNames(of: name).filter { $0.count > 1 }
            if people.count > 1 {
                let shown = people.prefix(12).map { "\($0.prefix(1).uppercased() + $0.dropFirst()) \(profile.name.split(separator: " ").last ?? "")" }
                throw ProfileError("reviewer '\(profile.name)' fits \(people.count) people in the store (\(shown.joined(separator: ", "))\(people.count > 12 ? ", …" : "")); give the full name or an author id")
            }
        }
        return try searcher.papers(by: name)
    }

    /// The author ids and institutions (with years) a member carries on their stored papers:
    /// at their place on each paper (one of the profile's ids, else their name).
    static func identity(of profile: ReviewerProfile, papers ids: [String], in searcher: StoreSearcher) throws -> (ids: [String], institutions: [Institution]) {
        let me = PersonName(profile.name), given = Set(profile.ids ?? [])
        let papers = try ids.compactMap { try searcher.paper($0) }.map(AuthorPlace.Listed.init)
        let found = AuthorPlace.ids(of: me, ids: given, on: papers).subtracting(given)
        return (found.sorted(), Institution.spans(of: papers.map { (paper: $0.paper, positions: AuthorPlace.positions(of: me, ids: given, on: $0)) }))
    }

    /// The store's paper with the same title as a publication, found through the
    /// publication's vector (a stored paper with the same title is its nearest few).
    static func storedPaper(titled title: String, near vector: [Float], in searcher: StoreSearcher) throws -> (id: String, vector: [Float])? {
        let key = PaperListParser.titleKey(title)
        for hit in try searcher.search(vector, k: min(3, searcher.index.count), effort: .recall(nil)).hits {
            guard let p = try searcher.paper(hit.paperID), PaperListParser.titleKey(p.title) == key,
                  let v = try searcher.vector(ofPaper: p.id) else { continue }
            return (p.id, v)
        }
        return nil
    }

    /// The committee kept in a store, or nil when it has none.
    public static func stored(in searcher: StoreSearcher) throws -> Committee? {
        guard let json = try searcher.document(documentName) else { return nil }
        do { return try JSONDecoder().decode(Committee.self, from: Data(json.utf8)) }
        catch { throw ProfileError("\(searcher.store.path): the stored committee is damaged: \(error)") }
    }

    /// The committee a query uses: built from `files` when given, else the store's own
    /// (nil when it has none: candidates are then the corpus's authors).
    public static func resolve(files: [String], searcher: StoreSearcher, embedder: Embedder, includeChairs: Bool = false) throws -> Committee? {
        guard !files.isEmpty else { return try stored(in: searcher) }
        let read = try CommitteeFiles.read(files, includeChairs: includeChairs)
        return try Committee(profiles: read.reviewers, searcher: searcher, embedder: embedder, nonReviewers: read.nonReviewers)
    }

    /// Keeps this committee in `store`, replacing any other.
    public func save(in store: PaperStore) throws {
        try store.setDocument(Self.documentName, json: String(decoding: try JSONEncoder().encode(self), as: UTF8.self))
    }
}

/// Reads reviewer profiles from files: a profile JSON (`refer import --format cv`), a
/// JSON array of profiles, a BibTeX file (the owner's own papers), an OpenReview
/// expertise archive (`~Profile_Id1.jsonl`), a conference system's committee table
/// (``CommitteeTable``: HotCRP, CMT, EasyChair), a text file of names (one per line, `#`
/// comments; their papers come from the store), or a folder of such files (an
/// OpenReview dataset folder: its `archives/`).
public enum CommitteeFiles {
    /// The reviewers in `paths` and the people listed there who do not review: chairs
    /// (HotCRP `roles` with `chair`, EasyChair `role` with "chair"; reviewers with
    /// `includeChairs`) and HotCRP users outside the PC.
    public static func read(_ paths: [String], includeChairs: Bool = false) throws -> (reviewers: [ReviewerProfile], nonReviewers: [Committee.NonReviewer]) {
        var reviewers: [ReviewerProfile] = [], others: [Committee.NonReviewer] = []
        for path in paths {
            if CommitteeTable.isTable(path: path, firstLine: try firstLine(path)) {
                let t = try CommitteeTable.read(path: path, includeChairs: includeChairs)
                reviewers += t.reviewers; others += t.nonReviewers
            } else {
                reviewers += try load([path])
            }
        }
        return (reviewers, others)
    }

    /// The first line of a file (empty for a folder or a workbook).
    static func firstLine(_ path: String) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
              let data = FileManager.default.contents(atPath: path) else { return "" }
        let text = String(decoding: data.prefix(4096), as: UTF8.self)   // only to recognise a table
        return String(text.prefix { $0 != "\n" && $0 != "\r\n" })
    }

    /// Every reviewer in `paths` (chairs of a conference system's PC table left out).
    public static func load(_ paths: [String]) throws -> [ReviewerProfile] {
        var out: [ReviewerProfile] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ProfileError("\(path): no such file")
            }
            if isDirectory.boolValue {
                // An OpenReview expertise dataset: its archives are the profiles.
                if FileManager.default.fileExists(atPath: path + "/archives") { out += try load([path + "/archives"]); continue }
                let names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
                    .filter { $0.hasSuffix(".json") || $0.hasSuffix(".bib") || $0.hasSuffix(".jsonl") }
                guard !names.isEmpty else { throw ProfileError("\(path): no .json, .bib or .jsonl profiles in this folder") }
                out += try load(names.map { path + "/" + $0 })
            } else {
                out += try profiles(inFile: path)
            }
        }
        return out
    }

    static func profiles(inFile path: String) throws -> [ReviewerProfile] {
        guard let data = FileManager.default.contents(atPath: path) else { throw ProfileError("\(path): cannot read") }
        let text = try TextFile.decode(data, path: path).text
        if path.hasSuffix(".bib") { return [try BibTeXParser.profile(text, file: path)] }
        if CommitteeTable.isTable(path: path, firstLine: String(text.prefix { $0 != "\n" && $0 != "\r\n" })) { return try CommitteeTable.read(path: path, includeChairs: false).reviewers }
        if path.hasSuffix(".jsonl") { return [try OpenReviewArchive.profile(jsonl: text, file: path)] }
        if path.hasSuffix(".json") {
            let decoder = JSONDecoder()
            do {
                let first = text.first { !$0.isWhitespace }
                let profiles = first == "[" ? try decoder.decode([ReviewerProfile].self, from: data)
                                            : [try decoder.decode(ReviewerProfile.self, from: data)]
                for p in profiles where p.name.trimmingCharacters(in: .whitespaces).isEmpty {
                    throw ProfileError("\(path): a profile has an empty name")
                }
                return profiles
            } catch let e as ProfileError { throw e } catch {
                throw ProfileError("\(path): not a reviewer profile (\(JSONErrorText.describe(error)))")
            }
        }
        let names = text.components(separatedBy: .newlines).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        guard !names.isEmpty else { throw ProfileError("\(path): no names (one reviewer name per line)") }
        return names.map { ReviewerProfile(name: $0, publications: []) }
    }
}
