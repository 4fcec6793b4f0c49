import Foundation
import Storage

/// EasyChair's conference data download (CSV): `submission.csv` (`#`, `title`,
/// `authors`, `abstract`, `deleted?`, …) and, when it lies beside it, `author.csv`
/// (`submission #`, `first name`, `last name`, `email`, `affiliation`, `person #`, one
/// row per author in order), which gives e-mails, affiliations and EasyChair's person
/// ids (`easychair:N`, shared with `committee.csv`). Without `author.csv` the `authors`
/// cell ("A B, C D and E F") gives the names. Deleted submissions (`deleted?` yes) and those
/// whose `decision` is withdrawn or desk reject are left out, and listed.
enum EasyChairExport {
    static func submissions(_ text: String, file: String) throws -> Submissions {
        let table = try CSVTable(text: text, path: file, required: ["#", "title"])
        let authorFile = URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("author.csv").path
        var listed: [String: [SubmissionAuthor]] = [:]
        if FileManager.default.fileExists(atPath: authorFile) {
            let authors = try CSVTable(path: authorFile, required: ["submission #", "first name", "last name"])
            for row in authors.rows {
                guard let sub = row["submission #"] else { throw ProfileError("\(authorFile):\(row.line): field 'submission #' is empty") }
                let name = [row["first name"], row["last name"]].compactMap { $0 }.joined(separator: " ")
                guard !name.isEmpty else { throw ProfileError("\(authorFile):\(row.line): the author has no name") }
                listed[sub, default: []].append(SubmissionAuthor(name: name, email: row["email"], affiliation: row["affiliation"],
                                                                 id: row["person #"].map { "easychair:" + $0 }))
            }
        }
        var status: [String: String] = [:], problems = InputProblems()
        let papers: [PaperRecord] = table.rows.compactMap { row in
            problems.attempt {
                let id = try row.required("#", in: file)
                let title = try row.required("title", in: file)
                if row["deleted?"]?.lowercased() == "yes" { status[id] = "deleted in EasyChair (\(file):\(row.line))" }
                else if let d = row["decision"], Submissions.isWithdrawn(d) { status[id] = "'\(d)' in EasyChair (\(file):\(row.line))" }
                let authors = listed[id] ?? names(row["authors"]).map { SubmissionAuthor(name: $0) }
                return Submissions.paper(id: id, title: title, abstract: row["abstract"], authors: authors)
            }
        }
        try problems.check()
        return Submissions(papers: papers, status: status)
    }

    /// "A B, C D and E F" → ["A B", "C D", "E F"].
    static func names(_ text: String?) -> [String] {
        guard let text else { return [] }
        return text.components(separatedBy: ", ").flatMap { $0.components(separatedBy: " and ") }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
