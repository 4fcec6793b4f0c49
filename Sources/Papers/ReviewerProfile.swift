import Foundation

/// A reviewer as refer sees them: a name and the papers that show their expertise, and
/// for conflict checks their author ids and e-mail addresses when the chair's file gives
/// them (a CV's contact details are never read into it).
public struct ReviewerProfile: Codable, Sendable, Equatable {
    public var name: String
    public var affiliation: String?
    /// Stable author ids (`orcid:…`, `openalex:A…`, `s2:…`, `dblp:…`).
    public var ids: [String]?
    /// E-mail addresses (only their organisation domain is used: ``EmailDomain``).
    public var emails: [String]?
    public var publications: [Publication]

    public init(name: String, affiliation: String? = nil, ids: [String]? = nil, emails: [String]? = nil, publications: [Publication]) {
        self.name = name; self.affiliation = affiliation; self.ids = ids; self.emails = emails; self.publications = publications
    }

    public struct Publication: Codable, Sendable, Equatable {
        public var title: String
        public var venue: String?
        public var year: Int?
        /// Every author as listed, the reviewer included.
        public var authors: [String]
        public var abstract: String?

        public init(title: String, venue: String? = nil, year: Int? = nil, authors: [String], abstract: String? = nil) {
            self.title = title; self.venue = venue; self.year = year; self.authors = authors; self.abstract = abstract
        }
    }
}

/// Why a reviewer file was refused.
public struct ProfileError: Error, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
