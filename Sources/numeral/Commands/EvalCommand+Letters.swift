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
                evaluation.recordUnreadable()
                continue
            }
            evaluation.record(label: label, read: digit.digit)
        }
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
            ]
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
        if evaluation.unreadable > 0 { print("Unreadable drawings (counted wrong): \(evaluation.unreadable)") }
        print("Most confused (expected→read): " + list(confused))
        print("Most confused, case ignored: " + list(confusedFolded))
    }
}
