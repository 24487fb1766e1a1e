import ArgumentParser
import Foundation
import NumeralRecognition
import NumeralVision

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure the model on the MNIST test set, or on pen-drawn digits through the canvas's path.",
        discussion: """
        Prints accuracy, per-class accuracy and the confusion matrix, and writes a PNG grid of the most confident \
        mistakes (caption: true>predicted confidence). With --pen-digits, each drawing goes through exactly what \
        the canvas does (validation, splitting into digits, normalization, the model); a drawing counts as right \
        only if the whole recognized number equals its label.
        """)

    @OptionGroup var mnist: MNISTOptions
    @OptionGroup var model: ModelOptions
    @Flag(help: "One JSON object on stdout.") var json = false
    @Option(help: "Evaluate on this pen digits JSON instead of MNIST.") var penDigits: String?
    @Option(help: "With --pen-digits: writers to include, e.g. 26-30 (the held-out writers) or all.") var writers = "26-30"
    @Flag(help: "Average over shifted/rotated copies (test-time augmentation; pen digits only).") var tta = false
    @Option(help: "Write a grid of the most confident mistakes (PNG) here; with --photos DIR, the model inputs of every misread picture. Nothing is written without it.")
    var mistakes: String?
    @Option(help: "Evaluate only the first N items (0 = all).") var limit = 0
    @Option(help: ArgumentHelp("Read pictures instead: a folder of labelled pictures or a MANIFEST.tsv (single and number accuracy, blank rate, unsure share, per source), or N synthetic photos of digits on paper (accuracy by condition; MNIST digits, plus pen digits with --pen-digits).", valueName: "dir|manifest|N"))
    var photos: String?
    @Option(help: "With --photos DIR: read every picture as photo or scan instead of deciding from its content (automatic).")
    var route: String = "automatic"
    @Option(help: "With --photos: test (MNIST test digits, pen writers 26-30) or validation (the last 5,000 MNIST training digits, which training holds out, writers 1-25, another seed).")
    var photoSplit = "test"
    @Option(help: "With --photos: the generator's seed (default 1313 for test, 2024 for validation).") var photoSeed: UInt64?
    @Option(help: "With --photos: write every photo as JPEG into this folder (misread ones named with what was read).")
    var savePhotos: String?
    @Option(help: "Read N box-stretched 16x16 scans (thresholded, enlarged) made from the last 5,000 MNIST training digits (the validation split, never trained on) through the picture path; with --pen-digits, made from the first N drawings of --writers instead.")
    var stretchedScans: Int?
    @Flag(help: "Read very narrow zeros and ones (40-120 px wide, 380 px tall) through the canvas path; with --pen-digits, the writers' own 0s and 1s squeezed too.")
    var narrow = false
    @Flag(help: "Drawings only: read with the image model alone, without the pen-trajectory model.")
    var noTrajectory = false
    @Option(help: "Drawings only: the normalizer's aspect floor (0 keeps every aspect ratio, as before 0.5 became the default).")
    var aspectFloor: Double?
    @OptionGroup var attack: AttackOptions
    @Option(help: ArgumentHelp("Read handwritten characters instead: DigiLeTs (a writer's file or a folder) or JSON Lines drawings with a \"label\" string; prints exact-case and case-folded accuracy and the most confused pairs. Reads with --classes (letters unless given).", valueName: "file|dir"))
    var letters: String?
    @Flag(help: "With --letters on DigiLeTs: only the writers training holds out (every fifth in ID order).")
    var heldOut = false
    @Flag(name: .customLong("words"), help: "With --letters on DigiLeTs: also read each of c k o p s u v w x y z (both cases) after the same writer's \"H\" and \"n\" on one line, and report its case alone and in the word.")
    var letterWords = false

    func validate() throws {
        try attack.validate(otherSources: photos != nil || stretchedScans != nil || narrow || penDigits != nil,
                            limit: limit, tta: tta)
        if photos == nil && (photoSeed != nil || savePhotos != nil || photoSplit != "test") {
            throw ValidationError("--photo-split, --photo-seed and --save-photos go with --photos N")
        }
        if photos != nil && (tta || limit != 0) {
            throw ValidationError("--tta and --limit do not apply to --photos")
        }
        if [photos != nil, stretchedScans != nil, narrow].filter({ $0 }).count > 1 {
            throw ValidationError("choose one of --photos, --stretched-scans and --narrow")
        }
        if let stretchedScans, penDigits == nil, !(1...5000).contains(stretchedScans) {
            throw ValidationError("--stretched-scans takes 1...5000 (the validation split's size)")
        }
        if let stretchedScans, stretchedScans < 1 {
            throw ValidationError("--stretched-scans takes a positive count")
        }
        if letters != nil && (photos != nil || stretchedScans != nil || narrow || penDigits != nil || tta) {
            throw ValidationError("--letters reads characters on its own: leave out --photos, --stretched-scans, --narrow, --pen-digits and --tta")
        }
        if (heldOut || letterWords) && letters == nil { throw ValidationError("--held-out and --words go with --letters") }
        if let aspectFloor, !(aspectFloor >= 0 && aspectFloor <= 1) {
            throw ValidationError("--aspect-floor is a fraction in 0...1")
        }
    }

    func run() throws {
        do {
            try evaluate()
        } catch {
            throw failWithMessage(error)
        }
    }

    private func evaluate() throws {
        if attack.method != nil { return try evaluateUnderAttack() }
        if let letters { return try evaluateLetters(letters) }
        if let photos {
            if let count = Int(photos) { return try evaluatePhotos(count: count) }
            return try evaluateLabelledPictures(photos)
        }
        let recognizer = try Recognizer(locator: model.locator())
        if tta { recognizer.testTimeAugmentation = TestTimeAugmentation() }
        if let aspectFloor {
            let n = recognizer.normalizer
            recognizer.normalizer = DrawingNormalizer(penWidth: n.penWidth, targetBox: n.targetBox, size: n.size,
                                                      edgeSoftness: n.edgeSoftness, pressureInfluence: n.pressureInfluence,
                                                      aspectFloor: aspectFloor)
        }
        if noTrajectory { recognizer.trajectoryModel = nil }
        if narrow { return try evaluateNarrow(recognizer) }
        var outcomes: [EvalOutcome] = []
        let started = Date()
        var dataset = penDigits == nil ? "mnist-test" : "pendigits writers \(writers)"
        if let stretchedScans, let penDigits {
            let range = try parseWriters(writers)
            let samples = try PenDigits.load(path: penDigits).filter { range.contains($0.writer) }
            let set = StretchedScanSet(pens: Array(samples.prefix(stretchedScans)), seed: 1616)
            outcomes = set.evaluate(with: recognizer).map {
                EvalOutcome(label: $0.label, predicted: $0.predicted, confidence: $0.confidence, input: $0.input)
            }
            dataset = "box-stretched 16x16 scans of pen digits, writers \(writers) (seed 1616)"
        } else if let stretchedScans {
            let train = TrainingData.mnist(try MNISTDataset.load(directory: mnist.resolved, split: .train))
            let set = StretchedScanSet(images: train.subset((train.count - 5000)..<(train.count - 5000 + stretchedScans)),
                                       seed: 1616)
            outcomes = set.evaluate(with: recognizer).map {
                EvalOutcome(label: $0.label, predicted: $0.predicted, confidence: $0.confidence, input: $0.input)
            }
            dataset = "box-stretched 16x16 scans of MNIST validation digits (seed 1616)"
        } else if let penDigits {
            let range = try parseWriters(writers)
            var samples = try PenDigits.load(path: penDigits).filter { range.contains($0.writer) }
            if limit > 0 { samples = Array(samples.prefix(limit)) }
            for s in samples {
                let r = try? recognizer.recognize(s.drawing)
                let guess = r?.number ?? ""
                let predicted = guess.count == 1 ? Int(guess) ?? -1 : -1
                outcomes.append(EvalOutcome(label: s.label, predicted: predicted,
                                            confidence: r?.confidence ?? 0, input: r?.digits.first?.input))
            }
        } else {
            var test = try MNISTDataset.load(directory: mnist.resolved, split: .test)
            if limit > 0 { test = test.prefix(limit) }
            let images = TrainingData.mnist(test)
            let probs = recognizer.model.predictBatch(images)
            for (i, p) in probs.enumerated() {
                let d = DigitPrediction(probabilities: p, input: GrayImage(width: 28, height: 28, pixels: Array(images.image(i))))
                outcomes.append(EvalOutcome(label: Int(images.labels[i]), predicted: d.digit, confidence: d.confidence, input: d.input))
            }
        }
        // Drawings are read with the pen-trajectory model, scans (pictures) with the picture model.
        let companion = stretchedScans != nil ? recognizer.pictureModel.map { " + \($0.id)" } ?? ""
            : penDigits != nil ? recognizer.trajectoryModel.map { " + \($0.id)" } ?? "" : ""
        let report = EvalReport(outcomes: outcomes, seconds: Date().timeIntervalSince(started),
                                dataset: dataset, modelID: recognizer.model.id + companion)
        try writeMistakes(outcomes)
        print(json ? report.json() : report.text() + (mistakes.map { "\nMost confident mistakes: \($0)" } ?? ""))
    }

    /// `--narrow`: narrow zeros and ones through the canvas path, by kind and width.
    private func evaluateNarrow(_ recognizer: Recognizer) throws {
        var pens: [PenSample] = []
        if let penDigits {
            let range = try parseWriters(writers)
            pens = try PenDigits.load(path: penDigits).filter { range.contains($0.writer) }
        }
        let results = NarrowDigitSet(pens: pens).evaluate(with: recognizer)
        var rows: [[String: Any]] = []
        var lines: [String] = []
        let groups = Dictionary(grouping: results) { (r: (item: NarrowDigitSet.Item, predicted: Int, confidence: Float, input: GrayImage?)) in
            "\(r.item.label) \(r.item.kind)"
        }
        for key in groups.keys.sorted() {
            let group = groups[key] ?? []
            let widths = Set(group.map { $0.item.width }).sorted()
            var cells: [String] = []
            for width in widths {
                let at = group.filter { $0.item.width == width }
                let right = at.filter { $0.predicted == $0.item.label }.count
                cells.append(String(format: "%.0f px %d/%d", width, right, at.count))
                rows.append(["label": at[0].item.label, "kind": at[0].item.kind, "width": width, "right": right, "count": at.count])
            }
            let right = group.filter { $0.predicted == $0.item.label }.count
            lines.append(String(format: "%@: %.1f%% (%d/%d) — ", key, 100 * Double(right) / Double(group.count), right, group.count)
                         + cells.joined(separator: ", "))
        }
        let zeros = results.filter { $0.item.label == 0 }, ones = results.filter { $0.item.label == 1 }
        let zeroRight = zeros.filter { $0.predicted == 0 }.count, oneRight = ones.filter { $0.predicted == 1 }.count
        if json {
            let object: [String: Any] = ["dataset": "narrow digits, \(NarrowDigitSet.height) px tall", "model": recognizer.model.id,
                                         "zeros_right": zeroRight, "zeros": zeros.count, "ones_right": oneRight, "ones": ones.count,
                                         "aspect_floor": recognizer.normalizer.aspectFloor, "groups": rows]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print(String(format: "Narrow digits (%.0f px tall), model %@%@, aspect floor %.2f", NarrowDigitSet.height,
                     recognizer.model.id, recognizer.trajectoryModel.map { " + " + $0.id } ?? "", recognizer.normalizer.aspectFloor))
        print(String(format: "Zeros read as 0: %d/%d; ones read as 1: %d/%d", zeroRight, zeros.count, oneRight, ones.count))
        lines.forEach { print("  " + $0) }
    }

    /// `--photos N`: the photo reader on synthetic photos, by condition.
    /// `--photos DIR|MANIFEST.tsv`: real pictures through the one picture reader.
    private func evaluateLabelledPictures(_ path: String) throws {
        guard let route = PictureRoute(rawValue: route) else {
            throw ValidationError("--route is automatic, photo or scan")
        }
        let set = try LabelledPictureSet.load(path: path)
        let recognizer = try Recognizer(locator: model.locator())
        let started = Date()
        let result = LabelledPictureEvaluation.run(recognizer: recognizer, set: set, route: route)
        let seconds = Date().timeIntervalSince(started)
        if json {
            var object = result.jsonObject
            object["dataset"] = path
            object["route"] = route.rawValue
            object["model"] = recognizer.model.id + (recognizer.pictureModel.map { " + \($0.id)" } ?? "")
            object["seconds"] = seconds
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("\(set.items.count) labelled pictures from \(path), read \(route == .automatic ? "by content" : "as \(route.rawValue)") in \(String(format: "%.1f", seconds)) s\n")
        print(result.table)
        let misses = result.misses
        if !misses.isEmpty { print("\nNot read right (\(misses.count)):\n" + misses.joined(separator: "\n")) }
        if let mistakes {
            try writeSheet(result.outcomes.filter { !$0.right }.flatMap { o in
                o.inputs.map { ContactSheet.Cell(image: $0, caption: "\(o.item.label)>\(o.read.isEmpty ? "-" : o.read)") }
            }, to: mistakes)
            print("Model inputs of the misread pictures: \(mistakes)")
        }
    }

    private func evaluatePhotos(count: Int) throws {
        guard count > 0 else { throw ValidationError("--photos needs a positive count") }
        guard photoSplit == "test" || photoSplit == "validation" else {
            throw ValidationError("--photo-split is test or validation")
        }
        let validation = photoSplit == "validation"
        let recognizer = try Recognizer(locator: model.locator())
        var digits = try MNISTDataset.load(directory: mnist.resolved, split: validation ? .train : .test)
        if validation && digits.count > 5000 {
            // The last 5,000 training images: the trainer's own validation split, never trained on.
            let start = digits.count - 5000, side = MNISTDataset.pixelsPerImage
            digits = try MNISTDataset(images: Array(digits.images[(start * side)...]), labels: Array(digits.labels[start...]))
        }
        let range = validation ? 1...25 : 26...30
        let pens = try penDigits.map { try PenDigits.load(path: $0).filter { range.contains($0.writer) } } ?? []
        let seed = photoSeed ?? (validation ? 2024 : 1313)
        if let savePhotos { try FileManager.default.createDirectory(atPath: savePhotos, withIntermediateDirectories: true) }
        let started = Date()
        var latencies: [Double] = []
        let result = try PhotoEvaluation.run(recognizer: recognizer, source: .init(mnist: digits, pens: pens),
                                             count: count, seed: seed) { index, photo, reading in
            latencies.append(reading.latencyMs)
            guard let savePhotos else { return }
            let read = reading.text.isEmpty ? "nothing" : reading.text.replacingOccurrences(of: " ", with: "_")
            let name = String(format: "%04d-%@-%@", index, photo.condition.rawValue, photo.label)
                + (reading.text == photo.label ? "" : "-read-\(read)") + ".jpg"
            try? Data(photo.jpeg).write(to: URL(fileURLWithPath: savePhotos).appendingPathComponent(name))
        }
        latencies.sort()
        if json {
            var object: [String: Any] = [
                "dataset": "synthetic photos (\(photoSplit))", "seed": seed, "count": count, "model": recognizer.model.id + (recognizer.pictureModel.map { " + \($0.id)" } ?? ""),
                "singles_accuracy": result.singles.accuracy, "numbers_accuracy": result.numbers.accuracy,
            ]
            object["conditions"] = result.rows.map { row in
                ["condition": row.condition, "singles_right": row.singles.right, "singles": row.singles.total,
                 "numbers_right": row.numbers.right, "numbers": row.numbers.total] as [String: Any]
            }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        let pen = pens.isEmpty ? "" : " and \(pens.count) pen drawings"
        print("\(count) synthetic 640x480 photos (\(photoSplit): MNIST \(validation ? "training" : "test") digits\(pen), seed \(seed)), model \(recognizer.model.id)\(recognizer.pictureModel.map { " + \($0.id)" } ?? "")")
        print(result.table)
        print(String(format: "Photo reading latency (this build): p50 %.1f ms, p95 %.1f ms; %.0f s in all",
                     latencies[latencies.count / 2], latencies[min(latencies.count - 1, latencies.count * 95 / 100)],
                     Date().timeIntervalSince(started)))
    }

    private func parseWriters(_ text: String) throws -> ClosedRange<Int> {
        if text == "all" { return 1...Int.max }
        let parts = text.split(separator: "-").compactMap { Int($0) }
        if parts.count == 2, parts[0] <= parts[1] { return parts[0]...parts[1] }
        if parts.count == 1 { return parts[0]...parts[0] }
        throw ValidationError("--writers takes a range like 26-30, one writer, or all")
    }

    private func writeMistakes(_ outcomes: [EvalOutcome]) throws {
        guard let mistakes else { return }
        let worst = outcomes.filter { $0.predicted != $0.label && $0.input != nil }
            .sorted { $0.confidence > $1.confidence }.prefix(40)
        let cells = worst.map { o in
            ContactSheet.Cell(image: o.input!, caption: "\(o.label)>\(o.predicted < 0 ? "-" : String(o.predicted)) \(Int((o.confidence * 100).rounded()))%")
        }
        try writeSheet(Array(cells), to: mistakes)
    }

    func writeSheet(_ cells: [ContactSheet.Cell], to path: String) throws {
        let sheet = ContactSheet(columns: 10, scale: 3).render(cells)
        try PNGCodec.writeRGBA(path: path, width: sheet.width, height: sheet.height, rgba: sheet.rgba)
    }
}

struct EvalOutcome {
    let label: Int
    /// -1 when nothing or several digits were recognized.
    let predicted: Int
    let confidence: Float
    let input: GrayImage?
}

struct EvalReport {
    let outcomes: [EvalOutcome]
    let seconds: Double
    let dataset: String
    let modelID: String

    var correct: Int { outcomes.filter { $0.label == $0.predicted }.count }
    var accuracy: Double { outcomes.isEmpty ? 0 : Double(correct) / Double(outcomes.count) }

    var perClass: [Double] {
        (0..<10).map { d in
            let of = outcomes.filter { $0.label == d }
            return of.isEmpty ? 0 : Double(of.filter { $0.predicted == d }.count) / Double(of.count)
        }
    }

    /// Rows: actual digit; columns: predicted digit, plus a last column for "not a single digit".
    var confusion: [[Int]] {
        var m = Array(repeating: Array(repeating: 0, count: 11), count: 10)
        for o in outcomes where (0...9).contains(o.label) { m[o.label][o.predicted < 0 ? 10 : o.predicted] += 1 }
        return m
    }

    func json() -> String {
        let object: [String: Any] = [
            "dataset": dataset, "model": modelID, "accuracy": accuracy, "count": outcomes.count, "correct": correct,
            "per_class_accuracy": perClass, "confusion": confusion, "seconds": seconds,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    func text() -> String {
        var s = String(format: "%@ — model %@\nAccuracy %.2f%% (%d of %d) in %.1f s\n\nPer digit:\n", dataset, modelID,
                       accuracy * 100, correct, outcomes.count, seconds)
        for (d, a) in perClass.enumerated() { s += String(format: "  %d  %6.2f%%\n", d, a * 100) }
        s += "\nConfusion (rows actual, columns predicted; ? = no single digit):\n      " +
            (0..<10).map { String(format: "%5d", $0) }.joined() + "    ?\n"
        for (d, row) in confusion.enumerated() {
            s += String(format: "  %d  ", d) + row.map { String(format: "%5d", $0) }.joined() + "\n"
        }
        return s
    }
}
