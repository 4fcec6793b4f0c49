import Foundation
import Storage

/// Microsoft CMT's submissions export: the Excel file CMT writes (SpreadsheetML 2003 `.xls`,
/// or the same saved as `.xlsx`), CSV or CMT's tab-separated text, in UTF-8 or Windows-1252
/// (``CSVTable``). Columns: `Paper ID`, `Paper Title`, `Abstract`, the authors as `Authors`
/// ("Name (Affiliation)*; Name2 (Affiliation2)", `*` marking the contact), `Author Names`
/// and `Author Emails` ("a@x.org*; b@y.org"), lists separated by semicolons, and `Status`
/// ("Awaiting Decision", "Withdrawn", "Desk Reject", …: withdrawn and desk-rejected papers
/// are left out), `Domains` (the conflict domains the authors declared, "mit.edu;
/// stanford.edu": every member with an address there is excluded) and `Conflicts` (a count,
/// or the conflicted reviewers' e-mails or names separated by semicolons, which become
/// conflicts). Other columns are ignored.
enum CMTExport {
    static func submissions(_ table: CSVTable, file: String) throws -> Submissions {
        var problems = InputProblems(), status: [String: String] = [:], conflicts: [SubmissionConflict] = []
        let papers: [PaperRecord] = table.rows.compactMap { row in
            problems.attempt {
                let id = try row.required("paper id", in: file, shown: "Paper ID")
                let title = try row.required("paper title", in: file, shown: "Paper Title")
                let listed = list(row["authors"]).map(nameAndAffiliation)
                let names = listed.isEmpty ? list(row["author names"]).map { (name: nameAndAffiliation($0).name, affiliation: String?.none) } : listed
                let emails = list(row["author emails"])
                let authors = names.enumerated().map { i, a in
                    SubmissionAuthor(name: a.name, email: i < emails.count ? emails[i] : nil, affiliation: a.affiliation)
                }
                if let s = row["status"], Submissions.isWithdrawn(s) { status[id] = "'\(s)' in CMT (\(file):\(row.line))" }
                let at = "\(file):\(row.line)"
                for d in list(row["domains"]).flatMap({ $0.split(whereSeparator: { $0 == "," || $0 == " " }) }).map(String.init) {
                    conflicts.append(SubmissionConflict(submission: id, reviewer: d, reason: "CMT conflict domain \(d) (\(at))", source: at,
                                                        submissionField: "Paper ID", reviewerField: "Domains", domain: d))
                }
                if let c = row["conflicts"], Int(c) == nil {
                    for r in list(c) {
                        conflicts.append(SubmissionConflict(submission: id, reviewer: r, reason: "CMT conflict (\(at))", source: at,
                                                            submissionField: "Paper ID", reviewerField: "Conflicts"))
                    }
                }
                return Submissions.paper(id: id, title: title, abstract: row["abstract"], authors: authors)
            }
        }
        try problems.check()
        return Submissions(papers: papers, conflicts: conflicts, status: status)
    }

    /// "a; b*; c;" → ["a", "b", "c"] (the contact's `*` dropped).
    static func list(_ text: String?) -> [String] {
        (text ?? "").split(separator: ";").map { part in
            var s = part.trimmingCharacters(in: .whitespacesAndNewlines)
            if s.hasSuffix("*") { s.removeLast(); s = s.trimmingCharacters(in: .whitespaces) }
            return s
        }.filter { !$0.isEmpty }
    }

    /// "Jane Doe (Univ. of X (Y))" → ("Jane Doe", "Univ. of X (Y)"): the affiliation is the
    /// last parenthesised group that closes at the end; parentheses inside the name are a
    /// nickname and are dropped: "Chee Wee (Ben) Leong (ETS)" → ("Chee Wee Leong", "ETS").
    static func nameAndAffiliation(_ text: String) -> (name: String, affiliation: String?) {
        var name = text.trimmingCharacters(in: .whitespaces), affiliation: String?
        if name.hasSuffix(")") {
            // The "(" that the final ")" closes.
            var depth = 0, open: String.Index?
            for i in name.indices.reversed() {
                if name[i] == ")" { depth += 1 } else if name[i] == "(" { depth -= 1; if depth == 0 { open = i; break } }
            }
            if let open, open > name.startIndex {
                let inside = name[name.index(after: open)..<name.index(before: name.endIndex)].trimmingCharacters(in: .whitespaces)
                affiliation = inside.isEmpty ? nil : inside
                name = String(name[..<open])
            }
        }
        name = name.replacing(/\s*\([^()]*\)/, with: "").trimmingCharacters(in: .whitespaces)
        return (name.split(whereSeparator: \.isWhitespace).joined(separator: " "), affiliation)
    }
}
