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
    @Option(help: "Where to write the grid of most confident mistakes (PNG).") var mistakes = "eval-mistakes.png"
    @Option(help: "Evaluate only the first N items (0 = all).") var limit = 0

    func run() throws {
        do {
            try evaluate()
        } catch {
            throw failWithMessage(error)
        }
    }

    private func evaluate() throws {
        let recognizer = try Recognizer(locator: model.locator())
        if tta { recognizer.testTimeAugmentation = TestTimeAugmentation() }
        var outcomes: [EvalOutcome] = []
        let started = Date()
        if let penDigits {
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
        let report = EvalReport(outcomes: outcomes, seconds: Date().timeIntervalSince(started),
                                dataset: penDigits == nil ? "mnist-test" : "pendigits writers \(writers)",
                                modelID: recognizer.model.id)
        try writeMistakes(outcomes)
        print(json ? report.json() : report.text() + "\nMost confident mistakes: \(mistakes)")
    }

    private func parseWriters(_ text: String) throws -> ClosedRange<Int> {
        if text == "all" { return 1...Int.max }
        let parts = text.split(separator: "-").compactMap { Int($0) }
        if parts.count == 2, parts[0] <= parts[1] { return parts[0]...parts[1] }
        if parts.count == 1 { return parts[0]...parts[0] }
        throw ValidationError("--writers takes a range like 26-30, one writer, or all")
    }

    private func writeMistakes(_ outcomes: [EvalOutcome]) throws {
        let worst = outcomes.filter { $0.predicted != $0.label && $0.input != nil }
            .sorted { $0.confidence > $1.confidence }.prefix(40)
        let cells = worst.map { o in
            ContactSheet.Cell(image: o.input!, caption: "\(o.label)>\(o.predicted < 0 ? "-" : String(o.predicted)) \(Int((o.confidence * 100).rounded()))%")
        }
        let sheet = ContactSheet(columns: 10, scale: 3).render(cells)
        try PNGCodec.writeRGBA(path: mistakes, width: sheet.width, height: sheet.height, rgba: sheet.rgba)
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
