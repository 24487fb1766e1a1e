import ArgumentParser
import Foundation
import NumeralRecognition
import NumeralVision

struct TrainPenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-pen",
        abstract: "Train the pen-trajectory model for drawings: digits on pen digits (writers 1-25; 26-30 are held out), letters on DigiLeTs.",
        discussion: """
        The model reads the pen's path (stroke order, direction, pen lifts), resampled to a fixed number of points, \
        and is fused with the image model for drawings only. Writes MODEL.safetensors and its card MODEL.json; \
        an existing file is never overwritten without --force. Put it beside the image model as \
        \(PenTrajectoryModel.shippedFileName) (or set $NUMERAL_TRAJECTORY_MODEL) for the app, the server and the command line to use it. \
        With --classes letters (a-z, A-Z) or alphanumeric (0-9, a-z, A-Z) it trains on DigiLeTs (--digilets; every fifth \
        writer in ID order is held out), alphanumeric adding the pen digits of writers 1-25; ship it beside the image \
        model as letters-pen.safetensors or alphanumeric-pen.safetensors.
        """)

    @Option(help: "Characters the model reads: \(CharacterClasses.choices).") var classes: CharacterClasses = .digits
    @Option(help: "Pen digits JSON. Default: $NUMERAL_PENDIGITS or Data/pendigits/pendigits-orig-train.json.") var penDigits: String?
    @Option(help: "DigiLeTs folder (or one writer's file), for letters. Default: $NUMERAL_DIGILETS or Data/digilets.") var digilets: String?
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
        let architecture = TrajectoryArchitecture(points: points, hidden: widths, dropout: TrajectoryArchitecture.standard.dropout,
                                                  classes: classes.count, aspectFloor: aspectFloor)
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
        let data = try trainingData()
        config.writers = data.writers
        let (train, validation) = (data.train, data.validation)
        let log = { (s: String) in FileHandle.standardError.write(Data((s + "\n").utf8)) }
        log("Training on \(train.count) drawings of \(classes.rawValue) (\(data.writers)), validating on \(validation.count) by \(data.heldOut)")
        var card = TrajectoryModelCard(id: ModelID.make(prefix: classes == .digits ? "pen" : "\(classes.rawValue)-pen"),
                                       architecture: architecture, fusionWeight: fusionWeight, training: config)
        card.characters = classes
        card.datasetChecksums = data.checksums
        let model = PenTrajectoryModel(card: card, network: architecture.build(seed: seed))
        let started = Date()
        let trainer = try TrajectoryTrainer(configuration: config, model: model, train: train, validation: validation)
        let history = trainer.run { e in
            log(String(format: "epoch %d/%d  loss %.4f  train %.2f%%  held-out writers %.2f%%  %.1f s", e.epoch, config.epochs,
                       e.trainLoss, e.trainAccuracy * 100, e.validationAccuracy * 100, e.seconds))
        }
        model.card.epochs = history
        model.card.metrics["training_seconds"] = Date().timeIntervalSince(started)
        let metric = classes == .digits ? "pendigits" : "digilets"
        if let last = history.last { model.card.metrics["\(metric)_heldout_accuracy_alone"] = last.validationAccuracy }
        model.card.metrics["\(metric)_heldout_count"] = Double(validation.count)
        if classes != .digits {
            let folded = CharacterEvaluation.of(model, on: validation).caseFoldedAccuracy
            model.card.metrics["digilets_heldout_casefolded_accuracy_alone"] = folded
            print(String(format: "Case-folded on held-out writers: %.2f%%", folded * 100))
        }
        try model.save(weightsPath: output)
        print(String(format: "Trajectory model alone on held-out writers: %.2f%%", (history.last?.validationAccuracy ?? 0) * 100))
        print("Wrote \(output) and \(PenTrajectoryModel.cardPath(forWeights: output)) in \(TerminalProgress.duration(Date().timeIntervalSince(started)))")
    }

    private struct Samples {
        var train: [PenSample], validation: [PenSample]
        var writers: String, heldOut: String
        var checksums: [String: String] = [:]
    }

    /// Digits: pen digits, writers 26-30 held out. Letters: DigiLeTs, every fifth writer held out.
    /// Both: the two together (pen digits writers renumbered past DigiLeTs').
    private func trainingData() throws -> Samples {
        var train: [PenSample] = [], validation: [PenSample] = []
        var writers: [String] = [], heldOut: [String] = [], checksums: [String: String] = [:]
        if classes != .letters {
            guard let penPath = PenDigitsLocation.resolve(penDigits) else {
                throw UserFacingError("No pen digits file found: pass --pen-digits FILE or set $NUMERAL_PENDIGITS.")
            }
            let all = try PenDigits.load(path: penPath).map { sample -> PenSample in
                var s = sample
                if classes != .digits { s.writer += TrainingData.penDigitsWriterOffset }
                return s
            }
            let held = TrainingData.heldOutPenWriters
            let offset = classes == .digits ? 0 : TrainingData.penDigitsWriterOffset
            train += all.filter { !held.contains($0.writer - offset) }
            validation += all.filter { held.contains($0.writer - offset) }
            writers.append("pen digits writers 1-25")
            heldOut.append("pen digits writers 26-30")
            checksums[(penPath as NSString).lastPathComponent] = try? FileChecksum.md5(path: penPath)
        }
        if classes != .digits {
            guard let path = DigiLeTsLocation.resolve(digilets) else {
                throw UserFacingError("No DigiLeTs data found: pass --digilets FOLDER or set $NUMERAL_DIGILETS "
                    + "(looked in \(DigiLeTsLocation.searched.joined(separator: ", "))).")
            }
            let all = DigiLeTs.samples(try DigiLeTs.load(path: path), reading: classes)
            let held = TrainingData.heldOutDigiLeTsWriters(among: all.map(\.writer))
            train += all.filter { !held.contains($0.writer) }
            validation += all.filter { held.contains($0.writer) }
            writers.append("DigiLeTs writers but every fifth")
            heldOut.append("DigiLeTs writers " + held.sorted().map { String(format: "%03d", $0) }.joined(separator: ","))
            checksums[(path as NSString).lastPathComponent] = "\(all.count) characters"
        }
        return Samples(train: train, validation: validation, writers: writers.joined(separator: " + "),
                       heldOut: heldOut.joined(separator: " + "), checksums: checksums)
    }
}

extension CharacterClasses: ExpressibleByArgument {}
