/// A reviewer left out because of a conflict of interest: who, the rule that fired, the
/// reason in words, and the evidence: the shared paper, the shared institution and years,
/// the shared author id or e-mail domain, as the rule rests on.
public struct ReviewerExclusion: Codable, Sendable, Equatable {
    public var name: String
    /// The rule and its evidence in one sentence: "co-author of Jane Doe: 'Title' (2024)".
    public var reason: String
    public var rule: Rule
    /// The paper behind a co-authorship: its id (a stored paper's, or a profile's `name#n`;
    /// nil for a publication with none), title and year.
    public var paper: Paper?
    /// The institution behind an affiliation conflict, with each side's years there.
    public var institution: SharedInstitution?
    /// The author id that matched (same person, or co-author by id).
    public var author_id: String?
    /// The organisation e-mail domain both use.
    public var domain: String?

    public enum Rule: String, Codable, Sendable {
        /// The reviewer is one of the draft's authors.
        case author
        /// The reviewer wrote a paper with a draft author within the co-authorship window.
        case coauthor
        /// The reviewer and a draft author are at the same institution (within the window).
        case affiliation
        /// The reviewer and a draft author have addresses at the same organisation.
        case emailDomain = "email_domain"
        /// A declared conflict (a chair's or the reviewer's CSV).
        case declared
    }

    public struct Paper: Codable, Sendable, Equatable {
        public var id: String?
        public var title: String
        public var year: Int?
    }

    public struct SharedInstitution: Codable, Sendable, Equatable {
        public var name: String
        /// ROR or the source's id, when known.
        public var id: String?
        /// "2019-2024": the years the data shows the reviewer there (nil: given as text).
        public var reviewer_years: String?
        public var author_years: String?
    }

    public init(name: String, reason: String, rule: Rule, paper: Paper? = nil, institution: SharedInstitution? = nil,
                author_id: String? = nil, domain: String? = nil) {
        self.name = name; self.reason = reason; self.rule = rule; self.paper = paper
        self.institution = institution; self.author_id = author_id; self.domain = domain
    }

    static func coauthor(_ name: String, of author: String, paper: Paper) -> ReviewerExclusion {
        ReviewerExclusion(name: name, reason: "co-author of \(author): '\(paper.title)'" + (paper.year.map { " (\($0))" } ?? ""),
                          rule: .coauthor, paper: paper)
    }
}
