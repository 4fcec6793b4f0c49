import Foundation
import Storage

/// OpenReview submissions, API v1 (content values bare) or v2 (each wrapped as
/// `{"value": …}`), saved as a bare array of notes, `{"notes": [...]}` (what `/notes`
/// returns), one note, JSON Lines, or an expertise dataset's `submissions.json` (id →
/// note). A submission's id is the note's `id` (what OpenReview's matcher and edges
/// use). `authorids` (profile ids `~Jane_Doe1` or e-mails) become author ids
/// (`openreview:~Jane_Doe1`) or author e-mails; v2's unified authors (objects with
/// `fullname`, `username`, `institutions`) are read too. Withdrawn and desk-rejected
/// submissions (v2 `content.venueid` ending `/Withdrawn_Submission` or
/// `/Desk_Rejected_Submission`; v1 an `invitation` of that name) are marked to be left out.
enum OpenReviewNotes {
    static func submissions(_ data: Data, file: String) throws -> Submissions {
        var notes: [(key: String, note: [String: Any])] = []
        /// Every entry must be a note object; anything else is refused by its place, never skipped.
        func objects(_ entries: [(String, Any)]) throws -> [(key: String, note: [String: Any])] {
            try entries.map { key, v in
                guard let note = v as? [String: Any] else { throw ProfileError("\(file): \(key) is not a note object") }
                return (key, note)
            }
        }
        if let json = try? JSONSerialization.jsonObject(with: data) {
            if let list = json as? [Any] {
                notes = try objects(list.enumerated().map { ("note \($0.offset + 1)", $0.element) })
            } else if let object = json as? [String: Any] {
                if let list = object["notes"] as? [Any] {
                    notes = try objects(list.enumerated().map { ("note \($0.offset + 1)", $0.element) })
                } else if object["content"] != nil {
                    notes = [("note 1", object)]
                } else {
                    notes = try objects(object.keys.sorted().map { ($0, object[$0]!) })
                }
            }
        } else {
            for (n, line) in String(decoding: data, as: UTF8.self).components(separatedBy: "\n").enumerated() where !line.allSatisfy(\.isWhitespace) {
                guard let note = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
                    throw ProfileError("\(file):\(n + 1): not a JSON note")
                }
                notes.append(("line \(n + 1)", note))
            }
        }
        var read = Submissions(papers: try notes.map { key, note in try submission(note, key: key, file: file) })
        // The venue: v2 notes carry it as `domain`; v1 and v2 name it before "/-/" in their invitations.
        read.venue = notes.lazy.compactMap { _, note in
            (note["domain"] as? String) ?? ((note["invitations"] as? [String])?.first ?? note["invitation"] as? String)?.components(separatedBy: "/-/").first
        }.first
        for (key, note) in notes {
            let content = note["content"] as? [String: Any]
            let marks = [value(content?["venueid"]) as? String, value(content?["venue"]) as? String, note["invitation"] as? String]
                + (note["invitations"] as? [String] ?? []).map(Optional.some)
            if let mark = marks.compactMap({ $0 }).first(where: { $0.hasSuffix("Withdrawn_Submission") || $0.hasSuffix("Desk_Rejected_Submission") }) {
                read.status[(note["id"] as? String) ?? key] = "\(mark.hasSuffix("Withdrawn_Submission") ? "withdrawn" : "desk-rejected") on OpenReview (\(mark))"
            }
        }
        return read
    }

    static func value(_ any: Any?) -> Any? { (any as? [String: Any]).map { $0["value"] as Any } ?? any }

    static func submission(_ note: [String: Any], key: String, file: String) throws -> PaperRecord {
        let id = (note["id"] as? String) ?? key
        guard let content = note["content"] as? [String: Any] else { throw ProfileError("\(file): submission '\(id)' has no 'content' object") }
        guard let title = value(content["title"]) as? String, !title.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ProfileError("\(file): submission '\(id)' has no title")
        }
        var authors: [SubmissionAuthor] = []
        if let objects = value(content["authors"]) as? [[String: Any]] {
            authors = try objects.enumerated().map { i, a in
                guard let name = (a["fullname"] as? String) ?? (a["name"] as? String) else {
                    throw ProfileError("\(file): submission '\(id)': author \(i + 1) has no 'fullname'")
                }
                let institution = (a["institutions"] as? [[String: Any]])?.first
                return SubmissionAuthor(name: name, email: nil, affiliation: institution?["name"] as? String,
                                        id: (a["username"] as? String).map { "openreview:" + $0 })
            }
        } else {
            let names = value(content["authors"]) as? [String] ?? []
            let ids = value(content["authorids"]) as? [String] ?? []
            authors = names.enumerated().map { i, name in
                let ref = i < ids.count ? ids[i] : nil
                return SubmissionAuthor(name: name, email: ref.flatMap { $0.contains("@") ? $0 : nil },
                                        id: ref.flatMap { $0.hasPrefix("~") ? "openreview:" + $0 : nil })
            }
        }
        return Submissions.paper(id: id, title: title, abstract: value(content["abstract"]) as? String, authors: authors)
    }
}
