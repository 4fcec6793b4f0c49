import CLMDB

/// An LMDB failure, with LMDB's own message and the operation that hit it.
public struct LMDBError: Error, Equatable, CustomStringConvertible {
    public let code: Int32
    public let operation: String

    public var message: String { String(cString: mdb_strerror(code)) }
    public var description: String { "\(operation): \(message)" }

    public var isMapFull: Bool { code == MDB_MAP_FULL }
    public var isNotFound: Bool { code == MDB_NOTFOUND }

    /// Throws unless `code` is success.
    static func check(_ code: Int32, _ operation: @autoclosure () -> String) throws {
        if code != 0 { throw LMDBError(code: code, operation: operation()) }
    }
}
