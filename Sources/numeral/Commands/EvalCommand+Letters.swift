import ArgumentParser
import Foundation
import NumeralRecognition
import NumeralVision

extension EvalCommand {
    /// `--letters FILE|DIR`: every character through the canvas's path (one character per
    /// drawing), exact-case and case-folded accuracy, and the pairs confused most.
    func evaluateLetters(_ path: String) throws {
        let locator = model.locator(defaultClasses: .letters)
        let recognizer = try Recognizer(locator: locator)
        if noTrajectory { recognizer.trajectoryModel = nil }
        let classes = recognizer.classes
        var items = try LabelledCharacters.load(path: path).items
        if heldOut {
            let held = TrainingData.heldOutDigiLeTsWriters(among: items.map(\.writer))
            items = items.filter { held.contains($0.writer) }
        }
        let outside = items.filter { classes.index(of: $0.symbol) == nil }.count
        items = items.filter { classes.index(of: $0.symbol) != nil }
        if limit > 0 { items = Array(items.prefix(limit)) }
        guard !items.isEmpty else {
            throw UserFacingError("\(path) holds no characters that \(classes.rawValue) reads (\(outside) others were skipped).")
        }
        let started = Date()
        var evaluation = CharacterEvaluation(classes: classes)
        for item in items {
            guard let label = classes.index(of: item.symbol),
                  let digit = (try? recognizer.recognize(item.drawing, multiDigit: false))?.digits.first else {
                evaluation.recordUnreadable(label: classes.index(of: item.symbol))
                continue
            }
            evaluation.record(label: label, read: digit.digit)
        }
        let words = letterWords ? try caseInWords(items, recognizer: recognizer) : nil
        let seconds = Date().timeIntervalSince(started)
        let writers = Set(items.map(\.writer)).count
        let modelID = recognizer.model.id + (recognizer.trajectoryModel.map { " + \($0.id)" } ?? "")
        let confused = evaluation.mostConfused(10), confusedFolded = evaluation.mostConfused(10, ignoringCase: true)
        if json {
            func rows(_ list: [CharacterEvaluation.Confusion]) -> [[String: Any]] {
                list.map { ["expected": String($0.expected), "read": String($0.read), "count": $0.count] }
            }
            let object: [String: Any] = [
                "dataset": path + (heldOut ? " (held-out writers)" : ""), "classes": classes.rawValue, "model": modelID,
                "count": evaluation.count, "writers": writers, "skipped_other_characters": outside,
                "unreadable": evaluation.unreadable, "exact_accuracy": evaluation.exactAccuracy,
                "casefolded_accuracy": evaluation.caseFoldedAccuracy, "most_confused": rows(confused),
                "most_confused_ignoring_case": rows(confusedFolded), "seconds": seconds,
                "distinct_shape_exact_accuracy": evaluation.distinctShapeExactAccuracy,
            ].merging(words.map { w -> [String: Any] in
                ["words": ["count": w.count, "alone_exact": w.alone, "in_words_exact": w.inWords, "split_wrongly": w.splitWrongly]]
            } ?? [:]) { $1 }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        func list(_ confusions: [CharacterEvaluation.Confusion]) -> String {
            confusions.isEmpty ? "none" : confusions.map { "\($0.expected)→\($0.read) \($0.count)" }.joined(separator: ", ")
        }
        print("Characters: \(evaluation.count) by \(writers) writer\(writers == 1 ? "" : "s") from \(path)\(heldOut ? " (held-out writers)" : ""), "
              + "read as \(classes.rawValue) by \(modelID)" + (outside > 0 ? "; \(outside) characters outside the set skipped" : ""))
        print(String(format: "Exact case: %.2f%%   case-folded: %.2f%%   (%.1f s)", evaluation.exactAccuracy * 100,
                     evaluation.caseFoldedAccuracy * 100, seconds))
        print(String(format: "Exact case on characters whose cases differ in shape (all but c k o p s u v w x y z): %.2f%%",
                     evaluation.distinctShapeExactAccuracy * 100))
        if evaluation.unreadable > 0 { print("Unreadable drawings (counted wrong): \(evaluation.unreadable)") }
        if let w = words {
            print(String(format: "Case of c k o p s u v w x y z (%d, both cases): alone %.2f%% exact, after the writer's own \"H\" and \"n\" on one line %.2f%% (%d words split wrongly)",
                         w.count, w.alone * 100, w.inWords * 100, w.splitWrongly))
        }
        print("Most confused (expected→read): " + list(confused))
        print("Most confused, case ignored: " + list(confusedFolded))
    }

    /// `--words`: each letter whose cases share a shape, written after the same writer's "H" and
    /// "n" in their writing squares side by side (their sizes and places on the line as the
    /// writer made them), read as one drawing: is its case right alone, and in the word?
    func caseInWords(_ items: [LabelledCharacters.Item], recognizer: Recognizer)
        throws -> (count: Int, alone: Double, inWords: Double, splitWrongly: Int) {
        guard recognizer.classes != .digits else { throw ValidationError("--words reads letters: use --classes letters or alphanumeric") }
        let byWriter = Dictionary(grouping: items, by: \.writer)
        var count = 0, alone = 0, inWords = 0, split = 0
        for (_, own) in byWriter.sorted(by: { $0.key < $1.key }) {
            guard let capital = own.first(where: { $0.symbol == "H" }), let small = own.first(where: { $0.symbol == "n" }) else { continue }
            for item in own where CharacterClasses.sharedShapeLetters.contains(CharacterClasses.folded(item.symbol)) {
                count += 1
                if let d = (try? recognizer.recognize(item.drawing, multiDigit: false))?.digits.first, d.symbol == item.symbol { alone += 1 }
                var strokes: [Stroke] = []
                for (i, part) in [capital.drawing, small.drawing, item.drawing].enumerated() {
                    strokes += part.strokes.map { Stroke(points: $0.points.map { p in
                        var q = p
                        q.x += Double(i) * DigiLeTs.canvasSize
                        return q
                    }) }
                }
                let word = Drawing(strokes: strokes, width: 3 * DigiLeTs.canvasSize, height: DigiLeTs.canvasSize)
                guard let reading = try? recognizer.recognize(word), reading.digits.count == 3 else { split += 1; continue }
                if reading.digits[2].symbol == item.symbol { inWords += 1 }
            }
        }
        guard count > 0 else { throw UserFacingError("no writer has an \"H\", an \"n\" and a letter whose cases share a shape") }
        return (count, Double(alone) / Double(count), Double(inWords) / Double(count), split)
    }
}
