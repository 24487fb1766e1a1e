import ArgumentParser
import Foundation
import NumeralReport
import NumeralSession
import NumeralEngine
import NumeralImprovement
import NumeralRecognition
import NumeralStore
import NumeralUI
import NumeralVision

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the digit model on MNIST (plus pen-drawn digits when available) and plot its training curves.",
        discussion: """
        Writes MODEL.safetensors, its card MODEL.json, the per-epoch numbers MODEL-curves.csv and MODEL-curves.png, \
        a plot of training and validation loss and accuracy per epoch (as on the dashboard). Pen digits of writers \(TrainingData.heldOutPenWriters.lowerBound)-\(TrainingData.heldOutPenWriters.upperBound) \
        are never trained on; the card reports accuracy on them. With --classes letters (a-z, A-Z) or alphanumeric the \
        model learns DigiLeTs characters (--digilets) rendered the way the canvas renders drawings, every fifth writer \
        held out (alphanumeric adds pen digits and the first --train-limit MNIST digits); write it with -o, e.g. \
        Models/letters-cnn.safetensors.
        """)

    enum Preset: String, ExpressibleByArgument, CaseIterable { case quick, full }

    @OptionGroup var mnist: MNISTOptions
    @Option(help: "Characters the model reads: \(CharacterClasses.choices).") var classes: CharacterClasses = .digits
    @Option(help: "DigiLeTs folder, for --classes letters|alphanumeric. Default: $NUMERAL_DIGILETS or Data/digilets.") var digilets: String?
    @Option(help: "With --classes letters|alphanumeric: changed copies of each training drawing rendered beside it (0...10).")
    var drawingCopies = 3
    @Option(help: "quick (32/64/128 network, 3 epochs, about 2 min, ≥ 99 %) or full (the shipped recipe).") var preset: Preset = .full
    @Option(help: "standard (the preset's network) or baseline (the Keras MNIST CNN of the apps Numeral replaces).")
    var arch: DigitArchitecture.Family = .standard
    @Option(help: "Convolution filters per stage, stages separated by '/', e.g. 32,32/64,64/128.") var filters: String?
    @Option(help: "Convolution kernel size (odd).") var kernelSize: Int?
    @Option(help: "Dropout before the classifier, 0..<1.") var dropout: Float?
    @Option(help: "Peak learning rate.") var learningRate: Float?
    @Option(help: "Weight decay.") var weightDecay: Float?
    @Option(help: "Epochs.") var epochs: Int?
    @Option(help: "Batch size.") var batchSize: Int?
    @Option(help: "Optimizer: adamw or sgd.") var optimizer: String?
    @Option(help: "Learning-rate schedule: constant, cosine or one-cycle.") var schedule: String?
    @Option(help: "Warm-up in epochs (constant and cosine schedules).") var warmup: Double?
    @Option(help: "Label smoothing, 0..<1.") var labelSmoothing: Float?
    @Option(help: "Stop after this many epochs without validation improvement (0 = never).") var patience: Int?
    @Option(help: "Random seed; the same seed gives the same model.") var seed: UInt64?
    @Option(help: "Train on only the first N MNIST images (0 = all).") var trainLimit: Int?
    @Flag(help: "Turn off augmentation.") var noAugment = false
    @Option(help: "Augmentation strength: standard (from scratch) or light (fine-tuning).")
    var augmentation: TrainingConfiguration.AugmentationLevel?
    @Option(help: "Share of training images (0...1) replaced by a degraded box-stretched 16x16-style scan of themselves, read back through the picture path's normalizer.")
    var scanAugmentation: Float?
    @Option(help: "Extra copies (0...10) of the training writers' pen digits squeezed to 25-60% of their width (very narrow digits).")
    var narrowPenCopies: Int?
    @Option(help: "Epochs of the gentler fine-tune phase after the main schedule (light augmentation, cosine decay); 0 = none. The full preset has 4; --init-from runs have none unless given.")
    var fineTuneEpochs: Int?
    @Option(help: "Peak learning rate of the fine-tune phase.") var fineTuneLearningRate: Float?
    @Option(help: "Batch size of the fine-tune phase.") var fineTuneBatchSize: Int?
    @Option(help: ArgumentHelp("Adversarial training: fgsm-rs (Wong et al. 2020, random start + one step of 1.25·ε), pgd (Madry et al. 2018) or trades (Zhang et al. 2019), L∞ on pixel values in [0, 1].", valueName: "fgsm-rs|pgd|trades"))
    var adversarial: AdversarialTraining.Method?
    @Option(help: "With --adversarial: the L∞ radius ε, e.g. 0.1 or 0.3.") var advEpsilon: Float?
    @Option(help: "With --adversarial pgd|trades: the attack's steps per batch (default 10).") var advSteps: Int?
    @Option(help: "With --adversarial: the attack's step α (fgsm-rs: 1.25·ε; pgd and trades: 2.5·ε/steps).") var advStepSize: Float?
    @Option(help: "With --adversarial trades: the divergence term's weight β (default 6).") var advBeta: Float?
    @Option(help: "With --adversarial: grow ε linearly from 0 over this many epochs (default 0: full ε from the start).")
    var advWarmup: Double?
    @Option(help: "With --adversarial: measure FGSM and PGD-40 at ε on the first N MNIST test digits after training and record them in the card (0 = skip).")
    var advEvalCount = 1000
    @Option(help: "Start from this model's weights (and architecture) instead of from scratch: fine-tuning.")
    var initFrom: String?
    @Option(help: "Pen digits JSON to train on (writers outside the held-out ones). Default: $NUMERAL_PENDIGITS or Data/pendigits/pendigits-orig-train.json.")
    var penDigits: String?
    @Flag(help: "Do not use pen digits even if found.") var noPenDigits = false
    @Option(name: .shortAndLong,
            help: "Where to write the model. Default: a new, inactive model version in the data directory (`numeral model use ID` activates it).")
    var output: String?
    @Flag(help: "Overwrite the --output file (and its card and curves) if it exists.") var force = false
    @OptionGroup var location: DataDirectoryOption

    func configuration() throws -> TrainingConfiguration {
        var c: TrainingConfiguration = preset == .full ? .full : .quick
        if arch == .baseline { c.architecture = .baseline }
        if let filters {
            let stages = filters.split(separator: "/").map { $0.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }
            guard !stages.isEmpty, stages.allSatisfy({ !$0.isEmpty }) else {
                throw ValidationError("--filters must look like 32,32/64,64/128")
            }
            c.architecture.stages = stages
        }
        if let kernelSize { c.architecture.kernelSize = kernelSize }
        if let dropout { c.architecture.dropout = dropout }
        if let learningRate { c.learningRate = learningRate }
        if let weightDecay { c.weightDecay = weightDecay }
        if let epochs { c.epochs = epochs }
        if let batchSize { c.batchSize = batchSize }
        if let optimizer {
            guard let o = TrainingConfiguration.OptimizerKind(rawValue: optimizer) else { throw ValidationError("--optimizer is adamw or sgd") }
            c.optimizer = o
        }
        if let schedule {
            guard let s = LearningRateSchedule(rawValue: schedule) else { throw ValidationError("--schedule is constant, cosine or one-cycle") }
            c.schedule = s
        }
        if let warmup { c.warmupEpochs = warmup }
        if let labelSmoothing { c.labelSmoothing = labelSmoothing }
        if let patience { c.patience = patience }
        if let seed { c.seed = seed }
        if let trainLimit { c.trainLimit = trainLimit }
        if noAugment { c.augment = false }
        if let augmentation { c.augmentationLevel = augmentation }
        if let scanAugmentation { c.stretchedScanProbability = scanAugmentation }
        if let narrowPenCopies { c.narrowPenCopies = narrowPenCopies }
        c.initialModel = initFrom
        // A fine-tune from an existing model is itself the gentle phase: only add one when asked.
        if initFrom != nil && fineTuneEpochs == nil { c.fineTune = nil }
        if let fineTuneEpochs {
            // A phase added to a preset without one starts at the full preset's ratio (3e-3 → 5e-4).
            c.fineTune = fineTuneEpochs == 0 ? nil
                : (c.fineTune ?? .init(epochs: fineTuneEpochs, learningRate: c.learningRate / 6, batchSize: c.batchSize))
            c.fineTune?.epochs = fineTuneEpochs
        }
        if c.fineTune == nil && (fineTuneLearningRate != nil || fineTuneBatchSize != nil) {
            throw ValidationError("this run has no fine-tune phase to set; add --fine-tune-epochs N")
        }
        if let fineTuneLearningRate { c.fineTune?.learningRate = fineTuneLearningRate }
        if let fineTuneBatchSize { c.fineTune?.batchSize = fineTuneBatchSize }
        if let adversarial {
            guard let advEpsilon else { throw ValidationError("--adversarial needs --adv-epsilon, e.g. --adv-epsilon 0.3") }
            if adversarial != .trades, advBeta != nil { throw ValidationError("--adv-beta is TRADES' weight; it goes with --adversarial trades") }
            if adversarial == .fgsmRS, advSteps != nil { throw ValidationError("fgsm-rs takes one step; --adv-steps goes with --adversarial pgd|trades") }
            c.adversarial = AdversarialTraining(method: adversarial, epsilon: advEpsilon, steps: advSteps, stepSize: advStepSize,
                                                beta: advBeta, warmupEpochs: advWarmup)
            // Batch norm's statistics were gathered on the adversarial batches the model learned to
            // read; re-estimating them on clean digits would hand the attacked model other ones.
            c.recalibrateBatchNorm = false
        } else if advEpsilon != nil || advSteps != nil || advStepSize != nil || advBeta != nil || advWarmup != nil {
            throw ValidationError("--adv-epsilon, --adv-steps, --adv-step-size, --adv-beta and --adv-warmup go with --adversarial fgsm-rs|pgd|trades")
        }
        guard advEvalCount >= 0 else { throw ValidationError("--adv-eval-count takes 0 (skip) or a positive number") }
        do { try c.validate() } catch { throw ValidationError("\(error)") }
        return c
    }

    func run() throws {
        do {
            try train()
        } catch let e as ValidationError {
            throw e
        } catch {
            throw failWithMessage(error)
        }
    }

    /// Refuses before any training when the run would overwrite a file it was not told to.
    private func checkOutput() throws {
        guard let output, !force else { return }
        let base = output.hasSuffix(".safetensors") ? String(output.dropLast(".safetensors".count)) : output
        let existing = [output, DigitModel.cardPath(forWeights: output), base + "-curves.csv"]
            .filter { FileManager.default.fileExists(atPath: $0) }
        guard existing.isEmpty else {
            throw UserFacingError("\(existing[0]) already exists and training would overwrite it. "
                + "Choose another -o, pass --force to replace it, or leave -o out to add a new model version to the data directory.")
        }
    }

    private func train() throws {
        var config = try configuration()
        try checkOutput()
        // Say what is missing, where it was looked for and the flag, before any work (away from
        // the checkout, training used to go on silently with 0 pen digits).
        if !noPenDigits, classes != .letters, PenDigitsLocation.resolve(penDigits) == nil {
            throw UserFacingError("No pen digits found: looked in " + PenDigitsLocation.searched.joined(separator: ", ")
                + ". Pass --pen-digits FILE (the UCI pen-digits JSON), set NUMERAL_PENDIGITS, or train on MNIST alone with --no-pen-digits.")
        }
        if let penDigits, !FileManager.default.fileExists(atPath: penDigits) {
            throw UserFacingError("There is no pen-digits file at \(penDigits). Check --pen-digits, or train on MNIST alone with --no-pen-digits.")
        }
        if classes != .digits, output == nil {
            throw ValidationError("a \(classes.rawValue) model is not a version of the digit model: write it with -o, e.g. -o Models/\(classes.rawValue)-cnn.safetensors")
        }
        config.architecture.classes = classes.count
        let parent = try initFrom.map { try DigitModel.load(weightsPath: $0) }
        if let parent {
            guard parent.classes == classes else {
                throw UserFacingError("\(initFrom ?? "") reads \(parent.classes.rawValue), not \(classes.rawValue): start from a \(classes.rawValue) model or from scratch.")
            }
            config.architecture = parent.card.architecture
        }
        let dir = mnist.resolved
        let log = { (s: String) in FileHandle.standardError.write(Data((s + "\n").utf8)) }
        log("Loading MNIST from \(dir)")
        let trainSet = try MNISTDataset.load(directory: dir, split: .train)
        let testSet = try MNISTDataset.load(directory: dir, split: .test)
        var pen: [PenSample] = []
        var checksums: [String: String] = [:]
        for split in MNISTSplit.allCases {
            for name in [split.imagesFileName, split.labelsFileName] {
                if let path = MNISTDataset.existingFile(directory: dir, baseName: name) {
                    checksums[(path as NSString).lastPathComponent] = try? FileChecksum.md5(path: path)
                }
            }
        }
        if !noPenDigits, classes != .letters, let penPath = PenDigitsLocation.resolve(penDigits) {
            pen = try PenDigits.load(path: penPath)
            checksums[(penPath as NSString).lastPathComponent] = try? FileChecksum.md5(path: penPath)
            log("Pen digits: \(pen.count) from \(penPath); writers \(TrainingData.heldOutPenWriters) held out")
        }
        let split: TrainingData.Split
        var characters: [PenSample] = [], heldOutCharacters = Set<Int>()
        if classes == .digits {
            split = TrainingData.split(mnistTrain: trainSet, penDigits: pen, validationCount: config.validationCount,
                                       trainLimit: config.trainLimit, narrowPenCopies: config.narrowPenCopies ?? 0,
                                       seed: config.seed)
            log("Training on \(split.train.count) images (\(split.penTrainCount) pen digits ×2), validating on \(split.validation.count)")
        } else {
            guard let path = DigiLeTsLocation.resolve(digilets) else {
                throw UserFacingError("No DigiLeTs data found: pass --digilets FOLDER or set $NUMERAL_DIGILETS "
                    + "(looked in \(DigiLeTsLocation.searched.joined(separator: ", "))).")
            }
            characters = DigiLeTs.samples(try DigiLeTs.load(path: path), reading: classes)
            heldOutCharacters = TrainingData.heldOutDigiLeTsWriters(among: characters.map(\.writer))
            checksums[(path as NSString).lastPathComponent] = "\(characters.count) characters"
            if classes == .alphanumeric {
                characters += pen.map { var s = $0; s.writer += TrainingData.penDigitsWriterOffset; return s }
                heldOutCharacters.formUnion(TrainingData.heldOutPenWriters.map { $0 + TrainingData.penDigitsWriterOffset })
            }
            var characterSplit = TrainingData.characterSplit(characters, heldOut: heldOutCharacters, copies: drawingCopies,
                                                             seed: config.seed)
            if classes == .alphanumeric {
                let limit = config.trainLimit > 0 ? config.trainLimit : 10_000
                characterSplit.train.append(contentsOf: TrainingData.mnist(trainSet).subset(0..<min(limit, trainSet.count)))
            }
            split = characterSplit
            log("Training on \(split.train.count) images of \(classes.rawValue) (\(split.penTrainCount) drawings and "
                + "\(drawingCopies) changed copies of each), validating on \(split.validation.count) by held-out writers")
        }
        let id = ModelID.make(prefix: classes == .digits ? "mnist" : classes.rawValue)
        var card = ModelCard(id: id, parentID: parent?.id, architecture: config.architecture, training: config,
                             datasetChecksums: checksums)
        card.characters = classes
        let model = DigitModel(card: card, network: parent?.network ?? config.architecture.build(seed: config.seed))
        var bar = TerminalProgress()
        let started = Date()
        let phases = config.phases
        let totalEpochs = phases.map(\.epochs).reduce(0, +)
        var history: [EpochRecord] = []
        for (index, phase) in phases.enumerated() {
            if index > 0 { log("Fine-tuning: \(phase.epochs) epochs, \(phase.augmentationLevel ?? .standard) augmentation, learning rate \(phase.learningRate), cosine decay") }
            let augmenter = DigitAugmenter.forLevel(phase.augmentationLevel)
            let scans = StretchedScanAugmenter(probability: phase.stretchedScanProbability ?? 0)
            let trainer = try DigitTrainer(configuration: phase, model: model, train: split.train, validation: split.validation,
                                           augmentation: { src, dst, rng in
                guard scans.applies(using: &rng) else { return augmenter.augment(src, into: dst, using: &rng) }
                withUnsafeTemporaryAllocation(of: Float.self, capacity: dst.count) { scan in
                    scans.degrade(src, into: scan, using: &rng)
                    augmenter.augment(UnsafeBufferPointer(scan), into: dst, using: &rng)
                }
            })
            // The bar and the curves count epochs across phases.
            let offset = history.count
            let phaseHistory = trainer.run(progress: { p in
                var p = p
                p.epoch += offset
                p.epochs = totalEpochs
                p.finished?.epoch += offset
                bar.update(p)
            })
            history += phaseHistory.map { var e = $0; e.epoch += offset; return e }
        }
        let seconds = Date().timeIntervalSince(started)
        // A fine-tuned model's curves continue its parent's, so the card shows the whole training.
        let inherited = parent?.card.epochs ?? []
        model.card.epochs = inherited + history.map { var e = $0; e.epoch += inherited.count; return e }
        model.card.metrics["training_seconds"] = seconds + (parent?.card.metrics["training_seconds"] ?? 0)
        if let parent { model.card.notes = "Fine-tuned from \(parent.id) for \(history.count) epochs (from epoch \(inherited.count + 1))." }
        // A letter model's outputs are not digits: MNIST does not measure it.
        let testAccuracy = classes == .letters ? nil : model.evaluate(TrainingData.mnist(testSet)).accuracy
        model.card.metrics["mnist_test_accuracy"] = testAccuracy
        if classes != .digits {
            var evaluation = CharacterEvaluation(classes: classes)
            for (i, p) in model.predictBatch(split.validation).enumerated() {
                evaluation.record(label: Int(split.validation.labels[i]), read: p.indices.max { p[$0] < p[$1] } ?? 0)
            }
            model.card.metrics["digilets_heldout_accuracy"] = evaluation.exactAccuracy
            model.card.metrics["digilets_heldout_casefolded_accuracy"] = evaluation.caseFoldedAccuracy
            model.card.metrics["digilets_heldout_count"] = Double(evaluation.count)
        }
        if !pen.isEmpty {
            let heldOut = TrainingData.render(pen.filter { TrainingData.heldOutPenWriters.contains($0.writer) })
            model.card.metrics["pendigits_heldout_accuracy"] = model.evaluate(heldOut).accuracy
            model.card.metrics["pendigits_heldout_count"] = Double(heldOut.count)
        }
        if let adversarial = config.adversarial, advEvalCount > 0, classes != .letters {
            try measureRobustness(model, epsilon: adversarial.epsilon, test: testSet, log: log)
        }
        let output: String
        var registered: String?
        if let explicit = self.output {
            output = explicit
            try model.save(weightsPath: output)
        } else {
            let registry = try ModelRegistry(dataDirectory: location.directory, store: try location.openForWriting())
            _ = try? registry.prepare()  // the shipped model stays the active base version
            output = try registry.register(model, activate: false, metrics: model.card.metrics).path
            registered = model.id
        }
        let base = output.hasSuffix(".safetensors") ? String(output.dropLast(".safetensors".count)) : output
        try TrainingCurves.csv(history).write(toFile: base + "-curves.csv", atomically: true, encoding: .utf8)
        var written = [output, DigitModel.cardPath(forWeights: output), base + "-curves.csv"]
        // The model is already saved: a picture that cannot be drawn is worth a warning, not a failed run.
        do {
            try TrainingCurvesPicture.write(to: base + "-curves.png", model: ModelSummary(card: model.card))
            written.append(base + "-curves.png")
        } catch {
            log("warning: the training curves plot \(base)-curves.png was not written: \(error)")
        }
        if let testAccuracy { print(String(format: "MNIST test accuracy %.2f%%", testAccuracy * 100)) }
        if let exact = model.card.metrics["digilets_heldout_accuracy"], let folded = model.card.metrics["digilets_heldout_casefolded_accuracy"] {
            print(String(format: "Held-out writers' %@: %.2f%% exact case, %.2f%% case-folded", classes.rawValue, exact * 100, folded * 100))
        }
        if let adversarial = config.adversarial {
            print("Adversarial training: \(adversarial.summary)")
        }
        for record in model.card.robustness ?? [] { print("Robust accuracy: \(record.summary)") }
        if let p = model.card.metrics["pendigits_heldout_accuracy"] {
            print(String(format: "Pen digits (held-out writers) accuracy %.2f%%", p * 100))
        }
        print("Wrote \(written.dropLast().joined(separator: ", ")) and \(written.last ?? "") in \(TerminalProgress.duration(seconds))")
        if let registered {
            print("Added model version \(registered) (not active). Make it the app's model with: numeral model use \(registered)")
        }
    }
}

extension TrainCommand {
    /// FGSM and PGD-40 (L∞, random start, seed 0) at the training ε on the first test digits,
    /// recorded in the card with their settings.
    func measureRobustness(_ model: DigitModel, epsilon: Float, test: MNISTDataset, log: (String) -> Void) throws {
        let images = TrainingData.mnist(test.prefix(advEvalCount))
        let dataset = images.count < 10000 ? "mnist-test, first \(images.count)" : "mnist-test"
        for attack in [AttackSettings.fgsm(epsilon: epsilon), .pgd(epsilon: epsilon, steps: 40)] {
            log("Measuring \(attack.summary) on \(dataset)")
            let record = try RobustnessEvaluation.measure(model, on: images, attack: attack, dataset: dataset).record
            model.card.record(record)
        }
    }
}

extension TrainingConfiguration.AugmentationLevel: ExpressibleByArgument {}
extension DigitArchitecture.Family: ExpressibleByArgument {}
extension AdversarialTraining.Method: ExpressibleByArgument {}
