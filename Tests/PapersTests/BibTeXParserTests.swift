import Testing
@testable import Papers

@Suite struct BibTeXParserTests {
    static let bib = #"""
    % Keren Zhou's papers (a comment line)
    @string{sc = "International Conference for High Performance Computing"}
    @inproceedings{zhou2021gvprof,
      author    = {Zhou, Keren and Hao, Yueming and Mellor-Crummey, John and Meng, Xiaozhu and Liu, Xu},
      title     = {{GVProf}: A Value Profiler for {GPU}-based Clusters},
      booktitle = sc # " (SC)",
      year      = 2020,
    }
    @article(zhou2020, author = "K. Zhou and J{\"o}rg M{\"u}ller and Fran\c{c}ois Beno\^it and others",
      title = "Measurement and Analysis of {GPU}-Accelerated Applications --- a Survey", journal = {TPDS}, year = {2021})
    @comment{ignored entirely}
    @misc{notitle, author = {Zhou, Keren}, year = 2019}
    """#

    @Test("entries, macros, braces, accents and author lists")
    func parses() throws {
        let entries = try BibTeXParser.entries(Self.bib, file: "zhou.bib")
        #expect(entries.map(\.key) == ["zhou2021gvprof", "zhou2020", "notitle"])
        #expect(entries[0].type == "inproceedings" && entries[0].line == 3)
        #expect(entries[0].fields["title"] == "GVProf: A Value Profiler for GPU-based Clusters")
        #expect(entries[0].fields["booktitle"] == "International Conference for High Performance Computing (SC)")
        #expect(entries[1].fields["title"] == "Measurement and Analysis of GPU-Accelerated Applications — a Survey")
        #expect(BibTeXParser.authors(entries[0].fields["author"]!) == ["Keren Zhou", "Yueming Hao", "John Mellor-Crummey", "Xiaozhu Meng", "Xu Liu"])
        #expect(BibTeXParser.authors(entries[1].fields["author"]!) == ["K. Zhou", "Jörg Müller", "François Benoît"])
    }

    @Test("a .bib is a profile: its owner is the person on most entries, in their longest spelling")
    func profile() throws {
        let p = try BibTeXParser.profile(Self.bib, file: "zhou.bib")
        #expect(p.name == "Keren Zhou")
        #expect(p.publications.count == 2)
        #expect(p.publications[0].venue == "International Conference for High Performance Computing (SC)" && p.publications[0].year == 2020)
        #expect(p.publications[1].venue == "TPDS" && p.publications[1].year == 2021)
        let papers = try BibTeXParser.papers(Self.bib, file: "zhou.bib", source: "zhou")
        #expect(papers.map(\.id) == ["zhou:zhou2021gvprof", "zhou:zhou2020"])
    }

    @Test("syntax errors name file, line and column")
    func errors() {
        func failure(_ text: String) -> String {
            do { _ = try BibTeXParser.entries(text, file: "x.bib"); return "no error" } catch { return "\(error)" }
        }
        #expect(failure("@article{a,\n  title {Missing equals}\n}") == "x.bib:2:9: expected '=' after field name 'title' in @article{a}, found '{'")
        #expect(failure("@article{a,\n  title = {Never closed,\n  year = 2020\n") == "x.bib:2:11: value opened with '{' at line 2, column 11 is never closed")
        #expect(failure("@article{a, journal = jacm}") == "x.bib:1:23: unknown macro 'jacm' (define it with @string)")
        #expect(failure("@article{a, title = {T} year = 1}") == "x.bib:1:25: expected ',' or '}' after the value of the last field in @article{a}, found 'y'")
        #expect(failure("@article{a, title = {T}") == "x.bib:1:24: @article{a} opened at line 1, column 9 is never closed")
        #expect(failure("@{a, title = {T}}") == "x.bib:1:2: expected an entry type after '@', found '{'")
        #expect(throws: ProfileError("empty.bib: no publications (no entry with a title)")) { try BibTeXParser.profile("% nothing", file: "empty.bib") }
    }
}
