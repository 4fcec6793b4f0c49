import Foundation
import Testing
@testable import LMDB

@Suite struct LMDBTests {
    let dir = NSTemporaryDirectory() + "refer-lmdb-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"

    @Test("typed puts and gets, in-place bytes, deletes, counts")
    func basics() throws {
        let env = try Environment(path: dir)
        let db = try env.database(named: "things")
        try env.write { (txn: borrowing Transaction) throws in
            try txn.put("title", "Learned index structures", in: db)
            try txn.put("vector", [Float](arrayLiteral: 1, -2.5, 3), in: db)
            try txn.put("empty", "", in: db)
        }
        try env.read { (txn: borrowing Transaction) throws in
            #expect(try txn.get("title", in: db, as: String.self) == "Learned index structures")
            #expect(try txn.get("vector", in: db, as: [Float].self) == [1, -2.5, 3])
            #expect(try txn.get("empty", in: db, as: String.self) == "")
            #expect(try txn.get("missing", in: db, as: String.self) == nil)
            #expect(try txn.getBytes("vector", in: db)?.count == 12)
            #expect(try txn.count(db) == 3)
        }
        try env.write { (txn: borrowing Transaction) throws in
            #expect(try txn.delete("title", in: db))
            #expect(try !txn.delete("title", in: db))
        }
        #expect(try env.read { try $0.count(db) } == 2)

        try env.write { (txn: borrowing Transaction) throws in try txn.put("odd", "abc", in: db) }
        #expect(throws: LMDBDecodingError(type: "[Float]", byteCount: 3)) {
            try env.read { (txn: borrowing Transaction) throws in try txn.get("odd", in: db, as: [Float].self).map { _ in () } }
        }
    }

    @Test("integer keys walk in numeric order; cursors start where asked")
    func ordering() throws {
        let env = try Environment(path: dir)
        let db = try env.database(named: "ids")
        try env.write { (txn: borrowing Transaction) throws in for id: UInt32 in [300, 2, 70_000, 1, 256] { try txn.put(id, "v\(id)", in: db) } }
        var seen: [UInt32] = []
        try env.read { (txn: borrowing Transaction) throws in
            try txn.forEach(in: db, from: nil as UInt32?) { key, _ in seen.append(try UInt32(bytes: key)); return true }
        }
        #expect(seen == [1, 2, 256, 300, 70_000])
        var fromThree: [UInt32] = []
        try env.read { (txn: borrowing Transaction) throws in
            try txn.forEach(in: db, from: UInt32(3)) { key, _ in fromThree.append(try UInt32(bytes: key)); return fromThree.count < 2 }
        }
        #expect(fromThree == [256, 300])
    }

    @Test("a write that throws leaves nothing behind")
    func rollback() throws {
        struct Stop: Error {}
        let env = try Environment(path: dir)
        let db = try env.database(named: "t")
        try env.write { (txn: borrowing Transaction) throws in try txn.put("kept", "1", in: db) }
        #expect(throws: Stop.self) {
            try env.write { (txn: borrowing Transaction) throws in
                try txn.put("lost", "2", in: db)
                try txn.delete("kept", in: db)
                throw Stop()
            }
        }
        try env.read { (txn: borrowing Transaction) throws in
            #expect(try txn.get("kept", in: db, as: String.self) == "1")
            #expect(try txn.get("lost", in: db, as: String.self) == nil)
        }
    }

    @Test("a full map grows and the write goes through")
    func mapGrowth() throws {
        let env = try Environment(path: dir, mapSize: 256 * 1024)
        let db = try env.database(named: "big")
        let start = env.mapSize
        let blob = [UInt8](repeating: 7, count: 100_000)
        try env.write { (txn: borrowing Transaction) throws in for i: UInt32 in 0..<20 { try txn.put(i, blob, in: db) } }   // 2 MB into a 256 KB map
        #expect(env.mapSize > start)
        #expect(try env.read { try $0.count(db) } == 20)
        #expect(try env.read { try $0.get(UInt32(19), in: db, as: [UInt8].self) } == blob)
    }

    @Test("readers see whole batches only, while a writer commits")
    func snapshots() async throws {
        let env = try Environment(path: dir)
        let db = try env.database(named: "batches")
        let writer = Task.detached {
            for batch: UInt32 in 1...40 {
                try env.write { (txn: borrowing Transaction) throws in
                    for i: UInt32 in 0..<50 { try txn.put(batch * 1000 + i, [batch], in: db) }
                    try txn.put(UInt32.max, [batch], in: db)   // the last committed batch
                }
            }
        }
        var checks = 0
        while checks < 400 {
            try env.read { (txn: borrowing Transaction) throws in
                let last = try txn.get(UInt32.max, in: db, as: [UInt32].self)?.first ?? 0
                #expect(try txn.count(db) == Int(last) * 50 + (last > 0 ? 1 : 0), "batch \(last) half visible")
            }
            checks += 1
        }
        try await writer.value
        #expect(try env.read { try $0.count(db) } == 40 * 50 + 1)
    }

    @Test("errors carry LMDB's message; read-only environments refuse writes")
    func errors() throws {
        #expect(throws: LMDBError.self) { try Environment(path: dir + "/does-not-exist", readOnly: true) }
        do { _ = try Environment(path: dir + "/does-not-exist", readOnly: true) } catch let e as LMDBError {
            #expect(e.description.contains("No such file or directory"), "\(e)")
        }
        do {
            let env = try Environment(path: dir)
            _ = try env.database(named: "t")
        }
        let readOnly = try Environment(path: dir, readOnly: true)
        let t = try readOnly.database(named: "t")
        #expect(try readOnly.read { try $0.count(t) } == 0, "a database opened read-only stays usable")
        #expect(throws: LMDBError.self) { try readOnly.write { (txn: borrowing Transaction) throws in try txn.put("a", "b", in: t) } }
        #expect(throws: LMDBError.self) { try readOnly.database(named: "not-there") }
    }
}
