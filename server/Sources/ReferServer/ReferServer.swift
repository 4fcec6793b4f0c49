import Embedding
import Foundation
import Hummingbird
import Logging
import Papers
import Storage

/// `refer serve`: answers similar-paper, reviewer and assignment requests for one store
/// over HTTP, with a web page at `/`. The store is opened read-only, so `refer ingest`
/// can add papers while it serves (each request sees the newest committed state).
/// SIGINT and SIGTERM stop it gracefully: requests in flight finish first.
public enum ReferServer {
    public struct Configuration: Sendable {
        public var storePath: String
        public var host = "127.0.0.1"
        public var port = 8080
        public var modelDirectory: String?
        public var limits = RequestLimits()
        /// Declared conflicts applied to every reviewers and assignment request.
        public var declaredConflicts = DeclaredConflicts()

        public init(storePath: String) { self.storePath = storePath }
    }

    /// Serves until a shutdown signal. `onRunning` gets the bound port (useful with port 0).
    public static func run(_ configuration: Configuration, logger: Logger = Logger(label: "refer.server"),
                           onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let app = try makeApplication(configuration, logger: logger, onRunning: onRunning)
        try await app.runService()
    }

    public static func makeApplication(_ configuration: Configuration, logger: Logger = Logger(label: "refer.server"),
                                       onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) throws -> some ApplicationProtocol {
        let store = try PaperStore(path: configuration.storePath, readOnly: true)
        let metrics = ServerMetrics()
        let service = try QueryService(store: store, embedder: try Embedder.forStore(store.searcher(), modelDirectory: configuration.modelDirectory),
                                       limits: configuration.limits, declared: configuration.declaredConflicts,
                                       observeEmbedding: { metrics.embeddingBatch(size: $0, seconds: $1) },
                                       observeSearch: { metrics.search($0) })
        return Application(
            router: Routes.router(service: service, metrics: metrics),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "refer"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
    }
}
