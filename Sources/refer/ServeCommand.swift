import ArgumentParser
import Foundation
import Logging
import Papers
import ReferServer
import Storage

/// `refer serve`: the HTTP server and web page over one store.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve similar papers, reviewers and assignments over HTTP, with a web page at /.",
        discussion: """
        Routes: POST /v1/similar, POST /v1/reviewers, POST /v1/assign, GET /v1/papers/{id}, GET /healthz, \
        GET /metrics (Prometheus), GET /openapi.yaml, GET / (the web page). Errors are JSON: \
        {"error": {"status", "code", "message"}}. The store is read-only here; `refer ingest` may write \
        to it meanwhile. Ctrl+C or SIGTERM stops after the requests in flight.
        Example:
          refer serve --store refer-store --port 8080
        """
    )
    @OptionGroup var storeOption: StoreOption
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port (0: any free port).") var port = 8080
    @Option(help: "Model directory.") var modelDir: String?
    @Option(help: "Log level: trace, debug, info, notice, warning, error.") var logLevel = "info"
    @Option(help: ArgumentHelp("Declared conflicts, CSV reviewer,author_or_domain,reason (repeatable).", valueName: "file"))
    var declaredConflicts: [String] = []

    func run() async throws {
        guard let level = Logger.Level(rawValue: logLevel) else { throw ValidationError("--log-level: unknown level '\(logLevel)'") }
        var logger = Logger(label: "refer.server")
        logger.logLevel = level
        var configuration = ReferServer.Configuration(storePath: storeOption.store)
        configuration.host = host; configuration.port = port; configuration.modelDirectory = modelDir
        configuration.declaredConflicts = try DeclaredConflicts(files: declaredConflicts)
        // A declaration whose reviewer is nobody on the store's committee could never apply: refused before serving.
        if !declaredConflicts.isEmpty, let committee = try Committee.stored(in: try PaperStore(path: storeOption.store, readOnly: true).searcher()) {
            var problems = InputProblems()
            for p in configuration.declaredConflicts.problems(against: committee) { problems.add(p) }
            try problems.check()
        }
        let host = self.host, store = storeOption.store
        try await ReferServer.run(configuration, logger: logger) { port in
            // Unbuffered, so a script waiting for this line sees it at once.
            FileHandle.standardOutput.write(Data("refer: serving \(store) at http://\(host):\(port)/\n".utf8))
        }
    }
}
