import ArgumentParser
import Foundation
import NumeralRecognition
import NumeralVision

struct TrainPenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-pen",
        abstract: "Train the pen-trajectory model for drawings on pen-drawn digits (writers 1-25; 26-30 are held out).",
        discussion: """
        The model reads the pen's path (stroke order, direction, pen lifts), resampled to a fixed number of points, \
        and is fused with the image model for drawings only. Writes MODEL.safetensors and its card MODEL.json; \
        an existing file is never overwritten without --force. Put it beside the image model as \
        \(PenTrajectoryModel.shippedFileName) (or set $NUMERAL_TRAJECTORY_MODEL) for the app, the server and the command line to use it.
        """)

    @Option(help: "Pen digits JSON. Default: $NUMERAL_PENDIGITS or Data/pendigits/pendigits-orig-train.json.") var penDigits: String?
    @Option(help: "Epochs.") var epochs = TrajectoryTrainingConfiguration.standard.epochs
    @Option(help: "Batch size.") var batchSize = TrajectoryTrainingConfiguration.standard.batchSize
    @Option(help: "Peak learning rate (cosine decay).") var learningRate = TrajectoryTrainingConfiguration.standard.learningRate
    @Option(help: "Random seed; the same seed gives the same model.") var seed = TrajectoryTrainingConfiguration.standard.seed
    @Option(help: "Points the pen path is resampled to.") var points = TrajectoryArchitecture.standard.points
    @Option(help: "Hidden layer widths, e.g. 256,256.") var hidden = "256,256"
    @Option(help: "Weight of this model in the fused answer for drawings, 0...1.") var fusionWeight = 0.5
    @Option(help: "Widen digits narrower than this fraction of their height before encoding them (0 keeps every aspect ratio, as models before it did), 0...1.")
    var aspectFloor = TrajectoryArchitecture.standard.aspectFloor ?? 0
    @Option(help: "Share of closed loops (zeros) restarted at another point of the loop, 0...1.")
    var loopStart = DrawingAugmenter().loopStartProbability
    @Option(help: "Share of digits squeezed to 25-60% of their width (very narrow digits), 0...1.")
    var squeeze = DrawingAugmenter().squeezeProbability
    @Option(name: .shortAndLong, help: "Where to write the model (.safetensors).") var output: String
    @Flag(help: "Overwrite --output (and its card) if it exists.") var force = false

    func run() throws {
        do { try train() } catch let e as ValidationError { throw e } catch { throw failWithMessage(error) }
    }

    private func train() throws {
        let widths = hidden.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let architecture = TrajectoryArchitecture(points: points, hidden: widths,
                                                  dropout: TrajectoryArchitecture.standard.dropout, aspectFloor: aspectFloor)
        do { try architecture.validate() } catch { throw ValidationError("\(error)") }
        guard fusionWeight >= 0, fusionWeight <= 1 else { throw ValidationError("--fusion-weight is in 0...1") }
        var config = TrajectoryTrainingConfiguration.standard
        config.epochs = epochs
        config.batchSize = batchSize
        config.learningRate = learningRate
        config.seed = seed
        config.loopStartProbability = loopStart
        config.squeezeProbability = squeeze
        do { try config.validate() } catch { throw ValidationError("\(error)") }
        if !force {
            for path in [output, PenTrajectoryModel.cardPath(forWeights: output)] where FileManager.default.fileExists(atPath: path) {
                throw UserFacingError("\(path) already exists and training would overwrite it. Choose another -o or pass --force.")
            }
        }
        guard let penPath = PenDigitsLocation.resolve(penDigits) else {
            throw UserFacingError("No pen digits file found: pass --pen-digits FILE or set $NUMERAL_PENDIGITS.")
        }
        let all = try PenDigits.load(path: penPath)
        let heldOut = TrainingData.heldOutPenWriters
        let train = all.filter { !heldOut.contains($0.writer) }, validation = all.filter { heldOut.contains($0.writer) }
        let log = { (s: String) in FileHandle.standardError.write(Data((s + "\n").utf8)) }
        log("Training on \(train.count) drawings (writers outside \(heldOut)), validating on \(validation.count)")
        var card = TrajectoryModelCard(id: ModelID.make(prefix: "pen"), architecture: architecture, fusionWeight: fusionWeight,
                                       training: config)
        card.datasetChecksums[(penPath as NSString).lastPathComponent] = try? FileChecksum.md5(path: penPath)
        let model = PenTrajectoryModel(card: card, network: architecture.build(seed: seed))
        let started = Date()
        let trainer = try TrajectoryTrainer(configuration: config, model: model, train: train, validation: validation)
        let history = trainer.run { e in
            log(String(format: "epoch %d/%d  loss %.4f  train %.2f%%  held-out writers %.2f%%  %.1f s", e.epoch, config.epochs,
                       e.trainLoss, e.trainAccuracy * 100, e.validationAccuracy * 100, e.seconds))
        }
        model.card.epochs = history
        model.card.metrics["training_seconds"] = Date().timeIntervalSince(started)
        if let last = history.last { model.card.metrics["pendigits_heldout_accuracy_alone"] = last.validationAccuracy }
        model.card.metrics["pendigits_heldout_count"] = Double(validation.count)
        try model.save(weightsPath: output)
        print(String(format: "Trajectory model alone on held-out writers: %.2f%%", (history.last?.validationAccuracy ?? 0) * 100))
        print("Wrote \(output) and \(PenTrajectoryModel.cardPath(forWeights: output)) in \(TerminalProgress.duration(Date().timeIntervalSince(started)))")
    }
}
