import Foundation
import Testing
@testable import VectorIO

@Suite struct VectorFileTests {
    let dir: String = {
        let d = NSTemporaryDirectory() + "refer-vectorio-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try! FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }()

    func bytes(_ path: String) -> [UInt8] { Array(FileManager.default.contents(atPath: path)!) }
    func writeBytes(_ b: [UInt8], _ name: String) -> String {
        let p = dir + "/" + name
        FileManager.default.createFile(atPath: p, contents: Data(b))
        return p
    }
    func le32(_ v: UInt32) -> [UInt8] { withUnsafeBytes(of: v.littleEndian, Array.init) }

    /// Writes `m`, reads it back, writes that again: the two files must be identical
    /// and the read matrix equal to the original.
    func roundTrip<T: BitwiseCopyable & Equatable>(_ m: Matrix<T>, _ ext: String) throws {
        let p1 = dir + "/a." + ext, p2 = dir + "/b." + ext
        try VectorFile.write(m, to: p1)
        let back: Matrix<T> = try VectorFile.read(p1)
        #expect(back.rows == m.rows && back.columns == m.columns)
        #expect(Array(back.elements) == Array(m.elements))
        try VectorFile.write(back, to: p2)
        #expect(bytes(p1) == bytes(p2))
    }

    @Test("every format round trips byte for byte")
    func roundTrips() throws {
        let f = Matrix<Float>(rows: 7, columns: 5, elements: (0..<35).map { Float($0) * 0.37 - 3 })
        let i = Matrix<Int32>(rows: 3, columns: 4, elements: (0..<12).map { Int32($0) * 1000 - 5000 })
        let u = Matrix<UInt8>(rows: 4, columns: 3, elements: (0..<12).map { UInt8($0 * 21) })
        let s = Matrix<Int8>(rows: 2, columns: 6, elements: (0..<12).map { Int8($0 * 10 - 60) })
        try roundTrip(f, "fbin"); try roundTrip(f, "fvecs")
        try roundTrip(i, "ibin"); try roundTrip(i, "ivecs")
        try roundTrip(u, "u8bin"); try roundTrip(u, "bvecs")
        try roundTrip(s, "i8bin")
    }

    @Test("the on-disk layout is the documented one")
    func layout() throws {
        let m = Matrix<Float>(rows: 2, columns: 2, elements: [1, 2, 3, 4])
        try VectorFile.write(m, to: dir + "/x.fbin")
        let fb = bytes(dir + "/x.fbin")
        #expect(fb.count == 8 + 16)
        #expect(Array(fb[0..<8]) == le32(2) + le32(2))
        #expect(Array(fb[8..<12]) == withUnsafeBytes(of: Float(1).bitPattern.littleEndian, Array.init))
        try VectorFile.write(m, to: dir + "/x.fvecs")
        let fv = bytes(dir + "/x.fvecs")
        #expect(fv.count == 2 * (4 + 8))
        #expect(Array(fv[0..<4]) == le32(2) && Array(fv[12..<16]) == le32(2))
    }

    @Test("byte formats widen to floats")
    func widen() throws {
        let u = Matrix<UInt8>(rows: 1, columns: 3, elements: [0, 128, 255])
        try VectorFile.write(u, to: dir + "/w.u8bin")
        #expect(try VectorFile.readFloats(dir + "/w.u8bin").row(0) == [0, 128, 255])
        let s = Matrix<Int8>(rows: 1, columns: 2, elements: [-128, 127])
        try VectorFile.write(s, to: dir + "/w.i8bin")
        #expect(try VectorFile.readFloats(dir + "/w.i8bin").row(0) == [-128, 127])
    }

    @Test("truncated, overlong, empty and mismatched files are rejected with the reason")
    func rejects() throws {
        let truncated = writeBytes(le32(3) + le32(2) + [UInt8](repeating: 0, count: 20), "t.fbin")
        #expect(throws: VectorFileError(path: truncated, message: "truncated: header says 3 x 2 float32 (32 bytes) but the file has 28 bytes")) {
            try VectorFile.readFloats(truncated)
        }
        let long = writeBytes(le32(1) + le32(1) + [UInt8](repeating: 0, count: 8), "l.fbin")
        #expect(throws: VectorFileError(path: long, message: "longer than its header says: header says 1 x 1 float32 (12 bytes) but the file has 16 bytes")) {
            try VectorFile.readFloats(long)
        }
        let empty = writeBytes([], "e.ibin")
        #expect(throws: VectorFileError(path: empty, message: "empty file")) { try VectorFile.readInts(empty) }
        let short = writeBytes([1, 2, 3], "s.fbin")
        #expect(throws: VectorFileError(path: short, message: "truncated: 3 bytes, shorter than the 8-byte header")) {
            try VectorFile.readFloats(short)
        }
        let ragged = writeBytes(le32(2) + [UInt8](repeating: 0, count: 8) + le32(3) + [UInt8](repeating: 0, count: 12), "r.fvecs")
        #expect(throws: VectorFileError(path: ragged, message: "truncated: 28 bytes is not a whole number of 12-byte rows of dimension 2")) {
            try VectorFile.readFloats(ragged)
        }
        let mismatch = writeBytes(le32(2) + [UInt8](repeating: 0, count: 8) + le32(3) + [UInt8](repeating: 0, count: 8), "m.fvecs")
        #expect(throws: VectorFileError(path: mismatch, message: "row 1 has dimension 3, expected 2")) {
            try VectorFile.readFloats(mismatch)
        }
        #expect(throws: VectorFileError(path: dir + "/z.txt", message: "unknown vector file extension '.txt' (expected one of .fbin, .ibin, .u8bin, .i8bin, .fvecs, .ivecs, .bvecs)")) {
            try VectorFile.readFloats(dir + "/z.txt")
        }
        let ids = writeBytes(le32(1) + le32(1) + le32(7), "i.ibin")
        #expect(throws: VectorFileError(path: ids, message: ".ibin holds int32, not Float")) {
            let _: Matrix<Float> = try VectorFile.read(ids)
        }
        #expect(throws: VectorFileError.self) { try VectorFile.readFloats(dir + "/missing.fbin") }
    }

    @Test("reads the shared benchmark set's headers and ground truth")
    func sharedSet() throws {
        let root = "../shared/datasets/pypi-minilm-100k"
        guard FileManager.default.fileExists(atPath: root + "/query.fbin") else { return }
        let q = try VectorFile.readFloats(root + "/query.fbin")
        #expect(q.rows == 1000 && q.columns == 384)
        let gt = try VectorFile.readInts(root + "/query.gt100.ibin")
        #expect(gt.rows == 1000 && gt.columns == 100)
        // Unit vectors, as the README says.
        let n = q[0].reduce(0) { $0 + $1 * $1 }
        #expect(abs(n - 1) < 1e-4)
    }
}
