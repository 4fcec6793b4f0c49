/// A name parsed once into the two tokens conflict checks compare (first given name or
/// initial, family name), so that checking a draft against a whole committee compares
/// short strings instead of re-parsing every co-author's name for every reviewer.
public struct PersonName: Hashable, Sendable {
    /// The first given name or initial, lower case, accents folded ("" when none).
    public let given: String
    /// The family name, lower case, accents folded ("" for an empty name).
    public let family: String

    public init(_ name: String) { (given, family) = AuthorNames.givenAndFamily(name) }

    /// ``AuthorNames/samePerson(_:_:)``'s rule: same family name, and the same first
    /// name or the same initial when either side gives only an initial.
    public func mayBe(_ other: PersonName) -> Bool {
        guard family == other.family, !family.isEmpty else { return false }
        if given == other.given { return true }
        guard let a = given.first, let b = other.given.first, a == b else { return false }
        return given.count == 1 || other.given.count == 1
    }
}
