import Foundation
import Storage

/// A conference's submissions as its system exports them: the papers (authors with their
/// e-mails, affiliations and ids, parallel to `authors`) and the conflicts the system
/// already holds (HotCRP's `pc_conflicts`).
public struct Submissions: Sendable {
    public var papers: [PaperRecord]
    public var conflicts: [SubmissionConflict]

    public init(papers: [PaperRecord], conflicts: [SubmissionConflict] = []) { self.papers = papers; self.conflicts = conflicts }

    /// The file formats `refer assign --format` names.
    public enum Format: String, Sendable, CaseIterable {
        case auto, refer, openreview, hotcrp, cmt, easychair
    }

    /// Reads `path` in `format`; `auto` looks at the content (a JSON array of objects with
    /// `pid` is HotCRP's, notes with `content` are OpenReview's, a CSV header with `Paper ID`
    /// is CMT's, one with `#` and `title` EasyChair's, anything else paper JSONL).
    public static func load(_ path: String, format: Format = .auto) throws -> Submissions {
        guard let data = FileManager.default.contents(atPath: path) else { throw ProfileError("\(path): cannot read") }
        let text = String(decoding: data, as: UTF8.self)
        let chosen = format == .auto ? detect(text) : format
        let read: Submissions
        switch chosen {
        case .hotcrp: read = try HotCRPExport.submissions(data, file: path)
        case .openreview: read = Submissions(papers: try OpenReviewNotes.submissions(data, file: path))
        case .cmt: read = Submissions(papers: try CMTExport.submissions(text, file: path))
        case .easychair: read = Submissions(papers: try EasyChairExport.submissions(text, file: path))
        case .refer, .auto: read = Submissions(papers: try referJSONL(text, file: path))
        }
        guard !read.papers.isEmpty else { throw ProfileError("\(path): no submissions in it (read as \(chosen.rawValue))") }
        return read
    }

    static func detect(_ text: String) -> Format {
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        let head = body.prefix(4096)
        let start = head.first { !$0.isWhitespace }
        if start == "[" || start == "{" {
            if head.contains("\"pid\"") { return .hotcrp }
            if head.contains("\"content\"") { return .openreview }
            return .refer
        }
        let firstLine = head.prefix { $0 != "\n" && $0 != "\r\n" }.lowercased()
        if firstLine.contains("paper id") { return .cmt }
        if firstLine.hasPrefix("#,") || firstLine.hasPrefix("\"#\",") || firstLine.contains("submission #") { return .easychair }
        return .refer
    }

    /// refer's paper JSONL: a line per paper, as `refer ingest` reads.
    static func referJSONL(_ text: String, file: String) throws -> [PaperRecord] {
        var out: [PaperRecord] = []
        for (n, line) in text.components(separatedBy: "\n").enumerated() where !line.allSatisfy(\.isWhitespace) {
            do { out.append(try PaperRecord.parse(line)) } catch { throw ProfileError("\(file):\(n + 1): \(error)") }
        }
        return out
    }

    /// A submission as refer keeps it: authors as names, and their e-mails, affiliations
    /// and ids parallel to them (`author_emails`, `author_affiliations`, `author_ids`).
    static func paper(id: String, title: String, abstract: String?, authors: [SubmissionAuthor]) -> PaperRecord {
        var p = PaperRecord(id: id, title: title, abstract: abstract, authors: authors.map(\.name))
        if authors.contains(where: { $0.id != nil }) { p.authorIDs = authors.map(\.id) }
        var extra: [String: Any] = [:]
        if authors.contains(where: { $0.email != nil }) { extra["author_emails"] = authors.map { $0.email ?? "" } }
        if authors.contains(where: { $0.affiliation != nil }) { extra["author_affiliations"] = authors.map { $0.affiliation ?? "" } }
        if !extra.isEmpty, let json = try? JSONSerialization.data(withJSONObject: extra, options: [.sortedKeys]) {
            p.extraFields = String(decoding: json, as: UTF8.self)
        }
        return p
    }
}

/// An author as a conference system lists them.
struct SubmissionAuthor: Sendable {
    var name: String
    var email: String? = nil
    var affiliation: String? = nil
    var id: String? = nil
}

/// A conflict a conference system holds for one submission.
public struct SubmissionConflict: Sendable, Equatable {
    public var submission: String
    /// The reviewer's e-mail, id or name.
    public var reviewer: String
    public var reason: String
    /// FILE and where in it.
    public var source: String
}
