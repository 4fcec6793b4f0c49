import Foundation
import Hummingbird
import Logging
import Papers

/// The HTTP routes: each decodes, calls the domain through ``QueryService``, encodes.
enum Routes {
    /// Every route the server answers, in the OpenAPI document's spelling (a test checks
    /// the document against this list and the router against the document).
    static let table: [(method: String, path: String)] = [
        ("GET", "/"), ("GET", "/healthz"), ("GET", "/metrics"), ("GET", "/openapi.yaml"),
        ("GET", "/assign"), ("POST", "/v1/similar"), ("POST", "/v1/reviewers"), ("POST", "/v1/assign"), ("POST", "/v1/assign/files"),
        ("GET", "/v1/papers/{id}"),
    ]

    /// Whether `path` fits a template of ``table`` (`{name}` matches one segment).
    static func matches(template: String, path: String) -> Bool {
        let t = template.split(separator: "/", omittingEmptySubsequences: false), p = path.split(separator: "/", omittingEmptySubsequences: false)
        return t.count == p.count && zip(t, p).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
    }

    static func router(service: QueryService, metrics: ServerMetrics) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        router.add(middleware: LogRequestsMiddleware(.info))
        router.add(middleware: ErrorMiddleware())
        let limits = service.limits

        router.get("/") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: WebPage.html)))
        }
        router.get("/assign") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: AssignPage.html)))
        }
        router.get("/healthz") { _, _ in
            struct Health: Encodable { var status: String; var papers: Int }
            return try JSONResponse.make(Health(status: "ok", papers: service.paperCount))
        }
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.exposition(papers: service.paperCount))))
        }
        router.get("/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml)))
        }
        router.post("/v1/similar") { request, _ in
            let body = try await read(request, upTo: limits.queryBodyBytes)
            return try JSONResponse.make(try await service.similar(try decodeBody(DraftRequest.self, from: body)))
        }
        router.post("/v1/reviewers") { request, _ in
            let body = try await read(request, upTo: limits.queryBodyBytes)
            return try JSONResponse.make(try await service.reviewers(try decodeBody(DraftRequest.self, from: body)))
        }
        router.post("/v1/assign") { request, _ in
            let body = try await read(request, upTo: limits.assignBodyBytes)
            return try JSONResponse.make(try await service.assign(try decodeBody(AssignRequest.self, from: body)))
        }
        router.post("/v1/assign/files") { request, _ in
            let body = try await read(request, upTo: limits.assignBodyBytes)
            return try JSONResponse.make(try await service.assignFiles(try decodeBody(AssignFilesRequest.self, from: body)))
        }
        router.get("/v1/papers/{id}") { _, context in
            let raw = context.parameters.get("id") ?? ""
            let id = raw.removingPercentEncoding ?? raw
            guard let json = try service.paperJSON(id) else { throw APIError(.notFound, "not_found", "no paper '\(id)'") }
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: json)))
        }
        return router
    }

    static func read(_ request: Request, upTo limit: Int) async throws -> Data {
        do {
            var buffer = try await request.body.collect(upTo: limit)
            return buffer.readData(length: buffer.readableBytes) ?? Data()
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw APIError(.contentTooLarge, "too_large", "the request body is larger than \(limit) bytes")
        }
    }
}

/// Counts and times every request under its route template ("unmatched" for none).
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    /// The matched route's template, or "unmatched" (so unknown paths cannot grow the label set).
    static func route(_ context: Context) -> String {
        guard let path = context.endpointPath, Routes.table.contains(where: { $0.path == path }) else { return "unmatched" }
        return path
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            metrics.request(route: Self.route(context), method: "\(request.method)", status: response.status.code,
                            duration: ContinuousClock.now - start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.request(route: Self.route(context), method: "\(request.method)", status: status,
                            duration: ContinuousClock.now - start)
            throw error
        }
    }
}
