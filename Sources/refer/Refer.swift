import ArgumentParser
import Foundation
import Papers

/// `refer`: the command line. Each subcommand parses its options and calls a library;
/// none holds logic of its own.
@main
struct Refer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refer",
        abstract: "Vector search for scholarly papers, and an ANN benchmark.",
        subcommands: [IngestCommand.self, ImportCommand.self, SimilarCommand.self, SearchCommand.self, ReviewersCommand.self, AssignCommand.self, ConflictsCommand.self, ServeCommand.self, EvalCommand.self, DeleteCommand.self, ExportCommand.self, CheckCommand.self, StatsCommand.self, PeopleCommand.self, EmbedCommand.self, BenchCommand.self, EmbedBenchCommand.self, OpenBenchCommand.self, ReviewersBenchCommand.self, TuneCommand.self, GroundTruthCommand.self, SynthCommand.self]
    )

    /// Exit statuses as the README gives them: 64 a usage error (ArgumentParser's own), 65
    /// bad input (a file, row or field refused: ``ProfileError``), 1 any other failure.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var async = command as? AsyncParsableCommand { try await async.run() } else { try command.run() }
        } catch let e as ProfileError {
            FileHandle.standardError.write(Data("Error: \(e)\n".utf8))
            Foundation.exit(65)
        } catch let e as InputRefusal {
            FileHandle.standardError.write(Data("Error: \(e)\n".utf8))
            Foundation.exit(65)
        } catch {
            exit(withError: error)
        }
    }
}
