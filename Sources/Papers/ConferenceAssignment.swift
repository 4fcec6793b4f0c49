import Foundation
import Storage

/// Batch mode for a whole conference: every submission's top reviewers and conflicts,
/// and one assignment (``ReviewerAssignment``) over the committee.
public struct ConferenceAssignment: Codable, Sendable, Equatable {
    public struct Pair: Codable, Sendable, Equatable {
        public var submission_id: String
        public var reviewer_id: String
        public var score: Double
    }

    public struct SubmissionReviewers: Codable, Sendable, Equatable {
        public var submission_id: String
        public var reviewers: [ReviewerSuggestion]
        public var excluded: [ReviewerExclusion]
    }

    /// A submission that got fewer reviewers than asked (conflicts and load caps left no one).
    public struct Unfilled: Codable, Sendable, Equatable {
        public var submission_id: String
        public var assigned: Int
        public var wanted: Int
    }

    public var assignment: [Pair]
    public var suggestions: [SubmissionReviewers]
    public var unfilled: [Unfilled]

    /// Scores every submission against every committee member (the finder's scoring;
    /// its paper centring takes the submission's mean score over the committee), then
    /// assigns. Reviewer ids are the committee members' names.
    public init(submissions: [PaperRecord], finder: ReviewerFinder, top: Int, reviewersPerPaper: Int, maxLoad: Int) throws {
        guard let committee = finder.committee, !committee.members.isEmpty else {
            throw ProfileError("an assignment needs a committee: give --committee FILE, or a store ingested with --committee")
        }
        guard !submissions.isEmpty else { throw ProfileError("no submissions to assign") }
        let names = committee.members.map(\.profile.name)
        let column = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let vectors = finder.embedder.embedRows(submissions.map(\.embeddingText))
        var matrix: [[Double?]] = [], suggestions: [SubmissionReviewers] = []
        for (i, s) in submissions.enumerated() {
            let scored = try finder.scoredMembers(for: vectors[i], authors: ConflictPolicy.Author.of(s))
            let mean = scored.suggestions.isEmpty ? 0 : scored.suggestions.map(\.score).reduce(0, +) / Double(scored.suggestions.count)
            var row = [Double?](repeating: nil, count: names.count)
            for r in scored.suggestions { row[column[r.name]!] = r.score - finder.scoring.paperCentering * mean }
            matrix.append(row)
            let ranked = scored.suggestions.sorted { ($0.score, $1.name) > ($1.score, $0.name) }
            suggestions.append(.init(submission_id: s.id, reviewers: Array(ranked.prefix(top)), excluded: scored.excluded))
        }
        let chosen = try ReviewerAssignment.assign(scores: matrix, reviewersPerPaper: reviewersPerPaper, maxLoad: maxLoad)
        var pairs: [Pair] = [], unfilled: [Unfilled] = []
        for (i, reviewers) in chosen.enumerated() {
            for r in reviewers { pairs.append(Pair(submission_id: submissions[i].id, reviewer_id: names[r], score: matrix[i][r]!)) }
            if reviewers.count < reviewersPerPaper {
                unfilled.append(Unfilled(submission_id: submissions[i].id, assigned: reviewers.count, wanted: reviewersPerPaper))
            }
        }
        assignment = pairs; self.suggestions = suggestions; self.unfilled = unfilled
    }

    /// `submission_id,reviewer_id,score` rows, as OpenReview's expertise tool writes them.
    public var csv: String {
        (["submission_id,reviewer_id,score"] + assignment.map {
            "\(CSVField.quoted($0.submission_id)),\(CSVField.quoted($0.reviewer_id)),\(String(format: "%.6f", $0.score))"
        })
            .joined(separator: "\n") + "\n"
    }
}

/// Reads submissions: paper JSONL (one paper a line, as `refer ingest` reads) or an
/// OpenReview `submissions.json` (`{id: {id, content: {title, abstract, authors}}}`,
/// content values plain or as `{"value": …}`). Errors name the file and line or id.
public enum SubmissionFile {
    public static func load(_ path: String) throws -> [PaperRecord] {
        guard let data = FileManager.default.contents(atPath: path) else { throw ProfileError("\(path): cannot read") }
        let text = String(decoding: data, as: UTF8.self)
        if path.hasSuffix(".json") { return try openReview(data, file: path) }
        var out: [PaperRecord] = []
        for (n, line) in text.components(separatedBy: "\n").enumerated() where !line.allSatisfy(\.isWhitespace) {
            do { out.append(try PaperRecord.parse(line)) } catch { throw ProfileError("\(path):\(n + 1): \(error)") }
        }
        return out
    }

    static func openReview(_ data: Data, file: String) throws -> [PaperRecord] {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ProfileError("\(file): not an OpenReview submissions.json (a JSON object of id → {id, content})")
        }
        func value(_ any: Any?) -> Any? { (any as? [String: Any])?["value"] ?? any }
        return try object.keys.sorted().map { key in
            guard let note = object[key] as? [String: Any], let content = note["content"] as? [String: Any] else {
                throw ProfileError("\(file): submission '\(key)' has no 'content' object")
            }
            guard let title = value(content["title"]) as? String, !title.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ProfileError("\(file): submission '\(key)' has no title")
            }
            return PaperRecord(id: (note["id"] as? String) ?? key, title: title, abstract: value(content["abstract"]) as? String,
                               authors: value(content["authors"]) as? [String])
        }
    }
}
