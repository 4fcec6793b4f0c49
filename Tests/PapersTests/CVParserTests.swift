import Foundation
import Names
import Testing
@testable import Papers

@Suite struct CVParserTests {
    static let cvs: [(file: String, name: String, publications: Int)] = [
        ("000_b9f767d90e4ad952.txt", "Keren Zhou", 29),
        ("001_9c2814318dd6f793.txt", "Zhen Zheng", 17),
        ("002_2a2936b1bb8b9e31.txt", "Minjia Zhang", 22),
        ("003_ad9c3864038a71b5.txt", "Hongyu Zhu", 4),
    ]

    @Test("each seed CV gives its owner and every dated publication, the owner on each", arguments: 0..<4)
    func seedCV(_ i: Int) throws {
        let cv = Self.cvs[i]
        let profile = try CVParser.parse(try String(contentsOfFile: "../shared/seeds/\(cv.file)", encoding: .utf8))
        #expect(profile.name == cv.name)
        #expect(profile.publications.count == cv.publications)
        let me = PersonName(cv.name).initialKey
        #expect(profile.publications.allSatisfy { p in p.authors.contains { PersonName($0).initialKey == me } })
        #expect(profile.publications.allSatisfy { $0.year != nil && $0.title.count > 10 })
        // The committed profile is exactly this, and holds no contact details.
        let file = "datasets/committee/\(cv.name.lowercased().replacingOccurrences(of: " ", with: "-")).json"
        let committed = try JSONDecoder().decode(ReviewerProfile.self, from: Data(contentsOf: URL(fileURLWithPath: file)))
        #expect(committed == profile)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.firstMatch(of: /@|\+1|\d{3}-\d{3}-\d{4}|[Bb]irth/) == nil)
    }

    @Test("the four notations, one line each")
    func notations() throws {
        let text = """
        Jane Roe
        [C1]\tAna Li, Jane Roe , and Bo Wu. <i>Fast</i> <i>Things on GPUs</i> . In: International Conference (ICS), 2021
        \\[OSDI'24\\]
        "**Slow Things Made Fast**".
        Cy Ng, **Jane Roe**\\*, Di Ho.
        - 3. NeurIPS 2020 Jane Roe, Ed Yu, "Graph Search with Learned Stops", in the Conference (acceptance rate: 20%)
        - Roe J., Li A. (2018). Benchmarking Training. In IEEE Symposium on Workloads 2018 (IISWC18).
        """
        let p = try CVParser.parse(text)
        #expect(p.name == "Jane Roe")
        #expect(p.publications.map(\.title) == ["Fast Things on GPUs", "Slow Things Made Fast", "Graph Search with Learned Stops", "Benchmarking Training"])
        #expect(p.publications.map(\.venue) == ["ICS", "OSDI", "NeurIPS", "IISWC"])
        #expect(p.publications.map(\.year) == [2021, 2024, 2020, 2018])
        #expect(p.publications.map(\.authors) == [["Ana Li", "Jane Roe", "Bo Wu"], ["Cy Ng", "Jane Roe", "Di Ho"], ["Jane Roe", "Ed Yu"], ["J. Roe", "A. Li"]])
    }

    @Test("a CV with no publications is refused, naming the file")
    func empty() {
        #expect(throws: ProfileError("cv.txt: no publications found")) { try CVParser.parse("Jane Roe\nNothing here.", file: "cv.txt") }
    }
}
