import Foundation
import Prometheus
import Storage

/// What `/metrics` reports, in Prometheus text: requests by route, method and status,
/// request latency by route, the papers in the index, and the embedder's batches.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private static let latencyBuckets: [Duration] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
        .map { Duration.microseconds(Int64($0 * 1e6)) }

    private static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "refer", metricName: metric, unitName: unit, helpText: help)
    }
    private static var requests: MetricNameDescriptor { name("http_requests", "total", "HTTP requests answered, by route, method and status") }
    private static var latency: MetricNameDescriptor { name("http_request_duration", "seconds", "Time to answer a request, by route") }
    private static var batchTime: MetricNameDescriptor { name("embedding_batch_duration", "seconds", "Time of one embedder forward pass over a batch of queries") }
    private static var batchSize: MetricNameDescriptor { name("embedding_batch_size", "queries", "Queries embedded together in one batch") }
    private static var evaluations: MetricNameDescriptor {
        name("search_distance", "evaluations", "Distance evaluations of one index search, by recall target (\"ef\" for a fixed beam) and method")
    }
    private static var papers: MetricNameDescriptor { name("index", "papers", "Papers in the index of the served store") }

    func request(route: String, method: String, status: Int, duration: Duration) {
        registry.makeCounter(descriptor: Self.requests, labels: [("route", route), ("method", method), ("status", String(status))]).increment()
        registry.makeDurationHistogram(descriptor: Self.latency, labels: [("route", route)], buckets: Self.latencyBuckets).record(duration)
    }

    func embeddingBatch(size: Int, seconds: Double) {
        registry.makeDurationHistogram(descriptor: Self.batchTime, buckets: Self.latencyBuckets).record(.nanoseconds(Int64(seconds * 1e9)))
        registry.makeValueHistogram(descriptor: Self.batchSize, buckets: [1, 2, 4, 8, 16, 32, 64]).record(Double(size))
    }

    /// One index search: its distance evaluations under its target and method (learned, plain, ef, exact).
    func search(_ cost: StoreSearchCost) {
        let target = cost.target.map { String(format: "%g", $0) } ?? "ef"
        registry.makeValueHistogram(descriptor: Self.evaluations, labels: [("target", target), ("method", cost.method)],
                                    buckets: [64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768]).record(Double(cost.evaluations))
    }

    /// The text exposition, with the index size read now.
    func exposition(papers: Int) -> String {
        registry.makeGauge(descriptor: Self.papers).set(Double(papers))
        return registry.emitToString()
    }
}
