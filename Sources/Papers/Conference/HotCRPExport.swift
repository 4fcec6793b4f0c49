import Foundation
import Storage

/// HotCRP's paper JSON (Search → Download → JSON): an array of papers, or one paper as a
/// bare object. A paper has `pid`, `title`, `abstract`, `authors` (each `email`,
/// `first`/`last` or, from v3.3, `given_name`/`family_name`, or `name`, and `affiliation`)
/// and `pc_conflicts` (PC member's e-mail → `true` or the conflict's type, such as
/// "pinned collaborator"); `status` ("submitted", "accept", "reject", "draft",
/// "desk_reject", "withdrawn", with `withdrawn: true` and `withdraw_reason`) leaves withdrawn
/// and desk-rejected papers out; every other key is ignored. An entry HotCRP refused to
/// export (`{"pid", "error"}`) is refused naming it. Matches HotCRP v3.2 and v3.3
/// (`src/paperexport.php`).
enum HotCRPExport {
    static func submissions(_ data: Data, file: String) throws -> Submissions {
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: data) } catch {
            throw ProfileError("\(file): not HotCRP paper JSON (\(JSONErrorText.describe(error)))")
        }
        guard let list = (json as? [Any]) ?? (json as? [String: Any]).map({ [$0] }) else {
            throw ProfileError("\(file): not HotCRP paper JSON (an array of papers with 'pid')")
        }
        var papers: [PaperRecord] = [], conflicts: [SubmissionConflict] = [], status: [String: String] = [:]
        for (n, item) in list.enumerated() {
            let at = "\(file): paper \(n + 1)"
            guard let object = item as? [String: Any] else { throw ProfileError("\(at): not an object") }
            guard let pid = (object["pid"] as? Int).map(String.init) ?? (object["pid"] as? String) else { throw ProfileError("\(at): no 'pid'") }
            if let error = object["error"] as? String { throw ProfileError("\(file): paper \(pid): HotCRP exported an error instead of the paper: \(error)") }
            guard let title = object["title"] as? String, !title.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ProfileError("\(file): paper \(pid): no 'title'")
            }
            let authors = try (object["authors"] as? [[String: Any]] ?? []).enumerated().map { i, a in
                guard let found = author(a) else { throw ProfileError("\(file): paper \(pid): author \(i + 1) has no name and no e-mail") }
                return found
            }
            papers.append(Submissions.paper(id: pid, title: title, abstract: object["abstract"] as? String, authors: authors))
            let state = (object["status"] as? String) ?? ((object["withdrawn"] as? Bool) == true ? "withdrawn" : "")
            if Submissions.isWithdrawn(state) {
                status[pid] = "\(state) in HotCRP" + ((object["withdraw_reason"] as? String).map { " (\($0))" } ?? "")
            }
            for (email, value) in (object["pc_conflicts"] as? [String: Any] ?? [:]).sorted(by: { $0.key < $1.key }) {
                if let b = value as? Bool, !b { continue }
                let type = (value as? String).map { ": \($0)" } ?? ""
                conflicts.append(SubmissionConflict(submission: pid, reviewer: email, reason: "HotCRP pc_conflicts\(type)", source: "\(file): paper \(pid)",
                                                    submissionField: "pid", reviewerField: "pc_conflicts"))
            }
        }
        return Submissions(papers: papers, conflicts: conflicts, status: status)
    }

    /// An author object in any of HotCRP's spellings; nil when it has no name at all.
    static func author(_ a: [String: Any]) -> SubmissionAuthor? {
        func text(_ keys: String...) -> String? {
            keys.lazy.compactMap { (a[$0] as? String)?.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty }
        }
        let given = text("given_name", "first", "givenName", "given", "firstName")
        let family = text("family_name", "last", "familyName", "family", "lastName")
        let whole = [given, family].compactMap { $0 }.joined(separator: " ")
        guard let name = whole.isEmpty ? text("name", "fullName", "fullname") ?? text("email") : whole else { return nil }
        return SubmissionAuthor(name: name, email: text("email"), affiliation: text("affiliation"))
    }
}
