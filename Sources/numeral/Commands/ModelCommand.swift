import ArgumentParser
import Foundation
import NumeralEngine
import NumeralImprovement
import NumeralRecognition
import NumeralStore

/// `numeral model ...`: the model versions of a data directory.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "List model versions, choose the active one, roll back an improvement, or plot a model's training curves.",
        subcommands: [List.self, Use.self, Rollback.self, ModelCurvesCommand.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the model versions; * marks the active one.")
        @OptionGroup var location: DataDirectoryOption
        @Flag(help: "Print JSON instead of a table.") var json = false

        func run() throws {
            try reportingFailures {
                let registry = try ModelRegistry(dataDirectory: location.directory, store: try location.openForWriting())
                do { try registry.prepare() } catch ImprovementError.noModelAvailable {
                    // Listing still works; the table just says there is nothing yet.
                }
                let models = try registry.list()
                if json {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                    encoder.dateEncodingStrategy = .iso8601
                    FileHandle.standardOutput.write(try encoder.encode(models.map(ModelListEntry.init)) + Data("\n".utf8))
                } else {
                    print(ModelTable.text(models, directory: registry.modelsDirectory))
                }
            }
        }
    }

    struct Use: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a model version the active one (the app picks it up).",
            discussion: """
            A version that `numeral improve` kept aside, or whose recorded MNIST test accuracy is more than \
            0.1 percentage points below the shipped model's, is refused with the reason; --force activates it anyway.
            """)
        @Argument(help: "The version's id, as `numeral model list` shows it.") var id: String
        @Flag(help: "Activate it even if improve kept it aside or it is more than 0.1 point below the shipped model on MNIST.")
        var force = false
        @OptionGroup var location: DataDirectoryOption

        func run() throws {
            try reportingFailures {
                let registry = try ModelRegistry(dataDirectory: location.directory, store: try location.openForWriting())
                let version = try registry.use(id: id, force: force)
                let concerns = force ? (try? registry.activationConcerns(id: id)) ?? [] : []
                if concerns.isEmpty {
                    print("Active model is now \(version.id).")
                } else {
                    print("Active model is now \(version.id), forced although \(concerns.joined(separator: "; ")).")
                }
            }
        }
    }

    struct Rollback: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Go back to the model the active one was fine-tuned from (it stays listed).")
        @OptionGroup var location: DataDirectoryOption

        func run() throws {
            try reportingFailures {
                let registry = try ModelRegistry(dataDirectory: location.directory, store: try location.openForWriting())
                let change = try registry.rollback()
                print("Rolled back from \(change.from.id) to \(change.to.id). `numeral model use \(change.from.id)` undoes this.")
            }
        }
    }
}

/// One row of `numeral model list --json`.
struct ModelListEntry: Encodable {
    var id: String
    var parentID: String?
    var created: Date
    var active: Bool
    var origin: String
    var weightsPath: String
    var weightsExist: Bool
    var metrics: [String: Double]
    var notes: String?
    /// Robust accuracy under each recorded attack, with its settings (from the card).
    var robustness: [RobustnessRecord]?

    init(_ model: RegisteredModel) {
        id = model.id
        parentID = model.version.parentID
        created = model.version.created
        active = model.isActive
        origin = model.origin.rawValue
        weightsPath = model.weightsPath
        weightsExist = model.weightsExist
        metrics = model.version.metrics
        notes = model.card?.notes
        robustness = model.card?.robustness
    }
}

enum ModelTable {
    static func text(_ models: [RegisteredModel], directory: String) -> String {
        guard !models.isEmpty else { return "No model versions in \(directory) yet, and no shipped model was found." }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        let idWidth = max(2, models.map(\.id.count).max() ?? 0)
        let parentWidth = max(6, models.map { ($0.version.parentID ?? "-").count }.max() ?? 0)
        func pad(_ s: String, _ n: Int) -> String { s.padding(toLength: max(n, s.count), withPad: " ", startingAt: 0) }
        let mnistWidth = models.contains { $0.version.metrics[ImprovementReport.MetricKey.mnistTestAccuracy] == nil } ? 15 : 7
        var lines = ["  " + pad("ID", idWidth) + "  " + pad("CREATED (UTC)", 16) + "  " + pad("ORIGIN", 8) + "  "
                     + pad("PARENT", parentWidth) + "  " + pad("MNIST", mnistWidth) + "  " + pad("HELD-OUT FEEDBACK", 17)
                     + (models.contains { robustSummary($0) != nil } ? "  ROBUST" : "")]
        for model in models {
            let m = model.version.metrics
            // Only full-test-set figures are comparable; a quick run's subset figure says how many images it used.
            var mnist = m[ImprovementReport.MetricKey.mnistTestAccuracy].map { String(format: "%.2f%%", $0 * 100) } ?? "-"
            if mnist == "-", let after = m[ImprovementReport.MetricKey.mnistAfter], let count = m[ImprovementReport.MetricKey.mnistCount] {
                mnist = String(format: "%.2f%% of %.0f", after * 100, count)
            }
            var feedback = "-"
            if let before = m[ImprovementReport.MetricKey.feedbackBefore], let after = m[ImprovementReport.MetricKey.feedbackAfter] {
                feedback = String(format: "%.1f%% -> %.1f%%", before * 100, after * 100)
            }
            var line = (model.isActive ? "* " : "  ") + pad(model.id, idWidth) + "  " + pad(formatter.string(from: model.version.created), 16)
                + "  " + pad(model.origin.rawValue, 8) + "  " + pad(model.version.parentID ?? "-", parentWidth) + "  " + pad(mnist, mnistWidth)
                + "  " + feedback
            if let robust = robustSummary(model) { line = pad(line, lineWidthBeforeRobust(idWidth, parentWidth, mnistWidth)) + "  " + robust }
            if !model.weightsExist { line += "  (weights missing: \(model.weightsPath))" }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    private static func lineWidthBeforeRobust(_ idWidth: Int, _ parentWidth: Int, _ mnistWidth: Int) -> Int {
        2 + idWidth + 2 + 16 + 2 + 8 + 2 + parentWidth + 2 + mnistWidth + 2 + 17
    }

    /// The strongest recorded attack at the largest ε, e.g. "PGD-40 L∞ ε=0.3: 91.20%".
    static func robustSummary(_ model: RegisteredModel) -> String? {
        guard let records = model.card?.robustness, !records.isEmpty else { return nil }
        let largest = records.map(\.attack.epsilon).max()!
        // The lowest accuracy; on a tie the many-step attack, the benchmark people quote.
        func rank(_ r: RobustnessRecord) -> (Double, Int) { (r.robustAccuracy, r.attack.method == .fgsm ? 1 : 0) }
        let strongest = records.filter { $0.attack.epsilon == largest }.min { rank($0) < rank($1) }!
        let a = strongest.attack
        let name = a.method == .pgd ? "PGD-\(a.steps)" : a.method == .square ? "Square-\(a.steps)" : "FGSM"
        return String(format: "%@ %@ ε=%@: %.2f%%", name, a.norm == .linf ? "L∞" : "L2", AttackSettings.formatNumber(a.epsilon),
                      strongest.robustAccuracy * 100)
    }
}
