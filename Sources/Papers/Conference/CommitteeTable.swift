/// A committee as conference systems export it, one member a row: HotCRP's users or
/// PC info CSV (`given_name`/`first`, `family_name`/`last`, `email`, `affiliation`,
/// `orcid`), CMT's reviewers export (`First Name`, `Last Name`, `Email` or `E-mail`,
/// `Organization`; tab-separated, header marked `#`), EasyChair's `committee.csv` (`#`,
/// `person #`, `first name`, `last name`, `email`, `affiliation`), or any CSV with `name`
/// and `email`. Members' papers come from the store by name.
enum CommitteeTable {
    static func isTable(path: String, firstLine: String) -> Bool {
        let line = firstLine.lowercased()
        return path.hasSuffix(".csv") || path.hasSuffix(".tsv") || (line.contains("\t") && line.contains("mail"))
    }

    static func profiles(path: String) throws -> [ReviewerProfile] {
        let table = try CSVTable(path: path, required: [])
        func column(_ names: String...) -> String? { names.first(where: table.header.contains) }
        let given = column("given_name", "first", "first name", "firstname", "first_name", "givenname")
        let family = column("family_name", "last", "last name", "lastname", "last_name", "surname", "familyname")
        let whole = column("name", "member name", "full name")
        let email = column("email", "e-mail", "user")
        guard (given != nil && family != nil) || whole != nil else {
            throw ProfileError("\(path):1: a committee table needs a name: columns first and last name (given_name,family_name) or name")
        }
        let affiliation = column("affiliation", "organization", "organisation")
        let orcid = column("orcid"), person = column("person #"), member = table.header.first == "#" ? "#" : nil
        return try table.rows.map { row in
            let name = whole.flatMap { row[$0] } ?? [given.flatMap { row[$0] }, family.flatMap { row[$0] }].compactMap { $0 }.joined(separator: " ")
            guard !name.isEmpty else { throw ProfileError("\(path):\(row.line): the member has no name") }
            var ids: [String] = []
            if let o = orcid.flatMap({ row[$0] }) { ids.append("orcid:" + o) }
            if let p = person.flatMap({ row[$0] }) { ids.append("easychair:" + p) }
            if let m = member.flatMap({ row[$0] }) { ids.append("easychair-member:" + m) }
            return ReviewerProfile(name: name, affiliation: affiliation.flatMap { row[$0] }, ids: ids.isEmpty ? nil : ids,
                                   emails: email.flatMap { row[$0] }.map { [$0] }, publications: [])
        }
    }
}
