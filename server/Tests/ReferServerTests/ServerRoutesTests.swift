import Foundation
import Papers
import Testing
@testable import ReferServer

@Suite(.serialized) struct ServerRoutesTests {

    @Test("POST /v1/similar and /v1/reviewers answer the CLI's JSON; conflicts are listed")
    func queries() async throws {
        let server = try await ServerHarness.shared()
        let body = #"{"title": "Tools for GPU performance profiling", "abstract": "A profiler that attributes GPU kernel stalls to source lines.", "authors": ["Yuxiong He"], "k": 3}"#
        let similar = try await server.post("/v1/similar", json: body)
        #expect(similar.status == 200 && similar.type.hasPrefix("application/json"))
        let papers = try JSONDecoder().decode(SimilarAnswer.self, from: similar.body).papers
        #expect(papers.count == 3 && papers[0].score >= papers[2].score)
        let reviewers = try await server.post("/v1/reviewers", json: body)
        let answer = try JSONDecoder().decode(ReviewerAnswer.self, from: reviewers.body)
        #expect(answer.reviewers.first?.name == "Keren Zhou" && answer.reviewers.count == 3)
        #expect(answer.reviewers.allSatisfy { $0.evidence.count == 3 })
        #expect(answer.excluded.map(\.name) == ["Minjia Zhang"])
        // The same answer as the CLI's --json (same library call, same encoding): the same
        // reviewers, evidence and exclusions in the same order, and the same scores to 1e-5.
        // Not bit for bit: the server embeds concurrent requests (other suites' tests run
        // beside this one) in one batch, and a batched matrix product sums in another order.
        let cli = try JSONDecoder().decode(ReviewerAnswer.self, from: try runCLI(
            ["reviewers", "--store", server.storePath, "--title", "Tools for GPU performance profiling",
             "--abstract", "A profiler that attributes GPU kernel stalls to source lines.", "--authors", "Yuxiong He", "--k", "3", "--json"]))
        #expect(cli.excluded == answer.excluded)
        #expect(cli.reviewers.map(\.name) == answer.reviewers.map(\.name))
        #expect(cli.reviewers.map { $0.evidence.map(\.id) } == answer.reviewers.map { $0.evidence.map(\.id) })
        let scores = { (a: ReviewerAnswer) in a.reviewers.flatMap { [$0.score] + $0.evidence.map(\.score) } }
        #expect(zip(scores(cli), scores(answer)).allSatisfy { abs($0 - $1) <= 1e-5 })
    }

    @Test("GET /v1/papers/{id}, /healthz, /metrics and / answer; unknown paths and methods give JSON errors")
    func otherRoutes() async throws {
        let server = try await ServerHarness.shared()
        let id = "aisys2023:osdi-2018:ray-a-distributed-framework-for-emerging-ai-applications"
        let paper = try await server.request("GET", "/v1/papers/" + id.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
        #expect(paper.status == 200)
        #expect((try JSONSerialization.jsonObject(with: paper.body) as? [String: Any])?["title"] as? String == "Ray: A Distributed Framework for Emerging AI Applications")
        let missing = try await server.request("GET", "/v1/papers/nope")
        #expect(missing.status == 404 && errorCode(missing.body) == "not_found")
        let health = try await server.request("GET", "/healthz")
        #expect(String(decoding: health.body, as: UTF8.self) == #"{"papers":233,"status":"ok"}"#)
        let page = try await server.request("GET", "/")
        #expect(page.status == 200 && page.type.hasPrefix("text/html") && String(decoding: page.body, as: UTF8.self).contains("<form id=\"draft\""))
        let wrongMethod = try await server.request("GET", "/v1/similar")
        #expect(wrongMethod.status == 405 && errorCode(wrongMethod.body) == "method_not_allowed")
        let unknown = try await server.request("GET", "/v2/whatever")
        #expect(unknown.status == 404 && errorCode(unknown.body) == "not_found")
        let metrics = String(decoding: try await server.request("GET", "/metrics").body, as: UTF8.self)
        #expect(metrics.contains(#"refer_http_requests_total{route="/healthz",method="GET",status="200"}"#))
        #expect(metrics.contains("refer_index_papers 233.0"))
        #expect(metrics.contains(#"route="unmatched""#) && !metrics.contains("/v2/whatever"))
    }

    @Test("POST /v1/assign gives every submission its reviewers within the load cap, fairly when asked; an impossible one is a 422 with its reasons")
    func assign() async throws {
        let server = try await ServerHarness.shared()
        let body = #"""
        {"submissions": [
          {"id": "s1", "title": "GPU profiling", "authors": ["Keren Zhou"]},
          {"id": "s2", "title": "Learned early termination for vector search"},
          {"id": "s3", "title": "Distributed training of giant models on heterogeneous GPUs"}],
         "reviewers_per_paper": 2, "max_load": 2}
        """#
        let r = try await server.post("/v1/assign", json: body)
        #expect(r.status == 200)
        let result = try JSONDecoder().decode(ConferenceAssignment.self, from: r.body)
        #expect(result.assignment.count == 6 && result.stats.objective == "sum")
        #expect(Dictionary(grouping: result.assignment, by: \.reviewer_id).values.allSatisfy { $0.count <= 2 })
        #expect(!result.assignment.contains { $0.submission_id == "s1" && $0.reviewer_id == "Keren Zhou" })
        let fair = try await server.post("/v1/assign", json: body.replacingOccurrences(of: #""max_load": 2"#, with: #""max_load": 2, "objective": "fair""#))
        let fairResult = try JSONDecoder().decode(ConferenceAssignment.self, from: fair.body)
        #expect(fair.status == 200 && fairResult.stats.objective == "fair" && fairResult.stats.min_paper_score >= result.stats.min_paper_score - 1e-9)
        let tight = try await server.post("/v1/assign", json: body.replacingOccurrences(of: #""max_load": 2"#, with: #""max_load": 1"#))
        #expect(tight.status == 422 && (errorMessage(tight.body) ?? "").contains("the maximum loads add up to 4 reviews, but 3 submissions × 2 reviewers need 6"))
        let bad = try await server.post("/v1/assign", json: #"{"submissions": [{"id": "a", "title": "x"}, {"id": "a", "title": "y"}]}"#)
        #expect(bad.status == 400 && errorMessage(bad.body) == "submissions[1].id: empty or repeated ('a')")
    }

    @Test("POST /v1/assign/files: a HotCRP export and PC table in, the assignment and its CSVs out; a bad bid names its file and line")
    func assignFiles() async throws {
        let server = try await ServerHarness.shared()
        func file(_ name: String, _ text: String) -> [String: String] { ["name": name, "text": text] }
        let papers = #"[{"pid": 1, "title": "GPU cluster scheduling for deep learning", "authors": [{"first": "Ana", "last": "Silva", "email": "ana@uni-a.edu"}], "pc_conflicts": {"lidong@pc.org": "advisor"}}, {"pid": 2, "title": "Tensor compilers for accelerators"}]"#
        let pc = "given_name,family_name,email\nLidong,Zhou,lidong@pc.org\nFan,Yang,fan.yang@pc.org\nZhihao,Jia,zhihao@pc.org\n"
        var body: [String: Any] = ["submissions": file("../../etc/data.json", papers), "committee": file("pcinfo.csv", pc),
                                   "reviewers_per_paper": 1, "max_load": 1, "objective": "fair"]
        let r = try await server.post("/v1/assign/files", json: String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self))
        #expect(r.status == 200)
        let answer = try JSONSerialization.jsonObject(with: r.body) as! [String: Any]
        let pairs = answer["assignment"] as! [[String: Any]], downloads = answer["downloads"] as! [String: Any]
        #expect(pairs.count == 2 && !pairs.contains { $0["submission_id"] as? String == "1" && $0["reviewer_id"] as? String == "Lidong Zhou" })
        #expect((downloads["hotcrp_csv"] as! String).hasPrefix("paper,action,email\n") && (downloads["csv"] as! String).hasPrefix("submission_id,reviewer_id,score\n"))
        body["bids"] = file("allprefs.csv", "paper,email,preference\n1,lidong@pc.org,lots\n")
        let bad = try await server.post("/v1/assign/files", json: String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self))
        #expect(bad.status == 422 && errorMessage(bad.body) == "allprefs.csv:2: field 'preference': 'lots' is not yes, maybe, no, conflict or a preference from -1000000 to 1000000")
    }

    @Test("a store written by `refer ingest` while serving: the next request sees the new paper")
    func ingestWhileServing() async throws {
        let server = try await ServerHarness.shared()
        let before = try await server.request("GET", "/healthz")
        let line = #"{"id": "live-1", "title": "A paper added while the server runs", "authors": ["Ada Lovelace"]}"#
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("live-\(UUID().uuidString).jsonl").path
        try line.write(toFile: file, atomically: true, encoding: .utf8)
        async let load: [Int] = withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<20 { group.addTask { try await server.post("/v1/similar", json: #"{"title": "GPU kernels", "k": 5}"#).status } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(ServerHarness.run(ServerHarness.referBinary, ["ingest", file, "--store", server.storePath]) == 0)
        #expect(try await load.allSatisfy { $0 == 200 })
        #expect(before.status == 200)
        let paper = try await server.request("GET", "/v1/papers/live-1")
        #expect(paper.status == 200)
        #expect(String(decoding: try await server.request("GET", "/healthz").body, as: UTF8.self) == #"{"papers":234,"status":"ok"}"#)
        _ = ServerHarness.run(ServerHarness.referBinary, ["delete", "live-1", "--store", server.storePath])
    }

    @Test("a request picks its effort: ef, or a recall the store must be tuned for (422 naming the remedy); /metrics counts evaluations by target")
    func effort() async throws {
        let server = try await ServerHarness.shared()
        let withEf = try await server.post("/v1/similar", json: #"{"title": "GPU kernels", "k": 3, "ef": 16}"#)
        #expect(withEf.status == 200)
        let tuned = try await server.post("/v1/similar", json: #"{"title": "GPU kernels", "k": 3, "recall": 0.95}"#)
        #expect(tuned.status == 422)
        #expect(String(decoding: tuned.body, as: UTF8.self).contains("is not tuned for recall 0.95: run refer tune --store"))
        let both = try await server.post("/v1/reviewers", json: #"{"title": "GPU kernels", "recall": 0.9, "ef": 16}"#)
        #expect(both.status == 400 && String(decoding: both.body, as: UTF8.self).contains("give recall or ef, not both"))
        let filtered = try await server.post("/v1/similar", json: #"{"title": "GPU kernels", "k": 3, "by_authors": ["Yuxiong He"]}"#)
        let papers = try JSONDecoder().decode(SimilarAnswer.self, from: filtered.body).papers
        #expect(!papers.isEmpty && papers.allSatisfy { $0.authors.contains("Yuxiong He") })
        let text = String(decoding: try await server.request("GET", "/metrics").body, as: UTF8.self)
        #expect(text.contains(#"refer_search_distance_evaluations_count{target="ef",method="ef"}"#))
    }

    @Test("concurrent queries are embedded in batches (fewer forward passes than requests)")
    func batching() async throws {
        let server = try await ServerHarness.shared()
        func batches() async throws -> Double {
            let text = String(decoding: try await server.request("GET", "/metrics").body, as: UTF8.self)
            let line = text.split(separator: "\n").first { $0.hasPrefix("refer_embedding_batch_size_queries_count") }
            return line.flatMap { Double($0.split(separator: " ").last!) } ?? 0
        }
        let start = try await batches()
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<48 { group.addTask { try await server.post("/v1/similar", json: #"{"title": "query number \#(i) about GPU scheduling", "k": 3}"#).status } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.count == 48 && statuses.allSatisfy { $0 == 200 })
        let used = try await batches() - start
        #expect(used >= 1 && used < 48)
    }

    func runCLI(_ arguments: [String]) throws -> Data {
        let p = Process(), out = Pipe()
        p.executableURL = URL(fileURLWithPath: ServerHarness.referBinary)
        p.arguments = arguments
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return data
    }
}

func errorObject(_ body: Data) -> [String: Any]? {
    ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any])?["error"] as? [String: Any]
}
func errorCode(_ body: Data) -> String? { errorObject(body)?["code"] as? String }
func errorMessage(_ body: Data) -> String? { errorObject(body)?["message"] as? String }
