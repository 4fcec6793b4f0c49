/// A person's name reduced to the two tokens that decide whether two spellings may be
/// one person: the first given name (or initial) and the family name, lower case,
/// accents (Unicode or LaTeX) folded, "Last, First" and "Zhu H." turned around, middle
/// names and markup ignored. This is the one name key of refer: the store's author
/// index, profiles named from a store, committees and conflict checks all read it.
///
///     PersonName("Zhang, Minjia") == PersonName("Minjia Zhang")       // true
///     PersonName("M. Zhang").mayBe(PersonName("Minjia Zhang"))        // true
///     PersonName("Siyu Wang").mayBe(PersonName("Stephanie Wang"))     // false
public struct PersonName: Hashable, Sendable, Codable {
    /// The first given name or initial ("" when none).
    public let given: String
    /// The family name ("" for an empty name).
    public let family: String

    public init(_ name: String) {
        var t = NameText.tokens(of: name)
        // "Guy L. Steele Jr." and "Smith, John, III": a generational suffix is not the family name.
        while t.count > 2, let last = t.last, Self.suffixes.contains(last) { t.removeLast() }
        guard let last = t.last else { given = ""; family = ""; return }
        guard t.count >= 2 else { given = ""; family = last; return }
        // "Zhu H." lists the family name first, then initials.
        if t.last!.count == 1, t[0].count > 1 { t = Array(t.dropFirst()) + [t[0]] }
        given = t[0]; family = t.last!
    }

    public init(given: String, family: String) { self.given = given; self.family = family }

    /// Whether the name has a family name at all (an empty or punctuation-only name has not).
    public var isEmpty: Bool { family.isEmpty }

    /// The rule: same family name, and the same first name, or the same initial when
    /// either side gives only an initial. "H. Zhu", "Zhu H." and "Hongyu Zhu" meet;
    /// "Siyu Wang" and "Stephanie Wang" do not; a missed conflict costs more than a
    /// needlessly excluded reviewer, so an initial meets every name it could stand for.
    public func mayBe(_ other: PersonName) -> Bool {
        guard family == other.family, !family.isEmpty else { return false }
        if given == other.given { return true }
        guard let a = given.first, let b = other.given.first, a == b else { return false }
        return given.count == 1 || other.given.count == 1
    }

    // MARK: - Index keys

    /// `family|g`: the family name and the first initial, shared by every spelling an initial
    /// meets ("Hongyu Zhu", "H. Zhu", "Zhu H."); what counting a bibliography's owner groups by.
    public var initialKey: String { family + "|" + String(given.prefix(1)) }

    /// The key this spelling is indexed under: `family|given`. Keys sort by family name
    /// first, so every spelling ``mayBe(_:)`` accepts is found by ``lookup``.
    public var indexKey: String {
        var key = family + "|" + given
        while key.utf8.count > PersonName.maxKeyBytes { key.removeLast() }
        return key
    }

    /// How to find, in an index of ``indexKey``s, exactly the spellings this name ``mayBe``:
    /// the exact keys to read and the key prefix to scan (an initial meets every given name
    /// with that letter; a full given name meets itself and its initial).
    public var lookup: (exact: [String], prefix: String?) {
        if given.count == 1 { return ([], family + "|" + given) }
        if given.isEmpty { return ([indexKey], nil) }
        return ([indexKey, PersonName(given: String(given.first!), family: family).indexKey], nil)
    }

    /// Generational suffixes, dropped from the end of a name.
    static let suffixes: Set<String> = ["jr", "sr", "ii", "iii", "iv"]

    /// LMDB keys are at most 511 bytes; no real name comes near this.
    static let maxKeyBytes = 400
}
