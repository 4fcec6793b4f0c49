import Foundation
import Testing
@testable import ReferServer

/// Every request decoder against hostile bodies: always a 4xx with the JSON error shape,
/// never a crash, and the server keeps answering during and after.
@Suite(.serialized) struct RequestFuzzTests {
    static let routes = ["/v1/similar", "/v1/reviewers", "/v1/assign"]

    /// Checks one hostile body on every POST route.
    func expectRejected(_ body: Data, status expected: Int? = nil, _ note: String) async throws {
        let server = try await ServerHarness.shared()
        for route in Self.routes {
            let r = try await server.request("POST", route, body: body)
            #expect((400..<500).contains(r.status), "\(note) on \(route): status \(r.status)")
            if let expected { #expect(r.status == expected, "\(note) on \(route)") }
            let error = errorObject(r.body)
            #expect(error?["status"] as? Int == r.status && error?["code"] is String && error?["message"] is String,
                    "\(note) on \(route): \(String(decoding: r.body.prefix(200), as: UTF8.self))")
        }
    }

    @Test("malformed JSON, wrong types, huge numbers, invalid UTF-8, deep nesting")
    func handWritten() async throws {
        let server = try await ServerHarness.shared()
        let cases: [(String, Data)] = [
            ("empty body", Data()),
            ("truncated", Data(#"{"title": "x""#.utf8)),
            ("not an object", Data("[1, 2, 3]".utf8)),
            ("bare string", Data(#""title""#.utf8)),
            ("title a number", Data(#"{"title": 5, "submissions": 5}"#.utf8)),
            ("k a string", Data(#"{"title": "x", "k": "ten", "submissions": []}"#.utf8)),
            ("k huge", Data(#"{"title": "x", "k": 1e308, "submissions": [], "max_load": 1e308}"#.utf8)),
            ("k beyond Int64", Data(#"{"title": "x", "k": 99999999999999999999999, "submissions": [{"id": "a", "title": "b"}], "top": 99999999999999999999999}"#.utf8)),
            ("k negative", Data(#"{"title": "x", "k": -1, "submissions": [{"id": "a", "title": "b"}], "reviewers_per_paper": -1}"#.utf8)),
            ("authors not a list", Data(#"{"title": "x", "authors": "A; B", "submissions": [{"id": 1}]}"#.utf8)),
            ("null everywhere", Data(#"{"title": null, "abstract": null, "submissions": null}"#.utf8)),
            ("empty draft", Data(#"{"title": "  ", "abstract": "", "submissions": [{"id": "", "title": ""}]}"#.utf8)),
            ("invalid UTF-8", Data([0x7b, 0x22, 0x74, 0x69, 0x74, 0x6c, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d])),
            ("deep nesting", Data((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8)),
            ("deep objects", Data((String(repeating: #"{"a":"#, count: 50_000) + "1" + String(repeating: "}", count: 50_000)).utf8)),
            ("NUL bytes", Data([0x7b, 0x00, 0x00, 0x7d])),
        ]
        for (note, body) in cases { try await expectRejected(body, note) }
    }

    @Test("bodies over the limit (10 MB) are refused with 413")
    func tooLarge() async throws {
        let server = try await ServerHarness.shared()
        var big = Data(#"{"title": ""#.utf8)
        big.append(Data(repeating: UInt8(ascii: "a"), count: 10 * 1024 * 1024))
        big.append(Data(#""}"#.utf8))
        try await expectRejected(big, status: 413, "10 MB")
        let health = try await server.request("GET", "/healthz")
        #expect(health.status == 200)
    }

    @Test("1,000 random mutations of valid requests: 2xx or a JSON 4xx, never a crash; /healthz answers throughout")
    func randomMutations() async throws {
        let server = try await ServerHarness.shared()
        var rng = SeededGenerator(seed: 20261123)
        let seeds = [#"{"title": "GPU profiling", "abstract": "A profiler.", "authors": ["Keren Zhou"], "k": 3}"#,
                     #"{"submissions": [{"id": "s1", "title": "GPU profiling"}], "reviewers_per_paper": 1, "max_load": 2}"#]
        for i in 0..<1000 {
            var bytes = Array(seeds[i % 2].utf8)
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                let at = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: bytes[at] = UInt8.random(in: 0...255, using: &rng)
                case 1: bytes.remove(at: at)
                case 2: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: at)
                default: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + 8)], at: at)
                }
                if bytes.isEmpty { bytes = [0x7b] }
            }
            let route = Self.routes[(i / 2) % 3]
            let r = try await server.request("POST", route, body: Data(bytes))
            #expect((200..<300).contains(r.status) || ((400..<500).contains(r.status) && errorObject(r.body)?["status"] as? Int == r.status),
                    "\(route) \(String(decoding: bytes, as: UTF8.self)): \(r.status)")
            if i % 100 == 0 { #expect(try await server.request("GET", "/healthz").status == 200) }
        }
        #expect(try await server.request("GET", "/healthz").status == 200)
    }
}

/// A small deterministic generator (SplitMix64), so a failing mutation can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
