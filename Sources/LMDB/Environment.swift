import CLMDB
import Foundation

/// An LMDB environment: one memory-mapped file holding named databases.
///
///     let env = try Environment(path: dir, maxDatabases: 8)
///     let papers = try env.database(named: "papers")
///     try env.write { txn in try txn.put("p1", "title", in: papers) }
///     let title: String? = try env.read { txn in try txn.get("p1", in: papers) }
///
/// Transactions exist only inside `read` / `write` closures, as borrowed noncopyable
/// values, so none can outlive its environment or escape its thread. Read
/// transactions are not tied to threads (`MDB_NOTLS`), so any number of readers run
/// concurrently with each other and with the one writer; each sees the last
/// committed state. When a write fills the map, the map doubles and the write runs
/// again from the start (the closure must be safe to repeat).
public final class Environment: @unchecked Sendable {
    let env: OpaquePointer
    public let path: String
    public let isReadOnly: Bool
    /// Held shared by every transaction and exclusively while the map is resized
    /// (LMDB requires that no transaction is active in the process then).
    private let resizeLock = UnsafeMutablePointer<pthread_rwlock_t>.allocate(capacity: 1)
    private let writerLock = NSLock()
    private let databasesLock = NSLock()
    /// Snapshots alive in this process; the map cannot be resized while any is.
    private var liveSnapshots = 0
    private let snapshotLock = NSLock()
    private var databases: [String: MDB_dbi] = [:]

    /// Opens (creating the folder if needed, unless `readOnly`) the environment in `path`.
    public init(path: String, maxDatabases: Int = 16, mapSize: Int = 1 << 30, maxReaders: Int = 256,
                readOnly: Bool = false) throws {
        self.path = path
        self.isReadOnly = readOnly
        if !readOnly { try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        env = try Self.open(path: path, maxDatabases: maxDatabases, mapSize: mapSize, maxReaders: maxReaders, readOnly: readOnly)
        pthread_rwlock_init(resizeLock, nil)
    }

    /// The opened LMDB handle; on failure it is closed again before the error leaves.
    private static func open(path: String, maxDatabases: Int, mapSize: Int, maxReaders: Int, readOnly: Bool) throws -> OpaquePointer {
        var handle: OpaquePointer?
        try LMDBError.check(mdb_env_create(&handle), "mdb_env_create")
        let env = handle!
        do {
            try LMDBError.check(mdb_env_set_maxdbs(env, MDB_dbi(maxDatabases)), "mdb_env_set_maxdbs")
            try LMDBError.check(mdb_env_set_mapsize(env, mapSize), "mdb_env_set_mapsize")
            try LMDBError.check(mdb_env_set_maxreaders(env, UInt32(maxReaders)), "mdb_env_set_maxreaders")
            var flags = UInt32(MDB_NOTLS)
            if readOnly { flags |= UInt32(MDB_RDONLY) }
            try LMDBError.check(mdb_env_open(env, path, flags, 0o644), "open \(path)")
            return env
        } catch {
            mdb_env_close(env)
            throw error
        }
    }

    deinit {
        mdb_env_close(env)
        pthread_rwlock_destroy(resizeLock)
        resizeLock.deallocate()
    }

    /// The named database, created when missing (unless the environment is read-only).
    public func database(named name: String) throws -> Database {
        databasesLock.lock(); defer { databasesLock.unlock() }
        if let dbi = databases[name] { return Database(name: name, dbi: dbi) }
        var dbi = MDB_dbi()
        if isReadOnly {
            try withTransaction(readOnly: true) { txn in
                try LMDBError.check(mdb_dbi_open(txn, name, 0, &dbi), "open database '\(name)'")
            }
        } else {
            try withTransaction(readOnly: false) { txn in
                try LMDBError.check(mdb_dbi_open(txn, name, UInt32(MDB_CREATE), &dbi), "create database '\(name)'")
            }
        }
        databases[name] = dbi
        return Database(name: name, dbi: dbi)
    }

    /// Runs `body` in a read transaction: a consistent snapshot of the last commit.
    public func read<T>(_ body: (borrowing Transaction) throws -> T) throws -> T {
        try withTransaction(readOnly: true) { txn in try body(Transaction(txn: txn, isWritable: false)) }
    }

    /// Runs `body` in a write transaction and commits it; nothing is kept if `body`
    /// throws. Writers are serialised. A full map is doubled and `body` run again.
    @discardableResult
    public func write<T>(_ body: (borrowing Transaction) throws -> T) throws -> T {
        guard !isReadOnly else { throw LMDBError(code: EACCES, operation: "write to read-only environment \(path)") }
        writerLock.lock(); defer { writerLock.unlock() }
        while true {
            do {
                return try withTransaction(readOnly: false) { txn in try body(Transaction(txn: txn, isWritable: true)) }
            } catch let error as LMDBError where error.isMapFull {
                try growMap()
            }
        }
    }

    /// Bytes the map may grow to (not the file's size).
    public var mapSize: Int {
        var info = MDB_envinfo()
        mdb_env_info(env, &info)
        return info.me_mapsize
    }

    private func growMap() throws {
        pthread_rwlock_wrlock(resizeLock); defer { pthread_rwlock_unlock(resizeLock) }
        snapshotLock.lock(); defer { snapshotLock.unlock() }
        guard liveSnapshots == 0 else {
            throw LMDBError(code: MDB_MAP_FULL, operation: "grow map of \(path) while \(liveSnapshots) snapshot(s) are open in this process")
        }
        try LMDBError.check(mdb_env_set_mapsize(env, mapSize * 2), "grow map to \(mapSize * 2) bytes")
    }

    private func withTransaction<T>(readOnly: Bool, _ body: (OpaquePointer) throws -> T) throws -> T {
        pthread_rwlock_rdlock(resizeLock); defer { pthread_rwlock_unlock(resizeLock) }
        var handle: OpaquePointer?
        try LMDBError.check(mdb_txn_begin(env, nil, readOnly ? UInt32(MDB_RDONLY) : 0, &handle),
                            readOnly ? "begin read transaction" : "begin write transaction")
        let txn = handle!
        do {
            let result = try body(txn)
            // Read transactions are committed too: that ends them like an abort but keeps
            // any database handle opened inside (an aborted one would close it).
            try LMDBError.check(mdb_txn_commit(txn), readOnly ? "end read transaction" : "commit")
            return result
        } catch {
            mdb_txn_abort(txn)
            throw error
        }
    }
}

/// A named database inside an ``Environment``.
public struct Database: Sendable, Equatable {
    public let name: String
    let dbi: MDB_dbi
}

/// A long-lived read transaction: one consistent snapshot of the environment, whose
/// in-place bytes stay valid until the snapshot is released. For readers that keep
/// pointers into the map (a store's index view). While any snapshot lives, the map
/// cannot be resized in this process (a write that fills it fails with a message
/// saying so), so stores open with a map far larger than their data.
public final class Snapshot: @unchecked Sendable {
    public let environment: Environment
    let txn: OpaquePointer

    init(environment: Environment, txn: OpaquePointer) {
        self.environment = environment
        self.txn = txn
    }

    deinit { environment.endSnapshot(txn) }

    /// Runs `body` against this snapshot.
    public func read<T>(_ body: (borrowing Transaction) throws -> T) rethrows -> T {
        try body(Transaction(txn: txn, isWritable: false))
    }
}

extension Environment {
    /// Opens a snapshot of the last committed state.
    public func snapshot() throws -> Snapshot {
        pthread_rwlock_rdlock(resizeLock); defer { pthread_rwlock_unlock(resizeLock) }
        var handle: OpaquePointer?
        try LMDBError.check(mdb_txn_begin(env, nil, UInt32(MDB_RDONLY), &handle), "begin snapshot")
        snapshotLock.lock(); liveSnapshots += 1; snapshotLock.unlock()
        return Snapshot(environment: self, txn: handle!)
    }

    func endSnapshot(_ txn: OpaquePointer) {
        mdb_txn_abort(txn)
        snapshotLock.lock(); liveSnapshots -= 1; snapshotLock.unlock()
    }
}
