import ArgumentParser

@main
struct Numeral: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "numeral",
        abstract: "Recognize handwritten digits: a desktop app, its model and its log.",
        version: NumeralVersion.string,
        subcommands: [AppCommand.self, TrainCommand.self, EvalCommand.self, PredictCommand.self, BenchCommand.self,
                      DataCommand.self, LogCommand.self, StatsCommand.self, DashboardCommand.self, KioskCommand.self,
                      ImproveCommand.self, ModelCommand.self, IconCommand.self, ExplainCommand.self, ReportCommand.self,
                      CameraCommand.self, ServeCommand.self,
                      TrainPenCommand.self],
        defaultSubcommand: AppCommand.self)
}
