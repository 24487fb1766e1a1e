import ArgumentParser
import Dispatch
import Foundation
import NumeralImprovement
import NumeralRecognition
import NumeralStore
import NumeralVision

/// `numeral improve`: fine-tune the active model on the log's corrections, adopting the result only
/// if it passes the adoption guard (`AdoptionRule`, shared with the dashboard and the API).
struct ImproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "improve",
        abstract: "Fine-tune the model on your corrections; adopt it only on a real gain that keeps MNIST near the shipped model.",
        discussion: """
        Trains a copy of the active model on the labelled single-digit drawings in the log (mixed with \
        replayed MNIST training images so it does not forget), holding part of your feedback out. The \
        candidate is adopted only if it gets more of the held-out drawings right than the active model \
        (a tie is kept aside) and its MNIST test accuracy is at most 0.1 percentage points below the \
        shipped model's (not the active model's, so repeated runs cannot drift down); otherwise it is \
        kept aside and the report says which rule decided, with the figures. A model is not fine-tuned \
        again on the very drawings it was fine-tuned on. Undo with `numeral model rollback`. Ctrl-C \
        cancels without changing anything.
        """)

    @OptionGroup var location: DataDirectoryOption
    @OptionGroup var mnist: MNISTOptions
    @Option(help: "Passes over the feedback (each with its MNIST replay).") var epochs = ImprovementSettings().epochs
    @Option(help: "Peak learning rate (AdamW, cosine decay).") var learningRate = ImprovementSettings().learningRate
    @Option(help: "Feedback images per epoch (the feedback is repeated, augmented, to reach it).")
    var imagesPerEpoch = ImprovementSettings().feedbackImagesPerEpoch
    @Option(help: "Replayed MNIST images per feedback image.") var replayRatio = ImprovementSettings().replayRatio
    @Option(help: "Random seed.") var seed = ImprovementSettings().seed
    @Option(help: "Judge MNIST on only the first N test images (quick trials; the default uses all 10,000).")
    var mnistLimit: Int?
    @Flag(help: "Print the report as JSON.") var json = false

    func settings() throws -> ImprovementSettings {
        var s = ImprovementSettings()
        s.epochs = epochs
        s.learningRate = learningRate
        s.feedbackImagesPerEpoch = imagesPerEpoch
        s.replayRatio = replayRatio
        s.seed = seed
        s.mnistEvaluationLimit = mnistLimit
        do { try s.validate() } catch { throw ValidationError("\(error)") }
        return s
    }

    func validate() throws { _ = try settings() }

    func run() throws {
        try reportingFailures {
            let settings = try settings()
            try location.requireExistingLog()
            let registry = try ModelRegistry(dataDirectory: location.directory, store: try location.openForWriting())
            // Refuse for lack of feedback before spending seconds on MNIST.
            let feedback = try Improver.preflight(registry: registry, settings: settings).split
            let status = StatusLine()
            status.note("Improving \(try registry.prepare().id) with \(feedback.usableCount) labelled drawing(s) from \(registry.store.path)")
            let directory = mnist.resolved
            status.note("Loading MNIST from \(directory)")
            let train = try MNISTDataset.load(directory: directory, split: .train)
            let test = try MNISTDataset.load(directory: directory, split: .test)
            let improver = try Improver(registry: registry, mnistTrain: train, mnistTest: test, settings: settings)

            let interrupt = InterruptFlag()
            let report = try improver.run(progress: { status.show($0) }, shouldCancel: { interrupt.isSet })
            status.finish()
            if json {
                FileHandle.standardOutput.write(try report.jsonData() + Data("\n".utf8))
            } else {
                print(report.text)
                if report.adopted { print("Undo with `numeral model rollback`.") }
            }
        }
    }
}

/// Progress on standard error: the trainer's epoch lines and bar while fine-tuning, a simple bar
/// for the evaluations around it.
private final class StatusLine {
    private var training = TerminalProgress()
    private var stage: ImprovementProgress.Stage?
    private var lastDraw = Date.distantPast
    private let isTerminal = isatty(STDERR_FILENO) != 0

    func note(_ message: String) { write(message + "\n") }

    func show(_ p: ImprovementProgress) {
        if p.stage != stage {
            if isTerminal, stage != nil, stage != .training { write("\r\u{1B}[2K") }
            stage = p.stage
            let title = p.stage.rawValue.prefix(1).uppercased() + p.stage.rawValue.dropFirst()
            write(title + (p.stage == .training ? " (val = your held-out feedback)…\n" : "…\n"))
        }
        if let t = p.training {
            training.update(t)
            return
        }
        guard isTerminal, Date().timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = Date()
        let width = 30
        let filled = Int(p.fraction * Double(width))
        write("\r\u{1B}[2K" + String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
              + String(format: " %3.0f%%", p.fraction * 100))
    }

    func finish() { if isTerminal { write("\r\u{1B}[2K") } }

    private func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }
}

/// Set once Ctrl-C is pressed; the fine-tune polls it between batches and stops cleanly.
private final class InterruptFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var set = false
    private let source: DispatchSourceSignal

    init() {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [weak self] in
            guard let self else { return }
            self.lock.lock(); self.set = true; self.lock.unlock()
            FileHandle.standardError.write(Data("\nCancelling…\n".utf8))
        }
        source.resume()
    }

    deinit {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }

    var isSet: Bool {
        lock.lock(); defer { lock.unlock() }
        return set
    }
}
