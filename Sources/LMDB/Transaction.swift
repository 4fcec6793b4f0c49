import CLMDB

/// A live LMDB transaction, handed to ``Environment/read(_:)`` and
/// ``Environment/write(_:)`` closures. Noncopyable and borrowed, so it cannot be kept.
/// Values returned as raw buffers point into the memory map and are valid only until
/// the closure returns.
public struct Transaction: ~Copyable {
    let txn: OpaquePointer
    public let isWritable: Bool

    /// The stored bytes for `key`, read in place from the map (no copy), or nil.
    public func getBytes<K: LMDBValue>(_ key: K, in db: Database) throws -> UnsafeRawBufferPointer? {
        try key.withBytes { k in
            var mk = MDB_val(mv_size: k.count, mv_data: UnsafeMutableRawPointer(mutating: k.baseAddress))
            var mv = MDB_val()
            let rc = mdb_get(txn, db.dbi, &mk, &mv)
            if rc == MDB_NOTFOUND { return nil }
            try LMDBError.check(rc, "get from '\(db.name)'")
            return UnsafeRawBufferPointer(start: mv.mv_data, count: mv.mv_size)
        }
    }

    /// The value for `key` decoded as `V`, or nil.
    public func get<K: LMDBValue, V: LMDBValue>(_ key: K, in db: Database, as: V.Type = V.self) throws -> V? {
        try getBytes(key, in: db).map { try V(bytes: $0) }
    }

    /// Stores `value` under `key`, replacing any old value.
    public func put<K: LMDBValue, V: LMDBValue>(_ key: K, _ value: V, in db: Database) throws {
        try key.withBytes { k in
            try value.withBytes { v in
                var mk = MDB_val(mv_size: k.count, mv_data: UnsafeMutableRawPointer(mutating: k.baseAddress))
                var mv = MDB_val(mv_size: v.count, mv_data: UnsafeMutableRawPointer(mutating: v.baseAddress))
                try LMDBError.check(mdb_put(txn, db.dbi, &mk, &mv, 0), "put into '\(db.name)'")
            }
        }
    }

    /// Reserves `count` bytes for `key` and lets `fill` write them in place in the map
    /// (one copy fewer for large values such as vectors).
    public func put<K: LMDBValue>(_ key: K, reserving count: Int, in db: Database,
                                  fill: (UnsafeMutableRawBufferPointer) throws -> Void) throws {
        try key.withBytes { k in
            var mk = MDB_val(mv_size: k.count, mv_data: UnsafeMutableRawPointer(mutating: k.baseAddress))
            var mv = MDB_val(mv_size: count, mv_data: nil)
            try LMDBError.check(mdb_put(txn, db.dbi, &mk, &mv, UInt32(MDB_RESERVE)), "reserve in '\(db.name)'")
            try fill(UnsafeMutableRawBufferPointer(start: mv.mv_data, count: count))
        }
    }

    /// Removes `key`; returns false when it was not there.
    @discardableResult
    public func delete<K: LMDBValue>(_ key: K, in db: Database) throws -> Bool {
        try key.withBytes { k in
            var mk = MDB_val(mv_size: k.count, mv_data: UnsafeMutableRawPointer(mutating: k.baseAddress))
            let rc = mdb_del(txn, db.dbi, &mk, nil)
            if rc == MDB_NOTFOUND { return false }
            try LMDBError.check(rc, "delete from '\(db.name)'")
            return true
        }
    }

    /// Removes every entry of `db` (the database itself stays).
    public func removeAll(in db: Database) throws {
        try LMDBError.check(mdb_drop(txn, db.dbi, 0), "empty '\(db.name)'")
    }

    /// Entries in `db`.
    public func count(_ db: Database) throws -> Int {
        var stat = MDB_stat()
        try LMDBError.check(mdb_stat(txn, db.dbi, &stat), "stat '\(db.name)'")
        return stat.ms_entries
    }

    /// Walks `db` in key order from `start` (or the first key), handing each key and
    /// value as in-place bytes to `body` until it returns false.
    public func forEach<K: LMDBValue>(in db: Database, from start: K? = nil as String?,
                                      _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool) throws {
        var cursor: OpaquePointer?
        try LMDBError.check(mdb_cursor_open(txn, db.dbi, &cursor), "open cursor on '\(db.name)'")
        defer { mdb_cursor_close(cursor) }
        var mk = MDB_val(), mv = MDB_val()
        var rc: Int32
        if let start {
            rc = start.withBytes { k in
                mk = MDB_val(mv_size: k.count, mv_data: UnsafeMutableRawPointer(mutating: k.baseAddress))
                return mdb_cursor_get(cursor, &mk, &mv, MDB_SET_RANGE)
            }
        } else {
            rc = mdb_cursor_get(cursor, &mk, &mv, MDB_FIRST)
        }
        while rc == 0 {
            let key = UnsafeRawBufferPointer(start: mk.mv_data, count: mk.mv_size)
            let value = UnsafeRawBufferPointer(start: mv.mv_data, count: mv.mv_size)
            guard try body(key, value) else { return }
            rc = mdb_cursor_get(cursor, &mk, &mv, MDB_NEXT)
        }
        if rc != MDB_NOTFOUND { try LMDBError.check(rc, "walk '\(db.name)'") }
    }
}
