import ArgumentParser
import Foundation
import NumeralRecognition
import NumeralVision

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Recognize digits in PNG or JPEG pictures (photos of paper too) or stroke drawings (.json / .jsonl).",
        discussion: """
        Each picture or drawing gives one result, in input order; several digits side by side are read as a number. \
        A bad file or line gives an error result and the rest continue; the exit status is 1 if any input failed.
        """)

    @OptionGroup var model: ModelOptions
    @Argument(help: "PNG or JPEG files to recognize; drawing files (.json / .jsonl, told apart by their content) are read as drawings.")
    var images: [String] = []
    @Option(help: "A drawing (.json) or many drawings, one per line (.jsonl).") var strokes: String?
    @Flag(help: "One JSON object per result on stdout.") var json = false
    @Flag(help: "Average over shifted/rotated copies (test-time augmentation; drawings only).") var tta = false
    @Flag(help: "Treat each input as a single digit (no splitting into several).") var singleDigit = false
    @Flag(help: "Read every picture as a photo of paper (shadows, rules and desk ignored), whatever its content says.")
    var photo = false
    @Flag(help: "Read every picture as a clean bitmap or scan, whatever its content says.")
    var scan = false

    func validate() throws {
        if images.isEmpty && strokes == nil { throw ValidationError("give PNG or JPEG files or --strokes FILE") }
        if photo && scan { throw ValidationError("--photo and --scan each force one way of reading; give at most one") }
    }

    /// How pictures are read: by their content unless --photo or --scan says otherwise.
    private var route: PictureRoute { photo ? .photo : scan ? .scan : .automatic }

    func run() throws {
        let recognizer: Recognizer
        do {
            recognizer = try Recognizer(locator: model.locator())
        } catch {
            throw failWithMessage(error)
        }
        if tta { recognizer.testTimeAugmentation = TestTimeAugmentation() }
        var failed = false
        let emit = { (result: PredictionOutput) in
            if case .failure = result.outcome { failed = true }
            print(json ? result.json() : result.text())
        }
        for path in images {
            // `predict drawing.json` and `predict --strokes a.json b.json` mean drawings, not pictures.
            if Self.isDrawingFile(path) {
                recognizeDrawings(path, recognizer: recognizer, emit: emit)
            } else {
                emit(recognizePicture(path, recognizer: recognizer))
            }
        }
        if let strokes { recognizeDrawings(strokes, recognizer: recognizer, emit: emit) }
        if failed { throw ExitCode.failure }
    }

    /// Whether a file holds drawings (JSON or JSON Lines) rather than a picture: its first
    /// non-blank byte opens a JSON object or array.
    static func isDrawingFile(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 256)) ?? Data()
        guard let first = head.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else { return false }
        return first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
    }

    /// Every drawing of a drawing file, one result each (a bad line is an error result in place).
    private func recognizeDrawings(_ path: String, recognizer: Recognizer, emit: (PredictionOutput) -> Void) {
        let drawings: [Result<Drawing, VisionError>]
        do {
            drawings = try DrawingFile.read(path: path)
        } catch {
            emit(PredictionOutput(source: path, line: nil, outcome: .failure(error)))
            return
        }
        for d in drawings {
            let outcome: Result<Recognition, Error> = d.mapError { $0 as Error }
                .flatMap { drawing in Result { try recognizer.recognize(drawing, multiDigit: !singleDigit) } }
            emit(PredictionOutput(source: path, line: lineNumber(of: d), outcome: outcome))
        }
    }

    /// A PNG or JPEG file through the one picture reader, which reports where each digit is,
    /// which way the picture was read and whether the reading is unsure.
    private func recognizePicture(_ path: String, recognizer: Recognizer) -> PredictionOutput {
        do {
            let (picture, _) = try PictureFile.read(path: path)
            if !singleDigit {
                let reading = try recognizer.read(picture: picture, route: route)
                guard !reading.isEmpty else { throw PictureError.noInk(width: picture.width, height: picture.height) }
                return PredictionOutput(source: path, line: nil, outcome: .success(reading.recognition), photo: reading)
            }
            let recognition = try recognizer.recognize(picture: picture, multiDigit: false)
            return PredictionOutput(source: path, line: nil, outcome: .success(recognition))
        } catch {
            return PredictionOutput(source: path, line: nil, outcome: .failure(error))
        }
    }

    /// A bad line of a JSON Lines file reports its line number (results keep input order either way).
    private func lineNumber(of result: Result<Drawing, VisionError>) -> Int? {
        if case .failure(.invalidDrawingJSON(let line?, _)) = result { return line }
        return nil
    }
}

/// One result of `numeral predict`, as text or JSON.
struct PredictionOutput {
    let source: String
    let line: Int?
    let outcome: Result<Recognition, Error>
    /// For photos: the numbers found and where (boxes in the picture's pixels).
    var photo: PhotoRecognition? = nil

    func json() -> String {
        var object: [String: Any] = ["source": source]
        if let line { object["line"] = line }
        switch outcome {
        case .success(let r):
            // "text" is what was read; "number" only when the model reads digits.
            object["text"] = r.text
            object["classes"] = r.classes.rawValue
            if r.classes == .digits { object["number"] = r.number }
            object["confidence"] = Double(r.confidence)
            object["latency_ms"] = r.latencyMs
            object["model"] = r.modelID
            object["digits"] = r.digits.map { d in
                Self.characterJSON(d).merging(["confidence": Double(d.confidence), "top3": Self.top3JSON(d)]) { $1 }
            }
            if r.digits.count == 1 { object["top3"] = Self.top3JSON(r.digits[0]) }
            if let photo {
                // Same digits as above, in the same order, with their boxes; the numbers separately.
                let boxes = photo.numbers.flatMap(\.boxes)
                object["digits"] = zip(object["digits"] as? [[String: Any]] ?? [], boxes).map { digit, box in
                    digit.merging(["box": box.array]) { $1 }
                }
                if r.classes == .digits { object["number"] = photo.text }
                object["text"] = photo.text
                object["numbers"] = photo.numbers.map(Self.numberJSON)
                object["width"] = photo.width
                object["height"] = photo.height
                object["read_as"] = photo.kind.rawValue
                object["reason"] = photo.reason
                object["unsure"] = photo.unsure
                if photo.numbers.count == 1 { object["box"] = photo.numbers[0].box.array }
            }
        case .failure(let e):
            object["error"] = String(describing: e)
        }
        if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) {
            return String(decoding: data, as: UTF8.self)
        }
        // Only a value JSON cannot hold (NaN, infinity) gets here: report it, never print `{}`.
        var fallback: [String: Any] = ["source": source, "error": "The result holds a value JSON cannot represent (NaN or infinity); the model is damaged."]
        if let line { fallback["line"] = line }
        let data = (try? JSONSerialization.data(withJSONObject: fallback, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// A character's reading: `{"character": "7", "digit": 7}` from a digit model, `{"character": "g"}` otherwise.
    static func characterJSON(index: Int, classes: CharacterClasses) -> [String: Any] {
        let character = String(classes.symbol(index))
        return classes == .digits ? ["character": character, "digit": index] : ["character": character]
    }

    static func characterJSON(_ d: DigitPrediction) -> [String: Any] { characterJSON(index: d.digit, classes: d.classes) }

    static func top3JSON(_ d: DigitPrediction) -> [[String: Any]] {
        let classes = d.classes
        return d.top3.map { characterJSON(index: $0.digit, classes: classes).merging(["probability": Double($0.probability)]) { $1 } }
    }

    /// One number of a photo: `{"number", "confidence", "box", "digits": [{"digit", "confidence", "box", "top3"}]}`.
    static func numberJSON(_ n: NumberRecognition) -> [String: Any] {
        ["number": n.number, "confidence": Double(n.confidence), "box": n.box.array,
         "digits": zip(n.digits, n.boxes).map { d, box in
             characterJSON(d).merging(["confidence": Double(d.confidence), "box": box.array, "top3": top3JSON(d)]) { $1 }
         }]
    }

    func text() -> String {
        let name = line.map { "\(source):\($0)" } ?? source
        switch outcome {
        case .success(let r):
            if let photo {
                let each = photo.numbers.map { n in
                    String(format: "%@ %.0f%% at %@", n.number, n.confidence * 100, n.box.description)
                }.joined(separator: " · ")
                return "\(name): \(photo.text)\(photo.unsure ? " (unsure)" : "")  (\(each))"
            }
            if r.digits.count == 1 {
                let d = r.digits[0]
                let top = d.top3Symbols.map { String(format: "%@ %.1f%%", String($0.symbol), $0.probability * 100) }.joined(separator: ", ")
                return "\(name): \(d.symbol)  (top 3: \(top))"
            }
            let each = r.digits.map { String(format: "%@ %.0f%%", String($0.symbol), $0.confidence * 100) }.joined(separator: " · ")
            return "\(name): \(r.number)  (\(each))"
        case .failure(let e):
            return "\(name): error: \(e)"
        }
    }
}
