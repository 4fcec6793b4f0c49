/// A committee as conference systems export it, one member a row: HotCRP's users or
/// PC info CSV (`given_name`/`first`, `family_name`/`last`, `email`, `affiliation`,
/// `orcid`, `roles`), CMT's reviewers export (`First Name`, `Last Name`, `Email` or `E-mail`,
/// `Organization`; tab-separated, header marked `#`), EasyChair's `committee.csv` (`#`,
/// `person #`, `first name`, `last name`, `email`, `affiliation`, `role`), or any CSV with
/// `name` and `email`; a workbook (`.xlsx`, CMT's `.xls`) as well as text. Members' papers
/// come from the store by name.
///
/// Who reviews: with a HotCRP `roles` column, the PC (`pc`) but not its chairs (`chair`),
/// and nobody outside the PC (empty roles: authors and other users); with an EasyChair
/// `role`, everyone but a chair ("chair", "track chair"). Chairs review with `includeChairs`.
/// Everyone left out is kept as a ``Committee/NonReviewer``, never dropped unseen.
enum CommitteeTable {
    static func isTable(path: String, firstLine: String) -> Bool {
        let line = firstLine.lowercased(), lower = path.lowercased()
        return [".csv", ".tsv", ".xlsx", ".xls"].contains { lower.hasSuffix($0) } || (line.contains("\t") && line.contains("mail"))
    }

    static func read(path: String, includeChairs: Bool) throws -> (reviewers: [ReviewerProfile], nonReviewers: [Committee.NonReviewer]) {
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
        let roles = column("roles"), role = column("role")
        var reviewers: [ReviewerProfile] = [], others: [Committee.NonReviewer] = [], problems = InputProblems()
        for row in table.rows {
            let name = whole.flatMap { row[$0] } ?? [given.flatMap { row[$0] }, family.flatMap { row[$0] }].compactMap { $0 }.joined(separator: " ")
            guard !name.isEmpty else { problems.add("\(path):\(row.line): the member has no name"); continue }
            var ids: [String] = []
            if let o = orcid.flatMap({ row[$0] }) { ids.append("orcid:" + Self.bareORCID(o)) }
            if let p = person.flatMap({ row[$0] }) { ids.append("easychair:" + p) }
            if let m = member.flatMap({ row[$0] }) { ids.append("easychair-member:" + m) }
            let emails = email.flatMap { row[$0] }.map { [$0] }
            let profile = ReviewerProfile(name: name, affiliation: affiliation.flatMap { row[$0] }, ids: ids.isEmpty ? nil : ids, emails: emails, publications: [])
            if let why = Self.notReviewing(roles: roles.map { row[$0] ?? "" }, role: role.flatMap { row[$0] }, includeChairs: includeChairs) {
                others.append(.init(name: name, emails: emails ?? [], ids: ids, why: why + " (\(path):\(row.line))"))
            } else {
                reviewers.append(profile)
            }
        }
        try problems.check()
        return (reviewers, others)
    }

    /// Why a row's person does not review, or nil when they do.
    static func notReviewing(roles: String?, role: String?, includeChairs: Bool) -> String? {
        if let roles {
            let words = Set(roles.lowercased().split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init))
            if words.contains("chair") && !includeChairs { return "is a chair (roles '\(roles)'; --include-chairs makes chairs reviewers)" }
            if !words.contains("pc") && !words.contains("chair") { return "is not on the PC (roles '\(roles)')" }
        }
        if let role, role.lowercased().contains("chair"), !role.lowercased().contains("associate"), !includeChairs {
            return "is a chair (role '\(role)'; --include-chairs makes chairs reviewers)"
        }
        return nil
    }

    /// "https://orcid.org/0000-0002-1825-0097" → "0000-0002-1825-0097" (HotCRP writes either).
    static func bareORCID(_ text: String) -> String {
        text.split(separator: "/").last.map(String.init) ?? text
    }
}
