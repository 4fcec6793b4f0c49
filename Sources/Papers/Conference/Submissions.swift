import Foundation
import Storage

/// A conference's submissions as its system exports them: the papers (authors with their
/// e-mails, affiliations and ids, parallel to `authors`) and the conflicts the system
/// already holds (HotCRP's `pc_conflicts`).
public struct Submissions: Sendable {
    public var papers: [PaperRecord]
    public var conflicts: [SubmissionConflict]
    /// Submissions in the file that get no reviewers (withdrawn, desk-rejected, deleted),
    /// with why; rows of other files about them take no effect and say so.
    public var skipped: [(id: String, reason: String)] = []

    public init(papers: [PaperRecord], conflicts: [SubmissionConflict] = [], skipped: [(id: String, reason: String)] = []) {
        self.papers = papers; self.conflicts = conflicts; self.skipped = skipped
    }

    /// A reader's result: the papers, their conflicts, and the status (per id) that leaves a paper out.
    init(papers: [PaperRecord], conflicts: [SubmissionConflict] = [], status: [String: String]) {
        self.init(papers: papers, conflicts: conflicts)
        self.status = status
    }

    /// Moves the papers `status` calls withdrawn or desk-rejected into ``skipped`` (kept
    /// with `includeWithdrawn`); `status` gives the reason, nil for a live submission.
    mutating func leaveOut(includeWithdrawn: Bool, status: (PaperRecord) -> String?) {
        guard !includeWithdrawn else { return }
        var kept: [PaperRecord] = []
        for p in papers {
            if let why = status(p) { skipped.append((p.id, why)) } else { kept.append(p) }
        }
        papers = kept
    }

    /// Whether a conference system's status word means the submission gets no reviewers.
    static func isWithdrawn(_ status: String) -> Bool {
        let s = status.lowercased().replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: "-", with: " ")
        return s.contains("withdraw") || s.contains("desk reject")
    }

    /// The file formats `refer assign --format` names.
    public enum Format: String, Sendable, CaseIterable {
        case auto, refer, openreview, hotcrp, cmt, easychair
    }

    /// Reads `path` in `format`; `auto` looks at the content (a JSON array of objects with
    /// `pid` is HotCRP's, notes with `content` are OpenReview's, a CSV header with `Paper ID`
    /// is CMT's, one with `#` and `title` EasyChair's, anything else paper JSONL).
    /// Withdrawn and desk-rejected submissions (HotCRP `status`, OpenReview `venueid`, CMT
    /// `Status`, EasyChair `deleted?` and `decision`) are left out and listed in ``skipped``,
    /// unless `includeWithdrawn`. A workbook (`.xlsx`, CMT's `.xls`) is read as CMT's export.
    public static func load(_ path: String, format: Format = .auto, includeWithdrawn: Bool = false) throws -> Submissions {
        guard let data = FileManager.default.contents(atPath: path) else { throw ProfileError("\(path): cannot read") }
        let workbook = try Spreadsheet.rows(data, path: path) != nil
        let text = workbook ? "" : try TextFile.decode(data, path: path).text
        let chosen = format == .auto ? (workbook ? .cmt : detect(text)) : format
        var read: Submissions
        switch chosen {
        case .hotcrp: read = try HotCRPExport.submissions(data, file: path)
        case .openreview: read = try OpenReviewNotes.submissions(data, file: path)
        case .cmt: read = try CMTExport.submissions(try CSVTable(path: path, required: ["paper id", "paper title"]), file: path)
        case .easychair: read = try EasyChairExport.submissions(text, file: path)
        case .refer, .auto: read = Submissions(papers: try referJSONL(text, file: path))
        }
        let status = read.status
        read.leaveOut(includeWithdrawn: includeWithdrawn) { status[$0.id] }
        guard !read.papers.isEmpty else {
            throw ProfileError("\(path): no submissions to assign in it (read as \(chosen.rawValue)" + (read.skipped.isEmpty ? ")" : "; \(read.skipped.count) withdrawn or deleted)"))
        }
        return read
    }

    /// The OpenReview venue id (`ICLR.cc/2026/Conference`), for OpenReview submissions.
    public var venue: String?

    /// Per submission id, the status that leaves it out (set by the readers).
    var status: [String: String] = [:]

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
    /// The reviewer's e-mail, id or name; or, with ``domain``, the domain as written.
    public var reviewer: String
    /// A conflict with an organisation (CMT's conflict domains): every member with an
    /// address there (``EmailDomain/organisation(of:)``).
    public var domain: String?
    public var reason: String
    /// FILE and where in it.
    public var source: String
    /// The fields that named the submission and the reviewer, for errors.
    public var submissionField = "submission_id"
    public var reviewerField = "reviewer"

    public init(submission: String, reviewer: String, reason: String, source: String, submissionField: String = "submission_id", reviewerField: String = "reviewer",
                domain: String? = nil) {
        self.submission = submission; self.reviewer = reviewer; self.reason = reason; self.source = source
        self.submissionField = submissionField; self.reviewerField = reviewerField; self.domain = domain
    }
}
