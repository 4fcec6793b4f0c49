import Foundation
import Storage

/// EasyChair's conference data download (CSV): `submission.csv` (`#`, `title`,
/// `authors`, `abstract`, `deleted?`, …) and, when it lies beside it, `author.csv`
/// (`submission #`, `first name`, `last name`, `email`, `affiliation`, `person #`, one
/// row per author in order), which gives e-mails, affiliations and EasyChair's person
/// ids (`easychair:N`, shared with `committee.csv`). Without `author.csv` the `authors`
/// cell ("A B, C D and E F") gives the names. Deleted submissions are left out.
enum EasyChairExport {
    static func submissions(_ text: String, file: String) throws -> [PaperRecord] {
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
        return try table.rows.compactMap { row in
            let id = try row.required("#", in: file)
            let title = try row.required("title", in: file)
            if row["deleted?"]?.lowercased() == "yes" { return nil }
            let authors = listed[id] ?? names(row["authors"]).map { SubmissionAuthor(name: $0) }
            return Submissions.paper(id: id, title: title, abstract: row["abstract"], authors: authors)
        }
    }

    /// "A B, C D and E F" → ["A B", "C D", "E F"].
    static func names(_ text: String?) -> [String] {
        guard let text else { return [] }
        return text.components(separatedBy: ", ").flatMap { $0.components(separatedBy: " and ") }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
