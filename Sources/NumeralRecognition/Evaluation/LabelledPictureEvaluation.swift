import Foundation
import NumeralVision

/// How the one picture reader does on labelled pictures (`numeral eval --photos DIR|MANIFEST.tsv`):
/// single-digit and number accuracy (a picture is right only when exactly its number is read),
/// how often a picture holding a digit was called blank, how many readings were marked unsure
/// and how well that flag separates wrong readings from right ones, per source.
public struct LabelledPictureEvaluation: Sendable {
    public struct Outcome: Equatable, Sendable {
        public var item: LabelledPictureSet.Item
        /// What was read ("" when nothing was found or the file failed).
        public var read: String
        public var blank: Bool
        public var unsure: Bool
        public var kind: PictureContent.Kind?
        public var confidence: Float
        public var error: String?
        /// The model inputs of the digits read (28×28), for a contact sheet of mistakes.
        public var inputs: [GrayImage] = []
        public var right: Bool { read == item.label }
    }

    public struct Tally: Equatable, Sendable {
        public var right = 0
        public var total = 0
        public var accuracy: Double { total == 0 ? 0 : Double(right) / Double(total) }
        mutating func add(_ ok: Bool) { total += 1; if ok { right += 1 } }
    }

    public var outcomes: [Outcome]

    public init(outcomes: [Outcome]) { self.outcomes = outcomes }

    /// Reads every picture of `set` with `recognizer` through `route`.
    public static func run(recognizer: Recognizer, set: LabelledPictureSet, route: PictureRoute = .automatic,
                           progress: ((Int, Outcome) -> Void)? = nil) -> LabelledPictureEvaluation {
        var outcomes: [Outcome] = []
        for (index, item) in set.items.enumerated() {
            var outcome = Outcome(item: item, read: "", blank: false, unsure: false, kind: nil, confidence: 0, error: nil)
            do {
                let (picture, _) = try PictureFile.read(path: item.path)
                let reading = try recognizer.read(picture: picture, route: route)
                outcome.read = reading.text
                outcome.blank = reading.isEmpty
                outcome.unsure = reading.unsure
                outcome.kind = reading.kind
                outcome.confidence = reading.confidence
                outcome.inputs = reading.numbers.flatMap(\.digits).map(\.input)
            } catch {
                outcome.error = String(describing: error)
            }
            outcomes.append(outcome)
            progress?(index, outcome)
        }
        return LabelledPictureEvaluation(outcomes: outcomes)
    }

    public var singles: Tally { tally(outcomes.filter(\.item.isSingle)) }
    public var numbers: Tally { tally(outcomes.filter { !$0.item.isSingle }) }
    /// Pictures (all hold a digit) read as holding none.
    public var blankRate: Double { outcomes.isEmpty ? 0 : Double(outcomes.filter(\.blank).count) / Double(outcomes.count) }
    public var unsureShare: Double { outcomes.isEmpty ? 0 : Double(outcomes.filter(\.unsure).count) / Double(outcomes.count) }
    /// Of the wrong readings (blank ones excluded: nothing was shown), the share marked unsure.
    public var wrongFlagged: Double { share(outcomes.filter { !$0.right && !$0.blank && $0.error == nil }, \.unsure) }
    /// Of the right readings, the share marked unsure (the price of the flag).
    public var rightFlagged: Double { share(outcomes.filter(\.right), \.unsure) }
    public var sources: [String] { Array(Set(outcomes.map(\.item.source))).sorted() }

    public func singles(from source: String) -> Tally { tally(outcomes.filter { $0.item.source == source && $0.item.isSingle }) }
    public func numbers(from source: String) -> Tally { tally(outcomes.filter { $0.item.source == source && !$0.item.isSingle }) }

    private func tally(_ chosen: [Outcome]) -> Tally {
        chosen.reduce(into: Tally()) { $0.add($1.right) }
    }

    private func share(_ chosen: [Outcome], _ flag: KeyPath<Outcome, Bool>) -> Double {
        chosen.isEmpty ? 0 : Double(chosen.filter { $0[keyPath: flag] }.count) / Double(chosen.count)
    }

    /// A Markdown table per source, then the totals and the flag's figures.
    public var table: String {
        func cell(_ t: Tally) -> String { t.total == 0 ? "—" : String(format: "%.1f %% (%d/%d)", t.accuracy * 100, t.right, t.total) }
        var lines = ["| Source | Single digits | Numbers |", "| --- | --- | --- |"]
        for source in sources { lines.append("| \(source) | \(cell(singles(from: source))) | \(cell(numbers(from: source))) |") }
        lines.append("| **all** | **\(cell(singles))** | **\(cell(numbers))** |")
        lines.append("")
        lines.append(String(format: "Blank on a picture holding a digit: %.1f %%. Marked unsure: %.1f %% of readings, %.1f %% of the wrong ones, %.1f %% of the right ones.",
                            blankRate * 100, unsureShare * 100, wrongFlagged * 100, rightFlagged * 100))
        return lines.joined(separator: "\n")
    }

    /// Every picture not read right: file, label, what was read.
    public var misses: [String] {
        outcomes.filter { !$0.right }.map { o in
            let what = o.error.map { "error: \($0)" } ?? (o.blank ? "blank" : "\"\(o.read)\"")
            return "\(o.item.path): \(o.item.label) read as \(what)\(o.unsure ? " (unsure)" : "")"
        }
    }

    public var jsonObject: [String: Any] {
        func t(_ tally: Tally) -> [String: Any] { ["right": tally.right, "count": tally.total, "accuracy": tally.accuracy] }
        return [
            "count": outcomes.count,
            "single": t(singles),
            "number": t(numbers),
            "blank_rate": blankRate,
            "unsure_share": unsureShare,
            "unsure_of_wrong": wrongFlagged,
            "unsure_of_right": rightFlagged,
            "sources": sources.map { ["source": $0, "single": t(singles(from: $0)), "number": t(numbers(from: $0))] as [String: Any] },
            "misses": outcomes.filter { !$0.right }.map { o -> [String: Any] in
                var m: [String: Any] = ["file": o.item.path, "label": o.item.label, "read": o.read, "blank": o.blank, "unsure": o.unsure]
                if let e = o.error { m["error"] = e }
                if let k = o.kind { m["read_as"] = k.rawValue }
                return m
            },
        ]
    }
}
