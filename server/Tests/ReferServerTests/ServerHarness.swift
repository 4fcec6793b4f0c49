import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import Logging
@testable import ReferServer

/// A real server on a free port over a store of the bundled corpus and seed committee,
/// built once with the `refer` binary (as the README's run command does).
final class ServerHarness: Sendable {
    let storePath: String
    let port: Int

    static let referBinary = ".build/debug/refer"

    /// Started once, on first use; later calls get the same server. Nothing here blocks
    /// a thread on the server starting (that would starve the executor that starts it).
    static func shared() async throws -> ServerHarness { try await Starter.instance.harness() }

    actor Starter {
        static let instance = Starter()
        private var started: Task<ServerHarness, any Error>?

        func harness() async throws -> ServerHarness {
            if started == nil { started = Task { try await ServerHarness.start() } }
            return try await started!.value
        }
    }

    private init(storePath: String, port: Int) { self.storePath = storePath; self.port = port }

    private static func start() async throws -> ServerHarness {
        let storePath = FileManager.default.temporaryDirectory.appendingPathComponent("server-\(UUID().uuidString)").path
        let status = run(referBinary, ["ingest", "datasets/aisys2023/papers.jsonl", "--committee", "datasets/committee", "--store", storePath])
        precondition(status == 0, "refer ingest failed")
        var logger = Logger(label: "refer.server.test")
        logger.logLevel = .warning
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = try ReferServer.makeApplication(.init(storePath: storePath).with(port: 0), logger: logger) { port in continuation.yield(port) }
        Task { try await app.runService() }
        for await port in ports { return ServerHarness(storePath: storePath, port: port) }
        fatalError("the server did not start")
    }

    @discardableResult
    static func run(_ binary: String, _ arguments: [String]) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try! p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }

    var base: String { "http://127.0.0.1:\(port)" }

    /// Status, body and content type of one request.
    func request(_ method: String, _ path: String, body: Data? = nil) async throws -> (status: Int, body: Data, type: String) {
        var r = URLRequest(url: URL(string: base + path)!)
        r.httpMethod = method
        r.httpBody = body
        if body != nil { r.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        r.timeoutInterval = 60
        let (data, response) = try await URLSession.shared.data(for: r)
        let http = response as! HTTPURLResponse
        return (http.statusCode, data, http.value(forHTTPHeaderField: "Content-Type") ?? "")
    }

    func post(_ path: String, json: String) async throws -> (status: Int, body: Data, type: String) {
        try await request("POST", path, body: Data(json.utf8))
    }
}

extension ReferServer.Configuration {
    func with(port: Int) -> Self { var c = self; c.port = port; return c }
}
