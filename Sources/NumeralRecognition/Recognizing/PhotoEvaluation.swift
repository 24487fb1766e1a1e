import Foundation
import NumeralVision

/// Accuracy of the photo path on synthetic photos, by condition: single digits and 2–4 digit
/// numbers rendered from MNIST digits and pen drawings onto paper (`PhotoSynthesizer`). A photo
/// counts as right only if exactly the written number is read (one number, every digit right).
public struct PhotoEvaluation: Sendable {
    public struct Tally: Equatable, Sendable {
        public var right = 0
        public var total = 0
        public var accuracy: Double { total == 0 ? 0 : Double(right) / Double(total) }
        mutating func add(_ ok: Bool) { total += 1; if ok { right += 1 } }
    }

    public struct Row: Equatable, Sendable {
        public var condition: String
        public var singles = Tally()
        public var numbers = Tally()
    }

    /// Where the digits come from. Report with MNIST test digits and held-out pen writers; tune on
    /// MNIST training digits and other writers with another seed.
    public struct Source: Sendable {
        public var mnist: MNISTDataset?
        public var pens: [PenSample]

        public init(mnist: MNISTDataset?, pens: [PenSample]) {
            self.mnist = mnist
            self.pens = pens
        }
    }

    public var rows: [Row]
    public var failures: [(condition: PhotoCondition, label: String, read: String)]

    public var singles: Tally { rows.reduce(into: Tally()) { $0.right += $1.singles.right; $0.total += $1.singles.total } }
    public var numbers: Tally { rows.reduce(into: Tally()) { $0.right += $1.numbers.right; $0.total += $1.numbers.total } }

    /// Reads `count` photos (conditions in turn, single digits and numbers alternating).
    public static func run(recognizer: Recognizer, source: Source, count: Int, seed: UInt64,
                           reader: PhotoReader = PhotoReader(),
                           conditions: [PhotoCondition] = PhotoCondition.allCases,
                           photo: ((Int, SyntheticPhoto, PhotoRecognition) -> Void)? = nil) throws -> PhotoEvaluation {
        precondition(source.mnist != nil || !source.pens.isEmpty, "photo evaluation needs MNIST or pen digits")
        var synthesizer = PhotoSynthesizer(seed: seed)
        var choose = SplitMix64(seed: seed ^ 0x5EED_D161)
        func pick(_ n: Int) -> Int { Int(choose.next() % UInt64(n)) }
        // One writer, one pen per photo: all its digits from the same source with the same pen.
        var usePen = false, radius = 2.0
        func glyph() -> DigitGlyph {
            if usePen {
                let sample = source.pens[pick(source.pens.count)]
                return DigitGlyph(drawing: sample.drawing, label: sample.label, height: 80, penRadius: radius)
            }
            let mnist = source.mnist!
            let index = pick(mnist.count)
            return DigitGlyph(mnist: mnist.grayImage(at: index), label: Int(mnist.labels[index]))
        }
        var rows = conditions.map { Row(condition: $0.rawValue) }
        var failures: [(PhotoCondition, String, String)] = []
        for i in 0..<count {
            let conditionIndex = i % conditions.count
            let single = (i / conditions.count) % 2 == 0
            let digits = single ? 1 : 2 + pick(3)
            usePen = source.mnist == nil || (!source.pens.isEmpty && pick(2) == 0)
            radius = 1.5 + Double(pick(100)) / 100 * 2.0
            let made = try synthesizer.make((0..<digits).map { _ in glyph() }, condition: conditions[conditionIndex])
            let result = recognizer.read(photo: made.image, reader: reader)
            let ok = result.numbers.count == 1 && result.text == made.label
            if single { rows[conditionIndex].singles.add(ok) } else { rows[conditionIndex].numbers.add(ok) }
            if !ok { failures.append((conditions[conditionIndex], made.label, result.text)) }
            photo?(i, made, result)
        }
        return PhotoEvaluation(rows: rows, failures: failures)
    }

    /// A Markdown table: accuracy per condition, then the totals.
    public var table: String {
        func cell(_ t: Tally) -> String { t.total == 0 ? "—" : String(format: "%.1f %% (%d/%d)", t.accuracy * 100, t.right, t.total) }
        var lines = ["| Condition | Single digits | 2–4 digit numbers |", "| --- | --- | --- |"]
        for row in rows { lines.append("| \(row.condition) | \(cell(row.singles)) | \(cell(row.numbers)) |") }
        lines.append("| **all** | **\(cell(singles))** | **\(cell(numbers))** |")
        return lines.joined(separator: "\n")
    }
}
