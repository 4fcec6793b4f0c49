import Foundation
import Storage
import Testing
@testable import Papers

/// CMT's submissions export as CMT writes it (Excel: SpreadsheetML 2003 `.xls`; the same
/// saved as `.xlsx`; CSV in Windows-1252) and EasyChair's committee and bidding files.
@Suite(.serialized) struct CMTEasyChairFormatTests {
    static let header = ["Paper ID", "Created", "Last Modified", "Paper Title", "Abstract", "Primary Contact Author Name",
                         "Primary Contact Author Email", "Authors", "Author Names", "Author Emails", "Track Name", "Status"]
    static let rows = [
        ["11", "5/1/2026", "5/2/2026", "Metaphor detection with transformers", "We detect metaphors.", "Chee Wee (Ben) Leong",
         "cwleong@ets.org", "Chee Wee (Ben) Leong (ETS)*; Alice Tester (Uni A)", "Chee Wee (Ben) Leong*; Alice Tester", "cwleong@ets.org*; alice@uni-a.edu", "Main", "Awaiting Decision"],
        ["12", "5/1/2026", "5/3/2026", "Sense embeddings for Spanish", "", "José Camacho-Collados", "jcc@cardiff.ac.uk",
         "José Camacho-Collados (Cardiff University)*", "José Camacho-Collados*", "jcc@cardiff.ac.uk*", "Main", "Awaiting Decision"],
        ["13", "5/2/2026", "5/4/2026", "A withdrawn paper", "", "Bob Tester", "bob@uni-b.edu", "Bob Tester (Uni B)*", "Bob Tester*", "bob@uni-b.edu*", "Main", "Withdrawn"],
        ["14", "5/2/2026", "5/4/2026", "Data-to-text generation, revisited", "", "Ondřej Dušek", "odusek@ufal.mff.cuni.cz",
         "Ondřej Dušek (Charles University)*", "Ondřej Dušek*", "odusek@ufal.mff.cuni.cz*", "Main", "Desk Reject"],
    ]

    func check(_ read: Submissions, _ file: String) throws {
        #expect(read.papers.map(\.id) == ["11", "12"], "\(file)")
        #expect(read.skipped.map(\.id) == ["13", "14"] && read.skipped[0].reason.hasPrefix("'Withdrawn' in CMT"), "\(file)")
        let a = ConflictPolicy.Author.of(read.papers[0])
        #expect(a.map(\.name) == ["Chee Wee Leong", "Alice Tester"] && a.map(\.affiliation) == ["ETS", "Uni A"], "\(file)")
        #expect(read.papers[1].authors == ["José Camacho-Collados"], "\(file)")
        // The accented author and the one with a nickname are found on the committee: their own submissions exclude them.
        let finder = try ExportFixtures.finder(try ExportFixtures.namesFile(try ExportFixtures.folder()))
        let found = try ConferenceConflicts(submissions: read, finder: finder, rules: ConferenceRules(reviewersPerPaper: 1, maxLoad: 1))
        #expect(found.excluded.map { $0.compactMap { $0.map { "\($0.name):\($0.rule.rawValue)" } } } == [["Chee Wee Leong:author"], ["José Camacho-Collados:author"]], "\(file)")
    }

    @Test("CMT's Excel export (SpreadsheetML .xls with a title row), the same as .xlsx, and CSV in Windows-1252: accents, nicknames and Status intact")
    func cmtExports() throws {
        let dir = try ExportFixtures.folder()
        func cell(_ v: String) -> String { "<Cell><Data ss:Type=\"\(Int(v) != nil ? "Number" : "String")\">\(v.replacingOccurrences(of: "&", with: "&amp;"))</Data></Cell>" }
        let xml = """
            <?xml version="1.0"?>
            <?mso-application progid="Excel.Sheet"?>
            <Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:o="urn:schemas-microsoft-com:office:office"
             xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
             <Worksheet ss:Name="Main">
              <Table>
               <Row><Cell><Data ss:Type="String">ACL 2026 - Submissions</Data></Cell></Row>
               <Row>\(Self.header.map(cell).joined())</Row>
            \(Self.rows.map { r in "   <Row>" + r.enumerated().map { $0.element.isEmpty ? "" : ($0.offset > 0 && r[$0.offset - 1].isEmpty ? cell($0.element).replacingOccurrences(of: "<Cell>", with: "<Cell ss:Index=\"\($0.offset + 1)\">") : cell($0.element)) }.joined() + "</Row>" }.joined(separator: "\n"))
              </Table>
             </Worksheet>
             <Worksheet ss:Name="Other track"><Table><Row><Cell><Data ss:Type="String">ignored</Data></Cell></Row></Table></Worksheet>
            </Workbook>
            """
        let xls = try ExportFixtures.write(xml, dir, "Papers.xls")
        try check(try Submissions.load(xls), xls)

        let xlsx = dir + "/Papers.xlsx"
        try ExportFixtures.xlsx(rows: [Self.header] + Self.rows, at: xlsx)
        try check(try Submissions.load(xlsx), xlsx)

        // Windows-1252 has é and š but no ř: "Ondrej Dušek" as such a file would spell him.
        let csv = ([Self.header] + Self.rows).map { $0.map { "\"\($0)\"" }.joined(separator: ",") }.joined(separator: "\r\n")
            .replacingOccurrences(of: "ř", with: "r") + "\r\n"
        let cp1252 = dir + "/Papers.csv"
        try #require(csv.data(using: .windowsCP1252)).write(to: URL(fileURLWithPath: cp1252))
        #expect(try TextFile.read(cp1252).encoding == "Windows-1252")
        try check(try Submissions.load(cp1252), cp1252)

        // Bytes that are neither UTF-8 nor Windows-1252 are refused, naming the file.
        let broken = dir + "/broken.csv"
        try Data([0x50, 0x61, 0x70, 0x65, 0x72, 0x20, 0x49, 0x44, 0x0A, 0x31, 0x81, 0x0A]).write(to: URL(fileURLWithPath: broken))
        #expect(throws: ProfileError("\(broken): neither UTF-8 nor Windows-1252 text (byte 0x81 at offset 10); save it as UTF-8")) { try Submissions.load(broken) }
    }

    @Test("EasyChair: chairs in committee.csv do not review; a bid on a deleted submission is skipped with a note; every other row holds")
    func easyChair() throws {
        let dir = try ExportFixtures.folder()
        try ExportFixtures.write("""
            #,title,authors,submitted,last updated,form fields,keywords,decision,notified,reviews sent,abstract,deleted?
            1,Question answering over knowledge bases,Alice Tester,2026-01-02 10:00,,,qa,no decision,no,no,We answer.,no
            2,A deleted one,Bob Tester,2026-01-03 10:00,,,,no decision,no,no,x,yes
            3,Summaries,Carol Tester,2026-01-04 10:00,,,,withdrawn,no,no,y,no

            """, dir, "submission.csv")
        let committee = try ExportFixtures.write("""
            #,person #,first name,last name,email,country,affiliation,Web page,role
            1,301,Jonathan,Berant,joberant@cs.tau.ac.il,Israel,Tel Aviv University,,PC member
            2,302,Mirella,Lapata,lapata@inf.ed.ac.uk,UK,University of Edinburgh,,senior PC member
            3,303,Percy,Liang,pliang@cs.stanford.edu,USA,Stanford,,chair
            4,304,Sebastian,Ruder,ruder@google.com,Germany,Google,,associate chair

            """, dir, "committee.csv")
        let bidding = try ExportFixtures.write("member #,member name,submission #,bid\n1,Jonathan Berant,1,yes\n2,Mirella Lapata,2,maybe\n2,Mirella Lapata,1,conflict\n", dir, "bidding.csv")
        var files = ConferenceFiles(submissions: dir + "/submission.csv")
        files.bids = [bidding]
        var rules = ConferenceRules(reviewersPerPaper: 1, maxLoad: 1)
        let read = try files.load(into: &rules)
        #expect(read.papers.map(\.id) == ["1"] && read.skipped.map(\.id) == ["2", "3"])
        let finder = try ExportFixtures.finder(committee)
        #expect(finder.committee!.members.map(\.profile.name) == ["Jonathan Berant", "Mirella Lapata", "Sebastian Ruder"])
        #expect(finder.committee!.nonReviewers.map(\.name) == ["Percy Liang"])
        let result = try ConferenceAssignment(submissions: read, finder: finder, rules: rules)
        #expect(result.stats.notes == ["\(bidding):3: submission '2' is deleted in EasyChair (\(dir)/submission.csv:3): this row takes no effect"])
        #expect(result.suggestions[0].excluded.map(\.name) == ["Mirella Lapata"] && result.assignment.map(\.reviewer_id) == ["Jonathan Berant"])
    }

    @Test("CMT's conflict Domains and Conflicts columns exclude the members they name; an author's own e-mail is the author rule")
    func cmtDomainsAndConflicts() throws {
        let dir = try ExportFixtures.folder()
        let papers = try ExportFixtures.write("""
            Paper ID,Paper Title,Abstract,Authors,Author Emails,Conflicts,Domains,Status
            21,Pretraining for science,x,Bob Tester (Uni B)*,bob@uni-b.edu*,lapata@inf.ed.ac.uk; Jonathan Berant,cs.washington.edu; gmail.com,Awaiting Decision
            22,Semantic parsing,y,J. B. Other (TAU)*,joberant@cs.tau.ac.il*,2,,Awaiting Decision

            """, dir, "Papers.csv")
        let pc = try ExportFixtures.write("""
            given_name,family_name,email,roles
            Jonathan,Berant,joberant@cs.tau.ac.il,pc
            Noah A.,Smith,nasmith@cs.washington.edu,pc
            Mirella,Lapata,lapata@inf.ed.ac.uk,pc
            Sebastian,Ruder,sebastian.ruder@gmail.com,pc

            """, dir, "pcinfo.csv")
        let read = try Submissions.load(papers)
        #expect(read.conflicts.map(\.reviewer) == ["cs.washington.edu", "gmail.com", "lapata@inf.ed.ac.uk", "Jonathan Berant"])
        let found = try ConferenceConflicts(submissions: read, finder: try ExportFixtures.finder(pc), rules: ConferenceRules(reviewersPerPaper: 1, maxLoad: 1))
        #expect(found.excluded[0].compactMap { $0.map { "\($0.name): \($0.reason)" } } == [
            "Jonathan Berant: CMT conflict (\(papers):2)", "Noah A. Smith: CMT conflict domain cs.washington.edu (\(papers):2)",
            "Mirella Lapata: CMT conflict (\(papers):2)"])
        // Paper 22's author signs with Jonathan Berant's address under another name: the same person.
        #expect(found.excluded[1].compactMap { $0.map { "\($0.name) \($0.rule.rawValue): \($0.reason)" } } == [
            "Jonathan Berant author: author of the draft (as 'J. B. Other', same e-mail joberant@cs.tau.ac.il)"])
        #expect(found.notes == ["\(papers):2: field 'Domains': 'gmail.com' is a webmail or invalid domain and excludes nobody",
                                "conflict domains cannot be checked for 1 member(s) without an organisation e-mail: Sebastian Ruder"])
        #expect(throws: InputRefusal(problems: [
            "\(papers):2: field 'Domains': a conflict with washington.edu, and the committee has no e-mails to check it against; give a committee file with e-mails",
            "\(papers):2: field 'Conflicts': the committee has no e-mails, and 'lapata@inf.ed.ac.uk' cannot be read as a name; give a committee file with e-mails (HotCRP's PC info CSV)"])) {
            try ConferenceConflicts(submissions: read, finder: try ExportFixtures.finder(try ExportFixtures.namesFile(dir)), rules: ConferenceRules(reviewersPerPaper: 1, maxLoad: 1))
        }
    }
}
