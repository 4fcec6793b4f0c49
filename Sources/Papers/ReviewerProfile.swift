import Foundation

/// A reviewer as refer sees them: a name and the papers that show their expertise.
/// Only names and publications are kept; a CV's contact details never enter it.
public struct ReviewerProfile: Codable, Sendable, Equatable {
    public var name: String
    public var affiliation: String?
    public var publications: [Publication]

    public init(name: String, affiliation: String? = nil, publications: [Publication]) {
        self.name = name; self.affiliation = affiliation; self.publications = publications
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
