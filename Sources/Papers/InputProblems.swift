/// Every problem found in a run's input files, gathered so that one run reports them all
/// (a chair fixes every bad row at once instead of one per retry), then refused together.
public struct InputProblems: Sendable {
    public private(set) var messages: [String] = []

    public init() {}

    public var isEmpty: Bool { messages.isEmpty }

    public mutating func add(_ message: String) { messages.append(message) }

    /// Runs `body`; what it throws is recorded and nil returned.
    public mutating func attempt<T>(_ body: () throws -> T) -> T? {
        do { return try body() }
        catch let e as InputRefusal { messages += e.problems; return nil }
        catch { messages.append("\(error)"); return nil }
    }

    /// Throws the recorded problems, if any: one as a ``ProfileError``, several as an ``InputRefusal``.
    public func check() throws {
        guard !messages.isEmpty else { return }
        if messages.count == 1 { throw ProfileError(messages[0]) }
        throw InputRefusal(problems: messages)
    }
}

/// Several problems in a run's input, each naming its file, line and field.
public struct InputRefusal: Error, Equatable, CustomStringConvertible {
    public let problems: [String]
    public var description: String { "\(problems.count) problems in the input:\n" + problems.map { "  " + $0 }.joined(separator: "\n") }
}
