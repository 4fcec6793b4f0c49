import Foundation
import Testing
@testable import ReferServer

@Suite(.serialized) struct OpenAPIDocumentTests {

    @Test("the document's paths and methods are exactly the routes the server answers")
    func pathsMatchRoutes() async throws {
        let server = try await ServerHarness.shared()
        let paths = OpenAPIDocument.document["paths"] as! [String: [String: Any]]
        let documented = Set(paths.flatMap { path, ops in ops.keys.map { "\($0.uppercased()) \(path)" } })
        #expect(documented == Set(Routes.table.map { "\($0.method) \($0.path)" }))
        // Every documented route answers (not 404/405) on the running server.
        for (method, path) in Routes.table {
            let concrete = path.replacingOccurrences(of: "{id}", with: "aisys2023%3Aosdi-2018%3Aray-a-distributed-framework-for-emerging-ai-applications")
            let r = try await server.request(method, concrete, body: method == "POST" ? Data("{}".utf8) : nil)
            #expect(r.status != 404 && r.status != 405, "\(method) \(path): \(r.status)")
        }
        let served = try await server.request("GET", "/openapi.yaml")
        #expect(served.status == 200 && String(decoding: served.body, as: UTF8.self) == OpenAPIDocument.yaml)
        #expect(OpenAPIDocument.yaml.hasPrefix("\"components\":") && OpenAPIDocument.yaml.contains("\n\"openapi\": \"3.0.3\"\n"))
    }

    /// Checks a JSON value against a schema of the document: types, required fields, no undeclared fields.
    func validate(_ value: Any, _ schema: [String: Any], at path: String = "$") -> [String] {
        if let ref = schema["$ref"] as? String {
            let name = String(ref.split(separator: "/").last!)
            let schemas = (OpenAPIDocument.document["components"] as! [String: Any])["schemas"] as! [String: Any]
            return validate(value, schemas[name] as! [String: Any], at: path)
        }
        switch schema["type"] as? String {
        case "object":
            guard let o = value as? [String: Any] else { return ["\(path): not an object"] }
            let props = schema["properties"] as? [String: Any] ?? [:]
            var problems = ((schema["required"] as? [String]) ?? []).filter { o[$0] == nil }.map { "\(path).\($0): missing" }
            if schema["additionalProperties"] as? Bool == false { problems += o.keys.filter { props[$0] == nil }.map { "\(path).\($0): undeclared" } }
            for (k, v) in o { if let s = props[k] as? [String: Any] { problems += validate(v, s, at: "\(path).\(k)") } }
            return problems
        case "array":
            guard let a = value as? [Any] else { return ["\(path): not an array"] }
            return a.enumerated().flatMap { validate($1, schema["items"] as! [String: Any], at: "\(path)[\($0)]") }
        case "string": return value is String ? [] : ["\(path): not a string"]
        case "integer": return value is Int ? [] : ["\(path): not an integer"]
        case "number": return value is Double || value is Int ? [] : ["\(path): not a number"]
        default: return []
        }
    }

    func responseSchema(_ path: String, _ method: String, _ status: String) -> [String: Any] {
        let op = ((OpenAPIDocument.document["paths"] as! [String: Any])[path] as! [String: Any])[method] as! [String: Any]
        let response = (op["responses"] as! [String: Any])[status] as! [String: Any]
        return ((response["content"] as! [String: Any])["application/json"] as! [String: Any])["schema"] as! [String: Any]
    }

    @Test("real answers and errors fit the document's schemas")
    func answersFitSchemas() async throws {
        let server = try await ServerHarness.shared()
        let draft = #"{"title": "GPU profiling tools", "abstract": "A profiler.", "authors": ["Yuxiong He"], "k": 4}"#
        let cases: [(String, String, String?, String)] = [
            ("/v1/similar", "post", draft, "200"), ("/v1/reviewers", "post", draft, "200"),
            ("/v1/assign", "post", #"{"submissions": [{"id": "s", "title": "GPU profiling"}], "reviewers_per_paper": 2, "max_load": 1}"#, "200"),
            ("/v1/similar", "post", #"{"k": 0}"#, "400"), ("/healthz", "get", nil, "200"),
            ("/v1/papers/{id}", "get", nil, "404"),
        ]
        for (path, method, body, status) in cases {
            let concrete = path.replacingOccurrences(of: "{id}", with: "no-such-paper")
            let r = try await server.request(method.uppercased(), concrete, body: body.map { Data($0.utf8) })
            #expect(String(r.status) == status, "\(method) \(path)")
            let json = try JSONSerialization.jsonObject(with: r.body)
            #expect(validate(json, responseSchema(path, method, status)) == [], "\(method) \(path)")
        }
    }
}
