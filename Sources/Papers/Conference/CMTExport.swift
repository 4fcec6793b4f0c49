import Foundation
import Storage

/// Microsoft CMT's submissions export, saved as CSV (or CMT's tab-separated text):
/// `Paper ID`, `Paper Title`, `Abstract`, and the authors as `Authors` ("Name
/// (Affiliation)*; Name2 (Affiliation2)", `*` marking the contact), `Author Names` and
/// `Author Emails` ("a@x.org*; b@y.org"), lists separated by semicolons. Other columns are
/// ignored. Excel's SpreadsheetML `.xls` must be saved as CSV first.
enum CMTExport {
    static func submissions(_ text: String, file: String) throws -> [PaperRecord] {
        let table = try CSVTable(text: text, path: file, required: ["paper id", "paper title"])
        return try table.rows.map { row in
            let id = try row.required("paper id", in: file, shown: "Paper ID")
            let title = try row.required("paper title", in: file, shown: "Paper Title")
            let listed = list(row["authors"]).map(nameAndAffiliation)
            let names = listed.isEmpty ? list(row["author names"]).map { (name: $0, affiliation: String?.none) } : listed
            let emails = list(row["author emails"])
            let authors = names.enumerated().map { i, a in
                SubmissionAuthor(name: a.name, email: i < emails.count ? emails[i] : nil, affiliation: a.affiliation)
            }
            return Submissions.paper(id: id, title: title, abstract: row["abstract"], authors: authors)
        }
    }

    /// "a; b*; c;" → ["a", "b", "c"] (the contact's `*` dropped).
    static func list(_ text: String?) -> [String] {
        (text ?? "").split(separator: ";").map { part in
            var s = part.trimmingCharacters(in: .whitespacesAndNewlines)
            if s.hasSuffix("*") { s.removeLast(); s = s.trimmingCharacters(in: .whitespaces) }
            return s
        }.filter { !$0.isEmpty }
    }

    /// "Jane Doe (Univ. of X (Y))" → ("Jane Doe", "Univ. of X (Y)"): the affiliation is
    /// from the first " (" whose parentheses close at the end.
    static func nameAndAffiliation(_ text: String) -> (name: String, affiliation: String?) {
        guard text.hasSuffix(")"), let open = text.range(of: " (") else { return (text, nil) }
        let name = String(text[..<open.lowerBound]).trimmingCharacters(in: .whitespaces)
        let affiliation = String(text[open.upperBound...].dropLast()).trimmingCharacters(in: .whitespaces)
        return (name, affiliation.isEmpty ? nil : affiliation)
    }
}
