import Foundation
import Storage
import Testing
@testable import Papers

@Suite struct PaperListParserTests {
    static let seed = "../shared/seeds/004_4fcc49c95219aed2.txt"

    @Test("the seed list gives every one of its 233 papers, each with a venue, a year and authors")
    func seedList() throws {
        let text = try String(contentsOfFile: Self.seed, encoding: .utf8)
        let papers = PaperListParser(source: "aisys2023").parse(text)
        // 233: every title line of the file (a title broken over two lines counted once,
        // "JANUS. JANUS: …" once), checked against a line-by-line listing.
        #expect(papers.count == 233)
        #expect(papers.allSatisfy { $0.venue != nil && $0.year != nil })
        #expect(papers.allSatisfy { !($0.authors ?? []).isEmpty }, "\(papers.filter { ($0.authors ?? []).isEmpty }.map(\.title))")
        #expect(Set(papers.map(\.id)).count == papers.count)
        let venues = Set(papers.compactMap(\.venue))
        #expect(venues.count == 18)
    }

    @Test("the committed corpus is exactly what the parser makes of the seed list")
    func committedCorpus() throws {
        let text = try String(contentsOfFile: Self.seed, encoding: .utf8)
        let made = PaperListParser(source: "aisys2023").parse(text).map { $0.canonicalJSON() }
        let committed = try String(contentsOfFile: "datasets/aisys2023/papers.jsonl", encoding: .utf8)
            .split(separator: "\n").map(String.init)
        #expect(made == committed)
    }

    @Test("entry shapes: title then authors, one line with a gap, a pipe, run together, bold link, citation, broken title")
    func shapes() {
        let text = """
        # list
        ## OSDI
        ### 2018
        Ray: A Distributed Framework for Emerging AI Applications
        Philipp Moritz, Robert Nishihara, and Ion Stoica, UC Berkeley

        SiloD: A Co-design of Caching and Scheduling    Hanyu Zhao (Peking University), Zhenhua Han (Microsoft Research)
        Optimus: An Efficient Dynamic Resource Scheduler | Yanghua Peng, Yixin Bao (University of Hong Kong), and Chuanxiong Guo (Bytedance Inc.)
        ## NeurIPS
        ### 2019
        PyTorch: An Imperative Style, High-Performance Deep Learning Library Adam Paszke, Sam Gross, Francisco Massa
        **[CASE: A Compiler-Assisted SchEduling Framework](https://ppopp22.sigplan.org/program/#)**

        [Chao Chen](https://p/cc) Amazon Web Service, [Chris Porter](https://p/cp) Georgia Institute of Technology
        JANUS. JANUS: Fast and Flexible Deep Learning. Eunji Jeong, Sungwoo Cho, Byung-Gon Chun. NSDI 2019.
        DeepSniffer: A DNN Model Extraction Framework Based on Learning
        Architectural Hints
        Xing Hu, Ling Liang (UCSB)
        Hidden Technical Debt in Machine Learning Systems.

        D. Sculley, Gary Holt, Daniel Golovin.
        """
        let e = PaperListParser(source: "t").entries(text)
        #expect(e.map(\.title) == [
            "Ray: A Distributed Framework for Emerging AI Applications", "SiloD: A Co-design of Caching and Scheduling",
            "Optimus: An Efficient Dynamic Resource Scheduler", "PyTorch: An Imperative Style, High-Performance Deep Learning Library",
            "CASE: A Compiler-Assisted SchEduling Framework", "JANUS: Fast and Flexible Deep Learning",
            "DeepSniffer: A DNN Model Extraction Framework Based on Learning Architectural Hints",
            "Hidden Technical Debt in Machine Learning Systems",
        ])
        #expect(e.map(\.authors) == [
            ["Philipp Moritz", "Robert Nishihara", "Ion Stoica"], ["Hanyu Zhao", "Zhenhua Han"],
            ["Yanghua Peng", "Yixin Bao", "Chuanxiong Guo"], ["Adam Paszke", "Sam Gross", "Francisco Massa"],
            ["Chao Chen", "Chris Porter"], ["Eunji Jeong", "Sungwoo Cho", "Byung-Gon Chun"], ["Xing Hu", "Ling Liang"],
            ["D. Sculley", "Gary Holt", "Daniel Golovin"],
        ])
        #expect(e.map(\.venue) == ["OSDI", "OSDI", "OSDI", "NeurIPS", "NeurIPS", "NeurIPS", "NeurIPS", "NeurIPS"])
        #expect(e.allSatisfy { $0.year == 2018 || $0.year == 2019 })
    }

    @Test("papers whose titles differ only in case, accents or punctuation are merged")
    func merging() {
        let text = "## X\n### 2020\nFast Things: A Study\nAna Li, Bo Wu\n\nfast things - a study.\nCy Ng, Di Ho\n"
        let papers = PaperListParser(source: "t").parse(text)
        #expect(papers.count == 1)
        #expect(papers[0].authors == ["Ana Li", "Bo Wu"])
    }
}
