import Foundation

/// The OpenAPI 3 description of every route, built as a value (so tests can compare it
/// with ``Routes/table`` and with real answers) and served as YAML at `/openapi.yaml`.
enum OpenAPIDocument {
    static let yaml = YAMLText.emit(document)

    static func object(_ properties: [String: Any], required: [String] = []) -> [String: Any] {
        var o: [String: Any] = ["type": "object", "properties": properties, "additionalProperties": false]
        if !required.isEmpty { o["required"] = required }
        return o
    }
    static func array(_ items: Any) -> [String: Any] { ["type": "array", "items": items] }
    static func ref(_ name: String) -> [String: Any] { ["$ref": "#/components/schemas/\(name)"] }
    static var string: [String: Any] { ["type": "string"] }
    static var integer: [String: Any] { ["type": "integer"] }
    static var number: [String: Any] { ["type": "number"] }

    static func json(_ schema: [String: Any], _ description: String) -> [String: Any] {
        ["description": description, "content": ["application/json": ["schema": schema]]]
    }
    static var errors: [String: Any] { [
        "400": json(ref("Error"), "The request is not valid JSON or a field is wrong (the message names it)"),
        "413": json(ref("Error"), "The body is larger than the limit"),
        "500": json(ref("Error"), "An internal error"),
    ] }

    static func post(_ summary: String, request: String, response: String, extra: [String: Any] = [:]) -> [String: Any] {
        ["post": [
            "summary": summary,
            "requestBody": ["required": true, "content": ["application/json": ["schema": ref(request)]]],
            "responses": errors.merging(["200": json(ref(response), "The answer")]) { a, _ in a }.merging(extra) { a, _ in a },
        ] as [String: Any]]
    }

    static var schemas: [String: Any] { [
        "Draft": object([
            "title": string, "abstract": string, "authors": array(string),
            "k": ["type": "integer", "minimum": 1, "maximum": 100, "default": 10],
            "year_from": integer, "year_to": integer, "venues": array(string),
            "by_authors": ["type": "array", "items": string, "description": "similar papers: only papers by one of these people"],
            "recall": ["type": "number", "minimum": 0, "maximum": 1, "description": "a recall@k target the store was tuned for (refer tune --store); 422 not_tuned otherwise"],
            "ef": ["type": "integer", "minimum": 1, "maximum": 10000, "description": "a fixed beam width instead of a recall target"],
            "conflict_years": ["type": "integer", "minimum": 0, "description": "co-authorship within this many years is a conflict; 0: any time"],
        ]),
        "SimilarAnswer": object(["papers": array(ref("SimilarPaper"))], required: ["papers"]),
        "SimilarPaper": object(["id": string, "title": string, "score": number, "venue": string, "year": integer, "authors": array(string)],
                               required: ["id", "title", "score", "authors"]),
        "ReviewerAnswer": object(["reviewers": array(ref("Reviewer")), "excluded": array(ref("Exclusion"))], required: ["reviewers", "excluded"]),
        "Reviewer": object(["name": string, "score": number, "evidence": array(ref("Evidence"))], required: ["name", "score", "evidence"]),
        "Evidence": object(["id": string, "title": string, "score": number], required: ["id", "title", "score"]),
        "Exclusion": object(["name": string, "reason": string,
                             "rule": ["type": "string", "enum": ["author", "coauthor", "affiliation", "email_domain", "declared"]],
                             "paper": object(["id": string, "title": string, "year": integer], required: ["title"]),
                             "institution": object(["name": string, "id": string, "reviewer_years": string, "author_years": string], required: ["name"]),
                             "author_id": string, "domain": string],
                            required: ["name", "reason", "rule"]),
        "AssignRequest": object(assignNumbers.merging([
            "submissions": array(object(["id": string, "title": string, "abstract": string, "authors": array(string)], required: ["id", "title"])),
        ]) { a, _ in a }, required: ["submissions"]),
        "Assignment": object([
            "assignment": array(object(["submission_id": string, "reviewer_id": string, "score": number, "bid": string,
                                        "evidence": array(object(["id": string, "title": string, "score": number], required: ["id", "title", "score"]))],
                                       required: ["submission_id", "reviewer_id", "score"])),
            "suggestions": array(object(["submission_id": string, "title": string, "reviewers": array(ref("Reviewer")), "excluded": array(ref("Exclusion"))],
                                        required: ["submission_id", "reviewers", "excluded"])),
            "reviewers": array(object(["name": string, "email": string, "group": string, "min_load": integer, "max_load": integer, "load": integer],
                                      required: ["name", "min_load", "max_load", "load"])),
            "stats": object([
                "objective": string, "optimal": ["type": "boolean"], "min_paper_bound": number,
                "total_score": number, "min_paper_score": number, "mean_paper_score": number,
                "paper_scores": object(["min": number, "p10": number, "median": number, "p90": number, "max": number], required: ["min", "p10", "median", "p90", "max"]),
                "loads": object(["min": integer, "max": integer], required: ["min", "max"]),
                "load_counts": ["type": "object", "additionalProperties": integer],
                "bids": ["type": "object", "additionalProperties": integer],
                "conflicts": ["type": "object", "additionalProperties": integer],
                "skipped_submissions": array(object(["id": string, "reason": string], required: ["id", "reason"])),
                "notes": array(string),
            ], required: ["objective", "optimal", "total_score", "min_paper_score", "mean_paper_score", "paper_scores", "loads", "load_counts", "bids", "conflicts"]),
        ], required: ["assignment", "suggestions", "reviewers", "stats"]),
        "UploadedFile": object(["name": string, "text": string], required: ["name", "text"]),
        "AssignFilesRequest": object([
            "submissions": ref("UploadedFile"),
            "format": ["type": "string", "enum": ["auto", "refer", "openreview", "hotcrp", "cmt", "easychair"], "default": "auto"],
            "committee": ref("UploadedFile"), "bids": ref("UploadedFile"), "loads": ref("UploadedFile"), "groups": ref("UploadedFile"),
            "conflicts": ref("UploadedFile"), "affinities": ref("UploadedFile"), "group_min": array(string),
            "as_of": integer, "include_withdrawn": ["type": "boolean", "default": false], "include_chairs": ["type": "boolean", "default": false],
        ].merging(assignNumbers) { a, _ in a }, required: ["submissions"]),
        "AssignmentWithDownloads": ["allOf": [ref("Assignment"), object([
            "downloads": object(["csv": string, "matcher_csv": string, "matcher_csv_problem": string, "hotcrp_csv": string, "hotcrp_csv_problem": string], required: ["csv"]),
        ], required: ["downloads"])]],
        "Paper": ["type": "object", "required": ["id", "title"], "properties": ["id": string, "title": string, "abstract": string,
                  "authors": array(string), "venue": string, "year": integer, "url": string, "source": string]],
        "Health": object(["status": string, "papers": integer], required: ["status", "papers"]),
        "Error": object(["error": object(["status": integer, "code": string, "message": string], required: ["status", "code", "message"])],
                        required: ["error"]),
    ] }

    /// The numbers both assignment requests take.
    static var assignNumbers: [String: Any] { [
            "reviewers_per_paper": ["type": "integer", "minimum": 1, "maximum": 20, "default": 3],
            "min_load": ["type": "integer", "minimum": 0, "maximum": 1000, "default": 0],
            "max_load": ["type": "integer", "minimum": 1, "maximum": 1000, "default": 6],
            "objective": ["type": "string", "enum": ["sum", "fair"], "default": "sum"],
            "top": ["type": "integer", "minimum": 1, "maximum": 100, "default": 10],
    ] }

    static var document: [String: Any] { [
        "openapi": "3.0.3",
        "info": ["title": "refer", "version": "1.0.0",
                 "description": "Similar papers and reviewer suggestions for a draft, from one paper store."],
        "paths": [
            "/": ["get": ["summary": "The web page", "responses": ["200": ["description": "HTML", "content": ["text/html": ["schema": string]]]]]],
            "/assign": ["get": ["summary": "The web page's assignment view", "responses": ["200": ["description": "HTML", "content": ["text/html": ["schema": string]]]]]],
            "/healthz": ["get": ["summary": "Liveness and the number of papers", "responses": ["200": json(ref("Health"), "Serving")]]],
            "/metrics": ["get": ["summary": "Prometheus metrics", "responses": ["200": ["description": "Prometheus text", "content": ["text/plain": ["schema": string]]]]]],
            "/openapi.yaml": ["get": ["summary": "This document", "responses": ["200": ["description": "OpenAPI 3", "content": ["application/yaml": ["schema": string]]]]]],
            "/v1/similar": post("The stored papers most similar to a draft", request: "Draft", response: "SimilarAnswer",
                                extra: ["422": json(ref("Error"), "A recall the store was not tuned for")]),
            "/v1/reviewers": post("Reviewers for a draft with their evidence; conflicts removed and listed", request: "Draft", response: "ReviewerAnswer",
                                  extra: ["422": json(ref("Error"), "A recall the store was not tuned for")]),
            "/v1/assign": post("Assign the store's committee to submissions (sum: min-cost flow; fair: max-min integer program)", request: "AssignRequest", response: "Assignment",
                               extra: ["422": json(ref("Error"), "No committee, or no assignment meets the constraints (code infeasible, with every reason)")]),
            "/v1/assign/files": post("Assign from a conference system's files (submissions, committee, bids, loads, groups, conflicts), with the CSVs to download",
                                     request: "AssignFilesRequest", response: "AssignmentWithDownloads",
                                     extra: ["422": json(ref("Error"), "A file refused (named with its line), or no assignment meets the constraints (code infeasible)")]),
            "/v1/papers/{id}": ["get": [
                "summary": "One stored paper",
                "parameters": [["name": "id", "in": "path", "required": true, "schema": string]],
                "responses": ["200": json(ref("Paper"), "The paper"), "404": json(ref("Error"), "No such paper")],
            ] as [String: Any]],
        ] as [String: Any],
        "components": ["schemas": schemas],
    ] }
}

/// A minimal YAML emitter for JSON-like values (dictionaries with sorted keys, arrays,
/// strings, numbers, booleans); strings are always double-quoted JSON strings, which
/// YAML reads as they are.
enum YAMLText {
    static func emit(_ value: Any) -> String { lines(value, indent: 0).joined(separator: "\n") + "\n" }

    static func scalar(_ v: Any) -> String? {
        switch v {
        case let b as Bool: return b ? "true" : "false"
        case let i as Int: return String(i)
        case let d as Double: return String(d)
        case let s as String:
            let data = try! JSONSerialization.data(withJSONObject: [s], options: [.withoutEscapingSlashes])
            return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
        default: return nil
        }
    }

    static func lines(_ value: Any, indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        if let dict = value as? [String: Any] {
            if dict.isEmpty { return [pad + "{}"] }
            return dict.keys.sorted().flatMap { key -> [String] in
                let k = scalar(key)!, v = dict[key]!
                if let s = scalar(v) { return ["\(pad)\(k): \(s)"] }
                if let a = v as? [Any], a.isEmpty { return ["\(pad)\(k): []"] }
                if let d = v as? [String: Any], d.isEmpty { return ["\(pad)\(k): {}"] }
                return ["\(pad)\(k):"] + lines(v, indent: indent + 2)
            }
        }
        if let array = value as? [Any] {
            return array.flatMap { item -> [String] in
                if let s = scalar(item) { return ["\(pad)- \(s)"] }
                var inner = lines(item, indent: indent + 2)
                inner[0] = pad + "- " + inner[0].dropFirst(indent + 2)
                return inner
            }
        }
        return [pad + (scalar(value) ?? "null")]
    }
}
