import ArgumentParser

/// `refer`: the command line. Each subcommand parses its options and calls a library;
/// none holds logic of its own.
@main
struct Refer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refer",
        abstract: "Vector search for scholarly papers, and an ANN benchmark.",
        subcommands: [IngestCommand.self, ImportCommand.self, SimilarCommand.self, SearchCommand.self, ReviewersCommand.self, AssignCommand.self, ConflictsCommand.self, ServeCommand.self, EvalCommand.self, DeleteCommand.self, ExportCommand.self, CheckCommand.self, StatsCommand.self, PeopleCommand.self, EmbedCommand.self, BenchCommand.self, EmbedBenchCommand.self, OpenBenchCommand.self, ReviewersBenchCommand.self, TuneCommand.self, GroundTruthCommand.self, SynthCommand.self]
    )
}
