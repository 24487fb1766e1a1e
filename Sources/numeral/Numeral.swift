import ArgumentParser

@main
struct Numeral: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "numeral",
        abstract: "Recognize handwritten digits: a desktop app, its model and its log.",
        subcommands: [AppCommand.self, TrainCommand.self, LogCommand.self, StatsCommand.self, ImproveCommand.self, ModelCommand.self],
        defaultSubcommand: AppCommand.self)
}
