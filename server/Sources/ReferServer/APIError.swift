import Foundation
import Hummingbird

/// Every 4xx and 5xx answer has this JSON shape:
/// `{"error": {"status": 400, "code": "invalid_field", "message": "k: must be from 1 to 100, got 0"}}`.
public struct APIError: Error, Sendable, Equatable, HTTPResponseError {
    public var status: HTTPResponse.Status
    /// A stable machine-readable code: `invalid_json`, `invalid_field`, `too_large`,
    /// `not_found`, `method_not_allowed`, `unavailable`, `internal`.
    public var code: String
    public var message: String

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
        self.status = status; self.code = code; self.message = message
    }

    static func invalidField(_ field: String, _ problem: String) -> APIError { APIError(.badRequest, "invalid_field", "\(field): \(problem)") }

    struct Body: Codable, Equatable { var error: Detail }
    struct Detail: Codable, Equatable { var status: Int; var code: String; var message: String }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        try JSONResponse.make(Body(error: Detail(status: status.code, code: code, message: message)), status: status)
    }
}

/// Encodes answers the way the CLI's `--json` does (sorted keys), so both are the same JSON.
enum JSONResponse {
    static func make<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Turns every error into the JSON shape above, so a client never sees HTML or an
/// empty 500, and logs the unexpected ones.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPResponseError {
            switch error.status {
            case .notFound:
                let path = request.uri.path
                let methods = Routes.table.filter { Routes.matches(template: $0.path, path: path) }.map(\.method)
                if !methods.isEmpty {
                    throw APIError(.methodNotAllowed, "method_not_allowed", "\(request.method) is not allowed on \(path); use \(methods.joined(separator: " or "))")
                }
                throw APIError(.notFound, "not_found", "no route \(request.method) \(path)")
            case .methodNotAllowed: throw APIError(.methodNotAllowed, "method_not_allowed", "\(request.method) is not allowed on \(request.uri.path)")
            case .contentTooLarge: throw APIError(.contentTooLarge, "too_large", "the request body is larger than the limit")
            default: throw APIError(error.status, "http_\(error.status.code)", error.status.reasonPhrase)
            }
        } catch {
            context.logger.error("internal error", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            throw APIError(.internalServerError, "internal", "internal error: \(error)")
        }
    }
}
