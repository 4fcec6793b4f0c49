import Foundation

/// The reviewer-expertise gold standard of Stelmakh, Wieting, Xi, Neubig and Shah
/// (TMLR 2025), as `../shared/datasets/goldstandard` holds it: participants' ratings
/// of papers (`evaluations.csv`) and, per evaluation dataset `d_20_*`, each
/// participant's profile (`archives/~ID.jsonl`) and the rated papers (`submissions.json`).
public struct GoldStandard: Sendable {
    public struct Rating: Sendable, Equatable { public var paper: String; public var expertise: Double }
    public struct Paper: Sendable, Equatable { public var id: String; public var title: String; public var abstract: String }

    /// Participant id → their ratings, in the CSV's column order.
    public var ratings: [String: [Rating]]
    /// Participant ids in file order.
    public var participants: [String]

    public init(directory: String) throws {
        let path = directory + "/evaluations.csv"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ProfileError("\(path): cannot read") }
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        guard !lines.isEmpty else { throw ProfileError("\(path): empty") }
        let header = lines.removeFirst().components(separatedBy: "\t")
        let paperColumns = header.indices.filter { header[$0].hasPrefix("Paper") }
        let expertiseColumns = header.indices.filter { header[$0].hasPrefix("Expertise") }
        guard let idColumn = header.firstIndex(of: "ParticipantID"), paperColumns.count == expertiseColumns.count else {
            throw ProfileError("\(path): line 1: expected ParticipantID, Paper1..n and Expertise1..n columns")
        }
        ratings = [:]; participants = []
        for (i, line) in lines.enumerated() {
            let f = line.components(separatedBy: "\t")
            guard f.count == header.count else { throw ProfileError("\(path): line \(i + 2): \(f.count) fields, expected \(header.count)") }
            var r: [Rating] = []
            for (p, e) in zip(paperColumns, expertiseColumns) where !f[p].isEmpty && !f[e].isEmpty {
                guard let value = Double(f[e]) else { throw ProfileError("\(path): line \(i + 2): field \(header[e]): not a number: \(f[e])") }
                r.append(Rating(paper: f[p], expertise: value))
            }
            ratings[f[idColumn]] = r
            participants.append(f[idColumn])
        }
    }

    /// The evaluation datasets (`d_20_1` …) under `directory/evaluation_datasets`, in numeric order.
    public static func datasets(in directory: String) throws -> [String] {
        let root = directory + "/evaluation_datasets"
        let names = try FileManager.default.contentsOfDirectory(atPath: root).filter { $0.hasPrefix("d_") }
        return names.sorted { $0.split(separator: "_").compactMap { Int($0) } .lexicographicallyPrecedes($1.split(separator: "_").compactMap { Int($0) }) }
            .map { root + "/" + $0 }
    }

    /// The rated papers of one dataset.
    public static func submissions(_ dataset: String) throws -> [String: Paper] {
        let papers = try Submissions.load(dataset + "/submissions.json", format: .openreview).papers
        return Dictionary(papers.map { ($0.id, Paper(id: $0.id, title: $0.title, abstract: $0.abstract ?? "")) },
                          uniquingKeysWith: { a, _ in a })
    }

    /// One participant's profile papers in one dataset (OpenReview expertise archive format).
    public static func archive(_ dataset: String, participant: String) throws -> [Paper] {
        let path = dataset + "/archives/~\(participant).jsonl"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return try OpenReviewArchive.papers(jsonl: text, file: path)
    }

    // MARK: - The metric

    /// Loss, easy and hard accuracy for scores of (participant, paper), as the shared
    /// README defines them. `score` returns nil for a pair it cannot score (counted as a tie).
    public func evaluate(_ score: (String, String) -> Double?, participants only: Set<String>? = nil) -> Evaluation {
        var loss = 0.0, maxLoss = 0.0, easyRight = 0, easyAll = 0, hardRight = 0, hardAll = 0
        for participant in participants where only?.contains(participant) ?? true {
            let r = ratings[participant] ?? []
            let s = r.map { score(participant, $0.paper) }
            for i in r.indices { for j in (i + 1)..<max(i + 1, r.count) {
                let t = r[i].expertise - r[j].expertise
                let diff = (s[i] ?? 0) - (s[j] ?? 0)
                let st = (s[i] == nil || s[j] == nil) ? 0 : diff * t
                maxLoss += abs(t)
                if st < 0 { loss += abs(t) } else if st == 0 { loss += abs(t) / 2 }
                let hi = max(r[i].expertise, r[j].expertise), lo = min(r[i].expertise, r[j].expertise)
                if hi >= 4 && lo <= 2 { easyAll += 1; if st > 0 { easyRight += 1 } }
                if lo >= 4 && t != 0 { hardAll += 1; if st > 0 { hardRight += 1 } }
            } }
        }
        return Evaluation(loss: maxLoss > 0 ? loss / maxLoss : 0,
                          easyAccuracy: easyAll > 0 ? Double(easyRight) / Double(easyAll) : 0,
                          hardAccuracy: hardAll > 0 ? Double(hardRight) / Double(hardAll) : 0,
                          easyPairs: easyAll, hardPairs: hardAll)
    }

    public struct Evaluation: Sendable, Equatable, Codable {
        public var loss: Double
        public var easyAccuracy: Double
        public var hardAccuracy: Double
        public var easyPairs: Int
        public var hardPairs: Int
    }
}

/// OpenReview expertise archives: one `{"id", "content": {"title", "abstract"}}` a line.
public enum OpenReviewArchive {
    /// A reviewer profile from the archive file `~Profile_Id1.jsonl`; the name comes
    /// from the profile id ("~Jane_Doe1" → "Jane Doe"; a numeric id stays as it is), and
    /// the profile id is kept as the author id `openreview:~Jane_Doe1`.
    public static func profile(jsonl text: String, file: String) throws -> ReviewerProfile {
        let papers = try papers(jsonl: text, file: file)
        guard !papers.isEmpty else { throw ProfileError("\(file): no papers in this archive") }
        let stem = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        return ReviewerProfile(name: name(fromFile: file), ids: stem.hasPrefix("~") ? ["openreview:" + stem] : nil, publications: papers.map {
            .init(title: $0.title, authors: [], abstract: $0.abstract.isEmpty ? nil : $0.abstract)
        })
    }

    static func name(fromFile file: String) -> String {
        var id = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        if id.hasPrefix("~") { id.removeFirst() }
        guard id.contains(where: \.isLetter) else { return id }
        while id.last?.isNumber == true { id.removeLast() }
        return id.replacingOccurrences(of: "_", with: " ")
    }

    public static func papers(jsonl text: String, file: String) throws -> [GoldStandard.Paper] {
        var out: [GoldStandard.Paper] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw ProfileError("\(file): line \(i + 1): not a JSON object")
            }
            let content = obj["content"] as? [String: Any] ?? [:]
            guard let title = content["title"] as? String, !title.isEmpty else {
                throw ProfileError("\(file): line \(i + 1): field content.title: missing")
            }
            out.append(.init(id: obj["id"] as? String ?? "\(i + 1)", title: title, abstract: content["abstract"] as? String ?? ""))
        }
        return out
    }
}
